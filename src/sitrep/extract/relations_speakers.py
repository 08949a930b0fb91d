"""First-person words in what a group or its spokesman says: "we", "our fighters" stand for the group.

A quoted statement ("We attacked the Arcadian forces", claimed P, a spokesman for X) speaks for the
group of its speaker: the group itself when a group is credited, else the group the article names
the speaking person a leader or member of (read off the document's own role frames, once).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from sitrep.extract.attribution import source_for
from sitrep.extract.relations_render import CUES, _render

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.extract.relations_reader import _DocReader
    from sitrep.models import Mention

_GROUP_KINDS = ("armed_group", "organization")


def _person_groups(r: _DocReader) -> dict[str, str]:
    """person key -> the group the document makes them a leader or member of (first stated)."""
    cached: dict[str, str] | None = getattr(r, "_person_groups", None)
    if cached is not None:
        return cached
    from sitrep.extract.relations_surface import _surface_frames

    out: dict[str, str] = {}
    r._person_groups = out  # type: ignore[attr-defined]  # set first: the frames below may ask again
    for sent in r.sents:
        if not sent.text.strip():
            continue
        for f in _surface_frames(r, _render(sent, r.tok_mention)):
            if f.type in ("leads", "member_of") and r.kind(f.obj) in _GROUP_KINDS:
                out.setdefault(f.subj.entity_key, f.obj.entity_key)
    return out


def first_person_group(r: _DocReader, tok: Token) -> Mention | None:
    """The group a first-person word ("we", "our") inside a credited statement stands for, if any."""
    if tok.lower_ not in CUES["first_person"]:
        return None
    src = source_for(r.ctx, tok.idx, tok.idx + len(tok))
    if src is None or not src.key:
        return None
    ent = r.ctx.entities.get(src.key)
    if ent is None:
        return None
    key: str | None = src.key if ent.kind in _GROUP_KINDS else None
    if ent.kind == "person":
        key = _person_groups(r).get(src.key)
    if key is None:
        return None
    # the group's latest mention up to the word, else its first (indexed look-ups: no scan per word)
    latest = r.latest_of(key, bisect_right(r._starts, tok.idx))
    if latest is not None:
        return latest
    same = r.mentions_of(key)
    return same[0] if same else None


__all__ = ["first_person_group"]
