"""The relation extractors' knowledge, read once from ``data/relations.yaml`` and validated.

* ``cues``: named word lists (role nouns, cue verbs and nouns ...) that the parse frames test lemmas
  against and the surface frames expand as ``{name}``; ``deny_verbs``, ``untrue_adjs``, ``hedges`` and
  ``pledge_verbs`` are the shared lists of ``language.yaml`` (deny_verbs, untrue_words, modality_words,
  irrealis_verbs), and ``report_nouns`` (what someone said) its claim and report nouns together; the file's
  own ``claim_nouns`` are what a denial's object may stand for (those nouns, and pronouns: "which X denies");
* ``frames``: the surface frames, each a pattern over the rendered sentence with a relation type;
* ``derive``: the words the derive step reads incidents with (``target_preps`` from ``language.yaml``).

An unknown key, a missing key or a value of the wrong shape stops loading with one line naming the
file, the key and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from sitrep.data.language import LANGUAGE_FILE, language
from sitrep.data.loader import (
    DataFileError,
    Node,
    Record,
    boolean,
    mapping_of,
    one_of,
    read_yaml,
    text,
    word_list,
)

RELATIONS_FILE = "relations.yaml"
#: what a frame's ``type`` may be: a relation type, or a role / ally / hostile reading resolved in code
FRAME_TYPES = ("role", "ally", "hostile", "part_of", "supports", "operates_in", "leads", "member_of", "ally_of",
               "hostile_to")
#: the word lists the derive step reads from relations.yaml (its ``target_preps`` are language.yaml's)
DERIVE_KEYS = ("force_nouns", "harm_verbs")


@dataclass(frozen=True, slots=True)
class FrameSpec:
    """One surface frame as written in the data file (compiled by ``relations_render``)."""

    name: str
    type: str
    pattern: str
    subj: str = "s"
    obj: str = "o"
    obj_list: bool = False
    subj_list: bool = False
    member_if_dept: bool = False
    singular_role: bool = False
    object_may_modify: bool = False
    doc_state: bool = False
    clause: bool = False  # the fact is a clause ("P is a member of X"): negation and denial over it apply
    line: int = 0


@dataclass(frozen=True, slots=True)
class RelationsLexicon:
    cues: MappingProxyType[str, tuple[str, ...]]
    frames: tuple[FrameSpec, ...]
    derive: MappingProxyType[str, frozenset[str]]
    source: str = RELATIONS_FILE

    def words(self, name: str) -> frozenset[str]:
        return frozenset(self.cues[name])


def _lower_words(node: Node) -> tuple[str, ...]:
    return tuple(w.lower() for w in word_list(node))


_FRAME = Record(
    required={"name": text, "type": one_of(FRAME_TYPES), "pattern": text},
    optional={"subj": lambda n: "" if n.value in (None, "") else text(n),
              "obj": lambda n: "" if n.value in (None, "") else text(n),
              "obj_list": boolean, "subj_list": boolean, "member_if_dept": boolean,
              "singular_role": boolean, "object_may_modify": boolean, "doc_state": boolean,
              "clause": boolean},
)
_DERIVE = Record(required={k: _lower_words for k in DERIVE_KEYS})
_FILE = Record(required={"cues": mapping_of(_lower_words), "frames": lambda n: n, "derive": _DERIVE})


def parse_lexicon(root: Node) -> RelationsLexicon:
    """Validate a parsed ``relations.yaml`` (see :func:`sitrep.data.loader.read_yaml`)."""
    raw = _FILE(root)
    frames_node: Node = raw["frames"]
    if not isinstance(frames_node.value, list) or not frames_node.value:
        raise frames_node.fail("expected a non-empty list of frames")
    frames: list[FrameSpec] = []
    names: set[str] = set()
    for node in frames_node.value:
        f = _FRAME(node)
        if f["name"] in names:
            raise node.fail(f"two frames are called {f['name']!r}")
        names.add(f["name"])
        frames.append(FrameSpec(line=node.line, **f))
    cues = raw["cues"]
    shared = _shared_cues()
    for name in shared:
        if name in cues:
            raise root.value["cues"].value[name].fail(
                f"cue list {name!r} is defined in {LANGUAGE_FILE}: remove it here")
    cues = {**cues, **shared}
    for frame in frames:  # every {name} a pattern uses must be a cue list
        for ref in _refs(frame.pattern):
            if ref not in cues:
                raise DataFileError(f"{root.file}:{frame.line}: frames.{frame.name}: unknown cue list '{{{ref}}}'")
    return RelationsLexicon(
        cues=MappingProxyType({k: tuple(v) for k, v in cues.items()}),
        frames=tuple(frames),
        derive=MappingProxyType({**{k: frozenset(v) for k, v in raw["derive"].items()},
                                 "target_preps": language().target_preps}),
        source=root.file,
    )


def _shared_cues() -> dict[str, tuple[str, ...]]:
    """The cue lists that are one shared idea, read from ``language.yaml`` (sorted, for stable patterns)."""
    lang = language()
    said = tuple(sorted(lang.claim_nouns | lang.report_nouns))  # what someone said: a claim or a report
    return {"deny_verbs": tuple(sorted(lang.deny_verbs)), "untrue_adjs": tuple(sorted(lang.untrue_words)),
            "hedges": tuple(sorted(lang.hedge_words)), "pledge_verbs": tuple(sorted(lang.irrealis_verbs)),
            "report_nouns": said}


def _refs(pattern: str) -> list[str]:
    import re

    return re.findall(r"(?<!\\)\{([a-z_]+)\}", pattern)



def load_lexicon(directory: Path | str | None = None) -> RelationsLexicon:
    """Read and validate ``relations.yaml`` from ``directory`` (default: the package's own)."""
    if directory is None:
        return lexicon()
    return parse_lexicon(read_yaml(RELATIONS_FILE, Path(directory)))


@lru_cache(maxsize=1)
def lexicon() -> RelationsLexicon:
    """The package's relations.yaml, loaded and validated once per process."""
    return parse_lexicon(read_yaml(RELATIONS_FILE))


__all__ = ["FRAME_TYPES", "FrameSpec", "RelationsLexicon", "lexicon", "load_lexicon", "parse_lexicon"]
