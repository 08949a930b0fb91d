"""Actor-graph latency on a large database, with where the time goes.

Builds (or reuses, with ``--db``) a bulk database the way ``bench/run.py`` does for its (f) figures
(synthetic DocResults written with ``store.write_batch``, no NLP), then times
``sitrep.query.graph.actor_graph(store, actor_id)`` over the most covered actors and a random spread of
the rest (the same choice as ``bench/run.py``), and prints p50/p95 and a per-stage profile of the
slowest actor.

    .venv/bin/python bench/graph_latency.py --docs 100000 --db /tmp/kb100k.db     # builds it once (slow)
    .venv/bin/python bench/graph_latency.py --docs 10000 --copies 10 --db /tmp/kb100k.db

``--copies K`` builds ``--docs`` documents and then stores each of them K times in all (new ids, the same
entities, facts and dates), in SQL: a database of K x ``--docs`` documents in seconds rather than the
better part of an hour, with as many mention and claim rows per actor as a bulk build of that size, but
fewer distinct facts (a copy corroborates the facts of its original).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):
    sys.path.insert(0, str(HERE.parent / "src"))
    sys.path.insert(0, str(HERE))

import run as bench_run  # noqa: E402

#: tables whose rows belong to one document, copied with it
DOC_TABLES = ("mentions", "relations", "quantities", "events", "doc_bands")


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]


def replicate(db: Path, copies: int) -> None:
    """Store every document ``copies`` times in all (SQL only; the full-text index is not extended)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        conn.execute("CREATE TEMP TABLE originals AS SELECT id FROM documents")
        doc_cols = _columns(conn, "documents")
        for k in range(1, copies):
            sel = ", ".join(f"id || 'c{k}'" if c == "id" else f"content_hash || 'c{k}'" if c == "content_hash"
                            else f"source || '#c{k}'" if c == "source" else c for c in doc_cols)
            conn.execute(f"INSERT INTO documents ({', '.join(doc_cols)}) SELECT {sel} FROM documents "  # noqa: S608
                         "WHERE id IN (SELECT id FROM temp.originals)")
            for table in DOC_TABLES:
                cols = [c for c in _columns(conn, table) if c != "id"]
                sel = ", ".join(f"doc_id || 'c{k}'" if c == "doc_id" else c for c in cols)
                conn.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {sel} FROM {table} "  # noqa: S608
                             "WHERE doc_id IN (SELECT id FROM temp.originals)")
        conn.execute("COMMIT")
        conn.execute("ANALYZE")
    finally:
        conn.close()


def profile_one(store: object, actor_id: int) -> str:
    from sitrep.query.graph import actor_graph

    prof = cProfile.Profile()
    prof.enable()
    actor_graph(store, actor_id=actor_id)  # type: ignore[arg-type]
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(18)
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser(description="Actor-graph latency on a large bulk-built database.")
    ap.add_argument("--db", type=Path, required=True, help="database file (built when missing)")
    ap.add_argument("--docs", type=int, default=100_000, help="documents to bulk-write when building")
    ap.add_argument("--copies", type=int, default=1, help="then store every document this many times in all")
    ap.add_argument("--reps", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the slowest actor's graph")
    args = ap.parse_args()
    if not 1 <= args.copies <= 100 or args.docs < 1 or args.reps < 1:
        raise SystemExit("--copies must be 1..100, --docs and --reps at least 1")
    if not args.db.exists():
        built = bench_run.build_bulk_db(str(args.db), args.docs, args.seed)
        print(f"built {args.db}: {built}")
        if args.copies > 1:
            t0 = time.perf_counter()
            replicate(args.db, args.copies)
            print(f"stored every document {args.copies} times in {time.perf_counter() - t0:.1f} s")

    from sitrep.query.graph import actor_graph
    from sitrep.store import open_store

    rng = random.Random(args.seed)
    with open_store(str(args.db), readonly=True) as store:
        stats = store.stats()
        print(f"{args.db}: {stats['documents']} documents, {stats['mentions']} mentions, "
              f"{stats['relations']} relation claims")
        actors = store.list_entities(places=False, limit=200)
        if not actors:
            raise SystemExit("no actors in the database")
        ids = [a["id"] for a in actors[:5]] + [a["id"] for a in rng.sample(actors, min(15, len(actors)))]
        actor_graph(store, actor_id=ids[0])  # warm the caches, not counted
        cpu: list[float] = []

        def timed(i: int) -> None:
            c0 = time.process_time()
            actor_graph(store, actor_id=i)
            cpu.append(time.process_time() - c0)

        figures, slow = bench_run._time_calls(timed, ids, args.reps)
        cpu_figures = bench_run._percentiles(cpu)
        print(f"actor graph (one actor's network): p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
              f"max {figures['max_ms']} ms over {figures['n']} calls (CPU p50 {cpu_figures['p50_ms']} ms, "
              f"p95 {cpu_figures['p95_ms']} ms); slowest actors {slow}")
        if args.profile and slow:
            print(profile_one(store, slow[0][0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
