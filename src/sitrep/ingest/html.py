"""HTML articles: main text and metadata via trafilatura, with a tag-stripping fallback.

The main text is cleaned like plain text (each extracted block is one
paragraph) and its lines are located in the raw HTML so that offsets point
into the raw markup wherever the text appears there verbatim.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from dataclasses import dataclass

from sitrep.ingest.clean import CleanResult, clean_text
from sitrep.ingest.metadata import Metadata, clean_title, html_metadata, text_metadata, title_tag, to_iso
from sitrep.ingest.offsets import Segment, align_text, compose, mask_markup

log = logging.getLogger(__name__)

_HIDDEN = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|noscript|template|svg|iframe|head|nav|header|footer|aside|form)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.I | re.S,
)
_BLOCK = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|td|th|table|article|section|main|blockquote|pre|dd|dt|dl|figure|figcaption|hr)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>?")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")


@dataclass(slots=True)
class HtmlArticle:
    text: str
    offsets: list[Segment]  # cleaned text -> raw HTML
    removed: list[str]
    metadata: Metadata
    extractor: str  # "trafilatura" or "fallback"


def strip_tags(html: str) -> str:
    """Plain text of ``html`` by regular expressions: never fails, whatever the markup."""
    text = _HIDDEN.sub(" ", html)
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    text = htmllib.unescape(text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _trafilatura(html: str) -> tuple[str, Metadata]:
    """Main text and metadata from trafilatura ("" when it finds nothing or fails)."""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # malformed markup (RecursionError included) must never stop ingest
        log.debug("trafilatura failed: %s", err)
        return "", Metadata()
    if doc is None:
        return "", Metadata()
    meta = Metadata(
        title=getattr(doc, "title", None) or None,
        published=to_iso(getattr(doc, "date", None)),
        author=getattr(doc, "author", None) or None,
        publisher=getattr(doc, "sitename", None) or None,
        url=getattr(doc, "url", None) or None,
    )
    return getattr(doc, "text", None) or "", meta


def _with_title(text: str, title: str | None) -> str:
    """Put the headline first when the extractor left it out."""
    if not title:
        return text
    head = "\n".join(text.split("\n", 3)[:3]).casefold()
    if title.casefold() in head:
        return text
    return f"{title}\n{text}"


def extract_html(html: str) -> HtmlArticle:
    """Clean main text, offsets into ``html`` and metadata of one HTML page."""
    text, traf_meta = _trafilatura(html)
    extractor = "trafilatura"
    if not text.strip():
        text, extractor = strip_tags(html), "fallback"
    meta = html_metadata(html)
    meta.fill(traf_meta)
    meta.title = meta.title or title_tag(html)
    text = _with_title(text, meta.title)
    result: CleanResult = clean_text(text, lines_are_paragraphs=True)
    meta.fill(text_metadata(result))
    meta.title = clean_title(meta.title, meta.publisher)
    try:
        to_raw = align_text(text, html, masked=mask_markup(html))
        offsets = compose(result.offsets, to_raw)
    except RecursionError:
        offsets = []
    return HtmlArticle(result.text, offsets, result.removed, meta, extractor)
