"""Metadata: headline, the article's own date (not a widget's), author and publisher."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.ingest.clean import clean_text
from sitrep.ingest.document import make_document
from sitrep.ingest.metadata import clean_title, find_date, html_metadata, text_metadata, to_iso
from sitrep.ingest.readers import RawInput
from sitrep.models import content_hash

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "gold"
needs_seeds = pytest.mark.skipif(not GOLD.is_dir(), reason="seed corpus (../shared) not available")


def _seed(prefix: str) -> tuple[RawInput, dict]:
    gold_file = next(GOLD.glob(f"{prefix}_*.gold.json"))
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    path = SEEDS / gold["doc"]
    return RawInput(str(path), path.read_text(encoding="utf-8"), "txt"), gold


@needs_seeds
def test_seed_titles_and_dates_match_gold() -> None:
    for gold_file in sorted(GOLD.glob("*.gold.json")):
        raw, gold = _seed(gold_file.name.split("_")[0])
        doc = make_document(raw)
        assert doc.title == gold["title"], gold["doc"]
        assert doc.published == gold["published"], gold["doc"]
        assert doc.id == content_hash(raw.text)[:16] and doc.source == raw.source


@needs_seeds
def test_weather_widget_date_is_not_published() -> None:
    raw, gold = _seed("003")
    assert gold["published"] is None
    doc = make_document(raw)
    assert doc.published is None
    assert "11 C" in doc.removed


@needs_seeds
def test_byline_date_is_published() -> None:
    doc = make_document(_seed("004")[0])
    assert doc.published == "2023-06-18"
    assert doc.author == "BlabberBuzz"


def _meta(raw: str):  # type: ignore[no-untyped-def]
    return text_metadata(clean_text(raw))


BODY = "Armed men attacked a market in the north of the province, killing five people, police said.\n"


def test_published_keyword_line() -> None:
    meta = _meta(f"Attack on market kills five in the north\n\nPublished: March 3, 2024 at 10:15 am\n\n{BODY}")
    assert meta.published == "2024-03-03"


def test_updated_only_is_a_fallback() -> None:
    meta = _meta(f"Attack on market kills five in the north\n\nUpdated 4 March 2024\n\n{BODY}")
    assert meta.published == "2024-03-04"
    meta = _meta(f"Attack on market kills five in the north\n\nUpdated 4 March 2024 | Published 3 March 2024\n\n{BODY}")
    assert meta.published == "2024-03-03"


def test_dateline_at_paragraph_start() -> None:
    meta = _meta("Attack on market kills five in the north\n\n"
                 "ADEN, 5 May 2023 (Wire) - Armed men attacked a market in the north, killing five people.\n")
    assert meta.published == "2023-05-05"


def test_date_line_above_headline_without_keyword_ignored() -> None:
    raw = f"18°C Cloudy\nDamascus\nMonday, 8 January 2024\n\nAttack on market kills five in the north\n\n{BODY}"
    meta = _meta(raw)
    assert meta.published is None
    assert meta.title == "Attack on market kills five in the north"


def test_bare_date_under_headline_is_published() -> None:
    meta = _meta(f"Attack on market kills five in the north\n8 January 2024\n\n{BODY}")
    assert meta.published == "2024-01-08"


def test_no_date_in_body_prose_taken() -> None:
    meta = _meta("Attack on market kills five in the north\n\n" + BODY
                 + "The last such attack, on 3 March 2019, killed eleven people in the same district.\n")
    assert meta.published is None


def test_byline_author_and_site_name() -> None:
    meta = _meta(f"Attack on market kills five in the north\n\nBy Amina Yusuf, 2 June 2024\n\n{BODY}\n"
                 "Follow Sahel Daily on\n")
    assert meta.author == "Amina Yusuf"
    assert meta.publisher == "Sahel Daily"
    assert meta.published == "2024-06-02"


def test_section_prefix_and_site_suffix() -> None:
    assert clean_title("News Gunmen kill five in northern Burkina Faso") == "Gunmen kill five in northern Burkina Faso"
    assert clean_title("News agencies report new clashes in the south") == "News agencies report new clashes in the south"
    assert clean_title("Gunmen kill five in Djibo | Sahel Daily", "Sahel Daily") == "Gunmen kill five in Djibo"


def test_to_iso_forms() -> None:
    assert to_iso("2023-06-18T12:00:00+02:00") == "2023-06-18"
    assert to_iso("Sunday, 18 June 2023 09:30 AM") == "2023-06-18"
    assert to_iso("18/06/2023") == "2023-06-18"
    assert to_iso("06/18/2023") == "2023-06-18"
    assert to_iso("05/06/2023") is None  # ambiguous day and month
    assert to_iso("2023-06") == "2023-06"
    assert to_iso("not a date") is None
    assert find_date("Written By Desk | Sunday, 18 June 2023 09:30 AM") == "2023-06-18"


def test_html_meta_and_json_ld() -> None:
    html = ("<html><head><title>Strike hits depot - Yemen Monitor</title>"
            '<link rel="canonical" href="https://yemen.example/strike">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-01-22T06:00:00Z",'
            ' "publisher": {"@type": "Organization", "name": "Yemen Monitor"}, "author": [{"name": "S. Ali"}]}'
            "</script></head><body><p>x</p></body></html>")
    meta = html_metadata(html)
    assert meta.published == "2024-01-22"
    assert meta.publisher == "Yemen Monitor"
    assert meta.author == "S. Ali"
    assert meta.url == "https://yemen.example/strike"


def test_furniture_only_document_is_rejected() -> None:
    with pytest.raises(ValueError, match="no article text"):
        make_document(RawInput("x.txt", "Leave a Reply\n\n7\n\nViews 2K\n", "txt"))
    with pytest.raises(ValueError, match="empty"):
        make_document(RawInput("y.txt", "  \n\n ", "txt"))


def test_author_after_date_in_byline() -> None:
    meta = _meta(f"Junta says soldiers killed in ambush near the border\n"
                 f"Published on 14/03/2024 at 09:12 | By Moussa Diallo\n\n{BODY}")
    assert (meta.published, meta.author) == ("2024-03-14", "Moussa Diallo")


def test_date_led_byline_is_published() -> None:
    meta = _meta(f"Attack on market kills five in the north\n\nMarch 3, 2024 \u2014 Jane Roe, Kessel\n\n{BODY}")
    assert meta.published == "2024-03-03"
