"""Bands of cells → appendix rows.

- A band is one row unless it only continues cells from the band above.
- A merged cell is one `Cell` object shared by every band it spans, so every row
  gets its text (also when a page break joins its parts: `Cell.absorb`).
- Page breaks (the first band of a page that carries a table over):
  - an empty TT cell with text that reads as a continuation (no task, a cell going
    on in lower case, bullet items, a task announcing a list with ":") is the rest of
    the previous row — unless its deadline (or lead and support) start afresh, which
    makes it a sub-row under a TT/task cell whose text stayed on the page before;
  - a row whose number sits on this page (a vertically centred TT cell) completes a
    number-less part at the foot of the previous page;
  - merged cells cut by the break: an empty lead here, a cell going on in lower case
    or after a dangling word ("… và"), or an empty lead on the previous page beside a
    lead here, are parts of one cell.
- A band with neither number nor task but its own unit cells is a sub-row of the row
  above (its TT and task cells span both).
- Tables without rules: an empty lead is part of a merged lead cell (every plan row
  names a lead): the one above for top-aligned cells, else the nearest.
- A band whose only text is a number plus a title (spanning the columns, or leaving
  every unit/outcome/deadline cell empty) is a section row: it goes on the section
  stack (by numbering level) that the rows below carry as `section`. At the top of a
  carried-over page, plain task text without a number beside empty cells is the rest
  of the row above instead (`continues_as_text`): a section has its own numbering or
  is set in bold.
- A cell merged across columns (its text runs over the boundaries) gives its whole
  text to its first column; the row lists the columns' roles in `merged`
  (`merged_roles`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import get_args

from vnplans import knowledge
from vnplans.models import Role, Row, SectionRef
from vnplans.table.grid import TT_NOISE, is_tt_value
from vnplans.table.locate import Fragment
from vnplans.table.model import Band, Cell, Column
from vnplans.table.sections import (
    fix_sequence,
    fix_sibling_titles,
    glued_numeral,
    glued_readings,
    section_level,
)
from vnplans.table.settings import DEFAULTS, TableSettings
from vnplans.textlayer.ocr_case import respell_phrase
from vnplans.textlayer.ocr_marks import drop_unpaired_marks, marks_only, speck_cell
from vnplans.textlayer.ocr_tt import number_between
from vnplans.vietnamese import collapse, is_bullet, join_lines

ROLES = ("tt", "task", "lead", "support", "inspected", "outcome", "deadline", "duration")
DETAIL_ROLES = ("lead", "support", "inspected", "outcome", "deadline", "duration")
# Cells of columns that fill no role are kept under this prefix and their header text
# (`Row.extra`): printed text is never dropped.
EXTRA = "extra:"

_NUMBERING = re.compile(
    r"^(?P<tt>(?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ]))(?P<sep>[.)]|\s*[:–-])\s+(?P<rest>\S.*)$",
    re.S)


def _starts_upper(text: str) -> bool:
    """Does the text start with a capital letter (a new entry, not "10/12/2023" or a
    bullet going on)?"""
    first = text.lstrip()[:1]
    return first.isalpha() and first.isupper()


def _starts_lower(text: str) -> bool:
    """Does the text start with a lower-case letter (after opening brackets or
    quotes): a sentence going on from the part before? "6 tháng" does not."""
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if ch not in "([“\"'‘ ":
            return False
    return False


@dataclass
class _Row:
    cells: dict[str, Cell]
    bands: list[Band]
    span: bool = False
    parent: _Row | None = None
    # The role of every column of the table (None: a column that maps to no role).
    columns: tuple[str | None, ...] = ()


def text_of(cell: Cell | None) -> str | None:
    if cell is None:
        return None
    return _joined(tuple(cell.root().lines))


@lru_cache(maxsize=4096)
def _joined(lines: tuple[str, ...]) -> str | None:
    # The same cells are read many times while rows are put together.
    return join_lines(lines) or None


@lru_cache(maxsize=4096)
def clean_tt(text: str | None) -> str | None:
    # (Row numbers are compared row after row with the one above: read each once.)
    if not text:
        return None
    t = collapse(text).rstrip(TT_NOISE + ")").strip()
    return t or None


def assemble(tables: list[list[tuple[Fragment, list[Band]]]], *,
             settings: TableSettings = DEFAULTS) -> tuple[list[Row], list[str]]:
    """The rows of every table, in reading order (`Row.table` not set: see
    `vnplans.table.build.extract_tables`)."""
    rows: list[Row] = []
    warnings: list[str] = []
    for number, table in enumerate(tables, start=1):
        table_rows, table_warnings = assemble_table(table, settings=settings)
        for row in table_rows:
            row.table = number
        rows.extend(table_rows)
        warnings.extend(table_warnings)
    return rows, warnings


def assemble_table(table: list[tuple[Fragment, list[Band]]], *,
                   settings: TableSettings = DEFAULTS) -> tuple[list[Row], list[str]]:
    """The rows of one table (its fragments page by page, with their bands)."""
    return _assemble_table(table, settings)


def _roles(fragment: Fragment) -> dict[str, int]:
    """Column index per role, and per `EXTRA` + header for the columns of no role."""
    out: dict[str, int] = {}
    for i, col in enumerate(fragment.header.columns):
        if col.role in ROLES and col.role not in out:
            out[col.role] = i
    for name, i in extra_columns(fragment.header.columns).items():
        out[EXTRA + name] = i
    return out


def extra_columns(columns: list[Column]) -> dict[str, int]:
    """The columns that fill no role, by their header text (the key of `Row.extra`):
    "Ghi chú", "Kinh phí", a second "Chủ trì" … A column without header text is
    "Cột N" (its place, from 1); a header printed twice gets " (2)", " (3)" …"""
    out: dict[str, int] = {}
    taken: set[str] = set()
    for i, col in enumerate(columns):
        if col.role in ROLES:
            continue
        name = col.header or f"Cột {i + 1}"
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        out[name] = i
    return out


def _assemble_table(table: list[tuple[Fragment, list[Band]]], settings: TableSettings
                    ) -> tuple[list[Row], list[str]]:
    """The rows of one table: its bands joined into rows (`_raw_rows`), cells merged
    over several rows shared by them, then each row made a plan `Row` under its
    section path."""
    _empty_speck_cells(table)
    raw = _raw_rows(table, settings)
    _share_parent_cells(raw)
    # (merged cells beyond the lead column cannot be told from empty ones without rules)
    _fill_empty_leads(raw, settings)
    return _plan_rows(raw)


def _empty_speck_cells(table: list[tuple[Fragment, list[Band]]]) -> None:
    """Empty the OCR'd cells that hold only specks before any row is put together: a
    section row with dust in an empty cell stays a section row, and no task row gets
    a lead or deadline "-".
    - unsure marks alone in a cell ("-", ".", "ˆ": `ocr_marks.speck_cell`);
    - marks alone in the TT cell of a carried-over page's first row whose cells go on
      in lower case (the rest of the row above, "được giao tại Kế hoạch này …", whose
      empty TT cell read "-" at 0.91): no row number is marks, no row starts mid-sentence."""
    for index, (fragment, bands) in enumerate(table):
        tt = fragment.header.role_index("tt")
        first = index > 0
        for band in bands:
            for cell in band.cells:
                root = cell.root()
                if root.confidence is not None and speck_cell(text_of(root), root.confidence):
                    _empty_cell(root)
            if not first or not _starts_text(band):
                continue
            first = False
            if tt is None:
                continue
            number = band.cells[tt].root()
            if number.confidence is not None and marks_only(text_of(number)) and any(
                    (text := text_of(cell)) and _starts_lower(text)
                    for k, cell in enumerate(band.cells) if k != tt):
                _empty_cell(number)


def _empty_cell(cell: Cell) -> None:
    cell.lines, cell.boxes = [], []
    cell.bold, cell.confidence = False, None


def _raw_rows(table: list[tuple[Fragment, list[Band]]], settings: TableSettings) -> list[_Row]:
    """The table's bands, page after page, as rows: a band that starts cells opens a
    row unless it goes on with the row above (more paragraphs of its cells, the rest
    of a row cut by the page break, a lead-in paragraph's items)."""
    raw: list[_Row] = []
    top_aligned = _top_aligned([band for _fragment, bands in table for band in bands], settings)
    for index, (fragment, bands) in enumerate(table):
        roles = _roles(fragment)
        carried = index > 0
        first = True
        for band in bands:
            if not _starts_text(band):
                continue
            cells = {role: band.cells[i] for role, i in roles.items()}
            span = _is_span(band, roles)
            goes_on = _paragraphs_go_on(band, cells, raw[-1] if raw else None, span, roles)
            if goes_on:
                # Paragraph spacing inside a cell of a table without rules cuts it
                # like a row boundary: bullet items without a number, or one more
                # paragraph of a deadline, outcome or support cell, are the next
                # paragraphs of the row above.
                # (Extra columns, "Ngân sách" / "tỉnh", go on with the cells beside them.)
                _join_band(raw[-1], band, cells, [*goes_on, *_extras(cells)])
                first = False
                continue
            if raw and _shares_task(cells, raw[-1], span):
                # A sub-row with the same number as the row above whose task goes on
                # in lower case after an unfinished part: the task cell is merged over
                # both sub-rows (cut by a page break, or by a number cut in a table
                # without rules); both rows get the whole text.
                raw[-1].cells["task"].absorb(cells["task"])
            if first and carried and raw and (
                    _continues(band, cells, roles, raw[-1], span)
                    # The row started at the bottom of the previous page without its
                    # number (a vertically centred TT cell lands on the larger part).
                    or _completes(band, cells, raw[-1], span)):
                # Empty parts are joined too: a merged cell continuing from the previous
                # page is empty here but shared with the rows below.
                _join_band(raw[-1], band, cells, list(cells))
                first = False
                continue
            row = _Row(cells=cells, bands=[band], span=span,
                       columns=tuple(col.role for col in fragment.header.columns))
            if raw and _leads_in(raw[-1], cells):
                # A task's lead-in paragraph ("…, trong đó:") set apart from its bullet
                # items by paragraph spacing, the number centred beside the items:
                # no section, the first part of this row's task (docs/table-reading.md, H11).
                lead_in = raw.pop()
                lead_in.cells["task"].absorb(cells["task"])
                row.bands = [*lead_in.bands, band]
            if first and carried and raw and not span and not _is_section(raw[-1]):
                _join_cells_cut_by_page_break(raw[-1], row, cells, top_aligned)
            first = False
            # A band with neither number nor task but its own unit/outcome cells is a
            # sub-row of the row above whose TT and task cells span it.
            # (Decided at the end: a band at the foot of a page may instead be the
            # first part of a row whose number is on the next page.)
            if (raw and not span and _empty(cells, "tt") and _empty(cells, "task")
                    and not _is_section(raw[-1])):
                row.parent = raw[-1]
            raw.append(row)
    return raw


def _starts_text(band: Band) -> bool:
    """Does a cell holding text start in this band (else it only continues cells)?"""
    return any(band.starts[i] and not band.cells[i].empty for i in range(len(band.cells)))


def _join_band(prev: _Row, band: Band, cells: dict[str, Cell], roles: list[str]) -> None:
    """The band goes on with the row above: its cells of these roles join the row's."""
    for role in roles:
        if role in prev.cells:
            prev.cells[role].absorb(cells[role])
    prev.bands.append(band)


def _join_cells_cut_by_page_break(prev: _Row, row: _Row, cells: dict[str, Cell],
                                  top_aligned: bool) -> None:
    """The first row of a page (`row`, its `cells`) shares merged cells with the last
    row of the page before (`prev`) that the page break cut."""
    # A merged cell that a page break cuts keeps its text on the first page: the top
    # row of the next page shows the cell empty. A plan row always names its lead, so
    # an empty lead there is such a cell; other empty cells only beside it (an empty
    # support cell alone is just empty).
    lead_merged = "lead" in cells and cells["lead"].empty and not _empty(prev.cells, "lead")
    # Likewise a cell here that goes on with a lower-case word (or after a dangling
    # "… và") is the rest of a merged cell begun on the previous page.
    for role in (*DETAIL_ROLES, *_extras(cells)):
        if role not in cells or _empty(prev.cells, role) or _is_section(row):
            continue
        text = text_of(cells[role])
        if (text is None and lead_merged) or (text is not None and (
                _starts_lower(text) or _dangles(text_of(prev.cells[role])))):
            prev.cells[role].absorb(cells[role])
    # And a merged cell whose centred text fell on this page leaves the previous
    # page's row without a lead: every row has one, so an empty lead there (with the
    # cells beside it that are empty too) is this cell. (Not in a top-aligned table
    # without rules: there the empty lead is the foot of a merged cell whose text is
    # higher up on that page.)
    if not _is_section(row) and not _is_section(prev) and "lead" in cells \
            and _empty(prev.cells, "lead") and not cells["lead"].empty \
            and not (top_aligned and not prev.bands[0].ruled):
        for role in DETAIL_ROLES:
            if role in cells and _empty(prev.cells, role) and not cells[role].empty:
                prev.cells[role].absorb(cells[role])


def _share_parent_cells(raw: list[_Row]) -> None:
    """A sub-row without number and task of its own takes those of the row whose TT
    and task cells span it."""
    for row in raw:
        if row.parent is not None and _empty(row.cells, "tt") and _empty(row.cells, "task"):
            for role in ("tt", "task"):
                if role in row.parent.cells:
                    row.cells[role] = row.parent.cells[role]


def _plan_rows(raw: list[_Row]) -> tuple[list[Row], list[str]]:
    """The plan rows, each under the section rows above it, and warnings; section rows
    and rows without text give none."""
    warnings: list[str] = []
    out: list[Row] = []
    stack: list[tuple[float, SectionRef]] = []
    refs = {id(row): ref for row in raw if _is_section(row) and (ref := _section_ref(row))}
    _fix_sections([(refs[id(row)], _read_by_ocr(row)) for row in raw if id(row) in refs])
    numbers = _fix_row_numbers(raw, refs)
    for row in raw:
        if _is_section(row):
            ref = refs.get(id(row))
            if ref is None:
                continue
            level = section_level(ref.tt)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, ref))
            continue
        plan_row = _plan_row(row, [ref for _lvl, ref in stack], warnings, numbers.get(id(row)))
        if plan_row is not None:
            out.append(plan_row)
    return out, warnings


