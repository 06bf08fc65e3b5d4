"""Header-block reader: every `document` field of the generated fixtures (expected
JSON written by the generator from its plan data) and of real Lào Cai PDFs (values
from their transcripts / the printed page)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from vnplans.ir import Page
from vnplans.layout.header_block import _parse_date, _province_in, fold, read_header_block
from vnplans.pipeline import read_pages

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REAL = TESTS / "data" / "real"
# (pdf, expected json) of every generated plan, staging ones included.
FIXTURE_FILES = {
    p.stem: (p.parent.parent / "pdfs" / f"{p.stem}.pdf", p)
    for p in [*(FIXTURES / "expected").glob("*.json"),
              *(FIXTURES / "staging" / "expected").glob("*.json")]
}
FIXTURE_NAMES = sorted(FIXTURE_FILES)


@cache
def pages_of(path: Path) -> list[Page]:
    return read_pages(path, ocr=False).pages


def document_of(path: Path) -> tuple[dict, list[str]]:
    info, warnings = read_header_block(pages_of(path))
    return info.model_dump(mode="json"), warnings


def test_there_are_fixtures() -> None:
    assert len(FIXTURE_NAMES) >= 7


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_document_fields_match_fixture(name: str) -> None:
    pdf, expected_json = FIXTURE_FILES[name]
    expected = json.loads(expected_json.read_text("utf-8"))["document"]
    got, _ = document_of(pdf)
    for field, value in expected.items():
        if field == "indices":  # the contract allows any order
            assert sorted(got[field]) == sorted(value), field
        else:
            assert got[field] == value, field


def test_blank_day_is_warned_not_guessed() -> None:
    got, warnings = document_of(FIXTURES / "pdfs" / "dn2020.pdf")
    assert got["issued_on"] is None
    assert got["year"] == 2020  # from the title "… năm 2020"
    assert any("date" in w for w in warnings)


def test_seed_without_warnings() -> None:
    _, warnings = document_of(FIXTURES / "pdfs" / "bd2023.pdf")
    assert warnings == []


REAL_EXPECTED = {
    # QD-1050-kiem-tra-VLNCN-2026.txt
    "QD-1050-kiem-tra-VLNCN-2026.pdf": {
        "authority": "UBND TỈNH LÀO CAI", "issuer": "SỞ CÔNG THƯƠNG", "province": "Lào Cai",
        "number": "1050", "symbol": "QĐ-SCT", "doc_type": "Quyết định",
        "issued_on": "2026-03-06", "year": 2026,
        "title": "Kiểm tra việc chấp hành pháp luật trong sử dụng và bảo quản vật liệu nổ "
                 "công nghiệp trên địa bàn tỉnh Lào Cai năm 2026",
        "indices": [],
        "signer": {"name": "Hoàng Chí Hiền", "position": "GIÁM ĐỐC", "acting": None},
    },
    # TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.txt
    "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf": {
        "authority": "UBND TỈNH LÀO CAI", "issuer": "SỞ CÔNG THƯƠNG", "province": "Lào Cai",
        "number": "1894", "symbol": "TB-SCT", "doc_type": "Thông báo",
        "issued_on": "2026-04-09", "year": 2026,
        "title": "Kết quả kiểm tra việc chấp hành Quy định của pháp luật trong sử dụng và "
                 "bảo quản vật liệu nổ công ghiệp",
        "indices": [],
        "signer": {"name": "Hoàng Văn Thuân", "position": "PHÓ GIÁM ĐỐC", "acting": "KT."},
    },
    # No transcript: values read off the rendered first and last pages. The issuer's
    # name runs over two lines (no parent authority); day and month are stamped over
    # the printed template ("ngày 15 tháng 5 4 năm 2026").
    "QD-1696-QD-UBND-uy-quyen-15-5-2026.pdf": {
        "authority": None, "issuer": "ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "province": "Lào Cai",
        "number": "1696", "symbol": "QĐ-UBND", "doc_type": "Quyết định",
        "issued_on": "2026-05-15", "year": 2026,
        "title": "Về việc ủy quyền cho Giám đốc Sở Công Thương thực hiện một số nhiệm vụ, "
                 "quyền hạn của UBND tỉnh trong lĩnh vực an toàn vệ sinh lao động và vận "
                 "chuyển hàng hóa nguy hiểm trên địa bàn tỉnh Lào Cai",
        "indices": [],
        "signer": {"name": "Nguyễn Tuấn Anh", "position": "CHỦ TỊCH", "acting": "TM."},
    },
}


@pytest.mark.parametrize("file", sorted(REAL_EXPECTED))
def test_real_lao_cai_documents(file: str) -> None:
    got, warnings = document_of(REAL / file)
    assert got == REAL_EXPECTED[file]
    assert warnings == []


@pytest.mark.parametrize(("printed", "province"), [
    ("UBND TỈNH ĐẮK NÔNG", "Đắk Nông"),
    ("UBND TỈNH ĐĂK NÔNG", "Đắk Nông"),
    ("UBND TỈNH ĐẮC LẮK", "Đắk Lắk"),
    ("UBND TỈNH KHÁNH HOÀ", "Khánh Hòa"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Hồ Chí Minh"),
    ("UBND TP. HỒ CHÍ MINH", "Hồ Chí Minh"),
    ("UBND TỈNH BÀ RỊA - VŨNG TÀU", "Bà Rịa - Vũng Tàu"),
    ("UBND THÀNH PHỐ HUẾ", "Huế"),
    ("UBND TỈNH THỪA THIÊN HUẾ", "Thừa Thiên Huế"),
    ("UBND HUYỆN ĐẠI TỪ", None),
])
def test_province_spellings(printed: str, province: str | None) -> None:
    assert _province_in(printed) == province


def test_dates() -> None:
    assert _parse_date("Bình Định, ngày 15 tháng 6 năm 2023")[1:] == (
        __import__("datetime").date(2023, 6, 15), 2023)
    place, issued, year = _parse_date("Đắk Nông, ngày        tháng 01 năm 2020")
    assert (place, issued, year) == ("Đắk Nông", None, 2020)
    assert _parse_date("Hà Nội, ngày 31 tháng 2 năm 2024")[1] is None  # no such day


def test_fold_ignores_tones_and_punctuation() -> None:
    assert fold("CỘNG HÕA XÃ HỘI") == fold("Cộng hòa xã hội") == "CONG HOA XA HOI"
    assert fold("PAR IN-DEX") == "PAR IN DEX"


def test_index_names_long_and_broken() -> None:
    from vnplans.layout.header_block import _indices_in

    assert _indices_in("nâng cao Chỉ số PAR IN DEX, Chỉ số SIPAS cấp tỉnh") == ["PAR INDEX", "SIPAS"]
    assert _indices_in("Chỉ số năng lực cạnh tranh cấp tỉnh năm 2023") == ["PCI"]
    assert _indices_in("Chỉ số Hiệu quả Quản trị và Hành chính công") == ["PAPI"]


@pytest.mark.ocr
def test_scanned_plan_read_through_ocr() -> None:
    # The Bình Định seed printed, scanned and OCR'd (tests/fixtures/scanned): OCR words
    # carry no bold/italic, so the reader must rely on layout alone. Only the first
    # page and the signature page are OCR'd to keep the test short.
    import pymupdf

    from vnplans.pdf.reader import read_pdf
    from vnplans.textlayer.ocr import ocr_page

    path = FIXTURES / "scanned" / "bd2023_scan.pdf"
    doc = read_pdf(path)
    pages = [doc.pages[0], doc.pages[2]]
    with pymupdf.open(path) as pdf:
        for page in pages:
            ocr_page(page, pdf[page.number - 1])
    assert {w.origin for p in pages for w in p.words} == {"ocr"}
    info, warnings = read_header_block(pages)
    expected = json.loads((FIXTURES / "expected" / "bd2023.json").read_text("utf-8"))["document"]
    assert info.model_dump(mode="json") == expected
    assert warnings == []


def _lines(rows: list[tuple[float, str]], x0: float = 380.0, size: float = 13.0):
    from vnplans.geometry import Line
    from vnplans.ir import Word

    out = []
    for y, text in rows:
        words, x = [], x0
        for token in text.split():
            width = 0.5 * size * len(token)
            words.append(Word(token, x, y, x + width, y + size, size=size, bold=True))
            x += width + 0.25 * size
        out.append(Line(words))
    return out


@pytest.mark.parametrize(("rows", "signer"), [
    ([(500, "TM. ỦY BAN NHÂN DÂN"), (515, "KT. CHỦ TỊCH"), (530, "PHÓ CHỦ TỊCH"),
      (620, "Trần Văn A")], ("Trần Văn A", "PHÓ CHỦ TỊCH", "KT.")),
    ([(500, "TUQ. CHỦ TỊCH"), (515, "GIÁM ĐỐC SỞ NỘI VỤ"), (560, "(Đã ký)"),
      (620, "Lê Thị B")], ("Lê Thị B", "GIÁM ĐỐC SỞ NỘI VỤ", "TL.")),
    ([(500, "KT.GIÁM ĐỐC"), (515, "PHÓ GIÁM ĐỐC"), (620, "NGUYỄN VĂN C")],
     ("NGUYỄN VĂN C", "PHÓ GIÁM ĐỐC", "KT.")),
    ([(500, "Q. GIÁM ĐỐC"), (620, "Phạm D")], ("Phạm D", "GIÁM ĐỐC", "Q.")),
    ([(500, "T/M ỦY BAN NHÂN DÂN"), (515, "K/T CHỦ TỊCH"), (530, "PHÓ CHỦ TỊCH"),
      (620, "Trần Văn A")], ("Trần Văn A", "PHÓ CHỦ TỊCH", "KT.")),
    ([(500, "KT GIÁM ĐỐC"), (515, "PHÓ GIÁM ĐỐC"), (620, "Lê Văn E")],
     ("Lê Văn E", "PHÓ GIÁM ĐỐC", "KT.")),
])
def test_signature_blocks(rows, signer) -> None:
    from vnplans.layout.header_block import _knowledge, _signature_in

    got = _signature_in(_lines(rows), _knowledge())
    assert got is not None
    assert (got.name, got.position, got.acting) == signer


@pytest.mark.parametrize(("type_line", "doc_type", "warned"), [
    ("KẾ HOẠCH", "Kế hoạch", False),
    ("KẾ HOẠCH HÀNH ĐỘNG", "Kế hoạch", False),
    ("CHƯƠNG TRÌNH HÀNH ĐỘNG", "Chương trình hành động", False),
    ("ĐỀ CƯƠNG", "Đề cương", True),
    ("K Ế H O Ạ C H", "Kế hoạch", False),
])
def test_document_type_and_title(type_line: str, doc_type: str, warned: bool) -> None:
    from vnplans.layout.header_block import _doc_type_and_title, _knowledge

    rows = _lines([(200, type_line), (216, "Nâng cao Chỉ số PCI năm 2024"),
                   (231, "của Sở Tư pháp"), (270, "Căn cứ Kế hoạch số 12/KH-UBND")], x0=150)
    rows[-1].words[0].bold = False
    warnings: list[str] = []
    got = _doc_type_and_title(rows, _knowledge(), warnings)
    assert got == (doc_type, ["Nâng cao Chỉ số PCI năm 2024", "của Sở Tư pháp"])
    assert bool(warnings) == warned


def test_wrapped_authority_keeps_its_last_word() -> None:
    """F9: "ỦY BAN NHÂN DÂN TỈNH LÂM" / "ĐỒNG" (regular) over "SỞ TÀI NGUYÊN VÀ MÔI" /
    "TRƯỜNG" (bold) in a 6.8 cm left column."""
    pdf = FIXTURES / "office" / "variants" / "pdfs" / "ldg2023_stnmt__authority_wrapped.pdf"
    got, _ = document_of(pdf)
    assert got["authority"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert got["issuer"] == "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    assert got["province"] == "Lâm Đồng"


@pytest.mark.parametrize(("rows", "regular", "expected"), [
    # The issuer starts at an issuing-body word, whatever the weights.
    (["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "SỞ TƯ PHÁP"], 0,
     ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "SỞ TƯ PHÁP")),
    (["UBND TỈNH BÌNH ĐỊNH", "SỞ KẾ HOẠCH VÀ", "ĐẦU TƯ"], 0,
     ("UBND TỈNH BÌNH ĐỊNH", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ")),
    (["UBND HUYỆN ĐẠI", "TỪ", "PHÒNG NỘI VỤ"], 0, ("UBND HUYỆN ĐẠI TỪ", "PHÒNG NỘI VỤ")),
    # No such word: regular lines are the authority, bold ones the issuer.
    (["ỦY BAN NHÂN DÂN TỈNH", "NINH THUẬN", "HỌC VIỆN CÁN BỘ"], 2,
     ("ỦY BAN NHÂN DÂN TỈNH NINH THUẬN", "HỌC VIỆN CÁN BỘ")),
    # A district people's committee issuing on its own, its name wrapped.
    (["ỦY BAN NHÂN DÂN", "HUYỆN ĐẠI TỪ"], 0, (None, "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ")),
    (["SỞ Y TẾ"], 0, (None, "SỞ Y TẾ")),
])
def test_authority_and_issuer_split(rows: list[str], regular: int, expected) -> None:
    from vnplans.layout.header_block import _authority_and_issuer, _knowledge

    lines = _lines([(40 + 15 * i, text) for i, text in enumerate(rows)], x0=60)
    for line in lines[:regular]:
        for word in line.words:
            word.bold = False
    assert _authority_and_issuer(lines, _knowledge()) == expected


# --------------------------------------------------------------------------- variants

VARIANTS = FIXTURES / "office" / "variants"
# The office plans in other house styles (make_office_plans.py --variants): every
# header field as the plan data says. Scanned ones need OCR and are read below.
VARIANT_NAMES = sorted(p.stem for p in (VARIANTS / "expected").glob("*.json")
                       if not p.stem.endswith("__scan"))


def test_there_are_variants() -> None:
    assert len(VARIANT_NAMES) >= 20


@pytest.mark.parametrize("name", VARIANT_NAMES)
def test_variant_document_fields(name: str) -> None:
    expected = json.loads((VARIANTS / "expected" / f"{name}.json").read_text("utf-8"))
    got, _ = document_of(VARIANTS / "pdfs" / f"{name}.pdf")
    for field, value in expected["document"].items():
        if field == "indices":
            assert sorted(got[field]) == sorted(value), field
        else:
            assert got[field] == value, field


@pytest.mark.parametrize(("name", "page_1_ends", "page_2_opens", "signer"), [
    # H2: a landscape body; "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" ends page 1, the rest of
    # "Nơi nhận" and the name open page 2.
    ("tb2021_ubnd__landscape_all", "CHỦ TỊCH", "Nguyễn Khắc Thận",
     ("Nguyễn Khắc Thận", "CHỦ TỊCH", "TM.")),
    ("qng2024_snv__hcm_arial14", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Thu Hà",
     ("Nguyễn Thị Thu Hà", "PHÓ GIÁM ĐỐC", "KT.")),
    # The break between the position lines: "KT. CHỦ TỊCH" ends page 1.
    ("cx2022_huyen__arial_land", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
     ("Trần Đình Tuấn", "PHÓ CHỦ TỊCH", "KT.")),
])
def test_signature_block_cut_by_the_page_break(name: str, page_1_ends: str,
                                               page_2_opens: str, signer) -> None:
    _assert_cut_signature(name, 0, page_1_ends, page_2_opens, signer)


def test_signature_after_a_table_in_the_body_cut_by_the_page_break() -> None:
    """The appendix table set in the body, then the signature: "TM. ỦY BAN NHÂN DÂN /
    CHỦ TỊCH" ends page 2 under the table, the name opens page 3."""
    _assert_cut_signature("bn2025_tp__inline", 1, "CHỦ TỊCH", "Nguyễn Quang Khải",
                          ("Nguyễn Quang Khải", "CHỦ TỊCH", "TM."))


