"""Web security: escaping, path traversal, SQL injection, size and rate limits, headers, read-only, token.

The knowledge base under test holds hostile content two ways: an article with script payloads ingested
through the real pipeline, and a document written straight to the store whose entity names, aliases,
snippets, cues and URLs are payloads (so every rendered field carries one).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from conftest import ROOT, db_counts, pipeline_missing, run_sitrep

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

try:
    from sitrep.web.app import create_app
except ImportError as exc:  # the web app is written by another engineer
    pytest.skip(f"sitrep.web.app.create_app not available yet: {exc}", allow_module_level=True)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = "\"><svg onload=alert(1)>"
JS_URL = "javascript:alert(1)"
PAYLOADS = (SCRIPT, IMG, SVG, "<iframe src=javascript:alert(1)>", "</textarea><script>alert(2)</script>",
            "'\"><b onmouseover=alert(3)>x</b>", "{{7*7}}", "${7*7}")
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg onload", "<iframe src=javascript", "<b onmouseover",
               "</textarea><script>")
TOKEN = "correct-horse-battery-staple"

# --- the hostile knowledge base --------------------------------------------------------------------------------


def _hostile_result() -> Any:
    """A DocResult whose every text field is a payload, written straight to the store."""
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

    names = [f"Front {SCRIPT}", f"Brigade {IMG}", f"Kandahar {SVG}"]
    text = (f"{names[0]} is allied with {names[1]}. {names[0]} has about 500 fighters in {names[2]}. "
            f"{names[1]} attacked {names[2]} on Monday, killing 3 people. {' '.join(PAYLOADS)}")
    raw = f"Headline {SCRIPT}\n\n{text}"
    h = content_hash(raw)
    doc = Document(id=h[:16], source=f"hostile/{SCRIPT}.txt", raw=raw, text=text, content_hash=h,
                   title=f"Title {SCRIPT} {IMG}", published="2023-06-18", publisher=f"Publisher {SVG}",
                   author=f"Author {IMG}", url=JS_URL)
    keys = ["org:xss-front", "org:xss-brigade", "place:xss-kandahar"]
    kinds = ["armed_group", "armed_group", "city"]
    ents = [Entity(key=k, name=n, kind=kd, aliases=[n, f"alias {SCRIPT}"], lat=31.6 if kd == "city" else None,
                   lon=65.7 if kd == "city" else None, country="AF") for k, n, kd in zip(keys, names, kinds,
                                                                                         strict=True)]
    mentions = []
    for k, n in zip(keys, names, strict=True):
        start = text.index(n)
        mentions.append(Mention(doc_id=doc.id, start=start, end=start + len(n), text=n, label="armed_group",
                                entity_key=k, sent_start=0, sent_end=len(text)))
    claim = Claim(doc_id=doc.id, start=0, end=40, sent_start=0, sent_end=60, snippet=f"snippet {SCRIPT} {IMG}",
                  source_key=keys[0], source_text=f"source {SVG}", modality=f"reportedly {IMG}")
    return DocResult(
        document=doc, entities=ents, mentions=mentions,
        relations=[Relation(keys[0], "ally_of", keys[1], claim, cue=f"cue {SCRIPT}")],
        quantities=[Quantity(keys[0], f"fighters {SCRIPT}", 500.0, 500.0, claim, qualifier="about",
                             text=f"about 500 {IMG}")],
        events=[Event("Battles", f"Armed clash {SCRIPT}", claim, location_key=keys[2], date="2023-06-12",
                      date_text=f"Monday {IMG}", killed=3, perpetrator_key=keys[1], target_key=keys[2],
                      target_text=f"target {SVG}", trigger=f"attacked {SCRIPT}")],
    )


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitrep.store.sqlite import SQLiteStore

    folder = tmp_path_factory.mktemp("xss")
    db = folder / "xss.db"
    if pipeline_missing() is None:
        import json

        from sitrep.pipeline import run_ingest

        jsonl = folder / "xss.jsonl"
        body = (f"Taliban fighters attack Kandahar {SCRIPT}\n\nKandahar, 14 March 2023: At least 12 people were "
                f"killed when Taliban fighters attacked a police post in Kandahar, officials said. Commander "
                f"{IMG} said the Haqqani Network supports the Taliban. {SVG} {JS_URL}\n\nA spokesman for the "
                f"National Resistance Front said the group had about 3,000 fighters in Panjshir.")
        jsonl.write_text(json.dumps({"id": "xss-1", "title": f"{SCRIPT} Taliban attack", "url": JS_URL,
                                     "publisher": IMG, "author": SVG, "text": body}) + "\n", encoding="utf-8")
        store = SQLiteStore(db)
        try:
            summary = run_ingest([str(jsonl)], store)
            assert summary.ingested == 1, summary.to_dict()
        finally:
            store.close()
    store = SQLiteStore(db)
    try:
        store.write_batch([_hostile_result()])
    finally:
        store.close()
    return db


@pytest.fixture(scope="module")
def client(hostile_db: Path) -> Iterator[TestClient]:
    app = create_app(str(hostile_db), rate=0)
    with TestClient(app, raise_server_exceptions=False) as c:  # a server error must show as a 500
        yield c


def _ids(db: Path) -> tuple[list[int], list[str]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return ([r[0] for r in conn.execute("SELECT id FROM entities ORDER BY id")],
                [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id")])
    finally:
        conn.close()


# --- escaping ------------------------------------------------------------------------------------------------------


class _TagAudit(HTMLParser):
    """Collects what would execute: inline scripts, event-handler attributes, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler attribute")
            v = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.lower() in ("href", "src", "action", "formaction", "xlink:href", "data") and \
                    v.startswith(("javascript:", "data:text/html", "vbscript:")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            src = dict(attrs).get("src")
            if not src:
                self._in_script = True
            elif not src.startswith("/static/"):
                self.problems.append(f"<script src={src!r}> not from /static/")
        if tag in ("iframe", "object", "embed", "base", "meta") and (tag != "meta" or "http-equiv" in dict(attrs)):
            self.problems.append(f"<{tag}> element")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data.strip()[:60]!r}")


