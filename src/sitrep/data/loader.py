"""Validated reading of the package's data files (YAML and TSV).

Every data file is read through :func:`read_yaml` / :func:`read_tsv`, and checked against a
small specification (:class:`Record`, :class:`Mapping`, :class:`ListOf`, ...) so that a typo in
a key or a bad value stops loading with one line naming the file, the key and the line::

    schema.yaml:14: relation_types.ally_of: unknown key 'symetric' (expected one of: label, ...)

Line numbers come from PyYAML's node marks: the file is composed into nodes, and every value
keeps the line it was written on.  Duplicate keys in one mapping are an error too (plain
``yaml.safe_load`` silently keeps the last one).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

PACKAGE = "sitrep.data"


class DataFileError(ValueError):
    """A data file is missing, malformed or fails its specification (the message names file, key, line)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A value read from a data file, with where it was written."""

    value: Any  # str | int | float | bool | None | dict[str, Node] | list[Node]
    line: int  # 1-based
    file: str
    path: str = ""  # dotted key path ("relation_types.ally_of.label")
    raw: str | None = None  # a scalar as written: YAML reads `no` and `off` as booleans, a word list wants the word

    def fail(self, message: str) -> DataFileError:
        where = f"{self.path}: " if self.path else ""
        return DataFileError(f"{self.file}:{self.line}: {where}{message}")

    def plain(self) -> Any:
        """The value with every nested Node unwrapped."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


# --- reading ---------------------------------------------------------------------


def data_text(filename: str, directory: Path | None = None) -> tuple[str, str]:
    """(text, display name) of a data file: from ``directory`` when given, else the package."""
    try:
        if directory is not None:
            path = Path(directory) / filename
            return path.read_text(encoding="utf-8"), str(path)
        return resources.files(PACKAGE).joinpath(filename).read_text(encoding="utf-8"), filename
    except FileNotFoundError:
        raise DataFileError(f"{filename}: data file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{filename}: cannot read the data file ({exc})") from None


_SCALARS = yaml.SafeLoader("")  # one constructor for plain scalars (ints, floats, bools, null)


def _to_node(node: yaml.Node, file: str, path: str) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataFileError(f"{file}:{key_node.start_mark.line + 1}: {path or 'top level'}: a key must be a word")
            key = str(_SCALARS.construct_object(key_node))
            if key in out:
                raise DataFileError(f"{file}:{key_node.start_mark.line + 1}: {_join(path, key)}: duplicate key")
            out[key] = _to_node(value_node, file, _join(path, key))
        return Node(out, line, file, path)
    if isinstance(node, yaml.SequenceNode):
        return Node([_to_node(v, file, f"{path}[{i}]") for i, v in enumerate(node.value)], line, file, path)
    return Node(_SCALARS.construct_object(node), line, file, path, raw=node.value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def read_yaml(filename: str, directory: Path | None = None) -> Node:
    """Parse a YAML data file into :class:`Node` values that remember their line."""
    text, name = data_text(filename, directory)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "?"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataFileError(f"{name}:{line}: not valid YAML ({problem})") from None
    if root is None:
        return Node(None, 1, name)
    return _to_node(root, name, "")


def read_tsv(filename: str, columns: int, directory: Path | None = None, min_columns: int = 1) -> list[tuple[int, list[str]]]:
    """(line number, cells) of a tab-separated data file; ``#`` lines and blank lines are skipped.

    A row with more than ``columns`` or fewer than ``min_columns`` cells is an error naming the line.
    """
    text, name = data_text(filename, directory)
    out: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))]
        if not min_columns <= len(cells) <= columns:
            raise DataFileError(f"{name}:{lineno}: {len(cells)} columns, expected {min_columns} to {columns}")
        out.append((lineno, cells))
    return out


# --- specifications --------------------------------------------------------------------

Check = Callable[[Node], Any]


def text(node: Node) -> str:
    """A non-empty string (a bare `no` or `true` is the word as written, not a boolean)."""
    value = node.value
    if isinstance(value, (bool, int, float)) and node.raw is not None:
        value = node.raw
    if not isinstance(value, str) or not value.strip():
        raise node.fail(f"expected a non-empty text, got {node.value!r}")
    return value


def word_list(node: Node) -> tuple[str, ...]:
    """A list of non-empty strings (a single string counts as a list of one)."""
    if isinstance(node.value, str):
        return (text(node),)
    if not isinstance(node.value, list):
        raise node.fail(f"expected a list of words, got {type(node.value).__name__}")
    return tuple(text(v) for v in node.value)


def integer(node: Node) -> int:
    if isinstance(node.value, bool) or not isinstance(node.value, int):
        raise node.fail(f"expected a whole number, got {node.value!r}")
    return node.value


def number(node: Node) -> float:
    if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
        raise node.fail(f"expected a number, got {node.value!r}")
    return float(node.value)


def boolean(node: Node) -> bool:
    if not isinstance(node.value, bool):
        raise node.fail(f"expected true or false, got {node.value!r}")
    return node.value


def one_of(choices: Iterable[str]) -> Check:
    allowed = tuple(choices)

    def check(node: Node) -> str:
        value = text(node)
        if value not in allowed:
            raise node.fail(f"bad value {value!r} (expected one of: {', '.join(allowed)})")
        return value

    return check


def list_of(item: Check) -> Check:
    def check(node: Node) -> list[Any]:
        if not isinstance(node.value, list):
            raise node.fail(f"expected a list, got {type(node.value).__name__}")
        return [item(v) for v in node.value]

    return check


def mapping_of(value: Check, key: Check | None = None) -> Check:
    """A mapping with free keys (``key`` checks each key as a text node) and checked values."""

    def check(node: Node) -> dict[str, Any]:
        if not isinstance(node.value, dict):
            raise node.fail(f"expected a mapping, got {type(node.value).__name__}")
        out: dict[str, Any] = {}
        for k, v in node.value.items():
            if key is not None:
                key(Node(k, v.line, v.file, v.path))
            out[k] = value(v)
        return out

    return check


@dataclass(frozen=True)
class Record:
    """A mapping with known keys: ``required`` and ``optional`` name -> check; any other key is an error."""

    required: dict[str, Check] = field(default_factory=dict)
    optional: dict[str, Check] = field(default_factory=dict)

    def __call__(self, node: Node) -> dict[str, Any]:
        if not isinstance(node.value, dict):
            raise node.fail(f"expected a mapping, got {type(node.value).__name__}")
        known = {**self.required, **self.optional}
        for key, value in node.value.items():
            if key not in known:
                where = Node(None, value.line, node.file, node.path)
                raise where.fail(f"unknown key '{key}' (expected one of: {', '.join(sorted(known))})")
        for key in self.required:
            if key not in node.value:
                raise node.fail(f"missing key '{key}'")
        return {key: known[key](value) for key, value in node.value.items()}


def nullable(check: Check) -> Check:
    def inner(node: Node) -> Any:
        return None if node.value is None else check(node)

    return inner


__all__ = [
    "DataFileError",
    "Node",
    "Record",
    "boolean",
    "data_text",
    "integer",
    "list_of",
    "mapping_of",
    "nullable",
    "number",
    "one_of",
    "read_tsv",
    "read_yaml",
    "text",
    "word_list",
]
