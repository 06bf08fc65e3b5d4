"""Open a PDF safely: every way a file can fail to be a readable PDF becomes one
`BadInputError` with a one-line reason the user can act on.

    from vnplans.pdf.open import open_pdf
    warnings: list[str] = []
    doc = open_pdf(path, warnings=warnings)   # pymupdf.Document, ready to read
    check_pdf_file(path)    # only the checks of the file's bytes (no MuPDF), fast
    page_count(path)        # the page count, opened without the checks (0 if unopenable)

`vnplans.pdf.reader.read_pdf` (engineer A) should open files only through this function,
so that nightly runs meeting an empty file, a Word file renamed .pdf, an HTML error page
saved as .pdf, a half-downloaded file, a password-protected PDF or a PDF without pages
say so in one line instead of failing deep inside a later stage. Damage MuPDF can repair
(a broken cross-reference table) is not an error: the document opens and a warning is
appended to `warnings` so it ends up in the plan's `warnings`.

What is checked, in order:
  missing / not a regular file / unreadable → "no such file", "is a directory", …
  0 bytes                                   → "empty file (0 bytes)"
  no `%PDF-` header in the first 1 KiB      → what the file looks like instead
                                              ("a Word document (DOCX/ZIP), not a PDF")
  no `%%EOF` in the last 1 KiB              → truncated (an interrupted download),
                                              unless `salvage=True`, then a warning
  MuPDF cannot open it                      → "damaged beyond repair"
  user password                             → "encrypted: needs a password to open"
  a page count MuPDF cannot read            → "damaged beyond repair: the page tree is
                                              broken" (a /Count of 2147483647)
  0 pages / a page that cannot be loaded    → "has no pages" / "page N is damaged"

MuPDF's own error and warning messages are silenced (they would print to stderr and
break the one-line-per-file promise); the ones raised while opening are folded into the
warning text instead.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pymupdf

from vnplans.errors import BadInputError, UnreadableDocumentError

# MuPDF prints "MuPDF error: …" lines to stderr by default; we report in one line.
pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)

_HEAD_BYTES = 1024  # the PDF spec lets %PDF- start anywhere in the first 1 KiB …
_TAIL_BYTES = 2048  # … and readers accept %%EOF near the end; allow trailing junk

# Magic numbers of what users actually save as ".pdf" by mistake.
_MAGIC: list[tuple[bytes, str]] = [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (Word/Excel 97-2003, OLE2)"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"%!PS", "a PostScript file"),
    (b"AT&TFORM", "a DjVu document"),
]


def describe_non_pdf(head: bytes, path: str | Path | None = None,
                     data: bytes | None = None) -> str:
    """A short guess at what a file that is not a PDF is, from its first bytes."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _describe_zip(path, head, data)
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    text = _as_text(head)
    if text is None:
        return "an unknown binary file"
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith(("<!doctype html", "<html", "<head", "<body")) or "<html" in lowered:
        return "an HTML page (a web or error page saved as .pdf?)"
    if lowered.startswith("<?xml") or lowered.startswith("<"):
        return "an XML file"
    if lowered.startswith(("{", "[")):
        return "a JSON or text file"
    if not lowered.strip():
        return "a file of blank text"
    return "a text file"


def _describe_zip(path: str | Path | None, head: bytes, data: bytes | None) -> str:
    import io
    import zipfile

    names: list[str] = []
    source = io.BytesIO(data) if data is not None else path
    if source is not None:
        try:
            with zipfile.ZipFile(source) as zf:
                names = zf.namelist()[:200]
        except (OSError, zipfile.BadZipFile, ValueError):
            names = []
    probe = " ".join(names) if names else head.decode("latin-1")
    if "word/" in probe:
        return "a Word document (DOCX/ZIP)"
    if "xl/" in probe:
        return "an Excel workbook (XLSX/ZIP)"
    if "ppt/" in probe:
        return "a PowerPoint presentation (PPTX/ZIP)"
    if "content.xml" in probe or "mimetype" in probe:
        return "an OpenDocument file (ODF/ZIP)"
    return "a ZIP archive"


