"""Stage 1: a PDF file as pages of words (with boxes and style) and ruling lines.

Words are rebuilt from glyphs, not taken from the PDF's space characters: Word and
LibreOffice exports often place every word (sometimes every glyph) on its own without
any space character, and MuPDF's own synthetic spaces miss many gaps after Vietnamese
precomposed letters ("đềtruyền"). A word therefore ends at a whitespace character, at
a horizontal gap wider than a fraction of the font size, or where the baseline moves.

Coordinates are in the page's displayed orientation: MuPDF reports glyphs and
drawings on the unrotated media box, so a landscape page stored as a rotated portrait
page is turned with the page's rotation matrix.

The word builder's glyph loop also exists in C (`_wordbuilder.c`, built by setup.py,
optional): `words_from_trace` uses it when it is compiled, and the Python builder
(`python_words_from_trace`, the reference) for anything it declines or when the
environment variable VNPLANS_PURE_PYTHON=1 is set. Both give identical words.

PyMuPDF's `get_texttrace()` and `get_cdrawings()` interpret a page's content twice and
make a Python tuple per glyph. Where it can, `read_page` runs the page once instead,
through `_pagetrace.c` (optional too), which hands the C builder the same glyph values
packed and returns the same path dicts; pages it declines (see `_trace_once`) and
rotated pages are read with PyMuPDF's calls, as is everything without the extensions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import unicodedata
from functools import cache
from operator import itemgetter
from pathlib import Path
from types import ModuleType

import pymupdf

from vnplans.errors import BadInputError
from vnplans.gc_pause import paused_gc
from vnplans.ir import DocumentPages, Page, Word
from vnplans.pdf.open import open_pdf
from vnplans.pdf.rules import rules_from_drawings

# A gap between glyphs wider than this share of the font size separates two words.
# A normal space is 0.25–0.32 em; kerning and condensed/expanded letter spacing stay
# well under 0.1 em, so 0.14 em splits every typeset space and nothing inside a word.
WORD_GAP_EM = 0.14
# A glyph whose baseline moves by more than this share of the size starts a new line.
BASELINE_SHIFT_EM = 0.4
# A glyph that starts this far (in em) left of the previous glyph's end starts a new
# word (a new line, a column jump, or text drawn out of order).
BACKWARD_JUMP_EM = 0.5

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
_LIGATURE_CHARS = frozenset(_LIGATURES)
_FLAG_ITALIC = 2
_FLAG_BOLD = 16


@dataclasses.dataclass(slots=True)
class ReadForRepair:
    """What `read_pdf_for_repair` hands to `vnplans.textlayer.repair.repair_pages`:
    the pages read, the open PDF (the repair reads fonts and glyph ids from it, then
    closes it) and the text traces of the pages with leaked glyphs (U+FFFD), by page
    number: those pages have no words yet (the repair builds them once, from the
    repaired trace, and drops each trace once done with it)."""

    pages: DocumentPages
    pdf: pymupdf.Document
    traces: dict[int, list]


def read_pdf(path: str | Path) -> DocumentPages:
    """Every page of the PDF at `path` as words and rules.

    Raises `BadInputError` (one-line reason, see `vnplans.pdf.open.open_pdf`) when the
    file is missing, empty, not a PDF, truncated, encrypted, or has no pages. A
    damaged file MuPDF can repair still reads, with a warning; a page whose content
    fails to parse keeps what could be read, with a page warning.
    """
    doc, pages, _traces = _read(path, defer_leaked=False)
    doc.close()
    return pages


def read_pdf_for_repair(path: str | Path) -> ReadForRepair:
    """`read_pdf` for `vnplans.textlayer.repair.repair_pages`, which must follow: a
    page with leaked glyphs (U+FFFD) keeps its text trace and gets no words yet, and
    the open document is handed over (see `ReadForRepair`)."""
    doc, pages, traces = _read(path, defer_leaked=True)
    return ReadForRepair(pages, doc, traces)


def _read(path: str | Path, *, defer_leaked: bool
          ) -> tuple[pymupdf.Document, DocumentPages, dict[int, list]]:
    """The open document, its pages, and the text traces of pages with leaked glyphs
    (with `defer_leaked` only, whose words are then left to the repair)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        open_pdf(path)  # raises the one-line reason (no such file, directory, permission …)
        raise BadInputError("cannot read the file", file=str(path)) from None
    warnings: list[str] = []
    doc = open_pdf(path, data=data, warnings=warnings)
    # A page's text trace is thousands of small tuples, none of them in a reference
    # cycle: the cyclic collector would only rescan them over and over (~15% of the
    # reading time), so it is paused while pages are read.
    # When the pause ends, the first new container object runs a collection over
    # everything read (a pipeline that repairs next keeps it paused, see
    # `vnplans.textlayer.repair.read_repaired`).
    traces: dict[int, list] = {}
    with paused_gc():
        try:
            pages = []
            for index in range(doc.page_count):
                page, trace = read_page(doc, index, defer_leaked=defer_leaked)
                pages.append(page)
                if trace is not None:
                    traces[page.number] = trace
            out = DocumentPages(path=str(path), sha256=hashlib.sha256(data).hexdigest(),
                                pages=pages, warnings=warnings)
        except BaseException:
            doc.close()
            raise
    return doc, out, traces


