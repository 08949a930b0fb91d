"""Who says so in the cases seen on the demo corpus, on invented names: a byline is never an outlet,
"the monitors also said" refers back through the adverb, a role noun behind "at/with/for ORG" is that
ORG, a trailing '"...," said NAME' is NAME, and an agentless estimate about the very speaker the
passage reports is the article's own voice."""

from __future__ import annotations

import pytest

from conftest import credited as _source
from conftest import key_of as _key
from sitrep.ingest.clean import clean_text
from sitrep.ingest.metadata import text_metadata


def test_byline_with_date_is_the_author_not_the_publisher() -> None:
    text = ("Rebels tighten their hold on the river port of Bora\n\nBy Arcadia Desk | Monday, 15 July 2024\n\n"
            "Fighters of the Red Hand Brigade seized the river port of Bora on Monday, residents said.\n")
    meta = text_metadata(clean_text(text))
    assert meta.author == "Arcadia Desk"
    assert meta.publisher is None
    assert meta.published == "2024-07-15"


def test_date_and_outlet_line_still_names_the_outlet() -> None:
    text = ("Rebels tighten their hold on the river port of Bora\n\nMonday, 15 July 2024 | Arcadia Evening Star\n\n"
            "Fighters of the Red Hand Brigade seized the river port of Bora on Monday, residents said.\n")
    assert text_metadata(clean_text(text)).publisher == "Arcadia Evening Star"


def test_the_monitors_also_said_is_the_monitoring_body(attributed) -> None:
    ctx = attributed("According to the Arcadia Monitoring Team, the Red Hand Brigade runs camps in the north. "
                     "The monitors also said that the Blue Lions remain the main rival of the Red Hand Brigade.")
    src = _source(ctx, "remain the main rival")
    assert src is not None and src.key == _key(ctx, "Arcadia Monitoring Team")


@pytest.mark.parametrize("speaker", ["Analysts at", "A researcher with", "A spokeswoman for"])
def test_role_noun_behind_a_preposition_is_that_body(attributed, speaker: str) -> None:
    ctx = attributed(f"{speaker} the Arcadia Peace Institute said the Red Hand Brigade is allied with the Blue Lions.")
    src = _source(ctx, "is allied")
    assert src is not None and src.key == _key(ctx, "Arcadia Peace Institute")


def test_trailing_said_name_after_a_quotation_is_the_name(attributed) -> None:
    ctx = attributed('"The Red Hand Brigade has lost the valley," said Tomas Vey, a local official.')
    src = _source(ctx, "has lost the valley")
    assert src is not None and src.key == _key(ctx, "Tomas Vey")


def test_estimate_about_the_speaker_itself_is_the_articles_voice(attributed) -> None:
    ctx = attributed("The Red Hand Brigade claimed responsibility for the raid in a statement. "
                     "The group is estimated to have 3,000 fighters in the north.")
    assert _source(ctx, "3,000 fighters") is None


def test_estimate_after_a_report_is_the_reports(attributed) -> None:
    ctx = attributed("A report by the Arcadia Monitoring Team described the Red Hand Brigade. "
                     "The group is estimated to have 3,000 fighters in the north.")
    src = _source(ctx, "3,000 fighters")
    assert src is not None and src.key == _key(ctx, "Arcadia Monitoring Team")


def _as_country(ctx, name: str):
    """The context with the invented place ``name`` made a country (a state may speak; a place may not)."""
    from sitrep.extract import attribution

    key = _key(ctx, name)
    ctx.entities[key].kind = "country"
    for m in ctx.mentions:
        if m.entity_key == key:
            m.label = "country"
    attribution._RESOLVERS.clear()
    ctx.source_cues.clear()
    ctx.sources.clear()
    attribution.attribute(ctx)
    return ctx


@pytest.mark.parametrize(("text", "head"), [
    ("The deadliest attack in Borealia claimed by the Red Hand Brigade was in the town of Kessel.", "attack"),
    ("A convoy in Borealia reported heavy fire near the town of Kessel.", "convoy"),
])
def test_no_event_and_no_state_behind_a_preposition_speaks(attributed, text: str, head: str) -> None:
    from sitrep.extract.attribution import speaker_of

    ctx = _as_country(attributed(text), "Borealia")
    tok = next(t for t in ctx.sdoc if t.lower_ == head)
    assert speaker_of(ctx, tok) is None
    src = _source(ctx, "Kessel")
    assert src is None or src.key != _key(ctx, "Borealia")


def test_a_state_named_as_the_speaker_still_speaks(attributed) -> None:
    ctx = _as_country(attributed("Borealia said the Red Hand Brigade holds the town of Kessel."), "Borealia")
    src = _source(ctx, "holds the town")
    assert src is not None and src.key == _key(ctx, "Borealia")
