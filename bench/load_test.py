"""Bounded load test of `sitrep serve` on loopback.

Starts its own server on a free 127.0.0.1 port over a database it builds from the seed articles
(``../shared/corpus/seeds``) or over ``--db``, sends a fixed number of GET requests over the main
routes from a few threads, stops by itself and prints requests/s, p50/p95 latency and errors per route.

    .venv/bin/python bench/load_test.py                    # 2,000 requests, 4 threads
    .venv/bin/python bench/load_test.py --requests 5000 --threads 8 --db kb.db
    .venv/bin/python bench/load_test.py --rate-limit       # keep the server's default rate limit (429s count)

Loopback only: the server is bound to 127.0.0.1 and nothing else is contacted.
"""

from __future__ import annotations

import argparse
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


def start_server(db: Path, port: int, rate_limit: bool) -> subprocess.Popen[str]:
    argv = [*sitrep_argv(), "serve", "--db", str(db), "--host", HOST, "--port", str(port)]
    if not rate_limit:
        argv += ["--rate", "0"]
    env = dict(os.environ)
    env.pop("SITREP_TOKEN", None)
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}):\n{proc.communicate()[1][-2000:]}")
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

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            while True:
                with counter_lock:
                    i = next(counter, None)
                if i is None:
                    return
                route = routes[i % len(routes)]
                t0 = time.perf_counter()
                try:
                    status = client.get(route).status_code
                except httpx.HTTPError:
                    status = 0
                dt = time.perf_counter() - t0
                with lock:
                    latencies[route].append(dt)
                    codes[route][status] += 1

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


def main() -> int:
    ap = argparse.ArgumentParser(description="Bounded loopback load test of `sitrep serve`.")
    ap.add_argument("--db", type=Path, help="existing sitrep database (default: built from the seeds)")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--rate-limit", action="store_true", help="keep the server's default per-client rate limit")
    ap.add_argument("--strict", action="store_true", help="exit 1 when any request failed")
    args = ap.parse_args()
    if args.requests < 1 or args.requests > 1_000_000 or not 1 <= args.threads <= 64:
        raise SystemExit("--requests must be 1..1,000,000 and --threads 1..64")
    with tempfile.TemporaryDirectory(prefix="sitrep-load-") as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "seeds.db"
            t0 = time.perf_counter()
            build_db(db)
            print(f"built {db.name} from the seeds in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        server = start_server(db, port, args.rate_limit)
        try:
            routes = routes_for(db)
            base = f"http://{HOST}:{port}"
            run_load(base, routes[:3], min(30, args.requests), 1)  # warm-up, not counted
            print(f"server http://{HOST}:{port} over {db}; {args.requests} requests over {len(routes)} routes, "
                  f"{args.threads} threads, rate limit {'on' if args.rate_limit else 'off'}")
            latencies, codes, wall = run_load(base, routes, args.requests, args.threads)
            errors = report(latencies, codes, wall, args.threads)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    return 1 if args.strict and errors else 0


if __name__ == "__main__":
    sys.exit(main())
