"""Attribution: who says what each sentence says.

:func:`attribute` fills ``ctx.sources`` (sentence start char -> :class:`SentenceSource`).
A sentence's source is the speaker of its reporting cue ("X said", "according to X",
"as confirmed by X", "the UN report states"); a pronoun speaker ("He added") or a bare
"the report" continues the last named speaker / report; a quotation spanning several
sentences (or paragraphs) carries its speaker to every sentence it covers.  A sentence
with no cue has no entry: the outlet itself speaks.

:func:`source_at` gives the source for any character offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.extract.context import ExtractionContext, SentenceSource

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.models import Mention

# verbs that introduce reported speech or a reported finding
REPORTING_VERBS = frozenset({
    "say", "tell", "add", "warn", "state", "note", "highlight", "claim", "confirm", "report",
    "accuse", "deny", "reveal", "announce", "argue", "insist", "assert", "allege", "write",
    "explain", "conclude", "find", "suggest", "indicate", "affirm", "acknowledge", "stress",
    "emphasise", "emphasize", "outline", "reject", "show", "describe", "estimate", "assess",
    "observe", "contend", "maintain", "declare", "mention", "caution", "admit", "dismiss",
})
# verbs that count as a cue even without a clause complement ("X said." at the end of a quote)
_SPEECH_VERBS = frozenset({"say", "tell", "add", "warn", "state", "note", "claim", "report", "write", "accuse"})
# nouns standing for a document that can speak: "the report said", "the analysis states"
REPORT_NOUNS = frozenset({
    "report", "reports", "analysis", "assessment", "study", "review", "update", "statement",
    "findings", "document", "note", "survey", "briefing", "dossier", "paper", "memo", "letter",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "him", "her", "them"})
ACTOR_LABELS = frozenset({"person", "organization", "armed_group", "state", "country"})
_OPEN_QUOTES = "“«"
_CLOSE_QUOTES = "”»"


@dataclass
class _State:
    """Running memory while walking the document."""

    last_speaker: SentenceSource | None = None
    last_report: SentenceSource | None = None


def _mention_for_span(ctx: ExtractionContext, start: int, end: int) -> Mention | None:
    """The actor mention inside [start, end), preferring the longest, then the first."""
    best: Mention | None = None
    for m in ctx.mentions:
        if m.start >= start and m.end <= end and m.label in ACTOR_LABELS:
            if best is None or (m.end - m.start) > (best.end - best.start):
                best = m
    return best


def _head_mention(ctx: ExtractionContext, tok: Token) -> Mention | None:
    """The mention covering ``tok`` itself, else the best mention in its noun phrase."""
    for m in ctx.mentions:
        if m.start <= tok.idx < m.end and m.label in ACTOR_LABELS:
            return m
    # the phrase without relative clauses / quotes hanging off it
    toks = [t for t in tok.subtree if not any(a.dep_ in ("relcl", "acl") for a in _ancestors_until(t, tok))]
    if not toks:
        return None
    return _mention_for_span(ctx, toks[0].idx, toks[-1].idx + len(toks[-1]))


def _ancestors_until(t: Token, stop: Token) -> list[Token]:
    out = []
    cur = t
    while cur != stop and cur.head != cur:
        out.append(cur)
        cur = cur.head
    return out


def _phrase_text(tok: Token) -> str:
    """The speaker as written: the noun phrase up to its first comma / relative clause."""
    words = []
    for t in tok.subtree:
        if t.i > tok.i and (t.text in {",", "(", "—", "–"} or t.dep_ in ("relcl", "acl", "appos")):
            break
        words.append(t)
    if not words:
        return tok.text
    return tok.doc[words[0].i : words[-1].i + 1].text.strip(" \"“”'")


def _is_report_phrase(tok: Token) -> bool:
    return tok.lower_ in REPORT_NOUNS or tok.lemma_.lower() in REPORT_NOUNS


def _resolve_speaker(ctx: ExtractionContext, tok: Token, state: _State) -> SentenceSource:
    """Turn a speaker token (subject of a reporting verb / object of "according to") into a source."""
    if tok.lower_ in PRONOUNS:
        if tok.lower_ == "it" and state.last_report is not None:
            return state.last_report
        if state.last_speaker is not None:
            return state.last_speaker
        return SentenceSource(None, tok.text, tok.idx, tok.idx + len(tok))
    mention = _head_mention(ctx, tok)
    text = _phrase_text(tok)
    start = tok.left_edge.idx
    end = tok.idx + len(tok)
    if _is_report_phrase(tok):
        if mention is not None:
            src = SentenceSource(mention.entity_key, text, start, end)
            state.last_report = src
            return src
        if state.last_report is not None and tok.lower_ not in ("statement", "letter"):
            return SentenceSource(state.last_report.key, text, start, end)
        return SentenceSource(None, text, start, end)
    if mention is not None:
        return SentenceSource(mention.entity_key, text if mention.text in text else mention.text, start, end)
    return SentenceSource(None, text, start, end)


def _subject_of(verb: Token) -> Token | None:
    """nsubj of a verb, the passive agent ("confirmed by X"), or the subject of the verb it is conjoined to."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            return c
    for c in verb.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject_of(verb.head)
    return None


