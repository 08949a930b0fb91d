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
        ("nearly 90", None, 90, "nearly"),  # just under 90: an upper bound
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


# --- linear work on hostile input (issue 16): the work done is counted, never timed -----------------

_HOSTILE = {
    "digit run": lambda n: "9" * n,
    "comma groups": lambda n: "1" + ",000" * (n // 4),
    "long decimal": lambda n: "0." + "5" * n,
    "dotted digits": lambda n: ".5" * (n // 2),
    "number words": lambda n: "one and " * (n // 8),
    "white space after a number": lambda n: "5" + " " * n + "x",
    "many small numbers": lambda n: "7 " * (n // 2),
    "qualifiers without numbers": lambda n: "more than " * (n // 10),
}


def _work(monkeypatch: pytest.MonkeyPatch, text: str) -> tuple[int, int]:
    """(tries of the phrase pattern, characters those tries may look at) for one find_numbers call."""
    from sitrep.extract import numbers

    tries, chars = 0, 0
    real = numbers._match_at

    def counting(pattern, s, pos, endpos):  # type: ignore[no-untyped-def]
        nonlocal tries, chars
        tries += 1
        chars += endpos - pos
        return real(pattern, s, pos, endpos)

    monkeypatch.setattr(numbers, "_match_at", counting)
    find_numbers(text)
    return tries, chars


@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_find_numbers_work_is_linear(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    make = _HOSTILE[name]
    sizes = (10_000, 20_000, 40_000)
    work = [_work(monkeypatch, make(n)) for n in sizes]
    for (tries_a, chars_a), (tries_b, chars_b), n in zip(work, work[1:], sizes, strict=False):
        assert tries_b <= 2.5 * max(tries_a, 1), (name, work)
        assert chars_b <= 2.5 * max(chars_a, 1), (name, work)
        assert chars_a <= 200 * n  # a bounded window per try, not a scan of the rest of the text
    from sitrep.extract.numbers import WINDOW

    assert all(chars <= tries * WINDOW for tries, chars in work)


def test_hostile_runs_give_no_number_and_keep_real_ones() -> None:
    for junk in ("9" * 20_000, "1" + ",000" * 5_000, "0." + "5" * 20_000):
        assert find_numbers(junk) == []
        text = f"{junk} but 300 fighters"
        found = find_numbers(text)
        assert [n.value.low for n in found] == [300]


def test_words_come_from_the_language_file() -> None:
    from sitrep.data import language

    lang = language()
    assert lang.number_units["seven"] == 7 and lang.number_qualifiers["at least"] == "low"
    v = parse_number("at least seven")
    assert v is not None and (v.low, v.high, v.qualifier) == (7, None, "at least")
    wrapped = find_numbers("at\nleast  seven fighters")  # a qualifier broken over a line is one qualifier
    assert [(n.value.low, n.value.qualifier) for n in wrapped] == [(7, "at least")]


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("some 2 000 fighters", 2000, 2000),  # thousands grouped by a space
        ("at least 12\u00a0000 people", 12000, None),  # ... or by a no-break space
        ("between 1 500 and 2 000 men", 1500, 2000),
        ("two dozen fighters", 24, 24),  # a unit word times "dozen"
        ("a dozen men", 12, 12),
    ],
)
def test_grouped_digits_and_dozens(text: str, low: float | None, high: float | None) -> None:
    found = find_numbers(text)
    assert [(n.value.low, n.value.high) for n in found][:1] == [(low, high)], found


def test_a_telephone_number_is_not_one_grouped_number() -> None:
    values = [n.value.low for n in find_numbers("call 0800 123 456 now")]
    assert 123456 not in values and 800123456 not in values, values
