"""Casualty counts as quantities: people killed, wounded or captured, and things seized.

FORMAT's rule: an event's death toll is the event's, not a quantity, unless someone gives a
figure of their own. So a count of the killed becomes a quantity only when the count names
whose men they were ("three of the group's fighters") or an actor claims it ("X claimed to
have killed 200 soldiers"). Counts of the wounded and captured, and of things seized, are
always quantities: about the victims' force when the noun names it (or a force named earlier
that the noun stands for, "soldiers" -> the army), about the place of the incident when the
victims are people, and about the one who took them for captives and loot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.extract.context import ExtractionContext
from sitrep.extract.quantities_cues import QuantityCues, load_quantity_cues
from sitrep.extract.quantities_subject import (
    ACTOR_KINDS,
    FORCE_KINDS,
    PLACE_KINDS_Q,
    demonym_force,
    demonym_owner,
    mention_on,
    resolve_subject,
    salient_actor,
)
from sitrep.extract.relations_reader import DocReader, verb_subject_tokens
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

_SCENE_KINDS = ("city", "district", "province", "region")
LOOKBACK = 1500  # characters before a count searched for the incident's place or a force's name


@dataclass(frozen=True, slots=True)
class CasualtyCount:
    kind: str  # killed | wounded | captured | seized
    verb: Token  # the word that says so ("wounded", "killed", "prisoner")
    subject: Mention | None  # whom the quantity is about; None: no quantity (an event's toll)
    what: str
    claimed: bool = False  # a death toll an actor claims (no quantity where the article gives it as its own)


def _subset_of(base: Token, q: QuantityCues) -> tuple[str, Token] | None:
    """ "20 churchgoers among the dead", "12 children among those killed", "20 of the dead": a part of a toll."""
    for p in base.children:
        partitive = p.lower_ == "of" and base.like_num  # "20 of the dead were churchgoers"
        if p.dep_ != "prep" or (p.lemma_.lower() not in q.subset_words and not partitive):
            continue
        for o in p.children:
            if o.dep_ != "pobj":
                continue
            if o.lemma_.lower() in q.casualty_kinds:
                return q.casualty_kinds[o.lemma_.lower()], o
            for c in o.children:  # "among those killed"
                if c.dep_ in ("acl", "relcl", "amod") and c.lemma_.lower() in q.casualty_kinds:
                    return q.casualty_kinds[c.lemma_.lower()], c
    return None


Part = tuple[str, "Token", "Token | bool | None"]


def casualty_kind(num: Token, noun: Token | None, q: QuantityCues) -> Part | None:
    """What happened to the counted people (things), the word that says so, and whether the count is a part
    of a larger one ("killed 53 people, including 46 girls": the noun of the whole, else True; None: no part)."""
    if noun is not None and noun.lemma_.lower() in q.casualty_kinds and noun.pos_ == "NOUN":
        return q.casualty_kinds[noun.lemma_.lower()], noun.head, None  # "put the casualties at 45"
    for base in [t for t in (noun, num) if t is not None]:
        for c in base.children:  # "13 wounded people", "the dead", "taken prisoner"
            if c.dep_ in ("amod", "acl", "relcl") and c.lemma_.lower() in q.casualty_kinds:
                return q.casualty_kinds[c.lemma_.lower()], c, None
        part = _subset_of(base, q)
        if part is not None:
            return part[0], part[1], True
        if base is num and noun is not None:
            break  # the noun's own chain was read first
        cur = base
        whole: Token | None = None
        for _ in range(4):
            if cur.head.i == cur.i:
                break
            if cur.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "nummod", "conj", "appos", "attr", "agent"):
                break
            cur = cur.head
            lemma = cur.lemma_.lower()
            if lemma in q.subset_words and cur.dep_ == "prep":
                whole = cur.head  # "including 46 girls": read on from the noun the part belongs to
                continue
            if lemma in q.casualty_kinds:
                return q.casualty_kinds[lemma], cur, whole
            if cur.pos_ in ("VERB", "AUX"):
                part = _subset_of(cur, q)  # "20 worshippers were among the dead"
                if part is not None:
                    return part[0], part[1], True
                if base is num and noun is None:  # "the toll stood at 45", "casualties rose to 60"
                    subj = next((c for c in cur.children if c.dep_ == "nsubj" and c.pos_ == "NOUN"
                                 and c.lemma_.lower() in q.casualty_kinds), None)
                    if subj is not None:
                        return q.casualty_kinds[subj.lemma_.lower()], subj, whole
            for c in cur.children:  # "were taken prisoner", "held hostage", "taken as prisoners"
                if c is base:
                    continue
                comp = c
                if c.dep_ == "prep" and c.lower_ == "as":
                    comp = next((o for o in c.children if o.dep_ == "pobj"), c)
                elif c.dep_ not in ("oprd", "attr", "xcomp", "acomp", "dobj") and not (
                        c.dep_ == "advcl" and c.tag_ == "VBN" and c.i > base.i):
                    continue  # (a participle after the people: "left 20 people injured")
                if comp.lemma_.lower() in q.state_words and comp.lemma_.lower() in q.casualty_kinds:
                    return q.casualty_kinds[comp.lemma_.lower()], comp, whole
            if cur.pos_ in ("VERB", "AUX"):
                break
    return None


def _claimant(r: DocReader, verb: Token, q: QuantityCues) -> Mention | None:
    """The actor that claims the count: the subject of a claim verb above the casualty verb."""
    cur = verb
    for _ in range(5):
        if cur.lemma_.lower() in q.claim_verbs | q.estimate_verbs and cur.pos_ == "VERB":
            for st in verb_subject_tokens(cur):
                m = resolve_subject(r, st, ("armed_group", "state", "country", "organization"))
                if m is not None and r.kind(m) == "armed_group":
                    return m
            return None
        if cur.dep_ in ("acl", "ccomp", "appos") and cur.head.pos_ == "NOUN" and \
                cur.head.lemma_.lower() in _claim_nouns() and any(m.dep_ == "mark" for m in cur.children):
            # "claims by G that it had killed 50 soldiers", "G's claim that ...": the claim's owner claims it
            owners = [c for c in cur.head.children if c.dep_ == "poss"]
            owners += [p for c in cur.head.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                       for p in c.children if p.dep_ == "pobj"]
            for o in owners[:1]:
                m = resolve_subject(r, o, ("armed_group", "state", "country", "organization"))
                if m is not None and r.kind(m) == "armed_group":
                    return m
            return None
        if cur.head.i == cur.i or cur.dep_ in ("relcl", "acl"):
            break  # "claimed the bombing that killed six": the toll is the article's, not the claim's
        cur = cur.head
    return None


def _claim_nouns() -> frozenset[str]:
    return language().claim_nouns


def _doer(r: DocReader, verb: Token) -> Mention | None:
    """Who did it: the active subject of the verb ("X looted five vehicles"), else its agent."""
    if verb.pos_ == "VERB" and not any(c.dep_ == "auxpass" for c in verb.children):
        for st in verb_subject_tokens(verb):
            m = resolve_subject(r, st, FORCE_KINDS)
            if m is not None:
                return m
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return resolve_subject(r, p, FORCE_KINDS)
    return None


def _not_the_doer(r: DocReader, noun: Token, verb: Token, owner: Mention) -> Mention | None:
    """"they killed its fighters": a possessive pronoun on the victims is not the killer; another group it is."""
    pron = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if pron is None:
        return owner
    doer = _doer(r, verb)
    if (doer is None or doer.entity_key != owner.entity_key) and r.kind(owner) == "armed_group":
        return owner
    # "<forces> said they had killed its fighters": "its" is the group the forces fight, not the forces
    return r.antecedent(pron, ("armed_group",), exclude=owner.entity_key) or owner


def _force_named_before(r: DocReader, noun: Token, q: QuantityCues) -> Mention | None:
    """"17 soldiers were wounded": the latest force named before whose name says what the noun is (an army),
    else the first one named after it."""
    words = q.force_name_words.get(noun.lemma_.lower())
    if not words:
        return None
    before = list(reversed(r.ctx.mentions_in(max(0, noun.idx - LOOKBACK), noun.left_edge.idx)))
    after = r.ctx.mentions_in(noun.idx, noun.idx + LOOKBACK)  # the lede may name the force only later
    for m in [*before, *after]:
        if r.kind(m) not in ("organization", "state"):
            continue  # soldiers, troops, police: a state's forces, not an armed group "... Liberation Army"
        ent = r.ctx.entities.get(m.entity_key)
        name = (ent.name if ent is not None else m.text).lower()
        if any(re.search(rf"\b{re.escape(w)}\b", name) for w in words):
            return m
    return None


def _scene(r: DocReader, num: Token) -> Mention | None:
    """The place of the incident: the most specific place the sentence names, else one named shortly before."""
    sent = num.sent
    best: Mention | None = None
    rank = {"city": 4, "district": 3, "province": 2, "region": 1}
    for m in r.ctx.mentions_in(sent.start_char, sent.end_char):
        if r.kind(m) in _SCENE_KINDS and (best is None or rank[r.kind(m)] > rank[r.kind(best)]):
            best = m
    if best is not None:
        return best
    for m in reversed(r.ctx.mentions_in(max(0, sent.start_char - LOOKBACK), sent.start_char)):
        if r.kind(m) in ("city", "district"):
            return m
    return None


def _label(noun: Token | None, kind: str) -> str:
    return f"{noun.lemma_.lower() if noun is not None else 'people'} {kind}"


def partial_count(noun: Token) -> bool:
    """ "the commander and two other fighters", "along with three more": the rest of a list, not the figure."""
    q = load_quantity_cues()
    rest = noun.lemma_.lower() in q.partial_words or any(
        c.dep_ == "amod" and c.lemma_.lower() in q.partial_words for c in noun.children)
    listed = noun.dep_ == "conj" or any(c.dep_ == "conj" for c in noun.children) \
        or (noun.dep_ == "pobj" and noun.head.lower_ == "with")
    return rest and listed


def named_list(r: DocReader, noun: Token) -> bool:
    """ "two commanders, A and B": a count that names the people it counts."""
    for c in noun.children:
        if c.dep_ == "appos":
            m = r.mention_of(c)
            if m is not None and r.kind(m) == "person":
                return True
    return False


def _elided_noun(num: Token, q: QuantityCues, counted: bool = True) -> Token | None:
    """ "30 soldiers killed and two taken prisoner", "a soldier was killed and four others wounded": the people
    an earlier noun of the sentence names (``counted``: only a noun with a number of its own)."""
    for t in reversed(list(num.sent)[: num.i - num.sent.start]):
        if t.pos_ == "NOUN" and t.lemma_.lower() in (q.people_nouns | q.victim_people_nouns) - q.partial_words \
                and (not counted or any(c.dep_ == "nummod" for c in t.children)):
            return t
    return None


def speaker_group(r: DocReader, tok: Token) -> Mention | None:
    """The group a first-person pronoun ("we", "our") stands for: the speaker, or the armed group the speaker
    is named with ("X, a spokesman for G, said")."""
    from sitrep.extract.attribution import source_for

    q = load_quantity_cues()
    if tok.lower_ not in q.speaker_pronouns:
        return None
    src = source_for(r.ctx, tok.idx, tok.idx + len(tok))
    if src is None or src.key is None:
        return None
    ent = r.ctx.entities.get(src.key)
    if ent is not None and ent.kind == "armed_group":
        return next((m for m in r.mentions if m.entity_key == src.key), None)
    cues = list(r.ctx.source_cues.get(tok.sent.start_char) or [])
    named = r.ctx.sentence_of(src.start) if src.start >= 0 else None
    if named is not None:  # a quotation carried over sentences: the speaker is described where named
        cues += r.ctx.source_cues.get(named.start_char) or []
    for cue in cues:
        if cue.source is not None and cue.source.key == src.key:
            groups = [m for m in r.ctx.mentions_in(*cue.phrase) if r.kind(m) == "armed_group"]
            if groups:
                return groups[0]
    return None


def _we_did_it(r: DocReader, verb: Token) -> Mention | None:
    """ "We attacked them with a bomb, which killed three soldiers": a speaker's own group claims the deed."""
    q = load_quantity_cues()
    cur = verb
    for _ in range(6):
        for c in cur.children:
            if c.dep_ in ("nsubj", "poss") and c.lower_ in q.speaker_pronouns:
                return speaker_group(r, c)
            if c.dep_ == "nsubj":
                owner = next((p for p in c.children if p.dep_ == "poss" and p.lower_ in q.speaker_pronouns), None)
                if owner is not None:  # "our fighters killed ..."
                    return speaker_group(r, owner)
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return None


