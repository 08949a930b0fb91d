"""Headless Chromium against a live server: search, actor graph, map, timeline, document view, hostile article.

Uses /usr/bin/chromium when present (the CI script installs Debian's chromium);
skips otherwise.  Screenshots go to artifacts/browser/ for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from outputs_kb import SEEDS, build_sample_kb, doc_id
from sitrep.web.app import available_vendor, create_app

pytestmark = pytest.mark.browser

CHROMIUM = next((p for p in (os.environ.get("SITREP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser")
                 if p and Path(p).is_file()), None)
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "browser"
HOSTILE = 3

if CHROMIUM is None:
    pytest.skip("chromium not installed (apt-get install chromium); browser tests skipped", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, app) -> None:
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _db(tmp: Path) -> Path:
    """The hand-made KB (with the hostile article) plus the seed articles when the pipeline can run."""
    db = build_sample_kb(tmp / "kb.db")
    if SEEDS.is_dir():
        try:
            from sitrep.pipeline import run_ingest
            from sitrep.store.sqlite import SQLiteStore

            store = SQLiteStore(db)
            try:
                run_ingest([str(SEEDS)], store)
            finally:
                store.close()
        except ModuleNotFoundError:
            pass
    return db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _db(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def live(db: Path) -> Iterator[LiveServer]:
    with LiveServer(create_app(str(db))) as server:
        yield server


@pytest.fixture(scope="module")
def live_fallback(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    empty = tmp_path_factory.mktemp("no-node-modules")
    with LiveServer(create_app(str(db), node_modules=empty)) as server:
        yield server


def chromium(url: str, screenshot: str | None = None, tmp: Path | None = None) -> str:
    """The DOM after scripts ran (``--dump-dom``), and optionally a screenshot under artifacts/browser/."""
    profile = Path(tmp or ARTIFACTS) / f"profile-{os.getpid()}-{time.monotonic_ns()}"
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}",
            "--virtual-time-budget=5000", "--window-size=1280,900"]
    try:
        dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=90, check=True).stdout
        if screenshot:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            subprocess.run([*base, f"--screenshot={ARTIFACTS / screenshot}", url], capture_output=True,
                           timeout=90, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return dom


def dom_attr(dom: str, element_id: str, name: str) -> str | None:
    """The attribute ``name`` of the element with id ``element_id`` in a dumped DOM."""
    tag = re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', dom)
    if not tag:
        return None
    m = re.search(rf'\b{name}="([^"]*)"', tag.group(0))
    return m.group(1) if m else None


def _entity_id(live: LiveServer, name: str) -> int:
    import httpx

    ents = httpx.get(live.url("/api/search"), params={"q": name}).json()["entities"]
    return next(e["id"] for e in ents if e["name"].lower() == name.lower())


def test_search_results(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url("/search?q=Taliban"), "search.png", tmp_path)
    assert 'id="entity-results"' in dom and ">Taliban</a>" in dom
    assert re.search(r'id="document-results".*?href="/doc/[0-9a-f]+', dom, re.S)
    assert 'data-js="1"' in dom  # our script ran


def test_actor_graph_renders(live: LiveServer, tmp_path: Path) -> None:
    tid = _entity_id(live, "Taliban")
    dom = chromium(live.url(f"/actor/{tid}"), "actor.png", tmp_path)
    assert dom_attr(dom, "graph", "data-rendered") == "1"
    assert int(dom_attr(dom, "graph", "data-edges") or 0) >= 1
    if "cytoscape" in available_vendor():
        assert dom_attr(dom, "graph", "data-renderer") == "cytoscape"
        assert "<canvas" in dom
    else:
        assert dom_attr(dom, "graph", "data-renderer") == "fallback"


def test_network_page(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url("/graph"), "graph.png", tmp_path)
    assert dom_attr(dom, "graph", "data-rendered") == "1"
    assert int(dom_attr(dom, "graph", "data-nodes") or 0) >= 3


def test_map_renders(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url("/map"), "map.png", tmp_path)
    assert dom_attr(dom, "map", "data-rendered") == "1"
    assert int(dom_attr(dom, "map", "data-features") or 0) >= 2
    if "leaflet" in available_vendor():
        assert "leaflet-container" in dom and "leaflet-interactive" in dom


def test_timeline_renders(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url("/timeline"), "timeline.png", tmp_path)
    assert dom_attr(dom, "timeline", "data-rendered") == "1"
    assert 'class="tl-dot"' in dom


def test_document_view(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url(f"/doc/{doc_id(0)}"), "document.png", tmp_path)
    assert 'id="doc-text"' in dom and 'class="mention k-person"' in dom
    assert "Removed page furniture" in dom and "Subscribe to our newsletter" in dom


def test_hostile_article_inert(live: LiveServer, tmp_path: Path) -> None:
    dom = chromium(live.url(f"/doc/{doc_id(HOSTILE)}"), "hostile.png", tmp_path)
    assert 'data-js="1"' in dom  # scripts did run on the page ...
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # ... but the payload stayed text
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom
    assert "<script>alert" not in dom
    assert not re.search(r"<img[^>]*onerror", dom)
    assert not re.search(r"<a\s[^>]*href=\"javascript:", dom)  # only as escaped text
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title.startswith("Hostile &lt;script&gt;")
    scripts = re.findall(r"<script([^>]*)>", dom)
    assert scripts and all('src="/static/' in s for s in scripts)


def test_fallback_without_vendor(live_fallback: LiveServer, tmp_path: Path) -> None:
    tid = _entity_id(live_fallback, "Taliban")
    dom = chromium(live_fallback.url(f"/actor/{tid}"), "fallback-actor.png", tmp_path)
    assert dom_attr(dom, "graph", "data-renderer") == "fallback"
    assert 'class="fallback-graph"' in dom and "not installed" in dom
    dom = chromium(live_fallback.url("/map"), "fallback-map.png", tmp_path)
    assert dom_attr(dom, "map", "data-renderer") == "fallback" and 'class="fallback-map"' in dom
