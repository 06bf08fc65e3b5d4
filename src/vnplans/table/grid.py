"""Columns and row bands of a table fragment (the part of a table on one page).

Columns come from vertical rules when the table has them, otherwise from the header
cells and the body text's x-projection: between two neighbouring header cells the
boundary is where the fewest body words lie.

Row bands come from horizontal rules; a rule missing over a column between two bands
means the column's cell spans both (a vertically merged cell). Without horizontal
rules, bands are cut from the text: at every row number in the TT column, and at
whitespace wider than the spacing of lines inside a cell.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import cache, partial
from itertools import accumulate
from statistics import median

from vnplans.geometry import Line, group_lines, split_segments
from vnplans.ir import Page, Rule, Word, split_rules
from vnplans.table.model import Band, Cell, Column
from vnplans.table.settings import TableSettings

_DETAIL_ROLES = ("lead", "support", "outcome", "deadline")
_TT_VALUE = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ])[.)]?$")
# Specks and underlines that OCR reads after a row number ("I_", "2,", "3'"), and a
# stop typed after it: never part of the number.
TT_NOISE = "_.,'`‘’"


def columns_from_rules(rules: list[Rule], cells: list[Line], top: float,
                       x0: float, x1: float, *, settings: TableSettings) -> list[Column] | None:
    """Columns between the vertical rules under/through the header, when every header
    cell fits inside one of them; None when the table has no usable vertical rules."""
    margin = settings.rule_search_margin
    xs = sorted(r.x0 for r in rules if not r.horizontal and r.y1 > top + settings.rule_below_header
                and x0 - margin <= r.x0 <= x1 + margin and r.y0 < top + settings.rule_search_depth)
    bounds: list[float] = []
    for x in xs:
        if bounds and x - bounds[-1] <= settings.x_tol:
            continue
        bounds.append(x)
    if len(bounds) < 2:
        return None
    slack, pad = settings.rule_edge_slack, settings.rule_outer_pad
    if bounds[0] > x0 + slack:
        bounds.insert(0, x0 - pad)
    if bounds[-1] < x1 - slack:
        bounds.append(x1 + pad)
    columns = [Column(a, b) for a, b in zip(bounds, bounds[1:], strict=False)
               if b - a >= settings.min_column_width]
    for cell in cells:
        best = max(columns, key=lambda c: min(c.x1, cell.x1) - max(c.x0, cell.x0))
        overlap = min(best.x1, cell.x1) - max(best.x0, cell.x0)
        if overlap < settings.header_cell_inside_share * (cell.x1 - cell.x0):
            return None
    if len(columns) < 2:
        return None
    return columns


def columns_from_text(segments: list[Line], cells: list[Line], x0: float,
                      x1: float, *, settings: TableSettings) -> list[Column]:
    """Columns from header cell positions and the x-projection of the body text below
    (`segments`: body lines cut at wide gaps). Between two neighbouring header cells
    the boundary is the middle of the widest run where the fewest segments lie;
    segments that cover the whole run between the two cells (a section title spanning
    the table) say nothing about where the boundary is and are left out."""
    merged: list[list[float]] = []
    for cell in sorted(cells, key=lambda c: c.x0):
        if merged and cell.x0 < merged[-1][1] - settings.header_overlap:
            merged[-1][1] = max(merged[-1][1], cell.x1)
        else:
            merged.append([cell.x0, cell.x1])
    pad = settings.column_pad
    bounds = [merged[0][0] - pad]
    for (_a0, a1), (b0, _b1) in zip(merged, merged[1:], strict=False):
        start, end = (a1, b0) if b0 - a1 >= settings.min_header_gap \
            else ((a1 + b0) / 2 - pad, (a1 + b0) / 2 + pad)
        lo, hi = int(start), int(end) + 1
        # Segments per whole point: +1 where each starts, -1 after it ends, summed up.
        steps = [0] * (hi - lo + 2)
        for seg in segments:
            if seg.x1 < lo or seg.x0 > hi or (seg.x0 <= start and seg.x1 >= end):
                continue
            a, b = max(int(seg.x0), lo) - lo, min(int(seg.x1) + 1, hi) - lo
            if a < b:
                steps[a] += 1
                steps[b] -= 1
        coverage = list(accumulate(steps[:-1]))
        bounds.append(_valley(coverage, lo, start, end))
    # The outer edges: as far as the body text of the first and last columns goes
    # (a header centred in a wide column is narrower than the column).
    first = [seg.x0 for seg in segments
             if bounds[0] - settings.first_column_reach <= seg.x0 and seg.x1 <= bounds[1]]
    bounds[0] = min([bounds[0], *first])
    right = merged[-1][1] + pad
    last = [seg.x1 for seg in segments
            if bounds[-1] <= seg.x0 <= right and seg.x1 <= right + settings.last_column_reach]
    bounds.append(max([right, *last]) + 1)
    return [Column(a, b) for a, b in zip(bounds, bounds[1:], strict=False)]


def _valley(coverage: list[int], lo: int, start: float, end: float) -> float:
    """The middle of the longest run of least coverage between start and end."""
    a = max(int(start) - lo, 0)
    b = min(int(end) - lo, len(coverage) - 1)
    if b <= a:
        return (start + end) / 2
    window = coverage[a:b + 1]
    least = min(window)
    best_len, best_mid, run_start = 0, (start + end) / 2, None
    for i, value in enumerate(window + [least + 1]):
        if value == least and run_start is None:
            run_start = i
        elif value != least and run_start is not None:
            if i - run_start > best_len:
                best_len = i - run_start
                best_mid = lo + a + (run_start + i - 1) / 2 + 0.5
            run_start = None
    return best_mid


def column_of(columns: list[Column], x: float) -> int:
    for i, col in enumerate(columns):
        if col.x0 <= x < col.x1:
            return i
    return 0 if x < columns[0].x0 else len(columns) - 1


def side_by_side(columns: list[Column]) -> bool:
    """Do the columns lie side by side left to right, none overlapping another?"""
    return all(c.x0 <= c.x1 for c in columns) and all(
        a.x1 <= b.x0 for a, b in zip(columns, columns[1:], strict=False))


def column_finder(columns: list[Column]) -> Callable[[float], int]:
    """`column_of` for many x: a binary search when the columns lie side by side
    left to right (always so far), else `column_of` itself."""
    x0s = [c.x0 for c in columns]
    x1s = [c.x1 for c in columns]
    if not side_by_side(columns):
        return partial(column_of, columns)
    first, last = x0s[0], len(columns) - 1

    def find(x: float) -> int:
        # Only the last column starting at or left of x can hold it.
        i = bisect_right(x0s, x) - 1
        if i >= 0 and x < x1s[i]:
            return i
        return 0 if x < first else last
    return find


def is_tt_value(text: str) -> bool:
    text = text.strip()
    return bool(_TT_VALUE.match(text.rstrip(TT_NOISE) or text))


# ----------------------------------------------------------------------------- bands


def read_fragment(page: Page, columns: list[Column], *, top: float, bottom: float,
                  ruled_columns: bool, tt_col: int | None,
                  page_lines: list[Line] | None = None,
                  settings: TableSettings) -> list[Band]:
    """The table between `top` and `bottom` on `page` as bands of cells.
    `ruled_columns`: the columns come from vertical rules; `tt_col`: the row-number
    column, if any. `page_lines`: `group_lines(page.words)` when the caller has them
    (saves grouping the words again, band by band, where that gives the same lines)."""
    left, right = columns[0].x0, columns[-1].x1
    margin = settings.word_margin

    @cache
    def table_words() -> list[Word]:
        # The page's words inside the table, by their centre. (Only read where rows
        # are cut from the text or the page's lines cannot be used: most tables
        # need not look at every word of the page again.)
        return [w for w in page.words if top <= (w.y0 + w.y1) * 0.5 <= bottom
                and left - margin <= (w.x0 + w.x1) * 0.5 <= right + margin]

    @cache
    def text_widths() -> list[float]:
        return _text_widths(table_words(), columns, ruled_columns)

    horizontal, vertical = split_rules(page.rules)
    h_rules = _row_rules(horizontal, columns, top, bottom, settings)
    edges, covered = _rule_edges(h_rules, columns, top, bottom, settings=settings)
    ruled_rows = len(edges) > 2 or _closed_at_bottom(horizontal, columns, bottom, settings)
    if not ruled_rows:
        edges, covered = _text_edges(table_words(), columns, top, bottom, tt_col,
                                     settings=settings, ocr=page.text_source == "ocr")
    lines_by_band = None
    if page_lines is not None:
        lines_by_band = _band_lines(page_lines, edges, top, bottom, left - margin,
                                    right + margin)
    if lines_by_band is None:
        lines_by_band = _group_band_words(table_words(), edges)
    boundary_rules = _boundary_rules(vertical, columns, top, bottom, settings) \
        if ruled_columns else None
    filler = _CellFiller(page.number, columns, text_widths, settings,
                         ocr=page.text_source == "ocr")
    bands: list[Band] = []
    for i in range(len(edges) - 1):
        y0, y1 = edges[i], edges[i + 1]
        lines = lines_by_band[i]
        if not lines and y1 - y0 < settings.empty_band:
            continue
        cells, starts = filler.open_cells(covered[i])
        groups = _column_groups(lines, columns, boundary_rules, y0, y1, settings=settings)
        spans = [(a, b) for a, b in groups if b > a]
        owner = _column_owners(groups, len(columns))
        per_col = filler.lines_by_column(lines, owner)
        tops = filler.fill(cells, per_col, spans, owner)
        bands.append(Band(page=page.number, y0=y0, y1=y1, cells=cells, starts=starts,
                          spans=spans, lines=lines, ruled=ruled_rows,
                          top_aligned=_starts_level(lines, tops, settings)))
    return bands


def _row_rules(horizontal: list[Rule], columns: list[Column], top: float, bottom: float,
               settings: TableSettings) -> list[Rule]:
    """The horizontal rules inside the fragment (not its frame) that cover enough of
    a column to cut rows."""
    left, right = columns[0].x0, columns[-1].x1
    min_width = min(c.width for c in columns)
    frame = settings.frame_slack
    return [r for r in horizontal if top + frame < r.y0 < bottom - frame
            and min(r.x1, right) - max(r.x0, left) >= settings.rule_cover_share * min_width]


def _closed_at_bottom(horizontal: list[Rule], columns: list[Column], bottom: float,
                      settings: TableSettings) -> bool:
    """Does a rule across the table close it at `bottom`? A ruled table shows a rule at
    its bottom (the table's end or the page break); only a table without one has its
    rows cut from the text."""
    left, right = columns[0].x0, columns[-1].x1
    return any(abs(r.y0 - bottom) <= settings.bottom_rule_tol
               and min(r.x1, right) - max(r.x0, left) >= settings.rule_cover_share * (right - left)
               for r in horizontal)


def _boundary_rules(vertical: list[Rule], columns: list[Column], top: float, bottom: float,
                    settings: TableSettings) -> list[list[Rule]]:
    """The vertical rules along each inner column boundary, inside the fragment."""
    left, right = columns[0].x0, columns[-1].x1
    v_rules = [r for r in vertical if r.y1 > top and r.y0 < bottom
               and left - settings.x_tol <= r.x0 <= right + settings.x_tol]
    return [[r for r in v_rules if abs(r.x0 - col.x1) <= settings.x_tol]
            for col in columns[:-1]]


def _group_band_words(words: list[Word], edges: list[float]) -> list[list[Line]]:
    """Each band's lines, grouped from the words whose centre lies in it."""
    by_band: list[list[Word]] = [[] for _ in range(len(edges) - 1)]
    last = len(edges) - 2
    for w in words:
        i = bisect_right(edges, (w.y0 + w.y1) * 0.5) - 1
        by_band[0 if i < 0 else last if i > last else i].append(w)
    return [group_lines(band_words) for band_words in by_band]


def _column_owners(groups: list[tuple[int, int]], n: int) -> list[int]:
    """For each column, the first column of the cell merged over it (itself if none)."""
    owner = list(range(n))
    for a, b in groups:
        for c in range(a, b + 1):
            owner[c] = a
    return owner


def _starts_level(lines: list[Line], tops: list[float], settings: TableSettings) -> bool | None:
    """Do the band's cells start level (top-aligned)? None with fewer than three
    cells holding text (too few to tell)."""
    if len(tops) < 3:
        return None
    size = median([w.size or w.y1 - w.y0 for line in lines for w in line.words]) \
        if lines else settings.default_size
    return max(tops) - min(tops) < settings.level_em * size


class _CellFiller:
    """Puts one fragment's band lines into cells, band after band: a cell open over
    several bands (not closed by a rule or cut) gathers the lines of each."""

    def __init__(self, page: int, columns: list[Column],
                 text_widths: Callable[[], list[float]], settings: TableSettings, *,
                 ocr: bool = False) -> None:
        self.page = page
        # The page's words were read by OCR: cells keep their least sure word's confidence.
        self.ocr = ocr
        self.columns = columns
        self.text_widths = text_widths
        self.settings = settings
        self.find = column_finder(columns)
        self.separate = side_by_side(columns)
        self.current: list[Cell | None] = [None] * len(columns)
        # The last line put in each cell on this page (a line filling its cell may go on
        # in the next one, see `_forced_break`).
        self.last_piece: dict[int, list[Word]] = {}

    def open_cells(self, closed: list[bool]) -> tuple[list[Cell], list[bool]]:
        """The band's cells: a new one in each column the edge above closes (or where
        none is open yet), else the one open above; and which of them start here."""
        starts = []
        cells = []
        for c in range(len(self.columns)):
            if self.current[c] is None or closed[c]:
                self.current[c] = Cell(pages={self.page})
                starts.append(True)
            else:
                starts.append(False)
            cells.append(self.current[c])
        return cells, starts

    def lines_by_column(self, lines: list[Line], owner: list[int]) -> list[list[list[Word]]]:
        """A column's lines are the band's lines cut by column (words on one baseline
        always share a band line); a merged cell's words go to its first column."""
        columns, find, separate = self.columns, self.find, self.separate
        per_col: list[list[list[Word]]] = [[] for _ in columns]
        for line in lines:
            pieces: dict[int, list[Word]] = {}
            # The column of the word before (its x-range while columns lie side by
            # side): most words are in the same column as the one before them.
            lo = hi = 0.0
            piece: list[Word] = []
            for w in line.words:
                xc = (w.x0 + w.x1) * 0.5
                if lo <= xc < hi:
                    piece.append(w)
                    continue
                k = find(xc)
                c = owner[k]
                got = pieces.get(c)
                if got is None:
                    piece = pieces[c] = [w]
                else:
                    piece = got
                    piece.append(w)
                if separate:
                    lo, hi = columns[k].x0, columns[k].x1
            for c, piece in pieces.items():
                per_col[c].append(piece)
        return per_col

    def fill(self, cells: list[Cell], per_col: list[list[list[Word]]],
             spans: list[tuple[int, int]], owner: list[int]) -> list[float]:
        """Add each column's lines to its cell; the top of each filled cell's first
        line in this band."""
        tops = []
        n = len(self.columns)
        for c, col_lines in enumerate(per_col):
            if not col_lines:
                continue
            cell = cells[c]
            for a, b in spans:
                if a == c:
                    # Text of one cell merged across columns a..b (it lands in a).
                    cell.span_to = max(cell.span_to or b, b)
            alone = owner[c] == c and (c + 1 == n or owner[c + 1] != c)
            tops.append(self._add_lines(cell, col_lines, c, alone))
            cell.pages.add(self.page)
        return tops

    def _add_lines(self, cell: Cell, col_lines: list[list[Word]], c: int,
                   alone: bool) -> float:
        """Add the lines to the cell, joining a word broken at the cell's edge (only in
        a cell of one column); the top of the first line."""
        number = self.page
        for piece in col_lines:
            w = piece[0]
            low, high, bold = w.y0, w.y1, w.bold
            for w in piece:
                if w.y0 < low:
                    low = w.y0
                if w.y1 > high:
                    high = w.y1
                if not w.bold:
                    bold = False
            before = self.last_piece.get(id(cell))
            self.last_piece[id(cell)] = piece
            if alone and before is not None and _may_break(before, piece, self.settings) \
                    and _forced_break(before, piece, self.text_widths()[c]):
                # One word broken at the cell edge: it goes on without a space.
                cell.lines[-1] += " ".join([w.text for w in piece])
                pg, a, b = cell.boxes[-1]
                cell.boxes[-1] = (pg, min(a, low), max(b, high))
                continue
            cell.lines.append(" ".join([w.text for w in piece]))
            cell.boxes.append((number, low, high))
            if bold:
                cell.bold = True
            if self.ocr:
                cell.note_confidence(min(w.confidence for w in piece))
        return min(w.y0 for w in col_lines[0])


def _band_lines(page_lines: list[Line], edges: list[float], top: float, bottom: float,
                left: float, right: float) -> list[list[Line]] | None:
    """Each band's lines (bands between `edges`; the words whose centre lies in the
    box top, bottom, left, right, as `read_fragment` takes them) taken
    from the page's lines; None where that could differ from grouping each band's
    words on their own.

    `group_lines` takes words by their vertical centre and only ever joins a word to
    one of the last few lines it opened. Bands cut the page's words by vertical
    centre, so a band's words come one after another, after all words above it: while
    no page line mixes words of two bands (or of a band and the page outside the
    table), the lines a band's words open and join are the ones grouping the band
    alone gives, in the same order. Words beside the table at a band's height (left
    out of the band) would break that, so they also give None."""
    last = len(edges) - 2
    out: list[list[Line]] = [[] for _ in range(last + 1)]

    def band_of(yc: float) -> int:
        # As `read_fragment` sorts words into bands; -1 above, last + 1 below.
        if yc < top:
            return -1
        if yc > bottom:
            return last + 1
        i = bisect_right(edges, yc) - 1
        return 0 if i < 0 else last if i > last else i

    for line in page_lines:
        # The band is monotone in the centre: the highest and lowest words tell.
        ycs = [(w.y0 + w.y1) * 0.5 for w in line.words]
        band = band_of(min(ycs))
        if band != band_of(max(ycs)):
            return None
        if 0 <= band <= last:
            xcs = [(w.x0 + w.x1) * 0.5 for w in line.words]
            if min(xcs) < left or max(xcs) > right:
                return None
            out[band].append(line)
    return out


def _may_break(before: list[Word], piece: list[Word], settings: TableSettings) -> bool:
    """Could `piece` be the rest of a word that `before` (the cell's line above) broke
    at the cell's edge? Word and LibreOffice break a word longer than its cell's
    width there, without hyphen: a row number ("1." / "1", "II" / "I") or a date
    ("31/01/20" / "24") in a narrow column. The line above is that one word; the
    break falls between digits, capitals or a "." or "/" and a digit or capital (never
    before a capitalised word: "Quý" / "III/2024", "2023" / "Trước" are wraps)."""
    if len(before) != 1 or not piece:
        return False
    head, tail = before[0].text, piece[0].text
    last, first, second = head[-1], tail[0], tail[1:2]
    if not (last.isdigit() or last.isupper() or last in "./"):
        return False
    if not (first.isdigit() or (first.isupper() and not second.islower())):
        return False
    size = max(before[0].size, piece[0].size) or before[0].height
    return 0 < piece[0].y0 - before[0].y0 < settings.word_break_em * size


def _forced_break(before: list[Word], piece: list[Word], width: float) -> bool:
    """The word of the line above and the first letter of `piece` would not fit in
    the column's text width: the word filled its line and was broken there."""
    word, nxt = before[0], piece[0]
    letter = (nxt.x1 - nxt.x0) / max(len(nxt.text), 1)
    return (word.x1 - word.x0) + letter > width


def _text_widths(words: list[Word], columns: list[Column], ruled: bool) -> list[float]:
    """The width text can take in each column: between a ruled column's rules less
    the cell margins (Word's are equal in every cell; the least indent of text inside
    a column is one), else the widest line seen inside the column."""
    inside: list[list[Line]] = [[] for _ in columns]
    for line in group_lines(words):
        for seg in split_segments(line):
            c = column_of(columns, seg.xc)
            if columns[c].x0 <= seg.x0 and seg.x1 <= columns[c].x1:
                inside[c].append(seg)
    widest = [max((s.x1 - s.x0 for s in segs), default=0.0) for segs in inside]
    if not ruled:
        return widest
    indents = [s.x0 - col.x0 for col, segs in zip(columns, inside, strict=False) for s in segs]
    margin = max(min(indents, default=0.0), 0.0)
    return [max(col.width - 2 * margin, w) for col, w in zip(columns, widest, strict=False)]


def _rule_edges(h_rules: list[Rule], columns: list[Column], top: float, bottom: float, *,
                settings: TableSettings) -> tuple[list[float], list[list[bool]]]:
    """Band edges from horizontal rules, and for each edge which columns it closes."""
    ys = sorted({round(r.y0, 1) for r in h_rules})
    clusters: list[list[float]] = []
    for y in ys:
        if clusters and y - clusters[-1][-1] <= settings.rule_cluster:
            clusters[-1].append(y)
        else:
            clusters.append([y])
    # Each rule's cluster (clusters lie over 1.5 pt apart: a rule is within 0.1 pt
    # of its own only), its rules in their order.
    cluster_of = {y: k for k, cl in enumerate(clusters) for y in cl}
    members: list[list[Rule]] = [[] for _ in clusters]
    for r in h_rules:
        members[cluster_of[round(r.y0, 1)]].append(r)
    edges = [top]
    covered: list[list[bool]] = [[True] * len(columns)]
    for cl, rules in zip(clusters, members, strict=True):
        y = sum(cl) / len(cl)
        cov = []
        for col in columns:
            got = sum(max(0.0, min(r.x1, col.x1) - max(r.x0, col.x0)) for r in rules)
            cov.append(got >= settings.rule_cover_share * col.width)
        if not any(cov):
            continue
        edges.append(y)
        covered.append(cov)
    edges.append(bottom)
    covered.append([True] * len(columns))
    return edges, covered


def _column_groups(lines: list[Line], columns: list[Column],
                   boundary_rules: list[list[Rule]] | None,
                   y0: float, y1: float, *, settings: TableSettings) -> list[tuple[int, int]]:
    """Runs of columns that form one cell in this band (horizontally merged).
    `boundary_rules`: the vertical rules along each inner boundary (None: columns
    not from rules)."""
    n = len(columns)
    open_boundary = [False] * (n - 1)
    if boundary_rules is not None:
        height = max(y1 - y0, 1.0)
        for j in range(n - 1):
            cover = sum(max(0.0, min(r.y1, y1) - max(r.y0, y0)) for r in boundary_rules[j])
            open_boundary[j] = cover < settings.rule_cover_share * height
        # A boundary without a rule only merges cells when text actually crosses it.
        # (Where rules close every boundary, as in most bands, no text need be looked at.)
        if any(open_boundary):
            crossing = _crossed(lines, columns, settings)
            open_boundary = [o and c for o, c in zip(open_boundary, crossing, strict=False)]
    else:
        open_boundary = _crossed(lines, columns, settings)
    groups: list[tuple[int, int]] = []
    start = 0
    for j in range(n - 1):
        if not open_boundary[j]:
            groups.append((start, j))
            start = j + 1
    groups.append((start, n - 1))
    return groups


def _has_alnum(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _crossed(lines: list[Line], columns: list[Column], settings: TableSettings) -> list[bool]:
    """For each inner column boundary: does the text run across it? Every line with
    words on both sides must cross it (a word over it, or the words on either side
    only a word space apart): one line of a cell ending close to the next column's
    text is no spanning title. Only the words of the two columns beside the boundary
    count: a row's task and outcome text on one baseline says nothing about the
    boundary between the lead and support columns between them."""
    n = len(columns)
    crossing = [0] * (n - 1)
    both = [0] * (n - 1)
    bounds = [(j, columns[j].x1) for j in range(n - 1)]
    for line in lines:
        # (A speck or a border's remains read as "-" or "." between a scanned row
        # number and its task is no text running across the boundary.)
        every = line.words
        if every[0].origin == "ocr":
            every = [w for w in every if _has_alnum(w.text)]
            if not every:
                continue
        reach = settings.over_boundary_em * (every[0].size or every[0].height)
        for j, x in bounds:
            if not (every[0].x0 < x - reach and every[-1].x1 > x + reach):
                continue
            lo, hi = columns[j].x0, columns[j + 1].x1
            ws = [w for w in every if w.x1 > lo and w.x0 < hi]
            if not ws or not (ws[0].x0 < x - reach and ws[-1].x1 > x + reach):
                continue
            both[j] += 1
            for k, w in enumerate(ws):
                if w.x0 < x - reach and w.x1 > x + reach:
                    crossing[j] += 1
                    break
                if (w.x0 + w.x1) * 0.5 > x:
                    if k:
                        prev = ws[k - 1]
                        size = max(w.size, prev.size) or w.height
                        if w.x0 - prev.x1 < settings.span_gap_em * size:
                            crossing[j] += 1
                    break
    return [c > 0 and c == b for c, b in zip(crossing, both, strict=False)]


def _text_edges(words: list[Word], columns: list[Column], top: float, bottom: float,
                tt_col: int | None, *, settings: TableSettings,
                ocr: bool = False) -> tuple[list[float], list[list[bool]]]:
    """Band edges of a table without horizontal rules, and which columns each edge
    closes (a paragraph running on across an edge is one merged cell). `ocr`: the
    words were read from a scan (`TableSettings.ocr_baseline_error`)."""
    n = len(columns)
    if not words:
        return [top, bottom], [[True] * n, [True] * n]
    col_lines = _column_lines(words, columns)
    size = median([w.size or w.height for w in words])
    threshold = _row_gap(col_lines, size, settings)
    edges = _whitespace_edges(col_lines, top, threshold)
    task_col = next((c for c, col in enumerate(columns) if col.role == "task"), None)
    top_aligned = False
    if tt_col is not None:
        top_aligned = _numbers_top_aligned(col_lines, columns, tt_col, threshold, size, settings)
        edges.extend(_number_edges(col_lines, tt_col, task_col, threshold, top_aligned,
                                   edges, settings))
    hard = _tight_number_edges(col_lines, tt_col, edges, settings) if tt_col is not None else []
    if ocr and tt_col is not None:
        # A scanned row number a little closer under the one above than the row
        # threshold: a cut in every column (its lines were placed a point off). In
        # top-aligned cells a number starts its own task's first line, so the same
        # holds under a long task: a section row "5 Thủ tục hành chính công" a point
        # closer under the last line of row 4.2's task than the row threshold.
        near = _number_edges(col_lines, tt_col, task_col, threshold, top_aligned, edges,
                             settings, number_gap=threshold - settings.ocr_baseline_error,
                             gap_below=None if top_aligned else threshold)
        edges.extend(near)
        hard.extend(near)
    if tt_col is not None and task_col is not None and top_aligned:
        hard.extend(_unnumbered_row_edges(col_lines, columns, tt_col, task_col,
                                          threshold, size, [*edges, *hard], settings))
    edges.extend(e for e in hard if e not in edges)
    edges.extend(_sub_row_edges(col_lines, columns, top, bottom, threshold, edges, settings))
    edges.append(bottom)
    edges.sort()
    edges, snapped = _snap_to_row_tops(edges, col_lines, settings)
    hard = hard + snapped
    return edges, _edges_closing(edges, col_lines, threshold, hard, settings)


def _column_lines(words: list[Word], columns: list[Column]) -> list[list[Line]]:
    """Each column's text lines (its words grouped on their own)."""
    per_col: list[list[Word]] = [[] for _ in columns]
    find = column_finder(columns)
    for w in words:
        per_col[find(w.xc)].append(w)
    return [group_lines(ws) for ws in per_col]


def _row_gap(col_lines: list[list[Line]], size: float, settings: TableSettings) -> float:
    """The least whitespace between two rows: a little over the gap between lines of
    one cell."""
    gaps: list[float] = []
    for lines in col_lines:
        for a, b in zip(lines, lines[1:], strict=False):
            gaps.append(b.y0 - a.y1)
    # Gaps between lines inside a cell are the most common ones; gaps between rows
    # are rarer and wider.
    gaps.sort()
    line_gap = min(gaps[int(len(gaps) * settings.line_gap_quantile)] if gaps
                   else settings.default_line_gap_em * size, settings.max_line_gap_em * size)
    # Word's smallest cell spacing leaves more between rows than between paragraphs
    # of one cell, whatever the text size (`TableSettings.row_gap_extra`).
    return line_gap + settings.row_gap_extra


def _whitespace_edges(col_lines: list[list[Line]], top: float, threshold: float) -> list[float]:
    """`top` and the middle of every whitespace across every column at least
    `threshold` tall."""
    spans = sorted((ln.y0, ln.y1) for lines in col_lines for ln in lines)
    cuts: list[tuple[float, float]] = []
    reach = spans[0][1]
    for y0, y1 in spans[1:]:
        if y0 > reach:
            cuts.append((reach, y0))
        reach = max(reach, y1)
    return [top] + [(a + b) / 2 for a, b in cuts if b - a >= threshold]


def _numbered_lines(col_lines: list[list[Line]], tt_col: int) -> list[Line]:
    return [ln for ln in col_lines[tt_col] if is_tt_value(ln.text.split()[0])]


def _numbers_top_aligned(col_lines: list[list[Line]], columns: list[Column], tt_col: int,
                         threshold: float, size: float, settings: TableSettings) -> bool:
    """Are the cells top-aligned (a number level with its task's first line)? Centred
    cells put text above a number that belongs to its own row. Judged on the
    unit/outcome/deadline cells near each number: a one-line task sits level with its
    number either way."""
    numbers = _numbered_lines(col_lines, tt_col)
    detail_starts = [blk[0] for c, col in enumerate(columns) if col.role not in ("tt", "task")
                     for blk in _paragraphs(col_lines[c], threshold)]
    near = [b for b in numbers
            if any(abs(y - b.y0) < settings.near_number_em * size for y in detail_starts)]
    level = sum(1 for b in near
                if any(abs(y - b.y0) < settings.level_em * size for y in detail_starts))
    return level >= settings.top_aligned_share * len(near)


def _number_edges(col_lines: list[list[Line]], tt_col: int, task_col: int | None,
                  threshold: float, top_aligned: bool, edges: list[float],
                  settings: TableSettings, *, number_gap: float | None = None,
                  gap_below: float | None = None) -> list[float]:
    """A row number with text above it in its band starts a row that no whitespace
    across the table separates (a merged cell's paragraph bridges the gap): cut where
    the fewest columns have text, between the row number and the text above. Only
    where cells are top-aligned does the first number get a cut above it. The number
    keeps `number_gap` (default: `threshold`) from the number above, and less than
    `gap_below` when that is given."""
    if number_gap is None:
        number_gap = threshold
    slack = settings.slack
    blocks = [_paragraphs(lines, number_gap) for lines in col_lines]
    first_text = min(ln.y0 for lines in col_lines for ln in lines)
    found = [*edges]
    previous = None
    for b in _numbered_lines(col_lines, tt_col):
        if previous is None and not top_aligned:
            previous = b
            continue
        lower = previous.y1 if previous is not None else first_text
        previous = b
        if b.y0 - lower < number_gap or any(lower <= e <= b.y0 for e in found[1:]):
            continue
        if gap_below is not None and b.y0 - lower >= gap_below:
            continue
        edge = _sparsest(blocks, lower, b.y0, settings)
        # The number's own task paragraph must start below the cut (a number
        # centred beside a longer task would otherwise cut its own row).
        own = [blk for blk in (blocks[task_col] if task_col is not None else [])
               if blk[0] <= b.yc <= blk[1]]
        # …and some text must end above it (else it is all this row's own text).
        ended = any(lower - slack <= blk[1] <= b.y0 for col in blocks for blk in col)
        if edge is not None and ended and not (own and own[0][0] < edge - slack):
            found.append(edge)
    return found[len(edges):]


def _sub_row_edges(col_lines: list[list[Line]], columns: list[Column], top: float,
                   bottom: float, threshold: float, edges: list[float],
                   settings: TableSettings) -> list[float]:
    """Sub-rows under a merged TT/task cell: whitespace across every other column with
    text of those columns both above and below it."""
    details = [c for c, col in enumerate(columns) if col.role not in ("tt", "task")]
    if len(details) < 2:
        return []
    slack = settings.slack
    detail_blocks = sorted(b for c in details for b in _paragraphs(col_lines[c], threshold))
    sorted_edges = sorted(edges)
    out: list[float] = []
    for (_a0, a1), (b0, _b1) in _detail_gaps(detail_blocks):
        if b0 - a1 < threshold or any(a1 - slack <= e <= b0 + slack for e in sorted_edges):
            continue
        lo = max((e for e in sorted_edges if e <= a1), default=top)
        hi = min((e for e in sorted_edges if e >= b0), default=bottom)
        above = sum(1 for c in details if any(lo <= y0 and y1 <= a1 + slack
                                              for y0, y1 in _paragraphs(col_lines[c], threshold)))
        below = sum(1 for c in details if any(y0 >= b0 - slack and y1 <= hi
                                              for y0, y1 in _paragraphs(col_lines[c], threshold)))
        # A sub-row cut by the page break shows only part of its cells.
        if above >= 2 and (below >= 2 or (below >= 1 and hi >= bottom - slack)):
            out.append((a1 + b0) / 2)
    return out


def _edges_closing(edges: list[float], col_lines: list[list[Line]], threshold: float,
                   hard: list[float], settings: TableSettings) -> list[list[bool]]:
    """For each edge, which columns it closes: not those with a line across it, nor
    those whose lines run on across it at line spacing (a merged cell's paragraph),
    unless it is a hard edge (a cut at a row number in a tight table is a line
    boundary in every column: the cells above and below are not one merged cell)."""
    covered = [[True] * len(col_lines) for _ in edges]
    overlap = settings.line_overlap
    for c, lines in enumerate(col_lines):
        for line in lines:
            for i, e in enumerate(edges):
                if line.y0 + overlap < e < line.y1 - overlap:
                    covered[i][c] = False
        for a, b in zip(lines, lines[1:], strict=False):
            if b.y0 - a.y1 >= threshold:
                continue
            for i, e in enumerate(edges):
                if a.yc < e < b.yc and e not in hard:
                    covered[i][c] = False
    return covered


def _tight_number_edges(col_lines: list[list[Line]], tt_col: int,
                        edges: list[float], settings: TableSettings) -> list[float]:
    """Row cuts of a table whose rows have no vertical space between them (a
    borderless Word table with 0 pt cell spacing): the whitespace and number cuts
    then separate few of the numbered rows, and a human reads the rows from the TT
    column, where each new number opens a row. Only applied when most numbered
    lines are not separated yet (tables with row spacing keep their cuts), and only
    where no line of any column runs across the cut."""
    numbers = [ln for ln in col_lines[tt_col]
               if ln.words and is_tt_value(ln.words[0].text)]
    if len(numbers) < 2:
        return []
    cut = sorted(edges[1:])
    slack = settings.slack
    separated = sum(1 for a, b in zip(numbers, numbers[1:], strict=False)
                    if any(a.y1 - slack <= e <= b.y0 + slack for e in cut))
    if separated >= settings.tight_separated_share * (len(numbers) - 1):
        return []
    every = [ln for lines in col_lines for ln in lines]
    first_text = min(ln.y0 for ln in every)
    out: list[float] = []
    for b in numbers:
        above = [ln.y1 for ln in every if ln.y1 <= b.y0 + slack and ln is not b]
        if not above or b.y0 - first_text < settings.line_overlap:
            continue
        # A cut the other rules already made above this number is kept as is, and
        # made a boundary in every column like the new ones.
        made = [x for x in cut if max(above) - slack <= x <= b.y0 + slack]
        if made:
            out.extend(made)
            continue
        e = (max(above) + b.y0) / 2
        if any(ln.y0 + slack < e < ln.y1 - slack for ln in every):
            continue
        out.append(e)
    return out


def _unnumbered_row_edges(col_lines: list[list[Line]], columns: list[Column], tt_col: int,
                          task_col: int, threshold: float, size: float,
                          edges: list[float], settings: TableSettings) -> list[float]:
    """Row cuts above a row without a number in a top-aligned table without row
    spacing: no whitespace and no number mark it, but its task starts a new paragraph
    (the line above ends a sentence, this one starts with a capital, or whitespace
    lies between them) level with new text in two or more unit/outcome/deadline
    columns whose cells above ended earlier. A paragraph of a cell mid-row never
    starts level with new cells beside it; a merged cell (empty here) or an extra
    column (Ghi chú) running on beside it says nothing either way."""
    details = [c for c, col in enumerate(columns) if col.role in _DETAIL_ROLES]
    if len(details) < 2:
        return []
    every = [ln for lines in col_lines for ln in lines]
    tolerance = settings.level_em * size
    slack = settings.slack
    out: list[float] = []
    task_lines = col_lines[task_col]
    for above, line in zip(task_lines, task_lines[1:], strict=False):
        if any(ln.y0 < line.y1 and ln.y1 > line.y0 for ln in col_lines[tt_col]):
            continue
        gap = line.y0 - above.y1
        new_paragraph = gap >= threshold or (
            above.text.rstrip().endswith((".", ";", "!", "?")) and line.text[:1].isupper())
        if not new_paragraph:
            continue
        fresh = 0
        for c in details:
            level = next((ln for ln in col_lines[c] if abs(ln.y0 - line.y0) < tolerance), None)
            if level is None:
                continue
            before = [ln.y1 for ln in col_lines[c]
                      if ln.y1 <= level.y0 + slack and ln is not level]
            if not before or level.y0 - max(before) >= threshold:
                fresh += 1
        if fresh < 2:
            continue
        cut = (max(ln.y1 for ln in every if ln.y1 <= line.y0 + slack and ln.y0 < line.y0 - slack)
               + line.y0) / 2
        if any(ln.y0 + slack < cut < ln.y1 - slack for ln in every):
            continue
        if any(above.y1 - slack <= e <= line.y0 + slack for e in edges):
            continue
        out.append(cut)
    return out


def _detail_gaps(blocks: list[tuple[float, float]]):
    """Consecutive (block above, block below) pairs of the union of blocks."""
    merged: list[tuple[float, float]] = []
    for y0, y1 in blocks:
        if merged and y0 <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], y1))
        else:
            merged.append((y0, y1))
    return list(zip(merged, merged[1:], strict=False))


