"""Fuzzing the stages that read text: deadlines, units, index classification and the
header block. Whatever a garbled cell holds, they return a value (with warnings), never
raise, and finish in bounded time.

Inputs mix the vocabulary these parsers look for (so the fuzzing reaches deep into the
grammars) with digits, punctuation, absurd numbers and arbitrary Unicode. The per-example
`deadline` of hypothesis is a hang guard (seconds, where a normal example takes
milliseconds), not a speed measurement.
"""

from __future__ import annotations

import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnplans.ir import Page, Word
from vnplans.models import DocumentInfo, Row, Schedule, SectionRef

FUZZ = settings(max_examples=150, deadline=timedelta(seconds=5), derandomize=True,
                suppress_health_check=[HealthCheck.too_slow], database=None)

DEADLINE_WORDS = [
    "Trước", "trước", "ngày", "tháng", "năm", "Quý", "quý", "I", "II", "III", "IV", "V",
    "hằng", "hàng", "Hàng", "tuần", "thứ", "sáu", "6", "đầu", "cuối", "chậm", "nhất",
    "đến", "hết", "từ", "Từ", "Thường", "xuyên", "Khi", "có", "yêu", "cầu", "định", "kỳ",
    "và", "các", "năm", "tiếp", "theo", "giai", "đoạn", "2021-2025", "2023", "2024",
    "30/11/2023", "31/12", "29/02/2023", "31/04/2024", "0/0/0", "32/13/2023",
    "99999999999999999999", "/", "-", "–", ",", ";", "(", ")", ":", ".", "+", "I/2023",
    "III/2020", "6/2024", "00/2023", "13/2023", "năm2023", "Quý IV/2023",
]
UNIT_WORDS = [
    "Văn", "phòng", "Sở", "Thanh", "tra", "Các", "các", "đơn", "vị", "trực", "thuộc",
    "UBND", "huyện", "thị", "xã", "thành", "phố", "Sở", "Nội", "vụ", "Tài", "chính",
    "Phòng", "Nghiệp", "Y", "Dược", "và", ",", ";", "-", "(", ")", "/", "cơ", "quan",
    "liên", "quan", "Trung", "tâm", "Kiểm", "soát", "bệnh", "tật", "VP", "UBND tỉnh",
    "Ban", "Quản", "lý", "các", "KKT", "Sở, ban, ngành", "địa phương", "tỉnh", "TT",
]
HEADER_WORDS = [
    "UBND", "TỈNH", "BÌNH", "ĐỊNH", "SỞ", "Y", "TẾ", "CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ",
    "NGHĨA", "VIỆT", "NAM", "Độc", "lập", "-", "Tự", "do", "Hạnh", "phúc", "Số:", "Số",
    "12/KH-SYT", "/KH-UBND", "ngày", "tháng", "năm", "2023", "15", "6", "KẾ", "HOẠCH",
    "PCI", "PAPI", "SIPAS", "PAR", "INDEX", "KT.", "GIÁM", "ĐỐC", "PHÓ", "TM.", "Q.",
    "Bình", "Định,", "Lào", "Cai,", "Nơi", "nhận:", "Chỉ", "số", "cải", "cách", "hành",
    "chính", "Quyết", "định", "Thông", "báo", "V/v", "TL.", "CHỦ TỊCH", "(Ký", "tên)",
]
CHAOS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


def phrases(words: list[str], max_words: int = 25) -> st.SearchStrategy[str]:
    token = st.one_of(st.sampled_from(words), st.sampled_from(words), CHAOS,
                      st.integers(-10**6, 10**12).map(str))
    sep = st.sampled_from([" ", " ", " ", "", "\n", "  ", "\t", ", ", "/"])
    return st.lists(st.tuples(token, sep), max_size=max_words).map(
        lambda parts: "".join(t + s for t, s in parts))


