"""The nightly re-run of an unchanged folder into SQLite, settled without SQLAlchemy.

When every file's content is stored with this extractor version — or failed
permanently before at that path and is unchanged (a letter in the plans folder: passed
over, `not_retried`, unless `--retry-failed`) — `vnplans ingest` has nothing to extract
or load: it only remembers where each file was seen, resolves old failures at those
paths and records the run. That takes ~0.1 s; importing SQLAlchemy
to do it took ~0.4 s of CPU more (and Alembic, pydantic, the extractor more again).
`settle_unchanged` does it with the standard library's sqlite3 — the walk and hash are
`find_pdfs` / `file_sha256`, the ingest lock the same `flock` on `plans.db.lock` —
and answers None, having written nothing, whenever anything is out of the ordinary (a
file to extract, an unreadable file, the lock taken, a database at another schema
revision, a URL with options): the full `Ingestor` then runs as always.

The run's row has the columns and values of `ingest.run_row`, as `Ingestor`'s have; the
statements below write what `load.remember_paths` and `ingest._resolve_failures` write, and the look-up reads what
`ingest._permanent_failures` reads (in SQLite's own upsert and `json_each`): keep those
in step.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from vnplans import EXTRACTOR_VERSION
from vnplans.fsnames import stored
from vnplans.store.ingest import CHECK_BATCH, RunSummary, file_sha256, run_row
from vnplans.store.settings import SCHEMA_REVISION, SQLITE_BUSY_TIMEOUT_S, lock_file_for

_SQLITE_PREFIX = "sqlite:///"


def settle_unchanged(url: str, files: list[Path], *, paths_arg: str, jobs: int = 1,
                     retry_failed: bool = False) -> RunSummary | None:
    """Record a run in which every file of `files` was unchanged, or None (nothing
    written) when that is not so or not certain; see the module docstring."""
    started = time.monotonic()
    db = _sqlite_file(url)
    if db is None or not files or not db.is_file():
        return None
    try:
        hashed = [(stored(path), file_sha256(path)) for path in files]
    except OSError:
        return None  # the full run records the failure
    with _ingest_lock(db) as locked:
        if not locked:
            return None
        with contextlib.closing(_connect(db)) as conn:
            return _settle(conn, hashed, paths_arg, jobs, started, retry_failed)


def _sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///path` URL; None for anything else."""
    if not url.startswith(_SQLITE_PREFIX) or "?" in url:
        return None
    name = url[len(_SQLITE_PREFIX):]
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


@contextlib.contextmanager
def _ingest_lock(db: Path) -> Iterator[bool]:
    """`vnplans.store.lock.IngestLock`'s SQLite lock, tried once."""
    fd = os.open(lock_file_for(db), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _settle(conn: sqlite3.Connection, hashed: list[tuple[str, str]], paths_arg: str,
            jobs: int, started: float, retry_failed: bool) -> RunSummary | None:
    try:
        revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    if revision != (SCHEMA_REVISION,):
        return None  # the full run migrates first
    conn.execute("BEGIN IMMEDIATE")
    try:
        document_of = _stored_documents(conn, [sha for _, sha in hashed])
        failed_before = [(path, sha) for path, sha in hashed
                         if document_of is not None and sha not in document_of]
        if document_of is None or (failed_before and (
                retry_failed or not _all_failed_before(conn, failed_before))):
            conn.execute("ROLLBACK")
            return None
        now = _timestamp()
        seen = [(document_of[sha], path) for path, sha in hashed if sha in document_of]
        _remember_paths(conn, seen, now)
        for start in range(0, len(seen), CHECK_BATCH):
            paths = [path for _, path in seen[start:start + CHECK_BATCH]]
            conn.execute("UPDATE failed_files SET resolved_at = ? WHERE resolved_at IS NULL "
                         "AND path IN (SELECT value FROM json_each(?))", [now, json.dumps(paths)])
        summary = RunSummary(run_id=0, files=len(hashed), skipped=len(seen),
                             not_retried=len(failed_before))
        summary.seconds = time.monotonic() - started
        # Like Ingestor._start_run: we hold the lock, so a run still marked running died.
        conn.execute("UPDATE ingestion_runs SET status = 'interrupted' "
                     "WHERE status = 'running'")
        row = {"started_at": now, "finished_at": _timestamp(),
               "seconds": round(summary.seconds, 3),
               **run_row(summary, status="ok", jobs=jobs, paths=paths_arg)}
        summary.run_id = conn.execute(_insert_run(tuple(row)),
                                      list(row.values())).lastrowid or 0
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    return summary


def _stored_documents(conn: sqlite3.Connection, shas: list[str]) -> dict[str, int] | None:
    """sha256 → document id of those of `shas` that are stored; None when one is stored
    by another extractor version."""
    found: dict[str, int] = {}
    unique = list(dict.fromkeys(shas))
    for start in range(0, len(unique), CHECK_BATCH):
        batch = unique[start:start + CHECK_BATCH]
        for document_id, sha, version in conn.execute(
                "SELECT id, sha256, extractor_version FROM documents "
                "WHERE sha256 IN (SELECT value FROM json_each(?))", [json.dumps(batch)]):
            if version != EXTRACTOR_VERSION:
                return None
            found[sha] = document_id
    return found


def _all_failed_before(conn: sqlite3.Connection, items: list[tuple[str, str]]) -> bool:
    """Whether every (path, sha256) of `items` failed permanently at that path with
    that content and this extractor version, unresolved."""
    found: set[tuple[str, str]] = set()
    unique = list(dict.fromkeys(sha for _, sha in items))
    for start in range(0, len(unique), CHECK_BATCH):
        found.update(conn.execute(
            "SELECT path, sha256 FROM failed_files WHERE permanent AND resolved_at IS NULL "
            "AND extractor_version = ? AND sha256 IN (SELECT value FROM json_each(?))",
            [EXTRACTOR_VERSION, json.dumps(unique[start:start + CHECK_BATCH])]))
    return set(items) <= found


def _remember_paths(conn: sqlite3.Connection, seen: list[tuple[int, str]], now: str) -> None:
    """`load.remember_paths` in SQLite's own upsert: a later pair wins."""
    latest = {path: document_id for document_id, path in seen}
    conn.executemany(
        "INSERT INTO document_paths (document_id, path, last_seen_at) VALUES (?, ?, ?) "
        "ON CONFLICT (path) DO UPDATE SET document_id = excluded.document_id, "
        "last_seen_at = excluded.last_seen_at",
        [(document_id, path, now) for path, document_id in latest.items()])
    last_path = dict(seen)  # document id → the last path it was seen at
    conn.executemany("UPDATE documents SET path = ? WHERE id = ?",
                     [(path, document_id) for document_id, path in last_path.items()])


def _insert_run(columns: tuple[str, ...]) -> str:
    """The INSERT of an `ingestion_runs` row of these columns (names from `run_row`,
    never data), values bound."""
    return (f"INSERT INTO ingestion_runs ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def _timestamp() -> str:
    """UTC as SQLAlchemy stores a DateTime in SQLite."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
