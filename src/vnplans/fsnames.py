"""File names in two forms: the exact one that identifies a file, the readable one that
is printed.

On Linux a file name is a string of bytes, not of characters. Python hands a name
whose bytes are not UTF-8 (a zip made on Windows, a CP1258 name) over with each such
byte as a lone surrogate (U+DC80 + byte, PEP 383); that text can be neither printed
nor written to a database. Two names that differ only in such bytes are two files,
so their forms must stay apart:

- `stored(path)`: the exact name as valid text, reversible (`from_stored`). A name
  that is valid UTF-8 is stored as it is (the usual case, unchanged from before); any
  other name is stored as `STORED_BYTES_PREFIX` + its bytes percent-encoded (RFC 3986
  unreserved characters and "/" kept). Ingest stores absolute paths, which begin with
  "/", so the two forms never meet; a valid name that itself begins with the prefix is
  percent-encoded too, which keeps the mapping one-to-one for any path.
  Unicode normalisation is left alone: "é" as one code point (NFC) and as "e" plus a
  combining accent (NFD) are two different names, hence two files, on Linux.
- `printable(path)`: a one-line readable form for messages, logs and the `file` of the
  plan contract: undecodable bytes as `\\xNN`, control characters (newline, carriage
  return, escape …; C0, DEL and C1) and line/paragraph separators as `\\n`, `\\r`,
  `\\xNN` or `\\uNNNN`. A name can then never split or forge a log line, nor move the
  cursor of a terminal. Not reversible (a literal backslash stays as it is): it is
  for people, `stored` is for identity.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

STORED_BYTES_PREFIX = "fsbytes:"

_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def stored(path: str | Path) -> str:
    """The exact, reversible text of `path` for the database (see the module docstring)."""
    text = str(path)
    if not text.startswith(STORED_BYTES_PREFIX):
        try:
            text.encode("utf-8")
            return text
        except UnicodeEncodeError:
            pass
    return STORED_BYTES_PREFIX + quote(os.fsencode(text), safe="/")


def from_stored(text: str) -> str:
    """The path `stored` was given (as Python's `str` for the OS: surrogate escapes)."""
    if text.startswith(STORED_BYTES_PREFIX):
        return os.fsdecode(unquote_to_bytes(text[len(STORED_BYTES_PREFIX):]))
    return text


def _escape(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _needs_escape(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def printable(path: str | Path) -> str:
    """`path` as one readable line (see the module docstring)."""
    text = str(path)
    if text.isprintable():  # the usual case, at C speed
        return text
    return "".join(_escape(c) if _needs_escape(c) else c for c in text)


def printable_name(path: str | Path) -> str:
    return printable(Path(path).name)
