"""Digital-signature stamps removed from a page before its layout is read.

Published plans are signed digitally, and the signing software prints the signature's
visible stamp on the page: a small box of lines "Người ký: Sở Nội vụ / Email: … / Cơ
quan: Tỉnh Quảng Ngãi / Thời gian ký: …", at the top right of the first page, of the
appendix's first page, or of every page. Left in, its lines read as the carried-over
end of a table row, as text above a repeated header (a new table) or as the signer's
name. The labels and the size limit live in `extractors/signature_stamps.yaml`.

Only words of the stamp's own (small) size inside the stamp's box are removed, so the
table or header words a stamp overlaps stay.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache

from vnplans.ir import Page, Word
from vnplans.knowledge import load

# Words on one stamp line: baselines within this share of the text size.
_SAME_LINE = 0.5
# A gap wider than this (in text sizes) separates the stamp from text beside it.
_SEGMENT_GAP = 1.5
# Stamp lines follow each other at most this far apart (in line heights).
_LINE_STEP = 1.8
# Words of the stamp differ in size from its label words by at most this (pt).
_SIZE_TOLERANCE = 0.6


@dataclass(frozen=True)
class _Rules:
    labels: tuple[str, ...]
    min_labels: int
    max_size: float
    first_words: frozenset[str]  # a label's first word, ":" included when it is alone


@cache
def _rules() -> _Rules:
    data = load("signature_stamps")
    labels = tuple(unicodedata.normalize("NFC", str(label)).strip()
                   for label in data.get("labels", []))
    first_words = frozenset(w for label in labels
                            for w in (label.split()[0], label.split()[0] + ":"))
    return _Rules(labels=labels, min_labels=int(data.get("min_labels", 2)),
                  max_size=float(data.get("max_size_pt", 10.5)), first_words=first_words)


@dataclass
class _Segment:
    words: list[Word] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (min(w.x0 for w in self.words), min(w.y0 for w in self.words),
                max(w.x1 for w in self.words), max(w.y1 for w in self.words))


def _segments(words: list[Word]) -> list[_Segment]:
    """Small words as line segments: by baseline, then cut at wide gaps."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.y1, w.x0)):
        if lines and abs(lines[-1][-1].y1 - word.y1) <= _SAME_LINE * max(word.size, 1.0):
            lines[-1].append(word)
        else:
            lines.append([word])
    segments: list[_Segment] = []
    for line in lines:
        line.sort(key=lambda w: w.x0)
        current = _Segment([line[0]])
        for word in line[1:]:
            if word.x0 - current.words[-1].x1 > _SEGMENT_GAP * max(word.size, 1.0):
                segments.append(current)
                current = _Segment([word])
            else:
                current.words.append(word)
        segments.append(current)
    return segments


def _is_label_line(text: str, labels: tuple[str, ...]) -> bool:
    return any(text.startswith(label) and text[len(label):].lstrip().startswith(":")
               for label in labels)


def _stamp_boxes(page: Page, rules: _Rules) -> list[tuple[float, float, float, float, float]]:
    """(x0, y0, x1, y1, text size) of each stamp on the page."""
    small = [w for w in page.words if 0 < w.size <= rules.max_size]
    # Most pages hold no label word at all: no need to lay their small text out.
    if sum(w.text in rules.first_words for w in small) < rules.min_labels:
        return []
    segments = _segments(small)
    labelled = [s for s in segments if _is_label_line(s.text, rules.labels)]
    boxes = []
    used: set[int] = set()
    for i, first in enumerate(labelled):
        if i in used:
            continue
        block = [first]
        used.add(i)
        x0, y0, x1, y1 = first.box
        step = _LINE_STEP * (y1 - y0)
        for j in range(i + 1, len(labelled)):
            if j in used:
                continue
            bx0, by0, bx1, by1 = labelled[j].box
            if by0 - y1 <= step and bx0 < x1 and bx1 > x0 - step:
                block.append(labelled[j])
                used.add(j)
                x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
        if len(block) >= rules.min_labels:
            size = sorted(w.size for s in block for w in s.words)[0]
            boxes.append((x0, y0, x1, y1, size))
    return boxes


def remove_signature_stamps(page: Page) -> int:
    """Remove the words of every signature stamp on `page`; returns the words removed.

    A stamp's box runs from its first label line to its last; a wrapped label value
    ("… +07:00" on the next line) inside the box's width and just under it is the
    stamp's too."""
    rules = _rules()
    boxes = _stamp_boxes(page, rules)
    if not boxes:
        return 0
    kept: list[Word] = []
    for word in page.words:
        cx, cy = (word.x0 + word.x1) / 2, (word.y0 + word.y1) / 2
        for x0, y0, x1, y1, size in boxes:
            reach = _LINE_STEP * size  # one wrapped line under the last label line
            if (abs(word.size - size) <= _SIZE_TOLERANCE and x0 - 1 <= cx <= x1 + 1
                    and y0 - 1 <= cy <= y1 + reach):
                break
        else:
            kept.append(word)
    removed = len(page.words) - len(kept)
    page.words = kept
    return removed


__all__ = ["remove_signature_stamps"]
