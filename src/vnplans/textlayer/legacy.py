"""Decode text set in pre-Unicode Vietnamese fonts: TCVN3 (.VnTime …) and VNI.

Detection goes by font name first (`legacy_encodings.yaml` patterns); a text layer
whose fonts do not say anything is tested by statistics: decode the candidate
encoding and keep it only when far more words become Vietnamese syllables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from vnplans.knowledge import load
from vnplans.textlayer.fonts import strip_subset
from vnplans.textlayer.syllables import validity

ENCODINGS = ("tcvn3", "vni")


@dataclass(frozen=True)
class Codec:
    name: str
    fonts: tuple[re.Pattern, ...]
    upper_fonts: tuple[re.Pattern, ...]
    table: dict[str, str]  # byte-character sequence → Unicode
    pattern: re.Pattern  # longest sequence first
    marker_chars: frozenset[str]  # characters that never occur in clean Vietnamese Unicode

    def decode(self, text: str, upper: bool = False) -> str:
        out = self.pattern.sub(lambda m: self.table[m.group(0)], text)
        return out.upper() if upper else out


@cache
def codecs() -> dict[str, Codec]:
    data = load("legacy_encodings")
    out = {}
    for name in ENCODINGS:
        spec = data[name]
        table = dict(spec.get("pairs") or {})
        table.update(spec.get("chars") or {})
        keys = sorted(table, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(k) for k in keys))
        markers = frozenset(ch for k in keys for ch in k if not ch.isascii()
                            and not _is_vietnamese_letter(ch))
        out[name] = Codec(
            name,
            tuple(re.compile(p, re.I) for p in spec.get("fonts") or []),
            tuple(re.compile(p, re.I) for p in spec.get("upper_fonts") or []),
            table, pattern, markers,
        )
    return out


def _is_vietnamese_letter(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)[0]
    return base.isascii() and base.isalpha() or ch in "đĐ"


def _font_name(font: str) -> str:
    return re.sub(r"[\s,_+-]+", "", strip_subset(font).lower())


@cache
def encoding_of_font(font: str) -> tuple[str, bool] | None:
    """('tcvn3'|'vni', upper-case font?) when the font name says so."""
    name = strip_subset(font).lower()
    compact = _font_name(font)
    for codec in codecs().values():
        if any(p.search(name) for p in codec.fonts):
            return codec.name, any(p.search(compact) for p in codec.upper_fonts)
    return None


def decode(text: str, encoding: str, upper: bool = False) -> str:
    return codecs()[encoding].decode(text, upper)


@cache
def _any_marker() -> re.Pattern:
    markers = set().union(*(codec.marker_chars for codec in codecs().values()))
    if not markers:
        return re.compile("(?!)")  # matches nothing
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(markers)) + "]")


def has_marker_chars(text: str) -> bool:
    """Whether `text` holds a character of some codec that clean Vietnamese Unicode
    never has: without one, `guess_encoding` is None whatever the text says."""
    return _any_marker().search(text) is not None


def guess_encoding(text: str) -> str | None:
    """The legacy encoding a text with no font evidence is in, or None.

    Accepted only when decoding turns a clearly non-Vietnamese text (< 80% valid
    syllables) into a clearly Vietnamese one (≥ 90%, and at least 20 points better)."""
    # Only codecs whose marker characters occur can be accepted: a text with none of
    # them (nearly every text) is answered without judging its syllables.
    chars = set(text)
    candidates = [codec for codec in codecs().values() if not codec.marker_chars.isdisjoint(chars)]
    if not candidates:
        return None
    valid, judged = validity(text)
    if judged < 5 or valid / judged >= 0.8:
        return None
    before = valid / judged
    best, best_score = None, 0.0
    for codec in candidates:
        v, j = validity(codec.decode(text))
        score = v / j if j else 0.0
        if score >= 0.9 and score - before >= 0.2 and score > best_score:
            best, best_score = codec.name, score
    return best
