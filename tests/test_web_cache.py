"""What the web page reads once while the data is unchanged (the grades in force, the rejected claims,
each fact's credibility in the whole knowledge base) is read again as soon as anything is written:
a correction made elsewhere (the CLI, another server) shows on the very next request."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from sitrep.store import decisions as sd
from sitrep.store import open_store
from sitrep.store.decisions import claim_id
from sitrep.web.app import create_app


def _denied_fact(url: str) -> dict:
    """The denial, by a named source, of a relation fact that other sources assert."""
    with open_store(url, readonly=True) as store:
        rows = store.relation_rows(limit=100_000)
    keys = {r["fact_key"] for r in rows if r["polarity"] == "asserted"}
    for r in rows:
        if r["polarity"] == "denied" and r["source_id"] is not None and r["fact_key"] in keys:
            return r
    raise AssertionError("the sample knowledge base has no relation that one named source denies")


def _credibility(page: str, claim: str) -> str:
    fact = next(li for li in page.split('<li class="fact') if f'data-claim="{claim}"' in li)
    found = re.search(r"credibility (\d): ", fact)
    assert found, fact[:500]
    return found.group(1)


def _check_corrections_show_at_once(url: str) -> None:
    row = _denied_fact(url)
    cid = claim_id(row)
    app = create_app(url, rate=0)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        actor, doc = f"/actor/{row['subject_id']}", f"/doc/{row['doc_id']}"
        for _ in range(2):  # the second time from what was kept
            before_actor, before_doc = c.get(actor).text, c.get(doc).text
        assert _credibility(before_actor, cid) == _credibility(before_doc, cid) != "5"
        with open_store(url) as writer:  # an analyst grades the denying source elsewhere (the CLI)
            sd.decide(writer, "grade", {"source": row["source"], "grade": "A"}, "tester", None)
        after_actor, after_doc = c.get(actor).text, c.get(doc).text
        # denied by a source graded better than any asserting it: improbable
        assert _credibility(after_actor, cid) == _credibility(after_doc, cid) == "5"
        assert after_doc != before_doc
        with open_store(url) as writer:
            sd.decide(writer, "reject", {"claim": cid}, "tester", "invented reason")
        page = c.get(actor).text
        assert re.search(rf'<li class="claim [a-z]+ rejected" data-claim="{cid}">', page)
        assert "invented reason" in page and "invented reason" in c.get(doc).text


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kb_url(request: pytest.FixtureRequest, sample_kb_copy: Path) -> Iterator[str]:
    """The invented sample knowledge base, writable: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(sample_kb_copy)
        return
    from conftest import fresh_pg_schema
    from outputs_kb import build_results

    with fresh_pg_schema() as url:
        with open_store(url) as store:
            store.write_batch(build_results())
        yield url


def test_a_correction_shows_on_the_next_request(kb_url: str) -> None:
    _check_corrections_show_at_once(kb_url)


def test_kept_credibility_is_read_once_per_change(kb_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document page reads its facts' claims in the whole knowledge base in one query, then not again
    until the data changes."""
    import sitrep.store.sql as sql

    calls: list[object] = []
    real = sql.SQLStore.relation_rows

    def counted(self: sql.SQLStore, *args: object, **kwargs: object) -> list[dict]:
        if kwargs.get("fact_keys") is not None:
            calls.append(kwargs["fact_keys"])
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sql.SQLStore, "relation_rows", counted)
    row = _denied_fact(kb_url)
    with TestClient(create_app(kb_url, rate=0, pool_size=1), base_url="http://127.0.0.1") as c:
        first = c.get(f"/doc/{row['doc_id']}").text
        assert len(calls) == 1 and row["fact_key"] in calls[0]
        assert c.get(f"/doc/{row['doc_id']}").text == first and len(calls) == 1
        with open_store(kb_url) as writer:
            sd.decide(writer, "grade", {"source": row["source"], "grade": "A"}, "tester", None)
        assert c.get(f"/doc/{row['doc_id']}").text != first and len(calls) == 2
