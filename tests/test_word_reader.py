"""The Word reader (`vnplans.word.reader`) and its layout (`vnplans.word.layout`) on small
documents written here with python-docx: what a paragraph's text and style are read as,
the table grid with its merges, sections, and where the layout puts things."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from vnplans.errors import BadInputError
from vnplans.word import is_word_path
from vnplans.word.layout import lay_out
from vnplans.word.open import open_word
from vnplans.word.reader import Paragraph, Table, read_word


def _read(doc, tmp_path: Path):  # noqa: ANN001, ANN202
    path = tmp_path / "plan.docx"
    doc.save(str(path))
    return read_word(open_word(path))


def test_paragraph_text_and_style(tmp_path: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(13)
    p = doc.add_paragraph()
    run = p.add_run("Kế hoạch\tsố 12")
    run.bold = True
    run.add_break()  # a line break: a second line
    p.add_run("năm  2024").italic = True
    hidden = p.add_run(" ẩn")
    hidden.font.hidden = True
    caps = doc.add_paragraph().add_run("độc lập")
    caps.font.all_caps = True
    caps.font.size = Pt(14)
    heading = doc.add_paragraph("Tiêu đề", style="Heading 1")  # bold by its style
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    got = _read(doc, tmp_path)
    paras = [b for _s, b in got.blocks if isinstance(b, Paragraph)]
    first = paras[0]
    assert first.texts() == ["Kế hoạch số 12", "năm 2024"]  # NFC, whitespace collapsed
    assert [(s.bold, s.italic, s.size) for line in first.lines for s in line] == \
        [(True, False, 13.0), (False, True, 13.0)]
    assert not first.bold  # only part of it is bold
    assert paras[1].text == "ĐỘC LẬP" and paras[1].lines[0][0].size == 14.0
    assert paras[2].bold and paras[2].align == "center"
    assert paras[3].page_break_after


def test_table_grid_merges_and_header_rows(tmp_path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "TT"           # vertical, in the header
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Phân công"     # horizontal group
    table.cell(1, 1).text, table.cell(1, 2).text = "Chủ trì", "Phối hợp"
    table.cell(2, 0).text = "1"
    table.cell(2, 1).merge(table.cell(3, 1)).text = "Sở Nội vụ"     # vertical, in the body
    for r in (0, 1):
        el = OxmlElement("w:tblHeader")
        table.rows[r]._tr.get_or_add_trPr().append(el)
    got = _read(doc, tmp_path).tables[0]
    assert isinstance(got, Table) and got.columns == 4
    assert [r.header for r in got.rows] == [True, True, False, False]
    assert [(c.col, c.span, c.vmerge, c.texts()) for c in got.rows[0].cells] == [
        (0, 1, "restart", ["TT"]), (1, 2, None, ["Phân công"]), (3, 1, None, [])]
    assert [(c.col, c.vmerge) for c in got.rows[1].cells][:2] == [(0, "continue"), (1, None)]
    assert [(c.col, c.vmerge, c.texts()) for c in got.rows[3].cells][1] == (1, "continue", [])


def test_layout_sections_columns_and_pages(tmp_path: Path) -> None:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(2.0)
    sec.top_margin = sec.bottom_margin = Cm(2.0)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "SỞ NỘI VỤ"
    table.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    for _ in range(80):  # more than a page of body text (52 lines of 13.8 pt a page)
        doc.add_paragraph("Nội dung kế hoạch được triển khai trong năm.")
    wide = doc.add_section(WD_SECTION.NEW_PAGE)
    wide.orientation = WD_ORIENT.LANDSCAPE
    wide.page_width, wide.page_height = Cm(29.7), Cm(21.0)
    doc.add_paragraph("PHỤ LỤC")
    pages = lay_out(_read(doc, tmp_path))
    assert len(pages) == 3
    assert not pages[0].landscape and pages[2].landscape
    left = [w for w in pages[0].words if w.text == "SỞ"][0]
    motto = [w for w in pages[0].words if w.text == "CỘNG"][0]
    assert left.y0 == pytest.approx(motto.y0) and left.x1 < motto.x0  # side by side
    assert pages[2].words[0].text == "PHỤ" and pages[2].words[0].y0 < 100
    # Every word on its page, lines one under the other.
    for page in pages:
        assert all(0 <= w.x0 < w.x1 <= page.width and w.y1 <= page.height for w in page.words)


def test_word_suffixes_and_unreadable_files(tmp_path: Path) -> None:
    assert is_word_path("a/B.DOCX") and is_word_path("x.doc") and not is_word_path("x.pdf")
    with pytest.raises(BadInputError, match="no such file"):
        open_word(tmp_path / "missing.docx")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(BadInputError, match=r"empty file \(0 bytes\)"):
        open_word(empty)
    damaged = tmp_path / "cut.docx"
    Document().save(str(damaged))
    damaged.write_bytes(damaged.read_bytes()[:2000])
    with pytest.raises(BadInputError, match="docx Word document"):
        open_word(damaged)
