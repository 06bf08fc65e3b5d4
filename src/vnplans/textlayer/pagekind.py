"""Is a page without a usable text layer a scan (to OCR) or just a near-empty page?

A page with almost no text is a scan only when something that can hold text covers
it: an image (the scanned sheet), or many small filled paths (text converted to
outlines by a print driver). A native plan whose signer's name runs over onto a page
of its own, or a blank separator page, has neither: OCR would find nothing more than
the text layer has, and would cost a second or more per page.
"""

from __future__ import annotations

# An image covering at least this share of the page area is a scanned sheet (a logo or
# a photo in a corner is not).
MIN_IMAGE_COVER = 0.5
# Outlined text: at least this many filled paths of glyph size (at most this many
# points high) …
MIN_OUTLINE_GLYPHS = 40
MAX_GLYPH_HEIGHT = 40.0


def _image_cover(pdf_page) -> float:
    """The largest share of the page one image covers (clipped to the page)."""
    page_rect = pdf_page.rect
    area = max(1.0, page_rect.width * page_rect.height)
    best = 0.0
    for info in pdf_page.get_image_info():
        x0, y0, x1, y1 = info["bbox"]
        w = min(x1, page_rect.x1) - max(x0, page_rect.x0)
        h = min(y1, page_rect.y1) - max(y0, page_rect.y0)
        if w > 0 and h > 0:
            best = max(best, w * h / area)
    return best


def _outline_glyphs(pdf_page) -> int:
    """How many filled paths of glyph size the page draws."""
    count = 0
    for path in pdf_page.get_cdrawings():
        if "f" not in (path.get("type") or ""):
            continue
        x0, y0, x1, y1 = path["rect"]
        if 0 < y1 - y0 <= MAX_GLYPH_HEIGHT and 0 < x1 - x0 <= MAX_GLYPH_HEIGHT:
            count += 1
            if count >= MIN_OUTLINE_GLYPHS:
                break
    return count


def scan_reason(pdf_page) -> str | None:
    """What covers the page with text that only OCR can read ("an image covers the
    page", "text drawn as outlines"), or None: nothing to OCR."""
    if _image_cover(pdf_page) >= MIN_IMAGE_COVER:
        return "an image covers the page"
    if _outline_glyphs(pdf_page) >= MIN_OUTLINE_GLYPHS:
        return "text drawn as outlines"
    return None
