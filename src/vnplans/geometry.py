"""Geometry on the ground floor: words grouped into lines by baseline, and lines cut
into segments at wide gaps. The table reader, the appendix finder, the signature
stamp remover, the reading order and the OCR corrections all group words with these.

A table row's cells are laid out side by side, so a page-wide "line" mixes cells; a
*segment* is a run of words on one line with only word spacing between them — in a
table, the text of one cell on that line.

One `Line`, one grouping (`group_lines`) and one segmenter (`split_segments`). Where
their callers need different tolerances they pass a `LineSettings`: the table reader
uses the defaults; the reading order (`vnplans.layout.settings.READING_LINES`)
lets a word join a line from farther away, and cuts segments by a justified line's
usual space and by ruling lines; the OCR corrections
(`vnplans.textlayer.ocr_correct.OCR_TEXT_LINES`) measure sizes by the boxes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import fsum
from operator import attrgetter

from vnplans.ir import Box, Rule, Word


@dataclass(frozen=True, slots=True)
class LineSettings:
    """How words are grouped into lines and lines cut into segments. The defaults are
    the table reader's (cells one above the other must stay apart)."""

    # A word joins a line when its vertical centre is closer to the line's centre than
    # `reach` × the line's height: 0.3 keeps two touching lines of a table (a cell's
    # wrapped lines, or two rows) apart while a superscript stays on its line.
    reach: float = 0.3
    # ... × the smaller of the line's and the word's height (a large word beside two
    # small lines would otherwise chain them).
    reach_of_smaller: bool = False
    # ... or when its centre lies in the line's box shrunk by these shares of its
    # height at the top and at the bottom (0.5, 0.5: no such band).
    band: tuple[float, float] = (0.25, 0.2)
    # Words come top to bottom: only the last `lookback` lines may still take one.
    lookback: int = 4
    # A segment ends at a gap wider than `gap_em` × the font size (a space is about
    # 0.25 em; two table cells are at least two cell margins, Word: 2 × 5.4 pt, apart)
    gap_em: float = 0.8
    # ... and wider than `stretch` × the line's usual space (a justified line
    # stretches all its spaces alike: it stays one segment; 0: not asked).
    stretch: float = 0.0
    # In a line crossed by two or more vertical ruling lines the rules separate the
    # cells: whitespace alone ends a segment only past this many font sizes.
    ruled_gap_em: float = 3.0
    # Measure a word's font size by its box (height / 1.15) even when it has a size:
    # an OCR word's size is guessed from its own glyphs ("ương" has no ascender, "Kiểm"
    # a tall one), its box is the text line's (`ocr.text_line_boxes`).
    size_from_box: bool = False


# The table reader's lines (the signature stamps use them with a wider gap).
TABLE_LINES = LineSettings()


@dataclass(slots=True)
class Line(Box):
    """Words on one baseline, left to right, and their box. A line's words are not
    changed once it is built (its text is joined once, on first use). `Line(words)`
    takes the box of its words; the box may be given when the caller knows it (a
    line's box is always its words' box)."""

    words: list[Word] = field(default_factory=list)
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    _text: str | None = field(default=None, repr=False, compare=False)
    _median_size: float | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.words and self.x0 == self.y0 == self.x1 == self.y1 == 0.0:
            _box(self)

    @property
    def text(self) -> str:
        """The words joined by single spaces, NFC (as words are: a no-op for them; a
        word built elsewhere may not be)."""
        if self._text is None:
            self._text = unicodedata.normalize("NFC", " ".join([w.text for w in self.words]))
        return self._text

    @property
    def size(self) -> float:
        """The largest font size on the line (its height when no word has one)."""
        return max((w.size for w in self.words), default=0.0) or self.height

    @property
    def median_size(self) -> float:
        """The line's usual font size: the median of its words' sizes (its height /
        1.15 when no word has one), not moved by one large or small word."""
        if self._median_size is None:
            sizes = [w.size for w in self.words if w.size > 0]
            self._median_size = median(sizes) if sizes else (self.y1 - self.y0) / 1.15
        return self._median_size

    @property
    def bold(self) -> bool:
        return bool(self.words) and all(w.bold for w in self.words)

    @property
    def italic(self) -> bool:
        return bool(self.words) and all(w.italic for w in self.words)


