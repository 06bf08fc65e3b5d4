"""Page images: red seal removal, deskew, ruling lines, and a clean image for OCR.

A scanned appendix is a picture of a table. To feed it to the same table builder as
a native page, the image is cleaned in this order:

1. red removed (HSV mask): a seal or a red signature stamped over a row would
   otherwise hide the words under it and break ruling lines into pieces;
2. deskewed: a scan is rarely straight, and a tilted row drifts into its neighbour;
3. ruling lines found by morphology (long horizontal / vertical runs of ink) and
   turned into `Rule`s in PDF points; they are then erased so OCR does not read
   them as "|" or "_".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from vnplans.ir import Rule

# Hue bands of red in OpenCV's 0–180 hue scale, with enough saturation to be ink,
# not grey paper.
_RED_BANDS = (((0, 70, 50), (12, 255, 255)), ((160, 70, 50), (180, 255, 255)))
# In the red areas, a red-channel value above this is seal, not ink under it.
RED_DROPOUT_LEVEL = 150
# Largest skew (degrees) searched for, and the search step.
MAX_SKEW = 3.0
SKEW_STEP = 0.1
# A ruling line is at least this long (points): horizontal rules span a column,
# vertical ones at least a one-line row (~17 pt) but are longer than letter stems.
MIN_H_RULE = 28.0
MIN_V_RULE = 13.0
# Collinear pieces of one rule broken by a gap this small (points) are joined: a
# seal stamped over a rule erases a piece of it with the red (JPEG smears the red
# into the black line), while a real break (a merged cell) spans a column (≥ 30 pt).
MAX_H_GAP = 24.0
MAX_V_GAP = 3.0
# … and at most this thick (points).
MAX_RULE_THICKNESS = 4.0
# A vertical piece shorter than this (points) that touches a horizontal rule at one
# end only is a letter's stem, not a cell border: a bold "Ỉ" with its hook stands
# 13–14 pt at 150 dpi and joins the rule over its row when it touches it, while the
# border of a one-line row runs from the rule above it to the rule below (each end
# within RULE_MEET_TOL of one).
LONE_V_RULE_MAX = 24.0
RULE_MEET_TOL = 3.0
# … and only a rule of a table: at least this long (points) and crossed by two column
# borders (a signature's zigzag makes strokes of 30 pt and rules of 29).
TABLE_RULE_MIN = 100.0


@dataclass
class CleanPage:
    gray: np.ndarray  # deskewed, red removed, rules erased — what OCR reads
    rules: list[Rule]  # in PDF points of the displayed page
    angle: float  # rotation applied to straighten the page, degrees (counter-clockwise)
    scale: float  # PDF points per pixel
    line_mask: np.ndarray | None = None  # pixels of the ruling lines found (255)
    # Ink boxes (pixels) of one-line narrow table cells, read as a line (`ocr_cells`).
    tokens: list[tuple[int, int, int, int]] = field(default_factory=list)


def render(pdf_page, dpi: int) -> np.ndarray:
    """The page as an RGB array, in its displayed orientation."""
    pix = pdf_page.get_pixmap(dpi=dpi, alpha=False)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    if pix.n == 1:
        img = np.repeat(img, 3, axis=2)
    return img[:, :, :3].copy()


def remove_red(rgb: np.ndarray) -> np.ndarray:
    """Grey image with red ink dropped out.

    Inside (and just around) the red areas the grey value is taken from the red
    channel alone: red ink is bright there, so it disappears like paper, while black
    text or a rule under the seal stays dark in every channel and is kept. (Turning
    red pixels white would also erase the thin lines the seal was stamped over,
    whose pixels JPEG has tinted red.)"""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    mask = np.zeros(hsv.shape[:2], dtype=np.uint8)
    for lo, hi in _RED_BANDS:
        mask |= cv2.inRange(hsv, np.array(lo), np.array(hi))
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    if mask.any():
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
        red = rgb[:, :, 0]
        # Seal edges JPEG has greyed are still much brighter than ink: to paper.
        dropped = np.where(red > RED_DROPOUT_LEVEL, 255, red).astype(np.uint8)
        gray[mask > 0] = dropped[mask > 0]
    return gray


# Paper is found as the brightest value around each pixel within this distance
# (points): more than a stroke or a ruling line is wide, less than light varies over.
PAPER_WINDOW_PT = 6.0


def flatten_light(gray: np.ndarray, scale: float) -> np.ndarray:
    """Uneven light (a page darker towards one side, a grey paper tone) evened out:
    each pixel divided by the paper brightness around it, so paper is white
    everywhere and ink keeps its contrast. Binarization and the cell crops of
    `ocr_cells` then see one paper colour across the page."""
    k = max(3, int(PAPER_WINDOW_PT / scale) | 1)
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (k // 4 | 1, k // 4 | 1)))
    paper = cv2.blur(paper, (k // 2 | 1, k // 2 | 1))
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def drop_faint(gray: np.ndarray) -> np.ndarray:
    """Faint grey (show-through, JPEG haze) to paper, after `flatten_light`. Not done
    before the ruling lines are found: a thin line blurred at 150 dpi is as faint and
    would break into pieces."""
    return cv2.LUT(gray, _FAINT_TO_PAPER)


# After the light is flattened, anything lighter than this is paper: the back page
# showing through (mirrored text at ~85–90 % of paper brightness) and JPEG haze.
# Darker values are stretched a little (to keep anti-aliased edges soft); stretched
# hard (200 → white) the strokes thickened and the breve of "ắ" in a signer's name
# was lost ("Khác" for "Khắc"); not stretched at all, a section "I" read as "1".
FAINT_INK_LEVEL = 225
_FAINT_TO_PAPER = np.clip(np.arange(256) * 255.0 / FAINT_INK_LEVEL, 0, 255).astype(np.uint8)


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255, paper = 0 (Otsu)."""
    _t, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def estimate_skew(ink: np.ndarray) -> float:
    """The rotation (degrees) that makes text lines and rules horizontal: the angle
    whose horizontal projection profile is the sharpest, searched on a small copy."""
    h, w = ink.shape
    factor = min(1.0, 1000 / max(h, w))
    small = cv2.resize(ink, (int(w * factor), int(h * factor)), interpolation=cv2.INTER_AREA)
    center = (small.shape[1] / 2, small.shape[0] / 2)
    best_angle, best_score = 0.0, -1.0
    for angle in np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, SKEW_STEP):
        m = cv2.getRotationMatrix2D(center, float(angle), 1.0)
        rotated = cv2.warpAffine(small, m, (small.shape[1], small.shape[0]),
                                 flags=cv2.INTER_NEAREST)
        profile = rotated.sum(axis=1, dtype=np.float64)
        score = float(np.square(np.diff(profile)).sum())
        if score > best_score:
            best_angle, best_score = float(angle), score
    return best_angle