def _over_a_period(verb: Token, q: QuantityCues) -> bool:
    """ "has killed 1,000 civilians since 2020", "over the past year": a count taken over a period."""
    for p in verb.children:
        if p.dep_ != "prep" or p.lower_ not in q.period_preps:
            continue
        for o in p.children:
            if o.dep_ == "pobj" and (o.lemma_.lower() in q.period_nouns or o.lower_ in q.period_nouns
                                     or (o.like_num and len(o.text) == 4 and o.text.isdigit())):
                return True
    return False


def _loser(r: DocReader, verb: Token, q: QuantityCues) -> Mention | None:
    """ "X lost 200 fighters", "the group suffered 40 dead": the subject's own men."""
    if verb.lemma_.lower() not in q.loss_verbs or verb.pos_ != "VERB":
        return None
    for st in verb_subject_tokens(verb):
        m = resolve_subject(r, st, FORCE_KINDS)
        if m is not None:
            return m
    return None


def _total(verb: Token, q: QuantityCues) -> bool:
    """A count over several incidents ("in two attacks", "in clashes") or of killed and wounded together."""
    verbs = [verb, *verb.conjuncts]
    if verb.dep_ in ("oprd", "acomp", "xcomp", "attr"):
        verbs.append(verb.head)  # "were reported dead in clashes"
    if _over_a_period(verb, q):
        return True
    for v in verbs:
        if v.i != verb.i and q.casualty_kinds.get(v.lemma_.lower()) not in (None, q.casualty_kinds.get(verb.lemma_.lower())) \
                and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in v.children):
            return True  # "were killed or wounded": one figure for both
        for p in v.children:
            if p.dep_ != "prep" or p.lower_ not in q.incident_preps:
                continue
            for o in p.children:
                if o.dep_ == "pobj" and o.lemma_.lower() in q.event_nouns and o.tag_ == "NNS":
                    return True
    return False


