"""The shared working state of entity extraction over one document, and the token tests every pass uses.

Entity extraction (``sitrep.extract.entities``) runs passes over one :class:`EntityState`:
each pass is a function in an ``entities_*`` module that reads the parse and the mentions found
so far (:class:`Found`) and adds or rewrites mentions.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.extract.entities_words import EntityWords, load_entity_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from sitrep.config import Settings
    from sitrep.data import ActorRecord, Gazetteer, Lexicon, PlaceRecord

MAX_HEADLINE = 300  # longer lines are prose, never headlines
PARTICLE_JOINED = re.compile(r"^[a-z]{1,3}-[A-Z][a-z]")  # "al-Sunna" left as one token
_COUNTER = re.compile(r"(?:^|\s)\d[\d.,]*[KkMm](?:\s|$)")  # page counters ("Views 2K")


@dataclass
class Found:
    """One resolved mention before it is written to the context."""

    start: int
    end: int
    text: str
    kind: str
    key: str
    source: str
    name: str  # canonical name for a new entity
    record: ActorRecord | PlaceRecord | None = None
    guessed: bool = False
    country: str | None = None
    alias: bool = True  # add the surface to the entity's aliases
    extra_aliases: list[str] = field(default_factory=list)
    label: str = ""  # spaCy label it came from
    lat: float | None = None  # coordinates of a guessed place found in the world gazetteer
    lon: float | None = None


@dataclass
class EntityState:
    """What the passes share for one document: the parse, the gazetteer, the lexicons and caches."""

    doc: Doc
    gaz: Gazetteer
    settings: Settings
    text: str = ""
    lex: Lexicon = field(init=False)
    words: EntityWords = field(init=False)
    ents: list[Span] = field(default_factory=list)
    doc_country: str | None = None
    doc_countries: frozenset[str] = frozenset()  # every country the article names or implies
    place_countries: frozenset[str] = frozenset()  # countries of the places and demonyms only
    newlines: list[int] = field(default_factory=list)
    shouting: dict[int, bool] = field(default_factory=dict)
    mask: bytearray | None = None
    mask_size: int = -1
    extras: list[Found] = field(default_factory=list)  # organisations found beside a place
    common_nouns: frozenset[str] = frozenset()  # lower-cased, from the word file
    weapons: frozenset[str] = frozenset()
    armies: dict[str, ActorRecord] | None = None  # country -> gazetteer record of its military (lazy)
    title_lines: dict[int, tuple[int, bool]] = field(default_factory=dict)  # line start -> (end, title case)

    def __post_init__(self) -> None:
        self.text = self.doc.text
        self.lex = self.gaz.lexicon
        self.words = load_entity_words()
        self.ents = list(self.doc.ents)
        self.doc_country = main_country(self.ents)
        self.doc_countries = article_countries(self.gaz, self.ents)
        self.place_countries = article_countries(self.gaz, self.ents, actors=False)
        self.newlines = [i for i, ch in enumerate(self.text) if ch == "\n"]
        self.common_nouns = frozenset(w.lower() for w in self.words.common_nouns)
        self.weapons = frozenset(w.lower() for w in self.words.weapon_terms)


def article_countries(gaz: Gazetteer, ents: list[Span], actors: bool = True) -> frozenset[str]:
    """Countries of the places (and known actors) the ruler found, and of nationality adjectives."""
    out: set[str] = set()
    for ent in ents:
        country: str | None = None
        if ent.id_.startswith("place:"):
            rec = gaz.place_by_id(ent.id_)
            country = rec.country if rec is not None else None
        elif actors and ent.id_.startswith("actor:"):
            actor = gaz.actor_by_id(ent.id_)
            country = actor.country if actor is not None else None
        elif ent.label_ == "NORP" and len(ent) == 1:
            demonym = gaz.country_of_demonym(ent.text)
            country = demonym.country if demonym is not None else None
        if country:
            out.add(country)
    return frozenset(out)


def main_country(ents: list[Span]) -> str | None:
    """The country the ruler tagged most often (the article's main country)."""
    counts: Counter[str] = Counter()
    for ent in ents:
        if ent.id_.startswith("place:") and len(ent.id_) == 8:
            counts[ent.id_[6:]] += 1
    return counts.most_common(1)[0][0] if counts else None


def distinctive(st: EntityState, tok: Token) -> bool:
    """A capitalised word that can make a name on its own (not "National", "Afghan", "Forces")."""
    text = tok.text
    if tok.is_punct or not text[:1].isupper() or text in st.lex.generic_name_words or tok.like_num:
        return False
    if text in st.lex.armed_group_cues or text in st.lex.non_entities:
        return False
    return st.gaz.country_of_demonym(text) is None and st.gaz.country(text) is None


_APOSTROPHE_NAME = re.compile(r"[A-Z][a-z]+['\u2019][a-z]+")  # "Tali'a", one token


def name_word(st: EntityState, tok: Token) -> bool:
    if tok.is_title and tok.is_alpha and tok.lower_ not in st.words.determiners:
        return True
    if _APOSTROPHE_NAME.fullmatch(tok.text):
        return True
    if PARTICLE_JOINED.match(tok.text):  # "al-Sunna" left as one token
        return True
    return tok.lower_ in st.lex.name_particles or tok.text in {"-", "'"}


def append(st: EntityState, found: list[Found], item: Found) -> None:
    """Add a mention found late, keeping the coverage mask current."""
    found.append(item)
    if st.mask is not None and st.mask_size == len(found) - 1:
        st.mask[item.start : item.end] = b"\x01" * (item.end - item.start)
        st.mask_size = len(found)


def overlaps(st: EntityState, found: list[Found], start: int, end: int) -> bool:
    """Whether a character range touches a found mention (a coverage mask, rebuilt when found grows)."""
    mask = st.mask
    if mask is None or st.mask_size != len(found):
        mask = bytearray(len(st.text) + 1)
        for f in found:
            mask[f.start : f.end] = b"\x01" * (f.end - f.start)
        st.mask, st.mask_size = mask, len(found)
    return any(mask[start:end])


def trim(st: EntityState, ent: Span) -> Span | None:
    start, end = ent.start, ent.end
    doc = st.doc
    while start < end and (doc[start].lower_ in st.words.determiners or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in st.words.possessive_marks or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    opened = next((k for k in range(start, end) if doc[k].text == "("), None)
    if opened is not None and not any(doc[k].text == ")" for k in range(opened, end)):
        end = opened  # "the Kessel Front (KF": the acronym in brackets is its own mention
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if start >= end:
            return None
    span = doc[start:end]
    if "\n" in span.text or span[-1].lower_ in st.words.dangling_words:
        return None  # across lines, or cut short ("the Sons of")
    return span


def junk(st: EntityState, text: str) -> bool:
    stripped = text.strip()
    if not stripped or len(stripped) < 2 or stripped.lower() in st.words.pronouns:
        return True
    if stripped in st.lex.non_entities or stripped.rstrip(".") in st.lex.honorifics:
        return True
    if not any(ch.isalpha() for ch in stripped) or _COUNTER.search(stripped):
        return True  # numbers and page counters ("Views 2K")
    words = stripped.split()
    if len(words) == 1 and stripped.islower():
        return True
    if not any(_is_latin(ch) for ch in stripped):
        return True  # a name in another script is page furniture of an English article
    if is_common_or_weapon(st, stripped):
        return True
    if all(w in st.lex.non_entities or w.lower() in st.words.determiners for w in words):
        return True
    return all(w.rstrip(".") in st.lex.honorifics for w in words)


def is_common_or_weapon(st: EntityState, text: str) -> bool:
    """A religious or common noun ("Mujahideen") or a weapon or device ("VBIED", "roadside bomb")."""
    low = " ".join(text.lower().split())
    return low in st.common_nouns or low in st.weapons or low.rstrip("s") in st.weapons


def _is_latin(ch: str) -> bool:
    return ch.isalpha() and ("LATIN" in unicodedata.name(ch, "") or ch.isascii())


def has_cue(st: EntityState, span: Span, cues: frozenset[str]) -> bool:
    return any(t.text in cues for t in span)


def before_known(st: EntityState, span: Span) -> bool:
    nxt = next_token(st, span)
    return nxt is not None and bool(nxt.ent_id_) and nxt.idx == span.end_char + 1


def next_token(st: EntityState, span: Span) -> Token | None:
    return st.doc[span.end] if span.end < len(st.doc) else None


def in_shouting_line(st: EntityState, ent: Span) -> bool:
    """All-capitals lines (teaser headlines, section heads) yield only trusted names."""
    i = bisect_right(st.newlines, ent.start_char)
    lo = st.newlines[i - 1] + 1 if i else 0
    cached = st.shouting.get(lo)
    if cached is None:
        j = bisect_right(st.newlines, ent.end_char - 1)
        hi = st.newlines[j] if j < len(st.newlines) else len(st.text)
        line = st.text[lo:hi]
        cached = st.shouting[lo] = is_shouting(line)
    return cached


def in_byline(st: EntityState, span: Span) -> bool:
    """A short byline line: "By Jane Roe in Kessel", "March 3, 2024 — Jane Roe, Kessel"."""
    i = bisect_right(st.newlines, span.start_char)
    lo = st.newlines[i - 1] + 1 if i else 0
    hi = st.newlines[i] if i < len(st.newlines) else len(st.text)
    line = st.text[lo:hi].strip()
    return len(line.split()) <= 14 and bool(st.words.byline_line.match(line))


def trusted_in_shouting(ent: Span) -> bool:
    return bool(ent.id_) and len(ent.text) > 3


def copy_identity(item: Found, anchor: Found, source: str) -> None:
    item.kind, item.key, item.name, item.record = anchor.kind, anchor.key, anchor.name, anchor.record
    item.guessed, item.country, item.source = anchor.guessed, anchor.country, source


def is_shouting(line: str) -> bool:
    """True for a short line written mostly in capitals."""
    if len(line) > MAX_HEADLINE:
        return False
    letters = [ch for ch in line if ch.isalpha()]
    if len(letters) < 12:
        return False
    return sum(ch.isupper() for ch in letters) / len(letters) > 0.7


def line_at(st: EntityState, char: int) -> tuple[int, int]:
    """(start, end) of the text line holding a character offset."""
    i = bisect_right(st.newlines, char)
    lo = st.newlines[i - 1] + 1 if i else 0
    hi = st.newlines[i] if i < len(st.newlines) else len(st.text)
    return lo, hi


def in_title_case_line(st: EntityState, char: int) -> bool:
    """Whether the line holding ``char`` is written in headline style: its content words capitalised."""
    lo, hi = line_at(st, char)
    cached = st.title_lines.get(lo)
    if cached is None:
        cached = st.title_lines[lo] = (hi, is_title_case(st.text[lo:hi], st.words.minor_words))
    return cached[1]


_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def is_title_case(line: str, minor: frozenset[str]) -> bool:
    """A headline or a menu: three to twenty content words, at least four in five of them capitalised,
    and no full stop at the end (a sentence listing names is prose)."""
    line = line.strip()
    if len(line) > MAX_HEADLINE or line.endswith("."):
        return False
    words = [w for w in _WORD.findall(line) if w.lower() not in minor]
    if not 3 <= len(words) <= 20:
        return False
    return sum(w[0].isupper() for w in words) >= 0.8 * len(words)
