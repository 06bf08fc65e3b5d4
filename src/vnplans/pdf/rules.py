"""Ruling lines (table borders) from a page's vector drawings.

Exporters draw borders in different ways: stroked lines, stroked rectangles, and (Word)
thin filled rectangles, often one short segment per cell side. Every such shape becomes
an axis-aligned `Rule`; collinear segments that touch or overlap are merged, so one
table border comes out as one long rule.
"""

from __future__ import annotations

from collections.abc import Iterable

import pymupdf

from vnplans.ir import Rule

# A filled rectangle at most this thick (points) is a line, not a shaded area.
MAX_FILLED_THICKNESS = 2.5
# Segments shorter than this are dots or glyph parts, not borders.
MIN_LENGTH = 2.0
# Collinear segments within this distance (points) across their axis are one line…
SAME_LINE_TOL = 1.0
# …and are joined when the gap along the axis is at most this (dashed borders).
JOIN_GAP = 2.5
# Lines slanted by more than this (points over their length) are not rules.
SLANT_TOL = 1.0


def _is_white(color: object) -> bool:
    if not color:
        return False
    try:
        return all(float(c) > 0.95 for c in color)  # type: ignore[union-attr]
    except TypeError:
        return False


def _xy(point) -> tuple[float, float]:
    return (point[0], point[1])


def _rect(item) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a "re" or "qu" path item, as tuples (get_cdrawings) or
    PyMuPDF objects (get_drawings)."""
    if item[0] == "re":
        r = item[1]
        return (r[0], r[1], r[2], r[3])
    quad = item[1]
    xs = [pt[0] for pt in quad]
    ys = [pt[1] for pt in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _segments(path: dict) -> Iterable[tuple[float, float, float, float]]:
    """Axis-aligned segments (x0, y0, x1, y1) a drawing path shows as lines."""
    kind = path.get("type") or ""
    stroked = "s" in kind and not _is_white(path.get("color"))
    filled = "f" in kind and not _is_white(path.get("fill"))
    items = path.get("items") or []
    if stroked:
        for item in items:
            op = item[0]
            if op == "l":
                (px, py), (qx, qy) = _xy(item[1]), _xy(item[2])
                yield (px, py, qx, qy)
            elif op in ("re", "qu"):
                x0, y0, x1, y1 = _rect(item)
                if abs(x1 - x0) <= MAX_FILLED_THICKNESS or abs(y1 - y0) <= MAX_FILLED_THICKNESS:
                    yield from _thin_rect((x0, y0, x1, y1))
                else:
                    yield (x0, y0, x1, y0)
                    yield (x0, y1, x1, y1)
                    yield (x0, y0, x0, y1)
                    yield (x1, y0, x1, y1)
    if filled:
        rects = [_rect(it) for it in items if it[0] in ("re", "qu")]
        if not rects and items and all(it[0] == "l" for it in items):
            # A rectangle drawn as four lines (or a closed polygon): use the path's box.
            r = path["rect"]
            rects = [(r[0], r[1], r[2], r[3])]
        for r in rects:
            yield from _thin_rect(r)


def _thin_rect(r: tuple[float, float, float, float]) -> Iterable[tuple[float, float, float, float]]:
    x0, y0, x1, y1 = r
    w, h = abs(x1 - x0), abs(y1 - y0)
    if h <= MAX_FILLED_THICKNESS and w > h:
        y = (y0 + y1) / 2
        yield (min(x0, x1), y, max(x0, x1), y)
    elif w <= MAX_FILLED_THICKNESS and h > w:
        x = (x0 + x1) / 2
        yield (x, min(y0, y1), x, max(y0, y1))


def rules_from_drawings(drawings: list[dict], matrix: pymupdf.Matrix | None = None) -> list[Rule]:
    """Merged horizontal and vertical rules, in displayed-page coordinates, from
    `page.get_cdrawings()` (or `get_drawings()`) paths on the unrotated page."""
    horizontal: list[tuple[float, float, float]] = []  # (y, x0, x1)
    vertical: list[tuple[float, float, float]] = []  # (x, y0, y1)
    if matrix is not None:
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    for path in drawings:
        for x0, y0, x1, y1 in _segments(path):
            if matrix is not None:
                x0, y0, x1, y1 = (x0 * a + y0 * c + e, x0 * b + y0 * d + f,
                                  x1 * a + y1 * c + e, x1 * b + y1 * d + f)
            dx, dy = abs(x1 - x0), abs(y1 - y0)
            if dy <= SLANT_TOL and dx >= MIN_LENGTH:
                horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif dx <= SLANT_TOL and dy >= MIN_LENGTH:
                vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    rules = [Rule(a, pos, b, pos) for pos, a, b in _merge(horizontal)]
    rules += [Rule(pos, a, pos, b) for pos, a, b in _merge(vertical)]
    return rules


def _merge(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear segments (pos, start, end) that overlap or nearly touch."""
    if not segments:
        return []
    segments.sort()
    groups: list[list[tuple[float, float, float]]] = [[segments[0]]]
    for seg in segments[1:]:
        if seg[0] - groups[-1][0][0] <= SAME_LINE_TOL:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    merged: list[tuple[float, float, float]] = []
    for group in groups:
        pos = sum(s[0] for s in group) / len(group)
        spans = sorted((s[1], s[2]) for s in group)
        start, end = spans[0]
        for a, b in spans[1:]:
            if a <= end + JOIN_GAP:
                end = max(end, b)
            else:
                merged.append((pos, start, end))
                start, end = a, b
        merged.append((pos, start, end))
    return merged
