"""Start-up and per-cell cost of the unit resolver (`vnplans.normalize.units`).

    .venv/bin/python benchmarks/bench_units.py [--repeat 5]

Each measurement runs in a fresh child process that has already imported what the
pipeline imports anyway (pydantic models, pymupdf, numpy), so the numbers are what the
resolver adds to `vnplans extract`. CPU time (process_time) is reported, best of
`--repeat`, because wall time on a shared machine mostly measures the neighbours.

- baseline: a plain `import spacy` plus `spacy.blank("xx")` (what the obvious
  implementation would pay before matching anything);
- resolver start-up: the first `resolve_units` call — spaCy imported without its CLI,
  alias tables read, one PhraseMatcher pair built for every issuing body;
- per cell: every lead/support cell of the plan fixtures, cache cleared each pass, and
  again with the per-process cache warm.
Peak memory is the child's maximum resident set.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PRELUDE = """
import json, resource, sys, time
import vnplans.models, pymupdf, numpy  # loaded by the pipeline anyway
"""

BASELINE = PRELUDE + """
t0 = time.process_time()
import spacy
nlp = spacy.blank("xx")
t1 = time.process_time()
print(json.dumps({"startup": t1 - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

RESOLVER = PRELUDE + """
import glob
cells = []
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    for row in json.load(open(path, encoding="utf-8"))["rows"]:
        cells += [c for c in (row["lead"], row["support"]) if c]
t0 = time.process_time()
from vnplans.normalize import units
t1 = time.process_time()
units.resolve_units("Văn phòng Sở, Thanh tra Sở", "so-y-te/binh-dinh")
t2 = time.process_time()
passes = 20
for _ in range(passes):
    units._analyse.cache_clear()
    for cell in cells:
        units.analyse_units(cell, "so-y-te/binh-dinh")
t3 = time.process_time()
for cell in cells:
    units.analyse_units(cell, "so-y-te/binh-dinh")
t4 = time.process_time()
print(json.dumps({"module": t1 - t0, "startup": t2 - t1, "cells": len(cells),
                  "per_cell": (t3 - t2) / (passes * len(cells)),
                  "per_cell_cached": (t4 - t3) / len(cells),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(script: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                         check=True, cwd=REPO)
    return json.loads(out.stdout)


def best(script: str, repeat: int, *args: str) -> dict:
    runs = [run(script, *args) for _ in range(repeat)]
    return {key: min(r[key] for r in runs) for key in runs[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    expected = str(REPO / "tests" / "fixtures" / "expected")

    baseline = best(BASELINE, args.repeat)
    resolver = best(RESOLVER, args.repeat, expected)
    print(f"CPU time, best of {args.repeat}, in a process that already loaded pydantic, "
          f"pymupdf and numpy")
    lines = [
        ("what", "ms", "peak MB"),
        ('baseline: import spacy + spacy.blank("xx")', f"{1000 * baseline['startup']:.0f}",
         f"{baseline['peak_mb']:.0f}"),
        ("import vnplans.normalize.units (no spaCy)", f"{1000 * resolver['module']:.0f}", ""),
        ("first resolve: spaCy + tables + matchers", f"{1000 * resolver['startup']:.0f}",
         f"{resolver['peak_mb']:.0f}"),
        (f"per cell, uncached ({resolver['cells']} fixture cells)",
         f"{1000 * resolver['per_cell']:.3f}", ""),
        ("per cell, cached", f"{1000 * resolver['per_cell_cached']:.4f}", ""),
    ]
    for what, ms, mb in lines:
        print(f"{what:48} {ms:>8} {mb:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
