"""Property-based tests: any input in, no exception out, and every offset inside its text.

Bounded example counts keep the file fast; the full-pipeline property runs only a handful of examples.
"""

from __future__ import annotations

import math
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from conftest import pipeline_missing
from sitrep.extract.dates import is_iso_date

# No shrinking: an input that makes a regular expression backtrack for ever would make every shrink step
# wait for the time limit below; the failing example is printed as found.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate]
FAST = settings(max_examples=150, deadline=None, phases=_PHASES, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=12, deadline=None, phases=_PHASES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LIMIT_S = 3.0  # one call of a text function on a few hundred characters


@contextmanager
def time_limit(what: str, seconds: float = LIMIT_S) -> Iterator[None]:
    """Fail (instead of hanging the suite) when ``what`` runs longer than ``seconds``: catastrophic regex
    backtracking on hostile text is a denial of service."""

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"{what} took more than {seconds} s on this input (catastrophic backtracking?)")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)



def finite_or_none(x: Any) -> bool:
    return x is None or (isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x))


# --- strategies ----------------------------------------------------------------------------------------------

WORDS = (
    "Taliban", "Haqqani Network", "ISIS-K", "Islamic State Khorasan Province", "Al-Qaeda", "NRF", "TTP",
    "Kabul", "Kandahar", "Panjshir", "Afghanistan", "Pakistan", "Ahmad Massoud", "Mullah Omar", "said",
    "denied", "reportedly", "killed", "wounded", "attacked", "supports", "is allied with", "fighters",
    "between 4,000 and 6,000", "more than 20", "about 2,000", "1e309", "NaN", "inf", "hundreds", "dozens",
    "ten out of 34", "9" * 40, "-1", "3.5 million", "twenty-one", "on Monday", "last week", "in December",
    "18 June 2023", "2023-06-18", "99999-99-99", "32 Undecember 20233", "31 February 2023", "yesterday",
    "according to the UN", "“", "”", "\"", "'", ".", ",", ";", "\n", "\n\n", "\t", "  ", "(", ")", "<b>", "</p>",
    "&amp;", "\u200b", "\ufeff", "é", "文章", "🙂", "\x00", "\r\n", "\r", "A" * 300, ">" * 30,
)
word = st.sampled_from(WORDS) | st.text(min_size=1, max_size=12)
article_like = st.lists(word, min_size=0, max_size=80).map(" ".join)
any_text = st.text(max_size=400) | article_like
number_phrase = st.lists(st.sampled_from(WORDS[20:40]) | st.text(max_size=8), max_size=6).map(" ".join) | any_text
date_phrase = st.sampled_from(("today", "yesterday", "last week", "last month", "in December", "on Monday",
                               "two days ago", "18 June 2023", "June 2023", "2023", "earlier this year",
                               "31 February 2023", "99999-99-99", "0000-00-00", "32 Undecember 20233",
                               "Sunday, 18 June 2023", "the 3rd of May, 1999", "May 2023")) | st.text(max_size=40)
reference = st.one_of(st.none(), st.sampled_from(("2023-06-18", "2023-06", "2023", "not a date", "99999-99-99",
                                                  "", "2023-13-45")),
                      st.dates(), st.datetimes())


# --- ingest: decoding, cleaning, offsets -------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=2000))
def test_decode_bytes_total(data: bytes) -> None:
    from sitrep.ingest.encoding import DecodeError, decode_bytes

    try:
        with time_limit("decode_bytes"):
            text, encoding = decode_bytes(data)
    except DecodeError as exc:
        assert str(exc)
        return
    assert isinstance(text, str) and isinstance(encoding, str)
    assert "\x00" not in text and "\r" not in text


@FAST
@given(any_text)
def test_clean_text_offsets_copy_the_raw_text(raw: str) -> None:
    from sitrep.ingest.clean import clean_text
    from sitrep.ingest.encoding import normalise_newlines

    raw = normalise_newlines(raw)
    with time_limit("clean_text"):
        result = clean_text(raw)
    prev_end = 0
    for cs, rs, n in result.offsets:
        assert n >= 0 and cs >= prev_end, result.offsets
        assert 0 <= rs and rs + n <= len(raw)
        assert cs + n <= len(result.text)
        assert result.text[cs:cs + n] == raw[rs:rs + n]
        prev_end = cs + n


