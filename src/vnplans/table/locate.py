"""Find the plan's appendix table(s): which pages, and where on each page.

A table starts at a header (`vnplans.table.headers.find_headers`) and runs down the
page until the text stops fitting it: a signature or "Nơi nhận" line, a line wider
than the table, or a blank gap no table rule bridges. When it runs to the bottom of
the page it continues on the next page, below that page's repeated header or, when
the header is not repeated, from the top.

Only tables whose header names plan columns become fragments, so the header block,
the signature table and body text never become rows.

A numbered heading printed right above a table's header ("b) Đối với UBND các xã") is
the table's heading (`table_heading`); left at the foot of the page before, with the
header on the next page, it starts a new table there rather than a repeated header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vnplans.geometry import Line, group_lines
from vnplans.ir import Page, split_rules
from vnplans.table.headers import find_headers, norm, vocabulary
from vnplans.table.model import Column, Header
from vnplans.table.settings import DEFAULTS, TableSettings

# (The tolerances of a table's extent and of its heading are `TableSettings` fields.)
# A heading is short, set in bold or italic, and numbered: "a) …", "b. …", "1. …", "II. …".
HEADING_MAX_WORDS = 25
_HEADING = re.compile(r"^(?P<tt>[a-zđ]|\d{1,2}|[IVXLC]{1,5})[.)]\s+(?P<title>\S.*)$")
# A page number line: "2", "- 2 -", "Trang 2", "2/7".
_PAGE_NUMBER = re.compile(r"^(?:trang\s*)?[-–(]?\s*\d{1,3}\s*(?:/\s*\d{1,3})?\s*[-–)]?$")


@dataclass(slots=True)
class Fragment:
    """The part of one appendix table on one page."""

    page: Page
    header: Header  # the header whose columns apply (repeated or carried over)
    top: float  # body top (below the header)
    bottom: float
    has_header: bool
    reaches_page_end: bool
    # The page's text lines (`group_lines(page.words)`), grouped once per page.
    page_lines: list[Line] | None = field(default=None, repr=False, compare=False)
    # The first fragment of a table: the numbered heading printed above it, as
    # (printed text, number, title) — see `table_heading`.
    heading: tuple[str, str, str] | None = None


def find_tables(pages: list[Page], *,
                settings: TableSettings = DEFAULTS) -> list[list[Fragment]]:
    """Appendix tables in reading order, each as its fragments page by page."""
    tables: list[list[Fragment]] = []
    current: list[Fragment] | None = None
    for page in pages:
        if not page.words:
            continue
        lines = group_lines(page.words)
        headers = find_headers(page, lines, settings=settings)
        if current is not None and current[-1].reaches_page_end:
            carried = current[-1].header
            first_header_top = headers[0].y0 if headers else page.height + 1
            top = _continuation_top(page, lines, carried, first_header_top, settings)
            if top is not None:
                bottom, reaches = table_end(page, lines, carried, top, first_header_top,
                                            settings=settings)
                if bottom > top + settings.frame_slack:
                    current.append(Fragment(page, carried, top, bottom, False, reaches, lines))
        for k, header in enumerate(headers):
            if k == 0 and current is not None:
                _unnamed_as_before(current[-1].header, header, settings)
            limit = headers[k + 1].y0 if k + 1 < len(headers) else page.height + 1
            bottom, reaches = table_end(page, lines, header, header.y1, limit,
                                        settings=settings)
            fragment = Fragment(page, header, header.y1, bottom, True, reaches, lines)
            # A heading left at the foot of the page before ("b) Đối với UBND các xã"
            # then the page break) opens a new table under the same header.
            foot = None
            if k == 0 and current is not None and not _text_above(lines, header, settings):
                foot = _heading_at_foot(current[-1], settings)
            # A scanned page reads its header from the image again: a border lost
            # at 150 dpi or a speck read as a header word gives it one column fewer
            # or more than the table's first page, yet it is the same table.
            regridded = (k == 0 and current is not None and page.text_source == "ocr"
                         and not _same_table(current[-1].header, header)
                         and _same_grid(current[0].header, header, settings))
            repeated = (
                k == 0 and current is not None
                and current[-1].page.number == page.number - 1
                and (_same_table(current[-1].header, header) or regridded)
                and not _text_above(lines, header, settings)
                and foot is None
            )
            if foot is not None and current is not None:
                before = current[-1]
                before.bottom = min(before.bottom, foot[0] - settings.slack)
                before.reaches_page_end = False
            fragment.heading = foot[1] if foot is not None \
                else table_heading(lines, header, settings=settings)
            if repeated and current is not None:
                first = current[0].header
                if regridded:
                    # One column grid for the whole table: the first page's.
                    fragment.header = _first_grid(first, header)
                elif not header.ruled and not first.ruled and len(first.columns) == len(header.columns) \
                        and abs(first.x0 - header.x0) < settings.same_extent_tol \
                        and abs(first.x1 - header.x1) < settings.same_extent_tol:
                    # Columns read from text alignment: the table's first page (a full
                    # page of rows) shows them best; a repeated header keeps them.
                    fragment.header = Header(header.page, header.y0, header.y1, first.x0,
                                             first.x1, first.columns, first.ruled)
                current.append(fragment)
            else:
                current = [fragment]
                tables.append(current)
        if current is not None and current[-1].page.number != page.number:
            current = None
    return tables


def table_heading(lines: list[Line], header: Header, *,
                  settings: TableSettings) -> tuple[str, str, str] | None:
    """The numbered heading printed right above a table's header ("a) Đối với các sở,
    ban, ngành"), in bold or italic, as (printed text, its number, its title); None
    when the line above is no such heading (a centred appendix title, body text,
    nothing)."""
    tol = settings.outside_tol
    above = [ln for ln in lines if ln.y1 <= header.y0 + settings.edge_slack
             and ln.x1 > header.x0 - tol
             and ln.x0 < header.x1 + tol]
    if not above:
        return None
    last = max(above, key=lambda ln: ln.y1)
    line_h = max(last.height, 1.0)
    if header.y0 - last.y1 > settings.heading_gap_lines * line_h:
        return None
    indent = settings.heading_indent_share * (header.x1 - header.x0)
    # A heading wrapped over two lines: its first line just above the last.
    candidates = [[last]]
    before = [ln for ln in above if ln.y1 <= last.y0 + settings.edge_slack
              and last.y0 - ln.y1 < settings.heading_wrap_lines * line_h]
    if before:
        first = max(before, key=lambda ln: ln.y1)
        candidates.append([first, last])
    for group in candidates:
        if group[0].x0 > header.x0 + indent or not all(map(_set_apart, group)):
            continue
        heading = heading_of(" ".join(norm_text(ln.text) for ln in group))
        if heading is not None:
            return heading
    return None


def heading_of(text: str) -> tuple[str, str, str] | None:
    """A table heading's (printed text, number, title) when `text` reads as one:
    short and numbered ("b) Đối với UBND các xã", "1. …"); else None. A Roman-numbered
    title in capitals ("II. NHIỆM VỤ CỤ THỂ") is a part of the plan's body that the
    table follows, not the table's own heading."""
    if len(text.split()) > HEADING_MAX_WORDS:
        return None
    m = _HEADING.match(text)
    if m is None:
        return None
    if re.fullmatch(r"[IVXLC]+", m.group("tt")) and m.group("title").isupper():
        return None
    return text, m.group("tt"), m.group("title")


