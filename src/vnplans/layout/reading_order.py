"""Reading order: a page's words as visual lines, column by column.

Words are first grouped into *segments*: runs of words on one baseline with only word
spacing between them (a wide gap — between the two columns of the header block, or
between two table cells — ends a segment). Segments are then ordered by a recursive
XY cut: a block is split top-to-bottom at blank horizontal bands (or horizontal
ruling lines), and left-to-right at blank vertical corridors (or vertical ruling
lines) that run through the whole block. So the header block reads "UBND TỈNH … /
SỞ …" before "CỘNG HÒA … / Độc lập …", a ruled table reads row by row and, within a
row, cell by cell, and plain body text reads top to bottom, left to right.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from vnplans.geometry import Line, group_lines, median, split_segments
from vnplans.ir import Page, Rule, Word
from vnplans.layout.settings import READING, ReadingSettings


def segments(words: Iterable[Word], rules: Sequence[Rule] = (),
             settings: ReadingSettings = READING) -> list[Line]:
    """The words that have text (not only whitespace) cut into segments: one visual
    line, split at vertical ruling lines and at gaps wider than word spacing
    (`settings.lines`). Inside a ruled table row the rules alone separate the cells: a
    justified cell line ("Công   ty   TNHH") keeps its stretched spaces."""
    verticals = [r for r in rules if not r.horizontal]
    lines = group_lines([w for w in words if w.text.strip()], settings.lines)
    return [seg for line in lines for seg in split_segments(line, settings.lines, verticals)]


def _gaps(intervals: list[tuple[float, float]], min_gap: float) -> list[float]:
    """Midpoints of the blank stretches (>= min_gap) between merged intervals."""
    cuts: list[float] = []
    intervals = sorted(intervals)
    end = intervals[0][1]
    for a, b in intervals[1:]:
        if a - end >= min_gap:
            cuts.append((a + end) / 2)
        end = max(end, b)
    return cuts


def _covered(spans: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of [lo, hi] covered by the union of `spans`."""
    total, end = 0.0, lo
    for a, b in sorted((max(a, lo), min(b, hi)) for a, b in spans):
        if b <= end:
            continue
        total += b - max(a, end)
        end = b
    return total


def _rule_cuts(lines: list[Line], rules: Sequence[Rule], horizontal: bool,
               settings: ReadingSettings) -> list[float]:
    """Positions of ruling lines that cross the whole block without touching a line.
    Collinear pieces count together: a rule interrupted by a merged cell (Word draws
    no border through it) still separates the rows on either side."""
    if not any(r.horizontal == horizontal for r in rules):
        return []  # (the usual case: a block without rules across it)
    x0, x1 = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    y0, y1 = min(ln.y0 for ln in lines), max(ln.y1 for ln in lines)
    lo, hi = (x0, x1) if horizontal else (y0, y1)
    pieces: dict[int, list[tuple[float, float]]] = {}
    for r in rules:
        if r.horizontal != horizontal:
            continue
        at = (r.y0 + r.y1) / 2 if horizontal else (r.x0 + r.x1) / 2
        span = (min(r.x0, r.x1), max(r.x0, r.x1)) if horizontal else (min(r.y0, r.y1),
                                                                       max(r.y0, r.y1))
        pieces.setdefault(round(at), []).append(span)
    cuts: list[float] = []
    for at, spans in pieces.items():
        inside = y0 < at < y1 if horizontal else x0 < at < x1
        if not inside or _covered(spans, lo, hi) < settings.rule_cover * (hi - lo):
            continue
        edge = settings.rule_inside_line
        if horizontal and any(ln.y0 + edge < at < ln.y1 - edge for ln in lines):
            continue
        if not horizontal and any(ln.x0 + edge < at < ln.x1 - edge for ln in lines):
            continue
        cuts.append(float(at))
    return cuts


def _split(lines: list[Line], cuts: list[float], key: Callable[[Line], float]
           ) -> list[list[Line]]:
    cuts = sorted(set(round(c, 2) for c in cuts))
    parts: list[list[Line]] = [[] for _ in range(len(cuts) + 1)]
    for ln in lines:
        i = sum(1 for c in cuts if key(ln) > c)
        parts[i].append(ln)
    return [p for p in parts if p]


