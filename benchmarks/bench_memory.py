"""Peak memory of extracting one 300-page plan, beside pdfplumber.

    .venv/bin/python benchmarks/bench_memory.py [--pages 300]

Builds a 300-page plan from the Bình Định fixture (tests/fixtures/pdfs/bd2023.pdf):
its three body pages, then its appendix pages repeated until the document has
`--pages` pages (one long appendix table, header rows repeated on every page, as a
400-page annex has). Then runs, each in a fresh child process:

- `vnplans extract --no-ocr big.pdf` with the default per-file limits (the extraction
  runs in a forked worker), and with `--timeout 0 --max-memory 0` (in-process);
- pdfplumber `extract_tables()` over every page (the baseline).

Peak MB is the resident-set high-water mark of the largest process of the command
(getrusage RUSAGE_CHILDREN of a wrapper that waited for it). Target: < 500 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "tests" / "fixtures" / "pdfs" / "bd2023.pdf"
BODY_PAGES = 3  # bd2023: pages 1-3 are the letter, 4-8 the appendix
PYTHON = sys.executable
VNPLANS = [PYTHON, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]

PDFPLUMBER_SCRIPT = """
import sys
import pdfplumber
tables = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        tables += len(page.extract_tables())
        page.flush_cache()
print(tables)
"""

MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.PIPE)
sys.stderr.write(done.stderr.decode("utf-8", "replace"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
"""


def build_plan(target: Path, pages: int) -> int:
    import pymupdf

    with pymupdf.open(SOURCE) as src:
        if src.page_count <= BODY_PAGES:
            raise SystemExit(f"{SOURCE} has no appendix pages")
        out = pymupdf.open()
        out.insert_pdf(src, from_page=0, to_page=BODY_PAGES - 1)
        while out.page_count < pages:
            last = min(src.page_count - 1, BODY_PAGES + pages - out.page_count - 1)
            out.insert_pdf(src, from_page=BODY_PAGES, to_page=last)
        out.save(target, garbage=3, deflate=True)
        count = out.page_count
        out.close()
    return count


def measure(cmd: list[str], output: Path) -> tuple[float, float, int, str]:
    """(seconds, peak MB, exit status, stderr) of `cmd`, its stdout saved to `output`."""
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-c", MEASURE, str(output), *cmd], capture_output=True,
                          text=True)
    seconds = time.perf_counter() - start
    kib, status = done.stdout.split()
    return seconds, int(kib) / 1024, int(status), done.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="vnplans-mem-") as tmp:
        big = Path(tmp) / "plan-300-pages.pdf"
        pages = build_plan(big, args.pages)
        out = Path(tmp) / "out.json"
        commands = {
            "vnplans extract": [*VNPLANS, "extract", "--no-ocr", str(big)],
            "vnplans extract (no limits)": [*VNPLANS, "extract", "--no-ocr", "--timeout", "0",
                                            "--max-memory", "0", str(big)],
            "pdfplumber extract_tables": [PYTHON, "-c", PDFPLUMBER_SCRIPT, str(big)],
        }
        rows = []
        for tool, cmd in commands.items():
            seconds, peak, status, stderr = measure(cmd, out)
            note = ""
            if tool.startswith("vnplans"):
                if status != 0:
                    raise SystemExit(f"{tool} failed ({status}): {stderr}")
                note = f"{len(json.loads(out.read_text(encoding='utf-8'))['rows'])} rows"
            rows.append((tool, seconds, peak, note))

    base_peak = rows[-1][2]
    print(f"one plan of {pages} pages (bd2023 appendix repeated), native text layer, "
          "start-up included")
    print(f"{'tool':<28} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} "
          f"{'ratio':>6}  note")
    for tool, seconds, peak, note in rows:
        print(f"{tool:<28} {pages:>6} {seconds:>8.2f} {pages / seconds:>8.1f} {peak:>8.0f} "
              f"{peak / base_peak:>5.2f}×  {note}")
    print("ratio = peak MB / pdfplumber's peak MB; target: vnplans peak < 500 MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
