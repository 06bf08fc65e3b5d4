"""Characters of a PDF page's text layer with leaked glyph ids recovered, and words
built from them.

`page_chars` reads PyMuPDF's text trace (one entry per glyph: code point, glyph id,
origin, advance box) and replaces each U+FFFD by the character its glyph id stands
for (`glyphs.recover`). `build_words` groups characters into the IR's words.
`read_document` is a self-contained reader used when `vnplans.pdf.reader` is not
available (and by the benchmark), producing the same IR.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from vnplans.ir import DocumentPages, Page, Rule, Word
from vnplans.textlayer.glyphs import REPLACEMENT, face_for, recover

_BOLD_FLAG = 16  # PyMuPDF span flags
_ITALIC_FLAG = 2


@dataclass(slots=True)
class Char:
    text: str  # one character; "\ufffd" when it could not be recovered
    x0: float
    y0: float
    x1: float
    y1: float
    baseline: float
    font: str
    size: float
    bold: bool
    italic: bool
    repaired: bool = False

    @property
    def unknown(self) -> bool:
        return self.text == "\ufffd"

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


def _style(span: dict) -> tuple[bool, bool]:
    name = span["font"].lower()
    bold = bool(span["flags"] & _BOLD_FLAG) or "bold" in name
    italic = bool(span["flags"] & _ITALIC_FLAG) or "italic" in name or "oblique" in name
    return bold, italic


def page_chars(page) -> tuple[list[Char], int, int]:
    """(characters in content order, leaked glyphs seen, leaked glyphs recovered)."""
    matrix = page.rotation_matrix if page.rotation else None
    chars: list[Char] = []
    leaked = recovered = 0
    for span in page.get_texttrace():
        if span.get("type", 0) == 3 or span.get("opacity", 1) == 0:
            continue  # invisible text (e.g. an OCR layer under a scan) is not displayed
        size = float(span["size"]) or 1.0
        bold, italic = _style(span)
        font = span["font"]
        dx, dy = span["dir"]
        horizontal = abs(dx) >= abs(dy)
        face = None
        for cp, gid, origin, bbox in span["chars"]:
            text = chr(cp) if cp >= 0 else "\ufffd"
            repaired = False
            if cp == REPLACEMENT:
                leaked += 1
                if face is None:
                    face = face_for(font, bold, italic) or False
                advance = (bbox[2] - bbox[0]) if horizontal else (bbox[3] - bbox[1])
                char = recover(face or None, gid, abs(advance) / size)
                if char is not None:
                    text, repaired = char, True
                    recovered += 1
            x0, y0, x1, y1 = bbox
            base = origin[1]
            if matrix is not None:
                import pymupdf

                r = pymupdf.Rect(bbox) * matrix
                x0, y0, x1, y1 = r.x0, r.y0, r.x1, r.y1
                base = (pymupdf.Point(origin) * matrix).y
            chars.append(Char(text, x0, y0, x1, y1, base, font, size, bold, italic, repaired))
    return chars, leaked, recovered


def _lines(chars: list[Char]) -> list[list[Char]]:
    """Group characters into visual lines (same baseline), each sorted left to right."""
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (round(c.baseline, 1), c.x0)):
        if lines:
            last = lines[-1][-1]
            if abs(ch.baseline - last.baseline) <= 0.3 * max(min(ch.size, last.size), 1):
                lines[-1].append(ch)
                continue
        lines.append([ch])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _word(chars: list[Char]) -> Word:
    text = "".join(c.text for c in chars)
    main = max(chars, key=lambda c: c.x1 - c.x0)
    unknown = sum(c.unknown for c in chars)
    return Word(
        text=text,
        x0=min(c.x0 for c in chars), y0=min(c.y0 for c in chars),
        x1=max(c.x1 for c in chars), y1=max(c.y1 for c in chars),
        font=main.font, size=round(main.size, 2), bold=main.bold, italic=main.italic,
        origin="repaired" if any(c.repaired for c in chars) else "native",
        confidence=1.0 - unknown / len(chars),
    )


# A gap wider than this share of the font size between two glyphs is a word break
# even without a space character (a space of Times New Roman is 0.25 em).
WORD_GAP = 0.18


def _separates(space: Char, left: Char, right: Char) -> bool:
    """Does this space character stand between the two glyphs?

    A space lying under one of them (a blank that a number was later typed over, as
    in "Số:      /QĐ" filled in with "1050") separates only glyphs of two different
    text runs (other size or baseline), never the digits typed over it."""
    if not left.xc < space.xc < right.xc:
        return False
    half = (space.x1 - space.x0) / 2
    covered = any(min(space.x1, ch.x1) - max(space.x0, ch.x0) > half for ch in (left, right))
    if not covered:
        return True
    return (abs(left.size - right.size) > 0.05 * max(left.size, right.size)
            or abs(left.baseline - right.baseline) > 0.1 * max(left.size, right.size))


def build_words(chars: list[Char]) -> list[Word]:
    """Words: runs of glyphs on one line without a space character or a visible gap
    between them."""
    words: list[Word] = []
    for line in _lines(chars):
        glyphs = [c for c in line if not c.text.isspace()]
        spaces = [c for c in line if c.text.isspace()]
        run: list[Char] = []
        si = 0
        for ch in glyphs:
            if run:
                prev = run[-1]
                cut = ch.x0 - prev.x1 > WORD_GAP * min(ch.size, prev.size)
                while si < len(spaces) and spaces[si].xc <= prev.xc:
                    si += 1
                j = si
                while not cut and j < len(spaces) and spaces[j].xc < ch.xc:
                    cut = _separates(spaces[j], prev, ch)
                    j += 1
                if cut:
                    words.append(_word(run))
                    run = []
            run.append(ch)
        if run:
            words.append(_word(run))
    return words


def page_rules(page) -> list[Rule]:
    """Thin drawn lines and rectangles as ruling segments."""
    rules: list[Rule] = []
    matrix = page.rotation_matrix if page.rotation else None
    for path in page.get_drawings():
        for item in path["items"]:
            if item[0] == "l":
                p, q = item[1], item[2]
                if matrix is not None:
                    p, q = p * matrix, q * matrix
                if abs(p.x - q.x) < 1.5 or abs(p.y - q.y) < 1.5:
                    rules.append(Rule(p.x, p.y, q.x, q.y))
            elif item[0] == "re":
                r = item[1] * matrix if matrix is not None else item[1]
                if r.height < 2.5:
                    rules.append(Rule(r.x0, (r.y0 + r.y1) / 2, r.x1, (r.y0 + r.y1) / 2))
                elif r.width < 2.5:
                    rules.append(Rule((r.x0 + r.x1) / 2, r.y0, (r.x0 + r.x1) / 2, r.y1))
                else:  # a cell border drawn as a rectangle
                    rules += [Rule(r.x0, r.y0, r.x1, r.y0), Rule(r.x0, r.y1, r.x1, r.y1),
                              Rule(r.x0, r.y0, r.x0, r.y1), Rule(r.x1, r.y0, r.x1, r.y1)]
    return rules


def read_document(path: str | Path) -> DocumentPages:
    """Words (text layer as is, glyph ids *not* yet recovered) and rules of every page."""
    import pymupdf

    data = Path(path).read_bytes()
    pages: list[Page] = []
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        for number, page in enumerate(doc, start=1):
            words = []
            for x0, y0, x1, y1, text, *_ in page.get_text("words", sort=False):
                words.append(Word(text, x0, y0, x1, y1))
            rect = page.rect
            pages.append(Page(number, rect.width, rect.height, words, page_rules(page)))
    return DocumentPages(str(path), hashlib.sha256(data).hexdigest(), pages)
