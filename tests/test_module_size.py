"""Each extraction module stays small enough to read whole: over 500 lines, split it by what it does."""

from __future__ import annotations

from pathlib import Path

import pytest

EXTRACT = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "extract"
MAX_LINES = 500


@pytest.mark.parametrize("path", sorted(EXTRACT.glob("*.py")), ids=lambda p: p.name)
def test_extraction_module_is_at_most_500_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines"
