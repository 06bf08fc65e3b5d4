"""What `vnplans queue` reports: jobs per run (queued, running, failed, done) and the
files that failed, each with its one-line reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, Integer, Text, cast, func, select

from vnplans.store.ingest import failed_files, runs
from vnplans.store.queue.app import INGEST_TASK
from vnplans.store.queue.enqueue import QUEUE_RUN_JOBS
from vnplans.store.queue.target import QueueTarget

# procrastinate's job states, as `vnplans queue` names them.
STATE_NAMES = {"todo": "queued", "doing": "running", "failed": "failed",
               "succeeded": "done", "cancelled": "failed", "aborting": "running",
               "aborted": "failed"}
COLUMNS = ("queued", "running", "failed", "done")


@dataclass
class RunJobs:
    run_id: int
    started_at: datetime | None
    status: str
    paths: str | None
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    queued: int = 0
    running: int = 0
    failed: int = 0
    done: int = 0


@dataclass
class FailedFile:
    run_id: int | None
    path: str
    reason: str
    permanent: bool = False  # about its content: not queued again until it changes


def queue_status(engine: Engine, target: QueueTarget, *, last_runs: int = 10
                 ) -> tuple[list[RunJobs], list[FailedFile]]:
    """The last `last_runs` queue runs (and any older one with jobs left), newest
    first, and the unresolved failures of those runs."""
    jobs = target.jobs_table()
    run_of = cast(jobs.c.args["run_id"].astext, Integer).label("run_id")
    state = cast(jobs.c.status, Text).label("status")
    jobs_query = (select(run_of, state, func.count().label("n"))
                  .where(jobs.c.task_name == INGEST_TASK).group_by(run_of, state))
    with engine.connect() as conn:
        counts = conn.execute(jobs_query).all()
        run_rows = conn.execute(
            select(runs.c.id, runs.c.started_at, runs.c.status, runs.c.paths,
                   runs.c.documents_added, runs.c.documents_replaced,
                   runs.c.documents_skipped)
            .where(runs.c.jobs == QUEUE_RUN_JOBS)
            .order_by(runs.c.id.desc())).all()
        by_run: dict[int, RunJobs] = {}
        active = {row.run_id for row in counts if row.status in ("todo", "doing")}
        for row in run_rows:
            if len(by_run) >= last_runs and row.id not in active:
                continue
            by_run[row.id] = RunJobs(row.id, row.started_at, row.status, row.paths,
                                     row.documents_added, row.documents_replaced,
                                     row.documents_skipped)
        for row in counts:
            run = by_run.get(row.run_id)
            if run is not None:
                column = STATE_NAMES.get(row.status, "failed")
                setattr(run, column, getattr(run, column) + int(row.n))
        failures = conn.execute(
            select(failed_files.c.run_id, failed_files.c.path, failed_files.c.reason,
                   failed_files.c.permanent)
            .where(failed_files.c.resolved_at.is_(None),
                   failed_files.c.run_id.in_(list(by_run)))
            .order_by(failed_files.c.run_id.desc(), failed_files.c.path)).all()
    return list(by_run.values()), [FailedFile(*row[:3], bool(row[3])) for row in failures]


def state_of(run: RunJobs) -> str:
    if run.running:
        return "running"
    if run.queued:
        return "queued"
    return "done, with failures" if run.failed else "done"
