/* SPDX-License-Identifier: MIT */
/*
 * `homeward audit`: check the audit log's hash chain, and list its entries.
 * Verifying needs the database's key file, which keys the chain.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/audit.h"

static const char usage[] = "homeward audit verify --db FILE [--expect-head HASH]\n"
                            "       homeward audit list --db FILE [--person ID] [--json]";

static void help(void)
{
    printf("usage: %s\n\n"
           "verify walks the audit log's hash chain and reports the first entry that was\n"
           "edited or deleted, exiting 1; an intact chain prints the number of entries and\n"
           "the head hash, the hash of the last entry.  Record the head somewhere the\n"
           "database's users cannot write: entries cut off the end of the log leave an\n"
           "intact chain, and only --expect-head finds the recorded head missing.\n\n"
           "list prints the entries, all or those about one person.\n",
           usage);
}

static int verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"expect-head", required_argument, NULL, 'x'}, {0}};
    const char *db = NULL, *expect = NULL;
    hw_audit_report r;
    hw_store *s = NULL;
    int64_t at = 0;
    int c, status = EXIT_OK;
    hw_err e;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'x')
            expect = optarg;
        else
            return cli_usage_error("audit", usage, "unknown option");
    }
    if (!db)
        return cli_usage_error("audit", usage, "audit verify needs --db");
    if (optind < argc)
        return cli_usage_error("audit", usage, "unexpected argument '%s'", argv[optind]);
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e) || hw_audit_verify(s, &r, &e)) {
        hw_store_close(s);
        return cli_fail("audit", &e);
    }
    if (!r.ok) {
        fprintf(stderr, "homeward audit: %s\n", r.what);
        fprintf(stderr, "homeward audit: %lld %s verified before it\n", (long long)r.checked,
                r.checked == 1 ? "entry" : "entries");
        status = EXIT_FAIL;
    } else {
        printf("%lld %s checked: the chain is intact\n", (long long)r.checked,
               r.checked == 1 ? "entry" : "entries");
        printf("head %s\n", r.head_id ? r.head : "(empty)");
    }
    if (status == EXIT_OK && expect) {
        hw_code rc = hw_audit_find(s, expect, &at, &e);

        if (rc == HW_ENOTFOUND) {
            fprintf(stderr, "homeward audit: the head recorded earlier is not in the log: entries "
                            "were cut off its end\n");
            status = EXIT_FAIL;
        } else if (rc) {
            status = cli_fail("audit", &e);
        } else {
            printf("the head recorded earlier is entry %lld; %lld %s since\n", (long long)at,
                   (long long)(r.head_id - at), r.head_id - at == 1 ? "entry" : "entries");
        }
    }
    hw_store_close(s);
    return status;
}

static int list_one(void *ud, const hw_audit_row *r)
{
    const hw_audit_entry *a = &r->entry;
    json_t *arr = ud;

    if (arr)
        return json_array_append_new(
                   arr,
                   json_pack("{sI ss sI sI ss ss* sI sI ss ss* ss ss}", "id", (json_int_t)r->id,
                             "at", r->at, "user_id", (json_int_t)a->user_id, "organisation_id",
                             (json_int_t)a->organisation_id, "action", a->action, "kind", a->kind,
                             "record_id", (json_int_t)a->record_id, "person_id",
                             (json_int_t)a->person_id, "address", a->address, "detail", a->detail,
                             "prev_hash", r->prev_hash, "hash", r->hash)) != 0;
    printf("%6lld  %-24s %5lld %4lld  %-14s %-15s %8lld %8lld  %-15s %s\n", (long long)r->id, r->at,
           (long long)a->user_id, (long long)a->organisation_id, a->action, a->kind ? a->kind : "-",
           (long long)a->record_id, (long long)a->person_id, a->address,
           a->detail ? a->detail : "");
    return 0;
}

static int list(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"person", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, 'j'},
                                         {0}};
    const char *db = NULL;
    uint64_t person = 0;
    json_t *arr = NULL;
    bool json = false;
    hw_store *s = NULL;
    int c, status = EXIT_OK;
    hw_code rc;
    hw_err e;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'p') {
            if (!cli_parse_u64("audit", "--person", optarg, INT64_MAX, &person))
                return EXIT_USAGE;
        } else if (c == 'j')
            json = true;
        else
            return cli_usage_error("audit", usage, "unknown option");
    }
    if (!db)
        return cli_usage_error("audit", usage, "audit list needs --db");
    if (optind < argc)
        return cli_usage_error("audit", usage, "unexpected argument '%s'", argv[optind]);
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e))
        return cli_fail("audit", &e);
    if (json && !(arr = json_array())) {
        hw_store_close(s);
        fprintf(stderr, "homeward audit: out of memory\n");
        return EXIT_FAIL;
    }
    if (!json)
        printf("%6s  %-24s %5s %4s  %-14s %-15s %8s %8s  %-15s %s\n", "id", "at", "user", "org",
               "action", "kind", "record", "person", "address", "detail");
    if ((rc = hw_audit_list(s, (int64_t)person, list_one, arr, &e))) {
        if (rc == HW_ECANCELED)
            fprintf(stderr, "homeward audit: out of memory\n");
        else
            cli_fail("audit", &e);
        status = EXIT_FAIL;
    }
    hw_store_close(s);
    if (json && status == EXIT_OK) {
        if (!cli_put_json(stdout, arr, JSON_INDENT(2))) {
            fprintf(stderr, "homeward audit: cannot write the list\n");
            status = EXIT_FAIL;
        }
    } else {
        json_decref(arr);
    }
    return status;
}

int cmd_audit(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return list(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        help();
        return EXIT_OK;
    }
    return cli_usage_error("audit", usage, "say what to do: verify or list");
}
