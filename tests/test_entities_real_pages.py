"""Entity mechanisms that real pages need, on invented names and places (see tests/test_events.py).

Some tests run the whole model on invented sentences; the rule tests at the end build their parse by
hand (``Doc(vocab, words=..., ents=...)``) so that a model update cannot change what they test.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.tokens import Doc, Span

from sitrep.config import Settings
from sitrep.data import load_gazetteer
from sitrep.extract.context import ExtractionContext
from sitrep.extract.entities import extract_entities, find_mentions
from sitrep.extract.entities_ner import widen_known_tails
from sitrep.extract.entities_places import place_context
from sitrep.extract.entities_refine import drop_headline_artefacts
from sitrep.extract.entities_state import EntityState, Found, is_title_case
from sitrep.extract.entities_words import EntityWordsError, load_entity_words, parse_entity_words
from sitrep.models import PLACE_KINDS, Document, content_hash
from sitrep.nlp import get_nlp


@pytest.fixture(scope="module")
def nlp() -> Any:
    return get_nlp()


def run(nlp: Any, text: str) -> ExtractionContext:
    digest = content_hash(text)
    doc = Document(id=digest[:16], source="test", raw=text, text=text, content_hash=digest)
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=load_gazetteer())
    extract_entities(ctx)
    return ctx


def entity_of(ctx: ExtractionContext, surface: str) -> Any:
    for m in ctx.mentions:
        if m.text == surface:
            return ctx.entities[m.entity_key]
    return None


def names(ctx: ExtractionContext) -> set[str]:
    return {e.name for e in ctx.entities.values()}


def all_aliases(ctx: ExtractionContext) -> set[str]:
    return {a for e in ctx.entities.values() for a in (e.name, *e.aliases)}


# --- false actors out ---------------------------------------------------------------------------


def test_weapons_and_common_nouns_are_not_actors(nlp: Any) -> None:
    ctx = run(nlp, "An Improvised Explosive Device struck a convoy near Kessel. The VBIED was hidden in a truck. "
                   "The Mujahideen praised Islam, a statement from the Red Hand Brigade said.")
    found = all_aliases(ctx)
    assert not {"Improvised Explosive Device", "VBIED", "Mujahideen", "Islam"} & found
    assert "Red Hand Brigade" in found


def test_headline_fragments_are_dropped_but_body_names_kept(nlp: Any) -> None:
    text = ("Red Hand Brigade Ambushes Patrol Near Kessel, Kills Four Guards\n\n"
            "The Red Hand Brigade ambushed a patrol near Kessel on Monday, the Arcadian army said.\n")
    ctx = run(nlp, text)
    found = all_aliases(ctx)
    assert not any("Kills" in n or "Ambushes" in n for n in found)
    assert "Red Hand Brigade" in found


def test_counted_soldiers_are_people_not_the_army(nlp: Any) -> None:
    ctx = run(nlp, "Gunmen killed 28 Malian soldiers near a well on Tuesday.")
    assert not any(e.kind == "organization" for e in ctx.entities.values())


def test_government_is_the_state_acting(nlp: Any) -> None:
    ctx = run(nlp, "The Malian government condemned the attack.")
    gov = next(e for e in ctx.entities.values() if e.name == "Government of Mali")
    assert gov.kind == "state"


# --- missed actors in -------------------------------------------------------------------------------


def test_forces_named_by_their_country_or_city(nlp: Any) -> None:
    ctx = run(nlp, "The Red Hand Brigade attacked Malian forces near Gao. Gao police spokesman Amadou Kessel "
                   "said two officers were hurt.")
    army = entity_of(ctx, "Malian forces")
    assert army is not None and army.key == "actor:mali-army"  # the gazetteer's record of Mali's army
    police = next(e for e in ctx.entities.values() if e.name == "Gao police")
    assert police.kind == "organization" and "Gao police" in police.aliases


def test_force_noun_as_adjective_is_no_actor(nlp: Any) -> None:
    ctx = run(nlp, "Talks on the Malian military withdrawal from the north resumed on Friday.")
    assert not any(e.kind == "organization" for e in ctx.entities.values())


def test_outlets_named_by_their_titles(nlp: Any) -> None:
    ctx = run(nlp, "According to details received by The Kessel Post, a bus was hit. Arcadia Media Center "
                   "published photographs of the site.")
    found = all_aliases(ctx)
    assert "Kessel Post" in names(ctx) or "The Kessel Post" in found
    assert "Arcadia Media Center" in found


def test_unknown_acronym_joins_the_name_of_its_initials(nlp: Any) -> None:
    ctx = run(nlp, "The Kessel Frontier Guard patrolled the border. Two KFG posts were shelled.")
    guard = entity_of(ctx, "Kessel Frontier Guard")
    assert guard is not None and entity_of(ctx, "KFG") is guard


def test_kunya_names_a_person_not_the_town(nlp: Any) -> None:
    ctx = run(nlp, "The cell was led by Abu Hawija, a senior commander of the Red Hand Brigade.")
    person = entity_of(ctx, "Abu Hawija")
    assert person is not None and person.kind == "person"
    assert not any(e.kind in PLACE_KINDS for e in ctx.entities.values())


def test_alias_joins_two_names_of_one_person(nlp: Any) -> None:
    ctx = run(nlp, "The group named its commander Bakir Talvon alias Ruzmat as the man killed in the raid.")
    talvon = entity_of(ctx, "Bakir Talvon")
    assert talvon is not None
    assert all(e.kind == "person" and e.key == talvon.key for e in ctx.entities.values() if e.name != "group")


def test_a_name_ending_like_a_known_group_is_another_group(nlp: Any) -> None:
    ctx = run(nlp, "In Myanmar, the Kessel National Liberation Army said it captured a town in Shan state.")
    assert "actor:eln" not in ctx.entities  # Colombia's National Liberation Army
    assert any("Kessel National Liberation Army" == e.name for e in ctx.entities.values())


def test_generic_known_name_needs_its_country_in_sight(nlp: Any) -> None:
    colombia = run(nlp, "The National Liberation Army attacked a base in Colombia.")
    myanmar = run(nlp, "The National Liberation Army attacked a base in Myanmar.")
    assert "actor:eln" in colombia.entities
    assert "actor:eln" not in myanmar.entities


def test_forces_named_after_their_state(nlp: Any) -> None:
    ctx = run(nlp, "Col. Edgard Vanko, who speaks for the Armed Forces of the Philippines' press office, spoke.")
    assert any(e.name.startswith("Armed Forces of the Philippines") for e in ctx.entities.values())


def test_nationality_before_a_person_is_not_an_organisation(nlp: Any) -> None:
    ctx = run(nlp, "Gunmen seized two tourists, Kessler and Filipina Ana Ruvalo, from a resort on Arcadia Island.")
    assert not any(e.kind == "organization" and "Ruvalo" in e.name for e in ctx.entities.values())
    assert {e.kind for e in ctx.entities.values() if e.name.startswith("Arcadia Island")} <= set(PLACE_KINDS)


def test_organisation_named_after_a_known_place(nlp: Any) -> None:
    ctx = run(nlp, "The attack was condemned by the Kandahar Resistance Committee in a statement on Friday.")
    committee = entity_of(ctx, "Kandahar Resistance Committee")
    assert committee is not None and committee.kind == "organization"


def test_generic_word_before_a_place_is_peeled(nlp: Any) -> None:
    ctx = run(nlp, "Fighting spread in Kesharan state of Myanmar. Local Kesharan media said the army withdrew.")
    assert not any(e.kind == "person" for e in ctx.entities.values())


# --- places --------------------------------------------------------------------------------------------


def test_place_names_with_an_apostrophe(nlp: Any) -> None:
    ctx = run(nlp, "Gunmen overran a post in Kesh'a village, in Diyala province of Iraq.")
    place = entity_of(ctx, "Kesh'a village") or entity_of(ctx, "Kesh'a")
    assert place is not None and place.kind in PLACE_KINDS


def test_unknown_places_from_context(nlp: Any) -> None:
    ctx = run(nlp, "The bomb went off in the Dorvan Kest area of Balochistan, and militants fled to Pidrakon "
                   "village in Pakistan.")
    kinds = {e.name: e.kind for e in ctx.entities.values()}
    assert kinds.get("Dorvan Kest") in PLACE_KINDS
    assert kinds.get("Pidrakon") in PLACE_KINDS


def test_place_found_by_context_is_a_place_everywhere_in_the_document(nlp: Any) -> None:
    ctx = run(nlp, "Wad Kessara village was attacked on Monday. Residents of Wad Kessara said the attackers "
                   "came from the east, in Sudan.")
    assert {m.label for m in ctx.mentions if m.text == "Wad Kessara"} <= set(PLACE_KINDS)


def test_names_listed_with_places_are_places(nlp: Any) -> None:
    ctx = run(nlp, "Shells fell on Goma, Kitchara, Bwizolo and Rutshuru in Congo.")
    entity = entity_of(ctx, "Bwizolo")
    assert entity is None or entity.kind in PLACE_KINDS
    assert not any(e.kind == "person" for e in ctx.entities.values())


def test_world_gazetteer_places_of_the_article_country(nlp: Any) -> None:
    ctx = run(nlp, "Fighters ambushed a convoy near Jamrud in Pakistan.")
    jamrud = entity_of(ctx, "Jamrud")
    assert jamrud is not None and jamrud.kind in PLACE_KINDS
    assert jamrud.country == "PK" and jamrud.lat is not None


def test_historical_region_from_the_data(nlp: Any) -> None:
    ctx = run(nlp, "The group is active across the Khorasan region, its leaders say.")
    region = entity_of(ctx, "Khorasan region") or entity_of(ctx, "Khorasan")
    assert region is not None and region.kind == "region"


def test_slash_names_of_one_place(nlp: Any) -> None:
    ctx = run(nlp, "Its cells operate in Turkish-held areas such as Geri Spi/Tal Abyad in Syria.")
    assert entity_of(ctx, "Geri Spi") is entity_of(ctx, "Tal Abyad")


# --- rules on hand-built parses ------------------------------------------------------------------------


def _state(words: list[str], spaces: list[bool] | None = None, **kwargs: Any) -> EntityState:
    vocab = get_nlp().vocab
    doc = Doc(vocab, words=words, spaces=spaces, **kwargs)
    return EntityState(doc, load_gazetteer(), Settings())


def test_title_case_lines() -> None:
    minor = load_entity_words().minor_words
    assert is_title_case("Gunmen Kill Three Guards in Raid on Kessel Market", minor)
    assert not is_title_case("Gunmen killed three guards in a raid on the Kessel market", minor)
    assert not is_title_case("The dead were named as Ana Roe, Ben Doe, Cal Poe and Dan Moe.", minor)


def test_place_context_cues() -> None:
    st = _state(["Fighters", "hit", "Dorvan", "area", "and", "the", "town", "of", "Kest", "near", "Pidrakon"])
    assert place_context(st, st.doc[2:3]) == ("district", True)  # "X area"
    assert place_context(st, st.doc[8:9])[1] is True  # "the town of X"
    assert place_context(st, st.doc[10:11]) == (None, False)  # "near X": weak
    assert place_context(st, st.doc[0:1]) == (None, None)


def test_place_kind_word_before_a_title_is_no_cue() -> None:
    st = _state(["Sohar", "District", "Governor", "Kessel", "spoke"], pos=["PROPN", "PROPN", "PROPN", "PROPN", "VERB"])
    assert place_context(st, st.doc[0:1]) == (None, None)


def test_widen_known_tails_on_a_hand_built_parse() -> None:
    words = ["The", "Kessel", "National", "Liberation", "Army", "attacked", "."]
    st = _state(words, pos=["DET", "PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PUNCT"])
    doc = st.doc
    doc.ents = [Span(doc, 2, 5, label="ORG", span_id="actor:eln")]
    st.ents = list(doc.ents)
    widen_known_tails(st)
    assert [(e.text, e.id_) for e in st.ents] == [("Kessel National Liberation Army", "")]


def test_names_the_model_cut_short_are_completed() -> None:
    words = ["Guards", "named", "as", "Rodrigo", "Anselmo", "Varga", ",", "Tomas", "Ruiz", "Albeda", ",", "died", "."]
    spaces = [True, True, True, True, True, False, True, True, True, False, True, False, False]
    st = _state(words, spaces=spaces, pos=["NOUN", "VERB", "ADP", "PROPN", "PROPN", "PROPN", "PUNCT", "PROPN",
                                           "PROPN", "PROPN", "PUNCT", "VERB", "PUNCT"],
                sent_starts=[True] + [False] * 12, ents=["O", "O", "O", "O", "B-PERSON", "I-PERSON", "O",
                                                         "B-PERSON", "I-PERSON", "O", "O", "O", "O"])
    people = {f.name for f in find_mentions(st) if f.kind == "person"}
    assert people == {"Rodrigo Anselmo Varga", "Tomas Ruiz Albeda"}


def test_organisation_cut_by_a_place_after_of_is_joined() -> None:
    words = ["the", "Armed", "Forces", "of", "Arcadia", "said"]
    st = _state(words, pos=["DET", "PROPN", "PROPN", "ADP", "PROPN", "VERB"])
    doc = st.doc
    doc.ents = [Span(doc, 0, 4, label="ORG"), Span(doc, 4, 5, label="GPE", span_id="place:AF")]
    st.ents = list(doc.ents)
    widen_known_tails(st)
    assert [(e.text, e.label_) for e in st.ents] == [("the Armed Forces of Arcadia", "ORG")]


def test_headline_artefact_filter_keeps_a_credit_line() -> None:
    text_words = ["Kessel", "Media", "Center", "\n", "Gunmen", "Storm", "Arcadia", "Post", "Office"]
    st = _state(text_words, spaces=[True, True, False, False, True, True, True, True, False])
    credit = Found(0, 19, "Kessel Media Center", "organization", "org:kessel-media-center", "cue",
                   "Kessel Media Center", guessed=True)
    start = st.text.index("Arcadia")
    artefact = Found(start, start + len("Arcadia Post Office"), "Arcadia Post Office", "organization",
                     "org:arcadia-post-office", "ner", "Arcadia Post Office", guessed=True)
    kept = drop_headline_artefacts(st, [credit, artefact])
    assert kept == [credit]


def test_word_file_rejects_unknown_keys_and_bad_values() -> None:
    with pytest.raises(EntityWordsError, match="unknown key 'colour_words'"):
        parse_entity_words({"colour_words": ["red"]}, "entity_words.yaml")
    with pytest.raises(EntityWordsError, match="entity_words.yaml: key 'pronouns'"):
        parse_entity_words({"pronouns": "he"}, "entity_words.yaml")
    words = load_entity_words()
    assert "the" in words.determiners and "IED" in words.weapon_terms
