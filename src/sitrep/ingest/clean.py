"""Remove page furniture from scraped article text, keeping a map back to the raw text.

The cleaner works on lines.  Each non-empty line gets features (word count,
share of capitals, final punctuation, position relative to the headline and to
the last real paragraph) and is tested against furniture patterns
(``sitrep/data/furniture.yaml``).  Rules, in order:

1. context-free furniture: comment prompts, share/follow buttons, counters,
   lone numbers or letters, "Read the rest at ...", ads, cookie and copyright
   notices, sign-offs, lines ending in image-widget junk, teaser prefixes;
2. before the headline (the first headline-like line, passing over lines shaped
   like a letterhead (an outlet's or organisation's name, section labels) when
   another headline-like line comes before the first paragraph, and over
   datelines): widgets such as temperature, city and "today" date lines (a
   weekday, or not right above the headline), and other short navigation lines;
3. teaser headlines between paragraphs: ALL-CAPS lines that read like a
   headline (long, or with headline punctuation) and do not head the next paragraph;
4. menus: runs of three or more short lines without sentence punctuation;
5. after a strong end marker ("Leave a Reply", "Related Articles", ...):
   every following line up to the next real paragraph;
6. after the last real paragraph: short lines without sentence punctuation,
   but for credits and a release's contact block (e-mail, phone, contact label
   and the name lines beside them).

Kept lines are copied verbatim; paragraphs are separated by a blank line so
that sentences never merge across removed furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from sitrep.data.language import language
from sitrep.ingest.furniture_patterns import FURNITURE_FILE as FURNITURE_FILE  # re-exported for callers
from sitrep.ingest.furniture_patterns import FurniturePatterns as FurniturePatterns
from sitrep.ingest.furniture_patterns import load_patterns as load_patterns
from sitrep.ingest.furniture_patterns import patterns
from sitrep.ingest.offsets import Segment

_STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
_TERMINAL = ".!?…\"”’'»)]"
_SENTENCE_END = ".!?…\"”"
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_BULLET = re.compile(r"^(?:[-*•·–—]\s?(?=[^\W_])|[*•·]\s|\d{1,2}[.)]\s)")
_NAME_LINE = re.compile(r"(?:[A-Z][\w'’.-]*\s){1,3}[A-Z][\w'’.-]*")
# Structural patterns (not outlet vocabulary, which lives in furniture.yaml).
WEATHER = re.compile(
    r"(?:[A-Za-z ]{0,24}\s)?-?\d{1,3}(?:[.,]\d)?\s*(?:°\s*[CF]?|[CF])\b(?:\s*/\s*-?\d{1,3}\s*°?\s*[CF]?)?"
    r"(?:\s[A-Za-z ]{0,24})?"
)
_MONTHS = language().month_alternation
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
# The digit run is atomic: "9999...9 x" must fail at once, not try every split into 1-4 digit pieces.
DATE_WORDS_ONLY = re.compile(
    rf"(?:(?:{_MONTHS}|{_WEEKDAYS})\.?|(?>\d{{1,4}})(?:st|nd|rd|th)?|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|am|pm|a\.m\.|p\.m\.|"
    r"gmt|utc|[a-z]{2,4}t|[\s,./|–—-])+",
    re.I,
)


@cache
def byline_pattern() -> re.Pattern[str]:
    """A byline ("By Jane Roe") or a line opened by a date label of ``furniture.yaml`` ("Published", "As of"),
    compiled on first use (the data file is not read at import)."""
    label = patterns().date_label
    return re.compile(r"(?:written |posted |published |reported |story |words )?by\s+\S|"
                      + (label.pattern if label is not None else r"(?!)") + r"\s*(?:on|at)?\s*:?", re.I)
PUBLISHED_KEY = re.compile(r"\b(?:published|posted|updated|written by)\b", re.I)
TEASER_PUNCT = re.compile(r"[:?!'\"“”‘’,]")
PIPE_MENU = re.compile(r"(?:[^|·•»›>/]{1,25}\s[|·•»›>/]\s){2,}[^|·•»›>/]{1,25}")
_WIDGET_PARTS = re.compile(r"\s*[|·•]\s*")
_PLACE = r"(?-i:[A-Z])[\w.'’-]*(?:[ -](?-i:[A-Z])[\w.'’-]*){0,3}"
# "Port Lumen, Tuesday 4 March 2025", "SOLLEN, Veridia - 2 May 2024": a place, then only a date
PLACE_DATE = re.compile(rf"(?:{_PLACE},\s*){{0,2}}{_PLACE}\s*(?:,|\s[-–—]\s)\s*(?P<date>.{{6,60}})")
_YEAR = re.compile(r"\b\d{4}\b")
_WEEKDAY = re.compile(rf"\b(?:{_WEEKDAYS})\b\.?", re.I)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d ().-]{5,18}\d(?![\w.])")
_NUMERIC_DATE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_TITLE_PUNCT = re.compile(r"[\d,:;?!\"“”«»()\[\]]")
_LABEL_PARTS = re.compile(r"\s[|·•»›/]\s")
_TAGLINE = re.compile(r"\s[-–—|]\s")
_ACRONYM = re.compile(r"\(?[A-Z]{2,6}\)?")
# "Policy Brief No. 14", "Release No. 25-031": a document's series and number, above its title
_SERIES = re.compile(r"(?:[A-Z][\w-]*\s){1,4}(?:No\.?|Number|#)\s*\d[\w/-]*")


HEADLINE_SEARCH_LINES = 15  # the headline must be among the first N non-empty lines
MAX_PATTERN_CHARS = 600  # longer lines are never furniture
LEDE_MIN_WORDS = 16  # a first line this long, ending in a period and in sentence case, is the lede
TEASER_MIN_WORDS, TEASER_MAX_WORDS = 4, 16  # a headline-like line of a teaser block
TEXT_HEAD_LINES_MAX = 6  # lines under the headline that may hold a masthead, a byline, a date
MAX_CONTACT_CHARS = 300  # a longer line is prose, never a contact line
CONTACT_BLOCK_REACH = 3  # short name and role lines this close to a contact line belong to its block
LETTERHEAD_MAX_WORDS = 10  # an organisation's name on a letterhead is at most this long
TAIL_SECTION_LINES = 4  # an "About ..." heading among the last N kept lines opens closing boilerplate
TEASER_BLOCK_LINES = 3  # so many headline-like lines in a row are a teaser block
REPEAT_MAX_WORDS = 4  # a line removed as furniture somewhere is removed everywhere on the page up to this size
OTHER_SCRIPT_SHARE = 0.3  # a short line this much in another script than the article's is furniture


@dataclass(slots=True)
class Line:
    """One non-empty line of the raw text (white space around it trimmed)."""

    index: int  # position among the non-empty lines
    text: str
    start: int  # raw offset of ``text``
    block: int  # lines of one block are not separated by a blank line
    words: int
    removed: str | None = None  # reason, when the cleaner drops it

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(slots=True)
class CleanResult:
    text: str
    offsets: list[Segment]
    removed: list[str]
    lines: list[Line] = field(default_factory=list)
    headline: int | None = None  # index into ``lines``

    @property
    def headline_line(self) -> Line | None:
        return self.lines[self.headline] if self.headline is not None else None

    def kept(self) -> list[Line]:
        return [line for line in self.lines if line.removed is None]


# --- line features ------------------------------------------------------------


def split_lines(raw: str) -> list[Line]:
    """Non-empty lines of ``raw`` with their raw offsets and block numbers."""
    lines: list[Line] = []
    block = 0
    pos = 0
    blank_seen = False
    for chunk in raw.split("\n"):
        stripped = chunk.strip(_STRIP)
        if stripped:
            if blank_seen and lines:
                block += 1
            lead = len(chunk) - len(chunk.lstrip(_STRIP))
            lines.append(Line(len(lines), stripped, pos + lead, block, len(stripped.split())))
            blank_seen = False
        else:
            blank_seen = True
        pos += len(chunk) + 1
    return lines


def caps_ratio(text: str) -> float:
    """Share of letters that are capitals (0 when there are no letters)."""
    letters = _LETTER.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch.isupper()) / len(letters)


def is_all_caps(text: str) -> bool:
    return len(_LETTER.findall(text)) >= 8 and caps_ratio(text) >= 0.8


def ends_sentence(text: str) -> bool:
    return text.endswith(tuple(_SENTENCE_END))


def is_paragraph(line: Line) -> bool:
    """A line of running prose rather than a heading, teaser or button."""
    if line.words >= 25:
        return True
    return line.words >= 8 and ends_sentence(line.text) and not is_all_caps(line.text)


def is_date_line(text: str) -> bool:
    """A line that is only a date (and maybe a weekday and time)."""
    if len(text) > 60 or not DATE_WORDS_ONLY.fullmatch(text):
        return False
    return bool(re.search(r"\d", text))


def is_byline(text: str) -> bool:
    return bool(byline_pattern().match(text))


def is_place_dateline(text: str, *, full_date: bool = True) -> bool:
    """A line that is a place and a date only ("Port Lumen, Tuesday 4 March 2025"): a dateline.  With
    ``full_date`` false, a date without a year or only a weekday will do ("Sollen, Friday")."""
    if len(text) > 100 or is_date_line(text):
        return False
    m = PLACE_DATE.fullmatch(text)
    if m is None:
        return False
    date = m.group("date")
    if full_date:
        return is_date_line(date) and bool(_YEAR.search(date))
    return bool(DATE_WORDS_ONLY.fullmatch(date)) and (has_weekday(date) or is_date_line(date))


def is_dated_label(text: str) -> bool:
    """A date with short labels beside it ("Commentary | 3 April 2024", "5 March 2025 | 12 min read")."""
    parts = [p for p in _WIDGET_PARTS.split(text) if p]
    if len(parts) < 2 or len(text) > 80:
        return False
    dated = _full_dates(parts)
    return bool(dated) and all(p in dated or (len(p.split()) <= 3 and not ends_sentence(p)) for p in parts)


def _full_dates(parts: list[str]) -> list[str]:
    """The parts of a line of labels that are a full date (with its year)."""
    return [p for p in parts if is_date_line(p) and _YEAR.search(p)]


def _holds_dated_part(text: str) -> bool:
    """Whether one of the parts of a line of labels is a full date (with its year)."""
    return bool(_full_dates([p for p in _WIDGET_PARTS.split(text) if p]))


def has_weekday(text: str) -> bool:
    return bool(_WEEKDAY.search(text))


def is_contact_line(text: str) -> bool:
    """A line of a release's contact block: an e-mail address, a phone number or a contact label."""
    if len(text) > MAX_CONTACT_CHARS:
        return False
    if "@" in text and EMAIL.search(text):
        return True
    for m in PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in m.group(0))
        if 7 <= digits <= 15 and not _NUMERIC_DATE.fullmatch(m.group(0).strip()):
            return True
    label = patterns().contact_label
    return label is not None and bool(label.match(text))


