"""Batch ingestion: find PDFs, skip what is stored, extract the rest, load each whole.

The parent process does every database write; with `jobs > 1` extraction runs in a
process pool. The per-file steps (`check_stored`, `extract_to_json`, `load_extracted`,
`record_failure`) are module functions: the queue worker (`vnplans.store.queue`) runs
the very same ones for each job. A file is skipped without extraction when its content hash and the
extractor version are already stored. Each document is written in its own
transaction, so a crash (even SIGKILL) leaves only whole documents and the next run
picks up where this one stopped. A file that fails is recorded in `failed_files`; it
never stops the batch. The next run tries it again, unless the failure was a verdict on
its content (`vnplans.errors.VnplansError.permanent`: no plan table, not a PDF …) and
neither its sha256 nor the extractor version changed since: such a file is passed over
as `not_retried` (`Ingestor(retry_failed=True)` tries it anyway).
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnplans import EXTRACTOR_VERSION
from vnplans.errors import is_permanent, reason_of
from vnplans.fsnames import printable, stored
from vnplans.store.walk import SkipReporter, print_skip, walk_files

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from sqlalchemy import Engine

    from vnplans.limits import Limits

# SQLAlchemy, the extraction stack and pydantic's models load only when they are used:
# `vnplans.store.unchanged` settles a re-run of an unchanged SQLite folder with the
# walk and hash below and none of them (SQLAlchemy's import alone is ~0.4 s of CPU).

# Files looked up and marked seen per transaction when a batch is checked.
CHECK_BATCH = 500


def __getattr__(name: str) -> Any:
    """`runs` and `failed_files`, the tables of this module's bookkeeping, on demand."""
    if name in ("runs", "failed_files"):
        from vnplans.store.models import FailedFile, IngestionRun

        return IngestionRun.__table__ if name == "runs" else FailedFile.__table__
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _tables() -> tuple[Any, Any]:
    from vnplans.store.models import FailedFile, IngestionRun

    return IngestionRun.__table__, FailedFile.__table__


@dataclass
class FileOutcome:
    """What happened to one file; handed to the caller's progress callback."""

    path: str
    status: str  # added | replaced | skipped | failed | not_retried (failed before, unchanged)
    rows: int = 0
    warnings: int = 0
    pages: int = 0
    document_id: int | None = None
    reason: str | None = None
    # The stored document's headline warning (`headline_warning`), for the run's report.
    first_warning: str | None = None


# Warnings that say what was done to a page (straightened) or that a unit is not in the
# knowledge files: every scan and most district plans have them, so a file's summary
# line names a warning about its data ("cannot read the number line") before these.
ROUTINE_WARNINGS = ("scanned page straightened by", "unknown unit kept as printed")
_PAGE_PREFIX = re.compile(r"^pages? [\d, -]+: ")


def headline_warning(warnings: list[str]) -> str | None:
    """The warning a file's summary line shows: the first that is not routine, else
    the first."""
    for warning in warnings:
        if not _PAGE_PREFIX.sub("", warning).startswith(ROUTINE_WARNINGS):
            return warning
    return warnings[0] if warnings else None


@dataclass
class RunSummary:
    run_id: int
    files: int = 0
    added: int = 0
    replaced: int = 0
    skipped: int = 0
    not_retried: int = 0
    rows: int = 0
    warnings: int = 0
    pages: int = 0
    failures: list[FileOutcome] = field(default_factory=list)
    # Files stored with warnings, in the order they were stored.
    warned: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return self.added + self.replaced

    def run_counts(self) -> dict[str, int]:
        """The counters of the run's `ingestion_runs` row."""
        return {"files_seen": self.files, "documents_added": self.added,
                "documents_replaced": self.replaced, "documents_skipped": self.skipped,
                "files_failed": len(self.failures), "files_not_retried": self.not_retried,
                "rows_loaded": self.rows, "warnings_loaded": self.warnings}

    def count(self, outcome: FileOutcome) -> None:
        if outcome.status == "failed":
            self.failures.append(outcome)
            return
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.rows += outcome.rows
        self.warnings += outcome.warnings
        self.pages += outcome.pages
        if outcome.warnings:
            self.warned.append(outcome)


