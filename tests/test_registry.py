"""Extractors declare name, version, requires and provides; the pipeline orders them from that and
every stored fact records the extractor that made it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sitrep.extract.registry import Extractor, RegistryError, extractor, order, ordered, registered
from sitrep.models import Claim, Document, Relation, content_hash


def _ex(name: str, requires: tuple[str, ...] = (), provides: tuple[str, ...] = ()) -> Extractor:
    return Extractor(name, "1", requires, provides, lambda ctx: None, f"tests.{name}")


def test_standard_extractors_are_registered_and_ordered_by_their_needs() -> None:
    chain = ordered()
    names = [ex.name for ex in chain]
    assert set(names) >= {"entities", "attribution", "relations", "quantities", "events"}
    provided = {"parse", "document", "gazetteer", "settings"}
    for ex in chain:
        assert set(ex.requires) <= provided, (ex.name, ex.requires, provided)
        provided |= set(ex.provides)
        assert ex.version and ex.label == f"{ex.name}@{ex.version}"
    assert names.index("entities") < names.index("attribution") < names.index("relations")


def test_order_follows_requires_not_the_given_order() -> None:
    items = [_ex("facts", ("sources",), ("relations",)), _ex("speakers", ("mentions",), ("sources",)),
             _ex("names", ("parse",), ("mentions",))]
    assert [ex.name for ex in order(items)] == ["names", "speakers", "facts"]


def test_every_provider_of_a_need_runs_first() -> None:
    items = [_ex("report", ("relations",), ()), _ex("surface", (), ("relations",)), _ex("derived", (), ("relations",))]
    assert [ex.name for ex in order(items)] == ["surface", "derived", "report"]


def test_unmet_need_and_cycle_are_refused() -> None:
    with pytest.raises(RegistryError, match="requires 'omens'"):
        order([_ex("augur", ("omens",), ("relations",))])
    with pytest.raises(RegistryError, match="cycle"):
        order([_ex("hen", ("eggs",), ("hens",)), _ex("egg", ("hens",), ("eggs",))])


def test_one_name_two_extractors_is_refused() -> None:
    @extractor("test-registry-twice", version="1", provides=("x_test",))
    def first(ctx: Any) -> None:
        return None

    def second(ctx: Any) -> None:
        return None

    second.__qualname__ = "somewhere_else"
    with pytest.raises(RegistryError, match="two extractors"):
        extractor("test-registry-twice", version="2")(second)
    assert registered()["test-registry-twice"].func is first


def test_run_stamps_each_fact_with_name_and_version() -> None:
    claim = Claim("d", 0, 5, 0, 5, "Red Hand Brigade fights the Blue Order.")

    def find(ctx: Any) -> list[Relation]:
        return [Relation("actor:red-hand", "hostile_to", "actor:blue-order", claim)]

    ex = Extractor("feuds", "3", ("parse",), ("relations",), find, "tests")
    out = ex.run(None)  # type: ignore[arg-type]
    assert ex.output == "relations"
    assert out[0].claim.extractor == "feuds@3"


def test_stored_facts_record_their_extractor(tmp_path: Path) -> None:
    from sitrep.nlp import get_nlp
    from sitrep.pipeline import analyse
    from sitrep.store import open_store

    text = ("Fighters of the Red Hand Brigade attacked an army post in Arcadia on Monday, killing four soldiers. "
            "The Red Hand Brigade is allied with the Blue Order, officials said.")
    doc = Document(id=content_hash(text)[:16], source="arcadia.txt", raw=text, text=text,
                   content_hash=content_hash(text), published="2024-05-08")
    result = analyse(doc, get_nlp()(text))
    facts = [*result.relations, *result.quantities, *result.events]
    assert facts, "the invented text should give at least one fact"
    labels = {ex.name: ex.label for ex in ordered()}
    for fact in result.relations:
        assert fact.claim.extractor == labels["relations"]
    for fact in result.events:
        assert fact.claim.extractor == labels["events"]
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    with open_store(url) as store:
        store.write_batch([result])
    con = sqlite3.connect(tmp_path / "kb.db")
    stored = [row[0] for table in ("relations", "quantities", "events")
              for row in con.execute(f"SELECT extractor FROM {table}")]  # noqa: S608 - fixed names
    con.close()
    assert stored and all(value and "@" in value for value in stored)


def test_a_version_2_store_gains_the_extractor_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.store.sql as sql
    from sitrep.store import open_store
    from sitrep.store.base import SCHEMA_VERSION

    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    monkeypatch.setattr(sql, "SCHEMA_VERSION", 2)  # what a store made before the column existed looks like
    with open_store(url):
        pass
    con = sqlite3.connect(path)
    assert "extractor" not in {r[1] for r in con.execute("PRAGMA table_info(relations)")}
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    con.close()
    monkeypatch.undo()
    with open_store(url) as store:
        assert store.schema_version() == SCHEMA_VERSION
    con = sqlite3.connect(path)
    for table in ("relations", "quantities", "events"):
        assert "extractor" in {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    con.close()
