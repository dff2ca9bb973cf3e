/* SPDX-License-Identifier: MIT */
/*
 * `homeward fund`: funds, gifts and the ledger's own check.
 *
 *   fund add   creates a fund; its budget is recorded as the opening gift
 *   fund gift  records a gift, split over one or more funds
 *   fund list  funds with what they were given, paid and hold
 *   fund check the ledger's invariants: every transaction balances, the
 *              accounts sum to zero, no fund is below zero
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/text.h"
#include "homeward/date.h"
#include "homeward/funds.h"

static const char usage[] =
    "homeward fund add --db FILE --name NAME --budget CENTS [--restrict JSONLOGIC]\n"
    "                  [--cap CENTS] [--donor NAME] [--org ID]\n"
    "       homeward fund gift --db FILE --donor NAME --fund ID:CENTS [--fund ID:CENTS ...]\n"
    "                  [--date DATE] [--memo TEXT] [--org ID]\n"
    "       homeward fund list --db FILE [--json]\n"
    "       homeward fund check --db FILE";

/* A whole number of cents, >= 0; false with a message naming the option. */
static bool parse_cents(const char *opt, const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!*s || *s == '+' || *s == ' ')
        goto bad;
    if (*s == '-') {
        fprintf(stderr, "homeward fund: %s: a budget cannot be negative: '%s'\n", opt, s);
        return false;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end)
        goto bad;
    *out = v;
    return true;
bad:
    fprintf(stderr, "homeward fund: %s: not a whole number of cents: '%s'\n", opt, s);
    return false;
}

static int fund_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"name", required_argument, NULL, 'n'},
        {"budget", required_argument, NULL, 'b'}, {"restrict", required_argument, NULL, 'r'},
        {"cap", required_argument, NULL, 'c'},    {"donor", required_argument, NULL, 'D'},
        {"org", required_argument, NULL, 'o'},    {0}};
    const char *db = NULL, *name = NULL, *restriction = NULL, *donor = NULL;
    int64_t budget = -1, cap = 0, id = 0, donor_id = 0, org = 0;
    uint64_t u;
    hw_store *s = NULL;
    hw_err e;
    int c, status = EXIT_FAIL;
    char today[HW_DATE_LEN + 1], key[64], money[48];

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'b':
            if (!parse_cents("--budget", optarg, &budget))
                return EXIT_USAGE;
            break;
        case 'r':
            restriction = optarg;
            break;
        case 'c':
            if (!parse_cents("--cap", optarg, &cap))
                return EXIT_USAGE;
            break;
        case 'D':
            donor = optarg;
            break;
        case 'o':
            if (!cli_parse_u64("fund", "--org", optarg, INT64_MAX, &u))
                return EXIT_USAGE;
            org = (int64_t)u;
            break;
        default:
            return cli_usage_error("fund", usage, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("fund", usage, "unexpected argument '%s'", argv[optind]);
    if (!db || !name || budget < 0)
        return cli_usage_error("fund", usage, "fund add needs --db, --name and --budget");
    if (hw_store_open(db, 0, &s, &e))
        return cli_fail("fund", &e);
    /* The fund, its donor and the opening gift are made together or not at all. */
    if (hw_store_begin(s, 0, &e) || hw_fund_add(s, org, name, restriction, cap, &id, &e))
        goto out;
    if (budget > 0) {
        char donor_name[256];
        hw_fund f;
        hw_arena a;

        hw_arena_init(&a, 0, 0);
        if (hw_fund_get(s, id, &a, &f, &e)) {
            hw_arena_release(&a);
            goto out;
        }
        snprintf(donor_name, sizeof donor_name, "%s",
                 donor ? donor : "opening budget (unattributed)");
        hw_date_format(hw_date_today(), today);
        snprintf(key, sizeof key, "fund:%lld:opening", (long long)id);
        if (hw_donor_id(s, f.organisation_id, donor_name, &donor_id, &e) ||
            hw_gift(s, donor_id, 1, &id, &budget, today, "opening budget", key, NULL, &e)) {
            hw_arena_release(&a);
            goto out;
        }
        hw_arena_release(&a);
    }
    if (hw_store_commit(s, &e))
        goto out;
    hw_cents_format(budget, money, sizeof money);
    printf("fund '%s' created with %s%s\n", name, money, restriction ? ", restricted" : "");
    printf("%lld\n", (long long)id);
    status = EXIT_OK;
out:
    if (status != EXIT_OK)
        cli_fail("fund", &e);
    hw_store_close(s);
    return status;
}

