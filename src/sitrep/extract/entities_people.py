"""Entity passes within a document: people's partial names join full names, acronyms defined in
parentheses and a title's short name ("the Courier") name the entity they stand for."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.extract.entities_state import EntityState, Found, append, copy_identity, distinctive, overlaps
from sitrep.resolve.linking import (
    entity_key,
    link_person_names,
    person_skeleton,
    same_person,
    strip_honorifics,
)

if TYPE_CHECKING:
    from spacy.tokens import Span

_PAREN_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z0-9\-]{1,9})\s*\)")


def merge_adjacent_people(st: EntityState, found: list[Found]) -> list[Found]:
    """Join person spans separated only by a space ("Hassan Sheikh" + "Mohamud")."""
    out: list[Found] = []
    for item in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == item.kind == "person" and prev.record is None
                and item.record is None and st.text[prev.end:item.start] == " "):
            text = st.text[prev.start:item.end]
            name = strip_honorifics(text)[0]
            prev.end, prev.text, prev.name, prev.key = item.end, text, name, entity_key(name, "person")
            continue
        out.append(item)
    return out


def link_people(st: EntityState, found: list[Found]) -> None:
    """Join partial names to full names; surname-only ORG/GPE spans become people."""
    people = [f for f in found if f.kind == "person"]
    full_names = [person_name(st, f) for f in people if len(person_skeleton(person_name(st, f))) > 1]
    by_skeleton = _full_names_by_skeleton(full_names)
    person_texts = {f.text for f in people}
    for item in found:
        if item.kind == "person" or item.record is not None or item.source == "metonymy":
            continue
        if len(item.text.split()) > 2:
            continue
        if item.text in person_texts or any(surname_match(item.text, full)
                                            for full in _fitting_full_names(item.text, by_skeleton)):
            item.kind, item.name, item.source = "person", item.text, "link"
            people.append(item)
    for item in people:
        if item.record is None:
            extend_first_name(st, item, found)
    names = [person_name(st, f) for f in people]
    rep = link_person_names(names)
    key_of: dict[str, Found] = {}
    for item, name in zip(people, names, strict=True):
        if item.record is not None:
            key_of.setdefault(rep[name], item)
    for item, name in zip(people, names, strict=True):
        target = rep[name]
        anchor = key_of.get(target)
        if anchor is not None and anchor.record is not None:
            item.key, item.name, item.record = anchor.key, anchor.name, anchor.record
            continue
        item.key = entity_key(target, "person")
        item.name = target


def bare_surnames(st: EntityState, found: list[Found]) -> None:
    """Untagged repeats of a surname ("Dembele added") join the person named in full."""
    surnames: dict[str, Found] = {}
    for item in found:
        if item.kind != "person":
            continue
        words = person_name(st, item).split()
        if len(words) > 1 and len(words[-1]) >= 4 and words[-1][0].isupper():
            surnames.setdefault(words[-1], item)
    if not surnames:
        return
    added = False
    for tok in st.doc:
        anchor = surnames.get(tok.text)
        if anchor is None or tok.pos_ not in {"PROPN", "NOUN"} or overlaps(st, found, tok.idx, tok.idx + len(tok.text)):
            continue
        if st.gaz.place(tok.text) or st.gaz.actor(tok.text):
            continue
        append(st, found, Found(tok.idx, tok.idx + len(tok.text), tok.text, "person", anchor.key, "link",
                            anchor.name, record=anchor.record, guessed=anchor.guessed))
        added = True
    if added:
        found.sort(key=lambda f: f.start)


def extend_first_name(st: EntityState, item: Found, found: list[Found]) -> None:
    """Take in an untagged first name the model left out ("Edmund" + "Fitton-Brown")."""
    span = st.doc.char_span(item.start, item.end, alignment_mode="expand")
    if span is None or len(item.text.split()) > 3:
        return
    _extend_last_name(st, item, span, found)
    first = span.start
    while first > 0 and span.end - first < 4:  # up to four names ("Ana Maria Roe Kessler")
        prev = st.doc[first - 1]
        if not (prev.is_title and prev.pos_ == "PROPN" and prev.is_alpha) or prev.is_sent_start:
            break
        if prev.text in st.lex.honorifics or not distinctive(st, prev):
            break
        if st.gaz.place(prev.text) or st.gaz.actor(prev.text) or overlaps(st, found, prev.idx, prev.idx + 1):
            break
        first -= 1
    if first == span.start:
        return
    item.start = st.doc[first].idx
    st.mask = None  # coverage changed
    item.text = st.text[item.start : item.end]
    item.name = strip_honorifics(item.text)[0]


def _extend_last_name(st: EntityState, item: Found, span: Span, found: list[Found]) -> None:
    """Take in an untagged last name the model left out ("Ana Maria" + "Kessler," in a list of names)."""
    if len(span) < 2 or span.end >= len(st.doc):
        return
    nxt = st.doc[span.end]
    after = st.doc[span.end + 1] if span.end + 1 < len(st.doc) else None
    if not (nxt.is_title and nxt.pos_ == "PROPN" and nxt.is_alpha and nxt.idx == span.end_char + 1):
        return
    if after is not None and after.is_title and after.is_alpha:
        return  # a longer run of names: not clearly this person's
    if not distinctive(st, nxt) or st.gaz.place(nxt.text) or st.gaz.actor(nxt.text) \
            or overlaps(st, found, nxt.idx, nxt.idx + len(nxt.text)):
        return
    item.end = nxt.idx + len(nxt.text)
    st.mask = None
    item.text = st.text[item.start : item.end]
    item.name = strip_honorifics(item.text)[0]


def person_name(st: EntityState, item: Found) -> str:
    if item.record is not None:
        return item.record.name
    return strip_honorifics(item.name)[0]


def _full_names_by_skeleton(full_names: list[str]) -> dict[str, list[str]]:
    """Full names by their last skeleton token and by their whole skeleton: the only full names a
    shorter name can match (``linking.same_person``), so that matching scans no unrelated name."""
    index: dict[str, list[str]] = {}
    for full in dict.fromkeys(full_names):
        skel = person_skeleton(full)
        for k in dict.fromkeys((f"end:{skel[-1]}", "all:" + "".join(skel))):
            index.setdefault(k, []).append(full)
    return index


def _fitting_full_names(text: str, index: dict[str, list[str]]) -> list[str]:
    skel = person_skeleton(text)
    if not skel:
        return []
    return index.get(f"end:{skel[-1]}", []) + index.get("all:" + "".join(skel), [])


def surname_match(text: str, full: str) -> bool:
    short = person_skeleton(text)
    long_ = person_skeleton(full)
    return 0 < len(short) < len(long_) and same_person(text, full)


def acronyms(st: EntityState, found: list[Found]) -> None:
    """"National Resistance Front (NRF)": later bare "NRF" tokens name the same entity."""
    defined: dict[str, Found] = {}
    overridden: set[str] = set()
    for item in found:
        match = _PAREN_ACRONYM.match(st.text, item.end)
        if match and item.kind not in {"person"}:
            acro = match.group(1)
            known = st.gaz.actor(acro)
            if known is None or known.id == item.key:
                defined.setdefault(acro, item)
                item.extra_aliases.append(acro)
            elif item.record is not None and initials_fit(acro, item.name):
                # "Somali National Army (SNA)": the article's own definition beats another
                # group's acronym ("SNA" = Syrian National Army) within this document
                defined.setdefault(acro, item)
                overridden.add(acro)
    if not defined:
        return
    starts = {f.start: f for f in found}
    for tok in st.doc:
        anchor = defined.get(tok.text)
        if anchor is None:
            continue
        existing = starts.get(tok.idx)
        if existing is not None:
            if existing.key != anchor.key and (existing.record is None or tok.text in overridden):
                copy_identity(existing, anchor, "acronym")
            continue
        if overlaps(st, found, tok.idx, tok.idx + len(tok.text)):
            continue
        item = Found(tok.idx, tok.idx + len(tok.text), tok.text, anchor.kind, anchor.key, "acronym",
                      anchor.name, record=anchor.record, guessed=anchor.guessed, country=anchor.country)
        append(st, found, item)
    found.sort(key=lambda f: f.start)


def initials(st: EntityState, found: list[Found]) -> None:
    """An unknown acronym whose letters are the initials of a name found in the same document ("FC" and
    "Frontier Corps") names that entity, with or without a definition in parentheses."""
    named: dict[str, Found] = {}
    for item in found:
        if item.kind != "person" and len(item.name.split()) > 1:
            letters = "".join(w[0] for w in re.split(r"[\s-]+", item.name) if w[:1].isupper())
            if len(letters) >= 2:
                named.setdefault(letters, item)
    if not named:
        return
    for item in found:
        text = item.text
        if item.record is None and item.kind != "person" and text.isupper() and 2 <= len(text) <= 6:
            anchor = named.get(text)
            if anchor is not None and anchor is not item and anchor.key != item.key:
                copy_identity(item, anchor, "acronym")
                anchor.extra_aliases.append(text)


def aliases(st: EntityState, found: list[Found]) -> None:
    """"Kessel alias Roe": the second name is the same person as the first."""
    ordered = sorted(found, key=lambda f: f.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.kind == "person" and st.text[a.end:b.start].strip().lower() in st.words.alias_words:
            copy_identity(b, a, "link")
            a.extra_aliases.append(f"{st.text[a.start:b.end]}")


def short_names(st: EntityState, found: list[Found]) -> None:
    """"The New York Sun" ... "the Sun": a title's last word names it within the document."""
    short: dict[str, Found] = {}
    for item in found:
        if item.kind == "organization" and item.name.startswith("The ") and len(item.name.split()) > 2:
            short.setdefault(item.name.split()[-1], item)
    if not short:
        return
    for item in found:
        anchor = short.get(item.text)
        if anchor is not None and item.record is None and item.key != anchor.key:
            copy_identity(item, anchor, "link")
    for tok in st.doc:
        anchor = short.get(tok.text)
        if anchor is None or tok.i == 0 or st.doc[tok.i - 1].lower_ != "the":
            continue
        if overlaps(st, found, tok.idx, tok.idx + len(tok.text)):
            continue
        append(st, found, Found(tok.idx, tok.idx + len(tok.text), tok.text, anchor.kind, anchor.key, "link",
                            anchor.name, record=anchor.record, guessed=anchor.guessed, country=anchor.country))
    found.sort(key=lambda f: f.start)


def initials_fit(acronym: str, name: str) -> bool:
    """"SNA" fits "Somali National Army": the capitals of the acronym are the name's initials."""
    initials = "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())
    letters = "".join(ch for ch in acronym if ch.isupper())
    return len(letters) >= 2 and letters == initials
