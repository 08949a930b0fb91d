"""Relations between actors (and actor -> place) with polarity, modality and source.

Two complementary engines read each sentence:

* **surface frames** over a rendering of the sentence in which every entity mention is a
  slot (``@A3`` armed group, ``@O`` organisation, ``@C`` country/state, ``@L`` other place,
  ``@P`` person) and every other token its lower-case lemma.  They catch noun-phrase
  relations: appositions ("X, the Afghan affiliate of Y"), possessives ("Y's new leader, P"),
  compounds ("Y leader P"), "alliance between X and Y", "presence of X in P", "X-based".
* **verb frames** over the dependency parse: subject -> verb -> object for fighting,
  protecting/funding/harbouring, cooperating and operating verbs, with the subject
  found through relative clauses, control verbs, conjunctions and possessors.

Cue words and surface frames are data (``data/relations.yaml``), not any article's wording.  Polarity comes from
negation and denial scope; pledges and other hypotheticals produce nothing; hedges fill
``Claim.modality``; the source is the nearest reporting verb's subject in the sentence,
else the sentence's attributed source (``extract.attribution``), else the denier.

The work is split by job: ``relations_lexicon`` (the data file), ``relations_render`` (sentence
rendering and the pattern language), ``relations_reader`` (the document reader), ``relations_surface``,
``relations_parse`` and ``relations_places`` (the frames), ``relations_speakers`` ("we" in a credited
statement is the speaker's group), ``relations_polarity`` (polarity, modality, deniers) and
``relations_claims`` (claim construction); this module assembles them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.data.schema import schema
from sitrep.extract.attribution import REPORTING_VERBS
from sitrep.extract.attribution_denials import (
    back_denial,
    denied_claims,
    in_denied_claim,
    points_back,
    resumptive_denial,
    speaking_for,
)
from sitrep.extract.context import ExtractionContext, SentenceSource
from sitrep.extract.registry import extractor
from sitrep.extract.relations_affixes import _hyphen_frames, _prefix_frames
from sitrep.extract.relations_claims import make_claim
from sitrep.extract.relations_parse import _noun_frames, _verb_frames
from sitrep.extract.relations_passive import _passive_and_lead_frames
from sitrep.extract.relations_places import _place_frames
from sitrep.extract.relations_polarity import _denier, _modality, _polarity, _sentence_denial
from sitrep.extract.relations_reader import (
    DocReader,
    _DocReader,
    _Found,
    _verb_subject_tokens,
    verb_subject_tokens,
)
from sitrep.extract.relations_render import CUES, FRAMES, _render
from sitrep.extract.relations_speakers import first_person_group
from sitrep.extract.relations_surface import _surface_frames
from sitrep.models import SYMMETRIC_RELATIONS, Claim, Relation

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ACTOR_KINDS = frozenset({"armed_group", "organization", "state", "country", "person"})



def _evidence(sent: Span, f: _Found) -> tuple[int, int]:
    """Chars of a finding's evidence: its cue and tokens, and its two mentions where they lie in the sentence."""
    doc = sent.doc
    toks = [f.cue_tok.i, *f.toks]
    ments = [f.subj, f.obj]
    start = min([doc[min(toks)].idx] + [m.start for m in ments if sent.start_char <= m.start < sent.end_char])
    end_tok = doc[max(f.toks[1] - 1, f.cue_tok.i)]
    end = max([end_tok.idx + len(end_tok)] + [m.end for m in ments if sent.start_char <= m.start < sent.end_char])
    return max(start, sent.start_char), min(end, sent.end_char)


