"""The derive step on incidents as real pages tell them: unnamed soldiers of the scene's country, the branch
a movement's "regional branch" names, and the places the article puts the scene in.  Events and parses
are built by hand (tests/handparse.py), with invented names."""

from __future__ import annotations

from spacy.tokens import Doc

from handparse import Name, StubGazetteer, context_of_doc, hand_doc
from sitrep.extract.context import ExtractionContext
from sitrep.extract.derive import derive_relations
from sitrep.models import Claim, Event, Relation

NAMES: dict[str, Name] = {
    "Arcadia": ("place:XA", "country", "XA", None),
    "Kessel": ("place:XA-kessel", "city", "XA", None),
    "Vale": ("place:XA-V", "province", "XA", "place:XA"),
    "Black Sun": ("actor:black-sun", "armed_group", None, None),
    "Black Sun Northern Province": ("actor:black-sun-north", "armed_group", None, "actor:black-sun"),
    "Black Sun Coast Province": ("actor:black-sun-coast", "armed_group", None, "actor:black-sun"),
    "Red Hand": ("actor:red-hand", "armed_group", None, None),
}


GAZETTEER = StubGazetteer({"Arcadian": "place:XA"})


def _ctx(doc: Doc) -> ExtractionContext:
    return context_of_doc(doc, NAMES, doc_id="d1", published=None, gazetteer=GAZETTEER)


def _event(ctx: ExtractionContext, trigger: str, *, perp: str | None, place: str | None) -> Event:
    start = ctx.document.text.index(trigger)
    claim = Claim("d1", start, start + len(trigger), 0, len(ctx.document.text), ctx.document.text)
    return Event("Battles", "Armed clash", claim, location_key=place, perpetrator_key=perp, trigger=trigger)


def _facts(rels: list[Relation]) -> set[tuple[str, str, str]]:
    return {(r.subject_key, r.type, r.object_key) for r in rels}


def test_unnamed_soldiers_killed_by_a_group_are_the_scene_countrys() -> None:
    # "Red Hand ambushed a patrol in Kessel , killing nine soldiers . Arcadia"
    words = ["Red", "Hand", "ambushed", "a", "patrol", "in", "Kessel", ",", "killing", "nine", "soldiers", ".", "Arcadia"]
    heads = [1, 2, 2, 4, 2, 2, 5, 2, 2, 10, 8, 2, 2]
    deps = ["compound", "nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct", "advcl", "nummod", "dobj", "punct",
            "npadvmod"]
    pos = ["PROPN", "PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT", "VERB", "NUM", "NOUN", "PUNCT", "PROPN"]
    lemmas = ["red", "hand", "ambush", "a", "patrol", "in", "kessel", ",", "kill", "nine", "soldier", ".", "arcadia"]
    ctx = _ctx(hand_doc(words, heads, deps, pos, lemmas))
    facts = _facts(derive_relations(ctx, [], [_event(ctx, "ambushed", perp="actor:red-hand", place="place:XA-kessel")]))
    assert ("actor:red-hand", "hostile_to", "place:XA") in facts
    # without the country named in the article, nothing is inferred
    words2, heads2, deps2, pos2, lemmas2 = words[:-1], heads[:-1], deps[:-1], pos[:-1], lemmas[:-1]
    ctx2 = _ctx(hand_doc(words2, heads2, deps2, pos2, lemmas2))
    facts2 = _facts(derive_relations(ctx2, [], [_event(ctx2, "ambushed", perp="actor:red-hand", place="place:XA-kessel")]))
    assert not any(t == "hostile_to" for _, t, _ in facts2)


def test_a_movements_qualified_branch_is_the_branch_whose_name_carries_the_qualifier() -> None:
    # "Black Sun 's northern branch raided Kessel . Black Sun Northern Province Black Sun Coast Province"
    words = ["Black", "Sun", "'s", "northern", "branch", "raided", "Kessel", ".", "Black", "Sun", "Northern",
             "Province", "Black", "Sun", "Coast", "Province"]
    heads = [1, 4, 1, 4, 5, 5, 5, 5, 11, 11, 11, 5, 15, 15, 15, 5]
    deps = ["compound", "poss", "case", "amod", "nsubj", "ROOT", "dobj", "punct", "compound", "compound", "compound",
            "npadvmod", "compound", "compound", "compound", "npadvmod"]
    pos = ["PROPN", "PROPN", "PART", "ADJ", "NOUN", "VERB", "PROPN", "PUNCT"] + ["PROPN"] * 8
    lemmas = [w.lower() for w in words]
    ctx = _ctx(hand_doc(words, heads, deps, pos, lemmas))
    rels = derive_relations(ctx, [], [_event(ctx, "raided", perp="actor:black-sun", place="place:XA-kessel")])
    assert ("actor:black-sun-north", "operates_in", "place:XA-kessel") in _facts(rels)
    assert ("actor:black-sun", "operates_in", "place:XA-kessel") not in _facts(rels)


def test_the_doer_operates_in_the_place_the_article_puts_the_scene_in() -> None:
    # "Red Hand raided Kessel , Vale ."  (Kessel's province is not in the gazetteer)
    words = ["Red", "Hand", "raided", "Kessel", ",", "Vale", "."]
    heads = [1, 2, 2, 2, 3, 3, 2]
    deps = ["compound", "nsubj", "ROOT", "dobj", "punct", "appos", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "PROPN", "PUNCT", "PROPN", "PUNCT"]
    lemmas = ["red", "hand", "raid", "kessel", ",", "vale", "."]
    ctx = _ctx(hand_doc(words, heads, deps, pos, lemmas))
    rels = derive_relations(ctx, [], [_event(ctx, "raided", perp="actor:red-hand", place="place:XA-kessel")])
    assert {("actor:red-hand", "operates_in", "place:XA-kessel"), ("actor:red-hand", "operates_in", "place:XA-V")} \
        <= _facts(rels)


def test_a_group_attacked_at_a_place_was_there_too() -> None:
    # "Black Sun fighters clashed with Red Hand in Kessel ."
    words = ["Black", "Sun", "fighters", "clashed", "with", "Red", "Hand", "in", "Kessel", "."]
    heads = [1, 2, 3, 3, 3, 6, 4, 3, 7, 3]
    deps = ["compound", "compound", "nsubj", "ROOT", "prep", "compound", "pobj", "prep", "pobj", "punct"]
    pos = ["PROPN", "PROPN", "NOUN", "VERB", "ADP", "PROPN", "PROPN", "ADP", "PROPN", "PUNCT"]
    lemmas = ["black", "sun", "fighter", "clash", "with", "red", "hand", "in", "kessel", "."]
    ctx = _ctx(hand_doc(words, heads, deps, pos, lemmas))
    ev = _event(ctx, "clashed", perp="actor:black-sun", place="place:XA-kessel")
    ev.target_key = "actor:red-hand"
    facts = _facts(derive_relations(ctx, [], [ev]))
    assert {("actor:black-sun", "operates_in", "place:XA-kessel"), ("actor:red-hand", "operates_in", "place:XA-kessel"),
            ("actor:black-sun", "hostile_to", "actor:red-hand")} <= facts
