"""Quarter numerals counted in the image (`ocr_strokes`): a numeral Tesseract read
with a stroke lost takes the number of strokes printed; a reading the image agrees
with, a "V" or a digit stays as read."""

from __future__ import annotations

import numpy as np
import pymupdf
import pytest

from vnplans.ir import Word
from vnplans.textlayer.ocr_strokes import count_strokes, fix_quarter_strokes
from vnplans.textlayer.scan import render

DPI = 200
SCALE = 72.0 / DPI
LINES = ["Quý III/2025", "Quý II, III/2025", "Quý IV/2025", "Quý 1/2025", "Quý I"]


@pytest.fixture(scope="module")
def page_image():
    """The lines printed in Times 12 pt, as a 200 dpi grey image, and their words
    (text, box in points)."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=40 + 30 * len(LINES))
    for k, line in enumerate(LINES):
        page.insert_text((20, 40 + 30 * k), line, fontname="tiro", fontsize=12)
    words = [(w[4], w[:4]) for w in page.get_text("words")]
    gray = render(page, DPI).mean(axis=2).astype(np.uint8)
    doc.close()
    return gray, words


def _words(words, readings: dict[tuple[int, str], str]) -> list[Word]:
    """OCR-like words: line k's word `text` read as readings[(k, text)]."""
    out, line, last_y = [], -1, None
    for text, (x0, y0, x1, y1) in words:
        if last_y is None or abs(y0 - last_y) > 5:
            line += 1
        last_y = y0
        out.append(Word(readings.get((line, text), text), x0, y0, x1, y1, origin="ocr"))
    return out


def test_strokes_are_counted_up_to_the_slash(page_image) -> None:
    gray, words = page_image
    boxes = {text: box for text, box in words}
    counts = {text: count_strokes(gray, tuple(int(v / SCALE) for v in boxes[text]))
              for text in ("III/2025", "II,", "I", "1/2025")}
    assert counts == {"III/2025": 3, "II,": 2, "I": 1, "1/2025": 1}


def test_a_lost_stroke_is_put_back(page_image) -> None:
    gray, words = page_image
    page_words = _words(words, {(0, "III/2025"): "II/2025", (1, "III/2025"): "IH/2025",
                                (1, "II,"): "II,", (3, "1/2025"): "1/2025",
                                (2, "IV/2025"): "IV/2025"})
    changed = fix_quarter_strokes(gray, page_words, SCALE)
    texts = [w.text for w in page_words]
    assert changed == 2
    assert texts == ["Quý", "III/2025", "Quý", "II,", "III/2025", "Quý", "IV/2025",
                     "Quý", "1/2025", "Quý", "I"]


def test_a_numeral_the_image_agrees_with_stays(page_image) -> None:
    gray, words = page_image
    page_words = _words(words, {})
    assert fix_quarter_strokes(gray, page_words, SCALE) == 0
    assert " ".join(w.text for w in page_words) == " ".join(LINES)


@pytest.mark.parametrize("read", ["IL2025", "H2025", "[I/2025", "I12025", "-IL2025", "1112025"])
def test_a_quarter_with_its_slash_misread_is_rebuilt(page_image, read) -> None:
    gray, words = page_image
    page_words = _words(words, {(0, "III/2025"): read})
    assert fix_quarter_strokes(gray, page_words, SCALE) == 1
    assert page_words[1].text == "III/2025"


def test_a_quarter_in_digits_stays(page_image) -> None:
    gray, words = page_image
    page_words = _words(words, {(0, "III/2025"): "12025"})
    assert fix_quarter_strokes(gray, page_words, SCALE) == 0
    assert page_words[1].text == "12025"
