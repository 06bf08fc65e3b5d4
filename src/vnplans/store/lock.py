"""The ingest lock: two `vnplans ingest` runs on one database never overlap.

PostgreSQL: a session advisory lock held on a dedicated connection. SQLite: an
exclusive `flock` on a file beside the database file (`plans.db.lock`), named after the
file's real path, so every name of one database (a symlink, a relative path, a
`sqlite:///file:…?uri=true` URL) takes the same lock. Both are released
by the operating system or the server when the holder dies, even by SIGKILL, so a
crashed run never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time

from sqlalchemy import Connection, Engine, text

from vnplans.store.db import sqlite_path
from vnplans.store.settings import lock_file_for

# Any constant works: every ingest process uses the same one.
INGEST_LOCK_KEY = 0x766E6967  # "vnig" (the two-key form takes 32-bit keys)
POLL_SECONDS = 0.5


class LockBusy(Exception):
    """Another run holds the lock (and we were told not to wait, or waited too long)."""


class IngestLock:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._file: int | None = None
        self._conn: Connection | None = None

    def acquire(self, *, wait: bool = False, timeout: float | None = None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._try_acquire():
            if not wait or (deadline is not None and time.monotonic() >= deadline):
                raise LockBusy()
            time.sleep(POLL_SECONDS)

    def _try_acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            if self._conn is None:
                # AUTOCOMMIT: the session lock must not sit inside a long transaction.
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            # Keyed by schema too: databases in different schemas ingest independently.
            return bool(self._conn.execute(
                text("SELECT pg_try_advisory_lock(:key, hashtext(current_schema()))"),
                {"key": INGEST_LOCK_KEY}).scalar())
        path = sqlite_path(str(self.engine.url))
        if path is None:  # in-memory database: private to this process anyway
            return True
        if self._file is None:
            self._file = os.open(lock_file_for(path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            # Ending the session releases its advisory lock; invalidating (rather than
            # returning it to the pool) ends it for sure, even if the server went away.
            with contextlib.suppress(Exception):
                self._conn.invalidate()
                self._conn.close()
            self._conn = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            os.close(self._file)
            self._file = None

    def __enter__(self) -> IngestLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


