"""The database as pandas DataFrames, for analysts: `vnplans.open_store()`.

    import vnplans
    store = vnplans.open_store()          # env VNPLANS_DB, else the SQLite default
    store.assignments(province="Bình Định", role="lead", unit="Văn phòng Sở")
    store.occurrences("2023-01-01", "2023-12-31")
    store.sql("SELECT unit, COUNT(*) FROM unit_assignments GROUP BY unit")

The store is opened read-only (as `vnplans query` opens it) and never migrated.
Assignment frames have the columns of `vnplans.frames.ASSIGNMENT_COLUMNS`, the same as
`PlanDocument.to_pandas()`; all filters are bound parameters, never formatted into SQL.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Engine, bindparam, select, text

from vnplans.frames import (
    ASSIGNMENT_COLUMNS,
    COLUMNS_BY_NAME,
    ROLES,
    Column,
    contract_records,
    typed_frame,
)
from vnplans.models import PlanDocument
from vnplans.store.db import create_readonly_engine
from vnplans.store.models import Document, PlanRow, RowUnit, Unit
from vnplans.store.query import DEFAULT_QUERY_TIMEOUT_S, run_read_only_query

if TYPE_CHECKING:
    import pandas as pd

DateLike = date | datetime | str
Several = str | Iterable[str]

DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column("document_id", "int"),
    Column("file_name", "text"),
    Column("path", "text"),
    Column("sha256", "text"),
    Column("extractor_version", "text"),
    Column("schema_version", "int"),
    Column("pages", "int"),
    Column("text_layer", "text"),
    Column("encoding", "text"),
    Column("authority", "text"),
    Column("issuer", "text"),
    Column("issuer_key", "text"),
    Column("province", "text"),
    Column("number", "text"),
    Column("symbol", "text"),
    Column("doc_type", "text"),
    Column("issued_on", "date"),
    Column("year", "int"),
    Column("title", "text"),
    Column("indices", "list", joiner=", "),
    Column("signer_name", "text"),
    Column("signer_position", "text"),
    Column("signer_acting", "text"),
    Column("row_count", "int"),
    Column("warning_count", "int"),
    Column("ingested_at", "raw"),
)
UNIT_COLUMNS: tuple[Column, ...] = (
    Column("unit_id", "text"),
    Column("unit", "text"),
    Column("issuer_key", "text"),
    Column("aliases", "list"),
    Column("lead_rows", "int"),
    Column("support_rows", "int"),
    Column("inspected_rows", "int"),
    Column("documents", "int"),
)
OCCURRENCE_COLUMNS: tuple[Column, ...] = (
    Column("date", "date"),
    Column("event", "category", categories=("deadline", "period_end", "recurring")),
    Column("rrule", "text"),
    COLUMNS_BY_NAME["row_id"],
    COLUMNS_BY_NAME["document_id"],
    COLUMNS_BY_NAME["file_name"],
    COLUMNS_BY_NAME["province"],
    COLUMNS_BY_NAME["plan_year"],
    COLUMNS_BY_NAME["position"],
    COLUMNS_BY_NAME["tt"],
    COLUMNS_BY_NAME["task"],
    COLUMNS_BY_NAME["lead_units"],
    COLUMNS_BY_NAME["support_units"],
    COLUMNS_BY_NAME["deadline"],
    COLUMNS_BY_NAME["schedule_kind"],
    COLUMNS_BY_NAME["index_name"],
)

# Punctuation a printed cell ends or starts with that is no part of the unit's name.
_ALIAS_TRIM = " .,;:-–•"

_documents = Document.__table__
_plan_rows = PlanRow.__table__
_row_units = RowUnit.__table__
_units = Unit.__table__


def open_store(url: str | None = None) -> Store:
    """The database at `url` (None: env VNPLANS_DB, else the SQLite default), read-only."""
    return Store(create_readonly_engine(url))


class Store:
    """A read-only view of the plan database as DataFrames. Use as a context manager,
    or call `close()`, to release its connections."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"

    # --- assignments ------------------------------------------------------------------

    def assignments(self, *, province: Several | None = None, index: Several | None = None,
                    component: Several | None = None, unit: Several | None = None,
                    role: Several | None = None, due_from: DateLike | None = None,
                    due_to: DateLike | None = None, year: int | Iterable[int] | None = None,
                    ) -> pd.DataFrame:
        """One row per assignment, in document and reading order. Every filter takes
        one value or several (any of them matches):

        - `province`, `year` (the plan year), `index` ("PCI", "PAPI", "SIPAS", "PAR INDEX");
        - `component`: an index component's code ("4") or name;
        - `unit`: a canonical unit name ("Văn phòng Sở") or unit id, named in the role(s)
          `role` ("lead", "support", "inspected"; default: any). `role` alone keeps the
          rows that have a unit in that role;
        - `due_from`, `due_to`: the due date, both ends included (rows without one go).
        """
        where, params = _assignment_filters(
            province=province, index=index, component=component, unit=unit, role=role,
            due_from=due_from, due_to=due_to, year=year)
        sql = "SELECT * FROM assignments"
        if where:
            sql += " WHERE " + " AND ".join(f"({w})" for w in where)
        sql += " ORDER BY document_id, position"
        with self.engine.connect() as conn:
            result = conn.execute(_bound(sql, params), params)
            view_columns = list(result.keys())
            records = [dict(zip(view_columns, row, strict=True)) for row in result]
            missing = [c.name for c in ASSIGNMENT_COLUMNS if c.name not in view_columns]
            if missing and records:
                _fill_from_contracts(conn, records, missing)
        extra = [Column(name, "raw") for name in view_columns if name not in COLUMNS_BY_NAME]
        return typed_frame(records, [*ASSIGNMENT_COLUMNS, *extra])

    # --- documents and units ----------------------------------------------------------

    def documents(self) -> pd.DataFrame:
        """One row per stored document (everything but its contract JSON), by id."""
        names = [c.name for c in DOCUMENT_COLUMNS]
        table_columns = [(_documents.c.id if n == "document_id" else _documents.c[n]) for n in names]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*table_columns).order_by(_documents.c.id)).all()
        frame = typed_frame([dict(zip(names, row, strict=True)) for row in rows], DOCUMENT_COLUMNS)
        import pandas as pd

        frame["ingested_at"] = pd.to_datetime(frame["ingested_at"], utc=True)
        return frame

    def units(self) -> pd.DataFrame:
        """One row per canonical unit of the registry, by id: its name and issuing body,
        the printed cells seen naming it and no other unit (`aliases`, first seen
        first), and how many rows it leads, supports or is inspected in, in how many
        documents."""
        with self.engine.connect() as conn:
            registry = conn.execute(select(_units.c.id, _units.c.name, _units.c.issuer_key)
                                    .order_by(_units.c.id)).all()
            links = conn.execute(
                # every plan_rows column: the printed cell of each role (lead, support,
                # and any a later revision stores) is looked up by the role's name
                select(_row_units.c.unit_id, _row_units.c.role, _row_units.c.row_id, _plan_rows)
                .join(_plan_rows, _plan_rows.c.id == _row_units.c.row_id)
                .order_by(_plan_rows.c.document_id, _plan_rows.c.position,
                          _row_units.c.role, _row_units.c.position)).mappings().all()
        per_cell: dict[tuple[int, str], int] = defaultdict(int)
        for link in links:
            per_cell[(link["row_id"], link["role"])] += 1
        counts: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        aliases: dict[str, dict[str, None]] = defaultdict(dict)
        for link in links:
            uid, role = link["unit_id"], link["role"]
            counts[uid][role].add(link["row_id"])
            counts[uid]["documents"].add(link["document_id"])
            cell = link.get(role)   # the printed cell of that role, when the store keeps it
            if per_cell[(link["row_id"], role)] == 1 and isinstance(cell, str) and cell.strip():
                alias = " ".join(cell.split()).strip(_ALIAS_TRIM)
                if alias:
                    aliases[uid][alias] = None
        records = [{"unit_id": uid, "unit": name, "issuer_key": key,
                    "aliases": list(aliases[uid]),
                    **{f"{role}_rows": len(counts[uid][role]) for role in ROLES},
                    "documents": len(counts[uid]["documents"])}
                   for uid, name, key in registry]
        return typed_frame(records, UNIT_COLUMNS)

    # --- dates ------------------------------------------------------------------------

    def occurrences(self, start: DateLike, end: DateLike) -> pd.DataFrame:
        """Every dated occurrence of every schedule from `start` to `end` (both included),
        by date: deadlines, period ends, and each day a recurring duty's RRULE names —
        the events `vnplans calendar` writes (`vnplans.normalize.schedule_events`),
        expanded as a calendar program expands them."""
        from vnplans.normalize.schedule_events import occurrence_dates, row_events

        first, last = _as_date(start), _as_date(end)
        if last < first:
            raise ValueError(f"occurrences: end {last} is before start {first}")
        records = []
        with self.engine.connect() as conn:
            row_ids = {(d, p): r for r, d, p in conn.execute(
                select(_plan_rows.c.id, _plan_rows.c.document_id, _plan_rows.c.position))}
            stored = conn.execute(select(_documents.c.id, _documents.c.contract_json)
                                  .order_by(_documents.c.id)).all()
        for document_id, contract_json in stored:
            doc = PlanDocument.model_validate_json(contract_json)
            info = doc.document
            for position, row in enumerate(doc.rows):
                dated = row_events(row, info.year)
                for event in dated.events:
                    for day in occurrence_dates(event, first, last):
                        records.append({
                            "date": day, "event": event.kind, "rrule": event.rrule,
                            "row_id": row_ids.get((document_id, position)),
                            "document_id": document_id, "file_name": doc.source.file,
                            "province": info.province, "plan_year": info.year,
                            "position": position, "tt": row.tt, "task": row.task,
                            "lead_units": row.lead_units, "support_units": row.support_units,
                            "deadline": row.deadline, "schedule_kind": row.schedule.kind,
                            "index_name": row.index})
        records.sort(key=lambda r: (r["date"], r["document_id"], r["position"], r["event"]))
        return typed_frame(records, OCCURRENCE_COLUMNS)

    # --- any query --------------------------------------------------------------------

    def sql(self, query: str, *, timeout_s: float = DEFAULT_QUERY_TIMEOUT_S) -> pd.DataFrame:
        """The result of one read-only SQL statement, as `vnplans query` runs it (the
        same guard and time limit: a write, a server-file or admin function, or more
        than one statement, raises an error). Values come as the database gives them
        (SQLite: dates as ISO text)."""
        import pandas as pd

        columns, rows = run_read_only_query(self.engine, query, timeout_s=timeout_s)
        return pd.DataFrame.from_records(rows, columns=columns)


