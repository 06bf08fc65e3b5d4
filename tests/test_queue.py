"""The PostgreSQL job queue, for real: `vnplans enqueue`, `vnplans worker` processes
on the test server, one of them SIGKILLed mid-run and every worker's connection cut,
uploaded originals and `vnplans reextract`, and the one-line refusal of SQLite.

Each test has a database of its own (procrastinate installs types and functions),
dropped afterwards. The result of the queue is compared with a plain `vnplans ingest`
of the same folder: the same documents, each once, with the same rows.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_fixtures import (
    PG_URL,
    REPO,
    _pg_admin,
    query,
    require_pg,
    run_cli,
    vnplans_cmd,
)
from tcp_proxy import TcpProxy

pytestmark = pytest.mark.timeout(900)

PLAN_FOLDERS = [REPO / "tests" / "fixtures" / "pdfs", REPO / "tests" / "fixtures" / "office" / "pdfs",
                REPO / "tests" / "fixtures" / "office" / "variants" / "pdfs"]
DISTINCT_PLANS = 40
NOT_A_PDF = REPO / "tests" / "badinput" / "corpus" / "word-document.pdf"
# Short, so the test sees a killed worker's job taken over within seconds; longer than
# the outage below plus a heartbeat interval, so that live workers do not look stalled
# after it (their jobs would be run twice: harmless, but not what is tested here).
STALL_TIMEOUT = "8"
WORKER_ARGS = ("--no-ocr", "--stall-timeout", STALL_TIMEOUT)
# How long the database is away: longer than a heartbeat interval and the backoff of a
# transient retry, as a server restart is.
OUTAGE_SECONDS = 4


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plan_folder(target: Path, count: int) -> list[Path]:
    """`count` plan PDFs of distinct content from the committed fixtures, in one folder
    (native text only: the workers run --no-ocr, as the reference ingest does)."""
    target.mkdir(parents=True)
    seen: set[str] = set()
    made: list[Path] = []
    for folder in PLAN_FOLDERS:
        for pdf in sorted(folder.glob("*.pdf")):
            digest = sha256(pdf)
            if digest in seen or len(made) == count or "scan" in pdf.stem:
                continue
            seen.add(digest)
            made.append(Path(shutil.copy(pdf, target / f"{folder.parent.name}-{pdf.name}")))
    assert len(made) == count, "not enough distinct fixture plans"
    return made


def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test; dropped after."""
    require_pg()
    name = f"vnplans_queue_test_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    base = PG_URL.split("?", 1)[0].rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from pg_database()


def snapshot(url: str) -> dict[str, list[tuple]]:
    """What a run stored: documents (content, path, contract) and their rows, values
    as text (SQLite gives dates as text, PostgreSQL as dates)."""
    found = {
        "documents": query(url, """
            SELECT sha256, file_name, path, extractor_version, pages, row_count,
                   warning_count, contract_json FROM documents ORDER BY sha256"""),
        "rows": query(url, """
            SELECT d.sha256, r.position, r.section_path, r.tt, r.task, r.lead, r.support,
                   r.lead_units, r.support_units, r.outcome, r.deadline, r.index_name,
                   r.pages, s.kind, s.due
            FROM plan_rows r JOIN documents d ON d.id = r.document_id
            LEFT JOIN schedules s ON s.row_id = r.id ORDER BY d.sha256, r.position"""),
        "failed": query(url, "SELECT path, reason FROM failed_files WHERE resolved_at IS NULL "
                             "ORDER BY path"),
    }
    return {name: [tuple(None if v is None else str(v) for v in row) for row in rows]
            for name, rows in found.items()}


def jobs(url: str) -> dict[str, int]:
    return dict(query(url, "SELECT status::text, count(*) FROM vnplans_queue.procrastinate_jobs "
                           "WHERE task_name = 'vnplans.ingest_file' GROUP BY 1"))


def documents_stored(url: str) -> int:
    try:
        return query(url, "SELECT count(*) FROM documents")[0][0]
    except Exception:  # noqa: BLE001 - schema not there yet
        return 0


