"""Exports of the knowledge base: GraphML (actor network), CSV tables, JSON (everything), GeoJSON (map).

All functions take a :class:`~sitrep.store.base.Store` and return text or write files;
none of them trusts article text: GraphML is written by networkx (escaped by
the serializer, characters XML cannot hold removed first), CSV cells that a spreadsheet would
read as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sitrep.data import schema
from sitrep.query.events import group_events
from sitrep.query.facts import group_quantities, group_relations
from sitrep.query.graph import actor_graph
from sitrep.store.base import Store

BIG = 10_000_000

# -- GraphML --------------------------------------------------------------------------------------

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: GraphML attributes and the Python type each is written as (networkx maps str/int/float/bool to
#: string/long/double/boolean); a value that is None is left out of that node or edge.
NODE_KEYS: dict[str, type] = {"name": str, "key": str, "kind": str, "is_place": bool, "mentions": int,
                              "documents": int, "country": str, "lat": float, "lon": float, "parent_key": str}
EDGE_KEYS: dict[str, type] = {"type": str, "directed": bool, "sources": int, "documents": int, "publishers": int,
                              "denied_sources": int, "contested": bool, "status": str, "claims": int,
                              "weight": float, "fact_key": str}


def xml_text(value: Any) -> str:
    """Text safe for XML 1.0 (characters XML cannot hold are dropped; escaping is the serializer's job)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_BAD.sub("", str(value))


def _typed(values: dict[str, Any], keys: dict[str, type]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, typ in keys.items():
        value = values.get(name)
        if value is None:
            continue
        out[name] = xml_text(value) if typ is str else typ(value)
    return out


def actor_network(store: Store, include_places: bool = False) -> Any:
    """The actor network as a ``networkx.MultiDiGraph``: one edge per relation fact (key = fact key);
    symmetric relations carry ``directed=False`` as an edge attribute."""
    import networkx as nx

    g = actor_graph(store, include_places=include_places)
    net = nx.MultiDiGraph(name="sitrep actor network")
    for n in g["nodes"]:
        net.add_node(f"n{n['id']}", **_typed(n, NODE_KEYS))
    for e in g["edges"]:
        values = {**e, "weight": float(e["sources"]), "fact_key": e["id"]}
        net.add_edge(f"n{e['source']}", f"n{e['target']}", key=xml_text(e["id"]), **_typed(values, EDGE_KEYS))
    return net


def graphml(store: Store, include_places: bool = False) -> str:
    """The actor network as GraphML, written by networkx (``networkx.read_graphml`` reads it back)."""
    import networkx as nx

    buf = io.BytesIO()
    nx.write_graphml(actor_network(store, include_places=include_places), buf, encoding="utf-8")
    text = buf.getvalue().decode("utf-8")
    # xsd:boolean is "true"/"false"; networkx writes Python's "True"/"False" (and reads both)
    for key in _BOOL_KEY.findall(text):
        text = text.replace(f'<data key="{key}">True</data>', f'<data key="{key}">true</data>')
        text = text.replace(f'<data key="{key}">False</data>', f'<data key="{key}">false</data>')
    return text


_BOOL_KEY = re.compile(r'<key id="([^"]+)" for="(?:node|edge|graph)" attr\.name="[^"]*" attr\.type="boolean"')


# -- CSV --------------------------------------------------------------------------------------------

def csv_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in untrusted text ("=HYPERLINK(...)" -> "'=HYPERLINK(...)")."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _claim_cols(c: dict[str, Any]) -> dict[str, Any]:
    return {"polarity": c["polarity"], "modality": c.get("modality"), "source": c["source"],
            "doc_id": c["doc_id"], "doc_title": c.get("doc_title"), "publisher": c.get("publisher"),
            "published": c.get("published"), "start": c["start"], "end": c["end"], "sentence": c["sentence"]}


def csv_tables(store: Store) -> dict[str, tuple[list[str], Iterable[dict[str, Any]]]]:
    """Table name -> (columns, rows): entities, relations, quantities, events (one row per claim/report)."""

    def entities() -> Iterator[dict[str, Any]]:
        for r in store.list_entities(limit=BIG):
            yield {**r, "aliases": "|".join(store.aliases(r["id"]))}

    def relations() -> Iterator[dict[str, Any]]:
        for f in group_relations(store.relation_rows(limit=BIG)):
            for c in f["claims"]:
                yield {"fact_key": f["fact_key"], "subject": f["subject"], "subject_id": f["subject_id"],
                       "type": f["type"], "object": f["object"], "object_id": f["object_id"],
                       "asserted_sources": f["asserted"]["sources"], "denied_sources": f["denied"]["sources"],
                       "contested": f["contested"], **_claim_cols(c)}

    def quantities() -> Iterator[dict[str, Any]]:
        for q in group_quantities(store.quantity_rows(limit=BIG)):
            for e in q["estimates"]:
                yield {"subject": q["subject"], "subject_id": q["subject_id"], "what": e["what"],
                       "low": e["low"], "high": e["high"], "qualifier": e.get("qualifier"), "text": e.get("text"),
                       "range_low": q["range"]["low"], "range_high": q["range"]["high"],
                       "disagreement": q["disagreement"], **_claim_cols(e)}

    def events() -> Iterator[dict[str, Any]]:
        for i, e in enumerate(group_events(store.event_rows(limit=BIG))):
            for c in e["reports"]:
                yield {"event": i + 1, **{k: e.get(k) for k in EVENT_COLS}, **_claim_cols(c)}

    claim = list(_claim_cols({k: "" for k in ("polarity", "source", "doc_id", "start", "end", "sentence")}))
    return {
        "entities": (["id", "key", "name", "kind", "guessed", "gazetteer_id", "parent_key", "country", "lat", "lon",
                      "mentions", "documents", "aliases"], entities()),
        "relations": (["fact_key", "subject", "subject_id", "type", "object", "object_id", "asserted_sources",
                       "denied_sources", "contested", *claim], relations()),
        "quantities": (["subject", "subject_id", "what", "low", "high", "qualifier", "text", "range_low",
                        "range_high", "disagreement", *claim], quantities()),
        "events": (["event", *EVENT_COLS, *claim], events()),
    }


EVENT_COLS = ["type", "sub_type", "date", "date_text", "reported", "location", "country", "lat", "lon", "killed",
              "killed_min", "wounded", "perpetrator", "target", "sources"]


def _csv_text(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    # RFC 4180 line ends: the writer then quotes every cell holding a CR or LF, so no stray carriage
    # return can start a new row whose first cell a spreadsheet would read as a formula
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: csv_cell(r.get(k)) for k in columns})
    return buf.getvalue()


def write_csv(store: Store, out: Path) -> list[Path]:
    """Write entities/relations/quantities/events CSVs into folder ``out``, or into a zip when it ends in .zip."""
    tables = csv_tables(store)
    written: list[Path] = []
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, (cols, rows) in tables.items():
                z.writestr(f"{name}.csv", _csv_text(cols, rows))
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    for name, (cols, rows) in tables.items():
        path = out / f"{name}.csv"
        path.write_text(_csv_text(cols, rows), encoding="utf-8", newline="")
        written.append(path)
    return written


# -- JSON ---------------------------------------------------------------------------------------------

def kb_json(store: Store, include_text: bool = True) -> dict[str, Any]:
    """The whole knowledge base: documents (cleaned text, removed furniture, mentions), entities, facts."""
    docs = []
    for doc_id in store.iter_document_ids():
        d = store.get_document(doc_id) or {}
        doc = {k: d.get(k) for k in ("id", "source", "title", "published", "publisher", "author", "url", "format",
                                     "near_duplicate_of", "ingested_at", "content_hash")}
        if include_text:
            doc["text"] = d.get("text")
            doc["removed"] = d.get("removed")
        doc["mentions"] = [{k: m[k] for k in ("start", "end", "text", "entity_id", "key", "label")}
                           for m in store.mentions(doc_id=doc_id, limit=BIG)]
        docs.append(doc)
    entities = [{**r, "aliases": store.aliases(r["id"])} for r in store.list_entities(limit=BIG)]
    return {
        "format": "sitrep-kb",
        "version": 1,
        "stats": store.stats(),
        "documents": docs,
        "entities": entities,
        "relations": group_relations(store.relation_rows(limit=BIG)),
        "quantities": group_quantities(store.quantity_rows(limit=BIG)),
        "events": group_events(store.event_rows(limit=BIG)),
        "schema": _schema_summary(),
    }


def _schema_summary() -> dict[str, Any]:
    """The vocabulary the facts use (src/sitrep/data/schema.yaml), so a reader of the export knows it."""
    s = schema()
    return {"relation_types": s.legend(), "actor_kinds": list(s.actor_kinds), "place_kinds": list(s.place_kinds),
            "polarities": list(s.polarities), "modalities": list(s.modalities),
            "event_types": {name: list(subs) for name, subs in s.event_types.items()}}


# -- GeoJSON ------------------------------------------------------------------------------------------

def _valid_point(lat: Any, lon: Any) -> bool:
    try:
        return -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180
    except (TypeError, ValueError):
        return False


def _point(lat: float, lon: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}  # GeoJSON: [lon, lat]


def place_features(store: Store) -> list[dict[str, Any]]:
    from sitrep.query.actors import list_places

    out = []
    for p in list_places(store, limit=BIG):
        if not _valid_point(p.get("lat"), p.get("lon")):
            continue
        out.append({"type": "Feature", "id": f"place-{p['id']}", "geometry": _point(p["lat"], p["lon"]),
                    "properties": {"feature": "place", "entity_id": p["id"], "name": p["name"], "key": p["key"],
                                   "kind": p["kind"], "country": p.get("country"), "mentions": p["mentions"],
                                   "documents": p["documents"]}})
    return out


def event_features(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, e in enumerate(events):
        if not _valid_point(e.get("lat"), e.get("lon")):
            continue
        out.append({"type": "Feature", "id": f"event-{i + 1}", "geometry": _point(e["lat"], e["lon"]),
                    "properties": {"feature": "event", "type": e["type"], "sub_type": e.get("sub_type"),
                                   "date": e.get("date"), "reported": e.get("reported"),
                                   "location": e.get("location"), "location_id": e.get("location_id"),
                                   "killed": e.get("killed"), "killed_min": bool(e.get("killed_min")),
                                   "wounded": e.get("wounded"), "perpetrator": e.get("perpetrator"),
                                   "perpetrator_id": e.get("perpetrator_id"), "target": e.get("target"),
                                   "sources": e["sources"],
                                   "documents": sorted({r["doc_id"] for r in e["reports"]})}})
    return out


def geojson(store: Store) -> dict[str, Any]:
    """Places and events with coordinates as one GeoJSON FeatureCollection (RFC 7946)."""
    events = group_events(store.event_rows(limit=BIG))
    return {"type": "FeatureCollection", "features": place_features(store) + event_features(events)}


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


__all__ = ["csv_tables", "dumps", "geojson", "graphml", "kb_json", "write_csv"]