def furniture_reason(text: str) -> str | None:
    """Context-free reason why a line is page furniture, or None."""
    if len(text) > MAX_PATTERN_CHARS:
        return None
    pats = patterns()
    for name, pattern in pats.full:
        if pattern.fullmatch(text):
            return name
    for name, pattern in pats.search:
        if pattern.search(text):
            return name
    if any(p.fullmatch(text) for p in pats.end_markers):
        return "section marker"
    if PIPE_MENU.fullmatch(text) and not is_byline(text) and not _holds_dated_part(text):
        return "menu"  # a line of labels with a full date ("Name, City | 12 April 2025 | 4 min read") is a byline
    if pats.language_menu is not None and len(text) <= 200 and pats.language_menu.fullmatch(text):
        return "language menu"
    return None


def is_end_marker(text: str) -> bool:
    """A line that opens a comment or related-links section."""
    return len(text) <= MAX_PATTERN_CHARS and any(p.fullmatch(text) for p in patterns().end_markers)


def is_credit_line(line: Line) -> bool:
    """A short credit or sign-off of the story itself ("Reuters", "X Media Center"): kept."""
    credit = patterns().credit
    return (credit is not None and line.words <= 6 and not ends_sentence(line.text)
            and bool(credit.search(line.text)))


def is_list_item(text: str) -> bool:
    """A line of a bulleted or numbered list ("- Rifles /2/", "2) ...")."""
    return bool(_BULLET.match(text))


