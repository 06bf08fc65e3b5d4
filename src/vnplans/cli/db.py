"""`vnplans db …`: looking after the database itself.

`vnplans db create-reader-role NAME` (PostgreSQL) makes a role that can read the
analyst views and nothing else (vnplans.store.reader_role).
"""

from __future__ import annotations

import argparse
import sys

from vnplans.cli.ingest import DB_HELP


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help="database administration (reader role)",
                       description="Look after the database itself.")
    actions = p.add_subparsers(dest="db_command", metavar="ACTION",
                               parser_class=type(p))
    actions.required = True
    role = actions.add_parser(
        "create-reader-role", help="PostgreSQL: a role that can only read the analyst views",
        description="Create (or bring back to least privilege) a PostgreSQL role with USAGE "
        "on the database's schema and SELECT on the analyst views only (assignments, "
        "unit_assignments, upcoming_deadlines): no base tables, read-only transactions and "
        "a statement time limit by default. Run it as the database's owner; give analysts "
        "this role (or, with --login, its password: ALTER ROLE NAME PASSWORD …).")
    role.add_argument("name", metavar="NAME", help="role name (letters, digits, '_')")
    role.add_argument("--db", metavar="URL", help=DB_HELP)
    role.add_argument("--login", action="store_true",
                      help="a LOGIN role analysts connect as (default: NOLOGIN, a group "
                      "role to GRANT to their own login roles)")
    role.set_defaults(func=run_create_reader_role)


def run_create_reader_role(args: argparse.Namespace) -> int:
    from vnplans.errors import StoreError
    from vnplans.store.reader_role import ANALYST_VIEWS, create_reader_role

    try:
        schema = create_reader_role(args.db, args.name, login=args.login)
    except StoreError as exc:
        print(f"vnplans db: {exc}", file=sys.stderr)
        return 1
    kind = "LOGIN" if args.login else "NOLOGIN"
    print(f"role {args.name} ({kind}) can read {', '.join(ANALYST_VIEWS)} in schema {schema}, "
          "and nothing else vnplans stores")
    return 0
