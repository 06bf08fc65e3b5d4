/* The PDF reader's word builder in C: `vnplans.pdf.reader.words_from_trace` without
 * the per-glyph interpreter overhead.
 *
 * This is a line-for-line port of the pure-Python builder in reader.py, which stays
 * the reference (and the fallback): the same float comparisons in the same order,
 * the same text normalisation (NFC through `unicodedata.normalize`, ligatures through
 * `str.translate`), the same style function (`reader._style`, called from here). The
 * constants, the whitespace set, the ligature table and the `Word` class come from
 * reader.py through `configure()`, so nothing is defined twice.
 *
 * Two inputs: `build_words` takes the spans of `page.get_texttrace()` (or of the
 * text-layer repair), `build_packed_words` the packed records of `_pagetrace` (see
 * _trace.h). Both are read into the same C records first, and one glyph loop
 * (`collect`) builds the words.
 *
 * Input to `build_words` that is not exactly what `page.get_texttrace()` produces --
 * a dict subclass, a char that is not a 4-tuple, an int where a float is expected, a
 * code point out of range -- makes it return None, and the caller runs the Python
 * builder, which gives the authoritative answer (words or the exception). Everything
 * is read before any Python code (the configured callables) runs.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "_trace.h"

#ifndef Py_T_OBJECT_EX
#include "structmember.h"
#define Py_T_OBJECT_EX T_OBJECT_EX
#define Py_READONLY READONLY
#endif

/* ---- configuration (set once by reader.py) ---------------------------------- */

#define WORD_FIELDS 9 /* text, x0, y0, x1, y1, font, size, bold, italic */

static PyTypeObject *word_type = NULL;
static Py_ssize_t field_offsets[16];
static Py_ssize_t n_fields = 0;           /* all slots of Word, in field order */
static PyObject *field_defaults = NULL;   /* tuple: values of fields WORD_FIELDS.. */
static PyObject *style_fn = NULL;         /* reader._style(font, flags, size) */
static PyObject *turn_fn = NULL;          /* reader._turned_box(x0, y0, x1, y1, matrix) */
static PyObject *normalize_fn = NULL;     /* unicodedata.normalize */
static PyObject *nfc_name = NULL;         /* "NFC" */
static PyObject *ligature_table = NULL;   /* str.maketrans table */
static Py_UCS4 ligature_low = 1, ligature_high = 0;
static unsigned char *space_bits = NULL;  /* bitmap of whitespace code points */
static long space_limit = 0;
static double gap_em, shift_em, back_em;
static int configured = 0;
static PyObject *key_chars, *key_size, *key_font, *key_flags, *key_dir;

static int
is_space(long ucs)
{
    return ucs >= 0 && ucs < space_limit && (space_bits[ucs >> 3] >> (ucs & 7)) & 1;
}

/* ---- small growable buffers -------------------------------------------------- */

typedef struct {
    double box[4];    /* x0, y0, x1, y1 */
    PyObject *style;  /* (font, size, bold, italic) from style_fn (strong reference) */
} Pending;

typedef struct {
    Pending *words;
    Py_ssize_t n_words, cap_words;
    Py_UCS4 *codes;
    Py_ssize_t n_codes, cap_codes;
    Py_UCS4 max_code;
} Builder;

static void
builder_free(Builder *b)
{
    for (Py_ssize_t i = 0; i < b->n_words; i++)
        Py_XDECREF(b->words[i].style);
    PyMem_Free(b->words);
    PyMem_Free(b->codes);
}

/* Room for one more item in a growable array of `item_size` bytes per item holding
 * `n` items in `*cap` (doubled when full, `first` to begin with). */
