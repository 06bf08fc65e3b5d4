"""Find the appendix table's header on a page and give each column its role.

A header is a band of lines near each other holding header phrases of at least
`min_roles` different column roles (tasks, lead unit, deadline …; see
`extractors/table_headers.yaml`), one of them a required role (the task, or the unit
inspected: an inspection plan's "TT | Đơn vị kiểm tra | Địa chỉ" needs only
`inspection_min_roles`). Body text never qualifies: a paragraph line is one
segment, so it can name at most one role, while a header line is cut into several
cells by wide gaps.

Header cells are segments stacked over each other (a multi-line cell); a cell that
sits over two or more side-by-side cells is a group ("PHÂN CÔNG THỰC HIỆN" over
"CHỦ TRÌ | PHỐI HỢP") and gives no column of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from vnplans import knowledge
from vnplans.geometry import Line, group_lines, segment_breaks, split_segments
from vnplans.ir import Page, Rule, Word, split_rules
from vnplans.table.grid import columns_from_rules, columns_from_text, is_tt_value
from vnplans.table.model import Column, Header
from vnplans.table.settings import DEFAULTS, TableSettings
from vnplans.vietnamese import collapse

# (Header zone tolerances are `TableSettings` fields: `header_span_lines` …)
# A header cell names a column in a few words; a box of cells one of which holds more
# words than this is a table row whose text happens to name roles ("… nhiệm vụ được
# giao" beside "… thời gian giải quyết"), not a header.
MAX_HEADER_CELL_WORDS = 24
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?\.?$")
_NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])[.)]?\s")


def norm(text: str) -> str:
    """Lower-case, NFC, whitespace collapsed: how header text is compared."""
    return collapse(unicodedata.normalize("NFC", text)).lower()


@dataclass(frozen=True, eq=False)
class Vocabulary:
    role_order: tuple[str, ...]
    exact: dict[str, frozenset[str]]
    contains: dict[str, tuple[str, ...]]
    groups: tuple[str, ...]
    tokens: frozenset[str]
    required: frozenset[str]
    min_roles: int
    end_phrases: tuple[str, ...]
    end_lines: frozenset[str]
    # Per role, its exact phrases without spaces (a wrapped "ST" / "T" reads "st t").
    squeezed: dict[str, frozenset[str]] = field(default_factory=dict)
    # Every (phrase, role) of `contains`, in role order: the order they are tried in.
    contained: tuple[tuple[str, str], ...] = ()
    # Per role, phrases that claim it only when no other column of the table does.
    weak: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Roles that make a table an inspection plan's, and how many roles such a header needs.
    inspection: frozenset[str] = frozenset()
    inspection_min_roles: int = 2

    def enough(self, roles: set[str]) -> bool:
        """Do these roles make a table header: a required role and enough roles?"""
        if not roles & self.required:
            return False
        needed = self.inspection_min_roles if roles & self.inspection else self.min_roles
        return len(roles) >= needed

    def kind(self, roles: set[str | None]) -> str:
        """"inspection" for a table naming an inspection role, else "plan"."""
        return "inspection" if roles & self.inspection else "plan"

    def role_of(self, text: str) -> str | None:
        """The column role a header cell's text names, or None."""
        return _role_of(self, text)

    def header_like(self, text: str, share: float) -> bool:
        """At least `share` of the words of `text` are header words (part of a
        multi-line header): `TableSettings.header_words_share` for text set like a
        header (bold or capitals), `header_words_share_plain` otherwise."""
        t = norm(text)
        words = _TOKEN.findall(t)
        if not words or _NUMBERED.match(t):
            # A numbered line ("2. Chỉ số nội dung 2 …", "II …") is a section row.
            return False
        known = sum(1 for w in words if w in self.tokens)
        return known >= share * len(words)


_SLASH = re.compile(r"\s*/\s*")


@lru_cache(maxsize=8192)
def _role_of(vocab: Vocabulary, text: str) -> str | None:
    t = norm(text).strip(" .:")
    if not t:
        return None
    # A narrow column wraps its header word ("ST" / "T"): compare without spaces too.
    squeezed = t.replace(" ", "")
    for role in vocab.role_order:
        if t in vocab.exact.get(role, ()) or squeezed in vocab.squeezed.get(role, ()):
            return role
    if "/" in t:
        slashed = _SLASH.sub("/", t)
        for phrase, role in vocab.contained:
            if phrase in t or phrase in slashed:
                return role
        return None
    # (Most texts have no slash to tighten: one look per phrase.)
    for phrase, role in vocab.contained:
        if phrase in t:
            return role
    return None


