"""Events: incidents an article reports as having happened, coded in ACLED's scheme.

For every clause of every sentence (the headline included) the extractor

1. finds the most specific event trigger (cues in ``sitrep/data/event_cues.yaml``);
2. keeps it only when the clause reports a happened incident: not a threat, plan,
   pledge, ability, question or negation, not a generic plural ("attacks in
   several countries") without a casualty figure, not an aggregate over a whole
   country and period;
3. reads the type/sub-type (for attacks, from the kind of target), the
   perpetrator ("claimed by X", "X claimed responsibility", "X announced the
   killing", "a US drone strike"), the target, the location (the most specific
   place of the clause, a nationality adjective as a last resort), the date
   (resolved against the publication date) and the casualties;
4. merges the mentions of one incident (headline and body) into one event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from sitrep.extract.dates import date_in_text, find_dates, resolve_relative
from sitrep.models import PLACE_KINDS, Claim, Entity, Event, Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from sitrep.extract.context import ExtractionContext

SPECIFICITY: dict[str, int] = {"city": 4, "district": 3, "province": 2, "region": 1, "country": 0}
PERPETRATOR_KINDS = ("armed_group", "state", "country", "organization")
_CLAUSE_SPLIT = re.compile(r";|\s[–—-]\s|,?\s+(?:while|whereas|meanwhile|but)\s+", re.I)
_DURATIVE = re.compile(
    r"\b(?:since|for (?:years|months|decades|weeks)|so far this year|over the (?:past|last)|in recent (?:years|months|weeks)"
    r"|every (?:year|month|week)|each (?:year|month))\b",
    re.I,
)
_ANAPHOR = re.compile(
    r"\b(?:the|this|that)\s+(?:\w+\s+)?(?:attack|strike|blast|explosion|bombing|raid|assault|ambush|clash(?:es)?|fighting|incident|shooting)\b",
    re.I,
)
_DOER_VERBS = frozenset(
    {"carry", "launch", "conduct", "stage", "mount", "claim", "perpetrate", "execute", "kill", "wound", "injure", "target", "hit", "strike"}
)
_CROWD = re.compile(r"\b(?:protesters|protestors|demonstrators|rioters|mobs?|crowds?)\b", re.I)
_HYPHEN_MODIFIER = re.compile(r"[-\u2010\u2011](?:based|backed|led|linked|aligned|allied|affiliated|funded|supported|born|owned|run|controlled|held)\b", re.I)
_LIST_GAP = re.compile(r"[\s,]*(?:(?:and|or|in|at|near|the|port|city|town|village|of|capital|district)[\s,]+)*")
_OF_CONTAINER = re.compile(r"\s*(?:[a-z]+\s+)?of\s+(?:the\s+)?$")
_TERRITORY_GAP = re.compile(r"\s*(?:(?:the|a|an|two|three|several|more|key|strategic|militant|military|town|city|village|district|base|bases|camp|of|in|back|control|over|full|area|areas)\s+)*$", re.I)
_MODALITY = re.compile(r"\b(reportedly|allegedly|apparently|believed|suspected|purportedly|unconfirmed)\b", re.I)

# --- casualty phrases -----------------------------------------------------------------

_WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "a dozen": 12, "a hundred": 100, "a single": 1,
}  # fmt: skip
_VAGUE_NUMBERS: dict[str, int] = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}
_QUAL = r"(?:at least|more than|over|nearly|almost|about|around|some|up to|as many as|roughly|approximately)"
_NUM = (
    rf"(?P<q>{_QUAL}\s+)?(?P<n>\d{{1,3}}(?:,\d{{3}})*|{'|'.join(sorted(_WORD_NUMBERS, key=len, reverse=True))}"
    rf"|{'|'.join(_VAGUE_NUMBERS)})(?:\s+of)?"
)
_KILL_WORDS = r"(?:killed|dead|died|slain|shot dead|lost their lives|perished)"
_WOUND_WORDS = r"(?:wounded|injured|hurt)"
_AUX = r"(?:(?:were|was|have been|has been|had been|are|is|being|reportedly|also|later)\s+)*"
_KILLED_PATTERNS = (
    re.compile(rf"\b(?:killing|killed|kills|kill|leaving|left|claimed the lives of)\s+{_NUM}\b(?!\s+(?:\w+\s+)?{_WOUND_WORDS})", re.I),
    re.compile(rf"\b{_NUM}\s+(?:[\w-]+\s+){{0,3}}?{_AUX}{_KILL_WORDS}\b", re.I),
    re.compile(rf"\bdeath toll\s+(?:\w+\s+){{0,4}}?{_NUM}\b", re.I),
)
_WOUNDED_PATTERNS = (
    re.compile(rf"\b(?:wounding|injuring|wounded|injured)\s+{_NUM}\b", re.I),
    re.compile(rf"\b{_NUM}\s+(?:[\w-]+\s+){{0,3}}?{_AUX}{_WOUND_WORDS}\b", re.I),
)
_ANY_KILL = re.compile(r"\b(?:kill(?:ed|ing|s)?|dead|died|death|slain|shot dead|assassinat\w*|behead\w*|massacre\w*)\b", re.I)
_ANY_WOUND = re.compile(r"\b(?:wound(?:ed|ing)|injur(?:ed|ing|ies)|hurt)\b", re.I)


@dataclass(slots=True)
class Casualties:
    killed: int | None = None
    killed_min: bool = False
    wounded: int | None = None


def _number(m: re.Match[str]) -> tuple[int | None, bool]:
    """The value of a matched number phrase and whether it is a lower bound."""
    n = m.group("n").lower()
    q = (m.group("q") or "").strip().lower()
    at_least = q in ("at least", "more than", "over", "as many as")
    if n in _VAGUE_NUMBERS:
        return _VAGUE_NUMBERS[n], True
    if n in _WORD_NUMBERS:
        return _WORD_NUMBERS[n], at_least
    try:
        val = int(n.replace(",", ""))
    except ValueError:
        return None, False
    return (val, at_least) if val < 100000 else (None, False)


def _first_number(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[int | None, bool]:
    for pat in patterns:
        for m in pat.finditer(text):
            if _is_year_or_date(m, text):
                continue
            val, low = _number(m)
            if val is not None:
                return val, low
    return None, False


def _is_year_or_date(m: re.Match[str], text: str) -> bool:
    n = m.group("n")
    return bool(re.fullmatch(r"(?:19|20)\d\d", n)) or bool(re.match(r"\s*(?:%|per ?cent)", text[m.end("n") :]))


_NUM_PLAIN = rf"(?:{_QUAL}\s+)?(?:\d{{1,3}}(?:,\d{{3}})*|{'|'.join(sorted(_WORD_NUMBERS, key=len, reverse=True))})"
_CONJ_KILLED = re.compile(
    rf"\b({_NUM_PLAIN})\s+([\w-]+(?:\s+[\w-]+)?)\s+and\s+({_NUM_PLAIN})\s+[\w-]+(?:\s+[\w-]+)?\s+{_AUX}{_KILL_WORDS}\b",
    re.I,
)


def _plain_value(phrase: str) -> tuple[int | None, bool]:
    m = re.fullmatch(rf"(?P<q>{_QUAL}\s+)?(?P<n>.+)", phrase.strip(), re.I)
    return _number(m) if m else (None, False)


def _conjoined_killed(text: str) -> tuple[int | None, bool]:
    """"49 civilians and 15 soldiers were killed" -> 64."""
    m = _CONJ_KILLED.search(text)
    if not m:
        return None, False
    (a, amin), (b, bmin) = _plain_value(m.group(1)), _plain_value(m.group(3))
    if a is None or b is None:
        return None, False
    return a + b, amin or bmin


def casualties(text: str, span: Span | None = None) -> Casualties:
    """Killed and wounded counts stated in a clause ("killing six", "at least one person has died").

    Without a figure, one named or singular victim of a killing verb counts as 1
    (needs the parsed ``span``); a clause that reports only injuries gives
    ``killed=0``.
    """
    killed, kmin = _conjoined_killed(text)
    if killed is None:
        killed, kmin = _first_number(_KILLED_PATTERNS, text)
    wounded, _ = _first_number(_WOUNDED_PATTERNS, text)
    if killed is None and span is not None:
        killed = _single_victim(span, r"^(?:kill|killing|assassinate|assassination|behead|execute|murder|slay|shoot)$", text)
    if wounded is None and span is not None:
        wounded = _single_victim(span, r"^(?:wound|injure|hurt)$", text)
    if killed is None and wounded is not None and not _ANY_KILL.search(text):
        killed = 0
    return Casualties(killed, kmin if killed else False, wounded)


def _single_victim(span: Span, lemma_re: str, text: str) -> int | None:
    """1 when a killing (wounding) verb or noun has one singular victim, else None."""
    for tok in span:
        if not re.match(lemma_re, tok.lemma_.lower()):
            continue
        if tok.lemma_.lower() == "shoot" and "dead" not in text.lower():
            continue
        victims = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
        if tok.tag_ in ("VBG", "NN") or tok.dep_ in ("pobj", "dobj", "nsubj"):
            # "the killing of a district official"
            victims += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
        for v in victims:
            if _is_single(v):
                return 1
    return None


def _is_single(tok: Token) -> bool:
    if tok.pos_ == "PRON" and tok.lower_ in ("he", "she", "him", "her"):
        return True
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.dep_ == "appos" and c.pos_ == "PROPN" and c.tag_ == "NNP" for c in tok.children):
        return True  # "the deputy head of the council, <Name>,"
    if "Plur" in tok.morph.get("Number") or tok.tag_ in ("NNS", "NNPS"):
        return False
    if any(c.dep_ == "nummod" and c.lower_ not in ("one", "1") for c in tok.children):
        return False
    return not any(c.lower_ in ("several", "many", "some", "dozens", "hundreds") for c in tok.subtree)


# --- cues -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: re.Pattern[str]
    type: str
    sub_type: str | None
    cls: str
    priority: int
    plural_ok: bool


@dataclass(frozen=True, slots=True)
class Cues:
    triggers: tuple[Trigger, ...]
    civilian: re.Pattern[str]
    military: re.Pattern[str]
    protest_violence: re.Pattern[str]
    protest_intervention: re.Pattern[str]
    protest_force: re.Pattern[str]
    aggregate: re.Pattern[str]
    hypothetical_lemmas: frozenset[str]
    hypothetical_nouns: frozenset[str]
    modal_words: frozenset[str]
    negation_words: frozenset[str]
    locative_preps: frozenset[str]
    origin_preps: frozenset[str]
    demonyms: dict[str, tuple[str, str]]


def _word_re(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.I)


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read ``sitrep/data/event_cues.yaml`` once."""
    raw: dict[str, Any] = yaml.safe_load(resources.files("sitrep.data").joinpath("event_cues.yaml").read_text("utf-8"))
    triggers = tuple(
        Trigger(
            _word_re(t["pattern"]), t["type"], t.get("sub_type"), t.get("class", "fixed"), int(t.get("priority", 1)),
            bool(t.get("plural_ok", False)),
        )
        for t in raw["triggers"]
    )  # fmt: skip
    return Cues(
        triggers=triggers,
        civilian=_word_re(raw["civilian"]),
        military=_word_re(raw["military"]),
        protest_violence=_word_re(raw["protest_violence"]),
        protest_intervention=_word_re(raw["protest_intervention"]),
        protest_force=_word_re(raw["protest_force"]),
        aggregate=_word_re(raw["aggregate"]),
        hypothetical_lemmas=frozenset(raw["hypothetical_lemmas"]),
        hypothetical_nouns=frozenset(raw["hypothetical_nouns"]),
        modal_words=frozenset(str(w) for w in raw["modal_words"]),
        negation_words=frozenset(str(w) for w in raw["negation_words"]),
        locative_preps=frozenset(raw["locative_preps"]),
        origin_preps=frozenset(raw["origin_preps"]),
        demonyms={k.lower(): (v[0], v[1]) for k, v in raw["demonyms"].items()},
    )


