"""Quantity constructions of news writing, one rule each, on invented names (several on hand-built parses).

Strength: "a 2,000-strong militia", "a force of 500", "X is believed to number about 1,200", "its strength is
put at 2,500", "some 400 of X's members", "X, with around 70 fighters, ...".  Casualties: a part of a toll
("including 12 children"), the rest of a list ("and two other fighters"), people named one by one, a list of
counts claimed as one figure, "we killed ..." in a spokesman's quotation, a breakdown ("one in A and three in
B"), counts over several incidents, a claimed toll the article also gives as its own, a second figure beside
an event's toll, and who surrenders.
"""

from __future__ import annotations

from typing import Any

import pytest

from handparse import context_of_doc, hand_doc
from quantities_kit import about, parsed, run
from sitrep.models import Claim, Event

# --- strength -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The Red Hand Brigade, a 2,000-strong militia, attacked the town.", 2000, 2000),
        ("The Red Hand Brigade is a 3,000-strong force.", 3000, 3000),
        ("The Red Hand Brigade sent a force of 500 to Kessel.", 500, 500),
        ("The Red Hand Brigade is believed to number about 1,200.", 1200, 1200),
        ("The Red Hand Brigade's strength is estimated at 2,500.", 2500, 2500),
        ("Officials estimate the Red Hand Brigade's strength at 2,500.", 2500, 2500),
        ("Analysts put the strength of the Red Hand Brigade at about 4,000.", 4000, 4000),
        ("Some 400 of the Red Hand Brigade's members crossed into Arcadia.", 400, 400),
        ("The Red Hand Brigade, with around 70 fighters, attacked the army base at dawn.", 70, 70),
    ],
)
def test_strength_constructions(nlp: Any, text: str, low: float, high: float) -> None:
    found = parsed(nlp, text)
    assert about(found, "actor:red-hand", low, high), found


def test_nearly_is_an_upper_bound(nlp: Any) -> None:
    found = parsed(nlp, "The Red Hand Brigade has nearly 900 fighters in Arcadia.")
    assert about(found, "actor:red-hand", None, 900), found


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos", "lemmas", "low", "what"),
    [
        pytest.param(  # "a force of N": the figure of the force sent, counted as fighters
            "The Red Hand Brigade sent a force of 500 to Kessel .".split(),
            [3, 3, 3, 4, 4, 6, 4, 6, 7, 4, 9, 4],
            "det compound compound nsubj ROOT det dobj prep pobj prep pobj punct".split(),
            "DET PROPN PROPN PROPN VERB DET NOUN ADP NUM ADP PROPN PUNCT".split(),
            "the Red Hand Brigade send a force of 500 to Kessel .".split(), 500, ["fighters"],
            id="a-force-of-n"),
        pytest.param(  # "a 2,000 - strong militia" in apposition to the group
            "The Red Hand Brigade , a 2,000 - strong militia , fled .".split(),
            [3, 3, 3, 11, 3, 9, 8, 8, 9, 3, 3, 11, 11],
            "det compound compound nsubj punct det advmod punct amod appos punct ROOT punct".split(),
            "DET PROPN PROPN PROPN PUNCT DET NUM PUNCT ADJ NOUN PUNCT VERB PUNCT".split(),
            "the Red Hand Brigade , a 2,000 - strong militia , flee .".split(), 2000, None,
            id="n-strong"),
    ],
)
def test_strength_on_a_hand_built_parse(words: list[str], heads: list[int], deps: list[str], pos: list[str],
                                        lemmas: list[str], low: int, what: list[str] | None) -> None:
    found = about(run(context_of_doc(hand_doc(words, heads, deps, pos, lemmas))), "actor:red-hand", low, low)
    assert found if what is None else found == what, found


# --- casualties -------------------------------------------------------------------------------------


def test_a_part_of_a_toll_counts_for_the_scene(nlp: Any) -> None:
    found = parsed(nlp, "A bombing in Port Lumen killed 30 people, including 12 children, on Monday.")
    assert about(found, "place:XA-V-lumen", 12, 12), found
    assert not about(found, "place:XA-V-lumen", 30, 30), found  # the event's own toll


