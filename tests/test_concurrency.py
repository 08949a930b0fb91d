"""Concurrency: the web app keeps answering while an ingest writes; two ingests into one SQLite file
neither corrupt it nor duplicate documents."""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import (
    db_counts,
    require_pipeline,
    sitrep_command,
    store_problems,
    subprocess_env,
    write_invented_corpus,
)


def _web_app() -> Any:
    try:
        from sitrep.web.app import create_app
    except ImportError as exc:
        pytest.skip(f"sitrep.web.app.create_app not available yet: {exc}")
    return create_app


def _ids(db: Path) -> tuple[list[int], list[str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return ([r[0] for r in conn.execute("SELECT id FROM entities")],
                [r[0] for r in conn.execute("SELECT id FROM documents")])
    finally:
        conn.close()


def _routes(entity_ids: list[int], doc_ids: list[str], rng: random.Random) -> list[str]:
    routes = ["/", "/search?q=Taliban", "/api/search?q=Kandahar", "/api/graph", "/api/graph?places=true",
              "/api/events", "/timeline", "/api/places", "/healthz", "/map", "/graph"]
    if entity_ids:
        e = rng.choice(entity_ids)
        routes += [f"/actor/{e}", f"/api/actor/{e}"]
    if doc_ids:
        d = rng.choice(doc_ids)
        routes += [f"/doc/{d}", f"/api/doc/{d}"]
    return routes


def _start_ingest(paths: list[Path], db: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*sitrep_command(), "ingest", *map(str, paths), "--db", str(db), "--json", "-q",
                             *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=subprocess_env(), stdin=subprocess.DEVNULL)


def _overlapping(paths: list[Path], root: Path, a_end: int, b_start: int) -> tuple[Path, Path]:
    """Two input folders under ``root``: ``a`` with ``paths[:a_end]``, ``b`` with ``paths[b_start:]``."""
    a_dir, b_dir = root / "a", root / "b"
    for folder, part in ((a_dir, paths[:a_end]), (b_dir, paths[b_start:])):
        folder.mkdir()
        for p in part:
            (folder / p.name).write_bytes(p.read_bytes())
    return a_dir, b_dir


def test_web_answers_while_ingest_writes(fresh_copy_of_seeds_db: Path, tmp_path: Path) -> None:
    """In-process app (TestClient) over the database an ingest subprocess is writing: no 5xx, and the
    document count it reports only grows, ending at the ingest's total."""
    require_pipeline()
    create_app = _web_app()
    from fastapi.testclient import TestClient

    db = fresh_copy_of_seeds_db
    start_docs = db_counts(db)["documents"]
    write_invented_corpus(tmp_path / "incoming", 30, seed=21)
    rng = random.Random(1)
    statuses: dict[int, int] = {}
    bad: list[tuple[str, int, str]] = []
    seen_counts: list[int] = []
    proc = _start_ingest([tmp_path / "incoming"], db, "--batch-size", "2")
    try:
        with TestClient(create_app(str(db), rate=0), raise_server_exceptions=False) as client:
            while True:
                done = proc.poll() is not None
                entity_ids, doc_ids = _ids(db)
                for route in _routes(entity_ids, doc_ids, rng):
                    r = client.get(route)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                    if r.status_code != 200:
                        bad.append((route, r.status_code, r.text[:200]))
                    if route == "/healthz" and r.status_code == 200:
                        seen_counts.append(r.json()["documents"])
                if done:
                    break
    finally:
        out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    summary = json.loads(out)
    assert not bad, bad[:10]
    assert seen_counts == sorted(seen_counts), "document count went backwards"
    assert seen_counts[-1] == start_docs + summary["ingested"] == start_docs + 30
    assert len(set(seen_counts)) > 1 or len(seen_counts) < 3, "the app never saw the ingest's commits"
    print(f"\n{sum(statuses.values())} requests during ingest: {statuses}; document counts seen "
          f"{sorted(set(seen_counts))}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_served_app_answers_while_ingest_writes(fresh_copy_of_seeds_db: Path, tmp_path: Path) -> None:
    """`sitrep serve` on a loopback port in its own process, hit over HTTP while `sitrep ingest` writes."""
    require_pipeline()
    _web_app()
    import httpx

    db = fresh_copy_of_seeds_db
    port = _free_port()
    server = subprocess.Popen([*sitrep_command(), "serve", "--db", str(db), "--host", "127.0.0.1", "--port",
                               str(port), "--rate", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, env=subprocess_env(), stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, server.communicate()[1][-2000:]
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.2)
        write_invented_corpus(tmp_path / "incoming", 20, seed=22)
        proc = _start_ingest([tmp_path / "incoming"], db, "--batch-size", "2")
        rng = random.Random(2)
        bad: list[tuple[str, int]] = []
        n = 0
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                done = proc.poll() is not None
                entity_ids, doc_ids = _ids(db)
                for route in _routes(entity_ids, doc_ids, rng):
                    r = client.get(route)
                    n += 1
                    if r.status_code != 200:
                        bad.append((route, r.status_code))
                if done:
                    break
            final = client.get("/healthz").json()["documents"]
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        assert not bad, bad[:10]
        assert final == db_counts(db)["documents"]
        print(f"\n{n} HTTP requests during ingest, all 200")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_two_concurrent_ingests_overlapping(tmp_path: Path, seeds_dir: Path) -> None:
    """Two `sitrep ingest` processes, overlapping inputs, one new SQLite file: one row per document."""
    require_pipeline()
    paths = write_invented_corpus(tmp_path / "all", 40, seed=31)
    a_dir, b_dir = _overlapping(paths, tmp_path, 28, 12)  # a: 0..27, b: 12..39 -> 16 shared
    db = tmp_path / "shared.db"
    procs = [_start_ingest([a_dir, seeds_dir], db, "--batch-size", "3"),
             _start_ingest([b_dir, seeds_dir], db, "--batch-size", "3")]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err[-3000:]
        assert "Traceback" not in err
    summaries = [json.loads(out) for out, _ in results]
    n_seeds = sum(1 for p in seeds_dir.iterdir() if p.is_file())
    expected = 40 + n_seeds
    counts = db_counts(db)
    assert counts["documents"] == expected, (counts, summaries)
    assert counts["distinct_hashes"] == counts["documents"]
    assert counts["integrity_check"] == "ok"
    assert counts["fts_rows"] in (None, counts["documents"])
    assert store_problems(db) == []
    assert sum(s["ingested"] for s in summaries) == expected, summaries
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        dup_sources = conn.execute("SELECT source, COUNT(*) FROM documents GROUP BY source HAVING COUNT(*) > 1"
                                   ).fetchall()
        no_mentions = conn.execute("SELECT source FROM documents d WHERE source LIKE ? AND NOT EXISTS "
                                   "(SELECT 1 FROM mentions m WHERE m.doc_id = d.id)", ("%invented_%",)).fetchall()
        dup_entities = conn.execute("SELECT key, COUNT(*) FROM entities GROUP BY key HAVING COUNT(*) > 1").fetchall()
    finally:
        conn.close()
    assert not dup_sources and not no_mentions and not dup_entities, (dup_sources, no_mentions, dup_entities)


@pytest.mark.slow
def test_three_ingests_while_the_app_is_polled(tmp_path: Path, seeds_dir: Path) -> None:
    """Heavier mix: three ingests with the same 60 inputs while the app is polled; still one row each."""
    require_pipeline()
    create_app = _web_app()
    from fastapi.testclient import TestClient

    folder = tmp_path / "same"
    write_invented_corpus(folder, 60, seed=41)
    db = tmp_path / "three.db"
    first = subprocess.run([*sitrep_command(), "ingest", str(seeds_dir), "--db", str(db), "-q", "--json"],
                           capture_output=True, text=True, timeout=300, env=subprocess_env(), check=False)
    assert first.returncode == 0, first.stderr[-2000:]
    procs = [_start_ingest([folder], db, "--batch-size", str(b)) for b in (1, 4, 16)]
    bad: list[tuple[str, int]] = []
    with TestClient(create_app(str(db), rate=0), raise_server_exceptions=False) as client:
        while any(p.poll() is None for p in procs):
            for route in ("/", "/api/graph", "/api/events", "/search?q=Taliban"):
                r = client.get(route)
                if r.status_code != 200:
                    bad.append((route, r.status_code))
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
    assert not bad, bad[:10]
    counts = db_counts(db)
    n_seeds = sum(1 for p in seeds_dir.iterdir() if p.is_file())
    assert counts["documents"] == counts["distinct_hashes"] == 60 + n_seeds
    assert store_problems(db) == []


@pytest.mark.postgres
def test_two_concurrent_ingests_into_postgres_store_one_copy_each(tmp_path: Path, pg_schema_url: str) -> None:
    """The PostgreSQL store behaves like SQLite: two concurrent ingests of overlapping inputs give one row
    per document (they used to fail with UniqueViolation on documents_pkey), and a NUL in a JSONL title
    is stored without it."""
    require_pipeline()
    import psycopg

    db = pg_schema_url
    paths = write_invented_corpus(tmp_path / "all", 16, seed=41)
    a_dir, b_dir = _overlapping(paths, tmp_path, 12, 4)  # a: 0..11, b: 4..15 -> 8 shared
    feed = tmp_path / "feed.jsonl"
    text = paths[0].read_text(encoding="utf-8") + "\nA later note added by the desk.\n"
    feed.write_text(json.dumps({"id": "n", "title": "NUL\u0000 here", "text": text}) + "\n", encoding="utf-8")
    procs = [_start_ingest([a_dir, feed], db, "--batch-size", "2"), _start_ingest([b_dir, feed], db,
                                                                                   "--batch-size", "2")]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (_, err) in zip(procs, results, strict=True):
        assert "Traceback" not in err, err[-3000:]
        assert p.returncode == 0, err[-3000:]
    with psycopg.connect(db) as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM documents").fetchone()
        (distinct,) = conn.execute("SELECT COUNT(DISTINCT content_hash) FROM documents").fetchone()
        titles = [r[0] for r in conn.execute("SELECT title FROM documents WHERE source LIKE '%#n'")]
    assert n == distinct == 17
    assert titles == ["NUL here"]
