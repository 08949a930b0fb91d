"""Situation report: every statement cited, HTML self-contained and escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from outputs_kb import build_sample_kb
from sitrep.cli import _register, app
from sitrep.outputs.brief import build_brief, format_range, md_escape, render_html, render_markdown
from sitrep.query.actors import NotFound
from sitrep.store.sqlite import SQLiteStore

CITE = re.compile(r"\[\d+\]")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_kb(tmp_path_factory.mktemp("brief") / "kb.db")


def _brief(db: Path, **kw):
    store = SQLiteStore(db, readonly=True)
    try:
        return build_brief(store, **kw)
    finally:
        store.close()


def content_lines(md: str) -> list[str]:
    """Lines that state something: not headings, blank, meta (_..._), table header/rule or footnotes."""
    body = md.split("\n## Sources\n")[0]
    out = []
    for line in body.splitlines():
        s = line.strip()
        if not s or s.startswith("#") or (s.startswith("_") and s.endswith("_")):
            continue
        if s.startswith("| Claim |") or set(s) <= set("|-"):
            continue
        out.append(s)
    return out


def check_cited(md: str) -> None:
    lines = content_lines(md)
    assert lines
    for line in lines:
        assert CITE.search(line), f"uncited line: {line}"
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", md.split("\n## Sources\n")[0])}
    notes = re.findall(r"^\[(\d+)\] doc ", md, flags=re.M)
    assert cited == {int(n) for n in notes}, "every citation has a footnote and vice versa"


def test_markdown_cites_every_line(kb: Path) -> None:
    md = render_markdown(_brief(kb))
    check_cited(md)
    assert "## Taliban" in md and "### Allies" in md and "### Enemies" in md
    assert "**CONTESTED**" in md
    # numbers as a range with the disagreement shown
    assert "1,500–4,000" in md and "disagree" in md
    # recent events and leaders
    assert "### Recent events" in md and "2023-06-08" in md
    assert "### Leaders" in md


def test_markdown_footnotes_carry_provenance(kb: Path) -> None:
    md = render_markdown(_brief(kb, actor="Taliban"))
    foot = [line for line in md.splitlines() if re.match(r"^\[\d+\] doc ", line)]
    assert foot
    massoud = next(line for line in foot if "Source: Ahmad Massoud" in line)
    assert "Resistance leader warns" in massoud and "Example Herald" in massoud and "2023-06-10" in massoud
    assert "“Ahmad Massoud said the Taliban remain allied with al-Qaeda.”" in massoud
    assert "<https://example.org/a1>" in massoud


def test_contested_side_by_side(kb: Path) -> None:
    md = render_markdown(_brief(kb, actor="Taliban"))
    table = md.split("### Contested claims")[1]
    row = next(line for line in table.splitlines() if line.startswith("| Taliban is allied"))
    cells = [c.strip() for c in row.strip("|").split(" | ")]
    assert "Ahmad Massoud" in cells[1] and "United Nations" in cells[1]
    assert "Zabihullah Mujahid" in cells[2] and "Ahmad Massoud" not in cells[2]


def test_markdown_escapes_untrusted_text(kb: Path) -> None:
    md = render_markdown(_brief(kb, actor="Taliban"))
    assert not re.search(r"(?<!\\)<(script|img|a )", md), "raw HTML from an article"
    assert "\\<script\\>" in md
    assert md_escape("a|b<c>") == "a\\|b\\<c\\>"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(d["id"] or "")


def test_html_self_contained_and_escaped(kb: Path) -> None:
    html = render_html(_brief(kb))
    p = _Collector()
    p.feed(html)
    names = [t for t, _ in p.tags]
    assert "style" in names and "@media print" in html
    assert "script" not in names and "link" not in names and "img" not in names
    for tag, attrs in p.tags:
        for key in ("src", "href"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "javascript:")), (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # every citation link has its footnote
    refs = {a["href"][1:] for t, a in p.tags if t == "a" and (a.get("href") or "").startswith("#")}
    assert refs and refs <= p.ids


def test_unknown_actor(kb: Path) -> None:
    with pytest.raises(NotFound):
        _brief(kb, actor="No Such Group")


def test_format_range() -> None:
    assert format_range(2000, 2000) == "2,000"
    assert format_range(1500, 2200) == "1,500–2,200"
    assert format_range(20, None, "more than") == "more than 20"
    assert format_range(None, 500) == "up to 500"


def test_cli_brief(kb: Path, tmp_path: Path) -> None:
    _register()
    runner = CliRunner()
    out = tmp_path / "brief.html"
    r = runner.invoke(app, ["brief", "--actor", "Taliban", "--format", "html", "-o", str(out), "--db", str(kb)])
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    r = runner.invoke(app, ["brief", "--db", str(kb), "--since", "2023-06-13"])
    assert r.exit_code == 0
    assert "Ahmad Massoud said" not in r.output  # reported before --since
    r = runner.invoke(app, ["brief", "--actor", "No Such Group", "--db", str(kb)])
    assert r.exit_code == 3


def test_seeds_brief_is_cited(seeds_db: Path) -> None:
    md = render_markdown(_brief(seeds_db))
    check_cited(md)
    html = render_html(_brief(seeds_db, actor="Taliban"))
    assert "<script" not in html
