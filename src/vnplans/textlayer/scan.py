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

from dataclasses import dataclass

import cv2
import numpy as np

from vnplans.ir import Rule

# Hue bands of red in OpenCV's 0–180 hue scale, with enough saturation to be ink,
# not grey paper.
_RED_BANDS = (((0, 60, 60), (12, 255, 255)), ((160, 60, 60), (180, 255, 255)))
# Largest skew (degrees) searched for, and the search step.
MAX_SKEW = 3.0
SKEW_STEP = 0.1
# A ruling line is at least this share of the page width (horizontal) or height
# (vertical) …
MIN_H_RULE = 1 / 30
MIN_V_RULE = 1 / 60
# … and at most this thick (points).
MAX_RULE_THICKNESS = 4.0


@dataclass
class CleanPage:
    gray: np.ndarray  # deskewed, red removed, rules erased — what OCR reads
    rules: list[Rule]  # in PDF points of the displayed page
    angle: float  # rotation applied to straighten the page, degrees (counter-clockwise)
    scale: float  # PDF points per pixel


def render(pdf_page, dpi: int) -> np.ndarray:
    """The page as an RGB array, in its displayed orientation."""
    pix = pdf_page.get_pixmap(dpi=dpi, alpha=False)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.width, pix.n)
    if pix.n == 1:
        img = np.repeat(img, 3, axis=2)
    return img[:, :, :3].copy()


def remove_red(rgb: np.ndarray) -> np.ndarray:
    """Grey image with red ink turned to paper white."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    mask = np.zeros(hsv.shape[:2], dtype=np.uint8)
    for lo, hi in _RED_BANDS:
        mask |= cv2.inRange(hsv, np.array(lo), np.array(hi))
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    gray[mask > 0] = 255
    return gray


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


def find_rules(ink: np.ndarray, scale: float) -> tuple[list[Rule], np.ndarray]:
    """(ruling lines in points, mask of their pixels) from a binarized page."""
    h, w = ink.shape
    h_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(10, int(w * MIN_H_RULE)), 1))
    v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(10, int(h * MIN_V_RULE))))
    # Close one-pixel breaks (noise, scan dropouts) along the line direction first.
    h_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, h_kernel)
    v_mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, v_kernel)
    h_mask = cv2.morphologyEx(h_mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(
        cv2.MORPH_RECT, (9, 1)))
    v_mask = cv2.morphologyEx(v_mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, 9)))
    rules = _segments(h_mask, True, scale) + _segments(v_mask, False, scale)
    return rules, cv2.bitwise_or(h_mask, v_mask)


def clean_page(rgb: np.ndarray, scale: float) -> CleanPage:
    """Red removed, deskewed, rules found and erased."""
    gray = remove_red(rgb)
    angle = estimate_skew(binarize(gray))
    gray = rotate(gray, angle) if angle else gray
    ink = binarize(gray)
    rules, line_mask = find_rules(ink, scale)
    if rules:
        erase = cv2.dilate(line_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
        gray = gray.copy()
        gray[erase > 0] = 255
    return CleanPage(gray, rules, angle, scale)
