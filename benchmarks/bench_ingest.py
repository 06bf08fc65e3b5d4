"""Ingest throughput: documents and pages per second of `vnplans ingest` into SQLite and
PostgreSQL with --jobs 1 and --jobs 2, beside the extract-only rate (the baseline: what
extraction alone costs) and a re-run where every file is unchanged (the nightly case).
Peak memory is the largest resident set of the ingest process and of its workers.

    .venv/bin/python benchmarks/bench_ingest.py [--copies 3] [--pg URL] [--no-pg]

The corpus is the generated fixture PDFs, each saved --copies times with different
metadata (distinct content hashes, same pages), so every file is really extracted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "pdfs"
PG_DEFAULT = os.environ.get("VNPLANS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# Runs one command in-process and reports its time and peak memory (its own and its
# worker processes') as the last stderr line.
RUNNER = """
import json, resource, sys, time
from vnplans.cli import main
start = time.perf_counter()
rc = main(sys.argv[1:])
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"rc": rc, "seconds": seconds, "rss_kb": own, "child_rss_kb": kids}),
      file=sys.stderr)
sys.exit(rc)
"""


def make_corpus(folder: Path, copies: int) -> tuple[int, int]:
    import pymupdf

    files = pages = 0
    for pdf in sorted(FIXTURES.glob("*.pdf")):
        for i in range(copies):
            with pymupdf.open(pdf) as doc:
                doc.set_metadata({**(doc.metadata or {}), "title": f"bench copy {i}"})
                doc.save(folder / f"{pdf.stem}-{i}.pdf")
                pages += doc.page_count
            files += 1
    return files, pages


def measure(args: list[str]) -> dict:
    proc = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True,
                          text=True, cwd=REPO, stdin=subprocess.DEVNULL)
    stats = json.loads(proc.stderr.strip().splitlines()[-1])
    if stats["rc"] not in (0,):
        raise SystemExit(f"`vnplans {' '.join(args)}` failed:\n{proc.stdout}\n{proc.stderr}")
    return stats


def pg_schema_url(base: str) -> tuple[str, str] | None:
    try:
        import psycopg

        schema = f"vnplans_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(base.replace("+psycopg", ""), autocommit=True, connect_timeout=3) as c:
            c.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # noqa: BLE001
        print(f"(PostgreSQL skipped: {exc})", file=sys.stderr)
        return None
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(base: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base.replace("+psycopg", ""), autocommit=True) as c:
        c.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="copies of each fixture PDF")
    parser.add_argument("--pg", default=PG_DEFAULT, help="PostgreSQL URL")
    parser.add_argument("--no-pg", action="store_true")
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        corpus.mkdir()
        files, pages = make_corpus(corpus, opts.copies)
        print(f"corpus: {files} PDFs, {pages} pages (fixtures × {opts.copies})")
        results: list[tuple[str, dict]] = []

        out = tmp / "extract.jsonl"
        results.append(("extract only (baseline)",
                        measure(["extract", "-o", str(out), *map(str, sorted(corpus.glob("*.pdf")))])))

        targets = [("sqlite", f"sqlite:///{tmp / 'db-{jobs}.db'}", None)]
        if not opts.no_pg:
            targets.append(("postgresql", opts.pg, None))
        for name, url_template, _ in targets:
            for jobs in (1, 2):
                schema = None
                if name == "sqlite":
                    url = url_template.replace("{jobs}", str(jobs))
                else:
                    made = pg_schema_url(url_template)
                    if made is None:
                        break
                    url, schema = made
                try:
                    args = ["ingest", "--db", url, "--jobs", str(jobs), str(corpus)]
                    results.append((f"ingest {name} --jobs {jobs}", measure(args)))
                    if jobs == 1:
                        results.append((f"re-ingest {name}, all unchanged", measure(args)))
                finally:
                    if schema:
                        drop_schema(url_template, schema)

    print(f"{'run':34} {'seconds':>8} {'docs/s':>8} {'pages/s':>8} {'peak MB':>8} "
          f"{'worker MB':>9}")
    for label, s in results:
        sec = s["seconds"]
        print(f"{label:34} {sec:8.2f} {files / sec:8.2f} {pages / sec:8.2f} "
              f"{s['rss_kb'] / 1024:8.0f} {s['child_rss_kb'] / 1024:9.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
