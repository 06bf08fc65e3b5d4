"""What a queue worker does for one job: the steps `vnplans ingest` runs for a file.

`ingest_file` skips content already stored with this extractor version, extracts the
file (from the shared path, or from `stored_originals` for an uploaded one) under the
per-file limits, and loads the document in one transaction with `load_extracted` —
the function `vnplans ingest` uses. The run's counters are updated in that same
transaction, so a worker killed at any moment leaves either the whole document
counted or nothing; the job, left `doing`, is retried by another worker after the
stall timeout and then finds the document stored.

A file that fails (not a PDF, over its time or memory limit, rejected by the store)
is recorded in `failed_files` and its job fails without retries; transient database
errors propagate, and procrastinate retries the job with backoff.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, update

from vnplans.counts import counted
from vnplans.errors import reason_of
from vnplans.fsnames import printable
from vnplans.store.ingest import (
    FileOutcome,
    check_stored,
    extract_to_json,
    file_sha256,
    load_extracted,
    record_failure,
    runs,
)

if TYPE_CHECKING:
    from vnplans.limits import Limits
    from vnplans.store.queue.target import QueueTarget


class FileFailed(Exception):
    """The file failed for good (recorded in failed_files): the job fails, no retry."""


@dataclass
class WorkerEnv:
    """What jobs in this process need; set once by the worker before it starts."""

    engine: Engine
    target: QueueTarget
    limits: Limits | None
    ocr: bool = True
    nightly_paths: tuple[str, ...] = ()
    nightly_upload: bool = False
    verbose: bool = False


_ENV: WorkerEnv | None = None


def set_env(env: WorkerEnv | None) -> None:
    global _ENV
    _ENV = env


def current_env() -> WorkerEnv:
    if _ENV is None:
        raise RuntimeError("vnplans queue jobs run inside `vnplans worker`")
    return _ENV


def job_args(path: Path, sha256: str, run_id: int, *, upload: bool,
             force: bool = False) -> dict[str, Any]:
    """A job's arguments (JSON): the path as text, and its bytes in hex when the name is
    not valid UTF-8 (JSON text cannot carry it, and the worker must open that file)."""
    args: dict[str, Any] = {"path": printable(path), "sha256": sha256, "run_id": run_id,
                            "upload": upload, "force": force}
    raw = os.fsencode(path)
    if raw != printable(path).encode("utf-8"):
        args["path_hex"] = raw.hex()
    return args


def ingest_file(context: Any, *, path: str, sha256: str, run_id: int, upload: bool = False,
                force: bool = False, path_hex: str | None = None) -> str:
    """The task body: returns the outcome ("added", "replaced", "skipped")."""
    from vnplans.store.queue.app import MAX_RETRIES, transient_errors

    env = current_env()
    where = Path(os.fsdecode(bytes.fromhex(path_hex))) if path_hex else Path(path)
    try:
        outcome = _ingest(env, where, sha256, run_id, upload=upload, force=force,
                          job_id=context.job.id)
    except transient_errors() as exc:
        if context.job.attempts >= MAX_RETRIES:  # procrastinate gives up after this one
            _record_quietly(env, where, sha256, run_id,
                            f"gave up after {MAX_RETRIES + 1} attempts: {reason_of(exc)}")
        else:
            _warn(f"{printable(where)}: database error, tried again later: {reason_of(exc)}")
        raise
    _say(env, outcome)
    if outcome.status == "failed":
        raise FileFailed(f"{outcome.path}: {outcome.reason}")
    return outcome.status


def _ingest(env: WorkerEnv, where: Path, sha256: str, run_id: int, *, upload: bool,
            force: bool, job_id: int | None) -> FileOutcome:
    engine = env.engine
    if not force:
        skipped = check_stored(engine, where, sha256)
        if skipped is not None:
            return _counted(env, run_id, skipped, job_id)
    with tempfile.TemporaryDirectory(prefix="vnplans-job-") as tmp:
        sha = sha256
        if upload:
            from vnplans.store.originals import write_original

            source = write_original(engine, sha256, Path(tmp))
            if source is None:
                return _failed(env, where, sha256, run_id, job_id,
                               "its uploaded original is not in the database")
        else:
            source = where
            try:
                sha = file_sha256(where)
            except OSError as exc:
                return _failed(env, where, sha256, run_id, job_id, reason_of(exc))
            if sha != sha256 and not force:
                # Changed since it was queued: store what is there now, unless stored.
                skipped = check_stored(engine, where, sha)
                if skipped is not None:
                    return _counted(env, run_id, skipped, job_id)
        doc_json, reason, permanent = extract_to_json(str(source), env.ocr, env.limits)
    outcome = load_extracted(engine, where, sha, doc_json, reason, run_id,
                             permanent=permanent, reraise=_transient(),
                             on_stored=lambda conn, stored: _count(conn, run_id, stored))
    if outcome.status == "failed":
        _count_alone(env, run_id, outcome)
    _finish_run_if_done(env, run_id, job_id)
    return outcome


def _transient() -> tuple[type[BaseException], ...]:
    from vnplans.store.queue.app import transient_errors

    return transient_errors()


def _failed(env: WorkerEnv, where: Path, sha: str, run_id: int, job_id: int | None,
            reason: str) -> FileOutcome:
    outcome = record_failure(env.engine, where, sha, reason, run_id)
    return _counted(env, run_id, outcome, job_id)


def _counted(env: WorkerEnv, run_id: int, outcome: FileOutcome,
             job_id: int | None) -> FileOutcome:
    _count_alone(env, run_id, outcome)
    _finish_run_if_done(env, run_id, job_id)
    return outcome


def _record_quietly(env: WorkerEnv, where: Path, sha: str, run_id: int, reason: str) -> None:
    try:
        outcome = record_failure(env.engine, where, sha, reason, run_id)
        _count_alone(env, run_id, outcome)
    except Exception:  # noqa: BLE001, S110 - the database is still away; the job fails anyway
        pass


# -- the run's counters ----------------------------------------------------------------

_COUNTERS = {"added": "documents_added", "replaced": "documents_replaced",
             "skipped": "documents_skipped", "failed": "files_failed"}


def _count(conn: Any, run_id: int, outcome: FileOutcome) -> None:
    column = _COUNTERS[outcome.status]
    values: dict[str, Any] = {column: runs.c[column] + 1}
    if outcome.status in ("added", "replaced"):
        values["rows_loaded"] = runs.c.rows_loaded + outcome.rows
        values["warnings_loaded"] = runs.c.warnings_loaded + outcome.warnings
    conn.execute(update(runs).where(runs.c.id == run_id).values(**values))


def _count_alone(env: WorkerEnv, run_id: int, outcome: FileOutcome) -> None:
    with env.engine.begin() as conn:
        _count(conn, run_id, outcome)


def finish_runs(engine: Engine, target: QueueTarget, *, run_id: int | None = None,
                running_job: int | None = None) -> None:
    """Mark queue runs (status 'queued') whose jobs are all done as 'ok' or 'partial'.
    `running_job`: the job calling this, still 'doing' until it returns. Two workers
    finishing a run's last two jobs at once may each see the other's still running;
    workers also call this when idle, which settles such a run."""
    from sqlalchemy import Text, case, exists, func, select
    from sqlalchemy import cast as sql_cast

    from vnplans.store.queue.app import INGEST_TASK
    from vnplans.store.queue.enqueue import ACTIVE_STATES

    jobs = target.jobs_table()
    pending = (select(jobs.c.id)
               .where(jobs.c.task_name == INGEST_TASK,
                      sql_cast(jobs.c.status, Text).in_(ACTIVE_STATES),
                      jobs.c.args["run_id"].astext == sql_cast(runs.c.id, Text),
                      jobs.c.id != (running_job if running_job is not None else -1)))
    statement = (update(runs)
                 .where(runs.c.status == "queued", ~exists(pending))
                 .values(status=case((runs.c.files_failed > 0, "partial"), else_="ok"),
                         finished_at=func.now(),
                         seconds=func.extract("epoch", func.now() - runs.c.started_at)))
    if run_id is not None:
        statement = statement.where(runs.c.id == run_id)
    with engine.begin() as conn:
        conn.execute(statement)


def _finish_run_if_done(env: WorkerEnv, run_id: int, job_id: int | None) -> None:
    finish_runs(env.engine, env.target, run_id=run_id, running_job=job_id)


def _warn(message: str) -> None:
    import sys

    print(f"vnplans worker: {' '.join(message.split())[:400]}", file=sys.stderr, flush=True)


def _say(env: WorkerEnv, outcome: FileOutcome) -> None:
    """One line per file: failures on stderr (`vnplans worker: FILE: reason`), the
    rest on stdout with --verbose."""
    import sys

    if outcome.status == "failed":
        print(f"vnplans worker: {outcome.path}: {outcome.reason}", file=sys.stderr, flush=True)
    elif env.verbose:
        print(f"{outcome.path}: {outcome.status}, {counted(outcome.rows, 'row')}", flush=True)


# -- the nightly periodic task ------------------------------------------------------------

def nightly_enqueue(timestamp: int) -> str:
    """Queue the folders this worker watches (`vnplans worker --nightly PATH`)."""
    from vnplans.store.ingest import find_pdfs
    from vnplans.store.queue.enqueue import enqueue_files

    env = current_env()
    files = find_pdfs(env.nightly_paths)
    summary = enqueue_files(env.target, env.engine, files, upload=env.nightly_upload,
                            paths_arg=" ".join(env.nightly_paths))
    return summary.line()
