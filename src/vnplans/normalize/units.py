"""Lead and supporting units: from the printed cell to canonical unit names.

"Các Phòng, Văn phòng, Thanh tra Sở và các đơn vị trực thuộc Sở" becomes
["Các phòng thuộc Sở", "Văn phòng Sở", "Thanh tra Sở", "Các đơn vị trực thuộc Sở"];
"Phòng Nghiệp vụ Y, Nghiệp vụ Dược Sở" two offices; "Các TTYT" "Các Trung tâm Y tế".

How a cell is read:
1. Bullet items ("- …") are parts of their own, wrapped lines are joined; remarks
   ("(t/h)", "theo chức năng, nhiệm vụ …") go.
2. spaCy PhraseMatchers (`unit_matcher`) find every known alias, so names holding a
   comma or "và" ("Sở Văn hóa, Thể thao và Du lịch", "Các bộ phận tham mưu, giúp việc")
   are protected before the cell is split on ",", ";", "." and "và".
3. A part that is one known unit, maybe with a role before it ("Lãnh đạo", "Thủ
   trưởng" — the unit is kept, see units.yaml) and a qualifier after it ("liên quan",
   "tỉnh Đắk Nông"), resolves to that unit. A part with no known unit is tried as an
   elliptical list item: with the head word of the part before it ("Nghiệp vụ Dược
   Sở" after "Phòng Nghiệp vụ Y" → "Phòng Nghiệp vụ Dược"), then with the ending the
   list shares ("Văn phòng" in "Các Phòng, Văn phòng, Thanh tra Sở" → "Văn phòng Sở").
4. Anything else is an unknown unit: kept as printed (trimmed) and reported by
   `analyse_units`/`unknown_units`, never dropped.

Which aliases apply depends on the issuing body (`issuer_key_for`): "Văn phòng" is
"Văn phòng Sở" in a Sở's plan. Ids (`unit_id`) are per issuing body for its own parts,
per province for provincial bodies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from vnplans.models import DocumentInfo
from vnplans.normalize.unit_tables import (
    UnitTable,
    body_of,
    fold_key,
    issuer_aliases,
    table_for,
    tokens,
)
from vnplans.vietnamese import collapse, fold, slug

if TYPE_CHECKING:  # the matcher module imports spaCy lazily; only its type is needed here
    from vnplans.normalize.unit_matcher import Match

_BULLET = re.compile(r"^\s*[-–—+•*]+\s*")
_SEPARATORS = frozenset({",", ";", ".", ":", "và", "+"})
# Between two units, these join rather than separate: "Bệnh viện/Trung tâm Y tế".
_CONNECTORS = frozenset({"/", "&"})
# List numbering inside a cell ("1. Văn phòng Sở 2. Thanh tra Sở", "a) …") separates.
_ENUMERATOR = re.compile(r"(?<!\S)(?:\d{1,2}[.)]|[a-zđ]\))(?=\s)")
_TRIM = " \t,;:.-–—+•*"
_PROVINCE_WORDS = ("tinh", "thanh pho")
# An elliptical item runs over at most this many parts ("Kế hoạch và Đầu tư" is two,
# "Văn hóa, Thể thao và Du lịch" three); the bound keeps a huge cell linear.
_MAX_CARRIED_PARTS = 4


@dataclass
class UnitAnalysis:
    units: list[str] = field(default_factory=list)    # canonical names, in order, no repeats
    unknown: list[str] = field(default_factory=list)  # those kept as printed (no alias matched)


# --- issuing body ---------------------------------------------------------------------

def _province_of(info: DocumentInfo) -> str | None:
    if info.province:
        return slug(info.province) or None
    for printed in (info.issuer, info.authority):
        if printed:
            folded = fold(printed)
            for word in _PROVINCE_WORDS:
                if f"{word} " in f"{folded} ":
                    rest = folded.split(f"{word} ", 1)[1].strip()
                    if rest:
                        return rest.replace(" ", "-")
    return None


def issuer_kind(issuer: str, province: str | None = None) -> str | None:
    """"SỞ Y TẾ" → "so-y-te"; "ỦY BAN NHÂN DÂN HUYỆN ĐẠI TỪ" → "ubnd-huyen-dai-tu";
    "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH" (province "binh-dinh") → "ubnd-tinh"."""
    folded = fold(issuer)
    if not folded:
        return None
    for prefix, kind in issuer_aliases():
        if folded == prefix or folded.startswith(prefix + " "):
            rest = folded[len(prefix):].strip().replace(" ", "-")
            return kind if not rest or rest == province else f"{kind}-{rest}"
    # "SỞ Y TẾ TỈNH BÌNH ĐỊNH": the province is not part of the kind.
    for word in _PROVINCE_WORDS:
        folded = folded.split(f" {word} ", 1)[0]
    return folded.replace(" ", "-")


def issuer_key_for(info: DocumentInfo) -> str | None:
    """Stable key of the issuing body: "so-y-te/binh-dinh" (kind/province); just the
    kind when the province is unknown; None when the issuer is unknown."""
    province = _province_of(info)
    kind = issuer_kind(info.issuer, province) if info.issuer else None
    if kind is None:
        return None
    return f"{kind}/{province}" if province else kind


def _split_key(issuer_key: str | None) -> tuple[str | None, str | None]:
    if not issuer_key:
        return None, None
    kind, _, province = issuer_key.partition("/")
    return kind or None, province or None


# --- unit ids -------------------------------------------------------------------------

def unit_scope(canonical_name: str, issuer_key: str | None) -> str:
    """Whose unit a canonical name is, in a plan of `issuer_key`: "issuer" (a part of the
    issuing body, or a unit no alias table knows), "province" or "national"."""
    kind, _ = _split_key(issuer_key)
    unit = table_for(body_of(kind)).by_name.get(collapse(canonical_name))
    return unit.scope if unit else "issuer"


def unit_id(canonical_name: str, issuer_key: str | None) -> str:
    """Stable id of a unit as named in a plan of `issuer_key`.

    A part of the issuing body (and any unknown unit) is qualified by the body:
    "binh-dinh/so-y-te:van-phong-so" ≠ "dak-nong/so-y-te:van-phong-so"; a provincial
    body by the province ("binh-dinh:so-noi-vu"); a national one by "vn".
    """
    kind, province = _split_key(issuer_key)
    scope = unit_scope(canonical_name, issuer_key)
    name = slug(canonical_name)
    if scope == "national":
        return f"vn:{name}"
    if scope == "province":
        return f"{province or 'unknown-province'}:{name}"
    if kind is None:
        return f"unknown-issuer:{name}"
    return f"{province}/{kind}:{name}" if province else f"{kind}:{name}"


# --- resolving cells --------------------------------------------------------------------

def resolve_units(cell: str | None, issuer_key: str | None) -> list[str]:
    """Canonical unit names of a lead/support cell, in order, without repeats."""
    return analyse_units(cell, issuer_key).units


def unknown_units(cell: str | None, issuer_key: str | None) -> list[str]:
    """The units of the cell that no alias matched, kept as printed."""
    return analyse_units(cell, issuer_key).unknown


def inspected_units(cell: str | None) -> list[str]:
    """The units of an inspected-unit cell (Kế hoạch kiểm tra), in order, no repeats.

    Inspected units are companies, schools, communes …, whose names hold "và" and
    commas ("Công ty TNHH Xây dựng và Thương mại …"): the cell is cut only into its
    bullet items, lines numbered inside it and ";"-separated parts, never on "," or
    "và". A part that is exactly one unit the generic aliases know ("UBND xã …",
    "Trường THCS …" as `units.yaml` spells them for any issuer) gets its canonical
    name; any other part is kept as printed (NFC, whitespace collapsed, list marks and
    end punctuation trimmed)."""
    if cell is None or not cell.strip():
        return []
    out: list[str] = []
    for item in _prepare_items(cell):
        for part in item.split(";"):
            name = part.strip(_TRIM)
            if not name:
                continue
            generic = analyse_units(name, None)
            if len(generic.units) == 1 and not generic.unknown:
                name = generic.units[0]
            if name not in out:
                out.append(name)
    return out


def _bullet_items(cell: str) -> list[str]:
    """The cell's bullet items ("- …" lines), their wrapped lines joined by spaces."""
    items: list[str] = []
    for raw in unicodedata.normalize("NFC", cell).split("\n"):
        bullet = _BULLET.match(raw) is not None and raw.strip() not in _TRIM
        line = _BULLET.sub("", raw).strip()
        if not line:
            continue
        if bullet or not items:
            items.append(line)
        else:
            items[-1] += " " + line
    return items


