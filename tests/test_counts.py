"""Counts in messages read as English: "1 warning", "2 warnings", "0 rows"."""

from __future__ import annotations

from vnplans.counts import counted


def test_one_is_singular_every_other_number_plural() -> None:
    assert [counted(n, "warning") for n in (0, 1, 2)] == ["0 warnings", "1 warning", "2 warnings"]
    assert counted(1, "period end") == "1 period end"
    assert counted(3, "stalled job") == "3 stalled jobs"
    assert counted(2, "index", "indices") == "2 indices"
