"""Dates: absolute dates in common forms, and relative ones resolved against a reference date.

Three entry points:

* :func:`parse_date` - one absolute date phrase ("Sunday, 18 June 2023") to ISO.
* :func:`resolve_relative` - any date phrase, absolute or relative ("last week",
  "in December", "on Monday"), resolved against the article's publication date.
  Without a reference date a relative phrase stays unresolved: it is never guessed.
* :func:`find_dates` - the date phrases of a sentence, with character spans.

Resolved values are ISO strings at the precision the phrase carries:
``YYYY-MM-DD`` for a day, ``YYYY-MM`` for a month, ``YYYY`` for a year.
Nothing here raises on odd input; an absurd date (month 13, year 99999) is None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil import parser as dateparser

from sitrep.data import language

_LANG = language()  # months, weekdays, number words and day words: language.yaml


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any white space between their words."""
    ordered = sorted(set(phrases), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in phrase.split()) for phrase in ordered)


MONTH_NUMBERS: dict[str, int] = dict(_LANG.months)  # "january", "jan", "sept" -> 1..12
_MONTH_ABBREVIATIONS = frozenset(MONTH_NUMBERS) - frozenset(_LANG.month_names)
_MONTHS = _alt(MONTH_NUMBERS)
_HAS_MONTH = re.compile(rf"\b({_MONTHS})\b\.?", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(_LANG.weekdays)}
# counts in "three weeks ago": "a"/"an" are one, an indefinite count ("several") is -1 (never resolved)
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1,
    **{w: n for w, n in _LANG.number_units.items() if n > 0},
    **{w: -1 for w in _LANG.indefinite_counts},
}
DAY_OFFSETS: dict[str, int] = dict(_LANG.day_offsets)  # "yesterday" -> 1
MIN_YEAR, MAX_YEAR = 1900, 2100

# Vague phrases: recognised as dates (so they are not mistaken for anything else) but never resolved.
_VAGUE = (
    r"in\s+recent\s+(?:days|weeks|months|years)|recently|in\s+the\s+past\s+(?:few\s+)?(?:days|weeks|months|years)"
    r"|in\s+the\s+last\s+(?:few\s+)?(?:days|weeks|months|years|decade)|over\s+the\s+(?:past|last)\s+(?:few\s+)?"
    r"(?:days|weeks|months|years|decade)|in\s+the\s+(?:past|last)\s+decade|in\s+the\s+\d{4}s|in\s+the\s+(?:\w+\s+)?\d{2}s"
)
_MONTH_RE = rf"(?:{_MONTHS})\.?"
_DAY_RE = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR_RE = r"\d{4}"
_WEEKDAY_RE = "|".join(WEEKDAYS)
_NUM_RE = r"\d{1,3}|" + _alt(NUMBER_WORDS)
_DAY_WORDS = _alt(DAY_OFFSETS)

