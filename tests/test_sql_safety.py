"""`vnplans query` is read-only, whatever the SQL tries; and no code builds SQL from
what it read in a file.

Every statement below must fail with a one-line reason and leave the database exactly
as it was (same tables, same row counts, for SQLite the same bytes on disk) and create
no file — on SQLite and on PostgreSQL. The statements go through
`vnplans.cli.query.run_query` on the read-only engine the command opens (a few through
the real command line too, for the exit status and the one-line message). The escape
attempts beyond writing (COPY … TO PROGRAM, server files, settings, time limits) are in
tests/data/hostile_queries.yaml (tests/test_query_guard.py).
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from store_fixtures import FIXTURE_PDFS, REPO, make_db, run_cli

from vnplans.errors import StoreError

pytestmark = pytest.mark.timeout(300)

# Statements that write, or try to get out of the read-only connection. {out} is a path
# in the test's temporary folder that must not come into existence.
WRITES_BOTH = [
    "DELETE FROM plan_rows",
    "UPDATE documents SET title = 'hacked'",
    "INSERT INTO units (id, name) VALUES ('x', 'x')",
    "DROP TABLE plan_rows",
    "DROP VIEW assignments",
    "CREATE TABLE evil (a INTEGER)",
    "CREATE INDEX evil_idx ON plan_rows (task)",
    "ALTER TABLE documents ADD COLUMN evil TEXT",
    "WITH doomed AS (SELECT id FROM documents) "
    "DELETE FROM plan_rows WHERE document_id IN (SELECT id FROM doomed)",
    "WITH doomed AS (SELECT id FROM documents) UPDATE documents SET title = 'x' "
    "WHERE id IN (SELECT id FROM doomed)",
    "SELECT 1; DELETE FROM plan_rows",
    "SELECT count(*) FROM documents; DROP TABLE documents",
    "  ;  DELETE FROM plan_rows",
    "/* comment */ DELETE FROM plan_rows -- SELECT",
    "BEGIN; DELETE FROM plan_rows; COMMIT",
    "COMMIT",
]
WRITES_SQLITE = [
    "ATTACH DATABASE '{out}' AS evil",
    "ATTACH DATABASE ':memory:' AS evil",
    "PRAGMA writable_schema = ON",
    "PRAGMA writable_schema = 1; UPDATE sqlite_master SET sql = 'x'",
    "PRAGMA query_only = OFF",
    "PRAGMA query_only = 0; DELETE FROM plan_rows",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA user_version = 99",
    "VACUUM",
    "VACUUM INTO '{out}'",
    "REINDEX",
    "INSERT INTO documents SELECT * FROM documents",
    "REPLACE INTO units (id, name) VALUES ('x', 'x')",
    "SELECT load_extension('/tmp/evil')",
]
# A read-only transaction runs these (and the rollback would undo them); the statement
# guard refuses them before they run.
FUNCTIONS_POSTGRES = [
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT lo_import('/etc/hostname')",
]
WRITES_POSTGRES = [
    "WITH gone AS (DELETE FROM plan_rows RETURNING id) SELECT count(*) FROM gone",
    "WITH changed AS (UPDATE documents SET title = 'x' RETURNING id) SELECT * FROM changed",
    "SET TRANSACTION READ WRITE",
    "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE",
    "DO $$ BEGIN DELETE FROM plan_rows; END $$",
    "SELECT * FROM documents FOR UPDATE",
    "COPY documents TO '{out}'",
    "COPY (SELECT 1) TO PROGRAM 'touch {out}'",
    "SELECT nextval('documents_id_seq')",
    "CREATE TEMP TABLE evil AS SELECT 1 AS a",
    "LOCK TABLE documents IN ACCESS EXCLUSIVE MODE",
    "TRUNCATE plan_rows",
    "REFRESH MATERIALIZED VIEW assignments",
    "PREPARE evil AS DELETE FROM plan_rows",
]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                               marks=pytest.mark.postgres)])
def loaded_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A database holding one ingested plan."""
    tmp = tmp_path_factory.mktemp(f"sql-{request.param}")
    gen = make_db(request.param, tmp)
    url = next(gen)
    result = run_cli("ingest", "--no-ocr", "--db", url, str(FIXTURE_PDFS / "dn2020.pdf"))
    assert result.returncode == 0, result.stderr
    yield request.param, url
    gen.close()


def fingerprint(url: str) -> dict:
    """Tables, views and row counts, plus the SQLite files' bytes."""
    from vnplans.store.db import create_readonly_engine, is_sqlite, sqlite_path

    engine = create_readonly_engine(url)
    try:
        insp = inspect(engine)
        tables = sorted(insp.get_table_names())
        views = sorted(insp.get_view_names())
        with engine.connect() as conn:
            # Table names come from the database's own catalogue, never from input.
            counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                      for t in tables}
            titles = sorted(r[0] or "" for r in conn.execute(text("SELECT title FROM documents")))
            if engine.dialect.name == "postgresql":
                counts["pg_largeobject_metadata"] = conn.execute(
                    text("SELECT count(*) FROM pg_largeobject_metadata")).scalar()
    finally:
        engine.dispose()
    state: dict = {"tables": tables, "views": views, "counts": counts, "titles": titles}
    path = sqlite_path(url) if is_sqlite(url) else None
    if path is not None:
        state["files"] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                          for p in sorted(path.parent.glob(path.name + "*"))
                          if not p.name.endswith(".lock")}
    return state


