"""PDF input: furniture off, hyphens undone, footnotes apart, pages cited; bad PDFs skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.ingest.paged import page_label, page_of
from sitrep.ingest.pdf import DocumentError, read_pdf
from sitrep.ingest.readers import InputError, RawInput, iter_inputs

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

HEADER = "Arcadia Monitoring Board | Quarterly Review"
CLAIM = ("According to the Arcadia Monitoring Board, the Red Hand Brigade is supported by the "
         "Northern Front, which has operated in Vale province since 2019.")
PAGES = [
    ["Quarterly security review of the northern valleys", "",
     "Observers travelled through four districts in the spring and spoke with farmers,",
     "traders and local councils about the roads, the markets and the prices of grain. Many",
     "families had returned to their villages after the floods of the previous winter."],
    ["The councils reported that schools had reopened in most districts and that clinics",
     "received medicines twice a month. Travel between the valleys remained slow because",
     "two bridges were still closed for repairs after the storms."],
    ["According to the Arcadia Monitoring Board, the Red Hand Bri-",
     "gade is supported by the Northern Front, which has operated in Vale province since 2019.",
     "The board said the two groups shared weapons and training camps."],
    ["Traders said fuel prices had fallen since the autumn and that the border crossing",
     "opened every day of the week. The review ends with a list of the districts visited."],
]
FOOTNOTE = "1 Figures from the district councils, collected in May."


def build_pdf(path: Path, pages: list[list[str]] = PAGES, *, encrypt: str | None = None,
              footnote_page: int = 2, heading: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if heading is None:
        c.setTitle("Quarterly security review")
    for number, lines in enumerate(pages, 1):
        if heading and number == 1:
            c.setFont("Helvetica-Bold", 18)
            c.drawString(72, 780, heading)
        c.setFont("Helvetica", 9)
        c.drawString(72, 800, HEADER)
        y = 760
        for line in lines:
            if line:
                c.setFont("Helvetica", 11)
                c.drawString(72, y, line)
            y -= 14
        if number == footnote_page:
            c.setFont("Helvetica", 8)
            c.drawString(72, 90, FOOTNOTE)
        c.setFont("Helvetica", 9)
        c.drawString(280, 40, f"Page {number} of {len(pages)}")
        c.showPage()
    c.save()
    return path


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    return build_pdf(tmp_path / "review.pdf")


def test_text_without_headers_page_numbers_and_hyphens(report: Path) -> None:
    article, meta = read_pdf(report.read_bytes())
    assert HEADER not in article.text
    assert "Page 2 of 4" not in article.text and "Page" not in article.text.split("Notes")[0]
    assert HEADER in article.removed and "Page 3 of 4" in article.removed
    assert "Red Hand Brigade is supported" in article.text  # "Bri-" + "gade" joined
    assert "Bri-" not in article.text
    assert meta["title"] == "Quarterly security review"
    assert article.pages == 4


def test_footnote_kept_apart_after_the_body(report: Path) -> None:
    article, _ = read_pdf(report.read_bytes())
    assert article.notes_start is not None
    body, notes = article.text[:article.notes_start], article.text[article.notes_start:]
    assert FOOTNOTE not in body
    assert notes.startswith("Notes") and FOOTNOTE in notes
    assert page_of({"page_starts": article.page_starts, "notes_start": article.notes_start},
                   article.notes_start + 8) is None


def test_every_page_start_is_where_its_text_begins(report: Path) -> None:
    article, _ = read_pdf(report.read_bytes())
    assert len(article.page_starts) == 4
    meta = {"page_starts": article.page_starts}
    for number, lines in enumerate(PAGES, 1):
        first = next(line for line in lines if line)
        at = article.text.index(first[:30])
        assert page_of(meta, at) == number
    assert page_label(meta, article.text.index(CLAIM[:40])) == "p. 3"


def test_title_from_the_first_page_when_the_file_has_none(tmp_path: Path) -> None:
    pages = [["", "", "", "12 March 2024", *PAGES[0][2:]], *PAGES[1:]]
    path = build_pdf(tmp_path / "untitled.pdf", pages, heading="Arcadia valleys after the floods")
    _, meta = read_pdf(path.read_bytes())
    assert meta["title"] == "Arcadia valleys after the floods"
    assert meta["published"] == "2024-03-12"


def test_pdf_without_its_extension_is_recognised(report: Path, tmp_path: Path) -> None:
    bare = tmp_path / "review-copy"
    bare.write_bytes(report.read_bytes())
    items = list(iter_inputs([str(bare)]))
    assert len(items) == 1 and isinstance(items[0], RawInput) and items[0].format == "pdf"


def test_page_of_without_pages() -> None:
    assert page_of({}, 10) is None
    assert page_of(None, 10) is None
    assert page_of('{"page_starts": [0, 50]}', 60) == 2
    assert page_of({"page_starts": [0, 50]}, None) is None
    assert page_label({"page_starts": [0, 50]}, 3) == "p. 1"


def test_reader_gives_the_pdf_with_its_pages(report: Path) -> None:
    items = list(iter_inputs([str(report.parent)]))
    assert len(items) == 1 and isinstance(items[0], RawInput)
    raw = items[0]
    assert raw.format == "pdf" and raw.meta["pages"] == 4 and len(raw.meta["page_starts"]) == 4


def _image_only(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(2):
        c.rect(100, 100, 300, 400, fill=1)
        c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("kind, reason", [
    ("encrypted", "encrypted PDF"),
    ("image-only", "no text layer"),
    ("truncated", "truncated"),
    ("garbage", "malformed"),
    ("not-pdf", "not a PDF"),
])
def test_bad_pdfs_are_skipped_with_one_reason(tmp_path: Path, kind: str, reason: str) -> None:
    path = tmp_path / f"{kind}.pdf"
    if kind == "encrypted":
        build_pdf(path, encrypt="s3cret-arcadia")
    elif kind == "image-only":
        _image_only(path)
    elif kind == "truncated":
        data = build_pdf(tmp_path / "whole.pdf").read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif kind == "garbage":
        path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 40)
    else:
        path.write_bytes(b"Arcadia plain words, not a portable document at all.\n" * 3)
    items = list(iter_inputs([str(path)]))
    assert len(items) == 1 and isinstance(items[0], InputError), items
    assert reason in items[0].reason and "\n" not in items[0].reason
    with pytest.raises(DocumentError):
        read_pdf(path.read_bytes())


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, int, str]:
    from conftest import require_pipeline

    require_pipeline()
    from sitrep.cli import _register, app

    _register()
    folder = tmp_path_factory.mktemp("pdfs")
    build_pdf(folder / "review.pdf")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")
    db = str(folder / "kb.db")
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", db, "--quiet"])
    return db, result.exit_code, result.output


def _run(*args: str) -> str:
    from sitrep.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_ingest_skips_the_broken_pdf_and_goes_on(kb: tuple[str, int, str]) -> None:
    db, code, output = kb
    assert code == 1
    assert "broken.pdf" in output and "Traceback" not in output
    assert "ingested 1" in output


def test_claim_on_page_three_cites_page_three(kb: tuple[str, int, str]) -> None:
    db = kb[0]
    data = json.loads(_run("claims", "Red Hand Brigade", "--db", db, "--json"))
    claims = [c for fact in data["relations"] for c in fact["claims"]]
    assert claims and all(c["page"] == 3 for c in claims)
    assert "p. 3" in _run("claims", "Red Hand Brigade", "--db", db)
    brief = _run("brief", "--actor", "Red Hand Brigade", "--db", db)
    assert "p. 3" in brief


def test_hyphenated_name_links_to_its_entity(kb: tuple[str, int, str]) -> None:
    from sitrep.store import open_store

    data = json.loads(_run("claims", "Red Hand Brigade", "--db", kb[0], "--json"))
    assert data["entity"]["name"] == "Red Hand Brigade"
    store = open_store(kb[0], readonly=True)
    try:
        mentions = store.mentions(entity_id=data["entity"]["id"], limit=100)
    finally:
        store.close()
    assert any(m["text"] == "Red Hand Brigade" for m in mentions)
    assert not any("Bri-" in m["text"] for m in mentions)
    assert any(fact["object"] == "Northern Front" or fact["subject"] == "Northern Front"
               or fact["subject"] == "Red Hand Brigade" for fact in data["relations"])


def test_stix_description_cites_the_page(kb: tuple[str, int, str]) -> None:
    from sitrep.outputs.stix import BundleBuilder
    from sitrep.query.facts import claims_about
    from sitrep.store import open_store

    store = open_store(kb[0], readonly=True)
    try:
        claims = [c for fact in claims_about(store, "Red Hand Brigade")["relations"] for c in fact["claims"]]
        text = BundleBuilder(store, "2024-01-01T00:00:00Z", ["crime-syndicate"])._claims_text(claims)
    finally:
        store.close()
    assert claims and "p. 3)" in text


def test_web_document_view_cites_the_page(kb: tuple[str, int, str]) -> None:
    from fastapi.testclient import TestClient

    from sitrep.web.app import create_app

    client = TestClient(create_app(kb[0]), base_url="http://127.0.0.1")
    docs = client.get("/api/search", params={"q": "Quarterly"}).json()["documents"]
    assert docs
    html = client.get(f"/doc/{docs[0]['id']}").text
    assert "p. 3" in html and "<dt>Pages</dt><dd>4" in html


def test_real_hyphens_stay_and_wrapped_words_join() -> None:
    from sitrep.ingest.paged import PageLine, assemble

    lines = [PageLine("The long-range patrol left Kessel at dawn and the long-"),
             PageLine("range radios failed near the Arca-"),
             PageLine("dian border, the Vale-"),
             PageLine("Borealia road stayed closed.")]
    text = assemble([lines]).text
    assert "long-range radios" in text  # written with its hyphen elsewhere: a real hyphen
    assert "Arcadian border" in text  # lower-case continuation: a wrapped word
    assert "Vale-Borealia road" in text  # capital continuation: a compound, its hyphen kept


def test_running_header_needs_to_repeat() -> None:
    from sitrep.ingest.paged import PageLine, assemble

    pages = [[PageLine("Arcadia Review - Spring"), PageLine(f"Body line number {n} about grain prices."),
              PageLine(str(n))] for n in range(1, 4)]
    one = assemble([[PageLine("Arcadia Review - Spring"), PageLine("Body about grain prices.")]])
    article = assemble(pages)
    assert "Arcadia Review" not in article.text and "Body line number 2" in article.text
    assert "Arcadia Review" in one.text  # a single page has no running header to tell
    assert article.page_starts[1] == article.text.index("Body line number 2")


def test_documents_data_file_rejects_unknown_keys(tmp_path: Path) -> None:
    from sitrep.data.loader import DataFileError, read_yaml
    from sitrep.ingest import paged

    (tmp_path / paged.DOCUMENTS_FILE).write_text(
        "page_numbers: ['\\d+']\nfootnote_marks: ['\\d+ .*']\nnotes_heading: Notes\nuntitled: []\n"
        "running_headers: []\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"documents\.yaml:5: unknown key 'running_headers'"):
        paged._SPEC(read_yaml(paged.DOCUMENTS_FILE, tmp_path))
