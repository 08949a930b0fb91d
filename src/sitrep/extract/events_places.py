"""Where an incident happened: the place candidates of a clause and the choice of its scene.

Per-document facts (the article's main country, the entity key of each country) are computed
once in :class:`DocFacts`, so that the work per clause does not grow with the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitrep.extract.events_clauses import Clause, Hit, span_head
from sitrep.extract.events_cues import Cues
from sitrep.models import PLACE_KINDS, Entity, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitrep.extract.context import ExtractionContext
    from sitrep.extract.relations_reader import DocReader

SPECIFICITY: dict[str, int] = {"city": 4, "district": 3, "province": 2, "region": 1, "country": 0}
PERPETRATOR_KINDS = ("armed_group", "state", "country", "organization")
# "<scene> mountains of the <container>", "<scene> in <container>", "<scene>, <container>"
_CONTAINER_GAP = re.compile(r"\s*(?:(?:[a-z]+\s+)?of\s+(?:the\s+)?|,?\s*in\s+(?:the\s+)?|,\s*)$")


def main_country(ctx: ExtractionContext) -> str | None:
    """ISO2 of the country the article is most about: the most frequent country among its place mentions."""
    counts: dict[str, int] = {}
    for m in ctx.mentions:
        ent = ctx.entity(m.entity_key)
        if ent is not None and ent.is_place and ent.country:
            counts[ent.country] = counts.get(ent.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def named_containers(ctx: ExtractionContext) -> dict[str, str]:
    """Places the article itself puts inside a larger one: "<X> area of <Y>", "<X> in <Y>", "<X>, <Y>
    province" (a comma only before a coarser place).  The gazetteer's own parent wins where it knows one
    finer than the country; a country is never recorded (every place knows its country)."""
    text = ctx.document.text
    places = [m for m in sorted(ctx.mentions, key=lambda m: m.start) if _place_kind(ctx, m) is not None]
    out: dict[str, str] = {}
    for a, b in zip(places, places[1:], strict=False):
        if a.entity_key == b.entity_key or not 0 <= b.start - a.end < 40:
            continue
        gap = text[a.end : b.start]
        if "\n" in gap or _CONTAINER_GAP.fullmatch(gap) is None:
            continue
        inner, outer = ctx.entity(a.entity_key), ctx.entity(b.entity_key)
        if inner is None or outer is None or outer.kind == "country" or inner.kind == "country":
            continue
        finer = SPECIFICITY.get(inner.kind, 0) - SPECIFICITY.get(outer.kind, 0)
        if finer < 0 or (finer == 0 and gap.strip() == ","):
            continue
        known = ctx.entity(inner.parent)
        if known is not None and known.kind != "country":
            continue
        if inner.country and outer.country and inner.country.upper() != outer.country.upper():
            continue
        out.setdefault(inner.key, outer.key)
    return out


@dataclass(slots=True)
class DocFacts:
    """What the event extractor knows about the whole document, computed once."""

    ctx: ExtractionContext
    cues: Cues
    home: str | None = None  # ISO2 of the article's main country
    country_keys: dict[str, str] = field(default_factory=dict)  # ISO2 -> entity key
    containers: dict[str, str] = field(default_factory=dict)  # place key -> the place the article puts it in
    _reader: Any = None  # the relation extractors' DocReader, built when first needed

    def reader(self) -> DocReader:
        """The document reader that resolves descriptions and pronouns ("the militants", "its fighters")."""
        if self._reader is None:
            from sitrep.extract.relations_reader import DocReader

            self._reader = DocReader(self.ctx)
        return self._reader

    @classmethod
    def of(cls, ctx: ExtractionContext, cues: Cues) -> DocFacts:
        facts = cls(ctx, cues, main_country(ctx), containers=named_containers(ctx))
        for ent in ctx.entities.values():
            if ent.kind == "country" and ent.country:
                facts.country_keys.setdefault(ent.country.upper(), ent.key)
        return facts

    def entity(self, key: str | None) -> Entity | None:
        return self.ctx.entity(key)

    def country_of(self, key: str | None) -> str | None:
        """ISO2 of a place key (a place of unknown country lies in the article's main country)."""
        ent = self.entity(key)
        if ent is None:
            return None
        if ent.country:
            return ent.country.upper()
        return None if ent.kind == "country" else self.home

    def country_key(self, iso2: str, name: str) -> str:
        """Entity key of a country, adding the country to ``ctx.entities`` when the document lacks it."""
        iso2 = iso2.upper()
        known = self.country_keys.get(iso2)
        if known is not None:
            return known
        key, lat, lon, gid = f"place:{iso2}", None, None, None
        try:
            from sitrep.resolve.geocode import GeoContext, geocode

            place = geocode(name, GeoContext(kind_hint="country"), gazetteer=self.ctx.gazetteer)
            if place is not None and place.kind == "country":
                key, lat, lon, gid = place.id, place.lat, place.lon, place.id
        except Exception:  # noqa: BLE001 - geocoding is a bonus here
            pass
        if ":" not in key:
            key = f"place:{key}"
        self.ctx.entities.setdefault(
            key, Entity(key=key, name=name, kind="country", country=iso2, lat=lat, lon=lon, gazetteer_id=gid))
        self.country_keys[iso2] = key
        return key

    def demonym(self, word: str) -> tuple[str, str] | None:
        """(ISO2, country name) for an adjective of nationality, from the gazetteer else the cue list."""
        if not word[:1].isupper():
            return None
        lookup = getattr(self.ctx.gazetteer, "country_of_demonym", None)
        if callable(lookup):
            try:
                rec = lookup(word)
            except Exception:  # noqa: BLE001
                rec = None
            if rec is not None and getattr(rec, "country", None):
                return str(rec.country), str(rec.name)
        return self.cues.demonyms.get(word.lower())


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
    hyphenated: bool = False  # "a Britain-based monitor", "Turkish-backed factions": never where it happened

    @property
    def specificity(self) -> int:
        return SPECIFICITY.get(self.kind, 0)

    @property
    def is_scene(self) -> bool:
        """Named under a locative preposition and not as an origin or an actor's qualifier."""
        return self.locative and not self.origin


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


def _is_actor_modifier(tok: Token, cues: Cues) -> bool:
    """A place that only qualifies an actor ("Somalia's government", "the Afghan television channel")."""
    cur = tok
    nouns = cues.actor_nouns
    while cur.dep_ == "compound" and cur.head.i != cur.i and cur.head.pos_ == "PROPN" \
            and cur.head.lemma_.lower() not in nouns and cur.head.lower_ not in nouns:
        cur = cur.head
    head = cur.head
    return cur.dep_ in ("poss", "compound", "amod", "nmod") and (head.lemma_.lower() in cues.actor_nouns
                                                              or head.lower_ in cues.actor_nouns)


def place_candidates(facts: DocFacts, clause: Clause) -> list[PlaceCand]:
    """Places named in a clause: entity mentions of place kinds, then nationality adjectives."""
    ctx, cues = facts.ctx, facts.cues
    mentions = ctx.mentions_in(clause.start, clause.end)
    actors = [m for m in mentions if _place_kind(ctx, m) is None]
    cands: list[PlaceCand] = []
    for m in mentions:
        kind = _place_kind(ctx, m)
        if kind is None or any(a.start <= m.start and m.end <= a.end for a in actors):
            continue
        head = span_head(clause.tokens_in(m.start, m.end))
        loc, orig = _preposition_of(head, cues) if head is not None else (False, False)
        mod = head is not None and _is_actor_modifier(head, cues)
        hyphen = cues.hyphen_modifier.match(ctx.document.text, m.end) is not None or (
            head is not None and head.head.lower_ in cues.border_nouns and head.dep_ in ("amod", "compound", "poss"))
        if hyphen:
            loc, mod = False, True  # "a Britain-based monitor", "Turkish-backed factions"
        cands.append(PlaceCand(m.entity_key, kind, m.start, m.end, m.text, loc, orig or mod, actor_modifier=mod,
                               hyphenated=hyphen))
    if not cands:
        cap = _unnamed_capital(facts, clause)
        if cap is not None:
            cands.append(cap)
    covered = [(m.start, m.end) for m in mentions]
    for tok in clause.tokens_in(clause.start, clause.end):
        if tok.pos_ not in ("ADJ", "PROPN", "NOUN") or any(s <= tok.idx < e for s, e in covered):
            continue
        info = facts.demonym(tok.text)
        if info is None:
            continue
        key = facts.country_key(info[0], info[1])
        loc, orig = _preposition_of(tok, cues)
        mod = _is_actor_modifier(tok, cues)
        border = tok.head.lower_ in cues.border_nouns and tok.dep_ in ("amod", "compound", "poss")
        cands.append(PlaceCand(key, "country", tok.idx, tok.idx + len(tok.text), tok.text, loc and not border,
                               orig or mod or border, True, mod or border, hyphenated=border))
    return cands


def _unnamed_capital(facts: DocFacts, clause: Clause) -> PlaceCand | None:
    """"in the capital" with no name: the capital of the article's main country."""
    m = facts.cues.unnamed_capital.search(clause.text(facts.ctx.document.text))
    lookup = getattr(facts.ctx.gazetteer, "capital_of", None)
    if m is None or facts.home is None or not callable(lookup):
        return None
    rec = lookup(facts.home)
    if rec is None:
        return None
    key = str(rec.id)
    facts.ctx.entities.setdefault(
        key, Entity(key=key, name=rec.name, kind=rec.kind, country=rec.country, parent=rec.parent, lat=rec.lat,
                    lon=rec.lon, gazetteer_id=key))
    return PlaceCand(key, rec.kind, clause.start + m.start(), clause.start + m.end(), m.group(0), locative=True)


def refine_place(facts: DocFacts, clause: Clause, place: PlaceCand | None) -> PlaceCand | None:
    """A scene named only by its country (or not at all) takes the next place the paragraph names as a
    scene ("in <province>", "near <town>") when it is more specific and lies in that country."""
    if place is not None and (place.specificity >= 2 or place.kind != "country"):
        return None
    ctx, text = facts.ctx, facts.ctx.document.text
    para_end = text.find("\n", clause.end)
    country = facts.country_of(place.key) if place is not None else facts.home
    if country is None:
        return None
    for m in ctx.mentions_in(clause.end, len(text) if para_end < 0 else para_end):
        kind = _place_kind(ctx, m)
        span = ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if kind is None or span is None:
            continue
        loc, orig = _preposition_of(span.root, facts.cues)
        if not loc or orig or _is_actor_modifier(span.root, facts.cues):
            continue
        if SPECIFICITY.get(kind, 0) < 2 or facts.country_of(m.entity_key) != country:
            return None  # the next scene named is no finer, or elsewhere
        return PlaceCand(m.entity_key, kind, m.start, m.end, m.text, locative=True)
    return None


def home_country(facts: DocFacts) -> PlaceCand | None:
    """The article's main country as a place candidate (not named in the clause)."""
    if facts.home is None:
        return None
    key = facts.country_keys.get(facts.home.upper())
    ent = facts.entity(key)
    return PlaceCand(key, "country", 0, 0, ent.name, locative=True) if key and ent is not None else None


def recent_scene(facts: DocFacts, clause: Clause, finest: int = 3) -> PlaceCand | None:
    """The scene the narrative is at: for an incident whose clause names no place, the latest town or
    district (or any place at least as fine as ``finest``) named as a scene shortly before it (in the
    article's main country)."""
    ctx = facts.ctx
    for m in reversed(ctx.mentions_in(max(0, clause.start - facts.cues.scene_lookback), clause.start)):
        kind = _place_kind(ctx, m)
        if kind is None or SPECIFICITY.get(kind, 0) < finest:
            continue
        ent = ctx.entity(m.entity_key)
        if finest < 3 and (ent is None or not ent.country):
            continue  # a region across borders (a river, "the Sahel") is no scene
        span = ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        loc, orig = _preposition_of(span.root, facts.cues)
        if loc and not orig and facts.country_of(m.entity_key) == facts.home:
            return PlaceCand(m.entity_key, kind, m.start, m.end, m.text, locative=True)
    return None


def _contains_scene(o: PlaceCand, c: PlaceCand, doc_text: str) -> bool:
    """"the X mountains of the Y region", "X in Y", "X, Y": Y (``c``) only contains the scene named before it."""
    if o is c or o.end > c.start or c.start - o.end >= 40:
        return False
    if o.kind == "country" and c.kind != "country":
        return False
    return _CONTAINER_GAP.match(doc_text[o.end : c.start]) is not None


def choose_place(cands: list[PlaceCand], exclude: tuple[int, int] | None, trigger_at: int, doc_text: str) -> PlaceCand | None:
    """The scene of the clause: a place under 'in/at/near' first, then the most specific, then the nearest."""
    pool = [c for c in cands if not (exclude and c.start >= exclude[0] and c.end <= exclude[1])] or cands
    if not pool:
        return None
    if len(pool) > 1:
        inner = [c for c in pool if not any(_contains_scene(o, c, doc_text) for o in pool)]
        pool = inner or pool
    return max(pool, key=lambda c: (c.is_scene, not c.origin, not c.demonym, c.specificity, -abs(c.start - trigger_at)))


def taken_place(facts: DocFacts, places: list[PlaceCand], hit: Hit) -> PlaceCand | None:
    """The place a capture verb takes: "took control of <town>", "captured the town of <town>"."""
    doc_text = facts.ctx.document.text
    after = [p for p in places if p.start >= hit.end and p.start - hit.end < 60 and not p.demonym]
    for p in sorted(after, key=lambda p: p.start):
        if facts.cues.territory_gap.fullmatch(doc_text[hit.end : p.start]):
            return p
    if facts.cues.fell_to.search(hit.text):
        before = [p for p in places if p.end <= hit.start and not p.demonym and not p.origin]
        return max(before, key=lambda p: p.end) if before else None
    return None


def coordinated_scenes(facts: DocFacts, places: list[PlaceCand], place: PlaceCand | None) -> list[PlaceCand]:
    """Other towns listed with the scene ("in A, B and C"): one incident in each."""
    if place is None or not place.is_scene or place.specificity < 3:
        return []
    doc_text = facts.ctx.document.text
    eligible = sorted(
        (p for p in places if p is place or not (p.demonym or not p.is_scene or p.specificity < 3)), key=lambda p: p.start)
    groups: list[list[PlaceCand]] = []
    for p in eligible:
        if groups and p.start - groups[-1][-1].end <= 60 and facts.cues.list_gap.fullmatch(doc_text[groups[-1][-1].end : p.start] + " "):
            groups[-1].append(p)
        else:
            groups.append([p])
    group = next((g for g in groups if any(p is place for p in g)), [])
    conj = facts.cues.list_conjunction
    if not any(conj.search(doc_text[a.end : b.start]) for a, b in zip(group, group[1:], strict=False)):
        return []  # "in A, in B town": without "and"/"or" the second place contains the first, no list
    if group and facts.cues.route_before.search(doc_text[max(0, group[0].start - 40) : group[0].start]):
        return []
    out: list[PlaceCand] = []
    seen = {place.key}
    for p in group:
        if p.key not in seen:
            seen.add(p.key)
            out.append(p)
    return out


__all__ = ["PERPETRATOR_KINDS", "SPECIFICITY", "DocFacts", "PlaceCand", "choose_place", "coordinated_scenes",
           "home_country", "main_country", "place_candidates", "recent_scene", "refine_place", "taken_place"]
