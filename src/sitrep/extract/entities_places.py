"""Entity passes on places: the gazetteer lookup with the kind a text states, and capitals standing
for their state ("Tehran denies")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_state import EntityState, Found
from sitrep.resolve.geocode import world_places
from sitrep.resolve.linking import entity_key

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.data import PlaceRecord


def lookup_place(st: EntityState, span: Span, kind_hint: str | None = None) -> PlaceRecord | None:
    kind_hint = kind_hint or cue_kind(st, span)
    for name in (span.text, strip_kind_word(st, span)):
        records = st.gaz.place(name, country_hint=st.doc_country, kind_hint=kind_hint)
        if records:
            return records[0]
    return None


def cue_kind(st: EntityState, span: Span) -> str | None:
    """Place kind stated around a span: "Kunduz province", "province of Balkh",
    "Ghazni, Laghman and Parwan Provinces"."""
    lex = st.lex
    last = span[-1]
    kind = lex.place_kind_for_cue(last.text) if len(span) > 1 else None
    if kind:
        return kind
    doc = st.doc
    k = span.end
    while k < len(doc) and k - span.end < 14:
        tok = doc[k]
        kind = lex.place_kind_for_cue(tok.text)
        if kind:
            return kind
        if not (tok.text in {",", "and", "&"} or (tok.is_title and tok.pos_ == "PROPN")):
            break
        k += 1
    return kind_of_before(st, span)


def kind_of_before(st: EntityState, span: Span) -> str | None:
    """Kind named just before a span: "the town of X" -> district, "the province of X" -> province."""
    doc = st.doc
    if span.start < 2 or doc[span.start - 1].lower_ != "of":
        return None
    word = doc[span.start - 2].lower_
    if word in st.lex.province_of_cues:
        return "province"
    return st.lex.place_kind_for_cue(word)


def place_context(st: EntityState, span: Span) -> tuple[str | None, bool | None]:
    """What the words around an unknown name say about it being a place: ``(kind, strong)``.

    Strong: a kind word after it ("X district", "X area", "X village", not "X District Commissioner")
    or before it ("the town of X", "the area of X"), or a slash joining it to a known place
    ("A/B"). Weak: a locative preposition before it ("in X", "near X"). ``(None, None)``: no cue.
    """
    doc = st.doc
    lex = st.lex
    if len(span) > 1 and lex.place_kind_for_cue(span[-1].text):
        return lex.place_kind_for_cue(span[-1].text), True
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and lex.place_kind_for_cue(nxt.text):
        after = doc[span.end + 1] if span.end + 1 < len(doc) else None
        if not (nxt.is_title and after is not None and after.is_title and after.pos_ == "PROPN"):
            return lex.place_kind_for_cue(nxt.text), True
    before = kind_of_before(st, span)
    if before:
        return before, True
    for i in (span.start - 1, span.end):
        if 0 <= i < len(doc) and doc[i].text == "/":
            other = doc[i - 1] if i < span.start else (doc[i + 1] if i + 1 < len(doc) else None)
            if other is not None and other.ent_id_.startswith("place:"):
                return None, True
    k = span.start - 1
    while k >= 0 and doc[k].lower_ in st.words.determiners:
        k -= 1
    if k >= 0 and doc[k].lower_ in st.words.place_prepositions:
        return None, False
    return None, None


def guessed_place(st: EntityState, span: Span, kind: str | None, source: str, label: str) -> Found:
    """An unknown place, its country and coordinates from the world gazetteer when the name is a place
    of one of the article's countries, else of the article's main country."""
    name = strip_kind_word(st, span)
    hits = world_places(name, st.doc_countries)
    world = hits[0] if hits else None
    kind = kind or (world.kind if world is not None else "city")
    country = world.country if world is not None else st.doc_country
    return Found(span.start_char, span.end_char, span.text, kind, entity_key(name, kind, country), source, name,
                 guessed=True, country=country, lat=world.lat if world else None,
                 lon=world.lon if world else None, label=label)


def in_world(st: EntityState, span: Span) -> bool:
    """Whether the world gazetteer knows the name as a place of one of the article's countries."""
    return bool(world_places(strip_kind_word(st, span), st.doc_countries))


def strip_kind_word(st: EntityState, span: Span) -> str:
    if len(span) > 1 and st.lex.place_kind_for_cue(span[-1].text):
        return span[:-1].text
    return span.text


def apply_metonymy(st: EntityState, found: list[Found]) -> None:
    """A capital that speaks or decides ("Tehran denies") stands for its country.

    One sense per document: when a capital is never used as a location
    ("in Kabul") but at least once as its state, all its mentions count as
    the country; otherwise only the clearly metonymic ones do.
    """
    by_capital: dict[str, list[Found]] = {}
    for item in found:
        rec = item.record
        if rec is not None and getattr(rec, "capital_of", None) and item.kind == "city":
            by_capital.setdefault(rec.id, []).append(item)
    for items in by_capital.values():
        meto = [is_metonymic(st, it) for it in items]
        literal = [is_literal(st, it) for it in items]
        if not any(meto):
            continue
        for it, is_meto, is_lit in zip(items, meto, literal, strict=True):
            if is_meto or not any(literal) and not is_lit:
                to_country(st, it)


def to_country(st: EntityState, item: Found) -> None:
    rec = item.record
    iso = getattr(rec, "capital_of", None)
    country = st.gaz.country(iso) if iso else None
    if country is None:
        return
    item.kind, item.key, item.name, item.record = "country", country.id, country.name, country
    item.country, item.source, item.alias = country.country, "metonymy", False


def span_root(st: EntityState, item: Found) -> Token | None:
    span = st.doc.char_span(item.start, item.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def is_metonymic(st: EntityState, item: Found) -> bool:
    root = span_root(st, item)
    if root is None:
        return False
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    head = root.head
    if root.dep_ == "nsubj" and head.lemma_.lower() in st.lex.state_metonymy_verbs:
        return True
    if root.dep_ == "poss" and head.lemma_.lower() in st.lex.state_metonymy_nouns:
        return True
    return root.dep_ == "pobj" and head.lower_ == "by"  # "invited by Tehran", "an invitation by Tehran"


def is_literal(st: EntityState, item: Found) -> bool:
    span = st.doc.char_span(item.start, item.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    prev = st.doc[max(0, span.start - 4) : span.start]
    if st.doc[span.start - 1].lower_ in st.lex.locative_prepositions:
        return True
    return any(t.lower_ == "capital" for t in prev)
