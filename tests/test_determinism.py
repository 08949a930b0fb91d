"""The same articles give the same knowledge base whatever Python's hash seed: rows, their order and
the spelling stored for each alias (a set's iteration order must never choose what is written)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from conftest import require_pipeline, run_sitrep, subprocess_env

TABLES = ("entities", "aliases", "mentions", "relations", "quantities", "events")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T[0-9:.+\-]+")  # ingest times differ between runs


def _dump(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as con:
        return {t: [_STAMP.sub("", repr(row)) for row in con.execute(f"SELECT * FROM {t} ORDER BY 1, 2")]
                for t in TABLES}


@pytest.mark.slow
def test_two_hash_seeds_store_the_same_rows(tmp_path: Path, seeds_dir: Path) -> None:
    require_pipeline()
    dumps = []
    for seed in ("1", "2"):
        db = tmp_path / f"kb{seed}.db"
        env = {**subprocess_env(), "PYTHONHASHSEED": seed}
        res = run_sitrep(["ingest", str(seeds_dir), "--db", str(db), "--quiet"], env=env)
        assert res.returncode == 0, res.stderr
        dumps.append(_dump(db))
    for table in TABLES:
        assert dumps[0][table], table
        assert dumps[0][table] == dumps[1][table], table
