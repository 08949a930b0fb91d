"""Who a speaker phrase stands for: a named actor, the body an unnamed spokesman speaks for, the
outlet an unnamed source told, the actor a pronoun or a definite description ("the group", "the
report", "the monitors") refers back to — or no one (the article's own voice).

A source is always an actor (person, organisation, armed group, state): never a place, a
pronoun without antecedent, a determiner, a heading or the counted phrase itself.

Back references: "the experts", "the institute's director" (a definite role or body noun: the body
named before), "the minister" (the person named before with that title), "the statement" (the body
that issued it, ``issuing_verbs``), "data compiled by X" (the participle's agent), "G's West African
branch" (the part of G the article names elsewhere, ``branch_nouns``).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from sitrep.extract.attribution_cues import SourceCues, source_cues
from sitrep.extract.attribution_referents import ReferentsMixin, _np_tokens
from sitrep.extract.context import ExtractionContext, SentenceSource

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.models import Mention

ACTOR_KINDS = ("person", "organization", "armed_group", "state")


class SpeakerResolver(ReferentsMixin):
    """Resolves speaker tokens of one document; reads ``ctx.mentions`` and the cues found so far."""

    def __init__(self, ctx: ExtractionContext, cues: SourceCues | None = None) -> None:
        self.ctx = ctx
        self.cues = cues or source_cues()
        self.sents = list(ctx.sdoc.sents)
        self.sent_starts = [s.start_char for s in self.sents]
        self.mentions = sorted((m for m in ctx.mentions if self.kind(m.entity_key, m.label) is not None),
                               key=lambda m: (m.start, m.end))
        self.mention_starts = [m.start for m in self.mentions]
        self._ends: dict[tuple[str, ...], list[int]] | None = None  # _name_ends, built when first asked
        self.reports: list[tuple[int, SentenceSource]] = []
        self._report_starts: list[int] = []
        self._reports_done = False

    # -- kinds and mentions -------------------------------------------------------------
    def kind(self, key: str | None, label: str = "") -> str | None:
        """The actor kind of an entity (a country acting is a state); None for a place or unknown."""
        ent = self.ctx.entity(key)
        kind = ent.kind if ent is not None else label
        if kind == "country":
            return "state"
        return kind if kind in ACTOR_KINDS else None

    def _mentions_between(self, start: int, end: int) -> list[Mention]:
        i = bisect_left(self.mention_starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                out.append(self.mentions[i])
            i += 1
        return out

    def mention_at(self, tok: Token) -> Mention | None:
        i = bisect_left(self.mention_starts, tok.idx + 1) - 1
        while i >= 0 and self.mentions[i].start > tok.idx - 200:
            m = self.mentions[i]
            if m.start <= tok.idx < m.end:
                return m
            i -= 1
        return None

    def source(self, m: Mention, start: int, end: int) -> SentenceSource:
        return SentenceSource(m.entity_key, m.text, start, end)

    def _in_np(self, toks: list[Token], kinds: tuple[str, ...]) -> list[tuple[Mention, Token]]:
        out: list[tuple[Mention, Token]] = []
        seen: set[int] = set()
        for t in toks:
            m = self.mention_at(t)
            if m is not None and id(m) not in seen and self.kind(m.entity_key, m.label) in kinds:
                seen.add(id(m))
                span = self.ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
                out.append((m, span.root if span is not None else t))
        return out

    # -- the report an article is about ----------------------------------------------------
    def _ancestors(self, key: str) -> set[str]:
        out: set[str] = set()
        cur = self.ctx.entity(key)
        parent = cur.parent if cur is not None else None
        while parent and parent not in out and len(out) < 10:
            out.add(parent)
            nxt = self.ctx.entity(parent)
            rec = self.ctx.gazetteer.actor_by_id(parent) if nxt is None else None
            parent = nxt.parent if nxt is not None else (rec.parent if rec is not None else None)
        return out

    def _index_reports(self) -> None:
        """Every named report ("the UN report", "a report from the Security Council", "its report")."""
        nouns = self.cues.report_nouns | self.cues.utterance_nouns
        for sent in self.sents:
            for t in sent:
                if t.lower_ not in nouns or t.pos_ not in ("NOUN", "PROPN") or self.mention_at(t) is not None:
                    continue  # "Study" in "Institute for the Study of War" is a name, not a report
                body = self._body_in_np(t) or self._agent_body(t)
                if body is None and t.dep_ in ("dobj", "nsubjpass") and t.head.lemma_.lower() in self.cues.issuing_verbs:
                    # "X issued a statement", "a report was released by X": the one who put it out
                    who = [c for c in t.head.children if c.dep_ == "nsubj"] if t.dep_ == "dobj" else [
                        p for a in t.head.children if a.dep_ == "agent" for p in a.children if p.dep_ == "pobj"]
                    body = self._body_in_np(who[0], self_too=True) if who else None
                if body is None and any(c.lower_ in ("its", "their") for c in t.children):
                    owner = t.head
                    while owner.dep_ in ("prep", "pobj") and owner.head.i != owner.i:
                        owner = owner.head
                    subj = [c for c in owner.children if c.dep_ == "nsubj"]
                    if subj and subj[0].lower_ in ("which", "who", "that") and owner.dep_ == "relcl":
                        subj = [owner.head]
                    if subj:
                        body = self._body_in_np(subj[0], self_too=True)
                if body is None:
                    continue
                src = SentenceSource(body.entity_key, f"{body.text} {t.text}", t.idx, t.idx + len(t))
                self.reports.append((t.idx, self._narrowest(src, t.idx)))
                self._report_starts.append(t.idx)  # kept in step: _narrowest bisects it while indexing
        self._reports_done = True

        self._report_starts = [pos for pos, _ in self.reports]

    def _narrowest(self, src: SentenceSource, at: int) -> SentenceSource:
        """A report named by a broader body than the report just before it is that same report
        ("a Security Council report" ... "the U.N. report")."""
        i = bisect_left(self._report_starts, at)

        prev = self.reports[i - 1][1] if i > 0 else None
        if prev is not None and src.key is not None and src.key in self._ancestors(prev.key or ""):
            return SentenceSource(prev.key, src.text, src.start, src.end)
        return src

    def _body_in_np(self, tok: Token, self_too: bool = False) -> Mention | None:
        """The body a noun phrase names as its author ("the UN report", "a report by X", "X's
        statement"), not one it is addressed to or about ("a report to the Council")."""
        toks = [t for t in _np_tokens(tok) if (self_too or t.i != tok.i) and not self._behind_preposition(t, tok)]
        found = self._in_np(toks, ("organization", "state", "armed_group"))
        return found[0][0] if found else None

    def _behind_preposition(self, t: Token, head: Token) -> bool:
        cur = t
        while cur.i != head.i and cur.head.i != cur.i:
            if cur.dep_ == "prep" and cur.lower_ not in self.cues.author_prepositions:
                return True
            cur = cur.head
        return False

    def last_report(self, before: int) -> SentenceSource | None:
        if not self._reports_done:
            self._index_reports()
        i = bisect_left(self._report_starts, before)
        return self.reports[i - 1][1] if i > 0 else None

    # -- what came before --------------------------------------------------------------------
    def _sent_index(self, char: int) -> int:
        return max(0, bisect_left(self.sent_starts, char + 1) - 1)

    def recent_speaker(self, before: int, kinds: tuple[str, ...], sentences: int | None = None,
                       paragraph: bool = False) -> SentenceSource | None:
        """The latest earlier speaker (of this sentence's earlier cues too) of a compatible kind, within
        ``sentences`` sentences back (default: the look-back of sources.yaml), and with ``paragraph``
        within the paragraph."""
        back = self.cues.lookback_sentences if sentences is None else sentences
        first = self.sent_starts[max(0, self._sent_index(before) - back)]
        if paragraph:
            first = max(first, self.ctx.document.text.rfind("\n\n", 0, max(before, 1)) + 1)
        i = self._sent_index(before)
        window = [s for s in self.sent_starts[max(0, i - back):i + 1] if first <= s <= before]
        for s in reversed(window):
            for cue in reversed(self.ctx.source_cues.get(s, [])):
                src = cue.source
                if src is None or src.key is None or cue.phrase[0] >= before:
                    continue
                if "report" in kinds and src.text.lower().split()[-1:] and \
                        src.text.lower().split()[-1] in self.cues.report_nouns:
                    return src
                if self.kind(src.key) in kinds:
                    return src
        return None

    def _named_like(self, before: int, kinds: tuple[str, ...], word: str) -> Mention | None:
        """The latest earlier actor whose own name carries the description's word ("the monitors":
        the X Monitoring Group; "the ministry": the Ministry of Y)."""
        if len(word) < 4:
            return None
        stem = word[:5] if len(word) > 5 else word
        first = self.sent_starts[max(0, self._sent_index(before) - self.cues.lookback_sentences)]
        for m in reversed(self._mentions_between(first, before)):
            if self.kind(m.entity_key, m.label) == kinds[0] and any(
                    w.lower().startswith(stem) for w in m.text.split()[1:] or m.text.split()):
                return m
        return None

    def antecedent(self, before: int, kinds: tuple[str, ...], word: str = "") -> Mention | None:
        """The actor a definite description ("the group") stands for: the latest earlier actor named
        with the description's word, else sentence by sentence back from ``before`` a mention of a
        compatible kind (the kinds are listed most likely first), a subject before an object before
        anything else, never the target of an attack."""
        named = self._named_like(before, kinds, word)
        if named is not None:
            return named
        i = self._sent_index(before)
        for j in range(i, max(-1, i - self.cues.lookback_sentences - 1), -1):
            sent = self.sents[j]
            cands = [m for m in self._mentions_between(sent.start_char, min(before, sent.end_char))
                     if self.kind(m.entity_key, m.label) in kinds]
            ranked: list[tuple[int, int, int, Mention]] = []
            for m in cands:
                span = self.ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
                if span is None:
                    continue
                role = self._role(span.root)
                if role < 0:
                    continue
                ranked.append((kinds.index(self.kind(m.entity_key, m.label) or kinds[0]), role, -m.start, m))
            if ranked:
                return min(ranked, key=lambda x: x[:3])[3]
        return None

    def _role(self, tok: Token) -> int:
        """0 subject, 1 object, 2 other, 3 inside a prepositional phrase; -1 the target of an attack."""
        cur = tok
        oblique = False
        for _ in range(5):  # through compounds, possessives, appositions and "of" phrases
            dep = cur.dep_
            if dep in ("nsubj", "agent"):
                return 3 if oblique else 0
            if dep in ("dobj", "nsubjpass", "iobj", "pobj"):
                verb = cur.head.head if dep == "pobj" else cur.head
                if verb.lemma_.lower() in self.cues.target_verbs and (dep != "pobj" or cur.head.lower_ in (
                        "against", "on", "at")):
                    return -1
                if dep == "pobj":
                    oblique = True
                    cur = cur.head
                    continue
                return 3 if oblique else 1
            if dep in ("compound", "poss", "appos", "amod", "conj", "prep", "nmod") and cur.head.i != cur.i:
                cur = cur.head
                continue
            break
        return 3 if oblique else 2

    # -- the speaker ------------------------------------------------------------------------
    def resolve(self, tok: Token, verb: Token | None = None) -> SentenceSource | None:
        """The source a speaker token (subject of a reporting verb, object of "according to") stands for."""
        cues = self.cues
        start, end = tok.left_edge.idx, tok.idx + len(tok)
        low = tok.lower_
        if low in cues.pronouns:
            kinds = cues.pronouns[low]
            if "report" in kinds:
                rep = self.last_report(tok.idx)
                if rep is not None:
                    return SentenceSource(rep.key, rep.text, start, end)
            src = self.recent_speaker(tok.idx, kinds)
            if src is None and "person" in kinds:  # "He added" right after a body spoke, no person in sight
                src = self.recent_speaker(tok.idx, ACTOR_KINDS, sentences=1)
            return SentenceSource(src.key, src.text, start, end) if src is not None else None
        if low in cues.not_speakers:
            return None
        m = self.mention_at(tok)
        if m is not None:
            return self.source(m, start, end)
        toks = _np_tokens(tok)
        lemma = tok.lemma_.lower()
        head_words = {low, lemma}
        if head_words & cues.event_nouns:
            return None  # an attack does not speak ("the attack in X claimed 20 lives")
        if head_words & cues.report_nouns:
            body = self._body_in_np(tok) or self._agent_body(tok)
            if body is not None:
                if not self._reports_done:
                    self._index_reports()
                return self._narrowest(self.source(body, start, end), tok.idx)
            rep = self.last_report(tok.idx)
            return SentenceSource(rep.key, tok.text if rep is None else rep.text, start, end) if rep else None
        if head_words & cues.utterance_nouns:
            body = self._body_in_np(tok) or self._agent_body(tok)
            if body is not None:
                return self.source(body, start, end)
            if any(c.dep_ == "det" and c.lower_ in cues.back_determiners for c in tok.children):
                rep = self.last_report(tok.idx)  # "the statement said": the one put out before
                return SentenceSource(rep.key, rep.text, start, end) if rep is not None else None
            return None
        if head_words & cues.state_media_nouns and any(
                c.lower_ in cues.state_media_words for c in tok.children if c.dep_ in ("amod", "compound")):
            orgs = self._in_np(toks, ("organization",))
            if orgs:
                return self.source(orgs[0][0], start, end)
            states = self._in_np(toks, ("state",))
            return self.source(states[0][0], start, end) if states else None
        if head_words & cues.role_nouns:
            people = self._in_np(toks, ("person",))
            if people:
                return self.source(people[0][0], start, end)
            body = self._body_in_np(tok) or self._employer(tok)
            if body is not None:
                return self.source(body, start, end)
            for c in tok.children:  # "the group's spokesman", "army officials", "a military source"
                if c.dep_ in ("poss", "compound", "amod", "nmod") and c.lemma_.lower() in cues.anaphora:
                    ante = self.antecedent(tok.left_edge.idx, cues.anaphora[c.lemma_.lower()], c.lemma_.lower())
                    if ante is not None and c.dep_ != "amod":
                        return self.source(ante, start, end)
                if c.dep_ == "prep" and c.lower_ in ("for", "of", "from"):
                    for p in c.children:
                        if p.dep_ == "pobj" and p.lemma_.lower() in cues.anaphora:
                            ante = self.antecedent(tok.left_edge.idx, cues.anaphora[p.lemma_.lower()],
                                                   p.lemma_.lower())
                            if ante is not None:
                                return self.source(ante, start, end)
            titled = self._person_titled(tok)
            if titled is not None:
                return self.source(titled, start, end)
            if (lemma in cues.anaphora or low in cues.anaphora) and any(
                    c.dep_ == "det" and c.lower_ in ("the", "these", "those", "this") for c in tok.children) and not any(
                    c.dep_ in ("amod", "compound", "nmod", "prep") for c in tok.children):
                # "the experts estimate": a bare definite role noun names the body named before
                ante = self.antecedent(tok.left_edge.idx, cues.anaphora.get(lemma) or cues.anaphora[low], lemma)
                if ante is not None:
                    return self.source(ante, start, end)
            return self._cited_by(tok) or self._outlet(verb, start, end) or self._same_unnamed(tok) or self._unnamed(tok, start, end)
        if lemma in cues.anaphora or low in cues.anaphora:
            found = self._in_np([t for t in toks if t.i != tok.i], ACTOR_KINDS)
            if found:
                return self.source(self._nearest_head(found, tok), start, end)
            if any(c.lower_ in ("the", "this", "that") for c in tok.children if c.dep_ == "det"):
                ante = self.antecedent(tok.left_edge.idx, cues.anaphora.get(lemma) or cues.anaphora[low], lemma)
                if ante is not None:
                    return self.source(ante, start, end)
            return self._cited_by(tok) or self._outlet(verb, start, end) or self._same_unnamed(tok) or self._unnamed(tok, start, end)
        # a name behind a preposition that does not name an author ("a convoy in X") is not the speaker
        found = self._in_np([t for t in toks if not self._behind_preposition(t, tok)], ACTOR_KINDS)
        if not found and head_words & cues.unnamed_nouns:
            return self._cited_by(tok) or self._outlet(verb, start, end) or self._same_unnamed(tok) or self._unnamed(tok, start, end)
        people = [(m, t) for m, t in found if self.kind(m.entity_key, m.label) == "person" and t.dep_ in ("appos", "flat")]
        if people:
            return self.source(people[0][0], start, end)
        if found:
            owner = self._nearest_head(found, tok)
            branch = self._branch_of(tok, owner) if head_words & cues.branch_nouns else None
            return self.source(branch or owner, start, end)
        short = self._short_name(tok)
        if short is not None:
            return self.source(short, start, end)
        return self._outlet(verb, start, end)

    def spoken_for(self, tok: Token) -> SentenceSource | None:
        """The body a named person speaks for, as the sentence describes them: an apposition or a
        title with a role noun ("T, the group's spokesman", "T, a spokesman for G", "G spokesman T").
        None when the speaker is no named person or the description names no body."""
        m = self.mention_at(tok)
        if m is None or self.kind(m.entity_key, m.label) != "person":
            return None
        bodies = ("organization", "state", "armed_group")
        for c in tok.children:
            if not {c.lower_, c.lemma_.lower()} & self.cues.role_nouns:
                continue
            src: SentenceSource | None = None
            if c.dep_ == "appos":
                src = self.resolve(c)
            elif c.dep_ == "compound":  # the title before the name: its own modifiers name the body
                found = self._in_np([t for t in c.subtree if t.i != c.i] + [
                    t for t in tok.children if t.dep_ == "compound" and t.i < c.i], bodies)
                src = self.source(found[0][0], c.left_edge.idx, c.idx + len(c)) if found else None
            if src is not None and src.key is not None and src.key != m.entity_key and self.kind(src.key) in bodies:
                return src
        return None

    def _employer(self, tok: Token) -> Mention | None:
        """The body a role noun works for, named behind a preposition ("analysts at X", "a researcher
        with X", "a spokesman for X"): that body speaks."""
        for c in tok.children:
            if c.dep_ != "prep" or c.lower_ not in self.cues.member_prepositions:
                continue
            for p in c.children:
                if p.dep_ == "pobj":
                    found = self._in_np(_np_tokens(p), ("organization", "state", "armed_group"))
                    if found:
                        return self._nearest_head(found, p)
        return None

    def _short_name(self, tok: Token) -> Mention | None:
        """A proper name not recognised here that shortens an actor named earlier: a surname
        ("Varga said" after "Tomas Varga"), the first words of a body's name ("SITE" after "SITE
        Intelligence Group")."""
        if tok.pos_ != "PROPN" and not (tok.is_upper and len(tok) > 1):
            return None
        words = [t.text.lower() for t in tok.subtree if t.dep_ in ("compound", "flat") or t.i == tok.i]
        if not words or len(" ".join(words)) < 3:
            return None
        # the latest earlier mention whose name starts or ends with these words (an index of name
        # beginnings and endings, not a scan of every earlier mention)
        found = self._name_ends().get(tuple(words), [])
        k = bisect_left(found, tok.idx, key=lambda i: self.mentions[i].start) - 1
        while k >= 0 and self.mentions[found[k]].end > tok.idx:
            k -= 1
        return self.mentions[found[k]] if k >= 0 else None

    def _name_ends(self) -> dict[tuple[str, ...], list[int]]:
        """Positions (in ``self.mentions``) of the mentions by every shorter beginning and ending of their
        lower-cased words: "tomas varga" under ("tomas",) and ("varga",)."""
        if self._ends is None:
            self._ends = {}
            for i, m in enumerate(self.mentions):
                names = m.text.lower().split()
                for n in range(1, len(names)):
                    for part in dict.fromkeys((tuple(names[:n]), tuple(names[-n:]))):
                        self._ends.setdefault(part, []).append(i)
        return self._ends

    def unnamed_speaker(self, tok: Token) -> bool:
        """Whether a speaker no one can be credited for is still someone speaking ("officials said",
        "a witness told", "he said" with no antecedent), so that the article's voice is not another's."""
        words = {tok.lower_, tok.lemma_.lower()}
        c = self.cues
        return bool(words & (c.unnamed_nouns | c.role_nouns | c.report_nouns | c.utterance_nouns
                             | frozenset(c.pronouns) | frozenset(c.anaphora)))

    @staticmethod
    def _nearest_head(found: list[tuple[Mention, Token]], tok: Token) -> Mention:
        """Of the names inside a phrase, the one that is (part of) its head: a compound before the head
        ("Houthi rebels") over a possessive or a modifier ("Yemen's", "Iran-backed")."""
        def rank(item: tuple[Mention, Token]) -> tuple[int, int]:
            _, t = item
            path = []
            cur = t
            while cur.i != tok.i and cur.head.i != cur.i and len(path) < 8:
                path.append(cur.dep_)
                cur = cur.head
            if any(d in ("poss", "amod", "nmod", "npadvmod", "prep", "acl", "relcl") for d in path):
                return (2, abs(tok.i - t.i))  # "Yemen's", "Iran-backed", "of the group"
            if path[-1:] and path[-1] in ("compound", "appos", "flat"):
                return (0, abs(tok.i - t.i))
            return (1, abs(tok.i - t.i))
        return min(found, key=rank)[0]



def phrase_span(tok: Token, sent: Span) -> tuple[int, int]:
    """Character span of a speaker's noun phrase (with its appositions and modifiers)."""
    left, right = tok.left_edge, tok.right_edge
    return max(left.idx, sent.start_char), min(right.idx + len(right), sent.end_char)
