"""Tesseract run in-process through its C API (`ctypes`), one engine per process.

Through the `tesseract` CLI each image costs a process, a load of the `vie` model and
a PNG decode; a scanned page is several Tesseract runs (the page, the stack of table
cells, the second-pass and re-read mosaics, the narrow-cell line), and the small
ones cost more in start-up than in reading. So the library the CLI runs on (the
system's libtesseract) is called in-process: the model is loaded once per process (in
the worker that reads the file, and in each `--jobs` worker) and the image is handed
over as raw grey bytes with no resolution, as the CLI saw a PNG without one
(Tesseract estimates the resolution from the text size either way), so the word rows
are the same, field for field (checked on the 21 runs of two scanned plans, and by
tests/test_ocr_engine.py). Those 21 runs: 4.5 CPU s in-process, 6.8 s through the CLI.

Not `tesserocr`: its wheel bundles another Tesseract (5.5), which reads these scans
differently from the system's 5.3 the OCR corrections were tuned on (on five plans of
the scan matrix at 200 and 300 dpi: more cells right, fewer sections, and the office
scan fixture got a seal remnant read as "¿1").

The model is the system's `vie.traineddata` (`$TESSDATA_PREFIX`, else the Debian /
Ubuntu and Homebrew folders): `apt-get install tesseract-ocr-vie`.
"""

from __future__ import annotations

import atexit
import csv
import ctypes
import ctypes.util
import io
import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

TSV_FIELDS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
              "left", "top", "width", "height", "conf", "text")
TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata",
                 "/opt/homebrew/share/tessdata")


class OcrUnavailable(RuntimeError):
    pass


def tessdata_dir(lang: str) -> Path | None:
    """The folder holding every model of `lang` ("vie", "vie+eng")."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    folders = [Path(prefix)] if prefix else []
    folders += [Path(d) for d in TESSDATA_DIRS]
    for folder in folders:
        if all((folder / f"{part}.traineddata").is_file() for part in lang.split("+")):
            return folder
    return None


@lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    """The system's libtesseract (the library the `tesseract` CLI runs on), with the
    signatures of the C API functions used here."""
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    # Read by OpenMP when the library loads: one thread. Its threads fought over the
    # cores, and in-process they spin: a page cost twice the CPU.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise OcrUnavailable("tesseract is not installed (apt-get install tesseract-ocr-vie)"
                             ) from exc
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    lib.TessVersion.restype = text
    lib.TessBaseAPICreate.restype = handle
    lib.TessBaseAPIInit3.argtypes = [handle, text, text]
    lib.TessBaseAPIInit3.restype = ctypes.c_int
    lib.TessBaseAPISetVariable.argtypes = [handle, text, text]
    lib.TessBaseAPIEnd.argtypes = [handle]
    lib.TessBaseAPIDelete.argtypes = [handle]
    lib.TessBaseAPISetPageSegMode.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPISetImage.argtypes = [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                        ctypes.c_int, ctypes.c_int]
    # (A pointer, not c_char_p: it is handed back to TessDeleteText.)
    lib.TessBaseAPIGetTsvText.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPIGetTsvText.restype = ctypes.c_void_p
    lib.TessDeleteText.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIClear.argtypes = [handle]
    return lib


@lru_cache(maxsize=4)
def engine_id(lang: str) -> str:
    """Tesseract's version and the model files (size, mtime): a new engine or model
    reads differently (part of the OCR cache key)."""
    try:
        version = (_library().TessVersion() or b"").decode("ascii", "replace")
    except OcrUnavailable:
        version = "none"
    folder = tessdata_dir(lang)
    model = ""
    for part in lang.split("+"):
        if folder is not None:
            st = (folder / f"{part}.traineddata").stat()
            model += f"{part}:{st.st_size}:{int(st.st_mtime)};"
    return f"tesseract {version}|{model}"


# One engine per thread (an engine reads one image at a time) and process (a forked
# worker makes its own rather than use a copy of its parent's).
_local = threading.local()


def _api(lang: str) -> int:
    """This thread's engine for `lang` (a TessBaseAPI handle)."""
    if getattr(_local, "pid", None) != os.getpid():
        _local.apis, _local.pid = {}, os.getpid()
    apis = _local.apis
    api = apis.get(lang)
    if api is None:
        lib = _library()
        folder = tessdata_dir(lang)
        if folder is None:
            raise OcrUnavailable(f"the Tesseract model '{lang}' is not installed "
                                 "(apt-get install tesseract-ocr-vie)")
        api = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(api, str(folder).encode(), lang.encode()) != 0:
            lib.TessBaseAPIDelete(api)
            raise OcrUnavailable(f"tesseract cannot load the model '{lang}' from {folder}")
        # Its notes ("Estimating resolution as 270", "Empty page!!") are not ours to print.
        lib.TessBaseAPISetVariable(api, b"debug_file", os.devnull.encode())
        if not apis:
            atexit.register(_end, os.getpid())
        apis[lang] = api
    return api


def _end(pid: int) -> None:
    """Free this process's engines at exit (else Tesseract's model cache reports them
    as leaks on stderr)."""
    if getattr(_local, "pid", None) != pid or os.getpid() != pid:
        return
    lib = _library()
    for api in _local.apis.values():
        lib.TessBaseAPIEnd(api)
        lib.TessBaseAPIDelete(api)
    _local.apis = {}


def available() -> bool:
    try:
        _library()
    except OcrUnavailable:
        return False
    return tessdata_dir("vie") is not None


def read(gray: np.ndarray, lang: str, psm: int) -> list[dict]:
    """Tesseract's word rows (TSV level 5, as dicts of strings) for a grey image."""
    lib, api = _library(), _api(lang)
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    height, width = gray.shape
    lib.TessBaseAPISetPageSegMode(api, psm)
    lib.TessBaseAPISetImage(api, gray.ctypes.data, width, height, 1, width)
    pointer = lib.TessBaseAPIGetTsvText(api, 0)
    if not pointer:
        lib.TessBaseAPIClear(api)
        raise OcrUnavailable("tesseract could not read the image")
    text = ctypes.string_at(pointer).decode("utf-8", "replace")
    lib.TessDeleteText(pointer)
    lib.TessBaseAPIClear(api)
    rows = csv.DictReader(io.StringIO(text), fieldnames=TSV_FIELDS, delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    return [dict(r) for r in rows if r.get("level") == "5" and (r.get("text") or "").strip()]