def test_a_part_of_the_dead_counts_for_the_scene(nlp: Any) -> None:
    found = parsed(nlp, "Gunmen stormed a church in Dunmore. About 20 worshippers were among the dead.")
    assert about(found, "place:XA-V-dunmore", 20, 20), found


def test_a_claimed_list_of_counts_is_one_figure(nlp: Any) -> None:
    found = parsed(nlp, "The Red Hand Brigade claimed it killed one Arcadian soldier, two Borealian soldiers and "
                        "nine local soldiers near Kessel.", sources=True)
    assert about(found, "actor:red-hand", 12, 12), found
    assert not about(found, "actor:red-hand", 2, 2) and not about(found, "actor:red-hand", 9, 9), found


def test_we_in_a_spokesmans_quotation_is_his_group(nlp: Any) -> None:
    text = ("\u201cWe attacked the convoy with a roadside bomb, which killed four soldiers. Our attacks will "
            "continue\u201d, said Jon Tarrow, a spokesman for the Red Hand Brigade.")
    found = parsed(nlp, text, sources=True)
    assert about(found, "actor:red-hand", 4, 4), found


def test_a_count_over_several_incidents_is_a_quantity(nlp: Any) -> None:
    text = ("The Arcadian Armed Forces lost ground near Kessel. Last week, nearly 20 soldiers were killed or "
            "wounded in two Red Hand Brigade attacks.")
    found = parsed(nlp, text)
    assert about(found, "org:arcadian-army", None, 20), found


def test_a_claimed_toll_the_article_gives_as_its_own_is_the_events(nlp: Any) -> None:
    text = ("Red Hand Brigade claims it killed 28 soldiers. The Red Hand Brigade claimed responsibility for "
            "an ambush that killed 28 soldiers in Kessel this week.")
    assert parsed(nlp, text, sources=True) == []


def test_a_claimed_toll_beside_a_different_one_is_kept(nlp: Any) -> None:
    found = parsed(nlp, "The Red Hand Brigade claimed that 200 soldiers were killed in Kessel.", sources=True)
    assert about(found, "actor:red-hand", 200, 200), found


def _event(key: str, killed: int) -> Event:
    claim = Claim(doc_id="t1", start=0, end=1, sent_start=0, sent_end=1, snippet="")
    return Event(type="Battles", sub_type=None, claim=claim, location_key=key, killed=killed)


def test_a_second_sourced_toll_beside_an_events_is_a_quantity(nlp: Any) -> None:
    text = ("Gunmen attacked Dunmore on Sunday, killing 10 people. "
            "Radio Lumen, a local station, said it had counted 43 dead in Dunmore.")
    found = parsed(nlp, text, sources=True, events=[_event("place:XA-V-dunmore", 10)])
    assert about(found, "place:XA-V-dunmore", 43, 43), found
    assert not about(found, "place:XA-V-dunmore", 10, 10), found


def test_without_an_events_toll_a_second_figure_is_not_made(nlp: Any) -> None:
    text = "Radio Lumen, a local station, said it had counted 43 dead in Dunmore."
    assert parsed(nlp, text, sources=True, events=[]) == []


def test_a_count_written_with_a_comma_is_no_year(nlp: Any) -> None:
    found = parsed(nlp, "The Red Hand Brigade has 2,000 fighters.")
    assert about(found, "actor:red-hand", 2000, 2000), found
    assert parsed(nlp, "The Red Hand Brigade was founded in 2000 in Kessel.") == []


def test_four_others_are_the_people_named_before(nlp: Any) -> None:
    found = parsed(nlp, "A Red Hand Brigade fighter was killed near Kessel and four others were wounded.")
    assert about(found, "actor:red-hand", 4, 4), found


