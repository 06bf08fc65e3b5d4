/* A page's text trace in packed form: what `_pagetrace.trace_page` hands to
 * `_wordbuilder.build_packed_words`, in two bytes objects, instead of the Python
 * dicts and tuples of `page.get_texttrace()` (one tuple per glyph, most of which the
 * word builder only reads once).
 *
 * The values are those `get_texttrace()` reports, field for field: a span's size,
 * writing direction, font flags and font (as an index into a list of names), and
 * per glyph its code point, glyph id, origin and box, each float exactly as MuPDF
 * computed it in single precision. */

#ifndef VNPLANS_TRACE_H
#define VNPLANS_TRACE_H

#include <stdint.h>

typedef struct {
    double size;       /* span["size"] */
    double dx, dy;     /* span["dir"] */
    int64_t flags;     /* span["flags"] */
    int64_t font;      /* index of span["font"] in the list of font names */
    int64_t first;     /* its glyphs: glyphs[first : first + count] */
    int64_t count;
} PackedSpan;

typedef struct {
    double ox, oy;     /* origin */
    double box[4];     /* x0, y0, x1, y1 */
    int64_t ucs;       /* code point (MuPDF may report -1 or 0 for none) */
    int64_t gid;       /* glyph id */
} PackedGlyph;

#endif
