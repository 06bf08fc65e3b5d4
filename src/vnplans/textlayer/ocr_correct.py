"""Tone marks of OCR words corrected from a lexicon of administrative Vietnamese.

At 150 dpi the small hook above a vowel (hỏi) blurs into an acute (sắc), and
Tesseract is sure of what it read: "Tố chức", "Kiếm soát", "tuyến dụng" come back
at 0.97 confidence, and every one of them is a valid syllable. Their neighbours give
them away: "tố chức" is no phrase, "tổ chức" is. So:

- the lexicon is every phrase of the knowledge files we ship (unit names, header
  words, index components, deadline phrasings, header block, abbreviations) plus the
  common words of `extractors/ocr_lexicon.yaml`, kept as syllables and as pairs of
  neighbouring syllables, compared without case and without caring where the tone
  mark sits ("hoá" = "hóa");
- a word that makes a known pair with a neighbour is confirmed and never changed, and
  so is a function word of the lexicon ("qua", "tại", "các") read sure: one valid
  syllable never becomes another unless a known pair makes it certain, and a pair
  with the other neighbour ("quả dịch" of "kết quả dịch vụ") does not, when the word
  is a function word Tesseract was sure of;
- when two neighbours make no known pair but tone variants of them do (same letters,
  other tone marks; d/đ, a sure "đ" only in a word the lexicon does not know:
  "đoanh"), the fewest-changes variant is taken. A word Tesseract was
  sure of may only move between the marks a low resolution confuses (acute, hook,
  tilde, none; a hook and a grave trade places, and a dot below may be dust, at a
  higher cost), or take any mark where none was read (blur wipes the dot below and
  the grave: "Nôi vu", "Thương xuyên"); an unsure word may take any tone. Failing a
  tone variant, one of the two words may also change one vowel's shape (a breve
  blurred into a tilde: "đãng ký"; a horn from dust: "Trưng tâm");
- an unsure word that is no Vietnamese syllable at all takes the one known variant
  it has, if there is exactly one (a valid word alone is left as read: "nói" is
  not in the lexicon, and is no misreading of "noi");
- a word that is no Vietnamese syllable, sure or not, with two tone marks read
  ("thỏại"), a letter of another alphabet ("Ñăm") or a vowel mark from dust
  ("theơ"), takes the one repair (one of its tone marks or none, the letter put
  right; failing those, one vowel with another mark) that makes a known pair with a
  neighbour, or else the one that is a known syllable.

Abbreviation tokens get the same treatment for the letters OCR mistakes in capitals
("Q8-UBND" → "QĐ-UBND", "C€VC" → "CCVC").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vnplans.geometry import LineSettings, group_lines, split_segments
from vnplans.ir import Word
from vnplans.knowledge import load
from vnplans.textlayer.syllables import TONES, is_abbreviation, is_syllable, split_tone
from vnplans.vietnamese import tone_and_letters

# Tesseract confidence (0–1) from which a valid word is "sure": it then only moves
# between the tone marks a blurred scan confuses.
SURE = 0.9
_BLUR_CONFUSED = {None, "sắc", "hỏi", "ngã"}
_TONE_MARK = {name: mark for mark, name in TONES.items()}
# A hook's stem blurs into a grave's stroke and back ("UBND tình", "địa bản"): a sure
# word may trade one for the other (never lose its mark: see `_variants`).
_HOOK_OR_GRAVE = {"hỏi": {"huyền"}, "huyền": {"hỏi"}}
# A speck under a vowel reads as a dot below (nặng) Tesseract is sure of ("hồ sợ",
# "Trung tậm"): a sure word may lose it, at the cost of a hook/grave trade.
_DUST_DOT = {"nặng": {None}}
# Trades of tone marks that cost more than another change (`_change_cost`), either way.
_COSTLY_TRADES = [{a, b} for table in (_HOOK_OR_GRAVE, _DUST_DOT)
                  for a, others in table.items() for b in others]
_SYLLABLE = re.compile(r"[^\W\d_]+")
# Punctuation that ends a phrase: words on either side are not neighbours.
_PHRASE_BREAK = re.compile(r"[,.;:!?“”\"]")
_KNOWLEDGE_FILES = ("units", "abbreviations", "table_headers", "indices", "deadlines",
                    "header_block", "ocr_lexicon")
# Capital letters (and symbols) OCR reads for other capitals in abbreviations.
_CAPITAL_CONFUSIONS = {"8": "Đ", "0": "Đ", "€": "C", "©": "C", "D": "Đ", "Đ": "D", "L": "U"}
# ... and in abbreviations of three letters at least (in two, "ĐT" is no "ĐI"): an "I"
# read as "T", or as "D" with the bracket after it ("PCD" for "PCI)").
_LONG_CONFUSIONS = {"T": "I", "D": "I"}
_LONG_MIN = 3
# A stroke OCR read between the capitals of an abbreviation ("PAP]I").
_STROKE_INSIDE = re.compile(r"([A-ZĐ]{2,})[\]\[|!]([A-ZĐ]+)")
# An abbreviation this long may have a letter too many ("PCTI" for "PCI").
_EXTRA_LETTER_MIN = 4
_ABBREVIATION = re.compile(r"[A-ZĐ0-9€©&]{2,}")
_ABBREVIATION_PAIR = re.compile(r"\b([A-ZĐ]{2,}) (?=([A-ZĐ]{2,})\b)")

Key = tuple[str, str | None]


def key(syllable: str) -> Key | None:
    """Letters without tone (lowercase) and the tone; None when not one syllable."""
    return split_tone(syllable.lower())


@dataclass(frozen=True)
class Lexicon:
    syllables: frozenset[Key]
    pairs: frozenset[tuple[Key, Key]]
    abbreviations: frozenset[str]
    spelling: dict[Key, str]  # how the knowledge files write each syllable
    function_words: frozenset[Key]
    blurred_function_words: frozenset[Key]
    # Two abbreviations the knowledge files write side by side ("PAR INDEX"), keyed by
    # the two run together ("PARINDEX"): the index of each part's start.
    glued_abbreviations: dict[str, int] = field(default_factory=dict)


# An id of the knowledge files ("so-ke-hoach-va-dau-tu"): letters without their marks,
# no phrase ("ke hoach" would make "Kế hoạch" read "Ke hoach").
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")


def _strings(node: Any):
    """The phrases of a knowledge file (not its ids)."""
    if isinstance(node, str):
        if not _SLUG.match(node):
            yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@cache
def lexicon() -> Lexicon:
    syllables: set[Key] = set()
    pairs: set[tuple[Key, Key]] = set()
    abbreviations: set[str] = set()
    glued: dict[str, int] = {}
    spelling: dict[Key, str] = {}
    for name in _KNOWLEDGE_FILES:
        try:
            data = load(name)
        except FileNotFoundError:
            continue
        for text in _strings(data):
            text = unicodedata.normalize("NFC", text)
            abbreviations.update(a for a in _ABBREVIATION.findall(text) if not a.isdigit())
            for a, b in _ABBREVIATION_PAIR.findall(text):
                # (Not words written in capitals without marks, "CHI SO": their run
                # together is no reading OCR makes of a printed phrase.)
                if not (is_syllable(a) or is_syllable(b)):
                    glued[a + b] = len(a)
            for phrase in _PHRASE_BREAK.split(text):
                words = _SYLLABLE.findall(phrase)
                keys = [key(s) for s in words]
                for k, w in zip(keys, words, strict=True):
                    if k is not None:
                        syllables.add(k)
                        spelling.setdefault(k, w.lower())
                for a, b in zip(keys, keys[1:], strict=False):
                    if a is not None and b is not None:
                        pairs.add((a, b))
    extra = load("ocr_lexicon")
    function_words = frozenset(k for w in extra.get("function_words", []) if (k := key(w)))
    blurred = frozenset(k for w in extra.get("blurred_function_words", []) if (k := key(w)))
    return Lexicon(frozenset(syllables), frozenset(pairs), frozenset(abbreviations), spelling,
                   function_words, blurred, glued)


def _render(original: str, spelled: str) -> str:
    """The lexicon's spelling in the case pattern of the OCR word ("Tố" → "Tổ")."""
    return "".join(c.upper() if o.isupper() else c
                   for c, o in zip(spelled, original, strict=False)) + spelled[len(original):]


