"""The layout stage's tolerances: the reading order's (`ReadingSettings`, handed to
`layout.reading_order.reading_lines` / `page_text`) and the header-block reader's
(`HeaderBlockSettings`, handed down from `layout.header_block.read_header_block`), each
one frozen object as `table.settings.TableSettings` is for the table reader.

Distances are PDF points unless the name says otherwise: `_em` fields are shares of the
font size, `_lines` fields multiples of a line's height, `_share` fields shares of the
page's (or a block's) width or height. The values are the ones the test PDFs were read
with; change one and run `scripts/golden.py compare` on a snapshot of the old output to
see what it moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vnplans.geometry import LineSettings

# Words into lines and lines into segments (`vnplans.geometry`) for reading: a word
# joins a line when its centre is within half the smaller of the two heights of the
# line's centre (a larger word beside two small lines does not chain them); outside
# ruled table rows a horizontal gap ends a segment when it is wider than 0.7 font sizes
# (a space is about 0.25 em; two table cells are at least two cell margins, Word:
# 2 x 5.4 pt, apart) and also 1.6 times the line's usual space (a justified line
# stretches all its spaces alike: it stays one segment); in a row crossed by table
# rules the rules separate the cells, and whitespace alone ends a segment only past
# 3 font sizes.
READING_LINES = LineSettings(reach=0.5, reach_of_smaller=True, band=(0.5, 0.5), lookback=3,
                             gap_em=0.7, stretch=1.6, ruled_gap_em=3.0)


@dataclass(frozen=True, slots=True)
class ReadingSettings:
    """How a page's segments are put in reading order (a recursive XY cut)."""

    lines: LineSettings = field(default=READING_LINES)
    # Two segments of a block read row by row share a visual row when they overlap by
    # this share of the smaller height.
    row_overlap: float = 0.5
    # A blank horizontal band at least this share of the median line height splits a
    # block: table rows are set apart by their cell margins and paragraphs by their
    # spacing, wrapped lines of one paragraph (or of the two header-block columns) are
    # not…
    band_gap_lines: float = 0.25
    # …and at least this share of a line wider than the block's usual line spacing,
    band_over_spacing: float = 0.2
    # though an empty line's worth of space always splits.
    blank_line: float = 0.8
    # A blank vertical corridor at least this many font sizes wide, through every line
    # of a block, splits it into columns (table cells sit two cell margins apart).
    column_gap_em: float = 0.7
    # A ruling line splits a block when it covers this share of the block's extent…
    rule_cover: float = 0.6
    # …and touches no line: it may lie this far (pt) inside a line's box (a cell's
    # border drawn along its text's box edge, which the text layer rounds).
    rule_inside_line: float = 1.0
    # The next line below a line in running text starts at most this share of its
    # height above its bottom (lines overlap by their ascenders and descenders).
    below_overlap_lines: float = 0.5


# The reading order's default (frozen, so sharing it is safe).
READING = ReadingSettings()


@dataclass(frozen=True, slots=True)
class HeaderBlockSettings:
    """Where the header block's columns, date, type, title and signature lie."""

    # ------------------------------------------------------------ the two header columns
    # The left column ends this far left of the national motto's left edge.
    divider_margin: float = 1.0
    # Without a motto, the columns are split at this share of the page's width…
    divider_share: float = 0.45
    # …and the header block is looked for above this share of the page's height.
    header_depth_share: float = 0.45
    # A segment belongs to the left column when it ends at most this far right of the
    # divider, or its centre lies left of this share of the divider's position.
    left_overhang: float = 2.0
    left_centre_share: float = 0.9
    # A right-column segment may start this share of the page's width left of the
    # divider (the date line can be a little wider than the motto).
    right_overhang_share: float = 0.1
    # A segment running across the divider is split there at a gap wider than this
    # many font sizes (the last words of a wrapped authority and a wrapped motto).
    divider_gap_em: float = 2.0
    # The issuing body's lines end this close under "Số: …"'s top (rounding).
    slack: float = 0.5
    # The type and title start this far under the header rows at least.
    edge_slack: float = 1.0
    # The date line's wrapped part (place above, year below) is within this many
    # line heights of it.
    date_wrap_lines: float = 0.5

    # ------------------------------------------------------------- type and title
    # The document type is one of the first rows under "Số: …" and the date.
    doc_type_search_rows: int = 6
    # An unknown upper-case bold line taken as the type has at most this many words.
    doc_type_max_words: int = 4
    # An OCR'd short line at most this confusion cost (`header_ocr.confusion_cost`) from
    # a known type of `doc_type_min_letters` letters at least is that type ("Lá HOẠCH",
    # "- K HOẠCH", "É KẾ HOẠCH" for "KẾ HOẠCH"), when no other type is as near; it has
    # at most `doc_type_extra_letters` letters more than the type.
    ocr_doc_type_cost: float = 2.0
    doc_type_min_letters: int = 6
    doc_type_extra_letters: int = 2
    # The trích yếu ends at a gap wider than this many line heights (a blank line)…
    title_gap_lines: float = 1.2
    # …or at an upper-case line set apart from it by this many.
    title_upper_gap_lines: float = 0.5

    # ----------------------------------------------------------------- appendix
    # "PHỤ LỤC" opening an appendix page lies in this top share of the page.
    appendix_title_share: float = 0.25

    # ---------------------------------------------------------------- signature
    # The signature block's lines start right of this share of the page's width.
    right_column_share: float = 0.4
    # It starts at most this many line heights above "Nơi nhận" beside it.
    recipients_reach_lines: float = 2.0
    # Its position lines follow each other within this many line heights.
    position_gap_lines: float = 1.5
    # The blank space left for the signature and seal is at most this tall.
    signature_space_max: float = 260.0
    # A name in capitals is taken after a blank space taller than this many line
    # heights (the space left for the signature).
    signature_space_lines: float = 2.0
    # A name is set within this share of the block's width off its centre…
    name_off_centre_share: float = 0.15
    # …and at least this share of the position's font size (a footer is smaller).
    name_min_size_share: float = 0.8
    # A page after the signature page goes on with the block when its width is the
    # same within this (the same orientation).
    same_width_tol: float = 1.0
    # On that page, a line across the middle wider than this share of the page (body
    # text, a table) ends the block's continuation…
    wide_line_share: float = 0.25
    # …and the continuation is moved to this many line heights under the signature
    # page's last line.
    continuation_gap_lines: float = 0.5


# `read_header_block`'s default (frozen, so sharing it is safe).
HEADER_BLOCK = HeaderBlockSettings()
