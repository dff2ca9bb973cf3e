/* SPDX-License-Identifier: MIT */
/*
 * The streaming CSV reader and field writer of csv.h.  We keep our own
 * rather than Debian's libcsv (3.0.3, unchanged since 2013): the importer
 * needs the line each record starts on and a hard cap on a record's size,
 * which libcsv's callbacks do not give.
 */
#include "core/common.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "homeward/csv.h"

#define READ_SIZE (256u * 1024u)

static hw_code init(hw_csv_reader *r, int fd, bool own, size_t max_record, hw_err *e)
{
    memset(r, 0, sizeof(*r));
    r->fd = fd;
    r->own_fd = own;
    r->line = 1;
    r->max_record = max_record ? max_record : HW_CSV_MAX_RECORD;
    hw_buf_init(&r->rec, 0);
    r->buf = malloc(READ_SIZE);
    r->off = malloc(HW_CSV_MAX_FIELDS * sizeof(*r->off));
    r->fields = malloc(HW_CSV_MAX_FIELDS * sizeof(*r->fields));
    if (!r->buf || !r->off || !r->fields) {
        hw_csv_release(r);
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    return HW_OK;
}

hw_code hw_csv_init_fd(hw_csv_reader *r, int fd, size_t max_record, hw_err *e)
{
    return init(r, fd, false, max_record, e);
}

hw_code hw_csv_open(hw_csv_reader *r, const char *path, size_t max_record, hw_err *e)
{
    int fd;

    if (!strcmp(path, "-"))
        return init(r, STDIN_FILENO, false, max_record, e);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        memset(r, 0, sizeof(*r));
        r->fd = -1;
        return hw_fail_errno(e, HW_EIO, "cannot open '%s'", path);
    }
    return init(r, fd, true, max_record, e);
}

void hw_csv_release(hw_csv_reader *r)
{
    if (r->own_fd && r->fd >= 0)
        close(r->fd);
    r->own_fd = false;
    free(r->buf);
    free(r->off);
    free(r->fields);
    r->buf = NULL;
    r->off = NULL;
    r->fields = NULL;
    hw_buf_release(&r->rec);
}

/* Refill the buffer; false at the end of input or on error (*rc says which). */
static bool fill(hw_csv_reader *r, hw_code *rc, hw_err *e)
{
    ssize_t n;

    if (r->eof)
        return false;
    do
        n = read(r->fd, r->buf, READ_SIZE);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        *rc = hw_fail_errno(e, HW_EIO, "read failed");
        return false;
    }
    r->pos = 0;
    r->len = (size_t)n;
    if (n == 0) {
        r->eof = true;
        return false;
    }
    /* A byte-order mark may open the file; it is not data. */
    if (r->bytes == 0 && r->len >= 3 && !memcmp(r->buf, "\xEF\xBB\xBF", 3)) {
        r->pos = 3;
        r->bytes = 3;
    }
    return true;
}

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

/* The record-level parse state, so that helpers can end fields and report errors. */
typedef struct parse {
    hw_csv_reader *r;
    bool too_big; /* the record passed max_record: stop storing, keep parsing */
    bool bad;     /* first problem found; msg holds it */
    char msg[160];
    size_t field_start; /* offset in rec of the current field */
} parse;

static void problem(parse *p, const char *msg)
{
    if (!p->bad) {
        p->bad = true;
        snprintf(p->msg, sizeof(p->msg), "%s", msg);
    }
}

static hw_code put(parse *p, const char *s, size_t n, hw_err *e)
{
    hw_csv_reader *r = p->r;

    if (p->too_big)
        return HW_OK;
    if (r->rec.n + n > r->max_record) {
        char m[120];

        snprintf(m, sizeof(m), "record longer than %zu bytes (an unclosed quote?)", r->max_record);
        problem(p, m);
        p->too_big = true;
        return HW_OK;
    }
    return hw_buf_append(&r->rec, s, n, e);
}

static hw_code end_field(parse *p, hw_err *e)
{
    hw_csv_reader *r = p->r;
    hw_code rc;

    if (r->nfields == HW_CSV_MAX_FIELDS) {
        problem(p, "more than 1024 fields");
        return HW_OK;
    }
    r->off[r->nfields] = p->field_start;
    r->fields[r->nfields].n = p->too_big ? 0 : r->rec.n - p->field_start;
    r->nfields++;
    if (p->too_big)
        return HW_OK;
    /* A NUL after each field, so that a field is also a C string. */
    rc = hw_buf_putc(&r->rec, '\0', e);
    p->field_start = r->rec.n;
    return rc;
}

