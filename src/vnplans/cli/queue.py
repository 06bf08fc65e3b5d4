"""The job-queue commands (PostgreSQL only; see docs/queue.md):

    vnplans enqueue PATH… --db URL [--upload]   queue new or changed files
    vnplans worker --db URL [--concurrency N] [--until-empty]   run the jobs
    vnplans queue --db URL                      jobs per run, failed files
    vnplans reextract --db URL [--all]          queue stored documents again

Exit status: 0 done, 1 some files failed or the database could not be reached,
2 usage errors (a path that does not exist, a SQLite database).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from vnplans.cli.ingest import DB_HELP, add_exclude_argument
from vnplans.cli.limit_options import add_limit_arguments

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from vnplans.store.queue.target import QueueTarget

T = TypeVar("T")

SQLITE_MESSAGE = ("the job queue needs PostgreSQL (--db postgresql+psycopg://user@host/db); "
                  "with SQLite use `vnplans ingest`")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "enqueue", help="queue plan PDFs for `vnplans worker` (PostgreSQL)",
        description="Hash the files (folders: recursively) and queue one job per new or "
        "changed file; a file already stored with this extractor version, or already "
        "queued, is not queued again, nor one that failed because of its content (no plan "
        "table, not a PDF …) and has not changed since (--retry-failed). Prints 'N queued, "
        "M unchanged, K already queued'.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="PDF files or folders")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--upload", action="store_true",
                   help="store the files' bytes in the database (once per content), for "
                   "workers that do not see this folder")
    add_exclude_argument(p)
    p.add_argument("--retry-failed", action="store_true",
                   help="also queue files that failed before because of their content and "
                   "have not changed since")
    p.set_defaults(func=run_enqueue)

    p = sub.add_parser(
        "worker", help="run queued jobs (on any host that reaches the database)",
        description="Take queued files one at a time, extract them under the per-file "
        "limits and load each document in its own transaction. Runs until stopped "
        "(SIGTERM/SIGINT let the current file finish), or with --until-empty until no "
        "job is left. Jobs of a worker that died are taken over after --stall-timeout.")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--concurrency", type=_positive_int, default=1, metavar="N",
                   help="worker processes on this host (default 1; about one per core)")
    p.add_argument("--until-empty", action="store_true",
                   help="exit when no job is queued or running (back-fills, tests)")
    p.add_argument("--stall-timeout", type=_positive_float, default=None, metavar="SECONDS",
                   help="a job whose worker sent no heartbeat for this long is run again "
                   "elsewhere (default 60)")
    p.add_argument("--nightly", nargs="+", metavar="PATH", default=(),
                   help="folders this worker queues on a schedule (--nightly-cron)")
    p.add_argument("--nightly-cron", metavar="CRON", default=None,
                   help="when --nightly runs, cron syntax, server time (default '30 2 * * *')")
    p.add_argument("--nightly-upload", action="store_true",
                   help="the nightly enqueue stores the files' bytes (as enqueue --upload)")
    p.add_argument("--no-ocr", action="store_true", help="never OCR scanned pages")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="a line per file, and procrastinate's own log")
    add_limit_arguments(p)
    p.set_defaults(func=run_worker)

    p = sub.add_parser(
        "queue", help="queued / running / failed / done jobs per run, and failed files",
        description="The job queue per enqueue run (newest first) and the files that "
        "failed, each with its reason.")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--runs", type=_positive_int, default=10, metavar="N",
                   help="show the last N runs (default 10; runs with jobs left always)")
    p.set_defaults(func=run_status)

    p = sub.add_parser(
        "reextract", help="queue stored documents again (after an extractor upgrade)",
        description="Queue every stored document that an older extractor version made, "
        "read from its uploaded original (enqueue --upload), else from the path it was "
        "last seen at.")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--all", action="store_true",
                   help="queue every stored document, also those of this extractor version")
    p.set_defaults(func=run_reextract)


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _positive_float(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def _say(command: str, message: str) -> None:
    print(f"vnplans {command}: {message}", file=sys.stderr, flush=True)


def _with_database(command: str, db: str | None,
                   work: Callable[[QueueTarget, Engine], T]) -> tuple[int, T | None]:
    """Open the store at `db` (migrated), run `work(target, engine)` and dispose of the
    engine: (0, what `work` returned, never None), or (exit status, None) after one line
    on stderr — 2 for a SQLite database, 1 when the store cannot be opened or the
    database fails during `work` (connection lost, permissions …)."""
    from vnplans.errors import StoreError
    from vnplans.store.db import create_db_engine
    from vnplans.store.queue.target import QueueNeedsPostgres, queue_target

    try:
        target = queue_target(db)
    except QueueNeedsPostgres:
        _say(command, SQLITE_MESSAGE)
        return 2, None
    try:
        engine = create_db_engine(target.store_url)
    except StoreError as exc:
        _say(command, str(exc))
        return 1, None
    try:
        return 0, work(target, engine)
    except Exception as exc:  # noqa: BLE001 - connection lost, permissions …
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        _say(command, f"database error: {reason[:300]}")
        return 1, None
    finally:
        engine.dispose()


def run_enqueue(args: argparse.Namespace) -> int:
    from vnplans.store.ingest import find_pdfs
    from vnplans.store.queue.enqueue import enqueue_files

    try:
        files = find_pdfs(args.paths, exclude=args.exclude)
    except FileNotFoundError as exc:
        _say("enqueue", f"{exc}: no such file or folder")
        return 2
    status, summary = _with_database("enqueue", args.db, lambda target, engine: enqueue_files(
        target, engine, files, upload=args.upload, paths_arg=" ".join(args.paths),
        retry_failed=args.retry_failed))
    if summary is None:
        return status
    print(summary.line())
    for outcome in summary.failures:
        _say("enqueue", f"{outcome.path}: {outcome.reason}")
    return 1 if summary.failures else 0


def run_reextract(args: argparse.Namespace) -> int:
    from vnplans.store.queue.enqueue import reextract

    status, summary = _with_database("reextract", args.db, lambda target, engine: reextract(
        target, engine, force=args.all))
    if summary is None:
        return status
    print(summary.line())
    return 0


def run_worker(args: argparse.Namespace) -> int:
    from vnplans.limits import Limits
    from vnplans.store.queue.app import DEFAULT_NIGHTLY_CRON
    from vnplans.store.queue.target import ensure_queue_schema
    from vnplans.store.queue.worker import DEFAULT_STALL_TIMEOUT_S, WorkerOptions, run_workers

    if (args.nightly_cron or args.nightly_upload) and not args.nightly:
        _say("worker", "--nightly-cron and --nightly-upload need --nightly PATH…")
        return 2

    def prepare(target: QueueTarget, _engine: Engine) -> QueueTarget:
        ensure_queue_schema(target)  # each worker process then opens its own connections
        return target

    status, target = _with_database("worker", args.db, prepare)
    if target is None:
        return status
    options = WorkerOptions(
        target=target, limits=Limits.from_args(args), ocr=not args.no_ocr,
        until_empty=args.until_empty,
        stall_timeout=args.stall_timeout or DEFAULT_STALL_TIMEOUT_S,
        nightly_paths=tuple(args.nightly),
        nightly_cron=(args.nightly_cron or DEFAULT_NIGHTLY_CRON) if args.nightly else None,
        nightly_upload=args.nightly_upload, verbose=args.verbose)
    return run_workers(options, args.concurrency)


def run_status(args: argparse.Namespace) -> int:
    from vnplans.store.queue.status import COLUMNS, queue_status, state_of
    from vnplans.store.queue.target import ensure_queue_schema

    def read(target: QueueTarget, engine: Engine) -> tuple[list, list]:
        ensure_queue_schema(target)
        return queue_status(engine, target, last_runs=args.runs)

    status, found = _with_database("queue", args.db, read)
    if found is None:
        return status
    run_list, failures = found
    if not run_list:
        print("no queue runs yet (vnplans enqueue PATH…)")
        return 0
    header = f"{'run':>5}  {'started (UTC)':16}  " + "".join(f"{c:>8}" for c in COLUMNS)
    header += f"{'added':>8}{'replaced':>9}{'unchanged':>10}  state"
    print(header)
    for run in run_list:
        started = run.started_at.strftime("%Y-%m-%d %H:%M") if run.started_at else "-"
        counts = "".join(f"{getattr(run, c):>8}" for c in COLUMNS)
        print(f"{run.run_id:>5}  {started:16}  {counts}{run.added:>8}{run.replaced:>9}"
              f"{run.skipped:>10}  {state_of(run)}")
    if failures:
        print(f"\nfailed files ({len(failures)}; queued again by the next enqueue, but those "
              "marked 'not retried' until they change or enqueue --retry-failed):")
        for failure in failures:
            mark = " (not retried)" if failure.permanent else ""
            print(f"  run {failure.run_id}: {failure.path}: {failure.reason}{mark}")
    return 0
