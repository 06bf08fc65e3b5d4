"""Property tests of the deadline reader: generated well-formed phrases (random
dates, quarters, months, years and recurrences in the spellings offices use) come
back as the right dates; any text at all gives a valid schedule and never raises."""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from vnplans.models import Schedule
from vnplans.normalize.deadlines import parse_deadline

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
RULE = {"weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY",
        "quarterly": "FREQ=MONTHLY;INTERVAL=3", "semiannual": "FREQ=MONTHLY;INTERVAL=6",
        "annual": "FREQ=YEARLY"}

years = st.integers(min_value=2000, max_value=2040)
plan_years = st.integers(min_value=2000, max_value=2040)


def strip_marks(text: str) -> str:
    """The phrase as typed without a Vietnamese keyboard."""
    out = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return out.replace("đ", "d").replace("Đ", "D")


@st.composite
def styled(draw, text: str) -> str:
    """Case and diacritics as offices vary them."""
    style = draw(st.sampled_from(["as is", "upper", "lower", "no marks", "title"]))
    if style == "upper":
        return text.upper()
    if style == "lower":
        return text.lower()
    if style == "no marks":
        return strip_marks(text)
    if style == "title":
        return text[:1].upper() + text[1:]
    return text


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def quarter_bounds(y: int, q: int) -> tuple[date, date]:
    return date(y, 3 * q - 2, 1), month_end(y, 3 * q)


@st.composite
def dates(draw) -> date:
    y = draw(years)
    m = draw(st.integers(1, 12))
    d = draw(st.integers(1, calendar.monthrange(y, m)[1]))
    return date(y, m, d)


def _num(draw, n: int) -> str:
    return f"{n:02d}" if draw(st.booleans()) else str(n)


@st.composite
def dated_deadline(draw) -> tuple[str, date]:
    day = draw(dates())
    d, m = _num(draw, day.day), _num(draw, day.month)
    y = str(day.year) if draw(st.integers(0, 4)) else f"{day.year % 100:02d}"
    sep = draw(st.sampled_from(["/", "/", ".", "-"]))
    numeric = f"{d}{sep}{m}{sep}{y}"
    body = draw(st.sampled_from([
        numeric,
        f"ngày {numeric}",
        f"ngày {d} tháng {m} năm {day.year}",
        f"{d}/{m} năm {day.year}",
    ]))
    opener = draw(st.sampled_from(["Trước ", "Trước ", "trước ", "Chậm nhất ", "Hoàn thành trước ",
                                   "Hạn chót ", "Đến ", ""]))
    tail = draw(st.sampled_from(["", ".", " ", ";"]))
    return draw(styled(opener + body + tail)), day


@st.composite
def quarter_word(draw) -> str:
    return draw(st.sampled_from(["Quý", "quý", "Qúy", "quí", "Quí", "QUÝ", "Q", "Q."]))


@st.composite
def quarter_phrase(draw, with_year: bool) -> tuple[str, int, int | None]:
    q = draw(st.integers(1, 4))
    y = draw(years) if with_year else None
    ordinal = ROMAN[q] if draw(st.booleans()) else str(q)
    word = draw(quarter_word())
    glue = "" if word.startswith("Q") and len(word) <= 2 and draw(st.booleans()) else " "
    text = f"{word}{glue}{ordinal}"
    if y is not None:
        text += draw(st.sampled_from([f"/{y}", f" năm {y}", f" - {y}", f"/ {y}", f" {y}"]))
    prefix = draw(st.sampled_from(["", "", "Trong ", "trong ", "Vào "]))
    return prefix + text, q, y


@st.composite
def month_phrase(draw) -> tuple[str, list[int], int]:
    y = draw(years)
    ms = sorted(set(draw(st.lists(st.integers(1, 12), min_size=1, max_size=3))))
    listed = draw(st.sampled_from([", ", ",", " và ", " , "])).join(_num(draw, m) for m in ms)
    word = draw(st.sampled_from(["Tháng", "tháng", "THÁNG", "Thang"]))
    tail = draw(st.sampled_from([f"/{y}", f" năm {y}", f" / {y}"]))
    return f"{word} {listed}{tail}", ms, y


FREQ_WORDS = {
    "weekly": ["tuần"],
    "monthly": ["tháng"],
    "quarterly": ["quý", "quí", "qúy"],
    "semiannual": ["6 tháng", "06 tháng", "sáu tháng"],
    "annual": ["năm", "cuối năm"],
}


@st.composite
def recurrence_phrase(draw) -> tuple[str, list[str]]:
    freqs = draw(st.lists(st.sampled_from(list(FREQ_WORDS)), min_size=1, max_size=4,
                          unique=True))
    marker = draw(st.sampled_from(["Hàng", "Hằng", "hàng", "Định kỳ hằng", "Định kỳ hàng",
                                   "Mỗi", "Định kì hằng", "HÀNG"]))
    words = [draw(st.sampled_from(FREQ_WORDS[f])) for f in freqs]
    if freqs[0] == "semiannual":   # "Hàng 6 tháng" is not said; "Định kỳ 6 tháng" is
        marker = "Định kỳ"
    joiners = [draw(st.sampled_from([", ", ",", " và ", "; "])) for _ in words[1:]]
    text = f"{marker} {words[0]}"
    for joiner, word in zip(joiners, words[1:], strict=True):
        text += joiner + draw(st.sampled_from(["", "hằng "])) + word
    return draw(styled(text)), freqs


def _check(schedule: Schedule, warnings: list[str]) -> None:
    assert warnings == []
    assert schedule.confidence == 1.0


