"""Crash safety: SIGKILL `sitrep ingest` at various points; the database must stay consistent and a re-run
must complete it with exactly one copy of every document.

The process group is killed (``start_new_session`` + ``killpg``) so ``--workers`` children die too, like
in a power cut.  After every kill the database is opened as a restarted ingest would open it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass
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

N_INVENTED = 60


@dataclass
class Kill:
    after_s: float
    docs_before: int
    docs_after: int
    finished_first: bool


def _ingest_argv(paths: list[Path], db: Path, *extra: str) -> list[str]:
    return [*sitrep_command(), "ingest", *map(str, paths), "--db", str(db), "--json", "-q", "--batch-size", "4",
            *extra]


def _doc_count(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0
    finally:
        conn.close()


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            env=subprocess_env(), start_new_session=True)


def _kill_after(argv: list[str], db: Path, after_s: float) -> Kill:
    before = _doc_count(db)
    proc = _start(argv)
    deadline = time.monotonic() + after_s
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    finished = proc.poll() is not None
    if not finished:
        os.killpg(proc.pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    if finished:
        assert b"Traceback" not in err, err.decode()[-3000:]
    return Kill(after_s, before, _doc_count(db), finished)


def check_consistent(db: Path, invented_sources: set[str]) -> list[str]:
    """What is wrong with the database after a crash (empty when consistent)."""
    if not db.exists():
        return []
    problems: list[str] = []
    conn = sqlite3.connect(db, timeout=30)  # read-write: recovers the WAL like a restarted ingest
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone() is None:
            return []
        conn.execute("PRAGMA wal_checkpoint")  # fold the WAL in: the check must see what a reader sees
        rows = conn.execute(
            "SELECT d.id, d.source, d.content_hash, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id), "
            "(SELECT COUNT(*) FROM relations r WHERE r.doc_id = d.id) + "
            "(SELECT COUNT(*) FROM quantities q WHERE q.doc_id = d.id) + "
            "(SELECT COUNT(*) FROM events e WHERE e.doc_id = d.id) FROM documents d").fetchall()
        for doc_id, source, _, mentions, _facts in rows:
            if source in invented_sources and mentions == 0:
                problems.append(f"document {doc_id} ({source}) names known actors but has no mentions")
        by_source: dict[str, int] = {}
        for _, source, _, _, _ in rows:
            by_source[source] = by_source.get(source, 0) + 1
        problems += [f"{n} documents for source {s}" for s, n in by_source.items() if n > 1]
    finally:
        conn.close()
    counts = db_counts(db)
    if counts["integrity_check"] != "ok":
        problems.append(f"PRAGMA integrity_check: {counts['integrity_check']}")
    if counts["distinct_hashes"] != counts["documents"]:
        problems.append(f"{counts['documents']} documents but {counts['distinct_hashes']} distinct hashes")
    if counts["fts_rows"] is not None and counts["fts_rows"] != counts["documents"]:
        problems.append(f"full-text index has {counts['fts_rows']} rows for {counts['documents']} documents")
    problems += [f"integrity_problems: {p}" for p in store_problems(db)]
    return problems


def per_doc_counts(db: Path) -> dict[str, tuple[int, int, int, int]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0]: tuple(r[1:]) for r in conn.execute(
            "SELECT d.content_hash, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id), "
            "(SELECT COUNT(*) FROM relations r WHERE r.doc_id = d.id), "
            "(SELECT COUNT(*) FROM quantities q WHERE q.doc_id = d.id), "
            "(SELECT COUNT(*) FROM events e WHERE e.doc_id = d.id) FROM documents d")}
    finally:
        conn.close()


@pytest.fixture(scope="module")
def crash_corpus(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> dict[str, Any]:
    require_pipeline()
    folder = tmp_path_factory.mktemp("crash") / "invented"
    paths = write_invented_corpus(folder, N_INVENTED, seed=11)
    texts = {p.read_text(encoding="utf-8") for p in paths}
    assert len(texts) == N_INVENTED
    seeds = sorted(p for p in seeds_dir.iterdir() if p.is_file())
    return {"paths": [folder, seeds_dir], "invented": {str(p) for p in paths},
            "expected": N_INVENTED + len(seeds)}


def _crash_and_resume(tmp_path: Path, corpus: dict[str, Any], kill_points: list[float],
                      extra: tuple[str, ...] = ()) -> tuple[list[Kill], Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = tmp_path / "crash.db"
    argv = _ingest_argv(corpus["paths"], db, *extra)
    kills: list[Kill] = []
    for after in kill_points:
        k = _kill_after(argv, db, after)
        kills.append(k)
        problems = check_consistent(db, corpus["invented"])
        assert not problems, f"after SIGKILL at {after:.2f} s ({k}):\n" + "\n".join(problems)
    res = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=subprocess_env(), check=False)
    assert res.returncode == 0, f"resume exit {res.returncode}: {res.stderr[-3000:]}"
    assert "Traceback" not in res.stderr
    summary = json.loads(res.stdout)
    problems = check_consistent(db, corpus["invented"])
    assert not problems, "after the resumed run:\n" + "\n".join(problems)
    counts = db_counts(db)
    assert counts["documents"] == corpus["expected"], (counts, summary, kills)
    assert counts["distinct_hashes"] == corpus["expected"]
    print("\nkill points:", *(f"{k.after_s:.2f}s docs {k.docs_before}->{k.docs_after}"
                              f"{' (finished first)' if k.finished_first else ''}" for k in kills), sep="\n  ")
    return kills, db


def test_sigkill_then_resume(tmp_path: Path, crash_corpus: dict[str, Any]) -> None:
    """Short variant: a few fixed kill points and one seeded random one, then a full resume."""
    rng = random.Random(20240601)
    _crash_and_resume(tmp_path, crash_corpus, [0.5, 2.5, 4.5, round(rng.uniform(3.0, 7.0), 2)])


@pytest.fixture(scope="module")
def reference_db(crash_corpus: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The crash corpus ingested without interruption."""
    ref = tmp_path_factory.mktemp("reference") / "reference.db"
    res = subprocess.run(_ingest_argv(crash_corpus["paths"], ref), capture_output=True, text=True, timeout=600,
                         env=subprocess_env(), check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    return ref


def _same_as_reference(db: Path, ref: Path) -> None:
    a, b = per_doc_counts(db), per_doc_counts(ref)
    assert a.keys() == b.keys()
    differ = {h[:12]: (a[h], b[h]) for h in a if a[h] != b[h]}
    assert not differ, f"per-document (mentions, relations, quantities, events) crashed vs reference: {differ}"


@pytest.mark.slow
def test_sigkill_random_points_match_uninterrupted_run(tmp_path: Path, crash_corpus: dict[str, Any],
                                                       reference_db: Path) -> None:
    """Long variant: a fresh database per seeded random kill point (spread over the run), two kills then a
    resume each; the final database equals an uninterrupted run's, document by document."""
    rng = random.Random(7)
    for i in range(6):
        points = sorted(round(rng.uniform(1.5, 7.5), 2) for _ in range(2))
        _, db = _crash_and_resume(tmp_path / f"run{i}", crash_corpus, points)
        _same_as_reference(db, reference_db)


def _kill_after_commits(argv: list[str], db: Path, commits: int, delay_s: float) -> Kill:
    """Kill ``delay_s`` after the document count has changed ``commits`` times (lands near a commit)."""
    before = _doc_count(db)
    proc = _start(argv)
    seen, changes, t0 = before, 0, time.monotonic()
    while proc.poll() is None and changes < commits and time.monotonic() - t0 < 120:
        n = _doc_count(db)
        if n != seen:
            seen, changes = n, changes + 1
        time.sleep(0.003)
    time.sleep(delay_s)
    finished = proc.poll() is not None
    if not finished:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    return Kill(time.monotonic() - t0, before, _doc_count(db), finished)


@pytest.mark.slow
def test_sigkill_right_after_commits(tmp_path: Path, crash_corpus: dict[str, Any], reference_db: Path) -> None:
    """Kills timed from the database itself: a few milliseconds after a batch commit, i.e. while the next
    batch is written or the WAL is checkpointed."""
    rng = random.Random(3)
    db = tmp_path / "commits.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    argv = _ingest_argv(crash_corpus["paths"], db)
    for _ in range(6):
        k = _kill_after_commits(argv, db, rng.randint(1, 3), rng.uniform(0.0, 0.05))
        problems = check_consistent(db, crash_corpus["invented"])
        assert not problems, f"after {k}:\n" + "\n".join(problems)
        print(f"\nkill after commits: {k}")
    res = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=subprocess_env(), check=False)
    assert res.returncode == 0, res.stderr[-3000:]
    assert not check_consistent(db, crash_corpus["invented"])
    _same_as_reference(db, reference_db)


