"""Entity pass over spaCy's entities: each ORG/PERSON/GPE/LOC/FAC/NORP span is cleaned and resolved to
a known actor or place, a guessed one, or nothing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from spacy.tokens import Span

from sitrep.extract.entities_forces import counted_people, force_branch, modifies_a_thing
from sitrep.extract.entities_gov import administration, capital_government, government
from sitrep.extract.entities_places import (
    cue_kind,
    guessed_place,
    in_world,
    kind_of_before,
    lookup_place,
    place_context,
)
from sitrep.extract.entities_state import (
    EntityState,
    Found,
    before_known,
    distinctive,
    has_cue,
    in_byline,
    in_shouting_line,
    junk,
    next_token,
    trim,
    trusted_in_shouting,
)
from sitrep.resolve.linking import entity_key, strip_honorifics

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from sitrep.data import ActorRecord

_HAS_DIGIT = re.compile(r"\d")


def resolve_ent(st: EntityState, ent: Span) -> Found | None:
    label = ent.label_
    if label not in {"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"}:
        return None
    source = "ruler" if ent.id_ else "ner"
    if in_shouting_line(st, ent) and not trusted_in_shouting(ent):
        return None
    if label == "NORP":
        return government(st, ent)
    span = trim(st, ent)
    if span is None:
        return None
    kunya = kunya_name(st, span)
    if kunya is not None:
        return kunya
    if ent.id_.startswith("place:") and hyphen_glued(st, span):
        return None  # "Lashkar-i-Kessel": the place name is the end of a compound name
    text = span.text
    if len(text) > st.settings.max_name_chars:
        return None
    if ent.id_.startswith("actor:"):
        record = st.gaz.actor_by_id(ent.id_)
        if record is not None:
            if counted_people(st, span) or force_branch(st, span[-1].text) and span[-1].is_lower \
                    and modifies_a_thing(st, span[-1]):
                return None  # "28 Arcadian soldiers", "the Arcadian military withdrawal" (not "Kessel Army rebels")
            if not foreign_generic_alias(st, span, record):
                return actor_found(st, span, record, source, label)
            return organization(st, span, "ner", known=False)
    if ent.id_.startswith("place:") or label in {"GPE", "LOC", "FAC"}:
        return place_or_other(st, span, source, label)
    if label == "ORG" and not ent.id_ and topic_before_title(st, span):
        return None  # "Interior Minister Kessel": the ministry's topic word of a title, not a name
    if label == "PERSON":
        if not ent.id_ and in_byline(st, span):
            return None  # the article's own author ("By Jane Roe, Kessel"), not an actor it speaks of
        return person(st, span, source)
    return organization(st, span, source)


def topic_before_title(st: EntityState, span: Span) -> bool:
    """Whether a span is only a ministry's topic words ("Interior", "Foreign") right before a title word."""
    nxt = next_token(st, span)
    if nxt is None or nxt.text.rstrip(".") not in st.lex.honorifics:
        return False
    return all(t.lower_ in st.words.ministry_topic_words for t in span)


def foreign_generic_alias(st: EntityState, span: Span, record: ActorRecord) -> bool:
    """A known group matched by a name of generic words only ("National Liberation Army") in an article
    that names none of the group's country's places: the name is ambiguous there, so it does not link."""
    if not record.country or record.country in st.place_countries or not st.place_countries:
        return False
    words = [t.text for t in span if t.is_alpha]
    generic = st.lex.generic_name_words | st.words.descriptive_words
    return bool(words) and all(w in generic or w.lower() in st.words.minor_words for w in words)


def widen_known_tails(st: EntityState) -> None:
    """"Kessel National Liberation Army": capitalised name words right before a known group's name make a
    longer name, another group's (a name that ends like a known group's name is not that group)."""
    doc = st.doc
    ents = list(st.ents)
    out: list[Span] = []
    for ent in ents:
        if not ent.id_.startswith("actor:") or in_shouting_line(st, ent):
            out.append(ent)
            continue
        j = ent.start
        while j > 0 and _name_head_word(st, doc[j - 1]):
            j -= 1
        while j < ent.start and _opens_sentence(doc, j):
            j += 1  # "Internal Taliban divisions ...": a capitalised first word proves nothing
        if j == ent.start:
            out.append(ent)
            continue
        while out and out[-1].end > j:
            out.pop()  # the model's own cut of the longer name ("The Kessel")
        out.append(Span(doc, j, ent.end, label="ORG"))
    st.ents = _split_lists(_titled_names(st, _join_of_name(st, _named_after_place(st, _join_of_place(st, out)))))


