/* SPDX-License-Identifier: MIT */
/*
 * `homeward org` and `homeward user`: organisations, and the people who sign
 * in to them.  A password is read from standard input (its first line),
 * never from an argument, where other users of the machine could see it.
 * `user totp` gives a user a second factor (docs/totp.md).
 */
#include <getopt.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "homeward/totp.h"
#include "homeward/users.h"
#include "core/banned.h"

static const char org_usage[] = "homeward org add --db FILE --name NAME [--state XX]\n"
                                "       homeward org list --db FILE [--json]";
static const char user_usage[] =
    "homeward user add --db FILE --email EMAIL --role ROLE --org ORG_ID  (password on stdin)\n"
    "       homeward user totp --db FILE --email EMAIL [--reset | --disable]";

static int org_add(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"name", required_argument, NULL, 'n'},
                                         {"state", required_argument, NULL, 's'},
                                         {0}};
    const char *db = NULL, *name = NULL, *state = NULL;
    hw_store *s = NULL;
    int64_t id = 0;
    hw_err e;
    int c;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'n')
            name = optarg;
        else if (c == 's')
            state = optarg;
        else
            return cli_usage_error("org", org_usage, "unknown option");
    }
    if (!db || !name)
        return cli_usage_error("org", org_usage, "org add needs --db and --name");
    if (hw_store_open(db, HW_STORE_CREATE, &s, &e) || hw_org_add(s, name, state, &id, &e)) {
        hw_store_close(s);
        return cli_fail("org", &e);
    }
    hw_store_close(s);
    printf("organisation '%s' created\n%lld\n", name, (long long)id);
    return EXIT_OK;
}

static int org_one(void *ud, const hw_org *o)
{
    json_t *arr = ud;

    if (arr)
        return json_array_append_new(arr, json_pack("{sI ss ss* sI sI}", "id", (json_int_t)o->id,
                                                    "name", o->name, "state", o->state, "people",
                                                    (json_int_t)o->people, "users",
                                                    (json_int_t)o->users));
    printf("%5lld  %-50.50s %-5s %9lld %6lld\n", (long long)o->id, o->name,
           o->state ? o->state : "", (long long)o->people, (long long)o->users);
    return 0;
}

static void org_header(void)
{
    printf("%5s  %-50s %-5s %9s %6s\n", "id", "name", "state", "people", "users");
}

static hw_code org_rows(hw_store *s, json_t *arr, hw_err *e)
{
    return hw_org_list(s, org_one, arr, e);
}

int cmd_org(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return org_add(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return cli_list("org", org_usage, argc - 1, argv + 1, org_header, org_rows);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: %s\n\nOrganisations: each person record and each user belongs to one.\n",
               org_usage);
        return EXIT_OK;
    }
    return cli_usage_error("org", org_usage, "say what to do: add or list");
}

static int user_add(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"email", required_argument, NULL, 'e'},
        {"role", required_argument, NULL, 'r'},     {"org", required_argument, NULL, 'o'},
        {"password", required_argument, NULL, 'p'}, {0}};
    const char *db = NULL, *email = NULL, *role = NULL;
    char password[1100];
    uint64_t org = 0;
    size_t len;
    hw_store *s = NULL;
    int64_t id = 0;
    hw_err e;
    int c, status;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'e':
            email = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'o':
            if (!cli_parse_u64("user", "--org", optarg, INT64_MAX, &org))
                return EXIT_USAGE;
            break;
        case 'p':
            return cli_usage_error("user", user_usage,
                                   "a password is never an argument (others can read the "
                                   "command line): give it on standard input");
        default:
            return cli_usage_error("user", user_usage, "unknown option");
        }
    }
    if (!db || !email || !role || !org)
        return cli_usage_error("user", user_usage,
                               "user add needs --db, --email, --role and --org");
    if (!fgets(password, sizeof password, stdin)) {
        fprintf(stderr, "homeward user: no password on standard input\n");
        return EXIT_FAIL;
    }
    len = strcspn(password, "\r\n");
    if (hw_store_open(db, 0, &s, &e) ||
        hw_user_add(s, email, role, (int64_t)org, password, len, &id, &e)) {
        status = cli_fail("user", &e);
    } else {
        printf("user '%s' (%s) created in organisation %llu\n%lld\n", email, role,
               (unsigned long long)org, (long long)id);
        status = EXIT_OK;
    }
    sodium_memzero(password, sizeof password);
    hw_store_close(s);
    return status;
}

/*
 * The secret is printed once, here; after that it is only in the database,
 * which the person should not need to read.
 */
static int user_totp(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"email", required_argument, NULL, 'e'},
                                         {"reset", no_argument, NULL, 'r'},
                                         {"disable", no_argument, NULL, 'x'},
                                         {0}};
    const char *db = NULL, *email = NULL;
    char secret[HW_TOTP_SECRET_TEXT] = "", uri[2048] = "";
    int c, reset = 0, disable = 0, had = 0, status = EXIT_OK;
    hw_store *s = NULL;
    hw_err e;

    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'e')
            email = optarg;
        else if (c == 'r')
            reset = 1;
        else if (c == 'x')
            disable = 1;
        else
            return cli_usage_error("user", user_usage, "unknown option");
    }
    if (!db || !email)
        return cli_usage_error("user", user_usage, "user totp needs --db and --email");
    if (reset && disable)
        return cli_usage_error("user", user_usage, "give --reset or --disable, not both");
    if (hw_store_open(db, 0, &s, &e)) {
        status = cli_fail("user", &e);
    } else if (disable) {
        if (hw_user_totp_disable(s, email, &had, &e))
            status = cli_fail("user", &e);
        else if (had)
            printf("second factor removed from '%s': the password alone signs in\n", email);
        else
            printf("user '%s' has no second factor: nothing to remove\n", email);
    } else if (hw_user_totp_enable(s, email, reset, secret, &e) ||
               hw_totp_uri("Homeward", email, secret, uri, sizeof uri, &e)) {
        if (e.code == HW_ECONFLICT) {
            size_t n = strlen(e.msg);
            snprintf(e.msg + n, sizeof e.msg - n,
                     "; give --reset to replace it (the old one stops working)");
        }
        status = cli_fail("user", &e);
    } else {
        printf("second factor enabled for '%s'\n"
               "secret: %s\n"
               "uri: %s\n"
               "Store it in an authenticator app now (scan the URI as a QR code, or type the\n"
               "secret): sign-in will ask for the %d-digit code the app shows.\n",
               email, secret, uri, HW_TOTP_DIGITS);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(uri, sizeof uri);
    hw_store_close(s);
    return status;
}

int cmd_user(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "add") == 0)
        return user_add(argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "totp") == 0)
        return user_totp(argc - 1, argv + 1);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf(
            "usage: %s\n\nadd: create a user.  ROLE is admin, case_manager, legal, finance or\n"
            "funder (aggregates only).  The password, at least 12 characters, is the first line\n"
            "of standard input; it is stored only as an Argon2id hash.\n\n"
            "totp: give the user a second factor, a TOTP secret for an authenticator app\n"
            "(printed once, with its otpauth URI); --reset replaces one, --disable removes it.\n",
            user_usage);
        return EXIT_OK;
    }
    return cli_usage_error("user", user_usage, "say what to do: add or totp");
}
