"""Events on real pages: who did it (descriptions, claims, blame), to whom, where, how many, and which
mentions are one incident.  Invented names (tests/handparse.py); the rule tests at the end read parses
built by hand, so that a model update cannot change what they test."""

from __future__ import annotations

from typing import Any

import pytest

from handparse import NAMES, context, context_of_doc, hand_doc
from sitrep.extract.events import extract_events
from sitrep.extract.events_actors import incident_noun, perpetrator, target
from sitrep.extract.events_casualties import casualties
from sitrep.extract.events_clauses import Clause, Hit
from sitrep.extract.events_cues import load_cues
from sitrep.extract.events_places import DocFacts, named_containers
from sitrep.models import Event

HEADLINE = "Fighting flares in Vale\n\n"  # a first line, so that the sentences under test are body text


@pytest.fixture(scope="module")
def nlp() -> Any:
    from sitrep.nlp import get_nlp

    return get_nlp()


def events(nlp: Any, text: str) -> list[Event]:
    return extract_events(context(nlp, text, NAMES))


def rows(evs: list[Event]) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(e.type, e.location_key, e.killed, e.perpetrator_key) for e in evs]


# --- who did it ----------------------------------------------------------------------------------


def test_the_militants_are_the_group_named_before(nlp: Any) -> None:
    evs = events(nlp, "The Red Hand Brigade has grown stronger in the south this year. On Monday the militants "
                      "attacked an army post in Dunmore, killing four soldiers.")
    assert rows(evs) == [("Battles", "place:XA-V-dunmore", 4, "actor:red-hand")]


def test_its_fighters_are_the_group_that_speaks(nlp: Any) -> None:
    evs = events(nlp, "The Red Hand Brigade said its fighters ambushed a police convoy near Dunmore on Monday, "
                      "killing six officers.")
    assert [e.perpetrator_key for e in evs] == ["actor:red-hand"]


def test_an_incident_blamed_on_a_group(nlp: Any) -> None:
    evs = events(nlp, "The bombing of a market in Dunmore on Monday, which killed nine people, was blamed on the "
                      "Northern Front.")
    assert rows(evs) == [("Explosions/Remote violence", "place:XA-V-dunmore", 9, "actor:northern-front")]


@pytest.mark.parametrize("speaker", ["the Northern Front said in a statement", "a spokesman for the Northern Front said"])
def test_we_are_the_group_that_speaks(nlp: Any, speaker: str) -> None:
    from sitrep.extract.attribution import attribute

    ctx = context(nlp, HEADLINE + f"\"We attacked an army convoy near Kessel on Monday,\" {speaker}.", NAMES)
    attribute(ctx)
    assert rows(extract_events(ctx)) == [("Battles", "place:XA-kessel", None, "actor:northern-front")]


# --- to whom ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "etype"),
    [
        ("Suspected Red Hand Brigade militants attacked a village near Kessel on Monday, killing 7 civilians.",
         "Violence against civilians"),  # "militants" are the attackers, not the target
        ("Red Hand Brigade fighters attacked an army post near Kessel on Monday, killing 7 soldiers.", "Battles"),
    ],
)
def test_an_attack_is_typed_by_its_target_not_by_its_doers(nlp: Any, text: str, etype: str) -> None:
    assert [(e.type, e.perpetrator_key) for e in events(nlp, text)] == [(etype, "actor:red-hand")]


def test_the_target_of_an_act_word_that_qualifies_a_noun(nlp: Any) -> None:
    evs = events(nlp, "Red Hand Brigade claims IED attack on Arcadian Armed Forces vehicle in Dunmore")
    assert [(e.perpetrator_key, e.target_key) for e in evs] == [("actor:red-hand", "org:arcadian-army")]


def test_the_target_of_a_blast_that_targeted_it(nlp: Any) -> None:
    evs = events(nlp, "A blast in Dunmore on Monday targeted the Arcadian Armed Forces headquarters, killing two guards.")
    assert [(e.target_key, e.killed) for e in evs] == [("org:arcadian-army", 2)]


