"""Printed deadlines → schedules, one row per printed form (all fields asserted).

Covers every deadline of both seed plans (checked against tests/fixtures/expected)
plus the ways offices write the same things: hàng/hằng, định kỳ, Roman and Arabic
quarters, old tone placement, missing diacritics, glued words, stray punctuation,
lists, ranges, notes in parentheses, events and the unreadable.
"""

from __future__ import annotations

import calendar
import json
from pathlib import Path

import pytest

from vnplans.models import Schedule
from vnplans.normalize.deadlines import parse_deadline, task_weekdays, with_task_weekdays

FIXTURES = Path(__file__).parent / "fixtures" / "expected"

W, M = "FREQ=WEEKLY", "FREQ=MONTHLY"
Q, H, A = "FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;INTERVAL=6", "FREQ=YEARLY"
RULE = {"weekly": W, "monthly": M, "quarterly": Q, "semiannual": H, "annual": A}


# -- expected-value helpers ------------------------------------------------------------

def month(y: int, m: int) -> tuple[str, str]:
    return f"{y}-{m:02d}-01", f"{y}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


def quarter(y: int, q: int) -> tuple[str, str]:
    return month(y, 3 * q - 2)[0], month(y, 3 * q)[1]


def year(y: int) -> tuple[str, str]:
    return f"{y}-01-01", f"{y}-12-31"


def half(y: int, h: int) -> tuple[str, str]:
    return (f"{y}-01-01", f"{y}-06-30") if h == 1 else (f"{y}-07-01", f"{y}-12-31")


def span(a: tuple[str, str], b: tuple[str, str]) -> tuple[str, str]:
    return a[0], b[1]


def sched(kind: str, *, due: str | None = None, periods=(), freqs=(), rrules=None,
          conf: float = 1.0, detail: str | None = None, warn: bool | None = None,
          milestones=(), times=()) -> dict:
    return {
        "kind": kind, "due": due,
        "periods": [{"start": s, "end": e} for s, e in periods],
        "frequencies": list(freqs),
        "rrules": list(rrules) if rrules is not None else [RULE[f] for f in freqs],
        "confidence": conf, "detail": detail,
        "milestones": list(milestones),
        "times": [{"start": s, "end": e} for s, e in times],
        "_warn": (conf < 0.7) if warn is None else warn,
    }


def cont(detail=None):
    return sched("continuous", detail=detail)


def rec(*freqs, rrules=None, detail=None, conf=1.0, due=None, periods=()):
    return sched("recurring", freqs=freqs, rrules=rrules, detail=detail, conf=conf, due=due,
                 periods=periods)


def dl(due, detail=None, conf=1.0, milestones=(), times=()):
    return sched("deadline", due=due, detail=detail, conf=conf, milestones=milestones,
                 times=times)


def per(*periods, due=None, detail=None, conf=1.0, warn=None, milestones=None):
    """Several periods are several milestones, each due at its end, in printed order."""
    if milestones is None:
        milestones = [p[1] for p in periods] if len(periods) > 1 else []
    return sched("period", periods=periods, due=due or max(p[1] for p in periods),
                 detail=detail, conf=conf, warn=warn, milestones=milestones)


def ev(detail):
    return sched("event", detail=detail)


def uns(conf=1.0, detail=None):
    return sched("unspecified", conf=conf, detail=detail)


UNREAD = uns(conf=0.0)

