"""The query sandbox: every statement of tests/data/hostile_queries.yaml meets its
outcome (refused / timed out / harmless) on a database the real `vnplans ingest` filled,
on SQLite and on the PostgreSQL server, and leaves the database as it was; the time
limit is enforced by the server even when the client dies; the reader role can read
the analyst views and nothing else.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml
from sqlalchemy import text
from store_fixtures import FIXTURE_PDFS, PG_URL, REPO, make_db, run_cli, vnplans_cmd
from test_sql_safety import fingerprint

from vnplans.store.db import create_readonly_engine
from vnplans.store.query import QueryTimedOut, run_read_only_query
from vnplans.store.sql_guard import QueryRefused, check_read_only

pytestmark = pytest.mark.timeout(600)

HOSTILE = yaml.safe_load((REPO / "tests" / "data" / "hostile_queries.yaml").read_text("utf-8"))
# Short, so that the timed-out cases stay quick; the default (60 s) is the same code.
TEST_TIMEOUT_S = 1.5
BACKEND_MARKS = {"sqlite": (), "postgresql": (pytest.mark.postgres,)}


def _cases() -> list:
    cases = []
    for entry in HOSTILE:
        for backend in entry["databases"]:
            cases.append(pytest.param(backend, entry, marks=BACKEND_MARKS[backend],
                                      id=f"{backend}-{entry['outcome']}-{entry['sql'][:50]}"))
    return cases


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One database per backend holding one ingested plan, made when first asked for."""
    generators = []

    class Lazy(dict):
        def __missing__(self, backend: str) -> str:
            gen = make_db(backend, tmp_path_factory.mktemp(f"guard-{backend}"))
            url = next(gen)
            generators.append(gen)
            result = run_cli("ingest", "--no-ocr", "--db", url, str(FIXTURE_PDFS / "dn2020.pdf"))
            assert result.returncode == 0, result.stderr
            self[backend] = url
            return url

    yield Lazy()
    for gen in generators:
        gen.close()


@pytest.fixture
def out_path() -> Iterator[Path]:
    """A path the database server could write to (its folder is world-writable), so
    that a statement that ran would leave it behind."""
    folder = Path(tempfile.mkdtemp(prefix="vnplans-hostile-"))
    folder.chmod(0o777)
    yield folder / "evil-output"
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()


def run(url: str, sql: str, timeout_s: float = TEST_TIMEOUT_S) -> tuple[list[str], list[tuple]]:
    engine = create_readonly_engine(url)
    try:
        return run_read_only_query(engine, sql, timeout_s=timeout_s)
    finally:
        engine.dispose()


@pytest.mark.parametrize(("backend", "entry"), _cases())
def test_hostile_query_meets_its_outcome(databases, out_path: Path, backend: str, entry: dict):
    url = databases[backend]
    sql = entry["sql"].replace("{out}", str(out_path))
    before = fingerprint(url)
    outcome = entry["outcome"]
    if outcome == "refused":
        with pytest.raises(QueryRefused) as refused:
            run(url, sql)
        assert str(refused.value) and "\n" not in str(refused.value)
    elif outcome == "timed_out":
        with pytest.raises(QueryTimedOut, match="timed out after 1.5 s"):
            run(url, sql)
    else:
        assert outcome == "harmless", entry
        columns, rows = run(url, sql)
        assert columns and rows
    assert not out_path.exists(), f"{sql!r} created a file"
    assert fingerprint(url) == before, f"{sql!r} changed the database"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_command_line_exit_status_and_message(databases, backend: str):
    url = databases[backend]
    refused = run_cli("query", "--db", url, "WITH gone AS (DELETE FROM plan_rows RETURNING id) "
                      "SELECT count(*) FROM gone")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "vnplans: query refused: DELETE is not allowed (read-only queries only)"]
    copy = run_cli("query", "--db", url, "COPY (SELECT 1) TO PROGRAM 'true'")
    assert copy.returncode == 2
    assert copy.stderr.strip() == "vnplans: query refused: COPY is not allowed (read-only " \
        "queries only)" or backend == "sqlite"
    endless = run_cli("query", "--db", url, "--timeout", "1", "WITH RECURSIVE c(n) AS "
                      "(SELECT 1 UNION ALL SELECT n + 1 FROM c) SELECT max(n) FROM c",
                      timeout=120)
    assert endless.returncode == 1 and endless.stdout == ""
    assert endless.stderr.splitlines() == [
        "vnplans: query timed out after 1 s (--timeout SECONDS allows longer)"]
    bad = run_cli("query", "--db", url, "--timeout", "0", "SELECT 1")
    assert bad.returncode == 2 and "positive" in bad.stderr
    ok = run_cli("query", "--db", url, "--format", "json", "SELECT count(*) AS n FROM documents")
    assert ok.returncode == 0 and '"n": 1' in ok.stdout


