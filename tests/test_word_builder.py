"""The reader's word builder in C (`vnplans.pdf._wordbuilder`) against its pure-Python
reference (`reader.python_words_from_trace`): the same words, to the last bit of every
box, on the fixture PDFs (rotated pages, repaired traces, simulated bold) and on
random traces; malformed input falls back to the Python builder instead of crashing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from vnplans.pdf import reader
from vnplans.textlayer.native import repair_trace

TESTS = Path(__file__).parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
PDFS = [
    *sorted(TESTS.glob("fixtures/pdfs/*.pdf")),
    *sorted(TESTS.glob("data/real/*.pdf")),
    *sorted(TESTS.glob("fixtures/legacy/*.pdf")),
    *(TESTS / "fixtures/office/variants/pdfs" / name for name in (
        "qng2024_snv__rotated.pdf", "tb2021_ubnd__landscape_all.pdf",
        "cx2022_huyen__arial14.pdf", "bdg2024_skhdt__none_sp0_letters.pdf",
        "qng2024_snv__esign.pdf", "ldg2023_stnmt__none_word2013.pdf")),
]

native = pytest.mark.skipif(not reader.uses_native_builder(),
                            reason="VNPLANS_PURE_PYTHON is set")


def _exact(words: list) -> list[tuple[str, ...]]:
    """Every field of every word, by repr: 12 and 12.0, 0.0 and -0.0 differ."""
    return [tuple(repr(getattr(w, name)) for name in w.__slots__) for w in words]


def _c_words(spans: list[dict], matrix: pymupdf.Matrix | None = None) -> list:
    words = reader._native.build_words(spans, matrix,
                                       None if matrix is None else tuple(matrix))
    assert words is not None, "the C builder declined plain trace data"
    return words


def _assert_same(spans: list[dict], matrix: pymupdf.Matrix | None = None) -> list:
    c_words = _c_words(spans, matrix)
    assert _exact(c_words) == _exact(reader.python_words_from_trace(spans, matrix))
    return c_words


def test_extension_is_built_and_used():
    """The build (`pip install -e .`) compiles the extension: CI notices if it stops."""
    if os.environ.get("VNPLANS_PURE_PYTHON", "") not in ("", "0"):
        pytest.skip("VNPLANS_PURE_PYTHON is set")
    from vnplans.pdf import _wordbuilder  # noqa: F401 - fails when not compiled

    assert reader.uses_native_builder()


def test_pure_python_switch():
    code = "from vnplans.pdf import reader; print(reader.uses_native_builder())"
    env = {**os.environ, "VNPLANS_PURE_PYTHON": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


@native
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_fixture_pages_read_the_same_in_c_and_python(path):
    with pymupdf.open(path) as doc:
        for page in doc:
            trace = page.get_texttrace()
            matrix = page.rotation_matrix if page.rotation else None
            _assert_same(trace, matrix)
            leaked = reader._native.has_leaked(trace)
            assert leaked is any(0xFFFD in [ch[0] for ch in s["chars"]] for s in trace)
            if leaked:  # the repaired trace: new glyph tuples in lists
                spans, *_ = repair_trace(trace)
                _assert_same(spans, matrix)


@native
@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_read_the_same(tmp_path, rotation):
    pdf = tmp_path / "rotated.pdf"
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.set_rotation(rotation)
    for i, y in enumerate((100.0, 160.5, 230.25)):
        page.insert_text(pymupdf.Point(60 + i, y) * page.derotation_matrix,
                         "Phụ lục kế hoạch ﬁnal 2024", fontsize=11 + i, rotate=rotation,
                         fontfile=FONT, fontname="dv")
    doc.save(pdf)
    with pymupdf.open(pdf) as doc:
        page = doc[0]
        words = _assert_same(page.get_texttrace(), page.rotation_matrix)
    assert [w.text for w in words[:4]] == ["Phụ", "lục", "kế", "hoạch"]


@native
def test_simulated_bold_is_dropped_the_same_way(tmp_path):
    if "Serif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Serif", FONT))
    pdf = tmp_path / "fakebold.pdf"
    c = Canvas(str(pdf))
    for dx in (0.0, 0.4):
        c.setFont("Serif", 12)
        c.drawString(72 + dx, 760, "PHỤ LỤC")
    c.setFont("Serif", 12)
    c.drawString(72, 730, "PHỤ LỤC")
    c.drawString(72.3, 730, "PHỤ LỤX")  # same ends, other middle: kept
    c.save()
    with pymupdf.open(pdf) as doc:
        words = _assert_same(doc[0].get_texttrace())
    assert [w.text for w in words][:2] == ["PHỤ", "LỤC"]
    assert len(words) == 6


@native
@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_box_turning_matches_mupdf(rotation):
    page = pymupdf.open().new_page(width=595.3, height=841.89)
    page.set_rotation(rotation)
    m = page.rotation_matrix
    boxes = [(0.0, 0.0, 0.0, 0.0), (-0.0, -0.0, 10.0, 0.0), (72.1, 700.33, 95.77, 712.1),
             (-3.5, 12.0, 600.25, 900.125), (1e-7, 2.5e-3, 1.0000001, 3.3333333)]
    for box in boxes:
        expected = pymupdf.Rect(*box) * m
        got = reader._native.turn_box(*box, tuple(m))
        assert got is not None
        assert [repr(v) for v in got] == [repr(v) for v in expected]


# Random traces: the code points a page holds (letters, combining marks, spaces,
# ligatures, U+FFFD, 0, negative) and boxes in every writing direction.
_codes = st.sampled_from([65, 97, 0x1EA1, 0x0301, 0x0323, 32, 0xA0, 0x3000, 0x200B, 9,
                          0xFB01, 0xFB03, 0xFFFD, 0, -1, 0x1F600, 0x20])
_coord = st.floats(-50, 250, allow_nan=False, width=32)


@st.composite
def _spans(draw):
    spans = []
    x = draw(_coord)
    y = draw(_coord)
    for _ in range(draw(st.integers(0, 6))):
        size = draw(st.sampled_from([0.0, 1.0, 9.5, 12.0, 14.0]))
        direction = draw(st.sampled_from([(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0),
                                          (0.7, 0.7), (0.2, -0.9)]))
        chars = []
        for _ in range(draw(st.integers(0, 8))):
            step = draw(st.sampled_from([0.0, 0.5, 3.0, 6.0, -8.0]))
            x += step
            y += draw(st.sampled_from([0.0, 0.0, 0.3, 7.0]))
            height = draw(st.sampled_from([0.0, 10.0, 16.0]))
            width = draw(st.sampled_from([0.0, 4.0, 6.5, -3.0]))  # < 0: mirrored glyph
            box = (x, y - height, x + width, y + draw(st.sampled_from([0.0, 2.0])))
            chars.append((draw(_codes), 3, (x, y), box))
        span = {"chars": tuple(chars), "size": size, "font": draw(st.sampled_from(
            ["ABCDEF+Times-Bold", "Arial", "XYZ+Italic"])),
            "flags": draw(st.sampled_from([0, 2, 16, 18])), "dir": direction}
        spans.append(span)
        if chars and draw(st.booleans()):  # drawn again a hair apart (simulated bold)
            dx = draw(st.sampled_from([0.0, 0.4, 5.0]))
            again = [(c, g, (o[0] + dx, o[1]), (b[0] + dx, b[1], b[2] + dx, b[3]))
                     for c, g, o, b in chars]
            spans.append({**span, "chars": again})
    return spans


@native
@settings(max_examples=300, deadline=None)
@given(_spans(), st.sampled_from([0, 90, 180, 270, "shear"]))
def test_random_traces_read_the_same(spans, rotation):
    matrix = None
    if rotation == "shear":  # no page rotation: boxes turned by PyMuPDF itself
        matrix = pymupdf.Matrix(1.5, 0.25, -0.5, 1.0, 3.0, 7.0)
    elif rotation:
        page = pymupdf.open().new_page(width=595.0, height=842.0)
        page.set_rotation(rotation)
        matrix = page.rotation_matrix
    _assert_same(spans, matrix)


def _char(code=65, box=(1.0, 2.0, 3.0, 4.0)):
    return (code, 0, (1.0, 4.0), box)


def _span(chars, **extra):
    return {"chars": chars, "size": 12.0, "font": "F", "flags": 0, "dir": (1.0, 0.0),
            **extra}


class _Dict(dict):
    pass


@native
@pytest.mark.parametrize("make", [
    lambda: [_span((_char(), [66, 0, (1.0, 4.0), (3.0, 2.0, 5.0, 4.0)]))],  # a list glyph
    lambda: [_span((_char(box=(1, 2, 3, 4)),))],                             # int coordinates
    lambda: [_span((_char(),), size=12)],                                    # int size
    lambda: [_span((_char(True),))],                                         # bool code point
    lambda: [_span((_char(2 ** 80),))],                                      # huge code point
    lambda: [_span((_char(0x110000),))],                                     # not a code point
    lambda: [_span((_char(box=(1.0, 2.0, 3.0)),))],                          # short box
    lambda: [_span((_char()[:3],))],                                         # short glyph
    lambda: [_span((_char(),), dir=[1.0, 0.0])],                             # a list direction
    lambda: [{"size": 12.0}],                                                # no glyphs
    lambda: [_Dict(_span((_char(),)))],                                      # a dict subclass
    lambda: (s for s in [_span((_char(),))]),                                # a generator
    lambda: ["not a span"],
    lambda: [_span("AB")],
    lambda: None,
])
def test_malformed_input_falls_back_to_python(make):
    """Whatever the C builder cannot take as it is gives the Python builder's answer
    (words or the same exception), never a crash."""
    try:
        expected = _exact(reader.python_words_from_trace(make()))
    except Exception as exc:  # noqa: BLE001
        expected = type(exc)
    assert reader._native.build_words(make(), None, None) is None
    try:
        got = _exact(reader.words_from_trace(make()))
    except Exception as exc:  # noqa: BLE001
        got = type(exc)
    assert got == expected


@native
def test_module_functions_check_their_arguments():
    with pytest.raises(TypeError):
        reader._native.build_words([])
    with pytest.raises(TypeError):
        reader._native.configure(1, 2)
    assert reader._native.has_leaked([_span((_char(0xFFFD),))]) is True
    assert reader._native.has_leaked([_span([_char(), _char()])]) is False
    assert reader._native.has_leaked([_span(((0xFFFD,),))]) is True
    assert reader._native.has_leaked([_span(([0xFFFD],))]) is None
    assert reader._native.has_leaked("spans") is None
    assert reader.has_leaked_glyphs([_span(([0xFFFD],))]) is True
