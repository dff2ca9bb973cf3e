/* SPDX-License-Identifier: MIT */
/* Error values: filling hw_err and naming codes. */
#include "core/common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "homeward/error.h"

static void set_field(hw_err *e, const char *field)
{
    size_t n = field ? strlen(field) : 0;

    if (n >= sizeof(e->field))
        n = sizeof(e->field) - 1;
    if (n)
        memcpy(e->field, field, n);
    e->field[n] = '\0';
}

hw_code hw_fail(hw_err *e, hw_code code, const char *field, const char *fmt, ...)
{
    va_list ap;

    if (!e)
        return code;
    e->code = code;
    e->sys_errno = 0;
    set_field(e, field);
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

hw_code hw_fail_errno(hw_err *e, hw_code code, const char *fmt, ...)
{
    int saved = errno;
    va_list ap;
    size_t n;

    if (!e)
        return code;
    e->code = code;
    e->sys_errno = saved;
    e->field[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    n = strlen(e->msg);
    if (saved && n < sizeof(e->msg))
        snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(saved));
    return code;
}

const char *hw_code_name(hw_code code)
{
    static const char *const names[] = {
        [HW_OK] = "ok",
        [HW_EINVAL] = "invalid",
        [HW_ENOTFOUND] = "not_found",
        [HW_ECONFLICT] = "conflict",
        [HW_ELIMIT] = "limit",
        [HW_ENOMEM] = "no_memory",
        [HW_EIO] = "io",
        [HW_ESTORE] = "store",
        [HW_EBUG] = "bug",
        [HW_ECANCELED] = "canceled",
    };

    if ((unsigned)code < HW_ARRAY_LEN(names) && names[code])
        return names[code];
    return "unknown";
}

void hw_err_clear(hw_err *e)
{
    if (!e)
        return;
    e->code = HW_OK;
    e->sys_errno = 0;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}
