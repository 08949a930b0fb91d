"""``sitrep changes --since RUN|DATE``: exactly what later runs added, with citations; bad values exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import require_pipeline, run_sitrep

FIRST = ("The Red Hand Brigade is allied with the Blue Lantern Front, officials in Arcadia said on "
         "3 March 2026.\n")
SECOND = ("The Green Star Network supports the Red Hand Brigade, a spokesman for the group said on "
          "4 March 2026.\n")


def _ingest(store_path: Path, folder: Path) -> int:
    from sitrep.config import Settings
    from sitrep.pipeline import run_ingest
    from sitrep.store.sqlite import SQLiteStore

    with SQLiteStore(store_path) as store:
        summary = run_ingest([str(folder)], store, Settings())
    assert summary.run_id is not None
    return summary.run_id


def test_changes_since_a_run_lists_only_what_later_runs_added(tmp_path: Path) -> None:
    require_pipeline()
    from sitrep.query.changes import changes
    from sitrep.store.sqlite import SQLiteStore

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(FIRST)
    db = tmp_path / "k.db"
    first = _ingest(db, folder)
    (folder / "two.txt").write_text(SECOND)
    second = _ingest(db, folder)
    assert second == first + 1
    with SQLiteStore(db, readonly=True) as store:
        result = changes(store, str(first))
        nothing = changes(store, str(second))
    names = {a["name"] for a in result["new_actors"]}
    assert "Green Star Network" in names and "Red Hand Brigade" not in names
    facts = [f["fact"] for f in result["new_facts"]]
    assert any("Green Star Network" in f and "supports" in f for f in facts)
    assert not any("Blue Lantern" in f for f in facts)
    for f in result["new_facts"]:
        assert f["citations"] and all(c["doc_id"] in result["documents"] for c in f["citations"])
    assert nothing["new_actors"] == [] and nothing["new_facts"] == [] and nothing["documents"] == []


@pytest.mark.parametrize("args", [["changes", "--since", "2024-13-45"], ["changes", "--since", "banana"],
                                  ["brief", "--since", "2024-13-45"], ["changes", "--since", "99"]])
def test_bad_since_is_a_usage_error(tmp_path: Path, args: list[str]) -> None:
    require_pipeline()
    db = tmp_path / "k.db"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(FIRST)
    _ingest(db, folder)
    proc = run_sitrep([*args, "--db", str(db)])
    assert proc.returncode == 2, proc.stderr
    assert "--since" in proc.stderr or "no run" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [["actors", "--kind", "banana"], ["places", "--kind", "banana"],
                                  ["relations", "--type", "banana"], ["events", "--type", "banana"],
                                  ["events", "--since", "2024-13-45"], ["timeline", "--since", "2024-13-45"]])
def test_unknown_kind_type_or_date_is_a_usage_error(seeds_db: Path, args: list[str]) -> None:
    proc = run_sitrep([*args, "--db", str(seeds_db)])
    assert proc.returncode == 2, proc.stderr
    assert args[2] in proc.stderr and "Traceback" not in proc.stderr
