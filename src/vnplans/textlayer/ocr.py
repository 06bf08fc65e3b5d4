"""OCR of a page image with Tesseract (Vietnamese model), into the page IR.

Used only for pages that have no text layer or whose layer could not be repaired.
The page is rendered, cleaned (`scan.clean_page`: red seal removed, deskewed,
ruling lines found and erased) and read by Tesseract in-process (`ocr_engine`;
results cached by image in `ocr_cache`); each word comes back with its box in PDF
points (origin "ocr", confidence 0–1; once every pass is done, a font box on its
line's baseline, as a native word has) and the ruling lines
found in the image become the page's rules when the page has no vector rules.

Resolution: measured with benchmarks/bench_textlayer.py on the real Lào Cai pages
(rendered, OCR'd, syllable-F1 against the transcripts, shared 2-core machine):
200 dpi F1 0.966 / 0.944 at 2.3–5.4 s/page, 300 dpi 0.960 / 0.934 at 5.4–5.8 s/page;
on the 150 dpi scanned fixture 200 and 300 dpi read the same. So 200 dpi
(DEFAULT_DPI): as accurate and about twice as fast. Tesseract runs single-threaded
(OMP_THREAD_LIMIT=1): its OpenMP threads fight over the cores and made a page 3–4
times slower here.

After the page OCR, a second pass reads the ink it left without a word (Tesseract's
layout analysis drops short isolated text such as "TT" or "1.3" in narrow table
cells), and `reread_words` OCRs just the words of a native page whose glyphs could
not be identified. Both stack their crops into one image: one Tesseract run each.

Then, on the page's OCR words: bullet dashes Tesseract dropped are found in the
image (`recover_dashes`), the numeral of "quý I" is kept though unsure
(`quarter_numerals`), marks read from dust beside words are dropped (`ocr_marks`:
"Thanh.tra" → "Thanh tra", "Văn phòng Sở -" → "Văn phòng Sở"), tone marks a low
resolution confuses are corrected from the lexicon of administrative phrases
(`ocr_correct`: "Tố chức" → "Tổ chức"), same-shape capitals after a small word are put
back in small letters (`ocr_case`: "cơ SỞ." → "cơ sở."), and the TT column and quarter numerals are
normalised (`ocr_tt`: "1,3" → "1.3", "17.2" → "1.7.2", "H" → "II", "Quý 11" → "Quý II"),
the strokes of a quarter numeral first counted in the image (`ocr_strokes`: "Quý
II/2025" → "Quý III/2025" when three strokes are printed).
On the 150 dpi scanned fixture these take the exact appendix cells from 121 to 148
of 150. (Tried and not kept: the `Vietnamese` script model of Debian's
tesseract-ocr-script-viet — alone it breaks the table header, with `vie+Vietnamese`
one cell fewer (146 vs 147 then) and a third slower; enlarging the image ×2
(Lanczos) before OCR — page syllable F1 0.970 → 0.976 for 50 % more time.)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import cv2

from vnplans.geometry import overlaps, shared_area
from vnplans.ir import Page, Rule, Word
from vnplans.textlayer import ocr_cache, ocr_engine
from vnplans.textlayer.ocr_case import lower_small_capitals
from vnplans.textlayer.ocr_cells import read_cells
from vnplans.textlayer.ocr_correct import correct_words, split_glued
from vnplans.textlayer.ocr_engine import OcrUnavailable
from vnplans.textlayer.ocr_marks import drop_speck_marks
from vnplans.textlayer.ocr_strokes import fix_quarter_strokes
from vnplans.textlayer.ocr_tt import (
    fix_column_numbers,
    fix_quarter_numerals,
    fix_tt_column,
    reads_as_numeral,
)
from vnplans.textlayer.scan import clean_page, remove_red, render
from vnplans.textlayer.syllables import is_abbreviation, is_syllable
from vnplans.vietnamese import fold

# OpenCV splits each filter of the page cleaning over all cores: on a 2-core machine
# that cost ~7 % more CPU for the same images (scans matter per core: `--jobs` runs
# pages side by side instead).
cv2.setNumThreads(1)

DEFAULT_DPI = 200
LANG = "vie"
# Tesseract page segmentation: 3 = automatic (columns, blocks), fits letters and
# table pages once their rules are erased.
PSM = 3
# Words Tesseract is less sure of than this are dropped (noise specks read as ".").
MIN_CONFIDENCE = 0.2


# What is left of an erased ruling line reads as "_", "__." or "|".
_RULE_RESIDUE = re.compile(r"^[_|¦~.,:'`]*[_|¦~][_|¦~.,:'`]*$")
_DASH_READING = re.compile(r"^[~'`]+-$|^-[~'`]+$")


def tesseract_available() -> bool:
    return ocr_engine.available()


def run_tesseract(gray, *, lang: str = LANG, psm: int = PSM) -> list[dict]:
    """Tesseract's word rows (TSV level 5) for a grey image, from the OCR cache when
    this image was read before."""
    cache_key = ocr_cache.key(gray, ocr_engine.engine_id(lang), lang, psm)
    cached = ocr_cache.load(cache_key)
    if cached is not None:
        return cached
    rows = ocr_engine.read(gray, lang, psm)
    ocr_cache.store(cache_key, rows)
    return rows


def drop_ghosts(rows: list[dict]) -> list[dict]:
    """Drop unsure words lying on a surer one: at low resolution Tesseract reads the
    stacked diacritics of an all-caps line ("NHIỆM VỤ") as a second line of junk
    ("BE", "PHHUG") over the same letters."""
    boxes = [(int(r["left"]), int(r["top"]), int(r["left"]) + int(r["width"]),
              int(r["top"]) + int(r["height"]), float(r["conf"])) for r in rows]
    keep = []
    for i, r in enumerate(rows):
        x0, y0, x1, y1, conf = boxes[i]
        area = max(1, (x1 - x0) * (y1 - y0))
        ghost = conf < GHOST_CONFIDENCE * 100 and any(
            c > conf and (min(x1, b1) - max(x0, a0)) * (min(y1, d1) - max(y0, c0)) > 0.5 * area
            and min(x1, b1) > max(x0, a0) and min(y1, d1) > max(y0, c0)
            for j, (a0, c0, b1, d1, c) in enumerate(boxes) if j != i)
        if not ghost:
            keep.append(r)
    return keep


GHOST_CONFIDENCE = 0.6


def _cell_column(r: dict, cuts: list[tuple[float, float, float]]) -> int:
    """How many vertical ruling lines (x, y0, y1 in image pixels) lie left of the
    word's centre at its height: the column of the table cell it stands in."""
    xc = int(r["left"]) + int(r["width"]) / 2
    top, bottom = int(r["top"]), int(r["top"]) + int(r["height"])
    return sum(1 for x, y0, y1 in cuts if x < xc and y0 < bottom and y1 > top)


