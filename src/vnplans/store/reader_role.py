"""A least-privilege PostgreSQL role for analysts: it can read the analyst views and
nothing else vnplans stores.

`vnplans query` refuses statements that are not plain reads, but the server's own
permissions are the real boundary: a role that is not a superuser cannot read server
files, run programs through COPY, or signal other sessions, whatever SQL reaches the
server. `create_reader_role` makes (or brings back to least privilege) such a role:
USAGE on the database's schema, SELECT on the views below, no rights on the base
tables, read-only transactions and a statement time limit as its defaults.
"""

from __future__ import annotations

import re

from vnplans.errors import StoreError
from vnplans.store.query import DEFAULT_QUERY_TIMEOUT_S

# The views of migration 0002 (docs/store.md); a test checks they are all the views.
ANALYST_VIEWS = ("assignments", "unit_assignments", "upcoming_deadlines")
# A plain SQL identifier; anything else is refused rather than quoted into existence.
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")


def create_reader_role(url: str | None, name: str, *, login: bool = False) -> str:
    """Create or update role `name` on the PostgreSQL database at `url` (migrated to the
    current schema first); returns the schema it was given access to."""
    from psycopg import sql

    from vnplans.store.db import create_db_engine, is_sqlite, resolve_url

    url = resolve_url(url)
    if is_sqlite(url):
        raise StoreError("reader roles are a PostgreSQL feature; a SQLite database is "
                         "protected by its file's permissions")
    if not ROLE_NAME.fullmatch(name):
        raise StoreError(f"role name {name!r} must be letters, digits and '_' "
                         "(not starting with a digit, at most 63)")
    engine = create_db_engine(url)
    try:
        with engine.begin() as conn:
            me, schema = conn.exec_driver_sql("SELECT current_user, current_schema()").one()
            if schema is None:
                raise StoreError("the connection has no schema (check search_path)")
            _refuse_privileged(conn, name, me)
            role, where = sql.Identifier(name), sql.Identifier(schema)
            exists = conn.exec_driver_sql(
                "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = %(name)s",
                {"name": name}).scalar() is not None
            attributes = sql.SQL("{} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                                 "NOBYPASSRLS").format(sql.SQL("LOGIN" if login else "NOLOGIN"))
            timeout = sql.Literal(f"{DEFAULT_QUERY_TIMEOUT_S:g}s")
            views = sql.SQL(", ").join(sql.Identifier(schema, view) for view in ANALYST_VIEWS)
            statements = [
                sql.SQL("ALTER ROLE {} WITH {}" if exists else "CREATE ROLE {} WITH {}")
                .format(role, attributes),
                sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role),
                sql.SQL("ALTER ROLE {} SET statement_timeout = {}").format(role, timeout),
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(where, role),
                sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(where, role),
                sql.SQL("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {} FROM {}").format(where, role),
                sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(where, role),
                sql.SQL("GRANT SELECT ON {} TO {}").format(views, role),
            ]
            driver = conn.connection.driver_connection
            for statement in statements:
                conn.exec_driver_sql(statement.as_string(driver))
    except StoreError:
        raise
    except Exception as exc:  # noqa: BLE001 - permissions, server gone …
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise StoreError(f"cannot set up role {name}: {reason}") from exc
    finally:
        engine.dispose()
    return schema


def _refuse_privileged(conn, name: str, me: str) -> None:  # noqa: ANN001
    """Never turn an administrator (or ourselves) into a reader, nor call a role that
    inherits other roles' rights a least-privilege one."""
    if name == me:
        raise StoreError(f"role {name} is the role this command connects as")
    row = conn.exec_driver_sql(
        "SELECT r.rolsuper, array_remove(array_agg(g.rolname ORDER BY g.rolname), NULL) "
        "FROM pg_catalog.pg_roles r "
        "LEFT JOIN pg_catalog.pg_auth_members m ON m.member = r.oid "
        "LEFT JOIN pg_catalog.pg_roles g ON g.oid = m.roleid "
        "WHERE r.rolname = %(name)s GROUP BY r.rolsuper", {"name": name}).first()
    if row is None:
        return
    superuser, groups = row
    if superuser:
        raise StoreError(f"role {name} is a superuser; choose another name")
    if groups:
        raise StoreError(f"role {name} is a member of {', '.join(groups)} and would keep "
                         "their rights; choose another name")
