"""The one data model every pipeline stage speaks.

    Document  --nlp-->  Mention  --resolve-->  Entity
                           |
                           +--extract-->  Relation / Quantity / Event, each carried by Claims

Every fact is kept as a :class:`Claim`: who says it (``source``), in which
document, at which character span and in which sentence.  Facts that several
documents report are merged in the store by their key (see ``fact_key``), so
corroboration is simply the number of distinct sources/publishers among a
fact's claims.

All classes are plain, picklable dataclasses so that results can travel
between processes (``--workers``) and Dask workers unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from sitrep.data.language import language
from sitrep.data.schema import load_schema, schema

# --- vocabularies -----------------------------------------------------------
# The vocabularies are data: src/sitrep/data/schema.yaml (see sitrep.data.schema).  These names
# are the package schema's values at import time, kept for readers that want a constant;
# code that must follow a schema put in force later (sitrep.data.using_schema) calls schema().

_SCHEMA = load_schema()
ACTOR_KINDS: tuple[str, ...] = tuple(_SCHEMA.actor_kinds)
PLACE_KINDS: tuple[str, ...] = tuple(_SCHEMA.place_kinds)
ENTITY_KINDS: tuple[str, ...] = ACTOR_KINDS + PLACE_KINDS

RELATION_TYPES: tuple[str, ...] = _SCHEMA.relation_types
SYMMETRIC_RELATIONS: frozenset[str] = _SCHEMA.symmetric_relations

Polarity = Literal["asserted", "denied"]
POLARITIES: tuple[str, ...] = _SCHEMA.polarities
MODALITIES: tuple[str, ...] = _SCHEMA.modalities

EVENT_TYPES: tuple[str, ...] = tuple(_SCHEMA.event_types)


def is_place_kind(kind: str) -> bool:
    return schema().is_place_kind(kind)


def standard_modality(word: str | None) -> str | None:
    """A hedge word as the one modality vocabulary of schema.yaml ("allegedly" -> "alleged").

    A value of the vocabulary is kept; a word language.yaml does not know is kept as written.
    """
    if not word:
        return None
    low = word.strip().lower()
    if low in schema().modalities:
        return low
    return language().modality_of(low) or word


def content_hash(text: str) -> str:
    """SHA-256 of the raw text, the identity used for exact de-duplication."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- documents ----------------------------------------------------------------


