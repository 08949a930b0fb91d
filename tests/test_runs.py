"""Every ingest is a recorded run: id, start and end, inputs, counts, skipped with reasons."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import require_pipeline, run_sitrep

TEXT = "The Red Hand Brigade attacked a checkpoint in Arcadia on 3 March 2026, the army said.\n"


def test_runs_are_recorded_with_inputs_counts_and_skips(tmp_path: Path) -> None:
    require_pipeline()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT)
    (folder / "empty.txt").write_text("")
    db = tmp_path / "k.db"
    assert run_sitrep(["ingest", str(folder), "--db", str(db), "-q"]).returncode == 1  # one input skipped
    assert run_sitrep(["ingest", str(folder), "--db", str(db), "-q"]).returncode == 1
    proc = run_sitrep(["runs", "--db", str(db), "--json"])
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(proc.stdout)
    assert [r["id"] for r in runs] == [1, 2]
    first, second = runs
    assert first["inputs"] == [str(folder)] and first["command"] == "ingest"
    assert first["counts"]["ingested"] == 1 and second["counts"]["ingested"] == 0
    assert second["counts"]["duplicates"] == 1
    assert first["started_at"] <= first["ended_at"] and first["status"] == "skipped"
    assert any("empty.txt" in s["source"] and s["reason"] for s in first["skipped"])
    from sitrep.store.sqlite import SQLiteStore

    with SQLiteStore(db, readonly=True) as store:
        docs = store.document_runs()
    assert [d["run_id"] for d in docs] == [1]
