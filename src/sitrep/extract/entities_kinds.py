"""What an unknown name is, from how the article describes it.

A name no gazetteer lists gets its kind from guesses (the model's label, a cue word inside the name).
News writing usually says what a new actor is, and that beats the guess:

* a description in apposition: "X, a rebel group" (armed group), "X, a rights group" (organisation:
  the modifier decides), "X, an aid agency" (organisation), "X, a village" (place);
* a lower-case group noun right after the name: "the X gang", "the X cartel" (armed group);
* a plural article of another language opening a name no world gazetteer knows as a place: "Los X".

Only guessed mentions change; every mention of the same guessed entity changes with it (one sense per
document).  The words are data: ``data/entity_words.yaml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_places import guessed_place, in_world
from sitrep.extract.entities_state import EntityState, Found, distinctive, name_word
from sitrep.models import PLACE_KINDS
from sitrep.resolve.linking import entity_key

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_DESCRIPTION_POS = {"ADJ", "NOUN", "ADV", "VERB", "PROPN"}
_MAX_DESCRIPTION = 5


def described_kinds(st: EntityState, found: list[Found]) -> None:
    """Re-kind guessed mentions the article describes; all mentions of one guessed entity move together."""
    changes: dict[str, tuple[str, str]] = {}
    for f in found:
        if f.record is not None or not f.guessed or f.key in changes:
            continue
        kind = described_kind(st, f)
        if kind is None or kind == f.kind or kind in PLACE_KINDS and f.kind in PLACE_KINDS:
            continue
        if kind == "person" and _group_named(st, f.name):
            continue  # "the Kessel Brigade, a spokesman for the group said": the name's own head says group
        country = f.country if kind in PLACE_KINDS else None
        changes[f.key] = (kind, entity_key(f.name, kind, country) if country else entity_key(f.name, kind))
    if not changes:
        return
    for f in found:
        change = changes.get(f.key) if f.record is None else None
        if change is not None:
            f.kind, f.key = change
            if f.kind not in PLACE_KINDS:
                f.lat = f.lon = None


def _group_named(st: EntityState, name: str) -> bool:
    """Whether a name ends in a word that names a group or an organisation ("Brigade", "Front", "Network")."""
    words = name.split()
    return bool(words) and words[-1] in (st.lex.armed_group_cues | st.lex.organization_cues)


def described_kind(st: EntityState, f: Found) -> str | None:
    """The kind the text around a guessed mention gives it, or None."""
    end = _token_ending_at(st, f.end)
    if end is None:
        return None
    doc = st.doc
    words = st.words
    nxt = doc[end + 1] if end + 1 < len(doc) else None
    if nxt is not None and nxt.is_lower and nxt.text in words.group_head_nouns and f.lat is None:
        return "armed_group"  # "the Kessel gang"
    if nxt is not None and nxt.text == ",":
        kind = _appositive_kind(st, end + 2)
        if kind is not None:
            return kind
    start = _token_starting_at(st, f.start)
    if start is not None:
        kind = _kind_named_before(st, start)
        if kind is not None:
            return kind
    first = f.text.split()[0] if f.text.split() else ""
    if f.kind in PLACE_KINDS and f.lat is None and first in words.foreign_plural_articles and len(f.text.split()) > 1:
        return "armed_group"  # "Los Kessel": an unknown name opened by a foreign plural article
    return None


def _appositive_kind(st: EntityState, i: int) -> str | None:
    """The kind of "a/an [modifiers] HEAD" starting at token ``i`` ("a rebel group that ...")."""
    doc = st.doc
    if i >= len(doc) or doc[i].lower_ not in {"a", "an"}:
        return None
    described: list[Token] = []
    k = i + 1
    while k < len(doc) and len(described) < _MAX_DESCRIPTION and doc[k].pos_ in _DESCRIPTION_POS \
            and not doc[k].is_punct and (doc[k].is_lower or doc[k].is_upper or doc[k].pos_ == "PROPN"):
        described.append(doc[k])
        k += 1
    while k < len(doc) and doc[k].text == "-" and k + 1 < len(doc) and described:
        described[-1:] = [doc[k - 1], doc[k + 1]]  # "a Kessel-based militia": keep the words after the dash
        k += 2
    if not described:
        return None
    return _described_head_kind(st, described)


def _described_head_kind(st: EntityState, described: list[Token]) -> str | None:
    """The kind of a description's words, its last word the head ("rebel group", "rights group", "village")."""
    words = st.words
    head = described[-1]
    modifiers = {t.text for t in described[:-1]} | {t.lower_ for t in described[:-1]}
    text = head.text if head.text in words.appositive_organization_heads else head.lower_
    if text in words.appositive_group_heads:
        return "organization" if modifiers & words.appositive_organization_modifiers else "armed_group"
    if text in words.appositive_organization_heads:
        return "organization"
    if text in words.appositive_person_heads:
        return "person"
    if text in words.appositive_place_heads and not modifiers & words.appositive_organization_modifiers:
        kind = st.lex.place_kind_for_cue(text)
        return kind if kind in PLACE_KINDS else "city"
    return None


