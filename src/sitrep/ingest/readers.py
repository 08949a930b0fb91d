"""Readers: turn paths (files, folders, stdin) into raw article inputs.

Every problem with an input becomes an :class:`InputError` naming the file (and
line) and the reason; readers never raise for bad input.

Formats by extension: ``.txt``/``.text``/``.md`` (txt), ``.html``/``.htm``
(html), ``.jsonl``/``.ndjson`` (one JSON article per line with ``text`` or
``html`` and optional ``id``, ``url``, ``title``, ``published``, ``publisher``,
``author``).  A file named on the command line is read whatever its extension
(unknown ones are sniffed).  Folders are walked recursively in sorted order and
give only the article types of :data:`FOLDER_EXTENSIONS`: other files, hidden
entries aside, are reported once each as skipped.  Symbolic links inside a folder
are not followed out of it (nor into other folders), and each one not followed is
reported once; only regular files are read (a FIFO or device is skipped, never
opened for a blocking read).  Names that are not valid UTF-8 are shown (and
stored as sources) with their bad bytes escaped as ``\\xNN``.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from sitrep.config import Settings
from sitrep.ingest.encoding import (
    DecodeError,
    decode_bytes,
    has_lone_surrogate,
    normalise_newlines,
    strip_controls,
)

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
PAGED_EXTENSIONS = {".pdf": "pdf", ".docx": "docx"}  # document files: read by sitrep.ingest.pdf / docx
FOLDER_EXTENSIONS = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson",
                               *PAGED_EXTENSIONS})  # read from folders
PAGED_SIZE_FACTOR = 20  # a PDF or Word file may be this many times the document limit (images, fonts)
JSONL_FIELDS = ("id", "url", "title", "published", "publisher", "author")
_HTML_START = ("<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ", "<!--", "<meta", "<title")


@dataclass(slots=True)
class RawInput:
    source: str  # path, "path:LINE" for JSONL, or "-" for stdin
    text: str  # decoded raw content (HTML stays HTML)
    format: str  # txt | html | jsonl
    meta: dict[str, Any] = field(default_factory=dict)  # JSONL fields: id, url, title, published, publisher


@dataclass(slots=True)
class InputError:
    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


Item = RawInput | InputError


STDIN = "-"


def stdin_source(stdin_id: str | None = None) -> str:
    """The source of an article read from standard input: ``-``, or ``-#ID`` with ``--id ID``."""
    return f"{STDIN}#{strip_controls(stdin_id).strip()}" if stdin_id and stdin_id.strip() else STDIN


def identified_by_content(source: str) -> bool:
    """True for inputs that have no lasting name (standard input without ``--id``, and its JSONL lines
    without an ``id``): they are identified by their content only, so one never replaces another."""
    return source == STDIN or (source.startswith(STDIN + ":") and source[2:].isdigit())


def display_path(path: str) -> str:
    """``path`` as valid text: bytes of a name that is not UTF-8 (decoded by Python as lone surrogates)
    become ``\\xNN``, so the name can be printed and stored, and is the same on every run."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return path.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def iter_inputs(paths: list[str], settings: Settings | None = None, stdin_id: str | None = None) -> Iterator[Item]:
    """Yield raw inputs from files, folders (recursively) and ``-`` (stdin, named ``stdin_id`` if given)."""
    settings = settings or Settings()
    for path in paths:
        if path == STDIN:
            yield from _read_stdin(settings, stdin_source(stdin_id))
            continue
        try:
            st = os.stat(path)
        except OSError as err:
            yield InputError(display_path(path), _os_reason(err))
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, settings)
        else:
            yield from _read_file(path, settings)


# --- files and folders --------------------------------------------------------


def _os_reason(err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "is a symlink loop"
    if err.errno == errno.ENOENT:
        return "no such file or directory"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EISDIR:
        return "is a directory"
    return err.strerror or str(err)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: str, settings: Settings) -> Iterator[Item]:
    errors: list[OSError] = []
    root_real = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        for err in errors:
            yield InputError(display_path(str(err.filename or dirpath)), _os_reason(err))
        errors.clear()
        kept: list[str] = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                where = "inside" if _inside(os.path.realpath(full), root_real) else "outside"
                yield InputError(display_path(full), f"symbolic link to a folder {where} the input folder: not followed")
                continue
            kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full) and not _inside(os.path.realpath(full), root_real):
                yield InputError(display_path(full), "symbolic link to a file outside the input folder: not followed")
                continue
            ext = os.path.splitext(name)[1].lower()
            if ext not in FOLDER_EXTENSIONS:
                kind = f"'{display_path(ext)}' files" if ext else "files without an extension"
                yield InputError(display_path(full), f"not an article type ({kind} are not read from folders; "
                                 "name the file to read it)")
                continue
            yield from _read_file(full, settings)
    for err in errors:
        yield InputError(display_path(str(err.filename or root)), _os_reason(err))


def _format_of(path: str) -> str | None:
    ext = os.path.splitext(path)[1].lower()
    if ext in TEXT_EXTENSIONS:
        return "txt"
    if ext in HTML_EXTENSIONS:
        return "html"
    if ext in JSONL_EXTENSIONS:
        return "jsonl"
    return PAGED_EXTENSIONS.get(ext)


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory"
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"not a regular file ({kind}): skipped" if kind != "not a regular file" else kind


def _open_regular(path: str) -> tuple[IO[bytes], os.stat_result] | str:
    """Open ``path`` for reading only if it is a regular file: opened without blocking and checked on
    the open descriptor, so a FIFO swapped in after a check can never hang the run. Returns a reason
    when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError as err:
        return _os_reason(err)
    if not stat.S_ISREG(st.st_mode):
        return _not_regular(st.st_mode)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as err:
        return _os_reason(err)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            return _not_regular(st.st_mode)
        return os.fdopen(fd, "rb"), st
    except OSError as err:
        os.close(fd)
        return _os_reason(err)


