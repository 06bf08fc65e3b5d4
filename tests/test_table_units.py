"""Units of the table stage: header roles, section numbering, line grouping, and
small tables drawn here for cases the fixture plans do not show (a column-number row
under the header, a header that is not repeated, a signature after the table,
documents that are not plans)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from vnplans.geometry import group_lines, split_segments
from vnplans.ir import Word
from vnplans.pdf.reader import read_pdf
from vnplans.table.build import extract_rows
from vnplans.table.grid import is_tt_value, read_fragment
from vnplans.table.headers import vocabulary
from vnplans.table.locate import find_tables
from vnplans.table.rows import clean_tt, section_level
from vnplans.table.settings import TableSettings

REAL = Path(__file__).parent / "data" / "real"


@pytest.mark.parametrize("text, role", [
    ("TT", "tt"), ("STT", "tt"), ("Số TT", "tt"),
    ("NHIỆM VỤ THỰC HIỆN", "task"), ("Nội dung hoạt động", "task"),
    ("Nhiệm vụ/giải pháp", "task"), ("NỘI DUNG CÔNG VIỆC", "task"),
    ("CHỦ TRÌ", "lead"), ("ĐƠN VỊ/PHÒNG CHỦ TRÌ", "lead"), ("Cơ quan chủ trì", "lead"),
    ("Đơn vị thực hiện", "lead"),
    ("PHỐI HỢP", "support"), ("ĐƠN VỊ/PHÒNG PHỐI HỢP", "support"),
    ("Đơn vị phối hợp thực hiện", "support"),
    ("KẾT QUẢ ĐẠT ĐƯỢC", "outcome"), ("Sản phẩm đầu ra", "outcome"),
    ("THỜI GIAN HOÀN THÀNH", "deadline"), ("Thời gian thực hiện", "deadline"),
    ("Thời hạn", "deadline"), ("Tiến độ", "deadline"), ("HOÀN THÀNH", "deadline"),
    ("Ghi chú", "note"), ("PHÂN CÔNG THỰC HIỆN", None), ("Căn cứ", None),
])
def test_header_roles(text, role):
    assert vocabulary().role_of(text) == role


def test_section_levels_order():
    assert section_level("A") < section_level("IV") < section_level("2")
    assert section_level("2") < section_level("2.1") < section_level("2.1.3") < section_level("a")
    assert clean_tt("1.") == "1" and clean_tt(" a) ") == "a" and clean_tt("") is None
    # OCR'd specks after a row number (docs/table-reading.md, H7): "I_" is section I.
    assert clean_tt("I_") == "I" and is_tt_value("I_") and is_tt_value("2,")
    assert not is_tt_value("_") and not is_tt_value("Sở,")


def _word(text: str, x0: float, y0: float, size: float = 12) -> Word:
    return Word(text, x0, y0, x0 + 0.5 * size * len(text), y0 + size, size=size)


def test_lines_and_segments():
    words = [_word("Văn", 300, 100.5), _word("TT", 50, 100), _word("phòng", 325, 101),
             _word("Sở", 300, 114), _word("1.1", 52, 114.2)]
    lines = group_lines(words)
    assert [ln.text for ln in lines] == ["TT Văn phòng", "1.1 Sở"]
    assert [s.text for s in split_segments(lines[0])] == ["TT", "Văn phòng"]


# ------------------------------------------------------------------ drawn tables

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
COLUMNS = [("STT", 40), ("Nội dung công việc", 300), ("Cơ quan chủ trì", 150),
           ("Cơ quan phối hợp", 150), ("Thời hạn", 110)]
ROWS = [
    ("1", "Rà soát thủ tục hành chính thuộc phạm vi quản lý", "Văn phòng", "Các phòng", "Quý I/2024"),
    ("2", "Công khai thủ tục hành chính trên Cổng thông tin", "Văn phòng",
     "Trung tâm Phục vụ HCC", "Thường xuyên"),
    ("3", "Tổ chức đối thoại với doanh nghiệp", "Phòng Kinh tế", "Hiệp hội Doanh nghiệp", "Năm 2024"),
    ("4", "Báo cáo kết quả thực hiện kế hoạch", "Văn phòng", "Các phòng", "Trước 15/12/2024"),
]


@pytest.fixture(scope="module", autouse=True)
def fonts():
    for name, path in (("Serif", FONT), ("SerifBold", FONT_BOLD)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))


def _row(c: Canvas, top: float, cells: list[str], height: float, *, bold: bool = False,
         ruled: bool = True) -> None:
    """One table row on a landscape page (top-down y), text top-left in cells."""
    page_h = landscape(A4)[1]
    x = 40.0
    for (_, width), text in zip(COLUMNS, cells, strict=True):
        if ruled:
            c.rect(x, page_h - top - height, width, height, stroke=1, fill=0)
        c.setFont("SerifBold" if bold else "Serif", 11)
        c.drawString(x + 4, page_h - top - 14, text)
        x += width


def _plan_pdf(path: Path, *, repeat_header: bool, numbers: bool, signature: bool,
              page_numbers: bool = False) -> None:
    c = Canvas(str(path), pagesize=A4)
    c.setFont("Serif", 13)
    c.drawString(72, 780, "Căn cứ nhiệm vụ, thời gian và kết quả thực hiện năm trước;")
    c.drawString(72, 760, "Ủy ban nhân dân huyện ban hành Kế hoạch như sau:")
    c.showPage()
    for number, (page_rows, with_header) in enumerate(((ROWS[:2], True), (ROWS[2:], repeat_header))):
        c.setPageSize(landscape(A4))
        if page_numbers:
            c.setFont("Serif", 11)
            c.drawString(415, 575, f"- {number + 2} -")
            c.drawString(415, 20, f"{number + 2}")
        top = 50.0
        if with_header:
            _row(c, top, [name for name, _ in COLUMNS], 22, bold=True)
            top += 22
            if numbers:
                _row(c, top, [f"({i})" for i in range(1, 6)], 18)
                top += 18
        for row in page_rows:
            _row(c, top, list(row), 30)
            top += 30
        c.showPage()
    if signature:
        # The last page ends the table and carries the signature block under it.
        c.setPageSize(landscape(A4))
        _row(c, 50, ["5", "Tổng kết, đánh giá", "Văn phòng", "Các phòng", "Tháng 12/2024"], 30)
        c.setFont("SerifBold", 12)
        c.drawString(560, 420, "TM. ỦY BAN NHÂN DÂN")
        c.drawString(590, 400, "CHỦ TỊCH")
        c.drawString(580, 330, "Nguyễn Văn A")
        c.showPage()
    c.save()


@pytest.mark.parametrize("repeat_header, numbers, page_numbers",
                         [(True, False, False), (True, True, False), (False, False, False),
                          (True, False, True), (False, True, True)])
def test_drawn_table(tmp_path, repeat_header, numbers, page_numbers):
    pdf = tmp_path / "plan.pdf"
    _plan_pdf(pdf, repeat_header=repeat_header, numbers=numbers, signature=True,
              page_numbers=page_numbers)
    rows, warnings = extract_rows(read_pdf(pdf).pages)
    assert [r.tt for r in rows] == ["1", "2", "3", "4", "5"], warnings
    first = rows[0]
    assert (first.task, first.lead, first.support, first.deadline, first.outcome) == (
        ROWS[0][1], "Văn phòng", "Các phòng", "Quý I/2024", None)
    assert (rows[1].task, rows[1].lead, rows[1].support) == (ROWS[1][1], "Văn phòng",
                                                             "Trung tâm Phục vụ HCC")
    assert [r.pages for r in rows] == [[2], [2], [3], [3], [4]]
    assert all("ỦY BAN" not in (r.task or "") and "CHỦ TỊCH" not in (r.lead or "") for r in rows)


@pytest.mark.parametrize("name", ["QD-1050-kiem-tra-VLNCN-2026.pdf",
                                  "QD-1696-QD-UBND-uy-quyen-15-5-2026.pdf",
                                  "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf"])
def test_documents_that_are_not_plans_give_no_rows(name):
    rows, _warnings = extract_rows(read_pdf(REAL / name).pages)
    assert rows == []


@pytest.mark.parametrize("ruled", [True, False])
def test_signature_right_under_the_table_is_not_a_row(tmp_path, ruled):
    pdf = tmp_path / "signed.pdf"
    c = Canvas(str(pdf), pagesize=landscape(A4))
    top = 50.0
    _row(c, top, [name for name, _ in COLUMNS], 22, bold=True, ruled=ruled)
    top += 22
    for row in ROWS:
        _row(c, top, list(row), 24, ruled=ruled)
        top += 24
    page_h = landscape(A4)[1]
    c.setFont("SerifBold", 12)
    for i, line in enumerate(["GIÁM ĐỐC", "Trần Văn B"]):
        c.drawString(580, page_h - top - 20 - 40 * i, line)
    c.showPage()
    c.save()
    rows, _warnings = extract_rows(read_pdf(pdf).pages)
    assert [r.tt for r in rows] == ["1", "2", "3", "4"]
    assert [r.deadline for r in rows] == [row[4] for row in ROWS]
    assert all("GIÁM ĐỐC" not in (r.support or "") + (r.deadline or "") for r in rows)


def _section_pdf(path: Path) -> None:
    """A ruled table with three section levels: a capital letter, Roman numerals and
    full-width numbered titles ("1. …" over every column), and a task cell spanning
    the TT column."""
    c = Canvas(str(path), pagesize=landscape(A4))
    page_h = landscape(A4)[1]
    top = 50.0
    _row(c, top, [name for name, _ in COLUMNS], 22, bold=True)
    top += 22

    def full(text: str, tt: str | None = None) -> None:
        nonlocal top
        x0 = 40.0 if tt is None else 80.0
        if tt is not None:
            c.rect(40, page_h - top - 20, 40, 20)
            c.setFont("SerifBold", 11)
            c.drawString(44, page_h - top - 14, tt)
        c.rect(x0, page_h - top - 20, 790 - x0, 20)
        c.setFont("SerifBold", 11)
        c.drawString(x0 + 4, page_h - top - 14, text)
        top += 20

    full("CHỈ SỐ PAPI", "A")
    full("Tham gia của người dân ở cấp cơ sở", "I")
    full("1. Đối với chỉ số nội dung 1: “Tham gia của người dân”")
    _row(c, top, ["1.1", "Rà soát quy chế dân chủ", "Văn phòng", "Các phòng", "Quý I/2024"], 24)
    top += 24
    full("2. Chỉ số nội dung 2 “Công khai, minh bạch”")
    _row(c, top, ["2.1", "Công khai ngân sách", "Phòng Tài chính", "Các xã", "Quý II/2024"], 24)
    top += 24
    full("CHỈ SỐ PAR INDEX", "B")
    _row(c, top, ["3", "Báo cáo cải cách hành chính", "Phòng Nội vụ", "Các phòng", "Hằng quý"], 24)
    c.showPage()
    c.save()


def test_section_paths(tmp_path):
    pdf = tmp_path / "sections.pdf"
    _section_pdf(pdf)
    rows, _warnings = extract_rows(read_pdf(pdf).pages)
    paths = [[(s.tt, s.title) for s in r.section] for r in rows]
    assert [r.tt for r in rows] == ["1.1", "2.1", "3"]
    assert paths == [
        [("A", "CHỈ SỐ PAPI"), ("I", "Tham gia của người dân ở cấp cơ sở"),
         ("1", "Đối với chỉ số nội dung 1: “Tham gia của người dân”")],
        [("A", "CHỈ SỐ PAPI"), ("I", "Tham gia của người dân ở cấp cơ sở"),
         ("2", "Chỉ số nội dung 2 “Công khai, minh bạch”")],
        [("B", "CHỈ SỐ PAR INDEX")],
    ]
    assert rows[2].lead == "Phòng Nội vụ" and rows[2].deadline == "Hằng quý"


def test_table_cut_off_at_the_end_of_the_document_is_reported(tmp_path):
    pdf = tmp_path / "cut.pdf"
    c = Canvas(str(pdf), pagesize=landscape(A4))
    page_h = landscape(A4)[1]
    for page in range(2):
        top = 40.0
        _row(c, top, [name for name, _ in COLUMNS], 22, bold=True)
        top += 22
        n = 0
        while top + 30 < page_h - 30:  # rows down to the foot of the page
            n += 1
            _row(c, top, [f"{page + 1}.{n}", "Rà soát thủ tục", "Văn phòng", "Các phòng", "Quý I"], 30)
            top += 30
        c.showPage()
    c.save()
    rows, warnings = extract_rows(read_pdf(pdf).pages)
    assert rows and rows[-1].tt == f"2.{n}"
    assert any("page 2" in w and "runs off the end" in w for w in warnings), warnings


def test_table_ending_on_its_last_page_is_not_reported(tmp_path):
    pdf = tmp_path / "whole.pdf"
    _plan_pdf(pdf, repeat_header=True, numbers=False, signature=False)
    _rows, warnings = extract_rows(read_pdf(pdf).pages)
    assert not any("runs off the end" in w for w in warnings), warnings


@pytest.mark.parametrize("pdf", [
    "tests/fixtures/office/pdfs/qng2024_snv.pdf",  # rows cut by rules
    "tests/fixtures/office/variants/pdfs/qng2024_snv__none_sp0.pdf",  # cut from the text
])
def test_bands_follow_each_other_and_hold_their_lines(pdf):
    # Band boxes place merged-cell text (`rows._distance`): each band spans from one
    # cut to the next, and every line it holds lies inside it.
    pages = read_pdf(Path(__file__).parent.parent / pdf).pages
    fragments = [f for table in find_tables(pages) for f in table]
    assert fragments
    for fragment in fragments:
        header = fragment.header
        bands = read_fragment(fragment.page, header.columns, top=fragment.top,
                              bottom=fragment.bottom, ruled_columns=header.ruled,
                              tt_col=header.role_index("tt"), settings=TableSettings())
        assert bands[0].y0 == fragment.top and bands[-1].y1 == fragment.bottom
        for above, below in zip(bands, bands[1:], strict=False):
            assert above.y1 <= below.y0
        for band in bands:
            assert band.y0 < band.y1
            assert all(band.y0 <= line.yc <= band.y1 for line in band.lines)


def _band_view(bands):
    return [(b.y0, b.y1, b.starts, b.spans, b.ruled, b.top_aligned,
             [(tuple(map(id, ln.words)), ln.x0, ln.y0, ln.x1, ln.y1) for ln in b.lines],
             [(c.lines, c.boxes, c.bold, sorted(c.pages)) for c in b.cells]) for b in bands]


@pytest.mark.parametrize("pdf", sorted(
    str(p) for folder in ("office/pdfs", "office/variants/pdfs")
    for p in (Path(__file__).parent / "fixtures" / folder).glob("*.pdf"))[::4])
def test_bands_from_page_lines_are_those_of_band_words(pdf):
    # `read_fragment` takes each band's lines from the page's lines (grouped once per
    # page) instead of grouping the band's words again: the bands must be the same.
    pages = read_pdf(pdf).pages
    for fragment in [f for table in find_tables(pages) for f in table]:
        header = fragment.header
        kwargs = dict(top=fragment.top, bottom=fragment.bottom, ruled_columns=header.ruled,
                      tt_col=header.role_index("tt"), settings=TableSettings())
        assert fragment.page_lines is not None
        assert _band_view(read_fragment(fragment.page, header.columns,
                                        page_lines=fragment.page_lines, **kwargs)) == \
            _band_view(read_fragment(fragment.page, header.columns, **kwargs))


def test_band_lines_not_taken_from_a_line_across_bands_or_beside_the_table():
    from vnplans.table.grid import _band_lines

    def word(text, x0, y0, x1, y1):
        return Word(text, x0, y0, x1, y1, size=10.0)

    # A tall word above the cut at y = 120 takes a word below the cut into its line.
    across = group_lines([word("a", 100, 100, 120, 130), word("b", 130, 117, 150, 127)])
    assert len(across) == 1
    assert _band_lines(across, [90, 120, 150], 90, 150, 50, 300) is None
    # Text beside the table at a band's height is no part of the band.
    beside = group_lines([word("a", 100, 100, 120, 110), word("note", 400, 100, 430, 110)])
    assert _band_lines(beside, [90, 120, 150], 90, 150, 50, 300) is None
    # Lines inside one band each, and lines above and below the table, are taken.
    apart = group_lines([word("x", 100, 60, 120, 70), word("a", 100, 100, 120, 110),
                         word("b", 100, 130, 120, 140), word("y", 400, 170, 420, 180)])
    bands = _band_lines(apart, [90, 120, 150], 90, 150, 50, 300)
    assert bands is not None
    assert [[ln.text for ln in band] for band in bands] == [["a"], ["b"]]
