"""Passive, appointment and lead frames: "X is backed by Y", "Y, led by P", "X named P its leader",
"X pledged allegiance to Y", "X and Y formed Z" (split from :mod:`sitrep.extract.relations_parse`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.relations_parse import _ACTORS4, _ARMED, _PRONOUNS, _SUPPORT_NOUNS, LEAD_VERBS
from sitrep.extract.relations_reader import _children, _DocReader, _Found, _prep_objects, _verb_subject_tokens
from sitrep.extract.relations_render import CUES
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

def _appointed(r: _DocReader, v: Token) -> list[_Found]:
    """Who an appointment makes what: "X named P (as) its leader", "P was appointed spokesman of X"."""
    persons = [m for o in _children(v, ("dobj", "nsubjpass")) for m in r.resolve(o, ("person",)) if r.kind(m) == "person"]
    roles = [p for p in _prep_objects(v, ("as",))] + _children(v, ("oprd", "attr", "xcomp"))
    roles += [c for o in _children(v, ("dobj", "nsubjpass")) for c in o.children if c.dep_ in ("appos", "oprd")]
    lead, member = CUES["lead_roles"], CUES["member_roles"]
    out: list[_Found] = []
    for role in roles:
        word = role.lemma_.lower()
        if word not in lead and word not in member:
            continue
        owners = [c for c in role.children if c.dep_ == "poss"] + _prep_objects(role, ("of", "for"))
        bodies = [m for o in owners for m in r.resolve(o, _ACTORS4)]
        if not owners:  # "X appointed P as leader": the appointing body's own
            bodies = [m for st in _children(v, ("nsubj",)) for m in r.resolve(st, _ACTORS4)]
        deputy = any(c.lower_ in CUES["subordinate_lead_modifiers"] for c in role.children)
        rtype = "leads" if word in lead and not deputy else "member_of"
        out.extend(_Found(p, rtype, b, role, "appoint:" + word, (v.i, role.i + 1)) for p in persons for b in bodies
                   if r.kind(b) != "person")
    return out


def _named_coalition(r: _DocReader, tok: Token) -> list[Mention]:
    """ "joined the alliance": the coalition named before whose name ends in that noun."""
    if tok.lemma_.lower() not in CUES["coalition_nouns"]:
        return []
    return [m for m in r.body_named(tok, ("armed_group", "organization")) if _is_coalition(m)]


def _is_coalition(m: Mention) -> bool:
    """A body named as one made of groups: its name ends in a coalition noun ("the X Alliance")."""
    last = m.text.split()[-1].lower() if m.text.split() else ""
    return last.rstrip("s") in CUES["coalition_nouns"] or last in CUES["coalition_nouns"]


def _agent_of(v: Token) -> list[Token]:
    """The by-phrase of a passive verb, shared along a coordination ("funded and armed by X")."""
    for w in [v, *v.conjuncts]:
        ag = [p for a in _children(w, ("agent",)) for p in _children(a, ("pobj",))]
        if ag:
            return ag + [c for x in ag for c in x.conjuncts if c.i != x.i]
    return []


def _patient_of(v: Token) -> list[Token]:
    """What a passive verb is about: its passive subject, or the noun a participle/relative clause modifies."""
    cur = v
    for _ in range(3):
        pas = _children(cur, ("nsubjpass",))
        if pas:
            return pas
        if cur.dep_ in ("acl", "relcl") and cur.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return [cur.head]
        if cur.tag_ == "VBN" and _children(cur, ("agent",)) and not _children(cur, ("aux",)):
            subj = _children(cur, ("nsubj",))  # "X and Y, both backed by Z, ...": a participle parsed as the verb
            if subj:
                return subj
        if cur.dep_ == "conj" and cur.head.i != cur.i:
            cur = cur.head
            continue
        break
    return []


def _passive_and_lead_frames(r: _DocReader, sent: Span) -> list[_Found]:
    """ "X is funded by Y", "X, led by P", "P heads X", "X joined Y", "X and Y formed Z"."""
    found: list[_Found] = []
    support, hostile = set(CUES["support_verbs"]), set(CUES["hostile_verbs"]) - {"kill"}
    for t in sent:
        if t.pos_ not in ("VERB", "AUX"):
            continue
        lemma = t.lemma_.lower()
        if lemma in support | hostile | LEAD_VERBS:
            agent = _agent_of(t)
            if agent and (t.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in t.children)):
                patients = [m for p in _patient_of(t) for m in r.resolve(p, _ARMED if p.lower_ in _PRONOUNS else _ACTORS4)]
                if lemma in LEAD_VERBS:
                    agents = [m for a in agent for m in r.resolve(a, ("person",))]
                    rtype = "leads"
                else:
                    agents = [m for a in agent for m in r.resolve(a, _ACTORS4)]
                    rtype = "supports" if lemma in support else "hostile_to"
                for a in agents:
                    for p in patients:
                        found.append(_Found(a, rtype, p, t, "by:" + lemma, (t.i, t.i + 1)))
                continue
        if lemma in LEAD_VERBS and (lemma != "found" or t.lower_ in ("founded", "founds", "founding", "co-founded")):
            subj = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, ("person",))]
            objs = [m for o in _children(t, ("dobj",)) for m in r.resolve(o, _ACTORS4)]
            for a in subj:
                for o in objs:
                    found.append(_Found(a, "leads", o, t, lemma, (t.i, t.i + 1)))
        if lemma in CUES["pledge_allegiance_verbs"] and any(
            c.dep_ == "dobj" and c.lemma_.lower() in CUES["allegiance_nouns"] for c in t.children
        ):  # "X pledged allegiance to Y"
            subj = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, _ARMED)]
            to = _prep_objects(t, ("to",)) + [p for d in _children(t, ("dobj",)) for p in _prep_objects(d, ("to",))]
            objs = [m for o in to for m in r.resolve(o, _ARMED)]
            found.extend(_Found(a, "part_of", o, t, lemma, (t.i, t.i + 1), clausal=False) for a in subj for o in objs)
        if lemma in CUES["belong_verbs"] or lemma in CUES["speak_for_verbs"]:
            # "X, which belongs to the Y Alliance" (part of it), "P, who speaks for X" (a member)
            preps = ("to",) if lemma in CUES["belong_verbs"] else ("for", "on behalf of")
            bodies = [m for o in _prep_objects(t, preps) for m in r.resolve(o, ("armed_group", "organization"))]
            for a in [m for st in _verb_subject_tokens(t) for m in r.resolve(st, _ACTORS4 + ("person",))]:
                rtype = "member_of" if r.kind(a) == "person" else "part_of"
                if rtype == "part_of" and lemma not in CUES["belong_verbs"]:
                    continue
                found.extend(_Found(a, rtype, b, t, lemma, (t.i, t.i + 1)) for b in bodies if b.entity_key != a.entity_key)
        if lemma in CUES["appoint_verbs"]:  # "X named P as its new leader", "P was appointed X's spokesman"
            found.extend(_appointed(r, t))
        if lemma in CUES["depend_verbs"]:  # "Y relies on X for weapons": X supports Y
            fors = [o for o in _prep_objects(t, ("for",)) if o.lemma_.lower() in _SUPPORT_NOUNS]
            givers = [m for o in _prep_objects(t, ("on", "upon")) for m in r.resolve(o, _ACTORS4)] if fors else []
            helped = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, _ACTORS4)]
            found.extend(_Found(g, "supports", h, t, lemma, (t.i, t.i + 1)) for g in givers for h in helped
                         if g.entity_key != h.entity_key)
        if lemma in CUES["made_of_verbs"]:  # "the X Alliance is made up of / consists of Y and Z"
            ofs = _prep_objects(t, ("of",)) + [p for c in t.children if c.dep_ in ("prt", "advmod")
                                               and c.lower_ in CUES["made_of_particles"] for p in _prep_objects(c, ("of",))]
            if ofs:
                whole = _children(t, ("nsubjpass",)) or _verb_subject_tokens(t)
                coalitions = [m for st in whole for m in r.resolve(st, ("armed_group", "organization")) if _is_coalition(m)]
                members = [m for o in ofs for m in r.resolve(o, _ARMED) if r.kind(m) == "armed_group"]
                found.extend(_Found(a, "part_of", c, t, lemma, (t.i, t.i + 1)) for c in coalitions for a in members
                             if a.entity_key != c.entity_key)
        if lemma in CUES["pit_verbs"]:  # "the fighting pitted X against Y"
            sides = [m for o in _children(t, ("dobj",)) for m in r.resolve(o, _ACTORS4)]
            against = _prep_objects(t, ("against",)) + [p for d in _children(t, ("dobj",)) for p in _prep_objects(d, ("against",))]
            others = [m for o in against for m in r.resolve(o, _ACTORS4)]
            found.extend(_Found(a, "hostile_to", b, t, lemma, (t.i, t.i + 1)) for a in sides for b in others
                         if a.entity_key != b.entity_key)
        if lemma in CUES["include_verbs"]:  # "the X Alliance, which includes Y and Z": members of a coalition
            coalitions = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, ("armed_group", "organization"))
                          if _is_coalition(m)]
            members = [m for o in _children(t, ("dobj",)) for m in r.resolve(o, _ARMED)]
            found.extend(_Found(a, "part_of", c, t, lemma, (t.i, t.i + 1)) for c in coalitions for a in members
                         if a.entity_key != c.entity_key and r.kind(a) == "armed_group")
        if lemma in CUES["founding_verbs"]:
            subj = [m for st in _verb_subject_tokens(t) for m in r.resolve(st, _ACTORS4 + ("person",))]
            objs = [m for o in _children(t, ("dobj",)) for m in ([r.mention_of(o)] if r.mention_of(o) else
                                                                 _named_coalition(r, o) if lemma == "join" else [])]
            objs = [o for o in objs if r.kind(o) in ("armed_group", "organization")]
            if lemma == "join" or len({m.entity_key for m in subj}) > 1:
                for a in subj:
                    for o in objs:
                        if lemma == "join" and r.kind(a) == "person":  # "P joined X": a member
                            found.append(_Found(a, "member_of", o, t, lemma, (t.i, t.i + 1)))
                        elif r.kind(a) != "person":
                            found.append(_Found(a, "part_of", o, t, lemma, (t.i, t.i + 1)))
                subj = [a for a in subj if r.kind(a) != "person"]
                if lemma != "join" and objs:
                    for i, a in enumerate(subj):
                        for b in subj[i + 1:]:
                            found.append(_Found(a, "ally_of", b, t, lemma, (t.i, t.i + 1)))
    return found