@cache
def vocabulary() -> Vocabulary:
    data = knowledge.load("table_headers")
    roles = data.get("roles", {})
    exact = {r: frozenset(norm(p) for p in spec.get("exact", []) or []) for r, spec in roles.items()}
    contains = {r: tuple(sorted((norm(p) for p in spec.get("contains", []) or []), key=len,
                                reverse=True)) for r, spec in roles.items()}
    groups = tuple(norm(p) for p in data.get("groups", []) or [])
    tokens: set[str] = set()
    fillers = tuple(norm(p) for p in data.get("header_words", []) or [])
    for phrases in list(exact.values()) + list(contains.values()) + [groups, fillers]:
        for phrase in phrases:
            tokens.update(_TOKEN.findall(phrase))
    order = tuple(data.get("role_order") or list(roles))
    weak = {r: tuple(norm(p) for p in spec.get("weak", []) or [])
            for r, spec in roles.items() if spec.get("weak")}
    return Vocabulary(order, exact, contains, groups, frozenset(tokens),
                      frozenset(data.get("required_roles", ["task"])),
                      int(data.get("min_roles", 3)),
                      tuple(norm(p) for p in data.get("table_end_phrases", []) or []),
                      frozenset(collapse(str(p)) for p in data.get("table_end_lines", []) or []),
                      {r: frozenset(p.replace(" ", "") for p in ps) for r, ps in exact.items()},
                      tuple((p, r) for r in order for p in contains.get(r, ())),
                      weak, frozenset(data.get("inspection_roles", []) or []),
                      int(data.get("inspection_min_roles", 2)))


def find_headers(page: Page, lines: list[Line] | None = None, *,
                 settings: TableSettings = DEFAULTS) -> list[Header]:
    """Every appendix-table header on the page, top to bottom."""
    vocab = vocabulary()
    lines = lines if lines is not None else group_lines(page.words)
    segs = _segmenter()
    short = _short_segments(lines, vocab, settings)
    hits = [(segs(lines[k])[n], role) for k, n, _count, role in short if role is not None]
    headers = _headers_from(page, lines, hits, segs, vocab, settings)
    if not headers and any(r in vocab.required for _s, r in hits):
        # A narrow column wraps its header name ("Đơn vị chủ" / "trì"): read again
        # with each short segment finished by the one right under it. (Only here: it
        # costs a look-up per segment on every page.)
        hits = []
        for k, n, count, role in short:
            if role is None and count <= settings.header_wrap_max_words:
                role = _wrapped_role(segs(lines[k])[n], lines[k + 1:k + 3], segs, vocab,
                                     settings)
            if role is not None:
                hits.append((segs(lines[k])[n], role))
        headers = _headers_from(page, lines, hits, segs, vocab, settings)
    if not headers and page.text_source == "ocr" \
            and len({r for _s, r in hits}) >= vocab.min_roles:
        # The scan garbled a cell past naming ("NHII`M VỤ": a bold "Ệ" broken into a
        # stroke and marks), the others read: read again with each short segment
        # taken as a whole misread cell (`_misread_cell_role`).
        hits = []
        for k, n, _count, role in short:
            seg = segs(lines[k])[n]
            role = role or _misread_cell_role(vocab, seg.text, settings)
            if role is not None:
                hits.append((seg, role))
        headers = _headers_from(page, lines, hits, segs, vocab, settings)
    return headers


def _misread_cell_role(vocab: Vocabulary, text: str, settings: TableSettings) -> str | None:
    """The role of the phrase a whole OCR'd header cell is, a letter or two misread,
    once the marks and spaces OCR made of a letter's parts are left out on both
    sides ("NHII`M VỤ", "NHI: ìM VỤ": a bold "Ệ" broken): within
    `ocr_header_edit_share` edits per letter of the phrase, either way (a longer text
    holding the phrase is no header cell)."""
    letters = "".join(ch for ch in norm(text) if ch.isalnum())
    if not letters:
        return None
    best: tuple[float, str] | None = None
    for phrase, role in _role_phrases(vocab):
        if len(phrase) < settings.ocr_header_min_letters:
            continue
        squeezed = "".join(ch for ch in phrase if ch.isalnum())
        share = max(_substring_edits(squeezed, letters),
                    _substring_edits(letters, squeezed)) / len(squeezed)
        if share <= settings.ocr_header_edit_share and (best is None or share < best[0]):
            best = (share, role)
    return best[1] if best else None


def _short_segments(lines: list[Line], vocab: Vocabulary,
                    settings: TableSettings) -> list[tuple[int, int, int, str | None]]:
    """The segments short enough to be header cells, top to bottom: (line index,
    segment index, word count, the role the text names or None)."""
    out: list[tuple[int, int, int, str | None]] = []
    for k, line in enumerate(lines):
        # Every line of every page is looked at, few name a role: the segments'
        # texts are read from the line's words, and segments built only for hits.
        ws = line.words
        if not ws:
            continue
        bounds = [0, *segment_breaks(line), len(ws)]
        for n in range(len(bounds) - 1):
            start, end = bounds[n], bounds[n + 1]
            # A header cell's line is short; a title naming "nhiệm vụ" is not one.
            if end - start > settings.header_line_max_words:
                continue
            text = line.text if len(bounds) == 2 else " ".join([w.text for w in ws[start:end]])
            out.append((k, n, end - start, _role_of(vocab, text)))
    return out


