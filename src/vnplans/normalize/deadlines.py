"""The deadline column as data: `parse_deadline(text, year)` maps a printed deadline
("Hàng quý, 6 tháng, năm", "Trước ngày 30/11/2023", "Quý I/2020 Quý III/2020",
"Khi có yêu cầu" …) to the contract's `Schedule` plus warnings.

How the words are read (see also `extractors/deadlines.yaml`, the vocabulary):

* "trước <day>" is due that day — the contract reads "Trước ngày 30/11/2023" as
  2023-11-30 (offices write "trước ngày X" for "by X"). "trước <month | quarter |
  half | year>" is due the day before it begins ("Trước tháng 6/2024" → 2024-05-31,
  "trước năm 2025" → 2024-12-31). "chậm nhất / đến hết / đến / cuối X" is due the
  last day of X.
* A quarter, month, half year or year is a period, due at its end; several are
  several periods, due at the last end. "từ X đến Y" is one period. A cell that
  names several dates or periods ("Tháng 01/2026; tháng 6/2026") also lists each one's
  last day as a milestone, in printed order. A year the text
  leaves out is the nearest year printed after it in the same cell, else before it,
  else the plan year.
* Recurring words give frequencies and RFC 5545 RRULEs; a weekday ("thứ sáu hàng
  tuần") adds BYDAY, "ngày 15 hàng tháng" BYMONTHDAY, "trước ngày 10/11 hàng năm"
  BYMONTH+BYMONTHDAY.
* Times of day ("17 giờ", "Từ 20 giờ 15 phút - 20 giờ 45 phút") go to `times`.
* "Thường xuyên trong tháng" is continuous work framed by the month ("trong tháng" in
  `detail`), not a monthly duty.
* Notes in parentheses and the wording of events are kept in `detail`.
* What cannot be read gives kind "unspecified", confidence below 1 and a warning
  quoting the text — never a guessed date. It never raises.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

from vnplans.models import Frequency, Period, Schedule, TimeSpan
from vnplans.normalize.deadline_grammar import Item, Parse, When, read_tokens
from vnplans.normalize.deadline_text import Vocabulary, tokenize, vocabulary
from vnplans.vietnamese import collapse

RRULE_BASE: dict[str, str] = {
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
    "semiannual": "FREQ=MONTHLY;INTERVAL=6",
    "annual": "FREQ=YEARLY",
}
_MAX_CHARS = 1000   # a deadline cell longer than this is not a deadline; read its start
_PAREN = re.compile(r"\(([^()]*)\)")
_ENUMERATOR = re.compile(r"^(\d{1,2}|[a-zđ]|[ivx]{1,4})$", re.IGNORECASE)   # "(1)", "(a)", "(ii)"
_TRIM = " \t,;:.-–—/+*\"'“”"


def parse_deadline(text: str | None, year: int | None) -> tuple[Schedule, list[str]]:
    """The schedule of one printed deadline; `year` is the plan year, used where the
    text leaves the year out."""
    try:
        return _parse(text, year)
    except Exception as exc:  # noqa: BLE001 - a deadline cell must never stop extraction
        shown = text if isinstance(text, str) else repr(text)
        return (Schedule(kind="unspecified", confidence=0.0),
                [f"deadline not understood ({type(exc).__name__}): {shown!r}"])


def _parse(text: str | None, plan_year: int | None) -> tuple[Schedule, list[str]]:
    if text is None:
        return Schedule(), []
    if not isinstance(text, str):
        text = str(text)
    printed = collapse(text)
    if not printed.strip(_TRIM):
        return Schedule(), []
    if plan_year is not None and not 1900 <= plan_year <= 2100:
        plan_year = None
    schedule, warnings = _read(vocabulary(), printed, plan_year)
    # A new model per row: rows must not share one (its lists are mutable).
    return Schedule.model_validate(schedule), list(warnings)


@lru_cache(maxsize=4096)
def _read(vocab: Vocabulary, printed: str, plan_year: int | None
          ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The schedule (as plain data) and warnings of one collapsed deadline cell.
    Deadline cells repeat within and across plans ("Thường xuyên", "Hàng quý", "Năm
    2024"), hence the cache; `vocab` (compared by identity) keys it, so a reloaded
    deadlines.yaml is read afresh."""
    outside, notes = _split_notes(printed[:_MAX_CHARS])
    parse = read_tokens(tokenize(outside), vocab.data)
    if not _understood(parse) and notes:
        # The whole deadline is in parentheses, or only the note can be read.
        inner = "; ".join(notes)
        inner_parse = read_tokens(tokenize(inner), vocab.data)
        if _understood(inner_parse):
            outside, parse, notes = inner, inner_parse, []
    schedule, warnings = _assemble(printed, outside, parse, notes, plan_year)
    return schedule.model_dump(), tuple(warnings)