static int
make_room(void **items, Py_ssize_t n, Py_ssize_t *cap, size_t item_size, Py_ssize_t first)
{
    if (n < *cap)
        return 0;
    Py_ssize_t grown = *cap ? *cap * 2 : first;
    void *moved = PyMem_Realloc(*items, (size_t)grown * item_size);
    if (moved == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *items = moved;
    *cap = grown;
    return 0;
}

static int
push_code(Builder *b, Py_UCS4 code)
{
    if (make_room((void **)&b->codes, b->n_codes, &b->cap_codes, sizeof(Py_UCS4), 1024) < 0)
        return -1;
    b->codes[b->n_codes++] = code;
    if (code > b->max_code)
        b->max_code = code;
    return 0;
}

/* Queue the word being built (box x0, y0, x1, y1) with its style, and end the word's
 * codes with a 0. */
static int
push_word(Builder *b, const double box[4], PyObject *style)
{
    if (make_room((void **)&b->words, b->n_words, &b->cap_words, sizeof(Pending), 256) < 0)
        return -1;
    Pending *w = &b->words[b->n_words++];
    memcpy(w->box, box, sizeof w->box);
    Py_INCREF(style);
    w->style = style;
    return push_code(b, 0);
}

/* ---- the glyph loop ------------------------------------------------------------ */

/* One span as the glyph loop reads it: its own font and flags objects (strong
 * references, passed to the style function) and its glyphs. */
typedef struct {
    PyObject *font, *flags;
    double size, dx, dy;
    const PackedGlyph *glyphs;
    Py_ssize_t n;
} Span;

typedef struct {
    Span *spans;
    Py_ssize_t n_spans, cap_spans;
    PackedGlyph *glyphs;          /* the glyphs read from a Python trace (else NULL) */
    Py_ssize_t n_glyphs, cap_glyphs;
} SpanList;

static void
span_list_free(SpanList *l)
{
    for (Py_ssize_t i = 0; i < l->n_spans; i++) {
        Py_XDECREF(l->spans[i].font);
        Py_XDECREF(l->spans[i].flags);
    }
    PyMem_Free(l->spans);
    PyMem_Free(l->glyphs);
}

static Span *
push_span(SpanList *l)
{
    if (make_room((void **)&l->spans, l->n_spans, &l->cap_spans, sizeof(Span), 64) < 0)
        return NULL;
    Span *s = &l->spans[l->n_spans++];
    memset(s, 0, sizeof *s);
    return s;
}

/* Writing directions, as reader._direction returns them:
 * (start index, stop index, baseline index, sign) into a glyph box/origin. */
static const int DIR_START[4] = {0, 2, 1, 3};
static const int DIR_STOP[4] = {2, 0, 3, 1};
static const int DIR_BASE[4] = {1, 1, 0, 0};
static const double DIR_SIGN[4] = {1.0, -1.0, 1.0, -1.0};

static int
direction_of(double dx, double dy)
{
    if (fabs(dx) >= fabs(dy))
        return dx >= 0 ? 0 : 1;
    return dy >= 0 ? 2 : 3;
}

/* The glyph loop of reader.python_words_from_trace over spans already read.
 * Returns 0 done, -1 error (exception set). */
static int
collect(Builder *bld, const Span *spans, Py_ssize_t n_spans)
{
    int result = -1;
    int in_word = 0;
    double box[4] = {0, 0, 0, 0};                /* the current word's x0, y0, x1, y1 */
    PyObject *style = NULL;                      /* strong */
    int direction = 0;
    double base = 0, end = 0, gap = 0, back = 0;
    const Span *previous = NULL;                 /* the previous span kept */
    PyObject *span_style = NULL;                 /* strong, per span */

    for (Py_ssize_t si = 0; si < n_spans; si++) {
        const Span *span = &spans[si];
        Py_ssize_t n = span->n;
        if (n == 0)
            continue;
        const PackedGlyph *g = span->glyphs;
        /* size = max(span["size"] or 0.0, 0.7 * abs(b0[3] - b0[1])) or 1.0 */
        double size = span->size;
        if (size == 0.0)
            size = 0.0; /* -0.0 is false in Python: `or 0.0` gives +0.0 */
        double measured = 0.7 * fabs(g[0].box[3] - g[0].box[1]);
        if (measured > size)
            size = measured;
        if (size == 0.0)
            size = 1.0;
        double ox = g[0].ox, oy = g[0].oy;
        /* Simulated bold draws the same text twice, a hair apart: keep it once. */
        if (previous != NULL && previous->n == n && previous->glyphs[0].ucs == g[0].ucs
                && previous->glyphs[n - 1].ucs == g[n - 1].ucs
                && fabs(previous->glyphs[0].ox - ox) < 0.15 * size
                && fabs(previous->glyphs[0].oy - oy) < 0.15 * size) {
            int same = 1;
            for (Py_ssize_t i = 0; i < n && same; i++)
                same = g[i].ucs == previous->glyphs[i].ucs;
            if (same)
                continue;
        }
        previous = span;

        PyObject *size_arg = PyFloat_FromDouble(size);
        if (size_arg == NULL)
            goto done;
        PyObject *args[3] = {span->font, span->flags, size_arg};
        Py_XSETREF(span_style, PyObject_Vectorcall(style_fn, args, 3, NULL));
        Py_DECREF(size_arg);
        if (span_style == NULL)
            goto done;

        int span_direction = direction_of(span->dx, span->dy);
        int ks = DIR_START[span_direction], ke = DIR_STOP[span_direction];
        double sign = DIR_SIGN[span_direction];
        double span_base = DIR_BASE[span_direction] == 0 ? ox : oy;
        if (in_word && (span_direction != direction || fabs(span_base - base) > shift_em * size)) {
            if (push_word(bld, box, style) < 0)
                goto done;
            in_word = 0;
        }
        if (!in_word) {
            Py_XSETREF(style, Py_NewRef(span_style));
            direction = span_direction;
            base = span_base;
        }
        double span_gap = gap_em * size;
        double span_back = back_em * size;
        for (Py_ssize_t i = 0; i < n; i++) {
            const double *b = g[i].box;
            long ucs = (long)g[i].ucs;
            if (is_space(ucs)) {
                if (in_word) {
                    if (push_word(bld, box, style) < 0)
                        goto done;
                    in_word = 0;
                }
                continue;
            }
            Py_UCS4 code = ucs > 0 ? (Py_UCS4)ucs : 0xFFFD;
            if (in_word) {
                double s = b[ks] * sign;
                if (s - end > gap || end - s > back) {
                    if (push_word(bld, box, style) < 0)
                        goto done;
                }
                else {
                    if (push_code(bld, code) < 0)
                        goto done;
                    if (b[0] < box[0])
                        box[0] = b[0];
                    if (b[1] < box[1])
                        box[1] = b[1];
                    if (b[2] > box[2])
                        box[2] = b[2];
                    if (b[3] > box[3])
                        box[3] = b[3];
                    double e = b[ke] * sign;
                    if (e > end)
                        end = e;
                    continue;
                }
            }
            /* The glyph starts a word. */
            in_word = 1;
            if (push_code(bld, code) < 0)
                goto done;
            memcpy(box, b, sizeof box);
            end = b[ke] * sign;
            Py_SETREF(style, Py_NewRef(span_style));
            direction = span_direction;
            base = DIR_BASE[span_direction] == 0 ? g[i].ox : g[i].oy; /* its own baseline */
            gap = span_gap;
            back = span_back;
        }
    }
    if (in_word && push_word(bld, box, style) < 0)
        goto done;
    result = 0;
done:
    Py_XDECREF(style);
    Py_XDECREF(span_style);
    return result;
}

/* ---- reading a Python trace ---------------------------------------------------- */

static int
read_float_pair(PyObject *pair, double *a, double *b)
{
    if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2)
        return 0;
    PyObject *x = PyTuple_GET_ITEM(pair, 0), *y = PyTuple_GET_ITEM(pair, 1);
    if (!PyFloat_CheckExact(x) || !PyFloat_CheckExact(y))
        return 0;
    *a = PyFloat_AS_DOUBLE(x);
    *b = PyFloat_AS_DOUBLE(y);
    return 1;
}

