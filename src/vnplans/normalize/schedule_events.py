"""The dated events of a row's schedule, and every occurrence of them between two dates.

One implementation for both readers of dates: the iCalendar export
(`vnplans.exports.calendar`, one VEVENT per event, a recurring one with its RRULE) and
`Store.occurrences()` (`vnplans.store.frames`, every occurrence, rules expanded).

- a deadline: its `due` day (not when a period of the row ends that same day);
- a period: its end;
- a recurring duty: one event per RRULE, from the first day of the plan year the rule
  names (RFC 5545 wants DTSTART to be an occurrence) UNTIL the end of the plan year.
  A weekly rule whose deadline names no day takes the weekday its task names ("định kỳ
  vào thứ sáu hàng tuần").
Continuous, event-driven and unspecified rows have no date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

from vnplans.models import Row
from vnplans.normalize.deadlines import with_task_weekdays

EventKind = Literal["deadline", "period_end", "recurring"]
UNDATED_KINDS = frozenset({"continuous", "event", "unspecified"})
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class ScheduleEvent:
    kind: EventKind
    key: str                  # "due", "period0", "rrule1": unique within its row
    start: date               # the day; for a recurring event its first occurrence
    rrule: str | None = None  # recurring only, without UNTIL
    until: date | None = None  # recurring only: the last day an occurrence may fall on


@dataclass
class RowEvents:
    schedule_kind: str
    events: list[ScheduleEvent] = field(default_factory=list)
    # Why the row, or its recurring part, gave no event ("continuous", "recurring
    # without plan year", "deadline without date" …); None when nothing was left out.
    skipped: str | None = None


def row_events(row: Row, plan_year: int | None) -> RowEvents:
    """The dated events of one row, in the order the calendar writes them: rules,
    period ends, then the deadline."""
    sched = row.schedule
    out = RowEvents(sched.kind)
    if sched.kind in UNDATED_KINDS:
        out.skipped = sched.kind
        return out
    # "Hàng tuần" in the deadline, "vào thứ sáu hàng tuần" in the task: meet on Fridays
    sched = with_task_weekdays(sched, row.task)
    if sched.kind == "recurring":
        if plan_year is None:
            out.skipped = "recurring without plan year"
        elif not sched.rrules:
            out.skipped = "recurring without frequency"
        else:
            for n, rule in enumerate(sched.rrules):
                out.events.append(ScheduleEvent(
                    "recurring", f"rrule{n}", first_occurrence(rule, date(plan_year, 1, 1)),
                    rrule=rule, until=date(plan_year, 12, 31)))
    period_ends = {p.end for p in sched.periods}
    out.events += [ScheduleEvent("period_end", f"period{n}", period.end)
                   for n, period in enumerate(sched.periods)]
    if sched.due is not None and sched.due not in period_ends:
        out.events.append(ScheduleEvent("deadline", "due", sched.due))
    if not out.events and sched.kind != "recurring":
        out.skipped = f"{sched.kind} without date"
    return out


def first_occurrence(rrule: str, start: date) -> date:
    """The first day on or after `start` that the rule names (RFC 5545 wants DTSTART
    to be an occurrence)."""
    parts = dict(p.split("=", 1) for p in rrule.split(";") if "=" in p)
    try:
        if "BYDAY" in parts:
            wanted = {_WEEKDAYS.index(d[-2:]) for d in parts["BYDAY"].split(",")}
            day = start
            while day.weekday() not in wanted:
                day += timedelta(days=1)
            return day
        month = int(parts["BYMONTH"].split(",")[0]) if "BYMONTH" in parts else None
        mday = int(parts["BYMONTHDAY"].split(",")[0]) if "BYMONTHDAY" in parts else None
        if month or mday:
            candidate = date(start.year, month or start.month, mday or 1)
            return candidate if candidate >= start else start
    except (ValueError, KeyError):
        pass
    return start


def occurrence_dates(event: ScheduleEvent, start: date, end: date) -> list[date]:
    """Every day of `event` from `start` to `end`, both included; a recurring event's
    rule expanded as a calendar program expands the exported VEVENT (DTSTART, RRULE,
    UNTIL)."""
    if event.rrule is None:
        return [event.start] if start <= event.start <= end else []
    last = min(end, event.until) if event.until else end
    if last < start:
        return []
    rule = _parsed_rule(event.rrule, event.start, event.until)
    return [moment.date() for moment in
            rule.between(_midnight(start), _midnight(last), inc=True)]


@lru_cache(maxsize=1024)
def _parsed_rule(rrule: str, dtstart: date, until: date | None):  # noqa: ANN202
    from dateutil.rrule import rrulestr

    text = f"{rrule};UNTIL={until:%Y%m%d}" if until else rrule
    return rrulestr(text, dtstart=_midnight(dtstart))


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)
