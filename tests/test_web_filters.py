"""The web page's filters (dates, actor, event type, relation type, credibility, source grade) on the
network, map and timeline, kept in the URL; bad values are a 400 naming them; undated items are kept
and counted; the "what changed" page by run."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from filters_kb import build_filters_kb
from sitrep.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_filters_kb(tmp_path_factory.mktemp("filters") / "kb.db")
    with TestClient(create_app(str(db), rate=10_000.0, burst=10_000)) as c:
        yield c


def actor_id(client: TestClient, name: str) -> int:
    ents = client.get("/api/search", params={"q": name}).json()["entities"]
    return next(e["id"] for e in ents if e["name"] == name)


def events(client: TestClient, **params: str) -> dict:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def edges(client: TestClient, **params: str) -> list[dict]:
    r = client.get("/api/graph", params=params)
    assert r.status_code == 200, r.text
    return r.json()["edges"]


def test_unfiltered_counts(client: TestClient) -> None:
    data = events(client)
    assert len(data["events"]) == 8 and data["undated"] == 1  # the incident reported twice is one event
    assert {(e["type"], e["sources"]) for e in data["events"] if e["location"] == "Holloway"} >= {("Battles", 2)}
    assert len(edges(client)) == 4  # operates_in needs places=1
    assert len(edges(client, places="1")) == 5


def test_event_type_and_actor(client: TestClient) -> None:
    battles = events(client, event_type="Battles")["events"]
    assert len(battles) == 4 and {e["type"] for e in battles} == {"Battles"}
    rhb = actor_id(client, "Red Hand Brigade")
    mine = events(client, actor=str(rhb))["events"]
    assert len(mine) == 3 and all(e["perpetrator"] == "Red Hand Brigade" for e in mine)
    graph = client.get("/api/graph", params={"actor": rhb}).json()
    assert graph["focus"] == rhb and len(graph["edges"]) == 3
    assert all(rhb in (e["source"], e["target"]) for e in graph["edges"])


def test_date_range_keeps_undated_and_says_so(client: TestClient) -> None:
    data = events(client, **{"from": "2025-02", "to": "2025-04"})
    dated = sorted(e["date"] for e in data["events"] if e["date"])
    assert dated == ["2025-02-03", "2025-03-15", "2025-04-20"]
    assert data["undated"] == 1 and len(data["events"]) == 4
    assert len(events(client, **{"from": "2025-02", "to": "2025-04", "undated": "0"})["events"]) == 3
    assert len(events(client, **{"from": "2025-06-01"})["events"]) == 2  # the protest, and the undated battle
    # relations are dated by their articles: Feb (supports), Mar (hostile_to) and the undated leaflet's
    got = client.get("/api/graph", params={"from": "2025-02-01", "to": "2025-03-31"}).json()
    assert sorted(e["type"] for e in got["edges"]) == ["hostile_to", "hostile_to", "supports"]
    assert got["undated_edges"] == 1
    page = client.get("/timeline", params={"from": "2025-02", "to": "2025-04"}).text
    assert "1 undated (kept: no date to filter on)" in page
    assert "Items without any date are kept" in page


def test_credibility_and_grade(client: TestClient) -> None:
    confirmed = events(client, credibility="1")["events"]
    assert [(e["location"], e["sources"]) for e in confirmed] == [("Holloway", 2)]
    assert {e["credibility"] for e in events(client, credibility="2")["events"]} <= {1, 2}
    by_a = events(client, grade="A")["events"]  # reported by the office graded A
    assert len(by_a) == 3 and all(any(r["source"] == "Arcadian Monitoring Office" for r in e["reports"])
                                  for e in by_a)
    assert len(events(client, grade="e")["events"]) == 4  # E or better: the A office and the E office
    assert {e["type"] for e in edges(client, credibility="1")} == {"ally_of", "supports"}  # two sources each
    assert [e["type"] for e in edges(client, credibility="4", relation="hostile_to")] == []


def test_relation_type(client: TestClient) -> None:
    got = edges(client, relation="hostile_to")
    assert len(got) == 2 and {e["type"] for e in got} == {"hostile_to"}


def test_map_places_follow_the_filter(client: TestClient) -> None:
    every = client.get("/api/places").json()["features"]
    assert {f["properties"]["name"] for f in every} >= {"Port Verin", "Holloway", "Tessel", "Marrow"}
    rhb = actor_id(client, "Red Hand Brigade")
    mine = client.get("/api/places", params={"actor": rhb}).json()["features"]
    assert {f["properties"]["name"] for f in mine} == {"Port Verin", "Holloway"}
    geo = client.get("/api/events", params={"geojson": 1, "event_type": "Protests"}).json()
    assert [f["properties"]["type"] for f in geo["features"]] == ["Protests"] and geo["undated"] == 0


BAD = [("from", "2024-13-45", "from must be a real date"), ("to", "2023-02-30", "to must be a real date"),
       ("from", "banana", "from must be a real date"), ("actor", "Red Hand", "actor must be"),
       ("event_type", "Picnics", "unknown event type"), ("relation", "befriends", "unknown relation type"),
       ("credibility", "7", "credibility must be 1"), ("credibility", "0", "credibility must be 1"),
       ("grade", "G", "grade must be one of"), ("undated", "maybe", "undated must be"),
       ("since", "2024-13-45", "from must be a real date"), ("type", "Picnics", "unknown event type")]


@pytest.mark.parametrize("path", ["/graph", "/map", "/timeline", "/api/graph", "/api/events", "/api/places"])
@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_bad_values_are_a_400_with_a_message(client: TestClient, path: str, name: str, value: str,
                                              message: str) -> None:
    r = client.get(path, params={name: value})
    assert r.status_code == 400, (path, name, value, r.status_code)
    text = r.json()["error"] if path.startswith("/api/") else unescape(r.text)
    assert message in text


def test_range_backwards_and_unknown_actor(client: TestClient) -> None:
    r = client.get("/api/events", params={"from": "2025-05", "to": "2025-01"})
    assert r.status_code == 400 and "after" in r.json()["error"]
    assert client.get("/timeline", params={"actor": "999999"}).status_code == 404
    assert client.get("/timeline", params={"from": "", "event_type": ""}).status_code == 200  # empty = any


def _attr(html: str, element_id: str, name: str) -> str:
    tag = re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', html)
    assert tag, element_id
    m = re.search(rf'\b{name}="([^"]*)"', tag.group(0))
    assert m, (element_id, name)
    return unescape(m.group(1))


def test_the_filter_lives_in_the_url(client: TestClient) -> None:
    rhb = actor_id(client, "Red Hand Brigade")
    params = {"from": "2025-01", "actor": str(rhb), "credibility": "4", "grade": "B", "relation": "ally_of"}
    html = client.get("/graph", params=params).text
    src = _attr(html, "graph", "data-src")
    assert urlsplit(src).path == "/api/graph"
    assert {k: v[0] for k, v in parse_qs(urlsplit(src).query).items()} == params
    # the nav links carry the view to the other pages; the form shows it
    for page in ("/map", "/timeline"):
        link = re.search(rf'href="({page}\?[^"]*)"', html)
        assert link and parse_qs(urlsplit(unescape(link.group(1))).query)["actor"] == [str(rhb)]
    assert f'<option value="{rhb}" selected>' in html and '<option value="ally_of" selected>' in html
    assert 'name="from" value="2025-01"' in html
    # the timeline keeps the relation type (a network filter) as a hidden field for the way back
    tl = client.get("/timeline", params=params).text
    assert '<input type="hidden" name="relation" value="ally_of">' in tl
    map_html = client.get("/map", params={"event_type": "Battles"}).text
    assert parse_qs(urlsplit(_attr(map_html, "map", "data-events")).query) == {"geojson": ["1"],
                                                                              "event_type": ["Battles"]}


def test_timeline_table_follows_the_filter(client: TestClient) -> None:
    def rows(**params: str) -> int:
        html = client.get("/timeline", params=params).text
        return len(re.findall(r"<tr>\s*<td>", html))

    assert rows() == 8
    assert rows(event_type="Battles") == 4
    assert rows(event_type="Battles", undated="0") == 3
    assert rows(credibility="1") == 1


def test_changes_page_by_run(client: TestClient) -> None:
    html = client.get("/changes").text
    assert 'id="runs"' in html and 'href="/changes?since=1"' in html
    html = unescape(client.get("/changes", params={"since": "1"}).text)
    assert 'data-documents="3"' in html
    assert "Silent Owl Cell" in html  # a new actor
    section = html[html.index('id="credibility-changed"'):]
    assert "Iron Gate Militia supports Red Hand Brigade" in section and "4 doubtful → 1" in section
    assert "undated" in html[html.index('id="new-events"'):]
    data = client.get("/api/changes", params={"since": "1"}).json()
    assert [c["credibility_now"] for c in data["credibility_changed"]] == [1]
    assert client.get("/changes", params={"since": "2"}).status_code == 200
    for bad in ("99", "2024-13-45", "banana"):
        r = client.get("/changes", params={"since": bad})
        assert r.status_code == 400 and "since" in unescape(r.text), bad
    assert client.get("/api/changes", params={"since": "banana"}).status_code == 400
    assert client.get("/api/changes").status_code == 400
    assert client.get("/changes", params={"since": "9" * 500}).status_code == 400


def test_filter_pages_escape_hostile_names_and_values(tmp_path_factory: pytest.TempPathFactory) -> None:
    from outputs_kb import build_sample_kb
    from test_web_security import html_problems

    db = build_sample_kb(tmp_path_factory.mktemp("hostile-filters") / "kb.db")
    payload = '"><script>alert(1)</script>'
    with TestClient(create_app(str(db), rate=10_000.0, burst=10_000)) as c:
        for path in ("/graph", "/map", "/timeline", "/changes"):
            ok = c.get(path)  # the actor list holds a name full of markup
            assert ok.status_code == 200 and not html_problems(ok.text), path
            for name in ("from", "actor", "event_type", "relation", "credibility", "grade", "since"):
                r = c.get(path, params={name: payload})
                assert r.status_code in (200, 400) and not html_problems(r.text), (path, name)
