"""The header block and signature of a plan (contract `document`).

Vietnamese administrative documents follow Nghị định 30/2020/NĐ-CP: on the first page
the issuing body sits in a left column ("UBND TỈNH BÌNH ĐỊNH / SỞ Y TẾ") beside the
national motto, "Số: 107/KH-SYT" and "Bình Định, ngày 15 tháng 6 năm 2023" below
them, then the document type ("KẾ HOẠCH") and the trích yếu (title). The signature
block ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / name") sits on the right beside "Nơi nhận:" at
the end of the body, before any appendix (sometimes after it); a page break may cut
it. The reader works on geometry (the motto's left edge splits the two columns) and
on the data in `extractors/header_block.yaml` and `extractors/provinces.yaml`;
whatever it cannot find becomes a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Any

from vnplans import knowledge
from vnplans.geometry import Line
from vnplans.index_names import indices_named_in
from vnplans.ir import Page, Word
from vnplans.layout.header_ocr import (
    confusion_cost,
    is_personal_name,
    known_names,
    place_kind_opens,
    repair_name,
    repair_symbol,
    respell_names,
    without_leading_marks,
    without_specks,
)
from vnplans.layout.reading_order import rows_of_lines, segments
from vnplans.layout.settings import HEADER_BLOCK, HeaderBlockSettings
from vnplans.models import DocumentInfo, Signer
from vnplans.vietnamese import collapse, join_lines
from vnplans.vietnamese import fold as vn_fold

# "Số: 107/KH-SYT", "Số:      /KH-SYT", "Số 1050 /QĐ-SCT" (OCR may garble the "Số",
# and read a speck or the rule under the issuer before the number: "Số: -214/KH-UBND").
_SPECKS = r"[-–~ˆ'`‘’.,]*\s*"
_NUMBER = re.compile(
    rf"^\S{{1,3}}?\s*:?\s*{_SPECKS}(?P<number>[0-9][0-9A-Za-z.]*)?\s*/\s*(?P<symbol>.+)$")
_DATE = re.compile(
    r"^(?P<place>[^,]*?)\s*,?\s*ngày\s*(?P<day>\d{1,2})?\s*"
    # A stamped month over the printed one leaves a second number ("tháng 5 4 năm").
    r"(?:(?:tháng\s*(?P<month>\d{1,2})?(?:\s+\d{1,2})?)|(?:[/.-]\s*(?P<month2>\d{1,2})))?\s*"
    r"(?:(?:năm\s*(?P<year>\d{4}))|(?:[/.-]\s*(?P<year2>\d{4})))?",
    re.IGNORECASE)
# An OCR'd number line whose slash was lost ("Số:145KH-UBND"): the number runs into
# the letters of the kind code.
_NUMBER_NO_SLASH = re.compile(
    rf"^\S{{1,3}}?\s*:?\s*{_SPECKS}(?P<number>[0-9]+)\s*(?P<symbol>[A-ZĐ]{{1,3}}\s*[-–].+)$")
# A date line that reaches its year ("ngày 15 tháng 3 năm 2024", "ngày 15/3/2024").
_YEAR_AFTER_DAY = re.compile(r"ngày.*\b\d{4}\b", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"\bnăm\s+((?:19|20)\d{2})\b", re.IGNORECASE)
# "KT. GIÁM ĐỐC", "KT.GIÁM ĐỐC", "KT GIÁM ĐỐC", the older "K/T GIÁM ĐỐC" (only
# known prefixes count).
_ACTING = re.compile(r"^(?P<prefix>[A-ZĐ](?:/?[A-ZĐ]){0,2})\s*(?:\.\s*|\s)(?P<rest>.*)$")
_LEADING_MARKS = re.compile(r"^[^\w(]+")
_PROVINCE_MARKER = re.compile(r"\b(?:TINH|THANH PHO|TP)\s+")
# (The reader's tolerances are the fields of `layout.settings.HeaderBlockSettings`.)


def fold(text: str) -> str:
    """Upper case without tone marks or punctuation, for matching ("Đắk" = "ĐĂK" = "DAK"):
    the ground floor's comparison form, upper-cased like the words the header block prints."""
    return vn_fold(text).upper()


