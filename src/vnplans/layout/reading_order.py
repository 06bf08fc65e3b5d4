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

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from math import fsum
from operator import attrgetter

from vnplans.ir import Box, Page, Rule, Word

# Outside ruled table rows, a horizontal gap ends a segment when it is wider than
# this many font sizes (a space is about 0.25 em; two table cells are at least two
# cell margins, Word: 2 x 5.4 pt, apart) and also this many times the row's usual
# space (a justified line stretches all its spaces alike: it stays one segment).
SEGMENT_GAP_EM = 0.7
STRETCH_FACTOR = 1.6
# In a row crossed by table rules the rules separate the cells; whitespace alone ends
# a segment only past this many font sizes.
RULED_GAP_EM = 3.0
# Two words share a visual line when their centres are closer than this share of
# the smaller height (and so do two segments in a block read row by row).
LINE_OVERLAP = 0.5
# A blank horizontal band at least this share of the median line height splits a
# block: table rows are set apart by their cell margins and paragraphs by their
# spacing, wrapped lines of one paragraph (or of the two header-block columns) are not.
BAND_GAP_LINES = 0.25
# ... and at least this share of a line wider than the block's usual line spacing,
BAND_OVER_SPACING = 0.2
# though an empty line's worth of space always splits.
BLANK_LINE = 0.8
# A blank vertical corridor at least this many font sizes wide, through every line
# of a block, splits it into columns (table cells sit two cell margins apart).
COLUMN_GAP_EM = 0.7
# A ruling line splits a block when it covers this share of the block's extent.
RULE_COVER = 0.6


@dataclass(slots=True)
class Line(Box):
    """One visual line (segment) of words, left to right. Its box and text are
    computed once: the words are not changed afterwards."""

    words: list[Word] = field(default_factory=list)
    x0: float = field(init=False, default=0.0)
    y0: float = field(init=False, default=0.0)
    x1: float = field(init=False, default=0.0)
    y1: float = field(init=False, default=0.0)
    size: float = field(init=False, default=0.0)  # median font size
    _text: str | None = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        words = self.words
        if words:
            self.x0 = min([w.x0 for w in words])
            self.y0 = min([w.y0 for w in words])
            self.x1 = max([w.x1 for w in words])
            self.y1 = max([w.y1 for w in words])
            sizes = [w.size for w in words if w.size > 0]
            self.size = _median(sizes) if sizes else (self.y1 - self.y0) / 1.15

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = unicodedata.normalize("NFC", " ".join([w.text for w in self.words]))
        return self._text

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def italic(self) -> bool:
        return all(w.italic for w in self.words)


