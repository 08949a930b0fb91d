"""Geocoding: the most specific place, ambiguity resolved by context or flagged."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.resolve.geocode import GeoContext, geocode, kind_cue, main_country, norm_name

# A small invented gazetteer, so that these tests do not depend on the shipped data.
TOY: list[dict[str, Any]] = [
    {"id": "LY", "kind": "country", "name": "Libya", "country": "LY", "lat": 26.3, "lon": 17.2},
    {"id": "LB", "kind": "country", "name": "Lebanon", "country": "LB", "lat": 33.9, "lon": 35.9},
    {"id": "LY-trip", "kind": "city", "name": "Tripoli", "country": "LY", "parent": "LY", "lat": 32.9, "lon": 13.2},
    {"id": "LB-trip", "kind": "city", "name": "Tripoli", "country": "LB", "parent": "LB", "lat": 34.4, "lon": 35.8,
     "aliases": ["Trablous"]},
    {"id": "LY-ben", "kind": "city", "name": "Benghazi", "country": "LY", "parent": "LY"},
    {"id": "LB-bei", "kind": "city", "name": "Beirut", "country": "LB", "parent": "LB"},
    {"id": "XA", "kind": "country", "name": "Arcadia", "country": "XA"},
    {"id": "XA-P", "kind": "province", "name": "Vale", "country": "XA", "parent": "XA", "lat": 1.0, "lon": 2.0},
    {"id": "XA-P-c", "kind": "city", "name": "Vale", "country": "XA", "parent": "XA-P", "lat": 1.1, "lon": 2.1},
]  # fmt: skip


def test_unknown_and_empty_names() -> None:
    assert geocode("Atlantis", gazetteer=TOY) is None
    assert geocode("", gazetteer=TOY) is None
    assert geocode("   ", gazetteer=TOY) is None


def test_alias_and_case_insensitive() -> None:
    place = geocode("trablous", gazetteer=TOY)
    assert place is not None and place.id == "LB-trip" and not place.ambiguous


def test_same_name_in_two_countries_is_ambiguous_without_context() -> None:
    place = geocode("Tripoli", gazetteer=TOY)
    assert place is not None and place.ambiguous
    assert set(place.alternatives) == {"LY-trip", "LB-trip"} - {place.id}


@pytest.mark.parametrize(
    ("ctx", "expected"),
    [
        (GeoContext(country_hint="LB"), "LB-trip"),
        (GeoContext(country_hint="LY"), "LY-trip"),
        (GeoContext(nearby=["Beirut"]), "LB-trip"),
        (GeoContext(nearby=["Benghazi"]), "LY-trip"),
    ],
)
def test_context_decides(ctx: GeoContext, expected: str) -> None:
    place = geocode("Tripoli", ctx, gazetteer=TOY)
    assert place is not None and place.id == expected and not place.ambiguous


def test_city_and_province_of_one_name() -> None:
    bare = geocode("Vale", GeoContext(country_hint="XA"), gazetteer=TOY)
    assert bare is not None and bare.kind == "city" and bare.ambiguous  # most specific, but flagged
    assert bare.admin == ["XA-P", "XA"]
    prov = geocode("Vale", GeoContext(text="Fighting spread across Vale province on Monday."), gazetteer=TOY)
    assert prov is not None and prov.kind == "province" and not prov.ambiguous
    city = geocode("Vale", GeoContext(text="in the city of Vale"), gazetteer=TOY)
    assert city is not None and city.kind == "city" and not city.ambiguous
    assert (city.lat, city.lon) == (1.1, 2.1)


def test_kind_cue() -> None:
    assert kind_cue("Vale", "the northern province of Vale") == "province"
    assert kind_cue("Vale", "Vale province (north)") == "province"
    assert kind_cue("Vale", "Vale district") == "district"
    assert kind_cue("Vale", "in Vale on Monday") is None
    assert kind_cue("Vale", None) is None


def test_helpers() -> None:
    assert norm_name("  Al-Qa’ida's ") == "al qa ida"
    assert main_country(["AF", "PK", "af", None]) == "AF"
    assert main_country([]) is None


@pytest.fixture(scope="module")
def gazetteer() -> Any:
    data = pytest.importorskip("sitrep.data")
    if not hasattr(data, "load_gazetteer"):
        pytest.skip("gazetteer not available")
    return data.load_gazetteer()


def test_shipped_gazetteer_kandahar(gazetteer: Any) -> None:
    bare = geocode("Kandahar", GeoContext(country_hint="AF"), gazetteer=gazetteer)
    if bare is None:
        pytest.skip("Kandahar not in the gazetteer")
    assert bare.kind == "city" and bare.country == "AF" and bare.ambiguous
    prov = geocode("Kandahar", GeoContext(text="clashes in Kandahar province"), gazetteer=gazetteer)
    assert prov is not None and prov.kind == "province" and not prov.ambiguous


def test_shipped_gazetteer_punjab(gazetteer: Any) -> None:
    place = geocode("Punjab", GeoContext(), gazetteer=gazetteer)
    if place is None or not place.alternatives:
        pytest.skip("Punjab not ambiguous in the gazetteer")
    assert place.ambiguous
    assert geocode("Punjab", GeoContext(country_hint="IN"), gazetteer=gazetteer).country == "IN"  # type: ignore[union-attr]
    assert geocode("Punjab", GeoContext(country_hint="PK"), gazetteer=gazetteer).country == "PK"  # type: ignore[union-attr]


def test_shipped_gazetteer_country(gazetteer: Any) -> None:
    place = geocode("Afghanistan", gazetteer=gazetteer)
    assert place is not None and place.kind == "country" and place.country == "AF"
    assert place.lat is not None and place.lon is not None
