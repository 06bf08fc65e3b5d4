"""Storing contract version 2 (revision 0003) on SQLite and PostgreSQL: tables and
their columns, inspected units, durations, extra columns, merged roles, confidence,
schedule milestones and times — stored, queryable through the tables and views, and
given back exactly; and a document stored as version 1 before the upgrade still loads.
"""

from __future__ import annotations

import json
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from store_fixtures import REPO, db_url, make_db, run_cli  # noqa: F401 - fixture

from vnplans.models import PlanDocument, TimeSpan
from vnplans.pipeline import extract
from vnplans.store.api import load_documents
from vnplans.store.db import _alembic_config, create_db_engine
from vnplans.store.load import save_document
from vnplans.store.models import ScheduleMilestone, ScheduleTime

REAL = REPO / "tests" / "data" / "real"
OFFICE = REPO / "tests" / "fixtures" / "office"


@pytest.fixture(scope="module")
def v2_docs() -> list[PlanDocument]:
    inspection = extract(REAL / "QD-1050-kiem-tra-VLNCN-2026.pdf")
    generated = extract(OFFICE / "pdfs" / "kt2026_sct.pdf")
    extras = extract(OFFICE / "variants" / "pdfs" / "qng2024_snv__extras_mid.pdf")
    # Milestones, times, merged roles and OCR confidence are filled by other stages of
    # the pipeline; the store must keep them whatever fills them.
    first = extras.rows[0]
    extras.rows[0] = first.model_copy(update={
        "merged": ["lead", "support"], "confidence": 0.83,
        "schedule": first.schedule.model_copy(update={
            "milestones": [date(2024, 1, 31), date(2024, 6, 30)],
            "times": [TimeSpan(start=time(20, 15), end=time(20, 45))]})})
    return [inspection, generated, extras]


def _store(engine, docs):
    for doc in docs:
        with engine.begin() as conn:
            save_document(conn, doc, path=f"/plans/{doc.source.file}", sha256=doc.source.sha256)


def test_version_2_fields_are_stored_and_queryable(db_url, v2_docs):  # noqa: F811
    engine = create_db_engine(db_url)
    _store(engine, v2_docs)
    with engine.connect() as conn:
        q = lambda sql, **kw: conn.execute(text(sql), kw).all()  # noqa: E731
        assert q("SELECT d.file_name, t.number, t.kind, t.pages FROM document_tables t "
                 "JOIN documents d ON d.id = t.document_id ORDER BY d.id") == [
            ("QD-1050-kiem-tra-VLNCN-2026.pdf", 1, "inspection", "4"),
            ("kt2026_sct.pdf", 1, "inspection", "2, 3"),
            ("qng2024_snv__extras_mid.pdf", 1, "plan", "2, 3, 4")]
        assert q("SELECT c.header, c.role FROM table_columns c JOIN document_tables t "
                 "ON t.id = c.table_id WHERE t.kind = 'inspection' AND t.pages = '4' "
                 "ORDER BY c.position") == [
            ("TT", "tt"), ("Đơn vị kiểm tra", "inspected"), ("Địa chỉ Doanh nghiệp", None),
            ("Tên và địa chỉ Dự án", None)]
        # Inspected units beside lead and support.
        assert sorted(q("SELECT DISTINCT unit FROM unit_assignments WHERE role = 'inspected' "
                        "AND file_name = 'QD-1050-kiem-tra-VLNCN-2026.pdf'")) == [
            ("Công ty TNHH Hiệp Phú",), ("Công ty cổ phần xây dựng giao thông Yên Bái",),
            ("Tổng công ty xây dựng Trường Sơn",)]
        # (A view's date is text in SQLite, a date in PostgreSQL.)
        assert [(*r[:-2], str(r[-2]), r[-1]) for r in q(
            "SELECT tt, inspected, inspected_units, deadline, duration, duration_days, "
            "due, table_kind FROM assignments WHERE file_name = 'kt2026_sct.pdf' "
            "AND tt = '6'")] == [
            ("6", "Công ty TNHH Gas Petrolimex Thái Nguyên",
             "Công ty TNHH Gas Petrolimex Thái Nguyên", "Tháng 5/2026", "03 ngày", 3,
             "2026-05-31", "inspection")]
        assert q("SELECT unit, duration FROM upcoming_deadlines WHERE role = 'inspected' "
                 "ORDER BY due DESC, unit LIMIT 1") == [
            ("Công ty TNHH Xây dựng Tân Cương", "01 ngày")]
        # Extra columns: one row each, and the row's JSON in the views.
        # (Sorted here: SQLite and PostgreSQL collate Vietnamese differently.)
        assert sorted(q("SELECT e.value, COUNT(*) FROM row_extras e "
                        "WHERE e.header = 'Kinh phí' GROUP BY e.value")) == [
            ("50 triệu đồng", 4), ("Nguồn chi thường xuyên", 4), ("Ngân sách tỉnh", 4)]
        extra, merged, confidence = q(
            "SELECT extra, merged, confidence FROM assignments "
            "WHERE file_name = 'qng2024_snv__extras_mid.pdf' ORDER BY position LIMIT 1")[0]
        assert json.loads(extra) == {"Kinh phí": "Ngân sách tỉnh"}
        assert (merged, confidence) == ("lead, support", 0.83)
        milestones, times = ScheduleMilestone.__table__, ScheduleTime.__table__
        assert conn.execute(select(milestones.c.due).order_by(milestones.c.position)).all() == [
            (date(2024, 1, 31),), (date(2024, 6, 30),)]
        assert conn.execute(select(times.c.start_time, times.c.end_time)).all() == [
            (time(20, 15), time(20, 45))]
        assert q("SELECT DISTINCT table_number FROM plan_rows") == [(1,)]
    engine.dispose()
    # The contract given back exactly as extracted.
    stored = {d.source.file: d for d in load_documents(db_url)}
    for doc in v2_docs:
        assert stored[doc.source.file] == doc


