"""The filters of the web page's network, map and timeline: one parsed, validated view filter.

A filter comes from a query string (so a filtered view is a URL one can share) and is checked
whole before anything is read: a bad value is a :class:`FilterError` naming the parameter and
what is allowed, never a silently empty result.

* ``from`` / ``to``: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a partial date covers its whole
  year or month).  A relation claim is dated by its article's publication date; an event by its
  own date, else by its earliest report.  **Undated** items (no date at all) are kept, as the
  brief keeps undated reporting, and counted so the page can say so; ``undated=0`` drops them.
* ``actor``: an entity id; the network shows its neighbourhood, the map and timeline the
  events it committed or suffered.
* ``event_type`` (map, timeline) and ``relation`` (network): one type of the schema.
* ``credibility``: keep facts at least this credible, 1 (confirmed) to 6 (cannot be judged),
  as :mod:`sitrep.query.grading` defines them.
* ``grade``: keep facts asserted by at least one source graded this well or better (A-F).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from sitrep.models import EVENT_TYPES, RELATION_TYPES
from sitrep.query.grading import GRADES, credibility, grades, scale
from sitrep.store.base import Store

#: Query-string names, in the order links write them.
PARAMS = ("from", "to", "actor", "event_type", "relation", "credibility", "grade", "undated")
#: Older names the timeline accepted, still understood.
ALIASES = {"since": "from", "type": "event_type"}
MAX_VALUE = 60


class FilterError(ValueError):
    """A filter value that is not allowed; the message names the parameter and what is allowed."""


@dataclass(frozen=True, slots=True)
class ViewFilter:
    date_from: str | None = None
    date_to: str | None = None
    actor: int | None = None
    event_type: str | None = None
    relation: str | None = None
    credibility: int | None = None
    grade: str | None = None
    undated: bool = True

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @property
    def active(self) -> bool:
        return self != ViewFilter()

    def params(self) -> dict[str, str]:
        """The filter as query-string parameters (only those set)."""
        values = {"from": self.date_from, "to": self.date_to, "actor": self.actor, "event_type": self.event_type,
                  "relation": self.relation, "credibility": self.credibility, "grade": self.grade,
                  "undated": None if self.undated else "0"}
        return {k: str(v) for k, v in values.items() if v is not None}

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _is_date(value: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real date: the one check sitrep's dates share."""
    from sitrep.extract.dates import is_iso_date

    return is_iso_date(value)


def parse_filters(params: Mapping[str, str]) -> ViewFilter:
    """A :class:`ViewFilter` from query parameters; empty values mean "any" (what a form sends)."""
    raw: dict[str, str] = {}
    for key in params:
        name = ALIASES.get(key, key)
        if name not in PARAMS:
            continue
        value = str(params[key]).strip()
        if len(value) > MAX_VALUE:
            raise FilterError(f"{key}: at most {MAX_VALUE} characters")
        if value and name not in raw:
            raw[name] = value
    out: dict[str, Any] = {}
    for name in ("from", "to"):
        if name in raw:
            if not _is_date(raw[name]):
                raise FilterError(f"{name} must be a real date: YYYY, YYYY-MM or YYYY-MM-DD, not {raw[name]!r}")
            out["date_from" if name == "from" else "date_to"] = raw[name]
    if "date_from" in out and "date_to" in out and low(out["date_from"]) > high(out["date_to"]):
        raise FilterError(f"from ({out['date_from']}) is after to ({out['date_to']})")
    if "actor" in raw:
        if not raw["actor"].isdigit() or len(raw["actor"]) > 18:
            raise FilterError(f"actor must be an actor's id (a whole number), not {raw['actor']!r}")
        out["actor"] = int(raw["actor"])
    if "event_type" in raw:
        if raw["event_type"] not in EVENT_TYPES:
            raise FilterError(f"unknown event type {raw['event_type']!r}; one of: {', '.join(EVENT_TYPES)}")
        out["event_type"] = raw["event_type"]
    if "relation" in raw:
        if raw["relation"] not in RELATION_TYPES:
            raise FilterError(f"unknown relation type {raw['relation']!r}; one of: {', '.join(RELATION_TYPES)}")
        out["relation"] = raw["relation"]
    if "credibility" in raw:
        if raw["credibility"] not in {"1", "2", "3", "4", "5", "6"}:
            raise FilterError(f"credibility must be 1 (confirmed) to 6 (cannot be judged), not {raw['credibility']!r}")
        out["credibility"] = int(raw["credibility"])
    if "grade" in raw:
        grade = raw["grade"].upper()
        if grade not in GRADES:
            raise FilterError(f"grade must be one of {', '.join(GRADES)} (source reliability), not {raw['grade']!r}")
        out["grade"] = grade
    if "undated" in raw:
        if raw["undated"] not in {"0", "1"}:
            raise FilterError(f"undated must be 1 (keep undated items) or 0 (drop them), not {raw['undated']!r}")
        out["undated"] = raw["undated"] == "1"
    return ViewFilter(**out)


