"""Opening the database: URL choice, SQLite settings, schema migration on connect.

SQLite is the default (`sqlite:///data/processed/plans.db`); `--db URL` or env
`VNPLANS_DB` selects another database, e.g. `postgresql+psycopg://user@host/db`.
Every writable open runs the Alembic migrations (`upgrade head`) so a fresh or older
database is always at the current schema. On PostgreSQL the tables go into the first
schema of the connection's `search_path` (`?options=-csearch_path%3Dmyschema` in the
URL), which is created when it does not exist (`ensure_schema`).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateSchema

from vnplans.errors import StoreError
from vnplans.store.settings import (  # noqa: F401 - part of this module's interface
    DEFAULT_DB_URL,
    SCHEMA_REVISION,
    SQLITE_BUSY_TIMEOUT_S,
    resolve_url,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory databases), also for URI
    filenames (`sqlite:///file:plans.db?uri=true`)."""
    parsed = make_url(url)
    database = parsed.database
    if not database or database == ":memory:":
        return None
    if database.startswith("file:") and parsed.query.get("uri") == "true":
        return _uri_file(database, parsed.query.get("mode"))
    if database.startswith("file:"):
        return None
    return Path(database)


def _uri_file(uri: str, mode: str | tuple[str, ...] | None) -> Path | None:
    """The file a SQLite URI filename names (https://sqlite.org/uri.html)."""
    from urllib.parse import unquote

    if mode == "memory" or (isinstance(mode, tuple) and "memory" in mode):
        return None
    rest = uri.removeprefix("file:").split("?", 1)[0].split("#", 1)[0]
    if rest.startswith("//"):  # file://host/path: only an empty host or localhost
        host, _, path = rest[2:].partition("/")
        if host not in ("", "localhost"):
            return None
        rest = "/" + path
    rest = unquote(rest)
    if not rest or rest == ":memory:":
        return None
    return Path(rest)


def _configure_sqlite(engine: Engine, *, read_only: bool) -> None:
    # pysqlite's own transaction handling skips DDL and defers BEGIN; we take control so
    # a document's replacement (and a migration) is one real transaction.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        cur.execute("PRAGMA foreign_keys = ON")
        if read_only:
            # mode=ro guards this file; query_only and the authorizer also stop a
            # statement from writing through ATTACH (which would create files).
            cur.execute("PRAGMA query_only = ON")
            dbapi_conn.set_authorizer(read_only_authorizer)
        else:
            _enter_wal_mode(cur)
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        # IMMEDIATE takes the write lock up front: two writers queue on busy_timeout
        # instead of deadlocking when both upgrade a read lock.
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _enter_wal_mode(cur) -> None:  # noqa: ANN001 - a DB-API cursor
    """Switch the file to WAL once; every later connection finds it there.
    The switch needs an exclusive lock, and SQLite answers "database is locked" at once,
    without its busy handler, when another process holds a lock the switch would
    deadlock on (two first runs opening a new file together). So: retry until the busy
    timeout, as the busy handler would have."""
    import sqlite3

    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    pause = 0.005
    while True:
        try:
            # Answers the mode it ends in: "memory" for an in-memory database, left so.
            cur.execute("PRAGMA journal_mode = WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def read_only_authorizer(action: int, _arg1: str | None, arg2: str | None,
                         *_rest: object) -> int:
    """The authorizer of every read-only SQLite connection: no ATTACH (it creates
    files), none of the functions sql_guard.yaml denies (fts3_tokenizer leaks a memory
    address). Analysts' statements run under the stricter SqliteQueryAuthorizer."""
    import sqlite3

    from vnplans.store.sql_guard import policy

    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and \
            (arg2 or "").lower() in policy()["sqlite"]["denied_functions"]:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def search_path_schemas(search_path: str) -> list[str]:
    """The schema names of a PostgreSQL `search_path` setting as the server reads them:
    comma-separated, double-quoted names kept as written (`""` is one quote), others
    lower-cased; `$user` (the role's own schema) left out."""
    names: list[str] = []
    for item in re.findall(r'\s*("(?:[^"]|"")*"|[^,]*)\s*(?:,|$)', search_path):
        item = item.strip()
        if item.startswith('"') and item.endswith('"') and len(item) >= 2:
            item = item[1:-1].replace('""', '"')
            if item != "$user":
                names.append(item)
        elif item and item.lower() != "$user":
            names.append(item.lower())
    return names


