"""No article lost without a word (issue 16): identity by path and by content, stdin, duplicate
JSONL ids, one bad record in a batch, symlinks out of the input tree, article types in folders,
newer metadata for known content."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import pipeline_missing
from sitrep.config import Settings
from sitrep.pipeline import IngestSummary, run_ingest
from sitrep.store import open_store

_MISSING = pipeline_missing()
pytestmark = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")


def story(n: int) -> str:
    """A short invented article; ``n`` makes it distinct."""
    return (f"Red Hand Brigade raid number {n} in Arcadia\n\n"
            f"Fighters of the Red Hand Brigade attacked a border post in Arcadia on Monday, killing {n + 2} "
            f"guards, officials said. Report {n} was confirmed by two witnesses.\n")


def ingest(paths: list[str], db: Path, settings: Settings | None = None, **kw: Any) -> IngestSummary:
    with open_store(str(db)) as store:
        return run_ingest(paths, store, settings or Settings(batch_size=4), **kw)


def rows(db: Path) -> list[dict[str, Any]]:
    with open_store(str(db), readonly=True) as store:
        found = [store.get_document(i) for i in store.iter_document_ids()]
    return [r for r in found if r]


def documents(db: Path) -> dict[str, str]:
    """source -> raw text of every stored document (each source must be stored once)."""
    found = rows(db)
    assert len({r["source"] for r in found}) == len(found), [r["source"] for r in found]
    return {r["source"]: r["raw"] for r in found}


def test_rotated_file_keeps_the_old_article(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    latest = news / "latest.txt"
    latest.write_text(story(1), encoding="utf-8")
    db = tmp_path / "kb.db"
    assert ingest([str(news)], db).ingested == 1
    (news / "archive").mkdir()
    latest.rename(news / "archive" / "day1.txt")
    latest.write_text(story(2), encoding="utf-8")
    summary = ingest([str(news)], db)
    docs = documents(db)
    assert len(docs) == 2, docs.keys()
    assert docs[str(news / "archive" / "day1.txt")] == story(1)  # moved with its content, not deleted
    assert docs[str(latest)] == story(2)
    assert summary.replaced == 0 and summary.moved == 1
    # the next run changes nothing, and a real change still replaces
    again = ingest([str(news)], db)
    assert (again.ingested, again.replaced, again.moved, again.duplicates) == (0, 0, 0, 2)
    latest.write_text(story(3), encoding="utf-8")
    third = ingest([str(news)], db)
    assert third.replaced == 1 and len(documents(db)) == 2


def test_rotated_file_named_in_the_other_order(tmp_path: Path) -> None:
    """The new version is read before the moved one: the old content is stored again, never lost."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "latest.txt").write_text(story(1), encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest([str(a)], db)
    (a / "latest.txt").write_text(story(2), encoding="utf-8")
    (b / "day1.txt").write_text(story(1), encoding="utf-8")
    summary = ingest([str(a), str(b)], db, Settings(batch_size=1))
    docs = documents(db)
    assert set(docs.values()) == {story(1), story(2)} and len(docs) == 2
    assert summary.replaced + summary.moved >= 1


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_stdin_articles_are_identified_by_content_or_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "kb.db"
    for n in (1, 2):
        _stdin(monkeypatch, story(n))
        assert ingest(["-"], db).ingested == 1
    assert sorted(r["raw"] for r in rows(db)) == [story(1), story(2)]  # the second did not replace the first
    for n in (3, 4):  # with --id the later text replaces the earlier one of that id
        _stdin(monkeypatch, story(n))
        ingest(["-"], db, stdin_id="wire-7")
    found = rows(db)
    assert len(found) == 3 and [r["raw"] for r in found if r["source"] == "-#wire-7"] == [story(4)]


