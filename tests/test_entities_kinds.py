"""Unknown names get their kind from how the article describes them; the ablation gazetteer keeps only
global bodies.  Invented names and places only."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.config import Settings
from sitrep.data import core_actors, load_actors, load_gazetteer
from sitrep.extract.context import ExtractionContext
from sitrep.extract.entities import extract_entities
from sitrep.models import PLACE_KINDS, Document, content_hash
from sitrep.nlp import get_nlp


@pytest.fixture(scope="module")
def nlp() -> Any:
    return get_nlp()


def kinds(nlp: Any, text: str) -> dict[str, str]:
    digest = content_hash(text)
    doc = Document(id=digest[:16], source="test", raw=text, text=text, content_hash=digest)
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=load_gazetteer(), settings=Settings())
    extract_entities(ctx)
    return {m.text: ctx.entities[m.entity_key].kind for m in ctx.mentions if m.entity_key in ctx.entities}


@pytest.mark.parametrize(("text", "name", "kind"), [
    ("Kessel Zorro, a rebel group, attacked a convoy near Duvanne on Monday.", "Kessel Zorro", "armed_group"),
    ("Fighters of the Tavira gang burned houses in Duvanne, residents said.", "Tavira", "armed_group"),
    ("Fighters of Los Morenos, a criminal gang, attacked a market on Monday.", "Los Morenos", "armed_group"),
])
def test_described_group_is_an_armed_group(nlp: Any, text: str, name: str, kind: str) -> None:
    assert kinds(nlp, text).get(name) == kind


def test_a_rights_group_is_an_organisation_not_an_armed_group(nlp: Any) -> None:
    found = kinds(nlp, "Vigil Arcadia, a human rights group, said the attack on Duvanne killed nine people.")
    assert found.get("Vigil Arcadia") == "organization"


def test_described_village_stays_a_place(nlp: Any) -> None:
    found = kinds(nlp, "Gunmen attacked Duvanne, a village in the north, on Monday, officials said.")
    assert found.get("Duvanne") in PLACE_KINDS


def test_known_place_is_not_rekinded_by_a_group_noun_after_it(nlp: Any) -> None:
    found = kinds(nlp, "The militants attacked Kabul on Friday; a militia leader spoke to reporters.")
    assert found.get("Kabul") in PLACE_KINDS


def test_core_actors_keep_global_bodies_only() -> None:
    core = core_actors(load_actors())
    assert core and all(a.kind == "organization" and a.country is None for a in core)
    assert len(core) < len(load_actors())
    assert any(a.name == "United Nations" for a in core)
    gaz = load_gazetteer(None, True)
    assert gaz.actor("United Nations") is not None
    assert gaz.actor("Taliban") is None and load_gazetteer().actor("Taliban") is not None


def test_settings_reject_a_negative_ablation_flag() -> None:
    from sitrep.config import SettingsError, _apply

    assert _apply(Settings(), {"builtin_actors": 0}, "test").builtin_actors == 0
    with pytest.raises(SettingsError):
        _apply(Settings(), {"builtin_actors": -1}, "test")


def test_the_army_joins_the_force_the_article_names(nlp: Any) -> None:
    text = ("Gunmen attacked a checkpoint near Duvanne in northern Mozambique on Monday, and Mozambican "
            "forces fought back. The army said it killed six attackers. State security forces later sealed "
            "the area.")
    digest = content_hash(text)
    doc = Document(id=digest[:16], source="test", raw=text, text=text, content_hash=digest)
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=load_gazetteer(), settings=Settings())
    extract_entities(ctx)
    key = {m.text: m.entity_key for m in ctx.mentions}
    assert key["army"] == key["Mozambican forces"] == key["State security forces"]


def test_the_army_alone_is_no_actor_and_an_army_of_volunteers_none(nlp: Any) -> None:
    found = kinds(nlp, "Gunmen attacked Duvanne in northern Mozambique. The army said it killed six of them. "
                       "Residents said an army of volunteers had formed.")
    assert "army" not in found


@pytest.mark.parametrize("name", ["Clan del Valle", "Estado Mayor de Bloques Unidos"])
def test_foreign_group_names_are_whole_armed_groups(nlp: Any, name: str) -> None:
    found = kinds(nlp, f"Officials said the {name} recruited children near Duvanne, in Arcadia, last year.")
    assert found.get(name) == "armed_group"


def test_a_number_opening_a_gang_name_is_part_of_it(nlp: Any) -> None:
    found = kinds(nlp, "Members of the 300 Zorros gang and the G-Nueve alliance fought in Port-au-Prince, Haiti.")
    assert found.get("300 Zorros") == "armed_group"
    assert found.get("G-Nueve") == "armed_group"


def test_a_name_described_as_a_village_is_a_place(nlp: Any) -> None:
    found = kinds(nlp, "Gunmen attacked Duvanne in Mozambique. Militants later reached Marisol, a village "
                       "near Duvanne, and Ponta Verde, a small fishing town.")
    assert found.get("Marisol") in PLACE_KINDS
    assert found.get("Ponta Verde") in PLACE_KINDS
