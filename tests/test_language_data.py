"""The shared language file and the validated loader of every data file."""

from __future__ import annotations

import ast
import dataclasses
import shutil
from importlib import resources
from pathlib import Path

import pytest

from sitrep.data import (
    DataFileError,
    check_data_files,
    language,
    load_actors,
    load_language,
    load_lexicon,
    load_places,
    schema,
)
from sitrep.models import Claim, standard_modality

PACKAGE = resources.files("sitrep.data")
LANGUAGE = PACKAGE.joinpath("language.yaml").read_text(encoding="utf-8")


def _copy(tmp_path: Path, name: str, text: str | None = None) -> Path:
    if text is None:
        shutil.copy(PACKAGE.joinpath(name), tmp_path / name)  # type: ignore[arg-type]
    else:
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_every_data_file_validates() -> None:
    checked = check_data_files()
    assert {"schema.yaml", "language.yaml", "actors.yaml", "lexicon.yaml", "places.tsv", "countries.tsv"} <= set(checked)


def test_language_is_frozen_and_typed() -> None:
    lang = language()
    with pytest.raises(dataclasses.FrozenInstanceError):
        lang.speech_verbs = frozenset()  # type: ignore[misc]
    assert {"say", "tell", "deny"} <= lang.speech_verbs and lang.bare_speech_verbs <= lang.speech_verbs
    assert "deny" in lang.deny_verbs and "no" in lang.negation_words and "n't" in lang.negation_words
    assert lang.month_number("Sept.") == 9 and lang.month_number("december") == 12 and lang.month_number("Smarch") is None
    assert lang.weekday_number("Sunday") == 6
    assert lang.number_words["forty"] == 40 and lang.vague_numbers["hundreds"] == 200
    assert lang.day_offsets["yesterday"] == 1
    assert lang.demonym_file == "countries.tsv"


def test_one_modality_vocabulary() -> None:
    lang = language()
    assert set(lang.modality_words.values()) <= set(schema().modalities)
    assert lang.modality_of("Allegedly") == "alleged" and lang.modality_of("fighters") is None
    # the same hedge means the same thing whichever extractor writes the claim
    for word, meant in (("reportedly", "reported"), ("believed", "believed"), ("might", "possible"),
                        ("estimated", "estimated"), ("unconfirmed", "unconfirmed")):
        assert Claim("d", 0, 1, 0, 1, "s", modality=word).modality == meant
        assert standard_modality(meant) == meant
    assert Claim("d", 0, 1, 0, 1, "s").modality is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("deny_verbs:", "denial_verbs:", r"language\.yaml:\d+: unknown key 'denial_verbs'"),
        ("  possible: [", "  plausible: [", r"modality_words\.plausible: bad value 'plausible'"),
        ("  unconfirmed: [unconfirmed,", "  unconfirmed: [might,", r"'might' is already a word for 'possible'"),
        ("  december: [dec]\n", "", r"expected the 12 months"),
        ("bare_speech_verbs: [say,", "bare_speech_verbs: [whisper, say,", r"not in speech_verbs: whisper"),
        ("inverted_speech_verbs: [say,", "inverted_speech_verbs: [mutter, say,",
         r"language\.yaml:\d+: inverted_speech_verbs: not in speech_verbs: mutter"),
        ("claiming_verbs: [claim,", "claiming_verbs: [boast, claim,", r"claiming_verbs: not in speech_verbs: boast"),
        ("target_preps:", "target_prepositions:", r"unknown key 'target_prepositions'"),
        ("{k: 1000,", "{k: lots,", r"number_suffixes\.k: expected a whole number"),
    ],
)
def test_bad_language_file_names_file_key_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in LANGUAGE
    with pytest.raises(DataFileError, match=message):
        load_language(_copy(tmp_path, "language.yaml", LANGUAGE.replace(old, new, 1)))


def test_words_that_yaml_reads_as_booleans_stay_words(tmp_path: Path) -> None:
    lang = load_language(_copy(tmp_path, "language.yaml", LANGUAGE))
    assert "no" in lang.negation_words  # a bare `no` in YAML is false; a word list keeps the word
    assert "off" in load_lexicon().locative_prepositions


def test_actor_file_rejects_unknown_keys_and_kinds(tmp_path: Path) -> None:
    good = "- id: actor:red-hand\n  name: Red Hand Brigade\n  kind: armed_group\n  aliases: [Red Hand]\n"
    assert [a.name for a in load_actors(_copy(tmp_path, "actors.yaml", good))] == ["Red Hand Brigade"]
    with pytest.raises(DataFileError, match=r"actors\.yaml:4: \[0\]: unknown key 'alias'"):
        load_actors(_copy(tmp_path, "actors.yaml", good.replace("aliases:", "alias:")))
    with pytest.raises(DataFileError, match=r"actors\.yaml:3: \[0\]\.kind: bad value 'militia'"):
        load_actors(_copy(tmp_path, "actors.yaml", good.replace("armed_group", "militia")))
    twice = good + good.replace("Red Hand Brigade", "Red Hand Army")
    with pytest.raises(DataFileError, match=r"duplicate actor id 'actor:red-hand'"):
        load_actors(_copy(tmp_path, "actors.yaml", twice))
    orphan = good + "  parent: actor:nobody\n"
    with pytest.raises(DataFileError, match=r"unknown parent 'actor:nobody'"):
        load_actors(_copy(tmp_path, "actors.yaml", orphan))


def test_lexicon_and_place_files_are_checked(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"lexicon\.yaml:2: unknown key 'honourifics'"):
        load_lexicon(_copy(tmp_path, "lexicon.yaml", "# cues\nhonourifics: [Mr]\n"))
    _copy(tmp_path, "countries.tsv", "AR\tArcadia\t10.0\t20.0\tPort Arcady\t10.1\t20.1\t\tArcadian\n")
    _copy(tmp_path, "places.tsv", "place:AR-north\tprovince\tNorth Arcadia\tAR\tplace:AR\t11\t21\t\n")
    places = load_places(tmp_path)
    assert {p.name for p in places} == {"Arcadia", "Port Arcady", "North Arcadia"}
    _copy(tmp_path, "places.tsv", "place:AR-north\tcanton\tNorth Arcadia\tAR\tplace:AR\t11\t21\t\n")
    with pytest.raises(DataFileError, match=r"places\.tsv:1: bad place kind 'canton'"):
        load_places(tmp_path)
    _copy(tmp_path, "places.tsv", "place:AR-north\tprovince\tNorth Arcadia\tAR\tplace:AR\t911\t21\t\n")
    with pytest.raises(DataFileError, match=r"places\.tsv:1: bad coordinate '911'"):
        load_places(tmp_path)


def _module_imports(path: Path) -> set[str]:
    """Modules a file imports when it is loaded (top level, not inside functions or TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_data_package_imports_nothing_of_the_pipeline() -> None:
    """The data package sits under everything: it must not import resolve, extract, store ... (no cycle)."""
    root = Path(str(PACKAGE))
    for path in root.glob("*.py"):
        for module in _module_imports(path):
            if module.startswith("sitrep."):
                assert module.startswith("sitrep.data"), f"{path.name} imports {module}"
