"""Facts across documents: relations and quantities with their claims, corroboration and contradictions.

A fact is the group of claim rows sharing a ``fact_key``.  Corroboration is counted honestly:

* ``documents``: articles, a near-duplicate (the same story as HTML and as text, or syndicated)
  counting once with the article it copies;
* ``publishers``: outlets that reported it, one per such article group (a syndicated copy adds none);
* ``sources``: who says it — a named source (person, report body, organisation, state) once
  however many outlets quote it; a claim in an article's own voice, or from its unnamed
  officials or witnesses, is that outlet speaking.

So a speaker quoted by two outlets is one source in two documents from two publishers.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Any

from sitrep.ingest.paged import page_of
from sitrep.query.actors import resolve_entity
from sitrep.store.base import Row, Store


def _article_group(row: Row) -> str:
    return row.get("near_duplicate_of") or row["doc_id"]


def source_label(row: Row) -> str:
    """Who says it, for display: the named source, else the outlet."""
    return row.get("source") or row.get("source_text") or row.get("publisher") or "the article"


#: what corroboration reads of a claim, in this order (``corroboration_of`` takes claims as such tuples)
CLAIM_SUPPORT = ("doc_id", "near_duplicate_of", "publisher", "source_id", "start", "end")
Support = tuple[str, str | None, str | None, int | None, int | None, int | None]


def _support(row: Row) -> Support:
    return (row["doc_id"], row.get("near_duplicate_of"), row.get("publisher"), row.get("source_id"),
            row.get("start"), row.get("end"))


def _outlets(rows: list[Row]) -> dict[str, str]:
    """Article group -> the outlet that published it: the original's publisher where its row is there,
    else the first publisher named among the group's copies, else the group itself."""
    return _outlets_of([_support(r) for r in rows])


def _outlets_of(claims: list[Support]) -> dict[str, str]:
    best: dict[str, tuple[int, str | None]] = {}  # group -> (rank, publisher) of its first claim of the best rank
    for doc, near, publisher, *_ in claims:
        group = near or doc
        rank = (doc != group) * 2 + (publisher is None)  # the original before copies, a publisher before none
        old = best.get(group)
        if old is None or rank < old[0]:
            best[group] = (rank, publisher)
    return {group: (_outlet(publisher) if publisher else "") or group for group, (_, publisher) in best.items()}


@lru_cache(maxsize=8192)
def _outlet(publisher: str) -> str:
    """A publisher's name as outlets are told apart (case and spacing do not count)."""
    return " ".join(publisher.lower().split())


def _source_identity(row: Row, outlets: dict[str, str] | None = None) -> str:
    if row.get("source_id") is not None:
        return f"entity:{row['source_id']}"
    group = _article_group(row)
    outlet = (outlets or {}).get(group) or " ".join((row.get("publisher") or "").lower().split()) or group
    return "outlet:" + outlet


def _page(meta: Any, start: Any) -> int | None:
    """The page of a claim (``page_of``), without decoding the metadata of a document that has no pages."""
    if not meta or (isinstance(meta, str) and '"page_starts"' not in meta):
        return None
    return page_of(meta, start)


def claim_view(row: Row) -> dict[str, Any]:
    from sitrep.store.decisions import claim_id

    return {
        "claim_id": claim_id(row),
        "doc_id": row["doc_id"],
        "doc_title": row.get("doc_title"),
        "publisher": row.get("publisher"),
        "published": row.get("doc_published"),
        "source": source_label(row),
        "source_id": row.get("source_id"),
        "polarity": row["polarity"],
        "modality": row.get("modality"),
        "start": row["start"],
        "end": row["end"],
        "page": _page(row.get("doc_meta"), row.get("start")),
        "sentence": " ".join((row.get("snippet") or "").split()),
    }


