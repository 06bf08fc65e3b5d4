"""Shared by the scan tests: the benchmark's scans of fixture plans
(`tests/fixtures/make_scanned.py`, as `benchmarks/bench_scan_matrix.py` makes them) and
OCR words of a line of text."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pymupdf

from vnplans.ir import Word

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))

from make_scanned import scan_pdf, variant_for  # noqa: E402


def matrix_scan(folder: Path, plan: str, dpi: int, seed: int) -> Path:
    """The benchmark's scan of `plan` (bench_scan_matrix.py: seed, dpi), made in `folder`."""
    pdf = FIXTURES / "pdfs" / f"{plan}.pdf"
    if not pdf.is_file():
        pdf = FIXTURES / "office" / "pdfs" / f"{plan}.pdf"
    expected = json.loads((pdf.parent.parent / "expected" / f"{plan}.json")
                          .read_text(encoding="utf-8"))
    with pymupdf.open(pdf) as doc:
        pages = len(doc)
    signer = ((expected.get("document") or {}).get("signer") or {}).get("name")
    return scan_pdf(pdf, folder / f"{plan}_{dpi}_s{seed}.pdf",
                    variant_for(seed, dpi, pages, plan), signer)


def ocr_line(text: str, y: float = 100, x: float = 50) -> list[Word]:
    """Sure OCR words of one line of text, 6 pt per letter, 4 pt apart."""
    words = []
    for token in text.split():
        width = 6 * len(token)
        words.append(Word(token, x, y, x + width, y + 12, origin="ocr", confidence=0.95))
        x += width + 4
    return words