# --- clauses ----------------------------------------------------------------------------


@dataclass(slots=True)
class Clause:
    """A piece of a sentence that may report one incident."""

    start: int
    end: int
    sent: Span
    headline: bool
    line_start: int = -1  # the sentence's part on this line (a headline may share a spaCy sentence)
    line_end: int = -1

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


def _clauses(ctx: ExtractionContext) -> list[Clause]:
    """Sentences split at line breaks and clause separators; the first non-empty line is the headline."""
    text = ctx.document.text
    first = re.search(r"\S[^\n]*", text)
    head_span = (first.start(), first.end()) if first else (-1, -1)
    out: list[Clause] = []
    for sent in ctx.sdoc.sents:
        for line in re.finditer(r"[^\n]+", text[sent.start_char : sent.end_char]):
            ls, le = sent.start_char + line.start(), sent.start_char + line.end()
            is_head = ls >= head_span[0] and le <= head_span[1]
            pos = ls
            for sep in _CLAUSE_SPLIT.finditer(text[ls:le]):
                out.append(Clause(pos, ls + sep.start(), sent, is_head, ls, le))
                pos = ls + sep.end()
            out.append(Clause(pos, le, sent, is_head, ls, le))
    return [c for c in out if text[c.start : c.end].strip()]


def _tokens(sent: Span, start: int, end: int) -> list[Token]:
    return [t for t in sent if t.idx >= start and t.idx + len(t.text) <= end]