def _assert_cut_signature(name: str, page: int, page_ends: str, next_opens: str,
                          signer: tuple[str, str, str]) -> None:
    path = VARIANTS / "pdfs" / f"{name}.pdf"
    texts = [" ".join(w.text for w in p.words) for p in pages_of(path)[page:page + 2]]
    assert page_ends in texts[0] and next_opens not in texts[0]
    assert next_opens in texts[1] and signer[0] in texts[1]
    got, warnings = document_of(path)
    assert got["signer"] == dict(zip(("name", "position", "acting"), signer, strict=True))
    assert not any("signature" in w for w in warnings)


def test_blank_number_and_day_with_city_place() -> None:
    got, warnings = document_of(VARIANTS / "pdfs" / "bdg2024_skhdt__blankday_hcm.pdf")
    assert (got["authority"], got["province"]) == ("UBND TP. HỒ CHÍ MINH", "Hồ Chí Minh")
    assert (got["number"], got["issued_on"], got["year"]) == (None, None, 2024)
    assert any("date" in w for w in warnings)


@pytest.mark.ocr
def test_scanned_signature_skips_specks_and_respells_the_position() -> None:
    """H8: OCR reads a speck "k" under "CHỦ TỊCH" and drops the dot of "TỊCH"."""
    import pymupdf

    from vnplans.pdf.reader import read_pdf
    from vnplans.textlayer.ocr import ocr_page

    path = VARIANTS / "pdfs" / "tb2021_ubnd__horizontal_14__scan.pdf"
    pages = read_pdf(path).pages[:1]
    with pymupdf.open(path) as pdf:
        ocr_page(pages[0], pdf[0])
    info, _ = read_header_block(pages)
    assert (info.signer.name, info.signer.position, info.signer.acting) == (
        "Nguyễn Khắc Thận", "CHỦ TỊCH", "TM.")


