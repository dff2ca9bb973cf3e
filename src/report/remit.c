/* SPDX-License-Identifier: MIT */
/*
 * Remittance to one payee: the CSV list for a clerk's books and the PDF
 * letter that goes with the payments.  The letter is laid out twice with the
 * same code: a dry run that only measures, to know how many pages there
 * are ("page 2 of 5"), then the real run that draws.
 */
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "homeward/buf.h"
#include "homeward/csv.h"
#include "homeward/date.h"
#include "homeward/remit.h"
#include "homeward/text.h"

static const char *str(const char *s)
{
    return s ? s : "";
}

/* Amounts are > 0 and their sum fits: the total row and the letter must add up exactly. */
static hw_code check_lines(const hw_remit *r, int64_t *total, hw_err *e)
{
    int64_t sum = 0;

    if (!r || (r->n && !r->lines))
        return hw_fail(e, HW_EINVAL, NULL, "remittance: no lines given");
    for (size_t i = 0; i < r->n; i++) {
        int64_t c = r->lines[i].amount_cents;

        if (c <= 0)
            return hw_fail(e, HW_EINVAL, "amount_cents",
                           "remittance line %zu (obligation %" PRId64
                           "): amount not above zero: %" PRId64,
                           i + 1, r->lines[i].obligation_id, c);
        if (c > INT64_MAX - sum)
            return hw_fail(e, HW_EINVAL, "amount_cents",
                           "remittance line %zu (obligation %" PRId64 "): total too large", i + 1,
                           r->lines[i].obligation_id);
        sum += c;
    }
    *total = sum;
    return HW_OK;
}

/* "412.00": plain dollars for a spreadsheet (no "$", no separators). */
static void dollars(int64_t cents, char *out, size_t size)
{
    snprintf(out, size, "%" PRId64 ".%02d", cents / 100, (int)(cents % 100));
}

/* ---- CSV ---- */

static hw_code put_int(hw_buf *b, int64_t v, bool first, hw_err *e)
{
    char s[24];
    int n = snprintf(s, sizeof(s), "%" PRId64, v);

    return hw_csv_put(b, s, (size_t)n, first, e);
}

static hw_code put_text(hw_buf *b, const char *s, hw_err *e)
{
    s = str(s);
    return hw_csv_put(b, s, strlen(s), false, e);
}

static hw_code csv_line(hw_buf *b, const hw_remit_line *l, hw_err *e)
{
    char amount[32];
    hw_code rc;

    dollars(l->amount_cents, amount, sizeof(amount));
    if ((rc = put_int(b, l->person_id, true, e)) || (rc = put_text(b, l->person_name, e)) ||
        (rc = put_text(b, l->case_number, e)) || (rc = put_int(b, l->obligation_id, false, e)) ||
        (rc = put_text(b, l->kind, e)) || (rc = put_text(b, l->description, e)) ||
        (rc = put_text(b, amount, e)) || (rc = put_int(b, l->amount_cents, false, e)) ||
        (rc = put_int(b, l->fund_id, false, e)) || (rc = put_text(b, l->fund_name, e)) ||
        (rc = put_text(b, l->reference, e)))
        return rc;
    return hw_buf_append(b, "\r\n", 2, e);
}

static hw_code flush_rows(hw_buf *b, FILE *f, hw_err *e)
{
    if (b->n && fwrite(b->p, 1, b->n, f) != b->n)
        return hw_fail_errno(e, HW_EIO, "remittance csv: cannot write");
    hw_buf_clear(b);
    return HW_OK;
}

hw_code hw_remit_write_csv(const hw_remit *r, FILE *f, hw_err *e)
{
    static const char head[] = "person_id,person_name,case_number,obligation_id,kind,description,"
                               "amount,amount_cents,fund_id,fund_name,reference\r\n";
    hw_buf b = HW_BUF_INIT(0);
    int64_t total = 0;
    char amount[32];
    hw_code rc;

    if ((rc = check_lines(r, &total, e)))
        return rc;
    if ((rc = hw_buf_append(&b, head, sizeof(head) - 1, e)))
        goto out;
    for (size_t i = 0; i < r->n; i++) {
        if ((rc = csv_line(&b, &r->lines[i], e)))
            goto out;
        if (b.n >= 1u << 16 && (rc = flush_rows(&b, f, e)))
            goto out;
    }
    dollars(total, amount, sizeof(amount));
    if ((rc = hw_buf_printf(&b, e, "total,,,,,,%s,%" PRId64 ",,,\r\n", amount, total)) ||
        (rc = flush_rows(&b, f, e)))
        goto out;
    if (fflush(f) != 0 || ferror(f))
        rc = hw_fail_errno(e, HW_EIO, "remittance csv: cannot write");
out:
    hw_buf_release(&b);
    return rc;
}