# --- triggers and factuality ----------------------------------------------------------------


@dataclass(slots=True)
class Hit:
    trigger: Trigger
    start: int
    end: int
    text: str
    head: Token | None


def _find_trigger(clause: Clause, doc_text: str, cues: Cues) -> list[Hit]:
    """Trigger matches of a clause, most specific first."""
    text = clause.text(doc_text)
    hits: list[Hit] = []
    for trig in cues.triggers:
        for m in trig.pattern.finditer(text):
            s, e = clause.start + m.start(), clause.start + m.end()
            toks = _tokens(clause.sent, s, e)
            head = _span_head(toks)
            hits.append(Hit(trig, s, e, m.group(0), head))
    hits.sort(key=lambda h: (-h.trigger.priority, h.start))
    return hits


def _span_head(toks: list[Token]) -> Token | None:
    if not toks:
        return None
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[-1]


def _is_plural(hit: Hit) -> bool:
    tok = hit.head
    if tok is None:
        return hit.text.lower().endswith("s")
    return tok.tag_ in ("NNS", "NNPS")


def _governing_verb(tok: Token) -> Token | None:
    """The nearest verb at or above a token (an infinitive hands over to the verb it depends on)."""
    cur: Token | None = tok
    seen = 0
    while cur is not None and seen < 12:
        if cur.pos_ in ("VERB", "AUX") and not (cur.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)):
            if cur.tag_ != "VBG" or cur.dep_ in ("ROOT", "conj", "ccomp"):
                return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
        seen += 1
    return None


def _is_past(verb: Token) -> bool:
    if verb.tag_ in ("VBD", "VBN"):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lemma_ == "have" for c in verb.children)


def _is_hypothetical(tok: Token, cues: Cues, bounds: tuple[int, int] | None = None) -> bool:
    """A threat, plan, ability, negation, condition or modal governs the trigger (within the line)."""
    chain = [tok, *(a for a in tok.ancestors if bounds is None or bounds[0] <= a.idx < bounds[1])]
    prev: Token | None = None
    for t in chain:
        low = t.lemma_.lower()
        # "foiled a plot and arrested a cell": a coordinated verb keeps its own meaning
        sibling = prev is not None and prev.dep_ == "conj" and prev.pos_ == "VERB" and t.pos_ == "VERB"
        prev = t
        if t.pos_ in ("NOUN",) and (low in cues.hypothetical_nouns or t.lower_ in cues.hypothetical_nouns) and t is not tok:
            return True
        if t.pos_ in ("VERB", "AUX", "ADJ") and low in cues.hypothetical_lemmas and not sibling:
            return True
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and c.lower_ in cues.modal_words:
                return True
            if c.dep_ == "neg" and c.lower_ in cues.negation_words and t.pos_ in ("VERB", "AUX"):
                return True
            if c.dep_ == "mark" and c.lower_ in ("if", "whether", "unless"):
                return True
        if t.dep_ in ("ROOT",):
            break
    return False


def _is_factual(hit: Hit, clause: Clause, doc_text: str, cues: Cues) -> bool:
    """Does the clause report the triggered incident as having happened?"""
    text = clause.text(doc_text)
    sent_text = doc_text[clause.line_start : clause.line_end].rstrip()
    if sent_text.endswith("?"):
        return False
    tok = hit.head
    if tok is None:
        return clause.headline
    if _is_hypothetical(tok, cues, (clause.line_start, clause.line_end)):
        return False
    if clause.headline:
        return True
    if tok.tag_ in ("VBD", "VBN") and tok.dep_ not in ("amod",):
        return True
    if any(c.tag_ in ("VBD", "VBN") and c.dep_ in ("acl", "relcl") for c in tok.children):
        return True
    verb = _governing_verb(tok)
    if verb is not None and not clause.line_start <= verb.idx < clause.line_end:
        verb = None  # the parse ran across a line break (a headline glued to the first sentence)
    if verb is not None:
        return _is_past(verb) or (verb.lemma_ in ("claim", "say", "report", "confirm") and bool(_ANY_KILL.search(text)))
    return bool(_first_number(_KILLED_PATTERNS, text)[0])


