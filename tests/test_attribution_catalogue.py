"""A catalogue of the ways news English credits a claim to its source, on invented names.

Each case is one common construction: the sentence, a phrase of the claim in it, and who the claim is
credited to (an entity key, or None for the article's own voice or a speaker nobody can name).  Sources
stand before or after the claim, inside it, behind a report or a spokesman, or refer back to an earlier
sentence; the negatives are claims a speaker is near but does not make (a description of the speaker, a
source quoted by someone else, the article's own narration after a quotation).
"""

from __future__ import annotations

from typing import Any

import pytest

from handparse import NAMES, Name, context

SPEAKERS: dict[str, Name] = {
    **NAMES,
    "Jon Tarrow": ("person:tarrow", "person", None, None),
    "Ivo Marek": ("person:marek", "person", None, None),
    "Radio Lumen": ("org:radio-lumen", "organization", "XA", None),
    "Arcadia Monitoring Team": ("org:monitors", "organization", None, None),
    "Lumen Institute": ("org:lumen-institute", "organization", None, None),
    "Vale Health Ministry": ("org:health-ministry", "organization", "XA", None),
    "Southern Red Hand": ("actor:red-hand-south", "armed_group", None, "actor:red-hand"),
}

TARROW, MAREK, RADIO, MONITORS, INSTITUTE, MINISTRY = (
    "person:tarrow", "person:marek", "org:radio-lumen", "org:monitors", "org:lumen-institute", "org:health-ministry")
ARMY, RED_HAND = "org:arcadian-army", "actor:red-hand"

CLAIM = "the Red Hand Brigade controls Kessel"
LEAD = "The Red Hand Brigade controls Kessel"  # the claim opening a sentence

