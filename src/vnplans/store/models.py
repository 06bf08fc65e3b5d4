"""The database schema as SQLAlchemy 2 models.

One `documents` row per distinct PDF content (sha256), with the full contract JSON so
exports give back exactly what `vnplans extract` printed; its sections, rows,
schedules, unit links and warnings hang off it and are deleted with it (ON DELETE
CASCADE). `units` is the registry of canonical units per issuing body, shared across
documents. `ingestion_runs` and `failed_files` record what each `vnplans ingest` did.
`stored_originals` keeps the bytes of files sent with `vnplans enqueue --upload`, once
per content hash, for queue workers that do not see the original folder.

Changing this module means adding an Alembic revision under `migrations/versions/`.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let later SQLite batch migrations find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Text read from PDFs (numbers, TT cells, unit names …) is stored as unbounded TEXT:
# a garbled cell must never make PostgreSQL refuse a whole document.
class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


_CASCADE = {"ondelete": "CASCADE"}


class IngestionRun(Base):
    __tablename__ = "ingestion_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # running → ok | partial (some files failed) | failed | interrupted (process died)
    status: Mapped[str] = mapped_column(String(16), default="running")
    extractor_version: Mapped[str] = mapped_column(String(32))
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    jobs: Mapped[int] = mapped_column(Integer, default=1)
    paths: Mapped[str | None] = mapped_column(Text)
    files_seen: Mapped[int] = mapped_column(Integer, default=0)
    documents_added: Mapped[int] = mapped_column(Integer, default=0)
    documents_replaced: Mapped[int] = mapped_column(Integer, default=0)
    documents_skipped: Mapped[int] = mapped_column(Integer, default=0)
    files_failed: Mapped[int] = mapped_column(Integer, default=0)
    # Files that failed permanently before, unchanged since: not tried again.
    files_not_retried: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rows_loaded: Mapped[int] = mapped_column(Integer, default=0)
    warnings_loaded: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float | None] = mapped_column(Float)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)  # where it was last seen
    extractor_version: Mapped[str | None] = mapped_column(String(32))
    schema_version: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    text_layer: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str] = mapped_column(String(16))
    authority: Mapped[str | None] = mapped_column(Text)
    issuer: Mapped[str | None] = mapped_column(Text)
    issuer_key: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(Text)
    number: Mapped[str | None] = mapped_column(Text)
    symbol: Mapped[str | None] = mapped_column(Text)
    doc_type: Mapped[str | None] = mapped_column(Text)
    issued_on: Mapped[date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    indices: Mapped[str | None] = mapped_column(Text)  # "PCI, PAPI" in contract order
    signer_name: Mapped[str | None] = mapped_column(Text)
    signer_position: Mapped[str | None] = mapped_column(Text)
    signer_acting: Mapped[str | None] = mapped_column(String(8))
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    warning_count: Mapped[int] = mapped_column(Integer, default=0)
    contract_json: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingestion_runs.id", ondelete="SET NULL"))


class DocumentPath(Base):
    """Every path a document's content was seen at (renames and copies included)."""

    __tablename__ = "document_paths"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", **_CASCADE), index=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Section(Base):
    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", **_CASCADE), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", **_CASCADE))
    position: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer)
    tt: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    path_text: Mapped[str] = mapped_column(Text)  # "IV. CHỈ SỐ … > 1. Công tác …"


class DocumentTable(Base):
    """A table of the document that rows were read from (contract `tables[]`, v2)."""

    __tablename__ = "document_tables"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", **_CASCADE))
    number: Mapped[int] = mapped_column(Integer)  # `plan_rows.table_number` refers to it
    title: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # plan | inspection
    pages: Mapped[str | None] = mapped_column(Text)  # "4, 5"


class TableColumnRow(Base):
    """A printed column of a table and the field it fills (NULL: `row_extras`)."""

    __tablename__ = "table_columns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("document_tables.id", **_CASCADE),
                                          index=True)
    position: Mapped[int] = mapped_column(Integer)
    header: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(String(16))