def _split_lists(ents: list[Span]) -> list[Span]:
    """"Kessel, Vale and Alto": a place span the model ran over a list (commas, "and") is one span per
    name; each part keeps the model's label."""
    out: list[Span] = []
    for ent in ents:
        if ent.label_ not in {"GPE", "LOC"} or ent.id_ or not any(t.text == "," for t in ent):
            out.append(ent)
            continue
        doc = ent.doc
        start = ent.start
        for k in range(ent.start, ent.end + 1):
            if k == ent.end or doc[k].text == "," or doc[k].lower_ in {"and", "&"}:
                if k > start and all(t.is_title or t.is_punct for t in doc[start:k]):
                    out.append(Span(doc, start, k, label=ent.label_))
                start = k + 1
    return out


_MAX_TITLED_NAME = 4


def _titled_names(st: EntityState, ents: list[Span]) -> list[Span]:
    """"Minister Salif Korane": two or more capitalised name words right after a title are a person's name,
    even when the first is also a place the ruler matched ("Salif") or the model cut the name short.  A
    single word after a title ("General Kessel") and a known actor's name are left as they are."""
    doc = st.doc
    titles = st.lex.honorifics
    by_start = {e.start: e for e in ents}
    out: list[Span] = []
    skip_to = -1
    for ent in ents:
        if ent.start < skip_to:
            continue
        prev = doc[ent.start - 1] if ent.start > 0 else None
        if prev is None or ent.label_ not in {"PERSON", "GPE", "LOC", "ORG"} or ent.id_.startswith("actor:") \
                or prev.text.rstrip(".") not in titles or not prev.text[:1].isupper():
            out.append(ent)
            continue
        k = ent.start
        while k < len(doc) and k - ent.start < _MAX_TITLED_NAME and doc[k].is_title and doc[k].is_alpha \
                and doc[k].pos_ == "PROPN" and not (k > ent.start and k in by_start and by_start[k].id_.startswith("actor:")):
            k += 1
        run = doc[ent.start:k]
        if k - ent.start < 2 or k < ent.end or st.gaz.place(run.text) or st.gaz.actor(run.text) \
                or has_cue(st, run, st.lex.organization_cues | st.lex.armed_group_cues | st.lex.state_force_heads):
            out.append(ent)
            continue
        out.append(Span(doc, ent.start, k, label="PERSON"))
        skip_to = k
    return out


def _join_of_name(st: EntityState, ents: list[Span]) -> list[Span]:
    """"the Shura Council" + "of Kessel": an unknown organisation's name the model cut before "of" and a
    capitalised name after it (not a known actor, not another entity the model found) is one name."""
    doc = st.doc
    cues = st.lex.organization_cues | st.lex.armed_group_cues
    starts = {e.start: e for e in ents}
    out: list[Span] = []
    for ent in ents:
        end = ent.end
        if ent.label_ != "ORG" or ent.id_ or end + 1 >= len(doc) or doc[end].lower_ != "of" \
                or doc[end - 1].text not in cues:
            out.append(ent)
            continue
        k = end + 1
        while k < len(doc) and k - end <= 3 and doc[k].is_title and doc[k].is_alpha and doc[k].pos_ == "PROPN" \
                and (k not in starts or k == end + 1 and not starts[k].id_.startswith("actor:")) \
                and doc[k].text not in st.lex.generic_name_words:
            k += 1
        other = starts.get(end + 1)
        if k == end + 1 or other is not None and other.end > k:
            out.append(ent)
            continue
        out.append(Span(doc, ent.start, k, label="ORG"))
    return _without_covered(out)


def _without_covered(ents: list[Span]) -> list[Span]:
    """Drop the spans a widened span before them now covers."""
    out: list[Span] = []
    for ent in ents:
        if out and ent.start < out[-1].end:
            continue
        out.append(ent)
    return out


