"""The unit tables and matchers, built the fast way, give what the plain way gives:
the tables' tokens are those of the TOKEN regex; the matchers get their patterns as
attribute values (`WordIds`), which must be exactly those Docs of the same forms give."""

from __future__ import annotations

from typing import Any

import pytest

from vnplans.normalize.spacy_import import import_spacy
from vnplans.normalize.unit_matcher import WordIds, _vocab
from vnplans.normalize.unit_tables import DASHES, TOKEN, _token_texts, all_layers, layer

# Words whose lowercase or id is special: capitals, a lowercase longer than the word
# ("İ"), a titlecase digraph, "ß", final sigma, spaCy's reserved symbol names, digits
# and punctuation as the tables' tokenizer leaves them.
TRICKY_FORMS = ["İstanbul ǅemal", "STRASSE ß ẞ", "ΟΔΟΣ σας", "IS_ALPHA LOWER ORTH",
                "PERSON", "lower orth", "Sở Y tế", "SỞ Y TẾ", "KH&ĐT", "30/11/2023 ,", "ttyt"]


def _both_ways(forms: list[str], attr: str) -> tuple[Any, Any]:
    """PhraseMatchers of the same forms, one fed Docs, one fed `WordIds` patterns."""
    import_spacy()
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    vocab = _vocab()
    ids = WordIds(vocab.strings, lower=attr == "LOWER")
    by_docs = PhraseMatcher(vocab, attr=attr)
    by_ids = PhraseMatcher(vocab, attr=attr)
    for n, form in enumerate(forms):
        by_docs.add(f"form {n}", [Doc(vocab, words=form.split(" "))])
        by_ids.add(f"form {n}", [ids.pattern(form)])
    return by_docs, by_ids


def _patterns(matcher: Any) -> dict[str, set[tuple[int, ...]]]:
    return matcher.__reduce__()[1][1]   # (vocab, patterns by key, callbacks, attr)


@pytest.mark.parametrize("attr", ["LOWER", "ORTH"])
def test_word_ids_give_the_patterns_of_docs(attr: str) -> None:
    by_docs, by_ids = _both_ways(TRICKY_FORMS, attr)
    assert _patterns(by_ids) == _patterns(by_docs)

    from spacy.tokens import Doc

    for form in TRICKY_FORMS + [f.upper() for f in TRICKY_FORMS] + [f.lower() for f in TRICKY_FORMS]:
        doc = Doc(_vocab(), words=["x", *form.split(" "), "y"])
        assert by_ids(doc) == by_docs(doc), form


@pytest.mark.parametrize("body", all_layers())
def test_every_layer_gets_the_patterns_of_docs(body: str | None) -> None:
    forms = layer(body)
    for attr, table in (("LOWER", forms.exact), ("ORTH", forms.folded)):
        by_docs, by_ids = _both_ways(list(table), attr)
        assert _patterns(by_ids) == _patterns(by_docs)


def test_table_tokens_are_those_of_the_token_regex() -> None:
    """`_token_texts` skips the regex for words of letters and digits: every character
    up to U+3100 (Latin, Vietnamese, combining marks, digits of many scripts, all kinds
    of spaces and dashes), inside, before and after a word and as a separator,
    tokenizes alike."""
    def by_regex(text: str) -> list[str]:
        return [t for t in TOKEN.findall(text) if t not in DASHES]

    chars = [chr(c) for c in range(0x3100)] + ["\U0001d7d8", "\U0001f600", "\U00020000"]
    for start in range(0, len(chars), 64):
        text = " ".join(f"a{c}b {c}x{c} Sở{c}" for c in chars[start:start + 64])
        assert _token_texts(text) == by_regex(text), ascii(chars[start:start + 64])
    for text in ["Phòng Kế hoạch - Tài chính Sở", "KH&ĐT", "Tp.Hồ Chí Minh", "a_b", "x\u0301y"]:
        assert _token_texts(text) == by_regex(text)
