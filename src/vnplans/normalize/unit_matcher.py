"""spaCy PhraseMatchers over the unit alias tables, built once per process.

Two matchers per kind of issuing body: one on LOWER (case-insensitive, marks kept)
and a fallback on NORM, which we set to the token without tone marks, so "Trung tâm
Kiểm soát Bệnh tật", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT" and "Trung tam Kiem soat benh tat"
all match, and so do the abbreviated forms ("Các TTYT") that only the fold table holds.

Tokenization is ours (`unit_tables.tokens`), shared by patterns and cells: it splits
punctuation off words ("Sở." → "Sở", ".") and drops dashes, which the blank "vi"
tokenizer does not do without pyvi. spaCy then only needs a Vocab and Docs, not a
Language pipeline — that saves the ~70 ms `spacy.blank` spends on its config.

spaCy is imported on first use only: `import spacy` costs ~0.6–0.9 s here (its
package __init__ always pulls in spacy.cli, thinc and pydantic schemas, so importing
just `spacy.matcher` saves nothing); cells that `units.py` resolves by a plain table
look-up never pay it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from vnplans.normalize.unit_tables import Unit, UnitTable, table_for, tokens
from vnplans.normalize.unit_text import strip_marks


@dataclass(frozen=True)
class Match:
    start: int          # first token
    end: int            # one past the last token
    unit: Unit
    exact: bool         # LOWER match (else the diacritics-insensitive fallback)


@cache
def _vocab() -> Any:
    # The Vietnamese vocabulary (lexeme attributes such as LOWER), without the
    # Vietnamese tokenizer, which would want pyvi.
    from spacy.lang.vi import VietnameseDefaults
    from spacy.vocab import create_vocab

    return create_vocab("vi", VietnameseDefaults)


def _doc(words: list[str]) -> Any:
    from spacy.tokens import Doc

    doc = Doc(_vocab(), words=words)
    for token in doc:
        token.norm_ = strip_marks(token.text)
    return doc


class UnitMatcher:
    def __init__(self, table: UnitTable) -> None:
        from spacy.matcher import PhraseMatcher

        self.table = table
        vocab = _vocab()
        self._exact = PhraseMatcher(vocab, attr="LOWER")
        self._folded = PhraseMatcher(vocab, attr="NORM")
        self._units: dict[int, Unit] = {}
        self._add(self._exact, table.exact, "exact")
        self._add(self._folded, table.folded, "fold")

    def _add(self, matcher: Any, forms: dict[str, Unit], kind: str) -> None:
        by_unit: dict[Unit, list[Any]] = {}
        for form, unit in forms.items():
            by_unit.setdefault(unit, []).append(_doc(form.split(" ")))
        strings = _vocab().strings
        for unit, docs in by_unit.items():
            key = f"{kind}:{unit.scope}:{unit.name}"
            self._units[strings.add(key)] = unit
            matcher.add(key, docs)

    def matches(self, words: list[str]) -> list[Match]:
        """Every alias occurrence in `words` (overlaps included)."""
        if not words:
            return []
        doc = _doc(words)
        found = [Match(s, e, self._units[k], True) for k, s, e in self._exact(doc)]
        found += [Match(s, e, self._units[k], False) for k, s, e in self._folded(doc)]
        return found


@cache
def matcher_for(body: str | None) -> UnitMatcher:
    return UnitMatcher(table_for(body))


def best_matches(found: list[Match]) -> list[Match]:
    """Leftmost-longest non-overlapping matches, exact ones first on a tie."""
    ordered = sorted(found, key=lambda m: (m.start, -(m.end - m.start), not m.exact))
    chosen: list[Match] = []
    taken_until = 0
    for match in ordered:
        if match.start >= taken_until:
            chosen.append(match)
            taken_until = match.end
    return chosen


__all__ = ["Match", "UnitMatcher", "best_matches", "matcher_for", "tokens"]
