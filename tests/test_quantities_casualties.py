"""Quantities on invented text: strength figures, casualty counts and their subjects, counts of other things."""

from __future__ import annotations

import re
from typing import Any

import pytest

from quantities_kit import about, parsed
from sitrep.data.loader import DataFileError
from sitrep.extract.quantities_cues import CUES_FILE, read_quantity_cues


@pytest.mark.parametrize(
    ("text", "key", "low", "high"),
    [
        ("The Red Hand Brigade has about 2,000 armed combatants in the hills.", "actor:red-hand", 2000, 2000),
        ("Red Hand Brigade fighters, numbering about 300, crossed the river.", "actor:red-hand", 300, 300),
        ("The Northern Front says it commands some 100,000 trained fighters.", "actor:northern-front", 100_000, 100_000),
        ("Analysts put the fighters of the Northern Front at no more than 900.", "actor:northern-front", None, 900),
    ],
)
def test_strength_figures(nlp: Any, text: str, key: str, low: float | None, high: float | None) -> None:
    found = parsed(nlp, text)
    assert about(found, key, low, high), found


def test_wounded_people_count_for_the_place_of_the_incident(nlp: Any) -> None:
    found = parsed(nlp, "A bomb went off at a market in Port Lumen on Monday. Thirteen people were wounded, police said.")
    assert any("wounded" in w for w in about(found, "place:XA-V-lumen", 13, 13)), found


def test_wounded_soldiers_count_for_the_force_named_before(nlp: Any) -> None:
    found = parsed(nlp, "The Arcadian Armed Forces fought off an assault near Kessel. Seventeen soldiers were wounded.")
    assert about(found, "org:arcadian-army", 17, 17), found


def test_a_groups_own_dead_and_a_claimed_toll_are_quantities(nlp: Any) -> None:
    found = parsed(nlp, "Three Red Hand Brigade fighters were killed in the clash near Kessel.")
    assert about(found, "actor:red-hand", 3, 3), found
    found = parsed(nlp, "The Red Hand Brigade claimed that it had killed 40 soldiers near Kessel.")
    assert about(found, "actor:red-hand", 40, 40), found


def test_an_events_own_toll_is_not_repeated(nlp: Any) -> None:
    assert parsed(nlp, "Red Hand Brigade fighters killed 12 soldiers in Kessel on Monday.") == []
    assert parsed(nlp, "The Red Hand Brigade claimed a bombing that killed six people in Dunmore.") == []


def test_things_seized_count_for_the_one_who_took_them(nlp: Any) -> None:
    found = parsed(nlp, "The Red Hand Brigade overran the outpost in Dunmore and looted five vehicles.")
    assert any("seized" in w for w in about(found, "actor:red-hand", 5, 5)), found


@pytest.mark.parametrize(
    "text",
    [
        # counts of other things are no strength
        "The Arcadian Armed Forces said 201 attacks were prevented this year.",
        "Red Hand Brigade fighters attacked two camps near Kessel.",
        "One member of the Red Hand Brigade spoke to reporters in Kessel.",
        "The Red Hand Brigade carried out two attacks in Arcadia last week.",
        # the rest of a list ("and two other fighters") and people named one by one are no figure
        "The Red Hand Brigade said its commander and two other fighters were killed by a drone in Kessel.",
        "The strike killed the Red Hand Brigade commander along with three other fighters in Kessel.",
        "Two Red Hand Brigade commanders, Jon Tarrow and Ivo Marek, were killed near Kessel.",
    ],
)
def test_counts_of_other_things_and_the_rest_of_a_list_are_no_figure(nlp: Any, text: str) -> None:
    assert parsed(nlp, text) == []


def _cue_file(tmp_path: Any, edit: Any) -> Any:
    from importlib import resources

    text = resources.files("sitrep.data").joinpath(CUES_FILE).read_text("utf-8")
    (tmp_path / CUES_FILE).write_text(edit(text), encoding="utf-8")
    return tmp_path


def test_cue_file_is_read_through_the_loader(tmp_path: Any) -> None:
    cues = read_quantity_cues(_cue_file(tmp_path, lambda t: t))
    assert "fighter" in cues.people_nouns and cues.casualty_kinds["wound"] == "wounded"
    assert "say" in cues.say_verbs and "thousand" in cues.magnitude_words  # the shared words of language.yaml


def test_cue_file_rejects_unknown_keys(tmp_path: Any) -> None:
    with pytest.raises(DataFileError, match=r"quantity_cues\.yaml:\d+: .*unknown key 'fighter_words'"):
        read_quantity_cues(_cue_file(tmp_path, lambda t: t + "\nfighter_words: [x]\n"))
    with pytest.raises(DataFileError, match=r"quantity_cues\.yaml:\d+: casualty_kinds: unknown key 'maimed'"):
        read_quantity_cues(_cue_file(tmp_path, lambda t: t.replace("  wounded: [", "  maimed: [x]\n  wounded: [")))
    with pytest.raises(DataFileError, match="missing key 'min_strength'"):
        read_quantity_cues(_cue_file(tmp_path, lambda t: re.sub(r"(?m)^min_strength:.*$", "", t)))
    with pytest.raises(DataFileError, match=r"quantity_cues\.yaml:\d+: max_value: expected a whole number"):
        read_quantity_cues(_cue_file(tmp_path, lambda t: re.sub(r"(?m)^max_value:.*$", "max_value: lots", t)))