def other_script_share(text: str) -> float:
    """Share of the letters of ``text`` that are not Latin (0 when there are no letters)."""
    letters = _LETTER.findall(text)
    if not letters:
        return 0.0
    return sum(1 for ch in letters if ch > "\u024f") / len(letters)


def is_name_line(text: str) -> bool:
    """Two to four capitalised words and nothing else: a person's or an outlet's name."""
    return bool(_NAME_LINE.fullmatch(text))


@cache
def _minor_words() -> frozenset[str]:
    """Short words a headline or a name leaves in lower case (``entity_words.yaml``'s ``minor_words``)."""
    from sitrep.extract.entities_words import load_entity_words

    return frozenset(w.casefold() for w in load_entity_words().minor_words)


def _is_title_cased(words: list[str]) -> bool:
    """Every word capitalised but the minor ones, which a name leaves in lower case ("Office for Relief
    Coordination"); a minor word capitalised inside ("Hostages Freed In Varn") is a headline's style."""
    minor = _minor_words()
    capitalised = 0
    for i, word in enumerate(words):
        if word[:1].isupper():
            if i and word.casefold() in minor and not word.isupper():
                return False
            capitalised += 1
        elif word.casefold() not in minor and word not in ("&", "-", "–"):
            return False
    return capitalised >= 2


