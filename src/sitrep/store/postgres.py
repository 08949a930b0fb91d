"""PostgreSQL store for teams: the shared SQL of :class:`SQLStore` over psycopg 3.

* ``%s`` placeholders (the shared queries are written with ``?``; no shared
  query contains a literal ``%``, values always travel as parameters);
* an autocommit connection with explicit ``BEGIN``/``COMMIT``, so a batch is one
  transaction exactly as with SQLite;
* full-text search over a ``documents_fts`` table holding a ``tsvector`` per
  document with a GIN index (filled by the ``_index_text`` hook), and an
  ``ILIKE`` fallback for queries with no searchable word;
* schema creation serialised with an advisory lock, so two processes opening a
  fresh database at once do not race;
* ``readonly=True`` opens a read-only session and refuses a database sitrep
  never initialised.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sitrep.store.base import Row, StoreError
from sitrep.store.sql import SQLStore, schema

_SCHEMA_LOCK = 0x5173_7265_7000  # advisory lock key held while creating / migrating the schema
TS_CONFIG = "english"
MAX_INDEXED_CHARS = 900_000  # a tsvector is limited to 1 MB; longer texts are indexed up to here


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a declared dependency
        raise StoreError("PostgreSQL needs psycopg 3: pip install 'psycopg[binary]'") from exc
    return psycopg


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"


class PostgresStore(SQLStore):
    placeholder = "%s"
    binary_collation = ' COLLATE "C"'

    def __init__(self, url: str, readonly: bool = False) -> None:
        super().__init__(_redact(url))
        psycopg = _psycopg()
        self.readonly = readonly
        self._errors = psycopg.Error
        self.driver_errors = (psycopg.Error,)
        self.value_errors = (psycopg.DataError,)
        self._transient = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)
        try:
            self.conn = psycopg.connect(url, autocommit=True, connect_timeout=10,
                                        application_name="sitrep")
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self.url}: {str(exc).strip()}") from exc
        try:
            if readonly:
                self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                if self._stored_version() is None:
                    raise StoreError(f"{self.url} is not a sitrep database (run `sitrep ingest` first)")
            else:
                self._init_schema()
        except StoreError:
            self.conn.close()
            raise
        except psycopg.Error as exc:
            self.conn.close()
            raise StoreError(f"{self.url}: cannot use the database: {str(exc).strip()}") from exc

    # -- dialect hooks ------------------------------------------------------------
    def _ddl(self) -> list[str]:
        return schema("BIGSERIAL PRIMARY KEY") + [
            "CREATE TABLE IF NOT EXISTS documents_fts ("
            "doc_id TEXT PRIMARY KEY REFERENCES documents(id), tsv TSVECTOR NOT NULL)",
            "CREATE INDEX IF NOT EXISTS documents_fts_tsv ON documents_fts USING GIN (tsv)",
        ]

    def _init_schema(self) -> None:
        self.conn.execute("SELECT pg_advisory_lock(%s)", (_SCHEMA_LOCK,))
        try:
            super()._init_schema()
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (_SCHEMA_LOCK,))

    def _has_meta(self) -> bool:
        return self._scalar("SELECT to_regclass('meta')") is not None

    def _commit(self) -> None:
        # every transaction moves the database's generation on (last, so its row lock is held only while
        # committing): readers keep what they derive from the data while it is unchanged (``data_version``)
        self._execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'generation'")
        super()._commit()

    def data_version(self) -> int | None:
        """The generation every committed transaction moves on (None on a database not yet at schema 6)."""
        value = self._scalar("SELECT value FROM meta WHERE key = 'generation'")
        try:
            return None if value is None else int(value)
        except ValueError:
            return None

    def _retryable(self, exc: BaseException) -> bool:
        return isinstance(exc, self._transient)

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        if sql.lstrip().upper().startswith("INSERT INTO ENTITIES"):
            # Another writer may have inserted the same key since our SELECT: take its row.
            sql += " ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key"
        return super()._insert_id(sql, params)

    def _index_text(self, doc_id: str, title: str | None, text: str) -> None:
        self._execute(
            f"INSERT INTO documents_fts (doc_id, tsv) VALUES (?, "  # noqa: S608 - constant config name
            f"setweight(to_tsvector('{TS_CONFIG}', ?), 'A') || to_tsvector('{TS_CONFIG}', ?))",
            (doc_id, title or "", text[:MAX_INDEXED_CHARS]),
        )

    def _unindex_text(self, doc_id: str) -> None:
        self._execute("DELETE FROM documents_fts WHERE doc_id = ?", (doc_id,))

    # -- search -----------------------------------------------------------------------
    def search_documents(self, q: str, limit: int = 20) -> list[Row]:
        terms = [t for t in "".join(c if c.isalnum() else " " for c in q).split() if t][:12]
        query = " ".join(terms)
        if terms and self._scalar(f"SELECT numnode(plainto_tsquery('{TS_CONFIG}', ?))", (query,)):
            return self._all(
                "SELECT d.id, d.source, d.title, d.published, d.publisher, d.author, d.url, d.format, "  # noqa: S608
                "d.near_duplicate_of, d.ingested_at, LENGTH(d.text) AS chars, "
                f"ts_headline('{TS_CONFIG}', LEFT(d.text, 20000), hit.q, "
                "'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=\" … \"') "
                "AS snippet FROM ("
                f"  SELECT f.doc_id, f.q, ts_rank(f.tsv, f.q) AS rank FROM "
                f"  (SELECT doc_id, tsv, plainto_tsquery('{TS_CONFIG}', ?) AS q FROM documents_fts) f "
                "  WHERE f.tsv @@ f.q ORDER BY rank DESC, f.doc_id LIMIT ?"
                ") hit JOIN documents d ON d.id = hit.doc_id ORDER BY hit.rank DESC, d.id",
                (query, limit),
            )
        like = "%" + q.strip().replace("\\", "").replace("%", "").replace("_", "") + "%"
        if like == "%%":
            return []
        return self._all(
            self._DOC_LIST + " WHERE title ILIKE ? OR text ILIKE ? ORDER BY published DESC NULLS LAST, id LIMIT ?",
            (like, like, limit),
        )

    # -- health -----------------------------------------------------------------------------
    def integrity_problems(self) -> list[str]:
        problems = super().integrity_problems()
        checks = {
            "documents without a search index entry":
                "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
                "(SELECT 1 FROM documents_fts f WHERE f.doc_id = d.id)",
            "search index entries without a document":
                "SELECT COUNT(*) FROM documents_fts f WHERE NOT EXISTS "
                "(SELECT 1 FROM documents d WHERE d.id = f.doc_id)",
            "aliases without an entity":
                "SELECT COUNT(*) FROM aliases a WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = a.entity_id)",
        }
        for name, sql in checks.items():
            n = int(self._scalar(sql) or 0)
            if n:
                problems.append(f"{n} {name}")
        return problems

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001
            pass
