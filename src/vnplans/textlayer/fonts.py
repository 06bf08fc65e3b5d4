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
    origin = next((p for _op, args in pen.value for p in args if p is not None), (0, 0))
    parts = []
    for op, args in pen.value:
        # None: a closed contour of off-curve points only (no on-curve start).
        pts = ",".join("N" if p is None else f"{round(p[0] - origin[0])}:{round(p[1] - origin[1])}"
                       for p in args)
        parts.append(f"{op}({pts})")
    return hashlib.blake2b("".join(parts).encode(), digest_size=6).hexdigest()
