"""The model's rule lemmatizer, remembered per (word, part of speech, morphology).

spaCy's English rule lemmatizer decides a token's lemma from its text, its part of speech and its
morphology alone, but it walks every token in Python.  :class:`TableLemmatizer` keeps the model's own
lemmatizer, asks it once per distinct (ORTH, POS, MORPH) and writes the lemmas of a whole document
in one array operation (a token without a part of speech, left untagged by the fast path, gets its
lower-cased form as the original gives it, without the original's warning); like the original (``overwrite=False``) it leaves lemmas already set (the
attribute ruler's exceptions) alone.  The output is the original's.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc

FACTORY = "sitrep_table_lemmatizer"


class TableLemmatizer:
    """Callable pipeline component: see the module docstring."""

    def __init__(self, nlp: Language) -> None:
        self.inner: Any = None
        self.table: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.inner is None or not len(doc):
            return doc
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        strings = doc.vocab.strings
        table = self.table
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            value = table.get(key)
            if value is None:
                # no part of speech (a sentence the fast path left untagged): the model's lemmatizer gives
                # the lower-cased word, with a warning meant for a pipeline without a tagger
                word = doc[i]
                value = table[key] = strings.add(word.lower_ if not pos else self.inner.lemmatize(word)[0])
            lemmas[i] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc


@Language.factory(FACTORY)
def make_table_lemmatizer(nlp: Language, name: str) -> TableLemmatizer:
    return TableLemmatizer(nlp)


def use_table_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Wrap the pipeline's rule lemmatizer (same name, same place) in a :class:`TableLemmatizer`;
    False when there is no rule lemmatizer that overwrites nothing."""
    if name not in nlp.pipe_names:
        return False
    original = nlp.get_pipe(name)
    if isinstance(original, TableLemmatizer) or getattr(original, "mode", None) != "rule" \
            or getattr(original, "overwrite", True):
        return False
    fast = nlp.replace_pipe(name, FACTORY)
    fast.inner = original
    return True
