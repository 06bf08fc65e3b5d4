"""The analyst API: `vnplans.extract(...).to_pandas()` and `vnplans.open_store()`'s
DataFrames, on the bundled sample plans (data/raw: Bình Định 2023, Đắk Nông 2020,
Quảng Nam 2024) loaded by the real `vnplans ingest`, in SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, time
from pathlib import Path

import pandas as pd
import pytest
from store_fixtures import BACKENDS, make_db, run_cli

import vnplans
from vnplans.errors import StoreError
from vnplans.frames import ASSIGNMENT_COLUMNS
from vnplans.models import Schedule, TimeSpan
from vnplans.store.api import load_documents

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "raw"
ALL_COLUMNS = [c.name for c in ASSIGNMENT_COLUMNS]
IDS = ["row_id", "document_id"]


@pytest.fixture(scope="module", params=BACKENDS)
def sample_url(request, tmp_path_factory):
    """A database holding the three sample plans, one per backend for the module."""
    dbs = make_db(request.param, tmp_path_factory.mktemp("api"))
    url = next(dbs)
    result = run_cli("ingest", "--db", url, str(SAMPLES))
    assert result.returncode == 0, result.stderr
    yield url
    next(dbs, None)   # drops the PostgreSQL schema


@pytest.fixture
def store(sample_url):
    with vnplans.open_store(sample_url) as opened:
        yield opened


@pytest.fixture(scope="module")
def dn2020():
    return vnplans.extract(SAMPLES / "dn2020.pdf")


# --- PlanDocument.to_pandas ----------------------------------------------------------------

def test_to_pandas_flattens_every_row(dn2020) -> None:
    frame = dn2020.to_pandas()
    assert list(frame.columns) == [c for c in ALL_COLUMNS if c not in IDS]
    assert len(frame) == 28
    assert str(frame["due"].dtype) == "datetime64[ns]"
    assert list(frame["index_name"].cat.categories) == ["PCI", "PAPI", "SIPAS", "PAR INDEX"]
    assert frame["schedule_kind"].value_counts().to_dict() == {
        "continuous": 16, "period": 5, "recurring": 4, "event": 3, "deadline": 0,
        "unspecified": 0}
    row = frame[frame["tt"] == "3.2"].iloc[0]
    assert row["deadline"] == "Quý I/2020 Quý III/2020"
    assert row["schedule_kind"] == "period"
    assert row["due"] == pd.Timestamp("2020-09-30")
    assert row["file_name"] == "dn2020.pdf" and row["province"] == "Đắk Nông"
    assert row["plan_year"] == 2020 and row["position"] == 7
    assert row["index_name"] == "PAPI"
    assert (row["index_component_code"], row["index_component_name"]) == (
        "3", "Trách nhiệm giải trình với người dân")
    assert row["section_path"] == "3. Chỉ số nội dung 3: “Trách nhiệm giải trình với người dân”"
    assert row["lead"] == "Lãnh đạo các phòng chức năng; Thủ trưởng các đơn vị trực thuộc."
    assert row["lead_units"] == ["Các phòng thuộc Sở", "Các đơn vị trực thuộc Sở"]
    weekly = frame[frame["tt"] == "1.3"].iloc[0]
    assert weekly["frequencies"] == ["weekly"] and pd.isna(weekly["due"])
    # version-2 fields the pipeline does not fill yet: their contract defaults
    assert frame["table_number"].tolist() == [1] * 28
    assert frame["inspected_units"].tolist() == [[]] * 28
    assert frame["extra"].tolist() == [{}] * 28
    assert frame["confidence"].isna().all()


def test_to_pandas_version_2_fields(dn2020) -> None:
    row = dn2020.rows[0].model_copy(update={
        "table": 2, "inspected": "Công ty TNHH A", "inspected_units": ["Công ty TNHH A"],
        "duration": "02 ngày", "duration_days": 2, "merged": ["lead", "support"],
        "extra": {"Ghi chú": "x"}, "confidence": 0.83,
        "schedule": Schedule(kind="deadline", due=date(2026, 8, 31),
                             milestones=[date(2026, 1, 31), date(2026, 8, 31)],
                             times=[TimeSpan(start=time(20, 15), end=time(20, 45))])})
    frame = dn2020.model_copy(update={"rows": [row]}).to_pandas()
    got = frame.iloc[0]
    assert got["table_number"] == 2 and got["duration_days"] == 2
    assert got["inspected"] == "Công ty TNHH A" and got["inspected_units"] == ["Công ty TNHH A"]
    assert got["merged"] == ["lead", "support"] and got["extra"] == {"Ghi chú": "x"}
    assert got["confidence"] == pytest.approx(0.83)
    assert got["milestones"] == [pd.Timestamp("2026-01-31"), pd.Timestamp("2026-08-31")]
    assert got["times"] == ["20:15:00–20:45:00"]
    assert str(frame["table_number"].dtype) == "Int64" and str(frame["confidence"].dtype) == "Float64"


# --- Store.assignments -----------------------------------------------------------------------

def test_assignments_are_the_stored_documents_to_pandas(store, sample_url) -> None:
    frame = store.assignments()
    assert list(frame.columns) == ALL_COLUMNS
    assert len(frame) == 62
    assert frame["row_id"].is_unique
    expected = pd.concat([doc.to_pandas() for doc in load_documents(sample_url)],
                         ignore_index=True)
    pd.testing.assert_frame_equal(frame.drop(columns=IDS), expected)


def test_assignments_filters(store) -> None:
    def tts(**filters) -> list:
        got = store.assignments(**filters)
        return [(p, None if pd.isna(t) else t) for p, t in zip(got["province"], got["tt"],
                                                               strict=True)]

    assert len(store.assignments(province="Bình Định")) == 25
    assert len(store.assignments(province=["Bình Định", "Quảng Nam"])) == 34
    assert len(store.assignments(year=2020)) == 28
    assert len(store.assignments(index="PAPI")) == 30
    assert len(store.assignments(index="PAPI", component="4")) == 8
    assert tts(component="Kiểm soát tham nhũng trong khu vực công", province="Bình Định") == [
        ("Bình Định", None)]
    assert tts(due_from="2023-06-01", due_to=date(2023, 12, 31)) == [
        ("Bình Định", "1"), ("Bình Định", "1.3"), ("Bình Định", "1.8"), ("Bình Định", "5.3")]
    assert tts(due_from=pd.Timestamp("2024-01-01")) == [
        ("Quảng Nam", "1.3"), ("Quảng Nam", None), ("Quảng Nam", "2.2"), ("Quảng Nam", "3.1"),
        ("Quảng Nam", "3.2")]
    # a canonical name matches the unit in every plan; an id one plan's unit only
    assert tts(unit="Văn phòng Sở", role="lead") == [
        ("Bình Định", "1"), ("Bình Định", None), ("Bình Định", "1.6"), ("Bình Định", "5.3"),
        ("Bình Định", "7.4"), ("Bình Định", "7.7"), ("Bình Định", "7.10"), ("Đắk Nông", "1.1"),
        ("Đắk Nông", "3.5"), ("Đắk Nông", "4.1"), ("Đắk Nông", "4.5"), ("Đắk Nông", "5.3"),
        ("Đắk Nông", "5.4"), ("Đắk Nông", "5.6"), ("Quảng Nam", "3.3")]
    assert [t for _, t in tts(unit="binh-dinh/so-y-te:thanh-tra-so", role="support")] == [
        "1", None, None, "1.3", "1.7.2", "1.8", "2.4", "2.4", "5.1.1", "7.3", "7.4"]
    both = store.assignments(unit="quang-nam/so-tu-phap:van-phong-so")
    assert both["tt"].tolist() == ["1.1", "3.3"]
    assert len(store.assignments(role="lead")) == 62
    assert store.assignments(role="inspected").empty
    with pytest.raises(ValueError, match="role must be one of lead, support, inspected"):
        store.assignments(role="chủ trì")


def test_assignments_types(store) -> None:
    frame = store.assignments(province="Quảng Nam")
    assert str(frame["due"].dtype) == "datetime64[ns]"
    assert str(frame["index_name"].dtype) == "category"
    row = frame[frame["tt"] == "2.2"].iloc[0]
    assert row["due"] == pd.Timestamp("2024-11-15")
    assert row["deadline"] == "Trước ngày 15/11/2024"
    assert row["lead_units"] == [
        "Phòng Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật"]
    assert isinstance(row["support_units"], list) and isinstance(row["pages"], list)
    empty = store.assignments(province="Hà Nội")
    assert list(empty.columns) == ALL_COLUMNS and empty.empty
    assert str(empty["due"].dtype) == "datetime64[ns]"


def test_assignments_fill_version_2_columns_from_the_stored_contract(tmp_path, dn2020) -> None:
    """Version-2 columns: from the view (revision 0003), milestones and times from the
    stored contract JSON."""
    from vnplans.store.db import create_db_engine
    from vnplans.store.load import save_document

    url = f"sqlite:///{tmp_path / 'v2.db'}"
    row = dn2020.rows[1].model_copy(update={"table": 3, "extra": {"Ghi chú": "y"},
                                            "inspected_units": ["Công ty B"]})
    doc = dn2020.model_copy(update={"rows": [dn2020.rows[0], row]})
    engine = create_db_engine(url)
    with engine.begin() as conn:
        save_document(conn, doc, path="/x/dn2020.pdf", sha256=doc.source.sha256)
    engine.dispose()
    with vnplans.open_store(url) as store:
        frame = store.assignments()
    assert frame["table_number"].tolist() == [1, 3]
    assert frame["extra"].tolist() == [{}, {"Ghi chú": "y"}]
    assert frame["inspected_units"].tolist() == [[], ["Công ty B"]]


# --- documents, units ------------------------------------------------------------------------

def test_documents(store) -> None:
    docs = store.documents()
    assert docs["file_name"].tolist() == ["bd2023.pdf", "dn2020.pdf", "qnam2024_horizontal.pdf"]
    assert docs["province"].tolist() == ["Bình Định", "Đắk Nông", "Quảng Nam"]
    assert docs["year"].tolist() == [2023, 2020, 2024]
    assert docs["row_count"].tolist() == [25, 28, 9]
    assert docs["indices"].tolist() == [["PCI", "PAPI", "SIPAS", "PAR INDEX"], ["PAPI"], ["PCI"]]
    assert docs["issued_on"].tolist()[0] == pd.Timestamp("2023-06-15")
    assert pd.isna(docs["issued_on"].tolist()[1])
    assert str(docs["ingested_at"].dtype).startswith("datetime64") and \
        str(docs["ingested_at"].dt.tz) == "UTC"
    assert "contract_json" not in docs.columns


def test_units(store) -> None:
    units = store.units().set_index("unit_id")
    assert len(units) == 39
    office = units.loc["binh-dinh/so-y-te:van-phong-so"]
    assert (office["unit"], office["lead_rows"], office["support_rows"],
            office["documents"]) == ("Văn phòng Sở", 7, 13, 1)
    assert office["aliases"] == ["Văn phòng Sở"]
    dak_office = units.loc["dak-nong/so-y-te:van-phong-so"]
    assert dak_office["aliases"] == ["Văn phòng Sở"]   # "Văn phòng Sở." trimmed
    ttyt = units.loc["dak-nong:cac-trung-tam-y-te"]
    assert (ttyt["unit"], ttyt["aliases"], ttyt["support_rows"]) == (
        "Các Trung tâm Y tế", ["Các TTYT"], 1)
    assert units["inspected_rows"].sum() == 0
    # every link counted once per row and role
    assignments = store.assignments()
    assert units["lead_rows"].sum() == assignments["lead_units"].map(len).sum()


# --- occurrences -----------------------------------------------------------------------------

def test_occurrences_expand_rules_deadlines_and_period_ends(store) -> None:
    got = store.occurrences("2024-01-01", "2024-12-31")
    assert [(d.date(), e, t if not pd.isna(t) else None) for d, e, t in
            zip(got["date"], got["event"], got["tt"], strict=True)] == [
        (date(2024, 1, 1), "recurring", "3.3"),
        (date(2024, 1, 31), "deadline", "1.3"),
        (date(2024, 4, 1), "recurring", "3.3"),
        (date(2024, 6, 30), "period_end", "3.2"),
        (date(2024, 7, 1), "recurring", "3.3"),
        (date(2024, 9, 30), "period_end", None),
        (date(2024, 10, 1), "recurring", "3.3"),
        (date(2024, 11, 15), "deadline", "2.2"),
        (date(2024, 12, 31), "period_end", "3.1")]
    assert got["rrule"].iloc[0] == "FREQ=MONTHLY;INTERVAL=3"
    assert got["file_name"].unique().tolist() == ["qnam2024_horizontal.pdf"]
    # Đắk Nông 1.3 "Hàng tuần", task "… vào thứ sáu hàng tuần": every Friday of 2020
    fridays = store.occurrences(date(2020, 1, 1), date(2020, 12, 31))
    weekly = fridays[fridays["rrule"] == "FREQ=WEEKLY;BYDAY=FR"]
    assert len(weekly) == 52
    assert weekly["date"].iloc[0] == pd.Timestamp("2020-01-03")
    assert weekly["date"].iloc[-1] == pd.Timestamp("2020-12-25")
    assert set(weekly["date"].dt.day_of_week) == {4}
    # a recurring duty ends with its plan year
    assert store.occurrences("2021-01-01", "2022-12-31").empty
    with pytest.raises(ValueError, match="before start"):
        store.occurrences("2024-02-01", "2024-01-01")


def test_occurrences_are_the_calendar_events_expanded(store, sample_url) -> None:
    """Every VEVENT `vnplans calendar` writes, expanded with its RRULE by another
    reader (icalendar + dateutil), gives exactly the days occurrences() lists."""
    import icalendar
    from dateutil.rrule import rrulestr

    from vnplans.exports.calendar import build_calendar

    text, _ = build_calendar(load_documents(sample_url))
    expected = []
    for event in icalendar.Calendar.from_ical(text.encode()).walk("VEVENT"):
        start = event["DTSTART"].dt
        if "RRULE" in event:
            rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=pd.Timestamp(start))
            expected += [d.date() for d in rule]
        else:
            expected.append(start)
    got = store.occurrences("2000-01-01", "2100-12-31")
    assert sorted(d.date() for d in got["date"]) == sorted(expected)
    # Bình Định: 6 rows "Hàng quý, 6 tháng, năm" (4 + 2 + 1 each), 4 deadlines, 1 period;
    # Đắk Nông: 52 Fridays, 12 months, 2 × 4 quarters, 7 period ends; Quảng Nam: 4 + 5
    assert len(got) == 47 + 79 + 9


# --- sql ---------------------------------------------------------------------------------------

def test_sql_reads(store) -> None:
    frame = store.sql("SELECT province, COUNT(*) AS n FROM assignments "
                      "GROUP BY province ORDER BY province")
    assert frame.to_dict("list") == {"province": ["Bình Định", "Quảng Nam", "Đắk Nông"],
                                     "n": [25, 9, 28]}


def test_sql_refuses_writes(store) -> None:
    with pytest.raises(StoreError, match="read-only|only queries"):
        store.sql("DELETE FROM plan_rows")
    with pytest.raises(StoreError):
        store.sql("SELECT 1; DROP TABLE plan_rows")
    assert store.sql("SELECT COUNT(*) AS n FROM plan_rows")["n"].tolist() == [62]


def test_open_store_reads_the_env(sample_url, monkeypatch) -> None:
    monkeypatch.setenv("VNPLANS_DB", sample_url)
    with vnplans.open_store() as store:
        assert len(store.documents()) == 3


# --- import cost ---------------------------------------------------------------------------

def test_import_vnplans_loads_no_pandas() -> None:
    """The API's modules load pandas only when a frame is made."""
    code = ("import sys, vnplans, vnplans.frames, vnplans.store.frames, vnplans.store.load, "
            "vnplans.exports.calendar; "
            "assert callable(vnplans.extract) and callable(vnplans.open_store); "
            "print(sorted(m for m in ('pandas', 'numpy', 'spacy', 'matplotlib') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