def _named_after_place(st: EntityState, ents: list[Span]) -> list[Span]:
    """"Kessel Resistance Committee", "Kessel Liberation Front": capitalised words after a known place,
    ending in an organisation or armed-group cue, name a body named after the place (the ruler's place
    match had replaced the model's longer name).  A place's own forces ("Kessel Police", "Kessel Security
    Forces") are left to the forces pass."""
    doc = st.doc
    starts = {e.start for e in ents}
    out: list[Span] = []
    for ent in ents:
        if not ent.id_.startswith("place:"):
            out.append(ent)
            continue
        k = ent.end
        while k < len(doc) and k - ent.end < 6 and k not in starts and (doc[k].is_title and doc[k].is_alpha or
                                                                          _inner_hyphen(doc, k)):
            k += 1
        last = doc[k - 1]
        between = [t for t in doc[ent.end : k - 1] if t.is_alpha]
        country = len(ent.id_) == len("place:XX")  # a country's forces are the forces pass's, whatever words
        own_words = not country and any(t.lower_ not in st.words.force_modifiers for t in between)
        if k > ent.end and (last.text in st.lex.organization_cues or last.text in st.lex.armed_group_cues) \
                and (force_branch(st, last.text) is None or own_words):
            out.append(Span(doc, ent.start, k, label="ORG"))  # "Kessel Liberation Army", not "Kessel Police"
        else:
            out.append(ent)
    return out


def _inner_hyphen(doc: Doc, k: int) -> bool:
    """A hyphen glued between two capitalised words ("Self-Defence")."""
    tok = doc[k]
    return tok.text == "-" and not tok.whitespace_ and 0 < k < len(doc) - 1 and doc[k + 1].is_title \
        and not doc[k - 1].whitespace_


def _join_of_place(st: EntityState, ents: list[Span]) -> list[Span]:
    """"the Armed Forces of" + "the Kessel Republic": an organisation cut by a place name after "of"
    ("Armed Forces of X", "Ministry of Defence of X") is one name, the organisation's."""
    doc = st.doc
    out: list[Span] = []
    for ent in ents:
        prev = out[-1] if out else None
        if prev is not None and prev.label_ == "ORG" and not prev.id_ and doc[prev.end - 1].lower_ == "of" \
                and ent.start == prev.end and ent.id_.startswith("place:"):
            out[-1] = Span(doc, prev.start, ent.end, label="ORG")
            continue
        out.append(ent)
    return out


_NAME_WORD = re.compile(r"[A-Z][a-z\u00df-\u00ff]+(?:['\u2019-][A-Za-z\u00df-\u00ff]+)*")


def _opens_sentence(doc: Doc, i: int) -> bool:
    """Whether only punctuation stands between token ``i`` and the start of its sentence."""
    k = i
    while k > 0 and not doc[k].is_sent_start and doc[k - 1].is_punct:
        k -= 1
    return doc[k].is_sent_start or k == 0


def _name_head_word(st: EntityState, tok: Token) -> bool:
    """A capitalised word ("Kessel", "Ta'kessel") that can open a group's name; not a glued artefact."""
    text = tok.text
    if not _NAME_WORD.fullmatch(text) or tok.ent_id_ or tok.pos_ != "PROPN" or tok.ent_type_ == "PERSON":
        return False
    if text in st.lex.generic_name_words or text in st.lex.non_entities or text.rstrip(".") in st.lex.honorifics:
        return False
    return st.gaz.country_of_demonym(text) is None and st.gaz.country(text) is None


def hyphen_glued(st: EntityState, span: Span) -> bool:
    """Whether a span is joined by a hyphen, without spaces, to the word before it."""
    doc = st.doc
    if span.start < 2 or doc[span.start - 1].text != "-":
        return False
    dash = doc[span.start - 1]
    return dash.idx + 1 == span.start_char and doc[span.start - 2].idx + len(doc[span.start - 2].text) == dash.idx


def kunya_name(st: EntityState, span: Span) -> Found | None:
    """"Abu Kessel": a name after a kunya particle ("Abu", "Umm", "Bin") is part of a person's name,
    even when it is also a place or a group ("Abu" + the town "Kessel")."""
    if span.start == 0 or len(span) > 3:
        return None
    prev = st.doc[span.start - 1]
    if prev.text not in st.words.kunya_particles or st.text[prev.idx + len(prev.text):span.start_char] != " ":
        return None
    text = st.text[prev.idx:span.end_char]
    return Found(prev.idx, span.end_char, text, "person", entity_key(text, "person"), "cue", text,
                 guessed=True, label="PERSON")


