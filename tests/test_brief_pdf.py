"""``sitrep brief --format pdf``: the seeds' brief as PDF holds every citation of the HTML brief."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest import run_sitrep


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    import pypdf

    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def test_seeds_pdf_brief_holds_every_citation(seeds_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.pdf"
    proc = run_sitrep(["brief", "--format", "pdf", "-o", str(out), "--db", str(seeds_db)])
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes().startswith(b"%PDF")
    from sitrep.outputs.brief import build_brief
    from sitrep.store.sqlite import SQLiteStore

    with SQLiteStore(seeds_db, readonly=True) as store:
        brief = build_brief(store)
    assert brief.citations
    text = " ".join(_pdf_text(out).split())
    flat = re.sub(r"\s+", "", text)
    for c in brief.citations:
        assert c.doc_id in flat, c.doc_id
    assert "Sources" in text


def test_pdf_brief_needs_an_output_file(seeds_db: Path) -> None:
    proc = run_sitrep(["brief", "--format", "pdf", "--db", str(seeds_db)])
    assert proc.returncode == 2 and "-o" in proc.stderr
