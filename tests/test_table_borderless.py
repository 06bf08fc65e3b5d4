"""Borderless Word tables with little or no space between rows (docs/table-reading.md:
F5–F8, G1, G2) and other office house styles (H1, H3, H5, H9–H11):
the whole chain (`vnplans.pipeline.extract`) reads every appendix row of the variant
fixtures in `tests/fixtures/office/variants/` exactly as the plan data says.

The expected JSON is written from the plan data, never from reading the PDF. Only
the variants read correctly today are listed; docs/table-reading.md explains the others.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_compare import assert_rows_match, expected_and_extracted, norm, sections

VARIANTS = Path(__file__).parent / "fixtures" / "office" / "variants"

# No borders, 0 pt cell spacing: rows cut at every TT number (F5).
PASSING = [
    "qng2024_snv__none_sp0",
    "cx2022_huyen__sp0",
    # No borders, "STT" wrapped as "ST" / "T" in the unruled header (F6).
    "bn2025_tp__none",
    # No borders, 3 pt paragraph spacing: bullet paragraphs stay in their task (F8).
    "qng2024_snv__none_sp3",
    # A task cell merged over two sub-rows with the same number (F7), 0 pt and 6 pt.
    "tb2021_ubnd__none_sp0",
    "tb2021_ubnd__sp6",
    # 0 pt, sub-rows retyping the number beside a merged task cell.
    "bdg2024_skhdt__none_sp0",
    # 0 pt, a row without number under a row whose lead runs one line longer.
    "ntn2023_stp__none_sp0",
    # 13 pt text, 1 pt cell spacing: 2 pt between rows is row spacing at any size (G1).
    "cx2022_huyen__13pt",
    # 0 pt, portrait, Ghi chú column: a row without number beside a merged lead (G2).
    "ldg2023_stnmt__none_sp0",
    # Other office house styles (docs/table-reading.md): Arial; Arial 14 pt borderless;
    # other header wordings; a filled "Ghi chú" (borderless) and a "Lãnh đạo phụ trách"
    # column; PHỤ LỤC I / II (new page; borderless, mid-page); the table in the body;
    # a footer under the table; numbering restarting per section and a, b, c rows;
    # landscape pages stored with /Rotate 90; a row over three pages; borderless
    # without repeated header; commune, TP. Hồ Chí Minh and district header blocks.
    "qng2024_snv__arial",
    "cx2022_huyen__arial14",
    "qng2024_snv__synonyms",
    "ntn2023_stp__none_note",
    "tb2021_ubnd__leader_col",
    "qng2024_snv__split",
    "cx2022_huyen__split_samepage",
    "qng2024_snv__inline",
    "ag2025_snv__footer",
    "bdg2024_skhdt__restart",
    "tb2021_ubnd__letters",
    "qng2024_snv__rotated",
    "qng2024_snv__long_row_horizontal",
    "qng2024_snv__none_norepeat",
    "cx2022_huyen__commune",
    "bdg2024_skhdt__blankday_hcm",
    "ntn2023_stp__district",
    # Word 2013's cell spacing (0 / 8 pt, line 1.08) without borders; justified cells
    # without borders; a "Nguồn kinh phí" column; "Ghi chú: …" under the table.
    "qng2024_snv__none_word2013",
    "bdg2024_skhdt__none_word2013",
    "tb2021_ubnd__none_word2013",
    "ntn2023_stp__none_word2013",
    "qng2024_snv__none_justify",
    "qng2024_snv__budget_col",
    "qng2024_snv__after_note",
    # Sub-items "+ ", "a) ", "1. " (borderless); text above the appendix table.
    "qng2024_snv__plus",
    "qng2024_snv__none_letters",
    "bdg2024_skhdt__none_sp0_letters",
    "cx2022_huyen__numbers",
    "ldg2023_stnmt__intro",
    "cx2022_huyen__intro",
    "qng2024_snv__none_intro",
    # A digital-signature stamp on page 1 and on the appendix's first page.
    "qng2024_snv__esign_fa",
    # Shaded header and section rows.
    "cx2022_huyen__shaded",
    "qng2024_snv__shaded",
    # Read exactly since the H2 / H4 / H15 fixes (48e7355, d5b507f, 08bd6d0).
    "tb2021_ubnd__landscape_all",
    "ntn2023_stp__fitted",
    "tb2021_ubnd__esign_sig",
    # A digital-signature stamp at the top right of every page, over the repeated
    # header's right end (H15, removed by vnplans.layout.stamps).
    "qng2024_snv__esign",
    "ldg2023_stnmt__esign",
    # A three-level header ("TỔ CHỨC THỰC HIỆN" over "Đơn vị thực hiện" over "Chủ trì |
    # Phối hợp") repeated on every page, in a grid (H1) and with rules between rows only
    # (H5).
    "bdg2024_skhdt__three_level",
    "bdg2024_skhdt__three_level_horizontal",
    # Narrow columns: a row number, a Roman section number or a date broken at the cell
    # edge without hyphen ("1." / "1", "II" / "I", "31/01/20" / "24"; H3).
    "qng2024_snv__portrait",
    "pt2024_stttt__narrow",
    "ldg2023_stnmt__arial14",
    # Word 2013's cell spacing (0 / 8 pt, line 1.08) without borders: a blank band under
    # the repeated header (H9); later paragraphs of a cell level in two columns, or a
    # second deadline paragraph (H10); a task's lead-in paragraph beside centred cells
    # (H11).
    "ag2025_snv__word2013_none",
    "pt2024_stttt__none_word2013_top",
    "ldg2023_stnmt__none_word2013",
    "pt2024_stttt__none_word2013",
    # No borders, portrait, narrow columns: "STT" wrapped one letter a line.
    "qng2024_snv__none_portrait",
    # Items numbered "1. ", "2. " inside a task cell, cut by a page break (grid) or by
    # a row cut (borderless, 0 pt) (H12).
    "pt2024_stttt__numbers",
    "qng2024_snv__none_sp0_numbers",
    # The table in the body, narrow columns: "II" / "I" and dates broken at the cell
    # edge (H3).
    "bn2025_tp__inline",
    # 14 pt portrait, header names wrapped (G3): the date "15/11/202" / "3" broken at
    # the cell edge on the table's last line (H3; the "3" is no page number).
    "ldg2023_stnmt__none_14",
    # 13 / 14 pt landscape: "ST" / "T" on a third header line beside "thực hiện" (G3).
    "tb2021_ubnd__none_13",
    "bn2025_tp__none_14",
    # 2026 unit lists and deadlines; a narrow portrait deadline cell breaks
    # "15/01/2026;" before the semicolon.
    "qng2026_ubnd__none",
    "qng2026_ubnd__none_sp0",
    "qng2026_ubnd__horizontal_arial14",
    "qng2026_ubnd__portrait",
]


def _result(name: str) -> tuple[dict, dict]:
    return expected_and_extracted(VARIANTS, name)


@pytest.mark.parametrize("name", PASSING)
def test_rows_found_in_order(name: str) -> None:
    expected, got = _result(name)
    assert [r["tt"] for r in got["rows"]] == [r["tt"] for r in expected["rows"]]


@pytest.mark.parametrize("name", PASSING)
def test_every_row_field(name: str) -> None:
    expected, got = _result(name)
    assert_rows_match(name, expected, got)


def test_header_names_wrapped_by_narrow_columns() -> None:
    # 14 pt in a portrait table: "Đơn vị chủ" / "trì", "Đơn vị phối" / "hợp", "ST" /
    # "T" (docs/table-reading.md, G3). Every row and unit is read (the deadlines too: PASSING).
    name = "ldg2023_stnmt__none_14"
    expected, got = _result(name)
    assert [r["tt"] for r in got["rows"]] == [r["tt"] for r in expected["rows"]]
    for g, e in zip(got["rows"], expected["rows"], strict=True):
        for field in ("task", "lead", "support", "outcome"):
            assert norm(g[field]) == norm(e[field]), (e["tt"], field)
        assert sections(g) == sections(e), e["tt"]
    assert [norm(r["deadline"]) for r in got["rows"][:-1]] == \
        [norm(r["deadline"]) for r in expected["rows"][:-1]]
