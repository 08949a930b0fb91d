"""Exports as their consumers read them: networkx reads the GraphML back with every attribute, the OASIS
STIX validator finds nothing to report, a spreadsheet never runs a CSV cell as a formula."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from stix2validator import ValidationOptions, validate_string

from conftest import SHARED, require_pipeline, write_results
from sitrep.models import Claim, DocResult, Document, Entity, Mention, Relation, content_hash
from sitrep.outputs.exports import EDGE_KEYS, NODE_KEYS, csv_cell, graphml, write_csv
from sitrep.outputs.stix import build_bundle, dumps
from sitrep.outputs.stix_vocab import name_shape
from sitrep.query.graph import actor_graph
from sitrep.store.sqlite import SQLiteStore

DEV = SHARED / "corpus" / "dev"
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
HEADLINE = "Arcadian Militias Launch Strikes On Border Towns"

ENTITIES = {
    "place:AR": Entity("place:AR", "Arcadia", "country", country="AR", lat=10.0, lon=20.0),
    "place:AR-port": Entity("place:AR-port", "Port Solace", "city", country="AR", parent="place:AR",
                            lat=10.5, lon=20.5),
    "actor:rhb": Entity("actor:rhb", "Red Hand Brigade", "armed_group", guessed=True),
    "actor:headline": Entity("actor:headline", HEADLINE, "armed_group", guessed=True),
    "actor:council": Entity("actor:council", "Civic Relief Council", "armed_group", guessed=True),
    **{f"actor:f{i}": Entity(f"actor:f{i}", f, "organization", guessed=True) for i, f in enumerate(FORMULAS)},
}
TEXT = ("Arcadia supports the Red Hand Brigade. The Red Hand Brigade operates in Port Solace. "
        "The Civic Relief Council counted the dead. " + " ".join(f"Name {i} is {f}." for i, f in enumerate(FORMULAS)))


def _claim(doc: Document, needle: str) -> Claim:
    start = doc.text.index(needle)
    ss = doc.text.rfind(". ", 0, start)
    ss = 0 if ss < 0 else ss + 2
    se = doc.text.find(".", start) + 1
    return Claim(doc.id, start, start + len(needle), ss, se, doc.text[ss:se])


def build_state_kb(path: Path) -> Path:
    """An invented knowledge base: a country that supports a group, a guessed group whose "name" is the
    headline, a civilian council guessed as an armed group, and names that look like formulas."""
    h = content_hash(TEXT)
    doc = Document(id=h[:16], source="test://state", raw=TEXT, text=TEXT, content_hash=h, format="txt",
                   title=HEADLINE, published="2024-02-01", publisher="Example Post", offsets=[(0, 0, len(TEXT))])
    mentions = []
    for key, ent in ENTITIES.items():
        pos = TEXT.find(ent.name)
        if pos < 0:
            pos = 0
        mentions.append(Mention(doc.id, pos, pos + len(ent.name), ent.name, ent.kind, key, 0, len(TEXT), "test"))
    r = DocResult(document=doc, entities=list(ENTITIES.values()), mentions=mentions)
    r.relations.append(Relation("place:AR", "supports", "actor:rhb", _claim(doc, "supports the Red Hand"), "supports"))
    r.relations.append(Relation("actor:rhb", "operates_in", "place:AR-port", _claim(doc, "in Port Solace"), "in"))
    r.relations.append(Relation("actor:headline", "hostile_to", "actor:rhb", _claim(doc, "Red Hand Brigade operates"),
                                "x"))
    return write_results(path, [r])


@pytest.fixture(scope="module")
def state_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_state_kb(tmp_path_factory.mktemp("state") / "kb.db")


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    if not DEV.is_dir():
        pytest.skip(f"development corpus {DEV} not found")
    require_pipeline()
    from sitrep.config import Settings
    from sitrep.pipeline import run_ingest

    path = tmp_path_factory.mktemp("dev_db") / "dev.db"
    store = SQLiteStore(path)
    try:
        run_ingest([str(DEV)], store, Settings())
    finally:
        store.close()
    yield path


def _open(db: Path) -> SQLiteStore:
    return SQLiteStore(db, readonly=True)


# -- GraphML ------------------------------------------------------------------------------------


def _check_graphml_round_trip(db: Path, include_places: bool = False) -> nx.MultiDiGraph:
    store = _open(db)
    try:
        text = graphml(store, include_places=include_places)
        g = actor_graph(store, include_places=include_places)
    finally:
        store.close()
    back = nx.read_graphml(_write(db, text), force_multigraph=True, edge_key_type=str)
    assert isinstance(back, nx.MultiDiGraph)
    assert back.number_of_nodes() == len(g["nodes"]) and back.number_of_edges() == len(g["edges"])
    for n in g["nodes"]:
        data = back.nodes[f"n{n['id']}"]
        expected = {k: n[k] for k in NODE_KEYS if n.get(k) is not None}
        assert data.keys() == expected.keys(), (data, expected)
        for k, v in expected.items():
            assert data[k] == (pytest.approx(v) if isinstance(v, float) else v), (k, data[k], v)
    for e in g["edges"]:
        data = back.edges[f"n{e['source']}", f"n{e['target']}", e["id"]]
        expected = {k: v for k, v in {**e, "weight": float(e["sources"]), "fact_key": e["id"]}.items()
                    if k in EDGE_KEYS and v is not None}
        assert data == expected
    return back


def _write(db: Path, text: str) -> Path:
    out = db.parent / f"{db.stem}-{len(text)}.graphml"
    out.write_text(text, encoding="utf-8")
    return out


def test_graphml_round_trip_sample(sample_kb: Path) -> None:
    back = _check_graphml_round_trip(sample_kb)
    kinds = {d["type"] for *_, d in back.edges(data=True)}
    assert {"ally_of", "leads", "part_of"} <= kinds
    ally = next(d for *_, d in back.edges(data=True) if d["type"] == "ally_of")
    assert ally["directed"] is False and ally["contested"] is True and ally["weight"] == 2.0
    _check_graphml_round_trip(sample_kb, include_places=True)


def test_graphml_round_trip_seeds_and_dev(seeds_db: Path, dev_db: Path) -> None:
    for db in (seeds_db, dev_db):
        _check_graphml_round_trip(db)
        _check_graphml_round_trip(db, include_places=True)


def test_default_graph_includes_states_that_act(state_db: Path) -> None:
    store = _open(state_db)
    try:
        g = actor_graph(store)
    finally:
        store.close()
    names = {n["id"]: n["name"] for n in g["nodes"]}
    edges = {(names[e["source"]], e["type"], names[e["target"]]) for e in g["edges"]}
    assert ("Arcadia", "supports", "Red Hand Brigade") in edges
    assert not any(t == "operates_in" for _, t, _ in edges)  # a place that is only a location stays out
    assert "Port Solace" not in names.values()
    back = _check_graphml_round_trip(state_db)
    assert any(d["name"] == "Arcadia" and d["kind"] == "country" for _, d in back.nodes(data=True))


# -- STIX ---------------------------------------------------------------------------------------


def _validate(db: Path) -> dict:
    store = _open(db)
    try:
        bundle = build_bundle(store)
    finally:
        store.close()
    result = validate_string(dumps(bundle), ValidationOptions(version="2.1"))
    problems = [f"{o.object_id}: {m}" for o in [result] for m in [*o.errors, *o.warnings]]
    assert result.is_valid and not problems, problems[:20]
    return bundle


def _threat_actors(bundle: dict) -> dict[str, dict]:
    return {o["name"]: o for o in bundle["objects"] if o["type"] == "threat-actor"}


def test_stix_validator_sample(sample_kb: Path) -> None:
    bundle = _validate(sample_kb)
    actors = _threat_actors(bundle)
    assert "Taliban" in actors and all(o["x_sitrep_kind"] == "armed_group" for o in actors.values())
    # markup is no actor's name (reports and incidents keep their article's words, as text)
    assert not any("<script>" in o["name"] for o in bundle["objects"]
                   if o["type"] in ("threat-actor", "identity", "location"))
    ext = [o for o in bundle["objects"] if o["type"] == "extension-definition"]
    assert len(ext) == 1 and "x_sitrep_relation" in ext[0]["extension_properties"]


def test_stix_validator_seeds_and_dev(seeds_db: Path, dev_db: Path) -> None:
    for db in (seeds_db, dev_db):
        bundle = _validate(db)
        assert all(o["x_sitrep_kind"] == "armed_group" for o in _threat_actors(bundle).values())
        assert len([o for o in bundle["objects"] if o["type"] == "report"]) >= 5


def test_stix_headlines_and_civilian_bodies_are_not_threat_actors(state_db: Path) -> None:
    bundle = _validate(state_db)
    actors = _threat_actors(bundle)
    assert "Red Hand Brigade" in actors
    assert HEADLINE not in actors
    assert not any(o.get("name") == HEADLINE for o in bundle["objects"] if o["type"] != "report")
    council = next(o for o in bundle["objects"] if o.get("name") == "Civic Relief Council")
    assert council["type"] == "identity" and council["identity_class"] == "organization"
    supports = next(o for o in bundle["objects"] if o.get("x_sitrep_relation") == "supports")
    assert supports["relationship_type"] == "related-to"


@pytest.mark.parametrize(("name", "shape"), [
    ("Red Hand Brigade", "group"), ("Army of the Free Valley", "group"), ("RHB", "group"),
    ("Lashkar-e-Arcadia", "group"), ("Arcadian Militias Launch Strikes", "other"),
    ("Civic Relief Council", "organization"), ("<b>Front</b>", "junk"), ("Who is the Front?", "junk"),
    ("One Two Three Four Five Six Seven Eight Nine Front", "junk"),
])
def test_name_shape(name: str, shape: str) -> None:
    assert name_shape(name) == shape


def test_name_shape_headline() -> None:
    title = " ".join("Arcadian Militias Launch Strikes On Border Towns".lower().split())
    assert name_shape("Arcadian Militias Launch Strikes", frozenset({title})) == "junk"


# -- CSV ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_cell_neutralises_formulas(value: str) -> None:
    assert csv_cell(value) == "'" + value
    assert csv_cell("plain " + value) == "plain " + value
    assert csv_cell(-5) == -5 and csv_cell(2.5) == 2.5


def test_csv_files_hold_no_formula(state_db: Path, tmp_path: Path) -> None:
    store = _open(state_db)
    try:
        write_csv(store, tmp_path / "out")
    finally:
        store.close()
    seen = set()
    for path in (tmp_path / "out").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), (path.name, cell)
                    if cell.startswith("'"):
                        seen.add(cell[1:])
    assert set(FORMULAS) <= seen  # each formula is still there, as text
