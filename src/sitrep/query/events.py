"""Events: one incident with all its reports, filtered by actor, place, date and type; a timeline.

Reports from different articles are one incident only when they can be: the same type, a
compatible place (the same place, or one the country of the other), dates within a few days
(an undated report is dated by its article), and no two different perpetrators. Reports of one
article are never merged here (the extractor already made one event per incident there), and
near-duplicate articles (the same story twice) count once for corroboration.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sitrep.query.actors import resolve_entity
from sitrep.query.facts import claim_view, corroboration
from sitrep.store.base import Row, Store

DATE_WINDOW_DAYS = 3  # reports of one incident dated further apart are two incidents
WINDOW = 64  # earlier incidents of one (type, country) a report is compared with


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _when(r: Row) -> str | None:
    return r.get("date") or r.get("doc_published")


def _dates_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False  # nothing to tell two undated reports of two articles apart
    da, db = _day(a), _day(b)
    if da is not None and db is not None:
        return abs((da - db).days) <= DATE_WINDOW_DAYS
    return a.startswith(b) or b.startswith(a)  # a month or a year against a finer date within it


def _places_compatible(a: Row, b: Row) -> bool:
    la, lb = a.get("location_id"), b.get("location_id")
    if la is None or lb is None:
        return False
    if la == lb:
        return True
    if not a.get("country") or a.get("country") != b.get("country"):
        return False
    return "country" in (a.get("location_kind"), b.get("location_kind"))  # the country and a place in it


def _same_incident(a: Row, b: Row) -> bool:
    """Can two reports from different articles be of one incident?"""
    if a["type"] != b["type"]:
        return False
    if a.get("sub_type") and b.get("sub_type") and a["sub_type"] != b["sub_type"]:
        return False
    if not _places_compatible(a, b) or not _dates_compatible(_when(a), _when(b)):
        return False
    pa, pb = a.get("perpetrator_id"), b.get("perpetrator_id")
    return pa is None or pb is None or pa == pb


def _cluster(rows: list[Row]) -> list[list[Row]]:
    """Reports grouped by incident; each report is compared with a bounded number of earlier incidents."""
    clusters: list[list[Row]] = []
    by_bucket: dict[tuple[Any, ...], list[int]] = {}
    for r in rows:
        bucket = (r["type"], r.get("country") or r.get("location_id"))
        target = None
        for ci in by_bucket.get(bucket, [])[-WINDOW:]:
            group = clusters[ci]
            if all(g["doc_id"] != r["doc_id"] for g in group) and _same_incident(group[0], r):
                target = group
                break
        if target is None:
            by_bucket.setdefault(bucket, []).append(len(clusters))
            clusters.append([r])
        else:
            target.append(r)
    return clusters


def _most_specific(group: list[Row]) -> Row:
    """The report naming the finest place (a town over its country)."""
    return next((r for r in group if r.get("location_kind") not in (None, "country")), group[0])


def group_events(rows: list[Row]) -> list[dict[str, Any]]:
    """Merge the reports of one incident into one event, with its corroboration."""
    events = []
    for group in _cluster(rows):
        first = group[0]
        place = _most_specific(group)
        killed = [r["killed"] for r in group if r["killed"] is not None]
        wounded = [r["wounded"] for r in group if r["wounded"] is not None]
        dated = next((r for r in group if r.get("date")), first)
        counts = corroboration(group)
        events.append({
            "type": first["type"],
            "sub_type": next((r["sub_type"] for r in group if r.get("sub_type")), None),
            "location": place.get("location"),
            "location_id": place.get("location_id"),
            "location_kind": place.get("location_kind"),
            "country": place.get("country"),
            "lat": place.get("lat"),
            "lon": place.get("lon"),
            "date": dated.get("date"),
            "date_text": next((r["date_text"] for r in group if r.get("date_text")), None),
            "reported": min((r["doc_published"] for r in group if r.get("doc_published")), default=None),
            "killed": max(killed) if killed else None,
            "killed_min": any(r.get("killed_min") for r in group),
            "wounded": max(wounded) if wounded else None,
            "perpetrator": next((r["perpetrator"] for r in group if r.get("perpetrator")), None),
            "perpetrator_id": next((r["perpetrator_id"] for r in group if r.get("perpetrator_id")), None),
            "target": next((r["target"] or r["target_text"] for r in group if r.get("target") or r.get("target_text")),
                           None),
            "trigger": first.get("trigger"),
            "reports": [claim_view(r) for r in group],
            "sources": counts["sources"],
            "documents": counts["documents"],
            "publishers": counts["publishers"],
        })
    return sorted(events, key=lambda e: (e["date"] is None, e["date"] or "", e["type"]))


def events(store: Store, actor: str | None = None, place: str | None = None, since: str | None = None,
           type: str | None = None) -> list[dict[str, Any]]:
    entity_id = resolve_entity(store, actor)["id"] if actor else None
    place_ids = store.places_within(resolve_entity(store, place)["id"]) if place else None
    return group_events(store.event_rows(entity_id=entity_id, place_ids=place_ids, since=since, type=type))


def timeline(store: Store, **filters: Any) -> dict[str, list[dict[str, Any]]]:
    evs = events(store, **filters)
    return {"dated": [e for e in evs if e["date"]], "undated": [e for e in evs if not e["date"]]}
