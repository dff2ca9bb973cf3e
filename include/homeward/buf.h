/* SPDX-License-Identifier: MIT */
/*
 * A growing byte buffer with a cap (curl's dynbuf): appending past `max`
 * fails with HW_ELIMIT instead of growing without bound.  The contents are
 * always NUL-terminated once anything has been appended.
 */
#ifndef HOMEWARD_BUF_H
#define HOMEWARD_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "homeward/error.h"

typedef struct hw_buf {
    char *p;    /* contents, owned; NULL until the first append */
    size_t n;   /* bytes used, not counting the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* most bytes it may hold; 0 = no cap */
} hw_buf;

#define HW_BUF_INIT(max_)                                                                          \
    {                                                                                              \
        NULL, 0, 0, (max_)                                                                         \
    }

void hw_buf_init(hw_buf *b, size_t max);
hw_code hw_buf_append(hw_buf *b, const void *p, size_t n, hw_err *e);
hw_code hw_buf_putc(hw_buf *b, char c, hw_err *e);
hw_code hw_buf_printf(hw_buf *b, hw_err *e, const char *fmt, ...) HW_PRINTF(3, 4);
/* v in decimal, as printf's "%lld" writes it, without printf's cost. */
hw_code hw_buf_put_i64(hw_buf *b, int64_t v, hw_err *e);
/* n bytes of s as a JSON string, quoted and escaped byte for byte as jansson escapes. */
hw_code hw_buf_put_json_string(hw_buf *b, const char *s, size_t n, hw_err *e);
/* Make room for `n` more bytes without using them. */
hw_code hw_buf_reserve(hw_buf *b, size_t n, hw_err *e);
/* Empty the buffer, keeping its memory. */
void hw_buf_clear(hw_buf *b);
/* Free the memory; the buffer is empty and reusable afterwards. */
void hw_buf_release(hw_buf *b);

#endif
