"""Corrections as decisions on the real seeds: they stay in force across re-ingests and move between KBs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import _register, app

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
runner = CliRunner()
_register()

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed corpus is not here")


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


def js(*args: str) -> object:
    code, out = run(*args, "--json")
    assert code == 0, out
    return json.loads(out)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seeds copied into a folder and ingested once; tests copy the database file."""
    root = tmp_path_factory.mktemp("decisions")
    corpus = root / "seeds"
    shutil.copytree(SEEDS, corpus)
    db = root / "kb.db"
    code, out = run("ingest", str(corpus), "--db", str(db), "--json")
    assert code == 0, out
    assert json.loads(out)["ingested"] == 5
    return corpus, db


@pytest.fixture()
def db(base: tuple[Path, Path], tmp_path: Path) -> str:
    path = tmp_path / "kb.db"
    shutil.copy(base[1], path)
    return str(path)


def names(db: str) -> set[str]:
    return {a["name"] for a in js("actors", "--db", db)}  # type: ignore[union-attr]


def claim_ids(db: str, actor: str) -> set[str]:
    data = js("claims", actor, "--db", db)
    return {c["claim_id"] for f in data["relations"] for c in f["claims"]}  # type: ignore[index]


def _decide_on_seeds(db: str) -> str:
    """Merge, split, reject and grade; returns the rejected claim's id."""
    assert {"Tolo TV", "TOLOnews", "Tehrik-i-Taliban Pakistan"} <= names(db)
    assert js("merge", "Tolo TV", "TOLOnews", "--why", "one channel", "--db", db)["status"] == "applied"
    assert js("split", "Tehrik-i-Taliban Pakistan", "--alias", "Pakistani Taliban", "--db", db)["status"] \
        == "applied"
    claims = js("claims", "Haqqani Network", "--db", db)["relations"]  # type: ignore[index]
    rejected = sorted(c["claim_id"] for f in claims for c in f["claims"] if c["source"] != "Nathan Sales")[0]
    assert js("reject", rejected, "--why", "misread", "--db", db)["status"] == "applied"
    assert js("grade", "Nathan Sales", "b", "--db", db)["args"]["grade"] == "B"
    return rejected


def _in_force(db: str, rejected: str) -> None:
    current = names(db)
    assert "TOLOnews" not in current and "Tolo TV" in current
    assert "Pakistani Taliban" in current and "Tehrik-i-Taliban Pakistan" in current
    split = js("actor", "Pakistani Taliban", "--db", db)
    assert split["entity"]["name"] == "Pakistani Taliban"  # type: ignore[index]
    assert "Pakistani Taliban" not in js("actor", "Tehrik-i-Taliban Pakistan", "--db", db)["aliases"]  # type: ignore[index]
    assert rejected not in claim_ids(db, "Haqqani Network")
    decisions = js("decisions", "--db", db)
    assert {d["kind"] for d in decisions} == {"merge", "split", "reject", "grade"}  # type: ignore[union-attr]
    assert all(d["status"] == "applied" for d in decisions)  # type: ignore[union-attr]
    graded = [d for d in decisions if d["kind"] == "grade"]  # type: ignore[union-attr]
    assert graded[0]["args"] == {"source": "Nathan Sales", "grade": "B"}
    grades = {c["source"]: c["grade"] for f in js("claims", "Haqqani Network", "--db", db)["relations"]  # type: ignore[index]
              for c in f["claims"]}
    assert grades.get("Nathan Sales") == "B"


def test_decisions_survive_reingest_of_same_and_changed_files(base: tuple[Path, Path], db: str) -> None:
    corpus = base[0]
    rejected = _decide_on_seeds(db)
    _in_force(db, rejected)
    code, out = run("ingest", str(corpus), "--db", db, "--json")
    assert code == 0 and json.loads(out)["ingested"] == 0, out
    _in_force(db, rejected)
    _reingest_changed(corpus, db, rejected)


