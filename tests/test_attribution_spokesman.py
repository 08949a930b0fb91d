"""A spokesman's denial is the body's denial too, and a denial that points back ("the report's
allegations", "these claims") answers the paragraph before its own (invented names throughout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_sitrep

IN_SENTENCE = ("Brigade denies ties\n\nThe Arcadian Monitoring Council said the Red Hand Brigade is allied with the "
               "Black Lantern Front.\n\nTomas Vey, the Red Hand Brigade's spokesman, denied that the Red Hand Brigade "
               "is allied with the Black Lantern Front.\n")
POINTS_BACK = ("Brigade rejects report\n\nThe Arcadian Monitoring Council said on Monday that the Red Hand Brigade is "
               "allied with the Black Lantern Front.\n\nTomas Vey, a spokesman for the Red Hand Brigade, rejected the "
               "report's allegations.\n")
CLAIMS = ("Minister answers\n\nThe Arcadian Monitoring Council said on Monday that the Red Hand Brigade is allied "
          "with the Black Lantern Front.\n\n{between}Mara Lind, a spokeswoman for the Boravian Interior Ministry, "
          "dismissed these claims.\n")


def _deniers(tmp_path: Path, text: str) -> set[str]:
    tmp_path.mkdir(exist_ok=True)
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    db = str(tmp_path / "kb.db")
    assert run_sitrep(["ingest", str(article), "--db", db, "-q"]).returncode == 0
    res = run_sitrep(["relations", "--db", db, "--json"])
    assert res.returncode == 0, res.stderr
    facts = [f for f in json.loads(res.stdout) if f["type"] == "ally_of"
             and {f["subject"], f["object"]} == {"Red Hand Brigade", "Black Lantern Front"}]
    assert facts, "the Council's assertion is read"
    return {c["source"] for f in facts for c in f["claims"] if c["polarity"] == "denied"}


@pytest.mark.parametrize("text", [IN_SENTENCE, POINTS_BACK], ids=["that-clause", "the-reports-allegations"])
def test_the_spokesman_and_the_group_both_deny(tmp_path: Path, text: str) -> None:
    assert _deniers(tmp_path, text) == {"Tomas Vey", "Red Hand Brigade"}


def test_these_claims_answers_the_paragraph_before_but_no_further(tmp_path: Path) -> None:
    assert "Mara Lind" in _deniers(tmp_path, CLAIMS.format(between=""))
    far = CLAIMS.format(between="Some weeks later, the Boravia Times reported new clashes in the north.\n\n")
    assert _deniers(tmp_path / "far", far) == set()
