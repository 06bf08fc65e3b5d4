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
import zlib

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
        path must not parse whole fonts). A deflated TrueType program is inflated
        only as far as its `maxp` table (Word puts it in the first few KB of a
        subset, before the glyphs); anything unusual reads the whole program."""
        if xref not in self._counts:
            count = _NOT_STREAMED
            if xref not in self._bytes:
                try:
                    count = _streamed_glyph_count(self.doc, xref)
                except Exception:  # noqa: BLE001 - unusual object or stream: read it whole
                    count = _NOT_STREAMED
            if count is _NOT_STREAMED:
                count = _maxp_glyph_count(self.program(xref))
            self._counts[xref] = count  # type: ignore[assignment]
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


_NOT_STREAMED = object()  # the program is not a plain deflated TrueType stream


def _streamed_glyph_count(doc, xref: int):
    """`_maxp_glyph_count(doc.extract_font(xref)[3])` for a font whose program is a
    FontFile2 stream with a plain FlateDecode filter, inflating only what the table
    directory and `maxp` need; `_NOT_STREAMED` for any other font (the caller then
    reads the whole program, as `extract_font` does)."""
    from pymupdf import mupdf

    pdf = mupdf.PdfDocument(doc.this) if not isinstance(doc.this, mupdf.PdfDocument) else doc.this
    font = mupdf.pdf_load_object(pdf, xref)
    if mupdf.pdf_to_name(mupdf.pdf_dict_get(font, mupdf.PDF_ENUM_NAME_Type)) != "Font" or \
            mupdf.pdf_to_name(mupdf.pdf_dict_get(font, mupdf.PDF_ENUM_NAME_Subtype)).startswith("CIDFontType"):
        return _NOT_STREAMED
    descendants = mupdf.pdf_dict_get(font, mupdf.PDF_ENUM_NAME_DescendantFonts)
    if descendants.m_internal:
        font = mupdf.pdf_array_get(descendants, 0)
    descriptor = mupdf.pdf_dict_get(font, mupdf.PDF_ENUM_NAME_FontDescriptor)
    if not mupdf.pdf_is_dict(descriptor) or \
            mupdf.pdf_dict_get(descriptor, mupdf.PDF_ENUM_NAME_FontFile).m_internal or \
            mupdf.pdf_dict_get(descriptor, mupdf.PDF_ENUM_NAME_FontFile3).m_internal:
        return _NOT_STREAMED
    stream = mupdf.pdf_dict_get(descriptor, mupdf.PDF_ENUM_NAME_FontFile2)
    if not mupdf.pdf_is_stream(stream) or \
            mupdf.pdf_to_name(mupdf.pdf_dict_get(stream, mupdf.PDF_ENUM_NAME_Filter)) != "FlateDecode" or \
            mupdf.pdf_dict_get(stream, mupdf.PDF_ENUM_NAME_DecodeParms).m_internal:
        return _NOT_STREAMED
    raw = mupdf.pdf_load_raw_stream(stream).fz_buffer_extract_copy()
    return _maxp_glyph_count_inflating(raw)


def _maxp_glyph_count_inflating(raw: bytes):
    """`_maxp_glyph_count` of the zlib stream `raw`, inflated only as far as needed;
    `_NOT_STREAMED` when it does not inflate cleanly."""
    inflater = zlib.decompressobj()
    buf = bytearray()
    pending = [raw]

    def have(n: int) -> bool:
        """Are the first n bytes there? False: the whole program is shorter."""
        while len(buf) < n:
            if inflater.eof:
                return False
            data = pending.pop() if pending else inflater.unconsumed_tail
            if not data:
                raise zlib.error("truncated stream")
            buf.extend(inflater.decompress(data, max(n - len(buf), 8192)))
        return True

    try:
        if not have(12):
            return _maxp_glyph_count(bytes(buf))
        (num_tables,) = struct.unpack_from(">H", buf, 4)
        for i in range(num_tables):
            if not have(12 + 16 * (i + 1)):
                return _maxp_glyph_count(bytes(buf))
            tag, _checksum, offset, _length = struct.unpack_from(">4sIII", buf, 12 + 16 * i)
            if tag == b"maxp":
                if not have(offset + 6):
                    return _maxp_glyph_count(bytes(buf))
                return struct.unpack_from(">H", buf, offset + 4)[0]
    except zlib.error:
        return _NOT_STREAMED
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


class IdTable:
    """`id_table_applies` asked lazily, per span font: only fonts that hold leaked
    glyphs are looked at, and a font name stops being checked at the first embedded
    program that matches (reading a program's glyph count inflates it whole, and a
    page may embed several full fonts of one name that leak nothing).

    `applies(span_font)` equals `any(usable for name, usable in
    id_table_applies(...).items() if name.startswith(span_font))`."""

    def __init__(self, pdf_page, programs: FontPrograms, face_for) -> None:
        self.pdf_page = pdf_page
        self.programs = programs
        self.face_for = face_for
        self._fonts: list[tuple[int, str, object]] | None = None
        self._applies: dict[str, bool] = {}

    def _page_fonts(self) -> list[tuple[int, str, object]]:
        """(xref, name, face) of the page's embedded fonts that have a glyph table,
        composite (Type0) fonts first: those are the ones that lose their Unicode
        maps, and the smaller programs."""
        if self._fonts is None:
            fonts = []
            for xref, _e, ftype, basefont, *_ in self.pdf_page.get_fonts(full=True):
                if ftype not in ("Type0", "TrueType"):
                    continue
                name = strip_subset(basefont)
                face = self.face_for(name, "bold" in name.lower(), "italic" in name.lower())
                if face is not None:
                    fonts.append((ftype != "Type0", xref, name, face))
            fonts.sort(key=lambda f: f[0])  # stable: page order within each kind
            self._fonts = [(xref, name, face) for _t, xref, name, face in fonts]
        return self._fonts

    def applies(self, span_font: str) -> bool:
        if span_font not in self._applies:
            self._applies[span_font] = any(
                self.programs.num_glyphs(xref) == face.num_glyphs  # type: ignore[attr-defined]
                for xref, name, face in self._page_fonts() if name.startswith(span_font))
        return self._applies[span_font]


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
