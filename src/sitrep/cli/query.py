"""Query commands: actors, actor, places, docs, doc, relations, claims, source, contradictions, events, timeline."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape

from sitrep.cli import app
from sitrep.cli.common import DbOption, JsonOption, console, not_found, print_json, store_from, table
from sitrep.query import actors as qa
from sitrep.query import events as qe
from sitrep.query import facts as qf

LimitOption = typer.Option(100, "--limit", "-n", min=1, help="Rows to show.")


def _plain(text: Any) -> str:
    return escape("" if text is None else str(text))


@app.command()
def actors(kind: str | None = typer.Option(None, "--kind", "-k", help="armed_group, person, organization, state"),
           limit: int = LimitOption, db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List actors with their kind, mentions and documents."""
    from sitrep.cli.changes import check_choice
    from sitrep.data import schema

    check_choice("--kind", kind, list(schema().actor_kinds))
    with store_from(db, readonly=True) as store:
        rows = qa.list_actors(store, kind=kind, limit=limit)
    if as_json:
        print_json(rows)
        return
    table("Actors", ["entity", "kind", "mentions", "documents"],
          [(r["name"], r["kind"] + ("?" if r["guessed"] else ""), r["mentions"], r["documents"]) for r in rows])


@app.command()
def places(kind: str | None = typer.Option(None, "--kind", "-k", help="country, province, city, district, region"),
           limit: int = LimitOption, db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List places with coordinates, mentions and documents."""
    from sitrep.cli.changes import check_choice
    from sitrep.data import schema

    check_choice("--kind", kind, list(schema().place_kinds))
    with store_from(db, readonly=True) as store:
        rows = qa.list_places(store, kind=kind, limit=limit)
    if as_json:
        print_json(rows)
        return
    table("Places", ["place", "kind", "country", "lat", "lon", "mentions", "documents"],
          [(r["name"], r["kind"], r["country"], r["lat"], r["lon"], r["mentions"], r["documents"]) for r in rows])


@app.command()
def actor(name: str = typer.Argument(..., help="Any spelling, alias or acronym."),
          db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Profile of one actor or place: spellings, parent, documents, mentions with snippets."""
    with store_from(db, readonly=True) as store:
        try:
            prof = qa.actor_profile(store, name)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
    if as_json:
        print_json(prof)
        return
    e = prof["entity"]
    console.print(f"[bold]{_plain(e['name'])}[/bold]  ({_plain(e['kind'])}{', guessed' if e['guessed'] else ''})")
    console.print(f"aliases: {_plain(', '.join(prof['aliases']))}")
    if prof["parent"]:
        console.print(f"part of: {_plain(prof['parent']['name'])}")
    if e.get("lat") is not None:
        console.print(f"coordinates: {e['lat']}, {e['lon']}  country: {_plain(e.get('country'))}")
    table("Documents", ["doc", "title", "publisher", "mentions"],
          [(d["id"], d["title"], d["publisher"], d["mentions"]) for d in prof["documents"]])
    table("Mentions", ["doc", "span", "snippet"],
          [(m["doc_id"], f"{m['start']}-{m['end']}", m["snippet"]) for m in prof["mentions"]])


@app.command()
def docs(limit: int = LimitOption, offset: int = typer.Option(0, "--offset", min=0),
         db: str = DbOption, as_json: bool = JsonOption) -> None:
    """List ingested documents."""
    with store_from(db, readonly=True) as store:
        rows = qa.list_documents(store, limit=limit, offset=offset)
    if as_json:
        print_json(rows)
        return
    table("Documents", ["id", "title", "published", "publisher", "source", "near-dup of"],
          [(r["id"], r["title"], r["published"], r["publisher"], r["source"], r["near_duplicate_of"]) for r in rows])


@app.command()
def doc(doc_id: str = typer.Argument(..., help="Document id (a unique prefix is enough)."),
        raw: bool = typer.Option(False, "--raw", help="Show the raw text instead of the cleaned text."),
        db: str = DbOption, as_json: bool = JsonOption) -> None:
    """One document: metadata, cleaned text, removed furniture and mentions."""
    with store_from(db, readonly=True) as store:
        try:
            view = qa.document_view(store, doc_id)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
    if as_json:
        print_json(view)
        return
    d = view["document"]
    for k in ("id", "title", "published", "publisher", "author", "url", "source", "near_duplicate_of"):
        if d.get(k):
            console.print(f"[bold]{k}[/bold]: {_plain(d[k])}")
    console.rule("text")
    console.print(d["raw"] if raw else d["text"], markup=False, highlight=False)
    if d.get("removed"):
        console.rule("removed page furniture")
        for line in d["removed"]:
            console.print(f"  {line}", markup=False, highlight=False)
    table("Mentions", ["span", "text", "entity", "kind"],
          [(f"{m['start']}-{m['end']}", m["text"], m["entity"], m["kind"]) for m in view["mentions"]])


def _fact_rows(facts: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(f["subject"], f["type"], f["object"], f["asserted"]["sources"], f["denied"]["sources"],
             f.get("credibility", ""), "; ".join(sorted({c["source"] for c in f["claims"] if not c.get("rejected")})))
            for f in facts]


IncludeRejectedOption = typer.Option(False, "--include-rejected",
                                     help="Show the claims analysts rejected too, marked REJECTED (they count nowhere).")


def _graded(store: Any, *lists: list[dict[str, Any]]) -> None:
    from sitrep.query.grading import grade_with, grades  # Admiralty grades of each source and fact

    g = grades(store)
    for facts in lists:
        grade_with(g, facts)


@app.command()
def relations(actor_name: str | None = typer.Option(None, "--actor", "-a", help="Only relations of this actor."),
              type: str | None = typer.Option(None, "--type", "-t", help="ally_of, supports, part_of, hostile_to, "
                                               "leads, member_of, operates_in"),
              with_claims: bool = typer.Option(False, "--claims", help="Each fact's claims: source, grade, claim id, "
                                               "sentence."),
              include_rejected: bool = IncludeRejectedOption,
              db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Relations between actors, with how many independent sources assert and deny each."""
    from sitrep.cli.changes import check_choice
    from sitrep.data import schema

    check_choice("--type", type, list(schema().relation_types))
    with store_from(db, readonly=True) as store:
        try:
            facts = qf.relations(store, actor=actor_name, type=type, include_rejected=include_rejected)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
        _graded(store, facts)
    if as_json:
        print_json(facts)
        return
    if with_claims or include_rejected:
        _print_claims(facts)
        return
    table("Relations", ["subject", "relation", "object", "asserted by", "denied by", "credibility", "sources"],
          _fact_rows(facts))


def _claim_line(c: dict[str, Any], verb: str | None = None) -> str:
    """One claim: who says or denies it, its hedge and grade, document, span, page and id."""
    mark = verb or ("✗ denies" if c["polarity"] == "denied" else "✓ says")
    hedge = f" ({_plain(c['modality'])})" if c.get("modality") else ""
    hedge += f", grade {c['grade']}" if c.get("grade") else ""
    rejected = f"  [red]REJECTED[/red] by {_plain(c.get('rejected_by') or '?')}" if c.get("rejected") else ""
    rejected += f" ({_plain(c['rejected_why'])})" if c.get("rejected") and c.get("rejected_why") else ""
    return (f"  {mark} [cyan]{_plain(c['source'])}[/cyan]{hedge} — doc {_plain(c['doc_id'])} "
            f"({_plain(c.get('publisher') or c.get('doc_title') or '')}) @{c['start']}-{c['end']}"
            f"{', p. ' + str(c['page']) if c.get('page') else ''}  [dim]\\[{_plain(c['claim_id'])}][/dim]{rejected}")


def _credibility(f: dict[str, Any]) -> str:
    if not f.get("credibility"):
        return ""
    return f"  credibility {f['credibility']} ({_plain(f.get('credibility_label') or '')})"


def _print_claims(facts: list[dict[str, Any]]) -> None:
    for f in facts:
        flag = "  [red]CONTESTED[/red]" if f["contested"] else ""
        flag += "  [red]REJECTED[/red]" if f.get("rejected") else ""
        console.print(
            f"\n[bold]{_plain(f['subject'])} {_plain(f['type'])} {_plain(f['object'])}[/bold]  "
            f"asserted by {f['asserted']['sources']} source(s) in {f['asserted']['documents']} document(s), "
            f"denied by {f['denied']['sources']}{flag}{_credibility(f)}")
        for c in f["claims"]:
            console.print(_claim_line(c))
            console.print(f"      “{_plain(c['sentence'])}”")


def _print_estimates(groups: list[dict[str, Any]], heading: str = "") -> None:
    """Each quantity's estimates: value, source and grade, document, claim id, sentence (claims and
    contradictions print them the same way)."""
    for q in groups:
        flag = "  [red]REJECTED[/red]" if q.get("rejected") else ""
        console.print(f"\n[bold]{_plain(q['subject'])}: {_plain(q['what'])}[/bold]{heading}{flag}{_credibility(q)}")
        for est in q["estimates"]:
            value = est.get("text") or (f"{_plain(est['low'])}–{_plain(est['high'])}" if est.get("high") not in
                                        (None, est.get("low")) else est.get("low"))
            console.print(f"  {_plain(value)} ({_plain(est['what'])}) —" + _claim_line(est, verb="").lstrip())
            console.print(f"      “{_plain(est['sentence'])}”")


@app.command()
def claims(actor_name: str = typer.Argument(..., metavar="ACTOR", help="Any spelling of the actor."),
           include_rejected: bool = IncludeRejectedOption,
           db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Everything said about an actor: by whom, where, with the sentence it came from, each source's
    grade (A-F) and each fact's credibility (1-6)."""
    with store_from(db, readonly=True) as store:
        try:
            data = qf.claims_about(store, actor_name, include_rejected=include_rejected)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
        _graded(store, data["relations"], data["quantities"])
        from sitrep.query.grading import grade_claims, grades

        g = grades(store)
        grade_claims(g, data["events"])
        grade_claims(g, data.get("rejected_events", []))
    if as_json:
        print_json(data)
        return
    console.print(f"[bold]Claims about {_plain(data['entity']['name'])}[/bold]")
    _print_claims(data["relations"])
    _print_estimates(data["quantities"])
    for e in qe.group_events(data["events"]):
        console.print(f"\n[bold]event[/bold] {_plain(e['type'])} / {_plain(e['sub_type'])} at "
                      f"{_plain(e['location'])} {_plain(e['date'] or '')} killed {_plain(e['killed'])}")
    for e in data.get("rejected_events", []):
        console.print(f"\n[bold]event[/bold] {_plain(e.get('type'))} at {_plain(e.get('location'))} "
                      f"[red]REJECTED[/red]")
        console.print(_claim_line(e, verb="reported by"))


@app.command()
def contradictions(actor_name: str | None = typer.Option(None, "--actor", "-a"),
                   db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Relations asserted by some sources and denied by others; estimates that disagree."""
    with store_from(db, readonly=True) as store:
        try:
            data = qf.contradictions(store, actor=actor_name)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
        _graded(store, data["relations"], data["quantities"])
    if as_json:
        print_json(data)
        return
    if not data["relations"] and not data["quantities"]:
        console.print("no contradictions found")
        return
    _print_claims(data["relations"])
    _print_estimates(data["quantities"], heading=" — estimates disagree")


@app.command()
def source(name: str = typer.Argument(..., metavar="NAME", help="Any spelling of the source (person, body, outlet)."),
           include_rejected: bool = IncludeRejectedOption,
           db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Everything one source claims: its grade, each fact with its polarity, credibility, the sentence and
    the document."""
    from sitrep.query.grading import grade_as_in_kb, grade_claims, grades, source_grade

    with store_from(db, readonly=True) as store:
        try:
            data = qf.claims_by_source(store, name, include_rejected=include_rejected)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
        g = grades(store)
        grade_as_in_kb(store, g, data["relations"])
        _graded(store, data["quantities"])
        grade_claims(g, data["events"])
        data["grade"] = source_grade(store, data["source"]["name"])
    if as_json:
        print_json(data)
        return
    total = len(data["relations"]) + len(data["quantities"]) + len(data["events"])
    grade = data["grade"]
    console.print(f"[bold]What {_plain(data['source']['name'])} says[/bold] ({total} fact(s)); "
                  f"reliability {grade['grade']} ({_plain(grade['meaning'])})")
    if not total:
        console.print("no claims credited to this source")
        return
    for f in data["relations"]:
        for c in f["claims"]:
            verb = "denies" if c["polarity"] == "denied" else "says"
            hedge = f" ({_plain(c['modality'])})" if c.get("modality") else ""
            flag = "  [red]REJECTED[/red]" if c.get("rejected") else ""
            console.print(f"\n{verb}{hedge}: [bold]{_plain(f['subject'])} {_plain(f['type'])} {_plain(f['object'])}[/bold]"
                          f" — doc {_plain(c['doc_id'])} ({_plain(c['publisher'] or c['doc_title'] or '')})"
                          f"{_credibility(f)}  [dim]\\[{_plain(c['claim_id'])}][/dim]{flag}")
            console.print(f"      “{_plain(c['sentence'])}”")
    for q in data["quantities"]:
        for est in q["estimates"]:
            verb = "denies" if est["polarity"] == "denied" else "says"
            flag = "  [red]REJECTED[/red]" if est.get("rejected") else ""
            console.print(f"\n{verb}: [bold]{_plain(q['subject'])}: {_plain(est['what'])} "
                          f"{_plain(est['text'] or est['low'])}[/bold] — doc {_plain(est['doc_id'])}"
                          f"{_credibility(q)}  [dim]\\[{_plain(est['claim_id'])}][/dim]{flag}")
            console.print(f"      “{_plain(est['sentence'])}”")
    for e in data["events"]:
        verb = "denies" if e["polarity"] == "denied" else "reports"
        flag = "  [red]REJECTED[/red]" if e.get("rejected") else ""
        console.print(f"\n{verb}: [bold]{_plain(e['type'])} at {_plain(e['location'])}[/bold] "
                      f"{_plain(e['date'] or '')} killed {_plain(e['killed'])} — doc {_plain(e['doc_id'])}"
                      f"  [dim]\\[{_plain(e['claim_id'])}][/dim]{flag}")
        console.print(f"      “{_plain(e['sentence'])}”")


def _event_rows(evs: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["date"] or (f"? ({e['date_text']})" if e["date_text"] else "?"), e["type"], e["sub_type"],
             e["location"], e["perpetrator"], ("≥" if e["killed_min"] else "") + str(e["killed"])
             if e["killed"] is not None else "", len(e["reports"]),
             "; ".join(sorted({f"{r['source']} ({r['doc_id'][:8]})" for r in e["reports"]}))) for e in evs]


EVENT_COLUMNS = ["date", "type", "sub-type", "place", "perpetrator", "killed", "reports", "sources"]


@app.command()
def events(actor_name: str | None = typer.Option(None, "--actor", "-a"),
           place: str | None = typer.Option(None, "--place", "-p", help="A place; includes places inside it."),
           since: str | None = typer.Option(None, "--since", help="ISO date, e.g. 2023-01-01"),
           type: str | None = typer.Option(None, "--type", "-t", help="ACLED event type"),
           db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Events (ACLED types) with place, date, casualties and sources."""
    from sitrep.cli.changes import check_choice, check_date
    from sitrep.data import schema

    check_choice("--type", type, list(schema().event_types))
    check_date("--since", since)
    with store_from(db, readonly=True) as store:
        try:
            evs = qe.events(store, actor=actor_name, place=place, since=since, type=type)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
    if as_json:
        print_json(evs)
        return
    table("Events", EVENT_COLUMNS, _event_rows(evs))


@app.command()
def timeline(actor_name: str | None = typer.Option(None, "--actor", "-a"),
             place: str | None = typer.Option(None, "--place", "-p"),
             since: str | None = typer.Option(None, "--since"),
             db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Events in date order; undated events listed apart."""
    from sitrep.cli.changes import check_date

    check_date("--since", since)
    with store_from(db, readonly=True) as store:
        try:
            tl = qe.timeline(store, actor=actor_name, place=place, since=since)
        except qa.NotFound as exc:
            raise not_found(str(exc)) from exc
    if as_json:
        print_json(tl)
        return
    for e in tl["dated"]:
        killed = f", {'at least ' if e['killed_min'] else ''}{e['killed']} killed" if e["killed"] is not None else ""
        console.print(f"[bold]{_plain(e['date'])}[/bold]  {_plain(e['type'])} ({_plain(e['sub_type'])}) at "
                      f"{_plain(e['location'] or 'unknown place')}{_plain(killed)}"
                      f"{' — ' + _plain(e['perpetrator']) if e['perpetrator'] else ''}  [{len(e['reports'])} report(s)]")
    if tl["undated"]:
        console.rule("undated")
        table("Undated events", EVENT_COLUMNS, _event_rows(tl["undated"]))