# -- dates ---------------------------------------------------------------------------------------

def low(value: str) -> str:
    """The first day a (partial) ISO date covers: ``2024`` -> ``2024-01-01``."""
    day = value[:10]
    return day + "-01-01"[:10 - len(day)]


def high(value: str) -> str:
    """The last day a (partial) ISO date covers, as a string that sorts right: ``2024-02`` -> ``2024-02-31``."""
    day = value[:10]
    return day + {4: "-12-31", 7: "-31"}.get(len(day), "")


def in_range(when: str | None, flt: ViewFilter) -> bool | None:
    """Whether a date falls in the filter's range (overlaps it, for a partial date); None when undated."""
    if not when or len(when) < 4 or not when[:4].isdigit():
        return None
    if flt.date_from and high(when) < low(flt.date_from):
        return False
    return not (flt.date_to and low(when) > high(flt.date_to))


def keep_dated(when: str | None, flt: ViewFilter) -> bool:
    ok = in_range(when, flt)
    return flt.undated if ok is None else ok


# -- credibility and grade ----------------------------------------------------------------------------------

def passes_grading(fact: dict[str, Any], flt: ViewFilter) -> bool:
    """A graded fact (``credibility`` set, each claim's ``grade`` set) against the filter's thresholds."""
    if flt.credibility is not None and int(fact["credibility"]) > flt.credibility:
        return False
    if flt.grade is not None:
        limit = GRADES.index(flt.grade)
        return any(c["polarity"] == "asserted" and GRADES.index(c.get("grade") or "F") <= limit
                   for c in fact["claims"])
    return True


def grade_events(store: Store, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each event (as :func:`sitrep.query.events.group_events` returns it) the credibility of a
    fact: its reports are its claims, the independent sources of its asserting reports its support."""
    g = grades(store)
    labels = scale().credibility
    for e in events:
        for r in e["reports"]:
            r["grade"] = g.of(r["source"])
        asserted = {r.get("source_id") or r["source"] for r in e["reports"] if r["polarity"] == "asserted"}
        value, why = credibility({"claims": e["reports"], "asserted": {"sources": len(asserted)}}, g)
        e.update(credibility=value, credibility_label=labels[value], credibility_why=why)
    return events


def event_when(event: dict[str, Any]) -> str | None:
    """The date an event is filtered by: its own, else when it was first reported."""
    return event.get("date") or event.get("reported")


def filter_events(store: Store, events: list[dict[str, Any]], flt: ViewFilter) -> dict[str, Any]:
    """Events passing the filter (type and actor are applied when the rows are read), with counts."""
    if flt.credibility is not None or flt.grade is not None:
        grade_events(store, events)
    kept = [e for e in events if keep_dated(event_when(e), flt) and passes_grading_event(e, flt)]
    return {"events": kept, "undated": sum(1 for e in kept if event_when(e) is None),
            "dropped": len(events) - len(kept)}


def passes_grading_event(event: dict[str, Any], flt: ViewFilter) -> bool:
    if flt.credibility is None and flt.grade is None:
        return True
    return passes_grading({"credibility": event["credibility"], "claims": event["reports"]}, flt)


def filtered_events(store: Store, flt: ViewFilter, place_ids: list[int] | None = None,
                    limit: int = 100_000) -> dict[str, Any]:
    """The events of the knowledge base that pass ``flt`` (see :func:`filter_events`)."""
    from sitrep.query.events import group_events

    rows = store.event_rows(entity_id=flt.actor, place_ids=place_ids, type=flt.event_type, limit=limit)
    return filter_events(store, group_events(rows), flt)


def describe(flt: ViewFilter, names: Mapping[int, str] | None = None) -> str:
    """One line saying what the filter keeps, for the page."""
    parts = []
    if flt.date_from or flt.date_to:
        parts.append(f"dated {flt.date_from or '…'} to {flt.date_to or '…'}")
    if flt.actor is not None:
        parts.append(f"involving {(names or {}).get(flt.actor, f'actor {flt.actor}')}")
    if flt.event_type:
        parts.append(f"events of type {flt.event_type}")
    if flt.relation:
        parts.append(f"relations of type {flt.relation.replace('_', ' ')}")
    if flt.credibility is not None:
        parts.append(f"credibility {flt.credibility} ({scale().credibility[flt.credibility]}) or better")
    if flt.grade:
        parts.append(f"asserted by a source graded {flt.grade} or better")
    if not flt.undated:
        parts.append("undated items left out")
    return "; ".join(parts)
