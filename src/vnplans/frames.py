"""Plans as pandas DataFrames: one row per assignment, typed columns.

`ASSIGNMENT_COLUMNS` is the one list of the flattened assignment's columns, in order,
each with its type: `PlanDocument.to_pandas()` (a plan just extracted) and
`Store.assignments()` (the database, `vnplans.store.frames`) give frames of the same
columns and dtypes, and the csv/xlsx/parquet exports are written from the store's
frame. A column is added by adding it here (and, for the store, to the `assignments`
view; until the view has it, its values come from the stored contract JSON).

Types: dates are datetime64, index names and schedule kinds categorical (categories in
the contract's order), units, frequencies, pages and milestones lists, text pandas'
default string dtype (`str`, missing values NaN), integers nullable (`Int64`).

pandas is imported only inside the functions: `import vnplans` (and a nightly ingest
of an unchanged folder) never loads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal, get_args

from vnplans.models import IndexName, PlanDocument, ScheduleKind, SectionRef

if TYPE_CHECKING:
    import pandas as pd

# "raw": a column the list below does not know yet (a view column added later): its
# values as the database driver gives them, dtype inferred by pandas.
Kind = Literal["int", "float", "text", "date", "category", "list", "int_list", "date_list",
               "mapping", "raw"]
ROLES = ("lead", "support", "inspected")


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    categories: tuple[str, ...] = ()
    # How a list column is written as one text cell (csv, xlsx), as the store keeps it.
    joiner: str = "; "
    store_only: bool = False  # ids of the database; a plan just extracted has none
    default: Any = None       # value for rows of documents that lack the field (version 1)


ASSIGNMENT_COLUMNS: tuple[Column, ...] = (
    Column("row_id", "int", store_only=True),
    Column("document_id", "int", store_only=True),
    Column("file_name", "text"),
    Column("symbol", "text"),
    Column("number", "text"),
    Column("province", "text"),
    Column("issuer", "text"),
    Column("plan_year", "int"),
    Column("position", "int"),
    Column("section_path", "text"),
    Column("tt", "text"),
    Column("task", "text"),
    Column("lead", "text"),
    Column("support", "text"),
    Column("lead_units", "list"),
    Column("support_units", "list"),
    Column("outcome", "text"),
    Column("deadline", "text"),
    Column("schedule_kind", "category", categories=get_args(ScheduleKind)),
    Column("due", "date"),
    Column("frequencies", "list", joiner=", "),
    Column("index_name", "category", categories=get_args(IndexName)),
    Column("index_component_code", "text"),
    Column("index_component_name", "text"),
    Column("pages", "int_list", joiner=", "),
    # Contract version 2 (docs/contract.md).
    Column("table_number", "int", default=1),
    Column("table_title", "text"),
    Column("table_kind", "text"),
    Column("inspected", "text"),
    Column("inspected_units", "list"),
    Column("duration", "text"),
    Column("duration_days", "int"),
    Column("merged", "list", joiner=", "),
    Column("extra", "mapping"),
    Column("confidence", "float"),
    Column("milestones", "date_list", joiner=", "),
    Column("times", "list", joiner=", "),
)
COLUMNS_BY_NAME = {c.name: c for c in ASSIGNMENT_COLUMNS}


def section_label(ref: SectionRef) -> str:
    return f"{ref.tt}. {ref.title}" if ref.tt else ref.title


def section_path(refs: Sequence[SectionRef]) -> str | None:
    """"IV. CHỈ SỐ … > 1. Công tác …", as the store's `section_path` holds it."""
    return " > ".join(section_label(r) for r in refs) or None


def _time_span(span: Mapping[str, Any]) -> str:
    return f"{span['start']}–{span['end']}" if span.get("end") else str(span["start"])


