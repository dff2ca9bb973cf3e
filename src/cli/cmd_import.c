/* SPDX-License-Identifier: MIT */
/* `homeward import`: CSV or JSON Lines files of one record kind, all or nothing. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/import.h"
#include "homeward/store.h"

static const char usage[] =
    "homeward import --db FILE --kind KIND [--format csv|jsonl] [--rejects FILE]\n"
    "                       [--max-errors N] [--dry-run] [--json] FILE...";

static void help(void)
{
    printf("usage: %s\n\n"
           "Import records of one KIND from CSV files (a header row naming the columns)\n"
           "or JSON Lines files (one object per line).  FILE '-' is standard input.\n"
           "KIND is one of: %s.\n\n"
           "Every field is checked against the vocabulary (docs/vocabulary.md) and every\n"
           "reference against the database.  All files go in as one transaction.\n\n"
           "  --db FILE         the database (see 'homeward init')\n"
           "  --kind KIND       what the files hold\n"
           "  --format F        csv or jsonl (default: from the file name, else csv)\n"
           "  --rejects FILE    import the good rows; write the bad ones, with why, to FILE\n"
           "                    (CSV; its _file, _line and _error columns are ignored when the\n"
           "                    fixed file is imported again)\n"
           "  --max-errors N    report at most N problems (default 20); without --rejects\n"
           "                    the import stops there\n"
           "  --dry-run         check every row and reference as for real, write nothing\n"
           "  --json            print the outcome as JSON on standard output\n\n"
           "Without --rejects, one bad row fails the whole import: every problem is listed\n"
           "as FILE:LINE: column NAME: what is wrong, the exit status is 1, and the\n"
           "database is exactly as it was.\n",
           usage, hw_vocab_kind_names());
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && !strcmp(s + n - m, suffix);
}

static void print_problem(const hw_import_error *x)
{
    const hw_err *e = &x->err;

    if (x->line)
        fprintf(stderr, "%s:%llu: ", x->file, (unsigned long long)x->line);
    else
        fprintf(stderr, "%s: ", x->file);
    if (e->field[0])
        fprintf(stderr, "column %s: %s\n", e->field, e->msg);
    else
        fprintf(stderr, "%s\n", e->msg);
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"rejects", required_argument, NULL, 'r'},
                                         {"max-errors", required_argument, NULL, 'm'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"dry-run", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    hw_import_opts o = {0};
    hw_import_report rep = {0};
    const char *db = NULL, *kind = NULL, *format = NULL;
    bool json = false;
    hw_store *s = NULL;
    cli_progress bar;
    uint64_t max_errors = 20;
    double t0;
    hw_err e;
    hw_code rc;
    int c, k;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'r':
            o.rejects_path = optarg;
            o.flags |= HW_IMPORT_KEEP_GOING;
            break;
        case 'm':
            if (!cli_parse_u64("import", "--max-errors", optarg, 1000000, &max_errors) ||
                max_errors == 0)
                return cli_usage_error("import", usage, "--max-errors wants 1 or more");
            break;
        case 'j':
            json = true;
            break;
        case 'n':
            o.flags |= HW_IMPORT_DRY_RUN;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return cli_usage_error("import", usage, "unknown option");
        }
    }
    if (!db || !kind)
        return cli_usage_error("import", usage, "--db FILE and --kind KIND are required");
    if ((k = hw_vocab_kind_by_name(kind)) < 0)
        return cli_usage_error("import", usage, "unknown kind '%s' (kinds: %s)", kind,
                               hw_vocab_kind_names());
    if (optind == argc)
        return cli_usage_error("import", usage, "no files to import");
    if (format && hw_format_by_name(format) < 0)
        return cli_usage_error("import", usage, "unknown format '%s' (csv or jsonl)", format);
    o.kind = (hw_kind)k;
    o.format = format ? (hw_format)hw_format_by_name(format)
               : ends_with(argv[optind], ".jsonl") || ends_with(argv[optind], ".ndjson")
                   ? HW_FORMAT_JSONL
                   : HW_FORMAT_CSV;
    o.max_errors = (size_t)max_errors;
    cli_progress_start(&bar, "importing", true);
    o.progress = cli_progress_update;
    o.progress_ud = &bar;
    cli_catch_signals();

    if (hw_store_open(db, HW_STORE_BULK, &s, &e))
        return cli_fail("import", &e);
    t0 = cli_now();
    rc = hw_import(s, &o, (const char *const *)argv + optind, (size_t)(argc - optind), &rep, &e);
    cli_progress_end(&bar);
    hw_store_close(s);
    for (size_t i = 0; i < rep.nerrors; i++)
        print_problem(&rep.errors[i]);
    if (rep.truncated && (o.flags & HW_IMPORT_KEEP_GOING))
        fprintf(stderr, "homeward import: more problems than the %zu shown (all are in %s)\n",
                rep.nerrors, o.rejects_path);
    if (json)
        printf("{\"kind\": \"%s\", \"ok\": %s, \"rows\": %llu, \"imported\": %llu, "
               "\"rejected\": %llu, \"seconds\": %.3f}\n",
               kind, rc ? "false" : "true", (unsigned long long)rep.rows,
               (unsigned long long)rep.imported, (unsigned long long)rep.rejected, cli_now() - t0);
    if (rc == HW_EINVAL && rep.nerrors && rep.rejected && !(o.flags & HW_IMPORT_KEEP_GOING)) {
        /* e says how many rows were bad, or that the import stopped at --max-errors. */
        fprintf(stderr,
                "homeward import: %s\nFix the rows above, or import the good rows and set the "
                "bad ones aside with --rejects FILE.\n",
                e.msg);
    } else if (rc == HW_EINVAL && rep.nerrors) {
        fprintf(stderr, "homeward import: nothing was imported\n");
    } else if (rc) {
        cli_fail("import", &e);
        if (rc == HW_ECANCELED)
            fprintf(stderr, "homeward import: nothing was imported\n");
    } else if (!json) {
        /* Timings only for a person watching: logs and tests stay the same run to run. */
        fprintf(stderr, "%s %llu %s",
                (o.flags & HW_IMPORT_DRY_RUN) ? "checked: would import" : "imported",
                (unsigned long long)rep.imported, kind);
        if (bar.tty)
            fprintf(stderr, " in %.2f s", cli_now() - t0);
        if (rep.rejected)
            fprintf(stderr, "; %llu bad rows written to %s", (unsigned long long)rep.rejected,
                    o.rejects_path);
        if (o.flags & HW_IMPORT_DRY_RUN)
            fprintf(stderr, " (dry run: nothing was written)");
        fputc('\n', stderr);
    }
    hw_import_report_release(&rep);
    return rc ? EXIT_FAIL : EXIT_OK;
}
