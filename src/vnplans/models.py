"""The plan document contract (schema_version 2; documents of version 1 still read).

These pydantic models are the source of truth for the JSON that `vnplans extract`
prints and that the store keeps; `schemas/plan-document.schema.json` is generated
from them (`python -m vnplans.schema --write`). Field names are public interface:
add fields, never rename or remove them.
"""

from __future__ import annotations

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 2

TextLayer = Literal["native", "ocr", "mixed"]
Encoding = Literal["unicode", "tcvn3", "vni"]
ScheduleKind = Literal["deadline", "period", "recurring", "continuous", "event", "unspecified"]
Frequency = Literal["weekly", "monthly", "quarterly", "semiannual", "annual"]
IndexName = Literal["PCI", "PAPI", "SIPAS", "PAR INDEX"]
Acting = Literal["KT.", "TL.", "TM.", "Q."]
# The table fields a column can fill; a column that maps to none goes to `Row.extra`.
Role = Literal["tt", "task", "lead", "support", "inspected", "outcome", "deadline", "duration"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    file: str
    sha256: str
    pages: int
    text_layer: TextLayer = "native"
    encoding: Encoding = "unicode"
    extractor_version: str | None = None


class Signer(_Model):
    name: str | None = None
    position: str | None = None
    acting: Acting | None = None


class DocumentInfo(_Model):
    authority: str | None = None
    issuer: str | None = None
    province: str | None = None
    number: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    issued_on: date | None = None
    year: int | None = None
    title: str | None = None
    indices: list[IndexName] = Field(default_factory=list)
    signer: Signer = Field(default_factory=Signer)


class SectionRef(_Model):
    tt: str | None = None
    title: str


class Period(_Model):
    start: date
    end: date


class TimeSpan(_Model):
    """Extension (v2): a time of day printed with a deadline ("20 giờ 15 phút - 20 giờ 45 phút")."""

    start: time
    end: time | None = None


class Schedule(_Model):
    kind: ScheduleKind = "unspecified"
    due: date | None = None
    periods: list[Period] = Field(default_factory=list)
    frequencies: list[Frequency] = Field(default_factory=list)
    rrules: list[str] = Field(default_factory=list)
    confidence: float = 1.0
    # Extension: notes in parentheses and event wording kept as printed
    # ("trước ngày 15 của tháng cuối quý").
    detail: str | None = None
    # Extension (v2): every milestone of a cell that names several ("Tháng 01/2026;
    # tháng 6/2026"), each its own due date, in printed order; `due` is the last.
    milestones: list[date] = Field(default_factory=list)
    # Extension (v2): times of day printed with the date(s).
    times: list[TimeSpan] = Field(default_factory=list)


class IndexComponent(_Model):
    """Extension: the component of an index a row serves (PCI sub-index, PAPI dimension …)."""

    index: IndexName
    code: str
    name: str


class Row(_Model):
    tt: str | None = None
    section: list[SectionRef] = Field(default_factory=list)
    task: str | None = None
    lead: str | None = None
    lead_units: list[str] = Field(default_factory=list)
    support: str | None = None
    support_units: list[str] = Field(default_factory=list)
    outcome: str | None = None
    deadline: str | None = None
    schedule: Schedule = Field(default_factory=Schedule)
    index: IndexName | None = None
    index_component: IndexComponent | None = None
    pages: list[int] = Field(default_factory=list)
    # Extensions (v2).
    # Which table of the document the row came from (`PlanDocument.tables[].number`).
    table: int = 1
    # Kế hoạch kiểm tra: the unit inspected, as printed and as canonical units.
    inspected: str | None = None
    inspected_units: list[str] = Field(default_factory=list)
    # A duration printed in its own column ("02 ngày"), and in days when it says so.
    duration: str | None = None
    duration_days: int | None = None
    # Roles whose cells one horizontally merged cell covers, the first holding the text
    # (["lead", "support"]); empty when no cell of the row spans columns.
    merged: list[Role] = Field(default_factory=list)
    # Every printed column that maps to no role, by its header text as printed.
    extra: dict[str, str] = Field(default_factory=dict)
    # Rows read by OCR: the lowest word confidence (0-1) of their cells; null when the
    # row's text came from a text layer.
    confidence: float | None = None


class TableColumn(_Model):
    """Extension (v2): one printed column of a table and the field it fills."""

    header: str
    role: Role | None = None  # None: the column's cells go to `Row.extra[header]`


class TableInfo(_Model):
    """Extension (v2): one table of the document that rows were read from."""

    number: int  # 1-based, in reading order; `Row.table` refers to it
    title: str | None = None  # the heading printed above the table, when there is one
    kind: Literal["plan", "inspection"] = "plan"
    pages: list[int] = Field(default_factory=list)
    columns: list[TableColumn] = Field(default_factory=list)


class PlanDocument(_Model):
    schema_version: Literal[1, 2] = SCHEMA_VERSION
    source: Source
    document: DocumentInfo = Field(default_factory=DocumentInfo)
    rows: list[Row] = Field(default_factory=list)
    # Extension (v2): the tables the rows came from; empty in version-1 documents.
    tables: list[TableInfo] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def to_pandas(self):  # noqa: ANN201 - pandas.DataFrame; pandas is imported on call
        """One row per assignment, flattened like the store's `assignments` view (the
        columns of `vnplans.frames.ASSIGNMENT_COLUMNS` but the store's ids): section
        path, units as lists, schedule kind, due as datetime64, index and component,
        and the version-2 fields."""
        from vnplans.frames import document_frame

        return document_frame(self)
