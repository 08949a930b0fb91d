"""The shared view of one document that every extractor reads."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitrep.config import Settings
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
class SourceCue:
    """One reporting cue of a sentence (filled by extract.attribution, read by attribution.source_for).

    ``phrase`` is the speaker's own noun phrase (what describes the speaker is the article's voice);
    ``scope`` the span of what is said (None: the whole sentence except the phrase)."""

    source: SentenceSource | None  # None: the speaker is no one the knowledge base can credit
    phrase: tuple[int, int]
    scope: tuple[int, int] | None = None
    outside: tuple[tuple[int, int], ...] = ()  # spans of the scope that frame the saying ("..., as X")


@dataclass
class ExtractionContext:
    document: Document
    sdoc: Doc  # spaCy parse of document.text
    gazetteer: Gazetteer
    settings: Settings = field(default_factory=Settings)  # the run's settings, given to every extractor
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)  # key -> Entity
    # sentence start offset -> source of that sentence (filled by extract.attribution)
    sources: dict[int, SentenceSource] = field(default_factory=dict)
    # sentence start offset -> its reporting cues (filled by extract.attribution)
    source_cues: dict[int, list[SourceCue]] = field(default_factory=dict)
    # fact lists provided so far, by what they are ("relations", "events" ...): filled by the pipeline
    # as each extractor returns, read by extractors that derive facts from facts (extract.derive)
    facts: dict[str, list[Any]] = field(default_factory=dict)

    _sents: list[Span] | None = field(default=None, init=False, repr=False)
    _sent_starts: list[int] = field(default_factory=list, init=False, repr=False)
    _by_start: tuple[int, list[Mention], list[int]] | None = field(default=None, init=False, repr=False)
    _text: str | None = field(default=None, init=False, repr=False)

    @property
    def text(self) -> str:
        """The parsed text, ``sdoc.text`` (which joins every token each time it is read), built once."""
        if self._text is None:
            self._text = self.sdoc.text
        return self._text

    def sentence_of(self, char: int) -> Span | None:
        """The sentence containing a character offset (binary search)."""
        if self._sents is None:
            self._sents = list(self.sdoc.sents)
            self._sent_starts = [s.start_char for s in self._sents]
        i = bisect_right(self._sent_starts, char) - 1
        if i >= 0 and char < self._sents[i].end_char:
            return self._sents[i]
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions lying inside [start, end), in text order (binary search over an index
        rebuilt whenever mentions were added)."""
        if self._by_start is None or self._by_start[0] != len(self.mentions):
            ordered = sorted(self.mentions, key=lambda m: (m.start, m.end))
            self._by_start = (len(self.mentions), ordered, [m.start for m in ordered])
        _, ordered, starts = self._by_start
        return [m for m in ordered[bisect_left(starts, start):bisect_left(starts, end)] if m.end <= end]

    def mentions_starting_in(self, start: int, end: int) -> list[Mention]:
        """Mentions whose start lies in [start, end), whatever their end, in text order (binary search)."""
        self.mentions_in(start, start)  # (re)builds the index when mentions were added
        assert self._by_start is not None
        _, ordered, starts = self._by_start
        return ordered[bisect_left(starts, start):bisect_left(starts, end)]

    def entity(self, key: str | None) -> Entity | None:
        return self.entities.get(key) if key else None
