"""Section paths of scanned tables put back from the sequence of their siblings
(`vnplans.table.sections`; docs/table-reading.md, S11). The scans are the benchmark's
(`tests/fixtures/make_scanned.py`, tuning-half plans), made in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from scan_fixtures import matrix_scan

from vnplans.pipeline import extract


def _paths(folder: Path, plan: str, dpi: int, seed: int) -> list[tuple[str | None, list]]:
    rows = extract(matrix_scan(folder, plan, dpi, seed)).model_dump(mode="json")["rows"]
    return [(r["tt"], [(s["tt"], s["title"]) for s in r["section"]]) for r in rows]


@pytest.mark.ocr
def test_numerals_of_sibling_sections(tmp_path):
    """dt2021_district at 200 dpi: under "B" the numerals "I", "II" were read "1" and
    "III"; the sections under "A" are numbered I, II, and so are those under "B"."""
    paths = _paths(tmp_path, "dt2021_district", 200, 1)
    a, b = ("A", "CHỈ SỐ PAPI"), ("B", "CHỈ SỐ PAR INDEX")
    assert [p for _tt, p in paths] == [
        [a, ("I", "Tham gia của người dân ở cấp cơ sở")],
        [a, ("I", "Tham gia của người dân ở cấp cơ sở")],
        [a, ("II", "Kiểm soát tham nhũng trong khu vực công")],
        [b, ("I", "Công tác chỉ đạo")],
        [b, ("I", "Công tác chỉ đạo")],
        [b, ("II", "Cải cách thủ tục hành chính")],
        [b, ("II", "Cải cách thủ tục hành chính")],
    ]


@pytest.mark.ocr
def test_section_row_under_a_long_task_and_its_first_row(tmp_path):
    """cx2022_huyen (no rules) at 150 dpi: the section row "5 Thủ tục hành chính công"
    lies a point closer under the last line of row 4.2's task than the row threshold and
    was read as part of row 4.2, and row 5.1 was read "5."."""
    paths = _paths(tmp_path, "cx2022_huyen", 150, 1)
    assert [tt for tt, _p in paths] == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2",
                                        "4.1", "4.2", "5.1", "5.2", "6.1", "6.2"]
    assert [p[0][0] for _tt, p in paths] == ["1", "1", "2", "2", "3", "3", "4", "4", "5", "5",
                                             "6", "6"]
    assert paths[8][1] == [("5", "Thủ tục hành chính công")]
