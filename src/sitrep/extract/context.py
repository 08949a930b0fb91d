"""The shared view of one document that every extractor reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.models import Document, Entity, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from sitrep.data import Gazetteer


@dataclass
class SentenceSource:
    """Who speaks in a sentence: the attributed source of the claims it makes."""

    key: str | None  # entity key of the source, None when only named loosely
    text: str  # the source as written
    start: int = -1
    end: int = -1


@dataclass
class ExtractionContext:
    document: Document
    sdoc: Doc  # spaCy parse of document.text
    gazetteer: Gazetteer
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)  # key -> Entity
    # sentence start offset -> source of that sentence (filled by extract.attribution)
    sources: dict[int, SentenceSource] = field(default_factory=dict)

    def sentence_of(self, char: int) -> Span | None:
        for sent in self.sdoc.sents:
            if sent.start_char <= char < sent.end_char:
                return sent
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def entity(self, key: str | None) -> Entity | None:
        return self.entities.get(key) if key else None
