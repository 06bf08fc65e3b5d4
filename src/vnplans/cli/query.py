"""`vnplans query "SELECT …"`: run one read-only SQL statement against the store.

The database is opened so it cannot be written (SQLite `mode=ro`, PostgreSQL
read-only transactions, one statement per call): a write fails with a one-line error.
"""

from __future__ import annotations

import argparse
import sys

from vnplans.cli.ingest import DB_HELP


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "query", help="run a read-only SQL query on the database",
        description="Run one read-only SQL statement. Views for analysts: assignments, "
        "unit_assignments, upcoming_deadlines (see docs/store.md).")
    p.add_argument("sql", metavar="SQL", help='e.g. "SELECT * FROM assignments LIMIT 5"')
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default), csv, or json (an array of objects)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from vnplans.errors import StoreError
    from vnplans.exports.tabular import print_table, write_csv, write_json_records
    from vnplans.store.db import create_readonly_engine

    try:
        engine = create_readonly_engine(args.db)
        columns, rows = run_query(engine, args.sql)
    except StoreError as exc:
        print(f"vnplans query: {exc}", file=sys.stderr)
        return 1
    if args.format == "csv":
        write_csv(columns, rows, sys.stdout)
    elif args.format == "json":
        write_json_records(columns, rows, sys.stdout)
    else:
        print_table(columns, rows)
    return 0


def run_query(engine, sql: str) -> tuple[list[str], list[tuple]]:  # noqa: ANN001
    """Columns and rows of one statement; StoreError with a one-line reason otherwise."""
    from vnplans.errors import StoreError

    raw = None
    try:
        raw = engine.raw_connection()
        cur = raw.cursor()
        if engine.dialect.name == "postgresql":
            # The extended protocol takes exactly one statement, so "SELECT 1; COMMIT; …"
            # cannot leave the read-only transaction.
            cur.execute(sql, prepare=True)
        else:
            cur.execute(sql)
        if cur.description is None:
            raise StoreError("the statement returned no rows (only queries are allowed)")
        columns = [d[0] for d in cur.description]
        rows = [tuple(r) for r in cur.fetchall()]
        return columns, rows
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - SQL errors become one line
        message = " ".join(str(getattr(exc, "orig", None) or exc).split())
        if "readonly" in message or "read-only" in message or "not authorized" in message \
                or "query_only" in message.lower():
            message = f"the database is opened read-only: {message}"
        raise StoreError(message) from exc
    finally:
        if raw is not None:
            raw.rollback()
            raw.close()