def read_page(doc: pymupdf.Document, index: int, *, defer_leaked: bool = False
              ) -> tuple[Page, list | None]:
    """One page (0-based `index`) as a `Page` with 1-based number, and with
    `defer_leaked` the text trace of a page with leaked glyphs (else None), whose
    words are then left to the text-layer repair (see `read_pdf_for_repair`)."""
    try:
        page = doc.load_page(index)
        rect = page.rect
        matrix = page.rotation_matrix if page.rotation else None
        out = Page(number=index + 1, width=float(rect.width), height=float(rect.height))
    except Exception as exc:  # noqa: BLE001
        out = Page(number=index + 1, width=0.0, height=0.0)
        out.warnings.append(f"page cannot be read ({_short(exc)})")
        out.text_source = "empty"
        return out, None
    if matrix is None and _page_trace is not None and _read_once(page, out):
        return out, None
    leaked = False
    try:
        trace = page.get_texttrace()
        leaked = has_leaked_glyphs(trace)
        if not (leaked and defer_leaked):
            out.words = words_from_trace(trace, matrix)
    except Exception as exc:  # noqa: BLE001 - a broken content stream loses this page's text only
        out.warnings.append(f"text cannot be read ({_short(exc)})")
    try:
        out.rules = rules_from_drawings(page.get_cdrawings(), matrix)
    except Exception as exc:  # noqa: BLE001
        out.warnings.append(f"ruling lines cannot be read ({_short(exc)})")
    if not out.words and not leaked:
        out.text_source = "empty"
    return out, (trace if leaked and defer_leaked else None)


def _read_once(page: pymupdf.Page, out: Page) -> bool:
    """Fill `out` from one MuPDF run over `page`; False (nothing filled) where
    PyMuPDF's calls must read it (see `_trace_once`), or where building its words or
    rules fails: they then read it again and report what fails."""
    traced = _trace_once(page)
    if traced is None:
        return False
    spans, glyphs, fonts, drawings = traced
    try:
        words = _native.build_packed_words(spans, glyphs, fonts, None, None)
        rules = rules_from_drawings(drawings)
    except Exception:  # noqa: BLE001 - see docstring
        return False
    out.words, out.rules = words, rules
    if not words:
        out.text_source = "empty"
    return True


def _trace_once(page: pymupdf.Page) -> tuple[bytes, bytes, list[str], list[dict]] | None:
    """The page's packed text trace and its drawings from one MuPDF run
    (`_pagetrace`), or None where PyMuPDF's own calls must read the page: glyphs
    that lost their Unicode mapping (the repair needs the full trace), an error in
    the content, or PyMuPDF's quad corrections switched off (which changes the
    boxes its trace reports)."""
    if pymupdf.TOOLS.unset_quad_corrections():
        return None
    try:
        context = int(pymupdf.mupdf.internal_context_get().this)
        return _page_trace.trace_page(context, page.this.m_internal_value())
    except Exception:  # noqa: BLE001 - PyMuPDF's calls then read the page (and report)
        return None


_CODE = itemgetter(0)  # a trace glyph's code point


def has_leaked_glyphs(spans: list[dict]) -> bool:
    """Does the text trace hold a glyph whose Unicode mapping the PDF lost (reported
    as U+FFFD)? Checked in C, span by span, without building words."""
    if _native is not None:
        leaked = _native.has_leaked(spans)
        if leaked is not None:
            return leaked
    return any(0xFFFD in map(_CODE, span["chars"]) for span in spans)