def _median(values: list[float]) -> float:
    """statistics.median (same value) without its overhead: called for every line."""
    data = sorted(values)
    n = len(data)
    return data[n // 2] if n % 2 else (data[n // 2 - 1] + data[n // 2]) / 2


def _word_size(w: Word) -> float:
    return w.size if w.size > 0 else max(w.height / 1.15, 1.0)


# A word that joined its row this far (pt) inside the row's reach carries the rest of
# its line along (see `_rows`): far more than float rounding, far less than any text.
_SURE_MARGIN = 1e-6


def _rows(words: Iterable[Word]) -> list[list[Word]]:
    """The words that have text (not only whitespace) grouped into visual rows, top
    to bottom, each left to right. A word joins a row when its centre is within half
    a line of the row's centre (not merely overlapping the row's growing box: a
    larger word beside two small lines would chain them)."""
    rows: list[list[Word]] = []
    # Per row: its centre (mean of the members' centres) and usual height (median of
    # the members' heights). The members' centres and heights are kept so that an
    # update costs one fsum and one sort of a nearly sorted list rather than
    # statistics.fmean/median over the row (same values: fmean is fsum / n, median
    # the middle of the sorted data).
    centres: list[float] = []
    heights: list[float] = []
    member_centres: list[list[float]] = []
    member_heights: list[list[float]] = []
    # Most words have the same centre and height as the word before them (the rest of
    # its line). Such a word joins the same row whenever that one joined it with a
    # margin: the distance to the row's centre can only have shrunk (the centre moved
    # towards it) and the row's height only grown towards its own, and the rows
    # checked before that one (unchanged) keep refusing it. So it is added without a
    # check, and the row's centre and height are updated once, when the next word
    # that needs them comes: `pending` is the row waiting for that update.
    run_yc = run_height = None
    pending = -1
    # By centre, then left edge, then input order (a plain tuple sort: no key tuples
    # to build). (w.y0 + w.y1) / 2 is `Word.yc`, without a property call per word.
    keyed = sorted([((w.y0 + w.y1) / 2, w.x0, i, w.y1 - w.y0, w)
                    for i, w in enumerate(words) if w.text.strip()])
    for yc, _left, _i, height, w in keyed:
        if yc == run_yc and height == run_height:
            rows[pending].append(w)
            member_centres[pending].append(yc)
            member_heights[pending].append(height)
            continue
        if pending >= 0:
            ycs, hs = member_centres[pending], member_heights[pending]
            centres[pending] = fsum(ycs) / len(ycs)
            hs.sort()
            n = len(hs)
            heights[pending] = hs[n // 2] if n % 2 else (hs[n // 2 - 1] + hs[n // 2]) / 2
        n_rows = len(rows)
        for i in range(n_rows - 1, n_rows - 4 if n_rows > 3 else -1, -1):
            row_height = heights[i]
            reach = LINE_OVERLAP * (row_height if row_height < height else height)
            distance = abs(yc - centres[i])
            if distance <= reach:
                margin = reach - distance
                rows[i].append(w)
                member_centres[i].append(yc)
                member_heights[i].append(height)
                break
        else:
            i = n_rows
            margin = LINE_OVERLAP * height
            rows.append([w])
            centres.append(yc)
            heights.append(height)
            member_centres.append([yc])
            member_heights.append([height])
        pending = i
        run_yc, run_height = (yc, height) if margin > _SURE_MARGIN else (None, None)
    return [sorted(members, key=_X0) for members in rows]


_X0 = attrgetter("x0")


def _ruled_between(prev: Word, word: Word, verticals: Sequence[Rule]) -> bool:
    y = (prev.yc + word.yc) / 2
    return any(prev.xc < (r.x0 + r.x1) / 2 < word.xc
               and min(r.y0, r.y1) <= y <= max(r.y0, r.y1) for r in verticals)


def segments(words: Iterable[Word], rules: Sequence[Rule] = ()) -> list[Line]:
    """Words cut into segments: one visual line, split at vertical ruling lines and at
    gaps wider than word spacing. Inside a ruled table row the rules alone separate
    the cells: a justified cell line ("Công   ty   TNHH") keeps its stretched spaces."""
    verticals = [r for r in rules if not r.horizontal]
    out: list[Line] = []
    for row in _rows(words):
        # A justified line stretches every space alike: a gap only ends a segment
        # when it is also clearly wider than the row's usual space.
        gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:], strict=False)]
        usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
        if not verticals and (not gaps or max(gaps) <= STRETCH_FACTOR * usual):
            out.append(Line(row))  # only word spacing: the whole row (most rows)
            continue
        current = [row[0]]
        ruled = False
        if verticals:
            yc = fsum([(w.y0 + w.y1) / 2 for w in row]) / len(row)
            ruled = sum(1 for r in verticals if min(r.y0, r.y1) <= yc <= max(r.y0, r.y1)) >= 2
        sizes = [w.size if w.size > 0 else max((w.y1 - w.y0) / 1.15, 1.0) for w in row]
        for prev, word, prev_size, size, gap in zip(row, row[1:], sizes, sizes[1:], gaps,
                                                    strict=False):
            if prev_size > size:
                size = prev_size
            if ruled:
                cut = gap > RULED_GAP_EM * size or _ruled_between(prev, word, verticals)
            else:
                cut = (gap > SEGMENT_GAP_EM * size and gap > STRETCH_FACTOR * usual) or (
                    bool(verticals) and _ruled_between(prev, word, verticals))
            if cut:
                out.append(Line(current))
                current = []
            current.append(word)
        out.append(Line(current))
    return out


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


def _rule_cuts(lines: list[Line], rules: Sequence[Rule], horizontal: bool) -> list[float]:
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
        if not inside or _covered(spans, lo, hi) < RULE_COVER * (hi - lo):
            continue
        if horizontal and any(ln.y0 + 1 < at < ln.y1 - 1 for ln in lines):
            continue
        if not horizontal and any(ln.x0 + 1 < at < ln.x1 - 1 for ln in lines):
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


