"""The briefing shows each cited source's reliability grade, each fact's credibility, and a legend."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from outputs_kb import build_sample_kb
from sitrep.cli import _register, app
from sitrep.outputs.brief import build_brief, render_html, render_markdown
from sitrep.store.sqlite import SQLiteStore

runner = CliRunner()
_register()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_kb(tmp_path_factory.mktemp("brief_grades") / "kb.db")


def _brief(db: Path):
    with SQLiteStore(db, readonly=True) as store:
        return build_brief(store, actor="Taliban")


def test_every_citation_carries_its_sources_grade_and_facts_their_credibility(base: Path) -> None:
    md = render_markdown(_brief(base))
    notes = re.findall(r"^\[\d+\] doc .*$", md, flags=re.M)
    assert notes and all(re.search(r"Source: .+, graded [A-F]\. “", n) for n in notes)
    allies = md.split("### Allies")[1].split("###")[0]
    assert re.search(r"\(credibility [1-6]: [a-z ]+\): asserted by", allies)
    assert "## Grades" in md and "A completely reliable" in md and "5 improbable" in md


def test_a_grade_decision_changes_the_briefing(base: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    shutil.copy(base, db)
    res = runner.invoke(app, ["grade", "Ahmad Massoud", "A", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.stdout
    brief = _brief(db)
    md = render_markdown(brief)
    massoud = next(line for line in md.splitlines() if re.match(r"^\[\d+\] doc .*Source: Ahmad Massoud", line))
    assert "Source: Ahmad Massoud, graded A." in massoud
    assert "Ahmad Massoud (A)" in md
    html = render_html(brief)
    assert re.search(r"<strong>Ahmad Massoud</strong> <span class=\"grade\"[^>]*>graded A</span>", html)
    assert "<h2>Grades</h2>" in html
