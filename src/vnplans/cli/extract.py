"""`vnplans extract FILE.pdf …`: the plan contract as JSON (JSON Lines for several files).
Word files (.docx; .doc through LibreOffice) are read from their structure."""

from __future__ import annotations

import argparse
import sys

from vnplans.cli.common import report_failure, report_write_failure, write_text
from vnplans.cli.limit_options import add_limit_arguments


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="print the plan contract (JSON) of PDF or Word files",
                       description="Extract plan PDFs or Word files (.docx; .doc needs "
                       "LibreOffice) into the plan JSON contract. One file: "
                       "pretty JSON; several: one JSON document per line.")
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF or Word (.docx, .doc) files")
    p.add_argument("-o", "--output", metavar="FILE.json",
                   help="write the JSON here instead of standard output")
    p.add_argument("--no-ocr", action="store_true",
                   help="never OCR: pages without a usable text layer yield no words")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="OCR up to N scanned pages of a file at once (default 1)")
    p.add_argument("--no-ocr-cache", action="store_true",
                   help="do not read or write the OCR cache ($XDG_CACHE_HOME/vnplans/ocr, "
                   "or $VNPLANS_OCR_CACHE)")
    add_limit_arguments(p)
    p.set_defaults(func=run, quick_exit=True)


# Cyclic garbage collection after this many new container objects (CPython's default:
# 700, 10, 10). Imports and the per-page words allocate hundreds of thousands of
# objects that live on, and at the default the collector rescans them over and over
# (~10% of an extract run); the pipeline makes little cyclic garbage, so peak memory
# stays the same (measured: 10_000, 20, 20 → 100_000, 50, 100 cut another ~5% of the
# CPU of a 152-page batch, peak RSS equal; a 300-page plan likewise).
GC_THRESHOLD = (100_000, 50, 100)


def run(args: argparse.Namespace) -> int:
    import gc

    from vnplans.gc_pause import paused_gc

    gc.set_threshold(*GC_THRESHOLD)
    import os

    if args.no_ocr_cache:
        os.environ["VNPLANS_OCR_CACHE"] = "off"  # (vnplans.textlayer.ocr_cache.ENV)
    if args.jobs > 1:
        os.environ["VNPLANS_OCR_JOBS"] = str(args.jobs)  # (textlayer.repair.OCR_JOBS_ENV)
    # No collection while importing (see `preload_pipeline`, which loads the rest), and
    # what is loaded now lives as long as the process: never scan it.
    with paused_gc(freeze=True):
        import vnplans.pdf.open  # noqa: F401 - the PDF library, which Limits.run needs first
        from vnplans.limits import Limits
        from vnplans.pipeline import extract_json

    limits = Limits.from_args(args)
    single = len(args.files) == 1
    chunks: list[str] = []
    failures = 0
    for path in args.files:
        try:
            text = limits.run(extract_json, path, ocr=not args.no_ocr,
                              indent=2 if single else None)
        except Exception as exc:  # noqa: BLE001 - every failure becomes one line, batch goes on
            report_failure(path, exc)
            failures += 1
            continue
        if args.output:
            chunks.append(text)
        else:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
    if args.output and chunks:
        try:
            write_text(args.output, "\n".join(chunks) + "\n")
        except OSError as exc:
            report_write_failure(args.output, exc)
            return 1
    return 1 if failures else 0