def _prepare_items(cell: str) -> list[str]:
    """The cell's bullet items ("- …" lines, "1. …" enumerations) with wrapped lines
    joined, NFC and whitespace collapsed."""
    return [collapse(_ENUMERATOR.sub(" ; ", item)) for item in _bullet_items(cell)]


def analyse_units(cell: str | None, issuer_key: str | None) -> UnitAnalysis:
    if cell is None or not cell.strip():
        return UnitAnalysis()
    kind, province = _split_key(issuer_key)
    cached = _analyse(cell, body_of(kind), province)
    return UnitAnalysis(list(cached.units), list(cached.unknown))


@lru_cache(maxsize=8192)
def _analyse(cell: str, body: str | None, province: str | None) -> UnitAnalysis:
    # Cells repeat a lot within and across plans; the cache makes repeats free.
    # Callers get copies (analyse_units), so the cached value stays intact.
    table = table_for(body)
    text = _prepare(cell, table)
    reader = _CellReader(text, table, province)
    return reader.read()


def _prepare(cell: str, table: UnitTable) -> str:
    """Bullet items ("- …" lines) become ";"-separated parts; other line breaks are
    wrapping (a PDF cell prints "Trung tâm Kiểm / soát bệnh tật" on two lines) and
    become spaces — two names on two lines without a comma still separate, because
    two adjacent aliases are two units."""
    out = []
    for item in _bullet_items(cell):
        for remark in table.remarks:
            item = remark.sub(" ", item)
        item = collapse(_ENUMERATOR.sub(" ; ", item))
        if item:
            out.append(item)
    return " ; ".join(out)


