"""The unit alias tables (extractors/units.yaml + abbreviations.yaml) as plain data.

For one kind of issuing body ("so-y-te", "ubnd-tinh", or None for an unknown issuer)
`table_for` gives every printed form the resolver accepts, each pointing at its unit:
the aliases of the generic units, then those of the body and the bodies it extends
(later ones win), each also with the issuer's owner suffixes ("Văn phòng Sở Y tế"),
and — in the diacritics-insensitive table — with abbreviations and known misspellings
("Chi cục An toàn VSTP", "phòng chứ năng"). No spaCy here: `unit_matcher` compiles
these tables into PhraseMatchers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from vnplans import knowledge
from vnplans.normalize.unit_text import fold, nfc_spaces, strip_marks

SCOPES = ("issuer", "province", "national")

# One token: a word (letters/digits, may hold "&" or "'" as in "KH&ĐT") or one
# punctuation mark. Hyphens and dashes are dropped: "Kế hoạch - Tài chính" and
# "Kế hoạch Tài chính" are the same name.
TOKEN = re.compile(r"\w+(?:[&']\w+)*|[^\w\s]")
DASHES = frozenset("-–—‐‑")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of `text`, dashes left out."""
    return [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(text)
            if m.group() not in DASHES]


def match_key(text: str) -> str:
    """The token sequence of `text`, lowercased, marks kept (exact matching form)."""
    return " ".join(t.lower() for t, _, _ in tokens(text))


def fold_key(text: str) -> str:
    """The token sequence of `text`, lowercased without marks (fallback form)."""
    return " ".join(strip_marks(t) for t, _, _ in tokens(text))


@dataclass(frozen=True)
class Unit:
    name: str
    scope: str


@dataclass
class UnitTable:
    """Everything the resolver needs for one kind of issuing body."""

    body: str | None
    exact: dict[str, Unit] = field(default_factory=dict)    # match_key → unit
    folded: dict[str, Unit] = field(default_factory=dict)   # fold_key → unit
    by_name: dict[str, Unit] = field(default_factory=dict)  # canonical name → unit
    roles: frozenset[str] = frozenset()                     # fold_key of role words
    qualifiers: frozenset[str] = frozenset()                # fold_key of qualifiers
    heads: tuple[str, ...] = ()                             # printed head words
    remarks: tuple[re.Pattern[str], ...] = ()


def _units_data() -> dict[str, Any]:
    data = knowledge.load("units") or {}
    if not isinstance(data, dict):
        raise ValueError("extractors/units.yaml: expected a mapping")
    return data


def _abbreviation_data() -> tuple[dict[str, str], dict[str, str]]:
    data = knowledge.load("abbreviations") or {}
    abbreviations = {str(k): str(v) for k, v in (data.get("abbreviations") or {}).items()}
    spellings = {str(k): str(v) for k, v in (data.get("spellings") or {}).items()}
    return abbreviations, spellings


def body_of(kind: str | None) -> str | None:
    """The units.yaml body for an issuer kind: the kind itself when listed, else the
    longest listed body it starts with ("so-tu-phap" → "so", "ubnd-huyen-dai-tu" →
    "ubnd-huyen"), else None (generic units only)."""
    if not kind:
        return None
    bodies = _units_data().get("bodies") or {}
    if kind in bodies:
        return kind
    prefixes = [b for b in bodies if kind.startswith(f"{b}-")]
    return max(prefixes, key=len) if prefixes else None


def body_chain(body: str | None) -> list[str]:
    """The bodies whose units apply to `body`, most general first ("so", "so-y-te")."""
    bodies = _units_data().get("bodies") or {}
    chain: list[str] = []
    name = body
    while name and name in bodies and name not in chain:
        chain.append(name)
        name = (bodies[name] or {}).get("extends")
    return list(reversed(chain))