def html_problems(body: str) -> list[str]:
    problems = [f"unescaped {m!r}" for m in RAW_MARKERS if m in body]
    audit = _TagAudit()
    audit.feed(body)
    return problems + audit.problems


def _html_routes(db: Path) -> list[str]:
    entity_ids, doc_ids = _ids(db)
    routes = ["/", "/graph", "/graph?places=true", "/map", "/timeline", "/timeline?type=Battles",
              "/search?q=Front", "/search?q=script", "/search?q=alert", "/search?q=Taliban",
              f"/search?q={SCRIPT}", f"/search?q={IMG}", "/search?q=%22%3E%3Csvg%20onload%3Dalert(1)%3E",
              f"/doc/{SCRIPT}", f"/actor/{SCRIPT}", "/nowhere/<script>alert(1)</script>",
              "/timeline?since=<script>", f"/timeline?type={SCRIPT}", "/contradictions"]
    routes += [f"/actor/{i}" for i in entity_ids] + [f"/doc/{d}" for d in doc_ids]
    return routes


def test_every_html_page_escapes_payloads(client: TestClient, hostile_db: Path) -> None:
    failures: dict[str, list[str]] = {}
    statuses: dict[str, int] = {}
    for route in _html_routes(hostile_db):
        r = client.get(route)
        statuses[route] = r.status_code
        assert r.status_code < 500, f"{route}: {r.status_code}"
        if "html" in r.headers.get("content-type", ""):
            if problems := html_problems(r.text):
                failures[route] = problems
    assert not failures, failures
    assert statuses["/"] == 200


def test_payloads_are_shown_as_text(client: TestClient, hostile_db: Path) -> None:
    """Escaped, not dropped: the hostile document page shows the payload as visible text."""
    _, doc_ids = _ids(hostile_db)
    from sitrep.models import content_hash

    direct = content_hash(_hostile_result().document.raw)[:16]
    assert direct in doc_ids
    r = client.get(f"/doc/{direct}")
    assert r.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text or "&lt;script&gt;" in r.text


def test_javascript_url_never_becomes_a_link(client: TestClient, hostile_db: Path) -> None:
    _, doc_ids = _ids(hostile_db)
    for d in doc_ids:
        r = client.get(f"/doc/{d}")
        assert not [p for p in html_problems(r.text) if "javascript" in p], d
        j = client.get(f"/api/doc/{d}").json()
        assert j["document"].get("url") in (None, ""), j["document"].get("url")


def test_json_api_is_json(client: TestClient, hostile_db: Path) -> None:
    """API answers are JSON (never sniffed as HTML), payloads travel as data."""
    entity_ids, doc_ids = _ids(hostile_db)
    routes = ["/api/search?q=Front", "/api/graph", "/api/graph?places=true", "/api/places", "/api/events",
              "/api/events?geojson=true", "/healthz"]
    routes += [f"/api/actor/{i}" for i in entity_ids] + [f"/api/doc/{d}" for d in doc_ids]
    for route in routes:
        r = client.get(route)
        assert r.status_code == 200, (route, r.status_code, r.text[:300])
        assert r.headers["content-type"].startswith("application/json"), route
        assert r.headers.get("x-content-type-options") == "nosniff", route
        r.json()


