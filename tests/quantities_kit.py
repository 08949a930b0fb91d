"""Shared helpers of the quantity rule tests: invented text -> what the quantity extractor found.

``parsed(nlp, text)`` parses the text with the model, adds the invented names of ``PEOPLE``
(``handparse.NAMES`` plus two people and a radio station) as mentions, optionally fills the sources
and the events, and runs the extractor; ``about(found, key, low, high)`` lists what was counted for
one subject with those bounds.
"""

from __future__ import annotations

from typing import Any

from handparse import NAMES, Name, context
from sitrep.extract.quantities import extract_quantities
from sitrep.models import Event

PEOPLE: dict[str, Name] = {**NAMES, "Jon Tarrow": ("person:tarrow", "person", None, None),
                           "Ivo Marek": ("person:marek", "person", None, None),
                           "Radio Lumen": ("org:radio-lumen", "organization", "XA", None)}

Found = list[tuple[str, float | None, float | None, str]]


def run(ctx: Any) -> Found:
    return [(q.subject_key, q.low, q.high, q.what) for q in extract_quantities(ctx)]


def parsed(nlp: Any, text: str, sources: bool = False, events: list[Event] | None = None) -> Found:
    ctx = context(nlp, text, PEOPLE)
    if sources:
        from sitrep.extract.attribution import attribute

        attribute(ctx)
    if events is not None:
        ctx.facts["events"] = events
    return run(ctx)


def about(found: Found, key: str, low: float | None, high: float | None) -> list[str]:
    return [what for k, lo, hi, what in found if (k, lo, hi) == (key, low, high)]


__all__ = ["PEOPLE", "Found", "about", "parsed", "run"]
