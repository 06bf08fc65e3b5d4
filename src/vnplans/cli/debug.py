"""`vnplans debug FILE --page N -o page.png`: a picture of what the table reader saw."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vnplans.cli.common import report_failure


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "debug", help="draw what the table reader saw on a page (attach it to a report)",
        description="Render pages with the words, ruling lines, table fragments, header "
        "zones, columns with their roles, row bands and spanning text drawn over them.")
    p.add_argument("file", metavar="FILE.pdf")
    p.add_argument("--page", type=int, action="append", metavar="N",
                   help="page to draw (1-based; repeat for several)")
    p.add_argument("--pages", choices=["all"], help="draw every page (into the -o folder)")
    p.add_argument("-o", "--output", required=True, metavar="PNG_OR_DIR",
                   help="the PNG file for one page, else a folder (page-NNN.png each)")
    p.add_argument("--dpi", type=int, default=110)
    p.add_argument("--no-ocr", action="store_true", help="never OCR")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from vnplans.picture import PictureSettings, draw_pages

    if not args.page and args.pages != "all":
        print("vnplans debug: error: give --page N or --pages all", file=sys.stderr)
        return 2
    numbers = None if args.pages == "all" else args.page
    try:
        written = draw_pages(args.file, numbers, Path(args.output), ocr=not args.no_ocr,
                             settings=PictureSettings(dpi=args.dpi))
    except Exception as exc:  # noqa: BLE001 - one line naming the file
        report_failure(args.file, exc)
        return 1
    for path in written:
        print(path)
    return 0
