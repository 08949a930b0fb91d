"""Sentence rendering and the surface-frame pattern language of the relation extractor.

A sentence is rendered as its lemmas with every entity mention a slot (``@A3`` armed group, ``@O``
organisation, ``@C`` country/state, ``@L`` other place, ``@P`` person).  A surface frame's pattern
(``relations.yaml``, section ``frames``) is compiled here: ``<name:KIND>`` slots (A armed group, B armed group or
organisation, G any actor but a person, P person, L place, X any actor), ``<M>`` modifiers,
``<D>`` determiners, ``<ROLE>`` / ``<DEPT>`` role phrases and ``{cue}`` word lists.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.extract.relations_lexicon import FrameSpec, lexicon
from sitrep.models import Mention

if TYPE_CHECKING:
    from spacy.tokens import Span

CUES = lexicon().cues


def words(name: str) -> frozenset[str]:
    """A cue list of relations.yaml as a set."""
    return frozenset(CUES[name])


#: one-letter slot code of each entity kind
_CODE = {
    "armed_group": "A", "organization": "O", "state": "C", "country": "C", "person": "P",
    "province": "L", "city": "L", "district": "L", "region": "L",
}
_QUOTES = words("quotes")


def _alt(words: tuple[str, ...] | list[str]) -> str:
    """Regex alternation of (multi-word) cue entries, longest first, with plural -s tolerated."""
    return "(?:" + "|".join(re.escape(w) + "s?" for w in sorted(set(words), key=len, reverse=True)) + ")"


# --- sentence rendering --------------------------------------------------------


@dataclass
class _Unit:
    word: str
    tok_start: int  # token index (doc level)
    tok_end: int  # exclusive
    mention: Mention | None = None


@dataclass
class _Rendered:
    sent: Span
    units: list[_Unit]
    text: str
    starts: list[int]
    slots: dict[str, Mention] = field(default_factory=dict)

    def unit_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


def _render(sent: Span, tok_mention: dict[int, Mention]) -> _Rendered:
    """Render a sentence as lemmas with mention slots (``@A0``...)."""
    units: list[_Unit] = []
    slots: dict[str, Mention] = {}
    seen: dict[int, str] = {}
    i = sent.start
    while i < sent.end:
        tok = sent.doc[i]
        m = tok_mention.get(i)
        if m is not None:
            j = i
            while j < sent.end and tok_mention.get(j) is m:
                j += 1
            slot = seen.get(id(m))
            if slot is None:
                slot = f"@{_CODE.get(m.label, 'O')}{len(slots)}"
                seen[id(m)] = slot
                slots[slot] = m
            units.append(_Unit(slot, i, j, m))
            i = j
            continue
        if tok.is_space or tok.text in _QUOTES:
            i += 1
            continue
        word = tok.lemma_.lower() if tok.lemma_ and tok.lemma_ != "-PRON-" else tok.lower_
        if tok.lower_ in ("'s", "’s", "'", "’"):
            word = "'s"
        word = word.replace(" ", "_") or tok.lower_
        units.append(_Unit(word, i, i + 1))
        i += 1
    starts, pos, parts = [], 0, []
    for u in units:
        starts.append(pos)
        parts.append(u.word)
        pos += len(u.word) + 1
    return _Rendered(sent, units, " ".join(parts), starts, slots)


# --- the pattern language ------------------------------------------------------------


_MACROS = {
    "A": r"@A\d+",
    "G": r"@[AOC]\d+",
    "B": r"@[AO]\d+",  # a body groups belong to: an armed group or an organisation
    "P": r"@P\d+",
    "L": r"@[CL]\d+",
    "X": r"@[AOCP]\d+",
}
_DESC = (
    r"(?:the |this |that )(?:[a-z-]+ ){0,2}?" + _alt(CUES["group_nouns"]) + r"|its|their|it|they|them"
)
_STOP = "(?:" + "|".join(re.escape(w) for w in CUES["modifier_stops"]) + ")"
_MODS = r"(?:(?!" + _STOP + r" )[^\s,@()]+ ){0,3}?"
_DET = r"(?:the |a |an )?(?:@[CL]\d+ 's )?"


def _pat(template: str) -> re.Pattern[str]:
    """Expand ``<name:KIND>`` slots, ``<M>`` modifiers and ``<D>`` determiners into a regex."""

    def slot(m: re.Match[str]) -> str:
        name, kind = m.group(1), m.group(2)
        if kind == "desc":
            return f"(?P<{name}>{_DESC})"
        if kind == "body":  # a bare noun for a body named before ("army spokesman P", "Group spokesman P")
            return f"(?P<{name}>{_alt(CUES['body_nouns'])})"
        if kind.endswith("|desc"):
            return f"(?P<{name}>{_MACROS[kind[:-5]]}|{_DESC})"
        return f"(?P<{name}>{_MACROS[kind]})"

    out = re.sub(r"<(\w+):([A-Z](?:\|desc)?|desc|body)>", slot, template)
    out = out.replace("<M>", _MODS).replace("<D>", _DET).replace("<ROLE>", _ROLE).replace("<DEPT>", _DEPT)
    for key, words in CUES.items():
        out = out.replace("{" + key + "}", _alt(words))
    return re.compile(r"(?<![\w@])" + out + r"(?![\w])")



@dataclass(frozen=True)
class _Frame:
    type: str
    pattern: re.Pattern[str]
    subj: str = "s"
    obj: str = "o"
    obj_list: bool = False
    subj_list: bool = False
    member_if_dept: bool = False  # a lead role with "of <department>" makes a member
    singular_role: bool = False  # a plural role noun is no title ("officials believe P")
    object_may_modify: bool = False  # "<role> at G's ...", "<role> of the G programme": G only modifies
    doc_state: bool = False  # with no state in the sentence, the one the document is about ("government spokesman P")
    clause: bool = False  # a copular frame ("P is a member of X"): negation and denial over the clause apply
    name: str = ""


_ROLE = "(?P<role>" + _alt(CUES["lead_roles"] + CUES["member_roles"]) + ")"
_DEPT = r"(?P<dept>of (?!the @|@|a @|an @)[^@,]+? )?"


def _compile(spec: FrameSpec) -> _Frame:
    try:
        pattern = _pat(spec.pattern)
    except re.error as exc:
        raise ValueError(f"{lexicon().source}:{spec.line}: frames.{spec.name}: bad pattern ({exc})") from None
    return _Frame(spec.type, pattern, subj=spec.subj, obj=spec.obj, obj_list=spec.obj_list, subj_list=spec.subj_list,
                  member_if_dept=spec.member_if_dept, name=spec.name, singular_role=spec.singular_role,
                  object_may_modify=spec.object_may_modify, doc_state=spec.doc_state,
                  clause=spec.clause)


FRAMES: list[_Frame] = [_compile(spec) for spec in lexicon().frames]
