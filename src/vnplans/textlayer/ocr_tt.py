"""Row numbers (TT) as OCR reads them, put back into their printed form.

A 150 dpi scan turns the dot of "1.3" into a comma ("1,3"), the digit 1 into "l",
"I" or "|", and sometimes loses a dot altogether ("17.2" for "1.7.2", "31" for
"3.1"). Characters are mapped back one by one; a lost dot is recovered from the
row before: a TT column counts upwards, so of all the ways to put dots between the
digits the value right after the previous TT is the one printed.

A reading that is no row number of its sequence ("lô" for 6, "S.l" for 5.1, "Á" for
4) is put back from the numbers above and below it in the table's TT column, across
pages (`number_between`, called by `vnplans.table.rows`), when its glyphs may be the
digits of the one number the sequence asks for there (`tt_digit_readings`, the
confusions listed in `extractors/tt_glyphs.yaml`)."""

from __future__ import annotations

import re
from functools import cache

from vnplans.geometry import overlaps, shared_area
from vnplans.ir import Page
from vnplans.knowledge import load
from vnplans.vietnamese import roman_value, to_roman

# Characters OCR confuses with the digits and the dot of a row number ("S.1.1" for
# "5.1.1"; a letter of another alphabet beside a digit, "Ð5", is dust).
_CHAR_FIXES = str.maketrans({",": ".", "l": "1", "I": "1", "|": "1", "i": "1",
                             "O": "0", "o": "0", "·": ".", "‚": ".", "S": "5", "Ð": None})
_NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")
_ROMAN = re.compile(r"^[IVXLC]+\.?$")


def _parts(value: str) -> tuple[int, ...] | None:
    body = value.rstrip(".")
    if not re.fullmatch(r"\d+(\.\d+)*", body):
        return None
    return tuple(int(p) for p in body.split("."))


def reads_as_numeral(text: str) -> bool:
    """Is this a row or section numeral as printed ("5.1", "II", "B", "a")?"""
    body = text.rstrip(".")
    return bool(_NUMBER.match(text) or body and _VALID_ROMAN.match(body)
                or re.fullmatch(r"[A-Za-zđĐ]", body))


def _tt_text(parts: tuple[int, ...]) -> str:
    """A row number as printed ("5.1"): the inverse of `_parts`."""
    return ".".join(map(str, parts))


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


# ("ST" over "T": a narrow column wraps "STT".)
_TT_HEADERS = {"TT", "STT", "ST"}
# Section numerals (I … XXXIX) and what OCR makes of their letters: "II" read as "H",
# "I" as "l", "|" or "1" next to a real numeral letter ("Il").
_VALID_ROMAN = re.compile(r"^X{0,3}(IX|IV|V?I{0,3})$")
# Marks OCR reads for the stroke of a bold "I".
STROKE_MARKS = "l|1ìíÌÍÏ!"
_ROMANISH = re.compile(rf"^[IVXH{STROKE_MARKS}]*[IVXH][IVXH{STROKE_MARKS}]*\.?[_'`,]*$")
_STROKES = str.maketrans(STROKE_MARKS, "I" * len(STROKE_MARKS))


def _numeral_readings(text: str) -> list[str]:
    """The valid numerals a misread token may stand for: each "H" is one or two
    strokes ("H" for "II", "HH" for "II", "Hì!" for "III")."""
    readings = [""]
    for ch in text.translate(_STROKES):
        options = ("I", "II") if ch == "H" else (ch,)
        readings = [r + o for r in readings for o in options]
    return sorted({r for r in readings if r and _VALID_ROMAN.match(r)}, key=len)