def _typical_gap(lines: list[Line], settings: ReadingSettings) -> float:
    """The blank space between a line and the next line below it in the same column
    in running text (the block's line spacing)."""
    ordered = sorted(lines, key=lambda ln: ln.y0)
    gaps: list[float] = []
    for i, ln in enumerate(ordered):
        for below in ordered[i + 1:]:
            if below.y0 >= ln.y1 - settings.below_overlap_lines * ln.height \
                    and below.x0 < ln.x1 and ln.x0 < below.x1:
                gaps.append(max(0.0, below.y0 - ln.y1))
                break
    if not gaps:
        return 0.0
    # The lower quartile: in a table most cells are one line, so the gap to the next
    # line below is often the gap to the next row; wrapped cells give the spacing.
    gaps.sort()
    return gaps[len(gaps) // 4]


def _xy_cut(lines: list[Line], rules: Sequence[Rule], line_height: float,
            settings: ReadingSettings, depth: int = 0) -> list[Line]:
    """Split at horizontal bands first (so table rows stay rows), then at column
    corridors; a block with neither is read row by row. A band must be clearly wider
    than the block's own line spacing: the evenly spaced lines of the two header-block
    columns are not bands, the cell margins between unruled table rows are."""
    if len(lines) <= 1 or depth > 60:
        return sorted(lines, key=lambda ln: (ln.y0, ln.x0))
    size = median([ln.median_size for ln in lines])
    band = max(settings.band_gap_lines * line_height,
               min(_typical_gap(lines, settings) + settings.band_over_spacing * line_height,
                   settings.blank_line * line_height))
    y_cuts = _gaps([(ln.y0, ln.y1) for ln in lines], band)
    y_cuts += _rule_cuts(lines, rules, True, settings)
    for cuts, key in ((y_cuts, _yc), (_x_cuts(lines, rules, size, settings), _xc)):
        if cuts:
            parts = _split(lines, cuts, key)
            if len(parts) > 1:
                return [ln for part in parts
                        for ln in _xy_cut(part, rules, line_height, settings, depth + 1)]
    return _leaf_order(lines, settings)


def _x_cuts(lines: list[Line], rules: Sequence[Rule], size: float,
            settings: ReadingSettings) -> list[float]:
    cuts = _gaps([(ln.x0, ln.x1) for ln in lines], settings.column_gap_em * size)
    return cuts + _rule_cuts(lines, rules, False, settings)


def _yc(line: Line) -> float:
    return line.yc


def _xc(line: Line) -> float:
    return line.xc


def _leaf_order(lines: list[Line], settings: ReadingSettings) -> list[Line]:
    """Top to bottom; segments on the same visual row left to right."""
    ordered: list[Line] = []
    for row in rows_of_lines(lines, settings):
        ordered.extend(sorted(row, key=lambda ln: ln.x0))
    return ordered


def rows_of_lines(lines: list[Line], settings: ReadingSettings = READING) -> list[list[Line]]:
    """Segments grouped into visual rows, top to bottom: a segment joins the row above
    when it overlaps the row's extent by `settings.row_overlap` of the smaller height."""
    rows: list[list[Line]] = []
    y0 = y1 = 0.0  # the extent of the last row
    for ln in sorted(lines, key=lambda ln: (ln.yc, ln.x0)):
        if rows and min(y1, ln.y1) - max(y0, ln.y0) >= \
                settings.row_overlap * min(y1 - y0, ln.height):
            rows[-1].append(ln)
            y0, y1 = min(y0, ln.y0), max(y1, ln.y1)
            continue
        rows.append([ln])
        y0, y1 = ln.y0, ln.y1
    return rows


def reading_lines(words: Iterable[Word], rules: Sequence[Rule] = (),
                  settings: ReadingSettings = READING) -> list[Line]:
    """Words as visual lines in reading order: column by column where the page (or a
    block of it, such as the header block or a table row) is split into columns,
    otherwise top to bottom, left to right. `rules` (the page's ruling lines) let
    table borders separate rows and cells that whitespace alone does not."""
    lines = segments(words, rules, settings)
    if not lines:
        return []
    line_height = median([ln.y1 - ln.y0 for ln in lines])
    return _xy_cut(lines, list(rules), line_height, settings)


def page_text(page: Page, settings: ReadingSettings = READING) -> str:
    """The page's text in reading order: one visual line per output line, words
    separated by single spaces, NFC."""
    return "\n".join(line.text for line in reading_lines(page.words, page.rules, settings))
