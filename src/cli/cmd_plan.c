/* SPDX-License-Identifier: MIT */
/*
 * `homeward plan`: choose the balances to pay from one or several funds
 * (docs/planner.md).  Without --dry-run the plan is saved as a draft;
 * --commit pays it at once.  `homeward plan commit --plan ID` pays a saved
 * plan, refusing if balances changed since it was made.  A commit writes
 * each payee's remittance (CSV and PDF) and an impact summary to --out.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/text.h"
#include "homeward/date.h"
#include "homeward/plan.h"
#include "homeward/remit.h"

static const char usage[] =
    "homeward plan --db FILE --fund ID [--fund ID ...] [--objective people|weighted]\n"
    "              [--dry-run | --commit] [--format table|json] [--explain FILE]\n"
    "              [--as-of DATE] [--rules DIR] [--time-limit SECONDS] [--gap FRACTION]\n"
    "              [--out DIR]\n"
    "       homeward plan commit --db FILE --plan ID [--out DIR]\n"
    "       homeward plan list --db FILE [--json]";

static void print_table(const hw_plan *p)
{
    char budget[48], spent[48], cost[48];
    size_t shown = 0, nchosen = 0;

    hw_cents_format(p->budget_cents, budget, sizeof budget);
    hw_cents_format(p->spent_cents, spent, sizeof spent);
    for (size_t i = 0; i < p->ncand; i++)
        nchosen += p->cand[i].chosen != 0;
    char id[32] = " (not saved)";

    if (p->id)
        snprintf(id, sizeof id, " %lld", (long long)p->id);
    printf("plan%s as of %s, objective %s, %s\n", id, p->as_of,
           p->objective == HW_OBJECTIVE_PEOPLE ? "people freed" : "weighted impact", p->method);
    printf("  %s: %lld (bound %lld)%s\n", p->optimal ? "optimal" : "best found",
           (long long)p->objective_value, (long long)p->bound,
           p->optimal ? ", proven" : ", gap not closed within the time limit");
    printf("  greedy by value per dollar: %lld; the optimal plan: %+lld\n",
           (long long)p->greedy_value, (long long)(p->objective_value - p->greedy_value));
    printf("  spends %s of %s over %zu fund%s; pays for %zu of %zu candidates\n", spent, budget,
           p->nfunds, p->nfunds == 1 ? "" : "s", nchosen, p->ncand);
    printf("  people freed: %lld; supervision-months avoided: %lld; waivers instead of paying: "
           "%zu\n",
           (long long)p->people_freed, (long long)p->months_avoided, p->nwaste);
    for (size_t f = 0; f < p->nfunds; f++) {
        hw_cents_format(p->funds[f].budget_cents, budget, sizeof budget);
        hw_cents_format(p->funds[f].spent_cents, spent, sizeof spent);
        printf("  fund %lld '%s': spends %s of %s; admits %zu candidates\n",
               (long long)p->funds[f].id, p->funds[f].name, spent, budget, p->funds[f].admitted);
    }
    if (!nchosen)
        return;
    printf("\n%9s %12s %6s  %s\n", "person", "cost", "value", "reason");
    for (size_t i = 0; i < p->ncand && shown < 20; i++) {
        const hw_plan_candidate *c = &p->cand[i];

        if (!c->chosen)
            continue;
        hw_cents_format(c->cost_cents, cost, sizeof cost);
        printf("%9lld %12s %6lld  %s\n", (long long)c->person_id, cost, (long long)c->value,
               c->reason);
        shown++;
    }
    if (nchosen > shown)
        printf("... and %zu more (--format json, or --explain FILE for every candidate)\n",
               nchosen - shown);
}

static int write_explain(const hw_plan *p, const char *path)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        fprintf(stderr, "homeward plan: --explain: cannot write '%s': %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    bool ok = true;

    for (size_t i = 0; ok && i < p->ncand; i++)
        ok = cli_put_json(f, hw_plan_candidate_json(&p->cand[i], false), JSON_COMPACT);
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "homeward plan: --explain: writing '%s': %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

typedef struct remit_ctx {
    const char *dir;
    size_t payees;
    hw_err *e;
    hw_code rc;
} remit_ctx;

/* A payee's name as a file name: letters and digits, the rest '-'. */
static void file_name(char *out, size_t n, const char *payee)
{
    size_t o = 0;

    for (; *payee && o + 1 < n; payee++) {
        char ch = *payee;
        bool keep =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');

        if (keep)
            out[o++] = ch;
        else if (o && out[o - 1] != '-')
            out[o++] = '-';
    }
    while (o && out[o - 1] == '-')
        o--;
    out[o] = 0;
}

