"""Denial scope: which claims a denial denies, whatever the relation, number or event they state.

A denial verb ("deny", "reject", "dismiss", ... in language.yaml) denies

* the content clause of the claim it takes as object: "G denied the minister's claim that S
  killed ..." denies what the minister claims, nothing else in the sentence;
* the accusation a resumptive claim noun sums up: "investigators accused A of supporting B,
  charges that A denies" denies the accusation before "charges";
* its own that-clause: "G denied that it had attacked ...";
* or, with a claim noun and no content ("rejected the report's findings", "dismissed the claims
  as propaganda"), claims made earlier: the caller looks back (:data:`None`).  Calling a claim
  untrue is such a denial too: "X said the report was based on false information", "X called the
  claims baseless", "X described the report as propaganda".

A denial of a part in an event ("denied any involvement in the attack in Y", "denied responsibility
for the raids", "denied carrying out the bombing") denies what the document's events say about the
denier: the event the denied phrase names (by its place, else the denier's latest one; every one for
"any attacks") and every fact read off it (:func:`deny_involvement`, run after the derive step by the
``denials`` extractor).  It never touches a fact that is not about the denier.

A named person who denies as a body's spokesman ("T, the group's spokesman, denied ...", "G spokesman
T rejected ...") is the source of the denial, and the body denies too (:func:`speaking_for`).  A
denial that points back to claims made ("the report's allegations", "these claims":
:func:`points_back`) may answer the paragraph before its own, but only what a source said there.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sitrep.extract.attribution import speaker_of
from sitrep.extract.attribution_cues import source_cues
from sitrep.extract.registry import extractor

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.extract.context import ExtractionContext, SentenceSource
    from sitrep.models import Claim, Event, Relation


class HasClaim(Protocol):
    claim: Claim


@dataclass
class Denial:
    denier: SentenceSource | None  # who denies (None: no one the knowledge base can credit)
    verb: Token
    content: tuple[int, int] | None  # chars of what is denied in this sentence; None: earlier claims
    claimed: bool = False  # the content is another's claim ("the minister's claim that ...")


def _claim_noun(tok: Token) -> bool:
    c = source_cues()
    return not {tok.lower_, tok.lemma_.lower()}.isdisjoint(c.claim_nouns | c.report_nouns)


def _that_clause(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("acl", "ccomp", "relcl", "appos") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return c
    return None


def _span(tok: Token, sent: Span) -> tuple[int, int]:
    left, right = tok.left_edge, tok.right_edge
    return max(left.idx, sent.start_char), min(right.idx + len(right), sent.end_char)


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            return next((p for p in c.children if p.dep_ == "pobj"), None)
    return None


def _untrue(tok: Token, skip: Token | None = None) -> bool:
    """Whether ``tok``'s phrase calls something untrue (one of language.yaml's untrue words), outside
    ``skip``'s phrase and any relative clause."""
    words = source_cues().untrue_words
    for t in tok.subtree:
        if skip is not None and skip.left_edge.i <= t.i <= skip.right_edge.i:
            continue
        if {t.lower_, t.lemma_.lower()} & words and not any(
                a.dep_ == "relcl" for a in t.ancestors if a.i != tok.i and tok.left_edge.i <= a.i <= tok.right_edge.i):
            return True
    return False


def _called_untrue(ctx: ExtractionContext, t: Token) -> Denial | None:
    """ "X said the report was based on false information" (a claim noun's clause that calls it untrue,
    reported by X); "X called the claims baseless", "X described the report as propaganda"."""
    cues = source_cues()
    speaker: Token | None = None
    if t.dep_ == "ccomp" and t.pos_ in ("VERB", "AUX") and t.head.lemma_.lower() in cues.speech_verbs \
            and t.head.lemma_.lower() not in cues.deny_verbs:
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and _claim_noun(subj) and _untrue(t, skip=subj):
            speaker = _subject(t.head)
    elif t.pos_ == "VERB" and t.lemma_.lower() in cues.calling_verbs:
        obj = next((c for c in t.children if c.dep_ in ("dobj", "nsubjpass")), None)
        called = [c for c in t.children if c.dep_ in ("oprd", "xcomp", "acomp", "ccomp")]
        called += [p for c in t.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children]
        if obj is not None and _claim_noun(obj) and any(_untrue(c) for c in called):
            speaker = _subject(t)
        elif obj is not None and _claim_noun(obj) and (clause := _that_clause(obj)) is not None:
            # "X called claims that ... baseless", the word that calls them untrue parsed into the clause's end
            last = clause.right_edge
            while last.is_punct and last.i > clause.i:
                last = last.doc[last.i - 1]
            if {last.lower_, last.lemma_.lower()} & cues.untrue_words and last.dep_ in ("advmod", "acomp", "oprd",
                                                                                      "dobj", "npadvmod", "amod"):
                speaker = _subject(t)
    if speaker is None or any(c.dep_ == "neg" for c in t.children):
        return None  # "said the report was not false", "did not call it baseless"
    return Denial(speaker_of(ctx, speaker, t.head if t.dep_ == "ccomp" else t), t, None)


