"""Writing one extracted document into the database, whole or not at all.

`save_document` runs inside the caller's transaction: it replaces every row, section,
schedule, unit link and warning of the document it finds (by content hash, else by the
path the file was seen at) and inserts the new ones. A failure rolls the transaction
back and leaves the old version in place; a reader never sees half a document.
All values travel as bound parameters, never formatted into SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from vnplans.frames import section_label
from vnplans.fsnames import from_stored
from vnplans.models import PlanDocument, Row
from vnplans.store.models import (
    Document,
    DocumentPath,
    DocumentTable,
    DocumentWarning,
    PlanRow,
    RowExtra,
    RowUnit,
    Schedule,
    ScheduleFrequency,
    ScheduleMilestone,
    SchedulePeriod,
    ScheduleRrule,
    ScheduleTime,
    Section,
    TableColumnRow,
    Unit,
)
from vnplans.store.units import issuer_key, unit_identity

if TYPE_CHECKING:  # pydantic's models load only when a document is stored, not to skip one
    from vnplans.models import PlanDocument, Row

LIST_SEPARATOR = "; "

documents = Document.__table__
document_paths = DocumentPath.__table__
sections = Section.__table__
plan_rows = PlanRow.__table__
schedules = Schedule.__table__
schedule_periods = SchedulePeriod.__table__
schedule_frequencies = ScheduleFrequency.__table__
schedule_rrules = ScheduleRrule.__table__
schedule_milestones = ScheduleMilestone.__table__
schedule_times = ScheduleTime.__table__
document_tables = DocumentTable.__table__
table_columns = TableColumnRow.__table__
row_extras = RowExtra.__table__
units = Unit.__table__
row_units = RowUnit.__table__
warnings_table = DocumentWarning.__table__


@dataclass(frozen=True)
class StoredDocument:
    id: int
    sha256: str
    extractor_version: str | None


def now_utc() -> datetime:
    return datetime.now(UTC)


def find_by_sha(conn: Connection, sha256: str) -> StoredDocument | None:
    found = conn.execute(
        select(documents.c.id, documents.c.sha256, documents.c.extractor_version)
        .where(documents.c.sha256 == sha256)
    ).first()
    return StoredDocument(*found) if found else None


def find_many_by_sha(conn: Connection, shas: list[str]) -> dict[str, StoredDocument]:
    """The stored documents among `shas`, by sha256 (one query)."""
    found = conn.execute(
        select(documents.c.id, documents.c.sha256, documents.c.extractor_version)
        .where(documents.c.sha256.in_(set(shas)))
    ).all()
    return {row.sha256: StoredDocument(*row) for row in found}


def find_by_path(conn: Connection, path: str) -> int | None:
    return conn.execute(
        select(document_paths.c.document_id).where(document_paths.c.path == path)
    ).scalar()


def remember_path(conn: Connection, document_id: int, path: str, seen_at: datetime) -> None:
    """Record that the document's content was seen at `path` (a rename, move or copy)."""
    updated = conn.execute(
        update(document_paths).where(document_paths.c.path == path)
        .values(document_id=document_id, last_seen_at=seen_at)
    ).rowcount
    if not updated:
        conn.execute(insert(document_paths).values(document_id=document_id, path=path,
                                                   last_seen_at=seen_at))
    conn.execute(update(documents).where(documents.c.id == document_id).values(path=path))


def remember_paths(conn: Connection, seen: list[tuple[int, str]], seen_at: datetime) -> None:
    """`remember_path` for many (document id, path) pairs, in a few statements; a later
    pair wins, as calling `remember_path` in that order would."""
    latest = dict((path, document_id) for document_id, path in seen)
    known = set(conn.execute(select(document_paths.c.path)
                             .where(document_paths.c.path.in_(list(latest)))).scalars())
    moved = [{"p": path, "d": document_id} for path, document_id in latest.items()
             if path in known]
    if moved:
        conn.execute(update(document_paths).where(document_paths.c.path == bindparam("p"))
                     .values(document_id=bindparam("d"), last_seen_at=seen_at), moved)
    new = [{"document_id": document_id, "path": path, "last_seen_at": seen_at}
           for path, document_id in latest.items() if path not in known]
    if new:
        conn.execute(insert(document_paths), new)
    last_path = dict(seen)  # document id → the last path it was seen at
    conn.execute(update(documents).where(documents.c.id == bindparam("d"))
                 .values(path=bindparam("p")),
                 [{"d": document_id, "p": path} for document_id, path in last_path.items()])


def _replaceable_at(conn: Connection, path: str) -> int | None:
    """The document a changed file at `path` replaces: the one stored for that path,
    unless a copy elsewhere still holds that version (then the changed file becomes a
    document of its own; replacing would flip between the two on every run). Paths the
    content was only renamed away from no longer exist and do not count."""
    document_id = find_by_path(conn, path)
    if document_id is None:
        return None
    others = conn.execute(
        select(document_paths.c.path).where(document_paths.c.document_id == document_id,
                                            document_paths.c.path != path)
    ).scalars()
    return None if any(Path(from_stored(other)).is_file() for other in others) else document_id


