"""Readers: formats, folders, stdin, encodings and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from sitrep.config import Settings
from sitrep.ingest import readers
from sitrep.ingest.document import make_document
from sitrep.ingest.encoding import DecodeError, decode_bytes
from sitrep.ingest.readers import InputError, RawInput, iter_inputs, sniff_format

ARTICLE = (
    "Militants ambush convoy near Bosaso\n\n"
    "Gunmen ambushed a supply convoy on the road north of Bosaso on Tuesday, killing three drivers, "
    "local officials said.\n\n"
    "The regional administration blamed an armed faction that has been active in the hills for months.\n"
)
HTML = (
    "<!DOCTYPE html><html><head><title>Clashes in Idlib countryside | Levant Wire</title>"
    '<meta property="article:published_time" content="2024-02-11T08:30:00Z">'
    '<meta property="og:site_name" content="Levant Wire"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/w'>World</a></nav><article><h1>Clashes in Idlib countryside</h1>"
    "<p>Fighters from two rival factions clashed overnight near a village in the Idlib countryside, "
    "a monitoring group said on Sunday.</p>"
    "<p>At least nine fighters were killed in the fighting, which lasted several hours, the group added.</p>"
    "</article><footer>Copyright 2024 Levant Wire</footer></body></html>"
)


def _items(paths: list[str], settings: Settings | None = None) -> list[RawInput | InputError]:
    return list(iter_inputs(paths, settings))


def _errors(items: list[RawInput | InputError]) -> list[InputError]:
    return [i for i in items if isinstance(i, InputError)]


def _goods(items: list[RawInput | InputError]) -> list[RawInput]:
    return [i for i in items if isinstance(i, RawInput)]


# --- formats --------------------------------------------------------------------


def test_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (item,) = _items([str(path)])
    assert isinstance(item, RawInput)
    assert item.format == "txt" and item.source == str(path) and item.text == ARTICLE
    doc = make_document(item)
    assert doc.title == "Militants ambush convoy near Bosaso"
    assert "killing three drivers" in doc.text


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    (item,) = _items([str(path)])
    assert isinstance(item, RawInput) and item.format == "html"
    doc = make_document(item)
    assert doc.format == "html"
    assert doc.title == "Clashes in Idlib countryside"
    assert doc.published == "2024-02-11"
    assert doc.publisher == "Levant Wire"
    assert "At least nine fighters were killed" in doc.text
    assert "Home" not in doc.text.split("\n")
    assert doc.offsets
    for cs, rs, n in doc.offsets:
        assert doc.text[cs : cs + n] == doc.raw[rs : rs + n]


def test_truncated_html_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "cut.htm"
    path.write_text(HTML[: HTML.index("At least")], encoding="utf-8")
    (item,) = _items([str(path)])
    assert isinstance(item, RawInput)
    doc = make_document(item)
    assert "rival factions clashed" in doc.text


def test_jsonl_good_and_bad_lines(tmp_path: Path) -> None:
    good = {"id": "a1", "url": "https://example.org/a1", "title": "Raid in Tillaberi", "published": "2024-01-09",
            "publisher": "Sahel Desk", "text": ARTICLE}
    lines = [
        json.dumps(good),
        "{not json",
        "[1, 2, 3]",
        json.dumps({"id": "a2", "title": "No body"}),
        json.dumps({"id": "a3", "text": 123}),
        json.dumps({"id": "a4", "text": ARTICLE, "title": ["a", "b"]}),
        "",
        json.dumps({"html": HTML}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _items([str(path)])
    goods, errors = _goods(items), _errors(items)
    assert [g.source for g in goods] == [f"{path}#a1", f"{path}:8"]
    assert goods[0].meta["title"] == "Raid in Tillaberi" and goods[0].format == "jsonl"
    by_line = {e.line: e for e in errors}
    assert set(by_line) == {2, 3, 4, 5, 6}
    assert "invalid JSON" in by_line[2].reason
    assert "not an object" in by_line[3].reason
    assert "no 'text' or 'html'" in by_line[4].reason
    assert "'text' must be a string" in by_line[5].reason
    assert "'title' must be a string" in by_line[6].reason
    assert all(e.source == str(path) and str(path) in str(e) for e in errors)
    doc = make_document(goods[0])
    assert (doc.title, doc.published, doc.publisher, doc.url) == (
        "Raid in Tillaberi", "2024-01-09", "Sahel Desk", "https://example.org/a1")
    html_doc = make_document(goods[1])
    assert html_doc.published == "2024-02-11" and "nine fighters" in html_doc.text


def test_jsonl_line_limit_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.ndjson"
    long_line = json.dumps({"id": "big", "text": "word " * 5000})
    path.write_text(long_line + "\n" + json.dumps({"id": "ok", "text": ARTICLE}) + "\n", encoding="utf-8")
    items = _items([str(path)], Settings(max_line_bytes=1000))
    (err,) = _errors(items)
    assert err.line == 1 and "1000-byte limit" in err.reason
    assert [g.source for g in _goods(items)] == [f"{path}#ok"]


# --- folders and errors ---------------------------------------------------------------


def test_folder_with_bad_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "c.html").write_text(HTML, encoding="utf-8")
    (folder / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "blob.bin").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.dat").write_text(ARTICLE, encoding="utf-8")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    with open(folder / "huge.txt", "wb") as fh:
        fh.truncate(104_857_600)  # sparse: stat says 100 MB, nothing is read
    items = _items([str(folder), str(tmp_path / "missing.txt")])
    goods = {Path(g.source).name: g for g in _goods(items)}
    assert set(goods) == {"b.txt", "c.html"}  # a folder gives only the documented article types
    reasons = {Path(e.source).name: e.reason for e in _errors(items)}
    assert reasons["empty.txt"] == "empty file"
    for name in ("image.png", "blob.bin", "notes.dat"):
        assert reasons[name].startswith("not an article type"), reasons[name]
    assert sum(1 for e in _errors(items) if Path(e.source).name == "notes.dat") == 1  # listed once
    # a file named on the command line is read whatever its extension
    named = _items([str(folder / "notes.dat"), str(folder / "image.png"), str(folder / "blob.bin")])
    assert [(Path(g.source).name, g.format) for g in _goods(named)] == [("notes.dat", "txt")]
    assert all("binary" in e.reason for e in _errors(named)) and len(_errors(named)) == 2
    assert reasons["loop.txt"] == "is a symlink loop"
    assert reasons["missing.txt"] == "no such file or directory"
    assert reasons["huge.txt"] == (
        "file is 104857600 bytes, over the 5000000-byte limit (SITREP_MAX_DOCUMENT_BYTES)"
    )
    assert all(str(folder) in e.source or "missing" in e.source for e in _errors(items))
    order = [g.source for g in _goods(items)]
    assert order == sorted(order, key=lambda s: (Path(s).parent != folder, s))


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    other = tmp_path / "open.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    if os.geteuid() != 0:
        path.chmod(0)
    else:  # root ignores modes: make opening this one file fail as it would for a user
        real_open = os.open

        def fake_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(readers.os, "open", fake_open)
    items = _items([str(tmp_path)])
    (err,) = _errors(items)
    assert err.source == str(path) and err.reason == "permission denied"
    assert [g.source for g in _goods(items)] == [str(other)]


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "garbage.txt"
    path.write_bytes(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 400 + b"\x01\x02\x03" * 300)
    (err,) = _items([str(path)])
    assert isinstance(err, InputError) and err.source == str(path)
    assert "binary" in err.reason or "undecodable" in err.reason


def test_small_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    (err,) = _items([str(path)], Settings(max_document_bytes=50))
    assert isinstance(err, InputError)
    assert err.reason == f"file is {len(ARTICLE)} bytes, over the 50-byte limit (SITREP_MAX_DOCUMENT_BYTES)"


# --- encodings ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_and_boms(tmp_path: Path, encoding: str) -> None:
    text = "Fighters of the “Front” entered Ménaka at dawn, officials said.\nA second line follows here.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    (item,) = _items([str(path)])
    assert isinstance(item, RawInput) and item.text == text


def test_windows_1252() -> None:
    text = "The governor\u2019s office said \u201cabout 40\u201d fighters crossed \u2013 near the caf\u00e9.\n"
    decoded, encoding = decode_bytes(text.encode("cp1252"))
    assert decoded == text and encoding == "cp1252"


def test_nul_bytes_and_mixed_line_endings() -> None:
    decoded, _ = decode_bytes(b"First line\r\nSecond\x00 line\rThird line\nFourth")
    assert decoded == "First line\nSecond line\nThird line\nFourth"


def test_binary_and_empty_rejected() -> None:
    for data in (b"", b"%PDF-1.7\n...", b"\x00\x01\x02\x03" * 100):
        with pytest.raises(DecodeError):
            decode_bytes(data)


# --- stdin ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "fmt"),
    [
        (ARTICLE, "txt"),
        (HTML, "html"),
        (json.dumps({"id": "s1", "text": ARTICLE}) + "\n", "jsonl"),
    ],
)
def test_stdin_sniffing(monkeypatch: pytest.MonkeyPatch, payload: str, fmt: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload.encode("utf-8"))))
    (item,) = _items(["-"])
    assert isinstance(item, RawInput) and item.format == fmt
    assert item.source == ("-#s1" if fmt == "jsonl" else "-")


def test_sniff_format() -> None:
    assert sniff_format("  <!doctype html><html><body><p>x</p></body></html>") == "html"
    assert sniff_format('{"text": "a"}\n{"text": "b"}') == "jsonl"
    assert sniff_format("{ braces in a plain text line }") == "txt"


def test_malformed_and_deeply_nested_html_do_not_crash() -> None:
    sentence = "Armed men attacked the convoy on the main road, killing four drivers, police said on Tuesday."
    pages = [
        "<div>" * 50_000 + f"<p>{sentence}</p>" + "</div>" * 10,
        f"<html><body><p>{sentence}<p><b>Another <i>unclosed paragraph about the same attack in the district",
        f"<<<>>><p <p>>{sentence}</scr<script>ipt><!-- never closed",
    ]
    for page in pages:
        doc = make_document(RawInput("odd.html", page, "html"))
        assert "killing four drivers" in doc.text
        for cs, rs, n in doc.offsets:
            assert doc.text[cs : cs + n] == doc.raw[rs : rs + n]


def test_html_fallback_strips_tags() -> None:
    from sitrep.ingest.html import strip_tags

    text = strip_tags("<html><head><style>p{}</style></head><body><nav>Menu</nav><p>One &amp; two</p>"
                      "<div>Three<br>Four</div><script>var x=1;</script></body></html>")
    assert text == "One & two\nThree\nFour"
