/* SPDX-License-Identifier: MIT */
/*
 * Errors as values: every fallible function returns an hw_code and takes an
 * hw_err *e last (which may be NULL).  The CLI maps codes to exit statuses;
 * the server will map them to HTTP statuses.
 */
#ifndef HOMEWARD_ERROR_H
#define HOMEWARD_ERROR_H

#if defined(__GNUC__)
#define HW_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define HW_PRINTF(fmt, args)
#endif

/* Result codes: append, never renumber. */
typedef enum hw_code {
    HW_OK = 0,
    HW_EINVAL,    /* bad input from the caller; field and msg say what */
    HW_ENOTFOUND, /* no such record (or not visible to this organisation) */
    HW_ECONFLICT, /* unique key or version clash */
    HW_ELIMIT,    /* a configured size or time limit was hit */
    HW_ENOMEM,
    HW_EIO,       /* file or socket failure; sys_errno is set */
    HW_ESTORE,    /* database failure; msg holds the driver's text */
    HW_EBUG,      /* an invariant broke */
    HW_ECANCELED, /* the caller asked to stop */
} hw_code;

/*
 * What went wrong, for the caller to act on and a person to read.  Callers
 * own it, usually on the stack: no heap, so it can report HW_ENOMEM.
 */
typedef struct hw_err {
    hw_code code;
    int sys_errno;  /* errno at the failure, or 0 */
    char field[48]; /* offending input field ("dob"), or "" */
    char msg[464];  /* "not a date: '1990-02-31'" */
} hw_err;

/*
 * Fill `e` (if not NULL) and return `code`, so that a failure is one line:
 *
 *     return hw_fail(e, HW_EINVAL, "dob", "not a date: '%s'", s);
 *
 * `field` may be NULL.  The message is cut, never overflowed.
 */
hw_code hw_fail(hw_err *e, hw_code code, const char *field, const char *fmt, ...) HW_PRINTF(4, 5);

/* Like hw_fail() for a failed system call: records errno and appends strerror. */
hw_code hw_fail_errno(hw_err *e, hw_code code, const char *fmt, ...) HW_PRINTF(3, 4);

/* Stable lower-case name of a code ("not_found"), for logs and JSON. */
const char *hw_code_name(hw_code code);

/* Reset `e` to "no error".  Accepts NULL. */
void hw_err_clear(hw_err *e);

#endif
