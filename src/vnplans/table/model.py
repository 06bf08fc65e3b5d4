"""The table stage's own structures: columns, table headers, cells and table rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from vnplans.geometry import Line


@dataclass(slots=True)
class Column:
    x0: float
    x1: float
    role: str | None = None
    header: str = ""

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(slots=True)
class Header:
    """A table header found on one page: its zone, the table's extent and columns."""

    page: int
    y0: float
    y1: float
    x0: float
    x1: float
    columns: list[Column]
    # Columns come from vertical rules (True) or from text alignment (False).
    ruled: bool = False

    def role_index(self, role: str) -> int | None:
        for i, col in enumerate(self.columns):
            if col.role == role:
                return i
        return None

    def signature(self) -> tuple[str | None, ...]:
        return tuple(c.role for c in self.columns)


@dataclass(slots=True)
class Cell:
    """The text of one table cell; cells that turn out to be parts of one cell (a
    merged cell split by a page break) are joined by pointing `alias` at the first."""

    lines: list[str] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    alias: Cell | None = None
    # Any line of the cell drawn in bold (section rows are).
    bold: bool = False
    # (page, y0, y1) of every line, to place the text of a merged cell.
    boxes: list[tuple[int, float, float]] = field(default_factory=list)
    # A cell merged across columns: the last column index it covers (its text runs
    # over the boundaries; it sits in its first column). None: one column.
    span_to: int | None = None
    # Lowest OCR word confidence of the cell's text (None: read from a text layer).
    confidence: float | None = None

    def note_confidence(self, value: float) -> None:
        if self.confidence is None or value < self.confidence:
            self.confidence = value

    def root(self) -> Cell:
        cell = self
        while cell.alias is not None:
            cell = cell.alias
        return cell

    def absorb(self, other: Cell) -> None:
        """Append `other`'s text to this cell and make `other` point here."""
        me, them = self.root(), other.root()
        if me is them:
            return
        lines = list(them.lines)
        if me.lines and lines and _dash_inside_name(me.lines, lines[0]):
            # "Chi cục Văn thư" / "- Lưu trữ" cut by a page break: one name, no bullet.
            me.lines[-1] = f"{me.lines[-1]} {lines.pop(0)}"
        me.lines.extend(lines)
        me.boxes.extend(them.boxes)
        me.pages |= them.pages
        me.bold = me.bold or them.bold
        if them.span_to is not None:
            me.span_to = max(me.span_to or 0, them.span_to)
        if them.confidence is not None:
            me.note_confidence(them.confidence)
        them.lines = []
        them.alias = me

    @property
    def empty(self) -> bool:
        return not any(map(str.strip, self.root().lines))


@dataclass(slots=True)
class Band:
    """One row band of a table fragment (between two horizontal boundaries): the cell
    of every column at this band (shared with neighbouring bands when merged), and
    whether that cell starts at this band."""

    page: int
    y0: float
    y1: float
    cells: list[Cell]
    starts: list[bool]
    # Text spanning several columns: (first column, last column) of each span.
    spans: list[tuple[int, int]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    # Rows cut by horizontal rules (False: cut from the text's whitespace).
    ruled: bool = True
    # The cells' text starts at the band's top (None: cannot tell).
    top_aligned: bool | None = None


def _dash_inside_name(before: list[str], line: str) -> bool:
    """Does `line` (from the next page) start with a dash that joins two words of a
    name rather than a bullet item? Only when the text before is no bullet list and
    stops without punctuation."""
    stripped = line.lstrip()
    if stripped[:1] not in ("-", "–") or not before:
        return False
    last = before[-1].rstrip()
    first = before[0].lstrip()
    return bool(last) and not last.endswith((".", ":", ";", "!", "?")) \
        and not first.startswith(("-", "–", "+", "•"))
