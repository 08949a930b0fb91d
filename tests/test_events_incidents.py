"""Events on invented text: one event per incident, the most specific scene, the act's type, the toll.

Also the cue file's validation. Names are invented (see tests/test_events.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from handparse import NAMES, context
from sitrep.data.loader import DataFileError
from sitrep.extract.context import ExtractionContext
from sitrep.extract.events import extract_events
from sitrep.extract.events_casualties import casualties
from sitrep.extract.events_cues import load_cues_from
from sitrep.models import Event


@pytest.fixture(scope="module")
def nlp() -> Any:
    from sitrep.nlp import get_nlp

    return get_nlp()


def events_of(nlp: Any, text: str, published: str | None = "2024-03-10") -> tuple[ExtractionContext, list[Event]]:
    ctx = context(nlp, text, NAMES, doc_id="e1", published=published)
    return ctx, extract_events(ctx)


def summary(evs: list[Event]) -> list[tuple[str, str | None, int | None]]:
    return [(e.type, e.location_key, e.killed) for e in evs]


def test_headline_attack_and_body_bombing_are_one_suicide_bombing(nlp: Any) -> None:
    text = ("Red Hand Brigade claims deadly attack in Kessel\n\n"
            "The Red Hand Brigade has claimed a suicide bombing in Kessel that killed at least nine people.")
    _, evs = events_of(nlp, text)
    assert len(evs) == 1, summary(evs)
    assert (evs[0].sub_type, evs[0].location_key, evs[0].killed) == ("Suicide bomb", "place:XA-kessel", 9)


def test_a_country_compound_on_the_act_word_is_the_scene_not_the_doer(nlp: Any) -> None:
    text = ("Red Hand Brigade claims 40 soldiers killed in deadly Arcadia attack\n\n"
            "The Red Hand Brigade said it stormed an army base in Dunmore, killing 40 soldiers.")
    _, evs = events_of(nlp, text)
    assert len(evs) == 1, summary(evs)
    assert evs[0].perpetrator_key == "actor:red-hand" and evs[0].location_key == "place:XA-V-dunmore"


def test_the_most_specific_scene_of_the_paragraph(nlp: Any) -> None:
    text = "A suicide attack killed eleven soldiers in eastern Arcadia, the monitor said. It hit army posts in Vale province."
    _, evs = events_of(nlp, text)
    assert summary(evs) == [("Explosions/Remote violence", "place:XA-V", 11)]


def test_a_placeless_clash_takes_the_scene_the_narrative_is_at(nlp: Any) -> None:
    text = ("Security forces surrounded a hideout in Port Lumen on Monday.\n\n"
            "The gunmen refused to surrender and a firefight broke out.")
    _, evs = events_of(nlp, text)
    assert summary(evs) == [("Battles", "place:XA-V-lumen", None)]


def test_two_acts_in_one_clause_are_two_incidents(nlp: Any) -> None:
    text = ("The cell carried out many crimes, including the suicide bombing of a post in Dunmore on 2 March "
            "and yesterday's suicide bombing in Kessel.")
    _, evs = events_of(nlp, text)
    assert sorted((e.location_key, e.date) for e in evs) == [("place:XA-V-dunmore", "2024-03-02"),
                                                            ("place:XA-kessel", "2024-03-09")]


def test_a_counted_plural_is_a_summary_not_an_incident(nlp: Any) -> None:
    text = ("The Northern Front carried out two attacks on army posts in Vale province on Sunday, killing three soldiers.\n\n"
            "The first attack hit a post in Dunmore and wounded one soldier. The second attack killed three soldiers "
            "in Port Lumen.")
    _, evs = events_of(nlp, text)
    assert "place:XA-V" not in [e.location_key for e in evs], summary(evs)
    assert {e.location_key for e in evs} == {"place:XA-V-dunmore", "place:XA-V-lumen"}


def test_a_dated_past_incident_with_another_toll_stays_apart(nlp: Any) -> None:
    text = ("A suicide bombing in Kessel killed at least six people on Monday.\n\n"
            "In 2019, a suicide bombing in Kessel killed 53 people.")
    _, evs = events_of(nlp, text)
    assert sorted(e.killed or 0 for e in evs) == [6, 53], summary(evs)


def test_victims_listed_with_a_count_are_added() -> None:
    from sitrep.nlp import get_nlp

    span = get_nlp()("A bombing killed the governor of Vale province and two others in his office.")[:]
    assert casualties(span.text, span).killed == 3
    assert casualties("gunmen killed their 4 guards").killed == 4


def test_a_wounded_only_clause_does_not_erase_the_toll(nlp: Any) -> None:
    text = ("A car bomb killed five people in Dunmore on Friday.\n\n"
            "The attack in Dunmore also left twelve people wounded, officials said.")
    _, evs = events_of(nlp, text)
    assert [(e.killed, e.wounded) for e in evs] == [(5, 12)], summary(evs)


def _cue_file_with(tmp_path: Path, old: str, new: str) -> Path:
    from sitrep.data.loader import data_text

    text, _ = data_text("event_cues.yaml")
    assert old in text
    (tmp_path / "event_cues.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_cue_file_is_read_through_the_loader(tmp_path: Path) -> None:
    assert load_cues_from(_cue_file_with(tmp_path, "scene_lookback:", "scene_lookback:")).scene_lookback >= 0


def test_cue_file_rejects_an_unknown_key_naming_file_line_and_key(tmp_path: Path) -> None:
    folder = _cue_file_with(tmp_path, "scene_lookback:", "scene_lookbak:")
    with pytest.raises(DataFileError, match=r"event_cues.yaml:\d+: unknown key 'scene_lookbak'"):
        load_cues_from(folder)


def test_cue_file_rejects_a_missing_key_and_a_bad_value(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="missing key 'target_verbs'"):
        load_cues_from(_cue_file_with(tmp_path, "target_verbs:", "# target_verbs:"))
    with pytest.raises(DataFileError, match=r"triggers\[0\]: unknown key 'prority'"):
        load_cues_from(_cue_file_with(tmp_path, "class: fixed, priority: 10}", "class: fixed, prority: 10}"))
    with pytest.raises(DataFileError, match=r"triggers\[0\].class: bad value 'fixd'"):
        load_cues_from(_cue_file_with(tmp_path, "class: fixed, priority: 10}", "class: fixd, priority: 10}"))
    with pytest.raises(DataFileError, match=r"national: expected true or false"):
        load_cues_from(_cue_file_with(tmp_path, "national: true}", "national: maybe}"))
    with pytest.raises(DataFileError, match="not a valid pattern"):
        load_cues_from(_cue_file_with(tmp_path, 'crowd: "', 'crowd: "(unclosed|'))


def test_a_toll_from_others_is_preferred_to_the_perpetrators_claim(nlp: Any) -> None:
    text = ("The Red Hand Brigade claimed an attack on an army base in Dunmore that killed 90 soldiers.\n\n"
            "Security sources said the death toll of the attack in Dunmore was estimated at 35.")
    _, evs = events_of(nlp, text)
    assert [(e.location_key, e.killed) for e in evs] == [("place:XA-V-dunmore", 35)], summary(evs)
