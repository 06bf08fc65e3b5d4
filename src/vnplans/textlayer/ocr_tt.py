"""Row numbers (TT) as OCR reads them, put back into their printed form.

A 150 dpi scan turns the dot of "1.3" into a comma ("1,3"), the digit 1 into "l",
"I" or "|", and sometimes loses a dot altogether ("17.2" for "1.7.2", "31" for
"3.1"). Characters are mapped back one by one; a lost dot is recovered from the
row before: a TT column counts upwards, so of all the ways to put dots between the
digits the value right after the previous TT is the one printed."""

from __future__ import annotations

import re

from vnplans.ir import Page

# Characters OCR confuses with the digits and the dot of a row number.
_CHAR_FIXES = str.maketrans({",": ".", "l": "1", "I": "1", "|": "1", "i": "1",
                             "O": "0", "o": "0", "·": ".", "‚": "."})
_NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")
_ROMAN = re.compile(r"^[IVXLC]+\.?$")


def _parts(value: str) -> tuple[int, ...] | None:
    body = value.rstrip(".")
    if not re.fullmatch(r"\d+(\.\d+)*", body):
        return None
    return tuple(int(p) for p in body.split("."))


def _dottings(digits: str) -> list[str]:
    """Every way to put dots between these digits (no part with a leading zero)."""
    out = []
    for mask in range(1 << (len(digits) - 1)):
        parts, start = [], 0
        for i in range(1, len(digits)):
            if mask >> (i - 1) & 1:
                parts.append(digits[start:i])
                start = i
        parts.append(digits[start:])
        if all(p == "0" or not p.startswith("0") for p in parts) and "0" not in parts:
            out.append(".".join(parts))
    return out


def normalize_ocr_tt(value: str, previous_tt: str | None = None) -> str:
    """The row number OCR read as `value`, as printed, given the TT of the row before
    (None when unknown). Section numerals ("I", "IV") and anything that is not a
    row number come back unchanged."""
    text = value.strip()
    if not text or _ROMAN.match(text):
        return value
    fixed = text.translate(_CHAR_FIXES)
    if not _NUMBER.match(fixed):
        return value
    trailing = "." if fixed.endswith(".") and fixed.count(".") == 1 else ""
    body = fixed.rstrip(".")
    previous = _parts((previous_tt or "").strip().translate(_CHAR_FIXES))
    if previous is None or len(body.replace(".", "")) > 6:
        return body + trailing
    # Dots may have been lost inside any run of digits; keep the ones that were read.
    candidates = [""]
    for run in body.split("."):
        candidates = [c + ("." if c else "") + d for c in candidates for d in _dottings(run)]
    after = sorted((p, c) for c in candidates if (p := _parts(c)) and p > previous)
    if not after:
        return body + trailing
    best = after[0][1]
    return best + (trailing if best == body else "")


_TT_HEADERS = {"TT", "STT"}
# Section numerals (I … XXXIX) and what OCR makes of their letters: "II" read as "H",
# "I" as "l", "|" or "1" next to a real numeral letter ("Il").
_VALID_ROMAN = re.compile(r"^X{0,3}(IX|IV|V?I{0,3})$")
_ROMANISH = re.compile(r"^[IVXHl|1]*[IVXH][IVXHl|1]*\.?$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


def _roman_value(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while number >= value:
            out += letters
            number -= value
    return out


def normalize_ocr_numeral(value: str, previous: str | None = None) -> str:
    """A section numeral as OCR read it ("H" for "II"), as printed. With the
    numeral of the section before, a numeral that does not count upwards but is
    the next one with an "I" lost ("II" after "II") becomes the next one."""
    text = value.strip()
    if not _ROMANISH.match(text):
        return value
    trailing = "." if text.endswith(".") else ""
    fixed = text.rstrip(".").replace("H", "II").translate(str.maketrans("l|1", "III"))
    if not fixed or not _VALID_ROMAN.match(fixed):
        return value
    before = (previous or "").strip().rstrip(".")
    # (Not for a lone "I": that may be a row "1" misread under section I.)
    if before and _VALID_ROMAN.match(before) and len(fixed) >= 2:
        following = _roman(_roman_value(before) + 1)
        if _roman_value(fixed) <= _roman_value(before) and len(following) == len(fixed) + 1 \
                and _is_subsequence(fixed, following):
            fixed = following
    return fixed + trailing


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def fix_tt_column(page: Page) -> int:
    """Normalise the OCR words of the TT column of a table page (the column under a
    "TT"/"STT" header word, between the vertical rules around it), top to bottom,
    each with the one above as its previous TT. Returns how many changed."""
    headers = [w for w in page.words if w.text.strip(".:").upper() in _TT_HEADERS]
    changed = 0
    for header in headers:
        verticals = [r.x0 for r in page.rules if not r.horizontal and r.y1 > header.y1]
        left = max((x for x in verticals if x < header.x0 + 1), default=2 * header.x0 - header.x1)
        right = min((x for x in verticals if x > header.x1 - 1), default=2 * header.x1 - header.x0)
        column = sorted((w for w in page.words if w is not header and w.y0 > header.y1 - 1
                         and left <= w.xc <= right), key=lambda w: w.y0)
        previous: str | None = None
        section: str | None = None
        for word in column:
            if _ROMANISH.match(word.text.strip()):
                text = normalize_ocr_numeral(word.text, section)
                section = text.rstrip(".")
            else:
                text = normalize_ocr_tt(word.text, previous)
                if _parts(text) is not None:
                    previous = text
            if text != word.text:
                word.text = text
                changed += 1
    return changed
