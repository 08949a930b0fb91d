"""``sitrep ingest``: read articles into the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from sitrep.cli import app
from sitrep.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_SKIPPED,
    EXIT_STORE,
    EXIT_USAGE,
    DbOption,
    JsonOption,
    console,
    err,
    fail,
    print_json,
    safe_text,
    store_from,
)
from sitrep.config import SettingsError, build_settings
from sitrep.ingest import readers

LONG_DOCUMENT_PAGES = 20  # a PDF of this many pages gets its own progress bar


class _NoProgress:
    """What the command calls on a progress display, doing nothing (``--quiet``, ``--json``, no terminal):
    rich's progress bars are not even imported then."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def update(self, *args: Any, **kwargs: Any) -> None:
        return None

    def remove_task(self, *args: Any) -> None:
        return None


def _progress(show: bool) -> Any:
    if not show:
        return _NoProgress()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(SpinnerColumn(), TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("{task.fields[current]}", markup=False), TimeElapsedColumn(),
                    console=err, transient=True)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(None, help="Files or folders (.txt, .html, .jsonl, .pdf, .docx); '-' reads stdin."),
    feed: list[str] = typer.Option(None, "--feed", help="An RSS or Atom feed (file or http(s) URL); repeatable."),
    db: str = DbOption,
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Analysis processes (default 1)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Run analysis on Dask: 'local' (a LocalCluster) or tcp://HOST:PORT."),
    batch_size: int | None = typer.Option(None, "--batch-size", min=1, help="Documents per batch (default 32)."),
    max_bytes: int | None = typer.Option(None, "--max-bytes", min=1,
                                         help="Largest input file accepted (default 5,000,000 bytes)."),
    stdin_id: str | None = typer.Option(
        None, "--id", help="Name the article read from stdin ('-'): a later `--id` with new text replaces it. "
                           "Without it, stdin articles are identified by their content."),
    config: Path | None = typer.Option(None, "--config", help="Settings file (YAML or TOML); see the README."),
    as_json: bool = JsonOption,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Ingest articles: clean, extract actors, places, relations, numbers and events, and store them.

    Exact duplicates are skipped, changed articles replace their old version, and every
    unusable input is reported with its reason while the rest goes on. Exit status 1
    when anything was skipped, 4 when the database failed, 6 when the run failed.
    """
    from sitrep.pipeline import run_ingest
    from sitrep.scale.dask_runner import SchedulerError

    paths, feed = list(paths or []), list(feed or [])
    if not paths and not feed:
        raise fail("nothing to ingest: give files or folders, '-' for stdin, or --feed FEED", EXIT_USAGE)
    try:
        settings = build_settings(config, batch_size=batch_size, max_document_bytes=max_bytes, workers=workers)
    except SettingsError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc

    def on_skip(s: object) -> None:
        if not as_json:
            err.print(f"skipped {s}", style="yellow", markup=False, highlight=False)

    with store_from(db) as store:
        show = not quiet and not as_json and console.is_terminal
        with _progress(show) as progress:
            task = progress.add_task("ingest", total=None, current="")

            def on_progress(n: int, source: str) -> None:
                progress.update(task, advance=n, current=safe_text(source[-60:]))

            page_tasks: dict[str, Any] = {}

            def on_pages(source: str, done: int, total: int) -> None:
                # a bar per long PDF while its pages are read, removed once it is read
                if total < LONG_DOCUMENT_PAGES:
                    return
                if source not in page_tasks:
                    page_tasks[source] = progress.add_task(
                        "pages", total=total, current=f"pages of {safe_text(source[-50:])}")
                progress.update(page_tasks[source], completed=done)
                if done >= total:
                    progress.remove_task(page_tasks.pop(source))

            readers.page_progress[0] = on_pages if show else None
            extra: Any = ()
            if feed:
                from sitrep.ingest.feeds import FeedInputs

                extra = FeedInputs(feed, settings)
            try:
                summary = run_ingest(paths, store, settings, scheduler=scheduler, on_progress=on_progress,
                                     on_skip=on_skip, stdin_id=stdin_id,
                                     extra_inputs=extra)
            except SchedulerError as exc:
                raise fail(str(exc), EXIT_USAGE) from exc
            finally:
                readers.page_progress[0] = None
        stats = store.stats()
    if as_json:
        print_json({**summary.to_dict(), "database": stats})
    else:
        console.print(
            f"ingested {summary.ingested}, replaced {summary.replaced}, moved {summary.moved}, "
            f"updated {summary.updated}, duplicates {summary.duplicates}, "
            f"near-duplicates {summary.near_duplicates}, skipped {len(summary.skipped)}",
            markup=False, highlight=False,
        )
        for s in summary.skipped:
            console.print(f"  skipped {s}", style="yellow", markup=False, highlight=False)
        for w in summary.warnings:
            console.print(f"  warning {w}", style="yellow", markup=False, highlight=False)
        console.print(
            f"database {stats['url']}: {stats['documents']} documents, {stats['entities']} entities, "
            f"{stats['relations']} relation claims, {stats['quantities']} quantities, {stats['events']} events",
            markup=False, highlight=False,
        )
    if summary.error:
        raise fail(summary.error, EXIT_STORE if summary.error_kind == "store" else EXIT_FAILED)
    raise typer.Exit(EXIT_SKIPPED if summary.skipped else EXIT_OK)