def _headers_from(page: Page, lines: list[Line], hits: list[tuple[Line, str]],
                  segs: Callable[[Line], list[Line]], vocab: Vocabulary,
                  settings: TableSettings) -> list[Header]:
    """Headers where enough roles are named near each other, top to bottom."""
    headers: list[Header] = []
    floor = -1e9
    for i, (seg, _role) in enumerate(hits):
        if seg.y0 < floor:
            continue
        reach = seg.y0 + settings.header_span_lines * max(seg.height, 1.0)
        window = [(s, r) for s, r in hits[i:] if s.y0 <= reach]
        roles = {r for _s, r in window}
        if not vocab.enough(roles):
            continue
        header = _build_header(page, lines, [s for s, _r in window], vocab, segs, settings)
        if header is not None:
            headers.append(header)
            floor = header.y1
    return headers


def _wide_rules(rules: list[Rule], x0: float, x1: float, share: float) -> list[float]:
    width = max(x1 - x0, 1.0)
    out = []
    for r in rules:
        if r.horizontal:
            overlap = min(r.x1, x1) - max(r.x0, x0)
            if overlap >= share * width:
                out.append(r.y0)
    return sorted(out)


def _wrapped_role(seg: Line, below: list[Line], segs: Callable[[Line], list[Line]],
                  vocab: Vocabulary, settings: TableSettings) -> str | None:
    """The role named by `seg` with the short segment right under it (next line,
    overlapping it, at line spacing) — a header word wrapped by its column."""
    for line in below:
        if line.y0 - seg.y1 > settings.wrap_gap_lines * seg.height:
            break
        for under in segs(line):
            overlap = settings.wrap_overlap_lines * seg.height
            if len(under.words) <= 2 and under.y0 >= seg.y1 - overlap \
                    and min(under.x1, seg.x1) - max(under.x0, seg.x0) > 0:
                return vocab.role_of(f"{seg.text} {under.text}")
    return None


def _wrapped_letters(text: str) -> bool:
    """One or two capitals: the end of a header word wrapped by a narrow column ("ST"
    / "T"), not a word of its own."""
    return len(text) <= 2 and text.isalpha() and text.isupper()


def _segmenter() -> Callable[[Line], list[Line]]:
    """`split_segments` remembered per line (a page's lines are cut once, not again
    for every header zone and body below it)."""
    known: dict[int, list[Line]] = {}

    def segs(line: Line) -> list[Line]:
        got = known.get(id(line))
        if got is None:
            got = known[id(line)] = split_segments(line)
        return got
    return segs


def _build_header(page: Page, lines: list[Line], hit_segs: list[Line],
                  vocab: Vocabulary, segs: Callable[[Line], list[Line]],
                  settings: TableSettings) -> Header | None:
    first = min(hit_segs, key=lambda s: s.y0)
    top, bottom = first.y0, first.y1
    x0 = min(s.x0 for s in hit_segs)
    x1 = max(s.x1 for s in hit_segs)
    size = first.size or settings.default_size
    wide = _wide_rules(page.rules, x0, x1, settings.header_rule_share)
    ruled_top = [y for y in wide if top - settings.header_top_rule_em * size <= y <= top + 1]
    ruled_bottom = [y for y in wide if y >= bottom - 1]
    top = _grow_to_frame(lines, wide, max(ruled_top), size, vocab, segs, settings) \
        if ruled_top else _extend(lines, top, vocab, segs, settings, upwards=True)
    if ruled_top and ruled_bottom:
        # A boxed header: it ends at the first rule across the table below its first line.
        bottom = min(ruled_bottom)
    else:
        bottom = _extend(lines, bottom, vocab, segs, settings, upwards=False)
    # Every cell of the zone, also those whose words name no role by themselves
    # ("Cơ quan phối" / "hợp") and may lie beyond the cells that do.
    slack = settings.edge_slack
    segments = [seg for line in lines
                if top - slack <= (line.y0 + line.y1) * 0.5 <= bottom + slack
                for seg in segs(line) if not _speck_segment(seg)]
    if not segments:
        return None
    cells = _header_cells(segments, vocab, page.rules, settings)
    if len(cells) < 2 or any(len(c.words) > MAX_HEADER_CELL_WORDS for c in cells):
        return None
    x0 = min(c.x0 for c in cells)
    x1 = max(c.x1 for c in cells)
    # A boxed header's top rule spans the whole table, also over a last column whose
    # centred header text is far from its right border.
    boxed = [r for r in page.rules if r.horizontal and abs(r.y0 - top) <= settings.rule_cluster
             and r.x0 <= x0 + settings.frame_margin and r.x1 >= x1 - settings.frame_margin]
    rx0 = min([x0, *[r.x0 for r in boxed]])
    rx1 = max([x1, *[r.x1 for r in boxed]])
    columns = columns_from_rules(page.rules, cells, top, rx0, rx1, settings=settings)
    ruled = columns is not None
    if columns is None:
        body = [seg for line in lines if line.y0 >= bottom - slack for seg in segs(line)]
        columns = columns_from_text(body, cells, x0, x1, settings=settings)
    _assign_roles(columns, cells, vocab)
    _scanned_roles(columns, cells, vocab, settings)
    if not ruled:
        columns = _join_split_header(columns, cells, vocab, size, settings)
        _lost_number_header(columns, lines, bottom, rx0, settings)
    roles = {c.role for c in columns if c.role}
    if not vocab.enough(roles):
        return None
    bottom = _skip_column_numbers(lines, bottom, columns, settings)
    _unnamed_number_column(columns, lines, bottom, segs, settings,
                           scanned=page.text_source == "ocr")
    return Header(page=page.number, y0=top, y1=bottom, x0=columns[0].x0, x1=columns[-1].x1,
                  columns=columns, ruled=ruled)