def _rewrite_and_reingest(corpus: Path, db: str, path: Path, text: str) -> None:
    """Give one article of the corpus new text and re-ingest the corpus: that one article is replaced."""
    path.write_text(text, encoding="utf-8")
    code, out = run("ingest", str(corpus), "--db", db, "--json")
    assert code == 0 and json.loads(out)["replaced"] == 1, out


def _reingest_changed(corpus: Path, db: str, rejected: str) -> None:
    """Append a sentence of our own to one seed (not the rejected claim's), re-ingest, check, restore."""
    changed = corpus / "004_2037f3a1ffc3a8ae.txt"
    original = changed.read_text(encoding="utf-8")
    try:
        _rewrite_and_reingest(corpus, db, changed,
                              original + "\n\nTOLOnews later said the Pakistani Taliban had moved north.\n")
        _in_force(db, rejected)
    finally:
        changed.write_text(original, encoding="utf-8")


def test_export_import_gives_same_relations_and_is_idempotent(db: str, base: tuple[Path, Path],
                                                               tmp_path: Path) -> None:
    _decide_on_seeds(db)
    js("alias", "add", "Haqqani Network", "Haqqani clan", "--db", db)
    js("kind", "Tolo TV", "organization", "--db", db)
    js("rename", "Islamic State Khorasan Province", "ISKP", "--db", db)
    export = tmp_path / "decisions.yaml"
    assert js("decisions", "export", "-o", str(export), "--db", db)["decisions"] == 7  # type: ignore[index]
    fresh = tmp_path / "fresh.db"
    shutil.copy(base[1], fresh)
    first = js("decisions", "import", str(export), "--db", str(fresh))
    assert len(first) == 7 and all(r["new"] and r["status"] == "applied" for r in first)  # type: ignore[union-attr]
    assert js("relations", "--db", str(fresh)) == js("relations", "--db", db)
    second = js("decisions", "import", str(export), "--db", str(fresh))
    assert not any(r["new"] for r in second)  # type: ignore[union-attr]
    assert len(js("decisions", "--db", str(fresh))) == 7  # type: ignore[arg-type]
    assert js("relations", "--db", str(fresh)) == js("relations", "--db", db)
    assert "ISKP" in names(str(fresh))


def test_alias_remove_and_confirm(db: str) -> None:
    js("alias", "add", "Haqqani Network", "Haqqani clan", "--db", db)
    assert "Haqqani clan" in js("actor", "Haqqani clan", "--db", db)["aliases"]  # type: ignore[index]
    js("alias", "remove", "Haqqani Network", "Haqqani clan", "--db", db)
    code, _ = run("actor", "Haqqani clan", "--db", db)
    assert code == 3
    cid = sorted(claim_ids(db, "Haqqani Network"))[0]
    assert js("confirm", cid, "--db", db)["status"] == "applied"
    facts = js("claims", "Haqqani Network", "--db", db)["relations"]  # type: ignore[index]
    confirmed = [f for f in facts if any(c["claim_id"] == cid for c in f["claims"])]
    assert confirmed and confirmed[0]["credibility"] == 1


def test_errors_unknown_name_or_claim_is_3_bad_value_is_2(db: str) -> None:
    assert run("merge", "Tolo TV", "Nobody At All", "--db", db)[0] == 3
    assert run("split", "Nobody At All", "--alias", "Nobody", "--db", db)[0] == 3
    assert run("reject", "00000000-0000000000", "--db", db)[0] == 3
    assert run("confirm", "nonsense", "--db", db)[0] == 3
    assert run("grade", "Nathan Sales", "Z", "--db", db)[0] == 2
    assert run("kind", "Tolo TV", "banana", "--db", db)[0] == 2
    assert js("decisions", "--db", db) == []  # nothing was recorded