class _CellReader:
    """Splits one prepared cell into parts and resolves each (steps 2–4 above)."""

    def __init__(self, text: str, table: UnitTable, province: str | None) -> None:
        from vnplans.normalize.unit_matcher import global_matcher

        self.text = text
        self.table = table
        self.province = province
        self.toks = tokens(text)
        self.words = [t for t, _, _ in self.toks]
        self._matcher = global_matcher()
        self.matches = self._find(self.words)

    def _find(self, words: list[str]) -> list[Match]:
        from vnplans.normalize.unit_matcher import best_matches

        layers = self.table.layers
        return best_matches(self._matcher.matches(words, layers), layers)

    def _parts(self) -> list[tuple[int, int]]:
        """(start, end) token spans between separators; a matched alias is never split.
        Also files each match under its part (`self._inside`)."""
        starts = {m.start: m for m in self.matches}
        parts: list[tuple[int, int]] = []
        inside: list[Match] = []
        self._inside: dict[tuple[int, int], list[Match]] = {}
        begin = i = 0
        while i < len(self.words):
            match = starts.get(i)
            if match is not None:
                inside.append(match)
                i = match.end
                continue
            if self.words[i].lower() in _SEPARATORS and not self._abbreviation_dot(i):
                parts.append((begin, i))
                self._inside[(begin, i)], inside = inside, []
                begin = i + 1
            i += 1
        parts.append((begin, len(self.words)))
        self._inside[(begin, len(self.words))] = inside
        return [(s, e) for s, e in parts if s < e]

    def _abbreviation_dot(self, i: int) -> bool:
        """A "." inside a word ("Tp.Hồ Chí Minh") does not separate units."""
        end = self.toks[i][2]
        return self.words[i] == "." and end < len(self.text) and not self.text[end].isspace() \
            and self.text[end] not in ";,"

    def _printed(self, start: int, end: int) -> str:
        return self.text[self.toks[start][1]:self.toks[end - 1][2]].strip(_TRIM)

    def read(self) -> UnitAnalysis:
        parts = self._parts()
        resolved: list[list[str] | None] = [self._resolve(s, e) for s, e in parts]
        result = UnitAnalysis()
        self._seen: set[str] = set()
        i = 0
        while i < len(parts):
            names = resolved[i]
            if names is None:
                carried = self._carry_head(parts, resolved, i) or self._shared_ending(parts, i)
                if carried is not None:
                    names, last = carried
                    for k in range(i, last + 1):
                        resolved[k] = names if k == i else []
                    i = last
                else:
                    i = self._unknown(parts, resolved, i, result)
                    continue
            for name in names:
                self._add(result, name)
            i += 1
        return result

    def _add(self, result: UnitAnalysis, name: str, *, unknown: bool = False) -> None:
        if name not in self._seen:
            self._seen.add(name)
            result.units.append(name)
            if unknown:
                result.unknown.append(name)

    def _unknown(self, parts: list[tuple[int, int]], resolved: list[list[str] | None],
                 i: int, result: UnitAnalysis) -> int:
        """Record part i (and following unresolved "và"-continuations) as printed."""
        start, end = parts[i]
        last = i
        while (last + 1 < len(parts) and resolved[last + 1] is None
               and self.words[parts[last + 1][0] - 1].lower() == "và"
               and not self._starts_with_head(*parts[last + 1])):
            last += 1
            end = parts[last][1]
        printed = self._printed(start, end)
        if printed and fold_key(printed) not in self.table.qualifiers:
            self._add(result, printed, unknown=True)
        return last + 1

    def _resolve(self, start: int, end: int) -> list[str] | None:
        """The units of words[start:end] when every word is explained, else None."""
        return self._explain(self.words[start:end], self._inside[(start, end)], start)

    def _explain(self, words: list[str], inside: list[Match], offset: int) -> list[str] | None:
        if not inside:
            return None
        before = words[: inside[0].start - offset]
        if before and fold_key(" ".join(before)) not in self.table.roles:
            return None
        for left, right in zip(inside, inside[1:], strict=False):
            gap = words[left.end - offset:right.start - offset]
            if any(w not in _CONNECTORS for w in gap):
                return None
        after = words[inside[-1].end - offset:]
        if after and not self._is_qualifier(after):
            return None
        return [m.unit.name for m in inside]

    def _is_qualifier(self, words: list[str]) -> bool:
        key = fold_key(" ".join(words))
        if key in self.table.qualifiers:
            return True
        # "tỉnh Đắk Nông", "tỉnh Bình Định": a province name after "tỉnh".
        first, _, rest = key.partition(" ")
        if first == "tinh" and rest:
            if self.province and rest.replace(" ", "-") == self.province:
                return True
            return all(w[:1].isupper() for w in words[1:])
        return bool(self.province) and key.replace(" ", "-") == self.province

    def _starts_with_head(self, start: int, end: int) -> bool:
        key = fold_key(" ".join(self.words[start:end]))
        return any(key == h or key.startswith(h + " ") for h in self._head_keys())

    def _head_keys(self) -> list[str]:
        return [fold_key(h) for h in self.table.heads] + ["cac"]

    def _resolve_words(self, words: list[str]) -> list[str] | None:
        """Resolve free text (not a part of the cell) as exactly one unit."""
        names = self._explain(words, self._find(words), 0)
        return names if names is not None and len(names) == 1 else None

    def _carry_head(self, parts: list[tuple[int, int]], resolved: list[list[str] | None],
                    i: int) -> tuple[list[str], int] | None:
        """"Phòng Nghiệp vụ Y, Nghiệp vụ Dược Sở": part i takes the head word of part
        i-1; it may run over following parts ("Sở Tài chính, Kế hoạch và Đầu tư")."""
        if i == 0 or not resolved[i - 1] or self._starts_with_head(*parts[i]):
            return None
        previous = fold_key(" ".join(self.words[slice(*parts[i - 1])]))
        heads = sorted((h for h in self.table.heads
                        if previous == fold_key(h) or previous.startswith(fold_key(h) + " ")),
                       key=len, reverse=True)
        for head in heads:
            head_words = [t for t, _, _ in tokens(head)]
            for last in range(min(len(parts) - 1, i + _MAX_CARRIED_PARTS - 1), i - 1, -1):
                words = head_words + self.words[parts[i][0]:parts[last][1]]
                names = self._resolve_words(words)
                if names is not None:
                    return names, last
        return None

    def _shared_ending(self, parts: list[tuple[int, int]], i: int) -> tuple[list[str], int] | None:
        """"Các Phòng, Văn phòng, Thanh tra Sở …": the list's last part lends its
        ending ("Sở", "thuộc Sở") to a part that is no unit without it."""
        start, end = parts[-1]
        if len(parts) < 2 or i == len(parts) - 1:
            return None
        tail = self.words[start:end]
        for size in range(1, min(3, len(tail)) + 1):
            words = self.words[parts[i][0]:parts[i][1]] + tail[-size:]
            names = self._resolve_words(words)
            if names is not None:
                return names, i
        return None
