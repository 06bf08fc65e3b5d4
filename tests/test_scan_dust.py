"""Dust on a scan: specks beside words are painted over before OCR, marks are not.

The page is a fixture plan's table page (kh2022_chars, of the scan matrix's tuning
half) rendered as a 150 dpi scan and enlarged to the OCR resolution (200 dpi), once
clean and once with dust as `tests/fixtures/make_scanned.py` draws it (2×2-pixel
specks, 6 in 10,000 pixels: the matrix's heaviest speckle)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest

from vnplans.ir import Page
from vnplans.textlayer.scan import binarize, despeckle

PLAN = Path(__file__).parent / "fixtures" / "pdfs" / "kh2022_chars.pdf"
SCAN_DPI, OCR_DPI = 150, 200
SCALE = 72 / OCR_DPI


def _scan(dust: float, seed: int = 7) -> np.ndarray:
    with pymupdf.open(PLAN) as doc:
        pix = doc[1].get_pixmap(dpi=SCAN_DPI, alpha=False, colorspace=pymupdf.csGRAY)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width).copy()
    if dust:
        specks = np.random.default_rng(seed).random(img.shape) < dust
        specks = cv2.dilate(specks.astype(np.uint8), np.ones((2, 2), np.uint8)) > 0
        img[specks] = img[specks] // 4
    f = OCR_DPI / SCAN_DPI
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_LINEAR)


def test_dust_beside_words_goes_and_the_marks_stay():
    clean, dusty = _scan(0.0), _scan(0.0006)
    ink = binarize(clean) > 0
    cleaned = binarize(despeckle(dusty, SCALE)) > 0
    # The specks apart from the letters (a speck touching a letter is part of it).
    n, labels, stats, _c = cv2.connectedComponentsWithStats(binarize(dusty))
    touching = np.bincount(labels[ink], minlength=n) > 0
    kept = np.bincount(labels[cleaned], minlength=n) > 0
    near = cv2.dilate(ink.astype(np.uint8), np.ones((17, 17))) > 0  # within ~3 pt of ink
    beside = np.bincount(labels[near], minlength=n) > 0
    specks = ~touching
    specks[0] = False
    assert (specks & beside).sum() > 200  # plenty of dust lies beside words
    assert (specks & kept).sum() <= 0.2 * (specks & beside).sum()
    # Every mark of the page (full stops, dots of "i", dots below, tone marks) stays:
    # no ink component of the clean page loses more than half of its pixels.
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink.astype(np.uint8))
    left = np.bincount(labels[ink & cleaned], minlength=n)
    lost = [i for i in range(1, n) if left[i] < 0.5 * stats[i, cv2.CC_STAT_AREA]]
    assert len(lost) <= 0.005 * n


def test_a_clean_page_is_left_as_it_is():
    clean = _scan(0.0)
    assert np.array_equal(despeckle(clean, SCALE), clean)


@pytest.mark.ocr
def test_dusty_table_page_reads_as_the_clean_one(tmp_path):
    """OCR'd whole, the dusty page gives the words of the clean one: no "doanh,
    nghiệp", "Thanh.tra" or lone "-" from specks, and no tone mark from dust."""
    from vnplans.textlayer.ocr import ocr_page

    texts = []
    for dust in (0.0, 0.0006):
        ok, png = cv2.imencode(".png", _scan(dust))
        doc = pymupdf.open()
        with pymupdf.open(PLAN) as src:
            rect = src[1].rect
        pdf_page = doc.new_page(width=rect.width, height=rect.height)
        pdf_page.insert_image(pdf_page.rect, stream=png.tobytes())
        page = Page(1, rect.width, rect.height)
        ocr_page(page, pdf_page)
        texts.append([w.text for w in sorted(page.words, key=lambda w: (round(w.yc / 4), w.x0))])
    clean, dusty = texts
    import difflib

    ops = difflib.SequenceMatcher(a=clean, b=dusty, autojunk=False).get_opcodes()
    wrong = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in ops if op != "equal")
    assert wrong <= 0.02 * len(clean)  # 61 of 326 words wrong before dust near words went


@pytest.mark.ocr
def test_a_dot_read_as_a_digit_beside_the_table_does_not_end_it(tmp_path):
    """kh2022_chars as the scan matrix makes it at 150 dpi, seed 22 (colour, JPEG
    q45, heavy speckle): a dot 1.8 pt across left of the table on page 2 was read as
    "2" (0.86 sure); a line with a word outside the table ended the table there, and
    rows 2.1 and 2.2 were lost. A lone letter on ink a quarter of the font size tall
    is a speck."""
    from scan_fixtures import matrix_scan

    from vnplans.pipeline import extract

    rows = extract(matrix_scan(tmp_path, "kh2022_chars", 150, 22)).model_dump(mode="json")["rows"]
    assert [r["tt"] for r in rows][-3:] == ["2.1", "2.2", "2.3"]
    assert rows[-3]["task"].startswith("Xây dựng chuyên mục cải cách hành chính trên Báo")
    assert rows[-2]["task"].startswith("Tổ chức cuộc thi tìm hiểu về cải cách hành chính")
    assert rows[-2]["pages"] == [2]
