"""`vnplans export`: the flattened assignments as CSV, Excel and Parquet, and the
contract documents as JSON Lines, from a database `vnplans ingest` filled."""

from __future__ import annotations

import csv
import json

import pytest
from store_fixtures import FIXTURE_PDFS, run_cli

from vnplans.models import PlanDocument


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("export")
    url = f"sqlite:///{tmp / 'plans.db'}"
    result = run_cli("ingest", "--db", url, str(FIXTURE_PDFS))
    assert result.returncode == 0, result.stderr
    extracted = run_cli("extract", *map(str, sorted(FIXTURE_PDFS.glob("*.pdf"))))
    docs = [PlanDocument.model_validate_json(line) for line in extracted.stdout.splitlines()]
    return url, tmp, docs


def _flat(docs):
    return [(d.source.file, r.tt, r.task, r.lead, r.schedule.kind) for d in docs for r in d.rows]


def test_json_lines_are_the_contract_exactly(loaded):
    url, tmp, docs = loaded
    out = tmp / "plans.jsonl"
    assert run_cli("export", "--db", url, "--format", "json", "-o", str(out)).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    by_file = {json.loads(line)["source"]["file"]: json.loads(line) for line in lines}
    assert by_file == {d.source.file: json.loads(d.model_dump_json()) for d in docs}


def test_csv(loaded):
    url, tmp, docs = loaded
    out = tmp / "a.csv"
    assert run_cli("export", "--db", url, "-o", str(out)).returncode == 0
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    got = [(r["file_name"], r["tt"] or None, r["task"] or None, r["lead"] or None,
            r["schedule_kind"]) for r in rows]
    assert sorted(got, key=str) == sorted(_flat(docs), key=str)


def test_xlsx(loaded):
    from openpyxl import load_workbook

    url, tmp, docs = loaded
    out = tmp / "a.xlsx"
    assert run_cli("export", "--db", url, "--format", "xlsx", "-o", str(out)).returncode == 0
    sheet = load_workbook(out, read_only=True)["assignments"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    col = {name: header.index(name) for name in ("file_name", "tt", "task", "lead", "schedule_kind")}
    got = [tuple(r[col[c]] for c in col) for r in rows[1:]]
    assert sorted(got, key=str) == sorted(_flat(docs), key=str)


def test_parquet(loaded):
    import pyarrow.parquet as pq

    url, tmp, docs = loaded
    out = tmp / "a.parquet"
    assert run_cli("export", "--db", url, "-o", str(out)).returncode == 0
    table = pq.read_table(out)
    assert str(table.schema.field("due").type) == "date32[day]"
    data = table.to_pydict()
    got = list(zip(data["file_name"], data["tt"], data["task"], data["lead"],
                   data["schedule_kind"], strict=True))
    assert sorted(got, key=str) == sorted(_flat(docs), key=str)
    dues = sorted(d for d in data["due"] if d)
    assert dues == sorted(r.schedule.due for d in docs for r in d.rows if r.schedule.due)


def test_export_needs_an_output_file_for_binary_formats(loaded):
    url, _, _ = loaded
    assert run_cli("export", "--db", url, "--format", "xlsx").returncode == 2


def test_exports_are_the_api_frame(loaded):
    """csv, xlsx and parquet hold `Store.assignments()`: the same columns and values
    (lists joined "a; b" in csv/xlsx, Arrow lists in Parquet)."""
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    import vnplans
    from vnplans.exports.tabular import plain
    from vnplans.frames import plain_rows

    url, tmp, _ = loaded
    with vnplans.open_store(url) as store:
        frame = store.assignments()
    columns, rows = plain_rows(frame)
    as_text = [["" if v is None else str(plain(v)) for v in row] for row in rows]

    # --raw: the text as stored (by default formula-like cells get a leading "'").
    assert run_cli("export", "--db", url, "--raw", "-o", str(tmp / "b.csv")).returncode == 0
    with (tmp / "b.csv").open(encoding="utf-8", newline="") as fh:
        got = list(csv.reader(fh))
    assert got[0] == columns == list(frame.columns)
    assert got[1:] == as_text
    first = dict(zip(columns, got[1], strict=True))
    assert first["lead_units"] == "Văn phòng Sở"
    assert first["support_units"] == "Các phòng thuộc Sở; Thanh tra Sở; Các đơn vị trực thuộc Sở"

    assert run_cli("export", "--db", url, "-o", str(tmp / "b.xlsx")).returncode == 0
    sheet = load_workbook(tmp / "b.xlsx", read_only=True)["assignments"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == columns
    due = columns.index("due")
    assert [r[due].date() if r[due] else None for r in cells[1:]] == [r[due] for r in rows]

    assert run_cli("export", "--db", url, "-o", str(tmp / "b.parquet")).returncode == 0
    table = pq.read_table(tmp / "b.parquet")
    assert table.column_names == columns
    import pyarrow as pa

    for name, item in (("lead_units", pa.string()), ("pages", pa.int64()),
                       ("milestones", pa.date32())):
        assert pa.types.is_list(table.schema.field(name).type)
        assert table.schema.field(name).type.value_type == item
    data = table.to_pydict()
    assert data["lead_units"] == frame["lead_units"].tolist()
    assert data["pages"] == frame["pages"].tolist()
    assert data["task"] == [None if isinstance(t, float) else t for t in frame["task"]]
