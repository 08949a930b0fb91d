"""The event extractor's knowledge, read once from ``data/event_cues.yaml`` and validated.

Triggers (the act words and their ACLED type), target words, factuality words, place and
casualty phrases all live in the data file; this module only turns them into patterns and
sets. The file is read through :mod:`sitrep.data.loader`: an unknown key or a value of the wrong
shape is an error naming the file, the line and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.data.loader import (
    DataFileError,
    Node,
    Record,
    boolean,
    integer,
    list_of,
    mapping_of,
    nullable,
    one_of,
    read_yaml,
    text,
    word_list,
)

CUES_FILE = "event_cues.yaml"
TRIGGER_CLASSES = frozenset({"fixed", "vac", "attack", "battle", "bare", "toll", "territory", "protest"})


EventCuesError = DataFileError  # the event cue file is malformed: the message names the file, line and key


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: re.Pattern[str]
    type: str
    sub_type: str | None
    cls: str
    priority: int
    plural_ok: bool
    national: bool = False  # named nowhere, the act lies in the article's country (an agreement)


@dataclass(frozen=True, slots=True)
class CasualtyCues:
    kill_before: re.Pattern[str]  # matches the text just before a number: "killing <N>"
    wound_before: re.Pattern[str]
    toll_before: re.Pattern[str]  # "death toll rose to <N>"
    kill_after: re.Pattern[str]  # matches the text just after a number: "<N> soldiers were killed"
    wound_after: re.Pattern[str]
    wound_next: re.Pattern[str]  # "<N> wounded" right after a number: not a death toll
    aside: re.Pattern[str]  # "<N> people, including <M> children, were killed": the aside between count and verb
    single_before: re.Pattern[str]  # "a soldier and <N> ...": one victim listed before a count
    single_after: re.Pattern[str]  # "<N> soldiers and a civilian ...": one victim listed after a count
    any_kill: re.Pattern[str]
    any_wound: re.Pattern[str]
    kill_lemmas: frozenset[str]
    wound_lemmas: frozenset[str]
    death_lemmas: frozenset[str]  # "a soldier died": verbs whose subject is the victim
    shoot_needs: str
    singular_pronouns: frozenset[str]
    plural_words: frozenset[str]
    max_toll: int
    tally_at_least: int


@dataclass(frozen=True, slots=True)
class Cues:
    triggers: tuple[Trigger, ...]
    civilian: re.Pattern[str]
    military: re.Pattern[str]
    protest_violence: re.Pattern[str]
    protest_intervention: re.Pattern[str]
    protest_force: re.Pattern[str]
    aggregate: re.Pattern[str]
    hypothetical_lemmas: frozenset[str]
    hypothetical_nouns: frozenset[str]
    modal_words: frozenset[str]
    negation_words: frozenset[str]
    locative_preps: frozenset[str]
    origin_preps: frozenset[str]
    demonyms: dict[str, tuple[str, str]]
    instruments: dict[str, str]  # noun lemma -> sub-type of "Explosions/Remote violence" ("bomb" -> IED)
    clause_split: re.Pattern[str]
    durative: re.Pattern[str]
    anaphor: re.Pattern[str]
    distinct: re.Pattern[str]  # "another post", "a separate attack": an incident other than the one before
    comparison: re.Pattern[str]  # "one of the deadliest attacks": a class the incident is compared with
    comparison_at: re.Pattern[str]  # the same words anywhere in a clause (where the class is named)
    sequence: re.Pattern[str]  # "after", "before": a date on the far side of one is another happening's
    border_nouns: frozenset[str]  # "near the <nation> border": the place names the border, not the scene
    anaphor_determiners: tuple[str, ...]
    doer_verbs: frozenset[str]
    claim_verbs: frozenset[str]
    report_verbs: frozenset[str]
    crowd: re.Pattern[str]
    hyphen_modifier: re.Pattern[str]
    list_gap: re.Pattern[str]
    territory_gap: re.Pattern[str]
    route_before: re.Pattern[str]
    condition_marks: frozenset[str]
    actor_nouns: frozenset[str]
    unnamed_capital: re.Pattern[str]
    killing_nouns: frozenset[str]
    target_preps: frozenset[str]
    target_verbs: frozenset[str]  # "the blast targeted X": the trigger's verb whose object is the target
    responsibility_nouns: frozenset[str]  # "claimed responsibility for": the claim names the perpetrator
    blame_words: frozenset[str]  # "blamed on X", "attributed to X"
    suspect_words: frozenset[str]  # "suspected X militants": an adjective that still names the doer
    first_person: frozenset[str]  # "we attacked": the doer speaks, its toll is its own claim
    clause_boundary: re.Pattern[str]  # ", where ...": a comma that opens a subordinate clause
    list_conjunction: re.Pattern[str]  # "A, B and C": the word that makes places a list
    fell_to: re.Pattern[str]
    casualties: CasualtyCues
    scene_lookback: int


def word_re(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern that matches whole words only."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I)


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


_PATTERN_KEYS = (
    "clause_split", "durative", "anaphor", "distinct", "comparison", "crowd", "unnamed_capital", "fell_to", "protest_violence",
    "protest_intervention", "protest_force", "civilian", "military", "aggregate",
)
_LIST_KEYS = (
    "anaphor_determiners", "harm_doer_verbs", "hyphen_modifiers", "list_gap_words",
    "territory_gap_words", "route_words", "condition_marks", "actor_nouns",
    "killing_nouns", "hypothetical_lemmas", "hypothetical_nouns", "modal_words",
    "locative_preps", "origin_preps", "target_verbs", "responsibility_nouns", "blame_words", "suspect_words", "first_person",
    "subordinators", "list_conjunctions", "border_nouns", "sequence_words",
)
_CASUALTY_PATTERNS = ("kill_before", "wound_before", "toll_before", "kill_after", "wound_after", "any_kill",
                      "any_wound")
_CASUALTY_LISTS = ("aux", "victim_determiners", "kill_lemmas", "wound_lemmas", "death_lemmas",
                   "singular_pronouns", "plural_words",
                   "aside_words", "single_articles")
# a word between a count and its killing word: not a number, not a conjunction ("12 dead and 30 wounded")
_WORD = r"(?!(?:and|or|but)\b)[^\W\d][\w-]*"


def _pattern(node: Node) -> str:
    """A non-empty regular expression."""
    raw = text(node)
    try:
        re.compile(raw)
    except re.error as exc:
        raise node.fail(f"not a valid pattern ({exc})") from None
    return raw


def _count(node: Node) -> int:
    value = integer(node)
    if value < 0:
        raise node.fail(f"expected a non-negative whole number, got {value}")
    return value


def _trigger_class(node: Node) -> str:
    return one_of(sorted(TRIGGER_CLASSES))(node)


def _demonym(node: Node) -> tuple[str, str]:
    pair = word_list(node)
    if len(pair) != 2:
        raise node.fail("expected [ISO2, country name]")
    return pair[0], pair[1]


_TRIGGER = Record(required={"pattern": _pattern, "type": text},
                  optional={"sub_type": nullable(text), "class": _trigger_class, "priority": integer,
                            "plural_ok": boolean, "national": boolean})
_CASUALTIES = Record(required={
    **{k: _pattern for k in _CASUALTY_PATTERNS}, **{k: word_list for k in _CASUALTY_LISTS},
    "shoot_needs": text, "max_toll": _count, "tally_at_least": _count,
})


def _nonempty(check: Any) -> Any:
    def inner(node: Node) -> Any:
        value = check(node)
        if not value:
            raise node.fail("expected a non-empty list")
        return value

    return inner


_FILE = Record(required={
    **{k: _pattern for k in _PATTERN_KEYS}, **{k: word_list for k in _LIST_KEYS},
    "triggers": _nonempty(list_of(_TRIGGER)), "casualties": _CASUALTIES,
    "demonyms": mapping_of(_demonym), "scene_lookback": _count, "instruments": mapping_of(word_list),
})


def _trigger(raw: dict[str, Any]) -> Trigger:
    return Trigger(word_re(raw["pattern"]), raw["type"], raw.get("sub_type"), raw.get("class", "fixed"),
                   int(raw.get("priority", 1)), bool(raw.get("plural_ok", False)), bool(raw.get("national", False)))


def _casualty_cues(raw: dict[str, Any]) -> CasualtyCues:
    p = {k: raw[k] for k in _CASUALTY_PATTERNS}
    aux = rf"(?:(?:{_alt(raw['aux'])})\s+)*"
    dets = rf"(?:(?:{_alt(raw['victim_determiners'])})\s+)?"
    return CasualtyCues(
        kill_before=re.compile(rf"\b(?:{p['kill_before']})\s+{dets}$", re.I),
        wound_before=re.compile(rf"\b(?:{p['wound_before']})\s+$", re.I),
        toll_before=re.compile(rf"\b(?:{p['toll_before']})\s+(?:[\w'’-]+\s+){{0,8}}?$", re.I),
        kill_after=re.compile(rf"^(?:\s+of)?\s+(?:{_WORD}\s+){{0,3}}?{aux}(?:{p['kill_after']})\b", re.I),
        wound_after=re.compile(rf"^(?:\s+of)?\s+(?:{_WORD}\s+){{0,3}}?{aux}(?:{p['wound_after']})\b", re.I),
        wound_next=re.compile(rf"^\s+(?:{_WORD}\s+)?(?:{p['wound_after']})\b", re.I),
        single_before=re.compile(rf"(?<![\w-])(?:{_alt(raw['single_articles'])})\s+{_WORD}\s+and\s+$", re.I),
        single_after=re.compile(rf"^\s+{_WORD}\s+and\s+(?:{_alt(raw['single_articles'])})\s+{_WORD}\s", re.I),
        aside=re.compile(rf"^\s+(?:{_WORD}\s+){{0,2}}?{_WORD},\s+(?:{_alt(raw['aside_words'])})\b[^,;.]*,", re.I),
        any_kill=word_re(p["any_kill"]),
        any_wound=word_re(p["any_wound"]),
        kill_lemmas=frozenset(raw["kill_lemmas"]),
        wound_lemmas=frozenset(raw["wound_lemmas"]),
        death_lemmas=frozenset(raw["death_lemmas"]),
        shoot_needs=raw["shoot_needs"],
        singular_pronouns=frozenset(raw["singular_pronouns"]),
        plural_words=frozenset(raw["plural_words"]),
        max_toll=raw["max_toll"],
        tally_at_least=raw["tally_at_least"],
    )


def parse_cues(root: Node) -> Cues:
    """Validate the cue file (as read by :func:`sitrep.data.loader.read_yaml`) and build the patterns.

    A problem is a :class:`~sitrep.data.loader.DataFileError` naming the file, the line and the key.
    """
    from sitrep.data.language import language

    raw = _FILE(root)
    lang = language()  # the shared words: negation, doer, claiming and reporting verbs, target prepositions
    p = {k: raw[k] for k in _PATTERN_KEYS}
    w = {k: raw[k] for k in _LIST_KEYS}
    demonyms = {str(adj).lower(): val for adj, val in raw["demonyms"].items()}
    return Cues(
        triggers=tuple(_trigger(t) for t in raw["triggers"]),
        civilian=word_re(p["civilian"]),
        military=word_re(p["military"]),
        protest_violence=word_re(p["protest_violence"]),
        protest_intervention=word_re(p["protest_intervention"]),
        protest_force=word_re(p["protest_force"]),
        aggregate=word_re(p["aggregate"]),
        hypothetical_lemmas=frozenset(w["hypothetical_lemmas"]),
        hypothetical_nouns=frozenset(w["hypothetical_nouns"]),
        modal_words=frozenset(w["modal_words"]),
        negation_words=lang.negation_words,
        locative_preps=frozenset(w["locative_preps"]),
        origin_preps=frozenset(w["origin_preps"]),
        demonyms=demonyms,
        instruments={str(w).lower(): str(sub) for sub, words in raw["instruments"].items() for w in words},
        clause_split=re.compile(p["clause_split"], re.I),
        durative=re.compile(rf"\b(?:{p['durative']})\b", re.I),
        anaphor=re.compile(rf"\b(?:{p['anaphor']})\b", re.I),
        distinct=re.compile(rf"\b(?:{p['distinct']})\s+(?=[a-z])", re.I),
        comparison=re.compile(rf"\b(?:{p['comparison']})\s+(?:[\w-]+\s+){{0,3}}$", re.I),
        comparison_at=re.compile(rf"\b(?:{p['comparison']})\s", re.I),
        sequence=word_re(_alt(w["sequence_words"])),
        border_nouns=frozenset(w["border_nouns"]),
        anaphor_determiners=w["anaphor_determiners"],
        doer_verbs=lang.doer_verbs | frozenset(w["harm_doer_verbs"]),
        claim_verbs=lang.claiming_verbs,
        report_verbs=lang.reporting_verbs,
        crowd=re.compile(rf"\b(?:{p['crowd']})\b", re.I),
        hyphen_modifier=re.compile(rf"[-\u2010\u2011](?:{_alt(w['hyphen_modifiers'])})\b", re.I),
        list_gap=re.compile(rf"[\s,]*(?:(?:{_alt(w['list_gap_words'])})[\s,]+)*"),
        territory_gap=re.compile(rf"\s*(?:(?:{_alt(w['territory_gap_words'])})\s+)*$", re.I),
        route_before=re.compile(rf"\b(?:{_alt(w['route_words'])})\s+(?:the\s+)?(?:\w+\s+){{0,3}}$", re.I),
        condition_marks=frozenset(w["condition_marks"]),
        actor_nouns=frozenset(w["actor_nouns"]),
        unnamed_capital=re.compile(p["unnamed_capital"]),
        killing_nouns=frozenset(w["killing_nouns"]),
        target_preps=lang.target_preps,
        target_verbs=frozenset(w["target_verbs"]),
        responsibility_nouns=frozenset(w["responsibility_nouns"]),
        blame_words=frozenset(w["blame_words"]),
        suspect_words=frozenset(w["suspect_words"]),
        first_person=frozenset(w["first_person"]),
        list_conjunction=word_re(_alt(w["list_conjunctions"])),
        clause_boundary=re.compile(rf",\s*(?=(?:{_alt(w['subordinators'])})\b)", re.I),
        fell_to=re.compile(rf"\b(?:{p['fell_to']})\b", re.I),
        casualties=_casualty_cues(raw["casualties"]),
        scene_lookback=raw["scene_lookback"],
    )


def load_cues_from(directory: Path | str | None = None) -> Cues:
    """Read and validate ``event_cues.yaml`` from ``directory`` (default: the package's data)."""
    return parse_cues(read_yaml(CUES_FILE, Path(directory) if directory is not None else None))


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read ``sitrep/data/event_cues.yaml`` once."""
    return load_cues_from()


__all__ = ["CasualtyCues", "Cues", "EventCuesError", "Trigger", "load_cues", "load_cues_from", "parse_cues", "word_re"]
