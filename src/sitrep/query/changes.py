"""What changed since a run or a date: new actors, new facts, changed corroboration or
credibility, new contradictions and new events, each with its citation.

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
from sitrep.query.facts import _disagree
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


def _graded_cite(row: Row, g: Any) -> dict[str, Any]:
    """A citation with its source's reliability grade (A-F) and what the grade means."""
    from sitrep.query.grading import scale

    cite = _cite(row)
    grade = g.of(cite["source"])
    return {**cite, "grade": grade, "grade_meaning": scale().reliability[grade]}


def _sources(rows: list[Row]) -> int:
    return len({r.get("source_id") or r.get("source_text") or r["doc_id"] for r in rows})


#: Fact keys asked for per query (a bound on the statement's parameters).
KEY_CHUNK = 500
BIG = 10_000_000


def _rows_of(store: Store, table: str, keys: list[str]) -> list[Row]:
    """Every claim row (old and new) of these fact keys, a bounded number of keys per query."""
    read = {"relations": store.relation_rows, "quantities": store.quantity_rows, "events": store.event_rows}[table]
    out: list[Row] = []
    for i in range(0, len(keys), KEY_CHUNK):
        out += read(limit=BIG, fact_keys=keys[i:i + KEY_CHUNK])
    return out


def _credibility(rows: list[Row], g: Any, table: str = "relations") -> tuple[int, str]:
    """The credibility (:mod:`sitrep.query.grading`) of the fact these claim rows make (for
    quantities, estimates that disagree are a contradiction, as ``group_quantities`` says)."""
    from sitrep.query.facts import claim_view, corroboration
    from sitrep.query.grading import credibility

    asserted = [r for r in rows if r["polarity"] == "asserted"]
    fact = {"claims": [claim_view(r) for r in rows],
            "asserted": {"sources": corroboration(asserted)["sources"] if asserted else 0},
            "disagreement": table == "quantities" and _disagree(rows)}
    return credibility(fact, g)


def changes(store: Store, since: str) -> dict[str, Any]:
    """Everything the knowledge base gained after ``since`` (a run id or a date).

    Computed in SQL over the documents' run ids / storage times: only the documents stored since,
    the fact keys they hold and the claim rows of those keys are read, never the whole knowledge
    base.  A fact is new when no earlier document holds its key; its corroboration changed when
    the number of independent sources did; its credibility (1-6) changed when the grade did.
    """
    from sitrep.query.grading import grades, scale

    kind, value = parse_since(since)
    after_run: int | None = None
    since_day: str | None = None
    if kind == "run":
        known = {r["id"] for r in store.list_runs()}  # type: ignore[attr-defined]
        if value not in known:
            raise SinceError(f"there is no run {value} (see `sitrep runs`)")
        after_run = int(value)
    else:
        since_day = str(value)
    new_docs = set(store.new_document_ids(after_run, since_day))  # type: ignore[attr-defined]

    def split(rows: list[Row]) -> tuple[dict[str, list[Row]], dict[str, list[Row]]]:
        old: dict[str, list[Row]] = {}
        new: dict[str, list[Row]] = {}
        for r in rows:
            (new if r["doc_id"] in new_docs else old).setdefault(r["fact_key"], []).append(r)
        return old, new

    out: dict[str, Any] = {"since": {"kind": kind, "value": value}, "documents": sorted(new_docs),
                           "new_actors": [], "new_facts": [], "corroboration_changed": [],
                           "credibility_changed": [], "new_contradictions": [], "new_events": []}
    if not new_docs:
        return out
    for m in store.new_entity_mentions(after_run, since_day):  # type: ignore[attr-defined]
        if m["kind"] not in PLACE_KINDS:
            out["new_actors"].append({"name": m["entity"], "kind": m["kind"], "doc_id": m["doc_id"],
                                      "mention": m["text"]})
    g = grades(store)
    labels = scale().credibility
    for table in ("relations", "quantities"):
        keys = store.changed_fact_keys(table, after_run, since_day)  # type: ignore[attr-defined]
        old, new = split(_rows_of(store, table, keys))
        for key, added in new.items():
            first = added[0]
            what = (f"{first['subject']} {first['type']} {first['object']}" if table == "relations"
                    else f"{first['subject']} {first['what']} {first.get('text') or ''}".strip())
            before = old.get(key, [])
            now, why = _credibility(before + added, g, table)
            item = {"kind": {"relations": "relation", "quantities": "quantity"}[table], "fact_key": key,
                    "fact": what, "credibility": now, "credibility_label": labels[now], "credibility_why": why,
                    "citations": [_graded_cite(r, g) for r in added]}
            if not before:
                out["new_facts"].append(item)
            else:
                if _sources(before + added) != _sources(before):
                    out["corroboration_changed"].append({**item, "sources_before": _sources(before),
                                                         "sources_now": _sources(before + added)})
                was, _ = _credibility(before, g, table)
                if was != now:
                    out["credibility_changed"].append({
                        **item, "credibility_before": was, "credibility_now": now,
                        "label_before": labels[was], "label_now": labels[now], "why": why})
            pols = {r["polarity"] for r in before + added}
            contested = {"asserted", "denied"} <= pols and not {"asserted", "denied"} <= {r["polarity"] for r in before}
            if contested or (table == "quantities" and _disagree(before + added) and not _disagree(before)):
                out["new_contradictions"].append(item)  # denied now, or estimates that disagree now
    keys = store.changed_fact_keys("events", after_run, since_day)  # type: ignore[attr-defined]
    old_ev, new_ev = split(_rows_of(store, "events", keys))
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
                       ("Credibility changed", "credibility_changed"), ("New contradictions", "new_contradictions")):
        lines = []
        for item in result[key]:
            text = item["fact"].replace("_", " ")
            if key == "corroboration_changed":
                text += f" (independent sources {item['sources_before']} → {item['sources_now']})"
            elif key == "credibility_changed":
                text += (f" (credibility {item['credibility_before']} {item['label_before']} → "
                         f"{item['credibility_now']} {item['label_now']})")
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
