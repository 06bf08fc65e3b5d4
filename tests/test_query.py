"""`vnplans query`, `vnplans show` and `load_documents` on a database the real
`vnplans ingest` filled from the fixture PDFs (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import uuid

import pytest
from store_fixtures import BACKENDS, FIXTURE_PDFS, make_db, run_cli

from vnplans.store.api import load_documents
from vnplans.store.db import create_db_engine


@pytest.fixture(scope="module", params=BACKENDS)
def loaded_db(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"query-{uuid.uuid4().hex[:6]}")
    gen = make_db(request.param, tmp)
    url = next(gen)
    result = run_cli("ingest", "--db", url, str(FIXTURE_PDFS))
    assert result.returncode == 0, result.stderr
    yield url
    gen.close()


@pytest.fixture(scope="module")
def documents(loaded_db):
    return list(load_documents(loaded_db))


def q(url: str, sql: str, *extra: str):
    return run_cli("query", "--db", url, *extra, sql)


def test_load_documents_gives_every_fixture_back(documents):
    assert sorted(d.source.file for d in documents) == sorted(p.name for p in FIXTURE_PDFS.glob("*.pdf"))
    assert all(d.rows for d in documents)


def test_query_formats(loaded_db, documents):
    doc = documents[0]
    sql = ("SELECT tt, task, lead FROM assignments WHERE file_name = 'PLACEHOLDER' "
           "ORDER BY position").replace("PLACEHOLDER", doc.source.file)
    as_json = q(loaded_db, sql, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout)
    assert [(r["tt"], r["task"], r["lead"]) for r in records] == \
        [(r.tt, r.task, r.lead) for r in doc.rows]

    as_csv = q(loaded_db, sql, "--format", "csv")
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["tt", "task", "lead"]
    assert [r[1] for r in rows[1:]] == [r.task or "" for r in doc.rows]

    table = q(loaded_db, sql)
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["tt", "task", "lead"] and set(lines[1]) <= {"-", " "}
    assert len(lines) == 2 + len(doc.rows)


def test_the_database_can_be_named_before_the_command(loaded_db, documents):
    before = run_cli("--db", loaded_db, "query", "--format", "json",
                     "SELECT COUNT(*) AS n FROM documents")
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout) == [{"n": len(documents)}]
    # The command's own --db wins; a command without a database says so.
    both = run_cli("--db", "sqlite:////nonexistent/x.db", "query", "--db", loaded_db,
                   "--format", "json", "SELECT COUNT(*) AS n FROM documents")
    assert json.loads(both.stdout) == [{"n": len(documents)}], both.stderr
    wrong = run_cli("--db", loaded_db, "extract", str(next(FIXTURE_PDFS.glob("*.pdf"))))
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.splitlines()[-1] == \
        "vnplans: error: --db does not apply to `vnplans extract`"


def test_one_unit_across_documents(loaded_db, documents):
    """An analyst lists, for one canonical unit, every row it leads or supports."""
    counted: dict[str, int] = {}
    for doc in documents:
        for row in doc.rows:
            for name in {*row.lead_units, *row.support_units}:
                counted[name] = counted.get(name, 0) + 1
    unit = max(counted, key=lambda n: counted[n])
    result = q(loaded_db, f"SELECT DISTINCT row_id FROM unit_assignments WHERE unit = '{unit}'",
               "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == counted[unit]


def test_upcoming_deadlines_are_ordered_by_due(loaded_db, documents):
    result = q(loaded_db, "SELECT unit, role, due, task FROM upcoming_deadlines", "--format", "json")
    records = json.loads(result.stdout)
    dated = sum(len(r.lead_units) + len(r.support_units)
                for d in documents for r in d.rows if r.schedule.due)
    assert len(records) == dated > 0
    dues = [r["due"] for r in records]
    assert dues == sorted(dues)
    assert {r["role"] for r in records} <= {"lead", "support"}


@pytest.mark.parametrize("sql", [
    "DELETE FROM plan_rows",
    "UPDATE documents SET title = 'x'",
    "DROP VIEW assignments",
    "CREATE TABLE evil (x INTEGER)",
    "SELECT 1; DELETE FROM plan_rows",
])
def test_query_refuses_writes(loaded_db, sql):
    before = q(loaded_db, "SELECT COUNT(*) AS n FROM plan_rows", "--format", "json").stdout
    result = q(loaded_db, sql)
    assert result.returncode == 2  # refused before it ran
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("vnplans: query refused: ")
    assert q(loaded_db, "SELECT COUNT(*) AS n FROM plan_rows", "--format", "json").stdout == before


@pytest.mark.parametrize(("sql", "says"), [
    ("SELEC * FROM assignments", "SELEC"),
    ("SELECT task FROM assignments WHERE", None),
    ("SELECT 'unclosed FROM assignments", None),
])
def test_a_syntax_error_is_a_usage_error(loaded_db, sql, says):
    result = q(loaded_db, sql)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("vnplans query: invalid SQL: ")
    assert says is None or says in line


def test_query_sqlite_cannot_attach_files(tmp_path):
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    create_db_engine(url).dispose()
    target = tmp_path / "new.db"
    result = q(url, f"ATTACH DATABASE '{target}' AS other")
    assert result.returncode == 2 and not target.exists()


def test_query_errors_are_one_line(loaded_db, tmp_path):
    bad = q(loaded_db, "SELECT no_such_column FROM assignments")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1
    missing = run_cli("query", "--db", f"sqlite:///{tmp_path / 'none.db'}", "SELECT 1")
    assert missing.returncode == 1 and "vnplans ingest" in missing.stderr
    assert not (tmp_path / "none.db").exists()


def test_show_by_id_sha_prefix_and_path(loaded_db, documents):
    doc = documents[0]
    by_path = run_cli("show", "--db", loaded_db, str(FIXTURE_PDFS / doc.source.file))
    assert by_path.returncode == 0, by_path.stderr
    assert "stored document" in by_path.stdout
    assert doc.rows[0].task.split()[0] in by_path.stdout
    doc_id = json.loads(q(loaded_db, "SELECT id FROM documents WHERE sha256 = '"
                          + doc.source.sha256 + "'", "--format", "json").stdout)[0]["id"]
    by_id = run_cli("show", "--db", loaded_db, str(doc_id))
    by_sha = run_cli("show", "--db", loaded_db, doc.source.sha256[:10])
    assert by_id.returncode == by_sha.returncode == 0
    assert by_id.stdout == by_sha.stdout == by_path.stdout
    unknown = run_cli("show", "--db", loaded_db, "999999")
    assert unknown.returncode == 1 and "999999" in unknown.stderr


def test_show_extracts_a_pdf_that_is_not_stored(tmp_path):
    pdf = sorted(FIXTURE_PDFS.glob("*.pdf"))[0]
    result = run_cli("show", "--db", f"sqlite:///{tmp_path / 'empty.db'}", str(pdf))
    assert result.returncode == 0, result.stderr
    assert "extracted now" in result.stdout