def is_letterhead(text: str) -> bool:
    """A line shaped like an organisation's or an outlet's name, not a headline: a few title-case words
    without digits or sentence punctuation ("The Corvan Herald", "THE ARCADIA OBSERVER"), a name ending in
    (or opened by, before "of") a letterhead word ("Meridian Institute for Security Studies", "Ministry of
    Defence of ..."), a name with a lower-case tagline ("Sollen Today - news of the province"), or a line of
    short section labels ("Research | Conflict and security")."""
    parts = _LABEL_PARTS.split(text)
    if len(parts) >= 2 and all(1 <= len(p.split()) <= 3 for p in parts) and not _TITLE_PUNCT.search(text):
        return True
    tagline = _TAGLINE.search(text)
    if tagline and _is_name_shaped(text[: tagline.start()].split()):
        head, tail = text[: tagline.start()].split(), text[tagline.end() :].split()
        if tail and (tail[0][:1].islower() or _ACRONYM.fullmatch(" ".join(tail))
                     or (len(tail) <= 3 and _is_name_shaped(tail)) or (len(tail) <= 6 and _ends_in_name_word(head))):
            return True
    if _SERIES.fullmatch(text):
        return True
    return _is_name_shaped(text.split())


def _is_name_shaped(words: list[str]) -> bool:
    text = " ".join(words)
    if not words or len(words) > LETTERHEAD_MAX_WORDS or _TITLE_PUNCT.search(text) or ends_sentence(text):
        return False
    if not _is_title_cased(words):
        return False
    if len(words) <= 4 or (is_all_caps(text) and len(words) <= 6):
        return True
    return _ends_in_name_word(words)


def _ends_in_name_word(words: list[str]) -> bool:
    """Whether a name ends in an outlet's or organisation's word ("... Chronicle", "... Institute for
    Security Studies") or opens with one before "of"/"for" ("Ministry of ...")."""
    pats = patterns()
    heads = pats.letterhead_words | pats.outlet_words
    first, last = words[0].casefold(), words[-1].casefold()
    return last in heads or (len(words) > 1 and first in heads and words[1].casefold() in ("of", "for"))


# --- rules --------------------------------------------------------------------


def _is_lede(line: Line) -> bool:
    """A first line that is the article's opening sentence, not a headline."""
    if line.words < LEDE_MIN_WORDS or not line.text.endswith("."):
        return False
    words = [w for w in line.text.split() if _LETTER.match(w)]
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised / max(len(words), 1) < 0.5


def _find_headline(lines: list[Line]) -> int | None:
    found = _first_headline(lines)
    while found is not None:
        later = _headline_below(lines, found)
        if later is None:
            return found
        found = later
    return None


def _headline_below(lines: list[Line], found: int) -> int | None:
    """A better headline below the candidate ``found``: the same line again further down (the
    candidate was an entry of an "In this issue" list), or a headline-like line right under
    furniture that follows the candidate (the candidate was a letterhead or masthead)."""
    text = lines[found].text.casefold()
    above = [ln for ln in lines[:found] if ln.text.strip()][-1:]
    rest = [ln for ln in lines[found + 1 : found + 1 + HEADLINE_SEARCH_LINES] if ln.text.strip()]
    in_list = bool(above and above[0].text.endswith(":")) or bool(rest and _is_headline_like(rest[0]))
    for line in rest if in_list else ():
        if line.text.casefold() == text and not line.removed:
            lines[found].removed = "table of contents"
            return line.index
    if len(rest) >= 3 and rest[0].removed and not rest[1].removed and _is_headline_like(rest[1]):
        if is_paragraph(rest[2]) and not ends_sentence(lines[found].text):
            return rest[1].index
    return None


