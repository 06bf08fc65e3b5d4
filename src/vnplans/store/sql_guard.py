"""Is an analyst's SQL a plain read? Checked on the statement before the database sees it.

A read-only transaction is not a sandbox: on PostgreSQL it still runs `COPY … TO
PROGRAM`, reads server files (`pg_read_file`), ends other sessions
(`pg_terminate_backend`) and changes settings (`set_config`). So `vnplans query` (and
any caller of `vnplans.store.query.run_read_only_query`) first parses the statement:

- PostgreSQL: with the server's own grammar (pglast wraps PostgreSQL's parser), so
  quoting, comments, dollar-quotes and `U&"…"` escapes read exactly as the server reads
  them. Allowed: one SELECT / WITH … SELECT / VALUES / TABLE, or EXPLAIN of one, built
  from the expression nodes listed in sql_guard.yaml. Every function name is checked
  against a deny list; the runner also refuses functions the catalogue marks volatile.
- SQLite: with sqlglot, for an early, clear refusal; the authority is SQLite's own
  compiler, through an authorizer that allows only reading (`sqlite_authorizer`).

The lists live in sql_guard.yaml beside this module.
"""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnplans.errors import StoreError

POLICY_FILE = Path(__file__).with_name("sql_guard.yaml")
READ_ONLY_HINT = "read-only queries only"


class QueryRefused(StoreError):
    """The statement is not a plain read; nothing was run."""


class QuerySyntaxError(QueryRefused):
    """The statement is not valid SQL (the parser's one-line reason); nothing was run."""


@dataclass(frozen=True)
class CheckedQuery:
    """What the guard learnt about an allowed statement."""

    dialect: str
    # Lower-cased names of the functions it calls (PostgreSQL: for the catalogue check).
    functions: frozenset[str] = field(default_factory=frozenset)


@functools.cache
def policy() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8"))


def refuse(what: str, why: str = READ_ONLY_HINT) -> QueryRefused:
    return QueryRefused(f"{what} is not allowed ({why})")


def check_read_only(sql: str, dialect: str) -> CheckedQuery:
    """Raise QueryRefused unless `sql` is one read-only query for `dialect`
    ("postgresql" or "sqlite")."""
    if dialect == "postgresql":
        return _check_postgresql(sql)
    if dialect == "sqlite":
        return _check_sqlite(sql)
    raise QueryRefused(f"queries on {dialect} databases are not supported")


# --- PostgreSQL --------------------------------------------------------------------------

def _check_postgresql(sql: str) -> CheckedQuery:
    import pglast
    from pglast import ast

    rules = policy()["postgresql"]
    try:
        statements = pglast.parse_sql(sql)
    except pglast.parser.ParseError as exc:
        raise QuerySyntaxError(str(exc)) from exc
    if len(statements) != 1:
        raise QueryRefused("one statement at a time" if statements else "no statement given")
    root = statements[0].stmt
    if isinstance(root, ast.ExplainStmt):
        root = root.query
    if not isinstance(root, ast.SelectStmt):
        raise refuse(_pg_name(type(root).__name__, rules))
    allowed = set(rules["allowed_nodes"])
    functions: set[str] = set()
    for node in _pg_nodes(statements[0]):
        kind = type(node).__name__
        if kind not in allowed:
            raise refuse(_pg_name(kind, rules))
        if isinstance(node, ast.FuncCall):
            functions.add(_pg_function(node, rules))
        elif isinstance(node, ast.ColumnRef):
            # `x.f` calls f(x) when x is a row: a column name may be a function name.
            for part in node.fields or ():
                if isinstance(part, ast.String) and _pg_denied(part.sval, rules):
                    raise refuse(f"function {part.sval}")
        elif isinstance(node, ast.RangeVar) and node.relname in rules["denied_relations"] \
                and node.schemaname in (None, "pg_catalog", "information_schema"):
            raise refuse(f"reading {node.relname}")
    return CheckedQuery("postgresql", frozenset(functions))


def _pg_nodes(node: Any) -> Iterator[Any]:
    """Every parse-tree node under `node`, itself included."""
    from pglast import ast

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, ast.Node):
            yield item
            stack.extend(getattr(item, name, None) for name in item.__slots__)
        elif isinstance(item, dict):  # not a parse tree we can read: fail closed
            raise QueryRefused("cannot read the statement's parse tree")


