"""Contract version 2 read from real and generated plans: inspection plans (Kế hoạch
kiểm tra: the unit inspected, its time and duration) and columns that fill no field,
kept in `extra` by their header text (issue #14, items 3 and 4).

Generated families: `tests/fixtures/office/plans/kt2026_sct.yaml` and its variants and
the `__extras_*` variants in `variants.yaml` (made by `make_office_plans.py --variants`;
the truth is written from the plan data). The inspection rules were tuned on
kt2026_sct alone; its seven variants then read exactly at first reading. The six
extra-column variants were all used for tuning (three needed fixes: extra cells cut by
paragraph spacing or a page break, a wrapped "ST" / "T" header). HELD_OUT_VARIANTS
were made afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_compare import assert_rows_match, expected_and_extracted

from vnplans.errors import NoAppendixError
from vnplans.pipeline import extract

REAL = Path(__file__).parent / "data" / "real"
OFFICE = Path(__file__).parent / "fixtures" / "office"
VARIANTS = OFFICE / "variants"

INSPECTION_VARIANTS = [
    "kt2026_sct__horizontal",
    "kt2026_sct__none",
    "kt2026_sct__4col",
    "kt2026_sct__4col_none",
    "kt2026_sct__intro",
    "kt2026_sct__13pt_horizontal",
    "kt2026_sct__portrait_4col",
]
# Made after the fixes for the lists above and scored before any change: 3 of 4 read
# exactly at once; kt2026_sct__none_sp0 then needed "03 ngày" not to read as a phrase
# cut by the page break ("… ngày" waits for a date only without a number before it).
HELD_OUT_VARIANTS = [
    "kt2026_sct__none_sp0",
    "kt2026_sct__arial_horizontal",
    "pt2024_stttt__extras_budget",
    "ldg2023_stnmt__extras_follow",
]
EXTRA_COLUMN_VARIANTS = [
    "ntn2023_stp__extras_right",
    "qng2024_snv__extras_mid",
    "cx2022_huyen__extras_none",
    "tb2021_ubnd__extras_leader",
    "ntn2023_stp__extras_none",
    "qng2024_snv__extras_start",
]


@pytest.fixture(scope="module")
def qd1050():
    return extract(REAL / "QD-1050-kiem-tra-VLNCN-2026.pdf")


def test_real_inspection_plan_reads_every_row(qd1050):
    # Checked against the transcript beside the PDF: three units, the first two with
    # two projects each (sub-rows sharing the number, the unit and its address).
    yen_bai = ("Công ty cổ phần xây dựng giao thông Yên Bái",
               "Số 779, TDP Nguyễn Thái học 7, phường Yên Bái, tỉnh Lào Cai")
    truong_son = ("Tổng công ty xây dựng Trường Sơn",
                  "KM6+500, Đại lộ Thăng Long, phường Xuân Phương, thành phố Hà Nội")
    mu_cang_chai = ("Gói thầu số {} lý trình {} thuộc dự án công trình đường kết nối Mường La "
                    "(Sơn La), Than Uyên, Tân Uyên (Lai Châu), Mù Cang Chải, Văn Chấn (Yên Bái) "
                    "với đường cao tốc Nội Bài - Lào Cai (IC15) xã Nậm Có, tỉnh Lào Cai")
    assert [(r.tt, r.inspected, r.extra["Địa chỉ Doanh nghiệp"], r.extra["Tên và địa chỉ Dự án"])
            for r in qd1050.rows] == [
        ("1", *yen_bai,
         "Gói thầu số 13: Thi công công trình nối Quốc lộ 32 với cao tốc Nội Bài - Lào Cai "
         "(IC14) đoạn thi công từ Km0 - Km2+571 và khu tái định cư 1, phường Trung Tâm và xã "
         "Liên Sơn, tỉnh Lào Cai"),
        ("1", *yen_bai,
         "Gói thầu số 14: Thi công công trình đường kết nối Mường La (Sơn La), Than Uyên, "
         "Tân Uyên (Lai Châu), xã Mù Cang Chải, tỉnh Lào Cai"),
        ("2", *truong_son, mu_cang_chai.format(16, "Km26+793+ Km30+00")),
        ("2", *truong_son, mu_cang_chai.format(23, "Km30+00 - Km40+00")),
        ("3", "Công ty TNHH Hiệp Phú", "Tổ dân phố Chè 8, phường An Tường, tỉnh Tuyên Quang",
         "Gói thầu số 15: Thi công công trình đường kết nối Mường La (Sơn La), Than Uyên, "
         "Tân Uyên (Lai Châu), xã Mù Cang Chải, tỉnh Lào Cai"),
    ]
    assert [r.inspected_units for r in qd1050.rows][::2] == [
        ["Công ty cổ phần xây dựng giao thông Yên Bái"], ["Tổng công ty xây dựng Trường Sơn"],
        ["Công ty TNHH Hiệp Phú"]]
    assert all(r.task is None and r.lead is None and r.deadline is None and r.pages == [4]
               for r in qd1050.rows)


def test_real_inspection_plan_lists_its_table(qd1050):
    assert [t.model_dump() for t in qd1050.tables] == [{
        "number": 1, "title": None, "kind": "inspection", "pages": [4],
        "columns": [{"header": "TT", "role": "tt"},
                    {"header": "Đơn vị kiểm tra", "role": "inspected"},
                    {"header": "Địa chỉ Doanh nghiệp", "role": None},
                    {"header": "Tên và địa chỉ Dự án", "role": None}]}]
    assert qd1050.document.number == "1050" and qd1050.document.symbol == "QĐ-SCT"
    assert not any("no task text" in w for w in qd1050.warnings)
    # Its landscape table ends 123 pt above the page's foot, lower than a fifth of the
    # page but well above where the portrait pages' text runs down to: not cut off.
    assert qd1050.warnings == ["page 4: appendix table has no deadline column"]


def test_a_notice_about_the_inspection_is_still_refused():
    with pytest.raises(NoAppendixError):
        extract(REAL / "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf")


def test_generated_inspection_plan_fields():
    _expected, got = expected_and_extracted(OFFICE, "kt2026_sct")
    rows = got["rows"]
    assert got["tables"][0]["kind"] == "inspection"
    assert [r["duration_days"] for r in rows] == [2, 2, 1, 2, 2, 3, 2, 3, 2, 2, 1]
    assert rows[1]["inspected_units"] == ["Công ty cổ phần Xăng dầu, Vận tải và Thương mại Thái Hưng"]
    # The time merged over rows 1 and 2 is each row's deadline and schedule.
    assert rows[1]["deadline"] == "Tháng 3/2026"
    assert rows[1]["schedule"]["due"] == "2026-03-31"
    assert rows[6]["schedule"]["due"] == "2026-06-30"
    assert rows[6]["section"] == [{"tt": "II", "title": "SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP"}]


@pytest.mark.parametrize("name", INSPECTION_VARIANTS + EXTRA_COLUMN_VARIANTS + HELD_OUT_VARIANTS)
def test_variant_reads_exactly(name: str) -> None:
    expected, got = expected_and_extracted(VARIANTS, name)
    assert_rows_match(name, expected, got)


def test_a_weak_lead_column_yields_to_the_lead():
    # "Cơ quan tham mưu" names a lead by itself; beside "Cơ quan chủ trì" it is extra.
    _expected, got = expected_and_extracted(VARIANTS, "tb2021_ubnd__extras_leader")
    roles = {c["header"]: c["role"] for c in got["tables"][0]["columns"]}
    assert roles["Cơ quan tham mưu"] is None and roles["Cơ quan chủ trì"] == "lead"
    assert got["rows"][0]["extra"]["Cơ quan tham mưu"] == "Văn phòng UBND tỉnh"


def test_show_lists_the_unit_inspected_and_the_extra_columns(qd1050) -> None:
    """`vnplans show` of an inspection plan: the unit inspected and every extra column by
    its printed header, beside the plan columns."""
    from vnplans.cli.show import assignment_table

    columns, rows = assignment_table(qd1050)
    assert columns == ("tt", "section", "task", "lead", "support", "inspected", "deadline",
                       "due", "index", "Địa chỉ Doanh nghiệp", "Tên và địa chỉ Dự án")
    first = dict(zip(columns, rows[0], strict=True))
    assert first["inspected"] == "Công ty cổ phần xây dựng giao thông Yên Bái"
    assert first["Địa chỉ Doanh nghiệp"].startswith("Số 779, TDP Nguyễn Thái học 7")
    assert [row[0] for row in rows] == ["1", "1", "2", "2", "3"]
