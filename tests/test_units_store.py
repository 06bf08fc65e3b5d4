"""The analyst's questions over stored plans, answered through the store's views
(`vnplans query`): everything one canonical unit leads or supports across documents,
and what each province committed to under one index component."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from store_fixtures import BACKENDS, FIXTURE_PDFS, make_db, run_cli

# The two seed plans and four variants (more fixtures may come; these answers are theirs).
PLANS = ["bd2023", "dn2020", "dt2021_district", "hg2023_glyphs", "lc2025_sipas_norules",
         "qnam2024_horizontal"]


@pytest.fixture(scope="module", params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    databases = make_db(request.param, Path(tmp_path_factory.mktemp("units_store")))
    url = next(databases)
    result = run_cli("ingest", "--db", url, *(str(FIXTURE_PDFS / f"{name}.pdf") for name in PLANS))
    assert result.returncode == 0, result.stderr
    yield url
    databases.close()  # drops the PostgreSQL schema


def query(url: str, sql: str) -> list[dict]:
    result = run_cli("query", "--db", url, "--format", "json", sql)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _where(row: dict) -> str:
    return row["tt"] or row["task"][:25]


# Hand-read from the two seed plans and the Sở Nội vụ Lào Cai fixture.
THANH_TRA_SO = Counter({
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "1", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "Thực hiện tuyển dụng viên", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "Triển khai các giải pháp ", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "1.3", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "1.6", "lead"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "1.7.2", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "1.8", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "2.4", "support"): 2,  # two sub-rows
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "2.4", "lead"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "5.1.1", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "5.3", "lead"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "7.3", "support"): 1,
    ("binh-dinh/so-y-te:thanh-tra-so", "bd2023.pdf", "7.4", "support"): 1,
    ("dak-nong/so-y-te:thanh-tra-so", "dn2020.pdf", "1.2", "lead"): 1,
    ("dak-nong/so-y-te:thanh-tra-so", "dn2020.pdf", "2.2", "lead"): 1,
    ("dak-nong/so-y-te:thanh-tra-so", "dn2020.pdf", "4.3", "lead"): 1,
    ("dak-nong/so-y-te:thanh-tra-so", "dn2020.pdf", "4.4", "lead"): 1,
    ("dak-nong/so-y-te:thanh-tra-so", "dn2020.pdf", "5.5", "lead"): 1,
    ("lao-cai/so-noi-vu:thanh-tra-so", "lc2025_sipas_norules.pdf", "2", "support"): 1,
    ("lao-cai/so-noi-vu:thanh-tra-so", "lc2025_sipas_norules.pdf", "7", "lead"): 1,
})


def test_everything_one_unit_leads_or_supports_across_documents(store: str) -> None:
    rows = query(store, "SELECT unit_id, file_name, tt, task, role FROM unit_assignments "
                        "WHERE unit = 'Thanh tra Sở'")
    got = Counter((r["unit_id"], r["file_name"], _where(r), r["role"]) for r in rows)
    assert got == THANH_TRA_SO


def test_one_unit_of_one_issuing_body(store: str) -> None:
    rows = query(store, "SELECT tt, role FROM unit_assignments "
                        "WHERE unit_id = 'dak-nong/so-y-te:thanh-tra-so' AND role = 'lead' ORDER BY row_id")
    assert [r["tt"] for r in rows] == ["1.2", "2.2", "4.3", "4.4", "5.5"]


def test_units_are_registered_once_per_issuing_body(store: str) -> None:
    rows = query(store, "SELECT id, name FROM units WHERE name = 'Văn phòng Sở' ORDER BY id")
    assert [r["id"] for r in rows] == [
        "binh-dinh/so-y-te:van-phong-so", "dak-nong/so-y-te:van-phong-so",
        "ha-giang/so-ke-hoach-va-dau-tu:van-phong-so", "lao-cai/so-noi-vu:van-phong-so",
        "quang-nam/so-tu-phap:van-phong-so",
    ]


def test_what_each_province_committed_to_under_papi_anti_corruption(store: str) -> None:
    rows = query(store, "SELECT province, tt, task, lead_units FROM assignments "
                        "WHERE index_name = 'PAPI' AND index_component_code = '4' "
                        "ORDER BY document_id, position")
    got = [(r["province"], _where(r), r["lead_units"]) for r in rows]
    # Sorted here: SQLite and PostgreSQL collate "Đắk Nông" differently.
    assert sorted(got) == [
        ("Bình Định", "Thực hiện tuyển dụng viên", "Phòng Tổ chức cán bộ"),
        ("Thái Nguyên", "3", "Thanh tra huyện"),
        ("Đắk Nông", "4.1", "Văn phòng Sở"),
        ("Đắk Nông", "4.2", "Phòng Kế hoạch - Tài chính"),
        ("Đắk Nông", "4.3", "Thanh tra Sở"),
        ("Đắk Nông", "4.4", "Thanh tra Sở"),
        ("Đắk Nông", "4.5", "Văn phòng Sở; Phòng Kế hoạch - Tài chính"),
        ("Đắk Nông", "4.6", "Phòng Tổ chức cán bộ"),
        ("Đắk Nông", "4.7", "Phòng Tổ chức cán bộ"),
    ]