def test_replacing_a_version_2_document_leaves_no_stale_tables(db_url, v2_docs):  # noqa: F811
    engine = create_db_engine(db_url)
    _store(engine, v2_docs)
    _store(engine, v2_docs[:1])
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM document_tables")).scalar() == 3
        assert conn.execute(text("SELECT COUNT(*) FROM table_columns")).scalar() == 4 + 5 + 8
    engine.dispose()


V1_JSON = json.dumps({
    "schema_version": 1,
    "source": {"file": "old.pdf", "sha256": "ab" * 32, "pages": 3, "text_layer": "native",
               "encoding": "unicode", "extractor_version": "0.9.0"},
    "document": {"issuer": "SỞ Y TẾ", "province": "Bình Định", "year": 2024,
                 "indices": [], "signer": {}},
    "rows": [{"tt": "1", "section": [], "task": "Rà soát thủ tục hành chính",
              "lead": "Văn phòng Sở", "lead_units": ["Văn phòng Sở"], "support": None,
              "support_units": [], "outcome": None, "deadline": "Quý I/2024",
              "schedule": {"kind": "deadline", "due": "2024-03-31", "periods": [],
                           "frequencies": [], "rrules": [], "confidence": 1.0,
                           "detail": None},
              "index": None, "index_component": None, "pages": [3]}],
    "warnings": [],
}, ensure_ascii=False)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_a_version_1_document_stored_before_the_upgrade_still_loads(backend, tmp_path: Path):
    from alembic import command

    for url in make_db(backend, tmp_path):
        engine = create_db_engine(url, migrate=False)
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "0002")
        with engine.begin() as conn:
            doc_id = conn.execute(text(
                "INSERT INTO documents (sha256, file_name, schema_version, pages, text_layer, "
                "encoding, row_count, warning_count, contract_json, ingested_at) VALUES "
                "(:sha, 'old.pdf', 1, 3, 'native', 'unicode', 1, 0, :js, CURRENT_TIMESTAMP) "
                "RETURNING id"), {"sha": "ab" * 32, "js": V1_JSON}).scalar_one()
            row_id = conn.execute(text(
                "INSERT INTO plan_rows (document_id, position, tt, task, lead, lead_units, "
                "deadline) VALUES (:d, 0, '1', 'Rà soát thủ tục hành chính', 'Văn phòng Sở', "
                "'Văn phòng Sở', 'Quý I/2024') RETURNING id"), {"d": doc_id}).scalar_one()
            conn.execute(text("INSERT INTO schedules (row_id, kind, due, confidence) VALUES "
                              "(:r, 'deadline', '2024-03-31', 1.0)"), {"r": row_id})
            conn.execute(text("INSERT INTO units (id, issuer_key, name) VALUES "
                              "('so-y-te/binh-dinh:van-phong-so', 'so-y-te/binh-dinh', "
                              "'Văn phòng Sở')"))
            conn.execute(text("INSERT INTO row_units (row_id, unit_id, role, position) VALUES "
                              "(:r, 'so-y-te/binh-dinh:van-phong-so', 'lead', 0)"), {"r": row_id})
        engine.dispose()
        create_db_engine(url).dispose()  # upgrade head: 0003
        out = run_cli("export", "--format", "json", "--db", url)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == json.loads(V1_JSON)
        engine = create_db_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text(
                "SELECT table_number, table_title, inspected_units, extra, unit_count FROM "
                "(SELECT a.*, (SELECT COUNT(*) FROM unit_assignments ua "
                "WHERE ua.row_id = a.row_id) AS unit_count FROM assignments a) x")).all() == [
                (1, None, None, None, 1)]
        engine.dispose()