def test_a_placeless_report_of_another_type_lends_its_target_to_the_incident_before(nlp: Any) -> None:
    text = ("Red Hand Brigade claims deadly Kessel attack\n\n"
            "Its statement said that this blast had targeted the Arcadian Armed Forces headquarters.\n\n"
            "The Red Hand Brigade has claimed a suicide bombing in Kessel that killed six people.")
    evs = events(nlp, text)
    assert [(e.sub_type, e.location_key, e.killed, e.perpetrator_key, e.target_key) for e in evs] == [
        ("Suicide bomb", "place:XA-kessel", 6, "actor:red-hand", "org:arcadian-army")]


# --- where, and which mentions are one incident ---------------------------------------------------


def test_a_place_the_doer_aims_at_is_no_scene_and_a_days_act_points_back(nlp: Any) -> None:
    text = ("The Red Hand Brigade claimed an ambush that killed 12 soldiers in Arcadia this week, as the group "
            "seeks to build a base in Vale province.\n\n"
            "Monday's ambush took place near Dunmore, where Red Hand Brigade fighters killed three police officers "
            "and two soldiers in an ambush in May 2021.")
    evs = events(nlp, text)
    assert [(e.location_key, e.killed, e.date) for e in evs] == [
        ("place:XA-V-dunmore", 12, "2024-03-04"),  # the ambush of this week, placed by the later sentence
        ("place:XA-V-dunmore", 5, "2021-05"),  # the earlier ambush, of its own clause after ", where"
    ]


def test_a_summary_of_attacks_is_an_event_only_where_none_is_reported(nlp: Any) -> None:
    assert rows(events(nlp, "Last week, 20 soldiers were killed in two attacks in Kessel.")) == [
        ("Battles", "place:XA-kessel", 20, None)]
    text = ("The Northern Front carried out two attacks in Vale province on Sunday. The first attack killed three "
            "soldiers in Dunmore. The second attack killed two police officers in Port Lumen.")
    assert [e.location_key for e in events(nlp, text)] == ["place:XA-V-dunmore", "place:XA-V-lumen"]


def test_a_place_named_inside_another_is_one_scene(nlp: Any) -> None:
    evs = events(nlp, "Gunmen attacked a checkpoint in Dunmore village, in Port Lumen district, killing three soldiers.")
    assert [(e.location_key, e.killed) for e in evs] == [("place:XA-V-dunmore", 3)]


def test_a_denied_version_joins_the_asserted_report_of_the_incident(nlp: Any) -> None:
    text = (HEADLINE + "The Red Hand Brigade denied a claim by the army that it had lost three fighters in a gunfight "
            "in Dunmore. The group said the three were killed in an air strike on a house in Dunmore.")
    evs = events(nlp, text)
    assert [(e.sub_type, e.location_key, e.killed, e.claim.polarity) for e in evs] == [
        ("Air/drone strike", "place:XA-V-dunmore", 3, "asserted")]


def test_an_agreement_named_nowhere_is_in_the_articles_country(nlp: Any) -> None:
    evs = events(nlp, "Talks in Arcadia have dragged on for years. The government and the Northern Front signed a "
                      "ceasefire agreement on Monday.")
    assert [(e.type, e.location_key) for e in evs] == [("Strategic developments", "place:XA")]


def test_arrests_named_nowhere_are_not_put_in_the_articles_country(nlp: Any) -> None:
    assert events(nlp, "Talks in Arcadia have dragged on for years. Police have also arrested members of the "
                       "group in raids.") == []


def test_the_doers_own_toll_gives_way_to_another_source(nlp: Any) -> None:
    text = ("Arcadia is at war. The Red Hand Brigade said in a statement: \"We attacked the army base in Kessel with a "
            "car bomb, killing 40 soldiers.\" Officials said the car bomb in Kessel killed 7 soldiers.")
    assert [(e.location_key, e.killed) for e in events(nlp, text)] == [("place:XA-kessel", 7)]


def test_a_later_death_toll_updates_the_incident(nlp: Any) -> None:
    text = ("A car bomb exploded in Dunmore on Monday, killing five people.\n\n"
            "The death toll from the bombing in Dunmore rose to 11, officials said.")
    assert [(e.location_key, e.killed, e.date) for e in events(nlp, text)] == [("place:XA-V-dunmore", 11, "2024-03-04")]


