"""Text lines and segments: words grouped by baseline, and lines cut at wide gaps.

A table row's cells are laid out side by side, so a page-wide "line" mixes cells; a
*segment* is a run of words on one line with only word spacing between them — in a
table, the text of one cell on that line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from vnplans.ir import Word


@dataclass(slots=True)
class Line:
    words: list[Word] = field(default_factory=list)
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

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
    ordered = sorted(((w.y0 + w.y1) * 0.5, w.x0, i, w) for i, w in enumerate(words))
    # Open lines as [y0, y1, x0, x1, words]; words come sorted by centre, so only the
    # last few lines can still take a word.
    found: list[list] = []
    for yc, _x, _i, w in ordered:
        placed = None
        for k in range(len(found) - 1, max(len(found) - 5, -1), -1):
            line = found[k]
            y0, y1 = line[0], line[1]
            h = y1 - y0
            if y0 + 0.25 * h <= yc <= y1 - 0.2 * h or abs(yc - (y0 + y1) * 0.5) < 0.3 * h:
                placed = line
                break
        if placed is None:
            found.append([w.y0, w.y1, w.x0, w.x1, [w]])
            continue
        placed[4].append(w)
        if w.y0 < placed[0]:
            placed[0] = w.y0
        if w.y1 > placed[1]:
            placed[1] = w.y1
        if w.x0 < placed[2]:
            placed[2] = w.x0
        if w.x1 > placed[3]:
            placed[3] = w.x1
    lines = []
    for y0, y1, x0, x1, ws in found:
        if len(ws) > 1:
            ws.sort(key=_x0)
        lines.append(Line(ws, x0, y0, x1, y1))
    lines.sort(key=_line_key)
    return lines


def _x0(w: Word) -> float:
    return w.x0


def _line_key(line: Line) -> tuple[float, float]:
    return ((line.y0 + line.y1) * 0.5, line.x0)


def split_segments(line: Line, gap_em: float = 0.8) -> list[Line]:
    """The line cut wherever the gap between two words exceeds `gap_em` × font size."""
    segments: list[Line] = []
    current: list[Word] = []
    prev = None
    for w in line.words:
        if prev is not None:
            size = prev.size if prev.size > w.size else w.size
            if w.x0 - prev.x1 > gap_em * (size or prev.y1 - prev.y0):
                segments.append(_box(Line(current)))
                current = []
        current.append(w)
        prev = w
    if current:
        segments.append(_box(Line(current)))
    return segments


def line_from_words(words: list[Word]) -> Line:
    return _box(Line(sorted(words, key=lambda w: w.x0)))