static int write_remit(void *ud, const hw_remit *r)
{
    remit_ctx *x = ud;
    char name[120], path[1200];
    FILE *f;

    file_name(name, sizeof name, r->payee);
    snprintf(path, sizeof path, "%s/%s.csv", x->dir, name);
    if (!(f = fopen(path, "w"))) {
        x->rc = hw_fail_errno(x->e, HW_EIO, "cannot write '%s'", path);
        return 1;
    }
    x->rc = hw_remit_write_csv(r, f, x->e);
    if (fclose(f) != 0 && !x->rc)
        x->rc = hw_fail_errno(x->e, HW_EIO, "writing '%s'", path);
    if (x->rc)
        return 1;
    snprintf(path, sizeof path, "%s/%s.pdf", x->dir, name);
    if ((x->rc = hw_remit_write_pdf(r, path, x->e)))
        return 1;
    x->payees++;
    return 0;
}

static int finish_commit(hw_store *s, int64_t plan_id, const char *out_dir, FILE *msg)
{
    hw_commit_report r;
    char today[HW_DATE_LEN + 1], dir[1024], paid[48], path[1100];
    remit_ctx x;
    hw_err e;
    hw_code rc;
    FILE *f;

    hw_date_format(hw_date_today(), today);
    if (hw_plan_commit(s, plan_id, today, &r, &e))
        return cli_fail("plan", &e);
    hw_cents_format(r.paid_cents, paid, sizeof paid);
    if (r.already)
        fprintf(msg, "plan %lld was already committed: nothing paid again\n", (long long)plan_id);
    else
        fprintf(msg, "plan %lld committed: %lld payments made now%s, %s in all\n",
                (long long)plan_id, (long long)r.payments_made,
                r.payments_before ? " (the rest by an earlier, interrupted run)" : "", paid);
    snprintf(dir, sizeof dir, "%s", out_dir ? out_dir : "");
    if (!dir[0])
        snprintf(dir, sizeof dir, "plan-%lld", (long long)plan_id);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "homeward plan: cannot make '%s': %s\n", dir, strerror(errno));
        return EXIT_FAIL;
    }
    x = (remit_ctx){.dir = dir, .e = &e};
    rc = hw_plan_remittances(s, plan_id, write_remit, &x, &e);
    if (rc == HW_ECANCELED)
        rc = x.rc;
    if (rc)
        return cli_fail("plan", &e);
    snprintf(path, sizeof path, "%s/impact.json", dir);
    if (!(f = fopen(path, "w"))) {
        fprintf(stderr, "homeward plan: cannot write '%s': %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    fprintf(f,
            "{\"plan_id\": %lld, \"people_freed\": %lld, \"people_helped\": %lld, "
            "\"paid_cents\": %lld, \"supervision_months_avoided\": %lld, \"payees\": %zu}\n",
            (long long)plan_id, (long long)r.people_freed, (long long)r.people_helped,
            (long long)r.paid_cents, (long long)r.months_avoided, x.payees);
    if (fclose(f) != 0) {
        fprintf(stderr, "homeward plan: writing '%s': %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    fprintf(msg,
            "impact: %lld people freed, %lld helped in all, %s paid, %lld supervision-months "
            "avoided\n",
            (long long)r.people_freed, (long long)r.people_helped, paid,
            (long long)r.months_avoided);
    fprintf(msg, "remittances for %zu payees (CSV and PDF) and impact.json in %s/\n", x.payees,
            dir);
    return EXIT_OK;
}

static int plan_commit_cmd(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"plan", required_argument, NULL, 'p'},
                                         {"out", required_argument, NULL, 'o'},
                                         {0}};
    const char *db = NULL, *out = NULL;
    uint64_t id = 0;
    hw_store *s = NULL;
    hw_err e;
    int c, status;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'p':
            if (!cli_parse_u64("plan", "--plan", optarg, INT64_MAX, &id))
                return EXIT_USAGE;
            break;
        case 'o':
            out = optarg;
            break;
        default:
            return cli_usage_error("plan", usage, "unknown option");
        }
    }
    if (!db || !id)
        return cli_usage_error("plan", usage, "plan commit needs --db and --plan");
    if (hw_store_open(db, 0, &s, &e))
        return cli_fail("plan", &e);
    status = finish_commit(s, (int64_t)id, out, stdout);
    hw_store_close(s);
    return status;
}