# --- places --------------------------------------------------------------------------------


@dataclass(slots=True)
class PlaceCand:
    key: str
    kind: str
    start: int
    end: int
    text: str
    locative: bool = False
    origin: bool = False
    demonym: bool = False
    actor_modifier: bool = False  # "Somalia's army", "the group's Sahel affiliate"


def _place_kind(ctx: ExtractionContext, m: Mention) -> str | None:
    ent = ctx.entity(m.entity_key)
    kind = ent.kind if ent is not None else m.label
    return kind if kind in PLACE_KINDS else None


def _preposition_of(tok: Token, cues: Cues) -> tuple[bool, bool]:
    """(locative, origin): the preposition that governs a place token, through 'of' and appositions."""
    cur = tok
    for _ in range(5):
        head = cur.head
        if head.i == cur.i:
            break
        if cur.dep_ == "pobj" and head.dep_ in ("prep", "agent"):
            if head.lower_ in cues.locative_preps:
                return True, False
            if head.lower_ == "of":
                cur = head.head
                continue
            if head.lower_ in cues.origin_preps:
                return False, True
            return False, False
        if cur.dep_ in ("appos", "compound", "amod", "nmod", "conj", "poss") or head.pos_ in ("NOUN", "PROPN"):
            cur = head
            continue
        break
    return False, False


_ACTOR_NOUNS = frozenset(
    "affiliate branch wing faction government authorities army military forces troops police officials official "
    "leader leaders minister ministry president militants fighters rebels group groups spokesman commander "
    "embassy ambassador delegation envoy regime state television channel media agency".split()
)


def _is_actor_modifier(tok: Token) -> bool:
    """A place that only qualifies an actor ("Somalia's government", "the Afghan television channel")."""
    cur = tok
    while cur.dep_ == "compound" and cur.head.i != cur.i and cur.head.pos_ == "PROPN":
        cur = cur.head
    return cur.dep_ in ("poss", "compound", "amod", "nmod") and cur.head.lemma_.lower() in _ACTOR_NOUNS


def _place_candidates(ctx: ExtractionContext, clause: Clause, cues: Cues) -> list[PlaceCand]:
    """Places named in a clause: entity mentions of place kinds, then nationality adjectives."""
    actors = [m for m in ctx.mentions_in(clause.start, clause.end) if _place_kind(ctx, m) is None]
    cands: list[PlaceCand] = []
    for m in ctx.mentions_in(clause.start, clause.end):
        kind = _place_kind(ctx, m)
        if kind is None or any(a.start <= m.start and m.end <= a.end for a in actors):
            continue
        toks = _tokens(clause.sent, m.start, m.end)
        head = _span_head(toks)
        loc, orig = _preposition_of(head, cues) if head is not None else (False, False)
        mod = head is not None and _is_actor_modifier(head)
        if _HYPHEN_MODIFIER.match(ctx.document.text, m.end):
            loc, mod = False, True  # "a Britain-based monitor", "Turkish-backed factions"
        cands.append(PlaceCand(m.entity_key, kind, m.start, m.end, m.text, loc, orig or mod, actor_modifier=mod))
    if not cands:
        cap = _unnamed_capital(ctx, clause)
        if cap is not None:
            cands.append(cap)
    covered = [(m.start, m.end) for m in ctx.mentions_in(clause.start, clause.end)]
    for tok in _tokens(clause.sent, clause.start, clause.end):
        info = _demonym(ctx, tok.text, cues)
        if info is None or any(s <= tok.idx < e for s, e in covered) or tok.pos_ not in ("ADJ", "PROPN", "NOUN"):
            continue
        key = _country_key(ctx, info[0], info[1])
        loc, orig = _preposition_of(tok, cues)
        mod = _is_actor_modifier(tok)
        cands.append(PlaceCand(key, "country", tok.idx, tok.idx + len(tok.text), tok.text, loc, orig or mod, True, mod))
    return cands


