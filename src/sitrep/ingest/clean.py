"""Remove page furniture from scraped article text, keeping a map back to the raw text.

The cleaner works on lines.  Each non-empty line gets features (word count,
share of capitals, final punctuation, position relative to the headline and to
the last real paragraph) and is tested against furniture patterns
(``sitrep/data/furniture.yaml``).  Rules, in order:

1. context-free furniture: comment prompts, share/follow buttons, counters,
   lone numbers or letters, "Read the rest at ...", ads, cookie and copyright
   notices, sign-offs, lines ending in image-widget junk, teaser prefixes;
2. before the headline (first substantive line): widgets such as temperature,
   city and "today" date lines, and other short navigation lines;
3. teaser headlines between paragraphs: ALL-CAPS lines that read like a
   headline (long, or with headline punctuation) and do not head the next paragraph;
4. menus: runs of three or more short lines without sentence punctuation;
5. after a strong end marker ("Leave a Reply", "Related Articles", ...):
   every following line up to the next real paragraph;
6. after the last real paragraph: short lines without sentence punctuation.

Kept lines are copied verbatim; paragraphs are separated by a blank line so
that sentences never merge across removed furniture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import yaml

from sitrep.ingest.offsets import Segment

_STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\u200c\u200d\u2060\ufeff"
_TERMINAL = ".!?…\"”’'»)]"
_SENTENCE_END = ".!?…\"”"
_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_BULLET = re.compile(r"^(?:[-*•·–—]\s|\d{1,2}[.)]\s)")
# Structural patterns (not outlet vocabulary, which lives in furniture.yaml).
WEATHER = re.compile(
    r"(?:[A-Za-z ]{0,24}\s)?-?\d{1,3}(?:[.,]\d)?\s*(?:°\s*[CF]?|[CF])\b(?:\s*/\s*-?\d{1,3}\s*°?\s*[CF]?)?"
    r"(?:\s[A-Za-z ]{0,24})?"
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun"
# The digit run is atomic: "9999...9 x" must fail at once, not try every split into 1-4 digit pieces.
DATE_WORDS_ONLY = re.compile(
    rf"(?:(?:{_MONTHS}|{_WEEKDAYS})\.?|(?>\d{{1,4}})(?:st|nd|rd|th)?|\d{{1,2}}:\d{{2}}(?::\d{{2}})?|am|pm|a\.m\.|p\.m\.|"
    r"gmt|utc|[a-z]{2,4}t|[\s,./|–—-])+",
    re.I,
)
BYLINE = re.compile(
    r"(?:written |posted |published |reported |story |words )?by\s+\S|(?:posted|published|updated|last updated|"
    r"date|dated|first published)\b\s*(?:on|at)?\s*:?",
    re.I,
)
PUBLISHED_KEY = re.compile(r"\b(?:published|posted|updated|written by)\b", re.I)
TEASER_PUNCT = re.compile(r"[:?!'\"“”‘’,]")
PIPE_MENU = re.compile(r"(?:[^|·•»›>/]{1,25}\s[|·•»›>/]\s){2,}[^|·•»›>/]{1,25}")


@dataclass(frozen=True, slots=True)
class FurniturePatterns:
    full: tuple[tuple[str, re.Pattern[str]], ...]
    search: tuple[tuple[str, re.Pattern[str]], ...]
    end_markers: tuple[re.Pattern[str], ...]


@cache
def patterns() -> FurniturePatterns:
    """Furniture patterns from ``sitrep/data/furniture.yaml``, compiled once."""
    data = yaml.safe_load(resources.files("sitrep.data").joinpath("furniture.yaml").read_text("utf-8"))

    def compile_group(group: dict[str, list[str]]) -> tuple[tuple[str, re.Pattern[str]], ...]:
        return tuple((name, re.compile(rx, re.I)) for name, rxs in group.items() for rx in rxs)

    return FurniturePatterns(
        full=compile_group(data.get("full", {})),
        search=compile_group(data.get("search", {})),
        end_markers=tuple(re.compile(rx, re.I) for rx in data.get("end_markers", [])),
    )


HEADLINE_SEARCH_LINES = 15  # the headline must be among the first N non-empty lines
MAX_PATTERN_CHARS = 300  # longer lines are never furniture


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
    return bool(BYLINE.match(text))


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
    if PIPE_MENU.fullmatch(text) and not is_byline(text):
        return "menu"
    return None


def is_end_marker(text: str) -> bool:
    """A line that opens a comment or related-links section."""
    return len(text) <= MAX_PATTERN_CHARS and any(p.fullmatch(text) for p in patterns().end_markers)


# --- rules --------------------------------------------------------------------


def _find_headline(lines: list[Line]) -> int | None:
    for line in lines[:HEADLINE_SEARCH_LINES]:
        if line.removed or is_byline(line.text) or is_date_line(line.text):
            continue
        if WEATHER.fullmatch(line.text) or is_end_marker(line.text):
            continue
        if 4 <= line.words <= 30 or (line.words == 3 and len(line.text) >= 20):
            return line.index
        if line.words > 30:
            return None  # the text starts with a paragraph: no headline
    return None


def _mark_context_free(lines: list[Line]) -> None:
    for line in lines:
        line.removed = furniture_reason(line.text)
        if not line.removed and "\u00b0" in line.text and WEATHER.fullmatch(line.text.strip()):
            line.removed = "weather widget"  # "Mogadishu 31°C  Partly cloudy" anywhere on the page


def _mark_before_headline(lines: list[Line], headline: int) -> None:
    for line in lines[:headline]:
        if line.removed:
            continue
        text = line.text
        if WEATHER.fullmatch(text):
            line.removed = "weather widget"
        elif is_date_line(text):
            line.removed = "date widget"
        elif is_byline(text) or PUBLISHED_KEY.search(text):
            continue
        elif line.words <= 4 and not ends_sentence(text):
            line.removed = "navigation"


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


def _is_menu_item(line: Line) -> bool:
    return (
        line.words <= 3
        and not line.text.endswith(tuple(_TERMINAL))
        and not _BULLET.match(line.text)
        and not is_date_line(line.text)
    )


def _mark_menus(lines: list[Line], headline: int | None) -> None:
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and j != headline and _is_menu_item(lines[j]):
            j += 1
        if j - i >= 3:
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


def _mark_tail(lines: list[Line], headline: int | None) -> None:
    last = max((ln.index for ln in lines if ln.removed is None and is_paragraph(ln)), default=None)
    if last is None:
        return
    for line in lines[last + 1 :]:
        if line.removed or line.index == headline:
            continue
        if line.words <= 6 and not ends_sentence(line.text):
            line.removed = "trailing short line"


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
    _mark_teasers(lines, headline)
    _mark_menus(lines, headline)
    _mark_after_end_markers(lines, headline)
    _mark_tail(lines, headline)
    text, offsets = _assemble(lines, lines_are_paragraphs)
    removed = [line.text for line in lines if line.removed]
    return CleanResult(text, offsets, removed, lines, headline)
