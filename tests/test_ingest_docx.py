"""Word input: paragraphs and tables in order, headers and footers out, page breaks cited; bad files skipped."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.ingest.docx import read_docx
from sitrep.ingest.paged import page_of
from sitrep.ingest.pdf import DocumentError
from sitrep.ingest.readers import InputError, RawInput, iter_inputs

docx = pytest.importorskip("docx")
from docx.enum.text import WD_BREAK  # noqa: E402

CLAIM = ("According to the Arcadia Monitoring Board, the Red Hand Brigade is supported by the "
         "Northern Front, which has operated in Vale province since 2019.")
FOOTNOTE = "Figures from the district councils, collected in May."


def build_docx(path: Path) -> Path:
    d = docx.Document()
    d.core_properties.title = "Quarterly security review"
    section = d.sections[0]
    section.header.paragraphs[0].text = "Arcadia Monitoring Board | Quarterly Review"
    section.footer.paragraphs[0].text = "Page 1"
    d.add_heading("Quarterly security review of the northern valleys", level=0)
    d.add_paragraph("12 March 2024")
    d.add_paragraph("Observers travelled through four districts in the spring and spoke with farmers, traders "
                    "and local councils about the roads and the markets.")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("The councils reported that schools had reopened in most districts and that clinics "
                    "received medicines twice a month.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "District", "Schools open"
    table.cell(1, 0).text, table.cell(1, 1).text = "Upper Vale", "14"
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph(CLAIM)
    d.add_paragraph("The board said the two groups shared weapons and training camps.")
    d.save(str(path))
    return path


def _with_footnote(path: Path) -> Path:
    """Add a footnotes part to a saved file (python-docx writes none)."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{ns}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>---</w:t></w:r></w:p></w:footnote>'
            f'<w:footnote w:id="1"><w:p><w:r><w:t>{FOOTNOTE}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/footnotes.xml", part)
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    return build_docx(tmp_path / "review.docx")


def test_body_in_order_without_headers_and_footers(report: Path) -> None:
    article, meta = read_docx(report.read_bytes())
    assert "Quarterly Review" not in article.text and "Page 1" not in article.text
    assert article.text.index("Observers") < article.text.index("councils reported") < article.text.index(CLAIM)
    assert "Upper Vale | 14" in article.text
    assert meta["title"] == "Quarterly security review"
    assert meta["published"] == "2024-03-12"


def test_page_breaks_become_pages(report: Path) -> None:
    article, _ = read_docx(report.read_bytes())
    meta = {"page_starts": article.page_starts}
    assert len(article.page_starts) == 3
    assert page_of(meta, article.text.index(CLAIM)) == 3
    assert page_of(meta, article.text.index("Observers")) == 1
    assert page_of(meta, article.text.index("Upper Vale")) == 2


def test_footnotes_follow_the_body(report: Path) -> None:
    article, _ = read_docx(_with_footnote(report).read_bytes())
    assert article.notes_start is not None
    assert FOOTNOTE in article.text[article.notes_start:]
    assert FOOTNOTE not in article.text[:article.notes_start] and "---" not in article.text


def test_reader_gives_the_word_file(report: Path) -> None:
    items = list(iter_inputs([str(report.parent)]))
    assert len(items) == 1 and isinstance(items[0], RawInput) and items[0].format == "docx"


@pytest.mark.parametrize("kind, reason", [
    ("truncated", "malformed or truncated"),
    ("encrypted", "encrypted"),
    ("no-document", "no word/document.xml"),
    ("not-zip", "not a Word file"),
])
def test_bad_word_files_are_skipped_with_one_reason(tmp_path: Path, kind: str, reason: str) -> None:
    path = tmp_path / f"{kind}.docx"
    if kind == "truncated":
        data = build_docx(tmp_path / "whole.docx").read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "encrypted":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    elif kind == "no-document":
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("readme.txt", "Arcadia archive without a document part")
    else:
        path.write_bytes(b"Arcadia plain words, not a Word file.\n" * 4)
    items = list(iter_inputs([str(path)]))
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert reason in items[0].reason and "\n" not in items[0].reason
    with pytest.raises(DocumentError):
        read_docx(path.read_bytes())


def test_claim_from_word_page_three_cites_page_three(tmp_path: Path) -> None:
    from conftest import require_pipeline

    require_pipeline()
    from sitrep.cli import _register, app

    _register()
    build_docx(tmp_path / "review.docx")
    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(tmp_path / "review.docx"), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["claims", "Red Hand Brigade", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    claims = [c for fact in json.loads(result.stdout)["relations"] for c in fact["claims"]]
    assert claims and all(c["page"] == 3 for c in claims)
