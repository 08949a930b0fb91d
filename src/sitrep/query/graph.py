"""The actor network: actors (and optionally places) as nodes, relation facts as typed, directed edges.

An edge is one relation *fact* (all claims sharing a ``fact_key``).  Its weight
is the number of independent sources asserting it (see :mod:`sitrep.query.facts`);
``contested`` is set when some sources assert and others deny it, and
``status`` is ``asserted``, ``contested`` or ``denied`` (only denials).
Symmetric relations (``ally_of``, ``hostile_to``) carry ``directed: False``.

Places are left out by default, except a country that *acts*: a country named as a party to
a relation other than the locative ``operates_in`` ("Iran supports Hezbollah", "the group is
hostile to Pakistan") is a state in that sentence, and its edges stay in the actor graph.
"""

from __future__ import annotations

from typing import Any

from sitrep.data import schema
from sitrep.models import PLACE_KINDS
from sitrep.query.facts import corroboration_of, group_relations
from sitrep.query.filters import ViewFilter, keep_dated, passes_grading
from sitrep.query.grading import credibility, grade_facts, grades, scale
from sitrep.store.base import Row, Store

#: When there are no relations at all, show this many top actors as lone nodes.
LONE_NODES = 30
#: The place kind that can act as a state, and the relation in which a place is only a location.
STATE_PLACE_KIND = "country"
LOCATIVE_RELATION = "operates_in"
NO_SUPPORT = {"sources": 0, "documents": 0, "publishers": 0}


def acting_place(kind: str, relation_type: str) -> bool:
    """True when a place of this kind, party to this relation, acts as a state (not a location)."""
    return kind == STATE_PLACE_KIND and relation_type != LOCATIVE_RELATION


def edge_status(fact: dict[str, Any]) -> str:
    if fact["contested"]:
        return "contested"
    return "asserted" if fact["asserted"]["sources"] else "denied"


def _node(row: Row, counts: dict[int, Row]) -> dict[str, Any]:
    c = counts.get(row["id"], {})
    return {
        "id": row["id"],
        "key": row["key"],
        "name": row["name"],
        "kind": row["kind"],
        "is_place": row["kind"] in PLACE_KINDS,
        "mentions": int(c.get("mentions") or 0),
        "documents": int(c.get("documents") or 0),
        "country": row.get("country"),
        "lat": row.get("lat"),
        "lon": row.get("lon"),
        "parent_key": row.get("parent_key"),
    }


def filtered_facts(store: Store, flt: ViewFilter, actor_id: int | None = None) -> dict[str, Any]:
    """Relation facts passing a view filter: claims dated (by their article) outside the range are
    left out before grouping (undated ones kept unless ``undated=0``), then facts below the
    credibility or source-grade thresholds.  Each fact carries its ``credibility``."""
    rows = store.relation_rows(entity_id=actor_id if actor_id is not None else flt.actor, type=flt.relation,
                               limit=100_000, date_from=flt.date_from, date_to=flt.date_to)
    rows = [r for r in rows if keep_dated(r.get("doc_published"), flt)]
    facts = grade_facts(store, group_relations(rows))
    kept = [f for f in facts if passes_grading(f, flt)]
    undated = sum(1 for f in kept if all(not c.get("published") for c in f["claims"]))
    return {"facts": kept, "undated": undated, "dropped": len(facts) - len(kept)}


def edge_facts(store: Store, flt: ViewFilter, actor_id: int | None = None) -> list[dict[str, Any]]:
    """What the graph needs of each fact passing ``flt``, read from a few columns of its claims (as tuples,
    no dict per claim): the same facts, order, corroboration and credibility as :func:`filtered_facts`,
    without building each claim's display (its id, sentence, page).  Each fact's ``claims`` are what
    credibility and the grade filter read (who says it, graded, polarity, modality), each distinct once;
    ``claim_count`` and ``undated`` say how many claims it has and whether none of them is dated.  A
    claim an analyst confirmed is known by its id, so with confirmations in force this is
    :func:`filtered_facts` itself."""
    g = grades(store)
    if g.confirmed:
        return filtered_facts(store, flt, actor_id)["facts"]
    rows = store.relation_edge_tuples(entity_id=actor_id if actor_id is not None else flt.actor, type=flt.relation,
                                      date_from=flt.date_from, date_to=flt.date_to, limit=100_000)
    # (fact_key 0, subject_id 1, type 2, object_id 3, polarity 4, modality 5, source_id 6, source 7,
    #  source_text 8, doc_id 9, start 10, end 11, publisher 12, near_duplicate_of 13, doc_published 14)
    by_key: dict[str, list[tuple[Any, ...]]] = {}
    every = not flt.dated and flt.undated
    for r in rows:
        if every or keep_dated(r[14], flt):
            by_key.setdefault(r[0], []).append(r)
    labels = scale().credibility
    facts: list[dict[str, Any]] = []
    for key, group in by_key.items():
        asserted = [(r[9], r[13], r[12], r[6], r[10], r[11]) for r in group if r[4] == "asserted"]
        denied = [(r[9], r[13], r[12], r[6], r[10], r[11]) for r in group if r[4] != "asserted"]
        said = dict.fromkeys((r[7] or r[8] or r[12] or "the article", r[4], r[5]) for r in group)  # source_label
        claims = [{"source": who, "polarity": polarity, "modality": modality, "grade": g.of(who)}
                  for who, polarity, modality in said]
        first = group[0]
        fact = {"fact_key": key, "subject_id": first[1], "type": first[2], "object_id": first[3],
                "asserted": corroboration_of(asserted) if asserted else NO_SUPPORT,
                "denied": corroboration_of(denied) if denied else NO_SUPPORT, "contested": bool(asserted and denied),
                "claims": claims, "claim_count": len(group), "undated": all(not r[14] for r in group)}
        value, _ = credibility(fact, g)
        fact.update(credibility=value, credibility_label=labels[value])
        if passes_grading(fact, flt):
            facts.append(fact)
    facts.sort(key=lambda f: (-f["asserted"]["sources"] - f["denied"]["sources"], f["fact_key"]))
    return facts


