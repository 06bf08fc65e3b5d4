"""Section numerals and titles of a scanned table put back from their siblings.

Sibling sections count upwards from the first (I, II, III …; A, B, C …; 1, 2, 3 …),
and the children of sections of one style are numbered in one style throughout a
table (under "A" and "B" alike: I, II …). OCR breaks this where a numeral is a few
strokes: a lone "I" is read as "1" or lost (erased with a ruling line, dropped as
dust), a stroke is doubled or lost ("III" for "II"). A numeral OCR read is taken as
one of the numerals it may stand for (`readings`) when that makes the sections,
read in order on their stack, count upwards and keep the style of their siblings
and cousins more than the reading as printed does; each change must pay for itself
(`CHANGE_COST`, `RESTORE_COST`). Numerals read from a text layer are never changed.

Sibling titles often open with one phrase ("Chỉ số thành phần Tính minh bạch", "Chỉ
số thành phần Chi phí …"); an OCR'd title whose first word came out without a letter
("3 số thành phần …") takes the word its siblings share, and a full stop read after
one title where its siblings have none is dust (`fix_sibling_titles`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from vnplans.knowledge import load
from vnplans.textlayer.ocr_tt import STROKE_MARKS
from vnplans.vietnamese import roman_value, to_roman

_ROMAN = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
# What OCR makes of the strokes of a Roman numeral ("H" or "h" for two of them; an
# "L" is a stroke with its foot serif, never the numeral fifty in a plan).
_STROKE_MARKS = "I" + STROKE_MARKS + "iL"
_STROKES = re.compile(rf"^[{_STROKE_MARKS}Hh]{{1,4}}$")
# Highest numeral a lost one is restored as: a lost numeral is always a short one in
# the tables we read (sections of one table rarely reach ten).
RESTORE_UP_TO = 9

# A section in sequence after its previous sibling is worth 1; one in the style of
# its cousins half as much: the style alone (a "1" among Roman numerals after a
# part "2") never pays for a change, it only tips one the sequence asks for.
STYLE_WEIGHT = 0.5
# A changed numeral costs this much of the agreement it buys: a change that puts
# only itself in sequence is taken, one that only trades one section for another is not.
CHANGE_COST = 0.5
# Restoring a lost numeral must put more than itself right: a title without a numeral
# is sometimes printed so, and one restored is in sequence and in style at once
# (1 + STYLE_WEIGHT); the section after it has to gain too.
RESTORE_COST = 2.0
# States kept while the sections are read (the best by score).
BEAM = 64


def section_level(tt: str | None) -> float:
    """Numbering depth: a capital letter, Roman numerals, 1 / 1., 1.1, 1.1.1 …, a)."""
    if not tt:
        return 1.5
    if _ROMAN.match(tt):
        return 1
    if re.fullmatch(r"[A-Z]", tt):
        return 0
    if re.fullmatch(r"\d+(\.\d+)*", tt):
        return 2 + tt.count(".")
    if re.fullmatch(r"[a-zđ]", tt):
        return 9
    return 1.5


@dataclass(frozen=True, slots=True)
class Numeral:
    """A section numeral as a style ("roman", "letter", "number", "lower", "dotted"
    or None: no numeral) and its place among its siblings (1 for I, A, 1, a)."""

    style: str | None
    value: int
    level: float


def parse(tt: str | None) -> Numeral:
    level = section_level(tt)
    if not tt:
        return Numeral(None, 0, level)
    if _ROMAN.match(tt):
        return Numeral("roman", roman_value(tt), level)
    if re.fullmatch(r"[A-Z]", tt):
        return Numeral("letter", ord(tt) - ord("A") + 1, level)
    if re.fullmatch(r"\d+", tt):
        return Numeral("number", int(tt), level)
    if re.fullmatch(r"\d+(\.\d+)+", tt):
        return Numeral("dotted", int(tt.rsplit(".", 1)[1]), level)
    if tt in _letters()[0]:
        return Numeral("lower", _letters()[0].index(tt) + 1, level)
    return Numeral(None, 0, level)


@cache
def _letters() -> tuple[list[str], set[int]]:
    """The letters that number items, in order, and the places of those a sequence may
    leave out (`extractors/vietnamese.yaml`)."""
    data = load("vietnamese")
    letters = list(data["item_letters"])
    return letters, {letters.index(x) + 1 for x in data.get("optional_item_letters", [])}


def readings(tt: str | None) -> list[tuple[str | None, float]]:
    """The numerals an OCR'd section numeral may stand for, each with the cost of
    taking it (the reading itself first, free): strokes are numbered by count, one
    more or one less ("III" for "II"), a single stroke may be the digit 1 and the
    digit 1 a stroke; a Roman numeral may have gained or lost an "I" ("VI" for "VII");
    an item letter may be the first one, "a"; a lost numeral may be any short one."""
    out: list[tuple[str | None, float]] = [(tt, 0.0)]
    if not tt:
        out += [(to_roman(n), RESTORE_COST) for n in range(1, RESTORE_UP_TO + 1)]
        out += [(str(n), RESTORE_COST) for n in range(1, RESTORE_UP_TO + 1)]
        out += [(chr(ord("A") + n - 1), RESTORE_COST) for n in range(1, RESTORE_UP_TO + 1)]
        out += [(letter, RESTORE_COST) for letter in _letters()[0][:RESTORE_UP_TO]]
        return out
    options: set[str] = set()
    if _STROKES.match(tt):
        strokes = _stroke_count(tt)
        options |= _numerals_of_strokes(strokes)
        if strokes == 1:
            options.add("1")
        if tt == "11":
            options.add("II")
    elif tt in _letters()[0] and tt != _letters()[0][0]:
        options.add(_letters()[0][0])  # the first item's letter misread ("đ" for "a")
    elif _ROMAN.match(tt):
        for edited in (tt + "I", tt[:-1] if tt.endswith("I") else "", "I" + tt,
                       tt[1:] if tt.startswith("I") else ""):
            if edited and _ROMAN.match(edited):
                options.add(edited)
    out += [(o, CHANGE_COST) for o in sorted(options) if o != tt]
    return out


@dataclass(frozen=True, slots=True)
class _State:
    # The open sections: (level, style, value) from the outermost.
    stack: tuple[tuple[float, str | None, int], ...]
    # The style of the children of each style of parent seen so far ("" = the top,
    # "untitled": a section without a numeral).
    styles: tuple[tuple[str, str], ...]


def _step(state: _State, numeral: Numeral) -> tuple[_State, float]:
    """The state after one more section, and how far it agrees with the sections
    before it: in sequence after its previous sibling (or the first one, 1), in the
    style of the other children of sections of its parent's style."""
    stack = list(state.stack)
    sibling, closed = None, False
    while stack and stack[-1][0] >= numeral.level:
        popped = stack.pop()
        closed = True
        if popped[0] == numeral.level:
            sibling = popped
    agree = 0.0
    styles = state.styles
    if numeral.style is not None:
        if sibling is None:
            # The first under its parent is 1, not one after sections of other levels;
            # a parent without a numeral may be a sibling that lost it, which says
            # nothing of where its "children" start.
            agree += numeral.value == 1 and not closed and (not stack or stack[-1][1] is not None)
        else:
            agree += sibling[1] == numeral.style and (
                numeral.value == sibling[2] + 1
                or numeral.style == "lower" and numeral.value == sibling[2] + 2
                and sibling[2] + 1 in _letters()[1])
        parent = "" if not stack else stack[-1][1] or "untitled"
        known = dict(styles)
        if parent in known:
            agree += STYLE_WEIGHT * (known[parent] == numeral.style)
        else:
            styles = (*styles, (parent, numeral.style))
    stack.append((numeral.level, numeral.style, numeral.value))
    return _State(tuple(stack), styles), agree


