"""Unit lists and deadlines as 2026 plans print them, through the whole chain, on one
plan in five table styles (tests/fixtures/office: qng2026_ubnd, ruled; variants
without borders at 1 and 0 pt spacing, with horizontal rules in Arial 14 pt, and on a
portrait appendix): the localities kept, "cơ quan, địa phương" one group, the
commune level of xã, phường and đặc khu; every milestone of a cell, times of day,
"Thường xuyên trong tháng" continuous."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from vnplans.pipeline import extract

OFFICE = Path(__file__).parent / "fixtures" / "office"
PDFS = [OFFICE / "pdfs" / "qng2026_ubnd.pdf",
        *(OFFICE / "variants" / "pdfs" / f"qng2026_ubnd__{style}.pdf"
          for style in ("none", "none_sp0", "horizontal_arial14", "portrait"))]

DEPARTMENTS_AND_LOCALITIES = ["Các sở, ban, ngành", "Các địa phương"]
# tt → (lead units, support units)
UNITS = {
    "1": (["Sở Nông nghiệp và Môi trường"], DEPARTMENTS_AND_LOCALITIES),
    "2": (["Văn phòng Ủy ban nhân dân tỉnh"], ["Các cơ quan, địa phương"]),
    "3": (["Sở Tài chính"], ["Ủy ban nhân dân cấp xã"]),
    "4": (["Các sở, ban, ngành"], ["Trung tâm Phục vụ hành chính công tỉnh"]),
    "5": (["Sở Tư pháp"], ["Các cơ quan, đơn vị, địa phương"]),
    "6": (["Sở Tài chính"], DEPARTMENTS_AND_LOCALITIES),
}
# tt → (kind, due, milestones, times, detail)
SCHEDULES = {
    "1": ("period", date(2026, 8, 31),
          [date(2026, 1, 31), date(2026, 6, 30), date(2026, 8, 31)], [], None),
    "2": ("continuous", None, [], [], "trong tháng"),
    "3": ("deadline", date(2026, 1, 23), [], [(time(20, 15), time(20, 45))], None),
    "4": ("deadline", date(2026, 7, 15), [date(2026, 1, 15), date(2026, 7, 15)], [], None),
    "5": ("deadline", date(2026, 11, 30), [], [(time(17, 30), None)], None),
    "6": ("deadline", date(2026, 12, 30), [date(2026, 6, 30), date(2026, 12, 30)], [], None),
}


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.stem)
def document(request):
    return extract(request.param)


def test_units_of_every_row(document) -> None:
    got = {row.tt: (row.lead_units, row.support_units) for row in document.rows}
    assert got == UNITS
    assert not [w for w in document.warnings if "unknown unit" in w]


def test_schedule_of_every_row(document) -> None:
    got = {row.tt: (row.schedule.kind, row.schedule.due, row.schedule.milestones,
                    [(t.start, t.end) for t in row.schedule.times], row.schedule.detail)
           for row in document.rows}
    assert got == SCHEDULES
    assert not [w for w in document.warnings if "deadline" in w]


def test_header_block_of_a_wrapped_issuer(document) -> None:
    """ "ỦY BAN NHÂN DÂN TỈNH" / "QUẢNG NGÃI" (the column wraps the name, both bold): one
    issuer, no authority."""
    assert (document.document.authority, document.document.issuer) == (
        None, "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
