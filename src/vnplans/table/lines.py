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
    line.x0 = min(w.x0 for w in ws)
    line.x1 = max(w.x1 for w in ws)
    line.y0 = min(w.y0 for w in ws)
    line.y1 = max(w.y1 for w in ws)
    return line


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Words grouped into lines (top to bottom), each line's words left to right.

    A word joins a line when its vertical centre lies within the line's box, shrunk a
    little, so superscripts stay on their line and touching lines stay apart.
    """
    ordered = sorted(words, key=lambda w: (w.yc, w.x0))
    lines: list[Line] = []
    open_lines: list[Line] = []
    for w in ordered:
        placed = None
        for line in reversed(open_lines[-4:]):
            h = line.y1 - line.y0
            if line.y0 + 0.25 * h <= w.yc <= line.y1 - 0.2 * h or abs(w.yc - line.yc) < 0.3 * h:
                placed = line
                break
        if placed is None:
            placed = Line([w], w.x0, w.y0, w.x1, w.y1)
            lines.append(placed)
            open_lines.append(placed)
        else:
            placed.words.append(w)
            placed.y0 = min(placed.y0, w.y0)
            placed.y1 = max(placed.y1, w.y1)
            placed.x0 = min(placed.x0, w.x0)
            placed.x1 = max(placed.x1, w.x1)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: (ln.yc, ln.x0))
    return lines


def split_segments(line: Line, gap_em: float = 0.8) -> list[Line]:
    """The line cut wherever the gap between two words exceeds `gap_em` × font size."""
    segments: list[Line] = []
    current: list[Word] = []
    for w in line.words:
        if current:
            prev = current[-1]
            size = max(prev.size, w.size) or prev.height
            if w.x0 - prev.x1 > gap_em * size:
                segments.append(_box(Line(current)))
                current = []
        current.append(w)
    if current:
        segments.append(_box(Line(current)))
    return segments


def line_from_words(words: list[Word]) -> Line:
    return _box(Line(sorted(words, key=lambda w: w.x0)))
