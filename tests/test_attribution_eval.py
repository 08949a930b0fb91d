"""`sitrep eval` reports attribution as ../shared/eval/FORMAT.md defines it, and sources.yaml is validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_sitrep

ARTICLE = ("Tomas Varga, the Red Hand Brigade's head of foreign relations, said the Red Hand Brigade fights "
           "the Blue Lions in the hills.\n")


def _gold(folder: Path, fight_source: str | None) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    gold = {
        "doc": "a.txt", "title": None, "published": None,
        "actors": [{"names": ["Tomas Varga"], "kind": "person"},
                   {"names": ["Red Hand Brigade"], "kind": "armed_group"},
                   {"names": ["Blue Lions"], "kind": "armed_group"}],
        "places": [],
        "relations": [
            {"subject": "Tomas Varga", "type": "member_of", "object": "Red Hand Brigade", "polarity": "asserted",
             "source": None},
            {"subject": "Red Hand Brigade", "type": "hostile_to", "object": "Blue Lions", "polarity": "asserted",
             "source": fight_source},
        ],
        "quantities": [], "events": [], "boilerplate": [],
    }
    (folder / "a.txt.gold.json").write_text(json.dumps(gold), encoding="utf-8")


@pytest.mark.slow
def test_attribution_figure_in_json_table_and_verbose(tmp_path: Path) -> None:
    right, wrong = tmp_path / "right", tmp_path / "wrong"
    _gold(right, "Tomas Varga")
    _gold(wrong, "Blue Lions")
    res = run_sitrep(["eval", "--gold", str(right), "--json"])
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["relations"]["matched"] == 2
    assert data["attribution"] == {"accuracy": 1.0, "gold": 2}
    table = run_sitrep(["eval", "--gold", str(wrong), "--verbose"])
    assert "attribution accuracy 0.500" in table.stdout
    assert "attribution WRONG" in table.stdout and "'Blue Lions'" in table.stdout and "Tomas Varga" in table.stdout


def test_sources_yaml_rejects_an_unknown_key(tmp_path: Path) -> None:
    from sitrep.data.loader import DataFileError
    from sitrep.extract.attribution_cues import SOURCES_FILE, load_source_cues

    text = (Path(__file__).parents[1] / "src" / "sitrep" / "data" / SOURCES_FILE).read_text(encoding="utf-8")
    (tmp_path / SOURCES_FILE).write_text(text + "\nspeakr_nouns: [x]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"sources\.yaml:\d+.*speakr_nouns"):
        load_source_cues(tmp_path)
    (tmp_path / SOURCES_FILE).write_text(text.replace("group: [armed_group, organization]", "group: [gang]"),
                                         encoding="utf-8")
    with pytest.raises(DataFileError, match="gang"):
        load_source_cues(tmp_path)
