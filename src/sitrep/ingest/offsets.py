"""Offsets between cleaned text and raw text.

An offsets list is ``[(clean_start, raw_start, length), ...]`` sorted by
``clean_start``: each segment is a run of ``length`` characters copied verbatim
from ``raw[raw_start:]`` to ``clean[clean_start:]``.  Characters of the cleaned
text outside every segment (paragraph separators, text that could not be found
in the raw input) have no raw position.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

Segment = tuple[int, int, int]

_TAG = re.compile(r"<[^>]*>?")
_HIDDEN_OPEN = re.compile(
    r"<!--|<(script|style|noscript|template|svg|iframe|head|nav|header|footer|aside)\b[^<>]*>", re.I
)
RAW_TEXT_ELEMENTS = frozenset({"script", "style", "noscript", "template"})  # unclosed: hidden to the end
_MIN_PIECE = 2  # shorter pieces are not searched (a lone character matches anywhere)
_MIN_ANCHOR = 12  # a line's first piece found far away must be at least this long
_WINDOW = 4000  # how far after the previous piece the next one may start
_JUMP_BUDGET = 8  # searches of the whole raw text for line starts cost at most this many times its length


def clean_to_raw(offsets: Sequence[Segment], start: int, end: int) -> tuple[int, int] | None:
    """Map the cleaned span ``[start, end)`` to a raw span, or None when nothing in it maps.

    The raw span runs from the raw position of the first mapped character in
    the span to just after the raw position of the last mapped one.
    """
    if end <= start or not offsets:
        return None
    first = _first_mapped(offsets, start, end)
    last = _last_mapped(offsets, start, end)
    if first is None or last is None:
        return None
    return first, last + 1


def _segment_index(offsets: Sequence[Segment], pos: int) -> int:
    """Index of the last segment starting at or before ``pos`` (-1 if none)."""
    return bisect.bisect_right(offsets, pos, key=lambda seg: seg[0]) - 1


def _first_mapped(offsets: Sequence[Segment], start: int, end: int) -> int | None:
    i = max(_segment_index(offsets, start), 0)
    for cs, rs, n in offsets[i:]:
        if cs >= end:
            return None
        if cs + n > start:
            return rs + max(start - cs, 0)
    return None


def _last_mapped(offsets: Sequence[Segment], start: int, end: int) -> int | None:
    i = _segment_index(offsets, end - 1)
    while i >= 0:
        cs, rs, n = offsets[i]
        if cs + n <= start:
            return None
        if cs < end:
            return rs + min(end, cs + n) - 1 - cs
        i -= 1
    return None


def raw_to_clean(offsets: Sequence[Segment], raw_pos: int) -> int | None:
    """Map one raw character position to the cleaned text (None when it was removed)."""
    for cs, rs, n in offsets:
        if rs <= raw_pos < rs + n:
            return cs + raw_pos - rs
    return None


def compose(outer: Sequence[Segment], inner: Sequence[Segment]) -> list[Segment]:
    """Chain two mappings: ``outer`` maps C -> B and ``inner`` maps B -> A; return C -> A."""
    result: list[Segment] = []
    inner_sorted = sorted(inner, key=lambda seg: seg[0])
    starts = [seg[0] for seg in inner_sorted]
    for cs, bs, n in outer:
        i = max(bisect.bisect_right(starts, bs) - 1, 0)
        while i < len(inner_sorted):
            ibs, ias, m = inner_sorted[i]
            if ibs >= bs + n:
                break
            lo, hi = max(bs, ibs), min(bs + n, ibs + m)
            if lo < hi:
                result.append((cs + lo - bs, ias + lo - ibs, hi - lo))
            i += 1
    return merge_segments(result)


def merge_segments(segments: Sequence[Segment]) -> list[Segment]:
    """Sort segments and join adjacent ones that continue each other in both texts."""
    merged: list[Segment] = []
    for cs, rs, n in sorted(segments):
        if n <= 0:
            continue
        if merged:
            pcs, prs, pn = merged[-1]
            if pcs + pn == cs and prs + pn == rs:
                merged[-1] = (pcs, prs, pn + n)
                continue
        merged.append((cs, rs, n))
    return merged


def hidden_spans(html: str, names: frozenset[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of comments and of the elements ``names`` with their content, in linear time.

    A comment or a raw-text element (``<script>``, ``<style>`` ...) that is never closed runs to the
    end; another element is hidden only up to its closing tag, and not at all when it has none.
    Each span is skipped as a whole, and a missing closing tag is known from one scan of the closing
    tags, so repeated unclosed tags never make the work grow faster than the page.
    """
    closes: dict[str, list[int]] = {}
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = _HIDDEN_OPEN.search(html, pos)
        if m is None:
            return spans
        if m.group(1) is None:  # a comment
            end = html.find("-->", m.end())
            end = len(html) if end < 0 else end + 3
        else:
            name = m.group(1).lower()
            if name not in names:
                pos = m.end()
                continue
            if name not in closes:
                closes[name] = [c.start() for c in re.finditer(rf"</{name}\s*>", html, re.I)]
            found = closes[name]
            i = bisect.bisect_left(found, m.end())
            if i < len(found):
                end = html.index(">", found[i]) + 1
            elif name in RAW_TEXT_ELEMENTS:
                end = len(html)
            else:
                pos = m.end()
                continue
        spans.append((m.start(), end))
        pos = end


