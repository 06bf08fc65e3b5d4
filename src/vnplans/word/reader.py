"""A .docx's body as plain structures: sections, paragraphs and tables in order.

Paragraph text is taken from its runs (also inside hyperlinks, insertions and content
controls); a line break (`w:br`, `w:cr`) starts a new line, a tab is a space, a page
break (`w:br w:type="page"`, "page break before") is kept as a flag. Font size, bold
and italic come from the run, else from its character and paragraph styles, else from
the document defaults. A table keeps Word's grid: each cell knows its first grid
column, its `gridSpan` and its `vMerge` (restart / continue), each row whether it is
marked "repeat as header row" (`w:tblHeader`).

Lengths are points (twips / 20).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from docx.oxml.ns import qn

from vnplans.word.open import WordFile

# Word's own defaults when neither the run, its styles nor the document say.
DEFAULT_SIZE_PT = 10.0
DEFAULT_PAGE_PT = (595.3, 841.9)  # A4 portrait
DEFAULT_MARGIN_PT = 72.0
# Word's default left and right cell margins (0.19 cm).
DEFAULT_CELL_MARGIN_PT = 5.4
# Word allows 63 columns; a larger span or offset is damage.
MAX_GRID_COLUMNS = 63
_TWIPS_PER_PT = 20

Align = Literal["left", "center", "right", "justify"]
# Word's w:jc values → how a line is placed.
_ALIGN: dict[str, Align] = {"left": "left", "start": "left", "center": "center",
                            "right": "right", "end": "right", "both": "justify",
                            "distribute": "justify"}


@cache
def _qn(name: str) -> str:
    """`qn` remembered: the reader asks for the same few tags thousands of times."""
    return qn(name)


# Elements of a paragraph whose runs are its text too (a deletion's are not).
_RUN_HOLDERS = ("w:hyperlink", "w:ins", "w:smartTag", "w:fldSimple", "w:sdtContent")


@dataclass(slots=True)
class Span:
    """Text of one run, with its style."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False


@dataclass(slots=True)
class Paragraph:
    """One paragraph: its lines (line breaks inside it cut lines), each a list of
    styled spans, plus the paragraph formatting the layout needs."""

    lines: list[list[Span]]
    size: float  # the paragraph mark's size (an empty paragraph's height)
    align: Align = "left"
    space_before: float = 0.0
    space_after: float = 0.0
    line_spacing: float = 1.0  # multiple of single spacing
    line_exact: float | None = None  # exact line pitch (pt), when set
    indent_left: float = 0.0
    first_line: float = 0.0
    page_break_before: bool = False
    page_break_after: bool = False  # a page break run inside it (the rest goes on after)

    def texts(self) -> list[str]:
        """The paragraph's lines as text, whitespace collapsed, NFC."""
        out = []
        for spans in self.lines:
            text = " ".join("".join(s.text for s in spans).split())
            out.append(unicodedata.normalize("NFC", text))
        return out

    @property
    def text(self) -> str:
        return " ".join(t for t in self.texts() if t)

    @property
    def bold(self) -> bool:
        """Every character with text is bold (a heading, a section title)."""
        spans = [s for line in self.lines for s in line if s.text.strip()]
        return bool(spans) and all(s.bold for s in spans)


@dataclass(slots=True)
class TableCell:
    col: int  # first grid column
    span: int  # grid columns covered (gridSpan)
    vmerge: Literal["restart", "continue"] | None
    paragraphs: list[Paragraph]

    def texts(self) -> list[str]:
        """The cell's non-empty lines (each paragraph's lines), in order."""
        return [t for p in self.paragraphs for t in p.texts() if t]


@dataclass(slots=True)
class TableRow:
    cells: list[TableCell]
    header: bool = False  # "repeat as header row at the top of each page"


@dataclass(slots=True)
class Table:
    widths: list[float]  # grid column widths (pt)
    rows: list[TableRow]
    align: Align = "left"
    indent: float = 0.0
    cell_margin: float = DEFAULT_CELL_MARGIN_PT

    @property
    def columns(self) -> int:
        used = max((c.col + c.span for r in self.rows for c in r.cells), default=0)
        return max(len(self.widths), used)


@dataclass(slots=True)
class Section:
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float
    new_page: bool = True  # starts on a new page (not a continuous section break)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


Block = Paragraph | Table