def test_block_cut_between_its_position_lines() -> None:
    """The page break falls inside the block: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" at
    the foot of one page, "PHÓ CHỦ TỊCH" and the name at the top of the next (moved
    below the first page's lines, as `_continuation` does)."""
    from vnplans.layout.header_block import _knowledge, _signature_in

    right = _lines([(500, "TM. ỦY BAN NHÂN DÂN"), (517, "KT. CHỦ TỊCH")], x0=460)
    following = _lines([(575, "PHÓ CHỦ TỊCH"), (660, "Trần Văn A")], x0=480)
    got = _signature_in(right + following, _knowledge(), page_break=len(right))
    assert got is not None
    assert (got.name, got.position, got.acting) == ("Trần Văn A", "PHÓ CHỦ TỊCH", "KT.")


def test_signer_name_is_under_the_block() -> None:
    """A running footer (off the block's centre, or smaller) or a speck below the
    position is not the name."""
    from vnplans.layout.header_block import _knowledge, _signature_in

    rows = _lines([(500, "KT. GIÁM ĐỐC"), (515, "PHÓ GIÁM ĐỐC")], x0=380)
    speck = _lines([(530, "k")], x0=420)
    footer = _lines([(560, "Phụ lục Kế hoạch số 45/KH-SNV")], x0=150)
    small_footer = _lines([(580, "Kế hoạch 45")], x0=390, size=10.0)
    name = _lines([(620, "Lê Thị B")], x0=400)
    got = _signature_in(rows + speck + footer + small_footer + name, _knowledge())
    assert got is not None and got.name == "Lê Thị B"


