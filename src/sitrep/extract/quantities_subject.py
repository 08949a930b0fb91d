"""Whom a count is about: the owner of what is counted, read from the parse.

"X's fighters", "X fighters", "fighters of X", "drones launched by X", "X has N fighters", the place
that groups or incidents are in, and descriptions ("the group", "the force") resolved to the salient
earlier actor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.extract.quantities_cues import QuantityCues, load_quantity_cues
from sitrep.extract.relations_reader import DocReader, verb_subject_tokens
from sitrep.models import Entity, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

PLACE_KINDS_Q = ("country", "state", "province", "city", "district", "region")
ACTOR_KINDS = ("armed_group", "organization", "state", "country")
FORCE_KINDS = ("armed_group", "state", "country")  # who launches attacks and strikes targets
_CLAUSES = ("advcl", "ccomp", "xcomp", "conj", "parataxis", "relcl", "acl", "csubj")




def _q() -> QuantityCues:
    return load_quantity_cues()


def mention_on(r: DocReader, noun: Token, kinds: tuple[str, ...]) -> Mention | None:
    """An actor named on the counted noun: "US troops", "Royal Air Force Typhoon jets", "the group's fighters",
    "fighters of/from X"."""
    for c in noun.children:
        if c.dep_ in ("compound", "nmod", "poss", "amod"):
            m = r.mention_of(c)
            if m is not None and r.kind(m) in kinds:
                return m
            if c.dep_ == "poss":
                res = [x for x in r.resolve(c, kinds) if r.kind(x) in kinds]
                if res:
                    return res[0]
            if c.dep_ in ("compound", "nmod") and m is None:
                for sub in c.subtree:  # a name nested in a compound chain
                    sm = r.mention_of(sub)
                    if sm is not None and r.kind(sm) in kinds:
                        return sm
        if c.dep_ == "prep" and c.lower_ in _q().owner_preps and noun.lemma_.lower() in _q().people_nouns | _q().strength_nouns:
            for p in c.children:
                if p.dep_ == "pobj":
                    m = resolve_subject(r, p, kinds)
                    if m is not None:
                        return m
    return None


def place_of(r: DocReader, tok: Token, deep: bool = True) -> Mention | None:
    """A place the counted things are in: "in P", "operating in P", "a presence in P" (``deep``: anywhere
    below ``tok``; else not inside the clauses hanging off ``tok``, so "..., saying they act in P" is not read)."""
    subs = tok.subtree if deep else (
        sub for c in tok.children if c.dep_ not in _CLAUSES for sub in c.subtree)
    for sub in subs:
        if sub.dep_ == "prep" and sub.lower_ in _q().place_preps:
            for p in sub.children:
                if p.dep_ == "pobj":
                    res = [x for x in r.resolve(p, PLACE_KINDS_Q) if r.kind(x) in PLACE_KINDS_Q]
                    if res:
                        return res[0]
    return None


def presence_place(r: DocReader, noun: Token) -> Mention | None:
    """ "more than five million people live in P", "10,000 residents displaced from P", "people sheltering in
    these areas" (the places the previous sentence names first): the place a count of people is in."""
    q = _q()
    verbs = [c for c in noun.children if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in q.presence_verbs]
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj") and noun.head.lemma_.lower() in q.presence_verbs:
        verbs.append(noun.head)  # "10,000 residents fled", "the fighting displaced 10,000 people"
    if noun.dep_ == "dobj":  # "forced 3,000 people to flee": the people do what the verb makes them do
        verbs += [c for c in noun.head.children if c.dep_ in ("xcomp", "ccomp") and c.lemma_.lower() in q.presence_verbs]
    verbs += [c for v in list(verbs) for c in v.conjuncts if c.lemma_.lower() in q.presence_verbs and c not in verbs]
    for verb in verbs:
        for p in verb.children:
            if p.dep_ != "prep" or p.lower_ not in q.place_preps | q.owner_preps:
                continue
            for o in p.children:
                if o.dep_ != "pobj":
                    continue
                res = [x for x in r.resolve(o, PLACE_KINDS_Q) if r.kind(x) in PLACE_KINDS_Q]
                if res:
                    return res[0]
                if any(c.dep_ == "det" and c.lower_ in q.back_reference_determiners - {"the"} for c in o.children):
                    idx = r._sent_index.get(noun.sent.start, -1)  # "in these areas": the places just named
                    if idx > 0:
                        prev = r.sents[idx - 1]
                        places = [m for m in r.ctx.mentions_in(prev.start_char, prev.end_char)
                                  if r.kind(m) in PLACE_KINDS_Q]
                        if places:
                            return places[0]
    for verb in verbs:  # "fled their homes in P"
        place = place_of(r, verb, deep=False)
        if place is not None:
            return place
    for verb in verbs:  # "2,000 families have fled P": the place left is the verb's object
        for o in verb.children:
            if o.dep_ == "dobj" and o.i != noun.i:
                res = [x for x in r.resolve(o, PLACE_KINDS_Q) if r.kind(x) in PLACE_KINDS_Q]
                if res:
                    return res[0]
    return None


