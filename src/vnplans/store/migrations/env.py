"""Alembic environment: always run programmatically by `vnplans.store.db.upgrade`,
which passes an open connection (inside its transaction) in `config.attributes`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from vnplans.store.db import ensure_schema
from vnplans.store.models import Base

# Any constant works: it only has to be the same in every process that migrates.
_MIGRATION_LOCK_KEY = 0x766E706C616E73  # "vnplans"

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("vnplans migrations run through vnplans.store.db.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":
        # Two processes opening a fresh database at once: the second waits here and
        # then finds the schema already at head.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
        ensure_schema(connection)  # the schema the URL names, before Alembic's own table
    context.run_migrations()
