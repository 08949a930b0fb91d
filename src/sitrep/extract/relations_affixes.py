"""Hyphen and prefix frames: "X-backed Y", "X-aligned Y", "X-controlled P", "<country> militia"
(split from :mod:`sitrep.extract.relations_parse`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.extract.relations_parse import (
    _ACTORS4,
    _ARMED,
    _MEMBER_NOUNS,
    _PLACE_LABELS,
    _PRONOUNS,
    _places_under,
)
from sitrep.extract.relations_reader import _children, _DocReader, _Found
from sitrep.extract.relations_render import CUES, _Rendered
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

# "X-backed Y", "X-aligned Y", "X-controlled P": a name fused with a participle
_HYPHEN_REL = {w: rtype for rtype in ("supports", "ally_of", "part_of", "operates_in")
               for w in CUES["hyphen_" + rtype]}


def _hyphen_frames(r: _DocReader, rend: _Rendered) -> list[_Found]:
    """ "X-backed Y" (supports), "X-aligned/-linked Y" (ally_of), "X-affiliated Y" (part_of), "X-controlled P"."""
    found: list[_Found] = []
    units = rend.units
    for i in range(len(units) - 2):
        u = units[i]
        if u.mention is None or units[i + 1].word != "-" or units[i + 2].word not in _HYPHEN_REL:
            continue
        if r.kind(u.mention) not in _ACTORS4:
            continue
        rtype = _HYPHEN_REL[units[i + 2].word]
        part = r.doc[units[i + 2].tok_start]
        if units[i + 2].tok_start != u.tok_end + 1 or r.doc[u.tok_end].whitespace_:
            continue  # "X - backed" with spaces is not one word
        noun = part.head if part.dep_ in ("amod", "compound", "nmod") else None
        if noun is None and i + 3 < len(units):
            noun = r.doc[units[i + 3].tok_end - 1]
        if noun is None or noun.i <= part.i:
            continue
        if rtype == "operates_in":
            targets = [m for m in _places_under(r, noun)] or ([r.mention_of(noun)] if r.mention_of(noun) and r.mention_of(noun).label in _PLACE_LABELS else [])
        else:
            m = r.mention_of(noun)
            definite = any(c.dep_ in ("det", "poss") and c.lower_ in CUES["definite_determiners"] for c in noun.children)
            people = _owner_of_members(r, noun) if m is None else []
            if m is not None:
                targets = [m] if r.kind(m) in _ACTORS4 else []
            elif people:
                targets = [x for x in people if x.entity_key != u.mention.entity_key]
            elif not definite:
                targets = []
            else:
                ante = r.antecedent(noun, _ARMED, before=u.mention.start, exclude=u.mention.entity_key) if noun.lemma_.lower() in CUES["group_nouns"] or noun.lower_ in _PRONOUNS else None
                targets = [ante] if ante is not None else []
        for tm in targets:
            subj, obj = (tm, u.mention) if rtype in ("ally_of", "part_of") else (u.mention, tm)
            found.append(_Found(subj, rtype, obj, part, "-" + units[i + 2].word, (u.tok_start, noun.i + 1), clausal=False))
    return found


def _owner_of_members(r: _DocReader, noun: Token) -> list[Mention]:
    """The group a noun of its people names: "fighters of X", "X fighters" (a member noun with a name
    before it or an of-phrase after it)."""
    if noun.lemma_.lower() not in _MEMBER_NOUNS:
        return []
    owners = [c for c in noun.children if c.dep_ in ("compound", "nmod", "poss") and r.mention_of(c) is not None]
    owners += [p for c in noun.children if c.dep_ == "prep" and c.lower_ in CUES["member_of_preps"]
               for p in _children(c, ("pobj",)) if r.mention_of(p) is not None]
    return [m for o in owners for m in r.resolve(o, _ACTORS4) if r.kind(m) in _ACTORS4]


def _state_names(r: _DocReader) -> dict[str, Mention]:
    """Names (and aliases) of the states the document names -> one mention of each (cached)."""
    cached = getattr(r, "_state_name_cache", None)
    if cached is not None:
        return cached
    out: dict[str, Mention] = {}
    for m in r.mentions:
        if m.label in ("country", "state") and m.entity_key not in {x.entity_key for x in out.values()}:
            ent = r.ctx.entities.get(m.entity_key)
            for name in [m.text, *((ent.name, *ent.aliases) if ent is not None else ())]:
                if name and len(name) > 1:
                    out.setdefault(name.lower(), m)
    r._state_name_cache = out  # type: ignore[attr-defined]
    return out


def _prefix_frames(r: _DocReader, rend: _Rendered) -> list[_Found]:
    """ "US Central Command", "Iran's Revolutionary Guard": a body named after its state is part of it."""
    found: list[_Found] = []
    names = _state_names(r)
    if not names:
        return found
    for u in rend.units:
        m = u.mention
        if m is None or r.kind(m) not in ("organization", "armed_group") or " " not in m.text:
            continue
        first = m.text.split(" ", 1)[0]
        if any(w.lower() in CUES["state_body_words"] for w in re.findall(r"\w+", m.text)):
            continue  # the state's own government is the state, not a part of it
        st = names.get(first.lower())
        if st is not None and st.entity_key != m.entity_key:
            found.append(_Found(m, "part_of", st, r.doc[u.tok_start], "state-prefix", (u.tok_start, u.tok_end), clausal=False))
    return found
