"""Paged documents (PDF, Word) to article text: furniture off, hyphens undone, pages recorded.

A reader gives the lines of each page (:class:`PageLine`: text, font size, and whether it is a
footnote).  :func:`assemble` then

* drops running headers and footers (a line at the top or bottom of pages that repeats, digits
  aside, on several pages) and page numbers (``documents.yaml``: ``page_numbers``);
* joins the wrapped lines of a paragraph, undoing a hyphen at a line end when the word goes on in
  lower case ("Arca-" + "dia" is "Arcadia"), unless the hyphenated form is written elsewhere in
  the document (then the hyphen is real: "well-known");
* keeps footnotes apart: they follow the body under a "Notes" heading, each page's in order;
* records where each page starts in the text (``page_starts``, character offsets), so that
  :func:`page_of` gives the page of any span: the page a citation names.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sitrep.data.loader import Node, Record, list_of, read_yaml, text

DOCUMENTS_FILE = "documents.yaml"
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running headers/footers
REPEAT_SHARE = 0.4  # a top/bottom line (digits aside) on this share of pages, and on 2 at least, is furniture
PARA_GAP = 1.45  # a vertical gap this many times the usual line gap starts a new paragraph
SHORT_LINE = 0.7  # a line shorter than this share of the page's longest ending a sentence ends a paragraph
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)]$")
_HYPHEN_END = re.compile(r"(\w*[^\W\d_])-$")
_CONTINUES = re.compile(r"([^\W\d_A-Z][\w'’]*)")


@dataclass(frozen=True, slots=True)
class DocumentPatterns:
    page_numbers: tuple[re.Pattern[str], ...]
    footnote_marks: tuple[re.Pattern[str], ...]
    notes_heading: str
    untitled: tuple[re.Pattern[str], ...]


def _regex(node: Node) -> re.Pattern[str]:
    value = text(node)
    try:
        return re.compile(value, re.I)
    except re.error as err:
        raise node.fail(f"bad regular expression ({err})") from None


_SPEC = Record(required={
    "page_numbers": list_of(_regex),
    "footnote_marks": list_of(_regex),
    "notes_heading": text,
    "untitled": list_of(_regex),
})


@cache
def patterns() -> DocumentPatterns:
    """Patterns from ``sitrep/data/documents.yaml``, validated and compiled once."""
    data = _SPEC(read_yaml(DOCUMENTS_FILE))
    return DocumentPatterns(tuple(data["page_numbers"]), tuple(data["footnote_marks"]),
                            data["notes_heading"], tuple(data["untitled"]))


def _full(pats: Iterable[re.Pattern[str]], line: str) -> bool:
    return any(p.fullmatch(line) for p in pats)


def is_page_number(line: str) -> bool:
    return _full(patterns().page_numbers, line.strip())


def is_footnote_start(line: str) -> bool:
    return _full(patterns().footnote_marks, line.strip())


def is_untitled(title: str) -> bool:
    return _full(patterns().untitled, title.strip())


@dataclass(slots=True)
class PageLine:
    text: str
    size: float = 0.0  # font size (0 when unknown)
    y: float | None = None  # vertical position, top of page highest (None when unknown)
    footnote: bool = False
    para_break: bool = False  # the reader knows a paragraph starts here (Word paragraphs)


@dataclass(slots=True)
class Assembled:
    text: str
    page_starts: list[int]  # offset in ``text`` where page i+1 starts
    removed: list[str] = field(default_factory=list)  # furniture lines taken out
    notes_start: int | None = None  # offset of the notes block, when there are footnotes
    pages: int = 0


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _running_lines(pages: list[list[PageLine]]) -> set[str]:
    """Keys of lines at page edges that repeat across pages (running headers and footers)."""
    counts: Counter[str] = Counter()
    for lines in pages:
        body = [ln for ln in lines if ln.text.strip()]
        k = _edge(len(body))
        edge = body[:k] + body[len(body) - k:]
        counts.update({_furniture_key(ln.text) for ln in edge})
    need = max(2, int(len(pages) * REPEAT_SHARE + 0.999))
    return {key for key, n in counts.items() if n >= need} if len(pages) >= 2 else set()


def _edge(n: int) -> int:
    """How many lines at each end of a page of ``n`` lines may be furniture (one on short pages)."""
    return EDGE_LINES if n > 2 * EDGE_LINES + 1 else min(1, n)


def _strip_furniture(lines: list[PageLine], running: set[str], removed: list[str]) -> list[PageLine]:
    body = [ln for ln in lines if ln.text.strip()]
    n = len(body)
    k = _edge(n)
    kept: list[PageLine] = []
    for i, ln in enumerate(body):
        at_edge = i < k or i >= n - k
        if at_edge and (_furniture_key(ln.text) in running or is_page_number(ln.text)):
            removed.append(ln.text.strip())
            continue
        kept.append(ln)
    return kept


def _usual_gap(lines: list[PageLine]) -> float | None:
    gaps = [a.y - b.y for a, b in zip(lines, lines[1:], strict=False)
            if a.y is not None and b.y is not None and a.y > b.y]
    if not gaps:
        return None
    gaps.sort()
    return gaps[len(gaps) // 2]


def _paragraphs(lines: list[PageLine]) -> list[list[str]]:
    """Group a page's lines into paragraphs (lists of lines)."""
    gap = _usual_gap(lines)
    longest = max((len(ln.text.strip()) for ln in lines), default=0)
    paras: list[list[str]] = []
    prev: PageLine | None = None
    for ln in lines:
        t = ln.text.strip()
        new = prev is None or ln.para_break
        if prev is not None and not new:
            p = prev.text.strip()
            if gap and prev.y is not None and ln.y is not None and prev.y - ln.y > gap * PARA_GAP:
                new = True
            elif prev.size and ln.size and abs(prev.size - ln.size) > 0.5:
                new = True
            elif _SENTENCE_END.search(p) and len(p) < longest * SHORT_LINE:
                new = True
        if new:
            paras.append([t])
        else:
            paras[-1].append(t)
        prev = ln
    return paras


