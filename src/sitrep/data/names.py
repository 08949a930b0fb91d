"""Name normalisation shared by the gazetteer and entity linking (no dependency on either)."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_NON_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """Remove combining marks: ``Amuralá Salé`` -> ``Amurala Sale``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize(name: str) -> str:
    """Lower-case, strip diacritics and punctuation, drop a leading "the", collapse spaces."""
    text = strip_diacritics(name).translate(APOSTROPHES).lower()
    text = text.replace("'s ", " ").removesuffix("'s")
    text = _NON_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def compact(name: str) -> str:
    """The comparison form of the evaluation: lower case, no punctuation, no spaces."""
    return normalize(name).replace(" ", "")


__all__ = ["compact", "normalize", "strip_diacritics"]
