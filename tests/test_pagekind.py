"""Only scans are OCR'd: a near-empty native page (the signer's name run over onto a
page of its own, a blank page) keeps its text layer; an image-only page is OCR'd.

The plans are built here from the fixture bd2023 (native text): its signature page
is copied and the signer's name is moved onto a page of its own, as Word does when
the signature block does not fit."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from vnplans.pdf.reader import read_pdf
from vnplans.textlayer.pagekind import scan_reason
from vnplans.textlayer.repair import repair_pages

FIXTURES = Path(__file__).parent / "fixtures"
NATIVE = FIXTURES / "pdfs" / "bd2023.pdf"
SCAN = FIXTURES / "scanned" / "bd2023_scan.pdf"
BOLD_FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
SIGNER = "Lê Quang Hùng"


def _signature_page(doc: pymupdf.Document) -> int:
    return next(i for i, p in enumerate(doc) if SIGNER in p.get_text())


def _plan_with_signer_page(out: Path, *, blank_too: bool = False) -> Path:
    """bd2023 with the signer's name erased from the signature page and written alone
    on a new portrait page right after it (and, optionally, a blank page after that)."""
    doc = pymupdf.open(NATIVE)
    at = _signature_page(doc)
    page = doc[at]
    for rect in page.search_for(SIGNER):
        page.add_redact_annot(rect)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE)
    width, height = page.rect.width, page.rect.height
    if blank_too:
        doc.new_page(at + 1, width=width, height=height)
    new = doc.new_page(at + 1, width=width, height=height)
    new.insert_font(fontname="lsb", fontfile=BOLD_FONT)
    new.insert_text((380, 90), SIGNER, fontname="lsb", fontsize=14)
    doc.save(out)
    return out


def test_signer_page_of_a_native_plan_is_not_ocrd(tmp_path):
    path = _plan_with_signer_page(tmp_path / "signer_page.pdf", blank_too=True)
    with pymupdf.open(path) as doc:
        at = _signature_page(doc) - 1  # the name is on the page after the signature
        assert scan_reason(doc[at + 1]) is None and scan_reason(doc[at + 2]) is None
    doc = repair_pages(read_pdf(path), ocr=True)
    signer_page = doc.pages[at + 1]
    assert [w.text for w in signer_page.words] == SIGNER.split()
    assert signer_page.text_source == "native"
    assert doc.pages[at + 2].text_source == "empty"
    assert doc.pages[at + 2].words == []
    assert doc.text_layer == "native"
    warnings = [w for p in doc.pages for w in p.warnings]
    assert not any("OCR" in w or "scanned" in w for w in warnings), warnings


def test_an_image_covering_the_page_makes_it_a_scan():
    with pymupdf.open(SCAN) as doc:
        assert all(scan_reason(p) == "an image covers the page" for p in doc)


def test_a_scan_without_ocr_is_still_reported_as_such():
    doc = repair_pages(read_pdf(SCAN), ocr=False)
    assert all("no text layer and OCR is off" in p.warnings for p in doc.pages)


@pytest.mark.parametrize("glyphs", [10, 80])
def test_text_drawn_as_outlines_makes_it_a_scan(tmp_path, glyphs):
    """A print driver that turns text into outlines leaves many small filled paths."""
    doc = pymupdf.open()
    page = doc.new_page()
    shape = page.new_shape()
    for k in range(glyphs):
        x, y = 60 + (k % 40) * 12, 100 + (k // 40) * 20
        shape.draw_rect(pymupdf.Rect(x, y, x + 7, y + 10))
        shape.finish(fill=(0, 0, 0), color=None)  # one path per glyph
    shape.commit()
    path = tmp_path / "outlines.pdf"
    doc.save(path)
    with pymupdf.open(path) as again:
        reason = scan_reason(again[0])
    assert reason == ("text drawn as outlines" if glyphs >= 40 else None)
