"""One Settings per run (issue 10): defaults, config file, environment, flags; passed explicitly to
every batch, worker process and Dask task; batches bounded by characters; a per-document time budget
(issue 16)."""

from __future__ import annotations

import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, pipeline_missing
from sitrep.config import Settings, SettingsError, build_settings
from sitrep.models import Document, Mention, content_hash

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402

_MISSING = pipeline_missing()
needs_pipeline = pytest.mark.skipif(_MISSING is not None, reason=_MISSING or "")


# --- building ------------------------------------------------------------------------------------


def test_layers_override_in_order(tmp_path: Path) -> None:
    toml = tmp_path / "sitrep.toml"
    toml.write_text("batch_size = 8\nmax_mentions_per_document = 40\nmax_batch_chars = 9000\n", encoding="utf-8")
    env = {"SITREP_MAX_MENTIONS": "30", "SITREP_BATCH_SIZE": "16"}
    s = build_settings(toml, env=env, batch_size=4, workers=None)
    assert (s.batch_size, s.max_mentions_per_document, s.max_batch_chars, s.workers) == (4, 30, 9000, 1)
    assert build_settings(env={}) == Settings()


def test_yaml_config_and_sitrep_table(tmp_path: Path) -> None:
    yml = tmp_path / "s.yaml"
    yml.write_text("document_time_budget_s: 2.5\nnear_duplicate_threshold: 3\n", encoding="utf-8")
    assert build_settings(yml, env={}).document_time_budget_s == 2.5
    toml = tmp_path / "s.toml"
    toml.write_text("[sitrep]\nworkers = 3\n", encoding="utf-8")
    assert build_settings(toml, env={}).workers == 3


@pytest.mark.parametrize("content, suffix, message", [
    ("batch_sise = 3\n", ".toml", r"s\.toml: unknown setting 'batch_sise'"),
    ("batch_size: many\n", ".yaml", r"s\.yaml: 'batch_size' must be an integer"),
    ("batch_size: 0\n", ".yaml", "at least 1"),
    ("- a\n- b\n", ".yaml", "must be a mapping"),
    ("batch_size = [\n", ".toml", "not valid TOML"),
    ("x", ".ini", r"\.yaml, \.yml or \.toml"),
])
def test_bad_config_files_are_named_with_the_key(tmp_path: Path, content: str, suffix: str, message: str) -> None:
    path = tmp_path / f"s{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=message):
        build_settings(path, env={})


def test_bad_environment_value_is_named() -> None:
    with pytest.raises(SettingsError, match="SITREP_MAX_MENTIONS"):
        build_settings(env={"SITREP_MAX_MENTIONS": "lots"})


def test_cli_rejects_a_bad_config_with_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from sitrep.cli import _register, app

    _register()
    bad = tmp_path / "s.toml"
    bad.write_text("colour = 'red'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", "x.txt", "--config", str(bad), "--db", str(tmp_path / "k.db")])
    assert result.exit_code == 2 and "unknown setting 'colour'" in result.output


def test_only_the_settings_builder_reads_the_environment() -> None:
    pattern = re.compile(r"os\.environ|os\.getenv|getenv\(")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "src" / "sitrep").rglob("*.py")
                 if p.name != "config.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_import_cycle_between_pipeline_and_dask_runner() -> None:
    source = (ROOT / "src" / "sitrep" / "scale" / "dask_runner.py").read_text(encoding="utf-8")
    assert "sitrep.pipeline" not in source


# --- batches and the time budget -----------------------------------------------------------------


def _doc(n: int, size: int) -> Document:
    text = (f"story {n} " + "x" * size)[:size]
    digest = content_hash(text)
    return Document(id=digest[:16], source=f"{n}.txt", raw=text, text=text, content_hash=digest)


def test_batches_are_bounded_by_characters_too() -> None:
    from sitrep.pipeline import _batches, _Pending

    docs = [_Pending(_doc(i, size)) for i, size in enumerate([400, 400, 400, 2000, 100, 100])]
    sizes = [[len(p.document.text) for p in b] for b in _batches(iter(docs), size=10, max_chars=1000)]
    assert sizes == [[400, 400], [400], [2000], [100, 100]]
    assert [len(b) for b in _batches(iter(docs), size=4, max_chars=None)] == [4, 2]


