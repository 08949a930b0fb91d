"""A report's voice over its paragraph: cue-less sentences next to "the report said" are the report's,
until another source, a turn to another story or the paragraph's end (invented names throughout)."""

from __future__ import annotations

from typing import Any

from sitrep.extract.attribution import source_for

FORWARD = ("Monitors count camps\n\n"
           "The Arcadian Monitoring Council said in a report that the Red Hand Brigade has expanded its network "
           "in Arcadia. They put the number of provinces where the Red Hand Brigade trains fighters at 10. "
           "Meanwhile, the Red Hand Brigade has 300 fighters in Boravia.\n\n"
           "The Red Hand Brigade controls 5 towns in Arcadia.\n")
BACKWARD = ("Monitors count camps\n\n"
            "The Arcadian Monitoring Council published its latest report on Monday.\n\n"
            "The Red Hand Brigade now runs training camps in 12 districts of Arcadia. The group \u201cestablished "
            "new camps in the north,\u201d the report said. Officials told the Boravia Times that the group was "
            "weakened. The Red Hand Brigade lost 40 fighters.\n")


def _who(ctx: Any, needle: str) -> str | None:
    at = ctx.document.text.index(needle)
    src = source_for(ctx, at, at + len(needle))
    return None if src is None else (ctx.entities[src.key].name if src.key in ctx.entities else src.text)


def test_a_finding_carries_over_the_next_sentences_of_its_paragraph(attributed: Any) -> None:
    ctx = attributed(FORWARD)
    assert "Arcadian Monitoring Council" in (_who(ctx, "expanded") or "")
    assert "Arcadian Monitoring Council" in (_who(ctx, "at 10") or "")  # "They put the number ... at 10"


def test_the_voice_stops_at_a_topic_shift_and_a_paragraph_break(attributed: Any) -> None:
    ctx = attributed(FORWARD)
    assert _who(ctx, "300 fighters") is None  # "Meanwhile, ...": another story, the article's
    assert _who(ctx, "5 towns") is None  # the next paragraph


def test_a_finding_followed_by_the_report_quoting_it_is_the_reports(attributed: Any) -> None:
    ctx = attributed(BACKWARD)
    assert "Arcadian Monitoring Council" in (_who(ctx, "12 districts") or "")
    assert "Arcadian Monitoring Council" in (_who(ctx, "new camps in the north") or "")


def test_another_source_ends_the_reports_voice(attributed: Any) -> None:
    ctx = attributed(BACKWARD)
    assert "Boravia Times" in (_who(ctx, "weakened") or "")
    assert _who(ctx, "lost 40") is None  # after another source, a cue-less sentence is the article's


def test_a_plain_statement_is_not_given_to_a_speaker_after_it(attributed: Any) -> None:
    ctx = attributed("Clashes\n\nThe Red Hand Brigade attacked Port Lys on Monday. \u201cWe will fight on,\u201d "
                     "Tomas Vey said.\n")
    assert _who(ctx, "attacked") is None  # only a report's findings are summed up before it is quoted