def normalize_ocr_numeral(value: str, previous: str | None = None) -> str:
    """A section numeral as OCR read it ("H" or "HH" for "II", "Hì!" for "III",
    "I_" for "I"), as printed. With the numeral of the section before, the reading
    that follows it is taken; a numeral that does not count upwards but is the next
    one with an "I" lost ("II" after "II") becomes the next one."""
    text = value.strip()
    if not _ROMANISH.match(text):
        return value
    text = text.rstrip("_'`,")
    trailing = "." if text.endswith(".") else ""
    text = text.rstrip(".")
    readings = _numeral_readings(text)
    if not readings:
        return value
    before = (previous or "").strip().rstrip(".")
    following = to_roman(roman_value(before) + 1) if before and _VALID_ROMAN.match(before) else None
    if following in readings:
        return following + trailing
    # Without a sequence to follow: "H" is "II" (its two stems), or when that makes no
    # numeral, one stroke per character.
    doubled = text.translate(_STROKES).replace("H", "II")
    fixed = doubled if doubled in readings else next(
        (r for r in readings if len(r) == len(text)), readings[-1])
    # (Not for a lone "I": that may be a row "1" misread under section I.)
    if following and len(fixed) >= 2 and roman_value(fixed) <= roman_value(before) \
            and len(following) == len(fixed) + 1 and _is_subsequence(fixed, following):
        fixed = following
    return fixed + trailing


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def _section_letter(word, words: list) -> None:
    """A section letter read with a mark ("Ầ" for "A") loses it when its row is a
    section title in capitals ("CHỈ SỐ PAPI")."""
    import unicodedata

    text = word.text.strip()
    base = unicodedata.normalize("NFD", text)[:1]
    if len(text) != 1 or text == base or not ("A" <= base <= "Z"):
        return
    if _titles_a_section(word, words):
        word.text = base


def _titles_a_section(word, words: list) -> bool:
    """Is the word's row a section title in capitals ("CHỈ SỐ PAPI")?"""
    h = word.y1 - word.y0
    row = [w for w in words if w.x0 > word.x1 and abs(w.yc - word.yc) < 0.3 * h]
    letters = "".join(ch for w in row for ch in w.text if ch.isalpha())
    return len(letters) >= 4 and letters.isupper()


def _between_numbers(word, previous: str | None, below: list) -> None:
    """A row number read as letters ("Á" or "SA" for "4", "œŒ" for "5") between "3"
    and "5", or between "1.7" and "1.9", is the number between them."""
    text = word.text.strip()
    if not text or not previous:
        return
    before = _parts(previous)
    following = next((p for w in below if (p := _parts(w.text.strip())) is not None), None)
    if _letters_between(text, before, following):
        word.text = _tt_text((*before[:-1], before[-1] + 1))


def _letters_between(text: str, before: tuple[int, ...] | None,
                     after: tuple[int, ...] | None) -> bool:
    """Is `text` a few letters (no digit, no Roman numeral) between two row numbers of
    one level two apart ("SA" between 3 and 5): a misreading of the one between?"""
    return (before is not None and after is not None and not any(ch.isdigit() for ch in text)
            and len(text) <= 3 and not _ROMANISH.match(text) and len(before) == len(after)
            and before[:-1] == after[:-1] and after[-1] == before[-1] + 2)


@cache
def _digit_glyphs() -> dict[str, tuple[str, ...]]:
    """Glyph (or run of glyphs) -> the digits OCR may have read it for
    (`extractors/tt_glyphs.yaml`)."""
    data = load("tt_glyphs") or {}
    return {str(glyph): tuple(str(d) for d in digits)
            for glyph, digits in (data.get("digit_glyphs") or {}).items()}


# What stands between the parts of a row number as OCR reads it (a dot, a comma, a
# space before a split-off digit): only the digits are compared.
_TT_SEPARATORS = " .,·‚"


