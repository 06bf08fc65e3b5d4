"""Write docs/analysis.md (and its chart) by running its analysis on the sample plans.

    .venv/bin/python scripts/make_analysis_doc.py            # docs/analysis.md, docs/analysis_workload.png
    .venv/bin/python scripts/make_analysis_doc.py --out DIR  # somewhere else (the test does)

The cells below are what an analyst types into a notebook; each runs in one shared
namespace and the document shows its code and what it printed or returned, so the
output in the document is the real output. The sample plans of `data/raw/` are loaded
with the real `vnplans ingest` into a fresh SQLite database, which `VNPLANS_DB` points
`vnplans.open_store()` at.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHART = "analysis_workload.png"

INTRO = """\
# Analysing plans in Python

A worked analysis of the three sample plans in `data/raw/` (Sở Y tế Bình Định 2023,
Sở Y tế Đắk Nông 2020, Sở Tư pháp Quảng Nam 2024) with the Python API, as an analyst
would do it in a notebook. Every output below is real: `scripts/make_analysis_doc.py`
runs these cells and writes this page (a test checks that it is up to date).

The API:

| call | gives |
|---|---|
| `vnplans.extract(path, *, ocr=True)` | one PDF through the pipeline: the contract object (`PlanDocument`) |
| `PlanDocument.to_pandas()` | its assignments, one row each |
| `vnplans.open_store(url=None)` | the database, read-only (`url` None: env `VNPLANS_DB`, else `data/processed/plans.db`) |
| `store.assignments(*, province, index, component, unit, role, due_from, due_to, year)` | assignments, filtered (each filter takes one value or a list) |
| `store.documents()` | one row per stored plan |
| `store.units()` | canonical units: printed forms seen (`aliases`), rows led / supported / inspected |
| `store.occurrences(start, end)` | every dated occurrence between two dates: deadlines, period ends, recurring duties expanded from their RRULEs (the events `vnplans calendar` writes) |
| `store.sql(query)` | any read-only query (the same guard as `vnplans query`) |

Assignment frames have the same columns whether they come from `to_pandas()` or the
store (`vnplans.frames.ASSIGNMENT_COLUMNS`): the `assignments` view's, plus the
contract's version-2 fields (`table`, `inspected`, `inspected_units`, `duration`,
`duration_days`, `merged`, `extra`, `confidence`, `milestones`, `times`). Dates are
`datetime64`, `index_name` and `schedule_kind` categorical, units, frequencies, pages
and milestones Python lists, integers nullable (`Int64`). `vnplans export` writes the
same frame as csv, xlsx or parquet.

First load the plans (once; re-running skips unchanged files):

```bash
.venv/bin/vnplans ingest data/raw
```
"""

# (explanation, code) pairs: the notebook.
CELLS: list[tuple[str, str]] = [
    ("Open the database and see what is in it.", """\
import pandas as pd
import vnplans

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", None)
pd.set_option("display.max_colwidth", 45)

store = vnplans.open_store()
store.documents()[["document_id", "file_name", "province", "year", "indices", "row_count"]]
"""),
    ("One row per assignment. Units are lists, `due` a date, the index categorical.", """\
rows = store.assignments()
rows[["province", "tt", "lead_units", "schedule_kind", "due", "index_name"]].head(8)
"""),
    ("""\
## Tasks per index component and province

Every row the normaliser could place under an index component, counted per province.
Rows of general sections (no index) are left out by the pivot.""", """\
per_component = rows.pivot_table(
    index=["index_name", "index_component_code", "index_component_name"],
    columns="province", values="row_id", aggfunc="count", fill_value=0, observed=True)
per_component
"""),
    ("And per index, with how many of them carry a date:", """\
rows.assign(dated=rows["due"].notna()).groupby(
    ["index_name", "province"], observed=True).agg(tasks=("row_id", "size"),
                                                   dated=("dated", "sum"))
"""),
    ("""\
## The next 30 days of deadlines

The sample plans are from 2020–2024, so the analysis pretends today is 15 November
2023; with current plans use `pd.Timestamp.today().normalize()`. `occurrences()` lists
every dated occurrence: deadlines, period ends and each occurrence of a recurring duty
(its RRULE expanded within the plan year).""", """\
today = pd.Timestamp("2023-11-15")
soon = store.occurrences(today, today + pd.Timedelta(days=30))
soon[["date", "event", "province", "tt", "lead_units", "task"]]
"""),
    ("Over the whole of 2024 (the Quảng Nam plan's year) its quarterly duty shows up four "
     "times, beside two deadlines and three period ends.", """\
year_2024 = store.occurrences("2024-01-01", "2024-12-31")
year_2024.groupby(["event", "rrule"], observed=True, dropna=False).size()
"""),
    ("Filters go to the database: the dated assignments Văn phòng Sở leads in 2023.", """\