/* A trace glyph (ucs, gid, origin, bbox) into `out`; 0 when the glyph is not exactly
 * of that shape (the Python builder then decides). */
static int
read_char(PyObject *ch, PackedGlyph *out)
{
    if (!PyTuple_CheckExact(ch) || PyTuple_GET_SIZE(ch) != 4)
        return 0;
    PyObject *code = PyTuple_GET_ITEM(ch, 0);
    if (!PyLong_CheckExact(code))
        return 0;
    int overflow = 0;
    long ucs = PyLong_AsLongAndOverflow(code, &overflow);
    if (overflow || (ucs == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return 0;
    }
    if (ucs > 0x10FFFF)
        return 0; /* chr() would raise: let the Python builder raise it */
    out->ucs = ucs;
    out->gid = 0;
    PyObject *b = PyTuple_GET_ITEM(ch, 3);
    if (!PyTuple_CheckExact(b) || PyTuple_GET_SIZE(b) != 4)
        return 0;
    for (int k = 0; k < 4; k++) {
        PyObject *v = PyTuple_GET_ITEM(b, k);
        if (!PyFloat_CheckExact(v))
            return 0;
        out->box[k] = PyFloat_AS_DOUBLE(v);
    }
    return read_float_pair(PyTuple_GET_ITEM(ch, 2), &out->ox, &out->oy);
}

/* The spans of `page.get_texttrace()` (or of the text-layer repair) into `out`, every
 * value checked and copied before any Python code runs. Returns 1 done, 0
 * unsupported input, -1 error (exception set). */
static int
read_trace(PyObject *spans, SpanList *out)
{
    if (!PyList_CheckExact(spans) && !PyTuple_CheckExact(spans))
        return 0;
    Py_ssize_t n_spans = PySequence_Fast_GET_SIZE(spans);
    /* first pass: the glyphs (their array must not move once spans point into it) */
    Py_ssize_t total = 0;
    for (Py_ssize_t si = 0; si < n_spans; si++) {
        PyObject *span = PySequence_Fast_GET_ITEM(spans, si);
        if (!PyDict_CheckExact(span))
            return 0;
        PyObject *c = PyDict_GetItemWithError(span, key_chars);
        if (c == NULL && PyErr_Occurred())
            return -1;
        if (c == NULL || (!PyTuple_CheckExact(c) && !PyList_CheckExact(c)))
            return 0;
        total += PySequence_Fast_GET_SIZE(c);
    }
    out->glyphs = PyMem_Malloc((size_t)(total ? total : 1) * sizeof(PackedGlyph));
    if (out->glyphs == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    out->cap_glyphs = total;
    for (Py_ssize_t si = 0; si < n_spans; si++) {
        PyObject *span = PySequence_Fast_GET_ITEM(spans, si);
        PyObject *chars = PyDict_GetItemWithError(span, key_chars);
        if (chars == NULL)
            return PyErr_Occurred() ? -1 : 0;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(chars);
        if (n == 0)
            continue; /* the builder skips it unread */
        if (out->n_glyphs + n > out->cap_glyphs)
            return 0;
        PyObject **items = PySequence_Fast_ITEMS(chars);
        PackedGlyph *g = &out->glyphs[out->n_glyphs];
        for (Py_ssize_t i = 0; i < n; i++)
            if (!read_char(items[i], &g[i]))
                return 0;
        PyObject *size = PyDict_GetItemWithError(span, key_size);
        PyObject *font = PyDict_GetItemWithError(span, key_font);
        PyObject *flags = PyDict_GetItemWithError(span, key_flags);
        PyObject *dir = PyDict_GetItemWithError(span, key_dir);
        if (PyErr_Occurred())
            return -1;
        double dx, dy;
        if (size == NULL || !PyFloat_CheckExact(size) || font == NULL
                || !PyUnicode_CheckExact(font) || flags == NULL || !PyLong_CheckExact(flags)
                || dir == NULL || !read_float_pair(dir, &dx, &dy))
            return 0;
        Span *s = push_span(out);
        if (s == NULL)
            return -1;
        s->font = Py_NewRef(font);
        s->flags = Py_NewRef(flags);
        s->size = PyFloat_AS_DOUBLE(size);
        s->dx = dx;
        s->dy = dy;
        s->glyphs = g;
        s->n = n;
        out->n_glyphs += n;
    }
    return 1;
}

/* ---- words ------------------------------------------------------------------- */

/* The page's text, NFC-normalised once for all words (see reader._words). */
static PyObject *
page_text(Builder *bld)
{
    PyObject *text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, bld->codes, bld->n_codes);
    if (text == NULL || bld->max_code < 128)
        return text;
    PyObject *args[2] = {nfc_name, text};
    PyObject *nfc = PyObject_Vectorcall(normalize_fn, args, 2, NULL);
    Py_DECREF(text);
    if (nfc == NULL || !PyUnicode_Check(nfc)) {
        if (nfc != NULL) {
            PyErr_SetString(PyExc_TypeError, "normalize did not return a str");
            Py_DECREF(nfc);
        }
        return NULL;
    }
    int kind = PyUnicode_KIND(nfc);
    const void *data = PyUnicode_DATA(nfc);
    Py_ssize_t length = PyUnicode_GET_LENGTH(nfc);
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch >= ligature_low && ch <= ligature_high) {
            PyObject *key = PyLong_FromLong((long)ch);
            int found = key == NULL ? -1 : PyDict_Contains(ligature_table, key);
            Py_XDECREF(key);
            if (found < 0) {
                Py_DECREF(nfc);
                return NULL;
            }
            if (found) {
                PyObject *translated = PyObject_CallMethod(nfc, "translate", "O", ligature_table);
                Py_DECREF(nfc);
                return translated;
            }
        }
    }
    return nfc;
}

