"""The unit alias tables (extractors/units.yaml + abbreviations.yaml) as plain data.

The aliases come in layers: the generic units (layer None) and one layer per body of
units.yaml ("so", "so-y-te", "ubnd-huyen" …). A plan of kind "so-y-te" uses the layers
None, "so", "so-y-te" — a later layer wins when two give the same printed form a
different unit ("Văn phòng" is "Văn phòng Sở" in a Sở, "Văn phòng Ủy ban nhân dân
tỉnh" in the provincial People's Committee).

Each layer lists every printed form it accepts: its aliases, their forms with the
body's owner suffixes ("Văn phòng Sở Y tế", "Phòng Tổ chức cán bộ Sở") and, for the
diacritics-insensitive fallback, forms with abbreviations and known misspellings
("Chi cục An toàn VSTP", "phòng chứ năng"). `unit_matcher` compiles all layers into
one set of PhraseMatchers per process; this module has no spaCy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from vnplans import knowledge
from vnplans.vietnamese import collapse, fold, strip_marks

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


def _token_texts(text: str) -> list[str]:
    r"""The texts of `tokens(text)`, without building match objects: the alias tables
    key thousands of forms. No token spans whitespace, so the text is tokenized word
    by word, and a word of letters and digits only (`str.isalnum` is the `\w` of
    `re` without "_") is one token as it stands: most words of the tables, found
    without running the regex (which costs more than the rest of a form's keys)."""
    out: list[str] = []
    for word in text.split():
        if word.isalnum():
            out.append(word)
        else:
            out.extend(t for t in TOKEN.findall(word) if t not in DASHES)
    return out


def match_key(text: str) -> str:
    """The token sequence of `text`, lowercased, marks kept (exact matching form)."""
    return _match_key(_token_texts(text))


def fold_key(text: str) -> str:
    """The token sequence of `text`, lowercased without marks (fallback form)."""
    return _fold_key(_token_texts(text))


def _match_key(words: list[str]) -> str:
    return " ".join([t.lower() for t in words])


def _fold_key(words: list[str]) -> str:
    return " ".join([strip_marks(t) for t in words])


@dataclass(frozen=True)
class Unit:
    name: str
    scope: str


@dataclass(frozen=True)
class Layer:
    """The printed forms one layer accepts: match_key/fold_key → unit."""

    body: str | None
    exact: dict[str, Unit]
    folded: dict[str, Unit]


@dataclass(frozen=True)
class UnitTable:
    """What the resolver needs for one kind of issuing body."""

    body: str | None
    layers: tuple[str | None, ...]       # layers that apply, most general first
    by_name: dict[str, Unit]             # canonical name → unit (the body's scope wins)
    roles: frozenset[str]                # fold_key of role words
    qualifiers: frozenset[str]           # fold_key of qualifiers
    heads: tuple[str, ...]               # printed head words
    remarks: tuple[re.Pattern[str], ...]


def _units_data() -> dict[str, Any]:
    data = knowledge.load("units") or {}
    if not isinstance(data, dict):
        raise ValueError("extractors/units.yaml: expected a mapping")
    return data


def _bodies() -> dict[str, Any]:
    return _units_data().get("bodies") or {}


def body_of(kind: str | None) -> str | None:
    """The units.yaml body for an issuer kind: the kind itself when listed, else the
    longest listed body it starts with ("so-tu-phap" → "so", "ubnd-huyen-dai-tu" →
    "ubnd-huyen"), else None (generic units only)."""
    if not kind:
        return None
    bodies = _bodies()
    if kind in bodies:
        return kind
    prefixes = [b for b in bodies if kind.startswith(f"{b}-")]
    return max(prefixes, key=len) if prefixes else None


def body_chain(body: str | None) -> list[str]:
    """The bodies whose units apply to `body`, most general first ("so", "so-y-te")."""
    bodies = _bodies()
    chain: list[str] = []
    name = body
    while name and name in bodies and name not in chain:
        chain.append(name)
        name = (bodies[name] or {}).get("extends")
    return list(reversed(chain))


def _entries(raw: list[dict[str, Any]] | None, default_scope: str) -> list[tuple[Unit, list[str]]]:
    out: list[tuple[Unit, list[str]]] = []
    for item in raw or []:
        if not isinstance(item, dict) or not item.get("name"):
            raise ValueError(f"units.yaml: a unit needs a name, got {item!r}")
        name = collapse(str(item["name"]))
        scope = str(item.get("scope", default_scope))
        if scope not in SCOPES:
            raise ValueError(f"units.yaml: unit {name!r} has unknown scope {scope!r} "
                             f"(expected one of {', '.join(SCOPES)})")
        extra = item.get("aliases") or []
        if not isinstance(extra, list):
            raise ValueError(f"units.yaml: aliases of {name!r} must be a list")
        aliases = [name] + [collapse(str(a)) for a in extra]
        out.append((Unit(name, scope), aliases))
    return out


@cache  # read by every layer that inherits it, by `table_for` and by the matcher's check
def _layer_entries(body: str | None) -> tuple[tuple[Unit, list[str]], ...]:
    if body is None:
        return tuple(_entries(_units_data().get("generic"), "province"))
    return tuple(_entries((_bodies().get(body) or {}).get("units"), "issuer"))


def _with_owner(alias: str, suffixes: list[str]) -> list[str]:
    """"Văn phòng Sở" with suffix "Sở Y tế" → "Văn phòng Sở Y tế"; "Phòng Tổ chức
    cán bộ" with "Sở" → "Phòng Tổ chức cán bộ Sở"."""
    out = []
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


@cache
def _replacements() -> tuple[tuple[str, str], ...]:
    """(full form → short form) fold-key pairs from abbreviations.yaml, longest full
    form first, so "Trung tâm Kiểm soát bệnh tật" becomes "CDC" before "Kiểm soát bệnh
    tật" becomes "KSBT" inside it."""
    data = knowledge.load("abbreviations") or {}
    pairs = [(fold_key(str(full)), fold_key(str(short)))
             for short, full in (data.get("abbreviations") or {}).items()]
    pairs += [(fold_key(str(right)), fold_key(str(wrong)))
              for wrong, right in (data.get("spellings") or {}).items()]
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


def _short_forms(alias_key: str) -> set[str]:
    """Fold-key variants of an alias with any of the (full → short) replacements made."""
    variants = {alias_key}
    for full, short in _replacements():
        if full not in alias_key:  # cheap test first: most replacements do not apply
            continue
        for variant in list(variants):
            padded = f" {variant} "
            if f" {full} " in padded:
                variants.add(padded.replace(f" {full} ", f" {short} ").strip())
        if len(variants) > 64:  # a pathological table must not explode start-up
            break
    return variants


@cache
def layer(body: str | None) -> Layer:
    """The printed forms of one layer. A body's layer also holds the owner-suffixed
    forms of the issuer-scope units it inherits ("Văn phòng Sở Y tế" in "so-y-te")."""
    exact: dict[str, Unit] = {}
    folded: dict[str, Unit] = {}

    def add(unit: Unit, form: str) -> None:
        words = _token_texts(form)
        exact[_match_key(words)] = unit
        for variant in _short_forms(_fold_key(words)):
            folded[variant] = unit

    for unit, aliases in _layer_entries(body):
        for alias in aliases:
            add(unit, alias)
    if body is not None:
        suffixes = [str(s) for s in (_bodies().get(body) or {}).get("owner_suffixes") or []]
        inherited: list[tuple[Unit, list[str]]] = []
        for name in [None, *body_chain(body)]:
            inherited += _layer_entries(name)
        chain_suffixes = [str(s) for name in body_chain(body)
                          for s in (_bodies().get(name) or {}).get("owner_suffixes") or []]
        own_units = {u for u, _ in _layer_entries(body)}
        for unit, aliases in inherited:
            if unit.scope != "issuer":
                continue
            # The body's own units take every suffix of the chain; inherited ones the
            # body's own suffixes (the parent layer already holds the parent's).
            own = unit in own_units
            for alias in aliases:
                for form in _with_owner(alias, chain_suffixes if own else suffixes):
                    add(unit, form)
    return Layer(body, exact, folded)


def all_layers() -> list[str | None]:
    """Every layer of units.yaml: the generic one and one per body."""
    return [None, *_bodies()]


@cache
def table_for(body: str | None) -> UnitTable:
    data = _units_data()
    chain = body_chain(body)
    by_name: dict[str, Unit] = {}
    for name in [None, *chain]:
        for unit, _ in _layer_entries(name):
            by_name[unit.name] = unit
    return UnitTable(
        body=body,
        layers=(None, *chain),
        by_name=by_name,
        roles=frozenset(fold_key(str(r)) for r in data.get("roles") or []),
        qualifiers=frozenset(fold_key(str(q)) for q in data.get("qualifiers") or []),
        heads=tuple(collapse(str(h)) for h in data.get("heads") or []),
        remarks=tuple(re.compile(str(p), re.IGNORECASE) for p in data.get("remarks") or []),
    )


def issuer_aliases() -> list[tuple[str, str]]:
    """(fold of a printed issuer prefix, issuer kind), longest prefix first."""
    out = []
    for kind, names in (_units_data().get("issuers") or {}).items():
        out.extend((fold(str(n)), str(kind)) for n in names or [])
    return sorted(out, key=lambda pair: -len(pair[0]))


def clear_caches() -> None:
    """Forget the tables (after the knowledge files or VNPLANS_EXTRACTORS changed)."""
    for cached in (layer, table_for, _replacements, _layer_entries):
        cached.cache_clear()
