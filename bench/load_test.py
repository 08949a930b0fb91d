"""Bounded load test of `sitrep serve` on loopback.

Starts its own server on a free 127.0.0.1 port over a database it builds from the seed articles
(``../shared/corpus/seeds``) or over ``--db``, sends a fixed number of GET requests over the main
routes at each concurrency level (1, 4 and 16 clients by default, each a thread with its own
keep-alive connection), stops by itself and prints requests/s, p50/p95 latency and errors per route,
then p50/p95 per page kind (actor, search, document, other) and level, checked against the target
(p95 < 50 ms for actor, search and document pages at 16 clients, 0 errors).

    .venv/bin/python bench/load_test.py                    # 2,000 requests at 1, 4 and 16 clients
    .venv/bin/python bench/load_test.py --concurrency 1,4,16,32 --requests 5000 --db kb.db
    .venv/bin/python bench/load_test.py --threads 8        # one level only (= --concurrency 8)
    .venv/bin/python bench/load_test.py --rate-limit       # keep the server's default rate limit (429s count)
    .venv/bin/python bench/load_test.py --json out.json    # the figures as JSON too

Loopback only: the server is bound to 127.0.0.1 and nothing else is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
HOST = "127.0.0.1"


def sitrep_argv() -> list[str]:
    script = Path(sys.executable).with_name("sitrep")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sitrep"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def build_db(db: Path) -> None:
    if not SEEDS.is_dir():
        raise SystemExit(f"no seeds at {SEEDS}; pass --db")
    res = subprocess.run([*sitrep_argv(), "ingest", str(SEEDS), "--db", str(db), "--json", "-q"],
                         capture_output=True, text=True, timeout=600, check=False)
    if res.returncode not in (0, 1):
        raise SystemExit(f"building the database failed ({res.returncode}):\n{res.stderr[-2000:]}")


def routes_for(db: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        actors = [r[0] for r in conn.execute(
            "SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id GROUP BY e.id "
            "ORDER BY COUNT(*) DESC LIMIT 5")]
        docs = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY id LIMIT 5")]
    finally:
        conn.close()
    routes = ["/", "/search?q=Taliban", "/api/search?q=Kandahar", "/api/graph", "/api/events", "/api/places",
              "/timeline", "/graph", "/map", "/healthz"]
    routes += [f"/actor/{a}" for a in actors[:3]] + [f"/api/actor/{a}" for a in actors[:2]]
    routes += [f"/doc/{d}" for d in docs[:3]] + [f"/api/doc/{d}" for d in docs[:2]]
    return routes


def start_server(db: Path, port: int, rate_limit: bool, log: Path, workers: int = 1) -> subprocess.Popen[str]:
    """Start `sitrep serve`; its messages go to ``log`` (a pipe nobody reads would fill and stall it)."""
    argv = [*sitrep_argv(), "serve", "--db", str(db), "--host", HOST, "--port", str(port)]
    if not rate_limit:
        argv += ["--rate", "0"]
    if workers > 1:
        argv += ["--workers", str(workers)]
    env = dict(os.environ)
    env.pop("SITREP_TOKEN", None)
    with log.open("w", encoding="utf-8") as fh:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=fh, text=True, env=env,
                                stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"http://{HOST}:{port}/healthz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer /healthz within 60 s")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def run_load(base: str, routes: list[str], total: int, threads: int) -> tuple[dict[str, list[float]],
                                                                              dict[str, dict[int, int]], float]:
    latencies: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    lock = threading.Lock()
    counter = iter(range(total))
    counter_lock = threading.Lock()

    host, port = base.removeprefix("http://").rsplit(":", 1)

    def worker() -> None:
        # http.client, one keep-alive connection per client: a light client leaves the CPU to the server
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            while True:
                with counter_lock:
                    i = next(counter, None)
                if i is None:
                    return
                route = routes[i % len(routes)]
                t0 = time.perf_counter()
                try:
                    conn.request("GET", route, headers={"Host": host})
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                    if resp.will_close:
                        conn.close()
                except (OSError, http.client.HTTPException):
                    status = 0
                    conn.close()
                dt = time.perf_counter() - t0
                with lock:
                    latencies[route].append(dt)
                    codes[route][status] += 1
        finally:
            conn.close()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        for f in [pool.submit(worker) for _ in range(threads)]:
            f.result()
    return latencies, codes, time.perf_counter() - t0


def report(latencies: dict[str, list[float]], codes: dict[str, dict[int, int]], wall: float, threads: int) -> int:
    rows = [("route", "n", "errors", "p50 ms", "p95 ms", "max ms")]
    errors_total = 0
    for route in sorted(latencies):
        lat = latencies[route]
        errors = sum(n for c, n in codes[route].items() if c != 200)
        errors_total += errors
        rows.append((route[:44], str(len(lat)), str(errors), f"{pct(lat, 50) * 1000:.1f}",
                     f"{pct(lat, 95) * 1000:.1f}", f"{max(lat) * 1000:.1f}"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        print("  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
        if n == 0:
            print("  ".join("-" * w for w in widths))
    everything = [x for lat in latencies.values() for x in lat]
    status_mix: dict[int, int] = defaultdict(int)
    for c in codes.values():
        for code, n in c.items():
            status_mix[code] += n
    print()
    print(f"total {len(everything)} requests with {threads} threads in {wall:.2f} s: "
          f"{len(everything) / wall:.1f} requests/s, p50 {statistics.median(everything) * 1000:.1f} ms, "
          f"p95 {pct(everything, 95) * 1000:.1f} ms, errors {errors_total} (status mix {dict(status_mix)})")
    return errors_total


PAGE_KINDS = (("actor", ("/actor/", "/api/actor/")), ("search", ("/search", "/api/search")),
              ("document", ("/doc/", "/api/doc/")))
TARGET_MS = 50.0
TARGET_CLIENTS = 16


def page_kind(route: str) -> str:
    for kind, prefixes in PAGE_KINDS:
        if route.startswith(prefixes):
            return kind
    return "other"


def summarise(latencies: dict[str, list[float]], codes: dict[str, dict[int, int]], wall: float) -> dict:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for route, lat in latencies.items():
        by_kind[page_kind(route)].extend(lat)
        errors[page_kind(route)] += sum(n for c, n in codes[route].items() if c != 200)
    everything = [x for lat in latencies.values() for x in lat]
    out = {"requests": len(everything), "seconds": round(wall, 3),
           "requests_per_s": round(len(everything) / wall, 1) if wall else None,
           "p50_ms": round(pct(everything, 50) * 1000, 2), "p95_ms": round(pct(everything, 95) * 1000, 2),
           "errors": sum(errors.values()), "kinds": {}}
    for kind in [k for k, _ in PAGE_KINDS] + ["other"]:
        lat = by_kind.get(kind, [])
        out["kinds"][kind] = {"n": len(lat), "p50_ms": round(pct(lat, 50) * 1000, 2),
                              "p95_ms": round(pct(lat, 95) * 1000, 2), "errors": errors.get(kind, 0)}
    return out


def print_levels(levels: dict[int, dict]) -> bool:
    """The table of p50/p95 per page kind and concurrency; True when the target is met."""
    kinds = [k for k, _ in PAGE_KINDS] + ["other", "all"]
    print()
    print("clients  " + "  ".join(f"{k + ' p50/p95 ms':>22}" for k in kinds) + "  req/s   errors")
    for n, res in sorted(levels.items()):
        cells = []
        for k in kinds:
            d = res if k == "all" else res["kinds"][k]
            cells.append(f"{d['p50_ms']:>10.1f} / {d['p95_ms']:>9.1f}")
        print(f"{n:>7}  " + "  ".join(f"{c:>22}" for c in cells) + f"  {res['requests_per_s']:>5}  {res['errors']:>7}")
    top = levels.get(TARGET_CLIENTS)
    if top is None:
        return True
    worst = max(top["kinds"][k]["p95_ms"] for k, _ in PAGE_KINDS)
    met = worst < TARGET_MS and top["errors"] == 0
    print(f"\ntarget at {TARGET_CLIENTS} clients: p95 < {TARGET_MS:.0f} ms for actor, search and document "
          f"pages, 0 errors: worst p95 {worst:.1f} ms, errors {top['errors']}: {'met' if met else 'NOT met'}")
    return met


def main() -> int:
    ap = argparse.ArgumentParser(description="Bounded loopback load test of `sitrep serve`.")
    ap.add_argument("--db", type=Path, help="existing sitrep database (default: built from the seeds)")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--threads", type=int, help="one concurrency level (same as --concurrency N)")
    ap.add_argument("--concurrency", default="1,4,16",
                    help="comma-separated numbers of concurrent clients, each level gets --requests requests")
    ap.add_argument("--workers", type=int, default=1, help="server processes (sitrep serve --workers)")
    ap.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    ap.add_argument("--rate-limit", action="store_true", help="keep the server's default per-client rate limit")
    ap.add_argument("--strict", action="store_true", help="exit 1 when any request failed")
    args = ap.parse_args()
    try:
        levels = [args.threads] if args.threads else [int(x) for x in args.concurrency.split(",") if x.strip()]
    except ValueError:
        raise SystemExit("--concurrency must be numbers separated by commas, e.g. 1,4,16") from None
    if args.requests < 1 or args.requests > 1_000_000 or not levels or not all(1 <= n <= 64 for n in levels):
        raise SystemExit("--requests must be 1..1,000,000 and each concurrency level 1..64")
    if not 1 <= args.workers <= 32:
        raise SystemExit("--workers must be 1..32")
    with tempfile.TemporaryDirectory(prefix="sitrep-load-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "seeds.db"
            t0 = time.perf_counter()
            build_db(db)
            print(f"built {db.name} from the seeds in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        log = Path(tmp) / "server.log"
        server = start_server(db, port, args.rate_limit, log, args.workers)
        try:
            routes = routes_for(db)
            base = f"http://{HOST}:{port}"
            run_load(base, routes, min(4 * len(routes), args.requests), 2)  # warm-up, not counted
            results: dict[int, dict] = {}
            errors = 0
            for n in levels:
                print(f"\nserver http://{HOST}:{port} over {db}; {args.requests} requests over {len(routes)} "
                      f"routes, {n} concurrent clients, {args.workers} server worker(s), "
                      f"rate limit {'on' if args.rate_limit else 'off'}")
                latencies, codes, wall = run_load(base, routes, args.requests, n)
                errors += report(latencies, codes, wall, n)
                results[n] = summarise(latencies, codes, wall)
            met = print_levels(results)
            if args.json:
                args.json.write_text(json.dumps({"db": str(db), "requests_per_level": args.requests,
                                                 "levels": results, "target_met": met}, indent=2) + "\n")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            lines = [ln for ln in log.read_text(errors="replace").splitlines() if ln.strip()]
            noted = [ln for ln in lines if not ln.startswith(("sitrep: serving", "note:"))]
            if noted:
                print(f"\nserver log: {len(noted)} line(s), the last: {noted[-1][:300]}")
    return 1 if args.strict and errors else 0


if __name__ == "__main__":
    sys.exit(main())
