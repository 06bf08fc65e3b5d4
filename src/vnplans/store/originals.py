"""Original files kept in the database, content-addressed (`stored_originals`).

`vnplans enqueue --upload` stores each file's bytes once per sha256, so queue workers
on hosts that do not see the original folder can still extract it, and `vnplans
reextract` can queue every stored document again after an extractor upgrade.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from vnplans.fsnames import printable_name
from vnplans.store.load import now_utc
from vnplans.store.models import StoredOriginal

originals = StoredOriginal.__table__


def store_original(engine: Engine, path: Path, sha256: str) -> bool:
    """Store the bytes of `path` under `sha256` unless they are there already (the
    bytes are then not even read). True when they were stored now."""
    with engine.begin() as conn:
        if conn.execute(select(originals.c.sha256)
                        .where(originals.c.sha256 == sha256)).first() is not None:
            return False
    content = path.read_bytes()
    with engine.begin() as conn:
        # The queue is PostgreSQL only; another enqueuer may have stored the same
        # content meanwhile, and then nothing is to be done.
        stored = conn.execute(pg_insert(originals).values(
            sha256=sha256, file_name=printable_name(path), size=len(content),
            content=content, stored_at=now_utc()).on_conflict_do_nothing()).rowcount
    return bool(stored)


def write_original(engine: Engine, sha256: str, folder: Path) -> Path | None:
    """Write the stored original `sha256` into `folder` under its file name (the
    extracted document is named after it); None when it is not stored."""
    with engine.connect() as conn:
        row = conn.execute(select(originals.c.file_name, originals.c.content)
                           .where(originals.c.sha256 == sha256)).first()
    if row is None:
        return None
    name = Path(row.file_name).name or f"{sha256}.pdf"
    target = folder / name
    target.write_bytes(row.content)
    return target


def stored_original_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(originals)).scalar_one())
