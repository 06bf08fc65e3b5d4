"""Build the bad-input corpus: files a nightly run meets that are not clean plan PDFs.

Run from the repo root: `.venv/bin/python tests/badinput/make_corpus.py`. It writes
`tests/badinput/corpus/*` (committed; every file is small) deterministically: the same
bytes on every run, so regenerating gives no diff. The two encrypted files (AES salts
are random) are kept when present; `--all` rebuilds them too.

Most damaged files are derived from one small, well-formed plan built here (a header
page in the Nghị định 30 layout and a two-page appendix table on A4 landscape, with a
row split by the page break), so each case differs from a readable plan in exactly one
way. `tests/test_badinput.py` holds what each case must produce.
"""

from __future__ import annotations

import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pymupdf

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSerif.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSerif-Bold.ttf"

PORTRAIT = pymupdf.paper_rect("a4")
LANDSCAPE = pymupdf.paper_rect("a4-l")

# Appendix columns: key, header, width (points). Sum = 770 (A4 landscape minus margins).
COLUMNS = [("tt", "TT", 34), ("task", "NHIỆM VỤ", 230), ("lead", "CHỦ TRÌ", 100),
           ("support", "PHỐI HỢP", 116), ("outcome", "KẾT QUẢ ĐẠT ĐƯỢC", 180),
           ("deadline", "THỜI GIAN HOÀN THÀNH", 110)]
SECTION = "section"

# The plan's appendix: section rows (tt, title) and task rows.
PLAN_ROWS: list[dict[str, str]] = [
    {SECTION: "I", "title": "NHÓM NHIỆM VỤ CHUNG"},
    {"tt": "1", "task": "Ban hành kế hoạch và phổ biến, quán triệt kế hoạch thực hiện cải "
     "thiện, nâng cao các chỉ số PCI, PAPI, SIPAS, PAR INDEX năm 2023 cho công chức, viên chức.",
     "lead": "Văn phòng Sở", "support": "Các phòng, Thanh tra Sở",
     "outcome": "Kế hoạch được ban hành và phổ biến đến 100% công chức, viên chức.",
     "deadline": "Tháng 6/2023"},
    {"tt": "2", "task": "Tuyên truyền về cải cách hành chính trên Cổng thông tin điện tử "
     "của Sở.", "lead": "Văn phòng Sở", "support": "Các đơn vị trực thuộc Sở",
     "outcome": "Ít nhất 12 tin, bài được đăng tải.", "deadline": "Thường xuyên"},
    {"tt": "3", "task": "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền giải quyết "
     "của Sở.", "lead": "Phòng Nghiệp vụ Y", "support": "Văn phòng Sở",
     "outcome": "Báo cáo kết quả rà soát gửi UBND tỉnh.", "deadline": "Trước ngày 30/11/2023"},
    {SECTION: "II", "title": "CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH (PCI)"},
    {"tt": "1", "task": "Công khai đầy đủ thủ tục hành chính, mẫu đơn, tờ khai trên Cổng dịch "
     "vụ công của tỉnh.", "lead": "Văn phòng Sở", "support": "Phòng Nghiệp vụ Dược",
     "outcome": "100% thủ tục hành chính được công khai đúng quy định.",
     "deadline": "Hằng quý"},
    {"tt": "2", "task": "Tổ chức đối thoại với doanh nghiệp hoạt động trong lĩnh vực y tế, "
     "dược phẩm để tháo gỡ khó khăn, vướng mắc.", "lead": "Phòng Nghiệp vụ Dược",
     "support": "Thanh tra Sở", "outcome": "Tổ chức ít nhất 01 hội nghị đối thoại.",
     "deadline": "Quý III/2023"},
    {"tt": "3", "task": "Giải quyết thủ tục hành chính đúng hạn, không để hồ sơ trễ hạn; "
     "thực hiện xin lỗi tổ chức, cá nhân khi trễ hạn.", "lead": "Các phòng thuộc Sở",
     "support": "Văn phòng Sở", "outcome": "Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%.",
     "deadline": "Thường xuyên"},
    {SECTION: "III", "title": "CHỈ SỐ HIỆU QUẢ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG (PAPI)"},
    {"tt": "1", "task": "Công khai, minh bạch kế hoạch sử dụng đất, khung giá đền bù trong "
     "các dự án y tế trên địa bàn; tiếp nhận và trả lời kiến nghị của người dân qua đường "
     "dây nóng và hòm thư góp ý đặt tại các cơ sở khám bệnh, chữa bệnh; tổng hợp, phân "
     "loại và chuyển kiến nghị đến đơn vị có thẩm quyền giải quyết trong thời hạn quy định; "
     "báo cáo kết quả giải quyết định kỳ hằng quý cho Lãnh đạo Sở; tổ chức đối thoại "
     "trực tiếp với người dân tại các cơ sở khám bệnh, chữa bệnh ít nhất một lần trong năm "
     "để lắng nghe ý kiến phản ánh về thái độ phục vụ, thời gian chờ khám và chi phí khám "
     "bệnh, chữa bệnh; công khai kết quả đối thoại trên Cổng thông tin điện tử của Sở.",
     "lead": "Thanh tra Sở", "support": "Các đơn vị trực thuộc Sở",
     "outcome": "100% kiến nghị được tiếp nhận, phân loại và trả lời đúng hạn; báo cáo "
     "hằng quý được gửi Lãnh đạo Sở.", "deadline": "Hằng quý"},
    {"tt": "2", "task": "Khảo sát sự hài lòng của người bệnh nội trú và ngoại trú.",
     "lead": "Phòng Nghiệp vụ Y", "support": "Các bệnh viện",
     "outcome": "Báo cáo kết quả khảo sát.", "deadline": "Trước ngày 15/12/2023"},
    {SECTION: "IV", "title": "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)"},
    {"tt": "1", "task": "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính của Sở.",
     "lead": "Văn phòng Sở", "support": "Các phòng thuộc Sở",
     "outcome": "Báo cáo tự đánh giá gửi Sở Nội vụ.", "deadline": "Tháng 12/2023"},
    {"tt": "2", "task": "Kiểm tra công tác cải cách hành chính tại các đơn vị trực thuộc.",
     "lead": "Văn phòng Sở", "support": "Thanh tra Sở",
     "outcome": "Kiểm tra ít nhất 05 đơn vị.", "deadline": "Quý IV/2023"},
]

