"""The one-run page reader in C (`vnplans.pdf._pagetrace`) against PyMuPDF's own
`page.get_texttrace()` and `page.get_cdrawings()`: on every page of every test PDF the
same spans, glyphs, boxes and paths to the last bit, hence the same words and rules;
pages it must not read (lost Unicode mappings, rotation, PyMuPDF's quad corrections
off, errors) go to PyMuPDF's calls.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pymupdf
import pytest

from vnplans.pdf import reader
from vnplans.pdf.rules import rules_from_drawings

TESTS = Path(__file__).parent
PDFS = sorted(p for p in TESTS.rglob("*.pdf") if "badinput" not in p.parts)
BAD_INPUT = sorted((TESTS / "badinput" / "corpus").glob("*.pdf"))

# _trace.h's records
PACKED_SPAN = struct.Struct("=dddqqqq")
PACKED_GLYPH = struct.Struct("=ddddddqq")

in_use = pytest.mark.skipif(not reader.uses_page_trace(),
                            reason="VNPLANS_PURE_PYTHON is set")

# What the reader takes from each span and path
SPAN_KEYS = ("size", "dir", "flags", "font", "chars")
PATH_KEYS = ("type", "items", "rect", "color", "fill")


def _trace(page: pymupdf.Page):
    return reader._trace_once(page)


def _unpacked(spans: bytes, glyphs: bytes, fonts: list[str]) -> list[dict]:
    """The packed trace as `get_texttrace()` dicts (the keys the reader uses)."""
    records = [PACKED_GLYPH.unpack_from(glyphs, at)
               for at in range(0, len(glyphs), PACKED_GLYPH.size)]
    out = []
    for at in range(0, len(spans), PACKED_SPAN.size):
        size, dx, dy, flags, font, first, count = PACKED_SPAN.unpack_from(spans, at)
        chars = tuple((ucs, gid, (ox, oy), (x0, y0, x1, y1))
                      for ox, oy, x0, y0, x1, y1, ucs, gid in records[first:first + count])
        out.append({"size": size, "dir": (dx, dy), "flags": flags, "font": fonts[font],
                    "chars": chars})
    return out


def _exact(words: list) -> list[tuple[str, ...]]:
    return [tuple(repr(getattr(w, name)) for name in w.__slots__) for w in words]


def _assert_page_reads_as_pymupdf(page: pymupdf.Page) -> bool:
    """Compare the one-run reading of `page` with PyMuPDF's; False when the page is
    one the reader leaves to PyMuPDF (checked to be a page with leaked glyphs)."""
    trace = page.get_texttrace()
    drawings = page.get_cdrawings()
    traced = _trace(page)
    if traced is None:
        assert reader.has_leaked_glyphs(trace), "declined a page without leaked glyphs"
        return False
    spans, glyphs, fonts, paths = traced
    assert _unpacked(spans, glyphs, fonts) == [{k: s[k] for k in SPAN_KEYS} for s in trace]
    assert paths == [{k: tuple(d[k]) if k == "rect" else d[k] for k in PATH_KEYS if k in d}
                     for d in drawings]
    words = reader._native.build_packed_words(spans, glyphs, fonts, None, None)
    assert _exact(words) == _exact(reader.python_words_from_trace(trace))
    assert rules_from_drawings(paths) == rules_from_drawings(drawings)
    return True


def test_extension_is_built_and_used():
    """`pip install -e .` compiles it against PyMuPDF's MuPDF: CI notices if it stops."""
    if not reader.uses_native_builder():
        pytest.skip("VNPLANS_PURE_PYTHON is set")
    from vnplans.pdf import _pagetrace

    assert pymupdf.mupdf_version == _pagetrace.MUPDF_VERSION
    assert reader.uses_page_trace()


