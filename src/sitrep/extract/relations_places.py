"""Place frames: an armed group active where its verb, activity or member noun is placed.

"X stormed a base in P", "X fighters in P", "attacks by X in P", "X, an armed group in P", "P, where X
attacked ...", "P, the X's stronghold", "X took over the country"; the places are those the sentence
names and "the country" for the article's own country.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.relations_parse import (
    _ACTORS4,
    _ARMED,
    _MEMBER_NOUNS,
    _PLACE_LABELS,
    ACTIVITY_NOUNS,
    ACTIVITY_VERBS,
    CONTROL_VERBS,
    _mention_root,
    _plural_description,
)
from sitrep.extract.relations_reader import _children, _DocReader, _Found, _verb_subject_tokens
from sitrep.extract.relations_render import CUES, words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.models import Mention

_AT_PREPS = tuple(CUES["at_preps"])
_PLACE_NOUNS = words("place_nouns")
_HOSTILE_VERBS = words("hostile_verbs")
_GROUP_NOUNS = words("group_nouns")
_STRIKE_VERBS = words("hostile_verbs") | words("control_verbs")


def _group_subjects(r: _DocReader, verb: Token) -> list[Mention]:
    if any(c.dep_ == "nsubjpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children):
        return []  # "X was attacked in P": X is not the actor
    out: list[Mention] = []
    for st in _verb_subject_tokens(verb):
        if _plural_description(r, st):
            continue
        out.extend(m for m in r.resolve(st, _ACTORS4) if r.kind(m) == "armed_group")
    return out


def _place_candidates(r: _DocReader, sent: Span) -> list[tuple[Mention, Token]]:
    """Places named in a sentence with their root token, and "the country" standing for the article's country."""
    out: list[tuple[Mention, Token]] = []
    for m in r._between(sent.start_char, sent.end_char):
        if m.label in _PLACE_LABELS and (tok := _mention_root(r, m)) is not None:
            out.append((m, tok))
    for t in sent:
        if (t.lemma_.lower() in CUES["place_descriptors"] and r.mention_of(t) is None and t.tag_ == "NN"
                and any(c.dep_ == "det" and c.lower_ in CUES["definite_determiners"] for c in t.children)
                and not any(c.dep_ in ("amod", "compound", "prep") for c in t.children)):
            m = r.antecedent(t, ("country", "state"))
            if m is not None:
                out.append((m, t))
    return out


def _climb_place(tok: Token) -> Token:
    """Climb "the town of P", "Borno's Marte", "the P region" to the noun the preposition takes, and a
    listed place or part to the list's first item ("Arden, Brill and Corve", "areas of P and parts of Q")."""
    for _ in range(6):
        h = tok.head
        if tok.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in _PLACE_NOUNS:
            tok = h.head
        elif tok.dep_ in ("poss", "compound", "appos") and h.lemma_.lower() in _PLACE_NOUNS | {"territory"}:
            tok = h
        elif tok.dep_ == "conj" and h.i != tok.i and (h.pos_ in ("NOUN", "PROPN")):
            tok = h
        else:
            break
    return tok


def _stronghold_owners(r: _DocReader, root: Token, tok: Token) -> tuple[list[Mention], Token | None]:
    """ "P, the X's stronghold", "X's heartland of P": the owner of a base noun on the place."""
    nouns = words("place_of_nouns")
    cands = [c for c in root.children if c.dep_ == "appos" and c.lemma_.lower() in nouns]
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in nouns:
        cands.append(tok.head.head)
    for noun in cands:
        owners = [m for c in noun.children if c.dep_ in ("poss", "compound") for m in r.resolve(c, _ARMED)]
        owners = [m for m in owners if r.kind(m) == "armed_group"]
        if owners:
            return owners, noun
    return [], None


def _governor_doers(r: _DocReader, gov: Token) -> list[Mention]:
    """Who is active where a place phrase on ``gov`` says: a group's members or acts, a group in apposition,
    the doer of an activity verb, and the group whose members a hostile verb's object names."""
    glemma = gov.lemma_.lower()
    if gov.pos_ in ("NOUN", "PROPN"):
        if glemma in _MEMBER_NOUNS | ACTIVITY_NOUNS:
            subjects = r.resolve(gov, _ARMED) if glemma in _MEMBER_NOUNS | {"cell", "network", "branch"} else []
            if not subjects:
                owner = [c for c in gov.children if c.dep_ in ("poss", "compound")]  # "X's attacks", "X attacks"
                owner += [p for c in gov.children if c.dep_ == "prep" and c.lower_ == "by" for p in _children(c, ("pobj",))]
                subjects = [m for o in owner for m in r.resolve(o, _ARMED)]
            if not subjects and glemma in ACTIVITY_NOUNS and gov.dep_ in ("dobj", "pobj") and gov.head.pos_ in ("VERB", "AUX"):
                v = gov.head
                if v.lemma_.lower() in ACTIVITY_VERBS | words("intensify_verbs"):
                    subjects = _group_subjects(r, v)
            return subjects
        named = any(c.dep_ in ("compound", "nmod") and r.mention_of(c) is not None for c in gov.children)
        if glemma in _GROUP_NOUNS and (gov.dep_ in ("appos", "attr") or named):  # "X, an armed group in P"
            return [m for m in r.resolve(gov.head if gov.dep_ == "appos" else gov, _ARMED) if r.kind(m) == "armed_group"]
        return []
    if gov.pos_ not in ("VERB", "AUX", "ADJ"):
        return []
    subjects = _group_subjects(r, gov) if glemma in ACTIVITY_VERBS else []
    if glemma in ACTIVITY_VERBS | _HOSTILE_VERBS:  # "the army dismantled an X cell in P": the cell was in P
        for o in _children(gov, ("dobj",)):
            if o.lemma_.lower() in _MEMBER_NOUNS and r.mention_of(o) is None:
                subjects += [m for m in r.resolve(o, _ARMED) if r.kind(m) == "armed_group" and m not in subjects]
    return subjects


