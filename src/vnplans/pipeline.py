"""The extraction chain, one plain stage after another:

read PDF → text layer (repair/OCR) → layout (header block, appendix region) →
table grid → rows → normalize (text, units, deadlines, indices) → contract.

A Word file (.docx; .doc through LibreOffice) enters after the grid step: its tables
are read as grids (`vnplans.table.word`) and its paragraphs are laid out roughly
(`vnplans.word.layout`) for the header block reader; rows and normalisation are the
PDF path's.

Each stage lives in its own module and is testable alone; this module only wires
them together.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from vnplans import EXTRACTOR_VERSION
from vnplans.errors import NoAppendixError
from vnplans.fsnames import printable_name
from vnplans.gc_pause import paused_gc
from vnplans.ir import DocumentPages
from vnplans.models import PlanDocument, Row, Source

if TYPE_CHECKING:
    from vnplans.word.reader import WordDocument


def read_pages(path: str | Path, *, ocr: bool = True) -> DocumentPages:
    """Stages 1–2: the PDF's pages as words and rules, text layer repaired (or OCR'd)."""
    from vnplans.textlayer.repair import read_repaired

    return read_repaired(path, ocr=ocr)


def normalize_rows(rows: list[Row], year: int | None, issuer_key: str | None,
                   doc_indices: list[str], warnings: list[str]) -> None:
    """Stage 6, in place: units, schedules and index of every row."""
    from vnplans.normalize.deadlines import parse_deadline
    from vnplans.normalize.durations import duration_days
    from vnplans.normalize.indices import classify_row
    from vnplans.normalize.units import analyse_units, inspected_units

    unknown: dict[str, None] = {}  # ordered set: each unknown unit reported once
    for row in rows:
        row.schedule, schedule_warnings = parse_deadline(row.deadline, year)
        warnings.extend(f"row {row.tt or '?'}: {w}" for w in schedule_warnings)
        lead = analyse_units(row.lead, issuer_key)
        support = analyse_units(row.support, issuer_key)
        row.lead_units, row.support_units = lead.units, support.units
        row.inspected_units = inspected_units(row.inspected)
        row.duration_days = duration_days(row.duration)
        unknown.update(dict.fromkeys(lead.unknown + support.unknown))
        row.index, row.index_component = classify_row(row, doc_indices)
    warnings.extend(f"unknown unit kept as printed: {name!r}" for name in unknown)


def extract(path: str | Path, *, ocr: bool = True, require_rows: bool = True) -> PlanDocument:
    """The whole chain for one PDF (or Word file: `extract_word`). Raises
    `BadInputError` for unreadable files and `NoAppendixError` (when `require_rows`)
    for a document without a plan appendix."""
    from vnplans.word import is_word_path

    if is_word_path(path):
        return extract_word(path, require_rows=require_rows)
    from vnplans.layout.header_block import read_header_block
    from vnplans.layout.stamps import remove_signature_stamps
    from vnplans.normalize.units import issuer_key_for
    from vnplans.table.build import extract_tables

    pages = read_pages(path, ocr=ocr)
    warnings: list[str] = list(pages.warnings)
    for page in pages.pages:
        warnings.extend(f"page {page.number}: {w}" for w in page.warnings)
        remove_signature_stamps(page)

    info, header_warnings = read_header_block(pages.pages)
    warnings.extend(header_warnings)

    rows, tables, table_warnings = extract_tables(pages.pages)
    warnings.extend(table_warnings)
    if require_rows and not rows:
        raise NoAppendixError("no plan appendix table found", file=str(path))

    normalize_rows(rows, info.year, issuer_key_for(info), list(info.indices), warnings)

    source = _source(path, pages.sha256, len(pages.pages), text_layer=pages.text_layer,
                     encoding=pages.encoding)
    return PlanDocument(source=source, document=info, rows=rows, tables=tables,
                        warnings=warnings)


def read_word_document(path: str | Path) -> WordDocument:
    """Stage 1 for Word files: the .docx (or the .doc, converted by LibreOffice) as
    sections, paragraphs and tables."""
    from vnplans.word.open import open_word
    from vnplans.word.reader import read_word

    return read_word(open_word(path))


def extract_word(path: str | Path, *, require_rows: bool = True) -> PlanDocument:
    """The chain for a Word file: its tables give the rows (`vnplans.table.word`, then
    the same row assembly and normalisation as a PDF's), an approximate layout of its
    paragraphs and borderless tables gives the header block reader its pages.
    `source.text_layer` is "native" (the text is the document's own) and
    `source.pages` the page count of that layout (an estimate: Word stores none);
    rows have no `pages`."""
    from vnplans.layout.header_block import read_header_block
    from vnplans.normalize.units import issuer_key_for
    from vnplans.table.word import extract_word_rows
    from vnplans.word.layout import lay_out

    document = read_word_document(path)
    pages = lay_out(document)
    warnings: list[str] = []
    info, header_warnings = read_header_block(pages)
    warnings.extend(header_warnings)
    rows, tables, table_warnings = extract_word_rows(document)
    warnings.extend(table_warnings)
    if require_rows and not rows:
        raise NoAppendixError("no plan appendix table found", file=str(path))
    normalize_rows(rows, info.year, issuer_key_for(info), list(info.indices), warnings)
    source = _source(path, document.sha256, len(pages), text_layer="native", encoding="unicode")
    return PlanDocument(source=source, document=info, rows=rows, tables=tables,
                        warnings=warnings)


def _source(path: str | Path, sha256: str, pages: int, *, text_layer: str,
            encoding: str) -> Source:
    """The contract's `source` of a file read by this extractor."""
    return Source(file=printable_name(path), sha256=sha256, pages=pages,
                  text_layer=text_layer, encoding=encoding,  # type: ignore[arg-type]
                  extractor_version=EXTRACTOR_VERSION)


def extract_json(path: str | Path, *, ocr: bool = True, indent: int | None = 2) -> str:
    """`extract(path, ocr=ocr).to_json(indent=indent)`, what `vnplans extract` prints.
    Made where the document is made: from the per-file worker a string comes back
    cheaper than the models (no pickling and unpickling of every row)."""
    return extract(path, ocr=ocr).to_json(indent=indent)


# -- warm-up ---------------------------------------------------------------------------

_preloaded = False


def preload_pipeline() -> None:
    """Import the extraction stages and run the text stages once on a tiny sample, in
    this process, once. Forked workers inherit the loaded modules and lazily built
    tables (spaCy matcher, deadline vocabulary …) copy-on-write, so a batch pays their
    start-up once, not once per file. Failures are ignored: a stage that cannot load
    fails properly, with its reason, inside the worker."""
    global _preloaded
    if _preloaded:
        return
    _preloaded = True
    # No cyclic garbage collection meanwhile, nor of what it loaded afterwards: the
    # loading allocates about a million objects that all live as long as the process,
    # and the collector would scan them over and over (~0.1 s of CPU) to free nothing.
    with paused_gc(freeze=True):
        _warm_up_stages()


def _warm_up_stages() -> None:
    import importlib

    for name in ("vnplans.pdf.open", "vnplans.pdf.reader", "vnplans.textlayer.repair",
                 "vnplans.layout.header_block", "vnplans.table.build",
                 "vnplans.normalize.deadlines", "vnplans.normalize.units",
                 "vnplans.normalize.indices", "vnplans.pipeline"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - see docstring
            continue
    try:
        from vnplans.models import Row
        from vnplans.normalize.deadlines import parse_deadline
        from vnplans.normalize.indices import classify_row
        from vnplans.normalize.units import resolve_units

        parse_deadline("Trước ngày 30/11/2023", 2023)
        resolve_units("Văn phòng Sở, Thanh tra Sở", None)
        classify_row(Row(task="Chỉ số PCI"), ["PCI"])
    except Exception:  # noqa: BLE001 - see docstring
        pass