def _as_text(head: bytes) -> str | None:
    """The bytes as text when they look like text (UTF-8/16 or mostly printable ASCII)."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head.decode(codec, errors="replace")
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a multi-byte character cut by our read
            return head[: exc.start].decode("utf-8")
    printable = sum(32 <= b < 127 or b in b"\t\r\n" for b in head)
    return head.decode("latin-1") if printable >= 0.95 * len(head) else None


def _read_edges(path: Path) -> tuple[int, bytes, bytes]:
    """File size, its first and its last bytes; OS errors become one-line reasons."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise BadInputError("no such file", file=str(path)) from None
    except PermissionError:
        raise BadInputError("permission denied", file=str(path)) from None
    except OSError as exc:
        raise BadInputError(f"cannot read the file ({exc.strerror or exc})", file=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        raise BadInputError("is a directory, not a PDF file", file=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise BadInputError("not a regular file", file=str(path))
    try:
        with path.open("rb") as fh:
            head = fh.read(_HEAD_BYTES)
            size = os.fstat(fh.fileno()).st_size
            if size > _HEAD_BYTES:
                fh.seek(max(size - _TAIL_BYTES, 0))
                tail = fh.read()
            else:
                tail = head
    except PermissionError:
        raise BadInputError("permission denied", file=str(path)) from None
    except OSError as exc:
        raise BadInputError(f"cannot read the file ({exc.strerror or exc})", file=str(path)) from None
    return size, head, tail


def _mupdf_messages() -> str:
    """MuPDF's collected warnings since the last call, as one short line."""
    text = pymupdf.TOOLS.mupdf_warnings(reset=True) or ""
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    # "trying to repair …" / "repairing PDF document" narrate, they do not explain.
    lines = [line for line in lines if "repair" not in line] or lines[:1]
    seen: list[str] = []
    for line in lines:
        if line not in seen:
            seen.append(line)
    short = "; ".join(seen[:2])
    return short[:200]


def _mupdf_can_name(name: str) -> bool:
    """MuPDF takes file names as UTF-8: a name with bytes that are not UTF-8 (a zip
    made on Windows, a CP1258 file name) is opened from its content instead."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_pdf_file(path: str | Path) -> None:
    """The checks of `open_pdf` that need no PDF library, in a fraction of a millisecond:
    raise its `BadInputError` for a missing, unreadable, empty, non-PDF or truncated
    file. A file that passes may still fail `open_pdf` (damaged, encrypted, no pages)."""
    _check_bytes(Path(path), None, salvage=False)


def page_count(path: str | Path) -> int:
    """The number of pages of the PDF at `path`, opened as `open_pdf` opens it but
    without its checks (about half its cost); 0 when MuPDF cannot open it."""
    try:
        doc = _mupdf_open(Path(path), None)
    except Exception:  # noqa: BLE001 - open_pdf says why, where the file is read
        return 0
    with doc:
        try:
            return doc.page_count
        except Exception:  # noqa: BLE001 - a broken page tree: open_pdf says so
            return 0


def _mupdf_open(path: Path, data: bytes | None) -> pymupdf.Document:
    """MuPDF's open of the file (or of `data`, its content): by name where MuPDF can
    take the name, else from memory."""
    if data is None and _mupdf_can_name(str(path)):
        return pymupdf.open(str(path), filetype="pdf")
    return pymupdf.open(stream=data if data is not None else path.read_bytes(),
                        filetype="pdf")


def _check_bytes(path: Path, data: bytes | None, *, salvage: bool) -> list[str]:
    """`open_pdf`'s checks of the file's size and first and last bytes (of `data`
    when given); returns the warning notes (a salvaged truncated file)."""
    name = str(path)
    if data is None:
        size, head, tail = _read_edges(path)
    else:
        size, head, tail = len(data), data[:_HEAD_BYTES], data[-_TAIL_BYTES:]
    if size == 0:
        raise UnreadableDocumentError("empty file (0 bytes)", file=name)
    start = head.find(b"%PDF-")
    if start < 0:
        raise UnreadableDocumentError(f"{describe_non_pdf(head, path, data)}, not a PDF", file=name)

    notes: list[str] = []
    if b"%%EOF" not in tail:
        if not salvage:
            raise UnreadableDocumentError(
                f"truncated PDF: the file ends after {size} bytes without the end-of-file "
                "marker (an interrupted download or copy?)", file=name)
        notes.append("the file is truncated (no %%EOF marker); only what MuPDF could "
                     "recover was read")
    return notes


def open_pdf(path: str | Path, *, data: bytes | None = None,
             warnings: list[str] | None = None, salvage: bool = False) -> pymupdf.Document:
    """Open `path` as a PDF or raise `BadInputError(reason, file=path)`.

    `data`, when given, is the file's content already read by the caller (the reader
    hashes it anyway): the PDF is opened from memory and `path` only names it.
    `warnings`, when given, receives one line per repair MuPDF had to make.
    `salvage=True` opens truncated files too (whatever MuPDF can recover), with a
    warning; by default a truncated file is an error, because storing half a plan as
    if it were whole is worse than asking for the file again.
    """
    path = Path(path)
    name = str(path)
    notes = _check_bytes(path, data, salvage=salvage)
    pymupdf.TOOLS.mupdf_warnings(reset=True)
    try:
        doc = _mupdf_open(path, data)
    except Exception as exc:  # noqa: BLE001 - MuPDF raises several types for bad files
        detail = _mupdf_messages() or str(exc)
        raise UnreadableDocumentError(f"damaged beyond repair ({detail})", file=name) from None

    try:
        if doc.needs_pass:
            raise UnreadableDocumentError("encrypted: needs a password to open", file=name)
        if doc.is_encrypted or (doc.metadata or {}).get("encryption"):
            # Owner password only: the content is readable, permissions are advisory.
            notes.append("encrypted with an owner password only; read without it")
        repaired = bool(getattr(doc, "is_repaired", False))
        try:
            pages = doc.page_count
        except Exception as exc:  # noqa: BLE001 - "/Count 2147483647": code=7 from MuPDF
            detail = _mupdf_messages() or str(exc)
            raise UnreadableDocumentError(f"damaged beyond repair: the page tree is broken ({detail})",
                                file=name) from None
        if pages == 0:
            detail = _mupdf_messages()
            reason = "has no pages" if not repaired else f"damaged beyond repair: no page could be recovered ({detail})"
            raise UnreadableDocumentError(reason, file=name)
        for index in range(pages):
            try:
                doc.load_page(index)
            except Exception as exc:  # noqa: BLE001
                detail = _mupdf_messages() or str(exc)
                raise UnreadableDocumentError(f"damaged beyond repair: page {index + 1} cannot be "
                                    f"loaded ({detail})", file=name) from None
        _mupdf_messages()  # drop what opening collected: the note below says it
        if repaired:
            notes.append("the PDF was damaged (broken cross-reference table) and has "
                         "been repaired; check the result against the printed plan")
    except BaseException:
        doc.close()
        raise
    if warnings is not None:
        warnings.extend(notes)
    return doc
