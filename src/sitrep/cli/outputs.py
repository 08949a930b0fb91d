"""Analyst outputs: ``sitrep brief`` (situation report) and ``sitrep export`` (STIX, GraphML, CSV, JSON, GeoJSON)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from sitrep.cli import app
from sitrep.cli.common import (
    EXIT_FAILED,
    EXIT_STORE,
    EXIT_USAGE,
    DbOption,
    OutputError,
    atomic_write,
    console,
    err,
    fail,
    not_found,
    safe_text,
    store_from,
)
from sitrep.query.actors import NotFound


class BriefFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"


class ExportFormat(StrEnum):
    stix = "stix"
    graphml = "graphml"
    csv = "csv"
    json = "json"
    geojson = "geojson"


def _write(text: str | bytes, out: Path | None, for_people: bool = False) -> None:
    """Write an output to stdout or, atomically (temporary file + rename), to ``out``. Text meant for
    people (the briefing), and anything going to a terminal, has its control characters removed."""
    if isinstance(text, bytes) and (out is None or str(out) == "-"):
        raise fail("a PDF brief needs -o FILE.pdf", EXIT_USAGE)
    if isinstance(text, str) and (out is None or str(out) == "-"):
        sys.stdout.write(safe_text(text) if for_people or sys.stdout.isatty() else text)
        return
    try:
        atomic_write(out, text)
    except OutputError as exc:
        raise fail(str(exc), EXIT_STORE) from exc
    err.print(f"wrote {out}", markup=False, highlight=False)


@app.command()
def brief(
    actor: str | None = typer.Option(None, "--actor", "-a", help="One actor (any spelling); default: top armed groups."),
    since: str | None = typer.Option(None, "--since", help="A date YYYY-MM-DD: only reporting published on/after "
                                     "it; a run id (sitrep runs): the briefing of what changed since that run."),
    top: int = typer.Option(5, "--top", min=1, help="How many actors when no --actor is given."),
    fmt: BriefFormat = typer.Option(BriefFormat.md, "--format", "-f", help="md (terminal), html or pdf (-o FILE)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to FILE instead of stdout."),
    db: str = DbOption,
) -> None:
    """Situation report: who each actor is, allies, supporters, enemies, branches, leaders, numbers,
    recent events and contested claims, every statement with numbered source citations."""
    from sitrep.outputs.brief import build_brief, render, render_pdf
    from sitrep.query.changes import SinceError, changes_brief, parse_since

    if fmt is BriefFormat.pdf and (output is None or str(output) == "-"):
        raise fail("a PDF brief needs -o FILE.pdf", EXIT_USAGE)
    try:
        since_kind, since_value = parse_since(since) if since else ("", "")
    except SinceError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    with store_from(db, readonly=True) as store:
        try:
            if since_kind == "run":
                report = changes_brief(store, since or "")
            else:
                report = build_brief(store, actor=actor, since=str(since_value) if since else None, top=top)
        except NotFound as exc:
            raise not_found(str(exc)) from exc
        except SinceError as exc:
            raise fail(str(exc), EXIT_USAGE) from exc
    if fmt is BriefFormat.pdf:
        _write(render_pdf(report), output)
        return
    _write(render(report, fmt.value), output, for_people=fmt is BriefFormat.md)


@app.command("export")
def export(
    fmt: ExportFormat = typer.Argument(..., metavar="FORMAT", help="stix | graphml | csv | json | geojson"),
    output: Path = typer.Option(..., "--output", "-o",
                                help="Output file ('-' = stdout). For csv: a folder, or a .zip file."),
    places: bool = typer.Option(False, "--places", help="graphml: include places as nodes (operates_in edges)."),
    no_text: bool = typer.Option(False, "--no-text", help="json: leave out the article texts."),
    threat_actor_type: list[str] = typer.Option(
        ["unknown"], "--threat-actor-type",
        help="stix: threat_actor_types for armed groups (STIX vocabulary, e.g. terrorist, activist)."),
    validate: bool = typer.Option(True, "--validate/--no-validate", help="stix: check the bundle with stix2."),
    db: str = DbOption,
) -> None:
    """Export the knowledge base in one of five formats.

    stix: STIX 2.1 bundle (threat-actors, identities, locations, relationships with quoted sources and confidence, incidents, one report per article, notes/opinions on contested claims).

    graphml: the actor network; typed directed edges, weight = independent sources.

    csv: entities.csv, relations.csv, quantities.csv, events.csv (one row per claim), written into the folder given by -o DIR, or into one zip file when -o ends in .zip.

    json: the whole knowledge base (documents, entities, facts with their claims).

    geojson: places and events as Point features (lon, lat order) in one FeatureCollection.
    """
    from sitrep.outputs import exports, stix

    if fmt is ExportFormat.csv and str(output) == "-":
        err.print("csv needs -o DIR or -o FILE.zip", style="red")
        raise typer.Exit(EXIT_USAGE)
    with store_from(db, readonly=True) as store:
        if fmt is ExportFormat.stix:
            bundle = stix.build_bundle(store, threat_actor_types=threat_actor_type)
            if validate:
                try:
                    stix.validate_bundle(bundle)
                except Exception as exc:  # noqa: BLE001 - report any stix2 validation error
                    err.print(f"error: the STIX bundle does not validate: {exc}", style="red", markup=False)
                    raise typer.Exit(EXIT_FAILED) from exc
            _write(stix.dumps(bundle), output)
            err.print(f"{len(bundle['objects'])} STIX objects", markup=False, highlight=False)
        elif fmt is ExportFormat.graphml:
            _write(exports.graphml(store, include_places=places), output)
        elif fmt is ExportFormat.json:
            _write(exports.dumps(exports.kb_json(store, include_text=not no_text)), output)
        elif fmt is ExportFormat.geojson:
            _write(exports.dumps(exports.geojson(store)), output)
        else:
            if output.exists() and not output.is_dir() and output.suffix.lower() != ".zip":
                raise fail(f"cannot write csv to {output}: it is a file (give a folder, or a .zip file)", EXIT_STORE)
            try:
                written = exports.write_csv(store, output)
            except OSError as exc:
                raise fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_STORE) from exc
            for path in written:
                console.print(f"wrote {path}", markup=False, highlight=False)