def _through_objects(gov: Token) -> Token:
    """From a thing placed somewhere up to the act that places it: "destroyed a tower in a station in P"
    is the destroying in P (a noun that names no actor, activity or group hands the place to its verb)."""
    nouns = _MEMBER_NOUNS | ACTIVITY_NOUNS | _GROUP_NOUNS
    for _ in range(3):
        if gov.dep_ == "acl" and gov.lemma_.lower() in CUES["locating_participles"]:
            gov = gov.head  # "the base located in P" is the base in P
        while gov.dep_ in ("appos", "conj") and gov.pos_ in ("NUM", "NOUN", "PRON") and gov.head.i != gov.i:
            gov = gov.head  # "seized four districts, three in P": the districts are in P
        if gov.pos_ not in ("NOUN", "PROPN") or gov.lemma_.lower() in nouns or gov.ent_type_:
            return gov
        if gov.dep_ == "dobj" and gov.head.pos_ == "VERB":
            return gov.head
        if gov.dep_ == "pobj" and gov.head.lower_ in _AT_PREPS and gov.head.head.pos_ in ("NOUN", "VERB"):
            gov = gov.head.head
            continue
        return gov
    return gov


def _control_of(tok: Token) -> Token | None:
    """The verb of "take / seize / assume control of P" when ``tok`` is P."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return None
    noun = tok.head.head
    if noun.lemma_.lower() in CUES["control_nouns"] and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        return noun.head
    return None


def _place_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """operates_in read from the place: "X stormed a base in P", "X fighters in P", "attacks by X in P"."""
    found: list[_Found] = []
    for pm, root in _place_candidates(r, sent):
        tok = _climb_place(root)
        subjects: list[Mention] = []
        cue = tok
        where = _where_clause(tok) or _where_clause(root)
        if where is not None and where.lemma_.lower() in ACTIVITY_VERBS:  # "in P, where X attacked ..."
            for sm in _group_subjects(r, where):
                found.append(_Found(sm, "operates_in", pm, where, "where:" + where.lemma_.lower(),
                                    (min(where.i, tok.i), max(where.i, tok.i) + 1)))
        owners, base = _stronghold_owners(r, root, tok)
        if base is not None:
            found.extend(_Found(sm, "operates_in", pm, base, "base:" + base.lemma_.lower(),
                                (min(base.i, root.i), max(base.i, root.i) + 1)) for sm in owners)
        if tok.dep_ == "pobj" and tok.head.lower_ in _AT_PREPS:
            gov = _through_objects(tok.head.head)
            # "attacks on the army in P": the place is where the act on the target happened
            if (gov.pos_ in ("NOUN", "PROPN") and gov.dep_ == "pobj" and gov.head.lower_ in CUES["hostile_preps"]
                    and gov.head.head.lemma_.lower() in ACTIVITY_NOUNS):
                gov = gov.head.head
            cue = gov
            subjects = _governor_doers(r, gov)
        elif (ctl := _control_of(tok)) is not None:  # "X took control of P"
            cue = ctl
            subjects = _group_subjects(r, ctl)
        elif tok.dep_ in ("dobj",) and (tok.head.lemma_.lower() in CONTROL_VERBS or (
                tok.head.lemma_.lower() in CUES["control_particle_verbs"]
                and any(c.dep_ == "prt" and c.lower_ in CUES["control_particles"] for c in tok.head.children))):
            cue = tok.head
            subjects = _group_subjects(r, tok.head)
        elif tok.dep_ == "dobj" and tok.head.lemma_.lower() in _STRIKE_VERBS:  # "X stormed P", "X shelled P"
            cue = tok.head
            subjects = _group_subjects(r, tok.head)
        elif (tok.dep_ == "pobj" and tok.head.lower_ in CUES["hostile_preps"]
              and tok.head.head.lemma_.lower() in ACTIVITY_NOUNS):  # "X's assault on P"
            cue = tok.head.head
            subjects = _governor_doers(r, cue)
        for sm in subjects:
            found.append(_Found(sm, "operates_in", pm, cue, "in:" + cue.lemma_.lower(), (min(cue.i, tok.i), max(cue.i, tok.i) + 1)))
    return found


def _where_clause(tok: Token) -> Token | None:
    """The verb of a relative clause on a place that its place adverb opens ("P, where X attacked ...")."""
    for c in tok.children:
        if c.dep_ == "relcl" and any(a.dep_ == "advmod" and a.lower_ in CUES["place_relatives"] for a in c.children):
            return c
    return None