def _grow_to_frame(lines: list[Line], wide: list[float], top: float, size: float,
                   vocab: Vocabulary, segments: Callable[[Line], list[Line]],
                   settings: TableSettings) -> float:
    """The top rule of a boxed header: the rule over its first role cells, or a rule
    higher up when only header lines lie between (a third header level on top, "TỔ
    CHỨC THỰC HIỆN" over "Đơn vị thực hiện" over "Chủ trì | Phối hợp": the rule under
    it spans the group's columns only, the table's top rule is above it)."""
    reach = settings.header_frame_em * size
    for y in sorted((y for y in wide if top - reach <= y < top - settings.slack), reverse=True):
        between = [ln for ln in lines if y < ln.yc < top]
        if not between and top - y > settings.header_frame_gap:
            break
        if not all(_header_line(ln, vocab, segments, settings) for ln in between):
            break
        top = y
    return top


def _header_line(line: Line, vocab: Vocabulary, segments: Callable[[Line], list[Line]],
                 settings: TableSettings) -> bool:
    """Is the line made of header words, set like a header (bold or capitals)?"""
    segs = segments(line)
    text = " ".join(s.text for s in segs)
    words = [w for s in segs for w in s.words]
    # Header text is set bold or in capitals; a plain line is body text even
    # when its words could be header words ("chính").
    styled = all(w.bold for w in words) or text.upper() == text
    # A narrow TT column wraps "STT" as "ST" / "T": a lone letter leading a line of
    # three or more header cells is that tail, not a lettered row ("a) …" is one cell).
    checked = text
    if len(segs) >= 3 and len(segs[0].words) == 1 and len(segs[0].text) <= 2:
        checked = " ".join(s.text for s in segs[1:])
    if not segs:
        return False
    if styled and len(words) == 1 and _wrapped_letters(text):
        # The last letters of a header word wrapped by a narrow column, alone on their
        # line ("S" / "T" / "T"); a lettered section row has its title beside it.
        return True
    if styled:
        return vocab.header_like(checked, settings.header_words_share)
    # OCR gives no weights: an OCR'd line must be all header words instead
    # (docs/table-reading.md, H6).
    return all(w.origin == "ocr" for w in words) and \
        vocab.header_like(checked, settings.header_words_share_plain)


def _extend(lines: list[Line], edge: float, vocab: Vocabulary,
            segments: Callable[[Line], list[Line]], settings: TableSettings, *,
            upwards: bool) -> float:
    """Grow the header zone over adjacent lines made only of header words."""
    seq = sorted(lines, key=lambda ln: ln.yc, reverse=upwards)
    for line in seq:
        # Lines overlapping the edge count too: header cells are centred, so the
        # lines of a two-level header interleave.
        if (upwards and line.y0 >= edge) or (not upwards and line.y1 <= edge):
            continue
        # (The whole width: a cell naming no role may lie beyond those that do.)
        gap = (edge - line.y1) if upwards else (line.y0 - edge)
        if gap > settings.header_gap_lines * line.height:
            break
        if not _header_line(line, vocab, segments, settings) and \
                (upwards or not _ends_wrapped_header(line, lines, vocab, segments, settings)):
            break
        edge = min(edge, line.y0) if upwards else max(edge, line.y1)
    return edge


