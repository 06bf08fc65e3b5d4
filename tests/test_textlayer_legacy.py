"""Legacy encodings (TCVN3, VNI) and decomposed Unicode come back as NFC Unicode.

The PDFs are made by tests/fixtures/make_legacy_pdfs.py; the decoding tables are
checked on well-known samples first, independently of that generator."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from vnplans.pipeline import read_pages
from vnplans.textlayer.legacy import decode, encoding_of_font, guess_encoding, has_marker_chars
from vnplans.textlayer.metrics import syllable_f1

LEGACY = Path(__file__).parent / "fixtures" / "legacy"


@pytest.mark.parametrize(("raw", "encoding", "upper", "text"), [
    ("KÕ ho¹ch", "tcvn3", False, "Kế hoạch"),
    ("Céng hßa x· héi chñ nghÜa ViÖt Nam", "tcvn3", False, "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", False, "Độc lập - Tự do - Hạnh phúc"),
    ("quyÕt ®Þnh", "tcvn3", True, "QUYẾT ĐỊNH"),
    ("Vieät Nam", "vni", False, "Việt Nam"),
    ("Coäng hoøa xaõ hoäi chuû nghóa", "vni", False, "Cộng hòa xã hội chủ nghĩa"),
    ("ÑOÄC LAÄP - TÖÏ DO - HAÏNH PHUÙC", "vni", False, "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"),
    ("ngöôøi, ñöôïc, thuyû", "vni", False, "người, được, thuỷ"),
])
def test_decoding_tables_on_known_samples(raw, encoding, upper, text):
    assert decode(raw, encoding, upper) == text


@pytest.mark.parametrize(("font", "expected"), [
    (".VnTime", ("tcvn3", False)),
    ("ABCDEF+.VnTimeH", ("tcvn3", True)),
    (".VnArial,Bold", ("tcvn3", False)),
    ("VNI-Times", ("vni", False)),
    ("VNI-Helve-Condense", ("vni", False)),
    ("TimesNewRomanPSMT", None),
    ("ArialMT", None),
])
def test_encoding_from_font_name(font, expected):
    assert encoding_of_font(font) == expected


def test_statistics_leave_clean_unicode_alone():
    assert guess_encoding("Kế hoạch nâng cao chỉ số năng lực cạnh tranh cấp tỉnh") is None
    assert guess_encoding("KÕ ho¹ch n©ng cao chØ sè n¨ng lùc c¹nh tranh") == "tcvn3"
    assert guess_encoding("Keá hoaïch naâng cao chæ soá naêng löïc caïnh tranh") == "vni"
    # The cheap check the repair makes first: clean text holds no marker character.
    assert not has_marker_chars("Kế hoạch nâng cao chỉ số năng lực cạnh tranh cấp tỉnh")
    assert has_marker_chars("KÕ ho¹ch n©ng cao") and has_marker_chars("Keá hoaïch chæ")


@pytest.mark.parametrize(("name", "encoding", "source"), [
    ("tcvn3", "tcvn3", "repaired"),
    ("vni", "vni", "repaired"),
    ("tcvn3_noname", "tcvn3", "repaired"),
    ("nfd", "unicode", "native"),
    ("mixed", "tcvn3", "repaired"),
])
def test_legacy_pdfs_read_as_unicode(name, encoding, source):
    doc = read_pages(LEGACY / f"{name}.pdf", ocr=False)
    reference = (LEGACY / f"{name}.txt").read_text(encoding="utf-8")
    words = [w.text for p in doc.pages for w in p.words]
    text = " ".join(words)
    assert syllable_f1(text, reference).f1 == 1.0
    assert doc.encoding == encoding
    assert doc.pages[0].text_source == source
    assert all(unicodedata.is_normalized("NFC", w) for w in words)
    assert "Kế" in words or "KẾ" in words
    assert "hoạch" in words and "HOẠCH" in words or name != "mixed"


def test_uppercase_font_gives_capitals():
    doc = read_pages(LEGACY / "tcvn3.pdf", ocr=False)
    words = [w.text for w in doc.pages[0].words]
    assert words[:4] == ["UBND", "TỈNH", "BÌNH", "ĐỊNH"]


def test_statistics_only_is_a_warning():
    doc = read_pages(LEGACY / "tcvn3_noname.pdf", ocr=False)
    assert any("TCVN3" in w for w in doc.pages[0].warnings)


def test_characters_that_are_not_text_are_removed():
    from vnplans.ir import Page, Word
    from vnplans.textlayer.repair import _normalize_words

    nfd = unicodedata.normalize("NFD", "Việt")
    page = Page(1, 595, 842, [Word(t, 0, 0, 10, 10) for t in
                              ["x\ud800a", "\x07", "y\udfff\x1b", "zE\ufffe", nfd, "Sở"]])
    _normalize_words(page)
    assert [w.text for w in page.words] == ["xa", "y", "zE", "Việt", "Sở"]
    assert page.warnings == ["5 control or invalid characters removed from the text layer"]


def test_a_page_whose_repair_fails_keeps_its_words(tmp_path):
    """The PDF cannot be opened again (moved away after reading): the pages that
    needed it keep the reader's words with a warning, nothing raises."""
    import shutil

    from vnplans.pdf.reader import read_pdf
    from vnplans.textlayer.repair import repair_pages

    path = tmp_path / "gone.pdf"
    shutil.copy(Path(__file__).parent / "data" / "real" / "TB-1894-ket-qua-sau-kiem-tra-VLNCN-ban-ky.pdf", path)
    doc = read_pdf(path)
    path.unlink()
    doc = repair_pages(doc, ocr=False)
    assert all(p.words for p in doc.pages)
    assert all(any("repair failed" in w for w in p.warnings) for p in doc.pages)