/* MuPDF's fz_transform_rect (what `pymupdf.Rect * Matrix` runs) for the page
 * rotation matrices (a, b, c, d each 0 or +-1): single-precision arithmetic, the
 * same operations in the same order. Returns 0 when the box or matrix is outside
 * that case; the caller then asks PyMuPDF itself. */
static int
turn_box(const double m[6], double box[4])
{
    for (int k = 0; k < 4; k++)
        if (!(fabs(box[k]) <= 1e7))
            return 0;
    if (!(box[0] <= box[2] && box[1] <= box[3]))
        return 0;
    float a = (float)m[0], b = (float)m[1], c = (float)m[2], d = (float)m[3];
    float e = (float)m[4], f = (float)m[5];
    float x0 = (float)box[0], y0 = (float)box[1], x1 = (float)box[2], y1 = (float)box[3];
    float t;
    if (fabsf(b) < FLT_EPSILON && fabsf(c) < FLT_EPSILON) {
        if (a < 0) {
            t = x0; x0 = x1; x1 = t;
        }
        if (d < 0) {
            t = y0; y0 = y1; y1 = t;
        }
    }
    else if (fabsf(a) < FLT_EPSILON && fabsf(d) < FLT_EPSILON) {
        if (b < 0) {
            t = x0; x0 = x1; x1 = t;
        }
        if (c < 0) {
            t = y0; y0 = y1; y1 = t;
        }
    }
    else
        return 0;
    volatile float p0 = x0 * a, p1 = y0 * c, p2 = x0 * b, p3 = y0 * d;
    volatile float q0 = x1 * a, q1 = y1 * c, q2 = x1 * b, q3 = y1 * d;
    float sx = p0 + p1 + e, sy = p2 + p3 + f;
    float tx = q0 + q1 + e, ty = q2 + q3 + f;
    box[0] = sx;
    box[1] = sy;
    box[2] = tx;
    box[3] = ty;
    return 1;
}

