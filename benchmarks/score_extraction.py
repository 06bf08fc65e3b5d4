"""Accuracy of `vnplans.pipeline.extract` against PDF + expected-JSON pairs.

    .venv/bin/python benchmarks/score_extraction.py                 # every fixture set
    .venv/bin/python benchmarks/score_extraction.py tests/fixtures/office/expected --diff
    .venv/bin/python benchmarks/score_extraction.py --json scores.json
    .venv/bin/python benchmarks/score_extraction.py tests/fixtures/office/expected --word

Arguments are folders of expected JSON (`NAME.json`, the format of
`tests/fixtures/expected/*.json`) whose PDFs are `../pdfs/NAME.pdf` beside them (or in
the same folder), or single expected JSON files. Default: tests/fixtures/expected,
tests/fixtures/staging/expected and tests/fixtures/office/expected; the office plans
in styles not read yet are scored with `tests/fixtures/office/variants/expected`.
`--word` scores the Word files instead (`../docx/NAME.docx`: the office plans).

Measured per file and overall, the way the held-out scoring counts:
- rows expected / found / matched, missing and spurious rows. Rows are aligned in
  reading order by a sequence alignment (a missing or extra row is a gap, it does not
  shift every later row), pairing rows by the similarity of their cells;
- cell accuracy: cells tt, task, lead, support, outcome, deadline exactly equal after
  NFC + whitespace collapse; a missing or spurious row counts all its cells wrong;
  where the truth states them (contract version 2), also inspected, duration and extra
  (the whole {header: text} mapping), and each table (its stated number, title, kind,
  columns) as a header field;
- section accuracy: expected rows whose section path (tt, title) is exactly right;
- header-block accuracy: the `document` fields (signer split into name, position,
  acting; indices compared as a set).

Targets (held-out set): every row found, no spurious rows, cells >= 97 %, sections
>= 95 %, header fields >= 90 %. `--diff` prints every wrong cell and field.
Exit status 0 whatever the scores (this is a measurement, not a test).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [ROOT / "tests/fixtures/expected", ROOT / "tests/fixtures/staging/expected",
                ROOT / "tests/fixtures/office/expected"]
CELLS = ("tt", "task", "lead", "support", "outcome", "deadline")
# Contract version 2 cells, scored where the expected row has them (inspection plans and
# plans with extra columns): `extra` is compared as a whole {header: text} mapping.
V2_CELLS = ("inspected", "duration", "extra")
DOC_FIELDS = ("authority", "issuer", "province", "number", "symbol", "doc_type", "issued_on",
              "year", "title", "indices", "signer.name", "signer.position", "signer.acting")
TARGETS = {"cells": 0.97, "sections": 0.95, "header": 0.90}
# Rows are paired only when they look like the same row; below this they are a gap.
MIN_PAIR_SIMILARITY = 0.35


def norm(value: Any) -> Any:
    if isinstance(value, str):
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()
        return text or None
    if isinstance(value, dict):
        return {norm(k): norm(v) for k, v in value.items()}
    return value


def cells_of(row: dict[str, Any]) -> tuple[str, ...]:
    """The cells scored for an expected row: the version-1 ones, and the version-2
    ones its truth states."""
    return CELLS + tuple(c for c in V2_CELLS if c in row)


# What the truth may state of a table; each is compared only where the truth states it
# (a plan with several tables states number and title, one with extra columns kind and
# columns).
TABLE_KEYS = ("number", "title", "kind", "columns")


def table_truth(table: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The stated keys of one table, text normalised."""
    def value(key: str) -> Any:
        if key == "columns":
            return [(norm(c.get("header")), c.get("role")) for c in table.get("columns", [])]
        return norm(table.get(key)) if isinstance(table.get(key), str) else table.get(key)
    return tuple(value(key) for key in keys)


