"""The ``sitrep`` command line: one module per command group, all registered on one typer app.

Exit codes: 0 success; 1 finished but some inputs were skipped; 2 usage error;
3 nothing found; 4 storage error; 5 evaluation below the requested threshold.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="sitrep",
    help="Turn news articles about armed groups into a source-attributed knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module registers its commands on ``app`` when imported.
COMMAND_MODULES = ("ingest", "query", "evaluate", "outputs", "serve")


def _register() -> None:
    for name in COMMAND_MODULES:
        try:
            importlib.import_module(f"sitrep.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"sitrep.cli.{name}":
                raise


def main() -> None:
    _register()
    app()