def test_a_toll_others_mention_in_the_present_tense_replaces_the_doers_claim(nlp: Any) -> None:
    text = ("The Red Hand Brigade claimed an attack on an army camp in Dunmore, saying 90 soldiers were killed.\n\n"
            "Local sources mention a death toll of about 30 soldiers in Dunmore.")
    assert [(e.location_key, e.killed) for e in events(nlp, text)] == [("place:XA-V-dunmore", 30)]


def test_a_placeless_clash_takes_the_day_of_the_sentence_that_named_its_scene(nlp: Any) -> None:
    text = ("On Monday, Arcadian troops surrounded a hideout in the village of Dunmore.\n\n"
            "The gunmen refused to surrender and a firefight broke out.")
    assert [(e.location_key, e.date) for e in events(nlp, text)] == [("place:XA-V-dunmore", "2024-03-04")]


def test_a_killing_reported_by_a_government_is_no_anaphor_and_lies_in_its_country(nlp: Any) -> None:
    names = {**NAMES, "Zenith": ("actor:zenith", "armed_group", None, None)}
    text = HEADLINE + "On Monday, Borealia's government reported that Zenith killed 14 soldiers."
    assert rows(extract_events(context(nlp, text, names))) == [("Battles", "place:XB", 14, "actor:zenith")]


def test_an_event_kept_apart_joins_once_a_merge_has_placed_the_incident_in_its_village(nlp: Any) -> None:
    names = {**NAMES, "Tarn": ("place:~XA-tarn", "district", "XA", None)}  # a village the gazetteer does not place
    text = (HEADLINE + "The Northern Front claimed an ambush in Vale province on Monday.\n\n"
            "Gunmen ambushed a convoy in Tarn on Monday.\n\n"
            "Northern Front fighters ambushed the convoy in Tarn, the group said.")
    evs = extract_events(context(nlp, text, names))
    assert [(e.location_key, e.perpetrator_key) for e in evs] == [("place:~XA-tarn", "actor:northern-front")]


def test_confronting_and_fighting_off_are_clashes(nlp: Any) -> None:
    evs = events(nlp, "Red Hand Brigade fighters confronted an army patrol near Kessel on Monday.")
    assert rows(evs) == [("Battles", "place:XA-kessel", None, "actor:red-hand")]


# --- how many ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("fighters killed four police officers and two soldiers in an ambush", 6),
        ("killing four soldiers and wounding two", 4),
        ("about 15 guards were either killed or hurt by the blasts", None),
        ("30 people were killed or injured in the blast", None),
    ],
)
def test_tolls_of_listed_victims_and_of_killed_or_wounded(text: str, killed: int | None) -> None:
    assert casualties(text).killed == killed


@pytest.mark.parametrize(
    ("text", "killed", "wounded"),
    [
        ("the raid killed 3 and wounded 7", 3, 7),  # "3 and wounded" is no count of the wounded
        ("the blast left 12 dead and 30 wounded", 12, 30),  # a number or "and" never stands between
        ("at least 40 people, including 12 children, were killed", 40, None),  # past the aside
        ("five guards were killed and 12 injured", 5, 12),
        ("a guard and two drivers were killed in the blast", 3, None),  # one victim named with "a"
        ("six guards and a driver were killed", 7, None),
    ],
)
def test_which_number_is_the_dead_and_which_the_wounded(text: str, killed: int, wounded: int | None) -> None:
    cas = casualties(text)
    assert (cas.killed, cas.wounded) == (killed, wounded)


# --- rules on parses built by hand --------------------------------------------------------------------


def _facts_and_clause(words: list[str], heads: list[int], deps: list[str], pos: list[str],
                      lemmas: list[str]) -> tuple[DocFacts, Clause]:
    doc = hand_doc(words, heads, deps, pos, lemmas)
    ctx = context_of_doc(doc, NAMES)
    text = doc.text
    clause = Clause(sent=doc[:], start=0, end=len(text), line_start=0, line_end=len(text), headline=False)
    return DocFacts.of(ctx, load_cues()), clause


def _hit(facts: DocFacts, word: str) -> Hit:
    text = facts.ctx.document.text
    start = text.index(word)
    tok = next(t for t in facts.ctx.sdoc if t.idx == start)
    trigger = next(t for t in load_cues().triggers if t.pattern.fullmatch(word))
    return Hit(trigger, start, start + len(word), word, tok)


