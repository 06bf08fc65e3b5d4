"""OCR'd header words read against the header's known shapes and names
(`vnplans.layout.header_ocr`), and the header reader using it for OCR'd lines only."""

from __future__ import annotations

import pytest

from vnplans.layout.header_ocr import (
    confusion_cost,
    initials,
    is_personal_name,
    place_kind_opens,
    repair_name,
    repair_symbol,
)


def test_confusions_are_cheap_other_letters_are_not() -> None:
    assert confusion_cost("UBIB", "UBND") == pytest.approx(0.6)  # I~N, B~D
    assert confusion_cost("UBXY", "UBND") == 2.0
    assert confusion_cost("HUYIỆN", "HUYỆN") == pytest.approx(0.3)  # a thin stroke
    # Letters glued after the code cost less only when asked for.
    assert confusion_cost("SNVKỆ", "SNV", trailing=True) == pytest.approx(1.0)
    assert confusion_cost("SNVKỆ", "SNV") == 2.0


@pytest.mark.parametrize(("name", "code"), [
    ("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "STTTT"),
    ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SKHĐT"),
    ("SỞ Y TẾ", "SYT"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SVHTTDL"),
    ("ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH", "UBND"),
    ("ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ", "UBND"),
    ("UBND TỈNH KHÁNH HOÀ", None),  # an abbreviation: no initials to take
    (None, None),
])
def test_initials_of_an_issuer(name: str | None, code: str | None) -> None:
    assert initials(name) == code


@pytest.mark.parametrize(("read", "issuer", "symbol"), [
    ("KH-S1LII1I", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "KH-STTTT"),
    ("KH-SILII", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "KH-STTTT"),
    ("KH-UBIB", "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH", "KH-UBND"),
    ("KH-SNVKỆ", "SỞ NỘI VỤ", "KH-SNV"),
    ("KH--SKHĐT`Zl", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "KH-SKHĐT"),
    # Read right, or far from every code: kept.
    ("KH-SYT", "SỞ Y TẾ", "KH-SYT"),
    ("KH-SNV-SYT", "SỞ Y TẾ", "KH-SNV-SYT"),
    ("KH-XQWZ", "SỞ Y TẾ", "KH-XQWZ"),
    # The issuer's own code is known without a list.
    ("QĐ-SBCVT", "SỞ BƯU CHÍNH VIỄN THÔNG", "QĐ-SBCVT"),
    ("QĐ-SBCV1", "SỞ BƯU CHÍNH VIỄN THÔNG", "QĐ-SBCVT"),
    # Known codes read in small letters are printed in capitals; "TTr" as it is.
    ("kh-snv", "SỞ NỘI VỤ", "KH-SNV"),
    ("kh-skhđt", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "KH-SKHĐT"),
    ("TTr-UBND", "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", "TTr-UBND"),
])
def test_symbol_read_against_known_codes(read: str, issuer: str, symbol: str) -> None:
    assert repair_symbol(read, issuer, "UBND TỈNH BÌNH ĐỊNH") == symbol


@pytest.mark.parametrize(("read", "name"), [
    # Stray marks and dots dropped.
    ("SỞ NỘI 1 VỤ", "SỞ NỘI VỤ"),
    ("ỦY BAN NHÂN DÂN... HUYỆN ĐẠI TỪ.", "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ"),
    ("UBND TỈNH QUẢNG NGÃI..", "UBND TỈNH QUẢNG NGÃI"),
    # A speck of the seal read as capitals ending the name; an abbreviation stays.
    ("SỞ NỘI VỤ XS", "SỞ NỘI VỤ"),
    ("ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ Z", "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ"),
    ("SỞ GTVT", "SỞ GTVT"),
    # A word no syllable read as a known word; a province as provinces.yaml has it.
    ("ỦY BAN NHÂN DÂN HUYIỆN ĐẠI TỪ", "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ"),
    ("UBND TỈNH BÌNH DỰ JNG....", "UBND TỈNH BÌNH DƯƠNG"),
    # A word lost under the seal: the one known name it starts.
    ("SỞ NỘI", "SỞ NỘI VỤ"),
    ("SỞ KẾ HOẠCH VÀ ĐẦU", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ"),
    ("ỦY BAN NHÂN TỈNH QUẢNG BÌNH", "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH"),
    ("SỞNỘIVỤ", "SỞ NỘI VỤ"),  # the spaces between capitals set close lost
    # Read right: kept as printed (tone-mark placement, a comma, TP.).
    ("UBND TỈNH KHÁNH HOÀ", "UBND TỈNH KHÁNH HOÀ"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"),
    ("UBND TP. HỒ CHÍ MINH", "UBND TP. HỒ CHÍ MINH"),
    ("TRƯỜNG THCS SỐ 1", "TRƯỜNG THCS SỐ 1"),
    ("PHÒNG GIÁO DỤC", "PHÒNG GIÁO DỤC"),
])
def test_issuer_read_against_known_shapes(read: str, name: str) -> None:
    assert repair_name(read) == name


def test_place_a_word_short_or_misread_is_the_one_the_document_names() -> None:
    # "THÁI" starts Thái Bình and Thái Nguyên: the date line and body decide.
    mentions = ["Thái Bình", "… UBND tỉnh Thái Bình chỉ đạo …"]
    assert repair_name("ỦY BAN NHÂN DÂN TỈNH THÁI", mentions) == \
        "ỦY BAN NHÂN DÂN TỈNH THÁI BÌNH"
    assert repair_name("ỦY BAN NHÂN DÂN TỈNH THÁI") == "ỦY BAN NHÂN DÂN TỈNH THÁI"
    # A district (no list of them): the spelling the document gives most often.
    mentions = ["Cẩm Xuyên", "UBND huyện Cẩm Xuyên; các xã của huyện Cẩm Xuyên"]
    assert repair_name("ỦY BAN NHÂN DÂN HUYIỆN CẤM XUYÊN", mentions) == \
        "ỦY BAN NHÂN DÂN HUYỆN CẨM XUYÊN"
    # Named once each way: kept as read.
    assert repair_name("ỦY BAN NHÂN DÂN HUYỆN CẤM XUYÊN", ["Cẩm Xuyên"]) == \
        "ỦY BAN NHÂN DÂN HUYỆN CẤM XUYÊN"
    # A province's words read out of order, with a speck (tq2025_pci 150 dpi seed 22,
    # where the nearest name in letters was Quảng Trị): the one the date line names.
    assert repair_name("ỦY BAN NHÂN DÂN TỈNH QUẢNG_ TUYÊN", ["Tuyên Quang"]) == \
        "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"


def test_a_line_opening_with_a_place_kind_goes_on_with_the_body() -> None:
    assert place_kind_opens("TỈNH TUYÊN QUANG")
    assert place_kind_opens("HUYỆN ĐẠI TỪ.")
    assert not place_kind_opens("SỞ Y TẾ")


@pytest.mark.parametrize(("text", "is_name"), [
    ("Phạm Minh Tuấn", True),
    ("Võ Thị Ngọc Lan", True),
    ("NGUYỄN VĂN THẮNG", True),
    ("Xà N 21/22", False),
    ("Z c⁄Z", False),
    ("sói N", False),
    ("Tuấn", False),
    ("Ksor Phước Hà", True),
    ("Y Biêr Niê", True),
    ("r ì", False),
    ("óÓ CHỦ", False),
])
def test_personal_name(text: str, is_name: bool) -> None:
    assert is_personal_name(text) is is_name


def _ocr_lines(rows: list[tuple[float, str]], x0: float, origin: str = "ocr"):
    from vnplans.geometry import Line
    from vnplans.ir import Word

    out = []
    for y, text in rows:
        words, x = [], x0
        for token in text.split():
            width = 6.5 * len(token)
            words.append(Word(token, x, y, x + width, y + 13, size=13, origin=origin))
            x += width + 3
        out.append(Line(words))
    return out


def test_ocr_signer_line_that_is_no_name_is_skipped() -> None:
    """A seal's remains read under the position ("Xà N 21/22") are not the name; the
    name under them is. Born-digital text is taken as printed."""
    from vnplans.layout.header_block import _knowledge, _signature_in

    rows = [(500, "KT. GIÁM ĐỐC"), (515, "PHÓ GIÁM ĐỐC"), (560, "Xà N 21/22"),
            (620, "Phạm Minh Tuấn")]
    got = _signature_in(_ocr_lines(rows, 400), _knowledge())
    assert got is not None and got.name == "Phạm Minh Tuấn"
    got = _signature_in(_ocr_lines(rows[:3], 400), _knowledge())
    assert got is None  # no name at all rather than garbage
    got = _signature_in(_ocr_lines(rows, 400, origin="native"), _knowledge())
    assert got is not None and got.name == "Xà N 21/22"


def test_ocr_issuer_wrapped_after_a_garbled_body() -> None:
    from vnplans.layout.header_block import _authority_and_issuer, _knowledge

    rows = ["ỦY BAN NHÂN", "TỈNH QUẢNG BÌNH"]
    lines = _ocr_lines([(40 + 15 * i, t) for i, t in enumerate(rows)], 60)
    assert _authority_and_issuer(lines, _knowledge()) == (None, "ỦY BAN NHÂN TỈNH QUẢNG BÌNH")
    native = _ocr_lines([(40 + 15 * i, t) for i, t in enumerate(rows)], 60, origin="native")
    assert _authority_and_issuer(native, _knowledge()) == ("ỦY BAN NHÂN", "TỈNH QUẢNG BÌNH")


@pytest.mark.parametrize(("read", "name"), [
    ("SỞ TƯ PHẢP", "SỞ TƯ PHÁP"),  # the same letters: the known marks
    ("SỞ NÓI VỤ", "SỞ NỘI VỤ"),
    ("SỞ T1I CHÍNH", "SỞ TÀI CHÍNH"),
    ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),  # not the Sở
    ("SỞ TÀI CHÍNH", "SỞ TÀI CHÍNH"),
    ("SỞ TƯ PHÁP", "SỞ TƯ PHÁP"),
])
def test_a_name_is_not_read_as_another(read: str, name: str) -> None:
    assert repair_name(read) == name


def test_ocr_block_ending_at_its_kt_line_is_signed_by_the_deputy() -> None:
    """"PHÓ CHỦ TỊCH" read out of order (above "KT. CHỦ TỊCH"'s row) leaves the
    block ending at "KT. CHỦ TỊCH": the signer is the deputy. Printed text without the
    deputy's line stands as printed."""
    from vnplans.layout.header_block import _knowledge, _signature_in

    rows = [(500, "TM. ỦY BAN NHÂN DÂN"), (515, "KT. CHỦ TỊCH"), (600, "Hồ An Phong")]
    got = _signature_in(_ocr_lines(rows, 400), _knowledge())
    assert got is not None
    assert (got.name, got.position, got.acting) == ("Hồ An Phong", "PHÓ CHỦ TỊCH", "KT.")
    got = _signature_in(_ocr_lines(rows, 400, origin="native"), _knowledge())
    assert got is not None and got.position == "CHỦ TỊCH"


def test_ocr_position_opened_by_a_speck() -> None:
    from vnplans.layout.header_block import _knowledge, _signature_in

    rows = [(500, "- GIÁM ĐỐC"), (600, "Lê Văn Bình")]
    got = _signature_in(_ocr_lines(rows, 400), _knowledge())
    assert got is not None and (got.name, got.position) == ("Lê Văn Bình", "GIÁM ĐỐC")


@pytest.mark.parametrize(("read", "symbol"), [
    ("KH:UBND", "KH-UBND"),
    ("KH-§1111", "KH-STTTT"),
    ("KH-SI111", "KH-STTTT"),
    ("KH-STP. STP M", "KH-STP"),  # specks after a whole symbol
    ("KH- STP", "KH-STP"),  # a symbol split by OCR
    ("KH/TU", "KH/TU"),
])
def test_symbol_separators_and_specks(read: str, symbol: str) -> None:
    issuer = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" if "1" in read else "ỦY BAN NHÂN DÂN HUYỆN X"
    assert repair_symbol(read, issuer, None) == symbol


def test_specks_in_a_name_in_capitals() -> None:
    assert repair_name("SỞ TƯ PHÁP: l") == "SỞ TƯ PHÁP"
    assert repair_name("SỞ THÔNG TIN VÀ.. TRUYỀN THÔNG") == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert repair_name("ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH `") == "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH"


def test_number_line_read_by_ocr() -> None:
    """"SỞ TƯ PHÁP: l" (a speck read as a colon) is the issuer, not the number line;
    "Số:145KH-UBND" lost its slash."""
    from vnplans.geometry import Line
    from vnplans.ir import Word
    from vnplans.layout.header_block import _NUMBER, _NUMBER_NO_SLASH, _ocr_issuer_line

    def line(text: str, origin: str = "ocr") -> Line:
        return Line([Word(t, 10 * i, 0, 10 * i + 8, 10, origin=origin)
                     for i, t in enumerate(text.split())])

    assert _ocr_issuer_line(line("SỞ TƯ PHÁP: l"))
    assert not _ocr_issuer_line(line("Số: 12/KH-STP"))
    assert not _ocr_issuer_line(line("SỞ TƯ PHÁP: l", origin="native"))
    m = _NUMBER_NO_SLASH.match("Số:145KH-UBND")
    assert m is not None and (m.group("number"), m.group("symbol")) == ("145", "KH-UBND")
    # The rule under the issuer (or a speck) read as a dash before the number.
    m = _NUMBER.match("Số: -214/KH-UBND")
    assert m is not None and (m.group("number"), m.group("symbol")) == ("214", "KH-UBND")


def test_title_names_respelled_in_their_known_marks() -> None:
    from vnplans.layout.header_ocr import known_names, respell_names

    bodies, provinces = known_names()
    assert respell_names("Kế hoạch của Sở Thông tin và Truyền thống năm 2022",
                         bodies, provinces) == \
        "Kế hoạch của Sở Thông tin và Truyền thông năm 2022"
    assert respell_names("của tỉnh Quảng Ngái năm 2024", bodies, provinces) == \
        "của tỉnh Quảng Ngãi năm 2024"
    # Only names of the knowledge (a district's is not: the issuer's own reading of it
    # is OCR'd too).
    assert respell_names("trên địa bàn huyện Cấm Xuyên năm 2022", bodies, provinces) == \
        "trên địa bàn huyện Cấm Xuyên năm 2022"
    # Other words, names read right (marks placed either way), words not written as
    # a name, and words of a longer name stand.
    assert respell_names("tỉnh Khánh Hoà; thông tin và truyền thông", bodies, provinces) == \
        "tỉnh Khánh Hoà; thông tin và truyền thông"
    assert respell_names("tỉnh Tuyên Quang năm 2025", bodies, provinces) == \
        "tỉnh Tuyên Quang năm 2025"
    assert respell_names("cấp tỉnh Quang năm 2025", bodies, provinces) == \
        "cấp tỉnh Quang năm 2025"
    # A spelling provinces.yaml lists is printed so.
    assert respell_names("của Sở Y tế Đăk Nông", bodies, provinces) == "của Sở Y tế Đăk Nông"


def test_a_mark_read_for_a_letter_and_a_place_completed_only_as_named() -> None:
    assert repair_name("ỦY BAN NHÂN DÂN HUYI}N ĐẠI TỪ") == "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ"
    # "VINH" starts "VĨNH LONG" and "VĨNH PHÚC": a city of its own unless the document
    # names one of them.
    assert repair_name("ỦY BAN NHÂN DÂN THÀNH PHỐ VINH", ["Vinh", "thành phố Vinh"]) == \
        "ỦY BAN NHÂN DÂN THÀNH PHỐ VINH"
    assert repair_name("ỦY BAN NHÂN DÂN TỈNH QUẢNG", ["Quảng Bình", "tỉnh Quảng Bình"]) == \
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH"


def test_ocr_bold_guess_is_no_split_before_a_place() -> None:
    from vnplans.layout.header_block import _authority_and_issuer, _knowledge

    rows = ["ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG"]
    lines = _ocr_lines([(40 + 15 * i, t) for i, t in enumerate(rows)], 60)
    for word in lines[1].words:
        word.bold = True
    assert _authority_and_issuer(lines, _knowledge()) == (None, "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG")


def test_specks_beside_capitals() -> None:
    from vnplans.layout.header_ocr import without_specks

    assert without_specks("Án KẾ HOẠCH") == "KẾ HOẠCH"
    assert without_specks("SỞ TƯ PHÁP: l") == "SỞ TƯ PHÁP:"
    assert without_specks("Về tý") == "Về tý"  # not a line in capitals
    assert without_specks("SỞ Y TẾ") == "SỞ Y TẾ"


@pytest.mark.parametrize(("read", "name"), [
    ("UBND TỈNH ĐĂK NÔNG", "UBND TỈNH ĐĂK NÔNG"),  # a spelling of provinces.yaml
    ("UBND TỈNH ĐẮK NÔNG", "UBND TỈNH ĐẮK NÔNG"),
    ("UBND TỈNH ĐÀK NÔNG", "UBND TỈNH ĐẮK NÔNG"),
    ("UBND TỈNH BÌNH DUONG", "UBND TỈNH BÌNH DƯƠNG"),  # vowel marks lost
    ("UBND TỈNH KHÁNH HÒA", "UBND TỈNH KHÁNH HÒA"),
])
def test_province_marks(read: str, name: str) -> None:
    assert repair_name(read) == name


def test_no_word_opens_with_a_colon() -> None:
    from vnplans.layout.header_ocr import without_leading_marks

    assert without_leading_marks("Sở Thông :tin và Truyền thông") == "Sở Thông tin và Truyền thông"
    assert without_leading_marks("(PAPI) năm 2022: 3.5 điểm, .") == "(PAPI) năm 2022: 3.5 điểm, ."


@pytest.mark.parametrize(("read", "doc_type"), [
    ("É KẾ HOẠCH", "Kế hoạch"),  # a speck before it
    ("Lá HOẠCH", "Kế hoạch"),  # "KẾ" misread at 150 dpi
    ("- K HOẠCH", "Kế hoạch"),
    ("QUYÉT DINH", "Quyết định"),
    ("KẾT LUẬN", None),  # another word, not a misreading
    ("Căn cứ Kế hoạch", None),  # a line of text
])
def test_a_misread_document_type(read: str, doc_type: str | None) -> None:
    from vnplans.layout.header_block import _knowledge, _misread_doc_type
    from vnplans.layout.settings import HEADER_BLOCK

    assert _misread_doc_type(read, _knowledge(), HEADER_BLOCK) == doc_type
