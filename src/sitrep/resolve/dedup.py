"""Near-duplicate articles: 64-bit SimHash over word shingles.

The same story carried by two outlets (different page furniture, a changed
headline, a dropped paragraph) gives hashes a few bits apart; different stories
differ in about half of the 64 bits.  Hashes are returned as signed 64-bit
integers so that they fit an SQLite ``INTEGER``; :func:`bands` splits one into
four 16-bit bands: two hashes within 3 bits share at least one band exactly,
so bands are the keys for candidate lookup.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

BITS = 64
BAND_BITS = 16
SHINGLE = 3  # words per shingle
MIN_LINE_WORDS = 8  # shorter lines are furniture or headings, left out of the hash
MAX_LINE_WEIGHT = 50  # a shingle weighs its line's word count, up to this
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MASK = (1 << BITS) - 1


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded word tokens."""
    if text.isascii():  # nothing to fold: ASCII's case folding is lower-casing
        return _WORD.findall(text.lower())
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def shingles(tokens: list[str], size: int = SHINGLE) -> Counter[str]:
    """Counts of overlapping ``size``-word shingles (the words themselves for short texts)."""
    if len(tokens) < size:
        return Counter(tokens)
    return Counter(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def _hash64(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")


def to_signed(value: int) -> int:
    """Unsigned 64-bit value as a signed one (SQLite INTEGER range)."""
    value &= _MASK
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def to_unsigned(value: int) -> int:
    return value & _MASK


def simhash_features(features: Iterable[tuple[str, int]]) -> int:
    """SimHash of weighted features, as a signed 64-bit integer: bit ``b`` is set where the features
    with bit ``b`` set in their hash outweigh those without it (integer sums, in one matrix product)."""
    import numpy

    pairs = list(features)
    if not pairs:
        return 0
    hashes = numpy.array([_hash64(feature) for feature, _ in pairs], dtype="<u8")
    weights = numpy.array([weight for _, weight in pairs], dtype=numpy.int64)
    bits = numpy.unpackbits(hashes.view(numpy.uint8).reshape(-1, 8), axis=1, bitorder="little")  # bit b at [:, b]
    totals = 2 * (weights @ bits.astype(numpy.int64)) - int(weights.sum())  # sum of +w where set, -w where not
    value = 0
    for bit in numpy.flatnonzero(totals > 0):
        value |= 1 << int(bit)
    return to_signed(value)


def weighted_shingles(text: str) -> Counter[str]:
    """Shingles of the prose lines of ``text``, each weighted by its line's length in words.

    Buttons, counters, menus and headings are short lines, and comment prompts
    or bios are short sentences; leaving out lines under ``MIN_LINE_WORDS`` words
    and weighting the rest by length keeps two copies of one story close
    whatever page furniture surrounds them.  Text with little prose is hashed whole.
    """
    weights: Counter[str] = Counter()
    prose_words = 0
    for line in text.splitlines():
        tokens = words(line)
        if len(tokens) < MIN_LINE_WORDS or _is_shouting(line):
            continue
        prose_words += len(tokens)
        weight = min(len(tokens), MAX_LINE_WEIGHT)
        for shingle, count in shingles(tokens).items():
            weights[shingle] += count * weight
    if prose_words < 3 * MIN_LINE_WORDS:
        return shingles(words(text))
    return weights


def _is_shouting(line: str) -> bool:
    """An ALL-CAPS line: a teaser headline rather than prose."""
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def simhash(text: str) -> int:
    """64-bit SimHash of ``text`` over 3-word shingles, as a signed integer (0 for empty text)."""
    return simhash_features(weighted_shingles(text).items())


def hamming(a: int, b: int) -> int:
    """Number of differing bits between two 64-bit hashes (signed or unsigned)."""
    return ((a ^ b) & _MASK).bit_count()


def bands(h: int, count: int = BITS // BAND_BITS) -> list[int]:
    """The hash cut into ``count`` bands (low bits first), each an unsigned ``64 // count``-bit value.

    The band's position in the list is its index: store ``(index, value)`` pairs.
    """
    value = to_unsigned(h)
    width = BITS // count
    mask = (1 << width) - 1
    return [(value >> (i * width)) & mask for i in range(count)]


def is_near_duplicate(a: int, b: int, threshold: int = 6) -> bool:
    return hamming(a, b) <= threshold
