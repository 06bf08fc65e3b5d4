"""`vnplans export --format csv|xlsx|parquet|json -o FILE`: the stored plans as a file.

csv, xlsx, parquet: `Store.assignments()` (the `assignments` view, typed, as the Python
API gives it), one row per assignment; csv/xlsx join list cells ("a; b").
json: the plan contract documents exactly as extracted, one per line (JSON Lines).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vnplans.cli.common import report_write_failure
from vnplans.cli.ingest import DB_HELP
from vnplans.fsnames import printable

FORMATS = ("csv", "xlsx", "parquet", "json")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".json": "json",
            ".jsonl": "json"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="export the stored plans (assignments table or contract JSON)",
        description="Export the database: csv, xlsx and parquet hold one row per assignment "
        "(the assignments view); json holds the plan contract documents, one per line.")
    p.add_argument("--format", choices=FORMATS,
                   help="output format (default: from the -o suffix, else csv)")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="file to write (csv and json may go to standard output)")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--raw", action="store_true",
                   help="csv, xlsx: write text exactly as stored, even text a spreadsheet "
                   "would run as a formula (=, +, -, @ first); by default such text is "
                   "neutralised (csv: a leading ', xlsx: a text cell)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from vnplans.errors import StoreError

    fmt = args.format or SUFFIXES.get(Path(args.output or "").suffix.lower(), "csv")
    if fmt in ("xlsx", "parquet") and not args.output:
        print(f"vnplans export: error: --format {fmt} needs -o FILE", file=sys.stderr)
        return 2
    try:
        export(args.db, fmt, Path(args.output) if args.output else None, raw=args.raw)
    except OSError as exc:
        report_write_failure(args.output or "stdout", exc)
        return 1
    except (StoreError, SQLAlchemyError) as exc:
        reason = printable(" ".join(str(getattr(exc, "orig", None) or exc).split()))
        print(f"vnplans export: {reason}", file=sys.stderr)
        return 1
    return 0


def export(db_url: str | None, fmt: str, output: Path | None, *, raw: bool = False) -> None:
    from vnplans.cli.output import output_file
    from vnplans.exports import tabular
    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(db_url)
    try:
        if output is None:
            _write_text(engine, fmt, sys.stdout, raw=raw)
            return
        # A regular file is written beside the target and renamed (a failed export
        # never leaves half a file); a FIFO or device is written into.
        if fmt in ("csv", "json"):
            with output_file(output, "w") as fh:
                _write_text(engine, fmt, fh, raw=raw)
        elif fmt == "xlsx":
            columns, rows = tabular.assignments(engine)
            with output_file(output, "wb") as fh:
                tabular.write_xlsx(columns, rows, fh, raw=raw)
        else:
            with output_file(output, "wb") as fh:
                _write_parquet(engine, fh)
    finally:
        engine.dispose()


def _write_parquet(engine, out) -> None:  # noqa: ANN001
    """`Store.assignments()` as Parquet: dates as date32, units, pages and frequencies
    as Arrow lists (the text formats join them)."""
    import pyarrow.parquet as pq

    from vnplans.frames import to_arrow
    from vnplans.store.frames import Store

    pq.write_table(to_arrow(Store(engine).assignments()), out)


def _write_text(engine, fmt: str, out, *, raw: bool = False) -> None:  # noqa: ANN001
    from vnplans.exports import tabular
    from vnplans.store.api import iter_contract_json

    if fmt == "json":
        for text in iter_contract_json(engine):
            out.write(text + "\n")
    else:
        tabular.write_csv(*tabular.assignments(engine), out, raw=raw)