def claim_count(fact: dict[str, Any]) -> int:
    """How many claims a fact of :func:`edge_facts` or :func:`filtered_facts` has."""
    return int(fact["claim_count"]) if "claim_count" in fact else len(fact["claims"])


def is_undated(fact: dict[str, Any]) -> bool:
    """True when no claim of the fact is dated (by its article)."""
    return bool(fact["undated"]) if "undated" in fact else all(not c.get("published") for c in fact["claims"])


def actor_graph(store: Store, actor_id: int | None = None, include_places: bool = False,
                min_sources: int = 0, types: set[str] | None = None,
                flt: ViewFilter | None = None) -> dict[str, Any]:
    """Nodes and edges of the actor network (the whole KB, or one actor's neighbourhood).

    ``min_sources``: drop edges asserted by fewer independent sources (0 keeps denied-only facts).
    ``flt``: a web view filter (dates, actor, relation type, credibility, source grade); the
    answer then says how many edges are undated (kept, see :mod:`sitrep.query.filters`).
    """
    flt = flt or ViewFilter()
    if actor_id is None:
        actor_id = flt.actor
    facts = [f for f in edge_facts(store, flt, actor_id)
             if (not types or f["type"] in types) and f["asserted"]["sources"] >= min_sources]
    entities = store.entities_by_id(sorted({f["subject_id"] for f in facts} | {f["object_id"] for f in facts}
                                           | ({actor_id} if actor_id is not None else set())))
    symmetric = {t: schema().is_symmetric(t) for t in {f["type"] for f in facts}}

    edges: list[dict[str, Any]] = []
    for f in facts:
        s, o = entities.get(f["subject_id"]), entities.get(f["object_id"])
        if s is None or o is None:
            continue
        if not include_places and any(e["kind"] in PLACE_KINDS and not acting_place(e["kind"], f["type"])
                                      for e in (s, o)):
            continue
        edges.append({
            "id": f["fact_key"],
            "source": f["subject_id"],
            "target": f["object_id"],
            "type": f["type"],
            "directed": not symmetric[f["type"]],
            "sources": f["asserted"]["sources"],
            "documents": f["asserted"]["documents"],
            "publishers": f["asserted"]["publishers"],
            "denied_sources": f["denied"]["sources"],
            "contested": f["contested"],
            "status": edge_status(f),
            "claims": claim_count(f),
            "credibility": f["credibility"],
            "credibility_label": f["credibility_label"],
            "undated": is_undated(f),
        })
    node_ids = {e["source"] for e in edges} | {e["target"] for e in edges}
    if actor_id is not None:
        node_ids.add(actor_id)
    elif not edges and not flt.active:  # nothing related yet: show the most mentioned entities on their own
        top = store.list_entities(places=None if include_places else False, limit=LONE_NODES)
        entities.update((r["id"], r) for r in top)
        node_ids.update(r["id"] for r in top)
    missing = [i for i in node_ids if i not in entities]
    if missing:
        entities.update(store.entities_by_id(missing))
    counts = store.mention_counts(sorted(node_ids))
    nodes = [_node(entities[i], counts) for i in node_ids if i in entities]
    nodes.sort(key=lambda n: (-n["mentions"], n["name"]))
    return {"nodes": nodes, "edges": edges, "focus": actor_id, "legend": schema().legend(),
            "filter": flt.params(), "undated_edges": sum(1 for e in edges if e["undated"])}
