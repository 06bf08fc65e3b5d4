"""A folder's documents that are no plans (a letter, a scan of something else, a PDF
with no appendix table, a file that is no PDF) fail once, are recorded as permanent
failures by content hash, and are passed over by the following nightly runs (exit 0)
until they change, the extractor changes or `--retry-failed` asks; a failure that is
not about the content (a per-file limit) is retried every run, as before. Real PDFs,
real extraction, SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

from store_fixtures import REPO, db_url, fixture_pdfs, run_cli  # noqa: F401 - fixtures
from test_ingest import assert_only_whole_documents, counts, query

CORPUS = REPO / "tests" / "badinput" / "corpus"
REAL = REPO / "tests" / "data" / "real"
# File → the reason it fails with, each a verdict on its content.
NON_PLANS = {
    "letter.pdf": (REAL / "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf",
                   "no plan appendix table found"),
    "no-table.pdf": (CORPUS / "not-a-plan-table.pdf", "no plan appendix table found"),
    "scan-of-something.pdf": (CORPUS / "image-only.pdf", "no plan appendix table found"),
    "notes.pdf": (CORPUS / "text-file.pdf", "a text file, not a PDF"),
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(fixture_pdfs()[0], folder / "plan.pdf")
    for name, (source, _reason) in NON_PLANS.items():
        shutil.copy(source, folder / name)
    return folder


def _failure_lines(stderr: str) -> dict[str, str]:
    """`vnplans: FILE: reason` lines by file name."""
    lines = [line for line in stderr.splitlines() if line.startswith("vnplans: ")]
    return {line.split(": ")[1].rsplit("/", 1)[-1]: line.split(": ", 2)[2] for line in lines}


def test_a_non_plan_fails_once_and_is_not_retried_until_it_changes(db_url, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    first = run_cli("ingest", "--db", db_url, str(folder))
    assert first.returncode == 1, first.stderr
    assert _failure_lines(first.stderr) == {name: reason for name, (_, reason) in NON_PLANS.items()}
    assert "1 document loaded (1 new, 0 replaced)" in first.stdout
    assert "4 failed" in first.stdout
    stored = query(db_url, "SELECT path, permanent, attempts, extractor_version, sha256 "
                           "FROM failed_files ORDER BY path")
    assert [Path(p).name for p, *_ in stored] == sorted(NON_PLANS)
    assert all(permanent and attempts == 1 and version and len(sha) == 64
               for _, permanent, attempts, version, sha in stored)
    before = counts(db_url)

    # The next night: nothing to say, nothing to do, exit 0.
    second = run_cli("ingest", "--db", db_url, str(folder))
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""
    assert "1 skipped (unchanged), 0 failed" in second.stdout
    assert "4 not retried (failed before, unchanged: --retry-failed tries again)" in second.stdout
    assert query(db_url, "SELECT attempts FROM failed_files") == [(1,)] * 4
    assert query(db_url, "SELECT status, files_failed, files_not_retried FROM ingestion_runs "
                         "ORDER BY id") == [("partial", 4, 0), ("ok", 0, 4)]
    assert counts(db_url) == before

    # Asked to: every one is extracted again and named again.
    retried = run_cli("ingest", "--db", db_url, "--retry-failed", str(folder))
    assert retried.returncode == 1
    assert set(_failure_lines(retried.stderr)) == set(NON_PLANS)
    assert query(db_url, "SELECT attempts FROM failed_files") == [(2,)] * 4

    # The letter is replaced by a plan: new content, extracted and loaded.
    shutil.copy(fixture_pdfs()[1], folder / "letter.pdf")
    changed = run_cli("ingest", "--db", db_url, str(folder))
    assert changed.returncode == 0, changed.stderr
    assert "1 document loaded (1 new, 0 replaced)" in changed.stdout
    assert "3 not retried" in changed.stdout
    assert query(db_url, "SELECT path FROM failed_files WHERE resolved_at IS NULL "
                         "ORDER BY path") == \
        [(str((folder / name).resolve()),) for name in sorted(NON_PLANS) if name != "letter.pdf"]
    assert counts(db_url)["documents"] == before["documents"] + 1
    assert_only_whole_documents(db_url)


def test_a_copy_of_a_non_plan_at_a_new_path_is_named_once(db_url, tmp_path):  # noqa: F811
    folder = _folder(tmp_path)
    assert run_cli("ingest", "--db", db_url, str(folder)).returncode == 1
    shutil.copy(folder / "letter.pdf", folder / "letter-copy.pdf")
    result = run_cli("ingest", "--db", db_url, str(folder))
    assert result.returncode == 1
    assert _failure_lines(result.stderr) == {"letter-copy.pdf": "no plan appendix table found"}
    assert run_cli("ingest", "--db", db_url, str(folder)).returncode == 0


def test_a_failure_that_is_not_about_the_content_is_retried(db_url, tmp_path):  # noqa: F811
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(CORPUS / "ok-plan.pdf", folder / "plan.pdf")
    for _night in range(2):  # a per-file limit: the file may load another night
        result = run_cli("ingest", "--db", db_url, "--max-pages", "1", str(folder))
        assert result.returncode == 1
        assert "more than the per-file limit" in _failure_lines(result.stderr)["plan.pdf"]
    assert query(db_url, "SELECT permanent, attempts FROM failed_files") == [(False, 2)]
    loaded = run_cli("ingest", "--db", db_url, str(folder))
    assert loaded.returncode == 0, loaded.stderr
    assert query(db_url, "SELECT COUNT(*) FROM failed_files WHERE resolved_at IS NULL") == [(0,)]