/* ---- the total in words, as on a cheque ---- */

static const char *const small_words[] = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens_words[] = {"",      "",      "twenty",  "thirty", "forty",
                                         "fifty", "sixty", "seventy", "eighty", "ninety"};
static const char *const scale_words[] = {"",          " thousand",    " million",    " billion",
                                          " trillion", " quadrillion", " quintillion"};

/* 1 to 999: "four hundred twelve", "thirty-four". */
static hw_code words_999(hw_buf *b, unsigned n, hw_err *e)
{
    hw_code rc = HW_OK;

    if (n >= 100) {
        rc = hw_buf_printf(b, e, "%s hundred%s", small_words[n / 100], n % 100 ? " " : "");
        n %= 100;
    }
    if (rc || n == 0)
        return rc;
    if (n < 20)
        return hw_buf_printf(b, e, "%s", small_words[n]);
    return hw_buf_printf(b, e, "%s%s%s", tens_words[n / 10], n % 10 ? "-" : "",
                         n % 10 ? small_words[n % 10] : "");
}

/* "Four hundred twelve dollars and 00 cents" for 41200 (cents >= 0). */
static hw_code amount_words(hw_buf *b, int64_t cents, hw_err *e)
{
    uint64_t whole = (uint64_t)cents / 100;
    unsigned groups[HW_ARRAY_LEN(scale_words)];
    size_t ng = 0, start = b->n;
    hw_code rc = HW_OK;

    for (uint64_t v = whole; v; v /= 1000)
        groups[ng++] = (unsigned)(v % 1000);
    if (ng == 0)
        rc = hw_buf_printf(b, e, "zero");
    for (size_t i = ng; i-- > 0 && !rc;) {
        if (groups[i] == 0)
            continue;
        if (b->n > start)
            rc = hw_buf_putc(b, ' ', e);
        if (!rc)
            rc = words_999(b, groups[i], e);
        if (!rc)
            rc = hw_buf_printf(b, e, "%s", scale_words[i]);
    }
    if (!rc)
        rc = hw_buf_printf(b, e, " dollar%s and %02d cents", whole == 1 ? "" : "s",
                           (int)(cents % 100));
    if (!rc && b->p[start] >= 'a' && b->p[start] <= 'z')
        b->p[start] = (char)(b->p[start] - 'a' + 'A');
    return rc;
}

/* ---- the letter ---- */

/* US Letter in points; content between the margins, the footer below it. */
#define PAGE_W 612.0
#define PAGE_H 792.0
#define MARGIN 40.0
#define LEFT MARGIN
#define RIGHT (PAGE_W - MARGIN)
#define WIDTH (RIGHT - LEFT)
#define TOP 50.0
#define BOTTOM (PAGE_H - 68.0) /* nothing of the content goes below this */
#define FOOT (PAGE_H - 52.0)   /* the footer's rule */
#define VPAD 3.5               /* above and below the text of a table row */
#define PAD 5.0                /* left and right of the text of a table cell */
#define CELL_LINES 2           /* a name longer than its column wraps once, then is cut */
#define KIND_MAX 80.0          /* a wider kind is cut */
#define CASE_MAX 135.0         /* case numbers rarely break: room for the longest docket number */
#define FUND_MIN 60.0          /* the least the fund's column gets, room allowing */
#define NAMES_MIN 150.0        /* the person's and fund's columns together, at least */
#define SHRUNK_MIN 45.0        /* what a case number or kind column keeps to make room */
#define KEEP_ROWS 3            /* table rows that go to the last page with the total */

enum { F_TITLE, F_SUB, F_BODY, F_BOLD, F_NAME, F_SMALL, F_CELL, F_CELL_BOLD, F_HEAD, NFONTS };
static const char *const font_names[NFONTS] = {
    "DejaVu Sans Bold 15",  "DejaVu Sans 8.5",     "DejaVu Sans 9.5",
    "DejaVu Sans Bold 9.5", "DejaVu Sans Bold 11", "DejaVu Sans 7.5",
    "DejaVu Sans 8",        "DejaVu Sans Bold 8",  "DejaVu Sans Bold 7.5"};

enum { C_PERSON, C_CASE, C_OBLIGATION, C_KIND, C_FUND, C_AMOUNT, C_RUNNING, NCOLS };
/* The columns of text, which may wrap; the others hold numbers. */
static const int text_cols[] = {C_PERSON, C_CASE, C_KIND, C_FUND};
#define NTEXT HW_ARRAY_LEN(text_cols)

