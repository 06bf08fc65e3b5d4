/* A page's glyphs and vector paths from one run of MuPDF over its content, for the
 * PDF reader (`vnplans.pdf.reader`).
 *
 * PyMuPDF's `page.get_texttrace()` and `page.get_cdrawings()` each interpret the
 * page's content streams, and the first builds a Python dict per span and a tuple of
 * tuples per glyph (~180,000 glyphs in a 150-page batch) that the word builder reads
 * once. Here one MuPDF device receives both the text and the paths of a single
 * `fz_run_page`: the glyphs go into packed C records (`_trace.h`) for
 * `_wordbuilder.build_packed_words`, and the few paths of a page become the same
 * dicts `get_cdrawings()` gives, for `vnplans.pdf.rules`.
 *
 * The values are computed as PyMuPDF 1.26-1.28 computes them for those two calls
 * (its trace and line-art devices): the same MuPDF functions on the same
 * single-precision values, the same order of operations. tests/test_page_trace.py
 * compares both on every test PDF, field by field.
 *
 * It runs on PyMuPDF's own context and page (addresses passed from Python), so the
 * fonts MuPDF loads for the page are those PyMuPDF has cached. It is compiled
 * against the MuPDF headers PyMuPDF ships (`pymupdf/mupdf-devel`) and linked to its
 * libmupdf; reader.py uses it only when the MuPDF version it was built for is the
 * one loaded, and falls back to PyMuPDF's calls otherwise, for rotated pages, for
 * pages with glyphs that lost their Unicode mapping (the text-layer repair needs the
 * full trace), and for any page MuPDF raises an error on.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

#include "mupdf/fitz.h"

#include "_trace.h"

/* ---- growable arrays (plain malloc: filled inside MuPDF callbacks) ------------ */

/* Room for `needed` items in the array `*items` of `*cap` (doubled as often as it
 * takes, 64 to begin with); -1 when out of memory. */
static int
reserve(void **items, size_t needed, size_t *cap, size_t item_size)
{
    if (needed <= *cap)
        return 0;
    size_t grown = *cap ? *cap : 64;
    while (grown < needed)
        grown *= 2;
    void *moved = realloc(*items, grown * item_size);
    if (moved == NULL)
        return -1;
    *items = moved;
    *cap = grown;
    return 0;
}

/* ---- paths, as PyMuPDF's line-art device records them ------------------------- */

enum { ITEM_LINE, ITEM_CURVE, ITEM_RECT, ITEM_QUAD };

typedef struct {
    int kind;
    int orientation;  /* ITEM_RECT: +1 anti-clockwise, -1 clockwise */
    float v[8];       /* LINE: p, q; CURVE: p0..p3; RECT: x0 y0 x1 y1; QUAD: ul ur ll lr */
} Item;

typedef struct {
    char type[3];     /* "f", "s" or "fs" */
    int has_fill, has_stroke;
    int fill_n, stroke_n;   /* number of colour components (0: no colour space) */
    float fill[3], stroke[3];
    fz_rect rect;
    size_t first, count;    /* items[first : first + count] */
} Path;

typedef struct {
    fz_font *font;    /* kept (fz_keep_font) until the run's results are read */
    PyObject *name;
} Font;

typedef struct {
    fz_device super;
    int failed;       /* out of memory in a callback: the results are incomplete */
    int leaked;       /* a glyph reported as U+FFFD */
    int declined;     /* MuPDF raised an error inside the device */
    /* text */
    PackedSpan *spans;
    size_t n_spans, cap_spans;
    PackedGlyph *glyphs;
    size_t n_glyphs, cap_glyphs;
    Font *fonts;
    size_t n_fonts, cap_fonts;
    /* paths */
    Path *paths;
    size_t n_paths, cap_paths;
    Item *items;
    size_t n_items, cap_items;
    /* the path being walked */
    fz_matrix ctm;
    int filling;      /* walked for a fill (no quads are looked for then) */
    fz_point lastpoint, firstpoint;
    int havemove, linecount;
    fz_rect pathrect;
    size_t path_first; /* its first item */
} TraceDevice;

