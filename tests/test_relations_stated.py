"""Relations stated in the text, on invented names: rivals, copular descriptions, appositions that
place a group, relative clauses on places, coordinated verbs, member lists and first-person statements.

Mentions of the invented names are placed by hand (no entity extractor involved); the sentences are
parsed by the project's spaCy pipeline, except where a parse is built by hand so that a model update
cannot change what the rule test means."""

from __future__ import annotations

import re
from typing import Any

import pytest

from handparse import StubGazetteer
from sitrep.extract.attribution import attribute
from sitrep.extract.context import ExtractionContext
from sitrep.extract.relations import extract_relations
from sitrep.models import Document, Entity, Mention

# surface -> (key, kind, country)
NAMES: dict[str, tuple[str, str, str | None]] = {
    "Red Hand Brigade": ("actor:red-hand", "armed_group", None),
    "Blue Order": ("actor:blue-order", "armed_group", None),
    "Grey Wolves Front": ("actor:grey-front", "armed_group", None),
    "Night Watch": ("org:night-watch", "organization", None),
    "Arcadia": ("place:XA", "country", "XA"),
    "Borealia": ("place:XB", "country", "XB"),
    "Vale": ("place:XA-V", "province", "XA"),
    "Dunmore": ("place:XA-D", "city", "XA"),
    "Kessel": ("place:XA-K", "district", "XA"),
    "Mira Tal": ("person:mira-tal", "person", None),
    "Oren Vask": ("person:oren-vask", "person", None),
    "Ilya Dorn": ("person:ilya-dorn", "person", None),
}

RHB, BLUE, GREY, WATCH = "actor:red-hand", "actor:blue-order", "actor:grey-front", "org:night-watch"
ARCADIA, BOREALIA, VALE, DUNMORE, KESSEL = "place:XA", "place:XB", "place:XA-V", "place:XA-D", "place:XA-K"
MIRA, OREN, ILYA = "person:mira-tal", "person:oren-vask", "person:ilya-dorn"


GAZETTEER = StubGazetteer({"Borealian": "place:XB"})


def _context(text: str, sdoc: Any) -> ExtractionContext:
    doc = Document(id="d1", source="t", raw=text, text=text, content_hash="x")
    ctx = ExtractionContext(document=doc, sdoc=sdoc, gazetteer=GAZETTEER)  # type: ignore[arg-type]
    for name, (key, kind, country) in NAMES.items():
        for m in re.finditer(rf"\b{re.escape(name)}\b", text):
            sent = ctx.sentence_of(m.start())
            ctx.mentions.append(Mention("d1", m.start(), m.end(), name, kind, key,
                                        sent_start=sent.start_char if sent else 0,
                                        sent_end=sent.end_char if sent else len(text)))
            ctx.entities.setdefault(key, Entity(key=key, name=name, kind=kind, country=country))
    ctx.mentions.sort(key=lambda m: m.start)
    attribute(ctx)  # who says each sentence, as the pipeline runs it before relations
    return ctx


def _rels(nlp: Any, text: str) -> set[tuple[str, str, str, str]]:
    ctx = _context(text, nlp(text))
    return {(r.subject_key, r.type, r.object_key, r.claim.polarity) for r in extract_relations(ctx)}


def _has(rels: set[tuple[str, str, str, str]], s: str, t: str, o: str, pol: str = "asserted") -> bool:
    return (s, t, o, pol) in rels or (t == "hostile_to" and (o, t, s, pol) in rels)


# --- rivals and enemies: hostile_to ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The Red Hand Brigade remains one of the fiercest rivals of the Blue Order.",
    "The Red Hand Brigade, a bitter rival of the Blue Order, seized the road.",
    "The Blue Order's old enemy, the Red Hand Brigade, seized the road.",
])
def test_a_rival_or_enemy_is_hostile(nlp: Any, text: str) -> None:
    assert _has(_rels(nlp, text), RHB, "hostile_to", BLUE)