CASES = [
    # --- the speaker before the claim
    pytest.param(f"Jon Tarrow said {CLAIM}.", TARROW, id="said-that"),
    pytest.param(f"Jon Tarrow said on Monday that {CLAIM}.", TARROW, id="said-on-day-that"),
    pytest.param(f"According to the Arcadia Monitoring Team, {CLAIM}.", MONITORS, id="according-to-first"),
    pytest.param(f"In a statement, the Arcadia Monitoring Team said {CLAIM}.", MONITORS, id="in-a-statement"),
    pytest.param(f"The Lumen Institute said in a report published on Monday that {CLAIM}.", INSTITUTE,
                 id="said-in-a-report"),
    pytest.param(f"A report by the Arcadia Monitoring Team found that {CLAIM}.", MONITORS, id="report-by-found"),
    pytest.param(f"In its latest report, the Arcadia Monitoring Team says {CLAIM}.", MONITORS, id="in-its-report"),
    pytest.param(f"The Arcadia Monitoring Team's spokesman told reporters that {CLAIM}.", MONITORS,
                 id="possessive-spokesman"),
    pytest.param(f"A spokeswoman for the Vale Health Ministry said {CLAIM}.", MINISTRY, id="spokeswoman-for"),
    pytest.param(f"Officials from the Vale Health Ministry said {CLAIM}.", MINISTRY, id="officials-from"),
    pytest.param(f"Jon Tarrow told Radio Lumen that {CLAIM}.", TARROW, id="told-outlet"),
    pytest.param(f"Speaking to reporters in Dunmore, Jon Tarrow said {CLAIM}.", TARROW, id="speaking-to"),
    pytest.param(f"Jon Tarrow, speaking on condition of anonymity, said {CLAIM}.", TARROW, id="anonymity-named"),
    pytest.param(f"Radio Lumen reported that {CLAIM}.", RADIO, id="outlet-reported"),
    pytest.param(f"Radio Lumen quoted Jon Tarrow as saying {CLAIM}.", TARROW, id="quoted-as-saying"),
    pytest.param(f"Jon Tarrow was quoted by Radio Lumen as saying {CLAIM}.", TARROW, id="was-quoted-by"),
    pytest.param(f"The Lumen Institute estimates that {CLAIM}.", INSTITUTE, id="estimates-that"),
    pytest.param(f"Jon Tarrow claimed that {CLAIM}.", TARROW, id="claimed-that"),
    pytest.param(f"Jon Tarrow denied that {CLAIM}.", TARROW, id="denied-that"),
    pytest.param(f"The Arcadia Monitoring Team rejected claims that {CLAIM}.", MONITORS, id="rejected-claims-that"),
    # --- the speaker after the claim
    pytest.param(f"{LEAD}, Jon Tarrow said.", TARROW, id="claim-name-said"),
    pytest.param(f"{LEAD}, said Jon Tarrow, a local official.", TARROW, id="claim-said-name"),
    pytest.param(f"{LEAD}, Jon Tarrow added.", TARROW, id="claim-added"),
    pytest.param(f"{LEAD}, according to the Arcadia Monitoring Team.", MONITORS,
                 id="according-to-last"),
    pytest.param(f"{LEAD}, according to figures released by the Arcadia Monitoring Team on Monday.",
                 MONITORS, id="according-to-figures-by"),
    pytest.param(f"{LEAD}, a report by the Arcadia Monitoring Team found.", MONITORS,
                 id="claim-report-by-found"),
    pytest.param(f"{LEAD}, the Arcadia Monitoring Team's spokesman told reporters.", MONITORS,
                 id="claim-spokesman-told"),
    pytest.param(f"{LEAD}, Jon Tarrow told Radio Lumen.", TARROW, id="claim-told-outlet"),
    pytest.param(f"{LEAD}, the Lumen Institute wrote in its annual report.", INSTITUTE,
                 id="claim-wrote-in-report"),
    pytest.param(f"{LEAD}, Radio Lumen reported, citing local officials.", RADIO,
                 id="claim-reported-citing"),
    pytest.param(f"{LEAD}, the Lumen Institute estimates.", INSTITUTE, id="claim-estimates"),
    pytest.param("The Red Hand Brigade, Jon Tarrow said, controls Kessel.", TARROW, id="parenthetical-said"),
    # --- more speech verbs and statement frames
    pytest.param(f"The Arcadia Monitoring Team confirmed that {CLAIM}.", MONITORS, id="confirmed"),
    pytest.param(f"Jon Tarrow warned that {CLAIM}.", TARROW, id="warned"),
    pytest.param(f"Jon Tarrow insisted that {CLAIM}.", TARROW, id="insisted"),
    pytest.param(f"Jon Tarrow acknowledged that {CLAIM}.", TARROW, id="acknowledged"),
    pytest.param(f"Jon Tarrow said Friday that {CLAIM}.", TARROW, id="said-bare-weekday"),
    pytest.param(f"In a post on social media, Jon Tarrow wrote that {CLAIM}.", TARROW, id="in-a-post-wrote"),
    pytest.param(f"The Red Hand Brigade's spokesman, Jon Tarrow, said {CLAIM}.", TARROW, id="spokesman-apposition"),
    pytest.param(f"A statement from the Arcadia Monitoring Team said {CLAIM}.", MONITORS, id="statement-from"),
    pytest.param(f"{LEAD}, according to a statement from the Arcadia Monitoring Team.", MONITORS,
                 id="according-to-a-statement-from"),
    pytest.param(f"{LEAD}, according to the Arcadia Monitoring Team's spokesman.", MONITORS,
                 id="according-to-possessive-spokesman"),
    pytest.param(f"{LEAD}, according to data compiled by the Lumen Institute.", INSTITUTE,
                 id="according-to-data-compiled-by"),
    pytest.param(f"Figures from the Lumen Institute show that {CLAIM}.", INSTITUTE, id="figures-from-show"),
    pytest.param(f"{LEAD}, the Arcadia Monitoring Team said in a statement on Monday.", MONITORS,
                 id="claim-said-in-a-statement"),
    pytest.param(f"{LEAD}, Jon Tarrow said in an interview with Radio Lumen.", TARROW, id="claim-said-in-interview"),
    pytest.param("The Vale Health Ministry issued a statement on Monday. "
                 f"{LEAD}, the ministry said.", MINISTRY, id="the-ministry-said-back"),
    pytest.param("The Vale Health Ministry issued a statement on Monday. "
                 f"The statement said {CLAIM}.", MINISTRY, id="the-statement-said-back"),
    pytest.param(f"The Arcadian Armed Forces said {CLAIM}. The army added that the town was surrounded.", ARMY,
                 id="the-army-added-back"),
    pytest.param(f"{LEAD}, two officials said, speaking on condition of anonymity because they were not "
                 "authorised to speak to the press.", None, id="anonymous-officials-long"),
    pytest.param(f"{LEAD}, according to a hospital source.", None, id="according-to-unnamed"),
    pytest.param(f"Jon Tarrow said that, according to the Lumen Institute, {CLAIM}.", INSTITUTE,
                 id="speaker-quoting-another"),
    # --- headlines, inversions, citing, passages
    pytest.param(f"{LEAD}: Arcadia Monitoring Team", MONITORS, id="headline-colon-source"),
    pytest.param(f"{LEAD}, claimed Jon Tarrow.", TARROW, id="inverted-claimed"),
    pytest.param(f"Citing intelligence sources, Radio Lumen reported that {CLAIM}.", RADIO, id="citing-first"),
    pytest.param(f"Radio Lumen, citing local officials, said that {CLAIM}.", RADIO, id="citing-inside"),
    pytest.param(f"{LEAD}, sources close to the group told Radio Lumen.", RADIO, id="sources-told-outlet"),
    pytest.param(f"The Lumen Institute published a report on Monday. It said {CLAIM}.", INSTITUTE,
                 id="it-said-after-report"),
    pytest.param(f"Lumen Institute analyst Jon Tarrow said {CLAIM}.", TARROW, id="title-before-name"),
    pytest.param(f"As the Lumen Institute noted in a recent report, {CLAIM}.", INSTITUTE, id="as-noted-first"),
    pytest.param(f"In a post on Telegram, the Red Hand Brigade said {CLAIM}.", RED_HAND, id="in-a-telegram-post"),
    pytest.param(f"Jon Tarrow said: \"{LEAD}.\"", TARROW, id="colon-quote"),
    pytest.param(f"Jon Tarrow spoke on Monday.\n\n\"{LEAD},\" he said.", TARROW, id="quote-he-said"),
    pytest.param(f"{LEAD}, sources said.", None, id="sources-said"),
    # --- passages and reports named in passing
    pytest.param(f"Jon Tarrow said the group had regrouped.\n\n\"{LEAD} and has 500 fighters,\" he said.", TARROW,
                 id="passage-quote-he-said"),
    pytest.param(f"The Lumen Institute said in its report that the group has grown. It added that {CLAIM}.", INSTITUTE,
                 id="it-added"),
    pytest.param(f"The report, released by the Lumen Institute on Monday, said {CLAIM}.", INSTITUTE,
                 id="report-released-by"),
    pytest.param(f"A Lumen Institute report released on Monday said {CLAIM}.", INSTITUTE, id="body-report-said"),
    pytest.param(f"The Lumen Institute's latest report says {CLAIM}.", INSTITUTE, id="possessive-report-says"),
    pytest.param(f"Jon Tarrow, the Lumen Institute's director, told Radio Lumen on Monday that {CLAIM}.", TARROW,
                 id="name-apposition-told"),
    pytest.param(f"Jon Tarrow spoke on Monday. {LEAD}, Tarrow said.", TARROW, id="surname-again"),
    pytest.param(f"{LEAD}, a senior official of the Vale Health Ministry said.", MINISTRY, id="official-of-body-tail"),
    pytest.param(f"Ministry spokesman Jon Tarrow said {CLAIM}.", TARROW, id="title-spokesman-name"),
    pytest.param(f"The Arcadian Armed Forces say {CLAIM}.", ARMY, id="present-say"),
    pytest.param(f"Officials said {CLAIM}.", None, id="officials-said"),
    # --- the source refers back to an earlier sentence
    pytest.param(f"Jon Tarrow spoke in Dunmore on Monday. He said {CLAIM}.", TARROW, id="pronoun"),
    pytest.param("A panel of experts of the Lumen Institute published its findings on Monday. "
                 f"{LEAD}, the experts estimate.", INSTITUTE, id="the-experts-estimate"),
    pytest.param("The Arcadia Monitoring Team published its findings on Monday. "
                 f"{LEAD}, the report found.", MONITORS, id="the-report-found"),
    pytest.param("Jon Tarrow heads the Lumen Institute. "
                 f"{LEAD}, the institute's director said.", INSTITUTE, id="the-body-named-again"),
    pytest.param(f"Interior Minister Jon Tarrow spoke in Dunmore. {LEAD}, the minister said.", TARROW,
                 id="the-minister-after-a-title"),
    pytest.param(f"Jon Tarrow, the Lumen Institute's director, spoke in Dunmore. The director said {CLAIM}.", TARROW,
                 id="the-director-after-an-apposition"),
    pytest.param(f"Red Hand Brigade spokesman Jon Tarrow spoke on Monday. The spokesman said {CLAIM}.", TARROW,
                 id="the-spokesman-after-a-title"),
    pytest.param("Southern Red Hand was set up last year. "
                 f"The Red Hand Brigade's southern branch said {CLAIM}.", "actor:red-hand-south", id="the-branch-of-a-group"),
    pytest.param(f"The Red Hand Brigade's media wing said {CLAIM}.", RED_HAND, id="a-wing-not-named-is-the-group"),
    # --- negatives: nobody named, or not this speaker
    pytest.param(f"{LEAD}, two officials said, speaking on condition of anonymity.", None,
                 id="anonymous-officials"),
    pytest.param("Jon Tarrow said the group was weak.\n\nThe Red Hand Brigade attacked Kessel on Monday.", None,
                 id="narration-after-a-quote"),
    pytest.param("Jon Tarrow, who said last year that the group was finished, now heads the Lumen Institute.",
                 None, id="relative-clause-speaker-description"),
    pytest.param("The Red Hand Brigade attacked Kessel on Monday.", None, id="no-cue"),
    pytest.param(f"The Lumen Institute, which Jon Tarrow founded, said {CLAIM}.", INSTITUTE,
                 id="relative-clause-inside-speaker"),
]


