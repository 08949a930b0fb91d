"""The offline world gazetteer (GeoNames cities of 1,000+ people, ISO 3166-2 subdivisions):
same-named places are chosen by the article's countries, never from a country it does not name."""

from __future__ import annotations

from sitrep.resolve.geocode import world_places


def test_same_name_resolves_in_the_article_country() -> None:
    colombian = world_places("Buenos Aires", ["CO"])
    assert colombian and all(p.country == "CO" for p in colombian)
    argentine = world_places("Buenos Aires", ["AR"])
    assert argentine and argentine[0].country == "AR"


def test_no_country_in_sight_means_no_guess() -> None:
    assert world_places("Buenos Aires", []) == []


def test_a_name_of_another_country_is_not_found() -> None:
    assert world_places("Kech", ["PK"]) == []  # no German town for a Pakistani article


def test_subdivisions_come_from_iso_3166_2() -> None:
    (province,) = [p for p in world_places("Balochistan", ["PK"]) if p.kind == "province"]
    assert province.code == "PK-BA"


def test_cities_carry_coordinates_and_most_populous_first() -> None:
    places = world_places("Sibi", ["PK", "ML"])
    cities = [p for p in places if p.kind == "city"]
    assert cities and all(p.lat is not None and p.lon is not None for p in cities)
    assert [p.population for p in cities] == sorted((p.population for p in cities), reverse=True)


def test_guessed_places_of_two_countries_keep_apart() -> None:
    from sitrep.resolve.linking import entity_key

    assert entity_key("Kessara", "city", "ML") != entity_key("Kessara", "city", "PK")
    assert entity_key("Kessara", "city", "pk") == entity_key("Kessara", "district", "PK") == "place:~PK-kessara"
    assert entity_key("Kessara", "city") == "place:~kessara"