FONT_SIZE = 10.0
LINE = FONT_SIZE * 1.25
PAD = 3.0
MARGIN = 36.0


class Writer:
    """Text and rules on pymupdf pages with the two DejaVu fonts registered."""

    def __init__(self) -> None:
        self.doc = pymupdf.open()
        self.regular = pymupdf.Font(fontfile=str(FONT_REGULAR))
        self.bold = pymupdf.Font(fontfile=str(FONT_BOLD))

    def page(self, rect: pymupdf.Rect) -> pymupdf.Page:
        page = self.doc.new_page(width=rect.width, height=rect.height)
        page.insert_font(fontname="F0", fontfile=str(FONT_REGULAR))
        page.insert_font(fontname="F1", fontfile=str(FONT_BOLD))
        return page

    def wrap(self, text: str, width: float, size: float = FONT_SIZE,
             bold: bool = False) -> list[str]:
        font = self.bold if bold else self.regular
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}" if current else word
            if font.text_length(trial, fontsize=size) <= width or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        if current:
            lines.append(current)
        return lines

    def text(self, page: pymupdf.Page, x: float, y: float, text: str, *,
             size: float = FONT_SIZE, bold: bool = False, center: bool = False) -> None:
        """One line with its baseline at y; x is the left edge, or the centre."""
        font = self.bold if bold else self.regular
        if center:
            x -= font.text_length(text, fontsize=size) / 2
        page.insert_text((x, y), text, fontname="F1" if bold else "F0", fontsize=size)

    def save(self) -> bytes:
        self.doc.set_metadata({"title": "Kế hoạch", "creator": "vnplans bad-input corpus",
                               "producer": "pymupdf", "creationDate": "", "modDate": ""})
        self.doc.subset_fonts()  # embedded DejaVu is ~700 KB; the corpus stays small
        return self.doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def header_page(w: Writer) -> None:
    page = w.page(PORTRAIT)
    mid_left, mid_right = 150.0, 400.0
    w.text(page, mid_left, 60, "UBND TỈNH BÌNH ĐỊNH", size=12, center=True)
    w.text(page, mid_left, 76, "SỞ Y TẾ", size=12, bold=True, center=True)
    w.text(page, mid_right, 60, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True,
           center=True)
    w.text(page, mid_right, 76, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True, center=True)
    w.text(page, mid_left, 104, "Số: 12/KH-SYT", size=13, center=True)
    w.text(page, mid_right, 104, "Bình Định, ngày 15 tháng 6 năm 2023", size=13, center=True)
    w.text(page, PORTRAIT.width / 2, 150, "KẾ HOẠCH", size=14, bold=True, center=True)
    title = ("Cải thiện, nâng cao Chỉ số PCI, PAPI, SIPAS và PAR INDEX năm 2023 "
             "trong ngành Y tế")
    y = 168.0
    for line in w.wrap(title, 420, size=14, bold=True):
        w.text(page, PORTRAIT.width / 2, y, line, size=14, bold=True, center=True)
        y += 18
    body = ("Thực hiện Kế hoạch số 107/KH-UBND ngày 08/6/2023 của UBND tỉnh về cải thiện, "
            "nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh (PCI), Chỉ số Hiệu quả Quản trị và "
            "Hành chính công (PAPI), Chỉ số hài lòng của người dân, tổ chức đối với sự phục "
            "vụ của cơ quan hành chính nhà nước (SIPAS), Chỉ số cải cách hành chính (PAR "
            "INDEX) tỉnh Bình Định năm 2023; Sở Y tế ban hành Kế hoạch triển khai thực hiện "
            "như sau (có Phụ lục nhiệm vụ, giải pháp kèm theo).")
    y += 20
    for line in w.wrap(body, PORTRAIT.width - 2 * 70, size=13):
        w.text(page, 70, y, line, size=13)
        y += 18
    y += 30
    w.text(page, 430, y, "KT. GIÁM ĐỐC", size=13, bold=True, center=True)
    w.text(page, 430, y + 16, "PHÓ GIÁM ĐỐC", size=13, bold=True, center=True)
    w.text(page, 430, y + 80, "Lê Văn An", size=13, bold=True, center=True)