def test_ocr_position_respelled() -> None:
    from vnplans.layout.header_block import _knowledge, _respelled

    assert _respelled("PHÓ CHỦ TICH", _knowledge()) == "PHÓ CHỦ TỊCH"
    assert _respelled("PHO GIAM DOC", _knowledge()) == "PHO GIÁM ĐỐC"


@pytest.mark.parametrize("rows", [
    ["Thành phố Hồ Chí Minh, ngày 08", "tháng 3 năm 2024"],
    ["Thành phố Hồ Chí Minh,", "ngày 08 tháng 3 năm 2024"],
    ["TP. Hồ Chí Minh, ngày 08 tháng 3 năm 2024"],
])
def test_date_line_wrapped_in_the_motto_column(rows: list[str]) -> None:
    from vnplans.layout.header_block import _date_rows

    lines = _lines([(60, "Độc lập - Tự do - Hạnh phúc")]
                   + [(100 + 15 * i, text) for i, text in enumerate(rows)], x0=320)
    text = " ".join(ln.text for ln in _date_rows(lines))
    place, issued, year = _parse_date(text)
    assert issued == __import__("datetime").date(2024, 3, 8) and year == 2024
    assert _province_in(place, require_marker=False) == "Hồ Chí Minh"


@pytest.mark.parametrize(("place", "province"), [
    ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Bình Định", "Bình Định"),
    ("Thủ Dầu Một", None),
])
def test_place_names_a_province(place: str, province: str | None) -> None:
    assert _province_in(place, require_marker=False) == province


