"""Marks OCR read from dust next to words (ocr_marks): dropped only where the text
shows they cannot be printed punctuation."""

from __future__ import annotations

import pytest
from scan_fixtures import ocr_line

from vnplans.ir import Word
from vnplans.textlayer.ocr_marks import drop_speck_marks, drop_unpaired_marks


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in sorted(words, key=lambda w: (w.y0, w.x0)))


@pytest.mark.parametrize(("read", "printed"), [
    ("Thanh.tra Sở", "Thanh tra Sở"),  # glued between two syllables
    ("Trong-vòng 30 ngày sau-Hội nghị", "Trong vòng 30 ngày sau-Hội nghị"),
    ("công khai Các. nội dung nhân dân", "công khai Các nội dung nhân dân"),  # ". lowercase"
    ("Công -khai kết quả", "Công khai kết quả"),  # a dash glued mid-line
    ("Sở Khoa học và Công - - nghệ", "Sở Khoa học và Công nghệ"),  # marks inside a phrase
    ("Văn phòng Sở -", "Văn phòng Sở"),  # a mark ending the cell
    ("Văn bản hướng dẫn :", "Văn bản hướng dẫn"),
    ("hiểu;quả", "hiểu quả"),
    ("Sở Nông nghiệp và Môi trường ˆ", "Sở Nông nghiệp và Môi trường"),
    ("các cơ quan, đơn: vị sử dụng", "các cơ quan, đơn vị sử dụng"),
    ("Tháng `12/2023", "Tháng 12/2023"),  # marks no plan prints at a word's edge
    ("_Phòng Cải cách hành chính", "Phòng Cải cách hành chính"),
    ("Sở, ngành; UBND_ các huyện", "Sở, ngành; UBND các huyện"),
    ("trước ngày '15/3", "trước ngày 15/3"),
])
def test_speck_marks_go(read, printed):
    assert _text(drop_speck_marks(ocr_line(read))) == printed


@pytest.mark.parametrize("text", [
    "Phát triển kinh tế - xã hội",  # one spaced hyphen is printed
    "tỉnh Bà Rịa-Vũng Tàu",  # a hyphen before a capital
    "Kết luận thanh tra. Báo cáo kết quả",  # a sentence ends before a capital
    "- UBND các xã, phường",  # a bullet opens the line
    "Nghị định số 80/2021/NĐ-CP.",  # numbers and abbreviations
    "Quý II, III/2025",
    "Ban hành ‘Bộ tiêu chí’ đánh giá",  # quotes before a word
    "Tổ chức 02 đoàn, v.v. tại nước ngoài",
    "cán bộ, công chức, viên chức",
    "tổ chức, cá nhân",
    "kiểm tra, giám sát",
    "các sở, ban, ngành",
    "thực hiện: kiểm tra",
    "Các nội dung khác ...",  # an ellipsis is printed
])
def test_printed_punctuation_stays(text):
    assert _text(drop_speck_marks(ocr_line(text))) == text


def test_a_full_stop_ending_a_line_before_a_lowercase_line_goes():
    words = ocr_line("các khu công.", y=100) + ocr_line("nghiệp và Ban Quản lý.", y=113)
    assert _text(drop_speck_marks(words)) == "các khu công nghiệp và Ban Quản lý."


def test_a_hyphen_ending_a_line_whose_cell_goes_on_stays():
    words = ocr_line("Sở Lao động -", y=100) + ocr_line("Thương binh và Xã hội", y=113)
    assert _text(drop_speck_marks(words)) == "Sở Lao động - Thương binh và Xã hội"


@pytest.mark.parametrize(("read", "printed"), [
    ("( Trung tâm Hỗ trợ doanh nghiệp -", "Trung tâm Hỗ trợ doanh nghiệp"),  # both borders
    ("“Số doanh nghiệp được hỗ trợ", "Số doanh nghiệp được hỗ trợ"),
    ('Trung tâm Phục vụ "hành chính công tỉnh', "Trung tâm Phục vụ hành chính công tỉnh"),
    ("Văn phòng Sở _", "Văn phòng Sở"),
    ("UBND các xã, phường,", "UBND các xã, phường"),  # a comma or colon ending it
    ("Trung tâm Phục vụ hành chính công tỉnh:", "Trung tâm Phục vụ hành chính công tỉnh"),
    # Printed marks stay: closed brackets and quotes, bullets, a spaced hyphen, a
    # bracket inside the cell, a cell that is only a dash.
    ("Văn bản (nếu có)", "Văn bản (nếu có)"),
    ('Báo cáo "Hằng năm"', 'Báo cáo "Hằng năm"'),
    ("- Quy chế; - Báo cáo", "- Quy chế; - Báo cáo"),
    ("Phòng Kế hoạch - Tài chính", "Phòng Kế hoạch - Tài chính"),
    ("Tổng hợp (Sở Nội vụ", "Tổng hợp (Sở Nội vụ"),
    ("-", "-"),
    ("- Các sở, ngành;", "- Các sở, ngành;"),  # a list's last item may end on ";"
    ("Quý II, III/2025", "Quý II, III/2025"),
])
def test_border_marks_at_the_edges_of_an_ocr_cell_go(read, printed):
    assert drop_unpaired_marks(read) == printed


def test_a_modifier_letter_alone_is_a_speck():
    """Python counts "ˆ" (a modifier letter) as a letter; read alone from dust, unsure,
    it goes like any mark no plan writes alone."""
    from vnplans.ir import Word
    from vnplans.textlayer.ocr import drop_specks

    words = [Word("ˆ", 10, 10, 14, 14, origin="ocr", confidence=0.27),
             Word("Sở", 20, 10, 34, 22, origin="ocr", confidence=0.95)]
    assert [w.text for w in drop_specks(words)] == ["Sở"]
