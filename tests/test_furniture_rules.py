"""Page furniture rules: language menus, captions, breadcrumbs, bare times, teaser blocks, repeats;
and what must be kept: lists of the article, credits and sign-offs, the author's name.

All text is invented (Arcadia, the Red Hand Brigade)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.data.loader import DataFileError
from sitrep.ingest.clean import (
    clean_text,
    furniture_reason,
    is_contact_line,
    is_dated_label,
    is_letterhead,
    is_place_dateline,
    load_patterns,
)

BODY = (
    "Fighters of the Red Hand Brigade attacked an army post near the river town of Bora on Monday, "
    "killing four soldiers, local officials said.\n\n"
    "The group said in a statement that it had seized weapons and two vehicles during the attack.\n\n"
    "Army officers said reinforcements had been sent to the area and that the road to Bora was closed.\n"
)


HEADLINE = "Rebels attack army post near Bora"


def kept_lines(raw: str) -> list[str]:
    return [line.text for line in clean_text(raw).kept()]


def with_line(line: str) -> str:
    """The headline, ``line`` as a block of its own, and the body."""
    return f"{HEADLINE}\n\n{line}\n\n{BODY}"


def between_paragraphs(block: str) -> str:
    """The headline, the first paragraph of the body, ``block``, and the rest of the body."""
    first, *rest = BODY.split("\n\n")
    return "\n\n".join([HEADLINE, first, block, *rest])


def test_language_menu_is_furniture() -> None:
    raw = HEADLINE + "\n\nEnglish Français Español\nKurdî Türkçe English\n\n" + BODY
    kept = kept_lines(raw)
    assert "English Français Español" not in kept
    assert "Kurdî Türkçe English" not in kept
    assert furniture_reason("العربية English") == "language menu"
    assert furniture_reason("English is spoken in Bora") is None  # a sentence about a language is not a menu


@pytest.mark.parametrize("line", [
    # photo captions
    "FILE - Soldiers of the Arcadian army patrol a street of Bora, on May 3, 2021.",
    "Red Hand Brigade fighters in new uniforms. File pic released by the group",
    "Photo: Arcadia Press Service",
    # breadcrumbs
    "Home > Arcadia > Security",
    "Home / News / Arcadia",
    "HomeArcadiaSecurityRebels attack army post near Bora",
])
def test_photo_captions_and_breadcrumbs_are_furniture(line: str) -> None:
    assert line not in kept_lines(with_line(line))


def test_a_sentence_about_a_file_is_kept() -> None:
    line = "Officials said the file on the attack had been sent to the prosecutor in Bora last week."
    assert line in kept_lines(with_line(line))


def test_bare_times_and_date_labels_are_furniture() -> None:
    raw = HEADLINE + "\nat 7:40 pm\nPublished on\n\n" + BODY
    kept = kept_lines(raw)
    assert "at 7:40 pm" not in kept
    assert "Published on" not in kept


def test_list_of_the_article_credit_and_date_are_kept() -> None:
    items = ["-Rifles /3/", "-Radios /2/", "-Maps of the district", "-Motorbikes /4/"]
    raw = (HEADLINE + "\n\n" + BODY + "\nThe unit seized the following:\n"
           + "\n".join(items) + "\nArcadia Army Media Center\nMarch 3, 2024\nComments are closed.\n")
    kept = kept_lines(raw)
    for line in [*items, "The unit seized the following:", "Arcadia Army Media Center", "March 3, 2024"]:
        assert line in kept, line
    assert "Comments are closed." not in kept


def test_agency_credit_line_is_kept_after_the_body() -> None:
    raw = HEADLINE + "\n\n" + BODY + "\nReuters\nHome\nArcadia\nSecurity\nVideos\n"
    kept = kept_lines(raw)
    assert "Reuters" in kept
    assert "Videos" not in kept and "Security" not in kept


def test_author_name_twice_is_not_a_menu() -> None:
    raw = (HEADLINE + "\nMira Castell\nMira Castell\n3 Min Read\n\n" + BODY
           + "\nMira Castell\nShare this Article\n")
    kept = kept_lines(raw)
    assert kept.count("Mira Castell") == 3
    assert "3 Min Read" not in kept and "Share this Article" not in kept


def test_teaser_block_between_paragraphs() -> None:
    teasers = ["Floods cut the road to the northern hills again",
               "Ministers meet traders over the price of bread",
               "Police open an inquiry into the harbour fire"]
    kept = kept_lines(between_paragraphs("\n".join(teasers)))
    for teaser in teasers:
        assert teaser not in kept
    assert BODY.split("\n\n")[1].strip() in kept


def test_single_subheading_is_kept() -> None:
    sub = "A long war in the river valley"
    assert sub in kept_lines(between_paragraphs(sub))


def test_line_repeating_removed_furniture_is_removed() -> None:
    raw = (HEADLINE + "\nWorld News\n\n" + BODY
           + "\nWorld News\nArcadia\nRed Hand\nBora\nArmy\n")
    kept = kept_lines(raw)
    assert "World News" not in kept
    assert kept[0] == HEADLINE


def test_other_script_promo_line_after_the_body() -> None:
    raw = HEADLINE + "\n\n" + BODY + "\nRead the truth here ... ئێرە ڕاستی بزانە بخوێنەوە\n"
    assert not any("ئێرە" in line for line in kept_lines(raw))


def test_opening_sentence_is_not_a_headline() -> None:
    lede = ("The Red Hand Brigade said on Monday that its fighters had ambushed an army convoy and shot four "
            "soldiers near the town of Bora in northern Arcadia.")
    result = clean_text(lede + "\n" + BODY)
    assert result.headline is None
    headline = clean_text("Red Hand Brigade Claims Ambush That Killed Four Soldiers Near Bora.\n" + BODY)
    assert headline.headline == 0


def test_furniture_file_is_validated(tmp_path: Path) -> None:
    (tmp_path / "furniture.yaml").write_text("full:\n  menu: ['home']\nlanguage_name: [English]\n", "utf-8")
    with pytest.raises(DataFileError, match=r"furniture.yaml:3.*unknown key 'language_name'"):
        load_patterns(tmp_path)
    (tmp_path / "furniture.yaml").write_text("full:\n  menu: ['home(']\n", "utf-8")
    with pytest.raises(DataFileError, match=r"furniture.yaml:2.*bad regular expression"):
        load_patterns(tmp_path)
    assert load_patterns().language_menu is not None  # the shipped file loads


@pytest.mark.parametrize(("line", "letterhead"), [
    ("The Corvan Herald", True),
    ("THE ARCADIA OBSERVER", True),
    ("Meridian Institute for Security Studies", True),
    ("Ministry of Defence of the Republic of Arcadia", True),
    ("Arcadian Armed Forces Joint Command", True),
    ("Sollen Today - news of the province", True),
    ("News Agency of Veridia - VNA", True),
    ("Research | Conflict and security", True),
    ("Gunmen kill four at a checkpoint near Orlo", False),
    ("Red Hand Brigade Claims Ambush That Killed Four Soldiers Near Bora", False),
    ("Veridia: Flood Flash Update No. 3", False),
    ("Police Kill Two Gunmen In A Raid Near Varn", False),
])
def test_letterhead_shape(line: str, letterhead: bool) -> None:
    """An outlet's or organisation's name above the headline is told from a title-case headline."""
    assert is_letterhead(line) is letterhead


def test_a_letterhead_is_the_headline_only_when_nothing_else_is() -> None:
    assert clean_text(f"Meridian Institute for Security Studies\n{HEADLINE}\n{BODY}").headline == 1
    assert clean_text(f"Meridian Institute for Security Studies\n{BODY}").headline == 0


@pytest.mark.parametrize(("line", "full", "loose"), [
    ("Port Lumen, Tuesday 4 March 2025", True, True),
    ("SOLLEN, Veridia - 2 May 2024", True, True),
    ("Sollen, Friday", False, True),
    ("Monday, June 24, 2024", False, False),  # a date alone is a date line, not a dateline
    ("Gunmen kill four, Friday", False, False),
])
def test_place_dateline(line: str, full: bool, loose: bool) -> None:
    assert is_place_dateline(line) is full
    assert is_place_dateline(line, full_date=False) is loose


@pytest.mark.parametrize(("line", "contact"), [
    ("Media contact: Jane Roe, press officer, +00 555 0100", True),
    ("Tel: +1 555 0100 | Email: press@mod.arcadia.example", True),
    ("(555) 010-7788", True),
    ("For further information, please contact:", True),
    ("Email", False),  # a share button
    ("17.03.2025", False),
    ("The convoy carried 1,200 tonnes of flour.", False),
])
def test_contact_line(line: str, contact: bool) -> None:
    assert is_contact_line(line) is contact


def test_contact_block_at_the_end_of_a_release_is_kept() -> None:
    raw = f"{HEADLINE}\n\n{BODY}\n\n###\n\nPress Office, Ministry of Defence\n\nTel: +00 555 0100\n"
    kept = [ln.text for ln in clean_text(raw).kept()]
    assert "Press Office, Ministry of Defence" in kept and "Tel: +00 555 0100" in kept
    assert "###" not in kept


@pytest.mark.parametrize(("line", "dated"), [
    ("Commentary | 3 April 2024", True),
    ("5 March 2025 | 12 min read", True),
    ("Analysis | Middle East", False),
    ("Gunmen kill four near Orlo | 3 April 2024 and more", False),
])
def test_dated_label(line: str, dated: bool) -> None:
    assert is_dated_label(line) is dated


@pytest.mark.parametrize("line", [
    "Skip to content", "Skip to main content", "Skip to navigation", "Log in | Subscribe",
    "Sign in | Register | My account", "Create account | Sign in", "Font size: A- A A+",
    "To leave a comment, you must log in.", "Our Standards: The Lumen Wire Trust Principles.",
    "Listen to this article", "Like this:", "Loading...", "Print this page",
])
def test_account_and_skip_lines(line: str) -> None:
    assert furniture_reason(line) is not None


@pytest.mark.parametrize("line", [
    "Reporting by Petra Lind; Editing by Clara Moss",
    "(Editing by Clara Moss)",
    "This article was originally published in the Veridia Review on 2 March 2025.",
    "Media enquiries: press@fotv.example.org",
    "17.03.2025",
])
def test_the_articles_own_lines_are_not_furniture(line: str) -> None:
    assert furniture_reason(line) is None


def test_a_dated_byline_of_labels_is_kept_and_dates_the_article() -> None:
    from sitrep.ingest.clean import clean_text, furniture_reason
    from sitrep.ingest.metadata import published_from_text

    line = "Mara Quell, Port Lumen | 3 May 2025 | 5 min read"
    assert furniture_reason(line) is None
    assert furniture_reason("World | Sport | Culture | Weather") is not None
    page = ("Vale Courier\nFerry raid leaves harbour town without power\n" + line + "\n\n"
            "Gunmen raided the ferry terminal of Port Lumen late on Friday, officials said.\n")
    result = clean_text(page)
    assert line in result.text
    assert published_from_text(result) == "2025-05-03"


def test_a_digest_keeps_its_name_as_title_over_its_contents_line_and_numbered_stories() -> None:
    from sitrep.ingest.clean import clean_text

    page = ("THE KESSEL LETTER - a weekly digest on the Vale highlands\n"
            "Issue 40 - Monday, June 2, 2025\n\n"
            "In this issue: Dam seized | Convoy ambushed | Talks stall\n\n"
            "1. Militia seizes the Arden dam\n\n"
            "Fighters of a highland militia seized the Arden dam on Saturday after a day of fighting, residents said.\n\n"
            "2. Convoy ambushed near Tessel\n\n"
            "Unknown gunmen ambushed an aid convoy near Tessel on Sunday, an aid worker said.\n")
    result = clean_text(page)
    assert result.headline == 0
