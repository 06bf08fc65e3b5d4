"""Scanned tables read as their born-digital PDFs are: the table geometry of OCR'd pages.

OCR words are placed on their baselines with font-sized boxes (a table without rules
is cut into rows by whitespace, which ink boxes 10–22 pt tall on 14 pt text hid); a
scanned row number a little closer under the one above than the row threshold still
opens a row; a repeated header read with a speck as a column or a border lost keeps
the table's first grid; a header cell with a letter misread still names its role; a
column-number row with misread numbers is part of the header; specks in an empty cell
are no text; a first column whose header the scan lost or misread holds the row
numbers, also where no rule placed that column; a letter's stem touching a rule is no
column border; a page lying sideways in the scanner is turned. The plans are the
committed office scan and scans of the matrix (`tests/fixtures/make_scanned.py`, the
benchmark's generator) made in a temporary folder (docs/table-reading.md, S1–S6, S12,
S13)."""

from __future__ import annotations

import pytest
from scan_fixtures import FIXTURES, matrix_scan

from vnplans.pipeline import extract, read_pages

OFFICE_SCAN = FIXTURES / "office" / "variants" / "pdfs" / "cx2022_huyen__scan.pdf"


@pytest.fixture(scope="module")
def office_scan_rows() -> list[dict]:
    return extract(OFFICE_SCAN).model_dump(mode="json")["rows"]


@pytest.mark.ocr
def test_unruled_scan_keeps_section_rows_apart(office_scan_rows):
    """cx2022_huyen printed without rules and scanned: the section rows "2 Công khai,
    minh bạch …" and "5 Thủ tục hành chính công" are rows of their own, not merged
    with the row under them (which took the section's number and title into its TT
    and task, and the section path of the section before)."""
    rows = office_scan_rows
    assert len(rows) == 12
    assert [[s["tt"] for s in r["section"]] for r in rows] == [
        ["1"], ["1"], ["2"], ["2"], ["3"], ["3"], ["4"], ["4"], ["5"], ["5"], ["6"], ["6"]]
    assert rows[2]["tt"] == "2.1"
    assert rows[2]["task"].startswith("Công khai danh sách hộ nghèo, hộ cận nghèo")
    assert rows[2]["lead"] == "Phòng Lao động - Thương binh và Xã hội"
    assert rows[3]["lead"] == "Phòng Tài nguyên và Môi trường"
    assert rows[8]["task"].startswith("Nâng cao chất lượng hoạt động của Bộ phận")
    assert rows[2]["section"][0]["title"] == "Công khai, minh bạch trong việc ra quyết định ở địa phương"


@pytest.mark.ocr
def test_ocr_words_sit_on_their_baselines():
    """The page pass's words have one font size tall box each, on their line's
    baseline: the lines of a cell are evenly spaced and a row's first line is further
    from the line above than any line of a cell is."""
    page = read_pages(OFFICE_SCAN).pages[1]
    task = sorted({(round(w.y0, 1), round(w.y1, 1)) for w in page.words
                   if 95 <= w.x0 <= 105 and 160 < w.y0 < 270 and w.origin == "ocr"})
    heights = [b - a for a, b in task]
    assert max(heights) - min(heights) < 0.15  # (the boxes are rounded above)
    gaps = [b0 - a1 for (_a0, a1), (b0, _b1) in zip(task, task[1:], strict=False)]
    # Lines of cells 1.1 and 1.2 ("Tổ chức …" 3 lines, "Hướng dẫn …" 4 lines): two
    # line gaps, the row gap, three line gaps.
    assert len(gaps) == 6
    line_gaps = gaps[:2] + gaps[3:]
    assert max(line_gaps) - min(line_gaps) < 1.0
    assert gaps[2] > max(line_gaps) + 1.0


@pytest.fixture(scope="module")
def matrix_scans(tmp_path_factory) -> dict[str, list[dict]]:
    folder = tmp_path_factory.mktemp("scan-matrix")
    return {plan: extract(matrix_scan(folder, plan, 200, 1)).model_dump(mode="json")["rows"]
            for plan in ("lc2025_sipas_norules", "ag2025_snv")}


