"""OCR of a page image with Tesseract (Vietnamese model), into the page IR.

Used only for pages that have no text layer or whose layer could not be repaired.
The page is rendered, cleaned (`scan.clean_page`: red seal removed, deskewed,
ruling lines found and erased) and read by the `tesseract` CLI; each word comes
back with its box in PDF points (origin "ocr", confidence 0–1) and the ruling lines
found in the image become the page's rules when the page has no vector rules.

Resolution: 300 dpi reads small table text best; measured on the generated appendix
pages (benchmarks/bench_textlayer.py) 200 dpi loses little and is faster, see
DEFAULT_DPI. Tesseract runs single-threaded (OMP_THREAD_LIMIT=1): its OpenMP
threads fight over the cores and made a page 3–4 times slower here.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import unicodedata

import cv2

from vnplans.ir import Page, Word
from vnplans.textlayer.scan import clean_page, render

DEFAULT_DPI = 300
LANG = "vie"
# Tesseract page segmentation: 3 = automatic (columns, blocks), fits letters and
# table pages once their rules are erased.
PSM = 3
TIMEOUT_S = 120
# Words Tesseract is less sure of than this are dropped (noise specks read as ".").
MIN_CONFIDENCE = 0.2


class OcrUnavailable(RuntimeError):
    pass


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def run_tesseract(gray, *, lang: str = LANG, psm: int = PSM) -> list[dict]:
    """Tesseract's word rows (TSV level 5) for a grey image."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr-vie)")
    ok, png = cv2.imencode(".png", gray)
    if not ok:
        raise OcrUnavailable("cannot encode the page image")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    proc = subprocess.run(
        [exe, "stdin", "stdout", "-l", lang, "--psm", str(psm), "tsv"],
        input=png.tobytes(), capture_output=True, env=env, timeout=TIMEOUT_S, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrUnavailable(f"tesseract failed: {msg[-1] if msg else proc.returncode}")
    rows = csv.DictReader(io.StringIO(proc.stdout.decode("utf-8", "replace")),
                          delimiter="\t", quoting=csv.QUOTE_NONE)
    return [r for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()]


def words_from_tsv(rows: list[dict], scale: float) -> list[Word]:
    words = []
    for r in rows:
        conf = max(0.0, float(r["conf"])) / 100
        if conf < MIN_CONFIDENCE:
            continue
        text = unicodedata.normalize("NFC", r["text"].strip())
        left, top = int(r["left"]), int(r["top"])
        width, height = int(r["width"]), int(r["height"])
        words.append(Word(
            text=text, x0=left * scale, y0=top * scale,
            x1=(left + width) * scale, y1=(top + height) * scale,
            font="OCR", size=round(height * scale, 1), origin="ocr", confidence=conf))
    return words


def ocr_page(page: Page, pdf_page, *, dpi: int = DEFAULT_DPI) -> None:
    """Replace the page's words by OCR words (and give it the image's ruling lines
    when it has no vector rules). Warns instead of raising when OCR is impossible."""
    try:
        scale = 72.0 / dpi
        clean = clean_page(render(pdf_page, dpi), scale)
        rows = run_tesseract(clean.gray)
    except (OcrUnavailable, subprocess.TimeoutExpired) as exc:
        page.warnings.append(f"OCR impossible: {exc}")
        return
    page.words = words_from_tsv(rows, scale)
    if not page.rules:
        page.rules = clean.rules
    if abs(clean.angle) >= 0.05:
        page.warnings.append(f"scanned page straightened by {clean.angle:.1f}°")
    if page.words:
        low = sum(w.confidence < 0.6 for w in page.words)
        if low > 0.2 * len(page.words):
            page.warnings.append(f"OCR unsure of {low} of {len(page.words)} words")