store.assignments(unit="Văn phòng Sở", role="lead", due_from="2023-01-01",
                  due_to="2023-12-31")[["province", "tt", "deadline", "due"]]
"""),
    ("""\
## Workload of each unit, as lead and as support

`units()` counts, per canonical unit of each issuing body, the rows it leads and
supports, and lists the printed cells seen naming it alone.""", """\
units = store.units()
units["total"] = units["lead_rows"] + units["support_rows"]
units.sort_values(["total", "lead_rows"], ascending=False)[
    ["unit", "issuer_key", "lead_rows", "support_rows", "aliases"]].head(12)
"""),
    ("The same from the assignments, per province (one row per unit and role):", """\
roles = pd.concat([
    rows[["province", units_col]].explode(units_col)
    .rename(columns={units_col: "unit"}).assign(role=role)
    for units_col, role in (("lead_units", "lead"), ("support_units", "support"))
]).dropna(subset=["unit"])
workload = roles.pivot_table(index=["province", "unit"], columns="role",
                             aggfunc="size", fill_value=0)
workload = workload.assign(total=workload["lead"] + workload["support"])
top = workload.sort_values(["total", "lead"], ascending=False).head(15)
top
"""),
    ("And as a chart:", """\
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

chart = top.iloc[::-1]
labels = [f"{unit} ({province})" for province, unit in chart.index]
fig, ax = plt.subplots(figsize=(9, 6))
ax.barh(labels, chart["lead"], label="lead (chủ trì)", color="#1f5f8b")
ax.barh(labels, chart["support"], left=chart["lead"], label="support (phối hợp)",
        color="#9cc3e0")
ax.set_xlabel("assignments")
ax.set_title("Workload of the 15 busiest units in the sample plans")
ax.legend(loc="lower right")
fig.tight_layout()
fig.savefig(CHART_PATH, dpi=100)
plt.close(fig)
"""),
    (f"![Workload of each unit as lead and support]({CHART})\n\n"
     "Anything else is one SQL statement away (read-only, like `vnplans query`):", """\
store.sql("SELECT role, COUNT(*) AS links FROM unit_assignments GROUP BY role ORDER BY role")
"""),
    ("""\
## One plan without a database

`vnplans.extract` runs the pipeline on a PDF; `to_pandas()` gives the same columns as
`store.assignments()` (without the database ids).""", """\
plan = vnplans.extract("data/raw/qnam2024_horizontal.pdf")
plan.to_pandas()[["tt", "lead_units", "support_units", "deadline", "due"]]
"""),
    ("Close the store when done (or use `with vnplans.open_store() as store:`).", """\
store.close()
"""),
]


def run_cell(code: str, namespace: dict) -> str:
    """Run one cell; what it printed, then the value of its last expression (as a
    notebook shows it)."""
    tree = ast.parse(code)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(body, "<cell>", "exec"), namespace)  # noqa: S102 - our own cells
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)  # noqa: S307
            if value is not None:
                print(value if isinstance(value, str) else repr(value))
    return out.getvalue().rstrip()


def build(out_dir: Path) -> str:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'plans.db'}"
        ingest = subprocess.run(
            [sys.executable, "-c", "import sys; from vnplans.cli import main; sys.exit(main())",
             "ingest", "--db", url, str(REPO / "data" / "raw")],
            capture_output=True, text=True, cwd=REPO)
        if ingest.returncode != 0:
            raise SystemExit(f"ingest failed: {ingest.stderr}")
        previous = (os.environ.get("VNPLANS_DB"), Path.cwd())
        os.environ["VNPLANS_DB"] = url
        os.chdir(REPO)   # the cells name data/raw/… as a notebook in the repository would
        try:
            namespace: dict = {"CHART_PATH": str(out_dir / CHART)}
            parts = [INTRO]
            for text, code in CELLS:
                output = run_cell(code, namespace)
                shown = code.replace("fig.savefig(CHART_PATH, dpi=100)",
                                     f'fig.savefig("docs/{CHART}", dpi=100)')
                parts.append(f"{text}\n\n```python\n{shown.rstrip()}\n```\n")
                if output:
                    parts.append(f"```text\n{output}\n```\n")
        finally:
            os.chdir(previous[1])
            if previous[0] is None:
                os.environ.pop("VNPLANS_DB", None)
            else:
                os.environ["VNPLANS_DB"] = previous[0]
    text = "\n".join(parts)
    (out_dir / "analysis.md").write_text(text, encoding="utf-8")
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs",
                        help="folder for analysis.md and the chart (default: docs/)")
    args = parser.parse_args()
    build(args.out)
    print(f"wrote {args.out / 'analysis.md'} and {args.out / CHART}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