def _fake_stages(sleep_s: float, ran: list[str]) -> Any:
    def entities(ctx: Any) -> None:
        ran.append("entities")
        ctx.mentions.append(Mention(ctx.document.id, 0, 5, "story", "armed_group", "actor:x", 0, 5))

    def slow(ctx: Any) -> None:
        ran.append("slow")
        time.sleep(sleep_s)

    def events(ctx: Any) -> list[Any]:
        ran.append("events")
        return []

    return lambda: [("entities", entities), ("slow", slow), ("events", events)]


def test_time_budget_stops_a_stuck_extractor_and_keeps_what_was_found(monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.pipeline as pipeline

    ran: list[str] = []
    monkeypatch.setattr(pipeline, "_stages", _fake_stages(30.0, ran))
    result = pipeline.analyse(_doc(1, 200), None, Settings(document_time_budget_s=0.3))  # type: ignore[arg-type]
    assert ran == ["entities", "slow"]  # interrupted inside "slow"; "events" never started
    assert len(result.mentions) == 1
    assert any("time budget of 0.3 s" in w and "slow" in w for w in result.warnings)


def test_time_budget_outside_the_main_thread_is_checked_between_extractors(monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.pipeline as pipeline

    ran: list[str] = []
    monkeypatch.setattr(pipeline, "_stages", _fake_stages(0.4, ran))
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(
        pipeline.analyse(_doc(2, 200), None, Settings(document_time_budget_s=0.1))))  # type: ignore[arg-type]
    thread.start()
    thread.join(30)
    assert ran == ["entities", "slow"] and out and any("time budget" in w for w in out[0].warnings)


def test_no_budget_warning_within_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.pipeline as pipeline

    ran: list[str] = []
    monkeypatch.setattr(pipeline, "_stages", _fake_stages(0.0, ran))
    result = pipeline.analyse(_doc(3, 200), None, Settings(document_time_budget_s=30))  # type: ignore[arg-type]
    assert ran == ["entities", "slow", "events"] and result.warnings == []


@needs_pipeline
def test_document_over_budget_is_stored_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitrep.pipeline as pipeline
    from sitrep.store import open_store

    ran: list[str] = []
    monkeypatch.setattr(pipeline, "_stages", _fake_stages(30.0, ran))
    article = tmp_path / "a.txt"
    article.write_text("Red Hand Brigade raid\n\nThe Red Hand Brigade raided a post in Arcadia on Monday.\n",
                       encoding="utf-8")
    with open_store(str(tmp_path / "kb.db")) as store:
        summary = pipeline.run_ingest([str(article)], store, Settings(document_time_budget_s=0.3))
        assert summary.ingested == 1 and store.count_documents() == 1
    assert any("time budget" in w for w in summary.warnings)


# --- the same settings wherever analysis runs ----------------------------------------------------


def _snapshot(db: Path) -> dict[str, Any]:
    from sitrep.store import open_store

    with open_store(str(db), readonly=True) as store:
        mentions = sorted((m["doc_id"], m["start"], m["end"], m["key"]) for m in store.mentions(limit=1_000_000))
        docs = sorted(store.iter_document_ids())
    return {"docs": docs, "mentions": mentions}


@needs_pipeline
@pytest.mark.slow
def test_a_setting_reaches_extraction_identically_everywhere(tmp_path: Path) -> None:
    from sitrep.pipeline import run_ingest
    from sitrep.store import open_store

    corpus = tmp_path / "feed.jsonl"
    generate.write_jsonl(corpus, 6, seed=5)
    limit = 300
    settings = Settings(batch_size=2, max_analysis_chars=limit, max_mentions_per_document=2)
    runs: dict[str, dict[str, Any]] = {}
    for name, kw in {"default": {}, "one": {"workers": 1}, "two": {"workers": 2},
                     "dask": {"workers": 2, "scheduler": "local"}}.items():
        db = tmp_path / f"{name}.db"
        with open_store(str(db)) as store:
            summary = run_ingest([str(corpus)], store, Settings(batch_size=2) if name == "default" else settings,
                                 **kw)
        assert summary.error is None and summary.ingested == 6, (name, summary.error)
        if name != "default":
            assert sum(f"only the first {limit:,}" in w for w in summary.warnings) == 6, name
        runs[name] = _snapshot(db)
    assert runs["one"] == runs["two"] == runs["dask"]
    per_doc: dict[str, int] = {}
    for doc_id, start, _end, _key in runs["one"]["mentions"]:
        per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
        assert start < limit
    assert all(n <= 2 for n in per_doc.values())
    assert runs["default"]["mentions"] != runs["one"]["mentions"]  # the setting changed extraction
