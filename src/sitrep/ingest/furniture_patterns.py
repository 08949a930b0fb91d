"""Furniture patterns: ``sitrep/data/furniture.yaml`` read, checked and compiled once.

The cleaner (:mod:`sitrep.ingest.clean`) tests lines against these patterns; the file's keys are
described at its top. An unknown key or a bad pattern raises
:class:`~sitrep.data.loader.DataFileError` naming the file, the line and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sitrep.data.loader import Node, Record, list_of, read_yaml, word_list
from sitrep.data.loader import text as text_value

FURNITURE_FILE = "furniture.yaml"


@dataclass(frozen=True, slots=True)
class FurniturePatterns:
    full: tuple[tuple[str, re.Pattern[str]], ...]
    search: tuple[tuple[str, re.Pattern[str]], ...]
    end_markers: tuple[re.Pattern[str], ...]
    language_menu: re.Pattern[str] | None  # a line made only of language names
    credit: re.Pattern[str] | None  # a credit or sign-off line of the story
    tail_markers: tuple[re.Pattern[str], ...] = ()  # "About <organisation>": closing boilerplate follows
    outlet: re.Pattern[str] | None = None  # the last word of an outlet's name ("... Dispatch", "... Monitor")
    outlet_words: frozenset[str] = frozenset()  # those words, case-folded
    letterhead_words: frozenset[str] = frozenset()  # words ending (or opening) an organisation's name, case-folded
    date_label: re.Pattern[str] | None = None  # "Published", "Issued:", "As of" opening a line: the article's date
    contact_label: re.Pattern[str] | None = None  # "Media contact:", "For further information" opening a line


def _regex(node: Node) -> re.Pattern[str]:
    try:
        return re.compile(text_value(node), re.I)
    except re.error as err:
        raise node.fail(f"bad regular expression: {err}") from None


def _regex_groups(node: Node) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if not isinstance(node.value, dict):
        raise node.fail(f"expected a mapping of reason -> patterns, got {type(node.value).__name__}")
    out: list[tuple[str, re.Pattern[str]]] = []
    for reason, value in node.value.items():
        items = value.value if isinstance(value.value, list) else [value]
        out.extend((reason, _regex(item)) for item in items)
    return tuple(out)


def _language_menu(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    name = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True))
    return re.compile(rf"(?:{name})(?:[\s|/·•,;-]+(?:{name}))+", re.I)


_SPEC = Record(optional={
    "end_markers": list_of(_regex),
    "full": _regex_groups,
    "search": _regex_groups,
    "language_names": word_list,
    "credit_words": list_of(_regex),
    "tail_markers": list_of(_regex),
    "outlet_words": word_list,
    "letterhead_words": word_list,
    "date_labels": list_of(_regex),
    "contact_labels": list_of(_regex),
})


def _alternation(items: list[re.Pattern[str]], suffix: str = "") -> re.Pattern[str] | None:
    """One pattern matching any of ``items`` at the start of a line, then ``suffix``."""
    if not items:
        return None
    return re.compile(r"(?:" + "|".join(p.pattern for p in items) + r")" + suffix, re.I)


@cache
def patterns() -> FurniturePatterns:
    """Furniture patterns from ``sitrep/data/furniture.yaml``, validated and compiled once."""
    return load_patterns()


def load_patterns(directory: Path | None = None) -> FurniturePatterns:
    """Read and check ``furniture.yaml`` (from ``directory`` when given); a bad key or pattern raises
    :class:`~sitrep.data.loader.DataFileError` naming the file, the line and the key."""
    data = _SPEC(read_yaml(FURNITURE_FILE, directory))
    credit = data.get("credit_words") or []
    return FurniturePatterns(
        full=data.get("full", ()),
        search=data.get("search", ()),
        end_markers=tuple(data.get("end_markers", ())),
        language_menu=_language_menu(tuple(data.get("language_names", ()))),
        credit=re.compile(r"\b(?:" + "|".join(p.pattern for p in credit) + r")\b", re.I) if credit else None,
        tail_markers=tuple(data.get("tail_markers", ())),
        outlet=_outlet_words(tuple(data.get("outlet_words", ()))),
        outlet_words=frozenset(w.casefold() for w in data.get("outlet_words", ())),
        letterhead_words=frozenset(w.casefold() for w in data.get("letterhead_words", ())),
        date_label=_alternation(data.get("date_labels") or [], r"\b"),
        contact_label=_alternation(data.get("contact_labels") or [], r"\b"),
    )


def _outlet_words(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    return re.compile(r"(?:\S+\s){1,4}(?:" + "|".join(re.escape(w) for w in words) + ")", re.I)