def _short(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


_SPACES = frozenset(c for c in range(0x3100) if chr(c).isspace()) | {0x200B, 0xFEFF}


@cache
def _style(font: str, flags: int, size: float) -> tuple[str, float, bool, bool]:
    name = font.split("+", 1)[1] if "+" in font[:8] else font
    low = name.lower()
    bold = bool(flags & _FLAG_BOLD) or "bold" in low or "black" in low or "heavy" in low
    italic = bool(flags & _FLAG_ITALIC) or "italic" in low or "oblique" in low
    return name, round(size, 2), bold, italic


@cache
def _direction(dx: float, dy: float) -> tuple[int, int, int, float]:
    """(start index, stop index, baseline index, sign) into a glyph box/origin for text
    running along (dx, dy): positions along the line are `sign * box[index]`."""
    if abs(dx) >= abs(dy):
        return (0, 2, 1, 1.0) if dx >= 0 else (2, 0, 1, -1.0)
    return (1, 3, 0, 1.0) if dy >= 0 else (3, 1, 0, -1.0)


_LIGATURE_TABLE = str.maketrans(_LIGATURES)


def _turned_box(x0: float, y0: float, x1: float, y1: float,
                matrix: pymupdf.Matrix) -> tuple[float, float, float, float]:
    r = pymupdf.Rect(x0, y0, x1, y1) * matrix
    return r.x0, r.y0, r.x1, r.y1


def _words(pending: list[tuple], codes: list[int], matrix: pymupdf.Matrix | None) -> list[Word]:
    """`Word`s from (x0, y0, x1, y1, style) tuples and the character codes of all
    words, each word's codes followed by a 0; boxes are turned by `matrix`.

    The page's text is normalised in one go rather than word by word: U+0000 never
    composes with anything, so NFC of the joined text splits back into exactly the
    NFC of each word (and the reader never emits U+0000 itself)."""
    text = "".join(map(chr, codes))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if _LIGATURE_CHARS.intersection(text):
            text = text.translate(_LIGATURE_TABLE)
    texts = text.split("\x00")
    texts.pop()  # after the last word's 0
    words: list[Word] = []
    append = words.append
    for word_text, (x0, y0, x1, y1, (font, size, bold, italic)) in zip(texts, pending, strict=True):
        if matrix is not None:
            x0, y0, x1, y1 = _turned_box(x0, y0, x1, y1, matrix)
        append(Word(word_text, x0, y0, x1, y1, font, size, bold, italic))
    return words


def words_from_trace(spans: list[dict], matrix: pymupdf.Matrix | None = None) -> list[Word]:
    """Words from `page.get_texttrace()` spans (unrotated page space), in
    content-stream order; boxes are turned by `matrix` (the page's rotation matrix).

    Splitting happens along each span's own writing direction, so text written
    upwards on a rotated page splits exactly like ordinary text. A word may continue
    over several spans (per-glyph positioning, a font change inside a word).

    Runs in C (`_wordbuilder.c`, the same algorithm) when the extension is built;
    `python_words_from_trace` is the reference and the fallback.
    """
    if _native is not None:
        words = _native.build_words(spans, matrix, None if matrix is None else tuple(matrix))
        if words is not None:
            return words
    return python_words_from_trace(spans, matrix)


def python_words_from_trace(spans: list[dict], matrix: pymupdf.Matrix | None = None,
                            ) -> list[Word]:
    """`words_from_trace` in pure Python (the C builder's reference)."""
    # The per-glyph loop is the reader's hot path: state lives in local variables
    # (no per-glyph calls, attribute or list lookups), and a finished word is queued
    # as a tuple; text and `Word` objects are made in one pass at the end.
    pending: list[tuple] = []
    queue = pending.append
    codes: list[int] = []  # every word's character codes, each word ended by a 0
    code = codes.append
    in_word = False
    x0 = y0 = x1 = y1 = 0.0
    style = ("", 0.0, False, False)
    direction = (0, 2, 1, 1.0)
    base = end = gap = back = 0.0
    spaces = _SPACES
    style_of = _style
    direction_of = _direction
    shift_em = BASELINE_SHIFT_EM
    gap_em = WORD_GAP_EM
    back_em = BACKWARD_JUMP_EM
    previous: tuple | None = None
    for span in spans:
        chars = span["chars"]
        if not chars:
            continue
        first = chars[0]
        # Some fonts (Type 3, odd font matrices) report a nominal size of 1: the
        # glyph box height is the better measure of the size words are spaced by.
        b0 = first[3]
        size = max(span["size"] or 0.0, 0.7 * abs(b0[3] - b0[1])) or 1.0
        # Simulated bold draws the same text twice, a hair apart: keep it once.
        signature = (len(chars), first[0], chars[-1][0])
        origin = first[2]
        ox, oy = origin
        if previous is not None and previous[0] == signature \
                and abs(previous[1] - ox) < 0.15 * size and abs(previous[2] - oy) < 0.15 * size \
                and all(a[0] == b[0] for a, b in zip(chars, previous[3], strict=True)):
            continue
        previous = (signature, ox, oy, chars)
        span_style = style_of(span["font"], span["flags"], size)
        span_direction = direction_of(*span["dir"])
        ks, ke, kb, sign = span_direction
        span_base = origin[kb]
        if in_word and (span_direction != direction or abs(span_base - base) > shift_em * size):
            queue((x0, y0, x1, y1, style))
            code(0)
            in_word = False
        if not in_word:
            style, direction, base = span_style, span_direction, span_base
        span_gap = gap_em * size
        span_back = back_em * size
        for ucs, _gid, glyph_origin, b in chars:
            if ucs in spaces:
                if in_word:
                    queue((x0, y0, x1, y1, style))
                    code(0)
                    in_word = False
                continue
            if in_word:
                s = b[ks] * sign
                if s - end > gap or end - s > back:
                    queue((x0, y0, x1, y1, style))
                    code(0)
                else:
                    code(ucs if ucs > 0 else 0xFFFD)
                    bx0, by0, bx1, by1 = b
                    if bx0 < x0:
                        x0 = bx0
                    if by0 < y0:
                        y0 = by0
                    if bx1 > x1:
                        x1 = bx1
                    if by1 > y1:
                        y1 = by1
                    e = b[ke] * sign
                    if e > end:
                        end = e
                    continue
            # The glyph starts a word, on its own baseline: Word ends a span at a
            # line break only when the font changes, so the first letter of a
            # wrapped line's first word often closes the previous line's span
            # ("… trình t" / "ự, thủ tục"), and the next span must join it.
            in_word = True
            code(ucs if ucs > 0 else 0xFFFD)
            x0, y0, x1, y1 = b
            end = b[ke] * sign
            style, direction, base = span_style, span_direction, glyph_origin[kb]
            gap, back = span_gap, span_back
    if in_word:
        queue((x0, y0, x1, y1, style))
        code(0)
    return _words(pending, codes, matrix)


# The fields `_wordbuilder.build_words` fills, in `Word`'s order; the others keep
# their defaults.
_BUILT_FIELDS = ("text", "x0", "y0", "x1", "y1", "font", "size", "bold", "italic")


def _native_builder() -> ModuleType | None:
    """The C word builder, configured with this module's definitions; None when it
    is not compiled, does not fit `Word` any more, or VNPLANS_PURE_PYTHON is set
    (to compare both builders)."""
    if os.environ.get("VNPLANS_PURE_PYTHON", "") not in ("", "0"):
        return None
    try:
        from vnplans.pdf import _wordbuilder
    except ImportError:  # not compiled (optional, see setup.py)
        return None
    fields = dataclasses.fields(Word)
    # The C builder fills a `Word`'s slots without running `__init__`.
    if tuple(f.name for f in fields[:len(_BUILT_FIELDS)]) != _BUILT_FIELDS \
            or hasattr(Word, "__post_init__") \
            or any(f.default is dataclasses.MISSING for f in fields[len(_BUILT_FIELDS):]):
        return None
    try:
        _wordbuilder.configure(
            Word, tuple(Word.__dict__[f.name] for f in fields),
            tuple(f.default for f in fields[len(_BUILT_FIELDS):]),
            _style, _turned_box, unicodedata.normalize, _LIGATURE_TABLE, _SPACES,
            WORD_GAP_EM, BASELINE_SHIFT_EM, BACKWARD_JUMP_EM)
    except (TypeError, ValueError, KeyError):
        return None
    return _wordbuilder


_native = _native_builder()


def _page_trace_reader() -> ModuleType | None:
    """The one-run page reader (`_pagetrace`), when it is compiled against the MuPDF
    PyMuPDF has loaded and the C word builder is in use (it reads the packed trace);
    None otherwise, and with VNPLANS_PURE_PYTHON set."""
    if _native is None:
        return None
    try:
        from vnplans.pdf import _pagetrace
    except ImportError:  # not compiled, or built for another PyMuPDF's MuPDF
        return None
    if pymupdf.mupdf_version != _pagetrace.MUPDF_VERSION:
        return None
    return _pagetrace


_page_trace = _page_trace_reader()


def uses_native_builder() -> bool:
    """Are words built by the C extension (`_wordbuilder`) in this process?"""
    return _native is not None


def uses_page_trace() -> bool:
    """Are pages read in one MuPDF run (`_pagetrace`) in this process?"""
    return _page_trace is not None


__all__ = ["ReadForRepair", "has_leaked_glyphs", "python_words_from_trace", "read_pdf",
           "read_pdf_for_repair", "read_page",
           "uses_native_builder", "uses_page_trace", "words_from_trace"]