def run_row(summary: RunSummary, *, status: str, jobs: int, paths: str) -> dict[str, Any]:
    """The columns of an `ingestion_runs` row of a run in this process, but its times,
    with `summary`'s counters: the one list of them `Ingestor`, the queue's runs
    (`vnplans.store.queue.enqueue`) and the unchanged re-run (`vnplans.store.unchanged`,
    plain sqlite3) all write."""
    return {"status": status, "extractor_version": EXTRACTOR_VERSION,
            "host": socket.gethostname(), "pid": os.getpid(), "jobs": jobs, "paths": paths,
            **summary.run_counts()}


# The plan files a folder is searched for (lower-cased suffixes): PDFs and Word files.
DOCUMENT_SUFFIXES: tuple[str, ...] = (".pdf", ".docx", ".doc")


def find_pdfs(paths: Iterable[str | Path], *, on_skip: SkipReporter | None = None,
              exclude: Sequence[str] = ()) -> list[Path]:
    """Files as given, folders searched recursively for plan files (`DOCUMENT_SUFFIXES`,
    any case: *.pdf, *.docx, *.doc) less what `exclude` (glob patterns relative to each
    folder) and `.vnplansignore` files leave out; each file once,
    in a stable order. Raises FileNotFoundError for a path that does not exist.
    What a folder walk passes over (FIFOs, devices, dangling links, unreadable folders)
    goes to `on_skip(path, reason)`, by default one line on stderr each
    (`vnplans.store.walk`)."""
    report = on_skip or print_skip
    found: dict[Path, None] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.update((p.resolve(), None)
                         for p in walk_files(path, DOCUMENT_SUFFIXES, report,
                                             exclude=exclude))
        elif path.exists():
            found[path.resolve()] = None
        else:
            raise FileNotFoundError(str(path))
    return list(found)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# What extracting one file gave: (contract JSON, None, False) or (None, one-line reason,
# whether the failure is permanent: a verdict on the file's content).
Extracted = tuple[str | None, str | None, bool]


def extract_to_json(path: str, ocr: bool = True, limits: Limits | None = None) -> Extracted:
    """Worker entry point (see `Extracted`). With `limits`, the extraction runs in a
    forked child under the per-file time and memory limits (a file that hangs or
    explodes fails alone)."""
    from vnplans.pipeline import extract

    try:
        doc = limits.run(extract, path, ocr=ocr) if limits else extract(path, ocr=ocr)
        return doc.model_dump_json(), None, False
    except Exception as exc:  # noqa: BLE001 - every failure becomes a recorded reason
        return None, reason_of(exc), is_permanent(exc)


def _die_with_parent() -> None:
    """Pool initializer: on Linux a worker is killed when the ingest process dies (even by
    SIGKILL), instead of lingering as an orphan."""
    import contextlib
    import ctypes
    import signal

    # Not Linux/glibc: an orphan still ends when it next reads its closed queue.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_POOL_DIED = "extraction process died (crash or out of memory)"


