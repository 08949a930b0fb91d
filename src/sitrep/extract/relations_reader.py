"""The document reader shared by the relation frames (and the quantity extractor).

:class:`DocReader` indexes one document's mentions by token and answers the questions every frame
asks: which mention a token is part of, what kind it is, what a pronoun or description ("the
group", "its") refers to, and which mentions a token's phrase lists.  :func:`verb_subject_tokens`
finds a verb's subject through relative clauses, control verbs and conjunctions.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.extract.attribution import REPORTING_VERBS
from sitrep.extract.context import ExtractionContext
from sitrep.extract.relations_render import _CODE, CUES, words
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

_REL_PRONOUNS = words("rel_pronouns")
_PRONOUNS = words("pronouns")
# nouns of a state's forces and its partners: with an adjective of nationality they stand for that state
_FORCE_NOUNS = words("force_nouns")



@dataclass
class _Found:
    subj: Mention
    type: str
    obj: Mention
    cue_tok: Token
    cue: str
    toks: tuple[int, int]  # token span of the evidence
    clausal: bool = True  # False for noun-phrase facts (roles, affiliations) a denial does not target


class _DocReader:
    """State shared by the frames while reading one document."""

    def __init__(self, ctx: ExtractionContext) -> None:
        self.ctx = ctx
        self.doc = ctx.sdoc
        self.text = ctx.text  # Doc.text joins every token: read once per document (ExtractionContext.text)
        self.mentions = sorted(
            (m for m in ctx.mentions if m.label in _CODE and m.end > m.start), key=lambda m: m.start
        )
        self.tok_mention: dict[int, Mention] = {}
        for m in self.mentions:
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self.tok_mention.setdefault(t.i, m)
        self.sents = [s for s in self.doc.sents]
        self._sent_index = {s.start: i for i, s in enumerate(self.sents)}
        self._starts = [m.start for m in self.mentions]
        self._by_key: dict[str, list[int]] = {}  # entity key -> positions of its mentions in self.mentions
        for i, m in enumerate(self.mentions):
            self._by_key.setdefault(m.entity_key, []).append(i)
        self.descriptors = self._learn_descriptors()
        self.main_country_key = self._main_country()

    def _main_country(self) -> str | None:
        """The country the article is about: most often the object of "in/inside/across", then most named."""
        loc: Counter[str] = Counter()
        named: Counter[str] = Counter()
        for m in self.mentions:
            if m.label not in ("country", "state"):
                continue
            named[m.entity_key] += 1
            span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and span.root.dep_ == "pobj" and span.root.head.lower_ in ("in", "inside", "across", "throughout", "within"):
                loc[m.entity_key] += 1
        if not named:
            return None
        return max(named, key=lambda k: (loc[k], named[k]))

    # -- entity access
    def _tokens(self, m: Mention) -> list[Token]:
        """Tokens starting inside a mention (found by char span, not by scanning the document)."""
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        return [t for t in span if m.start <= t.idx < m.end] if span is not None else []

    def _between(self, start: int, end: int) -> list[Mention]:
        """Mentions starting in [start, end), by binary search over the sorted starts."""
        return self.mentions[bisect_left(self._starts, start):bisect_left(self._starts, end)]

    def mentions_of(self, key: str) -> list[Mention]:
        """The mentions of one entity, in text order (from an index, not a scan of every mention)."""
        return [self.mentions[i] for i in self._by_key.get(key, ())]

    def latest_of(self, key: str, below: int) -> Mention | None:
        """The last mention of ``key`` among ``self.mentions[:below]`` (by binary search in its index)."""
        positions = self._by_key.get(key, [])
        j = bisect_left(positions, below) - 1
        return self.mentions[positions[j]] if j >= 0 else None

    def mention_of(self, tok: Token) -> Mention | None:
        return self.tok_mention.get(tok.i)

    def kind(self, m: Mention) -> str:
        ent = self.ctx.entities.get(m.entity_key)
        return ent.kind if ent is not None else m.label

    def _learn_descriptors(self) -> dict[str, str]:
        """Nominal descriptions used for an entity: "the terrorist organization Al Qaeda" -> org noun -> AQ."""
        out: dict[str, str] = {}
        group_nouns = set(CUES["group_nouns"])
        for m in self.mentions:
            if m.label != "armed_group":
                continue
            toks = self._tokens(m)
            if not toks:
                continue
            first, head = toks[0], toks[-1]
            # descriptor noun right before the name ("the terrorist organization Al Qaeda")
            prev = [t for t in self.doc[max(0, first.i - 3) : first.i] if not t.is_punct]
            if prev and prev[-1].lemma_.lower() in group_nouns and prev[-1].i == first.i - 1:
                mods = " ".join(t.lower_ for t in prev)
                out[prev[-1].lemma_.lower()] = m.entity_key
                out[mods] = m.entity_key
            # apposition ("Al Qaeda, the terrorist group") or "X is a ... group"
            for t in head.children:
                if t.dep_ in ("appos", "attr") and t.lemma_.lower() in group_nouns:
                    mods = " ".join(c.lower_ for c in t.lefts if c.dep_ in ("amod", "compound"))
                    out.setdefault(t.lemma_.lower(), m.entity_key)
                    if mods:
                        out[f"{mods} {t.lower_}"] = m.entity_key
        return out

    def antecedent(self, tok: Token, kinds: tuple[str, ...] = ("armed_group",), before: int | None = None, exclude: str | None = None) -> Mention | None:
        """Resolve a pronoun / definite description to the most salient earlier mention."""
        limit = tok.left_edge.idx if before is None else before
        words = [t for t in tok.subtree if t.dep_ not in ("relcl", "prep", "acl", "punct")] or [tok]
        phrase = " ".join(t.lower_ for t in words if t.lower_ not in ("the", "this", "that", "these", "those"))
        lemma = tok.lemma_.lower()
        for key in (phrase, lemma):
            ekey = self.descriptors.get(key)
            if ekey and ekey != exclude:
                latest = self.latest_of(ekey, bisect_left(self._starts, limit))
                if latest is not None:
                    return latest
        if lemma in CUES["place_descriptors"]:
            if self.main_country_key is None:
                return None
            first = self._by_key.get(self.main_country_key)
            return self.mentions[first[0]] if first else None
        sent = tok.sent
        same = [m for m in self._between(sent.start_char, limit) if self.kind(m) in kinds and m.entity_key != exclude]
        if tok.lower_ in ("it", "its", "they", "their"):
            # a possessive pronoun in the same clause refers to its clause subject
            same = [m for m in same if tok.idx - m.end < 200]
        if same:
            return same[-1]
        idx = self._sent_index.get(sent.start, -1)
        for back in range(1, 4):
            if idx - back < 0:
                break
            prev = self.sents[idx - back]
            cands = [m for m in self._between(prev.start_char, prev.end_char) if self.kind(m) in kinds and m.entity_key != exclude]
            if not cands:
                continue
            subj = [m for m in cands if self._is_subject(m)]
            return subj[-1] if subj else cands[-1]
        return None

    def body_named(self, tok: Token, kinds: tuple[str, ...]) -> list[Mention]:
        """The body a bare noun stands for ("army spokesman P" after "the <demonym> army", "Group spokesman P"
        after a group): the latest earlier mention whose name ends in that noun, else, for a noun of
        a group, the salient earlier armed group."""
        word = tok.lower_
        if tok.lemma_.lower() not in CUES["body_nouns"] and word not in CUES["body_nouns"]:
            return []
        for m in reversed(self._between(0, tok.idx)):
            if self.kind(m) in kinds and self.kind(m) != "person" and m.text.lower().split()[-1:] == [word]:
                return [m]
        if tok.lemma_.lower() in CUES["group_nouns"]:
            ante = self.antecedent(tok, ("armed_group",))
            return [ante] if ante is not None else []
        return []

    def _clause_subject_key(self, tok: Token) -> str | None:
        """The entity its clause's subject names, for a description that is a verb's object: "the group" in
        "X accused the group of ..." is not X (an object that meant X would be "itself")."""
        if tok.dep_ != "dobj" or tok.head.pos_ not in ("VERB", "AUX"):
            return None
        for s in _children(tok.head, ("nsubj",)):
            m = self.mention_of(s)
            if m is not None:
                return m.entity_key
        return None

    def _is_subject(self, m: Mention) -> bool:
        for t in self._tokens(m):
            cur = t
            for _ in range(3):
                if cur.dep_ in ("nsubj", "nsubjpass"):
                    return True
                if cur.dep_ not in ("compound", "appos", "conj", "poss") or cur.head.i == cur.i:
                    break
                cur = cur.head
        return False

    def resolve(self, tok: Token, kinds: tuple[str, ...] = ("armed_group",)) -> list[Mention]:
        """Mentions a noun phrase head stands for (with conjuncts and "such as"/"including" lists)."""
        out: list[Mention] = []
        self._resolve_into(tok, kinds, out, depth=0)
        if self.mention_of(tok) is None:
            for t in self._listed(tok):
                self._resolve_into(t, kinds, out, depth=1)
        for c in tok.conjuncts:
            if c.i != tok.i and abs(c.i - tok.i) < 25:
                self._resolve_into(c, kinds, out, depth=1)
        return out

    def _resolve_into(self, tok: Token, kinds: tuple[str, ...], out: list[Mention], depth: int) -> None:
        if depth > 4:
            return
        m = self.mention_of(tok)
        if m is not None:
            if m not in out:
                out.append(m)
            return
        low = tok.lower_
        if low in _REL_PRONOUNS and tok.head.dep_ == "relcl":
            self._resolve_into(tok.head.head, kinds, out, depth + 1)
            return
        lemma = tok.lemma_.lower()
        if lemma in CUES["part_nouns"] and lemma not in CUES["member_nouns"] and any(
                c.dep_ in ("compound", "nmod", "poss") and self.mention_of(c) is not None for c in tok.children):
            return  # "an X affiliate", "fighters of X's branch": a part of X, not X
        if lemma in CUES["group_nouns"] and lemma not in CUES["member_nouns"]:  # "the X group", "the X (Y) group"
            named = [m for c in tok.children if c.dep_ in ("compound", "nmod") and (m := self.mention_of(c)) is not None
                     and self.kind(m) in ("armed_group", "organization")]
            if named:
                if named[0] not in out:
                    out.append(named[0])
                return
        # "officials of X", "Taliban officials", "elements of X"
        if lemma in CUES["member_nouns"] or tok.lower_ in CUES["member_nouns"]:
            for c in tok.children:
                cm = self.mention_of(c)
                if c.dep_ in ("compound", "poss", "nmod", "amod") and cm is not None:
                    if self.kind(cm) == "person" and "person" not in kinds:
                        continue  # "Baloch insurgents": a name word that is also a person's is no owner here
                    self._resolve_into(c, kinds, out, depth + 1)
                    return
                definite = c.lemma_.lower() in CUES["group_nouns"] and any(
                    d.lower_ in CUES["definite_determiners"] for d in c.children)  # "the group's fighters"
                if c.dep_ == "poss" and (c.lower_ in _PRONOUNS or c.lower_ in CUES["first_person"] or definite):  # "its fighters"
                    self._resolve_into(c, kinds, out, depth + 1)
                    return
                if c.dep_ == "prep" and c.lower_ in CUES["member_of_preps"]:  # "fighters of X", "troops from X"
                    for p in c.children:
                        if p.dep_ == "pobj":
                            self._resolve_into(p, kinds, out, depth + 1)
                            return
        for c in tok.children:
            cm = self.mention_of(c)
            if c.dep_ == "appos" and cm is not None and self.kind(cm) in kinds:
                self._resolve_into(c, kinds, out, depth + 1)
                return
        listed = self._listed(tok)
        if listed:
            for t in listed:
                self._resolve_into(t, kinds, out, depth + 1)
            return
        if tok.dep_ == "attr" and lemma in CUES["group_nouns"] and tok.head.lemma_.lower() in CUES["copulas"]:
            for st in _children(tok.head, ("nsubj",)):  # "X is a militant group (which ...)": the group is X
                self._resolve_into(st, kinds, out, depth + 1)
            return
        if tok.dep_ == "appos" and lemma in CUES["group_nouns"]:
            ante = self.antecedent(tok, kinds)
            if ante is not None and ante not in out:
                out.append(ante)
            return
        speaker_group = getattr(self, "speaker_group", None)  # "we", "our": set by the relation extractor
        if speaker_group is not None and low in CUES["first_person"]:
            m = speaker_group(self, tok)
            if m is not None and m not in out:
                out.append(m)
            return
        is_desc = low in _PRONOUNS or (
            lemma in CUES["group_nouns"] + CUES["place_descriptors"]
            and any(c.lower_ in ("the", "this", "that", "its", "their") for c in tok.children)
        )
        if is_desc:
            place = lemma in CUES["place_descriptors"]
            if place:
                want: tuple[str, ...] = ("country", "state")
            elif lemma in CUES["group_nouns"]:
                want = ("armed_group",)
            else:
                want = tuple(k for k in kinds if k in ("armed_group", "organization")) or kinds
            binding = lemma in CUES["group_nouns"] and low not in _PRONOUNS  # a pronoun may be a thing ("shelled it")
            ante = self.antecedent(tok, want, exclude=self._clause_subject_key(tok) if binding else None)
            if ante is not None and ante not in out:
                out.append(ante)
            return
        if ("country" in kinds or "state" in kinds) and lemma in _FORCE_NOUNS:
            nation = self.demonym_country(tok)
            if nation is not None and nation not in out:
                out.append(nation)

    def demonym_country(self, tok: Token) -> Mention | None:
        """The country a force noun's adjective of nationality names ("<demonym> soldiers", "their
        <demonym> allies"), as a mention of that country on the adjective, when the article names it."""
        for c in tok.children:
            if c.dep_ not in ("amod", "compound", "nmod") or not c.text[:1].isupper():
                continue
            rec = self.ctx.gazetteer.country_of_demonym(c.text)
            ent = self.ctx.entities.get(rec.id) if rec is not None else None
            if ent is not None:
                return Mention(self.ctx.document.id, c.idx, c.idx + len(c.text), c.text, ent.kind, ent.key,
                               source_label="demonym")
        return None

    def _listed(self, tok: Token) -> list[Token]:
        """Items of an "X such as A, B and C" / "X, including A" list hanging off tok."""
        items: list[Token] = []
        for c in tok.children:
            if c.dep_ == "prep" and (c.lower_ in ("including", "like") or (c.lower_ == "as" and any(a.lower_ == "such" for a in c.children))):
                for p in c.children:
                    if p.dep_ == "pobj":
                        items.append(p)
                        items.extend(x for x in p.conjuncts if x.i != p.i)
        return items