def test_duplicate_jsonl_ids_keep_the_latest_and_say_so(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [{"id": "x", "text": story(1)}, {"id": "y", "text": story(5)}, {"id": "x", "text": story(2)},
             {"id": "x", "text": story(3)}]
    feed.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    for size in (10, 1):  # the versions in one batch, and in batches written one after the other
        db = tmp_path / f"kb{size}.db"
        summary = ingest([str(feed)], db, Settings(batch_size=size))
        docs = documents(db)
        assert docs == {f"{feed}#x": story(3), f"{feed}#y": story(5)}
        assert summary.replaced == 2
        assert sum("appears again" in w for w in summary.warnings) == 2


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_one_bad_record_does_not_lose_the_batch(tmp_path: Path, workers: int) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(story(1), encoding="utf-8")
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as fh:  # a name that is not UTF-8
        fh.write(story(2).encode("utf-8"))
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join([
        '{"id": "a", "text": "' + story(3).replace("\n", " ") + '"}',
        '{"id": "b", "title": "bad \\ud800", "text": "' + story(4).replace("\n", " ") + '"}',
        '{"id": "c\\udc80", "text": "' + story(5).replace("\n", " ") + '"}',
        '{"id": "d", "text": "' + story(6).replace("\n", " ") + ' \\ud800"}',
        '{"id": "e", "title": "NUL\\u0000 title", "text": "' + story(7).replace("\n", " ") + '"}',
    ]) + "\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    summary = ingest([str(folder)], db, Settings(batch_size=32, workers=workers))
    assert summary.error is None
    assert summary.ingested == 4, summary.skipped  # good.txt, the odd name, records a and e
    assert sorted(s.line for s in summary.skipped) == [2, 3, 4]
    assert all("surrogate" in s.reason for s in summary.skipped)
    docs = documents(db)
    assert str(folder / "caf\\xe9.txt") in docs  # shown with the bad byte escaped
    with open_store(str(db), readonly=True) as store:
        titles = {store.get_document(i)["title"] for i in store.iter_document_ids()}
    assert "NUL title" in titles  # NUL removed, as PostgreSQL requires


def test_a_document_the_store_refuses_is_reported_and_the_rest_stored(tmp_path: Path) -> None:
    """A value problem met only when writing costs that document, not the batch."""
    from sitrep.models import DocResult, Document, content_hash

    def result(text: str, source: str) -> DocResult:
        digest = content_hash(text)
        return DocResult(document=Document(id=digest[:16], source=source, raw=text, text=text,
                                           content_hash=digest))

    good, bad = result(story(1), "a.txt"), result(story(2), "b.txt")
    bad.document.published = 10**30  # an integer no engine column can hold
    failed: dict[str, str] = {}
    with open_store(str(tmp_path / "kb.db")) as store:
        written = store.write_batch([good, bad], failed=failed)
        assert written == [good.document.id] and store.count_documents() == 1
    assert list(failed) == [bad.document.id] and "could not be stored" in failed[bad.document.id]


def test_symlinks_out_of_the_input_folder_are_not_followed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "real.txt").write_text(story(1), encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text(story(2), encoding="utf-8")
    (folder / "link_out.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "link_in.txt").symlink_to(folder / "real.txt")
    (folder / "dir_out").symlink_to(tmp_path)
    db = tmp_path / "kb.db"
    summary = ingest([str(folder)], db)
    reasons = {Path(s.source).name: s.reason for s in summary.skipped}
    assert set(reasons) == {"link_out.txt", "passwd.txt", "dir_out"}
    assert all("not followed" in r for r in reasons.values())
    assert "outside" in reasons["passwd.txt"]
    assert set(documents(db).values()) == {story(1)}  # the in-tree link is the same content: a duplicate
    # a path the user names is read, link or not
    assert ingest([str(folder / "link_out.txt")], db).ingested == 1


def test_folders_read_only_article_types(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(story(1), encoding="utf-8")
    (folder / "notes.md").write_text(story(2), encoding="utf-8")
    (folder / "SOURCES.tsv").write_text("name\turl\nRed Hand Brigade\thttps://example.org\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    summary = ingest([str(folder)], db)
    assert summary.ingested == 1
    assert sorted(Path(s.source).name for s in summary.skipped) == ["SOURCES.tsv", "notes.md"]
    assert all(s.reason.startswith("not an article type") for s in summary.skipped)
    assert ingest([str(folder / "notes.md")], db).ingested == 1  # named: read whatever its extension


def test_newer_metadata_for_known_content_updates_the_document(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": story(1)}) + "\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest([str(feed)], db)
    better = tmp_path / "better.jsonl"
    better.write_text(json.dumps({"id": "a", "text": story(1), "url": "https://example.org/raid",
                                  "publisher": "Arcadia Wire", "published": "2024-03-05"}) + "\n",
                      encoding="utf-8")
    summary = ingest([str(better)], db)
    assert summary.updated == 1 and summary.ingested == 0
    with open_store(str(db), readonly=True) as store:
        (doc_id,) = list(store.iter_document_ids())
        doc = store.get_document(doc_id)
    assert (doc["url"], doc["publisher"], doc["published"]) == ("https://example.org/raid", "Arcadia Wire",
                                                                "2024-03-05")
    assert ingest([str(better)], db).updated == 0  # nothing new the second time
