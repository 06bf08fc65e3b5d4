"""OCR of a ruled table cell by cell.

Read as one page, Tesseract's layout analysis runs a table row together across its
cells: the words of two cells become one text line (a two-line cell beside it makes
them all two lines tall), the left-overs of the erased borders come back as stray
marks ("mm", "Mà", "g"), and the two lines of a cell are read in the wrong order
("UBND thị trấn Các xã"). So the cells are found in the image, each cropped inside
its borders (whatever is not the cell's own paper, such as what is left of a
border, is painted over), and the crops are stacked into one image read in one
Tesseract run; each word is put back in its cell. The rest of the page (title,
body text, anything not boxed) is read as a page, with the cells painted over.

Cells are the regions of paper closed in by ruling lines (`scan.find_rules`): a
merged cell is one region whatever its shape, and a table ruled between rows only
has no closed regions, so it is read as a page, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A closed region smaller than this (points, either side) is not a cell: the gap
# between two close rules, a box of a check mark.
MIN_CELL_PT = 7.0
# A page with fewer cells than this has no table worth reading cell by cell.
MIN_CELLS = 4
# White margin (pixels) around each crop in the stack, and between crops.
CELL_PAD = 8
STACK_GAP = 20
# A crop with fewer ink pixels than this holds no text.
MIN_INK_PX = 12
# Tesseract page segmentation for the stack: a single uniform block of text.
STACK_PSM = 6


@dataclass
class Cell:
    x: int
    y: int
    w: int
    h: int
    label: int


def find_cells(line_mask: np.ndarray, scale: float) -> tuple[list[Cell], np.ndarray]:
    """The closed regions of paper between ruling lines, and the label image."""
    sealed = cv2.dilate(line_mask, np.ones((3, 3), np.uint8))
    paper = (sealed == 0).astype(np.uint8)
    n, labels, stats, _c = cv2.connectedComponentsWithStats(paper, connectivity=4)
    height, width = line_mask.shape
    min_px = MIN_CELL_PT / scale
    cells = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if x == 0 or y == 0 or x + w >= width or y + h >= height:
            continue  # the page around the table
        if w < min_px or h < min_px or area < 0.3 * w * h:
            continue
        cells.append(Cell(x, y, w, h, i))
    cells.sort(key=lambda c: (c.y, c.x))
    return cells, labels


# What is left of a border that was not quite straight lies along the cell's edge and
# reads as "," "." "-" after the last word of a line: a strip this wide (points) along
# the left and right edges, and this high along top and bottom, is painted over. Text
# keeps clear of it (Word's cell margins are 5.4 pt left and right).
EDGE_X_PT = 0.7
EDGE_Y_PT = 0.5
# Narrow cells hold centred row numbers, far from their borders.
NARROW_EDGE_X_PT = 1.5


def _crop(gray: np.ndarray, labels: np.ndarray, cell: Cell, paper: int, scale: float,
          edge_x_pt: float = EDGE_X_PT) -> np.ndarray:
    crop = gray[cell.y:cell.y + cell.h, cell.x:cell.x + cell.w].copy()
    crop[labels[cell.y:cell.y + cell.h, cell.x:cell.x + cell.w] != cell.label] = paper
    mx, my = int(round(edge_x_pt / scale)), int(round(EDGE_Y_PT / scale))
    if cell.w > 4 * mx and cell.h > 4 * my:
        crop[:, :mx] = paper
        crop[:, cell.w - mx:] = paper
        crop[:my, :] = paper
        crop[cell.h - my:, :] = paper
    return crop


def read_cells(gray: np.ndarray, line_mask: np.ndarray | None, scale: float, run_tesseract,
               ) -> CellReading:
    """The wide cells read (Tesseract word rows placed in page pixels — block numbers
    say which cell —), the page image with the cells read painted over (for the page
    pass), and the one-line narrow cells to read as a line. No cells: nothing read,
    the image unchanged."""
    if line_mask is None:
        return CellReading([], gray, [])
    cells, labels = find_cells(line_mask, scale)
    if len(cells) < MIN_CELLS:
        return CellReading([], gray, [])
    paper = int(np.median(gray[::8, ::8]))
    threshold, ink_all = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    crops: list[tuple[Cell, np.ndarray]] = []
    for cell in cells:
        crop = _crop(gray, labels, cell, paper, scale)
        ink = ink_all[cell.y:cell.y + cell.h, cell.x:cell.x + cell.w]
        mine = labels[cell.y:cell.y + cell.h, cell.x:cell.x + cell.w] == cell.label
        if int(np.count_nonzero(ink[mine])) >= MIN_INK_PX:
            crops.append((cell, crop))
    wide = [(c, crop) for c, crop in crops if c.w * scale > NARROW_CELL_PT]
    tokens: list[tuple[Cell, tuple[int, int, int, int]]] = []
    for c, crop in crops:
        if c.w * scale > NARROW_CELL_PT:
            continue
        ys, xs = np.nonzero(crop < threshold)
        if len(ys) and (ys.max() - ys.min() + 1) * scale <= ONE_LINE_PT:
            tokens.append((c, (c.x + int(xs.min()), c.y + int(ys.min()),
                               int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1)))
    rest = gray.copy()
    rest[np.isin(labels, [c.label for c, _img in wide])] = paper
    for c, _img in crops:
        if c.w * scale <= NARROW_CELL_PT:
            # What is left of the borders around a row number reads as "1" ("11"
            # for "1"): the narrow cells go to the page pass cleaned like a crop.
            crop = _crop(gray, labels, c, paper, scale, NARROW_EDGE_X_PT)
            sub = rest[c.y:c.y + c.h, c.x:c.x + c.w]
            mine = labels[c.y:c.y + c.h, c.x:c.x + c.w] == c.label
            sub[mine] = crop[mine]
    return CellReading(_read_stack(wide, paper, 1, "c", run_tesseract), rest,
                       [box for _c, box in tokens])


@dataclass
class CellReading:
    rows: list[dict]  # Tesseract word rows of the wide cells, in page pixels
    rest: np.ndarray  # the page image for the page pass: wide cells painted over,
    # narrow cells cleaned like a crop
    tokens: list[tuple[int, int, int, int]]  # ink boxes of one-line narrow cells


# Narrow cells (a TT column: "I", "2", "1.3") are not read in the stack: alone in a
# cell a numeral has no context, and Tesseract reads a lone "I" as "1", a "2" as "ý"
# or "3" (also enlarged, in a stack of their own). They stay on the page, and the
# one-line ones are also read side by side as one text line (`ocr.line_mosaic_ocr`):
# that reading is taken where the page passes read nothing (at 150 dpi the page pass
# drops some row numbers; where it reads one, it reads it better).
NARROW_CELL_PT = 45.0
ONE_LINE_PT = 18.0


def _read_stack(crops: list[tuple[Cell, np.ndarray]], paper: int, zoom: int, tag: str,
                run_tesseract) -> list[dict]:
    """OCR the crops stacked into one image; word rows placed back in page pixels."""
    if not crops:
        return []
    if zoom != 1:
        crops = [(c, cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC))
                 for c, crop in crops]
    width = max(c.shape[1] for _cell, c in crops) + 2 * CELL_PAD
    height = sum(c.shape[0] + 2 * CELL_PAD + STACK_GAP for _cell, c in crops)
    stack = np.full((height, width), paper, dtype=np.uint8)
    slots = []  # (stack top, stack bottom, cell)
    top = 0
    for cell, crop in crops:
        h, w = crop.shape
        stack[top + CELL_PAD:top + CELL_PAD + h, CELL_PAD:CELL_PAD + w] = crop
        slots.append((top, top + h + 2 * CELL_PAD, cell))
        top += h + 2 * CELL_PAD + STACK_GAP
    tops = np.array([s[0] for s in slots])
    placed = []
    by_slot: dict[int, list[dict]] = {}
    for r in run_tesseract(stack, psm=STACK_PSM):
        cy = int(r["top"]) + int(r["height"]) / 2
        k = int(np.searchsorted(tops, cy, side="right")) - 1
        if k < 0 or cy > slots[k][1]:
            continue
        by_slot.setdefault(k, []).append(r)
    for k, rows in by_slot.items():
        if len(rows) == 1 and _speck_reading(rows[0]):
            continue
        for r in rows:
            placed.append(_placed(r, slots[k], k, zoom, tag))
    return placed


# A cell whose whole reading is one word of at most this many letters, read this
# unsure (Tesseract's 0–100), holds dust, not text: specks in an empty cell of a
# section row read as "To", "Tờ" (at confidence 21–23) and made it no section row.
SPECK_WORD_LETTERS = 2
SPECK_WORD_CONFIDENCE = 50.0


def _speck_reading(r: dict) -> bool:
    letters = sum(ch.isalnum() for ch in r["text"])
    return letters <= SPECK_WORD_LETTERS and float(r["conf"]) < SPECK_WORD_CONFIDENCE


def _placed(r: dict, slot: tuple, k: int, zoom: int, tag: str) -> dict:
    """A word row of the stack placed back in page pixels."""
    s_top, _s_bottom, cell = slot
    left = (int(r["left"]) - CELL_PAD) / zoom + cell.x
    word_top = (int(r["top"]) - s_top - CELL_PAD) / zoom + cell.y
    return {**r, "left": str(round(left)), "top": str(round(word_top)),
            "width": str(round(int(r["width"]) / zoom)),
            "height": str(round(int(r["height"]) / zoom)),
            "block_num": f"{tag}{k}.{r['block_num']}"}