def _heading_at_foot(fragment: Fragment,
                     settings: TableSettings) -> tuple[float, tuple[str, str, str]] | None:
    """A numbered heading as the last text of the page under a table's fragment that
    reached the page's end: (its top, (text, number, title)). Below the table's last
    rule any numbered heading; inside a table without rules only a bold lettered one
    ("b) …"), since a numbered section row ("1. …") looks the same there."""
    if not fragment.reaches_page_end:
        return None
    header = fragment.header
    lines = fragment.page_lines or group_lines(fragment.page.words)
    tol = settings.outside_tol
    below = [ln for ln in lines if ln.y0 > fragment.top and ln.x1 > header.x0 - tol
             and ln.x0 < header.x1 + tol and not _PAGE_NUMBER.match(norm(ln.text))]
    if not below:
        return None
    last = max(below, key=lambda ln: ln.y1)
    if last.x0 > header.x0 + settings.heading_indent_share * (header.x1 - header.x0):
        return None
    m = _HEADING.match(norm_text(last.text))
    if m is None or not _set_apart(last) or len(last.words) > HEADING_MAX_WORDS:
        return None
    under_rules = last.y0 >= fragment.bottom - settings.edge_slack
    if not under_rules and not (last.bold and m.group("tt").isalpha()
                                and m.group("tt").islower()):
        return None
    return last.y0, (norm_text(last.text), m.group("tt"), m.group("title"))