def _cell_lines(w: Writer, row: dict[str, str]) -> dict[str, list[str]]:
    return {key: w.wrap(row.get(key, ""), width - 2 * PAD) for key, _h, width in COLUMNS}


def appendix(w: Writer, rows: list[dict[str, str]], *,
             tiny_cells: dict[tuple[int, str], str] | None = None) -> None:
    """The appendix table over as many landscape pages as it needs. Rows break across
    pages line by line (as Word does); the header row repeats on every page.
    `tiny_cells` {(row index, key): text} draws that cell's text at 1 pt, for
    absurdly long cells that still fit on a page."""
    tiny_cells = tiny_cells or {}
    x0 = MARGIN
    xs = [x0]
    for _k, _h, width in COLUMNS:
        xs.append(xs[-1] + width)
    bottom = LANDSCAPE.height - MARGIN

    def new_page(first: bool) -> tuple[pymupdf.Page, float]:
        page = w.page(LANDSCAPE)
        y = MARGIN
        if first:
            w.text(page, LANDSCAPE.width / 2, y + 14, "PHỤ LỤC", size=13, bold=True, center=True)
            w.text(page, LANDSCAPE.width / 2, y + 30, "Nhiệm vụ, giải pháp cải thiện các chỉ số "
                   "PCI, PAPI, SIPAS, PAR INDEX năm 2023", size=11, center=True)
            y += 42
        # Header row, repeated on every page.
        head_lines = {k: w.wrap(h, width - 2 * PAD, bold=True) for k, h, width in COLUMNS}
        height = max(len(v) for v in head_lines.values()) * LINE + 2 * PAD
        for i, (key, _h, width) in enumerate(COLUMNS):
            for j, line in enumerate(head_lines[key]):
                w.text(page, xs[i] + width / 2, y + PAD + (j + 1) * LINE - 3, line, bold=True,
                       center=True)
        rule(page, y, y + height)
        return page, y + height

    def rule(page: pymupdf.Page, top: float, low: float, close: bool = True) -> None:
        shape = page.new_shape()
        shape.draw_line((xs[0], top), (xs[-1], top))
        if close:
            shape.draw_line((xs[0], low), (xs[-1], low))
        for x in xs:
            shape.draw_line((x, top), (x, low))
        shape.finish(color=(0, 0, 0), width=0.6)
        shape.commit()

    page, y = new_page(first=True)
    for index, row in enumerate(rows):
        if SECTION in row:
            if y + LINE + 2 * PAD > bottom:
                page, y = new_page(first=False)
            w.text(page, xs[0] + PAD, y + PAD + LINE - 3, row[SECTION], bold=True)
            w.text(page, xs[1] + PAD, y + PAD + LINE - 3, row["title"], bold=True)
            shape = page.new_shape()
            shape.draw_rect(pymupdf.Rect(xs[0], y, xs[-1], y + LINE + 2 * PAD))
            shape.draw_line((xs[1], y), (xs[1], y + LINE + 2 * PAD))
            shape.finish(color=(0, 0, 0), width=0.6)
            shape.commit()
            y += LINE + 2 * PAD
            continue
        lines = _cell_lines(w, row)
        tiny = {key: text for (i, key), text in tiny_cells.items() if i == index}
        for key, text in tiny.items():
            width = dict((k, wd) for k, _h, wd in COLUMNS)[key]
            lines[key] = w.wrap(text, width - 2 * PAD, size=1.0)
        # Line by line so that a row breaks across the page as in a Word export.
        done = 0
        total = max(len(v) * (1.2 / LINE if k in tiny else 1.0) for k, v in lines.items())
        total_lines = int(total) + (total > int(total))
        while done < total_lines:
            room = int((bottom - y - 2 * PAD) // LINE)
            if room <= 0:
                page, y = new_page(first=False)
                continue
            take = min(room, total_lines - done)
            height = take * LINE + 2 * PAD
            for i, (key, _h, _width) in enumerate(COLUMNS):
                if key in tiny:
                    per_line = LINE / 1.2
                    first = int(done * per_line)
                    last = int((done + take) * per_line)
                    for j, line in enumerate(lines[key][first:last]):
                        w.text(page, xs[i] + PAD, y + PAD + (j + 1) * 1.2, line, size=1.0)
                    continue
                for j, line in enumerate(lines[key][done:done + take]):
                    w.text(page, xs[i] + PAD, y + PAD + (j + 1) * LINE - 3, line)
            rule(page, y, y + height)
            y += height
            done += take
            if done < total_lines:
                page, y = new_page(first=False)


def plan_pdf(rows: list[dict[str, str]] | None = None, **kwargs: object) -> bytes:
    w = Writer()
    header_page(w)
    appendix(w, rows if rows is not None else PLAN_ROWS, **kwargs)  # type: ignore[arg-type]
    return w.save()


# --- hand-written PDFs --------------------------------------------------------------

def raw_pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF from object bodies (numbered from 1; object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def zero_pages() -> bytes:
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [] /Count 0 >>"])


# A ToUnicode map that turns the codes of A-F into what no text layer should hold:
# lone surrogates, control characters and NUL (all seen in real garbled exports).
NASTY_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Nasty def 1 begincodespacerange <00> <FF> endcodespacerange
6 beginbfchar <41> <D800> <42> <00610007> <43> <DFFF> <44> <001B0062> <45> <0000>
<46> <FFFE> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def control_characters() -> bytes:
    """The plan with, in several table cells and the title, words whose text layer holds
    lone surrogates, control characters and NUL."""
    doc = pymupdf.open(stream=plan_pdf(), filetype="pdf")
    cmap_xref = 0
    for page in doc:
        words = [pymupdf.Rect(w[:4]) for w in page.get_text("words")]
        targets = []
        for found in page.search_for("Văn phòng Sở") + page.search_for("Thanh tra Sở"):
            below = pymupdf.Rect(found.x0, found.y1 + 1, found.x0 + 60, found.y1 + 12)
            if not any(below.intersects(r) for r in words) and below.y1 < page.rect.y1 - 40:
                targets.append(below)
        for spot in targets[:3]:
            page.insert_text((spot.x0, spot.y1 - 3), "xAByCDzEF", fontname="helv",
                             fontsize=8)
        for xref, _ext, _kind, basefont, _name, _enc in page.get_fonts():
            if basefont == "Helvetica":
                if not cmap_xref:
                    cmap_xref = doc.get_new_xref()
                    doc.update_object(cmap_xref, "<<>>")
                    doc.update_stream(cmap_xref, NASTY_CMAP)
                doc.xref_set_key(xref, "ToUnicode", f"{cmap_xref} 0 R")
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def image_only() -> bytes:
    """Three pages that are only a picture (shapes, no words), as a bad scan gives."""
    rng = random.Random(7)
    w = Writer()
    for _ in range(3):
        pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 400, 560), False)
        pix.clear_with(235)
        for _ in range(40):
            x, y = rng.randrange(0, 380), rng.randrange(0, 540)
            shade = rng.randrange(60, 200)
            pix.set_rect(pymupdf.IRect(x, y, x + rng.randrange(5, 60), y + rng.randrange(3, 20)),
                         (shade, shade, shade))
        page = w.doc.new_page(width=PORTRAIT.width, height=PORTRAIT.height)
        page.insert_image(page.rect, stream=pix.tobytes("png"))
    return w.save()


