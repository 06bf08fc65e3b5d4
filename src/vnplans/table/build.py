"""The appendix table stage: pages → plan rows.

    rows, warnings = extract_rows(pages)
    rows, tables, warnings = extract_tables(pages)   # also the `tables[]` entries

Finds every appendix table (`vnplans.table.locate`), reads each page's part of it
as bands of cells (`vnplans.table.grid`) and turns the bands into rows with page-break
joins, merged cells and section paths (`vnplans.table.rows`). Rows carry tt, section,
task, lead, support, outcome, deadline and pages; later stages fill the rest.
"""

from __future__ import annotations

from vnplans.ir import Page
from vnplans.models import Row, SectionRef, TableColumn, TableInfo
from vnplans.table.grid import read_fragment
from vnplans.table.headers import vocabulary
from vnplans.table.locate import Fragment, find_tables
from vnplans.table.model import Band, Header
from vnplans.table.rows import ROLES, assemble_table
from vnplans.table.settings import DEFAULTS, TableSettings

# Roles naming who carries a task out: a plan table has at least one of them…
UNIT_ROLES = ("lead", "support", "inspected")
# …or else at most this many columns that map to no role: a table of figures with a
# "Nội dung" and a date column ("Đơn vị tính | Kế hoạch | Thực hiện | Tỷ lệ") is none,
# but a scanned plan whose lead and support header cells OCR could not read is one.
MAX_UNNAMED_WITHOUT_UNITS = 2


def table_columns(header: Header) -> list[TableColumn]:
    """Every printed column of a table with the field it fills (None: `Row.extra`)."""
    return [TableColumn(header=col.header, role=col.role if col.role in ROLES else None)
            for col in header.columns]


def table_kind(header: Header) -> str:
    """ "inspection" for a Kế hoạch kiểm tra table (it names the units inspected)."""
    return vocabulary().kind({c.role for c in header.columns})


def extract_rows(pages: list[Page]) -> tuple[list[Row], list[str]]:
    """All appendix rows of the document in reading order, plus warnings naming the
    page and the problem for whatever could not be read."""
    rows, _tables, warnings = extract_tables(pages)
    return rows, warnings


def assigns_work(roles: tuple[str | None, ...]) -> bool:
    """Do a table's column roles (`Header.signature()`) make it a plan table: a unit
    column, or no more than two columns that name no role?"""
    if any(role in UNIT_ROLES for role in roles):
        return True
    return sum(role is None for role in roles) <= MAX_UNNAMED_WITHOUT_UNITS


def extract_tables(pages: list[Page], *, settings: TableSettings = DEFAULTS
                   ) -> tuple[list[Row], list[TableInfo], list[str]]:
    """All appendix rows in reading order, the tables they came from (`Row.table` is
    the number of its `TableInfo`; a table's numbered heading, "b) Đối với UBND các
    xã", is its title and heads its rows' section paths) and warnings naming the page
    and the problem for whatever could not be read. `settings`: the table reader's
    tolerances."""
    warnings: list[str] = []
    tables: list[list[tuple[Fragment, list[Band]]]] = []
    for table in find_tables(pages, settings=settings):
        if not assigns_work(table[0].header.signature()):
            continue
        parts: list[tuple[Fragment, list[Band]]] = []
        for fragment in table:
            try:
                bands = fragment_bands(fragment, settings=settings)
            except Exception as exc:  # noqa: BLE001 - one unreadable page must not lose the rest
                warnings.append(f"page {fragment.page.number}: table part cannot be read ({exc})")
                continue
            if fragment.has_header and not any(b.lines for b in bands):
                # A header with nothing read under it: the table's end was misjudged
                # or its rows are not text (docs/table-reading.md, H9).
                warnings.append(f"page {fragment.page.number}: no table rows read under "
                                "the header")
            parts.append((fragment, bands))
        if parts:
            tables.append(parts)
        # (An inspection plan names the units inspected instead of a lead.)
        inspection = table[0].header.role_index("inspected") is not None
        expected = ("deadline",) if inspection else ("lead", "deadline")
        missing = [r for r in expected if table[0].header.role_index(r) is None]
        if missing:
            warnings.append(f"page {table[0].page.number}: appendix table has no "
                            f"{' or '.join(missing)} column")
    if tables:
        # A page without text inside the appendix (a scan left without OCR) loses
        # whatever rows it holds: say so.
        first = tables[0][0][0].page.number
        last = tables[-1][-1][0].page.number
        for page in pages:
            if first < page.number < last + 2 and not page.words:
                warnings.append(f"page {page.number}: no text in the appendix; "
                                "its rows (if any) are missing")
        last_table = [fragment for fragment, _bands in tables[-1]]
        end = last_table[-1]
        # Where page breaks cut this table before, or else where the document's text
        # runs down to on its other pages.
        foot = max([_body_foot(pages, end.page, settings),
                    *(f.bottom for f in last_table[:-1])])
        if (end.reaches_page_end and pages and end.page.number == pages[-1].number
                and end.bottom >= foot - settings.page_foot_reach):
            # A table still running at the foot of the document's last page was cut
            # off (pages missing): the rows so far are kept, the last one may be short.
            warnings.append(f"page {end.page.number}: the appendix table runs off the end "
                            "of the document (pages missing?); its last row may be incomplete")
    rows, infos, row_warnings = number_tables(tables, settings=settings)
    warnings.extend(row_warnings)
    return rows, infos, warnings


def _body_foot(pages: list[Page], page: Page, settings: TableSettings) -> float:
    """Where a table cut off by a page break would end on `page`: a share of its
    height down, or lower where the document's other pages show their text reaching
    lower (a landscape appendix after portrait pages keeps the pages' bottom margin,
    not their share of the page)."""
    share = page.height * settings.page_foot_share
    margins = [other.height - max(w.y1 for w in other.words)
               for other in pages if other is not page and other.words]
    return max(share, page.height - min(margins)) if margins else share


def fragment_bands(fragment: Fragment, *, settings: TableSettings = DEFAULTS) -> list[Band]:
    """The row bands of one table fragment, read under its header's columns."""
    header = fragment.header
    return read_fragment(fragment.page, header.columns, top=fragment.top,
                         bottom=fragment.bottom, ruled_columns=header.ruled,
                         tt_col=header.role_index("tt"), page_lines=fragment.page_lines,
                         settings=settings)


def number_tables(tables: list[list[tuple[Fragment, list[Band]]]], *,
                  settings: TableSettings = DEFAULTS
                  ) -> tuple[list[Row], list[TableInfo], list[str]]:
    """The rows of each table with its `TableInfo` (PDF and Word tables alike): tables
    that give rows are numbered in order, and a table's numbered heading is its title
    and the first element of its rows' section paths."""
    rows: list[Row] = []
    infos: list[TableInfo] = []
    warnings: list[str] = []
    for parts in tables:
        table_rows, row_warnings = assemble_table(parts, settings=settings)
        warnings.extend(row_warnings)
        if not table_rows:
            continue
        heading = parts[0][0].heading
        header = parts[0][0].header
        info = TableInfo(number=len(infos) + 1, title=heading[0] if heading else None,
                         kind=table_kind(header),
                         pages=sorted({page for row in table_rows for page in row.pages}),
                         columns=table_columns(header))
        infos.append(info)
        for row in table_rows:
            row.table = info.number
            if heading:
                row.section.insert(0, SectionRef(tt=heading[1], title=heading[2]))
        rows.extend(table_rows)
    return rows, infos, warnings
