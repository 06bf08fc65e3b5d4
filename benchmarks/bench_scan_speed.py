"""Seconds per scanned page: the whole `vnplans extract` command beside plain
`tesseract` on the same whole pages.

    nice -n 15 .venv/bin/python benchmarks/bench_scan_speed.py            # 300 dpi scans
    nice -n 15 .venv/bin/python benchmarks/bench_scan_speed.py --dpi 200 --plans bd2023

For each plan a seeded 300 dpi scan (`tests/fixtures/make_scanned.py`, written under
/tmp) is read by
- `vnplans extract --no-ocr-cache FILE` (start-up, rendering, cleaning, every
  Tesseract run — in-process, `textlayer/ocr_engine.py` —, the table and the
  normalisation: the whole command),
- `vnplans extract FILE` a second time with the OCR cache warm (a nightly re-run of an
  unchanged scan: no Tesseract at all),
- `tesseract page.png - -l vie` on each page image as the scan holds it (the
  baseline: one plain OCR of the page, nothing else).
Reported per page: CPU seconds (user + system of the child processes: what one core
spends, the figure to compare on a shared machine) and wall seconds. Target (issue
#13): <= 1.5 s per 300 dpi page, whole command, on one core.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
sys.path.insert(0, str(ROOT / "benchmarks"))

VNPLANS = str(ROOT / ".venv" / "bin" / "vnplans")
DEFAULT_PLANS = ["bd2023", "dt2021_district", "ldg2023_stnmt"]


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(cpu s, wall s) of one command."""
    cpu0, wall0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return _children_cpu() - cpu0, time.perf_counter() - wall0


def main(argv: list[str] | None = None) -> int:
    import pymupdf
    from bench_scan_matrix import plans
    from make_scanned import scan_pdf, variant_for

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--plans", nargs="*", default=DEFAULT_PLANS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    out = Path(tempfile.mkdtemp(prefix="vnplans_scan_speed_"))
    cache = out / "ocr-cache"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "VNPLANS_OCR_CACHE": str(cache)}
    rows = []
    for plan in [p for p in plans() if p.name in args.plans]:
        with pymupdf.open(plan.pdf) as doc:
            pages = len(doc)
        variant = variant_for(args.seed, args.dpi, pages, plan.name)
        scan = scan_pdf(plan.pdf, out / f"{plan.name}.pdf", variant)
        cold = timed([VNPLANS, "extract", "--no-ocr-cache", str(scan)], env)
        timed([VNPLANS, "extract", str(scan)], env)  # fills the cache
        warm = timed([VNPLANS, "extract", str(scan)], env)
        tess_cpu = tess_wall = 0.0
        with pymupdf.open(scan) as doc:
            for i, page in enumerate(doc):
                image = out / f"{plan.name}_{i}.png"
                page.get_pixmap(dpi=args.dpi).save(image)
                cpu, wall = timed(["tesseract", str(image), "-", "-l", "vie"], env)
                tess_cpu += cpu
                tess_wall += wall
        rows.append((plan.name, pages, cold, warm, (tess_cpu, tess_wall)))
    print(f"\n{args.dpi} dpi scans, per page (CPU s / wall s)\n")
    print("| plan | pages | vnplans extract | … OCR cache warm | tesseract (whole page) |")
    print("|---|---|---|---|---|")
    totals = [0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    for name, pages, cold, warm, tess in rows:
        print(f"| {name} | {pages} | {cold[0] / pages:.2f} / {cold[1] / pages:.2f} "
              f"| {warm[0] / pages:.2f} / {warm[1] / pages:.2f} "
              f"| {tess[0] / pages:.2f} / {tess[1] / pages:.2f} |")
        for k, v in enumerate((pages, *cold, *warm, *tess)):
            totals[k] += v
    n = max(1, totals[0])
    print(f"| all | {totals[0]} | {totals[1] / n:.2f} / {totals[2] / n:.2f} "
          f"| {totals[3] / n:.2f} / {totals[4] / n:.2f} | {totals[5] / n:.2f} / "
          f"{totals[6] / n:.2f} |")
    print(f"\nload average {os.getloadavg()[0]:.1f}; scans in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