def tt_digit_readings(text: str) -> set[str]:
    """The digits (without dots) a TT reading may show, each glyph taken as itself
    when a digit or as any digit `extractors/tt_glyphs.yaml` lists for it ("S.l":
    "51"; "lô": "6" or "10")."""
    glyphs = _digit_glyphs()
    longest = max(map(len, glyphs), default=1)
    text = text.strip()
    memo: dict[int, set[str]] = {}

    def rest(i: int) -> set[str]:
        if i == len(text):
            return {""}
        if i not in memo:
            out: set[str] = set()
            ch = text[i]
            if ch in _TT_SEPARATORS:
                out |= rest(i + 1)
            elif "0" <= ch <= "9":
                out |= {ch + r for r in rest(i + 1)}
            for n in range(1, longest + 1):
                for digit in glyphs.get(text[i:i + n], ()) if i + n <= len(text) else ():
                    out |= {digit + r for r in rest(i + n)}
            memo[i] = out
        return memo[i]

    return rest(0)


def _successors(parts: tuple[int, ...]) -> set[tuple[int, ...]]:
    """The row numbers that may come right after this one in a TT column: its first
    child, its next sibling or the next sibling of one of its parents."""
    return {(*parts, 1)} | {(*parts[:j], parts[j] + 1) for j in range(len(parts))}


def number_between(text: str, previous: str | None, following: str, *,
                   restart: bool = False, first: bool = False) -> str | None:
    """The row number a TT reading that is no row number of its sequence ("lô",
    "S.l", "1. 1", "11" for 1.1) stands for, between the row number above it in the
    TT column (`previous`; None: the first of the table) and the one right below it
    (`following`): the one number that comes after the one and before the other, when
    the glyphs read may be its digits (`tt_digit_readings`), or when they are a few
    letters between two numbers of one level two apart (`_between_numbers`); or the
    number above or below printed again over the rows of one task (5, 5, 6), when the
    glyphs may be its digits and no other number's. None when the reading is a row
    number that fits (it stays), or nothing is certain.
    `restart`: a section numeral of another style stands between them (numbering
    may start again at 1). A row whose number OCR lost altogether (`text` empty) gets
    it only when it is the `first` row under its section and the one below is the
    second of a numbering that starts there ("1" lost under "I", above "2")."""
    text = text.strip()
    after = _parts(following.strip())
    before = _parts(previous.strip()) if previous else None
    if after is None or (previous and before is None) or not (text or first):
        return None
    options = _successors(before) if before is not None else set()
    if restart or before is None:
        options.add((1,))
    own = _parts(text)
    if own is not None and own in options and after in _successors(own):
        return None
    fits = [x for x in options if after in _successors(x)]
    if not text:
        # Only where numbering starts, right before its second number: "1" above "2",
        # "5.1" above "5.2" (the first number is nowhere else). Never a child of the
        # section above its next sibling, nor a number going on from the section
        # before (5 after 4 under a new section: a row there may be printed without).
        if len(fits) != 1:
            return None
        number = fits[0]
        return _tt_text(number) if len(number) == len(after) and number[-1] == 1 else None
    if len(fits) == 1 and _letters_between(text, before, after):
        return _tt_text(fits[0])
    readings = tt_digit_readings(text)
    # Some plans repeat a row number over the rows of one task (5, 5, 6): the reading
    # may be the number above printed again, where the one below follows it, or the
    # one below printed early, where it follows the one above. Only when the glyphs
    # allow one number of all these is it that number ("œ1" is 5 as well as 5.1).
    candidates = {x for x in fits if _digits(x) in readings}
    if before is not None and after in _successors(before) and _digits(before) in readings:
        candidates.add(before)
    if after in options and _digits(after) in readings:
        candidates.add(after)
    if len(candidates) == 1:
        return _tt_text(candidates.pop())
    return None


def _digits(parts: tuple[int, ...]) -> str:
    return "".join(map(str, parts))


def _first_sub_number(word, previous: str | None, below: list) -> None:
    """The number of a section read again with a dot ("5." under section 5), right
    above row 5.2, is row 5.1 with its last digit lost: no row repeats the number of
    the one above."""
    text = word.text.strip()
    if not previous or not text.endswith("."):
        return
    parts = _parts(text)
    if parts is None or parts != _parts(previous):
        return
    following = next((p for w in below if (p := _parts(w.text.strip())) is not None), None)
    if following == (*parts, 2):
        word.text = _tt_text((*parts, 1))


