"""A team's own gazetteer (``--gazetteer DIR``, ``gazetteer:`` in a config file), merged over the package's.

The folder holds ``actors.yaml`` and/or ``places.tsv`` in exactly the format of the files in
``src/sitrep/data/`` and is validated the same way: an unknown key, a bad kind, a duplicate id, a
parent that neither file knows, a bad coordinate or a wrong number of columns stops loading with
one line naming the file (its path), the line and the key (:class:`~sitrep.data.loader.DataFileError`).

Merging: a record whose id is new is added; a record with a built-in id replaces that record's
name, kind, parent, country (and, for a place, coordinates), and its aliases and acronyms are added
to the built-in ones, so a team can give a known group the spellings its own reporting uses.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sitrep.data import ACTOR_FILE, PLACE_FILE, ActorRecord, PlaceRecord, load_actors, read_place_rows
from sitrep.data.loader import DataFileError

USER_FILES = (ACTOR_FILE, PLACE_FILE)
_DATA_SUFFIXES = (".yaml", ".yml", ".tsv")


def _union(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*first, *second)))


def check_folder(directory: Path) -> list[str]:
    """The gazetteer files present in ``directory``; a folder that is missing, holds neither file or
    holds another data file (a misspelt ``actor.yaml``) is an error."""
    if not directory.is_dir():
        raise DataFileError(f"{directory}: the gazetteer folder does not exist or is not a folder")
    present = [name for name in USER_FILES if (directory / name).is_file()]
    strays = sorted(p.name for p in directory.iterdir()
                    if p.suffix.lower() in _DATA_SUFFIXES and p.name not in USER_FILES and not p.name.startswith("."))
    if strays:
        raise DataFileError(f"{directory / strays[0]}: unknown gazetteer file (expected {' or '.join(USER_FILES)})")
    if not present:
        raise DataFileError(f"{directory}: no {' or '.join(USER_FILES)} in the gazetteer folder")
    return present


def merged(actors: list[ActorRecord], places: list[PlaceRecord],
           directory: Path) -> tuple[list[ActorRecord], list[PlaceRecord]]:
    """The built-in ``actors`` and ``places`` with the user files of ``directory`` merged over them."""
    present = check_folder(directory)
    out_actors = {a.id: a for a in actors}
    if ACTOR_FILE in present:
        for rec in load_actors(directory, known=frozenset(out_actors)):
            old = out_actors.get(rec.id)
            if old is not None:
                rec = replace(rec, aliases=_union(old.aliases, rec.aliases), acronyms=_union(old.acronyms, rec.acronyms))
            out_actors[rec.id] = rec
    out_places = {p.id: p for p in places}
    if PLACE_FILE in present:
        for rec in read_place_rows(directory, file=str(directory / PLACE_FILE)):
            old = out_places.get(rec.id)
            if old is not None:
                rec = replace(rec, aliases=_union(old.aliases, rec.aliases), demonyms=old.demonyms,
                              capital_of=old.capital_of)
            out_places[rec.id] = rec
    return list(out_actors.values()), list(out_places.values())