static int fund_gift(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"donor", required_argument, NULL, 'D'},
                                         {"fund", required_argument, NULL, 'f'},
                                         {"date", required_argument, NULL, 't'},
                                         {"memo", required_argument, NULL, 'm'},
                                         {"org", required_argument, NULL, 'o'},
                                         {0}};
    const char *db = NULL, *donor = NULL, *memo = NULL;
    int64_t ids[64], amounts[64], donor_id = 0, txn = 0, org = 0, total = 0;
    size_t n = 0;
    char date[HW_DATE_LEN + 1] = "", money[48];
    int32_t day;
    uint64_t u;
    hw_store *s = NULL;
    hw_err e;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'D':
            donor = optarg;
            break;
        case 'f': {
            char *colon = strchr(optarg, ':'), *end;
            long long fid;

            if (n == 64)
                return cli_usage_error("fund", usage, "at most 64 funds in one gift");
            if (!colon)
                return cli_usage_error("fund", usage, "--fund takes ID:CENTS, not '%s'", optarg);
            errno = 0;
            fid = strtoll(optarg, &end, 10);
            if (errno || end != colon || fid <= 0)
                return cli_usage_error("fund", usage, "--fund %s: not a fund id", optarg);
            ids[n] = fid;
            if (!parse_cents("--fund", colon + 1, &amounts[n]))
                return EXIT_USAGE;
            total += amounts[n++];
            break;
        }
        case 't':
            if (hw_date_parse(optarg, strlen(optarg), &day, &e))
                return cli_usage_error("fund", usage, "--date: %s", e.msg);
            hw_date_format(day, date);
            break;
        case 'm':
            memo = optarg;
            break;
        case 'o':
            if (!cli_parse_u64("fund", "--org", optarg, INT64_MAX, &u))
                return EXIT_USAGE;
            org = (int64_t)u;
            break;
        default:
            return cli_usage_error("fund", usage, "unknown option");
        }
    }
    if (!db || !donor || !n)
        return cli_usage_error("fund", usage, "fund gift needs --db, --donor and --fund");
    if (!date[0])
        hw_date_format(hw_date_today(), date);
    if (hw_store_open(db, 0, &s, &e))
        return cli_fail("fund", &e);
    if (hw_store_begin(s, 0, &e) || hw_donor_id(s, org, donor, &donor_id, &e) ||
        hw_gift(s, donor_id, n, ids, amounts, date, memo, NULL, &txn, &e) ||
        hw_store_commit(s, &e)) {
        hw_store_close(s);
        return cli_fail("fund", &e);
    }
    hw_cents_format(total, money, sizeof money);
    printf("gift of %s from '%s' recorded over %zu fund%s\n", money, donor, n, n == 1 ? "" : "s");
    printf("%lld\n", (long long)txn);
    hw_store_close(s);
    return EXIT_OK;
}

static int list_one(void *ud, const hw_fund *f)
{
    json_t *arr = ud;
    char given[48], paid[48], bal[48];

    if (arr)
        return json_array_append_new(
            arr, json_pack(
                     "{sI sI ss ss* sI sI sI sI ss}", "id", (json_int_t)f->id, "organisation_id",
                     (json_int_t)f->organisation_id, "name", f->name, "restriction", f->restriction,
                     "per_person_cap_cents", (json_int_t)f->per_person_cap_cents, "given_cents",
                     (json_int_t)f->given_cents, "paid_cents", (json_int_t)f->paid_cents,
                     "balance_cents", (json_int_t)f->balance_cents, "created_at", f->created_at));
    hw_cents_format(f->given_cents, given, sizeof given);
    hw_cents_format(f->paid_cents, paid, sizeof paid);
    hw_cents_format(f->balance_cents, bal, sizeof bal);
    printf("%4lld  %-32.32s %4lld %15s %15s %15s  %s\n", (long long)f->id, f->name,
           (long long)f->organisation_id, given, paid, bal,
           f->restriction ? f->restriction : "any obligation");
    return 0;
}

static void list_header(void)
{
    printf("%4s  %-32s %4s %15s %15s %15s  %s\n", "id", "name", "org", "given", "paid", "holds",
           "restriction");
}

static hw_code list_rows(hw_store *s, json_t *arr, hw_err *e)
{
    return hw_fund_list(s, list_one, arr, e);
}

static int fund_list(int argc, char **argv)
{
    return cli_list("fund", usage, argc, argv, list_header, list_rows);
}

static int fund_check(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {0}};
    const char *db = NULL;
    hw_ledger_check k;
    hw_store *s = NULL;
    hw_err e;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else
            return cli_usage_error("fund", usage, "unknown option");
    }
    if (!db)
        return cli_usage_error("fund", usage, "fund check needs --db");
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e))
        return cli_fail("fund", &e);
    if (hw_ledger_check_all(s, &k, &e)) {
        hw_store_close(s);
        return cli_fail("fund", &e);
    }
    hw_store_close(s);
    printf("%lld transactions, %lld postings\n", (long long)k.txns, (long long)k.postings);
    printf("all accounts sum to %lld cents\n", (long long)k.sum_cents);
    printf("%lld unbalanced transactions, %lld funds below zero, %lld kept balances wrong\n",
           (long long)k.unbalanced_txns, (long long)k.negative_funds, (long long)k.kept_wrong);
    if (k.sum_cents || k.unbalanced_txns || k.negative_funds || k.kept_wrong) {
        fprintf(stderr, "homeward fund: the ledger is inconsistent\n");
        return EXIT_FAIL;
    }
    puts("ledger ok");
    return EXIT_OK;
}

int cmd_fund(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } subs[] = {{"add", fund_add}, {"gift", fund_gift}, {"list", fund_list}, {"check", fund_check}};

    if (argc < 2)
        return cli_usage_error("fund", usage, "say what to do: add, gift, list or check");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("usage: %s\n\n"
               "Fees-relief funds and their double-entry ledger (docs/funds.md).\n\n"
               "  add        create a fund; its budget (whole cents) is the opening gift, from\n"
               "             --donor; --restrict is JSON Logic over person and obligation;\n"
               "             --cap the most paid for one person; prints the fund's id last\n"
               "  gift       a gift from --donor split over funds, --fund ID:CENTS each;\n"
               "             prints the transaction's id last\n"
               "  list       funds with what they were given, paid and hold (--json)\n"
               "  check      every transaction balances, the accounts sum to zero, no fund\n"
               "             is below zero (exit 1 when not)\n"
               "  --org ID   the organisation, when the database holds more than one\n",
               usage);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].fn(argc - 1, argv + 1);
    return cli_usage_error("fund", usage, "unknown subcommand '%s'", argv[1]);
}
