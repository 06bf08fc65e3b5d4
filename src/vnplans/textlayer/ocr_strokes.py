"""Roman quarter numerals counted in the image, not guessed from the reading.

"Quý III/2025" and "Quý II/2025" are both valid, so no syllable or sequence rule
may turn one into the other; yet Tesseract often loses one of three serifed strokes
joined by their serifs ("II/2025", "IH/2025" for "III/2025"). The strokes are
counted in the page image instead: the word after "Quý" (and the next ones of a
list, "Quý II, III/2025", and any stroke numeral with its year, "III/2025" on the
line below a "Quý" that ends a line) is cut out, binarised
(Otsu), split into connected pieces left to right, and each full-height vertical
run of ink (a column inked over at least `STEM_SHARE` of the cap height) is a
stroke of the numeral. Counting stops at the first piece with no such stem (the
slash before the year, a comma, a "V"). The count replaces the numeral only when
the reading is made of strokes alone (I, H, l, |, 1 and the like, not all digits:
offices also write "Quý 1/2025") and the count is a quarter (1–3). A word after
"Quý" whose slash was lost or misread ("IL2024", "H2023") is rebuilt from the count
and its year ("II/2024")."""

from __future__ import annotations

import re

import cv2
import numpy as np

from vnplans.ir import Word

# A column of a stroke is inked over at least this share of the numeral's height.
STEM_SHARE = 0.8
# Pieces lower than this share of the tallest piece (a dash before the numeral,
# dust) are not strokes.
MIN_PIECE_SHARE = 0.5

_QUARTER_WORDS = {"quý", "quí"}
# The numeral (strokes only) and the rest of the token ("/2025", ",").
_STROKE_NUMERAL = re.compile(r"^([-–]?)([IHl|1ìíÌÍÏ!]{1,4})((?:[/⁄][⁄/]?\d{4})?[.,;:]?)$")
# A quarter with its year whose slash was lost or misread ("IL2024", "I12022",
# "H2023", "[I/2022", "-IL2024" with its first stroke's serif read as a dash, "112022"):
# rebuilt from the strokes counted and the year, after "Quý" only.
_GARBLED_QUARTER = re.compile(r"^[-–]?([\[\]IHlL|1ìíÌÍÏ!]{1,5}?)[/⁄]?(20\d\d)([.,;:]?)$")


def count_strokes(gray: np.ndarray, box: tuple[int, int, int, int]) -> int | None:
    """Vertical strokes at the start of the ink in `box` (x0, y0, x1, y1, pixels of
    the grey page image), before the first piece that has none; None when the box
    holds no stroke at all."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    crop = gray[y0:y1, x0:x1]
    if crop.size == 0 or crop.shape[0] < 6 or crop.shape[1] < 2:
        return None
    _t, ink = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = sorted(range(1, count), key=lambda k: stats[k, cv2.CC_STAT_LEFT])
    tallest = max((stats[k, cv2.CC_STAT_HEIGHT] for k in pieces), default=0)
    strokes = 0
    for k in pieces:
        height = stats[k, cv2.CC_STAT_HEIGHT]
        if height < MIN_PIECE_SHARE * tallest:
            if strokes:
                break  # a comma or a full stop after the numeral
            continue
        left, width = stats[k, cv2.CC_STAT_LEFT], stats[k, cv2.CC_STAT_WIDTH]
        piece = labels[:, left:left + width] == k
        stems = [_longest_run(piece[:, c]) >= STEM_SHARE * height for c in range(width)]
        runs = sum(1 for c, s in enumerate(stems) if s and (c == 0 or not stems[c - 1]))
        if not runs:
            break
        strokes += runs
    return strokes or None


def _longest_run(column: np.ndarray) -> int:
    best = run = 0
    for v in column:
        run = run + 1 if v else 0
        best = max(best, run)
    return best


def _after(word: Word, words: list[Word]) -> Word | None:
    h = word.y1 - word.y0
    after = [w for w in words
             if -0.15 * h <= w.x0 - word.x1 <= 0.8 * h and abs(w.yc - word.yc) < 0.3 * h]
    return min(after, key=lambda w: w.x0) if after else None


def _quarter_tokens(words: list[Word]) -> list[Word]:
    """The words that hold a quarter numeral: the word after "Quý", each next one of
    a list ("Quý II, III/2025"), and a numeral with its year anywhere ("III/2025" on
    the line below a "Quý" that ends a line)."""
    found: dict[int, Word] = {}
    for q in words:
        if q.text.lower() in _QUARTER_WORDS:
            word = _after(q, words)
            while word is not None and id(word) not in found \
                    and (m := _STROKE_NUMERAL.match(word.text)):
                found[id(word)] = word
                word = _after(word, words) if m.group(3) == "," else None
    for w in words:
        m = _STROKE_NUMERAL.match(w.text)
        if m and m.group(3)[:1] in "/⁄" and m.group(3):
            found[id(w)] = w
    return list(found.values())


def _strokes_or_no_quarter(numeral: str) -> bool:
    """May a numeral before a year be strokes? Not digits that are a quarter ("1" of
    "Quý 12025": offices write "Quý 1/2025"); "11" is no quarter ("Quý 112022")."""
    return not numeral.isdigit() or not 1 <= int(numeral) <= 4


def fix_quarter_strokes(gray: np.ndarray, words: list[Word], scale: float) -> int:
    """Give each quarter numeral read as strokes (`_quarter_tokens`) the number of
    strokes counted in the image (`count_strokes`). `scale`: PDF points per pixel of
    `gray`. Returns how many words changed."""
    changed = 0
    garbled = {id(w): m for q in words if q.text.lower() in _QUARTER_WORDS
               and (w := _after(q, words)) is not None and not _STROKE_NUMERAL.match(w.text)
               and (m := _GARBLED_QUARTER.match(w.text)) and _strokes_or_no_quarter(m.group(1))}
    for word in _quarter_tokens(words) + [w for w in words if id(w) in garbled]:
        m = _STROKE_NUMERAL.match(word.text)
        g = garbled.get(id(word))
        if g is not None:
            tail = f"/{g.group(2)}{g.group(3)}"
        elif not m or m.group(2).isdigit():
            continue
        else:
            tail = m.group(3)
        box = (int(word.x0 / scale), int(word.y0 / scale),
               int(np.ceil(word.x1 / scale)), int(np.ceil(word.y1 / scale)))
        strokes = count_strokes(gray, box)
        if strokes is None or not 1 <= strokes <= 3:
            continue
        text = "I" * strokes + tail
        if text != word.text:
            word.text = text
            changed += 1
    return changed
