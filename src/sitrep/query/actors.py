"""Read-side views of entities and documents."""

from __future__ import annotations

from typing import Any

from sitrep.models import PLACE_KINDS
from sitrep.store.base import Row, Store

SNIPPET_CHARS = 90


class NotFound(LookupError):
    """Nothing in the knowledge base matches; the message says what was looked for."""


def list_actors(store: Store, kind: str | None = None, limit: int = 100, offset: int = 0) -> list[Row]:
    if kind and kind in PLACE_KINDS:
        return store.list_entities(kind=kind, limit=limit, offset=offset)
    return store.list_entities(kind=kind, places=False if not kind else None, limit=limit, offset=offset)


def list_places(store: Store, kind: str | None = None, limit: int = 100, offset: int = 0) -> list[Row]:
    return store.list_entities(kind=kind, places=True, limit=limit, offset=offset)


def resolve_entity(store: Store, name: str) -> Row:
    """The entity best matching ``name`` (any spelling), or :class:`NotFound`."""
    name = name.strip()
    if name.isdigit():
        row = store.get_entity(int(name))
        if row:
            return row
    rows = store.find_entities(name, limit=5)
    if not rows:
        raise NotFound(f"no actor or place called {name!r} (try `sitrep actors` or `sitrep places`)")
    return rows[0]


def snippet(text: str, start: int, end: int, width: int = SNIPPET_CHARS) -> str:
    """Context around ``text[start:end]`` with the mention in [brackets], on one line."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    out = f"{'…' if start > width else ''}{left}[{text[start:end]}]{right}{'…' if end + width < len(text) else ''}"
    return " ".join(out.split())


def actor_profile(store: Store, name: str, mention_limit: int = 50) -> dict[str, Any]:
    """Everything known about one entity: spellings, parent, documents, mentions with snippets."""
    ent = resolve_entity(store, name)
    parent = store.entity_by_key(ent["parent_key"]) if ent.get("parent_key") else None
    mentions = store.mentions(entity_id=ent["id"], limit=mention_limit)
    texts: dict[str, str] = {}
    for m in mentions:
        if m["doc_id"] not in texts:
            doc = store.get_document(m["doc_id"])
            texts[m["doc_id"]] = doc["text"] if doc else ""
        m["snippet"] = snippet(texts[m["doc_id"]], m["start"], m["end"])
    docs = store.entity_documents(ent["id"])
    return {
        "entity": ent,
        "aliases": store.aliases(ent["id"]),
        "parent": parent,
        "documents": docs,
        "mentions": mentions,
        "mention_count": store.mention_counts([ent["id"]]).get(ent["id"], {}).get("mentions", 0),
    }


def list_documents(store: Store, limit: int = 100, offset: int = 0) -> list[Row]:
    return store.list_documents(limit=limit, offset=offset)


def document_view(store: Store, doc_id: str) -> dict[str, Any]:
    doc = store.get_document(doc_id)
    if doc is None:
        raise NotFound(f"no document with id {doc_id!r} (try `sitrep docs`)")
    return {"document": doc, "mentions": store.mentions(doc_id=doc["id"], limit=100_000)}