def test_title_lines_joined_after_a_glued_hyphen() -> None:
    from vnplans.layout.header_block import _title_of

    assert _title_of(["Nâng cao Chỉ số PAR INDEX giai đoạn 2021-", "2025"]) == \
        "Nâng cao Chỉ số PAR INDEX giai đoạn 2021-2025"
    assert _title_of(["Phòng Lao động -", "Thương binh và Xã hội năm 2024."]) == \
        "Phòng Lao động - Thương binh và Xã hội năm 2024"


@pytest.mark.parametrize("recipients_y", [660.0, 560.0])
def test_joint_plan_signers_above_the_recipients(recipients_y: float) -> None:
    """A joint plan: two signature blocks side by side, "Nơi nhận" under them (or
    under their position lines only); the right-hand block (the issuing body's) is
    the signer."""
    from vnplans.layout.header_block import _signer

    lines = (_lines([(500, "TM. BAN THƯỜNG VỤ"), (515, "BÍ THƯ"), (600, "Lê Văn X")], x0=90)
             + _lines([(500, "TM. ỦY BAN NHÂN DÂN"), (515, "CHỦ TỊCH"), (600, "Trần Thị Y")],
                      x0=360)
             + _lines([(recipients_y + 15 * i, text) for i, text in
                       enumerate(["Nơi nhận:", "- Như trên;", "- Lưu: VT."])], x0=90))
    page = Page(number=1, width=595.0, height=842.0,
                words=[w for line in lines for w in line.words])
    warnings: list[str] = []
    got = _signer([page], 1, warnings)
    assert (got.name, got.position, got.acting) == ("Trần Thị Y", "CHỦ TỊCH", "TM.")
    assert warnings == []