typedef struct column {
    const char *head;
    bool right; /* numbers: right-aligned, never cut */
    double x, w;
} column;

typedef struct rgb {
    double r, g, b;
} rgb;

static const rgb ink = {0.12, 0.13, 0.15};
static const rgb grey = {0.40, 0.42, 0.46};
static const rgb accent = {0.11, 0.23, 0.38};
static const rgb head_fill = {0.89, 0.92, 0.95};
static const rgb stripe = {0.955, 0.963, 0.972};
static const rgb hairline = {0.72, 0.75, 0.79};

typedef struct doc {
    const hw_remit *r;
    cairo_t *cr;
    PangoFontMap *fonts;
    PangoLayout *lay;
    PangoFontDescription *font[NFONTS];
    bool dry; /* measure only */
    int page, pages;
    double y;
    double line_h; /* one line of F_CELL */
    column col[NCOLS];
    double *natural; /* per line, the one-line widths of its NTEXT text cells */
    int64_t total;
    char total_text[32];                          /* "$412.00" */
    char date_text[32];                           /* "May 1, 2024" */
    hw_buf intro, words, foot, cont, count, sign; /* made by doc_texts() */
} doc;

/*
 * Lay out `s`: width w (0: as wide as it is), at most `lines` lines (0: any
 * number, and a line break in s is one), cut with "...".
 */
