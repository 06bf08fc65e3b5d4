"""Leaked glyph ids in a page's text trace, recovered.

PyMuPDF's text trace has one entry per glyph: code point, glyph id, origin and
advance box. A glyph whose font lost its Unicode mapping comes with code point
U+FFFD; `repair_trace` replaces it by the character its glyph id stands for
(`glyphs.recover`, checked against the advance width). The reader's own word builder
(`vnplans.pdf.reader.words_from_trace`) then turns the repaired trace into words, so
repaired pages split into words exactly like clean ones.
"""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING

from vnplans.textlayer.glyphs import REPLACEMENT, WIDTH_TOLERANCE, Face, face_for, recover

if TYPE_CHECKING:
    from vnplans.textlayer.outlines import IdTable

_CODE = itemgetter(0)  # a trace glyph's code point

_BOLD_FLAG = 16  # PyMuPDF span flags
_ITALIC_FLAG = 2


def _style(span: dict) -> tuple[bool, bool]:
    name = span["font"].lower()
    bold = bool(span["flags"] & _BOLD_FLAG) or "bold" in name
    italic = bool(span["flags"] & _ITALIC_FLAG) or "italic" in name or "oblique" in name
    return bold, italic


def repair_trace(spans: list[dict], known: dict[tuple[str, int], str] | None = None,
                 id_table: IdTable | dict[str, bool] | None = None,
                 ) -> tuple[list[dict], int, int, set[tuple[str, int]]]:
    """(spans with leaked glyphs recovered, leaked glyphs seen, glyphs recovered,
    (span font, glyph id) of the glyphs left unrecovered).

    `known` maps (span font, glyph id) to characters found by other evidence (the
    outline, see `outlines.recover_by_outline`); `id_table` says per embedded font
    name whether the glyph-id table applies to it (`outlines.IdTable`, or a dict as
    `outlines.id_table_applies` returns; None: assume it does). An unrecoverable
    glyph stays U+FFFD. Spans are also cut where their baseline jumps (see `_lines_of`).
    """
    # Runs once per glyph of a repaired page: spans without a leaked glyph (most of
    # them) are checked in C (`in` over a map) and passed on as they are; a span
    # font's glyph table is looked up once per page.
    out: list[dict] = []
    append = out.append
    leaked = recovered = 0
    unresolved: set[tuple[str, int]] = set()
    faces: dict[tuple[str, int], Face | None] = {}
    for span in spans:
        chars = span["chars"]
        size = float(span["size"]) or 1.0
        dx, dy = span["dir"]
        horizontal = abs(dx) >= abs(dy)
        if REPLACEMENT not in map(_CODE, chars):
            axis = 1 if horizontal else 0
            if len(chars) < 2 or abs(chars[0][2][axis] - chars[-1][2][axis]) <= 0.1 * size:
                append(span)  # the usual case: one line (see `_lines_of`), no copy
                continue
            runs = _lines_of(chars, horizontal, size)
            if len(runs) == 1:
                append(span)
            else:
                out.extend({**span, "chars": run} for run in runs)
            continue
        font = span["font"]
        key = (font, span["flags"])
        if key in faces:
            face = faces[key]
        else:
            face = faces[key] = _face_of(span, id_table)
        # `glyphs.recover`, inlined: this loop runs once per glyph of the span.
        table = face.glyphs if face is not None else None
        upem = face.units_per_em if face is not None else 1
        new_chars = []
        add = new_chars.append
        for ch in chars:
            if ch[0] == REPLACEMENT:
                leaked += 1
                _cp, gid, origin, bbox = ch
                char = None
                entry = table.get(gid) if table is not None else None
                if entry is not None:
                    advance = (bbox[2] - bbox[0]) if horizontal else (bbox[3] - bbox[1])
                    expected = entry[1] / upem
                    if not abs(abs(advance) / size - expected) > max(WIDTH_TOLERANCE * expected, 0.01):
                        char = entry[0]
                if char is None and known:
                    char = known.get((font, gid))
                if char is not None:
                    ch = (ord(char), gid, origin, bbox)
                    recovered += 1
                else:
                    unresolved.add((font, gid))
            add(ch)
        axis = 1 if horizontal else 0
        if len(new_chars) < 2 or abs(new_chars[0][2][axis] - new_chars[-1][2][axis]) <= 0.1 * size:
            append({**span, "chars": new_chars})  # one line (see `_lines_of`)
        else:
            out.extend({**span, "chars": run} for run in _lines_of(new_chars, horizontal, size))
    return out, leaked, recovered, unresolved


def _face_of(span: dict, id_table: IdTable | dict[str, bool] | None) -> Face | None:
    """The glyph table for a span's font, None when there is none or when the page's
    embedded font of that name is another version (its ids mean other glyphs)."""
    bold, italic = _style(span)
    face = face_for(span["font"], bold, italic)
    if face is None or id_table is None:
        return face
    if isinstance(id_table, dict):
        applies = any(usable for name, usable in id_table.items() if name.startswith(span["font"]))
    else:
        applies = id_table.applies(span["font"])
    return face if applies else None


def remap_by_glyph_id(spans: list[dict], id_table: IdTable | dict[str, bool] | None = None,
                      ) -> tuple[list[dict], int]:
    """Every glyph of a font with a glyph table re-read from its glyph id (where its
    advance width agrees), whatever code point the PDF maps it to: for text layers
    whose ToUnicode map is wrong rather than missing ("6Ӣ CÔNG 7+ѬѪ1*", each glyph
    id written out as a code point). Returns the spans and the glyphs changed."""
    out: list[dict] = []
    changed = 0
    for span in spans:
        face = _face_of(span, id_table)
        if face is None:
            out.append(span)
            continue
        size = float(span["size"]) or 1.0
        dx, dy = span["dir"]
        horizontal = abs(dx) >= abs(dy)
        new_chars = []
        for ch in span["chars"]:
            cp, gid, origin, bbox = ch
            advance = (bbox[2] - bbox[0]) if horizontal else (bbox[3] - bbox[1])
            char = recover(face, gid, abs(advance) / size)
            if char is not None and ord(char) != cp:
                ch = (ord(char), gid, origin, bbox)
                changed += 1
            new_chars.append(ch)
        out.extend({**span, "chars": run} for run in _lines_of(new_chars, horizontal, size))
    return out, changed


def _lines_of(chars: list[tuple], horizontal: bool, size: float) -> list[list[tuple]]:
    """Cut a span where its baseline jumps: Ghostscript output has spans running over
    two lines, and a word builder that takes the baseline from a span's first glyph
    would cut the next line's words where the span ends."""
    axis = 1 if horizontal else 0
    if len(chars) < 2 or abs(chars[0][2][axis] - chars[-1][2][axis]) <= 0.1 * size:
        return [chars]  # the usual case: one line (checked by its ends)
    runs: list[list[tuple]] = [[]]
    for ch in chars:
        if runs[-1] and abs(ch[2][axis] - runs[-1][-1][2][axis]) > 0.1 * size:
            runs.append([])
        runs[-1].append(ch)
    return [r for r in runs if r]
