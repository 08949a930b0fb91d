"""The shared language file (``language.yaml``) as one frozen, typed object.

    lang = language()
    "say" in lang.speech_verbs              # True
    lang.modality_of("reportedly")          # "reported" (a value of schema().modalities)
    lang.month_number("Sept")               # 9
    lang.number_qualifiers["at least"]      # "low"

Every extractor reads these instead of keeping its own list, so a word means the same thing
for relations, events and quantities (one modality vocabulary: ``Claim.modality`` is one of
``schema().modalities`` whichever extractor set it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from sitrep.data.loader import Node, Record, integer, mapping_of, one_of, read_yaml, text, word_list
from sitrep.data.schema import Schema, load_schema

LANGUAGE_FILE = "language.yaml"
QUALIFIER_KINDS = ("low", "high", "approx")


def _words(node: Node) -> frozenset[str]:
    return frozenset(w.lower() for w in word_list(node))


def _counts(node: Node) -> MappingProxyType[str, int]:
    raw = mapping_of(integer)(node)
    for key, value in raw.items():
        if value < 0:
            raise node.value[key].fail(f"a count must not be negative, got {value}")
    return MappingProxyType({k.lower(): v for k, v in raw.items()})


@dataclass(frozen=True, slots=True)
class Language:
    """Word classes every extractor shares (see the comments in ``language.yaml``)."""

    speech_verbs: frozenset[str]
    bare_speech_verbs: frozenset[str]
    inverted_speech_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    claiming_verbs: frozenset[str]
    deny_verbs: frozenset[str]
    untrue_words: frozenset[str]
    claim_nouns: frozenset[str]
    report_nouns: frozenset[str]
    event_nouns: frozenset[str]
    doer_verbs: frozenset[str]
    target_preps: frozenset[str]
    negation_words: frozenset[str]
    irrealis_verbs: frozenset[str]
    modality_words: MappingProxyType[str, str]  # word -> modality
    number_units: MappingProxyType[str, int]
    number_tens: MappingProxyType[str, int]
    number_scales: MappingProxyType[str, int]
    number_suffixes: MappingProxyType[str, int]
    number_phrases: MappingProxyType[str, int]
    vague_numbers: MappingProxyType[str, int]
    indefinite_counts: frozenset[str]
    number_qualifiers: MappingProxyType[str, str]  # phrase -> "low" | "high" | "approx"
    months: MappingProxyType[str, int]  # full name or abbreviation -> 1..12
    month_names: tuple[str, ...]  # full names, January first
    ambiguous_months: frozenset[str]
    weekdays: tuple[str, ...]  # Monday first (index = date.weekday())
    day_offsets: MappingProxyType[str, int]
    demonym_file: str
    demonym_column: int
    demonym_plural_endings: tuple[str, ...]

    @property
    def hedge_words(self) -> frozenset[str]:
        """Every word that gives a claim a modality."""
        return frozenset(self.modality_words)

    def modality_of(self, word: str | None) -> str | None:
        """The modality a hedge word gives ("allegedly" -> "alleged"); None for any other word."""
        return self.modality_words.get(word.lower()) if word else None

    def month_number(self, word: str) -> int | None:
        """1..12 for a month name or abbreviation ("Sept." -> 9), else None."""
        return self.months.get(word.lower().rstrip("."))

    @property
    def month_alternation(self) -> str:
        """Every month name and abbreviation as one regex alternation, longest first ("september|...|may")."""
        return "|".join(sorted(self.months, key=lambda w: (-len(w), w)))

    def weekday_number(self, word: str) -> int | None:
        low = word.lower()
        return self.weekdays.index(low) if low in self.weekdays else None

    @property
    def number_words(self) -> MappingProxyType[str, int]:
        """Units, tens and scales together ("seven", "forty", "thousand")."""
        return MappingProxyType({**self.number_units, **self.number_tens, **self.number_scales})


def parse_language(root: Node, schema: Schema) -> Language:
    """Validate a parsed ``language.yaml`` against ``schema`` (for the modality values)."""
    modality_check = mapping_of(word_list, key=one_of(schema.modalities))
    spec = Record(required={
        "speech_verbs": _words, "bare_speech_verbs": _words, "inverted_speech_verbs": _words,
        "reporting_verbs": _words, "claiming_verbs": _words, "deny_verbs": _words, "untrue_words": _words,
        "claim_nouns": _words, "report_nouns": _words, "event_nouns": _words, "doer_verbs": _words,
        "target_preps": _words, "negation_words": _words, "irrealis_verbs": _words, "modality_words": modality_check,
        "number_units": _counts, "number_tens": _counts, "number_scales": _counts, "number_suffixes": _counts,
        "number_phrases": _counts, "vague_numbers": _counts, "indefinite_counts": _words,
        "number_qualifiers": mapping_of(word_list, key=one_of(QUALIFIER_KINDS)),
        "months": mapping_of(word_list), "ambiguous_months": _words, "weekdays": word_list,
        "day_offsets": _counts,
        "demonyms": Record(required={"file": text, "column": integer, "plural_endings": word_list}),
    })
    raw = spec(root)
    nodes = root.value
    for subset in ("bare_speech_verbs", "inverted_speech_verbs", "reporting_verbs", "claiming_verbs"):
        if not raw[subset] <= raw["speech_verbs"]:  # one definition of speech verbs: the others are its subsets
            extra = sorted(raw[subset] - raw["speech_verbs"])
            raise nodes[subset].fail(f"not in speech_verbs: {', '.join(extra)}")
    modality_words: dict[str, str] = {}
    for modality, words in raw["modality_words"].items():
        for word in words:
            low = word.lower()
            if low in modality_words and modality_words[low] != modality:
                raise nodes["modality_words"].value[modality].fail(
                    f"{word!r} is already a word for {modality_words[low]!r}")
            modality_words[low] = modality
    qualifiers: dict[str, str] = {}
    for kind, phrases in raw["number_qualifiers"].items():
        for phrase in phrases:
            if phrase.lower() in qualifiers:
                raise nodes["number_qualifiers"].value[kind].fail(f"{phrase!r} is listed twice")
            qualifiers[phrase.lower()] = kind
    months_raw: dict[str, tuple[str, ...]] = raw["months"]
    if len(months_raw) != 12:
        raise nodes["months"].fail(f"expected the 12 months, got {len(months_raw)}")
    months: dict[str, int] = {}
    for number, (name, abbreviations) in enumerate(months_raw.items(), start=1):
        for word in (name, *abbreviations):
            if word.lower() in months:
                raise nodes["months"].value[name].fail(f"{word!r} names two months")
            months[word.lower()] = number
    unknown = raw["ambiguous_months"] - set(months)
    if unknown:
        raise nodes["ambiguous_months"].fail(f"not a month: {', '.join(sorted(unknown))}")
    weekdays = tuple(w.lower() for w in raw["weekdays"])
    if len(weekdays) != 7 or len(set(weekdays)) != 7:
        raise nodes["weekdays"].fail("expected the 7 days of the week, Monday first")
    dem = raw["demonyms"]
    if dem["column"] < 1:
        raise nodes["demonyms"].value["column"].fail("a column number starts at 1")
    return Language(
        speech_verbs=raw["speech_verbs"], bare_speech_verbs=raw["bare_speech_verbs"],
        inverted_speech_verbs=raw["inverted_speech_verbs"], reporting_verbs=raw["reporting_verbs"],
        claiming_verbs=raw["claiming_verbs"], deny_verbs=raw["deny_verbs"],
        untrue_words=raw["untrue_words"], claim_nouns=raw["claim_nouns"], report_nouns=raw["report_nouns"],
        event_nouns=raw["event_nouns"], doer_verbs=raw["doer_verbs"], target_preps=raw["target_preps"],
        negation_words=raw["negation_words"],
        irrealis_verbs=raw["irrealis_verbs"],
        modality_words=MappingProxyType(modality_words), number_units=raw["number_units"],
        number_tens=raw["number_tens"], number_scales=raw["number_scales"], number_suffixes=raw["number_suffixes"],
        number_phrases=raw["number_phrases"], vague_numbers=raw["vague_numbers"],
        indefinite_counts=raw["indefinite_counts"], number_qualifiers=MappingProxyType(qualifiers),
        months=MappingProxyType(months), month_names=tuple(n.lower() for n in months_raw),
        ambiguous_months=raw["ambiguous_months"], weekdays=weekdays, day_offsets=raw["day_offsets"],
        demonym_file=dem["file"], demonym_column=dem["column"], demonym_plural_endings=tuple(dem["plural_endings"]),
    )


def load_language(directory: Path | str | None = None, schema: Schema | None = None) -> Language:
    """Read and validate ``language.yaml`` from ``directory`` (default: the package's own)."""
    if directory is None and schema is None:
        return language()
    folder = Path(directory) if directory is not None else None
    if schema is None:
        schema = load_schema(folder if folder is not None and (folder / "schema.yaml").is_file() else None)
    return parse_language(read_yaml(LANGUAGE_FILE, folder), schema)


@lru_cache(maxsize=1)
def language() -> Language:
    """The package's shared language file, loaded and validated once per process."""
    return parse_language(read_yaml(LANGUAGE_FILE), load_schema())


__all__ = ["Language", "language", "load_language", "parse_language"]
