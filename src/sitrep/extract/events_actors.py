"""Who did it and to whom: the perpetrator and the target of a triggered incident, read from the parse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.attribution import source_for
from sitrep.extract.events_clauses import Clause, Hit, governing_verb
from sitrep.extract.events_places import PERPETRATOR_KINDS, DocFacts
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

_STOP_BETWEEN = frozenset({",", ";", ":"})  # punctuation that ends the subject phrase before a trigger


def actor_mentions(facts: DocFacts, start: int, end: int) -> list[Mention]:
    out = []
    for m in facts.ctx.mentions_in(start, end):
        ent = facts.entity(m.entity_key)
        kind = ent.kind if ent is not None else m.label
        if kind in PERPETRATOR_KINDS:
            out.append(m)
    return out


def _mention_at(mentions: list[Mention], tok: Token) -> Mention | None:
    """The actor mention inside a token's phrase (the token's subtree), nearest the token."""
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    inside = [m for m in mentions if m.start >= lo and m.end <= hi]
    if not inside:
        return None
    return min(inside, key=lambda m: abs(m.start - tok.idx))


def _first_at(mentions: list[Mention], toks: list[Token], facts: DocFacts | None = None) -> Mention | None:
    """The actor of the first of ``toks`` that names one: a mention inside its phrase, else (with ``facts``)
    what a description or pronoun stands for ("the militants", "the group", "its fighters")."""
    for t in toks:
        m = _mention_at(mentions, t)
        if m is not None:
            return m
        if facts is not None:
            m = _described(facts, t)
            if m is not None:
                return m
    return None


def _described(facts: DocFacts, tok: Token) -> Mention | None:
    """The armed group a subject description or pronoun refers back to, through the document reader;
    a first-person subject ("we attacked ...") is the group of the one who says so."""
    if tok.pos_ not in ("NOUN", "PRON"):
        return None
    if tok.lower_ in facts.cues.first_person:
        return _speakers_group(facts, tok)
    for m in facts.reader().resolve(tok, ("armed_group",)):
        ent = facts.entity(m.entity_key)
        if ent is not None and ent.kind == "armed_group":
            return m
    return None


def _subjects(verb: Token) -> list[Token]:
    """The active subject of a verb, or of the first verb of its coordination ("X killed three and overran
    the post"); a passive verb has none."""
    cur = verb
    for _ in range(4):
        if any(c.dep_ == "nsubjpass" for c in cur.children):
            return []
        subj = [c for c in cur.children if c.dep_ == "nsubj"]
        if subj or cur.dep_ != "conj" or cur.head.i == cur.i or cur.head.pos_ != "VERB":
            return subj
        cur = cur.head
    return []


def _speakers_group(facts: DocFacts, tok: Token) -> Mention | None:
    """The armed group speaking a clause: the source itself, or the group named in the source's phrase
    ("<name>, the spokesman for <group>")."""
    ctx = facts.ctx
    src = source_for(ctx, tok.idx, tok.idx + len(tok.text))
    if src is None:
        return None
    ent = facts.entity(src.key)
    if ent is not None and ent.kind == "armed_group" and src.start >= 0:
        return Mention(ctx.document.id, src.start, src.end, src.text, "armed_group", ent.key, source_label="speaker")
    if src.start < 0:
        return None
    for m in ctx.mentions_in(src.start, src.end):
        me = facts.entity(m.entity_key)
        if me is not None and me.kind == "armed_group":
            return m
    return None


def _claimant(facts: DocFacts, clause: Clause, actors: list[Mention]) -> Mention | None:
    """Who a claim of responsibility or a blame names: "X claimed (responsibility for) the attack",
    "the attack was claimed by X", "blamed the attack on X", "attributed to X"."""
    cues = facts.cues
    for tok in clause.line_tokens():
        if not clause.start <= tok.idx < clause.end:
            continue
        lemma = tok.lemma_.lower()
        if lemma in cues.claim_verbs:
            for dep in ("agent", "nsubj"):
                kids = [c for c in tok.children if c.dep_ == dep]
                if dep == "agent":
                    kids = [g for c in kids for g in c.children if g.dep_ == "pobj"] + kids
                m = _first_at(actors, kids, facts)
                if m is not None:
                    return m
        elif lemma in cues.blame_words:
            objs = [g for c in tok.children if c.dep_ in ("prep", "dative") and c.lower_ in ("on", "to")
                    for g in c.children if g.dep_ == "pobj"]
            if not objs and tok.dep_ != "amod":  # "blamed X for the attack"
                objs = [c for c in tok.children if c.dep_ == "dobj"]
            m = _first_at(actors, objs, facts)
            if m is not None:
                return m
    return None


def perpetrator(facts: DocFacts, clause: Clause, hit: Hit) -> Mention | None:
    """Who did it: a claim of responsibility, an agent, the subject, or an adjective ("a <nation> drone strike").

    A subject that is a description or a pronoun ("the militants attacked", "the group said its fighters")
    is the armed group it refers back to.
    """
    cues = facts.cues
    actors = actor_mentions(facts, clause.line_start, clause.line_end)
    head = hit.head
    in_clause = [m for m in actors if m.start >= clause.start and m.end <= clause.end]
    m = _claimant(facts, clause, actors)
    if m is not None:
        return m
    if head is None:
        return None
    m = _first_at(in_clause, [g for c in head.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
                              for g in [*(x for x in c.children if x.dep_ == "pobj"), c]], facts)
    if m is not None:
        return m
    if head.pos_ == "VERB":
        m = _first_at(in_clause, _subjects(head), facts)
        if m is not None:
            return m
    verb = governing_verb(head)
    doer = verb is not None and verb.lemma_ in cues.doer_verbs
    via_object = head.dep_ == "dobj" and doer
    via_prep = head.dep_ == "pobj" and verb is not None and head.head.head is verb and doer
    if verb is not None and (via_object or via_prep):
        m = _first_at(in_clause, _subjects(verb), facts)
        if m is not None:
            return m
    if not actors:
        subjects = [c for c in head.children if c.dep_ == "nsubj"] if head.pos_ == "VERB" else []
        return next((m for t in [head, *subjects] if (m := _demonym_perpetrator(facts, t)) is not None), None)
    victims = _victim_tokens(head)
    m = _first_at(in_clause, [c for c in head.children if c.dep_ in ("compound", "amod", "poss", "nmod") and c not in victims])
    if m is not None and not _names_the_scene(facts, clause, m):
        return m
    left = _left_subject_actor(facts, clause, hit, in_clause)
    if left is not None and not _names_the_scene(facts, clause, left):
        return left
    subjects = [c for c in head.children if c.dep_ == "nsubj"] if head.pos_ == "VERB" else []
    return next((m for t in [head, *subjects] if (m := _demonym_perpetrator(facts, t)) is not None), None)


def _names_the_scene(facts: DocFacts, clause: Clause, m: Mention) -> bool:
    """"a devastating <country> attack" with no other place in the clause: the country says where, not who
    ("a <country> drone strike ... in <town>" names the state that struck)."""
    ent = facts.entity(m.entity_key)
    if ent is None or ent.kind != "country":
        return False
    for other in facts.ctx.mentions_in(clause.start, clause.end):
        oe = facts.entity(other.entity_key)
        if other is not m and oe is not None and oe.is_place:
            return False
    return True


def _left_subject_actor(facts: DocFacts, clause: Clause, hit: Hit, actors: list[Mention]) -> Mention | None:
    """An actor right before the trigger with only an active doing verb between ("X fighters kill dozens in attack")."""
    before = [m for m in actors if m.end <= hit.start]
    if not before:
        return None
    m = max(before, key=lambda m: m.end)
    root = next((t for t in clause.tokens_in(m.start, m.end) if not m.start <= t.head.idx < m.end or t.head.i == t.i), None)
    cur = root
    while cur is not None and cur.dep_ in ("compound", "amod", "nmod") and cur.head.i != cur.i:
        cur = cur.head  # "<nation> forces": the phrase the name qualifies
    if cur is not None and cur.dep_ in ("dobj", "pobj", "iobj", "dative"):
        return None  # "attacked <X> with a bomb": X is the target, not the doer
    between = clause.tokens_in(m.end, hit.start)
    for t in between:
        if t.pos_ in ("AUX", "SCONJ") or t.lower_ in _STOP_BETWEEN or t.dep_ in ("agent", "mark") or t.tag_ == "WDT":
            return None
        if t.pos_ == "ADP" and t.lower_ == "by":
            return None
        if t.pos_ == "VERB" and t.lemma_.lower() not in facts.cues.doer_verbs:
            return None
    return m if len(between) <= 6 else None


def _demonym_perpetrator(facts: DocFacts, head: Token) -> Mention | None:
    """A nationality adjective on the trigger ("<nation>'s airstrikes", "a <nation> drone strike") names the state."""
    for c in head.children:
        if c.dep_ not in ("amod", "compound", "nmod"):
            continue
        info = facts.demonym(c.text)
        if info is not None:
            key = facts.country_key(info[0], info[1])
            return Mention(facts.ctx.document.id, c.idx, c.idx + len(c.text), c.text, "country", key, source_label="cue")
    return None


def _victim_tokens(head: Token) -> set[Token]:
    out: set[Token] = set()
    verb = head if head.pos_ == "VERB" else head.head
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            out.update(c.subtree)
    return out


def incident_noun(tok: Token) -> Token:
    """The noun an act word qualifies ("IED" in "an IED attack on X", "suicide" in "a suicide bombing"):
    what the incident's preposition and verb hang on."""
    cur = tok
    for _ in range(3):
        if cur.dep_ != "compound" or cur.head.i == cur.i or cur.head.pos_ not in ("NOUN", "PROPN"):
            break
        cur = cur.head
    return cur


def target(facts: DocFacts, head: Token | None) -> str | None:
    """The target as written: the object of the attack / killing, or 'on/against X'."""
    if head is None:
        return None
    cues = facts.cues
    head = incident_noun(head)
    cands: list[Token] = []
    for c in head.children:
        of_ok = c.lower_ == "of" and head.lemma_.lower() in cues.killing_nouns
        if c.dep_ == "prep" and (c.lower_ in cues.target_preps or of_ok):
            cands += [g for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
    if head.pos_ == "VERB" and head.lemma_ not in ("fire", "launch"):
        cands += [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    if not cands and head.head.pos_ == "VERB" and head.dep_ == "pobj":
        cands += [c for c in head.head.head.children if c.dep_ in ("nsubjpass", "dobj")]
    if not cands and head.dep_ == "nsubj" and head.head.lemma_.lower() in cues.target_verbs:
        cands += [c for c in head.head.children if c.dep_ == "dobj"]  # "the blast targeted X"
    if not cands:
        return None
    tok = cands[0]
    doc_text = facts.ctx.document.text
    lo, hi = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)
    text = doc_text[lo:hi].strip()
    return text if len(text) <= 120 else tok.text


__all__ = ["actor_mentions", "incident_noun", "perpetrator", "target"]
