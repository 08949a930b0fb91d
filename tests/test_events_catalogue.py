"""A catalogue of news-writing constructions for event extraction, on invented mini-articles.

Each case is a short article (a dateline and a few sentences) with the events an analyst records from
it (``../shared/eval/FORMAT.md``: incidents reported as having happened, hypotheticals and threats
excluded, background incidents included).  The constructions: the most specific scene ("in the village
of X in Y district", "near X", "on the road between X and Y"), one event per incident (headline and
body, follow-up paragraphs) and two for two attacks, ACLED typing by the act, the incident's own toll
against running totals and a second source's figure, relative dates against the article's date, and
background incidents against threats.  All names and places are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from handparse import NAMES, Name, context
from sitrep.extract.events import extract_events
from sitrep.models import Event

ANY: Any = object()

CAT_NAMES: dict[str, Name] = {
    **NAMES,
    "Orlo district": ("place:XA-V-orlo", "district", "XA", "place:XA-V"),
    "Orlo": ("place:XA-V-orlo", "district", "XA", "place:XA-V"),
    "Tarnby": ("place:XA-V-tarnby", "city", "XA", "place:XA-V-orlo"),
    "Mossgate": ("place:XA-V-mossgate", "city", "XA", "place:XA-V-orlo"),
    "Halvik": ("place:XA-halvik", "city", "XA", "place:XA"),
    "Silver Wolves": ("actor:silver-wolves", "armed_group", None, None),
}

VAC = "Violence against civilians"
ERV = "Explosions/Remote violence"
BAT = "Battles"
PRO = "Protests"
SD = "Strategic developments"

TARNBY, MOSSGATE, HALVIK = "place:XA-V-tarnby", "place:XA-V-mossgate", "place:XA-halvik"
KESSEL, DUNMORE = "place:XA-kessel", "place:XA-V-dunmore"


@dataclass(frozen=True)
class Want:
    type: str
    location: str | frozenset[str]
    killed: Any = ANY
    date: Any = ANY

    def matches(self, ev: Event) -> bool:
        locs = self.location if isinstance(self.location, frozenset) else frozenset({self.location})
        return (
            ev.type == self.type
            and ev.location_key in locs
            and (self.killed is ANY or ev.killed == self.killed)
            and (self.date is ANY or ev.date == self.date or (isinstance(self.date, frozenset) and ev.date in self.date))
        )


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    want: list[Want] = field(default_factory=list)
    published: str | None = "2024-03-14"  # a Thursday


CASES: list[Case] = [
    # --- the scene: the most specific place the article names ----------------------------------
    Case("village-of-in-district",
         "HALVIK, Arcadia (Arcadia Press) - Gunmen killed four farmers in the village of Tarnby in Orlo district "
         "on Tuesday, local officials said.\n\nThe attackers fled on motorbikes.",
         [Want(VAC, TARNBY, 4, "2024-03-12")]),
    Case("near-village",
         "KESSEL - A roadside bomb struck an army patrol near Tarnby in Orlo district on Monday, killing two soldiers, "
         "the army said.",
         [Want(ERV, TARNBY, 2, "2024-03-11")]),
    Case("road-between",
         "Arcadia: Silver Wolves fighters ambushed a supply convoy on the road between Halvik and Mossgate on Wednesday, "
         "killing five soldiers.\n\nThe army said reinforcements had been sent.",
         [Want(BAT, frozenset({HALVIK, MOSSGATE}), 5, "2024-03-13")]),
    Case("district-possessive-village",
         "Gunmen stormed Orlo district's Tarnby village late on Sunday, killing seven civilians, residents said.",
         [Want(VAC, TARNBY, 7, "2024-03-10")]),
    Case("appositive-village-in-district",
         "A suicide bomber blew himself up at a market in Tarnby, a village in Orlo district, on Tuesday, "
         "killing nine people.",
         [Want(ERV, TARNBY, 9, "2024-03-12")]),
    Case("dateline-city-is-not-the-scene",
         "HALVIK, Arcadia, March 14 - Militants attacked an army post in Mossgate, some 40 kilometres north of Halvik, "
         "on Wednesday, killing three soldiers.",
         [Want(BAT, MOSSGATE, 3, "2024-03-13")]),
    Case("country-headline-village-body",
         "Six killed in attack in Arcadia\n\nGunmen opened fire on villagers in Tarnby in Orlo district on Monday, "
         "killing six people, police said.",
         [Want(VAC, TARNBY, 6, "2024-03-11")]),
    Case("province-then-village",
         "An air strike hit a house in Vale province on Tuesday, killing three people. The attack hit the village of "
         "Mossgate in Orlo district, a local official said.",
         [Want(ERV, MOSSGATE, 3, "2024-03-12")]),
    Case("modifier-place-is-not-the-scene",
         "Clashes between the army and the Silver Wolves continued in Vale province on Sunday.\n\nA drone strike on "
         "Saturday hit a convoy of civilians, killing five people, according to a Borealia-based monitor.",
         [Want(BAT, "place:XA-V", ANY), Want(ERV, "place:XA-V", 5, "2024-03-09")]),
    Case("near-the-border-is-not-the-neighbour",
         "Gunmen kill 9 in attack on church near Borealian border\n\nGunmen killed nine worshippers at a church in "
         "Tarnby on Sunday, officials said.",
         [Want(VAC, TARNBY, 9, "2024-03-10")]),
    Case("comparison-class-is-not-the-scene",
         "Gunmen killed 30 villagers in Tarnby on Monday, in one of the deadliest attacks on civilians in Vale "
         "province this year.",
         [Want(VAC, TARNBY, 30, "2024-03-11")]),
    # --- one event per incident; two incidents are two events --------------------------------------
    Case("follow-up-paragraph-same-attack",
         "Silver Wolves kill 12 in Tarnby raid\n\nSilver Wolves fighters attacked Tarnby in Orlo district on Tuesday, "
         "killing 12 villagers, officials said.\n\nThe attack on Tarnby was the deadliest in the district this year. "
         "Survivors said the gunmen burned houses during the attack.",
         [Want(VAC, TARNBY, 12, "2024-03-12")]),
    Case("follow-up-quote-same-attack",
         "Gunmen killed five worshippers at a mosque in Mossgate on Friday.\n\n\"They came at night and shot everyone "
         "they saw,\" a resident said.\n\nThe gunmen fled after the shooting, police said.",
         [Want(VAC, MOSSGATE, 5)]),
    Case("two-attacks-two-days",
         "Militants ambushed an army convoy near Halvik on Monday, killing four soldiers. On Wednesday, a car bomb "
         "exploded at a market in Tarnby, killing eleven people.",
         [Want(BAT, HALVIK, 4, "2024-03-11"), Want(ERV, TARNBY, 11, "2024-03-13")]),
    Case("separate-attack",
         "Gunmen killed three traders in Tarnby on Tuesday. In a separate attack, assailants shot dead two teachers "
         "in Halvik, police said.",
         [Want(VAC, TARNBY, 3), Want(VAC, HALVIK, 2)]),
    Case("claim-paragraph-same-attack",
         "A roadside bomb killed four policemen in Kessel on Monday.\n\nThe Silver Wolves claimed responsibility for "
         "the bombing in a statement on Tuesday.",
         [Want(ERV, KESSEL, 4, "2024-03-11")]),
    Case("toll-update-same-attack",
         "A car bomb exploded outside a hotel in Halvik on Tuesday, killing six people.\n\nThe death toll from the "
         "blast rose to nine on Wednesday, hospital officials said.",
         [Want(ERV, HALVIK, 9, "2024-03-12")]),
    Case("follow-up-bare-toll",
         "An improvised explosive device struck a police patrol near Mossgate on Monday.\n\nTwo policemen were killed "
         "and three wounded, a police spokesman said.",
         [Want(ERV, MOSSGATE, 2, "2024-03-11")]),
    Case("reaction-paragraph-same-attack",
         "Gunmen killed eight villagers in Tarnby on Tuesday.\n\nThe president condemned the attack on Tarnby and "
         "ordered an investigation into the killings.",
         [Want(VAC, TARNBY, 8, "2024-03-12")]),
    Case("days-after-another-attack",
         "Militants ambushed an army patrol near Mossgate on Wednesday, killing six soldiers. The ambush came two days "
         "after gunmen killed ten people at a market in Halvik.",
         [Want(BAT, MOSSGATE, 6, "2024-03-13"), Want(VAC, HALVIK, 10)]),
    Case("town-of-in-province",
         "A car bomb exploded near the town of Mossgate in Vale province on Monday, killing three people.",
         [Want(ERV, MOSSGATE, 3, "2024-03-11")]),
    Case("and-that-second-report",
         "Silver Wolves fighters attacked an army base in Mossgate on Monday, killing four soldiers.\n\nThe army said "
         "troops had repelled the assault and that air force jets had struck the fleeing militants.",
         [Want(BAT, MOSSGATE, 4, "2024-03-11"), Want(ERV, MOSSGATE, ANY)]),
    Case("capture-in-a-relative-clause",
         "The Silver Wolves have pushed south from the town of Mossgate, which they captured from the army in January.",
         [Want(BAT, MOSSGATE, ANY, "2024-01")]),
    # --- ACLED type by the act ----------------------------------------------------------------------
    Case("ied-on-convoy-is-remote-violence",
         "An improvised explosive device hit a military convoy in Orlo district on Monday, killing three soldiers.",
         [Want(ERV, "place:XA-V-orlo", 3)]),
    Case("storming-a-base-is-a-battle",
         "Silver Wolves fighters stormed an army base in Halvik on Sunday, sparking hours of fighting in which "
         "eight soldiers died.",
         [Want(BAT, HALVIK, 8, "2024-03-10")]),
    Case("shelling-of-town",
         "Rebels shelled residential areas of Dunmore on Tuesday, killing two children, medics said.",
         [Want(ERV, DUNMORE, 2, "2024-03-12")]),
    Case("beheading-is-violence-against-civilians",
         "Militants beheaded a farmer in Tarnby on Saturday, his family said.",
         [Want(VAC, TARNBY, 1, "2024-03-09")]),
    Case("kidnapping",
         "Gunmen kidnapped 20 students from a school in Mossgate on Monday, the local governor said.",
         [Want(VAC, MOSSGATE, ANY, "2024-03-11")]),
    Case("peaceful-protest",
         "Thousands of people marched through Halvik on Tuesday to demand an end to the killings in Orlo district.",
         [Want(PRO, HALVIK, ANY, "2024-03-12")]),
    Case("clash-between-army-and-rebels",
         "Soldiers clashed with Silver Wolves fighters outside Mossgate on Wednesday, the army said, adding that "
         "15 militants were killed.",
         [Want(BAT, MOSSGATE, 15, "2024-03-13")]),
    Case("drone-strike-on-vehicle",
         "A drone strike hit a vehicle near Tarnby on Monday, killing two Silver Wolves commanders, security sources "
         "said.",
         [Want(ERV, TARNBY, 2, "2024-03-11")]),
    # --- the incident's own toll -------------------------------------------------------------------
    Case("cumulative-total-is-not-the-toll",
         "Gunmen killed seven villagers in Tarnby on Tuesday, bringing the number of people killed in Orlo district "
         "this year to 230.",
         [Want(VAC, TARNBY, 7)]),
    Case("claimed-toll-is-not-the-toll",
         "Militants attacked an army post in Mossgate on Monday. The army said four soldiers were killed, while the "
         "Silver Wolves claimed to have killed 30 soldiers.",
         [Want(BAT, MOSSGATE, 4, "2024-03-11")]),
    Case("second-source-figure",
         "Gunmen killed 12 people in Tarnby on Monday, police said.\n\nLocal residents put the death toll at 15.",
         [Want(VAC, TARNBY, 12, "2024-03-11")]),
    Case("background-total-paragraph",
         "A suicide bomber killed five people at a checkpoint in Halvik on Tuesday.\n\nMore than 1,200 people have been "
         "killed in attacks across Arcadia since 2020, according to the United Nations.",
         [Want(ERV, HALVIK, 5, "2024-03-12")]),
    Case("yearly-tally-is-no-event",
         "Gunmen killed four villagers in Tarnby on Monday.\n\nIn 2023, more than 300 people were killed in attacks "
         "by the Silver Wolves in Vale province, according to a rights group.",
         [Want(VAC, TARNBY, 4, "2024-03-11")]),
    Case("latest-in-a-string-is-the-same-attack",
         "Militants ambushed a police patrol near Mossgate on Tuesday, killing three officers. The ambush was the "
         "latest in a string of assaults on security forces in Orlo district.",
         [Want(BAT, MOSSGATE, 3, "2024-03-12")]),
    # --- dates against the article's own date ------------------------------------------------------
    Case("late-on-sunday",
         "Gunmen attacked a police station in Dunmore late on Sunday, killing two officers.",
         [Want(BAT, DUNMORE, 2, "2024-03-10")]),
    Case("last-friday",
         "Militants ambushed a patrol near Kessel last Friday, killing three soldiers.",
         [Want(BAT, KESSEL, 3, "2024-03-08")]),
    Case("overnight",
         "A rocket attack hit Halvik overnight, killing one civilian, officials said on Thursday.",
         [Want(ERV, HALVIK, 1, frozenset({"2024-03-13", "2024-03-14"}))]),
    Case("tuesday-night",
         "Gunmen shot dead three people in Tarnby on Tuesday night.",
         [Want(VAC, TARNBY, 3, "2024-03-12")]),
    Case("same-weekday-as-publication",
         "Gunmen shot dead two traders at a market in Halvik on Thursday, police said.",
         [Want(VAC, HALVIK, 2, "2024-03-14")]),
    Case("late-saturday-without-on",
         "A car bomb exploded near a checkpoint in Kessel late Saturday, killing three soldiers.",
         [Want(ERV, KESSEL, 3, "2024-03-09")]),
    Case("date-of-what-followed",
         "Arcadia began three days of mourning on Wednesday after gunmen killed 20 villagers at a market in Tarnby "
         "on Monday.",
         [Want(VAC, TARNBY, 20, "2024-03-11")]),
    Case("explicit-date",
         "On 3 March, a car bomb exploded near a police station in Kessel, killing four officers.",
         [Want(ERV, KESSEL, 4, "2024-03-03")]),
    Case("earlier-this-month-has-no-day",
         "Militants attacked Mossgate earlier this month, killing six villagers.",
         [Want(VAC, MOSSGATE, 6, frozenset({None, "2024-03"}))]),
    # --- background incidents count; threats, plans and generalities do not -------------------------
    Case("background-incident-counts",
         "Gunmen killed two herders in Tarnby on Monday.\n\nIn 2019, the Silver Wolves killed 40 villagers in "
         "Mossgate.",
         [Want(VAC, TARNBY, 2, "2024-03-11"), Want(VAC, MOSSGATE, 40, "2019")]),
    Case("threat-is-no-event",
         "The Silver Wolves threatened to attack Halvik if the army did not withdraw from Orlo district.",
         []),
    Case("could-attack-is-no-event",
         "Officials warned that the militants could attack Tarnby in the coming days.",
         []),
    Case("vow-of-revenge-is-no-event",
         "Gunmen killed four soldiers near Kessel on Monday. The army vowed to hunt down the attackers and "
         "to strike their bases in Orlo district.",
         [Want(BAT, KESSEL, 4, "2024-03-11")]),
    Case("generic-attacks-are-no-event",
         "Attacks on villages in Orlo district have become more frequent in recent months, residents say.",
         []),
    Case("fear-of-attack-is-no-event",
         "Residents of Mossgate fled their homes for fear of an attack by the Silver Wolves.",
         []),
    Case("foiled-attack-is-no-event",
         "Police said they had thwarted a planned bombing in Halvik on Tuesday.",
         []),
]


def _show(evs: list[Event]) -> list[tuple[Any, ...]]:
    return [(e.type, e.sub_type, e.location_key, e.killed, e.date, e.trigger, e.perpetrator_key) for e in evs]


def check_case(nlp: Any, case: Case) -> None:
    """The case's events, no more and no fewer, each matched by one wanted event."""
    evs = extract_events(context(nlp, case.text, CAT_NAMES, published=case.published))
    assert len(evs) == len(case.want), _show(evs)
    left = list(evs)
    for want in case.want:
        hit = next((ev for ev in left if want.matches(ev)), None)
        assert hit is not None, (want, _show(evs))
        left.remove(hit)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_catalogue(nlp: Any, case: Case) -> None:
    check_case(nlp, case)