def _belongs_to(r: DocReader, num: Token, q: QuantityCues) -> Mention | None:
    """ "among the dead, at least 31 belonged to the X movement": the group the counted people are members of."""
    verb = num.head if num.dep_ in ("nsubj", "nsubjpass") else None
    if verb is None or verb.lemma_.lower() not in q.membership_verbs:
        return None
    for p in verb.children:
        if p.dep_ == "prep" and p.lower_ == "to":
            for o in p.children:
                if o.dep_ == "pobj":
                    return resolve_subject(r, o, ACTOR_KINDS)
    return None


def _force_of_country(r: DocReader, noun: Token, country: Mention, q: QuantityCues) -> Mention:
    """ "Iraqi soldiers" after "the Iraqi army": the force named before that belongs to the demonym's country."""
    m = _force_named_before(r, noun, q)
    if m is None:
        return country
    ent = r.ctx.entities.get(m.entity_key)
    cent = r.ctx.entities.get(country.entity_key)
    if ent is not None and cent is not None and ent.country and ent.country == cent.country:
        return m
    return country


def competing_toll(r: DocReader, num: Token, cas: CasualtyCount, ctx: ExtractionContext) -> CasualtyCount:
    """A death toll that differs from every event's own: a quantity about the place of the incident when a
    source gives it, or when it adds up several incidents; otherwise still no quantity."""
    from sitrep.extract.attribution import source_for

    q = load_quantity_cues()
    noun = num.head if num.dep_ == "nummod" else None
    if noun is not None and noun.lemma_.lower() not in q.victim_people_nouns | set(q.casualty_kinds):
        return cas  # "50 rebels killed": whose men they were is not said, so the figure is about no one
    sourced = source_for(ctx, num.idx, num.idx + len(num)) is not None
    if not sourced and not _total(cas.verb, q):
        return cas
    return CasualtyCount(cas.kind, cas.verb, _scene(r, num), cas.what)


