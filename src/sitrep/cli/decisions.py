"""The analyst's corrections: merge, split, alias, kind, rename, reject, confirm, grade, decisions.

Each command records a decision in the knowledge base (who, when, why) and applies it at once;
every later ingest re-applies all of them (:mod:`sitrep.store.decisions`).  Exit 3: an unknown
name or claim id; exit 2: a bad value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
import yaml

from sitrep.cli import app
from sitrep.cli.common import (
    EXIT_NOT_FOUND,
    EXIT_STORE,
    EXIT_USAGE,
    DbOption,
    JsonOption,
    OutputError,
    atomic_write,
    console,
    fail,
    print_json,
    store_from,
    table,
)
from sitrep.config import Settings, SettingsError, analyst, build_settings
from sitrep.store import decisions as sd

WhyOption = typer.Option(None, "--why", help="Why (kept with the decision).")
WhoOption = typer.Option(None, "--who", help="Who decides (default: the `who` setting, else the OS user).")


def _who(who: str | None) -> str:
    try:
        settings = build_settings(who=who) if who else build_settings()
    except SettingsError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    return analyst(settings if isinstance(settings, Settings) else Settings())


def _existing(db: str) -> str:
    """A decision is made in a knowledge base that exists: a missing SQLite file is exit 4, not a new one."""
    if "://" not in db and not db.startswith("sqlite:") and not Path(db).exists():
        raise fail(f"no knowledge base at {db} (run `sitrep ingest` first, or give --db)", EXIT_STORE)
    return db


def _decide(db: str, kind: str, args: dict[str, Any], why: str | None, who: str | None, as_json: bool) -> None:
    """Record and apply one decision; an unknown name or claim is exit 3 and records nothing."""
    analyst_name = _who(who)
    with store_from(_existing(db)) as store:
        try:
            row, new, outcome = sd.decide(store, kind, args, analyst_name, why)
        except sd.DecisionError as exc:
            raise fail(str(exc), EXIT_NOT_FOUND if exc.missing else EXIT_USAGE) from exc
    if as_json:
        print_json({**row, "new": new})
        return
    console.print(f"{'recorded' if new else 'already recorded'} {kind} decision {row['id']}: {outcome.status}",
                  markup=False, highlight=False)


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise fail(f"{what} must not be empty", EXIT_USAGE)
    return value


@app.command()
def merge(into: str = typer.Argument(..., metavar="NAME", help="The entity that stays."),
          other: str = typer.Argument(..., metavar="NAME", help="The entity merged into the first."),
          why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
          as_json: bool = JsonOption) -> None:
    """Merge the second entity into the first (its spellings, mentions and facts)."""
    _decide(db, "merge", {"into": _text(into, "NAME"), "other": _text(other, "NAME")}, why, who, as_json)


@app.command()
def split(name: str = typer.Argument(..., metavar="NAME"),
          alias: str = typer.Option(..., "--alias", help="The spelling that becomes its own entity."),
          why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
          as_json: bool = JsonOption) -> None:
    """Split a spelling off an entity: its mentions (and facts where only it names the entity) move."""
    _decide(db, "split", {"name": _text(name, "NAME"), "alias": _text(alias, "--alias")}, why, who, as_json)


alias_app = typer.Typer(help="Add or remove a spelling of an entity.", no_args_is_help=True)
app.add_typer(alias_app, name="alias")


@alias_app.command("add")
def alias_add(name: str = typer.Argument(..., metavar="NAME"), alias: str = typer.Argument(..., metavar="ALIAS"),
              why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
              as_json: bool = JsonOption) -> None:
    """Add a spelling to an entity."""
    _decide(db, "alias_add", {"name": _text(name, "NAME"), "alias": _text(alias, "ALIAS")}, why, who, as_json)


@alias_app.command("remove")
def alias_remove(name: str = typer.Argument(..., metavar="NAME"), alias: str = typer.Argument(..., metavar="ALIAS"),
                 why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
                 as_json: bool = JsonOption) -> None:
    """Remove a spelling from an entity."""
    _decide(db, "alias_remove", {"name": _text(name, "NAME"), "alias": _text(alias, "ALIAS")}, why, who, as_json)


@app.command()
def kind(name: str = typer.Argument(..., metavar="NAME"), new_kind: str = typer.Argument(..., metavar="KIND"),
         why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
         as_json: bool = JsonOption) -> None:
    """Set an entity's kind (armed_group, person, organization, state, or a place kind)."""
    from sitrep.data import schema

    if new_kind not in schema().entity_kinds:
        raise fail(f"unknown kind {new_kind!r} (known: {', '.join(schema().entity_kinds)})", EXIT_USAGE)
    _decide(db, "kind", {"name": _text(name, "NAME"), "kind": new_kind}, why, who, as_json)


@app.command()
def rename(name: str = typer.Argument(..., metavar="NAME"), new: str = typer.Argument(..., metavar="NEW"),
           why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
           as_json: bool = JsonOption) -> None:
    """Give an entity a new display name (the old one stays a spelling)."""
    _decide(db, "rename", {"name": _text(name, "NAME"), "new": _text(new, "NEW")}, why, who, as_json)


@app.command()
def reject(claim: str = typer.Argument(..., metavar="CLAIM_ID", help="As shown by `sitrep claims`."),
           why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
           as_json: bool = JsonOption) -> None:
    """Reject a claim: it leaves corroboration counts, briefings, STIX and the web page."""
    _decide(db, "reject", {"claim": _text(claim, "CLAIM_ID")}, why, who, as_json)