def sentence_denials(ctx: ExtractionContext, sent: Span) -> list[Denial]:
    """Every denial in a sentence, with the span of what it denies (or None: it looks back)."""
    cues = source_cues()
    out: list[Denial] = []
    for t in sent:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in cues.deny_verbs:
            called = _called_untrue(ctx, t) if t.dep_ == "ccomp" or t.lemma_.lower() in cues.calling_verbs else None
            if called is not None:
                out.append(called)
            continue
        if t.pos_ != "VERB":
            continue
        subj = _subject(t)
        denier = speaker_of(ctx, subj, t) if subj is not None else None
        targets = [c for c in t.children if c.dep_ in ("dobj", "nsubjpass")]
        if t.dep_ in ("relcl", "ccomp", "acl") and _claim_noun(t.head):
            targets.append(t.head)  # "charges that A denies", "a claim A denies"
        noun = next((x for x in targets if _claim_noun(x)), None)
        content: tuple[int, int] | None = None
        claimed = False
        if noun is not None:
            clause = _that_clause(noun)
            if clause is not None and clause.i != t.i:
                content, claimed = _span(clause, sent), True
            elif t.head.i == noun.i and noun.i > sent.start and noun.doc[noun.i - 1].is_punct:
                content = (sent.start_char, noun.idx)  # "..., charges that A denies": the accusation before
        else:
            clause = next((c for c in t.children if c.dep_ == "ccomp"), None)
            if clause is None:
                continue  # "denied any involvement in ...": the fact extractors read that frame
            content = _span(clause, sent)
        out.append(Denial(denier, t, content, claimed))
    return out


def in_denied_claim(ctx: ExtractionContext, tok: Token) -> bool:
    """Whether ``tok`` lies in another's claim that a denial answers ("G denied the minister's claim
    that S killed its commanders in R"): a detail of that claim, such as where the people it names
    are, is not what G denies."""
    return any(d.claimed and d.content is not None and d.content[0] <= tok.idx < d.content[1]
               for d in sentence_denials(ctx, tok.sent))


def resumptive_denial(ctx: ExtractionContext, sent: Span) -> tuple[SentenceSource, Token] | None:
    """(denier, verb) of a denial that sums up an accusation ("..., charges that A denies"), if any."""
    from sitrep.extract.context import SentenceSource

    for d in sentence_denials(ctx, sent):
        if d.content is not None and d.content[0] == sent.start_char and d.denier is not None:
            return d.denier or SentenceSource(None, ""), d.verb
    return None


def speaking_for(ctx: ExtractionContext, verb: Token) -> SentenceSource | None:
    """The body a denial speaks for when a named person denies as its spokesman ("T, the group's
    spokesman, denied ...", "G spokesman T rejected ..."): the person is the source, and the body
    denies too (its own involvement, its own ties).  None when the denier speaks for no named body."""
    from sitrep.extract.attribution import resolver

    subj = _subject(verb)
    return resolver(ctx).spoken_for(subj) if subj is not None else None


def points_back(verb: Token) -> bool:
    """Whether a denial names what it denies as claims already made: its object is a claim or report
    noun made definite ("the report", "these claims", "the allegations", "the report's findings"), so
    it may answer the paragraph before its own."""
    cues = source_cues()
    nouns = cues.claim_nouns | cues.report_nouns
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
        if obj.lemma_.lower() not in nouns and obj.lower_ not in nouns:
            continue
        for c in obj.children:
            if c.dep_ == "det" and c.lower_ in cues.back_determiners:
                return True
            if c.dep_ == "poss" and (c.lemma_.lower() in nouns or c.lower_ in cues.back_determiners):
                return True  # "the report's findings", "its claims"
    return False


