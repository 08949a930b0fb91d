"""Word (.docx) files to article inputs (python-docx).

Paragraphs in document order, tables row by row; footnotes (the file's footnotes part) follow the
body under the notes heading.  Word files have no fixed pages, but the page breaks the author (or
Word, when it last laid the file out) wrote are kept as page starts, so citations can give a page
where the file knows one.  Headers and footers are in their own parts and never enter the text.
The title and date come from the core properties, else from the first paragraphs (a Title or
Heading style; a date line).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

from sitrep.ingest.metadata import to_iso
from sitrep.ingest.paged import Assembled, PageLine, assemble, is_untitled
from sitrep.ingest.pdf import DocumentError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE_PARAGRAPHS = 8  # a date line is looked for among the first paragraphs
MAX_PARTS_BYTES = 200_000_000  # uncompressed size of the parts read (a zip bomb is refused)


def _check_zip(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: a password-protected .docx, or an old .doc
        raise DocumentError("encrypted (password-protected) Word file or old .doc format: skipped")
    if not data.startswith(b"PK"):
        raise DocumentError("not a Word file (.docx is a zip archive; old .doc files are not read): skipped")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            total = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as err:
        raise DocumentError(f"malformed or truncated Word file ({err}): skipped") from None
    if "EncryptedPackage" in names or "word/document.xml" not in names:
        raise DocumentError("not a readable Word document (encrypted, or no word/document.xml): skipped")
    if total > MAX_PARTS_BYTES:
        raise DocumentError(f"Word file expands to {total} bytes, over {MAX_PARTS_BYTES}: skipped")


def _paragraph_pages(body: Any) -> Iterator[tuple[str, str, bool]]:
    """(text, style name, starts a new page) of each paragraph and table row, in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in body.iter_inner_content():
        if isinstance(child, Paragraph):
            xml = child._p  # noqa: SLF001 - page breaks are not in python-docx's API
            breaks = any(br.get(f"{W}type") == "page" for br in xml.iter(f"{W}br")) or any(
                True for _ in xml.iter(f"{W}lastRenderedPageBreak"))
            style = child.style.name if child.style is not None else ""
            yield child.text, style or "", breaks
        elif isinstance(child, Table):
            for row in child.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                yield " | ".join(cells), "", False


def _footnotes(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if "word/footnotes.xml" not in zf.namelist():
            return []
        root = ElementTree.fromstring(zf.read("word/footnotes.xml"))  # noqa: S314 - zip part, no DTDs
    notes: list[str] = []
    for note in root.iter(f"{W}footnote"):
        if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        value = " ".join("".join(t.text or "" for t in note.iter(f"{W}t")).split())
        if value:
            number = note.get(f"{W}id") or str(len(notes) + 1)
            notes.append(f"{number} {value}" if not value[:1].isdigit() else value)
    return notes


def read_docx(data: bytes) -> tuple[Assembled, dict[str, str]]:
    """Article text of a Word file and its metadata; raise :class:`DocumentError` with the reason."""
    _check_zip(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        pages: list[list[PageLine]] = [[]]
        styles: list[tuple[str, str]] = []
        for text, style, page_break in _paragraph_pages(document):
            if page_break and pages[-1]:
                pages.append([])
            for i, line in enumerate(text.split("\n")):
                if line.strip():
                    pages[-1].append(PageLine(line, para_break=i == 0))
            if text.strip():
                styles.append((text.strip(), style))
        notes = _footnotes(data)
        props = document.core_properties
        title = (props.title or "").strip()
        created = props.created
    except DocumentError:
        raise
    except Exception as err:  # noqa: BLE001 - python-docx and lxml raise many kinds on damaged files
        raise DocumentError(f"malformed Word file ({' '.join(str(err).split())[:120]}): skipped") from None
    if not any(pages):
        raise DocumentError("Word file has no text: skipped")
    if notes:
        pages[-1] += [PageLine(n, footnote=True) for n in notes]
    meta: dict[str, str] = {}
    if title and not is_untitled(title):
        meta["title"] = title
    else:
        heading = next((t for t, s in styles[:3] if s.lower().startswith(("title", "heading"))), None)
        if heading:
            meta["title"] = heading
    date = next((to_iso(t) for t, _ in styles[:DATE_PARAGRAPHS] if len(t.split()) <= 6 and to_iso(t)), None)
    if date:
        meta["published"] = date
    elif created is not None:
        meta["published"] = created.date().isoformat()
    return assemble(pages), meta
