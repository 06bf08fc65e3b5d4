"""Scanned pages: red seal removal, deskew, ruling lines, OCR into the page IR.

The image tests are synthetic and fast; the OCR tests read a few pages of the
scanned fixture (tests/fixtures/make_scanned.py: bd2023 at 150 dpi, skewed, with a
red seal over the signer and over appendix rows) and one runs the whole pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest

from vnplans.ir import Page, Rule, Word
from vnplans.textlayer import ocr
from vnplans.textlayer.metrics import syllable_f1
from vnplans.textlayer.repair import _needs_ocr, repair_pages
from vnplans.textlayer.scan import (
    binarize,
    estimate_skew,
    find_rules,
    remove_red,
    rotate,
)

FIXTURES = Path(__file__).parent / "fixtures"
SCAN = FIXTURES / "scanned" / "bd2023_scan.pdf"
ORIGINAL = FIXTURES / "pdfs" / "bd2023.pdf"
EXPECTED = FIXTURES / "expected" / "bd2023.json"
DPI = 100
SCALE = 72 / DPI


def _grid_page(width: int = 1100, height: int = 800) -> np.ndarray:
    """White RGB page with a 4x3 ruled table and text-like blocks in the cells."""
    img = np.full((height, width, 3), 245, dtype=np.uint8)
    for y in (100, 200, 300, 400, 500):
        cv2.line(img, (100, y), (1000, y), (0, 0, 0), 2)
    for x in (100, 250, 700, 1000):
        cv2.line(img, (x, 100), (x, 500), (0, 0, 0), 2)
    for y in (140, 240, 340, 440):
        for x0, x1 in ((120, 200), (280, 650), (720, 950)):
            for x in range(x0, x1, 14):  # letters: short bars
                cv2.rectangle(img, (x, y), (x + 8, y + 18), (20, 20, 20), -1)
    return img


def _stamp(img: np.ndarray, center: tuple[int, int], radius: int) -> np.ndarray:
    seal = np.full_like(img, 255)
    cv2.circle(seal, center, radius, (210, 35, 40), 8)
    cv2.circle(seal, center, radius // 3, (210, 35, 40), -1)
    return (img.astype(np.uint16) * seal // 255).astype(np.uint8)


def test_red_seal_is_dropped_but_black_under_it_stays():
    img = _stamp(_grid_page(), (400, 300), 90)
    ink = binarize(remove_red(img))
    # The ring and the filled centre (away from black ink) are gone …
    assert ink[204:216, 400].max() == 0
    assert ink[285:295, 390:410].max() == 0
    assert remove_red(img)[210, 400] > 200
    # … while the rule at y=300 runs on under the seal, unbroken.
    assert ink[299:302, 300:500].max(axis=0).min() == 255


def test_rules_found_in_points_and_not_cut_by_the_seal():
    img = _stamp(_grid_page(), (400, 300), 90)
    ink = binarize(remove_red(img))
    rules, _mask = find_rules(ink, SCALE)
    horizontal = sorted(round(r.y0 / SCALE) for r in rules if r.horizontal)
    vertical = sorted(round(r.x0 / SCALE) for r in rules if not r.horizontal)
    assert horizontal == pytest.approx([100, 200, 300, 400, 500], abs=2)
    assert vertical == pytest.approx([100, 250, 700, 1000], abs=2)
    for r in rules:
        if r.horizontal:
            assert r.x1 - r.x0 == pytest.approx(900 * SCALE, abs=3)


def test_letter_bars_are_not_rules():
    ink = binarize(remove_red(_grid_page()))
    rules, _ = find_rules(ink, SCALE)
    assert len(rules) == 9


def test_a_letter_stem_touching_a_rule_is_no_rule_but_a_one_line_row_border_is():
    img = _grid_page(height=900)
    # A table of one one-line row (18 pt tall) under it: its borders are short
    # pieces closed by the rules above and below.
    for y in (600, 625):
        cv2.line(img, (100, y), (1000, y), (0, 0, 0), 2)
    for x in (100, 250, 700, 1000):
        cv2.line(img, (x, 600), (x, 625), (0, 0, 0), 2)
    # A bold "Ỉ" whose hook touches the rule over its row: a 14 pt stem.
    cv2.rectangle(img, (500, 301), (501, 321), (0, 0, 0), -1)
    rules, mask = find_rules(binarize(remove_red(img)), SCALE)
    vertical = sorted(round(r.x0 / SCALE) for r in rules
                      if not r.horizontal and r.y1 / SCALE < 550)
    assert vertical == pytest.approx([100, 250, 700, 1000], abs=2)
    # The stem stays in the image for OCR to read (only rules are erased) …
    assert mask[305:318, 500:502].max() == 0
    # … and the short borders of the one-line row are rules.
    short = [r for r in rules if not r.horizontal and r.y0 / SCALE > 590]
    assert len(short) == 4


def test_stems_in_a_section_row_or_touching_no_rule_are_no_rules():
    """Stems of bold capitals filling a one-line section row ("VẬT LIỆU NỔ CÔNG
    NGHIỆP") reach the rules above and below it, inside the table's frame and in line
    with no column border; the stem of a bold "I" in a header cell ("NHIỆM") touches
    no rule at all. Erased as rules, their letters were lost (a header word, and with
    it the table), or they split a column in two."""
    img = _grid_page(height=900)
    # The table goes on with a section row (the borders run on down to it).
    for x in (100, 1000):
        cv2.line(img, (x, 500), (x, 625), (0, 0, 0), 2)
    for y in (600, 625):
        cv2.line(img, (100, y), (1000, y), (0, 0, 0), 2)
    for x in (500, 850):  # stems of two letters in the section row
        cv2.rectangle(img, (x, 601), (x + 2, 624), (0, 0, 0), -1)
    cv2.rectangle(img, (660, 110), (662, 132), (0, 0, 0), -1)  # stem in a header cell
    rules, mask = find_rules(binarize(remove_red(img)), SCALE)
    inner = sorted(round(r.x0 / SCALE) for r in rules
                   if not r.horizontal and 120 < r.x0 / SCALE < 980)
    assert inner == pytest.approx([250, 700], abs=2)
    assert mask[605:620, 500:503].max() == 0 and mask[605:620, 850:853].max() == 0
    assert mask[112:130, 660:663].max() == 0


@pytest.mark.parametrize("angle", [-1.2, 0.7])
def test_skew_is_estimated_and_undone(angle):
    gray = cv2.cvtColor(_grid_page(), cv2.COLOR_RGB2GRAY)
    tilted = rotate(gray, angle)
    correction = estimate_skew(binarize(tilted))
    assert correction == pytest.approx(-angle, abs=0.15)
    straight = rotate(tilted, correction)
    rules, _ = find_rules(binarize(straight), SCALE)
    assert len([r for r in rules if r.horizontal]) == 5


def test_rules_through_words_are_dropped():
    word = Word("HIỆN", 230, 56, 262, 72)
    rules = [Rule(250, 58, 250, 71), Rule(82, 42, 82, 554), Rule(42, 86, 800, 86)]
    kept = ocr._rules_outside_words(rules, [word])
    assert Rule(250, 58, 250, 71) not in kept and len(kept) == 2


def test_garbled_or_empty_pages_are_flagged_for_ocr():
    empty = Page(1, 595, 842)
    assert _needs_ocr(empty) == "no text layer"
    garbled = ["6Ӣ", "CÔNG", "7+ѬѪ1*", "ÿѭӧF", "KiӇm", "YLӋF", "FKҩS", "hành", "pháp", "OXұW", "Vӱ", "GөQJ", "EҧR", "TXҧQ", "YұW", "OLӋX", "Qә", "công", "QJKLӋS", "FӫD", "các", "ÿѫQ", "Yӏ"]
    garbage = Page(1, 595, 842, [Word(t, 0, 0, 10, 10) for t in garbled])
    assert "syllables" in (_needs_ocr(garbage) or "")
    clean = Page(1, 595, 842, [Word(t, 0, 0, 10, 10) for t in
                               ["Kế", "hoạch", "nâng", "cao", "chỉ", "số", "năng", "lực", "cạnh", "tranh", "cấp", "tỉnh"]])
    assert _needs_ocr(clean) is None


def test_without_ocr_a_scan_stays_empty_with_a_warning():
    from vnplans.pdf.reader import read_pdf

    doc = repair_pages(read_pdf(SCAN), ocr=False)
    assert {p.text_source for p in doc.pages} == {"empty"}
    assert all("OCR is off" in " ".join(p.warnings) for p in doc.pages)


@pytest.fixture(scope="module")
def scanned_pages():
    """Pages 3 (seal over the signer) and 4 (seal over appendix rows), OCR'd."""
    pages = {}
    with pymupdf.open(SCAN) as scan, pymupdf.open(ORIGINAL) as original:
        for number in (3, 4):
            pdf_page = scan[number - 1]
            page = Page(number, pdf_page.rect.width, pdf_page.rect.height)
            ocr.ocr_page(page, pdf_page)
            pages[number] = (page, original[number - 1].get_text())
    return pages


@pytest.mark.ocr
def test_signer_under_the_seal_is_read(scanned_pages):
    page, _text = scanned_pages[3]
    words = [w.text for w in page.words]
    for word in ["GIÁM", "ĐỐC", "Lê", "Quang", "Hùng"]:
        assert word in words
    assert all(w.origin == "ocr" and 0 < w.confidence <= 1 for w in page.words)


@pytest.mark.ocr
def test_bullet_dashes_are_read(scanned_pages):
    """Every "- " item of the "Nơi nhận" list keeps its dash (Tesseract drops some
    at this resolution; `recover_dashes` finds them in the image)."""
    page, text = scanned_pages[3]
    items = [line[2:].split()[0] for line in text.splitlines() if line.startswith("- ")]
    # Each item's first word at the left margin ("- Văn phòng" shares the line of
    # "Nơi nhận:" further right).
    firsts = set(items)
    starts = [w for w in page.words if w.text.strip(";,:") in firsts and w.x0 < 100]
    assert len(starts) >= 5
    for word in starts:
        assert any(w.text == "-" and 0 < word.x0 - w.x1 < 8 and abs(w.y0 - word.y0) < 2
                   for w in page.words), word.text


@pytest.mark.ocr
def test_appendix_page_rules_and_words(scanned_pages):
    from vnplans.pdf.reader import read_pdf

    page, text = scanned_pages[4]
    vector = read_pdf(ORIGINAL).pages[3].rules
    want = sorted({round(r.y0) for r in vector if r.horizontal})
    got = sorted({round(r.y0) for r in page.rules if r.horizontal})
    assert len(got) == len(want)
    assert all(abs(a - b) <= 2.5 for a, b in zip(got, want, strict=True))
    assert syllable_f1(" ".join(w.text for w in page.words), text).f1 >= 0.95
    # Words land where the original page has them (points, displayed orientation).
    tt = [w for w in page.words if w.text == "TT"]
    assert tt and tt[0].x0 == pytest.approx(55, abs=4) and tt[0].y0 == pytest.approx(102, abs=6)


@pytest.fixture(scope="module")
def extracted_scan():
    from vnplans.pipeline import extract

    return extract(SCAN)


@pytest.mark.ocr
def test_scanned_plan_through_the_pipeline(extracted_scan):
    doc = extracted_scan.model_dump(mode="json")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert doc["source"]["text_layer"] == "ocr"
    assert len(doc["rows"]) == len(expected["rows"])  # every appendix row comes back
    # Every OCR row carries its least sure word's confidence.
    assert all(0 < r["confidence"] <= 1 for r in doc["rows"])
    fields = ["tt", "task", "lead", "support", "outcome", "deadline"]
    exact = sum(got.get(f) == want.get(f)
                for got, want in zip(doc["rows"], expected["rows"], strict=True) for f in fields)
    share = exact / (len(fields) * len(expected["rows"]))
    # Measured 0.81 from the OCR alone (most misses one tone mark, hỏi read as sắc:
    # "Tố chức" for "Tổ chức"; TT values "1,3", "17.2"; dropped bullet dashes),
    # 0.987 (148/150) with the lexicon tone correction, the TT column normalisation,
    # the dash recovery and the quarter numeral. Left: "..." for "…",
    # "hằng năm" for "hàng năm" (both good Vietnamese). Since the cells are read one by
    # one (`ocr_cells`), 141/150: the scan matrix gained far more than this fixture
    # lost ("11" for the row number "1" under the section "I", "710" for "7.10",
    # "5.Ð", "Găn", "dường", a dropped "TTHC" and "…").
    assert share >= 0.93, share
    syllables = syllable_f1(
        " ".join(str(r.get(f) or "") for r in doc["rows"] for f in fields),
        " ".join(str(r.get(f) or "") for r in expected["rows"] for f in fields))
    assert syllables.f1 >= 0.97


OFFICE_SCAN = FIXTURES / "office" / "variants" / "pdfs" / "ldg2023_stnmt__scan.pdf"
OFFICE_EXPECTED = FIXTURES / "office" / "variants" / "expected" / "ldg2023_stnmt__scan.json"


@pytest.mark.ocr
def test_office_scan_through_the_pipeline():
    """An office plan printed from Word and scanned (portrait appendix, horizontal
    rules only, bold header with two-line cells, section numerals "I", "II" that
    Tesseract reads "HH"): every row, their sections, and the lead / support columns
    whose header cells the page OCR reads as junk ("na =.~x" for "Đơn vị chủ trì
    Đơn vị phối hợp", re-read enlarged)."""
    from vnplans.pipeline import extract

    doc = extract(OFFICE_SCAN).model_dump(mode="json")
    expected = json.loads(OFFICE_EXPECTED.read_text(encoding="utf-8"))
    rows = doc["rows"]
    assert len(rows) == len(expected["rows"]) == 11
    assert [r["tt"] for r in rows] == [r["tt"] for r in expected["rows"]]
    assert [[s["tt"] for s in r["section"]] for r in rows] == [["I"]] * 5 + [["II"]] * 6
    assert [r["lead"] for r in rows] == [r["lead"] for r in expected["rows"]]
    # One support cell keeps a tone error: "quỳ đất" for "quỹ đất".
    supports = [(r["support"], e["support"]) for r, e in zip(rows, expected["rows"], strict=True)]
    assert sum(a != b for a, b in supports) <= 1
    assert rows[8]["deadline"] == "Thường xuyên" and rows[9]["deadline"] == "Quý III/2023"
    fields = ["tt", "task", "lead", "support", "outcome", "deadline"]
    exact = sum(got.get(f) == want.get(f)
                for got, want in zip(rows, expected["rows"], strict=True) for f in fields)
    # Measured 38/66 before the OCR fixes of the office scans (lead and support
    # unread, section II lost), 61/66 after; left: "Quý 1/2023" for "Quý I/2023",
    # "Quý -H/2023", tone marks ("đứt điểm", "thủ hồi").
    assert exact >= 60, exact


@pytest.mark.ocr
def test_ocr_results_are_cached_by_image(tmp_path, monkeypatch):
    """The same image is read once: the second call comes from the cache, and a
    different image (or another page-segmentation mode) is read afresh."""
    from vnplans.textlayer import ocr_cache

    monkeypatch.setenv(ocr_cache.ENV, str(tmp_path))
    gray = cv2.cvtColor(_grid_page(), cv2.COLOR_RGB2GRAY)
    cv2.putText(gray, "KE HOACH 2023", (120, 650), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)
    first = ocr.run_tesseract(gray)
    assert "HOACH" in [r["text"] for r in first]
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 1
    files[0].write_text(json.dumps([{**first[0], "text": "FROM-CACHE"}]), encoding="utf-8")
    assert [r["text"] for r in ocr.run_tesseract(gray)] == ["FROM-CACHE"]
    assert "HOACH" in [r["text"] for r in ocr.run_tesseract(gray, psm=6)]
    monkeypatch.setenv(ocr_cache.ENV, "off")
    assert "HOACH" in [r["text"] for r in ocr.run_tesseract(gray)]
    assert len(list(tmp_path.rglob("*.json"))) == 2


def test_rows_of_a_text_layer_have_no_confidence():
    from vnplans.pipeline import extract

    rows = extract(ORIGINAL, ocr=False).rows
    assert rows and all(r.confidence is None for r in rows)


@pytest.mark.ocr
def test_show_lists_unsure_ocr_rows(extracted_scan, capsys):
    from vnplans.cli.show import CHECK_BELOW, render

    unsure = [r for r in extracted_scan.rows if r.confidence < CHECK_BELOW]
    render(extracted_scan, "extracted now")
    out = capsys.readouterr().out
    assert ("check against page" in out) == bool(unsure)
    for r in unsure:
        assert f"check against page {', '.join(map(str, r.pages))}" in out


@pytest.mark.ocr
@pytest.mark.parametrize("turn", [180, 90])
def test_a_page_scanned_upside_down_or_sideways_is_turned(tmp_path, turn):
    """The signature page of the scanned fixture, put in the scanner upside down or
    sideways: it is turned upright, read, and the page takes its upright size."""
    with pymupdf.open(SCAN) as scan:
        page = scan[2]
        pix = page.get_pixmap(dpi=200)
        img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
        img = np.ascontiguousarray(np.rot90(img, k=-1 if turn == 90 else 2))
        ok, png = cv2.imencode(".png", img)
        doc = pymupdf.open()
        w, h = page.rect.width, page.rect.height
        new = doc.new_page(width=h if turn == 90 else w, height=w if turn == 90 else h)
        new.insert_image(new.rect, stream=png.tobytes())
        path = tmp_path / "turned.pdf"
        doc.save(path)
    with pymupdf.open(path) as turned:
        p = Page(1, turned[0].rect.width, turned[0].rect.height)
        ocr.ocr_page(p, turned[0])
    assert any(f"turned by {90 if turn == 90 else 180}°" in w for w in p.warnings)
    assert (p.width, p.height) == (w, h)
    words = [x.text for x in p.words]
    assert {"Nơi", "nhận:", "ĐỐC"} <= set(words)
    with pymupdf.open(ORIGINAL) as original:
        text = original[2].get_text()
    # Read upright (upside down, Tesseract's "words" share almost no syllable with the
    # page). Measured F1 0.875 for both turns: a copy of a copy of the scan, the seal's
    # remains read as junk beside the recipients ("INj", "x ry", "3m") and the
    # signer's name under it as "Le tuang Hùng".
    assert syllable_f1(" ".join(words), text).f1 >= 0.85


@pytest.mark.ocr
def test_pages_ocrd_in_parallel_give_the_same_plan(extracted_scan, monkeypatch):
    """`vnplans extract --jobs 2`: the scanned pages go to two worker processes and
    come back into the same document (the workers meet the serial run's OCR cache)."""
    from vnplans.pipeline import extract
    from vnplans.textlayer.repair import OCR_JOBS_ENV

    monkeypatch.setenv(OCR_JOBS_ENV, "2")
    parallel = extract(SCAN)
    assert parallel.model_dump(mode="json") == extracted_scan.model_dump(mode="json")


def test_cells_are_the_closed_regions_between_rules():
    """The 4 × 3 grid of `_grid_page` gives 12 cells, in reading order; with the rule
    between two cells of a column taken out they are one (merged) cell; the page
    around the table is no cell."""
    from vnplans.textlayer.ocr_cells import find_cells

    img = _grid_page()
    rules, mask = find_rules(binarize(remove_red(img)), SCALE)
    cells, _labels = find_cells(mask, SCALE)
    assert len(cells) == 12
    assert [(c.x // 10, c.y // 10) for c in cells[:3]] == [(10, 10), (25, 10), (70, 10)]
    merged = img.copy()
    merged[298:303, 255:695] = 245  # the rule under row 2, middle column
    rules, mask = find_rules(binarize(remove_red(merged)), SCALE)
    cells, _labels = find_cells(mask, SCALE)
    assert len(cells) == 11
    assert any(c.h > 180 and 250 <= c.x <= 260 for c in cells)
