"""Font identity helpers: face keys and outline fingerprints of TrueType glyphs."""

from __future__ import annotations

import hashlib
import re

_SUBSET = re.compile(r"^[A-Z]{6}\+")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def strip_subset(name: str) -> str:
    """'PLFVGM+TimesNewRomanPSMT' → 'TimesNewRomanPSMT'."""
    return _SUBSET.sub("", name)


def face_key(name: str) -> str:
    """A comparable face name: subset prefix, case and punctuation dropped."""
    return _NON_ALNUM.sub("", strip_subset(name).lower())


EMPTY_OUTLINE = hashlib.blake2b(b"", digest_size=6).hexdigest()


def outline_fingerprint(glyphset, glyph_name: str) -> str:
    """A short hash of the glyph's decomposed outline (points and curve kinds).

    Hinting is ignored, so a Ghostscript subset of a glyph hashes like the glyph of
    the complete font it was cut from."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    pen = DecomposingRecordingPen(glyphset)
    glyphset[glyph_name].draw(pen)
    # Relative to the first point: Ghostscript's subsets move some glyphs by one unit
    # (their left side bearing is re-rounded) without changing the shape.
    origin = None
    parts = []
    for op, args in pen.value:
        if origin is None and args:
            origin = args[0]
        pts = ",".join(f"{round(x - origin[0])}:{round(y - origin[1])}" for x, y in args)
        parts.append(f"{op}({pts})")
    return hashlib.blake2b("".join(parts).encode(), digest_size=6).hexdigest()