@settings(max_examples=300, deadline=None)
@given(dated_deadline(), plan_years)
def test_dated_deadlines_round_trip(phrase, plan_year) -> None:
    text, day = phrase
    schedule, warnings = parse_deadline(text, plan_year)
    _check(schedule, warnings)
    assert (schedule.kind, schedule.due, schedule.periods) == ("deadline", day, [])


@settings(max_examples=300, deadline=None)
@given(quarter_phrase(with_year=True), plan_years)
def test_quarters_with_year(phrase, plan_year) -> None:
    text, q, y = phrase
    schedule, warnings = parse_deadline(text, plan_year)
    _check(schedule, warnings)
    start, end = quarter_bounds(y, q)
    assert schedule.kind == "period"
    assert [(p.start, p.end) for p in schedule.periods] == [(start, end)]
    assert schedule.due == end


@settings(max_examples=200, deadline=None)
@given(quarter_phrase(with_year=False), plan_years)
def test_quarters_take_the_plan_year(phrase, plan_year) -> None:
    text, q, _ = phrase
    schedule, warnings = parse_deadline(text, plan_year)
    _check(schedule, warnings)
    assert [(p.start, p.end) for p in schedule.periods] == [quarter_bounds(plan_year, q)]


@settings(max_examples=200, deadline=None)
@given(st.data(), plan_years)
def test_two_quarters_on_two_lines(data, plan_year) -> None:
    q1, q2 = sorted(data.draw(st.lists(st.integers(1, 4), min_size=2, max_size=2, unique=True)))
    y = data.draw(years)
    word = data.draw(quarter_word())
    joiner = data.draw(st.sampled_from(["\n", " ", ", ", " và ", ";\n"]))
    text = f"{word} {ROMAN[q1]}/{y}{joiner}{word} {ROMAN[q2]}/{y}"
    schedule, warnings = parse_deadline(text, plan_year)
    _check(schedule, warnings)
    assert [(p.start, p.end) for p in schedule.periods] == [quarter_bounds(y, q1),
                                                           quarter_bounds(y, q2)]
    assert schedule.due == quarter_bounds(y, q2)[1]


@settings(max_examples=200, deadline=None)
@given(month_phrase(), plan_years)
def test_month_lists(phrase, plan_year) -> None:
    text, months, y = phrase
    schedule, warnings = parse_deadline(text, plan_year)
    _check(schedule, warnings)
    assert [(p.start, p.end) for p in schedule.periods] == [
        (date(y, m, 1), month_end(y, m)) for m in months]
    assert schedule.due == month_end(y, months[-1])


@settings(max_examples=200, deadline=None)
@given(st.data(), plan_years)
def test_half_years_and_years(data, plan_year) -> None:
    y = data.draw(years)
    which = data.draw(st.sampled_from(["đầu", "cuối", "year"]))
    if which == "year":
        text = data.draw(st.sampled_from([f"Năm {y}", f"năm {y}", f"Trong năm {y}", str(y)]))
        bounds = (date(y, 1, 1), date(y, 12, 31))
    else:
        six = data.draw(st.sampled_from(["6", "06", "Sáu"]))
        text = f"{six} tháng {which} năm {y}"
        bounds = ((date(y, 1, 1), date(y, 6, 30)) if which == "đầu"
                  else (date(y, 7, 1), date(y, 12, 31)))
    schedule, warnings = parse_deadline(data.draw(styled(text)), plan_year)
    _check(schedule, warnings)
    assert [(p.start, p.end) for p in schedule.periods] == [bounds]
    assert schedule.due == bounds[1]


@settings(max_examples=300, deadline=None)
@given(recurrence_phrase(), st.one_of(st.none(), plan_years))
def test_recurrences(phrase, plan_year) -> None:
    text, freqs = phrase
    schedule, warnings = parse_deadline(text, plan_year)
    _check(schedule, warnings)
    assert schedule.kind == "recurring"
    assert schedule.frequencies == freqs
    assert schedule.rrules == [RULE[f] for f in freqs]
    assert schedule.due is None


def _valid(schedule: Schedule) -> None:
    assert isinstance(schedule, Schedule)
    Schedule.model_validate(schedule.model_dump())
    assert 0.0 <= schedule.confidence <= 1.0
    for period in schedule.periods:
        assert period.start <= period.end
    if schedule.kind in ("deadline", "period"):
        assert schedule.due is not None
    if schedule.kind == "period":
        assert schedule.periods
    assert len(schedule.rrules) == len(schedule.frequencies)
    for rule in schedule.rrules:
        assert rule.startswith("FREQ=")


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=200)),
       st.one_of(st.none(), st.integers(min_value=-10**6, max_value=10**6)))
def test_arbitrary_text_never_raises(text, plan_year) -> None:
    schedule, warnings = parse_deadline(text, plan_year)
    _valid(schedule)
    assert all(isinstance(w, str) for w in warnings)
    if schedule.kind == "unspecified" and schedule.confidence < 1:
        assert warnings


VOCAB = ["Hàng", "quý", "tháng", "năm", "Trước", "ngày", "Quý", "I", "II", "IV", "/", ",",
         "và", "(", ")", "-", "đến", "từ", "Khi", "có", "Thường", "xuyên", "6", "12", "2023",
         "31/12", "30/11/2023", "thứ", "sáu", "tuần", "cuối", "đầu", "hết", "0", "99", "2/29",
         "29/2", "29/02/2023", "đ", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=14), st.one_of(st.none(), plan_years))
def test_shuffled_vocabulary_never_raises(words, plan_year) -> None:
    schedule, warnings = parse_deadline(" ".join(words), plan_year)
    _valid(schedule)
