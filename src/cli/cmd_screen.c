/* SPDX-License-Identifier: MIT */
/*
 * `homeward screen`: judge records by the rule packs.  From a database every
 * applicable rule judges every record and the determinations are stored;
 * from --facts each JSON line is one rule input and nothing is stored.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/date.h"
#include "homeward/screen.h"

static const char usage[] =
    "homeward screen (--db FILE | --facts FILE) [--as-of DATE] [--rules DIR] [--only RULE]\n"
    "       [--format table|csv|jsonl] [--status S] [--dry-run]\n"
    "       [--person ID]";

enum format { F_SUMMARY, F_TABLE, F_CSV, F_JSONL };

typedef struct out {
    enum format f;
    int status;            /* print only determinations with this status, or -1 */
    const json_t *echo_id; /* --facts: the line's id, echoed */
    uint64_t rows;
} out;

static void csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int emit(void *ud, const hw_screen_hit *h)
{
    out *o = ud;
    const char *kind = hw_vocab_kind(hw_rule_applies_to(h->rule))->singular;
    char pid[24] = "", sid[24] = "";

    if (o->status >= 0 && (int)h->status != o->status)
        return 0;
    if (h->person_id)
        snprintf(pid, sizeof(pid), "%lld", (long long)h->person_id);
    if (h->subject_id)
        snprintf(sid, sizeof(sid), "%lld", (long long)h->subject_id);
    switch (o->f) {
    case F_JSONL: {
        json_t *j = json_copy((json_t *)h->json);
        char *text;

        if (j && o->echo_id)
            json_object_set(j, "id", (json_t *)o->echo_id);
        text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (!text)
            return 1;
        puts(text);
        free(text);
        break;
    }
    case F_CSV:
        if (o->rows == 0)
            puts("rule,person_id,subject_kind,subject_id,status,date,reasons,left");
        printf("%s,%s,%s,%s,%s,%s,", hw_rule_id(h->rule), pid, kind, sid, hw_status_name(h->status),
               h->date ? h->date : "");
        csv_field(h->summary);
        putchar(',');
        csv_field(h->left);
        putchar('\n');
        break;
    case F_TABLE:
        if (o->rows == 0)
            printf("%-34s %10s %-12s %10s %-12s %-10s %s\n", "RULE", "PERSON", "SUBJECT", "ID",
                   "STATUS", "DATE", "WHY");
        printf("%-34s %10s %-12s %10s %-12s %-10s %s%s%s\n", hw_rule_id(h->rule), pid, kind, sid,
               hw_status_name(h->status), h->date ? h->date : "", h->summary,
               h->left[0] ? " | left: " : "", h->left);
        break;
    case F_SUMMARY:
        break;
    }
    o->rows++;
    return ferror(stdout) ? 1 : 0;
}

static void print_summary(const hw_ruleset *rs, const hw_screen_counts *c, const char *as_of,
                          const char *only, double secs)
{
    char n[32];
    size_t rules = only ? 1 : c->nrules;

    printf("Screened %s %s as of %s against %zu rule%s in %.1f s\n\n",
           (hw_count_format((int64_t)c->people, n, sizeof(n)), n),
           c->people == 1 ? "person" : "people", as_of, rules, rules == 1 ? "" : "s", secs);
    printf("%-40s %10s %12s %12s %10s %10s\n", "RULE", "ELIGIBLE", "ELIGIBLE_ON", "NEEDS_REVIEW",
           "INELIGIBLE", "NOT_APPLY");
    for (size_t i = 0; i < c->nrules; i++) {
        const uint64_t *k = c->by_rule[i];

        if (!k[0] && !k[1] && !k[2] && !k[3] && !k[4])
            continue;
        printf("%-40s %10llu %12llu %12llu %10llu %10llu\n", hw_rule_id(hw_ruleset_at(rs, i)),
               (unsigned long long)k[HW_ELIGIBLE], (unsigned long long)k[HW_ELIGIBLE_ON],
               (unsigned long long)k[HW_NEEDS_REVIEW], (unsigned long long)k[HW_INELIGIBLE],
               (unsigned long long)k[HW_NEEDS_REVIEW + 1]);
    }
    printf("\n%s determinations stored (records a rule does not apply to are not stored)\n",
           (hw_count_format((int64_t)c->stored, n, sizeof(n)), n));
}

static int screen_facts(const hw_ruleset *rs, const char *path, hw_screen_opts *so, out *o)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, lineno = 0, bad = 0;
    ssize_t n;
    hw_err e;

    if (!f) {
        fprintf(stderr, "homeward screen: cannot open '%s': ", path);
        perror(NULL);
        return EXIT_FAIL;
    }
    while ((n = getline(&line, &cap, f)) >= 0) {
        json_error_t je;
        json_t *in;

        lineno++;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (!n)
            continue;
        in = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &je);
        if (!in) {
            fprintf(stderr, "homeward screen: %s:%zu: not JSON: %s (column %d)\n", path, lineno,
                    je.text, je.column);
            bad++;
            continue;
        }
        o->echo_id = json_object_get(in, "id");
        if (hw_screen_facts(rs, in, so, &e)) {
            if (e.code == HW_ECANCELED) {
                json_decref(in);
                break;
            }
            fprintf(stderr, "homeward screen: %s:%zu: %s%s%s\n", path, lineno, e.field,
                    e.field[0] ? ": " : "", e.msg);
            bad++;
        }
        json_decref(in);
    }
    free(line);
    if (f != stdin)
        fclose(f);
    if (bad)
        fprintf(stderr, "homeward screen: %zu of %zu lines could not be screened\n", bad, lineno);
    return bad ? EXIT_FAIL : EXIT_OK;
}