def _paragraphs(lines: list[Line], threshold: float) -> list[tuple[float, float]]:
    """Vertical extents of runs of lines closer than `threshold` (one cell's text)."""
    out: list[tuple[float, float]] = []
    for ln in lines:
        if out and ln.y0 - out[-1][1] < threshold:
            out[-1] = (out[-1][0], max(out[-1][1], ln.y1))
        else:
            out.append((ln.y0, ln.y1))
    return out


def _sparsest(blocks: list[list[tuple[float, float]]], lo: float, hi: float,
              settings: TableSettings) -> float | None:
    """Where to cut between lo and hi: the stretch where most columns change from one
    paragraph to the next (text above and below it, none across), then where the
    fewest paragraphs run across it (merged cells), then the longest; its middle."""
    bound, edge = settings.sparse_bound_slack, settings.sparse_edge_slack
    if hi - lo < bound:
        return None
    marks = sorted({lo, hi, *[y for col in blocks for block in col for y in block if lo < y < hi]})
    best: tuple[int, int, float, float] | None = None
    for y0, y1 in zip(marks, marks[1:], strict=False):
        mid = (y0 + y1) / 2
        count = sum(1 for col in blocks if any(a <= mid <= b for a, b in col))
        turns = sum(1 for col in blocks
                    if any(lo - bound <= b <= y0 + edge for _a, b in col)
                    and any(y1 - edge <= a <= hi + bound for a, _b in col)
                    and not any(a < mid < b for a, b in col))
        key = (turns, -count, y1 - y0, mid)
        if best is None or key > best:
            best = key
    return best[3] if best is not None else None


