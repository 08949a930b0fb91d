"""Build a :class:`Document` from a raw input: clean, map offsets, read metadata.

The cleaners and metadata readers are imported when a document is made, not with this module: a
re-ingest of an unchanged corpus only reads and hashes (:func:`raw_hash`) and never loads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.config import Settings
from sitrep.ingest.encoding import normalise_newlines
from sitrep.ingest.readers import RawInput
from sitrep.models import Document, content_hash

if TYPE_CHECKING:
    from sitrep.ingest.metadata import Metadata

MIN_CLEAN_CHARS = 20  # a cleaned article shorter than this is not worth analysing
GIVEN_FIELDS = ("title", "published", "author", "publisher", "url")  # metadata an input may carry itself


def given_fields(raw: RawInput) -> dict[str, str]:
    """The metadata fields given with an input itself (JSONL fields), as given (stripped), not normalised."""
    return {k: v.strip() for k in GIVEN_FIELDS if isinstance(v := raw.meta.get(k), str) and v.strip()}


def _meta_from_fields(fields: dict[str, object]) -> Metadata:
    """Metadata given with the input (JSONL fields); unusable values are ignored."""
    from sitrep.ingest.metadata import Metadata, clean_title, to_iso

    def text_field(name: str) -> str | None:
        value = fields.get(name)
        return value.strip() or None if isinstance(value, str) else None

    return Metadata(
        title=clean_title(text_field("title")),
        published=to_iso(text_field("published")),
        author=text_field("author"),
        publisher=text_field("publisher"),
        url=text_field("url"),
    )


def given_metadata(raw: RawInput) -> dict[str, str]:
    """The metadata given with an input itself (JSONL fields), normalised as a document stores it."""
    if not given_fields(raw):
        return {}
    given = _meta_from_fields(raw.meta)
    values = {"title": given.title, "published": given.published, "publisher": given.publisher,
              "author": given.author, "url": given.url}
    return {k: v for k, v in values.items() if v}


def raw_text(raw: RawInput) -> str:
    """The raw text a document stores and is identified by (line endings normalised, NULs dropped)."""
    if "\r" in raw.text or "\x00" in raw.text:
        return normalise_newlines(raw.text)
    return raw.text


def raw_hash(raw: RawInput) -> str:
    """The content hash :func:`make_document` will give this input, without cleaning it: lets an
    unchanged corpus be re-ingested at the cost of reading and hashing only."""
    return content_hash(raw_text(raw))


def make_document(raw: RawInput, settings: Settings | None = None) -> Document:
    """Clean ``raw`` and read its metadata; raise ``ValueError`` (with the reason) when unusable."""
    from sitrep.ingest.clean import clean_text
    from sitrep.ingest.html import extract_html
    from sitrep.ingest.metadata import Metadata, text_metadata

    settings = settings or Settings()
    source_text = raw_text(raw)
    size = len(source_text.encode("utf-8", "surrogatepass"))
    if size > settings.max_document_bytes:
        raise ValueError(
            f"document is {size} bytes, over the {settings.max_document_bytes}-byte limit (SITREP_MAX_DOCUMENT_BYTES)"
        )
    if not source_text.strip():
        raise ValueError("empty document")
    given = _meta_from_fields(raw.meta)
    is_html = raw.format == "html" or raw.meta.get("content_format") == "html"
    paged = raw.format in ("pdf", "docx")
    if paged:  # the reader removed the furniture: the text is the document's own
        text, offsets, found = source_text, [(0, 0, len(source_text))], Metadata()
        removed = [str(x) for x in raw.meta.get("furniture", [])]
        warnings = []
    elif is_html:
        article = extract_html(source_text, max_elements=settings.max_html_elements)
        text, offsets, removed, found = article.text, article.offsets, article.removed, article.metadata
        warnings = article.warnings
    else:
        result = clean_text(source_text)
        text, offsets, removed, found = result.text, result.offsets, result.removed, text_metadata(result)
        warnings = []
    if len(text.strip()) < MIN_CLEAN_CHARS:
        kind = "HTML page" if is_html else f"{raw.format.upper()} file" if paged else "text"
        raise ValueError(f"no article text left after removing page furniture from the {kind}")
    given.fill(found)
    digest = content_hash(source_text)
    extra = {k: v for k, v in raw.meta.items()
             if k not in ("title", "published", "author", "publisher", "url", "furniture")}
    if warnings:
        extra["ingest_warnings"] = warnings  # the pipeline reports them with the document's other warnings
    return Document(
        id=digest[:16],
        source=raw.source,
        raw=source_text,
        text=text,
        content_hash=digest,
        format=raw.format,
        title=given.title,
        published=given.published,
        publisher=given.publisher,
        author=given.author,
        url=given.url,
        offsets=offsets,
        removed=removed,
        meta=extra,
    )