def _set_apart(line: Line) -> bool:
    """Is the line set like a heading: every word bold or italic (body text is plain)?"""
    return bool(line.words) and all(w.bold or w.italic for w in line.words)


def norm_text(text: str) -> str:
    return " ".join(text.split())


def _same_table(a: Header, b: Header) -> bool:
    return a.signature() == b.signature()


def _unnamed_as_before(before: Header, header: Header, settings: TableSettings) -> None:
    """A column with no header word is named by the row numbers under it
    (`headers._unnamed_number_column`, `headers._lost_number_header`); a page with
    only a row or two under the repeated header has too few to tell, and its header
    would differ from the one before. Where the header has the same grid with that
    column unnamed, or lacks it (a table ruled across only: nothing placed it), it is
    the TT column as before."""
    tt = before.role_index("tt")
    if tt is None or before.columns[tt].header.strip() or header.role_index("tt") is not None:
        return
    missing = len(header.columns) == len(before.columns) - 1 and tt == 0
    if not missing and len(header.columns) != len(before.columns):
        return
    others = before.columns[1:] if missing else before.columns
    # (Columns placed from text alignment move a little from page to page: each lies
    # over the one before it, centre in the other, the first only its right edge.)
    for k, (a, b) in enumerate(zip(others, header.columns, strict=True)):
        if missing and k == 0:
            same = abs(a.x1 - b.x1) < a.width / 2
        else:
            same = a.x0 <= b.xc <= a.x1 and b.x0 <= a.xc <= b.x1
        unnamed = not missing and a.role == "tt" and b.role is None and not b.header.strip()
        if not same or (a.role != b.role and not unnamed):
            return
    if missing:
        lost = before.columns[0]
        header.columns.insert(0, Column(lost.x0, lost.x1, "tt", ""))
        header.columns[1].x0 = lost.x1
        header.x0 = lost.x0
    else:
        header.columns[tt].role = "tt"


def _same_grid(first: Header, header: Header, settings: TableSettings) -> bool:
    """Is `header` (read from a scanned page) the table's first header read again with
    a column too few or too many? The same extent (`same_extent_tol`), at most
    `regrid_max_columns` columns more or fewer, and the roles of one (those it names)
    in the other's order, at least `regrid_min_roles` of them."""
    if abs(first.x0 - header.x0) >= settings.same_extent_tol \
            or abs(first.x1 - header.x1) >= settings.same_extent_tol:
        return False
    if abs(len(first.columns) - len(header.columns)) > settings.regrid_max_columns:
        return False
    a = [r for r in first.signature() if r]
    b = [r for r in header.signature() if r]
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < settings.regrid_min_roles:
        return False
    rest = iter(long)
    return all(role in rest for role in short)


def _first_grid(first: Header, header: Header) -> Header:
    """The first header's columns on a later page, in that page's header zone; a
    ruled table's columns moved by the offset of its frame on this page's image."""
    dx = header.x0 - first.x0 if header.ruled and first.ruled else 0.0
    columns = [Column(c.x0 + dx, c.x1 + dx, c.role, c.header) for c in first.columns]
    return Header(header.page, header.y0, header.y1, first.x0 + dx, first.x1 + dx,
                  columns, first.ruled)


def _text_above(lines: list[Line], header: Header, settings: TableSettings) -> bool:
    """Body lines above the header inside the table's extent (a new table starting
    mid-page rather than a repeated header)."""
    for line in lines:
        if line.y1 < header.y0 - settings.edge_slack \
                and line.x0 >= header.x0 - settings.frame_margin \
                and line.x1 <= header.x1 + settings.frame_margin:
            text = norm(line.text)
            if len(text) > 3 and not _PAGE_NUMBER.match(text):
                return True
    return False