def test_signature_after_the_appendix() -> None:
    """The body ends without a signature; the appendix (landscape) ends with "Nơi
    nhận" and the signature block."""
    from vnplans.layout.header_block import _signer

    body = _lines([(100, "Căn cứ Kế hoạch số 12/KH-UBND ngày 02/01/2024;"),
                   (120, "(Có Phụ lục kèm theo)")], x0=85)
    tail = (_lines([(380, "Nơi nhận:"), (395, "- Như trên;"), (410, "- Lưu: VT.")], x0=90)
            + _lines([(380, "KT. GIÁM ĐỐC"), (395, "PHÓ GIÁM ĐỐC"), (480, "Lê Thị B")],
                     x0=520))
    appendix_top = _lines([(40, "PHỤ LỤC"), (60, "Nâng cao Chỉ số PCI năm 2024")], x0=380)
    pages = [Page(number=1, width=595.0, height=842.0,
                  words=[w for line in body for w in line.words]),
             Page(number=2, width=842.0, height=595.0,
                  words=[w for line in appendix_top + tail for w in line.words])]
    warnings: list[str] = []
    got = _signer(pages, 1, warnings)
    assert (got.name, got.position, got.acting) == ("Lê Thị B", "PHÓ GIÁM ĐỐC", "KT.")
    assert warnings == []


