"""`vnplans calendar`: the deadlines of real seed rows as iCalendar, parsed back with
the `icalendar` library."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import icalendar

from vnplans.cli import main
from vnplans.exports.calendar import build_calendar, escape_text, fold
from vnplans.models import DocumentInfo, PlanDocument, Row, Source
from vnplans.normalize.deadlines import parse_deadline

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHA = "6d708f472c443a05" + "0" * 48


def seed_document(name: str = "dn2020", sha: str = SHA) -> PlanDocument:
    """A contract document holding the real rows of a seed plan (from the fixture's
    expected JSON), schedules read by the deadline normalizer."""
    data = json.loads((FIXTURES / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    year = data["document"]["year"]
    rows = []
    for raw in data["rows"]:
        row = Row.model_validate(raw)
        row.schedule, _ = parse_deadline(row.deadline, year)
        rows.append(row)
    info = DocumentInfo(issuer="SỞ Y TẾ", symbol="KH-SYT", year=year, doc_type="Kế hoạch")
    return PlanDocument(source=Source(file=f"{name}.pdf", sha256=sha, pages=9),
                        document=info, rows=rows)


def events_of(text: str) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(text.encode("utf-8"))
    return list(cal.walk("VEVENT"))


def test_seed_plan_events_parse_back() -> None:
    doc = seed_document("dn2020")
    text, summary = build_calendar([doc])
    events = events_of(text)

    # 4 recurring rows (weekly, monthly, 2 × quarterly), 7 period ends, nothing else
    assert (summary.recurring, summary.period_ends, summary.deadlines) == (4, 7, 0)
    assert summary.skipped == {"continuous": 16, "event": 3}
    assert len(events) == summary.events == 11
    # One document: "1 document", not "1 documents"; none at all: "0 deadlines".
    assert summary.line().startswith("11 events (0 deadlines, 7 period ends, 4 recurring) "
                                     f"from {summary.rows} rows of 1 document; rows skipped: ")

    by_uid = {str(e["UID"]): e for e in events}
    # 3.2 "Quý I/2020 Quý III/2020": one event per period end
    q1 = by_uid[f"{SHA[:16]}-r7-period0@vnplans"]
    q3 = by_uid[f"{SHA[:16]}-r7-period1@vnplans"]
    assert q1["DTSTART"].dt == date(2020, 3, 31) and q3["DTSTART"].dt == date(2020, 9, 30)
    assert q1["DTEND"].dt == date(2020, 4, 1)
    assert str(q1["SUMMARY"]).startswith("[Kết thúc] 3.2 Rà soát, sửa đổi, bổ sung")
    assert "Thời hạn: Quý I/2020 Quý III/2020" in str(q1["DESCRIPTION"])
    # 4.3 "Hàng quý": quarterly from the start of the plan year until its end
    quarterly = by_uid[f"{SHA[:16]}-r13-rrule0@vnplans"]
    assert quarterly["DTSTART"].dt == date(2020, 1, 1)
    rule = quarterly["RRULE"]
    assert rule["FREQ"] == ["MONTHLY"] and rule["INTERVAL"] == [3]
    assert rule["UNTIL"] == [date(2020, 12, 31)]
    # 1.3 deadline "Hàng tuần", task "… định kỳ vào thứ sáu hàng tuần …": Fridays
    weekly = by_uid[f"{SHA[:16]}-r2-rrule0@vnplans"]
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"] and weekly["RRULE"]["BYDAY"] == ["FR"]
    assert weekly["DTSTART"].dt == date(2020, 1, 3)
    # 4.4 "Tháng 11, 12/2020": both month ends
    ends = sorted(e["DTSTART"].dt for uid, e in by_uid.items() if "-r14-" in uid)
    assert ends == [date(2020, 11, 30), date(2020, 12, 31)]


def test_deadlines_and_multi_frequency_rows() -> None:
    doc = seed_document("bd2023")
    text, summary = build_calendar([doc])
    events = events_of(text)
    deadlines = sorted(e["DTSTART"].dt for e in events if "-due@" in str(e["UID"]))
    assert deadlines == [date(2023, 6, 20), date(2023, 11, 30), date(2023, 11, 30),
                         date(2023, 12, 10)]
    # "Hàng quý, 6 tháng, năm" on 6 rows: 3 recurring events each
    rules = [e["RRULE"] for e in events if "RRULE" in e]
    assert len(rules) == summary.recurring == 18
    freqs = sorted({(r["FREQ"][0], (r.get("INTERVAL") or [1])[0]) for r in rules})
    assert freqs == [("MONTHLY", 3), ("MONTHLY", 6), ("YEARLY", 1)]
    # "Trong quý I" (plan year 2023)
    assert date(2023, 3, 31) in {e["DTSTART"].dt for e in events if "-period0@" in str(e["UID"])}
    assert summary.skipped == {"continuous": 13, "unspecified": 1}


def test_file_format_crlf_folding_escaping_and_stable_uids() -> None:
    doc = seed_document("dn2020")
    text, _ = build_calendar([doc])
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    # the task text comes back exactly, commas and all, after unfolding and unescaping
    events = events_of(text)
    task = doc.rows[2].task   # 1.3 "Tại các trung tâm y tế, định kỳ vào thứ sáu …"
    assert "," in task
    assert any(str(e["SUMMARY"]) == f"[Định kỳ] 1.3 {task}" for e in events)
    # re-export: byte-identical (UIDs from sha256 + row index, DTSTAMP from the document)
    assert build_calendar([seed_document("dn2020")])[0] == text
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_weekday_rules_start_on_an_occurrence() -> None:
    doc = seed_document("dn2020")
    doc.rows = doc.rows[2:3]
    doc.rows[0].schedule, _ = parse_deadline("Thứ sáu hàng tuần", 2020)
    (event,) = events_of(build_calendar([doc])[0])
    assert event["DTSTART"].dt == date(2020, 1, 3)        # the first Friday of 2020
    assert event["RRULE"]["BYDAY"] == ["FR"]


def test_escape_and_fold_helpers() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    long = "SUMMARY:" + "Đ" * 100
    folded = fold(long)
    assert all(len(part.encode("utf-8")) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == long


def test_cli_from_contract_json_and_json_lines(tmp_path: Path, capsys) -> None:
    one = tmp_path / "dn2020.json"
    one.write_text(seed_document("dn2020").to_json(), encoding="utf-8")
    lines = tmp_path / "both.jsonl"
    lines.write_text(seed_document("dn2020").to_json(indent=None) + "\n"
                     + seed_document("bd2023", sha="ab" * 32).to_json(indent=None) + "\n",
                     encoding="utf-8")
    out = tmp_path / "plans.ics"
    assert main(["calendar", str(one), "-o", str(out)]) == 0
    assert "11 events" in capsys.readouterr().err
    assert b"\r\n" in out.read_bytes()
    assert len(events_of(out.read_text(encoding="utf-8"))) == 11

    assert main(["calendar", str(lines), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "from 53 rows of 2 documents" in err
    assert "rows skipped: 29 continuous, 3 event, 1 unspecified" in err
    assert len(events_of(out.read_text(encoding="utf-8"))) == 11 + 4 + 1 + 18


def test_cli_bad_json_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text(seed_document().to_json(), encoding="utf-8")
    out = tmp_path / "x.ics"
    assert main(["calendar", str(bad), str(good), "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith(f"vnplans: {bad}: not JSON")
    assert "Traceback" not in "".join(err)
    assert len(events_of(out.read_text(encoding="utf-8"))) == 11   # the good file still counts


def test_cli_from_pdf(tmp_path: Path, capsys) -> None:
    out = tmp_path / "dn.ics"
    assert main(["calendar", str(FIXTURES / "pdfs" / "dn2020.pdf"), "-o", str(out)]) == 0
    events = events_of(out.read_text(encoding="utf-8"))
    assert {e["DTSTART"].dt for e in events if "RRULE" not in e} == {
        date(2020, 3, 31), date(2020, 6, 30), date(2020, 9, 30), date(2020, 11, 30),
        date(2020, 12, 31)}


def test_cli_from_database(tmp_path: Path, capsys) -> None:
    from vnplans.store.db import create_db_engine
    from vnplans.store.load import save_document

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    engine = create_db_engine(url)
    doc = seed_document("dn2020")
    with engine.begin() as conn:
        save_document(conn, doc, path="dn2020.pdf", sha256=doc.source.sha256)
    engine.dispose()
    out = tmp_path / "db.ics"
    assert main(["calendar", "--db", url, "-o", str(out)]) == 0
    assert "11 events" in capsys.readouterr().err
    assert len(events_of(out.read_text(encoding="utf-8"))) == 11


def test_cli_missing_database_is_one_line(tmp_path: Path, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["calendar", "--db", url, "-o", str(tmp_path / "x.ics")]) == 1
    err = capsys.readouterr().err
    assert "no database" in err and "Traceback" not in err
