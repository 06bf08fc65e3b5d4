"""The text-layer stage: make every page's words real Unicode Vietnamese.

Called right after `vnplans.pdf.reader.read_pdf`. In order of cost:

1. leaked glyph ids (U+FFFD from fonts whose ToUnicode map was lost) are recovered
   from the glyph id, checked against the advance width (`native`, `glyphs`);
2. words in legacy fonts (TCVN3 .VnTime, VNI-Times) are decoded (`legacy`), by font
   name or, failing that, by character statistics; decomposed (NFD) text becomes NFC;
3. pages without a text layer, or whose layer is still not Vietnamese, are OCR'd
   (`ocr`), when `ocr` is allowed.

Each page's `text_source` says what happened; what stays doubtful goes into warnings.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from vnplans.gc_pause import paused_gc
from vnplans.ir import DocumentPages, Page, Word
from vnplans.textlayer import legacy
from vnplans.textlayer.syllables import validity

if TYPE_CHECKING:
    import pymupdf

# A page is re-read by OCR when, after repair, fewer than this share of its words
# are Vietnamese syllables …
MIN_VALIDITY = 0.75
# … or more than this share of its characters could not be identified (fewer: only
# the words holding them are OCR'd).
MAX_UNKNOWN_SHARE = 0.2
# Fewer judged words than this: too little text to call the page garbled.
MIN_JUDGED = 10
# A page with fewer non-space characters than this is treated as having no text layer.
MIN_TEXT_CHARS = 20
# A page whose shorter side is below this (in points; half an inch) cannot hold a line
# of plan text and is never OCR'd: a PDF of thousands of 3×3 pt pages (a page-count
# bomb) must not cost an OCR pass per page.
MIN_OCR_SIDE_PT = 36.0


def _page_text(page: Page) -> str:
    """The page's words joined by single spaces. The checks below take it as
    computed once and passed on for as long as no step changes the words: a clean
    native page (nearly every page) goes through all of them unchanged."""
    return " ".join([w.text for w in page.words])


def _repair_glyphs(page: Page, pdf: _LazyPdf, traces: dict[int, list]) -> int:
    """Rebuild the words of a page holding leaked glyphs; returns the glyphs recovered.

    The words are rebuilt from the repaired text trace with the reader's own word
    builder: a leaked space glyph was no word break to the reader, and the recovered
    characters must be split exactly like clean text (rules etc. stay the reader's).
    Glyphs the glyph id does not identify are looked up by their outline. A page the
    reader left without words (`read_pdf_for_repair`) gets them here, from its trace
    in `traces` (dropped once the words are built)."""
    from vnplans.pdf.reader import words_from_trace
    from vnplans.textlayer.glyphs import face_for
    from vnplans.textlayer.native import repair_trace
    from vnplans.textlayer.outlines import IdTable, recover_by_outline

    pdf_page = pdf.page(page.number)
    trace = traces.get(page.number)
    if trace is None:
        trace = pdf_page.get_texttrace()
    matrix = pdf_page.rotation_matrix if pdf_page.rotation else None
    id_table = IdTable(pdf_page, pdf.programs(), face_for)
    spans, leaked, recovered, unresolved = repair_trace(trace, id_table=id_table)
    if not leaked:
        if not page.words:
            page.words = words_from_trace(trace, matrix)
        traces.pop(page.number, None)
        return 0
    by_outline = 0
    if unresolved:
        known = recover_by_outline(pdf_page, unresolved, pdf.programs())
        if known:
            before = recovered
            spans, leaked, recovered, unresolved = repair_trace(trace, known, id_table)
            by_outline = recovered - before
    page.words = words_from_trace(spans, matrix)
    traces.pop(page.number, None)
    if by_outline:
        page.warnings.append(f"{by_outline} characters identified by their glyph outline "
                             "(font not in the glyph-id table)")
    if leaked > recovered:
        page.warnings.append(
            f"{leaked - recovered} of {leaked} characters with a lost Unicode mapping "
            "could not be identified")
    return recovered


def _unrepaired_words(page: Page, pdf: _LazyPdf, traces: dict[int, list]) -> None:
    """The reader's own words for a page whose repair failed before building them."""
    from vnplans.pdf.reader import words_from_trace

    trace = traces.pop(page.number, None)
    if trace is None or page.words:
        return
    try:
        pdf_page = pdf.page(page.number)
        matrix = pdf_page.rotation_matrix if pdf_page.rotation else None
    except Exception:  # noqa: BLE001 - the page was read once: only its matrix is lost
        matrix = None
    page.words = words_from_trace(trace, matrix)
    if not page.words:
        page.text_source = "empty"


def _judged_text(words: list[Word], text: str | None = None) -> str:
    """The words' text for the syllable check: words holding unidentified characters
    left out (they are judged by OCR later, not here). `text`: the words joined by
    single spaces, when already known."""
    if text is None:
        text = " ".join([w.text for w in words])
    if "\ufffd" in text:
        text = " ".join([w.text for w in words if "\ufffd" not in w.text])
    return text


# A page's text is judged twice (before the glyph-id re-read, then for OCR) and is
# nearly always the same text both times.
_page_validity = lru_cache(maxsize=2)(validity)


def _validity_share(words: list[Word], text: str | None = None) -> tuple[float, int]:
    valid, judged = _page_validity(_judged_text(words, text))
    return (valid / judged if judged else 1.0), judged


def _remap_garbled(page: Page, pdf: _LazyPdf, text: str) -> bool:
    """A page whose text is not Vietnamese although every glyph has a code point:
    its ToUnicode map may be wrong (glyph ids written out as code points). Re-read
    every glyph of a known font from its glyph id; keep it only if the page becomes
    clearly more Vietnamese. `text`: the page's text (`_page_text`)."""
    before, judged = _validity_share(page.words, text)
    if judged < MIN_JUDGED or before >= MIN_VALIDITY:
        return False
    from vnplans.pdf.reader import words_from_trace
    from vnplans.textlayer.glyphs import face_for
    from vnplans.textlayer.native import remap_by_glyph_id
    from vnplans.textlayer.outlines import id_table_applies

    pdf_page = pdf.page(page.number)
    id_table = id_table_applies(pdf_page, pdf.programs(), face_for)
    spans, changed = remap_by_glyph_id(pdf_page.get_texttrace(), id_table)
    if not changed:
        return False
    matrix = pdf_page.rotation_matrix if pdf_page.rotation else None
    words = words_from_trace(spans, matrix)
    after, _ = _validity_share(words)
    if after < MIN_VALIDITY or after - before < 0.2:
        return False
    for word in words:
        word.origin = "repaired"
    page.words = words
    page.warnings.append(f"text layer re-read from glyph ids: its Unicode map is wrong "
                         f"({before:.0%} → {after:.0%} Vietnamese syllables)")
    return True


def _decode_legacy(page: Page, text: str) -> str | None:
    """Decode words set in TCVN3/VNI fonts; returns the encoding found, if any (None:
    no word was changed). `text`: the page's text (`_page_text`).

    By font name first; the words of fonts whose name says nothing are judged by
    character statistics font by font (a page may mix a Unicode heading font with a
    legacy body font), or all together when the reader gave no font names."""
    # Nearly every page: no legacy font name, and none of the characters that the
    # statistics need to see (what holds for the page holds for each font's words).
    fonts = {w.font for w in page.words}
    if not any(legacy.encoding_of_font(font) for font in fonts if font) and \
            not legacy.has_marker_chars(text):
        return None
    found: Counter[str] = Counter()
    unnamed: dict[str, list] = {}
    by_font: dict[str, tuple[str, bool] | None] = {}  # this page's fonts, looked up once
    for word in page.words:
        font = word.font
        if font in by_font:
            hit = by_font[font]
        else:
            hit = by_font[font] = legacy.encoding_of_font(font) if font else None
        if hit is None:
            unnamed.setdefault(word.font, []).append(word)
            continue
        encoding, upper = hit
        decoded = legacy.decode(word.text, encoding, upper)
        if decoded != word.text:
            word.text = decoded
            word.origin = "repaired"
        found[encoding] += 1
    guessed: set[str] = set()
    for words in unnamed.values():
        encoding = legacy.guess_encoding(" ".join(w.text for w in words))
        if encoding is None:
            continue
        for word in words:
            decoded = legacy.decode(word.text, encoding)
            if decoded != word.text:
                word.text, word.origin = decoded, "repaired"
        found[encoding] += len(words)
        guessed.add(encoding)
    for encoding in sorted(guessed):
        page.warnings.append(f"text decoded as {encoding.upper()} by character statistics "
                             "(the font names do not say)")
    return found.most_common(1)[0][0] if found else None


def _needs_ocr(page: Page, text: str | None = None) -> str | None:
    """Why the whole page must be OCR'd (None when its text layer can be used).
    `text`: the page's text (`_page_text`), when already known."""
    if text is None:
        text = _page_text(page)
    chars = len(text) - len(page.words) + 1 if page.words else 0  # without the spaces
    if chars < MIN_TEXT_CHARS:
        return "no text layer"
    unknown = text.count("\ufffd")
    if unknown > MAX_UNKNOWN_SHARE * chars:
        return f"{unknown} unreadable characters"
    # Words with unidentified characters are judged by OCR later, not here.
    valid, judged = _page_validity(_judged_text(page.words, text))
    if judged >= MIN_JUDGED and valid / judged < MIN_VALIDITY:
        return f"only {valid}/{judged} words are Vietnamese syllables"
    return None


def _scan_or_near_empty(page: Page, pdf: _LazyPdf) -> str | None:
    """A page with (almost) no text layer: "no text layer" when an image or outlined
    glyphs cover it (a scan: OCR it), else None — a near-empty native page (the
    signer's name run over onto a page of its own, a blank page) keeps its few words
    and is not OCR'd."""
    from vnplans.textlayer.pagekind import scan_reason

    if scan_reason(pdf.page(page.number)) is not None:
        return "no text layer"
    if not page.words:
        page.text_source = "empty"
    return None


def _reread_unknown(page: Page, pdf: _LazyPdf, ocr: bool, text: str) -> None:
    """Words still holding unidentified characters: OCR just those words. `text`: the
    page's text (`_page_text`)."""
    if "\ufffd" not in text:
        return
    targets = [w for w in page.words if "\ufffd" in w.text]
    if not targets:
        return
    if not ocr:
        page.warnings.append(f"{len(targets)} words keep unreadable characters (OCR is off)")
        return
    from vnplans.textlayer.ocr import reread_words

    replaced = reread_words(page, pdf.page(page.number), targets)
    page.warnings.append(f"{replaced} of {len(targets)} words with unreadable characters "
                         "re-read by OCR")


# Characters that are not text: C0/C1 controls, lone surrogates (a broken ToUnicode
# map can produce them, and they cannot even be written out as UTF-8), BOM and
# zero-width spaces, non-characters (U+FFFE …).
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffe\uffff\u200b]")


