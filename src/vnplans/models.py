"""The plan document contract (schema_version 1).

These pydantic models are the source of truth for the JSON that `vnplans extract`
prints and that the store keeps; `schemas/plan-document.schema.json` is generated
from them (`python -m vnplans.schema --write`). Field names are public interface:
add fields, never rename or remove them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

TextLayer = Literal["native", "ocr", "mixed"]
Encoding = Literal["unicode", "tcvn3", "vni"]
ScheduleKind = Literal["deadline", "period", "recurring", "continuous", "event", "unspecified"]
Frequency = Literal["weekly", "monthly", "quarterly", "semiannual", "annual"]
IndexName = Literal["PCI", "PAPI", "SIPAS", "PAR INDEX"]
Acting = Literal["KT.", "TL.", "TM.", "Q."]


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


class PlanDocument(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    source: Source
    document: DocumentInfo = Field(default_factory=DocumentInfo)
    rows: list[Row] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
