"""Database fixtures for the store, ingest and query tests: the same test runs against
SQLite (a file in tmp_path) and PostgreSQL (a private schema on the test server).

PostgreSQL: env VNPLANS_TEST_PG or postgresql+psycopg://postgres@127.0.0.1:5432/test.
Without a reachable server the PostgreSQL cases skip with a message, except when env
CI is set: then they fail, so CI never passes without testing PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE_PDFS = REPO / "tests" / "fixtures" / "pdfs"
PG_URL = os.environ.get("VNPLANS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_dsn() -> str:
    return PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)


def pg_unavailable_reason() -> str | None:
    import psycopg

    try:
        with psycopg.connect(_pg_dsn(), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"no PostgreSQL at {PG_URL}: {' '.join(str(exc).split())}"


def require_pg() -> None:
    reason = pg_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must test PostgreSQL)")
    pytest.skip(reason)


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_dsn(), autocommit=True) as conn:
        conn.execute(sql)


def make_db(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL for one test; PostgreSQL schemas are dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'db' / 'plans.db'}"
        return
    require_pg()
    schema = f"vnplans_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        _pg_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from make_db(request.param, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'plans.db'}"


@pytest.fixture
def pdf_folder(tmp_path: Path) -> Path:
    """A folder holding copies of the generated plan fixture PDFs."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for pdf in sorted(FIXTURE_PDFS.glob("*.pdf")):
        shutil.copy(pdf, folder / pdf.name)
    return folder


def fixture_pdfs() -> list[Path]:
    return sorted(FIXTURE_PDFS.glob("*.pdf"))


def vnplans_cmd(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from vnplans.cli import main; sys.exit(main())",
            *args]


def run_cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """The real `vnplans` command in a child process (stdin closed, not a terminal)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(vnplans_cmd(*args), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=full_env, timeout=timeout, cwd=REPO)


def query(url: str, sql: str, **params: object) -> list[tuple]:
    """The rows `sql` (with bound `params`) reads from the database at `url`."""
    from sqlalchemy import text

    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def variant_pdf(source: Path, target: Path, tag: str) -> Path:
    """A copy of `source` whose bytes (and so sha256) differ but whose pages do not:
    a changed title in the document metadata, as re-saving in an editor does."""
    import pymupdf

    with pymupdf.open(source) as pdf:
        meta = dict(pdf.metadata or {})
        meta["title"] = f"{meta.get('title') or ''} {tag}".strip()
        pdf.set_metadata(meta)
        pdf.save(target)
    return target


def expected_documents() -> list:
    """PlanDocuments built from the fixtures' expected JSON, normalized by the real
    pipeline stage (units, schedules, indices), so store tests do not depend on the
    PDF reading stages."""
    import hashlib
    import json

    from vnplans import EXTRACTOR_VERSION
    from vnplans.models import DocumentInfo, PlanDocument, Row, Source
    from vnplans.normalize.units import issuer_key_for
    from vnplans.pipeline import normalize_rows

    docs = []
    for path in sorted((REPO / "tests" / "fixtures" / "expected").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        pdf = FIXTURE_PDFS / data["file"]
        info = DocumentInfo.model_validate(data["document"])
        rows = [Row.model_validate(row) for row in data["rows"]]
        warnings: list[str] = []
        normalize_rows(rows, info.year, issuer_key_for(info), list(info.indices), warnings)
        source = Source(file=data["file"], sha256=hashlib.sha256(pdf.read_bytes()).hexdigest(),
                        pages=data["pages"], extractor_version=EXTRACTOR_VERSION)
        docs.append(PlanDocument(source=source, document=info, rows=rows, warnings=warnings))
    return docs