def _is_body_start(line: Line) -> bool:
    """A line of running prose in sentence case: the article has begun (a title-case line ending in a
    period may still be a headline)."""
    if not is_paragraph(line):
        return False
    words = [w for w in line.text.split() if _LETTER.match(w)]
    return sum(1 for w in words if w[:1].isupper()) / max(len(words), 1) < 0.5


_NUMBERED_SECTION = re.compile(r"\d{1,2}[.)]\s+\S")  # "1. Militia overruns base": one story of several


def _first_headline(lines: list[Line]) -> int | None:
    """The first headline-like line among the first lines.  A line shaped like a letterhead (an outlet's
    or an organisation's name, a line of section labels) is the headline only when no other headline-like
    line comes before the article's first paragraph."""
    letterhead: Line | None = None
    for line in lines[:HEADLINE_SEARCH_LINES]:
        if (line.removed or is_byline(line.text) or is_date_line(line.text)
                or is_place_dateline(line.text, full_date=False)):
            continue
        if WEATHER.fullmatch(line.text) or is_end_marker(line.text) or is_dated_label(line.text):
            continue
        if line.text.count("|") >= 2 or _NUMBERED_SECTION.match(line.text):
            continue  # a list of items ("In this issue: A | B | C") or a numbered section of a digest
        if _is_lede(line) or line.words > 30 or (letterhead is not None and _is_body_start(line)):
            break  # the text (or the article under the letterhead) starts with its first paragraph
        if 4 <= line.words <= 30 or (line.words == 3 and len(line.text) >= 20):
            if is_letterhead(line.text):
                letterhead = letterhead or line
                continue
            return line.index
    return letterhead.index if letterhead is not None else None


def _is_weather_widget(text: str) -> bool:
    """"Mogadishu 31°C  Partly cloudy", "Tuesday, 18 March 2025 | Port Lumen 21°C": weather, with maybe a
    date or a place beside it."""
    if "\u00b0" not in text or len(text) > MAX_PATTERN_CHARS:
        return False
    parts = [p for p in _WIDGET_PARTS.split(text.strip()) if p]
    weather = [p for p in parts if WEATHER.fullmatch(p)]
    return bool(weather) and all(p in weather or is_date_line(p) or is_name_line(p) for p in parts)


def _mark_context_free(lines: list[Line]) -> None:
    for line in lines:
        line.removed = furniture_reason(line.text)
        if not line.removed and _is_weather_widget(line.text):
            line.removed = "weather widget"  # anywhere on the page


def is_article_date_above(lines: list[Line], index: int, headline: int) -> bool:
    """Whether the date line ``lines[index]`` above the headline is the article's date: right above it (a
    section label between at most) and without a weekday, which a page's "today" widget shows."""
    line = lines[index]
    if has_weekday(line.text) or not (is_date_line(line.text) or is_dated_label(line.text)) or not _YEAR.search(line.text):
        return False
    between = lines[index + 1 : headline]
    return len(between) <= 1 and all(ln.words <= 3 and not ends_sentence(ln.text) for ln in between)


def _mark_before_headline(lines: list[Line], headline: int) -> None:
    for line in lines[:headline]:
        if line.removed:
            continue
        text = line.text
        if WEATHER.fullmatch(text):
            line.removed = "weather widget"
        elif is_date_line(text) or is_dated_label(text):
            if not is_article_date_above(lines, line.index, headline):
                line.removed = "date widget"
        elif (is_byline(text) or PUBLISHED_KEY.search(text) or is_credit_line(line)
              or is_place_dateline(text, full_date=False)):
            continue
        elif line.words <= 4 and not ends_sentence(text):
            line.removed = "navigation"
        elif not is_paragraph(line) and other_script_share(text) >= OTHER_SCRIPT_SHARE:
            line.removed = "other-script line"


def _mark_teasers(lines: list[Line], headline: int | None) -> None:
    for i, line in enumerate(lines):
        if line.removed or i == headline or not is_all_caps(line.text):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        heads_paragraph = nxt is not None and nxt.block == line.block and not is_all_caps(nxt.text)
        if heads_paragraph:
            continue
        if line.words >= 9 or TEASER_PUNCT.search(line.text):
            line.removed = "teaser headline"