@dataclass(slots=True)
class WordDocument:
    """The body in order: (section index, block) pairs, and the sections."""

    path: str
    sha256: str
    sections: list[Section]
    blocks: list[tuple[int, Block]] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for _s, b in self.blocks if isinstance(b, Table)]


def read_word(word: WordFile) -> WordDocument:
    doc = word.document
    styles = _Styles(doc)
    body = doc.element.body  # type: ignore[attr-defined]
    sections: list[Section] = []
    out = WordDocument(word.path, word.sha256, sections)
    index = 0
    for child in body.iterchildren():
        if child.tag == _qn("w:p"):
            out.blocks.append((index, _paragraph(child, styles)))
            sect = child.find(f"{_qn('w:pPr')}/{_qn('w:sectPr')}")
            if sect is not None:
                sections.append(_section(sect))
                index += 1
        elif child.tag == _qn("w:tbl"):
            out.blocks.append((index, _table(child, styles)))
        elif child.tag == _qn("w:sdt"):
            content = child.find(_qn("w:sdtContent"))
            for inner in content.iterchildren() if content is not None else ():
                if inner.tag == _qn("w:p"):
                    out.blocks.append((index, _paragraph(inner, styles)))
                elif inner.tag == _qn("w:tbl"):
                    out.blocks.append((index, _table(inner, styles)))
        elif child.tag == _qn("w:sectPr"):
            sections.append(_section(child))
    if len(sections) <= index:
        sections.append(Section(*DEFAULT_PAGE_PT, *(DEFAULT_MARGIN_PT,) * 4))
    return out


# ------------------------------------------------------------------------ helpers


def _attr(el, name: str) -> str | None:  # noqa: ANN001 - lxml element
    return None if el is None else el.get(_qn(name))


def _on(el) -> bool | None:  # noqa: ANN001
    """A Word on/off property: absent → None, present → its w:val (default on)."""
    if el is None:
        return None
    val = el.get(_qn("w:val"))
    return val is None or val.lower() not in ("0", "false", "off", "none")


def _count(value: str | None, default: int) -> int:
    """A whole-number attribute (gridSpan, gridBefore); `default` when absent or not a
    number a table can have (a damaged file)."""
    try:
        n = int(value) if value is not None else default
    except ValueError:
        return default
    return n if 0 <= n <= MAX_GRID_COLUMNS else default


def _twips(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) / _TWIPS_PER_PT if value is not None else default
    except ValueError:
        return default


class _Styles:
    """Run and paragraph properties inherited from styles and document defaults."""

    def __init__(self, doc) -> None:  # noqa: ANN001
        root = doc.styles.element
        self.by_id = {s.get(_qn("w:styleId")): s for s in root.findall(_qn("w:style"))}
        self.default_p = next((s.get(_qn("w:styleId")) for s in root.findall(_qn("w:style"))
                               if s.get(_qn("w:type")) == "paragraph"
                               and s.get(_qn("w:default")) in ("1", "true", "on")), None)
        defaults = root.find(_qn("w:docDefaults"))
        self.default_rpr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}") \
            if defaults is not None else None
        self.default_ppr = defaults.find(f"{_qn('w:pPrDefault')}/{_qn('w:pPr')}") \
            if defaults is not None else None

        # Style look-ups by (property, styles): every run of a plan asks the same few.
        self._run_styled: dict[tuple[str, str | None, str | None], object | None] = {}
        self._para_styled: dict[tuple[str, str | None], object | None] = {}

    def chain(self, style_id: str | None) -> list:  # noqa: ANN401
        """The style and its bases, nearest first."""
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(_qn("w:basedOn"))
            style_id = _attr(based, "w:val")
        return out

    def run_prop(self, name: str, rpr, char_style: str | None,  # noqa: ANN001
                 para_style: str | None) -> object | None:
        """The nearest element `name` of the run's properties, its character style,
        its paragraph style, the document default."""
        tag = _qn(name)
        if rpr is not None and (el := rpr.find(tag)) is not None:
            return el
        key = (name, char_style, para_style)
        if key not in self._run_styled:
            found = None
            for style in [*self.chain(char_style), *self.chain(para_style)]:
                found = style.find(f"{_qn('w:rPr')}/{tag}")
                if found is not None:
                    break
            if found is None and self.default_rpr is not None:
                found = self.default_rpr.find(tag)
            self._run_styled[key] = found
        return self._run_styled[key]

    def para_prop(self, name: str, ppr, para_style: str | None) -> object | None:  # noqa: ANN001
        tag = _qn(name)
        if ppr is not None and (el := ppr.find(tag)) is not None:
            return el
        key = (name, para_style)
        if key not in self._para_styled:
            found = None
            for style in self.chain(para_style):
                found = style.find(f"{_qn('w:pPr')}/{tag}")
                if found is not None:
                    break
            if found is None and self.default_ppr is not None:
                found = self.default_ppr.find(tag)
            self._para_styled[key] = found
        return self._para_styled[key]