def _plan_row(row: _Row, section: list[SectionRef], warnings: list[str],
              number: str | None = None) -> Row | None:
    """The plan row of a (non-section) raw row under `section`; None when it holds no
    text. A problem goes into `warnings`. `number`: its row number put back
    (`_fix_row_numbers`)."""
    merged = merged_roles(row.cells, row.columns)
    values = {role: _final_text(cell, role) for role, cell in row.cells.items()}
    if not any(values.values()):
        return None
    pages = sorted({b.page for b in row.bands if _band_has_text(b)} or {row.bands[0].page})
    if number is not None:
        values["tt"] = number
    tt = clean_tt(values.get("tt"))
    if tt and not is_tt_value(tt) and not values.get("task"):
        # A task cell merged over the TT column: its text landed in the TT cell.
        values["task"], tt = values.get("tt"), None
    if values.get("task") is None and values.get("inspected") is None:
        warnings.append(f"page {pages[0]}: row {tt or '?'} has no task text")
    return Row(
        tt=tt,
        section=[ref.model_copy() for ref in section],
        task=values.get("task"),
        lead=values.get("lead"),
        support=values.get("support"),
        outcome=values.get("outcome"),
        deadline=values.get("deadline"),
        inspected=values.get("inspected"),
        duration=values.get("duration"),
        extra={key[len(EXTRA):]: text for key, text in values.items()
               if key.startswith(EXTRA) and text},
        pages=pages,
        merged=merged,
        confidence=_row_confidence(row),
    )