/* ---- text ----------------------------------------------------------------------- */

static int
font_index(fz_context *ctx, TraceDevice *dev, fz_font *font)
{
    for (size_t i = dev->n_fonts; i-- > 0;)
        if (dev->fonts[i].font == font)
            return (int)i;
    if (reserve((void **)&dev->fonts, dev->n_fonts + 1, &dev->cap_fonts, sizeof(Font)) < 0)
        return -1;
    Font *f = &dev->fonts[dev->n_fonts++];
    f->font = fz_keep_font(ctx, font);
    f->name = NULL;   /* made after the run, with the GIL's Python calls */
    return (int)(dev->n_fonts - 1);
}

/* A subset font's name without its "ABCDEF+" tag, as the trace gives it. */
static const char *
display_name(const char *name)
{
    const char *plus = strchr(name, '+');
    if (plus == NULL || plus - name != 6)
        return name;
    return plus + 1;
}

static void
trace_span(fz_context *ctx, TraceDevice *dev, fz_text_span *span, fz_matrix ctm)
{
    fz_matrix mat = fz_concat(span->trm, ctm);
    fz_point dir = fz_transform_vector(fz_make_point(1, 0), mat);
    float fsize = sqrt(dir.x * dir.x + dir.y * dir.y); /* single precision, as PyMuPDF keeps it */
    dir = fz_normalize_vector(dir);

    double asc = (double)fz_font_ascender(ctx, span->font);
    double dsc = (double)fz_font_descender(ctx, span->font);
    if (asc < 1e-3) {  /* a font without metrics (Tesseract's glyphless font) */
        dsc = -0.1;
        asc = 0.9;
    }
    double ascsize = asc * fsize / (asc - dsc);
    double dscsize = dsc * fsize / (asc - dsc);
    int flags = fz_font_is_monospaced(ctx, span->font) * 8
              + fz_font_is_italic(ctx, span->font) * 2
              + fz_font_is_serif(ctx, span->font) * 4
              + fz_font_is_bold(ctx, span->font) * 16;
    fz_matrix rot = fz_make_matrix(dir.x, dir.y, -dir.y, dir.x, 0, 0);
    if (dir.x == -1)
        rot.d = 1;  /* left-right flip */
    int flipped = (mat.d > 0 && (dir.x == 1 || dir.x == -1)) || (mat.b != 0 && mat.b == -mat.c);

    int font = font_index(ctx, dev, span->font);
    if (font < 0
            || reserve((void **)&dev->spans, dev->n_spans + 1, &dev->cap_spans, sizeof(PackedSpan)) < 0
            || reserve((void **)&dev->glyphs, dev->n_glyphs + (size_t)span->len, &dev->cap_glyphs,
                       sizeof(PackedGlyph)) < 0) {
        dev->failed = 1;
        return;
    }
    size_t first = dev->n_glyphs;
    for (int i = 0; i < span->len; i++) {
        fz_text_item *item = &span->items[i];
        double adv = 0;
        if (item->gid >= 0)
            adv = (double)fz_advance_glyph(ctx, span->font, item->gid, span->wmode);
        adv *= fsize;
        fz_point origin = fz_transform_point(fz_make_point(item->x, item->y), ctm);
        fz_matrix m1 = fz_make_matrix(1, 0, 0, 1, -origin.x, -origin.y);
        m1 = fz_concat(m1, rot);
        m1 = fz_concat(m1, fz_make_matrix(1, 0, 0, 1, origin.x, origin.y));
        float x0 = origin.x;
        float x1 = x0 + adv;
        float y0, y1;
        if (flipped) {
            y0 = origin.y + dscsize;
            y1 = origin.y + ascsize;
        }
        else {
            y0 = origin.y - ascsize;
            y1 = origin.y - dscsize;
        }
        fz_rect box = fz_transform_rect(fz_make_rect(x0, y0, x1, y1), m1);
        PackedGlyph *g = &dev->glyphs[dev->n_glyphs++];
        g->ucs = item->ucs;
        g->gid = item->gid;
        g->ox = origin.x;
        g->oy = origin.y;
        g->box[0] = box.x0;
        g->box[1] = box.y0;
        g->box[2] = box.x1;
        g->box[3] = box.y1;
        if (item->ucs == 0xFFFD)
            dev->leaked = 1;
    }
    /* recorded once all its glyphs are (a MuPDF error above leaves no half span) */
    PackedSpan *out = &dev->spans[dev->n_spans++];
    out->size = fsize;
    out->dx = dir.x;
    out->dy = dir.y;
    out->flags = flags;
    out->font = font;
    out->first = (int64_t)first;
    out->count = (int64_t)(dev->n_glyphs - first);
}