@pytest.mark.postgres
def test_server_cancels_the_query_of_a_killed_client(databases):
    """The limit is the server's: SIGKILL the client mid-query and the backend still
    stops when the time is up, instead of running on forever."""
    url = databases["postgresql"]
    marker = f"vnplans_test_{uuid.uuid4().hex[:12]}"
    sql = (f"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) "
           f"SELECT max(n) AS {marker} FROM c")
    client = subprocess.Popen(vnplans_cmd("query", "--db", url, "--timeout", "5", sql),
                              cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    admin = psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"),
                            autocommit=True)
    try:
        pids = _wait_for(lambda: _backends_running(admin, marker), 60)
        assert pids, "the query never reached the server"
        os.kill(client.pid, signal.SIGKILL)
        client.wait()
        gone = _wait_for(lambda: not _backends_running(admin, marker), 120)
        assert gone, "the server kept running the killed client's query"
    finally:
        for pid in _backends_running(admin, marker):  # only this test's own query
            admin.execute("SELECT pg_cancel_backend(%s)", (pid,))
        admin.close()
        if client.poll() is None:
            client.kill()
            client.wait()


def _backends_running(admin: psycopg.Connection, marker: str) -> list[int]:
    rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE state = 'active' "
                         "AND query LIKE %s AND pid <> pg_backend_pid()",
                         (f"%{marker}%",)).fetchall()
    return [pid for (pid,) in rows]


def _wait_for(condition, limit_s: float):  # noqa: ANN001, ANN202
    deadline = time.monotonic() + limit_s
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_sqlite_read_only_connections_deny_fts3_tokenizer(databases):
    """Not only `vnplans query`: every read-only SQLite connection (export, show, the
    Python API) refuses the pointer-leaking function."""
    engine = create_readonly_engine(databases["sqlite"])
    try:
        with engine.connect() as conn:
            with pytest.raises(Exception, match="not authorized"):
                conn.execute(text("SELECT fts3_tokenizer('simple')"))
            assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 1
    finally:
        engine.dispose()


@pytest.mark.parametrize("sql", [
    "SELECT tt, task FROM assignments WHERE lead LIKE '%Sở%' ORDER BY position LIMIT 5",
    "WITH t AS (SELECT document_id, count(*) AS n FROM plan_rows GROUP BY document_id) "
    "SELECT max(n) FROM t",
    "SELECT unit, role, due FROM upcoming_deadlines WHERE due >= '2020-01-01' "
    "UNION ALL SELECT unit, role, due FROM upcoming_deadlines WHERE due IS NULL",
    "SELECT coalesce(lead, '-') AS lead, row_number() OVER (ORDER BY position) FROM assignments",
    "SELECT CASE WHEN count(*) > 0 THEN 'yes' ELSE 'no' END FROM documents",
    "SELECT lower(title), length(title), substr(title, 1, 3) FROM documents",
])
@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_ordinary_analyst_queries_pass_the_guard(dialect: str, sql: str):
    check_read_only(sql, dialect)


def test_guard_reports_the_functions_postgresql_will_check():
    checked = check_read_only("SELECT lower(title), pg_catalog.upper(x), "
                              "(SELECT count(*) FROM t) FROM documents", "postgresql")
    assert checked.functions == {"lower", "upper", "count"}
    with pytest.raises(QueryRefused, match="schema public"):
        check_read_only("SELECT public.evil()", "postgresql")