# A reading of dust beside a row number is less sure than the number itself.
DUST_READING_CONFIDENCE = 0.8


def _dust_over_numbers(column: list) -> set[int]:
    """Words of a TT column that overlap a surer row number and hold a mark no row
    number has ("“4" read from a speck and the "2" beside it, over the "2")."""
    numbers = [w for w in column if _parts(w.text.strip()) is not None]
    return {id(w) for w in column
            if w.confidence < DUST_READING_CONFIDENCE
            and any(not ch.isalnum() and ch != "." for ch in w.text)
            and any(n is not w and n.confidence > w.confidence and overlaps(n, w)
                    for n in numbers)}


# Two readings of one glyph overlap by at least this share of the smaller box.
TWIN_READING_OVERLAP = 0.5


def _twin_readings(column: list) -> set[int]:
    """Words of a TT column that lie on a row number, most of their box on its box: a
    second reading of the same glyphs ("E" read again over the "5" of row 5 by the
    pass over narrow cells, "2." over "2.1" with its last digit lost), no part of the
    cell (`_may_read_again`). (Not strokes: those may be a section numeral, see
    `_numeral_one_over_row_one`.)"""
    numbers = [w for w in column if _parts(w.text.strip()) is not None]
    out = set()
    for w in column:
        text = w.text.strip()
        if not text or _ROMANISH.match(text):
            continue
        for n in numbers:
            if n is w or not _may_read_again(w, n):
                continue
            smaller = min((w.x1 - w.x0) * (w.y1 - w.y0), (n.x1 - n.x0) * (n.y1 - n.y0))
            if smaller > 0 and shared_area(w, n) >= TWIN_READING_OVERLAP * smaller:
                out.add(id(w))
                break
    return out


def _may_read_again(word, number) -> bool:
    """May `word` be a second reading of the row number `number` (`_twin_readings`)?
    Yes when it has no digit, is the number's beginning ("2." of "2.1"), or is another
    row number read less surely ("4" at 0.71 over "2" at 0.96)."""
    text, other = word.text.strip(), number.text.strip()
    if not any(ch.isdigit() for ch in text):
        return True
    stem = text.rstrip(".")
    if len(stem) < len(other) and other.startswith(stem):
        return True
    return (_parts(text) is not None and number.confidence > word.confidence
            and not text.startswith(other.rstrip(".")))


# Strokes a re-read makes of a numeral's "I"s ("li" for "II").
_STROKES_ONLY = re.compile(r"^(?=.*[a-zA-Z|!])[Il|i1!]{2,4}\.?$")


def _strokes_of_a_numeral(text: str, previous: str | None) -> bool:
    """Is this TT word of strokes with a letter among them ("li") a section numeral,
    not the row number its digits would make ("11" after row 4)?"""
    text = text.strip()
    if not _STROKES_ONLY.match(text):
        return False
    number = _parts(normalize_ocr_tt(text, previous))
    before = _parts((previous or "").strip())
    follows = number is not None and before is not None and (
        number == (*before[:-1], before[-1] + 1) or number == (*before, 1))
    return not follows


# What OCR makes of a lone bold "I".
_LONE_STROKE = {"1", "l", "L", "|", "i", "!", "í", "ì"}


