"""Title and published date of other kinds of pages: letterheads and mastheads above the headline,
datelines with a country and an agency, newsletter issue lines. All names are invented."""

from __future__ import annotations

import pytest

from sitrep.ingest.clean import clean_text
from sitrep.ingest.metadata import text_metadata

HEADLINE = "Monitors report a surge in attacks on villages in Veridia"
SECOND = ("The coalition called on all parties to protect civilians and to let aid convoys reach the "
          "displaced families in the hills.")


def meta(raw: str):  # noqa: ANN201 - the Metadata record
    return text_metadata(clean_text(raw))


@pytest.mark.parametrize(("dateline", "iso"), [
    ("PORT LUMEN, Arcadia, March 14, 2025 (Lumen Wire) -", "2025-03-14"),
    ("Port Lumen, 28 January 2025 -", "2025-01-28"),
    ("SOLLEN, Veridia Province, Arcadia, 2 May 2024 -", "2024-05-02"),
])
def test_published_from_a_dateline(dateline: str, iso: str) -> None:
    raw = (f"{HEADLINE}\n\n{dateline} Monitors documented at least twelve attacks on villages in the "
           f"province of Veridia during February, the coalition said.\n\n{SECOND}\n")
    assert meta(raw).published == iso


def test_letterhead_is_not_the_title_and_release_date_is_read() -> None:
    raw = (f"Coalition for Civilian Safety\nFOR IMMEDIATE RELEASE\n{HEADLINE}\n"
           "PORT LUMEN, Arcadia, March 14, 2025 (Lumen Wire) - Monitors documented at least twelve attacks "
           f"on villages in the province of Veridia during February, the coalition said.\n{SECOND}\n")
    m = meta(raw)
    assert m.title == HEADLINE
    assert m.published == "2025-03-14"


def test_newsletter_issue_line_feeds_the_date_but_not_the_text() -> None:
    raw = (f"The Arcadia Monitor\nIssue 112 - Friday, March 14, 2025\nIn this issue:\n{HEADLINE}\n"
           f"Ceasefire talks resume in Port Lumen after a month\n\n{HEADLINE}\n\n"
           "Monitors documented at least twelve attacks on villages in the province of Veridia during "
           f"February, most of them blamed on the Red Hand Brigade.\n\n{SECOND}\n")
    result = clean_text(raw)
    m = text_metadata(result)
    assert m.title == HEADLINE
    assert m.published == "2025-03-14"
    assert "Issue 112 - Friday, March 14, 2025" not in [ln.text for ln in result.kept()]


def test_a_repeated_page_title_above_the_headline_stays_the_headline() -> None:
    """The same headline twice (a page title, then the article's heading) is not a table of contents."""
    raw = (f"{HEADLINE}\nWorld News\n2025-03-14 | 05:00\n{HEADLINE}\n"
           "Monitors documented at least twelve attacks on villages in the province of Veridia during "
           f"February, the coalition said.\n{SECOND}\n")
    result = clean_text(raw)
    assert result.headline == 0
    assert text_metadata(result).published == "2025-03-14"


def test_a_title_case_headline_over_a_share_line_is_kept() -> None:
    """A headline followed by furniture and a one-line standfirst ending in a period stays the headline."""
    raw = (f"{HEADLINE}\nShare it on:\nThe coalition says most attacks were blamed on one group.\n\n"
           "Monitors documented at least twelve attacks on villages in the province of Veridia during "
           f"February, the coalition said.\n\n{SECOND}\n")
    assert meta(raw).title == HEADLINE


PARAGRAPH = ("Monitors documented at least twelve attacks on villages in the province of Veridia during "
             "February, most of them blamed on the Red Hand Brigade, the coalition said on Friday.")


def test_html_page_titled_with_the_site_name_takes_the_headline() -> None:
    from sitrep.ingest.html import extract_html

    html = ("<html><head><title>Coalition for Civilian Safety</title>"
            '<meta property="og:site_name" content="Coalition for Civilian Safety"></head><body>'
            '<header><div class="logo">Coalition for Civilian Safety</div></header><main>'
            f"<p>FOR IMMEDIATE RELEASE</p><h2>{HEADLINE}</h2><p>PORT LUMEN, Arcadia, March 14, 2025 - "
            f"{PARAGRAPH}</p><p>{SECOND}</p></main></body></html>")
    meta = extract_html(html).metadata
    assert meta.title == HEADLINE
    assert meta.published == "2025-03-14"


def test_html_date_widget_above_the_headline_is_not_the_published_date() -> None:
    from sitrep.ingest.html import extract_html

    html = (f"<html><head><title>{HEADLINE}</title></head><body>"
            '<div class="bar"><span>Tuesday, 5 August 2025</span></div>'
            f"<nav><a href='/'>Front page</a><a href='/x'>World</a></nav><div><h1>{HEADLINE}</h1>"
            f"<p>{PARAGRAPH}</p><p>{SECOND}</p><p>{SECOND.replace('coalition', 'council')}</p></div>"
            "</body></html>")
    assert extract_html(html).metadata.published is None
    dated = html.replace("<div><h1>", '<div><time datetime="2025-08-01">1 August 2025</time><h1>')
    assert extract_html(dated).metadata.published == "2025-08-01"