static int
is_rotation(const double m[6])
{
    for (int k = 0; k < 4; k++)
        if (m[k] != 0.0 && m[k] != 1.0 && m[k] != -1.0)
            return 0;
    return fabs(m[4]) <= 1e7 && fabs(m[5]) <= 1e7;
}

static PyObject *
make_word(PyObject *text, PyObject *box[4], PyObject *style)
{
    if (!PyTuple_CheckExact(style) || PyTuple_GET_SIZE(style) != 4) {
        PyErr_SetString(PyExc_TypeError, "the style function must return a 4-tuple");
        return NULL;
    }
    PyObject *word = word_type->tp_alloc(word_type, 0);
    if (word == NULL)
        return NULL;
    PyObject *values[16];
    values[0] = text;
    for (int k = 0; k < 4; k++) {
        values[1 + k] = box[k];
        values[5 + k] = PyTuple_GET_ITEM(style, k);
    }
    for (Py_ssize_t k = WORD_FIELDS; k < n_fields; k++)
        values[k] = PyTuple_GET_ITEM(field_defaults, k - WORD_FIELDS);
    for (Py_ssize_t k = 0; k < n_fields; k++) {
        PyObject **slot = (PyObject **)((char *)word + field_offsets[k]);
        Py_XSETREF(*slot, Py_NewRef(values[k]));
    }
    return word;
}

/* Four float objects of `values` into `out` (all set, or none and -1). */
static int
float_objects(const double values[4], PyObject *out[4])
{
    for (int k = 0; k < 4; k++) {
        if ((out[k] = PyFloat_FromDouble(values[k])) == NULL) {
            for (int j = 0; j < k; j++)
                Py_CLEAR(out[j]);
            return -1;
        }
    }
    return 0;
}

/* The box turned by `matrix` through reader._turned_box (PyMuPDF itself), into `out`
 * as four new references; -1 with an exception set. */
static int
turned_in_python(const double box[4], PyObject *matrix, PyObject *out[4])
{
    PyObject *args[5] = {NULL, NULL, NULL, NULL, matrix};
    if (float_objects(box, args) < 0)
        return -1;
    PyObject *r = PyObject_Vectorcall(turn_fn, args, 5, NULL);
    for (int k = 0; k < 4; k++)
        Py_DECREF(args[k]);
    if (r == NULL)
        return -1;
    if (!PyTuple_CheckExact(r) || PyTuple_GET_SIZE(r) != 4) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_TypeError, "the box turner must return a 4-tuple");
        return -1;
    }
    for (int k = 0; k < 4; k++)
        out[k] = Py_NewRef(PyTuple_GET_ITEM(r, k));
    Py_DECREF(r);
    return 0;
}

static PyObject *
make_words(Builder *bld, PyObject *matrix, const double *m)
{
    PyObject *text = page_text(bld);
    if (text == NULL)
        return NULL;
    PyObject *words = PyList_New(bld->n_words);
    if (words == NULL) {
        Py_DECREF(text);
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text), start = 0, index = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (PyUnicode_READ(kind, data, i) != 0)
            continue;
        if (index >= bld->n_words)
            goto mismatch;
        PyObject *word_text = PyUnicode_Substring(text, start, i);
        if (word_text == NULL)
            goto error;
        start = i + 1;
        Pending *w = &bld->words[index];
        PyObject *box[4] = {NULL, NULL, NULL, NULL};
        double values[4];
        memcpy(values, w->box, sizeof values);
        int ok;
        if (matrix == Py_None || (m != NULL && turn_box(m, values)))
            ok = float_objects(values, box) == 0;
        else
            ok = turned_in_python(w->box, matrix, box) == 0;
        PyObject *word = ok ? make_word(word_text, box, w->style) : NULL;
        for (int k = 0; k < 4; k++)
            Py_XDECREF(box[k]);
        Py_DECREF(word_text);
        if (word == NULL)
            goto error;
        PyList_SET_ITEM(words, index, word);
        index++;
    }
    if (index != bld->n_words || start != length)
        goto mismatch;
    Py_DECREF(text);
    return words;