_MAX_NAMING = 3


def _kind_named_before(st: EntityState, i: int) -> str | None:
    """The kind a description before the name at token ``i`` gives it: "a rebel coalition known as the X",
    "a faction calling itself X", "a local self-defence group, the X": the head noun right before the
    naming phrase (or the comma) decides, as in apposition after the name."""
    doc = st.doc
    k = i - 1
    if k >= 0 and doc[k].lower_ in st.words.determiners:
        k -= 1
    if k < 1:
        return None
    if doc[k].text == ",":
        head = k - 1
    elif k == i - 1 and doc[k].is_lower and doc[k].pos_ == "NOUN":
        head = k  # "the rebel group Kessel", "the town Kessel": the description's head right before the name
    else:
        head = None
        for width in range(1, _MAX_NAMING + 1):
            if k - width + 1 < 1:
                break
            phrase = " ".join(t.lower_ for t in doc[k - width + 1 : k + 1])
            if phrase in st.words.naming_phrases:
                head = k - width
                break
        if head is None:
            return None
        if doc[head].text == ",":
            head -= 1
    if head < 0 or not doc[head].is_lower:
        return None
    j = head
    while j > 0 and head - j < _MAX_DESCRIPTION and (doc[j - 1].is_lower and not doc[j - 1].is_punct
                                                     or doc[j - 1].text == "-") \
            and doc[j - 1].lower_ not in {"a", "an", "the"}:
        j -= 1
    if j == 0 or doc[j - 1].lower_ not in {"a", "an", "the"}:
        return None
    return _described_head_kind(st, [t for t in doc[j : head + 1] if t.text != "-"])


def _token_starting_at(st: EntityState, start_char: int) -> int | None:
    """The index of the token that starts at ``start_char``."""
    span = st.doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    if span is None or not len(span) or span[0].idx != start_char:
        return None
    return span[0].i


def _token_ending_at(st: EntityState, end_char: int) -> int | None:
    """The index of the token whose text ends at ``end_char``."""
    doc = st.doc
    span = doc.char_span(max(0, end_char - 1), end_char, alignment_mode="expand")
    if span is None or not len(span) or span[-1].idx + len(span[-1].text) != end_char:
        return None
    return span[-1].i


def article_names(st: EntityState, covered: set[int]) -> list[Found]:
    """Unknown names opened by a foreign plural article that the model missed ("Los Kessel"): a group's
    name unless the world gazetteer knows it as a place (those the place passes find)."""
    doc = st.doc
    out: list[Found] = []
    for i, tok in enumerate(doc):
        if tok.text not in st.words.foreign_plural_articles or tok.idx in covered:
            continue
        j = i + 1
        while j < len(doc) and j - i <= 4 and doc[j].is_title and name_word(st, doc[j]) and doc[j].idx not in covered:
            j += 1
        if j == i + 1:
            continue
        span = doc[i:j]
        if st.gaz.place(span.text) or st.gaz.actor(span.text):
            continue
        if in_world(st, span):
            continue
        out.append(Found(span.start_char, span.end_char, span.text, "armed_group",
                         entity_key(span.text, "armed_group"), "cue", span.text, guessed=True, label="ORG"))
        covered.update(range(span.start_char, span.end_char))
    return out