def _paragraph(p, styles: _Styles) -> Paragraph:  # noqa: ANN001
    ppr = p.find(_qn("w:pPr"))
    para_style = _attr(ppr.find(_qn("w:pStyle")) if ppr is not None else None, "w:val") \
        or styles.default_p

    def size_of(rpr, char_style: str | None) -> float:  # noqa: ANN001
        el = styles.run_prop("w:sz", rpr, char_style, para_style)
        val = _attr(el, "w:val")
        try:
            return float(val) / 2 if val else DEFAULT_SIZE_PT
        except ValueError:
            return DEFAULT_SIZE_PT

    lines: list[list[Span]] = [[]]
    page_break = False
    for run in _runs(p):
        rpr = run.find(_qn("w:rPr"))
        char_style = _attr(rpr.find(_qn("w:rStyle")) if rpr is not None else None, "w:val")
        size = size_of(rpr, char_style)
        bold = bool(_on(styles.run_prop("w:b", rpr, char_style, para_style)))
        italic = bool(_on(styles.run_prop("w:i", rpr, char_style, para_style)))
        caps = bool(_on(styles.run_prop("w:caps", rpr, char_style, para_style)))
        vanish = bool(_on(styles.run_prop("w:vanish", rpr, char_style, para_style)))
        if vanish:
            continue
        style = (size, bold, italic)
        pieces, broke = _run_pieces(run)
        page_break = page_break or broke
        for k, piece in enumerate(pieces):
            if k:
                lines.append([])  # a line break inside the paragraph
            if piece:
                lines[-1].append(Span(piece.upper() if caps else piece, *style))
    mark = ppr.find(_qn("w:rPr")) if ppr is not None else None
    jc = _attr(styles.para_prop("w:jc", ppr, para_style), "w:val") or "left"
    align: Align = _ALIGN.get(jc, "left")
    spacing = styles.para_prop("w:spacing", ppr, para_style)
    ind = styles.para_prop("w:ind", ppr, para_style)
    line_spacing, line_exact = 1.0, None
    line = _attr(spacing, "w:line")
    if line is not None:
        rule = _attr(spacing, "w:lineRule") or "auto"
        if rule == "auto":
            line_spacing = _twips(line, 240.0) * _TWIPS_PER_PT / 240.0
        else:
            line_exact = _twips(line)
    return Paragraph(
        lines=lines,
        size=size_of(mark, None),
        align=align,
        space_before=_twips(_attr(spacing, "w:before")),
        space_after=_twips(_attr(spacing, "w:after")),
        line_spacing=line_spacing or 1.0,
        line_exact=line_exact,
        indent_left=_twips(_attr(ind, "w:left") or _attr(ind, "w:start")),
        first_line=_twips(_attr(ind, "w:firstLine")) - _twips(_attr(ind, "w:hanging")),
        page_break_before=bool(_on(styles.para_prop("w:pageBreakBefore", ppr, para_style))),
        page_break_after=page_break,
    )


def _runs(p) -> list:  # noqa: ANN001
    """The paragraph's runs in order, also those inside hyperlinks, insertions, simple
    fields and content controls."""
    run_tag, sdt_tag = _qn("w:r"), _qn("w:sdt")
    holders = {_qn(t) for t in _RUN_HOLDERS}
    out = []
    for child in p.iterchildren():
        tag = child.tag
        if tag == run_tag:
            out.append(child)
        elif tag == sdt_tag:
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                out.extend(_runs(content))
        elif tag in holders:
            out.extend(_runs(child))
    return out


