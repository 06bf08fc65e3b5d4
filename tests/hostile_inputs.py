"""Hand-built hostile inputs, shared by tests/test_hostile_*.py and
benchmarks/reliability.py (which puts tests/ on its import path): PDFs written object by
object (page trees that lie, bombs, broken boxes), pages too small to hold text, paths
made of raw bytes, and what the store holds under each exact name.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import NamedTuple


def pdf_of(objects: list[bytes], *, root: int = 1) -> bytes:
    """A PDF of these objects (numbered from 1; `root` is the catalog) with a correct
    cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", *, deflate: bool = False) -> bytes:
    """A stream object's body: `data` (deflated if asked) and `extra` dictionary entries."""
    body = zlib.compress(data, 9) if deflate else data
    flt = b" /Filter /FlateDecode" if deflate else b""
    return b"<< /Length %d%s %s >>\nstream\n%s\nendstream" % (len(body), flt, extra, body)


def one_page(content: bytes, *, box: bytes = b"[0 0 595 842]", resources: bytes = b"<< >>",
             extra_objects: list[bytes] | None = None, deflate: bool = False) -> bytes:
    """A one-page PDF drawing `content`; `extra_objects` are numbered from 5."""
    return pdf_of([b"<< /Type /Catalog /Pages 2 0 R >>",
                   b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents 4 0 R >>"
                   % (box, resources),
                   stream(content, deflate=deflate), *(extra_objects or [])])


def blank_pages(path: Path, pages: int, side: float = 3.0) -> Path:
    """`pages` blank pages of `side` × `side` pt saved at `path` (a page-count bomb when
    there are many)."""
    import pymupdf

    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=side, height=side)
    doc.save(path)
    return path


def bytes_path(folder: Path, name: bytes) -> Path:
    """`folder` / `name` where `name` is raw bytes (not necessarily UTF-8)."""
    return Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))


class Stored(NamedTuple):
    sha256: str
    rows: int


def stored_paths(url: str) -> dict[str, Stored]:
    """Every stored path (decoded back to the OS name) → its document's sha256 and row
    count."""
    from sqlalchemy import text

    from vnplans.fsnames import from_stored
    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(url)
    try:
        with engine.connect() as conn:
            return {from_stored(path): Stored(sha, rows) for path, sha, rows in conn.execute(text(
                "SELECT p.path, d.sha256, d.row_count FROM document_paths p "
                "JOIN documents d ON d.id = p.document_id"))}
    finally:
        engine.dispose()