def _split_notes(text: str) -> tuple[str, list[str]]:
    """The text outside parentheses (same length, notes blanked) and the notes."""
    notes: list[str] = []

    def blank(m: re.Match[str]) -> str:
        note = m.group(1).strip(_TRIM)
        if note and not _ENUMERATOR.match(note):
            notes.append(note)
        return " " * len(m.group())

    outside = text
    while True:
        replaced = _PAREN.sub(blank, outside)
        if replaced == outside:
            break
        outside = replaced
    if "(" in outside:   # "Hằng quý (trước ngày 15 …" with the ")" lost
        cut = outside.index("(")
        note = outside[cut + 1:].strip(_TRIM)
        if note:
            notes.append(note)
        outside = outside[:cut] + " " * (len(outside) - cut)
    outside = outside.replace(")", " ")
    return outside, notes


def _understood(parse: Parse) -> bool:
    return any(item.kind != "weekday" and item.kind != "dom" for item in parse.items)


# -- calendar arithmetic -----------------------------------------------------------------

def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _bounds(w: When, year: int) -> tuple[date, date]:
    if w.part == "week" and w.unit != "date":
        start = _bounds(When(w.unit, w.value, w.year, w.pos), year)[0]
        return start, start + timedelta(days=6)
    if w.unit == "date":
        d, m = w.value
        day = date(year, m, d)
        return day, day
    if w.unit == "month":
        start, end = date(year, w.value, 1), _month_end(year, w.value)
        if w.part == "head":
            end = date(year, w.value, 10)
        return start, end
    if w.unit == "quarter":
        first = 3 * w.value - 2
        if w.part == "head":
            return date(year, first, 1), _month_end(year, first)
        return date(year, first, 1), _month_end(year, first + 2)
    if w.unit == "half":
        first = 1 if w.value == 1 else 7
        last = first + (2 if w.part == "head" else 5)
        return date(year, first, 1), _month_end(year, last)
    # year
    if w.part == "head":
        return date(year, 1, 1), date(year, 3, 31)
    return date(year, 1, 1), date(year, 12, 31)


def _resolve_years(items: list[Item], plan_year: int | None) -> bool:
    """Fill the years the text leaves out; False when some cannot be placed."""
    whens = sorted((w for item in items for w in item.whens), key=lambda w: w.pos)
    explicit = [w for w in whens if w.explicit_year]
    placed = True
    for w in whens:
        if w.year is not None:
            continue
        after = [e.year for e in explicit if e.pos > w.pos]
        before = [e.year for e in explicit if e.pos < w.pos]
        w.year = after[0] if after else before[-1] if before else plan_year
        placed = placed and w.year is not None
    return placed


class _Backwards(ValueError):
    """A range that ends before it starts."""


