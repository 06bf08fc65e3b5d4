"""Same-shape capitals after a small-letter word go back to small letters
(`ocr_case`); titles, unit names and abbreviations keep their capitals."""

from __future__ import annotations

from scan_fixtures import ocr_line

from vnplans.ir import Word
from vnplans.textlayer.ocr_case import lower_small_capitals


def _lines(*lines: str) -> list[Word]:
    """Words of a text cell, one line per argument, each line at the same left edge."""
    return [w for k, text in enumerate(lines) for w in ocr_line(text, y=100.0 + 14 * k)]


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def test_same_shape_capitals_after_a_small_word_are_small() -> None:
    words = _lines("khiếu nại, tố cáo ngay từ cơ", "SỞ.")
    assert lower_small_capitals(words) == 1
    assert _text(words) == "khiếu nại, tố cáo ngay từ cơ sở."


def test_titles_units_and_abbreviations_keep_their_capitals() -> None:
    words = _lines("SỞ TƯ PHÁP", "của Sở Tư pháp", "các xã thuộc UBND huyện", "theo số CV")
    assert lower_small_capitals(words) == 0
    assert _text(words) == ("SỞ TƯ PHÁP của Sở Tư pháp các xã thuộc UBND huyện "
                            "theo số CV")


def test_a_deadline_phrase_read_with_a_mark_or_a_capital_wrong() -> None:
    """A whole-cell deadline of deadlines.yaml read with a same-shape capital or a
    mark wrong takes the phrase's spelling; a phrase read right, capitals of other
    letters and a cell two phrases fold to stay as read."""
    from vnplans.textlayer.ocr_case import respell_phrase

    phrases = ("thường xuyên", "theo kế hoạch", "hàng ngày", "hằng ngày")
    assert respell_phrase("Thường Xuyên", phrases) == "Thường xuyên"
    assert respell_phrase("Thường xuyền.", phrases) == "Thường xuyên."
    for kept in ("Hằng ngày", "Hàng ngày", "Hăng ngày", "Theo Kế hoạch", "THƯỜNG XUYÊN",
                 "Quý I/2025"):
        assert respell_phrase(kept, phrases) == kept


def test_a_cell_line_read_with_its_neighbour_column_still_goes_on_below() -> None:
    """A line of two neighbouring columns close together is one text line ("Phát
    thanh và Truyền" of one cell, "- Tài liệu tuyên truyền cơ" of the next); the
    outcome cell's next line ("SỞ.") continues it at the second cell's left edge."""
    support = ocr_line("Phát thanh và Truyền", y=366.0, x=431.0)
    outcome = ocr_line("- Tài liệu tuyên truyền cơ", y=366.0, x=support[-1].x1 + 8.0)
    below = ocr_line("SỞ.", y=380.0, x=outcome[0].x0)
    words = support + outcome + below
    assert lower_small_capitals(words) == 1
    assert below[0].text == "sở."