def run_query_inprocess(url: str, sql: str) -> tuple[list[str], list[tuple]]:
    from vnplans.cli.query import run_query
    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(url)
    try:
        return run_query(engine, sql)
    finally:
        engine.dispose()


def _cases(backend: str) -> list[str]:
    if backend == "sqlite":
        return WRITES_BOTH + WRITES_SQLITE
    return WRITES_BOTH + WRITES_POSTGRES + FUNCTIONS_POSTGRES


def test_no_statement_can_write(loaded_db, tmp_path: Path):
    backend, url = loaded_db
    before = fingerprint(url)
    assert before["counts"]["plan_rows"] > 0
    out = tmp_path / "evil-output"
    wrote = []
    for sql in _cases(backend):
        statement = sql.replace("{out}", str(out))
        try:
            run_query_inprocess(url, statement)
        except StoreError as exc:
            assert "\n" not in str(exc) and str(exc), statement
        else:
            wrote.append(statement)  # it ran: it must at least not have changed anything
        after = fingerprint(url)
        assert after == before, f"{statement!r} changed the database"
        assert not out.exists(), f"{statement!r} created a file"
    assert wrote == [], f"ran instead of being refused: {wrote}"


def test_reads_still_work(loaded_db):
    backend, url = loaded_db
    columns, rows = run_query_inprocess(
        url, "WITH t AS (SELECT document_id, count(*) AS n FROM plan_rows GROUP BY document_id) "
             "SELECT n FROM t")
    assert columns == ["n"] and rows and rows[0][0] > 0
    columns, rows = run_query_inprocess(url, "SELECT task, lead FROM assignments LIMIT 3")
    assert len(rows) == 3


@pytest.mark.parametrize("sql", ["DELETE FROM plan_rows",
                                 "WITH d AS (SELECT 1) DELETE FROM plan_rows",
                                 "SELECT 1; DROP TABLE documents"])
def test_cli_refuses_writes_in_one_line(loaded_db, sql: str):
    backend, url = loaded_db
    before = fingerprint(url)
    result = run_cli("query", "--db", url, sql)
    assert result.returncode == 2  # refused: nothing ran
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vnplans: query refused: "), result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(url) == before


def test_query_on_missing_database_creates_nothing(tmp_path: Path):
    db = tmp_path / "nothing-here.db"
    result = run_cli("query", "--db", f"sqlite:///{db}", "SELECT 1")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert not db.exists()


# --- no SQL built from data -----------------------------------------------------------

SQL_CALLS = {"execute", "exec_driver_sql", "executescript", "executemany", "text"}
# f-strings/`%`/format in SQL are allowed only when every interpolated value is one of
# these: module constants (UPPER_CASE), ints, or names the catalogue gives (checked
# by hand, listed here with the reason).
ALLOWED_NAMES = {
    "SQLITE_BUSY_TIMEOUT_S",  # an int constant (PRAGMA busy_timeout)
}


def _interpolated(node: ast.AST) -> list[ast.AST] | None:
    """The expressions formatted into a string argument, or None when it is a plain
    literal (or a name/attribute: checked where it is defined)."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return [node.right] if isinstance(node.op, ast.Mod) else [node.left, node.right]
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"):
        return list(node.args) + [k.value for k in node.keywords]
    return None


def _allowed(expr: ast.AST) -> bool:
    if isinstance(expr, ast.Constant):
        return True
    if isinstance(expr, ast.BinOp):
        return _allowed(expr.left) and _allowed(expr.right)
    if isinstance(expr, ast.Name):
        return expr.id in ALLOWED_NAMES or expr.id.isupper()
    if isinstance(expr, ast.Attribute):
        return expr.attr.isupper()
    return False


def formatted_sql_calls(root: Path) -> list[str]:
    """`file:line: statement` of every SQL call whose statement formats in a value."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in SQL_CALLS:
                continue
            parts = _interpolated(node.args[0])
            if parts is None:
                continue
            if not all(_allowed(p) for p in parts):
                found.append(f"{path.relative_to(root)}:{node.lineno}: "
                             f"{ast.unparse(node.args[0])[:100]}")
    return sorted(found, key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_no_sql_is_built_by_string_formatting():
    """Values reach SQL only as bound parameters: any f-string, `%` or `.format()` in
    a statement may interpolate constants only."""
    assert formatted_sql_calls(REPO / "src" / "vnplans") == []


def test_the_sql_grep_catches_formatting(tmp_path: Path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(conn, title):\n"
                   "    conn.execute(f\"SELECT * FROM documents WHERE title = '{title}'\")\n"
                   "    conn.execute(text('DELETE FROM x WHERE a = %s' % title))\n"
                   "    conn.exec_driver_sql('SELECT {}'.format(title))\n"
                   "    conn.execute('SELECT ' + title)\n"
                   "    conn.execute(f'PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}')\n",
                   encoding="utf-8")
    found = formatted_sql_calls(tmp_path)
    assert [line.split(":")[1] for line in found] == ["2", "3", "4", "5"], found
