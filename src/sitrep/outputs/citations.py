"""Numbered citations shared by the briefing renderers.

A citation is one claim (or one mention) in one document: the document id,
title, publisher and date, who says it, and the sentence it came from.  The
same claim cited twice gets the same number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitrep.store.base import Store


@dataclass(slots=True)
class Citation:
    n: int
    doc_id: str
    title: str | None
    publisher: str | None
    published: str | None
    source: str
    sentence: str
    url: str | None = None
    page: int | None = None  # page of a paged document (PDF, Word) the sentence is on


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL, else None (never render ``javascript:`` and friends)."""
    if not url:
        return None
    u = url.strip()
    if u.lower().startswith(("http://", "https://")) and not any(c in u for c in "\"'<> \n\r\t\\"):
        return u
    return None


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class Citations:
    """Hands out footnote numbers; looks up document metadata once per document."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.items: list[Citation] = []
        self._index: dict[tuple[str, str, str], int] = {}
        self._docs: dict[str, dict[str, Any]] = {}

    def document(self, doc_id: str) -> dict[str, Any]:
        if doc_id not in self._docs:
            row = self.store.get_document(doc_id) or {"id": doc_id}
            self._docs[doc_id] = row
        return self._docs[doc_id]

    def add(self, doc_id: str, source: str, sentence: str, page: int | None = None) -> int:
        sentence = one_line(sentence)
        key = (doc_id, source, sentence)
        if key in self._index:
            return self._index[key]
        doc = self.document(doc_id)
        cit = Citation(
            n=len(self.items) + 1,
            doc_id=doc_id,
            title=doc.get("title"),
            publisher=doc.get("publisher"),
            published=doc.get("published"),
            source=source,
            sentence=sentence,
            url=safe_url(doc.get("url")),
            page=page,
        )
        self.items.append(cit)
        self._index[key] = cit.n
        return cit.n

    def claim(self, claim: dict[str, Any]) -> int:
        """Cite a claim as returned by :func:`sitrep.query.facts.claim_view`."""
        return self.add(claim["doc_id"], claim.get("source") or "the article", claim.get("sentence") or "",
                        claim.get("page"))

    def claims(self, claims: list[dict[str, Any]], limit: int = 6) -> list[int]:
        out: list[int] = []
        for c in claims:
            n = self.claim(c)
            if n not in out:
                out.append(n)
            if len(out) >= limit:
                break
        return out
