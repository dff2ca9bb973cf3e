/* SPDX-License-Identifier: MIT */
/* The exporter: records of one kind as CSV or JSON Lines (see export.h). */
#include "core/common.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/buf.h"
#include "homeward/csv.h"
#include "homeward/export.h"

typedef struct exporter {
    const hw_kind_desc *d;
    hw_format fmt;
    FILE *out;
    hw_buf line;
    uint64_t rows;
    hw_err *e;
    hw_code rc; /* the first failure, which also stops the scan */
} exporter;

static hw_code csv_row(exporter *x, const hw_value *row)
{
    hw_code rc = HW_OK;
    char num[32];

    for (size_t i = 0; i < x->d->nfields && !rc; i++) {
        hw_str t = hw_vocab_text(&x->d->fields[i], &row[i], num, sizeof(num));

        rc = hw_csv_put(&x->line, t.p, t.n, i == 0, x->e);
    }
    return rc ? rc : hw_buf_putc(&x->line, '\n', x->e);
}

static hw_code jsonl_row(exporter *x, const hw_value *row)
{
    json_t *obj = json_object();
    hw_code rc = HW_OK;
    char *text;

    if (!obj)
        return hw_fail(x->e, HW_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < x->d->nfields; i++) {
        const hw_field *f = &x->d->fields[i];
        const hw_value *v = &row[i];
        json_t *j;

        if (v->null)
            j = json_null();
        else if (f->type == HW_T_BOOL)
            j = json_boolean(v->i);
        else if (hw_vocab_int_type(f->type))
            j = json_integer(v->i);
        else
            j = json_stringn(v->s, v->n);
        if (!j || json_object_set_new(obj, f->name, j)) {
            json_decref(obj);
            return hw_fail(x->e, HW_EINVAL, f->name, "cannot write as JSON (bad UTF-8?)");
        }
    }
    text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (!text)
        return hw_fail(x->e, HW_ENOMEM, NULL, "out of memory");
    rc = hw_buf_append(&x->line, text, strlen(text), x->e);
    free(text);
    return rc ? rc : hw_buf_putc(&x->line, '\n', x->e);
}

static int on_row(void *ud, const hw_value *row)
{
    exporter *x = ud;

    x->rc = x->fmt == HW_FORMAT_JSONL ? jsonl_row(x, row) : csv_row(x, row);
    if (x->rc)
        return 1;
    x->rows++;
    /* Write in large pieces: one fwrite per 64 KiB, not per row. */
    if (x->line.n >= 65536) {
        if (fwrite(x->line.p, 1, x->line.n, x->out) != x->line.n) {
            x->rc = hw_fail_errno(x->e, HW_EIO, "write failed");
            return 1;
        }
        hw_buf_clear(&x->line);
    }
    return 0;
}

hw_code hw_export(hw_store *s, hw_kind k, hw_format fmt, FILE *out, uint64_t *rows, hw_err *e)
{
    exporter x = {hw_vocab_kind(k), fmt, out, HW_BUF_INIT(0), 0, e, HW_OK};
    hw_code rc = HW_OK;

    if (fmt == HW_FORMAT_CSV) {
        for (size_t i = 0; i < x.d->nfields && !rc; i++)
            rc = hw_csv_put(&x.line, x.d->fields[i].name, strlen(x.d->fields[i].name), i == 0, e);
        if (!rc)
            rc = hw_buf_putc(&x.line, '\n', e);
    }
    if (!rc) {
        rc = hw_store_scan(s, k, on_row, &x, e);
        if (rc == HW_ECANCELED)
            rc = x.rc;
    }
    if (!rc && x.line.n && fwrite(x.line.p, 1, x.line.n, out) != x.line.n)
        rc = hw_fail_errno(e, HW_EIO, "write failed");
    if (!rc && fflush(out))
        rc = hw_fail_errno(e, HW_EIO, "write failed");
    if (rows)
        *rows = x.rows;
    hw_buf_release(&x.line);
    return rc;
}