def _needle(text: str) -> str:
    for needle in ("controls Kessel", "attacked Kessel", "now heads"):
        if needle in text:
            return needle
    raise AssertionError(text)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_who_says_so(nlp: Any, text: str, expected: str | None) -> None:
    from sitrep.extract.attribution import attribute, source_for

    ctx = context(nlp, text, SPEAKERS)
    attribute(ctx)
    needle = _needle(text)
    start = text.rindex(needle)
    src = source_for(ctx, start, start + len(needle))
    got = src.key if src is not None else None
    assert got == expected, (got, src)


def analysed(nlp: Any, text: str, names: dict[str, Name] | None = None) -> Any:
    """The context after every registered extractor but the entity finder (the invented names are the
    mentions), facts kept by what they are, as the pipeline keeps them."""
    from sitrep.extract.registry import ordered

    ctx = context(nlp, text, names or SPEAKERS)
    for ex in ordered():
        if ex.name == "entities":
            continue
        out = ex.run(ctx)
        if isinstance(out, list):
            ctx.facts.setdefault(ex.output or ex.name, []).extend(out)
    return ctx


DENIALS = [
    pytest.param("Jon Tarrow rejected claims that the Red Hand Brigade had formed an alliance with the Northern "
                 "Front.", TARROW, id="rejected-claims-that"),
    pytest.param("Jon Tarrow dismissed reports that the Red Hand Brigade fights alongside the Northern Front.", TARROW,
                 id="dismissed-reports-that"),
    pytest.param("Jon Tarrow denied reports that the Red Hand Brigade had formed an alliance with the Northern "
                 "Front.", TARROW, id="denied-reports-that"),
    pytest.param("Jon Tarrow dismissed as baseless claims that the Red Hand Brigade had formed an alliance with the "
                 "Northern Front.", TARROW, id="dismissed-as-baseless"),
    pytest.param("Jon Tarrow called claims that the Red Hand Brigade had formed an alliance with the Northern Front "
                 "baseless.", TARROW, id="called-claims-baseless"),
    pytest.param("Jon Tarrow dismissed reports of an alliance between the Red Hand Brigade and the Northern Front.",
                 TARROW, id="dismissed-reports-of-a-noun"),
    pytest.param("The Red Hand Brigade denied any alliance with the Northern Front.", RED_HAND, id="denied-any-noun"),
]