def _is_headline_like(line: Line) -> bool:
    return (TEASER_MIN_WORDS <= line.words <= TEASER_MAX_WORDS and not ends_sentence(line.text)
            and not line.text.endswith(":") and not is_list_item(line.text) and not is_date_line(line.text)
            and not is_byline(line.text) and not is_credit_line(line))


def _mark_teaser_blocks(lines: list[Line], headline: int | None) -> None:
    """A run of short headline-like lines after the headline: links to other stories."""
    start = headline + 1 if headline is not None else 0
    run: list[Line] = []
    for line in [*lines[start:], None]:
        if line is not None and line.removed:
            continue
        if line is not None and _is_headline_like(line):
            run.append(line)
            continue
        if len(run) >= TEASER_BLOCK_LINES:
            for item in run:
                item.removed = "teaser block"
        run = []


def _is_menu_item(line: Line) -> bool:
    return (
        line.words <= 3
        and not line.text.endswith(tuple(_TERMINAL))
        and not is_list_item(line.text)
        and not is_date_line(line.text)
        and not is_credit_line(line)
    )


def _mark_menus(lines: list[Line], headline: int | None) -> None:
    """Runs of short lines with at least three different items not explained by another rule."""
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and j != headline and _is_menu_item(lines[j]):
            j += 1
        open_items = {line.text.casefold() for line in lines[i:j] if not line.removed}
        if j - i >= 3 and len(open_items) >= 3:
            for line in lines[i:j]:
                line.removed = line.removed or "menu"
        i = max(j, i + 1)


def _mark_after_end_markers(lines: list[Line], headline: int | None) -> None:
    start = (headline or 0) + 1 if headline is not None else 0
    i = start
    while i < len(lines):
        if not is_end_marker(lines[i].text):
            i += 1
            continue
        lines[i].removed = lines[i].removed or "section marker"
        j = i + 1
        while j < len(lines) and not is_paragraph(lines[j]):
            lines[j].removed = lines[j].removed or "after section marker"
            j += 1
        i = j


def _mark_masthead(lines: list[Line], headline: int | None) -> None:
    """The outlet's name on a line of its own between the headline and the first paragraph ("The Lumen
    Dispatch"): a masthead. A credit ("Reuters", "... Media Center") and the author's name stay."""
    outlet = patterns().outlet
    if headline is None or outlet is None:
        return
    for line in lines[headline + 1 : headline + 1 + TEXT_HEAD_LINES_MAX]:
        if line.removed:
            continue
        if is_paragraph(line):
            return
        if is_name_line(line.text) and outlet.fullmatch(line.text) and not is_credit_line(line):
            line.removed = "masthead"


def contact_block(lines: list[Line], headline: int | None) -> set[int]:
    """Indices of the contact lines of a release or report after its headline ("Media contact: ...",
    "Tel: ...", an e-mail address) and of the short name and role lines right beside them ("Press Office,
    Ministry of Defence"): the document's own text."""
    start = headline + 1 if headline is not None else 0
    block = {ln.index for ln in lines[start:] if ln.removed is None and is_contact_line(ln.text)}
    markers = patterns().tail_markers
    for index in sorted(block):
        for step in (-1, 1):
            j = index + step
            while (start <= j < len(lines) and abs(j - index) <= CONTACT_BLOCK_REACH and lines[j].removed is None
                   and lines[j].words <= 10 and not is_paragraph(lines[j]) and j != headline
                   and not any(p.fullmatch(lines[j].text) for p in markers)):
                block.add(j)
                j += step
    return block


def _mark_tail_sections(lines: list[Line], headline: int | None) -> None:
    """From an "About <organisation>" heading among the last few lines, the rest is boilerplate (but for
    the release's contact lines)."""
    markers = patterns().tail_markers
    open_lines = [ln for ln in lines if ln.removed is None and ln.index != headline
                  and (headline is None or ln.index > headline)]
    for line in open_lines[max(len(open_lines) - TAIL_SECTION_LINES, 2) : -1]:  # two body lines come first
        if line.words <= 12 and not ends_sentence(line.text) and any(p.fullmatch(line.text) for p in markers):
            contacts = contact_block(lines, headline)
            for later in lines[line.index :]:
                if later.index not in contacts:
                    later.removed = later.removed or "closing boilerplate"
            return