class Ingestor:
    """One ingestion run against one database; the caller holds the ingest lock.
    `retry_failed`: extract files that failed permanently before, unchanged, too."""

    def __init__(self, engine: Engine, *, jobs: int = 1, ocr: bool = True,
                 limits: Limits | None = None, retry_failed: bool = False,
                 on_file: Callable[[FileOutcome], None] | None = None) -> None:
        self.engine = engine
        self.jobs = max(1, jobs)
        self.ocr = ocr
        self.limits = limits
        self.retry_failed = retry_failed
        self.on_file = on_file or (lambda _outcome: None)

    def run(self, files: list[Path], *, paths_arg: str = "") -> RunSummary:
        started = time.monotonic()
        run_id = self._start_run(paths_arg)
        summary = RunSummary(run_id=run_id, files=len(files))
        status = "interrupted"  # unless the loop ends or fails on its own
        try:
            to_extract: list[tuple[Path, str]] = []
            copies: list[Path] = []  # same content as a file already queued
            queued: set[str] = set()
            for path, (outcome, sha) in zip(files, self._check_all(files, run_id), strict=True):
                if outcome is not None:
                    self._report(summary, outcome)
                elif sha in queued:
                    copies.append(path)
                else:
                    queued.add(sha)
                    to_extract.append((path, sha))
            for path, sha, extracted in self._extract_all(to_extract):
                self._report(summary, self._load(path, sha, extracted, run_id))
            for path in copies:  # stored by now (skipped), or extracted after its twin failed
                outcome, sha = self._check(path, run_id)
                if outcome is None:
                    outcome = self._load(path, sha, self._extract(path), run_id)
                self._report(summary, outcome)
            status = "partial" if summary.failures else "ok"
        except Exception:
            status = "failed"
            raise
        finally:
            summary.seconds = time.monotonic() - started
            self._finish_run(summary, status)
        return summary

    def _report(self, summary: RunSummary, outcome: FileOutcome) -> None:
        summary.count(outcome)
        self.on_file(outcome)

    # -- run bookkeeping -------------------------------------------------------------
    def _start_run(self, paths_arg: str) -> int:
        from sqlalchemy import insert, update

        from vnplans.store.load import now_utc

        runs, _ = _tables()
        with self.engine.begin() as conn:
            # We hold the ingest lock, so a run still marked running died without finishing.
            conn.execute(update(runs).where(runs.c.status == "running")
                         .values(status="interrupted"))
            return conn.execute(insert(runs).values(
                started_at=now_utc(), **run_row(RunSummary(run_id=0), status="running",
                                                jobs=self.jobs, paths=paths_arg),
            ).returning(runs.c.id)).scalar_one()

    def _finish_run(self, summary: RunSummary, status: str) -> None:
        from sqlalchemy import update

        from vnplans.store.load import now_utc

        runs, _ = _tables()
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == summary.run_id).values(
                finished_at=now_utc(), status=status, seconds=round(summary.seconds, 3),
                **summary.run_counts()))

    # -- per file --------------------------------------------------------------------
    def _check_all(self, files: list[Path], run_id: int
                   ) -> list[tuple[FileOutcome | None, str]]:
        """`_check` for a whole batch: the stored ones are looked up and their paths
        remembered together, in one transaction per CHECK_BATCH files, not one each
        (500 unchanged files: ~0.1 s instead of ~1 s)."""
        checked: list[tuple[FileOutcome | None, str]] = []
        hashed: list[tuple[int, Path, str]] = []
        for path in files:
            try:
                hashed.append((len(checked), path, file_sha256(path)))
                checked.append((None, ""))
            except OSError as exc:
                checked.append((self._fail(path, None, reason_of(exc), run_id), ""))
        for start in range(0, len(hashed), CHECK_BATCH):
            batch = hashed[start:start + CHECK_BATCH]
            outcomes = check_stored_many(self.engine, [(path, sha) for _, path, sha in batch],
                                         skip_permanent=not self.retry_failed)
            for (index, _path, sha), outcome in zip(batch, outcomes, strict=True):
                checked[index] = (outcome, sha)
        return checked

    def _check(self, path: Path, run_id: int) -> tuple[FileOutcome | None, str]:
        """Skip (or fail) a file before extraction when we can; else (None, its sha256)."""
        try:
            sha = file_sha256(path)
        except OSError as exc:
            return self._fail(path, None, reason_of(exc), run_id), ""
        return check_stored(self.engine, path, sha, skip_permanent=not self.retry_failed), sha

    def _extract_all(self, items: list[tuple[Path, str]]
                     ) -> Iterator[tuple[Path, str, Extracted]]:
        if self.jobs == 1 or len(items) <= 1:
            for path, sha in items:
                yield path, sha, self._extract(path)
            return
        yield from self._extract_parallel(items)

    def _extract(self, path: Path) -> Extracted:
        return extract_to_json(str(path), self.ocr, self.limits)

    def _extract_parallel(self, items: list[tuple[Path, str]]
                          ) -> Iterator[tuple[Path, str, Extracted]]:
        from concurrent.futures import FIRST_COMPLETED, Future, wait
        from concurrent.futures.process import BrokenProcessPool

        pending = list(reversed(items))
        # A few files in flight per worker: results are loaded as they come, and memory
        # holds only those, not the whole batch.
        limit = self.jobs * 2
        pool = self._new_pool()
        in_flight: dict[Future, tuple[Path, str]] = {}
        try:
            while pending or in_flight:
                while pending and len(in_flight) < limit:
                    path, sha = pending.pop()
                    in_flight[pool.submit(extract_to_json, str(path), self.ocr, self.limits)] = (path, sha)
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    path, sha = in_flight.pop(future)
                    try:
                        extracted = future.result()
                    except BrokenProcessPool:
                        broken = True
                        extracted = None, _POOL_DIED, False
                    yield path, sha, extracted
                if broken:
                    # The other files in flight died with the pool; they are retried by
                    # the next run like any failure, the rest go to a fresh pool.
                    for path, sha in in_flight.values():
                        yield path, sha, (None, _POOL_DIED, False)
                    in_flight.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._new_pool()
        finally:
            # Waiting reaps the workers (nothing is left running behind the run).
            pool.shutdown(wait=True, cancel_futures=True)

    def _new_pool(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor

        from vnplans.pipeline import preload_pipeline

        # Workers fork from a parent that has loaded spaCy and the knowledge tables once.
        preload_pipeline()
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_die_with_parent)

    def _load(self, path: Path, sha: str, extracted: Extracted, run_id: int) -> FileOutcome:
        doc_json, reason, permanent = extracted
        return load_extracted(self.engine, path, sha, doc_json, reason, run_id,
                              permanent=permanent)

    def _fail(self, path: Path, sha: str | None, reason: str, run_id: int) -> FileOutcome:
        return record_failure(self.engine, path, sha, reason, run_id)


