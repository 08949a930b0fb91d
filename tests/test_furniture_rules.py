"""Page furniture rules: language menus, captions, breadcrumbs, bare times, teaser blocks, repeats;
and what must be kept: lists of the article, credits and sign-offs, the author's name.

All text is invented (Arcadia, the Red Hand Brigade)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.data.loader import DataFileError
from sitrep.ingest.clean import clean_text, furniture_reason, load_patterns

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
