"""The schema as data (src/sitrep/data/schema.yaml): loading, validation with file/key/line, and a
new relation type that is a data change only."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from sitrep.data import DataFileError, load_schema, schema, using_schema
from sitrep.models import (
    ACTOR_KINDS,
    EVENT_TYPES,
    PLACE_KINDS,
    RELATION_TYPES,
    SYMMETRIC_RELATIONS,
    Claim,
    DocResult,
    Document,
    Entity,
    Event,
    Relation,
    content_hash,
)

SCHEMA = resources.files("sitrep.data").joinpath("schema.yaml").read_text(encoding="utf-8")

NEW_TYPE = """  trades_with:
    label: Trading partners
    phrase: trades with
    symmetric: true
    subjects: [armed_group, organization, state, person, country]
    objects: [armed_group, organization, state, person, country]
    stix: related-to
    colour: "#795548"
"""


def _schema_dir(tmp_path: Path, text: str) -> Path:
    (tmp_path / "schema.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _with_new_type(tmp_path: Path) -> Path:
    """The package schema plus one relation type, inserted where relation types are listed."""
    text = SCHEMA.replace("\npolarities:", "\n" + NEW_TYPE + "\npolarities:", 1)
    assert "trades_with" in text
    return _schema_dir(tmp_path, text)


def test_package_schema_is_the_models_vocabulary() -> None:
    s = schema()
    assert RELATION_TYPES == s.relation_types
    assert SYMMETRIC_RELATIONS == s.symmetric_relations == {"ally_of", "hostile_to"}
    assert ACTOR_KINDS == tuple(s.actor_kinds) and PLACE_KINDS == tuple(s.place_kinds)
    assert EVENT_TYPES == tuple(s.event_types)
    assert "Suicide bomb" in s.sub_types("Explosions/Remote violence")
    assert s.polarities == ("asserted", "denied")
    assert s.stix_relationship("ally_of") == "cooperates-with"
    assert s.stix_relationship("hostile_to", "threat-actor") == "related-to"  # targets only identities/places
    assert s.phrase("member_of") == "is a member of"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    symmetric: true\n", "    symmetric: true\n    symetric: true\n", r"relation_types\.ally_of: unknown key 'symetric'"),
        ("    symmetric: false\n", "    symmetric: maybe\n", r"relation_types\.supports\.symmetric: expected true or false"),
        ("    objects: [country, province, city, district, region]\n",
         "    objects: [country, province, village]\n", r"objects\[2\]: bad value 'village'"),
        ("    colour: \"#2e7d32\"\n", "    colour: green\n", r"bad colour 'green'"),
        ("  person: {label: Person, stix: identity}\n", "  person: {label: Person}\n", r"actor_kinds\.person: missing key 'stix'"),
        ("quantity_kinds:\n", "quantity_kinds:\n  strength: {label: again}\n", r"quantity_kinds\.strength: duplicate key"),
        ("polarities: [asserted, denied]\n", "polarities: [asserted, disputed]\n", r"polarities must include"),
        ("\nmodalities: [", "\nmodalitys: [", r"unknown key 'modalitys'"),
    ],
)
def test_bad_schema_names_file_key_and_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in SCHEMA
    text = SCHEMA.replace(old, new, 1)
    changed_line = text[: text.index(new)].count("\n") + 1
    with pytest.raises(DataFileError, match=message) as err:
        load_schema(_schema_dir(tmp_path, text))
    first = str(err.value).splitlines()[0]
    assert first.startswith(f"{tmp_path / 'schema.yaml'}:")
    line = int(first.split(":")[1])
    assert changed_line - 8 <= line <= changed_line + new.count("\n")  # the entry that is wrong, near the edit


def test_not_yaml_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"schema\.yaml:\d+: not valid YAML"):
        load_schema(_schema_dir(tmp_path, "actor_kinds: [unclosed\n"))


def test_a_new_relation_type_is_a_data_change_only(tmp_path: Path) -> None:
    extended = load_schema(_with_new_type(tmp_path))
    assert extended.relation_types[-1] == "trades_with" and extended.is_symmetric("trades_with")
    claim = Claim("d1", 0, 10, 0, 40, "The Red Hand Brigade trades with the Blue Order.")
    rel = Relation("actor:red-hand", "trades_with", "actor:blue-order", claim)
    entities = [Entity("actor:red-hand", "Red Hand Brigade", "armed_group"),
                Entity("actor:blue-order", "Blue Order", "armed_group")]
    text = claim.snippet

    def result() -> DocResult:
        doc = Document(id="d1", source="arcadia.txt", raw=text, text=text, content_hash=content_hash(text))
        return DocResult(document=doc, entities=list(entities), relations=[rel])

    # without the entry the type is not stored ...
    plain = result()
    assert plain.check_schema() and plain.relations == []
    # ... with it, everything that reads the schema follows
    with using_schema(extended):
        assert rel.fact_key() == "actor:blue-order|trades_with|actor:red-hand"  # symmetric: ordered pair
        kept = result()
        assert kept.check_schema() == [] and kept.relations == [rel]
        assert schema().legend()["trades_with"]["colour"] == "#795548"
        from sitrep.outputs.stix import build_bundle
        from sitrep.query.graph import actor_graph
        from sitrep.store import open_store

        with open_store(str(tmp_path / "kb.db")) as store:
            store.write_batch([result()])
            rows = store.relation_rows()
            assert [r["type"] for r in rows] == ["trades_with"]
            graph = actor_graph(store)
            assert [e["directed"] for e in graph["edges"]] == [False]
            assert graph["legend"]["trades_with"]["label"] == "Trading partners"
            bundle = build_bundle(store, timestamp="2024-01-01T00:00:00.000Z")
            from sitrep.outputs.exports import kb_json

            assert kb_json(store)["schema"]["relation_types"]["trades_with"]["symmetric"] is True
        rels = [o for o in bundle["objects"] if o["type"] == "relationship" and o.get("x_sitrep_relation")]
        assert [(o["relationship_type"], o["x_sitrep_symmetric"]) for o in rels] == [("related-to", True)]
        assert "trades with" in rels[0]["description"]


def test_schema_file_copied_unchanged_loads_the_same(tmp_path: Path) -> None:
    shutil.copy(resources.files("sitrep.data").joinpath("schema.yaml"), tmp_path / "schema.yaml")  # type: ignore[arg-type]
    assert load_schema(tmp_path) == schema()


def test_event_outside_the_schema_is_not_stored() -> None:
    text = "A clash was reported."
    doc = Document(id="d2", source="x.txt", raw=text, text=text, content_hash=content_hash(text))
    good = Event("Battles", "Armed clash", Claim("d2", 2, 7, 0, 21, text))
    bad = Event("Skirmish", None, Claim("d2", 2, 7, 0, 21, text))
    r = DocResult(document=doc, events=[good, bad])
    problems = r.check_schema()
    assert r.events == [good] and len(problems) == 1 and "Skirmish" in problems[0]
