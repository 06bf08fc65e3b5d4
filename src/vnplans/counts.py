"""Counts in messages: "1 warning", "2 warnings", "0 documents"."""

from __future__ import annotations


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """`number` and `noun`, the noun in the plural unless the number is 1 (English:
    "0 rows", "1 row"); `plural` for nouns that do not just take an "s"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"
