"""Crash safety of `vnplans ingest`: killed at random moments, the database going away
mid-run, a full disk, the same plan under two names.

After any of these the database holds only whole documents (each with exactly the rows
a clean run gives it) and the next run completes the work. The runs are the real
command in a child process; the PostgreSQL outage is a TCP proxy in this process that
the test cuts (the server itself keeps running for the other tests).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from store_fixtures import (
    REPO,
    fixture_pdfs,
    make_db,
    query,
    run_cli,
    variant_pdf,
    vnplans_cmd,
)
from tcp_proxy import TcpProxy

pytestmark = pytest.mark.timeout(600)

BAD_FILES = ["truncated-50.pdf", "word-document.pdf"]  # failures mixed into every run
CORPUS = REPO / "tests" / "badinput" / "corpus"


def make_folder(folder: Path, copies: int = 2) -> list[Path]:
    """`copies` distinct files (different bytes, same pages) per fixture plan, and two
    bad files."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for pdf in fixture_pdfs():
        for i in range(copies):
            made.append(variant_pdf(pdf, folder / f"{pdf.stem}-v{i}.pdf", f"copy {i}"))
    for name in BAD_FILES:
        shutil.copy(CORPUS / name, folder / name)
    return made


def stored_rows(url: str) -> dict[str, int]:
    """sha256 → rows actually stored, for every document."""
    try:
        found = query(url, "SELECT d.sha256, (SELECT count(*) FROM plan_rows r "
                           "WHERE r.document_id = d.id) FROM documents d")
    except Exception:  # noqa: BLE001 - killed before the schema existed
        return {}
    return dict(found)


def assert_whole(url: str, expected: dict[str, int]) -> None:
    """Every stored document is whole: its rows match its own contract and a clean
    run of the same file; SQLite's file passes its integrity checks."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if not Path(path).exists():
            return
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    try:
        docs = query(url, "SELECT id, sha256, row_count, contract_json FROM documents")
    except Exception:  # noqa: BLE001 - no schema yet: nothing stored, nothing broken
        return
    rows = stored_rows(url)
    for _id, sha, row_count, contract in docs:
        assert rows[sha] == row_count == len(json.loads(contract)["rows"]), sha
        assert rows[sha] == expected[sha], f"document {sha[:12]} is not whole"
    assert query(url, "SELECT count(*) FROM plan_rows r LEFT JOIN schedules s "
                      "ON s.row_id = r.id WHERE s.row_id IS NULL") == [(0,)]
    assert query(url, "SELECT count(*) FROM plan_rows r LEFT JOIN documents d "
                      "ON d.id = r.document_id WHERE d.id IS NULL") == [(0,)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def processes_mentioning(marker: str) -> list[int]:
    """PIDs whose command line contains `marker` (orphaned workers of a killed run)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline:
            found.append(int(entry.name))
    return found


_SOURCE: list[Path] = []  # the folder the reference run read; tests copy it


