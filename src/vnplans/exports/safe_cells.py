"""Text cells a spreadsheet will not run as formulas (CSV / formula injection).

A task printed as `=HYPERLINK("http://…")`, `+cmd|' /C calc'!A0`, `-2+3+cmd|…` or
`@SUM(…)` is a formula to Excel, LibreOffice and Google Sheets when the export is
opened, and may fetch a URL or start a program. Exports therefore write such text
the way spreadsheet-safe exporters do (OWASP "CSV Injection"):

- CSV: `neutralise(value)` puts an apostrophe before text that begins with `=`, `+`,
  `-`, `@`, a tab or a carriage return (or the full-width `＝ ＋ － ＠`, which some
  spreadsheets take for their ASCII twins). A spreadsheet shows the text and hides
  the apostrophe; other readers see it.
- XLSX: such text is written as a text cell (`data_type="s"`), which no spreadsheet
  evaluates, so the text stays exactly as stored (no apostrophe).

Only text is touched: numbers, dates and empty cells pass as they are, and so does text
that begins anywhere else (a "-" inside a task). `vnplans export --raw` writes the
text exactly as stored, formulas and all, for tools that never evaluate cells.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"


def looks_like_formula(value: Any) -> bool:
    """Text a spreadsheet would evaluate instead of showing."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """`value` as a CSV cell a spreadsheet shows instead of running."""
    return QUOTE + value if looks_like_formula(value) else value
