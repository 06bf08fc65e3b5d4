"""The appendix table stage for Word documents: Word tables → plan rows.

    rows, tables, warnings = extract_word_rows(document)

A Word table already is a grid, so it joins the PDF path right after the grid step
(`vnplans.table.grid.read_fragment`): each plan table becomes one `Fragment` whose
`Header` columns are the table's grid columns, named by the same header vocabulary and
role code as a PDF header (`vnplans.table.headers.name_roles`), and each body row one
`Band` of `Cell`s — a vertically merged cell (`vMerge`) is one `Cell` shared by every
row it spans, a horizontally merged one (`gridSpan`) holds its text in its first column
and is listed in `Band.spans`. `vnplans.table.rows.assemble` then does the rest exactly
as for a PDF: section rows and their stack, sub-rows, merged-cell fill-down.

Which tables are plan tables: those whose header rows (the rows marked "repeat as
header row", else the leading rows made of header words; a row of column numbers
"(1) (2) …" under them belongs to the header) name enough column roles — the header
block and signature tables never do. A Word table has no pages: rows get no `pages`,
and the table stage's warnings name the table ("table 2: …") instead of a page.
"""

from __future__ import annotations

import re

from vnplans.ir import Page
from vnplans.models import Row, TableInfo
from vnplans.table.build import number_tables
from vnplans.table.headers import Vocabulary, name_roles, vocabulary
from vnplans.table.locate import Fragment, heading_of
from vnplans.table.model import Band, Cell, Column, Header
from vnplans.table.settings import DEFAULTS, TableSettings
from vnplans.vietnamese import collapse
from vnplans.word.reader import Paragraph, Table, TableCell, TableRow, WordDocument

_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?\.?$")
# A table's header is at most this many rows (a three-level header and a row of
# column numbers).
MAX_HEADER_ROWS = 4
# A header cell is short (a task text "Chủ trì, phối hợp …" names a role too).
MAX_HEADER_CELL_WORDS = 8
_PAGE_PREFIX = re.compile(r"^page (\d+): ")


def extract_word_rows(document: WordDocument, *, settings: TableSettings = DEFAULTS
                      ) -> tuple[list[Row], list[TableInfo], list[str]]:
    """All plan rows of the Word document's plan tables in order, the tables they came
    from (numbered, a numbered bold or italic heading paragraph right above a table
    its title and its rows' first section, as for a PDF), plus warnings.

    A table right after a plan table (nothing but empty paragraphs between) that has
    the same columns and either no header or the same one goes on with it: a clerk
    split the table (or Word did, pasting), its rows are whole and keep the section
    path they are under. `settings`: the table reader's tolerances (those that apply
    to rows; a Word table's cells need no geometry)."""
    vocab = vocabulary()
    tables: list[list[tuple[Fragment, list[Band]]]] = []
    warnings: list[str] = []
    number = 0
    # The last plan table read and whether only empty paragraphs followed it so far.
    last: tuple[Fragment, list[Band]] | None = None
    # The last paragraph with text, when only empty paragraphs followed it so far.
    above: Paragraph | None = None
    for _section, block in document.blocks:
        if isinstance(block, Paragraph):
            if block.text:
                last = None
                above = block
            continue
        heading = _heading(above)
        above = None
        number += 1
        read = read_table(block, number, vocab, settings=settings)
        if last is not None and _goes_on(last[0], block, read, settings):
            fragment, bands = last
            more = read[1] if read is not None else \
                body_bands(block.rows, len(fragment.header.columns), number, first_y=0)
            bands.extend(more)
            continue
        if read is None:
            last = None
            continue
        fragment, bands = read
        fragment.heading = heading
        tables.append([(fragment, bands)])
        last = read
        missing = [r for r in ("lead", "deadline") if fragment.header.role_index(r) is None]
        if missing:
            warnings.append(f"table {number}: appendix table has no "
                            f"{' or '.join(missing)} column")
    rows, infos, row_warnings = number_tables(tables, settings=settings)
    for row in rows:
        row.pages = []
    for info in infos:
        info.pages = []
    # (The row stage names the page of a problem: a Word band's page is its table.)
    warnings.extend(_PAGE_PREFIX.sub(r"table \1: ", w) for w in row_warnings)
    return rows, infos, warnings


def _heading(paragraph: Paragraph | None) -> tuple[str, str, str] | None:
    """The table heading a paragraph right above a table prints ("b) Đối với UBND các
    xã"): set apart in bold or italic, short and numbered."""
    if paragraph is None:
        return None
    spans = [span for line in paragraph.lines for span in line if span.text.strip()]
    if not spans or not all(span.bold or span.italic for span in spans):
        return None
    return heading_of(collapse(paragraph.text))


def _goes_on(before: Fragment, table: Table, read: tuple[Fragment, list[Band]] | None,
             settings: TableSettings) -> bool:
    """Is `table` (right after the plan table `before`) more of it?"""
    if table.columns != len(before.header.columns):
        return False
    if read is not None:
        return read[0].header.signature() == before.header.signature()
    return header_span(table, vocabulary(), settings)[1] == 0


def read_table(table: Table, number: int, vocab: Vocabulary | None = None, *,
               settings: TableSettings = DEFAULTS) -> tuple[Fragment, list[Band]] | None:
    """The table as a fragment (its header columns with roles) and its body rows as
    bands; None when its header names no plan columns."""
    vocab = vocab or vocabulary()
    if not table.rows:
        return None
    start, n = header_span(table, vocab, settings)
    if n == start:
        return None
    columns = header_columns(table, start, n, vocab)
    roles = {c.role for c in columns if c.role}
    if not vocab.enough(roles):
        return None
    page = Page(number=number, width=sum(table.widths), height=float(len(table.rows)))
    header = Header(page=number, y0=0.0, y1=float(n), x0=columns[0].x0, x1=columns[-1].x1,
                    columns=columns, ruled=True)
    bands = body_bands(table.rows[n:], len(columns), number, first_y=n)
    fragment = Fragment(page=page, header=header, top=float(n),
                        bottom=float(len(table.rows)), has_header=True,
                        reaches_page_end=False)
    return fragment, bands


