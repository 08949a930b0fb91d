"""A catalogue of the counts news English gives about an armed group or a place, on invented names.

Each positive case is one common construction and the quantity an analyst records from it (subject, low,
high) and, where the sentence names one, who gives the figure.  The negatives are numbers that are no
count of an actor or place: counts of other things (attacks, camps of opinion, groups), years, ages,
percentages, sums of money, telephone numbers, page counters, times and the event's own toll.  Every
case runs the whole chain of extractors over the sentence (the invented names are the mentions).
"""

from __future__ import annotations

from typing import Any

import pytest

from test_attribution_catalogue import ARMY, INSTITUTE, MONITORS, RED_HAND, SPEAKERS, TARROW, analysed

NORTH = "actor:northern-front"
VALE, LUMEN, DUNMORE, KESSEL = "place:XA-V", "place:XA-V-lumen", "place:XA-V-dunmore", "place:XA-kessel"
ANY = "any"  # the source is not what the case is about

COUNTS = [
    # --- strength and reach
    pytest.param("The Red Hand Brigade has about 3,000 fighters in Vale province.", RED_HAND, 3000, 3000, None,
                 id="has-about-n-fighters"),
    pytest.param("The Red Hand Brigade has between 2,000 and 3,000 fighters.", RED_HAND, 2000, 3000, None,
                 id="between-n-and-m"),
    pytest.param("The Red Hand Brigade has more than 500 members.", RED_HAND, 500, None, None, id="more-than"),
    pytest.param("Up to 700 fighters of the Northern Front crossed into Arcadia.", NORTH, None, 700, None,
                 id="up-to-n-fighters-of"),
    pytest.param("The Red Hand Brigade, which has some 800 members, attacked Kessel.", RED_HAND, 800, 800, None,
                 id="relative-clause"),
    pytest.param("The Red Hand Brigade numbers around 6,000 men.", RED_HAND, 6000, 6000, None, id="numbers-n-men"),
    pytest.param("The Red Hand Brigade is active in five provinces of Arcadia.", RED_HAND, 5, 5, None,
                 id="active-in-n-provinces"),
    pytest.param("The Red Hand Brigade runs three training camps in Vale province.", RED_HAND, 3, 3, None,
                 id="runs-n-camps"),
    pytest.param("The Red Hand Brigade controls 14 districts of Vale province.", RED_HAND, 14, 14, None,
                 id="controls-n-districts"),
    pytest.param("The Red Hand Brigade has about 3,000 fighters, according to the Lumen Institute.", RED_HAND,
                 3000, 3000, INSTITUTE, id="strength-according-to"),
    pytest.param("The Red Hand Brigade has about 3,000 fighters, the Lumen Institute estimates.", RED_HAND,
                 3000, 3000, INSTITUTE, id="strength-estimates-after"),
    pytest.param("The Red Hand Brigade has about 3,000 fighters, according to figures released by the "
                 "Lumen Institute on Monday.", RED_HAND, 3000, 3000, INSTITUTE, id="strength-figures-released-by"),
    pytest.param("A report by the Arcadia Monitoring Team puts the strength of the Red Hand Brigade at 2,500.",
                 RED_HAND, 2500, 2500, MONITORS, id="report-puts-strength-at"),
    # --- people it killed, wounded, abducted; people arrested, displaced
    pytest.param("The Red Hand Brigade has killed more than 1,000 civilians in Vale province since 2020.",
                 RED_HAND, 1000, None, None, id="killed-total-over-a-period"),
    pytest.param("The Red Hand Brigade abducted 25 students in Dunmore last week.", RED_HAND, 25, 25, None,
                 id="abducted-n"),
    pytest.param("The Red Hand Brigade has abducted at least 150 people this year, the Arcadia Monitoring Team "
                 "said.", RED_HAND, 150, None, MONITORS, id="abducted-total-said-after"),
    pytest.param("The Arcadian Armed Forces said they had arrested 35 suspected members of the Red Hand Brigade.",
                 RED_HAND, 35, 35, ARMY, id="arrested-n-members-of"),
    pytest.param("Police arrested 12 Red Hand Brigade members in Kessel on Monday.", RED_HAND, 12, 12, ANY,
                 id="arrested-n-group-members"),
    pytest.param("Some 60 Red Hand Brigade fighters surrendered to the army in Kessel.", RED_HAND, 60, 60, ANY,
                 id="surrendered"),
    pytest.param("The Arcadian Armed Forces said they killed 40 Red Hand Brigade fighters near Dunmore.",
                 RED_HAND, 40, 40, ARMY, id="fighters-killed-by-the-army"),
    pytest.param("Twelve fighters of the Northern Front were captured in Kessel.", NORTH, 12, 12, ANY,
                 id="word-number-captured"),
    pytest.param("More than 40,000 people have been displaced in Vale province.", VALE, 40000, None, None,
                 id="displaced-in-place"),
    pytest.param("The fighting has displaced 10,000 people in Vale province.", VALE, 10000, 10000, None,
                 id="fighting-displaced-n"),
    pytest.param("Nearly 2,000 families have fled Dunmore since March.", DUNMORE, None, 2000, None,
                 id="families-fled"),
    pytest.param("At least 30 people were wounded in Port Lumen on Monday, the Vale Health Ministry said.",
                 LUMEN, 30, None, "org:health-ministry", id="wounded-in-place"),
    # --- more ways of giving strength, tolls and the displaced
    pytest.param("The Red Hand Brigade is thought to have 2,000 to 3,000 fighters.", RED_HAND, 2000, 3000, None,
                 id="n-to-m"),
    pytest.param("The Red Hand Brigade commands an estimated 4,000 fighters in Vale province.", RED_HAND, 4000,
                 4000, None, id="commands-an-estimated"),
    pytest.param("The Red Hand Brigade claims to have 20,000 fighters.", RED_HAND, 20000, 20000, ANY,
                 id="claims-to-have"),
    pytest.param("The Red Hand Brigade attacked Kessel on Monday, killing 12 civilians and wounding 20 others.",
                 KESSEL, 20, 20, None, id="wounding-n-others"),
    pytest.param("The bombing in Port Lumen left 20 people injured.", LUMEN, 20, 20, None, id="left-n-injured"),
    pytest.param("Some 1.2 million people have been displaced in Vale province.", VALE, 1_200_000, 1_200_000, None,
                 id="n-million-displaced"),
    pytest.param("The Red Hand Brigade holds 27 hostages in Dunmore.", RED_HAND, 27, 27, None, id="holds-hostages"),
    pytest.param("The Red Hand Brigade said 15 of its fighters were killed in Kessel.", RED_HAND, 15, 15, RED_HAND,
                 id="n-of-its-fighters"),
    pytest.param("Since January, the Red Hand Brigade has killed 120 civilians in Vale province.", RED_HAND, 120,
                 120, None, id="since-month-total"),
    pytest.param("The Arcadian Armed Forces said 14 soldiers were wounded in Dunmore.", ARMY, 14, 14, ARMY,
                 id="force-wounded-said"),
    pytest.param("The Red Hand Brigade carried out 201 attacks in Vale province last year.", RED_HAND, 201, 201,
                 None, id="attacks-over-a-year"),
    # --- harder shapes: passives with agents, elided nouns, totals with no doer, forced flight
    pytest.param("An estimated 5,000 Red Hand Brigade fighters remain in Vale province.", RED_HAND, 5000, 5000, None,
                 id="an-estimated-n-group-fighters"),
    pytest.param("At least 12 people were abducted by the Red Hand Brigade in Dunmore.", RED_HAND, 12, None, None,
                 id="abducted-by-agent"),
    pytest.param("Troops captured 15 Red Hand Brigade fighters near Kessel.", RED_HAND, 15, 15, None,
                 id="captured-group-fighters"),
    pytest.param("More than 500 people have been killed in Vale province since January.", VALE, 500, None, None,
                 id="killed-total-no-doer"),
    pytest.param("The violence has forced 3,000 people to flee their homes in Dunmore.", DUNMORE, 3000, 3000, None,
                 id="forced-to-flee"),
    pytest.param("Some 300 families were displaced from Kessel.", KESSEL, 300, 300, None, id="displaced-from"),
    pytest.param("The attack killed five people and wounded 17 in Kessel.", KESSEL, 17, 17, None,
                 id="wounded-bare-number"),
    pytest.param("The attack in Kessel left five dead and 17 wounded.", KESSEL, 17, 17, None, id="left-n-wounded"),
    pytest.param("The Red Hand Brigade has kidnapped more than 200 people since 2022.", RED_HAND, 200, None, None,
                 id="kidnapped-total"),
    pytest.param("The Red Hand Brigade has 4,000 to 6,000 fighters, the Lumen Institute estimates.", RED_HAND, 4000,
                 6000, INSTITUTE, id="range-estimates-after"),
    pytest.param("Some 2 000 Red Hand Brigade fighters crossed into Arcadia.", RED_HAND, 2000, 2000, None,
                 id="space-grouped-thousands"),
    pytest.param("The Red Hand Brigade has two dozen fighters in Kessel.", RED_HAND, 24, 24, None, id="two-dozen"),
    pytest.param("The Lumen Institute estimates the Red Hand Brigade has 2,000 fighters.", RED_HAND, 2000, 2000,
                 INSTITUTE, id="estimates-x-has"),
    pytest.param("The ranks of the Red Hand Brigade have swelled to 5,000 fighters.", RED_HAND, 5000, 5000, None,
                 id="ranks-swelled-to"),
    pytest.param("With 3,000 fighters, the Red Hand Brigade is the largest group in Vale province.", RED_HAND, 3000,
                 3000, None, id="with-n-fighters-first"),
    pytest.param("The Red Hand Brigade's 4,000 fighters are spread across Vale province.", RED_HAND, 4000, 4000, None,
                 id="possessive-n-fighters"),
    pytest.param("The Red Hand Brigade's fighters, estimated at 2,000, hold Kessel.", RED_HAND, 2000, 2000, None,
                 id="fighters-estimated-at"),
    # --- vehicles and weapons seized
    pytest.param("The Red Hand Brigade seized 14 military vehicles in Dunmore.", RED_HAND, 14, 14, None,
                 id="seized-n-vehicles"),
    pytest.param("The Red Hand Brigade seized 14 vehicles and 200 rifles in Dunmore.", RED_HAND, 200, 200, None,
                 id="seized-second-of-a-list"),
    # --- a second source's toll beside the event's own
    pytest.param("A bomb killed 30 people in Port Lumen on Monday. Local officials put the toll at 45.",
                 LUMEN, 45, 45, ANY, id="put-the-toll-at"),
    pytest.param("A bomb killed 30 people in Port Lumen on Monday. Forty-five people were killed, according to "
                 "a hospital source.", LUMEN, 45, 45, ANY, id="toll-according-to-unnamed"),
    pytest.param("A suicide bomber killed 30 people at a market in Port Lumen on Monday, police said. The toll "
                 "stood at 45, according to a hospital source.", LUMEN, 45, 45, ANY, id="toll-stood-at-according-to"),
    pytest.param("A bomb killed 30 people in Port Lumen on Monday. The Red Hand Brigade said it had killed "
                 "60 soldiers in the attack.", RED_HAND, 60, 60, RED_HAND, id="claimed-toll"),
    pytest.param("The Arcadian Armed Forces rejected claims by the Red Hand Brigade that it had killed 50 soldiers "
                 "in Kessel.", RED_HAND, 50, 50, RED_HAND, id="toll-in-a-rejected-claim"),
    pytest.param("Jon Tarrow said the Red Hand Brigade had lost 200 fighters in Vale province this year.",
                 RED_HAND, 200, 200, TARROW, id="lost-n-fighters-said"),
]


