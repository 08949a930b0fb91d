"""Less NLP work per word: the dependency parser only where a fact can be, and huge texts in chunks.

:func:`parse` gives the same kind of ``Doc`` as ``nlp.pipe`` (tags, lemmas, entities, sentences and
a dependency tree for every sentence, character offsets into the text unchanged) with two savings:

* **Candidate sentences only.**  Sentences come from the model's cheap statistical sentence
  splitter (``senter``, with its own small encoder) plus the paragraph starts; the entity ruler and NER
  (with its own encoder) run on the whole text.  The shared encoder (``tok2vec``), the tagger and the
  parser then run only where a fact can be: the parser on the sentences that hold a candidate mention
  (an actor or place entity), a number or an event cue of ``event_cues.yaml`` (each run of consecutive
  candidates parsed together; the parser may still split a run), the encoder and tagger on those and on
  the sentences with a speech verb (which can give a quote its speaker).  The encoder's vector of a token
  depends on a few tokens on each side (its window widths), so each run is encoded widened by that many
  tokens and cut back: the vectors, hence tags and trees, are those of a whole-document run, bit for bit.
  Every other sentence gets a flat tree (its first token the ``ROOT``, every other token attached to it
  as ``dep``) and no tag, so that ``doc.sents`` and every token's ``head`` stay defined; no extractor
  finds a fact there because no fact can be made without a mention, a number or an event cue.
* **Chunks with a deadline.**  A text longer than ``chunk_chars`` is analysed in chunks that end at
  paragraph (else line, else sentence) breaks and joined with ``Doc.from_docs`` (the chunks are
  consecutive slices, so offsets are unchanged).  Between chunks the deadline is checked: past it the
  document keeps the chunks analysed so far, and the caller is told how many characters that is.

With ``blas`` (``Settings.blas_matmul``) the model's layers get BLAS matrix products
(:mod:`sitrep.nlp.ops`): faster, but float rounding flips a few decisions, so it is off by default.
``full_pipeline()`` turns both off (every sentence parsed by the model's own pipeline, thinc's own
matrix products) for comparisons: the benchmark scores the evaluation sets both ways in one run.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CHUNK_CHARS = 50_000  # characters per chunk of a long text (about 10 s of analysis on a busy core)
PARSER = "parser"
SENTER = "senter"
NOT_BEFORE_PARSE = ("sitrep_ruler", "ner")  # components that need no parse: run before choosing sentences

_state = {"fast": True}
_ops_state: dict[int, bool] = {}  # id(nlp) -> whether its layers have the BLAS ops


@contextmanager
def full_pipeline() -> Iterator[None]:
    """Within this block :func:`parse` runs the model's whole pipeline on every sentence, with thinc's
    own matrix products."""
    before = _state["fast"]
    _state["fast"] = False
    try:
        yield
    finally:
        _state["fast"] = before


def fast_enabled() -> bool:
    return _state["fast"]


@dataclass
class Parsed:
    doc: Doc
    chars: int  # characters of the text the doc covers (less than len(text) when the deadline cut it)
    sentences: int = 0
    parsed_sentences: int = 0
    started: float | None = None  # time.monotonic() when a chunked text's analysis began (its budget's start)
    parsed_tokens: int = 0  # tokens parsed (those of the candidate sentences)
    tagged_tokens: int = 0  # tokens encoded and tagged (the candidate sentences and those with a speech verb)


_BREAKS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"')\]]*\s+"), re.compile(r"\s+"))


def chunk_bounds(text: str, size: int) -> list[tuple[int, int]]:
    """Consecutive (start, end) slices covering ``text``, each at most about ``size`` characters, each
    ending after a paragraph break where there is one in its second half (else a line break, a sentence
    end, any space; else a hard cut)."""
    if len(text) <= size:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window, size // 2)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or size
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def parse(nlp: Language, texts: Sequence[str], *, budget_s: float = 0.0,
          chunk_chars: int | None = None, batch_size: int = 32, blas: bool = False) -> Iterator[Parsed]:
    """One :class:`Parsed` per text, in order.  A text of more than ``chunk_chars`` characters is
    analysed chunk by chunk and, when ``budget_s`` > 0, no new chunk is begun ``budget_s`` seconds
    after its first one (its ``Parsed.started``).  ``blas``: the model's matrix products through NumPy's
    BLAS (``Settings.blas_matmul``)."""
    chunk_chars = chunk_chars or CHUNK_CHARS
    short = [i for i, t in enumerate(texts) if len(t) <= chunk_chars]
    done: dict[int, Parsed] = {}
    for start in range(0, len(short), batch_size):
        idx = short[start:start + batch_size]
        for i, parsed in zip(idx, _analyse(nlp, [texts[i] for i in idx], blas), strict=True):
            done[i] = parsed
    for i, text in enumerate(texts):
        if i in done:
            yield done.pop(i)
        else:
            yield _chunked(nlp, text, chunk_chars, budget_s, blas)


def _chunked(nlp: Language, text: str, chunk_chars: int, budget_s: float, blas: bool) -> Parsed:
    from spacy.tokens import Doc

    started = time.monotonic()
    deadline = started + budget_s if budget_s > 0 else None
    parts: list[Parsed] = []
    covered = 0
    for start, end in chunk_bounds(text, chunk_chars):
        if parts and deadline is not None and time.monotonic() > deadline:
            break
        parts.extend(_analyse(nlp, [text[start:end]], blas))
        covered = end
    doc = parts[0].doc if len(parts) == 1 else Doc.from_docs([p.doc for p in parts], ensure_whitespace=False)
    return Parsed(doc, covered, sum(p.sentences for p in parts), sum(p.parsed_sentences for p in parts), started,
                  sum(p.parsed_tokens for p in parts), sum(p.tagged_tokens for p in parts))


def _use_ops(nlp: Language, blas: bool) -> None:
    """BLAS matrix products (:mod:`sitrep.nlp.ops`) when asked for, never in ``full_pipeline()``."""
    from sitrep.nlp.ops import use_blas_ops

    want = _state["fast"] and blas
    if _ops_state.get(id(nlp)) != want:
        use_blas_ops(nlp, want)
        _ops_state[id(nlp)] = want


def _analyse(nlp: Language, texts: list[str], blas: bool = False) -> list[Parsed]:
    _use_ops(nlp, blas)
    shared = _shared_encoder(nlp) if _state["fast"] else None
    if shared is None:
        docs = list(nlp.pipe(texts))
        return [Parsed(d, len(t), *(2 * [sum(1 for _ in d.sents)] if d.has_annotation("SENT_START") else [0, 0]),
                       parsed_tokens=len(d), tagged_tokens=len(d))
                for d, t in zip(docs, texts, strict=True)]
    from spacy.attrs import SENT_START

    tok2vec_name, context, listeners = shared
    names = nlp.pipe_names
    cut = names.index(PARSER)
    skip = {tok2vec_name, *listeners}  # run on candidate runs only, after the choice
    before = [(n, p) for n, p in nlp.pipeline[:cut] if n not in skip]
    early = [(n, p) for n, p in nlp.pipeline[cut + 1:] if n in NOT_BEFORE_PARSE]
    late = [(n, p) for n, p in nlp.pipeline[cut + 1:] if n not in NOT_BEFORE_PARSE and n not in skip]
    taggers = [(n, p) for n, p in nlp.pipeline[:cut] if n in listeners]
    docs = [nlp.make_doc(t) for t in texts]
    docs = _run(before, docs)
    presets = [d.to_array(SENT_START) for d in docs]  # paragraph starts (set before the parser)
    try:
        senter = nlp.get_pipe(SENTER)
    except KeyError:
        senter = None
    if senter is not None:
        docs = _run([(SENTER, senter)], docs)
    else:
        for d in docs:
            _rule_sentences(d)
    docs = _run(early, docs)
    encoder = nlp.get_pipe(tok2vec_name)
    out = _parse_candidates(nlp, encoder, context, taggers, docs, presets, texts)
    docs = _run(late, [p.doc for p in out])
    for p, d, t in zip(out, docs, texts, strict=True):
        p.doc, p.chars = d, len(t)
    return out


def _shared_encoder(nlp: Language) -> tuple[str, int, list[str]] | None:
    """(name, context, listeners) of the shared token encoder the parser listens to: ``context`` is how
    many tokens on each side one token's vector depends on (the sum of its window widths), ``listeners``
    the components before the parser that read it (the tagger).  None when the pipeline is not built that
    way (no parser, or a parser with its own encoder): then every component runs on the whole text."""
    from spacy.ml.models.tok2vec import Tok2VecListener

    if PARSER not in nlp.pipe_names:
        return None

    def upstreams(proc: Any) -> set[str]:
        model = getattr(proc, "model", None)
        if model is None or not hasattr(model, "walk"):
            return set()
        return {node.upstream_name for node in model.walk() if isinstance(node, Tok2VecListener)}

    up = upstreams(nlp.get_pipe(PARSER))
    if len(up) != 1:
        return None
    name = next(iter(up))
    if name not in nlp.pipe_names:
        return None
    cut = nlp.pipe_names.index(PARSER)
    listeners = [n for n, p in nlp.pipeline[:cut] if up & upstreams(p)]
    from spacy.pipeline import Tagger

    for n in listeners:  # taggers whose model is the listener and an output layer (read without a Doc)
        proc = nlp.get_pipe(n)
        layers = proc.model.layers if isinstance(proc, Tagger) else []
        if len(layers) != 2 or not isinstance(layers[0], Tok2VecListener):
            return None
    model = nlp.get_pipe(name).model
    first = model
    while first.layers:
        first = first.layers[0]
    if first.name != "extract_features":  # the encoder must read token attributes only (Doc.to_array)
        return None
    context = 0
    for node in model.walk():
        if "lstm" in node.name.lower() or "torch" in node.name.lower():
            return None  # a whole-sequence encoder: no finite context
        if node.name == "expand_window":
            context += int(node.attrs.get("window_size", 1))
    return name, context, listeners


def _run(components: list[tuple[str, Any]], docs: list[Doc]) -> list[Doc]:
    for _, proc in components:
        docs = list(proc.pipe(docs)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
    return docs


def _rule_sentences(doc: Doc) -> None:
    """Sentence starts without a statistical splitter: after . ! ? (and closing quotes) before a capital."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if tok.is_sent_start is None:
            tok.is_sent_start = bool(prev.text in (".", "!", "?") and (tok.is_title or tok.is_upper))


