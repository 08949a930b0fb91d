"""A SQL implementation of :class:`~sitrep.store.base.Store`, shared by SQLite and PostgreSQL.

Queries are written once with ``?`` placeholders; a dialect rewrites them for
drivers that use ``%s``.  Every statement is parameterised: no value is ever
formatted into SQL text.
"""

from __future__ import annotations

import json
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sitrep.models import DocResult, Entity
from sitrep.resolve.linking import normalize
from sitrep.store.base import EDGE_COLUMNS, SCHEMA_VERSION, DocState, Row, Store, StoreError

DOCUMENT_FIELDS = ("title", "published", "publisher", "author", "url")  # metadata an input may update

FACT_COLUMNS = (
    "doc_id", "fact_key", "polarity", "modality", "source_id", "source_text",
    "start", "end_", "sent_start", "sent_end", "snippet", "extractor",
)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def schema(pk: str, blob_text: str = "TEXT") -> list[str]:
    """DDL of schema version 1; ``pk`` is the auto-increment primary key type."""
    claim_cols = """
        doc_id TEXT NOT NULL REFERENCES documents(id),
        fact_key TEXT NOT NULL,
        polarity TEXT NOT NULL DEFAULT 'asserted',
        modality TEXT,
        source_id BIGINT REFERENCES entities(id),
        source_text TEXT,
        start INTEGER NOT NULL,
        end_ INTEGER NOT NULL,
        sent_start INTEGER NOT NULL,
        sent_end INTEGER NOT NULL,
        snippet TEXT NOT NULL"""
    return [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
        f"""CREATE TABLE IF NOT EXISTS documents (
            id TEXT PRIMARY KEY, source TEXT NOT NULL, content_hash TEXT NOT NULL UNIQUE,
            format TEXT, title TEXT, published TEXT, publisher TEXT, author TEXT, url TEXT,
            raw {blob_text} NOT NULL, text {blob_text} NOT NULL, offsets TEXT, removed TEXT,
            near_duplicate_of TEXT, simhash BIGINT, meta TEXT, ingested_at TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS documents_source ON documents(source)",
        "CREATE INDEX IF NOT EXISTS documents_published ON documents(published)",
        "CREATE TABLE IF NOT EXISTS doc_bands (band INTEGER NOT NULL, value INTEGER NOT NULL, "
        "doc_id TEXT NOT NULL REFERENCES documents(id))",
        "CREATE INDEX IF NOT EXISTS doc_bands_bv ON doc_bands(band, value)",
        "CREATE INDEX IF NOT EXISTS doc_bands_doc ON doc_bands(doc_id)",
        f"""CREATE TABLE IF NOT EXISTS entities (
            id {pk}, key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL,
            gazetteer_id TEXT, parent_key TEXT, country TEXT, lat DOUBLE PRECISION, lon DOUBLE PRECISION,
            guessed INTEGER NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS entities_kind ON entities(kind)",
        "CREATE INDEX IF NOT EXISTS entities_parent ON entities(parent_key)",
        "CREATE INDEX IF NOT EXISTS entities_country ON entities(country)",
        """CREATE TABLE IF NOT EXISTS aliases (
            entity_id BIGINT NOT NULL REFERENCES entities(id), alias TEXT NOT NULL, norm TEXT NOT NULL,
            PRIMARY KEY (entity_id, norm))""",
        "CREATE INDEX IF NOT EXISTS aliases_norm ON aliases(norm)",
        f"""CREATE TABLE IF NOT EXISTS mentions (
            id {pk}, doc_id TEXT NOT NULL REFERENCES documents(id),
            entity_id BIGINT NOT NULL REFERENCES entities(id),
            start INTEGER NOT NULL, end_ INTEGER NOT NULL, sent_start INTEGER NOT NULL,
            sent_end INTEGER NOT NULL, text TEXT NOT NULL, label TEXT, how TEXT)""",
        "CREATE INDEX IF NOT EXISTS mentions_entity ON mentions(entity_id)",
        "CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_id)",
        f"""CREATE TABLE IF NOT EXISTS relations (
            id {pk}, subject_id BIGINT NOT NULL REFERENCES entities(id), type TEXT NOT NULL,
            object_id BIGINT NOT NULL REFERENCES entities(id), cue TEXT, {claim_cols})""",
        "CREATE INDEX IF NOT EXISTS relations_subject ON relations(subject_id)",
        "CREATE INDEX IF NOT EXISTS relations_object ON relations(object_id)",
        "CREATE INDEX IF NOT EXISTS relations_doc ON relations(doc_id)",
        "CREATE INDEX IF NOT EXISTS relations_key ON relations(fact_key)",
        f"""CREATE TABLE IF NOT EXISTS quantities (
            id {pk}, subject_id BIGINT NOT NULL REFERENCES entities(id), what TEXT NOT NULL,
            low DOUBLE PRECISION, high DOUBLE PRECISION, qualifier TEXT, text TEXT, {claim_cols})""",
        "CREATE INDEX IF NOT EXISTS quantities_subject ON quantities(subject_id)",
        "CREATE INDEX IF NOT EXISTS quantities_doc ON quantities(doc_id)",
        f"""CREATE TABLE IF NOT EXISTS events (
            id {pk}, type TEXT NOT NULL, sub_type TEXT, location_id BIGINT REFERENCES entities(id),
            date TEXT, date_text TEXT, killed INTEGER, killed_min INTEGER NOT NULL DEFAULT 0,
            wounded INTEGER, perpetrator_id BIGINT REFERENCES entities(id),
            target_id BIGINT REFERENCES entities(id), target_text TEXT, trigger TEXT, {claim_cols})""",
        "CREATE INDEX IF NOT EXISTS events_doc ON events(doc_id)",
        "CREATE INDEX IF NOT EXISTS events_location ON events(location_id)",
        "CREATE INDEX IF NOT EXISTS events_perpetrator ON events(perpetrator_id)",
        "CREATE INDEX IF NOT EXISTS events_date ON events(date)",
    ]


# Migrations: version -> statements that bring a database at version-1 up to it.
# ``schema()`` is version 1 and is never edited; every later change is a migration here,
# applied to new and old databases alike.
MIGRATIONS: dict[int, list[str]] = {
    # actor profiles on large databases: documents of an entity without touching other rows
    2: ["CREATE INDEX IF NOT EXISTS mentions_entity_doc ON mentions(entity_id, doc_id, start)"],
    # every fact records the extractor (name@version, sitrep.extract.registry) that made it
    3: [f"ALTER TABLE {table} ADD COLUMN extractor TEXT" for table in ("relations", "quantities", "events")],
    # every ingest is a recorded run, and every document names the run that stored it (sitrep runs, changes)
    4: ["CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, ended_at TEXT, "
        "command TEXT NOT NULL, inputs TEXT NOT NULL, counts TEXT, skipped TEXT, status TEXT NOT NULL)",
        "ALTER TABLE documents ADD COLUMN run_id INTEGER",
        "CREATE INDEX IF NOT EXISTS documents_run ON documents(run_id)"],
    # the actor graph (relation_edge_rows) reads an actor's claims and three columns of their documents
    # from indexes alone, not from the wide rows (snippets, article text)
    5: ["CREATE INDEX IF NOT EXISTS documents_facts ON documents(id, published, publisher, near_duplicate_of)",
        *(f"CREATE INDEX IF NOT EXISTS relations_graph_{end[0]} ON relations({end}, fact_key, type, {other}, "
          "polarity, modality, source_id, source_text, doc_id, start)"
          for end, other in (("subject_id", "object_id"), ("object_id", "subject_id")))],
    # ... with the end of each claim's span too: the claims credited to one statement (its document, start and
    # end) count as one source in the graph as on the pages
    6: [stmt for end, other in (("subject_id", "object_id"), ("object_id", "subject_id")) for stmt in (
        f"DROP INDEX IF EXISTS relations_graph_{end[0]}",
        f"CREATE INDEX IF NOT EXISTS relations_graph_{end[0]} ON relations({end}, fact_key, type, {other}, "
        "polarity, modality, source_id, source_text, doc_id, start, end_)")]
       # a generation that every transaction bumps where the engine keeps no count of its own (PostgreSQL:
       # ``data_version``), so that a reader keeps what it derives from the data only while the data holds;
       # a sitrep that knows no generation (schema 5 or older) refuses to write this database
       + ["INSERT INTO meta (key, value) VALUES ('generation', '0') ON CONFLICT DO NOTHING"],
}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_param(value: Any) -> Any:
    """Text as both engines store it: no NUL characters (PostgreSQL refuses them) and no lone
    surrogates (neither driver can encode them), so SQLite and PostgreSQL hold the same strings."""
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "")
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                value = _SURROGATE.sub("\ufffd", value)
    return value


