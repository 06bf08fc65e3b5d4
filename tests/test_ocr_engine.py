"""Tesseract in-process (`textlayer.ocr_engine`) reads a page image exactly as the
`tesseract` CLI does: the same words, boxes and confidences, in every
page-segmentation mode the OCR uses."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pymupdf
import pytest

from vnplans.textlayer import ocr_engine
from vnplans.textlayer.scan import clean_page, render

SCAN = Path(__file__).parent / "fixtures" / "scanned" / "bd2023_scan.pdf"


def _cli_rows(gray: np.ndarray, psm: int) -> list[dict]:
    ok, png = cv2.imencode(".png", gray)
    assert ok
    proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "vie", "--psm", str(psm), "tsv"],
                          input=png.tobytes(), capture_output=True, check=True,
                          env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    rows = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    return [dict(r) for r in rows if r["level"] == "5" and (r["text"] or "").strip()]


def _fields(rows: list[dict]) -> list[tuple]:
    return [tuple(r[k] for k in ("block_num", "par_num", "line_num", "word_num", "left", "top",
                                 "width", "height", "conf", "text")) for r in rows]


@pytest.mark.ocr
@pytest.mark.parametrize("psm", [3, 6, 7])
def test_in_process_reading_is_the_cli_reading(psm):
    with pymupdf.open(SCAN) as doc:
        gray = clean_page(render(doc[3], 200), 72 / 200).gray
    # A band of the table page: rows of cells, numbers and Vietnamese text.
    band = gray[gray.shape[0] // 3:gray.shape[0] // 3 + (60 if psm == 7 else 500)]
    rows = ocr_engine.read(band, "vie", psm)
    assert len(rows) >= (3 if psm == 7 else 40)
    assert _fields(rows) == _fields(_cli_rows(band, psm))


@pytest.mark.ocr
def test_engine_is_named_in_the_cache_key():
    engine = ocr_engine.engine_id("vie")
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True,
                             check=True).stdout.split()[1]
    assert engine.startswith(f"tesseract {version}|vie:")
