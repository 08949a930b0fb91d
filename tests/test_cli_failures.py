"""Errors, not tracebacks (issue 16): a corrupt or newer database, output that cannot be written, a
full disk, a read-only database, a crash, and terminal control characters in what is printed.

Each command runs in-process through the typer app (an escaping exception fails the test) and,
for the run-level cases, as the real ``sitrep`` executable whose output must never hold
"Traceback"."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import run_sitrep
from outputs_kb import build_sample_kb
from sitrep.cli import _register, app
from sitrep.cli.common import EXIT_FAILED, EXIT_STORE, atomic_write, safe_text

_register()
runner = CliRunner()

READ_COMMANDS: list[list[str]] = [
    ["actors"], ["docs"], ["places"], ["relations"], ["events"], ["timeline"], ["contradictions"],
    ["brief"], ["export", "json", "-o", "-"], ["export", "graphml", "-o", "-"],
]


def invoke(args: list[str], **kw: Any) -> Any:
    result = runner.invoke(app, args, catch_exceptions=True, **kw)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{args}: {type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in (result.output or "")
    return result


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return build_sample_kb(tmp_path / "kb.db")


def _corrupt(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    data = bytearray(db.read_bytes())
    for i in range(4096 * 2, len(data) - 1, 61):
        data[i] ^= 0xA5
    db.write_bytes(bytes(data))


def _set_version(db: Path, value: str) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (value,))
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("damage", ["corrupt", "newer", "unknown"])
def test_damaged_database_is_exit_4_for_every_command_and_never_written(kb: Path, tmp_path: Path,
                                                                        damage: str) -> None:
    if damage == "corrupt":
        _corrupt(kb)
    else:
        _set_version(kb, "99" if damage == "newer" else "v-two")
    before = kb.read_bytes()
    article = tmp_path / "a.txt"
    article.write_text("Red Hand Brigade raid\n\nThe Red Hand Brigade raided a post in Arcadia on Monday.\n",
                       encoding="utf-8")
    for args in [*READ_COMMANDS, ["ingest", str(article), "-q"]]:
        result = invoke([*args, "--db", str(kb)])
        assert result.exit_code == EXIT_STORE, (args, result.exit_code, result.output[-500:])
        expected = {"corrupt": ("corrupt", "malformed", "not a usable"), "newer": ("newer sitrep",),
                    "unknown": ("not one sitrep knows",)}[damage]
        assert any(word in result.output for word in expected), (args, result.output[-500:])
    assert kb.read_bytes() == before


def test_unwritable_output_is_exit_4_and_leaves_no_partial_file(kb: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    for args in (["brief", "-o", str(folder)], ["export", "json", "-o", str(folder)],
                 ["export", "stix", "-o", str(folder), "--no-validate"]):
        result = invoke([*args, "--db", str(kb)])
        assert result.exit_code == EXIT_STORE and "folder" in result.output, (args, result.output[-300:])
    assert list(folder.iterdir()) == []
    target = tmp_path / "brief.md"
    target.write_text("previous briefing", encoding="utf-8")
    for _ in range(1):
        result = invoke(["brief", "-o", str(target), "--db", str(kb)])
        assert result.exit_code == 0
    assert target.read_text(encoding="utf-8") != "previous briefing"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".brief.md.")] == []


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.cli import common

    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def full(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(common.os, "fsync", full)
    with pytest.raises(common.OutputError, match="No space left"):
        atomic_write(target, "new content")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left


def test_read_only_folder_is_exit_4(kb: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = invoke(["export", "json", "-o", str(locked / "kb.json"), "--db", str(kb)])
        assert result.exit_code == EXIT_STORE and "cannot write" in result.output
    finally:
        locked.chmod(0o755)


def _article(tmp_path: Path, n: int, paragraphs: int = 1) -> Path:
    path = tmp_path / f"story{n}.txt"
    body = "".join(f"Fighters of the Red Hand Brigade raided post {i} in Arcadia on Monday, killing {n} guards, "
                   "officials said.\n\n" for i in range(paragraphs))
    path.write_text(f"Red Hand Brigade raid {n}\n\n{body}", encoding="utf-8")
    return path


def test_full_disk_during_ingest_names_the_lost_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.cli import common

    db = tmp_path / "kb.db"
    real_open = common.open_store

    def small_disk(url: str, readonly: bool = False) -> Any:
        store = real_open(url, readonly=readonly)
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(common, "open_store", small_disk)
    result = invoke(["ingest", str(_article(tmp_path, 1, paragraphs=300)), "--db", str(db), "-q"])
    assert result.exit_code == EXIT_STORE
    assert "batch 1" in result.output and "story1.txt" in result.output and "full" in result.output
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
    finally:
        conn.close()


def test_database_refusing_writes_during_ingest_is_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitrep.cli import common

    real_open = common.open_store

    def read_only_engine(url: str, readonly: bool = False) -> Any:
        store = real_open(url, readonly=readonly)
        store.conn.execute("PRAGMA query_only = 1")  # what a read-only file system answers
        return store

    monkeypatch.setattr(common, "open_store", read_only_engine)
    result = invoke(["ingest", str(_article(tmp_path, 2)), "--db", str(tmp_path / "kb.db"), "-q"])
    assert result.exit_code == EXIT_STORE and "readonly" in result.output


def test_a_crash_has_its_own_exit_code_and_no_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    import sitrep.cli.query as query
    from sitrep.cli import main

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("an unexpected bug")

    monkeypatch.setattr(query.qa, "list_actors", broken, raising=False)
    monkeypatch.setattr(query.qa, "actors", broken, raising=False)
    kb = build_sample_kb(tmp_path / "kb.db")
    monkeypatch.setattr(sys, "argv", ["sitrep", "actors", "--db", str(kb)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out = capsys.readouterr()
    assert exit_info.value.code == EXIT_FAILED
    assert "Traceback" not in out.err + out.out and "an unexpected bug" in out.err


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    from sitrep.models import DocResult, Document, content_hash
    from sitrep.store import open_store

    text = "A plain article body about the Red Hand Brigade in Arcadia, long enough to keep."
    digest = content_hash(text)
    doc = Document(id=digest[:16], source="evil\x1b]0;owned\x07name.txt", raw=text, text=text,
                   content_hash=digest, title="Title \x1b[2J\x1b[31mred\x9b1m \u202eoverride")
    db = tmp_path / "kb.db"
    with open_store(str(db)) as store:
        store.write_batch([DocResult(document=doc)])
    for args in (["docs"], ["docs", "--json"], ["doc", doc.id]):
        result = invoke([*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        for bad in ("\x1b", "\x07", "\x9b", "\u202e"):
            assert bad not in result.output, (args, repr(result.output[:300]))
    data = json.loads(invoke(["docs", "--json", "--db", str(db)]).output)
    assert "\x1b[2J" in json.dumps(data, ensure_ascii=False) or "\\u001b" in json.dumps(data)  # data kept, escaped
    assert safe_text("ok\ttab\nline \x1b[0m \udcff") == "ok\ttab\nline [0m \\udcff"


def test_no_traceback_from_the_real_executable(tmp_path: Path, kb: Path) -> None:
    """The executable itself on the cases above: one line, a meaningful exit code, never a traceback."""
    bad_db = tmp_path / "bad.db"
    bad_db.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    cases = [
        (["actors", "--db", str(bad_db)], EXIT_STORE),
        (["export", "json", "-o", str(tmp_path), "--db", str(kb)], EXIT_STORE),
        (["ingest", str(tmp_path / "missing.txt"), "--db", str(tmp_path / "new.db"), "-q"], 1),
        (["ingest", "--config", str(tmp_path / "none.toml"), "x", "--db", str(tmp_path / "new.db")], 2),
        (["ingest", str(tmp_path), "--db", str(tmp_path)], EXIT_STORE),  # --db names a folder
    ]
    for args, code in cases:
        done = run_sitrep(args, timeout=120)
        assert "Traceback" not in done.stdout + done.stderr, (args, done.stderr[-800:])
        assert done.returncode == code, (args, done.returncode, done.stderr[-500:])