int cmd_screen(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"facts", required_argument, NULL, 'f'},
                                         {"as-of", required_argument, NULL, 'a'},
                                         {"rules", required_argument, NULL, 'r'},
                                         {"only", required_argument, NULL, 'o'},
                                         {"format", required_argument, NULL, 'F'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"person", required_argument, NULL, 'p'},
                                         {"status", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = NULL, *facts = NULL, *dir = NULL, *fmt = NULL;
    hw_screen_opts so = {0};
    out o = {.status = -1};
    hw_ruleset *rs = NULL;
    hw_store *s = NULL;
    hw_screen_counts counts;
    char as_of[HW_DATE_LEN + 1];
    int32_t day;
    hw_err e;
    int c, status = EXIT_OK;
    double t0;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'f':
            facts = optarg;
            break;
        case 'a':
            if (hw_date_parse(optarg, strlen(optarg), &day, &e))
                return cli_usage_error("screen", usage, "--as-of: %s", e.msg);
            hw_date_format(day, as_of);
            so.as_of = as_of;
            break;
        case 'r':
            dir = optarg;
            break;
        case 'o':
            so.only = optarg;
            break;
        case 'F':
            fmt = optarg;
            break;
        case 'n':
            so.dry_run = true;
            break;
        case 's':
            for (int i = HW_ELIGIBLE; i <= HW_NEEDS_REVIEW; i++)
                if (strcmp(optarg, hw_status_name((hw_status)i)) == 0)
                    o.status = i;
            if (o.status < 0)
                return cli_usage_error("screen", usage,
                                       "--status must be eligible, ineligible, eligible_on or "
                                       "needs_review, not '%s'",
                                       optarg);
            break;
        case 'p': {
            uint64_t id;

            if (!cli_parse_u64("screen", "--person", optarg, INT64_MAX, &id) || id == 0)
                return EXIT_USAGE;
            so.person_id = (int64_t)id;
            break;
        }
        case 'h':
            printf("usage: %s\n\n"
                   "Judge records by the rule packs (docs/rule-packs.md).\n\n"
                   "  --db FILE      every applicable rule on every record; the determinations\n"
                   "                 are stored, replacing the last screening's for those rules\n"
                   "  --facts FILE   JSON Lines, each one rule input: person, the record under\n"
                   "                 its kind's name, optional as_of and id ('-': stdin)\n"
                   "  --as-of DATE   judge as of this day (default: the demo's date for a demo\n"
                   "                 database, else today; --facts: each line's as_of)\n"
                   "  --rules DIR    rule files (default: $HOMEWARD_RULES, else ./rules)\n"
                   "  --only RULE    one rule\n"
                   "  --format F     table, csv or jsonl: every determination (default with\n"
                   "                 --db: counts by rule; with --facts: jsonl)\n"
                   "  --dry-run      with --db: judge and report, store nothing\n"
                   "  --person ID    with --db: this person alone, after their records changed\n"
                   "  --status S     print only determinations with status S (all are stored)\n",
                   usage);
            return EXIT_OK;
        default:
            return cli_usage_error("screen", usage, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("screen", usage, "unexpected argument '%s'", argv[optind]);
    if (!db == !facts)
        return cli_usage_error("screen", usage, "give either --db FILE or --facts FILE");
    if (!fmt && o.status >= 0)
        fmt = "table";
    if (!fmt)
        o.f = db ? F_SUMMARY : F_JSONL;
    else if (strcmp(fmt, "table") == 0)
        o.f = F_TABLE;
    else if (strcmp(fmt, "csv") == 0)
        o.f = F_CSV;
    else if (strcmp(fmt, "jsonl") == 0)
        o.f = F_JSONL;
    else
        return cli_usage_error("screen", usage, "--format must be table, csv or jsonl, not '%s'",
                               fmt);
    if (hw_rules_load(cli_rules_dir(dir), &rs, &e))
        return cli_fail("screen", &e);
    if (so.only && !hw_ruleset_find(rs, so.only)) {
        fprintf(stderr, "homeward screen: no rule '%s' (see: homeward rules list)\n", so.only);
        hw_ruleset_free(rs);
        return EXIT_USAGE;
    }
    so.emit = o.f == F_SUMMARY ? NULL : emit;
    so.ud = &o;
    if (facts) {
        status = screen_facts(rs, facts, &so, &o);
        hw_ruleset_free(rs);
        return status;
    }
    if (hw_store_open(db, HW_STORE_BULK, &s, &e)) {
        hw_ruleset_free(rs);
        return cli_fail("screen", &e);
    }
    if (!so.as_of) {
        char demo_day[32];

        day = hw_date_today();
        if (hw_store_meta_get(s, "demo.as_of", demo_day, sizeof(demo_day), NULL) == HW_OK)
            hw_date_parse(demo_day, strlen(demo_day), &day, NULL);
        hw_date_format(day, as_of);
        so.as_of = as_of;
    }
    cli_catch_signals();
    so.progress = o.f == F_SUMMARY ? cli_progress_update : NULL;
    {
        cli_progress p;

        cli_progress_start(&p, "screening", false);
        so.progress_ud = &p;
        t0 = cli_now();
        if (hw_screen_store(s, rs, &so, &counts, &e))
            status = cli_fail("screen", &e);
        cli_progress_end(&p);
    }
    if (status == EXIT_OK) {
        if (o.f == F_SUMMARY)
            print_summary(rs, &counts, so.as_of, so.only, cli_now() - t0);
        hw_screen_counts_release(&counts);
    }
    hw_store_close(s);
    hw_ruleset_free(rs);
    return status;
}
