"""spaCy PhraseMatchers over the unit alias tables, built once per process.

Two matchers hold every layer of units.yaml (`unit_tables.layer`): one on LOWER
(case-insensitive, marks kept) and a diacritics-insensitive fallback that matches the
cell's folded words (lowercase, tone marks and "đ" stripped) against folded patterns,
so "Trung tâm Kiểm soát Bệnh tật", "TRUNG TÂM KIỂM SOÁT BỆNH TẬT" and "Trung tam Kiem
soat benh tat" all match, and so do the abbreviated forms ("Các TTYT") only the fold
table holds. (Folded words rather than a NORM attribute set token by token: the
fallback patterns are then plain ORTH values.) Patterns go in as the attribute values
their Docs would give (`WordIds`), not as Docs, which makes building a layer ~3x
cheaper. A match carries its layer; the resolver keeps the layers of the plan's
issuing body. One matcher for all bodies means a batch builds each layer once (and
the warm per-file worker keeps them), whatever bodies its plans come from; a layer is
compiled when a plan first needs it.

Tokenization is ours (`unit_tables.tokens`), shared by patterns and cells: it splits
punctuation off words ("Sở." → "Sở", ".") and drops dashes, which the blank "vi"
tokenizer does not do without pyvi. spaCy then only needs a Vocab and Docs, not a
Language pipeline, which saves the ~50–90 ms `spacy.blank` spends on its config.

spaCy is imported on first use only, and only its matching core (`spacy_import`):
a plain `import spacy` also loads the Language class, the pipeline components, the
training and command-line packages, none of which the matchers use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from vnplans.normalize.spacy_import import import_spacy
from vnplans.normalize.unit_tables import Unit, _layer_entries, all_layers, layer
from vnplans.vietnamese import strip_marks


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
    import_spacy()
    from spacy.attrs import LOWER
    from spacy.vocab import Vocab

    return Vocab(lex_attr_getters={LOWER: str.lower})


def _doc(words: list[str]) -> Any:
    from spacy.tokens import Doc

    return Doc(_vocab(), words=words)


class WordIds(dict[str, int]):
    """word → the LOWER (or ORTH) value a Doc's token of that word has, for building
    PhraseMatcher patterns without Docs: `PhraseMatcher.add` takes sequences of these
    values as well as Docs (its unpickling path), and ~3,000 pattern Docs cost more
    than the rest of a matcher's build. A lexeme's ORTH is `strings.add(word)`, its
    LOWER `strings.add(str.lower(word))` (the one lexeme getter of `_vocab()`);
    `strings.add` also gives spaCy's reserved symbols their ids, as the lexeme does.
    Remembered per word: the forms of the tables share most of their words."""

    def __init__(self, strings: Any, *, lower: bool) -> None:
        super().__init__()
        self._strings = strings
        self._lower = lower

    def __missing__(self, word: str) -> int:
        value = self[word] = self._strings.add(word.lower() if self._lower else word)
        return value

    def pattern(self, form: str) -> tuple[int, ...]:
        """The pattern of a form of the tables (its tokens joined by single spaces)."""
        return tuple([self[word] for word in form.split(" ")])


class UnitMatcher:
    """The alias matchers of the given layers. Each layer's pair of matchers is built
    when a cell first asks for that layer: a run over plans of one or two kinds of
    issuing body compiles those layers (a third of the patterns), not all of them."""

    def __init__(self, layers: list[str | None]) -> None:
        import_spacy()  # first: any `from spacy… import` would import spaCy plainly
        # Every layer's entries are read (and checked) now, as when all layers were
        # compiled up front: a broken units.yaml fails at once, whatever the plan.
        for body in layers:
            _layer_entries(body)
        self._layers = frozenset(layers)
        self._built: dict[str | None, tuple[Any, Any]] = {}
        # Match id → unit. A unit has one id in all layers' matchers: which layer a
        # match comes from is known by the matcher that found it, and a layer's table
        # gives each form one unit, so the id needs no more (and spaCy makes a lexeme
        # of every id string: one per unit, not per unit and layer).
        self._units: dict[int, Unit] = {}
        strings = _vocab().strings
        self._ids = {"exact": WordIds(strings, lower=True), "fold": WordIds(strings, lower=False)}

    def _matchers(self, body: str | None) -> tuple[Any, Any]:
        """(exact, folded) PhraseMatchers of one layer, built on first use."""
        built = self._built.get(body)
        if built is None:
            from spacy.matcher import PhraseMatcher

            vocab = _vocab()
            exact = PhraseMatcher(vocab, attr="LOWER")
            folded = PhraseMatcher(vocab, attr="ORTH")   # patterns and words are folded
            forms = layer(body)
            self._add(exact, forms.exact, "exact")
            self._add(folded, forms.folded, "fold")
            built = self._built[body] = (exact, folded)
        return built

    def _add(self, matcher: Any, forms: dict[str, Unit], kind: str) -> None:
        strings = _vocab().strings
        ids = self._ids[kind]
        by_unit: dict[Unit, list[tuple[int, ...]]] = {}
        for form, unit in forms.items():
            by_unit.setdefault(unit, []).append(ids.pattern(form))
        for unit, patterns in by_unit.items():
            key = f"{unit.scope}|{unit.name}"
            self._units[strings.add(key)] = unit
            matcher.add(key, patterns)

    def matches(self, words: list[str], layers: tuple[str | None, ...]) -> list[Match]:
        """Every alias occurrence in `words` from the given layers (overlaps included)."""
        if not words:
            return []
        found = []
        exact_doc = _doc(words)
        # A "word" of combining marks only (garbled text) folds to nothing, which a
        # Doc cannot hold: it stays as it is (it matches no unit either way).
        folded_doc = _doc([strip_marks(w) or w for w in words])
        for body in dict.fromkeys(layers):
            if body not in self._layers:
                continue
            exact_matcher, folded_matcher = self._matchers(body)
            for matcher, exact, doc in ((exact_matcher, True, exact_doc),
                                        (folded_matcher, False, folded_doc)):
                for key, start, end in matcher(doc):
                    found.append(Match(start, end, self._units[key], body, exact))
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