def ensure_schema(conn: Connection) -> None:
    """PostgreSQL: create the first schema the connection's `search_path` names when it
    does not exist, as a user who names a schema of their own in the URL expects (the
    server would otherwise put the tables in the next schema of the path that exists,
    `public` say, or refuse with "no schema has been selected to create in"). A role
    that may not create schemas gets one line naming the schema and what to do."""
    if conn.dialect.name != "postgresql":
        return
    search_path = conn.exec_driver_sql("SHOW search_path").scalar() or ""
    names = search_path_schemas(search_path)
    if not names:
        if conn.exec_driver_sql("SELECT current_schema()").scalar() is not None:
            return  # "$user" only: the role's own schema
        raise StoreError(f"the connection's search_path ({search_path or 'empty'}) names no "
                         "schema for the tables: add ?options=-csearch_path%3Dmyschema to "
                         "the URL")
    name = names[0]
    if conn.execute(text("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = :name"),
                    {"name": name}).first() is not None:
        return
    quoted = conn.dialect.identifier_preparer.quote_identifier(name)
    try:
        with conn.begin_nested():
            conn.execute(CreateSchema(name, if_not_exists=True))  # quoted by SQLAlchemy
    except DBAPIError as exc:
        user = conn.exec_driver_sql("SELECT current_user").scalar()
        reason = " ".join(str(exc.orig or exc).split())
        raise StoreError(
            f"schema {quoted} does not exist and cannot be created ({reason}): create it "
            f"as its owner (CREATE SCHEMA {quoted} AUTHORIZATION {user}) or name an "
            "existing schema in the URL (?options=-csearch_path%3Dmyschema)") from exc


def create_db_engine(url: str | None = None, *, migrate: bool = True,
                     pre_ping: bool = False) -> Engine:
    """A writable engine at the current schema (creates the SQLite folder and file).
    `pre_ping`: test each pooled connection before use, so one the server dropped
    (a restart, a cut connection) is replaced instead of failing the next statement
    (long-lived queue workers)."""
    url = resolve_url(url)
    kwargs: dict = {"pool_pre_ping": True} if pre_ping else {}
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_S}
    try:
        engine = create_engine(url, **kwargs)
    except Exception as exc:  # noqa: BLE001 - bad URL, missing driver …
        raise StoreError(f"cannot open database {_safe(url)}: {exc}") from exc
    if is_sqlite(url):
        _configure_sqlite(engine, read_only=False)
    if migrate:
        upgrade(engine)
    return engine


def create_readonly_engine(url: str | None = None) -> Engine:
    """An engine that cannot write: SQLite opened with `mode=ro`, PostgreSQL sessions
    set to read-only transactions. The database must exist already."""
    url = resolve_url(url)
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is None:
            raise StoreError("an in-memory SQLite database cannot be opened read-only")
        if not path.exists():
            raise StoreError(f"no database at {path} (run `vnplans ingest` first)")
        # A URI filename: percent-escaped, so '%', '?' or '#' in a path stay themselves.
        ro_url = URL.create("sqlite", database=f"file:{quote(str(path.resolve()))}",
                            query={"mode": "ro", "uri": "true"})
        engine = create_engine(ro_url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        _configure_sqlite(engine, read_only=True)
        return engine
    try:
        # Read-only as the session default too, so no statement can open a writable one
        # (kept beside any options the URL already has, such as a search_path).
        parsed = make_url(url)
        options = f"{parsed.query.get('options', '')} -c default_transaction_read_only=on"
        engine = create_engine(parsed.update_query_dict({"options": options.strip()}))
    except Exception as exc:  # noqa: BLE001
        raise StoreError(f"cannot open database {_safe(url)}: {exc}") from exc

    @event.listens_for(engine, "begin")
    def _read_only(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("SET TRANSACTION READ ONLY")

    _require_store_tables(engine, url)
    return engine


def _require_store_tables(engine: Engine, url: str) -> None:
    """A read-only command on a PostgreSQL schema vnplans never wrote to says so, as
    it does for a missing SQLite file, instead of the server's "relation does not
    exist". (An unreachable server is left to the command's own error.)"""
    try:
        with engine.connect() as conn:
            found = conn.exec_driver_sql("SELECT to_regclass('alembic_version')").scalar()
            schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    except Exception:  # noqa: BLE001
        return
    if found is None:
        engine.dispose()
        where = f" (schema {schema})" if schema else " (the schema it names does not exist)"
        raise StoreError(f"no vnplans tables at {_safe(url)}{where}: run `vnplans ingest` "
                         "first")


def _alembic_config(connection):  # noqa: ANN001, ANN202
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The head according to Alembic's own reading of the versions folder."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception:  # noqa: BLE001 - no table yet: a fresh database
            return None


def upgrade(engine: Engine) -> None:
    """`alembic upgrade head`, skipped cheaply when the database is already there
    (Alembic itself, ~0.1 s of imports, loads only when there is something to do)."""
    try:
        if current_revision(engine) == SCHEMA_REVISION:
            return
        from alembic import command

        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - unreachable server, permissions …
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise StoreError(f"cannot prepare database {_safe(str(engine.url))}: "
                         f"{reason[:300]}") from exc


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001
        return url