def _normalize_words(page: Page, text: str | None = None) -> bool:
    """NFC, characters that are not text removed, empty words dropped; False when no
    word was changed or dropped. `text`: the page's text (`_page_text`), when known."""
    removed = 0
    # Nearly every page is already clean NFC: one check over the page's text (a space
    # neither composes nor reorders with its neighbours, so the joined text is NFC
    # exactly when every word is) instead of one per word.
    joined = _page_text(page) if text is None else text
    if _NOT_TEXT.search(joined) is None and unicodedata.is_normalized("NFC", joined):
        # An empty word leaves two spaces in a row, or one at an end (so may a word's
        # own space: then the words are only checked for nothing).
        if "  " not in joined and joined[:1] != " " and joined[-1:] != " " and \
                (joined or not page.words):
            return False
        words = page.words
        page.words = [w for w in words if w.text]
        return len(page.words) != len(words)
    for word in page.words:
        text = word.text
        if text.isascii() and text.isprintable():
            continue
        cleaned, n = _NOT_TEXT.subn("", text)
        removed += n
        word.text = unicodedata.normalize("NFC", cleaned)
    page.words = [w for w in page.words if w.text]
    if removed:
        page.warnings.append(f"{removed} control or invalid characters removed from the "
                             "text layer")
    return True


