"""Which index (PCI, PAPI, SIPAS, PAR INDEX) and which of its components a row serves.

Evidence, strongest first:
1. the row's section titles: an index named there ("II CHỈ SỐ NĂNG LỰC CẠNH TRANH CẤP
   TỈNH (PCI)") and a component named there ("2 Cạnh tranh bình đẳng"), innermost
   section first; when a section names two indices ("IV … (PAR INDEX) VÀ … (SIPAS)")
   the component decides, else the first one named;
2. the task text, when it names exactly one index;
3. the document's own index list, when it names only one (a PAPI-only plan).
Otherwise both stay None. Names and components come from extractors/indices.yaml;
index names are read by `vnplans.index_names` (the header block uses it too).
Matching ignores case, tone marks and punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from vnplans.index_names import ALL_INDICES, index_specs, indices_named_in, named_spans
from vnplans.models import IndexComponent, IndexName, Row
from vnplans.vietnamese import fold


@dataclass(frozen=True)
class _Alias:
    index: IndexName
    code: str
    name: str
    pattern: str      # folded alias


@dataclass(frozen=True, eq=False)  # hashed by identity: it keys `_section_reading`'s cache
class _Knowledge:
    aliases: tuple[_Alias, ...]                            # longest first
    numbered: tuple[tuple[IndexName, re.Pattern[str]], ...]  # "chỉ số nội dung 4"
    components: dict[tuple[IndexName, str], str]           # (index, code) → name


@cache
def _knowledge() -> _Knowledge:
    data = index_specs()
    aliases, numbered = [], []
    components: dict[tuple[IndexName, str], str] = {}
    for index, spec in data.items():
        if spec.get("numbered"):
            numbered.append((index, re.compile(rf"\b{re.escape(fold(str(spec['numbered'])))} (\d+)\b")))
        for item in spec.get("components") or []:
            if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
                raise ValueError(f"indices.yaml: a component of {index} needs a code and a "
                                 f"name, got {item!r}")
            code, name = str(item["code"]), str(item["name"])
            components[(index, code)] = name
            for alias in [name, *(item.get("aliases") or [])]:
                aliases.append(_Alias(index, code, name, fold(str(alias))))
    aliases.sort(key=lambda a: -len(a.pattern))
    return _Knowledge(tuple(aliases), tuple(numbered), components)


# A component found: (index, code, name). Plain data, so that a cached reading never
# hands the same model instance to two rows.
_Found = tuple[IndexName, str, str]


def _component_in(text: str, candidates: tuple[IndexName, ...]) -> _Found | None:
    """The component of one of `candidates` a text names (longest alias; on a tie the
    candidate listed first), or None."""
    folded = fold(text)
    # The index names themselves are not component evidence ("… HÀI LÒNG CỦA NGƯỜI DÂN").
    for start, end, _ in reversed(named_spans(folded)):
        folded = folded[:start] + " " * (end - start) + folded[end:]
    padded = f" {' '.join(folded.split())} "
    info = _knowledge()
    numbered = [(index, m) for index, rx in info.numbered if index in candidates
                for m in [rx.search(padded)] if m]
    if numbered:  # "chỉ số nội dung 5 …" is that index's own wording
        candidates = tuple(index for index, _ in numbered)
    best: _Alias | None = None
    for alias in info.aliases:
        if best is not None and len(alias.pattern) < len(best.pattern):
            break
        if alias.index in candidates and f" {alias.pattern} " in padded and (
                best is None or candidates.index(alias.index) < candidates.index(best.index)):
            best = alias
    if best is not None:
        return best.index, best.code, best.name
    for index, match in numbered:
        name = info.components.get((index, match.group(1)))
        if name:
            return index, match.group(1), name
    return None


def _component(found: _Found | None) -> IndexComponent | None:
    if found is None:
        return None
    index, code, name = found
    return IndexComponent(index=index, code=code, name=name)


@lru_cache(maxsize=1024)
def _section_reading(info: _Knowledge, titles: tuple[str, ...], doc: tuple[IndexName, ...]
                     ) -> tuple[tuple[IndexName, ...], _Found | None]:
    """What a row's section titles (innermost first) say: the indices the innermost
    title naming any names, and the component named. Every row of a section asks the
    same, hence the cache; `info` (the knowledge read, compared by identity) keys it,
    so a reloaded indices.yaml is read afresh."""
    section_named: list[IndexName] = []
    for title in titles:
        section_named = indices_named_in(title)
        if section_named:
            break
    candidates = tuple(section_named) or doc or ALL_INDICES
    for title in titles:
        found = _component_in(title, candidates)
        if found is not None:
            return tuple(section_named), found
    return tuple(section_named), None


def classify_row(row: Row, doc_indices: list[str]) -> tuple[IndexName | None, IndexComponent | None]:
    """(index, component) of a row; (None, None) when nothing says."""
    titles = tuple(s.title for s in reversed(row.section) if s.title)   # innermost first
    doc = tuple(i for i in ALL_INDICES if i in doc_indices)

    section_named, found = _section_reading(_knowledge(), titles, doc)
    if found is not None:
        return found[0], _component(found)
    if section_named:
        index = section_named[0]
        return index, _component(_component_in(row.task or "", (index,)))

    task_named = indices_named_in(row.task)
    if len(task_named) == 1:
        index = task_named[0]
        return index, _component(_component_in(row.task or "", (index,)))
    if not task_named and len(doc) == 1:
        return doc[0], _component(_component_in(row.task or "", doc))
    return None, None
