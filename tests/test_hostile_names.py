"""Hostile file names: bytes that are not UTF-8, newlines and escape sequences, names
that differ only in Unicode normalisation, and special files in a plans folder.

Each name must keep its own document in the store (SQLite and PostgreSQL, and a
second run must not flip them), and no name may split or forge an error line.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

from hostile_inputs import bytes_path, stored_paths
from sqlalchemy import text
from store_fixtures import REPO, db_url, fixture_pdfs, run_cli, sqlite_url  # noqa: F401

from vnplans.fsnames import from_stored, printable, stored
from vnplans.store.db import create_readonly_engine

NOT_A_PDF = b"<html><body>404 Not Found</body></html>\n"


def stored_documents(url: str) -> dict[str, int]:
    """path (as stored, decoded back to the OS name) → row count."""
    return {path: doc.rows for path, doc in stored_paths(url).items()}


def test_stored_form_is_exact_and_reversible():
    names = ["/plans/kế hoạch.pdf", os.fsdecode(b"/plans/a\xff.pdf"),
             os.fsdecode(b"/plans/a\xfe.pdf"), "fsbytes:/x.pdf", "/p/100%.pdf",
             unicodedata.normalize("NFD", "/p/kế.pdf"), "/p/line\nbreak.pdf"]
    forms = [stored(n) for n in names]
    assert len(set(forms)) == len(names)
    for name, form in zip(names, forms, strict=True):
        form.encode("utf-8")  # storable as text anywhere
        assert from_stored(form) == name
    assert forms[0] == names[0]  # a valid UTF-8 name is stored as it is
    assert forms[1] == "fsbytes:/plans/a%FF.pdf"


def test_printable_form_is_one_line():
    name = os.fsdecode(b"/p/a\xff\n\x1b[2Jvnplans: forged") + "\u2028.pdf"
    assert printable(name) == "/p/a\\xff\\n\\x1b[2Jvnplans: forged\\u2028.pdf"
    assert printable("/p/kế hoạch.pdf") == "/p/kế hoạch.pdf"


def test_two_non_utf8_names_keep_two_plans(db_url, tmp_path):  # noqa: F811
    """`a\\xff.pdf` and `a\\xfe.pdf` (two plans) used to share one stored path and
    replace each other on every run."""
    folder = tmp_path / "plans"
    folder.mkdir()
    first, second = fixture_pdfs()[:2]
    ff, fe = bytes_path(folder, b"a\xff.pdf"), bytes_path(folder, b"a\xfe.pdf")
    shutil.copy(first, ff)
    shutil.copy(second, fe)
    result = run_cli("ingest", "--no-ocr", "--db", db_url, str(folder))
    assert result.returncode == 0, result.stderr
    after_first = stored_documents(db_url)
    assert set(after_first) == {str(ff), str(fe)}
    assert after_first[str(ff)] != after_first[str(fe)]  # two plans, each its own rows
    again = run_cli("ingest", "--no-ocr", "--db", db_url, str(folder))
    assert again.returncode == 0, again.stderr
    assert "0 documents loaded" in again.stdout and "2 skipped" in again.stdout, again.stdout
    assert stored_documents(db_url) == after_first


def test_nfc_and_nfd_names_are_two_files(db_url, tmp_path):  # noqa: F811
    folder = tmp_path / "plans"
    folder.mkdir()
    nfc = folder / unicodedata.normalize("NFC", "kế hoạch.pdf")
    nfd = folder / unicodedata.normalize("NFD", "kế hoạch.pdf")
    assert nfc != nfd
    first, second = fixture_pdfs()[:2]
    shutil.copy(first, nfc)
    shutil.copy(second, nfd)
    for _ in range(2):
        result = run_cli("ingest", "--no-ocr", "--db", db_url, str(folder))
        assert result.returncode == 0, result.stderr
        assert set(stored_documents(db_url)) == {str(nfc), str(nfd)}


def test_a_newline_in_a_name_cannot_forge_an_error_line(sqlite_url, tmp_path):  # noqa: F811
    folder = tmp_path / "plans"
    folder.mkdir()
    forged = folder / "x.pdf\nvnplans: passwd.pdf: stored\x1b[2J.pdf"
    forged.write_bytes(NOT_A_PDF)
    extract = run_cli("extract", "--no-ocr", str(forged))
    assert extract.returncode == 1
    lines = extract.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "\\nvnplans: passwd.pdf: stored\\x1b[2J.pdf: an HTML page" in lines[0]
    assert "\x1b" not in extract.stderr

    ingest = run_cli("ingest", "--no-ocr", "--db", sqlite_url, str(folder))
    assert ingest.returncode == 1
    assert not [line for line in ingest.stderr.splitlines() if line.startswith("vnplans: passwd")]
    assert "\x1b" not in ingest.stderr
    # Not a PDF: a permanent failure, tried again only when asked.
    logged = run_cli("ingest", "--no-ocr", "--retry-failed", "--log-format", "json", "--db",
                     sqlite_url, str(folder))
    records = [json.loads(line) for line in logged.stderr.splitlines()]
    failed = [r for r in records if r["event"] == "file_failed"]
    assert [r["file"] for r in failed] == [printable(forged)]
    # The stored path is the exact name (the store holds text, not lines).
    engine = create_readonly_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT path FROM failed_files")).scalars().all() == [str(forged)]
    engine.dispose()


def test_special_files_in_a_folder_are_named_and_passed_over(sqlite_url, tmp_path):  # noqa: F811
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(fixture_pdfs()[0], folder / "good.pdf")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "gone.pdf").symlink_to(folder / "missing.pdf")
    (folder / "loop.pdf").symlink_to(folder / "loop.pdf")
    os.mknod(folder / "null.pdf", 0o600 | 0o020000, os.makedev(1, 3))  # like /dev/null
    result = run_cli("ingest", "--no-ocr", "--db", sqlite_url, str(folder), timeout=300)
    assert result.returncode == 0, result.stderr  # notices, not failures
    assert "1 document loaded" in result.stdout
    notices = sorted(result.stderr.splitlines())
    assert notices == [
        f"vnplans ingest: {folder}/gone.pdf: skipped (a dangling symlink (its target does not exist))",
        f"vnplans ingest: {folder}/loop.pdf: skipped (a symlink loop)",
        f"vnplans ingest: {folder}/null.pdf: skipped (a character device)",
        f"vnplans ingest: {folder}/pipe.pdf: skipped (a FIFO)",
    ], notices
    logged = run_cli("ingest", "--no-ocr", "--log-format", "json", "--db", sqlite_url,
                     str(folder))
    passed = [json.loads(line) for line in logged.stderr.splitlines()]
    assert sorted(r["reason"] for r in passed if r["event"] == "file_passed_over") == [
        "a FIFO", "a character device", "a dangling symlink (its target does not exist)",
        "a symlink loop"]


def _walk_as_nobody(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """find_pdfs in a forked child that dropped root (root reads any folder)."""
    from vnplans.store.ingest import find_pdfs

    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            skipped: list = []
            found = find_pdfs([folder], on_skip=lambda p, r: skipped.append((str(p), r)))
            os.write(writer, json.dumps([[str(p) for p in found], skipped]).encode())
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    found, skipped = json.loads(data)
    return [Path(p) for p in found], [(Path(p), r) for p, r in skipped]


def test_an_unreadable_folder_is_named():
    top = Path(tempfile.mkdtemp(prefix="vnplans-walk-"))
    try:
        top.chmod(0o755)
        (top / "a.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
        (top / "a.pdf").chmod(0o644)
        locked = top / "locked"
        locked.mkdir()
        locked.chmod(0)
        found, skipped = _walk_as_nobody(top)
        assert found == [top / "a.pdf"]
        assert skipped == [(locked, "cannot list the folder: Permission denied")]
    finally:
        (top / "locked").chmod(0o700)
        shutil.rmtree(top)