def _join_lines(lines: list[str], hyphenated: set[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        m = _HYPHEN_END.search(out)
        cont = _CONTINUES.match(line)
        if m and cont and f"{m.group(1)}-{cont.group(1)}".lower() not in hyphenated:
            out = out[:-1] + line  # a word wrapped at the line end
        elif m and line[:1].isalpha():
            out += line  # a hyphenated compound wrapped at its hyphen
        else:
            out = f"{out} {line}"
    return out


_HYPHENATED = re.compile(r"\b[^\W\d_]+-[^\W\d_]+\b")


def _hyphenated_words(pages: list[list[PageLine]]) -> set[str]:
    """Hyphenated words written inside a line somewhere: their hyphen is real."""
    found: set[str] = set()
    for lines in pages:
        for ln in lines:
            found.update(w.lower() for w in _HYPHENATED.findall(ln.text))
    return found


def assemble(pages: list[list[PageLine]]) -> Assembled:
    """Article text of ``pages`` (lists of lines), with where each page starts."""
    removed: list[str] = []
    running = _running_lines(pages)
    cleaned = [_strip_furniture(lines, running, removed) for lines in pages]
    hyphenated = _hyphenated_words(cleaned)
    parts: list[str] = []
    starts: list[int] = []
    notes: list[str] = []
    length = 0
    open_para = False  # the last paragraph of the previous page did not end a sentence
    for lines in cleaned:
        body = [ln for ln in lines if not ln.footnote]
        notes += [_join_lines(p, hyphenated) for p in _note_groups([ln for ln in lines if ln.footnote])]
        paras = [_join_lines(p, hyphenated) for p in _paragraphs(body)] if body else []
        if open_para and paras and parts and not body[0].para_break and _CONTINUES.match(paras[0]):
            joined = _join_lines([parts[-1], paras[0]], hyphenated)
            starts.append(length - len(parts[-1]) + _page_start_in_join(parts[-1], joined))
            length += len(joined) - len(parts[-1])
            parts[-1] = joined
            paras = paras[1:]
        else:
            starts.append(length + (2 if parts and paras else 0))
        for para in paras:
            if parts:
                length += 2
            parts.append(para)
            length += len(para)
        if paras:
            open_para = not _SENTENCE_END.search(paras[-1])
    body_text = "\n\n".join(parts)
    notes_start = None
    if notes:
        heading = patterns().notes_heading
        notes_start = len(body_text) + 2 if body_text else 0
        body_text = "\n\n".join([p for p in (body_text,) if p] + [heading, *notes])
    return Assembled(body_text, [min(s, len(body_text)) for s in starts], removed, notes_start, len(pages))


def _page_start_in_join(before: str, joined: str) -> int:
    """Where the text of the next page starts within ``joined`` (``before`` + the page's first paragraph)."""
    if joined.startswith(before + " "):
        return len(before) + 1
    if joined.startswith(before):
        return len(before)  # a compound's hyphen kept
    return len(before) - 1  # a hyphen undone: the page starts where the hyphen was


def _note_groups(lines: list[PageLine]) -> list[list[str]]:
    groups: list[list[str]] = []
    for ln in lines:
        if not groups or is_footnote_start(ln.text):
            groups.append([ln.text.strip()])
        else:
            groups[-1].append(ln.text.strip())
    return groups


# --- pages in provenance ---------------------------------------------------------


def _as_mapping(meta: Mapping[str, Any] | str | None) -> Mapping[str, Any] | None:
    if isinstance(meta, str):
        try:
            meta = json.loads(meta)
        except ValueError:
            return None
    return meta if isinstance(meta, Mapping) else None


def page_starts_of(meta: Mapping[str, Any] | str | None) -> list[int] | None:
    """The page starts a document's metadata records (the metadata as a mapping or as JSON text)."""
    meta = _as_mapping(meta)
    if meta is None:
        return None
    starts = meta.get("page_starts")
    if not isinstance(starts, list) or not starts or not all(isinstance(s, int) for s in starts):
        return None
    return starts


def page_of(meta: Mapping[str, Any] | str | None, offset: int | None) -> int | None:
    """The page (1-based) of the character ``offset`` of a paged document's text, or None when the
    document has no pages (web articles, text files) or the offset is unknown."""
    meta = _as_mapping(meta)
    starts = page_starts_of(meta)
    if meta is None or starts is None or offset is None or offset < 0:
        return None
    notes = meta.get("notes_start")
    if isinstance(notes, int) and offset >= notes:
        return None  # the notes block gathers footnotes of all pages
    return max(bisect.bisect_right(starts, offset), 1)


def page_label(meta: Mapping[str, Any] | str | None, offset: int | None) -> str:
    """``"p. N"`` for a span of a paged document, else an empty string."""
    page = page_of(meta, offset)
    return f"p. {page}" if page else ""