def save_document(conn: Connection, doc: PlanDocument, *, path: str, sha256: str,
                  run_id: int | None = None) -> tuple[int, Literal["added", "replaced"]]:
    """Insert or replace one document (call inside a transaction). Returns its id and
    whether it was new. The id of a replaced document stays the same. `path` is the
    file's exact name in stored form (`vnplans.fsnames.stored`), its identity."""
    now = now_utc()
    existing = find_by_sha(conn, sha256)
    document_id = existing.id if existing else _replaceable_at(conn, path)
    values = _document_values(doc, path=path, sha256=sha256, run_id=run_id, now=now)
    if document_id is None:
        document_id = conn.execute(insert(documents).values(**values)
                                   .returning(documents.c.id)).scalar_one()
        outcome: Literal["added", "replaced"] = "added"
    else:
        # Rows first: their schedules, extras and unit links go with them (ON DELETE
        # CASCADE); tables take their columns.
        conn.execute(delete(plan_rows).where(plan_rows.c.document_id == document_id))
        conn.execute(delete(document_tables).where(document_tables.c.document_id == document_id))
        conn.execute(delete(sections).where(sections.c.document_id == document_id))
        conn.execute(delete(warnings_table).where(warnings_table.c.document_id == document_id))
        conn.execute(update(documents).where(documents.c.id == document_id).values(**values))
        outcome = "replaced"
    remember_path(conn, document_id, path, now)
    _insert_children(conn, document_id, doc)
    return document_id, outcome


def _document_values(doc: PlanDocument, *, path: str, sha256: str, run_id: int | None,
                     now: datetime) -> dict:
    info = doc.document
    return {
        "sha256": sha256,
        "file_name": doc.source.file,
        "path": path,
        "extractor_version": doc.source.extractor_version,
        "schema_version": doc.schema_version,
        "pages": doc.source.pages,
        "text_layer": doc.source.text_layer,
        "encoding": doc.source.encoding,
        "authority": info.authority,
        "issuer": info.issuer,
        "issuer_key": issuer_key(info),
        "province": info.province,
        "number": info.number,
        "symbol": info.symbol,
        "doc_type": info.doc_type,
        "issued_on": info.issued_on,
        "year": info.year,
        "title": info.title,
        "indices": ", ".join(info.indices) or None,
        "signer_name": info.signer.name,
        "signer_position": info.signer.position,
        "signer_acting": info.signer.acting,
        "row_count": len(doc.rows),
        "warning_count": len(doc.warnings),
        "contract_json": doc.model_dump_json(),
        "ingested_at": now,
        "run_id": run_id,
    }


def _insert_sections(conn: Connection, document_id: int,
                     rows: list[Row]) -> dict[tuple, int]:
    """Each distinct section path prefix once, parents before children."""
    ids: dict[tuple, int] = {}
    position = 0
    for row in rows:
        for depth in range(1, len(row.section) + 1):
            key = tuple((ref.tt, ref.title) for ref in row.section[:depth])
            if key in ids:
                continue
            ref = row.section[depth - 1]
            ids[key] = conn.execute(insert(sections).values(
                document_id=document_id, parent_id=ids.get(key[:-1]), position=position,
                depth=depth, tt=ref.tt, title=ref.title,
                path_text=" > ".join(section_label(r) for r in row.section[:depth]),
            ).returning(sections.c.id)).scalar_one()
            position += 1
    return ids


def _insert_tables(conn: Connection, document_id: int, doc: PlanDocument) -> None:
    columns = []
    for table in doc.tables:
        table_id = conn.execute(insert(document_tables).values(
            document_id=document_id, number=table.number, title=table.title, kind=table.kind,
            pages=", ".join(str(p) for p in table.pages) or None,
        ).returning(document_tables.c.id)).scalar_one()
        columns += [{"table_id": table_id, "position": i, "header": c.header, "role": c.role}
                    for i, c in enumerate(table.columns)]
    if columns:
        conn.execute(insert(table_columns), columns)


