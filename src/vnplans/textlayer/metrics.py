"""Syllable-F1: how close an extracted text is to a reference transcript.

Both texts become a bag (multiset) of lower-cased NFC syllables — runs of letters
and digits — so reading order and line breaks do not count, but every missing,
extra or misspelled syllable does."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"[^\W_]+")


def syllable_bag(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFC", text).lower()))


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    missing: Counter[str]  # in the reference, not extracted
    extra: Counter[str]  # extracted, not in the reference


def syllable_f1(extracted: str, reference: str) -> Score:
    got, want = syllable_bag(extracted), syllable_bag(reference)
    common = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    precision = common / n_got if n_got else (1.0 if not n_want else 0.0)
    recall = common / n_want if n_want else (1.0 if not n_got else 0.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, want - got, got - want)
