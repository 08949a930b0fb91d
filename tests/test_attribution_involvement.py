"""A denial of a part in an event ("denied any involvement in the attack in Y") denies the facts read
off the event it names, whatever their relation type, and nothing about anyone else (invented names)."""

from __future__ import annotations

import pytest

from sitrep.models import DocResult


@pytest.fixture(scope="module")
def analysed():
    from sitrep.models import Document, content_hash
    from sitrep.nlp import get_nlp
    from sitrep.pipeline import analyse

    def run(text: str) -> DocResult:
        doc = Document(id=content_hash(text)[:16], source="t", raw=text, text=text, content_hash=content_hash(text))
        return analyse(doc, get_nlp()(text))

    return run


def _rels(res: DocResult) -> dict[tuple[str, str, str, str], str | None]:
    return {(r.subject_key, r.type, r.object_key, r.claim.polarity): r.claim.source_key for r in res.relations}


def _key(res: DocResult, name: str) -> str:
    return next(m.entity_key for m in res.mentions if m.text == name)


def test_denied_involvement_in_the_attack_denies_what_the_event_says(analysed) -> None:
    res = analysed("Gunmen from the Red Hand Brigade attacked a market in the town of Kessel on Monday, killing "
                   "12 people, police said. The Red Hand Brigade denied any involvement in the attack in Kessel.")
    brigade, kessel = _key(res, "Red Hand Brigade"), _key(res, "Kessel")
    rels = _rels(res)
    assert (brigade, "operates_in", kessel, "asserted") in rels
    assert rels[(brigade, "operates_in", kessel, "denied")] == brigade
    denial = next(r for r in res.relations if r.claim.polarity == "denied")
    assert "denied any involvement" in denial.claim.snippet and denial.claim.extractor == "denials@1"


def test_the_place_named_picks_the_event(analysed) -> None:
    res = analysed("Fighters of the Red Hand Brigade attacked the Blue Lions in Kessel on Monday, officials said. "
                   "On Tuesday the Red Hand Brigade stormed a police post in the town of Dunmore. "
                   "The Red Hand Brigade denied any involvement in the attack in Kessel.")
    brigade, lions, kessel = _key(res, "Red Hand Brigade"), _key(res, "Blue Lions"), _key(res, "Kessel")
    rels = _rels(res)
    # every fact read off the Kessel attack, whatever its type
    assert rels[(brigade, "hostile_to", lions, "denied")] == brigade
    assert rels[(brigade, "operates_in", kessel, "denied")] == brigade
    denied_places = {k[2] for k in rels if k[1] == "operates_in" and k[3] == "denied"}
    assert denied_places == {kessel}


def test_denied_carrying_out_the_attack_is_the_latest_event(analysed) -> None:
    res = analysed("Gunmen from the Red Hand Brigade attacked a market in the town of Kessel on Monday, police said. "
                   "The group denied carrying out the attack.")
    brigade, kessel = _key(res, "Red Hand Brigade"), _key(res, "Kessel")
    assert _rels(res)[(brigade, "operates_in", kessel, "denied")] == brigade


def test_another_groups_denial_denies_nothing(analysed) -> None:
    res = analysed("Gunmen from the Red Hand Brigade attacked a market in the town of Kessel on Monday, police said. "
                   "The Blue Lions denied any involvement in the attack.")
    assert not [k for k in _rels(res) if k[3] == "denied"]


def test_denying_anothers_claim_about_the_attack_invents_nothing(analysed) -> None:
    res = analysed("Gunmen from the Red Hand Brigade attacked a market in the town of Kessel on Monday, police said. "
                   "The Red Hand Brigade denied the minister's claim that its fighters had been seen in Kessel.")
    assert not [k for k in _rels(res) if k[3] == "denied" and k[1] == "operates_in"]


def test_a_relative_clause_is_not_negated_by_its_host(analysed) -> None:
    res = analysed("The Blue Lions, which support the Red Hand Brigade, did not comment.")
    lions, brigade = _key(res, "Blue Lions"), _key(res, "Red Hand Brigade")
    rels = _rels(res)
    assert (lions, "supports", brigade, "asserted") in rels
    assert (lions, "supports", brigade, "denied") not in rels


def test_rejecting_a_report_that_said_so_is_the_report_against_the_denier(analysed) -> None:
    res = analysed("The Red Hand Brigade rejected the report, which said that the Blue Lions fight the Red Hand Brigade.")
    lions, brigade = _key(res, "Blue Lions"), _key(res, "Red Hand Brigade")
    asserted = [r for r in res.relations if r.type == "hostile_to" and r.claim.polarity == "asserted"]
    denied = [r for r in res.relations if r.type == "hostile_to" and r.claim.polarity == "denied"]
    assert asserted and all(r.claim.source_key != brigade for r in asserted)  # the report says it, not the denier
    assert denied and all(r.claim.source_key == brigade for r in denied)
    assert {asserted[0].subject_key, asserted[0].object_key} == {lions, brigade}


def test_the_event_a_denier_denies_a_part_in_is_not_its_claim(analysed) -> None:
    res = analysed("The Red Hand Brigade denied any involvement in the attack on a market in the town of Kessel on "
                   "Monday that killed 12 people.")
    brigade = _key(res, "Red Hand Brigade")
    assert res.events
    assert all(e.claim.source_key != brigade and e.perpetrator_key != brigade for e in res.events)
