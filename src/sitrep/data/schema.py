"""The knowledge base's schema (``schema.yaml``) as typed, frozen objects.

    s = schema()
    s.relation("ally_of").symmetric        # True
    s.relation_types                       # ("ally_of", "supports", ...) in file order
    s.stix_relationship("hostile_to", "location")   # "targets"
    s.sub_types("Battles")                 # ("Armed clash", ...)

:func:`schema` is the schema in force (the package file, loaded and validated once);
:func:`load_schema` reads one from another folder (tests, a deployment's own schema), and
:func:`using_schema` puts one in force for a block of code.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sitrep.data.loader import Node, Record, boolean, list_of, mapping_of, one_of, read_yaml, text, word_list

SCHEMA_FILE = "schema.yaml"

STIX_ENTITY_TYPES = ("threat-actor", "identity", "location", "intrusion-set", "campaign")
# The label a mention of a country acting as an actor carries (an actor kind in all but name).
COUNTRY_ACTOR = "country"


@dataclass(frozen=True, slots=True)
class KindSpec:
    name: str
    label: str
    stix: str


@dataclass(frozen=True, slots=True)
class RelationSpec:
    name: str
    label: str
    phrase: str
    symmetric: bool
    subjects: frozenset[str]
    objects: frozenset[str]
    stix: str
    stix_targets: frozenset[str] | None  # STIX object types the stix relationship may point at
    stix_fallback: str
    colour: str

    def allows(self, subject_kind: str | None, object_kind: str | None) -> bool:
        """True when the kinds may stand on each side (an unknown kind, None, is not checked)."""
        return (subject_kind is None or subject_kind in self.subjects) and (
            object_kind is None or object_kind in self.objects)


@dataclass(frozen=True, slots=True)
class Schema:
    """Kinds of entities and facts, from ``schema.yaml``."""

    actor_kinds: MappingProxyType[str, KindSpec]
    place_kinds: MappingProxyType[str, KindSpec]
    relations: MappingProxyType[str, RelationSpec]
    polarities: tuple[str, ...]
    modalities: tuple[str, ...]
    event_types: MappingProxyType[str, tuple[str, ...]]
    quantity_kinds: MappingProxyType[str, str]  # kind -> label
    source: str = field(default=SCHEMA_FILE, compare=False)  # where it was read from

    @property
    def relation_types(self) -> tuple[str, ...]:
        return tuple(self.relations)

    @property
    def symmetric_relations(self) -> frozenset[str]:
        return frozenset(r.name for r in self.relations.values() if r.symmetric)

    @property
    def entity_kinds(self) -> tuple[str, ...]:
        return (*self.actor_kinds, *self.place_kinds)

    def relation(self, name: str) -> RelationSpec | None:
        return self.relations.get(name)

    def is_symmetric(self, relation_type: str) -> bool:
        spec = self.relations.get(relation_type)
        return spec is not None and spec.symmetric

    def is_place_kind(self, kind: str | None) -> bool:
        return kind in self.place_kinds

    def is_actor_kind(self, kind: str | None) -> bool:
        return kind in self.actor_kinds or kind == COUNTRY_ACTOR

    def sub_types(self, event_type: str) -> tuple[str, ...]:
        return self.event_types.get(event_type, ())

    def is_event_type(self, event_type: str, sub_type: str | None = None) -> bool:
        if event_type not in self.event_types:
            return False
        return sub_type is None or sub_type in self.event_types[event_type]

    def stix_relationship(self, relation_type: str, target_stix_type: str | None = None) -> str:
        """The STIX relationship_type for a relation pointing at a STIX object of ``target_stix_type``."""
        spec = self.relations.get(relation_type)
        if spec is None:
            return "related-to"
        if spec.stix_targets is not None and target_stix_type is not None and target_stix_type not in spec.stix_targets:
            return spec.stix_fallback
        return spec.stix

    def phrase(self, relation_type: str) -> str:
        spec = self.relations.get(relation_type)
        return spec.phrase if spec else relation_type

    def stix_entity_type(self, kind: str) -> str | None:
        spec = self.actor_kinds.get(kind) or self.place_kinds.get(kind)
        return spec.stix if spec else None

    def canonical_pair(self, subject: str, relation_type: str, obj: str) -> tuple[str, str]:
        """(subject, object) in the order a symmetric relation stores them (sorted), else as given."""
        if self.is_symmetric(relation_type) and obj < subject:
            return obj, subject
        return subject, obj

    def legend(self) -> dict[str, dict[str, Any]]:
        """Relation type -> label, phrase, colour and symmetry: what a legend or a graph reader needs."""
        return {r.name: {"label": r.label, "phrase": r.phrase, "colour": r.colour, "symmetric": r.symmetric}
                for r in self.relations.values()}

    def problems(self, relation_type: str) -> str | None:
        """None for a known relation type, else a one-line reason."""
        if relation_type in self.relations:
            return None
        return f"relation type {relation_type!r} is not in {self.source}"


# --- loading ---------------------------------------------------------------------

def _kinds(node: Node) -> dict[str, KindSpec]:
    spec = Record(required={"label": text, "stix": one_of(STIX_ENTITY_TYPES)})
    raw = mapping_of(spec)(node)
    return {k: KindSpec(k, v["label"], v["stix"]) for k, v in raw.items()}


def _colour(node: Node) -> str:
    value = text(node)
    if not (len(value) in (4, 7) and value.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in value[1:])):
        raise node.fail(f"bad colour {value!r} (expected #rgb or #rrggbb)")
    return value


def parse_schema(root: Node) -> Schema:
    """Validate a parsed ``schema.yaml`` and build the :class:`Schema`."""
    top = Record(required={
        "actor_kinds": lambda n: n, "place_kinds": lambda n: n, "relation_types": lambda n: n,
        "polarities": word_list, "modalities": word_list, "event_types": lambda n: n,
        "quantity_kinds": lambda n: n,
    })
    raw: dict[str, Any] = top(root)
    actor_kinds = _kinds(raw["actor_kinds"])
    place_kinds = _kinds(raw["place_kinds"])
    clash = set(actor_kinds) & set(place_kinds)
    if clash:
        raise raw["place_kinds"].fail(f"kind(s) both actor and place: {', '.join(sorted(clash))}")
    kinds = (*actor_kinds, *place_kinds, COUNTRY_ACTOR)
    kind_list = list_of(one_of(kinds))
    rel_spec = Record(
        required={"label": text, "phrase": text, "symmetric": boolean, "subjects": kind_list,
                  "objects": kind_list, "stix": text, "colour": _colour},
        optional={"stix_targets": list_of(one_of(STIX_ENTITY_TYPES)), "stix_fallback": text},
    )
    relations: dict[str, RelationSpec] = {}
    for name, node in _mapping(raw["relation_types"]).items():
        v = rel_spec(node)
        if v["symmetric"] and set(v["subjects"]) != set(v["objects"]):
            raise node.fail("a symmetric relation needs the same subjects and objects")
        relations[name] = RelationSpec(
            name=name, label=v["label"], phrase=v["phrase"], symmetric=v["symmetric"],
            subjects=frozenset(v["subjects"]), objects=frozenset(v["objects"]), stix=v["stix"],
            stix_targets=frozenset(v["stix_targets"]) if "stix_targets" in v else None,
            stix_fallback=v.get("stix_fallback", "related-to"), colour=v["colour"],
        )
    if not relations:
        raise raw["relation_types"].fail("no relation types")
    polarities = raw["polarities"]
    if "asserted" not in polarities or "denied" not in polarities:
        raise root.value["polarities"].fail("polarities must include asserted and denied")
    events = {name: word_list(node) for name, node in _mapping(raw["event_types"]).items()}
    quantity = Record(required={"label": text})
    quantity_kinds = {name: quantity(node)["label"] for name, node in _mapping(raw["quantity_kinds"]).items()}
    for name, values in (("polarities", polarities), ("modalities", raw["modalities"])):
        if len(set(values)) != len(values):
            raise root.value[name].fail("a value is listed twice")
    return Schema(
        actor_kinds=MappingProxyType(actor_kinds), place_kinds=MappingProxyType(place_kinds),
        relations=MappingProxyType(relations), polarities=tuple(polarities), modalities=tuple(raw["modalities"]),
        event_types=MappingProxyType(events), quantity_kinds=MappingProxyType(quantity_kinds), source=root.file,
    )


def _mapping(node: Node) -> dict[str, Node]:
    if not isinstance(node.value, dict):
        raise node.fail(f"expected a mapping, got {type(node.value).__name__}")
    return node.value


def load_schema(directory: Path | str | None = None) -> Schema:
    """Read and validate ``schema.yaml`` from ``directory`` (default: the package's own)."""
    if directory is None:
        return _package_schema()
    return parse_schema(read_yaml(SCHEMA_FILE, Path(directory)))


@lru_cache(maxsize=1)
def _package_schema() -> Schema:
    return parse_schema(read_yaml(SCHEMA_FILE))


_ACTIVE: list[Schema] = []


def schema() -> Schema:
    """The schema in force: the package's ``schema.yaml`` unless :func:`using_schema` says otherwise."""
    return _ACTIVE[-1] if _ACTIVE else _package_schema()


@contextmanager
def using_schema(active: Schema) -> Iterator[Schema]:
    """Put ``active`` in force for the duration of a ``with`` block (in this process)."""
    _ACTIVE.append(active)
    try:
        yield active
    finally:
        _ACTIVE.pop()


__all__ = ["KindSpec", "RelationSpec", "Schema", "load_schema", "parse_schema", "schema", "using_schema"]
