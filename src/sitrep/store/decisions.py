"""Analyst decisions kept in the knowledge base and applied on top of extraction.

A decision (merge, split, alias, kind, rename, reject, confirm, grade) is a row of the
``decisions`` table: id, kind, args (JSON), who, when, why, status.  :func:`apply_all` replays
every decision, in the order they were made, over what extraction wrote; the pipeline calls it
at the end of every ingest, so a re-ingested or re-extracted document never brings a corrected
fact back wrong.  Applying a decision twice changes nothing (each is written as "make it so").

A claim's id (:func:`claim_id`) is derived from where its article comes from (the document's
source: its path, URL or feed link), what it states (the relation type, the quantity, the event type)
and its sentence with the claim's place in it, so the same sentence keeps its id however often the
article is re-ingested, when the article is corrected elsewhere, and when a merge or split changes
the entities (and so the fact key) it is about.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sitrep.resolve.linking import normalize
from sitrep.store.base import Row, Store

KINDS = ("merge", "split", "alias_add", "alias_remove", "kind", "rename", "reject", "confirm", "grade")
FACT_TABLES = ("relations", "quantities", "events")
_DDL = ("CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, "
        "args TEXT NOT NULL, who TEXT, made_at TEXT NOT NULL, why TEXT, status TEXT NOT NULL)")
# entity-id columns of each fact table
_ENTITY_COLUMNS = {"relations": ("subject_id", "object_id", "source_id"), "quantities": ("subject_id", "source_id"),
                   "events": ("location_id", "perpetrator_id", "target_id", "source_id")}


class DecisionError(ValueError):
    """A decision that cannot be made; ``missing`` is True for an unknown name or claim id."""

    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def _digest(text: str, size: int) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]  # noqa: S324 - an id, not security


def source_prefix(doc_source: str) -> str:
    """The first part of the ids of every claim of the article stored from ``doc_source``."""
    return _digest(doc_source, 8)


def claim_id(row: Row) -> str:
    """The stable id of a stored claim (see the module's docstring); ``row`` carries ``doc_source``
    (the document's source, as the store's fact rows do) or falls back to its document id."""
    source = str(row.get("doc_source") or row["doc_id"])
    end = row.get("end", row.get("end_"))
    base = int(row.get("sent_start") or 0)
    what = row.get("type") or row.get("what") or ""
    sentence = " ".join(str(row.get("snippet") or "").split())
    raw = f"{what}|{row.get('cue') or row.get('trigger') or ''}|{int(row['start']) - base}|{int(end) - base}|{sentence}"
    return f"{source_prefix(source)}-{_digest(raw, 10)}"


def legacy_claim_id(row: Row) -> str:
    """The id claims had before ids survived article changes and merges (decisions made then still match)."""
    raw = f"{row['doc_id']}|{row['fact_key']}|{row['start']}|{row.get('end', row.get('end_'))}"
    return f"{str(row['doc_id'])[:8]}-{_digest(raw, 10)}"


def decision_id(kind: str, args: dict[str, Any]) -> str:
    """The same decision made twice (or imported twice) has the same id."""
    args = {k: v for k, v in args.items() if k != "claim_row"}  # what apply adds does not change the id
    raw = kind + json.dumps(args, sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]  # noqa: S324 - an id, not security


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    kind: str
    status: str  # "applied" or "not applicable: <why>"


def _sql(store: Store) -> Any:
    if not hasattr(store, "_execute"):
        raise DecisionError(f"{store.url}: this store does not keep decisions")
    return store


def ensure_table(store: Store) -> None:
    _sql(store)._execute(_DDL)


def list_decisions(store: Store) -> list[Row]:
    s = _sql(store)
    try:  # a knowledge base nobody corrected has no table (and a read-only one cannot make it)
        rows = s._all("SELECT id, seq, kind, args, who, made_at, why, status FROM decisions ORDER BY seq")
    except s.driver_errors:
        return []
    for r in rows:
        r["args"] = json.loads(r["args"])
    return rows


def record(store: Store, kind: str, args: dict[str, Any], who: str, why: str | None = None,
           made_at: str | None = None) -> tuple[Row, bool]:
    """Store a decision (not yet applied); returns it and whether it is new."""
    if kind not in KINDS:
        raise DecisionError(f"unknown decision kind {kind!r} (known: {', '.join(KINDS)})")
    s = _sql(store)
    ensure_table(store)
    did = decision_id(kind, args)
    old = s._one("SELECT id FROM decisions WHERE id = ?", (did,))
    if old is None:
        seq = int(s._scalar("SELECT COALESCE(MAX(seq), 0) FROM decisions") or 0) + 1
        s._begin()
        try:
            s._execute("INSERT INTO decisions (id, seq, kind, args, who, made_at, why, status) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (did, seq, kind, json.dumps(args, sort_keys=True, ensure_ascii=False), who,
                        made_at or datetime.now(UTC).isoformat(timespec="seconds"), why, "pending"))
            s._commit()
        except BaseException:
            s._rollback()
            raise
    row = next(r for r in list_decisions(store) if r["id"] == did)
    return row, old is None


# -- applying ---------------------------------------------------------------------------------------
def entity_named(store: Store, name: str, exclude: int | None = None) -> Row | None:
    """The entity one of whose spellings is exactly ``name`` (normalised), the most mentioned first.

    ``exclude``: an entity id not to return (a merge looks for the *other* entity that spelling names,
    which a re-ingest may have brought back beside the one it was merged into).
    """
    norm = normalize(name)
    if not norm:
        return None
    rows = _sql(store)._all(
        "SELECT e.id, e.key, e.name, e.kind, (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS n "
        "FROM entities e WHERE e.id IN (SELECT entity_id FROM aliases WHERE norm = ?) AND e.id != ? "
        "ORDER BY n DESC, e.id", (norm, -1 if exclude is None else exclude))
    return rows[0] if rows else None


def _rekey(s: Any, table: str, ids: list[int] | None, old: str, new: str) -> None:
    """Replace entity key ``old`` by ``new`` in the fact keys of ``table`` (only rows ``ids`` when given)."""
    from sitrep.data import schema

    rows = s._all(f"SELECT id, fact_key FROM {table} WHERE fact_key LIKE ?",  # noqa: S608 - fixed names
                  ("%" + old.replace("%", "").replace("_", "_") + "%",))
    wanted = set(ids) if ids is not None else None
    for r in rows:
        if wanted is not None and r["id"] not in wanted:
            continue
        parts = r["fact_key"].split("|")
        if old not in parts:
            continue
        parts = [new if p == old else p for p in parts]
        if table == "relations" and len(parts) == 3:
            subject, obj = schema().canonical_pair(parts[0], parts[1], parts[2])
            parts = [subject, parts[1], obj]
        s._execute(f"UPDATE {table} SET fact_key = ? WHERE id = ?", ("|".join(parts), r["id"]))  # noqa: S608


def _move_facts(s: Any, old: Row, new: Row, doc_ids: set[str] | None = None) -> None:
    for table, columns in _ENTITY_COLUMNS.items():
        ids: list[int] | None = None
        if doc_ids is not None:
            ids = [r["id"] for d in doc_ids for r in s._all(
                f"SELECT id FROM {table} WHERE doc_id = ? AND ({' OR '.join(f'{c} = ?' for c in columns)})",  # noqa: S608
                (d, *(old["id"] for _ in columns)))]
            if not ids:
                continue
        for c in columns:
            if ids is None:
                s._execute(f"UPDATE {table} SET {c} = ? WHERE {c} = ?", (new["id"], old["id"]))  # noqa: S608
            else:
                for i in ids:
                    s._execute(f"UPDATE {table} SET {c} = ? WHERE id = ? AND {c} = ?",  # noqa: S608
                               (new["id"], i, old["id"]))
        _rekey(s, table, ids, old["key"], new["key"])


def _add_alias(s: Any, entity_id: int, alias: str) -> None:
    s._execute("INSERT INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
               (entity_id, alias[:300], normalize(alias)[:300]))


def _need(store: Store, name: str) -> Row:
    ent = entity_named(store, name)
    if ent is None:
        raise DecisionError(f"no entity called {name!r}", missing=True)
    return ent


def _merge(store: Store, args: dict[str, Any]) -> None:
    into = _need(store, args["into"])
    other = entity_named(store, args["other"], exclude=into["id"])
    if other is None:
        if entity_named(store, args["other"]) is not None:
            return  # the spelling names only ``into``: merged already
        raise DecisionError(f"no entity called {args['other']!r}", missing=True)
    s = _sql(store)
    s._execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (into["id"], other["id"]))
    _move_facts(s, other, into)
    for alias in store.aliases(other["id"]):
        _add_alias(s, into["id"], alias)
    s._execute("DELETE FROM aliases WHERE entity_id = ?", (other["id"],))
    s._execute("UPDATE entities SET parent_key = ? WHERE parent_key = ?", (into["key"], other["key"]))


def _split(store: Store, args: dict[str, Any]) -> None:
    ent, alias = _need(store, args["name"]), args["alias"]
    norm = normalize(alias)
    s = _sql(store)
    key = "analyst:" + norm
    if ent["key"] == key:
        return
    new = store.entity_by_key(key)
    if new is None:
        s._insert_id("INSERT INTO entities (key, name, kind, guessed) VALUES (?, ?, ?, 0)", (key, alias, ent["kind"]))
        new = store.entity_by_key(key)
    assert new is not None
    moved_docs: set[str] = set()
    for m in s._all("SELECT id, doc_id, text FROM mentions WHERE entity_id = ?", (ent["id"],)):
        if normalize(m["text"]) == norm:
            s._execute("UPDATE mentions SET entity_id = ? WHERE id = ?", (new["id"], m["id"]))
            moved_docs.add(m["doc_id"])
    # facts move with the spelling where the document names the entity only by it
    only = {d for d in moved_docs
            if not s._scalar("SELECT 1 FROM mentions WHERE entity_id = ? AND doc_id = ?", (ent["id"], d))}
    if only:
        _move_facts(s, ent, new, only)
    s._execute("DELETE FROM aliases WHERE entity_id = ? AND norm = ?", (ent["id"], norm))
    _add_alias(s, new["id"], alias)


def _alias(store: Store, args: dict[str, Any], add: bool) -> None:
    ent = _need(store, args["name"])
    s = _sql(store)
    if add:
        _add_alias(s, ent["id"], args["alias"])
    else:
        s._execute("DELETE FROM aliases WHERE entity_id = ? AND norm = ?", (ent["id"], normalize(args["alias"])))


def _kind(store: Store, args: dict[str, Any]) -> None:
    ent = _need(store, args["name"])
    _sql(store)._execute("UPDATE entities SET kind = ?, guessed = 0 WHERE id = ?", (args["kind"], ent["id"]))


def _rename(store: Store, args: dict[str, Any]) -> None:
    ent = entity_named(store, args["name"]) or entity_named(store, args["new"])
    if ent is None:
        raise DecisionError(f"no entity called {args['name']!r}", missing=True)
    s = _sql(store)
    s._execute("UPDATE entities SET name = ? WHERE id = ?", (args["new"], ent["id"]))
    _add_alias(s, ent["id"], args["new"])


def find_claim(store: Store, cid: str) -> tuple[str, Row] | None:
    """The fact table and row of the claim with this id (or a legacy id), or None."""
    s = _sql(store)
    prefix = cid.split("-", 1)[0].replace("%", "").replace("_", "")
    if not prefix:
        return None
    docs = {r["id"]: r["source"] for r in s._all("SELECT id, source FROM documents")
            if source_prefix(str(r["source"])) == prefix or str(r["id"]).startswith(prefix)}
    for table in FACT_TABLES:
        for doc_id, source in docs.items():
            for r in s._all(f"SELECT * FROM {table} WHERE doc_id = ?", (doc_id,)):  # noqa: S608
                r["end"] = r.pop("end_", None)
                r["doc_source"] = source
                if cid in (claim_id(r), legacy_claim_id(r)):
                    return table, r
    return None


def _reject(store: Store, args: dict[str, Any]) -> None:
    found = find_claim(store, args["claim"])
    snap = args.get("claim_row") or {}
    if found is None and snap and store.get_document(str(snap.get("doc_id"))):
        return  # its article is here and the claim, removed when first applied, has not come back: in force
    if found is None and snap:
        said = " ".join(str(snap.get("snippet") or "").split())
        said = said if len(said) <= 80 else said[:77] + "..."
        raise DecisionError(f"claim {args['claim']} is no longer in its article (changed or removed): "
                            f"it said \"{said}\"", missing=True)
    if found is None:
        raise DecisionError(f"no claim with id {args['claim']!r}", missing=True)
    table, row = found
    _sql(store)._execute(f"DELETE FROM {table} WHERE id = ?", (row["id"],))  # noqa: S608


def _confirm(store: Store, args: dict[str, Any]) -> None:
    if find_claim(store, args["claim"]) is None:
        raise DecisionError(f"no claim with id {args['claim']!r}", missing=True)


def _grade(store: Store, args: dict[str, Any]) -> None:
    """A grade is read by :mod:`sitrep.query.grading`; applying it only checks the source exists."""
    _need(store, args["source"])


_APPLY = {"merge": _merge, "split": _split, "alias_add": lambda st, a: _alias(st, a, True),
          "alias_remove": lambda st, a: _alias(st, a, False), "kind": _kind, "rename": _rename,
          "reject": _reject, "confirm": _confirm, "grade": _grade}


_SNAPSHOT_COLUMNS = ("doc_id", "doc_source", "fact_key", "polarity", "modality", "start", "end", "sent_start",
                     "sent_end", "snippet", "source_text", "type", "sub_type", "cue", "what", "low", "high",
                     "qualifier", "text", "date", "killed", "trigger")
_SNAPSHOT_NAMES = {"subject_id": "subject", "object_id": "object", "source_id": "source",
                   "location_id": "location", "perpetrator_id": "perpetrator"}


def _snapshot(store: Store, decision: Row) -> dict[str, Any] | None:
    """What a rejected claim said, kept in its decision so it stays visible after it leaves the facts
    (taken again whenever the claim is found, e.g. in a re-ingested changed article)."""
    if decision["kind"] != "reject":
        return None
    found = find_claim(store, decision["args"]["claim"])
    if found is None:
        return None
    table, row = found
    keep: dict[str, Any] = {k: row.get(k) for k in _SNAPSHOT_COLUMNS if row.get(k) is not None}
    s = _sql(store)
    for column, name in _SNAPSHOT_NAMES.items():
        if row.get(column) is not None:
            ent = s._one("SELECT name FROM entities WHERE id = ?", (row[column],))
            keep[name] = ent["name"] if ent else None
            keep[column] = row[column]
    return {**decision["args"], "claim_row": {"table": table, **keep}}


def apply_one(store: Store, decision: Row) -> Outcome:
    s = _sql(store)
    s._begin()
    try:
        snapshot = _snapshot(store, decision)
        _APPLY[decision["kind"]](store, decision["args"])
        status = "applied"
        s._commit()
    except DecisionError as exc:
        s._rollback()
        status, snapshot = f"not applicable: {exc}", None
    except BaseException:
        s._rollback()
        raise
    s._begin()
    try:
        if snapshot is not None:
            s._execute("UPDATE decisions SET args = ? WHERE id = ?",
                       (json.dumps(snapshot, sort_keys=True, ensure_ascii=False), decision["id"]))
        s._execute("UPDATE decisions SET status = ? WHERE id = ?", (status[:500], decision["id"]))
        s._commit()
    except BaseException:
        s._rollback()
        raise
    return Outcome(decision["id"], decision["kind"], status)


def apply_all(store: Store) -> list[Outcome]:
    """Replay every decision in the order made; returns what each did."""
    if not hasattr(store, "_execute"):
        return []
    return [apply_one(store, d) for d in list_decisions(store)]


def check_applicable(store: Store, kind: str, args: dict[str, Any]) -> None:
    """Refuse a new decision about a name or claim the knowledge base does not know (``missing``)."""
    if kind in ("reject", "confirm"):
        if find_claim(store, args["claim"]) is None and not any(
                d["args"].get("claim") == args["claim"] for d in list_decisions(store)):
            raise DecisionError(f"no claim with id {args['claim']!r} (ids are shown by `sitrep claims`)",
                                missing=True)
        return
    for key in ("into", "other", "name", "source"):
        if key in args and entity_named(store, args[key]) is None and not (
                kind == "rename" and entity_named(store, args["new"]) is not None):
            raise DecisionError(f"no entity called {args[key]!r} (try `sitrep actors`)", missing=True)


def decide(store: Store, kind: str, args: dict[str, Any], who: str, why: str | None = None) -> tuple[Row, bool, Outcome]:
    """Make one decision as every front end does (the CLI's commands, the web page's forms): check that
    what it names exists, record it, apply it.  Returns the stored decision, whether it is new, and what
    applying it did; an unknown name or claim raises :class:`DecisionError` and records nothing."""
    check_applicable(store, kind, args)
    row, new = record(store, kind, args, who, why)
    outcome = apply_one(store, row)
    row = next(r for r in list_decisions(store) if r["id"] == row["id"])
    return row, new, outcome
