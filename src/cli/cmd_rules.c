/* SPDX-License-Identifier: MIT */
/*
 * `homeward rules`: the rule packs.  `rules test` runs every rule's own test
 * cases; `rules list` shows what is loaded; `rules check` only loads them, so
 * a malformed file is reported with its path and the reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/rules.h"

static const char usage[] = "homeward rules test|list|check [--rules DIR] [--json]\n"
                            "       homeward rules show RULE [--rules DIR]";

const char *cli_rules_dir(const char *given)
{
    struct stat st;
    const char *env = getenv("HOMEWARD_RULES");

    if (given)
        return given;
    if (env && *env)
        return env;
    if (stat("rules", &st) == 0 && S_ISDIR(st.st_mode))
        return "rules";
#ifdef HW_RULES_DIR
    return HW_RULES_DIR;
#else
    return "rules";
#endif
}

static void list(const hw_ruleset *rs, bool json)
{
    for (size_t i = 0; i < hw_ruleset_count(rs); i++) {
        const hw_rule *r = hw_ruleset_at(rs, i);
        const char *kind = hw_vocab_kind(hw_rule_applies_to(r))->singular;

        if (json) {
            json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "id", hw_rule_id(r), "title",
                                  hw_rule_title(r), "applies_to", kind, "file", hw_rule_file(r));
            char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

            puts(text ? text : "{}");
            free(text);
            json_decref(o);
        } else {
            printf("%-40s %-12s %s\n", hw_rule_id(r), kind, hw_rule_title(r));
        }
    }
}

int cmd_rules(int argc, char **argv)
{
    static const struct option opts[] = {{"rules", required_argument, NULL, 'r'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *dir = NULL, *sub, *id = NULL;
    bool json = false;
    hw_ruleset *rs;
    hw_err e;
    int c;

    if (argc > 1 && argv[1][0] != '-') {
        sub = argv[1];
        argc--;
        argv++;
    } else {
        sub = NULL;
    }
    if (sub && strcmp(sub, "show") == 0 && argc > 1 && argv[1][0] != '-') {
        id = argv[1];
        argc--;
        argv++;
    }
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            dir = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            printf("usage: %s\n\n"
                   "  test   run every rule's own test cases; prints 'N passed, N failed'\n"
                   "  list   the rules loaded: id, the record they judge, title\n"
                   "  check  load the rules and report the first malformed file\n"
                   "  show   one rule in plain words: sources, relief, every clause\n\n"
                   "  --rules DIR  rule files (default: $HOMEWARD_RULES, else ./rules)\n"
                   "  --json       list as JSON Lines\n\n"
                   "The format of a rule file is in docs/rule-packs.md.\n",
                   usage);
            return EXIT_OK;
        default:
            return cli_usage_error("rules", usage, "unknown option");
        }
    }
    if (!sub)
        return cli_usage_error("rules", usage, "say test, list, check or show");
    if (strcmp(sub, "test") && strcmp(sub, "list") && strcmp(sub, "check") && strcmp(sub, "show"))
        return cli_usage_error("rules", usage, "unknown subcommand '%s'", sub);
    if (strcmp(sub, "show") == 0 && !id)
        return cli_usage_error("rules", usage, "show which rule? (see: homeward rules list)");
    if (optind < argc)
        return cli_usage_error("rules", usage, "unexpected argument '%s'", argv[optind]);
    if (hw_rules_load(cli_rules_dir(dir), &rs, &e))
        return cli_fail("rules", &e);
    if (strcmp(sub, "show") == 0) {
        const hw_rule *r = hw_ruleset_find(rs, id);

        if (!r) {
            fprintf(stderr, "homeward rules: no rule '%s' (see: homeward rules list)\n", id);
            hw_ruleset_free(rs);
            return EXIT_FAIL;
        }
        hw_rule_describe(r, stdout);
    } else if (strcmp(sub, "list") == 0) {
        list(rs, json);
    } else if (strcmp(sub, "check") == 0) {
        size_t n = hw_ruleset_count(rs);

        printf("%zu rule%s, all well formed\n", n, n == 1 ? "" : "s");
    } else {
        size_t passed, failed;

        if (hw_ruleset_selftest(rs, stdout, &passed, &failed, &e)) {
            hw_ruleset_free(rs);
            return cli_fail("rules", &e);
        }
        printf("%zu passed, %zu failed\n", passed, failed);
        hw_ruleset_free(rs);
        return failed ? EXIT_FAIL : EXIT_OK;
    }
    hw_ruleset_free(rs);
    return EXIT_OK;
}
