"""The re-run of an unchanged SQLite folder (`vnplans.store.unchanged`) writes what the
full `Ingestor` writes — paths remembered (renames, copies), old failures at those
paths resolved, the run recorded — and loads neither SQLAlchemy nor the extractor.
Anything out of the ordinary (a changed file) goes the full way."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from store_fixtures import REPO, fixture_pdfs, run_cli

from vnplans.store.db import create_db_engine
from vnplans.store.ingest import Ingestor, find_pdfs

BAD = REPO / "tests" / "badinput" / "corpus" / "truncated-50.pdf"

# Runs `vnplans ingest` in-process and reports whether SQLAlchemy / spaCy were loaded.
PROBE = """
import sys
from vnplans.cli import main
rc = main(sys.argv[1:])
print("loaded:", sorted(m for m in ("sqlalchemy", "spacy", "numpy", "pymupdf", "pydantic")
                        if m in sys.modules))
sys.exit(rc)
"""


# The columns of a run's row that differ between any two runs.
RUN_VARIES = {"id", "started_at", "finished_at", "pid", "seconds"}


def _probed_ingest(db: Path, folder: Path) -> subprocess.CompletedProcess[str]:
    """`vnplans ingest` run under PROBE, which prints the heavy modules it loaded."""
    return subprocess.run([sys.executable, "-c", PROBE, "ingest", "--db", f"sqlite:///{db}",
                           str(folder)], capture_output=True, text=True, cwd=REPO,
                          stdin=subprocess.DEVNULL)


def _last_run(conn: sqlite3.Connection) -> list[tuple]:
    """Every column of the last run's row but those that vary (by name, so a column
    added later is compared too), and whether it finished."""
    cur = conn.execute("SELECT * FROM ingestion_runs ORDER BY id DESC LIMIT 1")
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone(), strict=True))
    assert "files_not_retried" in row and row["finished_at"] is not None
    return sorted((name, value) for name, value in row.items() if name not in RUN_VARIES)


def state(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {
            "paths": conn.execute("SELECT path, document_id FROM document_paths "
                                  "ORDER BY path").fetchall(),
            "documents": conn.execute("SELECT id, sha256, path FROM documents "
                                      "ORDER BY id").fetchall(),
            "failed": conn.execute("SELECT path, resolved_at IS NULL FROM failed_files "
                                   "ORDER BY path").fetchall(),
            "last_run": _last_run(conn),
            "runs": conn.execute("SELECT status FROM ingestion_runs ORDER BY id").fetchall(),
        }


def test_unchanged_rerun_writes_what_the_full_run_writes(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    plans = fixture_pdfs()[:4]
    for pdf in plans:
        shutil.copy(pdf, folder / pdf.name)
    shutil.copy(BAD, folder / "later-fixed.pdf")
    db = tmp_path / "plans.db"
    first = run_cli("ingest", "--no-ocr", "--db", f"sqlite:///{db}", str(folder))
    assert first.returncode == 1, first.stderr  # the bad file

    # Overnight: a file renamed, one copied, the bad one replaced by a stored plan.
    (folder / plans[0].name).rename(folder / "renamed.pdf")
    shutil.copy(plans[1], folder / "copy.pdf")
    shutil.copy(plans[2], folder / "later-fixed.pdf")
    full_db = tmp_path / "full.db"
    shutil.copy(db, full_db)

    quick = _probed_ingest(db, folder)
    assert quick.returncode == 0, quick.stderr
    assert "0 documents loaded (0 new, 0 replaced), 0 rows, 0 warnings, 6 skipped" in quick.stdout
    assert "loaded: []" in quick.stdout  # neither SQLAlchemy nor the extractor

    engine = create_db_engine(f"sqlite:///{full_db}")
    try:
        summary = Ingestor(engine).run(find_pdfs([folder]), paths_arg=str(folder))
    finally:
        engine.dispose()
    assert summary.skipped == 6 and not summary.failures

    assert state(db) == state(full_db)
    assert state(db)["failed"] == [(str(folder / "later-fixed.pdf"), 0)]


def test_a_changed_file_takes_the_full_run(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    plans = fixture_pdfs()[:2]
    shutil.copy(plans[0], folder / plans[0].name)
    db = f"sqlite:///{tmp_path / 'plans.db'}"
    assert run_cli("ingest", "--no-ocr", "--db", db, str(folder)).returncode == 0
    shutil.copy(plans[1], folder / plans[1].name)
    probe = subprocess.run([sys.executable, "-c", PROBE, "ingest", "--no-ocr", "--db", db,
                            str(folder)], capture_output=True, text=True, cwd=REPO,
                           stdin=subprocess.DEVNULL)
    assert probe.returncode == 0, probe.stderr
    assert "1 document loaded (1 new, 0 replaced)" in probe.stdout
    assert "1 skipped (unchanged)" in probe.stdout
    assert "'sqlalchemy'" in probe.stdout


LETTER = REPO / "tests" / "data" / "real" / "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf"


def test_a_folder_with_documents_that_are_no_plans_stays_on_the_quick_way(tmp_path):
    """Non-plans that failed permanently and are unchanged are passed over by the quick
    re-run as by the full one (same rows written); --retry-failed takes the full way."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for pdf in fixture_pdfs()[:2]:
        shutil.copy(pdf, folder / pdf.name)
    shutil.copy(LETTER, folder / "letter.pdf")
    shutil.copy(BAD, folder / "truncated.pdf")
    db = tmp_path / "plans.db"
    assert run_cli("ingest", "--no-ocr", "--db", f"sqlite:///{db}", str(folder)).returncode == 1
    full_db = tmp_path / "full.db"
    shutil.copy(db, full_db)

    quick = _probed_ingest(db, folder)
    assert quick.returncode == 0, quick.stderr
    assert "2 skipped (unchanged), 0 failed" in quick.stdout
    assert "2 not retried (failed before, unchanged" in quick.stdout
    assert "loaded: []" in quick.stdout

    engine = create_db_engine(f"sqlite:///{full_db}")
    try:
        summary = Ingestor(engine).run(find_pdfs([folder]), paths_arg=str(folder))
    finally:
        engine.dispose()
    assert (summary.skipped, summary.not_retried, summary.failures) == (2, 2, [])
    assert state(db) == state(full_db)
    assert state(db)["failed"] == [(str(folder / "letter.pdf"), 1),
                                   (str(folder / "truncated.pdf"), 1)]

    retried = subprocess.run([sys.executable, "-c", PROBE, "ingest", "--no-ocr",
                              "--retry-failed", "--db", f"sqlite:///{db}", str(folder)],
                             capture_output=True, text=True, cwd=REPO, stdin=subprocess.DEVNULL)
    assert retried.returncode == 1 and "sqlalchemy" in retried.stdout
