"""Identify leaked glyphs by their outline when the glyph id says nothing.

The glyph table (`glyphs`) covers the Times New Roman version most Vietnamese
offices have. A subset cut from another version (other glyph ids, or an id whose
width does not match) can still be read: its embedded font program holds the
glyph's outline, and an outline equal to one of the table's fingerprints is that
character. This is the slow path (the font program is parsed with fontTools), run
only for glyphs the id could not identify, once per font program per document.
"""

from __future__ import annotations

import io
import logging
import struct

from vnplans.textlayer.fonts import EMPTY_OUTLINE, outline_fingerprint, strip_subset
from vnplans.textlayer.glyphs import fingerprint_index

log = logging.getLogger(__name__)


class FontPrograms:
    """Parsed embedded fonts of one PDF, by xref (kept for the whole document)."""

    def __init__(self, doc) -> None:
        self.doc = doc
        self._fonts: dict[int, object | None] = {}
        self._counts: dict[int, int | None] = {}
        self._bytes: dict[int, bytes | None] = {}

    def program(self, xref: int) -> bytes | None:
        if xref not in self._bytes:
            try:
                self._bytes[xref] = self.doc.extract_font(xref)[3] or None
            except Exception:  # noqa: BLE001 - unreadable font object
                self._bytes[xref] = None
        return self._bytes[xref]

    def glyphset(self, xref: int):
        """(glyph order, glyph set) of the font program, or None."""
        if xref not in self._fonts:
            self._fonts[xref] = self._load(xref)
        return self._fonts[xref]

    def num_glyphs(self, xref: int) -> int | None:
        """The glyph count from the program's `maxp` table, read directly (the fast
        path must not parse whole fonts)."""
        if xref not in self._counts:
            self._counts[xref] = _maxp_glyph_count(self.program(xref))
        return self._counts[xref]

    def _load(self, xref: int):
        from fontTools.ttLib import TTFont

        try:
            buf = self.program(xref)
            if not buf:
                return None
            # fontTools warns about padding in Ghostscript subsets; not our concern.
            logging.getLogger("fontTools").setLevel(logging.ERROR)
            font = TTFont(io.BytesIO(buf), lazy=True)
            return font.getGlyphOrder(), font.getGlyphSet()
        except Exception:  # noqa: BLE001 - not a TrueType program, or a broken one
            return None


def _maxp_glyph_count(buf: bytes | None) -> int | None:
    """numGlyphs of a TrueType/OpenType program (sfnt table directory → maxp)."""
    if not buf or len(buf) < 12:
        return None
    try:
        (num_tables,) = struct.unpack_from(">H", buf, 4)
        for i in range(num_tables):
            tag, _checksum, offset, _length = struct.unpack_from(">4sIII", buf, 12 + 16 * i)
            if tag == b"maxp":
                return struct.unpack_from(">H", buf, offset + 4)[0]
    except struct.error:
        return None
    return None


def id_table_applies(pdf_page, programs: FontPrograms, face_for) -> dict[str, bool]:
    """Per font name on the page: is one of its embedded programs the font version
    the glyph-id table was made from (same glyph count)? Subsets keep the glyph
    count of the font they were cut from, so another version (whose ids mean other
    glyphs) shows up here and its glyphs go to the outline path instead."""
    ok: dict[str, bool] = {}
    for xref, _e, ftype, basefont, *_ in pdf_page.get_fonts(full=True):
        if ftype not in ("Type0", "TrueType"):
            continue
        name = strip_subset(basefont)
        face = face_for(name, "bold" in name.lower(), "italic" in name.lower())
        if face is None:
            continue
        ok[name] = ok.get(name, False) or programs.num_glyphs(xref) == face.num_glyphs
    return ok


def recover_by_outline(pdf_page, unresolved: set[tuple[str, int]],
                       programs: FontPrograms) -> dict[tuple[str, int], str]:
    """(span font, glyph id) → character, for the glyphs whose outline in the page's
    embedded fonts matches a known outline."""
    index = fingerprint_index()
    found: dict[tuple[str, int], str] = {}
    fonts = [(xref, strip_subset(basefont)) for xref, _e, ftype, basefont, *_ in
             pdf_page.get_fonts(full=True) if ftype in ("Type0", "TrueType")]
    for span_font, gid in unresolved:
        candidates: set[str] = set()
        for xref, name in fonts:
            if not name.startswith(span_font):
                continue
            loaded = programs.glyphset(xref)
            if loaded is None:
                continue
            order, glyphset = loaded
            if gid >= len(order):
                continue
            try:
                fp = outline_fingerprint(glyphset, order[gid])
            except Exception:  # noqa: BLE001 - broken glyph program
                continue
            if fp != EMPTY_OUTLINE and fp in index:
                candidates.add(index[fp])
        if len(candidates) == 1:  # two fonts of one name disagreeing: trust neither
            found[(span_font, gid)] = candidates.pop()
    return found