def _run_pieces(run) -> tuple[list[str], bool]:  # noqa: ANN001
    """A run's text cut at its line breaks, and whether it holds a page break."""
    pieces: list[list[str]] = [[]]
    page_break = False
    for el in run.iterchildren():
        tag = el.tag
        if tag == _qn("w:t"):
            pieces[-1].append(el.text or "")
        elif tag in (_qn("w:tab"), _qn("w:ptab")):
            pieces[-1].append(" ")
        elif tag == _qn("w:noBreakHyphen"):
            pieces[-1].append("-")
        elif tag == _qn("w:br") and el.get(_qn("w:type")) in ("page", "column"):
            page_break = True
        elif tag in (_qn("w:br"), _qn("w:cr")):
            pieces.append([])
    return ["".join(p) for p in pieces], page_break


def _cells(tr) -> list:  # noqa: ANN001
    """The row's cells (`w:tc`), also those inside content controls."""
    out = []
    for child in tr.iterchildren():
        if child.tag == _qn("w:tc"):
            out.append(child)
        elif child.tag == _qn("w:sdt"):
            content = child.find(_qn("w:sdtContent"))
            out.extend(_cells(content) if content is not None else [])
    return out


def _table(tbl, styles: _Styles) -> Table:  # noqa: ANN001
    grid = tbl.find(_qn("w:tblGrid"))
    widths = [_twips(_attr(c, "w:w")) for c in grid.findall(_qn("w:gridCol"))] \
        if grid is not None else []
    tpr = tbl.find(_qn("w:tblPr"))
    jc = _attr(tpr.find(_qn("w:jc")) if tpr is not None else None, "w:val") or "left"
    indent = _twips(_attr(tpr.find(_qn("w:tblInd")) if tpr is not None else None, "w:w"))
    rows: list[TableRow] = []
    for tr in tbl.findall(_qn("w:tr")):
        trpr = tr.find(_qn("w:trPr"))
        header = bool(_on(trpr.find(_qn("w:tblHeader")) if trpr is not None else None))
        col = _count(_attr(trpr.find(_qn("w:gridBefore")) if trpr is not None else None,
                           "w:val"), 0)
        cells: list[TableCell] = []
        for tc in _cells(tr):
            tcpr = tc.find(_qn("w:tcPr"))
            span = _count(_attr(tcpr.find(_qn("w:gridSpan")) if tcpr is not None else None,
                                "w:val"), 1)
            vm = tcpr.find(_qn("w:vMerge")) if tcpr is not None else None
            vmerge = None if vm is None else \
                "restart" if vm.get(_qn("w:val")) == "restart" else "continue"
            paragraphs = [_paragraph(p, styles) for p in tc.iter(_qn("w:p"))]
            cells.append(TableCell(col, max(span, 1), vmerge, paragraphs))  # type: ignore[arg-type]
            col += max(span, 1)
        rows.append(TableRow(cells, header))
    align: Align = _ALIGN.get(jc, "left") if jc not in ("both", "distribute") else "left"
    return Table(widths, rows, align, indent)


def _section(sect) -> Section:  # noqa: ANN001
    size = sect.find(_qn("w:pgSz"))
    margins = sect.find(_qn("w:pgMar"))
    kind = _attr(sect.find(_qn("w:type")), "w:val")
    return Section(
        width=_twips(_attr(size, "w:w"), DEFAULT_PAGE_PT[0]),
        height=_twips(_attr(size, "w:h"), DEFAULT_PAGE_PT[1]),
        top=abs(_twips(_attr(margins, "w:top"), DEFAULT_MARGIN_PT)),
        bottom=abs(_twips(_attr(margins, "w:bottom"), DEFAULT_MARGIN_PT)),
        left=_twips(_attr(margins, "w:left"), DEFAULT_MARGIN_PT),
        right=_twips(_attr(margins, "w:right"), DEFAULT_MARGIN_PT),
        new_page=kind != "continuous",
    )


def plain_text(document: WordDocument) -> str:
    """The document's text in order: each paragraph line on its own line, each table
    row on one line with its cells separated by tabs (a cell's lines joined by spaces;
    a cell continuing a vertical merge empty), a form feed between sections."""
    out: list[str] = []
    current = 0
    for index, block in document.blocks:
        if index != current:
            out.append("\f")
            current = index
        if isinstance(block, Paragraph):
            out.extend(block.texts())
            continue
        for row in block.rows:
            cells = ["" if c.vmerge == "continue" else " ".join(c.texts()) for c in row.cells]
            out.append("\t".join(cells))
    return "\n".join(out) + "\n"
