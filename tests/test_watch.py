"""``sitrep watch``: three articles arriving one by one plus a bad file, then `changes --since` run 1."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from conftest import require_pipeline, run_sitrep

ARTICLES = [
    "The Red Hand Brigade is allied with the Blue Lantern Front, officials in Arcadia said on 2 March 2026.\n",
    "The Green Star Network supports the Red Hand Brigade, a spokesman for the network said on 3 March 2026.\n",
    "The Silver Fox Battalion attacked a market in Westport on 4 March 2026, killing six people, police said.\n",
]


@pytest.mark.slow
def test_watched_folder_ingests_arrivals_and_changes_shows_them(tmp_path: Path) -> None:
    require_pipeline()
    from sitrep.cli.watch import watch_folder
    from sitrep.config import Settings
    from sitrep.query.changes import changes
    from sitrep.store.sqlite import SQLiteStore

    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a0.txt").write_text(ARTICLES[0])
    db = tmp_path / "k.db"
    stop = threading.Event()
    lines: list[str] = []
    runs: list[int] = []

    def target() -> None:
        with SQLiteStore(db) as store:
            runs.extend(watch_folder(str(folder), store, Settings(), interval=0.3, stop=stop, report=lines.append))

    thread = threading.Thread(target=target)
    thread.start()

    def wait_for(n: int) -> None:
        deadline = time.monotonic() + 120
        while sum(1 for x in lines if x.startswith("run ")) < n and time.monotonic() < deadline:
            time.sleep(0.1)

    wait_for(1)
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02" * 50)
    for i, text in enumerate(ARTICLES[1:], 1):
        time.sleep(0.5)
        (folder / f"a{i}.txt").write_text(text)
        wait_for(i + 1)
    time.sleep(1.0)
    stop.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert any("bad.txt" in x and "skipped" in x for x in lines), lines
    with SQLiteStore(db, readonly=True) as store:
        assert store.count_documents() == 3
        result = changes(store, str(runs[0]))
    names = {a["name"] for a in result["new_actors"]}
    assert {"Green Star Network", "Silver Fox Battalion"} <= names
    assert "Blue Lantern Front" not in names and "Red Hand Brigade" not in names
    assert len(result["documents"]) == 2
    # a restart re-ingests nothing it already has
    again = run_sitrep(["watch", str(folder), "--once", "--db", str(db)])
    assert "ingested 0" in again.stdout and "Traceback" not in again.stderr


GAZ_BEFORE = """\
- id: actor:brannoch-guard
  name: Brannoch Guard
  kind: armed_group
"""
GAZ_AFTER = GAZ_BEFORE + """\
- id: actor:velmora-hand
  name: Velmora Hand
  kind: armed_group
  acronyms: [VHX]
"""


@pytest.mark.slow
def test_a_changed_team_gazetteer_is_read_before_the_next_batch_and_a_bad_one_is_kept_out(tmp_path: Path) -> None:
    require_pipeline()
    import json

    from typer.testing import CliRunner

    from sitrep.cli import _register, app
    from sitrep.cli.watch import watch_folder
    from sitrep.config import Settings
    from sitrep.store.sqlite import SQLiteStore

    gaz = tmp_path / "gaz"
    gaz.mkdir()
    (gaz / "actors.yaml").write_text(GAZ_BEFORE, encoding="utf-8")
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "a0.txt").write_text("Fighters of the Brannoch Guard raided a checkpoint in Westport on 2 March 2026, "
                                   "police said.\n")
    db = tmp_path / "k.db"
    stop = threading.Event()
    lines: list[str] = []
    settings = Settings(gazetteer=str(gaz))

    def target() -> None:
        with SQLiteStore(db) as store:
            watch_folder(str(folder), store, settings, interval=0.3, stop=stop, report=lines.append)

    def wait_for(n: int) -> None:
        deadline = time.monotonic() + 120
        while sum(1 for x in lines if x.startswith("run ")) < n and time.monotonic() < deadline:
            time.sleep(0.1)

    thread = threading.Thread(target=target)
    thread.start()
    try:
        wait_for(1)
        (gaz / "actors.yaml").write_text(GAZ_AFTER, encoding="utf-8")
        (folder / "a1.txt").write_text("The VHX claimed an ambush on an army convoy near Eastmoor on 3 March 2026, "
                                       "a spokesman said.\n")
        wait_for(2)
        (gaz / "actors.yaml").write_text(GAZ_AFTER + "  colour: red\n", encoding="utf-8")  # an unknown key
        (folder / "a2.txt").write_text("Velmora Hand fighters were seen in Northgate on 4 March 2026, residents said.\n")
        wait_for(3)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert any(x.startswith(f"gazetteer {gaz} reloaded") for x in lines), lines
    bad = [x for x in lines if "not reloaded" in x]
    assert len(bad) == 1 and "colour" in bad[0] and "kept" in bad[0], lines
    assert sum(1 for x in lines if x.startswith("run ") and "ingested 1" in x) == 3, lines
    _register()
    out = CliRunner().invoke(app, ["actors", "--db", str(db), "--json"])
    assert out.exit_code == 0, out.stdout
    actors = {a["name"]: a for a in json.loads(out.stdout)}
    assert "Velmora Hand" in actors, sorted(actors)  # known by its acronym from the reloaded file
    assert not actors["Velmora Hand"]["guessed"]
