"""Extraction speed of Word input beside the same plans as PDFs.

    .venv/bin/python benchmarks/bench_word.py [--copies 4] [--repeat 3]

The office fixture plans exist as .docx (`tests/fixtures/office/docx/`) and as the PDF
LibreOffice printed from each (`tests/fixtures/office/pdfs/`). Each set is copied
`--copies` times into a temporary folder and `vnplans extract` timed on all of it in a
fresh child process (start-up and imports included, default per-file limits, OCR off),
round-robin, best of `--repeat`. Pages are the PDFs' page counts for both (a Word file
has no pages of its own; it holds the same plan). Prints tool, files, pages, seconds,
pages/s, peak MB and the ratio to the PDF run (the baseline).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from bench_extract import (
    VNPLANS,
    check_vnplans,
    compile_package,
    page_count,
    round_robin,
    table,
)

REPO = Path(__file__).resolve().parents[1]
OFFICE = REPO / "tests" / "fixtures" / "office"


def corpus(folder: Path, copies: int) -> tuple[list[Path], list[Path], int]:
    """(.docx files, PDF files, pages of one set of PDFs × copies)."""
    words: list[Path] = []
    pdfs: list[Path] = []
    pages = 0
    for docx in sorted((OFFICE / "docx").glob("*.docx")):
        pdf = OFFICE / "pdfs" / f"{docx.stem}.pdf"
        for k in range(copies):
            words.append(Path(shutil.copy(docx, folder / f"{docx.stem}-{k}.docx")))
            pdfs.append(Path(shutil.copy(pdf, folder / f"{docx.stem}-{k}.pdf")))
            pages += page_count(pdf)
    return words, pdfs, pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="copies of each plan")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the best counts")
    args = parser.parse_args(argv)

    compile_package()
    with tempfile.TemporaryDirectory(prefix="vnplans-bench-word-") as tmp:
        words, pdfs, pages = corpus(Path(tmp), args.copies)
        check_vnplans(words)
        commands = {
            "vnplans extract .docx": [*VNPLANS, "extract", "--no-ocr", *map(str, words)],
            "vnplans extract .pdf": [*VNPLANS, "extract", "--no-ocr", *map(str, pdfs)],
        }
        rows = round_robin(commands, pages, args.repeat)
    print(f"{len(words)} plans as .docx and as PDF ({pages} PDF pages), best of "
          f"{args.repeat} runs, start-up included")
    print(table(rows, baseline="vnplans extract .pdf"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
