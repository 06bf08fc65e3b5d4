"""The page intermediate representation shared by every stage after PDF reading.

A page is words with their boxes, font and style, plus ruling lines. It is produced
either from the native text layer (`vnplans.pdf.reader`) or from OCR
(`vnplans.textlayer.ocr`), so the layout, table and header-block stages never care
where a word came from. Plain dataclasses (not pydantic): pages hold thousands of
words and these are built in the hot path.

Coordinates are PDF points in the page's *displayed* orientation, origin top-left,
y growing downwards (PyMuPDF's convention).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

WordOrigin = Literal["native", "repaired", "ocr"]


class Box:
    """Centre and height of anything with x0, y0, x1, y1 (words, lines)."""

    __slots__ = ()
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class Word(Box):
    text: str  # NFC, no whitespace inside
    x0: float
    y0: float
    x1: float
    y1: float
    font: str = ""
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    origin: WordOrigin = "native"
    # OCR confidence (0..1) or text-layer validity after repair; 1.0 for clean native text.
    confidence: float = 1.0


@dataclass(slots=True)
class Rule:
    """A ruling line segment (table border). Horizontal when y0 == y1 (within tolerance)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def horizontal(self) -> bool:
        return abs(self.y1 - self.y0) <= abs(self.x1 - self.x0)


def split_rules(rules: list[Rule]) -> tuple[list[Rule], list[Rule]]:
    """(horizontal, vertical) rules, each in their order: one pass for callers that
    filter both kinds (a table page has a rule per row and column)."""
    horizontal: list[Rule] = []
    vertical: list[Rule] = []
    for r in rules:
        (horizontal if r.horizontal else vertical).append(r)
    return horizontal, vertical


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    # "native": text layer used as is; "repaired": text layer fixed (legacy encoding,
    # leaked glyph ids); "ocr": words come from OCR of the rendered page.
    text_source: Literal["native", "repaired", "ocr", "empty"] = "native"
    warnings: list[str] = field(default_factory=list)

    @property
    def landscape(self) -> bool:
        return self.width > self.height


@dataclass(slots=True)
class DocumentPages:
    """All pages of one PDF plus what the text-layer stage did to them."""

    path: str
    sha256: str
    pages: list[Page]
    encoding: Literal["unicode", "tcvn3", "vni"] = "unicode"
    warnings: list[str] = field(default_factory=list)

    @property
    def text_layer(self) -> Literal["native", "ocr", "mixed"]:
        sources = {p.text_source for p in self.pages if p.text_source != "empty"}
        if sources == {"ocr"}:
            return "ocr"
        if "ocr" in sources:
            return "mixed"
        return "native"
