"""A 100-page PDF report beside a text file of the same words: time and memory of ``sitrep ingest``.

    .venv/bin/python bench/pdf_scaling.py             # 100 pages (about 2 minutes on 2 idle cores)
    .venv/bin/python bench/pdf_scaling.py --pages 25  # quicker

The report is built with reportlab from the synthetic articles of ``bench/generate.py`` (about 45
lines a page, a running header and a page number on each page).  The text file holds the words
the PDF reader gives back (so both analyses see the same article).  Each ingest runs as its own
``sitrep ingest`` process into a fresh database; its wall time and peak memory (max RSS) are
printed.  Reading alone (PDF to text) is also timed at a quarter, half and all of the pages: it
should grow linearly (the check fails, exit 1, when doubling the pages costs over ``--max-ratio``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402

LINES_PER_PAGE = 45
CHARS_PER_LINE = 90


def report_lines(pages: int) -> list[str]:
    """Wrapped lines of synthetic articles, enough for ``pages`` pages."""
    lines: list[str] = []
    i = 0
    while len(lines) < pages * LINES_PER_PAGE:
        art = generate.generate_article(i, seed=11)
        for para in art.text.split("\n\n"):
            lines += textwrap.wrap(" ".join(para.split()), CHARS_PER_LINE) + [""]
        i += 1
    return lines[: pages * LINES_PER_PAGE]


def build_pdf(path: Path, pages: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    lines = report_lines(pages)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Synthetic monitoring report")
    for p in range(pages):
        c.setFont("Helvetica", 8)
        c.drawString(50, 815, "Synthetic Monitoring Report | for benchmarking only")
        c.setFont("Helvetica", 9)
        y = 790
        for line in lines[p * LINES_PER_PAGE:(p + 1) * LINES_PER_PAGE]:
            if line:
                c.drawString(50, y, line)
            y -= 16
        c.setFont("Helvetica", 8)
        c.drawString(290, 30, f"Page {p + 1} of {pages}")
        c.showPage()
    c.save()


def ingest(path: Path, db: Path) -> tuple[float, float, int]:
    """(wall seconds, peak MiB, exit code) of one ``sitrep ingest`` process."""
    exe = Path(sys.executable).with_name("sitrep")
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "sitrep"]
    start = time.perf_counter()
    proc = subprocess.Popen([*argv, "ingest", str(path), "--db", str(db), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, proc.returncode


def read_seconds(path: Path) -> float:
    from sitrep.ingest.pdf import read_pdf

    data = path.read_bytes()
    start = time.process_time()
    read_pdf(data)
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--max-ratio", type=float, default=2.6)
    args = ap.parse_args(argv)
    from sitrep.ingest.pdf import read_pdf

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = folder / "report.pdf"
        build_pdf(pdf, args.pages)
        article, _ = read_pdf(pdf.read_bytes())
        txt = folder / "report.txt"
        txt.write_text(article.text, encoding="utf-8")
        print(f"{args.pages}-page PDF: {pdf.stat().st_size:,} bytes, {len(article.text):,} characters of text")
        print(f"{'input':<8} {'seconds':>8} {'peak MiB':>9} {'exit':>5}")
        for name, path in (("pdf", pdf), ("txt", txt)):
            wall, mib, code = ingest(path, folder / f"{name}.db")
            print(f"{name:<8} {wall:>8.1f} {mib:>9.0f} {code:>5}")
        sizes = sorted({max(args.pages // 4, 1), max(args.pages // 2, 1), args.pages})
        times: list[float] = []
        for pages in sizes:
            part = folder / f"part{pages}.pdf"
            build_pdf(part, pages)
            times.append(min(read_seconds(part) for _ in range(2)))
        print("reading PDF pages (CPU s): " + ", ".join(f"{p}: {t:.2f}" for p, t in zip(sizes, times, strict=True)))
    bad = [f"{a}->{b} pages: x{tb / ta:.2f}" for a, b, ta, tb in zip(sizes, sizes[1:], times, times[1:], strict=False)
           if ta > 0.05 and tb / ta > args.max_ratio * (b / a) / 2]
    if bad:
        print("not linear: " + "; ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
