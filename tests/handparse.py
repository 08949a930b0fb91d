"""Shared test helpers: extraction contexts over invented names, and parses built by hand.

Rule tests use invented places and groups ("Arcadia", "Red Hand Brigade") so that no article's
wording is tested.  Two ways to get a context:

* :func:`context` parses the text with the model and adds a mention for each invented name found;
* :func:`hand_doc` builds the parse itself (``Doc(vocab, words=..., heads=..., deps=...)``), so that a
  model update cannot change what a rule test means; :func:`context_of_doc` then adds the mentions.

``NAMES`` is the common table (surface -> key, kind, country, parent); a test file may pass its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab

from sitrep.extract.context import ExtractionContext
from sitrep.models import Document, Entity, Mention

Name = tuple[str, str, str | None, str | None]  # key, kind, country (ISO2), parent key


class _Country:
    def __init__(self, place_id: str) -> None:
        self.id = place_id


class StubGazetteer:
    """Just what the rules ask of a gazetteer in rule tests: invented demonyms ("Borealian" -> the
    country's place key), and no place parents."""

    def __init__(self, demonyms: Mapping[str, str] | None = None) -> None:
        self._demonyms = {word.lower(): place for word, place in (demonyms or {}).items()}

    def country_of_demonym(self, word: str) -> _Country | None:
        place = self._demonyms.get(word.lower())
        return _Country(place) if place else None

    def place_by_id(self, place_id: str) -> None:
        return None

NAMES: dict[str, Name] = {
    "Arcadia": ("place:XA", "country", "XA", None),
    "Vale province": ("place:XA-V", "province", "XA", "place:XA"),
    "Vale": ("place:XA-V", "province", "XA", "place:XA"),
    "Port Lumen": ("place:XA-V-lumen", "city", "XA", "place:XA-V"),
    "Dunmore": ("place:XA-V-dunmore", "city", "XA", "place:XA-V"),
    "Kessel": ("place:XA-kessel", "city", "XA", "place:XA"),
    "Red Hand": ("actor:red-hand", "armed_group", None, None),
    "Red Hand Brigade": ("actor:red-hand", "armed_group", None, None),
    "Northern Front": ("actor:northern-front", "armed_group", None, None),
    "Arcadian Armed Forces": ("org:arcadian-army", "organization", "XA", None),
    "Borealia": ("place:XB", "country", "XB", None),
}


def real_gazetteer() -> Any:
    from sitrep.data import load_gazetteer

    return load_gazetteer()


def add_mentions(ctx: ExtractionContext, names: Mapping[str, Name] | None = None) -> ExtractionContext:
    """Add a mention (and its entity) for every invented name in the context's text, longest first."""
    names = NAMES if names is None else names
    text = ctx.document.text
    doc_id = ctx.document.id
    taken: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        key, kind, country, parent = names[name]
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            ctx.mentions.append(Mention(doc_id, m.start(), m.end(), name, kind, key, source_label="test"))
            ctx.entities.setdefault(key, Entity(key=key, name=name, kind=kind, country=country, parent=parent))
    ctx.mentions.sort(key=lambda m: m.start)
    return ctx


def document(text: str, doc_id: str = "t1", published: str | None = "2024-03-10") -> Document:
    return Document(id=doc_id, source="test", raw=text, text=text, content_hash="x", published=published)


def context(nlp: Any, text: str, names: Mapping[str, Name] | None = None, *, doc_id: str = "t1",
            published: str | None = "2024-03-10", gazetteer: Any = None) -> ExtractionContext:
    """A context over the model's parse of ``text`` whose mentions are the invented names found in it."""
    ctx = ExtractionContext(document=document(text, doc_id, published), sdoc=nlp(text),
                            gazetteer=gazetteer if gazetteer is not None else real_gazetteer())
    return add_mentions(ctx, names)


@lru_cache(maxsize=1)
def english_vocab() -> Vocab:
    """A vocabulary with English lexical attributes (``lower_``, ``is_punct``), no model."""
    from spacy.lang.en import English

    return English().vocab


def hand_doc(words: list[str], heads: list[int], deps: list[str], pos: list[str] | None = None,
             lemmas: list[str] | None = None, vocab: Vocab | None = None,
             sent_starts: list[bool] | None = None) -> Doc:
    """A parse built by hand: ``heads`` are absolute token indices (a root is its own head).

    Lemmas default to the lower-cased words, the part of speech to NOUN, one sentence unless
    ``sent_starts`` says otherwise.
    """
    n = len(words)
    if not (len(heads) == len(deps) == n):
        raise ValueError(f"hand_doc: {n} words but {len(heads)} heads and {len(deps)} deps")
    return Doc(vocab or english_vocab(), words=words, heads=heads, deps=deps, pos=pos or ["NOUN"] * n,
               lemmas=lemmas or [w.lower() for w in words],
               sent_starts=sent_starts or [True] + [False] * (n - 1))


def context_of_doc(doc: Doc, names: Mapping[str, Name] | None = None, *, doc_id: str = "t1",
                   published: str | None = "2024-03-10", gazetteer: Any = None) -> ExtractionContext:
    """A context over a hand-built parse, with the invented names as mentions."""
    ctx = ExtractionContext(document=document(doc.text, doc_id, published), sdoc=doc,
                            gazetteer=gazetteer if gazetteer is not None else real_gazetteer())
    return add_mentions(ctx, names)


__all__ = ["NAMES", "Name", "add_mentions", "context", "context_of_doc", "document", "english_vocab", "hand_doc",
           "real_gazetteer"]
