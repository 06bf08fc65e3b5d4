"""`vnplans ingest PATH…`: load plan PDFs and Word files into the database (the nightly
job too).

Exit status: 0 everything went in (or another run holds the lock: nothing done, a
message says so; files that failed permanently before and are unchanged are passed over
and do not count), 1 some files failed in this run (named on stderr; the others loaded)
or the database could not be opened, 2 usage errors (a path that does not exist, bad
options).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from vnplans.cli.limit_options import add_limit_arguments
from vnplans.counts import counted
from vnplans.fsnames import printable, stored

DB_HELP = ("database URL (default: env VNPLANS_DB, else sqlite:///data/processed/plans.db); "
           "PostgreSQL: postgresql+psycopg://user@host/dbname")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest", help="load plan PDFs and Word files (files or folders) into the database",
        description="Extract plan PDFs and Word files and load them into the database. Folders "
        "are searched recursively for *.pdf, *.docx and *.doc (.doc needs LibreOffice; FIFOs, "
        "devices, dangling links and unreadable folders met there are named on stderr and "
        "passed over). Files already stored with the same content and extractor version are "
        "skipped; changed files replace their old version. A file that failed because of its "
        "content (no plan table, not a PDF, damaged, encrypted) is not tried again while it "
        "and the extractor stay the same (--retry-failed). Safe to run from cron: "
        "a second run while one is going exits with a message (status 0) unless --wait.",
        epilog="Exit status: 0 all went in (files that failed before, unchanged, do not "
        "count), 1 some files failed in this run, 2 usage error.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="PDF or Word files, or folders")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N",
                   help="extract N files in parallel processes (default 1)")
    p.add_argument("--wait", action="store_true",
                   help="when another ingest run holds the lock, wait for it instead of exiting")
    p.add_argument("--wait-timeout", type=float, metavar="SECONDS",
                   help="with --wait: give up (exit 0, nothing done) after this many seconds")
    add_exclude_argument(p)
    p.add_argument("--retry-failed", action="store_true",
                   help="also extract files that failed before because of their content (no "
                   "plan table, not a PDF …) and have not changed since")
    p.add_argument("--log-format", choices=("text", "json"), default="text",
                   help="json: one JSON object per line on stderr (for log collectors)")
    p.add_argument("--no-ocr", action="store_true", help="never OCR scanned pages")
    p.add_argument("--no-ocr-cache", action="store_true",
                   help="do not read or write the OCR cache ($XDG_CACHE_HOME/vnplans/ocr)")
    add_limit_arguments(p)
    p.set_defaults(func=run)


def add_exclude_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="leave out files and folders of a folder walk that match (a name, "
                   "or a path from the folder given: 'drafts/', '*-letter.pdf', "
                   "'2019/**'); repeatable; a .vnplansignore file in a folder holds "
                   "such patterns too, one a line")


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class _Log:
    """Failures and notices on stderr: one plain line each, or JSON lines."""

    def __init__(self, fmt: str) -> None:
        self.json = fmt == "json"

    def event(self, event: str, level: str = "info", message: str | None = None,
              **fields: object) -> None:
        if self.json:
            record = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                      "level": level, "event": event, **fields}
            if message:
                record["message"] = message
            sys.stderr.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            sys.stderr.flush()
        elif message and level != "debug":
            print(f"vnplans ingest: {message}", file=sys.stderr, flush=True)

    def skipped(self, path: Path, reason: str) -> None:
        """A folder walk's notice (a FIFO, a dangling link …): not a failure."""
        name = printable(path)
        self.event("file_passed_over", "warning", f"{name}: skipped ({reason})",
                   file=name, reason=reason)


def run(args: argparse.Namespace) -> int:
    if args.no_ocr_cache:
        import os

        os.environ["VNPLANS_OCR_CACHE"] = "off"  # (vnplans.textlayer.ocr_cache.ENV)
    from vnplans.store.ingest import find_pdfs
    from vnplans.store.settings import resolve_url
    from vnplans.store.unchanged import settle_unchanged

    log = _Log(args.log_format)
    try:
        files = find_pdfs(args.paths, on_skip=log.skipped, exclude=args.exclude)
    except FileNotFoundError as exc:
        name = printable(str(exc))
        log.event("usage_error", "error", f"{name}: no such file or folder", path=name)
        return 2
    url = resolve_url(args.db)
    # Nothing changed (the usual night): settled in a fraction of the full run's start-up.
    summary = settle_unchanged(url, files, paths_arg=" ".join(map(stored, args.paths)),
                               jobs=args.jobs, retry_failed=args.retry_failed)
    if summary is not None:
        return _report(summary, log)

    from sqlalchemy.exc import SQLAlchemyError

    from vnplans.errors import StoreError
    from vnplans.store.db import create_db_engine
    from vnplans.store.lock import IngestLock, LockBusy

    try:
        engine = create_db_engine(url)
    except StoreError as exc:
        log.event("store_error", "error", str(exc))
        return 1
    lock = IngestLock(engine)
    try:
        try:
            lock.acquire(wait=args.wait, timeout=args.wait_timeout)
        except LockBusy:
            log.event("lock_busy", "warning",
                      "another ingest run is loading into this database; nothing done "
                      "(use --wait to queue behind it)", db=engine.url.render_as_string())
            return 0
        return _ingest(engine, files, args, log)
    except (StoreError, SQLAlchemyError) as exc:
        # The database went away mid-run: what was committed stays, whole documents only.
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        log.event("store_error", "error", f"database error: {reason}")
        return 1
    finally:
        lock.release()
        engine.dispose()


