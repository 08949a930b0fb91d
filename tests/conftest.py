"""Shared fixtures and helpers for the test suite.

Fixtures
--------
``shared_dir`` / ``seeds_dir``
    ``../shared`` beside the project and its five seed articles (the test is
    skipped with a clear reason when the folder is missing).
``nlp``
    Session-scoped: the spaCy pipeline (``sitrep.nlp.get_nlp()``), loaded once.
``attributed``
    Session-scoped: :func:`attributed_context` (text -> context with entities and sources).
``sample_kb`` / ``sample_kb_copy``
    The invented sample knowledge base of ``outputs_kb`` written once per session (read-only), and a
    private writable copy of it for one test.
``pg_schema_url``
    A PostgreSQL store URL whose tables land in a fresh schema of the server named by
    ``SITREP_TEST_PG`` (the test is skipped without one); the schema is dropped afterwards.
``seeds_db``
    Session-scoped: the seeds ingested ONCE into a temporary SQLite database;
    returns its path.  Treat it as read-only (copy it with ``copy_db`` first if
    a test must write).

Helpers (importable as ``from conftest import ...``)
----------------------------------------------------
``require_pipeline()``      skip unless the full analysis pipeline is importable
``key_of(ctx, name)``       the entity key of the mention whose text is ``name``
``credited(ctx, needle)``   the source ``source_for`` credits with the span of ``needle`` (after ``after``)
``sitrep_command()``        argv prefix that runs the ``sitrep`` CLI of this checkout
``run_sitrep(args, ...)``   run the CLI as a subprocess, returning ``CompletedProcess``
``write_invented_corpus()`` N short, distinct, invented articles naming known actors/places
``write_results(path, results)`` store hand-built ``DocResult``s in a new SQLite file; returns the path
``db_counts(path)``         row counts and consistency figures of a SQLite database
"""

from __future__ import annotations

import contextlib
import importlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "corpus" / "seeds"

# Modules the full ingest path (`sitrep ingest`, pipeline.analyse) needs.
PIPELINE_MODULES = (
    "sitrep.nlp",
    "sitrep.data",
    "sitrep.ingest.readers",
    "sitrep.ingest.document",
    "sitrep.extract.entities",
    "sitrep.extract.attribution",
    "sitrep.extract.relations",
    "sitrep.extract.quantities",
    "sitrep.extract.events",
    "sitrep.resolve.dedup",
    "sitrep.resolve.linking",
)


def pipeline_missing() -> str | None:
    """Why the full pipeline cannot run yet (a module or entry point missing), or None."""
    for name in PIPELINE_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            return f"pipeline not available yet: cannot import {name} ({exc})"
    nlp = importlib.import_module("sitrep.nlp")
    if not hasattr(nlp, "get_nlp"):
        return "pipeline not available yet: sitrep.nlp.get_nlp missing"
    data = importlib.import_module("sitrep.data")
    if not hasattr(data, "load_gazetteer"):
        return "pipeline not available yet: sitrep.data.load_gazetteer missing"
    return None


def require_pipeline() -> None:
    reason = pipeline_missing()
    if reason:
        pytest.skip(reason)


def attributed_context(text: str) -> Any:
    """An ``ExtractionContext`` for invented text with entities and sources filled, as the pipeline
    builds it before the fact extractors run (spaCy and the gazetteer are cached per process)."""
    from sitrep.data import load_gazetteer
    from sitrep.extract.attribution import attribute
    from sitrep.extract.context import ExtractionContext
    from sitrep.extract.entities import extract_entities
    from sitrep.models import Document, content_hash
    from sitrep.nlp import get_nlp

    doc = Document(id=content_hash(text)[:16], source="t", raw=text, text=text, content_hash=content_hash(text))
    ctx = ExtractionContext(document=doc, sdoc=get_nlp()(text), gazetteer=load_gazetteer())
    extract_entities(ctx)
    attribute(ctx)
    return ctx


