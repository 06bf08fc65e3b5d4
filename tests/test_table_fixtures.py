"""Every fixture plan PDF: the appendix rows read back exactly as the plan data says.

The expected JSON is written by `tests/fixtures/generate.py` from the plan data, not
from reading the PDF, so these tests compare the extractor with the truth: row count,
every cell (after NFC and whitespace collapsing, as the contract's text rules say),
the section path and the pages of every row. The per-fixture cell accuracy is printed
(`pytest -s`) so regressions show before they fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vnplans.pdf.reader import read_pdf
from vnplans.table.build import extract_rows
from vnplans.vietnamese import collapse

FIXTURES = Path(__file__).parent / "fixtures"
CELL_FIELDS = ("tt", "task", "lead", "support", "outcome", "deadline")


def _native_fixtures() -> list[Path]:
    """Plans with a text layer in the fixture directories: generated, staging and
    office-made (scanned ones go through OCR: tests/test_textlayer_*)."""
    names = []
    for base in (FIXTURES, FIXTURES / "staging", FIXTURES / "office"):
        for expected in sorted((base / "expected").glob("*.json")):
            pdf = base / "pdfs" / f"{expected.stem}.pdf"
            if pdf.is_file() and "scan" not in expected.stem:
                names.append(pdf)
    return names


NAMES = _native_fixtures()


def _norm(value):
    return collapse(value) if isinstance(value, str) else value


def _sections(row: dict) -> list[tuple[str | None, str]]:
    return [(s["tt"], collapse(s["title"])) for s in row.get("section", [])]


@pytest.fixture(scope="module", params=NAMES, ids=lambda p: p.stem)
def result(request):
    pdf = request.param
    name = pdf.stem
    expected_path = pdf.parent.parent / "expected" / f"{name}.json"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    pages = read_pdf(pdf).pages
    rows, warnings = extract_rows(pages)
    return name, [r.model_dump() for r in rows], expected["rows"], warnings


def test_fixture_set_is_not_empty():
    assert len(NAMES) >= 6


def test_every_row_found_and_no_spurious_rows(result):
    name, got, expected, _warnings = result
    assert [r["tt"] for r in got] == [r["tt"] for r in expected], name


def test_every_cell_exact(result):
    name, got, expected, _warnings = result
    total = right = 0
    wrong = []
    for i, (g, e) in enumerate(zip(got, expected, strict=False)):
        for field in CELL_FIELDS:
            total += 1
            if _norm(g[field]) == _norm(e.get(field)):
                right += 1
            else:
                wrong.append((i, e.get("tt"), field, g[field], e.get(field)))
    total += abs(len(got) - len(expected)) * len(CELL_FIELDS)
    print(f"\n{name}: cell accuracy {right}/{total} = {right / max(total, 1):.3f}")
    assert not wrong, wrong[:5]


def test_cell_text_keeps_bullet_breaks_only(result):
    _name, got, _expected, _warnings = result
    for row in got:
        for field in CELL_FIELDS:
            value = row[field]
            if value and "\n" in value:
                assert all(part.lstrip().startswith(("-", "–", "+", "•"))
                           for part in value.split("\n")[1:]), value


def test_sections(result):
    name, got, expected, _warnings = result
    mismatched = [(e.get("tt"), _sections(g), _sections(e))
                  for g, e in zip(got, expected, strict=False) if _sections(g) != _sections(e)]
    assert not mismatched, (name, mismatched[:3])


def test_pages(result):
    name, got, expected, _warnings = result
    # (The office-made plans' truth has no pages.)
    mismatched = [(e.get("tt"), g["pages"], e["pages"])
                  for g, e in zip(got, expected, strict=False)
                  if "pages" in e and g["pages"] != e["pages"]]
    assert not mismatched, (name, mismatched[:3])


def test_no_header_words_in_rows(result):
    _name, got, _expected, _warnings = result
    header_words = {"TT", "STT", "CHỦ TRÌ", "PHỐI HỢP", "NHIỆM VỤ", "THỜI GIAN", "KẾT QUẢ"}
    for row in got:
        for field in CELL_FIELDS:
            assert collapse(row[field] or "").upper() not in header_words or not row[field], row