def _valid(r: _DocReader, f: _Found) -> bool:
    if f.subj.entity_key == f.obj.entity_key:
        return False
    sk, ok = r.kind(f.subj), r.kind(f.obj)
    spec = schema().relation(f.type)
    if spec is None or not spec.allows(sk, ok):  # schema.yaml decides which kinds a type may join
        return False
    places = ("country", "province", "city", "district", "region")
    if f.type in ("leads", "member_of"):
        return sk == "person" and ok in ("armed_group", "organization", "state", "country")
    if f.type == "operates_in":
        return sk == "armed_group" and ok in places
    if f.type == "supports":
        return sk != "person" or ok == "person"
    return sk in ("armed_group", "organization", "state", "country", "person") and ok in ACTOR_KINDS


@extractor("relations", version="6", requires=("parse", "mentions", "entities", "sources"), provides=("relations",))
def extract_relations(ctx: ExtractionContext) -> list[Relation]:
    """All relations stated in the document, one Relation per (subject, type, object, polarity, source)."""
    r = _DocReader(ctx)
    r.speaker_group = first_person_group  # type: ignore[attr-defined]
    out: list[Relation] = []
    by_sent: list[tuple[Span, list[Relation]]] = []
    by_key: dict[str, list[tuple[int, Relation]]] = {}  # asserted relations by the actors they name
    for sent in r.sents:
        if not sent.text.strip():
            continue
        rend = _render(sent, r.tok_mention)
        found = (_surface_frames(r, rend) + _verb_frames(r, sent) + _place_frames(r, sent)
                 + _passive_and_lead_frames(r, sent) + _hyphen_frames(r, rend) + _prefix_frames(r, rend)
                 + _noun_frames(r, sent))
        rels: list[Relation] = []
        clausal_flags: list[bool] = []
        cue_index: list[int] = []
        for f in found:
            pol, denier_verb = _polarity(r, f)
            if pol is None or not _valid(r, f):
                continue
            if pol == "denied" and f.cue.startswith("in:") and in_denied_claim(ctx, f.cue_tok):
                continue  # a denial is of what is claimed, not of where the people it names are (H6)
            noun = _claim_noun(f) if f.clausal else None  # "claims that X is allied with Y"
            if noun is not None and pol == "asserted" and (called := _called_untrue(noun)) is not None:
                pol, denier_verb = "denied", called  # "called claims that ... baseless"
            start, end = _evidence(sent, f)
            denier = _denier(r, denier_verb) if denier_verb is not None else None
            owner = _claim_owner(r, noun) if noun is not None and pol == "denied" else None
            if owner is not None and (denier is None or owner.key != denier.key):  # "rejected claims by P that ..."
                claim = make_claim(ctx, start, end, "asserted", modality=_modality(f), source=owner)
                rels.append(Relation(f.subj.entity_key, f.type, f.obj.entity_key, claim, cue=f.cue))
                clausal_flags.append(False)
                cue_index.append(f.cue_tok.i)
            claim = make_claim(ctx, start, end, pol, modality=_modality(f), source=denier,
                               credit_span=(f.cue_tok.idx, f.cue_tok.idx + len(f.cue_tok)))
            rels.append(Relation(f.subj.entity_key, f.type, f.obj.entity_key, claim, cue=f.cue))
            clausal_flags.append(f.clausal and pol == "asserted")
            cue_index.append(f.cue_tok.i)
            spoken = _speaker_body(ctx, sent, claim.source_key) if pol == "asserted" and claim.source_key else None
            if spoken is not None:  # '"our fighters took P," claimed T, the spokesman for G': G says it too
                rels.append(Relation(f.subj.entity_key, f.type, f.obj.entity_key,
                                     Claim(**{**_claim_dict(claim), "source_key": spoken.key, "source_text": spoken.text}),
                                     cue=f"{f.cue} (for {spoken.text})"))  # its own cue: its own stored claim id
                clausal_flags.append(False)
                cue_index.append(f.cue_tok.i)
            body = speaking_for(ctx, denier_verb) if pol == "denied" and denier_verb is not None else None
            if body is not None and denier is not None and body.key != denier.key:  # "G's spokesman T denied ..."
                claim = make_claim(ctx, start, end, pol, modality=_modality(f), source=body,
                                   credit_span=(f.cue_tok.idx, f.cue_tok.idx + len(f.cue_tok)))
                rels.append(Relation(f.subj.entity_key, f.type, f.obj.entity_key, claim, cue=f.cue))
                clausal_flags.append(False)
                cue_index.append(f.cue_tok.i)
        denial = _sentence_denial(r, sent) or resumptive_denial(ctx, sent) or back_denial(ctx, sent)
        if denial is not None:
            denier, verb = denial
            # what the denier's own subject says of it ("X, which operates in P, denied ...") is not denied
            said_of_denier = {t.i for s in getattr(verb, "children", ()) if s.dep_ in ("nsubj", "nsubjpass")
                              and s.lemma_.lower() not in CUES["claim_nouns"] for t in s.subtree}
            own = [x for x, cl, ci in zip(rels, clausal_flags, cue_index, strict=True) if cl and ci not in said_of_denier]
            named = denied_claims(ctx, verb, rels)  # what the denial says it denies (H6), else look back
            back = points_back(verb) if hasattr(verb, "children") else False
            targets = named if named is not None else (own if own else _referenced(by_sent, by_key, sent, denier, ctx, back))
            body = speaking_for(ctx, verb) if hasattr(verb, "children") else None  # a spokesman's body denies too
            if body is not None and named is None and not own:
                targets += [x for x in _referenced(by_sent, by_key, sent, body, ctx, back) if x not in targets]
            for x in targets:
                if x.claim.polarity != "asserted":
                    continue
                for who in (denier, *([body] if body is not None and body.key != denier.key else [])):
                    if who is body and x.claim.source_key == body.key:
                        continue  # the body does not deny what it says itself
                    c = Claim(**{**_claim_dict(x.claim), "polarity": "denied", "source_key": who.key,
                                  "source_text": who.text, "sent_start": sent.start_char, "sent_end": sent.end_char,
                                  "snippet": sent.text.strip(), "start": verb.idx, "end": verb.idx + len(verb)})
                    rels.append(Relation(x.subject_key, x.type, x.object_key, c, cue=f"denial:{verb.lemma_}"))
        by_sent.append((sent, rels))
        _index_asserted(by_key, sent, rels)
        out.extend(rels)
    return _dedupe(out)


