"""The derive step: facts read off incidents (operates_in, hostile_to) and the group hierarchy (part_of).

Invented names throughout; the events are built by hand, and the clause the target is read from is a
parse built by hand with ``Doc(vocab, words=..., heads=..., deps=...)``, so that neither the event
extractor nor a model update changes what these tests mean.
"""

from __future__ import annotations

from spacy.tokens import Doc

from handparse import StubGazetteer, context_of_doc, hand_doc
from sitrep.extract.context import ExtractionContext
from sitrep.extract.derive import derive_relations
from sitrep.models import Claim, Document, Event, Relation

# surface -> (key, kind, country, parent)
NAMES: dict[str, tuple[str, str, str | None, str | None]] = {
    "Arcadia": ("place:XA", "country", "XA", None),
    "Vale": ("place:XA-V", "province", "XA", "place:XA"),
    "Port Lumen": ("place:XA-V-lumen", "city", "XA", "place:XA-V"),
    "Red Hand": ("actor:red-hand", "armed_group", None, "actor:black-sun"),
    "Black Sun": ("actor:black-sun", "armed_group", None, None),
    "Vale Guard": ("org:vale-guard", "organization", "XA", None),
    "Mira Tal": ("person:mira-tal", "person", None, None),
}


GAZETTEER = StubGazetteer({"Arcadian": "place:XA"})


def _ctx(doc: Doc) -> ExtractionContext:
    return context_of_doc(doc, NAMES, doc_id="d1", published=None, gazetteer=GAZETTEER)


def _parse(words: list[str], heads: list[int], deps: list[str], pos: list[str], lemmas: list[str]) -> Doc:
    return hand_doc(words, heads, deps, pos, lemmas)


def _flat(text: str) -> Doc:
    """A parse of a sentence whose structure these tests do not read: every token hangs on the first."""
    words = text.split(" ")
    n = len(words)
    return _parse(words, [0] * n, ["ROOT"] + ["dep"] * (n - 1), ["NOUN"] * n, [w.lower() for w in words])


def _event(ctx: ExtractionContext, trigger: str, *, perp: str | None, place: str | None,
           target: str | None = None, polarity: str = "asserted") -> Event:
    start = ctx.document.text.index(trigger)
    claim = Claim("d1", start, start + len(trigger), 0, len(ctx.document.text), ctx.document.text, polarity=polarity)
    return Event("Battles", "Armed clash", claim, location_key=place, perpetrator_key=perp, target_key=target,
                 trigger=trigger)


def _facts(rels: list[Relation]) -> set[tuple[str, str, str]]:
    return {(r.subject_key, r.type, r.object_key) for r in rels}


def test_group_operates_where_it_attacked_and_in_the_named_places_above() -> None:
    ctx = _ctx(_flat("Red Hand fighters raided Port Lumen in Vale , Arcadia ."))
    rels = derive_relations(ctx, [], [_event(ctx, "raided", perp="actor:red-hand", place="place:XA-V-lumen")])
    facts = _facts(rels)
    assert ("actor:red-hand", "operates_in", "place:XA-V-lumen") in facts
    assert ("actor:red-hand", "operates_in", "place:XA-V") in facts
    assert ("actor:red-hand", "operates_in", "place:XA") in facts
    claim = rels[0].claim
    assert ctx.document.text[claim.start:claim.end] == "raided" and claim.polarity == "asserted"


def test_places_the_article_does_not_name_are_not_added() -> None:
    ctx = _ctx(_flat("Red Hand fighters raided Port Lumen on Monday ."))
    rels = derive_relations(ctx, [], [_event(ctx, "raided", perp="actor:red-hand", place="place:XA-V-lumen")])
    assert _facts(rels) == {("actor:red-hand", "operates_in", "place:XA-V-lumen")}


def test_the_event_target_is_an_enemy() -> None:
    ctx = _ctx(_flat("Red Hand fighters attacked a Vale Guard post ."))
    rels = derive_relations(ctx, [], [_event(ctx, "attacked", perp="actor:red-hand", place=None, target="org:vale-guard")])
    assert _facts(rels) == {("actor:red-hand", "hostile_to", "org:vale-guard")}


def test_target_read_from_the_parse_a_demonym_before_a_force_noun_is_that_state() -> None:
    # "Red Hand ambushed a convoy , killing twelve Arcadian soldiers ."
    words = ["Red", "Hand", "ambushed", "a", "convoy", ",", "killing", "twelve", "Arcadian", "soldiers", ".", "Arcadia"]
    heads = [1, 2, 2, 4, 2, 2, 2, 9, 9, 6, 2, 2]
    deps = ["compound", "nsubj", "ROOT", "det", "dobj", "punct", "advcl", "nummod", "amod", "dobj", "punct", "npadvmod"]
    pos = ["PROPN", "PROPN", "VERB", "DET", "NOUN", "PUNCT", "VERB", "NUM", "ADJ", "NOUN", "PUNCT", "PROPN"]
    lemmas = ["red", "hand", "ambush", "a", "convoy", ",", "kill", "twelve", "arcadian", "soldier", ".", "arcadia"]
    ctx = _ctx(_parse(words, heads, deps, pos, lemmas))
    rels = derive_relations(ctx, [], [_event(ctx, "ambushed", perp="actor:red-hand", place=None)])
    assert ("actor:red-hand", "hostile_to", "place:XA") in _facts(rels)


