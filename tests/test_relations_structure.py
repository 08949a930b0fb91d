"""Group structure and roles (issue 11) on invented names: parts of a group named by a possessive
pronoun or a relative clause, members of a coalition, heading roles that are definite, ministers of
the state a sentence names, and companions ("together with Y") that are allies, not targets.

Most sentences are parsed by the project's model; the companion rule is also tested on a parse built
by hand (tests/handparse.py), so that a model update cannot change what it means."""

from __future__ import annotations

from typing import Any

import pytest

from handparse import Name, context, context_of_doc, hand_doc
from sitrep.extract.relations import extract_relations

NAMES: dict[str, Name] = {
    "Arcadia": ("place:XA", "country", "XA", None),
    "Kessel": ("place:XA-kessel", "city", "XA", "place:XA"),
    "Red Hand": ("actor:red-hand", "armed_group", None, None),
    "Red Hand Brigade": ("actor:red-hand", "armed_group", None, None),
    "Blue Order": ("actor:blue-order", "armed_group", None, None),
    "Northern Front": ("actor:northern-front", "armed_group", None, None),
    "Grey Wolves": ("actor:grey-wolves", "armed_group", None, None),
    "Silver Legion": ("actor:silver-legion", "armed_group", None, None),
    "Mira Tal": ("person:mira-tal", "person", None, None),
    "Fifth Division": ("org:fifth-division", "organization", None, None),
}

Rel = tuple[str, str, str]


def _rels(nlp: Any, text: str) -> set[Rel]:
    ctx = context(nlp, text, NAMES)
    return {(r.subject_key, r.type, r.object_key) for r in extract_relations(ctx) if r.claim.polarity == "asserted"}


@pytest.mark.parametrize("text", [
    "The Red Hand Brigade said its armed wing, the Blue Order, had seized the bridge.",
    "The Blue Order, which is part of the Red Hand Brigade, seized the bridge on Monday.",
    "The Blue Order, which is a faction of the Red Hand Brigade, seized the bridge on Monday.",
    "The Red Hand Brigade's Eastern Bloc, the Blue Order, seized the bridge on Monday.",
])
def test_part_of_by_pronoun_relative_clause_and_bloc(nlp: Any, text: str) -> None:
    assert ("actor:blue-order", "part_of", "actor:red-hand") in _rels(nlp, text)


def test_members_of_a_coalition_in_apposition(nlp: Any) -> None:
    rels = _rels(nlp, "The Northern Front, a coalition of the Blue Order, the Grey Wolves and the Silver Legion, "
                      "took Kessel.")
    for member in ("actor:blue-order", "actor:grey-wolves", "actor:silver-legion"):
        assert (member, "part_of", "actor:northern-front") in rels


def test_members_of_a_body_that_unites_them(nlp: Any) -> None:
    rels = _rels(nlp, "The Northern Front unites the Blue Order with the Grey Wolves and the Silver Legion.")
    for member in ("actor:blue-order", "actor:grey-wolves", "actor:silver-legion"):
        assert (member, "part_of", "actor:northern-front") in rels
    assert not any(t == "part_of" and o != "actor:northern-front" for _, t, o in rels)


def test_definite_commander_of_a_body_leads_it(nlp: Any) -> None:
    assert ("person:mira-tal", "leads", "org:fifth-division") in _rels(
        nlp, "Mira Tal, commander of the Fifth Division, said the town had fallen.")
    assert ("person:mira-tal", "leads", "actor:blue-order") in _rels(
        nlp, "The commander of the Blue Order, Mira Tal, said the town had fallen.")


def test_one_of_several_commanders_is_a_member(nlp: Any) -> None:
    rels = _rels(nlp, "Mira Tal, a commander of the Blue Order, said the town had fallen.")
    assert ("person:mira-tal", "member_of", "actor:blue-order") in rels
    assert ("person:mira-tal", "leads", "actor:blue-order") not in rels
    rels = _rels(nlp, "Blue Order commander Mira Tal said the town had fallen.")
    assert ("person:mira-tal", "leads", "actor:blue-order") not in rels