def test_import_into_a_kb_without_those_articles_reports_not_applicable(db: str, tmp_path: Path) -> None:
    _decide_on_seeds(db)
    export = tmp_path / "decisions.yaml"
    js("decisions", "export", "-o", str(export), "--db", db)
    article = tmp_path / "arcadia.txt"
    article.write_text("The Red Hand Brigade attacked a convoy near Arcadia on Monday, the governor said.\n",
                       encoding="utf-8")
    other = str(tmp_path / "other.db")
    js("ingest", str(article), "--db", other)
    report = js("decisions", "import", str(export), "--db", other)
    assert len(report) == 4  # type: ignore[arg-type]
    assert all(r["status"].startswith("not applicable") for r in report)  # type: ignore[union-attr]
    assert len(js("decisions", "--db", other)) == 4  # type: ignore[arg-type]  # kept, not dropped


def test_default_grade_covers_every_spelling_of_a_well_known_body(db: str) -> None:
    facts = js("claims", "Al-Qaeda", "--db", db)["relations"]  # type: ignore[index]
    un = [(f, c) for f in facts for c in f["claims"] if c["source"] == "United Nations Security Council"]
    assert un and all(c["grade"] == "B" for _, c in un)  # the data file names it "UN Security Council"
    alone = [f for f, _ in un if len(f["claims"]) == 1]
    assert alone and all(f["credibility"] == 2 for f in alone)


