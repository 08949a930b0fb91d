"""Furniture removal: the seed articles against their gold boilerplate, general rules, offsets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.ingest.clean import clean_text
from sitrep.ingest.offsets import align_text, clean_to_raw, compose, mask_markup, raw_to_clean

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
if not SHARED.is_dir():
    SHARED = Path("/work/shared")
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "eval" / "gold"


def _seed_pairs() -> list[tuple[str, dict]]:
    if not GOLD.is_dir():
        return []
    pairs = []
    for gold_file in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        article = SEEDS / gold["doc"]
        if article.is_file():
            pairs.append((article.read_text(encoding="utf-8"), gold))
    return pairs


SEED_PAIRS = _seed_pairs()
needs_seeds = pytest.mark.skipif(not SEED_PAIRS, reason="seed corpus (../shared) not available")


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip()}


def _assert_offsets(raw: str, text: str, offsets: list[tuple[int, int, int]]) -> None:
    prev_end = 0
    for cs, rs, n in offsets:
        assert n > 0 and cs >= prev_end
        assert 0 <= rs and rs + n <= len(raw) and cs + n <= len(text)
        assert text[cs : cs + n] == raw[rs : rs + n]
        prev_end = cs + n


# --- seeds ----------------------------------------------------------------------------


@needs_seeds
def test_seed_boilerplate_removed_and_content_kept() -> None:
    gold_total = gold_removed = other_total = other_kept = 0
    for raw, gold in SEED_PAIRS:
        cleaned = _lines(clean_text(raw).text)
        boilerplate = {b.strip() for b in gold["boilerplate"]}
        for line in boilerplate:
            gold_total += 1
            assert line not in cleaned, f"{gold['doc']}: furniture kept: {line!r}"
            gold_removed += 1
        for line in _lines(raw) - boilerplate:
            other_total += 1
            other_kept += line in cleaned
    assert gold_removed == gold_total
    assert other_kept / other_total >= 0.97


@needs_seeds
def test_seed_headline_kept_first_and_offsets_round_trip() -> None:
    for raw, gold in SEED_PAIRS:
        result = clean_text(raw)
        assert result.headline_line is not None
        assert gold["title"] in result.headline_line.text
        assert result.text.startswith(result.headline_line.text)
        _assert_offsets(raw, result.text, result.offsets)
        assert "\n\n\n" not in result.text


# --- general rules on invented text -------------------------------------------------------

PAGE = """\
24°C
Mogadishu
Tuesday, 12 March 2024
Subscribe

Home
Politics
Security
Sport

Al-Shabaab fighters overrun army outpost in Middle Shabelle

By Staff Writer | 11 March 2024

Al-Shabaab fighters overran an army outpost in the Middle Shabelle region before dawn on Monday, \
residents and a military officer said, in the latest of a string of raids on bases.

WATCH: MINISTER VISITS FLOODED DISTRICTS, PROMISES AID?photo_img

The militants withdrew after several hours, taking weapons and two vehicles with them, the officer said.

Background

The group has fought the federal government for more than fifteen years and still controls large rural areas.

ELECTION COMMISSION SAYS VOTER REGISTRATION WILL RESUME IN THE CAPITAL NEXT MONTH

Local elders said the outpost had been reinforced only a week earlier.

