"""``sitrep runs`` (every recorded ingest) and ``sitrep changes --since RUN|DATE`` (what it added)."""

from __future__ import annotations

import typer

from sitrep.cli import app
from sitrep.cli.common import EXIT_USAGE, DbOption, JsonOption, console, fail, print_json, store_from, table


@app.command()
def runs(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Recorded ingest runs: id, start and end, inputs, counts and what was skipped (with the reason)."""
    with store_from(db, readonly=True) as store:
        rows = store.list_runs()  # type: ignore[attr-defined]
    if as_json:
        print_json(rows)
        return
    table("Runs", ["run", "started", "ended", "status", "command", "inputs", "ingested", "skipped"],
          [(r["id"], r["started_at"], r["ended_at"] or "", r["status"], r["command"],
            ", ".join(r["inputs"])[:80], r["counts"].get("ingested", ""), len(r["skipped"])) for r in rows])
    for r in rows:
        for s in r["skipped"]:
            console.print(f"  run {r['id']} skipped {s['source']}: {s['reason']}", style="yellow",
                          markup=False, highlight=False)


@app.command()
def changes(since: str = typer.Option(..., "--since", help="A run id (sitrep runs) or a date YYYY-MM-DD."),
            db: str = DbOption, as_json: bool = JsonOption) -> None:
    """What changed since a run or a date: new actors, new facts, changed corroboration, new
    contradictions and new events, each with its citation. Undated events count by when stored."""
    from sitrep.query.changes import SinceError
    from sitrep.query.changes import changes as compute

    with store_from(db, readonly=True) as store:
        try:
            result = compute(store, since)
        except SinceError as exc:
            raise fail(str(exc), EXIT_USAGE) from exc
    if as_json:
        print_json(result)
        return
    console.print(f"since {result['since']['kind']} {result['since']['value']}: "
                  f"{len(result['documents'])} documents added", markup=False, highlight=False)
    for title, key in (("New actors", "new_actors"), ("New facts", "new_facts"),
                       ("Corroboration changed", "corroboration_changed"),
                       ("Credibility changed", "credibility_changed"),
                       ("New contradictions", "new_contradictions"), ("New events", "new_events")):
        console.print(f"{title}: {len(result.get(key, []))}", style="bold", markup=False, highlight=False)
        for item in result.get(key, []):
            if key == "new_actors":
                line = f"{item['name']} ({item['kind']}) [doc {item['doc_id']}: {item['mention']}]"
            elif key == "new_events":
                when = item["date"] or "undated (counted by when its article was stored)"
                line = f"{item['type']} {when} at {item['location'] or '?'}"
            else:
                line = item["fact"]
                if key == "corroboration_changed":
                    line += f" (sources {item['sources_before']} -> {item['sources_now']})"
                elif key == "credibility_changed":
                    line += f" (credibility {item['credibility_before']} -> {item['credibility_now']})"
            console.print(f"  - {line}", markup=False, highlight=False)
            for c in item.get("citations", []):
                console.print(f"      [doc {c['doc_id']}] {c['source'] or 'the article'}: {c['snippet'][:160]}",
                              markup=False, highlight=False)


def check_choice(option: str, value: str | None, allowed: tuple[str, ...] | list[str]) -> None:
    """A value outside the schema's vocabulary is a usage error (exit 2) naming what is allowed."""
    if value is not None and value not in allowed:
        raise fail(f"{option} {value!r} is not one of: {', '.join(allowed)}", EXIT_USAGE)


def check_date(option: str, value: str | None) -> None:
    """A date that is not a real ISO date (2024-13-45) is a usage error (exit 2)."""
    from datetime import date

    if value is None:
        return
    try:
        date.fromisoformat(value[:10]) if len(value) >= 10 else date.fromisoformat(value + "-01" * ((10 - len(value)) // 3))
    except ValueError:
        raise fail(f"{option} {value!r} is not a date (YYYY-MM-DD)", EXIT_USAGE) from None
