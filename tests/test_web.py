"""The read-only web page: routes, escaping of hostile articles, security headers and request guards."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from outputs_kb import build_sample_kb, doc_id
from sitrep.web.app import create_app
from sitrep.web.security import CSP, TokenBucket

HOSTILE = 3  # index of the hostile article in outputs_kb.ARTICLES


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_kb(tmp_path_factory.mktemp("web") / "kb.db")


@pytest.fixture(scope="module")
def client(kb: Path) -> TestClient:
    return TestClient(create_app(str(kb)), base_url="http://127.0.0.1")


def entity_id(client: TestClient, name: str) -> int:
    ents = client.get("/api/search", params={"q": name}).json()["entities"]
    return next(e["id"] for e in ents if e["name"] == name)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def assert_safe_html(html: str) -> None:
    """No markup from article text: no inline scripts, no event handlers, no javascript: links, no inline styles."""
    assert "<script>alert" not in html
    for tag, attrs in tags(html):
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for k in ("href", "src", "action"):
            assert not (attrs.get(k) or "").strip().lower().startswith(("javascript:", "data:")), (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), attrs  # no inline scripts
        if tag == "img":
            raise AssertionError(f"unexpected img {attrs}")


def test_pages(client: TestClient) -> None:
    tid = entity_id(client, "Taliban")
    kabul = entity_id(client, "Kabul")
    for url in ["/", "/search?q=Taliban", f"/actor/{tid}", f"/actor/{kabul}", "/graph", "/graph?places=1", "/map",
                "/timeline", "/timeline?since=2023-06-01&type=Battles", f"/doc/{doc_id(0)}", f"/doc/{doc_id(0)[:8]}"]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.headers["content-type"].startswith("text/html")
        assert_safe_html(r.text)


def test_search(client: TestClient) -> None:
    r = client.get("/search", params={"q": "allied"})
    assert doc_id(0) in r.text and 'id="document-results"' in r.text
    api = client.get("/api/search", params={"q": "Taliban"}).json()
    assert any(e["name"] == "Taliban" for e in api["entities"]) and api["documents"]
    assert client.get("/api/search", params={"q": ""}).json() == {"q": "", "entities": [], "documents": []}


def test_actor_page(client: TestClient) -> None:
    tid = entity_id(client, "Taliban")
    html = client.get(f"/actor/{tid}").text
    assert 'id="graph"' in html and f'data-src="/api/graph?actor={tid}"' in html
    assert "Zabihullah Mujahid denied that the Taliban are allied with al-Qaeda." in html
    assert "contested" in html
    data = client.get(f"/api/actor/{tid}").json()
    assert data["entity"]["name"] == "Taliban" and data["relations"]


def test_api_graph_places_events(client: TestClient) -> None:
    g = client.get("/api/graph").json()
    assert g["nodes"] and any(e["type"] == "ally_of" and e["sources"] == 2 for e in g["edges"])
    tid = entity_id(client, "Taliban")
    ego = client.get("/api/graph", params={"actor": tid}).json()
    assert ego["focus"] == tid
    assert client.get("/api/graph", params={"actor": 99999}).status_code == 404
    places = client.get("/api/places").json()
    assert places["type"] == "FeatureCollection" and places["features"]
    evs = client.get("/api/events").json()["events"]
    assert any(e["location"] == "Kabul" and e["killed"] == 6 for e in evs)
    geo = client.get("/api/events", params={"geojson": 1}).json()
    assert geo["type"] == "FeatureCollection"
    assert client.get("/api/events", params={"since": "2023-06-10"}).json()["events"]
    assert client.get("/api/events", params={"since": "bad'; DROP"}).status_code == 400


def test_document_view(client: TestClient) -> None:
    html = client.get(f"/doc/{doc_id(0)}").text
    assert 'class="mention k-person"' in html and "Removed page furniture" in html
    assert "Subscribe to our newsletter" in html
    assert 'href="https://example.org/a1"' in html
    data = client.get(f"/api/doc/{doc_id(0)}").json()
    assert data["document"]["id"] == doc_id(0) and data["mentions"] and "raw" not in data["document"]


def test_hostile_article_is_escaped(client: TestClient) -> None:
    html = client.get(f"/doc/{doc_id(HOSTILE)}").text
    assert_safe_html(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html and "href='javascript:" not in html
    assert 'class="unsafe-url"' in html  # the javascript: URL is shown as text, not a link
    # hostile entity names on actor, search, graph and timeline pages
    hostile = client.get("/api/search", params={"q": "Name"}).json()["entities"]
    hid = next(e["id"] for e in hostile if "alert" in e["name"])
    for url in [f"/actor/{hid}", "/search?q=Name", "/timeline", "/", "/search?q=<script>alert(1)</script>"]:
        page = client.get(url)
        assert page.status_code == 200
        assert_safe_html(page.text)
    # JSON carries the raw text (it is data), served as JSON with nosniff
    api = client.get(f"/api/doc/{doc_id(HOSTILE)}")
    assert api.headers["content-type"] == "application/json"
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.json()["document"]["url"] is None


def test_security_headers(client: TestClient) -> None:
    for url in ["/", "/api/graph", "/static/app.js", "/does-not-exist", f"/doc/{doc_id(0)}"]:
        r = client.get(url)
        assert r.headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"


def test_not_found(client: TestClient) -> None:
    assert client.get("/doc/0123456789abcdef").status_code == 404
    assert client.get("/api/doc/0123456789abcdef").status_code == 404
    assert client.get("/api/doc/0123456789abcdef").json()["status"] == 404
    assert client.get("/doc/not-hex!").status_code == 404
    assert client.get("/actor/999999").status_code == 404
    assert client.get("/actor/abc").status_code == 422
    assert client.get("/nope").status_code == 404


def test_methods(client: TestClient) -> None:
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
        r = client.request(method, "/api/search?q=x")
        assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD"
    assert client.head("/").status_code == 200


def test_body_limit(client: TestClient) -> None:
    r = client.request("GET", "/", content=b"x" * (64 * 1024 + 1))
    assert r.status_code == 413


def test_path_traversal(client: TestClient) -> None:
    for url in ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fetc%2fpasswd",
                "/doc/..%2f..%2fetc", "/doc/../../etc/passwd", "/api/doc/..%2f..%2fetc%2fpasswd",
                "/static/vendor/cytoscape/../../package.json"]:
        r = client.get(url)
        assert r.status_code in (404, 400), url
        assert "root:" not in r.text


@pytest.mark.parametrize("q", ["' OR 1=1 --", "\"; DROP TABLE documents; --", "%", "_", "a' UNION SELECT * FROM meta --",
                               "zzz) OR (yyy", "\"unterminated", "*", "x" * 900])
def test_sql_injection_strings(client: TestClient, q: str) -> None:
    r = client.get("/api/search", params={"q": q})
    assert r.status_code == 200
    data = r.json()
    assert data["entities"] == [] and data["documents"] == []
    assert client.get("/search", params={"q": q}).status_code == 200
    assert client.get("/timeline", params={"type": q[:60]}).status_code == 400  # not an event type: a usage error
    assert client.get("/api/graph").status_code == 200  # the database is intact


def test_rate_limit(kb: Path) -> None:
    c = TestClient(create_app(str(kb), rate=0.001, burst=3), base_url="http://127.0.0.1")
    codes = [c.get("/api/places").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    bucket = TokenBucket(rate=20, burst=2)
    assert bucket.allow("a", 0.0) and bucket.allow("a", 0.0) and not bucket.allow("a", 0.0)
    assert bucket.allow("a", 0.1)  # refilled
    assert bucket.allow("b", 0.0)  # per client


def test_host_check(kb: Path) -> None:
    c = TestClient(create_app(str(kb)), base_url="http://evil.example")
    assert c.get("/").status_code == 400  # DNS rebinding: foreign Host header
    assert TestClient(create_app(str(kb)), base_url="http://localhost:8000").get("/").status_code == 200


def test_token(kb: Path) -> None:
    token = "correct-horse-battery"
    c = TestClient(create_app(str(kb), token=token), base_url="http://192.0.2.1:8000", follow_redirects=False)
    assert c.get("/").status_code == 401
    assert c.get("/static/app.js").status_code == 401
    assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    r = c.get(f"/search?q=x&token={token}")
    assert r.status_code == 303 and r.headers["location"] == "/search?q=x"
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    c.cookies.set("sitrep_token", token)
    assert c.get("/").status_code == 200
    assert c.post("/", headers={"Authorization": f"Bearer {token}"}).status_code == 405  # no write routes


def test_vendor_missing_falls_back(kb: Path, tmp_path: Path) -> None:
    c = TestClient(create_app(str(kb), node_modules=tmp_path), base_url="http://127.0.0.1")
    html = c.get("/graph").text
    assert "/static/vendor/" not in html and "/static/app.js" in html
    assert 'data-vendor-cytoscape="0"' in html
    assert c.get("/static/vendor/cytoscape/cytoscape.min.js").status_code == 404


def test_serve_refuses_public_host_without_token(kb: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import _register, app
    from sitrep.cli.serve import is_loopback

    _register()
    r = CliRunner().invoke(app, ["serve", "--db", str(kb), "--host", "0.0.0.0"])
    assert r.exit_code == 2
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")


def test_seeds_pages(seeds_db: Path) -> None:
    c = TestClient(create_app(str(seeds_db)), base_url="http://127.0.0.1")
    docs = c.get("/api/search", params={"q": "Taliban"}).json()
    assert docs["entities"] and docs["documents"]
    for d in docs["documents"]:
        r = c.get(f"/doc/{d['id']}")
        assert r.status_code == 200 and 'class="mention' in r.text
        assert_safe_html(r.text)
    tid = docs["entities"][0]["id"]
    assert c.get(f"/actor/{tid}").status_code == 200
    assert c.get("/api/graph").json()["nodes"]