def _last_content(lines: list[Line]) -> int | None:
    """Index of the last line of the article body: a paragraph, or a list a paragraph or a colon leads into."""
    last = max((ln.index for ln in lines if ln.removed is None and is_paragraph(ln)), default=None)
    if last is None:
        return None
    i = last + 1
    if i < len(lines) and lines[i].removed is None and lines[i].text.endswith(":"):
        i += 1  # "The following were seized:" after the last paragraph
    items = i
    while items < len(lines) and lines[items].removed is None and is_list_item(lines[items].text):
        items += 1
    if items > i and lines[i - 1].text.endswith(":"):
        return items - 1
    return last


def _head_names(lines: list[Line], headline: int | None) -> set[str]:
    """Name lines near the headline (an author's name under it)."""
    start = headline + 1 if headline is not None else 0
    return {ln.text.casefold() for ln in lines[start : start + 6] if is_name_line(ln.text)}


def _mark_tail(lines: list[Line], headline: int | None) -> None:
    last = _last_content(lines)
    if last is None:
        return
    authors = _head_names(lines, headline)
    contacts = contact_block(lines, headline)
    sign_off = True  # still in the lines right after the body, where a credit and a date sign the story
    for line in lines[last + 1 :]:
        if line.removed or line.index == headline:
            sign_off = sign_off and bool(line.removed is None)
            continue
        if line.index in contacts:
            continue  # "For further information, please contact:", "Press Office", "Tel: ..."
        if sign_off and (is_credit_line(line) or (is_date_line(line.text) and line.index > last + 1)):
            continue
        sign_off = False
        if line.text.casefold() in authors:
            continue  # the author's name again, in an author box
        if line.words <= 6 and not ends_sentence(line.text):
            line.removed = "trailing short line"
        elif not is_paragraph(line) and other_script_share(line.text) >= OTHER_SCRIPT_SHARE:
            line.removed = "other-script line"


def _mark_repeats(lines: list[Line], headline: int | None) -> None:
    """A short line whose text was removed as furniture elsewhere on the page is furniture here too."""
    removed = {ln.text.casefold() for ln in lines if ln.removed and ln.words <= REPEAT_MAX_WORDS}
    if not removed:
        return
    for line in lines:
        if (line.removed is None and line.index != headline and line.words <= REPEAT_MAX_WORDS
                and line.text.casefold() in removed and not is_credit_line(line)):
            line.removed = "repeated furniture"


# --- assembly -----------------------------------------------------------------


def _separator(prev: Line, line: Line, lines_are_paragraphs: bool) -> str:
    if lines_are_paragraphs or prev.block != line.block:
        return "\n\n"
    soft_wrap = len(prev.text) >= 40 and not prev.text.endswith(tuple(_TERMINAL + ":;"))
    return "\n" if soft_wrap else "\n\n"


def _assemble(lines: list[Line], lines_are_paragraphs: bool) -> tuple[str, list[Segment]]:
    parts: list[str] = []
    offsets: list[Segment] = []
    pos = 0
    prev: Line | None = None
    for line in lines:
        if line.removed:
            continue
        if prev is not None:
            sep = _separator(prev, line, lines_are_paragraphs)
            parts.append(sep)
            pos += len(sep)
        parts.append(line.text)
        offsets.append((pos, line.start, len(line.text)))
        pos += len(line.text)
        prev = line
    return "".join(parts), offsets


def clean_text(raw: str, *, lines_are_paragraphs: bool = False) -> CleanResult:
    """Strip furniture from ``raw``; return cleaned text, offsets into ``raw`` and removed lines.

    ``lines_are_paragraphs`` is for text extracted from HTML, where every line
    is a block of its own.
    """
    lines = split_lines(raw)
    _mark_context_free(lines)
    headline = _find_headline(lines)
    if headline is not None:
        _mark_before_headline(lines, headline)
    _mark_masthead(lines, headline)
    _mark_teasers(lines, headline)
    _mark_teaser_blocks(lines, headline)
    _mark_menus(lines, headline)
    _mark_after_end_markers(lines, headline)
    _mark_tail_sections(lines, headline)
    _mark_tail(lines, headline)
    _mark_repeats(lines, headline)
    text, offsets = _assemble(lines, lines_are_paragraphs)
    removed = [line.text for line in lines if line.removed]
    return CleanResult(text, offsets, removed, lines, headline)