# -- one file: the steps `vnplans ingest` and the queue worker share ---------------------

def check_stored(engine: Engine, path: Path, sha: str, *,
                 skip_permanent: bool = False) -> FileOutcome | None:
    """'skipped' when content `sha` is stored with this extractor version (the path it
    was seen at is remembered, an old failure there resolved); with `skip_permanent`,
    'not_retried' when this path failed permanently with this content and extractor
    version; None: extract it."""
    return check_stored_many(engine, [(path, sha)], skip_permanent=skip_permanent)[0]


def check_stored_many(engine: Engine, items: list[tuple[Path, str]], *,
                      skip_permanent: bool = False) -> list[FileOutcome | None]:
    """`check_stored` for many files in one transaction, in the same order."""
    from vnplans.store.load import find_many_by_sha, now_utc, remember_paths

    with engine.begin() as conn:
        known = find_many_by_sha(conn, [sha for _, sha in items])
        current = {sha for sha, found in known.items()
                   if found.extractor_version == EXTRACTOR_VERSION}
        failed_before = _permanent_failures(
            conn, [sha for _, sha in items if sha not in current]) if skip_permanent else {}
        outcomes: list[FileOutcome | None] = []
        seen: list[tuple[int, str]] = []
        for path, sha in items:
            found = known.get(sha)
            if found is None or found.extractor_version != EXTRACTOR_VERSION:
                reason = failed_before.get((stored(path), sha))
                outcomes.append(None if reason is None else
                                FileOutcome(printable(path), "not_retried", reason=reason))
                continue
            seen.append((found.id, stored(path)))
            outcomes.append(FileOutcome(printable(path), "skipped", document_id=found.id))
        if seen:
            remember_paths(conn, seen, now_utc())
            _resolve_failures(conn, [path for _, path in seen])
    return outcomes


