"""Name normalisation, entity keys and within-document name linking.

Keys must be stable across documents: the same person spelt ``Ali Maisam
Nazary`` in one article and ``Ali Maisam Naziry`` in another gets one key, so
that the store can join them.  Person keys therefore use a transliteration-
robust consonant skeleton (diacritics, Arabic articles, vowels and doubled
letters do not count).  Distinct actors are never merged here: acronyms and
gazetteer ids keep IS / ISKP, Taliban / TTP and al-Qaeda / AQIS apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sitrep.data.names import APOSTROPHES as _APOSTROPHES
from sitrep.data.names import compact as compact  # the one definition (sitrep.data.names), re-exported
from sitrep.data.names import normalize, strip_diacritics
from sitrep.models import PLACE_KINDS

_SPLIT = re.compile(r"[\s\-\u2010\u2011\u2012\u2013\u2014]+")
_DIGRAPHS = (("ph", "f"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("ck", "k"),
             ("dj", "j"), ("q", "k"), ("c", "k"), ("x", "ks"))
_VOWELS = frozenset("aeiouyw")

# Fallbacks used when the lexicon cannot be loaded (the data files are the authority).
_DEFAULT_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "an", "at", "az", "ul", "ud"})


@lru_cache(maxsize=1)
def _lexicon_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(honorifics lower-cased without dots, article prefixes) from the lexicon data file."""
    try:
        from sitrep.data import load_lexicon

        lex = load_lexicon()
        honorifics = frozenset(h.lower().rstrip(".") for h in lex.honorifics)
        return honorifics, frozenset(lex.article_prefixes) or _DEFAULT_ARTICLES
    except Exception:  # pragma: no cover - only when the data files are missing
        return frozenset(), _DEFAULT_ARTICLES


def name_tokens(name: str, *, drop_honorifics: bool = True) -> list[str]:
    """Lower-case, diacritic-free word tokens of a name without honorifics or Arabic articles."""
    honorifics, articles = _lexicon_sets()
    text = strip_diacritics(name).translate(_APOSTROPHES).lower().removesuffix("'s")
    words = [re.sub(r"[^a-z0-9']", "", w).strip("'") for w in _SPLIT.split(text)]
    words = [w for w in words if w]
    if drop_honorifics:
        while len(words) > 1 and words[0] in honorifics:
            words = words[1:]
    merged: list[str] = []
    for word in words:  # "Abd al-Rahman" is spelt "Abdul Rahman" too
        if merged and merged[-1] == "abd" and word in articles:
            merged[-1] = "abdul"
            continue
        merged.append(word)
    return [w for w in merged if w not in articles] or merged


def skeleton(token: str) -> str:
    """Consonant skeleton of one name token, robust to transliteration.

    The first letter is kept (a leading vowel becomes ``a`` or ``u``), later
    vowels, ``w``/``y`` and a final ``h`` are dropped, similar-sounding
    digraphs unified and doubled letters collapsed: ``Nazary`` and ``Naziry``
    -> ``nzr``; ``Usama``/``Osama`` -> ``usm``; ``Saleh``/``Sale`` -> ``sl``.
    """
    t = re.sub(r"[^a-z]", "", strip_diacritics(token).lower())
    if not t:
        return ""
    for src, dst in _DIGRAPHS:
        t = t.replace(src, dst)
    if len(t) > 2 and t.endswith("h") and t[-2] in _VOWELS:
        t = t[:-1]
    first = t[0]
    if first in "aei":
        head = "a"
    elif first in "ou":
        head = "u"
    else:
        head = first
    rest = [ch for ch in t[1:] if ch not in _VOWELS]
    if rest and rest[-1] == "h":
        rest.pop()
    out = head
    for ch in rest:
        if ch != out[-1]:
            out += ch
    return out


def person_skeleton(name: str) -> list[str]:
    """Per-token skeletons of a person's name (honorifics and articles dropped)."""
    return list(_person_skeleton(name))


@lru_cache(maxsize=65536)
def _person_skeleton(name: str) -> tuple[str, ...]:
    return tuple(s for s in (skeleton(t) for t in name_tokens(name)) if s)


def slug(name: str) -> str:
    """A readable key part: normalised words joined by hyphens, Arabic articles dropped."""
    _, articles = _lexicon_sets()
    words = [w for w in normalize(name).split() if w not in articles]
    return "-".join(words) or normalize(name).replace(" ", "-")


def entity_key(name: str, kind: str, country: str | None = None) -> str:
    """Stable key for an entity that is not in the gazetteer.

    Persons: ``person:`` + the concatenated consonant skeleton (so token splits
    such as ``Abdulghani``/``Abdul Ghani`` and spelling variants agree).
    Places: ``place:~`` + slug, with the ISO2 country first when known
    (``place:~PK-vela``), so that same-named towns of two countries stay apart.
    Organisations and armed groups share the ``org:`` prefix, because the kind
    of an unknown group is only guessed.
    """
    if kind == "person":
        skel = "".join(person_skeleton(name))
        return f"person:{skel or slug(name)}"
    if kind in PLACE_KINDS:
        return f"place:~{country.upper()}-{slug(name)}" if country else f"place:~{slug(name)}"
    return f"org:{slug(name)}"


def same_person(a: str, b: str) -> bool:
    """True when two spellings can name the same person.

    Equal skeletons match; otherwise the shorter name must share the longer
    one's surname (last token) and its other tokens must appear in order in
    the longer name (``Nazary`` ~ ``Ali Maisam Naziry``, ``Ali Nazary`` ~
    ``Ali Maisam Nazary``).  A lone first name does not match.
    """
    sa, sb = _person_skeleton(a), _person_skeleton(b)
    if not sa or not sb:
        return False
    if "".join(sa) == "".join(sb):
        return True
    short, long_ = (sa, sb) if len(sa) <= len(sb) else (sb, sa)
    if short[-1] != long_[-1]:
        return False
    return _is_subsequence(short[:-1], long_[:-1])


def _is_subsequence(needle: Sequence[str], hay: Sequence[str]) -> bool:
    it = iter(hay)
    return all(any(n == h for h in it) for n in needle)


def link_person_names(names: Iterable[str]) -> dict[str, str]:
    """Map every person name of one document to the fullest name it stands for.

    ``["Ali Maisam Nazary", "Mr. Nazary", "Nazary"]`` ->
    every name maps to ``"Ali Maisam Nazary"``.  A partial name that fits
    several full names maps to the first of them in the given order.  Only
    names sharing a surname skeleton are compared, so the cost stays linear
    in practice.
    """
    ordered = list(dict.fromkeys(names))
    by_surname: dict[str, list[str]] = {}
    for name in ordered:
        skel = _person_skeleton(name)
        if skel:
            by_surname.setdefault(skel[-1], []).append(name)
    result: dict[str, str] = {}
    for name in ordered:
        skel = _person_skeleton(name)
        best, best_size = name, len(skel)
        for other in by_surname.get(skel[-1], []) if skel else []:
            other_size = len(_person_skeleton(other))
            if other_size > best_size and same_person(name, other):
                best, best_size = other, other_size
        result[name] = best
    return result


def strip_honorifics(name: str) -> tuple[str, str | None]:
    """Split leading titles off a name: ``"Mullah Abdulghani Baradar"`` -> (``"Abdulghani Baradar"``, ``"Mullah"``)."""
    honorifics, _ = _lexicon_sets()
    words = name.split()
    titles: list[str] = []
    while len(words) > 1 and words[0].lower().rstrip(".") in honorifics:
        titles.append(words.pop(0))
    return " ".join(words), (" ".join(titles) or None)
