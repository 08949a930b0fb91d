"""The quantity extractor's word classes, read once from ``data/quantity_cues.yaml`` and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

CUES_FILE = "quantity_cues.yaml"


class QuantityCuesError(ValueError):
    """The quantity cue file is malformed: the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class QuantityCues:
    people_nouns: frozenset[str]
    group_nouns: frozenset[str]
    place_nouns: frozenset[str]
    event_nouns: frozenset[str]
    target_nouns: frozenset[str]
    weapon_nouns: frozenset[str]
    unit_nouns: frozenset[str]
    force_nouns: frozenset[str]
    name_words_skip: frozenset[str]
    label_skip: frozenset[str]
    hold_verbs: frozenset[str]
    doer_verbs: frozenset[str]
    say_verbs: frozenset[str]
    number_nouns: frozenset[str]
    number_verbs: frozenset[str]
    estimate_verbs: frozenset[str]
    casualty_kinds: MappingProxyType[str, str]  # lemma -> killed | wounded | captured | seized
    victim_people_nouns: frozenset[str]
    force_name_words: MappingProxyType[str, tuple[str, ...]]
    claim_verbs: frozenset[str]
    skip_after: re.Pattern[str]
    skip_before_marks: tuple[str, ...]
    back_reference_determiners: frozenset[str]
    magnitude_words: frozenset[str]
    min_strength: int
    min_event_tally: int
    max_value: int

    @property
    def count_nouns(self) -> frozenset[str]:
        return (self.people_nouns | self.group_nouns | self.place_nouns | self.event_nouns | self.target_nouns
                | self.weapon_nouns | self.unit_nouns)


_WORD_KEYS = frozenset({
    "people_nouns", "group_nouns", "place_nouns", "event_nouns", "target_nouns", "weapon_nouns", "unit_nouns",
    "force_nouns", "name_words_skip", "label_skip", "hold_verbs", "doer_verbs", "say_verbs", "number_nouns",
    "number_verbs", "estimate_verbs", "victim_people_nouns", "claim_verbs", "back_reference_determiners", "magnitude_words",
})
_KEYS = _WORD_KEYS | {"casualty_kinds", "force_name_words", "skip_after", "skip_before_marks", "min_strength", "max_value",
                       "min_event_tally"}


def _words(raw: Any, key: str, filename: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(w, str) and w for w in raw):
        raise QuantityCuesError(f"{filename}: key {key!r} must be a list of words")
    return tuple(raw)


def _int(raw: Any, key: str, filename: str) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise QuantityCuesError(f"{filename}: key {key!r} must be a non-negative whole number")
    return raw


def _mapping(raw: Any, key: str, filename: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise QuantityCuesError(f"{filename}: key {key!r} must map names to lists of words")
    return {str(k): _words(v, f"{key}.{k}", filename) for k, v in raw.items()}


def parse_quantity_cues(raw: Any, filename: str = CUES_FILE) -> QuantityCues:
    """Validate the parsed YAML of the cue file."""
    if not isinstance(raw, dict):
        raise QuantityCuesError(f"{filename}: expected a mapping at the top level")
    for key in raw:
        if key not in _KEYS:
            raise QuantityCuesError(f"{filename}: unknown key {key!r}")
    for key in sorted(_KEYS - set(raw)):
        raise QuantityCuesError(f"{filename}: missing key {key!r}")
    words = {k: frozenset(_words(raw[k], k, filename)) for k in _WORD_KEYS}
    kinds: dict[str, str] = {}
    for kind, lemmas in _mapping(raw["casualty_kinds"], "casualty_kinds", filename).items():
        for lemma in lemmas:
            kinds.setdefault(lemma, kind)
    pattern = raw["skip_after"]
    if not isinstance(pattern, str):
        raise QuantityCuesError(f"{filename}: key 'skip_after' must be a pattern string")
    try:
        skip_after = re.compile(rf"^\s*{pattern}", re.I)
    except re.error as exc:
        raise QuantityCuesError(f"{filename}: key 'skip_after' is not a valid pattern ({exc})") from None
    return QuantityCues(
        **words,
        casualty_kinds=MappingProxyType(kinds),
        force_name_words=MappingProxyType(_mapping(raw["force_name_words"], "force_name_words", filename)),
        skip_after=skip_after,
        skip_before_marks=_words(raw["skip_before_marks"], "skip_before_marks", filename),
        min_strength=_int(raw["min_strength"], "min_strength", filename),
        min_event_tally=_int(raw["min_event_tally"], "min_event_tally", filename),
        max_value=_int(raw["max_value"], "max_value", filename),
    )


@lru_cache(maxsize=1)
def load_quantity_cues() -> QuantityCues:
    """Read ``sitrep/data/quantity_cues.yaml`` once."""
    text = resources.files("sitrep.data").joinpath(CUES_FILE).read_text("utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise QuantityCuesError(f"{CUES_FILE}: not valid YAML ({exc})") from None
    return parse_quantity_cues(raw)


__all__ = ["QuantityCues", "QuantityCuesError", "load_quantity_cues", "parse_quantity_cues"]
