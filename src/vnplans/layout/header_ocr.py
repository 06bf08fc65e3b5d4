"""The OCR'd words of a header block read against what a header can say.

A seal stamped over the issuing body and the number line, or a low scan resolution,
garbles capitals: a stray mark between words ("SỞ NỘI 1 VỤ"), dots from specks
("ỦY BAN NHÂN DÂN... HUYỆN ĐẠI TỪ."), a letter doubled ("HUYIỆN"), a word lost under
the seal ("SỞ NỘI", "ỦY BAN NHÂN TỈNH …"), the spaces between capitals set close lost
("SỞNỘIVỤ"), a wrapped place's words read out of order ("TỈNH QUẢNG_ TUYÊN"), a
symbol's letters confused ("KH-S1LII1I" for "KH-STTTT", "KH-UBIB" for "KH-UBND").
The header is a known shape (Nghị định 30/2020): an issuer is "SỞ <department>" or
"<body> <place kind> <place>", a symbol is "<kind code>-<body code>", a signer's name
is a Vietnamese personal name. This module reads OCR'd text against that shape and
the knowledge of `extractors/header_block.yaml` and `extractors/provinces.yaml`; the
header reader calls it for lines of OCR'd words only, so born-digital text is never
touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from vnplans import knowledge
from vnplans.textlayer.syllables import is_syllable
from vnplans.vietnamese import collapse, strip_marks, tone_and_letters
from vnplans.vietnamese import fold as vn_fold

# A symbol part is read as a known code when its cost is at most this share of the
# code's length: "S1LII1I" → "STTTT" costs 1.8 (five confusions, two thin strokes), a
# different code of the same length costs a whole letter per letter.
SYMBOL_COST_SHARE = 0.4
# An issuer's word that is no syllable is read as a known word at most this share of
# the word's length away ("HUYIỆN" → "HUYỆN": one stroke, 0.3 of 5 letters).
WORD_COST_SHARE = 0.25
# A garbled place ("BÌNH DỰ JNG") is read as a known one at most this share of the
# place's letters away.
PLACE_COST_SHARE = 0.25
# A garbled name ("SỞ TƯ PHẢP") is read as a known one with the same first word at most
# this share of its letters away: a few confusions, not another name ("SỞ TÀI CHÍNH"
# is no "SỞ TƯ PHÁP", "PHÒNG GIÁO DỤC" no "SỞ GIÁO DỤC").
NAME_COST_SHARE = 0.15
# In a name printed in capitals, a token of at most this many letters with a small
# one among them is a speck read as a letter ("SỞ TƯ PHÁP: l").
SPECK_LETTERS = 2
# A word of a personal name that is no Vietnamese syllable (names of the minorities:
# "Ksor", "Kđăm", "Biêr") has this many letters at least; shorter ones that are no
# syllable ("N", "Z") are specks of a seal or a signature.
NAME_WORD_MIN_LETTERS = 3
# A personal name has this many syllables (family name, middle names, given name).
NAME_SYLLABLES = (2, 6)

_PUNCT_EDGE = re.compile(r"^[^\wĐđ&-]+|[^\wĐđ&,-]+$")
_LETTER = re.compile(r"[^\W\d_]")


def _upper_fold(text: str) -> str:
    return vn_fold(text).upper()


def _plain(text: str) -> str:
    """Upper case without tone marks, Đ as D, punctuation kept: the letters compared."""
    return strip_marks(text).upper()


@dataclass(frozen=True)
class _Knowledge:
    issuer_names: tuple[tuple[str, ...], ...]  # printed words
    body_kinds: tuple[tuple[str, ...], ...]
    place_kinds: tuple[tuple[str, ...], ...]  # printed words, longest first
    province_kinds: frozenset[str]  # folded
    provinces: tuple[tuple[str, ...], ...]  # printed upper-case words
    province_spellings: tuple[tuple[str, ...], ...]  # other printed forms
    vocabulary: dict[str, str]  # folded word -> printed upper-case word
    dotted: frozenset[str]
    kind_codes: tuple[str, ...]
    body_codes: tuple[str, ...]
    skip_initials: frozenset[str]
    similar: dict[str, frozenset[str]]
    thin: frozenset[str]
    similar_cost: float
    thin_cost: float
    mark_cost: float
    trailing_cost: float


@cache
def _knowledge() -> _Knowledge:
    data: dict[str, Any] = knowledge.load("header_block")
    prov: dict[str, Any] = knowledge.load("provinces")
    conf = data["confusions"]
    similar: dict[str, set[str]] = {}
    for group in conf["similar"]:
        for a in group:
            similar.setdefault(str(a), set()).update(str(b) for b in group if b != a)
    names = tuple(tuple(n.split()) for n in data["issuer_names"])
    kinds = tuple(tuple(n.split()) for n in data["body_kinds"])
    places = tuple(sorted((tuple(p.split()) for p in data["unfinished_line_endings"]),
                          key=lambda p: -len(p)))
    provinces = tuple(tuple(name.upper().replace(" - ", " ").split())
                      for name in prov["provinces"])
    vocabulary: dict[str, str] = {}
    for words in (*names, *kinds, *places, *provinces):
        for w in words:
            if _LETTER.search(w):
                vocabulary.setdefault(_upper_fold(w), w)
    codes = data["symbol_codes"]
    return _Knowledge(
        issuer_names=names, body_kinds=kinds, place_kinds=places,
        province_kinds=frozenset(_upper_fold(k) for k in data["province_markers"]),
        provinces=provinces, vocabulary=vocabulary,
        province_spellings=tuple(tuple(k.upper().replace(" - ", " ").split())
                                 for k in prov.get("spellings", {})),
        dotted=frozenset(data.get("dotted_words", [])),
        kind_codes=tuple(codes["kinds"]), body_codes=tuple(codes["bodies"]),
        skip_initials=frozenset(_upper_fold(w) for w in data.get("initial_skip_words", [])),
        similar={k: frozenset(v) for k, v in similar.items()},
        thin=frozenset(str(t) for t in conf["thin"]),
        similar_cost=float(conf["similar_cost"]), thin_cost=float(conf["thin_cost"]),
        mark_cost=float(conf["mark_cost"]),
        trailing_cost=float(conf["trailing_cost"]),
    )


# --------------------------------------------------------------------------- cost


def confusion_cost(read: str, known: str, *, trailing: bool = False) -> float:
    """Edit cost of reading `known` as `read`, with OCR's confusions cheap: letters of
    one group of `confusions.similar`, thin strokes added or lost. Compared without
    tone marks. `trailing`: letters after the end of `known` (glued on by the seal's
    rim or the next line) cost `trailing_cost` each."""
    kb = _knowledge()
    a, b = _plain(read), _plain(known)

    def sub(x: str, y: str) -> float:
        if x == y:
            return 0.0
        if y in kb.similar.get(x, ()):
            return kb.similar_cost
        # A mark read where a letter is ("HUYI}N"): OCR failed on that letter.
        return kb.mark_cost if not x.isalnum() and x not in kb.thin and y.isalpha() else 1.0

    def indel(x: str) -> float:
        return kb.thin_cost if x in kb.thin else 1.0

    # rows[i][j]: cost of reading b[:j] as a[:i]
    rows = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for j, y in enumerate(b, start=1):
        rows[0][j] = rows[0][j - 1] + indel(y)
    for i, x in enumerate(a, start=1):
        rows[i][0] = rows[i - 1][0] + indel(x)
        for j, y in enumerate(b, start=1):
            rows[i][j] = min(rows[i - 1][j - 1] + sub(x, y), rows[i - 1][j] + indel(x),
                             rows[i][j - 1] + indel(y))
    if not trailing:
        return rows[len(a)][len(b)]
    # All of `known` read by a[:i], the rest of `read` glued on after it.
    return min(rows[i][len(b)] + kb.trailing_cost * (len(a) - i) for i in range(len(a) + 1))


# --------------------------------------------------------------------------- symbol


def initials(name: str | None) -> str | None:
    """The code of a body from its name: the initials of its words before any place
    kind ("SỞ KẾ HOẠCH VÀ ĐẦU TƯ" → "SKHĐT", "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH" →
    "UBND"); None for an abbreviated name ("UBND TỈNH …") or none."""
    if not name:
        return None
    kb = _knowledge()
    words = name.split()
    out = []
    for k, word in enumerate(words):
        if any(tuple(_upper_fold(w) for w in words[k:k + len(p)]) ==
               tuple(_upper_fold(w) for w in p) for p in kb.place_kinds):
            break
        letters = [ch for ch in word if ch.isalpha()]
        if not letters or _upper_fold(word) in kb.skip_initials:
            continue
        if len(letters) > 1 and word.isupper() and not is_syllable("".join(letters)):
            return None  # an abbreviation inside the name: no initials to take
        first = strip_marks(letters[0]).upper() if letters[0] not in "Đđ" else "Đ"
        out.append(first)
    return "".join(out) if len(out) >= 2 else None


def _best_code(part: str, known: Iterable[str], preferred: Iterable[str]) -> str | None:
    """The known code `part` is a garbled reading of, or None. A code of `preferred`
    (the issuer's own) wins a tie."""
    pref = [p for p in preferred if p]
    scored: list[tuple[float, int, str]] = []
    for code in dict.fromkeys([*pref, *known]):
        cost = confusion_cost(part, code, trailing=True)
        if cost <= SYMBOL_COST_SHARE * len(code):
            scored.append((cost, 0 if code in pref else 1, code))
    if not scored:
        return None
    scored.sort()
    if len(scored) > 1 and scored[1][:2] == scored[0][:2] and \
            _plain(scored[1][2]) != _plain(scored[0][2]):
        return None  # two codes read as well: keep what was read
    return scored[0][2]


def _symbol_parts(text: str) -> list[str]:
    """The codes of a symbol, split at dashes (or the colon OCR reads for one), marks
    that are no letters dropped."""
    kb = _knowledge()

    def kept(part: str) -> str:  # letters, digits, and marks OCR reads for a letter ("§")
        return "".join(ch for ch in part if ch.isalnum() or ch == "&" or ch in kb.similar)

    return [p for p in (kept(p) for p in re.split(r"[-–:]+", text)) if p and p.strip("|!")]


def repair_symbol(symbol: str, issuer: str | None, authority: str | None) -> str:
    """An OCR'd symbol ("KH-S1LII1I", "KH--SKHĐT`Zl", "KH-SNVKỆ", "KH:UBND") as the
    known codes it garbles ("KH-STTTT", "KH-SKHĐT", "KH-SNV", "KH-UBND"): each part
    that is no known code is read as the nearest one (the issuer's own code first); a
    part near none is kept. Words after a first word made of known codes are specks
    ("KH-STP. STP M"). A symbol with a slash ("12-KH/TU") is left as read."""
    kb = _knowledge()
    symbol = symbol.strip()
    if "/" in symbol:
        return re.sub(r"\s+", "", symbol).rstrip(".")
    own = [c for c in (initials(issuer), initials(authority)) if c]
    # (Each known code as printed, by its plain form: a code read in small letters,
    # "kh-snv", is printed in capitals.)
    known_plain = {_plain(c): c for c in (*own, *kb.body_codes, *kb.kind_codes)}
    first = _symbol_parts(symbol.split()[0]) if symbol.split() else []
    if len(first) >= 2 and all(_plain(p) in known_plain for p in first):
        parts = first
    else:
        parts = _symbol_parts(symbol)
    if not parts:
        return re.sub(r"\s+", "", symbol).rstrip(".")
    out = []
    for k, part in enumerate(parts):
        if _plain(part) in known_plain:
            out.append(part if any(ch.isupper() for ch in part) else known_plain[_plain(part)])
            continue
        if k == 0:
            code = _best_code(part, kb.kind_codes, [])
        else:
            code = _best_code(part, kb.body_codes, own)
        out.append(code or part)
    return "-".join(out)


# --------------------------------------------------------------------------- issuer


def _is_speck(token: str) -> bool:
    return len(_LETTER.findall(token)) <= SPECK_LETTERS and any(ch.islower() for ch in token)


def without_specks(text: str) -> str:
    """A line printed in capitals (most of its words) without the specks OCR read as
    short words with small letters ("SỞ TƯ PHÁP: l", "Án KẾ HOẠCH"); other text as it
    is."""
    tokens = text.split()
    if sum(t.isupper() for t in tokens) * 2 <= len(tokens):
        return text
    return " ".join(t for t in tokens if not _is_speck(t))


def _trailing_speck(token: str) -> bool:
    """A name's last token of at most `SPECK_LETTERS` capitals that is no syllable and
    no word of a known name: a speck of the seal or the paper ("SỞ NỘI VỤ XS",
    "HUYỆN ĐẠI TỪ Z")."""
    return (len(_LETTER.findall(token)) <= SPECK_LETTERS and token.isupper()
            and not is_syllable(token) and _upper_fold(token) not in _knowledge().vocabulary)


def _clean_tokens(text: str) -> list[str]:
    """The words of an OCR'd name without the marks OCR adds: punctuation at a word's
    edges (a comma ending a word stays: "VĂN HÓA, THỂ THAO"; so do dotted words such as
    "TP."), tokens with no letter (a stray "1", "...") unless a dash or a number
    after "SỐ", and a speck read as capitals ending the name (`_trailing_speck`)."""
    kb = _knowledge()
    out: list[str] = []
    for token in without_specks(text).split():
        if token in kb.dotted:
            out.append(token)
            continue
        if token in ("-", "–", "&"):
            out.append(token)
            continue
        clean = _PUNCT_EDGE.sub("", token)
        if not _LETTER.search(clean):
            if clean.isdigit() and out and _upper_fold(out[-1]) == "SO":
                out.append(clean)
            continue
        out.append(clean)
    while out and (out[-1] in ("-", "–", "&") or _trailing_speck(out[-1])):
        out.pop()
    if out and out[-1].endswith(","):
        out[-1] = out[-1].rstrip(",")
    return out


def _known_word(token: str) -> str:
    """A word that is no syllable and no known word, read as the nearest known word of
    a header name ("HUYIỆN" → "HUYỆN"); kept when none is near."""
    kb = _knowledge()
    bare = token.rstrip(",")
    if _upper_fold(bare) in kb.vocabulary or is_syllable(bare) or not bare.isupper():
        return token
    best = min(((confusion_cost(bare, w), w) for w in kb.vocabulary.values()), default=None)
    if best and best[0] <= WORD_COST_SHARE * len(_plain(best[1])):
        return best[1] + ("," if token.endswith(",") else "")
    return token


def _folds(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(_upper_fold(w) for w in words)


def _marks(words: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Each word's letters with their vowel marks and its tone, for telling "CẨM" from
    "CẤM" and "DƯƠNG" from "DUONG" (where the tone mark sits is ignored: HOÀ = HÒA)."""
    return tuple(tone_and_letters(w) for w in words)


def _place_kind_at(words: list[str]) -> int | None:
    """Index of the first place kind ("TỈNH", "THÀNH PHỐ", "HUYỆN") after the first
    word, or None."""
    kb = _knowledge()
    folded = _folds(words)
    for k in range(1, len(words)):
        for kind in kb.place_kinds:
            if folded[k:k + len(kind)] == _folds(kind):
                return k
    return None


def _as_known_name(words: list[str], names: tuple[tuple[str, ...], ...]) -> list[str] | None:
    """The known name `words` are an OCR reading of: the same letters (with or without
    the spaces between words), a word short at its end (lost under the seal), or a
    word inside it lost or garbled; None when no single name fits."""
    folded = _folds(words)
    exact = [n for n in names if _folds(n) == folded]
    if exact:  # the same letters: the known marks, their placement as read ("HOÀ")
        return None if any(_marks(n) == _marks(words) for n in exact) else list(exact[0])
    # The spaces between its words lost ("SỞNỘIVỤ": capitals set close).
    joined = [n for n in names if "".join(_folds(n)) == "".join(folded)]
    if len({_folds(n) for n in joined}) == 1:
        return list(joined[0])
    short = [n for n in names if len(n) > len(words) >= 2 and _folds(n)[:len(words)] == folded]
    if len({_folds(n) for n in short}) == 1:
        return list(short[0])
    return _nearest(folded, [n for n in names if _folds(n)[:1] == folded[:1]], NAME_COST_SHARE)


def _nearest(folded: tuple[str, ...], candidates: Iterable[tuple[str, ...]],
             share: float) -> list[str] | None:
    """The one candidate name nearest in letters to the folded words read, at most
    `share` of their letters away and strictly nearer than any other; else None."""
    text = " ".join(folded)
    near = sorted((confusion_cost(text, " ".join(_folds(n))), n) for n in candidates)
    if near and near[0][0] <= share * len(text) and \
            (len(near) == 1 or near[1][0] > near[0][0]):
        return list(near[0][1])
    return None


def _place_votes(place_words: list[str], mentions: Iterable[str]) -> list[str] | None:
    """The spelling of a place the document itself gives most often (the date line's
    place, the body's "huyện Cẩm Xuyên"), among those with the same letters as the
    issuer's reading or starting with them (a word lost); None when none does."""
    folded = _folds(place_words)
    counts: Counter[tuple[str, ...]] = Counter()
    for text in mentions:
        words = [w for w in re.split(r"[^\w]+", text) if w]
        wf = _folds(words)
        for i in range(len(words)):
            for size in range(len(folded), len(folded) + 3):
                if i + size > len(words):
                    break
                if wf[i:i + len(folded)] != folded:
                    break
                cand = tuple(w.upper() for w in words[i:i + size])
                if size > len(folded) and not all(w[:1].isupper() for w in words[i:i + size]):
                    break
                counts[cand] += 1
    if not counts:
        return None
    same = [(n, c) for c, n in counts.items() if len(c) == len(folded)]
    longer = [(n, c) for c, n in counts.items() if len(c) > len(folded)]
    if same:
        n, c = max(same, key=lambda nc: (nc[0], nc[1] == tuple(place_words)))
        return list(c)
    return list(max(longer)[1]) if longer else None


def repair_name(text: str, mentions: Iterable[str] = ()) -> str:
    """An OCR'd issuer or authority read against the known shapes: marks dropped,
    words that are no syllable read as known words, the body before a place read as a
    known kind ("ỦY BAN NHÂN" → "ỦY BAN NHÂN DÂN"), a province as provinces.yaml has
    it, another place as the document names it most often (`mentions`: the date
    line's place and the body text); a "SỞ …" name read as a known one."""
    kb = _knowledge()
    words = [_known_word(t) for t in _clean_tokens(text)]
    if not words:
        return collapse(text)
    at = _place_kind_at(words)
    if at is None:
        known = _as_known_name(words, kb.issuer_names)
        return " ".join(known or words)
    kind = next(k for k in kb.place_kinds if _folds(words[at:at + len(k)]) == _folds(k))
    body, place = words[:at], words[at + len(kind):]
    body = _as_known_name(body, kb.body_kinds) or body
    if place:
        mentions = list(mentions)
        if _upper_fold(" ".join(kind)) in kb.province_kinds:
            place = _province_place(place, mentions) or place
        else:
            place = _place_votes(place, [" ".join(place), *mentions]) or place
    return " ".join([*body, *words[at:at + len(kind)], *place])


def _province_place(place: list[str], mentions: list[str]) -> list[str] | None:
    """A province's name as read ("THÁI", "DỰ JNG") as provinces.yaml has it: the
    same letters with other tone marks, its words out of order, a word short (the
    document's own mention decides between "THÁI BÌNH" and "THÁI NGUYÊN"), or near in
    letters."""
    kb = _knowledge()
    folded = _folds(place)
    same = [p for p in kb.provinces if _folds(p) == folded]
    if same:  # read right, or in a spelling of provinces.yaml ("ĐĂK NÔNG"): as read
        spelled = [p for p in kb.province_spellings if _folds(p) == folded]
        return None if any(_marks(p) == _marks(place) for p in [*same, *spelled]) \
            else list(same[0])
    text = " " + " ".join(_upper_fold(m) for m in mentions) + " "

    def named(province: tuple[str, ...]) -> int:
        """How often the document (date line's place, body) names the province."""
        return text.count(f" {' '.join(_folds(province))} ")
    # Its words out of order (the issuer's two lines read as one: "QUẢNG_ TUYÊN"): a
    # province the document names with just those words.
    letters = sorted(re.sub(r"[^\w]|_", "", w) for w in folded)
    scrambled = [p for p in kb.provinces if len(p) > 1 and sorted(_folds(p)) == letters
                 and named(p)]
    if len(scrambled) == 1:
        return list(scrambled[0])
    short = [p for p in kb.provinces if len(p) > len(place) and _folds(p)[:len(place)] == folded]
    # A place a word short is completed only to a province the document names (the
    # date line's place, the body), the one it names most often: "THÀNH PHỐ VINH" is
    # no "VĨNH LONG".
    counts = sorted(((named(p), p) for p in short), reverse=True)
    counts = [c for c in counts if c[0] > 0]
    short = [counts[0][1]] if counts and (len(counts) == 1 or counts[0][0] > counts[1][0]) \
        else []
    if len(short) == 1:
        return list(short[0])
    return _nearest(folded, kb.provinces, PLACE_COST_SHARE)


def place_kind_opens(text: str) -> bool:
    """Whether a line opens with a place kind ("TỈNH TUYÊN QUANG"): it goes on with
    the body named on the line before ("ỦY BAN NHÂN DÂN" / "TỈNH TUYÊN QUANG")."""
    kb = _knowledge()
    words = _clean_tokens(text)
    return any(_folds(words[:len(k)]) == _folds(k) for k in kb.place_kinds)


def _with_marks_of(word: str, known: str) -> str:
    """`known`'s letters and marks in `word`'s case, `word`'s edge punctuation kept."""
    m = re.match(r"^(\W*)(.*?)(\W*)$", word)
    assert m is not None
    lead, core, tail = m.groups()
    if core.isupper():
        out = known.upper()
    elif core[:1].isupper():
        out = known[:1].upper() + known[1:].lower()
    else:
        out = known.lower()
    return lead + out + tail


def respell_names(text: str, bodies: Iterable[str], places: Iterable[str]) -> str:
    """An OCR'd title with the names it shares with the knowledge in their known marks:
    "Sở Thông tin và Truyền thống" → "… Truyền thông" (a body: SỞ THÔNG TIN VÀ TRUYỀN
    THÔNG), "tỉnh Quảng Ngái" → "tỉnh Quảng Ngãi" (a place: a province). Only a run
    of words with the same letters as a whole name, written as a name is (a body's
    first word capitalised, each word of a place), changes, in its own case; each word
    belongs to one name at most, the longest ("Tuyên Quang năm" holds no "Quảng Nam");
    a spelling of provinces.yaml stays as printed ("Đăk Nông")."""
    words = text.split(" ")
    folded = [_upper_fold(w) for w in words]
    taken = [False] * len(words)
    names = [(n, False) for n in bodies if n] + [(n, True) for n in places if n]
    for name, is_place in sorted(set(names), key=lambda nk: -len(nk[0].split())):
        known = [w for w in name.split() if _upper_fold(w)]
        kf = _folds(known)
        size = len(kf)
        for i in range(len(words) - size + 1):
            span = words[i:i + size]
            if not size or tuple(folded[i:i + size]) != kf or any(taken[i:i + size]):
                continue
            capitals = span if is_place else span[:1]
            if not all(w.lstrip("(\"“")[:1].isupper() for w in capitals):
                continue
            taken[i:i + size] = [True] * size
            core = [re.sub(r"^\W+|\W+$", "", w) for w in span]
            # (A spelling provinces.yaml knows is printed so: "Đăk Nông".)
            if _marks(core) != _marks(known) \
                    and tuple(w.upper() for w in core) not in _knowledge().province_spellings:
                words[i:i + size] = [_with_marks_of(w, k) for w, k in zip(span, known,
                                                                            strict=True)]
    return " ".join(words)


def without_leading_marks(text: str) -> str:
    """OCR'd text without the specks read as punctuation opening a word ("Sở Thông
    :tin"): no word starts with a colon, semicolon, comma or full stop."""
    return re.sub(r"(?:(?<=\s)|^)[:;,.]+(?=\w)", "", text)


def known_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(The issuing bodies' names, the provinces' names) of the knowledge, as printed."""
    kb = _knowledge()
    return (tuple(" ".join(n) for n in kb.issuer_names),
            tuple(" ".join(p) for p in kb.provinces))


# --------------------------------------------------------------------------- signer


def is_personal_name(text: str) -> bool:
    """A personal name: two to six capitalised words of letters only ("Phạm Minh
    Tuấn", or all in capitals), each a Vietnamese syllable or, for names of the
    minorities ("Ksor Phước Hà", "Y Biêr Niê"), a word of `NAME_WORD_MIN_LETTERS` at
    least; nothing else ("Xà N 21/22", "Z c⁄Z", "sói N" are not)."""
    words = text.split()
    if not NAME_SYLLABLES[0] <= len(words) <= NAME_SYLLABLES[1]:
        return False
    upper = all(w.isupper() for w in words)
    return all(w.isalpha() and w[:1].isupper() and (upper or w[1:].islower() or len(w) == 1)
               and (is_syllable(w) or len(w) >= NAME_WORD_MIN_LETTERS) for w in words)