def words_from_tsv(rows: list[dict], scale: float, dx: float = 0.0, dy: float = 0.0,
                   zoom: float = 1.0, min_confidence: float = MIN_CONFIDENCE,
                   cuts: list[tuple[float, float, float]] | None = None,
                   size: float | None = None, font_boxes: FontBoxes | None = None,
                   ) -> list[Word]:
    """Words in PDF points. Each word gets the height of its whole text line (like a
    native word's font box), not its ink box: "ai" and "Hồ" on one line then share
    one vertical extent and fall into the same table row. (dx, dy, zoom: where a
    crop that was OCR'd separately sits in the page image.)

    `cuts`: the page's vertical ruling lines (x, y0, y1 in image pixels). Tesseract
    reads a table row as one text line across its cells; a line is then taken cell
    by cell, so a two-line header cell beside it ("Thời gian / hoàn thành") does not
    make the words of the other cells two lines tall (which made them one segment
    across the rule between "Đơn vị chủ trì" and "Đơn vị phối hợp").

    `size`: the page's body font size (points, `font_height`). Given, each word's font
    box on its line's baseline, as a native word's box is (`size` tall,
    `BASELINE_DESCENT_EM` of it below the baseline), goes into `font_boxes`, for
    `text_line_boxes` to set once the other passes (which look for ink the words'
    boxes leave uncovered) are done. An ink box is as tall as the
    line's marks and descenders make it (10–22 pt for the lines of one 14 pt table),
    so the gaps between lines of one cell vary as much as the gap between two rows
    of a table without rules, where rows are cut by whitespace; font boxes on the
    baseline leave the same gap between every two lines of a paragraph."""
    cuts = cuts or []
    lines: dict[tuple[str, str, str, int], tuple[int, int]] = {}
    bottoms: dict[tuple[str, str, str, int], list[int]] = {}

    def line_key(r: dict) -> tuple[str, str, str, int]:
        return (r["block_num"], r["par_num"], r["line_num"], _cell_column(r, cuts) if cuts else 0)

    for r in rows:
        key = line_key(r)
        top, bottom = int(r["top"]), int(r["top"]) + int(r["height"])
        lo, hi = lines.get(key, (top, bottom))
        lines[key] = (min(lo, top), max(hi, bottom))
        if any(ch.isalnum() for ch in r["text"]) and float(r["conf"]) >= BASELINE_CONFIDENCE:
            bottoms.setdefault(key, []).append(bottom if _sits_on_baseline(r["text"])
                                               else -bottom)
    words = []
    for r in rows:
        conf = max(0.0, float(r["conf"])) / 100
        if conf < min_confidence:
            continue
        text = unicodedata.normalize("NFC", r["text"].strip())
        if _RULE_RESIDUE.match(text):
            continue
        if _DASH_READING.match(text):
            text = "-"  # a bullet dash with a speck or a serif read on it: "~-"
        key = line_key(r)
        top, bottom = lines[key]
        left, width = int(r["left"]), int(r["width"])
        x0, x1 = dx + left / zoom, dx + (left + width) / zoom
        y0, y1 = dy + top / zoom, dy + bottom / zoom
        word = Word(text=text, x0=x0 * scale, y0=y0 * scale, x1=x1 * scale, y1=y1 * scale,
                    font="OCR", size=round((y1 - y0) * scale * 0.85, 1), origin="ocr",
                    confidence=conf)
        words.append(word)
        if size and font_boxes is not None:
            px = size / scale * zoom  # the font size in the image's pixels
            line_base = _baseline(bottoms.get(key, []), bottom, DESCENDER_EM * px,
                                  BASELINE_CLUSTER_EM * px)
            # A word whose own ink says another baseline is on a text line of its own
            # that Tesseract ran into this one ("KẾ HOẠCH" over a title line).
            # (Only a letter or digit read with confidence ending on its baseline says.)
            own = int(r["top"]) + int(r["height"])
            if (float(r["conf"]) >= BASELINE_CONFIDENCE and _sits_on_baseline(text)
                    and any(ch.isalnum() for ch in text)
                    and abs(own - line_base) > OTHER_LINE_EM * px):
                line_base = own
            base = (dy + line_base / zoom) * scale
            font_boxes[id(word)] = (word, base + (BASELINE_DESCENT_EM - 1) * size,
                                    base + BASELINE_DESCENT_EM * size)
    return words


# id(word) -> (the word, kept so that the id is not reused; font box y0, y1 in points).
FontBoxes = dict[int, tuple[Word, float, float]]


# A descender ("g", "p", "y") or a dot below ("ụ", "ị") ends about this share of the
# font size under the baseline.
DESCENDER_EM = 0.18
# The bottoms of one line's words lie within this share of the font size (blur and
# bold ink), and a word whose own bottom is further than `OTHER_LINE_EM` from its
# line's baseline stands on a text line of its own.
BASELINE_CLUSTER_EM = 0.25
OTHER_LINE_EM = 0.6
# Words read at least this sure (Tesseract's 0–100) tell where the baseline is.
BASELINE_CONFIDENCE = 60.0
# A font box (as a PDF gives a word) reaches this share of the font size below the
# baseline (Times New Roman and Arial: 0.2 of a box one size tall).
BASELINE_DESCENT_EM = 0.2
# Letters and marks whose ink reaches below the baseline: the word's ink bottom is
# not the baseline.
_DESCENDERS = frozenset("gjpqyQ,;()[]{}|µçĄ")
_DOT_BELOW = "\u0323"


def _sits_on_baseline(text: str) -> bool:
    """Does the word's ink end on the baseline (no descender, no dot below)?"""
    return not (any(ch in _DESCENDERS for ch in text)
                or _DOT_BELOW in unicodedata.normalize("NFD", text))


def _baseline(bottoms: list[int], ink_bottom: int, descender: float, cluster: float) -> float:
    """A line's baseline (image pixels) from its words' ink bottoms (negative: the
    bottom of a word with a descender; only words read with `BASELINE_CONFIDENCE`):
    the highest bottom of the words that sit on the baseline, among the most of them
    that end within `cluster` pixels of each other (Tesseract runs two text lines into
    one: the line with more words), else `descender` (pixels) above the highest
    bottom of all ("Cung ứng dịch vụ": every word descends), else (no letter or digit
    on the line) the line's ink bottom. (Not the median: blur and
    speckle glue specks under a word into its box, "khắc" 16 pt tall on a 14 pt line,
    and a blurred bold word ends up to 1 pt under the baseline; a letter read with
    confidence never ends above it.)"""
    level = sorted(b for b in bottoms if b >= 0)
    if level:
        best = max(level, key=lambda b: (sum(1 for c in level if b <= c <= b + cluster), -b))
        return float(best)
    return min(-b for b in bottoms) - descender if bottoms else float(ink_bottom)