def actor_found(st: EntityState, span: Span, record: ActorRecord, source: str, label: str) -> Found:
    return Found(span.start_char, span.end_char, span.text, record.kind, record.id, source,
                  record.name, record=record, country=record.country, label=label)


def place_or_other(st: EntityState, span: Span, source: str, label: str) -> Found | None:
    text = span.text
    gov = capital_government(st, span)
    if gov is not None:
        return gov
    nxt = next_token(st, span)
    if nxt is not None and nxt.text in st.lex.non_place_followers:
        return None  # "the Doha Agreement" names an agreement, not a place
    place = lookup_place(st, span)
    if place is not None:
        return Found(span.start_char, span.end_char, text, place.kind, place.id, source, place.name,
                      record=place, country=place.country, label=label)
    actor = st.gaz.actor(text)
    if actor is not None:
        return actor_found(st, span, actor, source, label)
    if label == "FAC":
        return as_place(st, span, source, label)  # "near Vale Vale": a named site the model calls FAC
    if junk(st, text) or st.gaz.country_of_demonym(text):
        return None
    if not all(t.is_title or t.is_upper or t.lower_ in st.lex.name_particles or t.is_punct for t in span):
        return None
    kind = cue_kind(st, span)
    if kind is None and not any(t.pos_ == "PROPN" for t in span) and not in_world(st, span):
        return None  # a common noun the model took for a place ("Airport", "Disarray")
    return guessed_place(st, span, kind or ("city" if label == "GPE" else "region"), source, label)


def as_place(st: EntityState, span: Span, source: str, label: str) -> Found | None:
    """An unknown PERSON/ORG span that its context or the world gazetteer says is a place:
    "Babbar Kach area", "the village of X", "in X" for a town of the article's country."""
    if has_cue(st, span, st.lex.organization_cues | st.lex.armed_group_cues) or st.gaz.actor(span.text):
        return None
    kind, strong = place_context(st, span)
    if strong is None:
        return None
    if strong or in_world(st, span) or (label != "PERSON" and any(t.pos_ == "PROPN" for t in span)):
        return guessed_place(st, span, kind, source, "GPE")
    return None


def person(st: EntityState, span: Span, source: str) -> Found | None:
    place = lookup_place(st, span)
    if place is not None and st.gaz.actor(span.text) is None:
        return Found(span.start_char, span.end_char, span.text, place.kind, place.id, source, place.name,
                      record=place, country=place.country, label="PERSON")
    actor = st.gaz.actor(span.text)
    if actor is not None:
        return actor_found(st, span, actor, source, "PERSON")
    admin = administration(st, span)
    if admin is not None:
        return admin
    place = as_place(st, span, source, "PERSON")
    if place is not None:
        return place
    span = strip_nationality(st, span)
    if span is None or junk(st, span.text) or not_a_person(st, span):
        return None
    if has_cue(st, span, st.lex.organization_cues) and len(span) > 1:
        return organization(st, span, source)
    if len(span) > 1 and (span[0].text in st.lex.armed_group_prefixes or span[-1].text in st.lex.armed_group_cues):
        return organization(st, span, source)  # "Lashkar-e-Islam", "Jund al-Aqsa Front"
    name, title = strip_honorifics(span.text)
    if not name or junk(st, name):
        return None
    aliases = [span.text] if title else []
    return Found(span.start_char, span.end_char, span.text, "person", entity_key(name, "person"), source,
                  name, guessed=True, extra_aliases=aliases, label="PERSON")