static void set_text(doc *d, int font, const char *s, double w, int lines, bool right)
{
    PangoLayout *l = d->lay;

    pango_layout_set_font_description(l, d->font[font]);
    pango_layout_set_width(l, w > 0 ? (int)(w * PANGO_SCALE) : -1);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_single_paragraph_mode(l, lines > 0);
    pango_layout_set_ellipsize(l, w > 0 && lines > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    pango_layout_set_height(l, lines > 0 ? -lines : -1);
    pango_layout_set_alignment(l, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    pango_layout_set_text(l, s, -1);
}

static double text_width(doc *d, int font, const char *s)
{
    int w, h;

    set_text(d, font, s, 0, 0, false);
    pango_layout_get_size(d->lay, &w, &h);
    return (double)w / PANGO_SCALE;
}

/* The width of `s` on one line of a table cell, as cell() would set it. */
static double cell_width(doc *d, const char *s)
{
    int w, h;

    set_text(d, F_CELL, s, 0, 1, false);
    pango_layout_get_size(d->lay, &w, &h);
    return (double)w / PANGO_SCALE;
}

/*
 * Draw `s` with its top at y: from x, or ending at x when right-aligned
 * (then never cut).  Returns its height; a dry run only measures.
 */
static double put(doc *d, int font, rgb c, const char *s, double x, double y, double w, int lines,
                  bool right)
{
    int pw, ph;

    set_text(d, font, s, right ? 0 : w, right ? 0 : lines, right);
    pango_layout_get_size(d->lay, &pw, &ph);
    if (!d->dry) {
        cairo_set_source_rgb(d->cr, c.r, c.g, c.b);
        cairo_move_to(d->cr, right ? x - (double)pw / PANGO_SCALE : x, y);
        pango_cairo_show_layout(d->cr, d->lay);
    }
    return (double)ph / PANGO_SCALE;
}

static void fill(doc *d, rgb c, double x, double y, double w, double h)
{
    if (d->dry)
        return;
    cairo_set_source_rgb(d->cr, c.r, c.g, c.b);
    cairo_rectangle(d->cr, x, y, w, h);
    cairo_fill(d->cr);
}

static void hrule(doc *d, rgb c, double x0, double x1, double y, double width)
{
    if (d->dry)
        return;
    cairo_set_source_rgb(d->cr, c.r, c.g, c.b);
    cairo_set_line_width(d->cr, width);
    cairo_move_to(d->cr, x0, y);
    cairo_line_to(d->cr, x1, y);
    cairo_stroke(d->cr);
}

/* One table cell of the row whose top is y; returns the text's height. */
static double cell(doc *d, int c, int font, const char *s, double y, int lines)
{
    const column *k = &d->col[c];

    if (k->right)
        return put(d, font, ink, s, k->x + k->w - PAD, y + VPAD, 0, 1, true);
    return put(d, font, ink, s, k->x + PAD, y + VPAD, k->w - 2 * PAD, lines, false);
}

/* The column heads, on a tint, their text at the foot of the head ("Running" over "total"). */
static void table_head(doc *d)
{
    bool dry = d->dry;
    double h = 0, th[NCOLS];

    d->dry = true;
    for (int c = 0; c < NCOLS; c++)
        h = fmax(h, th[c] = cell(d, c, F_HEAD, d->col[c].head, 0, 0));
    d->dry = dry;
    fill(d, head_fill, LEFT, d->y, WIDTH, h + 2 * VPAD + 1);
    for (int c = 0; c < NCOLS; c++)
        cell(d, c, F_HEAD, d->col[c].head, d->y + 1 + h - th[c], 0);
    d->y += h + 2 * VPAD + 1;
    hrule(d, accent, LEFT, RIGHT, d->y, 0.8);
    d->y += 0.5;
}

static void footer(doc *d)
{
    char n[48];

    snprintf(n, sizeof(n), "page %d of %d", d->page, d->pages);
    hrule(d, hairline, LEFT, RIGHT, FOOT, 0.5);
    put(d, F_SMALL, grey, n, RIGHT, FOOT + 5, 0, 1, true);
    put(d, F_SMALL, grey, d->foot.p, LEFT, FOOT + 5, WIDTH - text_width(d, F_SMALL, n) - 24, 1,
        false);
}

/* Finish this page and start the next, with its short heading and, if asked, the table's. */
static void next_page(doc *d, bool with_table)
{
    double h;

    footer(d);
    if (!d->dry)
        cairo_show_page(d->cr);
    d->page++;
    d->y = TOP;
    h = put(d, F_BOLD, accent, d->cont.p, LEFT, d->y, WIDTH, 1, false);
    d->y += h + 5;
    hrule(d, accent, LEFT, RIGHT, d->y, 1.0);
    d->y += 14;
    if (with_table)
        table_head(d);
}

/* The first page's heading: who pays, who is paid, when, for which plan, and why. */
static void letterhead(doc *d)
{
    const hw_remit *r = d->r;
    char plan[40];
    double left, right, h;

    snprintf(plan, sizeof(plan), "Plan %" PRId64, r->plan_id);
    left = d->y + put(d, F_TITLE, accent, str(r->from), LEFT, d->y, WIDTH * 0.62, 2, false);
    left += 3 + put(d, F_SUB, grey, "Court fines and fees relief", LEFT, left + 3, 0, 1, false);
    right = d->y + put(d, F_NAME, ink, "Remittance advice", RIGHT, d->y + 2, 0, 1, true) + 4;
    right += put(d, F_BODY, ink, d->date_text, RIGHT, right, 0, 1, true) + 1;
    right += put(d, F_BODY, ink, plan, RIGHT, right, 0, 1, true);
    d->y = (left > right ? left : right) + 10;
    hrule(d, accent, LEFT, RIGHT, d->y, 1.4);
    d->y += 18;

    d->y += put(d, F_SUB, grey, "To", LEFT, d->y, 0, 1, false) + 2;
    d->y += put(d, F_NAME, ink, str(r->payee), LEFT, d->y, WIDTH, 2, false) + 16;
    h = put(d, F_BOLD, ink, d->count.p, LEFT, d->y, WIDTH, 2, false);
    d->y += h + 6;
    d->y += put(d, F_BODY, ink, d->intro.p, LEFT, d->y, WIDTH, 8, false) + 16;
}

static const char *case_text(const hw_remit_line *l)
{
    return l->case_number && *l->case_number ? l->case_number : "\u2014";
}

static const char *cell_text(const hw_remit_line *l, int c)
{
    switch (c) {
    case C_PERSON:
        return str(l->person_name);
    case C_CASE:
        return case_text(l);
    case C_KIND:
        return str(l->kind);
    default:
        return str(l->fund_name);
    }
}

/*
 * A row is as tall as its tallest cell: a long name takes two lines.  Only
 * text wider than its column is laid out again (shaping text is what costs).
 */
static double row_height(doc *d, size_t i)
{
    bool dry = d->dry;
    double h = d->line_h;

    d->dry = true;
    for (size_t k = 0; k < NTEXT; k++) {
        int c = text_cols[k];

        if (d->natural[i * NTEXT + k] > d->col[c].w - 2 * PAD)
            h = fmax(h, cell(d, c, F_CELL, cell_text(&d->r->lines[i], c), 0, CELL_LINES));
    }
    d->dry = dry;
    return h + 2 * VPAD;
}

static void row(doc *d, size_t i, double h, int64_t running)
{
    const hw_remit_line *l = &d->r->lines[i];
    char s[32];

    if (i % 2)
        fill(d, stripe, LEFT, d->y, WIDTH, h);
    for (size_t k = 0; k < NTEXT; k++)
        cell(d, text_cols[k], F_CELL, cell_text(l, text_cols[k]), d->y, CELL_LINES);
    snprintf(s, sizeof(s), "%" PRId64, l->obligation_id);
    cell(d, C_OBLIGATION, F_CELL, s, d->y, CELL_LINES);
    hw_cents_format(l->amount_cents, s, sizeof(s));
    cell(d, C_AMOUNT, F_CELL, s, d->y, CELL_LINES);
    hw_cents_format(running, s, sizeof(s));
    cell(d, C_RUNNING, F_CELL, s, d->y, CELL_LINES);
    d->y += h;
}

static double total_row_height(doc *d)
{
    return 2 + d->line_h + 2 * VPAD + 2;
}

static void total_row(doc *d)
{
    const column *a = &d->col[C_AMOUNT];
    char label[64];

    snprintf(label, sizeof(label), "Total, %zu payment%s", d->r->n, d->r->n == 1 ? "" : "s");
    hrule(d, accent, LEFT, RIGHT, d->y, 0.8);
    d->y += 2;
    put(d, F_CELL_BOLD, ink, label, d->col[C_PERSON].x + PAD, d->y + VPAD,
        d->col[C_OBLIGATION].x - d->col[C_PERSON].x - 2 * PAD, 1, false);
    cell(d, C_AMOUNT, F_CELL_BOLD, d->total_text, d->y, 1);
    d->y += d->line_h + 2 * VPAD;
    /* the accountant's double rule under a total */
    hrule(d, ink, a->x + PAD, a->x + a->w - PAD, d->y, 0.6);
    hrule(d, ink, a->x + PAD, a->x + a->w - PAD, d->y + 2, 0.6);
    d->y += 2;
}

/* The total in figures and words, and lines to sign. */
static void closing(doc *d)
{
    double label_w = text_width(d, F_BOLD, "Total in figures") + 14, h, y;
    double sig_w = WIDTH * 0.55, date_x = LEFT + sig_w + 36;

    d->y += 22;
    put(d, F_BOLD, ink, "Total in figures", LEFT, d->y, 0, 1, false);
    d->y += put(d, F_BODY, ink, d->total_text, LEFT + label_w, d->y, 0, 1, false) + 5;
    put(d, F_BOLD, ink, "Total in words", LEFT, d->y, 0, 1, false);
    d->y += put(d, F_BODY, ink, d->words.p, LEFT + label_w, d->y, WIDTH - label_w, 3, false) + 46;

    y = d->y;
    hrule(d, ink, LEFT, LEFT + sig_w, y, 0.6);
    hrule(d, ink, date_x, RIGHT, y, 0.6);
    h = put(d, F_SMALL, grey, d->sign.p, LEFT, y + 4, sig_w, 1, false);
    put(d, F_SMALL, grey, "Date", date_x, y + 4, 0, 1, false);
    d->y = y + 4 + h + 36;
    hrule(d, ink, LEFT, LEFT + sig_w, d->y, 0.6);
    d->y += 4 + put(d, F_SMALL, grey, "Name and title", LEFT, d->y + 4, 0, 1, false);
}

static double closing_height(doc *d)
{
    bool dry = d->dry;
    double y = d->y, h;

    d->dry = true;
    closing(d);
    h = d->y - y;
    d->y = y;
    d->dry = dry;
    return h;
}

/* True when every one of names[0..k) fits column width w in CELL_LINES lines, uncut. */
static bool names_fit(doc *d, const char *const *names, size_t k, double w)
{
    for (size_t i = 0; i < k; i++) {
        set_text(d, F_CELL, names[i], w - 2 * PAD, CELL_LINES, false);
        if (pango_layout_is_ellipsized(d->lay))
            return false;
    }
    return true;
}

/*
 * The narrowest width at which the fund names fit in CELL_LINES lines: a
 * remittance draws on a few funds, so the first FUNDS_SEEN distinct names
 * stand for all.
 */
#define FUNDS_SEEN 32
static double fund_width_wrapped(doc *d, double widest)
{
    const char *names[FUNDS_SEEN];
    size_t k = 0;
    double lo = FUND_MIN, hi = widest;

    for (size_t i = 0; i < d->r->n && k < FUNDS_SEEN; i++) {
        const char *f = str(d->r->lines[i].fund_name);
        size_t j = 0;

        while (j < k && strcmp(names[j], f) != 0)
            j++;
        if (j == k)
            names[k++] = f;
    }
    if (hi <= lo || !names_fit(d, names, k, hi))
        return hi;
    while (hi - lo > 2) {
        double mid = (lo + hi) / 2;

        if (names_fit(d, names, k, mid))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/*
 * Place the columns: numbers and case numbers as wide as their widest
 * value, the kind up to KIND_MAX.  The person's and fund's names share the
 * rest: each on one line when there is room; else the person's name on one
 * line and the fund's on two; else the fund's on two lines at most and the
 * person's name wrapped in what is left.
 */
static void columns(doc *d)
{
    static const char *const heads[NCOLS] = {"Person", "Case number", "Obligation",    "Kind",
                                             "Fund",   "Amount",      "Running\ntotal"};
    static const int give_way[] = {C_CASE, C_KIND};
    const hw_remit *r = d->r;
    int64_t max_id = 0, max_amount = 0;
    double w[NCOLS], fixed = 0, rest, fund2, x = LEFT;
    char s[32];

    for (int c = 0; c < NCOLS; c++) {
        d->col[c].head = heads[c];
        d->col[c].right = c == C_OBLIGATION || c == C_AMOUNT || c == C_RUNNING;
        w[c] = text_width(d, F_HEAD, heads[c]);
    }
    for (size_t i = 0; i < r->n; i++) {
        const hw_remit_line *l = &r->lines[i];

        max_id = l->obligation_id > max_id ? l->obligation_id : max_id;
        max_amount = l->amount_cents > max_amount ? l->amount_cents : max_amount;
        for (size_t k = 0; k < NTEXT; k++) {
            int c = text_cols[k];
            double *nat = &d->natural[i * NTEXT + k];

            /* kinds and funds repeat: measure a value once */
            if (i > 0 && (c == C_KIND || c == C_FUND) &&
                strcmp(cell_text(l, c), cell_text(l - 1, c)) == 0)
                *nat = nat[-(ptrdiff_t)NTEXT];
            else
                *nat = cell_width(d, cell_text(l, c));
            w[c] = fmax(w[c], *nat);
        }
    }
    snprintf(s, sizeof(s), "%" PRId64, max_id);
    w[C_OBLIGATION] = fmax(w[C_OBLIGATION], text_width(d, F_CELL, s));
    w[C_KIND] = fmin(w[C_KIND], KIND_MAX);
    w[C_CASE] = fmin(w[C_CASE], CASE_MAX);
    hw_cents_format(max_amount, s, sizeof(s));
    w[C_AMOUNT] = fmax(w[C_AMOUNT], text_width(d, F_CELL, s));
    w[C_AMOUNT] = fmax(w[C_AMOUNT], text_width(d, F_CELL_BOLD, d->total_text));
    w[C_RUNNING] = fmax(w[C_RUNNING], text_width(d, F_CELL, d->total_text));
    for (int c = 0; c < NCOLS; c++) {
        w[c] += 2 * PAD;
        if (c != C_PERSON && c != C_FUND)
            fixed += w[c];
    }
    /* absurd amounts or ids: the case number and kind give way, numbers never do */
    for (size_t k = 0; k < HW_ARRAY_LEN(give_way) && WIDTH - fixed < NAMES_MIN; k++) {
        int c = give_way[k];
        double give = fmin(NAMES_MIN - (WIDTH - fixed), fmax(w[c] - SHRUNK_MIN, 0));

        w[c] -= give;
        fixed -= give;
    }
    rest = fmax(WIDTH - fixed, NAMES_MIN);
    if (w[C_PERSON] + w[C_FUND] <= rest) {
        w[C_PERSON] += (rest - w[C_PERSON] - w[C_FUND]) * w[C_PERSON] / (w[C_PERSON] + w[C_FUND]);
    } else {
        fund2 = fmin(fund_width_wrapped(d, w[C_FUND]), fmax(rest / 2, FUND_MIN));
        w[C_PERSON] = fmax(fmin(w[C_PERSON], rest - fund2), rest - w[C_FUND]);
    }
    w[C_FUND] = rest - w[C_PERSON];
    for (int c = 0; c < NCOLS; c++) {
        d->col[c].x = x;
        d->col[c].w = w[c];
        x += w[c];
    }
}

/* Rows i.. to the end, the total row and the closing: what the last page must hold. */
static double tail_height(doc *d, size_t i)
{
    double h = total_row_height(d) + closing_height(d);

    for (; i < d->r->n; i++)
        h += row_height(d, i);
    return h;
}

static void render(doc *d)
{
    size_t n = d->r->n, keep = n > KEEP_ROWS ? n - KEEP_ROWS : 0;
    int64_t running = 0;

    d->page = 1;
    d->y = TOP;
    letterhead(d);
    table_head(d);
    for (size_t i = 0; i < n; i++) {
        double h = row_height(d, i);

        /* the total and the lines to sign never stand on a page without the table */
        if (d->y + h > BOTTOM || (i == keep && d->y + tail_height(d, i) > BOTTOM))
            next_page(d, true);
        running += d->r->lines[i].amount_cents;
        row(d, i, h, running);
    }
    if (d->y + total_row_height(d) > BOTTOM)
        next_page(d, true);
    total_row(d);
    if (d->y + closing_height(d) > BOTTOM)
        next_page(d, false);
    closing(d);
    footer(d);
    if (!d->dry)
        cairo_show_page(d->cr);
}

static const char *const month_names[] = {"January",   "February", "March",    "April",
                                          "May",       "June",     "July",     "August",
                                          "September", "October",  "November", "December"};

/* Every string the letter shows must be UTF-8: pango would otherwise complain on stderr. */
static hw_code check_text(const hw_remit *r, hw_err *e)
{
    const char *head[] = {r->payee, r->from, r->date};
    static const char *const head_names[] = {"payee", "from", "date"};

    for (size_t i = 0; i < HW_ARRAY_LEN(head); i++)
        if (!hw_utf8_valid(str(head[i]), strlen(str(head[i])), NULL))
            return hw_fail(e, HW_EINVAL, head_names[i], "remittance %s: not UTF-8", head_names[i]);
    for (size_t i = 0; i < r->n; i++) {
        const hw_remit_line *l = &r->lines[i];
        const char *s[] = {l->person_name, l->case_number, l->kind, l->fund_name};
        static const char *const names[] = {"person_name", "case_number", "kind", "fund_name"};

        for (size_t k = 0; k < HW_ARRAY_LEN(s); k++)
            if (!hw_utf8_valid(str(s[k]), strlen(str(s[k])), NULL))
                return hw_fail(e, HW_EINVAL, names[k],
                               "remittance line %zu (obligation %" PRId64 "): %s not UTF-8", i + 1,
                               l->obligation_id, names[k]);
    }
    return HW_OK;
}

/* The texts made of several parts, made once so that drawing cannot fail. */
static hw_code doc_texts(doc *d, hw_err *e)
{
    const hw_remit *r = d->r;
    hw_err de;
    hw_code rc;
    int32_t day;
    int y, m, dd;

    if (hw_date_parse(str(r->date), strlen(str(r->date)), &day, &de))
        return hw_fail(e, HW_EINVAL, "date", "remittance date: %s", de.msg);
    hw_date_to_ymd(day, &y, &m, &dd);
    snprintf(d->date_text, sizeof(d->date_text), "%s %d, %d", month_names[m - 1], dd, y);
    hw_cents_format(d->total, d->total_text, sizeof(d->total_text));
    if ((rc = hw_buf_printf(&d->count, e, "%zu payment%s totalling %s, plan %" PRId64, r->n,
                            r->n == 1 ? "" : "s", d->total_text, r->plan_id)) ||
        (rc = hw_buf_printf(
             &d->intro, e,
             "The enclosed payments are made by %s on behalf of the people listed below, towards "
             "the court obligations listed against their names. Please apply each payment to the "
             "obligation it names and credit it to that person's account. In any correspondence "
             "about these payments, please quote plan %" PRId64 " and the obligation number.",
             str(r->from), r->plan_id)) ||
        (rc = amount_words(&d->words, d->total, e)) ||
        (rc = hw_buf_printf(&d->sign, e, "Signed for %s", str(r->from))) ||
        (rc = hw_buf_printf(&d->foot, e,
                            "%s \u00b7 remittance to %s \u00b7 plan %" PRId64 " \u00b7 %s",
                            str(r->from), str(r->payee), r->plan_id, str(r->date))) ||
        (rc = hw_buf_printf(&d->cont, e, "Remittance to %s \u00b7 plan %" PRId64 " \u00b7 %s",
                            str(r->payee), r->plan_id, d->date_text)))
        return rc;
    return HW_OK;
}

static void doc_release(doc *d)
{
    for (int i = 0; i < NFONTS; i++)
        if (d->font[i])
            pango_font_description_free(d->font[i]);
    if (d->lay)
        g_object_unref(d->lay);
    if (d->fonts)
        g_object_unref(d->fonts);
    hw_buf_release(&d->intro);
    hw_buf_release(&d->words);
    hw_buf_release(&d->foot);
    hw_buf_release(&d->cont);
    hw_buf_release(&d->count);
    hw_buf_release(&d->sign);
    free(d->natural);
}

/* Where cairo's PDF bytes go: the temporary file, with the first errno kept. */
typedef struct sink {
    int fd;
    int err;
} sink;

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
    sink *s = closure;

    while (length && !s->err) {
        ssize_t n = write(s->fd, data, length);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->err = n < 0 ? errno : EIO;
            break;
        }
        data += n;
        length -= (unsigned int)n;
    }
    return s->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* Create "<path>.<pid>.<n>.tmp", never one that exists; the umask applies as for any file. */
static hw_code create_temp(const char *path, hw_buf *tmp, int *fd, hw_err *e)
{
    hw_code rc;

    for (int i = 0; i < 100; i++) {
        hw_buf_clear(tmp);
        if ((rc = hw_buf_printf(tmp, e, "%s.%ld.%d.tmp", path, (long)getpid(), i)))
            return rc;
        *fd = open(tmp->p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (*fd >= 0)
            return HW_OK;
        if (errno != EEXIST)
            return hw_fail_errno(e, HW_EIO, "cannot write '%s'", path);
    }
    return hw_fail(e, HW_EIO, NULL, "cannot write '%s': no free temporary name", path);
}

static cairo_status_t draw(doc *d, cairo_surface_t *surface)
{
    PangoContext *ctx;
    cairo_font_options_t *fo;
    cairo_status_t st;

    d->cr = cairo_create(surface);
    /*
     * A font map of our own, dropped when the letter is done: pango's default
     * one lives as long as the thread and keeps every font it ever loaded.
     */
    d->fonts = pango_cairo_font_map_new();
    ctx = pango_font_map_create_context(d->fonts);
    pango_cairo_update_context(d->cr, ctx);
    /* points, not pixels, and positions as designed rather than snapped to a screen grid */
    pango_cairo_context_set_resolution(ctx, 72);
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    d->lay = pango_layout_new(ctx);
    g_object_unref(ctx);
    for (int i = 0; i < NFONTS; i++)
        d->font[i] = pango_font_description_from_string(font_names[i]);
    pango_layout_set_font_description(d->lay, d->font[F_CELL]);
    pango_layout_set_text(d->lay, "Ag", -1);
    {
        int w, h;

        pango_layout_get_size(d->lay, &w, &h);
        d->line_h = (double)h / PANGO_SCALE;
    }
    columns(d);
    d->dry = true;
    render(d);
    d->pages = d->page;
    d->dry = false;
    render(d);
    st = cairo_status(d->cr);
    cairo_destroy(d->cr);
    d->cr = NULL;
    return st;
}

hw_code hw_remit_write_pdf(const hw_remit *r, const char *path, hw_err *e)
{
    doc d = {0};
    hw_buf tmp = HW_BUF_INIT(0);
    cairo_surface_t *surface = NULL;
    cairo_status_t st;
    sink out = {-1, 0};
    hw_code rc;

    if (!path || !*path)
        return hw_fail(e, HW_EINVAL, NULL, "remittance pdf: no path given");
    if ((rc = check_lines(r, &d.total, e)) || (rc = check_text(r, e)))
        return rc;
    d.r = r;
    if ((rc = doc_texts(&d, e)))
        goto out;
    if (r->n > SIZE_MAX / sizeof(double) / NTEXT ||
        !(d.natural = malloc((r->n ? r->n : 1) * NTEXT * sizeof(double)))) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "remittance pdf: %zu lines", r->n);
        goto out;
    }
    if ((rc = create_temp(path, &tmp, &out.fd, e)))
        goto out;
    surface = cairo_pdf_surface_create_for_stream(sink_write, &out, PAGE_W, PAGE_H);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, d.cont.p);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, str(r->from));
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Homeward");
    st = cairo_surface_status(surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = draw(&d, surface);
    cairo_surface_finish(surface);
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(surface);
    if (out.err) {
        errno = out.err;
        rc = hw_fail_errno(e, HW_EIO, "cannot write '%s'", path);
    } else if (st != CAIRO_STATUS_SUCCESS) {
        rc = hw_fail(e, HW_EIO, NULL, "cannot write '%s': %s", path, cairo_status_to_string(st));
    } else if (fsync(out.fd) != 0) {
        rc = hw_fail_errno(e, HW_EIO, "cannot write '%s'", path);
    }
    if (close(out.fd) != 0 && !rc)
        rc = hw_fail_errno(e, HW_EIO, "cannot write '%s'", path);
    out.fd = -1;
    if (!rc && rename(tmp.p, path) != 0)
        rc = hw_fail_errno(e, HW_EIO, "cannot rename '%s' to '%s'", tmp.p, path);
    if (rc)
        unlink(tmp.p);
out:
    if (surface)
        cairo_surface_destroy(surface);
    doc_release(&d);
    hw_buf_release(&tmp);
    return rc;
}