class _LazyPdf:
    """The PDF for pages that need their glyph ids, fonts or image: the reader's open
    document when it handed it over (`read_pdf_for_repair`), else opened again
    on first use."""

    def __init__(self, path: str, doc=None) -> None:
        self.path = path
        self._doc = doc
        self._programs = None
        # Pages OCR'd together at the end when several processes may (`ocr_jobs()`).
        self.ocr_jobs = ocr_jobs()
        self.deferred: list[tuple[Page, str, list[Word]]] = []

    def page(self, number: int):
        if self._doc is None:
            import pymupdf

            self._doc = pymupdf.open(self.path)
        return self._doc[number - 1]

    def programs(self):
        from vnplans.textlayer.outlines import FontPrograms

        if self._programs is None:
            if self._doc is None:
                self.page(1)  # opens the file
            self._programs = FontPrograms(self._doc)
        return self._programs

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()


def _ocr_or_warn(page: Page, pdf: _LazyPdf, reason: str, ocr: bool) -> None:
    if not ocr:
        if reason == "no text layer":
            page.text_source = "empty" if not page.words else page.text_source
            page.warnings.append("no text layer and OCR is off")
        else:
            page.warnings.append(f"doubtful text layer: {reason}")
        return
    if min(page.width, page.height) < MIN_OCR_SIDE_PT:
        page.text_source = "empty" if not page.words else page.text_source
        page.warnings.append(f"page too small to hold text ({page.width:g}×{page.height:g} "
                             "pt): not OCR'd")
        return
    native_words = page.words
    if pdf.ocr_jobs > 1:
        pdf.deferred.append((page, reason, native_words))  # OCR'd in parallel, at the end
        return
    from vnplans.textlayer.ocr import ocr_page

    ocr_page(page, pdf.page(page.number))
    _after_ocr(page, reason, native_words)