def glued_numeral(title: str) -> str | None:
    """The first word of a title when it may be the section's numeral read into the
    title cell, else None: strokes ("Ih NHIỆM VỤ CHUNG"), or a word of one or two small
    letters before a capital ("đa Công tác …": an item letter with a speck; a title
    starts with a capital)."""
    words = title.split(maxsplit=2)
    if len(words) < 2:
        return None
    first = words[0]
    if _STROKES.match(first):
        return first
    if len(first) <= 2 and first.isalpha() and first.islower() and words[1][:1].isupper():
        return first
    return None


def glued_readings(word: str) -> set[str]:
    """The numerals a word glued to a title may be (`glued_numeral`): only Roman
    numerals of strokes, as many as were read or one more or fewer ("Ih": III, "l1":
    I), or the item letter the small letters end with ("đa": a). Digits there are text
    ("1 số nhiệm vụ"), and a title's word is less surely a numeral than a TT cell's."""
    if word.isdigit():
        return set()
    if word.islower() and not _STROKES.match(word):
        return {word[-1]} if word[-1] in _letters()[0] else set()
    return _numerals_of_strokes(_stroke_count(word))


def _stroke_count(strokes: str) -> int:
    """How many strokes a reading of them shows ("H": two stems)."""
    return sum(2 if ch in "Hh" else 1 for ch in strokes)