def median(values: list[float]) -> float:
    """statistics.median (same value) without its overhead: called for every line."""
    data = sorted(values)
    n = len(data)
    return data[n // 2] if n % 2 else (data[n // 2 - 1] + data[n // 2]) / 2


def _box(line: Line) -> Line:
    ws = line.words
    x0, y0, x1, y1 = ws[0].x0, ws[0].y0, ws[0].x1, ws[0].y1
    for w in ws:
        if w.x0 < x0:
            x0 = w.x0
        if w.y0 < y0:
            y0 = w.y0
        if w.x1 > x1:
            x1 = w.x1
        if w.y1 > y1:
            y1 = w.y1
    line.x0, line.y0, line.x1, line.y1 = x0, y0, x1, y1
    return line


def group_lines(words: Iterable[Word], settings: LineSettings = TABLE_LINES) -> list[Line]:
    """Words grouped into lines (top to bottom), each line's words left to right.

    Words are taken by their vertical centre, top to bottom. A word joins one of the
    last `settings.lookback` lines when its centre lies within `settings.reach` of
    the line's height from the line's centre (`reach_of_smaller`: of the smaller of
    the line's and the word's height), or inside the line's box shrunk by `band`, so
    superscripts stay on their line and touching lines stay apart.
    """
    reach = settings.reach
    smaller = settings.reach_of_smaller
    top_share, bottom_share = settings.band
    older = settings.lookback - 1
    # Sorted by centre, then x0, then input order (the index is unique: the box
    # values after it never decide the order, they only save attribute reads below).
    ordered = sorted([((w.y0 + w.y1) * 0.5, w.x0, i, w.y0, w.y1, w)
                      for i, w in enumerate(words)])
    # Open lines as [y0, y1, words]; words come sorted by centre, so only the last
    # few lines can still take a word. Most words join the last line: its top and
    # bottom, and the bounds of the test below, are kept in locals (written back
    # before an older line is tried or a new one opened). The lines' x-extents are
    # only read at the end.
    found: list[list] = []
    last: list | None = None
    last_words: list[Word] = []
    ly0 = ly1 = low = high = mid = near = h = 0.0
    for yc, _left, _i, y0, y1, w in ordered:
        if last is not None:
            if smaller and y1 - y0 < h:
                close = abs(yc - mid) <= reach * (y1 - y0)
            else:
                close = abs(yc - mid) <= near
            if close or low <= yc <= high:
                last_words.append(w)
                if y0 < ly0 or y1 > ly1:
                    if y0 < ly0:
                        ly0 = y0
                    if y1 > ly1:
                        ly1 = y1
                    h = ly1 - ly0
                    low, high = ly0 + top_share * h, ly1 - bottom_share * h
                    mid, near = (ly0 + ly1) * 0.5, reach * h
                continue
            last[0], last[1] = ly0, ly1
            placed = None
            for k in range(len(found) - 2, max(len(found) - 2 - older, -1), -1):
                line = found[k]
                top, bottom = line[0], line[1]
                lh = bottom - top
                wh = y1 - y0 if smaller and y1 - y0 < lh else lh
                if (top + top_share * lh <= yc <= bottom - bottom_share * lh
                        or abs(yc - (top + bottom) * 0.5) <= reach * wh):
                    placed = line
                    break
            if placed is not None:
                placed[2].append(w)
                if y0 < placed[0]:
                    placed[0] = y0
                if y1 > placed[1]:
                    placed[1] = y1
                continue
        ly0, ly1 = y0, y1
        h = ly1 - ly0
        low, high = ly0 + top_share * h, ly1 - bottom_share * h
        mid, near = (ly0 + ly1) * 0.5, reach * h
        last_words = [w]
        last = [ly0, ly1, last_words]
        found.append(last)
    if last is not None:
        last[0], last[1] = ly0, ly1
    lines = []
    for y0, y1, ws in found:
        if len(ws) > 1:
            ws.sort(key=_x0)  # (a C getter: this sort sees every word of the page)
            lines.append(Line(ws, ws[0].x0, y0, max([w.x1 for w in ws]), y1))
        else:
            lines.append(Line(ws, ws[0].x0, y0, ws[0].x1, y1))
    lines.sort(key=_line_key)
    return lines


_x0 = attrgetter("x0")


def overlaps(a: Box, b: Box) -> bool:
    """Do the two boxes share some area (touching edges do not count)?"""
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def shared_area(a: Box, b: Box) -> float:
    """The area the two boxes share (0 when they do not overlap)."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) \
        * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _line_key(line: Line) -> tuple[float, float]:
    return ((line.y0 + line.y1) * 0.5, line.x0)


def _word_size(w: Word) -> float:
    """The word's font size; without one, its height / 1.15 (at least 1 pt)."""
    return w.size if w.size > 0 else _box_size(w)


def _box_size(w: Word) -> float:
    """The font size a word's box height suggests (at least 1 pt)."""
    return max((w.y1 - w.y0) / 1.15, 1.0)


def _ruled_between(prev: Word, word: Word, verticals: Sequence[Rule]) -> bool:
    y = (prev.yc + word.yc) / 2
    return any(prev.xc < (r.x0 + r.x1) / 2 < word.xc
               and min(r.y0, r.y1) <= y <= max(r.y0, r.y1) for r in verticals)


def segment_breaks(line: Line, settings: LineSettings = TABLE_LINES,
                   verticals: Sequence[Rule] = ()) -> list[int]:
    """Where `split_segments` cuts the line: the index of every word (after the
    first) that follows a gap wider than `settings.gap_em` × the larger font size of
    the two words (and than `settings.stretch` × the line's usual space), or a
    vertical ruling line among `verticals`. In a line crossed by two or more of them
    the rules alone separate the cells: a justified cell line ("Công   ty   TNHH")
    keeps its stretched spaces."""
    ws = line.words
    if len(ws) < 2:
        return []
    gaps = [b.x0 - a.x1 for a, b in zip(ws, ws[1:], strict=False)]
    usual = 0.0
    if settings.stretch:
        usual = sorted(gaps)[len(gaps) // 2]
        if not verticals and max(gaps) <= settings.stretch * usual:
            return []  # only word spacing: the whole line (most lines)
    ruled = False
    if verticals:
        yc = fsum([(w.y0 + w.y1) / 2 for w in ws]) / len(ws)
        ruled = sum(1 for r in verticals if min(r.y0, r.y1) <= yc <= max(r.y0, r.y1)) >= 2
    gap_em, wide, ruled_gap_em = settings.gap_em, settings.stretch * usual, settings.ruled_gap_em
    size_of = _box_size if settings.size_from_box else _word_size
    breaks: list[int] = []
    prev_size = size_of(ws[0])
    for k in range(1, len(ws)):
        w = ws[k]
        size = size_of(w)
        larger = prev_size if prev_size > size else size
        gap = gaps[k - 1]
        if ruled:
            cut = gap > ruled_gap_em * larger or _ruled_between(ws[k - 1], w, verticals)
        else:
            cut = (gap > gap_em * larger and gap > wide) or (
                bool(verticals) and _ruled_between(ws[k - 1], w, verticals))
        if cut:
            breaks.append(k)
        prev_size = size
    return breaks


def split_segments(line: Line, settings: LineSettings = TABLE_LINES,
                   verticals: Sequence[Rule] = ()) -> list[Line]:
    """The line cut into segments where `segment_breaks` says."""
    ws = line.words
    if not ws:
        return []
    breaks = segment_breaks(line, settings, verticals)
    if not breaks:
        # One run: the line's own box (a line's box is always its words' box) and
        # text, if joined already.
        return [Line(ws[:], line.x0, line.y0, line.x1, line.y1, line._text)]
    segments: list[Line] = []
    start = 0
    for k in breaks:
        segments.append(Line(ws[start:k]))
        start = k
    segments.append(Line(ws[start:]))
    return segments