def _independent_sources(claims: list[Support], outlets: dict[str, str]) -> int:
    """How many independent sources the claims have: distinct source identities, where the identities
    credited with one statement (the same span of the same document: a spokesman's denial credited
    to him and to his group, a joint statement) count as one."""
    def identity(claim: Support) -> str:
        doc, near, publisher, sid, _, _ = claim
        if sid is not None:
            return f"entity:{sid}"
        group = near or doc
        return "outlet:" + (outlets.get(group) or " ".join((publisher or "").lower().split()) or group)

    by_identity: dict[tuple[Any, Any, Any], tuple[Any, ...]] = {}
    for c in claims:  # the usual case, no statement credited to two identities: count the identities
        ident = (c[3],) if c[3] is not None else (None, outlets.get(c[1] or c[0]) or identity(c))
        if by_identity.setdefault((c[0], c[4], c[5]), ident) != ident:
            break
    else:
        return len(set(by_identity.values()))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_statement: dict[tuple[Any, Any, Any], str] = {}
    for c in claims:
        ident = find(identity(c))
        key = (c[0], c[4], c[5])
        if key in by_statement:
            parent[ident] = find(by_statement[key])
        else:
            by_statement[key] = ident
    return len({find(x) for x in list(parent)})


def corroboration(rows: list[Row]) -> dict[str, int]:
    return corroboration_of([_support(r) for r in rows])


def corroboration_of(claims: list[Support]) -> dict[str, int]:
    """:func:`corroboration` of claims given as tuples of their :data:`CLAIM_SUPPORT` values."""
    outlets = _outlets_of(claims)
    return {
        "sources": _independent_sources(claims, outlets),
        "documents": len(outlets),
        "publishers": len(set(outlets.values())),
    }


def group_relations(rows: list[Row]) -> list[dict[str, Any]]:
    facts: OrderedDict[str, dict[str, Any]] = OrderedDict()
    by_key: dict[str, list[Row]] = {}
    for r in rows:
        by_key.setdefault(r["fact_key"], []).append(r)
    for key, group in by_key.items():
        first = group[0]
        asserted = [r for r in group if r["polarity"] == "asserted"]
        denied = [r for r in group if r["polarity"] != "asserted"]
        facts[key] = {
            "fact_key": key,
            "subject": first["subject"],
            "subject_id": first["subject_id"],
            "type": first["type"],
            "object": first["object"],
            "object_id": first["object_id"],
            "asserted": corroboration(asserted) if asserted else {"sources": 0, "documents": 0, "publishers": 0},
            "denied": corroboration(denied) if denied else {"sources": 0, "documents": 0, "publishers": 0},
            "contested": bool(asserted and denied),
            "claims": [claim_view(r) for r in group],
        }
    return sorted(facts.values(), key=lambda f: (-f["asserted"]["sources"] - f["denied"]["sources"], f["fact_key"]))


def relations(store: Store, actor: str | None = None, type: str | None = None,
              include_rejected: bool = False) -> list[dict[str, Any]]:
    ent = resolve_entity(store, actor) if actor else None
    facts = group_relations(store.relation_rows(entity_id=ent["id"] if ent else None, type=type))
    if include_rejected:
        rejected = [c for c in rejected_claims(store, "relations", about=ent) if not type or c.get("type") == type]
        facts = with_rejected_relations(facts, rejected)
    return facts


def _what_key(what: str) -> str:
    words = [w for w in what.lower().split() if w.isalpha()]
    head = words[-1] if words else what.lower()
    return head[:-1] if head.endswith("s") and len(head) > 3 else head


def group_quantities(rows: list[Row]) -> list[dict[str, Any]]:
    groups: dict[tuple[int, str], list[Row]] = {}
    for r in rows:
        groups.setdefault((r["subject_id"], _what_key(r["what"])), []).append(r)
    out = []
    for (_, what), group in groups.items():
        estimates = [
            {**claim_view(r), "what": r["what"], "low": r["low"], "high": r["high"],
             "qualifier": r.get("qualifier"), "text": r.get("text")}
            for r in group
        ]
        out.append({
            "subject": group[0]["subject"],
            "subject_id": group[0]["subject_id"],
            "what": what,
            "estimates": estimates,
            "range": _overall_range(group),
            "corroboration": corroboration(group),
            "disagreement": _disagree(group),
        })
    return sorted(out, key=lambda q: (q["subject"], q["what"]))


def _bounds(r: Row) -> tuple[float, float]:
    low = r["low"] if r["low"] is not None else 0.0
    high = r["high"] if r["high"] is not None else float("inf")
    return float(low), float(high)


