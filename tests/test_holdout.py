"""samples/holdout and samples/holdout2: the blind-written held-out sets. Their gold files must be well formed and self-consistent
(every relation, quantity and event names only actors and places listed in the same gold file), and
``sitrep eval`` must run on it and report every category. The articles are read from disk at run time."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_sitrep

SETS = [ROOT / "samples" / "holdout", ROOT / "samples" / "holdout2"]
GOLD_FILES = sorted(p for folder in SETS for p in (folder / "gold").glob("*.gold.json"))

TOP_KEYS = {"doc", "title", "published", "actors", "places", "relations", "quantities", "events", "boilerplate"}
ACTOR_KINDS = {"armed_group", "person", "organization", "state"}
PLACE_KINDS = {"country", "province", "city", "district", "region"}
RELATION_TYPES = {"ally_of", "supports", "part_of", "hostile_to", "leads", "member_of", "operates_in"}
EVENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"}
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _load(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path.name
    return data


def _names(entries: list[dict[str, Any]]) -> set[str]:
    return {name for entry in entries for name in entry["names"]}


def _source_ok(fact: dict[str, Any]) -> bool:
    value = fact.get("source")
    return value is None or isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _sources(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_each_holdout_set_has_ten_articles_each_with_gold(folder: Path) -> None:
    gold_files = sorted((folder / "gold").glob("*.gold.json"))
    assert len(gold_files) == 10
    for path in gold_files:
        gold = _load(path)
        assert path.name == gold["doc"] + ".gold.json"
        assert (folder / gold["doc"]).is_file(), gold["doc"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_gold_is_well_formed(path: Path) -> None:
    gold = _load(path)
    assert set(gold) == TOP_KEYS
    assert gold["published"] is None or DATE.match(gold["published"])
    for actor in gold["actors"]:
        assert set(actor) == {"names", "kind"} and actor["kind"] in ACTOR_KINDS and actor["names"], actor
    for place in gold["places"]:
        assert set(place) == {"names", "kind", "country"} and place["kind"] in PLACE_KINDS, place
        assert place["country"] is None or re.fullmatch(r"[A-Z]{2}", place["country"]), place
    for rel in gold["relations"]:
        assert rel["type"] in RELATION_TYPES and rel["polarity"] in {"asserted", "denied"}, rel
        assert _source_ok(rel), rel  # no "source" key: not scored for attribution (FORMAT.md)
    for qty in gold["quantities"]:
        assert _source_ok(qty) and qty["what"], qty
        assert qty["low"] is not None or qty["high"] is not None, qty
        if qty["low"] is not None and qty["high"] is not None:
            assert qty["low"] <= qty["high"], qty
    for event in gold["events"]:
        assert event["type"] in EVENT_TYPES, event
        assert event["date"] is None or DATE.match(event["date"]), event
        assert event["killed"] is None or (isinstance(event["killed"], int) and event["killed"] >= 0), event
    assert all(isinstance(line, str) and line.strip() for line in gold["boilerplate"])


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_gold_names_only_its_own_actors_and_places(path: Path) -> None:
    gold = _load(path)
    actors, places = _names(gold["actors"]), _names(gold["places"])
    known = actors | places
    for rel in gold["relations"]:
        assert rel["subject"] in actors, rel
        assert rel["object"] in (known if rel["type"] == "operates_in" else actors), rel
    for qty in gold["quantities"]:
        assert qty["subject"] in known, qty
    for event in gold["events"]:
        assert event["location"] is None or event["location"] in places, event
        assert event["perpetrator"] is None or event["perpetrator"] in actors, event
    # a source is an actor of the article or a description of an unnamed one (never a place)
    for fact in gold["relations"] + gold["quantities"]:
        for source in _sources(fact.get("source")):
            assert source.strip() and (source in actors or source not in places), fact


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_gold_entity_is_spelt_as_in_its_article(path: Path) -> None:
    gold = _load(path)
    text = (path.parent.parent / gold["doc"]).read_text(encoding="utf-8")
    if gold["doc"].endswith(".jsonl"):
        text = json.loads(text.splitlines()[0])["text"]
    folded = html.unescape(text).lower()
    for entry in gold["actors"] + gold["places"]:
        assert any(name.lower() in folded for name in entry["names"]), entry["names"]


@pytest.mark.slow
@pytest.mark.parametrize("folder", SETS, ids=lambda p: p.name)
def test_eval_runs_on_the_holdout_set_and_reports_every_category(folder: Path) -> None:
    gold_files = sorted((folder / "gold").glob("*.gold.json"))
    res = run_sitrep(["eval", "--gold", str(folder / "gold"), "--docs", str(folder), "--json"])
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    report = json.loads(res.stdout)
    assert report["documents"] == 10
    gold_counts = {key: sum(len(_load(p)[key]) for p in gold_files)
                   for key in ("actors", "places", "relations", "quantities", "events")}
    states = sum(1 for p in gold_files for a in _load(p)["actors"] if a["kind"] == "state")
    for key, count in gold_counts.items():
        block = report[key]
        assert {"precision", "recall", "f1", "gold", "predicted", "matched"} <= set(block), key
        assert block["gold"] == (count - states if key == "actors" else count), key
        assert 0.0 <= block["f1"] <= 1.0 and block["matched"] <= min(block["gold"], block["predicted"]), key
    assert {"date_accuracy", "killed_accuracy"} <= set(report["events"])
    assert report["attribution"]["gold"] > 0
    assert {"removed", "kept"} <= set(report["boilerplate"])
    assert report["title"]["gold"] == 10 and report["published"]["gold"] == 10