def rotate(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 1e-6:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _segments(mask: np.ndarray, horizontal: bool, scale: float) -> list[Rule]:
    rules: list[Rule] = []
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if horizontal:
            if h * scale > MAX_RULE_THICKNESS:
                continue
            yc = (y + h / 2) * scale
            rules.append(Rule(x * scale, yc, (x + w) * scale, yc))
        else:
            if w * scale > MAX_RULE_THICKNESS:
                continue
            xc = (x + w / 2) * scale
            rules.append(Rule(xc, y * scale, xc, (y + h) * scale))
    return rules


def _join(rules: list[Rule], horizontal: bool, max_gap: float) -> list[Rule]:
    """Join collinear pieces (same line within 2 pt, gap ≤ max_gap). The pieces come
    sorted by position across the line, so the piece right of a gap can come first
    (a rule broken by a seal, its two pieces a fraction of a point apart): the gap
    is measured whichever side the piece lies."""
    def key(r: Rule) -> tuple[float, float, float]:
        return (r.y0, r.x0, r.x1) if horizontal else (r.x0, r.y0, r.y1)

    out: list[list[float]] = []
    for pos, a, b in sorted(key(r) for r in rules):
        for seg in reversed(out[-8:]):
            if abs(seg[0] - pos) <= 2.0 and max(a, seg[1]) - min(b, seg[2]) <= max_gap:
                seg[0] = (seg[0] + pos) / 2
                seg[1] = min(seg[1], a)
                seg[2] = max(seg[2], b)
                break
        else:
            out.append([pos, a, b])
    if horizontal:
        return [Rule(a, pos, b, pos) for pos, a, b in out]
    return [Rule(pos, a, pos, b) for pos, a, b in out]


def find_rules(ink: np.ndarray, scale: float) -> tuple[list[Rule], np.ndarray]:
    """(ruling lines in points, mask of their pixels) from a binarized page."""
    h_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(10, int(MIN_H_RULE / scale)), 1))
    v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(10, int(MIN_V_RULE / scale))))
    # Thicken across the line direction first: a rule that is still tilted by a
    # fraction of a degree, or thinned where the red was taken out, steps from one
    # pixel row to the next and has no long run on any single row.
    thick_h = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    thick_v = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    h_mask = cv2.morphologyEx(thick_h, cv2.MORPH_OPEN, h_kernel)
    v_mask = cv2.morphologyEx(thick_v, cv2.MORPH_OPEN, v_kernel)
    # Close small breaks (noise, scan dropouts) along the line direction.
    h_mask = cv2.morphologyEx(h_mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(
        cv2.MORPH_RECT, (9, 1)))
    v_mask = cv2.morphologyEx(v_mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, 9)))
    horizontal = _join(_segments(h_mask, True, scale), True, MAX_H_GAP)
    pieces = _join(_segments(v_mask, False, scale), False, MAX_V_GAP)
    stems = _letter_stems(horizontal, pieces)
    half = int(MAX_RULE_THICKNESS / scale)
    for r in stems:
        # Left in the image for OCR to read, as the letter it is.
        x = int(r.x0 / scale)
        v_mask[int(r.y0 / scale):int(r.y1 / scale) + 1, max(0, x - half):x + half + 1] = 0
    stem_ids = {id(r) for r in stems}
    return horizontal + [r for r in pieces if id(r) not in stem_ids], \
        cv2.bitwise_or(h_mask, v_mask)


