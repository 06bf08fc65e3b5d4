"""Plans made the way offices make them (Word tables printed by LibreOffice): the whole
chain (`vnplans.pipeline.extract`) reads every appendix row and every header-block field
exactly as the plan data says.

The PDFs and expected JSON are in `tests/fixtures/office/` (made by
`make_office_plans.py` from `plans/*.yaml`; the JSON is written from the plan data,
never from reading the PDF). Only the fixtures the extractor reads correctly today are
listed in PASSING (all of them); docs/table-reading.md describes the cases they exercise.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_compare import CELL_FIELDS, assert_rows_match, expected_and_extracted

OFFICE = Path(__file__).parent / "fixtures" / "office"
DOCUMENT_FIELDS = ("authority", "issuer", "province", "number", "symbol", "doc_type",
                   "issued_on", "year", "title", "indices", "signer")

# Every office fixture (docs/table-reading.md F1–F3 were the last to be fixed).
PASSING = [
    "qng2024_snv",
    "ntn2023_stp",
    "cx2022_huyen",
    "ag2025_snv",
    "tb2021_ubnd",
    "ldg2023_stnmt",
    "bdg2024_skhdt",
    "pt2024_stttt",
    "bn2025_tp",
    "qng2026_ubnd",
    "kt2026_sct",
    "tq2025_pci",
]


def _result(name: str) -> tuple[dict, dict]:
    return expected_and_extracted(OFFICE, name)


def test_every_office_fixture_has_its_pdf_and_is_tested():
    names = sorted(p.stem for p in (OFFICE / "expected").glob("*.json"))
    assert len(names) >= 6
    for name in names:
        assert (OFFICE / "pdfs" / f"{name}.pdf").is_file(), name
        assert name in PASSING, name


@pytest.mark.parametrize("name", PASSING)
def test_rows_found_in_order(name: str) -> None:
    expected, got = _result(name)
    assert [r["tt"] for r in got["rows"]] == [r["tt"] for r in expected["rows"]]


@pytest.mark.parametrize("name", PASSING)
def test_every_row_field(name: str) -> None:
    expected, got = _result(name)
    assert_rows_match(name, expected, got)


@pytest.mark.parametrize("name", PASSING)
def test_cell_text_follows_the_contract_exactly(name: str) -> None:
    # Not only equal after collapsing: a line break exactly before each bullet item
    # and nowhere else (a unit name cut at " - " by a page break is no bullet).
    expected, got = _result(name)
    for i, (g, e) in enumerate(zip(got["rows"], expected["rows"], strict=True)):
        for field in CELL_FIELDS:
            assert g[field] == e[field], (name, i, e["tt"], field)


@pytest.mark.parametrize("name", PASSING)
def test_document_fields(name: str) -> None:
    expected, got = _result(name)
    for field in DOCUMENT_FIELDS:
        want, have = expected["document"][field], got["document"][field]
        if field == "indices":
            want, have = sorted(want), sorted(have)
        assert have == want, (name, field)
    assert got["source"]["pages"] == expected["pages"]
