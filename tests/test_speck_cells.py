"""A scanned cell whose whole reading is unsure marks holds specks (dust, show-through,
a border's remains) and is empty (`ocr_marks.speck_cell`, emptied by
`table.rows` before rows are put together): a section row with a speck in an empty
cell stays a section row (its rows keep their section path), a task row's empty lead
is no "-". A sure dash, a letter ("x"), a number and any cell of a text layer stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from scan_fixtures import matrix_scan

from vnplans.ir import Page
from vnplans.pipeline import extract
from vnplans.table.locate import Fragment
from vnplans.table.model import Band, Cell, Column, Header
from vnplans.table.rows import assemble_table
from vnplans.textlayer.ocr_marks import SPECK_CELL_CONFIDENCE, speck_cell

ROLES = ("tt", "task", "lead", "support", "deadline")


@pytest.mark.parametrize(("text", "confidence"), [
    ("ˆ", 0.27),  # kh2022_chars, 150 dpi, seed 12: dust beside a section title
    ("-", 0.45),
    (".", 0.6),
    ("'", 0.5),
    ("_", 0.3),
    ("~", 0.7),
    ("|", 0.6),
    (". -", 0.4),
])
def test_unsure_marks_alone_are_specks(text, confidence):
    assert speck_cell(text, confidence)


@pytest.mark.parametrize(("text", "confidence"), [
    ("-", 0.95),  # a printed dash, read sure
    ("-", SPECK_CELL_CONFIDENCE),
    ("-", None),  # a text layer's cell
    ("x", 0.3),  # a mark of a schedule table
    ("1", 0.3),  # a row number
    ("II", 0.4),
    ("- Công an tỉnh", 0.4),  # a bullet item
    ("Quý I/2025", 0.5),
    ("…", 0.5),
    ("", 0.3),
    (None, 0.3),
])
def test_text_is_no_speck(text, confidence):
    assert not speck_cell(text, confidence)


def _cell(text: str | None, confidence: float | None) -> Cell:
    cell = Cell(pages={2})
    if text:
        cell.lines = [text]
        cell.boxes = [(2, 0.0, 12.0)]
        cell.confidence = confidence
    return cell


def _table(rows: list[tuple]) -> list:
    """One ruled table fragment whose bands hold `rows`: (text, confidence) per role."""
    columns = [Column(50.0 + 100 * i, 150.0 + 100 * i, role) for i, role in enumerate(ROLES)]
    header = Header(2, 50.0, 80.0, 50.0, 550.0, columns, ruled=True)
    page = Page(2, 842.0, 595.0, text_source="ocr")
    bands = []
    for k, row in enumerate(rows):
        cells = [_cell(text, conf) for text, conf in row]
        bands.append(Band(2, 100.0 + 40 * k, 140.0 + 40 * k, cells, [True] * len(cells)))
    fragment = Fragment(page, header, 80.0, 100.0 + 40 * len(rows), True, False)
    return [(fragment, bands)]


# The cells of kh2022_chars's first rows as OCR read them (150 dpi, confidences as read),
# with the specks of the matrix's scans in the empty cells.
SECTION = [("1", 0.96), ("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", 0.96),
           (None, None), ("ˆ", 0.27), ("-", 0.45)]
ROW_1_1 = [("1.1", 0.84), ("Duy trì, nâng cấp Hệ thống thông tin giải quyết thủ tục "
                           "hành chính của tỉnh", 0.85),
           ("Trung tâm Công nghệ thông tin và Truyền thông", 0.72), ("'", 0.5),
           ("Thường xuyên", 0.96)]
ROW_1_2 = [("1.2", 0.96), ("Đánh giá mức độ an toàn thông tin của các hệ thống", 0.42),
           ("Phòng Bưu chính - Viễn thông và Công nghệ thông tin", 0.91),
           ("- Công an tỉnh;", 0.93), ("-", 0.95)]


def test_specks_in_empty_cells_of_a_scanned_table():
    rows, _warnings = assemble_table(_table([SECTION, ROW_1_1, ROW_1_2]))
    assert [r.tt for r in rows] == ["1.1", "1.2"]
    section = [("1", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số")]
    assert [[(s.tt, s.title) for s in r.section] for r in rows] == [section, section]
    assert rows[0].support is None  # "'" read from a speck
    assert rows[0].lead == "Trung tâm Công nghệ thông tin và Truyền thông"
    assert rows[1].support == "- Công an tỉnh;"  # a bullet item stays
    assert rows[1].deadline == "-"  # a dash read sure is printed
    assert rows[0].confidence == 0.72  # the specks' confidence is no row's


def test_a_speck_in_the_tt_cell_of_a_row_going_on_after_a_page_break():
    """tq2025_pci at 150 dpi, seed 16: row 5's task, lead and deadline go on at the top
    of page 3, whose empty TT cell read "-" at 0.91 (a speck sure enough to stay a
    cell's text); it was a row "-" of its own. A row starting mid-sentence ("được
    giao …") has no number of marks: it is the rest of row 5."""
    page_2 = _table([[("5", 0.96), ("Triển khai các nhiệm vụ cải thiện chỉ số thành phần", 0.82),
                      ("Theo phân công tại Quyết định số 1737/QĐ-UBND", 0.68),
                      (None, None), ("Trước 15/12/2025", 0.96)]])
    page_3 = _table([[("-", 0.91), ("được giao tại Kế hoạch này; báo cáo kết quả thực hiện "
                                    "định kỳ.", 0.9), ("ngày 17/10/2025 của Chủ tịch UBND tỉnh", 0.9),
                      (None, None), (None, None)],
                     [("6", 0.97), ("Tổ chức hội nghị đối thoại", 0.9), ("Sở Tài chính", 0.97),
                      (None, None), ("Quý IV/2025", 0.93)]])
    rows, _warnings = assemble_table(page_2 + page_3)
    assert [r.tt for r in rows] == ["5", "6"]
    assert rows[0].task == ("Triển khai các nhiệm vụ cải thiện chỉ số thành phần được giao tại "
                            "Kế hoạch này; báo cáo kết quả thực hiện định kỳ.")
    assert rows[0].lead == ("Theo phân công tại Quyết định số 1737/QĐ-UBND ngày 17/10/2025 "
                            "của Chủ tịch UBND tỉnh")
    # A dash in the TT cell of a row of its own (a capital: no sentence going on) stays.
    page_3 = _table([[("-", 0.91), ("Tổ chức tập huấn", 0.9), ("Sở Nội vụ", 0.9),
                      (None, None), ("Năm 2025", 0.9)]])
    rows, _warnings = assemble_table(_table([[("5", 0.96), ("Triển khai", 0.82),
                                              ("Sở Tài chính", 0.9), (None, None),
                                              ("Năm 2025", 0.96)]]) + page_3)
    assert [r.tt for r in rows] == ["5", "-"]


@pytest.mark.parametrize(("title", "printed"), [
    # cx2022_huyen 200 dpi seed 22: a "-" after the title, read from a speck.
    ("Cung ứng dịch vụ công -", "Cung ứng dịch vụ công"),
    # bdg2024_skhdt 150 dpi seed 42: a quote that nothing closes, before a word.
    ("CHỈ SỐ TÍNH NĂNG ĐỘNG CỦA “CHÍNH QUYỀN TỈNH", "CHỈ SỐ TÍNH NĂNG ĐỘNG CỦA CHÍNH QUYỀN TỈNH"),
    ("Cải cách (thể chế)", "Cải cách (thể chế)"),
])
def test_a_scanned_section_title_loses_the_marks_at_its_edges(title, printed):
    section = [("6", 0.96), (title, 0.92), (None, None), (None, None), (None, None)]
    row = [("6.1", 0.96), ("Niêm yết công khai thủ tục", 0.95), ("Văn phòng", 0.95),
           (None, None), ("Năm 2022", 0.95)]
    rows, _warnings = assemble_table(_table([section, row]))
    assert [(s.tt, s.title) for s in rows[0].section] == [("6", printed)]
    # A text layer's title is as printed.
    native = [[(text, None) for text, _conf in r] for r in (section, row)]
    rows, _warnings = assemble_table(_table(native))
    assert rows[0].section[0].title == title


def test_a_text_layer_dash_is_text():
    """Born-digital cells carry no confidence: their marks are printed."""
    native = [[(text, None) for text, _conf in row] for row in (SECTION, ROW_1_1)]
    rows, _warnings = assemble_table(_table(native))
    # (The section row's "-" and "ˆ" are printed: it is a task row of its own.)
    assert [r.tt for r in rows] == ["1", "1.1"]
    assert rows[0].deadline == "-"
    assert rows[1].support == "'"


@pytest.mark.ocr
def test_speck_beside_a_section_title(tmp_path: Path):
    """kh2022_chars at 150 dpi, seed 12: dust in the empty support cell of the section
    row "1. Xây dựng và phát triển …" was read "ˆ" (confidence 0.27) and joined the
    section title of rows 1.1–1.4."""
    doc = extract(matrix_scan(tmp_path, "kh2022_chars", 150, 12)).model_dump(mode="json")
    rows = doc["rows"]
    assert [r["tt"] for r in rows[:3]] == ["1.1", "1.2", "1.3"]
    assert {r["section"][0]["title"] for r in rows[:4]} == {
        "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"}