# --- helpers -----------------------------------------------------------------------------

def _several(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, str | int | date):
        return [value]
    return list(value)


def _as_date(value: DateLike) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "date") and callable(value.date):   # pandas Timestamp
        return value.date()
    return date.fromisoformat(str(value))


def _assignment_filters(**given: Any) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}

    def any_of(column: str, name: str, values: list) -> None:
        if values:
            where.append(f"{column} IN :{name}")
            params[name] = values

    any_of("province", "province", _several(given["province"]))
    any_of("index_name", "index", _several(given["index"]))
    any_of("plan_year", "year", [int(y) for y in _several(given["year"])])
    components = [str(c) for c in _several(given["component"])]
    if components:
        where.append("index_component_code IN :component OR index_component_name IN :component")
        params["component"] = components
    roles = _several(given["role"])
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {unknown[0]!r}")
    units = _several(given["unit"])
    if units or roles:
        inner = ["1 = 1"]
        if units:
            inner.append("(u.name IN :unit OR u.id IN :unit)")
            params["unit"] = units
        if roles:
            inner.append("ru.role IN :role")
            params["role"] = roles
        where.append("row_id IN (SELECT ru.row_id FROM row_units ru "
                     "JOIN units u ON u.id = ru.unit_id WHERE " + " AND ".join(inner) + ")")
    if given["due_from"] is not None:
        where.append("due >= :due_from")
        params["due_from"] = _as_date(given["due_from"])
    if given["due_to"] is not None:
        where.append("due <= :due_to")
        params["due_to"] = _as_date(given["due_to"])
    return where, params


def _bound(sql: str, params: dict[str, Any]):  # noqa: ANN202
    """The statement with its parameters bound: lists expanded, dates typed (SQLite
    keeps dates as ISO text, PostgreSQL as DATE)."""
    binds = []
    for name, value in params.items():
        if isinstance(value, list):
            binds.append(bindparam(name, expanding=True))
        elif isinstance(value, date):
            binds.append(bindparam(name, type_=Date))
    return text(sql).bindparams(*binds)


def _fill_from_contracts(conn, records: list[dict], names: list[str]) -> None:  # noqa: ANN001
    """Columns the `assignments` view does not have yet, from the stored contract JSON
    of the records' documents (row by reading position)."""
    wanted = sorted({r["document_id"] for r in records})
    found: dict[int, list[dict]] = {}
    for document_id, contract_json in conn.execute(
            select(_documents.c.id, _documents.c.contract_json)
            .where(_documents.c.id.in_(wanted))):
        found[document_id] = contract_records(json.loads(contract_json))
    for record in records:
        rows = found.get(record["document_id"]) or []
        position = record["position"]
        source = rows[position] if 0 <= position < len(rows) else {}
        for name in names:
            record[name] = source.get(name, COLUMNS_BY_NAME[name].default)