def key_of(ctx: Any, name: str) -> str:
    """The entity key of the (first) mention whose text is ``name``."""
    return next(m.entity_key for m in ctx.mentions if m.text == name)


def credited(ctx: Any, needle: str, after: str = "") -> Any:
    """The source credited for the claim spanning ``needle`` (its first occurrence after ``after``)."""
    from sitrep.extract.attribution import source_for

    text = ctx.document.text
    start = text.index(needle, text.index(after) if after else 0)
    return source_for(ctx, start, start + len(needle))


def sitrep_command() -> list[str]:
    """The argv prefix that runs this checkout's ``sitrep`` CLI."""
    script = Path(sys.executable).with_name("sitrep")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from sitrep.cli import main; main()"]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SITREP_DB", None)
    env.setdefault("PYTHONHASHSEED", "0")
    env["COLUMNS"] = "200"  # rich never wraps a JSON line
    env.update(extra)
    return env


def run_sitrep(args: Sequence[str], *, timeout: float = 300, env: dict[str, str] | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*sitrep_command(), *args], capture_output=True, text=True, timeout=timeout,
        env=env or subprocess_env(), cwd=cwd, stdin=subprocess.DEVNULL, check=False,
    )


# --- invented corpus ----------------------------------------------------------------

_ACTORS = ("Taliban", "Haqqani Network", "National Resistance Front", "Tehrik-i-Taliban Pakistan",
           "Islamic State Khorasan Province", "Al-Qaeda", "Balochistan Liberation Army", "Al-Shabaab",
           "Boko Haram", "Jaish-e-Mohammed")
_PLACES = ("Kabul", "Kandahar", "Herat", "Panjshir", "Kunduz", "Nangarhar", "Helmand", "Peshawar",
           "Quetta", "Mogadishu")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_OFFICIALS = ("Ahmad Karimi", "Sara Nasiri", "Omar Haidari", "Layla Rahimi", "Yusuf Amiri", "Nadia Sultani")


def invented_article(i: int, rng: random.Random) -> tuple[str, str]:
    """One short invented news article (title, full text) naming known actors and places."""
    a, b, c = rng.sample(_ACTORS, 3)
    place, other = rng.sample(_PLACES, 2)
    day, month, year = rng.randint(1, 28), rng.choice(_MONTHS), rng.choice((2021, 2022, 2023, 2024))
    killed, fighters = rng.randint(2, 90), rng.choice((200, 500, 1_500, 4_000, 6_000))
    official = rng.choice(_OFFICIALS)
    title = f"{a} fighters attack checkpoint in {place} (report {i})"
    body = [
        title,
        "",
        f"{place}, {day} {month} {year}: At least {killed} people were killed when {a} fighters "
        f"attacked a police checkpoint in {place} on {rng.choice(_WEEKDAYS)}, officials said.",
        "",
        f"{official}, a spokesman for the provincial governor, said the {a} had about {fighters} "
        f"fighters in {other}. The {b} denied any role in the attack.",
        "",
        f"According to a United Nations report, the {a} is supported by the {c}, which has "
        f"operated in {other} since {year - rng.randint(1, 6)}.",
        "",
        f"Local residents told reporters that the fighting lasted {rng.randint(2, 9)} hours and that "
        f"the number of wounded was {rng.randint(3, 40)}. Reference code {i}-{rng.randint(10_000, 99_999)}.",
    ]
    return title, "\n".join(body) + "\n"