def foreign_group_names(st: EntityState, found: list[Found]) -> list[Found]:
    """"Clan del Valle", "Estado Mayor de Bloques Unidos": a run of capitalised words and name particles
    opened by a group word of another language names an armed group; guessed mentions inside the run (the
    model's cut "Clan" as a person) give way to it."""
    doc = st.doc
    openers = st.words.foreign_group_openers
    particles = st.lex.name_particles | {"los", "las", "y"}
    added: list[Found] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        width = 2 if i + 1 < len(doc) and f"{tok.text} {doc[i + 1].text}" in openers else 1
        if width == 1 and tok.text not in openers or not tok.is_title:
            i += 1
            continue
        j = i + width
        while j < len(doc) and j - i < 9 and (doc[j].is_title and doc[j].is_alpha or doc[j].lower_ in particles):
            j += 1
        while j > i + width and doc[j - 1].lower_ in particles:
            j -= 1
        if j == i + width or not any(t.is_title and t.text not in openers for t in doc[i + width : j]):
            i += 1
            continue
        span = doc[i:j]
        start, end = span.start_char, span.end_char
        inside = [f for f in found if start <= f.start and f.end <= end]
        if any(f.record is not None and f.kind not in PLACE_KINDS for f in inside) or \
                any(f.start < end and start < f.end and not (start <= f.start and f.end <= end) for f in found):
            i = j
            continue
        for f in inside:
            found.remove(f)
        added.append(Found(start, end, span.text, "armed_group", entity_key(span.text, "armed_group"), "cue",
                           span.text, guessed=True, label="ORG"))
        i = j
    return sorted(found + added, key=lambda f: f.start) if added else found


_OF_PHRASE_WORDS = frozenset({"for", "of", "the", "and"})
_MAX_OF_PHRASE = 10


def cue_phrase_names(st: EntityState, found: list[Found]) -> list[Found]:
    """"the Movement for the Salvation of Kessel", "the Front for the Liberation of Vale": an armed-group
    head word after "the", then "for"/"of" and capitalised words, is one group's name even where the model
    found only its tail (as a person or a place).  Known actors inside keep the name from forming."""
    doc = st.doc
    cues = st.lex.armed_group_cues - st.lex.organization_cues
    added: list[Found] = []
    for i in range(1, len(doc) - 2):
        tok = doc[i]
        if tok.text not in cues or not tok.is_title or doc[i - 1].lower_ != "the" \
                or doc[i + 1].lower_ not in {"for", "of"}:
            continue
        j = i + 1
        while j < len(doc) and j - i <= _MAX_OF_PHRASE and (doc[j].lower_ in _OF_PHRASE_WORDS or
                                                            doc[j].is_title and doc[j].is_alpha):
            if doc[j].lower_ == "and" and (j + 1 >= len(doc) or not doc[j + 1].is_title or doc[j + 1].lower_ == "the"):
                break  # "Justice and Equality" is one name; "... of Kessel and the Vale Front" two
            j += 1
        while j > i + 1 and doc[j - 1].lower_ in _OF_PHRASE_WORDS:
            j -= 1
        if not any(t.is_title and t.lower_ not in _OF_PHRASE_WORDS for t in doc[i + 2 : j]):
            continue
        span = doc[i:j]
        start, end = span.start_char, span.end_char
        inside = [f for f in found if start <= f.start and f.end <= end]
        if any(f.record is not None and f.kind not in PLACE_KINDS for f in inside) or \
                any(f.start < end and start < f.end and not (start <= f.start and f.end <= end) for f in found) or \
                any(f.start == start and f.end == end for f in inside):
            continue
        for f in inside:
            found.remove(f)
        added.append(Found(start, end, span.text, "armed_group", entity_key(span.text, "armed_group"), "cue",
                           span.text, guessed=True, label="ORG"))
    return sorted(found + added, key=lambda f: f.start) if added else found