@pytest.mark.ocr
def test_one_grid_across_the_pages_of_a_scanned_table(matrix_scans):
    """lc2025_sipas_norules (no rules) scanned at 200 dpi: page 3 repeats the header
    with a speck read as a header word, which made a column of its own and a new
    table (row 7 lost, an empty spurious row); the table's first grid is kept. The lead
    column's header reads "Cơ quan chủ tì" and still names the lead. Rows 1–3 were
    one row (lines of a cell further apart than rows)."""
    rows = matrix_scans["lc2025_sipas_norules"]
    assert [r["tt"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7"]
    assert rows[6]["pages"] == [3]
    assert rows[6]["task"].startswith("Chấn chỉnh thái độ, tác phong của công chức")
    assert rows[0]["task"].endswith("kiểm tra công tác cải cách hành chính.")
    assert rows[1]["task"].startswith("Tổ chức kiểm tra công tác cải cách hành chính")
    assert rows[2]["task"].startswith("Thẩm định kết quả tự đánh giá")
    assert [rows[k]["lead"] for k in (0, 1, 5)] == ["Phòng Cải cách hành chính"] * 3


@pytest.mark.ocr
def test_scanned_column_number_row_is_header(matrix_scans):
    """ag2025_snv (ruled) scanned at 200 dpi: the "(1) (2) … (6)" row under the header,
    read with a speck ("(4) -") on page 2 and misread ("q) (2) (3) (4. 46).") on page
    3, is part of the header, not a row. (Left: two section rows "a", "b" become rows
    of their own where a speck in their empty lead cell reads "To".)"""
    rows = matrix_scans["ag2025_snv"]
    numbered = [r["tt"] for r in rows if r["tt"] and r["tt"][0].isdigit()]
    assert numbered == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert not [r for r in rows if (r["task"] or "").startswith("(")]
    assert rows[0]["task"].startswith("Bố trí nơi ngồi chờ")


@pytest.mark.ocr
def test_lost_tt_header_still_makes_the_tt_column(tmp_path):
    """qng2024_snv at 150 dpi, seed 21 (speckle, show-through, 1.7° skew): "STT" of
    page 2's header is not read at all, so its column named no role; the row numbers
    ran into the section titles ("Cải cách thể chế 2") and every row lost its TT and
    its section. The narrow first column of row numbers is the TT column."""
    plan = extract(matrix_scan(tmp_path, "qng2024_snv", 150, 21)).model_dump(mode="json")
    rows = plan["rows"]
    assert [r["tt"] for r in rows] == ["1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "3.2",
                                       "3.3", "1", "2", "3", "4"]
    assert [s["tt"] for s in rows[3]["section"]] == ["I", "2"]
    assert rows[3]["section"][1]["title"] == "Cải cách thể chế"
    assert rows[8]["section"][0]["title"] == "NÂNG CAO CHỈ SỐ HÀI LÒNG (SIPAS)"


@pytest.mark.ocr
def test_page_lying_sideways_at_150_dpi_is_turned(tmp_path):
    """qb2023_portrait scanned at 150 dpi with its appendix page lying sideways: read
    upright and upside down it gives short unsure words (not words on end), so the
    quarter turns are read too; rows 1–8 of that page were lost."""
    rows = extract(matrix_scan(tmp_path, "qb2023_portrait", 150, 2)).model_dump(mode="json")["rows"]
    assert [r["tt"] for r in rows[:9]] == ["1", "2", "3", "4", "5", "6", "7", "8", "9"]
    assert rows[0]["task"].startswith("Ban hành Kế hoạch cải cách hành chính")
    assert rows[4]["section"][0]["tt"] == "II" and rows[7]["section"][0]["tt"] == "III"


def test_scrambled_header_words_name_their_role():
    """A two-line header cell read as one line, words out of order and one lost."""
    from vnplans.table.headers import _scrambled_role, vocabulary
    from vnplans.table.settings import DEFAULTS

    vocab = vocabulary()
    assert _scrambled_role(vocab, "thời hiện thực", set(), DEFAULTS) == "deadline"
    assert _scrambled_role(vocab, "thời hiện thực", {"deadline"}, DEFAULTS) is None
    # Too few words to say, or words of no phrase.
    assert _scrambled_role(vocab, "hiện thực", set(), DEFAULTS) is None
    assert _scrambled_role(vocab, "thời hiện thực nay", set(), DEFAULTS) is None
    # One word misread by a letter where another was lost ("gian" lost, "hiện" read
    # "biện"); not two.
    assert _scrambled_role(vocab, "thời biện thực", set(), DEFAULTS) == "deadline"
    assert _scrambled_role(vocab, "thời biện thục", set(), DEFAULTS) is None


@pytest.mark.ocr
def test_deadline_column_with_its_header_read_out_of_order(tmp_path):
    """lc2025_sipas_norules at 150 dpi, seed 22: the deadline header ("Thời gian" over
    "thực hiện") reads "Thời hiện thực"; the column was an extra one and every row
    lost its deadline."""
    plan = extract(matrix_scan(tmp_path, "lc2025_sipas_norules", 150, 22)).model_dump(mode="json")
    assert [c["role"] for c in plan["tables"][0]["columns"]] == [
        "tt", "task", "deadline", "lead", "support"]
    assert [r["deadline"] for r in plan["rows"][:3]] == [
        "Quý I/2025", "Quý II, III/2025", "Tháng 11, 12/2025"]


@pytest.mark.ocr
def test_deadline_header_read_out_of_order_with_a_word_misread(tmp_path):
    """lc2025_sipas_norules at 200 dpi, seed 41: the deadline header reads "Thời biện
    thực" ("gian" lost, "hiện" read "biện" on its line); every row lost its deadline."""
    plan = extract(matrix_scan(tmp_path, "lc2025_sipas_norules", 200, 41)).model_dump(mode="json")
    assert [r["deadline"] for r in plan["rows"]] == [
        "Quý I/2025", "Quý II, III/2025", "Tháng 11, 12/2025", "Thường xuyên", "Quý III/2025",
        "Quý IV/2025", "Thường xuyên"]


@pytest.mark.ocr
def test_deadline_header_split_into_columns_by_its_ocr_lines(tmp_path):
    """lc2025_sipas_norules (no rules) at 150 dpi, seed 41: the OCR put "Thời" and
    "thực" on one line, "gian" on the line of the one-line header cells and "hiện"
    below; the columns placed from the header text made three columns of them, none a
    deadline, and every row lost its deadline to an extra column "Thời"."""
    plan = extract(matrix_scan(tmp_path, "lc2025_sipas_norules", 150, 41)).model_dump(mode="json")
    assert [c["role"] for c in plan["tables"][0]["columns"]] == [
        "tt", "task", "deadline", "lead", "support"]
    assert [r["deadline"] for r in plan["rows"]] == [
        "Quý I/2025", "Quý II, III/2025", "Tháng 11, 12/2025", "Thường xuyên", "Quý III/2025",
        "Quý IV/2025", "Thường xuyên"]
    assert all(not r["extra"] for r in plan["rows"])


@pytest.mark.ocr
@pytest.mark.parametrize(("plan", "seed", "numerals"), [
    # "ỊI": a speck read with it, unsure; taken as "II", the next section ("H") was "III".
    ("ag2025_snv", 42, ["I"] * 4 + ["II"] * 5),
    # "211": a reading far wider than the cell, over "I" and the margin.
    ("qb2023_portrait", 21, ["I"] * 4 + ["II"] * 3 + ["III"] * 3),
])
def test_section_numeral_misread_is_read_again_alone(tmp_path, plan, seed, numerals):
    """At 300 dpi the page read section "I" unsure and as no numeral (or as one far
    wider than its cell); the TT cell read alone says "I"."""
    rows = extract(matrix_scan(tmp_path, plan, 300, seed)).model_dump(mode="json")["rows"]
    assert [r["section"][0]["tt"] for r in rows] == numerals


@pytest.mark.ocr
def test_tt_header_lost_from_a_table_ruled_across_only(tmp_path):
    """tb2021_ubnd (horizontal rules only) at 150 dpi, seed 41: on page 3 the scan
    lost "STT" from the repeated header; the columns, placed from the header text,
    began at the task, and the first row number left of them ended the table: rows
    7–11 were lost. The numbers left of the table make the TT column (S12)."""
    rows = extract(matrix_scan(tmp_path, "tb2021_ubnd", 150, 41)).model_dump(mode="json")["rows"]
    page3 = [r for r in rows if r["pages"] == [3]]
    assert [r["tt"] for r in page3] == ["7", "8", "9", "10", "11"]
    assert page3[0]["task"].startswith("Rút ngắn thời gian giải quyết thủ tục giao đất")
    assert page3[0]["lead"] == "Sở Tài nguyên và Môi trường"
    assert [[s["tt"] for s in r["section"]] for r in page3] == [
        ["B", "I"], ["B", "I"], ["B", "II"], ["B", "II"], ["B", "II"]]


@pytest.mark.ocr
def test_tt_header_misread_past_recognition(tmp_path):
    """qng2024_snv at 300 dpi, seed 41: "STT" reads "SITL", two edits from any role
    phrase; the numbers under it joined the section titles ("Công tác chỉ đạo, điều
    hành cải cách hành chính 1") and every row lost its number (S12)."""
    rows = extract(matrix_scan(tmp_path, "qng2024_snv", 300, 41)).model_dump(mode="json")["rows"]
    assert [r["tt"] for r in rows[:3]] == ["1.1", "1.2", "1.3"]
    assert [(s["tt"], s["title"]) for s in rows[0]["section"]] == [
        ("I", "NÂNG CAO CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)"),
        ("1", "Công tác chỉ đạo, điều hành cải cách hành chính")]


@pytest.mark.ocr
def test_letter_stem_touching_a_rule_is_no_column_border(tmp_path):
    """dt2021_district at 150 dpi, seed 42, its table page lying sideways: the stem of
    a bold "Ỉ" (in "CHỈ SỐ PAR INDEX") touches the rule over its row and was taken
    for a 13 pt column border, which made an extra column: every task was lost (S13)."""
    rows = extract(matrix_scan(tmp_path, "dt2021_district", 150, 42)).model_dump(mode="json")["rows"]
    assert len(rows) == 7
    assert rows[0]["task"].startswith("Thực hiện tốt Quy chế dân chủ ở cơ sở")
    assert rows[1]["task"].startswith("Hướng dẫn tổ chức bầu cử trưởng xóm")
    assert all(r["task"] for r in rows)


def _ocr_cells(cells: list[tuple[str, float, float]], height: float = 12.0) -> list:
    """OCR words of cells (text, left, top), words 7 pt a letter, 3.5 pt apart."""
    from vnplans.ir import Word

    words = []
    for text, x, y in cells:
        for token in text.split():
            words.append(Word(token, x, y, x + 7.0 * len(token), y + height, origin="ocr",
                              confidence=0.9))
            x += 7.0 * len(token) + 3.5
    return words


def test_a_header_cell_whose_letter_broke_into_marks_still_names_its_role():
    """A bold "Ệ" at 150 dpi breaks into a stroke and marks ("NHII`M VỤ", "NHI: ìM"),
    too far from "NHIỆM VỤ" for the header to have its task column, so the page had no
    table at all: each short OCR'd segment is read again as a whole misread cell, its
    marks and spaces left out (`headers._misread_cell_role`). Body text holding a
    header phrase names nothing that way."""
    from vnplans.ir import Page, Rule
    from vnplans.table.headers import _misread_cell_role, find_headers, vocabulary
    from vnplans.table.settings import DEFAULTS

    vocab = vocabulary()
    assert _misread_cell_role(vocab, "NHII`M VỤ", DEFAULTS) == "task"
    assert _misread_cell_role(vocab, "NHI: ìM VỤ", DEFAULTS) == "task"
    assert _misread_cell_role(vocab, "Danh mục dự án kêu gọi đầu", DEFAULTS) is None
    assert _misread_cell_role(vocab, "DỊCH VỤ HỖ TRỢ DOANH NGHIỆP", DEFAULTS) is None

    header = [("TT", 50, 100), ("NHII`M VỤ", 150, 100), ("CHỦ TRÌ", 340, 100),
              ("PHỐI HỢP", 450, 100), ("THỜI HẠN", 560, 100)]
    body = [("1", 52, 125), ("Công khai quy trình", 82, 125), ("Văn phòng", 322, 125),
            ("Sở Tư pháp", 432, 125), ("Quý I/2023", 547, 125),
            ("2", 52, 165), ("Tổ chức đối thoại", 82, 165), ("Phòng Tổng hợp", 322, 165),
            ("Các sở", 432, 165), ("Năm 2023", 547, 165)]
    rules = [Rule(x, 95, x, 200) for x in (40, 76, 316, 426, 541, 650)] + [
        Rule(40, y, 650, y) for y in (95, 118, 160, 200)]
    page = Page(2, 842, 595, _ocr_cells(header + body), rules=rules, text_source="ocr")
    found = find_headers(page)
    assert len(found) == 1
    assert [c.role for c in found[0].columns] == ["tt", "task", "lead", "support", "deadline"]
