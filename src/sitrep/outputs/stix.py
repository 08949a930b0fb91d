"""STIX 2.1 bundle of the knowledge base, for OpenCTI, MISP and other threat-intel platforms.

Mapping (chosen for what OpenCTI imports without complaint):

===================  ==========================================================================
sitrep               STIX 2.1
===================  ==========================================================================
armed_group          ``threat-actor`` (``threat_actor_types: ["unknown"]``: sitrep does not
                     know legal designations, so labelling a group "terrorist" is left to
                     the analyst; pass ``threat_actor_types`` to change it).  A *guessed*
                     group (not in the gazetteer) must pass a name check first
                     (:func:`~sitrep.outputs.stix_vocab.name_shape`); otherwise it is an
                     ``identity`` (``organization`` or ``group``), or left out when the
                     "name" is a headline or markup
person               ``identity`` (``identity_class: individual``)
organization         ``identity`` (``identity_class: organization``)
state                ``identity`` (``organization``, ``sectors: ["government-national"]``)
place                ``location`` (latitude/longitude, ISO ``country``)
relation fact        ``relationship`` (type from :data:`RELATIONSHIP_TYPES`, sitrep type kept in
                     ``x_sitrep_relation``; description quotes every claim with its source's
                     grade; ``confidence`` from the fact's Admiralty credibility 1-6, by the
                     STIX 2.1 appendix A mapping in ``data/source_grades.yaml``: none for 6)
event                ``incident`` (+ ``attributed-to`` the perpetrator, ``targets`` the place)
article              ``report`` (``object_refs`` = what it supports, URL in external refs;
                     ``confidence``: the median credibility of the relations it asserts)
contested fact       ``note`` (both sides quoted) + one ``opinion`` per source
quantity estimates   ``note`` on the actor (``confidence`` from its credibility)
graded source        ``note`` on the source's object: its reliability A-F and where it comes from
===================  ==========================================================================

Identifiers are deterministic (derived from sitrep keys by SHA-1, as UUIDv5 is, but laid out as
UUIDv4, which STIX 2.1 asks of domain objects), so re-exporting the same knowledge base produces the
same ids and platforms update objects in place.  sitrep's own properties (``x_sitrep_*``) are
declared by one ``extension-definition`` of type ``toplevel-property-extension`` that every object
carrying them names.  Relationship types are the ones STIX suggests for the two object types
(``data/stix.yaml``), else ``related-to`` with the sitrep relation in ``x_sitrep_relation``.  With
that the OASIS validator (``stix2-validator``) reports neither errors nor warnings.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from sitrep.data import schema
from sitrep.models import PLACE_KINDS
from sitrep.outputs.brief import format_range
from sitrep.outputs.citations import one_line, safe_url
from sitrep.outputs.stix_vocab import load_vocab, name_shape
from sitrep.query.events import group_events
from sitrep.query.facts import group_quantities, group_relations
from sitrep.query.grading import Grades, grade_with, grades, scale
from sitrep.store.base import Row, Store

NAMESPACE = uuid.UUID("6f1c2a8e-5d4b-4f0e-9a51-3c7e2b9d8a10")

#: sitrep relation -> STIX relationship type (OpenCTI core + OpenCTI extensions "part-of", "cooperates-with"):
#: the ``stix`` field of each relation type in src/sitrep/data/schema.yaml (as packaged; the bundle reads
#: ``schema()`` at export time, so a schema put in force with ``using_schema`` is followed too).
RELATIONSHIP_TYPES = {name: spec.stix for name, spec in schema().relations.items()}


def stix_id(kind: str, *key: object) -> str:
    """Deterministic STIX id ``kind--UUID``: the name-based hash of ``key`` with the UUIDv4 layout."""
    hashed = uuid.uuid5(NAMESPACE, kind + "|" + "|".join(str(k) for k in key))
    return f"{kind}--{uuid.UUID(bytes=hashed.bytes, version=4)}"


EXTENSION_ID = stix_id("extension-definition", "sitrep", "x_sitrep properties", 1)
EXTENSION = {EXTENSION_ID: {"extension_type": "toplevel-property-extension"}}


def confidence(sources: int, contested: bool = False) -> int:
    """0-100 from the number of independent sources; a contested fact loses 20 points (not below 10)."""
    base = {0: 10, 1: 30, 2: 50, 3: 70, 4: 80}.get(sources, 85)
    return max(10, base - 20) if contested else base


def credibility_confidence(fact: dict[str, Any]) -> int | None:
    """The STIX ``confidence`` of a graded fact: its credibility 1-6 mapped by ``source_grades.yaml``."""
    value = fact.get("credibility")
    return scale().stix_confidence.get(int(value)) if value else None


def _ts(value: str | None, default: str) -> str:
    """A STIX timestamp from an ISO date / datetime / YYYY-MM, else ``default``."""
    if not value:
        return default
    v = str(value).strip()
    if len(v) == 7:
        v += "-01"
    if len(v) == 10:
        return f"{v}T00:00:00.000Z"
    v = v.replace("+00:00", "").rstrip("Z")
    if "T" in v and len(v) >= 19:
        return v[:19] + ".000Z"
    return default


class BundleBuilder:
    """Accumulates STIX objects (as dicts) keyed by id."""

    def __init__(self, store: Store, timestamp: str, threat_actor_types: list[str]) -> None:
        self.store = store
        self.ts = timestamp
        self.threat_actor_types = threat_actor_types
        self.objects: dict[str, dict[str, Any]] = {}
        self.entity_ids: dict[int, str] = {}  # entity row id -> STIX id
        self.entity_types: dict[int, str] = {}
        self.doc_refs: dict[str, set[str]] = {}  # doc id -> object ids it supports
        self.doc_credibility: dict[str, list[int]] = {}  # doc id -> credibility of each relation it asserts
        self.docs: dict[str, Row] = {}
        self.vocab = load_vocab()
        self.titles = frozenset(" ".join(str(d.get("title") or "").lower().split())
                                for d in store.list_documents(limit=10_000_000))
        self.author = stix_id("identity", "sitrep")
        self.add({"type": "identity", "id": self.author, "name": "sitrep", "identity_class": "system",
                  "description": "Knowledge base built by sitrep from news articles; every fact cites its sources."})

    def add(self, obj: dict[str, Any]) -> str:
        obj = {k: v for k, v in obj.items() if v is not None}
        obj.setdefault("spec_version", "2.1")
        obj.setdefault("created", self.ts)
        obj.setdefault("modified", self.ts)
        if obj["type"] != "identity" or obj["id"] != getattr(self, "author", None):
            obj.setdefault("created_by_ref", self.author)
        if any(k.startswith("x_sitrep_") for k in obj):
            obj["extensions"] = {**obj.get("extensions", {}), **EXTENSION}
        self.objects[obj["id"]] = obj
        return obj["id"]

    def support(self, doc_id: str, *ids: str) -> None:
        self.doc_refs.setdefault(doc_id, set()).update(ids)

    def document(self, doc_id: str) -> Row:
        if doc_id not in self.docs:
            self.docs[doc_id] = self.store.get_document(doc_id) or {"id": doc_id}
        return self.docs[doc_id]

    def doc_reference(self, doc_id: str) -> dict[str, Any]:
        d = self.document(doc_id)
        ref: dict[str, Any] = {"source_name": d.get("publisher") or "sitrep document", "external_id": doc_id}
        if d.get("title"):
            ref["description"] = d["title"]
        if url := safe_url(d.get("url")):
            ref["url"] = url
            if d.get("content_hash"):  # the article as sitrep read it (for HTML input: that page)
                ref["hashes"] = {"SHA-256": d["content_hash"]}
        return ref

    # -- entities ---------------------------------------------------------------------------
    def entity(self, row: Row) -> str | None:
        """The STIX id of an entity row, creating its object on first use (None when not exportable)."""
        eid = row["id"]
        if eid in self.entity_ids:
            return self.entity_ids[eid]
        kind = row["kind"]
        common: dict[str, Any] = {"name": row["name"], "x_sitrep_key": row["key"], "x_sitrep_kind": kind}
        if row.get("guessed"):
            common["x_sitrep_kind_guessed"] = True
        aliases = [a for a in self.store.aliases(eid) if a != row["name"]]
        shape = name_shape(row["name"], self.titles) if row.get("guessed") else "group"
        if shape == "junk":
            return None
        if kind == "armed_group" and shape == "group":
            obj = {"type": "threat-actor", "id": stix_id("threat-actor", row["key"]),
                   "threat_actor_types": list(self.threat_actor_types), **common}
            if aliases:
                obj["aliases"] = aliases
        elif kind in PLACE_KINDS:
            obj = {"type": "location", "id": stix_id("location", row["key"]), **common}
            if row.get("lat") is not None and row.get("lon") is not None:
                obj["latitude"] = float(row["lat"])
                obj["longitude"] = float(row["lon"])
            if row.get("country"):
                obj["country"] = row["country"]
            region = row["name"].lower().replace(" ", "-")
            if kind == "region" and region in self.vocab.region_ov:
                obj["region"] = region
            if not ({"latitude", "country", "region"} & obj.keys()):
                return None
        else:
            identity_class = {"person": "individual", "armed_group": "group" if shape == "other" else shape}
            obj = {"type": "identity", "id": stix_id("identity", row["key"]),
                   "identity_class": identity_class.get(kind, "organization"), **common}
            if kind == "state":
                obj["sectors"] = ["government-national"]
            if aliases:
                obj["x_sitrep_aliases"] = aliases
            if row.get("country"):
                obj["x_sitrep_country"] = row["country"]
        self.entity_ids[eid] = self.add(obj)
        self.entity_types[eid] = obj["type"]
        return obj["id"]

    def entity_by_id(self, eid: int | None) -> str | None:
        if eid is None:
            return None
        if eid in self.entity_ids:
            return self.entity_ids[eid]
        row = self.store.get_entity(eid)
        return self.entity(row) if row else None

    # -- facts ----------------------------------------------------------------------------------
    def _claims_text(self, claims: list[dict[str, Any]]) -> str:
        out = []
        for c in claims:
            when = c.get("published") or "undated"
            page = f", p. {c['page']}" if c.get("page") else ""
            grade = f"graded {c['grade']}, " if c.get("grade") else ""
            out.append(f"{c['source']} ({grade}{c.get('publisher') or 'unknown outlet'}, {when}, doc {c['doc_id']}{page}): "
                       f"“{one_line(c['sentence'])}”")
        return "; ".join(out)

    def _claims_prop(self, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"doc_id": c["doc_id"], "source": c["source"], "polarity": c["polarity"],
                 "publisher": c.get("publisher"), "published": c.get("published"),
                 "sentence": one_line(c["sentence"]), "claim_id": c.get("claim_id"),
                 **({"grade": c["grade"]} if c.get("grade") else {})} for c in claims]

    def _stix_relationship_type(self, rtype: str, src_type: str, dst_type: str) -> str:
        return self.vocab.relationship_type(schema().stix_relationship(rtype), src_type, dst_type)

    def relation(self, fact: dict[str, Any]) -> None:
        src = self.entity_by_id(fact["subject_id"])
        dst = self.entity_by_id(fact["object_id"])
        if src is None or dst is None:
            return
        asserted = [c for c in fact["claims"] if c["polarity"] == "asserted"]
        denied = [c for c in fact["claims"] if c["polarity"] != "asserted"]
        statement = f"{fact['subject']} {schema().phrase(fact['type'])} {fact['object']}"
        refs = {c["doc_id"]: self.doc_reference(c["doc_id"]) for c in fact["claims"]}
        rel_id = None
        if asserted:
            desc = (f"{statement}. Asserted by {fact['asserted']['sources']} independent source(s) in "
                    f"{fact['asserted']['documents']} document(s): {self._claims_text(asserted)}.")
            if denied:
                desc += f" Denied by {fact['denied']['sources']} source(s): {self._claims_text(denied)}."
            rel_id = self.add({
                "type": "relationship", "id": stix_id("relationship", fact["fact_key"]),
                "relationship_type": self._stix_relationship_type(
                    fact["type"], self.objects[src]["type"], self.objects[dst]["type"]),
                "source_ref": src, "target_ref": dst, "description": desc,
                "confidence": credibility_confidence(fact),
                "external_references": list(refs.values()),
                "x_sitrep_credibility": fact.get("credibility"),
                "x_sitrep_relation": fact["type"],
                "x_sitrep_symmetric": schema().is_symmetric(fact["type"]),
                "x_sitrep_fact_key": fact["fact_key"],
                "x_sitrep_sources": fact["asserted"]["sources"],
                "x_sitrep_documents": fact["asserted"]["documents"],
                "x_sitrep_denied_sources": fact["denied"]["sources"],
                "x_sitrep_contested": fact["contested"],
                "x_sitrep_claims": self._claims_prop(fact["claims"]),
            })
            for c in asserted:
                self.support(c["doc_id"], rel_id, src, dst)
                if fact.get("credibility"):
                    self.doc_credibility.setdefault(c["doc_id"], []).append(int(fact["credibility"]))
        if denied:
            targets = [rel_id] if rel_id else [src, dst]
            note = self.add({
                "type": "note", "id": stix_id("note", "contested" if asserted else "denied", fact["fact_key"]),
                "abstract": f"{'Contested' if asserted else 'Denied'}: {statement}",
                "content": (f"Asserted by: {self._claims_text(asserted) or 'nobody'}.\n"
                            f"Denied by: {self._claims_text(denied)}."),
                "authors": sorted({c["source"] for c in fact["claims"]}),
                "object_refs": targets,
                "external_references": list(refs.values()),
                "x_sitrep_fact_key": fact["fact_key"],
            })
            for c in fact["claims"]:
                agree = c["polarity"] == "asserted"
                op = self.add({
                    "type": "opinion",
                    "id": stix_id("opinion", fact["fact_key"], c["doc_id"], c["source"], c["polarity"]),
                    "opinion": "agree" if agree else "disagree",
                    "explanation": f"{c['source']} {'asserts' if agree else 'denies'} that {statement}: "
                                   f"“{one_line(c['sentence'])}”",
                    "authors": [c["source"]],
                    "object_refs": targets,
                    "external_references": [refs[c["doc_id"]]],
                })
                self.support(c["doc_id"], note, op, *targets)

    def quantities(self, q: dict[str, Any]) -> None:
        subject = self.entity_by_id(q["subject_id"])
        if subject is None or not q["estimates"]:
            return
        what = q["estimates"][0]["what"]
        r = q["range"]
        lines = [f"{format_range(e['low'], e['high'], e.get('qualifier'))} {e['what']} according to {e['source']} "
                 f"({e.get('publisher') or 'unknown outlet'}, {e.get('published') or 'undated'}, doc {e['doc_id']}): "
                 f"“{one_line(e['sentence'])}”" for e in q["estimates"]]
        note = self.add({
            "type": "note", "id": stix_id("note", "quantity", q["subject_id"], q["what"]),
            "abstract": f"{q['subject']}: {format_range(r['low'], r['high'])} {what}"
                        + (" (estimates disagree)" if q["disagreement"] else ""),
            "content": "\n".join(lines),
            "authors": sorted({e["source"] for e in q["estimates"]}),
            "object_refs": [subject],
            "external_references": list({e["doc_id"]: self.doc_reference(e["doc_id"])
                                         for e in q["estimates"]}.values()),
            "x_sitrep_quantity": what, "x_sitrep_low": r["low"], "x_sitrep_high": r["high"],
            "x_sitrep_disagreement": q["disagreement"],
            "confidence": credibility_confidence(q),
            "x_sitrep_credibility": q.get("credibility"),
        })
        for e in q["estimates"]:
            self.support(e["doc_id"], note, subject)

    def event(self, e: dict[str, Any]) -> None:
        key = (e["type"], e.get("sub_type"), e.get("location_id"), e.get("date") or e.get("reported"),
               e.get("perpetrator_id"))
        name = f"{e['type']}" + (f" ({e['sub_type']})" if e.get("sub_type") else "")
        name += f" in {e['location']}" if e.get("location") else ""
        name += f", {e['date']}" if e.get("date") else ""
        desc = f"{name}."
        if e.get("killed") is not None:
            desc += f" {'At least ' if e.get('killed_min') else ''}{e['killed']} killed."
        if e.get("wounded") is not None:
            desc += f" {e['wounded']} wounded."
        desc += f" Reported by: {self._claims_text(e['reports'])}."
        inc = {"type": "incident", "id": stix_id("incident", *key), "name": name, "description": desc,
               "x_sitrep_event_type": e["type"], "x_sitrep_sub_type": e.get("sub_type"),
               "x_sitrep_date": e.get("date"), "x_sitrep_killed": e.get("killed"),
               "x_sitrep_wounded": e.get("wounded"), "x_sitrep_sources": e["sources"],
               "confidence": confidence(e["sources"]),
               "external_references": list({c["doc_id"]: self.doc_reference(c["doc_id"])
                                            for c in e["reports"]}.values())}
        inc = {k: v for k, v in inc.items() if v is not None}
        inc_id = self.add(inc)
        ids = [inc_id]
        # STIX suggests no relationship types for incidents: the role goes into x_sitrep_role
        for ref_id, rtype, role in ((e.get("perpetrator_id"), "attributed-to", "perpetrator"),
                                    (e.get("location_id"), "targets", "location")):
            target = self.entity_by_id(ref_id)
            if target:
                ids.append(target)
                ids.append(self.add({
                    "type": "relationship", "id": stix_id("relationship", inc_id, rtype, target),
                    "relationship_type": self.vocab.relationship_type(rtype, "incident",
                                                                      self.objects[target]["type"]),
                    "source_ref": inc_id, "target_ref": target, "confidence": confidence(e["sources"]),
                    "description": f"{role} of the incident", "x_sitrep_role": role,
                }))
        for c in e["reports"]:
            self.support(c["doc_id"], *ids)

    # -- reports ----------------------------------------------------------------------------------
    def reports(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            d = self.document(doc_id)
            for m in self.store.mentions(doc_id=doc_id, limit=100_000):
                sid = self.entity_by_id(m["entity_id"])
                if sid:
                    self.support(doc_id, sid)
            refs = sorted(self.doc_refs.get(doc_id, set())) or [self.author]
            ref = self.doc_reference(doc_id)
            report: dict[str, Any] = {
                "type": "report", "id": stix_id("report", doc_id),
                "name": d.get("title") or d.get("source") or doc_id,
                "published": _ts(d.get("published"), _ts(d.get("ingested_at"), self.ts)),
                "report_types": ["threat-report"],
                "object_refs": refs,
                "external_references": [ref],
                "x_sitrep_doc_id": doc_id,
            }
            desc = ", ".join(x for x in (d.get("publisher"), d.get("author")) if x)
            if desc:
                report["description"] = f"Article by {desc}."
            if d.get("near_duplicate_of"):
                report["x_sitrep_near_duplicate_of"] = d["near_duplicate_of"]
            values = sorted(self.doc_credibility.get(doc_id, []))
            if values:
                median = values[len(values) // 2]
                report["confidence"] = scale().stix_confidence.get(median)
                report["x_sitrep_credibility"] = median
            self.add(report)

    # -- graded sources -----------------------------------------------------------------------------
    def source_grades(self, g: Grades) -> None:
        """One ``note`` per graded source in the bundle (a ``grade`` decision or a well-known body's
        default): its Admiralty reliability, its meaning and where the grade comes from."""
        meanings = scale().reliability
        for sid in sorted(set(self.entity_ids.values())):
            name = self.objects[sid].get("name")
            if not name or not g.is_graded(name):
                continue
            grade = g.of(name)
            self.add({
                "type": "note", "id": stix_id("note", "reliability", sid),
                "abstract": f"Source reliability {grade}: {meanings[grade]}",
                "content": f"{name} is graded {grade} ({meanings[grade]}) on the Admiralty scale; {g.why(name)}.",
                "object_refs": [sid],
                "x_sitrep_reliability": grade,
            })


    def extension_definition(self) -> None:
        """The one extension that declares every ``x_sitrep_*`` property used in the bundle."""
        props = sorted({k for o in self.objects.values() for k in o if k.startswith("x_sitrep_")})
        if not props:
            return
        self.add({
            "type": "extension-definition", "id": EXTENSION_ID, "name": "sitrep properties",
            "description": "Provenance and bookkeeping properties written by sitrep: the sitrep key and kind of "
                           "an entity, the relation type and its quoted claims, source counts, event fields.",
            "schema": "Top-level properties named x_sitrep_*; each is documented in sitrep's "
                      "outputs/stix.py (see the project README, section STIX export).",
            "version": "1.0.0", "extension_types": ["toplevel-property-extension"],
            "extension_properties": props,
        })


def _default_timestamp(store: Store) -> str:
    latest = ""
    offset = 0
    while True:
        rows = store.list_documents(limit=1000, offset=offset)
        if not rows:
            break
        latest = max([latest, *(str(r.get("ingested_at") or "") for r in rows)])
        offset += len(rows)
    return _ts(latest, "2000-01-01T00:00:00.000Z")


def build_bundle(store: Store, timestamp: str | None = None,
                 threat_actor_types: list[str] | None = None) -> dict[str, Any]:
    """The whole knowledge base as a STIX 2.1 bundle (a dict ready for ``json.dump``)."""
    b = BundleBuilder(store, timestamp or _default_timestamp(store), threat_actor_types or ["unknown"])
    for row in store.list_entities(limit=1_000_000):
        b.entity(row)
    g = grades(store)
    for fact in grade_with(g, group_relations(store.relation_rows(limit=10_000_000))):
        b.relation(fact)
    for q in grade_with(g, group_quantities(store.quantity_rows(limit=10_000_000))):
        b.quantities(q)
    for e in group_events(store.event_rows(limit=10_000_000)):
        b.event(e)
    b.reports(list(store.iter_document_ids()))
    b.source_grades(g)
    b.extension_definition()
    objects = sorted(b.objects.values(), key=lambda o: (o["type"] != "identity", o["type"], o["id"]))
    return {"type": "bundle", "id": stix_id("bundle", *sorted(b.objects)), "objects": objects}


def validate_bundle(bundle: dict[str, Any]) -> int:
    """Parse the bundle with the stix2 library (raises on invalid objects); returns the object count."""
    import stix2

    parsed = stix2.parse(json.dumps(bundle), allow_custom=True)
    return len(parsed.objects)


def dumps(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, indent=2, ensure_ascii=False, sort_keys=False)