# Word's single line spacing is about 1.15 em (Times New Roman; Arial 1.15 too): the
# pitch of the lines of one paragraph gives the font size.
LINE_PITCH_EM = 1.15


def font_height(rows: list[dict], scale: float) -> float | None:
    """The page's body font size in points, from the pitch of consecutive lines of
    Tesseract's paragraphs (None when the page has too few such lines)."""
    import statistics

    centres: dict[tuple[str, str], dict[int, list[int]]] = {}
    for r in rows:
        line = centres.setdefault((r["block_num"], r["par_num"]), {}).setdefault(
            int(r["line_num"]), [])
        line.append(int(r["top"]) * 2 + int(r["height"]))
    pitches = []
    for lines in centres.values():
        numbers = sorted(lines)
        for a, b in zip(numbers, numbers[1:], strict=False):
            if b == a + 1:
                pitch = (statistics.median(lines[b]) - statistics.median(lines[a])) / 2
                if pitch > 0:
                    pitches.append(pitch * scale)
    if len(pitches) < 5:
        return None
    return statistics.median(pitches) / LINE_PITCH_EM


def text_line_boxes(words: list[Word], size: float | None,
                    font_boxes: FontBoxes | None = None) -> None:
    """Give OCR words the height of their font (as a native word's box has), not of
    their ink: a line of capitals without marks ("TT") is ink 0.7 em tall, and the
    two lines of a header cell ("Số" / "TT") must touch to be read as one cell.

    The page pass's words get the font boxes on their line's baseline that
    `words_from_tsv` put in `font_boxes`; a word read by a later pass (the second pass, a re-read, a
    narrow cell read as a line) takes the box of such a word its centre lies level
    with, on the line nearest its centre (within `SNAP_REACH_EM` sizes left or right:
    a row number takes its task line's), else a box one size tall on its own baseline
    (the bottom of its ink, unless it has a descender: then centred on its ink)."""
    if not size:
        return
    placed = []
    for w in words:
        box = (font_boxes or {}).get(id(w))
        if box is not None and box[0] is w:
            w.y0, w.y1, w.size = box[1], box[2], round(size, 1)
            placed.append(w)
    reach = SNAP_REACH_EM * size
    done = {id(w) for w in placed}
    for w in words:
        h = w.y1 - w.y0
        if id(w) in done or h <= 0:
            continue
        yc = (w.y0 + w.y1) / 2
        mates = [p for p in placed if p.y0 < yc < p.y1
                 and max(p.x0 - w.x1, w.x0 - p.x1) < reach]
        if mates:
            # The line nearest its centre (a word between two lines of a header cell
            # overlaps both boxes), then the nearest word on it.
            mate = min(mates, key=lambda p: abs((p.y0 + p.y1) / 2 - yc)
                       + SNAP_SIDEWAYS_WEIGHT * max(0.0, p.x0 - w.x1, w.x0 - p.x1))
            w.y0, w.y1 = mate.y0, mate.y1
        elif h > size and _sits_on_baseline(w.text):
            w.y1 = w.y1 + BASELINE_DESCENT_EM * size
            w.y0 = w.y1 - size
        else:
            w.y0, w.y1 = yc - size / 2, yc + size / 2
        w.size = round(size, 1)


# A later pass's word takes the font box of a page-pass word at most this many font
# sizes beside it (a row number beside its task's first word: ~1.5).
SNAP_REACH_EM = 4.0
# Points of vertical distance one point of horizontal distance counts as, choosing it.
SNAP_SIDEWAYS_WEIGHT = 0.05


# A text line whose strokes are this much thicker than the page's typical line is
# bold (measured on the office scans: body lines 0.90–1.08, bold 1.17–1.76).
BOLD_STROKE_RATIO = 1.15


def mark_bold(gray, words: list[Word], scale: float) -> None:
    """Tell bold text lines by their stroke width (Tesseract does not report the
    font): header cells and section rows are set bold, and the table reader looks
    for that. A stroke of width w and length L has area w·L and a boundary of about
    2·L, so 2 · ink / boundary estimates w; it is summed over a text line (the words
    sharing one line box), one word is too noisy at scan resolution."""
    import statistics

    import numpy as np

    from vnplans.textlayer.scan import binarize

    ink = binarize(gray)
    kernel = np.ones((3, 3), np.uint8)
    lines: dict[tuple[float, float], list[int]] = {}
    for i, w in enumerate(words):
        lines.setdefault((round(w.y0, 1), round(w.y1, 1)), []).append(i)
    width: dict[tuple[float, float], float] = {}
    for line_key, members in lines.items():
        area = boundary = 0
        for i in members:
            w = words[i]
            crop = ink[int(w.y0 / scale):int(w.y1 / scale) + 1,
                       int(w.x0 / scale):int(w.x1 / scale) + 1]
            a = int(np.count_nonzero(crop))
            area += a
            boundary += a - int(np.count_nonzero(cv2.erode(crop, kernel))) if a else 0
        if boundary and area >= 60:
            width[line_key] = 2 * area / boundary
    if len(width) < 8:
        return
    median = statistics.median(width.values())
    for line_key, members in lines.items():
        bold = width.get(line_key, 0.0) >= BOLD_STROKE_RATIO * median
        for i in members:
            words[i].bold = bold


# Second pass: ink that the page OCR left without a word (Tesseract's layout
# analysis drops short isolated text such as "TT" or "1.3" in narrow table cells).
MISSED_MIN_PX = 6  # blobs lower than this (pixels at the OCR resolution) are specks
MISSED_MAX = 80  # at most this many blobs per page go to the second pass
MISSED_ZOOM = 2  # the crops are enlarged: Tesseract reads small text better big
# Second-pass words (and re-read words) less sure than this are dropped.
SECOND_PASS_CONFIDENCE = 0.5
_MOSAIC_GAP = 24


def component_stats(mask) -> Any:  # noqa: ANN401 - numpy array
    """`cv2.connectedComponentsWithStats(mask, connectivity=8)`'s stats (background
    first) with 16-bit labels, which it writes 2.5 times faster on a page image (the
    labels are not kept); a page of more than 65,535 blobs is labelled in 32 bits."""
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=8, ltype=cv2.CV_16U)[2]
    except cv2.error:
        return cv2.connectedComponentsWithStats(mask, connectivity=8)[2]


