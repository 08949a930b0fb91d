"""Shared CLI helpers: options, store opening, safe terminal output, atomic file output, exit codes.

Exit codes: 0 success; 1 finished but some inputs were skipped; 2 usage error (bad flag,
config file or setting); 3 nothing found; 4 storage or output error (database unusable,
corrupt, read-only or made by a newer sitrep; disk full; output file not writable);
5 evaluation below ``--min-f1``; 6 the run failed (an unexpected error; one line says
what); 130 interrupted.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from sitrep.config import DEFAULT_DB
from sitrep.store import Store, StoreError, open_store

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_STORE, EXIT_EVAL, EXIT_FAILED = 0, 1, 2, 3, 4, 5, 6
EXIT_INTERRUPTED = 130

# Characters that make a terminal do something: C0 controls but tab and newline, DEL, C1
# controls (0x9b is a one-byte CSI), and the bidirectional overrides that reorder what is shown.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def safe_text(text: str) -> str:
    """``text`` fit for a terminal: control characters removed (tab and newline kept) and lone
    surrogates (from undecodable file names) shown as escapes instead of failing the write."""
    if text.isascii() and text.isprintable():
        return text
    text = _UNSAFE.sub("", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class SafeConsole(Console):
    """A rich Console that strips control characters from every string it renders (plain prints,
    table cells, rules), so titles and file names from articles cannot drive the terminal."""

    def render_str(self, text: str, *args: Any, **kwargs: Any) -> Text:
        return super().render_str(safe_text(text), *args, **kwargs)


console = SafeConsole(width=None if sys.stdout.isatty() else 120)
err = SafeConsole(stderr=True)

DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLite file or postgresql:// URL (env SITREP_DB).")
JsonOption = typer.Option(False, "--json", help="Print JSON for scripts.")


def fail(message: str, code: int) -> typer.Exit:
    """Print ``error: message`` on stderr and return the Exit to raise."""
    err.print(f"error: {message}", style="red", markup=False, highlight=False)
    return typer.Exit(code)


@contextmanager
def store_from(url: str, readonly: bool = False) -> Iterator[Store]:
    """Open the store; any storage error while it is used (corrupt file, unreadable data, disk
    full) becomes one line and exit code 4."""
    try:
        store = open_store(url, readonly=readonly)
    except StoreError as exc:
        raise fail(str(exc), EXIT_STORE) from exc
    try:
        yield store
    except StoreError as exc:
        raise fail(str(exc), EXIT_STORE) from exc
    except store.driver_errors as exc:
        raise fail(store.explain(exc), EXIT_STORE) from exc
    except json.JSONDecodeError as exc:
        raise fail(f"{store.url} holds data sitrep cannot read (corrupt?): {exc}", EXIT_STORE) from exc
    finally:
        store.close()


def print_json(data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)  # JSON escapes C0 itself
    sys.stdout.write(text + "\n")


def table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    t = Table(title=title, show_lines=False, highlight=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*("" if v is None else safe_text(str(v)) for v in r))
    console.print(t)


def not_found(message: str) -> typer.Exit:
    err.print(message, style="yellow", markup=False, highlight=False)
    return typer.Exit(EXIT_NOT_FOUND)


class OutputError(OSError):
    """An output file that cannot be written; ``str(err)`` says which and why."""


def atomic_write(path: Path | str, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename, so
    that a full disk or a kill never leaves a half-written file; raises :class:`OutputError`."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder (give a file name)")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    parent = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
