"""The ingest parsers do work linear in their input: the work for 4N (or 8N) is compared with that
for N, counted (characters searched, characters handed to patterns), never timed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sitrep.ingest import metadata, offsets
from sitrep.ingest.clean import clean_text
from sitrep.ingest.metadata import MAX_META_LINE, scan_tags, text_metadata
from sitrep.ingest.offsets import align_text, hidden_spans, mask_markup


class CountingStr(str):
    """A string whose ``find`` counts the characters it may examine: its range and the needle's length
    (the search prepares the needle first)."""

    searched = 0

    def find(self, sub: Any, start: Any = None, end: Any = None) -> int:  # type: ignore[override]
        lo = 0 if start is None else max(start, 0)
        hi = len(self) if end is None else min(end, len(self))
        CountingStr.searched += max(hi - lo, 0) + len(sub)
        return super().find(sub, lo, hi)


def search_work(text: str, raw: str) -> int:
    CountingStr.searched = 0
    align_text(text, raw, masked=CountingStr(mask_markup(raw)))
    return CountingStr.searched


@pytest.mark.parametrize("unit_text, unit_raw", [
    ("&", "&amp;"),  # decoded entities: the text's characters are found nowhere
    ("Bora port. ", "<p>Bora port. </p>"),  # ordinary text found piece by piece
])
def test_align_text_work_is_linear(unit_text: str, unit_raw: str) -> None:
    n = 10_000 // len(unit_text)
    small = search_work(unit_text * n, "<html><body>" + unit_raw * n)
    large = search_work(unit_text * 4 * n, "<html><body>" + unit_raw * 4 * n)
    assert large <= 4 * 1.3 * small


def test_align_text_long_jumps_are_budgeted() -> None:
    """Many lines that are nowhere in the raw text: each would search all of it; the budget bounds that."""
    def work(n: int) -> int:
        text = "\n".join(f"&zz{i:06d} decoded line" for i in range(n))
        raw = "<html><body>" + "".join(f"<p>&amp;zz{i:06d} decoded line</p>" for i in range(n))
        return search_work(text, raw)

    assert work(4_000) <= 4 * 1.5 * work(1_000)


class Spy:
    """Wraps a compiled pattern, adding up the length of every string it is given."""

    def __init__(self, pattern: re.Pattern[str], seen: list[int]) -> None:
        self.pattern, self.seen = pattern, seen

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.pattern, name)

        def call(string: str, *args: Any, **kwargs: Any) -> Any:
            self.seen.append(len(string))
            return method(string, *args, **kwargs)

        return call


def test_byline_patterns_see_bounded_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    for name in ("_BYLINE_PARTS", "_BYLINE_NAME", "DATE_PHRASE", "_LEAD_DATE", "_DATELINE", "_AGENCY_DATELINE"):
        monkeypatch.setattr(metadata, name, Spy(getattr(metadata, name), seen))
    story = "\n\nFighters of the Red Hand Brigade seized the port of Bora on Monday, residents said.\n"

    def work(pad: int) -> int:
        seen.clear()
        meta = text_metadata(clean_text("Rebels seize the river port of Bora\nx" + " " * pad + "By Mira Castell" + story))
        assert meta.title == "Rebels seize the river port of Bora"
        return sum(seen)

    small, large = work(10_000), work(80_000)
    assert large <= 1.5 * small + 10 * MAX_META_LINE
    assert max(seen) <= 2 * MAX_META_LINE or max(seen) < 1_000


@pytest.mark.parametrize("unit", ["<time ", "<link ", "<script type='application/ld+json'>", "<meta ", "<title>x"])
def test_scan_tags_walks_the_page_once(unit: str, monkeypatch: pytest.MonkeyPatch) -> None:
    walked = [0]
    real = metadata._HEAD_TAG

    class Walk:
        def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
            m = real.search(string, pos)
            walked[0] += (m.end() if m else len(string)) - pos
            return m

    monkeypatch.setattr(metadata, "_HEAD_TAG", Walk())
    for n in (1_500, 6_000):
        walked[0] = 0
        html = "<html><body>" + unit * n + '<time datetime="2024-01-02">x</time></body></html>'
        scan_tags(html)
        assert walked[0] <= len(html)


def test_hidden_spans_walk_the_page_once(monkeypatch: pytest.MonkeyPatch) -> None:
    walked = [0]
    real = offsets._HIDDEN_OPEN

    class Walk:
        def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
            m = real.search(string, pos)
            walked[0] += (m.end() if m else len(string)) - pos
            return m

    monkeypatch.setattr(offsets, "_HIDDEN_OPEN", Walk())
    for unit in ("<nav>", "<head>", "<script>", "<aside class=x>"):
        walked[0] = 0
        html = "<html><body>" + (unit + "text ") * 3_000 + "</body></html>"
        hidden_spans(html, frozenset({"nav", "head", "script", "aside"}))
        assert walked[0] <= len(html)
    assert hidden_spans("<p>a</p><nav>menu</nav><p>b</p>", frozenset({"nav"})) == [(8, 23)]
    assert hidden_spans("<p>a</p><script>x", frozenset({"script"})) == [(8, 17)]  # unclosed: to the end
    assert hidden_spans("<nav>unclosed <p>text</p>", frozenset({"nav"})) == []  # unclosed: nothing hidden
