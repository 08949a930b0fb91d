"""Number phrases: digits, words, ranges, bounds, hedges, and hostile input."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.extract.numbers import find_numbers, parse_cardinal, parse_number


@pytest.mark.parametrize(
    ("text", "low", "high", "qualifier"),
    [
        ("4,000", 4000, 4000, None),
        ("1,201", 1201, 1201, None),
        ("2.5 million", 2_500_000, 2_500_000, None),
        ("six", 6, 6, None),
        ("twenty-one", 21, 21, None),
        ("one hundred and five", 105, 105, None),
        ("between 4,000 and 6,000", 4000, 6000, "between"),
        ("4,000-6,000", 4000, 6000, "between"),
        ("4,000 to 6,000", 4000, 6000, "between"),
        ("more than 20", 20, None, "more than"),
        ("over 21", 21, None, "over"),
        ("at least 300", 300, None, "at least"),
        ("up to eight", None, 8, "up to"),
        ("fewer than 50", None, 50, "fewer than"),
        ("about 2,000", 2000, 2000, "about"),
        ("around 150", 150, 150, "around"),
        ("nearly 90", 90, 90, "nearly"),
        ("an estimated 400", 400, 400, "an estimated"),
        ("no more than five to ten", 5, 10, "between"),
        ("some 600-1,000", 600, 1000, "between"),
        ("600–1,000", 600, 1000, "between"),
        ("as many as 350,000", None, 350_000, "as many as"),
        ("more than a dozen", 12, None, "more than"),
    ],
)
def test_parse_number_forms(text: str, low: float | None, high: float | None, qualifier: str | None) -> None:
    v = parse_number(text)
    assert v is not None
    assert (v.low, v.high, v.qualifier) == (low, high, qualifier)


def test_out_of_keeps_the_total() -> None:
    v = parse_number("seven out of 12")
    assert v is not None and (v.low, v.high, v.total) == (7, 7, 12)


def test_vague_and_percent() -> None:
    assert parse_cardinal("hundreds") == (200.0, True)
    v = parse_number("dozens")
    assert v is not None and v.vague and v.high is None
    pct = parse_number("15 per cent")
    assert pct is not None and pct.percent


@pytest.mark.parametrize("text", ["1e309", "9" * 10_000, "", "   ", "the 33rd brigade", "abc", "NaN", "inf", "-"])
def test_unreadable_input_gives_none(text: str) -> None:
    assert parse_number(text) is None


def test_find_numbers_spans_point_into_the_text() -> None:
    text = "The militia fielded between 300 and 500 fighters and up to nine camps near Gao."
    found = find_numbers(text)
    assert [(n.value.low, n.value.high) for n in found] == [(300, 500), (None, 9)]
    for n in found:
        assert text[n.start : n.end] == n.text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_never_raises(text: str) -> None:
    parse_number(text)
    for n in find_numbers(text):
        assert 0 <= n.start <= n.end <= len(text)
        assert text[n.start : n.end] == n.text
        for x in (n.value.low, n.value.high, n.value.total):
            assert x is None or math.isfinite(x)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[0-9,.\- ]{0,60}(million|thousand|e|E)?[0-9]{0,400}", fullmatch=True))
def test_digit_soup_is_finite(text: str) -> None:
    v = parse_number(text)
    if v is not None:
        for x in (v.low, v.high):
            assert x is None or (math.isfinite(x) and abs(x) <= 1e15)