def _variants(token: str, confidence: float) -> list[Key]:
    """Other readings of a token: other tone marks, d for đ."""
    k = key(token)
    if k is None:
        return []
    base, tone = k
    if confidence >= SURE:
        # Among the marks blur confuses, or a mark lost (none read: any mark). (Not
        # a mark read from dust: taking a grave away turned "Cơ quan chủ trì", its
        # words out of order in a header cell, into "quản tri".)
        tones = _BLUR_CONFUSED if tone in _BLUR_CONFUSED else {tone}
        tones = tones | _HOOK_OR_GRAVE.get(tone, set()) | _DUST_DOT.get(tone, set())
        if tone is None:
            tones = {None, *_TONE_MARK}
    else:
        tones = {None, *_TONE_MARK}
    bases = {base}
    if base[:1] == "d":
        bases.add("đ" + base[1:])
    elif base[:1] == "đ" and (confidence < SURE or k not in lexicon().syllables):
        bases.add("d" + base[1:])  # (a speck on the stem of "d": "đoanh")
    return [(b, t) for b in bases for t in tones if (b, t) != k]


def _shape_variants(token: str, confidence: float) -> list[Key]:
    """The token's `_variants` with one vowel's shape mark changed as well (a breve
    blurred into a tilde: "đãng ký"; a circumflex or a breve and an acute or a grave
    into a tilde: "phõi hợp", "Hãng tháng"; a horn from dust: "Trưng tâm")."""
    k = key(token)
    if k is None:
        return []
    base, tone = k
    shapes = {base[:i] + v + base[i + 1:] for i, ch in enumerate(base)
              for v in _VOWEL_SWAPS.get(ch, "")}
    tones = {t for _b, t in _variants(token, confidence)} | {tone}
    if tone == "ngã":
        tones.add("huyền")
    return [(b, t) for b in shapes for t in tones]


