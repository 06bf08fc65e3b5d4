"""The procrastinate app: one task per file (`vnplans.ingest_file`) and, for workers
given folders to watch, the nightly enqueue as a periodic task.

Jobs of one content hash share procrastinate's `queueing_lock` (a file waits in the
queue at most once) and `lock` (two jobs of the same content never run at once).
Transient failures — the database connection lost, a lock or statement timeout —
are retried with exponential backoff; a file that cannot be extracted or stored fails
once, recorded in `failed_files` as `vnplans ingest` records it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import procrastinate

    from vnplans.store.queue.target import QueueTarget

QUEUE = "vnplans"
NIGHTLY_QUEUE = "vnplans-nightly"  # only workers that watch folders listen to it
INGEST_TASK = "vnplans.ingest_file"
NIGHTLY_TASK = "vnplans.nightly_enqueue"
NIGHTLY_PERIODIC_ID = "nightly"
DEFAULT_NIGHTLY_CRON = "30 2 * * *"

# Transient failures: retries after the first attempt, and the backoff base: waits of
# 2, 4, 8 … 256 s, about 8.5 minutes in all — long enough for a database restart or
# failover, short enough that a lasting fault fails the file the same night.
MAX_RETRIES = 8
RETRY_EXPONENTIAL_WAIT = 2

# Connections per process: procrastinate's worker holds one for LISTEN and uses a few
# for fetching, heartbeats and finishing jobs; the enqueuer needs one.
WORKER_POOL_SIZE = 4
ENQUEUER_POOL_SIZE = 1


def transient_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean "try this job again later", not "this file is bad"."""
    import psycopg
    from sqlalchemy import exc

    # IntegrityError: two jobs of the same content stored at the same moment (a
    # stalled job recovered while its first worker was still alive); the retry finds
    # the document stored and skips it.
    return (exc.OperationalError, exc.InterfaceError, exc.IntegrityError,
            psycopg.OperationalError, psycopg.InterfaceError, ConnectionError, TimeoutError)


def make_app(target: QueueTarget, *, worker: bool = False,
             nightly_cron: str | None = None) -> procrastinate.App:
    """The app on `target`: an async connection pool for a worker, a sync one for
    enqueueing. With `nightly_cron`, the nightly enqueue is scheduled too."""
    import procrastinate

    from vnplans.store.queue import job

    pool: dict[str, Any] = {"conninfo": target.conninfo, "kwargs": target.connect_options}
    if worker:
        connector: Any = procrastinate.PsycopgConnector(
            **pool, min_size=1, max_size=WORKER_POOL_SIZE)
    else:
        connector = procrastinate.SyncPsycopgConnector(
            **pool, min_size=1, max_size=ENQUEUER_POOL_SIZE)
    app = procrastinate.App(connector=connector)
    retry = procrastinate.RetryStrategy(max_attempts=MAX_RETRIES,
                                        exponential_wait=RETRY_EXPONENTIAL_WAIT,
                                        retry_exceptions=set(transient_errors()))
    app.task(name=INGEST_TASK, queue=QUEUE, pass_context=True, retry=retry)(job.ingest_file)
    if nightly_cron:
        nightly = app.task(name=NIGHTLY_TASK, queue=NIGHTLY_QUEUE, retry=retry)(
            job.nightly_enqueue)
        app.periodic(cron=nightly_cron, periodic_id=NIGHTLY_PERIODIC_ID)(nightly)
    return app
