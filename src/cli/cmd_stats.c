/* SPDX-License-Identifier: MIT */
/* `homeward stats`: what a database holds, for a person or (--json) a program. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/date.h"
#include "homeward/stats.h"
#include "homeward/text.h"

static const char usage[] = "homeward stats --db FILE [--as-of YYYY-MM-DD] [--json]";

/* Formatted numbers for one printf: a few rotating buffers. */
static const char *num(int64_t n)
{
    static char bufs[8][32];
    static int i;

    i = (i + 1) % 8;
    hw_count_format(n, bufs[i], sizeof(bufs[i]));
    return bufs[i];
}

static const char *money(int64_t cents)
{
    static char bufs[8][40];
    static int i;

    i = (i + 1) % 8;
    hw_cents_format(cents, bufs[i], sizeof(bufs[i]));
    return bufs[i];
}

static void print_human(const char *db, const hw_stats *st)
{
    static const char *const buckets[HW_STATS_BUCKETS] = {
        "under $100", "$100-500", "$500-1,000", "$1,000-5,000", "$5,000-10,000", "$10,000+"};
    int64_t seen = st->attended_last_90 + st->missed_last_90;
    char day[HW_DATE_LEN + 1];
    int width = 10;

    hw_date_format(st->as_of, day);
    printf("Homeward: %s, as of %s\n\n", db, day);
    printf("People: %s in %zu organisation%s\n", num(st->count[HW_K_PEOPLE]), st->norgs,
           st->norgs == 1 ? "" : "s");
    for (size_t i = 0; i < st->norgs; i++)
        if ((int)strlen(st->orgs[i].name) > width)
            width = (int)strlen(st->orgs[i].name);
    for (size_t i = 0; i < st->norgs; i++)
        printf("  %-3lld %-*s %10s people, %s on supervision, %s owing\n",
               (long long)st->orgs[i].id, width, st->orgs[i].name, num(st->orgs[i].people),
               num(st->orgs[i].on_supervision), num(st->orgs[i].owing));
    printf("\nActive supervision terms\n");
    printf("  probation           %12s\n", num(st->supervision_active[0]));
    printf("  parole              %12s\n", num(st->supervision_active[1]));
    printf("  supervised release  %12s\n", num(st->supervision_active[2]));
    printf("  (ended or revoked   %12s)\n", num(st->supervision_other));
    printf("In prison or jail     %12s people\n", num(st->in_custody));
    printf("\nBalances owed: %s by %s people (paid to date: %s)\n", money(st->owed_total),
           num(st->people_owing), money(st->paid_total));
    printf("  fines %s, fees %s, costs %s, restitution %s\n", money(st->owed_by_kind[0]),
           money(st->owed_by_kind[1]), money(st->owed_by_kind[2]), money(st->owed_by_kind[3]));
    if (st->people_owing)
        printf("  per person owing: median %s, 90th percentile %s, largest %s\n",
               money(st->owing_median), money(st->owing_p90), money(st->owing_max));
    printf("  people by balance:");
    for (int i = 0; i < HW_STATS_BUCKETS; i++)
        printf("%s %s %s", i ? "," : "", buckets[i], num(st->owing_buckets[i]));
    printf("\n\nCheck-ins\n");
    printf("  scheduled in the next 7 days   %10s (appointments of any kind: %s)\n",
           num(st->checkins_next_7), num(st->appointments_next_7));
    printf("  scheduled in the next 30 days  %10s\n", num(st->checkins_next_30));
    printf("  last 90 days: %s attended, %s missed", num(st->attended_last_90),
           num(st->missed_last_90));
    if (seen)
        printf(" (%.1f%% missed)", 100.0 * (double)st->missed_last_90 / (double)seen);
    printf("\n\nLast 365 days: %s technical violations, %s new offenses, %s returns to custody\n",
           num(st->violations_last_365[0]), num(st->violations_last_365[1]),
           num(st->returns_last_365));
    printf("\nRecords:");
    for (int k = 0; k < HW_K_COUNT; k++)
        printf("%s %s %s", k ? "," : "", hw_vocab_kind((hw_kind)k)->name, num(st->count[k]));
    printf("\n");
}

int cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL, *as_of = NULL;
    bool json = false;
    hw_store *s = NULL;
    hw_stats st;
    int32_t day;
    hw_err e;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            printf("usage: %s\n\nSummarise the database: people per organisation, active\n"
                   "supervision, people in custody, balances owed, check-ins coming up and\n"
                   "missed, violations and returns to custody.  Aggregates only, no names.\n\n"
                   "  --as-of DATE  count from this day (default: the demo's date for a demo\n"
                   "                database, else today)\n"
                   "  --json        the same, as JSON\n",
                   usage);
            return EXIT_OK;
        default:
            return cli_usage_error("stats", usage, "unknown option");
        }
    }
    if (!db)
        return cli_usage_error("stats", usage, "--db FILE is required");
    if (optind < argc)
        return cli_usage_error("stats", usage, "unexpected argument '%s'", argv[optind]);
    if (as_of && hw_date_parse(as_of, strlen(as_of), &day, &e))
        return cli_usage_error("stats", usage, "--as-of: %s", e.msg);
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e))
        return cli_fail("stats", &e);
    if (!as_of) {
        char demo_day[32];

        day = hw_date_today();
        if (hw_store_meta_get(s, "demo.as_of", demo_day, sizeof(demo_day), NULL) == HW_OK)
            hw_date_parse(demo_day, strlen(demo_day), &day, NULL);
    }
    if (hw_stats_collect(s, day, &st, &e)) {
        hw_store_close(s);
        return cli_fail("stats", &e);
    }
    hw_store_close(s);
    if (json) {
        char *text = hw_stats_json(&st);

        if (!text) {
            hw_stats_release(&st);
            fprintf(stderr, "homeward stats: out of memory\n");
            return EXIT_FAIL;
        }
        printf("%s\n", text);
        free(text);
    } else {
        print_human(db, &st);
    }
    hw_stats_release(&st);
    return EXIT_OK;
}