def _snap_to_row_tops(edges: list[float], col_lines: list[list[Line]],
                      settings: TableSettings) -> tuple[list[float], list[float]]:
    """An edge through a text line, just above a line where three or more columns
    start text together (a top-aligned row's first line) and that line follows at line
    spacing: the rows have no spacing, so the row starts at that line; the edge moves
    there and is a boundary in every column. Returns (all edges, sorted; the moved
    ones, which are hard boundaries)."""
    every = [ln for lines in col_lines for ln in lines]
    overlap, slack = settings.line_overlap, settings.slack
    out = [edges[0]]
    snapped: list[float] = []
    for e in edges[1:-1]:
        through = [ln for ln in every if ln.y0 + overlap < e < ln.y1 - overlap]
        if through:
            low = max(ln.y1 for ln in through)
            below = [ln for ln in every if ln.y0 >= low - slack]
            if below:
                start = min(ln.y0 for ln in below)
                level = [ln for ln in below if ln.y0 - start < overlap]
                height = max(ln.height for ln in through)
                if len(level) >= settings.row_top_columns \
                        and start - low < settings.row_top_gap_share * height:
                    snug = (low + start) / 2
                    if not any(ln.y0 + slack < snug < ln.y1 - slack for ln in every):
                        e = snug
                        snapped.append(e)
        out.append(e)
    out.append(edges[-1])
    return sorted(out), snapped
