"""A picture of what the table reader saw on a page, for `vnplans debug`.

The page is rendered and the reader's intermediate results drawn over it: the words
(grey boxes; OCR words in orange), the ruling lines (red), each table fragment (blue
frame) with its header zone (yellow), its columns (green, labelled with the header
text and the role each column fills, "—" for none) and its row bands (alternating
tints, purple boundaries; dashed where the boundary came from the text's spacing
rather than a rule) and text spanning several columns (a teal bar over the columns
it spans: a section row, or a merged cell).

What is drawn is read by the same calls the pipeline makes (`read_pages`,
`find_tables`, `fragment_bands`), so the picture cannot disagree with `extract`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vnplans.counts import counted
from vnplans.ir import Page, split_rules
from vnplans.table.build import fragment_bands
from vnplans.table.locate import Fragment, find_tables
from vnplans.table.model import Band
from vnplans.table.settings import DEFAULTS, TableSettings

# Colours (RGBA): one per kind of thing drawn, listed in the legend in this order.
LEGEND: dict[str, tuple[int, int, int, int]] = {
    "word": (120, 120, 120, 255),
    "OCR word": (230, 120, 0, 255),
    "ruling line": (220, 0, 0, 255),
    "table fragment": (0, 70, 220, 255),
    "header zone": (240, 200, 0, 90),
    "column": (0, 150, 60, 255),
    "row band": (140, 0, 170, 255),
    "band cut by spacing": (220, 0, 130, 255),
    "spanning text": (0, 160, 160, 200),
}
_BAND_TINTS = ((140, 0, 170, 28), (0, 70, 220, 22))


@dataclass(frozen=True)
class PictureSettings:
    """How the picture is made."""

    dpi: int = 110
    # Line widths in pixels.
    frame_width: int = 3
    line_width: int = 2
    # Height of the legend strip at the foot, and of label text, in pixels.
    legend_height: int = 34
    label_size: int = 11


@dataclass(frozen=True)
class PageReading:
    """What the table reader found on one page."""

    page: Page
    fragments: list[tuple[Fragment, list[Band]]]


def read_page_tables(path: str | Path, *, ocr: bool = True,
                     table_settings: TableSettings = DEFAULTS) -> list[PageReading]:
    """Every page of the document with the table fragments and bands found on it
    (read with `table_settings`, as `extract` reads them with its own)."""
    from vnplans.layout.stamps import remove_signature_stamps
    from vnplans.pipeline import read_pages

    pages = read_pages(path, ocr=ocr)
    for page in pages.pages:
        remove_signature_stamps(page)
    by_page: dict[int, list[tuple[Fragment, list[Band]]]] = {p.number: [] for p in pages.pages}
    for table in find_tables(pages.pages, settings=table_settings):
        for fragment in table:
            try:
                bands = fragment_bands(fragment, settings=table_settings)
            except Exception:  # noqa: BLE001 - the picture shows the fragment without bands
                bands = []
            by_page[fragment.page.number].append((fragment, bands))
    return [PageReading(p, by_page[p.number]) for p in pages.pages]


def draw_pages(path: str | Path, numbers: Iterable[int] | None, out: Path, *,
               ocr: bool = True, settings: PictureSettings | None = None,
               table_settings: TableSettings = DEFAULTS) -> list[Path]:
    """Draw the given pages (None: all) of `path`; `out` is the PNG file for one page,
    else a directory that gets `page-NNN.png` per page. Returns the files written."""
    import pymupdf

    settings = settings or PictureSettings()
    readings = read_page_tables(path, ocr=ocr, table_settings=table_settings)
    wanted = [r for r in readings if numbers is None or r.page.number in set(numbers)]
    missing = sorted(set(numbers or ()) - {r.page.number for r in readings})
    if missing:
        raise ValueError(f"no page {missing[0]} (the document has {counted(len(readings), 'page')})")
    single = numbers is not None and len(wanted) == 1 and out.suffix.lower() == ".png"
    if not single:
        out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with pymupdf.open(str(path)) as pdf:
        for reading in wanted:
            target = out if single else out / f"page-{reading.page.number:03d}.png"
            image = _render(pdf[reading.page.number - 1], reading.page, settings)
            _draw(image, reading, settings)
            image.save(target)
            written.append(target)
    return written


def _render(pdf_page, page: Page, settings: PictureSettings):  # noqa: ANN001, ANN202
    from PIL import Image

    pix = pdf_page.get_pixmap(dpi=settings.dpi, alpha=False)
    image = Image.frombytes("RGB", (pix.width, pix.height), pix.samples).convert("RGBA")
    # The reader's coordinates are the page's (points, top-left origin, as displayed):
    # scale the picture to them exactly.
    width = round(page.width * settings.dpi / 72)
    height = round(page.height * settings.dpi / 72)
    if image.size != (width, height):
        image = image.resize((width, height))
    canvas = Image.new("RGBA", (width, height + settings.legend_height), (255, 255, 255, 255))
    canvas.paste(image, (0, 0))
    return canvas


def _draw(image, reading: PageReading, settings: PictureSettings) -> None:  # noqa: ANN001
    from PIL import Image, ImageDraw

    scale = settings.dpi / 72
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(overlay)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return x0 * scale, y0 * scale, x1 * scale, y1 * scale

    page = reading.page
    font = _font(settings.label_size)
    for fragment, bands in reading.fragments:
        _draw_fragment(pen, fragment, bands, box, settings, font)
    horizontal, vertical = split_rules(page.rules)
    for rule in horizontal + vertical:
        pen.line(box(rule.x0, rule.y0, rule.x1, rule.y1), fill=LEGEND["ruling line"],
                 width=1)
    for word in page.words:
        colour = LEGEND["OCR word"] if word.origin == "ocr" else LEGEND["word"]
        pen.rectangle(box(word.x0, word.y0, word.x1, word.y1), outline=colour[:3] + (170,))
    _draw_legend(pen, image.size, settings, font)
    image.alpha_composite(overlay)


def _font(size: int):  # noqa: ANN202
    """A font with Vietnamese letters (fonts-dejavu-core), else Pillow's own."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype("DejaVuSans.ttf", size)
    except OSError:
        return ImageFont.load_default()


