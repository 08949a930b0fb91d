"""The read-only web page: search, actor profiles, network graph, map, timeline, documents.

``create_app(db_url)`` builds a FastAPI app over one read-only store.  Pages are
rendered server-side with Jinja2 (autoescape on); the graph, map and timeline
are drawn in the browser by ``static/app.js`` from the JSON API.  JavaScript
libraries come from ``node_modules`` (see ``package.json`` and
``scripts/install_web_assets.sh``) and are served under ``/static/vendor/``;
without them the page falls back to its own simple SVG drawings.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep.models import EVENT_TYPES, PLACE_KINDS, RELATION_TYPES
from sitrep.outputs.citations import safe_url
from sitrep.outputs.exports import event_features, place_features
from sitrep.query.changes import SinceError
from sitrep.query.changes import changes as find_changes
from sitrep.query.facts import contradictions as find_contradictions
from sitrep.query.filters import FilterError, ViewFilter, describe, filtered_events, parse_filters
from sitrep.query.grading import GRADES, grade_with, grades
from sitrep.query.grading import scale as grade_scale
from sitrep.query.graph import actor_graph, filtered_facts
from sitrep.store import Store, open_store
from sitrep.web.corrections import graded_events, graded_quantities, graded_relations
from sitrep.web.corrections import register as register_corrections
from sitrep.web.fragments import GLOBALS as FRAGMENTS
from sitrep.web.render import highlight_segments, snippet_segments, valid_doc_id
from sitrep.web.security import LOOPBACK_HOSTS, GuardMiddleware

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"
NODE_MODULES = WEB_DIR / "node_modules"

#: URL name -> (folder inside node_modules, the file the pages load from it)
VENDOR: dict[str, tuple[str, str]] = {
    "cytoscape": ("cytoscape/dist", "cytoscape.min.js"),
    "leaflet": ("leaflet/dist", "leaflet.js"),
    "topojson": ("topojson-client/dist", "topojson-client.min.js"),
    "world-atlas": ("world-atlas", "countries-110m.json"),
    # fcose (a force layout without overlapping nodes) and what it is built on, loaded in this order
    "layout-base": ("layout-base", "layout-base.js"),
    "cose-base": ("cose-base", "cose-base.js"),
    "fcose": ("cytoscape-fcose", "cytoscape-fcose.js"),
    "markercluster": ("leaflet.markercluster/dist", "leaflet.markercluster.js"),
}
#: Actors offered in the filter form's list.
FILTER_ACTORS = 300
MAX_Q = 200
MAX_SINCE = 40
SQLITE_HEADER = b"SQLite format 3\x00"


def available_vendor(node_modules: Path = NODE_MODULES) -> dict[str, Path]:
    """The vendor folders that are installed (their main file exists)."""
    out = {}
    for name, (folder, main) in VENDOR.items():
        path = node_modules / folder
        if (path / main).is_file():
            out[name] = path
    return out


def _file_identity(db_url: str) -> tuple[Path, tuple[int, int]] | None:
    """(path, (device, inode)) of a SQLite database file, None for PostgreSQL."""
    if db_url.startswith(("postgresql://", "postgres://")):
        return None
    path = Path(db_url.removeprefix("sqlite:///").removeprefix("sqlite://")).resolve()
    st = os.stat(path)
    return path, (st.st_dev, st.st_ino)


class KB:
    """A small pool of read-only stores: each request thread borrows its own connection, so
    requests are served in parallel (SQLite in WAL mode lets readers run side by side; for
    PostgreSQL each store is one connection).  At most ``size`` connections are open; a request
    beyond that waits for one to come back."""

    def __init__(self, db_url: str, size: int = 16) -> None:
        self.db_url = db_url
        self.size = max(1, size)
        first = open_store(db_url, readonly=True)  # fails here, at start-up, when the KB is unusable
        try:
            self.identity = _file_identity(db_url)
        except OSError:
            self.identity = None
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._idle.put(first)
        self._slots = threading.BoundedSemaphore(self.size)
        self._all: list[Store] = [first]
        self._lock = threading.Lock()
        self.store = first  # kept for callers that inspect one store

    @contextmanager
    def use(self) -> Iterator[Store]:
        with self._slots:
            try:
                store = self._idle.get_nowait()
            except queue.Empty:
                store = open_store(self.db_url, readonly=True)
                with self._lock:
                    self._all.append(store)
            version = store.data_version()
            if version is None or version != getattr(store, "cached_version", None):
                store.read_cache = {}  # what is read once while the data is unchanged (the grades in force)
                store.cached_version = version
            try:
                yield store
            finally:
                self._idle.put(store)

    def replaced(self) -> str | None:
        """Why the database file is no longer the one opened (moved, deleted, replaced), or None."""
        if self.identity is None:
            return None
        path, ident = self.identity
        try:
            st = os.stat(path)
        except OSError:
            return f"database file {path} is gone"
        if (st.st_dev, st.st_ino) != ident:
            return f"database file {path} was replaced since the server started; restart it"
        try:  # cached pages would hide a file overwritten in place: its header tells
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            return f"database file {path} cannot be read: {exc}"
        if header != SQLITE_HEADER:
            return f"database file {path} is no longer a SQLite database (overwritten or corrupt)"
        return None

    def close(self) -> None:
        with self._lock:
            stores, self._all = self._all, []
        for store in stores:
            store.close()


def _env() -> Environment:
    # templates are read once (auto_reload off: no file check per page); restart the server after editing them
    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True, auto_reload=False)
    env.filters["safe_url"] = safe_url
    env.globals["RELATION_TYPES"] = RELATION_TYPES
    env.globals.update(FRAGMENTS)  # claims, facts, estimates, events and article text, written in Python
    env.globals["claim_forms_for"] = lambda request: None  # with an access token: corrections.register
    return env


def _event_view(e: dict[str, Any]) -> dict[str, Any]:
    """An event for JSON: drop nothing essential, keep the reports short."""
    return {**{k: v for k, v in e.items() if k != "reports"},
            "reports": [{k: r.get(k) for k in ("doc_id", "doc_title", "publisher", "published", "source",
                                               "polarity", "sentence")} for r in e["reports"]]}


def _json_default(value: Any) -> Any:
    """What ``json.dumps`` cannot write itself, written as FastAPI's encoder would."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def fast_json(data: Any, status_code: int = 200) -> Response:
    """A JSON response written straight by ``json.dumps`` (FastAPI's encoder walks every value of a
    returned dict first, which cost as much as building the page's data)."""
    body = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_json_default)
    return Response(body.encode("utf-8"), status_code=status_code, media_type="application/json")


