"""``sitrep eval``: score the pipeline on gold annotations."""

from __future__ import annotations

from pathlib import Path

import typer

from sitrep.cli import app
from sitrep.cli.common import EXIT_EVAL, EXIT_USAGE, JsonOption, console, err, print_json, table


@app.command("eval")
def eval_command(
    gold: Path = typer.Option(..., "--gold", help="Folder of *.gold.json files."),
    docs: Path | None = typer.Option(None, "--docs", help="Folder of the articles (default: the gold folder)."),
    as_json: bool = JsonOption,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List misses and false hits per document."),
    min_f1: float | None = typer.Option(None, "--min-f1", help="Exit 5 if actors or places F1 is below this."),
    config: Path | None = typer.Option(None, "--config", help="Settings file (YAML or TOML); see the README."),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Analysis processes."),
    no_builtin_actors: bool = typer.Option(False, "--no-builtin-actors",
                                           help="Ablation: keep only global bodies of the built-in actors."),
) -> None:
    """Ingest the gold articles into a fresh temporary database, run the whole pipeline and score it
    (with the same settings as ``ingest``: ``--gazetteer``, ``--config``, the environment)."""
    from sitrep.config import SettingsError, build_settings
    from sitrep.eval.score import evaluate

    if not gold.is_dir():
        err.print(f"error: gold folder {gold} does not exist", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE)
    if docs is not None and not docs.is_dir():
        err.print(f"error: docs folder {docs} does not exist", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE)
    try:
        settings = build_settings(config, workers=workers)
        if no_builtin_actors:
            from dataclasses import replace

            settings = replace(settings, builtin_actors=0)
    except SettingsError as exc:
        err.print(f"error: {exc}", style="red", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    result, scorer = evaluate(gold, docs, settings=settings)
    for missing in scorer.missing_docs:
        err.print(f"warning: article {missing} not found", style="yellow", markup=False)
    if as_json:
        if verbose:
            result = {**result, "details": scorer.details}
        print_json(result)
    else:
        rows = []
        for key in ("actors", "places", "relations", "quantities", "events"):
            r = result[key]
            extra = ""
            if key == "events":
                extra = f"date {r['date_accuracy']:.2f}, killed {r['killed_accuracy']:.2f}"
            rows.append((key, f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}", r["gold"],
                         r["predicted"], r["matched"], extra))
        table(f"sitrep eval — {result['documents']} documents",
              ["", "precision", "recall", "F1", "gold", "predicted", "matched", ""], rows)
        at = result["attribution"]
        console.print(f"attribution accuracy {at['accuracy']:.3f} over {at['gold']} matched facts with a gold source",
                      markup=False)
        bp = result["boilerplate"]
        console.print(f"boilerplate removed {bp['removed']:.3f}, other lines kept {bp['kept']:.3f}; "
                      f"title accuracy {result['title']['accuracy']:.2f}; "
                      f"published accuracy {result['published']['accuracy']:.2f}", markup=False)
        if verbose:
            for d in scorer.details:
                console.rule(d["doc"], style="dim")
                for key in ("actors", "places", "relations", "quantities", "events"):
                    for m in d[key]["missed"]:
                        console.print(f"  {key} MISSED  {m}", markup=False, highlight=False)
                    for f in d[key]["false"]:
                        console.print(f"  {key} FALSE   {f}", markup=False, highlight=False)
                for w in d["attribution"]["wrong"]:
                    console.print(f"  attribution WRONG  {w}", markup=False, highlight=False)
                for m in d["events"]["matched"]:
                    console.print(f"  events MATCHED {m}", markup=False, highlight=False)
                for ln in d["boilerplate"]["kept_furniture"]:
                    console.print(f"  furniture KEPT  {ln}", markup=False, highlight=False)
                for ln in d["boilerplate"]["lost_lines"]:
                    console.print(f"  line LOST       {ln}", markup=False, highlight=False)
                for key in ("title", "published"):
                    if not d[key]["ok"]:
                        console.print(f"  {key} got {d[key]['got']!r}, gold {d[key]['gold']!r}", markup=False)
    if min_f1 is not None and min(result["actors"]["f1"], result["places"]["f1"]) < min_f1:
        raise typer.Exit(EXIT_EVAL)
