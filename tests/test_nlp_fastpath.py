"""The cheaper NLP path: a table-driven attribute ruler with the model's output, the parser only on
sentences that can hold a fact, long texts in chunks within the per-document time budget."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.config import Settings
from sitrep.models import Document
from sitrep.nlp import fastpath, get_nlp
from sitrep.nlp.attributes import FastAttributeRuler

TEXT = (
    "Red Hand Brigade fighters attacked a checkpoint in Arcadia on Monday, killing 12 soldiers.\n\n"
    "The weather was calm and the roads were quiet for most of the morning.\n\n"
    "A spokesman for the Red Hand Brigade said the group had carried out the raid. "
    "It wasn't the first time, and y'all gonna hear more, he added.\n\n"
    "Residents said they had seen nothing like it before."
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return get_nlp()


def test_fast_attribute_ruler_gives_the_model_rulers_output(nlp: Any) -> None:
    from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

    from sitrep.nlp import _load_model

    model = _load_model()  # a fresh copy with spaCy's own attribute_ruler
    original = model.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(model)
    fast.load(list(original.patterns))
    assert len(fast) == len(original.patterns) and fast.complex  # multi-token rules kept in a Matcher
    texts = [TEXT, "Let's go, I told you it was there. There is a man, but he did it. Gotta see it, c'mon."]
    for doc in model.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]):
        a, b = original(doc.copy()), fast(doc.copy())
        cols = [POS, MORPH, LEMMA, TAG, DEP]
        assert (a.to_array(cols) == b.to_array(cols)).all()
        assert all(t.pos_ for t in b)
    assert "attribute_ruler" in nlp.pipe_names and isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)


def test_parser_runs_only_where_a_fact_can_be(nlp: Any) -> None:
    parsed = next(fastpath.parse(nlp, [TEXT]))
    doc = parsed.doc
    assert doc.text == TEXT and parsed.chars == len(TEXT)
    assert parsed.sentences == len(list(doc.sents)) and 0 < parsed.parsed_sentences < parsed.sentences
    assert 0 < parsed.parsed_tokens < parsed.tagged_tokens < len(doc)
    sents = {s.text.strip(): s for s in doc.sents}
    weather = sents["The weather was calm and the roads were quiet for most of the morning."]
    assert [t.dep_ for t in weather][0] == "ROOT" and all(t.head.i == weather.start for t in weather[1:])
    assert {t.dep_ for t in weather[1:]} == {"dep"}
    assert {t.tag_ for t in weather if not t.is_space} == {""} and weather[1].lemma_ == "weather"  # not encoded
    said = next(s for s in doc.sents if s.text.startswith("Residents said"))  # a speech verb: tagged, not parsed
    assert all(t.tag_ for t in said) and {t.dep_ for t in said[1:]} == {"dep"}
    assert [t.lemma_ for t in said][:2] == ["resident", "say"]
    first = next(s for s in doc.sents if "checkpoint" in s.text)
    assert any(t.dep_ == "nsubj" for t in first) and any(t.dep_ == "dobj" for t in first)
    assert all(sum(1 for t in s if t.head.i == t.i) == 1 for s in doc.sents)  # one root per sentence


def test_speech_verb_forms_come_from_the_lemmatizer_tables(nlp: Any) -> None:
    forms = fastpath._speech_forms(nlp)
    assert {"said", "says", "told", "warned", "warning", "claims", "wrote"} <= forms
    assert not {"weather", "attacked", "the"} & forms


def test_encoding_stretches_gives_the_whole_document_vectors(nlp: Any) -> None:
    """The shared encoder's vector of a token depends on a few tokens each side: computed on a stretch
    widened by that context it is the very vector of a whole-document run, bit for bit."""
    import numpy

    shared = fastpath._shared_encoder(nlp)
    assert shared is not None
    name, context, listeners = shared
    assert name == "tok2vec" and context == 4 and listeners == ["tagger"]
    encoder = nlp.get_pipe(name)
    doc = nlp.make_doc(TEXT + "\n\n" + _long_text(3))
    whole = encoder.model.predict([doc])[0]
    runs = [(0, 5), (25, 40), (43, 44), (80, len(doc))]
    features = fastpath._Features(doc)
    stretches = fastpath._windows(runs, context, len(doc))
    assert [len(m) for _, _, m in stretches] == [1, 2, 1]  # (25, 40) and (43, 44) are close: one stretch
    vectors = encoder.model.predict([features.window(lo, hi) for lo, hi, _ in stretches])
    for (lo, _hi, members), vec in zip(stretches, vectors, strict=True):
        for a, b in members:
            assert numpy.array_equal(vec[a - lo:b - lo], whole[a:b])
    narrow = encoder.model.predict([features.window(25, 40)])[0]  # no widening: the edges differ
    assert not numpy.array_equal(narrow, whole[25:40])


def test_fast_path_keeps_entities_tags_and_offsets_of_the_full_pipeline(nlp: Any) -> None:
    fast = next(fastpath.parse(nlp, [TEXT])).doc
    with fastpath.full_pipeline():
        assert not fastpath.fast_enabled()
        full = next(fastpath.parse(nlp, [TEXT])).doc
    assert fastpath.fast_enabled()
    assert [(e.start_char, e.end_char, e.label_, e.id_) for e in fast.ents] == \
        [(e.start_char, e.end_char, e.label_, e.id_) for e in full.ents]
    assert [t.idx for t in fast] == [t.idx for t in full]
    tagged = [t.i for t in fast if t.tag_]  # every sentence but the one with nothing to find
    assert len(full) > len(tagged) > len(full) // 2
    assert [(fast[i].tag_, fast[i].pos_, fast[i].lemma_) for i in tagged] == \
        [(full[i].tag_, full[i].pos_, full[i].lemma_) for i in tagged]
    parsed_full = [s for s in full.sents if "checkpoint" in s.text][0]
    parsed_fast = [s for s in fast.sents if "checkpoint" in s.text][0]
    assert [(t.dep_, t.head.i) for t in parsed_fast] == [(t.dep_, t.head.i) for t in parsed_full]


def test_chunk_bounds_cover_the_text_and_end_at_paragraphs() -> None:
    text = ("Arcadia is a quiet place. " * 8 + "\n\n") * 40
    bounds = fastpath.chunk_bounds(text, 1000)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(e - s <= 1000 for s, e in bounds)
    assert all(text[e - 2:e] == "\n\n" for _, e in bounds[:-1])
    assert fastpath.chunk_bounds("short", 1000) == [(0, 5)]
    solid = "x" * 2500  # no break at all: hard cuts
    assert "".join(solid[s:e] for s, e in fastpath.chunk_bounds(solid, 1000)) == solid


def _long_text(paragraphs: int) -> str:
    para = ("Red Hand Brigade fighters attacked a post in Arcadia, killing 4 guards. "
            "The Arcadian army said it had repelled the attack.")
    return "\n\n".join(f"{para} Report {i}." for i in range(paragraphs))


def test_long_text_is_parsed_in_chunks_with_offsets_unchanged(nlp: Any) -> None:
    text = _long_text(60)
    parsed = next(fastpath.parse(nlp, [text], chunk_chars=1500))
    assert parsed.doc.text == text and parsed.chars == len(text)
    assert all(text[e.start_char:e.end_char] == e.text for e in parsed.doc.ents)
    assert sum(1 for e in parsed.doc.ents if e.text == "Red Hand Brigade") >= 50


def test_time_budget_covers_the_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """A huge document no longer holds a worker in the parser: the budget is checked between chunks."""
    from sitrep import pipeline

    monkeypatch.setattr(fastpath, "CHUNK_CHARS", 1500)
    text = _long_text(80)
    doc = Document(id="d1", source="long.txt", raw=text, text=text, content_hash="h" * 64)
    [result] = pipeline.analyse_batch([doc], Settings(document_time_budget_s=0.01))
    stopped = [w for w in result.warnings if w.startswith("analysis stopped after")]
    assert stopped and "time budget of 0.01 s" in stopped[0]
    covered = int(stopped[0].split()[3].replace(",", ""))
    assert 0 < covered < len(text)
    assert all(m.end <= covered for m in result.mentions)
    [whole] = pipeline.analyse_batch([doc], Settings(document_time_budget_s=0))
    assert not any(w.startswith("analysis stopped") for w in whole.warnings)
    assert len(whole.mentions) > len(result.mentions)


def test_blas_products_match_thincs_and_switch_both_ways() -> None:
    import numpy
    from thinc.api import NumpyOps

    from sitrep.nlp import _load_model
    from sitrep.nlp.ops import BlasOps, blas_ops_in_use, use_blas_ops

    x = numpy.random.default_rng(1).random((50, 288), dtype="float32")
    w = numpy.random.default_rng(2).random((96, 288), dtype="float32")
    assert numpy.allclose(BlasOps().gemm(x, w, trans2=True), NumpyOps().gemm(x, w, trans2=True), rtol=1e-4)
    out = numpy.zeros((288, 288), dtype="float32")
    assert BlasOps().gemm(x, x, out=out, trans1=True) is out and numpy.allclose(out, x.T @ x, rtol=1e-4)
    model = _load_model()
    before = [(t.tag_, t.ent_type_) for t in model(TEXT)]
    assert use_blas_ops(model) > 0 and blas_ops_in_use(model)
    from threadpoolctl import threadpool_info

    assert all(p["num_threads"] == 1 for p in threadpool_info() if p["user_api"] == "blas")
    assert [(t.tag_, t.ent_type_) for t in model(TEXT)] == before
    assert use_blas_ops(model, on=False) > 0 and not blas_ops_in_use(model)


def test_table_lemmatizer_gives_the_model_lemmatizers_output(nlp: Any) -> None:
    from spacy.attrs import LEMMA

    from sitrep.nlp import _load_model
    from sitrep.nlp.lemmas import TableLemmatizer

    model = _load_model()
    original = model.get_pipe("lemmatizer")
    table = TableLemmatizer(model)
    table.inner = original
    texts = [TEXT, "The militants were fleeing; he'd said the bombs had been planted by the brigades' men."]
    for doc in model.pipe(texts, disable=["lemmatizer", "ner"]):
        a, b = original(doc.copy()), table(doc.copy())
        assert (a.to_array([LEMMA]) == b.to_array([LEMMA])).all()
    assert [t.lemma_ for t in table(next(model.pipe(["Fighters were killed."], disable=["lemmatizer"])))][:3] == \
        ["fighter", "be", "kill"]
    assert isinstance(nlp.get_pipe("lemmatizer"), TableLemmatizer)