@dataclass(slots=True)
class Document:
    """One article after ingest: raw text, cleaned text and metadata.

    ``offsets`` maps the cleaned text back to the raw text as a list of
    ``(clean_start, raw_start, length)`` segments, sorted by ``clean_start``:
    each segment is a run of characters copied verbatim from the raw text.
    """

    id: str  # first 16 hex digits of content_hash(raw)
    source: str  # path, URL or JSONL id: the identity of the article across versions
    raw: str
    text: str
    content_hash: str
    format: str = "txt"  # txt | html | jsonl
    title: str | None = None
    published: str | None = None  # ISO YYYY-MM-DD or YYYY-MM
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    offsets: list[tuple[int, int, int]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # furniture lines removed by the cleaner
    near_duplicate_of: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def raw_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a cleaned-text span to the raw text (None when it cannot be mapped)."""
        from sitrep.ingest.offsets import clean_to_raw

        return clean_to_raw(self.offsets, start, end)


# --- entities and mentions ---------------------------------------------------


@dataclass(slots=True)
class Entity:
    """A real-world actor or place, one per thing across all its spellings.

    ``key`` is a stable identifier: the gazetteer id (``actor:taliban``,
    ``place:AF``) when the entity is known, else a normalised-name key built by
    :func:`sitrep.resolve.linking.entity_key`.
    """

    key: str
    name: str
    kind: str  # one of ENTITY_KINDS
    aliases: list[str] = field(default_factory=list)
    gazetteer_id: str | None = None
    parent: str | None = None  # key of the parent group / admin parent
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    guessed: bool = False  # kind guessed from cues rather than known from the gazetteer
    id: int | None = None  # store row id once saved

    @property
    def is_place(self) -> bool:
        return is_place_kind(self.kind)


@dataclass(slots=True)
class Mention:
    """A span of a document's cleaned text that names an entity."""

    doc_id: str
    start: int
    end: int
    text: str
    label: str  # the entity kind guessed for this span
    entity_key: str
    sent_start: int = 0
    sent_end: int = 0
    source_label: str = ""  # "ruler", "ner", "cue", "coref" ...: how it was found


# --- facts and claims ----------------------------------------------------------


@dataclass(slots=True)
class Claim:
    """Provenance of one fact in one document: who says it, and where."""

    doc_id: str
    start: int  # span of the evidence in the cleaned text
    end: int
    sent_start: int
    sent_end: int
    snippet: str  # the sentence it came from
    polarity: str = "asserted"  # one of schema().polarities: asserted | denied
    modality: str | None = None  # one of schema().modalities ("alleged", "believed" ...); None = stated plainly
    source_key: str | None = None  # entity key of the speaker / report; None = the outlet itself
    source_text: str | None = None  # the source as written ("the UN report", "Massoud")
    extractor: str | None = None  # "name@version" of the registered extractor that made the fact

    def __post_init__(self) -> None:
        # one modality vocabulary whatever the extractor: a hedge word becomes its modality
        self.modality = standard_modality(self.modality)


@dataclass(slots=True)
class Relation:
    subject_key: str
    type: str  # a relation type of schema.yaml (schema().relation_types)
    object_key: str
    claim: Claim
    cue: str = ""  # the word or frame that triggered it, for reading errors

    def fact_key(self) -> str:
        s, o = schema().canonical_pair(self.subject_key, self.type, self.object_key)
        return f"{s}|{self.type}|{o}"


@dataclass(slots=True)
class Quantity:
    subject_key: str  # actor or place it is about
    what: str  # what is counted: "fighters", "training camps", ...
    low: float | None
    high: float | None  # None for an open upper bound ("more than 20")
    claim: Claim
    qualifier: str | None = None  # "about", "more than", "up to", "between" ...
    text: str = ""  # the number phrase as written

    def fact_key(self) -> str:
        return f"{self.subject_key}|{self.what}"


@dataclass(slots=True)
class Event:
    type: str  # an ACLED event type of schema.yaml (schema().event_types)
    sub_type: str | None
    claim: Claim
    location_key: str | None = None
    date: str | None = None  # ISO date of the event, resolved; None when unknown
    date_text: str | None = None  # the date phrase as written ("last week")
    killed: int | None = None
    killed_min: bool = False  # "killing hundreds", "at least": a lower bound
    wounded: int | None = None
    perpetrator_key: str | None = None
    target_key: str | None = None
    target_text: str | None = None
    trigger: str = ""  # the word that triggered it ("suicide attack")

    def fact_key(self) -> str:
        return f"{self.type}|{self.sub_type or ''}|{self.location_key or ''}|{self.date or ''}|{self.perpetrator_key or ''}"


@dataclass(slots=True)
class DocResult:
    """Everything the pipeline found in one document, ready for one store transaction."""

    document: Document
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def check_schema(self) -> list[str]:
        """Drop the facts the schema in force does not allow; one line per dropped fact.

        A relation needs a relation type of schema.yaml whose subject and object kinds admit
        its entities' kinds; an event an ACLED type of it (a sub-type outside that type's list is
        kept with a warning); every claim a known polarity.  The store calls this before writing,
        so no relation or event type outside the schema is stored.
        """
        s = schema()
        kinds = {e.key: e.kind for e in self.entities}
        problems: list[str] = []

        def bad_claim(claim: Claim) -> str | None:
            return None if claim.polarity in s.polarities else f"unknown polarity {claim.polarity!r}"

        kept_relations: list[Relation] = []
        for r in self.relations:
            spec = s.relation(r.type)
            if spec is None:
                why: str | None = s.problems(r.type)
            elif not spec.allows(kinds.get(r.subject_key), kinds.get(r.object_key)):
                why = (f"{r.type} does not join a subject of kind {kinds.get(r.subject_key)} to an object of "
                       f"kind {kinds.get(r.object_key)} ({s.source})")
            else:
                why = bad_claim(r.claim)
            if why:
                problems.append(f"relation {r.subject_key} {r.type} {r.object_key} not stored: {why}")
            else:
                kept_relations.append(r)
        kept_events: list[Event] = []
        for ev in self.events:
            why = None if s.is_event_type(ev.type) else f"event type {ev.type!r} is not in {s.source}"
            why = why or bad_claim(ev.claim)
            if not why and ev.sub_type and not s.is_event_type(ev.type, ev.sub_type):
                problems.append(f"event sub-type {ev.sub_type!r} is not one of {ev.type!r} in {s.source} (kept)")
            if why:
                problems.append(f"event not stored: {why}")
            else:
                kept_events.append(ev)
        kept_quantities: list[Quantity] = []
        for q in self.quantities:
            why = bad_claim(q.claim)
            if why:
                problems.append(f"quantity {q.subject_key} {q.what} not stored: {why}")
            else:
                kept_quantities.append(q)
        self.relations, self.events, self.quantities = kept_relations, kept_events, kept_quantities
        return problems
