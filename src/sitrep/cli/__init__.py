"""The ``sitrep`` command line: one module per command group, all registered on one typer app.

Exit codes (see :mod:`sitrep.cli.common`): 0 success; 1 finished but some inputs were
skipped; 2 usage error; 3 nothing found; 4 storage or output error; 5 evaluation below
the requested threshold; 6 the run failed; 130 interrupted.  No command prints a Python
traceback: an unexpected error is one line on stderr and exit code 6.
"""

from __future__ import annotations

import importlib
import sys

import typer

# typer >= 0.20 carries its own copy of click: take its ClickException from one of typer's own errors
ClickException = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")

app = typer.Typer(
    name="sitrep",
    help="Turn news articles about armed groups into a source-attributed knowledge base.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

@app.callback()
def _global_options(
    gazetteer: str | None = typer.Option(
        None, "--gazetteer", metavar="DIR",
        help="A folder with the team's own actors.yaml / places.tsv, merged over the built-in gazetteer."),
) -> None:
    """Turn news articles about armed groups into a source-attributed knowledge base."""
    from sitrep.config import GLOBAL_FLAGS

    GLOBAL_FLAGS.clear()
    if gazetteer is not None:
        GLOBAL_FLAGS["gazetteer"] = gazetteer


# Each module registers its commands on ``app`` when imported.
COMMAND_MODULES = ("ingest", "query", "evaluate", "outputs", "serve", "decisions", "changes", "watch")


def _import_command_module(name: str) -> None:
    try:
        importlib.import_module(f"sitrep.cli.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"sitrep.cli.{name}":
            raise


def _command_names() -> set[str]:
    names = {info.name or info.callback.__name__.lower().replace("_", "-")
             for info in app.registered_commands if info.callback is not None or info.name}
    return names | {g.name for g in app.registered_groups if g.name}


def _register(argv: list[str] | None = None) -> None:
    """Import the command modules. Given the command line, only the module named like the command when it
    defines that command (``sitrep ingest`` loads neither the query nor the web code), else every one."""
    wanted = next((a for a in argv if not a.startswith("-")), None) if argv else None
    if wanted in COMMAND_MODULES:
        _import_command_module(wanted)
        if wanted in _command_names():
            return
    for name in COMMAND_MODULES:
        _import_command_module(name)


def main() -> None:
    from sitrep.cli.common import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, err, safe_text

    try:
        _register(sys.argv[1:])
        code = app(standalone_mode=False)
    except typer.Abort:
        err.print("interrupted", style="red", markup=False, highlight=False)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except KeyboardInterrupt:
        err.print("interrupted", style="red", markup=False, highlight=False)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except ClickException as exc:
        try:
            exc.show()
        except Exception:  # noqa: BLE001 - a message that cannot be shown still ends the run cleanly
            sys.stderr.write(f"error: {safe_text(str(exc))}\n")
        raise SystemExit(exc.exit_code if exc.exit_code else EXIT_USAGE) from None
    except (SystemExit, typer.Exit):
        raise
    except BrokenPipeError:
        raise SystemExit(0) from None  # the reader went away (e.g. `| head`)
    except Exception as exc:  # noqa: BLE001 - never a traceback: one line and its own exit code
        message = safe_text(f"{type(exc).__name__}: {exc}".splitlines()[0][:500])
        try:
            err.print(f"error: sitrep failed: {message}", style="red", markup=False, highlight=False)
        except Exception:  # noqa: BLE001
            sys.stderr.write(f"error: sitrep failed: {message}\n")
        raise SystemExit(EXIT_FAILED) from None
    raise SystemExit(code if isinstance(code, int) else 0)
