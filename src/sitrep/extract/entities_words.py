"""The closed word classes of the entity extractor, from ``data/entity_words.yaml`` (validated, loaded once)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from sitrep.data.language import language

WORDS_FILE = "entity_words.yaml"


class EntityWordsError(ValueError):
    """The word file is malformed: the message names the file and the key."""


@dataclass(frozen=True, slots=True)
class EntityWords:
    """Word classes read by the entity passes (see the comments in the data file)."""

    determiners: frozenset[str] = frozenset()
    possessive_marks: frozenset[str] = frozenset()
    dangling_words: frozenset[str] = frozenset()
    pronouns: frozenset[str] = frozenset()
    speech_lemmas: frozenset[str] = frozenset()
    leader_government_nouns: frozenset[str] = frozenset()
    ministry_topic_words: frozenset[str] = frozenset()
    place_prepositions: frozenset[str] = frozenset()
    near_prepositions: frozenset[str] = frozenset()
    minor_words: frozenset[str] = frozenset()
    common_nouns: frozenset[str] = frozenset()
    weapon_terms: frozenset[str] = frozenset()
    force_modifiers: frozenset[str] = frozenset()
    media_heads: frozenset[str] = frozenset()
    kunya_particles: frozenset[str] = frozenset()
    quantifiers: frozenset[str] = frozenset()
    descriptive_words: frozenset[str] = frozenset()
    force_role_nouns: frozenset[str] = frozenset()
    alias_words: frozenset[str] = frozenset()
    media_compound_heads: frozenset[str] = frozenset()
    media_first_words: frozenset[str] = frozenset()
    counted_person_nouns: frozenset[str] = frozenset()
    appositive_group_heads: frozenset[str] = frozenset()
    appositive_organization_heads: frozenset[str] = frozenset()
    appositive_organization_modifiers: frozenset[str] = frozenset()
    appositive_place_heads: frozenset[str] = frozenset()
    appositive_person_heads: frozenset[str] = frozenset()
    group_head_nouns: frozenset[str] = frozenset()
    foreign_plural_articles: frozenset[str] = frozenset()
    foreign_group_openers: frozenset[str] = frozenset()
    naming_phrases: frozenset[str] = frozenset()
    armed_compound_heads: frozenset[str] = frozenset()
    distance_units: frozenset[str] = frozenset()
    compass_words: frozenset[str] = frozenset()
    ministry_topics: dict[str, str] = field(default_factory=dict)
    force_nouns: dict[str, frozenset[str]] = field(default_factory=dict)
    place_phrases: dict[str, frozenset[str]] = field(default_factory=dict)
    byline_line: re.Pattern[str] = field(default=re.compile(r"(?!)"))


_LIST_KEYS = {f.name for f in fields(EntityWords)} - {"ministry_topics", "force_nouns", "place_phrases", "byline_line",
                                                      "speech_lemmas"}


def _byline_pattern(months: tuple[str, ...]) -> re.Pattern[str]:
    """A short byline: "By Jane Roe", "Written by ...", "Monday, March 3, 2024 - Jane Roe" (``months``: the
    full month names of ``language.yaml``)."""
    month = "|".join(re.escape(m) for m in months) or "(?!)"
    return re.compile(
        r"^(?:(?:written |posted |reported )?by\s+[A-Z]"
        rf"|(?:\w+day,?\s+)?(?:\d{{1,2}}\s+)?(?:{month})\s+(?:\d{{1,2}},?\s+)?\d{{4}}\s*[-\u2013\u2014|]\s*[A-Z])",
        re.I,
    )


def parse_entity_words(raw: Any, filename: str = WORDS_FILE) -> EntityWords:
    """Validate the parsed YAML of the word file; unknown keys and wrong shapes are errors."""
    if not isinstance(raw, dict):
        raise EntityWordsError(f"{filename}: expected a mapping of word classes")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "ministry_topics":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise EntityWordsError(f"{filename}: key {key!r} must map words to words")
            values[key] = {str(k): v for k, v in value.items()}
        elif key in {"force_nouns", "place_phrases"}:
            if not isinstance(value, dict) or not all(
                    isinstance(v, list) and all(isinstance(w, str) for w in v) for v in value.values()):
                raise EntityWordsError(f"{filename}: key {key!r} must map each branch to a list of words")
            values[key] = {str(k): frozenset(v) for k, v in value.items()}
            if key == "place_phrases":
                from sitrep.data.schema import schema

                bad = sorted(set(values[key]) - set(schema().place_kinds))
                if bad:
                    raise EntityWordsError(f"{filename}: key {key!r}: {bad[0]!r} is not a place kind")
        elif key in _LIST_KEYS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise EntityWordsError(f"{filename}: key {key!r} must be a list of words")
            values[key] = frozenset(value)
        else:
            raise EntityWordsError(f"{filename}: unknown key {key!r}")
    lang = language()  # speech verbs and months are the shared language file's
    return EntityWords(**{**values, "speech_lemmas": lang.inverted_speech_verbs,
                          "byline_line": _byline_pattern(lang.month_names)})


@lru_cache(maxsize=1)
def load_entity_words() -> EntityWords:
    text = resources.files("sitrep.data").joinpath(WORDS_FILE).read_text(encoding="utf-8")
    return parse_entity_words(yaml.safe_load(text))


__all__ = ["EntityWords", "EntityWordsError", "load_entity_words", "parse_entity_words"]
