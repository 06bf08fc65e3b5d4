"""Rows → index and index component: every section path of both seed plans and of the
plan fixture variants, with hand-written expectations; task-text and document
fallbacks; None when nothing says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnplans.index_names import indices_named_in
from vnplans.models import Row, SectionRef
from vnplans.normalize.indices import classify_row

EXPECTED = Path(__file__).parent / "fixtures" / "expected"

ALL4 = ["PCI", "PAPI", "SIPAS", "PAR INDEX"]
IV = ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX) VÀ CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN ĐỐI VỚI SỰ PHỤC VỤ "
      "CỦA CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC (SIPAS)")

# (section titles outermost first) → (index, component code, component name)
SECTIONS: dict[tuple[str, ...], tuple[str | None, str | None, str | None]] = {
    # Bình Định 2023 (seed 000; the document names all four indices)
    ("NHÓM NHIỆM VỤ CHUNG",): (None, None, None),
    ("CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH (PCI)", "Cạnh tranh bình đẳng"):
        ("PCI", "6", "Cạnh tranh bình đẳng"),
    ("CHỈ SỐ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG (PAPI)", "Kiểm soát tham nhũng khu vực công"):
        ("PAPI", "4", "Kiểm soát tham nhũng trong khu vực công"),
    ("CHỈ SỐ QUẢN TRỊ VÀ HÀNH CHÍNH CÔNG (PAPI)", "Cung ứng dịch vụ công"):
        ("PAPI", "6", "Cung ứng dịch vụ công"),
    (IV, "Công tác chỉ đạo điều hành cải cách hành chính"):
        ("PAR INDEX", "1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    (IV, "Công tác chỉ đạo điều hành cải cách hành"):  # as the seed text cuts it
        ("PAR INDEX", "1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    (IV, "Tham mưu xây dựng và thực hiện văn bản QPPL"):
        ("PAR INDEX", "2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật"),
    (IV, "Cải cách thủ tục hành chính"): ("PAR INDEX", "3", "Cải cách thủ tục hành chính"),
    (IV, "Cải cách chế độ công vụ"): ("PAR INDEX", "5", "Cải cách chế độ công vụ"),
    (IV, "Cải cách tài chính công"): ("PAR INDEX", "6", "Cải cách tài chính công"),
    (IV, "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"):
        ("PAR INDEX", "7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
    (IV, "Xây dựng và phát triển Chính quyền điện tử"):
        ("PAR INDEX", "7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
    # Đắk Nông 2020 (seed 003; PAPI only)
    ("Đối với chỉ số nội dung 1: “Tham gia của người dân ở cấp cơ sở”",):
        ("PAPI", "1", "Tham gia của người dân ở cấp cơ sở"),
    ("Chỉ số nội dung 2 “Công khai, minh bạch”",): ("PAPI", "2", "Công khai, minh bạch"),
    ("Chỉ số nội dung 3: “Trách nhiệm giải trình với người dân”",):
        ("PAPI", "3", "Trách nhiệm giải trình với người dân"),
    ("Chỉ số nội dung 4 “Kiểm soát tham nhũng trong khu vực công”",):
        ("PAPI", "4", "Kiểm soát tham nhũng trong khu vực công"),
    ("Chỉ số nội dung 5 “Thủ tục hành chính”",): ("PAPI", "5", "Thủ tục hành chính công"),
    ("Chỉ số nội dung “Cung ứng dịch vụ công”",): ("PAPI", "6", "Cung ứng dịch vụ công"),
    # UBND huyện Đại Từ 2021 (PAPI, PAR INDEX)
    ("CHỈ SỐ PAPI", "Tham gia của người dân ở cấp cơ sở"): ("PAPI", "1", "Tham gia của người dân ở cấp cơ sở"),
    ("CHỈ SỐ PAPI", "Kiểm soát tham nhũng trong khu vực công"):
        ("PAPI", "4", "Kiểm soát tham nhũng trong khu vực công"),
    ("CHỈ SỐ PAR INDEX", "Công tác chỉ đạo"):
        ("PAR INDEX", "1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    ("CHỈ SỐ PAR INDEX", "Cải cách thủ tục hành chính"): ("PAR INDEX", "3", "Cải cách thủ tục hành chính"),
    # Sở KH&ĐT Hà Giang 2023 (PCI; sections are the sub-indices themselves)
    ("CHI PHÍ GIA NHẬP THỊ TRƯỜNG",): ("PCI", "1", "Chi phí gia nhập thị trường"),
    ("TÍNH MINH BẠCH VÀ TIẾP CẬN THÔNG TIN",): ("PCI", "3", "Tính minh bạch và tiếp cận thông tin"),
    ("DỊCH VỤ HỖ TRỢ DOANH NGHIỆP",): ("PCI", "8", "Dịch vụ hỗ trợ doanh nghiệp"),
    # Sở TT&TT Khánh Hòa 2022 (PAR INDEX; sections are component areas or their criteria)
    ("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",):
        ("PAR INDEX", "7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
    ("Tuyên truyền cải cách hành chính",):
        ("PAR INDEX", "1", "Công tác chỉ đạo, điều hành cải cách hành chính"),
    # Sở GD&ĐT Tây Ninh 2024 (PAPI, SIPAS; PAPI dimensions under an index section)
    ("CHỈ SỐ PAPI", "Công khai, minh bạch"): ("PAPI", "2", "Công khai, minh bạch"),
    # UBND tỉnh Quảng Bình 2023 (PAR INDEX, SIPAS): general tasks belong to no one index
    ("NHIỆM VỤ CHUNG",): (None, None, None),
    # Sở Tư pháp Quảng Nam 2024 (PCI)
    ("Tính minh bạch",): ("PCI", "3", "Tính minh bạch và tiếp cận thông tin"),
    ("Thiết chế pháp lý và an ninh trật tự",): ("PCI", "10", "Thiết chế pháp lý và an ninh trật tự"),
    ("Dịch vụ hỗ trợ doanh nghiệp",): ("PCI", "8", "Dịch vụ hỗ trợ doanh nghiệp"),
}

# Sections naming only an index: the component, when any, comes from the task text.
INDEX_ONLY = {
    ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)",): "PAR INDEX",
    ("CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS)",): "SIPAS",
    ("CHỈ SỐ SIPAS",): "SIPAS",  # Tây Ninh 2024, Quảng Bình 2023
    ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH",): "PAR INDEX",  # Quảng Bình 2023
}


def _row(titles: tuple[str, ...], task: str = "Tổ chức thực hiện") -> Row:
    return Row(section=[SectionRef(tt=str(n), title=t) for n, t in enumerate(titles, 1)], task=task)


@pytest.mark.parametrize("titles", list(SECTIONS), ids=[" / ".join(t)[-50:] for t in SECTIONS])
def test_section_paths(titles: tuple[str, ...]) -> None:
    index, code, name = SECTIONS[titles]
    # The expectation holds whatever the document names (all four, or that index alone).
    for doc_indices in (ALL4, [index] if index else []):
        got_index, component = classify_row(_row(titles), doc_indices)
        assert got_index == index
        got = (component.index, component.code, component.name) if component else (None, None, None)
        assert got == (index if code else None, code, name)


def test_every_fixture_section_path_has_an_expectation() -> None:
    for path in sorted(EXPECTED.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for raw in data["rows"]:
            row = Row(tt=raw["tt"], section=raw["section"], task=raw["task"])
            titles = tuple(s["title"] for s in raw["section"])
            index, component = classify_row(row, data["document"]["indices"])
            if titles in INDEX_ONLY:
                assert index == INDEX_ONLY[titles], (path.stem, raw["tt"])
                continue
            assert titles in SECTIONS, f"{path.stem}: no expectation for section path {titles}"
            want_index, want_code, _ = SECTIONS[titles]
            assert index == want_index, (path.stem, raw["tt"])
            assert (component.code if component else None) == want_code, (path.stem, raw["tt"])


def test_component_from_task_text_under_an_index_section() -> None:
    row = _row(("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (PAR INDEX)",),
               "Triển khai hiệu quả mô hình chính quyền số; số hóa hồ sơ, kết quả giải quyết TTHC")
    index, component = classify_row(row, ["PAR INDEX", "SIPAS"])
    assert index == "PAR INDEX"
    assert component is not None and component.code == "7"
    row = _row(("CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS)",),
               "Tổ chức điều tra xã hội học đo lường sự hài lòng")
    assert classify_row(row, ["PAR INDEX", "SIPAS"]) == ("SIPAS", None)


def test_task_text_names_the_index_when_sections_do_not() -> None:
    row = _row(("NHIỆM VỤ TRỌNG TÂM",), "Giảm chi phí không chính thức để cải thiện Chỉ số PCI")
    index, component = classify_row(row, ALL4)
    assert index == "PCI"
    assert component is not None and (component.code, component.name) == ("5", "Chi phí không chính thức")


def test_task_naming_several_indices_is_no_evidence() -> None:
    task = ("Ban hành kế hoạch và phổ biến, quán triệt kế hoạch thực hiện cải thiện, nâng cao các "
            "chỉ số về cải cách hành chính (PCI, PAPI, SIPAS, PAR INDEX) tỉnh năm 2023")
    assert classify_row(_row(("NHÓM NHIỆM VỤ CHUNG",), task), ALL4) == (None, None)


def test_single_index_document_is_the_fallback() -> None:
    assert classify_row(_row(("NHÓM NHIỆM VỤ CHUNG",)), ["PAPI"]) == ("PAPI", None)
    assert classify_row(Row(task="Tổ chức thực hiện"), ["PCI"]) == ("PCI", None)


def test_nothing_says() -> None:
    assert classify_row(Row(task="Tổ chức thực hiện"), ALL4) == (None, None)
    assert classify_row(Row(task=None), []) == (None, None)
    assert classify_row(_row(("NHÓM NHIỆM VỤ CHUNG",)), ["PCI", "PAPI"]) == (None, None)


def test_two_indices_in_one_section_the_component_decides() -> None:
    # Under "IV … (PAR INDEX) VÀ … (SIPAS)", a SIPAS factor goes to SIPAS …
    index, component = classify_row(_row((IV, "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị")), ALL4)
    assert index == "SIPAS" and component is not None and component.code == "5"
    # … and with no component named, the index named first wins.
    assert classify_row(_row((IV,)), ALL4) == ("PAR INDEX", None)


@pytest.mark.parametrize(("text", "indices"), [
    ("Triển khai thực hiện cải thiện, nâng cao Chỉ số năng lực cạnh tranh cấp tỉnh, Chỉ số Hiệu quả "
     "Quản trị và Hành chính công, Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ "
     "quan hành chính nhà nước và Chỉ số cải cách hành chính tỉnh Bình Định năm 2023 trong ngành Y tế",
     ["PCI", "PAPI", "SIPAS", "PAR INDEX"]),
    ("Hành động nâng cao Chỉ số PAPI năm 2020 của Sở Y tế Đăk Nông.", ["PAPI"]),
    ("góp phần nâng cao Chỉ số PAR IN DEX, Chỉ số SIPAS cấp tỉnh", ["PAR INDEX", "SIPAS"]),
    ("Nâng cao Chỉ số cải cách hành chính và Chỉ số hài lòng của người dân, tổ chức đối với sự phục "
     "vụ của cơ quan hành chính nhà nước năm 2025", ["PAR INDEX", "SIPAS"]),
    ("Tăng cường công tác cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh năm 2023", ["PCI"]),
    ("Công tác cải cách hành chính năm 2022", []),
    (None, []),
])
def test_indices_named_in(text: str | None, indices: list[str]) -> None:
    assert indices_named_in(text) == indices


def test_the_one_search_for_any_name_agrees_with_the_name_patterns() -> None:
    """`any_name` (the boundary checks around one alternation) finds a name exactly
    when one of the per-name patterns does."""
    from vnplans.index_names import _names
    from vnplans.vietnamese import fold

    info = _names()
    assert info.any_name is not None
    texts = [*[t for titles in SECTIONS for t in titles], IV, "PCIs", "xpci", "pci2", "(PCI)",
             "chi so PAR  IN DEX", "SIPAS-2023", "chỉ số cchc", "quan tri va hanh chinh cong"]
    for text in map(fold, texts):
        named = any(p.search(text) for _, p in info.names)
        assert (info.any_name.search(text) is not None) == named, text


def test_rows_of_a_section_get_their_own_component() -> None:
    """The section reading is cached; each row still gets a model of its own."""
    titles = ("CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP TỈNH (PCI)", "Cạnh tranh bình đẳng")
    first, second = classify_row(_row(titles), ALL4), classify_row(_row(titles), ALL4)
    assert first == second and first[1] is not None and first[1] is not second[1]
