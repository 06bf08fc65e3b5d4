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
                p, q = item[1], item[2]
                yield (p.x, p.y, q.x, q.y)
            elif op in ("re", "qu"):
                r = item[1] if op == "re" else item[1].rect
                if r.width <= MAX_FILLED_THICKNESS or r.height <= MAX_FILLED_THICKNESS:
                    yield from _thin_rect(r)
                else:
                    yield (r.x0, r.y0, r.x1, r.y0)
                    yield (r.x0, r.y1, r.x1, r.y1)
                    yield (r.x0, r.y0, r.x0, r.y1)
                    yield (r.x1, r.y0, r.x1, r.y1)
    if filled:
        rects = [it[1] if it[0] == "re" else it[1].rect for it in items if it[0] in ("re", "qu")]
        if not rects:
            # A rectangle drawn as four lines (or a closed polygon): use the path's box.
            rects = [path["rect"]] if all(it[0] == "l" for it in items) else []
        for r in rects:
            yield from _thin_rect(r)


def _thin_rect(r: pymupdf.Rect) -> Iterable[tuple[float, float, float, float]]:
    w, h = abs(r.x1 - r.x0), abs(r.y1 - r.y0)
    if h <= MAX_FILLED_THICKNESS and w > h:
        y = (r.y0 + r.y1) / 2
        yield (min(r.x0, r.x1), y, max(r.x0, r.x1), y)
    elif w <= MAX_FILLED_THICKNESS and h > w:
        x = (r.x0 + r.x1) / 2
        yield (x, min(r.y0, r.y1), x, max(r.y0, r.y1))


def rules_from_drawings(drawings: list[dict], matrix: pymupdf.Matrix | None = None) -> list[Rule]:
    """Merged horizontal and vertical rules, in displayed-page coordinates."""
    horizontal: list[tuple[float, float, float]] = []  # (y, x0, x1)
    vertical: list[tuple[float, float, float]] = []  # (x, y0, y1)
    for path in drawings:
        for x0, y0, x1, y1 in _segments(path):
            if matrix is not None:
                p = pymupdf.Point(x0, y0) * matrix
                q = pymupdf.Point(x1, y1) * matrix
                x0, y0, x1, y1 = p.x, p.y, q.x, q.y
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