def _first_page(rows: list[tuple[float, float, str, bool]]) -> Page:
    """A first page from (x0, y, text, bold) lines."""
    words = []
    for x0, y, text, bold in rows:
        for line in _lines([(y, text)], x0=x0):
            for word in line.words:
                word.bold = bold
                words.append(word)
    return Page(number=1, width=595.0, height=842.0, words=words)


def test_wrapped_authority_beside_a_wrapped_motto_and_a_wide_date_line() -> None:
    """"UBND TỈNH QUẢNG / NGÃI" beside "CỘNG HÒA … VIỆT / NAM": the reading order may
    join "NGÃI" and "NAM" on their row; the date line starts left of the motto."""
    page = _first_page([
        (290, 58, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT", True), (100, 58, "UBND TỈNH QUẢNG", False),
        (395, 74, "NAM", True), (140, 74, "NGÃI", False),
        (330, 90, "Độc lập - Tự do - Hạnh phúc", True), (125, 92, "SỞ NỘI VỤ", True),
        (110, 118, "Số: 312/KH-SNV", False),
        (262, 118, "Quảng Ngãi, ngày 08 tháng 3 năm 2024", False),
        (270, 166, "KẾ HOẠCH", True), (160, 186, "Nâng cao Chỉ số PAR INDEX năm 2024", True),
    ])
    info, _ = read_header_block([page])
    assert (info.authority, info.issuer, info.province) == (
        "UBND TỈNH QUẢNG NGÃI", "SỞ NỘI VỤ", "Quảng Ngãi")
    assert str(info.issued_on) == "2024-03-08"
    assert info.title == "Nâng cao Chỉ số PAR INDEX năm 2024"


def test_segment_across_the_column_gap_is_split() -> None:
    from vnplans.geometry import Line
    from vnplans.ir import Word
    from vnplans.layout.header_block import _split_at_divider

    seg = Line([Word("DƯƠNG", 160, 74, 205, 87, size=13), Word("NAM", 400, 74, 432, 87, size=13)])
    assert [ln.text for ln in _split_at_divider(seg, 300.0)] == ["DƯƠNG", "NAM"]
    title = Line([Word("Nâng", 250, 200, 280, 213, size=13), Word("cao", 284, 200, 305, 213,
                                                                   size=13)])
    assert _split_at_divider(title, 290.0) == [title]


def test_date_and_title_wrapped() -> None:
    """"Thành phố Hồ Chí Minh, ngày 08" / "tháng 3 năm 2024" in the motto column; the
    title "… giai đoạn 2021-" / "2025"."""
    got, _ = document_of(VARIANTS / "pdfs" / "qng2024_snv__date_title_wrapped.pdf")
    assert (got["issued_on"], got["year"], got["province"]) == ("2024-03-08", 2024,
                                                                "Hồ Chí Minh")
    assert got["title"] == "Nâng cao Chỉ số PAR INDEX và SIPAS giai đoạn 2021-2025"
