"""The quantity extractor's word classes: ``data/quantity_cues.yaml`` read once through
:mod:`sitrep.data.loader` (unknown, missing or duplicate keys and values of the wrong shape stop
loading with one line naming the file, the key and the line), plus the shared words of
``data/language.yaml`` (speech verbs, number scales) that every extractor reads from there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from sitrep.data.loader import DataFileError, Node, Record, integer, mapping_of, read_yaml, text, word_list

CUES_FILE = "quantity_cues.yaml"
CASUALTY_KINDS = ("killed", "wounded", "captured", "seized")

QuantityCuesError = DataFileError  # the one error of every data file (kept under its old name)


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
    strength_nouns: frozenset[str]
    strength_adjectives: frozenset[str]
    strength_label: str
    name_words_skip: frozenset[str]
    label_skip: frozenset[str]
    hold_verbs: frozenset[str]
    doer_verbs: frozenset[str]
    say_verbs: frozenset[str]  # language.yaml's speech verbs
    number_nouns: frozenset[str]
    number_verbs: frozenset[str]
    estimate_verbs: frozenset[str]
    casualty_kinds: MappingProxyType[str, str]  # lemma -> killed | wounded | captured | seized
    state_words: frozenset[str]  # casualty words that name a state, not an act ("prisoner", "dead")
    victim_people_nouns: frozenset[str]
    force_name_words: MappingProxyType[str, tuple[str, ...]]
    claim_verbs: frozenset[str]
    subset_words: frozenset[str]
    partial_words: frozenset[str]
    speaker_pronouns: frozenset[str]
    presence_verbs: frozenset[str]
    presence_adjectives: frozenset[str]  # "X is active in five provinces": being there is holding them
    loss_verbs: frozenset[str]  # "X lost 200 fighters": the subject's own men
    period_preps: frozenset[str]  # "since 2020", "over the past year": a total over a period
    period_nouns: frozenset[str]
    yield_verbs: frozenset[str]
    having_preps: frozenset[str]
    owner_preps: frozenset[str]
    member_nouns: frozenset[str]
    membership_verbs: frozenset[str]
    place_preps: frozenset[str]
    incident_preps: frozenset[str]
    definite_determiners: frozenset[str]
    skip_after: re.Pattern[str]
    skip_before_marks: tuple[str, ...]
    back_reference_determiners: frozenset[str]
    magnitude_words: frozenset[str]  # language.yaml's number scales ("hundred", "thousand")
    number_word_tokens: frozenset[str]  # language.yaml's number words and phrases, one token each
    min_strength: int
    min_event_tally: int
    max_value: int

    @property
    def count_nouns(self) -> frozenset[str]:
        return (self.people_nouns | self.group_nouns | self.place_nouns | self.event_nouns | self.target_nouns
                | self.weapon_nouns | self.unit_nouns | self.strength_nouns)


def _lower(node: Node) -> frozenset[str]:
    return frozenset(w.lower() for w in word_list(node))


def _pattern(node: Node) -> re.Pattern[str]:
    raw = text(node)
    try:
        return re.compile(rf"^\s*{raw}", re.I)
    except re.error as exc:
        raise node.fail(f"not a valid pattern ({exc})") from None


def _count(node: Node) -> int:
    value = integer(node)
    if value < 0:
        raise node.fail(f"expected a non-negative whole number, got {value}")
    return value


def _kinds(node: Node) -> dict[str, tuple[str, ...]]:
    raw = Record(optional={k: word_list for k in CASUALTY_KINDS})(node)
    return {k: tuple(w.lower() for w in v) for k, v in raw.items()}


_WORDS = (
    "people_nouns", "group_nouns", "place_nouns", "event_nouns", "target_nouns", "weapon_nouns", "unit_nouns",
    "force_nouns", "strength_nouns", "strength_adjectives", "name_words_skip", "label_skip", "hold_verbs",
    "number_nouns", "number_verbs", "estimate_verbs", "state_words", "victim_people_nouns",
    "subset_words", "partial_words", "speaker_pronouns", "presence_verbs", "yield_verbs", "having_preps",
    "owner_preps", "member_nouns", "membership_verbs", "place_preps", "incident_preps", "definite_determiners", "back_reference_determiners",
    "presence_adjectives", "loss_verbs", "period_preps", "period_nouns",
)
SPEC = Record(required={
    **{k: _lower for k in _WORDS},
    "strength_label": text,
    "casualty_kinds": _kinds,
    "force_name_words": mapping_of(word_list),
    "skip_after": _pattern,
    "skip_before_marks": word_list,
    "min_strength": _count,
    "min_event_tally": _count,
    "max_value": _count,
})


def parse_quantity_cues(root: Node) -> QuantityCues:
    """Validate the composed YAML of the cue file (a :class:`~sitrep.data.loader.Node`)."""
    from sitrep.data import language

    raw = SPEC(root)
    kinds: dict[str, str] = {}
    for kind, lemmas in raw["casualty_kinds"].items():
        for lemma in lemmas:
            kinds.setdefault(lemma, kind)
    lang = language()
    number_tokens = {w for phrase in (*lang.number_words, *lang.number_phrases) for w in phrase.split()} - {"a"}
    return QuantityCues(
        **{k: raw[k] for k in _WORDS},
        strength_label=raw["strength_label"],
        say_verbs=lang.speech_verbs,
        doer_verbs=lang.doer_verbs,
        claim_verbs=lang.claiming_verbs | lang.reporting_verbs,
        casualty_kinds=MappingProxyType(kinds),
        force_name_words=MappingProxyType({k.lower(): tuple(w.lower() for w in v)
                                           for k, v in raw["force_name_words"].items()}),
        skip_after=raw["skip_after"],
        skip_before_marks=raw["skip_before_marks"],
        magnitude_words=frozenset(lang.number_scales),
        number_word_tokens=frozenset(number_tokens),
        min_strength=raw["min_strength"],
        min_event_tally=raw["min_event_tally"],
        max_value=raw["max_value"],
    )


def read_quantity_cues(directory: Path | str | None = None) -> QuantityCues:
    """Read and validate the cue file (from ``directory`` when given, else the package's)."""
    return parse_quantity_cues(read_yaml(CUES_FILE, Path(directory) if directory is not None else None))


@lru_cache(maxsize=1)
def load_quantity_cues() -> QuantityCues:
    """The package's ``sitrep/data/quantity_cues.yaml``, read once."""
    return read_quantity_cues()


__all__ = ["CUES_FILE", "QuantityCues", "QuantityCuesError", "load_quantity_cues", "parse_quantity_cues",
           "read_quantity_cues"]
