/* SPDX-License-Identifier: MIT */
/* The unit test runner: every test in list.h, or those named by prefix; TAP output. */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "list.h"
#include "unit.h"

#define DECLARE(name) void test_##name(void);
UNIT_TESTS(DECLARE)

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define ENTRY(name) {#name, test_##name},
    UNIT_TESTS(ENTRY)};

static int failures; /* in the test now running */
static char tmpdir[256];

void unit_fail(const char *file, int line, const char *what)
{
    failures++;
    printf("#   %s:%d: expected %s\n", file, line, what);
}

void unit_fail_code(const char *file, int line, const char *expr, hw_code got, hw_code want,
                    const hw_err *e)
{
    failures++;
    printf("#   %s:%d: %s gave %s, expected %s", file, line, expr, hw_code_name(got),
           hw_code_name(want));
    if (e && e->code)
        printf(" (%s%s%s)", e->field, e->field[0] ? ": " : "", e->msg);
    printf("\n");
}

void unit_fail_str(const char *file, int line, const char *expr, const char *got, const char *want)
{
    failures++;
    printf("#   %s:%d: %s is \"%s\", expected \"%s\"\n", file, line, expr, got ? got : "(null)",
           want);
}

void unit_fail_int(const char *file, int line, const char *expr, long long got, long long want)
{
    failures++;
    printf("#   %s:%d: %s is %lld, expected %lld\n", file, line, expr, got, want);
}

const char *unit_tmpdir(void)
{
    if (!tmpdir[0]) {
        const char *base = getenv("TMPDIR");

        snprintf(tmpdir, sizeof(tmpdir), "%s/hw-unit-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(2);
        }
    }
    return tmpdir;
}

const char *unit_path(const char *name)
{
    static char bufs[8][512];
    static int i;

    i = (i + 1) % 8;
    snprintf(bufs[i], sizeof(bufs[i]), "%s/%s", unit_tmpdir(), name);
    return bufs[i];
}

const char *unit_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f)) {
        perror(path);
        exit(2);
    }
    return path;
}

static void cleanup(void)
{
    char cmd[600];

    if (tmpdir[0] && !getenv("HW_UNIT_KEEP")) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", tmpdir);
    }
}

int main(int argc, char **argv)
{
    int run = 0, failed = 0;

    atexit(cleanup);
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        bool want = argc < 2;

        for (int a = 1; a < argc && !want; a++)
            want = !strncmp(tests[i].name, argv[a], strlen(argv[a]));
        if (!want)
            continue;
        failures = 0;
        tests[i].fn();
        run++;
        printf("%s %d - %s\n", failures ? "not ok" : "ok", run, tests[i].name);
        failed += failures > 0;
    }
    printf("1..%d\n", run);
    printf("%d passed, %d failed\n", run - failed, failed);
    if (run == 0) {
        fprintf(stderr, "no test matches\n");
        return 1;
    }
    return failed ? 1 : 0;
}

int unit_sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    int r;

    sqlite3_open(path, &db);
    r = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return r;
}

long long unit_sql_int(const char *path, const char *sql)
{
    long long v = 0;
    sqlite3 *db;
    sqlite3_stmt *st;

    sqlite3_open(path, &db);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}