def test_a_group_that_is_no_rival_is_denied(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade is not a rival of the Blue Order.")
    assert not _has(rels, RHB, "hostile_to", BLUE)


# --- what a copula says a group is ----------------------------------------------------------------

def test_a_relative_clause_on_a_predicate_noun_is_about_the_subject(nlp: Any) -> None:
    rels = _rels(nlp, "Grey Wolves Front is a small militant group, which is also affiliated with the Red Hand Brigade.")
    assert (GREY, "part_of", RHB, "asserted") in rels


def test_a_postnominal_adjective_on_a_predicate_noun_places_the_subject(nlp: Any) -> None:
    rels = _rels(nlp, "Few doubt the Red Hand Brigade's reach. It is the largest armed movement active in northern Arcadia.")
    assert (RHB, "operates_in", ARCADIA, "asserted") in rels


def test_an_apposition_naming_a_group_in_a_place_places_it(nlp: Any) -> None:
    rels = _rels(nlp, "Grey Wolves Front, another active armed group in Vale, said it had repelled the raid.")
    assert (GREY, "operates_in", VALE, "asserted") in rels


def test_a_group_that_is_in_a_place_operates_there(nlp: Any) -> None:
    rels = _rels(nlp, "The other group loyal to the movement, the Red Hand Brigade, is in southern Arcadia.")
    assert (RHB, "operates_in", ARCADIA, "asserted") in rels
    assert not _rels(nlp, "The Red Hand Brigade is in talks with the government.")


# --- where it happened ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The raid took place near Dunmore, where Red Hand Brigade fighters killed four soldiers in 2017.",
    "The first incident took place in Vale province, where the Red Hand Brigade attacked a police post.",
])
def test_a_where_clause_on_a_place_places_the_doer(nlp: Any, text: str) -> None:
    rels = _rels(nlp, text)
    place = DUNMORE if "Dunmore" in text else VALE
    assert (RHB, "operates_in", place, "asserted") in rels


def test_a_where_clause_of_something_else_places_nobody(nlp: Any) -> None:
    rels = _rels(nlp, "The talks took place in Dunmore, where the Red Hand Brigade was founded.")
    assert not any(t == "operates_in" for _, t, _, _ in rels)


# --- subjects through coordination ----------------------------------------------------------------

def test_an_active_verb_coordinated_with_a_passive_one_shares_its_subject(nlp: Any) -> None:
    rels = _rels(nlp, "Borealia sent help. More Borealian troops were sent to the valley and clashed with "
                      "Red Hand Brigade militants.")
    assert _has(rels, BOREALIA, "hostile_to", RHB)


def test_a_passive_coordination_does_not_make_the_victims_attackers(nlp: Any) -> None:
    rels = _rels(nlp, "Borealia mourned. Borealian soldiers were ambushed and killed by the Red Hand Brigade near Dunmore.")
    assert not any(s == BOREALIA and t == "hostile_to" and o != RHB for s, t, o, _ in rels)


# --- members named with their group ---------------------------------------------------------------

def test_a_plural_role_noun_before_a_list_of_persons_makes_each_a_member(nlp: Any) -> None:
    rels = _rels(nlp, "The cell included two senior Red Hand Brigade terrorists, Mira Tal, and Oren Vask, along with "
                      "three couriers.")
    assert {(MIRA, "member_of", RHB, "asserted"), (OREN, "member_of", RHB, "asserted")} <= rels


def test_a_plural_role_noun_before_one_person_is_no_title(nlp: Any) -> None:
    rels = _rels(nlp, "Red Hand Brigade officials, Mira Tal said, were told to leave.")
    assert (MIRA, "member_of", RHB, "asserted") not in rels


def test_a_possessive_pronoun_role_before_a_name(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade issued a statement saying its field commander Mira Tal was killed.")
    assert (MIRA, "member_of", RHB, "asserted") in rels


def test_a_unit_of_a_group_named_in_brackets_is_part_of_it(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade's counter-terrorism units (Night Watch) raided the house.")
    assert (WATCH, "part_of", RHB, "asserted") in rels


# --- verbs of defeating a foe ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The Red Hand Brigade remains committed to eradicating the Blue Order.",
    "In recent months, the Red Hand Brigade has cracked down on the Blue Order.",
    "Red Hand Brigade units eliminated a Blue Order cell near Dunmore.",
])
def test_verbs_of_defeating_make_hostile(nlp: Any, text: str) -> None:
    assert _has(_rels(nlp, text), RHB, "hostile_to", BLUE)