@dataclass
class _Token:
    word: int  # index in the word list
    start: int
    end: int
    text: str
    confidence: float
    fixed: Key | None = None
    sure: bool = False


def _tokens(line: list[tuple[int, Word]]) -> list[list[_Token]]:
    """Runs of neighbouring syllables of one text line (a phrase break ends a run)."""
    runs: list[list[_Token]] = [[]]
    for index, word in line:
        text = word.text
        last = 0
        for m in _SYLLABLE.finditer(text):
            between = text[last:m.start()]
            if _PHRASE_BREAK.search(between) or any(ch.isdigit() for ch in between):
                runs.append([])
            runs[-1].append(_Token(index, m.start(), m.end(), m.group(), word.confidence))
            last = m.end()
        if _PHRASE_BREAK.search(text[last:]) or any(ch.isdigit() for ch in text[last:]):
            runs.append([])
    return [r for r in runs if r]


# OCR words as lines of text: a word joins a line when its centre is within half the
# line's height of the line's centre (Tesseract's boxes of one line differ in height
# by ascenders and tone marks, far more than a PDF's words do); a gap wider than
# 1.2 box heights (1.38 × height / 1.15) is another table column.
OCR_TEXT_LINES = LineSettings(reach=0.5, band=(0.5, 0.5), gap_em=1.38, size_from_box=True)


def text_lines(words: list[Word], *, chain: bool = True) -> list[list[tuple[int, Word]]]:
    """Words (with their index) grouped into text lines, left to right
    (`geometry.group_lines` and `split_segments` with `OCR_TEXT_LINES`). With
    `chain`, a line continues on the line right below it that starts at the same
    left edge (`_chain`)."""
    index = {id(w): i for i, w in enumerate(words)}
    lines = [[(index[id(w)], w) for w in segment.words]
             for line in group_lines(words, OCR_TEXT_LINES)
             for segment in split_segments(line, OCR_TEXT_LINES)]
    return _chain(lines) if chain else lines


def _chain(lines: list[list[tuple[int, Word]]]) -> list[list[tuple[int, Word]]]:
    """Join a line to the line right below it starting at the same left edge as it or
    as one of its cells (`_starts`; the next line of one paragraph or cell): "triển"
    ends a line, "khai" opens the next."""
    lines.sort(key=lambda ln: (ln[0][1].y0, ln[0][1].x0))
    taken: set[int] = set()
    out = []
    for i, line in enumerate(lines):
        if i in taken:
            continue
        chain = list(line)
        last = line
        for j in range(i + 1, len(lines)):
            if j in taken:
                continue
            first, tail = lines[j][0][1], last[0][1]
            height = max(1.0, tail.y1 - tail.y0)
            if first.y0 - tail.y1 > 0.8 * height:
                if first.y0 - tail.y1 > 3 * height:
                    break
                continue
            if first.y0 > tail.y0 + 0.5 * height and any(
                    abs(first.x0 - start.x0) < 1.5 * height for start in _starts(last)):
                chain.extend(lines[j])
                taken.add(j)
                last = lines[j]
        out.append(chain)
    return out


