"""Numbers as news articles write them: digits, words, ranges, bounds and hedges.

``parse_number("between 4,000 and 6,000")`` -> ``NumberValue(low=4000, high=6000, qualifier="between")``.
``find_numbers(text)`` scans free text and returns every number phrase with its character span.

Everything here is total: any string in, never an exception, never ``inf``/``nan``;
phrases that cannot be read (``"1e309"``, a 10,000-digit string) give ``None`` / are skipped.

The words (units, tens, scales, vague plurals, qualifiers) are data: ``language.yaml``, read
through :func:`sitrep.data.language`.  Work is linear in the text: a cheap scan finds the places
where a number phrase can start (a digit or a number word at a word boundary), and the phrase
pattern, whose every repetition is bounded, is tried only there, on a window of at most
:data:`WINDOW` characters.  Long digit runs, thousands of comma groups and endless decimals
therefore cost one bounded try each, not a backtracking search over the whole run.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from sitrep.data import language

MAX_DIGITS = 15  # longer digit runs are identifiers or garbage, not counts
MAX_VALUE = 1e15
MAX_PHRASE = 120  # a longer match is not one number phrase
WINDOW = MAX_PHRASE + 40  # characters the phrase pattern may look at from a start (with look-ahead)
MAX_NUMBER_WORDS = 8  # "two hundred and fifty-three thousand four hundred": number words in one cardinal

# digits: at most MAX_DIGITS in a run, at most five thousands groups, bounded decimals
# (thousands may also be grouped by a space, as much of the world writes them: "12 000", never after a
# digit and a space, so "0800 123 456" is no "123 456")
_SPACE = "[ \u00a0\u202f]"
_DIGITS = (r"\d{1,3}(?:,\d{3}){1,5}(?:\.\d{1,15})?"
           rf"|(?<!\d{_SPACE})\d{{1,3}}(?:{_SPACE}\d{{3}}){{1,4}}(?![\d,.]|{_SPACE}\d)"
           r"|\d{1,15}(?:\.\d{1,15})?")
_PERCENT = r"(?:\s*(?:%|per\s?cent\b|percent\b))"


def _alt(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, any white space between their words."""
    ordered = sorted(set(phrases), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(part) for part in phrase.split()) for phrase in ordered)


@dataclass(frozen=True, slots=True)
class _Words:
    """The number vocabulary of language.yaml and the patterns built from it (once per process)."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    suffixes: dict[str, int]
    vague: dict[str, int]
    phrases: dict[str, int]
    qualifiers: dict[str, str]
    first_words: frozenset[str]  # a number phrase can start with these words (lower case)
    phrase: re.Pattern[str]
    digits: re.Pattern[str]


@lru_cache(maxsize=1)
def _words() -> _Words:
    lang = language()
    units, tens, scales = dict(lang.number_units), dict(lang.number_tens), dict(lang.number_scales)
    suffixes, vague = dict(lang.number_suffixes), dict(lang.vague_numbers)
    phrases, qualifiers = dict(lang.number_phrases), dict(lang.number_qualifiers)
    word_alt = _alt([*units, *tens, *scales, *(p for p in phrases if " " not in p)])  # "two dozen" too
    scale_after = rf"(?:\s*(?:{_alt(scales)})\b|\s?(?:{_alt(suffixes)})\b)?"
    several = [p for p in phrases if " " in p]  # "a dozen": single words are read by parse_cardinal
    card = (
        rf"(?:(?:{_DIGITS}){scale_after}(?![\w.,]*\d)(?!\w)"
        rf"|(?:a\s+)?(?:{word_alt})(?:(?:\s*-\s*|\s+(?:and\s+)?)(?:{word_alt})){{0,{MAX_NUMBER_WORDS - 1}}}\b"
        + (rf"|(?:{_alt(several)})\b" if several else "")
        + ")"
    )
    vague_alt = _alt(vague)
    qual_alt = _alt(qualifiers)
    phrase = re.compile(
        rf"""(?ix)(?<![\w.,-])(?:
            (?:(?P<bqual>{qual_alt})\s+)?(?P<between>between)\s+(?P<b1>{card})\s+and\s+(?P<b2>{card})
          | (?:(?P<rqual>{qual_alt})\s+)?(?:from\s+)?(?P<r1>{card})(?:\s*(?:-|–|—)(?=\s*\d)|\s+to\s+)\s*(?P<r2>{card})(?!\s+of\b)
          | (?P<o1>{card})\s+out\s+of\s+(?P<o2>{card})
          | (?:(?P<qual>{qual_alt})\s+)?(?P<num>{card})
          | (?P<vague>{vague_alt})\b
        )(?P<pct>{_PERCENT})?"""
    )
    firsts = {"a", "an", "between", "from"}
    for group in (units, tens, scales, vague, phrases, qualifiers):
        firsts.update(w.split()[0].lower() for w in group)
    digits = re.compile(rf"({_DIGITS})\s*({_alt([*scales, *suffixes])})?", re.I)
    return _Words(units, tens, scales, suffixes, vague, phrases, qualifiers, frozenset(firsts), phrase, digits)


# a place where a number phrase may start: a digit, or a word, at a word boundary
_START = re.compile(r"(?<![\w.,-])(?:\d|[^\W\d_]+)")


@dataclass(frozen=True, slots=True)
class NumberValue:
    """A parsed number phrase: ``low``/``high`` bounds as the gold FORMAT has them."""

    low: float | None
    high: float | None
    qualifier: str | None = None  # "between", "more than", "up to", "about", "out of" ...
    vague: bool = False  # "hundreds", "dozens": an order of magnitude, not a count
    total: float | None = None  # "ten out of 34" -> 34
    percent: bool = False  # "10 per cent"

    @property
    def value(self) -> float | None:
        """One representative figure (the low bound, else the high one)."""
        return self.low if self.low is not None else self.high


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number phrase found in a text, with its character span."""

    start: int
    end: int
    text: str
    value: NumberValue