def _place(item: Item, plan_year: int | None, periods: list[Period],
           deadlines: list[date]) -> None:
    """Add the dates of one resolved item to `periods` or `deadlines`."""
    if item.kind == "deadline":
        w = item.whens[0]
        first, last = _bounds(w, w.year)
        deadlines.append(first - timedelta(days=1) if item.how == "before" and w.unit != "date"
                         else last)
        return
    if item.kind == "period":
        start, end = _bounds(item.whens[0], item.whens[0].year)
    elif item.kind == "range":
        start = _bounds(item.whens[0], item.whens[0].year)[0]
        end = _bounds(item.whens[-1], item.whens[-1].year)[1]
        if end < start:
            raise _Backwards
    else:
        # "Từ tháng 6/2024": open-ended, read as running to the end of that year (or
        # of the plan year, when later).
        w = item.whens[0]
        start = _bounds(w, w.year)[0]
        end = date(max(w.year, plan_year or w.year), 12, 31)
    period = Period(start=start, end=end)
    if period not in periods:
        periods.append(period)


# -- the schedule ------------------------------------------------------------------------

def _assemble(printed: str, outside: str, parse: Parse, notes: list[str],
              plan_year: int | None) -> tuple[Schedule, list[str]]:
    warnings: list[str] = []
    confidence = 0.9 if parse.corrected else 1.0
    items = list(parse.items)
    unread = [t.text for t in parse.unknown]

    freqs: list[Frequency] = []
    for item in items:
        if item.kind == "freq" and item.value and item.value not in freqs:
            freqs.append(item.value)
    marker_only = any(i.kind == "freq" and i.value is None for i in items) and not freqs

    # Recurrence details: weekdays, day of month, day/month of a yearly duty.
    by: dict[str, str] = {}
    weekdays = [i.value for i in items if i.kind == "weekday"]
    if weekdays and "weekly" in freqs:
        by["weekly"] = ";BYDAY=" + ",".join(dict.fromkeys(weekdays))
    elif weekdays:
        unread.extend(f"thứ {d}" for d in weekdays)
    days = [i.value for i in items if i.kind == "dom"]
    if days and "monthly" in freqs:
        by["monthly"] = ";BYMONTHDAY=" + ",".join(str(d) for d in dict.fromkeys(days))
    elif days:
        unread.extend(f"ngày {d}" for d in days)
    if "annual" in freqs:
        yearless = [i for i in items if i.kind in ("deadline", "period") and len(i.whens) == 1
                    and not i.whens[0].explicit_year and i.whens[0].unit in ("date", "month")]
        if len(yearless) == 1:
            w = yearless[0].whens[0]
            if w.unit == "date":
                by["annual"] = f";BYMONTH={w.value[1]};BYMONTHDAY={w.value[0]}"
            else:
                by["annual"] = f";BYMONTH={w.value}"
            items.remove(yearless[0])

    dated = [i for i in items if i.kind in ("period", "range", "deadline", "from")]
    unplaced = False   # a warning already says why no date was taken
    if dated and any(any(ch.isdigit() for ch in t.text) for t in parse.unknown):
        # Numbers we could not read beside dates we could: the dates may be misread
        # ("30/11/2O23" cut in pieces), so none is kept rather than guessed.
        warnings.append(f"deadline {printed!r}: numbers not understood; no date taken")
        confidence = min(confidence, 0.2)
        items = [i for i in items if i not in dated]
        dated = []
        unplaced = True
    periods: list[Period] = []
    deadlines: list[date] = []
    milestones: list[date] = []   # each dated item's last day, in printed order
    if dated:
        if not _resolve_years(dated, plan_year):
            unplaced = True
            warnings.append(f"deadline {printed!r}: no plan year to place it")
            confidence = min(confidence, 0.5)
            dated = [i for i in dated if all(w.year is not None for w in i.whens)]
        for item in dated:
            placed_before = (len(periods), len(deadlines))
            try:
                _place(item, plan_year, periods, deadlines)
                ends = [p.end for p in periods[placed_before[0]:]] + deadlines[placed_before[1]:]
                milestones.extend(d for d in ends if d not in milestones)
            except _Backwards:
                unread.append(printed)
            except ValueError:   # 29/02 of a year that has none
                parse.invalid.append(" ".join(str(w.value) for w in item.whens))
            if item.kind == "from":
                confidence = min(confidence, 0.8)

    events = [outside[i.span[0]:i.span[1]].strip(_TRIM) for i in items
              if i.kind in ("event", "note") and i.span]
    has = {i.kind for i in items}
    detail_parts = [e for e in events if e] + notes
    detail = "; ".join(dict.fromkeys(detail_parts)) or None

    rrules = [RRULE_BASE[f] + by.get(f, "") for f in freqs]
    due: date | None = None
    if freqs or marker_only:
        kind = "recurring"
        due = max(deadlines) if deadlines else None
        if marker_only:
            confidence = min(confidence, 0.8)
    elif "continuous" in has and not deadlines and all(
            (p.start.month, p.start.day, p.end.month, p.end.day) == (1, 1, 12, 31)
            for p in periods):
        # "Thường xuyên trong năm 2023": continuous work, the year only frames it
        kind = "continuous"
    elif periods:
        kind = "period"
        due = max([p.end for p in periods] + deadlines)
    elif deadlines:
        kind = "deadline"
        due = max(deadlines)
    elif "continuous" in has:
        kind = "continuous"
    elif "event" in has:
        kind = "event"
    elif "unspecified" in has:
        kind = "unspecified"
    else:
        kind = "unspecified"
        confidence = 0.0
        unread = []
        if not unplaced:
            warnings.append(f"deadline not understood: {printed!r}")

    if parse.invalid:
        warnings.append(f"deadline {printed!r}: no such date {', '.join(parse.invalid)}")
        confidence = min(confidence, 0.5)
    if unread:
        warnings.append(f"deadline {printed!r} partly read; ignored: {' '.join(unread)}")
        confidence = min(confidence, 0.6)
    if kind == "unspecified" and "unspecified" not in has:
        confidence = min(confidence, 0.0)

    if kind not in ("deadline", "period") or len(milestones) < 2:
        milestones = []
    times = [TimeSpan(start=time(*i.value[0]), end=time(*i.value[1]) if i.value[1] else None)
             for i in items if i.kind == "time"]
    schedule = Schedule(kind=kind, due=due, periods=periods, frequencies=freqs, rrules=rrules,
                        confidence=round(confidence, 2), detail=detail, milestones=milestones,
                        times=times)
    return schedule, warnings