def copy_folder(target: Path) -> list[Path]:
    """A byte-identical copy of the reference folder; its plan PDFs."""
    shutil.copytree(_SOURCE[0], target)
    return sorted(p for p in target.iterdir() if p.name not in BAD_FILES)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    """A clean run over the folder: rows per document, and how long a run takes."""
    tmp = tmp_path_factory.mktemp("reference")
    files = make_folder(tmp / "pdfs")
    _SOURCE[:] = [tmp / "pdfs"]
    url = f"sqlite:///{tmp / 'ref.db'}"
    started = time.monotonic()
    result = run_cli("ingest", "--no-ocr", "--db", url, str(tmp / "pdfs"))
    seconds = time.monotonic() - started
    assert result.returncode == 1, result.stderr  # the two bad files
    expected = stored_rows(url)
    assert set(expected) == {sha256(f) for f in files}
    return expected, seconds


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_killed_at_random_moments_leaves_whole_documents(backend, reference, tmp_path):
    expected, full_seconds = reference
    folder = tmp_path / f"pdfs-{backend}"
    files = copy_folder(folder)
    gen = make_db(backend, tmp_path)
    url = next(gen)
    try:
        rng = random.Random(f"kill/{backend}")
        # From inside start-up (migrations of the fresh database) to the last files.
        fractions = [0.02, 0.1, 0.3, 0.55, 0.8]
        killed = 0
        for fraction in fractions:
            # Each run skips what the killed ones stored: aim inside what is left.
            left = 1 - len(stored_rows(url)) / len(files)
            delay = full_seconds * max(left, 0.2) * fraction * rng.uniform(0.8, 1.2)
            proc = subprocess.Popen(vnplans_cmd("ingest", "--no-ocr", "--db", url, str(folder)),
                                    cwd=REPO, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed += 1
            proc.wait()
            time.sleep(0.3)
            assert processes_mentioning(str(folder)) == [], "a killed run left workers behind"
            assert_whole(url, expected)
        assert killed >= 3, "the runs finished before they could be killed"

        # --retry-failed: the bad files may have failed (permanently) in a killed run.
        final = run_cli("ingest", "--no-ocr", "--retry-failed", "--db", url, str(folder))
        assert final.returncode == 1, final.stderr  # only the two bad files fail
        assert "Traceback" not in final.stderr
        assert stored_rows(url) == {sha256(f): expected[sha256(f)] for f in files}
        assert_whole(url, expected)
        statuses = [s for (s,) in query(url, "SELECT status FROM ingestion_runs ORDER BY id")]
        assert "running" not in statuses and statuses[-1] == "partial"
        failed = {Path(p).name for (p,) in query(
            url, "SELECT path FROM failed_files WHERE resolved_at IS NULL")}
        assert failed == set(BAD_FILES)
    finally:
        gen.close()


@pytest.mark.postgres
def test_database_going_away_mid_run_fails_cleanly(reference, tmp_path):
    expected, _ = reference
    folder = tmp_path / "pdfs"
    files = copy_folder(folder)
    gen = make_db("postgresql", tmp_path)
    url = next(gen)
    assert "@127.0.0.1:5432/" in url
    proxy = TcpProxy()
    try:
        proc = subprocess.Popen(
            vnplans_cmd("ingest", "--no-ocr", "--db", proxy.url(url), str(folder)),
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 300
        while len(stored_rows(url)) < 2 and proc.poll() is None:
            assert time.monotonic() < deadline, "no document was stored"
            time.sleep(0.05)
        proxy.down()
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, (out, err)
        assert "Traceback" not in err, err
        assert err.strip(), "the run must say what happened"
        assert len(err.strip().splitlines()) <= 3 + len(files) + len(BAD_FILES), err
        stored = stored_rows(url)
        assert 2 <= len(stored) < len(files), "the cut came too late to test anything"
        assert_whole(url, expected)

        # The server is back (a new proxy): the next run completes the work.
        proxy = TcpProxy()
        again = run_cli("ingest", "--no-ocr", "--retry-failed", "--db",
                        proxy.url(url), str(folder))
        assert again.returncode == 1, again.stderr  # the two bad files (failed before or not)
        assert "Traceback" not in again.stderr
        assert stored_rows(url) == {sha256(f): expected[sha256(f)] for f in files}
        assert_whole(url, expected)
        statuses = [s for (s,) in query(url, "SELECT status FROM ingestion_runs ORDER BY id")]
        assert "running" not in statuses[-1:]
    finally:
        proxy.down()
        gen.close()


def _limit_file_size(max_bytes: int):
    def apply() -> None:
        # Writes past this size fail with EFBIG, as a full disk fails them with ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return apply


def test_full_disk_fails_the_run_cleanly_and_keeps_the_database_whole(reference, tmp_path):
    expected, _ = reference
    folder = tmp_path / "pdfs"
    files = copy_folder(folder)
    db = tmp_path / "db" / "plans.db"
    url = f"sqlite:///{db}"
    first = run_cli("ingest", "--no-ocr", "--db", url, str(files[0]), str(files[1]))
    assert first.returncode == 0, first.stderr
    size = max(p.stat().st_size for p in db.parent.glob("plans.db*"))
    before = stored_rows(url)

    # The disk fills up: a little room for the journal, not for the whole folder.
    result = subprocess.run(
        vnplans_cmd("ingest", "--no-ocr", "--db", url, str(folder)), cwd=REPO,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600,
        preexec_fn=_limit_file_size(size + 150_000))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip()
    assert_whole(url, expected)
    after = stored_rows(url)
    assert set(before) <= set(after) and len(after) < len(files)

    again = run_cli("ingest", "--no-ocr", "--retry-failed", "--db", url, str(folder))
    assert again.returncode == 1, again.stderr  # the two bad files (failed before or not)
    assert stored_rows(url) == {sha256(f): expected[sha256(f)] for f in files}
    assert_whole(url, expected)


def test_same_plan_under_two_names_is_one_document(tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    source = fixture_pdfs()[0]
    names = ["ke-hoach.pdf", "Kế hoạch số 12 (bản sao).pdf", "sub/KE_HOACH_COPY.PDF"]
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, folder / name)
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    result = run_cli("ingest", "--no-ocr", "--db", url, str(folder))
    assert result.returncode == 0, result.stderr
    assert query(url, "SELECT count(*) FROM documents") == [(1,)]
    paths = {Path(p).name for (p,) in query(url, "SELECT path FROM document_paths")}
    assert paths == {Path(n).name for n in names}
    # And again, in another run and under a fourth name: still one document.
    shutil.copy(source, folder / "fourth name.pdf")
    result = run_cli("ingest", "--no-ocr", "--db", url, str(folder))
    assert result.returncode == 0, result.stderr
    assert query(url, "SELECT count(*) FROM documents") == [(1,)]
    assert len(query(url, "SELECT path FROM document_paths")) == 4


def test_extract_output_file_is_whole_or_absent_after_a_kill(tmp_path):
    """`vnplans extract -o FILE` killed at any moment never leaves half a file."""
    files = [str(p) for p in fixture_pdfs()] * 2
    out = tmp_path / "plans.jsonl"
    rng = random.Random("extract-kill")
    for _ in range(3):
        proc = subprocess.Popen(vnplans_cmd("extract", "--no-ocr", "-o", str(out), *files),
                                cwd=REPO, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 3.0))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if out.exists():
            lines = out.read_text(encoding="utf-8").splitlines()
            assert len(lines) == len(files) and all(json.loads(line)["rows"] for line in lines)
