"""The event extractor's knowledge, read once from ``data/event_cues.yaml`` and validated.

Triggers (the act words and their ACLED type), target words, factuality words, place and
casualty phrases all live in the data file; this module only turns them into patterns and
sets. An unknown key or a value of the wrong shape is an error naming the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

CUES_FILE = "event_cues.yaml"
TRIGGER_CLASSES = frozenset({"fixed", "vac", "attack", "battle", "bare", "territory", "protest"})


class EventCuesError(ValueError):
    """The event cue file is malformed: the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: re.Pattern[str]
    type: str
    sub_type: str | None
    cls: str
    priority: int
    plural_ok: bool


@dataclass(frozen=True, slots=True)
class CasualtyCues:
    kill_before: re.Pattern[str]  # matches the text just before a number: "killing <N>"
    wound_before: re.Pattern[str]
    toll_before: re.Pattern[str]  # "death toll rose to <N>"
    kill_after: re.Pattern[str]  # matches the text just after a number: "<N> soldiers were killed"
    wound_after: re.Pattern[str]
    wound_next: re.Pattern[str]  # "<N> wounded" right after a number: not a death toll
    any_kill: re.Pattern[str]
    any_wound: re.Pattern[str]
    kill_lemmas: frozenset[str]
    wound_lemmas: frozenset[str]
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
    clause_split: re.Pattern[str]
    durative: re.Pattern[str]
    anaphor: re.Pattern[str]
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
    fell_to: re.Pattern[str]
    casualties: CasualtyCues
    scene_lookback: int


def word_re(pattern: str) -> re.Pattern[str]:
    """A case-insensitive pattern that matches whole words only."""
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I)


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


_PATTERN_KEYS = frozenset({
    "clause_split", "durative", "anaphor", "crowd", "unnamed_capital", "fell_to", "protest_violence",
    "protest_intervention", "protest_force", "civilian", "military", "aggregate",
})
_LIST_KEYS = frozenset({
    "anaphor_determiners", "doer_verbs", "claim_verbs", "report_verbs", "hyphen_modifiers", "list_gap_words",
    "territory_gap_words", "route_words", "condition_marks", "actor_nouns",
    "killing_nouns", "target_preps", "hypothetical_lemmas", "hypothetical_nouns", "modal_words", "negation_words",
    "locative_preps", "origin_preps",
})
_TOP_KEYS = _PATTERN_KEYS | _LIST_KEYS | {"triggers", "casualties", "demonyms", "scene_lookback"}
_TRIGGER_KEYS = frozenset({"pattern", "type", "sub_type", "class", "priority", "plural_ok"})
_CASUALTY_PATTERNS = frozenset({"kill_before", "wound_before", "toll_before", "kill_after", "wound_after", "any_kill",
                                "any_wound"})
_CASUALTY_LISTS = frozenset({"aux", "victim_determiners", "kill_lemmas", "wound_lemmas", "singular_pronouns", "plural_words"})
_CASUALTY_KEYS = _CASUALTY_PATTERNS | _CASUALTY_LISTS | {"shoot_needs", "max_toll", "tally_at_least"}


def _check_keys(where: str, raw: dict[str, Any], allowed: frozenset[str], filename: str) -> None:
    for key in raw:
        if key not in allowed:
            raise EventCuesError(f"{filename}: unknown key {key!r} in {where}")
    for key in allowed - set(raw):
        raise EventCuesError(f"{filename}: missing key {key!r} in {where}")


def _pattern(raw: Any, key: str, filename: str) -> str:
    if not isinstance(raw, str) or not raw:
        raise EventCuesError(f"{filename}: key {key!r} must be a non-empty pattern string")
    try:
        re.compile(raw)
    except re.error as exc:
        raise EventCuesError(f"{filename}: key {key!r} is not a valid pattern ({exc})") from None
    return raw


def _words(raw: Any, key: str, filename: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(w, str | int) and not isinstance(w, bool) for w in raw):
        raise EventCuesError(f"{filename}: key {key!r} must be a list of words")
    return tuple(str(w) for w in raw)


