"""Word input: a plan's .docx (and its old .doc) gives the same contract as its PDF.

The office fixtures are Word documents first: `tests/fixtures/office/make_office_plans.py`
builds each plan as a .docx with python-docx (kept in `office/docx/`), LibreOffice prints
it to the committed PDF, and the expected JSON is written from the plan data. So for
every office fixture the rows read from the .docx, the rows read from the PDF and the
expected JSON must agree — every cell, the section path, the header-block fields, and
(between .docx and PDF) the normalised units, schedules and indices too. The variants
(`office/variants.yaml`: other borders, spacing, fonts, header wordings …) are built as
.docx by the same generator in the test and must read as their expected JSON.

.doc: LibreOffice (scripts/setup.sh installs it) converts a fixture .docx to a Word 97
.doc in the test; `vnplans` reads it back through LibreOffice. Without LibreOffice a
.doc fails with one line saying what to install.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from plan_compare import CELL_FIELDS, expected_and_extracted, sections
from store_fixtures import run_cli, sqlite_url  # noqa: F401 - fixture

from vnplans.pipeline import extract
from vnplans.word.open import DOC_NEEDS_LIBREOFFICE, convert_doc

OFFICE = Path(__file__).parent / "fixtures" / "office"
sys.path.insert(0, str(OFFICE))
import make_office_plans  # noqa: E402 - the fixture generator, beside its fixtures

NAMES = sorted(p.stem for p in (OFFICE / "expected").glob("*.json"))
VARIANTS = list(yaml.safe_load((OFFICE / "variants.yaml").read_text(encoding="utf-8")))
DOCUMENT_FIELDS = ("authority", "issuer", "province", "number", "symbol", "doc_type",
                   "issued_on", "year", "title", "indices", "signer")
# LibreOffice 7.4's .doc export keeps the appendix table of these fixtures (in the
# others it writes the table's text as one run-on paragraph: a .doc of them read back
# by LibreOffice itself has no table either, so they cannot test the .doc path).
DOC_FIXTURES = ("ag2025_snv", "bdg2024_skhdt")


def _expected(folder: Path, name: str) -> dict:
    return json.loads((folder / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def _docx(name: str) -> dict:
    return _extracted(OFFICE / "docx" / f"{name}.docx")


_CACHE: dict[Path, dict] = {}


def _extracted(path: Path) -> dict:
    if path not in _CACHE:
        _CACHE[path] = extract(path).model_dump(mode="json")
    return _CACHE[path]


def assert_matches_expected(name: str, expected: dict, got: dict, *, word: bool = True) -> None:
    """Every row in order with every cell exactly (contract text rules) and its
    section path, and every header-block field; rows of a Word file have no pages."""
    assert [r["tt"] for r in got["rows"]] == [r["tt"] for r in expected["rows"]], name
    for i, (g, e) in enumerate(zip(got["rows"], expected["rows"], strict=True)):
        for field in CELL_FIELDS:
            assert g[field] == e[field], (name, i, e["tt"], field)
        assert sections(g) == sections(e), (name, i, e["tt"])
        assert (g["pages"] == []) == word, (name, i)
    for field in DOCUMENT_FIELDS:
        want, have = expected["document"][field], got["document"][field]
        if field == "indices":
            want, have = sorted(want), sorted(have)
        assert have == want, (name, field)


def _without_pages(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "pages"} for row in rows]


def test_every_office_fixture_has_its_docx() -> None:
    assert len(NAMES) >= 9
    for name in NAMES:
        assert (OFFICE / "docx" / f"{name}.docx").is_file(), name


@pytest.mark.parametrize("name", NAMES)
def test_committed_docx_is_what_the_generator_builds(name: str, tmp_path: Path) -> None:
    # python-docx writes the same parts for the same plan (only the zip's time stamps
    # differ): the committed .docx is the document LibreOffice printed the PDF from.
    plan = make_office_plans.load_plan(OFFICE / "plans" / f"{name}.yaml")
    plan.build().save(tmp_path / "built.docx")
    assert _parts(tmp_path / "built.docx") == _parts(OFFICE / "docx" / f"{name}.docx")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


@pytest.mark.parametrize("name", NAMES)
def test_docx_rows_and_header_are_the_expected_ones(name: str) -> None:
    assert_matches_expected(name, _expected(OFFICE, name), _docx(name))


@pytest.mark.parametrize("name", NAMES)
def test_docx_and_its_pdf_give_the_same_contract(name: str) -> None:
    expected, pdf = expected_and_extracted(OFFICE, name)
    assert_matches_expected(name, expected, pdf, word=False)
    docx = _docx(name)
    # Not only the cells: units, schedules, indices and every other row field.
    assert _without_pages(docx["rows"]) == _without_pages(pdf["rows"])
    assert docx["document"] == pdf["document"]


@pytest.mark.parametrize("name", NAMES)
def test_docx_source(name: str) -> None:
    got = _docx(name)["source"]
    assert got["file"] == f"{name}.docx"
    assert got["text_layer"] == "native" and got["encoding"] == "unicode"
    # The approximate layout's page count: within a page of LibreOffice's.
    assert abs(got["pages"] - _expected(OFFICE, name)["pages"]) <= 1


@pytest.mark.parametrize("name", VARIANTS)
def test_variant_docx_rows_and_header_are_the_expected_ones(name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.docx"
    make_office_plans.variant_plan(name).build().save(path)
    assert_matches_expected(name, _expected(OFFICE / "variants", name), _extracted(path))


@pytest.fixture(scope="module")
def doc_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Word 97 .doc copies of some fixtures, made by LibreOffice."""
    out: dict[str, Path] = {}
    for name in DOC_FIXTURES:
        work = tmp_path_factory.mktemp(f"doc_{name}")
        made = convert_doc(OFFICE / "docx" / f"{name}.docx", work, target="doc")
        out[name] = shutil.copy(made, work / f"{name}.doc")
        assert not out[name].read_bytes().startswith(b"PK")  # a real binary .doc
    return out