@FAST
@given(any_text, st.sampled_from(("txt", "html")))
def test_make_document_total(raw: str, fmt: str) -> None:
    """make_document either rejects with ValueError (a reason) or gives a Document whose offsets hold."""
    from sitrep.ingest.document import make_document
    from sitrep.ingest.readers import RawInput

    if fmt == "html":
        raw = f"<html><body><p>{raw}</p></body></html>"
    try:
        with time_limit("make_document"):
            doc = make_document(RawInput("x." + fmt, raw, fmt))
    except ValueError as exc:
        assert str(exc)
        return
    assert doc.text.strip()
    assert doc.id == doc.content_hash[:16]
    assert doc.published is None or is_iso_date(doc.published), doc.published
    for cs, rs, n in doc.offsets:
        assert doc.text[cs:cs + n] == doc.raw[rs:rs + n], (cs, rs, n)


@FAST
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(1, 20)), max_size=8),
       st.integers(-5, 200), st.integers(-5, 200))
def test_clean_to_raw_total(segments: list[tuple[int, int, int]], start: int, end: int) -> None:
    """On a well-formed offsets list (sorted, non-empty segments, raw order kept), a mapped span is
    ordered and starts and ends on mapped raw characters."""
    from sitrep.ingest.offsets import clean_to_raw

    offsets, pos, raw_pos = [], 0, 0
    for gap, raw_gap, n in segments:
        offsets.append((pos + gap, raw_pos + raw_gap, n))
        pos += gap + n
        raw_pos += raw_gap + n
    span = clean_to_raw(offsets, start, end)
    if span is not None:
        a, b = span
        assert a < b
        assert any(rs <= a < rs + n for _, rs, n in offsets)
        assert any(rs < b <= rs + n for _, rs, n in offsets)


@FAST
@given(st.text(max_size=300) | article_like)
def test_extract_html_total(body: str) -> None:
    from sitrep.ingest.html import extract_html

    page = f"<html><head><title>{body[:40]}</title></head><body><article><p>{body}</p></article></body></html>"
    with time_limit("extract_html"):
        article = extract_html(page)
    for cs, rs, n in article.offsets:
        assert article.text[cs:cs + n] == page[rs:rs + n]


# --- numbers and dates -----------------------------------------------------------------------------------------


@FAST
@given(number_phrase)
def test_parse_number_total_and_finite(text: str) -> None:
    from sitrep.extract.numbers import parse_number

    with time_limit("parse_number"):
        value = parse_number(text)
    if value is None:
        return
    assert finite_or_none(value.low) and finite_or_none(value.high) and finite_or_none(value.total), value
    if value.low is not None and value.high is not None:
        assert value.low <= value.high, value


@FAST
@given(any_text | number_phrase)
def test_find_numbers_spans_inside_text(text: str) -> None:
    from sitrep.extract.numbers import find_numbers

    with time_limit("find_numbers"):
        spans = find_numbers(text)
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start:span.end] == span.text
        assert finite_or_none(span.value.low) and finite_or_none(span.value.high)


@pytest.mark.parametrize("text", ["1e309", "NaN", "nan", "inf", "-inf", "9" * 10_000, "1" + "0" * 400,
                                  "between 1e309 and 1e310", "more than " + "9" * 5000])
def test_parse_number_absurd(text: str) -> None:
    from sitrep.extract.numbers import parse_number

    value = parse_number(text)
    assert value is None or (finite_or_none(value.low) and finite_or_none(value.high)), value


@FAST
@given(date_phrase)
def test_parse_date_valid_or_none(text: str) -> None:
    from sitrep.extract.dates import parse_date

    with time_limit("parse_date"):
        iso = parse_date(text)
    assert iso is None or is_iso_date(iso), (text, iso)


