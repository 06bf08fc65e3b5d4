"""The SQLite file that `vnplans ingest` writes opens as is in DuckDB and Datasette."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "pdfs"


@pytest.fixture(scope="module")
def plans_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("interop") / "plans.db"
    pdfs = [FIXTURES / "bd2023.pdf", FIXTURES / "dn2020.pdf"]
    result = subprocess.run(
        [sys.executable, "-m", "vnplans.cli", "ingest", "--db", f"sqlite:///{db}", *map(str, pdfs)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return db


def test_duckdb_reads_the_views(plans_db: Path) -> None:
    import duckdb
    from duckdb_extensions import import_extension

    import_extension("sqlite_scanner")  # the extension ships in a wheel: no download
    con = duckdb.connect()
    con.execute("LOAD sqlite_scanner")
    con.execute(f"ATTACH '{plans_db}' AS plans (TYPE SQLITE, READ_ONLY)")
    per_province = dict(con.sql(
        "SELECT province, count(*) FROM plans.assignments GROUP BY 1").fetchall())
    assert per_province == {"Bình Định": 25, "Đắk Nông": 28}
    led = con.sql("SELECT count(*) FROM plans.unit_assignments "
                  "WHERE unit = 'Thanh tra Sở' AND role = 'lead'").fetchone()
    assert led is not None and led[0] > 0


def test_datasette_serves_the_views(plans_db: Path) -> None:
    from datasette.app import Datasette

    async def fetch() -> tuple[list[str], dict]:
        ds = Datasette([str(plans_db)])
        name = plans_db.stem
        db_info = (await ds.client.get(f"/{name}.json")).json()
        views = [v["name"] for v in db_info["views"]]
        response = await ds.client.get(
            f"/{name}/assignments.json?_shape=objects&province=Đắk Nông&tt=4.4")
        return views, response.json()

    views, data = asyncio.run(fetch())
    assert {"assignments", "unit_assignments", "upcoming_deadlines"} <= set(views)
    rows = data["rows"]
    assert len(rows) == 1
    assert rows[0]["deadline"] == "Tháng 11, 12/2020"
    assert rows[0]["schedule_kind"] == "period"
    assert json.dumps(rows[0], ensure_ascii=False)  # plain JSON values
