"""Build a :class:`Document` from a raw input: clean, map offsets, read metadata."""

from __future__ import annotations

from sitrep.ingest.readers import RawInput
from sitrep.models import Document


def make_document(raw: RawInput) -> Document:
    raise NotImplementedError  # implemented by the ingest stage