def test_no_stored_column_is_named_like_a_denied_function(databases):
    """The guard refuses column references named like denied functions (`row.f` calls
    f(row)); none of the store's own tables, views or columns may be refused that way."""
    from sqlalchemy import inspect

    engine = create_readonly_engine(databases["sqlite"])
    try:
        insp = inspect(engine)
        names = {name for table in insp.get_table_names() + insp.get_view_names()
                 for name in [table, *(c["name"] for c in insp.get_columns(table))]}
    finally:
        engine.dispose()
    assert len(names) > 50
    refused = []
    for name in sorted(names):
        try:
            check_read_only(f'SELECT t."{name}" FROM t', "postgresql")
        except QueryRefused:
            refused.append(name)
    assert refused == []


# --- the reader role --------------------------------------------------------------------

@pytest.mark.postgres
def test_reader_role_reads_views_only(databases):
    url = databases["postgresql"]
    role = f"vnplans_reader_{uuid.uuid4().hex[:10]}"
    try:
        made = run_cli("db", "create-reader-role", "--login", role, "--db", url)
        assert made.returncode == 0, made.stderr
        assert role in made.stdout and "assignments" in made.stdout
        again = run_cli("db", "create-reader-role", "--login", role, "--db", url)
        assert again.returncode == 0, again.stderr  # updating an existing role works too
        reader_url = url.replace("postgres@", f"{role}@", 1)

        # Through vnplans query: the views read, the base tables do not.
        views = run_cli("query", "--db", reader_url, "--format", "json",
                        "SELECT count(*) AS n FROM assignments")
        assert views.returncode == 0, views.stderr
        assert '"n": 28' in views.stdout
        for view in ("unit_assignments", "upcoming_deadlines"):
            assert run_cli("query", "--db", reader_url, f"SELECT * FROM {view}").returncode == 0
        table = run_cli("query", "--db", reader_url, "SELECT count(*) FROM plan_rows")
        assert table.returncode == 1 and "permission denied" in table.stderr

        # Straight to the server, past the guard: the role's own rights stop it.
        schema = url.rsplit("%3D", 1)[1]
        reader = psycopg.connect(reader_url.replace("postgresql+psycopg://", "postgresql://"),
                                 autocommit=True)
        try:
            reader.execute("SELECT set_config('search_path', %s, false)", (schema,))
            assert reader.execute("SELECT count(*) FROM assignments").fetchone()[0] == 28
            for sql in ["SELECT pg_read_file('/etc/hostname')", "SELECT * FROM documents",
                        "SELECT * FROM plan_rows", "COPY (SELECT 1) TO PROGRAM 'true'",
                        "SELECT lo_import('/etc/hostname')"]:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    reader.execute(sql)
            assert reader.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
            with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
                reader.execute("CREATE TEMP TABLE evil (a int)")
        finally:
            reader.close()
    finally:
        admin = psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://"),
                                autocommit=True)
        with admin:
            if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone():
                # Roles are cluster-wide: give back what it was granted, then drop it.
                admin.execute(psycopg.sql.SQL("DROP OWNED BY {}").format(
                    psycopg.sql.Identifier(role)))
                admin.execute(psycopg.sql.SQL("DROP ROLE {}").format(psycopg.sql.Identifier(role)))


@pytest.mark.postgres
def test_reader_role_refuses_administrators_and_odd_names(databases):
    url = databases["postgresql"]
    me = run_cli("db", "create-reader-role", "postgres", "--db", url)
    assert me.returncode == 1 and me.stderr.startswith("vnplans db: role postgres")
    odd = run_cli("db", "create-reader-role", 'x"; DROP TABLE documents; --', "--db", url)
    assert odd.returncode == 1 and len(odd.stderr.splitlines()) == 1


def test_reader_role_is_for_postgresql(tmp_path: Path):
    result = run_cli("db", "create-reader-role", "analyst", "--db", str(tmp_path / "plans.db"))
    assert result.returncode == 1 and "PostgreSQL" in result.stderr
    assert not (tmp_path / "plans.db").exists()


@pytest.mark.postgres
def test_analyst_views_are_the_databases_views(databases):
    from sqlalchemy import inspect

    from vnplans.store.reader_role import ANALYST_VIEWS

    engine = create_readonly_engine(databases["postgresql"])
    try:
        assert sorted(inspect(engine).get_view_names()) == sorted(ANALYST_VIEWS)
    finally:
        engine.dispose()
