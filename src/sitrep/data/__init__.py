"""Gazetteers as data: known actors, places and the cue-word lexicon.

Files in this package:

* ``actors.yaml``   armed groups, organisations, media and a few well-known people
* ``countries.tsv`` every country: ISO code, centroid, capital, aliases, demonyms
* ``places.tsv``    regions, provinces, districts and cities with coordinates
* ``lexicon.yaml``  cue words (honorifics, armed-group cues, place-kind cues ...)
* ``schema.yaml``   kinds of entities, relation types, polarities, modalities, ACLED event
                    types, quantity kinds (:func:`schema`, see ``sitrep.data.schema``)
* ``language.yaml`` the words every extractor shares: speech verbs, denial and negation words,
                    hedges by modality, number words and qualifiers, months, weekdays
                    (:func:`language`, see ``sitrep.data.language``)

Every file is read through ``sitrep.data.loader``: an unknown key, a missing key or a bad value
stops loading with one line naming the file, the key and the line (:class:`DataFileError`).
:func:`check_data_files` validates them all at once.

Typical use::

    gaz = load_gazetteer()
    gaz.actor("Daesh-K")                        # ActorRecord(id="actor:iskp", ...)
    gaz.place("Kandahar")                       # [city record, province record]
    gaz.place("Kandahar", kind_hint="province") # [province record, city record]
    gaz.country("U.S.")                         # PlaceRecord(id="place:US", ...)
    gaz.country_of_demonym("Afghan")            # PlaceRecord(id="place:AF", ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.data.language import Language, language, load_language
from sitrep.data.loader import (
    DataFileError,
    Node,
    Record,
    data_text,
    list_of,
    nullable,
    one_of,
    read_tsv,
    read_yaml,
    text,
    word_list,
)
from sitrep.data.names import compact
from sitrep.data.schema import RelationSpec, Schema, load_schema, schema, using_schema

ACTOR_FILE = "actors.yaml"
COUNTRY_FILE = "countries.tsv"
PLACE_FILE = "places.tsv"
LEXICON_FILE = "lexicon.yaml"

# Preference among places sharing a name when nothing in the text says which is meant.
KIND_PREFERENCE = ("country", "city", "province", "region", "district")


@dataclass(frozen=True, slots=True)
class ActorRecord:
    """A known actor.  ``id`` doubles as the entity key (``actor:taliban``)."""

    id: str
    name: str
    kind: str  # armed_group | organization | person | state
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()  # matched case-sensitively
    parent: str | None = None  # id of the group this one belongs to
    country: str | None = None  # ISO2 of its home country

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical name, aliases and acronyms."""
        return (self.name, *self.aliases, *self.acronyms)


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """A known place.  ``id`` doubles as the entity key (``place:AF``, ``place:AF-KAB-kabul``)."""

    id: str
    name: str
    kind: str  # country | province | city | district | region
    country: str | None = None  # ISO2
    parent: str | None = None  # id of the administrative parent
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()  # "Afghan": adjectives, not place mentions
    capital_of: str | None = None  # ISO2 of the country this city is the capital of

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Cue-word lists from ``lexicon.yaml`` (see the comments there)."""

    honorifics: tuple[str, ...] = ()
    name_particles: frozenset[str] = frozenset()
    article_prefixes: frozenset[str] = frozenset()
    armed_group_cues: frozenset[str] = frozenset()
    armed_group_prefixes: frozenset[str] = frozenset()
    generic_name_words: frozenset[str] = frozenset()
    organization_cues: frozenset[str] = frozenset()
    government_nouns: frozenset[str] = frozenset()
    state_force_heads: frozenset[str] = frozenset()
    place_kind_cues: dict[str, frozenset[str]] = field(default_factory=dict)
    generic_place_words: frozenset[str] = frozenset()
    province_of_cues: frozenset[str] = frozenset()
    non_place_followers: frozenset[str] = frozenset()
    non_entities: frozenset[str] = frozenset()
    non_person_words: frozenset[str] = frozenset()
    state_metonymy_verbs: frozenset[str] = frozenset()
    state_metonymy_nouns: frozenset[str] = frozenset()
    locative_prepositions: frozenset[str] = frozenset()

    def place_kind_for_cue(self, word: str) -> str | None:
        """``"province"`` for "province"/"provinces"/"governorate", None for a non-cue."""
        low = word.lower()
        for kind, words in self.place_kind_cues.items():
            if low in words:
                return kind
        return None


class Gazetteer:
    """Lookup over the known actors and places (build with :func:`load_gazetteer`)."""

    def __init__(self, actors: list[ActorRecord], places: list[PlaceRecord], lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.actors: dict[str, ActorRecord] = {a.id: a for a in actors}
        self.places: dict[str, PlaceRecord] = {p.id: p for p in places}
        self._acronyms: dict[str, str] = {}
        self._actor_names: dict[str, str] = {}
        for actor in actors:
            for acro in actor.acronyms:
                self._acronyms.setdefault(acro, actor.id)
            for name in (actor.name, *actor.aliases):
                self._actor_names.setdefault(compact(name), actor.id)
        self._place_names: dict[str, list[str]] = {}
        self._demonyms: dict[str, str] = {}
        self._capitals: dict[str, str] = {}
        for place in places:
            for name in place.names:
                ids = self._place_names.setdefault(compact(name), [])
                if place.id not in ids:
                    ids.append(place.id)
            for dem in place.demonyms:
                self._demonyms.setdefault(compact(dem), place.id)
            if place.capital_of:
                self._capitals[place.capital_of] = place.id

    # --- actors ---------------------------------------------------------------

    def actor(self, name: str) -> ActorRecord | None:
        """The known actor a name, alias or acronym stands for (acronyms are case-sensitive)."""
        text = name.strip()
        if text in self._acronyms:
            return self.actors[self._acronyms[text]]
        if text.isupper() and len(text.replace(".", "")) <= 6:
            return None  # an unknown acronym must not match a lower-case alias
        actor_id = self._actor_names.get(compact(text))
        return self.actors[actor_id] if actor_id else None

    def actor_by_id(self, actor_id: str) -> ActorRecord | None:
        return self.actors.get(actor_id)

    def all_actor_aliases(self) -> dict[str, str]:
        """Every surface form (name, alias, acronym) -> actor id."""
        out: dict[str, str] = {}
        for actor in self.actors.values():
            for name in actor.names:
                out.setdefault(name, actor.id)
        return out

    # --- places ---------------------------------------------------------------

    def place(self, name: str, country_hint: str | None = None, kind_hint: str | None = None) -> list[PlaceRecord]:
        """Places called ``name``, best first (several when the name is ambiguous).

        Ordering: the ``kind_hint`` kind first, then places in ``country_hint``,
        then :data:`KIND_PREFERENCE` (a bare "Kandahar" is the city).
        """
        ids = self._place_names.get(compact(name), [])
        records = [self.places[i] for i in ids]

        def rank(rec: PlaceRecord) -> tuple[int, int, int]:
            return (
                0 if kind_hint and rec.kind == kind_hint else 1,
                0 if country_hint and rec.country == country_hint else 1,
                KIND_PREFERENCE.index(rec.kind) if rec.kind in KIND_PREFERENCE else 9,
            )

        return sorted(records, key=rank)

    def place_by_id(self, place_id: str) -> PlaceRecord | None:
        return self.places.get(place_id)

    def country(self, name_or_code: str) -> PlaceRecord | None:
        """A country by ISO2 code, name or alias ("US", "U.S.", "Russian Federation")."""
        text = name_or_code.strip()
        by_code = self.places.get(f"place:{text.upper()}") if len(text) == 2 else None
        if by_code is not None and by_code.kind == "country":
            return by_code
        for rec in self.place(text):
            if rec.kind == "country":
                return rec
        return None

    def country_of_demonym(self, word: str) -> PlaceRecord | None:
        """The country an adjective of nationality refers to ("Afghan" -> Afghanistan)."""
        place_id = self._demonyms.get(compact(word))
        return self.places[place_id] if place_id else None

    def capital_of(self, iso2: str) -> PlaceRecord | None:
        place_id = self._capitals.get(iso2)
        return self.places[place_id] if place_id else None

    def all_place_names(self) -> dict[str, list[str]]:
        """Every surface form -> ids of the places it can name."""
        out: dict[str, list[str]] = {}
        for place in self.places.values():
            for name in place.names:
                out.setdefault(name, []).append(place.id)
        return out

    def all_demonyms(self) -> dict[str, str]:
        """Every adjective of nationality -> country id."""
        return {dem: p.id for p in self.places.values() for dem in p.demonyms}


# --- loading -----------------------------------------------------------------------


def _read_text(filename: str) -> str:
    return data_text(filename)[0]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split("|") if x.strip())


def _float(cell: str) -> float | None:
    try:
        return float(cell)
    except ValueError:
        return None


def _coordinate(file: str, line: int, cell: str, limit: float) -> float | None:
    if not cell:
        return None
    value = _float(cell)
    if value is None or not -limit <= value <= limit:
        raise DataFileError(f"{file}:{line}: bad coordinate {cell!r}")
    return value


def _tuple(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(str(v) for v in value)


def _actor_spec() -> Record:
    return Record(
        required={"id": text, "name": text, "kind": one_of(schema().actor_kinds)},
        optional={"aliases": nullable(word_list), "acronyms": nullable(word_list), "parent": nullable(text),
                  "country": nullable(text)},
    )


def load_actors(directory: Path | None = None, known: frozenset[str] = frozenset()) -> list[ActorRecord]:
    """The known actors of ``actors.yaml`` (validated: unknown keys, bad kinds, duplicate ids).

    ``directory`` reads the file from another folder (default: the package's own); ``known``: ids
    a ``parent`` may name besides the file's own (a user gazetteer's parents may be built-in actors).
    """
    root = read_yaml(ACTOR_FILE, directory)
    items = list_of(lambda n: n)(root) if root.value is not None else []
    spec = _actor_spec()
    out: list[ActorRecord] = []
    seen: set[str] = set()
    for node in items:
        item = spec(node)
        if item["id"] in seen:
            raise node.value["id"].fail(f"duplicate actor id {item['id']!r}")
        seen.add(item["id"])
        out.append(ActorRecord(
            id=item["id"], name=str(item["name"]), kind=item["kind"], aliases=_tuple(item.get("aliases")),
            acronyms=_tuple(item.get("acronyms")), parent=item.get("parent"), country=item.get("country"),
        ))
    for node, actor in zip(items, out, strict=True):
        if actor.parent is not None and actor.parent not in seen and actor.parent not in known:
            raise node.value["parent"].fail(f"unknown parent {actor.parent!r}")
    return out


def read_place_rows(directory: Path | None = None, file: str = PLACE_FILE) -> list[PlaceRecord]:
    """The records of ``places.tsv`` (in ``directory``, named ``file`` in messages), validated."""
    place_kinds = schema().place_kinds
    out: list[PlaceRecord] = []
    for line, row in read_tsv(PLACE_FILE, columns=8, directory=directory, min_columns=7):
        if row[1] not in place_kinds:
            raise DataFileError(f"{file}:{line}: bad place kind {row[1]!r} "
                                f"(expected one of: {', '.join(place_kinds)})")
        if not row[0] or not row[2]:
            raise DataFileError(f"{file}:{line}: a place needs an id and a name")
        out.append(PlaceRecord(
            id=row[0], kind=row[1], name=row[2], country=row[3] or None, parent=row[4] or None,
            lat=_coordinate(file, line, row[5], 90), lon=_coordinate(file, line, row[6], 180),
            aliases=_split(row[7]) if len(row) > 7 else (),
        ))
    return out


def load_places(directory: Path | None = None) -> list[PlaceRecord]:
    """Countries (with generated capital cities) followed by the other places."""
    extra = read_place_rows(directory)
    city_by_name = {(compact(p.name), p.country): i for i, p in enumerate(extra) if p.kind == "city"}
    countries: list[PlaceRecord] = []
    capitals: list[PlaceRecord] = []
    for line, row in read_tsv(COUNTRY_FILE, columns=9, directory=directory, min_columns=4):
        row += [""] * (9 - len(row))
        iso, name, lat, lon, capital, cap_lat, cap_lon, aliases, demonyms = row[:9]
        if len(iso) != 2 or not iso.isalpha() or not iso.isupper():
            raise DataFileError(f"{COUNTRY_FILE}:{line}: bad ISO 3166-1 alpha-2 code {iso!r}")
        countries.append(PlaceRecord(
            id=f"place:{iso}", name=name, kind="country", country=iso,
            lat=_coordinate(COUNTRY_FILE, line, lat, 90), lon=_coordinate(COUNTRY_FILE, line, lon, 180),
            aliases=_split(aliases), demonyms=_split(demonyms),
        ))
        if not capital:
            continue
        known = city_by_name.get((compact(capital), iso))
        if known is not None:  # listed in places.tsv with more spellings: mark it the capital
            rec = extra[known]
            extra[known] = PlaceRecord(rec.id, rec.name, rec.kind, rec.country, rec.parent, rec.lat,
                                       rec.lon, rec.aliases, rec.demonyms, capital_of=iso)
        else:
            slug = compact(capital)
            capitals.append(PlaceRecord(
                id=f"place:{iso}-{slug}", name=capital, kind="city", country=iso, parent=f"place:{iso}",
                lat=_coordinate(COUNTRY_FILE, line, cap_lat, 90), lon=_coordinate(COUNTRY_FILE, line, cap_lon, 180),
                capital_of=iso,
            ))
    return countries + capitals + extra


def _fs(value: Any) -> frozenset[str]:
    return frozenset(str(v) for v in (value or ()))


# every field of Lexicon but place_kind_cues is a word list: a new field is a new key of lexicon.yaml
_LEXICON_LISTS = tuple(f.name for f in fields(Lexicon) if f.name != "place_kind_cues")


def _place_kind_cues(node: Node) -> dict[str, frozenset[str]]:
    if not isinstance(node.value, dict):
        raise node.fail("expected a mapping of place kind -> cue words")
    kinds = schema().place_kinds
    out: dict[str, frozenset[str]] = {}
    for kind, words in node.value.items():
        if kind not in kinds:
            raise words.fail(f"bad place kind {kind!r} (expected one of: {', '.join(kinds)})")
        out[kind] = frozenset(word_list(words))
    return out


@lru_cache(maxsize=1)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    """The cue words of ``lexicon.yaml`` (validated: an unknown key stops loading)."""
    root = read_yaml(LEXICON_FILE, directory)
    optional: dict[str, Callable[[Node], Any]] = {key: nullable(word_list) for key in _LEXICON_LISTS}
    optional["place_kind_cues"] = _place_kind_cues
    raw = Record(optional=optional)(root) if root.value is not None else {}
    lists: dict[str, Any] = {
        key: _tuple(raw.get(key)) if key == "honorifics" else _fs(raw.get(key)) for key in _LEXICON_LISTS
    }
    return Lexicon(place_kind_cues=raw.get("place_kind_cues") or {}, **lists)


def core_actors(actors: list[ActorRecord]) -> list[ActorRecord]:
    """The built-in actors an ablation keeps: global bodies (organisations of no country, "United Nations",
    "African Union"); every group, person and national body goes, so the generic recognition is measured."""
    return [a for a in actors if a.kind == "organization" and a.country is None]


@lru_cache(maxsize=4)
def load_gazetteer(user_dir: str | None = None, core_only: bool = False) -> Gazetteer:
    """The gazetteer built from the package data files (cached per process), with the team's own
    ``actors.yaml`` / ``places.tsv`` in ``user_dir`` merged over them (the ``gazetteer`` setting,
    ``--gazetteer DIR``; see :mod:`sitrep.data.user_gazetteer`)."""
    builtin = core_actors(load_actors()) if core_only else load_actors()
    if user_dir:
        from sitrep.data.user_gazetteer import merged

        actors, places = merged(builtin, load_places(), Path(user_dir))
        return Gazetteer(actors, places, load_lexicon())
    return Gazetteer(builtin, load_places(), load_lexicon())


def check_data_files() -> list[str]:
    """Load and validate every data file of the package; the names of the files checked.

    Raises :class:`DataFileError` (file, key, line) on the first problem.
    """
    load_schema()
    language()
    load_actors()
    load_places()
    load_lexicon.cache_clear()
    load_lexicon()
    return [SCHEMA_FILE, LANGUAGE_FILE, ACTOR_FILE, COUNTRY_FILE, PLACE_FILE, LEXICON_FILE]


SCHEMA_FILE = "schema.yaml"
LANGUAGE_FILE = "language.yaml"

__all__ = [
    "ActorRecord",
    "DataFileError",
    "Language",
    "RelationSpec",
    "Schema",
    "check_data_files",
    "language",
    "load_language",
    "load_schema",
    "read_yaml",
    "schema",
    "using_schema",
    "Gazetteer",
    "Lexicon",
    "PlaceRecord",
    "load_actors",
    "load_gazetteer",
    "load_lexicon",
    "load_places",
]