@pytest.mark.parametrize(("text", "subject", "low", "high", "source"), COUNTS)
def test_a_count_of_an_actor_or_place(nlp: Any, text: str, subject: str, low: float | None, high: float | None,
                                      source: str | None) -> None:
    ctx = analysed(nlp, text, SPEAKERS)
    found = [(q.subject_key, q.low, q.high, q.claim.source_key) for q in ctx.facts.get("quantities", [])]
    hits = [s for k, lo, hi, s in found if (k, lo, hi) == (subject, low, high)]
    assert hits, found
    if source != ANY:
        assert source in hits, found


NOT_COUNTS = [
    pytest.param("The Red Hand Brigade carried out two attacks in Vale province last week.", 2, id="a-few-attacks"),
    pytest.param("The council of the Red Hand Brigade was split into two camps over the truce.", 2,
                 id="camps-of-opinion"),
    pytest.param("The Red Hand Brigade was founded in Kessel in 2011.", 2011, id="year"),
    pytest.param("Jon Tarrow, 45, leads the Red Hand Brigade in Dunmore.", 45, id="age"),
    pytest.param("Jon Tarrow, a 52-year-old commander of the Red Hand Brigade, was arrested.", 52, id="age-adjective"),
    pytest.param("The Red Hand Brigade controls 40 percent of Vale province.", 40, id="percent"),
    pytest.param("The Red Hand Brigade controls 40% of Vale province.", 40, id="percent-sign"),
    pytest.param("The Red Hand Brigade demanded $5 million for the release of the hostages in Kessel.", 5_000_000,
                 id="money"),
    pytest.param("Residents of Kessel can call 0800 123 456 to report Red Hand Brigade fighters.", 456,
                 id="phone-number"),
    pytest.param("Red Hand Brigade fighters seen near Kessel\n\nPage 2 of 7", 7, id="page-counter"),
    pytest.param("The Red Hand Brigade attacked Kessel at 10 pm on 12 May.", 12, id="date"),
    pytest.param("The two groups, the Red Hand Brigade and the Northern Front, fought in Kessel.", 2,
                 id="the-two-groups"),
    pytest.param("The Red Hand Brigade is one of the three largest groups in Arcadia.", 3, id="one-of-the-largest"),
    pytest.param("Jon Tarrow said he had spent 12 years with the Red Hand Brigade in Kessel.", 12, id="duration"),
    pytest.param("The Red Hand Brigade fired on a convoy on Route 7 near Kessel.", 7, id="road-number"),
    pytest.param("A bomb killed 30 people in Port Lumen on Monday.", 30, id="the-events-own-toll"),
    pytest.param("The attack on Kessel was the third by the Red Hand Brigade this week.", 3, id="ordinal"),
]


@pytest.mark.parametrize(("text", "value"), NOT_COUNTS)
def test_not_a_count_of_an_actor_or_place(nlp: Any, text: str, value: float) -> None:
    ctx = analysed(nlp, text, SPEAKERS)
    found = [(q.subject_key, q.low, q.high, q.what) for q in ctx.facts.get("quantities", [])]
    assert not [f for f in found if value in (f[1], f[2])], found
