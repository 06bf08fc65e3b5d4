"""Is this text Vietnamese? A syllable grammar (onset + rhyme + one tone) from
`extractors/vietnamese.yaml`, used to score spans and pages of a text layer."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from vnplans.knowledge import load
from vnplans.vietnamese import TONE_NAMES as TONES
from vnplans.vietnamese import tone_and_letters

_WORD = re.compile(r"[^\W\d_]+")


@cache
def _grammar() -> tuple[frozenset[str], int, frozenset[str], tuple[str, ...]]:
    """(onsets, the empty one included; longest onset's length; rhymes; stop codas)."""
    data = load("vietnamese")
    onsets = frozenset(data["onsets"]) | {""}
    return onsets, max(map(len, onsets)), frozenset(data["rhymes"]), tuple(data["stop_codas"])


def split_tone(syllable: str) -> tuple[str, str | None] | None:
    """(letters without tone, lower case; tone name); None when there is more than one
    tone mark."""
    letters, tones = tone_and_letters(syllable)
    if len(tones) > 1:
        return None
    return letters, (TONES[tones] if tones else None)


@cache
def is_syllable(word: str) -> bool:
    """True for a well-formed Vietnamese syllable, any case ("Quyết", "ĐỊNH", "hoà")."""
    split = split_tone(word.lower())
    if split is None:
        return False
    base, tone = split
    onsets, longest, rhymes, stop_codas = _grammar()
    # Longest onset first ("ngh" before "ng" before "n"): at most one onset of each
    # length starts the syllable.
    for size in range(min(longest, len(base)), -1, -1):
        onset = base[:size]
        if onset not in onsets:
            continue
        rhyme = base[size:]
        if onset == "gi" and rhyme == "":
            rhyme = "i"  # "gì", "gi"
        if rhyme not in rhymes:
            continue
        if tone not in (None, "sắc", "nặng") and rhyme.endswith(stop_codas):
            continue
        return True
    return False


def is_abbreviation(word: str) -> bool:
    """ASCII capitals such as UBND, VLNCN, TNHH: not syllables, not garbage either."""
    return word.isascii() and word.isupper()


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text))


# Per token: -1 abbreviation (not judged), 1 syllable, 0 neither. Pages repeat the same
# few hundred syllables, so each distinct token is judged once.
_VERDICTS: dict[str, int] = {}
# Per whitespace-separated piece of text ("Quyết", "(UBND)", "2023/QĐ-UBND"): its
# judged tokens and valid syllables packed into one int, judged * _PACK + valid, so
# that a page's total is one sum over its pieces. Tokens never straddle whitespace
# and whitespace neither composes nor reorders under NFC, so the pieces add up to
# exactly the text's count.
_PIECES: dict[str, int] = {}
_PACK = 1 << 32
# Both tables are bounded: garbage text must not grow them forever.
_MAX_ENTRIES = 200_000


def _verdict(token: str) -> int:
    verdict = _VERDICTS.get(token)
    if verdict is None:
        verdict = -1 if is_abbreviation(token) else int(is_syllable(token))
        if len(_VERDICTS) < _MAX_ENTRIES:
            _VERDICTS[token] = verdict
    return verdict


def _piece_score(piece: str) -> int:
    """judged * _PACK + valid for one piece of text without whitespace."""
    score = 0
    for token in word_tokens(piece):
        verdict = _verdict(token)
        if verdict >= 0:
            score += _PACK + verdict
    return score


# One entry: the repair stage judges the same page text more than once (before and
# after it decides nothing needs fixing).
@lru_cache(maxsize=1)
def validity(text: str) -> tuple[int, int]:
    """(valid syllables, judged tokens) of a text; abbreviations are not judged."""
    pieces = text.split()
    scores = _PIECES
    try:
        total = sum(map(scores.__getitem__, pieces))
    except KeyError:  # pieces not met before
        unseen = set(pieces).difference(scores)
        if len(scores) + len(unseen) <= _MAX_ENTRIES:
            scores.update({piece: _piece_score(piece) for piece in unseen})
        else:  # the table is full: this text's pieces scored on their own
            scores = {piece: _piece_score(piece) for piece in set(pieces)}
        total = sum(map(scores.__getitem__, pieces))
    judged, valid = divmod(total, _PACK)
    return valid, judged


def validity_score(text: str) -> float:
    """Share of word tokens that are Vietnamese syllables (1.0 when nothing to judge)."""
    valid, judged = validity(text)
    return valid / judged if judged else 1.0
