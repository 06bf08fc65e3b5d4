"""The store layer on SQLite and PostgreSQL: schema and migrations, whole-document
writes and replacements, the analyst views, and reading documents back."""

from __future__ import annotations

import json
import multiprocessing
import time

import pytest
from sqlalchemy import inspect, text
from store_fixtures import db_url, expected_documents  # noqa: F401 - fixture

from vnplans.store.api import load_documents
from vnplans.store.db import (
    SCHEMA_REVISION,
    create_db_engine,
    current_revision,
    head_revision,
)
from vnplans.store.load import save_document

TABLES = {"documents", "document_paths", "sections", "plan_rows", "schedules",
          "schedule_periods", "schedule_frequencies", "schedule_rrules", "units", "row_units",
          "warnings", "ingestion_runs", "failed_files", "document_tables", "table_columns",
          "row_extras", "schedule_milestones", "schedule_times", "stored_originals"}
VIEWS = {"assignments", "unit_assignments", "upcoming_deadlines"}


@pytest.fixture(scope="module")
def docs():
    return expected_documents()


def _store(engine, docs, prefix="/plans"):
    ids = []
    for doc in docs:
        with engine.begin() as conn:
            ids.append(save_document(conn, doc, path=f"{prefix}/{doc.source.file}",
                                     sha256=doc.source.sha256))
    return ids


def _count(conn, table_or_view: str, where: str = "", **params) -> int:
    # Names come from this test module's constants, never from data.
    return conn.execute(text(f"SELECT COUNT(*) FROM {table_or_view} {where}"), params).scalar()


def test_schema_revision_constant_matches_alembic_head():
    assert head_revision() == SCHEMA_REVISION


def test_fresh_database_gets_tables_and_views(db_url):  # noqa: F811
    engine = create_db_engine(db_url)
    insp = inspect(engine)
    assert set(insp.get_table_names()) >= TABLES
    assert set(insp.get_view_names()) >= VIEWS
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == \
            SCHEMA_REVISION
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    engine.dispose()
    create_db_engine(db_url).dispose()  # opening again is a no-op, not an error


def _open_at(path: str, start: float, results) -> None:  # noqa: ANN001
    while time.time() < start:  # all processes open the new file at the same instant
        pass
    try:
        create_db_engine(f"sqlite:///{path}").dispose()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(str(exc))


def test_processes_opening_a_new_sqlite_file_together_all_succeed(tmp_path):
    # SQLite refuses the switch to WAL at once ("database is locked", no busy wait)
    # when another process holds a lock on the new file: two first nightly runs.
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    answers = []
    for attempt in range(12):
        path = tmp_path / f"race{attempt}" / "plans.db"
        start = time.time() + 0.3
        procs = [ctx.Process(target=_open_at, args=(str(path), start, results))
                 for _ in range(4)]
        for proc in procs:
            proc.start()
        answers += [results.get(timeout=120) for _ in procs]
        for proc in procs:
            proc.join()
        assert current_revision(create_db_engine(f"sqlite:///{path}", migrate=False)) \
            == SCHEMA_REVISION
    assert answers == ["ok"] * 48


def test_documents_round_trip_exactly(db_url, docs):  # noqa: F811
    engine = create_db_engine(db_url)
    _store(engine, docs)
    back = list(load_documents(db_url))
    assert [d.model_dump() for d in back] == [d.model_dump() for d in docs]
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT contract_json FROM documents ORDER BY id")).scalars()
        assert [json.loads(s) for s in stored] == [json.loads(d.model_dump_json()) for d in docs]


def test_rows_sections_schedules_and_units_are_stored(db_url, docs):  # noqa: F811
    engine = create_db_engine(db_url)
    (doc_id, status), *_ = _store(engine, docs)
    doc = docs[0]
    assert status == "added"
    with engine.connect() as conn:
        where = "WHERE document_id = :d"
        assert _count(conn, "plan_rows", where, d=doc_id) == len(doc.rows)
        assert _count(conn, "assignments", where, d=doc_id) == len(doc.rows)
        paths = {tuple((s.tt, s.title) for s in r.section[:n])
                 for r in doc.rows for n in range(1, len(r.section) + 1)}
        assert _count(conn, "sections", where, d=doc_id) == len(paths)
        links = sum(len(r.lead_units) + len(r.support_units) for r in doc.rows)
        assert links > 0
        assert conn.execute(text(
            "SELECT COUNT(*) FROM row_units ru JOIN plan_rows r ON r.id = ru.row_id "
            "WHERE r.document_id = :d"), {"d": doc_id}).scalar() == links
        first = conn.execute(text(
            "SELECT tt, task, lead, lead_units, section_path, schedule_kind, due, pages "
            "FROM assignments WHERE document_id = :d ORDER BY position"), {"d": doc_id}).first()
        row = doc.rows[0]
        assert first.tt == row.tt and first.task == row.task and first.lead == row.lead
        assert first.lead_units == "; ".join(row.lead_units)
        assert first.section_path.endswith(row.section[-1].title)
        assert first.schedule_kind == row.schedule.kind
        assert (str(first.due) if first.due else None) == (
            row.schedule.due.isoformat() if row.schedule.due else None)
        assert first.pages == ", ".join(map(str, row.pages))
        dated = [r for r in doc.rows if r.schedule.due]
        assert _count(conn, "schedules s JOIN plan_rows r ON r.id = s.row_id",
                      "WHERE r.document_id = :d AND s.due IS NOT NULL", d=doc_id) == len(dated)


