"""Hostile-input corpus for ``sitrep ingest`` and a report of how each input ended.

Usage::

    .venv/bin/python bench/hostile_report.py            # builds the corpus in a temp dir, prints the table
    .venv/bin/python bench/hostile_report.py --keep DIR # keep the corpus and database in DIR
    .venv/bin/python bench/hostile_report.py --no-huge  # without the two 100 MB sparse files

The corpus is generated, never committed.  ``tests/test_hostile.py`` imports
:func:`build_corpus` and :func:`evaluate` from this file so the test and the
report judge the same cases the same way.

Every case has an expectation:

``skip``    reported once in ``summary.skipped`` with its file (and line for JSONL) and a human reason
``ingest``  stored as a document (decodable text must be ingested, not skipped)
``either``  skipped with a reason or ingested, but never a crash (e.g. garbage HTML)
``ignore``  neither reported nor ingested is fine (a directory symlink that is not followed)
"""

from __future__ import annotations

import argparse
import codecs
import json
import math
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.extract.dates import is_iso_date

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"

MB = 1024 * 1024

ARTICLE = (
    "Taliban fighters attack police post in Kandahar\n"
    "\n"
    "Kandahar, 14 March 2023: At least 12 people were killed when Taliban fighters attacked a police post "
    "in Kandahar province on Tuesday, officials said. {marker}\n"
    "\n"
    "A spokesman for the National Resistance Front said the group had about 3,000 fighters in Panjshir "
    "and denied any role in the attack.\n"
    "\n"
    "According to a United Nations report, the Haqqani Network supports the Taliban in eastern Afghanistan.\n"
)


def article(marker: str) -> str:
    """A short, valid article whose text carries ``marker`` (unique per case, so no two are duplicates)."""
    return ARTICLE.format(marker=f"The case {marker} was checked by reporters.")


@dataclass
class Case:
    name: str  # label in the table
    path: str  # relative to the corpus folder
    expect: str  # skip | ingest | either | ignore
    line: int | None = None  # JSONL line number
    doc_source_suffix: str | None = None  # JSONL: "#id" or ":N" appended to the path for the document source
    reason_has: tuple[str, ...] = ()  # any of these (lower case) should appear in the skip reason
    marker: str | None = None  # text the ingested document must contain (decoding check)
    note: str = ""
    # filled by evaluate()
    ended: str = ""
    ok: bool = True
    problems: list[str] = field(default_factory=list)