def _continuation_top(page: Page, lines: list[Line], header: Header,
                      limit: float, settings: TableSettings) -> float | None:
    """Where a table carried over from the previous page starts on this page (no
    repeated header): the first line, or the rule over it, if it fits the columns."""
    # A page number at the top is not table text.
    body = [ln for ln in lines if ln.y1 <= limit + settings.edge_slack
            and not _PAGE_NUMBER.match(norm(ln.text))]
    if not body:
        return None
    first = body[0]
    if first.x0 < header.x0 - settings.outside_tol or first.x1 > header.x1 + settings.outside_tol:
        return None
    rules_above = [r.y0 for r in page.rules if r.horizontal
                   and r.y0 <= first.y0 + settings.edge_slack
                   and r.y0 >= first.y0 - settings.rule_above_first_line
                   and r.x0 <= header.x0 + settings.rule_short_of_table
                   and r.x1 >= header.x1 - settings.rule_short_of_table]
    return (max(rules_above) if rules_above else first.y0) - settings.slack


def table_end(page: Page, lines: list[Line], header: Header, top: float,
              limit: float, *, settings: TableSettings) -> tuple[float, bool]:
    """The bottom of the table that starts at `top`, and whether it runs to the end of
    the page (so it may continue on the next one)."""
    vocab = vocabulary()
    x0, x1 = header.x0, header.x1
    horizontal, vertical = split_rules(page.rules)
    v_rules = [r for r in vertical
               if x0 - settings.frame_margin <= r.x0 <= x1 + settings.frame_margin]
    body = [ln for ln in lines if ln.y0 >= top - 1 and ln.y1 <= limit + 1]
    last_y = top
    stopped = False
    heights = [ln.height for ln in body[:settings.line_height_sample]] \
        or [settings.default_line_height]
    line_h = sorted(heights)[len(heights) // 2]
    max_gap = max(settings.max_gap_lines * line_h, settings.min_table_gap)
    tol = settings.outside_tol
    for line in body:
        # Words are NFC without inner spaces already: lower-casing is enough here.
        text = line.text.lower()
        # (A number right under the text at line spacing is the rest of a cell, e.g.
        # "15/11/202" / "3" broken at a narrow cell's edge, not the page number.)
        if _PAGE_NUMBER.match(text) and not (
                last_y > top and line.y0 - last_y < settings.broken_number_lines * line_h):
            continue
        if text.startswith(vocab.end_phrases) or line.text in vocab.end_lines:
            stopped = True
            break
        # (The line's box holds its words: a line inside the table needs no word check.)
        if not (line.x0 >= x0 - tol and line.x1 <= x1 + tol) and any(
                w.x0 < x0 - tol or w.x0 > x1 + tol
                or w.x1 > x1 + settings.outside_overhang * tol for w in line.words):
            stopped = True
            break
        gap = line.y0 - last_y
        # (Not before the first body line: a row cut by the page break can leave its
        # cell spacing as a blank band under the repeated header, docs/table-reading.md, H9.)
        started = last_y > top or gap > settings.first_gap_page * page.height
        if started and gap > max_gap and not any(
                r.y0 <= last_y + settings.edge_slack
                and r.y1 >= line.y0 - settings.edge_slack for r in v_rules):
            stopped = True
            break
        if line.y1 > last_y:
            last_y = line.y1
    stop_y = line.y0 - settings.slack if stopped else limit
    h_rules = [r.y0 for r in horizontal if top < r.y0 < stop_y
               and min(r.x1, x1) - max(r.x0, x0) >= settings.bottom_rule_share * (x1 - x0)]
    bottom = max(h_rules) if h_rules else last_y + settings.slack
    if not h_rules:
        bottom = last_y + settings.slack
    reaches = not stopped and limit > page.height
    if reaches:
        # A page number under the table does not count as more text.
        page_last = max((ln.y1 for ln in lines if not _PAGE_NUMBER.match(ln.text.lower())),
                        default=0.0)
        reaches = last_y >= page_last - settings.page_end_lines * line_h
    return bottom, reaches