def mask_markup(html: str) -> str:
    """Replace tags, comments, scripts, styles and a closed ``<head>`` by NULs, keeping every position."""
    parts: list[str] = []
    pos = 0
    for start, end in hidden_spans(html, RAW_TEXT_ELEMENTS | {"head"}):
        parts.append(_TAG.sub(lambda m: "\x00" * len(m.group(0)), html[pos:start]))
        parts.append("\x00" * (end - start))
        pos = end
    parts.append(_TAG.sub(lambda m: "\x00" * len(m.group(0)), html[pos:]))
    return "".join(parts)


def align_text(text: str, raw: str, *, masked: str | None = None) -> list[Segment]:
    """Greedily map ``text`` (e.g. extracted from HTML) into ``raw`` as verbatim pieces.

    Pieces are searched in order, each shortly after the previous one, in
    ``masked`` (``raw`` with markup blanked, see :func:`mask_markup`) so that
    text never maps into a tag.  The start of each line may jump anywhere (an
    anchor of at least ``_MIN_ANCHOR`` characters).  Characters that cannot be
    found (decoded entities, collapsed white space) stay unmapped rather than
    mapped wrongly.  Work is linear in ``len(text) + len(raw)``: searches of the whole raw text (for
    a line that starts far away) stop after a budget of a few times its length; lines after that
    are looked for near the previous piece only.
    """
    hay = masked if masked is not None else raw
    segments: list[Segment] = []
    cursor = 0
    pos = 0
    line_start = True
    budget = _JUMP_BUDGET * (len(hay) + len(text)) + 1_000_000  # characters the long jumps may search
    missing_at, missing = -1, set[str]()  # pieces not found in the window starting at ``missing_at``
    while pos < len(text):
        ch = text[pos]
        if ch.isspace():
            line_start = line_start or ch == "\n"
            pos += 1
            continue
        if not line_start and cursor == missing_at and text[pos : pos + _MIN_PIECE] in missing:
            pos += 1  # already looked for in this same window: not there
            continue
        length, where = _longest_piece(text, pos, hay, cursor, cursor + _WINDOW)
        if length < _MIN_PIECE and not line_start:
            if cursor != missing_at:
                missing_at, missing = cursor, set()
            missing.add(text[pos : pos + _MIN_PIECE])
        if length < _MIN_PIECE and line_start and budget > 0:
            budget -= len(hay)
            length, where = _longest_piece(text, pos, hay, cursor, len(hay))
            if length < _MIN_ANCHOR:
                budget -= len(hay)
                length, where = _longest_piece(text, pos, hay, 0, len(hay))
            if length < _MIN_ANCHOR:
                length = 0
        line_start = False
        if length < _MIN_PIECE:
            pos += 1
            continue
        segments.append((pos, where, length))
        pos += length
        cursor = where + length
    return merge_segments(segments)


def _longest_piece(text: str, pos: int, hay: str, lo_bound: int, limit: int) -> tuple[int, int]:
    """Longest prefix of ``text[pos:]`` (within its line) starting in ``hay[lo_bound:limit]``.

    The length is found by galloping (2, 4, 8, ...) and then bisecting, so a piece of length ``L``
    costs ``O(log L)`` searches of ``limit - lo_bound + L`` characters: a character that is found
    nowhere costs one search of the window, not one of the whole line.
    """
    end_of_line = text.find("\n", pos)
    end_of_line = len(text) if end_of_line < 0 else end_of_line
    most = end_of_line - pos
    if most <= 0:
        return 0, -1
    where = hay.find(text[pos], lo_bound, limit + 1)
    if where < 0:
        return 0, -1
    lo, best_where = 1, where
    step = 2
    hi = most
    while step <= most:  # gallop: double the length while it is still found
        where = hay.find(text[pos : pos + step], best_where, limit + step)
        if where < 0:
            hi = step - 1
            break
        lo, best_where = step, where
        step *= 2
    while lo < hi:  # bisect between the last length found and the first not found
        mid = (lo + hi + 1) // 2
        where = hay.find(text[pos : pos + mid], best_where, limit + mid)
        if where >= 0:
            lo, best_where = mid, where
        else:
            hi = mid - 1
    return lo, best_where
