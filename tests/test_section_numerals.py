"""OCR'd section numerals put back from the sequence of their siblings
(`vnplans.table.sections.fix_sequence`): the misreadings the scan matrix shows, and
what must stay as it is."""

from __future__ import annotations

import pytest

from vnplans.table.sections import (
    fix_sequence,
    fix_sibling_titles,
    glued_numeral,
    readings,
    section_level,
)


def _ocr(*tts: str | None) -> list[tuple[str | None, bool]]:
    return [(tt, True) for tt in tts]


@pytest.mark.parametrize("read, printed", [
    # A lone "I" read as the digit 1, and "II" with a stroke too many, under "B" whose
    # sibling "A" has Roman children.
    (("A", "I", "II", "B", "1", "III"), ["A", "I", "II", "B", "I", "II"]),
    # The first two siblings read one stroke too many.
    (("A", "II", "III", "III", "B", "I", "II"), ["A", "I", "II", "III", "B", "I", "II"]),
    # A lone "I" lost (erased with a ruling line): the "II" after it makes it certain.
    ((None, "II"), ["I", "II"]),
    (("A", None, "II", "III", "B", "I", "II"), ["A", "I", "II", "III", "B", "I", "II"]),
    # The first of Arabic siblings read as a Roman "I".
    (("I", "2", "3", "4", "5", "6"), ["1", "2", "3", "4", "5", "6"]),
    # A parent's numeral lost and its first child's "1" read as "I".
    ((None, "I", "2", "3", "II"), ["I", "1", "2", "3", "II"]),
    # A numeral that skips one where its neighbours fix it.
    (("I", "III", "III"), ["I", "II", "III"]),
    (("I", "II", "II", "IV"), ["I", "II", "III", "IV"]),
])
def test_misread_numerals_are_put_back(read, printed):
    assert fix_sequence(_ocr(*read)) == printed


@pytest.mark.parametrize("read", [
    ("I", "II", "III"),
    ("A", "I", "II", "B", "I", "II"),
    ("I", "1", "2", "II", "1", "2"),
    ("1", "2", "3"),
    # No sequence says the title has lost its numeral: it stays without one.
    ("I", "II", "III", None),
    (None, "I", "II"),
    # Two changes for one more section in sequence: not certain, kept as read.
    ("II", "III"),
    # Part II of a plan with parts 1 and 2 before it is no "3".
    ("1", "2", "I"),
])
def test_numerals_in_sequence_stay(read):
    assert fix_sequence(_ocr(*read)) == list(read)


def test_text_layer_numerals_never_change():
    read = [("A", False), ("II", False), ("III", False), ("B", False), ("1", False),
            ("III", False)]
    assert fix_sequence(read) == [tt for tt, _ in read]
    # They guide OCR'd ones instead.
    assert fix_sequence([("I", False), ("III", True), ("III", False)]) == ["I", "II", "III"]


def test_readings_of_strokes():
    options = {tt for tt, _cost in readings("1")}
    assert options == {"1", "I", "II"}
    assert {tt for tt, _cost in readings("H")} == {"H", "I", "II", "III"}
    assert {tt for tt, _cost in readings("VI")} >= {"VI", "VII", "V", "IVI"} - {"IVI"}
    assert readings("5") == [("5", 0.0)]


def test_section_levels_order():
    assert section_level("A") < section_level("IV") < section_level("2")
    assert section_level("2") < section_level("2.1") < section_level("a")
    assert section_level(None) == section_level("?") == 1.5


def test_first_word_of_a_title_from_its_siblings():
    titles = [("Chỉ số thành phần Tính minh bạch", True),
              ("3 số thành phần Thiết chế pháp lý", True),
              ("Chỉ số thành phần Chi phí không chính thức", True)]
    assert fix_sibling_titles(titles)[1] == "Chỉ số thành phần Thiết chế pháp lý"
    # A word with letters, one sibling only, or a text layer: kept.
    assert fix_sibling_titles([(t.replace("3", "Các"), o) for t, o in titles]) == \
        [t.replace("3", "Các") for t, _o in titles]
    assert fix_sibling_titles(titles[:2])[1] == titles[1][0]
    assert fix_sibling_titles([(t, False) for t, _o in titles])[1] == titles[1][0]


def test_full_stop_none_of_the_siblings_has():
    titles = [("Chỉ số A", True), ("Chỉ số B", True), ("Chỉ số C.", True)]
    assert fix_sibling_titles(titles)[2] == "Chỉ số C"
    # Siblings with full stops, only one sibling, or a text layer: kept.
    assert fix_sibling_titles([("A.", True), ("B.", True), ("C.", True)])[2] == "C."
    assert fix_sibling_titles(titles[1:])[1] == "Chỉ số C."
    assert fix_sibling_titles([(t, False) for t, _o in titles])[2] == "Chỉ số C."


def test_numeral_read_into_the_title():
    # Strokes before the title, the TT cell left empty.
    assert glued_numeral("Ih NHIỆM VỤ CHUNG") == "Ih"
    assert fix_sequence(_ocr("I", "II", None), [None, None, "Ih"]) == ["I", "II", "III"]
    # An item letter with a speck before a capitalised title.
    assert glued_numeral("đa Công tác chỉ đạo") == "đa"
    assert fix_sequence(_ocr("I", "a", "b", "II", None, "b"),
                        [None, None, None, None, "đa", None]) == ["I", "a", "b", "II", "a", "b"]
    # A title's own first word, or strokes that put nothing in sequence: no numeral.
    assert glued_numeral("Công tác chỉ đạo") is None and glued_numeral("các Sở") is None
    assert fix_sequence(_ocr("I", "II", None), [None, None, "1"]) == ["I", "II", None]
    assert fix_sequence(_ocr("I", "II", "III", None), [None, None, None, "Ih"]) == \
        ["I", "II", "III", None]
    # Strokes one more or fewer than printed, as in a TT cell ("l1" for "I").
    assert fix_sequence(_ocr("A", None, "II", "B", "I"), [None, "l1", None, None, None]) == \
        ["A", "I", "II", "B", "I"]
    # An "L" is a stroke with its foot serif, not fifty.
    assert fix_sequence(_ocr("A", "I", "II", "B", "L", "II")) == ["A", "I", "II", "B", "I", "II"]
