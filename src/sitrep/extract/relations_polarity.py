"""Polarity, modality and the denier of a relation found by a frame.

Negation and denial scope make a relation denied; pledges and other hypotheticals make nothing;
hedges fill ``Claim.modality``; a denial that targets a claim rather than a clause ("rejected the
report's findings") is found sentence by sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.extract.attribution import REPORTING_VERBS, speaker_of
from sitrep.extract.context import SentenceSource
from sitrep.extract.relations_reader import _children, _DocReader, _Found, _verb_subject_tokens
from sitrep.extract.relations_render import CUES

if TYPE_CHECKING:
    from spacy.tokens import Span, Token



def _negates(c: Token) -> bool:
    """A negation on its head: "not", "never" (dep ``neg``) or a negative determiner ("no presence")."""
    return c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ in language().negation_words)


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    cur = tok
    while cur.head.i != cur.i and len(out) < 30:
        cur = cur.head
        out.append(cur)
    return out


def _withheld(report: Token) -> bool:
    """A report that is refused ("refused to say whether X ..."): what it would say is not asserted."""
    return report.dep_ == "xcomp" and report.head.lemma_.lower() in CUES["refuse_verbs"]


def _polarity(r: _DocReader, f: _Found) -> tuple[str | None, Token | None]:
    """("asserted"|"denied"|None, denier verb) for a finding; None means: do not emit (a pledge).

    A pledge, denial or refusal only scopes over its complement (the branch of the tree the
    cue sits in must hang off it as xcomp/ccomp/dobj/pcomp/prep), not over adverbial clauses.
    """
    neg = False
    path = _ancestors(f.cue_tok)
    if not f.clausal:  # a noun-phrase fact (role, affiliation) is negated only on its own cue
        return ("denied" if any(_negates(c) for c in f.cue_tok.children) else "asserted"), None
    if any(c.dep_ in ("dobj", "attr") and any(d.dep_ == "det" and _negates(d) for d in c.children) for c in f.cue_tok.children):
        neg = True  # "has no presence"
    for k, a in enumerate(path):
        lemma = a.lemma_.lower()
        via = path[k - 1] if k > 0 else None  # the child of ``a`` on the path up from the cue
        if via is not None and via.dep_ == "relcl":
            break  # "X, which supports Y, did not comment": a relative clause is not in its host's scope
        in_scope = via is not None and via.dep_ in ("xcomp", "ccomp", "dobj", "pcomp", "prep", "conj", "acl")
        if k > 0 and lemma in REPORTING_VERBS and lemma not in CUES["deny_verbs"] and via is not None and via.dep_ in ("ccomp", "parataxis"):
            if _withheld(a):
                return None, None
            break
        if k > 0 and via is not None and via.dep_ in ("xcomp", "ccomp") and lemma in CUES["pledge_verbs"]:
            return None, None
        if k > 0 and in_scope and lemma in CUES["deny_verbs"]:
            return "denied", a
        if k > 0 and in_scope and lemma in CUES["refuse_verbs"]:
            return None, None  # "refused to say whether ...": nothing is asserted, nor denied
        if any(_negates(c) for c in a.children):
            if k == 0 or in_scope or (via is not None and via.dep_ in ("nsubj", "dobj", "attr", "acomp")):
                neg = True
        if k > 0 and a.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ in CUES["future_modals"] for c in a.children) and neg:
            return None, None
        if a.dep_ == "ccomp" and a.head.lemma_.lower() in REPORTING_VERBS:
            if a.head.lemma_.lower() in CUES["deny_verbs"]:
                return "denied", a.head
            if _withheld(a.head):
                return None, None
            break
    return ("denied" if neg else "asserted"), None


def _modality(f: _Found) -> str | None:
    hedges = set(CUES["hedges"])
    for a in _ancestors(f.cue_tok)[:6]:
        if a.lemma_.lower() in hedges or a.lower_ in hedges:
            return a.lower_
        for c in a.children:
            if c.dep_ in ("advmod", "aux", "amod") and (c.lower_ in hedges or c.lemma_.lower() in hedges):
                return c.lower_
    return None


def _speaker_in_sentence(r: _DocReader, tok: Token) -> SentenceSource | None:
    """The subject of the nearest reporting verb above ``tok`` within its sentence."""
    path = _ancestors(tok)
    for k, a in enumerate(path[1:], start=1):
        if path[k - 1].dep_ not in ("ccomp", "parataxis"):
            continue  # "maintain ties" is not "maintain that ..."
        if a.lemma_.lower() in REPORTING_VERBS and a.pos_ in ("VERB",):
            subj = _children(a, ("nsubj",)) or [p for ag in _children(a, ("agent",)) for p in _children(ag, ("pobj",))]
            if not subj:
                return None
            if subj[0].lower_ in CUES["personal_pronouns"]:
                return None
            ms = r.resolve(subj[0], ("armed_group", "organization", "state", "country", "person"))
            if not ms:
                return None  # an unnamed speaker or "the report": the sentence's attribution knows better
            return SentenceSource(ms[0].entity_key, ms[0].text)
    return None


def _denier(r: _DocReader, verb: Token) -> SentenceSource | None:
    subj = _verb_subject_tokens(verb) or [p for ag in _children(verb, ("agent",)) for p in _children(ag, ("pobj",))]
    if not subj:
        return None
    said = speaker_of(r.ctx, subj[0], verb)
    if said is not None:
        return said
    ms = r.resolve(subj[0], ("armed_group", "organization", "state", "country", "person"))
    return SentenceSource(ms[0].entity_key, ms[0].text) if ms else None


# --- sentence-level denial ("a claim that X denies", "X rejected the report's findings") ----


def _sentence_denial(r: _DocReader, sent: Span) -> tuple[SentenceSource, Token] | None:
    """A denial in the sentence that targets a claim rather than a clause: (denier, deny verb)."""
    claim_nouns = set(CUES["claim_nouns"])
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma in CUES["deny_verbs"] and t.pos_ == "VERB":
            targets = _children(t, ("dobj", "nsubjpass"))
            if t.dep_ == "relcl":  # "..., a claim that X denies"
                targets.append(t.head)
            if any(x.lemma_.lower() in claim_nouns or x.lower_ in claim_nouns for x in targets):
                agent = [p for ag in _children(t, ("agent",)) for p in _children(ag, ("pobj",))]
                subj = agent or _children(t, ("nsubj",))
                if subj:
                    said = speaker_of(r.ctx, subj[0], t)
                    ms = r.resolve(subj[0], ("armed_group", "organization", "state", "country", "person"))
                    if said is None and ms:
                        said = SentenceSource(ms[0].entity_key, ms[0].text)
                    return (said or SentenceSource(None, "")), t
        if lemma in CUES["untrue_adjs"] and t.dep_ in ("acomp", "attr"):
            subj = _children(t.head, ("nsubj",))
            if subj and subj[0].lemma_.lower() in claim_nouns:
                sp = t.head.head if t.head.dep_ == "ccomp" else None
                if sp is not None:
                    d = _denier(r, sp)
                    if d is not None:
                        return d, t.head
    return None

