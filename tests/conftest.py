"""Test-session settings shared by every test module."""

from __future__ import annotations

import os
import tempfile

# OCR results are cached on disk (vnplans.textlayer.ocr_cache); the tests read every
# scan with Tesseract itself, into a cache of their own that goes with the session.
_OCR_CACHE = tempfile.TemporaryDirectory(prefix="vnplans-test-ocr-")
os.environ["VNPLANS_OCR_CACHE"] = _OCR_CACHE.name
