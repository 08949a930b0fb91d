"""The Admiralty credibility rules of sitrep.query.grading on hand-made facts with invented sources."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.query.grading import GRADES, Grades, check_grade, credibility, scale
from sitrep.resolve.linking import normalize

GRADED = Grades({normalize("Arcadian Monitor"): "A", normalize("Borduria Wire"): "B",
                 normalize("Carpathia Herald"): "C", normalize("Red Hand Brigade"): "D",
                 normalize("Elbonia Gazette"): "E"}, frozenset({"doc1-confirmed"}))


def claim(source: str, polarity: str = "asserted", modality: str | None = None,
          cid: str = "doc1-x") -> dict[str, Any]:
    return {"source": source, "polarity": polarity, "modality": modality, "claim_id": cid}


def fact(*claims: dict[str, Any], sources: int | None = None) -> dict[str, Any]:
    asserting = {c["source"] for c in claims if c["polarity"] == "asserted"}
    return {"claims": list(claims), "asserted": {"sources": len(asserting) if sources is None else sources}}


def test_1_confirmed_by_two_independent_sources() -> None:
    level, why = credibility(fact(claim("Carpathia Herald"), claim("Mayor of Ruritania")), GRADED)
    assert level == 1 and "2 independent sources" in why


def test_1_confirmed_by_an_analyst() -> None:
    level, why = credibility(fact(claim("Mayor of Ruritania", cid="doc1-confirmed")), GRADED)
    assert (level, why) == (1, "confirmed by an analyst")


def test_2_probably_true_one_plain_a_or_b_source() -> None:
    assert credibility(fact(claim("Arcadian Monitor")), GRADED)[0] == 2
    assert credibility(fact(claim("Borduria Wire")), GRADED)[0] == 2


def test_3_possibly_true_c_source_or_hedged_b_source() -> None:
    assert credibility(fact(claim("Carpathia Herald")), GRADED)[0] == 3
    level, why = credibility(fact(claim("Borduria Wire", modality="alleged")), GRADED)
    assert level == 3 and "hedged" in why


def test_4_doubtful_denied_by_an_equal_source_or_one_d_source() -> None:
    denied_equally = fact(claim("Carpathia Herald"), claim("Carpathia Herald", "denied"), sources=1)
    assert credibility(denied_equally, GRADED) == (4, "denied by another source")
    assert credibility(fact(claim("Red Hand Brigade")), GRADED)[0] == 4
    assert credibility(fact(claim("Elbonia Gazette")), GRADED)[0] == 4
    # two sources agree, but one as good as the best of them denies it: not confirmed
    two_and_denied = fact(claim("Borduria Wire"), claim("Carpathia Herald"), claim("Borduria Wire", "denied"))
    assert credibility(two_and_denied, GRADED)[0] == 4


def test_5_improbable_denied_by_a_better_source() -> None:
    level, why = credibility(fact(claim("Carpathia Herald"), claim("Mayor of Ruritania"),
                                  claim("Arcadian Monitor", "denied")), GRADED)
    assert level == 5 and "graded A" in why


def test_6_cannot_be_judged() -> None:
    assert credibility(fact(claim("Mayor of Ruritania")), GRADED)[0] == 6  # ungraded: F
    assert credibility(fact(claim("Arcadian Monitor", "denied")), GRADED) == (6, "no source asserts it")


def test_grades_are_matched_by_any_spelling_and_default_to_f() -> None:
    assert GRADED.of("ARCADIAN MONITOR") == "A"
    assert GRADED.of(None) == GRADED.of("Nobody Known") == "F"


def test_grade_values_and_scale_file() -> None:
    assert check_grade(" b ") == "B"
    with pytest.raises(ValueError, match="one of A"):
        check_grade("G")
    s = scale()
    assert tuple(s.reliability) == GRADES and sorted(s.credibility) == [1, 2, 3, 4, 5, 6]
    assert set(s.defaults.values()) <= set(GRADES)