def _overall_range(rows: list[Row]) -> dict[str, float | None]:
    lows = [r["low"] for r in rows if r["low"] is not None]
    highs = [r["high"] for r in rows if r["high"] is not None]
    return {"low": min(lows) if lows else None, "high": max(highs) if highs else None}


def _disagree(rows: list[Row]) -> bool:
    """True when two estimates from different sources cannot both be right (ranges do not overlap)."""
    outlets = _outlets(rows)
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if _source_identity(a, outlets) == _source_identity(b, outlets):
                continue
            (al, ah), (bl, bh) = _bounds(a), _bounds(b)
            if ah < bl or bh < al:
                return True
    return False


def quantities(store: Store, actor: str | None = None) -> list[dict[str, Any]]:
    entity_id = resolve_entity(store, actor)["id"] if actor else None
    return group_quantities(store.quantity_rows(entity_id=entity_id))


def claims_about(store: Store, actor: str, include_rejected: bool = False) -> dict[str, Any]:
    """Everything said about an actor, by whom, where: relations, quantities and events (with
    ``include_rejected``, the claims analysts rejected too, marked ``rejected``)."""
    ent = resolve_entity(store, actor)
    rels = group_relations(store.relation_rows(entity_id=ent["id"]))
    qts = group_quantities(store.quantity_rows(entity_id=ent["id"]))
    evs = store.event_rows(entity_id=ent["id"])
    out = {"entity": ent, "relations": rels, "quantities": qts, "events": evs}
    if include_rejected:
        out["relations"] = with_rejected_relations(rels, rejected_claims(store, "relations", about=ent))
        out["quantities"] = with_rejected_quantities(qts, rejected_claims(store, "quantities", about=ent))
        out["rejected_events"] = rejected_claims(store, "events", about=ent)
    return out