def _draw_fragment(pen, fragment: Fragment, bands: list[Band], box, settings,  # noqa: ANN001
                   font) -> None:  # noqa: ANN001
    header = fragment.header
    if fragment.has_header:
        pen.rectangle(box(header.x0, header.y0, header.x1, header.y1), fill=LEGEND["header zone"])
    for k, band in enumerate(bands):
        pen.rectangle(box(header.x0, band.y0, header.x1, band.y1), fill=_BAND_TINTS[k % 2])
    for band in bands:  # boundaries over every tint
        colour = LEGEND["row band"] if band.ruled else LEGEND["band cut by spacing"]
        _line(pen, box(header.x0, band.y1, header.x1, band.y1), colour, settings.line_width,
              dashed=not band.ruled)
        for first, last in band.spans:
            x0, x1 = header.columns[first].x0, header.columns[last].x1
            pen.rectangle(box(x0 + 2, band.y0 + 1, x1 - 2, band.y0 + 4),
                          fill=LEGEND["spanning text"])
    top = header.y0 if fragment.has_header else fragment.top
    for column in header.columns:
        pen.line(box(column.x0, top, column.x0, fragment.bottom), fill=LEGEND["column"],
                 width=settings.line_width)
        x, y, x_end, _ = box(column.x0 + 1, top, column.x1, top)
        label = _fitted(pen, f"{column.role or '—'}: {column.header}", font, x_end - x - 4)
        pen.text((x + 2, max(y - settings.label_size - 2, 0)), label, fill=LEGEND["column"],
                 font=font)
    pen.line(box(header.columns[-1].x1, top, header.columns[-1].x1, fragment.bottom),
             fill=LEGEND["column"], width=settings.line_width)
    pen.rectangle(box(header.x0, top, header.x1, fragment.bottom), outline=LEGEND["table fragment"],
                  width=settings.frame_width)


def _fitted(pen, text: str, font, width: float) -> str:  # noqa: ANN001
    """`text` cut (with "…") to fit `width` pixels."""
    if pen.textlength(text, font=font) <= width:
        return text
    while len(text) > 1 and pen.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _line(pen, xy, colour, width: int, *, dashed: bool) -> None:  # noqa: ANN001
    if not dashed:
        pen.line(xy, fill=colour, width=width)
        return
    x0, y0, x1, _ = xy
    step = 8
    x = x0
    while x < x1:
        pen.line((x, y0, min(x + step / 2, x1), y0), fill=colour, width=width)
        x += step


def _draw_legend(pen, size: tuple[int, int], settings: PictureSettings,  # noqa: ANN001
                 font) -> None:  # noqa: ANN001
    y = size[1] - settings.legend_height + 8
    x = 8
    for name, colour in LEGEND.items():
        pen.rectangle((x, y, x + 14, y + 14), fill=colour[:3] + (max(colour[3], 120),))
        pen.text((x + 18, y), name, fill=(0, 0, 0, 255), font=font)
        x += 30 + int(pen.textlength(name, font=font))
