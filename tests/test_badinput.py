"""The bad-input corpus through the real command line, the way a nightly job meets it.

Every file either yields a plan (what could be read, with warnings saying what was
wrong) or fails with exactly one stderr line "vnplans: FILE: reason" and exit status 1,
never a traceback; `vnplans ingest` records each failure in the database and still
loads the readable files. The corpus is built by `tests/badinput/make_corpus.py`.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "badinput" / "corpus"
VIETNAMESE_NAME = "Kế hoạch số 12 (bản ký).pdf"

# File → the reason it must fail with (a regular expression over the reason text).
FAILS: dict[str, str] = {
    "empty.pdf": r"^empty file",
    "text-file.pdf": r"^a text file, not a PDF$",
    "html-error-page.pdf": r"^an HTML page .*not a PDF$",
    "word-document.pdf": r"^a Word document \(DOCX/ZIP\), not a PDF$",
    "old-word-document.pdf": r"^an old Office document .*not a PDF$",
    "image.pdf": r"^a PNG image, not a PDF$",
    "truncated-10.pdf": r"^truncated PDF",
    "truncated-50.pdf": r"^truncated PDF",
    "truncated-90.pdf": r"^truncated PDF",
    "garbage-after-header.pdf": r"^damaged beyond repair",
    "encrypted-user-password.pdf": r"^encrypted: needs a password",
    "zero-pages.pdf": r"^has no pages$",
    "not-a-plan-table.pdf": r"no plan appendix",
    "image-only.pdf": r"no plan appendix|no text",
    "dense-ruling-grid.pdf": r"no plan appendix",
    "drawing-storm.pdf": r"no plan appendix",
}

# File → (minimum rows, a regular expression one of the warnings must match or None).
READS: dict[str, tuple[int, str | None]] = {
    "ok-plan.pdf": (10, None),
    VIETNAMESE_NAME: (10, None),
    "broken-xref.pdf": (10, r"damaged .*repaired"),
    "encrypted-owner-password.pdf": (10, r"owner password"),
    "control-characters.pdf": (10, None),
    "long-cell-50000.pdf": (10, None),
    # The last page is missing: rows up to the cut are kept, and the cut is reported.
    "appendix-cut-mid-table.pdf": (7, r"end of the document|missing|incomplete|cut off"),
}

# The installed `vnplans` command, run with this interpreter.
VNPLANS = [sys.executable, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]

_LONE_SURROGATE_OR_CONTROL = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f]")


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VNPLANS, *args], capture_output=True,
                          text=True, encoding="utf-8", errors="strict", timeout=timeout,
                          cwd=cwd, env={**os.environ, **(env or {})})


def test_corpus_is_complete():
    names = {p.name for p in CORPUS.iterdir()}
    assert set(FAILS) | set(READS) == names, "every corpus file has an expected outcome"


@pytest.mark.parametrize("name", sorted(FAILS))
def test_bad_file_fails_with_one_clear_line(name: str):
    path = CORPUS / name
    result = run_cli("extract", str(path))
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    prefix = f"vnplans: {path}: "
    assert lines[0].startswith(prefix), lines[0]
    reason = lines[0][len(prefix):]
    assert re.search(FAILS[name], reason), reason
    assert "Traceback" not in result.stderr and "internal error" not in reason


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("name", sorted(READS))
def test_damaged_but_readable_file_keeps_what_it_can(name: str):
    min_rows, warning = READS[name]
    result = run_cli("extract", "--no-ocr", str(CORPUS / name))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["rows"]) >= min_rows
    assert doc["source"]["file"] == name
    if warning:
        assert any(re.search(warning, w) for w in doc["warnings"]), doc["warnings"]
    # Nothing unprintable reaches the JSON: lone surrogates, control characters, NUL.
    for text in _strings(doc):
        assert not _LONE_SURROGATE_OR_CONTROL.search(text), repr(text)
        assert text == unicodedata.normalize("NFC", text)


def test_cut_table_keeps_the_row_it_cuts():
    result = run_cli("extract", "--no-ocr", str(CORPUS / "appendix-cut-mid-table.pdf"))
    doc = json.loads(result.stdout)
    tasks = [row["task"] or "" for row in doc["rows"]]
    # The PAPI row runs off the last kept page: its beginning is there.
    assert any(t.startswith("Công khai, minh bạch kế hoạch sử dụng đất") for t in tasks), tasks
    assert not any("Khảo sát sự hài lòng" in t for t in tasks)  # on the missing page


def test_long_cell_is_kept_whole():
    result = run_cli("extract", "--no-ocr", str(CORPUS / "long-cell-50000.pdf"))
    doc = json.loads(result.stdout)
    longest = max(len(row["outcome"] or "") for row in doc["rows"])
    assert longest >= 45_000


def test_control_characters_do_not_break_the_plan():
    result = run_cli("extract", "--no-ocr", str(CORPUS / "control-characters.pdf"))
    doc = json.loads(result.stdout)
    leads = [row["lead"] or "" for row in doc["rows"]]
    assert sum(lead.startswith("Văn phòng Sở") for lead in leads) >= 5, leads


def test_batch_goes_on_past_every_bad_file(tmp_path: Path):
    """One run over the whole corpus: a JSON line per readable file, one stderr line per
    bad one, exit status 1."""
    files = sorted(str(p) for p in CORPUS.iterdir())
    result = run_cli("extract", "--no-ocr", *files)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("vnplans: ")]
    assert len(failed) == len(FAILS), result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(d["source"]["file"] for d in docs) == sorted(READS)


def test_ingest_records_every_failure_and_loads_the_rest(tmp_path: Path):
    db = tmp_path / "plans.db"
    result = run_cli("ingest", "--no-ocr", "--db", f"sqlite:///{db}", str(CORPUS))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    with sqlite3.connect(db) as conn:
        failures = dict(conn.execute(
            "SELECT path, reason FROM failed_files WHERE resolved_at IS NULL").fetchall())
        stored = {name for (name,) in conn.execute("SELECT file_name FROM documents")}
        rows = conn.execute("SELECT count(*) FROM plan_rows").fetchone()[0]
    assert {Path(p).name for p in failures} == set(FAILS)
    for path, reason in failures.items():
        assert re.search(FAILS[Path(path).name], reason), (path, reason)
    # Every readable file is a document; ok-plan.pdf and its byte-identical copy under a
    # Vietnamese name are one.
    assert stored <= set(READS)
    assert "appendix-cut-mid-table.pdf" in stored and "control-characters.pdf" in stored
    assert rows >= 7 * len(stored)

    # Every failure here is about the file's content: the next run passes over them
    # (exit 0) and skips what is stored; --retry-failed tries them again. Nothing is lost.
    again = run_cli("ingest", "--no-ocr", "--db", f"sqlite:///{db}", str(CORPUS))
    assert again.returncode == 0, again.stderr
    assert f"{len(FAILS)} not retried" in again.stdout
    retried = run_cli("ingest", "--no-ocr", "--retry-failed", "--db", f"sqlite:///{db}",
                      str(CORPUS))
    assert retried.returncode == 1
    with sqlite3.connect(db) as conn:
        assert {name for (name,) in conn.execute("SELECT file_name FROM documents")} == stored
        assert conn.execute("SELECT count(*) FROM plan_rows").fetchone()[0] == rows
        attempts = {a for (a,) in conn.execute("SELECT attempts FROM failed_files")}
        permanent = {p for (p,) in conn.execute("SELECT permanent FROM failed_files")}
    assert attempts == {2} and permanent == {1}


def test_file_names_that_are_not_utf8(tmp_path: Path):
    """Names from a zip made on Windows: bytes that are not UTF-8 (here CP1258-ish
    "Kế hoạch"). Each file is read or refused in one line, and ingest records it."""
    folder = tmp_path / "zip"
    folder.mkdir()
    good = os.fsdecode(bytes(folder) + b"/K\xe1 ho\xe1ch s\xf4 12.pdf")
    bad = os.fsdecode(bytes(folder) + b"/r\xf4ng.pdf")
    Path(good).write_bytes((CORPUS / "ok-plan.pdf").read_bytes())
    Path(bad).write_bytes(b"")
    result = subprocess.run([*VNPLANS, "extract", "--no-ocr", good, bad], capture_output=True,
                            timeout=300)
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 1 and "Traceback" not in stderr, stderr
    assert len(stderr.splitlines()) == 1 and "empty file" in stderr
    doc = json.loads(result.stdout)
    assert len(doc["rows"]) >= 10 and doc["source"]["file"].endswith("12.pdf")

    db = tmp_path / "plans.db"
    result = run_cli("ingest", "--no-ocr", "--db", f"sqlite:///{db}", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM failed_files").fetchone() == (1,)


@pytest.mark.parametrize("name", sorted(FAILS))
def test_byte_checks_fail_as_open_pdf_does(name: str):
    """`check_pdf_file` (what the caller of the per-file worker runs) fails with
    open_pdf's very reason, or lets the file through to open_pdf."""
    from vnplans.errors import BadInputError
    from vnplans.pdf.open import check_pdf_file, open_pdf

    path = CORPUS / name
    try:
        check_pdf_file(path)
    except BadInputError as exc:
        with pytest.raises(BadInputError) as full:
            open_pdf(path).close()
        assert (exc.reason, exc.file) == (full.value.reason, full.value.file)


def test_page_count_of_good_and_bad_files():
    from vnplans.pdf.open import open_pdf, page_count

    with open_pdf(CORPUS / "ok-plan.pdf") as doc:
        assert page_count(CORPUS / "ok-plan.pdf") == doc.page_count > 0
    assert page_count(CORPUS / "no-such-file.pdf") == 0  # open_pdf, later, says why
