"""The SQLite ingest lock belongs to the database file, not to the name it was opened
by: a symlink, a `sqlite:///file:…?uri=true` URL and the plain path all take the same
lock, so two `vnplans ingest` runs never load into one file side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from store_fixtures import FIXTURE_PDFS, run_cli

from vnplans.store.db import create_db_engine, create_readonly_engine, sqlite_path
from vnplans.store.lock import IngestLock, lock_file_for

PDF = str(FIXTURE_PDFS / "dn2020.pdf")


def documents(url: str) -> int:
    engine = create_readonly_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM documents")).scalar()
    finally:
        engine.dispose()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "real" / "plans.db"
    create_db_engine(f"sqlite:///{path}").dispose()
    return path


def names_of(path: Path, tmp_path: Path) -> dict[str, str]:
    alias = tmp_path / "alias.db"
    alias.symlink_to(path)
    linked_folder = tmp_path / "linked"
    linked_folder.symlink_to(path.parent, target_is_directory=True)
    return {
        "plain path": str(path),
        "symlink": str(alias),
        "symlinked folder": str(linked_folder / path.name),
        "dotted path": str(path.parent / ".." / path.parent.name / path.name),
        "uri": f"sqlite:///file:{path}?uri=true",
        "uri with mode": f"sqlite:///file://{path}?mode=rwc&uri=true",
    }


@pytest.mark.parametrize(("holder", "other"), [
    ("plain path", "symlink"), ("symlink", "plain path"), ("plain path", "symlinked folder"),
    ("plain path", "dotted path"), ("plain path", "uri"), ("uri", "plain path"),
    ("symlink", "uri with mode"),
])
def test_every_name_of_one_file_takes_one_lock(database: Path, tmp_path: Path,
                                               holder: str, other: str):
    names = names_of(database, tmp_path)
    engine = create_db_engine(names[holder])
    lock = IngestLock(engine)
    lock.acquire()
    try:
        busy = run_cli("ingest", "--no-ocr", "--db", names[other], PDF)
        assert busy.returncode == 0, busy.stderr
        assert "another ingest run" in busy.stderr, (holder, other, busy.stderr)
        assert documents(str(database)) == 0
    finally:
        lock.release()
        engine.dispose()
    loaded = run_cli("ingest", "--no-ocr", "--db", names[other], PDF)
    assert loaded.returncode == 0, loaded.stderr
    assert documents(str(database)) == 1


def test_another_file_is_not_locked(database: Path, tmp_path: Path):
    engine = create_db_engine(str(database))
    lock = IngestLock(engine)
    lock.acquire()
    try:
        other = tmp_path / "other.db"
        result = run_cli("ingest", "--no-ocr", "--db", str(other), PDF)
        assert result.returncode == 0 and "another ingest run" not in result.stderr
        assert documents(str(other)) == 1
    finally:
        lock.release()
        engine.dispose()


def test_lock_file_sits_beside_the_real_file(database: Path, tmp_path: Path):
    names = names_of(database, tmp_path)
    for url in names.values():
        path = sqlite_path(url if "://" in url else f"sqlite:///{url}")
        assert lock_file_for(path) == Path(f"{database}.lock"), url


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///plans.db", "plans.db"),
    ("sqlite:////abs/plans.db", "/abs/plans.db"),
    ("sqlite:///file:/abs/plans.db?uri=true", "/abs/plans.db"),
    ("sqlite:///file:rel/plans.db?mode=rw&uri=true", "rel/plans.db"),
    ("sqlite:///file:///abs/my%20plans.db?uri=true", "/abs/my plans.db"),
    ("sqlite:///file://localhost/abs/plans.db?uri=true", "/abs/plans.db"),
    ("sqlite:///file:shared?mode=memory&uri=true", None),
    ("sqlite:///:memory:", None),
    ("sqlite://", None),
])
def test_sqlite_path_reads_uri_filenames(url: str, expected: str | None):
    path = sqlite_path(url)
    assert (None if path is None else str(path)) == expected