def contract_records(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The assignment columns (all but the store's ids) of every row of a contract
    document given as JSON data (`PlanDocument.model_dump(mode="json")` or the stored
    contract JSON, version 1 or 2)."""
    info = doc.get("document") or {}
    tables = {t["number"]: t for t in doc.get("tables") or []}
    base = {"file_name": doc["source"]["file"], "symbol": info.get("symbol"),
            "number": info.get("number"), "province": info.get("province"),
            "issuer": info.get("issuer"), "plan_year": info.get("year")}
    records = []
    for position, row in enumerate(doc.get("rows") or []):
        schedule = row.get("schedule") or {}
        component = row.get("index_component") or {}
        records.append({
            **base,
            "position": position,
            "section_path": section_path([SectionRef.model_validate(s)
                                          for s in row.get("section") or []]),
            "tt": row.get("tt"), "task": row.get("task"),
            "lead": row.get("lead"), "support": row.get("support"),
            "lead_units": list(row.get("lead_units") or []),
            "support_units": list(row.get("support_units") or []),
            "outcome": row.get("outcome"), "deadline": row.get("deadline"),
            "schedule_kind": schedule.get("kind", "unspecified"),
            "due": schedule.get("due"),
            "frequencies": list(schedule.get("frequencies") or []),
            "index_name": row.get("index"),
            "index_component_code": component.get("code"),
            "index_component_name": component.get("name"),
            "pages": list(row.get("pages") or []),
            "table_number": row.get("table", 1),
            "table_title": tables.get(row.get("table", 1), {}).get("title"),
            "table_kind": tables.get(row.get("table", 1), {}).get("kind"),
            "inspected": row.get("inspected"),
            "inspected_units": list(row.get("inspected_units") or []),
            "duration": row.get("duration"),
            "duration_days": row.get("duration_days"),
            "merged": list(row.get("merged") or []),
            "extra": dict(row.get("extra") or {}),
            "confidence": row.get("confidence"),
            "milestones": list(schedule.get("milestones") or []),
            "times": [_time_span(t) for t in schedule.get("times") or []],
        })
    return records


def document_frame(doc: PlanDocument) -> pd.DataFrame:
    """`PlanDocument.to_pandas()`: one row per assignment of one plan."""
    columns = [c for c in ASSIGNMENT_COLUMNS if not c.store_only]
    return typed_frame(contract_records(doc.model_dump(mode="json")), columns)


# --- typing ------------------------------------------------------------------------------

def typed_frame(records: Sequence[Mapping[str, Any]], columns: Iterable[Column]) -> pd.DataFrame:
    """A DataFrame of `columns`, in that order, each converted to its type. A column a
    record lacks takes the column's default."""
    import pandas as pd

    data = {}
    for column in columns:
        values = [r.get(column.name, column.default) for r in records]
        data[column.name] = typed_series(column, values)
    return pd.DataFrame(data, index=pd.RangeIndex(len(records)))


def typed_series(column: Column, values: list[Any]) -> pd.Series:
    import pandas as pd

    kind = column.kind
    if kind == "int":
        return pd.Series([_none_if_na(v) for v in values], dtype="Int64", name=column.name)
    if kind == "float":
        return pd.Series([_none_if_na(v) for v in values], dtype="Float64", name=column.name)
    if kind == "text":
        return pd.Series([_text(v) for v in values], dtype=_text_dtype(), name=column.name)
    if kind == "date":
        return pd.Series(_dates(values), dtype="datetime64[ns]", name=column.name)
    if kind == "category":
        seen = [v for v in dict.fromkeys(values) if v is not None and v not in column.categories]
        dtype = pd.CategoricalDtype([*column.categories, *sorted(seen)])
        return pd.Series(values, dtype=dtype, name=column.name)
    if kind in ("list", "int_list", "date_list"):
        lists = [_as_list(v, column) for v in values]
        return pd.Series(lists, dtype=object, name=column.name)
    if kind == "mapping":
        maps = [dict(json.loads(v)) if isinstance(v, str) else dict(v or {}) for v in values]
        return pd.Series(maps, dtype=object, name=column.name)
    if kind == "raw":
        return pd.Series(values, name=column.name)
    raise ValueError(f"unknown column kind {kind!r}")


def _text_dtype() -> Any:
    """pandas 3's default string dtype (missing values are NaN, so `frame.tt == "1"` is
    simply False where tt is missing); object columns of str on pandas 2."""
    import pandas as pd

    return "str" if int(pd.__version__.split(".")[0]) >= 3 else object


def _none_if_na(value: Any) -> Any:
    try:
        import pandas as pd

        return None if value is None or pd.isna(value) else value
    except (TypeError, ValueError):   # a list or other container is not NA
        return value


def _text(value: Any) -> str | None:
    value = _none_if_na(value)
    return None if value is None else str(value)


def _dates(values: list[Any]) -> list[Any]:
    import pandas as pd

    return [pd.NaT if _none_if_na(v) is None else pd.Timestamp(v) for v in values]


def _as_list(value: Any, column: Column) -> list:
    """A list cell from a list, or from the store's joined text ("a; b", "5, 6")."""
    import pandas as pd

    if isinstance(value, str):
        items: list = [x.strip() for x in value.split(column.joiner.strip())] if value else []
        items = [x for x in items if x]
    elif value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        items = []
    else:
        items = list(value)
    if column.kind == "int_list":
        return [int(x) for x in items]
    if column.kind == "date_list":
        return [pd.Timestamp(x) for x in items]
    return items


# --- back to plain values (csv, xlsx) -------------------------------------------------------

def plain_rows(frame: pd.DataFrame) -> tuple[list[str], list[tuple]]:
    """The frame's columns and rows as plain Python values for the text and spreadsheet
    writers: dates as `date`, lists joined as the store keeps them ("a; b"), mappings
    as JSON, missing values as None."""
    columns = list(frame.columns)
    converters = [_plain_converter(COLUMNS_BY_NAME.get(name)) for name in columns]
    rows = [tuple(convert(v) for convert, v in zip(converters, row, strict=True))
            for row in frame.itertuples(index=False, name=None)]
    return columns, rows


def _plain_converter(column: Column | None):  # noqa: ANN202
    def scalar(value: Any) -> Any:
        value = _none_if_na(value)
        if value is None:
            return None
        if hasattr(value, "item") and not isinstance(value, str):   # NumPy scalars
            return value.item()
        return value

    if column is None:
        return scalar
    if column.kind == "date":
        return lambda v: None if _none_if_na(v) is None else v.date()
    if column.kind in ("list", "int_list", "date_list"):
        def joined(items: list) -> str | None:
            text = column.joiner.join(_plain_item(x) for x in items or [])
            return text or None
        return joined
    if column.kind == "mapping":
        return lambda v: json.dumps(v, ensure_ascii=False) if v else None
    return scalar


def _plain_item(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_arrow(frame: pd.DataFrame):  # noqa: ANN201 - pyarrow.Table
    """The frame as an Arrow table for Parquet: dates as date32, lists as Arrow lists,
    mappings as JSON text."""
    import pyarrow as pa

    arrays = []
    for name in frame.columns:
        column = COLUMNS_BY_NAME.get(name)
        kind = column.kind if column else "raw"
        values = frame[name].tolist()
        if kind not in ("list", "int_list", "date_list", "mapping"):
            values = [_none_if_na(v) for v in values]
        if kind == "int":
            arrays.append(pa.array(values, type=pa.int64()))
        elif kind == "float":
            arrays.append(pa.array(values, type=pa.float64()))
        elif kind == "date":
            arrays.append(pa.array([None if v is None else v.date() for v in values],
                                   type=pa.date32()))
        elif kind in ("text", "category"):
            arrays.append(pa.array([None if v is None else str(v) for v in values],
                                   type=pa.string()))
        elif kind == "list":
            arrays.append(pa.array([[str(x) for x in v] for v in values],
                                   type=pa.list_(pa.string())))
        elif kind == "int_list":
            arrays.append(pa.array(values, type=pa.list_(pa.int64())))
        elif kind == "date_list":
            arrays.append(pa.array([[x.date() for x in v] for v in values],
                                   type=pa.list_(pa.date32())))
        elif kind == "mapping":
            arrays.append(pa.array([json.dumps(v, ensure_ascii=False) if v else None
                                    for v in values], type=pa.string()))
        else:   # a column the list does not know (a view column added later)
            try:
                arrays.append(pa.array(values))
            except (pa.ArrowInvalid, pa.ArrowTypeError):   # mixed types: keep as text
                arrays.append(pa.array([None if v is None else str(v) for v in values]))
    return pa.Table.from_arrays(arrays, names=list(frame.columns))
