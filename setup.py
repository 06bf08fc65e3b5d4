"""Build script for the one C extension; everything else is in pyproject.toml.

`vnplans.pdf._wordbuilder` is the PDF reader's word builder in C. It is optional:
when it does not compile (no compiler, no Python headers) the install goes on
without it and `vnplans.pdf.reader` uses its pure-Python builder, which gives the
same words, only slower.
"""

import os

from setuptools import Extension, setup

# No fused multiply-add: the builder's float comparisons must round exactly like
# the Python reference (and MuPDF's single-precision box turning).
STRICT_FLOATS = [] if os.name == "nt" else ["-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "vnplans.pdf._wordbuilder",
            sources=["src/vnplans/pdf/_wordbuilder.c"],
            extra_compile_args=STRICT_FLOATS,
            optional=True,
        ),
    ],
)
