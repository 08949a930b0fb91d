"""Entity pass on a state's forces named by their country or city: "Pakistani forces", "the Somali army",
"Kabul police", "Burkina Faso's armed forces" -> an organisation of that state (the gazetteer's record of
that country's army when it has one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.entities_state import EntityState, Found

if TYPE_CHECKING:
    from collections.abc import Iterator

    from spacy.tokens import Span, Token

    from sitrep.data import ActorRecord, PlaceRecord


def force_branch(st: EntityState, word: str) -> str | None:
    """"military" for "army"/"troops", "police" for "police", None for other words."""
    low = word.lower()
    return next((branch for branch, nouns in st.words.force_nouns.items() if low in nouns), None)


def counted_people(st: EntityState, span: Span) -> bool:
    """"28 Nigerien soldiers": a number of people, not the force as an actor."""
    if span[-1].lower_ not in st.words.counted_person_nouns:
        return False
    i = span.start - 1
    while i >= 0 and st.doc[i].lower_ in st.words.force_modifiers:
        i -= 1
    return i >= 0 and (st.doc[i].like_num or st.doc[i].pos_ == "NUM" or st.doc[i].lower_ in st.words.quantifiers)


def _force_nouns(st: EntityState, covered: set[int]) -> Iterator[tuple[Token, str, int]]:
    """Each force noun not yet covered that heads a force (not "army trucks"), with its branch and the
    index of the word before its modifiers ("Arcadian special forces": the index of "Arcadian")."""
    doc = st.doc
    for tok in doc:
        branch = force_branch(st, tok.text)
        if branch is None or tok.idx in covered or tok.i == 0 or modifies_a_thing(st, tok):
            continue
        k = tok.i - 1
        while k > 0 and doc[k].lower_ in st.words.force_modifiers:
            k -= 1
        yield tok, branch, k


def state_forces(st: EntityState, covered: set[int]) -> list[Found]:
    """Forces named by a demonym, a country or a city before a force noun (see the module docstring)."""
    doc = st.doc
    out: list[Found] = []
    for tok, branch, k in _force_nouns(st, covered):
        if doc[k].text in st.words.possessive_marks and k > 0:
            k -= 1
        place, first = _place_before(st, doc[k])
        if place is None or (branch == "military" and place.kind != "country"):
            continue
        start_tok = first if doc[first].idx not in covered else k + 1
        while start_tok < tok.i and (doc[start_tok].text in st.words.possessive_marks):
            start_tok += 1
        if counted_people(st, doc[first : tok.i + 1]):
            continue
        start, end = doc[start_tok].idx, tok.idx + len(tok.text)
        if any(p in covered for p in range(start, end)):
            continue
        surface = st.text[doc[first].idx:end]
        out.append(_force_found(st, start, end, surface, place, branch))
        covered.update(range(start, end))
    return out


def home_forces(st: EntityState, covered: set[int], keys: set[str]) -> list[Found]:
    """"the army", "the police", "state security forces": more mentions of the article's country's force
    when the article names that force ("Arcadian forces", the gazetteer's army); alone, the common noun
    is a description, not an actor of its own."""
    doc = st.doc
    out: list[Found] = []
    for tok, branch, k in _force_nouns(st, covered):
        if _place_before(st, doc[k])[0] is not None:
            continue
        home = _home_force(st, doc[k], tok, branch, covered)
        if home is not None and home.key in keys:
            out.append(home)
            covered.update(range(home.start, home.end))
    return out


def _home_force(st: EntityState, det: Token, tok: Token, branch: str, covered: set[int]) -> Found | None:
    """"the army", "the police", "state security forces" with no place named before them: the forces of
    the article's country (not "the army of X", which names its own state, nor "an army")."""
    doc = st.doc
    iso = st.doc_country
    country = st.gaz.country(iso) if iso else None
    if country is None or country.kind != "country" or not tok.is_lower:
        return None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        return None
    first = det.i + 1
    bare = det.is_punct or det.pos_ in {"ADP", "VERB", "AUX", "CCONJ"}  # "... said security forces"
    if det.lower_ in st.words.force_modifiers and det.i == 0:
        first = 0
    elif det.lower_ != "the" and not (bare and first < tok.i):
        return None  # "an army", "Kessel police" (an unknown place), a bare "army"
    if counted_people(st, doc[first : tok.i + 1]):
        return None
    start, end = doc[first].idx, tok.idx + len(tok.text)
    if any(p in covered for p in range(start, end)):
        return None
    return _force_found(st, start, end, f"{country.name} {st.text[start:end]}", country, branch)


def modifies_a_thing(st: EntityState, tok: Token) -> bool:
    """"the military withdrawal", "a police station": the force noun describes another noun (not a
    role: "police spokesman" still names the police)."""
    nxt = st.doc[tok.i + 1] if tok.i + 1 < len(st.doc) else None
    if nxt is None or not nxt.is_alpha or nxt.pos_ not in {"NOUN", "PROPN"}:
        return False
    return nxt.lower_ not in st.words.force_role_nouns


def _place_before(st: EntityState, tok: Token) -> tuple[PlaceRecord | None, int]:
    """The country or place a token names (as a demonym, or as the end of a gazetteer place), and the
    index of the first token of that name."""
    if tok.ent_id_.startswith("place:"):
        first = tok.i
        while first > 0 and st.doc[first].ent_iob_ == "I":
            first -= 1
        return st.gaz.place_by_id(tok.ent_id_), first
    if tok.text[:1].isupper():
        country = st.gaz.country_of_demonym(tok.text)
        if country is not None:
            return country, tok.i
    return None, tok.i


def _force_found(st: EntityState, start: int, end: int, surface: str, place: PlaceRecord,
                 branch: str) -> Found:
    text = st.text[start:end]
    record = None
    if branch == "military" and place.kind == "country":
        record = known_force(st, surface) or army_record(st, place.country)
    if record is not None:
        return Found(start, end, text, record.kind, record.id, "cue", record.name, record=record,
                     country=record.country, alias=text == surface, extra_aliases=[surface], label="ORG")
    slug = place.country.lower() if place.kind == "country" and place.country else place.id.split(":")[-1].lower()
    key = f"org:{slug}-{'armed-forces' if branch == 'military' else 'police'}"
    name = " ".join(surface.split()) if branch == "military" else f"{place.name} police"
    return Found(start, end, text, "organization", key, "cue", name, guessed=True, country=place.country,
                 alias=text == surface, extra_aliases=[surface], label="ORG")


def known_force(st: EntityState, surface: str) -> ActorRecord | None:
    """The gazetteer actor the same place word names with any military noun ("Congolese forces" is
    the record that has "Congolese army" as an alias)."""
    words = surface.split()
    head = " ".join(words[:-1])
    for noun in sorted(st.words.force_nouns.get("military", ())):
        rec = st.gaz.actor(f"{head} {noun}")
        if rec is not None and rec.kind == "organization":
            return rec
    return None


def army_record(st: EntityState, iso: str | None) -> ActorRecord | None:
    """The gazetteer's record of a country's military: an organisation of that country whose name is the
    country (or its demonym) and a military force noun ("Pakistan Army", "Malian army")."""
    if not iso:
        return None
    if st.armies is None:
        armies: dict[str, ActorRecord] = {}
        for rec in st.gaz.actors.values():
            if rec.kind != "organization" or not rec.country:
                continue
            for name in (rec.name, *rec.aliases):
                left, of, right = name.partition(" of ")
                if of and force_branch(st, left.split()[-1]) == "military":
                    named_after = st.gaz.country(right.removeprefix("the "))  # "Armed Forces of the X"
                    if named_after is not None and named_after.country == rec.country:
                        armies.setdefault(rec.country, rec)
                        break
                words = name.replace("'s ", " ").split()
                if len(words) < 2 or force_branch(st, words[-1]) != "military":
                    continue
                head = " ".join(w for w in words[:-1] if w.lower() not in st.words.force_modifiers)
                named = (st.gaz.country(head) or st.gaz.country_of_demonym(head)) if head else None
                if named is not None and named.country == rec.country:
                    armies.setdefault(rec.country, rec)
                    break
        st.armies = armies
    return st.armies.get(iso)