def _starts(line: list[tuple[int, Word]]) -> list[Word]:
    """Where the cells of a text line start: its first word and each word after a gap
    wider than a word space (`CELL_GAP` heights; a line of two neighbouring columns
    close together, "Phát thanh và Truyền - Tài liệu tuyên truyền cơ", is one)."""
    words = [w for _i, w in line]
    return [words[0], *(b for a, b in zip(words, words[1:], strict=False)
                        if b.x0 - a.x1 >= CELL_GAP * max(1.0, a.y1 - a.y0))]


# Words of one text line further apart than this many line heights may be two cells.
CELL_GAP = 0.5


def _fix_run(run: list[_Token], lex: Lexicon) -> None:
    keys = [key(t.text) for t in run]
    for t, k in zip(run, keys, strict=True):
        # A function word read sure is what is printed: "qua" in "chính qua dịch vụ"
        # must not become "quả" because "quả dịch" is known ("kết quả dịch vụ").
        if k in lex.function_words and t.confidence >= SURE:
            t.sure = True
    for i in range(len(run) - 1):
        if keys[i] is not None and (keys[i], keys[i + 1]) in lex.pairs:
            run[i].sure = run[i + 1].sure = True
    for i in range(len(run) - 1):
        a, b = run[i], run[i + 1]
        ka, kb = a.fixed or keys[i], b.fixed or keys[i + 1]
        if ka is None or kb is None or (ka, kb) in lex.pairs:
            continue
        options_a = [ka] + ([] if a.sure or a.fixed else _variants(a.text, a.confidence))
        options_b = [kb] + ([] if b.sure else _variants(b.text, b.confidence))
        found = _known_pairs(options_a, options_b, ka, kb, lex)
        if not found:
            # Then the vowel shapes a low resolution confuses, one word at a time.
            shaped_a = [] if a.sure or a.fixed else _shape_variants(a.text, a.confidence)
            shaped_b = [] if b.sure else _shape_variants(b.text, b.confidence)
            found = (_known_pairs(shaped_a, [kb], ka, kb, lex)
                     + _known_pairs([ka], shaped_b, ka, kb, lex))
        if not found:
            continue
        found.sort(key=lambda f: f[0])
        best = [f for f in found if f[0] == found[0][0]]
        if len(best) != 1:
            continue
        _n, va, vb = best[0]
        if va != ka:
            a.fixed = va
        if vb != kb:
            b.fixed = vb
        a.sure = b.sure = True
    _repair_invalid(run, keys, lex)
    for t, k in zip(run, keys, strict=True):
        if t.sure or t.fixed or k is None or k in lex.syllables:
            continue
        unsure_invalid = t.confidence < SURE and not is_syllable(t.text)
        # A lower-case word the administrative lexicon never uses ("đế", "tai") that
        # is one blurred mark away from exactly one of `blurred_function_words` is
        # that word ("để", "tại"); any other valid word stays ("nói" is no misreading
        # of "noi", and capitals may be a name: "Tú").
        if not unsure_invalid and not t.text.islower():
            continue
        known = [v for v in _variants(t.text, t.confidence) if v in lex.syllables]
        if not unsure_invalid:
            known = [v for v in known if v in lex.blurred_function_words]
        if len(known) == 1:
            t.fixed = known[0]


def _change_cost(read: Key, reading: Key) -> float:
    """How far a reading is from what was read: 0 unchanged, 1 a changed mark; a hook
    traded for a grave costs more, so "Đầu tử" reads "Đầu tư" (a hook blurred away)
    rather than "Đầu từ"; so does a dot below traded for no mark (dust), either way."""
    if reading == read:
        return 0.0
    return 1.5 if {read[1], reading[1]} in _COSTLY_TRADES else 1.0


def _known_pairs(options_a: list[Key], options_b: list[Key], ka: Key, kb: Key,
                 lex: Lexicon) -> list[tuple[float, Key, Key]]:
    """(changes, a, b) for every reading of the two neighbours that is a known pair.
    A function word next to a changed word proves little ("và tiền chất" is not "và
    tiên phong")."""
    return [(_change_cost(ka, va) + _change_cost(kb, vb), va, vb)
            for va in options_a for vb in options_b
            if (va, vb) in lex.pairs
            and not (va == ka and ka in lex.function_words)
            and not (vb == kb and kb in lex.function_words)]