# (printed, plan year, expected)
CASES: list[tuple[str, int | None, dict]] = [
    # ---- every deadline of the two seed plans -------------------------------------
    ("Trước ngày 20/6/2023", 2023, dl("2023-06-20")),
    ("Thường xuyên", 2023, cont()),
    ("Theo Kế hoạch", 2023, uns()),
    ("Trước ngày 30/11/2023", 2023, dl("2023-11-30")),
    ("Trong quý I", 2023, per(quarter(2023, 1))),
    ("Hàng quý, 6 tháng, năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("Trước 10/12/2023", 2023, dl("2023-12-10")),
    ("Hàng tuần", 2020, rec("weekly")),
    ("Khi có kết luận chính thức", 2020, ev("Khi có kết luận chính thức")),
    ("Khi có thực hiện đấu thầu", 2020, ev("Khi có thực hiện đấu thầu")),
    ("Khi có yêu cầu", 2020, ev("Khi có yêu cầu")),
    ("Quý I/2020 Quý III/2020", 2020, per(quarter(2020, 1), quarter(2020, 3))),
    ("Hàng tháng", 2020, rec("monthly")),
    ("Quý II/2020", 2020, per(quarter(2020, 2))),
    ("Quý I/2020", 2020, per(quarter(2020, 1))),
    ("Hàng quý", 2020, rec("quarterly")),
    ("Tháng 11, 12/2020", 2020, per(month(2020, 11), month(2020, 12))),
    # ---- the deadlines of the generated fixture variants --------------------------
    ("Quý II/2021", 2021, per(quarter(2021, 2))),
    ("Quý III/2021", 2021, per(quarter(2021, 3))),
    ("Tháng 11, 12/2021", 2021, per(month(2021, 11), month(2021, 12))),
    ("Trước ngày 30/9/2021", 2021, dl("2021-09-30")),
    ("Năm 2023", 2023, per(year(2023))),
    ("Quý I/2023", 2023, per(quarter(2023, 1))),
    ("Quý II/2023", 2023, per(quarter(2023, 2))),
    ("Quý I/2025", 2025, per(quarter(2025, 1))),
    ("Quý II, III/2025", 2025, per(quarter(2025, 2), quarter(2025, 3))),
    ("Quý III/2025", 2025, per(quarter(2025, 3))),
    ("Quý IV/2025", 2025, per(quarter(2025, 4))),
    ("Tháng 11, 12/2025", 2025, per(month(2025, 11), month(2025, 12))),
    ("Khi có dự thảo", 2024, ev("Khi có dự thảo")),
    ("Quý III/2024", 2024, per(quarter(2024, 3))),
    ("Trước ngày 15/11/2024", 2024, dl("2024-11-15")),
    ("Trước ngày 31/01/2024", 2024, dl("2024-01-31")),
    ("Năm 2024", 2024, per(year(2024))),
    ("6 tháng đầu năm 2024", 2024, per(half(2024, 1))),
    # ---- continuous -----------------------------------------------------------------
    ("Thường xuyên.", 2023, cont()),
    ("- Thường xuyên", 2023, cont()),
    ("THƯỜNG XUYÊN", 2023, cont()),
    ("thuong xuyen", 2023, cont()),
    ("Thuờng xuyen", 2023, cont()),
    ("Thườngxuyên", 2023, cont()),
    ("Thường  \n xuyên", 2023, cont()),
    ("Thường xuyê n", 2023, cont()),
    ("Thường xuyến", 2023, sched("continuous", conf=0.9)),
    ("Thườngg xuyên", 2023, sched("continuous", conf=0.9)),
    ("Thư ờng xuyên", 2023, cont()),
    ("Thường xuyên, liên tục", 2023, cont()),
    ("Liên tục", 2023, cont()),
    ("Hàng ngày", 2023, cont()),
    ("Đang thực hiện", 2023, cont()),
    ("Thường xuyên (hàng năm tổ chức kiểm tra)", 2023, cont("hàng năm tổ chức kiểm tra")),
    ("Thường xuyên; khi có yêu cầu", 2023, cont("khi có yêu cầu")),
    # ---- recurring ------------------------------------------------------------------
    ("Hằng quý", 2023, rec("quarterly")),
    ("HÀNG QUÝ", 2023, rec("quarterly")),
    ("Hàng q uý", 2023, rec("quarterly")),
    ("hàng quý, sáu tháng, năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("Hằng tuần (thứ Sáu)", 2024, rec("weekly", detail="thứ Sáu")),
    ("Sáng thứ 2 hàng tuần", 2022, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=MO"])),
    ("hang quy", 2023, rec("quarterly")),
    ("Hàng qúy", 2023, rec("quarterly")),
    ("Định kỳ hằng quý", 2023, rec("quarterly")),
    ("định kì hằng quí", 2023, rec("quarterly")),
    ("Định kỳ hàng tháng", 2023, rec("monthly")),
    ("Hằng tháng", 2023, rec("monthly")),
    ("Mỗi tháng", 2023, rec("monthly")),
    ("Hằng năm", 2023, rec("annual")),
    ("Hàng năm", 2023, rec("annual")),
    ("Hằng tuần", 2023, rec("weekly")),
    ("Hàng quý, 06 tháng, 9 tháng, cuối năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("Hàng quý, 6 tháng, hàng năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("Hàng quý, 6\ntháng, năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("Hàng quý/6 tháng/năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("Quý, 6 tháng, năm", 2023, rec("quarterly", "semiannual", "annual")),
    ("6 tháng, năm", 2023, rec("semiannual", "annual")),
    ("Báo cáo định kỳ 6 tháng, năm", 2023, rec("semiannual", "annual")),
    ("Hàng tháng, quý, năm", 2023, rec("monthly", "quarterly", "annual")),
    ("Định kỳ 6 tháng", 2023, rec("semiannual")),
    ("6 tháng/lần", 2023, rec("semiannual")),
    ("3 tháng/lần", 2023, rec("quarterly")),
    ("1 năm/lần", 2023, rec("annual")),
    ("Ít nhất 01 lần/năm", 2023, rec("annual")),
    ("Tối thiểu 02 lần/năm", 2023, rec("annual")),
    ("Định kỳ 3 tháng một lần", 2023, rec("quarterly")),
    ("Hàng quý, 6 tháng, năm và đột xuất", 2023,
     rec("quarterly", "semiannual", "annual", detail="đột xuất")),
    ("Hằng quý, trước ngày 20 của tháng cuối quý", 2023,
     rec("quarterly", detail="trước ngày 20 của tháng cuối quý")),
    ("Báo cáo trước ngày 10 tháng cuối quý", 2023,
     rec("quarterly", detail="trước ngày 10 tháng cuối quý")),
    ("Sơ kết 6 tháng; tổng kết năm", 2023, rec("semiannual", "annual")),
    ("Trước ngày 05 tháng 12 hàng năm", 2023,
     rec("annual", rrules=["FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=5"])),
    ("Quý I/2023 và các quý tiếp theo", 2023, rec("quarterly", periods=[quarter(2023, 1)])),
    ("Thứ sáu hàng tuần", 2020, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=FR"])),
    ("Vào thứ 6 hàng tuần", 2020, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=FR"])),
    ("Thứ 2, thứ 6 hàng tuần", 2020, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=MO,FR"])),
    ("Chủ nhật hằng tuần", 2020, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=SU"])),
    ("Hằng tuần vào ngày thứ Hai", 2025, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=MO"])),
    ("thu hai hang tuan", 2020, rec("weekly", rrules=["FREQ=WEEKLY;BYDAY=MO"])),
    ("Ngày 15 hàng tháng", 2023, rec("monthly", rrules=["FREQ=MONTHLY;BYMONTHDAY=15"])),
    ("Trước ngày 20 hằng tháng", 2023, rec("monthly", rrules=["FREQ=MONTHLY;BYMONTHDAY=20"])),
    ("Trước ngày 10/11 hàng năm", 2020,
     rec("annual", rrules=["FREQ=YEARLY;BYMONTH=11;BYMONTHDAY=10"])),
    ("Tháng 12 hằng năm", 2023, rec("annual", rrules=["FREQ=YEARLY;BYMONTH=12"])),
    ("Hằng quý (trước ngày 15 của tháng cuối quý)", 2023,
     rec("quarterly", detail="trước ngày 15 của tháng cuối quý")),
    ("Hằng quý (trước ngày 15 của tháng cuối quý", 2023,
     rec("quarterly", detail="trước ngày 15 của tháng cuối quý")),
    ("Hằng năm (trước 15/12)", 2023, rec("annual", detail="trước 15/12")),
    ("Hàng quý và khi có yêu cầu", 2023, rec("quarterly", detail="khi có yêu cầu")),
    ("Cuối mỗi quý", 2023, rec("quarterly")),
    ("Định kỳ", 2023, rec(conf=0.8)),
    # ---- deadlines ------------------------------------------------------------------
    ("Trước ngày 30/11", 2023, dl("2023-11-30")),
    ("trước 31/12", 2024, dl("2024-12-31")),
    ("Trước ngày 15/01/2024", 2023, dl("2024-01-15")),
    ("Trước 30/06/2024", 2023, dl("2024-06-30")),
    ("Truoc ngay 30/11/2023", 2023, dl("2023-11-30")),
    ("Trước ngày 30 tháng 11 năm 2023", 2023, dl("2023-11-30")),
    ("Ngày 30 tháng 11 năm 2023", 2023, dl("2023-11-30")),
    ("Trước ngày 30/11 năm 2023", 2022, dl("2023-11-30")),
    ("30/11/2023", 2023, dl("2023-11-30")),
    ("30.11.2023", 2023, dl("2023-11-30")),
    ("30-11-2023", 2023, dl("2023-11-30")),
    ("31/12/23", 2023, dl("2023-12-31")),
    ("Trước 30 / 11 / 2023", 2023, dl("2023-11-30")),
    ("Trước ngày\n30/11/2023", 2023, dl("2023-11-30")),
    ("Trước ngày 30/11/2O23", 2023, dl("2023-11-30")),
    ("Hoàn thành 100% trước 30/6/2024", 2023, dl("2024-06-30")),
    ("Thời hạn: trước 31/3/2024", 2024, dl("2024-03-31")),
    ("Hạn: 31/3/2024", 2024, dl("2024-03-31")),
    ("Trước ngày 30/11/2023.", 2023, dl("2023-11-30")),
    ("Chậm nhất ngày 31/12/2023", 2023, dl("2023-12-31")),
    ("chậm nhất 15/7/2023", 2023, dl("2023-07-15")),
    ("Hoàn thành trước 30/9/2023", 2023, dl("2023-09-30")),
    ("Hạn chót 20/10/2023", 2023, dl("2023-10-20")),
    ("Đến 30/6/2024", 2023, dl("2024-06-30")),
    ("Trước 30/6 và 31/12/2023", 2023,
     dl("2023-12-31", milestones=["2023-06-30", "2023-12-31"])),
    ("Đến hết năm 2024", 2023, dl("2024-12-31")),
    ("Đến hết tháng 6/2024", 2023, dl("2024-06-30")),
    ("Đến hết quý III", 2023, dl("2023-09-30")),
    ("Cuối năm", 2023, dl("2023-12-31")),
    ("Cuối năm 2024", 2023, dl("2024-12-31")),
    ("Cuối quý II/2024", 2023, dl("2024-06-30")),
    ("Cuối tháng 6/2024", 2023, dl("2024-06-30")),
    ("Trước tháng 6/2024", 2023, dl("2024-05-31")),
    ("Trước quý III/2024", 2023, dl("2024-06-30")),
    ("Trước năm 2025", 2023, dl("2024-12-31")),
    ("Trước cuối năm 2023", 2023, dl("2023-12-31")),
    ("(Trước 30/6/2024)", 2023, dl("2024-06-30")),
    ("Trước 15 tháng 6 năm 2023", 2023, dl("2023-06-15")),
    ("Trước 17h ngày 30/11/2023", 2023, dl("2023-11-30", times=[("17:00:00", None)])),
    ("Từ nay đến cuối năm", 2023, dl("2023-12-31")),
    ("Từ nay đến hết năm 2024", 2023, dl("2024-12-31")),
    ("Đến năm 2025", 2023, dl("2025-12-31")),
    # ---- periods --------------------------------------------------------------------
    ("Quý I/2020\nQuý III/2020", 2020, per(quarter(2020, 1), quarter(2020, 3))),
    ("Quý I/2020;\nQuý III/2020", 2020, per(quarter(2020, 1), quarter(2020, 3))),
    ("Quý I", 2023, per(quarter(2023, 1))),
    ("Trong Quý IV", 2023, per(quarter(2023, 4))),
    ("Qúy II/2023", 2023, per(quarter(2023, 2))),
    ("quí 3 năm 2023", 2023, per(quarter(2023, 3))),
    ("Quý III năm 2023", 2023, per(quarter(2023, 3))),
    ("quy 2/2023", 2023, per(quarter(2023, 2))),
    ("Q4/2023", 2023, per(quarter(2023, 4))),
    ("QIII/2024", 2023, per(quarter(2024, 3))),
    ("Quý ll/2020", 2020, per(quarter(2020, 2))),
    ("Quý I/ 2020", 2020, per(quarter(2020, 1))),
    ("Quý I - 2020", 2020, per(quarter(2020, 1))),
    ("Quý tư năm 2023", 2023, per(quarter(2023, 4))),
    ("Quý I, II/2024", 2023, per(quarter(2024, 1), quarter(2024, 2))),
    ("Quý I và quý II năm 2024", 2023, per(quarter(2024, 1), quarter(2024, 2))),
    ("Quý 1 và quý 3 năm 2020", 2020, per(quarter(2020, 1), quarter(2020, 3))),
    ("Quý II, III/2023", 2023, per(quarter(2023, 2), quarter(2023, 3))),
    ("Quý I - II/2024", 2023, per(span(quarter(2024, 1), quarter(2024, 2)))),
    ("Quý IV/2023 và năm 2024", 2023, per(quarter(2023, 4), year(2024))),
    ("Tháng 11,12/2020", 2020, per(month(2020, 11), month(2020, 12))),
    ("Tháng 11 , 12 / 2020", 2020, per(month(2020, 11), month(2020, 12))),
    ("tháng 11 và tháng 12 năm 2020", 2020, per(month(2020, 11), month(2020, 12))),
    ("Tháng 6 và tháng 12 năm 2024", 2023, per(month(2024, 6), month(2024, 12))),
    ("Tháng 12/2023", 2023, per(month(2023, 12))),
    ("Tháng 6, 2024", 2023, per(month(2024, 6))),
    ("Quý I, 2024", 2023, per(quarter(2024, 1))),
    ("T3/2024", 2023, per(month(2024, 3))),
    ("Tháng 10, 11, 12", 2024, per(month(2024, 10), month(2024, 11), month(2024, 12))),
    ("Quý III, quý IV", 2024, per(quarter(2024, 3), quarter(2024, 4))),
    ("Tháng 11/2022 đến tháng 02/2023", 2022, per(span(month(2022, 11), month(2023, 2)))),
    ("Tháng 01/2024", 2023, per(month(2024, 1))),
    ("tháng 9 năm 2023", 2023, per(month(2023, 9))),
    ("Trong tháng 6", 2023, per(month(2023, 6))),
    ("6/2024", 2023, per(month(2024, 6))),
    ("Tháng 10-12/2023", 2023, per(span(month(2023, 10), month(2023, 12)))),
    ("Tháng 6 - tháng 8/2023", 2023, per(span(month(2023, 6), month(2023, 8)))),
    ("Từ tháng 3 đến tháng 6/2024", 2023, per(span(month(2024, 3), month(2024, 6)))),
    ("Từ ngày 01/3/2024 đến ngày 30/6/2024", 2023, per(("2024-03-01", "2024-06-30"))),
    ("Từ 01/3 đến 30/6/2024", 2023, per(("2024-03-01", "2024-06-30"))),
    ("Từ quý II đến quý IV/2023", 2023, per(span(quarter(2023, 2), quarter(2023, 4)))),
    ("Từ quý II/2023", 2023, per(span(quarter(2023, 2), year(2023)), conf=0.8)),
    ("6 tháng đầu năm 2024", 2023, per(half(2024, 1))),
    ("06 tháng đầu năm", 2023, per(half(2023, 1))),
    ("6 tháng cuối năm", 2023, per(half(2023, 2))),
    ("Sáu tháng đầu năm 2024", 2023, per(half(2024, 1))),
    ("Năm 2024", 2023, per(year(2024))),
    ("năm 2023", 2023, per(year(2023))),
    ("2023", 2023, per(year(2023))),
    ("Trong năm 2023", 2023, per(year(2023))),
    ("Trong năm", 2023, per(year(2023))),
    ("Cả năm", 2023, per(year(2023))),
    ("Năm 2023 và các năm tiếp theo", 2023, per(year(2023))),
    ("Năm 2023 - 2025", 2023, per(span(year(2023), year(2025)))),
    ("Giai đoạn 2021-2025", 2023, per(span(year(2021), year(2025)))),
    ("Đầu năm 2024", 2023, per(("2024-01-01", "2024-03-31"))),
    ("Đầu tháng 7", 2023, per(("2023-07-01", "2023-07-10"))),
    ("Tuần đầu tháng 3", 2023, per(("2023-03-01", "2023-03-07"))),
    ("Tuần đầu tiên của tháng 1/2024", 2023, per(("2024-01-01", "2024-01-07"))),
    ("Quý I/2024 (trước 15/3)", 2023, per(quarter(2024, 1), detail="trước 15/3")),
    ("Tháng 7/2023 - Tháng 12/2023", 2023, per(span(month(2023, 7), month(2023, 12)))),
    ("01/01/2023 - 31/12/2023", 2023, per(year(2023))),
    ("Quý II/2023 đến Quý IV/2023", 2023, per(span(quarter(2023, 2), quarter(2023, 4)))),
    ("Tháng 12/2023 - Quý I/2024", 2023, per(span(month(2023, 12), quarter(2024, 1)))),
    ("QuýIII/2023", 2023, per(quarter(2023, 3))),
    ("- Quý I/2023: Kế hoạch\n- Quý IV/2023: Báo cáo", 2023,
     per(quarter(2023, 1), quarter(2023, 4))),
    ("Năm 2023, 2024", 2023, per(year(2023), year(2024))),
    ("(1) Quý I/2023; (2) Quý III/2023", 2023, per(quarter(2023, 1), quarter(2023, 3))),
    ("Năm 2023 và những năm tiếp theo", 2023, per(year(2023))),
    ("Thường xuyên trong năm 2023", 2023,
     sched("continuous", periods=[year(2023)])),
    # ---- events ---------------------------------------------------------------------
    ("Khi phát sinh", 2023, ev("Khi phát sinh")),
    ("Khi có văn bản chỉ đạo", 2023, ev("Khi có văn bản chỉ đạo")),
    ("Theo yêu cầu", 2023, ev("Theo yêu cầu")),
    ("Khi có yêu cầu.", 2023, ev("Khi có yêu cầu")),
    ("khi co yeu cau", 2023, ev("khi co yeu cau")),
    ("Sau khi được UBND tỉnh phê duyệt", 2023, ev("Sau khi được UBND tỉnh phê duyệt")),
    ("Ngay khi có văn bản", 2023, ev("Ngay khi có văn bản")),
    ("Theo chỉ đạo của UBND tỉnh", 2023, ev("Theo chỉ đạo của UBND tỉnh")),
    ("Kịp thời", 2023, ev("Kịp thời")),
    ("Theo yêu cầu của cơ quan có thẩm quyền", 2022,
     ev("Theo yêu cầu của cơ quan có thẩm quyền")),
    ("Đột xuất", 2023, ev("Đột xuất")),
    # Counted from an event (the plan's signing, a meeting): no date of its own.
    ("Trong vòng 30 ngày kể từ ngày ký ban hành Kế hoạch", 2023,
     ev("Trong vòng 30 ngày kể từ ngày ký ban hành Kế hoạch")),
    ("Trong thời hạn 15 ngày kể từ ngày Kế hoạch được ban hành", 2023,
     ev("Trong thời hạn 15 ngày kể từ ngày Kế hoạch được ban hành")),
    ("Theo lịch của UBND tỉnh", 2023, uns()),
    # ---- unspecified ----------------------------------------------------------------
    ("Theo lộ trình", 2023, uns()),
    ("Theo quy định", 2023, uns()),
    ("Theo qui định", 2023, uns()),
    ("theo ke hoach", 2023, uns()),
    ("Theo Kế\nhoạch", 2023, uns()),
    ("Theo Kế hoạch số 12/KH-UBND ngày 5/3/2024", 2023, uns()),
    ("", 2023, sched("unspecified", warn=False)),
    ("   \n ", 2023, sched("unspecified", warn=False)),
    ("blah blah", 2023, UNREAD),
    ("Hoàn thành", 2023, UNREAD),
    ("???", 2023, UNREAD),
    ("Trước 31/11/2023", 2023, sched("unspecified", conf=0.0)),
    ("Trong quý I", None, sched("unspecified", conf=0.0)),
    # partly read: what is read is kept, the rest is a warning
    ("Tổ chức hội nghị trong quý I", 2023, per(quarter(2023, 1), conf=0.6)),
    ("Thứ sáu", 2023, UNREAD),
    ("Tổ chức 02 hội nghị trong quý I", 2023, sched("unspecified", conf=0.0)),
    ("Trước ngày 30/11/2023a", 2023, dl("2023-11-30", conf=0.6)),
    # ---- several milestones in one cell: each its own due date, in printed order --------
    ("Tháng 01/2026; tháng 6/2026; tháng 8/2026", 2026,
     per(month(2026, 1), month(2026, 6), month(2026, 8))),
    ("Tháng 01/2026, tháng 6/2026 và tháng 8/2026", 2026,
     per(month(2026, 1), month(2026, 6), month(2026, 8))),
    ("Tháng 01/2026;\ntháng 6/2026;\ntháng 8/2026", 2026,
     per(month(2026, 1), month(2026, 6), month(2026, 8))),
    ("Ngày 15/01/2026; ngày 15/7/2026", 2026,
     dl("2026-07-15", milestones=["2026-01-15", "2026-07-15"])),
    ("Trước ngày 30/6/2026 và trước ngày 30/12/2026", 2026,
     dl("2026-12-30", milestones=["2026-06-30", "2026-12-30"])),
    ("Trước ngày 15/12/2025; trước ngày 15/6/2026", 2025,
     dl("2026-06-15", milestones=["2025-12-15", "2026-06-15"])),
    # ---- times of day are kept --------------------------------------------------------
    ("Từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 tháng 1", 2026,
     dl("2026-01-23", times=[("20:15:00", "20:45:00")])),
    ("Từ 20 giờ 15 phút đến 20 giờ 45 phút ngày 23/01/2026", 2026,
     dl("2026-01-23", times=[("20:15:00", "20:45:00")])),
    ("Trước 17 giờ 30 ngày 30/11/2025", 2025, dl("2025-11-30", times=[("17:30:00", None)])),
    ("Trước 16h00 ngày 10/3/2026", 2026, dl("2026-03-10", times=[("16:00:00", None)])),
    # ---- continuous within a month is not a monthly duty ------------------------------
    ("Thường xuyên trong tháng", 2026, cont("trong tháng")),
    ("Thường xuyên trong năm", 2026, cont("trong năm")),
    ("Thường xuyên trong quý", 2026, cont("trong quý")),
]


def _actual(schedule: Schedule, warnings: list[str]) -> dict:
    got = schedule.model_dump(mode="json")
    got["_warn"] = bool(warnings)
    return got


@pytest.mark.parametrize(("text", "plan_year", "expected"), CASES,
                         ids=[f"{i}:{c[0][:30]}" for i, c in enumerate(CASES)])
def test_printed_form(text: str, plan_year: int | None, expected: dict) -> None:
    schedule, warnings = parse_deadline(text, plan_year)
    assert _actual(schedule, warnings) == expected
    if expected["_warn"]:
        assert any(repr(" ".join(text.split()))[1:-1] in w for w in warnings)


def test_table_is_large_and_distinct() -> None:
    keys = [(c[0], c[1]) for c in CASES]
    assert len(set(keys)) == len(keys)
    assert len({c[0] for c in CASES}) >= 100


def test_blank_and_none_are_unspecified_without_warning() -> None:
    assert parse_deadline(None, 2023) == (Schedule(), [])
    assert parse_deadline(None, None) == (Schedule(), [])


def _expected_for(text: str, plan_year: int) -> dict:
    """The table's schedule for a seed deadline: the case with the same plan year, or
    one whose schedule has no date (then the plan year does not matter)."""
    same = [c[2] for c in CASES if c[0] == text and c[1] == plan_year]
    undated = [c[2] for c in CASES if c[0] == text and not c[2]["due"] and not c[2]["periods"]]
    found = same or undated
    assert found, f"seed deadline {text!r} ({plan_year}) is not in the table"
    return found[0]


SEED_PLANS = ("bd2023.json", "dn2020.json")


def _seed_rows(names=SEED_PLANS) -> list[tuple[str | None, int]]:
    rows = []
    for path in sorted(FIXTURES / name for name in names):
        doc = json.loads(path.read_text(encoding="utf-8"))
        rows += [(row["deadline"], doc["document"]["year"]) for row in doc["rows"]]
    return rows


def test_seed_rows_read_exactly() -> None:
    """Accuracy on the seed rows: every row of both plans gets its table schedule."""
    rows = _seed_rows()
    assert len(rows) >= 50
    exact = 0
    for text, plan_year in rows:
        schedule, warnings = parse_deadline(text, plan_year)
        exact += _actual(schedule, warnings) == _expected_for(text, plan_year)
    assert exact == len(rows)


def test_fixture_variant_rows_read_exactly() -> None:
    """The generated fixture plans (more are added over time): a deadline in the table
    gets its table schedule; any other is at least read completely."""
    names = sorted(p.name for p in FIXTURES.glob("*.json"))
    for text, plan_year in _seed_rows(names):
        schedule, warnings = parse_deadline(text, plan_year)
        if any(c[0] == text for c in CASES):
            assert _actual(schedule, warnings) == _expected_for(text, plan_year), text
        else:
            assert (schedule.confidence, warnings) == (1.0, []), text


def test_task_weekday_refines_a_weekly_rule() -> None:
    task = ("Tại các trung tâm y tế, định kỳ vào thứ sáu hàng tuần, mỗi khoa tổ chức họp "
            "đối thoại với người thân của bệnh nhân")
    weekly, _ = parse_deadline("Hàng tuần", 2020)
    assert task_weekdays(task) == ["FR"]
    assert with_task_weekdays(weekly, task).rrules == ["FREQ=WEEKLY;BYDAY=FR"]
    assert weekly.rrules == ["FREQ=WEEKLY"]                       # the input is not changed
    assert task_weekdays("Họp vào thứ hai") == []                 # not a weekly duty
    quarterly, _ = parse_deadline("Hàng quý", 2020)
    assert with_task_weekdays(quarterly, task) == quarterly


def test_a_repeated_deadline_reads_alike_into_schedules_of_its_own() -> None:
    """Readings are cached per text; every row still gets a schedule and warnings list
    of its own, so changing one row's changes no other."""
    text = "Hàng quý (trước ngày 15 của tháng cuối quý); năm 2024, 30/2/2024"
    first, first_warnings = parse_deadline(text, 2024)
    second, second_warnings = parse_deadline(text, 2024)
    assert (first, first_warnings) == (second, second_warnings) and first_warnings
    assert first is not second and first.rrules is not second.rrules
    first.rrules.append("FREQ=DAILY")
    first_warnings.clear()
    assert parse_deadline(text, 2024) == (second, second_warnings)
    assert parse_deadline("Quý II", 2023)[0].due != parse_deadline("Quý II", 2024)[0].due