# An exception swallowed by a stage's own catch-all shows up as its type name in the
# warning; the fuzzing must not reach those.
_CAUGHT_CRASH = re.compile(r"\((\w+(Error|Exception)|KeyError|StopIteration)\)")


@FUZZ
@given(text=st.one_of(st.none(), phrases(DEADLINE_WORDS), st.text(max_size=200)),
       year=st.one_of(st.none(), st.integers(1, 9999), st.sampled_from([2020, 2023, 2025])))
def test_parse_deadline_never_fails(text: str | None, year: int | None):
    from vnplans.normalize.deadlines import parse_deadline

    schedule, warnings = parse_deadline(text, year)
    assert isinstance(schedule, Schedule)
    assert 0.0 <= schedule.confidence <= 1.0
    for period in schedule.periods:
        assert period.start <= period.end
    assert all(isinstance(w, str) and "\n" not in w for w in warnings)
    assert not any(_CAUGHT_CRASH.search(w) for w in warnings), warnings


@FUZZ
@given(text=st.one_of(st.none(), phrases(UNIT_WORDS), st.text(max_size=200)),
       issuer=st.sampled_from([None, "binh-dinh/so-y-te", "lao-cai/ubnd", "x", ""]))
def test_resolve_units_never_fails(text: str | None, issuer: str | None):
    from vnplans.normalize.units import resolve_units

    units = resolve_units(text, issuer or None)
    assert isinstance(units, list)
    assert all(isinstance(u, str) and u.strip() == u and u for u in units)


@FUZZ
@given(task=st.one_of(st.none(), phrases(HEADER_WORDS + UNIT_WORDS)),
       sections=st.lists(phrases(HEADER_WORDS, 8), max_size=3),
       indices=st.lists(st.sampled_from(["PCI", "PAPI", "SIPAS", "PAR INDEX", "X"]),
                        max_size=4))
def test_classify_row_never_fails(task: str | None, sections: list[str], indices: list[str]):
    from vnplans.normalize.indices import classify_row

    row = Row(task=task, section=[SectionRef(title=t or "-") for t in sections])
    index, component = classify_row(row, indices)
    assert index in (None, "PCI", "PAPI", "SIPAS", "PAR INDEX")
    assert component is None or component.index == index


@st.composite
def pages(draw: st.DrawFn) -> list[Page]:
    """One to three pages of words from the header-block vocabulary (and chaos) at random
    places and sizes, in random order, some overlapping, some off the page."""
    result = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        width, height = draw(st.sampled_from([(595.0, 842.0), (842.0, 595.0), (10.0, 10.0)]))
        words = []
        for _ in range(draw(st.integers(0, 60))):
            text = draw(st.one_of(st.sampled_from(HEADER_WORDS), CHAOS.filter(
                lambda t: t.strip() != "" and not any(c.isspace() for c in t))))
            x0 = draw(st.floats(-50, width + 50, allow_nan=False))
            y0 = draw(st.floats(-50, height + 50, allow_nan=False))
            size = draw(st.sampled_from([0.0, 1.0, 8.0, 12.0, 13.0, 14.0, 400.0]))
            words.append(Word(text=text, x0=x0, y0=y0, x1=x0 + size * 0.5 * len(text),
                              y1=y0 + size, size=size, bold=draw(st.booleans()),
                              italic=draw(st.booleans())))
        result.append(Page(number=number, width=width, height=height, words=words))
    return result


@settings(FUZZ, max_examples=60)  # whole pages: each example is a full header-block read
@given(doc_pages=pages())
def test_read_header_block_never_fails(doc_pages: list[Page]):
    from vnplans.layout.header_block import read_header_block

    info, warnings = read_header_block(doc_pages)
    assert isinstance(info, DocumentInfo)
    assert all(isinstance(w, str) for w in warnings)
    assert not any(_CAUGHT_CRASH.search(w) for w in warnings), warnings
    if info.year is not None:
        assert 1900 <= info.year <= 2200