@dataclass(frozen=True)
class _Knowledge:
    motto: tuple[str, ...]
    doc_types: dict[str, str]  # folded printed form -> contract form
    incomplete: frozenset[str]
    unfinished_endings: tuple[str, ...]  # folded, each with a space before it
    issuer_words: tuple[str, ...]
    acting: dict[str, str]
    deputy: dict[str, str]  # contract acting value -> the signer's title prefix
    position_words: tuple[str, ...]
    # (folded words, printed words) of each position word, longest first: OCR'd
    # positions are respelled with them ("CHỦ TICH" -> "CHỦ TỊCH").
    position_spellings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]
    not_names: frozenset[str]
    stamp_starts: tuple[str, ...]
    index_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    provinces: tuple[tuple[str, str], ...]  # (folded spelling, proper name), longest first


@cache
def _knowledge() -> _Knowledge:
    data: dict[str, Any] = knowledge.load("header_block")
    prov: dict[str, Any] = knowledge.load("provinces")
    spellings = {fold(name): name for name in prov["provinces"]}
    spellings.update({fold(printed): name for printed, name in prov.get("spellings", {}).items()})
    signer = data["signer"]
    return _Knowledge(
        motto=tuple(fold(m) for m in data["motto_markers"]),
        doc_types={fold(k): v for k, v in data["doc_types"].items()},
        incomplete=frozenset(fold(x) for x in data["incomplete_issuer_lines"]),
        unfinished_endings=tuple(" " + fold(x) for x in data.get("unfinished_line_endings", [])),
        issuer_words=tuple(fold(w) for w in data["issuer_words"]),
        acting={k.upper(): v for k, v in signer["acting"].items()},
        deputy=dict(signer.get("deputy", {})),
        position_words=tuple(fold(w) for w in signer["position_words"]),
        position_spellings=tuple(sorted(
            ((tuple(fold(w).split()), tuple(w.split())) for w in signer["position_words"]),
            key=lambda pair: -len(pair[0]))),
        not_names=frozenset(fold(x) for x in signer["not_names"]),
        stamp_starts=tuple(fold(x) for x in signer.get("stamp_starts", [])),
        index_patterns=tuple((name, re.compile(p)) for name, pats in data["indices"].items()
                             for p in pats),
        provinces=tuple(sorted(spellings.items(), key=lambda kv: -len(kv[0]))),
    )


# --------------------------------------------------------------------------- lines


def _rows(lines: list[Line]) -> list[Line]:
    """Segments on one visual row merged into one line (left to right)."""
    merged: list[Line] = []
    for row in rows_of_lines(lines):
        if len(row) == 1:
            merged.append(row[0])  # (most rows) the segment is the line
            continue
        words: list[Word] = [w for seg in sorted(row, key=lambda s: s.x0) for w in seg.words]
        merged.append(Line(words))
    return merged


def _split_at_divider(seg: Line, divider: float,
                      settings: HeaderBlockSettings = HEADER_BLOCK) -> list[Line]:
    """A segment that runs from the left column across a wide gap into the motto
    column, as its two parts: the reading order may join the last word of a wrapped
    authority with that of a wrapped motto on the same row ("DƯƠNG" … "NAM")."""
    words = seg.words
    for k in range(1, len(words)):
        if words[k - 1].xc < divider <= words[k].xc:
            gap = words[k].x0 - words[k - 1].x1
            if gap > settings.divider_gap_em * max(seg.median_size, 1.0):
                return [Line(words[:k]), Line(words[k:])]
            break
    return [seg]


def _has_marker(folded: str, markers: tuple[str, ...]) -> bool:
    return any(m in folded for m in markers)


