"""Running queue workers: `vnplans worker`.

Each worker process runs one procrastinate worker that takes one job at a time
(extraction is CPU-bound: parallelism comes from processes, `--concurrency N` forks
N of them). procrastinate's workers send a heartbeat every `stall_timeout / 3`
seconds; a job still `doing` whose worker has sent none for `stall_timeout` seconds
(the worker was SIGKILLed, its machine lost, its connection cut) is put back in the
queue by any other worker (`JobManager.get_stalled_jobs` + `retry_job`, the recovery
procrastinate documents), checked every `stall_timeout / 2` seconds.

A worker that loses its own connection to the queue starts again after a backoff;
its unfinished job is recovered as a stalled one. With `until_empty` the worker
returns once no job is waiting or running anywhere (a job running on another worker
is waited for, and taken over if that worker stalls).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vnplans.counts import counted
from vnplans.store.queue.app import NIGHTLY_QUEUE, QUEUE, make_app

if TYPE_CHECKING:
    import procrastinate

    from vnplans.limits import Limits
    from vnplans.store.queue.target import QueueTarget

DEFAULT_STALL_TIMEOUT_S = 60.0
# Polls of an --until-empty worker waiting for jobs that run elsewhere.
IDLE_POLL_S = 1.0
# Backoff after the queue connection failed: 1, 2, 4 … 30 s.
RECONNECT_MAX_WAIT_S = 30.0
# An --until-empty worker gives up after this many failed reconnections in a row.
UNTIL_EMPTY_MAX_RECONNECTS = 12
# Heartbeats per stall timeout: two may be lost before a live worker looks stalled.
HEARTBEATS_PER_TIMEOUT = 3


@dataclass(frozen=True)
class WorkerOptions:
    target: QueueTarget
    limits: Limits | None
    ocr: bool = True
    until_empty: bool = False
    stall_timeout: float = DEFAULT_STALL_TIMEOUT_S
    nightly_paths: tuple[str, ...] = ()
    nightly_cron: str | None = None
    nightly_upload: bool = False
    verbose: bool = False


def run_workers(options: WorkerOptions, processes: int = 1) -> int:
    """Run `processes` worker processes (this one alone when 1); the exit status."""
    if processes <= 1:
        return run_worker(options)
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    children = [ctx.Process(target=_child, args=(options,), name=f"vnplans-worker-{i}")
                for i in range(processes)]
    for child in children:
        child.start()

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            if child.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, forward)
    for child in children:
        child.join()
    return max((child.exitcode or 0) if (child.exitcode or 0) > 0 else 0 for child in children)


def _child(options: WorkerOptions) -> None:
    _die_with_parent()
    raise SystemExit(run_worker(options))


def _die_with_parent() -> None:
    """A forked worker dies with the `vnplans worker` that started it (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run_worker(options: WorkerOptions) -> int:
    """One worker in this process until stopped (SIGTERM, SIGINT) or, with
    `until_empty`, until no job is left; the exit status."""
    from vnplans.store.db import create_db_engine
    from vnplans.store.queue.job import WorkerEnv, set_env

    if not options.verbose:
        # procrastinate logs each job; its tracebacks for failed files would repeat
        # what the job's one-line reason says. The connection pool logs every failed
        # reconnection while the database is away (it waits for it to come back, up to
        # its timeout); jobs caught by the outage say so in one line each instead.
        logging.getLogger("procrastinate").setLevel(logging.CRITICAL)
        logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)
        # A worker that was cut off for longer than the stall timeout finds, when it is
        # back, that its job was handed to another worker; procrastinate then fails to
        # record the job's end and asyncio prints that error's traceback. The job is
        # done (by one of the two, stored once); nothing to report.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    engine = create_db_engine(options.target.store_url, pre_ping=True)
    set_env(WorkerEnv(engine=engine, target=options.target, limits=options.limits,
                      ocr=options.ocr, nightly_paths=options.nightly_paths,
                      nightly_upload=options.nightly_upload, verbose=options.verbose))
    try:
        return asyncio.run(_serve(options))
    finally:
        set_env(None)
        engine.dispose()


