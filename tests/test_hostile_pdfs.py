"""Page-count bombs: thousands of tiny blank pages, and a page tree that claims
2,147,483,647 pages. Each is refused or read quickly with a one-line reason; no page
too small to hold text is ever OCR'd."""

from __future__ import annotations

from hostile_inputs import blank_pages, pdf_of
from store_fixtures import run_cli

from vnplans.limits import DEFAULT_MAX_AUTO_SECONDS, DEFAULT_MAX_PAGES, Limits


def test_more_pages_than_the_limit_are_refused_before_reading(tmp_path):
    bomb = blank_pages(tmp_path / "bomb.pdf", DEFAULT_MAX_PAGES + 1)
    result = run_cli("extract", str(bomb))
    assert result.returncode == 1
    assert result.stderr == (f"vnplans: {bomb}: has {DEFAULT_MAX_PAGES + 1} pages, more than "
                             f"the per-file limit of {DEFAULT_MAX_PAGES} (raise it with "
                             "--max-pages)\n")
    small = blank_pages(tmp_path / "small.pdf", 12)
    result = run_cli("extract", "--max-pages", "10", str(small))
    assert result.returncode == 1
    assert "has 12 pages, more than the per-file limit of 10" in result.stderr
    assert run_cli("extract", "--max-pages", "x", str(small)).returncode == 2


def test_the_automatic_time_budget_is_capped():
    limits = Limits()
    assert limits.seconds_for(pages=10) == 160
    assert limits.seconds_for(pages=10_000) == DEFAULT_MAX_AUTO_SECONDS


def test_pages_too_small_for_text_are_never_ocrd(tmp_path):
    from vnplans.textlayer.repair import read_repaired

    doc = read_repaired(blank_pages(tmp_path / "tiny.pdf", 5), ocr=True)
    for page in doc.pages:
        # Blank: no image covers it, so it is no scan (textlayer/pagekind.py) and is
        # never OCR'd; a tiny page that is a scan is not OCR'd either (MIN_OCR_SIDE_PT).
        assert (page.text_source, page.warnings) == ("empty", [])
    # Tiny pages that are scans (an image covers each): not OCR'd either, and said so.
    import pymupdf

    scans = pymupdf.open()
    grey = pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
    grey.clear_with(128)
    for _ in range(3):
        scans.new_page(width=3, height=3).insert_image(pymupdf.Rect(0, 0, 3, 3), pixmap=grey)
    scans.save(tmp_path / "tiny_scans.pdf")
    doc = read_repaired(tmp_path / "tiny_scans.pdf", ocr=True)
    for page in doc.pages:
        assert page.text_source == "empty"
        assert page.warnings == ["page too small to hold text (3×3 pt): not OCR'd"]
    result = run_cli("extract", str(tmp_path / "tiny.pdf"))
    assert result.returncode == 1
    assert result.stderr.endswith(": no plan appendix table found\n"), result.stderr


def test_a_page_tree_claiming_two_billion_pages_is_damaged(tmp_path):
    bomb = tmp_path / "count.pdf"
    bomb.write_bytes(pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]))
    result = run_cli("extract", "--no-ocr", str(bomb))
    assert result.returncode == 1
    assert "internal error" not in result.stderr
    assert result.stderr.startswith(f"vnplans: {bomb}: damaged beyond repair: the page tree is "
                                    "broken ("), result.stderr


def test_a_word_of_combining_marks_only_does_not_break_unit_matching():
    """Found by the reliability campaign (a garbled content stream of hg2023_glyphs):
    a word of lone combining marks folded to '' and spaCy refused the token."""
    from vnplans.normalize.units import resolve_units

    units = resolve_units("Văn phòng Sở \u0301 \u0300\u0323, Thanh tra Sở", None)
    assert units[-1] == "Thanh tra Sở"
