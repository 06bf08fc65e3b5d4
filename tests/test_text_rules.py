from vnplans.vietnamese import clean_cell, collapse, join_lines


def test_collapse_nfc_and_spaces():
    decomposed = "Ke\u0302\u0301  hoa\u0323ch\n2023"
    assert collapse(decomposed) == "Kế hoạch 2023"


def test_join_lines_keeps_breaks_only_before_bullets():
    lines = ["- Tuyên truyền đầy đủ 03 hình thức:", "(1) Tổ chức Hội nghị, tập huấn",
             "- Hình thức tuyên truyền khác: Tổ", "chức ít nhất 01 cuộc toạ đàm."]
    assert join_lines(lines) == (
        "- Tuyên truyền đầy đủ 03 hình thức: (1) Tổ chức Hội nghị, tập huấn\n"
        "- Hình thức tuyên truyền khác: Tổ chức ít nhất 01 cuộc toạ đàm."
    )


def test_clean_cell_empty_is_none():
    assert clean_cell("  \n ") is None
    assert clean_cell(None) is None


def test_a_name_wrapped_at_its_dash_is_not_a_bullet():
    assert join_lines(["Phòng Kế hoạch", "- Tài chính Sở"]) == "Phòng Kế hoạch - Tài chính Sở"


def test_items_after_a_lead_in_line_are_bullets():
    assert join_lines(["Kết quả:", "- Báo cáo quý", "- Báo cáo năm"]) == (
        "Kết quả:\n- Báo cáo quý\n- Báo cáo năm")


def test_a_line_broken_after_a_hyphen_inside_a_word_goes_on_without_a_space():
    # LibreOffice and Word break "55/2019/NĐ-CP" and "2021-2025" after the hyphen.
    assert join_lines(["Thực hiện Nghị định số 55/2019/NĐ-", "CP; đề xuất sửa đổi"]) == (
        "Thực hiện Nghị định số 55/2019/NĐ-CP; đề xuất sửa đổi")
    assert join_lines(["Giai đoạn 2021-", "2025"]) == "Giai đoạn 2021-2025"
    # A dash between words keeps its spaces; a bullet after a lead-in stays an item.
    assert join_lines(["Sở Lao động -", "Thương binh và Xã hội"]) == (
        "Sở Lao động - Thương binh và Xã hội")
    assert join_lines(["Kết quả:", "- Báo cáo quý"]) == "Kết quả:\n- Báo cáo quý"


def test_a_line_opening_with_closing_punctuation_was_cut_from_the_word_above():
    # A narrow deadline cell breaks "15/01/2026;" before the semicolon.
    assert join_lines(["Ngày 15/01/2026", "; ngày 15/7/2026"]) == "Ngày 15/01/2026; ngày 15/7/2026"
    assert join_lines(["đạt 100", "% thủ tục"]) == "đạt 100% thủ tục"
    assert join_lines(["Báo cáo quý", ", 6 tháng"]) == "Báo cáo quý, 6 tháng"
