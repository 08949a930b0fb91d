"""The contradictions page and usage errors (a bad date, an unknown type) answered with 400."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from outputs_kb import build_sample_kb
from sitrep.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_sample_kb(tmp_path_factory.mktemp("contra") / "kb.db")
    return TestClient(create_app(str(db), rate=0))


def _id(client: TestClient, name: str) -> int:
    return next(e["id"] for e in client.get("/api/search", params={"q": name}).json()["entities"] if e["name"] == name)


def test_contradictions_api(client: TestClient) -> None:
    data = client.get("/api/contradictions").json()
    [rel] = data["relations"]
    assert {rel["subject"], rel["object"]} == {"Taliban", "al-Qaeda"} and rel["contested"]
    assert rel["denied"]["sources"] == 1 and rel["asserted"]["sources"] == 2
    [qty] = data["quantities"]
    assert qty["subject"] == "Islamic State Khorasan Province" and qty["disagreement"]
    assert data["entity"] is None


def test_contradictions_page(client: TestClient) -> None:
    r = client.get("/contradictions")
    assert r.status_code == 200
    html = r.text
    assert "Contested relations" in html and "Zabihullah Mujahid" in html and "contested" in html
    assert "estimates disagree" in html and "1,500" in html and "4,000" in html
    assert 'href="/contradictions"' in client.get("/").text  # in the navigation


def test_contradictions_of_one_actor(client: TestClient) -> None:
    taliban = _id(client, "Taliban")
    data = client.get("/api/contradictions", params={"actor": taliban}).json()
    assert data["entity"]["name"] == "Taliban" and len(data["relations"]) == 1 and data["quantities"] == []
    massoud = _id(client, "Ahmad Massoud")
    assert client.get("/api/contradictions", params={"actor": massoud}).json()["relations"] == []
    assert client.get("/contradictions", params={"actor": taliban}).status_code == 200
    assert client.get("/contradictions", params={"actor": 999_999}).status_code == 404
    assert client.get("/api/contradictions", params={"actor": "x"}).status_code == 422


@pytest.mark.parametrize("url", ["/timeline?since=2024-13-45", "/timeline?since=2023-02-30", "/timeline?since=banana",
                                 "/timeline?type=banana", "/api/events?since=2024-13-01",
                                 "/api/events?since=2023-02-29"])
def test_usage_errors_are_400(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, url
    assert "Traceback" not in r.text


@pytest.mark.parametrize("url", ["/timeline?since=2024-02-29", "/timeline?since=2023", "/timeline?type=",
                                 "/timeline?since=&type=", "/timeline?type=Battles", "/api/events?since=2023-06"])
def test_valid_filters_still_work(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 200, url