def _final_text(cell: Cell | None, role: str) -> str | None:
    """A cell's text as the plan row gets it: an OCR'd cell (it has a confidence)
    without the border marks at its edges (`drop_unpaired_marks`; not earlier: a
    dash ending a cell part says it goes on after the page break); an OCR'd deadline
    that is a whole phrase of deadlines.yaml but for marks and case in that phrase's
    spelling ("Thường Xuyên", "Thường xuyền": "Thường xuyên")."""
    text = text_of(cell)
    if text is None or cell is None or cell.root().confidence is None:
        return text
    text = drop_unpaired_marks(text) or None
    if text is not None and role == "deadline":
        text = respell_phrase(text, _whole_deadline_phrases())
    return text


@cache
def _whole_deadline_phrases() -> tuple[str, ...]:
    """Deadlines that are a whole cell: work that never stops, a time left open."""
    data = knowledge.load("deadlines")
    return tuple(p for kind in ("continuous", "unspecified") for p in data.get(kind, ()))


def _extras(cells: dict[str, Cell]) -> list[str]:
    """The keys of the cells of extra columns (no role) that hold text."""
    return [key for key, cell in cells.items() if key.startswith(EXTRA) and not cell.empty]


_CONTRACT_ROLES = frozenset(get_args(Role))