@FAST
@given(date_phrase, reference)
def test_resolve_relative_valid_or_none(phrase: str, ref: Any) -> None:
    from sitrep.extract.dates import resolve_relative

    with time_limit("resolve_relative"):
        iso, written = resolve_relative(phrase, ref)
    assert written == phrase
    assert iso is None or is_iso_date(iso), (phrase, ref, iso)


@FAST
@given(any_text)
def test_find_dates_spans_inside_text(text: str) -> None:
    from sitrep.extract.dates import find_dates

    with time_limit("find_dates"):
        found = find_dates(text)
    for m in found:
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start:m.end].startswith(m.text)


@pytest.mark.parametrize("text", ["99999-99-99", "32 Undecember 20233", "0000-00-00", "31 February 2023",
                                  "9999-12-31", "0001-01-01", "February 29, 2023", "29 February 2024"])
def test_parse_date_absurd(text: str) -> None:
    from sitrep.extract.dates import parse_date

    iso = parse_date(text)
    assert iso is None or is_iso_date(iso), iso


# --- the full analysis path -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Any:
    reason = pipeline_missing()
    if reason:
        pytest.skip(reason)
    from sitrep.nlp import get_nlp

    return get_nlp()


def check_result(result: Any) -> list[str]:
    """Every span of a DocResult inside its document text; dates ISO; numbers finite."""
    text = result.document.text
    n = len(text)
    bad: list[str] = []

    def span(what: str, start: int, end: int) -> None:
        if not (0 <= start <= end <= n):
            bad.append(f"{what} span {start}..{end} outside 0..{n}")

    for m in result.mentions:
        span("mention", m.start, m.end)
        span("mention sentence", m.sent_start, m.sent_end)
        if text[m.start:m.end] != m.text:
            bad.append(f"mention text {m.text!r} != text[{m.start}:{m.end}] {text[m.start:m.end]!r}")
    claims = ([("relation", r.claim) for r in result.relations] + [("quantity", q.claim) for q in result.quantities]
              + [("event", e.claim) for e in result.events])
    for what, c in claims:
        span(f"{what} claim", c.start, c.end)
        span(f"{what} claim sentence", c.sent_start, c.sent_end)
        if c.polarity not in ("asserted", "denied"):
            bad.append(f"{what} claim polarity {c.polarity!r}")
    for q in result.quantities:
        if not (finite_or_none(q.low) and finite_or_none(q.high)):
            bad.append(f"quantity {q.text!r} low={q.low} high={q.high}")
    for e in result.events:
        if e.date is not None and not is_iso_date(e.date):
            bad.append(f"event date {e.date!r}")
        for count in (e.killed, e.wounded):
            if count is not None and not (isinstance(count, int) and 0 <= count <= 10**9):
                bad.append(f"event count {count!r}")
    for ent in result.entities:
        if len(ent.name) > 200:
            bad.append(f"entity name of {len(ent.name)} characters")
    return bad


@SLOW
@given(article_like.filter(lambda s: len(s.strip()) > 30))
def test_analyse_any_text(nlp: Any, text: str) -> None:
    from sitrep.ingest.document import make_document
    from sitrep.ingest.readers import RawInput
    from sitrep.pipeline import analyse

    try:
        with time_limit("make_document"):
            doc = make_document(RawInput("prop.txt", "Headline about the Taliban\n\n" + text, "txt"))
    except ValueError:
        assume(False)
        return
    with time_limit("parse + analyse", 60):
        result = analyse(doc, nlp(doc.text))
    assert not result.warnings, result.warnings  # an extractor raised on this text
    assert not (bad := check_result(result)), bad


def test_analyse_seeds(nlp: Any, seeds_dir: Any) -> None:
    """The same invariants on the five real seed articles."""
    from sitrep.config import Settings
    from sitrep.pipeline import IngestSummary, analyse, iter_documents

    summary = IngestSummary()
    docs = list(iter_documents([str(seeds_dir)], Settings(), summary))
    assert docs and not summary.skipped
    for doc in docs:
        result = analyse(doc, nlp(doc.text))
        assert not result.warnings, (doc.source, result.warnings)
        assert not (bad := check_result(result)), (doc.source, bad[:10])
