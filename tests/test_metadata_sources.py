"""Title, author and publisher: a dateline's agency is the publisher, a byline the author; HTML titles
from og:title, <h1> or <title> less the site; guards of the HTML reader. Invented names throughout."""

from __future__ import annotations

from sitrep.config import Settings
from sitrep.ingest.clean import clean_text
from sitrep.ingest.document import make_document
from sitrep.ingest.html import extract_html
from sitrep.ingest.metadata import html_metadata, scan_tags, text_metadata
from sitrep.ingest.readers import RawInput

STORY = ("Fighters of the Red Hand Brigade seized the river port of Bora on Monday, residents said.\n\n"
         "The group denied it had attacked civilians, a spokesman said in a statement on Tuesday.\n")


def meta_of(text: str):  # type: ignore[no-untyped-def]
    return text_metadata(clean_text(text))


def test_dateline_agency_is_the_publisher_and_byline_the_author() -> None:
    text = ("Rebels seize river port in eastern Arcadia\nBy Mira Castell and Tomas Vey\n\n"
            "BORA, Arcadia (Reuters) - " + STORY)
    meta = meta_of(text)
    assert meta.author == "Mira Castell and Tomas Vey"
    assert meta.publisher == "Reuters"


def test_byline_is_never_the_publisher() -> None:
    meta = meta_of("Rebels seize river port in eastern Arcadia\nBy Mira Castell\n\n" + STORY)
    assert meta.author == "Mira Castell"
    assert meta.publisher is None


def test_group_acronym_in_brackets_is_not_an_agency() -> None:
    text = ("Rebels seize river port in eastern Arcadia\n\n"
            "The Red Hand Brigade (RHB) - a group formed in 2001 - seized the port of Bora on Monday, residents said.\n")
    assert meta_of(text).publisher is None


def test_sign_off_date_under_the_credit() -> None:
    text = ("Our forces clear a rebel cell near Bora\n\n" + STORY + "\nArcadia Army Media Center\nMarch 3, 2024\n")
    assert meta_of(text).published == "2024-03-03"


def test_html_title_from_h1_when_no_og_title() -> None:
    page = ("<html><head><title>Rebels seize Bora port | Arcadia Times</title></head><body>"
            "<h1>Rebels seize <em>Bora</em> port</h1><p>" + STORY + "</p></body></html>")
    assert html_metadata(page).title == "Rebels seize Bora port"


def test_scan_tags_skips_script_text_and_reads_late_tags() -> None:
    page = ("<html><head><script>var s = '<meta property=\"og:title\" content=\"Fake\">';</script>"
            '<script type="application/ld+json">{"headline": "Rebels seize Bora port", "datePublished": "2024-03-02"}'
            "</script></head><body>" + "<div><span>x</span></div>" * 500
            + '<time datetime="2024-03-04">4 March</time><link rel="canonical" href="https://arcadia.example/a"></body>')
    tags = scan_tags(page)
    assert "og:title" not in tags.meta
    assert tags.time == "2024-03-04" and tags.canonical == "https://arcadia.example/a"
    meta = html_metadata(page)
    assert meta.title == "Rebels seize Bora port" and meta.published == "2024-03-02"
    assert meta.url == "https://arcadia.example/a"


def test_text_inside_deeply_nested_inline_tags_is_kept() -> None:
    deep = "<b><i>" * 150 + "The brigade leader spoke to reporters in the port of Bora." + "</i></b>" * 150
    page = ("<html><body><article><h1>Rebels seize Bora port</h1><p>" + STORY + "</p><p>" + deep
            + "</p></article></body></html>")
    assert "The brigade leader spoke to reporters" in extract_html(page).text


def test_page_over_the_element_limit_uses_the_fallback_with_a_warning() -> None:
    page = ("<html><body><article><h1>Rebels seize Bora port</h1><p>" + STORY + "</p><p>"
            + "<span>x</span>" * 300 + "</p></article></body></html>")
    article = extract_html(page, max_elements=200)
    assert article.extractor == "fallback"
    assert "Red Hand Brigade seized the river port" in article.text
    assert any("SITREP_MAX_HTML_ELEMENTS" in w for w in article.warnings)
    doc = make_document(RawInput("page.html", page, "html"), Settings(max_html_elements=200))
    assert any("max_html_elements" in w for w in doc.meta["ingest_warnings"])
    assert "ingest_warnings" not in make_document(RawInput("page.html", page, "html")).meta


def test_html_byline_left_out_by_the_extractor_is_kept() -> None:
    paragraphs = "".join(f"<p>{p} {p}</p>\n" for p in STORY.split("\n\n") * 2)
    page = ("<html><head><title>Rebels seize Bora port</title></head><body>\n<article>\n"
            "<h1>Rebels seize Bora port</h1>\n<p class=\"byline\">By Mira Castell</p>\n" + paragraphs
            + "</article>\n</body></html>")
    article = extract_html(page)
    assert article.extractor == "trafilatura"
    assert "By Mira Castell" in article.text.split("\n")[:4]
    assert article.metadata.author == "Mira Castell"


def test_other_piece_of_a_page_title() -> None:
    from sitrep.ingest.metadata import other_title_part

    assert other_title_part("Varn Courier | Police detain a mayor", "Varn Courier") == "Police detain a mayor"
    assert other_title_part("Police detain a mayor - Varn Courier", "varn courier") == "Police detain a mayor"
    assert other_title_part("Police detain a mayor - Varn Courier", "Kessa Post") is None
    assert other_title_part("Police detain a mayor", "Police detain a mayor") is None


def test_a_time_tag_in_an_aside_is_not_the_articles_date() -> None:
    page = ("<html><body><article><h1>Kessa port reopens</h1><p>Ships returned.</p></article>"
            "<aside><time datetime='2025-03-05'>5 March</time></aside></body></html>")
    assert html_metadata(page).published is None
    inside = page.replace("<p>Ships returned.</p>", "<p>Ships returned.</p><time datetime='2025-03-04'>4 March</time>")
    assert html_metadata(inside).published == "2025-03-04"


def test_an_h1_that_is_the_headline_stays_the_title() -> None:
    page = ("<html><head><title>Floodwater reaches Dalmet | The Maren Post</title></head><body>"
            "<h1>Floodwater reaches Dalmet</h1><p>The river rose.</p></body></html>")
    assert html_metadata(page).title == "Floodwater reaches Dalmet"
    logo = page.replace("<h1>Floodwater reaches Dalmet</h1>", "<h1>The Maren Post</h1>")
    assert html_metadata(logo).title == "Floodwater reaches Dalmet"
