"""An approximate page image of a Word document, for the readers that work on
geometry (the header block and signature reader, `vnplans.layout.header_block`).

Word does not store where its lines fall: a renderer decides. This module sets the
paragraphs and tables down the way a word processor does, only roughly: lines are
wrapped at the text width with an average glyph width per character class, each line
is one line pitch (1.15 × the font size × the paragraph's line spacing, Times New
Roman / Liberation Serif's single spacing) under the one before, paragraph spacing
before and after is kept, table cells sit in their grid columns with Word's cell
margins, a row that does not fit goes to the next page, sections and page breaks start
new pages in the section's size and orientation. The words carry their size, bold
and italic. Where a line wraps may differ from Word's by a word; what the header
block reader looks at — which column a line is in, the blank space between blocks,
the order of the lines, landscape appendix pages — is what Word shows.

The page count of this layout is `source.pages` for Word input: an estimate.
"""

from __future__ import annotations

from functools import lru_cache

from vnplans.ir import Page, Word
from vnplans.word.reader import Paragraph, Section, Span, Table, WordDocument

# A line's pitch is this many font sizes at single spacing (Liberation Serif's
# ascent + descent + line gap)…
LINE_PITCH_EM = 1.15
# …and its words' boxes this many font sizes tall (ascent + descent).
WORD_HEIGHT_EM = 1.1
# Average advance widths (em) of Times New Roman / Liberation Serif: capitals, lower
# case and digits, narrow punctuation; a space.
UPPER_EM = 0.68
LOWER_EM = 0.47
NARROW_EM = 0.28
SPACE_EM = 0.25
_NARROW = frozenset(".,;:!'’‘\"“”()[]/-–|iljtfr")


def char_width(ch: str, size: float) -> float:
    if ch in _NARROW:
        return NARROW_EM * size
    if ch.isupper():
        return UPPER_EM * size
    return LOWER_EM * size


@lru_cache(maxsize=16384)
def text_width(text: str, size: float) -> float:
    # (Plans repeat their words: each is measured once.)
    return sum(char_width(ch, size) for ch in text)


class _Pages:
    """The pages laid out so far, and where the next line goes."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self.pages: list[Page] = []
        self.section = sections[0]
        self.y = 0.0
        self.new_page()

    def new_page(self, section: Section | None = None) -> None:
        if section is not None:
            self.section = section
        s = self.section
        self.pages.append(Page(number=len(self.pages) + 1, width=s.width, height=s.height))
        self.y = s.top

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def bottom(self) -> float:
        return self.section.height - self.section.bottom

    @property
    def at_top(self) -> bool:
        return self.y <= self.section.top + 0.5


def lay_out(document: WordDocument) -> list[Page]:
    """The document's body as pages of words (no rules: borders are not drawn)."""
    out = _Pages(document.sections)
    current = 0
    for index, block in document.blocks:
        if index != current:
            current = index
            section = document.sections[min(index, len(document.sections) - 1)]
            if section.new_page or section.width != out.section.width:
                out.new_page(section)
            else:
                out.section = section
        s = out.section
        if isinstance(block, Paragraph):
            if block.page_break_before and not out.at_top:
                out.new_page()
            _paragraph(out, block, s.left, s.width - s.right, paginate=True)
            if block.page_break_after:
                out.new_page()
        else:
            _table(out, block, s.left, s.width - s.right)
    return out.pages


def _pitch(p: Paragraph, size: float) -> float:
    return p.line_exact if p.line_exact else LINE_PITCH_EM * size * p.line_spacing


def _paragraph(out: _Pages, p: Paragraph, x0: float, x1: float, *, paginate: bool,
               page: Page | None = None, y: float | None = None) -> float:
    """Set the paragraph between x0 and x1 from `y` (default: the running position,
    breaking pages when `paginate`); returns the y under it."""
    y = out.y if y is None else y
    y += p.space_before
    lines = _wrapped(p, x0 + p.indent_left, x1)
    if not lines:
        pitch = _pitch(p, p.size)
        if paginate and y + pitch > out.bottom and not out.at_top:
            out.new_page()
            y = out.y
        y += pitch
    for k, (words, width, left) in enumerate(lines):
        size = max((s.size for _t, s, _w in words), default=p.size)
        pitch = _pitch(p, size)
        if paginate and y + pitch > out.bottom and not out.at_top:
            out.new_page()
            y = out.y
        start = left + (p.first_line if k == 0 else 0.0)
        if p.align == "center":
            start = left + max(0.0, (x1 - left - width) / 2)
        elif p.align == "right":
            start = max(left, x1 - width)
        target = page if page is not None else out.page
        x = start
        top = y + (pitch - WORD_HEIGHT_EM * size) / 2 if pitch > WORD_HEIGHT_EM * size else y
        for text, span, w in words:
            target.words.append(Word(text=text, x0=x, y0=top, x1=x + w,
                                     y1=top + WORD_HEIGHT_EM * span.size, font="Word",
                                     size=span.size, bold=span.bold, italic=span.italic))
            x += w + SPACE_EM * span.size
        y += pitch
        if paginate:
            out.y = y
    y += p.space_after
    if paginate:
        out.y = y
    return y


def _wrapped(p: Paragraph, x0: float, x1: float
             ) -> list[tuple[list[tuple[str, Span, float]], float, float]]:
    """The paragraph's visual lines: (words with their span and width, line width,
    left edge)."""
    out = []
    avail = max(x1 - x0, 10.0)
    for spans in p.lines:
        words: list[tuple[str, Span, float]] = []
        for span in spans:
            for text in span.text.split():
                words.append((text, span, text_width(text, span.size)))
        if not words:
            continue
        line: list[tuple[str, Span, float]] = []
        width = 0.0
        for word in words:
            extra = word[2] + (SPACE_EM * word[1].size if line else 0.0)
            if line and width + extra > avail:
                out.append((line, width, x0))
                line, width = [], 0.0
                extra = word[2]
            line.append(word)
            width += extra
        if line:
            out.append((line, width, x0))
    return out


def _table(out: _Pages, table: Table, x0: float, x1: float) -> None:
    widths = table.widths or [(x1 - x0) / max(table.columns, 1)] * table.columns
    if len(widths) < table.columns:
        widths = widths + [widths[-1]] * (table.columns - len(widths))
    total = sum(widths)
    left = x0 + table.indent
    if table.align == "center":
        left = x0 + (x1 - x0 - total) / 2
    elif table.align == "right":
        left = x1 - total
    edges = [left]
    for w in widths:
        edges.append(edges[-1] + w)
    margin = table.cell_margin
    for row in table.rows:
        for attempt in range(2):
            page = out.page
            mark = len(page.words)
            bottom = out.y
            for cell in row.cells:
                if cell.vmerge == "continue":
                    continue
                cx0 = edges[min(cell.col, len(edges) - 1)] + margin
                cx1 = edges[min(cell.col + cell.span, len(edges) - 1)] - margin
                y = out.y
                for para in cell.paragraphs:
                    y = _paragraph(out, para, cx0, cx1, paginate=False, page=page, y=y)
                bottom = max(bottom, y)
            if bottom <= out.bottom or out.at_top or attempt:
                break
            # The row does not fit: it starts the next page (set again there).
            del page.words[mark:]
            out.new_page()
        out.y = bottom
