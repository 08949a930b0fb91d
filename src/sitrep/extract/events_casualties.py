"""Casualties of one clause: how many were killed and wounded.

Numbers are found by :func:`sitrep.extract.numbers.find_numbers`; a number is a death toll
when a killing phrase of ``event_cues.yaml`` stands right before it ("killing six", "leaving
dozens dead", "the death toll rose to 12") or a few words after it ("three soldiers were
killed"). Two counts joined by "and" around one killing word are added ("four police and two
civilians were killed", "killing four police and two civilians"). Without a figure, one singular victim of a killing verb counts as 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.extract.events_cues import CasualtyCues, load_cues
from sitrep.extract.numbers import NumberSpan, find_numbers, parse_cardinal

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_YEAR = re.compile(r"(?:19|20)\d\d")
_OR_WOUNDED = re.compile(r"\s+or\s+(?=\w)", re.I)
_CONJ_GAP = re.compile(r"\s+[\w-]+(?:\s+[\w-]+){0,2}\s+and\s+", re.I)


@dataclass(slots=True)
class Casualties:
    killed: int | None = None
    killed_min: bool = False
    wounded: int | None = None


def _value(ns: NumberSpan, cc: CasualtyCues) -> tuple[int | None, bool]:
    """The figure of a number phrase and whether it is a lower bound ("at least 6", "dozens")."""
    v = ns.value
    if v.percent or v.total is not None:
        return None, False
    val = v.value
    if val is None or not float(val).is_integer() or val >= cc.max_toll:
        return None, False
    low_bound = v.vague or (v.low is not None and v.high is None) or (v.qualifier or "") == "as many as"
    return int(val), low_bound


def _counts(text: str) -> list[NumberSpan]:
    """Number phrases of a clause that may be counts (not years, not percentages)."""
    return [ns for ns in find_numbers(text) if not _YEAR.fullmatch(ns.text.strip()) and not ns.value.percent]


def _toll(nums: list[NumberSpan], text: str, cc: CasualtyCues, wound: bool) -> tuple[int | None, bool]:
    """The first number that a killing (wounding) phrase makes a toll, tried phrase by phrase."""
    before = cc.wound_before if wound else cc.kill_before
    after = cc.wound_after if wound else cc.kill_after
    tests = (
        lambda ns: bool(before.search(text[: ns.start])) and (wound or not cc.wound_next.match(text[ns.end :])),
        lambda ns: bool(m := after.match(_past_aside(text[ns.end :], cc))) and (
            wound or not _either(_past_aside(text[ns.end :], cc)[m.end() :], cc)),
        lambda ns: not wound and bool(cc.toll_before.search(text[: ns.start])),
    )
    for test in tests:
        for ns in nums:
            if test(ns):
                val, low = _value(ns, cc)
                if val is not None:
                    return val, low
    return None, False


def _past_aside(rest: str, cc: CasualtyCues) -> str:
    """The text after a count with an aside on its noun left out: " people, including 12 children, were
    killed" -> " people were killed"."""
    m = cc.aside.match(rest)
    if m is None:
        return rest
    noun = rest[: m.end()].split(",", 1)[0]
    return noun + rest[m.end() :]


def _either(rest: str, cc: CasualtyCues) -> bool:
    """"20 soldiers were killed or wounded": a figure of both, no death toll."""
    return _OR_WOUNDED.match(rest) is not None and cc.wound_next.match(" " + _OR_WOUNDED.sub("", rest, 1)) is not None


def _conjoined(nums: list[NumberSpan], text: str, cc: CasualtyCues) -> tuple[int | None, bool]:
    """"49 civilians and 15 soldiers were killed" -> 64; "killing four police and two soldiers" -> 6."""
    for a, b in zip(nums, nums[1:], strict=False):
        if not _CONJ_GAP.fullmatch(text[a.end : b.start]):
            continue
        after = cc.kill_after.match(text[b.end :])
        before = cc.kill_before.search(text[: a.start]) and not cc.wound_next.match(text[b.end :])
        if after or before:
            (va, la), (vb, lb) = _value(a, cc), _value(b, cc)
            if va is not None and vb is not None:
                return va + vb, la or lb
    return None, False