@pytest.mark.parametrize(
    ("text", "given", "not_given"),
    [
        pytest.param("The Red Hand Brigade seized four villages, one in Kessel and three in Dunmore.",
                     ("actor:red-hand", 4, 4), ("actor:red-hand", 3, 3), id="a-breakdown-is-not-counted-again"),
        pytest.param("The Arcadian Armed Forces were routed near Kessel, and 14 soldiers surrendered to the "
                     "Red Hand Brigade.", ("org:arcadian-army", 14, 14), ("actor:red-hand", 14, 14),
                     id="who-surrenders-is-the-one-taken"),
        pytest.param("The Red Hand Brigade has between 4,000 and 7,000 fighters, making it one of the strongest "
                     "groups in Arcadia.", ("actor:red-hand", 4000, 7000), ("actor:red-hand", 1, 1),
                     id="a-second-claimed-figure-does-not-lend-its-noun"),
    ],
)
def test_the_figure_goes_to_one_reading_not_another(nlp: Any, text: str, given: tuple, not_given: tuple) -> None:
    found = parsed(nlp, text)
    assert about(found, *given), found
    assert not about(found, *not_given), found


def test_the_dead_who_belonged_to_a_group_count_for_it(nlp: Any) -> None:
    found = parsed(nlp, "Among the dead, at least 31 belonged to the Northern Front, a local priest said.")
    assert about(found, "actor:northern-front", 31, None), found


@pytest.mark.parametrize(
    ("text", "key", "low", "high"),
    [
        ("Some 40,000 people live in Dunmore under the control of the Red Hand Brigade.", "place:XA-V-dunmore",
         40000, 40000),
        ("More than 10,000 people have fled their homes in Kessel since the fighting began.", "place:XA-kessel",
         10000, None),
        ("The Red Hand Brigade holds Kessel and Dunmore. About two million people, most of them displaced, "
         "live in these areas.", "place:XA-kessel", 2_000_000, 2_000_000),
    ],
)
def test_people_in_a_place_count_for_the_place(nlp: Any, text: str, key: str, low: float,
                                                high: float | None) -> None:
    found = parsed(nlp, text)
    assert about(found, key, low, high), found


def test_people_elsewhere_are_no_count_of_a_place(nlp: Any) -> None:
    assert parsed(nlp, "About 300 people attended the funeral of a Red Hand Brigade commander.") == []


def test_soldiers_of_a_nation_are_its_known_army(nlp: Any) -> None:
    # the gazetteer knows "<demonym> army" for some countries: wounded soldiers count for that force
    from sitrep.data import load_gazetteer

    gaz = load_gazetteer()
    rec = gaz.actor("Malian army")
    assert rec is not None
    found = parsed(nlp, "Red Hand Brigade fighters ambushed a convoy near Kessel, and 14 Malian soldiers were wounded.")
    assert about(found, rec.id, 14, 14), found


def test_the_militants_holding_hostages_are_the_group_and_its_parts(nlp: Any) -> None:
    text = ("The Red Hand Brigade seized a ferry off Kessel last year. Officials said the militants were holding "
            "about 20 hostages, including eight Arcadians and five Borealians.")
    found = parsed(nlp, text)
    assert about(found, "actor:red-hand", 20, 20), found
    assert about(found, "actor:red-hand", 8, 8) and about(found, "actor:red-hand", 5, 5), found


def test_some_of_the_dead_count_for_the_scene(nlp: Any) -> None:
    found = parsed(nlp, "Gunmen attacked a village near Dunmore. Approximately 20 of the dead were farmers.")
    assert about(found, "place:XA-V-dunmore", 20, 20), found


def test_the_dead_of_several_clashes_are_a_total(nlp: Any) -> None:
    text = ("Fighting raged around Kessel on Sunday, killing 12 people. "
            "Some 250 residents were reported dead in repeated clashes around Kessel this spring.")
    found = parsed(nlp, text, events=[_event("place:XA-kessel", 12)])
    assert about(found, "place:XA-kessel", 250, 250), found
    assert not about(found, "place:XA-kessel", 12, 12), found


def test_n_out_of_m_places_is_the_actors_part_and_the_places_whole(nlp: Any) -> None:
    found = parsed(nlp, "The Red Hand Brigade now runs training camps in seven out of 19 Arcadia provinces.")
    assert about(found, "actor:red-hand", 7, 7), found
    assert about(found, "place:XA", 19, 19), found
