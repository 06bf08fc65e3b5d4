"""Punctuation OCR read from dust, taken out of the words of a scanned page.

`scan.despeckle` paints most dust over before OCR, but a speck that sits in the gap
between two words, or touches a letter, is still read as a mark: "Thanh.tra",
"hành-chính", "Ban. hành", "Công - - nghệ", "Văn phòng Sở -". Where the text itself
shows that a mark cannot be printed punctuation, it goes:

- a mark glued between two syllables with no space ("Thanh.tra", "Trong-vòng",
  "chức.Hội"): printed punctuation is followed by a space, so the word is split in
  two and the mark dropped (a hyphen only before a lowercase syllable: "Bà
  Rịa-Vũng Tàu" is written so);
- a full stop followed by a word in lowercase, on the same line or the next line of
  the cell ("Ban. hành", "khu công." / "nghiệp"): a sentence starts with a capital;
- a colon glued to a word that makes a known phrase with the lowercase word after
  it ("đơn: vị"), unless it parts two known phrases (a comma is left: lists of
  units part known pairs, "các xã, phường");
- a hyphen glued to the front of a lowercase syllable in the middle of a line
  ("Công -khai"): a bullet dash opens a line;
- a backtick, an acute or an underscore glued to the front of a word, an apostrophe
  to the front of a number, an underscore to the end of a word ("`12/2023", "_Phòng",
  "UBND_"): no plan prints them so;
- two or more mark-only words in a row between two words that make a known phrase
  of the lexicon ("Công - - nghệ"); one spaced hyphen stays ("kinh tế - xã hội");
- a mark-only word ending a line ("Sở -", "dẫn :"): bullets open lines, and a
  full stop or colon is glued to its word; only a hyphen ending a line of a cell that
  goes on below stays ("Sở Lao động -" / "Thương binh và Xã hội").

A whole cell, once the table reader has put its lines together
(`drop_unpaired_marks`), loses what a cell border or a speck at its edge was read as:
a mark-only word ending the cell ("Trung tâm Hỗ trợ doanh nghiệp -"), and an opening
bracket or quote the cell never closes ("( Trung tâm", "“Số doanh nghiệp", "Phục vụ
\"hành chính"). A cell whose whole text is such marks, read unsure (`speck_cell`),
holds specks and is empty: dust, show-through or a border's remains in the empty
cell of a section row ("ˆ" beside "1. Xây dựng và phát triển Chính quyền điện tử")
would make it a task row, or give a task row a lead "-".

Numbers, dates and abbreviations are never touched: the syllables on both sides of
a mark must be Vietnamese syllables (`syllables.is_syllable`).
"""

from __future__ import annotations

import re

from vnplans.ir import Word
from vnplans.textlayer.ocr_correct import key, lexicon, text_lines
from vnplans.textlayer.syllables import is_syllable

# Marks a speck is read as.
_SPECK_MARKS = ".,;:-_'`~ˆ¬‘’"
_GLUED = re.compile(r"^([^\W\d_]+)([.,;:_'`~-]+)([^\W\d_]+)([.,;:]?)$")
_MARK_ONLY = re.compile(rf"^[{re.escape(_SPECK_MARKS)}]+$")
_LEADING_DASH = re.compile(r"^[-~]+(?=[^\W\d_])")
_FULL_STOP = re.compile(r"^(.*[^\W\d_])\.$")
_LAST_SYLLABLE = re.compile(r"([^\W\d_]+)[^\w]*$")
_FIRST_SYLLABLE = re.compile(r"^[^\w]*([^\W\d_]+)")


def _split_glued(word: Word) -> list[Word]:
    m = _GLUED.match(word.text)
    if not m:
        return [word]
    a, mark, b, tail = m.groups()
    if not (is_syllable(a) and is_syllable(b)):
        return [word]
    if "-" in mark and not b.islower():
        return [word]
    cut = word.x0 + (word.x1 - word.x0) * (len(a) + len(mark) / 2) / len(word.text)
    return [Word(text, x0, word.y0, x1, word.y1, word.font, word.size, word.bold,
                 word.italic, word.origin, word.confidence)
            for text, x0, x1 in ((a, word.x0, cut), (b + tail, cut, word.x1))]


