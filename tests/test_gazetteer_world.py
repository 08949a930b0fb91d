"""The built-in gazetteer knows armed groups and state forces of many conflicts, and its spellings are
unambiguous: no two actors share a name, no actor's name is a place's name, so the first record read
never silently hides another one.  The sentences are invented; the groups are real."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.data import load_gazetteer
from sitrep.data.names import compact
from sitrep.extract.context import ExtractionContext
from sitrep.extract.entities import extract_entities
from sitrep.models import Document, content_hash


def run_entities(nlp: Any, text: str) -> ExtractionContext:
    from sitrep.config import Settings

    digest = content_hash(text)
    doc = Document(id=digest[:16], source="test", raw=text, text=text, content_hash=digest)
    ctx = ExtractionContext(document=doc, sdoc=nlp(text), gazetteer=load_gazetteer(), settings=Settings())
    extract_entities(ctx)
    return ctx


def test_no_two_actors_share_a_spelling() -> None:
    gaz = load_gazetteer()
    owner: dict[str, str] = {}
    clashes = []
    for actor in gaz.actors.values():
        for name in dict.fromkeys(compact(n) for n in (actor.name, *actor.aliases)):
            if owner.setdefault(name, actor.id) != actor.id:
                clashes.append((name, owner[name], actor.id))
        for acro in actor.acronyms:
            if owner.setdefault(acro, actor.id) != actor.id:
                clashes.append((acro, owner[acro], actor.id))
    assert not clashes


def test_no_actor_name_is_a_place_name() -> None:
    gaz = load_gazetteer()
    clashes = [(a.id, n) for a in gaz.actors.values() for n in (a.name, *a.aliases) if gaz.place(n)]
    assert not clashes


CASES = [
    ("Gunmen of the Jalisco New Generation Cartel (CJNG) killed four police officers in Michoacan.",
     "CJNG", "actor:cjng", "armed_group", "MX"),
    ("The Clan del Golfo announced a unilateral ceasefire, the Colombian army said.",
     "Clan del Golfo", "actor:clan-del-golfo", "armed_group", "CO"),
    ("Viv Ansanm gangs attacked a police station in Port-au-Prince.", "Viv Ansanm", "actor:viv-ansanm",
     "armed_group", "HT"),
    ("The Tatmadaw shelled villages held by the Ta'ang National Liberation Army.", "Tatmadaw", "actor:tatmadaw",
     "organization", "MM"),
    ("TNLA fighters withdrew from the town after talks.", "TNLA", "actor:tnla", "armed_group", "MM"),
    ("New People's Army rebels ambushed a patrol in Samar.", "New People's Army", "actor:npa", "armed_group", "PH"),
    ("The Moro Islamic Liberation Front (MILF) denied any role.", "MILF", "actor:milf", "armed_group", "PH"),
    ("Naxalites set fire to road equipment in Bijapur.", "Naxalites", "actor:cpi-maoist", "armed_group", "IN"),
    ("The Al-Aqsa Martyrs' Brigades said two of its members were killed in Jenin.",
     "Al-Aqsa Martyrs' Brigades", "actor:al-aqsa-brigades", "armed_group", "PS"),
    ("Anti-balaka militias clashed with former Seleka fighters near Bambari.", "Anti-balaka",
     "actor:anti-balaka", "armed_group", "CF"),
    ("The SPLA-IO accused the army of attacking its positions in Upper Nile.", "SPLA-IO", "actor:ssa-io",
     "armed_group", "SS"),
    ("The Russian Volunteer Corps claimed a raid across the border.", "Russian Volunteer Corps", "actor:rdk",
     "armed_group", "UA"),
    ("Police blamed the New IRA for the car bomb.", "New IRA", "actor:new-ira", "armed_group", "GB"),
    ("The Qassam Brigades said it fired rockets, while Hamas officials declined to comment.", "Qassam Brigades",
     "actor:qassam", "armed_group", "PS"),
]


@pytest.mark.parametrize(("text", "surface", "key", "kind", "country"), CASES, ids=[c[2] for c in CASES])
def test_groups_of_other_conflicts_are_known(nlp: Any, text: str, surface: str, key: str, kind: str,
                                             country: str) -> None:
    ctx = run_entities(nlp, text)
    keys = {m.entity_key for m in ctx.mentions if m.text.startswith(surface)}
    assert keys == {key}, [(m.text, m.entity_key) for m in ctx.mentions]
    ent = ctx.entities[key]
    assert ent.kind == kind and ent.country == country and not ent.guessed


def test_a_soldier_count_is_not_the_army() -> None:
    """State forces are known by their force nouns ("the Burundian army"); "soldiers" counts people."""
    gaz = load_gazetteer()
    new_forces = [a for a in gaz.actors.values() if a.id in {"actor:burundi-army", "actor:tatmadaw",
                                                             "actor:colombia-army", "actor:ukraine-army"}]
    assert len(new_forces) == 4
    assert not any(n.endswith((" soldiers", " troops")) for a in new_forces for n in a.aliases)