def _speaker_body(ctx: ExtractionContext, sent: Span, person: str) -> SentenceSource | None:
    """The body a person credited with a claim speaks for, as the sentence describes them ("T, the
    spokesman for G"); None when the credited source is no person or the sentence names no body."""
    from sitrep.extract.attribution import resolver

    ent = ctx.entities.get(person)
    if ent is None or ent.kind != "person":
        return None
    for m in ctx.mentions_in(sent.start_char, sent.end_char):
        if m.entity_key != person:
            continue
        span = ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        body = resolver(ctx).spoken_for(span.root) if span is not None and len(span) else None
        if body is not None and body.key and body.key != person:
            return body
    return None


def _claim_noun(f: _Found) -> Token | None:
    """The claim or report noun whose content clause holds a finding's cue ("claims [that X backs Y]")."""
    said = set(CUES["report_nouns"]) | set(CUES["claim_nouns"])
    cur = f.cue_tok
    for _ in range(6):
        if cur.dep_ in ("relcl", "ROOT") or cur.head.i == cur.i:
            return None
        if cur.dep_ == "acl" and any(c.dep_ == "mark" for c in cur.children):
            head = cur.head
            return head if head.lemma_.lower() in said or head.lower_ in said else None
        if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in REPORTING_VERBS:
            return None
        cur = cur.head
    return None


