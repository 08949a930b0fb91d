"""A team's own gazetteer (``--gazetteer DIR`` and ``gazetteer:`` in a config file) merged over the built-in one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import _register, app
from sitrep.config import GLOBAL_FLAGS, SettingsError, build_settings
from sitrep.data import load_gazetteer
from sitrep.data.loader import DataFileError

runner = CliRunner()
_register()

ACTORS = """\
- id: actor:zorvath
  name: Zorvath
  kind: armed_group
  aliases: [Zorvath movement]
  acronyms: [ZVM]
- id: actor:taliban
  name: Taliban
  kind: armed_group
  aliases: [Tolvani students]
"""
PLACES = "place:XA-quillmere\tcity\tQuillmere\tAF\tplace:AF\t33.25\t66.5\tQuillmere town\n"
TEXT = ("Quillmere, Arcadia, 3 March 2024\n\n"
        "Fighters of Zorvath attacked a police post in Quillmere on Sunday, the provincial governor said. "
        "The governor said Zorvath is allied with the Tolvani students.\n")


@pytest.fixture(autouse=True)
def _no_global_flags() -> None:
    GLOBAL_FLAGS.clear()


def folder(tmp_path: Path, actors: str | None = ACTORS, places: str | None = PLACES) -> Path:
    gaz = tmp_path / "gaz"
    gaz.mkdir()
    if actors is not None:
        (gaz / "actors.yaml").write_text(actors, encoding="utf-8")
    if places is not None:
        (gaz / "places.tsv").write_text(places, encoding="utf-8")
    return gaz


def test_user_records_are_merged_over_the_built_in_ones(tmp_path: Path) -> None:
    gaz = load_gazetteer(str(folder(tmp_path)))
    assert gaz.actor("ZVM") is not None and gaz.actor("ZVM").id == "actor:zorvath"  # type: ignore[union-attr]
    taliban = gaz.actor("Tolvani students")
    assert taliban is not None and taliban.id == "actor:taliban"
    assert "Afghan Taliban" in taliban.aliases  # built-in spellings are kept
    assert [p.id for p in gaz.place("Quillmere town")] == ["place:XA-quillmere"]
    assert gaz.place_by_id("place:AF") is not None
    assert load_gazetteer().actor("Zorvath") is None  # the built-in gazetteer is untouched


def ingest_and_list(tmp_path: Path, *global_args: str, config: Path | None = None) -> tuple[set[str], dict]:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    db = tmp_path / "kb.db"
    extra = ["--config", str(config)] if config else []
    res = runner.invoke(app, [*global_args, "ingest", str(article), "--db", str(db), "--json", "-q", *extra])
    assert res.exit_code == 0, res.stdout
    actors = json.loads(runner.invoke(app, ["actors", "--db", str(db), "--json"]).stdout)
    places = json.loads(runner.invoke(app, ["places", "--db", str(db), "--json"]).stdout)
    return ({a["name"] for a in actors if a["kind"] == "armed_group" and not a["guessed"]},
            {p["name"]: p for p in places})


def test_invented_group_and_town_are_found_with_the_global_option(tmp_path: Path) -> None:
    gaz = folder(tmp_path)
    groups, places = ingest_and_list(tmp_path, "--gazetteer", str(gaz))
    assert "Zorvath" in groups
    assert "Taliban" in groups  # the user alias "Tolvani students" names the built-in record
    assert "Quillmere" in places
    assert places["Quillmere"]["lat"] == pytest.approx(33.25)


def test_config_file_gazetteer_is_relative_to_the_file(tmp_path: Path) -> None:
    folder(tmp_path)
    config = tmp_path / "sitrep.yaml"
    config.write_text("gazetteer: gaz\n", encoding="utf-8")
    groups, places = ingest_and_list(tmp_path, config=config)
    assert "Zorvath" in groups and "Quillmere" in places


def test_without_it_the_invented_names_are_not_known(tmp_path: Path) -> None:
    groups, places = ingest_and_list(tmp_path)
    assert "Zorvath" not in groups
    assert "Quillmere" not in places or places["Quillmere"]["lat"] != pytest.approx(33.25)


def test_a_bad_key_is_a_usage_error_naming_file_line_and_key(tmp_path: Path) -> None:
    gaz = folder(tmp_path, actors=ACTORS + "  colour: red\n")
    res = runner.invoke(app, ["--gazetteer", str(gaz), "ingest", str(tmp_path), "--db", str(tmp_path / "k.db")])
    assert res.exit_code == 2
    message = res.stderr if hasattr(res, "stderr") else res.output
    assert "actors.yaml:" in message and "colour" in message
    with pytest.raises(SettingsError, match=r"actors\.yaml:10: .*unknown key 'colour'"):
        build_settings(gazetteer=str(gaz))


@pytest.mark.parametrize(("actors", "places", "pattern"), [
    ("- id: actor:x\n  name: X\n  kind: banana\n", None, r"actors\.yaml:3: .*banana"),
    ("- id: actor:x\n  name: X\n  kind: armed_group\n  parent: actor:nobody\n", None, r"unknown parent"),
    (None, "place:x\tcity\tX\t\t\t95\t0\n", r"places\.tsv:1: bad coordinate"),
    (None, "place:x\ttown\tX\t\t\t1\t0\n", r"places\.tsv:1: bad place kind 'town'"),
    (None, None, r"no actors\.yaml or places\.tsv"),
])
def test_bad_files_are_clear_errors(tmp_path: Path, actors: str | None, places: str | None, pattern: str) -> None:
    with pytest.raises(DataFileError, match=pattern):
        load_gazetteer(str(folder(tmp_path, actors, places)))


def test_a_misspelt_file_and_a_missing_folder_are_errors(tmp_path: Path) -> None:
    gaz = folder(tmp_path)
    (gaz / "actor.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"actor\.yaml: unknown gazetteer file"):
        load_gazetteer(str(gaz))
    with pytest.raises(SettingsError, match="does not exist"):
        build_settings(gazetteer=str(tmp_path / "nowhere"))
