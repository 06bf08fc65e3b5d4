"""A duration printed in its own column ("02 ngày", "10 ngày làm việc") in days.

Only a cell that is one number followed by a unit of `duration_units`
(`extractors/deadlines.yaml`) has a length in days; anything else ("Theo quyết định",
"1-2 ngày") keeps its printed text alone — never a guessed number.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from vnplans import knowledge
from vnplans.vietnamese import collapse

_NUMBER_THEN_UNIT = re.compile(r"^\(?(\d{1,3})\s+(.+?)\)?\.?$")


@cache
def _units() -> dict[str, int]:
    data = knowledge.load("deadlines").get("duration_units", {}) or {}
    return {_comparable(str(k)): int(v) for k, v in data.items()}


def _comparable(text: str) -> str:
    return collapse(unicodedata.normalize("NFC", text)).lower()


def duration_days(text: str | None) -> int | None:
    """"02 ngày" → 2; None when the cell does not say a number of days."""
    if not text:
        return None
    m = _NUMBER_THEN_UNIT.match(_comparable(text))
    if m is None:
        return None
    per_unit = _units().get(m.group(2))
    return int(m.group(1)) * per_unit if per_unit is not None else None
