"""Article metadata: title, the article's own publication date, author and publisher.

For plain text the headline is the first substantive line (see
:func:`sitrep.ingest.clean.clean_text`).  The publication date is taken only
where the text presents it as the article's date: a byline or a line opened by
a date label ("Published ...", "Issued:", "As of", ``furniture.yaml``'s
``date_labels``) near the headline, a bare date line right under the headline or
right above it, a dateline line ("Port Lumen, 14 March 2025"), or a dateline
opening one of the first paragraphs.  Other dates above the headline (weather or
"today" widgets) and dates of teasers are ignored.

For HTML, ``<meta>`` tags (``article:published_time``, ``og:title``,
``og:site_name`` ...) and JSON-LD (``datePublished``, ``publisher``) come first.
"""

from __future__ import annotations

import html as htmllib
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sitrep.data.language import language
from sitrep.extract.dates import parse_date
from sitrep.ingest.clean import (
    HEADLINE_SEARCH_LINES,
    PUBLISHED_KEY,
    CleanResult,
    Line,
    is_article_date_above,
    is_byline,
    is_credit_line,
    is_date_line,
    is_letterhead,
    is_paragraph,
    is_place_dateline,
    patterns,
)

_MONTHS = language().month_alternation
DATE_PHRASE = re.compile(
    rf"\b\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}\b"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}}\b"
    rf"|\b\d{{4}}/\d{{1,2}}/\d{{1,2}}\b"
    rf"|\b(?:{_MONTHS})\.?,?\s+\d{{4}}\b",
    re.I,
)
_NUMERIC_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_NUMERIC_YMD = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})")
_DATELINE = re.compile(
    rf"^(?:[A-Z][\w.'’ -]{{1,40}},\s*){{0,3}}(?P<date>{DATE_PHRASE.pattern})\s*(?:\([^)]{{1,40}}\)\s*)?[-–—:]",
    re.I,
)
_LEAD_DATE = re.compile(rf"^\s*(?P<date>{DATE_PHRASE.pattern})\s*[-–—|·•]\s*[A-Z]", re.I)
_UPDATED_ONLY = re.compile(r"\b(?:updated|modified|edited)\b", re.I)
_PUBLISHED_WORD = re.compile(r"\b(?:published|posted|written|by)\b", re.I)
_BYLINE_PARTS = re.compile(r"\s[|·•]\s|\s+[-–—]\s+|;")
_BYLINE_NAME = re.compile(
    r"^(?:written|posted|story|reported|words)?\s*by\s+(?P<name>.+?)"
    r"(?=\s*[|,·•]|\s+(?:on|at|in|published|updated|posted)\b|\s*$)",
    re.I,
)
_SITE_PATTERNS = (
    re.compile(r"^follow\s+(?P<name>[^.!?]{2,40}?)\s+on\b", re.I),
    re.compile(r"^(?:copyright\s*)?(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?P<name>[^.|]{2,60}?)\s*(?:[.|]|all rights reserved|$)", re.I),
    re.compile(r"^read the rest (?:of (?:the|this) (?:story|article) )?at\s+(?P<name>.{2,60}?)\.?$", re.I),
)
SECTION_PREFIXES = (
    "breaking news", "top stories", "news", "breaking", "opinion", "analysis", "exclusive", "home", "latest",
    "live", "video", "editorial", "commentary", "features", "feature", "explainer", "politics", "headlines",
)
_SECTION_PREFIX = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in SECTION_PREFIXES) + r")\s*(?:[:|»›>–—-]\s*|\s+(?=(?-i:[A-Z0-9“\"'])))",
    re.I,
)
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " » ")
TEXT_HEAD_LINES = 6  # how many lines after the headline may carry the byline/date
MAX_META_LINE = 300  # a byline, dateline or "date | outlet" line is read only in its first characters
_WHITE_RUN = re.compile(r"\s+")
_AGENCY_DATELINE = re.compile(  # "GOMA, Congo (Reuters) -": the agency that filed the story
    r"^[A-Z][\w.'’ ,-]{1,60}?\s*\((?P<agency>[A-Z][\w&.'’ -]{0,40}?)\)\s*[-–—:]"
)


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    published: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None

    def fill(self, other: Metadata) -> None:
        """Take ``other``'s values where this one has none."""
        for name in ("title", "published", "author", "publisher", "url"):
            if getattr(self, name) is None and getattr(other, name) is not None:
                setattr(self, name, getattr(other, name))


