"""The syllable-F1 metric and the Vietnamese syllable grammar."""

from __future__ import annotations

import unicodedata

import pytest

from vnplans.textlayer.metrics import syllable_bag, syllable_f1
from vnplans.textlayer.syllables import is_syllable, validity, validity_score


def test_bag_is_lowercase_nfc_and_ignores_punctuation():
    nfd = unicodedata.normalize("NFD", "Quyết")
    assert syllable_bag(f"{nfd} ĐỊNH, số 42/2024/QH15.") == {
        "quyết": 1, "định": 1, "số": 1, "42": 1, "2024": 1, "qh15": 1}


def test_f1_ignores_order_but_counts_every_syllable():
    assert syllable_f1("hoạch Kế", "Kế hoạch").f1 == 1.0
    score = syllable_f1("Kế hoạch hoạch", "Kế hoạch năm")
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert score.missing == {"năm": 1}
    assert score.extra == {"hoạch": 1}


def test_f1_of_empty_texts():
    assert syllable_f1("", "").f1 == 1.0
    assert syllable_f1("", "Kế hoạch").f1 == 0.0


@pytest.mark.parametrize("word", [
    "Quyết", "ĐỊNH", "nghiệp", "được", "khuyến", "thuở", "gì", "giữ", "hoà", "hòa",
    "Qúy", "xuân", "Nghĩa", "trưởng", "UỶ", "yêu", "oẳn",
    "con", "đón", "bón",  # the rhyme "on", which YAML 1.1 would read as a boolean
])
def test_vietnamese_syllables(word):
    assert is_syllable(word)


def test_syllable_tables_hold_only_strings():
    """A bare `on`, `yes` or `off` in vietnamese.yaml is a boolean to YAML 1.1: each
    entry must come out as the text written."""
    from vnplans.knowledge import load

    for key, entries in load("vietnamese").items():
        if isinstance(entries, list):
            assert all(isinstance(e, str) for e in entries), key


@pytest.mark.parametrize("word", [
    "ÿѭӧF",  # leaked glyph ids of "được"
    "KiӇm", "tàc",  # grave tone on a stop coda
    "ho¹ch",  # TCVN3 bytes
    "hoaïch",  # VNI bytes
    "strength", "việtt", "áà",
])
def test_garbage_is_not_a_syllable(word):
    assert not is_syllable(word)


def test_validity_score_skips_abbreviations():
    assert validity_score("UBND tỉnh Lào Cai VLNCN") == 1.0
    assert validity_score("6Ӣ CÔNG 7+ѬѪ1* ÿѭӧF") < 0.5


def test_validity_counts_every_token_of_every_piece():
    # Tokens glued by punctuation count one by one, whatever the whitespace between
    # pieces; repeated pieces count each time; abbreviations are not judged.
    text = "Kế hoạch\n(UBND)\tSở Sở abc 2023/QĐ-UBND hoạch,hoạch"
    assert validity(text) == (6, 8)
    assert validity(text) == (6, 8)  # the remembered last text
    assert validity(" ".join([text, "Sở"])) == (7, 9)
    assert validity("") == (0, 0)


def test_glyph_table_from_a_complete_font():
    """glyph_table_build inverts a complete font's cmap (here DejaVu Serif, which
    the CI machine installs): each glyph id gets its character, advance width and
    outline fingerprint; look-alikes keep the Latin character."""
    from fontTools.ttLib import TTFont

    from vnplans.textlayer.glyph_table_build import face_table

    path = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    data = open(path, "rb").read()  # noqa: SIM115 - one read
    num_glyphs, units, table = face_table(data)
    font = TTFont(path)
    cmap = font.getBestCmap()
    order = font.getGlyphOrder()
    for char in "AaĐđƠơỘộẾếỹ":
        gid = order.index(cmap[ord(char)])
        assert table[gid][0] == char
        assert table[gid][1] == font["hmtx"][cmap[ord(char)]][0]
    assert num_glyphs == font["maxp"].numGlyphs and units == font["head"].unitsPerEm
    assert len({entry[2] for entry in table.values()}) > 0.9 * len(table)
