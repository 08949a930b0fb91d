"""The attribution vocabulary: ``data/sources.yaml`` (validated) plus the shared speech and denial
verbs of ``data/language.yaml``, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from sitrep.data.loader import Node, Record, integer, mapping_of, read_yaml, word_list

SOURCES_FILE = "sources.yaml"
#: language.yaml's keys that attribution reads: sources.yaml may not define them again
SHARED_KEYS = ("speech_verbs", "bare_speech_verbs", "deny_verbs", "untrue_words", "claim_nouns", "report_nouns",
               "event_nouns", "doer_verbs")
_KINDS = ("armed_group", "organization", "state", "person", "report")


@dataclass(frozen=True)
class SourceCues:
    speech_verbs: frozenset[str]
    bare_speech_verbs: frozenset[str]
    deny_verbs: frozenset[str]
    untrue_words: frozenset[str]
    author_prepositions: frozenset[str]
    member_prepositions: frozenset[str]
    report_nouns: frozenset[str]
    claim_nouns: frozenset[str]
    involvement_nouns: frozenset[str]
    calling_verbs: frozenset[str]
    every_words: frozenset[str]
    doing_verbs: frozenset[str]
    event_nouns: frozenset[str]
    figure_verbs: frozenset[str]
    utterance_nouns: frozenset[str]
    anaphora: MappingProxyType[str, tuple[str, ...]]  # head noun -> compatible kinds
    role_nouns: frozenset[str]
    unnamed_nouns: frozenset[str]
    recipient_verbs: frozenset[str]
    target_verbs: frozenset[str]
    state_media_words: frozenset[str]
    state_media_nouns: frozenset[str]
    not_speakers: frozenset[str]
    relative_words: frozenset[str]
    pronouns: MappingProxyType[str, tuple[str, ...]]
    lookback_sentences: int
    passage_sentences: int
    passage_verbs: frozenset[str]
    passage_adverbs: frozenset[str]
    topic_shifts: frozenset[str]
    finding_verbs: frozenset[str]
    back_determiners: frozenset[str]
    quoted_as_preps: frozenset[str]
    issuing_verbs: frozenset[str]
    subordinators: frozenset[str]
    framing_marks: frozenset[str]
    branch_nouns: frozenset[str]


def _kinds(node: Node) -> tuple[str, ...]:
    kinds = word_list(node)
    for k in kinds:
        if k not in _KINDS:
            raise node.fail(f"bad kind {k!r} (expected one of: {', '.join(_KINDS)})")
    return kinds


def _lower(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def parse_source_cues(root: Node) -> SourceCues:
    spec = Record(required={
        "author_prepositions": word_list, "member_prepositions": word_list, "involvement_nouns": word_list,
        "calling_verbs": word_list, "every_words": word_list, "denied_doing_verbs": word_list, "figure_verbs": word_list, "utterance_nouns": word_list, "anaphora": mapping_of(_kinds),
        "role_nouns": word_list, "unnamed_nouns": word_list, "recipient_verbs": word_list,
        "target_verbs": word_list,
        "state_media_words": word_list, "state_media_nouns": word_list, "not_speakers": word_list, "relative_words": word_list,
        "pronouns": mapping_of(_kinds), "lookback_sentences": integer,
        "passage_sentences": integer, "passage_verbs": word_list, "passage_adverbs": word_list, "topic_shifts": word_list,
        "finding_verbs": word_list, "back_determiners": word_list, "quoted_as_preps": word_list,
        "issuing_verbs": word_list, "subordinators": word_list,
        "framing_marks": word_list, "branch_nouns": word_list,
    })
    from sitrep.data import language
    from sitrep.data.language import LANGUAGE_FILE

    lang = language()
    for key in SHARED_KEYS:
        if isinstance(root.value, dict) and key in root.value:
            raise root.value[key].fail(f"{key!r} is defined in {LANGUAGE_FILE}: remove it here")
    raw = spec(root)
    utterances = _lower(raw["utterance_nouns"])
    return SourceCues(
        speech_verbs=lang.speech_verbs,
        bare_speech_verbs=lang.bare_speech_verbs,
        deny_verbs=lang.deny_verbs,
        untrue_words=lang.untrue_words,
        author_prepositions=_lower(raw["author_prepositions"]),
        member_prepositions=_lower(raw["member_prepositions"]),
        report_nouns=lang.report_nouns,
        claim_nouns=lang.claim_nouns | utterances,  # "the minister's statement that ..." too
        involvement_nouns=_lower(raw["involvement_nouns"]),
        calling_verbs=_lower(raw["calling_verbs"]),
        every_words=_lower(raw["every_words"]),
        doing_verbs=lang.doer_verbs | _lower(raw["denied_doing_verbs"]),
        event_nouns=lang.event_nouns,
        figure_verbs=_lower(raw["figure_verbs"]),
        utterance_nouns=utterances,
        anaphora=MappingProxyType({k.lower(): v for k, v in raw["anaphora"].items()}),
        role_nouns=_lower(raw["role_nouns"]),
        unnamed_nouns=_lower(raw["unnamed_nouns"]),
        recipient_verbs=_lower(raw["recipient_verbs"]),
        target_verbs=_lower(raw["target_verbs"]),
        state_media_words=_lower(raw["state_media_words"]),
        state_media_nouns=_lower(raw["state_media_nouns"]),
        not_speakers=_lower(raw["not_speakers"]),
        relative_words=_lower(raw["relative_words"]),
        pronouns=MappingProxyType({k.lower(): v for k, v in raw["pronouns"].items()}),
        lookback_sentences=raw["lookback_sentences"],
        passage_sentences=raw["passage_sentences"],
        passage_verbs=_lower(raw["passage_verbs"]),
        passage_adverbs=_lower(raw["passage_adverbs"]),
        topic_shifts=_lower(raw["topic_shifts"]),
        finding_verbs=_lower(raw["finding_verbs"]),
        back_determiners=_lower(raw["back_determiners"]),
        quoted_as_preps=_lower(raw["quoted_as_preps"]),
        issuing_verbs=_lower(raw["issuing_verbs"]),
        subordinators=_lower(raw["subordinators"]),
        framing_marks=_lower(raw["framing_marks"]),
        branch_nouns=_lower(raw["branch_nouns"]),
    )


def load_source_cues(directory: Path | str | None = None) -> SourceCues:
    """Read ``sources.yaml`` from ``directory`` (default: the package's data)."""
    folder = Path(directory) if directory is not None else None
    return parse_source_cues(read_yaml(SOURCES_FILE, folder))


@lru_cache(maxsize=1)
def source_cues() -> SourceCues:
    return load_source_cues()