@pytest.mark.parametrize(("text", "denier"), DENIALS)
def test_a_denied_claim_is_denied_by_its_speaker(nlp: Any, text: str, denier: str) -> None:
    ctx = analysed(nlp, text)
    found = [(r.subject_key, r.type, r.object_key, r.claim.polarity, r.claim.source_key)
             for r in ctx.facts.get("relations", [])
             if {r.subject_key, r.object_key} == {RED_HAND, "actor:northern-front"}]
    assert ("denied", denier) in {(p, s) for *_, p, s in found}, found
    assert ("asserted", denier) not in {(p, s) for *_, p, s in found}, found  # the denier never asserts it


def test_a_saying_after_a_subordinator_covers_its_own_clause(nlp: Any) -> None:
    from sitrep.extract.attribution import attribute, source_for

    text = ("The statement was signed by the Red Hand Brigade commander Jon Tarrow after the Arcadian Armed Forces "
            "claimed in a press release that the group had lost Kessel.")
    ctx = context(nlp, text, SPEAKERS)
    attribute(ctx)
    lost = text.index("had lost Kessel")
    src = source_for(ctx, lost, lost + 15)
    assert src is not None and src.key == ARMY, src
    commander = text.index("commander Jon Tarrow")
    src = source_for(ctx, commander, commander + 20)
    assert src is None or src.key != ARMY, src
