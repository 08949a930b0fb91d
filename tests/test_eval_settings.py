"""``sitrep eval`` builds the one Settings like every other command: ``--gazetteer`` (global flag, config
file or environment) changes what the pipeline finds, and a bad setting is a usage error."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_sitrep

ACTORS = """\
- id: actor:zorvath
  name: Zorvath
  kind: armed_group
  aliases: [Black Lantern Front]
"""
ARTICLE = ("Police post attacked\n\nFighters of the Black Lantern Front attacked a police post in Quillmere "
           "on Sunday, the provincial governor said.\n")
GOLD = {"doc": "a.txt", "title": "Police post attacked", "published": None,
        "actors": [{"names": ["Zorvath"], "kind": "armed_group"}],
        "places": [{"names": ["Quillmere"], "kind": "city", "country": "AF"}],
        "relations": [], "quantities": [], "events": [], "boilerplate": []}


def _setup(tmp_path: Path) -> tuple[Path, Path]:
    gold, gaz = tmp_path / "gold", tmp_path / "gaz"
    gold.mkdir()
    gaz.mkdir()
    (gold / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (gold / "a.txt.gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (gaz / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    return gold, gaz


def _actors(*args: str) -> dict[str, float]:
    res = run_sitrep([*args, "--json"])
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)["actors"]


def test_a_user_gazetteer_entry_changes_what_eval_finds(tmp_path: Path) -> None:
    gold, gaz = _setup(tmp_path)
    without = _actors("eval", "--gold", str(gold))
    assert without["matched"] == 0  # "Black Lantern Front" is not the gold's Zorvath without the alias
    assert _actors("--gazetteer", str(gaz), "eval", "--gold", str(gold))["matched"] == 1
    config = tmp_path / "sitrep.yaml"
    config.write_text("gazetteer: gaz\n", encoding="utf-8")
    assert _actors("eval", "--gold", str(gold), "--config", str(config))["matched"] == 1


def test_a_bad_gazetteer_is_a_usage_error(tmp_path: Path) -> None:
    gold, _ = _setup(tmp_path)
    res = run_sitrep(["--gazetteer", str(tmp_path / "nowhere"), "eval", "--gold", str(gold)])
    assert res.returncode == 2
    assert "gazetteer" in res.stderr and "Traceback" not in res.stderr + res.stdout
