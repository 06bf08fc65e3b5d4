"""Reading order: visual lines column by column (header block, table cells), single
spaces, NFC; `vnplans text` on a generated plan and a real PDF."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from functools import cache
from pathlib import Path

from vnplans.ir import Page, Rule, Word
from vnplans.layout.reading_order import page_text, reading_lines, segments
from vnplans.pipeline import read_pages

TESTS = Path(__file__).parent
PDFS = TESTS / "fixtures" / "pdfs"
REAL = TESTS / "data" / "real"


@cache
def pages_of(path: Path) -> list[Page]:
    return read_pages(path, ocr=False).pages


def lines_of(path: Path, page: int) -> list[str]:
    return page_text(pages_of(path)[page - 1]).split("\n")


def test_header_block_reads_column_by_column() -> None:
    lines = lines_of(PDFS / "bd2023.pdf", 1)
    assert lines[:4] == ["UBND TỈNH BÌNH ĐỊNH", "SỞ Y TẾ",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert "KẾ HOẠCH" in lines


def test_real_header_block_column_by_column() -> None:
    lines = lines_of(REAL / "QD-1050-kiem-tra-VLNCN-2026.pdf", 1)
    assert lines[:2] == ["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG"]
    assert lines[2].startswith("CỘNG H")


def test_ruled_table_reads_cell_by_cell() -> None:
    # Row 1.3 of the Bình Định appendix: each cell's wrapped lines stay together.
    lines = lines_of(PDFS / "bd2023.pdf", 5)
    i = lines.index("Trung tâm Kiểm")
    assert lines[i - 2:i + 2] == ["1.3", "Công tác tuyên truyền CCHC", "Trung tâm Kiểm",
                                  "soát bệnh tật"]
    j = lines.index("Các đơn vị trực", i)  # row 1.6: lead then support, not interleaved
    assert lines[j - 2:j] == ["Các Phòng, Văn", "phòng, Thanh tra Sở"]


def test_unruled_table_rows_stay_together() -> None:
    lines = lines_of(PDFS / "lc2025_sipas_norules.pdf", 2)
    i = lines.index("1")
    assert lines[i + 1:i + 4] == [
        "Ban hành Kế hoạch cải cách hành chính năm 2025 của",
        "Sở; kế hoạch tuyên truyền cải cách hành chính; kế hoạch",
        "kiểm tra công tác cải cách hành chính."]


def test_glyph_positioned_words_are_separated() -> None:
    text = page_text(pages_of(PDFS / "hg2023_glyphs.pdf")[0])
    assert "Tăng cường công tác cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh năm 2023" in (
        " ".join(text.split()))


def test_lines_are_nfc_with_single_spaces() -> None:
    for name in ("bd2023", "dn2020", "qnam2024_horizontal"):
        for page in pages_of(PDFS / f"{name}.pdf"):
            for line in page_text(page).split("\n"):
                assert line == unicodedata.normalize("NFC", line)
                assert "  " not in line and line == line.strip()


def _word(text: str, x0: float, y0: float, size: float = 12) -> Word:
    width = 0.5 * size * len(text)
    return Word(text, x0, y0, x0 + width, y0 + 1.15 * size, size=size)


def test_two_columns_from_words() -> None:
    # Two text columns side by side under a full-width title: title, then the whole
    # left column, then the whole right column.
    words = [_word("Title", 200, 40)]
    for i, (left, right) in enumerate([("alpha", "delta"), ("beta", "epsilon"),
                                       ("gamma", "zeta")]):
        y = 80 + i * 14
        first, second = _word(left, 50, y), _word(right, 320, y)
        words += [first, _word("one", first.x1 + 3, y), second, _word("two", second.x1 + 3, y)]
    lines = [ln.text for ln in reading_lines(words)]
    assert lines == ["Title", "alpha one", "beta one", "gamma one",
                     "delta two", "epsilon two", "zeta two"]


def test_vertical_rule_splits_touching_cells() -> None:
    # Two cells whose texts nearly touch: only the ruling line separates them.
    words = [_word("left", 50, 100), _word("cell", 75, 100), _word("right", 108, 100),
             _word("left2", 50, 114), _word("right2", 108, 114)]
    rules = [Rule(105, 95, 105, 135)]
    assert [ln.text for ln in reading_lines(words, rules)] == ["left cell", "left2", "right",
                                                             "right2"]


def test_cli_text_command() -> None:
    cli = Path(sys.executable).parent / "vnplans"
    result = subprocess.run([str(cli), "text", "--no-ocr",
                             str(PDFS / "dn2020.pdf")], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    pages = result.stdout.split("\f")
    assert pages[0].startswith("UBND TỈNH ĐẮK NÔNG\nSỞ Y TẾ\n")
    assert len([p for p in pages if p.strip()]) == 7


def test_empty_page_and_decomposed_input() -> None:
    assert page_text(Page(1, 595, 842)) == ""
    words = [_word("Ke\u0302\u0301", 50, 50), _word("hoa\u0323ch", 80, 50)]
    assert page_text(Page(1, 595, 842, words)) == "Kế hoạch"


def test_stretched_justified_line_stays_one_line() -> None:
    # A justified line with few words stretches every space alike (here 1 em):
    # it is one line, not one line per word.
    line = "năm 2021, Ủy ban nhân dân huyện Đại Từ"
    words, x = [], 50.0
    for token in line.split(" "):
        w = _word(token, x, 100)
        words.append(w)
        x = w.x1 + 12
    assert [ln.text for ln in reading_lines(words)] == [line]


def test_real_ruled_table_justified_cell() -> None:
    # QD-1050's appendix: "Công ty TNHH" is justified across its narrow cell (spaces
    # stretched as wide as the gap to the next cell); the table rules, not the
    # whitespace, separate the cells.
    lines = lines_of(REAL / "QD-1050-kiem-tra-VLNCN-2026.pdf", 4)
    i = lines.index("Công ty TNHH")
    assert lines[i - 1:i + 4] == ["3", "Công ty TNHH", "Hiệp Phú", "Tổ dân phố Chè 8, phường An",
                                  "Tường, tỉnh Tuyên Quang"]


def test_words_after_a_word_that_only_just_joined_a_row() -> None:
    # "x" sits half a line below "Big": it joins that row right at its reach, so the
    # words after it on its own baseline are checked again (by then the row's centre
    # moved towards them: they join too); "z" further down is a row of its own.
    def word(text: str, x0: float, y0: float) -> Word:
        return Word(text, x0, y0, x0 + 8, y0 + 10, size=10)

    big = word("Big", 50, 100)
    rest = [word("x", 61, 105), word("y", 72, 105), word("w", 83, 105), word("z", 50, 113)]
    assert [ln.text for ln in segments([big, *rest])] == ["Big x y w", "z"]
    assert [ln.text for ln in segments([*reversed(rest), big])] == ["Big x y w", "z"]
