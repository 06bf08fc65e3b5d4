"""Running one analyst's read-only SQL statement, with a time limit.

`run_read_only_query(engine, sql, timeout_s=…)` is what `vnplans query` runs (and what
the Python API reuses): the statement passes `sql_guard.check_read_only` first, then runs
on an engine from `create_readonly_engine`

- PostgreSQL: in a READ ONLY transaction with a local `statement_timeout`, so the
  server itself cancels a runaway query, even when the client was killed; functions the
  catalogue marks volatile are refused before the statement runs; the transaction is
  rolled back afterwards whatever happened.
- SQLite: under an authorizer that allows reading only, and a progress handler that
  interrupts the statement once the time is up.
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, Any

from vnplans.errors import StoreError
from vnplans.store.sql_guard import (
    QueryRefused,
    QuerySyntaxError,
    SqliteQueryAuthorizer,
    check_read_only,
    policy,
    refuse,
)

DEFAULT_QUERY_TIMEOUT_S = 60.0
# SQLite calls the progress handler every this many virtual-machine instructions
# (about a millisecond of work): often enough to stop on time, rarely enough to cost
# nothing measurable.
SQLITE_PROGRESS_STEPS = 10_000
APPLICATION_NAME = "vnplans query"

if TYPE_CHECKING:  # the command line reads the default above without loading SQLAlchemy
    from sqlalchemy import Engine


class QueryTimedOut(StoreError):
    """The statement ran longer than its time limit and was cancelled."""


def run_read_only_query(engine: Engine, sql: str, *,
                        timeout_s: float = DEFAULT_QUERY_TIMEOUT_S
                        ) -> tuple[list[str], list[tuple]]:
    """Columns and rows of one read-only statement. Raises QueryRefused (not a plain
    read: nothing ran; QuerySyntaxError, a subclass, when it is not valid SQL),
    QueryTimedOut (cancelled after `timeout_s` seconds) or
    StoreError (any other failure), each with a one-line reason."""
    if not timeout_s > 0:
        raise StoreError(f"the time limit must be positive, not {timeout_s}")
    dialect = engine.dialect.name
    checked = check_read_only(sql, dialect)
    raw = None
    try:
        raw = engine.raw_connection()
        if dialect == "postgresql":
            return _run_postgresql(raw.driver_connection, sql, checked.functions, timeout_s)
        return _run_sqlite(raw.driver_connection, sql, timeout_s)
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


def _run_postgresql(conn: Any, sql: str, functions: frozenset[str],
                    timeout_s: float) -> tuple[list[str], list[tuple]]:
    import psycopg

    with conn.cursor() as cur:
        cur.execute("SET TRANSACTION READ ONLY")
        # Local to this transaction. standard_conforming_strings on: the guard's parser
        # reads '\' in strings the way the server then does.
        cur.execute("SELECT set_config('statement_timeout', %s, true), "
                    "set_config('standard_conforming_strings', 'on', true), "
                    "set_config('application_name', %s, true)",
                    (f"{max(1, round(timeout_s * 1000))}ms", APPLICATION_NAME))
        _refuse_volatile(cur, functions)
        try:
            # The extended protocol takes exactly one statement (the guard checked too).
            cur.execute(sql, prepare=True)
        except psycopg.errors.QueryCanceled as exc:
            raise QueryTimedOut(f"query timed out after {timeout_s:g} s") from exc
        except psycopg.errors.SyntaxError as exc:  # the guard's parser let it through
            raise QuerySyntaxError(" ".join(str(exc).split())) from exc
        if cur.description is None:
            raise StoreError("the statement returned no rows (only queries are allowed)")
        columns = [d[0] for d in cur.description]
        return columns, [tuple(r) for r in cur.fetchall()]


def _refuse_volatile(cur: Any, functions: frozenset[str]) -> None:
    """Refuse calls of functions the server's catalogue marks volatile (they may change
    state), except those that only make up values (random …)."""
    if not functions:
        return
    cur.execute("SELECT DISTINCT proname FROM pg_catalog.pg_proc "
                "WHERE proname = ANY(%s) AND provolatile = 'v' ORDER BY proname",
                (sorted(functions),))
    harmless = set(policy()["postgresql"]["harmless_volatile"])
    volatile = [name for (name,) in cur.fetchall() if name not in harmless]
    if volatile:
        raise refuse(f"function {volatile[0]}", "it can change the server's state")


# How SQLite words a statement it cannot parse (sqlite3 gives every error one code).
_SQLITE_SYNTAX_ERRORS = ("syntax error", "incomplete input", "unrecognized token")


def _is_syntax_error(message: str) -> bool:
    return any(words in message for words in _SQLITE_SYNTAX_ERRORS)


def _run_sqlite(conn: sqlite3.Connection, sql: str,
                timeout_s: float) -> tuple[list[str], list[tuple]]:
    from vnplans.store.db import read_only_authorizer

    authorizer = SqliteQueryAuthorizer()
    deadline = time.monotonic() + timeout_s
    timed_out = False

    def past_deadline() -> bool:
        nonlocal timed_out
        timed_out = time.monotonic() > deadline
        return timed_out

    conn.set_authorizer(authorizer)
    conn.set_progress_handler(past_deadline, SQLITE_PROGRESS_STEPS)
    try:
        cur = conn.cursor()
        try:
            cur.execute(sql)
            if cur.description is None:
                raise StoreError("the statement returned no rows (only queries are allowed)")
            columns = [d[0] for d in cur.description]
            return columns, [tuple(r) for r in cur.fetchall()]
        except sqlite3.ProgrammingError as exc:
            if "one statement" in str(exc):
                raise QueryRefused("one statement at a time") from exc
            raise
        except sqlite3.DatabaseError as exc:
            if authorizer.refusal is not None:
                raise QueryRefused(authorizer.refusal) from exc
            if timed_out:
                raise QueryTimedOut(f"query timed out after {timeout_s:g} s") from exc
            if _is_syntax_error(str(exc)):
                raise QuerySyntaxError(str(exc)) from exc
            raise
        finally:
            cur.close()
    finally:
        conn.set_progress_handler(None, 0)
        conn.set_authorizer(read_only_authorizer)
