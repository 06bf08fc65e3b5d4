"""`vnplans query "SELECT …"`: run one read-only SQL statement against the store.

The statement must be a plain read (vnplans.store.sql_guard: one SELECT / WITH … SELECT
/ VALUES / EXPLAIN, no COPY, no server-file, admin or session-setting functions …); it
runs on a connection that cannot write (SQLite `mode=ro` under a read-only authorizer,
PostgreSQL read-only transactions) with a time limit (`--timeout`, default 60 s).
Exit status: 0 done, 2 the statement is not valid SQL or was refused (nothing ran), 1 it
failed or timed out.
"""

from __future__ import annotations

import argparse
import sys

from vnplans.cli.ingest import DB_HELP

EXIT_USAGE = 2
EXIT_REFUSED = EXIT_USAGE


def register(sub: argparse._SubParsersAction) -> None:
    from vnplans.store.query import DEFAULT_QUERY_TIMEOUT_S

    p = sub.add_parser(
        "query", help="run a read-only SQL query on the database",
        description="Run one read-only SQL statement. Views for analysts: assignments, "
        "unit_assignments, upcoming_deadlines (see docs/store.md).",
        epilog="Exit status: 0 done, 1 the query failed or timed out, 2 the statement is not "
        "valid SQL or was refused (not a plain read: COPY, DO, SET, writes, server-file or "
        "admin functions …).")
    p.add_argument("sql", metavar="SQL", help='e.g. "SELECT * FROM assignments LIMIT 5"')
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table",
                   help="table (default), csv, or json (an array of objects)")
    p.add_argument("--timeout", metavar="SECONDS", type=_positive_seconds,
                   default=DEFAULT_QUERY_TIMEOUT_S,
                   help=f"cancel the query after this long (default {DEFAULT_QUERY_TIMEOUT_S:g}; "
                   "PostgreSQL cancels it on the server)")
    p.set_defaults(func=run)


def _positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {value!r}")
    return seconds


def run(args: argparse.Namespace) -> int:
    from vnplans.errors import StoreError
    from vnplans.exports.tabular import print_table, write_csv, write_json_records
    from vnplans.store.db import create_readonly_engine
    from vnplans.store.query import QueryTimedOut
    from vnplans.store.sql_guard import QueryRefused, QuerySyntaxError

    try:
        engine = create_readonly_engine(args.db)
        columns, rows = run_query(engine, args.sql, timeout_s=args.timeout)
    except QuerySyntaxError as exc:
        print(f"vnplans query: invalid SQL: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except QueryRefused as exc:
        print(f"vnplans: query refused: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except QueryTimedOut as exc:
        print(f"vnplans: {exc} (--timeout SECONDS allows longer)", file=sys.stderr)
        return 1
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


def run_query(engine, sql: str, *, timeout_s: float | None = None  # noqa: ANN001
              ) -> tuple[list[str], list[tuple]]:
    """Columns and rows of one read-only statement (see
    `vnplans.store.query.run_read_only_query`)."""
    from vnplans.store.query import DEFAULT_QUERY_TIMEOUT_S, run_read_only_query

    return run_read_only_query(engine, sql, timeout_s=timeout_s or DEFAULT_QUERY_TIMEOUT_S)
