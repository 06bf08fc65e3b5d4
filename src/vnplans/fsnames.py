"""File names as valid Unicode for output and storage.

A name whose bytes are not UTF-8 (a zip made on Windows) reaches Python with surrogate
escapes; printing it or writing it to the database would fail. Those bytes become
U+FFFD: the name stays recognisable and the same file always gets the same text.
"""

from __future__ import annotations

from pathlib import Path


def printable(path: str | Path) -> str:
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def printable_name(path: str | Path) -> str:
    return printable(Path(path).name)
