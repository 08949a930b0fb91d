"""A catalogue of invented news sentences from many conflicts: unknown armed groups found by their
name's head or their context, security forces named by country or office, people with titles, villages
and towns, and words that must not become actors (headline words, common nouns).

Every group, person and village here is invented, so the gazetteer cannot know them: what finds them is
the mechanism (name shape, cue words, the article's countries).  A case lists what must be found, as
``(surface, kind)`` where kind is an actor kind, ``"place"`` (any place kind) or ``"place:CC"`` (a place
in country CC), what must not be an actor, and what must be no entity at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from sitrep.data import load_gazetteer
from sitrep.extract.context import ExtractionContext
from sitrep.extract.entities import extract_entities
from sitrep.models import PLACE_KINDS, Document, content_hash


@dataclass(frozen=True)
class Case:
    text: str
    found: tuple[tuple[str, str], ...] = ()
    not_actors: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()  # neither actor nor place


CASES: dict[str, Case] = {
    # --- armed groups unknown to the gazetteer, by the head of their name ---------------------
    "front": Case("Fighters of the Velmora Liberation Front ambushed a convoy on Tuesday, officials said.",
                  (("Velmora Liberation Front", "armed_group"),)),
    "brigade": Case("The Karsi Martyrs Brigade said it had fired rockets at the airport.",
                    (("Karsi Martyrs Brigade", "armed_group"),)),
    "brigade_before_a_speaker": Case("The Sorel Network backs the Karsi Martyrs Brigade, a spokesman for the "
                                     "network said on Monday.", (("Karsi Martyrs Brigade", "armed_group"),),
                                     ),
    "movement_acronym": Case("The Ostrava Patriotic Movement (OPM) claimed the attack. OPM gunmen later fled "
                             "into the hills.", (("Ostrava Patriotic Movement", "armed_group"), ("OPM", "armed_group"))),
    "army": Case("Clashes broke out between soldiers and the Free Tolani Army near the border.",
                 (("Free Tolani Army", "armed_group"),)),
    "forces": Case("The Kessel Defence Forces, a rebel group, seized two villages overnight.",
                   (("Kessel Defence Forces", "armed_group"),)),
    "council": Case("The Varan Military Council said its fighters had repelled an attack on Sunday.",
                    (("Varan Military Council", "armed_group"),)),
    "shura_council": Case("The Mujahideen Shura Council of Dalmar claimed the rocket fire.",
                          (("Mujahideen Shura Council of Dalmar", "armed_group"),)),
    "popular_front_of": Case("The Popular Front for the Liberation of Tessar (PFLT) said it shot down a drone. "
                             "The PFLT has fought the government since 2011.",
                             (("Popular Front for the Liberation of Tessar", "armed_group"), ("PFLT", "armed_group"))),
    "militiamen_of": Case("Dabira militiamen torched houses in two villages, local officials said.",
                          (("Dabira", "armed_group"),)),
    "restoration_forces": Case("Separatists of the Tessam Restoration Forces killed two gendarmes on Monday.",
                               (("Tessam Restoration Forces", "armed_group"),)),
    "cartel": Case("Police blamed the Zaltero Cartel for the killings of six men in the market.",
                   (("Zaltero Cartel", "armed_group"),)),
    "gang": Case("Members of the Red Viper Gang kidnapped 14 passengers from a bus on Saturday.",
                 (("Red Viper Gang", "armed_group"),)),
    "militia": Case("The Bakuru Militia attacked a camp for displaced people, killing nine.",
                    (("Bakuru Militia", "armed_group"),)),
    "coalition": Case("The rebel coalition, known as the Alliance of Tessar Patriots, took control of the town.",
                      (("Alliance of Tessar Patriots", "armed_group"),)),
    "self_defence": Case("A local self-defence group, the Dombo Hunters, said it had repelled the raid.",
                         (("Dombo Hunters", "armed_group"),)),
    "dissident": Case("A dissident faction calling itself the Kirov Revolutionary Vanguard rejected the deal.",
                      (("Kirov Revolutionary Vanguard", "armed_group"),)),
    "jihadist_described": Case("Jihadists of Ansar al-Kormi stormed the checkpoint before dawn.",
                               (("Ansar al-Kormi", "armed_group"),)),
    "claimed_by": Case("The bombing was claimed by Jund al-Tahrir, a little-known group.",
                       (("Jund al-Tahrir", "armed_group"),)),
    "insurgents_named": Case("Insurgents from the Marak People's Resistance burned the police station.",
                             (("Marak People's Resistance", "armed_group"),)),
    "gang_lower_head": Case("The Bravo Kinto gang has controlled the port district since 2021, police said.",
                            (("Bravo Kinto", "armed_group"),)),
    "cartel_known_as": Case("A criminal group known as the Tessa Norte Cartel claimed the killings.",
                            (("Tessa Norte Cartel", "armed_group"),)),
    "militia_called": Case("A militia called Kaltu Rangers raided the market in Dembi on Thursday.",
                           (("Kaltu Rangers", "armed_group"),)),
    "rights_group_known_as": Case("A rights group known as the Marel Justice Forum documented the abuses.",
                                  (("Marel Justice Forum", "organization"),)),
    "group_before_name": Case("The rebel group Tessaro Union said it had captured the town.",
                              (("Tessaro Union", "armed_group"),)),
    "armed_group_before_person_like": Case("The armed group Bako Haram Nadi kidnapped 20 pupils.",
                                           (("Bako Haram Nadi", "armed_group"),)),
    "rights_group_before_name": Case("The rights group Tessar Watch Forum said the army killed civilians.",
                                     (("Tessar Watch Forum", "organization"),)),
    "village_called": Case("Gunmen attacked a village called Kessamba near the river.", (("Kessamba", "place"),)),
    "named_after_province": Case("Fighters of the Ituri Patriotic Front attacked Bunia.",
                                 (("Ituri Patriotic Front", "armed_group"),)),
    "named_after_region_army": Case("The Darfur Liberation Army denied the attack.",
                                    (("Darfur Liberation Army", "armed_group"),)),
    "self_defence_group_of_town": Case("The Mopti Self-Defence Group clashed with jihadists near Djenne.",
                                       (("Mopti Self-Defence Group", "armed_group"),)),
    "city_police_is_no_place": Case("Kabul Police and Kandahar officials said the road was open.",
                                    (("Police", "organization"),)),  # the city's police, not a third place
    "movement_for_the_x_of_y": Case("Tuareg fighters of the Movement for the Salvation of Azawadi Kessar attacked "
                                    "Menaka.", (("Movement for the Salvation of Azawadi Kessar", "armed_group"),),
                                    ("Azawadi Kessar",)),
    "two_of_names_joined_by_and": Case("Troops of the Army of Kessel and the Forces of the Vale attacked.",
                                       (("Army of Kessel", "armed_group"), ("Forces of the Vale", "armed_group"))),
    "clan_militia": Case("Witnesses said men of the Kolwe clan militia opened fire.", (("Kolwe", "armed_group"),)),
    "leader_known_as": Case("The gang leader, known as Bravo Denk, was arrested in Kessa.",
                            (("Bravo Denk", "person"), ("Kessa", "place"))),
    "leader_in_apposition": Case("Kessel Dorvan, a militia leader, was killed on Friday.",
                                 (("Kessel Dorvan", "person"),)),
    # --- security forces named by country or by office -----------------------------------------
    "national_army": Case("The Cameroonian army said its soldiers had killed 12 militants in the Far North.",
                          (("Cameroonian army", "organization"),)),
    "national_police": Case("The Nigerian police said three officers were wounded in the attack.",
                            (("Nigerian police", "organization"),)),
    "army_spokesman": Case("Army spokesman Colonel Brano Kettel said the base had been retaken.",
                           (("Brano Kettel", "person"),), ("Army spokesman",)),
    "police_chief": Case("Regional police chief Amadou Sekoura told reporters the road was closed.",
                         (("Amadou Sekoura", "person"),)),
    "numbered_unit": Case("Soldiers of the 23rd Infantry Brigade of the Malian army retook the camp.",
                          (), ("23rd Infantry Brigade",)),
    "minister": Case("Interior Minister Salif Korane said the curfew would be extended.",
                     (("Salif Korane", "person"),)),
    "counted_special_forces": Case("Gunmen killed four US Special Forces and two police officers.", (),
                                   ("US Special Forces", "Special Forces")),
    # --- people with titles ----------------------------------------------------------------------
    "general": Case("Brigadier General Tomas Verhoek, the commander of the operation, visited the front.",
                    (("Tomas Verhoek", "person"),)),
    "governor": Case("Governor Amina Tessaro condemned the attack in a statement on Monday.",
                     (("Amina Tessaro", "person"),)),
    "leader_apposition": Case("The group's leader, Kofi Marrant, was killed in the raid, the army said.",
                              (("Kofi Marrant", "person"),)),
    "commander_named": Case("A rebel commander known as Idris Bankolo said his men would not disarm.",
                            (("Idris Bankolo", "person"),)),
    "abbreviated_rank": Case("Lt. Col. Marek Dansou, who leads the task force, said the road was open.",
                             (("Marek Dansou", "person"),)),
    "warlord": Case("Fighters loyal to warlord Abdi Koraneh shelled the market.", (("Abdi Koraneh", "person"),)),
    "defence_minister": Case("Defence Minister Oumar Tessaly visited the wounded in hospital.",
                             (("Oumar Tessaly", "person"),), ("Defence",)),
    "police_commissioner": Case("Police Commissioner Danjuma Kolo said four suspects had been arrested.",
                                (("Danjuma Kolo", "person"),)),
    # --- villages and towns ----------------------------------------------------------------------
    "village_of": Case("Gunmen killed five farmers in the village of Ndakoro on Sunday.",
                       (("Ndakoro", "place"),)),
    "village_after": Case("Residents fled Kembelu village after the attack.", (("Kembelu", "place"),)),
    "town_of_country": Case("In Cameroon, militants raided the town of Barekoum in the Far North region.",
                            (("Barekoum", "place:CM"),)),
    "near_locality": Case("The attack took place near Tessiwa, a locality 40 km from Mopti in central Mali.",
                          (("Tessiwa", "place:ML"),)),
    "world_town": Case("In Cameroon, soldiers repelled an attack on Mokolo on Friday.",
                       (("Mokolo", "place:CM"),)),
    "world_town_other": Case("In Niger, gunmen on motorbikes attacked Tillaberi on Sunday.",
                             (("Tillaberi", "place:NE"),)),
    "place_before_its_state": Case("Gunmen killed 12 people in Tessaba, Borno State, on Sunday.",
                                   (("Tessaba", "place:NG"),)),
    "area_of_state": Case("Bandits attacked the Kessa area of Zamfara state.", (("Kessa", "place:NG"),)),
    "two_villages": Case("Militants raided Kessa and Dorma villages in Tillaberi region.",
                         (("Kessa", "place"), ("Dorma", "place")), ("Kessa",)),
    "list_of_villages": Case("Troops cleared the villages of Kessa, Dorma and Lokobo in North Kivu.",
                             (("Kessa", "place:CD"), ("Dorma", "place:CD"), ("Lokobo", "place:CD"))),
    "local_government_area": Case("The attack happened in the Kessama local government area of Katsina State.",
                                  (("Kessama", "place"),), ("Kessama",)),
    "distance_from": Case("Fighting broke out at Dimbelo, about 30 km north of Goma.", (("Dimbelo", "place"),)),
    "near_unknown_town": Case("The ambush near Ouarkadi in Burkina Faso's Boucle du Mouhoun region killed ten.",
                              (("Ouarkadi", "place:BF"),)),
    "not_places_after_prepositions": Case("He spoke around Eid in Arabic with reporters near Parliament.", (),
                                          absent=("Eid", "Arabic")),
    # --- things that are not actors --------------------------------------------------------------
    "headline_caps": Case("Gunmen Kill Twelve In Overnight Raid\n\nGunmen killed twelve people overnight.",
                          (), ("Gunmen Kill Twelve", "Overnight Raid", "Gunmen")),
    "common_plurals": Case("Security Forces and Local Residents said the Militants had left before dawn.",
                           (), ("Security Forces", "Local Residents", "Militants")),
    "generic_police": Case("Police said the Army had sent reinforcements to the area.", (), ("Police", "Army")),
    "bandits": Case("Armed Bandits abducted dozens of pupils, Witnesses said.", (), ("Armed Bandits", "Witnesses")),
    "read_more": Case("Read More: Attack On Base\n\nThe attack on the base left two dead.", (),
                      ("Read More", "Attack On Base")),
    "breaking_headline": Case("BREAKING: Militants Storm Base In Northern Tessar\n\nMilitants stormed a base.",
                              (), ("Militants Storm Base", "BREAKING")),
    "front_line": Case("Fighting raged along the front line and the northern front for a week.", (),
                       ("front line", "northern front")),
}


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower().removeprefix("the "))


def _run(nlp: Any, text: str) -> ExtractionContext:
    from sitrep.config import Settings

    digest = content_hash(text)
    doc = Document(id=digest[:16], source="test", raw=text, text=text, content_hash=digest)
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=load_gazetteer(), settings=Settings())
    extract_entities(ctx)
    return ctx


def _entity_named(ctx: ExtractionContext, surface: str) -> Any:
    want = _norm(surface)
    for m in ctx.mentions:
        if _norm(m.text) == want:
            return ctx.entities[m.entity_key]
    for ent in ctx.entities.values():
        if want in {_norm(n) for n in (ent.name, *ent.aliases)}:
            return ent
    return None


@pytest.mark.parametrize("name", sorted(CASES))
def test_catalogue(nlp: Any, name: str) -> None:
    case = CASES[name]
    ctx = _run(nlp, case.text)
    for surface, kind in case.found:
        ent = _entity_named(ctx, surface)
        assert ent is not None, f"{surface!r} not found; entities: {[e.name for e in ctx.entities.values()]}"
        if kind.startswith("place"):
            assert ent.kind in PLACE_KINDS, (surface, ent.kind)
            if ":" in kind:
                assert ent.country == kind.split(":", 1)[1], (surface, ent.country)
        else:
            assert ent.kind == kind, (surface, ent.kind)
    for surface in case.not_actors:
        ent = _entity_named(ctx, surface)
        assert ent is None or ent.kind in PLACE_KINDS, f"{surface!r} became an actor of kind {ent.kind}"
    for surface in case.absent:
        ent = _entity_named(ctx, surface)
        assert ent is None, f"{surface!r} became an entity of kind {ent.kind}"