def _event_patterns() -> list[Any]:
    """The event extractor's trigger and casualty patterns (``event_cues.yaml``): an incident can be told
    without any name in its sentence ("the attackers opened fire"), its place taken from the context."""
    from sitrep.extract.events_cues import load_cues

    cues = load_cues()
    return [t.pattern for t in cues.triggers] + [cues.casualties.any_kill, cues.casualties.any_wound]


def _speech_forms(nlp: Language) -> frozenset[str]:
    """The written forms of the speech verbs of ``language.yaml`` ("said", "tells", "warning"), from the
    model's own lemmatizer tables (its exceptions and its suffix rules, read backwards)."""
    key = id(nlp)
    if key not in _speech_cache:
        from sitrep.data.language import language

        verbs = set(language().speech_verbs)
        forms = set(verbs)
        lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
        lookups = getattr(getattr(lemmatizer, "inner", lemmatizer), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_exc") and lookups.has_table("lemma_rules"):
            exceptions = lookups.get_table("lemma_exc").get("verb", {})
            forms |= {form for form, lemmas in exceptions.items() if verbs & set(lemmas)}
            for old, new in lookups.get_table("lemma_rules").get("verb", []):
                forms |= {v[:len(v) - len(new)] + old for v in verbs if v.endswith(new)}
        _speech_cache[key] = frozenset(forms)
    return _speech_cache[key]


_speech_cache: dict[int, frozenset[str]] = {}


def _candidates(doc: Doc, text: str, sents: list[Any], labels: frozenset[str], patterns: list[Any]) -> list[bool]:
    """For each sentence: can it hold a fact (an actor or place mention, a number, or an event cue)?"""
    import numpy
    from spacy.attrs import ENT_TYPE, LIKE_NUM

    arr = doc.to_array([ENT_TYPE, LIKE_NUM])
    wanted = [doc.vocab.strings.add(label) for label in labels]
    hit = numpy.isin(arr[:, 0], wanted) | (arr[:, 1] == 1)
    return [bool(hit[s.start:s.end].any()) or any(p.search(text, s.start_char, s.end_char) for p in patterns)
            for s in sents]


def _with_words(doc: Doc, sents: list[Any], words: frozenset[str]) -> list[bool]:
    """For each sentence: does it hold one of ``words`` (lower-cased forms)?"""
    import numpy
    from spacy.attrs import LOWER

    hit = numpy.isin(doc.to_array(LOWER), [doc.vocab.strings.add(w) for w in words])
    return [bool(hit[s.start:s.end].any()) for s in sents]


def _runs(chosen: list[bool], sents: list[Any]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(runs of consecutive candidate sentences, other sentences) as token ranges."""
    runs: list[tuple[int, int]] = []
    flat: list[tuple[int, int]] = []
    for s, candidate in zip(sents, chosen, strict=True):
        if not candidate:
            flat.append((s.start, s.end))
        elif runs and runs[-1][1] == s.start:
            runs[-1] = (runs[-1][0], s.end)
        else:
            runs.append((s.start, s.end))
    return runs, flat


class _Features:
    """The token attributes of one document, read once (``Doc.to_array``) for all its windows."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.arrays: dict[tuple[Any, ...], Any] = {}

    def window(self, start: int, end: int) -> _Window:
        return _Window(self, start, end)


class _Window:
    """Tokens ``start:end`` of a document as the shared encoder's feature extractor reads a document:
    ``to_array(columns)`` (without building a sub-document)."""

    def __init__(self, features: _Features, start: int, end: int) -> None:
        self.features, self.start, self.end = features, start, end

    def __len__(self) -> int:
        return self.end - self.start

    def to_array(self, columns: Any) -> Any:
        key = tuple(columns)
        arrays = self.features.arrays
        if key not in arrays:
            arrays[key] = self.features.doc.to_array(list(columns))
        return arrays[key][self.start:self.end]


def _windows(runs: list[tuple[int, int]], context: int, n: int) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """The stretches of a document of ``n`` tokens to encode for ``runs``: each run widened by ``context``
    tokens on each side (within the document), runs whose widened stretches meet or lie closer than
    ``2 * context`` tokens apart encoded as one stretch (cheaper than encoding the widening twice).
    Returns (start, end, the runs inside)."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    for a, b in runs:
        lo, hi = max(0, a - context), min(n, b + context)
        if out and lo <= out[-1][1] + 2 * context:
            out[-1] = (out[-1][0], hi, [*out[-1][2], (a, b)])
        else:
            out.append((lo, hi, [(a, b)]))
    return out


def _parse_candidates(nlp: Language, encoder: Any, context: int, taggers: list[tuple[str, Any]],
                      docs: list[Doc], presets: list[Any], texts: list[str]) -> list[Parsed]:
    """Encode, tag and parse the candidate sentences of ``docs`` (whose texts are ``texts``); encode and
    tag (flat tree) the other sentences with a speech verb, which can give a quote its speaker; leave the
    rest untagged with flat trees.

    The shared encoder runs on stretches of the document: each run of such sentences widened by
    ``context`` tokens on each side, the widening cut off again afterwards, so that every token gets the
    vector it gets in a whole-document run (a vector depends on ``context`` tokens on each side).  The
    tagger's output layer reads those vectors directly, the parser on a sub-document of each run of
    candidate sentences."""
    import numpy
    from spacy.attrs import DEP, HEAD, ORTH, SPACY, TAG
    from spacy.tokens import Doc as SpacyDoc

    from sitrep.nlp import ENTITY_LABELS

    labels, patterns, speech = ENTITY_LABELS, _event_patterns(), _speech_forms(nlp)
    plans = []
    windows: list[_Window] = []
    tag_slices: list[tuple[int, int, int]] = []  # per tagged run: (window, start, end within the window)
    parse_slices: list[tuple[int, int, int]] = []  # per parsed run: the same
    subs: list[Doc] = []
    for doc, pre, text in zip(docs, presets, texts, strict=True):
        sents = list(doc.sents) if len(doc) else []
        chosen = _candidates(doc, text, sents, labels, patterns) if sents else []
        said = _with_words(doc, sents, speech) if sents else []
        runs, flat = _runs(chosen, sents)
        tag_runs, _ = _runs([c or w for c, w in zip(chosen, said, strict=True)], sents)
        features = _Features(doc)
        for lo, hi, members in _windows(tag_runs, context, len(doc)):
            tag_slices.extend((len(windows), a - lo, b - lo) for a, b in members)
            parse_slices.extend((len(windows), a - lo, b - lo) for a, b in runs if lo <= a and b <= hi)
            windows.append(features.window(lo, hi))
        if runs:
            lexical = doc.to_array([ORTH, SPACY])  # no Token objects
            words = [doc.vocab.strings[h] for h in lexical[:, 0].tolist()]
            spaces = (lexical[:, 1] == 1).tolist()
            starts = [True if v == 1 else None for v in pre.tolist()]  # paragraph starts only
            for a, b in runs:
                subs.append(SpacyDoc(doc.vocab, words=words[a:b], spaces=spaces[a:b],
                                     sent_starts=[True, *starts[a + 1:b]]))
        plans.append((doc, text, runs, flat, tag_runs, len(sents), sum(chosen)))
    tag_ids: list[Any] = []
    if windows:
        vectors = encoder.model.predict(windows)
        run_vectors = [vectors[w][a:b] for w, a, b in tag_slices]
        tag_ids = _tags(taggers, run_vectors, nlp)
        for sub, (w, a, b) in zip(subs, parse_slices, strict=True):
            sub.tensor = vectors[w][a:b]
        subs = list(nlp.get_pipe(PARSER).pipe(subs))
    out: list[Parsed] = []
    k = t = 0
    root, dep_word = nlp.vocab.strings.add("ROOT"), nlp.vocab.strings.add("dep")
    for doc, text, runs, flat, tag_runs, n_sents, n_chosen in plans:
        n = len(doc)
        if n == 0:
            out.append(Parsed(doc, 0))
            continue
        heads = numpy.arange(n, dtype="int64")
        deps = numpy.full(n, dep_word, dtype="uint64")
        tags = numpy.zeros(n, dtype="uint64")
        for a, b in tag_runs:
            tags[a:b] = tag_ids[t]
            t += 1
        for a, b in runs:
            sub_arr = subs[k].to_array([HEAD, DEP]).astype("int64")  # HEAD is relative
            k += 1
            heads[a:b] = numpy.arange(a, b) + sub_arr[:, 0]
            deps[a:b] = sub_arr[:, 1].astype("uint64")
        for a, b in flat:
            heads[a:b] = a
            deps[a] = root
        rel = (heads - numpy.arange(n)).astype("uint64")
        doc.from_array([HEAD, DEP, TAG], numpy.stack([rel, deps, tags], axis=1))
        out.append(Parsed(doc, len(text), n_sents, n_chosen, parsed_tokens=sum(b - a for a, b in runs),
                          tagged_tokens=sum(b - a for a, b in tag_runs)))
    return out


def _tags(taggers: list[tuple[str, Any]], vectors: list[Any], nlp: Language) -> list[Any]:
    """The tag (a string hash per token) that each tagger, in order, gives the tokens of each run of
    ``vectors`` (the shared encoder's output): its model after the listener, its own arg-max; an
    earlier tagger's tag stands, as a tagger does not overwrite."""
    import numpy

    out = [numpy.zeros(len(v), dtype="uint64") for v in vectors]
    for _, tagger in taggers:
        head = tagger.model.layers[1]
        scores = head.predict(vectors)
        hashes = numpy.array([nlp.vocab.strings.add(label) for label in tagger.labels], dtype="uint64")
        for o, guesses in zip(out, tagger._scores2guesses(scores), strict=True):
            o[o == 0] = hashes[numpy.asarray(guesses)][o == 0]
    return out