Share this article
1.2K Shares
Related Stories
Drought displaces thousands in Gedo
Port expansion talks stall again
Leave a Reply
Your email address will not be displayed.
© 2024 Horn Daily. All rights reserved.
"""


def test_general_furniture_rules() -> None:
    result = clean_text(PAGE)
    kept = _lines(result.text)
    for furniture in ("24°C", "Mogadishu", "Tuesday, 12 March 2024", "Subscribe", "Home", "Politics",
                      "Security", "Sport", "Share this article", "1.2K Shares", "Related Stories",
                      "Drought displaces thousands in Gedo", "Port expansion talks stall again", "Leave a Reply",
                      "Your email address will not be displayed.", "© 2024 Horn Daily. All rights reserved."):
        assert furniture not in kept, furniture
    assert not any("MINISTER VISITS" in line or "VOTER REGISTRATION" in line for line in kept)
    for content in ("Al-Shabaab fighters overrun army outpost in Middle Shabelle", "By Staff Writer | 11 March 2024",
                    "Background", "Local elders said the outpost had been reinforced only a week earlier."):
        assert content in kept, content
    assert result.text.startswith("Al-Shabaab fighters overrun army outpost")
    _assert_offsets(PAGE, result.text, result.offsets)


def test_paragraphs_stay_apart_after_removal() -> None:
    raw = "Headline about clashes in the north\n\nFirst paragraph ends here.\n\n12\n\nSecond paragraph starts here.\n"
    result = clean_text(raw)
    assert result.text == (
        "Headline about clashes in the north\n\nFirst paragraph ends here.\n\nSecond paragraph starts here."
    )
    assert result.removed == ["12"]


def test_heading_attached_to_paragraph_is_kept() -> None:
    raw = ("Rebels seize town after heavy fighting\n\nThe first paragraph says what happened in the town.\n\n"
           "THE ROLE OF THE MILITIAS\nThe militias were said to have joined the offensive in its second week.\n")
    result = clean_text(raw)
    assert "THE ROLE OF THE MILITIAS" in _lines(result.text)
    assert "THE ROLE OF THE MILITIAS\n\nThe militias" in result.text


def test_hard_wrapped_lines_join_as_one_paragraph() -> None:
    raw = ("Ceasefire collapses in the east\n\nFighting resumed on Friday morning along the front line near the\n"
           "river crossing, according to residents who fled.\n")
    result = clean_text(raw)
    assert "near the\nriver crossing" in result.text


def test_text_without_headline() -> None:
    raw = " ".join(["Long opening paragraph words"] * 12) + ".\n\nSecond paragraph, also prose.\n"
    result = clean_text(raw)
    assert result.headline is None
    assert result.text.startswith("Long opening")


# --- offsets ----------------------------------------------------------------------


def test_clean_to_raw_spans() -> None:
    full = ("Title line of the article here\n  7\nHello world, the first paragraph said.\n\n"
            "The second paragraph follows.\n")
    result = clean_text(full)
    assert result.removed == ["7"]
    start = result.text.index("Hello")
    assert clean_to_raw(result.offsets, start, start + 5) == (full.index("Hello"), full.index("Hello") + 5)
    a, b = clean_to_raw(result.offsets, start, len(result.text)) or (0, 0)
    assert full[a:b] == "Hello world, the first paragraph said.\n\nThe second paragraph follows."
    assert clean_to_raw(result.offsets, 3, 3) is None
    assert raw_to_clean(result.offsets, full.index("second")) == result.text.index("second")
    assert clean_to_raw([], 0, 5) is None


def test_compose_and_align_html() -> None:
    html = "<html><body><p>Fighters &amp; police clashed</p><p>in <b>Gao</b> on Monday.</p></body></html>"
    extracted = "Fighters & police clashed\nin Gao on Monday."
    segments = align_text(extracted, html, masked=mask_markup(html))
    _assert_offsets(html, extracted, segments)
    assert clean_to_raw(segments, extracted.index("Gao"), extracted.index("Gao") + 3) == (
        html.index("Gao"), html.index("Gao") + 3)
    outer = [(0, extracted.index("police"), 6)]  # "police" at the start of a cleaned text
    assert compose(outer, segments) == [(0, html.index("police"), 6)]


# --- properties ---------------------------------------------------------------------

line_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["Leave a Reply", "7", "X", "Views 2K", "11 C", "Related Articles", "WATCH: A TEASER?x_image",
                     "Friday, April 26, 2024", "Some real sentence about fighting in the region today."]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(line_text, max_size=25), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_cleaner_never_fails_and_offsets_stay_inside(lines: list[str], sep: str) -> None:
    raw = sep.join(lines)
    result = clean_text(raw)
    _assert_offsets(raw, result.text, result.offsets)
    for line in result.removed:
        assert line.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.integers(0, 300), st.integers(0, 300))
def test_clean_to_raw_inside_raw(raw: str, i: int, j: int) -> None:
    result = clean_text(raw)
    span = clean_to_raw(result.offsets, min(i, j), max(i, j))
    if span is not None:
        assert 0 <= span[0] < span[1] <= len(raw)


def test_breadcrumbs_tags_and_lists() -> None:
    raw = ("Home » Africa » Sahel\nBreaking News\nJunta says soldiers killed in ambush near the border\n"
           "Share:\nFacebook\nTwitter\n"
           "At least 23 soldiers were killed when their convoy was ambushed near the border, the junta said.\n"
           "Key facts:\n- 23 soldiers killed\n- convoy attacked near the river\n- no group claimed responsibility\n"
           "The army said its troops had killed dozens of attackers in the fighting.\n"
           "Tags: Niger, Mali, Sahel, security\n")
    result = clean_text(raw)
    assert result.removed == ["Home » Africa » Sahel", "Breaking News", "Share:", "Facebook", "Twitter",
                              "Tags: Niger, Mali, Sahel, security"]
    assert "- convoy attacked near the river" in _lines(result.text)


def test_weather_widget_below_headline_removed() -> None:
    raw = ("Attack on market kills five in the north\n\nKessel 31\u00b0C  Partly cloudy\n\n"
           "Armed men attacked a market in the north of the province, killing five people, police said.\n")
    text = clean_text(raw).text
    assert "Partly cloudy" not in text
    assert "Armed men attacked a market" in text