def merged_roles(cells: dict[str, Cell], columns: tuple[str | None, ...]) -> list[str]:
    """The roles one cell of the row covers when it is merged across columns
    (["lead", "support"]), the first of them holding its text; empty when none is.
    Text of the other covered columns (a line of the cell that a page break left on
    one side of the boundary) is joined to the first, so the cell comes back whole."""
    first_col = {role: columns.index(role) for role in cells if role in columns}
    for role, col in sorted(first_col.items(), key=lambda item: item[1]):
        cell = cells[role].root()
        if role == "tt" or cell.span_to is None or cell.span_to <= col:
            continue
        # (Only the contract's roles: a column such as "Ghi chú" is no field.)
        covered = [r for r in columns[col:cell.span_to + 1] if r in _CONTRACT_ROLES]
        if len(covered) < 2 or "task" in covered[1:]:
            continue
        for other in covered[1:]:
            if other in cells and cells[other].root() is not cell and not cells[other].empty:
                cell.absorb(cells[other])
        return covered
    return []


def _row_confidence(row: _Row) -> float | None:
    """The lowest OCR word confidence of the row's cells (None: no cell was OCR'd)."""
    values = [c.root().confidence for c in row.cells.values() if c.root().confidence is not None]
    return round(min(values), 2) if values else None


