"""``sitrep watch DIR``: ingest articles as they arrive in (or change in) a folder a scraper fills.

The folder is ingested once at the start (what is already stored is skipped by its content
hash, so a restart re-ingests nothing), then every ``--interval`` seconds the files that
watchdog saw created, changed or moved in are ingested as one recorded run.  A bad file is
reported and skipped; Ctrl-C stops cleanly with exit code 130.

A team's gazetteer folder (``--gazetteer DIR``) is re-read when one of its files changes, before the
next batch: the articles that arrive after an analyst adds a group or a spelling are read with it.  A
file that no longer validates is reported (file, line, key) and the gazetteer loaded before is kept.
Articles already stored are not re-read (``sitrep ingest --force`` does that).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import typer

from sitrep.cli import app
from sitrep.cli.common import EXIT_INTERRUPTED, EXIT_USAGE, DbOption, console, fail, store_from
from sitrep.config import Settings, SettingsError, build_settings
from sitrep.ingest.readers import FOLDER_EXTENSIONS
from sitrep.store.base import Store


def _wanted(path: str, root: str) -> bool:
    rel = os.path.relpath(path, root)
    parts = Path(rel).parts
    return (not any(p.startswith(".") for p in parts) and Path(path).suffix.lower() in FOLDER_EXTENSIONS
            and not rel.startswith(".."))


def _gazetteer_state(settings: Settings) -> tuple[tuple[str, int, int], ...]:
    """(name, mtime_ns, size) of each file in the team's gazetteer folder: what a change is seen by."""
    if not settings.gazetteer:
        return ()
    folder = Path(settings.gazetteer)
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return (("", 0, 0),)
    state = []
    for path in entries:
        try:
            st = path.stat()
        except OSError:
            continue
        state.append((path.name, st.st_mtime_ns, st.st_size))
    return tuple(state)


def reload_gazetteer(settings: Settings, report: Callable[[str], None]) -> bool:
    """Validate the team's gazetteer folder again and, when it loads, drop the per-process copies of the
    gazetteer and of the pipeline built from it, so the next ingest reads the folder as it is now.  On a
    bad file nothing is dropped (the last good gazetteer stays in use) and the error is reported."""
    from sitrep.data import load_gazetteer
    from sitrep.data.loader import DataFileError
    from sitrep.nlp import get_nlp

    try:  # the uncached loader: exactly what the next ingest will load, without dropping the one in use
        fresh = load_gazetteer.__wrapped__(settings.gazetteer, not settings.builtin_actors)
    except DataFileError as exc:
        report(f"gazetteer {settings.gazetteer} changed but was not reloaded: {exc}; the one loaded before is kept")
        return False
    load_gazetteer.cache_clear()
    get_nlp.cache_clear()
    report(f"gazetteer {settings.gazetteer} reloaded: {len(fresh.actors)} actors, {len(fresh.places)} places")
    return True


def watch_folder(folder: str, store: Store, settings: Settings, interval: float = 2.0,
                 duration: float | None = None, once: bool = False,
                 report: Callable[[str], None] = print, stop: threading.Event | None = None) -> list[int]:
    """Ingest ``folder`` now, then what arrives in it, until ``duration`` seconds pass, ``stop`` is set
    or (with ``once``) after the first pass; returns the ids of the runs made."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    from sitrep.pipeline import run_ingest

    root = os.path.abspath(folder)
    changed: set[str] = set()
    lock = threading.Lock()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
                return
            path = str(getattr(event, "dest_path", "") or event.src_path)
            if _wanted(path, root):
                with lock:
                    changed.add(path)

    made: list[int] = []

    def ingest(paths: list[str]) -> None:
        summary = run_ingest(paths, store, settings, command="watch")
        if summary.run_id is not None:
            made.append(summary.run_id)
        report(f"run {summary.run_id}: ingested {summary.ingested}, replaced {summary.replaced}, "
               f"duplicates {summary.duplicates}, skipped {len(summary.skipped)}")
        for s in summary.skipped:
            report(f"  skipped {s}")
        if summary.error:
            report(f"  error {summary.error}")

    observer = Observer()
    observer.schedule(Handler(), root, recursive=True)
    observer.start()
    gazetteer_seen = _gazetteer_state(settings)
    try:
        ingest([root])
        end = None if duration is None else time.monotonic() + duration
        while not once and (end is None or time.monotonic() < end) and not (stop and stop.is_set()):
            time.sleep(interval if end is None else max(0.0, min(interval, end - time.monotonic())))
            with lock:
                batch = sorted(p for p in changed if os.path.isfile(p))
                changed.clear()
            if batch:
                now = _gazetteer_state(settings)
                if now != gazetteer_seen:
                    gazetteer_seen = now
                    reload_gazetteer(settings, report)
                ingest(batch)
    finally:
        observer.stop()
        observer.join(timeout=5)
    return made


@app.command()
def watch(
    folder: Path = typer.Argument(..., help="The folder to watch (recursively)."),
    interval: float = typer.Option(2.0, "--interval", min=0.1, help="Seconds between ingests of what arrived."),
    for_s: float | None = typer.Option(None, "--for", min=0, help="Stop after this many seconds."),
    once: bool = typer.Option(False, "--once", help="Ingest the folder once and stop."),
    db: str = DbOption,
) -> None:
    """Ingest files as they arrive or change in FOLDER; restarts re-ingest nothing already stored."""
    if not folder.is_dir():
        raise fail(f"{folder} is not a folder", EXIT_USAGE)
    try:
        settings = build_settings(None)
    except SettingsError as exc:
        raise fail(str(exc), EXIT_USAGE) from exc

    def report(line: str) -> None:
        console.print(line, markup=False, highlight=False)

    with store_from(db) as store:
        try:
            watch_folder(str(folder), store, settings, interval=interval, duration=for_s, once=once, report=report)
        except KeyboardInterrupt:
            report("stopped")
            raise typer.Exit(EXIT_INTERRUPTED) from None