def test_minister_of_the_state_the_sentence_names(nlp: Any) -> None:
    rels = _rels(nlp, "Arcadia said that Defence Minister Mira Tal had visited Kessel.")
    assert ("person:mira-tal", "member_of", "place:XA") in rels
    assert ("person:mira-tal", "leads", "place:XA") not in rels


@pytest.mark.parametrize("text", [
    "The Blue Order fought the rebels side by side with the Grey Wolves.",
    "The Blue Order attacked Kessel together with units of the Grey Wolves.",
])
def test_companion_is_an_ally_not_a_target(nlp: Any, text: str) -> None:
    rels = _rels(nlp, text)
    assert ("actor:blue-order", "ally_of", "actor:grey-wolves") in rels
    assert ("actor:blue-order", "hostile_to", "actor:grey-wolves") not in rels


def _attack_with(companion: bool) -> set[Rel]:
    words = ["Red", "Hand", "attacked", "Kessel", *(["together"] if companion else []), "with", "Northern", "Front", "."]
    w = 1 if companion else 0
    heads = [1, 2, 2, 2, *([4 + w] if companion else []), 2, 6 + w, 4 + w, 2]
    deps = ["compound", "nsubj", "ROOT", "dobj", *(["advmod"] if companion else []), "prep", "compound", "pobj",
            "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PROPN", *(["ADV"] if companion else []), "ADP", "PROPN", "PROPN", "PUNCT"]
    lemmas = [x.lower() for x in words]
    lemmas[2] = "attack"
    ctx = context_of_doc(hand_doc(words, heads, deps, pos=pos, lemmas=lemmas), NAMES)
    return {(r.subject_key, r.type, r.object_key) for r in extract_relations(ctx)}


def test_hand_parse_together_with_is_no_target() -> None:
    rels = _attack_with(companion=True)
    assert ("actor:red-hand", "hostile_to", "actor:northern-front") not in rels
    assert ("actor:red-hand", "ally_of", "actor:northern-front") in rels


def test_hand_parse_plain_with_is_still_a_target() -> None:
    assert ("actor:red-hand", "hostile_to", "actor:northern-front") in _attack_with(companion=False)


def test_government_spokesman_is_of_the_state_the_document_is_about(nlp: Any) -> None:
    rels = _rels(nlp, "Arcadia is at war. Rebels struck Arcadia again. Government spokesman Mira Tal said the town fell.")
    assert ("person:mira-tal", "member_of", "place:XA") in rels


def test_no_document_state_when_two_states_are_named_as_often(nlp: Any) -> None:
    names = {**NAMES, "Borealia": ("place:XB", "country", "XB", None)}
    ctx = context(nlp, "Arcadia and Borealia met. Government spokesman Mira Tal said the talks failed.", names)
    assert not any(r.subject_key == "person:mira-tal" for r in extract_relations(ctx))


def test_possessive_pronoun_owner_must_be_in_the_sentence(nlp: Any) -> None:
    rels = _rels(nlp, "The Red Hand Brigade fought in Kessel. Its most powerful faction, the Blue Order, seized the bridge.")
    assert ("actor:blue-order", "part_of", "actor:red-hand") not in rels


def test_possessive_commander_leads_but_a_top_commander_is_a_member(nlp: Any) -> None:
    assert ("person:mira-tal", "leads", "actor:blue-order") in _rels(
        nlp, "The Blue Order's commander, Mira Tal, said the town had fallen.")
    rels = _rels(nlp, "The Blue Order's top commander, Mira Tal, said the town had fallen.")
    assert ("person:mira-tal", "member_of", "actor:blue-order") in rels
    assert ("person:mira-tal", "leads", "actor:blue-order") not in rels