def _band_has_text(band: Band) -> bool:
    return bool(band.lines) or any(not cell.empty for cell in band.cells)


def _empty(cells: dict[str, Cell], role: str) -> bool:
    cell = cells.get(role)
    return cell is None or cell.empty


def _is_span(band: Band, roles: dict[str, int]) -> bool:
    """Text spanning from the TT or task column over the detail columns (or, in an
    inspection plan, from the inspected unit's column: the first after TT there)."""
    for role in ("task", "inspected"):
        column = roles.get(role)
        if column is not None and any(a <= column < b for a, b in band.spans):
            return True
    return False


def _is_section(row: _Row) -> bool:
    if row.span:
        return True
    if all(_empty(row.cells, r) for r in DETAIL_ROLES):
        if _empty(row.cells, "tt"):
            # An unnumbered title is never a bullet item.
            task = text_of(row.cells.get("task"))
            return bool(task) and not is_bullet(task.split("\n")[0])
        return True
    return _inspection_title(row)


def _inspection_title(row: _Row) -> bool:
    """A bold title in an inspection plan's unit column with every other cell but the
    TT empty ("I | KINH DOANH XĂNG DẦU, KHÍ", short enough to stay inside its cell
    of the merged title row): a section, not a unit inspected without a time."""
    cell = row.cells.get("inspected")
    if cell is None or cell.empty or not cell.root().bold:
        return False
    return all(cell.empty for role, cell in row.cells.items() if role not in ("tt", "inspected"))


def _fix_sections(sections: list[tuple[SectionRef, bool]]) -> None:
    """Put back what OCR broke in the table's sections, each (section, read by OCR), in
    order: numerals out of their siblings' sequence, a title's first word lost where
    its siblings share the phrase (`vnplans.table.sections`)."""
    glued = [glued_numeral(ref.title) if ref.tt is None else None for ref, _ocr in sections]
    fixed = fix_sequence([(ref.tt, ocr) for ref, ocr in sections], glued)
    for (ref, _ocr), tt, word in zip(sections, fixed, glued, strict=True):
        if word and tt and tt in glued_readings(word):
            # Its numeral was read into the title cell ("Ih NHIỆM VỤ CHUNG").
            ref.title = ref.title.split(maxsplit=1)[1]
        if tt != ref.tt:
            # (A section of a numeral alone is titled by it.)
            ref.title, ref.tt = ((tt or "") if ref.title == (ref.tt or "") else ref.title), tt
    # Siblings: the sections of one level under one parent (index, -1: the top).
    groups: dict[tuple[int, float], list[int]] = {}
    stack: list[tuple[float, int]] = []
    for k, (ref, _ocr) in enumerate(sections):
        level = section_level(ref.tt)
        while stack and stack[-1][0] >= level:
            stack.pop()
        groups.setdefault((stack[-1][1] if stack else -1, level), []).append(k)
        stack.append((level, k))
    for members in groups.values():
        titles = fix_sibling_titles([(sections[k][0].title, sections[k][1]) for k in members])
        for k, title in zip(members, titles, strict=True):
            sections[k][0].title = title


def _fix_row_numbers(raw: list[_Row], refs: dict[int, SectionRef]) -> dict[int, str]:
    """The row numbers OCR misread ("lô" for 6, "S.l" for 5.1, "1. 1" for 1.1), put
    back from the numbers above and below them in the TT column of the whole table,
    across its pages (`vnplans.textlayer.ocr_tt.number_between`): id of the row ->
    its number. Only rows read by OCR; sections keep their numerals (they are the
    sequence's landmarks, `_fix_sections` puts them back)."""
    # The TT column top to bottom: (row, its TT, a section row).
    column: list[tuple[_Row, str, bool]] = []
    for row in raw:
        if _is_section(row):
            ref = refs.get(id(row))
            if ref is not None and ref.tt:
                column.append((row, ref.tt, True))
            continue
        if row.parent is not None and row.cells.get("tt") is row.parent.cells.get("tt"):
            continue  # a sub-row spanned by its parent's TT cell
        tt = clean_tt(text_of(row.cells.get("tt")))
        if tt or text_of(row.cells.get("task")):
            column.append((row, tt or "", False))
    out: dict[int, str] = {}
    for k, (row, tt, section) in enumerate(column):
        if section or k + 1 == len(column) or not _read_by_ocr(row) \
                or not text_of(row.cells.get("task")):
            # (Without a task, text in the TT cell may be the task merged over it.)
            continue
        # (A row without a number counts only as the first under its section.)
        first = k == 0 or column[k - 1][2]
        previous, restart = None, False
        for _above, text, _section in reversed(column[:k]):
            if not text:
                continue
            if re.fullmatch(r"\d+(\.\d+)*", text):
                previous = text
                break
            if not is_tt_value(text):
                previous = ""  # a reading nothing is certain of above
                break
            restart = True  # a numeral of another style (I, A, a): numbering may restart
        if previous == "":
            continue
        number = number_between(tt, previous, column[k + 1][1], restart=restart, first=first)
        if number is not None:
            out[id(row)] = number
            column[k] = (row, number, section)
    return out


