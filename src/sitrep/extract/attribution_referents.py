"""The second half of :class:`~sitrep.extract.attribution_speakers.SpeakerResolver`: unnamed speakers
met again ("the sources said"), the outlet or the carrier of a statement, the branch of a group, a
person named before with a title, the agent of "data compiled by X", and who a "citing" phrase cites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.extract.context import SentenceSource

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.models import Mention


_NP_STOP = ("relcl", "acl", "advcl", "ccomp")  # clauses hanging off a noun phrase are not its name


def _np_tokens(tok: Token) -> list[Token]:
    """The noun phrase of ``tok`` without the clauses that hang off it."""
    out = []
    for t in tok.subtree:
        cur, skip = t, False
        while cur.i != tok.i and cur.head.i != cur.i:
            if cur.dep_ in _NP_STOP:
                skip = True
                break
            cur = cur.head
        if not skip:
            out.append(t)
    return out


class ReferentsMixin:
    """Methods :class:`SpeakerResolver` gets from here; they read its ``ctx``, ``cues`` and indexes."""

    def _same_unnamed(self, tok: Token) -> SentenceSource | None:
        """ "the sources said" after "military sources told AFP": the same unnamed speakers, credited as
        before (to the outlet that carried them)."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "these", "those", "this") for c in tok.children):
            return None
        i = self._sent_index(tok.idx)
        text = self.ctx.document.text
        for s in reversed(self.sent_starts[max(0, i - self.cues.lookback_sentences):i + 1]):
            for cue in reversed(self.ctx.source_cues.get(s, [])):
                if cue.phrase[1] > tok.idx or cue.source is None or cue.source.key is None:
                    continue
                words = text[cue.phrase[0]:cue.phrase[1]].lower().split()
                if words and words[-1].strip(",.") == tok.lower_:
                    return SentenceSource(cue.source.key, cue.source.text, tok.left_edge.idx, tok.idx + len(tok))
        return None

    @staticmethod
    def _unnamed(tok: Token, start: int, end: int) -> SentenceSource:
        """An unnamed speaker ("officials", "a military source"): no one to credit, the words kept."""
        words = []
        for t in tok.subtree:
            if t.i > tok.i and (t.text in {",", "(", "—", "–"} or t.dep_ in ("relcl", "acl", "appos", "prep")):
                break
            words.append(t)
        words = [t for t in words if t.dep_ != "case"]  # "the minister's" is the minister
        text = tok.doc[words[0].i : words[-1].i + 1].text if words else tok.text
        return SentenceSource(None, text.strip(" \"“”'"), start, end)

    def _outlet(self, verb: Token | None, start: int, end: int) -> SentenceSource | None:
        """An unnamed speaker who told a named outlet: "a military source told AFP" is AFP."""
        if verb is None or verb.lemma_.lower() not in self.cues.recipient_verbs:
            return None
        return self._carrier(verb)

    def _carrier(self, verb: Token) -> SentenceSource | None:
        objs = [c for c in verb.children if c.dep_ in ("dobj", "dative", "iobj")]
        objs += [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("to", "with")
                 for p in c.children if p.dep_ == "pobj"]
        for o in objs:
            m = self.mention_at(o)
            if m is not None and self.kind(m.entity_key, m.label) == "organization":
                return self.source(m, o.idx, o.idx + len(o))
        return None

    def _branch_of(self, tok: Token, owner: Mention) -> Mention | None:
        """ "G's West African branch", "the northern wing of G": the part of G the article names elsewhere
        whose name carries the description's words (an actor of the document whose parent is G)."""
        words = [c.lower_ for c in tok.children if c.dep_ in ("amod", "compound") and c.i not in range(
            *self._span_of(owner))]
        words += [t.lower_ for c in tok.children if c.dep_ in ("amod", "compound") for t in c.subtree
                  if t.dep_ in ("amod", "compound") and t.i != c.i]
        stems = {w[:5] for w in words if len(w) > 3}
        if not stems:
            return None
        for m in self.mentions:
            ent = self.ctx.entity(m.entity_key)
            if ent is None or ent.parent != owner.entity_key or m.entity_key == owner.entity_key:
                continue
            names = {w.lower()[:5] for n in (ent.name, m.text, *getattr(ent, "aliases", ())) for w in n.split()}
            if stems <= names:
                return m
        return None

    def _span_of(self, m: Mention) -> tuple[int, int]:
        span = self.ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        return (span.start, span.end) if span is not None else (0, 0)

    def _person_titled(self, tok: Token) -> Mention | None:
        """ "the minister said" after "Interior Minister T", "T, the group's spokesman" or "the spokesman,
        T": a bare definite role noun is the latest person named before with that role."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children) or any(
                c.dep_ in ("poss", "compound", "nmod", "prep", "amod") for c in tok.children):
            return None
        words = {tok.lower_, tok.lemma_.lower()}
        first = self.sent_starts[max(0, self._sent_index(tok.idx) - self.cues.lookback_sentences)]
        for m in reversed(self._mentions_between(first, tok.left_edge.idx)):
            if self.kind(m.entity_key, m.label) != "person":
                continue
            span = self.ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            root = span.root
            near = [c for c in root.children if c.dep_ in ("compound", "appos") and c.i not in range(span.start, span.end)]
            near += [t for c in list(near) for t in c.subtree if t.dep_ == "compound"]
            if root.dep_ == "appos":
                near.append(root.head)
            if any({t.lower_, t.lemma_.lower()} & words for t in near):
                return m
        return None

    def _agent_body(self, tok: Token) -> Mention | None:
        """The body a document is credited to by a participle ("data compiled by X", "a report
        released by X", "figures published by X")."""
        for c in tok.children:
            if c.dep_ == "acl":
                for a in c.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            if p.dep_ == "pobj":
                                found = self._in_np(_np_tokens(p), ("organization", "state", "armed_group"))
                                if found:
                                    return self._nearest_head(found, p)
        return None

    def _cited_by(self, tok: Token) -> SentenceSource | None:
        """ "sources cited by Reuters", "officials quoted by the Herald": the outlet that carries them."""
        for c in tok.children:
            if c.dep_ == "acl":
                for a in c.children:
                    if a.dep_ == "agent":
                        for p in a.children:
                            m = self.mention_at(p) if p.dep_ == "pobj" else None
                            if m is not None and self.kind(m.entity_key, m.label) == "organization":
                                return self.source(m, p.idx, p.idx + len(p))
        return None
