"""Denial scope over the claims a denial refers to, whatever their relation (invented names)."""

from __future__ import annotations

import pytest

from conftest import key_of as _key

REPORT = "A report by the Northern Monitoring Group said the Red Hand Brigade fights the Blue Lions. "


def _rels(ctx) -> dict[tuple[str, str, str, str], str | None]:
    from sitrep.extract.relations import extract_relations

    return {(r.subject_key, r.type, r.object_key, r.claim.polarity): r.claim.source_key for r in extract_relations(ctx)}


def _denials(ctx):
    from sitrep.extract.attribution_denials import sentence_denials

    return [d for s in ctx.sdoc.sents for d in sentence_denials(ctx, s)]


def test_accusation_summed_up_by_charges_gives_assertion_and_denial(attributed) -> None:
    ctx = attributed("Investigators from the Northern Monitoring Group have accused the Blue Lions of supporting the "
                     "Red Hand Brigade, charges that the Blue Lions deny.")
    lions, brigade, monitors = _key(ctx, "Blue Lions"), _key(ctx, "Red Hand Brigade"), _key(ctx, "Northern Monitoring Group")
    rels = _rels(ctx)
    assert rels[(lions, "supports", brigade, "asserted")] == monitors
    assert rels[(lions, "supports", brigade, "denied")] == lions
    (d,) = _denials(ctx)
    assert d.denier is not None and d.denier.key == lions
    assert d.content is not None and ctx.document.text[d.content[0]:d.content[1]].startswith("Investigators")


def test_denying_a_claim_denies_its_content_only(attributed) -> None:
    from sitrep.extract.attribution import source_for

    text = (REPORT + "The Red Hand Brigade denied the minister's claim that Blue Lions fighters killed half of its "
            "commanders in the Varna Valley.")
    ctx = attributed(text)
    rels = _rels(ctx)
    # no invented contradiction: where its commanders are is not what the group denies
    assert not [k for k in rels if k[3] == "denied" and k[1] == "operates_in"]
    d = next(d for d in _denials(ctx) if d.verb.lower_ == "denied")
    assert d.content is not None and ctx.document.text[d.content[0]:d.content[1]].startswith("that Blue Lions")
    start = text.index("killed half")
    src = source_for(ctx, start, start + 6)  # the claimed content is the minister's, not the denier's
    assert src is not None and src.key is None and src.text == "the minister"


def test_rejected_findings_look_back(attributed) -> None:
    ctx = attributed(REPORT + "The Red Hand Brigade rejected the report's findings.")
    (d,) = _denials(ctx)
    assert d.content is None and d.denier is not None and d.denier.key == _key(ctx, "Red Hand Brigade")


def test_denying_a_clause_scopes_over_that_clause(attributed) -> None:
    ctx = attributed("The Blue Lions denied that they had attacked the Red Hand Brigade.")
    (d,) = _denials(ctx)
    assert d.content is not None and "attacked" in ctx.document.text[d.content[0]:d.content[1]]


@pytest.mark.parametrize(("statement", "denies"), [
    ("The Red Hand Brigade dismissed the report as propaganda.", True),
    ("The Red Hand Brigade said the report was based on false information.", True),
    ("The Red Hand Brigade called the report baseless.", True),
    ("The Red Hand Brigade described the report as propaganda.", True),
    # no denial without calling the claim untrue
    ("The Red Hand Brigade said the report was accurate.", False),
    ("The Red Hand Brigade said the report was not based on false information.", False),
    ("The Red Hand Brigade did not call the report baseless.", False),
    ("The Red Hand Brigade said the report, which was false in parts, was accurate.", False),
])
def test_calling_a_report_untrue_denies_what_it_said(attributed, statement: str, denies: bool) -> None:
    ctx = attributed(REPORT + statement)
    brigade, lions = _key(ctx, "Red Hand Brigade"), _key(ctx, "Blue Lions")
    rels = _rels(ctx)
    assert rels[(brigade, "hostile_to", lions, "asserted")] == _key(ctx, "Northern Monitoring Group")
    if not denies:
        assert not [k for k in rels if k[3] == "denied"] and not _denials(ctx), rels
        return
    assert rels[(brigade, "hostile_to", lions, "denied")] == brigade
    (d,) = _denials(ctx)
    assert d.content is None and d.denier is not None and d.denier.key == brigade