def _read_by_ocr(row: _Row) -> bool:
    """Was any cell of the row read by OCR (its numeral may be misread)?"""
    return any(cell.root().confidence is not None for cell in row.cells.values())


def _section_ref(row: _Row) -> SectionRef | None:
    tt_text = text_of(row.cells.get("tt"))
    tt = clean_tt(tt_text) if tt_text and is_tt_value(tt_text) else None
    # Spanning text lands in the first column of the span: gather every cell.
    parts = [text_of(cell) for role, cell in row.cells.items() if not (role == "tt" and tt)]
    title = collapse(" ".join(p for p in parts if p))
    if _read_by_ocr(row):
        # (The cells of a title are joined first: a speck's "-" in the empty cell after
        # it ends the title, "Cung ứng dịch vụ công -".)
        title = drop_unpaired_marks(title)
    if not tt:
        m = _NUMBERING.match(title)
        if m:
            tt, title = m.group("tt"), m.group("rest").strip()
    if not title and not tt:
        return None
    return SectionRef(tt=tt, title=title or (tt or ""))


def _continues(band: Band, cells: dict[str, Cell], roles: dict[str, int], prev: _Row,
               span: bool) -> bool:
    """Is the first band on a carried-over page the rest of the previous row?"""
    if span or not _empty(cells, "tt"):
        return False
    if _is_section(prev):
        return False
    task = text_of(cells.get("task"))
    prev_task = text_of(prev.cells.get("task")) or ""
    # Bullet items, or a task announcing a list ("…, cụ thể:"), go on from the page before.
    if task and (is_bullet(task.split("\n")[0]) or prev_task.rstrip().endswith(":")
                 or _next_item(task, prev.cells.get("task"))):
        return True
    if task and prev_task and continues_as_text(cells):
        # Only text, no number, nothing making it a section: the rest of the task
        # cell above, whatever other cells are empty ("Đồng thời, chủ động …").
        return True
    if task is None:
        # Unless it is a sub-row under a TT/task cell whose text stayed on the previous
        # page: cells starting afresh beside complete ones (two deadlines, two leads …).
        # (Outcomes and bullets go on in capitals too, so they do not count.)
        fresh = 0
        for role, weight in (("deadline", 2), ("lead", 1), ("support", 1)):
            new, old = text_of(cells.get(role)), text_of(prev.cells.get(role))
            if new and old and _starts_upper(new) and not _dangles(old):
                fresh += weight
        return fresh < 2
    for role in ("task", *DETAIL_ROLES):
        text = text_of(cells.get(role))
        if text and _starts_lower(text):
            return True
    # A task sentence cut by the page break: the previous part has no final stop.
    return bool(prev_task) and not prev_task.rstrip().endswith((".", ";", "!", "?", "”", ")"))


def continues_as_text(cells: dict[str, Cell]) -> bool:
    """Is a row at the top of a page (a table carried over) that has no number and
    plain task text the rest of the row above rather than a section title or a row of
    its own? A section row has its own numbering ("I.", "A.", "1.", "a)") or is set in
    bold; a row of its own names its lead and deadline. Plain text beside an empty
    lead and deadline (a merged cell of the row above shows empty here) continues the
    task cell above, whatever the other cells hold."""
    if not _empty(cells, "tt") or not _empty(cells, "lead") or not _empty(cells, "deadline"):
        return False
    task = cells.get("task")
    text = text_of(task)
    if task is None or not text or task.root().bold:
        return False
    return _NUMBERING.match(text) is None


