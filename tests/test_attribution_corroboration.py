"""Corroboration counted honestly and contradictions of relations and numbers (sitrep.query.facts),
on claim rows as the store returns them (invented names)."""

from __future__ import annotations

from typing import Any

from sitrep.query.facts import group_quantities, group_relations

_SOURCES = {1: "Tomas Varga", 2: "Northern Monitoring Group", 3: "Red Hand Brigade", 4: "Arcadian Army"}


def _row(doc: str, publisher: str | None, source_id: int | None = None, *, near: str | None = None,
         polarity: str = "asserted", source_text: str | None = None, **extra: Any) -> dict[str, Any]:
    row = {
        "doc_id": doc, "near_duplicate_of": near, "publisher": publisher, "doc_title": f"story {doc}",
        "doc_published": "2025-01-01", "source_id": source_id, "source": _SOURCES.get(source_id or 0),
        "source_text": source_text, "polarity": polarity, "modality": None, "start": 0, "end": 5,
        "snippet": f"sentence of {doc}", "fact_key": "a|supports|b", "subject": "Red Hand Brigade",
        "subject_id": 3, "type": "supports", "object": "Blue Lions", "object_id": 5,
    }
    row.update(extra)
    return row


def _fact(rows: list[dict[str, Any]]) -> dict[str, Any]:
    facts = group_relations(rows)
    assert len(facts) == 1
    return facts[0]


def test_near_duplicate_counts_once() -> None:
    rows = [_row("d1", "Arcadia Herald"), _row("d2", "Arcadia Herald", near="d1"),
            _row("d3", "Port Lys Times", near="d1")]  # the same story as HTML, as text and syndicated
    assert _fact(rows)["asserted"] == {"sources": 1, "documents": 1, "publishers": 1}


def test_same_claim_from_two_outlets_counts_two_publishers() -> None:
    rows = [_row("d1", "Arcadia Herald"), _row("d2", "Port Lys Times")]
    assert _fact(rows)["asserted"] == {"sources": 2, "documents": 2, "publishers": 2}


def test_a_speaker_quoted_by_two_outlets_is_one_source_in_two_reports() -> None:
    rows = [_row("d1", "Arcadia Herald", 1), _row("d2", "Port Lys Times", 1)]
    assert _fact(rows)["asserted"] == {"sources": 1, "documents": 2, "publishers": 2}


def test_unnamed_officials_speak_for_their_outlet() -> None:
    rows = [_row("d1", "Arcadia Herald", source_text="officials"), _row("d2", "Port Lys Times", source_text="officials"),
            _row("d3", "Arcadia Herald")]
    assert _fact(rows)["asserted"] == {"sources": 2, "documents": 3, "publishers": 2}


def test_asserted_and_denied_is_contested() -> None:
    rows = [_row("d1", "Arcadia Herald", 2), _row("d1", "Arcadia Herald", 3, polarity="denied")]
    fact = _fact(rows)
    assert fact["contested"] and fact["denied"]["sources"] == 1 and fact["asserted"]["sources"] == 1


def _qty(doc: str, source_id: int, low: float | None, high: float | None) -> dict[str, Any]:
    return _row(doc, "Arcadia Herald", source_id, what="soldiers killed", low=low, high=high, qualifier=None,
                text=str(low or high), fact_key="3|soldiers killed")


def test_disagreeing_estimates_are_a_contradiction() -> None:
    rows = [_qty("d1", 4, 317, 317), _qty("d1", 3, None, 30)]  # the army's 317 against the group's "not even 30"
    (q,) = group_quantities(rows)
    assert q["disagreement"] and {e["source"] for e in q["estimates"]} == {"Arcadian Army", "Red Hand Brigade"}


def test_overlapping_estimates_agree() -> None:
    rows = [_qty("d1", 4, 300, 320), _qty("d2", 3, 310, None)]
    (q,) = group_quantities(rows)
    assert not q["disagreement"]


def test_a_statement_credited_to_a_spokesman_and_his_group_is_one_source() -> None:
    """"Tomas Varga, the brigade's spokesman, denied ...": one denial, credited to him and to the group."""
    rows = [_row("d1", "Arcadia Herald", 1, polarity="denied", start=40, end=90),
            _row("d1", "Arcadia Herald", 3, polarity="denied", start=40, end=90)]
    assert _fact(rows)["denied"] == {"sources": 1, "documents": 1, "publishers": 1}


def test_the_spokesman_and_a_later_statement_of_another_body_are_two_sources() -> None:
    rows = [_row("d1", "Arcadia Herald", 1, polarity="denied", start=40, end=90),
            _row("d1", "Arcadia Herald", 3, polarity="denied", start=40, end=90),
            _row("d2", "Port Lys Times", 2, polarity="denied", start=10, end=30),
            _row("d3", "Port Lys Times", 3, polarity="denied", start=10, end=30)]
    # the group speaks again in another report: still the same source as its spokesman's first denial
    assert _fact(rows)["denied"] == {"sources": 2, "documents": 3, "publishers": 2}