def _read_file(path: str, settings: Settings) -> Iterator[Item]:
    name = display_path(path)
    opened = _open_regular(path)
    if isinstance(opened, str):
        yield InputError(name, opened)
        return
    fh, st = opened
    with fh:
        if st.st_size == 0:
            yield InputError(name, "empty file")
            return
        fmt = _format_of(path)
        if fmt == "jsonl":
            yield from _read_jsonl(name, fh, settings)
            return
        limit = settings.max_document_bytes * (PAGED_SIZE_FACTOR if fmt in ("pdf", "docx") else 1)
        if st.st_size > limit:
            yield InputError(name, _too_big(st.st_size, settings, limit))
            return
        try:
            data = fh.read(limit + 1)
        except OSError as err:
            yield InputError(name, _os_reason(err))
            return
    if len(data) > limit:  # grew since stat
        yield InputError(name, _too_big(len(data), settings, limit))
        return
    if fmt in ("pdf", "docx"):
        yield _paged_input(name, data, fmt)
        return
    yield from _from_bytes(name, data, fmt, settings)


def _too_big(size: int, settings: Settings, limit: int | None = None) -> str:
    return (
        f"file is {size} bytes, over the {limit or settings.max_document_bytes}-byte limit "
        "(SITREP_MAX_DOCUMENT_BYTES)"
    )


PageProgress = Callable[[str, int, int], None]  # (source, pages done, pages in all)
page_progress: list[PageProgress | None] = [None]  # set by the CLI to show a bar for long documents


def _paged_input(source: str, data: bytes, fmt: str) -> Item:
    """A PDF or Word file as an article input: its text (furniture removed) with its pages."""
    from sitrep.ingest.pdf import DocumentError, read_pdf

    callback = page_progress[0]

    def progress(done: int, total: int) -> None:
        if callback is not None:
            callback(source, done, total)

    try:
        if fmt == "pdf":
            article, found = read_pdf(data, progress)
        else:
            from sitrep.ingest.docx import read_docx

            article, found = read_docx(data)
    except DocumentError as err:
        return InputError(source, str(err))
    if not article.text.strip():
        return InputError(source, f"no text in the {fmt.upper()} file: skipped")
    meta: dict[str, Any] = dict(found)
    meta["page_starts"] = article.page_starts
    meta["pages"] = article.pages
    if article.notes_start is not None:
        meta["notes_start"] = article.notes_start
    meta["furniture"] = article.removed
    return RawInput(source, article.text, fmt, meta)


def _from_bytes(source: str, data: bytes, fmt: str | None, settings: Settings) -> Iterator[Item]:
    """Decode a whole file (or stdin) and yield its article(s)."""
    if fmt is None and data.startswith(b"%PDF-"):  # a PDF without its extension, or on stdin
        yield _paged_input(source, data, "pdf")
        return
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as err:
        reason = str(err)
        if fmt is None and reason.startswith("undecodable"):
            reason = "unsupported binary file (not decodable as text)"
        yield InputError(source, reason)
        return
    if not text.strip():
        yield InputError(source, "empty file (only white space)")
        return
    fmt = fmt or sniff_format(text)
    if fmt == "jsonl":
        yield from _jsonl_lines(source, iter(text.split("\n")), settings)
        return
    meta = {"encoding": encoding} if encoding != "utf-8" else {}
    yield RawInput(source, text, fmt, meta)


