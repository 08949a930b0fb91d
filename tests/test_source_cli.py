"""`sitrep source NAME` and `sitrep contradictions` on the ingested seed articles (read from ../shared)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_sitrep


def test_source_lists_what_one_source_claims(seeds_db: Path) -> None:
    res = run_sitrep(["source", "Nathan Sales", "--db", str(seeds_db), "--json"])
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert "Sales" in data["source"]["name"]
    facts = {(f["subject"], f["type"], f["object"]) for f in data["relations"]}
    assert ("Taliban", "ally_of", "Al-Qaeda") in facts or ("Al-Qaeda", "ally_of", "Taliban") in facts
    for f in data["relations"]:
        for c in f["claims"]:
            assert c["source_id"] == data["source"]["id"]
            assert c["polarity"] in ("asserted", "denied") and c["sentence"] and c["doc_id"]
    # a description of the speaker is not the speaker's claim
    assert not any(f["type"] == "member_of" and "Sales" in f["subject"] for f in data["relations"])


def test_source_table_and_denials(seeds_db: Path) -> None:
    res = run_sitrep(["source", "Taliban", "--db", str(seeds_db)])
    assert res.returncode == 0, res.stderr
    assert "What Taliban says" in res.stdout and "denies" in res.stdout


def test_unknown_source_exits_3(seeds_db: Path) -> None:
    res = run_sitrep(["source", "Nobody Anywhere Brigade", "--db", str(seeds_db)])
    assert res.returncode == 3
    assert "Nobody Anywhere Brigade" in res.stderr and "Traceback" not in res.stderr + res.stdout


def test_contradictions_show_the_taliban_al_qaeda_dispute_with_denials_quoted(seeds_db: Path) -> None:
    res = run_sitrep(["contradictions", "--db", str(seeds_db), "--json"])
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    dispute = [f for f in data["relations"] if {f["subject"], f["object"]} == {"Taliban", "Al-Qaeda"}]
    assert dispute
    denials = [c for f in dispute for c in f["claims"] if c["polarity"] == "denied"]
    assert denials and all(c["sentence"] for c in denials)
    assert any(c["source"] == "Taliban" for c in denials)
    assert "quantities" in data
    table = run_sitrep(["contradictions", "--db", str(seeds_db)])
    assert "denies" in table.stdout and "CONTESTED" in table.stdout


def test_contradictions_list_estimates_that_disagree(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "army.txt").write_text("Army says rebels number thousands\n\nThe Arcadian army said the Red Hand "
                                     "Brigade has 5,000 fighters in the northern hills of Arcadia.\n")
    (corpus / "rebels.txt").write_text("Rebel group plays down its strength\n\nTomas Vey, a spokesman for the Red "
                                       "Hand Brigade, said the group has 800 fighters in the northern hills.\n")
    db = str(tmp_path / "kb.db")
    assert run_sitrep(["ingest", str(corpus), "--db", db, "-q"]).returncode == 0
    res = run_sitrep(["contradictions", "--db", db, "--json"])
    assert res.returncode == 0, res.stderr
    (group,) = [q for q in json.loads(res.stdout)["quantities"] if q["subject"] == "Red Hand Brigade"]
    assert group["disagreement"] is True
    assert {(e["low"], e["source"]) for e in group["estimates"]} == {(5000.0, "The Arcadian army"), (800.0, "Tomas Vey")}
    assert all(e["sentence"] for e in group["estimates"])
    table = run_sitrep(["contradictions", "--db", db])
    assert "estimates disagree" in table.stdout and "5,000" in table.stdout and "800" in table.stdout
