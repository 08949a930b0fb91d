"""Events: one incident with all its reports, filtered by actor, place, date and type; a timeline."""

from __future__ import annotations

from typing import Any

from sitrep.query.actors import resolve_entity
from sitrep.query.facts import claim_view
from sitrep.store.base import Row, Store


def _merge_key(r: Row) -> tuple[Any, ...]:
    return (r["type"], r.get("sub_type"), r.get("location_id"), r.get("date") or r.get("doc_published") or "",
            r.get("perpetrator_id"))


def group_events(rows: list[Row]) -> list[dict[str, Any]]:
    """Merge report rows of one incident (same type, place, date, perpetrator) into one event."""
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for r in rows:
        groups.setdefault(_merge_key(r), []).append(r)
    events = []
    for group in groups.values():
        first = group[0]
        killed = [r["killed"] for r in group if r["killed"] is not None]
        wounded = [r["wounded"] for r in group if r["wounded"] is not None]
        events.append({
            "type": first["type"],
            "sub_type": first.get("sub_type"),
            "location": first.get("location"),
            "location_id": first.get("location_id"),
            "location_kind": first.get("location_kind"),
            "country": first.get("country"),
            "lat": first.get("lat"),
            "lon": first.get("lon"),
            "date": first.get("date"),
            "date_text": next((r["date_text"] for r in group if r.get("date_text")), None),
            "reported": min((r["doc_published"] for r in group if r.get("doc_published")), default=None),
            "killed": max(killed) if killed else None,
            "killed_min": any(r.get("killed_min") for r in group),
            "wounded": max(wounded) if wounded else None,
            "perpetrator": first.get("perpetrator"),
            "perpetrator_id": first.get("perpetrator_id"),
            "target": next((r["target"] or r["target_text"] for r in group if r.get("target") or r.get("target_text")),
                           None),
            "trigger": first.get("trigger"),
            "reports": [claim_view(r) for r in group],
            "sources": len({r.get("source_id") or r.get("publisher") or r["doc_id"] for r in group}),
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
