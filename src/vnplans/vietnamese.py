"""Vietnamese text on the ground floor: the forms every stage compares and prints text in.

- `nfc`, `collapse`: the contract's text form (NFC, whitespace runs to one space).
- `strip_marks`: lower case without diacritics, "đ" as "d" ("Đắk" → "dak").
- `fold`: the comparison form — `strip_marks` with every run of other characters as
  one space ("Đắk Nông", "Đăk Nông", "DAK-NONG" fold alike; "Hoá" and "Hóa" too,
  wherever the tone mark sits).
- `slug`: an ASCII id fragment ("Thanh tra Sở" → "thanh-tra-so").
- `tone_and_letters`: a syllable split into its letters (vowel marks kept) and its tone
  mark, so "Qúy" and "Quý" compare equal.
- `is_bullet`, `join_lines`: the contract's rules for the lines of one cell.

Every stage imports these from here; none defines its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Combining marks that are tones; the others (circumflex, breve, horn) belong to the letter.
TONE_NAMES = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi",
              "\u0323": "nặng"}
TONE_MARKS = frozenset(TONE_NAMES)
# A line that opens a bullet item: "- ", "– ", "+ ", "• " (the dash may touch the word).
_BULLET = re.compile(r"^\s*[-–—+•]\s*\S")
# Endings of the line before a first bullet item that make it an item, not a wrap.
_LIST_LEAD_IN = (".", ":", ";", "!", "?", "…")
# A line broken right after a hyphen inside a word or symbol ("55/2019/NĐ-" over "CP",
# "2021-" over "2025"): Word and LibreOffice break lines there, and the hyphen was
# never followed by a space. A dash with a space before it ("Lao động -") is a
# separator between words and keeps its space.
_WORD_HYPHEN_END = re.compile(r"\w-$")
# Punctuation that closes what stands before it: a line opening with it was cut from
# the word above by a narrow cell ("15/01/2026" / "; ngày 15/7/2026").
_CLOSING_PUNCTUATION = (";", ",", ".", ":", ")", "!", "?", "%")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def collapse(text: str) -> str:
    """NFC and every run of whitespace (newlines included) to one space, trimmed."""
    return _SPACES.sub(" ", nfc(text)).strip()


@lru_cache(maxsize=65536)
def strip_marks(text: str) -> str:
    """Lowercase, without combining marks, "đ" as "d"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("đ", "d")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Comparison form: no marks, lowercase, anything but letters and digits as single
    spaces, trimmed."""
    return _NON_WORD.sub(" ", strip_marks(text)).strip()


def slug(text: str) -> str:
    """ASCII id fragment: "Thanh tra Sở" → "thanh-tra-so"."""
    return _NON_WORD.sub("-", strip_marks(text)).strip("-")


def tone_and_letters(word: str) -> tuple[str, str]:
    """(letters with their vowel marks, in lower case NFC; the tone marks, sorted):
    "Qúy" and "Quý" both give ("quy", "\u0301")."""
    low = unicodedata.normalize("NFD", word.lower())
    tone = "".join(sorted(ch for ch in low if ch in TONE_MARKS))
    letters = unicodedata.normalize("NFC", "".join(ch for ch in low if ch not in TONE_MARKS))
    return letters, tone


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def join_lines(lines: Iterable[str]) -> str:
    """Join the visual lines of one cell: spaces between wrapped lines, a newline
    before each bullet item.

    A line opening with "- " starts an item only in a list: when the cell itself opens
    with an item, or the line before closed a sentence or announced the list (". : ;").
    Otherwise it is a name wrapped at its dash ("Phòng Kế hoạch" / "- Tài chính Sở").
    A line ending in a hyphen glued to a word goes on without a space ("NĐ-" / "CP"), and
    so does a line opening with closing punctuation ("15/01/2026" / "; ngày …")."""
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
        elif (_WORD_HYPHEN_END.search(out[-1]) and line[0].isalnum()) or \
                line.startswith(_CLOSING_PUNCTUATION):
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


# Section numerals of plans are Roman ("I", "IV", "XII").
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_LETTERS = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                  (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def roman_value(numeral: str) -> int:
    """The number a Roman numeral of capitals stands for ("IV" → 4)."""
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def to_roman(number: int) -> str:
    """The Roman numeral of a positive number (4 → "IV")."""
    out = ""
    for value, letters in _ROMAN_LETTERS:
        while number >= value:
            out += letters
            number -= value
    return out
