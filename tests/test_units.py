"""Lead/support cells → canonical units: every cell of both seed plans and of the plan
fixture variants, with hand-written expectations; unknown units; per-issuer ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from vnplans.models import DocumentInfo
from vnplans.normalize.units import (
    analyse_units,
    issuer_key_for,
    resolve_units,
    unit_id,
    unknown_units,
)
from vnplans.vietnamese import clean_cell

FIXTURES = Path(__file__).parent / "fixtures"

BD = issuer_key_for(DocumentInfo(authority="UBND TỈNH BÌNH ĐỊNH", issuer="SỞ Y TẾ",
                                 province="Bình Định"))
DN = issuer_key_for(DocumentInfo(authority="UBND TỈNH ĐẮK NÔNG", issuer="SỞ Y TẾ",
                                 province="Đắk Nông"))
QNAM = issuer_key_for(DocumentInfo(authority="UBND TỈNH QUẢNG NAM", issuer="SỞ TƯ PHÁP",
                                   province="Quảng Nam"))
LC = issuer_key_for(DocumentInfo(authority="UBND TỈNH LÀO CAI", issuer="SỞ NỘI VỤ",
                                 province="Lào Cai"))
DT = issuer_key_for(DocumentInfo(issuer="ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ", province="Thái Nguyên"))
HG = issuer_key_for(DocumentInfo(authority="UBND TỈNH HÀ GIANG", issuer="SỞ KẾ HOẠCH VÀ ĐẦU TƯ",
                                 province="Hà Giang"))
KH = issuer_key_for(DocumentInfo(authority="UBND TỈNH KHÁNH HÒA",
                                 issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", province="Khánh Hòa"))
TN = issuer_key_for(DocumentInfo(authority="UBND TỈNH TÂY NINH", issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                                 province="Tây Ninh"))
QB = issuer_key_for(DocumentInfo(issuer="ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH", province="Quảng Bình"))

ALL_PARTS = ["Các phòng thuộc Sở", "Văn phòng Sở", "Thanh tra Sở", "Các đơn vị trực thuộc Sở"]
UNITS_AND_OFFICES = ["Các đơn vị trực thuộc Sở", "Các phòng thuộc Sở"]
OFFICES_AND_UNITS = ["Các phòng thuộc Sở", "Các đơn vị trực thuộc Sở"]
FOUR_HEALTH = ["Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Chi cục An toàn vệ sinh thực phẩm",
               "Trung tâm Giám định y khoa"]

# Bình Định 2023 (seed 000): every lead/support cell, line by line as the PDF prints it.
BINH_DINH: list[tuple[list[str], list[str]]] = [
    (["Văn phòng Sở"], ["Văn phòng Sở"]),
    (["Các Phòng,", "Thanh tra Sở", "và các đơn vị", "trực thuộc Sở"],
     ["Các phòng thuộc Sở", "Thanh tra Sở", "Các đơn vị trực thuộc Sở"]),
    (["Các phòng thuộc", "Sở"], ["Các phòng thuộc Sở"]),
    (["Các doanh", "nghiệp nhỏ và", "vừa trên địa", "bàn tỉnh"], ["Các doanh nghiệp nhỏ và vừa"]),
    (["Phòng Tổ chức", "cán bộ Sở"], ["Phòng Tổ chức cán bộ"]),
    (["Các Phòng,", "Văn phòng,", "Thanh tra Sở", "và các đơn vị", "trực thuộc Sở"], ALL_PARTS),
    (["Các phòng, Văn", "phòng Sở Y tế"], ["Các phòng thuộc Sở", "Văn phòng Sở"]),
    (["Thanh tra Sở", "và các đơn vị", "trực thuộc Sở"], ["Thanh tra Sở", "Các đơn vị trực thuộc Sở"]),
    (["Trung tâm Kiểm", "soát bệnh tật"], ["Trung tâm Kiểm soát bệnh tật"]),
    (["Các Phòng, Văn", "phòng, Thanh tra", "Sở"], ["Các phòng thuộc Sở", "Văn phòng Sở", "Thanh tra Sở"]),
    (["Các đơn vị", "trực thuộc Sở"], ["Các đơn vị trực thuộc Sở"]),
    (["Các Phòng,", "Văn phòng,"], ["Các phòng thuộc Sở", "Văn phòng Sở"]),  # before a page break
    (["Phòng Kế hoạch -", "Tài chính Sở"], ["Phòng Kế hoạch - Tài chính"]),
    (["Phòng Nghiệp vụ", "Y, Nghiệp vụ", "Dược Sở, Chi", "cục An toàn", "VSTP, Trung tâm",
      "Giám định y", "khoa"], FOUR_HEALTH),
    (["Phòng Nghiệp vụ", "Y, Nghiệp vụ", "Dược Sở, Chi cục", "An toàn VSTP,", "Trung tâm Giám",
      "định y khoa."], FOUR_HEALTH),
    (["Phòng Nghiệp", "vụ Y, Nghiệp", "vụ Dược Sở,", "Chi cục An", "toàn VSTP,", "Trung tâm",
      "Giám định y", "khoa."], FOUR_HEALTH),
    (["Các Phòng,", "Văn phòng,", "Thanh tra Sở"], ["Các phòng thuộc Sở", "Văn phòng Sở", "Thanh tra Sở"]),
]

# Đắk Nông 2020 (seed 003).
DAK_NONG: list[tuple[list[str], list[str]]] = [
    (["Văn phòng Sở"], ["Văn phòng Sở"]),
    (["Trung tâm Kiểm soát Bệnh", "tật tỉnh"], ["Trung tâm Kiểm soát bệnh tật"]),
    (["Thanh tra Sở"], ["Thanh tra Sở"]),
    (["Các đơn vị trực thuộc; các", "phòng chức năng Sở"], UNITS_AND_OFFICES),
    (["Phòng Nghiệp", "vụ Y dược"], ["Phòng Nghiệp vụ Y dược"]),
    (["Các TTYT"], ["Các Trung tâm Y tế"]),
    (["Các phòng", "chức năng theo", "chức năng,", "nhiệm vụ tham", "mưu triển khai", "thực hiện."],
     ["Các phòng thuộc Sở"]),
    (["Các đơn vị trực thuộc Sở."], ["Các đơn vị trực thuộc Sở"]),
    (["- Trung tâm Kiểm soát", "Bệnh tật tỉnh.", "- Các đơn vị trực thuộc liên", "quan."],
     ["Trung tâm Kiểm soát bệnh tật", "Các đơn vị trực thuộc Sở"]),
    (["Phòng Nghiệp", "vụ Y dược;", "Phòng Kế", "hoạch Tài", "chính"],
     ["Phòng Nghiệp vụ Y dược", "Phòng Kế hoạch - Tài chính"]),
    (["Các đơn vị trực thuộc; các", "phòng chuyên môn Sở."], UNITS_AND_OFFICES),
    # Role prefixes name the heads: the units are kept (see units.yaml `roles`).
    (["Lãnh đạo các", "phòng chức", "năng; Thủ", "trưởng các đơn", "vị trực thuộc."], OFFICES_AND_UNITS),
    (["Các bộ phận tham mưu,", "giúp việc."], ["Các bộ phận tham mưu, giúp việc"]),
    (["Công đoàn", "Ngành Y tế", "tỉnh Đăk Nông."], ["Công đoàn ngành Y tế"]),
    (["Công đoàn cơ sở trực thuộc."], ["Công đoàn cơ sở trực thuộc"]),
    (["Các đơn vị trực thuộc; các", "phòng chứ năng Sở"], UNITS_AND_OFFICES),  # typo as printed
    (["Văn phòng Sở;", "Phòng Kế", "hoạch Tài", "chính."], ["Văn phòng Sở", "Phòng Kế hoạch - Tài chính"]),
    (["Phòng Tổ chức", "Cán bộ."], ["Phòng Tổ chức cán bộ"]),
    (["Phòng Tổ chức", "Cán bộ"], ["Phòng Tổ chức cán bộ"]),
    (["Lãnh đạo Sở Y", "tế; Thủ trưởng", "các đơn vị trực", "thuộc."], ["Lãnh đạo Sở", "Các đơn vị trực thuộc Sở"]),
    (["Các phòng", "chức năng và", "các đơn vị trực", "thuộc liên", "quan."], OFFICES_AND_UNITS),
    (["Văn phòng Sở."], ["Văn phòng Sở"]),
    (["Các phòng chức năng và", "các đơn vị trực thuộc liên", "quan."], OFFICES_AND_UNITS),
    (["Các đơn vị trực thuộc và", "các phòng chức năng liên", "quan."], UNITS_AND_OFFICES),
    (["Phòng Kế", "hoạch Tài", "chính"], ["Phòng Kế hoạch - Tài chính"]),
]

# The plan fixture variants (tests/fixtures/plans/*.yaml), by issuing body.
VARIANTS: dict[str | None, dict[str, list[str]]] = {
    QNAM: {
        "Phòng Xây dựng và Kiểm tra văn bản": ["Phòng Xây dựng và Kiểm tra văn bản"],
        "Văn phòng Sở": ["Văn phòng Sở"],
        "Hiệp hội Doanh nghiệp tỉnh": ["Hiệp hội Doanh nghiệp tỉnh"],
        "Các sở, ban, ngành liên quan": ["Các sở, ban, ngành"],
        "Phòng Bổ trợ tư pháp": ["Phòng Bổ trợ tư pháp"],
        "Sở Công Thương": ["Sở Công Thương"],
        "Phòng Phổ biến, giáo dục pháp luật": ["Phòng Phổ biến, giáo dục pháp luật"],
        "- Sở Kế hoạch và Đầu tư;\n- Hiệp hội Doanh nghiệp tỉnh":
            ["Sở Kế hoạch và Đầu tư", "Hiệp hội Doanh nghiệp tỉnh"],
        "Phòng Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật":
            ["Phòng Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật"],
        "Các sở, ngành; UBND các huyện, thị xã, thành phố":
            ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"],
        "Trung tâm Trợ giúp pháp lý nhà nước": ["Trung tâm Trợ giúp pháp lý nhà nước"],
        "Đoàn Luật sư tỉnh": ["Đoàn Luật sư tỉnh"],
        "Các phòng, đơn vị thuộc Sở": ["Các phòng thuộc Sở", "Các đơn vị trực thuộc Sở"],
    },
    LC: {
        "Phòng Cải cách hành chính": ["Phòng Cải cách hành chính"],
        "Văn phòng Sở": ["Văn phòng Sở"],
        "Thanh tra Sở": ["Thanh tra Sở"],
        "Hội đồng thẩm định": ["Hội đồng thẩm định"],
        "Các phòng thuộc Sở": ["Các phòng thuộc Sở"],
        "Sở Khoa học và Công nghệ": ["Sở Khoa học và Công nghệ"],
        "- Bưu điện tỉnh;\n- UBND các xã, phường": ["Bưu điện tỉnh", "Ủy ban nhân dân cấp xã"],
        "Các cơ quan, đơn vị": ["Các cơ quan, đơn vị"],
        "Trung tâm Phục vụ hành chính công tỉnh": ["Trung tâm Phục vụ hành chính công tỉnh"],
    },
    DT: {
        "UBND các xã, thị trấn": ["Ủy ban nhân dân cấp xã"],
        "Phòng Nội vụ": ["Phòng Nội vụ"],
        "Thanh tra huyện": ["Thanh tra huyện"],
        "Phòng Tài chính - Kế hoạch; Phòng Tài nguyên và Môi trường":
            ["Phòng Tài chính - Kế hoạch", "Phòng Tài nguyên và Môi trường"],
        "Các cơ quan, đơn vị; UBND các xã, thị trấn": ["Các cơ quan, đơn vị", "Ủy ban nhân dân cấp xã"],
        "Văn phòng HĐND và UBND huyện": ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"],
        "Các phòng chuyên môn; UBND các xã, thị trấn":
            ["Các phòng chuyên môn thuộc Ủy ban nhân dân huyện", "Ủy ban nhân dân cấp xã"],
        "Kho bạc Nhà nước huyện; Bưu điện huyện": ["Kho bạc Nhà nước huyện", "Bưu điện huyện"],
    },
    HG: {
        "Phòng Đăng ký kinh doanh": ["Phòng Đăng ký kinh doanh"],
        "Trung tâm Phục vụ hành chính công tỉnh": ["Trung tâm Phục vụ hành chính công tỉnh"],
        "Văn phòng Sở": ["Văn phòng Sở"],
        "Phòng Tổng hợp, Quy hoạch": ["Phòng Tổng hợp, Quy hoạch"],
        "Các sở, ngành liên quan": ["Các sở, ban, ngành"],
        "Phòng Doanh nghiệp, Kinh tế tập thể và Tư nhân": ["Phòng Doanh nghiệp, Kinh tế tập thể và Tư nhân"],
        "- Hiệp hội Doanh nghiệp tỉnh;\n- Các sở, ngành": ["Hiệp hội Doanh nghiệp tỉnh", "Các sở, ban, ngành"],
        "Sở Khoa học và Công nghệ; Sở Tài chính": ["Sở Khoa học và Công nghệ", "Sở Tài chính"],
    },
    KH: {
        "- Công an tỉnh;\n- Các sở, ngành": ["Công an tỉnh", "Các sở, ban, ngành"],
        # The provincial newspaper by its province's name.
        "Báo Khánh Hòa; Đài Phát thanh và Truyền hình tỉnh":
            ["Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh"],
        "Phòng Bưu chính - Viễn thông và Công nghệ thông tin":
            ["Phòng Bưu chính - Viễn thông và Công nghệ thông tin"],
        "Phòng Thông tin - Báo chí - Xuất bản": ["Phòng Thông tin - Báo chí - Xuất bản"],
        "Sở Nội vụ; Tỉnh Đoàn": ["Sở Nội vụ", "Tỉnh đoàn"],
        "Trung tâm Công nghệ thông tin và Truyền thông": ["Trung tâm Công nghệ thông tin và Truyền thông"],
        "Văn phòng UBND tỉnh": ["Văn phòng Ủy ban nhân dân tỉnh"],
        "Văn phòng Sở": ["Văn phòng Sở"],
        "Thanh tra Sở": ["Thanh tra Sở"],
        "Các cơ quan, đơn vị": ["Các cơ quan, đơn vị"],
        "Các phòng, đơn vị thuộc Sở": ["Các phòng thuộc Sở", "Các đơn vị trực thuộc Sở"],
    },
    TN: {
        "Phòng Kế hoạch - Tài chính": ["Phòng Kế hoạch - Tài chính"],
        "Phòng Giáo dục trung học": ["Phòng Giáo dục trung học"],
        "Phòng Khảo thí và Kiểm định chất lượng": ["Phòng Khảo thí và Kiểm định chất lượng"],
        # The schools the Sở runs: a narrower set than all its attached units.
        "Các cơ sở giáo dục trực thuộc": ["Các cơ sở giáo dục trực thuộc Sở"],
        "Các trường trung học phổ thông": ["Các trường trung học phổ thông"],
        # The districts' education offices together, not one office and two place words.
        "Phòng Giáo dục và Đào tạo các huyện, thị xã, thành phố": ["Phòng Giáo dục và Đào tạo cấp huyện"],
        "Thanh tra Sở": ["Thanh tra Sở"],
        "Văn phòng Sở": ["Văn phòng Sở"],
        "Các phòng chuyên môn thuộc Sở": ["Các phòng thuộc Sở"],
        "Các phòng, đơn vị thuộc Sở": ["Các phòng thuộc Sở", "Các đơn vị trực thuộc Sở"],
    },
    QB: {
        "Sở Nội vụ": ["Sở Nội vụ"],
        "Các sở, ban, ngành": ["Các sở, ban, ngành"],
        "Văn phòng UBND tỉnh": ["Văn phòng Ủy ban nhân dân tỉnh"],
        "- Các sở, ban, ngành;\n- UBND các huyện, thị xã, thành phố":
            ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"],
        "Sở Thông tin và Truyền thông": ["Sở Thông tin và Truyền thông"],
        "Văn phòng UBND tỉnh; Bưu điện tỉnh": ["Văn phòng Ủy ban nhân dân tỉnh", "Bưu điện tỉnh"],
        "Cục Thống kê tỉnh": ["Cục Thống kê tỉnh"],
        "UBND các huyện, thị xã, thành phố": ["Ủy ban nhân dân cấp huyện"],
        "Các sở, ban, ngành; UBND cấp huyện": ["Các sở, ban, ngành", "Ủy ban nhân dân cấp huyện"],
        "Ban Thi đua - Khen thưởng tỉnh": ["Ban Thi đua - Khen thưởng tỉnh"],
        "- Báo Quảng Bình;\n- Đài Phát thanh và Truyền hình tỉnh":
            ["Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh"],
        "Văn phòng UBND tỉnh; Sở Tư pháp": ["Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp"],
    },
}


def _ids(cases: list[tuple[list[str], list[str]]]) -> list[str]:
    return [" / ".join(lines)[:40] for lines, _ in cases]


@pytest.mark.parametrize(("lines", "expected"), BINH_DINH, ids=_ids(BINH_DINH))
def test_binh_dinh_cells(lines: list[str], expected: list[str]) -> None:
    # As the table stage gives it (contract text rules) and as raw PDF lines.
    assert resolve_units(clean_cell("\n".join(lines)), BD) == expected
    assert resolve_units("\n".join(lines), BD) == expected
    assert unknown_units(clean_cell("\n".join(lines)), BD) == []


@pytest.mark.parametrize(("lines", "expected"), DAK_NONG, ids=_ids(DAK_NONG))
def test_dak_nong_cells(lines: list[str], expected: list[str]) -> None:
    assert resolve_units(clean_cell("\n".join(lines)), DN) == expected
    assert resolve_units("\n".join(lines), DN) == expected
    assert unknown_units(clean_cell("\n".join(lines)), DN) == []


@pytest.mark.parametrize(("issuer_key", "cell", "expected"),
                         [(k, c, e) for k, cells in VARIANTS.items() for c, e in cells.items()])
def test_variant_cells(issuer_key: str, cell: str, expected: list[str]) -> None:
    assert resolve_units(cell, issuer_key) == expected
    assert unknown_units(cell, issuer_key) == []


def _fixture_cells() -> list[tuple[str, str]]:
    """(fixture name, lead/support cell) of every expected fixture row."""
    out = []
    for path in sorted((FIXTURES / "expected").glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8"))["rows"]:
            out.extend((path.stem, row[k]) for k in ("lead", "support") if row.get(k))
    return out


def test_every_fixture_cell_has_an_expectation() -> None:
    """A cell added to a plan fixture must get a hand-written expectation here."""
    known = {clean_cell("\n".join(lines)) for lines, _ in BINH_DINH + DAK_NONG}
    known |= {c for cells in VARIANTS.values() for c in cells}
    missing = sorted({f"{name}: {cell!r}" for name, cell in _fixture_cells() if cell not in known})
    assert not missing, "cells without an expectation:\n" + "\n".join(missing)


def test_fixture_issuers_give_the_keys_used_here() -> None:
    keys = {}
    for path in sorted((FIXTURES / "plans").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))["document"]
        info = DocumentInfo(authority=doc.get("authority"), issuer=doc.get("issuer"),
                            province=doc.get("province"))
        keys[path.stem] = issuer_key_for(info)
    expected = {
        "bd2023": "so-y-te/binh-dinh", "dn2020": "so-y-te/dak-nong",
        "qnam2024_horizontal": "so-tu-phap/quang-nam", "lc2025_sipas_norules": "so-noi-vu/lao-cai",
        "dt2021_district": "ubnd-huyen-dai-tu/thai-nguyen",
        "hg2023_glyphs": "so-ke-hoach-va-dau-tu/ha-giang",
        "kh2022_chars": "so-thong-tin-va-truyen-thong/khanh-hoa",
        "tn2024_mixed": "so-giao-duc-va-dao-tao/tay-ninh", "qb2023_portrait": "ubnd-tinh/quang-binh",
    }
    used_here = {"bd2023": BD, "dn2020": DN, "qnam2024_horizontal": QNAM,
                 "lc2025_sipas_norules": LC, "dt2021_district": DT, "hg2023_glyphs": HG,
                 "kh2022_chars": KH, "tn2024_mixed": TN, "qb2023_portrait": QB}
    assert used_here == expected
    # Every fixture has a key (a new one gets its expectation added above).
    assert {name: expected.get(name) for name in keys} == keys


# --- issuer keys -------------------------------------------------------------------------

@pytest.mark.parametrize(("info", "key"), [
    (DocumentInfo(issuer="SỞ Y TẾ", province="Bình Định"), "so-y-te/binh-dinh"),
    (DocumentInfo(issuer="SỞ Y TẾ", authority="UBND TỈNH ĐĂK NÔNG"), "so-y-te/dak-nong"),
    (DocumentInfo(issuer="SỞ Y TẾ TỈNH BÌNH ĐỊNH"), "so-y-te/binh-dinh"),
    (DocumentInfo(issuer="SỞ VĂN HOÁ, THỂ THAO VÀ DU LỊCH", province="Lào Cai"),
     "so-van-hoa-the-thao-va-du-lich/lao-cai"),
    (DocumentInfo(issuer="ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", province="Bình Định"), "ubnd-tinh/binh-dinh"),
    (DocumentInfo(issuer="UBND TỈNH BÌNH ĐỊNH"), "ubnd-tinh/binh-dinh"),
    (DocumentInfo(issuer="SỞ Y TẾ"), "so-y-te"),
    (DocumentInfo(province="Bình Định"), None),
    (DocumentInfo(), None),
])
def test_issuer_key(info: DocumentInfo, key: str | None) -> None:
    assert issuer_key_for(info) == key


# --- behaviour beyond the fixtures ---------------------------------------------------------

def test_blank_cells_give_no_units() -> None:
    for cell in (None, "", "  ", "\n"):
        assert resolve_units(cell, BD) == []
        assert unknown_units(cell, BD) == []


def test_unknown_units_are_kept_as_printed_and_reported() -> None:
    analysis = analyse_units("Văn phòng Sở; Ban Chỉ đạo CCHC, Tổ công tác 896.", BD)
    assert analysis.units == ["Văn phòng Sở", "Ban Chỉ đạo CCHC", "Tổ công tác 896"]
    assert analysis.unknown == ["Ban Chỉ đạo CCHC", "Tổ công tác 896"]


def test_fragments_cut_off_by_a_page_break() -> None:
    # Halves of seed cells that a page break splits, should the table stage not join them:
    # what is a unit resolves, what is not is kept and reported.
    assert resolve_units("VSTP, Trung tâm Giám định y khoa", BD) == ["VSTP", "Trung tâm Giám định y khoa"]
    assert unknown_units("VSTP, Trung tâm Giám định y khoa", BD) == ["VSTP"]
    head = "Phòng Nghiệp vụ Y, Nghiệp vụ Dược Sở, Chi cục An toàn"
    assert resolve_units(head, BD) == ["Phòng Nghiệp vụ Y", "Phòng Nghiệp vụ Dược", "Chi cục An toàn"]
    assert unknown_units(head, BD) == ["Chi cục An toàn"]
    assert resolve_units("và các đơn vị trực thuộc Sở", BD) == ["Các đơn vị trực thuộc Sở"]
    assert resolve_units("Phòng Nghiệp vụ Y dược;", DN) == ["Phòng Nghiệp vụ Y dược"]
    assert resolve_units("Lãnh đạo các phòng chức", DN) == ["Lãnh đạo các phòng chức"]
    assert resolve_units("năng; Thủ trưởng các đơn vị trực thuộc.", DN) == ["năng", "Các đơn vị trực thuộc Sở"]


def test_names_holding_commas_and_va_are_not_split() -> None:
    cell = "Sở Văn hóa, Thể thao và Du lịch; Sở Lao động - Thương binh và Xã hội, Sở Tài chính"
    assert resolve_units(cell, BD) == ["Sở Văn hóa, Thể thao và Du lịch",
                                       "Sở Lao động - Thương binh và Xã hội", "Sở Tài chính"]
    assert resolve_units("Sở VH,TT&DL; Sở LĐ-TB&XH", BD) == [
        "Sở Văn hóa, Thể thao và Du lịch", "Sở Lao động - Thương binh và Xã hội"]


def test_elliptical_lists_are_expanded() -> None:
    assert resolve_units("Sở Tài chính, Kế hoạch và Đầu tư", BD) == ["Sở Tài chính", "Sở Kế hoạch và Đầu tư"]
    # Without knowing the issuer, the list's shared "Sở" still distributes.
    assert resolve_units("Các Phòng, Văn phòng, Thanh tra Sở và các đơn vị trực thuộc Sở", None) == ALL_PARTS


def test_matching_ignores_case_marks_and_spelling_variants() -> None:
    for cell in ("TRUNG TÂM KIỂM SOÁT BỆNH TẬT", "Trung tam Kiem soat benh tat", "CDC", "TTKSBT",
                 "Trung tâm KSBT tỉnh"):
        assert resolve_units(cell, BD) == ["Trung tâm Kiểm soát bệnh tật"], cell
    assert resolve_units("Sở Văn hoá, Thể thao và Du lịch", BD) == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_numbering_slashes_and_abbreviation_dots() -> None:
    assert resolve_units("1. Văn phòng Sở 2. Thanh tra Sở", BD) == ["Văn phòng Sở", "Thanh tra Sở"]
    assert resolve_units("a) Văn phòng Sở; b) Thanh tra Sở.", BD) == ["Văn phòng Sở", "Thanh tra Sở"]
    assert resolve_units("Sở Y tế/Văn phòng Sở", BD) == ["Sở Y tế", "Văn phòng Sở"]
    # "Tp.Hồ Chí Minh" is one name: kept whole (and reported), not cut at its dot.
    assert unknown_units("Sở Y tế Tp.Hồ Chí Minh", BD) == ["Sở Y tế Tp.Hồ Chí Minh"]


def test_huge_cells_stay_fast_and_keep_everything() -> None:
    cell = ", ".join(f"Tổ công tác số {i}" for i in range(3000))
    analysis = analyse_units(cell, BD)
    assert len(analysis.units) == len(analysis.unknown) == 3000


def test_units_are_deduplicated_in_order() -> None:
    assert resolve_units("Văn phòng Sở; Thanh tra Sở; Văn phòng Sở Y tế", BD) == ["Văn phòng Sở", "Thanh tra Sở"]


def test_aliases_depend_on_the_issuing_body() -> None:
    assert resolve_units("Văn phòng", BD) == ["Văn phòng Sở"]
    assert resolve_units("Văn phòng", "ubnd-tinh/binh-dinh") == ["Văn phòng Ủy ban nhân dân tỉnh"]
    assert resolve_units("Văn phòng", DT) == ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện"]


# --- ids -------------------------------------------------------------------------------------

def test_unit_ids_are_distinct_per_issuing_body() -> None:
    assert unit_id("Văn phòng Sở", BD) == "binh-dinh/so-y-te:van-phong-so"
    assert unit_id("Văn phòng Sở", DN) == "dak-nong/so-y-te:van-phong-so"
    assert unit_id("Thanh tra Sở", BD) != unit_id("Thanh tra Sở", "so-tai-chinh/binh-dinh")
    assert unit_id("Phòng Nội vụ", DT) == "thai-nguyen/ubnd-huyen-dai-tu:phong-noi-vu"
    assert unit_id("Phòng Nội vụ", DT) != unit_id("Phòng Nội vụ", "ubnd-huyen-phu-binh/thai-nguyen")


def test_provincial_and_national_bodies_share_ids_across_issuers() -> None:
    assert unit_id("Sở Nội vụ", BD) == unit_id("Sở Nội vụ", "so-tai-chinh/binh-dinh") == "binh-dinh:so-noi-vu"
    assert unit_id("Sở Nội vụ", BD) != unit_id("Sở Nội vụ", DN)
    assert unit_id("Bộ Y tế", BD) == unit_id("Bộ Y tế", DN) == "vn:bo-y-te"


def test_unit_scopes() -> None:
    from vnplans.normalize.units import unit_scope

    assert unit_scope("Văn phòng Sở", BD) == "issuer"
    assert unit_scope("Trung tâm Kiểm soát bệnh tật", BD) == "province"
    assert unit_scope("Bộ Y tế", None) == "national"
    assert unit_scope("Tổ công tác 896", BD) == "issuer"
    # A district's communes are its own; named by a Sở, they are the province's.
    assert unit_scope("Ủy ban nhân dân cấp xã", DT) == "issuer"
    assert unit_scope("Ủy ban nhân dân cấp xã", LC) == "province"


def test_unknown_units_get_issuer_ids() -> None:
    assert unit_id("Tổ công tác 896", BD) == "binh-dinh/so-y-te:to-cong-tac-896"
    assert unit_id("Tổ công tác 896", None) == "unknown-issuer:to-cong-tac-896"


def _clear_unit_caches() -> None:
    """Forget the loaded knowledge and built matchers, so a changed VNPLANS_EXTRACTORS
    takes effect (and is forgotten again after the test)."""
    from vnplans import knowledge
    from vnplans.normalize import unit_matcher, unit_tables, units

    for cache in (knowledge.load, unit_matcher.global_matcher, units._analyse):
        cache.cache_clear()
    unit_tables.clear_caches()


def test_user_aliases_extend_the_tables_without_code(tmp_path, monkeypatch) -> None:
    from vnplans import knowledge

    (tmp_path / "units.yaml").write_text(
        "generic:\n  - name: Ban Chỉ đạo cải cách hành chính\n",
        encoding="utf-8")
    (tmp_path / "abbreviations.yaml").write_text("abbreviations:\n  BCĐ: Ban Chỉ đạo\n", encoding="utf-8")
    monkeypatch.setenv(knowledge.ENV_VAR, str(tmp_path))
    _clear_unit_caches()
    try:
        assert resolve_units("Ban Chỉ đạo CCHC; BCĐ CCHC", BD) == ["Ban Chỉ đạo cải cách hành chính"]
        assert unknown_units("Ban Chỉ đạo CCHC", BD) == []
    finally:
        monkeypatch.delenv(knowledge.ENV_VAR)
        _clear_unit_caches()
    assert unknown_units("Ban Chỉ đạo CCHC", BD) == ["Ban Chỉ đạo CCHC"]


def _run_python(script: str) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr


def test_spacy_is_imported_lazily_and_only_its_matching_core() -> None:
    """Importing the resolver costs no spaCy; resolving imports spaCy's matching core
    only (no Language, pipeline, training or CLI); any later import of spaCy gets the
    whole package, the same module objects, working as after a plain `import spacy`."""
    _run_python(
        "import sys\n"
        "from vnplans.normalize.units import resolve_units\n"
        "assert 'spacy' not in sys.modules\n"
        "assert resolve_units('Văn phòng Sở, Thanh tra Sở', 'so-y-te/binh-dinh') == "
        "['Văn phòng Sở', 'Thanh tra Sở']\n"
        "from vnplans.normalize import spacy_import\n"
        "assert not spacy_import.is_complete()\n"
        "for name in ('spacy.language', 'spacy.pipeline', 'spacy.training', 'spacy.cli'):\n"
        "    assert name not in sys.modules, name\n"
        "from spacy.tokens import Doc\n"                # loaded already: no completion
        "assert not spacy_import.is_complete()\n"
        "core = spacy_import.import_spacy()\n"
        "import spacy, spacy.cli\n"                     # completes the package
        "assert spacy is core and spacy_import.is_complete() and sys.modules['spacy'] is core\n"
        "assert spacy.__spec__.name == 'spacy' and spacy.tokens.Doc is Doc\n"
        "assert callable(spacy.cli.app) and callable(spacy.cli.download)\n"
        "assert 'spacy_version' in spacy.info()\n"
        "assert [t.text for t in spacy.blank('en')('Sở Y tế')] == ['Sở', 'Y', 'tế']\n"
        "assert spacy.pipeline.EntityRuler and spacy.Language and spacy.Vocab\n"
        "assert resolve_units('Thanh tra Sở', 'so-y-te/binh-dinh') == ['Thanh tra Sở']\n"
    )


def test_spacy_submodule_import_completes_the_package_first() -> None:
    """`import spacy.cli` (a spaCy module not loaded yet) while only the core is
    loaded runs spaCy's __init__ first, in its own import order."""
    _run_python(
        "import sys\n"
        "from vnplans.normalize.units import resolve_units\n"
        "resolve_units('Văn phòng Sở', None)\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.app) and 'spacy_version' in spacy.info()\n"
        "from spacy.language import Language\n"
        "assert spacy.Language is Language\n"
    )