def organization(st: EntityState, span: Span, source: str, known: bool = True) -> Found | None:
    text = span.text
    actor = st.gaz.actor(text) if known else None
    if actor is not None:
        return actor_found(st, span, actor, source, "ORG")
    nxt = next_token(st, span)
    kind_after = st.lex.place_kind_for_cue(nxt.text) if nxt is not None else None
    if kind_of_before(st, span) or kind_after in {"province", "district"}:
        return place_or_other(st, span, source, "GPE")  # "the town of Bulo Burte", "Andarab district"
    place = lookup_place(st, span)
    if place is not None:
        return Found(span.start_char, span.end_char, text, place.kind, place.id, source, place.name,
                      record=place, country=place.country, label="ORG")
    if junk(st, text) or st.gaz.country_of_demonym(text):
        return None
    place = as_place(st, span, source, "ORG")
    if place is not None:
        return place
    if len(span) == 3 and st.gaz.country_of_demonym(span[0].text) and looks_like_person(st, span[1:]) \
            and all(distinctive(st, t) for t in span[1:]):
        return person(st, span, source)  # "Arcadian Ana Roe": a nationality before a person's name
    if not any(distinctive(st, t) or t.is_upper and len(t) > 1 for t in span) and not state_named(st, span):
        return None  # "National Army", "Security Forces": descriptions, not names
    if len(span) == 1 and before_known(st, span):
        return None  # "Free" cut off by a known name ("Free" + "Kashmir")
    if after_speech_verb(st, span) and looks_like_person(st, span):
        return Found(span.start_char, span.end_char, text, "person", entity_key(text, "person"), "cue",
                      text, guessed=True, label="ORG")
    group = has_cue(st, span, st.lex.armed_group_cues) and span[-1].text not in st.lex.organization_cues \
        or armed_compound_head(st, span)
    kind = "armed_group" if group else "organization"  # the head decides: "Resistance Committee" is no group
    if kind == "armed_group" and state_force(st, span):
        kind = "organization"  # "Somali National Army": a state's forces
    return Found(span.start_char, span.end_char, text, kind, entity_key(text, kind), source, text,
                  guessed=True, label="ORG")


def armed_compound_head(st: EntityState, span: Span) -> bool:
    """"the Kessel Military Council": a two-word head that makes a name an armed group although its last word
    is an organisation cue; the heads are words, so the name's own words must say whose it is."""
    text = f" {span.text} "
    return any(f" {head} " in text for head in st.words.armed_compound_heads)


def strip_nationality(st: EntityState, span: Span) -> Span | None:
    """Peel nationality adjectives, determiners and generic words ("Local", "Regional") off a name."""
    while len(span) > 1 and (st.gaz.country_of_demonym(span[0].text) or span[0].lower_ in st.words.determiners
                             or span[0].text in st.lex.generic_name_words):
        span = span[1:]
    if len(span) == 1 and st.gaz.country_of_demonym(span.text):
        return None
    return span


def not_a_person(st: EntityState, span: Span) -> bool:
    words = [t.text for t in span if not t.is_punct]
    if not words or all(w in st.lex.non_person_words or w in st.lex.non_entities for w in words):
        return True
    return any(_HAS_DIGIT.search(w) for w in words)


def state_named(st: EntityState, span: Span) -> bool:
    """A full institutional name led by a nationality ("Somali National Army", "Iraqi Security Forces")."""
    if len(span) < 3 or not all(t.is_title or t.lower_ in {"of", "and", "the"} for t in span):
        return False
    if st.gaz.country_of_demonym(span[0].text) or st.gaz.country(span[0].text):
        return True
    text = span.text  # "Armed Forces of the Kessel Republic": named after the state it serves
    head, of, state = text.partition(" of ")
    return bool(of) and force_branch(st, head.split()[-1]) is not None \
        and st.gaz.country(state.removeprefix("the ")) is not None


def state_force(st: EntityState, span: Span) -> bool:
    first = span[0].text
    named_for_state = bool(st.gaz.country_of_demonym(first) or st.gaz.country(first))
    return named_for_state and span[-1].text in st.lex.state_force_heads


def looks_like_person(st: EntityState, span: Span) -> bool:
    if len(span) > 3 or has_cue(st, span, st.lex.organization_cues | st.lex.armed_group_cues):
        return False
    return all(t.is_title or t.text == "-" for t in span)


def after_speech_verb(st: EntityState, span: Span) -> bool:
    if span.start == 0:
        return False
    prev = st.doc[span.start - 1]
    if prev.is_punct and span.start >= 2:
        prev = st.doc[span.start - 2]
    return prev.lemma_.lower() in st.words.speech_lemmas
