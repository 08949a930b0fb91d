"""``sitrep changes --since RUN|DATE``: exactly what later runs added, with citations; bad values exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import require_pipeline, run_sitrep
from test_store import pg_url  # noqa: F401 - the PostgreSQL fixture

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


# -- credibility, and computed in SQL: what changed costs what changed, not the size of the knowledge base --

def _filler(n: int) -> list:
    """``n`` earlier articles, each a new incident and one more claim of one old fact (never touched later)."""
    from datetime import date, timedelta

    from filters_kb import Article

    out = []
    for i in range(n):
        day = (date(2024, 1, 1) + timedelta(days=i)).isoformat()
        out.append(Article(day, f"Filler Post {i}", [
            f"Patrol {i}: the Red Hand Brigade is allied with the Blue Lantern Front, and the Red Hand Brigade "
            f"attacked a post in Port Verin."],
            events=[dict(type="Battles", place="place:XA-verin", date=day, killed=1, perp="actor:rhb",
                         needle="attacked a post")],
            relations=[("actor:rhb", "ally_of", "actor:blf", "allied with the Blue Lantern Front")]))
    return out


def _kb(tmp_path: Path, n: int) -> Path:
    from filters_kb import ARTICLES, RUN_ONE, build_filters_kb

    filler = _filler(n)
    return build_filters_kb(tmp_path / f"kb-{n}.db", filler + ARTICLES, split=len(filler) + RUN_ONE)


def test_credibility_changes_are_listed(tmp_path: Path) -> None:
    from sitrep.query.changes import changes
    from sitrep.store.sqlite import SQLiteStore

    db = _kb(tmp_path, 0)
    with SQLiteStore(db, readonly=True) as store:
        result = changes(store, "1")
    assert [(c["fact"], c["credibility_before"], c["credibility_now"]) for c in result["credibility_changed"]] == [
        ("Iron Gate Militia supports Red Hand Brigade", 4, 1)]
    assert result["credibility_changed"][0]["citations"][0]["source"] == "Arcadian Monitoring Office"
    assert [c["sources_now"] for c in result["corroboration_changed"]] == [2]
    proc = run_sitrep(["changes", "--since", "1", "--db", str(db)])
    assert proc.returncode == 0 and "Credibility changed: 1" in proc.stdout and "(credibility 4 -> 1)" in proc.stdout


def _measure(db: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, int, int]:
    from sitrep.query.changes import changes
    from sitrep.store.sql import SQLStore
    from sitrep.store.sqlite import SQLiteStore

    seen = {"queries": 0, "rows": 0}
    real = SQLStore._all

    def counting(self: SQLStore, sql: str, params=()):  # noqa: ANN001
        rows = real(self, sql, params)
        seen["queries"] += 1
        seen["rows"] += len(rows)
        return rows

    with SQLiteStore(db, readonly=True) as store:
        monkeypatch.setattr(SQLStore, "_all", counting)
        result = changes(store, "1")
        monkeypatch.setattr(SQLStore, "_all", real)
    return result, seen["queries"], seen["rows"]


def test_changes_reads_only_what_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, q_small, rows_small = _measure(_kb(tmp_path, 20), monkeypatch)
    large, q_large, rows_large = _measure(_kb(tmp_path, 400), monkeypatch)
    assert {k: len(v) for k, v in small.items() if k not in ("since", "documents")} == \
        {k: len(v) for k, v in large.items() if k not in ("since", "documents")}
    assert len(large["documents"]) == 3
    # 20 times more earlier documents (each with an incident and a claim of an untouched fact): the same
    # number of queries and the same rows read, far fewer rows than the knowledge base holds
    assert q_large == q_small, (q_small, q_large)
    assert rows_large == rows_small < 100, (rows_small, rows_large)


@pytest.mark.postgres
def test_changes_in_sql_on_postgres(pg_url: str) -> None:  # noqa: F811 - the fixture imported above
    from filters_kb import build_filters_kb
    from sitrep.query.changes import changes
    from sitrep.store import open_store

    build_filters_kb(pg_url)
    with open_store(pg_url, readonly=True) as store:
        by_run = changes(store, "1")
        by_day = changes(store, "2000-01-01")
    assert [a["name"] for a in by_run["new_actors"]] == ["Silent Owl Cell"]
    assert [(c["credibility_before"], c["credibility_now"]) for c in by_run["credibility_changed"]] == [(4, 1)]
    assert len(by_run["documents"]) == 3 and len(by_run["new_events"]) == 2
    assert len(by_day["documents"]) == 9 and by_day["credibility_changed"] == []
