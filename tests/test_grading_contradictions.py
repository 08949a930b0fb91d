"""Estimates that disagree are a contradiction: never "confirmed", in the rules and everywhere they show
(``contradictions``, ``claims``, the briefing, the web contradictions and what-changed pages)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import run_sitrep
from sitrep.query.grading import Grades, credibility
from sitrep.resolve.linking import normalize
from sitrep.web.app import create_app

ARMY = ("Army says rebels number thousands\n\nThe Arcadian army said the Red Hand Brigade has 5,000 fighters in "
        "the northern hills of Arcadia.\n")
REBELS = ("Rebel group plays down its strength\n\nTomas Vey, a spokesman for the Red Hand Brigade, said the group "
          "has 800 fighters in the northern hills.\n")


def _estimates(*sources: str, disagreement: bool) -> dict[str, Any]:
    claims = [{"source": s, "polarity": "asserted", "modality": None, "claim_id": f"d-{s}"} for s in sources]
    return {"estimates": claims, "corroboration": {"sources": len(set(sources))}, "disagreement": disagreement}


def test_disagreeing_estimates_are_doubtful_never_confirmed() -> None:
    g = Grades({normalize("Borduria Wire"): "B", normalize("Carpathia Herald"): "C"}, frozenset({"d-Borduria Wire"}))
    assert credibility(_estimates("Borduria Wire", "Carpathia Herald", disagreement=False), g)[0] == 1
    level, why = credibility(_estimates("Borduria Wire", "Carpathia Herald", disagreement=True), g)
    assert (level, why) == (4, "estimates from different sources disagree")
    # an analyst's confirmation of one figure does not confirm a group whose figures contradict each other
    assert credibility(_estimates("Borduria Wire", "Mayor of Ruritania", disagreement=True), g)[0] == 4


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("disagree")
    (root / "army.txt").write_text(ARMY)
    (root / "rebels.txt").write_text(REBELS)
    db = root / "kb.db"
    for name in ("army.txt", "rebels.txt"):  # two runs, so that "what changed since run 1" holds the second
        proc = run_sitrep(["ingest", str(root / name), "--db", str(db), "-q"])
        assert proc.returncode == 0, proc.stderr
    return db


def test_contradictions_claims_and_brief_show_doubtful(kb: Path) -> None:
    res = run_sitrep(["contradictions", "--db", str(kb), "--json"])
    assert res.returncode == 0, res.stderr
    (group,) = [q for q in json.loads(res.stdout)["quantities"] if q["subject"] == "Red Hand Brigade"]
    assert group["disagreement"] and group["credibility"] == 4 and group["credibility_label"] == "doubtful"
    assert "credibility 4" in run_sitrep(["contradictions", "--db", str(kb)]).stdout
    claims = json.loads(run_sitrep(["claims", "Red Hand Brigade", "--db", str(kb), "--json"]).stdout)
    (fighters,) = [q for q in claims["quantities"] if q["disagreement"]]
    assert fighters["credibility"] == 4
    brief = run_sitrep(["brief", "--actor", "Red Hand Brigade", "--db", str(kb)]).stdout
    line = next(x for x in brief.splitlines() if "5,000" in x and "800" in x)
    assert "credibility 4" in line and "credibility 1" not in line


def test_web_contradictions_page_shows_grades_and_credibility(kb: Path) -> None:
    client = TestClient(create_app(str(kb), rate=0))
    data = client.get("/api/contradictions").json()
    (group,) = data["quantities"]
    assert group["credibility"] == 4 and {e["grade"] for e in group["estimates"]} == {"F"}
    html = client.get("/contradictions").text
    assert "credibility 4: doubtful" in html and 'class="badge grade"' in html


def test_web_changes_page_shows_grades_and_credibility(kb: Path) -> None:
    client = TestClient(create_app(str(kb), rate=0))
    result = client.get("/api/changes", params={"since": "1"}).json()
    (contra,) = [i for i in result["new_contradictions"] if i["kind"] == "quantity"]  # disagreeing since run 1
    assert contra["credibility"] == 4 and all(c["grade"] == "F" for c in contra["citations"])
    html = client.get("/changes", params={"since": "1"}).text
    assert "credibility 4: doubtful" in html and 'class="badge grade"' in html
