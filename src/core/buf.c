/* SPDX-License-Identifier: MIT */
/* The capped growing buffer of buf.h. */
#include "core/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/buf.h"

void hw_buf_init(hw_buf *b, size_t max)
{
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
    b->max = max;
}

hw_code hw_buf_reserve(hw_buf *b, size_t n, hw_err *e)
{
    size_t want, cap;
    char *p;

    if (n > SIZE_MAX - b->n - 1)
        return hw_fail(e, HW_ELIMIT, NULL, "buffer size overflow");
    want = b->n + n + 1;
    if (b->max && want > b->max + 1)
        return hw_fail(e, HW_ELIMIT, NULL, "more than %zu bytes", b->max);
    if (want <= b->cap)
        return HW_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = realloc(b->p, cap);
    if (!p)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    b->p = p;
    b->cap = cap;
    return HW_OK;
}

hw_code hw_buf_append(hw_buf *b, const void *p, size_t n, hw_err *e)
{
    hw_code rc = hw_buf_reserve(b, n, e);

    if (rc)
        return rc;
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
    return HW_OK;
}

hw_code hw_buf_putc(hw_buf *b, char c, hw_err *e)
{
    if (HW_LIKELY(b->n + 1 < b->cap && (!b->max || b->n < b->max))) {
        b->p[b->n++] = c;
        b->p[b->n] = '\0';
        return HW_OK;
    }
    return hw_buf_append(b, &c, 1, e);
}

hw_code hw_buf_put_i64(hw_buf *b, int64_t v, hw_err *e)
{
    char t[24], *p = t + sizeof(t);
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

    do
        *--p = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        *--p = '-';
    return hw_buf_append(b, p, (size_t)(t + sizeof(t) - p), e);
}

/* Printed once into the room there is; only a text that does not fit is printed twice. */
hw_code hw_buf_printf(hw_buf *b, hw_err *e, const char *fmt, ...)
{
    size_t room = b->cap > b->n ? b->cap - b->n : 0;
    va_list ap;
    int n;
    hw_code rc;

    va_start(ap, fmt);
    n = vsnprintf(room ? b->p + b->n : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return hw_fail(e, HW_EBUG, NULL, "bad format");
    if ((size_t)n < room && (!b->max || b->n + (size_t)n <= b->max)) {
        b->n += (size_t)n;
        return HW_OK;
    }
    if (room)
        b->p[b->n] = '\0'; /* what did not fit, or went past the cap, is not kept */
    rc = hw_buf_reserve(b, (size_t)n, e);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
    return HW_OK;
}

hw_code hw_buf_put_json_string(hw_buf *b, const char *s, size_t n, hw_err *e)
{
    /* Escaped as jansson escapes, so that text and tree give the same bytes. */
    static const char hex[] = "0123456789ABCDEF";
    size_t from = 0;
    hw_code rc;

    if ((rc = hw_buf_putc(b, '"', e)))
        return rc;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
        size_t len = 2;

        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (c == '"' || c == '\\')
            esc[1] = (char)c;
        else if (c == '\n')
            esc[1] = 'n';
        else if (c == '\r')
            esc[1] = 'r';
        else if (c == '\t')
            esc[1] = 't';
        else if (c == '\b')
            esc[1] = 'b';
        else if (c == '\f')
            esc[1] = 'f';
        else {
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        if ((rc = hw_buf_append(b, s + from, i - from, e)) || (rc = hw_buf_append(b, esc, len, e)))
            return rc;
        from = i + 1;
    }
    if ((rc = hw_buf_append(b, s + from, n - from, e)))
        return rc;
    return hw_buf_putc(b, '"', e);
}

void hw_buf_clear(hw_buf *b)
{
    b->n = 0;
    if (b->p)
        b->p[0] = '\0';
}

void hw_buf_release(hw_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = 0;
    b->cap = 0;
}