def back_denial(ctx: ExtractionContext, sent: Span) -> tuple[SentenceSource, Token] | None:
    """(denier, verb) of a denial that refers back to claims made earlier ("rejected the report's
    findings", "said the report was based on false information"), if the sentence has one."""
    for d in sentence_denials(ctx, sent):
        if d.content is None and d.denier is not None:
            return d.denier, d.verb
    return None


def denied_claims(ctx: ExtractionContext, verb: Token, facts: list[HasClaim]) -> list[HasClaim] | None:
    """The facts of the verb's sentence that a denial denies, when it says what it denies; None when
    it refers back to earlier claims ("rejected the report's findings")."""
    sent = verb.sent
    for d in sentence_denials(ctx, sent):
        if d.verb.i != verb.i:
            continue
        if d.content is None:
            return None
        s, e = d.content
        return [x for x in facts if x.claim.start < e and x.claim.end > s and x.claim.polarity == "asserted"]
    return None


# --- denials of a part in an event ------------------------------------------------------------


@dataclass
class InvolvementDenial:
    denier: SentenceSource  # who denies; always an actor with a key
    verb: Token
    phrase: tuple[int, int]  # chars of the denied noun phrase ("any involvement in the attack in Y")
    places: frozenset[str] = field(default_factory=frozenset)  # places the phrase names
    every: bool = False  # "any attacks", "the killings", or no event named: every event of the denier


def _lemma(tok: Token) -> set[str]:
    return {tok.lower_, tok.lemma_.lower()}


def _event_heads(tok: Token) -> list[Token]:
    """The event nouns a denied part names: "involvement in the attack" -> attack."""
    events = source_cues().event_nouns
    return [p for c in tok.children if c.dep_ == "prep" for p in c.children
            if p.dep_ == "pobj" and _lemma(p) & events]


def _denied_parts(verb: Token) -> list[tuple[Token, list[Token]]]:
    """(denied phrase head, event nouns it names) for one denial verb."""
    cues = source_cues()
    out: list[tuple[Token, list[Token]]] = []
    for o in verb.children:
        if o.dep_ not in ("dobj", "xcomp", "ccomp"):
            continue
        if _lemma(o) & cues.involvement_nouns:
            out.append((o, _event_heads(o)))
        elif o.dep_ == "dobj" and _lemma(o) & cues.event_nouns:
            out.append((o, [o]))  # "denied the attack"
        elif o.pos_ in ("VERB", "AUX") and _lemma(o) & cues.doing_verbs and (o.tag_ == "VBG" or o.dep_ == "ccomp"):
            # "denied carrying out the attack", "denied being behind the raid", "denied that it staged the raid"
            heads = [c for c in o.children if c.dep_ == "dobj" and _lemma(c) & cues.event_nouns]
            heads += _event_heads(o)
            if heads:
                out.append((o, heads))
    return out


def involvement_denials(ctx: ExtractionContext, sent: Span) -> list[InvolvementDenial]:
    """Every denial of a part in an event in a sentence, by an actor the knowledge base knows."""
    cues = source_cues()
    out: list[InvolvementDenial] = []
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_.lower() not in cues.deny_verbs:
            continue
        subj = _subject(t)
        denier = speaker_of(ctx, subj, t) if subj is not None else None
        if denier is None or denier.key is None:
            continue
        for head, events in _denied_parts(t):
            span = _span(head, sent)
            places = frozenset(m.entity_key for m in ctx.mentions_starting_in(span[0], span[1])
                               if (ent := ctx.entity(m.entity_key)) is not None and ent.is_place)
            every = not events or any(e.tag_ in ("NNS", "NNPS") or any(
                c.lower_ in cues.every_words for c in e.children if c.dep_ == "det") for e in events)
            out.append(InvolvementDenial(denier, t, span, places, every))
            body = speaking_for(ctx, t)  # a spokesman's denial is the body's denial of its own part too
            if body is not None and body.key != denier.key:
                out.append(InvolvementDenial(body, t, span, places, every))
    return out


