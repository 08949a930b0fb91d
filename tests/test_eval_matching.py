"""Event pairing in `sitrep eval`: the most pairs, then the most attributes in agreement, whatever the
order in which the store lists the predictions."""

from __future__ import annotations

from typing import Any

from sitrep.eval.score import _best_match, _match


def _same(p: dict[str, Any], g: dict[str, Any]) -> bool:
    return p["type"] == g["type"] and p["place"] == g["place"]


def _agree(p: dict[str, Any], g: dict[str, Any]) -> int:
    return int(p["date"] == g["date"]) + int(p["killed"] == g["killed"])


GOLD = [
    {"type": "Battles", "place": "Arcadia", "date": "2024-03-01", "killed": 4},
    {"type": "Battles", "place": "Arcadia", "date": "2024-03-09", "killed": 12},
]
# the store lists the later incident first: a greedy pass pairs it with the first gold item
PREDS = [
    {"type": "Battles", "place": "Arcadia", "date": "2024-03-09", "killed": 12},
    {"type": "Battles", "place": "Arcadia", "date": "2024-03-01", "killed": 4},
]


def test_pairs_follow_agreement_not_order() -> None:
    pairs = _best_match(PREDS, GOLD, _same, _agree)
    assert pairs == [(0, 1), (1, 0)]
    assert all(_agree(PREDS[i], GOLD[j]) == 2 for i, j in pairs)


def test_never_fewer_pairs_than_greedy() -> None:
    preds = PREDS + [{"type": "Riots", "place": "Beltor", "date": None, "killed": 0}]
    gold = GOLD + [{"type": "Riots", "place": "Beltor", "date": "2024-04-02", "killed": 1},
                   {"type": "Protests", "place": "Beltor", "date": None, "killed": 0}]
    greedy, _, _ = _match(preds, gold, _same)
    best = _best_match(preds, gold, _same, _agree)
    assert len(best) == greedy == 3
    assert (2, 2) in best  # a pair that agrees on nothing still counts as a match


def test_no_pair_outside_what_same_allows() -> None:
    assert _best_match([{"type": "Riots", "place": "Beltor", "date": None, "killed": 0}], GOLD, _same, _agree) == []