def test_the_subject_of_the_first_of_two_coordinated_verbs_did_the_second() -> None:
    # "Red Hand fighters killed three guards and overran the post ."
    words = ["Red", "Hand", "fighters", "killed", "three", "guards", "and", "overran", "the", "post", "."]
    heads = [1, 2, 3, 3, 5, 3, 3, 3, 9, 7, 3]
    deps = ["compound", "compound", "nsubj", "ROOT", "nummod", "dobj", "cc", "conj", "det", "dobj", "punct"]
    pos = ["PROPN", "PROPN", "NOUN", "VERB", "NUM", "NOUN", "CCONJ", "VERB", "DET", "NOUN", "PUNCT"]
    lemmas = ["red", "hand", "fighter", "kill", "three", "guard", "and", "overrun", "the", "post", "."]
    facts, clause = _facts_and_clause(words, heads, deps, pos, lemmas)
    perp = perpetrator(facts, clause, _hit(facts, "overran"))
    assert perp is not None and perp.entity_key == "actor:red-hand"


def test_the_noun_an_act_word_qualifies_carries_the_target() -> None:
    # "Red Hand claims IED attack on Kessel checkpoint"
    words = ["Red", "Hand", "claims", "IED", "attack", "on", "Kessel", "checkpoint"]
    heads = [1, 2, 2, 4, 2, 4, 7, 5]
    deps = ["compound", "nsubj", "ROOT", "compound", "dobj", "prep", "compound", "pobj"]
    pos = ["PROPN", "PROPN", "VERB", "NOUN", "NOUN", "ADP", "PROPN", "NOUN"]
    lemmas = ["red", "hand", "claim", "ied", "attack", "on", "kessel", "checkpoint"]
    facts, clause = _facts_and_clause(words, heads, deps, pos, lemmas)
    hit = _hit(facts, "IED")
    assert hit.head is not None and incident_noun(hit.head).text == "attack"
    assert target(facts, hit.head) == "Kessel checkpoint"
    perp = perpetrator(facts, clause, hit)
    assert perp is not None and perp.entity_key == "actor:red-hand"


def test_the_object_of_a_verb_whose_subject_is_the_incident_is_its_target() -> None:
    # "the blast targeted the Kessel police"
    words = ["the", "blast", "targeted", "the", "Kessel", "police"]
    heads = [1, 2, 2, 5, 5, 2]
    deps = ["det", "nsubj", "ROOT", "det", "compound", "dobj"]
    pos = ["DET", "NOUN", "VERB", "DET", "PROPN", "NOUN"]
    lemmas = ["the", "blast", "target", "the", "kessel", "police"]
    facts, _ = _facts_and_clause(words, heads, deps, pos, lemmas)
    assert target(facts, _hit(facts, "blast").head) == "the Kessel police"


def test_the_article_puts_a_place_inside_another() -> None:
    words = ["a", "post", "in", "the", "Kessel", "area", "of", "Port", "Lumen", ",", "Vale", "province", "and", "Dunmore"]
    heads = [1, 1, 1, 5, 5, 2, 5, 8, 6, 8, 11, 8, 8, 8]
    deps = ["det", "ROOT", "prep", "det", "compound", "pobj", "prep", "compound", "pobj", "punct", "compound", "appos",
            "cc", "conj"]
    facts, _ = _facts_and_clause(words, heads, deps, ["NOUN"] * len(words), [w.lower() for w in words])
    # "Kessel area of Port Lumen": "of" puts one town in the other; "Port Lumen, Vale province": the gazetteer
    # already knows the town's province; "Vale province and Dunmore" is a list, no container
    assert named_containers(facts.ctx) == {"place:XA-kessel": "place:XA-V-lumen"}


def test_a_comma_puts_a_place_only_inside_a_coarser_one() -> None:
    words = ["in", "Kessel", ",", "Vale", "and", "in", "Kessel", ",", "Port", "Lumen"]
    heads = [0, 0, 1, 1, 3, 3, 5, 6, 9, 6]
    deps = ["ROOT", "pobj", "punct", "appos", "cc", "conj", "pobj", "punct", "compound", "appos"]
    facts, _ = _facts_and_clause(words, heads, deps, ["NOUN"] * len(words), [w.lower() for w in words])
    assert named_containers(facts.ctx) == {"place:XA-kessel": "place:XA-V"}
