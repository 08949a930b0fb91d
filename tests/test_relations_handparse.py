"""Relation rules on parses built by hand, so that a model update cannot change what a rule test means.

Each test spells out the dependency tree of one invented sentence (``Doc(vocab, words=..., heads=...,
deps=..., pos=...)``) and checks the relation the rule reads off it."""

from __future__ import annotations

from spacy.tokens import Doc

from handparse import Name, StubGazetteer, context_of_doc, english_vocab
from sitrep.extract.relations import extract_relations

NAMES: dict[str, Name] = {
    "Red Hand Brigade": ("actor:red-hand", "armed_group", None, None),
    "Blue Order": ("actor:blue-order", "armed_group", None, None),
    "Grey Wolves Front": ("actor:grey-front", "armed_group", None, None),
    "Dunmore": ("place:XA-D", "city", "XA", None),
}
RHB, BLUE, GREY, DUNMORE = "actor:red-hand", "actor:blue-order", "actor:grey-front", "place:XA-D"


GAZETTEER = StubGazetteer()


def _doc(rows: list[tuple[str, int, str, str, str, str]]) -> Doc:
    """One sentence from rows of (word, head index, dep, pos, tag, lemma)."""
    words, heads, deps, pos, tags, lemmas = (list(col) for col in zip(*rows, strict=True))
    return Doc(english_vocab(), words=words, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas,
               sent_starts=[True] + [False] * (len(words) - 1))


def _rels(doc: Doc) -> set[tuple[str, str, str, str]]:
    ctx = context_of_doc(doc, NAMES, gazetteer=GAZETTEER)
    return {(r.subject_key, r.type, r.object_key, r.claim.polarity) for r in extract_relations(ctx)}


def test_a_relative_clause_on_a_predicate_noun_speaks_of_the_subject() -> None:
    # "Grey Wolves Front is a militant group which is affiliated with the Red Hand Brigade."
    doc = _doc([
        ("Grey", 1, "compound", "PROPN", "NNP", "grey"), ("Wolves", 2, "compound", "PROPN", "NNP", "wolves"),
        ("Front", 3, "nsubj", "PROPN", "NNP", "front"), ("is", 3, "ROOT", "AUX", "VBZ", "be"),
        ("a", 6, "det", "DET", "DT", "a"), ("militant", 6, "amod", "ADJ", "JJ", "militant"),
        ("group", 3, "attr", "NOUN", "NN", "group"), ("which", 9, "nsubjpass", "PRON", "WDT", "which"),
        ("is", 9, "auxpass", "AUX", "VBZ", "be"), ("affiliated", 6, "relcl", "VERB", "VBN", "affiliate"),
        ("with", 9, "prep", "ADP", "IN", "with"), ("the", 14, "det", "DET", "DT", "the"),
        ("Red", 13, "compound", "PROPN", "NNP", "red"), ("Hand", 14, "compound", "PROPN", "NNP", "hand"),
        ("Brigade", 10, "pobj", "PROPN", "NNP", "brigade"), (".", 3, "punct", "PUNCT", ".", "."),
    ])
    assert (GREY, "part_of", RHB, "asserted") in _rels(doc)


def test_a_where_clause_on_a_place_places_its_doer() -> None:
    # "The raid took place near Dunmore, where Red Hand Brigade fighters killed four soldiers."
    doc = _doc([
        ("The", 1, "det", "DET", "DT", "the"), ("raid", 2, "nsubj", "NOUN", "NN", "raid"),
        ("took", 2, "ROOT", "VERB", "VBD", "take"), ("place", 2, "dobj", "NOUN", "NN", "place"),
        ("near", 2, "prep", "ADP", "IN", "near"), ("Dunmore", 4, "pobj", "PROPN", "NNP", "dunmore"),
        (",", 5, "punct", "PUNCT", ",", ","), ("where", 12, "advmod", "SCONJ", "WRB", "where"),
        ("Red", 9, "compound", "PROPN", "NNP", "red"), ("Hand", 10, "compound", "PROPN", "NNP", "hand"),
        ("Brigade", 11, "compound", "PROPN", "NNP", "brigade"), ("fighters", 12, "nsubj", "NOUN", "NNS", "fighter"),
        ("killed", 5, "relcl", "VERB", "VBD", "kill"), ("four", 14, "nummod", "NUM", "CD", "four"),
        ("soldiers", 12, "dobj", "NOUN", "NNS", "soldier"), (".", 2, "punct", "PUNCT", ".", "."),
    ])
    assert (RHB, "operates_in", DUNMORE, "asserted") in _rels(doc)


def _sent_and_clashed(clashed_tag: str) -> Doc:
    # "Blue Order fighters were sent north and clashed with the Red Hand Brigade."
    return _doc([
        ("Blue", 1, "compound", "PROPN", "NNP", "blue"), ("Order", 2, "compound", "PROPN", "NNP", "order"),
        ("fighters", 4, "nsubjpass", "NOUN", "NNS", "fighter"), ("were", 4, "auxpass", "AUX", "VBD", "be"),
        ("sent", 4, "ROOT", "VERB", "VBN", "send"), ("north", 4, "advmod", "ADV", "RB", "north"),
        ("and", 4, "cc", "CCONJ", "CC", "and"), ("clashed", 4, "conj", "VERB", clashed_tag, "clash"),
        ("with", 7, "prep", "ADP", "IN", "with"), ("the", 12, "det", "DET", "DT", "the"),
        ("Red", 11, "compound", "PROPN", "NNP", "red"), ("Hand", 12, "compound", "PROPN", "NNP", "hand"),
        ("Brigade", 8, "pobj", "PROPN", "NNP", "brigade"), (".", 4, "punct", "PUNCT", ".", "."),
    ])


def test_an_active_verb_after_a_passive_one_takes_its_subject() -> None:
    rels = _rels(_sent_and_clashed("VBD"))
    assert (BLUE, "hostile_to", RHB, "asserted") in rels or (RHB, "hostile_to", BLUE, "asserted") in rels


def test_a_second_passive_participle_does_not_make_its_patient_a_doer() -> None:
    rels = _rels(_sent_and_clashed("VBN"))
    assert not any(t == "hostile_to" for _, t, _, _ in rels)
