"""relations.yaml: the relation extractors' cue words and surface frames are validated data."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.data.loader import DataFileError
from sitrep.extract.relations_lexicon import lexicon, load_lexicon

GOOD = """\
cues:
  part_nouns: [branch, wing]
  ally_nouns_strong: [alliance]
frames:
  - name: 'A, a branch of B'
    type: part_of
    pattern: '<s:A> , <D><M>(?P<pn>{part_nouns}) of <D><o:A>'
derive:
  force_nouns: [soldier]
  harm_verbs: [kill]
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "relations.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_package_lexicon_loads_with_frames_and_cues() -> None:
    lex = lexicon()
    assert lex.frames and all(f.name and f.pattern for f in lex.frames)
    assert "spokesman" in lex.cues["member_roles"]
    assert "on" in lex.derive["target_preps"]  # a bare YAML 'on' stays the word


def test_a_file_given_loads(tmp_path: Path) -> None:
    lex = load_lexicon(_write(tmp_path, GOOD))
    assert [f.name for f in lex.frames] == ["A, a branch of B"]
    assert lex.cues["part_nouns"] == ("branch", "wing")


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("derive:", "derived:"), "unknown key 'derived'"),
    (GOOD.replace("    type: part_of", "    type: part_of\n    colour: red"), "unknown key 'colour'"),
    (GOOD.replace("type: part_of", "type: befriends"), "bad value 'befriends'"),
    (GOOD.replace("{part_nouns}", "{limb_nouns}"), "unknown cue list '{limb_nouns}'"),
    (GOOD.replace("  harm_verbs: [kill]\n", ""), "missing key 'harm_verbs'"),
])
def test_mistakes_are_refused_naming_file_key_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DataFileError, match=r"relations\.yaml:\d+: .*" + message.replace("{", r"\{").replace("}", r"\}")):
        load_lexicon(_write(tmp_path, text))


def test_a_frame_may_say_it_states_a_clause(tmp_path: Path) -> None:
    lex = load_lexicon(_write(tmp_path, GOOD.replace("    type: part_of", "    type: part_of\n    clause: true")))
    assert lex.frames[0].clause is True
    assert load_lexicon(_write(tmp_path, GOOD)).frames[0].clause is False
    with pytest.raises(DataFileError, match=r"relations\.yaml:\d+: .*clause"):
        load_lexicon(_write(tmp_path, GOOD.replace("    type: part_of", "    type: part_of\n    clause: perhaps")))


def test_two_frames_of_one_name_are_refused(tmp_path: Path) -> None:
    frame = GOOD.split("frames:\n")[1].split("derive:")[0]
    text = GOOD.replace("derive:", frame + "derive:")
    with pytest.raises(DataFileError, match="two frames are called"):
        load_lexicon(_write(tmp_path, text))