def test_replacing_a_document_keeps_its_id_and_leaves_no_duplicates(db_url, docs):  # noqa: F811
    engine = create_db_engine(db_url)
    first = _store(engine, docs)
    with engine.connect() as conn:
        before = {t: _count(conn, t) for t in sorted(TABLES - {"ingestion_runs", "failed_files"})}
    second = _store(engine, docs)
    assert [i for i, _ in second] == [i for i, _ in first]
    assert {s for _, s in second} == {"replaced"}
    with engine.connect() as conn:
        after = {t: _count(conn, t) for t in before}
    assert after == before


def test_a_changed_file_at_the_same_path_replaces_that_document(db_url, docs):  # noqa: F811
    engine = create_db_engine(db_url)
    (first_id, _), (other_id, _) = _store(engine, docs[:2])
    changed = docs[0].model_copy(deep=True)
    changed.source.sha256 = "f" * 64
    changed.rows = changed.rows[:3]
    with engine.begin() as conn:
        assert save_document(conn, changed, path=f"/plans/{docs[0].source.file}",
                             sha256="f" * 64) == (first_id, "replaced")
    with engine.connect() as conn:
        assert _count(conn, "documents") == 2
        assert _count(conn, "plan_rows", "WHERE document_id = :d", d=first_id) == 3
        assert _count(conn, "plan_rows", "WHERE document_id = :d", d=other_id) == len(docs[1].rows)


def test_a_failed_write_leaves_the_old_version_in_place(db_url, docs):  # noqa: F811
    engine = create_db_engine(db_url)
    ((doc_id, _),) = _store(engine, docs[:1])
    shorter = docs[0].model_copy(deep=True)
    shorter.rows = shorter.rows[:1]
    with pytest.raises(RuntimeError), engine.begin() as conn:
        save_document(conn, shorter, path="/plans/x.pdf", sha256=docs[0].source.sha256)
        raise RuntimeError("the process fails after deleting the old rows")
    with engine.connect() as conn:
        assert _count(conn, "plan_rows", "WHERE document_id = :d", d=doc_id) == len(docs[0].rows)
        stored = conn.execute(text("SELECT contract_json FROM documents")).scalar()
    assert json.loads(stored) == json.loads(docs[0].model_dump_json())


def test_unit_assignments_list_one_unit_across_documents(db_url, docs):  # noqa: F811
    engine = create_db_engine(db_url)
    _store(engine, docs)
    doc = docs[0]
    unit = doc.rows[0].lead_units[0]
    expected = sorted(
        (role, r.task) for r in doc.rows
        for role, names in (("lead", r.lead_units), ("support", r.support_units))
        if unit in names)
    with engine.connect() as conn:
        got = conn.execute(text(
            "SELECT role, task FROM unit_assignments WHERE unit = :u AND file_name = :f"),
            {"u": unit, "f": doc.source.file}).all()
        assert sorted(tuple(g) for g in got) == expected
        dues = conn.execute(text("SELECT due FROM upcoming_deadlines")).scalars().all()
        assert dues and dues == sorted(dues)


def test_datasette_opens_the_views(tmp_path, docs):
    import asyncio

    from datasette.app import Datasette

    engine = create_db_engine(f"sqlite:///{tmp_path / 'plans.db'}")
    _store(engine, docs)
    engine.dispose()
    ds = Datasette([str(tmp_path / "plans.db")])
    for view in sorted(VIEWS):
        response = asyncio.run(ds.client.get(f"/plans/{view}.json?_shape=array"))
        assert response.status_code == 200, view
        assert len(response.json()) > 0, view


def test_migrations_build_exactly_the_models(db_url):  # noqa: F811
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from vnplans.store.models import Base

    engine = create_db_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def _misread(name: str) -> str:
    """The unit's name as a scan may misread it: tone marks moved, case changed (the
    same unit id: ids ignore both)."""
    swaps = str.maketrans("ểếềọạàảăđ", "ếểéỏảạàâd")
    return name.translate(swaps).swapcase()[0] + name.translate(swaps)[1:]


@pytest.mark.parametrize("scan_first", [True, False])
def test_a_unit_is_named_as_printed_even_when_a_scan_named_it_first(db_url, docs,  # noqa: F811
                                                                   scan_first):
    native = docs[0]
    unit = native.rows[0].lead_units[0]
    misread = _misread(unit)
    assert misread != unit
    scanned = native.model_copy(update={
        "source": native.source.model_copy(update={"file": "scan.pdf", "sha256": "ab" * 32}),
        "rows": [r.model_copy(update={
            "confidence": 0.9,
            "lead_units": [misread if u == unit else u for u in r.lead_units]})
            for r in native.rows]})
    engine = create_db_engine(db_url)
    _store(engine, [scanned, native] if scan_first else [native, scanned])
    with engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM units WHERE lower(name) IN (:a, :b)"),
                             {"a": unit.lower(), "b": misread.lower()}).scalars().all()
        assert names == [unit]
        # Both documents' rows are the one unit's.
        files = conn.execute(text("SELECT DISTINCT file_name FROM unit_assignments "
                                  "WHERE unit = :u ORDER BY file_name"), {"u": unit}).scalars()
        assert list(files) == sorted([native.source.file, "scan.pdf"])
