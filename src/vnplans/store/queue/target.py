"""Where the job queue lives: the store's PostgreSQL database, in a schema of its own.

procrastinate creates tables, enum types and functions with unqualified names; its
connections get `search_path` set to the queue schema, so they land there and never
mix with the store's tables. A store kept in schema `x` (a `search_path` in the URL's
`options`) gets the queue schema `x_queue`: two stores in one database never share
jobs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vnplans.store.db import is_sqlite, resolve_url

DEFAULT_QUEUE_SCHEMA = "vnplans_queue"
# Any constant works: every process that creates the queue schema takes the same lock.
_SCHEMA_LOCK_KEY = 0x766E7175  # "vnqu"
_SEARCH_PATH = re.compile(r"search_path\s*=\s*\"?([A-Za-z_][A-Za-z0-9_$]*)")
_SAFE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class QueueNeedsPostgres(Exception):
    """The queue commands were given a SQLite database."""


@dataclass(frozen=True)
class QueueTarget:
    store_url: str  # SQLAlchemy URL of the store
    conninfo: str  # libpq URL of the same database, for procrastinate
    schema: str  # the queue's own schema

    @property
    def connect_options(self) -> dict[str, str]:
        """psycopg connection arguments that put procrastinate in its schema."""
        return {"options": f"-c search_path={self.schema}"}

    def jobs_table(self):  # noqa: ANN201 - a sqlalchemy TableClause
        """procrastinate's job table as the store's own connections see it (qualified
        and quoted by SQLAlchemy), with the columns vnplans reads."""
        from sqlalchemy import BigInteger, String, column, table
        from sqlalchemy.dialects.postgresql import JSONB

        return table("procrastinate_jobs", column("id", BigInteger),
                     column("task_name", String), column("status", String),
                     column("lock", String), column("args", JSONB), schema=self.schema)


def queue_target(url: str | None) -> QueueTarget:
    from sqlalchemy.engine import make_url

    url = resolve_url(url)
    if is_sqlite(url):
        raise QueueNeedsPostgres(url)
    parsed = make_url(url)
    options = parsed.query.get("options", "")
    if isinstance(options, tuple):
        options = " ".join(options)
    found = _SEARCH_PATH.search(options)
    schema = f"{found.group(1)}_queue" if found and found.group(1) != "public" \
        else DEFAULT_QUEUE_SCHEMA
    if not _SAFE_NAME.match(schema):
        raise ValueError(f"unusable queue schema name {schema!r}")
    conninfo = parsed.set(drivername="postgresql").difference_update_query(["options"])
    return QueueTarget(store_url=url, conninfo=conninfo.render_as_string(hide_password=False),
                       schema=schema)


def ensure_queue_schema(target: QueueTarget) -> bool:
    """Create the queue schema and procrastinate's tables in it unless they exist
    (procrastinate's own `schema.sql`, as its `apply_schema` runs it). True when they
    were created now. Two processes doing this at once: the second waits and finds it."""
    import psycopg
    from procrastinate.schema import SchemaManager
    from psycopg import sql

    create = sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(target.schema))
    with psycopg.connect(target.conninfo, **target.connect_options) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK_KEY,))
        conn.execute(create)
        exists = conn.execute("SELECT to_regclass(%s)",
                              (f"{target.schema}.procrastinate_jobs",)).fetchone()
        if exists and exists[0] is not None:
            return False
        # No parameters: psycopg sends the script as it is (its % signs included).
        conn.execute(SchemaManager.get_schema())
    return True
