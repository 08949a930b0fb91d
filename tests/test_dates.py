"""Dates: absolute parsing, relative resolution against the publication date, finding date phrases."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.extract.dates import date_in_text, find_dates, parse_date, resolve_relative

REF = date(2023, 6, 18)  # a Sunday


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Sunday, 18 June 2023", "2023-06-18"),
        ("2023-06-18", "2023-06-18"),
        ("June 2023", "2023-06"),
        ("March 3, 2021", "2021-03-03"),
        ("2023-13-45", None),
        ("year 99999", None),
        ("", None),
        ("no date here", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("phrase", "iso"),
    [
        ("last week", None),  # a week is no day
        ("last month", "2023-05"),
        ("last year", "2022"),
        ("in December", "2022-12"),  # the most recent December on/before the reference
        ("in June", "2023-06"),
        ("on January 15", "2023-01-15"),
        ("Nov. 14", "2022-11-14"),
        ("yesterday", "2023-06-17"),
        ("on Monday", "2023-06-12"),
        ("on Sunday", "2023-06-18"),
        ("last Sunday", "2023-06-11"),
        ("Tuesday night", "2023-06-13"),
        ("three days ago", "2023-06-15"),
        ("two weeks ago", "2023-06-04"),
        ("in 2021", "2021"),
        ("in May 2021", "2021-05"),
        ("on 5 March 2022", "2022-03-05"),
        ("in recent months", None),
        ("recently", None),
        ("in the 1990s", None),
        ("this week", None),
    ],
)
def test_resolve_relative_with_reference(phrase: str, iso: str | None) -> None:
    assert resolve_relative(phrase, REF) == (iso, phrase)


@pytest.mark.parametrize("phrase", ["last week", "last month", "last year", "in December", "on January 15", "yesterday", "on Monday", "Nov. 14"])
def test_relative_phrase_without_reference_stays_unresolved(phrase: str) -> None:
    assert resolve_relative(phrase, None) == (None, phrase)


@pytest.mark.parametrize(("phrase", "iso"), [("in 2021", "2021"), ("18 June 2023", "2023-06-18"), ("June 2023", "2023-06")])
def test_absolute_phrase_needs_no_reference(phrase: str, iso: str) -> None:
    assert resolve_relative(phrase, None) == (iso, phrase)


def test_reference_as_iso_string_and_month_precision() -> None:
    assert resolve_relative("yesterday", "2023-06-18") == ("2023-06-17", "yesterday")
    assert resolve_relative("last month", "2023-06") == ("2023-05", "last month")
    assert resolve_relative("yesterday", "2023-06") == (None, "yesterday")  # a day cannot come from a month
    assert resolve_relative("in December", "2023-12-02") == ("2023-12", "in December")


@pytest.mark.parametrize("ref", ["99999-01-01", "2023-13-01", "garbage", ""])
def test_absurd_reference_never_raises(ref: str) -> None:
    assert resolve_relative("yesterday", ref) == (None, "yesterday")


def test_absurd_dates_are_none() -> None:
    assert resolve_relative("on February 30", REF)[0] is None
    assert resolve_relative("month 13", REF)[0] is None
    assert parse_date("32 January 2020") is None


def test_find_dates_spans() -> None:
    text = "Gunmen attacked the convoy on Monday in May 2021, officials said last week."
    found = find_dates(text)
    assert [d.text for d in found] == ["on Monday", "in May 2021", "last week"]
    for d in found:
        assert text[d.start : d.end] == d.text


def test_find_dates_ignores_verbs_and_numbers() -> None:
    assert find_dates("They may march to the square with 2,500 people.") == []
    assert [d.text for d in find_dates("The truce was signed on 5 March.")] == ["on 5 March"]


def test_date_in_text() -> None:
    assert date_in_text("The blast happened yesterday in the market.", REF) == ("2023-06-17", "yesterday")
    assert date_in_text("The blast happened yesterday.", None) == (None, "yesterday")
    assert date_in_text("No time given.", REF) == (None, None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.dates(), st.text(max_size=20)))
def test_any_text_never_raises(text: str, ref: object) -> None:
    parse_date(text)
    iso, phrase = resolve_relative(text, ref)  # type: ignore[arg-type]
    assert phrase == text
    assert iso is None or isinstance(iso, str)
    for d in find_dates(text):
        assert 0 <= d.start < d.end <= len(text)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["two weeks ago", "yesterday", "on Monday", "in December", "last month", "on January 15", "two days ago"]),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
)
def test_resolved_relative_dates_are_not_after_reference(phrase: str, ref: date) -> None:
    iso, _ = resolve_relative(phrase, ref)
    assert iso is not None
    assert iso <= ref.isoformat()


def test_date_words_come_from_the_language_file() -> None:
    from sitrep.data import language

    lang = language()
    assert lang.month_number("Sept") == 9 and lang.day_offsets["the day before yesterday"] == 2
    # every number word of language.yaml counts back, not only the first dozen
    assert resolve_relative("fifteen days ago", "2024-03-20") == ("2024-03-05", "fifteen days ago")
    assert resolve_relative("several days ago", "2024-03-20")[0] is None  # an indefinite count is never guessed
    assert resolve_relative("the day before yesterday", "2024-03-20")[0] == "2024-03-18"
    assert [d.text for d in find_dates("Raiders struck on 3 Sept. 2023 and again in October.")] == [
        "on 3 Sept. 2023", "in October"]
    # a month that is also an English word is a month only when capitalised
    assert find_dates("the convoy may march on") == []