def _numeral_one_over_row_one(word, below: list) -> None:
    """A lone stroke read as "1" or "L" right above the row number 1 is the numeral
    "I" of the section that row opens: two rows cannot both be the first."""
    if word.text.strip() not in _LONE_STROKE:
        return
    under = next((w for w in below if w.yc > word.y1), None)
    if under is not None and _parts(normalize_ocr_tt(under.text, None)) == (1,):
        word.text = "I"


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
        dust = _dust_over_numbers(column) | _twin_readings(column)
        if dust:
            page.words = [w for w in page.words if id(w) not in dust]
            column = [w for w in column if id(w) not in dust]
            changed += len(dust)
        previous: str | None = None
        section: str | None = None
        for i, word in enumerate(column):
            _section_letter(word, page.words)
            _numeral_one_over_row_one(word, column[i + 1:])
            if not _in_running_text(word, page.words) and not (
                    len(word.text.strip()) == 1 and _titles_a_section(word, page.words)):
                # (Words of a line of text are no misread number: the first words of a
                # task, "Duy trì …", where the TT cell's "8" was not read and no rule
                # bounds the column; nor is a section's letter, "B" of "CHỈ SỐ PAR
                # INDEX" between rows 3 and 5.)
                _between_numbers(word, previous, column[i + 1:])
            _first_sub_number(word, previous, column[i + 1:])
            if _ROMANISH.match(word.text.strip()) or _strokes_of_a_numeral(word.text, previous):
                text = normalize_ocr_numeral(word.text.replace("i", "I"), section)
                section = text.rstrip(".")
            else:
                text = normalize_ocr_tt(word.text, previous)
                if _parts(text) is not None:
                    previous = text
            if text != word.text:
                word.text = text
                changed += 1
    return changed


# "Quý III/2024" read as "Quý IIH/2024" or "Quý -HI/2024", "Quý II/2024" as
# "Quý I1/2024", "Quý II/⁄2024" or "Quý II⁄2024": a quarter numeral of mixed strokes
# (its first stroke may come out as a dash), a doubled slash or a fraction slash.
_QUARTER_WORDS = {"quý", "quí"}
_QUARTER = re.compile(r"^([-–]?)([IVHl|1ìíÌÍÏ!]{1,4})((?:[/⁄][⁄/]?\d{4})?[.,;:]?)$")


def _after(word, words: list):
    """The word right after `word` on its line (None when there is none)."""
    h = word.y1 - word.y0
    after = [w for w in words if _next_on_line(word, w, h)]
    return min(after, key=lambda w: w.x0) if after else None


def _next_on_line(a, b, h: float) -> bool:
    """Does `b` start right after `a` on a line of height `h`? (The next box may start
    a hair inside the box of "Quý": OCR boxes of a narrow space.)"""
    return -0.15 * h <= b.x0 - a.x1 <= 0.8 * h and abs(b.yc - a.yc) < 0.3 * h


def _in_running_text(word, words: list) -> bool:
    """Does another word follow `word` on its line, or end right before it?"""
    h = word.y1 - word.y0
    return _after(word, words) is not None or any(
        w is not word and _next_on_line(w, word, h) for w in words)


def _quarter_reading(text: str, roman_page: bool) -> tuple[str, list[str]] | None:
    """(tail, the quarters I … IV the token may be) of a token after "Quý"."""
    m = _QUARTER.match(text)
    if not m:
        return None
    dash, numeral = m.group(1), m.group(2)
    tail = re.sub(r"^[/⁄][⁄/]?", "/", m.group(3))
    if numeral == "1" and not roman_page:
        return None  # offices write "Quý 1/2025" too
    if numeral.isdigit() and set(numeral) != {"1"}:
        return None
    if not numeral.isdigit() and not any(c in "IV" for c in numeral):
        return None
    # One printed stroke per glyph read: a dash in front of the numeral (no quarter
    # is written "-III") is a stroke too.
    strokes = len(dash) + len(numeral)
    return tail, [r for r in _numeral_readings(numeral)
                  if roman_value(r) <= 4 and len(r) == strokes]


# Two quarters on one line at most this many line heights apart are one list
# ("Quý II và Quý III/2025").
QUARTER_LIST_GAP = 4.0


def writes_roman_quarters(words: list) -> bool:
    """Does a word after "Quý" among these read as a Roman numeral ("IV", "II,")?"""
    return any(
        q.text.lower() in _QUARTER_WORDS and (a := _after(q, words)) is not None
        and (m := _QUARTER.match(a.text)) is not None and any(c in "IV" for c in m.group(2))
        for q in words)