def _pg_function(node: Any, rules: dict[str, Any]) -> str:
    parts = [p.sval for p in node.funcname]
    name = parts[-1]
    if len(parts) > 1 and parts[:-1] != ["pg_catalog"]:
        raise refuse(f"calling functions of schema {'.'.join(parts[:-1])}")
    if _pg_denied(name, rules):
        raise refuse(f"function {name}")
    return name


def _pg_denied(name: str, rules: dict[str, Any]) -> bool:
    lowered = name.lower()
    return lowered in rules["denied_functions"] or \
        lowered.startswith(tuple(rules["denied_function_prefixes"]))


def _pg_name(kind: str, rules: dict[str, Any]) -> str:
    names = rules["statement_names"]
    if kind in names:
        return names[kind]
    return kind.removesuffix("Stmt").upper() if kind.endswith("Stmt") else f"{kind} (in a query)"


# --- SQLite ------------------------------------------------------------------------------

def _check_sqlite(sql: str) -> CheckedQuery:
    import sqlglot
    from sqlglot import exp

    rules = policy()["sqlite"]
    # sqlglot logs a warning for every statement it falls back to reading as a command.
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        statements = [s for s in sqlglot.parse(sql, read="sqlite") if s is not None]
    except sqlglot.errors.SqlglotError:
        # SQLite's grammar is wider than sqlglot's; its own compiler, under the
        # authorizer, decides such statements.
        return CheckedQuery("sqlite")
    if len(statements) != 1:
        raise QueryRefused("one statement at a time" if statements else "no statement given")
    root = statements[0]
    if isinstance(root, exp.Command) and root.name.upper() == "EXPLAIN":
        return _check_sqlite(_explained(root))
    if not isinstance(root, exp.Query | exp.Values):
        raise refuse(_sqlite_name(root))
    functions: set[str] = set()
    for node in root.walk():
        if isinstance(node, exp.DML | exp.DDL | exp.Command | exp.Pragma | exp.Attach):
            raise refuse(_sqlite_name(node))
        if isinstance(node, exp.Into):
            raise refuse("SELECT … INTO")
        if isinstance(node, exp.Anonymous | exp.Func):
            name = (node.name if isinstance(node, exp.Anonymous) else node.sql_name()).lower()
            if name in rules["denied_functions"]:
                raise refuse(f"function {name}")
            functions.add(name)
    return CheckedQuery("sqlite", frozenset(functions))


def _explained(command: Any) -> str:
    text = command.expression.name if command.expression is not None else ""
    words = text.split(None, 2)
    if [w.upper() for w in words[:2]] == ["QUERY", "PLAN"]:
        return words[2] if len(words) > 2 else ""
    return text


def _sqlite_name(node: Any) -> str:
    from sqlglot import exp

    if isinstance(node, exp.Command):
        return node.name.upper()
    return type(node).__name__.upper()


class SqliteQueryAuthorizer:
    """SQLite authorizer for analysts' queries: only reading (tables, views, functions
    not on the deny list). Remembers why it refused, for the message."""

    def __init__(self) -> None:
        rules = policy()["sqlite"]
        self.allowed = {getattr(sqlite3, f"SQLITE_{name}") for name in rules["allowed_actions"]}
        self.denied_functions = set(rules["denied_functions"])
        self.refusal: str | None = None

    def __call__(self, action: int, arg1: str | None, arg2: str | None,
                 _db: str | None, _trigger: str | None) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in self.denied_functions:
            return self._deny(f"function {arg2}")
        if action in self.allowed:
            return sqlite3.SQLITE_OK
        return self._deny(_ACTION_NAMES.get(action, f"action {action}"))

    def _deny(self, what: str) -> int:
        if self.refusal is None:
            self.refusal = f"{what} is not allowed ({READ_ONLY_HINT})"
        return sqlite3.SQLITE_DENY


# Authorizer action codes, for messages ("PRAGMA is not allowed").
_ACTIONS = (
    "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE",
    "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE",
    "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX", "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER",
    "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA", "TRANSACTION", "UPDATE",
    "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE", "CREATE_VTABLE", "DROP_VTABLE",
    "SAVEPOINT",
)
_ACTION_NAMES = {getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ") for name in _ACTIONS}
