"""HTML articles: main text and metadata via trafilatura, with a tag-stripping fallback.

The main text is cleaned like plain text (each extracted block is one
paragraph) and its lines are located in the raw HTML so that offsets point
into the raw markup wherever the text appears there verbatim.
"""

from __future__ import annotations

import html as htmllib
import logging
import re
from dataclasses import dataclass, field

from sitrep.ingest.clean import CleanResult, clean_text, is_byline, is_letterhead
from sitrep.ingest.metadata import (
    Metadata,
    clean_title,
    find_date,
    html_metadata,
    other_title_part,
    published_from_text,
    text_metadata,
    title_tag,
    to_iso,
)
from sitrep.ingest.offsets import RAW_TEXT_ELEMENTS, Segment, align_text, compose, hidden_spans, mask_markup

log = logging.getLogger(__name__)

_HIDDEN = RAW_TEXT_ELEMENTS | {"svg", "iframe", "head", "nav", "header", "footer", "aside"}  # not article text
_BLOCK = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|tr|td|th|table|article|section|main|blockquote|pre|dd|dt|dl|figure|figcaption|hr)\b[^<>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>?")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_INLINE = re.compile(
    r"<(/?)(?:a|abbr|b|bdi|bdo|big|cite|code|del|dfn|em|font|i|ins|kbd|label|mark|q|s|samp|small|span|strong|"
    r"sub|sup|time|tt|u|var)\b[^<>]*>",
    re.I,
)
_BYLINE_ELEMENT = re.compile(  # <p class="byline">By Jane Roe</p>: a byline the main-text extractor left out
    r"<(?:p|div|span|address)\b[^<>]*\bclass\s*=\s*[\"'][^\"'<>]*\b(?:byline|by-line|author|writer)\b[^\"'<>]*[\"'][^<>]*>"
    r"([^<]{2,200})<",
    re.I,
)
DEFAULT_MAX_HTML_ELEMENTS = 30_000  # Settings.max_html_elements
MAX_INLINE_DEPTH = 100  # deeper nests of inline tags are flattened: the HTML parser drops text past ~255 levels


@dataclass(slots=True)
class HtmlArticle:
    text: str
    offsets: list[Segment]  # cleaned text -> raw HTML
    removed: list[str]
    metadata: Metadata
    extractor: str  # "trafilatura" or "fallback"
    warnings: list[str] = field(default_factory=list)


def strip_tags(html: str) -> str:
    """Plain text of ``html`` by regular expressions: never fails, whatever the markup."""
    parts: list[str] = []
    pos = 0
    for start, end in hidden_spans(html, _HIDDEN):
        parts.append(html[pos:start])
        parts.append(" ")
        pos = end
    parts.append(html[pos:])
    text = "".join(parts)
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


def markup_items(html: str) -> int:
    """Tags and entity references in ``html`` (an upper bound, counted without parsing)."""
    return html.count("<") + html.count("&")


_LAYOUT_CELL = re.compile(r"<t[dh]\b[^>]*>\s*<(?:p|h[1-6]|div|table)\b", re.I)
_TABLE_TAG = re.compile(r"<(/?)(?:table|tbody|thead|tfoot|tr|td|th)\b[^>]*>", re.I)


def is_layout_table_page(html: str) -> bool:
    """Whether the page is laid out with tables (cells that hold paragraphs or headings, as e-mail
    newsletters are): their cells are blocks of text, not rows of data."""
    return bool(_LAYOUT_CELL.search(html))


def unwrap_tables(html: str) -> str:
    """``html`` with its table tags turned into ``div`` blocks (text and order unchanged)."""
    return _TABLE_TAG.sub(lambda m: f"<{m.group(1)}div>", html)


def inline_depth(html: str) -> int:
    """Deepest nesting of inline tags (``<b><i><span>...``), in one linear scan."""
    depth = deepest = 0
    for m in _INLINE.finditer(html):
        if m.group(1):
            depth = max(depth - 1, 0)
        elif not m.group(0).endswith("/>"):
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def flatten_inline(html: str) -> str:
    """``html`` without its inline tags: their text stays, in place, at the depth of its block."""
    return _INLINE.sub("", html)


def _with_title(text: str, title: str | None) -> str:
    """Put the headline first when the extractor left it out."""
    if not title:
        return text
    head = "\n".join(text.split("\n", 3)[:3]).casefold()
    if title.casefold() in head:
        return text
    return f"{title}\n{text}"