def _ends_wrapped_header(line: Line, lines: list[Line], vocab: Vocabulary,
                         segments: Callable[[Line], list[Line]],
                         settings: TableSettings) -> bool:
    """Is `line` the last line of a header whose narrow first column wrapped its name:
    a lone capital or two ("T") that finishes the header text right above it into a
    role name ("ST" / "T"), beside the last lines of other header cells ("thực
    hiện")? Such a line is not all header words, yet it is no lettered section row:
    the letter names the column above it."""
    segs = segments(line)
    if not segs or len(segs[0].words) != 1:
        return False
    lone = segs[0]
    if not (_wrapped_letters(lone.text) and lone.words[0].bold):
        return False
    rest = " ".join(s.text for s in segs[1:])
    if rest and not vocab.header_like(rest, settings.header_words_share):
        return False
    for other in lines:
        if other is line or other.y1 > line.y0 + settings.wrap_overlap_lines * line.height \
                or line.y0 - other.y1 > settings.wrap_gap_lines * line.height:
            continue
        for above in segments(other):
            if min(above.x1, lone.x1) - max(above.x0, lone.x0) > 0 \
                    and vocab.role_of(f"{above.text} {lone.text}") is not None:
                return True
    return False


def _split_by_rule(seg: Line, rules: list[Rule], settings: TableSettings) -> bool:
    """A header text crossed by a vertical rule that starts under it spans two
    sub-columns (Word's merged group cell: the inner rule begins at its bottom)."""
    edge = settings.header_rule_slack
    for r in rules:
        if not r.horizontal and seg.x0 + edge < r.x0 < seg.x1 - edge \
                and seg.y1 - edge <= r.y0 <= seg.y1 + settings.group_rule_reach:
            return True
    return False


def _group_over_rule(seg: Line, segments: list[Line], rules: list[Rule],
                     settings: TableSettings) -> bool:
    """A header text over a horizontal rule wider than itself with two or more
    side-by-side header cells under that rule, inside its extent: a group cell of a
    table ruled between rows only ("Đơn vị thực hiện" centred over "Chủ trì | Phối
    hợp" need not overlap either; the rule under it spans the group's columns)."""
    size = seg.size or seg.height
    # (Centred over the rule, as header text is over its cell: a rule running on under
    # a neighbouring cell's text, "GHI CHÚ" beside a group, is not its cell's.)
    slack = settings.edge_slack
    under = [r for r in rules if seg.y1 - slack <= r.y0 <= seg.y1 + size
             and r.x0 <= seg.x0 + slack and r.x1 >= seg.x1 - slack
             and abs((r.x0 + r.x1) / 2 - seg.xc) < settings.group_centre_share * (r.x1 - r.x0)]
    if not under:
        return False
    rule = min(under, key=lambda r: r.y0)
    below = sorted((s for s in segments if s.y0 >= rule.y0 - slack
                    and s.x0 >= rule.x0 - settings.header_rule_slack
                    and s.x1 <= rule.x1 + settings.header_rule_slack), key=lambda s: s.x0)
    count, last_x1 = 0, -1e9
    for s in below:
        if s.x0 > last_x1 - slack:
            count += 1
            last_x1 = s.x1
    return count >= 2


def _header_cells(segments: list[Line], vocab: Vocabulary, rules: list[Rule],
                  settings: TableSettings) -> list[Line]:
    """Header cells (stacked segments joined) without group cells."""
    def below_disjoint(seg: Line) -> int:
        # Cells under it that overlap it (a short group text centred over two wide
        # columns need not reach their centres).
        under = [s for s in segments if s is not seg and s.y0 >= seg.y1 - settings.edge_slack
                 and min(s.x1, seg.x1) - max(s.x0, seg.x0) > 0]
        under.sort(key=lambda s: s.x0)
        count, last_x1 = 0, -1e9
        for s in under:
            if s.x0 > last_x1 - settings.edge_slack:
                count += 1
                last_x1 = s.x1
        return count

    # Groups are told by position only: "Đơn vị thực hiện" is a group in one table
    # and the lead column in another.
    # (Only rules at the zone's height can pass the tests below: a table page has a
    # rule per row and column, and every segment is tested against them.)
    low = min(s.y1 for s in segments) - settings.header_rule_slack
    high = max(s.y1 + max(s.size or s.height, settings.group_rule_reach) for s in segments)
    near = [r for r in rules if low <= r.y0 <= high]
    horizontal, vertical = split_rules(near)
    plain = [s for s in segments if below_disjoint(s) < 2
             and not _split_by_rule(s, vertical, settings)
             and not _group_over_rule(s, segments, horizontal, settings)]
    share = settings.stacked_cell_share
    plain.sort(key=lambda s: s.x0)
    cells: list[list[Line]] = []
    spans: list[list[float]] = []  # each cell's x0, x1 so far
    for seg in plain:
        for cell, span in zip(cells, spans, strict=True):
            cx0, cx1 = span
            overlap = min(cx1, seg.x1) - max(cx0, seg.x0)
            if overlap > share * min(cx1 - cx0, seg.x1 - seg.x0) or (
                    overlap > -settings.header_rule_slack
                    and abs((cx0 + cx1) / 2 - seg.xc) < share * (cx1 - cx0)):
                cell.append(seg)
                span[0], span[1] = min(cx0, seg.x0), max(cx1, seg.x1)
                break
        else:
            cells.append([seg])
            spans.append([seg.x0, seg.x1])
    out = []
    for cell in cells:
        cell.sort(key=lambda s: (s.yc, s.x0))
        words = [w for s in cell for w in s.words]
        line = Line(words, min(s.x0 for s in cell), min(s.y0 for s in cell),
                    max(s.x1 for s in cell), max(s.y1 for s in cell))
        out.append(line)
    out.sort(key=lambda c: c.x0)
    return out


