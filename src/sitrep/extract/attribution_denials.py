"""Denial scope: which claims a denial denies, whatever the relation, number or event they state.

A denial verb ("deny", "reject", "dismiss", ... in language.yaml) denies

* the content clause of the claim it takes as object: "G denied the minister's claim that S
  killed ..." denies what the minister claims, nothing else in the sentence;
* the accusation a resumptive claim noun sums up: "investigators accused A of supporting B,
  charges that A denies" denies the accusation before "charges";
* its own that-clause: "G denied that it had attacked ...";
* or, with a claim noun and no content ("rejected the report's findings", "dismissed the claims
  as propaganda"), claims made earlier: the caller looks back (:data:`None`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sitrep.extract.attribution import speaker_of
from sitrep.extract.attribution_cues import source_cues

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.extract.context import ExtractionContext, SentenceSource
    from sitrep.models import Claim


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


def sentence_denials(ctx: ExtractionContext, sent: Span) -> list[Denial]:
    """Every denial in a sentence, with the span of what it denies (or None: it looks back)."""
    cues = source_cues()
    out: list[Denial] = []
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_.lower() not in cues.deny_verbs:
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
