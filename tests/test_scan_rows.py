"""Rows of scanned tables not lost to the page image: a narrow column Tesseract read as
one tall word, a two-line header cell read as one line, a rule broken by a seal, a
column-number row with a number not read, a "STT" header read "SITT"
(docs/table-reading.md, S7–S10). The scans are the benchmark's
(`tests/fixtures/make_scanned.py`, tuning-half plans), made in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from scan_fixtures import matrix_scan

from vnplans.ir import Rule
from vnplans.pipeline import extract
from vnplans.textlayer.scan import _join


def _rows(folder: Path, plan: str, dpi: int, seed: int) -> list[dict]:
    """The rows read from the benchmark's scan of `plan` (bench_scan_matrix.py)."""
    return extract(matrix_scan(folder, plan, dpi, seed)).model_dump(mode="json")["rows"]


def test_rule_broken_by_a_seal_is_one_rule():
    """The two pieces of a rule a seal broke lie a fraction of a point apart; the right
    piece sorts first and the pieces were kept apart, so the table's top rule was not
    found as spanning the table."""
    pieces = [Rule(59.0, 260.1, 362.9, 260.1), Rule(370.8, 259.9, 797.0, 259.9)]
    joined = _join(pieces, True, 24.0)
    assert len(joined) == 1
    assert (joined[0].x0, joined[0].x1) == (59.0, 797.0)
    assert len(_join([Rule(59.0, 260.0, 300.0, 260.0), Rule(340.0, 260.0, 797.0, 260.0)],
                     True, 24.0)) == 2


@pytest.mark.ocr
def test_tt_column_read_as_one_tall_word(tmp_path):
    """cx2022_huyen (no rules) at 150 dpi: Tesseract read the TT column's "Số", "TT",
    "1", "1.1" as one word 60 pt tall; the header had no TT column and page 2 gave no
    row. Dropped, its lines are read one by one by the second pass."""
    rows = _rows(tmp_path, "cx2022_huyen", 150, 2)
    assert [r["tt"] for r in rows] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2",
                                       "4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]
    assert rows[0]["task"].startswith("Tổ chức bầu cử trưởng thôn, tổ dân phố")
    assert rows[0]["lead"] == "Phòng Nội vụ"


@pytest.mark.ocr
def test_two_line_header_cell_and_short_last_page(tmp_path):
    """lc2025_sipas_norules (no rules) at 150 dpi: "Thời gian thực / hiện" was read as
    one line "Thời hiện thực" and named no role, so no row had a deadline; read again
    line by line, it names the deadline."""
    rows = _rows(tmp_path, "lc2025_sipas_norules", 150, 3)
    assert [r["tt"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [r["deadline"] for r in rows if r["tt"] in ("1", "4", "6", "7")] == [
        "Quý I/2025", "Thường xuyên", "Quý IV/2025", "Thường xuyên"]
    assert [r["section"][0]["title"] for r in rows] == (
        ["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)"] * 4 + ["CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS)"] * 3)


@pytest.mark.ocr
def test_seal_on_a_rule_and_a_page_upside_down(tmp_path):
    """tq2025_pci (ruled) at 200 dpi, page 3 scanned upside down with the seal on the
    top rule of table "b)": row 8 was lost and table b's rows had no section."""
    rows = _rows(tmp_path, "tq2025_pci", 200, 2)
    assert [r["tt"] for r in rows] == [str(k) for k in range(1, 9)] + [
        str(k) for k in range(1, 7)]
    assert rows[7]["task"].startswith("Kiểm tra, giám sát việc thực thi công vụ")
    assert rows[7]["lead"] == "Sở Nội vụ"
    assert [r["table"] for r in rows] == [1] * 8 + [2] * 6


@pytest.mark.ocr
def test_column_numbers_with_one_not_read(tmp_path):
    """ag2025_snv (ruled) at 200 dpi: page 3's column-number row reads "(1) (2) (3)
    (4) (6)", "(5)" not read at all; it was a row, and row 4 continued on page 3 was
    cut in two."""
    rows = _rows(tmp_path, "ag2025_snv", 200, 3)
    numbered = [r["tt"] for r in rows if r["tt"]]
    assert numbered == ["1", "2", "3", "4", "5", "6", "7", "8"]
    row4 = next(r for r in rows if r["tt"] == "4")
    assert row4["task"] == ("Tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra cải cách hành "
                            "chính năm 2025; tổ chức kiểm tra ít nhất 30% cơ quan, đơn vị "
                            "cấp tỉnh, cấp huyện.")
    assert row4["deadline"] == "Trước ngày 15/3/2025"


@pytest.mark.ocr
def test_short_header_with_a_letter_too_many(tmp_path):
    """qng2024_snv (ruled) at 200 dpi: the TT header read "SITT" named no role; every
    row lost its number and the section numbers ran into the section titles."""
    rows = _rows(tmp_path, "qng2024_snv", 200, 3)
    # (Row 1's "1.1" reads "11": the text, not the grid.)
    assert [r["tt"] for r in rows][1:6] == ["1.2", "1.3", "2.1", "2.2", "3.1"]
    assert [(s["tt"], s["title"]) for s in rows[3]["section"]][-1] == ("2", "Cải cách thể chế")