def start_worker(url: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(vnplans_cmd("worker", "--db", url, "--until-empty", *WORKER_ARGS,
                                        *extra),
                            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_documents(url: str, count: int, workers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + 600
    while documents_stored(url) < count:
        assert time.monotonic() < deadline, f"fewer than {count} documents after 10 minutes"
        assert any(w.poll() is None for w in workers), "the workers stopped early"
        time.sleep(0.1)


def wait_for_jobs_running(url: str, count: int) -> None:
    deadline = time.monotonic() + 120
    while jobs(url).get("doing", 0) < count:
        assert time.monotonic() < deadline, f"never {count} jobs running at once"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple]]]:
    """The folder of distinct plans and a plain `vnplans ingest` of it (the reference)."""
    tmp = tmp_path_factory.mktemp("queue-plans")
    folder = tmp / "plans"
    plan_folder(folder, DISTINCT_PLANS)
    url = f"sqlite:///{tmp / 'reference.db'}"
    result = run_cli("ingest", "--no-ocr", "--db", url, str(folder))
    assert result.returncode == 0, result.stderr
    reference = snapshot(url)
    assert len(reference["documents"]) == DISTINCT_PLANS
    return folder, reference


@pytest.mark.postgres
def test_workers_killed_and_cut_off_store_every_file_once(plans, pg_url):
    """Two workers drain the queue; one is SIGKILLed mid-run and a third started; then
    the database goes away for a few seconds (every connection dropped, new ones
    refused, as in a server restart) and comes back. Every file ends up stored exactly
    once, with the rows `vnplans ingest` gives."""
    folder, reference = plans
    queued = run_cli("enqueue", "--db", pg_url, str(folder))
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith(f"{DISTINCT_PLANS} queued, 0 unchanged, 0 already queued")
    again = run_cli("enqueue", "--db", pg_url, str(folder))
    assert again.stdout.startswith(f"0 queued, 0 unchanged, {DISTINCT_PLANS} already queued")

    proxy = TcpProxy()
    via_proxy = proxy.url(pg_url)
    first, second = start_worker(via_proxy), start_worker(via_proxy)
    third = None
    try:
        wait_for_documents(pg_url, 4, [first, second])
        wait_for_jobs_running(pg_url, 2)  # the first worker is in the middle of a file
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        third = start_worker(via_proxy)
        wait_for_documents(pg_url, 12, [second, third])
        proxy.down()
        time.sleep(OUTAGE_SECONDS)
        proxy.up()
        outputs = [w.communicate(timeout=600) for w in (second, third)]
        assert [w.returncode for w in (second, third)] == [0, 0], outputs
    finally:
        proxy.down()
        for worker in (first, second, third):
            if worker is not None and worker.poll() is None:
                worker.kill()
    errors = "".join(err for _out, err in outputs)
    assert re.search(r"\d+ stalled jobs? queued again", errors), \
        "the killed worker's job was not taken over"
    retried = query(pg_url, "SELECT count(*) FROM vnplans_queue.procrastinate_events "
                            "WHERE type = 'deferred_for_retry'")[0][0]
    assert retried or "queue connection lost" in errors, "the outage came too late to matter"
    assert "Traceback" not in errors, errors

    stored = snapshot(pg_url)
    assert stored == reference
    assert query(pg_url, "SELECT count(*), count(DISTINCT sha256) FROM documents") == [
        (DISTINCT_PLANS, DISTINCT_PLANS)]
    assert set(jobs(pg_url)) == {"succeeded"}

    status = run_cli("queue", "--db", pg_url)
    assert status.returncode == 0, status.stderr
    first_run = next(line.split() for line in status.stdout.splitlines()
                     if line.split()[:1] == ["1"])
    # run, date, time, queued, running, failed, done, added, replaced, unchanged, state
    assert first_run[3:8] == ["0", "0", "0", str(DISTINCT_PLANS), str(DISTINCT_PLANS)]
    assert first_run[-1] == "done"
    unchanged = run_cli("enqueue", "--db", pg_url, str(folder))
    assert unchanged.stdout.startswith(f"0 queued, {DISTINCT_PLANS} unchanged, 0 already queued")


