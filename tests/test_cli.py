"""The CLI end to end on the bundled sample corpus: ingest, incremental re-ingest, queries, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import _register, app

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "corpus"
runner = CliRunner()
_register()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "kb.db")
    code, out = run("ingest", str(SAMPLES), "--db", path, "--json")
    assert code == 0, out
    summary = json.loads(out)
    assert summary["ingested"] == 7 and summary["skipped"] == []
    assert summary["near_duplicates"] >= 1  # the same monitoring story from a second outlet
    return path


def test_reingest_unchanged_corpus_changes_nothing(db: str) -> None:
    code, out = run("ingest", str(SAMPLES), "--db", db, "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["ingested"] == 0 and summary["duplicates"] == 7
    assert summary["database"]["documents"] == 7


def test_changed_article_replaces_old_version(tmp_path: Path) -> None:
    path = str(tmp_path / "kb.db")
    article = tmp_path / "story.txt"
    article.write_text("Militia attack\n\nThe Northern Shield Brigade attacked a checkpoint in Herat.\n")
    assert run("ingest", str(article), "--db", path)[0] == 0
    article.write_text("Militia attack\n\nThe Northern Shield Brigade attacked a checkpoint in Kandahar.\n")
    code, out = run("ingest", str(article), "--db", path, "--json")
    summary = json.loads(out)
    assert code == 0 and summary["replaced"] == 1 and summary["database"]["documents"] == 1
    code, out = run("doc", json.loads(run("docs", "--db", path, "--json")[1])[0]["id"], "--db", path, "--json")
    assert "Kandahar" in json.loads(out)["document"]["text"]


def test_actors_listing_and_profile_by_any_spelling(db: str) -> None:
    code, out = run("actors", "--db", db, "--json")
    assert code == 0
    rows = json.loads(out)
    names = {r["name"] for r in rows}
    assert "Taliban" in names
    taliban = next(r for r in rows if r["name"] == "Taliban")
    assert taliban["documents"] >= 2 and taliban["kind"] == "armed_group"
    a = json.loads(run("actor", "ISKP", "--db", db, "--json")[1])
    b = json.loads(run("actor", "Islamic State Khorasan Province", "--db", db, "--json")[1])
    assert a["entity"]["id"] == b["entity"]["id"]
    assert a["mentions"] and all("[" in m["snippet"] for m in a["mentions"])


def test_unknown_actor_exits_3(db: str) -> None:
    code, _ = run("actor", "No Such Group Anywhere", "--db", db)
    assert code == 3


def test_places_docs_and_doc(db: str) -> None:
    places = json.loads(run("places", "--db", db, "--json")[1])
    kabul = next(p for p in places if p["name"] == "Kabul")
    assert kabul["country"] == "AF" and 34 < kabul["lat"] < 35 and 69 < kabul["lon"] < 69.5
    docs = json.loads(run("docs", "--db", db, "--json")[1])
    assert len(docs) == 7
    html_doc = next(d for d in docs if d["source"].endswith(".html"))
    assert html_doc["published"] == "2024-03-02"
    view = json.loads(run("doc", html_doc["id"][:10], "--db", db, "--json")[1])
    assert "Related Articles" not in view["document"]["text"]
    assert view["mentions"]


def test_missing_database_is_a_storage_error(tmp_path: Path) -> None:
    code, _ = run("actors", "--db", str(tmp_path / "absent.db"))
    assert code == 4


def test_bad_input_is_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "02_resistance_interview.txt", folder)
    (folder / "empty.txt").write_text("")
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 40)
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep", "ingest", str(folder), "--db", str(tmp_path / "kb.db"), "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["ingested"] == 1
    skipped = {Path(s["source"]).name: s["reason"] for s in summary["skipped"]}
    assert set(skipped) == {"empty.txt", "blob.bin"}
    assert "Traceback" not in proc.stderr


def test_stdin_ingest(tmp_path: Path) -> None:
    text = "Clashes in Kunduz\n\nTaliban forces clashed with fighters of the National Resistance Front in Kunduz.\n"
    proc = subprocess.run(
        [sys.executable, "-m", "sitrep", "ingest", "-", "--db", str(tmp_path / "kb.db"), "--json"],
        input=text, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["ingested"] == 1


def test_stdin_articles_do_not_replace_each_other_unless_named(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    stories = [f"Raid number {n} in Arcadia\n\nFighters of the Red Hand Brigade raided post {n} in Arcadia on "
               f"Monday, officials said.\n" for n in range(4)]
    for text in stories[:2]:
        result = runner.invoke(app, ["ingest", "-", "--db", db, "--json"], input=text)
        assert result.exit_code == 0 and json.loads(result.stdout)["replaced"] == 0
    replaced = []
    for text in stories[2:]:
        result = runner.invoke(app, ["ingest", "-", "--id", "wire-1", "--db", db, "--json"], input=text)
        assert result.exit_code == 0, result.output
        replaced.append(json.loads(result.stdout)["replaced"])
    assert replaced == [0, 1]
    code, out = run("docs", "--db", db, "--json")
    assert code == 0 and sorted(d["source"] for d in json.loads(out)) == ["-", "-", "-#wire-1"]
