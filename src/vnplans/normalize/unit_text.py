"""Small text helpers shared by the unit resolver and the index classifier.

`fold` is the diacritics-insensitive comparison form ("Đắk Nông", "Đăk Nông" and
"dak nong" fold alike; "Hoá" and "Hóa" too, whatever the tone-mark placement);
`slug` turns a name into the ASCII id fragment used in issuer keys and unit ids.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def strip_marks(text: str) -> str:
    """Lowercase, without combining marks, "đ" as "d"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("đ", "d")


def fold(text: str) -> str:
    """Comparison form: no marks, lowercase, punctuation as single spaces."""
    return _NON_WORD.sub(" ", strip_marks(text)).strip()


def slug(text: str) -> str:
    """ASCII id fragment: "Thanh tra Sở" → "thanh-tra-so"."""
    return _NON_WORD.sub("-", strip_marks(text)).strip("-")


def nfc_spaces(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
