"""A table-driven replacement for spaCy's ``attribute_ruler`` with the same output.

The English model's attribute ruler maps tags to parts of speech and morphology (and fixes a few
lemmas) with about 180 token ``Matcher`` patterns; running the ``Matcher`` over every token cost
about a tenth of the whole model's time.  Almost all of those patterns look at one token and at
nothing but its ``TAG``, ``LOWER``, ``DEP`` and ``IS_SPACE``, so their outcome is a function of
those four values: :class:`FastAttributeRuler` decides it once per distinct combination (a dict
lookup afterwards) and keeps a small ``Matcher`` only for the few patterns that span two tokens or
use a regular expression.  Rules are applied in the ruler's order (a later pattern wins), with the
very function spaCy's ruler uses, so POS, MORPH, LEMMA (and the odd TAG/DEP) are identical.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.attributeruler import normalize_token_attrs
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

FACTORY = "sitrep_attribute_ruler"
_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")

Key = tuple[int, int, int, int]


def _value_ok(cond: Any, value: Any) -> bool:
    if isinstance(cond, dict):
        if set(cond) - {"IN", "NOT_IN"}:
            raise ValueError(cond)
        if "IN" in cond and value not in cond["IN"]:
            return False
        return not ("NOT_IN" in cond and value in cond["NOT_IN"])
    return bool(value == cond)


def _simple(pattern: list[dict[str, Any]]) -> bool:
    """One token, conditions only on TAG/LOWER/DEP/IS_SPACE by value, IN or NOT_IN."""
    if len(pattern) != 1 or not set(pattern[0]) <= set(_FIELDS):
        return False
    return all(not isinstance(c, dict) or set(c) <= {"IN", "NOT_IN"} for c in pattern[0].values())


class FastAttributeRuler:
    """Callable pipeline component: see the module docstring.  Fill it with :meth:`load` from the
    model's own ``attribute_ruler`` patterns."""

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.simple: list[tuple[int, dict[str, Any], dict[Any, Any]]] = []  # (order, conditions, attrs)
        self.complex: dict[int, tuple[int, dict[Any, Any]]] = {}  # order -> (index, attrs)
        self.matcher = Matcher(nlp.vocab)
        self._cache: dict[Key, dict[Any, Any] | None] = {}
        self._tag_rules: dict[str, list[tuple[int, dict[str, Any], dict[Any, Any]]]] = {}

    def load(self, patterns: list[dict[str, Any]]) -> None:
        for order, p in enumerate(patterns):
            attrs = normalize_token_attrs(self.vocab, p["attrs"])
            index = int(p.get("index", 0))
            pats = p["patterns"]
            if index == 0 and all(_simple(pat) for pat in pats):
                for pat in pats:
                    self.simple.append((order, pat[0], attrs))
            else:
                self.complex[order] = (index, attrs)
                self.matcher.add(str(order), pats)
        self._cache.clear()
        self._tag_rules.clear()

    def __len__(self) -> int:
        """The number of rules (patterns of the original ruler) loaded."""
        return len({order for order, _, _ in self.simple} | set(self.complex))

    def _by_tag(self, tag: str) -> list[tuple[int, dict[str, Any], dict[Any, Any]]]:
        """The rules that can apply to a token of this tag, in the ruler's order."""
        if tag not in self._tag_rules:
            self._tag_rules[tag] = [r for r in self.simple if "TAG" not in r[1] or _value_ok(r[1]["TAG"], tag)]
        return self._tag_rules[tag]

    def _rules_for(self, key: Key) -> list[tuple[int, dict[Any, Any]]]:
        strings = self.vocab.strings
        tag, lower, dep = (strings[h] if h else "" for h in key[:3])
        values = {"TAG": tag, "LOWER": lower, "DEP": dep, "IS_SPACE": bool(key[3])}
        return [(order, attrs) for order, cond, attrs in self._by_tag(tag)
                if all(_value_ok(c, values[f]) for f, c in cond.items())]

    def _merged(self, key: Key) -> dict[Any, Any] | None:
        if key not in self._cache:
            rules = self._rules_for(key)
            merged: dict[Any, Any] = {}
            for _, attrs in rules:
                merged.update(attrs)
            self._cache[key] = merged or None
        return self._cache[key]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        extra: dict[int, list[tuple[int, dict[Any, Any]]]] = {}
        if self.complex:
            strings = self.vocab.strings
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                order = int(strings[match_id])
                index, attrs = self.complex[order]
                i = (start if index >= 0 else end) + index
                if start <= i < end:
                    extra.setdefault(i, []).append((order, attrs))
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        for i, row in enumerate(rows):
            key = (row[0], row[1], row[2], row[3])
            if i in extra:  # a multi-token rule touches this token: apply everything in the ruler's order
                for _, attrs in sorted([*self._rules_for(key), *extra[i]], key=lambda r: r[0]):
                    set_token_attrs(doc[i], attrs)
                continue
            merged = self._merged(key)
            if merged is not None:
                set_token_attrs(doc[i], merged)
        return doc


@Language.factory(FACTORY)
def make_fast_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler(nlp)


def use_fast_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Replace the pipeline's ``attribute_ruler`` (same name, same place) by a
    :class:`FastAttributeRuler` loaded with its patterns; False when there is none to replace."""
    if name not in nlp.pipe_names:
        return False
    original = nlp.get_pipe(name)
    patterns = getattr(original, "patterns", None)
    if patterns is None or isinstance(original, FastAttributeRuler):
        return False
    fast = nlp.replace_pipe(name, FACTORY)
    fast.load(list(patterns))
    return True
