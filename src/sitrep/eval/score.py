"""Score the pipeline against gold annotations, as ``../shared/eval/FORMAT.md`` specifies.

Scores are micro-averaged: per document the found set is compared with the gold
set and the counts are summed over documents.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.config import Settings
from sitrep.data import schema
from sitrep.models import PLACE_KINDS
from sitrep.store.base import Store

log = logging.getLogger(__name__)

NON_ACTOR_KINDS = frozenset(PLACE_KINDS) | {"state"}


def norm(name: str | None) -> str:
    """Lower-case, drop punctuation and spaces (FORMAT.md's name comparison)."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in text if ch.isalnum())


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)
    false_hits: list[str] = field(default_factory=list)

    def add(self, gold: int, predicted: int, matched: int) -> None:
        self.gold += gold
        self.predicted += predicted
        self.matched += matched

    def as_dict(self) -> dict[str, Any]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "gold": self.gold, "predicted": self.predicted, "matched": self.matched}


def _match(preds: list[Any], golds: list[Any], same: Any) -> tuple[int, list[int], list[int]]:
    """Greedy one-to-one matching; returns (matched, unmatched pred idx, unmatched gold idx)."""
    used: set[int] = set()
    unmatched_pred = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if j not in used and same(p, g):
                used.add(j)
                break
        else:
            unmatched_pred.append(i)
    return len(used), unmatched_pred, [j for j in range(len(golds)) if j not in used]


def _best_match(preds: list[Any], golds: list[Any], same: Any, agree: Any) -> list[tuple[int, int]]:
    """The one-to-one pairing of predictions with gold items that ``same`` allows with the most pairs and,
    among those, the most attributes in agreement (``agree(p, g)`` counts them): a maximum-weight
    bipartite matching, so the order in which the store lists facts cannot pair a right prediction
    with the wrong gold item."""
    import networkx as nx

    graph = nx.Graph()
    big = 2 * min(len(preds), len(golds)) + 1  # one more pair outweighs any agreement (at most 2 each)
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if same(p, g):
                graph.add_edge(("p", i), ("g", j), weight=big + agree(p, g))
    pairs = []
    for a, b in nx.max_weight_matching(graph):
        (ka, ia), (_, ib) = a, b
        pairs.append((ia, ib) if ka == "p" else (ib, ia))
    return sorted(pairs)


class GoldDoc:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.doc: str = data["doc"]
        # every gold name -> the set of all names of its entry (actors and places)
        self.names: dict[str, set[str]] = {}
        for entry in data.get("actors", []) + data.get("places", []):
            names = {norm(n) for n in entry.get("names", []) if norm(n)}
            for n in names:
                self.names.setdefault(n, set()).update(names)

    def names_of(self, name: str | None) -> set[str]:
        n = norm(name)
        return self.names.get(n, {n} if n else set())

    def outside_schema(self) -> list[str]:
        """Kinds and types of this gold file that the schema (schema.yaml) does not know: such items can
        never be matched, so they are worth a warning rather than a silent miss."""
        s = schema()
        out: list[str] = []
        for what, items, key, known in (
            ("actor kind", self.data.get("actors", []), "kind", set(s.actor_kinds)),
            ("place kind", self.data.get("places", []), "kind", set(s.place_kinds)),
            ("relation type", self.data.get("relations", []), "type", set(s.relation_types)),
            ("event type", self.data.get("events", []), "type", set(s.event_types)),
        ):
            for item in items:
                value = item.get(key) if isinstance(item, dict) else None
                if value is not None and value not in known:
                    out.append(f"{self.doc}: {what} {value!r} is not in {s.source}")
        return out


def _entity_names(store: Store, entity_id: int, cache: dict[int, set[str]]) -> set[str]:
    if entity_id not in cache:
        ent = store.get_entity(entity_id)
        names = {norm(a) for a in store.aliases(entity_id)}
        if ent:
            names.add(norm(ent["name"]))
        cache[entity_id] = {n for n in names if n}
    return cache[entity_id]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _article_lines(doc: dict[str, Any]) -> list[str]:
    """The article's non-empty lines as a reader sees them: visible text for HTML, raw lines otherwise."""
    raw = doc["raw"]
    if doc.get("format") == "html" or raw.lstrip().startswith("<"):
        from sitrep.ingest.html import strip_tags

        return _lines(strip_tags(raw))
    return _lines(raw)


