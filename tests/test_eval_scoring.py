"""The scorer follows FORMAT.md: name matching, countries as places, symmetric relations, polarity, events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.eval.score import GoldDoc, Scorer, norm
from sitrep.models import Claim, DocResult, Document, Entity, Event, Mention, Quantity, Relation, content_hash
from sitrep.store.sqlite import SQLiteStore

TEXT = "The Northern Front fights the Valley Army in Karstad. Ivo Brant leads the Northern Front."


def _claim(doc_id: str, polarity: str = "asserted") -> Claim:
    return Claim(doc_id=doc_id, start=0, end=10, sent_start=0, sent_end=52, snippet=TEXT[:52], polarity=polarity)


@pytest.fixture()
def scored(tmp_path: Path) -> tuple[Scorer, SQLiteStore]:
    store = SQLiteStore(tmp_path / "t.db")
    h = content_hash(TEXT)
    doc = Document(id=h[:16], source="a/story.txt", raw=TEXT + "\nShare 12\n", text=TEXT, content_hash=h,
                   title="The Northern Front fights", published="2024-01-02")
    ents = [
        Entity("actor:nf", "Northern Front", "armed_group", aliases=["NF"]),
        Entity("actor:va", "Valley Army", "armed_group"),
        Entity("person:ivo-brant", "Ivo Brant", "person"),
        Entity("place:KS", "Karstad", "country", country="KS"),
        Entity("org:wrong", "Nobody Institute", "organization"),
    ]
    mentions = [Mention(doc.id, 0, 1, e.name, e.kind, e.key) for e in ents]
    c = _claim(doc.id)
    result = DocResult(
        document=doc, entities=ents, mentions=mentions,
        relations=[
            Relation("actor:va", "hostile_to", "actor:nf", c),  # symmetric, reversed
            Relation("person:ivo-brant", "leads", "actor:nf", _claim(doc.id, "denied")),  # wrong polarity
        ],
        quantities=[Quantity("actor:nf", "fighters", 200, 300, c)],
        events=[Event("Battles", "Armed clash", c, location_key="place:KS", date="2024-01-01", killed=4)],
    )
    store.write_batch([result])
    gold = GoldDoc({
        "doc": "story.txt", "title": "The Northern Front fights", "published": "2024-01-02",
        "actors": [
            {"names": ["Northern Front", "N.F."], "kind": "armed_group"},
            {"names": ["valley-army"], "kind": "armed_group"},
            {"names": ["Ivo Brant"], "kind": "person"},
            {"names": ["Karstad"], "kind": "state"},
        ],
        "places": [{"names": ["Karstad"], "kind": "country", "country": "KS"}],
        "relations": [
            {"subject": "Northern Front", "type": "hostile_to", "object": "Valley Army", "polarity": "asserted"},
            {"subject": "Ivo Brant", "type": "leads", "object": "Northern Front", "polarity": "asserted"},
        ],
        "quantities": [{"subject": "N.F.", "what": "fighters", "low": 200, "high": 300}],
        "events": [{"type": "Battles", "location": "Karstad", "date": "2024-01-01", "killed": 3}],
        "boilerplate": ["Share 12"],
    })
    scorer = Scorer()
    scorer.score_document(store, store.get_document(doc.id), gold)
    yield scorer, store
    store.close()


def test_norm_drops_case_punctuation_and_spaces() -> None:
    assert norm("Al-Qa'ida ") == norm("al qaida") == "alqaida"
    assert norm(None) == ""


def test_actor_and_place_sets(scored: tuple[Scorer, SQLiteStore]) -> None:
    result = scored[0].result()
    # three gold actors (the state is left out); four predicted non-place actors, one false
    assert result["actors"] == {"precision": 0.75, "recall": 1.0, "f1": pytest.approx(0.8571, abs=1e-4),
                                "gold": 3, "predicted": 4, "matched": 3}
    assert result["places"]["matched"] == 1 and result["places"]["predicted"] == 1


def test_relations_symmetric_and_polarity(scored: tuple[Scorer, SQLiteStore]) -> None:
    rel = scored[0].result()["relations"]
    assert (rel["gold"], rel["predicted"], rel["matched"]) == (2, 2, 1)
    assert any("leads" in m for m in scored[0].details[0]["relations"]["missed"])


def test_quantities_events_and_metadata(scored: tuple[Scorer, SQLiteStore]) -> None:
    result = scored[0].result()
    assert result["quantities"]["matched"] == 1
    ev = result["events"]
    assert ev["matched"] == 1 and ev["date_accuracy"] == 1.0 and ev["killed_accuracy"] == 0.0
    assert result["boilerplate"] == {"removed": 1.0, "kept": 1.0}
    assert result["title"]["accuracy"] == 1.0 and result["published"]["accuracy"] == 1.0


def test_result_has_the_documented_shape(scored: tuple[Scorer, SQLiteStore]) -> None:
    result = scored[0].result()
    assert set(result) == {"documents", "actors", "places", "relations", "quantities", "events", "boilerplate",
                           "title", "published", "attribution"}
    for key in ("actors", "places", "relations", "quantities", "events"):
        assert {"precision", "recall", "f1", "gold", "predicted", "matched"} <= set(result[key])


def test_gold_outside_the_schema_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from sitrep.eval.score import load_gold

    gold = {"doc": "arcadia.txt", "actors": [{"names": ["Red Hand Brigade"], "kind": "armed_group"},
                                             {"names": ["Blue Order"], "kind": "guild"}],
            "relations": [{"subject": "Red Hand Brigade", "type": "feuds_with", "object": "Blue Order"},
                          {"subject": "Red Hand Brigade", "type": "hostile_to", "object": "Blue Order"}],
            "events": [{"type": "Battles"}]}
    problems = GoldDoc(gold).outside_schema()
    assert len(problems) == 2 and any("'guild'" in p for p in problems) and any("'feuds_with'" in p for p in problems)
    (tmp_path / "arcadia.txt.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    with caplog.at_level("WARNING", logger="sitrep.eval.score"):
        assert len(load_gold(tmp_path)) == 1
    assert "feuds_with" in caplog.text