def _letter_stems(horizontal: list[Rule], vertical: list[Rule]) -> list[Rule]:
    """The short vertical pieces (`LONE_V_RULE_MAX`) hanging from a table's
    horizontal rule or standing on one (a rule that column borders cross: not the
    underline of a header), not reaching a rule at their other end (or reaching one
    inside a table's frame), or touching no rule at all inside a table, and in line
    with no other vertical piece (a border broken by a seal or by blur leaves
    pieces in line with each other): letters, alone or touching the rule of their
    row."""
    tol = RULE_MEET_TOL
    borders = [v for v in vertical if v.y1 - v.y0 >= LONE_V_RULE_MAX]
    table_rules = {id(h) for h in horizontal if h.x1 - h.x0 >= TABLE_RULE_MIN and sum(
        h.x0 - tol <= v.x0 <= h.x1 + tol and v.y0 - tol <= h.y0 <= v.y1 + tol
        for v in borders) >= 2}
    stems = []
    for rule in vertical:
        if rule.y1 - rule.y0 >= LONE_V_RULE_MAX \
                or any(v is not rule and abs(v.x0 - rule.x0) <= tol for v in vertical):
            continue
        across = [h for h in horizontal if h.x0 - tol <= rule.x0 <= h.x1 + tol]
        at_top = [h for h in across if abs(h.y0 - rule.y0) <= tol]
        at_bottom = [h for h in across if abs(h.y0 - rule.y1) <= tol]
        if at_top and at_bottom:
            # Closed at both ends inside a table's frame, in line with no column
            # border: the stem of a bold capital filling a one-line section row
            # ("NGHIỆP"). (A one-line table's own borders are as short as the row.)
            framing = [v for v in borders if v.y0 <= rule.y0 + tol and v.y1 >= rule.y1 - tol]
            stem = any(v.x0 < rule.x0 for v in framing) and any(
                v.x0 > rule.x0 for v in framing) and any(
                id(h) in table_rules for h in at_top + at_bottom)
        elif at_top or at_bottom:
            stem = any(id(h) in table_rules for h in at_top + at_bottom)
        else:
            # Touching no rule, inside a table: the stem of a bold capital in a header
            # cell, "I" of "NHIỆM"; erased as a rule, the word was lost and the header
            # with it. (Outside tables such pieces are a signature's or a seal's strokes.)
            table = [h for h in across if id(h) in table_rules]
            stem = any(h.y0 < rule.y0 for h in table) and any(h.y0 > rule.y1 for h in table)
        if stem:
            stems.append(rule)
    return stems