def _depth(tok: Token) -> int:
    d = 0
    while tok.head != tok and d < 50:
        tok = tok.head
        d += 1
    return d


def _has_clause(verb: Token) -> bool:
    return any(c.dep_ in ("ccomp", "parataxis", "xcomp", "dobj", "prep") for c in verb.children)


def _according_to(sent: Span) -> Token | None:
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor(1).lower_ == "to":
            for c in t.nbor(1).children:
                if c.dep_ == "pobj":
                    return c
            for c in t.children:
                for p in c.children:
                    if p.dep_ == "pobj":
                        return p
    return None


def _note_report(ctx: ExtractionContext, sent: Span, state: _State) -> None:
    """Remember a named report ("the UN report", "its 33rd report", "a report from the UNSC")."""
    for t in sent:
        if t.lower_ not in ("report", "reports", "analysis", "assessment"):
            continue
        m = _head_mention(ctx, t)
        if m is None and t.head.i != t.i:
            # "in its 33rd report" hanging off a clause whose subject is an organisation
            owner = t.head
            while owner.dep_ in ("prep", "pobj") and owner.head.i != owner.i:
                owner = owner.head
            subj = _subject_of(owner) if owner.pos_ in ("VERB", "AUX") else None
            if subj is not None and subj.lower_ in ("which", "who", "that") and owner.dep_ == "relcl":
                subj = owner.head
            if subj is not None and any(c.lower_ in ("its", "their") for c in t.children):
                m = _head_mention(ctx, subj)
        if m is not None and m.label in ("organization", "state", "country"):
            state.last_report = SentenceSource(m.entity_key, f"{m.text} report", t.idx, t.idx + len(t))


def _cue_source(ctx: ExtractionContext, sent: Span, state: _State) -> SentenceSource | None:
    """The source named by a reporting cue in the sentence, or None."""
    acc = _according_to(sent)
    if acc is not None:
        return _resolve_speaker(ctx, acc, state)
    has_quote = any(ch in sent.text for ch in "\"“”")
    cands = []
    for t in sent:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in REPORTING_VERBS:
            continue
        if not (_has_clause(t) or has_quote or t.lemma_.lower() in _SPEECH_VERBS):
            continue
        subj = _subject_of(t)
        if subj is None:
            continue
        cands.append((_depth(t), t.i, subj))
    if not cands:
        return None
    cands.sort()
    return _resolve_speaker(ctx, cands[0][2], state)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations as char spans; an unclosed quote at a paragraph end runs on into the next paragraph."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in _OPEN_QUOTES or (ch == '"' and open_at is None):
            if open_at is None:
                open_at = i
        elif ch in _CLOSE_QUOTES or ch == '"':
            if open_at is not None:
                spans.append((open_at, i + 1))
                open_at = None
        elif ch == "\n" and open_at is not None and text.startswith("\n", i + 1):
            # paragraph break inside a quote: it continues only if the next paragraph re-opens one
            j = i
            while j < n and text[j] in "\n \t":
                j += 1
            if j < n and text[j] in _OPEN_QUOTES + '"':
                i = j + 1
                continue
            spans.append((open_at, i))
            open_at = None
        i += 1
    if open_at is not None:
        spans.append((open_at, n))
    return spans


def _spread_over_quotes(ctx: ExtractionContext) -> None:
    """Give every sentence of a multi-sentence quotation the source of its attributed sentence."""
    sents = [(s.start_char, s.end_char) for s in ctx.sdoc.sents]
    for qs, qe in _quote_spans(ctx.document.text):
        text = ctx.document.text
        covered = [s for s, e in sents if len(text[max(s, qs) : min(e, qe)].strip(" \n\t\"“”«»")) > 1]
        if len(covered) < 2:
            continue
        src = next((ctx.sources[s] for s in covered if s in ctx.sources), None)
        if src is None:
            continue
        for s in covered:
            ctx.sources.setdefault(s, src)


def attribute(ctx: ExtractionContext) -> None:
    """Fill ``ctx.sources``: sentence start char -> SentenceSource for sentences with a reporting cue."""
    state = _State()
    for sent in ctx.sdoc.sents:
        if not sent.text.strip():
            continue
        _note_report(ctx, sent, state)
        src = _cue_source(ctx, sent, state)
        if src is None:
            continue
        ctx.sources[sent.start_char] = src
        if src.text and not _is_report_text(src.text):
            state.last_speaker = src
        elif src.key is not None:
            state.last_report = src
    _spread_over_quotes(ctx)


def _is_report_text(text: str) -> bool:
    words = re.findall(r"[a-z]+", text.lower())
    return bool(words) and words[-1] in REPORT_NOUNS


def source_at(ctx: ExtractionContext, char: int) -> SentenceSource | None:
    """The source of the sentence holding character ``char`` (None: the outlet itself)."""
    sent = ctx.sentence_of(char)
    if sent is None:
        return None
    return ctx.sources.get(sent.start_char)