def _within(ctx: ExtractionContext, place: str | None, places: frozenset[str]) -> bool:
    """Whether ``place`` is one of ``places`` or lies inside one (its admin parents)."""
    seen: set[str] = set()
    while place and place not in seen and len(seen) < 8:
        if place in places:
            return True
        seen.add(place)
        ent = ctx.entity(place)
        rec = ctx.gazetteer.place_by_id(place) if ent is None else None
        place = ent.parent if ent is not None else getattr(rec, "parent", None)
    return False


def _referred_events(ctx: ExtractionContext, d: InvolvementDenial, events: list[Event],
                     starts: list[int] | None = None) -> list[Event]:
    """The events a denial of a part refers to: the denier's, up to the denial's sentence and within
    the look-back; those at the places the phrase names; the latest one unless it means every one.
    ``starts``: the document's sentence starts (given by a caller that asks for many denials)."""
    sent = d.verb.sent
    if starts is None:
        starts = [s.start_char for s in ctx.sdoc.sents]
    k = bisect_left(starts, sent.start_char)  # the sentence's index (its start is one of the starts)
    k = k if k < len(starts) and starts[k] == sent.start_char else 0
    i = max(0, k - source_cues().lookback_sentences)
    cands = [e for e in events if e.perpetrator_key == d.denier.key and e.claim.polarity == "asserted"
             and starts[i] <= e.claim.start < sent.end_char
             and not (d.phrase[0] <= e.claim.start < d.phrase[1])]
    if d.places:
        cands = [e for e in cands if _within(ctx, e.location_key, d.places)]
    if d.every or len(cands) <= 1:
        return cands
    return [max(cands, key=lambda e: e.claim.start)]


def deny_involvement(ctx: ExtractionContext, relations: list[Relation], events: list[Event]) -> list[Relation]:
    """Denied copies, credited to the denier, of the relations about the denier read off the events
    its denials of a part refer to (the facts whose evidence is the event's own words)."""
    from sitrep.models import Claim, Relation

    have = {(r.subject_key, r.type, r.object_key, r.claim.polarity, r.claim.source_key) for r in relations}
    out: list[Relation] = []
    sents = list(ctx.sdoc.sents)
    starts = [s.start_char for s in sents]
    by_actor: dict[str, list[Relation]] = {}  # the relations naming each actor, in their order
    for r in relations:
        for key in dict.fromkeys((r.subject_key, r.object_key)):
            by_actor.setdefault(key, []).append(r)
    by_doer: dict[str | None, list[Event]] = {}  # each actor's events, in their order
    for e in events:
        by_doer.setdefault(e.perpetrator_key, []).append(e)
    for sent in sents:
        for d in involvement_denials(ctx, sent):
            for ev in _referred_events(ctx, d, by_doer.get(d.denier.key, []), starts):
                for r in by_actor.get(d.denier.key or "", ()):
                    c = r.claim
                    if (c.polarity != "asserted" or d.denier.key not in (r.subject_key, r.object_key)
                            or c.source_key == d.denier.key or c.end <= ev.claim.start or c.start >= ev.claim.end):
                        continue
                    key = (r.subject_key, r.type, r.object_key, "denied", d.denier.key)
                    if key in have:
                        continue
                    have.add(key)
                    claim = Claim(**{**{k: getattr(c, k) for k in Claim.__slots__}, "polarity": "denied",
                                     "source_key": d.denier.key, "source_text": d.denier.text,
                                     "sent_start": sent.start_char, "sent_end": sent.end_char,
                                     "snippet": sent.text.strip(), "start": d.verb.idx,
                                     "end": d.verb.idx + len(d.verb), "extractor": None})
                    out.append(Relation(r.subject_key, r.type, r.object_key, claim, cue=f"denial:{d.verb.lemma_}"))
    return out


@extractor("denials", version="1", requires=("mentions", "entities", "sources", "relations", "events"),
           provides=("denials",))
def extract_denials(ctx: ExtractionContext) -> None:
    """The denials of a part in an event, after every extractor of relations (the derive step too):
    their denied relations join the document's relations (``ctx.facts``)."""
    facts = ctx.facts.setdefault("relations", [])
    found = deny_involvement(ctx, list(facts), list(ctx.facts.get("events") or []))
    for r in found:
        r.claim.extractor = "denials@1"
    facts.extend(found)