# Vowel marks OCR adds or drops on a letter (a speck on "o" reads as "ơ").
_VOWEL_SWAPS = {"o": "ơô", "ơ": "oô", "ô": "oơ", "u": "ư", "ư": "u", "e": "ê", "ê": "e",
                "a": "ăâ", "ă": "aâ", "â": "aă"}


# Letters of other alphabets OCR reads for Vietnamese ones ("Ñăm" for "Năm").
_FOREIGN_LETTERS = str.maketrans("ñçÿïöüëåø", "ncyiouead")


def _repairs(token: str) -> list[set[Key]]:
    """Readings of a token that is no syllable, fewest changes first: its letters
    with one of its tone marks (two read, as "thỏại") and a letter of another
    alphabet put right ("Ñăm"); then also one vowel with another mark ("theơ")."""
    letters, tones = tone_and_letters(token.lower().translate(_FOREIGN_LETTERS))
    names = {*(TONES[t] for t in tones), None}
    swapped = {letters[:i] + v + letters[i + 1:] for i, ch in enumerate(letters)
               for v in _VOWEL_SWAPS.get(ch, "")}
    return [{(letters, t) for t in names}, {(b, t) for b in swapped for t in names}]


def _repair_invalid(run: list[_Token], keys: list[Key | None], lex: Lexicon) -> None:
    """A token that is no Vietnamese syllable takes the one repair (`_repairs`) that
    makes a known pair with a neighbour, or else the one that is a known syllable.
    Valid syllables are never changed here."""
    for i, t in enumerate(run):
        foreign = t.text.lower() != t.text.lower().translate(_FOREIGN_LETTERS)
        if t.fixed or (is_syllable(t.text) and not foreign) or not t.text.isalpha() \
                or is_abbreviation(t.text):
            continue
        left = (run[i - 1].fixed or keys[i - 1]) if i > 0 else None
        right = (run[i + 1].fixed or keys[i + 1]) if i + 1 < len(run) else None
        for tier in _repairs(t.text):
            known = [k for k in tier if k in lex.syllables]
            paired = [k for k in known if (left, k) in lex.pairs or (k, right) in lex.pairs]
            if len(paired) == 1 or (len(known) == 1 and not paired):
                t.fixed = (paired or known)[0]
            if known:
                break


def _fix_abbreviation(text: str, lex: Lexicon) -> str:
    """Parts of "69/2021/Q8-UBND" and "(PCT)" that are no known abbreviation but
    become one when a confusable character is read as the capital it stands for, or
    a letter too many is left out ("PCTI"). A final "D" read for "I)" in an open
    bracket ("(PCD") gives the bracket back; a stroke read inside one goes ("PAP]I")."""
    text = _STROKE_INSIDE.sub(
        lambda m: m.group(1) + m.group(2) if m.group(1) + m.group(2) in lex.abbreviations
        else m.group(), text)

    def fix(m: re.Match[str]) -> str:
        part = m.group()
        if part in lex.abbreviations or part.isdigit() or not any(c.isalpha() for c in part):
            return part
        # (The confusions of longer abbreviations and a letter too many leave words
        # in capitals alone: "DANH" is no "DAN".)
        long = len(part) >= _LONG_MIN and not is_syllable(part)
        for i, ch in enumerate(part):
            others = [(o, False) for o in _CAPITAL_CONFUSIONS.get(ch, "")]
            if long:
                others += [(o, True) for o in _LONG_CONFUSIONS.get(ch, "")]
            for other, of_long in others:
                cand = part[:i] + other + part[i + 1:]
                if cand in lex.abbreviations and not (of_long and is_syllable(cand)):
                    closes = (ch == "D" and other == "I" and i == len(part) - 1
                              and m.string[:m.start()].endswith("(")
                              and not m.string[m.end():].startswith(")"))
                    return cand + ")" if closes else cand
        if long and len(part) >= _EXTRA_LETTER_MIN:
            shorter = {c for i in range(len(part))
                       if (c := part[:i] + part[i + 1:]) in lex.abbreviations
                       and not is_syllable(c)}
            if len(shorter) == 1:
                return shorter.pop()
        return part
    return _ABBREVIATION.sub(fix, text)