def demonym_owner(r: DocReader, noun: Token) -> Mention | None:
    """ "Russian personnel", "American troops": the country of an adjective of nationality."""
    for c in noun.children:
        if c.dep_ not in ("amod", "compound", "nmod") or not c.text[:1].isupper() or r.mention_of(c) is not None:
            continue
        rec = r.ctx.gazetteer.country_of_demonym(c.text)
        if rec is None:
            continue
        if rec.id not in r.ctx.entities:
            r.ctx.entities[rec.id] = Entity(
                key=rec.id, name=rec.name, kind=rec.kind, aliases=list(dict.fromkeys([rec.name, *rec.aliases])),
                gazetteer_id=rec.id, parent=rec.parent, country=rec.country, lat=rec.lat, lon=rec.lon,
            )
        return Mention(doc_id=r.ctx.document.id, start=c.idx, end=c.idx + len(c), text=c.text, label=rec.kind,
                       entity_key=rec.id, source_label="demonym")
    return None


def demonym_force(r: DocReader, noun: Token) -> Mention | None:
    """ "Nigerien soldiers" -> the Nigerien army, where the gazetteer knows the force the demonym and the
    noun's force words name ("<demonym> army", "<demonym> military", ...)."""
    words = _q().force_name_words.get(noun.lemma_.lower())
    if not words:
        return None
    for c in noun.children:
        if c.dep_ not in ("amod", "compound", "nmod") or not c.text[:1].isupper():
            continue
        if r.ctx.gazetteer.country_of_demonym(c.text) is None:
            continue
        for w in words:
            rec = r.ctx.gazetteer.actor(f"{c.text} {w}")
            if rec is None or rec.kind not in ACTOR_KINDS:
                continue
            if rec.id not in r.ctx.entities:
                r.ctx.entities[rec.id] = Entity(key=rec.id, name=rec.name, kind=rec.kind,
                                                aliases=list(dict.fromkeys([rec.name, *rec.aliases])),
                                                gazetteer_id=rec.id, parent=rec.parent, country=rec.country)
            return Mention(doc_id=r.ctx.document.id, start=c.idx, end=c.idx + len(c), text=c.text, label=rec.kind,
                           entity_key=rec.id, source_label="demonym")
    return None


def _name_match(r: DocReader, tok: Token, kinds: tuple[str, ...]) -> Mention | None:
    """ "the force" -> the Popular Mobilization Forces, "the mission" -> the ... Mission in Somalia: the latest
    earlier actor (within a few sentences) whose name contains the descriptive noun."""
    lemma = tok.lemma_.lower()
    if lemma in _q().name_words_skip or len(lemma) < 4:
        return None
    for m in reversed(r.ctx.mentions_in(max(0, tok.idx - 1500), tok.left_edge.idx)):
        if r.kind(m) not in kinds:
            continue
        ent = r.ctx.entities.get(m.entity_key)
        names = [ent.name, *ent.aliases] if ent is not None else [m.text]
        for name in names:
            words = re.findall(r"[a-z]+", name.lower())
            if lemma in words or lemma + "s" in words or (lemma.endswith("y") and lemma[:-1] + "ies" in words):
                return m
    return None


def salient_actor(r: DocReader, tok: Token, kinds: tuple[str, ...]) -> Mention | None:
    """The actor a description ("the group", "most cells", "the strikes") points back to: the latest one
    earlier in the sentence, else the nearest earlier sentence's subject among the last three sentences,
    else the latest one named in the nearest sentence naming any."""
    sent = tok.sent
    same = [m for m in r.ctx.mentions_in(sent.start_char, tok.left_edge.idx) if r.kind(m) in kinds]
    if same:
        return same[-1]
    idx = r._sent_index.get(sent.start, -1)
    fallback: Mention | None = None
    for back in range(1, 4):
        if idx - back < 0:
            break
        prev = r.sents[idx - back]
        cands = [m for m in r.ctx.mentions_in(prev.start_char, prev.end_char) if r.kind(m) in kinds]
        subj = [m for m in cands if r._is_subject(m)]
        heads = [m for m in subj if all(t.dep_ != "conj" for t in r._tokens(m)[-1:])]
        if subj:
            return (heads or subj)[-1]  # "The United States and Britain struck ...": the first conjunct
        if cands and fallback is None:
            fallback = cands[-1]
    return fallback