def not_a_plan() -> bytes:
    """A ruled table that is a price list, not a plan appendix."""
    w = Writer()
    page = w.page(PORTRAIT)
    w.text(page, PORTRAIT.width / 2, 70, "BẢNG GIÁ DỊCH VỤ KHÁM BỆNH", size=14, bold=True,
           center=True)
    columns = [("STT", 40), ("Tên dịch vụ", 250), ("Đơn vị tính", 90), ("Đơn giá (đồng)", 110)]
    items = [("1", "Khám nội tổng quát", "Lần", "39.000"),
             ("2", "Chụp X-quang ngực thẳng", "Lần", "65.400"),
             ("3", "Xét nghiệm công thức máu", "Lần", "46.200"),
             ("4", "Siêu âm ổ bụng", "Lần", "43.900")]
    x = [60.0]
    for _name, width in columns:
        x.append(x[-1] + width)
    y = 100.0
    for cells, bold in [(tuple(n for n, _w in columns), True)] + [(it, False) for it in items]:
        for i, cell in enumerate(cells):
            w.text(page, x[i] + 4, y + 15, cell, bold=bold)
        shape = page.new_shape()
        shape.draw_rect(pymupdf.Rect(x[0], y, x[-1], y + 22))
        for xi in x[1:-1]:
            shape.draw_line((xi, y), (xi, y + 22))
        shape.finish(color=(0, 0, 0), width=0.6)
        shape.commit()
        y += 22
    return w.save()


