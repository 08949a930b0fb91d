"""Furniture of other kinds of pages: e-mail newsletters, press releases, share and counter lines,
sign-up boxes and "Read more:" teasers of local outlets; and what must stay (the body, bylines).

All outlets, people and places are invented (Arcadia, the Red Hand Brigade, Port Lumen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.data.loader import DataFileError
from sitrep.ingest.clean import clean_text, furniture_reason, load_patterns

HEADLINE = "Red Hand Brigade fighters clash with army near Port Lumen"
PARAGRAPHS = [
    "Fighters of the Red Hand Brigade attacked an army post outside Port Lumen on Tuesday, killing four "
    "soldiers, according to local officials who spoke to our correspondent.",
    "The group has widened its operations across the northern province of Veridia over the past year, "
    "residents and aid workers said.",
    "An army spokesman said reinforcements had reached the area and that the coastal road had reopened.",
]
BODY = "\n\n".join(PARAGRAPHS)


def removed_and_kept(raw: str) -> tuple[dict[str, str], list[str]]:
    result = clean_text(raw)
    removed = {ln.text: ln.removed for ln in result.lines if ln.removed}
    return removed, [ln.text for ln in result.kept()]


def assert_body_kept(kept: list[str]) -> None:
    for paragraph in PARAGRAPHS:
        assert paragraph in kept


NEWSLETTER = f"""View this email in your browser
The Arcadia Monitor
Issue 112 - Friday, March 14, 2025
In this issue:
{HEADLINE}
You are receiving this email because you signed up for updates from the Arcadia Monitor.

{HEADLINE}

{BODY}

Share it on:
1.2K shares
12 comments
Unsubscribe from this list | Update your preferences
Forward this email to a friend
"""


def test_newsletter_header_and_footer_are_removed_and_the_body_kept() -> None:
    result = clean_text(NEWSLETTER)
    removed = {ln.text: ln.removed for ln in result.lines if ln.removed}
    for line in ("View this email in your browser", "Issue 112 - Friday, March 14, 2025", "In this issue:",
                 "You are receiving this email because you signed up for updates from the Arcadia Monitor.",
                 "Share it on:", "1.2K shares", "12 comments",
                 "Unsubscribe from this list | Update your preferences", "Forward this email to a friend"):
        assert line in removed, line
    assert_body_kept([ln.text for ln in result.kept()])
    # the entry of the table of contents is dropped; the headline above the body is the headline
    assert result.headline_line is not None and result.headline_line.text == HEADLINE
    assert result.lines[result.headline].index > 5
    assert [ln.text for ln in result.kept()].count(HEADLINE) == 1


@pytest.mark.parametrize("line", [
    "Having trouble viewing this email? Open it online",
    "Read this newsletter in your web browser",
    "Was this forwarded to you? Sign up here",
    "Manage your subscription",
    "Update your email preferences",
    "Click to unsubscribe",
    "In today's edition:",
    "Enter your email address",
])
def test_newsletter_lines(line: str) -> None:
    assert furniture_reason(line) is not None


PRESS_RELEASE = """Coalition for Civilian Safety
FOR IMMEDIATE RELEASE
Monitors report a surge in attacks on villages in Veridia
PORT LUMEN, Arcadia, March 14, 2025 (Lumen Wire) - Monitors documented at least twelve attacks on villages \
in the province of Veridia during February, most of them blamed on the Red Hand Brigade, the coalition said.
The coalition called on all parties to protect civilians and to let aid convoys reach displaced families.
Download the full report (PDF)
Media contact: Jane Roe, press officer, +00 555 0100
About the Coalition for Civilian Safety
The Coalition for Civilian Safety is an independent network of monitors founded in 2010 that records \
harm to civilians in armed conflicts.
###
"""


def test_press_release_furniture_and_closing_boilerplate() -> None:
    removed, kept = removed_and_kept(PRESS_RELEASE)
    assert removed["FOR IMMEDIATE RELEASE"] == "press release"
    assert "Download the full report (PDF)" in removed
    assert "Media contact: Jane Roe, press officer, +00 555 0100" in kept  # the release's own contact line
    assert removed["About the Coalition for Civilian Safety"] == "closing boilerplate"
    assert any(text.startswith("The Coalition for Civilian Safety is") for text in removed)
    assert "###" in removed
    assert any(text.startswith("PORT LUMEN, Arcadia") for text in kept)
    assert any(text.startswith("The coalition called") for text in kept)


def test_an_about_heading_inside_the_body_is_kept() -> None:
    """Only among the last lines does "About ..." open boilerplate; a short text is never cut."""
    raw = f"{HEADLINE}\n\nAbout the Red Hand Brigade\n\n{BODY}\n"
    removed, kept = removed_and_kept(raw)
    assert "About the Red Hand Brigade" in kept
    assert_body_kept(kept)
    short = f"{HEADLINE}\n\n{PARAGRAPHS[0]}\n\nAbout the Red Hand Brigade\n\n{PARAGRAPHS[1]}\n"
    assert "About the Red Hand Brigade" in removed_and_kept(short)[1]


@pytest.mark.parametrize("line", [
    "Embargoed until 00:01 GMT Thursday",
    "Press release",
    "Download our briefing here",
    "Share it on:",
    "3.4K shares",
    "Read more: Villagers flee as fighting spreads in the hills",
    "Sign up for our daily newsletter",
])
def test_other_kinds_of_furniture(line: str) -> None:
    assert furniture_reason(line) is not None


@pytest.mark.parametrize("line", [
    "About 300 fighters crossed the river into Veridia on Sunday.",
    "The report was released on Monday.",
    "Issue of weapons to the militia was halted, officials said.",
    "Press freedom groups condemned the arrest of two reporters in Port Lumen.",
])
def test_article_sentences_are_not_furniture(line: str) -> None:
    assert furniture_reason(line) is None


def test_local_outlet_page_keeps_byline_and_body() -> None:
    raw = f"""The Veridia Courier
{HEADLINE}
By John Doe | March 3, 2025