def _with_byline(text: str, html: str, title: str | None) -> str:
    """Put the page's byline ("By Jane Roe") under the headline when the extractor left it out."""
    m = _BYLINE_ELEMENT.search(html)
    if m is None:
        return text
    byline = _SPACES.sub(" ", htmllib.unescape(m.group(1))).strip()
    if not is_byline(byline) or byline.casefold() in text[:5000].casefold():
        return text
    first, _, rest = text.partition("\n")
    if title and first.strip().casefold() == title.casefold():
        return f"{first}\n{byline}\n{rest}"
    return f"{byline}\n{text}"


def _widget_date(result: CleanResult, iso: str) -> bool:
    """Whether ``iso`` is the date of a line the cleaner removed as a date widget (a page's "today")."""
    return any(ln.removed == "date widget" and find_date(ln.text) == iso for ln in result.lines)


def _headline_of_tag(title: str | None, tag: str | None, text: str, site: str | None) -> str | None:
    """``title`` is one piece of the page's ``<title>`` ("Site | Headline") and the other piece heads the
    main text, or ``title`` is the site's name: that other piece is the headline."""
    other = other_title_part(tag, title)
    if other is None or title is None:
        return title
    if _names_the_site(title, site) or (is_letterhead(title) and not is_letterhead(other)):
        return other
    head = {ln.strip().casefold() for ln in text.split("\n", 8)[:8]}
    return other if other.casefold() in head and title.casefold() not in head else title


def _names_the_site(title: str | None, site: str | None) -> bool:
    """Whether ``title`` is only the site's name (a letterhead), not an article's headline."""
    return bool(title and site and title.strip().casefold() == site.strip().casefold())


def extract_html(html: str, max_elements: int = DEFAULT_MAX_HTML_ELEMENTS) -> HtmlArticle:
    """Clean main text, offsets into ``html`` and metadata of one HTML page.

    A page with more than ``max_elements`` tags and entity references is not given to trafilatura
    (whose work grows faster than the page): the bounded fallback extractor reads it, with a warning
    naming the setting.  Inline tags nested deeper than :data:`MAX_INLINE_DEPTH` are flattened first,
    so that their text is kept.
    """
    warnings: list[str] = []
    items = markup_items(html)
    traf_meta = Metadata()
    text = ""
    if items > max_elements:
        warnings.append(f"HTML page with {items:,} tags and entity references, over the {max_elements:,} of "
                        "max_html_elements (SITREP_MAX_HTML_ELEMENTS): main text read by the fallback extractor")
        log.info(warnings[-1])
    else:
        source = html
        if inline_depth(html) > MAX_INLINE_DEPTH:
            source = flatten_inline(html)
        if is_layout_table_page(source):
            source = unwrap_tables(source)
        text, traf_meta = _trafilatura(source)
    extractor = "trafilatura"
    if not text.strip():
        text, extractor = strip_tags(html), "fallback"
    meta = html_metadata(html)
    tagged_date = meta.published
    meta.fill(traf_meta)
    tag = title_tag(html)
    meta.title = _headline_of_tag(meta.title or tag, tag, text, meta.publisher)
    text = _with_title(text, meta.title)
    if extractor == "trafilatura":
        text = _with_byline(text, html, meta.title)
    result: CleanResult = clean_text(text, lines_are_paragraphs=True)
    found = text_metadata(result)
    if tagged_date is None and meta.published and meta.published != found.published and (
            _widget_date(result, meta.published) or _widget_date(clean_text(strip_tags(html)), meta.published)):
        meta.published = found.published  # the date was the page's "today" widget, not the article's
    elif tagged_date is None and meta.published and found.published and meta.published != found.published:
        own = published_from_text(result, fallbacks=False)
        if own is not None:
            meta.published = own  # the page's dated line by the headline, over the extractor's guess
    if found.title and _names_the_site(meta.title, meta.publisher or found.publisher):
        meta.title = found.title  # the page's title is its letterhead (the site's name): take the headline
    meta.fill(found)
    meta.title = clean_title(meta.title, meta.publisher)
    try:
        to_raw = align_text(text, html, masked=mask_markup(html))
        offsets = compose(result.offsets, to_raw)
    except RecursionError:
        offsets = []
    return HtmlArticle(result.text, offsets, result.removed, meta, extractor, warnings)