def _assign_roles(columns: list[Column], cells: list[Line], vocab: Vocabulary) -> None:
    for col in columns:
        inside = [c for c in cells if col.x0 <= c.xc <= col.x1]
        col.header = collapse(" ".join(c.text for c in sorted(inside, key=lambda c: c.y0)))
    name_roles(columns, vocab)


def name_roles(columns: list[Column], vocab: Vocabulary) -> None:
    """Each column's role from its header text (`Column.header`); a role named
    twice goes to the first column, the others get "extra_<role>". Shared by the
    PDF header reader and the Word table reader (`vnplans.table.word`)."""
    for col in columns:
        col.role = vocab.role_of(col.header) if col.header else None
        squeezed = col.header.replace(" ", "")
        if col.role and " " in col.header and norm(squeezed) in vocab.squeezed.get(col.role, ()) \
                and norm(col.header) not in vocab.exact.get(col.role, ()):
            # "ST" / "T" wrapped by a narrow column: the header as printed is "STT".
            col.header = squeezed
    # A weak claim ("Cơ quan tham mưu" as lead) yields to another column's claim.
    strong = {col.role for col in columns if col.role and not _weak(vocab, col)}
    for col in columns:
        if col.role in strong and _weak(vocab, col):
            col.role = f"extra_{col.role}"
    # A role named twice: the first column has it, the others are extra columns
    # (kept in `Row.extra` by their header text).
    seen: set[str] = set()
    for col in columns:
        if col.role in seen:
            col.role = f"extra_{col.role}"
        elif col.role:
            seen.add(col.role)


def _speck_segment(seg: Line) -> bool:
    """A scanned header segment of no letter or digit ("-", "."): a speck or what is
    left of a border, which would make a column of its own."""
    return all(w.origin == "ocr" and not any(ch.isalnum() for ch in w.text) for w in seg.words)


def _scanned_roles(columns: list[Column], cells: list[Line], vocab: Vocabulary,
                   settings: TableSettings) -> None:
    """A header cell read by OCR with a letter lost or misread ("Cơ quan chủ tì")
    names no role: a column without one whose header words are all OCR words takes
    the role of the phrase its header holds within `ocr_header_edit_share` edits per
    letter (phrases of at least `ocr_header_min_letters`), when no other column has
    that role."""
    taken = {col.role for col in columns if col.role}
    for col in columns:
        if col.role or not col.header:
            continue
        inside = [w for c in cells if col.x0 <= c.xc <= col.x1 for w in c.words]
        if not inside or any(w.origin != "ocr" for w in inside):
            continue
        role = (_nearest_role(vocab, norm(col.header), settings)
                or _misread_cell_role(vocab, col.header, settings)
                or _scrambled_role(vocab, norm(col.header), taken, settings))
        if role and role not in taken:
            col.role = role
            taken.add(role)


def _join_split_header(columns: list[Column], cells: list[Line], vocab: Vocabulary,
                       size: float, settings: TableSettings) -> list[Column]:
    """Neighbouring columns of an unruled table, none with a role, whose OCR'd header
    words are a word space apart and together name a free role, are one column: the
    words of a two-line header cell came back on three lines ("Thời" and "thực" on
    one, "gian" with the one-line cells beside it, "hiện" below), and the columns
    placed from the header text made a column of each."""
    taken = {col.role for col in columns if col.role}
    out: list[Column] = []
    i = 0
    while i < len(columns):
        joined = None
        for j in range(len(columns), i + 1, -1):
            run = columns[i:j]
            words = [w for c in cells if run[0].x0 <= c.xc <= run[-1].x1 for w in c.words]
            if any(col.role for col in run) or not words \
                    or any(w.origin != "ocr" for w in words) \
                    or not _close_header_cells(run, cells, size, settings):
                continue
            header = collapse(" ".join(w.text for w in sorted(words, key=lambda w: (w.y0, w.x0))))
            role = vocab.role_of(header) or _scrambled_role(vocab, norm(header), taken, settings)
            if role and role not in taken:
                joined = Column(run[0].x0, run[-1].x1, role, header)
                taken.add(role)
                i = j
                break
        if joined is None:
            joined = columns[i]
            i += 1
        out.append(joined)
    return out