def _int(raw: Any, key: str, filename: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise EventCuesError(f"{filename}: key {key!r} must be a non-negative whole number")
    return raw


def _trigger(raw: Any, i: int, filename: str) -> Trigger:
    where = f"triggers[{i}]"
    if not isinstance(raw, dict):
        raise EventCuesError(f"{filename}: {where} must be a mapping")
    for key in raw:
        if key not in _TRIGGER_KEYS:
            raise EventCuesError(f"{filename}: unknown key {key!r} in {where}")
    if "pattern" not in raw or "type" not in raw:
        raise EventCuesError(f"{filename}: {where} needs 'pattern' and 'type'")
    cls = raw.get("class", "fixed")
    if cls not in TRIGGER_CLASSES:
        raise EventCuesError(f"{filename}: {where}: unknown class {cls!r}")
    return Trigger(
        word_re(_pattern(raw["pattern"], f"{where}.pattern", filename)), str(raw["type"]), raw.get("sub_type"), cls,
        int(raw.get("priority", 1)), bool(raw.get("plural_ok", False)),
    )


def _casualty_cues(raw: Any, filename: str) -> CasualtyCues:
    if not isinstance(raw, dict):
        raise EventCuesError(f"{filename}: key 'casualties' must be a mapping")
    _check_keys("casualties", raw, _CASUALTY_KEYS, filename)
    p = {k: _pattern(raw[k], f"casualties.{k}", filename) for k in _CASUALTY_PATTERNS}
    aux = rf"(?:(?:{_alt(_words(raw['aux'], 'casualties.aux', filename))})\s+)*"
    dets = rf"(?:(?:{_alt(_words(raw['victim_determiners'], 'casualties.victim_determiners', filename))})\s+)?"
    return CasualtyCues(
        kill_before=re.compile(rf"\b(?:{p['kill_before']})\s+{dets}$", re.I),
        wound_before=re.compile(rf"\b(?:{p['wound_before']})\s+$", re.I),
        toll_before=re.compile(rf"\b(?:{p['toll_before']})\s+(?:[\w'’-]+\s+){{0,8}}?$", re.I),
        kill_after=re.compile(rf"^(?:\s+of)?\s+(?:[\w-]+\s+){{0,3}}?{aux}(?:{p['kill_after']})\b", re.I),
        wound_after=re.compile(rf"^(?:\s+of)?\s+(?:[\w-]+\s+){{0,3}}?{aux}(?:{p['wound_after']})\b", re.I),
        wound_next=re.compile(rf"^\s+(?:\w+\s+)?(?:{p['wound_after']})\b", re.I),
        any_kill=word_re(p["any_kill"]),
        any_wound=word_re(p["any_wound"]),
        kill_lemmas=frozenset(_words(raw["kill_lemmas"], "casualties.kill_lemmas", filename)),
        wound_lemmas=frozenset(_words(raw["wound_lemmas"], "casualties.wound_lemmas", filename)),
        shoot_needs=str(raw["shoot_needs"]),
        singular_pronouns=frozenset(_words(raw["singular_pronouns"], "casualties.singular_pronouns", filename)),
        plural_words=frozenset(_words(raw["plural_words"], "casualties.plural_words", filename)),
        max_toll=_int(raw["max_toll"], "casualties.max_toll", filename),
        tally_at_least=_int(raw["tally_at_least"], "casualties.tally_at_least", filename),
    )


def parse_cues(raw: Any, filename: str = CUES_FILE) -> Cues:
    """Validate the parsed YAML of the cue file and build the patterns."""
    if not isinstance(raw, dict):
        raise EventCuesError(f"{filename}: expected a mapping at the top level")
    _check_keys("the top level", raw, _TOP_KEYS, filename)
    if not isinstance(raw["triggers"], list) or not raw["triggers"]:
        raise EventCuesError(f"{filename}: key 'triggers' must be a non-empty list")
    if not isinstance(raw["demonyms"], dict):
        raise EventCuesError(f"{filename}: key 'demonyms' must map adjectives to [ISO2, name]")
    demonyms: dict[str, tuple[str, str]] = {}
    for adj, val in raw["demonyms"].items():
        if not (isinstance(val, list) and len(val) == 2 and all(isinstance(v, str) for v in val)):
            raise EventCuesError(f"{filename}: demonyms.{adj} must be [ISO2, country name]")
        demonyms[str(adj).lower()] = (val[0], val[1])
    p = {k: _pattern(raw[k], k, filename) for k in _PATTERN_KEYS}
    w = {k: _words(raw[k], k, filename) for k in _LIST_KEYS}
    return Cues(
        triggers=tuple(_trigger(t, i, filename) for i, t in enumerate(raw["triggers"])),
        civilian=word_re(p["civilian"]),
        military=word_re(p["military"]),
        protest_violence=word_re(p["protest_violence"]),
        protest_intervention=word_re(p["protest_intervention"]),
        protest_force=word_re(p["protest_force"]),
        aggregate=word_re(p["aggregate"]),
        hypothetical_lemmas=frozenset(w["hypothetical_lemmas"]),
        hypothetical_nouns=frozenset(w["hypothetical_nouns"]),
        modal_words=frozenset(w["modal_words"]),
        negation_words=frozenset(w["negation_words"]),
        locative_preps=frozenset(w["locative_preps"]),
        origin_preps=frozenset(w["origin_preps"]),
        demonyms=demonyms,
        clause_split=re.compile(p["clause_split"], re.I),
        durative=re.compile(rf"\b(?:{p['durative']})\b", re.I),
        anaphor=re.compile(rf"\b(?:{p['anaphor']})\b", re.I),
        anaphor_determiners=w["anaphor_determiners"],
        doer_verbs=frozenset(w["doer_verbs"]),
        claim_verbs=frozenset(w["claim_verbs"]),
        report_verbs=frozenset(w["report_verbs"]),
        crowd=re.compile(rf"\b(?:{p['crowd']})\b", re.I),
        hyphen_modifier=re.compile(rf"[-\u2010\u2011](?:{_alt(w['hyphen_modifiers'])})\b", re.I),
        list_gap=re.compile(rf"[\s,]*(?:(?:{_alt(w['list_gap_words'])})[\s,]+)*"),
        territory_gap=re.compile(rf"\s*(?:(?:{_alt(w['territory_gap_words'])})\s+)*$", re.I),
        route_before=re.compile(rf"\b(?:{_alt(w['route_words'])})\s+(?:the\s+)?(?:\w+\s+){{0,3}}$", re.I),
        condition_marks=frozenset(w["condition_marks"]),
        actor_nouns=frozenset(w["actor_nouns"]),
        unnamed_capital=re.compile(p["unnamed_capital"]),
        killing_nouns=frozenset(w["killing_nouns"]),
        target_preps=frozenset(w["target_preps"]),
        fell_to=re.compile(rf"\b(?:{p['fell_to']})\b", re.I),
        casualties=_casualty_cues(raw["casualties"], filename),
        scene_lookback=_int(raw["scene_lookback"], "scene_lookback", filename),
    )


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read ``sitrep/data/event_cues.yaml`` once."""
    text = resources.files("sitrep.data").joinpath(CUES_FILE).read_text("utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise EventCuesError(f"{CUES_FILE}: not valid YAML ({exc})") from None
    return parse_cues(raw)


__all__ = ["CasualtyCues", "Cues", "EventCuesError", "Trigger", "load_cues", "parse_cues", "word_re"]
