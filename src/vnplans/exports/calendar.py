"""Deadlines and recurring duties of plan documents as an iCalendar file (RFC 5545).

    from vnplans.exports.calendar import build_calendar
    text, summary = build_calendar(documents)      # CRLF line endings, folded lines

One all-day event per dated deadline and per period end; one recurring all-day event
per RRULE of a recurring row, from the start of the plan year (moved to the first
day the rule names, so DTSTART is an occurrence) UNTIL the end of the plan year. A
weekly rule whose deadline names no day takes the weekday its task names ("định kỳ
vào thứ sáu hàng tuần").
Continuous, event-driven and unspecified rows have no date and are only counted.
Which events a row gives is decided in `vnplans.normalize.schedule_events`, which
`Store.occurrences()` expands too, so the calendar and the API agree.

UIDs are derived from the document's sha256 and the row's index, and DTSTAMP from
the document itself, so exporting the same documents again gives the same file.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from vnplans.counts import counted
from vnplans.models import PlanDocument, Row
from vnplans.normalize.schedule_events import row_events

PRODID = "-//vnplans//plan deadlines//VI"


@dataclass
class CalendarSummary:
    documents: int = 0
    rows: int = 0
    deadlines: int = 0
    period_ends: int = 0
    recurring: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def events(self) -> int:
        return self.deadlines + self.period_ends + self.recurring

    def line(self) -> str:
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(self.skipped.items())) or "none"
        return (f"{counted(self.events, 'event')} ({counted(self.deadlines, 'deadline')}, "
                f"{counted(self.period_ends, 'period end')}, {self.recurring} recurring) from "
                f"{counted(self.rows, 'row')} of {counted(self.documents, 'document')}; "
                f"rows skipped: {skipped}")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [], 0, 74   # continuation lines start with a space
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n ".join(out)


def _ics_date(d: date) -> str:
    return d.strftime("%Y%m%d")


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, name: str, value: str) -> None:
        self.lines.append(fold(f"{name}:{value}"))

    def text(self) -> str:
        return "\r\n".join(self.lines) + "\r\n"


def _summary_text(row: Row, kind: str) -> str:
    task = row.task or row.outcome or "(không có nội dung)"
    head = f"{row.tt} " if row.tt else ""
    prefix = {"deadline": "Hạn", "period": "Kết thúc", "recurring": "Định kỳ"}[kind]
    return f"[{prefix}] {head}{task}"


def _description(doc: PlanDocument, row: Row) -> str:
    info = doc.document
    number = "/".join(x for x in (info.number, info.symbol) if x) or None
    ref = " ".join(x for x in (number, info.issuer, str(info.year) if info.year else None) if x)
    lines = [
        f"Thời hạn: {row.deadline}" if row.deadline else None,
        f"Chủ trì: {row.lead}" if row.lead else None,
        f"Phối hợp: {row.support}" if row.support else None,
        f"Kết quả: {row.outcome}" if row.outcome else None,
        f"Ghi chú: {row.schedule.detail}" if row.schedule.detail else None,
        f"Chỉ số: {row.index}" if row.index else None,
        f"Kế hoạch: {ref}" if ref else None,
        f"Nguồn: {doc.source.file}" + (f", trang {', '.join(map(str, row.pages))}"
                                        if row.pages else ""),
    ]
    return "\n".join(x for x in lines if x)


def _doc_key(doc: PlanDocument) -> str:
    sha = (doc.source.sha256 or "").lower()
    if not sha:
        sha = hashlib.sha256(doc.source.file.encode("utf-8")).hexdigest()
    return sha[:16]


def _dtstamp(doc: PlanDocument) -> str:
    # Stable across re-exports: the document's own date, not the clock.
    day = doc.document.issued_on or (date(doc.document.year, 1, 1) if doc.document.year
                                     else date(2000, 1, 1))
    return day.strftime("%Y%m%dT000000Z")


def build_calendar(documents: Iterable[PlanDocument], *,
                   name: str = "vnplans deadlines") -> tuple[str, CalendarSummary]:
    summary = CalendarSummary()
    w = _Writer()
    w.add("BEGIN", "VCALENDAR")
    w.add("VERSION", "2.0")
    w.add("PRODID", PRODID)
    w.add("CALSCALE", "GREGORIAN")
    w.add("METHOD", "PUBLISH")
    w.add("X-WR-CALNAME", escape_text(name))
    for doc in documents:
        summary.documents += 1
        key, stamp = _doc_key(doc), _dtstamp(doc)
        for index, row in enumerate(doc.rows):
            summary.rows += 1
            _row_events(w, summary, doc, row, index, key, stamp)
    w.add("END", "VCALENDAR")
    return w.text(), summary


def _event(w: _Writer, uid: str, stamp: str, day: date, summary: str, description: str,
           categories: list[str], rrule: str | None = None) -> None:
    w.add("BEGIN", "VEVENT")
    w.add("UID", uid)
    w.add("DTSTAMP", stamp)
    w.add("DTSTART;VALUE=DATE", _ics_date(day))
    w.add("DTEND;VALUE=DATE", _ics_date(day + timedelta(days=1)))
    if rrule:
        w.add("RRULE", rrule)
    w.add("SUMMARY", escape_text(summary))
    w.add("DESCRIPTION", escape_text(description))
    if categories:
        w.add("CATEGORIES", ",".join(escape_text(c) for c in categories))
    w.add("TRANSP", "TRANSPARENT")
    w.add("END", "VEVENT")


def _row_events(w: _Writer, summary: CalendarSummary, doc: PlanDocument, row: Row,
                index: int, key: str, stamp: str) -> None:
    dated = row_events(row, doc.document.year)
    if dated.skipped:
        summary.skipped[dated.skipped] += 1
    if not dated.events:
        return
    desc = _description(doc, row)
    cats = [c for c in (row.index, dated.schedule_kind) if c]
    for event in dated.events:
        if event.kind == "recurring":
            _event(w, f"{key}-r{index}-{event.key}@vnplans", stamp, event.start,
                   _summary_text(row, "recurring"), desc, cats,
                   f"{event.rrule};UNTIL={_ics_date(event.until)}")
            summary.recurring += 1
        elif event.kind == "period_end":
            _event(w, f"{key}-r{index}-{event.key}@vnplans", stamp, event.start,
                   _summary_text(row, "period"), desc, cats)
            summary.period_ends += 1
        else:
            _event(w, f"{key}-r{index}-{event.key}@vnplans", stamp, event.start,
                   _summary_text(row, "deadline"), desc, cats)
            summary.deadlines += 1
