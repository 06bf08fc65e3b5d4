"""Small letters OCR read as capitals.

Some letters have one shape in both cases, only the size differs: c, o (ô, ơ), s, u
(ư), v, w, x, z. Tesseract sometimes reads a short word made of them alone as
capitals in the middle of a sentence: "cơ SỞ." for "cơ sở.". A word of at least two
letters, all of them capitals of that kind, whose left neighbour on the line is a
word in small letters, is put back in small letters when the lexicon knows it that
way and does not know it as an abbreviation. (A capital word after a small one is
no abbreviation of these letters in a plan; a line of capitals, a title or a unit
name "SỞ TƯ PHÁP", has no small word before it.)"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from vnplans.ir import Word
from vnplans.textlayer.ocr_correct import key, lexicon, text_lines
from vnplans.vietnamese import fold

# Letters whose small and capital forms differ only in size (before marks).
SAME_SHAPE = frozenset("cosuvwxz")
_LETTERS = re.compile(r"^([^\W\d_]+)([.,;:!?)]*)$")


def _same_shape(letters: str) -> bool:
    bases = unicodedata.normalize("NFD", letters.lower())
    return all(ch in SAME_SHAPE for ch in bases if unicodedata.category(ch) != "Mn")


def lower_small_capitals(words: list[Word]) -> int:
    """Put words of same-shape capitals after a small-letter word back in small
    letters (see the module docstring); returns how many changed."""
    lex = lexicon()
    changed = 0
    for line in text_lines(words):
        for (_i, left), (_j, word) in zip(line, line[1:], strict=False):
            m = _LETTERS.match(word.text)
            if not m or len(m.group(1)) < 2 or not m.group(1).isupper() \
                    or not _same_shape(m.group(1)):
                continue
            before = left.text.rstrip(".,;:")
            if not before.isalpha() or not before.islower():
                continue
            small = m.group(1).lower()
            if m.group(1) in lex.abbreviations or key(small) not in lex.syllables:
                continue
            word.text = small + m.group(2)
            changed += 1
    return changed


def respell_phrase(text: str, phrases: Iterable[str]) -> str:
    """An OCR'd cell that is one of `phrases` but for marks and the case of letters of
    one shape in both cases, in the phrase's spelling: "Thường Xuyên", "Thường xuyền"
    → "Thường xuyên"; the punctuation ending it as read. A phrase read with its marks
    keeps them ("Hằng ngày" beside "hàng ngày"); a cell two phrases fold to stays, and
    so do capitals of other letters ("Theo Kế hoạch": printed so) and a cell in capitals."""
    body = text.rstrip(".,;:")
    words = body.split()
    if body.isupper():
        return text
    near = {p for p in phrases if p.lower() == body.lower()} or {
        p for p in phrases if fold(p) == fold(body) and len(p.split()) == len(words)}
    if len(near) != 1:
        return text
    out = []
    for k, (read, known) in enumerate(zip(words, near.pop().split(), strict=True)):
        if read[:1].isupper() and (k == 0 or not _same_shape(read[:1])):
            known = known[:1].upper() + known[1:]
        out.append(known)
    return " ".join(out) + text[len(body):]