def _pair(left: Word, right: Word) -> bool:
    a, b = _LAST_SYLLABLE.search(left.text), _FIRST_SYLLABLE.match(right.text)
    if not a or not b:
        return False
    return (key(a.group(1)), key(b.group(1))) in lexicon().pairs


_PAUSE = re.compile(r"^[^\W\d_]+:$")
_PLAIN = re.compile(r"^[^\W\d_]+$")


def _inside_phrase(line: list[Word], i: int) -> bool:
    """Is the colon glued to word i inside a known phrase ("đơn: vị")? Not when it
    parts two known phrases. (Commas are left: lists of units part known pairs,
    "các xã, phường", "sở, ban, ngành".)"""
    w, after = line[i], line[i + 1]
    if not _PAUSE.match(w.text) or not _PLAIN.match(after.text) or not after.text.islower():
        return False
    bare = Word(w.text[:-1], w.x0, w.y0, w.x1, w.y1)
    if not (is_syllable(bare.text) and is_syllable(after.text) and _pair(bare, after)):
        return False
    before = line[i - 1] if i > 0 else None
    beyond = line[i + 2] if i + 2 < len(line) else None
    return not (before is not None and _PLAIN.match(before.text) and _pair(before, bare)
                and beyond is not None and _pair(after, beyond))


def _continued(line: list[Word], words: list[Word]) -> bool:
    """Does text go on right below the line, within its width (the next line of the
    same cell, not the next row)?"""
    x0, x1 = min(w.x0 for w in line), max(w.x1 for w in line)
    bottom = max(w.y1 for w in line)
    height = max(1.0, bottom - min(w.y0 for w in line))
    return any(bottom - 0.2 * height <= w.y0 <= bottom + CONTINUATION_GAP * height
               and w.x1 > x0 and w.x0 < x1 for w in words)


# A line of a cell goes on in the line below when that starts at most this many line
# heights under it (a row below starts further down: cell padding and a rule).
CONTINUATION_GAP = 0.6


def _clean_line(line: list[Word], drop: set[int], words: list[Word]) -> None:
    marks = [bool(_MARK_ONLY.match(w.text)) and ".." not in w.text for w in line]
    for i, w in enumerate(line):
        after = line[i + 1] if i + 1 < len(line) else None
        if marks[i]:
            # (A hyphen ending a line whose cell goes on below: "Sở Lao động -".)
            if after is None and i > 0 and not (
                    w.text == "-" and _continued(line[:-1], words)):
                drop.add(id(w))
            continue
        if after is not None and not marks[i + 1] and _inside_phrase(line, i):
            w.text = w.text[:-1]
        if i > 0 and not marks[i - 1]:
            stripped = _LEADING_DASH.sub("", w.text)
            first = _FIRST_SYLLABLE.match(stripped)
            if stripped != w.text and first and first.group(1).islower() \
                    and is_syllable(first.group(1)):
                w.text = stripped
    # Runs of two or more mark-only words inside a known phrase.
    i = 0
    while i < len(line):
        if not marks[i]:
            i += 1
            continue
        j = i
        while j < len(line) and marks[j]:
            j += 1
        if j - i >= 2 and i > 0 and j < len(line) and _pair(line[i - 1], line[j]):
            drop.update(id(w) for w in line[i:j])
        i = j


def _full_stops(line: list[Word]) -> None:
    """A full stop before a lowercase word goes, on one line or at the end of a line
    whose cell goes on below ("khu công." / "nghiệp")."""
    for w, after in zip(line, line[1:], strict=False):
        m = _FULL_STOP.match(w.text)
        first = _FIRST_SYLLABLE.match(after.text)
        if m and first and first.group(1).islower() and is_syllable(first.group(1)) \
                and is_syllable(_LAST_SYLLABLE.search(m.group(1)).group(1)):
            w.text = m.group(1)