def _children(tok: Token, deps: tuple[str, ...]) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]



def _verb_subject_tokens(v: Token) -> list[Token]:
    """The subject of a verb, climbing through xcomp/conj/advcl/relcl/acl/pcomp structures."""
    cur = v
    for _ in range(6):
        subj = _children(cur, ("nsubj",))
        if subj:
            return subj
        agent = [p for a in _children(cur, ("agent",)) for p in _children(a, ("pobj",))]
        if agent and cur.i != v.i:
            return agent
        if cur.dep_ == "relcl":
            return [cur.head]
        postnominal = cur.dep_ == "amod" and cur.i > cur.head.i  # "the main group active in P"
        if cur.dep_ == "acl" and any(c.dep_ == "mark" for c in cur.children):
            return _children(cur, ("nsubjpass",))  # "claims that X is allied with Y": a content clause has its own subject
        if (cur.dep_ == "acl" or postnominal) and cur.head.pos_ in ("NOUN", "PROPN"):
            poss = _children(cur.head, ("poss",))
            if not poss and cur.head.dep_ == "attr":  # "X is the threat operating in P"
                poss = _children(cur.head.head, ("nsubj",))
            return poss or [cur.head]
        if cur.dep_ == "pcomp":
            prep = cur.head
            gov = prep.head
            if gov.pos_ in ("VERB", "AUX"):
                dobj = _children(gov, ("dobj",))
                if dobj and prep.lower_ == "of":
                    return dobj  # "accused X of harbouring Y"
                if prep.lower_ == "of" and gov.dep_ == "relcl" and _children(gov, ("nsubj",)):
                    return [gov.head]  # "the villagers it accuses of helping Y": the villagers
                if prep.lower_ == "of" and gov.lemma_.lower() in CUES["accuse_verbs"] and _children(gov, ("nsubjpass",)):
                    return _children(gov, ("nsubjpass",))  # "X was accused of backing Y": X
                cur = gov
                continue
            if gov.pos_ in ("NOUN", "PROPN"):
                if (prep.lower_ == "of" and gov.dep_ == "dobj"
                        and gov.head.lemma_.lower() in CUES["accuse_verbs"]):
                    return [gov]  # "accused [the group of attacking Y]": the accused does it
                cur = gov.head
                continue
            if gov.pos_ == "ADJ" and gov.dep_ == "acomp":  # "X remains committed to eradicating Y"
                cur = gov.head
                continue
            return []
        if cur.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acomp") and cur.head.i != cur.i:
            if cur.dep_ == "ccomp" and cur.head.lemma_.lower() in REPORTING_VERBS:
                return []
            active_conj = cur.dep_ == "conj" and cur.tag_ in ("VBD", "VBZ", "VBP")  # "X were sent and clashed"
            if cur.dep_ == "xcomp" or active_conj:  # raising: "X is estimated/believed to have ..."
                raised = _children(cur.head, ("nsubjpass",))
                if raised and not _children(cur.head, ("nsubj",)):
                    return raised
            cur = cur.head
            continue
        if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.pos_ in ("VERB", "AUX") and cur.i != v.i:
            dobj = _children(cur.head.head, ("dobj",))
            if dobj:
                return dobj  # "accused X of funding and arming Y"
        if cur.dep_ in ("pobj", "dobj", "prep") and cur.head.i != cur.i:
            cur = cur.head
            continue
        return []
    return []


def _prep_objects(v: Token, preps: tuple[str, ...]) -> list[Token]:
    """Objects of the prepositions ``preps`` on ``v``, also where the parser calls the preposition a
    dative ("provided a haven to X")."""
    out: list[Token] = []
    for p in v.children:
        if (p.dep_ == "prep" or (p.dep_ == "dative" and p.pos_ == "ADP")) and p.lower_ in preps:
            out.extend(_children(p, ("pobj",)))
    return out


DocReader = _DocReader
verb_subject_tokens = _verb_subject_tokens

__all__ = ["DocReader", "verb_subject_tokens"]