def _after_ocr(page: Page, reason: str, native_words: list[Word]) -> None:
    if page.words:
        page.text_source = "ocr"
        if reason != "no text layer":
            page.warnings.append(f"text layer replaced by OCR: {reason}")
    else:
        page.words = native_words
        page.text_source = "empty" if not native_words else page.text_source
        page.warnings.append(f"OCR found no text ({reason})")


# `vnplans extract --jobs N` sets this: the scanned pages of one PDF are OCR'd by up
# to N processes at once.
OCR_JOBS_ENV = "VNPLANS_OCR_JOBS"


def ocr_jobs() -> int:
    import os

    try:
        return max(1, int(os.environ.get(OCR_JOBS_ENV, "1")))
    except ValueError:
        return 1


def _ocr_one(path: str, page: Page) -> Page:
    """OCR one page of the PDF at `path` (in a worker process)."""
    import pymupdf

    from vnplans.textlayer.ocr import ocr_page

    with pymupdf.open(path) as doc:
        ocr_page(page, doc[page.number - 1])
    return page


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """Let this process start the OCR workers though it is itself a daemonic worker
    (`vnplans.limits` reads each file in one, and multiprocessing refuses children to
    a daemonic process: `--jobs 2` failed with "daemonic processes are not allowed to
    have children"). The pool is shut down before this returns, so no worker outlives
    the file."""
    import multiprocessing

    config = multiprocessing.current_process()._config  # noqa: SLF001 - no public switch
    daemon = config.get("daemon")
    config["daemon"] = False
    try:
        yield
    finally:
        if daemon is None:
            config.pop("daemon", None)
        else:
            config["daemon"] = daemon


def _ocr_deferred(pdf: _LazyPdf) -> None:
    """OCR the pages put aside, in up to `pdf.ocr_jobs` processes; each page gets the
    worker's words, rules, size and warnings."""
    if not pdf.deferred:
        return
    from concurrent.futures import ProcessPoolExecutor

    work = [Page(p.number, p.width, p.height, [], list(p.rules), p.text_source,
                 list(p.warnings)) for p, _r, _w in pdf.deferred]
    workers = min(pdf.ocr_jobs, len(work))
    with _children_allowed(), ProcessPoolExecutor(workers) as pool:
        done = list(pool.map(_ocr_one, [pdf.path] * len(work), work))
    for (page, reason, native_words), read in zip(pdf.deferred, done, strict=True):
        page.words, page.rules, page.warnings = read.words, read.rules, read.warnings
        page.width, page.height = read.width, read.height
        _after_ocr(page, reason, native_words)
    pdf.deferred = []


