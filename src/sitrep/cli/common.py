"""Shared CLI helpers: options, store opening, JSON/table output, exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from sitrep.config import DEFAULT_DB
from sitrep.store import Store, StoreError, open_store

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORE, EXIT_EVAL = 0, 1, 2, 3, 4, 5

console = Console(width=None if sys.stdout.isatty() else 120)
err = Console(stderr=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL (env SITREP_DB).")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")


@contextmanager
def store_from(url: str, readonly: bool = False) -> Iterator[Store]:
    try:
        store = open_store(url, readonly=readonly)
    except StoreError as exc:
        err.print(f"error: {exc}", style="red", markup=False, highlight=False)
        raise typer.Exit(EXIT_STORE) from exc
    try:
        yield store
    finally:
        store.close()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, highlight=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    console.print(t)


def not_found(message: str) -> typer.Exit:
    err.print(message, style="yellow", markup=False, highlight=False)
    return typer.Exit(EXIT_NOT_FOUND)