def long_cell() -> bytes:
    """The plan with one outcome cell of 50 000 characters (set at 1 pt so it fits)."""
    words = []
    rng = random.Random(50_000)
    vocabulary = ["kết", "quả", "báo", "cáo", "hằng", "quý", "đạt", "trên", "98%", "hồ", "sơ"]
    length = 0
    while length < 50_000:
        word = rng.choice(vocabulary)
        words.append(word)
        length += len(word) + 1
    text = " ".join(words)[:50_000]
    return plan_pdf(tiny_cells={(2, "outcome"): text})


def cut_mid_table() -> bytes:
    """The plan whose last appendix page is missing: the table stops inside a row."""
    doc = pymupdf.open(stream=plan_pdf(), filetype="pdf")
    doc.delete_page(doc.page_count - 1)
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True)


def encrypted(user: bool) -> bytes:
    doc = pymupdf.open(stream=plan_pdf(), filetype="pdf")
    return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="chu-so-huu",
                       user_pw="nguoi-dung" if user else "",
                       permissions=0 if not user else -1, no_new_id=True)


def broken_xref() -> bytes:
    """Every offset in the cross-reference table is wrong (an FTP text-mode transfer or
    a careless edit): MuPDF rebuilds it by scanning the objects."""
    data = bytearray(plan_pdf_uncompressed_xref())
    start = data.rfind(b"\nxref\n") + 1
    end = data.find(b"trailer", start)
    table = data[start:end]
    fixed = bytearray()
    for line in bytes(table).split(b"\n"):
        if len(line.rstrip()) == 18 and line.rstrip().endswith(b" n"):
            line = b"%010d" % (int(line[:10]) + 7) + line[10:]
        fixed += line + b"\n"
    data[start:end] = fixed[:-1]
    return bytes(data)


def plan_pdf_uncompressed_xref() -> bytes:
    """The plan saved with a classic `xref` table (no object streams)."""
    doc = pymupdf.open(stream=plan_pdf(), filetype="pdf")
    return doc.tobytes(garbage=3, deflate=True, no_new_id=True, use_objstms=0)


def truncated(fraction: float) -> bytes:
    data = plan_pdf()
    return data[: int(len(data) * fraction)]


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in [
            ("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
             'openxmlformats.org/package/2006/content-types"/>'),
            ("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.'
             'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>KẾ HOẠCH'
             '</w:t></w:r></w:p></w:body></w:document>'),
        ]:
            info = zipfile.ZipInfo(name, date_time=(2023, 6, 15, 0, 0, 0))
            zf.writestr(info, text)
    return buffer.getvalue()