def _called_untrue(noun: Token) -> Token | None:
    """The verb that calls a claim untrue ("called claims that ... baseless", "described reports ... as false")."""
    gov = noun.head
    if noun.dep_ not in ("dobj", "nsubjpass") or gov.lemma_.lower() not in CUES["characterise_verbs"]:
        return None
    untrue = set(CUES["untrue_adjs"])
    sent = noun.sent
    if any(t.i > noun.i and (t.lower_ in untrue or t.lemma_.lower() in untrue) for t in sent):
        return gov
    return None


def _claim_owner(r: _DocReader, noun: Token) -> SentenceSource | None:
    """Who the sentence says makes a claim: "claims by P", "P's claims", "claims from P"."""
    toks = [c for c in noun.children if c.dep_ == "poss"]
    toks += [g for c in noun.children if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from", "of")
             for g in c.children if g.dep_ == "pobj"]
    for t in toks:
        if t.lower_ in CUES["personal_pronouns"]:
            continue
        ms = r.resolve(t, tuple(ACTOR_KINDS))
        if ms:
            return SentenceSource(ms[0].entity_key, ms[0].text)
    return None


def _claim_dict(c: Claim) -> dict[str, object]:
    return {s: getattr(c, s) for s in Claim.__slots__}


def _referenced(by_sent: list[tuple[Span, list[Relation]]], by_key: dict[str, list[tuple[int, Relation]]], sent: Span,
                denier: SentenceSource, ctx: ExtractionContext, back: bool = False) -> list[Relation]:
    """Relations a back-referring denial ("rejected the report's findings") answers.

    The asserted relations of the preceding sentences of the same paragraph (with ``back``, a denial
    that points back to claims made, of the paragraph before too), plus those the referenced source
    asserted earlier about the denier.
    """
    text = ctx.document.text
    para_start = own_start = text.rfind("\n\n", 0, sent.start_char)
    if back and para_start > 0:  # "rejected these claims": the paragraph before may hold claims someone made
        para_start = text.rfind("\n\n", 0, para_start)
    out: list[Relation] = []
    mentions_report = any(t.lemma_.lower() in CUES["report_nouns"] for t in sent)
    report_keys = {x.claim.source_key for _, rels in by_sent[-12:] for x in rels if x.claim.source_key}
    first = len(by_sent)  # by_sent is in text order: walk back to the paragraph's first sentence only
    while first > 0 and by_sent[first - 1][0].start_char >= para_start:
        first -= 1
    if mentions_report and denier.key:  # earlier paragraphs: the denier's asserted relations (by_key)
        for start, x in by_key.get(denier.key, ()):
            if start >= para_start:
                break
            if x.claim.source_key in report_keys and x.claim.source_key != denier.key:
                out.append(x)
    for s, rels in by_sent[first:]:
        out.extend(x for x in rels if x.claim.polarity == "asserted" and x.claim.source_key != denier.key and not x.cue.startswith("in:")
                   and (s.start_char >= own_start or x.claim.source_key is not None))  # before: only what a source said
    return out


def _index_asserted(by_key: dict[str, list[tuple[int, Relation]]], sent: Span, rels: list[Relation]) -> None:
    """Add a sentence's asserted relations to ``by_key`` under each actor they name (in text order)."""
    for x in rels:
        if x.claim.polarity == "asserted":
            for key in dict.fromkeys((x.subject_key, x.object_key)):
                by_key.setdefault(key, []).append((sent.start_char, x))


def _dedupe(rels: list[Relation]) -> list[Relation]:
    seen: set[tuple[str, str, str, str, str | None]] = set()
    out: list[Relation] = []
    for x in rels:
        s, o = x.subject_key, x.object_key
        if x.type in SYMMETRIC_RELATIONS and o < s:
            s, o = o, s
        key = (s, x.type, o, x.claim.polarity, x.claim.source_key)
        if key in seen:
            continue
        seen.add(key)
        out.append(x)
    return out


# the document reader under its former private names, for modules that imported them from here
__all__ = ["CUES", "FRAMES", "DocReader", "_DocReader", "_verb_subject_tokens", "extract_relations", "verb_subject_tokens"]