def _source_names(source: str) -> list[str]:
    """Names a gold ``doc`` field may use for a stored source: the file name, and for a JSONL
    record ``file.jsonl#id`` also ``file.jsonl#id``'s file name and its id."""
    name = re.split(r"[\\/]", source)[-1]
    names = [name]
    if "#" in name:
        file_part, _, record = name.partition("#")
        names += [file_part, record]
    return names


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _credited(claims: list[dict[str, Any]], gold_source: Any, gold: GoldDoc, names: Any,
              publisher: str | None) -> bool:
    """FORMAT.md's attribution test: some claim of the fact credits the gold source (any of its names;
    any one of a list of sources), or for a null source speaks in the article's own voice (no one
    named, or the publisher itself)."""
    if gold_source is None:
        own = {norm(publisher)} - {""}
        return any(c["source_id"] is None or bool(names(c["source_id"]) & own) for c in claims)
    wanted: set[str] = set()
    for s in gold_source if isinstance(gold_source, list) else [gold_source]:
        wanted |= gold.names_of(s)
    return any(c["source_id"] is not None and bool(names(c["source_id"]) & wanted) for c in claims)


class Scorer:
    def __init__(self) -> None:
        self.counts = {k: Counts() for k in ("actors", "places", "relations", "quantities", "events")}
        self.events_date_right = 0
        self.events_killed_right = 0
        self.bp_gold = self.bp_removed = self.other_total = self.other_kept = 0
        self.title_right = self.published_right = 0
        self.attribution_gold = self.attribution_right = 0
        self.documents = 0
        self.missing_docs: list[str] = []
        self.details: list[dict[str, Any]] = []

    def score_document(self, store: Store, doc: dict[str, Any], gold: GoldDoc) -> None:
        self.documents += 1
        detail: dict[str, Any] = {"doc": gold.doc}
        cache: dict[int, set[str]] = {}
        mentions = store.mentions(doc_id=doc["id"], limit=1_000_000)
        ents: dict[int, str] = {m["entity_id"]: m["kind"] for m in mentions}

        def names(eid: int | None) -> set[str]:
            return _entity_names(store, eid, cache) if eid is not None else set()

        # actors and places
        for key, want_place in (("actors", False), ("places", True)):
            preds = [eid for eid, kind in ents.items()
                     if (kind in PLACE_KINDS if want_place else kind not in NON_ACTOR_KINDS)]
            golds = [g for g in gold.data.get(key, []) if want_place or g.get("kind") != "state"]
            gsets = [{norm(n) for n in g["names"]} for g in golds]
            matched, up, ug = _match(preds, gsets, lambda p, g: bool(names(p) & g))
            self.counts[key].add(len(golds), len(preds), matched)
            detail[key] = {"missed": [golds[j]["names"][0] for j in ug],
                           "false": [store.get_entity(preds[i])["name"] for i in up]}

        # relations
        rel_rows = store.relation_rows(doc_id=doc["id"], limit=100_000)
        seen: dict[tuple[Any, ...], dict[str, Any]] = {}
        r_claims: dict[tuple[Any, ...], list[dict[str, Any]]] = {}  # every claim of a fact, either direction

        def fact_of(r: dict[str, Any]) -> tuple[Any, ...]:
            s, o = r["subject_id"], r["object_id"]
            if schema().is_symmetric(r["type"]) and o < s:
                s, o = o, s
            return (s, r["type"], o, r["polarity"])

        for r in rel_rows:
            seen.setdefault((r["subject_id"], r["type"], r["object_id"], r["polarity"]), r)
            r_claims.setdefault(fact_of(r), []).append(r)
        preds_r = list(seen.values())
        golds_r = gold.data.get("relations", [])
        attr_pairs: list[tuple[str, dict[str, Any], dict[str, Any]]] = []

        def rel_same(p: dict[str, Any], g: dict[str, Any]) -> bool:
            if p["type"] != g["type"] or p["polarity"] != g.get("polarity", "asserted"):
                return False
            gs, go = gold.names_of(g["subject"]), gold.names_of(g["object"])
            ps, po = names(p["subject_id"]), names(p["object_id"])
            ok = bool(ps & gs and po & go) or (schema().is_symmetric(p["type"]) and bool(ps & go and po & gs))
            if ok:
                attr_pairs.append(("relation", p, g))
            return ok

        matched, up, ug = _match(preds_r, golds_r, rel_same)
        self.counts["relations"].add(len(golds_r), len(preds_r), matched)
        detail["relations"] = {
            "missed": [f"{g['subject']} {g['type']} {g['object']} ({g.get('polarity', 'asserted')})" for g in
                       (golds_r[j] for j in ug)],
            "false": [f"{p['subject']} {p['type']} {p['object']} ({p['polarity']}) «{p['cue']}»" for p in
                      (preds_r[i] for i in up)],
        }

        # quantities
        q_seen: dict[tuple[Any, ...], dict[str, Any]] = {}
        q_claims: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for r in store.quantity_rows(doc_id=doc["id"], limit=100_000):
            q_seen.setdefault((r["subject_id"], r["low"], r["high"]), r)
            q_claims.setdefault((r["subject_id"], r["low"], r["high"]), []).append(r)
        preds_q = list(q_seen.values())
        golds_q = gold.data.get("quantities", [])

        def num_eq(a: Any, b: Any) -> bool:
            return (a is None and b is None) or (a is not None and b is not None and float(a) == float(b))

        def q_same(p: dict[str, Any], g: dict[str, Any]) -> bool:
            ok = (bool(names(p["subject_id"]) & gold.names_of(g["subject"]))
                  and num_eq(p["low"], g.get("low")) and num_eq(p["high"], g.get("high")))
            if ok:
                attr_pairs.append(("quantity", p, g))
            return ok

        matched, up, ug = _match(preds_q, golds_q, q_same)
        self.counts["quantities"].add(len(golds_q), len(preds_q), matched)
        detail["quantities"] = {
            "missed": [f"{g['subject']}: {g.get('what')} {g.get('low')}..{g.get('high')}" for g in
                       (golds_q[j] for j in ug)],
            "false": [f"{p['subject']}: {p['what']} {p['low']}..{p['high']} «{p['text']}»" for p in
                      (preds_q[i] for i in up)],
        }

        # attribution: over matched relations and quantities whose gold item has a ``source``
        wrong_sources: list[str] = []
        for what, p, g in attr_pairs:
            if "source" not in g:
                continue
            claims = (r_claims.get(fact_of(p), [p]) if what == "relation"
                      else q_claims.get((p["subject_id"], p["low"], p["high"]), [p]))
            ok = _credited(claims, g["source"], gold, names, doc.get("publisher"))
            self.attribution_gold += 1
            self.attribution_right += int(ok)
            if not ok:
                fact = (f"{p['subject']} {p['type']} {p['object']} ({p['polarity']})" if what == "relation"
                        else f"{p['subject']}: {p['what']} {p['low']}..{p['high']}")
                got = sorted({c["source"] or (f"own voice «{c['source_text']}»" if c["source_text"] else "own voice")
                              for c in claims})
                wrong_sources.append(f"{fact}: gold source {g['source']!r}, got {'; '.join(got)}")
        detail["attribution"] = {"wrong": wrong_sources}

        # events
        from sitrep.query.events import group_events

        preds_e = group_events(store.event_rows(doc_id=doc["id"], limit=100_000))
        golds_e = gold.data.get("events", [])

        def e_same(p: dict[str, Any], g: dict[str, Any]) -> bool:
            return p["type"] == g["type"] and bool(names(p["location_id"]) & gold.names_of(g.get("location")))

        def e_agree(p: dict[str, Any], g: dict[str, Any]) -> int:
            return int((p["date"] or None) == (g.get("date") or None)) + int(p["killed"] == g.get("killed"))

        index_pairs = _best_match(preds_e, golds_e, e_same, e_agree)
        pairs = [(preds_e[i], golds_e[j]) for i, j in index_pairs]
        up = [i for i in range(len(preds_e)) if i not in {i for i, _ in index_pairs}]
        ug = [j for j in range(len(golds_e)) if j not in {j for _, j in index_pairs}]
        self.counts["events"].add(len(golds_e), len(preds_e), len(pairs))
        for p, g in pairs:
            self.events_date_right += int((p["date"] or None) == (g.get("date") or None))
            self.events_killed_right += int(p["killed"] == g.get("killed"))
        detail["events"] = {
            "missed": [f"{g['type']} at {g.get('location')} killed {g.get('killed')}" for g in (golds_e[j] for j in ug)],
            "false": [f"{p['type']}/{p['sub_type']} at {p['location']} killed {p['killed']} «{p['trigger']}»"
                      for p in (preds_e[i] for i in up)],
            "matched": [f"{p['type']} at {p['location']}: date {p['date']} (gold {g.get('date')}), killed "
                        f"{p['killed']} (gold {g.get('killed')})" for p, g in pairs],
        }

        # boilerplate, title, published
        cleaned = set(_lines(doc["text"]))
        bp = [ln.strip() for ln in gold.data.get("boilerplate", []) if ln.strip()]
        bp_set = set(bp)
        self.bp_gold += len(bp)
        self.bp_removed += sum(1 for ln in bp if ln not in cleaned)
        others = [ln for ln in _article_lines(doc) if ln not in bp_set]
        self.other_total += len(others)
        self.other_kept += sum(1 for ln in others if ln in cleaned)
        detail["boilerplate"] = {"kept_furniture": [ln for ln in bp if ln in cleaned],
                                 "lost_lines": [ln for ln in others if ln not in cleaned]}
        title_ok = _same_text(doc.get("title"), gold.data.get("title"))
        pub_ok = (doc.get("published") or None) == (gold.data.get("published") or None)
        self.title_right += int(title_ok)
        self.published_right += int(pub_ok)
        detail["title"] = {"ok": title_ok, "got": doc.get("title"), "gold": gold.data.get("title")}
        detail["published"] = {"ok": pub_ok, "got": doc.get("published"), "gold": gold.data.get("published")}
        self.details.append(detail)

    def result(self) -> dict[str, Any]:
        ev = self.counts["events"]
        out: dict[str, Any] = {"documents": self.documents}
        for key in ("actors", "places", "relations", "quantities"):
            out[key] = self.counts[key].as_dict()
        out["events"] = {**ev.as_dict(),
                         "date_accuracy": round(self.events_date_right / ev.matched, 4) if ev.matched else 0.0,
                         "killed_accuracy": round(self.events_killed_right / ev.matched, 4) if ev.matched else 0.0}
        out["attribution"] = {
            "accuracy": round(self.attribution_right / self.attribution_gold, 4) if self.attribution_gold else 0.0,
            "gold": self.attribution_gold,
        }
        out["boilerplate"] = {
            "removed": round(self.bp_removed / self.bp_gold, 4) if self.bp_gold else 0.0,
            "kept": round(self.other_kept / self.other_total, 4) if self.other_total else 0.0,
        }
        out["title"] = {"accuracy": round(self.title_right / self.documents, 4) if self.documents else 0.0,
                        "gold": self.documents}
        out["published"] = {"accuracy": round(self.published_right / self.documents, 4) if self.documents else 0.0,
                            "gold": self.documents}
        return out