def _insert_children(conn: Connection, document_id: int, doc: PlanDocument) -> None:
    _insert_tables(conn, document_id, doc)
    section_ids = _insert_sections(conn, document_id, doc.rows)
    if doc.warnings:
        conn.execute(insert(warnings_table), [
            {"document_id": document_id, "position": i, "message": message}
            for i, message in enumerate(doc.warnings)
        ])
    if not doc.rows:
        return
    row_values = []
    for position, row in enumerate(doc.rows):
        section_key = tuple((ref.tt, ref.title) for ref in row.section)
        component = row.index_component
        row_values.append({
            "document_id": document_id,
            "position": position,
            "section_id": section_ids.get(section_key),
            "section_path": " > ".join(section_label(r) for r in row.section) or None,
            "tt": row.tt,
            "task": row.task,
            "lead": row.lead,
            "support": row.support,
            "lead_units": LIST_SEPARATOR.join(row.lead_units) or None,
            "support_units": LIST_SEPARATOR.join(row.support_units) or None,
            "outcome": row.outcome,
            "deadline": row.deadline,
            "index_name": row.index,
            "index_component_code": component.code if component else None,
            "index_component_name": component.name if component else None,
            "pages": ", ".join(str(p) for p in row.pages) or None,
            "first_page": min(row.pages) if row.pages else None,
            "last_page": max(row.pages) if row.pages else None,
            "table_number": row.table,
            "inspected": row.inspected,
            "inspected_units": LIST_SEPARATOR.join(row.inspected_units) or None,
            "duration": row.duration,
            "duration_days": row.duration_days,
            "merged": ", ".join(row.merged) or None,
            "confidence": row.confidence,
            "extra_json": json.dumps(row.extra, ensure_ascii=False) if row.extra else None,
        })
    row_ids = conn.execute(
        insert(plan_rows).returning(plan_rows.c.id, sort_by_parameter_order=True), row_values
    ).scalars().all()

    schedule_values, periods, frequencies, rrules = [], [], [], []
    milestones, times, extras = [], [], []
    for row_id, row in zip(row_ids, doc.rows, strict=True):
        s = row.schedule
        schedule_values.append({
            "row_id": row_id, "kind": s.kind, "due": s.due, "confidence": s.confidence,
            "detail": s.detail, "frequencies": ", ".join(s.frequencies) or None,
        })
        periods += [{"row_id": row_id, "position": i, "start_date": p.start, "end_date": p.end}
                    for i, p in enumerate(s.periods)]
        frequencies += [{"row_id": row_id, "position": i, "frequency": f}
                        for i, f in enumerate(s.frequencies)]
        rrules += [{"row_id": row_id, "position": i, "rrule": r} for i, r in enumerate(s.rrules)]
        milestones += [{"row_id": row_id, "position": i, "due": d}
                       for i, d in enumerate(s.milestones)]
        times += [{"row_id": row_id, "position": i, "start_time": t.start, "end_time": t.end}
                  for i, t in enumerate(s.times)]
        extras += [{"row_id": row_id, "position": i, "header": header, "value": value}
                   for i, (header, value) in enumerate(row.extra.items())]
    conn.execute(insert(schedules), schedule_values)
    for table, values in ((schedule_periods, periods), (schedule_frequencies, frequencies),
                          (schedule_rrules, rrules), (schedule_milestones, milestones),
                          (schedule_times, times), (row_extras, extras)):
        if values:
            conn.execute(insert(table), values)
    _insert_unit_links(conn, doc, row_ids)


def _insert_unit_links(conn: Connection, doc: PlanDocument, row_ids: list[int]) -> None:
    key = issuer_key(doc.document)
    names: dict[str, str] = {}  # unit id → canonical name
    printed: dict[str, str] = {}  # unit id → its name as a text layer spells it
    links = []
    for row_id, row in zip(row_ids, doc.rows, strict=True):
        for role, unit_names in (("lead", row.lead_units), ("support", row.support_units),
                                 ("inspected", row.inspected_units)):
            for position, name in enumerate(unit_names):
                uid = unit_identity(name, key)
                names.setdefault(uid, name)
                if row.confidence is None:  # (OCR'd rows carry a confidence)
                    printed.setdefault(uid, name)
                links.append({"row_id": row_id, "unit_id": uid, "role": role,
                              "position": position})
    if not links:
        return
    names.update(printed)
    stored_names = dict(conn.execute(select(units.c.id, units.c.name)
                                     .where(units.c.id.in_(list(names)))).all())
    missing = [{"id": uid, "issuer_key": key, "name": name}
               for uid, name in names.items() if uid not in stored_names]
    if missing:
        # Queue workers store documents at the same time: another one may insert the
        # same unit between our look-up and this insert; it is the same row.
        conn.execute(_insert_or_skip(conn, units), missing)
    # A unit's id ignores tone marks and case, so a scan's misreading ("Phòng Chuyên
    # đối Số") is the same unit as the printed name: a name only scans have given
    # yet gives way to the one a text layer prints (a printed name stays).
    for uid, name in printed.items():
        if stored_names.get(uid, name) != name and not _printed_elsewhere(conn, uid):
            conn.execute(update(units).where(units.c.id == uid).values(name=name))
    conn.execute(insert(row_units), links)


def _printed_elsewhere(conn: Connection, unit_id: str) -> bool:
    """Does a stored row read from a text layer (no OCR confidence) name the unit?"""
    return conn.execute(
        select(row_units.c.id).join(plan_rows, plan_rows.c.id == row_units.c.row_id)
        .where(row_units.c.unit_id == unit_id, plan_rows.c.confidence.is_(None)).limit(1)
    ).first() is not None


def _insert_or_skip(conn: Connection, table):  # noqa: ANN001, ANN202
    """INSERT … ON CONFLICT DO NOTHING on the table's primary key."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table).on_conflict_do_nothing()
