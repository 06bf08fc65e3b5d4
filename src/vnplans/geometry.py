"""Geometry on the ground floor: words grouped into lines by baseline, and lines cut
into segments at wide gaps. The table reader, the appendix finder and the signature
stamp remover all group words with these.

A table row's cells are laid out side by side, so a page-wide "line" mixes cells; a
*segment* is a run of words on one line with only word spacing between them — in a
table, the text of one cell on that line.

(`vnplans.layout.reading_order` keeps a grouping of its own, tuned for reading body
text and the header block in order: rows by mean centre and median height, segments at
0.7 em and 1.6 × the row's usual space.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from vnplans.ir import Word


@dataclass(slots=True)
class Line:
    """Words on one baseline and their box. A line's words are not changed once it
    is built (its text is joined once, on first use)."""

    words: list[Word] = field(default_factory=list)
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    _text: str | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = " ".join([w.text for w in self.words])
        return self._text

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def size(self) -> float:
        return max((w.size for w in self.words), default=0.0) or self.height

    @property
    def bold(self) -> bool:
        return bool(self.words) and all(w.bold for w in self.words)


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


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Words grouped into lines (top to bottom), each line's words left to right.

    A word joins a line when its vertical centre lies within the line's box, shrunk a
    little, so superscripts stay on their line and touching lines stay apart.
    """
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
    ly0 = ly1 = low = high = mid = near = 0.0
    for yc, _left, _i, y0, y1, w in ordered:
        if last is not None:
            if low <= yc <= high or abs(yc - mid) < near:
                last_words.append(w)
                if y0 < ly0 or y1 > ly1:
                    if y0 < ly0:
                        ly0 = y0
                    if y1 > ly1:
                        ly1 = y1
                    h = ly1 - ly0
                    low, high, mid, near = ly0 + 0.25 * h, ly1 - 0.2 * h, (ly0 + ly1) * 0.5, 0.3 * h
                continue
            last[0], last[1] = ly0, ly1
            placed = None
            for k in range(len(found) - 2, max(len(found) - 5, -1), -1):
                line = found[k]
                top, bottom = line[0], line[1]
                h = bottom - top
                if top + 0.25 * h <= yc <= bottom - 0.2 * h or abs(yc - (top + bottom) * 0.5) < 0.3 * h:
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
        low, high, mid, near = ly0 + 0.25 * h, ly1 - 0.2 * h, (ly0 + ly1) * 0.5, 0.3 * h
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


def _line_key(line: Line) -> tuple[float, float]:
    return ((line.y0 + line.y1) * 0.5, line.x0)


def segment_breaks(line: Line, gap_em: float = 0.8) -> list[int]:
    """Where `split_segments` cuts the line: the index of every word (after the
    first) that follows a gap wider than `gap_em` × font size."""
    ws = line.words
    breaks: list[int] = []
    prev = ws[0] if ws else None
    for k in range(1, len(ws)):
        w = ws[k]
        size = prev.size if prev.size > w.size else w.size
        if w.x0 - prev.x1 > gap_em * (size or prev.y1 - prev.y0):
            breaks.append(k)
        prev = w
    return breaks


def split_segments(line: Line, gap_em: float = 0.8) -> list[Line]:
    """The line cut wherever the gap between two words exceeds `gap_em` × font size."""
    ws = line.words
    if not ws:
        return []
    breaks = segment_breaks(line, gap_em)
    if not breaks:
        # One run: the line's own box (a line's box is always its words' box) and
        # text, if joined already.
        return [Line(ws[:], line.x0, line.y0, line.x1, line.y1, line._text)]
    segments: list[Line] = []
    start = 0
    for k in breaks:
        segments.append(_box(Line(ws[start:k])))
        start = k
    segments.append(_box(Line(ws[start:])))
    return segments


def line_from_words(words: list[Word]) -> Line:
    return _box(Line(sorted(words, key=lambda w: w.x0)))