def main_group(r: DocReader, tok: Token) -> Mention | None:
    """The armed group the article names most often, if one leads; its latest mention before ``tok``."""
    counts: dict[str, int] = {}
    for m in r.mentions:
        if r.kind(m) == "armed_group":
            counts[m.entity_key] = counts.get(m.entity_key, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    before = [m for m in r.mentions if m.entity_key == ranked[0][0] and m.start < tok.idx]
    return before[-1] if before else None


def resolve_subject(r: DocReader, tok: Token, kinds: tuple[str, ...] = ACTOR_KINDS) -> Mention | None:
    """The actor a subject (or owner) noun phrase stands for."""
    for _ in range(4):
        m = r.mention_of(tok)
        if m is not None:
            return m if r.kind(m) in kinds else None
        if tok.lower_ in ("that", "which", "who") and tok.head.dep_ == "relcl":
            tok = tok.head.head  # "militias that have ..." -> militias
            continue
        if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.dep_ == "appos":
            tok = tok.head.head  # "a coalition of militias" -> the coalition
            continue
        if tok.dep_ == "appos" and tok.pos_ == "NOUN":
            # "X, a loose coalition ...": the name just before the apposition, however it was attached
            prev = tok.doc[tok.left_edge.i - 1] if tok.left_edge.i > tok.sent.start else None
            if prev is not None and prev.is_punct and prev.i > tok.sent.start:
                prev = tok.doc[prev.i - 1]
            pm = r.mention_of(prev) if prev is not None else None
            if pm is not None:
                return pm if r.kind(pm) in kinds else None
            tok = tok.head
            continue
        break
    lemma = tok.lemma_.lower()
    dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
    if any(c.dep_ == "nummod" for c in tok.children) and dets & {"the", "these", "those"}:
        return None  # "the three countries": several actors at once
    m = mention_on(r, tok, kinds)
    if m is None and "country" in kinds:
        m = demonym_owner(r, tok)
    if m is not None:
        return m
    if tok.pos_ == "NOUN" and (lemma in _q().group_nouns or lemma in _q().force_nouns):
        if dets & _q().definite_determiners or tok.tag_ == "NNS":
            words = [t for t in tok.subtree if t.dep_ not in ("relcl", "prep", "acl", "punct")]
            phrase = " ".join(t.lower_ for t in words if t.lower_ not in _q().definite_determiners)
            if phrase in r.descriptors or lemma in r.descriptors:  # "the terrorist organization Al Qaeda" earlier
                m = r.antecedent(tok, ("armed_group",))
                if m is not None:
                    return m
            m = _name_match(r, tok, kinds)
            if m is None and (lemma in _q().group_nouns or lemma == "force"):
                m = salient_actor(r, tok, ("armed_group",))
            return m
    if tok.pos_ == "NOUN" and lemma in _q().event_nouns and dets & _q().definite_determiners:
        return salient_actor(r, tok, FORCE_KINDS)  # "The strikes hit ..." -> who carried them out
    res = [x for x in r.resolve(tok, kinds) if r.kind(x) in kinds]
    if not res and tok.pos_ == "NOUN" and lemma in _q().member_nouns and "the" in dets and "armed_group" in kinds:
        # "the militants were holding 20 hostages": the group just named, else the article's main group
        return salient_actor(r, tok, ("armed_group",)) or main_group(r, tok)
    return res[0] if res else None


def _acl_agent(r: DocReader, noun: Token) -> Mention | None:
    """ "drones fired by the group", "troops deployed by Kenya" (also on the last item of a list)."""
    items = [noun, *(c for c in noun.conjuncts if c.i != noun.i)]
    items += [c for it in list(items) for c in it.children if c.dep_ == "appos"]
    items += [c for it in list(items) for c in it.conjuncts if c.i != it.i and c not in items]
    for it in items:
        for acl in it.children:
            if acl.dep_ != "acl":
                continue
            for ag in acl.children:
                if ag.dep_ == "agent":
                    for p in ag.children:
                        if p.dep_ == "pobj":
                            return resolve_subject(r, p)
    return None


def _verb_actor(r: DocReader, anchor: Token, kinds: tuple[str, ...], verbs: frozenset[str] | None = None) -> Mention | None:
    """The subject of the verb governing ``anchor`` ("X has N fighters", "X launched N attacks")."""
    cur = anchor
    for _ in range(4):
        if cur.dep_ in ("nsubj", "nsubjpass"):
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX") or any(c.dep_ == "nsubj" for c in cur.children):
            # (a word with a subject is a verb, however it was tagged: "X numbers around 6,000 men")
            if verbs is not None and cur.lemma_.lower() not in verbs and not any(
                    c.dep_ == "acomp" and c.lemma_.lower() in _q().presence_adjectives for c in cur.children):
                return None  # (not "is active in five provinces": being there is holding them)
            passive = [c for c in cur.children if c.dep_ == "nsubjpass"]  # "its strength is put at 2,500 men"
            for st in verb_subject_tokens(cur) or passive:
                m = resolve_subject(r, st, kinds)
                if m is not None:
                    return m
            return None
    return None


def subject_of_count(r: DocReader, num: Token, noun: Token | None) -> Mention | None:
    """Whom a strength count is about (the owner of what is counted)."""
    q = _q()
    lemma = noun.lemma_.lower() if noun is not None else ""
    if noun is not None:
        if lemma in q.people_nouns and noun.dep_ == "nsubj" and noun.head.lemma_.lower() in q.say_verbs:
            return None  # "two officers said": sources, not a count
        m = mention_on(r, noun, ACTOR_KINDS if lemma not in ("province", "district") else PLACE_KINDS_Q + ACTOR_KINDS)
        if m is None:
            m = _acl_agent(r, noun)
        if m is None and lemma in q.people_nouns:
            m = demonym_owner(r, noun)
        if m is not None:
            return m
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ in q.having_preps \
            and noun.head.head.pos_ in ("PROPN", "NOUN"):
        m = resolve_subject(r, noun.head.head)  # "X with around 70 fighters attacked ..."
        if m is not None:
            return m
    if noun is not None and noun.dep_ == "pobj" and noun.head.lower_ in q.having_preps:
        before = noun.doc[noun.head.i - 1] if noun.head.i > noun.sent.start else None
        if before is not None and before.is_punct and before.i > noun.sent.start:
            m = r.mention_of(noun.doc[before.i - 1])  # "X, with around 70 fighters, ...": however it was parsed
            if m is not None and r.kind(m) in ACTOR_KINDS:
                return m
    anchor = noun if noun is not None else num
    if lemma in q.event_nouns:
        if _thwarted(anchor):
            return None  # "201 attacks prevented": incidents that did not happen
        m = _verb_actor(r, anchor, FORCE_KINDS, q.doer_verbs | q.hold_verbs)
        if m is not None:
            return m
    if lemma in q.target_nouns:
        return _verb_actor(r, anchor, FORCE_KINDS)
    if lemma in q.group_nouns | q.event_nouns:
        place = place_of(r, anchor)
        if place is None and anchor.head.pos_ in ("VERB", "AUX"):
            place = place_of(r, anchor.head, deep=False)
        if place is None and lemma in q.event_nouns and r.main_country_key:
            place = next((m for m in r.mentions if m.entity_key == r.main_country_key), None)
        if place is not None:
            if lemma in q.group_nouns:
                gov = anchor.head
                subj = verb_subject_tokens(gov) if gov.pos_ in ("VERB", "AUX") and anchor.dep_ != "nsubj" else []
                for st in subj[:1]:
                    owner = resolve_subject(r, st)
                    if owner is not None:
                        return owner
            return place
    # the subject of the governing verb: "X has N fighters", "X runs 8 camps" (not "X attacked two camps")
    held = q.weapon_nouns | q.place_nouns
    return _verb_actor(r, anchor, ACTOR_KINDS, q.hold_verbs if lemma in held else None)


def out_of_counts(r: DocReader, first: Token, last: Token) -> tuple[Mention | None, Mention | None, Token | None]:
    """ "X operates camps in ten out of 34 P provinces": (the actor present in the part, the place whose total
    it is, the counted noun); Nones where the sentence does not say."""
    noun = last.head if last.dep_ == "nummod" else None
    if noun is None or noun.lemma_.lower() not in _q().place_nouns:
        return None, None, None
    place = mention_on(r, noun, PLACE_KINDS_Q)
    if place is None:
        place = demonym_owner(r, noun)
    actor = _verb_actor(r, first, ("armed_group", "organization"), _q().hold_verbs)
    return actor, place, noun


def _thwarted(tok: Token) -> bool:
    """A verb of prevention governs the counted events ("prevented", "foiled", "thwarted")."""
    from sitrep.extract.events_cues import load_cues

    hypothetical = load_cues().hypothetical_lemmas
    cur = tok
    for _ in range(3):
        if cur.pos_ == "VERB" and cur.lemma_.lower() in hypothetical:
            return True
        if any(c.dep_ in ("acl", "relcl", "amod") and c.lemma_.lower() in hypothetical for c in cur.children):
            return True
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return False


def clause_owner(r: DocReader, num: Token) -> Mention | None:
    """The subject of the clause a number sits in."""
    cur = num
    for _ in range(5):
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            for st in verb_subject_tokens(cur):
                res = r.resolve(st, ACTOR_KINDS)
                if res:
                    return res[0]
            return None
    return None
