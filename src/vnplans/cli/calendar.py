"""`vnplans calendar [FILE …] [--db URL] -o FILE.ics`: the deadlines and recurring
duties of plans as an iCalendar file.

Inputs: plan PDFs and Word files (extracted on the fly), contract JSON files (`vnplans extract`
output, one JSON document or JSON Lines), or the database (`--db`, and the default
database when no file is given). A summary of what became events and which rows had
no date goes to standard error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from vnplans.cli.common import report_failure, report_write_failure, write_text
from vnplans.cli.ingest import DB_HELP


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "calendar", help="write the deadlines and recurring duties as iCalendar (.ics)",
        description="Build an iCalendar file (RFC 5545) of plan deadlines: one all-day event "
        "per dated deadline or period end, a recurring event per frequency (plan year). "
        "Inputs: PDFs, Word files, contract JSON / JSON Lines files, or the database (used "
        "when no file is given, or with --db).")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="plan PDFs, Word files or contract JSON files (vnplans extract output)")
    p.add_argument("--db", metavar="URL", help=DB_HELP + "; read when given or when no FILE is")
    p.add_argument("-o", "--output", metavar="FILE.ics",
                   help="write the calendar here instead of standard output")
    p.add_argument("--name", default="vnplans deadlines", help="the calendar's display name")
    p.add_argument("--no-ocr", action="store_true", help="never OCR pages of PDF inputs")
    p.set_defaults(func=run)


def read_contract_json(path: Path) -> list:
    """Plan documents from a `vnplans extract` file: one JSON object, a list of them,
    or JSON Lines. Raises BadInputError naming what is wrong."""
    from pydantic import ValidationError

    from vnplans.errors import BadInputError
    from vnplans.models import PlanDocument

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"cannot read: {exc}", file=str(path)) from exc
    try:
        try:
            data = json.loads(text)
            objects = data if isinstance(data, list) else [data]
        except json.JSONDecodeError:
            objects = [json.loads(line) for line in text.splitlines() if line.strip()]
        return [PlanDocument.model_validate(obj) for obj in objects]
    except json.JSONDecodeError as exc:
        raise BadInputError(f"not JSON or JSON Lines ({exc.msg}, line {exc.lineno})",
                            file=str(path)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise BadInputError(f"not a plan document ({where}: {first.get('msg')})",
                            file=str(path)) from exc


def _documents(args: argparse.Namespace, failures: list[str]) -> Iterator:
    from vnplans.word import is_word_path

    for name in args.files:
        path = Path(name)
        try:
            if path.suffix.lower() == ".pdf" or is_word_path(path):
                from vnplans.pipeline import extract

                yield extract(path, ocr=not args.no_ocr)
            else:
                yield from read_contract_json(path)
        except Exception as exc:  # noqa: BLE001 - one line per failed file, the batch goes on
            report_failure(path, exc)
            failures.append(name)
    if args.db or not args.files:
        from vnplans.store.api import load_documents

        try:
            yield from load_documents(args.db)
        except Exception as exc:  # noqa: BLE001
            report_failure(args.db or "database", exc)
            failures.append(args.db or "database")


def run(args: argparse.Namespace) -> int:
    from vnplans.exports.calendar import build_calendar

    failures: list[str] = []
    text, summary = build_calendar(_documents(args, failures), name=args.name)
    try:
        if args.output:
            write_text(args.output, text)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(text.encode("utf-8"))   # CRLF kept byte for byte
            sys.stdout.buffer.flush()
    except OSError as exc:
        report_write_failure(args.output or "stdout", exc)
        return 1
    print(f"vnplans calendar: {summary.line()}", file=sys.stderr)
    return 1 if failures else 0
