"""GraphML, CSV, JSON and GeoJSON exports."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from outputs_kb import XSS_SCRIPT, build_sample_kb
from sitrep.cli import _register, app
from sitrep.outputs.exports import csv_cell, geojson, graphml, kb_json, write_csv
from sitrep.query.graph import actor_graph
from sitrep.store.sqlite import SQLiteStore

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
AF_BBOX = (60.4, 29.3, 75.0, 38.6)  # lon_min, lat_min, lon_max, lat_max


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    db = build_sample_kb(tmp_path_factory.mktemp("exports") / "kb.db")
    s = SQLiteStore(db, readonly=True)
    yield s
    s.close()


def test_graph_query(store: SQLiteStore) -> None:
    g = actor_graph(store)
    names = {n["id"]: n["name"] for n in g["nodes"]}
    ally = next(e for e in g["edges"] if e["type"] == "ally_of")
    assert {names[ally["source"]], names[ally["target"]]} == {"Taliban", "al-Qaeda"}
    assert ally["sources"] == 2 and ally["contested"] and ally["status"] == "contested" and not ally["directed"]
    leads = next(e for e in g["edges"] if e["type"] == "leads")
    assert leads["directed"] and names[leads["source"]] == "Ahmad Massoud"
    assert not any(e["type"] == "operates_in" for e in g["edges"])  # places left out by default
    with_places = actor_graph(store, include_places=True)
    assert any(e["type"] == "operates_in" for e in with_places["edges"])
    taliban = next(n for n in g["nodes"] if n["name"] == "Taliban")
    ego = actor_graph(store, actor_id=taliban["id"])
    assert all(taliban["id"] in (e["source"], e["target"]) for e in ego["edges"])
    assert len(actor_graph(store, min_sources=2)["edges"]) == 1


def test_graphml_parses(store: SQLiteStore) -> None:
    text = graphml(store)
    root = ET.fromstring(text.encode())
    graph = root.find("g:graph", NS)
    assert graph is not None and graph.get("edgedefault") == "directed"
    nodes = graph.findall("g:node", NS)
    edges = graph.findall("g:edge", NS)
    g = actor_graph(store)
    assert len(nodes) == len(g["nodes"]) and len(edges) == len(g["edges"])
    node_ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in edges)
    assert all(e.get("directed") is None for e in edges)  # no per-edge XML attribute networkx refuses
    assert "<script>" not in text  # the hostile name is escaped in the file
    names = [d.text for d in root.iter(f"{{{NS['g']}}}data") if d.text and XSS_SCRIPT in d.text]
    assert names  # ... and survives as text


def test_geojson_valid(store: SQLiteStore) -> None:
    fc = geojson(store)
    assert fc["type"] == "FeatureCollection" and fc["features"]
    json.dumps(fc, allow_nan=False)
    kinds = {f["properties"]["feature"] for f in fc["features"]}
    assert kinds == {"place", "event"}
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    kabul = next(f for f in fc["features"] if f["properties"].get("name") == "Kabul")
    assert kabul["geometry"]["coordinates"] == [69.17, 34.53]  # [lon, lat]


def _check_af(fc: dict) -> int:
    n = 0
    for f in fc["features"]:
        p = f["properties"]
        if p.get("feature") == "place" and p.get("country") == "AF":
            lon, lat = f["geometry"]["coordinates"]
            assert AF_BBOX[0] <= lon <= AF_BBOX[2] and AF_BBOX[1] <= lat <= AF_BBOX[3], (p["name"], lon, lat)
            n += 1
    return n


def test_geojson_af_bbox(store: SQLiteStore) -> None:
    assert _check_af(geojson(store)) >= 2


def test_csv_folder_and_zip(store: SQLiteStore, tmp_path: Path) -> None:
    files = write_csv(store, tmp_path / "out")
    assert sorted(p.name for p in files) == ["entities.csv", "events.csv", "quantities.csv", "relations.csv"]
    rows = list(csv.DictReader((tmp_path / "out" / "relations.csv").open(encoding="utf-8")))
    ally = [r for r in rows if r["type"] == "ally_of"]
    assert len(ally) == 3 and {r["polarity"] for r in ally} == {"asserted", "denied"}
    assert all(r["sentence"] and r["doc_id"] for r in ally)
    [z] = write_csv(store, tmp_path / "kb.zip")
    with zipfile.ZipFile(z) as zf:
        assert sorted(zf.namelist()) == ["entities.csv", "events.csv", "quantities.csv", "relations.csv"]
        ev = list(csv.DictReader(io.StringIO(zf.read("events.csv").decode())))
        assert any(r["location"] == "Kabul" for r in ev)
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_cell(-3) == -3 and csv_cell("ok") == "ok"


def test_json_whole_kb(store: SQLiteStore) -> None:
    data = json.loads(json.dumps(kb_json(store), default=str))
    assert data["format"] == "sitrep-kb" and len(data["documents"]) == 4
    assert data["documents"][0]["text"] and "mentions" in data["documents"][0]
    assert {"entities", "relations", "quantities", "events"} <= data.keys()
    assert "text" not in kb_json(store, include_text=False)["documents"][0]


def test_cli_exports(store: SQLiteStore, tmp_path: Path) -> None:
    _register()
    runner = CliRunner()
    for fmt, name in (("graphml", "g.graphml"), ("json", "kb.json"), ("geojson", "m.geojson"), ("csv", "c.zip")):
        r = runner.invoke(app, ["export", fmt, "-o", str(tmp_path / name), "--db", store.url])
        assert r.exit_code == 0, r.output
        assert (tmp_path / name).stat().st_size > 0
    assert json.loads((tmp_path / "m.geojson").read_text())["type"] == "FeatureCollection"


def test_seeds_geojson(seeds_db: Path) -> None:
    s = SQLiteStore(seeds_db, readonly=True)
    try:
        fc = geojson(s)
        ET.fromstring(graphml(s, include_places=True).encode())
    finally:
        s.close()
    assert _check_af(fc) >= 1