_PATTERNS: tuple[str, ...] = (
    # absolute first: longest forms win
    rf"(?:on\s+)?(?:(?:{_WEEKDAY_RE}),?\s+)?{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE},?\s+{_YEAR_RE}",
    rf"(?:on\s+)?(?:(?:{_WEEKDAY_RE}),?\s+)?{_MONTH_RE}\s+{_DAY_RE},?\s+{_YEAR_RE}",
    r"\d{4}-\d{2}-\d{2}",
    rf"(?:(?:in|since|during|by)\s+)?(?:(?:early|mid|late|mid-)\s*)?{_MONTH_RE},?\s+(?:of\s+)?{_YEAR_RE}",
    rf"(?:on\s+)?(?:(?:{_WEEKDAY_RE}),?\s+)?{_MONTH_RE}\s+{_DAY_RE}\b",
    rf"(?:on\s+)?(?:(?:{_WEEKDAY_RE}),?\s+)?(?:the\s+)?{_DAY_RE}\s+(?:of\s+)?{_MONTH_RE}",
    rf"(?:in|since|during|by)\s+(?:early\s+|late\s+|mid-?)?{_YEAR_RE}\b",
    _VAGUE,
    _DAY_WORDS,
    r"(?:last|this|past|previous)\s+(?:week|month|year|weekend)|earlier\s+this\s+(?:week|month|year)",
    r"(?:late|early)\s+last\s+(?:week|month|year)|the\s+(?:previous|preceding)\s+(?:day|week|month|year)",
    rf"(?:{_NUM_RE})\s+(?:days?|weeks?|months?|years?)\s+(?:ago|earlier)",
    rf"(?:on\s+|last\s+|this\s+past\s+|early\s+|late\s+)?(?:{_WEEKDAY_RE})(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?",
    rf"(?:in|since|during|last|early|late|mid-?)\s+{_MONTH_RE}",
)
_FIND = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in _PATTERNS) + r")(?![\w-])", re.I)


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date phrase found in a text, with its character span."""

    start: int
    end: int
    text: str


def parse_date(text: str) -> str | None:
    """Parse one absolute date phrase ("Sunday, 18 June 2023", "2023-06-18", "June 2023").

    Returns ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` when no day is given), or None.
    """
    try:
        return _parse_date(text)
    except Exception:  # noqa: BLE001 - a parser must never bring the pipeline down
        return None


def _parse_date(text: str) -> str | None:
    text = text.strip()
    if not text or len(text) > 120:
        return None
    m = _ISO.search(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            return None
    if not _HAS_MONTH.search(text) or not re.search(r"\b\d{4}\b", text):
        return None
    has_day = bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b(?!\d)", re.sub(r"\b\d{4}\b", "", text)))
    try:
        d1 = dateparser.parse(text, fuzzy=True, default=datetime(2000, 1, 1))
        d2 = dateparser.parse(text, fuzzy=True, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    if d1 is None or d2 is None or d1.year != d2.year or not MIN_YEAR <= d1.year <= MAX_YEAR:
        return None
    if has_day and d1.day == d2.day:
        return d1.date().isoformat()
    return f"{d1.year:04d}-{d1.month:02d}"


# --- reference dates ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Ref:
    """A reference date and how precise it is ("day" | "month" | "year")."""

    day: date
    precision: str


def _as_ref(reference: date | datetime | str | None) -> _Ref | None:
    """Normalise a reference (a date, or an ISO string of any precision) or None."""
    if reference is None:
        return None
    if isinstance(reference, datetime):
        return _Ref(reference.date(), "day")
    if isinstance(reference, date):
        return _Ref(reference, "day")
    if not isinstance(reference, str):
        return None
    m = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*", reference)
    if not m:
        return None
    try:
        year = int(m.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        if m.group(3):
            return _Ref(date(year, int(m.group(2)), int(m.group(3))), "day")
        if m.group(2):
            return _Ref(date(year, int(m.group(2)), 1), "month")
        return _Ref(date(year, 1, 1), "year")
    except ValueError:
        return None


def _month_back(d: date, months: int) -> tuple[int, int]:
    """(year, month) ``months`` months before d."""
    total = d.year * 12 + (d.month - 1) - months
    return total // 12, total % 12 + 1


def _iso_month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else None


def _iso_year(year: int) -> str | None:
    return f"{year:04d}" if MIN_YEAR <= year <= MAX_YEAR else None


# --- relative resolution ---------------------------------------------------------------


def resolve_relative(phrase: str, reference: date | datetime | str | None) -> tuple[str | None, str]:
    """Resolve a date phrase, absolute or relative, against a reference date.

    ``reference`` is normally the article's publication date (a ``date`` or an
    ISO string, day or month precision).  Returns ``(iso or None, phrase)``; the
    phrase is always handed back as written.  A relative phrase with no
    reference, a vague phrase ("in recent months") or an impossible date gives
    None.  Never raises.
    """
    try:
        return _resolve(phrase or "", _as_ref(reference)), phrase
    except Exception:  # noqa: BLE001 - never bring the pipeline down on a date
        return None, phrase


def _resolve(phrase: str, ref: _Ref | None) -> str | None:
    p = re.sub(r"\s+", " ", phrase.strip().lower()).strip(" ,.;:")
    if not p or len(p) > 120:
        return None
    if re.fullmatch(_VAGUE, p, re.I) or re.search(r"\brecent\b|\bpast\b\s+(?:few\s+)?\w+s\b", p):
        return None
    absolute = parse_date(phrase)
    if absolute:
        return absolute
    m = re.fullmatch(r"(?:in|since|during|by)?\s*(?:early |late |mid-?)?(\d{4})", p)
    if m:
        return _iso_year(int(m.group(1)))
    if ref is None:
        return None
    for resolver in (_resolve_day_words, _resolve_last_unit, _resolve_ago, _resolve_weekday, _resolve_month_day, _resolve_month):
        out = resolver(p, ref)
        if out is not _NO_MATCH:
            return out  # type: ignore[return-value]
    return None


_NO_MATCH = object()


def _resolve_day_words(p: str, ref: _Ref) -> str | None | object:
    if p not in DAY_OFFSETS:
        return _NO_MATCH
    if ref.precision != "day":
        return None
    return (ref.day - timedelta(days=DAY_OFFSETS[p])).isoformat()


def _resolve_last_unit(p: str, ref: _Ref) -> str | None | object:
    m = re.fullmatch(r"(?:(?:late|early) )?(?:last|this|past|previous|preceding|earlier this|the previous|the preceding) (week|weekend|month|year)", p)
    if not m:
        return _NO_MATCH
    unit = m.group(1)
    this = p.startswith("this") or p.startswith("earlier this")
    if unit in ("week", "weekend"):
        return None  # "this week", "last week": seven days, too vague for a day (and no ISO form names a week)
    if unit == "month":
        if ref.precision == "year":
            return None
        return _iso_month(*_month_back(ref.day, 0 if this else 1))
    return _iso_year(ref.day.year if this else ref.day.year - 1)


def _resolve_ago(p: str, ref: _Ref) -> str | None | object:
    m = re.fullmatch(rf"({_NUM_RE}) (day|week|month|year)s? (?:ago|earlier)", p)
    if not m:
        return _NO_MATCH
    n = int(m.group(1)) if m.group(1).isdigit() else NUMBER_WORDS.get(m.group(1), -1)
    if n < 0:
        return None
    unit = m.group(2)
    if unit in ("day", "week"):
        if ref.precision != "day":
            return None
        return (ref.day - timedelta(days=n * (7 if unit == "week" else 1))).isoformat()
    if unit == "month":
        return None if ref.precision == "year" else _iso_month(*_month_back(ref.day, n))
    return _iso_year(ref.day.year - n)


def _resolve_weekday(p: str, ref: _Ref) -> str | None | object:
    m = re.fullmatch(
        rf"(?:on |last |this past |early |late )?({_WEEKDAY_RE})(?:'s)?(?: (?:morning|afternoon|evening|night))?", p
    )
    if not m:
        return _NO_MATCH
    if ref.precision != "day":
        return None
    back = (ref.day.weekday() - WEEKDAYS[m.group(1)]) % 7
    if p.startswith("last ") and back == 0:
        back = 7
    return (ref.day - timedelta(days=back)).isoformat()


def _resolve_month_day(p: str, ref: _Ref) -> str | None | object:
    m = re.fullmatch(rf"(?:on )?(?:(?:{_WEEKDAY_RE}),? )?({_MONTH_RE}) (\d{{1,2}})(?:st|nd|rd|th)?", p) or re.fullmatch(
        rf"(?:on )?(?:(?:{_WEEKDAY_RE}),? )?(?:the )?(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MONTH_RE})", p
    )
    if not m:
        return _NO_MATCH
    a, b = m.group(1), m.group(2)
    month_name, day_s = (a, b) if not a[0].isdigit() else (b, a)
    month = MONTH_NUMBERS.get(month_name.rstrip("."))
    if month is None or ref.precision == "year":
        return None
    year = ref.day.year
    try:
        cand = date(year, month, int(day_s))
        if ref.precision == "day" and cand > ref.day or ref.precision == "month" and month > ref.day.month:
            cand = date(year - 1, month, int(day_s))
    except ValueError:
        return None
    return cand.isoformat() if MIN_YEAR <= cand.year <= MAX_YEAR else None


def _resolve_month(p: str, ref: _Ref) -> str | None | object:
    m = re.fullmatch(rf"(?:in |since |during |last |early |late |mid-?)?({_MONTH_RE})", p)
    if not m:
        return _NO_MATCH
    month = MONTH_NUMBERS.get(m.group(1).rstrip("."))
    if month is None or ref.precision == "year":
        return None
    year = ref.day.year if month <= ref.day.month else ref.day.year - 1
    if p.startswith("last ") and month == ref.day.month:
        year -= 1
    return _iso_month(year, month)


# --- finding date phrases ------------------------------------------------------------


_ABBREVIATION_DOT = re.compile(rf"\b(?:{_alt(_MONTH_ABBREVIATIONS)})\.$", re.I)


def find_dates(text: str) -> list[DateMention]:
    """All date phrases in a text (absolute, relative and vague), left to right, non-overlapping."""
    if not text:
        return []
    out: list[DateMention] = []
    try:
        for m in _FIND.finditer(text):
            phrase = m.group(0)
            if phrase.endswith(".") and _ABBREVIATION_DOT.search(phrase) is None:
                phrase = phrase[:-1]
            if _is_false_date(phrase, text, m.start()):
                continue
            out.append(DateMention(m.start(), m.end(), phrase))
    except Exception:  # noqa: BLE001
        return out
    return out


def _is_false_date(phrase: str, text: str, start: int) -> bool:
    """Reject matches that are words, not dates ("may", "march" as verbs, "in 2,500")."""
    low = phrase.lower().strip()
    if low in _MONTH_ABBREVIATIONS or low in _LANG.ambiguous_months:
        return True
    words = low.split()
    # "in May" is fine; a bare "in march"/"may" needs a capital letter to be a month
    if words and words[-1].rstrip(".") in _LANG.ambiguous_months and not phrase.split()[-1][0].isupper():
        return True
    return bool(re.fullmatch(r"(?:in|since|during|by) \d{4}", low) and text[start + len(phrase) : start + len(phrase) + 1] in (",",) and re.match(r",\d", text[start + len(phrase) :]))


def date_in_text(text: str, reference: date | datetime | str | None) -> tuple[str | None, str | None]:
    """The first resolvable date of a text, else the first date phrase unresolved: (iso, phrase)."""
    mentions = find_dates(text)
    for dm in mentions:
        iso, _ = resolve_relative(dm.text, reference)
        if iso:
            return iso, dm.text
    return (None, mentions[0].text) if mentions else (None, None)


_ISO_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def is_iso_date(value: object) -> bool:
    """True for ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real calendar date: the only
    date forms sitrep stores."""
    if not isinstance(value, str):
        return False
    m = _ISO_VALUE.match(value)
    if not m:
        return False
    try:
        date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return False
    return True
