"""sitrep benchmark: one command, every figure.

    .venv/bin/python bench/run.py --texts ../shared/corpus/dev --texts ../shared/corpus/seeds   # ~8 min
    .venv/bin/python bench/run.py --full     # adds (c) and (f) at 1k/10k documents and 100k (about 45 min)
    .venv/bin/python bench/run.py --quick    # smoke run (a few minutes)

Measures, on synthetic articles from ``bench/generate.py`` and, with ``--texts DIR`` (repeatable), on
a corpus of real text: the paragraphs of the articles in DIR shuffled into many distinct documents:

a. bare spaCy ``nlp.pipe`` words/s on the cleaned texts (the base model sitrep
   loads, without sitrep's entity ruler, same batch size as ingest);
b. full ``sitrep ingest`` words/s on the same texts (a subprocess, start-up
   included and, separately, excluded) and the ratio b/a;
c. peak RSS of the ingest process (and of its process tree) at two corpus sizes
   (1k and 10k documents with --workers 2; quick: 100 and 400 with one process);
d. re-ingest time of the unchanged corpus against the first ingest;
e. ``--workers 2`` speed-up over one process;
f. on a large database (100k documents; 2k with --quick) p50/p95 latency of the
   actor profile query, document search and the actor-graph query.  The database
   is built by bulk-writing synthetic DocResults with ``store.write_batch``
   (running spaCy over 100k articles would take hours on 2 cores);
g. ``sitrep ingest --scheduler local --workers 2`` (a 2-worker Dask LocalCluster): words/s per worker;
h. the projection: hours for 100,000 articles of 750 words with ``--workers 2`` and Dask workers needed
   to keep up with that many a day;
i. ``sitrep eval`` on the seeds and the shared dev set, with the fast path and with the full spaCy
   pipeline on every sentence, in the same run: the speed is never bought with quality.

(c) and (f) run with ``--full`` (or ``--quick``), or when asked for with ``--only``.

Wall-clock figures depend on what else runs on the machine; CPU seconds are
recorded beside them.  Results: a table on stdout and ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TARGETS = {
    "pipeline_vs_spacy": 1.2,  # synthetic articles
    "pipeline_vs_spacy_real": 1.0,  # real text (--texts)
    "rss_growth": 1.2,
    "reingest_speedup": 50.0,
    "workers2_speedup": 1.8,
    "actor_profile_p95_ms": 100.0,
    "search_p95_ms": 200.0,
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- subprocess ingest with RSS polling -------------------------------------------------------------


def run_ingest(paths: list[str], db: str, workers: int = 1, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    """Run ``sitrep ingest`` as a subprocess; wall time, CPU time, peak RSS (process and tree), summary."""
    import psutil

    cmd = [sys.executable, "-m", "sitrep", "ingest", *paths, "--db", db, "--json", "--quiet",
           "--workers", str(workers), *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cpu0 = psutil.cpu_times()
    out_f = tempfile.TemporaryFile()
    err_f = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, env=env)
    ps = psutil.Process(proc.pid)
    peak_main = peak_tree = 0
    own_cpu = 0.0  # the ingest process alone, without its workers (last seen before it exited)
    while True:
        try:
            times = ps.cpu_times()
            own_cpu = max(own_cpu, times.user + times.system)
            rss = ps.memory_info().rss
            tree = rss
            for child in ps.children(recursive=True):
                try:
                    tree += child.memory_info().rss
                except psutil.Error:
                    pass
            peak_main, peak_tree = max(peak_main, rss), max(peak_tree, tree)
        except psutil.Error:
            pass
        try:
            pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        except ChildProcessError:
            break
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    cpu1 = psutil.cpu_times()
    busy = sum(cpu1) - sum(cpu0) - (cpu1.idle - cpu0.idle) - (getattr(cpu1, "iowait", 0) - getattr(cpu0, "iowait", 0))
    out_f.seek(0)
    err_f.seek(0)
    stdout, stderr = out_f.read().decode(errors="replace"), err_f.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed ({proc.returncode}): {stderr[-2000:]}")
    summary = json.loads(stdout)
    cpu = ru.ru_utime + ru.ru_stime
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),  # the process and its waited-for children
        # the parent alone (reading, cleaning, writing: the serial part with --workers N) and its share
        "parent_cpu_s": round(own_cpu, 3),
        "parent_cpu_share": round(own_cpu / cpu, 3) if cpu else None,
        # CPU used by everything else on the machine meanwhile, in cores: wall-clock figures are only
        # comparable between runs with similar background load
        "background_cores": round(max(0.0, busy - (ru.ru_utime + ru.ru_stime)) / wall, 2),
        "peak_rss_mb": round(peak_main / 2**20, 1),
        "peak_tree_rss_mb": round(peak_tree / 2**20, 1),
        "ingested": summary["ingested"],
        "duplicates": summary["duplicates"],
        "replaced": summary["replaced"],
        "near_duplicates": summary["near_duplicates"],
        "skipped": len(summary["skipped"]),
        "words": summary["words"],
        "documents_in_db": summary["database"]["documents"],
    }


# -- (a) bare spaCy -------------------------------------------------------------------------------------


def cleaned_texts(jsonl: Path) -> list[str]:
    from sitrep.config import Settings
    from sitrep.ingest.document import make_document
    from sitrep.ingest.readers import RawInput, iter_inputs

    settings = Settings()
    return [make_document(item, settings).text for item in iter_inputs([str(jsonl)], settings)
            if isinstance(item, RawInput)]


def bare_spacy(texts: list[str], blas: bool = True) -> dict[str, Any]:
    import spacy

    from sitrep.config import Settings
    from sitrep.nlp import model_name

    name = model_name()
    t0 = time.perf_counter()
    try:
        nlp = spacy.load(name)
    except OSError:
        nlp = __import__(name).load()
    load_s = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    batch = Settings().batch_size
    list(nlp.pipe(texts[:8], batch_size=batch))  # warm up
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch):
        pass
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = {"model": name, "pipes": nlp.pipe_names, "batch_size": batch, "load_s": round(load_s, 2),
           "documents": len(texts), "words": words, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
           "words_per_s": round(words / wall), "words_per_cpu_s": round(words / cpu)}
    if blas:  # the same bare pipeline with sitrep's BLAS matrix products: how much of the gain is that
        from sitrep.nlp.ops import use_blas_ops

        use_blas_ops(nlp)
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch):
            pass
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        out["with_blas_ops"] = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                                "words_per_s": round(words / wall), "words_per_cpu_s": round(words / cpu)}
    return out


# -- where the time goes ------------------------------------------------------------------------------


def stage_breakdown(jsonl: Path, limit: int = 200) -> dict[str, Any]:
    """CPU ms per document of each step of ingest, measured in-process on the first ``limit`` articles:
    reading+cleaning, every spaCy component (sitrep's entity ruler included), every extractor,
    the near-duplicate signature and the store write."""
    from sitrep.config import Settings
    from sitrep.data import load_gazetteer
    from sitrep.extract.context import ExtractionContext
    from sitrep.ingest.document import make_document
    from sitrep.ingest.readers import RawInput, iter_inputs
    from sitrep.models import DocResult
    from sitrep.nlp import get_nlp
    from sitrep.nlp.fastpath import parse
    from sitrep.pipeline import _stages
    from sitrep.resolve.dedup import simhash
    from sitrep.store import open_store

    settings = Settings()
    ms: dict[str, float] = {}

    def add(name: str, seconds: float) -> None:
        ms[name] = ms.get(name, 0.0) + seconds

    c0 = time.process_time()
    raws = [item for item in iter_inputs([str(jsonl)], settings) if isinstance(item, RawInput)][:limit]
    docs = [make_document(r, settings) for r in raws]
    add("read + clean", time.process_time() - c0)
    nlp = get_nlp()
    gaz = load_gazetteer()
    components: dict[str, float] = {}
    sdocs = [nlp.make_doc(d.text) for d in docs]
    for name, proc in nlp.pipeline:  # each component of the full pipeline alone, thinc's own products
        c0 = time.process_time()
        if hasattr(proc, "pipe"):
            sdocs = list(proc.pipe(sdocs, batch_size=settings.batch_size))
        else:
            sdocs = [proc(sd) for sd in sdocs]
        components[name] = time.process_time() - c0
    c0 = time.process_time()
    parsed = list(parse(nlp, [d.text for d in docs], batch_size=settings.batch_size,
                        blas=bool(settings.blas_matmul)))
    add("NLP (sitrep.nlp.fastpath.parse)", time.process_time() - c0)
    sdocs = [p.doc for p in parsed]
    results = []
    stages = _stages()
    for d, sd in zip(docs, sdocs, strict=True):
        ctx = ExtractionContext(document=d, sdoc=sd, gazetteer=gaz)
        out: dict[str, Any] = {}
        for name, fn in stages:
            c0 = time.process_time()
            try:
                out[name] = fn(ctx)
            except Exception:  # noqa: BLE001 - as the pipeline does
                out[name] = None
            add(f"extract {name}", time.process_time() - c0)
        c0 = time.process_time()
        d.meta["simhash"] = simhash(d.text)
        add("near-duplicate signature", time.process_time() - c0)
        results.append(DocResult(document=d, entities=list(ctx.entities.values()), mentions=ctx.mentions,
                                 relations=list(out.get("relations") or []),
                                 quantities=list(out.get("quantities") or []),
                                 events=list(out.get("events") or [])))
    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "s.db")) as store:
        c0 = time.process_time()
        for i in range(0, len(results), settings.batch_size):
            store.write_batch(results[i:i + settings.batch_size])
        add("store write (SQLite)", time.process_time() - c0)
    n = max(1, len(docs))
    per_doc = {k: round(v / n * 1000, 2) for k, v in ms.items()}
    model = {k: round(v / n * 1000, 2) for k, v in components.items()}
    base = sum(v for k, v in model.items() if not k.startswith("sitrep"))
    return {"documents": n, "cpu_ms_per_doc": per_doc, "total_ms_per_doc": round(sum(per_doc.values()), 2),
            "full_pipeline_components_ms_per_doc": model, "base_model_ms_per_doc": round(base, 2),
            "sentences": sum(p.sentences for p in parsed), "parsed_sentences": sum(p.parsed_sentences for p in parsed)}


# -- (f) bulk database and query latency ------------------------------------------------------------------


def _results_chunk(args: tuple[int, int, int]) -> list[Any]:
    start, n, seed = args
    return [generate.doc_result(generate.generate_article(i, seed)) for i in range(start, start + n)]


def build_bulk_db(url: str, n: int, seed: int, batch: int = 250) -> dict[str, Any]:
    """Write ``n`` synthetic DocResults straight into a store (no NLP); generation runs in 2 processes."""
    import multiprocessing as mp

    from sitrep.store import open_store

    t0 = time.perf_counter()
    write_s = 0.0
    chunks = [(s, min(batch, n - s), seed) for s in range(0, n, batch)]
    ctx = mp.get_context("spawn")
    with open_store(url) as store, ctx.Pool(2) as pool:
        done = 0
        for results in pool.imap(_results_chunk, chunks):
            w0 = time.perf_counter()
            store.write_batch(results)
            write_s += time.perf_counter() - w0
            done += len(results)
            if done % 10_000 < batch:
                log(f"bulk database: {done}/{n} documents")
        stats = store.stats()
    return {"documents": stats["documents"], "entities": stats["entities"], "mentions": stats["mentions"],
            "relations": stats["relations"], "events": stats["events"], "near_duplicates": stats["near_duplicates"],
            "build_s": round(time.perf_counter() - t0, 1), "write_s": round(write_s, 1),
            "size_mb": round(_db_size(url) / 2**20, 1)}


def _db_size(url: str) -> int:
    if "://" in url and not url.startswith("sqlite"):
        return 0
    p = Path(url)
    return sum(f.stat().st_size for f in p.parent.glob(p.name + "*"))


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)

    def pct(q: float) -> float:
        return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]

    return {"n": len(s), "p50_ms": round(pct(0.5) * 1000, 2), "p95_ms": round(pct(0.95) * 1000, 2),
            "max_ms": round(s[-1] * 1000, 2), "mean_ms": round(statistics.mean(s) * 1000, 2)}


def _time_calls(fn: Callable[[Any], Any], args: list[Any], reps: int) -> tuple[dict[str, float], list[tuple[Any, float]]]:
    samples: list[float] = []
    per_arg: dict[Any, list[float]] = {}
    for i in range(reps):
        a = args[i % len(args)]
        t0 = time.perf_counter()
        fn(a)
        dt = time.perf_counter() - t0
        samples.append(dt)
        per_arg.setdefault(a, []).append(dt)
    slowest = sorted(((a, max(v)) for a, v in per_arg.items()), key=lambda x: -x[1])[:3]
    return _percentiles(samples), [(a, round(t * 1000, 1)) for a, t in slowest]


def query_latency(url: str, reps: int, seed: int) -> dict[str, Any]:
    from sitrep.query.actors import actor_profile
    from sitrep.store import open_store

    rng = random.Random(seed)
    out: dict[str, Any] = {}
    with open_store(url, readonly=True) as store:
        actors = store.list_entities(places=False, limit=200)
        if not actors:
            return {"error": "no actors in the database"}
        # the most covered actors (the slowest case) plus a random spread of the rest
        names = [a["name"] for a in actors[:5]] + [a["name"] for a in rng.sample(actors, min(15, len(actors)))]
        profile, slow = _time_calls(lambda name: actor_profile(store, name), names, reps)
        out["actor_profile"] = {**profile, "slowest": slow}
        queries = ["suicide bomber", "Taliban", "Kabul", "training camps", "ceasefire negotiations",
                   "aid convoys", "Mogadishu market", "drone strike", "al-Shabaab fighters", "curfew checkpoints",
                   "wedding party", "Kandahar", "humanitarian agencies", "smuggling routes", "zzyzx"]
        search, slow = _time_calls(lambda q: store.search_documents(q), queries, reps)
        out["search"] = {**search, "slowest": slow}
        ids = [a["id"] for a in actors[:5]] + [a["id"] for a in rng.sample(actors, min(15, len(actors)))]
        try:
            from sitrep.query.graph import actor_graph

            graph, slow = _time_calls(lambda i: actor_graph(store, actor_id=i), ids, max(10, reps // 2))
            out["graph"] = {"query": "sitrep.query.graph.actor_graph(store, actor_id)", **graph, "slowest": slow}
        except ImportError:
            from sitrep.query.facts import relations

            graph, slow = _time_calls(lambda name: relations(store, name), names, reps)
            out["graph"] = {"query": "sitrep.query.facts.relations(store, actor)", **graph, "slowest": slow}
    return out


# -- the run ----------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    import psutil

    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "load_avg_start": os.getloadavg()}


def speeds(corpus: Path, work: Path, name: str, with_a: bool = True) -> dict[str, Any]:
    """(a) bare spaCy and (b) one-process ingest on one corpus, in this run, and their ratios."""
    out: dict[str, Any] = {}
    if with_a:
        log(f"(a) bare spaCy nlp.pipe on {corpus.name}")
        out["a_spacy"] = bare_spacy(cleaned_texts(corpus))
    log(f"(b) sitrep ingest, 1 process, {corpus.name}")
    first = run_ingest([str(corpus)], str(work / f"b-{name}.db"))
    out["b_ingest"] = first
    return out


def add_ratios(block: dict[str, Any], startup: dict[str, Any]) -> None:
    """Ratios of ingest to bare spaCy: by wall clock (incl. and excl. the start-up run's wall time) and by
    CPU time (excl. the start-up run's CPU), the one that other work on a shared machine does not move."""
    first = block["b_ingest"]
    first["words_per_s"] = round(first["words"] / first["wall_s"])
    first["words_per_s_excl_startup"] = round(first["words"] / max(1e-6, first["wall_s"] - startup["wall_s"]))
    first["words_per_cpu_s"] = round(first["words"] / first["cpu_s"])
    first["words_per_cpu_s_excl_startup"] = round(first["words"] / max(1e-6, first["cpu_s"] - startup["cpu_s"]))
    if "a_spacy" in block:
        a = block["a_spacy"]
        block["ratio_b_over_a"] = round(first["words_per_s"] / a["words_per_s"], 3)
        block["ratio_b_over_a_excl_startup"] = round(first["words_per_s_excl_startup"] / a["words_per_s"], 3)
        block["ratio_b_over_a_cpu"] = round(first["words_per_cpu_s"] / a["words_per_cpu_s"], 3)
        block["ratio_b_over_a_cpu_excl_startup"] = round(first["words_per_cpu_s_excl_startup"] / a["words_per_cpu_s"], 3)


def _excl_startup(first: dict[str, Any], startup1: dict[str, Any], two: dict[str, Any],
                  startup2: dict[str, Any]) -> float | None:
    """(e) once started: one process's wall over two workers', each less its own start-up run's wall
    (None when the corpus is too small for a start-up to be told from the run: a smoke run under load)."""
    a, b = first["wall_s"] - startup1["wall_s"], two["wall_s"] - startup2["wall_s"]
    if a < 0.2 * first["wall_s"] or b < 0.2 * two["wall_s"]:
        return None
    return round(a / b, 2)


def eval_sets() -> list[tuple[str, Path, Path]]:
    shared = ROOT.parent / "shared"
    sets = [("seeds", shared / "eval" / "gold", shared / "corpus" / "seeds"),
            ("dev", shared / "eval" / "dev-gold", shared / "corpus" / "dev")]
    return [(n, g, d) for n, g, d in sets if g.is_dir() and d.is_dir()]


def quality() -> dict[str, Any]:
    """(i) ``sitrep eval`` figures with the fast path and with the full pipeline on every sentence."""
    from sitrep.eval.score import evaluate
    from sitrep.nlp.fastpath import full_pipeline

    out: dict[str, Any] = {}
    for name, gold, docs in eval_sets():
        log(f"(i) eval on {name}: fast path, then the full pipeline")
        fast, _ = evaluate(gold, docs)
        with full_pipeline():
            full, _ = evaluate(gold, docs)
        out[name] = {"fast": fast, "full": full, "same": _scores(fast) == _scores(full)}
    return out


def _scores(result: dict[str, Any]) -> dict[str, float]:
    return {f"{area}.{k}": v for area, d in result.items() if isinstance(d, dict)
            for k, v in d.items() if isinstance(v, float)}


def _no_worse(fast: dict[str, Any], full: dict[str, Any]) -> bool:
    a, b = _scores(fast), _scores(full)
    return all(a.get(k, 0.0) >= v for k, v in b.items())


def projection(r: dict[str, Any]) -> dict[str, Any]:
    """(h) 100,000 articles of 750 words: hours with --workers 2, Dask workers for one such day a day."""
    words = 100_000 * 750
    out: dict[str, Any] = {"articles": 100_000, "words_per_article": 750, "corpus": r.get("primary")}
    e = r.get("e_workers2")
    if e:
        startup = e.get("startup") or ((r.get("real") or {}).get("startup", r["startup"])
                                        if r.get("primary") == "real" else r["startup"])
        rate = e["words"] / max(1e-6, e["wall_s"] - startup["wall_s"])
        out["workers2_words_per_s"] = round(rate)
        out["workers2_hours"] = round(words / rate / 3600, 2)
    block = r.get("real") if r.get("primary") == "real" else r
    b = (block or {}).get("b_ingest", {})
    if b.get("words_per_cpu_s_excl_startup"):  # what two idle cores would do: the CPU rate of one process, twice
        out["one_core_words_per_cpu_s"] = b["words_per_cpu_s_excl_startup"]
        out["two_idle_cores_hours"] = round(words / (2 * b["words_per_cpu_s_excl_startup"]) / 3600, 2)
    g = r.get("g_dask")
    if g:
        out["dask_words_per_cpu_s"] = round(g["words"] / g["cpu_s"])  # scheduler, nannies, workers, client
        per_worker = g["words"] / g["wall_s"] / 2
        out["dask_words_per_s_per_worker"] = round(per_worker)
        out["dask_hours_2_workers"] = round(words / (2 * per_worker) / 3600, 2)
        out["dask_workers_for_a_day_in_24h_measured"] = max(1, -(-words // int(per_worker * 86_400)))
        core_rate = max(1, out["dask_words_per_cpu_s"])  # a worker on a core of its own
        out["dask_workers_for_a_day_in_24h"] = max(1, -(-words // (core_rate * 86_400)))
        out["dask_workers_for_a_day_in_1h"] = max(1, -(-words // (core_rate * 3_600)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a smoke run of a few minutes")
    ap.add_argument("--full", action="store_true", help="also (c) at 1k/10k documents and (f) at 100k (about 45 min)")
    ap.add_argument("--texts", action="append", default=[], metavar="DIR",
                    help="a folder of real articles; their paragraphs, shuffled, make the real-text corpus (repeatable)")
    ap.add_argument("--real-docs", type=int, help="documents in the real-text corpus [300; quick 60]")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"))
    ap.add_argument("--workdir", help="where corpora and databases go (default: a temporary folder, removed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--docs", type=int, help="synthetic documents for (a), (b), (d), (e) [300; full 1000; quick 100]")
    ap.add_argument("--rss-sizes", help="two corpus sizes for (c), e.g. 1000,10000 [quick 100,400]")
    ap.add_argument("--rss-workers", type=int, help="--workers for the (c) runs [2; quick 1]")
    ap.add_argument("--db-docs", type=int, help="documents in the (f) database [100000; quick 2000]")
    ap.add_argument("--reps", type=int, help="calls per query in (f) [200; quick 40]")
    ap.add_argument("--pg", default=os.environ.get("SITREP_BENCH_PG"),
                    help="also build the (f) database in this PostgreSQL URL (env SITREP_BENCH_PG)")
    ap.add_argument("--skip", default="", help="comma-separated steps to skip: a,b,c,d,e,f,g,i")
    ap.add_argument("--only", default="", help="comma-separated steps to run (a and b always run with b)")
    args = ap.parse_args(argv)
    q = args.quick
    n_docs = args.docs or (100 if q else 1000 if args.full else 300)
    n_real = args.real_docs or (60 if q else 300)
    rss_sizes = [int(x) for x in (args.rss_sizes or ("100,400" if q else "1000,10000")).split(",")]
    rss_workers = args.rss_workers or (1 if q else 2)
    db_docs = args.db_docs or (2000 if q else 100_000)
    reps = args.reps or (40 if q else 200)
    skip = set(filter(None, args.skip.split(",")))
    if not (q or args.full):
        skip |= {"c", "f"}
    if args.only:
        skip = set("abcdefgi") - set(args.only.split(",")) - {"a", "b"}
    for d in args.texts:
        if not Path(d).is_dir():
            ap.error(f"--texts {d}: not a folder")

    work = Path(args.workdir or tempfile.mkdtemp(prefix="sitrep-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"mode": "quick" if q else ("full" if args.full else "default"),
                               "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
                               "machine": machine(), "config": {"docs": n_docs, "rss_sizes": rss_sizes,
                                                                "rss_workers": rss_workers, "texts": args.texts,
                                                                "real_docs": n_real,
                                                                "db_docs": db_docs, "reps": reps, "seed": args.seed,
                                                                "skipped": sorted(skip)}}
    t_start = time.perf_counter()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every step, so a long run that is stopped still leaves its figures
        results["total_s"] = round(time.perf_counter() - t_start, 1)
        results["machine"]["load_avg_end"] = os.getloadavg()
        out.write_text(json.dumps(results, indent=2, default=str) + "\n")

    try:
        corpus = work / f"corpus-{n_docs}.jsonl"
        generate.write_jsonl(corpus, n_docs, args.seed)
        log(f"corpus {corpus}: {n_docs} articles")
        primary = corpus
        real_corpus = None
        if args.texts:
            real_corpus = work / f"real-{n_real}.jsonl"
            stats = generate.write_real_jsonl(real_corpus, args.texts, n_real, args.seed)
            results["real_corpus"] = {**stats, "from": args.texts}
            log(f"real-text corpus {real_corpus}: {stats['articles']} articles, {stats['words']} words "
                f"from {stats['paragraphs']} paragraphs")
            primary = real_corpus
        results["primary"] = "real" if real_corpus else "synthetic"

        log("start-up cost of `sitrep ingest` (one document)")
        one = work / "one.jsonl"
        generate.write_jsonl(one, 1, args.seed + 999)
        results["startup"] = run_ingest([str(one)], str(work / "one.db"))
        startup = results["startup"]
        if "b" not in skip:
            results.update(speeds(corpus, work, "synthetic", with_a="a" not in skip))
            add_ratios(results, startup)
            save()
            if real_corpus is not None:
                # start-up measured on one real article: it loads what real text needs (e.g. the world
                # gazetteer for places sitrep does not know), which one synthetic article does not
                one_real = work / "one-real.jsonl"
                one_real.write_text(real_corpus.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
                real_startup = run_ingest([str(one_real)], str(work / "one-real.db"))
                results["real"] = {"startup": real_startup, **speeds(real_corpus, work, "real", with_a="a" not in skip)}
                add_ratios(results["real"], real_startup)
                save()
            log("where the time goes: CPU per document of each ingest step")
            results["breakdown"] = stage_breakdown(primary, limit=min(n_docs, 200))
            first = (results.get("real") or results)["b_ingest"]
            if "d" not in skip:
                log("(d) re-ingest of the unchanged corpus")
                again = run_ingest([str(corpus)], str(work / "b-synthetic.db"))
                # (re-ingest loads no spaCy model when nothing is new, so no start-up correction here)
                base = results["b_ingest"]
                results["d_reingest"] = {**again, "first_wall_s": base["wall_s"],
                                         "speedup": round(base["wall_s"] / again["wall_s"], 1),
                                         "cpu_speedup": round(base["cpu_s"] / max(again["cpu_s"], 1e-3), 1)}
            if "e" not in skip:
                log(f"(e) sitrep ingest --workers 2, {primary.name}")
                one_first = (results.get("real") or results)["startup"]
                # start-up of --workers 2 (a pool whose workers each load the model), on the same one article
                one_path = work / ("one-real.jsonl" if real_corpus is not None else "one.jsonl")
                startup2 = run_ingest([str(one_path)], str(work / "one-w2.db"), workers=2)
                two = run_ingest([str(primary)], str(work / "e.db"), workers=2)
                results["e_workers2"] = {**two, "corpus": results["primary"],
                                         "speedup": round(first["wall_s"] / two["wall_s"], 2),
                                         "one_process_wall_s": first["wall_s"],
                                         "cores_used": round(two["cpu_s"] / two["wall_s"], 2),
                                         "one_process_cores_used": round(first["cpu_s"] / first["wall_s"], 2),
                                         "startup": startup2,
                                         # throughput once started (what a long run sees): start-up walls taken off
                                         "speedup_excl_startup": _excl_startup(first, one_first, two, startup2),
                                         # CPU the second process costs: 2-worker CPU over one process's CPU
                                         "cpu_ratio": round(two["cpu_s"] / max(1e-6, first["cpu_s"]), 3)}
            save()
            if "g" not in skip:
                log(f"(g) sitrep ingest --scheduler local --workers 2 (Dask LocalCluster), {primary.name}")
                results["g_dask"] = {**run_ingest([str(primary)], str(work / "g.db"), workers=2,
                                                  extra=("--scheduler", "local")), "corpus": results["primary"]}
            results["h_projection"] = projection(results)
            save()
        if "i" not in skip:
            results["i_eval"] = quality()
            save()
        if "f" not in skip:
            db = str(work / f"bulk-{db_docs}.db")
            log(f"(f) bulk-writing {db_docs} synthetic DocResults into {db} (no NLP)")
            results["f_database"] = {"sqlite": build_bulk_db(db, db_docs, args.seed + 1)}
            log("(f) query latency (SQLite)")
            results["f_queries"] = {"sqlite": query_latency(db, reps, args.seed)}
            if args.pg:
                log(f"(f) bulk-writing {db_docs} DocResults into PostgreSQL")
                results["f_database"]["postgres"] = build_bulk_db(args.pg, db_docs, args.seed + 1)
                results["f_queries"]["postgres"] = query_latency(args.pg, reps, args.seed)
            save()
        if "c" not in skip:
            rss: dict[str, Any] = {}
            for size in rss_sizes:
                if size == n_docs and rss_workers == 1 and "b_ingest" in results:
                    rss[str(size)] = results["b_ingest"]
                    continue
                path = work / f"corpus-{size}.jsonl"
                generate.write_jsonl(path, size, args.seed)
                log(f"(c) sitrep ingest, {size} documents, --workers {rss_workers} (peak RSS)")
                rss[str(size)] = run_ingest([str(path)], str(work / f"c{size}.db"), workers=rss_workers)
            lo, hi = rss[str(rss_sizes[0])], rss[str(rss_sizes[-1])]
            results["c_rss"] = {"runs": rss, "workers": rss_workers,
                                "growth": round(hi["peak_rss_mb"] / lo["peak_rss_mb"], 3),
                                "tree_growth": round(hi["peak_tree_rss_mb"] / lo["peak_tree_rss_mb"], 3)}
            save()
    finally:
        save()
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    log(f"wrote {args.out} ({results['total_s']} s)")
    return 0


def _rows(r: dict[str, Any]) -> Iterator[tuple[str, str, str, str]]:
    def status(ok: bool | None) -> str:
        return "" if ok is None else ("[green]met[/]" if ok else "[red]missed[/]")

    for label, block, target in (("synthetic", r, "pipeline_vs_spacy"),
                                 ("real text", r.get("real") or {}, "pipeline_vs_spacy_real")):
        if "a_spacy" in block:
            a = block["a_spacy"]
            blas = a.get("with_blas_ops")
            yield (f"(a) bare spaCy nlp.pipe, {label}", f"{a['words_per_s']:,} words/s ({a['words_per_cpu_s']:,}/CPU-s), "
                   f"{a['documents']} docs, {a['words']:,} words, {a['model']}"
                   + (f"; with sitrep's BLAS products {blas['words_per_s']:,} words/s "
                      f"({blas['words_per_cpu_s']:,}/CPU-s)" if blas else ""), "", "")
        if "b_ingest" in block and "words_per_s" in block["b_ingest"]:
            b = block["b_ingest"]
            yield (f"(b) sitrep ingest, 1 process, {label}", f"{b['words_per_s']:,} words/s incl. start-up "
                   f"({block.get('startup', r['startup'])['wall_s']} s); {b['words_per_s_excl_startup']:,} excl.; "
                   f"{b['words_per_cpu_s']:,}/CPU-s; background load {b['background_cores']} cores", "", "")
            if "ratio_b_over_a_cpu_excl_startup" in block:
                ratio = block["ratio_b_over_a_cpu_excl_startup"]
                yield (f"(b/a) pipeline vs bare spaCy, {label}", f"by CPU time {ratio} excl. start-up "
                       f"({block['ratio_b_over_a_cpu']} incl.); by wall clock {block['ratio_b_over_a']} incl. "
                       f"start-up, {block['ratio_b_over_a_excl_startup']} excl.", f">= {TARGETS[target]} (CPU)",
                       status(ratio >= TARGETS[target]))
    if "breakdown" in r:
        bd = r["breakdown"]
        top = sorted(bd["cpu_ms_per_doc"].items(), key=lambda kv: -kv[1])[:6]
        yield ("    where ingest CPU goes", ", ".join(f"{k} {v} ms" for k, v in top)
               + f" (of {bd['total_ms_per_doc']} ms/doc; the full base model alone {bd['base_model_ms_per_doc']} ms; "
               f"{bd.get('parsed_sentences')} of {bd.get('sentences')} sentences parsed)", "", "")
    if "c_rss" in r:
        c = r["c_rss"]
        sizes = list(c["runs"])
        desc = ", ".join(f"{s}: {c['runs'][s]['peak_rss_mb']} MB (tree {c['runs'][s]['peak_tree_rss_mb']})"
                         for s in sizes)
        yield ("(c) peak RSS of ingest", f"{desc}; x{c['growth']}", f"<= x{TARGETS['rss_growth']}",
               status(c["growth"] <= TARGETS["rss_growth"]))
    if "d_reingest" in r:
        d = r["d_reingest"]
        cpu_x = d.get("cpu_speedup")
        yield ("(d) re-ingest unchanged corpus", f"{d['wall_s']} s vs {d['first_wall_s']} s: x{d['speedup']} "
               f"(CPU x{cpu_x}); wrote {d['ingested']}, duplicates {d['duplicates']}",
               f">= x{TARGETS['reingest_speedup']}", status(d["speedup"] >= TARGETS["reingest_speedup"]))
    if "e_workers2" in r:
        e = r["e_workers2"]
        excl = (f"; x{e['speedup_excl_startup']} excl. start-up ({e['startup']['wall_s']} s with 2 workers)"
                if e.get("speedup_excl_startup") is not None else "")
        serial = (f"; parent (serial) {e['parent_cpu_s']} of {e['cpu_s']} CPU-s ({e['parent_cpu_share']:.0%}), "
                  f"CPU x{e['cpu_ratio']} of one process" if e.get("parent_cpu_share") is not None
                  and "cpu_ratio" in e else "")
        yield (f"(e) --workers 2 vs 1, {e.get('corpus', 'synthetic')}", f"x{e['speedup']} ({e['wall_s']} s vs {e['one_process_wall_s']} s){excl}; "
               f"cores used {e['cores_used']} vs {e['one_process_cores_used']}{serial}; "
               f"background load {e['background_cores']} cores", f">= x{TARGETS['workers2_speedup']}",
               status(e["speedup"] >= TARGETS["workers2_speedup"]))
    if "g_dask" in r:
        g = r["g_dask"]
        h = r.get("h_projection", {})
        yield ("(g) Dask LocalCluster, 2 workers", f"{round(g['words'] / g['wall_s']):,} words/s incl. start-up "
               f"({g['corpus']}): {h.get('dask_words_per_s_per_worker', 0):,} words/s per worker; "
               f"{h.get('dask_words_per_cpu_s', 0):,} words per CPU-s of all its processes; "
               f"background load {g['background_cores']} cores", "", "")
    if r.get("h_projection", {}).get("workers2_hours") is not None:
        h = r["h_projection"]
        extra = (f"; Dask workers (a core each) for that many a day: {h['dask_workers_for_a_day_in_24h']} "
                 f"(within an hour: {h['dask_workers_for_a_day_in_1h']}; at the per-worker rate measured here: "
                 f"{h['dask_workers_for_a_day_in_24h_measured']})" if "dask_words_per_s_per_worker" in h else "")
        idle = (f"; {h['two_idle_cores_hours']} h on 2 idle cores ({h['one_core_words_per_cpu_s']:,} words per "
                "CPU-s per process)" if "two_idle_cores_hours" in h else "")
        yield ("(h) 100,000 articles x 750 words", f"{h['workers2_hours']} h measured with --workers 2 here "
               f"({h['workers2_words_per_s']:,} words/s, {h['corpus']} text){idle}{extra}", "", "")
    for name, ev in r.get("i_eval", {}).items():
        fast, full = ev["fast"], ev["full"]
        areas = ("actors", "places", "relations", "quantities", "events")
        figs = ", ".join(f"{k} {fast[k]['f1']}" for k in areas if k in fast)
        att = fast.get("attribution", {}).get("accuracy")
        yield (f"(i) sitrep eval, {name}", f"F1 {figs}; attribution {att} (full pipeline: "
               + ("identical" if ev["same"] else ", ".join(f"{k} {full[k]['f1']}" for k in areas if k in full)) + ")",
               "= full pipeline", status(ev["same"] or _no_worse(fast, full)))
    for engine, qs in r.get("f_queries", {}).items():
        db = r["f_database"][engine]
        yield (f"(f) {engine} database", f"{db['documents']:,} docs, {db['mentions']:,} mentions, "
               f"{db['relations']:,} relation claims; bulk-written in {db['build_s']} s", "", "")
        if "actor_profile" in qs:
            p = qs["actor_profile"]
            yield ("    actor profile", f"p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms",
                   f"p95 < {TARGETS['actor_profile_p95_ms']:.0f} ms",
                   status(p["p95_ms"] < TARGETS["actor_profile_p95_ms"]))
            s = qs["search"]
            yield ("    document search", f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms",
                   f"p95 < {TARGETS['search_p95_ms']:.0f} ms", status(s["p95_ms"] < TARGETS["search_p95_ms"]))
            g = qs["graph"]
            yield ("    actor graph", f"p50 {g['p50_ms']} ms, p95 {g['p95_ms']} ms", "", "")


def print_table(r: dict[str, Any]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover
        for row in _rows(r):
            print(" | ".join(row))
        return
    t = Table(title=f"sitrep benchmark ({r['mode']}, {r['machine']['cpus']} CPUs, {r['total_s']} s)")
    for col in ("measure", "result", "target", ""):
        t.add_column(col, overflow="fold")
    for row in _rows(r):
        t.add_row(*row)
    Console().print(t)
    if "f_queries" in r:
        Console().print(f"(f) databases were bulk-written from synthetic DocResults via store.write_batch "
                        f"(no NLP); {r['config']['reps']} calls per query.", highlight=False)


if __name__ == "__main__":
    raise SystemExit(main())