def write_invented_corpus(folder: Path, n: int, *, seed: int = 7) -> list[Path]:
    """Write ``n`` distinct invented articles as ``.txt`` files; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        _, text = invented_article(i, rng)
        p = folder / f"invented_{i:03d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


# --- database inspection ------------------------------------------------------------------


def connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)


def db_counts(path: Path) -> dict[str, Any]:
    """Row counts and consistency figures of a sitrep SQLite database (read-only)."""
    conn = connect_ro(path)
    try:
        out: dict[str, Any] = {}
        for table in ("documents", "entities", "mentions", "relations", "quantities", "events"):
            out[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        out["distinct_hashes"] = conn.execute("SELECT COUNT(DISTINCT content_hash) FROM documents").fetchone()[0]
        out["integrity_check"] = conn.execute("PRAGMA integrity_check").fetchone()[0]
        has_fts = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents_fts'").fetchone()
        out["fts_rows"] = conn.execute("SELECT COUNT(*) FROM documents_fts").fetchone()[0] if has_fts else None
        return out
    finally:
        conn.close()


def store_problems(path: Path) -> list[str]:
    """``integrity_problems()`` of the store, opened read-only."""
    from sitrep.store.sqlite import SQLiteStore

    store = SQLiteStore(path, readonly=True)
    try:
        return store.integrity_problems()
    finally:
        store.close()


def write_results(path: Path, results: Sequence[Any]) -> Path:
    """Write hand-built ``DocResult``s (no extraction) to the SQLite store at ``path``; return the path."""
    from sitrep.store.sqlite import SQLiteStore

    store = SQLiteStore(path)
    try:
        store.write_batch(list(results))
    finally:
        store.close()
    return path


def copy_db(src: Path, dst: Path) -> Path:
    """Copy a SQLite database consistently (backup API: WAL content included)."""
    s, d = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        s.backup(d)
    finally:
        s.close()
        d.close()
    return dst


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder {SHARED} not found")
    return SHARED


@pytest.fixture(scope="session")
def nlp() -> Any:
    from sitrep.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def attributed() -> Any:
    """``attributed_context``: text -> an ``ExtractionContext`` with entities and sources filled."""
    return attributed_context


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``outputs_kb.build_sample_kb`` written once; treat as read-only."""
    from outputs_kb import build_sample_kb

    return build_sample_kb(tmp_path_factory.mktemp("sample_kb") / "kb.db")


@pytest.fixture
def sample_kb_copy(sample_kb: Path, tmp_path: Path) -> Path:
    """A private writable copy of ``sample_kb`` (a closed store: the file is the whole database)."""
    return Path(shutil.copy(sample_kb, tmp_path / "kb.db"))


@contextlib.contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """A store URL on a fresh schema of the SITREP_TEST_PG server (the test is skipped without one),
    dropped on leaving; for fixtures of any scope."""
    from urllib.parse import quote

    url = os.environ.get("SITREP_TEST_PG", "").strip()
    if not url:
        pytest.skip("SITREP_TEST_PG is not set (run scripts/start_postgres.sh and export the URL it prints)")
    psycopg = pytest.importorskip("psycopg")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL at SITREP_TEST_PG is unreachable: {str(exc).strip()[:200]}")
    try:
        yield f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A store URL on a fresh schema of the SITREP_TEST_PG server (skipped without one), dropped after."""
    with fresh_pg_schema() as url:
        yield url


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    if not SEEDS.is_dir() or not any(SEEDS.iterdir()):
        pytest.skip(f"seed articles {SEEDS} not found")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_db(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The seed articles ingested once (in-process) into a SQLite file; returns its path. Read-only use."""
    require_pipeline()
    from sitrep.config import Settings
    from sitrep.pipeline import run_ingest
    from sitrep.store.sqlite import SQLiteStore

    path = tmp_path_factory.mktemp("seeds_db") / "seeds.db"
    store = SQLiteStore(path)
    try:
        summary = run_ingest([str(seeds_dir)], store, Settings())
    finally:
        store.close()
    assert summary.ingested > 0, f"no seed was ingested: {summary.to_dict()}"
    yield path


@pytest.fixture
def fresh_copy_of_seeds_db(seeds_db: Path, tmp_path: Path) -> Path:
    """A private writable copy of ``seeds_db``."""
    return copy_db(seeds_db, tmp_path / "seeds_copy.db")
