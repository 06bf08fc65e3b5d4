"""Tesseract results cached on disk, keyed by the image Tesseract is given.

A nightly run meets the same scans again: every Tesseract call (the page, the stack
of table cells, the second-pass mosaics) is looked up by a hash of its input image,
the language, the page-segmentation mode and the Tesseract version (with its
traineddata file: `ocr_engine.engine_id`), so re-reading an unchanged scan runs no
OCR at all. The images are made deterministically from the page, so they repeat
exactly; any change to the cleaning gives other images and simply misses the cache.

Where: `$VNPLANS_OCR_CACHE` if set (a directory; `off` disables the cache), else
`$XDG_CACHE_HOME/vnplans/ocr`, else `~/.cache/vnplans/ocr`. `vnplans extract
--no-ocr-cache` (and `ingest`) turn it off for one run. One small JSON file per call
(the word rows Tesseract returned), written atomically; the directory may be deleted
at any time.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np

ENV = "VNPLANS_OCR_CACHE"
# Bumped when the rows kept from Tesseract's TSV change shape.
FORMAT = "1"


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is off."""
    value = os.environ.get(ENV)
    if value is not None:
        return None if value.strip().lower() in {"", "off", "0", "no"} else Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "vnplans" / "ocr"


def disable() -> None:
    """No cache for the rest of this process (and the workers it starts)."""
    os.environ[ENV] = "off"


def key(gray: np.ndarray, engine: str, lang: str, psm: int) -> str:
    """The cache key of one Tesseract call: the image, the engine and model
    (`ocr_engine.engine_id`), the language and the page-segmentation mode."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{FORMAT}|{engine}|{lang}|{psm}|{gray.shape}|{gray.dtype}".encode())
    h.update(np.ascontiguousarray(gray).data)
    return h.hexdigest()


def load(k: str) -> list[dict] | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / k[:2] / f"{k}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(k: str, rows: list[dict]) -> None:
    folder = cache_dir()
    if folder is None:
        return
    target = folder / k[:2] / f"{k}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only or full disk costs the cache, never the extraction