# --- dates --------------------------------------------------------------------


def to_iso(value: str | None) -> str | None:
    """Normalise one date value (ISO, "18 June 2023", "18/06/2023") to ISO or None."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    m = _NUMERIC_YMD.fullmatch(value)
    if m:
        return _safe_iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC_DMY.fullmatch(value)
    if m and "." in value:  # "12.03.2025": dotted dates are written day first
        return _safe_iso(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m:
        return _numeric_dmy(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return value if 1 <= int(value[5:]) <= 12 else None
    return parse_date(value)


def _safe_iso(year: int, month: int, day: int) -> str | None:
    from datetime import date

    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _numeric_dmy(a: int, b: int, year: int) -> str | None:
    """``a/b/year``: day-first unless only month-first is possible; ambiguous gives None."""
    if a > 12:
        return _safe_iso(year, b, a)
    if b > 12:
        return _safe_iso(year, a, b)
    if a == b:
        return _safe_iso(year, a, b)
    return None


def find_date(text: str) -> str | None:
    """The first date phrase in ``text`` as ISO, or None."""
    for m in DATE_PHRASE.finditer(text):
        iso = to_iso(m.group(0))
        if iso:
            return iso
    return None


def meta_line(text: str) -> str:
    """``text`` with white-space runs collapsed, cut to :data:`MAX_META_LINE`: the patterns that read
    bylines then take time linear in the line, however it is padded."""
    return _WHITE_RUN.sub(" ", text).strip()[:MAX_META_LINE]


def _byline_dates(text: str) -> tuple[str | None, str | None]:
    """``(published, updated)`` dates of a byline, read part by part ("Updated X | Published Y")."""
    published = updated = None
    key_updated = False
    for part in _BYLINE_PARTS.split(meta_line(text)):
        if _UPDATED_ONLY.search(part):
            key_updated = True
        elif _PUBLISHED_WORD.search(part):
            key_updated = False
        iso = find_date(part)
        if not iso:
            continue
        if key_updated:
            updated = updated or iso
        else:
            published = published or iso
    return published, updated


# Lines removed for these reasons carry another page's date (a widget's "today", a teaser's, a menu's).
NOT_THE_ARTICLES_DATE = frozenset({
    "date widget", "weather widget", "teaser", "teaser headline", "teaser block", "section marker",
    "after section marker", "table of contents", "read the rest", "menu", "repeated furniture",
})


def published_from_text(result: CleanResult, *, fallbacks: bool = True) -> str | None:
    """The article's own date from a cleaned plain-text article, or None.

    In order: a labelled line ("Published ...", a byline with a date) by the headline; a date on a line
    of its own under the headline, or right above it; a dateline line ("Port Lumen, 14 March 2025")
    by the headline; a short byline led by the date; a dateline opening one of the first paragraphs; an
    "Updated" date; the note of where the article was first published; a sign-off or issue date (these
    last only with ``fallbacks``)."""
    lines = result.lines
    head = result.headline
    start = head + 1 if head is not None else 0
    window = [ln for ln in lines[start : start + TEXT_HEAD_LINES]
              if ln.removed not in NOT_THE_ARTICLES_DATE
              and not (is_paragraph(ln) and not is_byline(ln.text))]  # a sentence is no byline
    above = [ln for ln in lines[: head or 0] if not ln.removed]
    before = [ln for ln in above if PUBLISHED_KEY.search(ln.text) or is_byline(ln.text)]
    updated: str | None = None
    for line in before + window:
        text = line.text
        if is_byline(text) or PUBLISHED_KEY.search(text) or "|" in text:
            published, changed = _byline_dates(text)
            if published:
                return published
            updated = updated or changed
    if head is not None:
        for line in [ln for ln in lines[start : start + TEXT_HEAD_LINES] if not ln.removed][:3]:
            if is_date_line(line.text):
                iso = find_date(line.text)
                if iso:
                    return iso
        for line in reversed(above[-2:]):
            if is_article_date_above(lines, line.index, head):
                iso = find_date(line.text)
                if iso:
                    return iso
        for line in above + window:
            if is_place_dateline(line.text):
                iso = find_date(line.text)
                if iso:
                    return iso
        for line in window:
            # "April 17, 2025 — Jane Roe, Mogadishu": a short byline led by the date
            m = _LEAD_DATE.match(meta_line(line.text))
            if m and not line.removed and len(line.text.split()) <= 12:
                iso = to_iso(m.group("date"))
                if iso:
                    return iso
    for line in [ln for ln in lines[start:] if not ln.removed and ln.words >= 8][:3]:
        m = _DATELINE.match(line.text[:MAX_META_LINE])
        if m:
            iso = to_iso(m.group("date"))
            if iso:
                return iso
    if not fallbacks:
        return None
    return updated or _origin_date(lines[start:]) or _sign_off_date(lines) or _issue_date(lines[:HEADLINE_SEARCH_LINES])


_ORIGIN = re.compile(r"\b(?:originally|first)\s+(?:published|appeared)\b", re.I)


def _origin_date(lines: list[Line]) -> str | None:
    """The date of a note saying where the article first appeared ("This article was originally published
    in X on 2 March 2025"), when the page gives no date of its own."""
    for line in lines:
        if not line.removed and _ORIGIN.search(line.text):
            iso = find_date(meta_line(line.text))
            if iso:
                return iso
    return None


def _issue_date(lines: list[Line]) -> str | None:
    """The date of a newsletter's issue line ("Issue 12 - Friday, 3 May 2025"), removed from the text."""
    for line in lines:
        if line.removed == "issue line":
            iso = find_date(line.text)
            if iso:
                return iso
    return None


def _sign_off_date(lines: list[Line]) -> str | None:
    """The date under the credit that signs a statement off at its end ("X Media Center" / "June 4, 2024")."""
    kept = [ln for ln in lines if not ln.removed]
    if len(kept) >= 3 and is_date_line(kept[-1].text) and is_credit_line(kept[-2]):
        return find_date(kept[-1].text)
    return None


# --- people and outlets -----------------------------------------------------------


def byline_author(text: str) -> str | None:
    """The name in a byline ("Written By Jane Roe | ...", "Posted 3 May | By Jane Roe"), or None."""
    for part in _BYLINE_PARTS.split(meta_line(text)):
        m = _BYLINE_NAME.match(part.strip())
        if not m:
            continue
        name = m.group("name").strip(" .:-–—")
        if name and len(name.split()) <= 6 and not re.search(r"\d", name) and not DATE_PHRASE.search(name):
            return name
    return None


def site_name(lines: list[str]) -> str | None:
    """An outlet name from footer lines ("Follow X on", "© 2024 X", "Read the rest at X")."""
    for pattern in _SITE_PATTERNS:
        for text in lines:
            m = pattern.match(text.strip())
            if m:
                name = m.group("name").strip(" .,:-–—")
                if name and name.lower() not in ("us", "the", "all rights reserved") and len(name.split()) <= 6:
                    return name
    return None


def clean_title(title: str | None, site: str | None = None) -> str | None:
    """Drop a section label in front ("News ...") and a site name behind ("... | Site")."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", htmllib.unescape(title)).strip()
    m = _SECTION_PREFIX.match(title)
    if m and len(title[m.end() :].split()) >= 3:
        title = title[m.end() :]
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            head, _, tail = title.rpartition(sep)
            site_like = site and tail.strip().lower() == site.strip().lower()
            if site_like or (len(tail.split()) <= 4 and len(head.split()) >= 4 and not site):
                title = head.strip()
            break
    return title or None


def text_metadata(result: CleanResult) -> Metadata:
    """Metadata of a plain-text article from its cleaning result."""
    meta = Metadata()
    headline = result.headline_line
    meta.title = clean_title(headline.text) if headline else None
    meta.published = published_from_text(result)
    start = result.headline if result.headline is not None else 0
    for line in result.lines[max(start - 3, 0) : start + TEXT_HEAD_LINES]:
        author = byline_author(line.text)
        if author:
            meta.author = author
            break
    # the publisher is the outlet (a dateline's agency, a footer's site name), never the byline's author
    meta.publisher = (dateline_agency(result.lines[start:])
                      or site_name([ln.text for ln in result.lines if ln.removed])
                      or _dated_line_name(result.lines[start : start + TEXT_HEAD_LINES]))
    if meta.publisher and meta.author and meta.publisher.casefold() == meta.author.casefold():
        meta.publisher = None
    return meta


def dateline_agency(lines: list[Line]) -> str | None:
    """The agency named in the dateline of one of the first paragraphs ("GOMA (Reuters) - ..."), or None."""
    for line in [ln for ln in lines if not ln.removed and ln.words >= 8][:3]:
        m = _AGENCY_DATELINE.match(meta_line(line.text))
        if not m or DATE_PHRASE.fullmatch(m.group("agency")):
            continue
        agency = m.group("agency").strip()
        place = m.group(0).split()[0].strip(",")
        credit = patterns().credit
        if (len(place) >= 3 and place.isupper()) or (credit is not None and credit.fullmatch(agency)):
            return agency
    return None


def _dated_line_name(lines: list[Line]) -> str | None:
    """The name beside the date in a "date | Outlet" line under the headline."""
    for line in lines:
        parts = [p.strip() for p in _BYLINE_PARTS.split(meta_line(line.text))]
        if len(parts) < 2 or not any(find_date(p) for p in parts):
            continue
        for part in parts:
            if _BYLINE_NAME.match(part):
                continue  # "By Jane Roe | 3 May 2024": the byline is the author, never the outlet
            if (not find_date(part) and 1 <= len(part.split()) <= 4 and part[:1].isupper()
                    and not re.search(r"\d", part)):
                return part
    return None


# --- HTML -----------------------------------------------------------------------

# One scan over the page's tags: ``[^<>]*`` stops at the next "<", so the attempts never overlap and the
# scan is linear in the page, however many unclosed or repeated tags it has.
_HEAD_TAG = re.compile(r"<(meta|link|time|script|title|h1)\b([^<>]*)>", re.I)
_ATTR = re.compile(r"""(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""")
MAX_TAG_ATTRS = 20_000  # attribute text of one tag read at most (a longer tag is not metadata)
MAX_LD_JSON = 1_000_000  # characters of one JSON-LD block parsed at most

_DATE_KEYS = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "publishdate", "publish-date", "publish_date", "pubdate", "date", "dc.date.issued", "dc.date",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime",
)
_TITLE_KEYS = ("og:title", "twitter:title", "headline", "dc.title")
_SITE_KEYS = ("og:site_name", "application-name", "publisher", "twitter:site")
_AUTHOR_KEYS = ("author", "article:author", "parsely-author", "dc.creator", "byl")


@dataclass(slots=True)
class PageTags:
    """What the metadata reader takes from a page's tags, found in one linear scan."""

    meta: dict[str, str]
    title: str | None = None
    h1: str | None = None  # the first <h1>, markup removed
    canonical: str | None = None
    time: str | None = None  # the first <time datetime=...>
    time_at: int = -1  # where that <time> tag is in the page
    ld_json: list[str] | None = None


_INNER_TAG = re.compile(r"<[^<>]*>")


def _plain(markup: str) -> str | None:
    """Text of a bit of markup: tags removed, entities decoded, white space collapsed."""
    return _WHITE_RUN.sub(" ", htmllib.unescape(_INNER_TAG.sub(" ", markup))).strip() or None


def _attrs(text: str) -> dict[str, str]:
    return {a.lower(): (v1 or v2 or v3) for a, v1, v2, v3 in _ATTR.findall(text[:MAX_TAG_ATTRS])}


def scan_tags(html: str) -> PageTags:
    """``<meta>``, ``<title>``, canonical ``<link>``, ``<time>`` and JSON-LD of a page, in time linear in it.

    The text of a ``<script>`` or ``<title>`` runs to its closing tag and is skipped as a whole, so that
    markup-looking text inside it is never read as tags.
    """
    tags = PageTags(meta={}, ld_json=[])
    lower = html.lower()
    pos = 0
    while True:
        m = _HEAD_TAG.search(html, pos)
        if m is None:
            break
        name = m.group(1).lower()
        pos = m.end()
        if name in ("script", "title", "h1"):
            close = lower.find(f"</{name}", pos)
            if close < 0 and name == "h1":
                continue
            end = close if close >= 0 else len(html)
            if name == "title" and tags.title is None:
                tags.title = html[pos:end][:MAX_TAG_ATTRS]
            elif name == "h1" and tags.h1 is None:
                tags.h1 = _plain(html[pos:end][:MAX_TAG_ATTRS])
            elif name == "script" and "ld+json" in m.group(2).lower() and end - pos <= MAX_LD_JSON:
                tags.ld_json.append(html[pos:end])  # type: ignore[union-attr]
            pos = end
            continue
        attrs = _attrs(m.group(2))
        if name == "meta":
            key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            content = attrs.get("content")
            if key and content and key not in tags.meta:
                tags.meta[key] = htmllib.unescape(content).strip()
        elif name == "link":
            if tags.canonical is None and "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
                tags.canonical = htmllib.unescape(attrs["href"].strip())
        elif name == "time" and tags.time is None and attrs.get("datetime"):
            tags.time, tags.time_at = attrs["datetime"], m.start()
    return tags


def _walk_ld(node: Any, found: dict[str, str]) -> None:
    if isinstance(node, list):
        for item in node[:50]:
            _walk_ld(item, found)
    elif isinstance(node, dict):
        for key in ("datePublished", "headline", "url"):
            value = node.get(key)
            if isinstance(value, str) and key not in found:
                found[key] = value
        for key in ("publisher", "author"):
            value = node.get(key)
            if isinstance(value, list) and value:
                value = value[0]
            name = value.get("name") if isinstance(value, dict) else value
            if isinstance(name, str) and key not in found:
                found[key] = name
        if "@graph" in node:
            _walk_ld(node["@graph"], found)


def _json_ld(blocks: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in blocks:
        try:
            _walk_ld(json.loads(block.strip()), found)
        except (ValueError, RecursionError):
            continue
    return found


def html_metadata(html: str) -> Metadata:
    """Metadata from ``<meta>``, ``<title>``, canonical link, JSON-LD and ``<time>`` tags."""
    page = scan_tags(html)
    tags = page.meta
    ld = _json_ld(page.ld_json or [])
    meta = Metadata()
    meta.publisher = next((tags[k] for k in _SITE_KEYS if tags.get(k)), None) or ld.get("publisher")
    if meta.publisher and meta.publisher.startswith("@"):
        meta.publisher = meta.publisher[1:]
    raw_title = next((tags[k] for k in _TITLE_KEYS if tags.get(k)), None) or ld.get("headline")
    if not raw_title and page.h1 and len(page.h1.split()) >= 3:
        site = (meta.publisher or "").casefold()
        raw_title = page.h1 if page.h1.casefold() != site else None
        rest = other_title_part(_plain(page.title) if page.title else None, page.h1)
        if raw_title and rest and is_letterhead(page.h1) and not is_letterhead(rest):
            # the <h1> is the site's logo, named again beside the headline in <title>
            raw_title, meta.publisher = rest, meta.publisher or page.h1
    meta.title = clean_title(raw_title, meta.publisher)
    for key in _DATE_KEYS:
        meta.published = to_iso(tags.get(key))
        if meta.published:
            break
    if not meta.published:
        meta.published = to_iso(ld.get("datePublished"))
    if not meta.published and not _in_page_furniture(html, page.time_at):
        meta.published = to_iso(page.time)
    meta.author = next((tags[k] for k in _AUTHOR_KEYS if tags.get(k) and "://" not in tags[k]), None)
    meta.author = meta.author or ld.get("author")
    meta.url = tags.get("og:url") or page.canonical or ld.get("url")
    if not meta.publisher and meta.url:
        meta.publisher = urlparse(meta.url).hostname or None
    return meta


_FURNITURE_ELEMENTS = frozenset({"aside", "nav", "footer"})


def _in_page_furniture(html: str, pos: int) -> bool:
    """Whether ``pos`` lies inside an ``<aside>``, ``<nav>`` or ``<footer>`` (a related article's date)."""
    if pos < 0:
        return False
    from sitrep.ingest.offsets import hidden_spans

    return any(start <= pos < end for start, end in hidden_spans(html, _FURNITURE_ELEMENTS))


def title_parts(title: str | None) -> list[str]:
    """The pieces of a page title around its first kind of separator ("Headline | Site" -> 2 pieces)."""
    if not title:
        return []
    for sep in _TITLE_SEPARATORS:
        if sep in title:
            return [p.strip() for p in title.split(sep) if p.strip()]
    return [title.strip()]


def other_title_part(title: str | None, piece: str | None) -> str | None:
    """When ``piece`` is the first or the last piece of a two-piece page ``title`` ("Site | Headline"),
    the other piece if it reads as a headline (three words or more), else None."""
    parts = title_parts(title)
    if len(parts) != 2 or not piece:
        return None
    folded = [p.casefold() for p in parts]
    if piece.strip().casefold() not in folded:
        return None
    other = parts[1 - folded.index(piece.strip().casefold())]
    return other if len(other.split()) >= 3 and other.casefold() != piece.strip().casefold() else None


def title_tag(html: str) -> str | None:
    """The page's ``<title>`` text (unescaped, tags removed), or None."""
    title = scan_tags(html).title
    return _plain(title) if title is not None else None
