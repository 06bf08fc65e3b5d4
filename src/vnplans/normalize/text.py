"""Cell text rules of the contract: NFC, whitespace collapsed, a line break kept only
before bullet items ("- …")."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")
# A line that opens a bullet item: "- ", "– ", "+ ", "• " (the dash may touch the word).
_BULLET = re.compile(r"^\s*[-–—+•]\s*\S")
# Endings of the line before a first bullet item that make it an item, not a wrap.
_LIST_LEAD_IN = (".", ":", ";", "!", "?", "…")
# A line broken right after a hyphen inside a word or symbol ("55/2019/NĐ-" over "CP",
# "2021-" over "2025"): Word and LibreOffice break lines there, and the hyphen was
# never followed by a space. A dash with a space before it ("Lao động -") is a
# separator between words and keeps its space.
_WORD_HYPHEN_END = re.compile(r"\w-$")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC and every run of whitespace (newlines included) to one space, trimmed."""
    return _SPACES.sub(" ", nfc(text)).strip()


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def join_lines(lines: Iterable[str]) -> str:
    """Join the visual lines of one cell: spaces between wrapped lines, a newline
    before each bullet item.

    A line opening with "- " starts an item only in a list: when the cell itself opens
    with an item, or the line before closed a sentence or announced the list (". : ;").
    Otherwise it is a name wrapped at its dash ("Phòng Kế hoạch" / "- Tài chính Sở").
    A line ending in a hyphen glued to a word goes on without a space ("NĐ-" / "CP")."""
    out: list[str] = []
    in_list = False
    for raw in lines:
        line = collapse(raw)
        if not line:
            continue
        if not out:
            out.append(line)
            in_list = is_bullet(line)
        elif is_bullet(line) and (in_list or out[-1].endswith(_LIST_LEAD_IN)):
            out.append("\n" + line)
            in_list = True
        elif _WORD_HYPHEN_END.search(out[-1]) and line[0].isalnum():
            out.append(line)
        else:
            out.append(" " + line)
    return "".join(out)


def clean_cell(text: str | None) -> str | None:
    """A cell's final text (None when empty), keeping line breaks only before bullets."""
    if text is None:
        return None
    joined = join_lines(text.split("\n"))
    return joined or None
