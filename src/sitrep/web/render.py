"""Safe building blocks for the pages: highlighted document text as escaped segments, search snippets.

Article text is untrusted.  Nothing here produces HTML: it produces lists of
plain-text segments that the (autoescaping) templates wrap in elements, so a
``<script>`` in an article can only ever appear as text.
"""

from __future__ import annotations

import re
from typing import Any

from sitrep.store.base import Row

DOC_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def valid_doc_id(doc_id: str) -> bool:
    return bool(DOC_ID.match(doc_id))


def valid_date(value: str | None) -> bool:
    """None, or ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` naming a real date (``2024-13-45`` is not)."""
    from sitrep.extract.dates import is_iso_date

    return value is None or (bool(ISO_DATE.match(value)) and is_iso_date(value))


def highlight_segments(text: str, mentions: list[Row]) -> list[dict[str, Any]]:
    """Split ``text`` into segments; those covered by a mention carry the mention (overlaps: first wins)."""
    segments: list[dict[str, Any]] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = max(0, int(m["start"])), min(len(text), int(m["end"]))
        if start < pos or end <= start:
            continue
        if start > pos:
            segments.append({"text": text[pos:start], "mention": None})
        segments.append({"text": text[start:end], "mention": {
            "entity_id": m["entity_id"], "name": m.get("entity"), "kind": m.get("kind")}})
        pos = end
    if pos < len(text):
        segments.append({"text": text[pos:], "mention": None})
    return segments


def snippet_segments(snippet: str | None) -> list[dict[str, Any]]:
    """An FTS snippet with ``[match]`` markers as segments (``hit`` True inside the markers)."""
    out: list[dict[str, Any]] = []
    for i, part in enumerate(re.split(r"[\[\]]", snippet or "")):
        if part:
            out.append({"text": part, "hit": i % 2 == 1})
    return out
