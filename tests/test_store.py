"""Storage: every Store method, on SQLite and on PostgreSQL.

PostgreSQL runs when ``SITREP_TEST_PG`` holds a server URL (``scripts/start_postgres.sh``
prints one); each test gets its own schema, dropped afterwards.  Without it the
PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from sitrep.models import (
    Claim,
    DocResult,
    Document,
    Entity,
    Event,
    Mention,
    Quantity,
    Relation,
    content_hash,
)
from sitrep.resolve.dedup import simhash
from sitrep.store import Store, StoreError, open_store
from sitrep.store.base import SCHEMA_VERSION

PG_URL = os.environ.get("SITREP_TEST_PG", "").strip()


def _pg_unavailable() -> str | None:
    if not PG_URL:
        return "SITREP_TEST_PG is not set (run scripts/start_postgres.sh and export the URL it prints)"
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            pass
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL at SITREP_TEST_PG is unreachable: {str(exc).strip()[:200]}"
    return None


_PG_SKIP = _pg_unavailable()


def _with_search_path(url: str, schema: str) -> str:
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose tables land in a fresh schema of the test database."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield _with_search_path(PG_URL, schema)
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    s = open_store(store_url)
    try:
        yield s
    finally:
        s.close()


# -- hand-made documents ---------------------------------------------------------------------

TALIBAN = Entity("actor:taliban", "Taliban", "armed_group", aliases=["Taleban", "Afghan Taliban"],
                 gazetteer_id="actor:taliban", country="AF")
HAQQANI = Entity("actor:haqqani-network", "Haqqani Network", "armed_group", aliases=["Haqqanis"],
                 gazetteer_id="actor:haqqani-network", parent="actor:taliban", country="AF")
AFGHANISTAN = Entity("place:AF", "Afghanistan", "country", gazetteer_id="place:AF", country="AF",
                     lat=33.9, lon=67.7)
KABUL = Entity("place:AF-kabul", "Kabul", "city", gazetteer_id="place:AF-kabul", parent="place:AF",
               country="AF", lat=34.53, lon=69.17)
SPOKESMAN = Entity("person:zbhllhmjhd", "Zabihullah Mujahid", "person", aliases=["Mujahid"])
UN = Entity("org:un-monitoring-team", "UN monitoring team", "organization", guessed=True)

PARAGRAPHS = [
    "The Taliban and the Haqqani Network remain closely allied, a UN monitoring team said in a report on Monday.",
    "The report estimates that the Taliban command between 60,000 and 80,000 fighters across Afghanistan today.",
    "A suicide bomber killed 12 people and wounded 30 near a market in Kabul on 3 March 2024, officials said.",
    "Local residents described scenes of chaos as ambulances rushed the wounded to hospitals across the city.",
    "Zabihullah Mujahid, a Taliban spokesman, denied that the group had any ties to the Haqqani Network at all.",
]


def _span(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, (len(text) if end < 0 else end)


def make_document(text: str, source: str, title: str = "Taliban and Haqqani ties", published: str = "2024-03-04",
                  publisher: str = "Example News") -> Document:
    digest = content_hash(text)
    return Document(id=digest[:16], source=source, raw="Share 12\n" + text, text=text, content_hash=digest,
                    format="txt", title=title, published=published, publisher=publisher, author="A. Writer",
                    url=f"https://news.example/{digest[:8]}", offsets=[(0, 9, len(text))], removed=["Share 12"],
                    meta={"simhash": simhash(text), "line": 1})


def make_result(text: str | None = None, source: str = "corpus/a.txt", **kw) -> DocResult:
    """A DocResult with entities, mentions and every kind of fact, at real offsets of ``text``."""
    text = text if text is not None else "\n".join(PARAGRAPHS)
    doc = make_document(text, source, **kw)
    r = DocResult(document=doc, entities=[TALIBAN, HAQQANI, AFGHANISTAN, KABUL, SPOKESMAN, UN])

    def mention(needle: str, entity: Entity, label: str | None = None, after: int = 0) -> None:
        if needle not in text[after:]:
            return
        s, e = _span(text, needle, after)
        ss, se = _sentence(text, s)
        r.mentions.append(Mention(doc.id, s, e, text[s:e], label or entity.kind, entity.key, ss, se, "ruler"))

    for needle, ent in (("Taliban", TALIBAN), ("Haqqani Network", HAQQANI), ("Afghanistan", AFGHANISTAN),
                        ("Kabul", KABUL), ("Zabihullah Mujahid", SPOKESMAN), ("UN monitoring team", UN)):
        mention(needle, ent)
    if "Taliban command" in text:
        mention("Taliban", TALIBAN, after=text.index("Taliban command"))

    def claim(needle: str, polarity: str = "asserted", source: Entity | None = None,
              source_text: str | None = None) -> Claim:
        s, e = _span(text, needle)
        ss, se = _sentence(text, s)
        return Claim(doc.id, s, e, ss, se, text[ss:se], polarity=polarity, modality=None,
                     source_key=source.key if source else None, source_text=source_text)

    if "closely allied" in text:
        r.relations.append(Relation("actor:taliban", "ally_of", "actor:haqqani-network",
                                    claim("closely allied", source=UN, source_text="a UN monitoring team"),
                                    cue="allied"))
    if "denied" in text:
        r.relations.append(Relation("actor:haqqani-network", "ally_of", "actor:taliban",
                                    claim("ties to the Haqqani Network", "denied", SPOKESMAN, "Zabihullah Mujahid"),
                                    cue="ties"))
    if "fighters" in text:
        r.quantities.append(Quantity("actor:taliban", "fighters", 60000, 80000,
                                     claim("between 60,000 and 80,000 fighters", source=UN), qualifier="between",
                                     text="between 60,000 and 80,000"))
    if "suicide bomber" in text:
        r.events.append(Event("Explosions/Remote violence", "Suicide bomb", claim("A suicide bomber killed"),
                              location_key="place:AF-kabul", date="2024-03-03", date_text="3 March 2024",
                              killed=12, wounded=30, perpetrator_key=None, target_text="people",
                              trigger="suicide bomber"))
    return r


def counts(store: Store) -> dict[str, int]:
    st = store.stats()
    return {k: st[k] for k in ("documents", "entities", "mentions", "relations", "quantities", "events")}


# -- tests -------------------------------------------------------------------------------------------


def test_schema_version_and_empty_store(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    assert store.count_documents() == 0
    assert list(store.iter_document_ids()) == []
    assert store.integrity_problems() == []
    assert store.search_documents("Taliban") == []
    assert store.document_state("x.txt", "0" * 64) == ("new", None)


def test_reopen_keeps_data_and_schema(store_url: str) -> None:
    with open_store(store_url) as s:
        s.write_batch([make_result()])
    with open_store(store_url) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.count_documents() == 1
    with open_store(store_url, readonly=True) as s:
        assert s.count_documents() == 1
        assert s.search_documents("suicide bomber")


def test_write_and_read_back_every_method(store: Store) -> None:
    r1 = make_result()
    text2 = "\n".join(PARAGRAPHS[:2] + ["Fighting continued in Kabul province, the Haqqanis said in a statement."])
    r2 = make_result(text2, source="corpus/b.jsonl#7", title="Kabul fighting", published="2024-03-05",
                     publisher="Other Wire")
    written = store.write_batch([r1, r2])
    assert written == [r1.document.id, r2.document.id]
    d1 = r1.document

    # documents
    doc = store.get_document(d1.id)
    assert doc is not None
    assert (doc["source"], doc["title"], doc["published"], doc["publisher"]) == (
        "corpus/a.txt", "Taliban and Haqqani ties", "2024-03-04", "Example News")
    assert doc["text"] == d1.text and doc["raw"] == d1.raw and doc["content_hash"] == d1.content_hash
    assert [list(o) for o in doc["offsets"]] == [[0, 9, len(d1.text)]]
    assert doc["removed"] == ["Share 12"]
    assert doc["meta"] == {"line": 1}
    assert store.get_document(d1.id[:10])["id"] == d1.id  # unique prefix
    assert store.get_document("no-such-doc") is None
    assert store.count_documents() == 2
    assert sorted(store.iter_document_ids()) == sorted([d1.id, r2.document.id])
    listed = store.list_documents()
    assert {row["id"] for row in listed} == {d1.id, r2.document.id}
    assert all(row["chars"] > 0 for row in listed)
    assert len(store.list_documents(limit=1)) == 1 and len(store.list_documents(limit=5, offset=1)) == 1

    # entities
    tal = store.entity_by_key("actor:taliban")
    assert tal is not None and tal["name"] == "Taliban" and tal["kind"] == "armed_group"
    assert store.get_entity(tal["id"])["key"] == "actor:taliban"
    assert store.get_entity(10**9) is None
    assert store.entity_by_key("actor:nobody") is None
    assert store.find_entities("Taleban")[0]["key"] == "actor:taliban"  # an alias
    assert store.find_entities("the TALIBAN")[0]["key"] == "actor:taliban"  # normalised
    assert store.find_entities("Haqq")[0]["key"] == "actor:haqqani-network"  # prefix fallback
    assert store.find_entities("") == []
    assert set(store.aliases(tal["id"])) == {"Taliban", "Taleban", "Afghan Taliban"}
    hq = store.entity_by_key("actor:haqqani-network")
    assert hq["parent_key"] == "actor:taliban"

    actors = store.list_entities(places=False)
    assert actors[0]["key"] == "actor:taliban"  # most mentioned first
    assert actors[0]["mentions"] == 4 and actors[0]["documents"] == 2
    assert {e["key"] for e in store.list_entities(places=True)} == {"place:AF", "place:AF-kabul"}
    assert [e["key"] for e in store.list_entities(kind="person")] == ["person:zbhllhmjhd"]
    assert [e["key"] for e in store.list_entities(q="haqq")] == ["actor:haqqani-network"]

    mentions = store.mentions(entity_id=tal["id"])
    assert len(mentions) == 4
    for m in mentions:
        text = r1.document.text if m["doc_id"] == d1.id else r2.document.text
        assert text[m["start"]:m["end"]] == m["text"] == "Taliban"
        assert m["key"] == "actor:taliban" and m["how"] == "ruler"
        assert text[m["sent_start"]:m["sent_end"]].count("Taliban") >= 1
    doc_mentions = store.mentions(doc_id=d1.id)
    assert len(doc_mentions) == len(r1.mentions)
    assert [m["start"] for m in doc_mentions] == sorted(m["start"] for m in doc_mentions)
    assert len(store.mentions(entity_id=tal["id"], doc_id=d1.id)) == 2
    assert len(store.mentions(limit=2)) == 2

    af, kabul = store.entity_by_key("place:AF"), store.entity_by_key("place:AF-kabul")
    assert set(store.places_within(af["id"])) >= {af["id"], kabul["id"]}
    assert store.places_within(kabul["id"]) == [kabul["id"]]
    assert (kabul["lat"], kabul["lon"], kabul["country"]) == (34.53, 69.17, "AF")

    ed = store.entity_documents(tal["id"])
    assert {row["id"] for row in ed} == {d1.id, r2.document.id}
    assert all(row["mentions"] == 2 for row in ed)

    # facts
    rels = store.relation_rows(entity_id=tal["id"])
    assert len(rels) == 3  # asserted in both documents, denied in one
    assert {r["fact_key"] for r in rels} == {"actor:haqqani-network|ally_of|actor:taliban"}
    denied = [r for r in rels if r["polarity"] == "denied"]
    assert len(denied) == 1 and denied[0]["source"] == "Zabihullah Mujahid"
    assert denied[0]["snippet"] == PARAGRAPHS[4]
    asserted = [r for r in rels if r["doc_id"] == d1.id and r["polarity"] == "asserted"][0]
    assert asserted["source"] == "UN monitoring team" and asserted["source_text"] == "a UN monitoring team"
    assert d1.text[asserted["start"]:asserted["end"]] == "closely allied"
    assert asserted["subject"] == "Taliban" and asserted["object"] == "Haqqani Network"
    assert asserted["publisher"] == "Example News" and asserted["doc_title"] == "Taliban and Haqqani ties"
    assert len(store.relation_rows(type="ally_of")) == 3
    assert store.relation_rows(type="hostile_to") == []
    assert len(store.relation_rows(doc_id=r2.document.id)) == 1

    qts = store.quantity_rows(entity_id=tal["id"])
    assert len(qts) == 2 and {(q["low"], q["high"]) for q in qts} == {(60000, 80000)}
    assert qts[0]["what"] == "fighters" and qts[0]["qualifier"] == "between"
    assert len(store.quantity_rows(doc_id=d1.id)) == 1

    evs = store.event_rows()
    assert len(evs) == 1
    ev = evs[0]
    assert (ev["type"], ev["sub_type"], ev["location"], ev["date"], ev["killed"], ev["wounded"]) == (
        "Explosions/Remote violence", "Suicide bomb", "Kabul", "2024-03-03", 12, 30)
    assert ev["lat"] == 34.53 and ev["killed_min"] in (0, False)
    assert len(store.event_rows(place_ids=store.places_within(af["id"]))) == 1
    assert store.event_rows(place_ids=[]) == []
    assert len(store.event_rows(since="2024-03-01")) == 1
    assert store.event_rows(since="2024-04-01") == []
    assert len(store.event_rows(type="Explosions/Remote violence")) == 1
    assert store.event_rows(type="Protests") == []
    assert store.event_rows(doc_id=r2.document.id) == []
    assert store.event_rows(entity_id=tal["id"]) == []  # no perpetrator given

    # search, stats, health
    hits = store.search_documents("suicide bomber")
    assert [h["id"] for h in hits] == [d1.id]
    assert hits[0]["title"] == "Taliban and Haqqani ties"
    assert {h["id"] for h in store.search_documents("fighters")} == {d1.id, r2.document.id}
    assert store.search_documents("zzzqqq") == []
    assert [h["id"] for h in store.search_documents("Kabul fighting")][:1] == [r2.document.id]
    st = store.stats()
    assert st["schema_version"] == SCHEMA_VERSION
    assert counts(store) == {"documents": 2, "entities": 6, "mentions": len(r1.mentions) + len(r2.mentions),
                             "relations": 3, "quantities": 2, "events": 1}
    assert store.integrity_problems() == []


def test_replace_leaves_no_orphans(store: Store) -> None:
    old = make_result()
    other = make_result("\n".join(PARAGRAPHS[:3]), source="corpus/other.txt", title="Other")
    store.write_batch([old, other])
    before = counts(store)

    new_text = "\n".join(PARAGRAPHS[1:4])  # a changed version of corpus/a.txt: no relation, no denial
    new_hash = content_hash(new_text)
    assert store.document_state("corpus/a.txt", new_hash) == ("changed", old.document.id)
    new = make_result(new_text, source="corpus/a.txt")
    assert store.write_batch([new], replace=[old.document.id]) == [new.document.id]

    assert store.get_document(old.document.id) is None
    assert store.get_document(new.document.id) is not None
    for method in (store.mentions, store.relation_rows, store.quantity_rows, store.event_rows):
        assert method(doc_id=old.document.id) == []
    assert store.search_documents("denied") == []  # the old text is out of the search index
    assert store.integrity_problems() == []
    after = counts(store)
    assert after["documents"] == before["documents"]
    assert after["relations"] == before["relations"] - len(old.relations)
    assert after["mentions"] == before["mentions"] - len(old.mentions) + len(new.mentions)
    assert store.document_state("corpus/a.txt", new_hash) == ("duplicate", None)

    assert store.delete_document(new.document.id) is True
    assert store.get_document(new.document.id) is None
    assert store.mentions(doc_id=new.document.id) == []
    assert store.integrity_problems() == []
    assert store.count_documents() == 1


def test_duplicate_content_hash_is_skipped(store: Store) -> None:
    r = make_result()
    assert store.write_batch([r]) == [r.document.id]
    assert store.document_state("elsewhere/copy.txt", r.document.content_hash) == ("duplicate", None)
    again = make_result(source="elsewhere/copy.txt")
    assert store.write_batch([again]) == []
    twice = make_result("\n".join(PARAGRAPHS[:2]), source="c.txt")
    assert store.write_batch([twice, make_result("\n".join(PARAGRAPHS[:2]), source="d.txt")]) == [twice.document.id]
    assert store.count_documents() == 2
    assert counts(store)["relations"] == len(r.relations) + len(twice.relations)
    assert store.integrity_problems() == []


def test_near_duplicate_is_flagged(store: Store) -> None:
    a = make_result()
    # The same story from another outlet: a teaser headline, an edited sentence ending, page furniture.
    b_text = ("TALIBAN TIES UNDER SCRUTINY\n" + "\n".join(PARAGRAPHS).replace("at all.", "at all, he said.")
              + "\nLeave a comment")
    b = make_result(b_text, source="other-outlet/story.txt", publisher="Other Wire")
    unrelated = make_result("\n".join([
        "Heavy rains flooded several districts of the capital on Tuesday, leaving thousands without power.",
        "Engineers worked through the night to restore electricity to hospitals and water pumping stations.",
        "The weather service warned that more storms could arrive later in the week across the region.",
        "Schools were closed and residents were urged to stay indoors until the water level dropped again.",
    ]), source="weather.txt", title="Floods")
    store.write_batch([a])
    store.write_batch([b, unrelated])
    assert store.get_document(a.document.id)["near_duplicate_of"] is None
    assert store.get_document(b.document.id)["near_duplicate_of"] == a.document.id
    assert store.get_document(unrelated.document.id)["near_duplicate_of"] is None
    assert store.stats()["near_duplicates"] == 1
    # replacing the original clears the pointer rather than leaving it dangling
    store.write_batch([], replace=[a.document.id])
    assert store.get_document(b.document.id)["near_duplicate_of"] is None
    assert store.integrity_problems() == []


def test_failed_batch_writes_nothing(store: Store) -> None:
    good = make_result()
    bad = make_result("\n".join(PARAGRAPHS[:2]), source="bad.txt")
    bad.document.text = None  # violates NOT NULL: the whole batch must roll back
    with pytest.raises(Exception):  # noqa: B017 - driver-specific integrity error
        store.write_batch([good, bad])
    assert store.count_documents() == 0
    assert counts(store) == {k: 0 for k in ("documents", "entities", "mentions", "relations", "quantities", "events")}
    # and the store is still usable (entity id cache was reset with the rollback)
    assert store.write_batch([make_result()]) != []
    assert store.integrity_problems() == []


def test_readonly_store_refuses_writes(store_url: str) -> None:
    with open_store(store_url) as s:
        s.write_batch([make_result()])
    with open_store(store_url, readonly=True) as ro:
        assert ro.count_documents() == 1
        with pytest.raises(Exception):  # noqa: B017 - sqlite3 / psycopg read-only errors differ
            ro.write_batch([make_result("\n".join(PARAGRAPHS[:2]), source="x.txt")])
    with open_store(store_url) as s:
        assert s.count_documents() == 1


# -- PostgreSQL specifics -------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_routing_search_fallback_and_errors(pg_url: str) -> None:
    from sitrep.store.postgres import PostgresStore

    with open_store(pg_url) as s:
        assert isinstance(s, PostgresStore)
        assert "@" not in s.url or ":" not in s.url.split("@")[0].split("://")[1]  # no password shown
        r = make_result()
        s.write_batch([r])
        assert [h["id"] for h in s.search_documents("the")] == [r.document.id]  # stop words: ILIKE fallback
        assert s.search_documents("%") == []
        hit = s.search_documents("bomber")[0]
        assert "[" in hit["snippet"] and "]" in hit["snippet"]


@pytest.mark.postgres
def test_postgres_readonly_refuses_uninitialised_database(pg_url: str) -> None:
    with pytest.raises(StoreError, match="not a sitrep database"):
        open_store(pg_url, readonly=True)


def test_postgres_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")


# -- failures of the engine, concurrent writers, normalisation (issue 16) --------------------------


def test_concurrent_writers_store_one_copy_each(store_url: str) -> None:
    """Two writers storing the same documents at once: one copy of each, no error (PostgreSQL used to
    raise UniqueViolation on documents_pkey)."""
    import threading

    batch_a = [make_result(), make_result("\n".join(PARAGRAPHS[:2]), source="b.txt")]
    batch_b = [make_result(), make_result("\n".join(PARAGRAPHS[2:]), source="c.txt")]
    open_store(store_url).close()  # the schema exists before the race
    stores = [open_store(store_url), open_store(store_url)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    written: list[list[str]] = []

    def write(store: Store, batch: list[DocResult]) -> None:
        barrier.wait()
        try:
            written.append(store.write_batch(batch))
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, b)) for s, b in zip(stores, (batch_a, batch_b), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for s in stores:
        s.close()
    assert errors == []
    assert sorted(i for w in written for i in w) == sorted({r.document.id for r in batch_a + batch_b})
    with open_store(store_url) as s:
        assert s.count_documents() == 3
        assert s.integrity_problems() == []


def test_text_is_normalised_the_same_in_both_engines(store: Store) -> None:
    r = make_result()
    r.document.title = "A NUL\x00 in the title"
    r.document.author = "bad \udc80 byte"
    assert store.write_batch([r]) == [r.document.id]
    doc = store.get_document(r.document.id)
    assert doc["title"] == "A NUL in the title"
    assert doc["author"] == "bad \ufffd byte"


def test_disk_full_loses_only_that_batch_and_the_store_stays_consistent(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "kb.db"
    with open_store(str(db)) as s:
        s.write_batch([make_result()])
        pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
        s.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the "disk" is full after one more page
        big = make_result("\n".join(PARAGRAPHS * 40), source="big.txt")
        with pytest.raises(StoreError, match="full"):
            s.write_batch([big])
        assert s.count_documents() == 1
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with open_store(str(db)) as s:
        assert s.count_documents() == 1 and s.integrity_problems() == []


def _set_version(db: Path, value: str) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("version, message", [("99", "newer sitrep"), ("abc", "not one sitrep knows")])
def test_newer_or_unknown_schema_is_refused_and_never_written(tmp_path: Path, version: str, message: str) -> None:
    db = tmp_path / "kb.db"
    with open_store(str(db)) as s:
        s.write_batch([make_result()])
    _set_version(db, version)
    before = db.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError, match=message):
            open_store(str(db), readonly=readonly)
    assert db.read_bytes() == before


def test_corrupt_database_is_refused_for_writing(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    with open_store(str(db)) as s:
        s.write_batch([make_result(), make_result("\n".join(PARAGRAPHS[:2]), source="b.txt")])
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    page = 4096
    for i in range(page * 2, len(data) - 1, 97):  # flip bytes on every page after the schema page
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))
    before = db.read_bytes()
    with pytest.raises(StoreError, match="corrupt|not a usable"):
        open_store(str(db))
    assert db.read_bytes() == before


def test_read_only_database_is_refused_for_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.store.sqlite as sqlite_mod

    db = tmp_path / "kb.db"
    with open_store(str(db)) as s:
        s.write_batch([make_result()])
    db.chmod(0o444)
    if os.geteuid() == 0:  # root may write any file: make the check see what a user sees
        real_access = os.access
        monkeypatch.setattr(sqlite_mod.os, "access",
                            lambda p, mode: False if str(p) == str(db) else real_access(p, mode))
    try:
        with pytest.raises(StoreError, match="read-only"):
            open_store(str(db))
        with open_store(str(db), readonly=True) as ro:  # reading still works
            assert ro.count_documents() == 1
    finally:
        db.chmod(0o644)


def test_engine_refusing_writes_is_a_store_error(tmp_path: Path) -> None:
    """A write the engine refuses (read-only file system, locked file) is a StoreError, not a driver error."""
    with open_store(str(tmp_path / "kb.db")) as s:
        s.conn.execute("PRAGMA query_only = 1")
        with pytest.raises(StoreError, match="readonly|read-only"):
            s.write_batch([make_result()])


def test_near_duplicate_threshold_is_a_parameter(store: Store) -> None:
    a = make_result()
    b = make_result("\n".join(PARAGRAPHS[:4]) + "\nOne more line of reporting was added by the desk.",
                    source="other.txt")
    ha, hb = a.document.meta["simhash"], b.document.meta["simhash"]
    from sitrep.resolve.dedup import hamming

    distance = hamming(ha, hb)
    store.write_batch([a])
    store.write_batch([b], near_duplicate_threshold=max(0, distance - 1))
    assert store.get_document(b.document.id)["near_duplicate_of"] is None