def _write(p: Path, data: bytes | str, encoding: str = "utf-8") -> None:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def _sparse(p: Path, head: bytes, size: int) -> None:
    with open(p, "wb") as fh:
        fh.write(head)
        fh.truncate(size)


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def build_corpus(root: Path, *, huge: bool = True, mentions: int = 6_000, soup: int = 5_000,
                 seed: int = 1234) -> tuple[list[Case], list[str]]:
    """Write the hostile corpus under ``root``; return the cases and notes on cases not built here.

    ``mentions``: actor names in the mention-cap article; ``soup``: length of the ``<``/``>`` runs in the
    garbage-markup page (both cost analysis time; the tests use smaller values than the report).
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    notes: list[str] = []

    def add(case: Case, data: bytes | str | None = None, encoding: str = "utf-8") -> None:
        if data is not None:
            _write(root / case.path, data, encoding)
        cases.append(case)

    # --- good files ---------------------------------------------------------------
    for i in range(3):
        add(Case(f"good article {i}", f"good/good_{i}.txt", "ingest", marker=f"good-{i}"), article(f"good-{i}"))
    add(Case("good file, name with spaces and unicode", "good/résumé 文章 one.txt", "ingest", marker="unicode-name"),
        article("unicode-name"))
    add(Case("good HTML article", "good/page.html", "ingest", marker="good-html"),
        "<!doctype html><html><head><title>Taliban fighters attack police post in Kandahar</title></head>"
        "<body><article>" + "".join(f"<p>{p}</p>" for p in article("good-html").split("\n\n")[1:])
        + "</article></body></html>")

    # --- empty and binary -----------------------------------------------------------
    add(Case("empty file (0 bytes)", "empty.txt", "skip", reason_has=("empty",)), b"")
    add(Case("white space only", "blank.txt", "skip", reason_has=("empty", "white")), b" \n\t\r\n  \n")
    add(Case("UTF-8 byte-order mark only", "bom_only.txt", "skip", reason_has=("empty",)), codecs.BOM_UTF8)
    add(Case("random bytes, no extension", "random.bin", "skip", reason_has=("binary", "decod", "article type")),
        bytes(rng.getrandbits(8) for _ in range(8192)))
    add(Case("random bytes named .txt", "random.txt", "skip", reason_has=("binary", "decod", "text")),
        bytes(rng.getrandbits(8) for _ in range(8192)))
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.getrandbits(8) for _ in range(2048))
    add(Case("PNG image", "image.png", "skip", reason_has=("png", "binary", "article type")), png)
    add(Case("PNG bytes named .txt", "photo.txt", "skip", reason_has=("png", "binary")), png)
    add(Case("PDF named .html", "paper.html", "skip", reason_has=("pdf", "binary")),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256)) * 4)

    # --- size ------------------------------------------------------------------------------
    if huge:
        _sparse(root / "huge.txt", article("huge").encode(), 100 * MB)
        cases.append(Case("100 MB text file (sparse)", "huge.txt", "skip", reason_has=("limit", "bytes")))
        _sparse(root / "huge_line.jsonl", b'{"text": "' + article("huge-jsonl").encode().replace(b"\n", b" "),
                100 * MB)
        cases.append(Case("100 MB JSONL, one line (sparse)", "huge_line.jsonl", "skip", line=1,
                          reason_has=("limit",)))
    else:
        notes.append("100 MB files not built (--no-huge)")

    # --- HTML -------------------------------------------------------------------------------
    depth = 50_000
    add(Case("50,000 nested <div> around an article", "nested.html", "ingest", marker="nested-html"),
        "<html><body>" + "<div>" * depth + "<p>" + article("nested-html").replace("\n\n", "</p><p>")
        + "</p>" + "</div>" * depth + "</body></html>")
    add(Case("malformed HTML around an article", "malformed.html", "ingest", marker="malformed-html"),
        "<html><head><title>Taliban fighters attack <b>police</title></head></head><body><body>"
        "<p class=a b=c <i>unclosed <a href=javascript:alert(1)> &nbsp &amp; & < 3 </b></i></p></p>"
        + article("malformed-html").replace("\n\n", "<p><div></span></td><li>")
        + "</table></table><!-- unterminated comment <table><tr><td>cell")
    add(Case("HTML that is only furniture", "furniture.html", "skip", reason_has=("no article", "text", "empty")),
        "<html><head><script>var a = 1;</script><style>p{}</style></head><body><nav>Home | News | Sport"
        "</nav><footer>Copyright 2024</footer></body></html>")
    add(Case("garbage markup soup", "soup.html", "either"),
        "<" * soup + ">" * soup + "<a<b<c" * (soup // 2) + "&#x110000;&#0;&#xD800;&amp" * (soup // 10)
        + "<scr<script>x=1<body><p class=\"a b='c' <i>" + "never closed " * 200)

    # --- encodings ----------------------------------------------------------------------------
    bad = article("invalid-utf8").encode("utf-8")
    cut = bad.index(b"officials")
    add(Case("invalid UTF-8 bytes in an article", "invalid_utf8.txt", "ingest", marker="invalid-utf8"),
        bad[:cut] + b"\xc3\x28 \xe2\x82 \xf0\x28\x8c\x28 " + bad[cut:])
    add(Case("UTF-16 LE with BOM", "utf16_bom.txt", "ingest", marker="utf16-bom"),
        codecs.BOM_UTF16_LE + article("utf16-bom").encode("utf-16-le"))
    add(Case("UTF-16 LE without BOM", "utf16le_nobom.txt", "ingest", marker="utf16le-nobom"),
        article("utf16le-nobom").encode("utf-16-le"))
    add(Case("UTF-16 BE without BOM", "utf16be_nobom.txt", "ingest", marker="utf16be-nobom"),
        article("utf16be-nobom").encode("utf-16-be"))
    add(Case("Windows-1252 (smart quotes, accents)", "cp1252.txt", "ingest", marker="cp1252 “café”"),
        article("cp1252 “café”").encode("cp1252"))
    nul = article("nul-bytes").encode()
    add(Case("NUL bytes inside text", "nul.txt", "ingest", marker="nul-bytes"),
        b"\x00".join(nul[i:i + 40] for i in range(0, len(nul), 40)))
    mixed = article("mixed-endings").split("\n")
    add(Case("mixed line endings (CRLF, CR, LF)", "mixed_endings.txt", "ingest", marker="mixed-endings"),
        "".join(line + ("\r\n", "\r", "\n")[i % 3] for i, line in enumerate(mixed)))

    # --- JSONL ---------------------------------------------------------------------------------
    def good_line(marker: str, **extra: Any) -> str:
        return json.dumps({"id": marker, "text": article(marker), **extra})

    lines: list[tuple[str, Case]] = [
        (good_line("jl-good-1", title="A good line"),
         Case("JSONL good line", "bad.jsonl", "ingest", 1, "#jl-good-1", marker="jl-good-1")),
        ('{"id": "broken", "text": "unterminated', Case("JSONL broken line", "bad.jsonl", "skip", 2,
                                                       reason_has=("json",))),
        ('{"text": 123}', Case('JSONL "text": 123', "bad.jsonl", "skip", 3, reason_has=("text", "string"))),
        (json.dumps({"text": article("jl-title-list"), "title": ["x"]}),
         Case('JSONL "title": ["x"]', "bad.jsonl", "either", 4, ":4", reason_has=("title",))),
        (json.dumps({"text": article("jl-published-obj"), "published": {"a": 1}}),
         Case('JSONL "published": {"a": 1}', "bad.jsonl", "either", 5, ":5", reason_has=("published",))),
        ('["an", "array", "line"]', Case("JSONL line that is an array", "bad.jsonl", "skip", 6,
                                         reason_has=("object", "array", "list"))),
        (json.dumps({"id": "ten-mb", "text": "x" * (10 * MB)}),
         Case("JSONL 10 MB line", "bad.jsonl", "skip", 7, reason_has=("limit", "bytes"))),
        ("{}", Case("JSONL empty object", "bad.jsonl", "skip", 8, reason_has=("text",))),
        (good_line("jl-date-1", published="99999-99-99"),
         Case('JSONL "published": "99999-99-99"', "bad.jsonl", "ingest", 9, "#jl-date-1", marker="jl-date-1")),
        (good_line("jl-date-2", published="32 Undecember 20233"),
         Case('JSONL "published": "32 Undecember 20233"', "bad.jsonl", "ingest", 10, "#jl-date-2",
              marker="jl-date-2")),
        ('{"id": "nan-id", "text": ' + json.dumps(article("jl-nan")) + ', "published": NaN}',
         Case('JSONL "published": NaN', "bad.jsonl", "either", 11, "#nan-id", marker="jl-nan")),
        ('{"id": "inf", "text": ' + json.dumps(article("jl-1e309")) + ', "published": 1e309}',
         Case('JSONL "published": 1e309', "bad.jsonl", "either", 12, "#inf", marker="jl-1e309")),
        ('{"id": "bigint", "text": ' + json.dumps(article("jl-bigint")) + ', "published": ' + "9" * 10_000 + "}",
         Case("JSONL 10,000-digit number", "bad.jsonl", "either", 13, "#bigint", marker="jl-bigint")),
        ("[" * 100_000 + "]" * 100_000, Case("JSONL 100,000 nested arrays", "bad.jsonl", "skip", 14,
                                             reason_has=("json", "nested", "deep"))),
        (json.dumps({"id": "short", "text": "hi"}),
         Case("JSONL text too short to be an article", "bad.jsonl", "skip", 15, "#short",
              reason_has=("text", "short", "article"))),
        ("", Case("JSONL blank line", "bad.jsonl", "ignore", 16)),
        (good_line("jl-good-2"), Case("JSONL good line after the bad ones", "bad.jsonl", "ingest", 17,
                                      "#jl-good-2", marker="jl-good-2")),
    ]
    surrogates = [  # lone surrogate escapes, which no encoder accepts: each record skipped, the rest kept
        ('{"id": "sur-text", "text": ' + json.dumps(article("sur-text"))[:-1] + ' \\ud800"}',
         Case("JSONL lone surrogate in text", "surrogates.jsonl", "skip", 1, reason_has=("surrogate",))),
        ('{"id": "sur-title", "title": "bad \\udc80 title", "text": ' + json.dumps(article("sur-title")) + "}",
         Case("JSONL lone surrogate in title", "surrogates.jsonl", "skip", 2, reason_has=("surrogate",))),
        ('{"id": "sur-\\ud800", "text": ' + json.dumps(article("sur-id")) + "}",
         Case("JSONL lone surrogate in id", "surrogates.jsonl", "skip", 3, reason_has=("surrogate",))),
        (good_line("sur-good", title="A NUL\u0000 in the title"),
         Case("JSONL good line beside them (NUL in title)", "surrogates.jsonl", "ingest", 4, "#sur-good",
              marker="sur-good")),
    ]
    _write(root / "surrogates.jsonl", "\n".join(text for text, _ in surrogates) + "\n")
    cases.extend(case for _, case in surrogates)
    raw_lines = [text.encode("utf-8") for text, _ in lines]
    raw_lines.append(b'{"id": "jl-cp1252", "text": "' + article("jl-cp1252 caf\xe9").replace("\n", " ").encode(
        "cp1252") + b'"}')
    lines.append(("", Case("JSONL line in Windows-1252", "bad.jsonl", "ingest", 18, "#jl-cp1252",
                           marker="jl-cp1252 café")))
    _write(root / "bad.jsonl", b"\n".join(raw_lines) + b"\n")
    cases.extend(case for _, case in lines)
    add(Case("JSONL file with no JSON lines", "nothing.jsonl", "skip", reason_has=("no json", "json")), "\n\n  \n")

    # --- absurd values inside articles ---------------------------------------------------------
    add(Case("absurd dates in the text", "dates.txt", "ingest", marker="absurd-dates"),
        "Taliban fighters attack police post in Kandahar\n\nPublished: 99999-99-99\n\n"
        "Kandahar, 32 Undecember 20233: Taliban fighters attacked a police post on 31 February 2023 and "
        "again on 0000-00-00, officials said. The case absurd-dates was checked by reporters.\n\n"
        + article("absurd-dates-2").split("\n\n", 1)[1])
    digits = "9" * 10_000
    add(Case("numbers 1e309, NaN, 10,000 digits, 10^22", "numbers.txt", "ingest", marker="odd-numbers"),
        "Taliban claims huge army in Kandahar\n\n"
        f"The Taliban had 1e309 fighters in Kandahar, a spokesman said. The Taliban has NaN fighters in Herat. "
        f"The Taliban had {digits} fighters in Kabul. The case odd-numbers was checked by reporters.\n\n"
        f"At least 99999999999999999999999 people were killed when the Taliban attacked Kandahar on Monday, "
        f"and {digits} were wounded. More than inf fighters and between -1e309 and 1e309 militants joined.\n\n"
        + article("odd-numbers-2").split("\n\n", 1)[1])
    long_token = "Q" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9_999))
    add(Case("a 10,000-character capitalised name", "long_name.txt", "ingest", marker="long-token"),
        f"Commander {long_token} leads the Taliban in Kandahar\n\n"
        f"Commander {long_token} said on Monday that the Taliban would attack Kandahar. "
        f"The case long-token was checked by reporters.\n\n" + article("long-token-2").split("\n\n", 1)[1])
    words = " ".join(rng.choice(("Abdul", "Rahman", "Karimi", "Noori", "Zaman", "Haqqani", "Mohammad"))
                     for _ in range(1_500))
    add(Case("10,000 characters of capitalised words", "long_words.txt", "ingest", marker="long-words"),
        f"Taliban fighters attack police post in Kandahar\n\nA commander called {words} told reporters that "
        "the Taliban would attack Kandahar. The case long-words was checked by reporters.\n\n"
        + article("long-words-2").split("\n\n", 1)[1])
    add(Case(f"{mentions:,} repeated actor names (mention cap)", "many_mentions.txt", "ingest",
             marker="many-mentions"),
        "Taliban fighters everywhere\n\nThe case many-mentions was checked by reporters. "
        + "Taliban fighters met Taliban commanders. " * (mentions // 2) + "\n")

    # --- file system ----------------------------------------------------------------------------
    loops = root / "loops"
    loops.mkdir()
    os.symlink("..", loops / "up")  # a directory symlink to its parent
    os.symlink(".", loops / "self_dir")
    cases.append(Case("directory symlink to its parent", "loops/up", "skip", reason_has=("not followed",)))
    cases.append(Case("directory symlink to itself", "loops/self_dir", "skip", reason_has=("not followed",)))
    os.symlink("self_loop.txt", loops / "self_loop.txt")  # a file symlink to itself
    cases.append(Case("file symlink to itself", "loops/self_loop.txt", "skip", reason_has=("loop", "symlink")))
    os.symlink("nowhere.txt", loops / "dangling.txt")
    cases.append(Case("dangling symlink", "loops/dangling.txt", "skip", reason_has=("no such", "not found")))
    os.mkfifo(root / "fifo.txt")
    cases.append(Case("named pipe (FIFO) named .txt", "fifo.txt", "skip", reason_has=("regular", "not a file")))
    outside = root.parent / f"{root.name}-outside.txt"  # a readable article outside the input folder
    _write(outside, article("outside-link"))
    os.symlink(outside, loops / "outside.txt")
    cases.append(Case("file symlink out of the input folder", "loops/outside.txt", "skip",
                      reason_has=("outside", "not followed")))
    os.symlink("/etc/passwd", loops / "passwd.txt")
    cases.append(Case("file symlink to a system file", "loops/passwd.txt", "skip", reason_has=("outside",)))
    os.symlink(root.parent, loops / "out_dir")
    cases.append(Case("directory symlink out of the input folder", "loops/out_dir", "skip",
                      reason_has=("not followed",)))

    # --- names and types ---------------------------------------------------------------------------
    raw_name = os.fsencode(root / "good") + b"/latin1_caf\xe9.txt"  # a name that is not UTF-8
    with open(raw_name, "wb") as fh:
        fh.write(article("non-utf8-name").encode("utf-8"))
    add(Case("file name that is not UTF-8", "good/latin1_caf\\xe9.txt", "ingest", marker="non-utf8-name"))
    add(Case("Markdown notes in the folder", "notes.md", "skip", reason_has=("article type",)), article("notes-md"))
    add(Case("a TSV table in the folder", "SOURCES.tsv", "skip", reason_has=("article type",)),
        "id\turl\n1\thttps://example.org/a\n")
    add(Case("a file without an extension", "README", "skip", reason_has=("article type",)), article("no-ext"))
    _write(root / "locked" / "unreadable.txt", article("unreadable"))
    os.chmod(root / "locked" / "unreadable.txt", 0)
    if is_root():
        os.chmod(root / "locked" / "unreadable.txt", 0o644)
        cases.append(Case("chmod 000 file (root can read it: ingested)", "locked/unreadable.txt", "ingest",
                          marker="unreadable"))
        notes.append("chmod 000 not testable: running as root, who can read any file "
                     "(the file is restored to 0644 and expected to be ingested)")
    else:
        cases.append(Case("chmod 000 file", "locked/unreadable.txt", "skip", reason_has=("permission",)))
    return cases, notes


# --- judging an ingest run ---------------------------------------------------------------------

_HUMAN = re.compile(r"[a-z]{3,}.*[a-z]{3,}", re.I)


def documents_of(db: Path) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT d.id, d.source, d.raw, d.text, d.published, "
            "(SELECT COUNT(*) FROM mentions m WHERE m.doc_id = d.id) AS mentions FROM documents d").fetchall()
        return {r["source"]: dict(r) for r in rows}
    finally:
        conn.close()


def evaluate(cases: list[Case], root: Path, summary: dict[str, Any], db: Path,
             max_mentions: int | None = None) -> list[str]:
    """Judge one run: fill each case's ``ended``, ``ok`` and ``problems``; return the problems that belong
    to no case (unexpected skipped entries, forbidden values in the database)."""
    problems: list[str] = []
    skipped = list(summary.get("skipped", []))
    docs = documents_of(db)
    used: set[int] = set()
    for case in cases:
        case.problems.clear()
        path = str(root / case.path)
        mine = [i for i, s in enumerate(skipped)
                if _same_input(s, path, case)]
        used.update(mine)
        source = path + (case.doc_source_suffix or "") if case.line is not None else path
        doc = docs.get(source)
        if doc is None and case.line is not None and case.doc_source_suffix is None:
            doc = docs.get(f"{path}:{case.line}")
        if mine:
            reasons = "; ".join(skipped[i]["reason"] for i in mine)
            case.ended = f"skipped: {reasons}"
        elif doc is not None:
            case.ended = f"ingested ({len(doc['text'])} chars, {doc['mentions']} mentions" + (
                f", published {doc['published']})" if doc["published"] else ")")
        else:
            case.ended = "neither skipped nor ingested"
        if len(mine) > 1:
            case.problems.append(f"reported {len(mine)} times in skipped")
        if mine and doc is not None:
            case.problems.append("both skipped and ingested")
        for i in mine:
            s = skipped[i]
            reason = str(s.get("reason") or "")
            if not _HUMAN.search(reason) or "Traceback" in reason:
                case.problems.append(f"reason is not human-readable: {reason!r}")
            if case.reason_has and case.expect == "skip" and not any(k in reason.lower() for k in case.reason_has):
                case.problems.append(f"reason {reason!r} mentions none of {case.reason_has}")
            if case.line is not None and s.get("line") != case.line:
                case.problems.append(f"skipped entry has line {s.get('line')!r}, expected {case.line} "
                                     f"(source {s.get('source')!r})")
        if case.expect == "skip" and not mine:
            case.problems.append("expected to be skipped with a reason, but " + case.ended)
        if case.expect == "ingest" and doc is None:
            case.problems.append("expected to be ingested, but " + case.ended)
        if case.expect == "either" and not mine and doc is None:
            case.problems.append("silently dropped: " + case.ended)
        if doc is not None:
            if case.marker and case.marker not in doc["text"]:
                case.problems.append(f"document text lacks the marker {case.marker!r} (mis-decoded?)")
            for ch in ("\x00", "\r"):
                if ch in doc["raw"]:
                    case.problems.append(f"stored raw text contains {ch!r}")
        case.ok = not case.problems
    for i, s in enumerate(skipped):
        if i not in used and not str(s.get("source", "")).startswith(str(SEEDS)):
            problems.append(f"unexpected skipped entry: {s}")
    problems.extend(database_problems(db, max_mentions))
    return problems


def _same_input(s: dict[str, Any], path: str, case: Case) -> bool:
    src = str(s.get("source", ""))
    if case.line is None:
        return src == path
    if src == path:
        return s.get("line") == case.line
    # a document rejected after reading may be named by its document source instead
    return src in (f"{path}:{case.line}", path + (case.doc_source_suffix or "\0"))


def database_problems(db: Path, max_mentions: int | None = None) -> list[str]:
    """Values that must never reach the database whatever the input."""
    from sitrep.config import Settings

    settings = Settings()
    cap = max_mentions or settings.max_mentions_per_document
    problems: list[str] = []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        if (r := conn.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            problems.append(f"integrity_check: {r}")
        for (n,) in conn.execute("SELECT MAX(LENGTH(name)) FROM entities"):
            if n and n > settings.max_name_chars:
                problems.append(f"an entity name is {n} characters (limit {settings.max_name_chars})")
        for (n,) in conn.execute("SELECT MAX(LENGTH(alias)) FROM aliases"):
            if n and n > settings.max_name_chars:
                problems.append(f"an alias is {n} characters (limit {settings.max_name_chars})")
        for doc_id, n in conn.execute("SELECT doc_id, COUNT(*) FROM mentions GROUP BY doc_id"):
            if n > cap:
                problems.append(f"document {doc_id} has {n} mentions (cap {cap})")
        for col in ("low", "high"):
            for (v,) in conn.execute(f"SELECT {col} FROM quantities WHERE {col} IS NOT NULL"):  # noqa: S608
                if not isinstance(v, int | float) or not math.isfinite(v):
                    problems.append(f"quantities.{col} = {v!r} is not a finite number")
        for col in ("killed", "wounded"):
            for (v,) in conn.execute(f"SELECT {col} FROM events WHERE {col} IS NOT NULL"):  # noqa: S608
                if not isinstance(v, int) or v < 0 or v > 10**9:
                    problems.append(f"events.{col} = {v!r} is not a plausible count")
        for table, col in (("documents", "published"), ("events", "date")):
            for (v,) in conn.execute(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL"):  # noqa: S608
                if not is_iso_date(v):
                    problems.append(f"{table}.{col} = {v!r} is not a valid ISO date")
        for table in ("mentions", "relations", "quantities", "events"):
            end = "end_"
            q = (f"SELECT COUNT(*) FROM {table} t JOIN documents d ON d.id = t.doc_id "  # noqa: S608
                 f"WHERE t.start < 0 OR t.{end} < t.start OR t.{end} > LENGTH(d.text)")
            if (n := conn.execute(q).fetchone()[0]):
                problems.append(f"{n} {table} rows have offsets outside their document text")
    finally:
        conn.close()
    return problems




# --- running ---------------------------------------------------------------------------------------


@dataclass
class Run:
    rc: int
    stdout: str
    stderr: str
    wall_s: float
    max_rss_mb: float


def sitrep_argv() -> list[str]:
    script = Path(sys.executable).with_name("sitrep")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sitrep"]


def run_measured(argv: list[str], timeout: float = 600, env: dict[str, str] | None = None) -> Run:
    """Run ``argv``; return exit status, output, wall time and the child's peak RSS (from wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall = time.monotonic() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        rss_kb = usage.ru_maxrss  # kilobytes on Linux
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   wall, rss_kb / 1024)


