"""Events across documents: only reports of one incident merge; near-duplicate copies corroborate once."""

from __future__ import annotations

from typing import Any

from sitrep.query.events import WINDOW, group_events

PLACES = {  # id -> (name, kind, country)
    1: ("Arcadia", "country", "XA"),
    2: ("Port Lumen", "city", "XA"),
    3: ("Kessel", "city", "XA"),
    4: ("Borealia", "country", "XB"),
    5: ("Varna", "city", "XB"),
    6: ("Cindra", "country", "XC"),
}


def row(doc: str, place: int | None, date: str | None = None, *, type: str = "Battles", sub_type: str = "Armed clash",
        published: str | None = "2024-03-10", perpetrator: int | None = None, killed: int | None = None,
        publisher: str | None = None, near_duplicate_of: str | None = None, source_id: int | None = None) -> dict[str, Any]:
    name, kind, country = PLACES[place] if place is not None else (None, None, None)
    return {
        "type": type, "sub_type": sub_type, "location_id": place, "location": name, "location_kind": kind,
        "country": country, "lat": None, "lon": None, "date": date, "date_text": None, "killed": killed,
        "killed_min": False, "wounded": None, "perpetrator_id": perpetrator,
        "perpetrator": f"group {perpetrator}" if perpetrator else None, "target_id": None, "target": None,
        "target_text": None, "trigger": "attack", "doc_id": doc, "fact_key": "k", "polarity": "asserted",
        "modality": None, "source_id": source_id, "source": None, "source_text": None, "start": 0, "end": 6,
        "sent_start": 0, "sent_end": 10, "snippet": "An attack.", "extractor": "events",
        "doc_title": f"title {doc}", "publisher": publisher or f"outlet of {doc}", "doc_published": published,
        "near_duplicate_of": near_duplicate_of,
    }


def test_two_reports_of_one_incident_are_one_event() -> None:
    evs = group_events([row("a", 2, "2024-03-08", killed=4), row("b", 2, "2024-03-09", killed=5)])
    assert len(evs) == 1
    assert evs[0]["sources"] == 2 and evs[0]["documents"] == 2 and evs[0]["killed"] == 5
    assert len(evs[0]["reports"]) == 2


def test_unrelated_attacks_in_other_countries_stay_apart() -> None:
    rows = [row("a", 1, "2024-03-08"), row("b", 4, "2024-03-08"), row("c", 6, "2024-03-08")]
    assert len(group_events(rows)) == 3


def test_placeless_or_undated_reports_of_two_articles_do_not_merge() -> None:
    assert len(group_events([row("a", None, "2024-03-08"), row("b", None, "2024-03-08")])) == 2
    assert len(group_events([row("a", 2, None, published=None), row("b", 2, None, published=None)])) == 2


def test_an_undated_report_is_dated_by_its_article() -> None:
    evs = group_events([row("a", 2, "2024-03-08"), row("b", 2, None, published="2024-03-09")])
    assert len(evs) == 1 and evs[0]["date"] == "2024-03-08"


def test_country_level_report_joins_the_town_report_and_keeps_the_town() -> None:
    evs = group_events([row("a", 1, "2024-03-08"), row("b", 3, "2024-03-08")])
    assert len(evs) == 1 and evs[0]["location"] == "Kessel"
    assert len(group_events([row("a", 4, "2024-03-08"), row("b", 3, "2024-03-08")])) == 2  # another country


def test_date_window_type_and_perpetrator_separate_incidents() -> None:
    assert len(group_events([row("a", 2, "2024-03-01"), row("b", 2, "2024-03-20")])) == 2
    assert len(group_events([row("a", 2, "2024-03-08"), row("b", 2, "2024-03-08", type="Protests",
                                                           sub_type="Peaceful protest")])) == 2
    assert len(group_events([row("a", 2, "2024-03-08", perpetrator=7), row("b", 2, "2024-03-08", perpetrator=8)])) == 2
    assert len(group_events([row("a", 2, "2024-03-08", perpetrator=7), row("b", 2, "2024-03-08")])) == 1


def test_two_incidents_of_one_article_stay_two() -> None:
    assert len(group_events([row("a", 2, "2024-03-08"), row("a", 2, "2024-03-08")])) == 2


def test_near_duplicate_copies_count_once() -> None:
    rows = [
        row("orig", 2, "2024-03-08", publisher="Daily Arcadian"),
        row("copy1", 2, "2024-03-08", publisher="Daily Arcadian", near_duplicate_of="orig"),
        row("copy2", 2, "2024-03-08", publisher="Daily Arcadian", near_duplicate_of="orig"),
    ]
    evs = group_events(rows)
    assert len(evs) == 1
    assert (evs[0]["sources"], evs[0]["documents"]) == (1, 1)
    other = group_events([*rows, row("second", 2, "2024-03-09", publisher="Borealian Post")])
    assert len(other) == 1 and other[0]["sources"] == 2 and other[0]["documents"] == 2


def test_grouping_compares_each_report_with_a_bounded_number_of_incidents() -> None:
    # many distinct incidents in one country: each new one is checked against at most WINDOW of them
    rows = [row(f"d{i}", 2, f"2024-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}", perpetrator=i + 1) for i in range(3 * WINDOW)]
    evs = group_events(rows)
    assert len(evs) == len(rows)