def _typical_gap(lines: list[Line]) -> float:
    """The blank space between a line and the next line below it in the same column
    in running text (the block's line spacing)."""
    ordered = sorted(lines, key=lambda ln: ln.y0)
    gaps: list[float] = []
    for i, ln in enumerate(ordered):
        for below in ordered[i + 1:]:
            if below.y0 >= ln.y1 - 0.5 * ln.height and below.x0 < ln.x1 and ln.x0 < below.x1:
                gaps.append(max(0.0, below.y0 - ln.y1))
                break
    if not gaps:
        return 0.0
    # The lower quartile: in a table most cells are one line, so the gap to the next
    # line below is often the gap to the next row; wrapped cells give the spacing.
    gaps.sort()
    return gaps[len(gaps) // 4]


def _xy_cut(lines: list[Line], rules: Sequence[Rule], line_height: float,
            depth: int = 0) -> list[Line]:
    """Split at horizontal bands first (so table rows stay rows), then at column
    corridors; a block with neither is read row by row. A band must be clearly wider
    than the block's own line spacing: the evenly spaced lines of the two header-block
    columns are not bands, the cell margins between unruled table rows are."""
    if len(lines) <= 1 or depth > 60:
        return sorted(lines, key=lambda ln: (ln.y0, ln.x0))
    size = _median([ln.size for ln in lines])
    band = max(BAND_GAP_LINES * line_height,
               min(_typical_gap(lines) + BAND_OVER_SPACING * line_height,
                   BLANK_LINE * line_height))
    y_cuts = _gaps([(ln.y0, ln.y1) for ln in lines], band)
    y_cuts += _rule_cuts(lines, rules, horizontal=True)
    for cuts, key in ((y_cuts, _yc), (_x_cuts(lines, rules, size), _xc)):
        if cuts:
            parts = _split(lines, cuts, key)
            if len(parts) > 1:
                return [ln for part in parts
                        for ln in _xy_cut(part, rules, line_height, depth + 1)]
    return _leaf_order(lines)


def _x_cuts(lines: list[Line], rules: Sequence[Rule], size: float) -> list[float]:
    cuts = _gaps([(ln.x0, ln.x1) for ln in lines], COLUMN_GAP_EM * size)
    return cuts + _rule_cuts(lines, rules, horizontal=False)


def _yc(line: Line) -> float:
    return line.yc


def _xc(line: Line) -> float:
    return line.xc


def _leaf_order(lines: list[Line]) -> list[Line]:
    """Top to bottom; segments on the same visual row left to right."""
    ordered: list[Line] = []
    for row in rows_of_lines(lines):
        ordered.extend(sorted(row, key=lambda ln: ln.x0))
    return ordered


def rows_of_lines(lines: list[Line]) -> list[list[Line]]:
    """Segments grouped into visual rows, top to bottom: a segment joins the row above
    when it overlaps the row's extent by `LINE_OVERLAP` of the smaller height."""
    rows: list[list[Line]] = []
    y0 = y1 = 0.0  # the extent of the last row
    for ln in sorted(lines, key=lambda ln: (ln.yc, ln.x0)):
        if rows and min(y1, ln.y1) - max(y0, ln.y0) >= LINE_OVERLAP * min(y1 - y0, ln.height):
            rows[-1].append(ln)
            y0, y1 = min(y0, ln.y0), max(y1, ln.y1)
            continue
        rows.append([ln])
        y0, y1 = ln.y0, ln.y1
    return rows


def group_lines(words: Iterable[Word], rules: Sequence[Rule] = ()) -> list[Line]:
    """Words as visual lines in reading order: column by column where the page (or a
    block of it, such as the header block or a table row) is split into columns,
    otherwise top to bottom, left to right. `rules` (the page's ruling lines) let
    table borders separate rows and cells that whitespace alone does not."""
    lines = segments(words, rules)
    if not lines:
        return []
    line_height = _median([ln.y1 - ln.y0 for ln in lines])
    return _xy_cut(lines, list(rules), line_height)


def page_text(page: Page) -> str:
    """The page's text in reading order: one visual line per output line, words
    separated by single spaces, NFC."""
    return "\n".join(line.text for line in group_lines(page.words, page.rules))
