/* SPDX-License-Identifier: MIT */
/*
 * The unit test harness: TEST(name) defines a test, registered in list.h;
 * EXPECT* report file:line and keep going, so one run shows every broken
 * expectation.  build/unit_tests PREFIX runs the tests whose names start
 * with PREFIX.
 */
#ifndef HW_UNIT_H
#define HW_UNIT_H

#include <stdint.h>
#include <string.h>

#include "homeward/error.h"

#define TEST(name) void test_##name(void)

void unit_fail(const char *file, int line, const char *what);
void unit_fail_code(const char *file, int line, const char *expr, hw_code got, hw_code want,
                    const hw_err *e);
void unit_fail_str(const char *file, int line, const char *expr, const char *got, const char *want);
void unit_fail_int(const char *file, int line, const char *expr, long long got, long long want);

/* A fresh empty directory for this test run (removed at exit); paths under it. */
const char *unit_tmpdir(void);
/* unit_path("a.db") -> "<tmpdir>/a.db" in a rotating static buffer. */
const char *unit_path(const char *name);
/* Write `text` to file `path`; returns path. */
const char *unit_write_file(const char *path, const char *text);
/* Run `sql` on the database file at `path` behind the library's back: sqlite3_exec()'s result. */
int unit_sql_exec(const char *path, const char *sql);
/* The first column of the first row of `sql` on `path`, or 0 when there is none. */
long long unit_sql_int(const char *path, const char *sql);

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            unit_fail(__FILE__, __LINE__, #cond);                                                  \
    } while (0)

/* Compare a hw_code with the expected one; the last error struct, if named, is printed. */
#define EXPECT_CODE(expr, want) EXPECT_CODE_E(expr, want, NULL)
#define EXPECT_CODE_E(expr, want, errp)                                                            \
    do {                                                                                           \
        hw_code got_ = (expr);                                                                     \
        if (got_ != (want))                                                                        \
            unit_fail_code(__FILE__, __LINE__, #expr, got_, want, errp);                           \
    } while (0)

#define EXPECT_STR(expr, want)                                                                     \
    do {                                                                                           \
        const char *got_ = (expr), *want_ = (want);                                                \
        if (!got_ || strcmp(got_, want_))                                                          \
            unit_fail_str(__FILE__, __LINE__, #expr, got_, want_);                                 \
    } while (0)

#define EXPECT_INT(expr, want)                                                                     \
    do {                                                                                           \
        long long got_ = (long long)(expr), want_ = (long long)(want);                             \
        if (got_ != want_)                                                                         \
            unit_fail_int(__FILE__, __LINE__, #expr, got_, want_);                                 \
    } while (0)

#endif