static int list_one(void *ud, const hw_plan_summary *p)
{
    json_t *arr = ud;
    char budget[32], spent[32];

    if (arr) {
        json_t *o = hw_plan_summary_json(p);

        return o ? json_array_append_new(arr, o) : 1;
    }
    hw_cents_format(p->budget_cents, budget, sizeof budget);
    hw_cents_format(p->spent_cents, spent, sizeof spent);
    printf("%5lld  %-10s %-20s %-9s %-8s %9lld %7lld %15s %15s  %s\n", (long long)p->id, p->status,
           p->created_at, p->objective, p->optimal ? "optimal" : "gap",
           (long long)p->objective_value, (long long)p->people, spent, budget, p->funds);
    return 0;
}

static void list_header(void)
{
    printf("%5s  %-10s %-20s %-9s %-8s %9s %7s %15s %15s  %s\n", "plan", "status", "created",
           "objective", "proven", "value", "people", "spent", "budget", "funds");
}

static hw_code list_rows(hw_store *s, json_t *arr, hw_err *e)
{
    return hw_plan_list(s, list_one, arr, e);
}

static int plan_list_cmd(int argc, char **argv)
{
    return cli_list("plan", usage, argc, argv, list_header, list_rows);
}

int cmd_plan(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"fund", required_argument, NULL, 'f'},
                                         {"objective", required_argument, NULL, 'O'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"commit", no_argument, NULL, 'c'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"explain", required_argument, NULL, 'x'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"time-limit", required_argument, NULL, 't'},
                                         {"gap", required_argument, NULL, 'g'},
                                         {"out", required_argument, NULL, 'o'},
                                         {0}};
    const char *db = NULL, *fmt = "table", *explain = NULL, *dir = NULL, *out = NULL;
    int64_t funds[64];
    hw_plan_opts po = {.objective = HW_OBJECTIVE_PEOPLE};
    bool dry = false, commit = false;
    char as_of[HW_DATE_LEN + 1];
    hw_ruleset *rs = NULL;
    hw_store *s = NULL;
    hw_plan *p = NULL;
    int32_t day;
    uint64_t u;
    hw_err e;
    int c, status = EXIT_FAIL;

    if (argc > 1 && strcmp(argv[1], "commit") == 0)
        return plan_commit_cmd(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "list") == 0)
        return plan_list_cmd(argc - 1, argv + 1);
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: %s\n\n"
               "Choose the balances to pay from the funds so that the most people are freed,\n"
               "proven optimal (docs/planner.md).  Reads the stored screening.\n\n"
               "  --objective people    people freed (default); weighted: months avoided,\n"
               "                        parents of minor children, risk of a violation\n"
               "  (neither of the next) save the plan as a draft, to commit later\n"
               "  --dry-run             save nothing\n"
               "  --commit              save and pay it now\n"
               "  --format table|json   the plan as a summary, or one JSON object\n"
               "  --explain FILE        every candidate, chosen or not, with its reason (JSON\n"
               "                        Lines)\n"
               "  --time-limit, --gap   several funds: stop the search after SECONDS, or within\n"
               "                        FRACTION of the proven bound\n"
               "  --out DIR             where a commit writes remittances and impact.json\n"
               "                        (default plan-ID)\n"
               "  commit --plan ID      pay a saved plan; refused when balances changed\n"
               "  list                  saved plans, newest first (--json)\n",
               usage);
        return EXIT_OK;
    }
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'f':
            if (po.nfunds == 64)
                return cli_usage_error("plan", usage, "at most 64 funds");
            if (!cli_parse_u64("plan", "--fund", optarg, INT64_MAX, &u))
                return EXIT_USAGE;
            funds[po.nfunds++] = (int64_t)u;
            break;
        case 'O':
            if (strcmp(optarg, "people") == 0)
                po.objective = HW_OBJECTIVE_PEOPLE;
            else if (strcmp(optarg, "weighted") == 0)
                po.objective = HW_OBJECTIVE_WEIGHTED;
            else
                return cli_usage_error("plan", usage, "--objective is people or weighted, not '%s'",
                                       optarg);
            break;
        case 'n':
            dry = true;
            break;
        case 'c':
            commit = true;
            break;
        case 'F':
            if (strcmp(optarg, "table") != 0 && strcmp(optarg, "json") != 0)
                return cli_usage_error("plan", usage, "--format is table or json, not '%s'",
                                       optarg);
            fmt = optarg;
            break;
        case 'x':
            explain = optarg;
            break;
        case 'a':
            if (hw_date_parse(optarg, strlen(optarg), &day, &e))
                return cli_usage_error("plan", usage, "--as-of: %s", e.msg);
            hw_date_format(day, as_of);
            po.as_of = as_of;
            break;
        case 'r':
            dir = optarg;
            break;
        case 't': {
            char *end;

            po.time_limit_s = strtod(optarg, &end);
            if (*end || po.time_limit_s <= 0)
                return cli_usage_error("plan", usage,
                                       "--time-limit: not a positive number of "
                                       "seconds: '%s'",
                                       optarg);
            break;
        }
        case 'g': {
            char *end;

            po.gap = strtod(optarg, &end);
            if (*end || po.gap < 0 || po.gap >= 1)
                return cli_usage_error("plan", usage, "--gap: a fraction in [0, 1), not '%s'",
                                       optarg);
            break;
        }
        case 'o':
            out = optarg;
            break;
        default:
            return cli_usage_error("plan", usage, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("plan", usage, "unexpected argument '%s'", argv[optind]);
    if (!db || !po.nfunds)
        return cli_usage_error("plan", usage, "plan needs --db and at least one --fund");
    if (dry && commit)
        return cli_usage_error("plan", usage, "--dry-run and --commit cannot go together");
    po.fund_ids = funds;
    if (hw_rules_load(cli_rules_dir(dir), &rs, &e))
        return cli_fail("plan", &e);
    po.rules = rs;
    if (hw_store_open(db, dry ? HW_STORE_READONLY : 0, &s, &e) || hw_plan_make(s, &po, &p, &e) ||
        (!dry && hw_plan_save(s, p, &e))) {
        status = cli_fail("plan", &e);
        goto out;
    }
    if (explain && (status = write_explain(p, explain)) != EXIT_OK)
        goto out;
    if (strcmp(fmt, "json") == 0) {
        if (!cli_put_json(stdout, hw_plan_json(p), JSON_INDENT(2))) {
            fprintf(stderr, "homeward plan: cannot write the plan\n");
            goto out;
        }
    } else {
        print_table(p);
    }
    status = EXIT_OK;
    if (commit) {
        /* JSON on stdout stays one object: the commit's report goes to stderr. */
        fflush(stdout);
        status = finish_commit(s, p->id, out, strcmp(fmt, "json") == 0 ? stderr : stdout);
    }
out:
    hw_plan_free(p);
    hw_store_close(s);
    hw_ruleset_free(rs);
    return status;
}