@in_use
@pytest.mark.parametrize("path", PDFS, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_page_reads_as_pymupdf_reads_it(path):
    read = 0
    with pymupdf.open(path) as doc:
        for page in doc:
            if page.rotation == 0:
                read += _assert_page_reads_as_pymupdf(page)
    if "real" not in path.parts and "legacy" not in path.parts:
        assert read, "no page was read in one run"


@in_use
@pytest.mark.parametrize("path", BAD_INPUT, ids=lambda p: p.name)
def test_damaged_files_read_the_same(path):
    """Mutilated content streams, odd fonts: the same words and rules, or the same
    warnings, as with PyMuPDF's calls alone."""
    try:
        with_trace = reader.read_pdf(path)
    except Exception as exc:  # noqa: BLE001 - compared with the other way's failure
        with_trace = repr(exc)
    saved = reader._page_trace
    reader._page_trace = None
    try:
        try:
            without = reader.read_pdf(path)
        except Exception as exc:  # noqa: BLE001
            without = repr(exc)
    finally:
        reader._page_trace = saved
    assert repr(with_trace) == repr(without)


def _drawn_pdf(tmp_path: Path) -> Path:
    """Every kind of path the line-art device distinguishes."""
    doc = pymupdf.open()
    page = doc.new_page(width=400, height=300)
    page.draw_rect(pymupdf.Rect(10, 10, 100, 40), color=(0, 0, 0), fill=(1, 1, 0))  # "fs"
    page.draw_rect(pymupdf.Rect(10, 50, 100, 51), fill=(0, 0, 0), color=None)       # thin fill
    page.draw_line((10, 60), (200, 60), color=(1, 0, 0))                            # line
    page.draw_quad(pymupdf.Quad((10, 70), (60, 72), (10, 100), (62, 98)), color=(0, 0, 1))
    page.draw_polyline([(120, 10), (180, 10), (180, 40), (120, 40), (120, 10)], color=(0, 0, 0))
    page.draw_bezier((200, 10), (220, 60), (260, 0), (300, 50), color=(0, 0.5, 0))
    page.draw_circle((330, 100), 20, color=(0, 0, 0), fill=(0.5, 0.5, 0.5))
    page.draw_rect(pymupdf.Rect(200, 200, 300, 250), color=(1, 1, 1))               # white
    shape = page.new_shape()
    shape.draw_rect(pymupdf.Rect(20, 200, 80, 260))
    shape.finish(color=(0, 0, 0), fill=None, closePath=True)
    shape.commit()
    page.insert_text((20, 150), "Kế hoạch số 107", fontname="helv", fontsize=11)
    page.insert_text((20, 170), "ignored text", fontsize=9, render_mode=3)           # Tr 3
    page.insert_text((20, 190), "stroked", fontsize=12, render_mode=1)               # Tr 1
    path = tmp_path / "drawn.pdf"
    doc.save(path)
    return path


@in_use
def test_paths_and_text_modes_read_as_pymupdf(tmp_path):
    with pymupdf.open(_drawn_pdf(tmp_path)) as doc:
        page = doc[0]
        assert _assert_page_reads_as_pymupdf(page)
        kinds = {d["type"] for d in page.get_cdrawings()}
        assert {"f", "s", "fs"} <= kinds
        items = {it[0] for d in page.get_cdrawings() for it in d["items"]}
        assert {"l", "re", "qu", "c"} <= items


@in_use
def test_leaked_glyphs_are_left_to_pymupdf():
    """QD-1050's fonts lost their Unicode mappings: the repair needs the full trace."""
    path = TESTS / "data" / "real" / "QD-1050-kiem-tra-VLNCN-2026.pdf"
    with pymupdf.open(path) as doc:
        assert _trace(doc[0]) is None
    read = reader.read_pdf_for_repair(path)
    try:
        assert 1 in read.traces and not read.pages.pages[0].words
    finally:
        read.pdf.close()


@in_use
def test_quad_corrections_off_are_left_to_pymupdf():
    """With PyMuPDF's ascender/descender corrections off its trace reports other
    boxes: the reader then uses that trace, not its own."""
    with pymupdf.open(TESTS / "fixtures" / "pdfs" / "bd2023.pdf") as doc:
        page = doc[0]
        assert _trace(page) is not None
        pymupdf.TOOLS.unset_quad_corrections(True)
        try:
            assert _trace(page) is None
        finally:
            pymupdf.TOOLS.unset_quad_corrections(False)


@in_use
def test_null_addresses_are_refused():
    from vnplans.pdf import _pagetrace

    with pytest.raises(ValueError):
        _pagetrace.trace_page(0, 0)
    with pytest.raises(TypeError):
        _pagetrace.trace_page("context", 1)


@in_use
def test_packed_words_check_their_records():
    """Records that do not fit (a truncated buffer, a span beyond the glyphs, a font
    index out of the list) are refused, never read out of bounds."""
    build = reader._native.build_packed_words
    glyph = PACKED_GLYPH.pack(10.0, 20.0, 10.0, 12.0, 15.0, 21.0, 65, 36)
    span = PACKED_SPAN.pack(11.0, 1.0, 0.0, 4, 0, 0, 1)
    assert [w.text for w in build(span, glyph, ["Times"], None, None)] == ["A"]
    with pytest.raises(TypeError):
        build(span[:-1], glyph, ["Times"], None, None)
    with pytest.raises(TypeError):
        build(span, glyph + b"\0", ["Times"], None, None)
    with pytest.raises(ValueError):
        build(PACKED_SPAN.pack(11.0, 1.0, 0.0, 4, 0, 0, 2), glyph, ["Times"], None, None)
    with pytest.raises(ValueError):
        build(PACKED_SPAN.pack(11.0, 1.0, 0.0, 4, 1, 0, 1), glyph, ["Times"], None, None)
    with pytest.raises(TypeError):
        build(span, glyph, ["Times"], None)


@in_use
def test_odd_sizes_and_transforms_read_as_pymupdf(tmp_path):
    """Sizes and matrices that are not whole numbers: the single-precision font size
    and boxes must round exactly as PyMuPDF's trace rounds them."""
    doc = pymupdf.open()
    page = doc.new_page(width=842, height=595)
    y = 40
    for size in (7.3, 10.37, 13.01, 14.999, 33.3333):
        page.insert_text((30, y), "Phối hợp thực hiện 30/11/2023", fontsize=size)
        y += size * 1.6
    page.insert_text((400, 300), "xoay 30 độ", fontsize=11.7, morph=(pymupdf.Point(400, 300),
                     pymupdf.Matrix(1.37, 0, 0.2, 0.91, 0, 0) * pymupdf.Matrix(30)))
    page.insert_text((600, 500), "đứng", fontsize=12.2, rotate=90)
    path = tmp_path / "odd.pdf"
    doc.save(path)
    with pymupdf.open(path) as saved:
        assert _assert_page_reads_as_pymupdf(saved[0])


@in_use
def test_mutated_content_streams_read_as_pymupdf():
    """Content streams with bytes changed, cut or inserted (bad operators, fonts,
    numbers): the same reading as PyMuPDF's, or left to PyMuPDF."""
    import random

    rng = random.Random(1894)
    sources = sorted((TESTS / "fixtures" / "pdfs").glob("*.pdf"))
    read = 0
    for _ in range(60):
        with pymupdf.open(rng.choice(sources)) as doc:
            number = rng.randrange(doc.page_count)
            xrefs = doc[number].get_contents()
            if doc[number].rotation or not xrefs:
                continue
            xref = rng.choice(xrefs)
            data = bytearray(doc.xref_stream(xref))
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(data))
                kind = rng.random()
                if kind < 0.4:
                    data[at] = rng.choice(b"()<>[]/0123456789.-TJTjTfTdcmrefSsqQBTET \n")
                elif kind < 0.7:
                    del data[at:at + rng.randint(1, 20)]
                else:
                    data[at:at] = bytes(rng.choice(b"0123456789 .-Tfcmre")
                                        for _ in range(rng.randint(1, 10)))
            doc.update_stream(xref, bytes(data))
            page = doc[number]
            try:
                page.get_texttrace()
                page.get_cdrawings()
            except Exception:  # noqa: BLE001 - PyMuPDF itself fails: the reader must decline
                assert _trace(page) is None
                continue
            read += _assert_page_reads_as_pymupdf(page)
    assert read >= 20