@pytest.mark.postgres
def test_uploaded_originals_are_extracted_without_the_folder_and_reextracted(tmp_path, pg_url):
    """--upload stores each content once; workers extract from the database after the
    folder is gone; a file that is no PDF fails with its reason in `vnplans queue`;
    `vnplans reextract --all` queues the stored documents again from their originals."""
    folder = tmp_path / "plans"
    files = plan_folder(folder, 3)
    shutil.copy(files[0], folder / "same-content-other-name.pdf")
    shutil.copy(NOT_A_PDF, folder / "not-a-plan.pdf")
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    assert run_cli("ingest", "--no-ocr", "--db", reference_url, str(folder)).returncode == 1
    reference = snapshot(reference_url)

    queued = run_cli("enqueue", "--upload", "--db", pg_url, str(folder))
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith("4 queued, 0 unchanged, 1 already queued, "
                                    "4 originals uploaded")
    assert query(pg_url, "SELECT count(*) FROM stored_originals") == [(4,)]
    moved = tmp_path / "elsewhere"
    folder.rename(moved)  # the workers cannot see the files any more

    worker = run_cli("worker", "--db", pg_url, "--until-empty", *WORKER_ARGS)
    assert worker.returncode == 0, worker.stderr
    assert f"{folder / 'not-a-plan.pdf'}:" in worker.stderr
    stored = snapshot(pg_url)
    # The path a document was last seen at may be either of the two names of one content.
    assert [d[:2] + d[3:] for d in stored["documents"]] == \
        [d[:2] + d[3:] for d in reference["documents"]]
    assert stored["rows"] == reference["rows"]
    assert jobs(pg_url) == {"succeeded": 3, "failed": 1}

    status = run_cli("queue", "--db", pg_url)
    assert status.returncode == 0, status.stderr
    assert "failed files (1;" in status.stdout
    failure = [line for line in status.stdout.splitlines() if "not-a-plan.pdf" in line]
    assert len(failure) == 1 and failure[0].strip().startswith("run 1:"), status.stdout
    assert failure[0].endswith("not a PDF (not retried)"), status.stdout

    redo = run_cli("reextract", "--db", pg_url)
    assert redo.stdout.startswith("0 queued, 3 unchanged"), redo.stdout
    redo = run_cli("reextract", "--all", "--db", pg_url)
    assert redo.stdout.startswith("3 queued, 0 unchanged, 0 already queued"), redo.stdout
    worker = run_cli("worker", "--db", pg_url, "--until-empty", *WORKER_ARGS)
    assert worker.returncode == 0, worker.stderr
    assert snapshot(pg_url)["rows"] == reference["rows"]
    assert query(pg_url, "SELECT documents_replaced FROM ingestion_runs ORDER BY id DESC "
                         "LIMIT 1") == [(3,)]


def test_a_file_that_is_no_pdf_is_not_queued_again_until_asked(tmp_path, pg_url):
    """A permanent failure (no PDF) recorded by a worker: the next enqueue of the
    unchanged folder passes over it (exit 0), --retry-failed queues it again."""
    folder = tmp_path / "plans"
    plan_folder(folder, 1)
    shutil.copy(NOT_A_PDF, folder / "not-a-plan.pdf")
    assert run_cli("enqueue", "--db", pg_url, str(folder)).stdout.startswith("2 queued")
    assert run_cli("worker", "--db", pg_url, "--until-empty", *WORKER_ARGS).returncode == 0
    again = run_cli("enqueue", "--db", pg_url, str(folder))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 queued, 1 unchanged, 0 already queued, "
                                   "1 not retried (failed before, unchanged) (run 2)")
    retried = run_cli("enqueue", "--retry-failed", "--db", pg_url, str(folder))
    assert retried.stdout.startswith("1 queued, 1 unchanged, 0 already queued (run 3)")


@pytest.mark.parametrize("command", [["enqueue", "{folder}"], ["worker", "--until-empty"],
                                     ["queue"], ["reextract"]])
def test_queue_commands_refuse_sqlite_in_one_line(command, tmp_path):
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    args = [a.replace("{folder}", str(tmp_path)) for a in command]
    result = run_cli(*args, "--db", url)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"vnplans {command[0]}: the job queue needs PostgreSQL "
        "(--db postgresql+psycopg://user@host/db); with SQLite use `vnplans ingest`"]
    assert not (tmp_path / "plans.db").exists()


@pytest.mark.postgres
def test_nightly_schedule_queues_the_watched_folder(tmp_path, pg_url):
    """A worker given `--nightly FOLDER` queues it on its cron schedule (procrastinate's
    periodic task; here every 2 seconds) and works the jobs; SIGTERM stops it (exit 0)."""
    folder = tmp_path / "plans"
    plan_folder(folder, 2)
    worker = subprocess.Popen(
        vnplans_cmd("worker", "--db", pg_url, *WORKER_ARGS, "--nightly", str(folder),
                    "--nightly-cron", "* * * * * */2"),
        cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        wait_for_documents(pg_url, 2, [worker])
        runs_ = query(pg_url, "SELECT count(*) FROM ingestion_runs WHERE paths = :p",
                      p=str(folder))
        assert runs_[0][0] >= 1
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    assert "Traceback" not in err, err
    assert query(pg_url, "SELECT count(*) FROM documents") == [(2,)]