def test_target_phrase_after_on_names_an_actor() -> None:
    # "Red Hand claimed an attack on the Vale Guard ."
    words = ["Red", "Hand", "claimed", "an", "attack", "on", "the", "Vale", "Guard", "."]
    heads = [1, 2, 2, 4, 2, 4, 8, 8, 5, 2]
    deps = ["compound", "nsubj", "ROOT", "det", "dobj", "prep", "det", "compound", "pobj", "punct"]
    pos = ["PROPN", "PROPN", "VERB", "DET", "NOUN", "ADP", "DET", "PROPN", "PROPN", "PUNCT"]
    lemmas = ["red", "hand", "claim", "an", "attack", "on", "the", "vale", "guard", "."]
    ctx = _ctx(_parse(words, heads, deps, pos, lemmas))
    rels = derive_relations(ctx, [], [_event(ctx, "attack", perp="actor:red-hand", place=None)])
    assert ("actor:red-hand", "hostile_to", "org:vale-guard") in _facts(rels)


def test_nothing_from_denied_events_unarmed_doers_or_people() -> None:
    ctx = _ctx(_flat("Mira Tal and Vale Guard denied that Red Hand raided Port Lumen ."))
    events = [
        _event(ctx, "raided", perp="actor:red-hand", place="place:XA-V-lumen", polarity="denied"),
        _event(ctx, "raided", perp="org:vale-guard", place="place:XA-V-lumen"),
        _event(ctx, "raided", perp="person:mira-tal", place="place:XA-V-lumen"),
    ]
    assert derive_relations(ctx, [], events) == []


def test_a_fact_already_found_is_not_repeated_and_a_branch_is_not_its_parents_enemy() -> None:
    ctx = _ctx(_flat("Red Hand of the Black Sun raided Port Lumen ."))
    ev = _event(ctx, "raided", perp="actor:red-hand", place="place:XA-V-lumen", target="actor:black-sun")
    known = [Relation("actor:red-hand", "operates_in", "place:XA-V-lumen", ev.claim)]
    facts = _facts(derive_relations(ctx, known, [ev]))
    assert ("actor:red-hand", "operates_in", "place:XA-V-lumen") not in facts
    assert ("actor:red-hand", "hostile_to", "actor:black-sun") not in facts


def test_a_group_named_with_its_parent_is_part_of_it() -> None:
    ctx = _ctx(_flat("Red Hand , a Black Sun branch , grew ."))
    rels = derive_relations(ctx, [], [])
    assert _facts(rels) == {("actor:red-hand", "part_of", "actor:black-sun")}
    assert rels[0].claim.source_key is None  # the gazetteer's knowledge, in the article's own voice
    alone = _ctx(_flat("Red Hand grew ."))
    assert derive_relations(alone, [], []) == []


def test_derive_runs_after_the_relations_and_events_it_reads() -> None:
    from sitrep.extract.registry import ordered

    names = [ex.name for ex in ordered()]
    assert names.index("derive") > max(names.index("relations"), names.index("events"))


def test_the_pipeline_adds_derived_facts_to_the_relations() -> None:
    from sitrep.models import content_hash
    from sitrep.nlp import get_nlp
    from sitrep.pipeline import analyse

    text = "Fighters of the Red Hand Brigade stormed an army post in Kessel on Monday, killing four soldiers."
    doc = Document(id=content_hash(text)[:16], source="kessel.txt", raw=text, text=text, content_hash=content_hash(text))
    result = analyse(doc, get_nlp()(text))
    kinds = {e.key: e.kind for e in result.entities}
    incidents = [e for e in result.events if kinds.get(e.perpetrator_key or "") == "armed_group" and e.location_key]
    assert incidents, "the invented sentence should give an incident with a doer and a place"
    facts = {(r.subject_key, r.type, r.object_key) for r in result.relations}
    for ev in incidents:  # every such incident's doer operates where it happened, found or derived
        assert (ev.perpetrator_key, "operates_in", ev.location_key) in facts
    derived = [r for r in result.relations if (r.claim.extractor or "").startswith("derive@")]
    assert all(r.type in ("operates_in", "hostile_to", "part_of") for r in derived)


def test_a_doer_named_as_a_part_of_its_movement_is_the_branch_the_article_names() -> None:
    # "The chapter of Black Sun raided Port Lumen , Red Hand says ."
    words = ["The", "chapter", "of", "Black", "Sun", "raided", "Port", "Lumen", ",", "Red", "Hand", "says", "."]
    heads = [1, 5, 1, 4, 2, 5, 7, 5, 5, 10, 11, 5, 5]
    deps = ["det", "nsubj", "prep", "compound", "pobj", "ROOT", "compound", "dobj", "punct", "compound", "nsubj",
            "parataxis", "punct"]
    pos = ["DET", "NOUN", "ADP", "PROPN", "PROPN", "VERB", "PROPN", "PROPN", "PUNCT", "PROPN", "PROPN", "VERB", "PUNCT"]
    lemmas = ["the", "chapter", "of", "black", "sun", "raid", "port", "lumen", ",", "red", "hand", "say", "."]
    ctx = _ctx(_parse(words, heads, deps, pos, lemmas))
    facts = _facts(derive_relations(ctx, [], [_event(ctx, "raided", perp="actor:black-sun", place="place:XA-V-lumen")]))
    assert ("actor:red-hand", "operates_in", "place:XA-V-lumen") in facts
    assert ("actor:black-sun", "operates_in", "place:XA-V-lumen") not in facts
