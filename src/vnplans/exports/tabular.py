"""Tables out of the store: the flattened assignments (or any query result) as CSV,
Excel, Parquet or JSON, and as text for a terminal.

A table here is a list of column names plus an iterable of row tuples, so the same
writers serve `vnplans export`, `vnplans query` and `vnplans show`.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from vnplans.exports.safe_cells import looks_like_formula, neutralise

DATE_COLUMNS = frozenset({"due", "issued_on", "start_date", "end_date"})
# Excel refuses cells longer than this; longer text is cut with a marker.
XLSX_CELL_LIMIT = 32767


def plain(value: Any) -> Any:
    """A value JSON and CSV can hold: dates as ISO text, decimals as numbers."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def assignments(engine: Engine) -> tuple[list[str], list[tuple]]:
    """The assignments, one row per assignment in document reading order: the rows of
    `Store.assignments()`'s DataFrame (`vnplans.frames.plain_rows`: lists joined as the
    store keeps them, dates as dates), so the exports and the Python API agree."""
    from vnplans.frames import plain_rows
    from vnplans.store.frames import Store

    return plain_rows(Store(engine).assignments())


def write_csv(columns: Sequence[str], rows: Iterable[Sequence], out: IO[str], *,
              raw: bool = False) -> None:
    """CSV; text a spreadsheet would run as a formula is neutralised
    (`vnplans.exports.safe_cells`) unless `raw`."""
    cell = plain if raw else (lambda v: neutralise(plain(v)))
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else cell(v) for v in row])


def write_json_records(columns: Sequence[str], rows: Iterable[Sequence], out: IO[str]) -> None:
    """A JSON array of objects, one per row."""
    out.write("[")
    for i, row in enumerate(rows):
        out.write(",\n " if i else "\n ")
        out.write(json.dumps({c: plain(v) for c, v in zip(columns, row, strict=True)},
                             ensure_ascii=False))
    out.write("\n]\n")


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence], path: Path | IO[bytes],
               sheet: str = "assignments", *, raw: bool = False) -> None:
    """An Excel workbook; text that looks like a formula becomes a text cell
    (`vnplans.exports.safe_cells`), or with `raw` a formula as openpyxl makes it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    def text_cell(value: Any) -> Any:
        if raw or not looks_like_formula(value):
            return value
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"  # shown as typed, never evaluated
        return cell

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append([text_cell(c) for c in columns])
    for row in rows:
        ws.append([text_cell(_xlsx_cell(v)) for v in row])
    if isinstance(path, str | Path):
        book.save(path)
        return
    # Into a stream (a FIFO, a device) through memory: openpyxl's zip writer, when the
    # stream fails (/dev/full), is left unclosed and complains at interpreter exit.
    buffer = io.BytesIO()
    book.save(buffer)
    path.write(buffer.getbuffer())


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
        return value[: XLSX_CELL_LIMIT - 1] + "…"
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_parquet(columns: Sequence[str], rows: Sequence[Sequence], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays = {}
    for i, name in enumerate(columns):
        values = [_parquet_value(name, row[i]) for row in rows]
        if all(v is None for v in values):
            arrays[name] = pa.array(values, type=pa.string())  # typed, not Arrow's "null"
            continue
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed types (SQLite): keep as text
            arrays[name] = pa.array([None if v is None else str(plain(v)) for v in values])
    pq.write_table(pa.table(arrays), path)


def _parquet_value(column: str, value: Any) -> Any:
    # SQLite hands dates back as ISO text; Parquet readers deserve real dates.
    if column in DATE_COLUMNS and isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def format_text_table(columns: Sequence[str], rows: Sequence[Sequence], *,
                      max_width: int = 60) -> str:
    """Plain aligned columns (for pipes and files): long cells are cut with "…"."""
    def cell(v: Any) -> str:
        text = "" if v is None else " ".join(str(plain(v)).split())
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    return "\n".join(lines) + "\n"


def print_table(columns: Sequence[str], rows: Sequence[Sequence], *, title: str | None = None,
                out: IO[str] | None = None) -> None:
    """A rich table on a terminal, plain aligned text otherwise."""
    out = out or sys.stdout
    if out.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False)
        for name in columns:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*("" if v is None else str(plain(v)) for v in row))
        Console(file=out).print(table)
        return
    if title:
        out.write(title + "\n")
    out.write(format_text_table(columns, rows))