{PARAGRAPHS[0]}

Read more: Villagers flee as fighting spreads in the hills

{PARAGRAPHS[1]}

Sign up for our daily newsletter
Enter your email address
"""
    removed, kept = removed_and_kept(raw)
    assert "By John Doe | March 3, 2025" in kept
    assert {"Read more: Villagers flee as fighting spreads in the hills", "Sign up for our daily newsletter",
            "Enter your email address"} <= set(removed)
    assert PARAGRAPHS[0] in kept and PARAGRAPHS[1] in kept


def test_tail_markers_are_validated(tmp_path: Path) -> None:
    (tmp_path / "furniture.yaml").write_text("tail_markers:\n  - 'about ('\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"furniture.yaml:2.*bad regular expression"):
        load_patterns(tmp_path)
    assert load_patterns().tail_markers  # the shipped file has some


def test_masthead_name_under_the_headline_is_removed_but_credits_and_authors_stay() -> None:
    raw = f"{HEADLINE}\n\nThe Lumen Dispatch\n\n{BODY}\n"
    removed, kept = removed_and_kept(raw)
    assert removed.get("The Lumen Dispatch") == "masthead"
    assert_body_kept(kept)
    for line in ("Jane Roe", "Lumen Wire Services", "Red Hand Media Center"):
        assert line in removed_and_kept(f"{HEADLINE}\n\n{line}\n\n{BODY}\n")[1]


def test_newsletter_laid_out_in_tables_is_read_as_blocks() -> None:
    from sitrep.ingest.html import extract_html, is_layout_table_page

    html = ("<html><head><title>The Arcadia Monitor</title></head><body><table>"
            '<tr><td><a href="#">View this email in your browser</a></td></tr>'
            "<tr><td><p>Issue 112 - Friday, March 14, 2025</p></td></tr>"
            f"<tr><td><p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></td></tr>"
            "<tr><td><p>You are receiving this email because you signed up for updates.</p>"
            "<p>Unsubscribe from this list</p></td></tr></table></body></html>")
    assert is_layout_table_page(html)
    article = extract_html(html)
    lines = [ln.strip() for ln in article.text.splitlines() if ln.strip()]
    assert PARAGRAPHS[0] in lines and PARAGRAPHS[1] in lines
    assert not any("|" in ln or "receiving this email" in ln or "Unsubscribe" in ln for ln in lines)
    assert article.metadata.published == "2025-03-14"
    data = "<table><tr><th>Province</th><th>Attacks</th></tr><tr><td>Veridia</td><td>12</td></tr></table>"
    assert not is_layout_table_page(data)
