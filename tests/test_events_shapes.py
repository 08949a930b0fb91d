"""More news-writing shapes for event extraction, on invented mini-articles.

The doer of the act is an instrument, not an actor ("A bomb killed 30 people", "Shelling killed two
children"), passives ("were killed when ..."), suicide bombers, gunmen on motorcycles, clashes between
two named sides, crowds in the streets, recaptures announced by an army, landmines and drone attacks
claimed by a group.  All names and places are invented (``test_events_catalogue`` holds the harness).
"""

from __future__ import annotations

from typing import Any

import pytest

from handparse import context
from sitrep.extract.events import extract_events
from test_events_catalogue import (
    BAT,
    CAT_NAMES,
    ERV,
    HALVIK,
    KESSEL,
    MOSSGATE,
    PRO,
    TARNBY,
    VAC,
    Case,
    Want,
    check_case,
)

LUMEN = "place:XA-V-lumen"
DUNMORE = "place:XA-V-dunmore"

CASES: list[Case] = [
    # --- the doer is an instrument --------------------------------------------------------------
    Case("bomb-killed", "A bomb killed 30 people in Port Lumen on Monday.",
         [Want(ERV, LUMEN, 30, "2024-03-11")]),
    Case("roadside-explosion-wounded", "A roadside explosion wounded four soldiers near Tarnby on Tuesday.",
         [Want(ERV, TARNBY, 0, "2024-03-12")]),
    Case("air-strike-hit-market", "An air strike hit a market in Mossgate on Sunday, killing 12.",
         [Want(ERV, MOSSGATE, 12, "2024-03-10")]),
    Case("bomb-hidden-killed", "A bomb hidden in a cart killed three traders at a market in Halvik on Monday.",
         [Want(ERV, HALVIK, 3, "2024-03-11")]),
    Case("bomb-that-killed", "Militants planted a bomb that killed two policemen in Kessel on Monday.",
         [Want(ERV, KESSEL, 2, "2024-03-11")]),
    Case("rocket-killed", "A rocket killed a woman and her son in Kessel on Saturday.",
         [Want(ERV, KESSEL, 2, "2024-03-09")]),
    Case("shelling-killed", "Shelling killed two children in Dunmore on Wednesday.",
         [Want(ERV, DUNMORE, 2, "2024-03-13")]),
    Case("mortar-rounds", "Mortar rounds fired at a camp in Halvik killed five people on Monday, witnesses said.",
         [Want(ERV, HALVIK, 5, "2024-03-11")]),
    # --- passives -------------------------------------------------------------------------------
    Case("were-killed-when-bomb", "Seven people were killed when a bomb exploded at a bus station in Kessel on Tuesday.",
         [Want(ERV, KESSEL, 7, "2024-03-12")]),
    Case("were-killed-when-gunmen", "Three teachers were killed when gunmen attacked a school in Tarnby on Monday.",
         [Want(VAC, TARNBY, 3, "2024-03-11")]),
    # --- suicide bombers ------------------------------------------------------------------------
    Case("suicide-bomber-blew-up", "A suicide bomber blew himself up at a mosque in Halvik on Friday, killing 15 worshippers.",
         [Want(ERV, HALVIK, 15, "2024-03-08")]),
    # --- gunmen on motorcycles ------------------------------------------------------------------
    Case("gunmen-on-motorcycles", "Gunmen on motorcycles opened fire on a crowd of villagers in Mossgate on Sunday, "
         "killing nine, residents said.",
         [Want(VAC, MOSSGATE, 9, "2024-03-10")]),
    # --- clashes between two sides --------------------------------------------------------------
    Case("clashes-erupted-between", "Clashes erupted between the Red Hand and the Northern Front in Dunmore on Saturday, "
         "leaving 11 fighters dead.",
         [Want(BAT, DUNMORE, 11, "2024-03-09")]),
    # --- crowds ---------------------------------------------------------------------------------
    Case("took-to-the-streets", "Thousands of protesters took to the streets of Kessel on Wednesday to demand the "
         "release of detained journalists.",
         [Want(PRO, KESSEL, None, "2024-03-13")]),
    # --- recapture announced --------------------------------------------------------------------
    Case("army-said-recaptured", "The army said it had recaptured the town of Tarnby from the Red Hand on Tuesday.",
         [Want(BAT, TARNBY, date="2024-03-12")]),
    # --- landmines ------------------------------------------------------------------------------
    Case("landmine-killed", "Two shepherds were killed by a landmine near Mossgate on Monday.",
         [Want(ERV, MOSSGATE, 2, "2024-03-11")]),
    Case("died-after-blast-earlier-day", "A soldier died in hospital on Friday after a bomb exploded near his post in "
         "Tarnby on Wednesday.",
         [Want(ERV, TARNBY, 1, "2024-03-13")]),
    Case("vehicle-hit-mine", "Two soldiers lost their lives when their vehicle drove over a mine near Tarnby on Monday.",
         [Want(ERV, TARNBY, 2, "2024-03-11")]),
    Case("stray-shell", "A woman was killed by a stray shell in Dunmore on Tuesday.",
         [Want(ERV, DUNMORE, 1, "2024-03-12")]),
    Case("stepped-on-landmine", "A boy was killed on Tuesday after he stepped on a landmine in Dunmore.",
         [Want(ERV, DUNMORE, 1, "2024-03-12")]),
    # --- drone attacks claimed ------------------------------------------------------------------
    Case("drone-attack-claimed", "A drone attack claimed by the Northern Front killed three soldiers at a base in Halvik "
         "on Thursday.",
         [Want(ERV, HALVIK, 3, "2024-03-14")]),
    Case("drone-strike-headline", "Drone strike kills six in Port Lumen\n\nA drone strike killed six people in Port Lumen "
         "on Wednesday, officials said.",
         [Want(ERV, LUMEN, 6, "2024-03-13")]),
    # --- raids listed by place: one incident per place named ("including in A, B and C") ------------
    Case("raids-including-in-list", "Troops carried out raids in several districts on Tuesday, including in Tarnby, "
         "Mossgate and Dunmore, killing six militants.",
         [Want(BAT, TARNBY, date="2024-03-12"), Want(BAT, MOSSGATE, date="2024-03-12"),
          Want(BAT, DUNMORE, date="2024-03-12")]),
    # --- the instrument that wounds only, and nothing happened ----------------------------------
    Case("bomb-defused", "Police defused a bomb found near a school in Kessel on Monday.", []),
    Case("grenade-wounded", "A grenade thrown into a bar in Tarnby wounded eight people late on Saturday.",
         [Want(ERV, TARNBY, 0, "2024-03-09")]),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_shapes(nlp: Any, case: Case) -> None:
    check_case(nlp, case)


@pytest.mark.parametrize("text", [
    "A bomb killed 30 people in Port Lumen on Monday.",
    "Shelling killed two children in Dunmore on Wednesday.",
    "An air strike hit a market in Mossgate on Sunday, killing 12.",
])
def test_instrument_doer_names_no_perpetrator(nlp: Any, text: str) -> None:
    """A weapon as the doer is no actor: the event has no perpetrator where the text names none."""
    evs = extract_events(context(nlp, text, CAT_NAMES, published="2024-03-14"))
    assert [(e.type, e.perpetrator_key) for e in evs] == [(ERV, None)]