def _paragraphs_go_on(band: Band, cells: dict[str, Cell], prev: _Row | None, span: bool,
                      roles: dict[str, int]) -> list[str]:
    """The cells of this band of an unruled table with a TT column that are further
    paragraphs of the row above's cells (empty: the band is no such paragraph). The
    band has no number and no cell starting afresh other than those: bullet items
    (task, outcome …: "- Kết nối …" beside "- Hồ sơ …", docs/table-reading.md, F8, H10), with
    perhaps a cell going on in lower case beside them, or a
    second paragraph of one deadline, outcome or support cell beside the row's
    merged task ("Trước ngày 15/6/2023" / "Trước ngày 15/11/2023"). A band giving a
    lead or a non-bullet task of its own is a row (or sub-row) of its own."""
    if prev is None or span or band.ruled or "tt" not in roles or "task" not in prev.cells:
        return []
    if not _empty(cells, "tt") or _is_section(prev) or _empty(prev.cells, "task"):
        return []
    started = [role for role in ("task", *DETAIL_ROLES)
               if role in roles and band.starts[roles[role]] and not cells[role].empty]
    if not started or any(_empty(prev.cells, role) for role in started):
        return []
    texts = {role: text_of(cells[role]) or "" for role in started}

    def item(role: str) -> bool:
        return is_bullet(texts[role].split("\n")[0]) or _next_item(texts[role], prev.cells.get(role))

    # (A cell going on in lower case is the rest of a sentence cut with it.)
    if all(item(role) for role in started) or (
            len(started) >= 2 and all(item(role) or _starts_lower(texts[role])
                                      for role in started)):
        return started
    if len(started) == 1 and started[0] in ("support", "outcome", "deadline") \
            and not band.starts[roles["task"]]:
        return started
    return []


_ITEM = re.compile(r"^\s*(\d{1,2}|[a-z])[.)]\s+\S")


def _next_item(text: str, before: Cell | None) -> bool:
    """Does `text` open the item after the last numbered item of the cell `before`
    ("1. …" then "2. …", "a) …" then "b) …"): a list inside one cell that a page break
    or paragraph spacing cut, not a numbered section title (docs/table-reading.md, H12)?"""
    m = _ITEM.match(text)
    if m is None or before is None:
        return False
    marks = [x.group(1) for x in (_ITEM.match(line) for line in before.root().lines) if x]
    if not marks:
        return False
    last, mark = marks[-1], m.group(1)
    if last.isdigit() and mark.isdigit():
        return int(mark) == int(last) + 1
    return last.isalpha() and mark.isalpha() and ord(mark) == ord(last) + 1


def _leads_in(prev: _Row, cells: dict[str, Cell]) -> bool:
    """Is `prev` a plain (not bold) paragraph without number or other cells that
    announces a list ("…:"), and does the numbered row below start its task with a
    bullet item?"""
    if prev.span or not _is_section(prev) or not _empty(prev.cells, "tt"):
        return False
    task = prev.cells.get("task")
    lead_in = text_of(task) or ""
    if task is None or task.root().bold or not lead_in.rstrip().endswith(":"):
        return False
    text = text_of(cells.get("task")) or ""
    return not _empty(cells, "tt") and is_bullet(text.split("\n")[0])


def _shares_task(cells: dict[str, Cell], prev: _Row, span: bool) -> bool:
    if span or prev.span or "task" not in prev.cells or "task" not in cells:
        return False
    tt, prev_tt = text_of(cells.get("tt")), text_of(prev.cells.get("tt"))
    if not tt or clean_tt(tt) != clean_tt(prev_tt) or _is_section(prev):
        return False
    task, prev_task = text_of(cells["task"]), text_of(prev.cells["task"])
    if not task and prev_task:
        # The same number typed again beside an empty task: a merged task cell.
        return True
    return (bool(task) and bool(prev_task) and _starts_lower(task)
            and not prev_task.rstrip().endswith((".", ";", "!", "?", "”", ")", ":")))


def _completes(band: Band, cells: dict[str, Cell], prev: _Row, span: bool) -> bool:
    """Is the first band on a carried-over page (with a number) the rest of a row
    whose first part, without its number, ends the previous page?"""
    if span or prev.span or not _empty(prev.cells, "tt") or _empty(cells, "tt"):
        return False
    if _empty(prev.cells, "task") and not _empty(cells, "task"):
        # Unit or outcome text without a task at the foot of a page is no row of its
        # own: its number and task come on the next page.
        return True
    for role in ("task", *DETAIL_ROLES):
        text = text_of(cells.get(role))
        if text and _starts_lower(text) and not _empty(prev.cells, role):
            return True
    # Only a plain (not bold) task beginning at the foot of the page, unfinished: the
    # first lines of this row, not an unnumbered section title.
    task = prev.cells.get("task")
    prev_task = text_of(task) or ""
    return (all(_empty(prev.cells, r) for r in DETAIL_ROLES) and task is not None
            and not task.root().bold and bool(prev_task) and not prev_task.endswith((".", ":", ";")))