# --- path traversal --------------------------------------------------------------------------------------------------

TRAVERSALS = (
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd", "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/..%5c..%5c..%5cpyproject.toml", "/static/....//....//etc/passwd", "/static/%2e%2e%2fapp.py",
    "/static/..%2fapp.py", "/static/..%2f..%2f..%2f..%2fpyproject.toml", "/static/%c0%ae%c0%ae/etc/passwd",
    "/static/vendor/cytoscape/..%2f..%2f..%2fapp.py", "/static/vendor/leaflet/%2e%2e/%2e%2e/%2e%2e/app.py",
    "/static/app.js%00.html", "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/templates/base.html",
    "/doc/..%2f..%2f..%2fetc%2fpasswd", "/doc/%2e%2e", "/doc/..", "/api/doc/..%2f..%2fetc%2fpasswd",
    "/api/doc/%2e%2e%2f%2e%2e%2fpyproject.toml", "/actor/..%2f1", "/api/actor/%2e%2e", "/..%2f..%2fetc%2fpasswd",
    "/%2e%2e/%2e%2e/etc/passwd", "/static/../app.py", "/static/./../render.py", "/static/%5c..%5capp.py",
)
SECRETS = ("root:x:0:0", "def create_app", "[build-system]", "import ", "{% extends", "GuardMiddleware")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_path_traversal(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code < 500, (path, r.status_code)
    if r.status_code == 200:
        leaked = [s for s in SECRETS if s in r.text]
        assert not leaked, (path, leaked, r.text[:200])


def test_static_files_still_served(client: TestClient) -> None:
    r = client.get("/static/app.js")
    assert r.status_code == 200 and "javascript" in r.headers["content-type"]


# --- SQL injection -----------------------------------------------------------------------------------------------------

INJECTIONS = ("' OR 1=1 --", "\"; DROP TABLE documents; --", "%", "_", "%%", "*", "' UNION SELECT raw FROM "
              "documents --", "1; DELETE FROM entities", "') OR ('1'='1", "\\", "\x00", "NEAR(a b)", "a OR b",
              "\"unterminated", "title:x", "-1", "1e309", "99999999999999999999999", "9" * 400, "ÿ" * 50,
              "\u202e", "a" * 5000)


def _injection_routes(value: str) -> list[tuple[str, dict[str, str]]]:
    return [("/search", {"q": value}), ("/api/search", {"q": value}), ("/timeline", {"since": value}),
            ("/timeline", {"type": value}), ("/api/events", {"since": value}), ("/api/events", {"actor": value}),
            ("/api/events", {"place": value}), ("/api/graph", {"actor": value}),
            ("/api/graph", {"min_sources": value}), ("/graph", {"places": value})]


def test_sql_injection_strings(client: TestClient, hostile_db: Path) -> None:
    before = db_counts(hostile_db)
    errors: list[tuple[str, Any, int]] = []
    for value in INJECTIONS:
        for route, params in _injection_routes(value):
            r = client.get(route, params=params)
            if r.status_code >= 500 or r.status_code not in (200, 400, 404, 422):
                errors.append((route, params, r.status_code))
        seg = quote(value, safe="")
        for path in (f"/actor/{seg}", f"/api/actor/{seg}", f"/doc/{seg}", f"/api/doc/{seg}"):
            r = client.get(path)
            if r.status_code >= 500:
                errors.append((path[:80], {}, r.status_code))
    assert not errors, "\n".join(f"{code} GET {route} {params}" for route, params, code in errors[:30])
    after = db_counts(hostile_db)
    assert after == before, (before, after)
    assert after["integrity_check"] == "ok"


def test_wildcards_do_not_match_everything(client: TestClient) -> None:
    """'%' and '_' are literal characters, not LIKE wildcards returning the whole database."""
    for q in ("%", "_", "%%", "*"):
        data = client.get("/api/search", params={"q": q}).json()
        assert data["documents"] == [] and data["entities"] == [], (q, data)


# --- limits, headers, methods -------------------------------------------------------------------------------------------


def test_request_body_limit(client: TestClient) -> None:
    r = client.request("GET", "/", content=b"x" * (65 * 1024), headers={"content-type": "text/plain"})
    assert r.status_code == 413, r.status_code
    assert client.get("/").status_code == 200


def test_huge_query_string_is_refused_cleanly(client: TestClient) -> None:
    r = client.get("/search", params={"q": "a" * 60_000})
    assert r.status_code in (200, 400, 413, 414, 422), r.status_code


def test_rate_limit(hostile_db: Path) -> None:
    app = create_app(str(hostile_db), rate=1.0, burst=10)
    with TestClient(app) as c:
        codes = [c.get("/healthz").status_code for _ in range(30)]
    assert codes[:10] == [200] * 10, codes
    assert 429 in codes, codes
    assert codes.count(200) <= 13, codes


def test_rate_limit_default_is_on(hostile_db: Path) -> None:
    app = create_app(str(hostile_db))
    with TestClient(app) as c:
        responses = [c.get("/healthz") for _ in range(250)]
    limited = [r for r in responses if r.status_code == 429]
    assert limited, "250 rapid requests never hit the default rate limit"
    assert limited[0].headers.get("retry-after")


def _check_headers(r: Any, where: str) -> None:
    csp = r.headers.get("content-security-policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    script_src = directives.get("script-src") or directives.get("default-src", "")
    assert script_src and "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src, csp
    assert "*" not in script_src.split(), csp
    assert r.headers.get("x-content-type-options") == "nosniff", where
    assert "frame-ancestors 'none'" in csp or r.headers.get("x-frame-options", "").upper() in ("DENY", "SAMEORIGIN")


def test_security_headers_everywhere(client: TestClient, hostile_db: Path) -> None:
    _, doc_ids = _ids(hostile_db)
    for path in ("/", "/search?q=x", f"/doc/{doc_ids[0]}", "/api/graph", "/static/app.js", "/static/style.css",
                 "/nowhere", "/doc/%2e%2e", "/timeline?since=bad"):
        _check_headers(client.get(path), path)
    _check_headers(client.post("/"), "POST /")
    _check_headers(client.request("GET", "/", content=b"x" * 70_000), "413")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
@pytest.mark.parametrize("path", ["/", "/api/search", "/api/doc/abc", "/static/app.js", "/healthz"])
def test_read_only(client: TestClient, method: str, path: str) -> None:
    r = client.request(method, path, content=b"{}")
    assert r.status_code in (403, 405), (method, path, r.status_code)


def test_head_has_no_body(client: TestClient) -> None:
    r = client.head("/")
    assert r.status_code == 200 and r.content == b""


# --- token and host ------------------------------------------------------------------------------------------------------


def test_token_required_when_set(hostile_db: Path) -> None:
    app = create_app(str(hostile_db), token=TOKEN, rate=0)
    with TestClient(app, follow_redirects=False) as c:
        assert c.get("/").status_code == 401
        assert c.get("/api/search?q=x").status_code == 401
        assert c.get("/static/app.js").status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer wrong-token-wrong"}).status_code == 401
        assert c.get("/", params={"token": TOKEN[:-1]}).status_code == 401
        assert c.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert c.get("/", headers={"X-Sitrep-Token": TOKEN}).status_code == 200
        r = c.get("/search", params={"q": "x", "token": TOKEN})
        assert r.status_code == 303 and "token" not in r.headers["location"]
        assert "httponly" in r.headers.get("set-cookie", "").lower()
        assert c.get("/", cookies={"sitrep_token": TOKEN}).status_code == 200


def test_dns_rebinding_host_check(client: TestClient) -> None:
    assert client.get("/", headers={"Host": "evil.example"}).status_code in (400, 403, 421)
    assert client.get("/", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_serve_refuses_public_bind_without_token(hostile_db: Path) -> None:
    res = run_sitrep(["serve", "--db", str(hostile_db), "--host", "0.0.0.0", "--port", "1"], timeout=60)
    assert res.returncode != 0 and "token" in (res.stderr + res.stdout).lower(), res
    res = run_sitrep(["serve", "--db", str(hostile_db), "--host", "0.0.0.0", "--port", "1", "--token", "short"],
                     timeout=60)
    assert res.returncode != 0, res


def test_templates_autoescape() -> None:
    """No template turns autoescaping off or marks data |safe."""
    for t in (ROOT / "src" / "sitrep" / "web" / "templates").glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert "autoescape false" not in text.replace(" ", " ").lower(), t.name
        assert not re.search(r"\|\s*safe\b", text), f"{t.name} uses |safe"