MAX_ID = 2**63 - 1
EntityId = Annotated[int, PathParam(ge=0, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=0, le=MAX_ID)]


def create_app(db_url: str, token: str | None = None, *, rate: float = 20.0, burst: int = 100,
               max_body: int = 64 * 1024, allowed_hosts: set[str] | None = None,
               node_modules: Path | None = None, pool_size: int = 16) -> FastAPI:
    """The web app over the knowledge base at ``db_url`` (opened read-only).

    ``token``: when set, every request must carry it (``?token=`` once, then a cookie; or
    ``Authorization: Bearer``).  Without a token the Host header must be a loopback name
    (DNS-rebinding defence) unless ``allowed_hosts`` says otherwise.
    """
    kb = KB(db_url, size=pool_size)
    env = _env()
    vendor = available_vendor(node_modules or NODE_MODULES)
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        kb.close()

    app = FastAPI(title="sitrep", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.kb = kb
    app.state.vendor = vendor
    if allowed_hosts is None and token is None:
        allowed_hosts = set(LOOPBACK_HOSTS) | {"testserver"}
    app.add_middleware(GuardMiddleware, token=token, rate=rate, burst=burst, max_body=max_body,
                       allowed_hosts=None if token else allowed_hosts)

    for name, path in vendor.items():
        app.mount(f"/static/vendor/{name}", StaticFiles(directory=path), name=f"vendor-{name}")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def page(name: str, request: Request, status: int = 200, **ctx: Any) -> HTMLResponse:
        html = env.get_template(name).render(request=request, vendor=vendor, nav=name.removesuffix(".html"), **ctx)
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail, "status": exc.status_code}, status_code=exc.status_code)
        return page("error.html", request, status=exc.status_code, status_code=exc.status_code,
                    message=str(exc.detail))

    # -- data helpers -------------------------------------------------------------------------
    def entity_or_404(store: Store, entity_id: int) -> dict[str, Any]:
        ent = store.get_entity(entity_id)
        if ent is None:
            raise HTTPException(404, f"no actor or place with id {entity_id}")
        return ent

    def actor_data(store: Store, entity_id: int) -> dict[str, Any]:
        ent = entity_or_404(store, entity_id)
        is_place = ent["kind"] in PLACE_KINDS
        if is_place:
            ev_rows = store.event_rows(place_ids=store.places_within(entity_id))
        else:
            ev_rows = store.event_rows(entity_id=entity_id)
        return {
            "entity": ent,
            "is_place": is_place,
            "aliases": [a for a in store.aliases(entity_id) if a != ent["name"]],
            "parent": store.entity_by_key(ent["parent_key"]) if ent.get("parent_key") else None,
            "relations": graded_relations(store, store.relation_rows(entity_id=entity_id), about=ent),
            "quantities": graded_quantities(store, store.quantity_rows(entity_id=entity_id), about=ent),
            "events": graded_events(store, ev_rows),
            "documents": store.entity_documents(entity_id, limit=200),
        }

    def search_data(store: Store, q: str) -> dict[str, Any]:
        q = q.strip()[:MAX_Q]
        if not any(c.isalnum() for c in q):  # "%", "*", "_" alone would match everything
            return {"q": q, "entities": [], "documents": []}
        docs = store.search_documents(q, limit=30)
        for d in docs:
            d["snippet_segments"] = snippet_segments(d.get("snippet"))
        return {"q": q, "entities": store.list_entities(q=q, limit=30), "documents": docs}

    def doc_data(store: Store, doc_id: str) -> dict[str, Any]:
        if not valid_doc_id(doc_id):
            raise HTTPException(404, "no such document")
        doc = store.get_document(doc_id)
        if doc is None:
            raise HTTPException(404, "no such document")
        mentions = store.mentions(doc_id=doc["id"], limit=100_000)
        return {"document": doc, "mentions": mentions, "url": safe_url(doc.get("url")),
                "relations": graded_relations(store, store.relation_rows(doc_id=doc["id"]), doc_id=doc["id"]),
                "quantities": graded_quantities(store, store.quantity_rows(doc_id=doc["id"])),
                "events": graded_events(store, store.event_rows(doc_id=doc["id"]))}

    # -- pages ----------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        with kb.use() as store:
            actors = store.list_entities(places=False, limit=25)
            docs = store.list_documents(limit=50)
            stats = store.stats()
        return page("index.html", request, actors=actors, documents=docs, stats=stats)

    @app.get("/search", response_class=HTMLResponse)
    def search(request: Request, q: str = Query("", max_length=1000)) -> HTMLResponse:
        with kb.use() as store:
            data = search_data(store, q)
        return page("search.html", request, **data)

    @app.get("/actor/{entity_id}", response_class=HTMLResponse)
    def actor(request: Request, entity_id: EntityId) -> HTMLResponse:
        with kb.use() as store:
            data = actor_data(store, entity_id)
        return page("actor.html", request, **data)

    # -- filtered views (network, map, timeline) --------------------------------------------------
    def view_filter(request: Request, store: Store) -> ViewFilter:
        """The request's filter, checked whole: a bad value is a 400 naming it, an unknown actor a 404."""
        try:
            flt = parse_filters(request.query_params)
        except FilterError as exc:
            raise HTTPException(400, str(exc)) from None
        if flt.actor is not None:
            entity_or_404(store, flt.actor)
        return flt

    def filter_form(store: Store, flt: ViewFilter, **extra: Any) -> dict[str, Any]:
        actors = sorted(store.list_entities(places=False, limit=FILTER_ACTORS), key=lambda a: a["name"].lower())
        names = {a["id"]: a["name"] for a in actors}
        if flt.actor is not None and flt.actor not in names:
            ent = store.get_entity(flt.actor)
            if ent is not None:
                names[flt.actor] = ent["name"]
                actors.insert(0, ent)
        params = {**flt.params(), **{k: str(v) for k, v in extra.items() if v}}
        return {"flt": flt, "filter_params": params, "filter_actors": actors, "event_types": EVENT_TYPES,
                "relation_types": RELATION_TYPES, "credibility_labels": grade_scale().credibility,
                "grades": GRADES, "grade_labels": grade_scale().reliability,
                "filter_summary": describe(flt, names)}

    @app.get("/graph", response_class=HTMLResponse)
    def graph(request: Request, places: bool = False) -> HTMLResponse:
        with kb.use() as store:
            flt = view_filter(request, store)
            form = filter_form(store, flt, places=1 if places else None)
        return page("graph.html", request, places=places, **form)

    @app.get("/map", response_class=HTMLResponse)
    def map_page(request: Request) -> HTMLResponse:
        with kb.use() as store:
            flt = view_filter(request, store)
            form = filter_form(store, flt)
        return page("map.html", request, **form)

    @app.get("/timeline", response_class=HTMLResponse)
    def timeline(request: Request) -> HTMLResponse:
        with kb.use() as store:
            flt = view_filter(request, store)
            form = filter_form(store, flt)
            chosen = filtered_events(store, flt)
        evs = chosen["events"]
        dated = sorted((e for e in evs if e["date"]), key=lambda e: e["date"], reverse=True)
        undated = [e for e in evs if not e["date"]]
        return page("timeline.html", request, dated=dated, undated=undated,
                    undated_count=chosen["undated"], **form)

    def contradictions_data(store: Store, actor: int | None) -> dict[str, Any]:
        entity = entity_or_404(store, actor) if actor is not None else None
        data = find_contradictions(store, actor=str(actor) if actor is not None else None)
        g = grades(store)  # each claim's source grade and each fact's credibility, as on the actor page
        grade_with(g, data["relations"])
        grade_with(g, data["quantities"])
        return {"entity": entity, **data}

    @app.get("/contradictions", response_class=HTMLResponse)
    def contradictions(request: Request, actor: OptionalId = None) -> HTMLResponse:
        with kb.use() as store:
            data = contradictions_data(store, actor)
        return page("contradictions.html", request, **data)

    @app.get("/api/contradictions")
    def api_contradictions(actor: OptionalId = None) -> Response:
        with kb.use() as store:
            return fast_json(contradictions_data(store, actor))

    @app.get("/doc/{doc_id}", response_class=HTMLResponse)
    def document(request: Request, doc_id: str) -> HTMLResponse:
        with kb.use() as store:
            data = doc_data(store, doc_id)
        segments = highlight_segments(data["document"]["text"] or "", data["mentions"])
        return page("doc.html", request, segments=segments, **data)

    # -- JSON API ----------------------------------------------------------------------------------
    @app.get("/api/search")
    def api_search(q: str = Query("", max_length=1000)) -> Response:
        with kb.use() as store:
            data = search_data(store, q)
        for d in data["documents"]:
            d.pop("snippet_segments", None)
        return fast_json(data)

    @app.get("/api/graph")
    def api_graph(request: Request, places: bool = False,
                  min_sources: int = Query(0, ge=0, le=1000)) -> Response:
        with kb.use() as store:
            flt = view_filter(request, store)
            return fast_json(actor_graph(store, include_places=places, min_sources=min_sources, flt=flt))

    def filtered_place_ids(store: Store, flt: ViewFilter, events: list[dict[str, Any]]) -> set[int]:
        """Places of what a filter keeps: the places of its events and of its relation facts."""
        ids = {e["location_id"] for e in events if e.get("location_id") is not None}
        for f in filtered_facts(store, flt)["facts"]:
            ids.update((f["subject_id"], f["object_id"]))
        return ids

    @app.get("/api/places")
    def api_places(request: Request) -> Response:
        with kb.use() as store:
            flt = view_filter(request, store)
            features = place_features(store)
            if flt.active:
                keep = filtered_place_ids(store, flt, filtered_events(store, flt)["events"])
                features = [f for f in features if f["properties"]["entity_id"] in keep]
        return fast_json({"type": "FeatureCollection", "features": features, "filter": flt.params()})

    @app.get("/api/events")
    def api_events(request: Request, place: OptionalId = None, geojson: bool = False) -> Response:
        with kb.use() as store:
            flt = view_filter(request, store)
            place_ids = store.places_within(place) if place is not None else None
            chosen = filtered_events(store, flt, place_ids=place_ids)
        evs = chosen["events"]
        if geojson:
            return fast_json({"type": "FeatureCollection", "features": event_features(evs),
                              "undated": chosen["undated"], "filter": flt.params()})
        return fast_json({"events": [_event_view(e) for e in evs], "undated": chosen["undated"],
                          "filter": flt.params()})

    # -- what changed ----------------------------------------------------------------------------------
    def changes_data(store: Store, since: str | None) -> dict[str, Any]:
        runs = store.list_runs() if hasattr(store, "list_runs") else []
        if not since:
            return {"runs": runs, "result": None, "since": ""}
        if len(since) > MAX_SINCE:
            raise HTTPException(400, f"since: at most {MAX_SINCE} characters (a run id or a date YYYY-MM-DD)")
        try:
            result = find_changes(store, since)
        except SinceError as exc:
            message = str(exc).replace("--since ", "")
            raise HTTPException(400, f"since: {message} (a run id or a date YYYY-MM-DD)") from None
        return {"runs": runs, "result": result, "since": since}

    @app.get("/changes", response_class=HTMLResponse)
    def changes_page(request: Request, since: str | None = None) -> HTMLResponse:
        with kb.use() as store:
            data = changes_data(store, since)
        return page("changes.html", request, **data)

    @app.get("/api/changes")
    def api_changes(since: str = "") -> Response:
        if not since:
            raise HTTPException(400, "since: give a run id (see /changes) or a date YYYY-MM-DD")
        with kb.use() as store:
            return fast_json(changes_data(store, since)["result"])

    @app.get("/api/actor/{entity_id}")
    def api_actor(entity_id: EntityId) -> Response:
        with kb.use() as store:
            data = actor_data(store, entity_id)
        data["events"] = [_event_view(e) for e in data["events"]]
        return fast_json(data)

    @app.get("/api/doc/{doc_id}")
    def api_doc(doc_id: str) -> Response:
        with kb.use() as store:
            data = doc_data(store, doc_id)
        doc = {k: v for k, v in data["document"].items() if k not in ("raw", "simhash")}
        doc["url"] = data["url"]
        return fast_json({**data, "document": doc})

    @app.get("/healthz")
    def healthz() -> Response:
        problem = kb.replaced()
        documents = None
        if problem is None:
            try:
                with kb.use() as store:
                    store.schema_version()
                    documents = store.count_documents()
                    store.list_entities(limit=1)
            except Exception as exc:  # noqa: BLE001 - any failure of the store means "not healthy"
                problem = f"database unusable: {type(exc).__name__}: {exc}"
        if problem is not None:
            return JSONResponse({"ok": False, "error": problem}, status_code=503,
                                headers={"cache-control": "no-store"})
        return JSONResponse({"ok": True, "documents": documents, "vendor": sorted(vendor)},
                            headers={"cache-control": "no-store"})

    register_corrections(app, env, kb, token, page)  # source page, grades, decision forms (with a token)
    return app