def _extend_merged_cells(raw: list[_Row]) -> None:
    """In a table without horizontal rules a merged cell is seen only where its text
    runs over a row boundary; its top-aligned text leaves the rest of it looking like
    empty cells below. An empty cell right under such a cell is part of it."""
    for role in DETAIL_ROLES:
        users: dict[int, int] = {}
        for row in raw:
            cell = row.cells.get(role)
            if cell is not None:
                key = id(cell.root())
                users[key] = users.get(key, 0) + 1
        above: Cell | None = None
        for row in raw:
            cell = row.cells.get(role)
            if cell is None or _is_section(row):
                above = None
                continue
            if (cell.empty and above is not None and not row.bands[0].ruled
                    and users.get(id(above), 0) >= 2):
                above.absorb(cell)
                users[id(above)] += 1
                continue
            above = None if cell.empty else cell.root()


def _fill_empty_leads(raw: list[_Row], settings: TableSettings) -> None:
    """In a table without horizontal rules, a task row with an empty lead cell is
    under a merged lead cell (a plan names a lead unit for every task): take the lead
    of the row above when cells are top-aligned, else of the nearest row whose lead
    text lies closest (a merged cell's text is centred over the rows it spans). An
    empty support cell beside it is merged the same way."""
    top = _top_aligned([r.bands[0] for r in raw], settings)
    groups: list[list[_Row]] = [[]]
    for row in raw:
        if _is_section(row):
            groups.append([])
        elif "lead" in row.cells and not row.bands[0].ruled:
            groups[-1].append(row)
    for group in groups:
        filled = [not r.cells["lead"].empty for r in group]
        for i, row in enumerate(group):
            if filled[i]:
                # A lead merged with the row above (its text ran over the row
                # boundary): an empty support cell beside it is merged likewise.
                above = group[i - 1] if i else None
                if above is not None and above.cells["lead"].root() is row.cells["lead"].root() \
                        and "support" in row.cells and row.cells["support"].empty \
                        and not _empty(above.cells, "support"):
                    above.cells["support"].root().absorb(row.cells["support"])
                continue
            above = next((group[j] for j in range(i - 1, -1, -1) if filled[j]), None)
            below = next((group[j] for j in range(i + 1, len(group)) if filled[j]), None)
            source = above if top or below is None else below if above is None else min(
                (above, below), key=lambda r: _distance(row, r.cells["lead"].root()))
            if source is None:
                continue
            source.cells["lead"].root().absorb(row.cells["lead"])
            # Lead and support cells are merged together as a rule: an empty support
            # cell beside such a lead goes with the neighbour on the same side.
            k = group.index(source)
            neighbour = group[i - 1] if k < i else group[i + 1]
            if "support" in row.cells and row.cells["support"].empty \
                    and not _empty(neighbour.cells, "support"):
                neighbour.cells["support"].root().absorb(row.cells["support"])


def _top_aligned(bands: list[Band], settings: TableSettings) -> bool:
    """Do the table's cells start at the top of their rows (most bands say so)?"""
    votes = [b.top_aligned for b in bands if b.top_aligned is not None]
    return sum(votes) >= settings.top_aligned_votes_share * len(votes) if votes else True


def _distance(row: _Row, cell: Cell) -> float:
    band = row.bands[0]
    centre = (band.y0 + band.y1) / 2
    same_page = [(a + b) / 2 for page, a, b in cell.boxes if page == band.page]
    if not same_page:
        return 1e9
    return abs(sum(same_page) / len(same_page) - centre)


def _dangles(text: str | None) -> bool:
    """Does the text stop in mid-phrase ("Văn phòng HĐND và", "Sở Y tế,")?"""
    if not text:
        return False
    tail = text.rstrip()
    if tail.endswith((",", "-", "–", "/", "&")):
        return True
    words = tail.split()
    last = words[-1].lower() if words else ""
    if len(words) >= 2 and words[-2].isdigit():
        # "03 ngày" (a duration) is whole; "trước ngày" waits for its date.
        return False
    return last in _dangling_words()


@cache
def _dangling_words() -> frozenset[str]:
    return frozenset(str(w).lower() for w in knowledge.load("table_headers").get("dangling_words", []))