@pytest.mark.slow
def test_sigkill_with_worker_processes(tmp_path: Path, crash_corpus: dict[str, Any]) -> None:
    """--workers 2: killing the whole process group mid-run leaves a consistent database."""
    rng = random.Random(99)
    _crash_and_resume(tmp_path, crash_corpus, [round(rng.uniform(6.0, 16.0), 2) for _ in range(4)],
                      extra=("--workers", "2"))


@pytest.mark.slow
def test_sigkill_while_replacing_changed_articles(tmp_path: Path, crash_corpus: dict[str, Any]) -> None:
    """Changed articles replace their old version (delete + insert in one transaction): a kill during
    the replacement never loses a source nor keeps two versions of it."""
    folder = tmp_path / "changing"
    paths = write_invented_corpus(folder, 30, seed=3)
    corpus = {"paths": [folder], "invented": {str(p) for p in paths}, "expected": 30}
    db = tmp_path / "crash.db"
    argv = _ingest_argv([folder], db)
    first = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=subprocess_env(), check=False)
    assert first.returncode == 0, first.stderr[-2000:]
    for p in paths:
        p.write_text(p.read_text(encoding="utf-8") + "\nUpdated: officials later revised the toll.\n",
                     encoding="utf-8")
    rng = random.Random(5)
    for after in [round(rng.uniform(2.5, 8.0), 2) for _ in range(4)]:
        _kill_after(argv, db, after)
        problems = check_consistent(db, corpus["invented"])
        assert not problems, f"after SIGKILL at {after} s during replacement:\n" + "\n".join(problems)
        conn = sqlite3.connect(db)
        try:
            sources = {r[0] for r in conn.execute("SELECT source FROM documents")}
        finally:
            conn.close()
        assert sources == corpus["invented"], f"sources lost: {corpus['invented'] - sources}"
    final = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=subprocess_env(), check=False)
    assert final.returncode == 0, final.stderr[-2000:]
    conn = sqlite3.connect(db)
    try:
        texts = [r[0] for r in conn.execute("SELECT raw FROM documents")]
    finally:
        conn.close()
    assert len(texts) == 30 and all("Updated: officials later revised" in t for t in texts)
