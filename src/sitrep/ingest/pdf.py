"""PDF files to article inputs: the text layer page by page (pypdf), no OCR.

Each page's text is read with its font sizes and positions, so that footnotes (smaller type at
the foot of a page, starting with a mark) are told from the body; :mod:`sitrep.ingest.paged`
then removes running headers, footers and page numbers, undoes line-end hyphens and records
where each page starts.  The title and date come from the document information, else from the
first page (its largest type; a date line near the top).

Bad files give one reason each and are skipped: encrypted (without an empty password),
image-only (no text layer), truncated or malformed.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from sitrep.ingest.metadata import to_iso
from sitrep.ingest.paged import Assembled, PageLine, assemble, is_untitled

FOOTNOTE_SIZE = 0.9  # type this much smaller than the body's, below the body, is a footnote
DATE_LINES = 12  # a date line is looked for among the first lines of page 1
TITLE_LINES = 10  # so is the title (the largest type)
MIN_TEXT_CHARS = 20  # fewer letters than this on every page: no text layer

ProgressFn = Callable[[int, int], None]  # (pages done, pages in all)


class DocumentError(ValueError):
    """A document file that cannot be read (the message is the reason shown to the user)."""


def _open(data: bytes) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise DocumentError("not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError("encrypted PDF (needs a password): skipped")
            except (FileNotDecryptedError, NotImplementedError, DependencyError) as err:
                raise DocumentError(f"encrypted PDF that cannot be opened ({_short(err)}): skipped") from None
        count = len(reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError) as err:
        raise DocumentError(f"malformed or truncated PDF ({_short(err)}): skipped") from None
    if count == 0:
        raise DocumentError("malformed or truncated PDF (no pages): skipped")
    return reader


def _short(err: BaseException) -> str:
    text = " ".join(str(err).split()) or type(err).__name__
    return text[:120]


def _page_lines(page: Any) -> list[PageLine]:
    """The lines of one page with their font size and height, in the order pypdf reads them."""
    lines: list[PageLine] = []
    current: list[str] = []
    state: dict[str, Any] = {"size": 0.0, "y": None}

    def flush() -> None:
        joined = "".join(current).strip()
        if joined:
            lines.append(PageLine(joined, state["size"], state["y"]))
        current.clear()
        state["size"], state["y"] = 0.0, None

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text:
            return
        scale = abs(tm[3] * cm[3]) or 1.0
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if piece.strip():
                if state["y"] is None:
                    state["y"] = tm[5] * cm[3] + cm[5]
                state["size"] = max(state["size"], float(size) * scale)
            current.append(piece)
            if i < len(pieces) - 1:
                flush()

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _mark_footnotes(pages: list[list[PageLine]]) -> None:
    """Lines at the foot of a page in smaller type than the body's, from a footnote mark on."""
    from sitrep.ingest.paged import is_footnote_start, is_page_number

    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            if ln.size:
                sizes[round(ln.size, 1)] += len(ln.text)
    if not sizes:
        return
    body = sizes.most_common(1)[0][0]
    for lines in pages:
        i = len(lines)
        while i > 0 and (lines[i - 1].size and lines[i - 1].size < body * FOOTNOTE_SIZE
                         or is_page_number(lines[i - 1].text)):
            i -= 1
        start = next((j for j in range(i, len(lines)) if is_footnote_start(lines[j].text)
                      and not is_page_number(lines[j].text)), None)
        if start is None:
            continue
        for ln in lines[start:]:
            if not is_page_number(ln.text):
                ln.footnote = True


def _info(reader: Any) -> dict[str, str]:
    try:
        info = reader.metadata or {}
        title = str(info.get("/Title") or "").strip()
        date = info.get("/CreationDate")
        author = str(info.get("/Author") or "").strip()
    except Exception:  # noqa: BLE001 - broken document information: ignored
        return {}
    out: dict[str, str] = {}
    if title and not is_untitled(title):
        out["title"] = title
    if isinstance(date, str) and date.startswith("D:") and len(date) >= 10 and date[2:10].isdigit():
        out["created"] = f"{date[2:6]}-{date[6:8]}-{date[8:10]}"
    if author and author.lower() not in ("anonymous", "unknown", "user"):
        out["author"] = author
    return out


def first_page_metadata(lines: list[PageLine]) -> dict[str, str]:
    """Title (the largest type among the first lines) and date (a date line) of the first page."""
    out: dict[str, str] = {}
    head = [ln for ln in lines[:TITLE_LINES] if not ln.footnote]
    if head and any(ln.size for ln in head):
        top = max(ln.size for ln in head)
        body = Counter(round(ln.size, 1) for ln in lines).most_common(1)[0][0]
        if top > body * 1.15:
            title = " ".join(ln.text for ln in head if ln.size >= top - 0.5)
            if 2 <= len(title) <= 300:
                out["title"] = title
    for ln in lines[:DATE_LINES]:
        iso = to_iso(ln.text) if len(ln.text.split()) <= 6 else None
        if iso:
            out["published"] = iso
            break
    return out


def read_pdf(data: bytes, progress: ProgressFn | None = None) -> tuple[Assembled, dict[str, str]]:
    """Article text of a PDF and its metadata; raise :class:`DocumentError` with the reason."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file's warnings are our one line
    reader = _open(data)
    pages: list[list[PageLine]] = []
    total = len(reader.pages)
    try:
        for number, page in enumerate(_iter_pages(reader), 1):
            pages.append(_page_lines(page))
            if progress:
                progress(number, total)
    except DocumentError:
        raise
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on damaged content streams
        raise DocumentError(f"malformed or truncated PDF ({_short(err)}): skipped") from None
    letters = sum(ch.isalpha() for lines in pages for ln in lines for ch in ln.text)
    if letters < MIN_TEXT_CHARS:
        raise DocumentError("PDF has no text layer (image-only or scanned; OCR is not done): skipped")
    _mark_footnotes(pages)
    found = first_page_metadata(pages[0]) if pages else {}
    info = _info(reader)
    meta = {"title": info.get("title") or found.get("title", ""),
            "published": found.get("published") or info.get("created", ""),
            "author": info.get("author", "")}
    return assemble(pages), {k: v for k, v in meta.items() if v}


def _iter_pages(reader: Any) -> Iterator[Any]:
    for i in range(len(reader.pages)):
        yield reader.pages[i]
