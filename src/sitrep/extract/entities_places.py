"""Entity passes on places: the gazetteer lookup with the kind a text states, and capitals standing
for their state ("Tehran denies")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_state import EntityState, Found, is_common_or_weapon
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
    kind = list_cue(st, span, plural_only=False)
    return kind or phrase_kind(st, span) or kind_of_before(st, span)


def list_cue(st: EntityState, span: Span, plural_only: bool = True) -> str | None:
    """The kind word ending a list the span opens: "Ghazni, Laghman and Parwan Provinces", "Kessel and
    Vale villages".  Past other names only a plural kind word counts: "Kessel, Arcadia State" names
    Kessel's state, not Kessel's kind."""
    lex = st.lex
    doc = st.doc
    k = span.end
    while k < len(doc) and k - span.end < 14:
        tok = doc[k]
        kind = lex.place_kind_for_cue(tok.text)
        if kind:
            if k == span.end:
                return None if plural_only else kind  # right after the name: place_context's own rule
            plural = tok.lower_.endswith("s") and not tok.lower_.endswith("ss")
            return kind if plural else None
        if not (tok.text in {",", "and", "&"} or (tok.is_title and tok.pos_ == "PROPN")):
            break
        k += 1
    return None


def phrase_kind(st: EntityState, span: Span) -> str | None:
    """The kind a lower-case phrase after the span gives it ("Kessel local government area")."""
    doc = st.doc
    for kind, phrases in st.words.place_phrases.items():
        for width in (3, 2):
            words = doc[span.end : span.end + width]
            if len(words) == width and all(t.is_lower for t in words) and words.text in phrases:
                return kind
    return None


def located_by_distance(st: EntityState, span: Span) -> bool:
    """"Kessel, about 30 km north of Arcadia": a distance and a compass direction from another place."""
    doc = st.doc
    k = span.end
    if k >= len(doc) or doc[k].text != ",":
        return False
    words = st.words
    for i in range(k + 1, min(k + 4, len(doc) - 3)):
        if doc[i].like_num and doc[i + 1].lower_ in words.distance_units:
            j = i + 2
            if doc[j].text == "(":  # "30 km (19 miles) north of"
                while j < len(doc) and doc[j].text != ")" and j - i < 8:
                    j += 1
                j += 1
            return j + 1 < len(doc) and doc[j].lower_ in words.compass_words and doc[j + 1].lower_ in {"of", "from"}
    return False


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
    before = kind_of_before(st, span) or list_cue(st, span) or phrase_kind(st, span)
    if before:
        return before, True
    if located_by_distance(st, span):
        return None, True
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
    country = world.country if world is not None else apposed_country(st, span) or st.doc_country or only_country(st)
    return Found(span.start_char, span.end_char, span.text, kind, entity_key(name, kind, country), source, name,
                 guessed=True, country=country, lat=world.lat if world else None,
                 lon=world.lon if world else None, label=label)


def apposed_country(st: EntityState, span: Span) -> str | None:
    """The country of a known place set after an unknown one ("Kessel, Arcadia State", "the Kessel area of
    Arcadia"): the unknown place lies in it."""
    doc = st.doc
    k = span.end
    if k < len(doc) and doc[k].lower_ in st.lex.generic_place_words | st.lex.place_kind_cues.get("district", frozenset()):
        k += 1
    if k + 1 >= len(doc) or doc[k].lower_ not in {",", "of", "in"}:
        return None
    nxt = doc[k + 1]
    if nxt.lower_ == "the" and k + 2 < len(doc):
        nxt = doc[k + 2]
    if not nxt.ent_id_.startswith("place:"):
        return None
    rec = st.gaz.places.get(nxt.ent_id_)
    return rec.country if rec is not None else None


def only_country(st: EntityState) -> str | None:
    """The one country whose places the article names, if it names places of one country only."""
    return next(iter(st.place_countries)) if len(st.place_countries) == 1 else None


def in_world(st: EntityState, span: Span) -> bool:
    """Whether the world gazetteer knows the name as a place of one of the article's countries."""
    return bool(world_places(strip_kind_word(st, span), st.doc_countries))


def strip_kind_word(st: EntityState, span: Span) -> str:
    if len(span) > 1 and st.lex.place_kind_for_cue(span[-1].text):
        return span[:-1].text
    return span.text


_MAX_PLACE_WORDS = 3


def preposition_places(st: EntityState, covered: set[int]) -> list[Found]:
    """Towns the model missed right after a preposition of nearness ("near Kessel", "outside Vale Alto"):
    after "in" a capitalised word the model left alone is as often a month, a language or an outlet, and
    the world gazetteer's towns of the article's countries include such words, so "in" is not enough."""
    doc = st.doc
    words = st.words
    out: list[Found] = []
    for i, tok in enumerate(doc[:-1]):
        if tok.lower_ not in words.near_prepositions:
            continue
        j = i + 1
        while j < len(doc) and j - i <= _MAX_PLACE_WORDS and doc[j].is_title and doc[j].is_alpha \
                and doc[j].idx not in covered and doc[j].ent_type_ in {"", "NORP"} and doc[j].pos_ == "PROPN":
            j += 1
        if j == i + 1 or j < len(doc) and doc[j].is_title and doc[j].is_alpha:
            continue  # no name, or a longer one the model tagged otherwise
        span = doc[i + 1 : j]
        text = span.text
        if any(t.text in st.lex.non_entities or t.text in st.lex.non_person_words or t.text in st.lex.honorifics
               for t in span) or st.gaz.actor(text) or st.gaz.country_of_demonym(text) \
                or is_common_or_weapon(st, text):
            continue
        out.append(guessed_place(st, span, None, "cue", "GPE"))
        covered.update(range(span.start_char, span.end_char))
    return out


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