def described_places(st: EntityState, covered: set[int]) -> list[Found]:
    """Names the model missed that a description in apposition calls a place: "Kessel, a village near
    ...", "reached Vale Alto, a small town"."""
    doc = st.doc
    out: list[Found] = []
    for i, tok in enumerate(doc):
        if tok.text != "," or i == 0 or doc[i - 1].idx in covered or not doc[i - 1].is_title:
            continue
        kind = _appositive_kind(st, i + 1)
        if kind is None or kind not in PLACE_KINDS:
            continue
        j = i - 1
        while j > 0 and i - j < 4 and doc[j - 1].is_title and doc[j - 1].is_alpha and doc[j - 1].idx not in covered \
                and not doc[j].is_sent_start:
            j -= 1
        span = doc[j:i]
        if not all(name_word(st, t) for t in span) or st.gaz.actor(span.text) or span[0].lower_ in st.words.determiners:
            continue
        if not any(t.pos_ == "PROPN" for t in span):
            continue
        out.append(guessed_place(st, span, kind, "cue", "GPE"))
        covered.update(range(span.start_char, span.end_char))
    return out


def described_names(st: EntityState, covered: set[int]) -> list[Found]:
    """Names the model missed that a description before them announces: "a village called Kessel" (a
    place), "a militia known as the Kessel Rangers" (an armed group), "the Kessel gang" (a capitalised name
    before a lower-case group noun).  Known places, countries and demonyms before a group noun are where
    the group is from, not its name ("the Kessel militia" for a known Kessel)."""
    doc = st.doc
    out: list[Found] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if tok.idx in covered or not tok.is_title or not tok.is_alpha or not name_word(st, tok) or i == 0:
            i += 1
            continue
        j = i
        while j < len(doc) and j - i < 4 and doc[j].is_title and doc[j].is_alpha and name_word(st, doc[j]) \
                and doc[j].idx not in covered:
            j += 1
        span = doc[i:j]
        kind = _kind_named_before(st, i)
        if kind is None and j < len(doc) and doc[j].is_lower and doc[j].text in st.words.group_head_nouns \
                and doc[i - 1].lower_ == "the" and not _known_name(st, span):
            kind = "armed_group"  # "the Kessel gang"
        if kind is None or not any(distinctive(st, t) for t in span) or st.gaz.actor(span.text):
            i = j
            continue
        if kind in PLACE_KINDS:
            out.append(guessed_place(st, span, kind, "cue", "GPE"))
        else:
            out.append(Found(span.start_char, span.end_char, span.text, kind, entity_key(span.text, kind), "cue",
                             span.text, guessed=True, label="PERSON" if kind == "person" else "ORG"))
        covered.update(range(span.start_char, span.end_char))
        i = j
    return out


def _known_name(st: EntityState, span: Span) -> bool:
    """Whether a span names a known place, a country or a people ("Kessel", "Arcadian")."""
    text = span.text
    return bool(st.gaz.place(text) or st.gaz.country(text) or st.gaz.country_of_demonym(text))


def numbered_names(st: EntityState, found: list[Found]) -> None:
    """"the 300 Kessel gang": a number between "the" (or a sentence start) and an unknown group's name is
    part of the name; after a verb ("killed 300 Kessel fighters") it counts people and stays out."""
    doc = st.doc
    for f in found:
        if f.record is not None or not f.guessed or f.kind != "armed_group":
            continue
        first = doc.char_span(f.start, f.end, alignment_mode="expand")
        if first is None or first.start == 0:
            continue
        num = doc[first.start - 1]
        if not num.text.isdigit() or not num.whitespace_:
            continue
        before = doc[num.i - 1] if num.i > 0 else None
        if before is not None and before.lower_ != "the" and not num.is_sent_start:
            continue
        old = f.key
        f.start, f.text = num.idx, st.text[num.idx : f.end]
        f.name = f.text
        f.key = entity_key(f.name, f.kind)
        for other in found:
            if other is not f and other.key == old and other.record is None:
                other.key, other.name = f.key, f.name


__all__ = ["article_names", "cue_phrase_names", "described_kind", "described_names", "described_places", "described_kinds", "foreign_group_names", "numbered_names"]
