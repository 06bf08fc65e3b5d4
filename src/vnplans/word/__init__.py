"""Word documents (.docx, and .doc through LibreOffice): the reader stage beside
`vnplans.pdf`. A Word file is read from its structure (paragraphs, tables with their
grid, merged cells and header rows) instead of from a rendered page:

    open_word(path)          -> WordFile (the .docx's XML document, the file's sha256)
    read_word(word_file)     -> WordDocument: sections, paragraphs and tables in order
    lay_out(document)        -> list[Page]: an approximate page image for the header
                                block reader (`vnplans.word.layout`)

The table stage turns a `WordTable` into the same bands of cells the PDF grid gives
(`vnplans.table.word`), so rows, merged cells, sections and normalisation are one
code path for both.
"""

from __future__ import annotations

from pathlib import Path

# The file name suffixes (lower case) read as Word documents.
WORD_SUFFIXES = frozenset({".docx", ".doc"})


def is_word_path(path: str | Path) -> bool:
    """Is `path` named as a Word document (.docx or .doc, any case)?"""
    return Path(path).suffix.lower() in WORD_SUFFIXES