/* A MuPDF error inside the device (a font's metrics that cannot be read …) is not
 * passed on to the interpreter, which might go on without this text: the page is
 * declined instead, and PyMuPDF's own calls read it as they always did. */
static void
trace_text(fz_context *ctx, TraceDevice *dev, const fz_text *text, fz_matrix ctm)
{
    if (dev->failed || dev->declined)
        return;
    fz_try(ctx) {
        for (fz_text_span *span = text->head; span; span = span->next)
            trace_span(ctx, dev, span, ctm);
    }
    fz_catch(ctx) {
        fz_ignore_error(ctx); /* PyMuPDF reports it, reading the page again */
        dev->declined = 1;
    }
}

static void
dev_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
              fz_colorspace *cs, const float *color, float alpha, fz_color_params params)
{
    trace_text(ctx, (TraceDevice *)dev, text, ctm);
}

static void
dev_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
                const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
                const float *color, float alpha, fz_color_params params)
{
    trace_text(ctx, (TraceDevice *)dev, text, ctm);
}

static void
dev_ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm)
{
    trace_text(ctx, (TraceDevice *)dev, text, ctm);
}

/* ---- paths -------------------------------------------------------------------- */

static Item *
add_item(TraceDevice *dev, int kind)
{
    if (reserve((void **)&dev->items, dev->n_items + 1, &dev->cap_items, sizeof(Item)) < 0) {
        dev->failed = 1;
        return NULL;
    }
    Item *it = &dev->items[dev->n_items++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

/* The last four lines close a polygon: one quad item instead (stroked paths). */
static void
check_quad(TraceDevice *dev)
{
    Item *lines = &dev->items[dev->n_items - 4];
    float f[8];
    for (int i = 0; i < 4; i++) {
        f[2 * i] = lines[i].v[0];
        f[2 * i + 1] = lines[i].v[1];
    }
    if (lines[3].v[2] != f[0] || lines[3].v[3] != f[1])
        return;
    dev->linecount = 0;
    Item *q = &lines[0];
    q->kind = ITEM_QUAD;
    /* ul, ur, ll, lr from the four start points */
    float quad[8] = {f[0], f[1], f[6], f[7], f[2], f[3], f[4], f[5]};
    memcpy(q->v, quad, sizeof quad);
    dev->n_items -= 3;
}

/* The last three lines (after a move) and a close are a rectangle: one rect item. */
static int
check_rect(TraceDevice *dev)
{
    dev->linecount = 0;
    Item *line0 = &dev->items[dev->n_items - 3], *line2 = &dev->items[dev->n_items - 1];
    fz_point ll = {line0->v[0], line0->v[1]}, lr = {line0->v[2], line0->v[3]};
    fz_point ur = {line2->v[0], line2->v[1]}, ul = {line2->v[2], line2->v[3]};
    if (ll.y != lr.y || ll.x != ul.x || ur.y != ul.y || ur.x != lr.x)
        return 0;
    Item *r = line0;
    r->kind = ITEM_RECT;
    if (ul.y < lr.y) {
        float v[4] = {ul.x, ul.y, lr.x, lr.y};
        memcpy(r->v, v, sizeof v);
        r->orientation = 1;
    }
    else {
        float v[4] = {ll.x, ll.y, ur.x, ur.y};
        memcpy(r->v, v, sizeof v);
        r->orientation = -1;
    }
    dev->n_items -= 2;
    return 1;
}

static void
walk_moveto(fz_context *ctx, void *arg, float x, float y)
{
    TraceDevice *dev = arg;
    dev->lastpoint = fz_transform_point(fz_make_point(x, y), dev->ctm);
    if (fz_is_infinite_rect(dev->pathrect))
        dev->pathrect = fz_make_rect(dev->lastpoint.x, dev->lastpoint.y,
                                     dev->lastpoint.x, dev->lastpoint.y);
    dev->firstpoint = dev->lastpoint;
    dev->havemove = 1;
    dev->linecount = 0;
}

static void
walk_lineto(fz_context *ctx, void *arg, float x, float y)
{
    TraceDevice *dev = arg;
    fz_point p = fz_transform_point(fz_make_point(x, y), dev->ctm);
    dev->pathrect = fz_include_point_in_rect(dev->pathrect, p);
    Item *it = add_item(dev, ITEM_LINE);
    if (it == NULL)
        return;
    it->v[0] = dev->lastpoint.x;
    it->v[1] = dev->lastpoint.y;
    it->v[2] = p.x;
    it->v[3] = p.y;
    dev->lastpoint = p;
    dev->linecount += 1;
    if (dev->linecount == 4 && !dev->filling)
        check_quad(dev);
}

static void
walk_curveto(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2,
             float x3, float y3)
{
    TraceDevice *dev = arg;
    dev->linecount = 0;
    fz_point p1 = fz_transform_point(fz_make_point(x1, y1), dev->ctm);
    fz_point p2 = fz_transform_point(fz_make_point(x2, y2), dev->ctm);
    fz_point p3 = fz_transform_point(fz_make_point(x3, y3), dev->ctm);
    dev->pathrect = fz_include_point_in_rect(dev->pathrect, p1);
    dev->pathrect = fz_include_point_in_rect(dev->pathrect, p2);
    dev->pathrect = fz_include_point_in_rect(dev->pathrect, p3);
    Item *it = add_item(dev, ITEM_CURVE);
    if (it == NULL)
        return;
    float v[8] = {dev->lastpoint.x, dev->lastpoint.y, p1.x, p1.y, p2.x, p2.y, p3.x, p3.y};
    memcpy(it->v, v, sizeof v);
    dev->lastpoint = p3;
}

static void
walk_close(fz_context *ctx, void *arg)
{
    TraceDevice *dev = arg;
    if (dev->linecount == 3 && dev->n_items - dev->path_first >= 3 && check_rect(dev))
        return;
    dev->linecount = 0;
    if (dev->havemove) {
        if (dev->firstpoint.x != dev->lastpoint.x || dev->firstpoint.y != dev->lastpoint.y) {
            Item *it = add_item(dev, ITEM_LINE);
            if (it == NULL)
                return;
            it->v[0] = dev->lastpoint.x;
            it->v[1] = dev->lastpoint.y;
            it->v[2] = dev->firstpoint.x;
            it->v[3] = dev->firstpoint.y;
            dev->lastpoint = dev->firstpoint;
        }
        dev->havemove = 0;
    }
}

/* Only the four basic callbacks: MuPDF then hands rectangles and quadratic curves
 * over as moves, lines and cubic curves, which is what the rect and quad checks
 * look for (as in PyMuPDF). */
static const fz_path_walker path_walker = {walk_moveto, walk_lineto, walk_curveto, walk_close,
                                           NULL, NULL, NULL, NULL};

static int
same_items(const TraceDevice *dev, const Path *a, size_t first, size_t count)
{
    if (a->count != count)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const Item *x = &dev->items[a->first + i], *y = &dev->items[first + i];
        if (x->kind != y->kind)
            return 0;
        int n = x->kind == ITEM_LINE ? 4 : x->kind == ITEM_RECT ? 4 : 8;
        for (int k = 0; k < n; k++)
            if (x->v[k] != y->v[k])
                return 0;
        if (x->kind == ITEM_RECT && x->orientation != y->orientation)
            return 0;
    }
    return 1;
}

static int
path_color(fz_context *ctx, fz_colorspace *cs, const float *color, float rgb[3])
{
    if (cs == NULL)
        return 0;
    fz_convert_color(ctx, cs, color, fz_device_rgb(ctx), rgb, NULL, fz_default_color_params);
    return 3;
}

static void record_path(fz_context *ctx, TraceDevice *dev, const fz_path *path, fz_matrix ctm,
                        int filling, fz_colorspace *cs, const float *color);

/* (MuPDF errors: as in trace_text.) */
static void
trace_path(fz_context *ctx, TraceDevice *dev, const fz_path *path, fz_matrix ctm,
           int filling, fz_colorspace *cs, const float *color)
{
    if (dev->failed || dev->declined)
        return;
    fz_try(ctx) {
        record_path(ctx, dev, path, ctm, filling, cs, color);
    }
    fz_catch(ctx) {
        fz_ignore_error(ctx); /* PyMuPDF reports it, reading the page again */
        dev->declined = 1;
    }
}

static void
record_path(fz_context *ctx, TraceDevice *dev, const fz_path *path, fz_matrix ctm,
            int filling, fz_colorspace *cs, const float *color)
{
    dev->ctm = ctm;
    dev->filling = filling;
    dev->pathrect = fz_infinite_rect;
    dev->linecount = 0;
    dev->havemove = 0;
    dev->lastpoint = fz_make_point(0, 0);
    dev->firstpoint = fz_make_point(0, 0);
    size_t first = dev->path_first = dev->n_items;
    fz_walk_path(ctx, path, &path_walker, dev);
    if (dev->failed)
        return;
    size_t count = dev->n_items - first;
    if (count == 0)
        return;
    float rgb[3] = {0, 0, 0};
    int n_rgb = path_color(ctx, cs, color, rgb);
    /* A stroke of the path just filled is merged into it ("fs"), as PyMuPDF does. */
    if (!filling && dev->n_paths > 0) {
        Path *prev = &dev->paths[dev->n_paths - 1];
        if (strcmp(prev->type, "f") == 0 && same_items(dev, prev, first, count)) {
            strcpy(prev->type, "fs");
            prev->has_stroke = 1;
            prev->stroke_n = n_rgb;
            memcpy(prev->stroke, rgb, sizeof rgb);
            dev->n_items = first;
            return;
        }
    }
    if (reserve((void **)&dev->paths, dev->n_paths + 1, &dev->cap_paths, sizeof(Path)) < 0) {
        dev->failed = 1;
        return;
    }
    Path *p = &dev->paths[dev->n_paths++];
    memset(p, 0, sizeof *p);
    strcpy(p->type, filling ? "f" : "s");
    if (filling) {
        p->has_fill = 1;
        p->fill_n = n_rgb;
        memcpy(p->fill, rgb, sizeof rgb);
    }
    else {
        p->has_stroke = 1;
        p->stroke_n = n_rgb;
        memcpy(p->stroke, rgb, sizeof rgb);
    }
    p->rect = dev->pathrect;
    p->first = first;
    p->count = count;
}

static void
dev_fill_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
              fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
              fz_color_params params)
{
    trace_path(ctx, (TraceDevice *)dev, path, ctm, 1, cs, color);
}

