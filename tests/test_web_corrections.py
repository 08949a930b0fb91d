"""The web page's corrections without a browser: CSRF and origin checks, read-only without a token,
errors as the CLI has them, grades and rejected claims on the pages."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from outputs_kb import doc_id

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitrep.store import decisions as sd
from sitrep.store.sqlite import SQLiteStore
from sitrep.web.app import create_app

TOKEN = "an-invented-token"


def client(db: Path, token: str | None = TOKEN) -> TestClient:
    c = TestClient(create_app(str(db), token=token), base_url="http://127.0.0.1")
    if token:
        c.get(f"/?token={token}")
    return c


def decisions(db: Path) -> list[dict]:
    with SQLiteStore(db) as store:
        return sd.list_decisions(store)


def _form(page: str, kind: str) -> dict[str, str]:
    form = re.search(rf'<form class="decide" data-kind="{kind}".*?</form>', page, re.S)
    assert form, kind
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form.group(0)))


def taliban_page(c: TestClient) -> str:
    tid = next(e["id"] for e in c.get("/api/search", params={"q": "Taliban"}).json()["entities"]
               if e["name"] == "Taliban")
    page = c.get(f"/actor/{tid}")
    assert page.status_code == 200
    return page.text


def test_a_form_posts_a_decision_and_its_token_is_checked(sample_kb_copy: Path) -> None:
    c = client(sample_kb_copy)
    fields = _form(taliban_page(c), "reject")
    assert fields["csrf"] and fields["claim"]
    for bad in ({**fields, "csrf": "0" * 64}, {k: v for k, v in fields.items() if k != "csrf"}):
        r = c.post("/decide", data=bad)
        assert r.status_code == 403 and "session token" in r.text
    r = c.post("/decide", data=fields, headers={"sec-fetch-site": "cross-site"})
    assert r.status_code == 403 and "cross-site" in r.text
    r = c.post("/decide", data=fields, headers={"origin": "http://evil.example"})
    assert r.status_code == 403
    assert decisions(sample_kb_copy) == []
    r = c.post("/decide", data=fields, headers={"sec-fetch-site": "same-origin", "origin": "null"})
    assert r.status_code == 200 and 'data-status="applied"' in r.text
    assert [d["kind"] for d in decisions(sample_kb_copy)] == ["reject"]
    assert "Already recorded" in c.post("/decide", data=fields).text  # a decision is made once


def test_another_session_token_is_refused(sample_kb_copy: Path) -> None:
    first, second = client(sample_kb_copy), client(sample_kb_copy)
    fields = _form(taliban_page(first), "reject")
    taliban_page(second)  # the second browser has a session of its own
    assert second.post("/decide", data=fields).status_code == 403


def test_without_a_token_the_page_has_no_forms_and_refuses_posts(sample_kb_copy: Path) -> None:
    c = client(sample_kb_copy, token=None)
    page = taliban_page(c)
    assert 'class="decide"' not in page and 'class="badge grade"' in page
    assert c.post("/decide", data={"kind": "merge"}).status_code == 405
    assert decisions(sample_kb_copy) == []


def test_errors_are_those_of_the_cli(sample_kb_copy: Path) -> None:
    c = client(sample_kb_copy)
    fields = _form(taliban_page(c), "merge")
    r = c.post("/decide", data={**fields, "other": "No Such Group Anywhere"})
    assert r.status_code == 404 and "no entity called" in r.text
    grade = _form(taliban_page(c), "grade")
    r = c.post("/decide", data={**grade, "grade": "Q"})
    assert r.status_code == 400 and "grade" in r.text
    r = c.post("/decide", data={**fields, "kind": "banana"})
    assert r.status_code == 400
    assert decisions(sample_kb_copy) == []
    assert c.get("/source/No Such Source Anywhere").status_code == 404


def test_rejected_claims_are_marked_on_actor_and_document_pages(sample_kb_copy: Path) -> None:
    c = client(sample_kb_copy)
    fields = _form(taliban_page(c), "reject")
    assert c.post("/decide", data={**fields, "why": "invented reason"}).status_code == 200
    page = taliban_page(c)
    claim = re.search(rf'<li class="claim [a-z]+ rejected" data-claim="{fields["claim"]}">.*?</li>', page, re.S)
    assert claim and "invented reason" in claim.group(0)
    assert 'data-kind="reject"' not in claim.group(0)  # no second rejection offered
    row = decisions(sample_kb_copy)[0]["args"]["claim_row"]
    doc = c.get(f"/doc/{row['doc_id']}").text
    assert f'data-claim="{fields["claim"]}"' in doc and "rejected" in doc
    assert c.get(f"/doc/{doc_id(0)}").status_code == 200


def test_source_page_shows_grade_and_claims(sample_kb_copy: Path) -> None:
    c = client(sample_kb_copy, token=None)
    page = c.get("/source/United Nations").text
    assert 'data-grade="B"' in page and "default" in page
    assert 'class="claim' in page and "credibility" in page



def test_event_reports_carry_their_sources_grade(sample_kb_copy: Path) -> None:
    c = client(sample_kb_copy, token=None)
    place = next(e["location_id"] for e in c.get("/api/events").json()["events"] if e.get("location_id"))
    events = re.search(r'<table class="events">.*?</table>', c.get(f"/actor/{place}").text, re.S)
    assert events and re.search(r'<span class="badge grade" title="source reliability: [^"]+">[A-F]</span>',
                                events.group(0))