def _with_single(nums: list[NumberSpan], text: str, cc: CasualtyCues) -> tuple[int | None, bool]:
    """"a soldier and two civilians were killed" -> 3; "five soldiers and a civilian were killed" -> 6."""
    for ns in nums:
        val, low = _value(ns, cc)
        if val is None:
            continue
        before, after = cc.single_before.search(text[: ns.start]), cc.single_after.match(text[ns.end :])
        if before and cc.kill_after.match(text[ns.end :]):
            return val + 1, low
        if after and cc.kill_after.match(text[ns.end + after.end() - 1 :]):
            return val + 1, low
    return None, False


def casualties(text: str, span: Span | None = None) -> Casualties:
    """Killed and wounded counts stated in a clause ("killing six", "at least one person has died").

    Without a figure, one named or singular victim of a killing verb, or subject of a verb of dying
    ("a soldier died"), counts as 1 (needs the parsed ``span``); a clause that reports only injuries gives ``killed=0``.
    """
    cc = load_cues().casualties
    nums = _counts(text)
    killed, kmin = _conjoined(nums, text, cc)
    if killed is None:
        killed, kmin = _with_single(nums, text, cc)
    if killed is None:
        killed, kmin = _toll(nums, text, cc, wound=False)
    wounded, _ = _toll(nums, text, cc, wound=True)
    if killed is None and span is not None:
        killed = _single_victim(span, cc.kill_lemmas, text, cc)
    if killed is None and span is not None:
        killed = _single_victim(span, cc.death_lemmas, text, cc, ("nsubj",))
    if wounded is None and span is not None:
        wounded = _single_victim(span, cc.wound_lemmas, text, cc)
    if killed is None and wounded is not None and not cc.any_kill.search(text):
        killed = 0
    return Casualties(killed, kmin if killed else False, wounded)


def states_a_toll(text: str) -> bool:
    """Does the clause give a death toll as a figure?"""
    cc = load_cues().casualties
    return _toll(_counts(text), text, cc, wound=False)[0] is not None


def _single_victim(span: Span, lemmas: frozenset[str], text: str, cc: CasualtyCues,
                   victim_deps: tuple[str, ...] = ("dobj", "nsubjpass")) -> int | None:
    """The victims of a killing (wounding) verb or noun counted from the parse: one singular victim is 1,
    "the governor and two others" is 3; None when a victim cannot be counted."""
    for tok in span:
        lemma = tok.lemma_.lower()
        if lemma not in lemmas:
            continue
        if lemma == "shoot" and cc.shoot_needs not in text.lower():
            continue
        victims = [c for c in tok.children if c.dep_ in victim_deps]
        if tok.tag_ in ("VBG", "NN") or tok.dep_ in ("pobj", "dobj", "nsubj"):
            # "the killing of a district official"
            victims += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        for v in victims:
            if not _is_single(v, cc):
                continue
            total = 1
            # "the governor of <province> and two others": the list may hang on a word inside the phrase
            listed = [t for t in [*v.subtree, *tok.children] if t.dep_ == "conj" and t.head.i != v.i
                      and t.pos_ in ("NOUN", "PRON") and any(c.dep_ == "nummod" for c in t.children)]
            for conj in [*v.conjuncts, *listed]:
                n = _count_of(conj, cc)
                if n is None:
                    return 1
                total += n
            return total
    return None


def _count_of(tok: Token, cc: CasualtyCues) -> int | None:
    """How many one conjunct of a victim list names: 1 for a singular noun, its number ("two others")."""
    if _is_single(tok, cc):
        return 1
    for c in tok.children:
        if c.dep_ == "nummod":
            parsed = parse_cardinal(c.text)
            if parsed is not None and not parsed[1] and float(parsed[0]).is_integer() and parsed[0] < cc.max_toll:
                return int(parsed[0])
    return None


def _is_single(tok: Token, cc: CasualtyCues) -> bool:
    if tok.pos_ == "PRON" and tok.lower_ in cc.singular_pronouns:
        return True
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ == "appos" and c.pos_ == "PROPN" and c.tag_ == "NNP" for c in tok.children):
        return True  # "the deputy head of the council, <Name>,"
    if "Plur" in tok.morph.get("Number") or tok.tag_ in ("NNS", "NNPS"):
        return False
    if any(c.dep_ == "nummod" and c.lower_ not in ("one", "1") for c in tok.children):
        return False
    return not any(c.lower_ in cc.plural_words for c in tok.subtree)


__all__ = ["Casualties", "casualties", "states_a_toll"]