def task_weekdays(task: str | None) -> list[str]:
    """Weekdays a task names for a weekly duty ("định kỳ vào thứ sáu hàng tuần" → FR):
    RFC 5545 day codes, in order."""
    if not task:
        return []
    try:
        toks = tokenize(collapse(task)[:_MAX_CHARS])
    except Exception:  # noqa: BLE001 - a hint, never a failure
        return []
    days: list[str] = []
    for n, tok in enumerate(toks):
        if not tok.has("weekdays"):
            continue
        # the weekday must be followed closely by "hàng/hằng/mỗi tuần"
        window = toks[n + 1:n + 5]
        if any(t.get("units") == "week" for t in window) and any(
                t.has("recurrence_markers") for t in window):
            code = tok.get("weekdays")
            if code not in days:
                days.append(code)
    return days


def with_task_weekdays(schedule: Schedule, task: str | None) -> Schedule:
    """The schedule with BYDAY added to its weekly rule when the deadline only says
    "Hàng tuần" but the task names the day (Đắk Nông 2020, row 1.3)."""
    if "weekly" not in schedule.frequencies:
        return schedule
    index = schedule.frequencies.index("weekly")
    if index >= len(schedule.rrules) or "BYDAY=" in schedule.rrules[index]:
        return schedule
    days = task_weekdays(task)
    if not days:
        return schedule
    rrules = list(schedule.rrules)
    rrules[index] = f"{rrules[index]};BYDAY={','.join(days)}"
    return schedule.model_copy(update={"rrules": rrules})