def _numerals_of_strokes(count: int) -> set[str]:
    """The Roman numerals of strokes read as `count`: one stroke more or fewer (I to
    III)."""
    return {"I" * n for n in (count - 1, count, count + 1) if 1 <= n <= 3}


def fix_sequence(numerals: list[tuple[str | None, bool]],
                 glued: list[str | None] | None = None) -> list[str | None]:
    """The numerals of a table's section rows, in order, each (tt, read by OCR), put
    back where OCR broke their sequence (see the module docstring); a numeral from a
    text layer is kept as it is and guides the others. `glued`: for each section
    without a numeral, the strokes its title starts with (`glued_numeral`), which are
    its numeral when that puts the sequence right (at the cost of a change)."""
    beam: list[tuple[float, _State, tuple[str | None, ...]]] = [(0.0, _State((), ()), ())]
    for k, (tt, ocr) in enumerate(numerals):
        options = readings(tt) if ocr else [(tt, 0.0)]
        word = glued[k] if glued and ocr and tt is None else None
        if word:
            cheaper = glued_readings(word)
            options = [(r, min(cost, CHANGE_COST) if r in cheaper else cost)
                       for r, cost in options]
            options += [(r, CHANGE_COST) for r in sorted(cheaper - {r for r, _ in options})]
        best: dict[_State, tuple[float, _State, tuple[str | None, ...]]] = {}
        for score, state, chosen in beam:
            for reading, cost in options:
                new_state, agree = _step(state, parse(reading))
                new = (score + agree - cost, new_state, (*chosen, reading))
                # Ties keep the reading met first: the one OCR made.
                if new_state not in best or new[0] > best[new_state][0]:
                    best[new_state] = new
        beam = sorted(best.values(), key=lambda item: -item[0])[:BEAM]
    return list(beam[0][2]) if beam else [tt for tt, _ in numerals]


# Sibling titles share a leading phrase of at least this many words before one of them
# is put back from it (two words: "Chỉ số …", "Nhóm giải pháp …").
SHARED_WORDS = 2


def fix_sibling_titles(titles: list[tuple[str, bool]]) -> list[str]:
    """The titles of sibling sections, each (title, read by OCR), with the first word of
    an OCR'd title put back when it has no letter at all ("3 số thành phần …") while
    the words after it go on as the phrase every other sibling starts with ("Chỉ số
    thành phần …", at least two others and `SHARED_WORDS` words), and a full stop at
    the end of an OCR'd title dropped when no sibling (two at least) ends with one."""
    words = [title.split() for title, _ in titles]
    out = [title for title, _ in titles]
    for i, (title, ocr) in enumerate(titles):
        others = [t for j, (t, _o) in enumerate(titles) if j != i]
        if ocr and title.endswith(".") and not title.endswith("..") and len(others) >= 2 \
                and not any(t.endswith(".") for t in others):
            # A full stop none of its siblings has: dust read after the title.
            out[i] = title[:-1].rstrip()
    for i, (_title, ocr) in enumerate(titles):
        mine = words[i]
        if not ocr or len(mine) < SHARED_WORDS or any(ch.isalpha() for ch in mine[0]):
            continue
        others = [w for j, w in enumerate(words) if j != i]
        if len(others) < 2:
            continue
        shared = 0
        while all(len(w) > shared and w[shared] == others[0][shared] for w in others):
            shared += 1
        if shared >= SHARED_WORDS and mine[1:shared] == others[0][1:shared]:
            out[i] = " ".join([others[0][0], out[i].split(maxsplit=1)[1]])
    return out