mismatch:
    PyErr_SetString(PyExc_ValueError, "word texts and boxes differ in number");
error:
    /* unfilled list items are NULL, which list deallocation skips */
    Py_DECREF(words);
    Py_DECREF(text);
    return NULL;
}

/* ---- module functions -------------------------------------------------------- */

PyDoc_STRVAR(build_words_doc,
"build_words(spans, matrix, matrix_values) -> list[Word] | None\n\n"
"reader.words_from_trace in C; None when the input is not plain trace data\n"
"(the caller then runs the Python builder). `matrix_values` is tuple(matrix)\n"
"or None.");

/* The rotation `matrix` as six doubles in `m` when it is one MuPDF turns boxes by
 * exactly as `turn_box` does; NULL otherwise (boxes are then turned in Python). */
static const double *
rotation_of(PyObject *matrix, PyObject *values, double m[6])
{
    if (matrix == Py_None || !PyTuple_CheckExact(values) || PyTuple_GET_SIZE(values) != 6)
        return NULL;
    for (int k = 0; k < 6; k++) {
        PyObject *v = PyTuple_GET_ITEM(values, k);
        if (!PyFloat_CheckExact(v))
            return NULL;
        m[k] = PyFloat_AS_DOUBLE(v);
    }
    return is_rotation(m) ? m : NULL;
}

/* Words of the spans in `spans`, boxes turned by `matrix`. */
static PyObject *
words_of(SpanList *spans, PyObject *matrix, PyObject *values)
{
    double m[6];
    const double *rotation = rotation_of(matrix, values, m);
    Builder bld;
    memset(&bld, 0, sizeof bld);
    PyObject *words = NULL;
    if (collect(&bld, spans->spans, spans->n_spans) == 0)
        words = make_words(&bld, matrix, rotation);
    builder_free(&bld);
    return words;
}

/* The builder functions' common checks: the number of arguments, configure() done. */
static int
check_call(const char *name, Py_ssize_t nargs, Py_ssize_t expected)
{
    if (nargs != expected) {
        PyErr_Format(PyExc_TypeError, "%s takes %zd arguments", name, expected);
        return -1;
    }
    if (!configured) {
        PyErr_SetString(PyExc_RuntimeError, "configure() was not called");
        return -1;
    }
    return 0;
}

static PyObject *
build_words(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_call("build_words", nargs, 3) < 0)
        return NULL;
    SpanList spans;
    memset(&spans, 0, sizeof spans);
    PyObject *words = NULL;
    int status = read_trace(args[0], &spans);
    if (status > 0)
        words = words_of(&spans, args[1], args[2]);
    else if (status == 0)
        words = Py_NewRef(Py_None);
    span_list_free(&spans);
    return words;
}

PyDoc_STRVAR(build_packed_words_doc,
"build_packed_words(spans, glyphs, fonts, matrix, matrix_values) -> list[Word]\n\n"
"reader.words_from_trace for a packed trace (see _trace.h): `spans` and `glyphs`\n"
"are bytes of PackedSpan and PackedGlyph records, `fonts` the list of font names\n"
"the spans index.");

static PyObject *
build_packed_words(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (check_call("build_packed_words", nargs, 5) < 0)
        return NULL;
    PyObject *span_bytes = args[0], *glyph_bytes = args[1], *fonts = args[2];
    if (!PyBytes_CheckExact(span_bytes) || !PyBytes_CheckExact(glyph_bytes)
            || !PyList_CheckExact(fonts)
            || PyBytes_GET_SIZE(span_bytes) % sizeof(PackedSpan)
            || PyBytes_GET_SIZE(glyph_bytes) % sizeof(PackedGlyph)) {
        PyErr_SetString(PyExc_TypeError, "not a packed trace");
        return NULL;
    }
    const PackedSpan *packed = (const PackedSpan *)PyBytes_AS_STRING(span_bytes);
    const PackedGlyph *glyphs = (const PackedGlyph *)PyBytes_AS_STRING(glyph_bytes);
    Py_ssize_t n_spans = PyBytes_GET_SIZE(span_bytes) / (Py_ssize_t)sizeof(PackedSpan);
    Py_ssize_t n_glyphs = PyBytes_GET_SIZE(glyph_bytes) / (Py_ssize_t)sizeof(PackedGlyph);
    SpanList spans;
    memset(&spans, 0, sizeof spans);
    PyObject *words = NULL;
    for (Py_ssize_t i = 0; i < n_spans; i++) {
        const PackedSpan *p = &packed[i];
        if (p->font < 0 || p->font >= PyList_GET_SIZE(fonts) || p->first < 0 || p->count < 0
                || p->first > n_glyphs || p->count > n_glyphs - p->first) {
            PyErr_SetString(PyExc_ValueError, "packed span out of range");
            goto done;
        }
        Span *s = push_span(&spans);
        if (s == NULL)
            goto done;
        s->font = Py_NewRef(PyList_GET_ITEM(fonts, p->font));
        if ((s->flags = PyLong_FromLongLong(p->flags)) == NULL)
            goto done;
        s->size = p->size;
        s->dx = p->dx;
        s->dy = p->dy;
        s->glyphs = &glyphs[p->first];
        s->n = (Py_ssize_t)p->count;
    }
    /* the bytes objects stay alive (arguments) while the spans point into them */
    words = words_of(&spans, args[3], args[4]);
done:
    span_list_free(&spans);
    return words;
}