def _cell_text(cell: TableCell) -> str:
    return collapse(" ".join(cell.texts()))


def _numbers_row(row: TableRow) -> bool:
    """A row of column numbers: "1 2 3 …" or "(1) (2) …"."""
    texts = [t for t in (_cell_text(c) for c in row.cells) if t]
    return len(texts) >= 3 and all(_COLUMN_NUMBER.match(t) for t in texts)


def _header_like(row: TableRow, vocab: Vocabulary, settings: TableSettings) -> bool:
    """A header row: two or more short cells naming column roles (beside, perhaps, a
    column the vocabulary does not know, "Kinh phí"), or every cell of header words."""
    texts = [t for t in (_cell_text(c) for c in row.cells if c.vmerge != "continue") if t]
    named = sum(1 for t in texts
                if len(t.split()) <= MAX_HEADER_CELL_WORDS and vocab.role_of(t) is not None)
    return bool(texts) and (named >= 2 or all(vocab.role_of(t) is not None
                                              or vocab.header_like(t, settings.header_words_share)
                                              for t in texts))


def header_span(table: Table, vocab: Vocabulary, settings: TableSettings) -> tuple[int, int]:
    """The header's rows [start, end): the leading rows marked "repeat as header row",
    else the first run of rows made of header words among the first few (a title row
    merged across the table may sit above it); then any row of column numbers.
    (k, k) when there is none."""
    rows = table.rows
    n = 0
    while n < len(rows) and rows[n].header:
        n += 1
    start = 0
    if n == 0:
        first = next((k for k in range(min(len(rows), MAX_HEADER_ROWS))
                      if _header_like(rows[k], vocab, settings)), None)
        if first is None:
            return 0, 0
        start = n = first
        while n < min(len(rows), start + MAX_HEADER_ROWS) and (
                _header_like(rows[n], vocab, settings)
                or (n > start and _numbers_row(rows[n]))):
            n += 1
    while n < len(rows) and _numbers_row(rows[n]):
        n += 1
    return start, n


def header_columns(table: Table, start: int, n: int, vocab: Vocabulary) -> list[Column]:
    """One column per grid column, with the header text of the cells over it (a
    group cell over two or more cells below it, "PHÂN CÔNG THỰC HIỆN" over "Chủ trì
    | Phối hợp", names no column) and its role."""
    count = table.columns
    widths = list(table.widths) + [0.0] * (count - len(table.widths))
    texts: list[list[str]] = [[] for _ in range(count)]
    for r in range(start, n):
        for cell in table.rows[r].cells:
            text = _cell_text(cell)
            if cell.vmerge == "continue" or not text or _COLUMN_NUMBER.match(text):
                continue
            if cell.span > 1 and _is_group(table.rows[r + 1:n], cell):
                continue
            # (A cell over several columns with nothing under it names the first: its
            # text is no column of the others.)
            if cell.col < count:
                texts[cell.col].append(text)
    columns: list[Column] = []
    x = 0.0
    for c in range(count):
        columns.append(Column(x0=x, x1=x + max(widths[c], 1.0),
                              header=collapse(" ".join(texts[c]))))
        x = columns[-1].x1
    name_roles(columns, vocab)
    return columns


def _is_group(below: list[TableRow], cell: TableCell) -> bool:
    inside = [c for row in below for c in row.cells
              if c.vmerge != "continue" and cell.col <= c.col < cell.col + cell.span]
    return len(inside) >= 2


def body_bands(rows: list[TableRow], count: int, number: int, first_y: int) -> list[Band]:
    """The body rows as bands: a cell continuing a vertical merge is the same `Cell`
    as the one above (and does not start there)."""
    bands: list[Band] = []
    current: list[Cell | None] = [None] * count
    for i, row in enumerate(rows):
        cells: list[Cell | None] = [None] * count
        starts = [True] * count
        spans: list[tuple[int, int]] = []
        for tc in row.cells:
            if tc.col >= count:
                continue
            last = min(tc.col + tc.span, count) - 1
            if tc.vmerge == "continue" and current[tc.col] is not None:
                cell = current[tc.col]
                starts[tc.col] = False
            else:
                cell = Cell(lines=tc.texts(), pages={number},
                            bold=any(p.bold for p in tc.paragraphs))
                box = (number, float(first_y + i), float(first_y + i + 1))
                cell.boxes = [box] * len(cell.lines)
            cells[tc.col] = cell
            for c in range(tc.col + 1, last + 1):
                # The other columns of a cell merged across: empty, as in a PDF band
                # (the text lands in the span's first column).
                cells[c] = current[c] if tc.vmerge == "continue" and current[c] is not None \
                    else Cell(pages={number})
                starts[c] = tc.vmerge != "continue"
            if last > tc.col:
                spans.append((tc.col, last))
                # (`Row.merged` names the fields a cell merged across covers.)
                cell.span_to = max(cell.span_to or last, last)
        filled = [cell if cell is not None else Cell(pages={number}) for cell in cells]
        current = list(filled)
        bands.append(Band(page=number, y0=float(first_y + i), y1=float(first_y + i + 1),
                          cells=filled, starts=starts, spans=spans, ruled=True))
    return bands