def _finite(x: float | None) -> float | None:
    if x is None or not math.isfinite(x) or abs(x) > MAX_VALUE:
        return None
    return float(x)


def _parse_digits(text: str) -> float | None:
    w = _words()
    m = w.digits.fullmatch(text.strip())
    if not m:
        return None
    digits = re.sub(_SPACE, "", m.group(1).replace(",", ""))
    if len(digits.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        value = float(digits)
    except ValueError:
        return None
    scale = (m.group(2) or "").lower()
    if scale:
        value *= w.scales.get(scale) or w.suffixes.get(scale, 1)
    return _finite(value)


def _parse_words(text: str) -> float | None:
    w = _words()
    words = [x for x in re.split(r"[\s-]+", text.lower().strip()) if x and x != "and"]
    if words and words[0] == "a":
        words = ["one"] + words[1:]
    if not words or len(words) > MAX_NUMBER_WORDS:
        return None
    hundred = w.scales.get("hundred")
    total, current, seen = 0, 0, False
    for word in words:
        if word in w.units:
            current += w.units[word]
        elif word in w.tens:
            current += w.tens[word]
        elif word in w.scales and w.scales[word] == hundred:
            current = max(current, 1) * w.scales[word]  # "two hundred thousand": hundreds multiply, not add
        elif word in w.scales:
            total += max(current, 1) * w.scales[word]
            current = 0
        elif word in w.phrases:  # "dozen"
            current = max(current, 1) * w.phrases[word]
        else:
            return None
        seen = True
    return _finite(float(total + current)) if seen else None


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def parse_cardinal(text: str) -> tuple[float, bool] | None:
    """One number as ``(value, is_vague)``: "4,000", "2.5 million", "twenty-one", "hundreds" (200, True)."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    w = _words()
    t = _squash(text)
    if t in w.vague:
        return float(w.vague[t]), True
    if t in w.phrases:
        return float(w.phrases[t]), False
    value = _parse_digits(t)
    if value is None:
        value = _parse_words(t)
    return (value, False) if value is not None else None


def _value_of(m: re.Match[str]) -> NumberValue | None:
    """Turn one match of the phrase pattern into a NumberValue."""
    pct = bool(m.group("pct"))

    def card(name: str) -> float | None:
        parsed = parse_cardinal(m.group(name))
        return parsed[0] if parsed else None

    if m.group("between") or m.group("r1"):
        a, b = (card("b1"), card("b2")) if m.group("between") else (card("r1"), card("r2"))
        if a is None or b is None:
            return None
        if m.group("r1") and b < a:  # "2019-20", "7-3": not a range of counts
            return None
        return NumberValue(a, b, "between", percent=pct)
    if m.group("o1"):
        a, b = card("o1"), card("o2")
        if a is None or b is None:
            return None
        return NumberValue(a, a, "out of", total=b, percent=pct)
    if m.group("vague"):
        v = parse_cardinal(m.group("vague"))
        return NumberValue(v[0], None, _squash(m.group("vague")), vague=True) if v else None
    v = card("num")
    if v is None:
        return None
    qual = _squash(m.group("qual") or "") or None
    kind = _words().qualifiers.get(qual or "", "")
    if kind == "low":
        return NumberValue(v, None, qual, percent=pct)
    if kind == "high":
        return NumberValue(None, v, qual, percent=pct)
    return NumberValue(v, v, qual, percent=pct)


def _match_at(pattern: re.Pattern[str], text: str, pos: int, endpos: int) -> re.Match[str] | None:
    """One bounded try of the phrase pattern (a function of its own so that tests can count the work)."""
    return pattern.match(text, pos, endpos)


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number phrase in ``text`` with its span (``text[start:end] == span.text``).

    Linear in ``len(text)``: the phrase pattern is tried only where a digit or a number word
    starts, on at most :data:`WINDOW` characters, and never inside a phrase already found.
    """
    if not isinstance(text, str):
        return []
    w = _words()
    out: list[NumberSpan] = []
    done = 0  # no phrase may start before the end of the previous one
    for s in _START.finditer(text):
        pos = s.start()
        if pos < done or (not text[pos].isdigit() and s.group(0).lower() not in w.first_words):
            continue
        m = _match_at(w.phrase, text, pos, min(len(text), pos + WINDOW))
        if m is None or m.end() == pos:
            continue
        done = m.end()
        if m.end() - m.start() > MAX_PHRASE:
            continue
        try:
            value = _value_of(m)
        except (ValueError, OverflowError, TypeError):
            value = None
        if value is None:
            continue
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
        out.append(NumberSpan(start, end, text[start:end], value))
    return out


def parse_number(text: str) -> NumberValue | None:
    """Parse one number phrase (the whole of ``text``, or its first number phrase).

    "between 4,000 and 6,000" -> 4000..6000; "more than 20" -> 20..None; "up to eight" -> None..8;
    "about 2,000" -> 2000..2000 ("about"); "ten out of 34" -> 10..10 with total 34;
    "hundreds" -> 200..None, vague. Unreadable input -> None.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > 10_000:
        return None
    found = find_numbers(text)
    return found[0].value if found else None