PyDoc_STRVAR(has_leaked_doc,
"has_leaked(spans) -> bool | None\n\n"
"Does a glyph of the trace have the code point U+FFFD? None when the input is\n"
"not plain trace data.");

static PyObject *
has_leaked(PyObject *self, PyObject *spans)
{
    if (!PyList_CheckExact(spans) && !PyTuple_CheckExact(spans))
        Py_RETURN_NONE;
    Py_ssize_t n_spans = PySequence_Fast_GET_SIZE(spans);
    for (Py_ssize_t si = 0; si < n_spans; si++) {
        PyObject *span = PySequence_Fast_GET_ITEM(spans, si);
        if (!PyDict_CheckExact(span))
            Py_RETURN_NONE;
        PyObject *chars = PyDict_GetItemWithError(span, key_chars);
        if (chars == NULL && PyErr_Occurred())
            return NULL;
        if (chars == NULL || (!PyTuple_CheckExact(chars) && !PyList_CheckExact(chars)))
            Py_RETURN_NONE;
        Py_ssize_t n = PySequence_Fast_GET_SIZE(chars);
        PyObject **items = PySequence_Fast_ITEMS(chars);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *ch = items[i];
            if (!PyTuple_CheckExact(ch) || PyTuple_GET_SIZE(ch) < 1)
                Py_RETURN_NONE;
            PyObject *code = PyTuple_GET_ITEM(ch, 0);
            if (!PyLong_CheckExact(code))
                Py_RETURN_NONE;
            int overflow = 0;
            long ucs = PyLong_AsLongAndOverflow(code, &overflow);
            if (ucs == 0xFFFD)
                Py_RETURN_TRUE;
            if (ucs == -1 && PyErr_Occurred())
                return NULL;
        }
    }
    Py_RETURN_FALSE;
}

PyDoc_STRVAR(configure_doc,
"configure(word_type, members, defaults, style, turn, normalize, ligatures,\n"
"          spaces, gap_em, shift_em, back_em)\n\n"
"Set what reader.py defines: the Word class and its field descriptors (in\n"
"field order; the first 9 are filled by the builder, the rest from `defaults`),\n"
"the style function, the box turner, unicodedata.normalize, the ligature\n"
"translation table, the whitespace code points and the spacing constants.");