static void
dev_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
                const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
                const float *color, float alpha, fz_color_params params)
{
    trace_path(ctx, (TraceDevice *)dev, path, ctm, 0, cs, color);
}

static void
free_results(fz_context *ctx, TraceDevice *dev)
{
    for (size_t i = 0; i < dev->n_fonts; i++) {
        fz_drop_font(ctx, dev->fonts[i].font);
        Py_XDECREF(dev->fonts[i].name);
    }
    free(dev->fonts);
    free(dev->spans);
    free(dev->glyphs);
    free(dev->paths);
    free(dev->items);
    dev->fonts = NULL;
    dev->spans = NULL;
    dev->glyphs = NULL;
    dev->paths = NULL;
    dev->items = NULL;
    dev->n_fonts = 0;
}

/* ---- Python objects of the results --------------------------------------------- */

static PyObject *
point_tuple(float x, float y)
{
    return Py_BuildValue("(dd)", (double)x, (double)y);
}

static PyObject *
item_tuple(const Item *it)
{
    const float *v = it->v;
    switch (it->kind) {
    case ITEM_LINE:
        return Py_BuildValue("(sNN)", "l", point_tuple(v[0], v[1]), point_tuple(v[2], v[3]));
    case ITEM_CURVE:
        return Py_BuildValue("(sNNNN)", "c", point_tuple(v[0], v[1]), point_tuple(v[2], v[3]),
                             point_tuple(v[4], v[5]), point_tuple(v[6], v[7]));
    case ITEM_RECT:
        return Py_BuildValue("(s(dddd)i)", "re", (double)v[0], (double)v[1], (double)v[2],
                             (double)v[3], it->orientation);
    default:
        return Py_BuildValue("(s(NNNN))", "qu", point_tuple(v[0], v[1]), point_tuple(v[2], v[3]),
                             point_tuple(v[4], v[5]), point_tuple(v[6], v[7]));
    }
}