def _close_header_cells(run: list[Column], cells: list[Line], size: float,
                        settings: TableSettings) -> bool:
    """Are the header cells of these neighbouring columns at most a word space apart?"""
    spans = []
    for col in run:
        inside = [c for c in cells if col.x0 <= c.xc <= col.x1]
        if not inside:
            return False
        spans.append((min(c.x0 for c in inside), max(c.x1 for c in inside)))
    return all(b0 - a1 <= settings.split_header_gap_em * size
               for (_a0, a1), (b0, _b1) in zip(spans, spans[1:], strict=False))


def _scrambled_role(vocab: Vocabulary, text: str, taken: set[str],
                    settings: TableSettings) -> str | None:
    """The role of a header phrase whose words the OCR'd cell holds in another order,
    one of them lost ("Thời gian" / "thực hiện" read as one line "Thời hiện thực")
    and at most `ocr_header_scrambled_misread` of the others misread by a letter
    ("Thời biện thực": "gian" lost, "hiện" read "biện"): cells and phrases of
    `ocr_header_scrambled_min_words` words at least, all but
    `ocr_header_scrambled_missing` of them in the cell and no more words in the cell
    than the phrase has; only when one free role has such a phrase."""
    words = set(text.split())
    if len(words) < settings.ocr_header_scrambled_min_words:
        return None
    roles = {role for phrase, role in vocab.contained
             if role not in taken
             and len(parts := phrase.split()) >= settings.ocr_header_scrambled_min_words
             and len(words) <= len(parts)
             and _holds_words(parts, words, settings)}
    return roles.pop() if len(roles) == 1 else None


def _holds_words(parts: list[str], words: set[str], settings: TableSettings) -> bool:
    """Are `words` the phrase's `parts`, but for `ocr_header_scrambled_missing` parts
    lost and `ocr_header_scrambled_misread` words a letter away from a part?"""
    left = set(parts) - words
    unknown = sorted(words - set(parts))
    if len(unknown) > settings.ocr_header_scrambled_misread:
        return False
    for word in unknown:
        near = sorted(p for p in left if len(p) == len(word)
                      and _substring_edits(p, word) <= 1)
        if not near:
            return False
        left.discard(near[0])
    return len(left) <= settings.ocr_header_scrambled_missing


def _unnamed_number_column(columns: list[Column], lines: list[Line], bottom: float,
                           segs: Callable[[Line], list[Line]], settings: TableSettings,
                           *, scanned: bool = False) -> None:
    """A header cell can be lost altogether on a scan ("STT" under speckle, the
    other cells read) or misread past recognition ("SITL"): the first column, with no
    role and no word in its header (on a scan: at most one word of
    `unnamed_tt_max_letters`), narrow, whose lines under the header are mostly row
    numbers, is the TT column (else the numbers join the task text and every row loses
    its TT)."""
    first = columns[0]
    if first.role or any(c.role == "tt" for c in columns):
        return
    header = first.header.split()
    if any(ch.isalnum() for ch in first.header) and not (
            scanned and len(header) == 1 and len(header[0]) <= settings.unnamed_tt_max_letters):
        return
    if first.x1 - first.x0 > settings.unnamed_tt_max_share * (columns[-1].x1 - first.x0):
        return
    heads = [seg.text.split()[0] for line in lines if line.y0 >= bottom
             for seg in segs(line) if first.x0 <= seg.xc <= first.x1 and seg.text.strip()]
    numbers = sum(is_tt_value(text) for text in heads)
    if (numbers >= settings.unnamed_tt_min_numbers
            and numbers >= settings.unnamed_tt_number_share * len(heads)):
        first.role = "tt"


def _lost_number_header(columns: list[Column], lines: list[Line], bottom: float,
                        left: float, settings: TableSettings) -> None:
    """A table ruled across only, or not ruled, whose TT header cell holds no word
    (printed empty, or "STT" lost on a scan): its columns, placed from the header
    text, start at the first named cell, and the row numbers under the empty one lie
    left of the table. When most lines under the header that start left of the first
    column, under the numbers, start with a row number, a TT column for them goes in
    front. `left`: how far left the table's rules reach (the empty cell's edge), or
    the first column's edge when nothing says so."""
    first = columns[0]
    if any(c.role == "tt" for c in columns):
        return
    # (With no rules to say where the table begins, the first column's text may start
    # as far left of its centred header as the column is wide, its numbers further.)
    reach = max(first.x0 - left, first.width) \
        + settings.unnamed_tt_max_share * (columns[-1].x1 - first.x0)
    starts = [line.words[0] for line in lines if line.y0 >= bottom and line.words
              and first.x0 - reach - settings.column_pad <= line.words[0].x0
              and line.words[0].x1 < first.x0]
    numbers = [w for w in starts if is_tt_value(w.text)]
    if len(numbers) < settings.unnamed_tt_min_numbers:
        return
    # (The lines of the task text start left of the first column too, but right of
    # the numbers: only the lines starting under the numbers say whether it is their
    # column.)
    edge = max(w.x1 for w in numbers)
    if len(numbers) < settings.unnamed_tt_number_share * sum(w.x0 < edge for w in starts):
        return
    numbered = {id(w) for w in numbers}
    beside = [ln.words[k + 1].x0 for ln in lines for k, w in enumerate(ln.words[:-1])
              if id(w) in numbered]
    # (Midway between the numbers and the nearest text right of them: the first
    # column's edge placed from its header lies under the header, which is centred.)
    right = [x for x in (*beside, *(w.x0 for w in starts)) if x > edge]
    boundary = (edge + min([*right, first.x0])) / 2
    if boundary - min(w.x0 for w in numbers) > settings.unnamed_tt_max_share * (
            columns[-1].x1 - first.x0):
        return
    columns.insert(0, Column(min(left, *(w.x0 for w in numbers)) - settings.column_pad,
                             boundary, role="tt"))
    first.x0 = boundary