def test_a_decision_needs_an_existing_knowledge_base(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert run("merge", "Tolo TV", "TOLOnews", "--db", str(missing))[0] == 4
    assert not missing.exists()


@pytest.mark.postgres
def test_decisions_survive_reingest_on_postgres(base: tuple[Path, Path], pg_schema_url: str) -> None:
    corpus = base[0]
    code, out = run("ingest", str(corpus), "--db", pg_schema_url, "--json")
    assert code == 0 and json.loads(out)["ingested"] == 5, out
    rejected = _decide_on_seeds(pg_schema_url)
    _in_force(pg_schema_url, rejected)
    code, out = run("ingest", str(corpus), "--db", pg_schema_url, "--json")
    assert code == 0, out
    _in_force(pg_schema_url, rejected)
    _reingest_changed(corpus, pg_schema_url, rejected)


def _claims_of(db: str, actor: str, *flags: str) -> list[dict]:
    data = js("claims", actor, "--db", db, *flags)
    return [c for f in data["relations"] for c in f["claims"]]  # type: ignore[index]


def _corpus_file(db: str, corpus: Path, doc_id: str) -> Path:
    docs = js("docs", "--db", db)
    source = next(d["source"] for d in docs if d["id"] == doc_id)  # type: ignore[union-attr]
    path = Path(source)
    assert path.is_file() and corpus in path.parents, source
    return path


def test_rejected_claims_are_shown_marked_only_where_one_asks(db: str) -> None:
    claim = next(c for c in _claims_of(db, "Haqqani Network") if c["source"] == "Nathan Sales")
    assert js("reject", claim["claim_id"], "--why", "misread", "--db", db)["status"] == "applied"
    assert claim["claim_id"] not in {c["claim_id"] for c in _claims_of(db, "Haqqani Network")}
    shown = [c for c in _claims_of(db, "Haqqani Network", "--include-rejected") if c.get("rejected")]
    assert [c["claim_id"] for c in shown] == [claim["claim_id"]]
    assert shown[0]["sentence"] == claim["sentence"] and shown[0]["rejected_why"] == "misread"
    data = js("claims", "Haqqani Network", "--db", db, "--include-rejected")
    fact = next(f for f in data["relations"] if any(c.get("rejected") for c in f["claims"]))  # type: ignore[index]
    assert fact["asserted"]["sources"] == len({c["source"] for c in fact["claims"] if not c.get("rejected")})
    code, out = run("claims", "Haqqani Network", "--db", db, "--include-rejected")
    assert code == 0 and "REJECTED" in out and claim["claim_id"] in out
    by_source = js("source", "Nathan Sales", "--db", db, "--include-rejected")
    assert claim["claim_id"] in {c["claim_id"] for f in by_source["relations"] for c in f["claims"]}  # type: ignore[index]
    assert claim["claim_id"] not in {c["claim_id"] for f in js("source", "Nathan Sales", "--db", db)["relations"]  # type: ignore[index]
                                     for c in f["claims"]}
    listed = js("relations", "--actor", "Haqqani Network", "--claims", "--include-rejected", "--db", db)
    assert claim["claim_id"] in {c["claim_id"] for f in listed for c in f["claims"] if c.get("rejected")}  # type: ignore[union-attr]
    code, out = run("relations", "--actor", "Haqqani Network", "--claims", "--db", db)
    assert code == 0 and claim["claim_id"] not in out


def test_a_rejection_follows_its_claim_into_a_changed_article_and_reports_it_gone(
        base: tuple[Path, Path], db: str) -> None:
    corpus = base[0]
    claim = next(c for c in _claims_of(db, "Haqqani Network") if c["source"] == "Nathan Sales")
    js("reject", claim["claim_id"], "--db", db)
    path = _corpus_file(db, corpus, claim["doc_id"])
    original = path.read_text(encoding="utf-8")
    try:
        _rewrite_and_reingest(corpus, db, path,
                              original + "\n\nArcadia's ministry later said the Red Hand Brigade had moved north.\n")
        new_doc = {c["doc_id"] for c in _claims_of(db, "Haqqani Network")}
        assert claim["doc_id"] not in new_doc  # the article has a new version...
        assert claim["claim_id"] not in {c["claim_id"] for c in _claims_of(db, "Haqqani Network")}  # ...still rejected
        rejection = next(d for d in js("decisions", "--db", db) if d["kind"] == "reject")  # type: ignore[union-attr]
        assert rejection["status"] == "applied"
        # the article changes again, without the claim's sentence: the decision says so
        snap = rejection["args"]["claim_row"]
        text = js("doc", snap["doc_id"], "--db", db)["document"]["text"]  # type: ignore[index]
        _rewrite_and_reingest(corpus, db, path, text[:snap["sent_start"]] + text[snap["sent_end"]:])
        rejection = next(d for d in js("decisions", "--db", db) if d["kind"] == "reject")  # type: ignore[union-attr]
        assert rejection["status"].startswith("not applicable") and "no longer in its article" in rejection["status"]
        code, out = run("decisions", "--db", db)
        assert code == 0 and "no longer in its article" in " ".join(out.split())
    finally:
        path.write_text(original, encoding="utf-8")


def test_confirm_before_a_merge_keeps_matching_after_it(base: tuple[Path, Path], db: str) -> None:
    fact = next(f for f in js("relations", "--actor", "Haqqani Network", "--db", db)  # type: ignore[union-attr]
                if f["type"] == "operates_in" and f["object"] == "Afghanistan")
    assert fact["credibility"] == 6
    cid = fact["claims"][0]["claim_id"]
    assert js("confirm", cid, "--db", db)["status"] == "applied"
    assert js("merge", "Taliban", "Haqqani Network", "--db", db)["status"] == "applied"
    for _ in range(2):  # after the merge, and again after a re-ingest replays both decisions
        merged = next(f for f in js("relations", "--actor", "Taliban", "--db", db)  # type: ignore[union-attr]
                      if cid in {c["claim_id"] for c in f["claims"]})
        assert merged["subject"] == "Taliban" and merged["object"] == "Afghanistan"
        assert merged["credibility"] == 1 and merged["credibility_why"] == "confirmed by an analyst"
        assert all(d["status"] == "applied" for d in js("decisions", "--db", db))  # type: ignore[union-attr]
        code, out = run("ingest", str(base[0]), "--db", db, "--json")
        assert code == 0, out