def parse_version(value: Any, url: str) -> int:
    """The schema version stored in ``meta``, or a :class:`StoreError` saying it cannot be read."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise StoreError(f"{url}: the database's schema version {str(value)[:40]!r} is not one sitrep "
                         "knows (made by another program or a newer sitrep?); it was not changed") from None


class SQLStore(Store):
    """Shared SQL logic. Subclasses provide the connection, DDL and a few dialect hooks."""

    placeholder = "?"
    entity_cache_size = 50_000

    def __init__(self, url: str) -> None:
        self.url = url
        self._entity_ids: OrderedDict[str, int] = OrderedDict()
        #: (entity id, alias) pairs this connection has written in the current run: not written again
        self._aliases_written: set[tuple[int, str]] = set()
        self.run_id: int | None = None  # the run documents written now belong to (begin_run)
        #: values derived from the stored data, kept by a reader (the web page) while ``data_version`` holds
        self.read_cache: dict[str, Any] | None = None
        self.cached_version: int | None = None

    # -- dialect hooks ------------------------------------------------------------
    conn: Any

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(self._sql(sql), tuple(clean_param(p) for p in params))

    def _execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement over many rows of parameters (one call into the driver instead of one per row)."""
        if rows:
            self.conn.cursor().executemany(self._sql(sql), [tuple(clean_param(p) for p in r) for r in rows])

    # driver exceptions: any error of the engine, and those that only concern one document's values
    driver_errors: tuple[type[BaseException], ...] = ()
    value_errors: tuple[type[BaseException], ...] = ()

    def explain(self, exc: BaseException) -> str:
        """One line for an engine error met while using this store (for the CLI)."""
        return f"{self.url}: {_first_line(exc)}"

    def _retryable(self, exc: BaseException) -> bool:
        """True for a transient conflict with a concurrent writer (deadlock, serialization failure)."""
        return False

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cur = self._execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._execute(sql, params).fetchone()
        return row[0] if row else None

    def _begin(self) -> None:
        self._execute("BEGIN")

    def _commit(self) -> None:
        self._execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self._execute("ROLLBACK")
        except Exception:  # noqa: BLE001 - nothing to roll back
            pass

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return int(self._execute(sql + " RETURNING id", params).fetchone()[0])

    def _index_text(self, doc_id: str, title: str | None, text: str) -> None:
        """Full-text index hook (SQLite FTS5); default: none."""

    def _unindex_text(self, doc_id: str) -> None:
        """Remove a document from the full-text index; default: none."""

    def _ddl(self) -> list[str]:
        raise NotImplementedError

    # -- schema ---------------------------------------------------------------------
    def _has_meta(self) -> bool:
        raise NotImplementedError

    def _stored_version(self) -> int | None:
        """The schema version of an initialised database (None for an empty one), checked
        before anything is written: a newer or unreadable version raises :class:`StoreError`."""
        if not self._has_meta():
            return None
        current = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'")
        if current is None:
            return None
        version = parse_version(current, self.url)
        if version > SCHEMA_VERSION or version < 1:
            raise StoreError(
                f"{self.url}: database schema version {version} was made by a newer sitrep (this one "
                f"knows versions 1 to {SCHEMA_VERSION}); upgrade sitrep. The database was not changed."
            )
        return version

    def _init_schema(self) -> None:
        self._stored_version()  # refuse a newer or unknown schema before writing anything
        self._begin()
        try:
            self._execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            current = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'")
            if current is None:
                for stmt in self._ddl():
                    self._execute(stmt)
                self._execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")
                version = 1
            else:
                version = parse_version(current, self.url)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.url}: database schema version {version} was made by a newer sitrep (this one "
                    f"knows versions 1 to {SCHEMA_VERSION}); upgrade sitrep. The database was not changed."
                )
            for v in range(version + 1, SCHEMA_VERSION + 1):
                for stmt in MIGRATIONS.get(v, []):
                    self._execute(stmt)
            if version != SCHEMA_VERSION:
                self._execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
            self._commit()
        except BaseException:
            self._rollback()
            raise

    def data_version(self) -> int | None:
        """A number that changes whenever another connection commits to the database, or None when the
        engine cannot tell (then nothing derived from the data may be kept between reads)."""
        return None

    def schema_version(self) -> int:
        return parse_version(self._scalar("SELECT value FROM meta WHERE key = 'schema_version'") or 0, self.url)

    # -- write side ---------------------------------------------------------------------
    def has_content(self, content_hash: str) -> bool:
        return self._scalar("SELECT 1 FROM documents WHERE content_hash = ?", (content_hash,)) is not None

    def document_state(self, source: str, content_hash: str) -> tuple[DocState, str | None]:
        if self.has_content(content_hash):
            return "duplicate", None
        old = self._scalar("SELECT id FROM documents WHERE source = ? ORDER BY ingested_at DESC", (source,))
        return ("changed", old) if old is not None else ("new", None)

    def stale_versions(self, source: str, content_hash: str) -> list[str]:
        """Ids of stored documents from ``source`` whose content differs from ``content_hash``."""
        rows = self._all("SELECT id FROM documents WHERE source = ? AND content_hash <> ? ORDER BY ingested_at, id",
                         (source, content_hash))
        return [r["id"] for r in rows]

    def update_metadata(self, content_hash: str, values: dict[str, str], *,
                        normalise: Callable[[], dict[str, str]] | None = None) -> list[str]:
        """Give the document with this content the metadata in ``values`` (title, published, publisher,
        author, url) where it differs; returns the names of the fields changed.  With ``normalise``,
        ``values`` are the input's fields as given, normalised only when one differs from the stored value."""
        values = {k: clean_param(v) for k, v in values.items() if k in DOCUMENT_FIELDS and v}
        if not values:
            return []
        row = self._one(f"SELECT id, {', '.join(DOCUMENT_FIELDS)} FROM documents "  # noqa: S608 - fixed names
                        "WHERE content_hash = ?", (content_hash,))
        if row is None:
            return []
        if normalise is not None:
            if all(row.get(k) == v for k, v in values.items()):  # as stored: nothing to normalise or change
                return []
            values = {k: clean_param(v) for k, v in normalise().items() if k in DOCUMENT_FIELDS and v}
        changed = [k for k, v in values.items() if row.get(k) != v]
        if not changed:
            return []
        self._begin()
        try:
            self._execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in changed)} WHERE id = ?",  # noqa: S608
                          (*(values[k] for k in changed), row["id"]))
            if "title" in changed:
                self._unindex_text(row["id"])
                text = self._scalar("SELECT text FROM documents WHERE id = ?", (row["id"],))
                self._index_text(row["id"], values["title"], text)
            self._commit()
        except BaseException:
            self._rollback()
            raise
        return changed

    def write_batch(self, results: Sequence[DocResult], replace: Sequence[str] = (), *,
                    moves: dict[str, str] | None = None, failed: dict[str, str] | None = None,
                    near_duplicate_threshold: int = 6) -> list[str]:
        """Write one batch in one transaction. ``moves`` gives kept documents a new source (their content
        is still present there). A document whose values cannot be stored is left out and its reason put
        in ``failed`` (by document id) when given, else the batch fails; a failure of the engine (disk
        full, read-only file, corrupt database) rolls the whole batch back and raises StoreError."""
        for attempt in range(3):
            try:
                return self._write_batch(results, replace, moves or {}, failed, near_duplicate_threshold)
            except StoreError:
                raise
            except self.driver_errors as exc:
                if self._retryable(exc) and attempt < 2:
                    continue
                raise StoreError(f"{self.url}: {_first_line(exc)}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _write_batch(self, results: Sequence[DocResult], replace: Sequence[str], moves: dict[str, str],
                     failed: dict[str, str] | None, threshold: int) -> list[str]:
        written: list[str] = []
        self._begin()
        try:
            for doc_id in replace:
                self._delete(doc_id)
            for doc_id, source in moves.items():
                self._execute("UPDATE documents SET source = ? WHERE id = ?", (source, doc_id))
            for result in results:
                if failed is None:
                    if self._write_one(result, threshold):
                        written.append(result.document.id)
                    continue
                self._execute("SAVEPOINT sitrep_doc")
                try:
                    ok = self._write_one(result, threshold)
                except (UnicodeError, ValueError, OverflowError, TypeError, *self.value_errors) as exc:
                    self._execute("ROLLBACK TO SAVEPOINT sitrep_doc")
                    self._entity_ids.clear()  # ids inserted since the savepoint are gone
                    self._aliases_written.clear()
                    failed[result.document.id] = f"could not be stored: {_first_line(exc)}"
                    ok = False
                self._execute("RELEASE SAVEPOINT sitrep_doc")
                if ok:
                    written.append(result.document.id)
            self._commit()
        except BaseException:
            self._rollback()
            self._entity_ids.clear()  # ids inserted in the rolled-back transaction are gone
            self._aliases_written.clear()
            raise
        return written

    def _write_one(self, r: DocResult, threshold: int = 6) -> bool:
        r.warnings.extend(r.check_schema())  # the schema (src/sitrep/data/schema.yaml) decides what is stored
        d = r.document
        if self.has_content(d.content_hash):
            return False
        simhash = d.meta.get("simhash")
        near = d.near_duplicate_of or (self._near_duplicate(simhash, threshold) if simhash is not None else None)
        meta = {k: v for k, v in d.meta.items() if k != "simhash"}
        cur = self._execute(
            "INSERT INTO documents (id, source, content_hash, format, title, published, publisher, author, url, "
            "raw, text, offsets, removed, near_duplicate_of, simhash, meta, ingested_at, run_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (d.id, d.source, d.content_hash, d.format, d.title, d.published, d.publisher, d.author, d.url,
             d.raw, d.text, json.dumps(d.offsets), json.dumps(d.removed), near, simhash,
             json.dumps(meta, default=str), _now(), self.run_id),
        )
        if getattr(cur, "rowcount", 1) == 0:  # a concurrent writer stored the same document first
            return False
        d.near_duplicate_of = near
        if simhash is not None:
            from sitrep.resolve.dedup import bands

            self._execute_many("INSERT INTO doc_bands (band, value, doc_id) VALUES (?, ?, ?)",
                               [(i, value, d.id) for i, value in enumerate(bands(simhash))])
        self._index_text(d.id, d.title, d.text)

        ids = {e.key: self._upsert_entity(e) for e in r.entities}

        def eid(key: str | None) -> int | None:
            if key is None:
                return None
            if key not in ids:
                row = self._scalar("SELECT id FROM entities WHERE key = ?", (key,))
                if row is None:
                    return None
                ids[key] = int(row)
            return ids[key]

        mention_rows = []
        for m in r.mentions:
            entity_id = eid(m.entity_key)
            if entity_id is None:
                continue
            mention_rows.append(
                (d.id, entity_id, m.start, m.end, m.sent_start, m.sent_end, m.text, m.label, m.source_label))
        self._execute_many(
            "INSERT INTO mentions (doc_id, entity_id, start, end_, sent_start, sent_end, text, label, how) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", mention_rows)
        relations = []
        for rel in r.relations:
            s, o = eid(rel.subject_key), eid(rel.object_key)
            if s is None or o is None:
                continue
            relations.append(self._fact_row((s, rel.type, o, rel.cue), rel.fact_key(), rel.claim, eid))
        self._insert_facts("relations", ("subject_id", "type", "object_id", "cue"), relations)
        quantities = []
        for q in r.quantities:
            s = eid(q.subject_key)
            if s is None:
                continue
            quantities.append(self._fact_row((s, q.what, q.low, q.high, q.qualifier, q.text), q.fact_key(), q.claim,
                                             eid))
        self._insert_facts("quantities", ("subject_id", "what", "low", "high", "qualifier", "text"), quantities)
        events = [
            self._fact_row((ev.type, ev.sub_type, eid(ev.location_key), ev.date, ev.date_text, ev.killed,
                            int(ev.killed_min), ev.wounded, eid(ev.perpetrator_key), eid(ev.target_key),
                            ev.target_text, ev.trigger), ev.fact_key(), ev.claim, eid)
            for ev in r.events]
        self._insert_facts("events", ("type", "sub_type", "location_id", "date", "date_text", "killed", "killed_min",
                                      "wounded", "perpetrator_id", "target_id", "target_text", "trigger"), events)
        return True

    @staticmethod
    def _fact_row(values: tuple[Any, ...], fact_key: str, claim: Any, eid: Any) -> tuple[Any, ...]:
        """A fact's own ``values`` followed by its claim's (:data:`FACT_COLUMNS`)."""
        return values + (
            claim.doc_id, fact_key, claim.polarity, claim.modality, eid(claim.source_key), claim.source_text,
            claim.start, claim.end, claim.sent_start, claim.sent_end, claim.snippet, getattr(claim, "extractor", None),
        )

    def _insert_facts(self, table: str, cols: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        all_cols = cols + FACT_COLUMNS
        marks = ", ".join("?" for _ in all_cols)
        self._execute_many(f"INSERT INTO {table} ({', '.join(all_cols)}) VALUES ({marks})", rows)  # noqa: S608 - fixed names

    def _upsert_entity(self, e: Entity) -> int:
        cached = self._entity_ids.get(e.key)
        if cached is None:
            row = self._one("SELECT id, guessed FROM entities WHERE key = ?", (e.key,))
            if row is None:
                cached = self._insert_id(
                    "INSERT INTO entities (key, name, kind, gazetteer_id, parent_key, country, lat, lon, guessed) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (e.key, e.name, e.kind, e.gazetteer_id, e.parent, e.country, e.lat, e.lon, int(e.guessed)),
                )
            else:
                cached = int(row["id"])
                if row["guessed"] and not e.guessed:  # a confident kind beats a guessed one
                    self._execute("UPDATE entities SET kind = ?, guessed = 0 WHERE id = ?", (e.kind, cached))
            self._entity_ids[e.key] = cached
            if len(self._entity_ids) > self.entity_cache_size:
                self._entity_ids.popitem(last=False)
        written = self._aliases_written
        if len(written) > self.entity_cache_size:
            written.clear()
        rows = []
        for alias in dict.fromkeys((e.name, *e.aliases)):  # the name first: one spelling per norm whatever the hash seed
            if (cached, alias) in written:  # this run wrote it already
                continue
            written.add((cached, alias))
            norm = normalize(alias)
            if norm:
                rows.append((cached, alias[:300], norm[:300]))
        self._execute_many("INSERT INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           rows)
        return cached

    def _near_duplicate(self, simhash: int, threshold: int = 6) -> str | None:
        from sitrep.resolve.dedup import bands, hamming

        seen: set[str] = set()
        for i, value in enumerate(bands(simhash)):
            for row in self._all(
                "SELECT d.id, d.simhash, d.near_duplicate_of FROM doc_bands b JOIN documents d ON d.id = b.doc_id "
                "WHERE b.band = ? AND b.value = ? LIMIT 50", (i, value),
            ):
                if row["id"] in seen or row["simhash"] is None:
                    continue
                seen.add(row["id"])
                if hamming(int(row["simhash"]), simhash) <= threshold:
                    return row["near_duplicate_of"] or row["id"]
        return None

    def delete_document(self, doc_id: str) -> bool:
        self._begin()
        try:
            found = self._delete(doc_id)
            self._commit()
        except BaseException:
            self._rollback()
            raise
        return found

    def _delete(self, doc_id: str) -> bool:
        for table in ("mentions", "relations", "quantities", "events", "doc_bands"):
            self._execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))  # noqa: S608 - fixed names
        self._unindex_text(doc_id)
        self._execute("UPDATE documents SET near_duplicate_of = NULL WHERE near_duplicate_of = ?", (doc_id,))
        cur = self._execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return bool(getattr(cur, "rowcount", 1))

    # -- documents ------------------------------------------------------------------------
    _DOC_LIST = ("SELECT id, source, title, published, publisher, author, url, format, near_duplicate_of, "
                 "ingested_at, LENGTH(text) AS chars FROM documents")

    def get_document(self, doc_id: str) -> Row | None:
        row = self._one("SELECT * FROM documents WHERE id = ?", (doc_id,))
        if row is None:
            rows = self._all("SELECT * FROM documents WHERE id LIKE ? LIMIT 2", (doc_id.replace("%", "") + "%",))
            row = rows[0] if len(rows) == 1 else None
        if row is not None:
            for k in ("offsets", "removed", "meta"):
                row[k] = json.loads(row[k]) if row.get(k) else ([] if k != "meta" else {})
        return row

    def list_documents(self, limit: int = 100, offset: int = 0) -> list[Row]:
        return self._all(self._DOC_LIST + " ORDER BY ingested_at, id LIMIT ? OFFSET ?", (limit, offset))

    def iter_document_ids(self) -> Iterator[str]:
        last = ""
        while True:
            rows = self._all("SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT 1000", (last,))
            if not rows:
                return
            for r in rows:
                yield r["id"]
            last = rows[-1]["id"]

    def count_documents(self) -> int:
        return int(self._scalar("SELECT COUNT(*) FROM documents") or 0)

    # -- entities ---------------------------------------------------------------------------
    _ENTITY_COLS = "e.id, e.key, e.name, e.kind, e.gazetteer_id, e.parent_key, e.country, e.lat, e.lon, e.guessed"

    def get_entity(self, entity_id: int) -> Row | None:
        return self._one(f"SELECT {self._ENTITY_COLS} FROM entities e WHERE e.id = ?", (entity_id,))  # noqa: S608

    def entity_by_key(self, key: str) -> Row | None:
        return self._one(f"SELECT {self._ENTITY_COLS} FROM entities e WHERE e.key = ?", (key,))  # noqa: S608

    def find_entities(self, name: str, limit: int = 20) -> list[Row]:
        norm = normalize(name)
        if not norm:
            return []
        sql = (
            f"SELECT {self._ENTITY_COLS}, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions "  # noqa: S608
            "FROM entities e WHERE e.id IN (SELECT entity_id FROM aliases WHERE norm = ?) "
            "ORDER BY mentions DESC LIMIT ?"
        )
        rows = self._all(sql, (norm, limit))
        if not rows:  # fall back to a prefix match on any spelling
            like = norm.replace("%", "").replace("_", "") + "%"
            rows = self._all(sql.replace("WHERE norm = ?", "WHERE norm LIKE ?"), (like, limit))
        return rows

    def list_entities(self, kind: str | None = None, places: bool | None = None, q: str | None = None,
                      limit: int = 100, offset: int = 0) -> list[Row]:
        from sitrep.models import PLACE_KINDS

        where, params = ["1 = 1"], []
        if kind:
            where.append("e.kind = ?")
            params.append(kind)
        if places is not None:
            marks = ", ".join("?" for _ in PLACE_KINDS)
            where.append(f"e.kind {'IN' if places else 'NOT IN'} ({marks})")
            params.extend(PLACE_KINDS)
        if q:
            where.append("e.id IN (SELECT entity_id FROM aliases WHERE norm LIKE ?)")
            params.append("%" + normalize(q).replace("%", "").replace("_", "") + "%")
        sql = (
            f"SELECT {self._ENTITY_COLS}, COUNT(m.id) AS mentions, COUNT(DISTINCT m.doc_id) AS documents "  # noqa: S608
            f"FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE {' AND '.join(where)} "
            "GROUP BY e.id ORDER BY mentions DESC, e.name LIMIT ? OFFSET ?"
        )
        return self._all(sql, (*params, limit, offset))

    def aliases(self, entity_id: int) -> list[str]:
        rows = self._all("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY alias", (entity_id,))
        return [r["alias"] for r in rows]

    def mentions(self, entity_id: int | None = None, doc_id: str | None = None, limit: int = 1000) -> list[Row]:
        where, params = ["1 = 1"], []
        if entity_id is not None:
            where.append("m.entity_id = ?")
            params.append(entity_id)
        if doc_id is not None:
            where.append("m.doc_id = ?")
            params.append(doc_id)
        return self._all(
            "SELECT m.id, m.doc_id, m.entity_id, m.start, m.end_ AS \"end\", m.sent_start, m.sent_end, m.text, "  # noqa: S608
            "m.label, m.how, e.name AS entity, e.kind, e.key FROM mentions m JOIN entities e ON e.id = m.entity_id "
            f"WHERE {' AND '.join(where)} ORDER BY m.doc_id, m.start LIMIT ?",
            (*params, limit),
        )

    def places_within(self, entity_id: int) -> list[int]:
        ent = self.get_entity(entity_id)
        if ent is None:
            return []
        ids = {entity_id}
        if ent["kind"] == "country" and ent.get("country"):
            ids.update(r["id"] for r in self._all("SELECT id FROM entities WHERE country = ?", (ent["country"],)))
        frontier = [ent["key"]]
        while frontier and len(ids) < 10_000:
            key = frontier.pop()
            for r in self._all("SELECT id, key FROM entities WHERE parent_key = ?", (key,)):
                if r["id"] not in ids:
                    ids.add(r["id"])
                    frontier.append(r["key"])
        return sorted(ids)

    def entity_documents(self, entity_id: int, limit: int = 200) -> list[Row]:
        # count per document in the mentions index first, then join only the documents kept
        return self._all(
            "SELECT d.id, d.title, d.published, d.publisher, d.source, d.near_duplicate_of, c.mentions "
            "FROM (SELECT doc_id, COUNT(*) AS mentions FROM mentions WHERE entity_id = ? GROUP BY doc_id "
            "      ORDER BY mentions DESC, doc_id LIMIT ?) c JOIN documents d ON d.id = c.doc_id "
            "ORDER BY c.mentions DESC, d.id",
            (entity_id, limit),
        )

    def mention_counts(self, entity_ids: Sequence[int]) -> dict[int, Row]:
        out: dict[int, Row] = {}
        ids = list(entity_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self._all(
                "SELECT entity_id, COUNT(*) AS mentions, COUNT(DISTINCT doc_id) AS documents FROM mentions "  # noqa: S608
                f"WHERE entity_id IN ({', '.join('?' for _ in chunk)}) GROUP BY entity_id", chunk,
            ):
                out[int(r["entity_id"])] = {"mentions": r["mentions"], "documents": r["documents"]}
        return out

    # -- facts ------------------------------------------------------------------------------
    _CLAIM_SELECT = (
        "f.doc_id, f.fact_key, f.polarity, f.modality, f.source_id, src.name AS source, f.source_text, "
        "f.start, f.end_ AS \"end\", f.sent_start, f.sent_end, f.snippet, f.extractor, d.title AS doc_title, "
        "d.publisher, d.published AS doc_published, d.near_duplicate_of, d.meta AS doc_meta, d.source AS doc_source"
    )
    _CLAIM_JOIN = "JOIN documents d ON d.id = f.doc_id LEFT JOIN entities src ON src.id = f.source_id"

    @staticmethod
    def _keys_where(fact_keys: Sequence[str] | None, where: list[str], params: list[Any]) -> None:
        """Restrict claim rows to these fact keys (``None``: any; empty: none)."""
        if fact_keys is None:
            return
        where.append(f"f.fact_key IN ({', '.join('?' for _ in fact_keys)})" if fact_keys else "1 = 0")
        params += list(fact_keys)

    @staticmethod
    def _relation_where(entity_id: int | None, type: str | None, where: list[str], params: list[Any]) -> None:
        """Restrict relation claims to those about one entity (as subject or object) and of one type."""
        if entity_id is not None:
            where.append("(f.subject_id = ? OR f.object_id = ?)")
            params += [entity_id, entity_id]
        if type:
            where.append("f.type = ?")
            params.append(type)

    def relation_rows(self, entity_id: int | None = None, type: str | None = None, doc_id: str | None = None,
                      limit: int = 5000, *, fact_keys: Sequence[str] | None = None,
                      date_from: str | None = None, date_to: str | None = None) -> list[Row]:
        where, params = ["1 = 1"], []
        self._keys_where(fact_keys, where, params)
        self._date_bounds("d.published", date_from, date_to, where, params)
        self._relation_where(entity_id, type, where, params)
        if doc_id:
            where.append("f.doc_id = ?")
            params.append(doc_id)
        return self._all(
            f"SELECT f.id, f.subject_id, s.name AS subject, s.kind AS subject_kind, f.type, f.object_id, "  # noqa: S608
            f"o.name AS object, o.kind AS object_kind, f.cue, {self._CLAIM_SELECT} FROM relations f "
            f"JOIN entities s ON s.id = f.subject_id JOIN entities o ON o.id = f.object_id {self._CLAIM_JOIN} "
            f"WHERE {' AND '.join(where)} ORDER BY f.fact_key, f.doc_id, f.start LIMIT ?",
            (*params, limit),
        )

    #: an index hint for reading a claim's document columns from ``documents_facts`` (SQLite)
    _doc_facts_hint = ""
    #: appended to text comparisons that must follow code-point order (PostgreSQL's may follow a locale)
    binary_collation = ""

    def _date_bounds(self, column: str, date_from: str | None, date_to: str | None,
                     where: list[str], params: list[Any]) -> None:
        """Leave out rows dated (by ``column``) outside the range, as :func:`sitrep.query.filters.in_range`
        reads a (partial) ISO date; a value that does not start with four ASCII digits is kept."""
        if not date_from and not date_to:
            return
        from sitrep.query.filters import high, low

        day = f"SUBSTR({column}, 1, 10)"
        digits = " AND ".join(f"SUBSTR({column}, {i}, 1){self.binary_collation} BETWEEN '0' AND '9'"
                              for i in range(1, 5))
        tests = []
        if date_from:  # in range unless high(when) < low(from)
            tests.append(f"(CASE LENGTH({day}) WHEN 4 THEN {day} || '-12-31' WHEN 7 THEN {day} || '-31' "
                         f"ELSE {day} END){self.binary_collation} >= ?")
            params.append(low(date_from))
        if date_to:  # in range unless low(when) > high(to)
            tests.append(f"({day} || SUBSTR('-01-01', 1, 10 - LENGTH({day}))){self.binary_collation} <= ?")
            params.append(high(date_to))
        where.append(f"(NOT ({column} IS NOT NULL AND LENGTH({column}) >= 4 AND {digits}) "
                     f"OR ({' AND '.join(tests)}))")

    def relation_edge_rows(self, entity_id: int | None = None, type: str | None = None,
                           date_from: str | None = None, date_to: str | None = None,
                           limit: int = 100_000) -> list[Row]:
        return [dict(zip(EDGE_COLUMNS, r, strict=True))
                for r in self.relation_edge_tuples(entity_id, type, date_from, date_to, limit)]

    def relation_edge_tuples(self, entity_id: int | None = None, type: str | None = None,
                             date_from: str | None = None, date_to: str | None = None,
                             limit: int = 100_000) -> list[tuple[Any, ...]]:
        where, params = ["1 = 1"], []
        self._relation_where(entity_id, type, where, params)
        self._date_bounds("d.published", date_from, date_to, where, params)
        return list(self._execute(
            "SELECT f.fact_key, f.subject_id, f.type, f.object_id, f.polarity, f.modality, f.source_id, "  # noqa: S608
            "src.name AS source, f.source_text, f.doc_id, f.start, f.end_, d.publisher, d.near_duplicate_of, "
            f"d.published AS doc_published FROM relations f JOIN documents d{self._doc_facts_hint} ON d.id = f.doc_id "
            f"LEFT JOIN entities src ON src.id = f.source_id WHERE {' AND '.join(where)} "
            "ORDER BY f.fact_key, f.doc_id, f.start LIMIT ?",
            (*params, limit),
        ).fetchall())

    def entities_by_id(self, entity_ids: Sequence[int]) -> dict[int, Row]:
        out: dict[int, Row] = {}
        ids = sorted(set(entity_ids))
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for r in self._all(f"SELECT {self._ENTITY_COLS} FROM entities e "  # noqa: S608
                               f"WHERE e.id IN ({', '.join('?' for _ in chunk)})", chunk):
                out[int(r["id"])] = r
        return out

    def quantity_rows(self, entity_id: int | None = None, doc_id: str | None = None, limit: int = 5000, *,
                      fact_keys: Sequence[str] | None = None) -> list[Row]:
        where, params = ["1 = 1"], []
        self._keys_where(fact_keys, where, params)
        if entity_id is not None:
            where.append("f.subject_id = ?")
            params.append(entity_id)
        if doc_id:
            where.append("f.doc_id = ?")
            params.append(doc_id)
        return self._all(
            f"SELECT f.id, f.subject_id, s.name AS subject, s.kind AS subject_kind, f.what, f.low, f.high, "  # noqa: S608
            f"f.qualifier, f.text, {self._CLAIM_SELECT} FROM quantities f JOIN entities s ON s.id = f.subject_id "
            f"{self._CLAIM_JOIN} WHERE {' AND '.join(where)} ORDER BY f.fact_key, f.doc_id, f.start LIMIT ?",
            (*params, limit),
        )

    def event_rows(self, entity_id: int | None = None, place_ids: Sequence[int] | None = None,
                   since: str | None = None, type: str | None = None, doc_id: str | None = None,
                   limit: int = 5000, *, fact_keys: Sequence[str] | None = None) -> list[Row]:
        where, params = ["1 = 1"], []
        self._keys_where(fact_keys, where, params)
        if entity_id is not None:
            where.append("(f.perpetrator_id = ? OR f.target_id = ?)")
            params += [entity_id, entity_id]
        if place_ids is not None:
            if not place_ids:
                return []
            where.append(f"f.location_id IN ({', '.join('?' for _ in place_ids)})")
            params += list(place_ids)
        if since:
            where.append("COALESCE(f.date, d.published) >= ?")
            params.append(since)
        if type:
            where.append("f.type = ?")
            params.append(type)
        if doc_id:
            where.append("f.doc_id = ?")
            params.append(doc_id)
        return self._all(
            "SELECT f.id, f.type, f.sub_type, f.location_id, l.name AS location, l.kind AS location_kind, "  # noqa: S608
            "l.lat, l.lon, l.country, f.date, f.date_text, f.killed, f.killed_min, f.wounded, f.perpetrator_id, "
            "p.name AS perpetrator, f.target_id, t.name AS target, f.target_text, f.trigger, "
            f"{self._CLAIM_SELECT} FROM events f LEFT JOIN entities l ON l.id = f.location_id "
            "LEFT JOIN entities p ON p.id = f.perpetrator_id LEFT JOIN entities t ON t.id = f.target_id "
            f"{self._CLAIM_JOIN} WHERE {' AND '.join(where)} ORDER BY f.date, f.doc_id, f.start LIMIT ?",
            (*params, limit),
        )

    # -- runs (sitrep runs, sitrep changes) ------------------------------------------------
    def begin_run(self, command: str, inputs: Sequence[str]) -> int:
        """Record the start of an ingest run; documents written until :meth:`end_run` carry its id."""
        self._aliases_written.clear()  # analyst decisions applied since the last run may have removed some
        for _ in range(5):  # ids are MAX+1 (portable); a concurrent run taking the same id retries
            self._begin()
            try:
                run_id = int(self._scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM runs") or 1)
                cur = self._execute(
                    "INSERT INTO runs (id, started_at, command, inputs, status) VALUES (?, ?, ?, ?, 'running') "
                    "ON CONFLICT DO NOTHING", (run_id, _now(), command, json.dumps(list(inputs))))
                self._commit()
            except BaseException:
                self._rollback()
                raise
            if getattr(cur, "rowcount", 1):
                self.run_id = run_id
                return run_id
        raise StoreError(f"{self.url}: could not record the run (too many concurrent runs)")

    def end_run(self, run_id: int, counts: dict[str, Any], skipped: Sequence[dict[str, Any]], status: str) -> None:
        self._execute("UPDATE runs SET ended_at = ?, counts = ?, skipped = ?, status = ? WHERE id = ?",
                      (_now(), json.dumps(counts), json.dumps(list(skipped)), status, run_id))
        if self.run_id == run_id:
            self.run_id = None

    def list_runs(self, limit: int = 1000) -> list[Row]:
        """Recorded runs, oldest first, with ``inputs``, ``counts`` and ``skipped`` decoded."""
        if self._scalar("SELECT value FROM meta WHERE key = 'schema_version'") in ("1", "2", "3"):
            return []  # a database not yet opened for writing by this sitrep has no runs table
        rows = self._all("SELECT * FROM runs ORDER BY id LIMIT ?", (limit,))
        for r in rows:
            for k in ("inputs", "counts", "skipped"):
                r[k] = json.loads(r[k]) if r.get(k) else ([] if k != "counts" else {})
        return rows

    def document_runs(self) -> list[Row]:
        """``id``, ``run_id`` and ``ingested_at`` of every document (what each run added)."""
        if self._scalar("SELECT value FROM meta WHERE key = 'schema_version'") in ("1", "2", "3"):
            return self._all("SELECT id, NULL AS run_id, ingested_at FROM documents")
        return self._all("SELECT id, run_id, ingested_at FROM documents")

    def _new_docs(self, alias: str, after_run: int | None, since_day: str | None) -> tuple[str, str, Any]:
        """(documents stored after run / on or after the day, the other documents, the parameter)."""
        if after_run is not None:
            return (f"{alias}.run_id > ?", f"({alias}.run_id IS NULL OR {alias}.run_id <= ?)", after_run)
        return f"{alias}.ingested_at >= ?", f"{alias}.ingested_at < ?", since_day

    def new_document_ids(self, after_run: int | None = None, since_day: str | None = None) -> list[str]:
        """Ids of the documents stored by runs after ``after_run`` (or on/after ``since_day``, UTC)."""
        new, _, value = self._new_docs("d", after_run, since_day)
        return [r["id"] for r in self._all(f"SELECT d.id FROM documents d WHERE {new} ORDER BY d.id", (value,))]  # noqa: S608

    def changed_fact_keys(self, table: str, after_run: int | None = None, since_day: str | None = None) -> list[str]:
        """Fact keys of ``table`` (relations, quantities, events) held by a document stored after the run/day."""
        if table not in ("relations", "quantities", "events"):
            raise ValueError(f"not a fact table: {table!r}")
        new, _, value = self._new_docs("d", after_run, since_day)
        return [r["fact_key"] for r in self._all(
            f"SELECT DISTINCT x.fact_key FROM {table} x JOIN documents d ON d.id = x.doc_id WHERE {new} "  # noqa: S608
            "ORDER BY x.fact_key", (value,))]

    def new_entity_mentions(self, after_run: int | None = None, since_day: str | None = None) -> list[Row]:
        """The first mention of each entity that documents stored after the run/day name and no earlier
        document does (``entity_id``, ``entity``, ``kind``, ``doc_id``, ``text``), in mention order."""
        new, _, value = self._new_docs("d", after_run, since_day)
        _, old2, _ = self._new_docs("d2", after_run, since_day)
        return self._all(
            "SELECT m.entity_id, e.name AS entity, e.kind, m.doc_id, m.text FROM mentions m "  # noqa: S608
            "JOIN entities e ON e.id = m.entity_id WHERE m.id IN (SELECT MIN(m1.id) FROM mentions m1 "
            f"JOIN documents d ON d.id = m1.doc_id WHERE {new} AND NOT EXISTS (SELECT 1 FROM mentions m2 "
            f"JOIN documents d2 ON d2.id = m2.doc_id WHERE m2.entity_id = m1.entity_id AND {old2}) "
            "GROUP BY m1.entity_id) ORDER BY m.id", (value, value))

    # -- search & health -------------------------------------------------------------------
    def search_documents(self, q: str, limit: int = 20) -> list[Row]:
        like = "%" + q.replace("%", "").replace("_", "") + "%"
        return self._all(self._DOC_LIST + " WHERE title LIKE ? ORDER BY published DESC LIMIT ?", (like, limit))

    def integrity_problems(self) -> list[str]:
        problems: list[str] = []
        checks = {
            "mentions without a document": "SELECT COUNT(*) FROM mentions WHERE doc_id NOT IN (SELECT id FROM documents)",
            "mentions without an entity": "SELECT COUNT(*) FROM mentions WHERE entity_id NOT IN (SELECT id FROM entities)",
        }
        for table in ("relations", "quantities", "events", "doc_bands"):
            checks[f"{table} without a document"] = (
                f"SELECT COUNT(*) FROM {table} WHERE doc_id NOT IN (SELECT id FROM documents)"  # noqa: S608
            )
        for name, sql in checks.items():
            n = int(self._scalar(sql) or 0)
            if n:
                problems.append(f"{n} {name}")
        return problems

    def stats(self) -> Row:
        out: Row = {"url": self.url, "schema_version": self.schema_version()}
        for table in ("documents", "entities", "mentions", "relations", "quantities", "events"):
            out[table] = int(self._scalar(f"SELECT COUNT(*) FROM {table}") or 0)  # noqa: S608 - fixed names
        out["near_duplicates"] = int(
            self._scalar("SELECT COUNT(*) FROM documents WHERE near_duplicate_of IS NOT NULL") or 0)
        return out
