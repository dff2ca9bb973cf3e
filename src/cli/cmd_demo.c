/* SPDX-License-Identifier: MIT */
/* `homeward demo`: a new database of synthetic records, built whole and then renamed. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/date.h"
#include "homeward/demo.h"
#include "homeward/store.h"

static const char usage[] = "homeward demo --db FILE --people N --seed S [--as-of YYYY-MM-DD]";

static void help(void)
{
    printf("usage: %s\n\n"
           "Create FILE, a new database of N synthetic people and their records\n"
           "(convictions, sentences, supervision, fines and fees with their ledgers,\n"
           "appointments, violations, custody events) in three organisations.  The same\n"
           "N, S and as-of date give the same records.  docs/demo-data.md describes the\n"
           "distributions.\n\n"
           "  --as-of DATE  the day the records are current to (default: today)\n\n"
           "FILE must not exist: the database is built under another name and renamed\n"
           "into place only when complete.\n",
           usage);
}

int cmd_demo(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"people", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'}, {"as-of", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},       {0}};
    hw_demo_opts o = {0};
    hw_demo_result res;
    const char *db = NULL, *as_of = NULL;
    bool have_people = false, have_seed = false;
    char tmp[4096];
    hw_store *s = NULL;
    cli_progress bar;
    double t0;
    hw_err e;
    hw_code rc;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'p':
            if (!cli_parse_u64("demo", "--people", optarg, 100000000, &o.people))
                return EXIT_USAGE;
            have_people = true;
            break;
        case 's':
            if (!cli_parse_u64("demo", "--seed", optarg, UINT64_MAX, &o.seed))
                return EXIT_USAGE;
            have_seed = true;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return cli_usage_error("demo", usage, "unknown option");
        }
    }
    if (!db || !have_people || !have_seed)
        return cli_usage_error("demo", usage, "--db, --people and --seed are required");
    if (optind < argc)
        return cli_usage_error("demo", usage, "unexpected argument '%s'", argv[optind]);
    if (o.people == 0)
        return cli_usage_error("demo", usage, "--people must be at least 1");
    o.as_of = hw_date_today();
    if (as_of && hw_date_parse(as_of, strlen(as_of), &o.as_of, &e))
        return cli_usage_error("demo", usage, "--as-of: %s", e.msg);
    if (access(db, F_OK) == 0) {
        fprintf(stderr,
                "homeward demo: '%s' exists; demo writes a new database "
                "(remove it, or choose another path)\n",
                db);
        return EXIT_FAIL;
    }
    snprintf(tmp, sizeof(tmp), "%s.partial", db);
    unlink(tmp);
    cli_catch_signals();
    if (hw_store_open(tmp, HW_STORE_CREATE | HW_STORE_SCRATCH, &s, &e))
        return cli_fail("demo", &e);
    cli_progress_start(&bar, "generating people", false);
    o.progress = cli_progress_update;
    o.progress_ud = &bar;
    t0 = cli_now();
    rc = hw_demo_generate(s, &o, &res, &e);
    cli_progress_end(&bar);
    hw_store_close(s);
    if (!rc && rename(tmp, db) != 0)
        rc = hw_fail_errno(&e, HW_EIO, "cannot rename '%s' to '%s'", tmp, db);
    if (rc) {
        unlink(tmp);
        return cli_fail("demo", &e);
    }
    printf("created %s: %llu people", db, (unsigned long long)o.people);
    if (bar.tty) /* timings for a person watching; logs and tests stay the same */
        printf(" in %.1f s", cli_now() - t0);
    printf("\n");
    for (int k = 0; k < HW_K_COUNT; k++)
        printf("  %-15s %lld\n", hw_vocab_kind((hw_kind)k)->name, (long long)res.count[k]);
    return EXIT_OK;
}
