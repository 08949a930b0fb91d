"""Name normalisation, entity keys and within-document linking (no spaCy needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.data import load_gazetteer
from sitrep.resolve.linking import (
    compact,
    entity_key,
    link_person_names,
    normalize,
    same_person,
    skeleton,
    strip_honorifics,
)

SAME_PEOPLE = [
    ("Ali Maisam Nazary", "Ali Maisam Naziry"),
    ("Amuralá Salé", "Amurala Sale"),
    ("Amrullah Saleh", "Amurala Sale"),
    ("Mohamad Naim", "Mohammad Naeem"),
    ("Abdulghani Baradar", "Abdul Ghani Baradar"),
    ("Mullah Abdulghani Baradar", "Abdul Ghani Baradar"),
    ("Usama bin Laden", "Osama bin Laden"),
    ("Saif al-Adel", "Sayf al-Adl"),
    ("Ayman al-Zawahiri", "Ayman Al Zawahiri"),
    ("Ayman al-Zawahiri", "Ayman al-Zawahri"),
    ("Abd al-Rahman al-Masri", "Abdul Rahman Masri"),
    ("Safiulá Amiri", "Safiullah Amiri"),
]

DIFFERENT_PEOPLE = [
    ("Omar", "Amir"),
    ("Ahmad Massoud", "Ahmad Karimi"),
    ("Yusuf Amiri", "Safiullah Amiri"),
]


@pytest.mark.parametrize(("a", "b"), SAME_PEOPLE)
def test_transliteration_variants_share_one_key(a: str, b: str) -> None:
    assert entity_key(a, "person") == entity_key(b, "person")
    assert same_person(a, b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT_PEOPLE)
def test_different_people_stay_apart(a: str, b: str) -> None:
    assert entity_key(a, "person") != entity_key(b, "person")
    assert not same_person(a, b)


def test_surname_and_partial_names_join_the_full_name() -> None:
    assert same_person("Nazary", "Ali Maisam Naziry")
    assert same_person("Mr. Nazary", "Ali Maisam Nazary")
    assert same_person("Maisam Nazary", "Ali Maisam Nazary")
    assert same_person("Zawahiri", "Ayman al-Zawahiri")
    assert same_person("Al Masri", "Abu Muhsin al Masri")
    assert same_person("Fitton-Brown", "Edmund Fitton-Brown")
    assert not same_person("Ali", "Ali Maisam Nazary")  # a first name alone is not enough


def test_link_person_names_picks_the_fullest_name() -> None:
    names = ["Ahmad Massoud", "Massoud", "Ali Maisam Naziry", "Mr. Nazary", "Egyptian", "Al Masri",
             "Abu Muhsin al Masri"]
    rep = link_person_names(names)
    assert rep["Massoud"] == "Ahmad Massoud"
    assert rep["Mr. Nazary"] == "Ali Maisam Naziry"
    assert rep["Al Masri"] == "Abu Muhsin al Masri"
    assert rep["Ahmad Massoud"] == "Ahmad Massoud"


def test_normalize_and_compact() -> None:
    assert normalize("The Islamic State\u2019s") == "islamic state"
    assert normalize("  Amuralá   Salé ") == "amurala sale"
    assert compact("Al-Qa'ida") == compact("al Qaida") == "alqaida"
    assert compact("U.N.") == "un"


def test_strip_honorifics_keeps_the_title_apart() -> None:
    assert strip_honorifics("Mullah Abdulghani Baradar") == ("Abdulghani Baradar", "Mullah")
    assert strip_honorifics("Mr. Nazary") == ("Nazary", "Mr.")
    assert strip_honorifics("Mullah") == ("Mullah", None)  # a title alone is left alone


def test_non_person_keys_are_stable_and_prefixed() -> None:
    assert entity_key("al-Nusra Front", "armed_group") == entity_key("Nusra Front", "organization")
    assert entity_key("Yorktown Institute", "organization") == "org:yorktown-institute"
    assert entity_key("Bulo Burte", "district").startswith("place:~")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Islamic State", "Islamic State Khorasan Province"), ("Taliban", "Tehrik-i-Taliban Pakistan"),
     ("Al-Qaeda", "Al-Qaeda in the Indian Subcontinent"), ("United Nations", "UN Security Council")],
)
def test_gazetteer_keeps_related_groups_apart(a: str, b: str) -> None:
    gaz = load_gazetteer()
    ra, rb = gaz.actor(a), gaz.actor(b)
    assert ra is not None and rb is not None
    assert ra.id != rb.id
    assert compact(a) not in {compact(n) for n in rb.names}


@given(st.text(max_size=40))
def test_keys_never_crash_and_are_deterministic(name: str) -> None:
    for kind in ("person", "organization", "city"):
        assert entity_key(name, kind) == entity_key(name, kind)
    assert isinstance(skeleton(name), str)
    same_person(name, "Ali Nazary")


def test_branches_have_their_parent() -> None:
    gaz = load_gazetteer()
    assert gaz.actor("ISKP").parent == "actor:islamic-state"
    assert gaz.actor("AQIS").parent == "actor:al-qaeda"
    assert gaz.actor("Haqqani Network").parent == "actor:taliban"
    assert gaz.actor("TTP").parent is None  # a distinct movement, not a branch of the Afghan Taliban


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñç", min_size=1, max_size=12))
def test_skeleton_ignores_case_and_diacritics(word: str) -> None:
    assert skeleton(word) == skeleton(word.upper())
