"""Readers: turn paths (files, folders, stdin) into raw article inputs.

Every problem with an input becomes an :class:`InputError` naming the file (and
line) and the reason; readers never raise for bad input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class RawInput:
    source: str  # path, "path:LINE" for JSONL, or "-" for stdin
    text: str  # decoded raw content (HTML stays HTML)
    format: str  # txt | html | jsonl
    meta: dict[str, Any] = field(default_factory=dict)  # JSONL fields: id, url, title, published, publisher


@dataclass(slots=True)
class InputError:
    source: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}"


def iter_inputs(paths: list[str]) -> Iterator[RawInput | InputError]:
    """Yield raw inputs from files, folders (recursively) and ``-`` (stdin)."""
    raise NotImplementedError  # implemented by the ingest stage
