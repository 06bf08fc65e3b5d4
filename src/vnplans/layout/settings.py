"""The header-block reader's tolerances, in one frozen object handed down from
`layout.header_block.read_header_block` (as `table.settings.TableSettings` is for the
table reader).

Distances are PDF points unless the name says otherwise: `_em` fields are shares of the
font size, `_lines` fields multiples of a line's height, `_share` fields shares of the
page's (or a block's) width or height. The values are the ones the test PDFs were read
with; change one and run `scripts/golden.py compare` on a snapshot of the old output to
see what it moves.
"""

from __future__ import annotations

from dataclasses import dataclass


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
