"""STIX 2.1 export: valid per the stix2 library, sources kept, deterministic, contested claims as notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stix2
from typer.testing import CliRunner

from outputs_kb import build_sample_kb, doc_id
from sitrep.cli import _register, app
from sitrep.outputs.stix import build_bundle, confidence, stix_id, validate_bundle
from sitrep.query.facts import group_relations
from sitrep.store.sqlite import SQLiteStore


def _bundle(db: Path) -> dict:
    store = SQLiteStore(db, readonly=True)
    try:
        return build_bundle(store)
    finally:
        store.close()


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_kb(tmp_path_factory.mktemp("stix") / "kb.db")


@pytest.fixture(scope="module")
def bundle(kb: Path) -> dict:
    return _bundle(kb)


def by_type(bundle: dict, t: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == t]


def check_bundle(bundle: dict) -> None:
    """stix2 parses it; every reference resolves inside the bundle; ids are unique."""
    parsed = stix2.parse(json.dumps(bundle), allow_custom=True)
    assert parsed.type == "bundle"
    ids = [o["id"] for o in bundle["objects"]]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for o in bundle["objects"]:
        assert o["spec_version"] == "2.1"
        refs = [v for k, v in o.items() if k.endswith("_ref")]
        refs += [r for k, v in o.items() if k.endswith("_refs") for r in v]
        for r in refs:
            assert r in known, (o["id"], r)
        for ref in o.get("external_references", []):
            assert ref["source_name"]
            assert not str(ref.get("url", "https://")).lower().startswith("javascript")
        stix2.parse(o, allow_custom=True)


def test_bundle_validates(bundle: dict) -> None:
    check_bundle(bundle)
    assert validate_bundle(bundle) == len(bundle["objects"])


def test_actor_mapping(bundle: dict) -> None:
    actors = {o["name"]: o for o in by_type(bundle, "threat-actor")}
    assert "Taliban" in actors and actors["Taliban"]["threat_actor_types"] == ["unknown"]
    assert "Islamic Emirate" in actors["Taliban"]["aliases"]
    identities = {o["name"]: o for o in by_type(bundle, "identity")}
    assert identities["Ahmad Massoud"]["identity_class"] == "individual"
    assert identities["United Nations"]["identity_class"] == "organization"
    locations = {o["name"]: o for o in by_type(bundle, "location")}
    assert locations["Kabul"]["latitude"] == pytest.approx(34.53) and locations["Kabul"]["country"] == "AF"


def test_relationship_keeps_sources(bundle: dict) -> None:
    rels = [o for o in by_type(bundle, "relationship") if o.get("x_sitrep_relation") == "ally_of"]
    assert len(rels) == 1
    rel = rels[0]
    assert rel["relationship_type"] == "related-to"  # STIX suggests no type between two threat-actors
    names = {o["id"]: o["name"] for o in bundle["objects"] if "name" in o}
    assert {names[rel["source_ref"]], names[rel["target_ref"]]} == {"Taliban", "al-Qaeda"}
    assert rel["x_sitrep_sources"] == 2 and rel["x_sitrep_denied_sources"] == 1 and rel["x_sitrep_contested"]
    assert "Ahmad Massoud" in rel["description"] and "United Nations" in rel["description"]
    assert "Zabihullah Mujahid" in rel["description"]
    assert {c["doc_id"] for c in rel["x_sitrep_claims"]} == {doc_id(0), doc_id(1), doc_id(2)}
    assert {r["external_id"] for r in rel["external_references"]} == {doc_id(0), doc_id(1), doc_id(2)}
    # two independent sources, the better one (the United Nations, B by default) not out-graded by the denial:
    # credibility 1, which STIX 2.1's Admiralty mapping makes confidence 90
    assert rel["x_sitrep_credibility"] == 1 and rel["confidence"] == 90
    assert confidence(2, contested=True) < confidence(2)  # incidents keep the corroboration scale
    part_of = next(o for o in by_type(bundle, "relationship") if o.get("x_sitrep_relation") == "part_of")
    assert part_of["relationship_type"] == "related-to"
    located = next(o for o in by_type(bundle, "relationship") if o.get("x_sitrep_relation") == "operates_in")
    assert located["relationship_type"] == "located-at"


def test_contested_note_and_opinions(bundle: dict) -> None:
    rel = next(o for o in by_type(bundle, "relationship") if o.get("x_sitrep_relation") == "ally_of")
    notes = [n for n in by_type(bundle, "note") if rel["id"] in n["object_refs"]]
    assert notes and notes[0]["abstract"].startswith("Contested")
    assert "Denied by: Zabihullah Mujahid" in notes[0]["content"]
    opinions = [o for o in by_type(bundle, "opinion") if rel["id"] in o["object_refs"]]
    assert sorted(o["opinion"] for o in opinions) == ["agree", "agree", "disagree"]


def test_reports(bundle: dict) -> None:
    reports = {r["x_sitrep_doc_id"]: r for r in by_type(bundle, "report")}
    assert set(reports) == {doc_id(i) for i in range(4)}
    r0 = reports[doc_id(0)]
    assert r0["published"] == "2023-06-10T00:00:00.000Z"
    assert r0["external_references"][0]["url"] == "https://example.org/a1"
    rel = next(o for o in by_type(bundle, "relationship") if o.get("x_sitrep_relation") == "ally_of")
    assert rel["id"] in r0["object_refs"]
    # javascript: URL never exported
    assert "url" not in reports[doc_id(2)]["external_references"][0]


def test_incidents_and_quantities(bundle: dict) -> None:
    incidents = by_type(bundle, "incident")
    kabul = next(i for i in incidents if "Kabul" in i["name"] and i["x_sitrep_event_type"].startswith("Explosions"))
    assert kabul["x_sitrep_killed"] == 6 and kabul["x_sitrep_sources"] == 2
    q = next(n for n in by_type(bundle, "note") if n.get("x_sitrep_quantity") == "fighters")
    assert q["x_sitrep_disagreement"] is True and "1,500–2,200" in q["content"]


def test_deterministic(kb: Path, bundle: dict) -> None:
    again = _bundle(kb)
    assert again == bundle
    assert stix_id("threat-actor", "actor:taliban") == stix_id("threat-actor", "actor:taliban")


def test_cli_export_stix(kb: Path, tmp_path: Path) -> None:
    _register()
    out = tmp_path / "bundle.json"
    r = CliRunner().invoke(app, ["export", "stix", "-o", str(out), "--db", str(kb),
                                 "--threat-actor-type", "terrorist"])
    assert r.exit_code == 0, r.output
    data = json.loads(out.read_text())
    assert all(o["threat_actor_types"] == ["terrorist"] for o in by_type(data, "threat-actor"))
    check_bundle(data)


def test_seeds_bundle(seeds_db: Path) -> None:
    db = seeds_db
    bundle = _bundle(db)
    check_bundle(bundle)
    assert len(by_type(bundle, "report")) == 5
    store = SQLiteStore(db, readonly=True)
    try:
        facts = group_relations(store.relation_rows())
    finally:
        store.close()
    pair = [f for f in facts if {f["subject"].lower(), f["object"].lower()} >= {"taliban"}
            and "qaeda" in (f["subject"] + f["object"]).lower() and f["type"] == "ally_of"]
    if not pair:
        pytest.skip("the relation extractor did not produce Taliban–al-Qaeda yet")
    rel = next(o for o in by_type(bundle, "relationship") if o.get("x_sitrep_fact_key") == pair[0]["fact_key"])
    assert rel["x_sitrep_sources"] == pair[0]["asserted"]["sources"] >= 1
    assert rel["external_references"] and rel["x_sitrep_claims"]


def test_grades_in_the_bundle(kb: Path, tmp_path: Path) -> None:
    """Confidence follows the credibility a grade decision changes; each graded source has a note; the
    OASIS validator still reports nothing."""
    import shutil

    from stix2validator import ValidationOptions, validate_string

    from sitrep.outputs.stix import dumps

    db = tmp_path / "kb.db"
    shutil.copy(kb, db)
    _register()
    r = CliRunner().invoke(app, ["grade", "Zabihullah Mujahid", "A", "--why", "invented test grade", "--db", str(db)])
    assert r.exit_code == 0, r.output
    bundle = _bundle(db)
    rel = next(o for o in by_type(bundle, "relationship") if o.get("x_sitrep_relation") == "ally_of")
    assert rel["x_sitrep_credibility"] == 5 and rel["confidence"] == 10  # denied by a better source: improbable
    assert "Zabihullah Mujahid (graded A," in rel["description"]
    notes = {n["abstract"]: n for n in by_type(bundle, "note") if "x_sitrep_reliability" in n}
    mujahid = next(n for n in notes.values() if "Zabihullah Mujahid is graded A" in n["content"])
    assert mujahid["x_sitrep_reliability"] == "A" and "invented test grade" in mujahid["content"]
    names = {o["id"]: o.get("name") for o in bundle["objects"]}
    assert names[mujahid["object_refs"][0]] == "Zabihullah Mujahid"
    assert any(n["x_sitrep_reliability"] == "B" and "default" in n["content"] for n in notes.values())  # the UN
    ungraded = [o for o in by_type(bundle, "relationship") if o.get("x_sitrep_credibility") == 6]
    assert all("confidence" not in o for o in ungraded)  # truth cannot be judged: no confidence
    reports = by_type(bundle, "report")
    assert any(rep.get("confidence") is not None for rep in reports)
    result = validate_string(dumps(bundle), ValidationOptions(version="2.1"))
    assert result.is_valid and not [*result.errors, *result.warnings]