def contradictions(store: Store, actor: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Relations asserted by some and denied by others; estimates of one quantity that disagree."""
    entity_id = resolve_entity(store, actor)["id"] if actor else None
    rels = [f for f in group_relations(store.relation_rows(entity_id=entity_id)) if f["contested"]]
    qts = [q for q in group_quantities(store.quantity_rows(entity_id=entity_id)) if q["disagreement"]]
    return {"relations": rels, "quantities": qts}


def claims_by_source(store: Store, name: str, doc_limit: int = 10_000, include_rejected: bool = False) -> dict[str, Any]:
    """Everything one source claims (the analyst's "what does the UN Monitoring Team say?"): its
    relations by fact with polarity, its estimates and the events it reports, each with sentence
    and document.  A source speaks in documents that mention it, so only those are read."""
    ent = resolve_entity(store, name)
    eid = ent["id"]
    rel_rows: list[Row] = []
    qty_rows: list[Row] = []
    ev_rows: list[Row] = []
    for d in store.entity_documents(eid, limit=doc_limit):
        rel_rows += [r for r in store.relation_rows(doc_id=d["id"], limit=100_000) if r.get("source_id") == eid]
        qty_rows += [r for r in store.quantity_rows(doc_id=d["id"], limit=100_000) if r.get("source_id") == eid]
        ev_rows += [r for r in store.event_rows(doc_id=d["id"], limit=100_000) if r.get("source_id") == eid]
    rel_rows.sort(key=lambda r: (r["fact_key"], r["doc_id"], r["start"]))
    out = {
        "source": ent,
        "relations": group_relations(rel_rows),
        "quantities": group_quantities(qty_rows),
        "events": [{**claim_view(r), "type": r["type"], "sub_type": r.get("sub_type"), "location": r.get("location"),
                    "date": r.get("date"), "killed": r.get("killed")} for r in ev_rows],
    }
    if include_rejected:
        out["relations"] = with_rejected_relations(out["relations"], rejected_claims(store, "relations", by=ent))
        out["quantities"] = with_rejected_quantities(out["quantities"], rejected_claims(store, "quantities", by=ent))
        out["events"] += rejected_claims(store, "events", by=ent)
    return out


# -- rejected claims: out of every count, shown (marked) where one asks -----------------------------
_ROLES = {"relations": ("subject", "object"), "quantities": ("subject",),
          "events": ("perpetrator", "location")}


def _spellings(store: Store, ent: Row) -> set[str]:
    from sitrep.resolve.linking import normalize

    return {normalize(n) for n in (ent["name"], *store.aliases(ent["id"]))}


def _names(snap: dict[str, Any], role: str, ent: Row, names: set[str]) -> bool:
    """True when the claim's ``role`` (subject, object, source...) is ``ent`` or one of its spellings."""
    from sitrep.resolve.linking import normalize

    return snap.get(f"{role}_id") == ent["id"] or normalize(snap.get(role) or "") in names


def rejected_claims(store: Store, table: str, about: Row | None = None, by: Row | None = None) -> list[dict[str, Any]]:
    """The claims of ``table`` that analysts rejected (what their decisions kept of them), as claim views
    marked ``rejected``: those about entity ``about`` or said by source ``by`` (all when neither)."""
    rejections = _rejections(store, table)
    if not rejections:
        return []
    about_names = _spellings(store, about) if about else set()
    by_names = _spellings(store, by) if by else set()
    return [dict(view) for snap, view in rejections
            if (not about or any(_names(snap, role, about, about_names) for role in _ROLES[table]))
            and (not by or _names(snap, "source", by, by_names))]


def _rejections(store: Store, table: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(what the decision kept of the claim, its claim view) for every applied rejection of a claim of
    ``table``; read once while the data is unchanged where the store keeps a ``read_cache``."""
    from sitrep.store.decisions import list_decisions

    cache = getattr(store, "read_cache", None)
    if cache is not None and f"rejected:{table}" in cache:
        return cache[f"rejected:{table}"]
    out: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for d in list_decisions(store):
        snap = d["args"].get("claim_row")
        if d["kind"] != "reject" or not str(d["status"]).startswith("applied") or not snap:
            continue
        if snap.get("table") != table:
            continue
        doc = store.get_document(str(snap.get("doc_id"))) or {}
        view = claim_view({**snap, "doc_title": doc.get("title"), "publisher": doc.get("publisher"),
                           "doc_published": doc.get("published"), "doc_meta": doc.get("meta")})
        view.update({k: snap.get(k) for k in ("fact_key", "subject", "object", "type", "what", "low", "high",
                                               "text", "qualifier", "location", "date", "killed") if k in snap})
        view.update(claim_id=d["args"]["claim"], rejected=True, rejected_by=d.get("who"), rejected_why=d.get("why"),
                    decision=d["id"])
        out.append((snap, view))
    if cache is not None:
        cache[f"rejected:{table}"] = out
    return out


def _no_count() -> dict[str, int]:
    return {"sources": 0, "documents": 0, "publishers": 0}


def with_rejected_relations(facts: list[dict[str, Any]], rejected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``facts`` with each rejected claim beside its fact's claims (a fact left with none listed last)."""
    by_key = {f["fact_key"]: f for f in facts}
    extra: list[dict[str, Any]] = []
    for c in rejected:
        fact = by_key.get(c.get("fact_key") or "")
        if fact is None:
            fact = {"fact_key": c.get("fact_key"), "subject": c.get("subject"), "subject_id": None,
                    "type": c.get("type"), "object": c.get("object"), "object_id": None, "asserted": _no_count(),
                    "denied": _no_count(), "contested": False, "claims": [], "rejected": True}
            by_key[str(c.get("fact_key"))] = fact
            extra.append(fact)
        fact["claims"].append(c)
    return [*facts, *extra]


def with_rejected_quantities(groups: list[dict[str, Any]], rejected: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``groups`` of estimates with each rejected estimate beside the estimates of its subject and quantity."""
    extra: list[dict[str, Any]] = []
    for c in rejected:
        what = _what_key(str(c.get("what") or ""))
        group = next((g for g in [*groups, *extra] if g["subject"] == c.get("subject") and g["what"] == what), None)
        if group is None:
            group = {"subject": c.get("subject"), "subject_id": None, "what": what, "estimates": [],
                     "range": {"low": None, "high": None}, "corroboration": _no_count(), "disagreement": False,
                     "rejected": True}
            extra.append(group)
        group["estimates"].append(c)
    return [*groups, *extra]