def _role_phrases(vocab: Vocabulary) -> list[tuple[str, str]]:
    """Every header phrase with its role: those a cell may contain, then the exact ones."""
    return [*vocab.contained, *((p, r) for r in vocab.role_order for p in vocab.exact.get(r, ()))]


def _nearest_role(vocab: Vocabulary, text: str, settings: TableSettings) -> str | None:
    best: tuple[float, str] | None = None
    squeezed = text.replace(" ", "")
    for phrase, role in _role_phrases(vocab):
        if len(phrase) < settings.ocr_header_min_letters:
            # A short phrase is the whole cell, within `ocr_short_header_edits` of it
            # ("SITT" for "STT", a speck read as "I" between S and T).
            short = phrase.replace(" ", "")
            if (len(short) >= settings.ocr_short_header_min_letters
                    and _substring_edits(squeezed, short) <= settings.ocr_short_header_edits
                    and _substring_edits(short, squeezed) <= settings.ocr_short_header_edits
                    and best is None):
                best = (1.0, role)
            continue
        share = _substring_edits(phrase, text) / len(phrase)
        if share <= settings.ocr_header_edit_share and (best is None or share < best[0]):
            best = (share, role)
    return best[1] if best else None


def _substring_edits(phrase: str, text: str) -> int:
    """The fewest edits that turn `phrase` into some part of `text` (Sellers)."""
    row = [0] * (len(text) + 1)
    for i, p in enumerate(phrase, 1):
        new = [i] + [0] * len(text)
        for j, t in enumerate(text, 1):
            new[j] = min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (p != t))
        row = new
    return min(row)


def _weak(vocab: Vocabulary, col: Column) -> bool:
    phrases = vocab.weak.get(col.role or "", ())
    t = norm(col.header)
    return any(p in t for p in phrases)


def _skip_column_numbers(lines: list[Line], bottom: float, columns: list[Column],
                         settings: TableSettings) -> float:
    """A row of column numbers ("1 2 3 …" or "(1) (2) …") right under the header is
    part of the header."""
    after = [ln for ln in lines if ln.y0 >= bottom - settings.edge_slack]
    if not after:
        return bottom
    first = min(after, key=lambda ln: ln.y0)
    margin = settings.frame_margin
    inside = [w for w in first.words if columns[0].x0 - margin <= w.xc <= columns[-1].x1 + margin
              # (On a scan, a speck or what is left of a border reads as "-" or ".".)
              and (w.origin != "ocr" or any(ch.isalnum() for ch in w.text))]
    if len(inside) < 3:
        return bottom
    inside.sort(key=lambda w: w.x0)
    if all(_COLUMN_NUMBER.match(w.text) for w in inside):
        numbers = [int(re.sub(r"\D", "", w.text)) for w in inside]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            return first.y1 + settings.slack
    # (On a scan, also when a number was not read at all: "(1) (2) (3) (4) (6)".)
    if all(w.origin == "ocr" for w in inside) and _misread_column_numbers(inside, settings):
        return first.y1 + settings.slack
    return bottom


def _misread_column_numbers(words: list[Word], settings: TableSettings) -> bool:
    """A scanned column-number row with some numbers misread ("q)" for "(1)", "46)."
    for "(6)"): every word short, at most `ocr_column_number_misread_share` of them
    no column number, the others rising."""
    if any(len(w.text) > settings.ocr_column_number_len for w in words):
        return False
    read = [int(re.sub(r"\D", "", w.text)) for w in words if _COLUMN_NUMBER.match(w.text)]
    if len(read) < 3 or len(words) - len(read) > settings.ocr_column_number_misread_share * len(words):
        return False
    return all(a < b for a, b in zip(read, read[1:], strict=False))