hw_code hw_csv_next(hw_csv_reader *r, uint64_t *line, hw_err *e)
{
    parse p = {r, false, false, "", 0};
    enum state st = FIELD_START;
    hw_code rc = HW_OK;
    uint64_t quote_line = 0;

    r->nfields = 0;
    hw_buf_clear(&r->rec);
    *line = r->line;
    for (;;) {
        const char *b, *end;

        if (r->pos == r->len && !fill(r, &rc, e)) {
            if (rc)
                return rc;
            break;
        }
        b = r->buf + r->pos;
        end = r->buf + r->len;
        if (r->skip_lf) {
            r->skip_lf = false;
            if (*b == '\n') {
                r->pos++;
                r->bytes++;
                continue;
            }
        }
        while (b < end) {
            char c = *b;

            if (st == UNQUOTED || st == QUOTED) {
                /* Fast path: copy a run of ordinary bytes at once. */
                const char *q = b;

                if (st == UNQUOTED)
                    while (q < end && *q != ',' && *q != '\n' && *q != '\r' && *q != '"')
                        q++;
                else
                    while (q < end && *q != '"' && *q != '\n')
                        q++;
                if (q > b) {
                    if ((rc = put(&p, b, (size_t)(q - b), e)))
                        return rc;
                    b = q;
                    continue;
                }
            }
            b++;
            switch (st) {
            case FIELD_START:
                if (c == '"') {
                    st = QUOTED;
                    quote_line = r->line;
                    break;
                }
                if (c == '\n' || c == '\r') {
                    r->line++;
                    if (r->nfields == 0) {
                        /* A blank line: not a record.  Its CR LF is one line end. */
                        if (c == '\r' && b < end && *b == '\n')
                            b++;
                        else
                            r->skip_lf = c == '\r' && b == end;
                        *line = r->line;
                        break;
                    }
                    r->skip_lf = c == '\r';
                    if ((rc = end_field(&p, e)))
                        return rc;
                    goto record;
                }
                if (c == ',') {
                    if ((rc = end_field(&p, e)))
                        return rc;
                    break;
                }
                st = UNQUOTED;
                if ((rc = put(&p, &c, 1, e)))
                    return rc;
                break;
            case UNQUOTED:
                if (c == ',') {
                    if ((rc = end_field(&p, e)))
                        return rc;
                    st = FIELD_START;
                } else if (c == '\n' || c == '\r') {
                    r->line++;
                    r->skip_lf = c == '\r';
                    if ((rc = end_field(&p, e)))
                        return rc;
                    goto record;
                } else {
                    problem(&p, "a quote inside an unquoted field (quote the whole field and "
                                "double the quote)");
                    if ((rc = put(&p, &c, 1, e)))
                        return rc;
                }
                break;
            case QUOTED:
                if (c == '"') {
                    st = QUOTE_IN_QUOTED;
                } else {
                    r->line++; /* a line break inside quotes */
                    if ((rc = put(&p, &c, 1, e)))
                        return rc;
                }
                break;
            case QUOTE_IN_QUOTED:
                if (c == '"') {
                    st = QUOTED;
                    if ((rc = put(&p, &c, 1, e)))
                        return rc;
                } else if (c == ',') {
                    if ((rc = end_field(&p, e)))
                        return rc;
                    st = FIELD_START;
                } else if (c == '\n' || c == '\r') {
                    r->line++;
                    r->skip_lf = c == '\r';
                    if ((rc = end_field(&p, e)))
                        return rc;
                    goto record;
                } else {
                    problem(&p, "text after a closing quote");
                    st = UNQUOTED;
                    if ((rc = put(&p, &c, 1, e)))
                        return rc;
                }
                break;
            }
            continue;
        record:
            r->bytes += (uint64_t)(b - (r->buf + r->pos));
            r->pos = (size_t)(b - r->buf);
            goto done;
        }
        r->bytes += (uint64_t)(b - (r->buf + r->pos));
        r->pos = (size_t)(b - r->buf);
    }
    /* End of input. */
    if (st == QUOTED) {
        char m[100];

        snprintf(m, sizeof(m), "a quoted field opened on line %llu is never closed",
                 (unsigned long long)quote_line);
        problem(&p, m);
    }
    if (st != FIELD_START || r->nfields > 0) {
        if ((rc = end_field(&p, e)))
            return rc;
    }
done:
    for (size_t i = 0; i < r->nfields; i++)
        r->fields[i].p = r->rec.p ? r->rec.p + r->off[i] : "";
    if (p.bad) {
        r->nfields = r->nfields ? r->nfields : 1; /* not the end of input */
        return hw_fail(e, HW_EINVAL, NULL, "%s", p.msg);
    }
    return HW_OK;
}

hw_code hw_csv_put(hw_buf *out, const char *s, size_t n, bool first, hw_err *e)
{
    bool quote = false;
    hw_code rc = HW_OK;

    if (!first && (rc = hw_buf_putc(out, ',', e)))
        return rc;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return hw_buf_append(out, s, n, e);
    if ((rc = hw_buf_putc(out, '"', e)))
        return rc;
    for (size_t i = 0; i < n && !rc; i++) {
        if (s[i] == '"')
            rc = hw_buf_putc(out, '"', e);
        if (!rc)
            rc = hw_buf_putc(out, s[i], e);
    }
    return rc ? rc : hw_buf_putc(out, '"', e);
}