def sniff_format(text: str) -> str:
    """Guess ``html``, ``jsonl`` or ``txt`` from decoded content."""
    head = text.lstrip()[:1000]
    low = head.lower()
    if low.startswith(_HTML_START) or ("<html" in low and "</" in text[:100_000]):
        return "html"
    if head.startswith("{"):
        first = head.split("\n", 1)[0] if "\n" in head else text.lstrip().split("\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except ValueError:
            pass
    return "txt"


# --- stdin ----------------------------------------------------------------------


def _read_stdin(settings: Settings, source: str = STDIN) -> Iterator[Item]:
    stream: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    try:
        data = (stream.read(settings.max_document_bytes + 1) if stream
                else sys.stdin.read().encode("utf-8", "surrogateescape"))
    except (OSError, ValueError) as err:
        yield InputError(source, f"cannot read standard input: {err}")
        return
    if not data:
        yield InputError(source, "empty input on standard input")
        return
    if len(data) > settings.max_document_bytes:
        if data.lstrip()[:1] == b"{" and stream is not None:
            yield from _jsonl_stream(STDIN, _chain_lines(data, stream, settings), settings)
            return
        yield InputError(source, f"input is over the {settings.max_document_bytes}-byte limit (SITREP_MAX_DOCUMENT_BYTES)")
        return
    yield from _from_bytes(source, data, None, settings)


def _chain_lines(head: bytes, stream: IO[bytes], settings: Settings) -> Iterator[bytes | None]:
    """Lines of ``head`` followed by the rest of ``stream`` (None marks an over-long line)."""
    rest = _byte_lines(stream, settings.max_line_bytes)
    lines = head.split(b"\n")
    for line in lines[:-1]:
        yield line if len(line) <= settings.max_line_bytes else None
    tail = lines[-1]
    first = next(rest, b"")
    if first is None or len(tail) + len(first) > settings.max_line_bytes:
        yield None
    else:
        yield tail + first
    yield from rest


# --- JSONL ----------------------------------------------------------------------


def _byte_lines(fh: IO[bytes], max_line: int) -> Iterator[bytes | None]:
    """Lines of ``fh`` without the newline, streaming; an over-long line yields None (and is skipped)."""
    while True:
        line = fh.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:  # skip the rest of the over-long line without keeping it
                more = fh.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
            yield None
            continue
        yield line.rstrip(b"\n")


def _read_jsonl(path: str, fh: IO[bytes], settings: Settings) -> Iterator[Item]:
    try:
        start = fh.read(4)
        fh.seek(0)
    except OSError as err:
        yield InputError(path, _os_reason(err))
        return
    if start.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(start) == 4 and b"\x00" in start):
        yield from _read_wide_jsonl(path, fh, settings)
        return
    yield from _jsonl_stream(path, _byte_lines(fh, settings.max_line_bytes), settings)


def _read_wide_jsonl(path: str, fh: IO[bytes], settings: Settings) -> Iterator[Item]:
    """UTF-16/32 JSONL: decoded whole (it cannot be split on bytes), within the document limit."""
    data = fh.read(settings.max_document_bytes + 1)
    if len(data) > settings.max_document_bytes:
        yield InputError(path, _too_big(len(data), settings))
        return
    yield from _from_bytes(path, data, "jsonl", settings)


def _jsonl_stream(source: str, lines: Iterator[bytes | None], settings: Settings) -> Iterator[Item]:
    def decoded() -> Iterator[str | None | DecodeError]:
        for number, line in enumerate(lines, 1):
            if line is None:
                yield None
                continue
            if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    yield decode_bytes(line)[0] if line.strip() else ""
                except DecodeError as err:
                    yield err

    yield from _jsonl_lines(source, decoded(), settings)


def _jsonl_lines(source: str, lines: Iterator[str | None | DecodeError], settings: Settings) -> Iterator[Item]:
    found = False
    for number, line in enumerate(lines, 1):
        if line is None:
            found = True
            yield InputError(source, f"line is over the {settings.max_line_bytes}-byte limit (SITREP_MAX_LINE_BYTES)", number)
            continue
        if isinstance(line, DecodeError):
            found = True
            yield InputError(source, str(line), number)
            continue
        if not line.strip():
            continue
        found = True
        yield _parse_jsonl_line(source, line, number)
    if not found:
        yield InputError(source, "no JSON lines in file")


def _parse_jsonl_line(source: str, line: str, number: int) -> Item:
    try:
        obj = json.loads(line)
    except ValueError as err:
        return InputError(source, f"invalid JSON ({err.args[0] if err.args else err})", number)
    except RecursionError:
        return InputError(source, "invalid JSON (nested too deeply)", number)
    if not isinstance(obj, dict):
        return InputError(source, f"JSON line is a {type(obj).__name__}, not an object", number)
    body_key = "text" if obj.get("text") is not None else "html" if obj.get("html") is not None else None
    if body_key is None:
        return InputError(source, "JSON object has no 'text' or 'html' field", number)
    body = obj[body_key]
    if not isinstance(body, str):
        return InputError(source, f"field '{body_key}' must be a string, not {type(body).__name__}", number)
    if has_lone_surrogate(body):
        return InputError(source, f"field '{body_key}' contains a lone surrogate escape (not valid Unicode)", number)
    if not body.strip():
        return InputError(source, f"field '{body_key}' is empty", number)
    meta: dict[str, Any] = {}
    for key in JSONL_FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if key == "id" and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return InputError(source, f"field '{key}' must be a string, not {type(value).__name__}", number)
        if has_lone_surrogate(value):
            return InputError(source, f"field '{key}' contains a lone surrogate escape (not valid Unicode)", number)
        meta[key] = strip_controls(value) if key == "id" else value.replace("\x00", "")
    meta["line"] = number
    meta["file"] = source
    if body_key == "html":
        meta["content_format"] = "html"
    ident = meta.get("id", "").strip()
    where = f"{source}#{ident}" if ident else f"{source}:{number}"
    return RawInput(where, normalise_newlines(body), "jsonl", meta)
