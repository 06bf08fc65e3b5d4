"""The names of the indices (PCI, PAPI, SIPAS, PAR INDEX) as printed, on the ground
floor: the header block reads a plan's index list with it and the normalize stage a
row's index. Names come from extractors/indices.yaml; matching ignores case, tone marks
and punctuation, and an acronym may be printed with stray spaces ("PAR IN DEX").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

from vnplans import knowledge
from vnplans.models import IndexName
from vnplans.vietnamese import fold

ALL_INDICES: tuple[IndexName, ...] = get_args(IndexName)

# A name neither preceded nor followed by a letter or digit of the folded text.
_WORD_BOUNDED = r"(?<![a-z0-9])(?:{})(?![a-z0-9])"


@dataclass(frozen=True)
class _Names:
    names: tuple[tuple[IndexName, re.Pattern[str]], ...]
    # All names as one alternation: it finds something exactly when one of the name
    # patterns does, so most texts (naming no index) cost one search instead of one
    # per name. The word-boundary checks stand outside the alternation, not in each
    # branch: the lookbehind is then tested once at each position of the text, not
    # once per name there (~10x faster).
    any_name: re.Pattern[str] | None


@cache
def index_specs() -> dict[IndexName, dict[str, Any]]:
    """indices.yaml's `indices`, checked: each known index with its spec."""
    data = (knowledge.load("indices") or {}).get("indices") or {}
    for index in data:
        if index not in ALL_INDICES:
            raise ValueError(f"indices.yaml: unknown index {index!r} "
                             f"(expected one of {', '.join(ALL_INDICES)})")
    return {index: spec or {} for index, spec in data.items()}


def _name_pattern(name: str) -> str:
    """Regex for a folded index name; an acronym may be printed with stray spaces
    ("PAR IN DEX")."""
    compact = name.replace(" ", "")
    if compact.isupper() and compact.isalpha():
        return r"\s?".join(re.escape(ch) for ch in compact.lower())
    return re.escape(fold(name))


@cache
def _names() -> _Names:
    names = [(index, _name_pattern(str(name)))
             for index, spec in index_specs().items() for name in spec.get("names") or []]
    any_name = re.compile(_WORD_BOUNDED.format("|".join(p for _, p in names))) if names else None
    compiled = tuple((index, re.compile(_WORD_BOUNDED.format(p))) for index, p in names)
    return _Names(compiled, any_name)


def named_spans(folded: str) -> list[tuple[int, int, IndexName]]:
    """(start, end, index) of every index name in a folded text, in order."""
    info = _names()
    if info.any_name is None or info.any_name.search(folded) is None:
        return []
    spans = []
    for index, pattern in info.names:
        spans.extend((m.start(), m.end(), index) for m in pattern.finditer(folded))
    return sorted(spans)


def indices_named_in(text: str | None) -> list[IndexName]:
    """The indices a text names, in order of first mention, without repeats:
    "… Chỉ số năng lực cạnh tranh cấp tỉnh (PCI), … (PAR INDEX)" → ["PCI", "PAR INDEX"]."""
    if not text:
        return []
    out: list[IndexName] = []
    for _, _, index in named_spans(fold(text)):
        if index not in out:
            out.append(index)
    return out