def test_spacy_core_import_falls_back_to_the_whole_package() -> None:
    """If spaCy's modules cannot be imported without its __init__ (another spaCy
    version), its __init__ runs at once and the matchers work as before."""
    _run_python(
        "import sys\n"
        "from vnplans.normalize import spacy_import\n"
        "spacy_import.CORE_MODULES = ('spacy.tokens', 'spacy.no_such_module', 'spacy.matcher')\n"
        "from vnplans.normalize.units import resolve_units\n"
        "assert resolve_units('Văn phòng Sở, Thanh tra Sở', 'so-y-te/binh-dinh') == "
        "['Văn phòng Sở', 'Thanh tra Sở']\n"
        "assert spacy_import.is_complete() and 'spacy.language' in sys.modules\n"
        "import spacy\n"
        "assert spacy.Language and 'spacy_version' in spacy.info()\n"
    )


def test_a_broken_user_table_is_a_one_line_error(tmp_path, monkeypatch) -> None:
    from vnplans import knowledge

    (tmp_path / "units.yaml").write_text("generic:\n  - aliases: [Tổ A]\n", encoding="utf-8")
    monkeypatch.setenv(knowledge.ENV_VAR, str(tmp_path))

    _clear_unit_caches()
    try:
        with pytest.raises(ValueError, match="a unit needs a name"):
            resolve_units("Tổ A", BD)
    finally:
        monkeypatch.delenv(knowledge.ENV_VAR)
        _clear_unit_caches()


