"""`vnplans debug`: the picture of what the table reader saw, drawn from the reader's
own results (columns with roles, bands, rules) over the rendered page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

from vnplans.picture import LEGEND, PictureSettings, read_page_tables

ROOT = Path(__file__).resolve().parents[1]
BD2023 = ROOT / "data" / "raw" / "bd2023.pdf"


def vnplans(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vnplans", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_reading_of_a_table_page_names_columns_and_bands() -> None:
    page4 = read_page_tables(BD2023, ocr=False)[3]
    assert page4.page.number == 4
    [(fragment, bands)] = page4.fragments
    assert [c.role for c in fragment.header.columns] == [
        "tt", "task", "lead", "support", "outcome", "deadline"]
    assert fragment.has_header
    # Page 4 of the seed: sections I, II, 2, III, 4, 6 and four task rows, one band each.
    assert len(bands) == 10
    assert all(band.ruled for band in bands)


def test_one_page_picture_draws_the_columns_where_the_reader_put_them(tmp_path: Path) -> None:
    out = tmp_path / "page4.png"
    done = vnplans("debug", str(BD2023), "--page", "4", "-o", str(out), "--no-ocr")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out)
    settings = PictureSettings()
    image = Image.open(out).convert("RGB")
    page4 = read_page_tables(BD2023, ocr=False)[3]
    scale = settings.dpi / 72
    assert image.size == (round(page4.page.width * scale),
                          round(page4.page.height * scale) + settings.legend_height)
    [(fragment, bands)] = page4.fragments
    green = LEGEND["column"][:3]
    # Halfway down the first body band, on each inner column's left edge: the column
    # colour (the first edge is the fragment's frame).
    y = round((bands[1].y0 + bands[1].y1) / 2 * scale)
    for column in fragment.header.columns[1:]:
        x = round(column.x0 * scale)
        near = {image.getpixel((x + dx, y)) for dx in (-1, 0, 1)}
        assert green in near, (column.role, near)


def test_all_pages_go_into_a_folder_and_bad_requests_get_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    done = vnplans("debug", str(BD2023), "--pages", "all", "-o", str(folder), "--no-ocr")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [f"page-{n:03d}.png" for n in range(1, 9)]

    missing_page = vnplans("debug", str(BD2023), "--page", "99", "-o", str(tmp_path / "x.png"))
    assert missing_page.returncode == 1
    assert missing_page.stderr.count("\n") == 1 and "no page 99" in missing_page.stderr
    no_page = vnplans("debug", str(BD2023), "-o", str(tmp_path / "x.png"))
    assert no_page.returncode == 2
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("not a PDF")
    bad = vnplans("debug", str(not_pdf), "--page", "1", "-o", str(tmp_path / "y.png"))
    assert bad.returncode == 1 and str(not_pdf) in bad.stderr
