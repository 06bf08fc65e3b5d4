"""A PostgreSQL schema named in the URL (`?options=-csearch_path%3Dmyschema`) that does
not exist yet is created by the first writable open, on the real test server; a role
that may not create it gets one line naming the schema and what to do."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_fixtures import FIXTURE_PDFS, PG_URL, _pg_admin, require_pg, run_cli

from vnplans.store.db import search_path_schemas

pytestmark = pytest.mark.postgres


def _url(search_path: str, user: str | None = None) -> str:
    url = PG_URL if user is None else PG_URL.replace("://postgres@", f"://{user}@", 1)
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{search_path}"


def _count(schema: str) -> int:
    import psycopg

    with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)) as conn:
        return conn.execute(f'SELECT count(*) FROM "{schema}".documents').fetchone()[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(sorted(FIXTURE_PDFS.glob("*.pdf"))[0], folder / "plan.pdf")
    return folder


@pytest.fixture
def new_schemas() -> Iterator[list[str]]:
    require_pg()
    names: list[str] = []
    yield names
    for name in names:
        _pg_admin(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.mark.parametrize(("written", "created"), [
    ("vnplans_new_{id}", "vnplans_new_{id}"),
    ("vnplans_new_{id},public", "vnplans_new_{id}"),  # not the tables into public
    ("VnPlans_Lower_{id}", "vnplans_lower_{id}"),  # unquoted: lower-cased, as the server does
    ("%22VnPlans_Exact_{id}%22", "VnPlans_Exact_{id}"),
])
def test_the_schema_named_in_the_url_is_created(folder, new_schemas, written, created):
    key = uuid.uuid4().hex[:10]
    new_schemas.append(created.format(id=key))
    url = _url(written.format(id=key))
    result = run_cli("ingest", "--no-ocr", "--db", url, str(folder))
    assert result.returncode == 0, result.stderr
    assert _count(created.format(id=key)) == 1
    again = run_cli("query", "--db", url, "SELECT count(*) AS n FROM assignments",
                    "--format", "json")
    assert again.returncode == 0, again.stderr


def test_a_role_that_may_not_create_it_gets_one_line(folder, new_schemas):
    key = uuid.uuid4().hex[:10]
    role, schema = f"vnplans_nocreate_{key}", f"vnplans_new_{key}"
    new_schemas.append(schema)
    _pg_admin(f'CREATE ROLE "{role}" LOGIN')
    try:
        result = run_cli("ingest", "--no-ocr", "--db", _url(schema, user=role), str(folder))
    finally:
        _pg_admin(f'DROP ROLE "{role}"')
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert f'schema "{schema}" does not exist and cannot be created' in line
    assert f'CREATE SCHEMA "{schema}" AUTHORIZATION {role}' in line


def test_search_path_names_read_as_the_server_reads_them() -> None:
    assert search_path_schemas('"$user", public') == ["public"]
    assert search_path_schemas("MySchema, public") == ["myschema", "public"]
    assert search_path_schemas('"My ""odd"" one",x') == ['My "odd" one', "x"]
    assert search_path_schemas("") == []


def test_reading_a_schema_never_written_says_to_ingest_first(new_schemas):
    key = uuid.uuid4().hex[:10]
    missing = f"vnplans_never_{key}"
    result = run_cli("query", "--db", _url(missing), "SELECT count(*) FROM assignments")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert "no vnplans tables at" in line and "run `vnplans ingest` first" in line
    assert "default_transaction_read_only" not in line  # the URL as the user wrote it
    empty = f"vnplans_empty_{key}"
    new_schemas.append(empty)
    _pg_admin(f'CREATE SCHEMA "{empty}"')
    result = run_cli("query", "--db", _url(empty), "SELECT count(*) FROM assignments")
    assert result.returncode == 1
    assert f"(schema {empty}): run `vnplans ingest` first" in result.stderr
