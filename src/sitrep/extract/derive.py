"""Facts an analyst reads off what the other extractors found, in one general step.

Runs after the events extractor, over the document's events and relations:

* an armed group that carries out or claims an incident **operates_in** the incident's place, and
  in every larger place above it (its gazetteer parents: district -> province -> country, or the
  place the article itself puts it in: "<village> area of <district>") that the article names;
  a movement named by a qualified part ("X's West African branch") is the branch whose name
  carries the qualifier, when the article names several; an armed group it attacks or fights
  there was there too;
* it is **hostile_to** the actor it attacks: the event's target when that is an actor, else the
  actor (or the state of the nationality adjective, "<demonym> soldiers") found in the target
  phrase of the incident's clause (the object of the attack or killing, "on / against X"); soldiers
  a group kills with no nationality named are the forces of the country the incident took place in;
* a group named with its gazetteer parent in the same article is **part_of** that parent.

Every derived fact is credited like the fact it is read from (the event's claim span), and a fact
the relation extractor already found in the document is not repeated.  Cue words are data
(``relations.yaml``, section ``derive``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.data.schema import schema
from sitrep.extract.context import SentenceSource
from sitrep.extract.events_places import named_containers
from sitrep.extract.registry import extractor
from sitrep.extract.relations_claims import make_claim
from sitrep.extract.relations_lexicon import lexicon
from sitrep.extract.relations_reader import DocReader, verb_subject_tokens
from sitrep.extract.relations_render import words as words_of
from sitrep.models import Entity, Event, Relation

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.extract.context import ExtractionContext

_MAX_PLACE_DEPTH = 6  # admin levels walked upwards from an event's place


def _mentioned(ctx: ExtractionContext) -> set[str]:
    return {m.entity_key for m in ctx.mentions}


def _kind(ctx: ExtractionContext, key: str | None) -> str | None:
    ent = ctx.entity(key)
    return ent.kind if ent is not None else None


def _allowed(ctx: ExtractionContext, subj: str, rtype: str, obj: str) -> bool:
    spec = schema().relation(rtype)
    return spec is not None and subj != obj and spec.allows(_kind(ctx, subj), _kind(ctx, obj))


def _parent_of(ctx: ExtractionContext, key: str) -> str | None:
    ent = ctx.entity(key)
    if ent is not None:
        return ent.parent
    rec = ctx.gazetteer.place_by_id(key)
    return getattr(rec, "parent", None) if rec is not None else None


def _places_of(ctx: ExtractionContext, location_key: str | None, mentioned: set[str],
               containers: dict[str, str] | None = None) -> list[str]:
    """The event's place and the places above it (gazetteer parents, or the place the article puts it in:
    ``containers``; then its country) that the article names."""
    place = ctx.entity(location_key)
    if place is None or not place.is_place:
        return []
    chain = [place.key]
    cur: str | None = place.key
    for _ in range(_MAX_PLACE_DEPTH):
        cur = ((containers or {}).get(cur) or _parent_of(ctx, cur)) if cur else None
        if not cur or cur in chain:
            break
        chain.append(cur)
    if place.country and place.kind != "country":
        chain.append(f"place:{place.country}")
    out = [place.key]
    for key in chain[1:]:
        if key in mentioned and key not in out:
            out.append(key)
    return out


# --- the target of an incident ---------------------------------------------------------------------


def _trigger_token(ctx: ExtractionContext, ev: Event) -> Token | None:
    span = ctx.sdoc.char_span(ev.claim.start, ev.claim.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


def _act_verb(trigger: Token) -> Token | None:
    """The verb an incident word is told by: itself, or the verb it is the object of ("killed ... in a
    gunfight", "launched an attack")."""
    if trigger.pos_ == "VERB":
        return trigger
    head = trigger.head
    if trigger.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    if head.pos_ == "VERB" and trigger.dep_ in ("dobj", "pobj", "nsubjpass", "nsubj"):
        return head
    return None


def _doer(r: DocReader, ev: Event) -> str | None:
    """Who did it when the event names no one: the actor the reader resolves as the agent of the
    incident word ("an attack by X") or the subject of its verb ("the militants launched an attack")."""
    trigger = _trigger_token(r.ctx, ev)
    if trigger is None:
        return None
    cands = [g for c in trigger.children if c.dep_ in ("agent", "prep") and c.text.lower() == "by"
             for g in c.children if g.dep_ == "pobj"]
    verb = _act_verb(trigger)
    if verb is not None:
        cands += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if not any(c.dep_ == "nsubjpass" for c in verb.children):
            cands += verb_subject_tokens(verb)
    for tok in cands:
        for m in r.resolve(tok, _TARGET_KINDS):
            if r.kind(m) in _TARGET_KINDS:
                return m.entity_key
    return None


def _branch_meant(r: DocReader, ev: Event, perp: str, mentioned: set[str]) -> str:
    """The doer named as a part of a movement ("the regional chapter of X", "X's branch in P") is that
    movement's branch when the article names exactly one branch of it; else the doer as given."""
    ctx = r.ctx
    sent = ctx.sentence_of(ev.claim.start)
    if sent is None:
        return perp
    parts = words_of("part_nouns")
    part_noun: Token | None = None
    for m in ctx.mentions_in(sent.start_char, sent.end_char):
        if m.entity_key != perp:
            continue
        span = ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        tok = span.root
        head = tok.head.head if tok.dep_ == "pobj" and tok.head.text.lower() == "of" else tok.head if tok.dep_ == "poss" else None
        if head is not None and head.lemma_.lower() in parts:
            part_noun = head
    if part_noun is None:
        return perp
    branches = sorted(k for k in mentioned if (e := ctx.entity(k)) is not None and e.parent == perp
                      and e.kind == "armed_group")
    if len(branches) == 1:
        return branches[0]
    # "X's West African branch": the branch whose name carries the words that qualify the part noun
    quals = {t.lower_[:_STEM] for t in part_noun.lefts if t.dep_ in ("amod", "compound") and len(t.text) >= _STEM}
    scored = [(len(quals & _name_stems(ctx.entity(k))), k) for k in branches]
    best = max((n for n, _ in scored), default=0)
    winners = [k for n, k in scored if n == best]
    return winners[0] if best > 0 and len(winners) == 1 else perp


_STEM = 5  # letters a qualifier and a name word share ("Afric-an" and "Afric-a")


def _name_stems(ent: Entity | None) -> set[str]:
    if ent is None:
        return set()
    return {w.lower()[:_STEM] for name in (ent.name, *ent.aliases) for w in name.replace("-", " ").split()
            if len(w) >= _STEM}


def _target_heads(trigger: Token) -> list[Token]:
    """Heads of the phrases an incident is done to: objects of the act and of the killing it caused."""
    words = lexicon().derive
    out: list[Token] = []
    acts = [trigger]
    verb = _act_verb(trigger)
    if verb is not None and verb is not trigger:
        acts.append(verb)
    # "an attack that killed 28 soldiers", "stormed the base, killing 12 soldiers": clauses on the act
    acts += [c for a in list(acts) for c in a.children
             if c.pos_ == "VERB" and (c.dep_ in ("relcl", "acl") or (c.dep_ in ("advcl", "conj") and c.lemma_.lower()
                                                                      in words["harm_verbs"]))]
    for act in acts:
        for c in act.children:
            if c.dep_ == "prep" and c.text.lower() in words["target_preps"]:
                out += [g for g in c.children if g.dep_ == "pobj"]
            elif act.pos_ == "VERB" and c.dep_ in ("dobj", "nsubjpass"):
                out.append(c)
    return out


_TARGET_KINDS = ("armed_group", "organization", "state", "country")


def _phrase_actor(r: DocReader, head: Token, perp: str | None) -> str | None:
    """The actor a target phrase names: what the reader resolves it to ("its fighters", "officials of X"),
    a mention inside it, or the country of a demonym before a force noun ("<demonym> soldiers")."""
    ctx = r.ctx
    for m in r.resolve(head, _TARGET_KINDS):
        if m.entity_key != perp and r.kind(m) in _TARGET_KINDS:
            return m.entity_key
    lo, hi = head.left_edge.idx, head.right_edge.idx + len(head.right_edge.text)
    for m in ctx.mentions_in(lo, hi):
        if m.entity_key != perp and r.kind(m) in _TARGET_KINDS:
            return m.entity_key
    if head.lemma_.lower() not in lexicon().derive["force_nouns"]:
        return None
    for tok in head.subtree:
        if tok.i >= head.i:
            break
        rec = ctx.gazetteer.country_of_demonym(tok.text)
        if rec is not None and rec.id in ctx.entities:
            return rec.id
    return None


def _targets(r: DocReader, ev: Event, perp: str | None) -> list[str]:
    if ev.target_key and ev.target_key != perp:
        return [ev.target_key]
    trigger = _trigger_token(r.ctx, ev)
    if trigger is None:
        return []
    out: list[str] = []
    forces = lexicon().derive["force_nouns"]
    for head in _target_heads(trigger):
        key = _phrase_actor(r, head, perp)
        if key is None and head.lemma_.lower() in forces and _kind(r.ctx, perp) == "armed_group":
            key = _scene_state(r.ctx, ev)  # "killed 28 soldiers in <country>": that country's soldiers
        if key and key not in out:
            out.append(key)
    return out


def _scene_state(ctx: ExtractionContext, ev: Event) -> str | None:
    """The country an incident took place in, when the article names it: whose forces unnamed soldiers are."""
    place = ctx.entity(ev.location_key)
    if place is None or not place.country:
        return None
    key = place.key if place.kind == "country" else f"place:{place.country.upper()}"
    country = ctx.entity(key)
    return key if country is not None and country.kind == "country" and any(
        m.entity_key == key for m in ctx.mentions) else None


# --- assembly ---------------------------------------------------------------------------------------


def _related(ctx: ExtractionContext, a: str, b: str) -> bool:
    """One is the other's parent group (a branch is not hostile to its own movement)."""
    ea, eb = ctx.entity(a), ctx.entity(b)
    return bool((ea is not None and ea.parent == b) or (eb is not None and eb.parent == a))


def _claimed_by(ctx: ExtractionContext, ev: Event, perp: str) -> SentenceSource | None:
    """The doer as the claimant of the incident, where the article says it claimed it ("an attack claimed
    by X", "X claimed responsibility for the blast"), in the incident's sentence or the next two of its
    paragraph; None when no claim of the doer's is told there."""
    sent = ctx.sentence_of(ev.claim.start)
    if sent is None:
        return None
    text = ctx.document.text
    para_end = text.find("\n\n", sent.start_char)
    end = sent.end_char
    for _ in range(2):  # the next two sentences of the paragraph
        nxt = ctx.sentence_of(end + 1) if end + 1 < len(text) else None
        if nxt is None or nxt.start_char < end or (para_end != -1 and nxt.start_char > para_end):
            break
        end = nxt.end_char
    claiming = language().claiming_verbs
    doers = {perp, ev.perpetrator_key}  # the doer, or the movement its branch was named by
    for m in ctx.mentions_in(sent.start_char, end):
        if m.entity_key not in doers:
            continue
        span = ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        tok = span.root
        for _ in range(2):  # "claimed by the regional chapter of X": the part named of X claims
            if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
                tok = tok.head.head
        verb = tok.head if tok.dep_ == "nsubj" else (
            tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "agent" else None)
        if verb is not None and verb.pos_ == "VERB" and verb.lemma_.lower() in claiming:
            return SentenceSource(perp, m.text)
    return None


def _from_events(ctx: ExtractionContext, events: Iterable[Event], mentioned: set[str]) -> list[Relation]:
    """The doer operates where it struck, and is hostile to whom it struck."""
    reader = DocReader(ctx)
    containers = named_containers(ctx)
    out: list[Relation] = []
    for ev in events:
        doer_kind = _kind(ctx, ev.perpetrator_key)
        perp = ev.perpetrator_key if doer_kind in _TARGET_KINDS else None
        if perp is None and not ev.perpetrator_key:
            perp = _doer(reader, ev)
        if perp is not None:
            perp = _branch_meant(reader, ev, perp, mentioned)
        targets = [t for t in _targets(reader, ev, perp) if not (perp and _related(ctx, perp, t))]
        places = _places_of(ctx, ev.location_key, mentioned, containers)
        c = ev.claim
        claimant = _claimed_by(ctx, ev, perp) if perp else None
        present = [perp] if perp and _kind(ctx, perp) == "armed_group" else []  # a state's forces need no place
        # a group attacked or fought at a place was there too ("troops clashed with X militants in <village>")
        present += [t for t in targets if perp and _kind(ctx, t) == "armed_group" and t not in present]
        for group in present:
            for place in places:
                # the place the event names is its source's claim; a place containing it is our inference (H6)
                own = place != ev.location_key
                claim = make_claim(ctx, c.start, c.end, c.polarity, own_voice=own)
                if claimant is not None and group == perp and not own and claim.source_key is None:
                    # "an attack in P claimed by X": X's word, where no one else is credited with it
                    claim = make_claim(ctx, c.start, c.end, c.polarity, source=claimant)
                out.append(Relation(group, "operates_in", place, claim, cue="event place"))
        for tgt in targets if perp else []:
            out.append(Relation(perp, "hostile_to", tgt, make_claim(ctx, c.start, c.end, c.polarity),
                                cue="event target"))
    return out


def _from_parents(ctx: ExtractionContext, mentioned: set[str]) -> list[Relation]:
    """A group named in the article together with its gazetteer parent group is part of it."""
    first: dict[str, int] = {}
    for m in sorted(ctx.mentions, key=lambda m: m.start):
        first.setdefault(m.entity_key, m.start)
    out: list[Relation] = []
    for key in sorted(mentioned):  # one order whatever the hash seed
        ent = ctx.entity(key)
        if ent is None or ent.kind != "armed_group" or not ent.parent or ent.parent not in mentioned:
            continue
        at = max(first[key], first[ent.parent])
        out.append(Relation(key, "part_of", ent.parent, make_claim(ctx, at, at + 1, "asserted", own_voice=True),
                            cue="gazetteer parent"))
    return out


def _fact(r: Relation) -> tuple[str, str, str, str]:
    s, o = schema().canonical_pair(r.subject_key, r.type, r.object_key)
    return s, r.type, o, r.claim.polarity


def derive_relations(ctx: ExtractionContext, relations: list[Relation], events: list[Event]) -> list[Relation]:
    """Relations read off the document's events and known group hierarchy, not already in ``relations``."""
    mentioned = _mentioned(ctx)
    have = {_fact(r) for r in relations}
    out: list[Relation] = []
    for r in _from_events(ctx, events, mentioned) + _from_parents(ctx, mentioned):
        if r.claim.polarity != "asserted" or not _allowed(ctx, r.subject_key, r.type, r.object_key):
            continue
        key = _fact(r)
        if key in have:
            continue
        have.add(key)
        out.append(r)
    return out


@extractor("derive", version="3", requires=("mentions", "entities", "sources", "relations", "events"),
           provides=("relations",))
def extract_derived(ctx: ExtractionContext) -> list[Relation]:
    """The derive step as an extractor: reads the relations and events found so far (``ctx.facts``)."""
    return derive_relations(ctx, list(ctx.facts.get("relations") or []), list(ctx.facts.get("events") or []))


__all__ = ["derive_relations", "extract_derived"]
