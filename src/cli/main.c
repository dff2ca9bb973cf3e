/* SPDX-License-Identifier: MIT */
/* `homeward`: the command table and what the commands share. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "homeward/store.h"
#include "core/banned.h"

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create a database, or bring one up to date"},
    {"demo", cmd_demo, "generate a database of synthetic records"},
    {"import", cmd_import, "import records from CSV or JSON Lines"},
    {"export", cmd_export, "export records as CSV or JSON Lines"},
    {"stats", cmd_stats, "summarise a database: caseloads, balances, check-ins"},
    {"vocab", cmd_vocab, "print the data vocabulary (docs/vocabulary.md)"},
    {"logic", cmd_logic, "evaluate JSON Logic rules, one JSON line each"},
    {"rules", cmd_rules, "test, list or check the rule packs"},
    {"screen", cmd_screen, "screen records against the rule packs"},
    {"fund", cmd_fund, "add funds and gifts, list funds, check the ledger"},
    {"plan", cmd_plan, "plan which balances to pay from funds, and commit a plan"},
    {"org", cmd_org, "add or list organisations"},
    {"user", cmd_user, "add a user who signs in, or give one a second factor (TOTP)"},
    {"audit", cmd_audit, "verify the audit log's hash chain, or list its entries"},
    {"serve", cmd_serve, "serve the API and the staff UI over HTTP"},
};

volatile sig_atomic_t cli_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    cli_interrupted = 1;
}

void cli_catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool cli_put_json(FILE *f, json_t *j, size_t flags)
{
    bool ok = j && json_dumpf(j, f, flags) == 0 && fputc('\n', f) != EOF;

    json_decref(j);
    return ok;
}

int cli_list(const char *cmd, const char *usage, int argc, char **argv, void (*header)(void),
             cli_list_fn list)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'}, {0}};
    const char *db = NULL;
    json_t *arr = NULL;
    bool json = false;
    hw_store *s = NULL;
    hw_err e;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'j')
            json = true;
        else
            return cli_usage_error(cmd, usage, "unknown option");
    }
    if (!db)
        return cli_usage_error(cmd, usage, "%s list needs --db", cmd);
    if (hw_store_open(db, HW_STORE_READONLY, &s, &e))
        return cli_fail(cmd, &e);
    if (json && !(arr = json_array())) {
        hw_store_close(s);
        fprintf(stderr, "homeward %s: out of memory\n", cmd);
        return EXIT_FAIL;
    }
    if (!json)
        header();
    if (list(s, arr, &e)) {
        json_decref(arr);
        hw_store_close(s);
        return cli_fail(cmd, &e);
    }
    hw_store_close(s);
    if (json && !cli_put_json(stdout, arr, JSON_INDENT(2))) {
        fprintf(stderr, "homeward %s: cannot write the list\n", cmd);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cli_fail(const char *cmd, const hw_err *e)
{
    if (e->field[0])
        fprintf(stderr, "homeward %s: %s: %s\n", cmd, e->field, e->msg);
    else
        fprintf(stderr, "homeward %s: %s\n", cmd, e->msg);
    return EXIT_FAIL;
}

int cli_usage_error(const char *cmd, const char *usage, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "homeward %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\nTry 'homeward %s --help' for more.\n", usage, cmd);
    return EXIT_USAGE;
}

bool cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    unsigned long long v;

    if (!s || !*s || *s == '-' || *s == '+')
        goto bad;
    v = strtoull(s, &end, 10);
    if (*end || v > max)
        goto bad;
    *out = v;
    return true;
bad:
    fprintf(stderr, "homeward %s: %s wants a whole number from 0 to %llu, not '%s'\n", cmd, opt,
            (unsigned long long)max, s ? s : "");
    return false;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: homeward COMMAND [OPTIONS]\n\n"
               "Homeward finds the people in the justice system who are eligible for relief.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'homeward COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("homeward 0.1.0\n");
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "homeward: '%s' is not a command\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