def clean_page(rgb: np.ndarray, scale: float) -> CleanPage:
    """Red removed, deskewed, rules found and erased.

    (Sharpening was tried for the tone marks of 150 dpi scans: it fixed a few "Tố"
    for "Tổ" but made as many new errors — "Chỉ" for "Chi", "Lễ" for "Lê" — and
    brought back the faint edges of the removed seal, so it is not done.)"""
    flat = flatten_light(remove_red(rgb), scale)
    angle = estimate_skew(binarize(flat))
    flat = rotate(flat, angle) if angle else flat
    rules, line_mask = find_rules(binarize(flat), scale)
    gray = drop_faint(flat)
    if rules:
        # Wide enough to take the grey anti-aliased edges of the scanned line too.
        erase = cv2.dilate(line_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
        gray = gray.copy()
        # Paper colour, not pure white: a white stripe would leave edges to read.
        gray[erase > 0] = int(np.median(gray[::8, ::8]))
        return CleanPage(despeckle(gray, scale), rules, angle, scale, erase)
    return CleanPage(despeckle(gray, scale), rules, angle, scale)


# Dust: a blob of ink at most this big (points, either side) with no other ink within
# SPECK_ALONE_PT. A full stop or a tone mark is as small, but stands next to its letters.
SPECK_MAX_PT = 1.4
SPECK_ALONE_PT = 3.0
# Dust next to a word is told from a mark by its size: the lone specks of the page show
# how big its dust is. With at least DUST_SAMPLE of them, a small blob near ink no
# larger than DUST_SIZE_QUANTILE of their areas is dust too, unless ink lies right
# above it (within DOT_BELOW_PT): the dot under "ạ", "ệ", "ị" is as small at 150 dpi.
DUST_SAMPLE = 30
DUST_SIZE_QUANTILE = 90
DOT_BELOW_PT = 1.0


def despeckle(gray: np.ndarray, scale: float) -> np.ndarray:
    """Dust specks painted over with paper: Tesseract reads them as ".", "-", "'" and
    glues them to the words around ("thời gian." for "thời gian", "doanh, nghiệp"),
    or as tone marks ("thỏại" for "thoại").

    A small blob far from other ink is dust. A small blob next to a word is dust when
    the page has plenty of lone dust and the blob is no bigger than most of it: at
    300 dpi a speck is a pixel or two while a full stop or the dots of ":" and ";"
    are several; at 150 dpi a speck is as big as a blurred dot below a letter, which
    is why a blob with ink right above it stays."""
    ink = binarize(gray)
    n, labels, stats, _c = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return gray
    most = SPECK_MAX_PT / scale
    small = (stats[:, cv2.CC_STAT_WIDTH] <= most) & (stats[:, cv2.CC_STAT_HEIGHT] <= most)
    small[0] = False
    if not small.any():
        return gray
    is_small = small[labels]
    big = np.where(is_small, 0, ink).astype(np.uint8)
    reach = max(3, int(2 * SPECK_ALONE_PT / scale) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach))
    near = cv2.dilate(big, kernel)
    centre_y = stats[:, cv2.CC_STAT_TOP] + stats[:, cv2.CC_STAT_HEIGHT] // 2
    centre_x = stats[:, cv2.CC_STAT_LEFT] + stats[:, cv2.CC_STAT_WIDTH] // 2
    # Small blobs close to each other are kept too: the dots of "…", a ":" apart.
    groups_n, groups = cv2.connectedComponents(cv2.dilate(is_small.astype(np.uint8), kernel))
    members = np.bincount(groups[centre_y[1:], centre_x[1:]] * small[1:], minlength=groups_n)
    members[0] = 0
    alone = small & (near[centre_y, centre_x] == 0)
    alone_blobs = alone & (members[groups[centre_y, centre_x]] < 2)
    dust = alone_blobs | _dust_by_size(stats, small & ~alone_blobs, big, alone, scale)
    if not dust.any():
        return gray
    gray = gray.copy()
    gray[cv2.dilate(dust[labels].astype(np.uint8), np.ones((3, 3), np.uint8)) > 0] = 255
    return gray


def _dust_by_size(stats: np.ndarray, candidates: np.ndarray, big: np.ndarray,
                  alone: np.ndarray, scale: float) -> np.ndarray:
    """Which of the small blobs left (`candidates`, per component: near ink, or near
    other small blobs) are as small as the page's lone dust (`alone`) and have no ink
    right above them."""
    dust = np.zeros(len(stats), dtype=bool)
    areas = stats[alone, cv2.CC_STAT_AREA]
    if len(areas) < DUST_SAMPLE:
        return dust
    limit = np.percentile(areas, DUST_SIZE_QUANTILE)
    gap = max(1, round(DOT_BELOW_PT / scale))
    for i in np.nonzero(candidates & (stats[:, cv2.CC_STAT_AREA] <= limit))[0]:
        x, y, w, _h = stats[i, :4]
        dust[i] = not big[max(0, y - gap):y, x:x + w].any()
    return dust
