"""The job queue and the nightly re-run: files/s and pages/s of `vnplans worker` with 1
and 2 worker processes draining the same queue (scaling efficiency), and files/s of
the whole `vnplans ingest` process on an unchanged folder of 500 files (the nightly
case), beside the same command of a baseline revision.

    .venv/bin/python benchmarks/bench_queue.py [--copies 20] [--unchanged 500]
        [--baseline REV] [--repeat 5] [--pg URL] [--skip-queue] [--skip-unchanged]

Queue corpus: the generated fixture plans, each saved --copies times with different
metadata (distinct content, same pages), so every file is really extracted. Each
worker count gets a fresh PostgreSQL database; the clock runs from the workers'
start to the last one's exit (`--until-empty`), start-up included.

Unchanged re-run: --unchanged files (fixture copies) ingested once into SQLite, then
`vnplans ingest` of the same folder --repeat times: wall and CPU seconds of the whole
process (best of the repeats). --baseline REV runs the command of that git revision
(its `src/` from `git archive`, on a copy of the database set to its schema revision).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "pdfs"
PG_DEFAULT = os.environ.get("VNPLANS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CLI = [sys.executable, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]


def make_corpus(folder: Path, count: int) -> int:
    """`count` distinct copies of the fixture plans; their pages in all."""
    import pymupdf

    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(FIXTURES.glob("*.pdf"))
    pages = 0
    for i in range(count):
        source = sources[i % len(sources)]
        with pymupdf.open(source) as doc:
            doc.set_metadata({**(doc.metadata or {}), "title": f"bench copy {i}"})
            doc.save(folder / f"{source.stem}-{i}.pdf")
            pages += doc.page_count
    return pages


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=REPO,
                            stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise SystemExit(f"`vnplans {' '.join(args)}` failed:\n{result.stdout}\n{result.stderr}")
    return result


def fresh_database(base: str) -> tuple[str, str]:
    import psycopg

    name = f"vnplans_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.split("?", 1)[0].rsplit("/", 1)[0] + f"/{name}", name


def drop_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_queue(pg: str, copies: int) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        corpus = Path(tmp_name) / "corpus"
        files = len(sorted(FIXTURES.glob("*.pdf"))) * copies
        pages = make_corpus(corpus, files)
        print(f"queue corpus: {files} PDFs, {pages} pages (fixtures × {copies}), --no-ocr")
        print(f"{'workers':>7} {'seconds':>8} {'files/s':>8} {'pages/s':>8} {'efficiency':>10}")
        single = None
        for workers in (1, 2):
            url, name = fresh_database(pg)
            try:
                run(["enqueue", "--db", url, str(corpus)])
                started = time.perf_counter()
                procs = [subprocess.Popen([*CLI, "worker", "--db", url, "--until-empty",
                                           "--no-ocr"], cwd=REPO, stdin=subprocess.DEVNULL)
                         for _ in range(workers)]
                codes = [p.wait() for p in procs]
                seconds = time.perf_counter() - started
                if any(codes):
                    raise SystemExit(f"a worker failed: {codes}")
            finally:
                drop_database(pg, name)
            rate = files / seconds
            single = single or rate
            efficiency = rate / (workers * single)
            print(f"{workers:>7} {seconds:8.2f} {rate:8.2f} {pages / seconds:8.1f} "
                  f"{efficiency:>9.0%}")


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO,
                            stdin=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or " 0 skipped" in result.stdout:
        raise SystemExit(f"unexpected: {result.stdout}{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _baseline_source(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=REPO, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _at_baseline_revision(db: Path, copy: Path, src: Path) -> None:
    """A copy of the database as the baseline's migrations left it: this tree's
    migrations downgrade it to the baseline's `SCHEMA_REVISION`."""
    from alembic import command

    from vnplans.store.db import _alembic_config, create_db_engine

    settings = (src / "vnplans" / "store" / "settings.py").read_text(encoding="utf-8")
    found = re.search(r'^SCHEMA_REVISION = "(\w+)"', settings, re.MULTILINE)
    if found is None:
        raise SystemExit("the baseline names no SCHEMA_REVISION")
    shutil.copy(db, copy)
    engine = create_db_engine(f"sqlite:///{copy}", migrate=False)
    try:
        with engine.begin() as conn:
            command.downgrade(_alembic_config(conn), found.group(1))
    finally:
        engine.dispose()


def bench_unchanged(count: int, repeat: int, baseline: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        make_corpus(corpus, count)
        db = tmp / "plans.db"
        run(["ingest", "--jobs", "2", "--no-ocr", "--db", f"sqlite:///{db}", str(corpus)])
        variants = [("this tree", f"sqlite:///{db}", dict(os.environ))]
        if baseline:
            src = _baseline_source(baseline, tmp)
            old_db = tmp / "baseline.db"
            _at_baseline_revision(db, old_db, src)
            env = {**os.environ, "PYTHONPATH": str(src)}
            variants.append((f"baseline {baseline}", f"sqlite:///{old_db}", env))
        print(f"unchanged re-run: `vnplans ingest` of {count} stored files, whole process, "
              f"best of {repeat} (runs interleaved)")
        best: dict[str, tuple[float, float]] = {}
        for _ in range(repeat):
            for label, url, env in variants:
                wall, cpu = _timed([*CLI, "ingest", "--db", url, str(corpus)], env)
                old = best.get(label)
                best[label] = (min(wall, old[0]), min(cpu, old[1])) if old else (wall, cpu)
        print(f"{'code':>24} {'wall s':>7} {'CPU s':>7} {'files/s (wall)':>15} {'(CPU)':>7}")
        for label, (wall, cpu) in best.items():
            print(f"{label:>24} {wall:7.3f} {cpu:7.3f} {count / wall:15.0f} {count / cpu:7.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of each fixture (queue)")
    parser.add_argument("--unchanged", type=int, default=500, help="files of the re-run")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="git revision to compare the re-run with")
    parser.add_argument("--pg", default=PG_DEFAULT)
    parser.add_argument("--skip-queue", action="store_true")
    parser.add_argument("--skip-unchanged", action="store_true")
    opts = parser.parse_args()
    if not opts.skip_queue:
        bench_queue(opts.pg, opts.copies)
    if not opts.skip_unchanged:
        bench_unchanged(opts.unchanged, opts.repeat, opts.baseline)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