def main_country(ctx: ExtractionContext) -> str | None:
    """ISO2 of the country the article is most about: the most frequent country among its place mentions."""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        ent = ctx.entity(m.entity_key)
        if ent is not None and ent.is_place and ent.country:
            counts[ent.country] = counts.get(ent.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _unnamed_capital(ctx: ExtractionContext, clause: Clause) -> PlaceCand | None:
    """"in the capital" with no name: the capital of the article's main country."""
    m = re.search(r"(?:in|near|outside) the (?:country's |nation's )?capital(?!,? [A-Z])", clause.text(ctx.document.text))
    iso = main_country(ctx) if m else None
    lookup = getattr(ctx.gazetteer, "capital_of", None)
    if iso is None or not callable(lookup):
        return None
    rec = lookup(iso)
    if rec is None:
        return None
    key = str(rec.id)
    ctx.entities.setdefault(
        key, Entity(key=key, name=rec.name, kind=rec.kind, country=rec.country, parent=rec.parent, lat=rec.lat, lon=rec.lon, gazetteer_id=key)
    )
    start = clause.start + m.start()
    return PlaceCand(key, rec.kind, start, clause.start + m.end(), m.group(0), locative=True)


def _demonym(ctx: ExtractionContext, word: str, cues: Cues) -> tuple[str, str] | None:
    """(ISO2, country name) for an adjective of nationality, from the gazetteer else the cue list."""
    if not word[:1].isupper():
        return None
    lookup = getattr(ctx.gazetteer, "country_of_demonym", None)
    if callable(lookup):
        try:
            rec = lookup(word)
        except Exception:  # noqa: BLE001
            rec = None
        if rec is not None and getattr(rec, "country", None):
            return str(rec.country), str(rec.name)
    return cues.demonyms.get(word.lower())


def _country_key(ctx: ExtractionContext, iso2: str, name: str) -> str:
    """Entity key of a country, adding the country to ``ctx.entities`` when the document lacks it."""
    for ent in ctx.entities.values():
        if ent.kind == "country" and (ent.country or "").upper() == iso2:
            return ent.key
    key, lat, lon, gid = f"place:{iso2}", None, None, None
    try:
        from sitrep.resolve.geocode import GeoContext, geocode

        place = geocode(name, GeoContext(kind_hint="country"), gazetteer=ctx.gazetteer)
        if place is not None and place.kind == "country":
            key, lat, lon, gid = place.id, place.lat, place.lon, place.id
    except Exception:  # noqa: BLE001 - geocoding is a bonus here
        pass
    if not key.startswith("place:") and ":" not in key:
        key = f"place:{key}"
    ctx.entities.setdefault(key, Entity(key=key, name=name, kind="country", country=iso2, lat=lat, lon=lon, gazetteer_id=gid))
    return key


def _choose_place(
    cands: list[PlaceCand], exclude: tuple[int, int] | None, trigger_at: int, doc_text: str | None = None
) -> PlaceCand | None:
    """The scene of the clause: a place under 'in/at/near' first, then the most specific, then the nearest."""
    pool = [c for c in cands if not (exclude and c.start >= exclude[0] and c.end <= exclude[1])] or cands
    if not pool:
        return None
    if doc_text is not None and len(pool) > 1:
        # "the Cal Miskaad mountains of the Bari region": Bari only contains the scene
        inner = [c for c in pool if not any(o is not c and o.end <= c.start and c.start - o.end < 40
                                            and _OF_CONTAINER.match(doc_text[o.end : c.start]) for o in pool)]
        pool = inner or pool
    return max(
        pool,
        key=lambda c: (c.locative and not c.origin, not c.origin, not c.demonym, SPECIFICITY.get(c.kind, 0), -abs(c.start - trigger_at)),
    )


# --- actors -------------------------------------------------------------------------------


def _actor_mentions(ctx: ExtractionContext, start: int, end: int) -> list[Mention]:
    out = []
    for m in ctx.mentions_in(start, end):
        ent = ctx.entity(m.entity_key)
        kind = ent.kind if ent is not None else m.label
        if kind in PERPETRATOR_KINDS:
            out.append(m)
    return out


def _mention_at(mentions: list[Mention], tok: Token) -> Mention | None:
    """The actor mention inside a token's phrase (the token's subtree), nearest the token."""
    lo = min(t.idx for t in tok.subtree)
    hi = max(t.idx + len(t.text) for t in tok.subtree)
    inside = [m for m in mentions if m.start >= lo and m.end <= hi]
    if not inside:
        return None
    return min(inside, key=lambda m: abs(m.start - tok.idx))


def _perpetrator(ctx: ExtractionContext, clause: Clause, hit: Hit) -> Mention | None:
    """Who did it: a claim of responsibility, an agent, the subject, or an adjective ("US drone strike")."""
    sent = clause.sent
    actors = _actor_mentions(ctx, clause.line_start, clause.line_end)
    if not actors and hit.head is not None:
        subjects = [c for c in hit.head.children if c.dep_ == "nsubj"] if hit.head.pos_ == "VERB" else []
        return next((m for t in [hit.head, *subjects] if (m := _demonym_perpetrator(ctx, t)) is not None), None)
    in_clause = [m for m in actors if m.start >= clause.start and m.end <= clause.end]
    for tok in _tokens(sent, clause.line_start, clause.line_end):
        if tok.lemma_.lower() in ("claim", "announce") and clause.start <= tok.idx < clause.end:
            agent = [c for c in tok.children if c.dep_ == "agent"]
            subj = [c for c in tok.children if c.dep_ in ("nsubj",)]
            for group in (agent, subj):
                for g in group:
                    m = _mention_at(actors, g)
                    if m is not None:
                        return m
    head = hit.head
    if head is None:
        return None
    for c in head.children:
        if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"):
            m = _mention_at(in_clause, c)
            if m is not None:
                return m
    if head.pos_ == "VERB":
        for c in head.children:
            if c.dep_ == "nsubj":
                m = _mention_at(in_clause, c)
                if m is not None:
                    return m
    verb = _governing_verb(head)
    via_object = head.dep_ == "dobj" and verb is not None and verb.lemma_ in _DOER_VERBS
    via_prep = head.dep_ == "pobj" and head.head.head is verb and verb is not None and verb.lemma_ in _DOER_VERBS
    if verb is not None and (via_object or via_prep):
        for c in verb.children:
            if c.dep_ == "nsubj":
                m = _mention_at(in_clause, c)
                if m is not None:
                    return m
    victims = _victim_tokens(head)
    for c in head.children:
        if c.dep_ in ("compound", "amod", "poss", "nmod") and c not in victims:
            m = _mention_at(in_clause, c)
            if m is not None:
                return m
    left = _left_subject_actor(clause, hit, in_clause)
    if left is not None:
        return left
    subjects = [c for c in head.children if c.dep_ == "nsubj"] if head.pos_ == "VERB" else []
    for tok in [head, *subjects]:
        m = _demonym_perpetrator(ctx, tok)
        if m is not None:
            return m
    return None


def _left_subject_actor(clause: Clause, hit: Hit, actors: list[Mention]) -> Mention | None:
    """An actor right before the trigger with only an active doing verb between ("X fighters kill dozens in attack")."""
    before = [m for m in actors if m.end <= hit.start]
    if not before:
        return None
    m = max(before, key=lambda m: m.end)
    between = _tokens(clause.sent, m.end, hit.start)
    for t in between:
        if t.pos_ == "AUX" or t.lower_ in (",", ";", ":", "by", "that", "which", "who", "when", "after"):
            return None
        if t.pos_ == "VERB" and t.lemma_.lower() not in _DOER_VERBS | {"fire", "open", "stage", "ambush", "storm"}:
            return None
    return m if len(between) <= 6 else None


def _demonym_perpetrator(ctx: ExtractionContext, head: Token) -> Mention | None:
    """A nationality adjective on the trigger ("Russian airstrikes") names the state that struck."""
    cues = load_cues()
    for c in head.children:
        info = _demonym(ctx, c.text, cues)
        if c.dep_ in ("amod", "compound", "nmod") and info is not None:
            key = _country_key(ctx, info[0], info[1])
            return Mention(ctx.document.id, c.idx, c.idx + len(c.text), c.text, "country", key, source_label="cue")
    return None


def _victim_tokens(head: Token) -> set[Token]:
    out: set[Token] = set()
    verb = head if head.pos_ == "VERB" else head.head
    for c in verb.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            out.update(c.subtree)
    return out


def _target(head: Token | None, doc_text: str) -> str | None:
    """The target as written: the object of the attack / killing, or 'on/against X'."""
    if head is None:
        return None
    cands: list[Token] = []
    for c in head.children:
        of_ok = c.lower_ == "of" and head.lemma_.lower() in ("killing", "assassination", "abduction", "kidnapping", "murder")
        if c.dep_ == "prep" and (c.lower_ in ("on", "against", "at", "targeting") or of_ok):
            cands += [g for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
    if head.pos_ == "VERB" and head.lemma_ not in ("fire", "launch"):
        cands += [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
    if not cands and head.head.pos_ == "VERB" and head.dep_ == "pobj":
        verb = head.head.head
        cands += [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
    if not cands:
        return None
    tok = cands[0]
    lo = min(t.idx for t in tok.subtree)
    hi = max(t.idx + len(t.text) for t in tok.subtree)
    text = doc_text[lo:hi]
    return text if len(text) <= 120 else doc_text[tok.idx : tok.idx + len(tok.text)]


# --- typing -------------------------------------------------------------------------------


def _decide_type(hit: Hit, text: str, cues: Cues) -> tuple[str, str | None]:
    """Type and sub-type of a hit, using the targets named in its clause."""
    trig = hit.trigger
    if trig.cls in ("vac", "attack", "bare"):
        civ = bool(cues.civilian.search(text))
        mil = bool(cues.military.search(text))
        if trig.cls == "attack":
            return ("Violence against civilians", "Attack") if civ and not mil else ("Battles", "Armed clash")
        if mil and not civ:
            return "Battles", "Armed clash"
        return trig.type, trig.sub_type
    if trig.cls == "protest":
        if cues.protest_force.search(text):
            return "Protests", "Excessive force against protesters"
        if cues.protest_violence.search(text):
            return "Riots", "Violent demonstration"
        if cues.protest_intervention.search(text):
            return "Protests", "Protest with intervention"
    return trig.type, trig.sub_type


# --- one clause -> candidate event ---------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    event: Event
    bare: bool
    anaphoric: bool
    order: int
    specificity: int = -1
    sources: list[int] = field(default_factory=list)


def _clause_casualties(ctx: ExtractionContext, clause: Clause, siblings: list[Clause], cues: Cues) -> Casualties:
    """Casualties of a clause; when it gives none, those of a trigger-less clause of the same sentence."""
    doc_text = ctx.document.text
    for c in [clause, *siblings]:
        if c is not clause and any(h.trigger.cls != "bare" for h in _find_trigger(c, doc_text, cues)):
            continue
        span = c.sent.char_span(c.start - c.sent.start_char, c.end - c.sent.start_char, alignment_mode="expand")
        cas = casualties(c.text(doc_text), span)
        if cas.killed is not None or cas.wounded is not None:
            return cas
    return Casualties()


def _clause_event(ctx: ExtractionContext, clause: Clause, cues: Cues, order: int, siblings: list[Clause]) -> list[_Cand] | None:
    doc_text = ctx.document.text
    text = clause.text(doc_text)
    hits = _find_trigger(clause, doc_text, cues)
    hits = [h for h in hits if _is_factual(h, clause, doc_text, cues)]
    if not hits:
        return None
    hit = hits[0]
    if _CROWD.search(text):  # "protesters clashed with police": the crowd's event, not a battle
        hit = next((h for h in hits if h.trigger.type in ("Protests", "Riots")), hit)
    cas = _clause_casualties(ctx, clause, siblings, cues)
    if hit.trigger.cls == "bare" and (cas.killed is None or (cas.killed_min and cas.killed >= 24)):
        return None  # a bare "killing hundreds" is a tally, not an incident
    if _DURATIVE.search(text) and not _has_day_date(text):
        return None  # "since 2015", "for years": a tally over a period
    plural_needs_scene = _is_plural(hit) and not hit.trigger.plural_ok and not cas.killed
    etype, sub = _decide_type(hit, text, cues)
    if hit.trigger.cls == "bare" and cues.military.search(text) and not cues.civilian.search(text):
        etype, sub = "Battles", "Armed clash"
    perp = _perpetrator(ctx, clause, hit)
    places = _place_candidates(ctx, clause, cues)
    anaphoric = bool(re.search(rf"\b(?:the|this|that|its|their)\s+(?:\w+\s+)?{re.escape(hit.text)}", text, re.I))
    anaphoric = anaphoric or (hit.trigger.cls == "bare" and bool(_ANAPHOR.search(text)))
    if anaphoric:  # "the attack on the army camp", "the Sahel affiliate": a place naming an actor is no scene
        places = [p for p in places if not p.actor_modifier]
    place = _choose_place(places, (perp.start, perp.end) if perp else None, hit.start, doc_text)
    if hit.trigger.cls == "territory":
        taken = _taken_place(places, hit, doc_text)
        place = taken or place
        etype, sub = "Battles", _territory_sub_type(ctx, perp)
    if plural_needs_scene and not (hit.trigger.cls == "fixed" and not _generic_plural(hit) and place is not None
                                   and place.locative and not place.origin and SPECIFICITY.get(place.kind, 0) >= 3):
        return None  # "bombings" in general; "explosions in <town>" is one incident there
    if place is not None and place.kind == "country" and cues.aggregate.search(text):
        return None
    date_iso, date_text = _event_date(ctx, clause)
    claim = _claim(ctx, clause, hit)
    ev = Event(
        type=etype,
        sub_type=sub,
        claim=claim,
        location_key=place.key if place else None,
        date=date_iso,
        date_text=date_text,
        killed=cas.killed,
        killed_min=cas.killed_min,
        wounded=cas.wounded,
        perpetrator_key=perp.entity_key if perp else None,
        target_text=_target(hit.head, doc_text),
        trigger=hit.text,
    )
    if ev.target_text:
        tm = [m for m in _actor_mentions(ctx, clause.start, clause.end) if m.text in ev.target_text and m is not perp]
        ev.target_key = tm[0].entity_key if tm else None
    spec = SPECIFICITY.get(place.kind, 0) if place else -1
    cand = _Cand(ev, hit.trigger.cls == "bare", anaphoric, order, spec)
    out = [cand]
    for other in _coordinated_scenes(places, place, doc_text):
        out.append(_Cand(replace(ev, location_key=other.key), cand.bare, anaphoric, order, spec))
    return out


def _generic_plural(hit: Hit) -> bool:
    """"the increase in attacks", "a wave of bombings": plurals that a noun counts, not incidents."""
    tok = hit.head
    return tok is not None and tok.dep_ == "pobj" and tok.head.head.pos_ == "NOUN" and tok.head.lower_ != "with"


def _taken_place(places: list[PlaceCand], hit: Hit, doc_text: str) -> PlaceCand | None:
    """The place a capture verb takes: "took control of Adan Yabaal", "captured the town of Marte"."""
    after = [p for p in places if p.start >= hit.end and p.start - hit.end < 60 and not p.demonym]
    for p in sorted(after, key=lambda p: p.start):
        if _TERRITORY_GAP.fullmatch(doc_text[hit.end : p.start]):
            return p
    if re.search(r"\bfell to\b", hit.text, re.I):
        before = [p for p in places if p.end <= hit.start and not p.demonym and not p.origin]
        return max(before, key=lambda p: p.end) if before else None
    return None


def _territory_sub_type(ctx: ExtractionContext, perp: Mention | None) -> str:
    """ACLED's sub-type of a capture: the state's forces regain territory, other groups overtake it."""
    ent = ctx.entity(perp.entity_key) if perp is not None else None
    if ent is not None and (ent.kind in ("state", "country") or ent.kind == "organization" and ent.country):
        return "Government regains territory"
    return "Non-state actor overtakes territory"


def _coordinated_scenes(places: list[PlaceCand], place: PlaceCand | None, doc_text: str) -> list[PlaceCand]:
    """Other towns listed with the scene ("in Sanaa, Hodeidah and Saada"): one incident in each."""
    if place is None or not place.locative or place.origin or SPECIFICITY.get(place.kind, 0) < 3:
        return []
    eligible = sorted(
        (p for p in places if p is place or not (p.demonym or p.origin or not p.locative or SPECIFICITY.get(p.kind, 0) < 3)),
        key=lambda p: p.start,
    )
    groups: list[list[PlaceCand]] = []
    for p in eligible:
        if groups and p.start - groups[-1][-1].end <= 60 and _LIST_GAP.fullmatch(doc_text[groups[-1][-1].end : p.start] + " "):
            groups[-1].append(p)
        else:
            groups.append([p])
    group = next((g for g in groups if any(p is place for p in g)), [])
    if group and re.search(r"\b(?:between|from)\s+(?:the\s+)?(?:\w+\s+){0,3}$", doc_text[max(0, group[0].start - 40) : group[0].start], re.I):
        return []
    out: list[PlaceCand] = []
    seen = {place.key}
    for p in group:
        if p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return out


def _has_day_date(text: str) -> bool:
    """Does the text name a day ("on Monday", "5 March", "yesterday")?"""
    for dm in find_dates(text):
        if not re.match(r"(?:in|since|during|by)\b", dm.text, re.I) and re.search(r"\d|day|night|yesterday|today", dm.text, re.I):
            return True
    return False


def _event_date(ctx: ExtractionContext, clause: Clause) -> tuple[str | None, str | None]:
    """The clause's date phrase (else the sentence's), resolved against the publication date."""
    doc_text = ctx.document.text
    ref = ctx.document.published
    for s, e in ((clause.start, clause.end), (clause.line_start, clause.line_end)):
        mentions = [d for d in find_dates(doc_text[s:e]) if not d.text.lower().startswith("since")]
        for dm in mentions:
            iso, phrase = resolve_relative(dm.text, ref)
            return iso, phrase
    return None, None


def _claim(ctx: ExtractionContext, clause: Clause, hit: Hit) -> Claim:
    sent = clause.sent
    src = ctx.sources.get(sent.start_char)
    text = clause.text(ctx.document.text)
    mod = _MODALITY.search(text)
    denied = re.search(r"\bden(?:y|ied|ies)\b", text, re.I) is not None
    return Claim(
        doc_id=ctx.document.id,
        start=hit.start,
        end=hit.end,
        sent_start=clause.line_start,
        sent_end=clause.line_end,
        snippet=ctx.document.text[clause.line_start : clause.line_end].strip(),
        polarity="denied" if denied and not clause.headline and _denies_event(hit) else "asserted",
        modality=mod.group(1).lower() if mod else None,
        source_key=src.key if src else None,
        source_text=src.text if src else None,
    )


def _denies_event(hit: Hit) -> bool:
    """A deny verb governs the trigger itself ("denied that an airstrike hit the hospital")."""
    tok = hit.head
    return tok is not None and any(a.lemma_ == "deny" for a in tok.ancestors)


# --- merging -------------------------------------------------------------------------------------


def _loc_compatible(ctx: ExtractionContext, a: str | None, b: str | None) -> bool:
    """Same place, or one is the country (or admin parent) of the other.

    A place of unknown country (a guessed town) is taken to lie in the article's main country.
    """
    if a is None or b is None or a == b:
        return True
    ea, eb = ctx.entity(a), ctx.entity(b)
    if ea is None or eb is None:
        return False
    home = main_country(ctx)
    for big, small in ((ea, eb), (eb, ea)):
        if small.parent == big.key:
            return True
        small_country = small.country or (home if small.kind != "country" else None)
        if big.kind == "country" and small_country and big.country and small_country == big.country:
            return True
    return False


def _compatible(ctx: ExtractionContext, a: _Cand, b: _Cand) -> bool:
    ea, eb = a.event, b.event
    if not (a.bare or b.bare) and (ea.type, ea.sub_type) != (eb.type, eb.sub_type):
        return False
    if a.bare or b.bare:
        if ea.location_key is None or eb.location_key is None or not _loc_compatible(ctx, ea.location_key, eb.location_key):
            return False
        same_place = ea.location_key == eb.location_key
        same_toll = ea.killed is not None and ea.killed == eb.killed
        same_doer = ea.perpetrator_key is not None and ea.perpetrator_key == eb.perpetrator_key
        if not (same_place or same_toll or same_doer):
            return False
    elif not _loc_compatible(ctx, ea.location_key, eb.location_key):
        return False
    if ea.perpetrator_key and eb.perpetrator_key and ea.perpetrator_key != eb.perpetrator_key:
        return False
    if ea.killed is not None and eb.killed is not None and ea.killed != eb.killed and not (ea.killed_min or eb.killed_min):
        return False
    return not (ea.date and eb.date and not (ea.date.startswith(eb.date) or eb.date.startswith(ea.date)))


def _merge_into(ctx: ExtractionContext, keep: _Cand, other: _Cand) -> None:
    """Fold ``other`` into ``keep``, keeping the most specific values."""
    k, o = keep.event, other.event
    if keep.bare and not other.bare:
        k.type, k.sub_type, k.trigger, k.claim = o.type, o.sub_type, o.trigger, o.claim
        keep.bare = False
    if other.specificity > keep.specificity and o.location_key:
        k.location_key = o.location_key
        keep.specificity = other.specificity
    if o.killed is not None and (
        k.killed is None
        or (k.killed_min and not o.killed_min)
        or (k.killed_min and o.killed_min and o.killed > k.killed)
    ):
        k.killed, k.killed_min = o.killed, o.killed_min
    k.wounded = k.wounded if k.wounded is not None else o.wounded
    k.perpetrator_key = k.perpetrator_key or o.perpetrator_key
    k.target_key = k.target_key or o.target_key
    k.target_text = k.target_text or o.target_text
    if o.date and (not k.date or len(o.date) > len(k.date)):
        k.date, k.date_text = o.date, o.date_text
    k.date_text = k.date_text or o.date_text


def _merge(ctx: ExtractionContext, cands: list[_Cand]) -> list[_Cand]:
    """One event per incident: typed events first, then bare killings folded in where they fit."""
    ordered = sorted(cands, key=lambda c: (c.bare, c.order))
    out: list[_Cand] = []
    for c in ordered:
        if c.event.location_key is None and c.anaphoric:
            prev = [p for p in out if (c.bare or p.event.type == c.event.type) and p.order < c.order]
            if prev:
                _merge_into(ctx, max(prev, key=lambda p: p.order), c)
                continue
        target = next((p for p in out if _compatible(ctx, p, c)), None)
        if target is not None and c.event.location_key is not None:
            _merge_into(ctx, target, c)
        else:
            out.append(c)
    return out


def _keep(c: _Cand, cues: Cues, doc_text: str) -> bool:
    """Final precision filter: a located event; a bare killing needs a perpetrator or civilian victims."""
    ev = c.event
    if ev.location_key is None:
        return False
    if c.bare:
        snippet = ev.claim.snippet
        armed = cues.civilian.search(snippet) or cues.military.search(snippet)
        return ev.killed is not None and (ev.perpetrator_key is not None or bool(armed))
    return True


# --- entry point ---------------------------------------------------------------------------------


def extract_events(ctx: ExtractionContext) -> list[Event]:
    """Events the document reports as having happened, one per incident."""
    cues = load_cues()
    cands: list[_Cand] = []
    clauses = _clauses(ctx)
    for i, clause in enumerate(clauses):
        siblings = [c for c in clauses if c.sent is clause.sent and c is not clause and c.line_start == clause.line_start]
        try:
            found = _clause_event(ctx, clause, cues, i, siblings)
        except Exception:  # noqa: BLE001 - one odd clause must not lose the document's other events
            found = None
        if found:
            cands.extend(found)
    merged = _merge(ctx, cands)
    return [replace(c.event) for c in sorted(merged, key=lambda c: c.order) if _keep(c, cues, ctx.document.text)]


__all__ = ["Casualties", "casualties", "date_in_text", "extract_events", "load_cues"]
