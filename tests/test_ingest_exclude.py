"""Leaving documents out of a folder walk: `--exclude GLOB` and `.vnplansignore` files
(gitignore-like patterns). Real PDFs through the real `vnplans ingest`; the pattern
rules on a real folder tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_fixtures import REPO, fixture_pdfs, run_cli, sqlite_url  # noqa: F401 - fixtures
from test_ingest import query

from vnplans.store.ingest import find_pdfs

LETTER = REPO / "tests" / "data" / "real" / "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf"


def _tree(root: Path, names: list[str]) -> Path:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    return root


NAMES = ["a.pdf", "b-letter.pdf", "drafts/c.pdf", "2019/d.pdf", "2019/e-letter.PDF",
         "2019/old/f.pdf", "x/drafts/g.pdf"]


@pytest.mark.parametrize(("exclude", "left"), [
    ([], NAMES),
    (["*-letter.pdf"], ["a.pdf", "drafts/c.pdf", "2019/d.pdf", "2019/e-letter.PDF",
                        "2019/old/f.pdf", "x/drafts/g.pdf"]),  # case matters
    (["drafts/"], ["a.pdf", "b-letter.pdf", "2019/d.pdf", "2019/e-letter.PDF",
                   "2019/old/f.pdf"]),  # a folder name at any depth
    (["2019/*"], ["a.pdf", "b-letter.pdf", "drafts/c.pdf", "x/drafts/g.pdf"]),
    (["2019/*.pdf"], ["a.pdf", "b-letter.pdf", "drafts/c.pdf", "2019/e-letter.PDF",
                      "2019/old/f.pdf", "x/drafts/g.pdf"]),  # '*' stays in one folder
    (["2019/**/*.pdf"], ["a.pdf", "b-letter.pdf", "drafts/c.pdf", "2019/e-letter.PDF",
                         "x/drafts/g.pdf"]),
    (["/*.pdf"], ["drafts/c.pdf", "2019/d.pdf", "2019/e-letter.PDF", "2019/old/f.pdf",
                  "x/drafts/g.pdf"]),  # the folder's own files only
    (["[ab]*", "# a comment", "", "**/g.pdf"],
     ["drafts/c.pdf", "2019/d.pdf", "2019/e-letter.PDF", "2019/old/f.pdf"]),
])
def test_exclude_patterns(tmp_path, exclude, left):
    root = _tree(tmp_path / "plans", NAMES)
    found = find_pdfs([root], exclude=exclude)
    assert sorted(p.relative_to(root).as_posix() for p in found) == sorted(left)


def test_an_ignore_file_applies_below_its_folder(tmp_path):
    root = _tree(tmp_path / "plans", NAMES)
    (root / "2019" / ".vnplansignore").write_text("# letters are no plans\n*-letter.*\nold/\n")
    found = find_pdfs([root])
    assert sorted(p.relative_to(root).as_posix() for p in found) == \
        ["2019/d.pdf", "a.pdf", "b-letter.pdf", "drafts/c.pdf", "x/drafts/g.pdf"]


def test_ingest_leaves_out_what_the_operator_excluded(sqlite_url, tmp_path):  # noqa: F811
    folder = tmp_path / "plans"
    (folder / "letters").mkdir(parents=True)
    shutil.copy(fixture_pdfs()[0], folder / "plan.pdf")
    shutil.copy(LETTER, folder / "letters" / "notice.pdf")
    shutil.copy(LETTER, folder / "reply-letter.pdf")
    shutil.copy(LETTER, folder / "draft.pdf")
    (folder / ".vnplansignore").write_text("letters/\n*-letter.pdf\n")
    result = run_cli("ingest", "--db", sqlite_url, "--exclude", "draft.pdf", str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("1 document loaded (1 new, 0 replaced)")
    assert "0 failed" in result.stdout
    assert query(sqlite_url, "SELECT COUNT(*) FROM failed_files") == [(0,)]
    # A file named on the command line is taken as given.
    named = run_cli("ingest", "--db", sqlite_url, "--exclude", "*.pdf",
                    str(folder / "reply-letter.pdf"))
    assert named.returncode == 1 and "reply-letter.pdf: no plan appendix table found" in \
        named.stderr
