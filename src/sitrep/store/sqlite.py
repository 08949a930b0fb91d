"""SQLite store: the embedded default (one file, WAL mode, FTS5 search when available)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sitrep.store.base import Row, StoreError
from sitrep.store.sql import SQLStore, schema


class SQLiteStore(SQLStore):
    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        super().__init__(str(path))
        self.path = Path(path)
        try:
            if readonly:
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                            timeout=30)
            else:
                if self.path.parent and not self.path.parent.exists():
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        try:
            if not readonly:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=60000")
            self._fts = self._has_fts5()
            if not readonly:
                self._init_schema()
            elif self._scalar("SELECT name FROM sqlite_master WHERE name = 'meta'") is None:
                raise StoreError(f"{self.path} is not a sitrep database (run `sitrep ingest` first)")
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise StoreError(f"{self.path} is not a usable SQLite database: {exc}") from exc

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
