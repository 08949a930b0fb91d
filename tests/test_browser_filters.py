"""Headless Chromium on the filtered network, map and timeline: what is drawn changes with the filter
(nodes, edges, markers, rows), dense markers are clustered, a few hundred nodes are laid out with their
labels apart, and every page still works without the JavaScript libraries.

Screenshots go to ``$SITREP_SCREENSHOTS`` (default ``/tmp/sitrep-browser-filters``) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import write_results
from filters_kb import build_filters_kb
from sitrep.models import Claim, DocResult, Document, Entity, Relation, content_hash
from sitrep.store.sqlite import SQLiteStore
from sitrep.web.app import available_vendor, create_app
from test_browser import ARTIFACTS, LiveServer, chromium
from test_browser import dom_attr as attr

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("SITREP_SCREENSHOTS", "/tmp/sitrep-browser-filters"))
VENDOR = available_vendor()
BIG_GRAPH = 240  # nodes of the large network


def shot(url: str, name: str, tmp: Path) -> str:
    """The rendered DOM, and a screenshot saved as SHOTS/name."""
    dom = chromium(url, name, tmp)  # test_browser writes screenshots under artifacts/browser/
    SHOTS.mkdir(parents=True, exist_ok=True)
    if (ARTIFACTS / name).is_file():
        shutil.copy(ARTIFACTS / name, SHOTS / name)
    return dom


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_filters_kb(tmp_path_factory.mktemp("browser-filters") / "kb.db")


@pytest.fixture(scope="module")
def live(db: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(str(db), rate=1000.0, burst=1000)) as server:
        yield server


@pytest.fixture(scope="module")
def live_plain(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    empty = tmp_path_factory.mktemp("no-node-modules")
    with LiveServer(create_app(str(db), node_modules=empty, rate=1000.0, burst=1000)) as server:
        yield server


def big_graph_db(path: Path) -> Path:
    """One invented report naming BIG_GRAPH groups in a tree of alliances and feuds (long names)."""
    names = [f"Unit {i:03d} of the Northern Marsh Brigade" if i % 3 == 0 else f"Cell {i:03d} Front"
             for i in range(BIG_GRAPH)]
    text = " ".join(f"{n} is allied with {names[i // 2]}." for i, n in enumerate(names) if i)
    h = content_hash(text)
    doc = Document(id=h[:16], source="test://big-graph", raw=text, text=text, content_hash=h,
                   published="2025-01-01", publisher="Marsh Post", offsets=[(0, 0, len(text))])
    ents = [Entity(f"actor:g{i}", n, "armed_group") for i, n in enumerate(names)]
    r = DocResult(document=doc, entities=ents)
    pos = 0
    for i, _ in enumerate(names):
        if not i:
            continue
        start = text.index(" is allied with ", pos)
        end = text.index(".", start) + 1
        kind = "hostile_to" if i % 4 == 0 else "ally_of"
        r.relations.append(Relation(f"actor:g{i}", kind, f"actor:g{i // 2}",
                                    Claim(doc.id, start, end, pos, end, text[pos:end])))
        pos = end + 1
    return write_results(path, [r])


def _id(name: str, db: Path) -> int:
    with SQLiteStore(db, readonly=True) as store:
        return next(e["id"] for e in store.list_entities(q=name, limit=5) if e["name"] == name)


def test_network_filters_change_what_is_drawn(live: LiveServer, db: Path, tmp_path: Path) -> None:
    dom = shot(live.url("/graph"), "filters-graph-all.png", tmp_path)
    assert attr(dom, "graph", "data-rendered") == "1"
    assert (attr(dom, "graph", "data-nodes"), attr(dom, "graph", "data-edges")) == ("4", "4")
    if "cytoscape" in VENDOR:
        assert attr(dom, "graph", "data-renderer") == "cytoscape"
        assert attr(dom, "graph", "data-layout") == ("fcose" if "fcose" in VENDOR else "cose")
    dom = shot(live.url("/graph?relation=ally_of"), "filters-graph-ally.png", tmp_path)
    assert (attr(dom, "graph", "data-nodes"), attr(dom, "graph", "data-edges")) == ("2", "1")
    dom = chromium(live.url("/graph?credibility=1"), None, tmp_path)
    assert attr(dom, "graph", "data-edges") == "2"
    dom = chromium(live.url("/graph?from=2025-02-01&to=2025-03-31"), None, tmp_path)
    assert attr(dom, "graph", "data-edges") == "3"
    assert "have no dated report: kept" in dom  # the undated leaflet's relation, said so
    dom = chromium(live.url("/graph?grade=A&relation=hostile_to"), None, tmp_path)
    assert attr(dom, "graph", "data-renderer") == "empty" and "No relation passes this filter." in dom
    rhb = _id("Red Hand Brigade", db)
    dom = chromium(live.url(f"/graph?actor={rhb}"), None, tmp_path)
    assert (attr(dom, "graph", "data-nodes"), attr(dom, "graph", "data-edges")) == ("4", "3")


def test_map_filters_and_clusters(live: LiveServer, db: Path, tmp_path: Path) -> None:
    dom = shot(live.url("/map"), "filters-map-all.png", tmp_path)
    assert attr(dom, "map", "data-rendered") == "1"
    assert attr(dom, "map", "data-event-markers") == "8" and int(attr(dom, "map", "data-place-markers") or 0) >= 4
    assert "1 undated event(s) kept" in dom
    assert attr(dom, "map", "data-largest-radius") == "18"  # 5000 dead: the capped radius, not sqrt(5000)
    if "leaflet" in VENDOR and "markercluster" in VENDOR:
        assert attr(dom, "map", "data-clustering") == "markercluster"
        # Port Verin and Holloway are 5 km apart: their markers are one cluster at the first zoom
        assert re.search(r'class="[^"]*leaflet-marker-icon[^"]*cluster-event', dom)
    dom = shot(live.url("/map?event_type=Battles"), "filters-map-battles.png", tmp_path)
    assert attr(dom, "map", "data-event-markers") == "4"
    assert float(attr(dom, "map", "data-largest-radius") or 0) < 18  # 7 dead at most: 4 + 1.5 * sqrt(7)
    dom = chromium(live.url("/map?event_type=Battles&undated=0"), None, tmp_path)
    assert attr(dom, "map", "data-event-markers") == "3" and "undated event(s) kept" not in dom
    rhb = _id("Red Hand Brigade", db)
    dom = chromium(live.url(f"/map?actor={rhb}"), None, tmp_path)
    assert (attr(dom, "map", "data-event-markers"), attr(dom, "map", "data-place-markers")) == ("3", "2")


def test_timeline_filters(live: LiveServer, tmp_path: Path) -> None:
    dom = shot(live.url("/timeline"), "filters-timeline-all.png", tmp_path)
    assert attr(dom, "timeline", "data-events") == "7" and attr(dom, "timeline", "data-undated") == "1"
    assert len(re.findall(r'class="tl-dot"', dom)) == 7
    dom = shot(live.url("/timeline?from=2025-02&to=2025-04"), "filters-timeline-range.png", tmp_path)
    assert attr(dom, "timeline", "data-events") == "3" and len(re.findall(r'class="tl-dot"', dom)) == 3
    assert attr(dom, "timeline-counts", "data-undated") == "1"
    assert len(re.findall(r"<tr>\s*<td>", dom)) == 4  # three dated rows, one undated row
    dom = chromium(live.url("/timeline?grade=A"), None, tmp_path)
    assert attr(dom, "timeline", "data-events") == "3"


def test_bad_filter_is_shown_not_emptied(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url("/map?credibility=9"), None, tmp_path)
    assert "credibility must be 1" in dom and 'id="map"' not in dom


def test_changes_page(live: LiveServer, tmp_path: Path) -> None:
    dom = shot(live.url("/changes?since=1"), "filters-changes.png", tmp_path)
    assert attr(dom, "changes-summary", "data-documents") == "3"
    assert "Silent Owl Cell" in dom and 'id="credibility-changed"' in dom


def test_plain_pages_without_libraries(live_plain: LiveServer, tmp_path: Path) -> None:
    dom = shot(live_plain.url("/graph?relation=hostile_to"), "filters-plain-graph.png", tmp_path)
    assert attr(dom, "graph", "data-renderer") == "fallback" and attr(dom, "graph", "data-layout") == "rings"
    assert attr(dom, "graph", "data-edges") == "2" and attr(dom, "graph", "data-overlaps") == "0"
    dom = shot(live_plain.url("/map"), "filters-plain-map.png", tmp_path)
    assert attr(dom, "map", "data-renderer") == "fallback" and attr(dom, "map", "data-clustering") == "grid"
    assert attr(dom, "map", "data-event-markers") == "8"
    assert re.search(r'<g class="cluster event"', dom)  # Port Verin and Holloway drawn as one group
    dom = chromium(live_plain.url("/map?event_type=Protests"), None, tmp_path)
    assert attr(dom, "map", "data-event-markers") == "1" and '<g class="cluster event"' not in dom


@pytest.mark.slow
def test_a_few_hundred_nodes_keep_their_labels_apart(tmp_path_factory: pytest.TempPathFactory,
                                                      tmp_path: Path) -> None:
    db = big_graph_db(tmp_path_factory.mktemp("big-graph") / "kb.db")
    with LiveServer(create_app(str(db), rate=1000.0, burst=1000)) as live:
        dom = shot(live.url("/graph"), "filters-graph-big.png", tmp_path)
    assert attr(dom, "graph", "data-nodes") == str(BIG_GRAPH)
    if "cytoscape" in VENDOR and "fcose" in VENDOR:
        assert attr(dom, "graph", "data-layout") == "fcose"
        # nodes with their labels: (almost) no two boxes overlap among ~29,000 pairs
        assert int(attr(dom, "graph", "data-overlaps") or 0) <= BIG_GRAPH // 40
    empty = tmp_path_factory.mktemp("no-node-modules-big")
    with LiveServer(create_app(str(db), node_modules=empty, rate=1000.0, burst=1000)) as live:
        dom = shot(live.url("/graph"), "filters-plain-graph-big.png", tmp_path)
    assert attr(dom, "graph", "data-layout") == "rings" and attr(dom, "graph", "data-overlaps") == "0"



@pytest.mark.slow
def test_using_the_form_and_the_menu(live: LiveServer, tmp_path: Path) -> None:
    """Choose filters in the form as an analyst does: the URL says what was chosen, the table and the
    drawing follow, and the menu takes the same filter to the map."""
    import base64

    from test_browser_corrections import Chromium

    browser = Chromium(tmp_path / "profile")
    try:
        browser.open(live.url("/timeline"), "/timeline")
        rows = "document.querySelectorAll('table.events tbody tr').length"
        assert browser.js(rows) == 8
        browser.js("""(() => { const f = document.getElementById('filters');
            f.elements['event_type'].value = 'Battles'; f.elements['undated'].checked = true;
            f.querySelector('button[type=submit]').click(); })()""")
        time.sleep(0.5)
        browser.wait_for("/timeline")
        query = browser.js("location.search")
        assert "event_type=Battles" in query and "undated=0" in query
        assert browser.js(rows) == 3
        assert browser.js("document.getElementById('timeline').dataset.events") == "3"
        browser.js("document.querySelector('header nav a[href^=\"/map\"]').click()")
        time.sleep(0.5)
        browser.wait_for("/map")
        assert "event_type=Battles" in browser.js("location.search")
        deadline = time.monotonic() + 20
        while browser.js("document.getElementById('map').dataset.rendered") != "1" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert browser.js("document.getElementById('map').dataset.eventMarkers") == "3"
        assert browser.js("document.querySelector('select[name=event_type]').value") == "Battles"
        png = browser.call("Page.captureScreenshot", browser.session, format="png")["data"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "filters-form-map.png").write_bytes(base64.b64decode(png))
    finally:
        browser.close()