def _ingest(engine, files, args: argparse.Namespace, log: _Log) -> int:  # noqa: ANN001
    from vnplans.limits import Limits
    from vnplans.store.ingest import FileOutcome, Ingestor

    progress = None
    if not log.json and sys.stderr.isatty() and files:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        progress = Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[name]}"),
                            console=Console(stderr=True), transient=True)
        task = progress.add_task("ingest", total=len(files), name="")

    def on_file(outcome: FileOutcome) -> None:
        # Text mode lists failures once, after the summary (not under the progress bar).
        if log.json and outcome.status == "failed":
            log.event("file_failed", "error", f"{outcome.path}: {outcome.reason}",
                      file=outcome.path, reason=outcome.reason)
        elif log.json and outcome.status == "not_retried":
            log.event("file_not_retried", "info", file=outcome.path, reason=outcome.reason)
        elif log.json:
            log.event("file_" + outcome.status, "info", file=outcome.path,
                      document_id=outcome.document_id, rows=outcome.rows,
                      warnings=outcome.warnings, pages=outcome.pages)
        if progress is not None:
            progress.update(task, advance=1, name=outcome.path.rsplit("/", 1)[-1])

    log.event("run_started", "debug", files=len(files), jobs=args.jobs,
              db=engine.url.render_as_string())
    ingestor = Ingestor(engine, jobs=args.jobs, ocr=not args.no_ocr,
                        limits=Limits.from_args(args), retry_failed=args.retry_failed,
                        on_file=on_file)
    if progress is not None:
        with progress:
            summary = ingestor.run(files, paths_arg=" ".join(map(stored, args.paths)))
    else:
        summary = ingestor.run(files, paths_arg=" ".join(map(stored, args.paths)))
    return _report(summary, log)


# A nightly run over a folder of plans names at most this many files with warnings.
WARNED_FILES_SHOWN = 10


def _name_warned_files(warned: list) -> None:  # FileOutcome (vnplans.store.ingest)
    """Which files the summary's warnings belong to: each with its first warning and
    where to read the rest (the count alone sent users hunting through the database)."""
    for outcome in warned[:WARNED_FILES_SHOWN]:
        more = outcome.warnings - 1
        rest = f" (+{counted(more, 'more warning')}: vnplans show lists all)" if more else ""
        print(f"vnplans ingest: {outcome.path}: warning: {outcome.first_warning}{rest}",
              file=sys.stderr)
    if len(warned) > WARNED_FILES_SHOWN:
        print(f"vnplans ingest: {len(warned) - WARNED_FILES_SHOWN} more files with "
              "warnings: vnplans query \"SELECT path, message FROM warnings JOIN "
              "document_paths USING (document_id)\"", file=sys.stderr)


def _report(summary, log: _Log) -> int:  # noqa: ANN001 - a vnplans.store.ingest.RunSummary
    failed = len(summary.failures)
    line = (f"{counted(summary.documents, 'document')} loaded ({summary.added} new, "
            f"{summary.replaced} replaced), {counted(summary.rows, 'row')}, "
            f"{counted(summary.warnings, 'warning')}, {summary.skipped} skipped (unchanged), "
            f"{failed} failed, {summary.seconds:.1f} s")
    if summary.not_retried:
        line += (f"; {summary.not_retried} not retried (failed before, unchanged: "
                 "--retry-failed tries again)")
    if log.json:
        log.event("run_finished", "error" if failed else "info", line, run_id=summary.run_id,
                  documents=summary.documents, added=summary.added, replaced=summary.replaced,
                  rows=summary.rows, warnings=summary.warnings, skipped=summary.skipped,
                  failed=failed, not_retried=summary.not_retried, seconds=round(summary.seconds, 3),
                  failed_files=[f.path for f in summary.failures])
    else:
        print(line)
        _name_warned_files(summary.warned)
        # One line per failed file, as every command names a bad file (retried by the
        # next run).
        for outcome in summary.failures:
            print(f"vnplans: {outcome.path}: {outcome.reason}", file=sys.stderr)
    return 1 if failed else 0