def section_path(row: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [(norm(s.get("tt")), norm(s.get("title"))) for s in row.get("section") or []]


def doc_value(document: dict[str, Any], name: str) -> Any:
    if name.startswith("signer."):
        return norm((document.get("signer") or {}).get(name.split(".", 1)[1]))
    value = document.get(name)
    if name == "indices":
        return sorted(value or [])
    return norm(value)


def similarity(expected: dict[str, Any], got: dict[str, Any]) -> float:
    """How much two rows look like the same row: equal cells, plus how alike the tasks are."""
    equal = sum(norm(expected.get(c)) == norm(got.get(c)) for c in CELLS) / len(CELLS)
    task = SequenceMatcher(None, norm(expected.get("task")) or "",
                           norm(got.get("task")) or "", autojunk=False).ratio()
    return 0.5 * equal + 0.5 * task


def align(expected: list[dict], got: list[dict]) -> list[tuple[int | None, int | None]]:
    """Global alignment keeping reading order, maximising the summed similarity of pairs
    (gaps cost nothing; a pair must reach MIN_PAIR_SIMILARITY)."""
    n, m = len(expected), len(got)
    sim = [[similarity(e, g) for g in got] for e in expected]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if sim[i][j] >= MIN_PAIR_SIMILARITY:
                options.append(sim[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if sim[i][j] >= MIN_PAIR_SIMILARITY and \
                abs(best[i][j] - (sim[i][j] + best[i + 1][j + 1])) < 1e-9:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif abs(best[i][j] - best[i + 1][j]) < 1e-9:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    pairs += [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]
    return pairs


@dataclass
class FileScore:
    name: str
    rows_expected: int = 0
    rows_found: int = 0
    rows_matched: int = 0
    rows_exact: int = 0
    missing: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)
    cells_right: int = 0
    cells_total: int = 0
    sections_right: int = 0
    header_right: int = 0
    header_total: int = 0
    wrong_cells: list[str] = field(default_factory=list)
    wrong_sections: list[str] = field(default_factory=list)
    wrong_header: list[str] = field(default_factory=list)
    # Rows read by OCR (they carry a confidence), split by whether `vnplans show` lists
    # them to be checked (confidence below CHECK_BELOW) and whether any cell is wrong
    # (a spurious row is wrong): how well the confidence points at the errors.
    flagged_wrong: int = 0
    unflagged_wrong: int = 0
    flagged_right: int = 0
    unflagged_right: int = 0
    error: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _short(value: Any, width: int = 0) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if not width or len(text) <= width else text[:width - 1] + "…"


def row_label(row: dict[str, Any]) -> str:
    pages = row.get("pages")
    where = f" p.{','.join(map(str, pages))}" if pages else ""
    return f"tt={row.get('tt')!s}{where} «{(norm(row.get('task')) or '')[:40]}»"


def _count_flag(score: FileScore, row: dict[str, Any], wrong: bool) -> None:
    from vnplans.cli.show import CHECK_BELOW

    confidence = row.get("confidence")
    if confidence is None:
        return
    flagged = confidence < CHECK_BELOW
    name = ("flagged_" if flagged else "unflagged_") + ("wrong" if wrong else "right")
    setattr(score, name, getattr(score, name) + 1)


def score_file(expected_path: Path, pdf: Path) -> FileScore:
    from vnplans.errors import VnplansError
    from vnplans.pipeline import extract

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    score = FileScore(expected_path.stem)
    exp_rows = expected.get("rows", [])
    score.rows_expected = len(exp_rows)
    started = time.perf_counter()
    try:
        result = extract(pdf).model_dump(mode="json")
    except VnplansError as exc:
        score.error = str(exc)
        result = {"document": {}, "rows": []}
    score.seconds = time.perf_counter() - started
    got_rows = result["rows"]
    score.rows_found = len(got_rows)

    for i, j in align(exp_rows, got_rows):
        if i is None:
            score.spurious.append(got_rows[j])
            score.cells_total += len(CELLS)
            score.wrong_cells.append(f"spurious row {row_label(got_rows[j])}")
            _count_flag(score, got_rows[j], True)
            continue
        e = exp_rows[i]
        if j is None:
            score.missing.append(e)
            score.cells_total += len(cells_of(e))
            score.wrong_cells.append(f"missing row #{i + 1} {row_label(e)}")
            score.wrong_sections.append(f"missing row #{i + 1} tt={e.get('tt')}")
            continue
        g = got_rows[j]
        score.rows_matched += 1
        right = 0
        for c in cells_of(e):
            score.cells_total += 1
            if norm(e.get(c)) == norm(g.get(c)):
                right += 1
            else:
                score.wrong_cells.append(
                    f"row #{i + 1} {row_label(g)} {c}:\n      expected {_short(norm(e.get(c)))}"
                    f"\n      got      {_short(norm(g.get(c)))}")
        score.cells_right += right
        score.rows_exact += right == len(cells_of(e))
        _count_flag(score, g, right < len(cells_of(e)))
        if section_path(e) == section_path(g):
            score.sections_right += 1
        else:
            score.wrong_sections.append(
                f"row #{i + 1} tt={e.get('tt')}: expected {section_path(e)} got {section_path(g)}")

    exp_doc, got_doc = expected.get("document") or {}, result.get("document") or {}
    if "tables" in expected:
        # Each table (what the truth states of it: number, title, kind, columns) counts
        # as a header field.
        have_tables = result.get("tables") or []
        for k, table in enumerate(expected["tables"]):
            keys = tuple(key for key in TABLE_KEYS if key in table)
            want = table_truth(table, keys)
            have = table_truth(have_tables[k], keys) if k < len(have_tables) else None
            score.header_total += 1
            if want == have:
                score.header_right += 1
            else:
                score.wrong_header.append(f"tables[{k}]: expected {_short(want)}\n"
                                          f"      got      {_short(have)}")
    for name in DOC_FIELDS:
        score.header_total += 1
        want, have = doc_value(exp_doc, name), doc_value(got_doc, name)
        if want == have:
            score.header_right += 1
        else:
            score.wrong_header.append(f"{name}: expected {_short(want)} got {_short(have)}")
    return score


def pairs_in(arg: Path, word: bool = False) -> list[tuple[Path, Path]]:
    """(expected JSON, its PDF) pairs; with `word`, (expected JSON, its Word file in
    ../docx/NAME.docx) instead."""
    files = [arg] if arg.is_file() else sorted(arg.glob("*.json"))
    out = []
    for exp in files:
        candidates = (exp.parent.parent / "docx" / f"{exp.stem}.docx", exp.with_suffix(".docx")) \
            if word else (exp.parent.parent / "pdfs" / f"{exp.stem}.pdf", exp.with_suffix(".pdf"))
        for pdf in candidates:
            if pdf.is_file():
                out.append((exp, pdf))
                break
        else:
            print(f"skipped {exp}: no {'Word file' if word else 'PDF'} beside it",
                  file=sys.stderr)
    return out


def pct(right: int, total: int) -> str:
    return f"{100 * right / total:6.1f}%" if total else "     -"


def print_table(scores: list[FileScore]) -> dict[str, float]:
    head = (f"{'file':34} {'exp':>4} {'found':>5} {'match':>5} {'exact':>5} {'miss':>4} "
            f"{'spur':>4} {'cells':>7} {'sect':>7} {'header':>7} {'s':>5}")
    print(head)
    print("-" * len(head))
    tot = FileScore("OVERALL")
    for s in scores:
        print(f"{s.name[:34]:34} {s.rows_expected:4} {s.rows_found:5} {s.rows_matched:5} "
              f"{s.rows_exact:5} {len(s.missing):4} {len(s.spurious):4} "
              f"{pct(s.cells_right, s.cells_total)} {pct(s.sections_right, s.rows_expected)} "
              f"{pct(s.header_right, s.header_total)} {s.seconds:5.1f}"
              + (f"  ERROR {s.error}" if s.error else ""))
        for attr in ("rows_expected", "rows_found", "rows_matched", "rows_exact", "cells_right",
                     "cells_total", "sections_right", "header_right", "header_total"):
            setattr(tot, attr, getattr(tot, attr) + getattr(s, attr))
        tot.missing += s.missing
        tot.spurious += s.spurious
        tot.seconds += s.seconds
    print("-" * len(head))
    print(f"{'OVERALL':34} {tot.rows_expected:4} {tot.rows_found:5} {tot.rows_matched:5} "
          f"{tot.rows_exact:5} {len(tot.missing):4} {len(tot.spurious):4} "
          f"{pct(tot.cells_right, tot.cells_total)} {pct(tot.sections_right, tot.rows_expected)} "
          f"{pct(tot.header_right, tot.header_total)} {tot.seconds:5.1f}")
    overall = {
        "cells": tot.cells_right / tot.cells_total if tot.cells_total else 1.0,
        "sections": tot.sections_right / tot.rows_expected if tot.rows_expected else 1.0,
        "header": tot.header_right / tot.header_total if tot.header_total else 1.0,
    }
    verdicts = [f"missing rows {len(tot.missing)} (target 0)",
                f"spurious rows {len(tot.spurious)} (target 0)"]
    verdicts += [f"{k} {100 * v:.1f}% (target {100 * TARGETS[k]:.0f}%)"
                 + ("" if v >= TARGETS[k] else "  BELOW") for k, v in overall.items()]
    print("targets: " + "; ".join(verdicts))
    return overall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", type=Path,
                        help="folders of expected JSON (PDFs in ../pdfs) or JSON files")
    parser.add_argument("--diff", action="store_true", help="print every wrong cell and field")
    parser.add_argument("--json", type=Path, help="also write the scores to this file")
    parser.add_argument("--word", action="store_true",
                        help="score the Word files (../docx/NAME.docx) instead of the PDFs")
    args = parser.parse_args(argv)
    pairs = [p for arg in (args.paths or DEFAULT_SETS) if arg.exists()
             for p in pairs_in(arg, args.word)]
    if not pairs:
        print("no PDF + expected JSON pairs found", file=sys.stderr)
        return 2
    scores = [score_file(exp, pdf) for exp, pdf in pairs]
    overall = print_table(scores)
    if args.diff:
        for s in scores:
            wrong = s.wrong_header + s.wrong_sections + s.wrong_cells
            if not wrong:
                continue
            print(f"\n== {s.name}")
            for line in s.wrong_header:
                print(f"  header {line}")
            for line in s.wrong_sections:
                print(f"  section {line}")
            for line in s.wrong_cells:
                print(f"  {line}")
    if args.json:
        args.json.write_text(json.dumps({"overall": overall, "files": [
            {k: v for k, v in s.as_dict().items() if k not in ("missing", "spurious")}
            | {"missing": [r.get("tt") for r in s.missing],
               "spurious": [r.get("tt") for r in s.spurious]} for s in scores]},
            ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