def test_a_group_noun_with_a_name_before_it_is_that_group(nlp: Any) -> None:
    text = ("Vale mourned the Blue Order's dead. The Red Hand Brigade (RHB) group has claimed responsibility "
            "for a bombing in Dunmore.")
    rels = _rels(nlp, text)
    assert (RHB, "operates_in", DUNMORE, "asserted") in rels
    assert (BLUE, "operates_in", DUNMORE, "asserted") not in rels


# --- first-person statements ----------------------------------------------------------------------

def test_we_in_a_spokesmans_statement_is_his_group(nlp: Any) -> None:
    text = ("\u201cWe attacked the Blue Order in Dunmore with a roadside bomb,\u201d claimed Mira Tal, "
            "a spokesperson for the Red Hand Brigade.")
    rels = _rels(nlp, text)
    assert _has(rels, RHB, "hostile_to", BLUE)
    assert (RHB, "operates_in", DUNMORE, "asserted") in rels


def test_we_in_the_articles_own_voice_is_nobody(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade is feared. We attacked the Blue Order near Dunmore, our readers may think.")
    assert not _has(rels, RHB, "hostile_to", BLUE)


# --- places of strongholds, targets, objects and "the country" ------------------------------------

@pytest.mark.parametrize("text", [
    "The last bombing was in the city of Dunmore \u2013 the Red Hand Brigade's historic stronghold \u2013 in March.",
    "Troops entered Dunmore, the Red Hand Brigade's stronghold, on Monday.",
])
def test_a_place_called_a_groups_stronghold_is_where_it_operates(nlp: Any, text: str) -> None:
    assert (RHB, "operates_in", DUNMORE, "asserted") in _rels(nlp, text)


def test_an_attack_on_a_target_in_a_place_places_the_attacker(nlp: Any) -> None:
    rels = _rels(nlp, "Red Hand Brigade fighters carried out two attacks on the Borealian army in the province of Vale.")
    assert (RHB, "operates_in", VALE, "asserted") in rels


def test_the_group_whose_cell_is_dismantled_in_a_place_operates_there(nlp: Any) -> None:
    rels = _rels(nlp, "Borealia's police dismantled a Red Hand Brigade cell in the village of Kessel on Monday.")
    assert (RHB, "operates_in", KESSEL, "asserted") in rels


def test_the_country_stands_for_the_articles_country(nlp: Any) -> None:
    text = ("The Red Hand Brigade fights in Arcadia. The group took over the country in 2021. "
            "Since then, the Blue Order has stepped up its raids in the country.")
    rels = _rels(nlp, text)
    assert (RHB, "operates_in", ARCADIA, "asserted") in rels
    assert (BLUE, "operates_in", ARCADIA, "asserted") in rels


def test_the_country_without_an_article_country_is_nowhere(nlp: Any) -> None:
    rels = _rels(nlp, "The Blue Order has stepped up its raids in the country.")
    assert not any(t == "operates_in" for _, t, _, _ in rels)


def test_plural_fighters_of_a_named_group_are_that_group(nlp: Any) -> None:
    rels = _rels(nlp, "The jihadists of the Red Hand Brigade on Sunday carried out two raids in the province of Vale.")
    assert (RHB, "operates_in", VALE, "asserted") in rels
    rels = _rels(nlp, "The Red Hand Brigade and the Blue Order are rivals. The two groups carried out raids in Vale.")
    assert not any(t == "operates_in" for _, t, _, _ in rels)


def test_the_militants_are_the_groups_people(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade struck twice. The militants later targeted a post in Dunmore.")
    assert (RHB, "operates_in", DUNMORE, "asserted") in rels


# --- help, sides and coordination ----------------------------------------------------------------

def test_a_possessive_noun_of_support_for_an_actor(nlp: Any) -> None:
    rels = _rels(nlp, "Borealia's support for the Red Hand Brigade has grown since 2019.")
    assert (BOREALIA, "supports", RHB, "asserted") in rels


def test_with_support_from_makes_a_supporter(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade seized the pass with support from Borealia.")
    assert (BOREALIA, "supports", RHB, "asserted") in rels


def test_fighting_alongside_makes_allies(nlp: Any) -> None:
    rels = _rels(nlp, "Red Hand Brigade fighters fought alongside the Blue Order near Dunmore.")
    assert (RHB, "ally_of", BLUE, "asserted") in rels or (BLUE, "ally_of", RHB, "asserted") in rels


def test_coordinated_subjects_of_a_clash_are_hostile(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade and the Blue Order clashed in Vale on Sunday.")
    assert _has(rels, RHB, "hostile_to", BLUE)
    rels = _rels(nlp, "The Red Hand Brigade and the Blue Order attacked Borealia's forces. Borealia said so.")
    assert not _has(rels, RHB, "hostile_to", BLUE)


# --- more ways of being somewhere, and of being on one side -----------------------------------------

def test_a_thing_destroyed_somewhere_places_the_destroyer(nlp: Any) -> None:
    rels = _rels(nlp, "Red Hand Brigade members destroyed a water pump in a clinic in Kessel.")
    assert (RHB, "operates_in", KESSEL, "asserted") in rels


def test_moving_to_a_place_is_operating_there(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade originated in Borealia and later relocated to Arcadia.")
    assert {(RHB, "operates_in", BOREALIA, "asserted"), (RHB, "operates_in", ARCADIA, "asserted")} <= rels


def test_taking_control_of_a_place(nlp: Any) -> None:
    rels = _rels(nlp, "The attack came after the Red Hand Brigade took control of the capital Dunmore in December.")
    assert (RHB, "operates_in", DUNMORE, "asserted") in rels


def test_a_named_group_noun_in_a_place(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade rebels group in eastern Arcadia said it had taken prisoners.")
    assert (RHB, "operates_in", ARCADIA, "asserted") in rels


def test_coordinated_subjects_that_cooperate_are_allies(nlp: Any) -> None:
    rels = _rels(nlp, "The Blue Order and the Night Watch decided to cooperate in military operations.")
    assert (BLUE, "ally_of", WATCH, "asserted") in rels or (WATCH, "ally_of", BLUE, "asserted") in rels


def test_a_side_and_its_allies_including_others(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade said it was attacked by the Blue Order and its allies, including the "
                      "Grey Wolves Front.")
    assert (BLUE, "ally_of", GREY, "asserted") in rels or (GREY, "ally_of", BLUE, "asserted") in rels
    assert _has(rels, BLUE, "hostile_to", RHB)


def test_fighting_between_them_and_another(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade said it had taken prisoners during heavy fighting between them and the "
                      "Blue Order.")
    assert _has(rels, RHB, "hostile_to", BLUE)


def test_fighting_between_two_sides_away_from_the_noun(nlp: Any) -> None:
    rels = _rels(nlp, "Fighting has been intense in Vale state between the Blue Order and the Red Hand Brigade.")
    assert _has(rels, BLUE, "hostile_to", RHB)


def test_a_base_located_in_a_place_that_a_group_captured(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade seized a police base located in the hills of Kessel.")
    assert (RHB, "operates_in", KESSEL, "asserted") in rels


def test_a_sub_leader_is_a_member(nlp: Any) -> None:
    rels = _rels(nlp, "Troops killed a Red Hand Brigade sub-leader named Mira Tal on Monday.")
    assert (MIRA, "member_of", RHB, "asserted") in rels
    assert (MIRA, "leads", RHB, "asserted") not in rels


@pytest.mark.parametrize("text", [
    "The Red Hand Brigade stormed Dunmore before dawn.",
    "Hundreds died after the Red Hand Brigade renewed its assault on Dunmore, the last stronghold of the army.",
    "The Red Hand Brigade has seized four towns, one in Vale and three in Dunmore.",
])
def test_striking_or_seizing_a_place_is_operating_there(nlp: Any, text: str) -> None:
    assert (RHB, "operates_in", DUNMORE, "asserted") in _rels(nlp, text)


def test_a_place_struck_by_a_state_is_not_its_area_of_operations(nlp: Any) -> None:
    rels = _rels(nlp, "Borealia bombed Dunmore on Monday.")
    assert not any(t == "operates_in" for _, t, _, _ in rels)


def test_its_rival_is_the_rival_of_a_belligerent(nlp: Any) -> None:
    text = ("The Red Hand Brigade has grown. A report by the Night Watch counted its fighters. "
            "It is also at war with its old rival, the Blue Order.")
    rels = _rels(nlp, text)
    assert _has(rels, RHB, "hostile_to", BLUE)
    assert not _has(rels, WATCH, "hostile_to", BLUE)


def test_a_name_that_only_modifies_the_rival_is_not_the_rival(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade fought the army and its rival, the Blue Order-aligned militia, near Dunmore.")
    assert not _has(rels, BLUE, "hostile_to", RHB)


def test_who_a_relative_clause_accuses_is_its_head(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade has often raided villages it accuses of cooperating with the Blue Order.")
    assert not any(t == "ally_of" and RHB in (s, o) for s, t, o, _ in rels)


def test_troops_from_a_force_stand_for_it(nlp: Any) -> None:
    rels = _rels(nlp, "Troops from the Night Watch fought alongside the Blue Order near Dunmore.")
    assert (WATCH, "ally_of", BLUE, "asserted") in rels or (BLUE, "ally_of", WATCH, "asserted") in rels


def test_a_group_named_after_its_parent_and_part_noun(nlp: Any) -> None:
    rels = _rels(nlp, "Dozens died in an attack by the Red Hand Brigade affiliate, the Grey Wolves Front, in Vale.")
    assert (GREY, "part_of", RHB, "asserted") in rels


def test_an_unnamed_affiliate_of_a_group_is_not_the_group(nlp: Any) -> None:
    rels = _rels(nlp, "The raid took place near Dunmore, where fighters from a Red Hand Brigade affiliate killed four soldiers.")
    assert (RHB, "operates_in", DUNMORE, "asserted") not in rels


# --- what a denier's own description says is not what it denies ------------------------------------

@pytest.mark.parametrize("text", [
    "The Red Hand Brigade, which operates in Vale, denied the report.",
    "The Vale-based Red Hand Brigade rejected the report.",
])
def test_a_description_of_the_denier_is_not_denied(nlp: Any, text: str) -> None:
    rels = _rels(nlp, text)
    assert (RHB, "operates_in", VALE, "asserted") in rels
    assert (RHB, "operates_in", VALE, "denied") not in rels


def test_a_claim_that_is_the_subject_of_a_denial_is_denied(nlp: Any) -> None:
    rels = _rels(nlp, "Claims that Borealia funds the Red Hand Brigade were rejected by Borealia.")
    assert (BOREALIA, "supports", RHB, "denied") in rels


def test_a_passive_alliance(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade is allied with the Blue Order, which is active in Vale and Kessel.")
    assert (RHB, "ally_of", BLUE, "asserted") in rels or (BLUE, "ally_of", RHB, "asserted") in rels
    assert {(BLUE, "operates_in", VALE, "asserted"), (BLUE, "operates_in", KESSEL, "asserted")} <= rels


def test_people_named_after_a_persons_name_word_are_not_that_person(nlp: Any) -> None:
    text = "Mira Tal spoke for the Red Hand Brigade. Tal insurgents have long fought the Blue Order."
    ctx = _context(text, nlp(text))
    start = text.index("Tal insurgents")
    sent = ctx.sentence_of(start)
    ctx.mentions.append(Mention("d1", start, start + 3, "Tal", "person", MIRA, sent_start=sent.start_char if sent else 0,
                                sent_end=sent.end_char if sent else len(text)))
    ctx.mentions.sort(key=lambda m: m.start)
    rels = {(r.subject_key, r.type, r.object_key) for r in extract_relations(ctx)}
    assert (MIRA, "hostile_to", BLUE) not in rels and (BLUE, "hostile_to", MIRA) not in rels