@pytest.mark.parametrize("name", DOC_FIXTURES)
def test_doc_reads_like_its_docx(name: str, doc_files: dict[str, Path]) -> None:
    got = _extracted(doc_files[name])
    assert_matches_expected(name, _expected(OFFICE, name), got)
    docx = _docx(name)
    assert _without_pages(got["rows"]) == _without_pages(docx["rows"])
    assert got["document"] == docx["document"]
    assert got["source"]["file"] == f"{name}.doc"


def test_doc_without_libreoffice_fails_with_one_line(doc_files: dict[str, Path],
                                                     tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    doc = doc_files[DOC_FIXTURES[0]]
    done = run_cli("extract", str(doc), env={"PATH": str(empty)})
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"vnplans: {doc}: {DOC_NEEDS_LIBREOFFICE}\n"
    assert DOC_NEEDS_LIBREOFFICE == \
        ".doc needs LibreOffice (apt-get install libreoffice-writer-nogui)"


def test_not_a_word_file_fails_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "notes.docx"
    bad.write_text("plain text, not a Word document\n", encoding="utf-8")
    done = run_cli("extract", str(bad))
    assert done.returncode == 1
    assert done.stderr.startswith(f"vnplans: {bad}: not a readable .docx Word document (")
    assert done.stderr.count("\n") == 1


def test_extract_docx_command(tmp_path: Path) -> None:
    name = "ntn2023_stp"
    out = tmp_path / "plan.json"
    done = run_cli("extract", str(OFFICE / "docx" / f"{name}.docx"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    got = json.loads(out.read_text(encoding="utf-8"))
    assert_matches_expected(name, _expected(OFFICE, name), got)


def test_text_of_a_docx_is_its_paragraphs_and_tables_in_order() -> None:
    done = run_cli("text", str(OFFICE / "docx" / "ntn2023_stp.docx"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # The header table's row, cell by cell; the type line; the appendix header row.
    assert lines[0].split("\t")[1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
    assert "KẾ HOẠCH" in lines
    header = next(k for k, line in enumerate(lines) if line.startswith("TT\t"))
    assert lines.index("KẾ HOẠCH") < header
    assert lines[header].split("\t") == _header_cells("ntn2023_stp")
    # Sections are cut by a form feed, as pages are in a PDF's text.
    assert "\f" in done.stdout


def _header_cells(name: str) -> list[str]:
    plan = yaml.safe_load((OFFICE / "plans" / f"{name}.yaml").read_text(encoding="utf-8"))
    return [" ".join(make_office_plans.cell_lines(c["text"])) for c in plan["appendix"]["header"][0]]


def test_ingest_a_folder_with_word_files_and_show_one(tmp_path: Path, sqlite_url: str) -> None:  # noqa: F811
    folder = tmp_path / "plans"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(OFFICE / "docx" / "qng2024_snv.docx", folder / "qng2024_snv.docx")
    shutil.copy(OFFICE / "docx" / "tb2021_ubnd.docx", folder / "sub" / "TB2021.DOCX")
    shutil.copy(OFFICE / "pdfs" / "ntn2023_stp.pdf", folder / "ntn2023_stp.pdf")
    (folder / "readme.txt").write_text("not a plan", encoding="utf-8")
    done = run_cli("ingest", str(folder), "--db", sqlite_url)
    assert done.returncode == 0, done.stderr
    from sqlalchemy import text

    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(sqlite_url)
    try:
        with engine.connect() as conn:
            stored = dict(conn.execute(text("SELECT file_name, row_count FROM documents")).all())
    finally:
        engine.dispose()
    assert stored == {
        "qng2024_snv.docx": len(_expected(OFFICE, "qng2024_snv")["rows"]),
        "TB2021.DOCX": len(_expected(OFFICE, "tb2021_ubnd")["rows"]),
        "ntn2023_stp.pdf": len(_expected(OFFICE, "ntn2023_stp")["rows"]),
    }
    # A second run finds them all stored already.
    again = run_cli("ingest", str(folder), "--db", sqlite_url)
    assert again.returncode == 0, again.stderr
    # `show` finds the stored Word file by its content.
    shown = run_cli("show", str(folder / "qng2024_snv.docx"), "--db", sqlite_url)
    assert shown.returncode == 0, shown.stderr
    assert "stored document" in shown.stdout
    assert _expected(OFFICE, "qng2024_snv")["document"]["symbol"] in shown.stdout


def _appendix_table(doc):  # noqa: ANN001, ANN202 - python-docx objects
    return doc.tables[-1]._tbl


def test_table_split_in_two_goes_on(tmp_path: Path) -> None:
    # The appendix cut into two Word tables before a section row, an empty paragraph
    # between, the second without a header: its rows keep their section path.
    from copy import deepcopy

    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    name = "qng2024_snv"
    doc = Document(str(OFFICE / "docx" / f"{name}.docx"))
    tbl = _appendix_table(doc)
    rows = tbl.findall(qn("w:tr"))
    # The last section row (one cell over several columns) not at the top.
    cut = max(k for k, tr in enumerate(rows)
              if k > 2 and tr.find(f"{qn('w:tc')}/{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None)
    second = deepcopy(tbl)
    for tr in rows[cut:]:
        tbl.remove(tr)
    for tr in second.findall(qn("w:tr"))[:cut]:
        second.remove(tr)
    gap = OxmlElement("w:p")
    tbl.addnext(gap)
    gap.addnext(second)
    doc.save(str(tmp_path / f"{name}.docx"))
    got = extract(tmp_path / f"{name}.docx").model_dump(mode="json")
    assert_matches_expected(name, _expected(OFFICE, name), got)


def test_header_found_under_a_title_row_without_header_marks(tmp_path: Path) -> None:
    # No "repeat as header row" marks, and a title row merged across the table above
    # the header: the header is the first run of header-word rows.
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    name = "bdg2024_skhdt"
    doc = Document(str(OFFICE / "docx" / f"{name}.docx"))
    tbl = _appendix_table(doc)
    for mark in list(tbl.iter(qn("w:tblHeader"))):
        mark.getparent().remove(mark)
    columns = len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
    tr, tc, tc_pr, span = (OxmlElement(t) for t in ("w:tr", "w:tc", "w:tcPr", "w:gridSpan"))
    span.set(qn("w:val"), str(columns))
    tc_pr.append(span)
    tc.append(tc_pr)
    p, r, t = OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:t")
    t.text = "DANH MỤC NHIỆM VỤ"
    r.append(t)
    p.append(r)
    tc.append(p)
    tr.append(tc)
    tbl.findall(qn("w:tr"))[0].addprevious(tr)
    doc.save(str(tmp_path / f"{name}.docx"))
    got = extract(tmp_path / f"{name}.docx").model_dump(mode="json")
    assert_matches_expected(name, _expected(OFFICE, name), got)


@pytest.mark.parametrize("name", ["tb2021_ubnd__leader_col", "qng2024_snv__budget_col"])
def test_header_without_marks_beside_an_unknown_column(name: str, tmp_path: Path) -> None:
    # No "repeat as header row" marks and a column the vocabulary does not know
    # ("Lãnh đạo phụ trách", "Nguồn kinh phí"): the header row is found by the
    # columns it does name.
    from docx.oxml.ns import qn

    doc = make_office_plans.variant_plan(name).build()
    for mark in list(_appendix_table(doc).iter(qn("w:tblHeader"))):
        mark.getparent().remove(mark)
    doc.save(str(tmp_path / f"{name}.docx"))
    got = extract(tmp_path / f"{name}.docx").model_dump(mode="json")
    assert_matches_expected(name, _expected(OFFICE / "variants", name), got)
