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

static const char usage[] = "homeward audit verify --db FILE [--expect-head HASH]...\n"
                            "       homeward audit list --db FILE [--person ID] [--json]";

static void help(void)
{
    printf("usage: %s\n\n"
           "verify walks the audit log's hash chains, the database's own and its read\n"
           "log's (FILE.reads: reads and sign-ins), and reports the first entry of each\n"
           "that was edited or deleted, exiting 1; an intact chain prints the number of\n"
           "entries and the head hash, the hash of the last entry.  Record the heads\n"
           "somewhere the database's users cannot write: entries cut off the end of a log\n"
           "leave an intact chain, and only --expect-head (once for each head) finds a\n"
           "recorded head missing.\n\n"
           "list prints the entries of both logs in time order, all or those about one\n"
           "person; \"log\" says which log each is in, and ids count within a log.\n",
           usage);
}

/* Verify one log's chain and print what it found, each line after `label`; true when it holds. */
static bool verify_log(hw_store *s, const char *label, hw_audit_report *r, int *status)
{
    hw_err e;

    if (hw_audit_verify(s, r, &e)) {
        *status = cli_fail("audit", &e);
        return false;
    }
    if (!r->ok) {
        fprintf(stderr, "homeward audit: %s%s\n", label, r->what);
        fprintf(stderr, "homeward audit: %s%lld %s verified before it\n", label,
                (long long)r->checked, r->checked == 1 ? "entry" : "entries");
        *status = EXIT_FAIL;
        return false;
    }
    printf("%s%lld %s checked: the chain is intact\n", label, (long long)r->checked,
           r->checked == 1 ? "entry" : "entries");
    printf("%shead %s\n", label, r->head_id ? r->head : "(empty)");
    return true;
}

/* A head recorded earlier must still be in one of the logs: else the end of one was cut off. */
static int expect_head(hw_store *s, hw_store *reads, const char *hash, const hw_audit_report *r,
                       const hw_audit_report *rr)
{
    int64_t at = 0;
    hw_code rc;
    hw_err e;

    if ((rc = hw_audit_find(s, hash, &at, &e)) == HW_OK) {
        printf("the head recorded earlier is entry %lld; %lld %s since\n", (long long)at,
               (long long)(r->head_id - at), r->head_id - at == 1 ? "entry" : "entries");
        return EXIT_OK;
    }
    if (rc == HW_ENOTFOUND && reads && (rc = hw_audit_find(reads, hash, &at, &e)) == HW_OK) {
        printf("the head recorded earlier is read log entry %lld; %lld %s since\n", (long long)at,
               (long long)(rr->head_id - at), rr->head_id - at == 1 ? "entry" : "entries");
        return EXIT_OK;
    }
    if (rc != HW_ENOTFOUND)
        return cli_fail("audit", &e);
    fprintf(stderr, "homeward audit: the head recorded earlier is not in the log: entries "
                    "were cut off its end\n");
    return EXIT_FAIL;
}

static int verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"expect-head", required_argument, NULL, 'x'}, {0}};
    const char *db = NULL, *expect[2] = {NULL, NULL};
    hw_audit_report r, rr = {0};
    hw_store *s = NULL, *reads = NULL;
    int c, nexpect = 0, status = EXIT_OK;
    hw_code rc;
    hw_err e;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'x' && nexpect < 2)
            expect[nexpect++] = optarg;
        else if (c == 'x')
            return cli_usage_error(
                "audit", usage, "--expect-head at most twice: the database's and the read log's");
        else
            return cli_usage_error("audit", usage, "unknown option");
    }
    if (!db)
        return cli_usage_error("audit", usage, "audit verify needs --db");
    if (optind < argc)
        return cli_usage_error("audit", usage, "unexpected argument '%s'", argv[optind]);
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e))
        return cli_fail("audit", &e);
    rc = hw_audit_reads_open(s, false, &reads, &e);
    if (rc && rc != HW_ENOTFOUND) {
        hw_store_close(s);
        return cli_fail("audit", &e);
    }
    /* Both logs are checked, whatever the first shows. */
    verify_log(s, "", &r, &status);
    if (!reads)
        printf("read log: none (nothing read through the server yet)\n");
    else
        verify_log(reads, "read log: ", &rr, &status);
    for (int i = 0; i < nexpect && status == EXIT_OK; i++)
        status = expect_head(s, reads, expect[i], &r, &rr);
    hw_store_close(reads);
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
                   json_pack("{ss sI ss sI sI ss ss* sI sI ss ss* ss ss}", "log", r->log, "id",
                             (json_int_t)r->id, "at", r->at, "user_id", (json_int_t)a->user_id,
                             "organisation_id", (json_int_t)a->organisation_id, "action", a->action,
                             "kind", a->kind, "record_id", (json_int_t)a->record_id, "person_id",
                             (json_int_t)a->person_id, "address", a->address, "detail", a->detail,
                             "prev_hash", r->prev_hash, "hash", r->hash)) != 0;
    printf("%-5s %6lld  %-24s %5lld %4lld  %-14s %-15s %8lld %8lld  %-15s %s\n", r->log,
           (long long)r->id, r->at, (long long)a->user_id, (long long)a->organisation_id, a->action,
           a->kind ? a->kind : "-", (long long)a->record_id, (long long)a->person_id, a->address,
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
        printf("%-5s %6s  %-24s %5s %4s  %-14s %-15s %8s %8s  %-15s %s\n", "log", "id", "at",
               "user", "org", "action", "kind", "record", "person", "address", "detail");
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
