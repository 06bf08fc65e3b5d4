"""The table reader's tolerances, in one frozen object handed down from the entry points
(`table.build.extract_tables`, `table.word.extract_word_rows`, `vnplans.picture`).

Distances are PDF points (1/72 inch) unless the name says otherwise: `_em` fields are
shares of the font size, `_lines` fields multiples of a line height, `_share` fields
shares of a width, height or count. The values are the ones the test PDFs were read
with; each comment says which layout it comes from. Change one and run
`scripts/golden.py compare` on a snapshot of the old output to see what it moves.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TableSettings:
    """How far apart things may be and still count as one (a column boundary, a row,
    a table): for locating tables (`locate`), finding their headers (`headers`),
    cutting them into columns and bands (`grid`) and joining bands into rows (`rows`)."""

    # ---------------------------------------------------------------- locate: table extent
    # Where the document's last table still runs at the foot of its last page, the
    # appendix was cut off (pages missing): the foot is where page breaks cut this table
    # before, or else this share of the page's height down (the last fifth of a page
    # holds its bottom margin and a row or two), or lower where the text of the
    # document's other pages reaches lower (their narrowest bottom margin)…
    page_foot_share: float = 0.8
    # … and the table's bottom is at most this far above it (a line or two of a row).
    page_foot_reach: float = 30.0
    # A blank vertical gap larger than this many line heights ends a table (rows of a
    # Word table are at most a blank line apart; the signature block is further)…
    max_gap_lines: float = 2.5
    # …but never a gap smaller than this (points): a table of small type still has
    # Word's cell spacing between rows.
    min_table_gap: float = 30.0
    # Text reaching this close (line heights) to the page's last text line means the
    # table runs on to the next page (the footer margin holds at most a page number).
    page_end_lines: float = 3.0
    # A blank band under a header, before the first body line, may be up to this share
    # of the page tall (a row cut by the page break leaves its cell spacing there).
    first_gap_page: float = 0.25
    # Words sticking out of the table's extent by more than this are not table text
    # (about two characters: a cell's text over its rule, not a body paragraph).
    outside_tol: float = 25.0
    # A word sticking out right by more than this many `outside_tol` is not table text
    # even on a line that starts inside the table (a long cell line over the last rule
    # is shorter).
    outside_overhang: float = 3.0
    # Vertical rules, and text above a header, this far beside the header's extent are
    # the table's (a frame drawn just outside the header cells).
    frame_margin: float = 5.0
    # A number line this close (line heights) under the text above is the rest of a
    # cell broken at a narrow cell's edge ("15/11/202" / "3"), not a page number.
    broken_number_lines: float = 0.5
    # A horizontal rule across this share of the table's width is a row rule that can
    # be its bottom (Word's per-cell borders cover at least a column or two).
    bottom_rule_share: float = 0.3
    # A table carried over starts at a rule this far above its first line at most…
    rule_above_first_line: float = 30.0
    # …that reaches the header's edges but for this much (a rule drawn inside the frame).
    rule_short_of_table: float = 20.0
    # A repeated header whose edges lie this close to the first page's is the same
    # table (its columns are the first page's when both are read from text).
    same_extent_tol: float = 15.0
    # On a scanned page, a repeated header read with this many columns more or fewer
    # than the table's first one (a border lost, a speck read as a header word) is
    # the same table when at least `regrid_min_roles` of its roles come in the first
    # header's order; it is read with the first header's columns.
    regrid_max_columns: int = 1
    regrid_min_roles: int = 3
    # A table heading wrapped over two lines: its lines this close (line heights).
    heading_wrap_lines: float = 0.8
    # A table's heading is the line right above its header, this many line heights
    # away at most ("b) Đối với UBND các xã" set apart by paragraph spacing)…
    heading_gap_lines: float = 2.5
    # …starting no further right of the table's left edge than this share of its width
    # (a centred title line is no heading of its own).
    heading_indent_share: float = 0.2
    # Line height assumed for a table with no body lines (12 pt text at single spacing).
    default_line_height: float = 12.0
    # The body lines (from the top) whose median height is the table's line height.
    line_height_sample: int = 20

    # ---------------------------------------------------------------- headers: the zone
    # Role names of one header lie within this many line heights of each other (a
    # three-level header of wrapped cells, "Đơn vị" / "thực hiện" / "Chủ" / "trì").
    header_span_lines: float = 7.0
    # A horizontal rule across this share of the header's width is a rule of the
    # table's frame (over or under the header), not a cell's underline.
    header_rule_share: float = 0.6
    # A frame rule this many text sizes above the first role name boxes the header
    # (a header cell of two or three lines centred under its top rule)…
    header_top_rule_em: float = 3.5
    # …and a rule up to this many text sizes higher is the table's top rule when only
    # header lines lie between (a third header level on top).
    header_frame_em: float = 6.0
    # A frame rule further above the header than this with no line between ends the
    # search (an empty row over the header is no header level).
    header_frame_gap: float = 3.0
    # A line of header words this close (its heights) above or below the zone joins
    # it (Word's single line spacing between a cell's lines, with paragraph spacing).
    header_gap_lines: float = 1.2
    # A header word wrapped by a narrow column goes on in the line this close under
    # it (line heights; single spacing), overlapping it by at most `wrap_overlap_lines`.
    wrap_gap_lines: float = 0.8
    wrap_overlap_lines: float = 0.5
    # Slack for a rule inside or under a header cell (Word draws a cell's border a
    # point or two beside its text's box).
    header_rule_slack: float = 2.0
    # A vertical rule starting this far under a header text splits it into sub-columns
    # (a group cell's inner rule starts at the group's bottom border).
    group_rule_reach: float = 25.0
    # A group cell's text is centred over its rule: within this share of the rule's
    # width of its middle.
    group_centre_share: float = 0.15
    # Stacked header segments overlapping by this share of the narrower one (or centred
    # within this share of the cell's width) are one cell's lines.
    stacked_cell_share: float = 0.3

    # A scanned header cell naming no role takes the role of a phrase it holds with at
    # most this share of its letters misread or lost ("Cơ quan chủ tì": 1 of 7 in
    # "chủ trì"), for phrases this long at least.
    ocr_header_edit_share: float = 0.15
    ocr_header_min_letters: int = 6
    # A shorter phrase ("STT") is named by a whole header cell at most this many edits
    # from it ("SITT"), when the phrase has this many letters at least.
    ocr_short_header_edits: int = 1
    ocr_short_header_min_letters: int = 3
    # A scanned two-line header cell read as one line has its words out of order and
    # may lose one ("Thời hiện thực"): it names the role of a phrase of this many words
    # at least, all but this many of them in it, and at most this many of those a
    # letter away ("Thời biện thực") (`headers._scrambled_role`).
    ocr_header_scrambled_min_words: int = 3
    ocr_header_scrambled_missing: int = 1
    ocr_header_scrambled_misread: int = 1
    # Header words of neighbouring columns of an unruled scanned table at most this
    # many ems apart (a word space) that together name a role are one cell split by
    # the OCR's line finding (`headers._join_split_header`).
    split_header_gap_em: float = 0.6
    # A first column whose header cell holds no word (a scan lost "STT" under speckle)
    # is the TT column when it is at most this share of the table's width and at least
    # this many, and this share, of the lines in it below the header are row numbers.
    unnamed_tt_max_share: float = 0.12
    unnamed_tt_min_numbers: int = 3
    unnamed_tt_number_share: float = 0.6
    # On a scan the cell may hold one misread word of at most this many characters
    # ("SITL" for "STT") instead of none.
    unnamed_tt_max_letters: int = 5
    # A scanned row of column numbers under the header ("(1) (2) … (7)") may have this
    # share of its words misread ("q)", "46).") when none is longer than this.
    ocr_column_number_misread_share: float = 0.34
    ocr_column_number_len: int = 5

    # ------------------------------------------------------- grid: columns from rules
    # Vertical rules closer than this (points) are one column boundary (a double rule,
    # a cell border drawn twice by Word).
    x_tol: float = 3.0
    # Vertical rules this far left/right of the header count as the table's (a TT
    # column narrower than its header text, a frame drawn around the table).
    rule_search_margin: float = 60.0
    # …and must start above this depth under the header top (a table's rules run down
    # from its header; rules further down belong to another table).
    rule_search_depth: float = 400.0
    # …and reach further down than this below the header top (a rule ending inside the
    # header row is an underline of a header cell).
    rule_below_header: float = 2.0
    # A header's outer cell edge further than this inside the outermost rule gets a
    # boundary of its own (a table ruled only inside), `rule_outer_pad` out.
    rule_edge_slack: float = 2.0
    rule_outer_pad: float = 3.0
    # Columns between rules narrower than this are a rule drawn twice, not a column.
    min_column_width: float = 4.0
    # Each header cell must lie this share inside one ruled column (else the rules are
    # not the table's columns: a frame, underlines).
    header_cell_inside_share: float = 0.8

    # -------------------------------------------------------- grid: columns from text
    # Header cells overlapping by more than this (points) are one cell (a wrapped label).
    header_overlap: float = 1.0
    # A column reaches this far past its header cell (Word's default cell margin, 5.4 pt,
    # rounded up), and neighbouring header cells closer than `min_header_gap` get a
    # window of this half-width around their middle to search for the boundary.
    column_pad: float = 6.0
    min_header_gap: float = 2.0
    # Body text this far left of the first header cell still belongs to the first column
    # (a centred "TT" header over a wider column)…
    first_column_reach: float = 60.0
    # …and this far right of the last one to the last (a centred "Ghi chú" header over
    # a wide column).
    last_column_reach: float = 200.0

    # ------------------------------------------------------------------ grid: text runs
    # Two words on one line closer than this share of the font size are one text run,
    # even across a column boundary (text spanning merged columns): a word space is
    # about a quarter em, a gap between cells more than half.
    span_gap_em: float = 0.45
    # Text over a column boundary by less than this share of the font size is a cell's
    # line reaching a little past a boundary read from text alignment, not spanning it.
    over_boundary_em: float = 0.25

    # --------------------------------------------------------------- grid: bands (rows)
    # Words this far beside the columns still belong to the table (a row number set
    # left of the TT column, text over the last rule).
    word_margin: float = 40.0
    # Horizontal rules this close to the fragment's top or bottom are its own frame.
    frame_slack: float = 2.0
    # A horizontal rule covering this share of the narrowest column cuts bands
    # (Word draws cell borders per cell), of a column closes its cell, of the table's
    # width at its bottom closes the table; vertical rules covering less than this
    # share of a band's height leave the boundary open (a merged cell).
    rule_cover_share: float = 0.5
    # A rule this close to the fragment's bottom is the table's bottom rule.
    bottom_rule_tol: float = 3.0
    # Horizontal rules closer than this are one (a border drawn twice, at 0.1 pt apart).
    rule_cluster: float = 1.5
    # A band without lines lower than this is the space between two rules drawn close.
    empty_band: float = 3.0
    # The text size assumed in a band without lines (12 pt: Word's table default).
    default_size: float = 12.0
    # Cells whose first lines start within this share of the text size start level
    # (top-aligned), in a band and near a row number.
    level_em: float = 0.3
    # A line broken inside a word in a narrow cell goes on within this many text sizes.
    word_break_em: float = 2.0
    # Floating-point slack for comparing positions taken from two sources (a line's box
    # and a cut between lines): half a point, under any line or cell spacing.
    slack: float = 0.5
    # A line's or a rule's edge this far past a bound (a header's top or bottom, a
    # fragment's bottom rule, a rule along a line) still counts as at the bound: a
    # rule is drawn through its cell's edge and the text layer rounds boxes, each by
    # well under a point; a line or cell spacing is more.
    edge_slack: float = 1.0
    # A cut this far inside a line's box still runs through the line (lines overlap
    # their neighbours' boxes by their ascenders and descenders).
    line_overlap: float = 1.0

    # A header cell's line holds at most this many words (a header cell names a column
    # in a few words; a title naming "nhiệm vụ" is longer).
    header_line_max_words: int = 8
    # A segment of at most this many words naming no role may be the first part of a
    # header name its narrow column wrapped ("Đơn vị chủ" / "trì").
    header_wrap_max_words: int = 4
    # A line is header text when this share of its words are header words and it is
    # set like a header (bold or capitals): a header cell may hold a word the
    # vocabulary does not know ("Kinh phí dự kiến")…
    header_words_share: float = 0.75
    # …and this share when it is not set apart (OCR gives no weights; a body row made
    # of header-ish words, "Thời gian thực hiện", must not pass).
    header_words_share_plain: float = 0.95

    # ------------------------------------------------------- grid: bands cut from text
    # The line gap inside a cell is the gap at this quantile of all gaps (gaps inside
    # cells are the most common ones)…
    line_gap_quantile: float = 0.25
    # …this share of the text size when there are none, at most this share otherwise.
    default_line_gap_em: float = 0.2
    max_line_gap_em: float = 0.6
    # Word's smallest cell spacing, 1 pt before and after each paragraph, leaves 2 pt
    # between rows but 1 pt between paragraphs of one cell (the larger of the two
    # spacings), whatever the text size: the row threshold lies between them, this far
    # above the line gap (a share of the font size instead put 13 pt rows under it,
    # docs/table-reading.md, G1).
    row_gap_extra: float = 1.5
    # OCR lines are placed on their baselines found in the image, each within about a
    # point (blur and bold ink end lower): on a scanned page, a row number after
    # another one opens a row when the whitespace above it falls short of the row
    # threshold by up to this much (two numbers never share a TT cell; a number
    # wrapped by a narrow column goes on at the line gap, further below it).
    ocr_baseline_error: float = 1.0
    # Detail cells starting within this many text sizes of a row number are near it
    # (judging top alignment)…
    near_number_em: float = 3.0
    # …and the table is top-aligned when this share of the numbers near them are level.
    top_aligned_share: float = 0.6
    # A tight table (no row spacing) has fewer than this share of its numbered rows
    # separated by other cuts.
    tight_separated_share: float = 0.5
    # Slack for the sparsest cut between lo and hi (a paragraph ending on the bound).
    sparse_bound_slack: float = 1.0
    sparse_edge_slack: float = 0.01
    # A row's first line follows the line above within this share of its height (no
    # row spacing), with this many columns starting level there.
    row_top_gap_share: float = 0.5
    row_top_columns: int = 3

    # ---------------------------------------------------------------- rows: joining bands
    # A table is top-aligned (its empty leads are the feet of merged cells above) when
    # at least this share of its bands with three or more cells say so: a majority, so
    # a few centred cells in a top-aligned table do not turn it.
    top_aligned_votes_share: float = 0.5


# The entry points' default: every tolerance at the value above (frozen, so sharing it
# is safe; pass another `TableSettings` to read with other tolerances).
DEFAULTS = TableSettings()