static PyObject *
color_tuple(int n, const float rgb[3])
{
    if (n == 0)
        return PyTuple_New(0);
    return Py_BuildValue("(ddd)", (double)rgb[0], (double)rgb[1], (double)rgb[2]);
}

/* The paths as `get_cdrawings()` dicts, with the keys vnplans.pdf.rules reads. */
static PyObject *
drawings_list(const TraceDevice *dev)
{
    PyObject *out = PyList_New((Py_ssize_t)dev->n_paths);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < dev->n_paths; i++) {
        const Path *p = &dev->paths[i];
        PyObject *items = PyList_New((Py_ssize_t)p->count);
        if (items == NULL)
            goto error;
        for (size_t k = 0; k < p->count; k++) {
            PyObject *it = item_tuple(&dev->items[p->first + k]);
            if (it == NULL) {
                Py_DECREF(items);
                goto error;
            }
            PyList_SET_ITEM(items, (Py_ssize_t)k, it);
        }
        PyObject *d = Py_BuildValue("{s:s,s:N,s:(dddd)}", "type", p->type, "items", items,
                                    "rect", (double)p->rect.x0, (double)p->rect.y0,
                                    (double)p->rect.x1, (double)p->rect.y1);
        if (d == NULL)
            goto error;
        PyList_SET_ITEM(out, (Py_ssize_t)i, d);
        PyObject *c;
        if (p->has_fill) {
            if ((c = color_tuple(p->fill_n, p->fill)) == NULL || PyDict_SetItemString(d, "fill", c) < 0) {
                Py_XDECREF(c);
                goto error;
            }
            Py_DECREF(c);
        }
        if (p->has_stroke) {
            if ((c = color_tuple(p->stroke_n, p->stroke)) == NULL || PyDict_SetItemString(d, "color", c) < 0) {
                Py_XDECREF(c);
                goto error;
            }
            Py_DECREF(c);
        }
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

static PyObject *
font_names(TraceDevice *dev, fz_context *ctx)
{
    PyObject *out = PyList_New((Py_ssize_t)dev->n_fonts);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < dev->n_fonts; i++) {
        const char *name = display_name(fz_font_name(ctx, dev->fonts[i].font));
        /* as PyMuPDF decodes it: raw-unicode-escape, bad bytes replaced */
        PyObject *s = PyUnicode_DecodeRawUnicodeEscape(name, (Py_ssize_t)strlen(name), "replace");
        if (s == NULL) {
            PyErr_Clear();
            s = PyUnicode_FromString("");
            if (s == NULL) {
                Py_DECREF(out);
                return NULL;
            }
        }
        PyList_SET_ITEM(out, (Py_ssize_t)i, s);
    }
    return out;
}

