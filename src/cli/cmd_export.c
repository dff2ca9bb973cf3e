/* SPDX-License-Identifier: MIT */
/* `homeward export`: one record kind as CSV or JSON Lines. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/export.h"
#include "homeward/store.h"

static const char usage[] = "homeward export --db FILE --kind KIND --format csv|jsonl [-o FILE]";

static void help(void)
{
    printf("usage: %s\n\n"
           "Write every record of KIND, in id order, as CSV (with a header row) or JSON\n"
           "Lines.  'homeward import' reads both back unchanged.  KIND is one of:\n%s.\n\n"
           "  -o, --output FILE  write to FILE (replaced only once complete); default: stdout\n",
           usage, hw_vocab_kind_names());
}

int cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"kind", required_argument, NULL, 'k'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},         {0}};
    const char *db = NULL, *kind = NULL, *format = "csv", *path = NULL;
    char tmp[4096];
    hw_store *s = NULL;
    FILE *out = stdout;
    uint64_t rows = 0;
    hw_err e;
    hw_code rc;
    int c, k, fmt;

    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
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
        case 'o':
            path = optarg;
            break;
        case 'h':
            help();
            return EXIT_OK;
        default:
            return cli_usage_error("export", usage, "unknown option");
        }
    }
    if (!db || !kind)
        return cli_usage_error("export", usage, "--db FILE and --kind KIND are required");
    if ((k = hw_vocab_kind_by_name(kind)) < 0)
        return cli_usage_error("export", usage, "unknown kind '%s' (kinds: %s)", kind,
                               hw_vocab_kind_names());
    if ((fmt = hw_format_by_name(format)) < 0)
        return cli_usage_error("export", usage, "unknown format '%s' (csv or jsonl)", format);
    if (optind < argc)
        return cli_usage_error("export", usage, "unexpected argument '%s'", argv[optind]);
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e))
        return cli_fail("export", &e);
    if (path) {
        snprintf(tmp, sizeof(tmp), "%s.tmp", path);
        out = fopen(tmp, "w");
        if (!out) {
            hw_fail_errno(&e, HW_EIO, "cannot write '%s'", tmp);
            hw_store_close(s);
            return cli_fail("export", &e);
        }
    }
    rc = hw_export(s, (hw_kind)k, (hw_format)fmt, out, &rows, &e);
    hw_store_close(s);
    if (path) {
        if (!rc && (fsync(fileno(out)) != 0 || fclose(out) != 0))
            rc = hw_fail_errno(&e, HW_EIO, "writing '%s'", tmp);
        else if (rc)
            fclose(out);
        if (!rc && rename(tmp, path) != 0)
            rc = hw_fail_errno(&e, HW_EIO, "cannot rename '%s' to '%s'", tmp, path);
        if (rc)
            unlink(tmp);
    }
    if (rc)
        return cli_fail("export", &e);
    if (path)
        fprintf(stderr, "exported %llu %s to %s\n", (unsigned long long)rows, kind, path);
    return EXIT_OK;
}
