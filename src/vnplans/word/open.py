"""Open a Word file: a .docx as it is, an old binary .doc converted to .docx by
LibreOffice (`soffice --headless --convert-to docx`) in a temporary directory.

Every failure is a `BadInputError` naming the file with one line of reason: a missing
or unreadable file, a .docx that is no Word document, a .doc without LibreOffice
installed, a conversion that fails or takes too long.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from vnplans.errors import BadInputError, UnreadableDocumentError

# A .doc conversion that takes longer than this (s) is given up: LibreOffice converts a
# plan of a few dozen pages in a few seconds, also on a loaded machine. (Under the
# default per-file time limit of a Word file, 70 s, so this message comes first.)
DOC_CONVERSION_SECONDS = 60.0
DOC_NEEDS_LIBREOFFICE = ".doc needs LibreOffice (apt-get install libreoffice-writer-nogui)"


@dataclass(slots=True)
class WordFile:
    """An opened Word document: python-docx's `Document` and the sha256 of the file
    as given (the .doc's own bytes for a converted .doc)."""

    path: str
    sha256: str
    document: object  # docx.document.Document
    converted: bool = False  # read from a .doc through LibreOffice


def open_word(path: str | Path) -> WordFile:
    """Open `path` (.docx or .doc) or raise `BadInputError(reason, file=path)`."""
    path = Path(path)
    data = _read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    if path.suffix.lower() == ".doc" and not data.startswith(b"PK"):
        # (A .docx saved under a .doc name is read as the .docx it is.)
        with tempfile.TemporaryDirectory(prefix="vnplans-doc-") as tmp:
            converted = convert_doc(path, Path(tmp))
            return WordFile(str(path), sha, _load_docx(converted, str(path)), converted=True)
    return WordFile(str(path), sha, _load_docx(path, str(path)))


def _read_bytes(path: Path) -> bytes:
    name = str(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise BadInputError("no such file", file=name) from None
    except PermissionError:
        raise BadInputError("permission denied", file=name) from None
    except OSError as exc:
        raise BadInputError(f"cannot read the file ({exc.strerror or exc})", file=name) from None
    if stat.S_ISDIR(st.st_mode):
        raise BadInputError("is a directory, not a Word file", file=name)
    if not stat.S_ISREG(st.st_mode):
        raise BadInputError("not a regular file", file=name)
    try:
        data = path.read_bytes()
    except PermissionError:
        raise BadInputError("permission denied", file=name) from None
    except OSError as exc:
        raise BadInputError(f"cannot read the file ({exc.strerror or exc})", file=name) from None
    if not data:
        raise UnreadableDocumentError("empty file (0 bytes)", file=name)
    return data


def _load_docx(path: Path, name: str) -> object:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableDocumentError(f"not a readable .docx Word document ({_short(exc)})",
                            file=name) from None
    except Exception as exc:  # noqa: BLE001 - lxml and zip errors of a damaged file
        raise UnreadableDocumentError(f"damaged .docx Word document ({_short(exc)})", file=name) from None


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:160]


def soffice_command() -> str | None:
    """LibreOffice's command line program, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_doc(path: Path, outdir: Path, *, target: str = "docx",
                timeout: float = DOC_CONVERSION_SECONDS) -> Path:
    """Convert the Word file at `path` with LibreOffice into `outdir` (as `target`:
    "docx", or "doc" to make a .doc from a .docx) and return the new file's path."""
    name = str(path)
    soffice = soffice_command()
    if soffice is None:
        raise BadInputError(DOC_NEEDS_LIBREOFFICE, file=name)
    # A profile of its own: LibreOffice refuses to start beside another instance using
    # the same profile (another conversion, or a desktop session of the same user).
    profile = outdir / ".profile"
    source = outdir / f"input{path.suffix.lower()}"
    shutil.copyfile(path, source)  # (a name LibreOffice cannot misread: no spaces, no '-')
    filt = {"docx": "docx", "doc": "doc:MS Word 97"}[target]
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", filt, "--outdir", str(outdir / "out"),
               str(source)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, "HOME": str(outdir)})
    except subprocess.TimeoutExpired:
        raise BadInputError(f"LibreOffice took longer than {timeout:.0f} s to convert the "
                            f".{path.suffix.lower().lstrip('.')} file", file=name) from None
    result = outdir / "out" / f"input.{target}"
    if done.returncode != 0 or not result.is_file():
        detail = " ".join((done.stderr or done.stdout or b"").decode("utf-8", "replace").split())
        raise BadInputError("LibreOffice could not convert the file"
                            + (f" ({detail[:160]})" if detail else ""), file=name)
    return result
