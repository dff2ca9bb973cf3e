/* SPDX-License-Identifier: MIT */
/* `homeward init`: create a database, or bring an existing one up to date. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/store.h"

static const char usage[] = "homeward init --db FILE";

int cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = NULL;
    hw_store *s = NULL;
    hw_err e;
    int c, before, now;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd') {
            db = optarg;
        } else if (c == 'h') {
            printf("usage: %s\n\nCreate the SQLite database FILE with Homeward's schema, or apply\n"
                   "the migrations an older database lacks.  Safe to run again.\n",
                   usage);
            return EXIT_OK;
        } else {
            return cli_usage_error("init", usage, "unknown option");
        }
    }
    if (!db)
        return cli_usage_error("init", usage, "--db FILE is required");
    if (optind < argc)
        return cli_usage_error("init", usage, "unexpected argument '%s'", argv[optind]);
    if (hw_store_open(db, HW_STORE_CREATE, &s, &e))
        return cli_fail("init", &e);
    before = hw_store_schema_version_at_open(s);
    now = hw_store_schema_version(s);
    if (before == 0)
        printf("created %s (schema version %d)\n", db, now);
    else if (before == now)
        printf("%s is up to date (schema version %d)\n", db, now);
    else
        printf("upgraded %s from schema version %d to %d\n", db, before, now);
    hw_store_close(s);
    return EXIT_OK;
}