def _permanent_failures(conn, shas: list[str]) -> dict[tuple[str, str], str]:  # noqa: ANN001
    """(stored path, sha256) → reason of the unresolved permanent failures of these
    contents with this extractor version."""
    from sqlalchemy import select

    _, failed_files = _tables()
    unique = list(dict.fromkeys(shas))
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(unique), CHECK_BATCH):
        rows = conn.execute(
            select(failed_files.c.path, failed_files.c.sha256, failed_files.c.reason).where(
                failed_files.c.sha256.in_(unique[start:start + CHECK_BATCH]),
                failed_files.c.permanent.is_(True), failed_files.c.resolved_at.is_(None),
                failed_files.c.extractor_version == EXTRACTOR_VERSION))
        found.update(((path, sha), reason) for path, sha, reason in rows)
    return found


def load_extracted(engine: Engine, path: Path, sha: str, doc_json: str | None,
                   reason: str | None, run_id: int, *, permanent: bool = False,
                   reraise: tuple[type[BaseException], ...] = (),
                   on_stored: Callable[..., None] | None = None) -> FileOutcome:
    """Store one extraction result in its own transaction, or record why it failed
    (`permanent`: a verdict on the file's content, see `record_failure`).
    Exceptions in `reraise` (the queue's transient database errors) propagate after the
    rollback instead of being recorded; `on_stored(conn, outcome)` runs inside the
    document's transaction (the queue counts it in its run there)."""
    from vnplans.models import PlanDocument
    from vnplans.store.load import save_document

    if doc_json is None:
        return record_failure(engine, path, sha, reason or "extraction failed", run_id,
                              permanent=permanent)
    try:
        doc = PlanDocument.model_validate_json(doc_json)
        with engine.begin() as conn:
            document_id, status = save_document(conn, doc, path=stored(path), sha256=sha,
                                                run_id=run_id)
            _resolve_failure(conn, stored(path))
            outcome = FileOutcome(printable(path), status, rows=len(doc.rows),
                                  warnings=len(doc.warnings), pages=doc.source.pages,
                                  document_id=document_id,
                                  first_warning=headline_warning(doc.warnings))
            if on_stored is not None:
                on_stored(conn, outcome)
    except reraise:
        raise
    except Exception as exc:  # noqa: BLE001 - the transaction rolled back; record and go on
        return record_failure(engine, path, sha, f"could not store: {reason_of(exc)}", run_id)
    return outcome


def record_failure(engine: Engine, path: Path, sha: str | None, reason: str,
                   run_id: int, *, permanent: bool = False) -> FileOutcome:
    """Record (or update) the file's row in `failed_files`. Retried by the next run,
    unless `permanent` (a verdict on the content `sha`: not tried again while the content
    and the extractor version stay the same, see `check_stored_many`)."""
    from sqlalchemy import insert, update

    from vnplans.store.load import now_utc

    _, failed_files = _tables()
    now = now_utc()
    with engine.begin() as conn:
        updated = conn.execute(
            update(failed_files).where(failed_files.c.path == stored(path)).values(
                sha256=sha or None, reason=reason, run_id=run_id,
                permanent=permanent and bool(sha), extractor_version=EXTRACTOR_VERSION,
                attempts=failed_files.c.attempts + 1, last_failed_at=now, resolved_at=None)
        ).rowcount
        if not updated:
            conn.execute(insert(failed_files).values(
                path=stored(path), sha256=sha or None, reason=reason, run_id=run_id,
                permanent=permanent and bool(sha), extractor_version=EXTRACTOR_VERSION,
                attempts=1, first_failed_at=now, last_failed_at=now))
    return FileOutcome(printable(path), "failed", reason=reason)


def _resolve_failure(conn, path: str) -> None:  # noqa: ANN001
    _resolve_failures(conn, [path])


def _resolve_failures(conn, paths: list[str]) -> None:  # noqa: ANN001
    from sqlalchemy import update

    from vnplans.store.load import now_utc

    _, failed_files = _tables()
    conn.execute(update(failed_files)
                 .where(failed_files.c.path.in_(paths), failed_files.c.resolved_at.is_(None))
                 .values(resolved_at=now_utc()))
