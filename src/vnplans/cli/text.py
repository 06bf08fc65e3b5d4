"""`vnplans text FILE.pdf|FILE.docx`: the page text in reading order, repaired; for a
Word file its paragraphs and tables in order (`vnplans.word.reader.plain_text`)."""

from __future__ import annotations

import argparse
import sys

from vnplans.cli.common import report_failure


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("text", help="print the repaired page text in reading order "
                       "(Word files: paragraphs and tables in order)")
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF or Word (.docx, .doc) files")
    p.add_argument("--no-ocr", action="store_true", help="never OCR")
    p.set_defaults(func=run, quick_exit=True)


def run(args: argparse.Namespace) -> int:
    from vnplans.layout.reading_order import page_text
    from vnplans.pipeline import read_pages, read_word_document
    from vnplans.word import is_word_path
    from vnplans.word.reader import plain_text

    failures = 0
    for path in args.files:
        try:
            if is_word_path(path):
                sys.stdout.write(plain_text(read_word_document(path)))
                sys.stdout.flush()
                continue
            doc = read_pages(path, ocr=not args.no_ocr)
        except Exception as exc:  # noqa: BLE001
            report_failure(path, exc)
            failures += 1
            continue
        for page in doc.pages:
            sys.stdout.write(page_text(page) + "\n\f")
        sys.stdout.flush()
    return 1 if failures else 0