@app.command()
def confirm(claim: str = typer.Argument(..., metavar="CLAIM_ID"), why: str | None = WhyOption,
            who: str | None = WhoOption, db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Confirm a claim: its fact is graded credibility 1 unless a better source denies it."""
    _decide(db, "confirm", {"claim": _text(claim, "CLAIM_ID")}, why, who, as_json)


@app.command()
def grade(source: str = typer.Argument(..., metavar="SOURCE", help="Any spelling of the source."),
          value: str = typer.Argument(..., metavar="A-F", help="Admiralty reliability: A (reliable) to F."),
          why: str | None = WhyOption, who: str | None = WhoOption, db: str = DbOption,
          as_json: bool = JsonOption) -> None:
    """Grade a source's reliability on the Admiralty scale (default F, cannot be judged)."""
    from sitrep.query.grading import check_grade

    try:
        letter = check_grade(value)
    except ValueError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc
    _decide(db, "grade", {"source": _text(source, "SOURCE"), "grade": letter}, why, who, as_json)


decisions_app = typer.Typer(help="List, export and import the analyst's decisions.", invoke_without_command=True)
app.add_typer(decisions_app, name="decisions")


@decisions_app.callback()
def decisions_list(ctx: typer.Context, db: str = DbOption, as_json: bool = JsonOption,
                   include_rejected: bool = typer.Option(True, "--include-rejected/--no-rejected",
                                                         help="Show what each rejected claim said.")) -> None:
    """The decisions in force, in the order made (with `export`/`import`: move them between knowledge bases)."""
    if ctx.invoked_subcommand is not None:
        return
    with store_from(db, readonly=True) as store:
        rows = sd.list_decisions(store)
    if not include_rejected:
        for r in rows:
            r["args"].pop("claim_row", None)
    if as_json:
        print_json(rows)
        return
    table("Decisions", ["id", "kind", "what", "who", "when", "why", "status"],
          [(r["id"], r["kind"], _describe(r), r["who"], r["made_at"], r["why"], r["status"]) for r in rows])


def _describe(row: dict[str, Any]) -> str:
    a = row["args"]
    text = {"merge": "{other} into {into}", "split": "{alias} off {name}", "alias_add": "{alias} for {name}",
            "alias_remove": "{alias} from {name}", "kind": "{name} is {kind}", "rename": "{name} as {new}",
            "grade": "{source}: {grade}"}.get(row["kind"], "{claim}")
    out = text.format(**a)
    if a.get("claim_row"):
        out += f" ({' '.join(str(a['claim_row'].get('snippet') or '').split())[:120]})"
    return out


@decisions_app.command("export")
def decisions_export(out: Path = typer.Option(..., "--output", "-o", help="YAML file to write."),
                     db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Write every decision to a YAML file another knowledge base can import."""
    with store_from(db, readonly=True) as store:
        rows = sd.list_decisions(store)
    data = {"sitrep_decisions": 1, "decisions": [
        {k: r[k] for k in ("kind", "args", "who", "made_at", "why")} for r in rows]}
    try:
        atomic_write(out, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    except OutputError as exc:
        raise fail(str(exc), EXIT_STORE) from exc
    if as_json:
        print_json({"written": str(out), "decisions": len(rows)})
    else:
        console.print(f"wrote {len(rows)} decisions to {out}", markup=False, highlight=False)


def _read_export(path: Path) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}", EXIT_USAGE) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise fail(f"{path}: not a decisions file (not valid YAML: {str(exc).splitlines()[0]})", EXIT_USAGE) from exc
    if not isinstance(data, dict) or set(data) != {"sitrep_decisions", "decisions"} \
            or not isinstance(data["decisions"], list):
        raise fail(f"{path}: not a decisions file (expected keys sitrep_decisions and decisions)", EXIT_USAGE)
    items = data["decisions"]
    for i, d in enumerate(items, 1):
        if not isinstance(d, dict) or d.get("kind") not in sd.KINDS or not isinstance(d.get("args"), dict) \
                or set(d) - {"kind", "args", "who", "made_at", "why"}:
            raise fail(f"{path}: decision {i} is malformed (kind one of {', '.join(sd.KINDS)}, args a mapping; "
                       "keys kind, args, who, made_at, why)", EXIT_USAGE)
    return items


@decisions_app.command("import")
def decisions_import(path: Path = typer.Argument(..., metavar="FILE.yaml"), db: str = DbOption,
                     as_json: bool = JsonOption) -> None:
    """Import decisions (idempotent); one that no longer applies is kept and reported."""
    items = _read_export(path)
    report = []
    with store_from(_existing(db)) as store:
        for d in items:
            row, new = sd.record(store, d["kind"], d["args"], str(d.get("who") or "unknown"), d.get("why"),
                                 made_at=str(d["made_at"]) if d.get("made_at") else None)
            outcome = sd.apply_one(store, row) if new else sd.Outcome(row["id"], row["kind"], row["status"])
            report.append({"id": row["id"], "kind": row["kind"], "new": new, "status": outcome.status})
    if as_json:
        print_json(report)
        return
    table("Imported decisions", ["id", "kind", "new", "status"],
          [(r["id"], r["kind"], "yes" if r["new"] else "no", r["status"]) for r in report])