QNG_UBND = issuer_key_for(DocumentInfo(issuer="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
                                       province="Quảng Ngãi"))
QNG_SNV = issuer_key_for(DocumentInfo(authority="UBND TỈNH QUẢNG NGÃI", issuer="SỞ NỘI VỤ",
                                      province="Quảng Ngãi"))

# Unit lists of 2025-2026 plans: the localities are a unit of the list whether joined by
# "," or "và"; "cơ quan, địa phương" is one group; the commune level is xã, phường and
# đặc khu since the 2025 reorganisation.
LIST_CELLS = {
    "Các sở, ban, ngành, địa phương": ["Các sở, ban, ngành", "Các địa phương"],
    "Các sở, ban, ngành và địa phương": ["Các sở, ban, ngành", "Các địa phương"],
    "Các sở, ban, ngành, địa phương liên quan": ["Các sở, ban, ngành", "Các địa phương"],
    "Cơ quan, địa phương có liên quan": ["Các cơ quan, địa phương"],
    "Các cơ quan, đơn vị, địa phương liên quan": ["Các cơ quan, đơn vị, địa phương"],
    "UBND các xã, phường, đặc khu": ["Ủy ban nhân dân cấp xã"],
    "Ủy ban nhân dân các xã, phường, đặc khu": ["Ủy ban nhân dân cấp xã"],
    "Các sở, ban, ngành; UBND các xã, phường, đặc khu":
        ["Các sở, ban, ngành", "Ủy ban nhân dân cấp xã"],
    "Sở Nội vụ, các sở, ban, ngành, địa phương":
        ["Sở Nội vụ", "Các sở, ban, ngành", "Các địa phương"],
}


@pytest.mark.parametrize("issuer_key", [QNG_UBND, QNG_SNV])
@pytest.mark.parametrize(("cell", "expected"), list(LIST_CELLS.items()))
def test_list_cells_keep_localities_and_groups(issuer_key: str, cell: str,
                                                expected: list[str]) -> None:
    assert resolve_units(cell, issuer_key) == expected
    assert unknown_units(cell, issuer_key) == []