def png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\xff" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def dense_grid() -> bytes:
    """Three landscape pages ruled every 4 points (a grid of ~30 000 cells each) with
    plan-like header words: the table finder must stay bounded, not quadratic."""
    w = Writer()
    for _ in range(3):
        page = w.page(LANDSCAPE)
        shape = page.new_shape()
        for x in range(0, int(LANDSCAPE.width), 4):
            shape.draw_line((x, 0), (x, LANDSCAPE.height))
        for y in range(0, int(LANDSCAPE.height), 4):
            shape.draw_line((0, y), (LANDSCAPE.width, y))
        shape.finish(color=(0, 0, 0), width=0.2)
        shape.commit()
        w.text(page, 50, 50, "TT Nhiệm vụ Chủ trì Phối hợp Thời gian hoàn thành", size=6)
        for y in range(60, 580, 8):
            w.text(page, 6, y, f"{y} Nội dung công việc", size=3)
    return w.save()


def drawing_storm() -> bytes:
    """A page of 20 000 random strokes and one of 5 000 tiny words (a vectorised map, an
    exported chart): bounded time, then "no appendix"."""
    rng = random.Random(20_000)
    w = Writer()
    page = w.page(PORTRAIT)
    shape = page.new_shape()
    for _ in range(20_000):  # whole points: the file compresses to a few hundred KB
        x, y = rng.randrange(0, 595), rng.randrange(0, 842)
        shape.draw_line((x, y), (x + rng.randrange(-50, 50), y + rng.randrange(-50, 50)))
    shape.finish(color=(0, 0, 0), width=0.3)
    shape.commit()
    # A text layer, so that the page is not taken for a scan and OCR'd.
    for y in range(40, 800, 40):
        w.text(page, 40, y, "Sơ đồ hiện trạng mạng lưới cơ sở y tế trên địa bàn tỉnh", size=9)
    page = w.page(PORTRAIT)
    for row in range(0, 830, 5):  # one line of many short words per 5 points
        words = " ".join(f"từ{rng.randrange(1000)}" for _ in range(30))
        w.text(page, rng.randrange(0, 20), 5 + row, words, size=3)
    return w.save()


def garbage_after_header() -> bytes:
    rng = random.Random(1234)
    return b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(4000)) + b"\n%%EOF\n"


HTML = ("<!DOCTYPE html>\n<html><head><title>404 Không tìm thấy trang</title></head>"
        "<body><h1>404</h1><p>Trang bạn yêu cầu không tồn tại.</p></body></html>\n")

# File name → builder. The expected outcome of each is in tests/test_badinput.py.
CASES: dict[str, Callable[[], bytes]] = {
    "ok-plan.pdf": plan_pdf,
    "Kế hoạch số 12 (bản ký).pdf": plan_pdf,
    "empty.pdf": lambda: b"",
    "text-file.pdf": lambda: "Kế hoạch số 12/KH-SYT\nNội dung đang cập nhật.\n".encode(),
    "html-error-page.pdf": lambda: HTML.encode(),
    "word-document.pdf": docx,
    "old-word-document.pdf": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
    "image.pdf": png,
    "truncated-10.pdf": lambda: truncated(0.10),
    "truncated-50.pdf": lambda: truncated(0.50),
    "truncated-90.pdf": lambda: truncated(0.90),
    "garbage-after-header.pdf": garbage_after_header,
    "broken-xref.pdf": broken_xref,
    "encrypted-user-password.pdf": lambda: encrypted(user=True),
    "encrypted-owner-password.pdf": lambda: encrypted(user=False),
    "zero-pages.pdf": zero_pages,
    "image-only.pdf": image_only,
    "not-a-plan-table.pdf": not_a_plan,
    "appendix-cut-mid-table.pdf": cut_mid_table,
    "long-cell-50000.pdf": long_cell,
    "dense-ruling-grid.pdf": dense_grid,
    "drawing-storm.pdf": drawing_storm,
    "control-characters.pdf": control_characters,
}


# AES draws a random salt: rebuilt only with --all, so regenerating leaves no diff.
RANDOM_EACH_TIME = {"encrypted-user-password.pdf", "encrypted-owner-password.pdf"}


def main(argv: list[str]) -> int:
    rebuild_all = "--all" in argv
    CORPUS.mkdir(parents=True, exist_ok=True)
    for stale in set(p.name for p in CORPUS.iterdir()) - set(CASES):
        (CORPUS / stale).unlink()
    for name, build in CASES.items():
        target = CORPUS / name
        if name in RANDOM_EACH_TIME and target.exists() and not rebuild_all:
            continue
        target.write_bytes(build())
    total = sum(p.stat().st_size for p in CORPUS.iterdir())
    print(f"{len(CASES)} files, {total // 1024} KiB in {CORPUS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