def ingest_subprocess(paths: list[str], db: Path, timeout: float = 600,
                      extra_env: dict[str, str] | None = None) -> tuple[Run, dict[str, Any]]:
    env = dict(os.environ)
    env.update(extra_env or {})
    env.pop("SITREP_DB", None)
    env["COLUMNS"] = "200"
    run = run_measured([*sitrep_argv(), "ingest", *paths, "--db", str(db), "--json", "--quiet"], timeout, env)
    try:
        summary = json.loads(run.stdout)
    except ValueError:
        summary = {}
    return run, summary


def table(cases: list[Case]) -> str:
    rows = [("hostile input", "file", "expected", "how it ended", "ok")]
    for c in cases:
        where = c.path + (f":{c.line}" if c.line is not None else "")
        ended = c.ended if len(c.ended) <= 110 else c.ended[:107] + "..."
        rows.append((c.name, where[:34], c.expect, ended,
                     "ok" if c.ok else "FAIL: " + "; ".join(c.problems)[:150]))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for n, r in enumerate(rows):
        lines.append(" | ".join(r[i].ljust(widths[i]) for i in range(4)) + " | " + r[4])
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths) + "-+-----")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", type=Path, help="build the corpus and database in this folder and keep them")
    ap.add_argument("--no-huge", action="store_true", help="skip the two 100 MB sparse files")
    ap.add_argument("--no-seeds", action="store_true", help="do not add ../shared/corpus/seeds as good inputs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sitrep-hostile-") as tmp:
        base = args.keep or Path(tmp)
        corpus, db = base / "corpus", base / "hostile.db"
        if db.exists():
            db.unlink()
        cases, notes = build_corpus(corpus, huge=not args.no_huge)
        paths = [str(corpus)] + ([str(SEEDS)] if SEEDS.is_dir() and not args.no_seeds else [])
        run, summary = ingest_subprocess(paths, db)
        problems = evaluate(cases, corpus, summary, db) if summary else ["no JSON summary on stdout"]
        problems += [f"{c.name} ({c.path}{':' + str(c.line) if c.line else ''}): {p}"
                     for c in cases for p in c.problems]
        print(table(cases))
        print()
        print(f"sitrep ingest: exit {run.rc}, {run.wall_s:.1f} s, peak RSS {run.max_rss_mb:.0f} MB; "
              f"ingested {summary.get('ingested')}, skipped {len(summary.get('skipped', []))}, "
              f"duplicates {summary.get('duplicates')}")
        if "Traceback" in run.stderr:
            problems.append("traceback on stderr")
        for note in notes:
            print(f"note: {note}")
        for p in problems:
            print(f"PROBLEM: {p}")
        if run.stderr.strip():
            print("stderr (last 1,500 chars):\n" + run.stderr[-1500:])
        # restore permissions so the temp folder can be removed
        for p in corpus.rglob("*"):
            if p.is_file() and not p.is_symlink():
                os.chmod(p, 0o644)
    return 0


if __name__ == "__main__":
    sys.exit(main())
