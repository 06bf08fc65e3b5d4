"""spaCy PhraseMatchers over the unit alias tables, built once per process.

Two matchers hold every layer of units.yaml (`unit_tables.layer`): one on LOWER
(case-insensitive, marks kept) and a diacritics-insensitive fallback that matches the
cell's folded words (lowercase, tone marks and "đ" stripped) against folded patterns,
so "Trung tâm Kiểm soát Bệnh tật", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT" and "Trung tam Kiem
soat benh tat" all match, and so do the abbreviated forms ("Các TTYT") only the fold
table holds. (Folded Docs rather than a NORM attribute set token by token: building
the ~1,500 fallback patterns is then ~3x cheaper.) A match carries its layer; the resolver keeps the
layers of the plan's issuing body. One matcher for all bodies means a batch builds it
once (and forked per-file workers inherit it), whatever bodies its plans come from.

Tokenization is ours (`unit_tables.tokens`), shared by patterns and cells: it splits
punctuation off words ("Sở." → "Sở", ".") and drops dashes, which the blank "vi"
tokenizer does not do without pyvi. spaCy then only needs a Vocab and Docs, not a
Language pipeline, which saves the ~50–90 ms `spacy.blank` spends on its config.

spaCy is imported on first use only. `import spacy` costs ~0.8–1.0 s on a quiet
machine here (~0.6 s more once pydantic, numpy and pymupdf are loaded): the package
__init__ always runs, and it imports spacy.cli, thinc and its pydantic schemas, so
importing just `spacy.matcher` or `spacy.vocab` saves nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from vnplans.normalize.unit_tables import Unit, all_layers, layer
from vnplans.normalize.unit_text import strip_marks


@dataclass(frozen=True)
class Match:
    start: int              # first token
    end: int                # one past the last token
    unit: Unit
    layer: str | None       # the units.yaml layer (None: generic units)
    exact: bool             # LOWER match (else the diacritics-insensitive fallback)


@cache
def _vocab() -> Any:
    # A vocabulary computing only the lexeme attribute the matchers read (LOWER):
    # the Vietnamese defaults would also compute shape, URL/number/stop-word flags …
    # for every new word, a third of the matcher's build time, for nothing here.
    from spacy.attrs import LOWER
    from spacy.vocab import Vocab

    return Vocab(lex_attr_getters={LOWER: str.lower})


def _doc(words: list[str]) -> Any:
    from spacy.tokens import Doc

    return Doc(_vocab(), words=words)


class UnitMatcher:
    def __init__(self, layers: list[str | None]) -> None:
        from spacy.matcher import PhraseMatcher

        vocab = _vocab()
        self._exact = PhraseMatcher(vocab, attr="LOWER")
        self._folded = PhraseMatcher(vocab, attr="ORTH")   # patterns and words are folded
        self._keys: dict[int, tuple[Unit, str | None]] = {}
        for body in layers:
            forms = layer(body)
            self._add(self._exact, forms.exact, body, "exact")
            self._add(self._folded, forms.folded, body, "fold")

    def _add(self, matcher: Any, forms: dict[str, Unit], body: str | None, kind: str) -> None:
        by_unit: dict[Unit, list[Any]] = {}
        for form, unit in forms.items():
            by_unit.setdefault(unit, []).append(_doc(form.split(" ")))
        strings = _vocab().strings
        for unit, docs in by_unit.items():
            key = f"{kind}|{body or ''}|{unit.scope}|{unit.name}"
            self._keys[strings.add(key)] = (unit, body)
            matcher.add(key, docs)

    def matches(self, words: list[str], layers: tuple[str | None, ...]) -> list[Match]:
        """Every alias occurrence in `words` from the given layers (overlaps included)."""
        if not words:
            return []
        found = []
        for matcher, exact, doc in ((self._exact, True, _doc(words)),
                                    (self._folded, False, _doc([strip_marks(w) for w in words]))):
            for key, start, end in matcher(doc):
                unit, body = self._keys[key]
                if body in layers:
                    found.append(Match(start, end, unit, body, exact))
        return found


@cache
def global_matcher() -> UnitMatcher:
    return UnitMatcher(all_layers())


def best_matches(found: list[Match], layers: tuple[str | None, ...]) -> list[Match]:
    """Leftmost-longest non-overlapping matches; on the same span an exact match before
    a folded one, then the more specific layer (later in `layers`)."""
    ordered = sorted(found, key=lambda m: (m.start, -(m.end - m.start), not m.exact,
                                           -layers.index(m.layer)))
    chosen: list[Match] = []
    taken_until = 0
    for match in ordered:
        if match.start >= taken_until:
            chosen.append(match)
            taken_until = match.end
    return chosen
