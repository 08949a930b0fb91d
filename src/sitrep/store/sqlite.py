"""SQLite store: the embedded default (one file, WAL mode, FTS5 search when available)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from sitrep.store.base import Row, StoreError
from sitrep.store.sql import SQLStore, schema

QUICK_CHECK_MAX_BYTES = 512 * 1024 * 1024  # larger files get the schema and header checks only when opened


class SQLiteStore(SQLStore):
    driver_errors = (sqlite3.Error,)
    value_errors = (sqlite3.DataError, sqlite3.InterfaceError)

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        super().__init__(str(path))
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path} is a folder, not a database file")
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path} does not exist (run `sitrep ingest` first)")
        if not readonly:
            self._check_writable()
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                            timeout=30)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        try:
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=60000")
            if self._scalar("SELECT COUNT(*) FROM sqlite_master") and not self._has_meta():
                raise StoreError(f"{self.path} is an SQLite database but not a sitrep knowledge base")
            version = self._stored_version()  # a newer or unknown schema: refused before any write
            if readonly and version is None:
                raise StoreError(f"{self.path} is not a sitrep database (run `sitrep ingest` first)")
            if not readonly:
                if version is not None:
                    self._check_integrity()
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self._fts = self._has_fts5()
            if not readonly:
                self._init_schema()
            if self._scalar("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'documents_facts'"):
                self._doc_facts_hint = " INDEXED BY documents_facts"  # without statistics the planner reads the row
        except StoreError:
            self.conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(describe_error(self.path, exc)) from exc

    def _check_writable(self) -> None:
        """Refuse, before opening, a database that cannot be written (read-only file, folder or file system)."""
        parent = self.path.parent if str(self.path.parent) else Path(".")
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder of the database {self.path}: {exc.strerror or exc}") from exc
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise StoreError(f"{self.path} is read-only: sitrep cannot ingest into it (commands that only read "
                             "it still work)")
        if not os.access(parent, os.W_OK):
            raise StoreError(f"the folder {parent} is read-only (or on a read-only file system): sitrep needs to "
                             f"write {self.path} and its journal there")

    def _check_integrity(self) -> None:
        """A quick integrity check before writing, so that a corrupt file is never written into."""
        size = self.path.stat().st_size if self.path.exists() else 0
        if size > QUICK_CHECK_MAX_BYTES:
            self._scalar("SELECT COUNT(*) FROM documents")
            return
        result = self._scalar("PRAGMA quick_check")
        if result != "ok":
            raise StoreError(f"{self.path} is corrupt (sqlite quick_check: {str(result).splitlines()[0][:200]}); "
                             "it was not written to. Restore a backup or ingest into a new file.")

    def data_version(self) -> int | None:
        return int(self._scalar("PRAGMA data_version"))

    def _has_meta(self) -> bool:
        return self._scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'") is not None

    def explain(self, exc: BaseException) -> str:
        return describe_error(self.path, exc)

    def _begin(self) -> None:
        self._execute("BEGIN IMMEDIATE")

    def _has_fts5(self) -> bool:
        try:
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_probe USING fts5(x)")
            self.conn.execute("DROP TABLE IF EXISTS temp.fts_probe")
            return True
        except sqlite3.OperationalError:
            return False

    def _ddl(self) -> list[str]:
        ddl = schema("INTEGER PRIMARY KEY AUTOINCREMENT")
        if self._fts:
            ddl.append("CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(doc_id UNINDEXED, title, text)")
        return ddl

    def _index_text(self, doc_id: str, title: str | None, text: str) -> None:
        if self._fts:
            self._execute("INSERT INTO documents_fts (doc_id, title, text) VALUES (?, ?, ?)", (doc_id, title or "", text))

    def _unindex_text(self, doc_id: str) -> None:
        if self._fts:
            self._execute("DELETE FROM documents_fts WHERE doc_id = ?", (doc_id,))

    def search_documents(self, q: str, limit: int = 20) -> list[Row]:
        terms = [t for t in "".join(c if c.isalnum() else " " for c in q).split() if t][:12]
        if not self._fts or not terms:
            return super().search_documents(q, limit)
        match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
        return self._all(
            "SELECT d.id, d.source, d.title, d.published, d.publisher, d.author, d.url, d.format, "
            "d.near_duplicate_of, d.ingested_at, LENGTH(d.text) AS chars, "
            "snippet(documents_fts, 2, '[', ']', ' … ', 12) AS snippet "
            "FROM documents_fts f JOIN documents d ON d.id = f.doc_id WHERE documents_fts MATCH ? "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        )

    def mention_counts(self, entity_ids: Sequence[int]) -> dict[int, Row]:
        # one entity per statement: SQLite then counts the distinct documents in the order of the
        # (entity_id, doc_id) index, where over a list of entities it sorts them in a temporary B-tree
        out: dict[int, Row] = {}
        for entity_id in dict.fromkeys(entity_ids):
            mentions, documents = self._execute(
                "SELECT COUNT(*), COUNT(DISTINCT doc_id) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()
            if mentions:
                out[int(entity_id)] = {"mentions": mentions, "documents": documents}
        return out

    def integrity_problems(self) -> list[str]:
        problems = []
        result = self._scalar("PRAGMA integrity_check")
        if result != "ok":
            problems.append(f"sqlite integrity_check: {result}")
        fk = self._all("PRAGMA foreign_key_check")
        if fk:
            problems.append(f"{len(fk)} foreign key violations")
        return problems + super().integrity_problems()

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


def describe_error(path: object, exc: BaseException) -> str:
    """One line for an SQLite error met while opening or reading a database."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = text.lower()
    if "malformed" in low or "not a database" in low or "decode" in low or "corrupt" in low:
        return f"{path} is corrupt or not an SQLite database ({text})"
    if "readonly" in low or "read-only" in low:
        return f"{path} is read-only ({text})"
    if "disk is full" in low or "disk i/o" in low:
        return f"{path}: {text} (is the disk full?)"
    if "no such column" in low or "no such table" in low:
        return f"{path} has a schema this sitrep does not know ({text}); was it made by a newer sitrep?"
    return f"{path} is not a usable SQLite database ({text})"
