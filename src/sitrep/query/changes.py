"""What changed since a run or a date: new actors, new facts, changed corroboration, new
contradictions and new events, each with its citation.

"Since run R" means the documents stored by runs after R; "since DATE" the documents stored
on or after that day (UTC).  A fact is new when no earlier document holds its fact key; an
event without a date is new the same way (by when its article was stored) and is marked
``undated``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sitrep.models import PLACE_KINDS
from sitrep.store.base import Row, Store

_RUN = re.compile(r"(?:run[:#]?)?(\d{1,9})", re.IGNORECASE)


class SinceError(ValueError):
    """A ``--since`` value that is neither a run id nor a real ISO date."""


def parse_since(value: str) -> tuple[str, int | str]:
    """``("run", id)`` or ``("date", "YYYY-MM-DD")``; raises :class:`SinceError` with the reason."""
    text = value.strip()
    m = _RUN.fullmatch(text)
    if m:
        return "run", int(m.group(1))
    try:
        day = date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        day = None
    if day is None:
        raise SinceError(f"--since {text!r} is neither a run id (see `sitrep runs`) nor a date YYYY-MM-DD")
    return "date", day.isoformat()


def _cite(row: Row) -> dict[str, Any]:
    return {"doc_id": row["doc_id"], "title": row.get("doc_title"), "publisher": row.get("publisher"),
            "published": row.get("doc_published"), "source": row.get("source") or row.get("source_text"),
            "polarity": row.get("polarity"), "snippet": " ".join((row.get("snippet") or "").split())}


def _sources(rows: list[Row]) -> int:
    return len({r.get("source_id") or r.get("source_text") or r["doc_id"] for r in rows})


def changes(store: Store, since: str) -> dict[str, Any]:
    """Everything the knowledge base gained after ``since`` (a run id or a date)."""
    kind, value = parse_since(since)
    docs = store.document_runs()  # type: ignore[attr-defined]
    if kind == "run":
        known = {r["id"] for r in store.list_runs()}  # type: ignore[attr-defined]
        if value not in known:
            raise SinceError(f"there is no run {value} (see `sitrep runs`)")
        new_docs = {d["id"] for d in docs if d["run_id"] is not None and int(d["run_id"]) > int(value)}
    else:
        new_docs = {d["id"] for d in docs if str(d["ingested_at"])[:10] >= str(value)}

    def split(rows: list[Row]) -> tuple[dict[str, list[Row]], dict[str, list[Row]]]:
        old: dict[str, list[Row]] = {}
        new: dict[str, list[Row]] = {}
        for r in rows:
            (new if r["doc_id"] in new_docs else old).setdefault(r["fact_key"], []).append(r)
        return old, new

    out: dict[str, Any] = {"since": {"kind": kind, "value": value}, "documents": sorted(new_docs),
                           "new_actors": [], "new_facts": [], "corroboration_changed": [],
                           "new_contradictions": [], "new_events": []}
    mentions = store.mentions(limit=10_000_000)
    old_entities = {m["entity_id"] for m in mentions if m["doc_id"] not in new_docs}
    seen: set[int] = set()
    for m in mentions:
        if m["doc_id"] in new_docs and m["entity_id"] not in old_entities and m["entity_id"] not in seen \
                and m["kind"] not in PLACE_KINDS:
            seen.add(m["entity_id"])
            out["new_actors"].append({"name": m["entity"], "kind": m["kind"], "doc_id": m["doc_id"],
                                      "mention": m["text"]})
    for table, rows in (("relation", store.relation_rows(limit=10_000_000)),
                        ("quantity", store.quantity_rows(limit=10_000_000))):
        old, new = split(rows)
        for key, added in new.items():
            first = added[0]
            what = (f"{first['subject']} {first['type']} {first['object']}" if table == "relation"
                    else f"{first['subject']} {first['what']} {first.get('text') or ''}".strip())
            item = {"kind": table, "fact_key": key, "fact": what, "citations": [_cite(r) for r in added]}
            before = old.get(key, [])
            if not before:
                out["new_facts"].append(item)
            elif _sources(before + added) != _sources(before):
                out["corroboration_changed"].append({**item, "sources_before": _sources(before),
                                                     "sources_now": _sources(before + added)})
            pols = {r["polarity"] for r in before + added}
            if {"asserted", "denied"} <= pols and not {"asserted", "denied"} <= {r["polarity"] for r in before}:
                out["new_contradictions"].append(item)
    old_ev, new_ev = split(store.event_rows(limit=10_000_000))
    for key, added in new_ev.items():
        if key in old_ev:
            continue
        e = added[0]
        out["new_events"].append({"fact_key": key, "type": e["type"], "date": e.get("date"),
                                  "undated": not e.get("date"), "location": e.get("location"),
                                  "perpetrator": e.get("perpetrator"), "target": e.get("target") or e.get("target_text"),
                                  "killed": e.get("killed"), "citations": [_cite(r) for r in added]})
    out["new_events"].sort(key=lambda e: (e["undated"], e["date"] or ""))
    return out


def changes_brief(store: Store, since: str) -> Any:
    """The briefing of what changed (a :class:`sitrep.outputs.brief.Brief` with one section per kind of
    change), every line backed by numbered citations; undated events are listed last, marked undated."""
    from datetime import UTC, datetime
    from pathlib import Path

    from sitrep.outputs.brief import ActorBrief, Brief, Line, Part, Section
    from sitrep.outputs.citations import Citations

    result = changes(store, since)
    cites = Citations(store)

    def numbers(item: dict[str, Any]) -> list[int]:
        return sorted({cites.add(c["doc_id"], c["source"] or "the article", c["snippet"])
                       for c in item.get("citations", [])})

    sections: list[Section] = []
    actor_lines = [Line([Part(f"{a['name']} ({a['kind'].replace('_', ' ')})",
                              [cites.add(a["doc_id"], "the article", a["mention"])])]) for a in result["new_actors"]]
    if actor_lines:
        sections.append(Section("New actors", actor_lines))
    for title, key in (("New facts", "new_facts"), ("Corroboration changed", "corroboration_changed"),
                       ("New contradictions", "new_contradictions")):
        lines = []
        for item in result[key]:
            text = item["fact"].replace("_", " ")
            if key == "corroboration_changed":
                text += f" (independent sources {item['sources_before']} → {item['sources_now']})"
            lines.append(Line([Part(text, numbers(item))], contested=key == "new_contradictions"))
        if lines:
            sections.append(Section(title, lines))
    event_lines = []
    for e in result["new_events"]:
        when = e["date"] or "undated (listed by when its article was stored)"
        text = f"{e['type']}, {when}, at {e['location'] or 'an unknown place'}"
        if e["perpetrator"]:
            text += f", by {e['perpetrator']}"
        if e["killed"] is not None:
            text += f", {e['killed']} killed"
        event_lines.append(Line([Part(text, numbers(e))]))
    if event_lines:
        sections.append(Section("New events", event_lines))
    label = f"run {result['since']['value']}" if result["since"]["kind"] == "run" else str(result["since"]["value"])
    summary = Line([Part(f"{len(result['documents'])} documents were added since {label}"
                         + ("." if sections else "; they add nothing new."))])
    return Brief(
        title=f"What changed since {label}",
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        since=None,
        documents=store.count_documents(),
        store=Path(store.url).name if "://" not in store.url else "database",
        actors=[ActorBrief(id=0, name="Changes", kind="changes", summary=summary, sections=sections, contested=[])],
        citations=cites.items,
    )
