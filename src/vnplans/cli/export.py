"""`vnplans export --format csv|xlsx|parquet|json -o FILE`: the stored plans as a file.

csv, xlsx, parquet: `Store.assignments()` (the `assignments` view, typed, as the Python
API gives it), one row per assignment; csv/xlsx join list cells ("a; b").
json: the plan contract documents exactly as extracted, one per line (JSON Lines).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vnplans.cli.ingest import DB_HELP

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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from vnplans.errors import StoreError

    fmt = args.format or SUFFIXES.get(Path(args.output or "").suffix.lower(), "csv")
    if fmt in ("xlsx", "parquet") and not args.output:
        print(f"vnplans export: error: --format {fmt} needs -o FILE", file=sys.stderr)
        return 2
    try:
        export(args.db, fmt, Path(args.output) if args.output else None)
    except (StoreError, OSError, SQLAlchemyError) as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        print(f"vnplans export: {reason}", file=sys.stderr)
        return 1
    return 0


def export(db_url: str | None, fmt: str, output: Path | None) -> None:
    from vnplans.exports import tabular
    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(db_url)
    try:
        if output is None:
            _write_text(engine, fmt, sys.stdout)
            return
        # Written beside the target and renamed: a failed export never leaves half a file.
        tmp = output.with_name(f".{output.name}.tmp")
        try:
            if fmt in ("csv", "json"):
                with tmp.open("w", encoding="utf-8", newline="") as fh:
                    _write_text(engine, fmt, fh)
            elif fmt == "xlsx":
                tabular.write_xlsx(*tabular.assignments(engine), tmp)
            else:
                _write_parquet(engine, tmp)
            tmp.replace(output)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        engine.dispose()


def _write_parquet(engine, path: Path) -> None:  # noqa: ANN001
    """`Store.assignments()` as Parquet: dates as date32, units, pages and frequencies
    as Arrow lists (the text formats join them)."""
    import pyarrow.parquet as pq

    from vnplans.frames import to_arrow
    from vnplans.store.frames import Store

    pq.write_table(to_arrow(Store(engine).assignments()), path)


def _write_text(engine, fmt: str, out) -> None:  # noqa: ANN001
    from vnplans.exports import tabular
    from vnplans.store.api import iter_contract_json

    if fmt == "json":
        for text in iter_contract_json(engine):
            out.write(text + "\n")
    else:
        tabular.write_csv(*tabular.assignments(engine), out)
