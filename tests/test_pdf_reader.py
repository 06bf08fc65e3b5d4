"""The PDF reader: words rebuilt from glyphs, displayed orientation, ruling lines,
and one-line errors for files that are not readable PDFs.

PDFs are drawn here with reportlab and PyMuPDF the way exporters lay them out (every
word or every glyph placed on its own, rotated landscape pages, borders as thin
filled rectangles), then read back.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pymupdf
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from vnplans.errors import BadInputError
from vnplans.pdf.reader import read_pdf

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"
TEXT = "Tăng cường công tác thông tin, tuyên truyền đề nghiệp quyền"


@pytest.fixture(scope="module", autouse=True)
def fonts():
    for name, path in (("Serif", FONT), ("SerifBold", FONT_BOLD)):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, path))


def _draw_words(c: Canvas, x: float, y: float, text: str, *, glyphs: bool,
                size: float = 12, font: str = "Serif") -> None:
    """Place every word (or every glyph) on its own, with no space characters."""
    space = pdfmetrics.stringWidth(" ", font, size)
    for word in text.split():
        if glyphs:
            for ch in word:
                c.setFont(font, size)
                c.drawString(x, y, ch)
                x += pdfmetrics.stringWidth(ch, font, size)
        else:
            c.setFont(font, size)
            c.drawString(x, y, word)
            x += pdfmetrics.stringWidth(word, font, size)
        x += space


def _texts(path: Path, page: int = 0) -> list[str]:
    return [w.text for w in read_pdf(path).pages[page].words]


def test_words_split_at_gaps_without_space_characters(tmp_path):
    pdf = tmp_path / "positioned.pdf"
    c = Canvas(str(pdf))
    _draw_words(c, 72, 760, TEXT, glyphs=False)
    _draw_words(c, 72, 730, TEXT, glyphs=True)
    c.save()
    doc = read_pdf(pdf)
    lines: dict[int, list[str]] = {}
    for w in doc.pages[0].words:
        lines.setdefault(round(w.y0), []).append(w.text)
    assert sorted(lines.values()) == [TEXT.split(), TEXT.split()]


def test_kerned_and_spaced_words_stay_whole(tmp_path):
    pdf = tmp_path / "kerning.pdf"
    c = Canvas(str(pdf))
    for i, char_space in enumerate((-0.6, 0.0, 0.8)):
        t = c.beginText(72, 760 - 30 * i)
        t.setFont("Serif", 12)
        t.setCharSpace(char_space)
        t.textOut("Nghiệp vụ Dược")
        c.drawText(t)
    c.save()
    assert _texts(pdf) == ["Nghiệp", "vụ", "Dược"] * 3


def test_words_are_nfc_with_style(tmp_path):
    pdf = tmp_path / "style.pdf"
    c = Canvas(str(pdf))
    c.setFont("SerifBold", 13)
    c.drawString(72, 760, "KẾ HOẠCH")
    c.setFont("Serif", 12)
    c.drawString(72, 730, "Ke\u0302\u0301 hoa\u0323ch")  # decomposed input
    c.save()
    words = read_pdf(pdf).pages[0].words
    assert [w.text for w in words] == ["KẾ", "HOẠCH", "Kế", "hoạch"]
    assert words[0].bold and not words[2].bold
    assert words[0].size == 13 and words[2].size == 12
    assert words[0].font == "DejaVuSerif-Bold"
    assert words[0].x0 < words[1].x0 and words[0].y1 < words[2].y0


def test_rotated_landscape_page_reads_in_displayed_orientation(tmp_path):
    pdf = tmp_path / "rotated.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)  # portrait media box …
    page.set_rotation(90)  # … shown as landscape
    # Text written so that it reads left to right on the displayed page.
    page.insert_text(pymupdf.Point(100, 100) * page.derotation_matrix, "Phụ lục kế hoạch",
                     fontsize=14, rotate=90, fontfile=FONT, fontname="dv")
    start = pymupdf.Point(50, 150) * page.derotation_matrix
    end = pymupdf.Point(700, 150) * page.derotation_matrix
    page.draw_line(start, end)
    doc.save(pdf)
    read = read_pdf(pdf).pages[0]
    assert (read.width, read.height) == (842, 595)
    assert [w.text for w in read.words] == ["Phụ", "lục", "kế", "hoạch"]
    xs = [w.x0 for w in read.words]
    assert xs == sorted(xs) and all(abs(w.y1 - read.words[0].y1) < 1 for w in read.words)
    assert read.words[0].x0 == pytest.approx(100, abs=1)
    assert read.words[0].y1 == pytest.approx(100, abs=5)
    (rule,) = read.rules
    assert rule.horizontal and rule.y0 == pytest.approx(150, abs=0.5)
    assert (rule.x0, rule.x1) == (pytest.approx(50, abs=0.5), pytest.approx(700, abs=0.5))


def test_rules_from_lines_and_thin_filled_rectangles(tmp_path):
    pdf = tmp_path / "rules.pdf"
    c = Canvas(str(pdf))
    c.setLineWidth(0.5)
    c.line(50, 700, 300, 700)  # stroked
    for x in (50, 150, 250):  # per-cell border segments, drawn as thin filled boxes
        c.rect(x, 650, 100, 0.5, stroke=0, fill=1)
    c.rect(50, 500, 0.6, 150, stroke=0, fill=1)  # vertical border as a filled box
    c.rect(100, 400, 200, 40, stroke=0, fill=1)  # shading, not a rule
    c.setStrokeColorRGB(1, 1, 1)
    c.line(50, 300, 300, 300)  # white: invisible
    c.save()
    rules = read_pdf(pdf).pages[0].rules
    height = 841.89
    horizontal = sorted((round(r.y0), round(r.x0), round(r.x1)) for r in rules if r.horizontal)
    vertical = [(round(r.x0), round(r.y0), round(r.y1)) for r in rules if not r.horizontal]
    assert horizontal == [(round(height - 700), 50, 300), (round(height - 650), 50, 350)]
    assert vertical == [(50, round(height - 650), round(height - 500))]


def test_sha256_and_page_numbers(tmp_path):
    pdf = tmp_path / "two.pdf"
    c = Canvas(str(pdf))
    for text in ("một", "hai"):
        c.setFont("Serif", 12)
        c.drawString(72, 760, text)
        c.showPage()
    c.save()
    doc = read_pdf(pdf)
    assert doc.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert [p.number for p in doc.pages] == [1, 2]
    assert [p.words[0].text for p in doc.pages] == ["một", "hai"]


def _minimal_pdf(tmp_path: Path) -> Path:
    pdf = tmp_path / "ok.pdf"
    c = Canvas(str(pdf))
    c.setFont("Serif", 12)
    c.drawString(72, 760, "Kế hoạch")
    c.save()
    return pdf


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"),
    (b"Hello, this is text\n", "not a PDF"),
    (b"<html><body>404</body></html>", "HTML"),
])
def test_not_a_pdf(tmp_path, content, reason):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(content)
    with pytest.raises(BadInputError) as err:
        read_pdf(bad)
    assert reason in str(err.value) and str(bad) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file(tmp_path):
    with pytest.raises(BadInputError, match="no such file"):
        read_pdf(tmp_path / "missing.pdf")


def test_truncated_pdf(tmp_path):
    data = _minimal_pdf(tmp_path).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInputError, match="truncated"):
        read_pdf(cut)


def test_encrypted_pdf(tmp_path):
    src = pymupdf.open(_minimal_pdf(tmp_path))
    locked = tmp_path / "locked.pdf"
    src.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="secret", owner_pw="owner")
    with pytest.raises(BadInputError, match="password"):
        read_pdf(locked)


def test_zero_pages(tmp_path):
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n")
    xref = len(body)
    body += (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
             b"trailer << /Size 3 /Root 1 0 R >>\nstartxref\n" + str(xref).encode() + b"\n%%EOF\n")
    empty = tmp_path / "nopages.pdf"
    empty.write_bytes(body)
    with pytest.raises(BadInputError, match="no pages"):
        read_pdf(empty)


def test_damaged_xref_still_reads(tmp_path):
    data = _minimal_pdf(tmp_path).read_bytes()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999999\n%%EOF\n"
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(broken)
    doc = read_pdf(damaged)
    assert [w.text for w in doc.pages[0].words] == ["Kế", "hoạch"]
    assert any("repaired" in w for w in doc.warnings)


def test_simulated_bold_text_drawn_twice_reads_once(tmp_path):
    pdf = tmp_path / "fakebold.pdf"
    c = Canvas(str(pdf))
    for dx in (0.0, 0.4):  # the text again, shifted a little: poor man's bold
        c.setFont("Serif", 12)
        c.drawString(72 + dx, 760, "PHỤ LỤC")
    c.setFont("Serif", 12)
    c.drawString(72, 730, "PHỤ LỤC")  # the same words on another line are kept
    c.save()
    assert _texts(pdf) == ["PHỤ", "LỤC", "PHỤ", "LỤC"]


def test_word_whose_first_letter_ends_the_previous_lines_span(tmp_path):
    """Word writes a run until the font changes, across line breaks: in "… và trình" /
    "tự, thủ tục …" the "t" comes last in the first line's run and "ự", from another
    subset font, starts the next one. The word starts on the "t"'s own baseline, so
    the next run joins it ("tự,", not "t" and "ự,"). Seen in QD-1696 (Word to PDF)."""
    if "SansAlt" not in pdfmetrics.getRegisteredFontNames():  # another embedded font
        pdfmetrics.registerFont(TTFont("SansAlt", FONT.replace("DejaVuSerif", "DejaVuSans")))
    pdf = tmp_path / "wrapped.pdf"
    c = Canvas(str(pdf))
    text = c.beginText(72, 760)
    text.setFont("Serif", 12)
    text.setLeading(16)
    text.textLine("vận chuyển hàng hóa và trình ")
    text.textOut("t")
    text.setFont("SansAlt", 12)
    text.textOut("ự")
    text.setFont("Serif", 12)
    text.textOut(", thủ tục cấp giấy phép")
    c.drawText(text)
    c.save()
    with pymupdf.open(pdf) as doc:  # the layout this is about: "t" in the first run
        first = doc[0].get_texttrace()[0]
        assert chr(first["chars"][-1][0]) == "t"
        assert first["chars"][-1][2][1] != first["chars"][0][2][1]
    assert _texts(pdf) == ["vận", "chuyển", "hàng", "hóa", "và", "trình", "tự,", "thủ",
                           "tục", "cấp", "giấy", "phép"]


def test_real_word_pdf_lines_start_with_whole_words():
    text = " ".join(w.text for w in read_pdf(
        Path(__file__).parent / "data/real/QD-1696-QD-UBND-uy-quyen-15-5-2026.pdf").pages[0].words)
    for phrase in ("trình tự, thủ tục", "cho người lái xe", "Thông tư số 15/2026/TT-BCT",
                   "Bộ Công Thương sửa đổi", "trong các lĩnh vực"):
        assert phrase in text
