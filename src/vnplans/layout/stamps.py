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
from dataclasses import dataclass
from functools import cache

from vnplans.geometry import LineSettings, group_lines, split_segments
from vnplans.ir import Page, Word
from vnplans.knowledge import load

# The stamp's lines: a gap wider than 1.5 text sizes separates the stamp from text
# beside it (the table reader's grouping otherwise).
_STAMP_LINES = LineSettings(gap_em=1.5)
# Stamp lines follow each other at most this far apart (in line heights).
_LINE_STEP = 1.8
# Words of the stamp differ in size from its label words by at most this (pt).
_SIZE_TOLERANCE = 0.6
# A stamp word's centre lies inside the stamp's box, or this far (pt) outside it
# (the box is its label lines' box; a value's glyphs may reach a little past it).
_BOX_SLACK = 1.0


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


def _is_label_line(text: str, labels: tuple[str, ...]) -> bool:
    return any(text.startswith(label) and text[len(label):].lstrip().startswith(":")
               for label in labels)


def _stamp_boxes(page: Page, rules: _Rules) -> list[tuple[float, float, float, float, float]]:
    """(x0, y0, x1, y1, text size) of each stamp on the page."""
    small = [w for w in page.words if 0 < w.size <= rules.max_size]
    # Most pages hold no label word at all: no need to lay their small text out.
    if sum(w.text in rules.first_words for w in small) < rules.min_labels:
        return []
    # The small words laid out on their own: a stamp beside body text on the same
    # baseline (the motto on page 1) is still a line of its own.
    labelled = [segment for line in group_lines(small)
                for segment in split_segments(line, _STAMP_LINES)
                if _is_label_line(segment.text, rules.labels)]
    boxes = []
    used: set[int] = set()
    for i, first in enumerate(labelled):
        if i in used:
            continue
        block = [first]
        used.add(i)
        x0, y0, x1, y1 = first.x0, first.y0, first.x1, first.y1
        step = _LINE_STEP * (y1 - y0)
        for j in range(i + 1, len(labelled)):
            if j in used:
                continue
            other = labelled[j]
            bx0, by0, bx1, by1 = other.x0, other.y0, other.x1, other.y1
            if by0 - y1 <= step and bx0 < x1 and bx1 > x0 - step:
                block.append(other)
                used.add(j)
                x0, y0, x1, y1 = min(x0, bx0), min(y0, by0), max(x1, bx1), max(y1, by1)
        if len(block) >= rules.min_labels:
            size = min(w.size for s in block for w in s.words)
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
            if (abs(word.size - size) <= _SIZE_TOLERANCE
                    and x0 - _BOX_SLACK <= cx <= x1 + _BOX_SLACK
                    and y0 - _BOX_SLACK <= cy <= y1 + reach):
                break
        else:
            kept.append(word)
    removed = len(page.words) - len(kept)
    page.words = kept
    return removed


__all__ = ["remove_signature_stamps"]