def _is_decoration(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


def _is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def _text(line: Line) -> str:
    return collapse(line.text)


# --------------------------------------------------------------------------- fields


def _province_in(text: str, *, require_marker: bool = True) -> str | None:
    folded = fold(text)
    starts = [m.end() for m in _PROVINCE_MARKER.finditer(folded)]
    if not require_marker:  # a place: "Bình Định", "TP. Hồ Chí Minh"
        starts.insert(0, 0)
    for start in starts:
        rest = folded[start:]
        for spelling, name in _knowledge().provinces:
            if rest == spelling or rest.startswith(spelling + " "):
                return name
    return None


def _indices_in(text: str) -> list[str]:
    """Indices named in `text`, in order of first mention: the patterns of
    header_block.yaml (broken spellings such as "PAR IN DEX") plus the shared name
    table of indices.yaml."""
    folded = fold(text)
    found: list[tuple[int, str]] = []
    for name, pattern in _knowledge().index_patterns:
        if m := pattern.search(folded):
            found.append((m.start(), name))
    out: list[str] = []
    for name in [name for _, name in sorted(found)] + list(indices_named_in(text)):
        if name not in out:
            out.append(name)
    return out


def _parse_date(text: str) -> tuple[str | None, date | None, int | None]:
    m = _DATE.search(text)
    if not m:
        return None, None, None
    place = collapse(m.group("place") or "") or None
    day = m.group("day")
    month = m.group("month") or m.group("month2")
    year = m.group("year") or m.group("year2")
    issued = None
    if day and month and year:
        try:
            issued = date(int(year), int(month), int(day))
        except ValueError:
            issued = None
    return place, issued, int(year) if year else None


def _date_rows(right: list[Line], settings: HeaderBlockSettings = HEADER_BLOCK) -> list[Line]:
    """The row of the motto column holding "ngày", with the rows it wraps into: a
    long place name pushes the line past the column ("Thành phố Hồ Chí Minh," /
    "ngày 15 tháng 3 năm 2024", or "…, ngày 15 tháng 3" / "năm 2024")."""
    k = next((i for i, r in enumerate(right) if "NGAY" in fold(r.text).split()), None)
    if k is None:
        return []
    rows = [right[k]]
    if k > 0 and _text(right[k - 1]).endswith(",") and \
            right[k].y0 - right[k - 1].y1 < settings.date_wrap_lines * right[k].height:
        rows.insert(0, right[k - 1])
    if not _YEAR_AFTER_DAY.search(_text(right[k])) and k + 1 < len(right) and \
            right[k + 1].y0 - right[k].y1 < settings.date_wrap_lines * right[k].height and \
            _YEAR_AFTER_DAY.search(f"ngày {_text(right[k + 1])}"):
        rows.append(right[k + 1])
    return rows


def _sentence_case(text: str) -> str:
    low = text.lower()
    return low[:1].upper() + low[1:]


def _appendix_start(pages: list[Page], settings: HeaderBlockSettings = HEADER_BLOCK) -> int:
    """Index of the first appendix page ("PHỤ LỤC" near the top, or the first
    landscape page after page 1); len(pages) when there is none."""
    for i, page in enumerate(pages[1:], start=1):
        if page.landscape and not pages[0].landscape:
            return i
        top_words = [w for w in page.words
                     if w.y1 < page.height * settings.appendix_title_share]
        # A line folding to "PHU LUC …" needs a word folding to hold "PHU": without
        # one (most pages) the top needs no reading-order pass.
        if "PHU" in fold(" ".join([w.text for w in top_words])):
            top = segments(top_words)
            if any(fold(s.text).startswith("PHU LUC") for s in top):
                return i
    return len(pages)


def _page_lines(page: Page, known: dict[int, list[Line]]) -> list[Line]:
    """The page's segments, computed once (`known`: by id of the page)."""
    if id(page) not in known:
        known[id(page)] = segments(page.words, page.rules) if page.words else []
    return known[id(page)]


def _right_lines(lines: list[Line], page: Page, start_y: float = 0.0,
                 settings: HeaderBlockSettings = HEADER_BLOCK) -> list[Line]:
    """The lines of the right-hand column (where the signature block sits), top down."""
    return sorted((ln for ln in lines
                   if ln.x0 > page.width * settings.right_column_share and ln.y0 >= start_y
                   and not _is_decoration(ln.text)), key=lambda ln: ln.y0)


def _shifted(line: Line, dy: float) -> Line:
    return Line([replace(w, y0=w.y0 + dy, y1=w.y1 + dy) for w in line.words])


def _continuation(lines: list[Line], page: Page, next_lines: list[Line],
                  settings: HeaderBlockSettings = HEADER_BLOCK) -> list[Line]:
    """The right-hand lines at the top of the page after a signature page, for a
    signature block that a page break cuts ("TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" at the
    foot of one page, the rest of "Nơi nhận" and the name at the top of the next).
    Only the lines above the first wide one across the middle of the page (body
    text, a table, a subtitle: the signature table has ended; a page number or a
    short heading there is no such line), moved to just below the last line of the
    signature page so that the blank space left for the signature is measured
    across the break."""
    text = sorted((ln for ln in next_lines if not _is_decoration(ln.text)),
                  key=lambda ln: ln.y0)
    if not text or not lines:
        return []
    mid = page.width * 0.5
    leading = []
    for ln in text:
        if ln.x0 < mid < ln.x1 and ln.x1 - ln.x0 > settings.wide_line_share * page.width:
            break
        leading.append(ln)
    top = text[0].y0
    dy = max(ln.y1 for ln in lines) + settings.continuation_gap_lines * text[0].height - top
    return [_shifted(ln, dy) for ln in _right_lines(leading, page, settings=settings)
            if ln.y0 - top <= settings.signature_space_max]


def _signer(pages: list[Page], body_end: int, warnings: list[str],
            known: dict[int, list[Line]] | None = None,
            settings: HeaderBlockSettings = HEADER_BLOCK) -> Signer:
    """The signature block beside "Nơi nhận" at the end of the body (pages[:body_end]);
    failing that, the last body page's without it, then one after the appendix.
    `known`: segments already computed, by id of the page."""
    kb = _knowledge()
    known = dict(known or {})
    body = range(body_end - 1, -1, -1)
    appendix = range(len(pages) - 1, body_end - 1, -1)
    # (page index, whether "Nơi nhận" must be on it): a page holding the end of a
    # block cut by a page break has no "Nơi nhận", so it comes after the pages that do.
    for i, with_recipients in [*((i, True) for i in body), (body_end - 1, False),
                               *((i, True) for i in appendix)]:
        page = pages[i]
        lines = _page_lines(page, known)
        recipients = [ln for ln in lines if fold(ln.text).startswith("NOI NHAN")]
        if with_recipients != bool(recipients):
            continue
        start_y = recipients[0].y0 - settings.recipients_reach_lines * recipients[0].height \
            if recipients else 0.0
        right = _right_lines(lines, page, start_y, settings=settings)
        found = _signature_in(right, kb, settings=settings)
        # A block without its name on this page goes on at the top of the next one
        # (in the same orientation).
        if found is None and recipients and i + 1 < len(pages) and \
                abs(pages[i + 1].width - page.width) < settings.same_width_tol:
            following = _continuation(lines, page, _page_lines(pages[i + 1], known), settings)
            found = _signature_in(right + following, kb, len(right), settings=settings)
        if found is None and recipients:
            # The block starts well above "Nơi nhận" (two signers side by side in a
            # joint plan, "Nơi nhận" under them): the whole right-hand column.
            found = _signature_in(_right_lines(lines, page, settings=settings), kb,
                                  settings=settings)
        if found:
            return found
    warnings.append("header block: no signature block (position and signer name) found")
    return Signer()


def _acting_prefix(text: str, kb: _Knowledge) -> tuple[str | None, str]:
    """("KT.", "GIÁM ĐỐC") for "KT. GIÁM ĐỐC" / "KT.GIÁM ĐỐC" / "K/T GIÁM ĐỐC";
    (None, text) otherwise."""
    m = _ACTING.match(text)
    prefix = m.group("prefix").replace("/", "") if m else ""
    if m and prefix in kb.acting:
        return kb.acting[prefix], m.group("rest").strip()
    return None, text


def _is_position(text: str, kb: _Knowledge) -> bool:
    """An upper-case line of the signature block: "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
    "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"."""
    if not _is_upper(text):
        return False
    if _acting_prefix(text, kb)[0]:
        return True
    folded = fold(text)
    return any(w in folded for w in kb.position_words)


def _respelled(text: str, kb: _Knowledge) -> str:
    """An OCR'd position with its known words in their printed spelling: OCR drops
    tone marks ("CHỦ TICH")."""
    words, out, i = text.split(), [], 0
    while i < len(words):
        for folded, printed in kb.position_spellings:
            if tuple(fold(w) for w in words[i:i + len(folded)]) == folded:
                out.extend(printed)
                i += len(folded)
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def _native(line: Line) -> bool:
    return all(w.origin != "ocr" for w in line.words)


def _ocr_issuer_line(line: Line) -> bool:
    """An OCR'd left-column line opening with "SỞ" in capitals and without the number
    line's slash ("SỞ TƯ PHÁP: l", a speck read as a colon): the issuer, not "Số:"."""
    first = line.words[0].text if line.words else ""
    return not _native(line) and "/" not in line.text and \
        re.sub(r"[^\w]", "", first) == "SỞ"


def _signer_name(candidates: list[Line], block: list[Line], kb: _Knowledge,
                 settings: HeaderBlockSettings) -> str | None:
    """The signer's name below the position lines: the first line in normal case,
    skipping "(Đã ký)" and digital-signature stamps; failing that (names printed in
    capitals), the first line after the blank space left for the signature. The name
    is centred under the block (a running footer or a heading is not)."""
    after = block[-1]
    left, right = min(b.x0 for b in block), max(b.x1 for b in block)
    slack = settings.name_off_centre_share * (right - left)
    fallback = None
    for cand in candidates:
        text = _text(cand)
        if cand.y0 - after.y1 > settings.signature_space_max:
            break
        folded = fold(text)
        if folded in kb.not_names or folded.startswith(kb.stamp_starts) or \
                text.startswith("("):
            continue
        # A name has two syllables at least (OCR specks such as "k" do not) and is set
        # in the position's size (a footer is smaller; OCR'd sizes are guesses).
        if sum(any(ch.isalpha() for ch in w) for w in text.split()) < 2 or \
                not left - slack <= cand.xc <= right + slack or \
                (_native(cand) and _native(after)
                 and cand.median_size < settings.name_min_size_share * after.median_size):
            continue
        # An OCR'd line that is no personal name is a seal's or a signature's
        # remains ("Xà N 21/22"): the name is further down, or not read.
        if not _native(cand) and not is_personal_name(text):
            continue
        if not _is_upper(text):
            return text
        if fallback is None and \
                cand.y0 - after.y1 > settings.signature_space_lines * after.height:
            fallback = text
    return fallback


def _signature_in(right: list[Line], kb: _Knowledge, page_break: int | None = None, *,
                  settings: HeaderBlockSettings = HEADER_BLOCK) -> Signer | None:
    """The first signature block among the right-hand lines (top to bottom).
    `page_break`: index of the first line from the next page, where a block that
    the break cuts goes on whatever the spacing."""
    for i, line in enumerate(right):
        if not _is_position(_text(line), kb):
            continue
        block = [line]
        j = i + 1
        while j < len(right) and _is_position(_text(right[j]), kb) and (
                right[j].y0 - block[-1].y1 < settings.position_gap_lines * block[-1].height
                or j == page_break):
            block.append(right[j])
            j += 1
        name = _signer_name(right[j:], block, kb, settings)
        if name is None:
            continue
        texts = [_text(b) for b in block]
        # The nearest prefix above the name: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH /
        # PHÓ CHỦ TỊCH" is signed "KT.".
        acting = next((a for a in (_acting_prefix(t, kb)[0] for t in reversed(texts)) if a),
                      None)
        last_acting, position = _acting_prefix(texts[-1], kb)
        position = position or texts[-1]
        if any(w.origin == "ocr" for w in block[-1].words):
            # (Without a speck read before it: "- GIÁM ĐỐC"; no position opens with
            # a mark.)
            position = _respelled(_LEADING_MARKS.sub("", position), kb)
            # "KT. CHỦ TỊCH" read last: the deputy's own line under it ("PHÓ CHỦ
            # TỊCH") was lost to OCR (cut by the signature, or read out of order).
            deputy = kb.deputy.get(last_acting or "")
            if deputy and not fold(position).startswith(fold(deputy) + " "):
                position = f"{deputy} {position}"
        return Signer(name=name, position=position, acting=acting)  # type: ignore[arg-type]
    return None


def _misread_doc_type(text: str, kb: _Knowledge, settings: HeaderBlockSettings) -> str | None:
    """The known type an OCR'd short line is a misreading of, if one is near enough
    (`ocr_doc_type_cost`) and nearer than any other."""
    read = "".join(ch for ch in fold(text) if ch.isalpha())
    costs = sorted((confusion_cost(read, squeezed), value)
                   for key, value in kb.doc_types.items()
                   if len(squeezed := key.replace(" ", "")) >= settings.doc_type_min_letters
                   and len(read) <= len(squeezed) + settings.doc_type_extra_letters)
    if not costs or costs[0][0] > settings.ocr_doc_type_cost \
            or len(costs) > 1 and costs[1][0] == costs[0][0]:
        return None
    return costs[0][1]


def _doc_type_and_title(below: list[Line], kb: _Knowledge, warnings: list[str],
                        settings: HeaderBlockSettings = HEADER_BLOCK
                        ) -> tuple[str | None, list[str]]:
    """The document type line among the first rows below the header ("KẾ HOẠCH") and
    the trích yếu lines under it. An upper-case bold short line that is not a known
    type is taken as the type, with a warning (extend header_block.yaml)."""
    start = None
    doc_type = None
    # Letter-spaced types ("K Ế H O Ạ C H") compared without their spaces.
    spaced = {k.replace(" ", ""): v for k, v in kb.doc_types.items()}
    for i, row in enumerate(below[:settings.doc_type_search_rows]):
        # (An OCR'd line without the specks read beside it: "Án KẾ HOẠCH".)
        row_text = row.text if _native(row) else without_specks(row.text)
        key = fold(row_text)
        if key in kb.doc_types:
            start, doc_type = i, kb.doc_types[key]
            break
        if _is_upper(row_text) and key.replace(" ", "") in spaced:
            start, doc_type = i, spaced[key.replace(" ", "")]
            break
        # "KẾ HOẠCH HÀNH ĐỘNG", "KẾ HOẠCH LIÊN TỊCH": a known type opening an
        # upper-case line.
        prefixes = [k for k in kb.doc_types if key.startswith(k + " ")]
        if prefixes and _is_upper(row_text):
            start, doc_type = i, kb.doc_types[max(prefixes, key=len)]
            break
    if start is None:
        for i, row in enumerate(below[:settings.doc_type_search_rows]):
            if not _native(row) and (found := _misread_doc_type(row.text, kb, settings)):
                start, doc_type = i, found
                break
    if start is None and below:
        row = below[0]
        text = _text(row)
        if _is_upper(text) and row.bold and len(text.split()) <= settings.doc_type_max_words:
            start, doc_type = 0, _sentence_case(text)
            warnings.append(f"header block: unknown document type {text!r}")
    if start is None:
        return None, []
    title: list[str] = []
    prev, first_bold = below[start], False
    for row in below[start + 1:]:
        text = _text(row)
        gap = row.y0 - prev.y1
        # The trích yếu ends at a blank line, or at an upper-case line set apart from
        # it ("GIÁM ĐỐC SỞ …" above a decision's preamble) ...
        if gap > settings.title_gap_lines * prev.height or _is_decoration(text) or (
                _is_upper(text) and title and gap > settings.title_upper_gap_lines * prev.height):
            break
        # ... and, when bold, where bold ends (OCR words carry no style: there only
        # the spacing counts).
        if title and first_bold and not row.bold:
            break
        if not title:
            first_bold = row.bold
        title.append(text)
        prev = row
    return doc_type, title


def _title_of(lines: list[str]) -> str:
    """The trích yếu on one line: its wrapped lines joined as cell lines are, without
    a space after a hyphen glued to a word ("giai đoạn 2021-" / "2025")."""
    return collapse(join_lines(lines)).rstrip(" .;")


def _starts_issuer(text: str, kb: _Knowledge) -> bool:
    """Whether a line opens an issuing body's name ("SỞ …", "BAN …", "CHI CỤC …")."""
    folded = fold(text)
    return any(folded == w or folded.startswith(w + " ") for w in kb.issuer_words)


def _authority_and_issuer(rows: list[Line], kb: _Knowledge) -> tuple[str | None, str]:
    """Split the left-column lines above "Số:" into the authority (cơ quan chủ quản)
    and the issuer. Either name may wrap over several lines, so the split is where
    the issuer starts: the first line after the first that opens with an
    issuing-body word ("UBND TỈNH LÂM / ĐỒNG / SỞ TÀI NGUYÊN VÀ MÔI / TRƯỜNG");
    failing that, where regular type turns bold (Nghị định 30/2020 sets the
    authority in regular, the issuer in bold; OCR words carry no style); failing
    that, after the first line, unless that line is only the start of the issuer's
    own name ("ỦY BAN NHÂN DÂN / HUYỆN ĐẠI TỪ", "ỦY BAN NHÂN DÂN TỈNH / QUẢNG NGÃI")."""
    texts = [_text(r) for r in rows]
    if len(texts) == 1:
        return None, texts[0]
    split = next((i for i in range(1, len(texts)) if _starts_issuer(texts[i], kb)), None)
    if split is None and not rows[0].bold:
        split = next((i for i in range(1, len(rows)) if rows[i].bold), None)
        # OCR's guess of bold is no split before a place ("ỦY BAN NHÂN DÂN" /
        # "TỈNH TUYÊN QUANG" in bold): the place goes on with the body above.
        if split is not None and not _native(rows[split]) and place_kind_opens(texts[split]):
            split = None
    if split is None:
        first = fold(texts[0])
        if first in kb.incomplete or first.endswith(kb.unfinished_endings):
            return None, " ".join(texts)
        # An OCR'd second line opening with a place kind goes on with the body on
        # the first, whatever OCR made of it ("ỦY BAN NHÂN" / "TỈNH QUẢNG BÌNH").
        if not _native(rows[1]) and place_kind_opens(texts[1]):
            return None, " ".join(texts)
        split = 1
    return " ".join(texts[:split]), " ".join(texts[split:])


# --------------------------------------------------------------------------- main


def read_header_block(pages: list[Page], *, settings: HeaderBlockSettings = HEADER_BLOCK
                      ) -> tuple[DocumentInfo, list[str]]:
    """The contract's `document` object from the pages of one PDF, plus warnings for
    every field that could not be read. `settings`: the reader's tolerances."""
    warnings: list[str] = []
    info = DocumentInfo()
    first = next((p for p in pages if p.words), None)
    if first is None:
        warnings.append("header block: no text on any page")
        return info, warnings
    kb = _knowledge()
    first_lines = segments(first.words, first.rules)
    segs = [s for s in first_lines if not _is_decoration(s.text)]
    motto = [s for s in segs if _has_marker(fold(s.text), kb.motto)]
    if motto:
        divider = min(s.x0 for s in motto) - settings.divider_margin
        top = min(s.y0 for s in motto) - motto[0].height
    else:
        warnings.append("header block: national motto not found; columns guessed")
        divider, top = first.width * settings.divider_share, 0.0
    header_segs = [part for s in segs
                   if s.y0 >= top and s.y0 < first.height * settings.header_depth_share
                   for part in _split_at_divider(s, divider, settings)]
    in_left = [s.x1 <= divider + settings.left_overhang
               or s.xc < divider * settings.left_centre_share for s in header_segs]
    left = _rows([s for s, is_left in zip(header_segs, in_left, strict=True) if is_left])
    # The date line may be a little wider than the motto ("Quảng Ngãi, ngày 08 tháng 3
    # năm 2024" in 14 pt Arial starts left of "CỘNG HÒA …"); lines centred on the page
    # are in neither column.
    right = _rows([s for s, is_left in zip(header_segs, in_left, strict=True)
                   if not is_left and s.xc > divider
                   and s.x0 >= divider - settings.right_overhang_share * first.width])

    # "Số: 107/KH-SYT" and the lines of the issuing body above it.
    number_row = next((r for r in left if fold(r.text).split()[:1] == ["SO"]
                       and ("/" in r.text or ":" in r.text)
                       and not _ocr_issuer_line(r)), None)  # not "SỞ Y TẾ"
    bottom = number_row.y0 if number_row else max((r.y1 for r in left[:3]), default=top)
    body_rows = [r for r in left if r.y1 <= bottom + settings.slack and r is not number_row]
    raw_symbol = ""
    if number_row is not None:
        m = _NUMBER.match(_text(number_row))
        if m is None and not _native(number_row):
            m = _NUMBER_NO_SLASH.match(_text(number_row))
        if m:
            info.number = m.group("number")
            info.symbol = re.sub(r"\s+", "", m.group("symbol")).rstrip(".")
            raw_symbol = m.group("symbol")
        else:
            warnings.append(f"header block: cannot read the number line {_text(number_row)!r}")
    else:
        warnings.append("header block: no 'Số: …' line")
    if body_rows:
        info.authority, info.issuer = _authority_and_issuer(body_rows, kb)
        # (OCR'd names are read against the knowledge once the date's place and the
        # body text are known: below.)
    else:
        warnings.append("header block: issuing body not found")

    # "Place, ngày … tháng … năm …" in the motto column.
    date_rows = _date_rows(right, settings)
    date_row = date_rows[-1] if date_rows else None
    place, date_year = None, None
    if date_rows:
        place, info.issued_on, date_year = _parse_date(" ".join(_text(r) for r in date_rows))
        if info.issued_on is None:
            warnings.append("header block: issue date left blank or unreadable")
    else:
        warnings.append("header block: no date line")

    # Document type and trích yếu below the header rows.
    header_bottom = max([r.y1 for r in (number_row, date_row) if r is not None] or [top])
    below = _rows([s for s in segs if s.y0 > header_bottom + settings.edge_slack])
    info.doc_type, title_lines = _doc_type_and_title(below, kb, warnings, settings)
    title_rows = below[:settings.doc_type_search_rows + len(title_lines)]
    if info.doc_type is None:
        warnings.append("header block: document type (KẾ HOẠCH, QUYẾT ĐỊNH …) not found")
    if title_lines:
        info.title = _title_of(title_lines)
    else:
        warnings.append("header block: title (trích yếu) not found")

    body_end = _appendix_start(pages, settings) or 1

    @cache
    def body_text() -> str:
        """The text before any appendix, for the fields the header does not give
        (joined only then: most headers give them all)."""
        return " ".join(" ".join([w.text for w in p.words]) for p in pages[:body_end])

    # OCR'd header words read against the known shapes and names (born-digital ones
    # stand as printed): the issuing body with the places the document names, then
    # the symbol with the issuer's code.
    if body_rows and not all(_native(r) for r in body_rows):
        mentions = [place or "", body_text()]
        info.authority = repair_name(info.authority, mentions) if info.authority else None
        info.issuer = repair_name(info.issuer, mentions) if info.issuer else None
    if number_row is not None and info.symbol and not _native(number_row):
        info.symbol = repair_symbol(raw_symbol, info.issuer, info.authority)
    # The title names bodies and provinces of the knowledge: in their known marks (not
    # in the issuer's, itself OCR'd: the title's reading is as good as its).
    if info.title and title_rows and not all(_native(r) for r in title_rows):
        bodies, provinces = known_names()
        info.title = respell_names(without_leading_marks(info.title), bodies, provinces)

    # Year the plan is for: the title's "năm 2023", else the issue date's year.
    m = _TITLE_YEAR.search(info.title or "")
    info.year = int(m.group(1)) if m else date_year
    if info.year is None:
        warnings.append("header block: plan year not found")

    # Province: the issuing body's "TỈNH X", else the date line's place, the title,
    # the body text.
    for source, marker in ((info.authority or "", True), (info.issuer or "", True),
                           (place or "", False), (info.title or "", True)):
        if source and (province := _province_in(source, require_marker=marker)):
            info.province = province
            break
    else:
        info.province = _province_in(body_text())
    if info.province is None:
        warnings.append("header block: province not found")

    indices = _indices_in(info.title or "") or _indices_in(body_text())
    info.indices = indices  # type: ignore[assignment]
    info.signer = _signer(pages, body_end, warnings, {id(first): first_lines}, settings)
    return info, warnings
