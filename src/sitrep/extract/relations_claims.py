"""The one place a relation's :class:`~sitrep.models.Claim` is built: its span, sentence and source.

Who says so is :func:`sitrep.extract.attribution.source_for`'s answer for the claim's span (the
article's own voice when it has none), unless the caller names the source (a denier).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.attribution import source_for
from sitrep.models import Claim

if TYPE_CHECKING:
    from sitrep.extract.context import ExtractionContext, SentenceSource


def make_claim(ctx: ExtractionContext, start: int, end: int, polarity: str, *, modality: str | None = None,
               source: SentenceSource | None = None, own_voice: bool = False,
               credit_span: tuple[int, int] | None = None) -> Claim:
    """A claim over chars [start, end) of the document, in the sentence that holds ``start``.

    ``source`` credits it to a given speaker; ``own_voice`` to the article itself; otherwise the
    attribution extractor's answer for ``credit_span`` (default: the claim's own span)."""
    sent = ctx.sentence_of(start)
    s_start, s_end = (sent.start_char, sent.end_char) if sent is not None else (start, end)
    start, end = max(start, s_start), min(max(end, start + 1), s_end)
    if source is None and not own_voice:
        source = source_for(ctx, *(credit_span or (start, end)))
    return Claim(
        doc_id=ctx.document.id,
        start=start,
        end=end,
        sent_start=s_start,
        sent_end=s_end,
        snippet=ctx.document.text[s_start:s_end].strip(),
        polarity=polarity,
        modality=modality,
        source_key=source.key if source else None,
        source_text=source.text if source else None,
    )


__all__ = ["make_claim"]
