"""What the STIX export knows about the standard (suggested relationships, region-ov) and the name
check a guessed armed group must pass to become a ``threat-actor``; the data is ``data/stix.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

STIX_FILE = "stix.yaml"
_KEYS = {"suggested_relationships", "common_relationships", "region_ov", "threat_actor_names"}
_NAME_KEYS = {"max_words", "max_chars", "forbidden_characters", "head_followers", "max_acronym_chars"}


class VocabError(ValueError):
    """``data/stix.yaml`` is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class StixVocab:
    suggested: dict[str, dict[str, frozenset[str]]]
    common: frozenset[str]
    region_ov: frozenset[str]
    max_words: int
    max_chars: int
    forbidden: frozenset[str]
    head_followers: frozenset[str]
    max_acronym_chars: int

    def relationship_type(self, preferred: str, source_type: str, target_type: str) -> str:
        """``preferred`` when STIX suggests it for these object types, else ``related-to``."""
        if preferred in self.common or target_type in self.suggested.get(source_type, {}).get(preferred, ()):
            return preferred
        return "related-to"


def _unknown(where: str, data: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise VocabError(f"{STIX_FILE}: unknown key {extra[0]!r} in {where}")


def parse_vocab(data: Any) -> StixVocab:
    if not isinstance(data, dict):
        raise VocabError(f"{STIX_FILE}: expected a mapping at the top level")
    _unknown("the top level", data, _KEYS)
    missing = sorted(_KEYS - set(data))
    if missing:
        raise VocabError(f"{STIX_FILE}: missing key {missing[0]!r}")
    names = data["threat_actor_names"]
    if not isinstance(names, dict):
        raise VocabError(f"{STIX_FILE}: threat_actor_names must be a mapping")
    _unknown("threat_actor_names", names, _NAME_KEYS)
    try:
        suggested = {str(src): {str(rel): frozenset(map(str, targets)) for rel, targets in rels.items()}
                     for src, rels in data["suggested_relationships"].items()}
        return StixVocab(
            suggested=suggested,
            common=frozenset(map(str, data["common_relationships"])),
            region_ov=frozenset(map(str, data["region_ov"])),
            max_words=int(names["max_words"]),
            max_chars=int(names["max_chars"]),
            forbidden=frozenset(str(names["forbidden_characters"])),
            head_followers=frozenset(str(w).lower() for w in names["head_followers"]),
            max_acronym_chars=int(names["max_acronym_chars"]),
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise VocabError(f"{STIX_FILE}: malformed value ({exc})") from exc


@lru_cache(maxsize=1)
def load_vocab() -> StixVocab:
    text = resources.files("sitrep.data").joinpath(STIX_FILE).read_text(encoding="utf-8")
    return parse_vocab(yaml.safe_load(text))


_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d+", re.UNICODE)


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def name_shape(name: str, titles: frozenset[str] = frozenset()) -> str:
    """How a guessed armed group's name looks: ``"group"`` (a plausible group name: an acronym, or an
    armed-group cue word as the head of the name, or a group-name prefix), ``"organization"`` (its head
    word is an organisation cue), ``"other"`` (a name, but nothing says armed group) or ``"junk"``
    (markup, sentence punctuation, too long, or a headline of one of ``titles``)."""
    from sitrep.data import load_lexicon

    vocab, lex = load_vocab(), load_lexicon()
    name = name.strip()
    words = name.split()
    if (not words or len(words) > vocab.max_words or len(name) > vocab.max_chars
            or any(c in vocab.forbidden or (not c.isprintable()) for c in name)):
        return "junk"
    if len(words) >= 3 and any(t == _norm(name) or t.startswith(_norm(name) + " ") for t in titles):
        return "junk"  # the headline of an article, not a name
    letters = [c for c in name if c.isalpha()]
    if len(name) <= vocab.max_acronym_chars and letters and all(c.isupper() for c in letters):
        return "group"
    parts = [p for w in words for p in re.split(r"[-‐]", w) if p]
    if parts and parts[0] in lex.armed_group_prefixes:
        return "group"
    for i, w in enumerate(words):
        if w.strip(".,") in lex.armed_group_cues:
            rest = words[i + 1:]
            if not rest or rest[0].lower() in vocab.head_followers or rest[0].lower().split("-")[0] in \
                    lex.name_particles:
                return "group"
    if words[-1] in lex.organization_cues:
        return "organization"
    return "other"


__all__ = ["StixVocab", "VocabError", "load_vocab", "name_shape", "parse_vocab"]
