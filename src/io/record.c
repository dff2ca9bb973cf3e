/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "homeward/buf.h"
#include "homeward/record.h"
#include "core/banned.h"

json_t *hw_record_to_json(hw_kind k, const hw_value *row)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    json_t *o = json_object();

    for (size_t i = 0; o && i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        const hw_value *v = &row[i];
        json_t *j;

        if (v->null) {
            j = json_null();
        } else if (f->type == HW_T_BOOL) {
            j = json_boolean(v->i);
        } else if (hw_vocab_int_type(f->type)) {
            j = json_integer((json_int_t)v->i);
        } else {
            char buf[32];
            hw_str t = hw_vocab_text(f, v, buf, sizeof(buf));

            j = json_stringn(t.p, t.n);
        }
        if (!j || json_object_set_new(o, f->name, j)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

/* s[0..n) as a JSON string: quotes, backslashes and control characters escaped. */
hw_code hw_record_write_json(hw_buf *b, hw_kind k, const hw_value *row, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_code rc = HW_OK;

    for (size_t i = 0; !rc && i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        const hw_value *v = &row[i];

        /* Field names are the vocabulary's own: nothing in them needs escaping. */
        if ((rc = hw_buf_putc(b, i ? ',' : '{', e)) || (rc = hw_buf_putc(b, '"', e)) ||
            (rc = hw_buf_append(b, f->name, strlen(f->name), e)) ||
            (rc = hw_buf_append(b, "\":", 2, e)))
            break;
        if (v->null) {
            rc = hw_buf_append(b, "null", 4, e);
        } else if (f->type == HW_T_BOOL) {
            rc = v->i ? hw_buf_append(b, "true", 4, e) : hw_buf_append(b, "false", 5, e);
        } else if (hw_vocab_int_type(f->type)) {
            rc = hw_buf_put_i64(b, v->i, e);
        } else {
            char buf[32];
            hw_str t = hw_vocab_text(f, v, buf, sizeof(buf));

            rc = hw_buf_put_json_string(b, t.p, t.n, e);
        }
    }
    return rc ? rc : hw_buf_putc(b, '}', e);
}

hw_code hw_record_json_text(json_t *v, const char *key, hw_buf *b, hw_err *err)
{
    switch (json_typeof(v)) {
    case JSON_NULL:
        return HW_OK;
    case JSON_STRING:
        return hw_buf_append(b, json_string_value(v), json_string_length(v), err);
    case JSON_INTEGER:
        return hw_buf_printf(b, err, "%lld", (long long)json_integer_value(v));
    case JSON_TRUE:
        return hw_buf_append(b, "true", 4, err);
    case JSON_FALSE:
        return hw_buf_append(b, "false", 5, err);
    case JSON_REAL:
        return hw_fail(err, HW_EINVAL, key, "not a whole number: %.17g%s", json_real_value(v),
                       strstr(key, "_cents") ? " (amounts are integer cents)" : "");
    default:
        return hw_fail(err, HW_EINVAL, key, "an object or array where a value belongs");
    }
}

hw_code hw_record_from_json(hw_kind k, json_t *obj, hw_arena *a, hw_value *row, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_buf text = HW_BUF_INIT(0);
    size_t *offs = calloc(d->nfields, sizeof(*offs));
    const char *key;
    json_t *v;
    hw_code rc = HW_OK;

    if (!offs)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if (!json_is_object(obj)) {
        rc = hw_fail(e, HW_EINVAL, NULL, "not a JSON object");
        goto out;
    }
    for (size_t i = 0; i < d->nfields; i++)
        offs[i] = SIZE_MAX;
    json_object_foreach(obj, key, v)
    {
        int f;

        if (key[0] == '_')
            continue;
        if ((f = hw_vocab_field_index(k, key, strlen(key))) < 0) {
            rc = hw_fail(e, HW_EINVAL, key, "unknown field '%.60s' for %s", key, d->name);
            goto out;
        }
        offs[f] = text.n;
        if ((rc = hw_record_json_text(v, key, &text, e)) || (rc = hw_buf_putc(&text, '\0', e)))
            goto out;
    }
    for (size_t i = 0; i < d->nfields; i++) {
        const char *p = offs[i] == SIZE_MAX ? "" : text.p + offs[i];
        size_t n = strlen(p);
        char *copy = hw_arena_alloc(a, n + 1);

        /* The text buffer goes away; the row keeps what it points at in the arena. */
        if (!copy) {
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            goto out;
        }
        memcpy(copy, p, n + 1);
        if ((rc = hw_vocab_parse(&d->fields[i], copy, n, a, &row[i], e)))
            goto out;
    }
    rc = hw_vocab_check_row(k, row, e);
out:
    hw_buf_release(&text);
    free(offs);
    return rc;
}