async def _serve(options: WorkerOptions) -> int:
    failures = 0
    while True:
        app = make_app(options.target, worker=True, nightly_cron=options.nightly_cron)
        try:
            async with app.open_async():
                failures = 0
                await _work(app, options)
                return 0
        except Exception as exc:  # noqa: BLE001 - the queue's connection went away; start again
            failures += 1
            if options.until_empty and failures > UNTIL_EMPTY_MAX_RECONNECTS:
                print(f"vnplans worker: giving up: {_one_line(exc)}", file=sys.stderr)
                return 1
            wait = min(2.0 ** (failures - 1), RECONNECT_MAX_WAIT_S)
            print(f"vnplans worker: queue connection lost ({_one_line(exc)}); "
                  f"reconnecting in {wait:g} s", file=sys.stderr, flush=True)
            await asyncio.sleep(wait)


async def _work(app: procrastinate.App, options: WorkerOptions) -> None:
    queues = [QUEUE] + ([NIGHTLY_QUEUE] if options.nightly_cron else [])
    worker_args = {
        "queues": queues,
        "concurrency": 1,
        "name": f"vnplans@{_host()}:{os.getpid()}",
        "update_heartbeat_interval": max(options.stall_timeout / HEARTBEATS_PER_TIMEOUT, 0.5),
        "stalled_worker_timeout": options.stall_timeout,
        "delete_jobs": "never",  # `vnplans queue` reports them per run
    }
    if not options.until_empty:
        recovery = asyncio.create_task(_recover_forever(app, options))
        try:
            await app.run_worker_async(**worker_args)
        finally:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await recovery
        return
    while True:
        await recover_stalled(app, options.stall_timeout)
        await app.run_worker_async(wait=False, listen_notify=False, **worker_args)
        if not await jobs_left(app):
            await asyncio.to_thread(_finish_runs, options)
            return
        await asyncio.sleep(IDLE_POLL_S)


async def _recover_forever(app: procrastinate.App, options: WorkerOptions) -> None:
    while True:
        await asyncio.sleep(options.stall_timeout / 2)
        try:
            await recover_stalled(app, options.stall_timeout)
            await asyncio.to_thread(_finish_runs, options)
        except Exception as exc:  # noqa: BLE001 - tried again next time
            print(f"vnplans worker: stalled-job check failed: {_one_line(exc)}",
                  file=sys.stderr, flush=True)


async def recover_stalled(app: procrastinate.App, stall_timeout: float) -> int:
    """Put back in the queue the jobs whose worker sent no heartbeat for
    `stall_timeout` seconds; how many."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stall_timeout)
    recovered = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
            recovered += 1
        except Exception:  # noqa: BLE001, S112 - another worker recovered it first
            continue
    if recovered:
        print(f"vnplans worker: {counted(recovered, 'stalled job')} queued again",
              file=sys.stderr, flush=True)
    await app.job_manager.prune_stalled_workers(stall_timeout)
    return recovered


async def jobs_left(app: procrastinate.App) -> int:
    row = await app.connector.execute_query_one_async(
        query="SELECT count(*) AS n FROM procrastinate_jobs "
              "WHERE status IN ('todo', 'doing') AND queue_name = %(queue)s",
        queue=QUEUE)
    return int(row["n"])


def _finish_runs(options: WorkerOptions) -> None:
    from vnplans.store.queue.job import current_env, finish_runs

    finish_runs(current_env().engine, options.target)


def _host() -> str:
    import socket

    return socket.gethostname()


def _one_line(exc: BaseException) -> str:
    return " ".join(str(getattr(exc, "orig", None) or exc or type(exc).__name__).split())[:300]
