"""Tokens of a deadline cell, with the vocabulary of `extractors/deadlines.yaml`
matched onto them.

Vietnamese is matched by syllable: a word printed with diacritics must carry the
same letters and tone as the vocabulary word (wherever the tone mark sits, so
"Qúy" = "Quý"); a word printed without any diacritics matches loosely ("thuong" =
"thường"), exact readings preferred. Each token keeps its character span in the
cell, so event wording can be quoted as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from vnplans import knowledge
from vnplans.vietnamese import strip_marks, tone_and_letters

# Categories whose YAML value is a list of phrases (value None) or a mapping.
_LIST_CATEGORIES = ("continuous", "recurrence_markers", "event_openers", "unspecified",
                    "before", "by", "through", "from", "within", "start_of", "end_of",
                    "separators", "filler", "clock", "minutes",
                    "day_parts")
_MAP_CATEGORIES = ("units", "weekdays", "roman", "number_words")

# Numbers written d/m/y or m/y (spaces tolerated around "/"), or d.m.y / d-m-y.
_TOKEN = re.compile(
    r"(?P<dmy>\d{1,2}\s*(?P<s>[./-])\s*\d{1,2}\s*(?P=s)\s*\d{2,4})(?!\d)"
    r"|(?P<slash>\d{1,4}\s*/\s*\d{1,4})(?![\d/])"
    r"|(?P<num>\d+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>\S)"
)
_DASHES = "-–—−~"
_SEPARATOR_PUNCT = ",;&+\n"


@dataclass(frozen=True)
class Syllable:
    folded: str          # no diacritics at all, lower case: "quy"
    key: tuple[str, str]  # letters with vowel marks + tone: ("quy", "\u0301")
    marked: bool         # printed with any diacritic


@lru_cache(maxsize=65536)  # a pure function of the word; cells repeat the same few
def syllable(word: str) -> Syllable:
    letters, tone = tone_and_letters(word)
    folded = strip_marks(letters)
    return Syllable(folded, (letters, tone), letters != folded or bool(tone))


@dataclass
class Tok:
    kind: str                      # "word", "num", "date", "punct", "phrase"
    text: str                      # as printed
    start: int
    end: int
    syl: Syllable | None = None
    nums: tuple[int, ...] = ()     # "num": (n,), "date": the parts of d/m/y or m/y
    digits: tuple[str, ...] = ()
    cats: dict[str, Any] = field(default_factory=dict)   # vocabulary readings
    corrected: bool = False        # spelling repaired by edit distance

    def has(self, cat: str) -> bool:
        return cat in self.cats

    def get(self, cat: str) -> Any:
        return self.cats.get(cat)


@dataclass(frozen=True)
class _Entry:
    syllables: tuple[Syllable, ...]
    category: str
    value: Any


@dataclass(frozen=True, eq=False)  # hashed by identity: it keys the deadline readings' cache
class Vocabulary:
    entries_by_first: dict[str, tuple[_Entry, ...]]
    syllables: frozenset[str]               # folded syllables of every phrase
    long_syllables: tuple[str, ...]         # those usable for spelling repair
    data: dict[str, Any]
    tones: dict[str, frozenset[str]] = field(default_factory=dict)   # folded → tones used


def _phrase_syllables(phrase: str) -> tuple[Syllable, ...]:
    return tuple(syllable(w) for w in re.findall(r"[^\W_]+", str(phrase)))


@cache
def vocabulary() -> Vocabulary:
    data = knowledge.load("deadlines") or {}
    by_first: dict[str, list[_Entry]] = {}

    def add(phrase: Any, category: str, value: Any) -> None:
        syls = _phrase_syllables(str(phrase))
        if syls:
            by_first.setdefault(syls[0].folded, []).append(_Entry(syls, category, value))

    for category in _LIST_CATEGORIES:
        for phrase in data.get(category) or []:
            add(phrase, category, None)
    for category in _MAP_CATEGORIES:
        for phrase, value in (data.get(category) or {}).items():
            add(phrase, category, value)
    syllables = frozenset(s.folded for entries in by_first.values()
                          for e in entries for s in e.syllables)
    long_syllables = tuple(sorted(s for s in syllables if len(s) >= 5 and s.isalpha()))
    tones: dict[str, set[str]] = {}
    for entries in by_first.values():
        for e in entries:
            for syl in e.syllables:
                tones.setdefault(syl.folded, set()).add(syl.key[1])
    return Vocabulary({k: tuple(v) for k, v in by_first.items()}, syllables,
                      long_syllables, data, {k: frozenset(v) for k, v in tones.items()})


# A run of digits and date separators standing alone ("2O23", "3O/11/2O23").
_DIGIT_RUN = re.compile(r"(?<![^\W_])[\dOo]+(?:[/.\-][\dOo]+)*(?![^\W_])")


def _fix_letter_o(text: str) -> str:
    """The letter O typed (or OCR'd) for a zero inside a number: same length."""
    def fix(m: re.Match[str]) -> str:
        run = m.group()
        if sum(c.isdigit() for c in run) >= 2 and any(c in "Oo" for c in run):
            return run.replace("O", "0").replace("o", "0")
        return run
    return _DIGIT_RUN.sub(fix, text)


def _raw_tokens(text: str) -> list[Tok]:
    toks: list[Tok] = []
    text = _fix_letter_o(text)
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        raw = m.group()
        if m.group("dmy") or m.group("slash"):
            digits = tuple(re.findall(r"\d+", raw))
            toks.append(Tok("date", raw, s, e, nums=tuple(int(d) for d in digits),
                            digits=digits))
        elif m.group("num"):
            toks.append(Tok("num", raw, s, e, syl=syllable(raw), nums=(int(raw),),
                            digits=(raw,)))
        elif m.group("word"):
            toks.append(Tok("word", raw, s, e, syl=syllable(raw)))
        else:
            tok = Tok("punct", raw, s, e)
            if raw in _SEPARATOR_PUNCT:
                tok.cats["separators"] = raw
            elif raw in _DASHES:
                tok.cats["dash"] = raw
            elif raw == "/":
                tok.cats["slash"] = raw
            else:
                tok.cats["filler"] = raw
            toks.append(tok)
    return toks


def _split_glued(tok: Tok, vocab: Vocabulary) -> list[Tok] | None:
    """ "Thườngxuyên" → "Thường" "xuyên": the fewest vocabulary syllables that spell
    the word, or None."""
    folded = tok.syl.folded if tok.syl else ""
    n = len(folded)
    if n < 2 or n > 40 or n != len(tok.text):
        return None
    best: list[list[int] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 1, n + 1):
            if folded[i:j] in vocab.syllables:
                cand = best[i] + [j]
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
    cuts = best[n]
    if not cuts or len(cuts) < 2:
        return None
    # Folding keeps one character per printed letter, so the cuts map back.
    out, prev = [], 0
    for cut in cuts:
        piece = tok.text[prev:cut]
        out.append(Tok("word", piece, tok.start + prev, tok.start + cut, syl=syllable(piece)))
        prev = cut
    return out


def _edit_distance_one(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


def _retone(tok: Tok, vocab: Vocabulary) -> Tok:
    """A long vocabulary word printed with a wrong tone ("xuyến" for "xuyên"): read
    loosely, as a repaired spelling. Short words keep their tone: "sau" ≠ "sáu"."""
    syl = tok.syl
    if (syl is None or len(syl.folded) < 5 or not syl.key[1]
            or syl.key[1] in vocab.tones.get(syl.folded, {syl.key[1]})):
        return tok
    return Tok(tok.kind, tok.text, tok.start, tok.end,
               syl=Syllable(syl.folded, (syl.folded, ""), False), corrected=True)


def _repair(tok: Tok, vocab: Vocabulary) -> Tok:
    """A misspelt vocabulary word one edit away ("xuyn" → "xuyên"), when unique."""
    folded = tok.syl.folded if tok.syl else ""
    if len(folded) < 5:  # short words are too often other real words
        return tok
    near = [s for s in vocab.long_syllables if _edit_distance_one(folded, s)]
    if len(near) != 1:
        return tok
    return Tok("word", tok.text, tok.start, tok.end, syl=Syllable(near[0], (near[0], ""), False),
               corrected=True)


def _matches(entry: _Entry, toks: list[Tok], i: int) -> int | None:
    """How many syllables match exactly, or None if the entry does not match at
    toks[i:]. A printed word matches loosely when its letters agree and it carries no
    tone mark or the same one (missing diacritics, "Thuờng" for "Thường"); a word
    with a different tone is a different word ("sau" is not "sáu")."""
    if i + len(entry.syllables) > len(toks):
        return None
    exact = 0
    for want, tok in zip(entry.syllables, toks[i:], strict=False):
        if tok.syl is None or tok.kind == "date":
            return None
        got = tok.syl
        if got.key == want.key:
            exact += 1
        elif got.folded != want.folded or got.key[1] not in ("", want.key[1]):
            return None
    return exact


def _joined(a: Tok, b: Tok) -> Tok:
    letters = a.text + b.text
    return Tok("word", letters, a.start, b.end, syl=syllable(letters))


def tokenize(text: str) -> list[Tok]:
    """The tokens of one cell (NFC text), vocabulary phrases merged into one token
    each carrying every reading of the longest phrase there."""
    vocab = vocabulary()
    toks: list[Tok] = []
    raw = _raw_tokens(text)
    skip_next = False
    for n, tok in enumerate(raw):
        if skip_next:
            skip_next = False
            continue
        if tok.kind == "word" and tok.syl and tok.syl.folded not in vocab.syllables:
            # A syllable the PDF cut in two ("xuyê n", "Thư ờng", "q uý")
            prev = toks[-1] if toks and toks[-1].kind == "word" else None
            nxt = raw[n + 1] if n + 1 < len(raw) and raw[n + 1].kind == "word" else None
            if prev is not None and _joined(prev, tok).syl.folded in vocab.syllables:
                toks[-1] = _joined(prev, tok)
                continue
            if nxt is not None and _joined(tok, nxt).syl.folded in vocab.syllables:
                toks.append(_joined(tok, nxt))
                skip_next = True
                continue
            split = _split_glued(tok, vocab)
            if split:
                toks.extend(split)
                continue
            tok = _repair(tok, vocab)
        elif tok.kind == "word":
            tok = _retone(tok, vocab)
        toks.append(tok)

    out: list[Tok] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        found: list[tuple[int, int, _Entry]] = []
        if tok.syl is not None and tok.kind != "date":
            for entry in vocab.entries_by_first.get(tok.syl.folded, ()):
                exact = _matches(entry, toks, i)
                if exact is not None:
                    found.append((len(entry.syllables), exact, entry))
        if not found:
            out.append(tok)
            i += 1
            continue
        length = max(f[0] for f in found)
        readings = sorted((f for f in found if f[0] == length), key=lambda f: -f[1])
        span = toks[i:i + length]
        merged = Tok("phrase" if length > 1 else tok.kind, text[span[0].start:span[-1].end],
                     span[0].start, span[-1].end, syl=tok.syl if length == 1 else None,
                     nums=tok.nums, digits=tok.digits,
                     corrected=any(t.corrected for t in span))
        for _, _, entry in readings:
            merged.cats.setdefault(entry.category, entry.value)
        out.append(merged)
        i += length
    return out