/* ---- module functions ------------------------------------------------------------ */

static void *
address(PyObject *value)
{
    void *p = PyLong_AsVoidPtr(value);
    if (p == NULL && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "null address");
    return p;
}

PyDoc_STRVAR(trace_page_doc,
"trace_page(context, page) -> (spans, glyphs, fonts, drawings) | None\n\n"
"Run the page (fz_page address) once on MuPDF's context (fz_context address):\n"
"its packed text trace (bytes of PackedSpan, bytes of PackedGlyph, font names)\n"
"and its paths as get_cdrawings() dicts. None when a glyph has lost its Unicode\n"
"mapping (U+FFFD) or MuPDF raised an error: the caller then asks PyMuPDF.\n"
"MemoryError when a record could not be allocated.");

static PyObject *
trace_page(PyObject *self, PyObject *args)
{
    PyObject *ctx_arg, *page_arg;
    if (!PyArg_ParseTuple(args, "OO:trace_page", &ctx_arg, &page_arg))
        return NULL;
    fz_context *ctx = address(ctx_arg);
    if (ctx == NULL)
        return NULL;
    fz_page *page = address(page_arg);
    if (page == NULL)
        return NULL;
    TraceDevice *dev = NULL;
    int raised = 0;
    fz_var(dev);
    fz_try(ctx) {
        dev = (TraceDevice *)fz_new_device_of_size(ctx, sizeof(TraceDevice));
        dev->super.fill_text = dev_fill_text;
        dev->super.stroke_text = dev_stroke_text;
        dev->super.ignore_text = dev_ignore_text;
        dev->super.fill_path = dev_fill_path;
        dev->super.stroke_path = dev_stroke_path;
        fz_cookie cookie;
        memset(&cookie, 0, sizeof cookie);
        fz_run_page(ctx, page, &dev->super, fz_identity, &cookie);
        fz_close_device(ctx, &dev->super);
    }
    fz_catch(ctx) {
        fz_ignore_error(ctx); /* PyMuPDF reports it, reading the page again */
        raised = 1;
    }
    PyObject *result = NULL;
    if (dev == NULL) {
        result = Py_NewRef(Py_None);
    }
    else if (raised || dev->leaked || dev->declined) {
        result = Py_NewRef(Py_None);
    }
    else if (dev->failed) {
        PyErr_NoMemory();
    }
    else {
        PyObject *spans = PyBytes_FromStringAndSize((const char *)dev->spans,
                                                    (Py_ssize_t)(dev->n_spans * sizeof(PackedSpan)));
        PyObject *glyphs = PyBytes_FromStringAndSize((const char *)dev->glyphs,
                                                     (Py_ssize_t)(dev->n_glyphs * sizeof(PackedGlyph)));
        PyObject *fonts = font_names(dev, ctx);
        PyObject *drawings = drawings_list(dev);
        if (spans && glyphs && fonts && drawings)
            result = PyTuple_Pack(4, spans, glyphs, fonts, drawings);
        Py_XDECREF(spans);
        Py_XDECREF(glyphs);
        Py_XDECREF(fonts);
        Py_XDECREF(drawings);
    }
    if (dev != NULL) {
        free_results(ctx, dev);
        fz_drop_device(ctx, &dev->super);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"trace_page", trace_page, METH_VARARGS, trace_page_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pagetrace",
    "A page's glyphs and paths from one MuPDF run (see vnplans.pdf.reader).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__pagetrace(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "MUPDF_VERSION", FZ_VERSION) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
