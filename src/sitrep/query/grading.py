"""Admiralty grading: a reliability grade A-F per source and a credibility 1-6 per fact.

This module is the one place the rules live (the README documents them):

* a source's **reliability** is the latest ``sitrep grade`` decision for it, else a default
  for well-known bodies from ``data/source_grades.yaml``, else F (cannot be judged);
* a fact's **credibility**, from its claims still in force (rejected claims have left them):
  1. confirmed: asserted by two or more independent sources (``sources`` as
     :mod:`sitrep.query.facts` counts them), or one of its claims confirmed by an analyst,
     and denied by no source graded at least as well as the best one asserting it, and (for a
     group of estimates) with no two sources giving figures that cannot both be right;
  5. improbable: denied by a source graded better than every source asserting it;
  4. doubtful: denied by some source, estimates of it that disagree (a contradiction, as
     ``sitrep contradictions`` lists it), or asserted by one source graded D or E;
  2. probably true: one source graded A or B, stated plainly;
  3. possibly true: one source graded C, or an A/B source that hedges (alleged, reported, ...);
  6. cannot be judged: one source graded F, or no asserting claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitrep.data.loader import Record, mapping_of, one_of, read_yaml, text
from sitrep.resolve.linking import normalize
from sitrep.store.base import Row, Store

_normal = lru_cache(maxsize=65_536)(normalize)  # a page grades the same few sources thousands of times

GRADES = ("A", "B", "C", "D", "E", "F")
DEFAULT_GRADE = "F"


@dataclass(frozen=True, slots=True)
class GradeScale:
    reliability: dict[str, str]
    credibility: dict[int, str]
    defaults: dict[str, str]  # normalised source name -> grade
    stix_confidence: dict[int, int | None] = field(default_factory=dict)  # credibility -> STIX confidence


def _confidence(node: Any) -> int | None:
    if node.value is None:
        return None
    if isinstance(node.value, bool) or not isinstance(node.value, int) or not 0 <= node.value <= 100:
        raise node.fail(f"a STIX confidence is 0 to 100 or null, not {node.value!r}")
    return int(node.value)


@lru_cache(maxsize=1)
def scale() -> GradeScale:
    """The validated ``source_grades.yaml``."""
    root = read_yaml("source_grades.yaml")
    raw = Record(required={"reliability": mapping_of(text, one_of(GRADES)),
                           "credibility": lambda n: n, "defaults": mapping_of(one_of(GRADES)),
                           "stix_confidence": lambda n: n})(root)
    credibility: dict[int, str] = {}
    confidence: dict[int, int | None] = {}
    for key, node in raw["credibility"].value.items():
        if str(key) not in {"1", "2", "3", "4", "5", "6"}:
            raise node.fail(f"credibility must be 1 to 6, not {key!r}")
        credibility[int(key)] = text(node)
    for key, node in (raw["stix_confidence"].value or {}).items():
        if str(key) not in {"1", "2", "3", "4", "5", "6"}:
            raise node.fail(f"stix_confidence: credibility must be 1 to 6, not {key!r}")
        confidence[int(key)] = _confidence(node)
    missing = [g for g in GRADES if g not in raw["reliability"]]
    if missing or len(credibility) != 6 or len(confidence) != 6:
        raise root.fail("reliability must name A-F, credibility and stix_confidence 1-6, each once")
    return GradeScale(raw["reliability"], credibility, {normalize(k): v for k, v in raw["defaults"].items()},
                      confidence)


def check_grade(value: str) -> str:
    grade = value.strip().upper()
    if grade not in GRADES:
        raise ValueError(f"a grade is one of {', '.join(GRADES)}, not {value!r}")
    return grade


@dataclass(frozen=True, slots=True)
class Grades:
    """Reliability by normalised source name, and the claims analysts confirmed."""

    by_name: dict[str, str]
    confirmed: frozenset[str]
    basis: dict[str, str] = field(default_factory=dict)  # normalised name -> where its grade comes from
    _memo: dict[str | None, str] = field(default_factory=dict, compare=False, repr=False)  # name as written -> grade

    def of(self, name: str | None) -> str:
        grade = self._memo.get(name)
        if grade is None:
            grade = self._memo[name] = self.by_name.get(_normal(name or ""), DEFAULT_GRADE)
            if len(self._memo) > 65_536:
                self._memo.clear()
        return grade

    def is_graded(self, name: str | None) -> bool:
        """True when a decision or a default grades this source (else it is F by default)."""
        return normalize(name or "") in self.basis

    def why(self, name: str | None) -> str:
        """Where a source's grade comes from: an analyst's decision (who, why), a default, or none."""
        return self.basis.get(normalize(name or ""), "no grade given: reliability cannot be judged")


def grades(store: Store) -> Grades:
    """The grades in force in ``store``: defaults, then ``grade`` decisions in the order made (read once
    while the data is unchanged where the store keeps a ``read_cache``, as the web page's stores do)."""
    cache = getattr(store, "read_cache", None)
    if cache is not None and "grades" in cache:
        return cache["grades"]
    g = _read_grades(store)
    if cache is not None:
        cache["grades"] = g
    return g


def _read_grades(store: Store) -> Grades:
    from sitrep.store.decisions import list_decisions

    by_name = dict(scale().defaults)
    basis = {name: "sitrep's default for a well-known body" for name in by_name}
    confirmed: set[str] = set()
    try:
        decisions = list_decisions(store)
        for name, default in scale().defaults.items():  # a default covers every spelling of its body
            for spelling in _spellings(store, name):
                by_name.setdefault(normalize(spelling), default)
                basis.setdefault(normalize(spelling), "sitrep's default for a well-known body")
    except ValueError:
        decisions = []
    for d in decisions:
        if d["kind"] == "grade":
            why = f"graded by {d.get('who') or 'an analyst'} on {str(d.get('made_at') or '')[:10]}"
            why += f": {d['why']}" if d.get("why") else ""
            for spelling in _spellings(store, d["args"]["source"]):
                by_name[normalize(spelling)] = d["args"]["grade"]
                basis[normalize(spelling)] = why
        elif d["kind"] == "confirm" and d["status"] == "applied":
            confirmed.add(d["args"]["claim"])
    return Grades(by_name, frozenset(confirmed), basis)


def _spellings(store: Store, name: str) -> list[str]:
    from sitrep.store.decisions import entity_named

    ent = entity_named(store, name)
    return [name, *(store.aliases(ent["id"]) if ent else []), *([ent["name"]] if ent else [])]


_RANKS = {grade: i for i, grade in enumerate(GRADES)}


def _rank(grade: str) -> int:
    return _RANKS[grade]


def credibility(fact: dict[str, Any], g: Grades) -> tuple[int, str]:
    """The credibility (1-6) of a fact as :func:`sitrep.query.facts.group_relations` (or, for an estimate,
    ``group_quantities``) returns it, and why.  Rejected claims shown beside it do not count."""
    claims = [c for c in fact.get("claims", fact.get("estimates", [])) if not c.get("rejected")]
    asserted = [c for c in claims if c["polarity"] == "asserted"]
    denied = [c for c in claims if c["polarity"] != "asserted"]
    if not asserted:
        return 6, "no source asserts it"
    best_for = min(_RANKS[g.of(c["source"])] for c in asserted)
    best_against = min((_RANKS[g.of(c["source"])] for c in denied), default=len(GRADES))
    if best_against < best_for:
        return 5, f"denied by a source graded {GRADES[best_against]}, better than any asserting it"
    if fact.get("disagreement"):  # estimates that cannot all be right contradict each other: never confirmed
        return 4, "estimates from different sources disagree"
    if any(c.get("claim_id") in g.confirmed for c in asserted) and best_against > best_for:
        return 1, "confirmed by an analyst"
    independent = fact.get("asserted", fact.get("corroboration", {})).get("sources", 0)
    if independent >= 2 and best_against > best_for:
        return 1, f"asserted by {independent} independent sources"
    if denied:
        return 4, "denied by another source"
    grade = GRADES[best_for]
    hedged = all(c.get("modality") for c in asserted if _rank(g.of(c["source"])) == best_for)
    if grade in "AB":
        return (3, f"one source graded {grade}, hedged") if hedged else (2, f"one source graded {grade}")
    if grade == "C":
        return 3, "one source graded C"
    if grade in "DE":
        return 4, f"one source graded {grade}"
    return 6, "one source whose reliability cannot be judged"


def grade_facts(store: Store, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``credibility``, ``credibility_label``, ``credibility_why`` to each fact (a relation, or a group of
    estimates) and ``grade`` (with ``grade_meaning``) to each of its claims."""
    return grade_with(grades(store), facts)


def grade_with(g: Grades, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`grade_facts` with grades already read (one read for many lists)."""
    labels = scale().credibility
    meanings = scale().reliability
    for fact in facts:
        for c in fact.get("claims", fact.get("estimates", [])):
            c["grade"] = g.of(c["source"])
            c["grade_meaning"] = meanings[c["grade"]]
        value, why = credibility(fact, g)
        if fact.get("rejected"):
            why = "every claim of it was rejected by an analyst"
        fact.update(credibility=value, credibility_label=labels[value], credibility_why=why)
    return facts


def grade_claims(g: Grades, claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the source's ``grade`` to each claim of a flat list (events)."""
    meanings = scale().reliability
    for c in claims:
        c["grade"] = g.of(c.get("source"))
        c["grade_meaning"] = meanings[c["grade"]]
    return claims


def legend() -> dict[str, dict[str, str]]:
    """The two scales, for a briefing's or a page's legend: reliability A-F and credibility 1-6."""
    return {"reliability": dict(scale().reliability), "credibility": {str(k): v for k, v in scale().credibility.items()}}


def source_grade(store: Store, name: str) -> Row:
    """A source's grade, its meaning and where it comes from."""
    g = grades(store)
    grade = g.of(name)
    return {"source": name, "grade": grade, "meaning": scale().reliability[grade]}


def grade_as_in_kb(store: Store, g: Grades, facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Grade relation facts that hold only some of their claims (one source's, on the source page and in
    ``sitrep source``) with the credibility the whole knowledge base gives each fact."""
    grade_with(g, facts)
    wanted = [(f["fact_key"], f["subject_id"]) for f in facts if f.get("subject_id") is not None and not f.get("rejected")]
    whole = kb_credibility(store, g, wanted)
    for fact in facts:
        found = whole.get((fact["fact_key"], fact.get("subject_id")))
        if found is not None and not fact.get("rejected"):
            fact.update(zip(("credibility", "credibility_label", "credibility_why"), found, strict=True))
    return facts


#: facts whose knowledge-base-wide credibility a reader keeps while the data is unchanged (then it starts over)
KB_CREDIBILITY_CACHE = 50_000
_KEYS_PER_QUERY = 400


def kb_credibility(store: Store, g: Grades, facts: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[int, str, str]]:
    """``(credibility, label, why)`` the whole knowledge base gives each ``(fact_key, subject_id)``: from
    every claim of that fact about that subject (as an actor page groups them), read for all the facts
    at once.  Kept in the store's ``read_cache`` (valid while the data is unchanged, see ``web.app.KB``)
    when ``g`` is the grades in force there; a fact nobody asserts or denies any more is left out."""
    from sitrep.query.facts import group_relations

    cache = getattr(store, "read_cache", None)
    if cache is None or cache.get("grades") is not g:
        cache = {}
    known: dict[tuple[str, int], tuple[int, str, str] | None] = cache.setdefault("kb_credibility", {})
    missing = sorted({f for f in facts if f not in known})
    for i in range(0, len(missing), _KEYS_PER_QUERY):
        chunk = missing[i:i + _KEYS_PER_QUERY]
        by_key: dict[str, list[Row]] = {}
        for r in store.relation_rows(fact_keys=sorted({k for k, _ in chunk}), limit=10_000_000):
            by_key.setdefault(r["fact_key"], []).append(r)
        for key, subject in chunk:
            mine = [r for r in by_key.get(key, ()) if subject in (r["subject_id"], r["object_id"])]
            grouped = grade_with(g, group_relations(mine)) if mine else []
            known[(key, subject)] = ((grouped[0]["credibility"], grouped[0]["credibility_label"],
                                      grouped[0]["credibility_why"]) if grouped else None)
    if len(known) > KB_CREDIBILITY_CACHE:
        cache.pop("kb_credibility", None)
    return {f: v for f in facts if (v := known.get(f)) is not None}
