"""Near-duplicate hashing: one story under different furniture is close, different stories are far."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from sitrep.resolve.dedup import bands, hamming, simhash

STORY = """Gunmen attack army post near the border

Gunmen on motorcycles attacked an army post near the border town before dawn on Thursday, killing seven soldiers \
and wounding several others, two security sources said.

The attackers set fire to two armoured vehicles and took weapons and ammunition before withdrawing towards the forest, \
one of the sources said, speaking on condition of anonymity because he was not authorised to talk to the press.

No group immediately claimed responsibility, but an al Qaeda affiliate has carried out similar raids in the area \
over the past year, and the army has struggled to hold isolated positions along the frontier.

The regional governor called for calm and said reinforcements had been sent to the town, where residents reported \
hearing heavy gunfire for more than two hours.
"""

OTHER = """Floods displace thousands in river valley

Heavy rains caused the river to burst its banks this week, flooding farmland and forcing thousands of families \
from their homes, the humanitarian office said on Monday.

Aid agencies said access to several districts was cut off and that stocks of food and clean water were running low \
in the camps that host displaced people.

Officials warned that more rain was forecast for the coming days and urged residents of low-lying areas to move \
to higher ground as soon as possible.
"""


def _with_furniture(text: str, site: str) -> str:
    paragraphs = text.split("\n\n")
    paragraphs.insert(2, "ADVERTISEMENT")
    return "\n".join(["22°C", site, "Home", "World", ""]) + "\n\n".join(paragraphs) + (
        f"\n\nShare this article\n12 Comments\nMore from {site}\nLeave a Reply\n"
        f"Your e-mail address will not be shared. Required fields are marked *\n© 2024 {site}\n"
    )


def test_same_story_different_furniture_is_close() -> None:
    a = simhash(_with_furniture(STORY, "Sahel Daily"))
    b = simhash(_with_furniture(STORY, "Frontier Post"))
    assert hamming(a, b) <= 6
    assert hamming(simhash(STORY), a) <= 6


def test_lightly_edited_copy_is_close() -> None:
    edited = STORY.replace("Gunmen attack army post near the border", "Seven soldiers killed in border raid")
    edited = edited.replace("Thursday", "Thursday morning")
    assert hamming(simhash(STORY), simhash(edited)) <= 6


def test_different_stories_are_far() -> None:
    assert hamming(simhash(STORY), simhash(OTHER)) > 12


def test_signed_64_bit_and_bands() -> None:
    rng = random.Random(7)
    texts = [STORY, OTHER, ""] + [" ".join(rng.choice(["alpha", "beta", "gamma", "delta"]) for _ in range(40))
                                  for _ in range(20)]
    for text in texts:
        h = simhash(text)
        assert -(2**63) <= h < 2**63
        bs = bands(h)
        assert len(bs) == 4 and all(0 <= b < 2**16 for b in bs)
        assert sum(b << (16 * i) for i, b in enumerate(bs)) == h % 2**64
    assert simhash("") == 0


def test_close_hashes_share_a_band() -> None:
    h = simhash(STORY)
    flipped = h ^ 0b1000000000000000100000000000000010  # three bits in three bands
    assert hamming(h, flipped) == 3
    assert any(x == y for x, y in zip(bands(h), bands(flipped), strict=True))


@given(st.integers(-(2**63), 2**63 - 1), st.integers(-(2**63), 2**63 - 1))
def test_hamming_is_a_metric_on_signed_values(a: int, b: int) -> None:
    assert hamming(a, b) == hamming(b, a)
    assert hamming(a, a) == 0
    assert 0 <= hamming(a, b) <= 64