def _entries(raw: list[dict[str, Any]] | None, default_scope: str) -> list[tuple[Unit, list[str]]]:
    out: list[tuple[Unit, list[str]]] = []
    for item in raw or []:
        name = nfc_spaces(str(item["name"]))
        scope = str(item.get("scope", default_scope))
        if scope not in SCOPES:
            raise ValueError(f"extractors/units.yaml: unit {name!r} has unknown scope {scope!r}")
        aliases = [name] + [nfc_spaces(str(a)) for a in item.get("aliases") or []]
        out.append((Unit(name, scope), aliases))
    return out


def _with_owner(alias: str, suffixes: list[str]) -> list[str]:
    """"Văn phòng Sở" with suffix "Sở Y tế" → "Văn phòng Sở Y tế"; "Phòng Tổ chức
    cán bộ" with "Sở" → "Phòng Tổ chức cán bộ Sở"."""
    out = [alias]
    folded_alias = fold(alias)
    for suffix in suffixes:
        folded_suffix = fold(suffix)
        if folded_alias.endswith(" " + folded_suffix) or folded_alias == folded_suffix:
            continue
        first = folded_suffix.split(" ", 1)[0]
        if folded_alias.endswith(" " + first):
            out.append(alias + suffix[len(first):])
        else:
            out.append(f"{alias} {suffix}")
    return out


def _short_forms(alias_key: str, replacements: list[tuple[str, str]]) -> set[str]:
    """Fold-key variants of an alias with any of the (full → short) replacements made."""
    variants = {alias_key}
    for full, short in replacements:
        for variant in list(variants):
            padded = f" {variant} "
            if f" {full} " in padded:
                variants.add(padded.replace(f" {full} ", f" {short} ").strip())
        if len(variants) > 64:  # a pathological table must not explode start-up
            break
    return variants


@cache
def table_for(body: str | None) -> UnitTable:
    data = _units_data()
    bodies = data.get("bodies") or {}
    chain = body_chain(body)
    abbreviations, spellings = _abbreviation_data()
    replacements = [(fold_key(full), fold_key(short)) for short, full in abbreviations.items()]
    replacements += [(fold_key(right), fold_key(wrong)) for wrong, right in spellings.items()]
    # Longest expansions first, so "Trung tâm Kiểm soát bệnh tật" becomes "CDC" before
    # "Kiểm soát bệnh tật" becomes "KSBT" inside it.
    replacements.sort(key=lambda pair: -len(pair[0]))

    owner_suffixes: list[str] = []
    for name in chain:
        owner_suffixes = [str(s) for s in (bodies[name] or {}).get("owner_suffixes") or []] \
            + owner_suffixes

    layers = [_entries(data.get("generic"), "province")]
    layers += [_entries((bodies[name] or {}).get("units"), "issuer") for name in chain]

    table = UnitTable(body=body)
    for layer in layers:
        for unit, aliases in layer:
            table.by_name[unit.name] = unit
            for alias in aliases:
                forms = _with_owner(alias, owner_suffixes) if unit.scope == "issuer" else [alias]
                for form in forms:
                    table.exact[match_key(form)] = unit
                    for variant in _short_forms(fold_key(form), replacements):
                        table.folded[variant] = unit

    table.roles = frozenset(fold_key(str(r)) for r in data.get("roles") or [])
    table.qualifiers = frozenset(fold_key(str(q)) for q in data.get("qualifiers") or [])
    table.heads = tuple(nfc_spaces(str(h)) for h in data.get("heads") or [])
    table.remarks = tuple(re.compile(str(p), re.IGNORECASE) for p in data.get("remarks") or [])
    return table


def issuer_aliases() -> list[tuple[str, str]]:
    """(fold of a printed issuer prefix, issuer kind), longest prefix first."""
    out = []
    for kind, names in (_units_data().get("issuers") or {}).items():
        out.extend((fold(str(n)), str(kind)) for n in names or [])
    return sorted(out, key=lambda pair: -len(pair[0]))
