"""Entity passes on cue words: unknown names the model missed but a cue announces ("... Brigades",
"X Province", "Lashkar-e-...", "Col. <name>")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_places import guessed_place, lookup_place
from sitrep.extract.entities_state import PARTICLE_JOINED, EntityState, Found, distinctive, name_word
from sitrep.resolve.linking import entity_key

if TYPE_CHECKING:
    from spacy.tokens import Span


def cue_spans(st: EntityState, covered: set[int]) -> list[Found]:
    """Unknown "<Capitalised words> Brigades/Front/Province" names the model missed."""
    out: list[Found] = []
    group_cues = st.lex.armed_group_cues
    place_cues = {w for kind in ("province", "district") for w in st.lex.place_kind_cues.get(kind, ())}
    doc = st.doc
    i = 0
    while i < len(doc):
        tok = doc[i]
        nxt_name = i + 1 < len(doc) and name_word(st, doc[i + 1])
        cue_group = tok.text in group_cues and tok.is_title and not nxt_name
        # "Kessel District", "Kessel area" (not "District Governor": a title)
        cue_place = tok.text.lower() in place_cues and (tok.is_title or tok.is_lower) and not nxt_name
        if not (cue_group or cue_place) or tok.idx in covered:
            i += 1
            continue
        j = i
        while j > max(0, i - 8) and name_word(st, doc[j - 1]) and doc[j - 1].idx not in covered:
            j -= 1
        while j < i and doc[j].lower_ in st.lex.name_particles and doc[j].whitespace_:
            j += 1  # "al Kessel" -> "Kessel", but "Al-Kessel" keeps its article
        content = [t for t in doc[j:i] if distinctive(st, t) and t.text not in st.lex.non_person_words]
        if j < i and content and not doc[j].is_sent_start:
            span = doc[j : i + 1]
            if cue_place:
                kind = st.lex.place_kind_for_cue(tok.text) or "district"
                place = lookup_place(st, doc[j:i], kind_hint=kind)
                if place is not None:
                    out.append(Found(span.start_char, span.end_char, span.text, place.kind, place.id, "cue",
                                      place.name, record=place, country=place.country, label="GPE"))
                else:
                    out.append(guessed_place(st, span, kind, "cue", "GPE"))
            else:
                out.append(Found(span.start_char, span.end_char, span.text, "armed_group",
                                  entity_key(span.text, "armed_group"), "cue", span.text, guessed=True,
                                  label="ORG"))
            covered.update(range(span.start_char, span.end_char))
        i += 1
    return out


def prefix_spans(st: EntityState, covered: set[int]) -> list[Found]:
    """Unknown groups named by an opening word: "Lashkar-e-Islam", "Saraya Ansar al-Sunna"."""
    out: list[Found] = []
    doc = st.doc
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.text not in st.lex.armed_group_prefixes or not tok.is_title or tok.idx in covered:
            i += 1
            continue
        j = i + 1
        while j < len(doc) and name_word(st, doc[j]) and doc[j].idx not in covered:
            j += 1
        while j > i + 1 and (doc[j - 1].lower_ in st.lex.name_particles or doc[j - 1].is_punct):
            j -= 1
        content = [t for t in doc[i + 1 : j] if distinctive(st, t) or PARTICLE_JOINED.match(t.text)]
        if content:
            span = doc[i:j]
            out.append(Found(span.start_char, span.end_char, span.text, "armed_group",
                              entity_key(span.text, "armed_group"), "cue", span.text, guessed=True, label="ORG"))
            covered.update(range(span.start_char, span.end_char))
        i = max(j, i + 1)
    return out


def titled_people(st: EntityState, covered: set[int]) -> list[Found]:
    """People the model missed but a title announces: "Col. Souleymane Dembele said"."""
    titles = {h.rstrip(".") for h in st.lex.honorifics if h[:1].isupper()}
    doc = st.doc
    out: list[Found] = []
    i = 0
    while i < len(doc):
        if doc[i].text.rstrip(".") not in titles or doc[i].idx in covered:
            i += 1
            continue
        j = i
        while j < len(doc) and (doc[j].text.rstrip(".") in titles or doc[j].text == "." and j > i):
            j += 1
        k = j
        while k < len(doc) and k - j < 4 and doc[k].idx not in covered and (
                doc[k].pos_ == "PROPN" and doc[k].is_title or
                doc[k].lower_ in st.lex.name_particles and k > j):
            k += 1
        while k > j and doc[k - 1].lower_ in st.lex.name_particles:
            k -= 1
        names = doc[j:k]
        if len(names) and all(distinctive(st, t) or t.lower_ in st.lex.name_particles for t in names) \
                and not st.gaz.place(names.text) and not st.gaz.actor(names.text):
            titled = doc[i:k]
            out.append(Found(names.start_char, names.end_char, names.text, "person",
                              entity_key(names.text, "person"), "cue", names.text, guessed=True,
                              extra_aliases=[titled.text], label="PERSON"))
            covered.update(range(titled.start_char, titled.end_char))
        i = max(k, i + 1)
    return out


def media_titles(st: EntityState, covered: set[int]) -> list[Found]:
    """Outlets the model missed: a capitalised run ending in a media head ("The Kessel Post", "Kessel
    Media Center") or opening with one ("Radio Kessel").  The mention covers the words not yet found
    (a known acronym before the head keeps its own mention); the alias is the whole title."""
    words = st.words
    doc = st.doc
    compounds = {tuple(h.split()) for h in words.media_compound_heads}
    out: list[Found] = []
    for i, tok in enumerate(doc):
        if tok.idx in covered or not tok.text[:1].isupper():
            continue
        head_len = 0
        if i >= 1 and (doc[i - 1].text, tok.text) in compounds:
            head_len = 2
        elif tok.text in words.media_heads and tok.text not in words.media_first_words:
            head_len = 1
        if head_len:
            j = i - head_len + 1
            while j > max(0, i - 8) and (doc[j - 1].is_title or doc[j - 1].is_upper) and doc[j - 1].is_alpha \
                    and doc[j - 1].lower_ not in words.determiners:
                j -= 1
            generic = any(t.text in st.lex.generic_name_words for t in doc[j : i - head_len + 1])
            if (j < i - head_len + 1 and not generic) or head_len == 2:  # not "the Kessel Army Post"
                first = j if j > 0 and doc[j - 1].text != "The" else j - 1
                _add_media(st, out, covered, doc[j : i + 1], doc[max(first, 0) : i + 1].text)
        elif tok.text in words.media_first_words and i + 1 < len(doc):
            k = i + 1
            while k < len(doc) and k - i <= 3 and doc[k].is_title and doc[k].is_alpha:
                k += 1
            if k > i + 1:
                _add_media(st, out, covered, doc[i:k], doc[i:k].text)
    return out


def _add_media(st: EntityState, out: list[Found], covered: set[int], span: Span, title: str) -> None:
    start = next((t.idx for t in span if t.idx not in covered), None)
    if start is None or not any(distinctive(st, t) or t.is_upper for t in span):
        return
    end = span.end_char
    name = title.removeprefix("The ").strip()
    out.append(Found(start, end, st.text[start:end], "organization", entity_key(name, "organization"), "cue",
                     name, guessed=True, alias=st.text[start:end] == name, extra_aliases=[title], label="ORG"))
    covered.update(range(start, end))
