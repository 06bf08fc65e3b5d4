"""Build script for the C extensions; everything else is in pyproject.toml.

Both extensions are optional: when one does not compile (no compiler, no Python
headers, no MuPDF headers) the install goes on without it and `vnplans.pdf.reader`
uses what it replaces, which gives the same words, only slower.

- `vnplans.pdf._wordbuilder`: the PDF reader's word builder (the per-glyph loop).
- `vnplans.pdf._pagetrace`: a page's glyphs and paths from one MuPDF run, compiled
  against the MuPDF headers and library PyMuPDF ships (`pymupdf/mupdf-devel`, for
  this purpose); pymupdf is therefore also a build requirement (pyproject.toml).
"""

import importlib.util
import os
from pathlib import Path

from setuptools import Extension, setup

# No fused multiply-add: the builder's float comparisons must round exactly like
# the Python reference, and the page trace exactly like PyMuPDF's own devices.
STRICT_FLOATS = [] if os.name == "nt" else ["-ffp-contract=off"]
# The packed trace records both extensions share.
PACKED_TRACE = "src/vnplans/pdf/_trace.h"


def page_trace_extension() -> list[Extension]:
    """The `_pagetrace` extension, when this PyMuPDF ships MuPDF's headers and a
    versioned libmupdf to link to (its Linux and macOS wheels do)."""
    spec = importlib.util.find_spec("pymupdf")
    if spec is None or spec.origin is None or os.name == "nt":
        return []
    package = Path(spec.origin).parent
    include = package / "mupdf-devel" / "include"
    libraries = sorted(package.glob("libmupdf.so.*")) + sorted(package.glob("libmupdf.*.dylib"))
    if not include.is_dir() or not libraries:
        return []
    library = libraries[0]
    return [
        Extension(
            "vnplans.pdf._pagetrace",
            sources=["src/vnplans/pdf/_pagetrace.c"],
            depends=[PACKED_TRACE],
            include_dirs=[str(include)],
            extra_compile_args=STRICT_FLOATS,
            # Linked by file name: the wheel has no unversioned libmupdf.so. At run
            # time the library PyMuPDF loaded (same name) is the one used.
            extra_link_args=[f"-L{package}", f"-l:{library.name}", f"-Wl,-rpath,{package}"],
            optional=True,
        ),
    ]


setup(
    ext_modules=[
        Extension(
            "vnplans.pdf._wordbuilder",
            sources=["src/vnplans/pdf/_wordbuilder.c"],
            depends=[PACKED_TRACE],
            extra_compile_args=STRICT_FLOATS,
            optional=True,
        ),
        *page_trace_extension(),
    ],
)
