"""The store's constants and URL choice, without SQLAlchemy (whose import alone costs
~0.4 s of CPU): `vnplans.store.db` builds on them, and the re-run of an unchanged
SQLite folder (`vnplans.store.unchanged`) needs nothing more."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///data/processed/plans.db"
# The newest revision under migrations/versions (a test keeps the two in step): comparing
# against it spares every command the 0.5 s import of Alembic when nothing is to do.
SCHEMA_REVISION = "0005"
# Seconds a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_S = 60


def resolve_url(url: str | None = None) -> str:
    """`--db` wins, then env VNPLANS_DB, then the SQLite default. A bare path means SQLite."""
    chosen = url or os.environ.get("VNPLANS_DB") or DEFAULT_DB_URL
    if "://" not in chosen:
        chosen = f"sqlite:///{chosen}"
    return chosen


def lock_file_for(db_path: Path) -> Path:
    """The ingest lock file of a SQLite database file: beside the file that symlinks lead
    to, so that two names of one database take one lock."""
    return Path(f"{os.path.realpath(db_path)}.lock")