def load_gold(gold_dir: Path) -> list[GoldDoc]:
    files = sorted(gold_dir.glob("*.gold.json"))
    golds = [GoldDoc(json.loads(f.read_text(encoding="utf-8"))) for f in files]
    for g in golds:
        for problem in g.outside_schema():
            log.warning("%s", problem)
    return golds


def evaluate(gold_dir: Path, docs_dir: Path | None = None, workers: int | None = None,
             settings: Settings | None = None) -> tuple[dict[str, Any], Scorer]:
    """Ingest the gold articles into a fresh temporary database with ``settings`` (the command's one
    :class:`~sitrep.config.Settings`: its user gazetteer, limits, workers) and score them."""
    from sitrep.pipeline import run_ingest
    from sitrep.store.sqlite import SQLiteStore

    golds = load_gold(gold_dir)
    docs_dir = docs_dir or gold_dir
    scorer = Scorer()
    with tempfile.TemporaryDirectory(prefix="sitrep-eval-") as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db")
        try:
            paths = [str(docs_dir / g.doc) for g in golds if (docs_dir / g.doc).exists()]
            scorer.missing_docs = [g.doc for g in golds if not (docs_dir / g.doc).exists()]
            run_ingest(paths, store, settings, workers=workers)
            by_name: dict[str, dict[str, Any]] = {}
            ambiguous: set[str] = set()
            for row in store.list_documents(limit=1_000_000):
                for name in _source_names(row["source"]):
                    if name in by_name and by_name[name]["id"] != row["id"]:
                        ambiguous.add(name)  # a JSONL file of several records: match by file#id only
                    by_name.setdefault(name, row)
            for g in golds:
                row = by_name.get(g.doc) if g.doc not in ambiguous else None
                if row is None:
                    scorer.missing_docs.append(g.doc)
                    continue
                doc = store.get_document(row["id"])
                if doc is not None:
                    scorer.score_document(store, doc, g)
        finally:
            store.close()
    return scorer.result(), scorer
