"""How each stage's time grows with its input: seconds at 1x, 2x, 4x and 8x the input size.

    .venv/bin/python bench/scaling.py            # base 100 KB article (about 4 minutes on 2 idle cores)
    .venv/bin/python bench/scaling.py --quick    # base 12.5 KB (about a minute)

Stages: reading/decoding bytes, furniture cleaning, HTML metadata (a page whose ``<time>`` tag and
canonical link come after a long tail of markup), HTML main text, the number finder, spaCy, the
extractors on the parsed article (events apart), the events extractor, and the store write of the
result (these last four over one article of each size: spaCy parses it once, the extractors run
``--repeats`` rounds over the sizes in turn, each on a fresh context, and the store write as often, each
into a fresh database; each extractor's own time is shown too, in indented rows that are not judged).
A page over ``max_html_elements`` is read by the fallback extractor, so the HTML main text stage may
get cheaper at the largest size.  Inputs are synthetic articles from ``bench/generate.py`` joined to
the size asked for.

The check fails (exit 1) when one doubling of the input costs more than ``--max-ratio`` (2.5) times
the time before it.  Times are CPU seconds of this process (less disturbed by other load than wall
time), the best of a few repeats; a stage too quick to time is run in a loop (the same number of
times at every size), and doublings under ``--floor`` seconds are not judged (noise).  A stage over
the limit is measured again (the analysis stages up to twice more, on the same parses) and keeps the
best figure of all its runs: a busy machine makes noise, a super-linear stage stays over the limit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402

FACTORS = (1, 2, 4, 8)
MAX_RATIO = 2.5
FLOOR_S = 0.05  # a doubling whose larger time is under this is not judged
CALIBRATE_S = 0.08  # cheap stages are looped until one run at 1x takes this long


def log(msg: str) -> None:
    print(f"[scaling {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# -- inputs ---------------------------------------------------------------------------------------


def article_text(chars: int, *, raw: bool = False) -> str:
    """Synthetic articles joined (paragraph breaks between them) to at least ``chars`` characters."""
    parts: list[str] = []
    total = 0
    i = 0
    while total < chars:
        art = generate.generate_article(i, seed=7)
        piece = art.raw if raw else art.text
        parts.append(piece)
        total += len(piece) + 2
        i += 1
    return "\n\n".join(parts)[: max(chars, 1)]


def html_page(chars: int) -> str:
    """A page of about ``chars`` characters: head, article paragraphs, then a long tail of markup with
    the ``<time>`` tag and the canonical link at its very end (where a scan that restarts cost most)."""
    body = article_text(chars // 2)
    paragraphs = "".join(f"<p>{p}</p>\n" for p in body.split("\n\n") if p.strip())
    unit = '<div class="teaser"><a href="/x"><span>More</span></a><time>later</time><link rel="x"></div>\n'
    tail = unit * max((chars - len(paragraphs)) // len(unit), 1)
    return ("<!doctype html><html><head><title>Rebels attack Bora | Arcadia Times</title>"
            '<meta property="og:site_name" content="Arcadia Times"></head><body><article>'
            f"<h1>Rebels attack Bora</h1>{paragraphs}</article>{tail}"
            '<time datetime="2024-03-02T10:00:00Z">2 March</time>'
            '<link rel="canonical" href="https://arcadia.example/bora"></body></html>')


# -- timing ---------------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str
    prepare: Callable[[int], Any]  # chars -> input
    run: Callable[[Any], Any]
    base_chars: int
    repeats: int = 3
    loops: int = 0  # 0: calibrate at 1x
    seconds: dict[int, float] = field(default_factory=dict)


def cpu_time(fn: Callable[[], Any], loops: int, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(loops):
            fn()
        best = min(best, time.process_time() - start)
    return best


def measure(stage: Stage, factors: tuple[int, ...], repeats: int | None = None) -> None:
    for factor in factors:
        data = stage.prepare(stage.base_chars * factor)
        run = partial(stage.run, data)
        if not stage.loops:
            run()  # warm up (imports, caches) before calibrating
            stage.loops = 1
            while cpu_time(run, stage.loops, 1) < CALIBRATE_S and stage.loops < 4096:
                stage.loops *= 2
        seconds = cpu_time(run, stage.loops, repeats or stage.repeats)
        stage.seconds[factor] = min(seconds, stage.seconds.get(factor, seconds))  # a second measure keeps the best
        log(f"{stage.name}: {factor}x ({stage.base_chars * factor:,} chars) {stage.seconds[factor]:.3f} s "
            f"({stage.loops} loop{'s' if stage.loops > 1 else ''})")


def ratios(stage: Stage, factors: tuple[int, ...]) -> list[float]:
    return [stage.seconds[b] / max(stage.seconds[a], 1e-9) for a, b in zip(factors, factors[1:], strict=False)]


def judged_failures(stage: Stage, factors: tuple[int, ...], max_ratio: float, floor: float) -> list[str]:
    """The steps from one size to the next (each a doubling) that cost more than ``max_ratio``."""
    bad = []
    for (a, b), r in zip(zip(factors, factors[1:], strict=False), ratios(stage, factors), strict=True):
        if r > max_ratio and stage.seconds[b] >= floor:
            bad.append(f"{stage.name}: {a}x -> {b}x costs {r:.2f}x its time (limit {max_ratio:.2f}x)")
    return bad


# -- stages ---------------------------------------------------------------------------------------


def cheap_stages(base: int) -> list[Stage]:
    from sitrep.extract.numbers import find_numbers
    from sitrep.ingest.clean import clean_text
    from sitrep.ingest.encoding import decode_bytes
    from sitrep.ingest.html import extract_html
    from sitrep.ingest.metadata import html_metadata

    def encoded(chars: int) -> bytes:
        return article_text(chars, raw=True).replace("said", "saíd").encode("utf-8")

    return [
        Stage("reading/decoding", encoded, decode_bytes, base),
        Stage("cleaning", lambda n: article_text(n, raw=True), clean_text, base),
        Stage("HTML metadata", html_page, html_metadata, base),
        Stage("HTML main text", html_page, extract_html, base, repeats=1),
        Stage("number finder", article_text, find_numbers, base),
    ]


def analysis_stages(base: int, factors: tuple[int, ...], repeats: int = 3,
                    parses: dict[int, Any] | None = None) -> list[Stage]:
    """spaCy, the extractors (events apart), the events extractor and the store write, over one article
    per size.  spaCy parses each article once (kept in ``parses`` for a later pass, which then parses
    nothing again); the extractors then run ``repeats`` rounds over the sizes in turn, each time on a
    fresh context as the pipeline does, and the store write as often, each time into a fresh database,
    so that a burst of load on a shared machine falls on one round rather than on one size.  Each
    figure is the best of its runs.  The stages named ``  <extractor>`` are each extractor's own time,
    shown under the two stages they add up to."""
    import gc

    from sitrep.config import Settings
    from sitrep.data import load_gazetteer
    from sitrep.extract.context import ExtractionContext
    from sitrep.models import DocResult, Document, content_hash
    from sitrep.nlp import get_nlp
    from sitrep.pipeline import _provided_as, _stages
    from sitrep.store.sqlite import SQLiteStore

    nlp = get_nlp()
    nlp.max_length = max(nlp.max_length, base * factors[-1] * 2)
    settings = Settings(max_analysis_chars=base * factors[-1] * 2, max_mentions_per_document=10**9,
                        document_time_budget_s=0)
    gazetteer = load_gazetteer()
    extractors = _stages()
    names = ["spaCy", "extractors", "events", "store write", *(f"  {name}" for name, _ in extractors)]
    stages = {name: Stage(name, lambda n: n, lambda d: d, base, repeats=1, loops=1) for name in names}
    parses = {} if parses is None else parses
    nlp("Warm-up sentence about the Red Hand Brigade in Arcadia.")

    def keep(name: str, factor: int, seconds: float) -> None:
        old = stages[name].seconds.get(factor)
        stages[name].seconds[factor] = seconds if old is None else min(old, seconds)

    for factor in factors:
        if factor in parses:
            doc, sdoc, seconds = parses[factor]
        else:
            text = article_text(base * factor)
            digest = content_hash(text)
            doc = Document(id=digest[:16], source=f"scaling-{factor}.txt", raw=text, text=text,
                           content_hash=digest, format="txt", title="Scaling article", published="2024-03-02")
            gc.collect()
            start = time.process_time()
            sdoc = nlp(text)
            seconds = time.process_time() - start
            parses[factor] = (doc, sdoc, seconds)
            log(f"spaCy {factor}x ({len(text):,} chars): {seconds:.3f} s")
        keep("spaCy", factor, seconds)
    for _ in range(repeats):
        for factor in factors:
            doc, sdoc, _ = parses[factor]
            gc.collect()
            ctx = ExtractionContext(document=doc, sdoc=sdoc, gazetteer=gazetteer, settings=settings)
            each: dict[str, float] = {}
            for name, run in extractors:
                start = time.process_time()
                out = run(ctx)
                each[name] = time.process_time() - start
                if isinstance(out, list):
                    ctx.facts.setdefault(_provided_as(name), []).extend(out)
            keep("extractors", factor, sum(v for k, v in each.items() if k != "events"))
            keep("events", factor, each.get("events", 0.0))
            for name, seconds in each.items():
                keep(f"  {name}", factor, seconds)
            result = DocResult(document=doc, mentions=ctx.mentions, entities=list(ctx.entities.values()),
                               relations=list(ctx.facts.get("relations") or []),
                               quantities=list(ctx.facts.get("quantities") or []),
                               events=list(ctx.facts.get("events") or []))
            with tempfile.TemporaryDirectory() as tmp:
                store = SQLiteStore(Path(tmp) / "scaling.db")
                try:
                    start = time.process_time()
                    store.write_batch([result])
                    keep("store write", factor, time.process_time() - start)
                finally:
                    store.close()
            log(f"analysis {factor}x: " + ", ".join(f"{k} {v:.3f} s" for k, v in each.items()))
    return list(stages.values())


def judged(stage: Stage) -> bool:
    """Whether the check applies to a stage's figures (an extractor's own row is shown only)."""
    return not stage.name.startswith(" ")


# -- main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="base article of 12.5 KB instead of 100 KB")
    ap.add_argument("--base-kb", type=float, default=None, help="base input size in KB (default 100; quick 12.5)")
    ap.add_argument("--max-ratio", type=float, default=MAX_RATIO, help="largest time ratio allowed per doubling")
    ap.add_argument("--floor", type=float, default=FLOOR_S, help="doublings under this many seconds are not judged")
    ap.add_argument("--skip-nlp", action="store_true", help="only the stages without spaCy")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    ap.add_argument("--repeats", type=int, default=3, help="runs of the extractors and the store write per parse")
    args = ap.parse_args(argv)
    base_kb = args.base_kb if args.base_kb is not None else (12.5 if args.quick else 100.0)
    base = int(base_kb * 1000)
    if base <= 0 or args.max_ratio <= 1 or args.repeats < 1:
        print("scaling: --base-kb and --repeats must be positive and --max-ratio over 1", file=sys.stderr)
        return 2
    factors = FACTORS
    stages = cheap_stages(base)
    for stage in stages:
        measure(stage, factors)
    for stage in stages:  # a doubling over the limit is measured once more (a busy machine makes noise)
        if judged_failures(stage, factors, args.max_ratio, args.floor):
            log(f"{stage.name}: over the limit once; measuring again")
            measure(stage, factors, repeats=stage.repeats + 2)
    if not args.skip_nlp:
        parses: dict[int, Any] = {}
        nlp_stages = analysis_stages(base, factors, repeats=args.repeats, parses=parses)
        for _ in range(2):  # over the limit: more rounds on the same parses (each figure the best of all)
            bad = [st for st in nlp_stages if judged(st) and judged_failures(st, factors, args.max_ratio, args.floor)]
            if not bad:
                break
            if any(st.name == "spaCy" for st in bad):
                parses.clear()  # spaCy itself is timed again
            log(f"analysis: {', '.join(st.name for st in bad)} over the limit; {args.repeats} more rounds")
            again = analysis_stages(base, factors, repeats=args.repeats, parses=parses)
            for st, other in zip(nlp_stages, again, strict=True):
                st.seconds = {f: min(st.seconds[f], other.seconds[f]) for f in factors}
        parses.clear()
        stages += nlp_stages
    failures: list[str] = []
    head = f"{'stage':<20}" + "".join(f"{f'{f}x s':>10}" for f in factors) + "   ratios per doubling"
    print(f"input sizes: {', '.join(f'{base * f:,}' for f in factors)} characters (CPU seconds, best of repeats)")
    print(head)
    print("-" * len(head))
    for stage in stages:
        rs = ratios(stage, factors)
        bad = judged_failures(stage, factors, args.max_ratio, args.floor) if judged(stage) else []
        failures += bad
        cells = "".join(f"{stage.seconds[f]:>10.3f}" for f in factors)
        loops = f"  (x{stage.loops} loops)" if stage.loops > 1 else ""
        print(f"{stage.name:<20}{cells}   {' '.join(f'{r:.2f}' for r in rs)}{'  FAIL' if bad else ''}{loops}")
    print("(rows indented: each extractor's own time, within the two rows above them; not judged)")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "base_chars": base, "factors": list(factors), "max_ratio": args.max_ratio,
            "stages": {s.name.strip(): {"seconds": {str(f): s.seconds[f] for f in factors}, "loops": s.loops,
                                "ratios": ratios(s, factors)} for s in stages},
            "failures": failures}, indent=2), encoding="utf-8")
    if failures:
        print("\n".join(["", "FAILED: a doubling of the input cost more than "
                         f"{args.max_ratio}x its time:", *failures]))
        return 1
    print(f"\nok: every stage within {args.max_ratio}x per doubling up to {factors[-1]}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
