"""Queueing files: one job per new or changed content, never twice.

A file whose content (sha256) and extractor version are stored is not queued — its
path is remembered, as `vnplans ingest` does for an unchanged file. A content already
waiting or running (a job with its lock in `todo` or `doing`), or seen twice in one
batch, counts as "already queued"; procrastinate's queueing lock catches the race of
two enqueuers at once. Each enqueue is a run in `ingestion_runs` (status `queued`
until its jobs are done) whose id every job carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, Text, cast, insert, select

from vnplans import EXTRACTOR_VERSION
from vnplans.counts import counted
from vnplans.errors import reason_of
from vnplans.store.ingest import (
    CHECK_BATCH,
    FileOutcome,
    RunSummary,
    check_stored_many,
    file_sha256,
    record_failure,
    run_row,
    runs,
)
from vnplans.store.load import documents, now_utc
from vnplans.store.queue.target import QueueTarget, ensure_queue_schema

# `ingestion_runs.jobs` of a queue run: `vnplans ingest` records its --jobs (1 or more)
# there; a queue run's parallelism is however many workers take its jobs.
QUEUE_RUN_JOBS = 0
# procrastinate's states of a job that is waiting or running.
ACTIVE_STATES = ("todo", "doing")


@dataclass
class EnqueueSummary:
    run_id: int
    queued: int = 0
    unchanged: int = 0
    already_queued: int = 0
    not_retried: int = 0  # failed permanently before, unchanged (`check_stored_many`)
    uploaded: int = 0
    failures: list[FileOutcome] = field(default_factory=list)

    def line(self) -> str:
        text_ = (f"{self.queued} queued, {self.unchanged} unchanged, "
                 f"{self.already_queued} already queued")
        if self.not_retried:
            text_ += f", {self.not_retried} not retried (failed before, unchanged)"
        if self.uploaded:
            text_ += f", {counted(self.uploaded, 'original')} uploaded"
        if self.failures:
            text_ += f", {len(self.failures)} unreadable"
        return text_ + f" (run {self.run_id})"


@dataclass
class _Candidate:
    path: Path
    sha256: str
    upload: bool
    force: bool = False


def start_queue_run(engine: Engine, paths_arg: str, files: int) -> int:
    with engine.begin() as conn:
        return conn.execute(insert(runs).values(
            # 'enqueueing' until every job is deferred: workers finish only 'queued'
            # runs, so a run is never marked done while its jobs are still coming.
            started_at=now_utc(), **run_row(RunSummary(run_id=0, files=files),
                                            status="enqueueing", jobs=QUEUE_RUN_JOBS,
                                            paths=paths_arg),
        ).returning(runs.c.id)).scalar_one()


def enqueue_files(target: QueueTarget, engine: Engine, files: list[Path], *,
                  upload: bool = False, paths_arg: str = "",
                  retry_failed: bool = False) -> EnqueueSummary:
    """Hash `files` and queue the new or changed ones (see the module docstring); a file
    that failed permanently before and is unchanged only with `retry_failed`."""
    ensure_queue_schema(target)
    summary = EnqueueSummary(run_id=start_queue_run(engine, paths_arg, len(files)))
    hashed: list[tuple[Path, str]] = []
    for path in files:
        try:
            hashed.append((path, file_sha256(path)))
        except OSError as exc:
            summary.failures.append(
                record_failure(engine, path, None, reason_of(exc), summary.run_id))
    candidates: list[_Candidate] = []
    for start in range(0, len(hashed), CHECK_BATCH):
        batch = hashed[start:start + CHECK_BATCH]
        outcomes = check_stored_many(engine, batch, skip_permanent=not retry_failed)
        for (path, sha), outcome in zip(batch, outcomes, strict=True):
            if outcome is None:
                candidates.append(_Candidate(path, sha, upload))
            elif outcome.status == "not_retried":
                summary.not_retried += 1
            else:
                summary.unchanged += 1
    _defer_all(target, engine, candidates, summary)
    _record_counts(engine, target, summary)
    return summary


def reextract(target: QueueTarget, engine: Engine, *, force: bool = False) -> EnqueueSummary:
    """Queue every stored document extracted by another extractor version (all of them
    with `force`), read from its stored original, else from the path it was last seen
    at (which the workers must then see)."""
    from vnplans.store.originals import originals

    ensure_queue_schema(target)
    with engine.connect() as conn:
        rows = conn.execute(
            select(documents.c.sha256, documents.c.path, documents.c.file_name,
                   documents.c.extractor_version, originals.c.sha256.label("original"))
            .outerjoin(originals, originals.c.sha256 == documents.c.sha256)
            .order_by(documents.c.id)).all()
    summary = EnqueueSummary(run_id=start_queue_run(engine, "(reextract)", len(rows)))
    candidates = []
    for row in rows:
        if not force and row.extractor_version == EXTRACTOR_VERSION:
            summary.unchanged += 1
            continue
        candidates.append(_Candidate(Path(row.path or row.file_name), row.sha256,
                                     upload=row.original is not None, force=True))
    _defer_all(target, engine, candidates, summary, store_originals=False)
    _record_counts(engine, target, summary)
    return summary


def _defer_all(target: QueueTarget, engine: Engine, candidates: list[_Candidate],
               summary: EnqueueSummary, *, store_originals: bool = True) -> None:
    from procrastinate.exceptions import AlreadyEnqueued

    from vnplans.store.queue.app import INGEST_TASK, make_app
    from vnplans.store.queue.job import job_args

    active = _active_locks(engine, target, [c.sha256 for c in candidates])
    if not candidates:
        return
    app = make_app(target)
    with app.open():
        task = app.tasks[INGEST_TASK]
        for candidate in candidates:
            if candidate.sha256 in active:  # waiting or running, or a copy in this batch
                summary.already_queued += 1
                continue
            active.add(candidate.sha256)
            if candidate.upload and store_originals:
                from vnplans.store.originals import store_original

                try:
                    summary.uploaded += store_original(engine, candidate.path, candidate.sha256)
                except OSError as exc:
                    summary.failures.append(record_failure(
                        engine, candidate.path, candidate.sha256, reason_of(exc),
                        summary.run_id))
                    continue
            args = job_args(candidate.path, candidate.sha256, summary.run_id,
                            upload=candidate.upload, force=candidate.force)
            try:
                task.configure(queueing_lock=candidate.sha256, lock=candidate.sha256).defer(**args)
            except AlreadyEnqueued:
                summary.already_queued += 1
                continue
            summary.queued += 1


def _active_locks(engine: Engine, target: QueueTarget, shas: list[str]) -> set[str]:
    """The contents among `shas` that a job is waiting for or working on."""
    if not shas:
        return set()
    jobs = target.jobs_table()
    query = select(jobs.c.lock).where(cast(jobs.c.status, Text).in_(ACTIVE_STATES),
                                      jobs.c.lock.in_(set(shas)))
    with engine.connect() as conn:
        return set(conn.execute(query).scalars())


def _record_counts(engine: Engine, target: QueueTarget, summary: EnqueueSummary) -> None:
    from vnplans.store.queue.job import finish_runs

    # Added to, not set: workers may be counting this run's first jobs already.
    with engine.begin() as conn:
        conn.execute(runs.update().where(runs.c.id == summary.run_id).values(
            status="queued",
            documents_skipped=runs.c.documents_skipped + summary.unchanged,
            files_failed=runs.c.files_failed + len(summary.failures)))
    # Workers may have finished every job already; a run with none is done now.
    finish_runs(engine, target, run_id=summary.run_id)
