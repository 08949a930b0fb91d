"""The pages' repeated parts written in Python (``sitrep.web.fragments``) give the HTML the Jinja macros
gave, byte for byte (the macros are kept as the reference in ``tests/data/web_reference_macros.html``),
on the facts of the invented sample knowledge base and on hostile values, and escape every value."""

from __future__ import annotations

import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from sitrep.store import open_store
from sitrep.web import fragments as fr
from sitrep.web.corrections import graded_events, graded_quantities, graded_relations
from sitrep.web.render import highlight_segments

DATA = Path(__file__).parent / "data"
HOSTILE = ['<script>alert("x")</script>', "O'Brien & \"sons\"", "a_b_c", "", None, 0, 7, "≥ ünïcode"]


def reference(editing: bool = False) -> Any:
    """The reference macros, in an environment set up as the web app's."""
    env = Environment(loader=FileSystemLoader(DATA), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(editing=editing, csrf_token=lambda request: "csrf<&>" if request else "")
    request = SimpleNamespace(url=SimpleNamespace(path='/actor/3"x'))
    return env.get_template("web_reference_macros.html").make_module({"request": request})


def variants(item: dict[str, Any], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The item, then copies with each key set to each hostile value, and with each key left out."""
    out = [item]
    for k in keys:
        for value in HOSTILE:
            out.append({**item, k: value})
        out.append({x: v for x, v in item.items() if x != k})
    return out


CLAIM_KEYS = ("polarity", "claim_id", "source_id", "source", "grade", "grade_meaning", "modality", "doc_id", "doc_title",
              "publisher", "published", "page", "sentence", "rejected", "rejected_by", "rejected_why")


@pytest.fixture(scope="module")
def pages(sample_kb: Path) -> dict[str, list[dict[str, Any]]]:
    """Facts, estimates and events as the actor and document pages show them, for every entity and document."""
    out: dict[str, list[dict[str, Any]]] = {"facts": [], "quantities": [], "events": [], "docs": []}
    with open_store(str(sample_kb), readonly=True) as store:
        for ent in store.list_entities(limit=1000):
            out["facts"] += graded_relations(store, store.relation_rows(entity_id=ent["id"]), about=ent)
            out["quantities"] += graded_quantities(store, store.quantity_rows(entity_id=ent["id"]), about=ent)
            out["events"] += graded_events(store, store.event_rows(entity_id=ent["id"]))
        for d in store.list_documents(limit=1000):
            doc = store.get_document(d["id"])
            out["docs"].append({"text": doc["text"], "mentions": store.mentions(doc_id=d["id"], limit=100_000)})
            out["facts"] += graded_relations(store, store.relation_rows(doc_id=d["id"]), doc_id=d["id"])
    assert out["facts"] and out["quantities"] and out["events"] and out["docs"]
    return out


@pytest.mark.parametrize("editing", [False, True])
def test_claims_and_facts_as_the_macros_wrote_them(pages: dict[str, list[dict[str, Any]]], editing: bool) -> None:
    ref = reference(editing)
    forms = fr.ClaimForms("csrf<&>", '/actor/3"x') if editing else None
    for f in pages["facts"]:
        assert fr.render_facts([f], forms) == str(ref.fact(f))
    claim = {**pages["facts"][0]["claims"][0], "page": 3, "modality": "alleged"}
    for c in variants(claim, CLAIM_KEYS):
        assert fr.render_claims([c], forms) == str(ref.claim(c)), c
    fact = {**pages["facts"][0], "contested": True, "rejected": True, "denied": {"sources": 2}}
    for f in variants(fact, ("subject_id", "subject", "type", "object_id", "object", "contested", "credibility",
                             "credibility_why", "credibility_label", "rejected")):
        assert fr.render_facts([f], forms) == str(ref.fact(f)), f
    for n in (0, 1, 2):
        f = {**fact, "asserted": {"sources": n}, "denied": {"sources": n}, "claims": fact["claims"] * n}
        assert fr.render_facts([f], forms) == str(ref.fact(f))


def test_estimates_and_events_as_the_macros_wrote_them(pages: dict[str, list[dict[str, Any]]]) -> None:
    ref = reference()
    for q in pages["quantities"]:
        for show in (True, False):
            assert fr.render_quantities([q], show) == str(ref.quantity(q, show_subject=show))
    q = copy.deepcopy(pages["quantities"][0])
    q.update(disagreement=True, range={"low": 1234.5, "high": None})
    q["estimates"][0].update(rejected=True, text=None, doc_title=None)
    for v in variants(q, ("subject_id", "subject", "what", "credibility", "credibility_why", "disagreement")):
        assert fr.render_quantities([v]) == str(ref.quantity(v))
    for e in [*pages["events"], {**pages["events"][0], "date": None, "date_text": None, "killed": 0, "killed_min": 1}]:
        assert fr.render_event_table([e]) == str(ref.event_table([e]))
    for e in variants(pages["events"][0], ("date", "date_text", "type", "sub_type", "location_id", "location",
                                           "perpetrator_id", "perpetrator", "killed", "killed_min")):
        assert fr.render_event_table([e, e]) == str(ref.event_table([e, e])), e
    assert fr.render_event_table([]) == str(ref.event_table([]))
    for args in [(1, "x", "armed_group"), (2, "<b>", None), ('3"', "y", "a\"b")]:
        assert fr.entity_link(*args) == str(ref.entity_link(*args))


def test_article_text_as_the_template_wrote_it(pages: dict[str, list[dict[str, Any]]]) -> None:
    env = Environment(autoescape=True)
    template = env.from_string(
        '{% for s in segments %}{% if s.mention %}<a class="mention k-{{ s.mention.kind }}" href="/actor/'
        '{{ s.mention.entity_id }}" title="{{ s.mention.name }} ({{ s.mention.kind }})">{{ s.text }}</a>{% else %}'
        '{{ s.text }}{% endif %}{% endfor %}')
    hostile = {"text": 'He said <script>x</script> & "y" at Al-Qaryah.',
               "mentions": [{"start": 3, "end": 7, "entity_id": 5, "entity": '<i>"', "kind": "a&b"}]}
    for doc in [*pages["docs"], hostile]:
        segments = highlight_segments(doc["text"], doc["mentions"])
        assert any(s["mention"] for s in segments)
        assert fr.render_segments(segments) == template.render(segments=segments)


def test_every_value_is_escaped() -> None:
    evil = '<script>alert(1)</script>"\''
    claim = {k: evil for k in CLAIM_KEYS}
    fact = {"subject_id": evil, "subject": evil, "type": evil, "object_id": evil, "object": evil,
            "asserted": {"sources": evil}, "denied": {"sources": evil}, "contested": True, "credibility": evil,
            "credibility_why": evil, "credibility_label": evil, "rejected": True, "claims": [claim]}
    html = str(fr.render_facts([fact], fr.ClaimForms(evil, evil)))
    html += str(fr.render_event_table([{"date": evil, "type": evil, "sub_type": evil, "location_id": evil,
                                        "location": evil, "perpetrator_id": evil, "perpetrator": evil,
                                        "killed": evil, "reports": [{**claim}]}]))
    html += str(fr.render_quantities([{"subject_id": evil, "subject": evil, "what": evil, "range": {},
                                       "corroboration": {"sources": evil}, "credibility": evil,
                                       "estimates": [{**claim, "text": evil, "what": evil}]}]))
    html += str(fr.render_segments([{"text": evil, "mention": {"kind": evil, "entity_id": evil, "name": evil}},
                                    {"text": evil, "mention": None}]))
    assert "<script>" not in html and "'" not in html.replace("&#39;", "")
    assert html.count("&lt;script&gt;") > 40
    assert isinstance(fr.render_facts([]), Markup) and fr.render_facts([]) == ""
