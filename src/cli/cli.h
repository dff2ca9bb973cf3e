/* SPDX-License-Identifier: MIT */
/*
 * Shared by the `homeward` commands: the command signature, exit statuses,
 * error printing and the progress bar.  Commands use only the public API.
 */
#ifndef HW_CLI_H
#define HW_CLI_H

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#include "homeward/error.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_vocab(int argc, char **argv);
int cmd_logic(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_fund(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_org(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* The rules folder: `given`, else $HOMEWARD_RULES, else ./rules, else the source tree's. */
const char *cli_rules_dir(const char *given);

/* Set by SIGINT/SIGTERM: long work stops cleanly and rolls back. */
extern volatile sig_atomic_t cli_interrupted;
void cli_catch_signals(void);

/* Write j and a newline to f, then free j (NULL is out of memory); false when that failed. */
bool cli_put_json(FILE *f, json_t *j, size_t flags);

/*
 * A `CMD list --db FILE [--json]` command: opens the database read-only;
 * `header` prints the table's heading and `list` calls back for each item,
 * given NULL (print a row) or, with --json, an array to append an object
 * to, which is written whole at the end.
 */
typedef struct hw_store hw_store;
typedef hw_code (*cli_list_fn)(hw_store *s, json_t *arr, hw_err *e);
int cli_list(const char *cmd, const char *usage, int argc, char **argv, void (*header)(void),
             cli_list_fn list);

/* Print "homeward CMD: message" to stderr and return EXIT_FAIL. */
int cli_fail(const char *cmd, const hw_err *e);
/* Print "homeward CMD: message" and the usage line to stderr; return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...) HW_PRINTF(3, 4);

/* Parse a whole positive number for option `opt`; false (with a message) if it is not one. */
bool cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t max, uint64_t *out);

/* A progress bar on stderr, drawn only when stderr is a terminal. */
typedef struct cli_progress {
    const char *label;
    bool tty;
    bool bytes;   /* show sizes as bytes rather than counts */
    double start; /* seconds */
    double last_draw;
} cli_progress;

void cli_progress_start(cli_progress *p, const char *label, bool bytes);
/* Matches the library's progress callbacks: returns non-zero when interrupted. */
int cli_progress_update(void *p, uint64_t done, uint64_t total);
void cli_progress_end(cli_progress *p);
/* Seconds since some fixed point, for timing. */
double cli_now(void);

#endif