# Marks no plan prints at a word's edge, glued on by a speck: a backtick, an acute or
# an underscore in front of a word, an apostrophe in front of a number, an underscore
# after a word ("`12/2023", "_Phòng", "UBND_").
_EDGE_SPECKS = re.compile(r"^[`´_]+(?=\w)|^['‘’]+(?=\d)|(?<=\w)_+$")


def drop_speck_marks(words: list[Word]) -> list[Word]:
    """The OCR words without the marks dust was read as (see the module docstring)."""
    out: list[Word] = []
    for w in words:
        if w.origin == "ocr" and (bare := _EDGE_SPECKS.sub("", w.text)) and bare != w.text:
            w.text = bare
        out.extend(_split_glued(w) if w.origin == "ocr" else [w])
    drop: set[int] = set()
    ocr = [w for w in out if w.origin == "ocr"]
    for line in text_lines(ocr, chain=False):
        _clean_line([w for _i, w in line], drop, ocr)
    for line in text_lines([w for w in ocr if id(w) not in drop]):
        _full_stops([w for _i, w in line])
    return [w for w in out if id(w) not in drop]


# A word of marks only that ends a cell: no printed cell ends on a bare dash or an
# opening bracket.
_TRAILING_MARKS = re.compile(r"\s+[-_~(“\"'`]+$")
# A comma or colon ending a cell, glued to its last word: nothing follows it, so it is
# the border's remains or a speck ("UBND các xã, phường,"; none of 1,125 cells of the
# fixture plans ends so). (A semicolon may end a list's last item.)
_TRAILING_PUNCTUATION = re.compile(r"(?<=\w)[,:]$")
# Opening brackets and quotes, each with the marks that close it.
_CLOSERS = {"(": ")", "“": "”", '"': '"'}
# ... a bracket only where it opens the cell (one inside may close in a part of the
# cell OCR lost; at the edge it is the border's remains).
_ONLY_AT_START = {"("}


def drop_unpaired_marks(text: str) -> str:
    """An OCR'd cell's text without the border marks at its edges: a mark-only word
    ending it, a comma or colon glued to its end, and an opening bracket or quote
    (alone, or glued to the front of a word) that nothing in the cell closes."""
    text = _TRAILING_PUNCTUATION.sub("", _TRAILING_MARKS.sub("", text))
    for opener, closer in _CLOSERS.items():
        if text.count(opener) != 1 or (closer != opener and closer in text):
            continue
        i = text.index(opener)
        if i == 0:
            text = text[1:].lstrip(" ")
        elif text[i - 1].isspace() and opener not in _ONLY_AT_START:
            text = text[:i] + text[i + 1:]
    return text


# The marks specks, show-through and the remains of a cell border are read as.
_SPECK_CELL = re.compile(r"^[\s.,;:_'`~ˆ¬‘’|¦\"“”^°*•–—-]+$")
# An OCR'd cell whose text is marks only and whose least sure word was read less sure
# than this holds specks. (Printed dashes on the scan matrix's tuning scans, seeds
# 11–14 at 150 and 200 dpi, bullets and "kinh tế - xã hội" alike: 85–90 % read at 0.8
# or surer; the "ˆ" of dust in the empty cell of a section row at 0.27.)
SPECK_CELL_CONFIDENCE = 0.8


def marks_only(text: str | None) -> bool:
    """Is the text nothing but the marks specks are read as (no letter, no digit)?"""
    return bool(text) and _SPECK_CELL.match(text) is not None


def speck_cell(text: str | None, confidence: float | None) -> bool:
    """Is a cell whose text OCR read with this (lowest word) confidence only specks:
    nothing but marks ("-", ".", "'", "_", "~", "|"), read unsure? A cell of a text
    layer (no confidence), a sure dash, and any letter or digit ("x", a row number)
    are text."""
    return confidence is not None and confidence < SPECK_CELL_CONFIDENCE and marks_only(text)
