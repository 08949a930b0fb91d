"""The domain entity ruler: gazetteer names found with a PhraseMatcher.

spaCy's ``EntityRuler`` runs a token ``Matcher`` whose cost grows with
tokens x patterns; with thousands of gazetteer names it cost more than the
whole statistical model.  This component keeps the same pattern format (token
dicts with ``ORTH``/``LOWER`` (optionally ``{"IN": [...]}``) and ``IS_LOWER``)
but matches every name variant at once on lower-cased text with a
``PhraseMatcher`` (hash lookups), then checks each hit against its pattern's
case rules (acronyms exact, capitalised words not all lower case).  Semantics
match ``EntityRuler(overwrite_ents=True)``: the longest non-overlapping matches
win and replace overlapping entities already on the doc.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

Pattern = dict[str, Any]


def _options(token_pattern: dict[str, Any]) -> list[str]:
    for attr in ("ORTH", "LOWER"):
        if attr in token_pattern:
            value = token_pattern[attr]
            return list(value["IN"]) if isinstance(value, dict) else [value]
    raise ValueError(f"unsupported token pattern {token_pattern!r}")


def _token_ok(tok: Token, token_pattern: dict[str, Any]) -> bool:
    if "ORTH" in token_pattern:
        value = token_pattern["ORTH"]
        return tok.text in (value["IN"] if isinstance(value, dict) else (value,))
    return not (token_pattern.get("IS_LOWER") is False and tok.is_lower)


FACTORY = "sitrep_domain_ruler"


class DomainRuler:
    """Callable pipeline component; see the module docstring."""

    MAX_VARIANTS = 64  # spelling combinations kept per pattern

    def __init__(self, nlp: Language, patterns: list[Pattern] | None = None) -> None:
        self.vocab = nlp.vocab
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.rules: dict[int, tuple[str, str, list[dict[str, Any]]]] = {}
        self.add_patterns(patterns or [])

    def add_patterns(self, patterns: list[Pattern]) -> None:
        for p in patterns:
            tokens = p["pattern"]
            combos = list(product(*(_options(tp) for tp in tokens)))[: self.MAX_VARIANTS]
            key = f"sitrep_ruler_{len(self.rules)}"
            self.rules[self.vocab.strings.add(key)] = (p["label"], p.get("id", ""), tokens)
            self.matcher.add(key, [Doc(self.vocab, words=[w.lower() for w in combo]) for combo in combos])

    def __len__(self) -> int:
        return len(self.rules)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            label, ent_id, tokens = self.rules[match_id]
            if all(_token_ok(doc[start + k], tp) for k, tp in enumerate(tokens)):
                spans.append(Span(doc, start, end, label=label, span_id=ent_id))
        if not spans:
            return doc
        found = filter_spans(spans)
        taken = {i for s in found for i in range(s.start, s.end)}
        kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
        doc.ents = sorted([*kept, *found], key=lambda s: s.start)
        return doc


@Language.factory(FACTORY)
def make_domain_ruler(nlp: Language, name: str) -> DomainRuler:
    return DomainRuler(nlp)