def read_repaired(path: str | Path, *, ocr: bool = True) -> DocumentPages:
    """Stages 1–2 for one PDF: `read_pdf` then `repair_pages`, the way the pipeline
    wants them. The reader hands its open PDF over and leaves the words of pages with
    leaked glyphs to the repair (built once, from the repaired trace; see
    `vnplans.pdf.reader.ReadForRepair`), and the cyclic
    garbage collector stays paused from the first page read to the last one repaired:
    a collection in between would scan every glyph of the kept text traces (about a
    tenth of the time of both stages), which are freed before it could run again."""
    from vnplans.pdf.reader import read_pdf_for_repair

    with paused_gc():
        read = read_pdf_for_repair(path)
        return repair_pages(read.pages, ocr=ocr, pdf=read.pdf, traces=read.traces)


def repair_pages(doc: DocumentPages, *, ocr: bool = True, pdf: pymupdf.Document | None = None,
                 traces: dict[int, list] | None = None) -> DocumentPages:
    """Repair the text layer of every page of `doc` in place and return it.

    `pdf` and `traces`: what `vnplans.pdf.reader.read_pdf_for_repair` hands over (the
    open document, closed here; the text traces of the pages it left without words,
    emptied here). Without them the file is opened again when a page needs it.

    A page whose repair fails (a broken font program, a file that cannot be opened
    again) keeps the reader's words and gets a warning; the other pages go on."""
    # As in the reader: the text traces and the repaired copies are thousands of
    # small tuples in no reference cycle, freed before the collector would run again;
    # scanning them (once, when it first runs) costs more than the page's repair.
    # Paused before anything is allocated: right after `read_pdf` the first new
    # container object would start that collection.
    with paused_gc():
        encodings: Counter[str] = Counter()
        lazy = _LazyPdf(doc.path, pdf)
        traces = {} if traces is None else traces
        try:
            for page in doc.pages:
                if page.text_source == "ocr":
                    continue
                try:
                    encoding = _repair_page(page, lazy, ocr, traces)
                except Exception as exc:  # noqa: BLE001 - one page must not lose the document
                    _unrepaired_words(page, lazy, traces)
                    _normalize_words(page)
                    page.warnings.append(f"text layer repair failed ({_short(exc)})")
                    continue
                if encoding:
                    encodings[encoding] += 1
            _ocr_deferred(lazy)
            _roman_quarters_across_pages(doc.pages)
        finally:
            lazy.close()
    if encodings:
        doc.encoding = encodings.most_common(1)[0][0]  # type: ignore[assignment]
    return doc


def _roman_quarters_across_pages(pages: list[Page]) -> None:
    """A scanned plan that writes its quarters in Roman numerals on one page does so on
    all: a lone "Quý 1/2020" on another page is "Quý I/2020" (`fix_quarter_numerals`
    decides page by page otherwise)."""
    from vnplans.textlayer.ocr_tt import fix_quarter_numerals, writes_roman_quarters

    scanned = [p for p in pages if p.text_source == "ocr"]
    if any(writes_roman_quarters(p.words) for p in scanned):
        for page in scanned:
            fix_quarter_numerals(page.words, roman=True)


def _repair_page(page: Page, pdf: _LazyPdf, ocr: bool, traces: dict[int, list]) -> str | None:
    """Repair one page in place; returns the legacy encoding it was in, if any.
    `traces`: see `repair_pages`."""
    repaired = False
    text = _page_text(page)
    if page.number in traces or "\ufffd" in text:
        repaired = _repair_glyphs(page, pdf, traces) > 0
        text = _page_text(page)
    encoding = _decode_legacy(page, text)
    if encoding or _remap_garbled(page, pdf, text):
        repaired = True
        text = _page_text(page)
    if _normalize_words(page, text):
        text = _page_text(page)
    page.text_source = "repaired" if repaired else "native"
    reason = _needs_ocr(page, text)
    if reason == "no text layer":
        reason = _scan_or_near_empty(page, pdf)
    if reason is not None:
        _ocr_or_warn(page, pdf, reason, ocr)
    else:
        _reread_unknown(page, pdf, ocr, text)
    return encoding


def _short(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__
