"""Recover characters whose Unicode mapping a PDF lost (leaked glyph ids).

PyMuPDF reports such a character as U+FFFD together with its glyph id. For fonts
cut from Times New Roman the id identifies the character through the face's glyph
table (`extractors/tnr_glyphs.yaml`, see `glyph_table_build`). Two pieces of evidence
must agree before a character is accepted:

1. the glyph id is in the table of the span's face, and
2. the advance width the PDF lays the glyph out with equals the table's width for
   that id (this rejects other fonts and other TNR versions with a different glyph
   order).

When the embedded font program is at hand, `verify_font` adds a third: the glyph's
outline fingerprint equals the table's.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from functools import cache

from vnplans.knowledge import load
from vnplans.textlayer.fonts import EMPTY_OUTLINE, face_key, outline_fingerprint

REPLACEMENT = 0xFFFD
# Relative tolerance on the advance width (PDF widths are rounded to 1/1000 em).
WIDTH_TOLERANCE = 0.03


@dataclass(frozen=True, slots=True)
class Face:
    key: str
    num_glyphs: int
    units_per_em: int
    glyphs: dict[int, tuple[str, int, str]]  # gid → (char, advance, fingerprint)


@cache
def faces() -> dict[str, Face]:
    data = load("tnr_glyphs") or {}
    out = {}
    for key, face in (data.get("faces") or {}).items():
        glyphs = {int(gid): (v[0], int(v[1]), str(v[2])) for gid, v in face["glyphs"].items()}
        out[key] = Face(key, int(face["num_glyphs"]), int(face.get("units_per_em", 2048)), glyphs)
    return out


@cache
def face_for(font_name: str, bold: bool = False, italic: bool = False) -> Face | None:
    """The glyph table for a span font name (PyMuPDF may truncate names, e.g.
    'TimesNewRomanPS-BoldItal'), or None for fonts we have no table for."""
    key = face_key(font_name)
    if not key:
        return None
    table = faces()
    if key in table:
        return table[key]
    candidates = [f for k, f in table.items() if k.startswith(key) or key.startswith(k)]
    if len(candidates) > 1:
        # Same family, pick by style.
        styled = [f for f in candidates
                  if ("bold" in f.key) == bold and ("italic" in f.key) == italic]
        candidates = styled or candidates
    return candidates[0] if len(candidates) == 1 else None


def advance_matches(face: Face, gid: int, measured_em: float) -> bool:
    """Does the width the PDF used (in em) match the table's advance for gid?"""
    entry = face.glyphs.get(gid)
    if entry is None:
        return False
    expected = entry[1] / face.units_per_em
    return abs(measured_em - expected) <= max(WIDTH_TOLERANCE * expected, 0.01)


def recover(face: Face | None, gid: int, measured_em: float | None) -> str | None:
    """The character of a leaked glyph id, or None when the evidence does not agree."""
    if face is None:
        return None
    entry = face.glyphs.get(gid)
    if entry is None:
        return None
    if measured_em is not None:
        expected = entry[1] / face.units_per_em
        if abs(measured_em - expected) > max(WIDTH_TOLERANCE * expected, 0.01):
            return None
    return entry[0]


@cache
def fingerprint_index() -> dict[str, str]:
    """Outline fingerprint → character over every face of the table.

    Fonts draw look-alikes with one outline (Đ and Ð, "-" and U+2010, Latin A and
    Cyrillic А): the likelier character in Vietnamese text wins (ASCII, then
    Vietnamese letters, then the rest); two equally likely ones cancel out."""
    index: dict[str, str] = {}
    clashes: set[str] = set()
    for face in faces().values():
        for char, _adv, fp in face.glyphs.values():
            if fp == EMPTY_OUTLINE:
                continue  # blank glyphs (spaces) say nothing
            old = index.get(fp)
            if old is None or _rank(char) < _rank(old):
                index[fp] = char
                clashes.discard(fp)
            elif old != char and _rank(char) == _rank(old):
                clashes.add(fp)
    for fp in clashes:
        index.pop(fp, None)
    return index


def _rank(char: str) -> int:
    if char.isascii():
        return 0
    base = unicodedata.normalize("NFD", char)[0]
    if char in "đĐ" or (base.isascii() and base.isalpha()):
        return 1  # Vietnamese (and other Latin) letters with marks
    if ord(char) < 0x0370 or 0x1E00 <= ord(char) <= 0x1EFF:
        return 2
    return 3


def verify_font(font_bytes: bytes, face: Face, gids) -> dict[int, bool | None]:
    """For each gid: does the embedded font's outline equal the table's? None when
    the subset does not hold that glyph (subsets keep only the glyphs they draw).

    Slow path (parses the font program): used by tests and diagnostics."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_bytes), lazy=True)
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    out: dict[int, bool | None] = {}
    for gid in gids:
        entry = face.glyphs.get(gid)
        if entry is None or gid >= len(order):
            out[gid] = None
            continue
        try:
            got = outline_fingerprint(glyphset, order[gid])
        except Exception:  # noqa: BLE001 - broken glyph program
            out[gid] = False
            continue
        out[gid] = None if got == EMPTY_OUTLINE != entry[2] else got == entry[2]
    return out
