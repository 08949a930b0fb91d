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

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.extract.quantities_cues import QuantityCues, load_quantity_cues
from sitrep.extract.quantities_subject import (
    ACTOR_KINDS,
    FORCE_KINDS,
    PLACE_KINDS_Q,
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


def casualty_kind(num: Token, noun: Token | None, q: QuantityCues) -> tuple[str, Token] | None:
    """What happened to the counted people (things), and the word that says so."""
    if noun is not None and noun.lemma_.lower() in q.casualty_kinds and noun.pos_ == "NOUN":
        return q.casualty_kinds[noun.lemma_.lower()], noun.head  # "put the casualties at 45"
    for base in [t for t in (noun, num) if t is not None]:
        for c in base.children:  # "13 wounded people", "the dead", "taken prisoner"
            if c.dep_ in ("amod", "acl", "relcl") and c.lemma_.lower() in q.casualty_kinds:
                return q.casualty_kinds[c.lemma_.lower()], c
        if base is num and noun is not None:
            break  # the noun's own chain was read first
        cur = base
        for _ in range(3):
            if cur.head.i == cur.i:
                break
            if cur.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "nummod", "conj", "appos", "attr", "agent"):
                break
            cur = cur.head
            lemma = cur.lemma_.lower()
            if lemma in q.casualty_kinds:
                return q.casualty_kinds[lemma], cur
            for c in cur.children:  # "were taken prisoner", "held hostage"
                if c.dep_ in ("oprd", "attr", "xcomp", "acomp", "dobj") and c is not base and c.lemma_.lower() in q.casualty_kinds \
                        and c.lemma_.lower() in ("prisoner", "hostage", "dead"):
                    return q.casualty_kinds[c.lemma_.lower()], c
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
        if cur.head.i == cur.i or cur.dep_ in ("relcl", "acl"):
            break  # "claimed the bombing that killed six": the toll is the article's, not the claim's
        cur = cur.head
    return None


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
    """"17 soldiers were wounded": the latest force named before whose name says what the noun is (an army)."""
    words = q.force_name_words.get(noun.lemma_.lower())
    if not words:
        return None
    for m in reversed(r.ctx.mentions_in(max(0, noun.idx - LOOKBACK), noun.left_edge.idx)):
        if r.kind(m) not in ("organization", "armed_group", "state"):
            continue
        ent = r.ctx.entities.get(m.entity_key)
        name = (ent.name if ent is not None else m.text).lower()
        if any(w in name for w in words):
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


def casualty_count(r: DocReader, num: Token, noun: Token | None) -> CasualtyCount | None:
    """The casualty count a number is, with whom it is about; None when the number is no casualty count."""
    q = load_quantity_cues()
    found = casualty_kind(num, noun, q)
    if found is None:
        return None
    kind, verb = found
    lemma = noun.lemma_.lower() if noun is not None else ""
    if lemma in q.event_nouns | q.group_nouns | q.target_nouns or (lemma in q.place_nouns and kind != "seized"):
        return None  # "two attacks killed ...": the count is of incidents or places, not of victims
    what = _label(noun, kind)
    owner: Mention | None = None
    if noun is not None:
        owner = mention_on(r, noun, ACTOR_KINDS)
        if owner is None and noun.lemma_.lower() in q.people_nouns:
            owner = demonym_owner(r, noun)
    if owner is not None and noun is not None:
        owner = _not_the_doer(r, noun, verb, owner)
    if kind == "killed":
        # a group's own dead ("three of its fighters") or a claimed toll; a state's soldiers killed are the toll
        own = owner if owner is not None and r.kind(owner) == "armed_group" else None
        return CasualtyCount(kind, verb, own or _claimant(r, verb, q), what)
    if kind == "seized":
        taker = _claimant(r, verb, q) or _doer(r, verb) or salient_actor(r, verb, ("armed_group",))
        return CasualtyCount(kind, verb, taker, what)
    if owner is None and noun is not None:
        owner = _force_named_before(r, noun, q)
    if owner is None and kind == "captured":
        owner = _doer(r, verb) or _claimant(r, verb, q)
    if owner is None and (noun is None or noun.lemma_.lower() in q.victim_people_nouns):
        owner = _scene(r, num)
    if owner is not None and r.kind(owner) not in ACTOR_KINDS + PLACE_KINDS_Q:
        owner = None
    return CasualtyCount(kind, verb, owner, what)


__all__ = ["CasualtyCount", "casualty_count", "casualty_kind"]