# A letter of another alphabet beside the Vietnamese one it looks like is one glyph
# read twice ("NÑăm", "UBNÑD", "QĐÐ"): Vietnamese never writes Ñ or Ð.
_TWIN_LOOKALIKE = re.compile(r"(?<=[NnĐDd])[ÑñÐ]|[ÑñÐ](?=[NnĐD])")


def _drop_twin_lookalike(text: str) -> str:
    return _TWIN_LOOKALIKE.sub(lambda m: "" if _same_letter(m, text) else m.group(), text)


def _same_letter(m: re.Match[str], text: str) -> bool:
    twin = "N" if m.group().upper() == "Ñ" else "DĐ"
    near = text[m.start() - 1: m.start()] + text[m.end(): m.end() + 1]
    return any(ch.upper() in twin for ch in near)


def correct_words(words: list[Word]) -> int:
    """Correct tone marks (and abbreviation letters) of OCR words in place; returns
    how many words changed."""
    lex = lexicon()
    read = [w.text for w in words]
    for word in words:
        word.text = _drop_twin_lookalike(word.text)
    changed: dict[int, list[_Token]] = {}
    for line in text_lines(words):
        for run in _tokens(line):
            _fix_run(run, lex)
            for t in run:
                if t.fixed is not None:
                    changed.setdefault(t.word, []).append(t)
    for index, word in enumerate(words):
        text = word.text
        for t in sorted(changed.get(index, []), key=lambda t: -t.start):
            text = text[:t.start] + _render(t.text, lex.spelling[t.fixed]) + text[t.end:]
        word.text = _fix_abbreviation(text, lex)
    return sum(w.text != r for w, r in zip(words, read, strict=True))


# A word glued to a number ("Năm2023", "quá30") or a numeral glued to a word
# ("Ivà" in "Quý Ivà Quý III"): a narrow space the OCR did not see.
_WORD_NUMBER = re.compile(r"^([^\W\d_]{2,})(\d[\d/.,;:]*)$")
_NUMERAL_WORD = re.compile(r"^(I{1,3}|IV|V)([^\W\d_]{2,}[.,;:]?)$")
_TRAILING = re.compile(r"[.,;:]+$")


def _split_points(text: str, lex: Lexicon) -> list[int]:
    """Where a token that is no syllable splits into two known syllables ("vàtư",
    "Trongvòng", "cơsở"); empty when there is no such split, or more than one
    and a lexicon pair does not choose."""
    m = _WORD_NUMBER.match(text)
    if m and is_syllable(m.group(1)) and not m.group(1).isupper():
        return [len(m.group(1))]
    m = _NUMERAL_WORD.match(text)
    if m and is_syllable(_TRAILING.sub("", m.group(2))) and m.group(2)[:1].islower() \
            and not is_syllable(_TRAILING.sub("", text)):
        return [len(m.group(1))]
    # Two abbreviations run together ("(PARINDEX)"): the knowledge files say where.
    opening = len(text) - len(text.lstrip("(“\""))
    cut = lex.glued_abbreviations.get(_TRAILING.sub("", text[opening:]).rstrip(")”\""))
    if cut is not None:
        return [opening + cut]
    body = _TRAILING.sub("", text)
    if len(body) < 4 or not body.isalpha() or is_syllable(body) or body.isupper():
        return []
    splits = []
    for i in range(2, len(body) - 1):
        a, b = body[:i], body[i:]
        if not b.islower() or not is_syllable(a) or not is_syllable(b):
            continue
        ka, kb = key(a), key(b)
        if ka in lex.syllables and (kb in lex.syllables or any(
                v in lex.syllables for v in _variants(b, 0.0))):
            splits.append((i, (ka, kb) in lex.pairs))
    paired = [i for i, p in splits if p]
    if len(paired) == 1:
        return paired
    return [splits[0][0]] if len(splits) == 1 else []


def split_glued(words: list[Word]) -> list[Word]:
    """OCR words with the space between two words lost, split in two (the box cut
    in proportion to the characters)."""
    lex = lexicon()
    out: list[Word] = []
    for w in words:
        cuts = _split_points(w.text, lex) if w.origin == "ocr" else []
        if not cuts:
            out.append(w)
            continue
        i = cuts[0]
        x = w.x0 + (w.x1 - w.x0) * i / len(w.text)
        for text, x0, x1 in ((w.text[:i], w.x0, x), (w.text[i:], x, w.x1)):
            out.append(Word(text, x0, w.y0, x1, w.y1, w.font, w.size, w.bold, w.italic,
                            w.origin, w.confidence))
    return out
