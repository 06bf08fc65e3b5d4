"""The queue commands open the database one way (`vnplans.cli.queue._with_database`):
a SQLite URL is refused (2), a database error during the command is one line (1), and
the engine is disposed of whatever happened. Real PostgreSQL (a private schema)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from store_fixtures import make_db

from vnplans.cli.queue import SQLITE_MESSAGE, _with_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url(tmp_path: Path):
    yield from make_db("postgresql", tmp_path)


def test_work_runs_on_the_migrated_store_and_the_engine_is_disposed(pg_url):
    engines = []

    def work(target, engine):
        engines.append(engine)
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM documents")).scalar()

    assert _with_database("queue", pg_url, work) == (0, 0)
    assert engines[0].pool.checkedout() == 0


def test_a_database_error_is_one_line_and_exit_1(pg_url, capsys):
    engines = []

    def work(target, engine):
        engines.append(engine)
        with engine.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))

    assert _with_database("enqueue", pg_url, work) == (1, None)
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("vnplans enqueue: database error: ") and "no_such_table" in line
    assert engines[0].pool.checkedout() == 0


def test_sqlite_is_refused_before_anything_opens(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    assert _with_database("worker", url, lambda target, engine: 1) == (2, None)
    assert capsys.readouterr().err == f"vnplans worker: {SQLITE_MESSAGE}\n"
    assert not (tmp_path / "plans.db").exists()
