"""Numbers as news articles write them: digits, words, ranges, bounds and hedges.

``parse_number("between 4,000 and 6,000")`` -> ``NumberValue(low=4000, high=6000, qualifier="between")``.
``find_numbers(text)`` scans free text and returns every number phrase with its character span.

Everything here is total: any string in, never an exception, never ``inf``/``nan``;
phrases that cannot be read (``"1e309"``, a 10,000-digit string) give ``None`` / are skipped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_DIGITS = 15  # longer digit runs are identifiers or garbage, not counts
MAX_VALUE = 1e15

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIX_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000, "mn": 1_000_000}
# vague plurals: the smallest value the word can mean, read as a lower bound
_VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000,
    "tens of thousands": 20_000, "hundreds of thousands": 200_000, "millions": 2_000_000,
}
_SINGLE_WORDS = {"a dozen": 12, "dozen": 12, "a hundred": 100, "a thousand": 1_000, "a million": 1_000_000}

# qualifier phrase -> kind: "low" (lower bound), "high" (upper bound), "approx" (point value)
_QUALIFIERS: dict[str, str] = {
    "more than": "low", "over": "low", "at least": "low", "upwards of": "low", "in excess of": "low",
    "no fewer than": "low", "no less than": "low", "not less than": "low", "a minimum of": "low",
    "up to": "high", "as many as": "high", "at most": "high", "fewer than": "high", "less than": "high",
    "under": "high", "no more than": "high", "not more than": "high", "a maximum of": "high",
    "nearly": "approx", "almost": "approx", "about": "approx", "around": "approx",
    "approximately": "approx", "roughly": "approx", "some": "approx", "an estimated": "approx",
    "estimated": "approx", "close to": "approx", "an approximate": "approx", "circa": "approx",
    "some estimated": "approx", "about an estimated": "approx",
}

_WORD_ALT = "|".join(sorted(list(_UNITS) + list(_TENS) + list(_SCALES), key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_AFTER = r"(?:\s*(?:hundred|thousand|million|billion)\b|\s?(?:bn|mn|k|m)\b)?"
_CARD = (
    rf"(?:(?:{_DIGITS}){_SCALE_AFTER}(?![\w.,]*\d)(?!\w)"
    rf"|(?:a\s+)?(?:{_WORD_ALT})(?:(?:\s*-\s*|\s+(?:and\s+)?)(?:{_WORD_ALT}))*\b"
    rf"|a\s+dozen\b)"
)
_VAGUE_ALT = "|".join(re.escape(v) for v in sorted(_VAGUE, key=len, reverse=True))
_QUAL_ALT = "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
_PERCENT = r"(?:\s*(?:%|per\s?cent\b|percent\b))"

_PHRASE = re.compile(
    rf"""(?ix)(?<![\w.,-])(?:
        (?:(?P<bqual>{_QUAL_ALT})\s+)?(?P<between>between)\s+(?P<b1>{_CARD})\s+and\s+(?P<b2>{_CARD})
      | (?:(?P<rqual>{_QUAL_ALT})\s+)?(?:from\s+)?(?P<r1>{_CARD})(?:\s*(?:-|–|—)(?=\s*\d)|\s+to\s+)\s*(?P<r2>{_CARD})(?!\s+of\b)
      | (?P<o1>{_CARD})\s+out\s+of\s+(?P<o2>{_CARD})
      | (?:(?P<qual>{_QUAL_ALT})\s+)?(?P<num>{_CARD})
      | (?P<vague>{_VAGUE_ALT})\b
    )(?P<pct>{_PERCENT})?"""
)


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
    m = re.fullmatch(rf"({_DIGITS})\s*(hundred|thousand|million|billion|bn|mn|k|m)?", text.strip(), re.I)
    if not m:
        return None
    digits = m.group(1).replace(",", "")
    if len(digits.replace(".", "")) > MAX_DIGITS:
        return None
    try:
        value = float(digits)
    except ValueError:
        return None
    scale = (m.group(2) or "").lower()
    if scale:
        value *= _SCALES.get(scale) or _SUFFIX_SCALES.get(scale, 1)
    return _finite(value)


def _parse_words(text: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w and w != "and"]
    if words and words[0] == "a":
        words = ["one"] + words[1:]
    if not words:
        return None
    total, current, seen = 0, 0, False
    for w in words:
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _SCALES:
            total += max(current, 1) * _SCALES[w]
            current = 0
        elif w == "dozen":
            current = max(current, 1) * 12
        else:
            return None
        seen = True
    return _finite(float(total + current)) if seen else None


def parse_cardinal(text: str) -> tuple[float, bool] | None:
    """One number as ``(value, is_vague)``: "4,000", "2.5 million", "twenty-one", "hundreds" (200, True)."""
    if not isinstance(text, str) or len(text) > 200:
        return None
    t = text.strip().lower()
    if t in _VAGUE:
        return float(_VAGUE[t]), True
    if t in _SINGLE_WORDS:
        return float(_SINGLE_WORDS[t]), False
    value = _parse_digits(t)
    if value is None:
        value = _parse_words(t)
    return (value, False) if value is not None else None


def _value_of(m: re.Match[str]) -> NumberValue | None:
    """Turn one match of ``_PHRASE`` into a NumberValue."""
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
        return NumberValue(v[0], None, m.group("vague").lower(), vague=True) if v else None
    v = card("num")
    if v is None:
        return None
    qual = (m.group("qual") or "").lower() or None
    kind = _QUALIFIERS.get(qual or "", "")
    if kind == "low":
        return NumberValue(v, None, qual, percent=pct)
    if kind == "high":
        return NumberValue(None, v, qual, percent=pct)
    return NumberValue(v, v, qual, percent=pct)


def find_numbers(text: str) -> list[NumberSpan]:
    """Every number phrase in ``text`` with its span (``text[start:end] == span.text``)."""
    if not isinstance(text, str):
        return []
    out: list[NumberSpan] = []
    for m in _PHRASE.finditer(text):
        if m.end() - m.start() > 120:
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