def casualty_count(r: DocReader, num: Token, noun: Token | None) -> CasualtyCount | None:
    """The casualty count a number is, with whom it is about; None when the number is no casualty count."""
    q = load_quantity_cues()
    found = casualty_kind(num, noun, q)
    if found is None:
        return None
    kind, verb, part = found
    if isinstance(part, bool) or part is None:
        whole = None
    else:  # the count of the whole ("about 20 hostages, including eight A"): the part is about the same one
        whole_num = next((c for c in part.children if c.dep_ == "nummod"), None)
        whole = casualty_count(r, whole_num, part) if whole_num is not None and part.i != (noun.i if noun else -1) else None
        if whole is not None and whole.subject is not None and kind != "killed":
            return CasualtyCount(kind, verb, whole.subject, _label(part, kind))
    subset = part is not None
    lemma = noun.lemma_.lower() if noun is not None else ""
    if lemma in q.event_nouns | q.group_nouns | q.target_nouns or (lemma in q.place_nouns and kind != "seized"):
        return None  # "two attacks killed ...": the count is of incidents or places, not of victims
    if noun is not None and (partial_count(noun) or named_list(r, noun)):
        return CasualtyCount(kind, verb, None, "")  # part of a list, or people named one by one
    if noun is None:
        noun = _elided_noun(num, q)
    elif lemma in q.partial_words:  # "four others": the people named before them
        noun = _elided_noun(num, q, counted=False) or noun
    what = _label(noun, kind)
    owner: Mention | None = None
    from_demonym = False
    if noun is not None:
        owner = mention_on(r, noun, ACTOR_KINDS)
        if owner is None and noun.lemma_.lower() in q.people_nouns:
            owner = demonym_force(r, noun) or demonym_owner(r, noun)
            from_demonym = owner is not None and r.kind(owner) == "country"
    if owner is None and (noun is None or noun.lemma_.lower() not in q.force_name_words):
        owner = _loser(r, verb, q)  # (not "lost three soldiers": a state's men, the event's toll)
    if owner is not None and noun is not None:
        owner = _not_the_doer(r, noun, verb, owner)
    if noun is not None and any(c.dep_ == "conj" and c.pos_ == "NOUN" and c.lemma_ != noun.lemma_ for c in noun.children):
        owner = None  # "50 A rebels and B troops were killed": one figure for both sides, no one's own
    total = _total(verb, q)
    if kind == "killed" and owner is None and not subset and _over_a_period(verb, q):
        doer = _doer(r, verb)  # "X has killed 1,000 civilians since 2020": the people X is said to have killed
        if doer is not None and r.kind(doer) == "armed_group":
            return CasualtyCount(kind, verb, doer, what)
    if kind == "killed" and not subset and not total:
        # a group's own dead ("three of its fighters") or a claimed toll; a state's soldiers killed are the toll
        own = owner if owner is not None and r.kind(owner) == "armed_group" else None
        if own is not None:
            return CasualtyCount(kind, verb, own, what)
        claimant = _claimant(r, verb, q) or _we_did_it(r, verb)
        return CasualtyCount(kind, verb, claimant, what, claimed=claimant is not None)
    if kind == "seized":
        taker = _claimant(r, verb, q) or _doer(r, verb) or salient_actor(r, verb, ("armed_group",))
        return CasualtyCount(kind, verb, taker, what)
    if owner is None:
        owner = _belongs_to(r, num, q)
    if owner is not None and from_demonym and noun is not None:
        owner = _force_of_country(r, noun, owner, q)
    if owner is None and noun is not None:
        owner = _force_named_before(r, noun, q)
    if owner is None and kind == "captured" and verb.lemma_.lower() not in q.yield_verbs:
        owner = _doer(r, verb) or _claimant(r, verb, q)
    if owner is None and (noun is None or noun.lemma_.lower() in q.victim_people_nouns):
        owner = _scene(r, num)
    if owner is not None and r.kind(owner) not in ACTOR_KINDS + PLACE_KINDS_Q:
        owner = None
    return CasualtyCount(kind, verb, owner, what)


__all__ = ["CasualtyCount", "casualty_count", "competing_toll", "partial_count", "casualty_kind", "named_list", "speaker_group"]
