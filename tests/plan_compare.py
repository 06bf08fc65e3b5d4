"""Shared by the tests that compare a whole extraction with a fixture's expected JSON."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from vnplans.pipeline import extract
from vnplans.vietnamese import collapse

CELL_FIELDS = ("tt", "task", "lead", "support", "outcome", "deadline")
# Contract version 2 fields, compared where the expected JSON states them.
V2_FIELDS = ("inspected", "duration", "extra")


def norm(value):
    return collapse(value) if isinstance(value, str) else value


def sections(row: dict) -> list[tuple[str | None, str]]:
    return [(s["tt"], collapse(s["title"])) for s in row.get("section") or []]


@cache
def expected_and_extracted(folder: Path, name: str) -> tuple[dict, dict]:
    """(expected JSON, extraction as JSON) of `folder/pdfs/NAME.pdf`."""
    expected = json.loads((folder / "expected" / f"{name}.json").read_text(encoding="utf-8"))
    got = extract(folder / "pdfs" / f"{name}.pdf").model_dump(mode="json")
    return expected, got


def assert_rows_match(name: str, expected: dict, got: dict) -> None:
    """Every row found, in order, with every cell and the section path right."""
    assert len(got["rows"]) == len(expected["rows"])
    for i, (g, e) in enumerate(zip(got["rows"], expected["rows"], strict=True)):
        for field in CELL_FIELDS:
            assert norm(g[field]) == norm(e[field]), (name, i, e["tt"], field)
        for field in V2_FIELDS:
            if field in e:
                assert g[field] == e[field], (name, i, e["tt"], field)
        assert sections(g) == sections(e), (name, i, e["tt"])
    # What the truth says of each table (number, title, kind, columns …), as said.
    for k, table in enumerate(expected.get("tables", [])):
        for key, value in table.items():
            assert got["tables"][k][key] == value, (name, k, key)