def fix_quarter_numerals(words: list, roman: bool | None = None) -> int:
    """Put back the Roman numeral of the word after "Quý" when OCR mixed its
    strokes with other marks ("I1", "IIH") or read them all as ones ("11" is no
    quarter: "II"). A plain "1" stays, unless the page writes another quarter in
    Roman numerals (offices write "Quý 1/2025" too, but not both ways at once;
    `roman`: the document does, when known).
    In a list of quarters ("Quý II, III/2025", "Quý II và Quý III/2025") each one
    is later than the one before: a numeral read as the one before it with a stroke lost ("II, II")
    takes the stroke back. Returns how many words changed."""
    changed = 0
    roman_page = writes_roman_quarters(words) if roman is None else roman
    last = None  # (the last numeral word read, its value)
    quarters = sorted((q for q in words if q.text.lower() in _QUARTER_WORDS),
                      key=lambda q: (round(q.yc), q.x0))
    for q in quarters:
        word, before = _after(q, words), 0
        h = q.y1 - q.y0
        # "Quý II và Quý III/2025": the second is later too.
        if last is not None and abs(last[0].yc - q.yc) < 0.3 * h \
                and 0 < q.x0 - last[0].x1 < QUARTER_LIST_GAP * h:
            before = last[1]
        while word is not None:
            reading = _quarter_reading(word.text, roman_page)
            if reading is None or not reading[1]:
                break
            tail, readings = reading
            later = [r for r in readings if roman_value(r) > before]
            if not later and before and _VALID_ROMAN.match(readings[0] + "I") \
                    and roman_value(readings[0] + "I") == before + 1:
                later = [readings[0] + "I"]  # "II" after "II": a stroke lost
            if not later:
                break
            text = later[0] + tail
            if text != word.text:
                word.text = text
                changed += 1
            # (A numeral with its year ends the list: "Quý II/2024, Quý II/2025".)
            last = None if "/" in tail else (word, roman_value(later[0]))
            if tail != ",":
                break
            before = roman_value(later[0])
            word = _after(word, words)
    return changed


_COLUMN_NUMBER = re.compile(r"^\((\d{1,2})\)$")


def fix_column_numbers(words: list) -> int:
    """The row of column numbers under a table header, "(1) (2) … (6)", with some
    misread ("G)" for "(5)", "q)" for "(1)", "3)" for "(3)"): on a line of at least
    three "(k)", a short token with a bracket, or between "(k)" and "(k+2)", takes
    its number from its neighbours, so the row is recognised and skipped. Returns
    how many words changed."""
    changed = 0
    done: set[int] = set()
    for anchor in words:
        if id(anchor) in done or not _COLUMN_NUMBER.match(anchor.text):
            continue
        h = anchor.y1 - anchor.y0
        line = sorted((w for w in words if abs(w.yc - anchor.yc) < 0.3 * h), key=lambda w: w.x0)
        done.update(id(w) for w in line)
        values = [int(m.group(1)) if (m := _COLUMN_NUMBER.match(w.text)) else None for w in line]
        if sum(v is not None for v in values) < 3:
            continue
        for i, w in enumerate(line):
            if values[i] is not None or len(w.text) > 3:
                continue
            left = next(((j, values[j]) for j in range(i - 1, -1, -1) if values[j] is not None), None)
            right = next(((j, values[j]) for j in range(i + 1, len(line)) if values[j] is not None),
                         None)
            guess = left[1] + (i - left[0]) if left else right[1] - (right[0] - i) if right else None
            between = left and right and right[1] - left[1] == right[0] - left[0]
            if guess and guess > 0 and ("(" in w.text or ")" in w.text or between):
                w.text = f"({guess})"
                values[i] = guess
                changed += 1
    return changed
