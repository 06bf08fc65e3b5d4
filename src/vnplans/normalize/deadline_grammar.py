"""A small grammar over deadline tokens: it turns "Hàng quý, 6 tháng, năm", "Quý
I/2020 Quý III/2020", "Từ tháng 3 đến tháng 6/2024" … into items (periods, deadlines,
frequencies, events) whose years may still be open; `deadlines.py` resolves them.

Each rule looks at the token where the reader stands and either consumes a phrase
(returning the index after it) or declines (None). Tokens no rule takes are kept as
`unknown`, which lowers the confidence of the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vnplans.normalize.deadline_text import Tok

_FREQ_UNITS = ("week", "month", "quarter", "year")


@dataclass
class When:
    """A stretch of the calendar as printed; `year` None until resolved."""

    unit: str                  # "date", "dom", "month", "quarter", "half", "year"
    value: Any                 # date (d, m); dom d; month m; quarter q; half 1|2; year None
    year: int | None
    pos: int                   # token index, orders year propagation
    explicit_year: bool = False
    part: str | None = None    # "head": the start of it ("đầu năm")


@dataclass
class Item:
    kind: str          # period range deadline from freq weekday dom continuous event unspecified time note
    whens: list[When] = field(default_factory=list)
    how: str = "end"   # deadline: "end" (by the end of it) or "before" (before it begins)
    value: Any = None  # freq: frequency name; weekday: RFC 5545 day; dom: day
    span: tuple[int, int] | None = None


@dataclass
class Parse:
    items: list[Item] = field(default_factory=list)
    unknown: list[Tok] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)   # printed dates that do not exist
    corrected: bool = False


def _year_of(tok: Tok | None) -> int | None:
    """A printed year: 4 digits 1900-2100, or 2 digits meaning 20xx."""
    if tok is None or tok.kind != "num":
        return None
    digits = tok.digits[0]
    value = tok.nums[0]
    if len(digits) == 4 and 1900 <= value <= 2100:
        return value
    if len(digits) == 2:
        return 2000 + value
    return None


def _date_year(digits: str, value: int) -> int | None:
    if len(digits) == 4 and 1900 <= value <= 2100:
        return value
    if len(digits) == 2:
        return 2000 + value
    return None


def _valid_day(d: int, m: int, y: int | None) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    limit = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    if m == 2 and y is not None and not (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        limit = 28
    return d <= limit


class Reader:
    def __init__(self, toks: list[Tok], frequencies: dict[str, Any],
                 month_intervals: dict[Any, Any]) -> None:
        self.toks = toks
        self.n = len(toks)
        self.unit_frequencies = frequencies
        self.month_intervals = {int(k): v for k, v in month_intervals.items()}
        self.out = Parse()

    # -- token helpers -------------------------------------------------------------
    def tok(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < self.n else None

    def has(self, i: int, cat: str) -> bool:
        t = self.tok(i)
        return t is not None and t.has(cat)

    def unit(self, i: int) -> str | None:
        t = self.tok(i)
        return t.get("units") if t is not None and t.has("units") else None

    def num(self, i: int) -> int | None:
        t = self.tok(i)
        if t is None:
            return None
        if t.kind == "num":
            return t.nums[0]
        if t.has("number_words"):
            return int(t.get("number_words"))
        return None

    def is_joiner(self, i: int) -> bool:
        return self.has(i, "separators") or self.has(i, "dash") or self.has(i, "through")

    def is_range_joiner(self, i: int) -> bool:
        return self.has(i, "dash") or self.has(i, "through")

    # -- the main loop -------------------------------------------------------------
    def run(self) -> Parse:
        rules: list[Callable[[int], int | None]] = [
            self.continuous, self.unspecified, self.event, self.recurrence,
            self.quarter_day, self.operator, self.weekday, self.clock, self.bare_when,
            self.bare_frequency,
        ]
        i = 0
        while i < self.n:
            for rule in rules:
                j = rule(i)
                if j is not None and j > i:
                    i = j
                    break
            else:
                t = self.toks[i]
                if not (t.has("filler") or t.has("day_parts") or t.has("separators") or t.has("dash")
                        or t.has("slash") or t.has("within") or t.has("start_of")
                        or t.has("end_of") or t.has("before") or t.has("by")
                        or t.has("from") or t.has("through")):
                    self.out.unknown.append(t)
                i += 1
        # A spelling repair lowers confidence only where it was read as a time word,
        # not inside quoted event wording or ignored text.
        quoted = [item.span for item in self.out.items if item.span]
        ignored = {id(t) for t in self.out.unknown}
        self.out.corrected = any(
            t.corrected and id(t) not in ignored
            and not any(a <= t.start and t.end <= b for a, b in quoted)
            for t in self.toks)
        return self.out

    # -- words that stand alone ----------------------------------------------------
    def continuous(self, i: int) -> int | None:
        if not self.has(i, "continuous"):
            return None
        self.out.items.append(Item("continuous"))
        # "Thường xuyên trong tháng": continuous within an unnumbered month (or week,
        # quarter, year), not a monthly duty; the frame is kept as a note.
        j = i + 1
        if self.has(j, "within") and self.unit(j + 1) in _FREQ_UNITS:
            after = self.tok(j + 2)
            if after is None or not (after.kind in ("num", "date") or after.has("roman")
                                     or after.has("number_words")):
                self.out.items.append(Item("note", span=(self.toks[j].start,
                                                         self.toks[j + 1].end)))
                return j + 2
        return j

    def _rest(self, i: int) -> int:
        """The end of a wording that runs to the end of the cell or to a separator
        after which another deadline starts."""
        j = i + 1
        while j < self.n:
            if self.has(j, "separators") and self.starts_deadline(j + 1):
                break
            j += 1
        return j

    def starts_deadline(self, i: int) -> bool:
        t = self.tok(i)
        if t is None:
            return False
        if t.kind == "date" or any(t.has(c) for c in (
                "recurrence_markers", "continuous", "before", "by", "from",
                "event_openers", "unspecified")):
            return True
        nxt = self.tok(i + 1)
        return (self.unit(i) in ("quarter", "month", "year") and nxt is not None
                and (nxt.kind in ("num", "date") or nxt.has("roman")))

    def _wording(self, i: int, kind: str) -> int:
        j = self._rest(i)
        self.out.items.append(Item(kind, span=(self.toks[i].start, self.toks[j - 1].end)))
        return j

    def unspecified(self, i: int) -> int | None:
        return self._wording(i, "unspecified") if self.has(i, "unspecified") else None

    def event(self, i: int) -> int | None:
        if not self.has(i, "event_openers"):
            return None
        if self.has(i, "number_words") and self._half(i) is not None:
            return None   # "Sau thang dau nam" typed without marks: "Sáu tháng đầu năm"
        return self._wording(i, "event")

    # -- recurrence ------------------------------------------------------------------
    def frequency_unit(self, i: int) -> tuple[str | None, int] | None:
        """One unit of a recurrence list: "quý", "6 tháng", "cuối năm" → (frequency or
        None for a milestone such as "9 tháng", index after)."""
        unit = self.unit(i)
        nxt = self.tok(i + 1)
        if unit in _FREQ_UNITS:
            if nxt is not None and (nxt.kind in ("num", "date") or nxt.has("roman")
                                    or nxt.has("start_of") or nxt.has("end_of")):
                return None   # "quý I", "tháng 6", "tuần đầu": a time, not a frequency
            return self.unit_frequencies.get(unit), i + 1
        count = self.num(i)
        if count is not None and self.unit(i + 1) in ("month", "year", "week"):
            if self.has(i + 2, "start_of") or self.has(i + 2, "end_of"):
                return None   # "6 tháng đầu năm": a half year
            u = self.unit(i + 1)
            if u == "month" and count in self.month_intervals:
                return self.month_intervals[count], i + 2
            if count == 1 and u in ("year", "week"):
                return self.unit_frequencies.get(u), i + 2
            return None
        if (self.has(i, "end_of") or self.has(i, "start_of")) and self.unit(i + 1) in _FREQ_UNITS:
            after = self.tok(i + 2)
            if after is None or not (after.kind in ("num", "date") or after.has("roman")):
                return self.unit_frequencies.get(self.unit(i + 1)), i + 2
        return None

    def _per_time(self, j: int) -> int:
        # "6 tháng/lần", "3 tháng 1 lần", "1 năm một lần"
        k = j
        if self.has(k, "slash"):
            k += 1
        if self.num(k) == 1 and self.has(k + 1, "filler"):
            k += 1
        if self.has(k, "filler") and (self.toks[k].text.lower() in ("lần", "lan")):
            return k + 1
        return j

    def frequency_list(self, i: int) -> int | None:
        first = self.frequency_unit(i)
        if first is None:
            return None
        freq, j = first
        j = self._per_time(j)
        self._add_freq(freq)
        while j < self.n and self.is_joiner(j) and not self.has(j, "through"):
            k = j + 1
            while self.has(k, "recurrence_markers"):
                k += 1
            nxt = self.frequency_unit(k)
            if nxt is None:
                break
            freq, j = nxt
            j = self._per_time(j)
            self._add_freq(freq)
        return j

    def _add_freq(self, freq: str | None) -> None:
        if freq:
            self.out.items.append(Item("freq", value=freq))

    def recurrence(self, i: int) -> int | None:
        if not self.has(i, "recurrence_markers"):
            return None
        j = i
        while self.has(j, "recurrence_markers"):
            j += 1
        # "Hàng quý" / "định kỳ 6 tháng"; "cuối mỗi quý" arrives here without the "cuối"
        end = self.frequency_list(j)
        if end is not None:
            return end
        if self.has(j, "end_of") or self.has(j, "start_of"):
            end = self.frequency_list(j + 1)
            if end is not None:
                return end
        # "Định kỳ" alone (or before words we do not know): recurring, no frequency
        self.out.items.append(Item("freq", value=None))
        return j

    def bare_frequency(self, i: int) -> int | None:
        return self.frequency_list(i)

    # -- times -----------------------------------------------------------------------
    def _trailing_year(self, j: int) -> tuple[int | None, int]:
        """A year after a quarter/month list: "/2020", "-2020", "năm 2020", " 2020"."""
        if (self.has(j, "slash") or self.has(j, "dash")) and _year_of(self.tok(j + 1)):
            return _year_of(self.tok(j + 1)), j + 2
        if self.unit(j) == "year" and _year_of(self.tok(j + 1)):
            return _year_of(self.tok(j + 1)), j + 2
        t = self.tok(j)
        if t is not None and t.kind == "num" and len(t.digits[0]) == 4 and _year_of(t):
            return _year_of(t), j + 1
        after = self.tok(j + 1)
        if (self.has(j, "separators") and self.toks[j].text == "," and after is not None
                and after.kind == "num" and len(after.digits[0]) == 4 and _year_of(after)
                and (j + 2 >= self.n or self.has(j + 2, "filler"))):
            return _year_of(after), j + 2   # "Tháng 6, 2024" at the end of the cell
        return None, j

    def _ordinal_list(self, i: int, unit: str, lo: int, hi: int
                      ) -> tuple[list[When], bool, int] | None:
        """ "quý I, II/2024", "tháng 3 - 6/2024", "tháng 11, 12/2020" after the unit word at i."""
        values: list[int] = []
        is_range = False
        year: int | None = None
        j = i + 1
        while self.tok(j) is not None and self.tok(j).kind == "punct" and self.has(j, "filler"):
            j += 1   # "Q. I", "Tháng: 6"
        while True:
            t = self.tok(j)
            if t is None:
                break
            value: int | None = None
            if t.has("roman") and unit == "quarter":
                value = int(t.get("roman"))
            elif t.kind == "num" and lo <= t.nums[0] <= hi:
                value = t.nums[0]
            elif t.has("number_words") and lo <= int(t.get("number_words")) <= hi:
                value = int(t.get("number_words"))
            elif t.kind == "date" and len(t.nums) == 2 and lo <= t.nums[0] <= hi:
                y = _date_year(t.digits[1], t.nums[1])
                if y is not None:
                    value, year = t.nums[0], y
            if value is None:
                break
            values.append(value)
            j += 1
            if year is not None:
                break
            # another ordinal of the same list: ", II", " - II", " đến tháng 6", "và quý III"
            k = j
            if self.is_joiner(k):
                joiner_is_range = self.is_range_joiner(k)
                k += 1
                if self.unit(k) == unit:
                    k += 1
                nt = self.tok(k)
                if nt is not None and self._is_ordinal(nt, unit, lo, hi):
                    is_range = is_range or joiner_is_range
                    j = k
                    continue
            break
        if not values:
            return None
        if year is None:
            year, j = self._trailing_year(j)
        whens = [When(unit, v, year, i, explicit_year=year is not None) for v in values]
        if is_range:
            whens = [whens[0], whens[-1]]
        return whens, is_range, j

    def _is_ordinal(self, t: Tok, unit: str, lo: int, hi: int) -> bool:
        if t.has("roman") and unit == "quarter":
            return True
        if t.kind == "num" and lo <= t.nums[0] <= hi and len(t.digits[0]) <= 2:
            return True
        if t.has("number_words") and lo <= int(t.get("number_words")) <= hi:
            return True
        return t.kind == "date" and len(t.nums) == 2 and lo <= t.nums[0] <= hi

    def _years(self, i: int, j: int) -> tuple[list[When], bool, int] | None:
        """ "2024", "năm 2024", "năm 2021-2025", "2023, 2024" starting at token j."""
        first = _year_of(self.tok(j))
        t = self.tok(j)
        if first is None or t is None or len(t.digits[0]) != 4:
            return None
        years = [first]
        is_range = False
        k = j + 1
        while self.is_joiner(k):
            m = k + 1
            if self.unit(m) == "year":
                m += 1
            nt = self.tok(m)
            y = _year_of(nt)
            if y is None or nt is None or len(nt.digits[0]) != 4:
                break
            is_range = is_range or self.is_range_joiner(k)
            years.append(y)
            k = m + 1
        whens = [When("year", None, y, i, explicit_year=True) for y in years]
        if is_range:
            whens = [whens[0], whens[-1]]
        return whens, is_range, k

    def _date_token(self, i: int) -> tuple[list[When], bool, int] | None:
        t = self.tok(i)
        if t is None or t.kind != "date":
            return None
        nums, digits = t.nums, t.digits
        if len(nums) == 3:
            y = _date_year(digits[2], nums[2])
            if y is None or not _valid_day(nums[0], nums[1], y):
                self.out.invalid.append(t.text)
                return [], False, i + 1
            return [When("date", (nums[0], nums[1]), y, i, explicit_year=True)], False, i + 1
        a, b = nums
        if len(digits[1]) >= 3:                       # m/yyyy
            y = _date_year(digits[1], b)
            if y is None or not 1 <= a <= 12:
                self.out.invalid.append(t.text)
                return [], False, i + 1
            return [When("month", a, y, i, explicit_year=True)], False, i + 1
        if not _valid_day(a, b, None):
            self.out.invalid.append(t.text)
            return [], False, i + 1
        year, j = None, i + 1
        if self.unit(j) == "year" and _year_of(self.tok(j + 1)):    # "30/11 năm 2023"
            year, j = _year_of(self.tok(j + 1)), j + 2
        if year is not None and not _valid_day(a, b, year):
            self.out.invalid.append(t.text)
            return [], False, j
        return [When("date", (a, b), year, i, explicit_year=year is not None)], False, j

    def _day(self, i: int, j: int | None = None) -> tuple[list[When], bool, int] | None:
        """After "ngày": "30/11/2023", "30 tháng 11 năm 2023", "15" (of each month).
        `j`: where the day number stands when "ngày" is left out."""
        j = i + 1 if j is None else j
        if self.tok(j) is not None and self.tok(j).kind == "date":
            return self._date_token(j)
        d = self.num(j)
        if d is None or not 1 <= d <= 31:
            return None
        if self.unit(j + 1) == "month" and self.num(j + 2) is not None:
            m = self.num(j + 2)
            k = j + 3
            year = None
            if (self.unit(k) == "year" or self.has(k, "slash")) and _year_of(self.tok(k + 1)):
                year, k = _year_of(self.tok(k + 1)), k + 2
            if not _valid_day(d, m, year):
                self.out.invalid.append(" ".join(t.text for t in self.toks[i:k]))
                return [], False, k
            return [When("date", (d, m), year, i, explicit_year=year is not None)], False, k
        if self.unit(j + 1) == "month" and self.has(j + 2, "end_of"):
            return None   # "ngày 15 của tháng cuối quý": said in words, kept as detail
        return [When("dom", d, None, i)], False, j + 1

    def _half(self, i: int) -> tuple[list[When], bool, int] | None:
        """ "6 tháng đầu năm 2024", "06 tháng cuối năm"."""
        if self.num(i) != 6 or self.unit(i + 1) != "month":
            return None
        if self.has(i + 2, "start_of"):
            half = 1
        elif self.has(i + 2, "end_of"):
            half = 2
        else:
            return None
        j = i + 3
        if self.unit(j) == "year":
            j += 1
        year = None
        if _year_of(self.tok(j)) and len(self.tok(j).digits[0]) == 4:
            year, j = _year_of(self.tok(j)), j + 1
        return [When("half", half, year, i, explicit_year=year is not None)], False, j

    def when(self, i: int, *, bare: bool = False) -> tuple[list[When], bool, int] | None:
        """A time at token i: (whens, is_range, index after), or None."""
        t = self.tok(i)
        if t is None:
            return None
        unit = self.unit(i)
        if unit == "quarter":
            got = self._ordinal_list(i, "quarter", 1, 4)
            if got:
                return got
        elif unit == "month":
            got = self._ordinal_list(i, "month", 1, 12)
            if got:
                return got
        elif unit == "year":
            got = self._years(i, i + 1)
            if got:
                return got
            if bare:   # "trong năm", "cuối năm", "đầu năm": the plan year
                return [When("year", None, None, i)], False, i + 1
        elif unit == "day":
            return self._day(i)
        elif unit == "week" and self.has(i + 1, "start_of"):
            # "tuần đầu (tiên) của tháng 1/2024": its first seven days
            k = i + 2
            while self.has(k, "filler"):
                k += 1
            got = self.when(k, bare=True)
            if got and got[0] and got[0][0].unit in ("month", "quarter", "year", "half"):
                whens, _, k = got
                for w in whens:
                    w.part = "week"
                return whens, False, k
            return None
        if t.kind == "date":
            return self._date_token(i)
        half = self._half(i)
        if half:
            return half
        if t.kind == "num":
            if (self.unit(i + 1) == "month" and self.num(i + 2) is not None
                    and 1 <= t.nums[0] <= 31):
                return self._day(i, i)   # "15 tháng 6 năm 2023"
            return self._years(i, i)
        return None

    # -- operators -------------------------------------------------------------------
    def operator(self, i: int) -> int | None:
        t = self.toks[i]
        if t.has("from"):
            return self._from(i)
        if t.has("before") or t.has("by") or t.has("through"):
            how = "before" if t.has("before") else "end"
            j = i + 1
            while self.has(j, "by") or self.has(j, "before") or self.has(j, "within"):
                j += 1   # "trước hoặc trong", "chậm nhất trong"
            if self.has(j, "end_of"):
                how, j = "end", j + 1   # "trước cuối năm"
            got = self.when(j, bare=True)
            if got is None:
                return None
            whens, is_range, k = got
            if is_range:
                whens = whens[-1:]
            for w in whens:
                if w.unit == "dom":   # "trước ngày 20 hằng tháng"
                    self.out.items.append(Item("dom", value=w.value))
                else:
                    self.out.items.append(Item("deadline", [w], how=how))
            return k
        if t.has("within"):
            got = self.when_span(i + 1, bare=True)
            if got is None:
                return None
            return self._periods(got)
        if t.has("start_of"):
            got = self.when(i + 1, bare=True)
            if got is None:
                return None
            whens, is_range, k = got
            for w in whens:
                w.part = "head"
            return self._periods((whens, is_range, k))
        if t.has("end_of"):
            got = self.when(i + 1, bare=True)
            if got is None:
                return None
            whens, is_range, k = got
            for w in (whens[-1:] if is_range else whens):
                self.out.items.append(Item("deadline", [w], how="end"))
            return k
        return None

    def _from(self, i: int) -> int | None:
        got = self.when(i + 1, bare=True)
        if got is None:
            return None
        first, first_is_range, j = got
        if not first:
            return j
        if first_is_range:   # "từ tháng 3 đến tháng 6/2024" read as one month list
            self.out.items.append(Item("range", first))
            return j
        k = j
        if self.has(k, "dash") or self.has(k, "through") or self.has(k, "by"):
            k += 1
            while self.has(k, "by") or self.has(k, "through"):
                k += 1
            end = self.when(k, bare=True)
            if end is not None and end[0]:
                self.out.items.append(Item("range", [first[0], end[0][-1]]))
                return end[2]
        self.out.items.append(Item("from", [first[0]]))
        return j

    def _periods(self, got: tuple[list[When], bool, int]) -> int:
        whens, is_range, k = got
        if not whens:
            return k
        if is_range:
            self.out.items.append(Item("range", whens))
        else:
            for w in whens:
                kind = "deadline" if w.unit == "date" else "dom" if w.unit == "dom" else "period"
                if kind == "dom":
                    self.out.items.append(Item("dom", value=w.value))
                else:
                    self.out.items.append(Item(kind, [w]))
        return k

    def clock(self, i: int) -> int | None:
        if self.tok(i).kind == "num" and self.tok(i + 1) is not None and \
                self.toks[i + 1].text == "%":
            return i + 2   # "100%": an outcome share, no time
        # "17h", "17 giờ 30", "Từ 20 giờ 15 phút - 20 giờ 45 phút": times of day
        start = i + 1 if self.has(i, "from") else i
        first = self.time_of_day(start)
        if first is None:
            return None
        (hour, minute), j = first
        end: tuple[int, int] | None = None
        if self.is_range_joiner(j):
            second = self.time_of_day(j + 1)
            if second is not None:
                end, j = second
        self.out.items.append(Item("time", value=((hour, minute), end)))
        return j

    def time_of_day(self, i: int) -> tuple[tuple[int, int], int] | None:
        """ "17 giờ", "17h30", "20 giờ 15 phút" at i: ((hour, minute), index after)."""
        t = self.tok(i)
        if t is None or t.kind != "num" or not self.has(i + 1, "clock") or t.nums[0] > 24:
            return None
        j, minute = i + 2, 0
        m = self.tok(j)
        if m is not None and m.kind == "num" and m.nums[0] < 60:
            minute, j = m.nums[0], j + 1
            if self.has(j, "minutes"):
                j += 1
        return (t.nums[0] % 24, minute), j

    def weekday(self, i: int) -> int | None:
        if self.unit(i) == "day" and self.has(i + 1, "weekdays"):
            i += 1   # "vào ngày thứ Hai"
        if self.has(i, "weekdays"):
            self.out.items.append(Item("weekday", value=self.toks[i].get("weekdays")))
            return i + 1
        return None

    def when_span(self, i: int, *, bare: bool = False) -> tuple[list[When], bool, int] | None:
        """A time, or a range of two: "Tháng 7/2023 - Tháng 12/2023", "01/01 - 30/6/2024",
        "Quý II/2023 đến Quý IV/2023"."""
        got = self.when(i, bare=bare)
        if got is None or not got[0] or got[1]:
            return got
        whens, _, j = got
        if len(whens) == 1 and self.is_range_joiner(j):
            k = j + 1
            while self.has(k, "by") or self.has(k, "through"):
                k += 1
            end = self.when(k, bare=bare)
            if end is not None and end[0] and whens[0].unit != "dom" and end[0][-1].unit != "dom":
                return [whens[0], end[0][-1]], True, end[2]
        return got

    def bare_when(self, i: int) -> int | None:
        got = self.when_span(i)
        if got is None:
            return None
        return self._periods(got)

    def quarter_day(self, i: int) -> int | None:
        """ "(trước) ngày 20 (của) tháng cuối quý": a day inside each quarter, said in
        words; the quarterly frequency plus the wording as detail."""
        j = i
        while self.has(j, "before") or self.has(j, "by"):
            j += 1
        if self.unit(j) != "day" or self.num(j + 1) is None:
            return None
        k = j + 2
        while self.has(k, "filler"):
            k += 1
        if self.unit(k) != "month":
            return None
        k += 1
        if self.has(k, "filler") and self.num(k) is None:
            k += 1
        if not (self.has(k, "end_of") or self.has(k, "start_of") or self.num(k) is not None):
            return None
        k += 1
        while self.has(k, "filler"):
            k += 1
        if self.unit(k) != "quarter":
            return None
        self.out.items.append(Item("note", span=(self.toks[i].start, self.toks[k].end)))
        self.out.items.append(Item("freq", value=self.unit_frequencies.get("quarter")))
        return k + 1


def read_tokens(toks: list[Tok], vocab_data: dict[str, Any]) -> Parse:
    reader = Reader(toks, vocab_data.get("unit_frequencies") or {},
                    vocab_data.get("month_intervals") or {})
    return reader.run()
