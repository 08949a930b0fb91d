"""Settings with sensible defaults; every limit can be changed from the CLI or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(slots=True)
class Settings:
    max_document_bytes: int = _env_int("SITREP_MAX_DOCUMENT_BYTES", 5_000_000)
    max_mentions_per_document: int = _env_int("SITREP_MAX_MENTIONS", 5_000)
    max_line_bytes: int = _env_int("SITREP_MAX_LINE_BYTES", 5_000_000)  # one JSONL line
    max_analysis_chars: int = _env_int("SITREP_MAX_ANALYSIS_CHARS", 200_000)  # text handed to the parser
    max_name_chars: int = _env_int("SITREP_MAX_NAME_CHARS", 200)  # longer "names" are not entities
    batch_size: int = _env_int("SITREP_BATCH_SIZE", 32)
    workers: int = 1
    near_duplicate_threshold: int = 6  # max Hamming distance of 64-bit simhashes


DEFAULT_DB = os.environ.get("SITREP_DB", "sitrep.db")