static PyObject *
configure(PyObject *self, PyObject *args)
{
    PyObject *type, *members, *defaults, *style, *turn, *normalize, *ligatures, *spaces;
    double g, s, bk;
    if (!PyArg_ParseTuple(args, "O!O!O!OOOO!Oddd:configure", &PyType_Type, &type,
                          &PyTuple_Type, &members, &PyTuple_Type, &defaults, &style, &turn,
                          &normalize, &PyDict_Type, &ligatures, &spaces, &g, &s, &bk))
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(members);
    if (n < WORD_FIELDS || n > 16 || PyTuple_GET_SIZE(defaults) != n - WORD_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "unexpected number of Word fields or defaults");
        return NULL;
    }
    if (!PyCallable_Check(style) || !PyCallable_Check(turn) || !PyCallable_Check(normalize)) {
        PyErr_SetString(PyExc_TypeError, "style, turn and normalize must be callable");
        return NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)type;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *d = PyTuple_GET_ITEM(members, k);
        if (!Py_IS_TYPE(d, &PyMemberDescr_Type)) {
            PyErr_SetString(PyExc_TypeError, "Word fields must be slots");
            return NULL;
        }
        PyMemberDescrObject *md = (PyMemberDescrObject *)d;
        PyMemberDef *def = md->d_member;
        if (md->d_common.d_type != tp && !PyType_IsSubtype(tp, md->d_common.d_type)) {
            PyErr_SetString(PyExc_TypeError, "a slot of another class");
            return NULL;
        }
        if (def->type != Py_T_OBJECT_EX || (def->flags & Py_READONLY) || def->offset <= 0
                || (size_t)def->offset + sizeof(PyObject *) > (size_t)tp->tp_basicsize) {
            PyErr_SetString(PyExc_TypeError, "Word fields must be writable object slots");
            return NULL;
        }
        field_offsets[k] = def->offset;
    }
    /* the whitespace set as a bitmap */
    PyObject *it = PyObject_GetIter(spaces);
    if (it == NULL)
        return NULL;
    long high = -1;
    PyObject *item;
    PyObject *codes = PyList_New(0);
    if (codes == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    while ((item = PyIter_Next(it)) != NULL) {
        long v = PyLong_AsLong(item);
        if ((v == -1 && PyErr_Occurred()) || v < 0 || v > 0x10FFFF || PyList_Append(codes, item) < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "spaces must be code points");
            Py_DECREF(item);
            Py_DECREF(it);
            Py_DECREF(codes);
            return NULL;
        }
        if (v > high)
            high = v;
        Py_DECREF(item);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_DECREF(codes);
        return NULL;
    }
    unsigned char *bits = PyMem_Calloc((size_t)(high + 1) / 8 + 1, 1);
    if (bits == NULL) {
        Py_DECREF(codes);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(codes); i++) {
        long v = PyLong_AsLong(PyList_GET_ITEM(codes, i));
        bits[v >> 3] |= (unsigned char)(1 << (v & 7));
    }
    Py_DECREF(codes);
    /* the ligature table's key range (a quick pre-check before the dict lookup) */
    Py_UCS4 low = 0x10FFFF, top = 0;
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(ligatures, &pos, &key, &value)) {
        long v = PyLong_AsLong(key);
        if (v == -1 && PyErr_Occurred()) {
            PyMem_Free(bits);
            return NULL;
        }
        if (v < 0 || v > 0x10FFFF) {
            PyMem_Free(bits);
            PyErr_SetString(PyExc_ValueError, "ligature keys must be code points");
            return NULL;
        }
        if ((Py_UCS4)v < low)
            low = (Py_UCS4)v;
        if ((Py_UCS4)v > top)
            top = (Py_UCS4)v;
    }
    PyObject *nfc = PyUnicode_FromString("NFC");
    if (nfc == NULL) {
        PyMem_Free(bits);
        return NULL;
    }
    PyMem_Free(space_bits);
    space_bits = bits;
    space_limit = high + 1;
    Py_XSETREF(word_type, (PyTypeObject *)Py_NewRef(type));
    n_fields = n;
    Py_XSETREF(field_defaults, Py_NewRef(defaults));
    Py_XSETREF(style_fn, Py_NewRef(style));
    Py_XSETREF(turn_fn, Py_NewRef(turn));
    Py_XSETREF(normalize_fn, Py_NewRef(normalize));
    Py_XSETREF(nfc_name, nfc);
    Py_XSETREF(ligature_table, Py_NewRef(ligatures));
    ligature_low = PyDict_GET_SIZE(ligatures) ? low : 1;
    ligature_high = PyDict_GET_SIZE(ligatures) ? top : 0;
    gap_em = g;
    shift_em = s;
    back_em = bk;
    configured = 1;
    Py_RETURN_NONE;
}

PyDoc_STRVAR(turn_box_doc,
"turn_box(x0, y0, x1, y1, matrix_values) -> tuple | None\n\n"
"The box turned as MuPDF turns it, or None outside the rotation-matrix case\n"
"(for tests).");

static PyObject *
turn_box_py(PyObject *self, PyObject *args)
{
    double box[4], m[6];
    if (!PyArg_ParseTuple(args, "dddd(dddddd):turn_box", &box[0], &box[1], &box[2], &box[3],
                          &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]))
        return NULL;
    if (!is_rotation(m) || !turn_box(m, box))
        Py_RETURN_NONE;
    return Py_BuildValue("(dddd)", box[0], box[1], box[2], box[3]);
}

static PyMethodDef methods[] = {
    {"build_words", (PyCFunction)(void (*)(void))build_words, METH_FASTCALL, build_words_doc},
    {"build_packed_words", (PyCFunction)(void (*)(void))build_packed_words, METH_FASTCALL,
     build_packed_words_doc},
    {"has_leaked", has_leaked, METH_O, has_leaked_doc},
    {"configure", configure, METH_VARARGS, configure_doc},
    {"turn_box", turn_box_py, METH_VARARGS, turn_box_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_wordbuilder",
    "The PDF reader's word builder in C (see vnplans.pdf.reader).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__wordbuilder(void)
{
    key_chars = PyUnicode_InternFromString("chars");
    key_size = PyUnicode_InternFromString("size");
    key_font = PyUnicode_InternFromString("font");
    key_flags = PyUnicode_InternFromString("flags");
    key_dir = PyUnicode_InternFromString("dir");
    if (!key_chars || !key_size || !key_font || !key_flags || !key_dir)
        return NULL;
    return PyModule_Create(&module);
}
