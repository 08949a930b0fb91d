"""Clauses and triggers: where a sentence may report one incident, and whether it reports it as happened.

A sentence is cut at line breaks and clause separators; the first non-empty line is the
headline. Each clause is matched against the triggers of ``event_cues.yaml`` (most specific
first), and a trigger is kept only when the clause reports the incident as having happened:
not a threat, plan, pledge, ability, question, condition or negation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.data.language import language
from sitrep.extract.events_casualties import states_a_toll
from sitrep.extract.events_cues import Cues, Trigger

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.extract.context import ExtractionContext

_LINE = re.compile(r"[^\n]+")
_FIRST_LINE = re.compile(r"\S[^\n]*")


@dataclass(slots=True)
class Clause:
    """A piece of a sentence that may report one incident."""

    start: int
    end: int
    sent: Span
    headline: bool
    line_start: int = -1  # the sentence's part on this line (a headline may share a spaCy sentence)
    line_end: int = -1
    tokens: list[Token] | None = None  # the line's tokens, shared by the clauses of one line

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def line_tokens(self) -> list[Token]:
        if self.tokens is None:
            self.tokens = tokens_in(self.sent, self.line_start, self.line_end)
        return self.tokens

    def tokens_in(self, start: int, end: int) -> list[Token]:
        """Tokens of this clause's line inside [start, end)."""
        return [t for t in self.line_tokens() if t.idx >= start and t.idx + len(t.text) <= end]


def tokens_in(sent: Span, start: int, end: int) -> list[Token]:
    return [t for t in sent if t.idx >= start and t.idx + len(t.text) <= end]


def clauses(ctx: ExtractionContext, cues: Cues) -> list[list[Clause]]:
    """The clauses of the document, grouped by line of a sentence (the clauses of one line share tokens)."""
    text = ctx.document.text
    first = _FIRST_LINE.search(text)
    head_span = (first.start(), first.end()) if first else (-1, -1)
    out: list[list[Clause]] = []
    for sent in ctx.sdoc.sents:
        for line in _LINE.finditer(text[sent.start_char : sent.end_char]):
            ls, le = sent.start_char + line.start(), sent.start_char + line.end()
            is_head = ls >= head_span[0] and le <= head_span[1]
            toks = tokens_in(sent, ls, le)
            group: list[Clause] = []
            pos = ls
            for sep in cues.clause_split.finditer(text[ls:le]):
                group.append(Clause(pos, ls + sep.start(), sent, is_head, ls, le, toks))
                pos = ls + sep.end()
            group.append(Clause(pos, le, sent, is_head, ls, le, toks))
            group = [c for c in group if text[c.start : c.end].strip()]
            if group:
                out.append(group)
    return out


@dataclass(slots=True)
class Hit:
    trigger: Trigger
    start: int
    end: int
    text: str
    head: Token | None


def find_triggers(clause: Clause, doc_text: str, cues: Cues) -> list[Hit]:
    """Trigger matches of a clause, most specific first."""
    text = clause.text(doc_text)
    hits: list[Hit] = []
    for trig in cues.triggers:
        for m in trig.pattern.finditer(text):
            s, e = clause.start + m.start(), clause.start + m.end()
            hits.append(Hit(trig, s, e, m.group(0), span_head(clause.tokens_in(s, e))))
    hits.sort(key=lambda h: (-h.trigger.priority, h.start))
    return hits


def span_head(toks: list[Token]) -> Token | None:
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[-1]


def is_plural(hit: Hit) -> bool:
    tok = hit.head
    if tok is None:
        return hit.text.lower().endswith("s")
    return tok.tag_ in ("NNS", "NNPS")


def governing_verb(tok: Token) -> Token | None:
    """The nearest verb at or above a token (an infinitive hands over to the verb it depends on)."""
    cur: Token | None = tok
    seen = 0
    while cur is not None and seen < 12:
        if cur.pos_ in ("VERB", "AUX") and not (cur.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)):
            if cur.tag_ != "VBG" or cur.dep_ in ("ROOT", "conj", "ccomp"):
                return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        seen += 1
    return None


def _is_past(verb: Token) -> bool:
    if verb.tag_ in ("VBD", "VBN"):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for c in verb.children)


def is_hypothetical(tok: Token, cues: Cues, bounds: tuple[int, int] | None = None) -> bool:
    """A threat, plan, ability, negation, condition or modal governs the trigger (within the line)."""
    chain = [tok]
    for a in tok.ancestors:  # a parse chain is short; bounded anyway against odd parses
        if len(chain) > 24:
            break
        if bounds is None or bounds[0] <= a.idx < bounds[1]:
            chain.append(a)
    prev: Token | None = None
    for t in chain:
        low = t.lemma_.lower()
        # "foiled a plot and arrested a cell": a coordinated verb keeps its own meaning
        sibling = prev is not None and prev.dep_ == "conj" and prev.pos_ == "VERB" and t.pos_ == "VERB"
        prev = t
        if t.pos_ == "NOUN" and (low in cues.hypothetical_nouns or t.lower_ in cues.hypothetical_nouns) and t is not tok:
            return True
        if t.pos_ in ("VERB", "AUX", "ADJ") and low in cues.hypothetical_lemmas and not sibling:
            return True
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in cues.modal_words:
                return True
            if c.dep_ == "neg" and c.lower_ in cues.negation_words and t.pos_ in ("VERB", "AUX"):
                return True
            if c.dep_ == "mark" and c.lower_ in cues.condition_marks:
                return True
        if t.dep_ == "ROOT":
            break
    return False


def is_factual(hit: Hit, clause: Clause, doc_text: str, cues: Cues) -> bool:
    """Does the clause report the triggered incident as having happened?"""
    text = clause.text(doc_text)
    if doc_text[clause.line_start : clause.line_end].rstrip().endswith("?"):
        return False
    tok = hit.head
    if tok is None:
        return clause.headline
    if is_hypothetical(tok, cues, (clause.line_start, clause.line_end)):
        return False
    if clause.headline:
        return True
    if tok.tag_ in ("VBD", "VBN") and tok.dep_ != "amod":
        return True
    if any(c.tag_ in ("VBD", "VBN") and c.dep_ in ("acl", "relcl") for c in tok.children):
        return True
    verb = governing_verb(tok)
    if verb is not None and not clause.line_start <= verb.idx < clause.line_end:
        verb = None  # the parse ran across a line break (a headline glued to the first sentence)
    if verb is not None:
        reported = verb.lemma_ in cues.report_verbs or verb.lemma_.lower() in language().speech_verbs
        return _is_past(verb) or (reported and (bool(cues.casualties.any_kill.search(text)) or states_a_toll(text)))
    return states_a_toll(text)


__all__ = ["Clause", "Hit", "clauses", "find_triggers", "governing_verb", "is_factual", "is_hypothetical", "is_plural",
           "span_head", "tokens_in"]
