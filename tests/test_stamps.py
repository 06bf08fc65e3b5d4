"""Digital-signature stamps ("Người ký: … / Thời gian ký: …") are not plan text
(docs/table-reading.md, H15): `vnplans.layout.stamps` removes them, and only them, before the
layout is read. The fixture is a LibreOffice-made plan stamped on every page the
way the provinces' signing software does (make_office_plans.py, style `esign`)."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from vnplans.layout.stamps import remove_signature_stamps
from vnplans.pipeline import read_pages

VARIANTS = Path(__file__).parent / "fixtures" / "office" / "variants" / "pdfs"
STAMPED = VARIANTS / "qng2024_snv__esign.pdf"


@pytest.fixture(scope="module")
def stamped_pages():
    return read_pages(STAMPED, ocr=False).pages


def _text(page) -> str:
    return " ".join(w.text for w in page.words)


def test_the_stamp_on_a_continued_appendix_page_is_removed(stamped_pages):
    page = stamped_pages[2]
    assert "Người ký: Sở Nội Vụ" in _text(page)
    before = len(page.words)
    removed = remove_signature_stamps(page)
    text = _text(page)
    for gone in ("Người ký", "vanthu@gov.vn", "Cơ quan: Tỉnh Quảng Ngãi", "Thời gian ký"):
        assert gone not in text
    # The repeated header the stamp overlaps, and the rows, stay whole.
    assert "Thời gian hoàn thành" in text
    assert "Tổ chức thực hiện" in text or "STT" in text
    assert removed == before - len(page.words) > 0
    assert remove_signature_stamps(page) == 0  # nothing left to remove


def test_every_stamped_page_loses_only_the_stamp():
    with pymupdf.open(STAMPED) as doc:
        stamp_words = [len(p.get_text("words", clip=pymupdf.Rect(p.rect.width - 200, 0,
                                                                   p.rect.width, 70)))
                       for p in doc]
    pages = read_pages(STAMPED, ocr=False).pages
    for page, in_corner in zip(pages, stamp_words, strict=True):
        before = len(page.words)
        removed = remove_signature_stamps(page)
        assert 0 < removed <= in_corner
        assert len(page.words) == before - removed


def test_a_label_line_alone_is_not_a_stamp():
    from vnplans.ir import Page, Word

    page = Page(number=1, width=842, height=595)
    page.words = [Word("Cơ", 100, 100, 110, 108, size=8), Word("quan:", 112, 100, 130, 108, size=8),
                  Word("Sở", 132, 100, 140, 108, size=8), Word("Nội", 142, 100, 152, 108, size=8)]
    assert remove_signature_stamps(page) == 0
    assert len(page.words) == 4