class PlanRow(Base):
    __tablename__ = "plan_rows"
    __table_args__ = (UniqueConstraint("document_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", **_CASCADE))
    position: Mapped[int] = mapped_column(Integer)  # 0-based reading order in the document
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    section_path: Mapped[str | None] = mapped_column(Text)
    tt: Mapped[str | None] = mapped_column(Text)
    task: Mapped[str | None] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    support: Mapped[str | None] = mapped_column(Text)
    lead_units: Mapped[str | None] = mapped_column(Text)  # canonical names joined by "; "
    support_units: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[str | None] = mapped_column(Text)
    index_name: Mapped[str | None] = mapped_column(String(16))
    index_component_code: Mapped[str | None] = mapped_column(Text)
    index_component_name: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[str | None] = mapped_column(Text)  # "5, 6"
    first_page: Mapped[int | None] = mapped_column(Integer)
    last_page: Mapped[int | None] = mapped_column(Integer)
    # Contract version 2 (NULL in rows stored before revision 0003, table_number 1).
    table_number: Mapped[int | None] = mapped_column(Integer)
    inspected: Mapped[str | None] = mapped_column(Text)
    inspected_units: Mapped[str | None] = mapped_column(Text)  # joined by "; "
    duration: Mapped[str | None] = mapped_column(Text)
    duration_days: Mapped[int | None] = mapped_column(Integer)
    merged: Mapped[str | None] = mapped_column(Text)  # "lead, support"
    confidence: Mapped[float | None] = mapped_column(Float)
    extra_json: Mapped[str | None] = mapped_column(Text)  # `Row.extra` as a JSON object


class RowExtra(Base):
    """One printed column of a row that fills no contract field ("Ghi chú", "Kinh phí")."""

    __tablename__ = "row_extras"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_rows.id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    header: Mapped[str] = mapped_column(Text, index=True)
    value: Mapped[str] = mapped_column(Text)


class Schedule(Base):
    __tablename__ = "schedules"

    row_id: Mapped[int] = mapped_column(ForeignKey("plan_rows.id", **_CASCADE), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    due: Mapped[date | None] = mapped_column(Date, index=True)
    confidence: Mapped[float] = mapped_column(Float)
    detail: Mapped[str | None] = mapped_column(Text)
    frequencies: Mapped[str | None] = mapped_column(Text)  # "quarterly, annual"


class SchedulePeriod(Base):
    __tablename__ = "schedule_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("schedules.row_id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)


class ScheduleFrequency(Base):
    __tablename__ = "schedule_frequencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("schedules.row_id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(16))


class ScheduleMilestone(Base):
    __tablename__ = "schedule_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("schedules.row_id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date, index=True)


class ScheduleTime(Base):
    __tablename__ = "schedule_times"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("schedules.row_id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)


class ScheduleRrule(Base):
    __tablename__ = "schedule_rrules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("schedules.row_id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    rrule: Mapped[str] = mapped_column(Text)


class Unit(Base):
    """A canonical unit of one issuing body (`Văn phòng Sở` of SYT Bình Định ≠ of STC)."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    issuer_key: Mapped[str | None] = mapped_column(Text, index=True)
    name: Mapped[str] = mapped_column(Text)


class RowUnit(Base):
    __tablename__ = "row_units"
    __table_args__ = (
        UniqueConstraint("row_id", "role", "position"),
        Index("ix_row_units_unit_role", "unit_id", "role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_rows.id", **_CASCADE))
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(16))  # lead | support | inspected
    position: Mapped[int] = mapped_column(Integer)


class DocumentWarning(Base):
    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", **_CASCADE), index=True)
    position: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)


class FailedFile(Base):
    """A file the last attempts could not load. Retried by every run until it loads,
    unless `permanent`: a verdict on its content (no plan table, not a PDF …), not tried
    again while its sha256 and the extractor version stay the same."""

    __tablename__ = "failed_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(Text, unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(Text)
    permanent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    extractor_version: Mapped[str | None] = mapped_column(String(32))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingestion_runs.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    first_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StoredOriginal(Base):
    """An original file's bytes, content-addressed: stored once per sha256, whatever
    its name or how often it is queued. Not tied to `documents` (a file is stored
    before it is extracted, and stays when extraction fails)."""

    __tablename__ = "stored_originals"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(Text)  # extraction names the document after it
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
