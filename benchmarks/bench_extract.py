"""Extraction speed of the whole `vnplans extract a.pdf b.pdf …` command, beside pdfplumber.

    .venv/bin/python benchmarks/bench_extract.py [--pages 150] [--repeat 3]

Byte-compiles the package (as setup does), copies the native-text fixture plans
(tests/fixtures/pdfs/) into a temporary folder until they hold about `--pages` pages,
then times, each in a fresh child process
(interpreter start-up and imports included, one process, OCR off since every page
has a text layer):

- `vnplans extract --no-ocr FILE …` (JSON Lines to /dev/null), with the default
  per-file limits (each file in a forked worker) and without them, and
- pdfplumber: `page.extract_tables()` on every page of the same files (the baseline:
  what a user would otherwise script; it only finds grids, no contract at all).

Prints a table: tool, pages, seconds (best of `--repeat`), pages/s, peak MB (the
largest resident set of any process of the command, from getrusage), ratio to the
baseline's pages/s. The target is ≥ 6× pdfplumber.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "pdfs"
PYTHON = sys.executable
VNPLANS = [PYTHON, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]

PDFPLUMBER_SCRIPT = """
import sys
import pdfplumber
tables = 0
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables += len(page.extract_tables())
            page.flush_cache()
print(tables)
"""

# Runs a command and prints the peak RSS (KiB) over it and every process it waited for.
MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def native_fixtures() -> list[Path]:
    """Fixture plans whose every page has a text layer (scanned variants left out)."""
    import pymupdf

    found = []
    for pdf in sorted(FIXTURES.glob("*.pdf")):
        with pymupdf.open(pdf) as doc:
            if all(page.get_text("text").strip() for page in doc):
                found.append(pdf)
    return found


def page_count(path: Path) -> int:
    import pymupdf

    with pymupdf.open(path) as doc:
        return doc.page_count


def build_corpus(folder: Path, target_pages: int) -> tuple[list[Path], int]:
    sources = native_fixtures()
    if not sources:
        raise SystemExit(f"no fixture PDFs in {FIXTURES}: run tests/fixtures/generate.py")
    files: list[Path] = []
    pages = 0
    round_ = 0
    while pages < target_pages:
        for src in sources:
            if pages >= target_pages:
                break
            copy = folder / f"{src.stem}-{round_:02d}.pdf"
            shutil.copy(src, copy)
            files.append(copy)
            pages += page_count(src)
        round_ += 1
    return files, pages


def measure(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MB) of one run of `cmd` in a fresh child."""
    start = time.perf_counter()
    out = subprocess.run([PYTHON, "-c", MEASURE, *cmd], capture_output=True, text=True,
                         check=True)
    seconds = time.perf_counter() - start
    return seconds, int(out.stdout.strip()) / 1024


def round_robin(commands: dict[str, list[str]], pages: int, repeat: int,
                ) -> list[tuple[str, int, float, float]]:
    """Each tool's command run `repeat` times, round-robin (not one tool's runs after the
    other's: the machine's speed drifts over a minute on shared cores, and the ratio must
    compare like with like); a row per tool: (tool, pages, best seconds, largest peak MB)."""
    runs: dict[str, list[tuple[float, float]]] = {tool: [] for tool in commands}
    for _ in range(repeat):
        for tool, cmd in commands.items():
            runs[tool].append(measure(cmd))
    return [(tool, pages, min(r[0] for r in got), max(r[1] for r in got))
            for tool, got in runs.items()]


def compile_package() -> None:
    """Byte-compile vnplans as `scripts/setup.sh` (and any regular install) does: the
    package is installed editable and PYTHONDONTWRITEBYTECODE may be set, so a module
    edited since would otherwise be compiled again in every timed run."""
    import compileall

    compileall.compile_dir(REPO / "src" / "vnplans", quiet=1)


def check_vnplans(files: list[Path]) -> None:
    """The timed command must really extract: every file gives a document with rows."""
    import json

    result = subprocess.run([*VNPLANS, "extract", "--no-ocr", *map(str, files)],
                            capture_output=True, text=True)
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    if result.returncode != 0 or len(docs) != len(files) or not all(d["rows"] for d in docs):
        raise SystemExit(f"vnplans extract failed on the benchmark files:\n{result.stderr}")


def table(rows: list[tuple[str, int, float, float]], baseline: str) -> str:
    base = next(r for r in rows if r[0] == baseline)
    base_rate = base[1] / base[2]
    lines = [f"{'tool':<28} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'peak MB':>8} "
             f"{'ratio':>6}"]
    for tool, pages, seconds, peak in rows:
        rate = pages / seconds
        lines.append(f"{tool:<28} {pages:>6} {seconds:>8.2f} {rate:>8.1f} {peak:>8.0f} "
                     f"{rate / base_rate:>5.1f}×")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the best counts")
    args = parser.parse_args(argv)

    compile_package()
    with tempfile.TemporaryDirectory(prefix="vnplans-bench-") as tmp:
        files, pages = build_corpus(Path(tmp), args.pages)
        check_vnplans(files)
        names = [str(f) for f in files]
        commands = {
            "vnplans extract": [*VNPLANS, "extract", "--no-ocr", *names],
            # The same without the per-file worker (no time or memory limit): the cost
            # of the isolation that keeps a bad file from sinking the batch.
            "vnplans extract (no limits)": [*VNPLANS, "extract", "--no-ocr", "--timeout", "0",
                                            "--max-memory", "0", *names],
            "pdfplumber extract_tables": [PYTHON, "-c", PDFPLUMBER_SCRIPT, *names],
        }
        rows = round_robin(commands, pages, args.repeat)
    print(f"{len(files)} files, {pages} pages (native text layer), best of {args.repeat} runs, "
          "start-up included")
    print(table(rows, baseline="pdfplumber extract_tables"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