def _missed_blobs(gray, words: list[Word], scale: float) -> list[tuple[int, int, int, int]]:
    """Boxes (pixels) of text-like ink not covered by any OCR word."""
    import numpy as np

    from vnplans.textlayer.scan import binarize

    ink = binarize(gray)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    em = max(3, int(2.5 / scale))  # joins the letters of a word, not two words
    joined = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (em, 3)))
    stats = component_stats(joined)
    n = len(stats)
    covered = np.zeros(ink.shape, dtype=bool)
    for w in words:
        covered[int(w.y0 / scale):int(w.y1 / scale) + 1, int(w.x0 / scale):int(w.x1 / scale) + 1] = True
    blobs = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if h < MISSED_MIN_PX or w < 3 or h > 12 * MISSED_MIN_PX:
            continue
        box_ink = ink[y:y + h, x:x + w] > 0
        if box_ink.sum() < 12:
            continue
        # Covered when most of its ink already lies inside some word box.
        if (covered[y:y + h, x:x + w] & box_ink).sum() >= 0.5 * box_ink.sum():
            continue
        blobs.append((int(x), int(y), int(w), int(h)))
    return _group(blobs, max_gap=5.0 / scale)[:MISSED_MAX]


def _group(blobs: list[tuple[int, int, int, int]], max_gap: float) -> list[tuple[int, int, int, int]]:
    """Join uncovered blobs of one line standing close together ("7" and ".3" of
    "7.3"), so each crop holds a whole token."""
    out: list[list[int]] = []
    for x, y, w, h in sorted(blobs):
        for g in out:
            gx0, gy0, gx1, gy1 = g
            overlap = min(gy1, y + h) - max(gy0, y)
            if overlap > 0.5 * min(h, gy1 - gy0) and x - gx1 <= max_gap:
                g[:] = [gx0, min(gy0, y), max(gx1, x + w), max(gy1, y + h)]
                break
        else:
            out.append([x, y, x + w, y + h])
    boxes = [(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in out]
    boxes.sort(key=lambda b: -b[2] * b[3])
    return boxes


def _zoomed_crops(gray, boxes: list[tuple[int, int, int, int]], zoom: float,
                  pad: int = 6) -> list[tuple[int, int, Any]]:
    """(page-image x0, y0, crop enlarged by `zoom`) of each (x, y, w, h) box, with
    `pad` pixels of margin kept inside the image: the mosaics' building blocks."""
    crops = []
    for x, y, w, h in boxes:
        y0, y1 = max(0, y - pad), min(gray.shape[0], y + h + pad)
        x0, x1 = max(0, x - pad), min(gray.shape[1], x + w + pad)
        crops.append((x0, y0, cv2.resize(gray[y0:y1, x0:x1], None, fx=zoom, fy=zoom,
                                         interpolation=cv2.INTER_CUBIC)))
    return crops


def mosaic_ocr(gray, boxes: list[tuple[int, int, int, int]], scale: float,
               zoom: float = MISSED_ZOOM) -> list[tuple[int, Word]]:
    """OCR many small regions of one page image in a single Tesseract run: the
    crops (enlarged by `zoom`) are stacked into one image. Returns (box index, word)
    with the words placed back in page points."""
    import numpy as np

    if not boxes:
        return []
    crops = _zoomed_crops(gray, boxes, zoom)
    width = max(c.shape[1] for _x, _y, c in crops) + 2 * _MOSAIC_GAP
    height = sum(c.shape[0] + _MOSAIC_GAP for _x, _y, c in crops) + _MOSAIC_GAP
    mosaic = np.full((height, width), 255, dtype=np.uint8)
    slots = []  # (mosaic top, mosaic bottom, page x0, page y0)
    top = _MOSAIC_GAP
    for x0, y0, crop in crops:
        h, w = crop.shape
        mosaic[top:top + h, _MOSAIC_GAP:_MOSAIC_GAP + w] = crop
        slots.append((top, top + h, x0, y0))
        top += h + _MOSAIC_GAP
    found: list[tuple[int, Word]] = []
    for r in run_tesseract(mosaic, psm=6):
        cy = int(r["top"]) + int(r["height"]) / 2
        k = next((i for i, s in enumerate(slots) if s[0] <= cy <= s[1]), None)
        if k is None:
            continue
        m_top, _m_bottom, x0, y0 = slots[k]
        shifted = {**r, "left": str(int(r["left"]) - _MOSAIC_GAP),
                   "top": str(int(r["top"]) - m_top),
                   "block_num": f"s{m_top}", "par_num": "0", "line_num": "0"}
        found.extend((k, w) for w in words_from_tsv([shifted], scale, dx=x0, dy=y0, zoom=zoom))
    return found


def line_mosaic_ocr(gray, boxes: list[tuple[int, int, int, int]], scale: float,
                    zoom: float = MISSED_ZOOM) -> list[tuple[int, Word]]:
    """OCR small regions side by side, as one text line (`--psm 7`): a lone "TT",
    "I" or "1" that Tesseract cannot place in a stacked mosaic it reads as a word of
    a line. Returns (box index, word) with the words placed back in page points."""
    import numpy as np

    if not boxes:
        return []
    gap = 3 * _MOSAIC_GAP
    crops = _zoomed_crops(gray, boxes, zoom)
    height = max(c.shape[0] for _x, _y, c in crops) + 2 * _MOSAIC_GAP
    width = sum(c.shape[1] + gap for _x, _y, c in crops) + gap
    mosaic = np.full((height, width), 255, dtype=np.uint8)
    slots = []  # (mosaic left, mosaic right, mosaic top, page x0, page y0)
    left = gap
    for x0, y0, crop in crops:
        h, w = crop.shape
        top = (height - h) // 2
        mosaic[top:top + h, left:left + w] = crop
        slots.append((left, left + w, top, x0, y0))
        left += w + gap
    found: list[tuple[int, Word]] = []
    for r in run_tesseract(mosaic, psm=7):
        cx = int(r["left"]) + int(r["width"]) / 2
        k = next((i for i, s in enumerate(slots) if s[0] <= cx <= s[1]), None)
        if k is None:
            continue
        m_left, _m_right, m_top, x0, y0 = slots[k]
        shifted = {**r, "left": str(int(r["left"]) - m_left), "top": str(int(r["top"]) - m_top),
                   "block_num": f"s{m_left}", "par_num": "0", "line_num": "0"}
        found.extend((k, w) for w in words_from_tsv([shifted], scale, dx=x0, dy=y0, zoom=zoom))
    return found


# Blobs the stacked mosaic read unsure or not at all are read again as a line; at
# most this many per page go into that line.
LINE_REREAD_MAX = 40


# The most letters of a first-pass word the second pass is taken to read again.
REPEATED_TAIL_MAX = 3


def _read_again(first: Word, extra: Word) -> bool:
    """Is the second-pass word the first-pass one, or its last letters, read again?
    A narrow first-pass box leaves part of its own ink uncovered, and the second pass
    reads it once more: "Sở Y Y tế", "UBND D", "HĐND NĐ", "y Y tế"."""
    if not overlaps(first, extra):
        return False
    if first.text == extra.text:
        return True
    tail = fold(extra.text)
    return (extra.x0 > first.x0 and tail.isalpha() and len(tail) <= REPEATED_TAIL_MAX
            and fold(first.text).endswith(tail))


def second_pass(gray, words: list[Word], scale: float) -> list[Word]:
    """OCR the ink the first pass missed (one mosaic run) and place the words found
    back on the page; the blobs it could not read get a second try as one line."""
    blobs = _missed_blobs(gray, words, scale)
    read: dict[int, list[Word]] = {}
    for k, w in mosaic_ocr(gray, blobs, scale):
        read.setdefault(k, []).append(w)

    def good(w: Word) -> bool:
        return w.confidence >= SECOND_PASS_CONFIDENCE and any(ch.isalnum() for ch in w.text)

    unread = {k for k in range(len(blobs)) if not any(good(w) for w in read.get(k, []))}
    if unread:
        # All the blobs go into the line, not only the unread ones: Tesseract reads
        # a line of a few lone letters badly, the other crops give it the text size.
        for k, w in line_mosaic_ocr(gray, blobs[:LINE_REREAD_MAX], scale):
            if k in unread and (good(w) or w.text in {"|", "I"}
                                and w.confidence >= SECOND_PASS_CONFIDENCE):
                read[k] = [*(v for v in read.get(k, []) if good(v)), w]
    return [w for k in sorted(read) for w in read[k]
            if good(w) or w.text in {"|", "I"} and w.confidence >= SECOND_PASS_CONFIDENCE]


# Words the page OCR is this unsure of are read again, alone and enlarged.
REREAD_BELOW = 0.6
# How much surer a re-read must be to replace the word; none when the word is no
# text and the re-read is (`_is_text`).
REREAD_MARGIN = 0.2
REREAD_MAX = 40
# What a plan's text holds besides letters and digits; a re-read with other marks
# ("¡69") is no better.
_TEXT_PUNCTUATION = set(".,;:/-()%…\"“”'?+&–")


def _is_text(words: list[Word]) -> bool:
    """Are these words all Vietnamese syllables, capitals or numerals ("II", not "HÐ")?"""
    def ok(text: str) -> bool:
        core = text.strip(".,;:()")
        return bool(core) and (is_syllable(core) or is_abbreviation(core)
                               or reads_as_numeral(core) or core.isdigit())
    return all(ok(w.text) for w in words)


def reread_unsure(gray, words: list[Word], scale: float) -> list[Word]:
    """Read the unsure words of the page again, each crop enlarged (one mosaic run):
    in a page's layout analysis Tesseract reads a bold header cell squeezed between
    rules as junk ("na", "=.~x" for "Đơn vị chủ trì", "Đơn vị phối"), alone it
    reads it. A reading replaces the word when it is surer by a clear margin
    (`REREAD_MARGIN`), or surer at all when it is text and the word was junk ("II"
    for "HÐ")."""
    targets = sorted((w for w in words if w.confidence < REREAD_BELOW
                      and w.x1 - w.x0 >= 0.8 * (w.y1 - w.y0)),
                     key=lambda w: w.confidence)[:REREAD_MAX]
    if not targets:
        return words
    boxes = []
    for w in targets:
        pad = 0.15 * (w.y1 - w.y0)
        boxes.append((int((w.x0 - pad) / scale), int((w.y0 - pad) / scale),
                      max(1, int((w.x1 - w.x0 + 2 * pad) / scale)),
                      max(1, int((w.y1 - w.y0 + 2 * pad) / scale))))
    found: dict[int, list[Word]] = {}
    for k, w in mosaic_ocr(gray, boxes, scale):
        found.setdefault(k, []).append(w)
    replaced: dict[int, list[Word]] = {}
    for k, target in enumerate(targets):
        new = found.get(k, [])
        if not new or not all(any(ch.isalnum() for ch in n.text)
                              and all(ch.isalnum() or ch in _TEXT_PUNCTUATION for ch in n.text)
                              for n in new):
            continue
        mean = sum(n.confidence for n in new) / len(new)
        margin = 0.0 if _is_text(new) and not _is_text([target]) else REREAD_MARGIN
        if mean >= max(SECOND_PASS_CONFIDENCE, target.confidence + margin):
            for n in new:
                n.text = _follow_case(target.text, n.text)
            # The crop may reach a neighbour the page OCR read already ("hợp").
            replaced[id(target)] = [n for n in new if not any(
                w is not target and w.text == n.text and overlaps(w, n) for w in words)]
    if not replaced:
        return words
    out: list[Word] = []
    for w in words:
        out.extend(replaced.get(id(w), [w]))
    return out


def _follow_case(before: str, after: str) -> str:
    """A word read again alone comes back in capitals when its letters look alike in
    both cases ("việc" → "VIỆC"): keep the case the page reading had, when that had
    lower-case letters."""
    letters = [ch for ch in before if ch.isalpha()]
    if len(after) < 2 or not after.isupper() or not letters or not any(
            ch.islower() for ch in letters):
        return after
    if letters[0].isupper():
        return after[0] + after[1:].lower()
    return after.lower()


# A bullet dash ("- Giải ngân …") is a short flat blob that Tesseract often drops
# at low resolution: points wide, and at most this thick.
DASH_WIDTH_PT = (1.8, 5.5)
DASH_MAX_THICKNESS_PT = 1.8


def recover_dashes(gray, words: list[Word], scale: float) -> list[Word]:
    """Dashes standing just left of a word, on its line's middle, that no word
    covers: the bullets of list items the OCR left out."""
    from vnplans.textlayer.scan import binarize

    ink = binarize(gray)
    stats = component_stats(ink)
    n = len(stats)
    found = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        x0, x1, y0, y1 = x * scale, (x + w) * scale, y * scale, (y + h) * scale
        if not (DASH_WIDTH_PT[0] <= x1 - x0 <= DASH_WIDTH_PT[1]) or y1 - y0 > DASH_MAX_THICKNESS_PT \
                or (x1 - x0) < 2.0 * (y1 - y0):
            continue
        if area < 0.6 * w * h:
            continue  # ragged: a speck or a letter piece, not a stroke
        yc = (y0 + y1) / 2
        if any(v.x0 - 1 <= x0 and x1 <= v.x1 + 1 and v.y0 <= yc <= v.y1 for v in words):
            continue
        # The word it introduces: on the same line, starting just right of it, with
        # the dash at the height of its lower-case letters.
        right = [v for v in words if 0 <= v.x0 - x1 <= 0.8 * v.height
                 and v.y0 + 0.4 * v.height <= yc <= v.y0 + 0.8 * v.height]
        if not right:
            continue
        nearest = min(right, key=lambda v: v.x0)
        found.append(Word("-", x0, nearest.y0, x1, nearest.y1, "OCR", nearest.size,
                          origin="ocr", confidence=0.6))
    return found


# A quarter is named by a Roman numeral ("Trong quý I"); a lone thin "I" after it
# comes back from Tesseract as "Ï" or "|" at a confidence below MIN_CONFIDENCE.
_QUARTER_WORDS = {"quý", "quí"}
_STROKES = str.maketrans({"Ï": "I", "Í": "I", "Ì": "I", "l": "I", "|": "I", "1": "I",
                          "!": "I"})
_QUARTER_NUMERAL = re.compile(r"^(I{1,3}|IV)$")
_QUARTER_WITH_YEAR = re.compile(r"^([^/⁄]+)((?:[/⁄]20\d\d)?)$")


def quarter_numerals(unsure: list[Word], words: list[Word]) -> list[Word]:
    """The numerals of "quý I" … "quý IV" among the words too unsure to keep, alone
    or with their year ("III/2022" read right but unsure: three strokes side by side
    look like no letter to Tesseract). Digits with a year stay digits ("1/2025")."""
    found = []
    for u in unsure:
        m = _QUARTER_WITH_YEAR.match(u.text.strip(",.;"))
        if not m:
            continue
        head, year = m.groups()
        strokes = head.translate(_STROKES)
        if not _QUARTER_NUMERAL.match(strokes):
            continue
        numeral = (head if year and head.isdigit() else strokes) + year
        if any(w.text.strip(",.;:").lower() in _QUARTER_WORDS
               and 0 <= u.x0 - w.x1 < 0.8 * w.height and abs(w.yc - u.yc) < 0.3 * w.height
               for w in words):
            found.append(Word(numeral + u.text[len(u.text.rstrip(",.;")):], u.x0, u.y0, u.x1,
                              u.y1, u.font, u.size, origin="ocr", confidence=MIN_CONFIDENCE))
    return found


def merge_reading(native: str, read: str) -> str:
    """Combine a word's text layer (U+FFFD where a glyph was not identified) with
    its OCR reading: the identified characters are certain, so OCR only fills the
    gaps, and their case follows the word's known letters (an isolated "việc"
    crop reads as "VIỆC": v, i and c look alike in both cases)."""
    read = unicodedata.normalize("NFC", read)
    known = [ch for ch in native if ch != "\ufffd" and ch.isalpha()]
    lower = bool(known) and all(ch.islower() for ch in known)
    upper = bool(known) and all(ch.isupper() for ch in known)

    def cased(ch: str) -> str:
        return ch.lower() if lower else ch.upper() if upper else ch

    if len(read) == len(native):
        return "".join(cased(r) if n == "\ufffd" else n for n, r in zip(native, read, strict=True))
    text = "".join(cased(ch) for ch in read)
    if native[:1] != "\ufffd" and native[:1].isalpha() and text[:1].lower() == native[:1].lower():
        text = native[0] + text[1:]  # "Sở": the known capital stays
    return text


def reread_words(page: Page, pdf_page, targets: list[Word], *, dpi: int = 300) -> int:
    """OCR only these words of a native page (characters nobody could identify);
    returns how many were replaced. The rest of the page keeps its text layer.

    Whole text lines are read (Tesseract's language model needs the context: a
    lone "nổ" comes back as "nỗ"), all in one mosaic run, and each target takes the
    OCR words lying over its own box."""
    if not targets:
        return 0
    scale = 72.0 / dpi
    gray = remove_red(render(pdf_page, dpi))
    lines = _lines_of_targets(page.words, targets)
    boxes = []
    for x0, y0, x1, y1 in lines:
        h = y1 - y0
        # Marks stacked over capitals ("Ấ") reach above the font box: take more.
        boxes.append((int(x0 / scale), int((y0 - 0.3 * h) / scale),
                      max(1, int((x1 - x0) / scale)), max(1, int(1.45 * h / scale))))
    read = [w for _k, w in mosaic_ocr(gray, boxes, scale, zoom=1.0)
            if w.confidence >= SECOND_PASS_CONFIDENCE]
    replaced = 0
    new_words: list[Word] = []
    wanted = {id(w) for w in targets}
    for word in page.words:
        if id(word) not in wanted:
            new_words.append(word)
            continue
        found = sorted((r for r in read if word.x0 - 1 <= r.xc <= word.x1 + 1
                        and word.y0 - 1 <= r.yc <= word.y1 + 1), key=lambda r: r.x0)
        if not found:
            new_words.append(word)
            continue
        if len(found) == 1:
            found[0].text = merge_reading(word.text, found[0].text)
        for r in found:
            new_words.append(Word(r.text, r.x0, word.y0, r.x1, word.y1, word.font, word.size,
                                  word.bold, word.italic, "ocr", r.confidence))
        replaced += 1
    page.words = new_words
    return replaced


def _lines_of_targets(words: list[Word], targets: list[Word]) -> list[tuple[float, ...]]:
    """Boxes of the text lines (all words sharing a target's vertical band) that
    hold the targets, one per line."""
    lines: list[list[float]] = []
    for t in sorted(targets, key=lambda w: (w.y0, w.x0)):
        for box in lines:
            if abs(box[1] - t.y0) < 0.3 * t.height and abs(box[3] - t.y1) < 0.3 * t.height:
                break
        else:
            band = [w for w in words if min(w.y1, t.y1) - max(w.y0, t.y0) > 0.6 * t.height]
            lines.append([min(w.x0 for w in band), min(w.y0 for w in band),
                          max(w.x1 for w in band), max(w.y1 for w in band)])
    return [tuple(b) for b in lines]


def _inside(a: Word, b: Word) -> bool:
    """Is most of a's box inside b's?"""
    area = max(1e-6, (a.x1 - a.x0) * (a.y1 - a.y0))
    return shared_area(a, b) >= 0.6 * area


def drop_fragments(words: list[Word]) -> list[Word]:
    """Drop a short reading (one or two characters) lying inside a surer, longer
    word: a piece of a bold letter read again ("Ì" in "Thời", "I" over "thực")."""
    import numpy as np

    short = [i for i, w in enumerate(words) if len(w.text) <= 2]
    if not short:
        return words
    # (Vectorised `_inside`: a page has hundreds of short words and a thousand words.)
    box = np.array([(v.x0, v.y0, v.x1, v.y1, v.confidence, len(v.text)) for v in words])
    dropped = set()
    for i in short:
        w = words[i]
        ix = np.minimum(w.x1, box[:, 2]) - np.maximum(w.x0, box[:, 0])
        iy = np.minimum(w.y1, box[:, 3]) - np.maximum(w.y0, box[:, 1])
        area = max(1e-6, (w.x1 - w.x0) * (w.y1 - w.y0))
        if np.any((box[:, 5] > len(w.text)) & (box[:, 4] > w.confidence)
                  & (ix > 0) & (iy > 0) & (ix * iy >= 0.6 * area)):
            dropped.add(i)
    return [w for i, w in enumerate(words) if i not in dropped]


# Words without a letter or digit that a plan does write alone: bullets, ellipses,
# brackets, per cent.
_LONE_MARKS = {"-", "+", "–", "…", "...", "*", "•", "(", ")", "%", "/"}
LONE_MARK_SURE = 0.9


_LEADING_SPECK = re.compile(r"^[.,'`~]+(?=[^\W\d_])")


# A lone letter or digit read from ink shorter than this share of the font size is a
# speck (every letter is at least as tall as an "x", about half the size), whatever
# Tesseract's confidence: "2" from a dot 1.8 pt across beside a 13 pt table, 0.86
# sure, stood outside the table and ended it there. (Longer readings can sit on a
# scrap of their ink: "KẾ" read as "Lá" on a dot beside it.)
SPECK_HEIGHT_EM = 0.25


def _has_letters(text: str) -> bool:
    """A letter or digit, not a modifier letter ("ˆ" is one to Python, a speck here)."""
    return any(ch.isalnum() and unicodedata.category(ch) != "Lm" for ch in text)


def drop_specks(words: list[Word], size: float | None = None) -> list[Word]:
    """Drop unsure words made only of marks no plan writes alone ("`", "-:", "»",
    "¬", "="), a mark glued before a word (".phẩm"), and, given the font size of the
    page, a letter read from a dot of ink (`SPECK_HEIGHT_EM`): specks and serifs read
    as text, which join the cell text or stand outside the table. (Before the words
    get their font-sized boxes: their boxes are still their ink.)"""
    for w in words:
        w.text = _LEADING_SPECK.sub("", w.text)
    speck = SPECK_HEIGHT_EM * size if size else 0.0
    return [w for w in words if (_has_letters(w.text)
            or w.text in _LONE_MARKS or w.confidence >= LONE_MARK_SURE)
            and not (len(w.text) == 1 and w.y1 - w.y0 < speck)]


# A word taller than wide, taller than this many font sizes and read less sure than
# `COLUMN_RUN_CONFIDENCE` is several lines of a narrow column run into one reading.
# (Not a wide one: a signature read as a word; dropped, its ink was read again as
# words that took the signer's name's place.)
COLUMN_RUN_EM = 2.5
COLUMN_RUN_CONFIDENCE = 0.8
# At least `TWO_LINES_MIN_WORDS` words side by side on a text line, each with ink
# taller than `TWO_LINES_EM` font sizes, are two lines read as one. (A lone tall
# word is not: a "Y" read with a mark under it, 19.8 pt among words of 9–13 pt, 1.73
# sizes, on a title line of the scanned bd2023 fixture.)
TWO_LINES_EM = 1.6
TWO_LINES_MIN_WORDS = 2
# (Tesseract's 0–100.) Read this sure: words of the text, not a signature's or a
# seal's remains run into a line ("Lưu. VT," 25 pt tall at 64 under a signature).
TWO_LINES_CONFIDENCE = 90.0


def drop_column_runs(words: list[Word], size: float | None) -> list[Word]:
    """Drop a reading of a narrow column's lines as one word: at 150 dpi Tesseract
    read a TT column without rules ("Số", "TT", "1", "1.1", three lines apart) as
    one word "==Ä3«" 60 pt tall, and the table lost its TT column and every row.
    Dropped before the second pass, the lines' ink is read again one by one."""
    if not size:
        return words
    return [w for w in words if not (w.y1 - w.y0 > COLUMN_RUN_EM * size
                                     and w.y1 - w.y0 > w.x1 - w.x0
                                     and w.confidence < COLUMN_RUN_CONFIDENCE)]


def drop_merged_lines(rows: list[dict], size: float | None, scale: float) -> list[dict]:
    """Drop the words of a two-line cell Tesseract read as one line ("Thời gian thực"
    over "hiện" read "Thời hiện thực", words 24–26 pt tall on 14 pt text): the header
    cell named no role, and the table lost its deadline column. The second pass reads
    the two lines again one by one."""
    if not size:
        return rows
    lines: dict[tuple[str, str, str], list[int]] = {}
    for k, r in enumerate(rows):
        lines.setdefault((r["block_num"], r["par_num"], r["line_num"]), []).append(k)
    dropped: set[int] = set()
    for members in lines.values():
        members.sort(key=lambda k: int(rows[k]["left"]))
        run: list[int] = []
        for k in [*members, -1]:
            if (k >= 0 and int(rows[k]["height"]) * scale > TWO_LINES_EM * size
                    and float(rows[k]["conf"]) >= TWO_LINES_CONFIDENCE):
                run.append(k)
                continue
            if len(run) >= TWO_LINES_MIN_WORDS:
                dropped.update(run)
            run = []
    return [r for k, r in enumerate(rows) if k not in dropped]


def _rules_outside_words(rules: list[Rule], words: list[Word]) -> list[Rule]:
    """Drop short "vertical rules" that run through a word: the stem of a bold
    capital with a mark above and a dot below ("Ệ") is a vertical run of ink as
    long as a one-line row."""
    out = []
    for r in rules:
        if not r.horizontal and abs(r.y1 - r.y0) < 30 and any(
                w.x0 + 1 < r.x0 < w.x1 - 1 and min(r.y1, w.y1) - max(r.y0, w.y0) > 0
                for w in words):
            continue
        out.append(r)
    return out


# A page word this many times as wide as a narrow cell it lies on is no reading of
# that cell alone.
TOKEN_SPILL = 3.0


def _with_token_readings(words: list[Word], gray, tokens: list[tuple[int, int, int, int]],
                         scale: float) -> list[Word]:
    """One-line narrow cells (the TT column) read side by side as one line; a cell's
    reading is taken where the page passes read nothing, or read no numeral, or one
    far wider than the cell (`TOKEN_SPILL`; "211" over "I" and the margin), and were
    unsure ("ỊI" for "I" with a speck beside it) while the cell reads one. (Taken
    wherever the page passes were less sure, it read "11" for "1" and "710" for
    "7.10" on the 150 dpi fixture.)"""
    read: dict[int, list[Word]] = {}
    for k, w in line_mosaic_ocr(gray, tokens, scale):
        if w.confidence >= MIN_CONFIDENCE and w.text.strip("|_"):
            read.setdefault(k, []).append(w)
    for k, new in read.items():
        x, y, w, h = tokens[k]
        box = Word("", x * scale - 1, y * scale - 1, (x + w) * scale + 1, (y + h) * scale + 1)
        inside = [v for v in words if box.x0 <= v.xc <= box.x1 and box.y0 <= v.yc <= box.y1]
        if inside and not (len(new) == 1 and reads_as_numeral(new[0].text)
                           and all(_no_cell_numeral(v, box) for v in inside)):
            continue
        words = [v for v in words if not any(v is u for u in inside)] + new
    return words


def _no_cell_numeral(word: Word, cell: Word) -> bool:
    """Is a page word on a narrow cell an unsure reading that is no numeral of the
    cell: no numeral at all, or one far wider than the cell?"""
    return word.confidence < REREAD_BELOW and (
        not reads_as_numeral(word.text) or word.x1 - word.x0 > TOKEN_SPILL * (cell.x1 - cell.x0))


def _read_image(rgb, scale: float):  # noqa: ANN202 - (CleanPage, rows)
    """Clean the page image and read it: ruled table cells one by one (`ocr_cells`),
    the rest as a page."""
    clean = clean_page(rgb, scale)
    cells = read_cells(clean.gray, clean.line_mask, scale, run_tesseract)
    clean.tokens = cells.tokens
    return clean, run_tesseract(cells.rest) + cells.rows


# A page read upright has most words at high confidence (median 0.9–0.96 on the scan
# matrix); upside down Tesseract still "reads" it, at a median near 0.4, and a page
# lying sideways comes back as words taller than wide.
TURNED_MEDIAN_CONFIDENCE = 0.6
TURNED_MIN_WORDS = 15
VERTICAL_WORD_SHARE = 0.5


def _median_confidence(rows: list[dict]) -> float:
    import statistics

    return statistics.median(float(r["conf"]) for r in rows) / 100 if rows else 0.0


def _vertical_share(rows: list[dict]) -> float:
    long = [r for r in rows if len(r["text"].strip()) >= 3]
    if not long:
        return 0.0
    return sum(int(r["height"]) > 1.5 * int(r["width"]) for r in long) / len(long)


def _looks_turned(rows: list[dict]) -> bool:
    if len(rows) < TURNED_MIN_WORDS:
        return False
    return (_median_confidence(rows) < TURNED_MEDIAN_CONFIDENCE
            or _vertical_share(rows) > VERTICAL_WORD_SHARE)


def _read_turned(rgb, scale: float, clean, rows: list[dict]):  # noqa: ANN202
    """Read the page turned by 180° (or, when its words stand on end, by 90° either
    way) and keep the reading Tesseract is surest of: (clean, rows, quarter turns
    counter-clockwise, 0 when upright was best). When neither reading is sure enough
    (`TURNED_MEDIAN_CONFIDENCE`), the other quarter turns are read too: a page lying
    sideways at 150 dpi is read as short unsure words, not words on end (a quarter
    of them stood, median confidence 0.36)."""
    import numpy as np

    sideways = _vertical_share(rows) > VERTICAL_WORD_SHARE
    best = (clean, rows, 0)
    best_score = -1.0 if sideways else _median_confidence(rows)
    tried = (1, 3) if sideways else (2,)
    for turns in (tried, tuple(k for k in (1, 2, 3) if k not in tried)):
        if best_score >= TURNED_MEDIAN_CONFIDENCE:
            break
        for k in turns:
            turned = np.ascontiguousarray(np.rot90(rgb, k))
            c, r = _read_image(turned, scale)
            score = _median_confidence(r) if _vertical_share(r) <= VERTICAL_WORD_SHARE else 0.0
            if score > best_score:
                best, best_score = (c, r, k), score
    return best


def ocr_page(page: Page, pdf_page, *, dpi: int = DEFAULT_DPI, correct: bool = True) -> None:
    """Replace the page's words by OCR words (and give it the image's ruling lines
    when it has no vector rules). Warns instead of raising when OCR is impossible.
    `correct=False` leaves out the lexicon and TT corrections (to measure them)."""
    try:
        scale = 72.0 / dpi
        rgb = render(pdf_page, dpi)
        clean, rows = _read_image(rgb, scale)
        turn = 0
        if _looks_turned(rows):
            clean, rows, turn = _read_turned(rgb, scale, clean, rows)
    except OcrUnavailable as exc:
        page.warnings.append(f"OCR impossible: {exc}")
        return
    if turn:
        if turn % 2:
            page.width, page.height = page.height, page.width
        page.warnings.append(f"scanned page turned by {90 * turn}° (it lay sideways or "
                             "upside down)")
    rows = drop_ghosts(rows)
    cuts = [(r.x0 / scale, r.y0 / scale, r.y1 / scale) for r in clean.rules if not r.horizontal]
    # (Specks go before the second pass, so the ink under them is read again.)
    size = font_height(rows, scale)
    font_boxes: FontBoxes = {}
    rows = drop_merged_lines(rows, size, scale)
    page.words = drop_column_runs(drop_specks(words_from_tsv(
        rows, scale, cuts=cuts, size=size, font_boxes=font_boxes)), size)
    page.words += quarter_numerals(
        [w for w in words_from_tsv(rows, scale, min_confidence=0.0, cuts=cuts, size=size,
                                   font_boxes=font_boxes)
         if w.confidence < MIN_CONFIDENCE], page.words)
    try:
        extra = second_pass(clean.gray, page.words, scale)
    except OcrUnavailable as exc:
        extra = []
        page.warnings.append(f"OCR second pass impossible: {exc}")
    if extra:
        # A first-pass fragment inside a word the second pass read whole ("N" of
        # "HIỆN") goes.
        page.words = [w for w in page.words if not any(
            _inside(w, e) and e.confidence >= w.confidence for e in extra)]
        page.words += [e for e in extra if not any(_read_again(w, e) for w in page.words)]
    try:
        page.words = _with_token_readings(page.words, clean.gray, clean.tokens, scale)
    except OcrUnavailable as exc:
        page.warnings.append(f"OCR of the narrow cells impossible: {exc}")
    try:
        page.words = reread_unsure(clean.gray, page.words, scale)
    except OcrUnavailable as exc:
        page.warnings.append(f"OCR re-read impossible: {exc}")
    page.words = drop_fragments(page.words)
    page.words += recover_dashes(clean.gray, page.words, scale)
    # (Dots read as letters only now: dropped before the second pass, a dot beside a
    # word was read again with the word's ink, "KẾ HOẠCH" as "HOẠCH".)
    page.words = drop_specks(page.words, size)
    mark_bold(clean.gray, page.words, scale)
    text_line_boxes(page.words, size, font_boxes)
    if not page.rules:
        page.rules = _rules_outside_words(clean.rules, page.words)
    if correct:
        page.words = split_glued(drop_speck_marks(page.words))
        correct_words(page.words)
        lower_small_capitals(page.words)
        fix_tt_column(page)
        fix_quarter_strokes(clean.gray, page.words, scale)
        fix_quarter_numerals(page.words)
        fix_column_numbers(page.words)
    if abs(clean.angle) >= 0.05:
        page.warnings.append(f"scanned page straightened by {clean.angle:.1f}°")
    if page.words:
        low = sum(w.confidence < 0.6 for w in page.words)
        if low > 0.2 * len(page.words):
            page.warnings.append(f"OCR unsure of {low} of {len(page.words)} words")
