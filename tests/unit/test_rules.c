/* SPDX-License-Identifier: MIT */
/* Unit tests of rule packs and screening: loading, judging, storing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "homeward/demo.h"
#include "homeward/screen.h"
#include "unit.h"

#define TEST_RULES HW_TEST_DATA "/rules"

/* A rule file `file` with rule `id`: what every rule needs, and `body`. */
static const char *rule_file_id(const char *file, const char *id, const char *body)
{
    static char text[8192];

    snprintf(text, sizeof(text),
             "{\"id\": \"%s\", \"title\": \"t\", \"jurisdiction\": \"PA\",\n"
             " \"applies_to\": \"conviction\", \"relief\": \"r\",\n"
             " \"citations\": [{\"cite\": \"c\"}],\n%s}\n",
             id, body);
    return unit_write_file(unit_path(file), text);
}

static const char *rule_file(const char *name, const char *body)
{
    return rule_file_id(name, name, body);
}

#define OK_TESTS                                                                                   \
    "\"tests\": [{\"name\": \"n\", \"as_of\": \"2026-01-01\", \"facts\": {\"person\": {}, "        \
    "\"conviction\": {}}, \"expect\": \"ineligible\"}]"

/* Loading `path` fails, and the message holds each of the NULL-terminated parts. */
static void expect_load_error(const char *path, const char *part1, const char *part2)
{
    hw_ruleset *rs = NULL;
    hw_err e;

    EXPECT_CODE(hw_rules_load(path, &rs, &e), HW_EINVAL);
    EXPECT(rs == NULL);
    if (!strstr(e.msg, path) || !strstr(e.msg, part1) || (part2 && !strstr(e.msg, part2)))
        unit_fail_str(__FILE__, __LINE__, "load error message", e.msg, part1);
}

TEST(rules_load_reports_file_path_and_reason)
{
    const char *p;

    p = unit_write_file(unit_path("broken.json"), "{\"id\": \"x\",\n  \"title\": }\n");
    expect_load_error(p, "line 2", NULL);
    p = rule_file("a1", "\"conditions\": [], \"exclusion\": [], " OK_TESTS);
    expect_load_error(p, "$: unknown member 'exclusion'", NULL);
    p = rule_file("a2", "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": {\"and\": "
                        "[true, {\"nope\": [1]}]}}], " OK_TESTS);
    expect_load_error(p, "$.conditions[0].when.and[1]", "unknown operator 'nope'");
    p = rule_file("a3", "\"conditions\": [{\"id\": \"c\", \"when\": true}], " OK_TESTS);
    expect_load_error(p, "$.conditions[0]", "'reason' is missing");
    p = rule_file("a4", "\"conditions\": []");
    expect_load_error(p, "$.tests", "test cases");
    p = rule_file("a5", "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": true, "
                        "\"left\": {\"kind\": \"pay\", \"text\": \"t\"}}], " OK_TESTS);
    expect_load_error(p, "$.conditions[0].left", "amount_cents");
    p = rule_file("a6", "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": true}, "
                        "{\"id\": \"c\", \"reason\": \"r\", \"when\": true}], " OK_TESTS);
    expect_load_error(p, "$.conditions[1]", "used twice");
    p = rule_file("a7", "\"conditions\": [], \"parameters\": {\"fpg\": {\"source\": \"s\", "
                        "\"values\": [{\"from\": \"2026-01-13\", \"value\": 1}, "
                        "{\"from\": \"2025-01-15\", \"value\": 2}]}}, " OK_TESTS);
    expect_load_error(p, "$.parameters.fpg.values[1]", "in order");
    p = rule_file("a8", "\"conditions\": [], \"tests\": [{\"name\": \"n\", \"as_of\": "
                        "\"2026-02-30\", \"facts\": {}, \"expect\": \"eligible\"}]");
    expect_load_error(p, "$.tests[0]", "as_of");
    p = rule_file("a9", "\"conditions\": [], \"tests\": [{\"name\": \"n\", \"as_of\": "
                        "\"2026-01-01\", \"facts\": {}, \"expect\": \"maybe\"}]");
    expect_load_error(p, "$.tests[0]", "'maybe'");
    p = rule_file("a10", "\"conditions\": [], \"waiting\": [{\"id\": \"w\", \"reason\": \"r\", "
                         "\"when\": true}], " OK_TESTS);
    expect_load_error(p, "$.waiting[0]", "'until'");
    p = rule_file("a11", "\"waives\": [\"fee\", \"fees\"], \"conditions\": [], " OK_TESTS);
    expect_load_error(p, "$.waives", "not an obligation kind");
    p = rule_file("a12", "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": true, "
                         "\"left\": {\"kind\": \"complete\", \"text\": \"t\", \"kinds\": "
                         "[\"fine\"]}}], " OK_TESTS);
    expect_load_error(p, "$.conditions[0].left", "only a 'pay' item");
}

/* What a rule waives, and what its pay items pay, as obligation-kind bits. */
TEST(rules_waives_and_pays)
{
    hw_ruleset *rs = NULL;
    const hw_rule *r;
    hw_err e;

    rule_file("w1", "\"waives\": [\"fee\", \"cost\"], \"conditions\": [], " OK_TESTS);
    EXPECT_CODE_E(hw_rules_load(unit_path("w1"), &rs, &e), HW_OK, &e);
    r = rs ? hw_ruleset_at(rs, 0) : NULL;
    EXPECT(r && hw_rule_waives(r) == (1u << 1 | 1u << 2) && hw_rule_pays(r) == 0);
    hw_ruleset_free(rs);
    rs = NULL;
    rule_file("p1", "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": true, "
                    "\"left\": {\"kind\": \"pay\", \"text\": \"t\", \"amount_cents\": 1, "
                    "\"kinds\": [\"restitution\"]}}], " OK_TESTS);
    EXPECT_CODE_E(hw_rules_load(unit_path("p1"), &rs, &e), HW_OK, &e);
    r = rs ? hw_ruleset_at(rs, 0) : NULL;
    EXPECT(r && hw_rule_pays(r) == 1u << 3 && hw_rule_waives(r) == 0);
    hw_ruleset_free(rs);
    rs = NULL;
    /* A pay item that names no kinds pays every kind. */
    rule_file("p2",
              "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": true, "
              "\"left\": {\"kind\": \"pay\", \"text\": \"t\", \"amount_cents\": 1}}], " OK_TESTS);
    EXPECT_CODE_E(hw_rules_load(unit_path("p2"), &rs, &e), HW_OK, &e);
    r = rs ? hw_ruleset_at(rs, 0) : NULL;
    EXPECT(r && hw_rule_pays(r) == 0xfu);
    hw_ruleset_free(rs);
}

TEST(rules_load_folder_and_duplicate_ids)
{
    hw_ruleset *rs = NULL;
    hw_err e;
    char dir[512];

    snprintf(dir, sizeof(dir), "%s", unit_path("packs"));
    mkdir(dir, 0755);
    EXPECT_CODE(hw_rules_load(dir, &rs, &e), HW_ENOTFOUND);
    mkdir(unit_path("packs/PA"), 0755);
    rule_file_id("packs/PA/one.json", "one", "\"conditions\": [], " OK_TESTS);
    unit_write_file(unit_path("packs/README.md"), "not a rule\n");
    EXPECT_CODE_E(hw_rules_load(dir, &rs, &e), HW_OK, &e);
    EXPECT_INT(hw_ruleset_count(rs), 1);
    EXPECT(hw_ruleset_find(rs, "one") != NULL);
    hw_ruleset_free(rs);
    /* The same id in a second file: the message names both files. */
    rule_file_id("packs/two.json", "one", "\"conditions\": [], " OK_TESTS);
    EXPECT_CODE(hw_rules_load(dir, &rs, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "already used by") != NULL);
    EXPECT(strstr(e.msg, "two.json") != NULL && strstr(e.msg, "one.json") != NULL);
}

/* Judge the test rule on facts; returns the determination (caller decrefs). */
static json_t *judge(const hw_ruleset *rs, const char *facts, const char *as_of)
{
    json_error_t je;
    json_t *in = json_loads(facts, 0, &je), *out = NULL;
    hw_arena a;
    hw_err e;

    EXPECT(in != NULL);
    hw_arena_init(&a, 4096, 0);
    EXPECT_CODE_E(hw_rule_judge_json(hw_ruleset_at(rs, 0), in, as_of, &a, &out, &e), HW_OK, &e);
    hw_arena_release(&a);
    json_decref(in);
    return out;
}

#define PERSON(balance)                                                                            \
    "\"person\": {\"id\": 7, \"citizenship_status\": \"us_citizen\", "                             \
    "\"restitution_balance_cents\": " #balance "}"
#define TERM(start, violations)                                                                    \
    "\"supervision\": {\"id\": 9, \"supervision_type\": \"probation\", \"status\": \"active\", "   \
    "\"start_date\": \"" start "\", \"violation_count\": " #violations "}"

TEST(rules_judge_explains_and_says_what_is_left)
{
    hw_ruleset *rs = NULL;
    hw_err e;
    json_t *d, *reasons, *left;

    EXPECT_CODE_E(hw_rules_load(TEST_RULES, &rs, &e), HW_OK, &e);
    if (!rs)
        return;
    /* Eligible: every clause is reported with the values it read. */
    d = judge(rs, "{" PERSON(0) ", " TERM("2024-06-01", 0) "}", "2026-06-01");
    EXPECT_STR(json_string_value(json_object_get(d, "status")), "eligible");
    EXPECT_INT(json_integer_value(json_object_get(d, "person_id")), 7);
    EXPECT_INT(json_integer_value(json_object_get(json_object_get(d, "subject"), "id")), 9);
    reasons = json_object_get(d, "reasons");
    EXPECT(json_array_size(reasons) >= 6);
    EXPECT_STR(json_string_value(json_object_get(json_array_get(reasons, 0), "clause")),
               "probation");
    EXPECT_STR(json_string_value(json_object_get(
                   json_object_get(json_array_get(reasons, 2), "values"), "supervision.status")),
               "active");
    EXPECT_INT(json_array_size(json_object_get(d, "left")), 0);
    json_decref(d);

    /* Over the cap in force in 2026 ($1,000.00): close, with the amount left to pay. */
    d = judge(rs, "{" PERSON(141200) ", " TERM("2025-06-01", 0) "}", "2026-06-01");
    EXPECT_STR(json_string_value(json_object_get(d, "status")), "ineligible");
    left = json_object_get(d, "left");
    EXPECT_INT(json_array_size(left), 2);
    EXPECT_STR(json_string_value(json_object_get(json_array_get(left, 0), "text")),
               "pay $412.00 of restitution");
    EXPECT_INT(json_integer_value(json_object_get(json_array_get(left, 0), "amount_cents")), 41200);
    EXPECT_STR(json_string_value(json_object_get(json_array_get(left, 1), "date")), "2027-06-01");
    json_decref(d);

    /* The same balance in 2025, when the cap was $500.00. */
    d = judge(rs, "{" PERSON(141200) ", " TERM("2020-06-01", 0) "}", "2025-06-01");
    EXPECT_INT(json_integer_value(
                   json_object_get(json_array_get(json_object_get(d, "left"), 0), "amount_cents")),
               91200);
    json_decref(d);

    /* One day short of the waiting period; a leap day start keeps to the month's end. */
    d = judge(rs, "{" PERSON(0) ", " TERM("2024-02-29", 0) "}", "2026-02-27");
    EXPECT_STR(json_string_value(json_object_get(d, "status")), "eligible_on");
    EXPECT_STR(json_string_value(json_object_get(d, "date")), "2026-02-28");
    json_decref(d);

    /* An unknown needed fact is a question, not a no; a missing start date too. */
    d = judge(
        rs,
        "{\"person\": {\"id\": 7, \"restitution_balance_cents\": 0}, " TERM("2024-06-01", 0) "}",
        "2026-06-01");
    EXPECT_STR(json_string_value(json_object_get(d, "status")), "needs_review");
    EXPECT(
        json_is_null(json_object_get(json_array_get(json_object_get(d, "reasons"), 3), "holds")));
    json_decref(d);
    d = judge(rs,
              "{" PERSON(0) ", \"supervision\": {\"id\": 9, \"supervision_type\": \"probation\", "
                            "\"status\": \"active\"}}",
              "2026-06-01");
    EXPECT_STR(json_string_value(json_object_get(d, "status")), "needs_review");
    json_decref(d);

    /* An exclusion beats everything else; scope is reported as not in scope. */
    d = judge(
        rs, "{" PERSON(141200) ", " TERM("2024-06-01", 3) ", \"conviction\": {\"violent\": true}}",
        "2026-06-01");
    EXPECT_STR(json_string_value(json_object_get(d, "status")), "ineligible");
    EXPECT_INT(json_array_size(json_object_get(d, "left")), 0);
    json_decref(d);
    d = judge(rs, "{" PERSON(0) ", \"supervision\": {\"supervision_type\": \"parole\"}}",
              "2026-06-01");
    EXPECT(json_is_false(json_object_get(d, "in_scope")));
    json_decref(d);

    /* A bad as_of is an error for the caller, not a determination. */
    {
        json_t *in = json_pack("{s:{},s:{}}", "person", "supervision"), *out = NULL;
        hw_arena a;

        hw_arena_init(&a, 4096, 0);
        EXPECT_CODE(hw_rule_judge_json(hw_ruleset_at(rs, 0), in, "2026-13-01", &a, &out, &e),
                    HW_EINVAL);
        EXPECT(out == NULL);
        hw_arena_release(&a);
        json_decref(in);
    }
    hw_ruleset_free(rs);
}

TEST(rules_selftest_counts_failures)
{
    hw_ruleset *rs = NULL;
    size_t passed = 0, failed = 0;
    hw_err e;
    char *text = NULL;
    size_t size = 0;
    FILE *report = open_memstream(&text, &size);
    const char *p = rule_file(
        "wrong", "\"conditions\": [{\"id\": \"c\", \"reason\": \"r\", \"when\": true}], "
                 "\"tests\": [{\"name\": \"says eligible\", \"as_of\": \"2026-01-01\", "
                 "\"facts\": {\"person\": {}, \"conviction\": {}}, \"expect\": \"eligible\"}, "
                 "{\"name\": \"wrongly expects review\", \"as_of\": \"2026-01-01\", "
                 "\"facts\": {\"person\": {}, \"conviction\": {}}, \"expect\": \"needs_review\"}]");

    EXPECT_CODE_E(hw_rules_load(p, &rs, &e), HW_OK, &e);
    EXPECT_CODE(hw_ruleset_selftest(rs, report, &passed, &failed, &e), HW_OK);
    fclose(report);
    EXPECT_INT(passed, 1);
    EXPECT_INT(failed, 1);
    EXPECT(text && strstr(text, "wrongly expects review") && strstr(text, "got eligible"));
    free(text);
    hw_ruleset_free(rs);
}

static hw_store *demo_db(const char *name, uint64_t people)
{
    hw_store *s = NULL;
    hw_demo_opts o = {.people = people, .seed = 7, .as_of = 20600};
    hw_demo_result r;
    hw_err e;

    EXPECT_CODE_E(hw_store_open(unit_path(name), HW_STORE_CREATE, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_demo_generate(s, &o, &r, &e), HW_OK, &e);
    return s;
}

static int64_t count_rows(const char *db, const char *where)
{
    char sql[256];
    sqlite3 *h;
    sqlite3_stmt *st;
    int64_t n = -1;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM determinations WHERE %s", where);
    if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    return n;
}

/* Collect every determination reported, as text, in order. */
static int collect(void *ud, const hw_screen_hit *h)
{
    FILE *f = ud;
    char *text = json_dumps(h->json, JSON_COMPACT | JSON_SORT_KEYS);

    fprintf(f, "%s\n", text);
    free(text);
    return 0;
}

TEST(screen_stores_replaces_and_agrees_with_facts)
{
    hw_store *s = demo_db("screen.db", 2500);
    hw_ruleset *rs = NULL;
    hw_screen_opts o = {.as_of = "2026-06-01"};
    hw_screen_counts c, c2;
    hw_err e;
    uint64_t in_scope = 0;
    char *text = NULL;
    size_t size = 0;
    FILE *f;

    EXPECT_CODE_E(hw_rules_load(TEST_RULES, &rs, &e), HW_OK, &e);
    if (!s || !rs)
        return;
    /* Two workers, counting. */
    EXPECT_CODE_E(hw_screen_store(s, rs, &o, &c, &e), HW_OK, &e);
    EXPECT_INT(c.people, 2500);
    for (int k = 0; k < HW_NEEDS_REVIEW + 1; k++)
        in_scope += c.by_rule[0][k];
    EXPECT(in_scope > 100);
    EXPECT(c.by_rule[0][HW_NEEDS_REVIEW + 1] > 0); /* parole and supervised release */
    EXPECT_INT(c.stored, in_scope);
    EXPECT_INT(count_rows(unit_path("screen.db"), "1"), (int64_t)in_scope);
    /* Each status the rule can give turns up in synthetic data. */
    EXPECT(c.by_rule[0][HW_ELIGIBLE] > 0 && c.by_rule[0][HW_INELIGIBLE] > 0 &&
           c.by_rule[0][HW_NEEDS_REVIEW] > 0);

    /* Again, reporting each (one worker, in order): the same, replaced, not added. */
    f = open_memstream(&text, &size);
    o.emit = collect;
    o.ud = f;
    EXPECT_CODE_E(hw_screen_store(s, rs, &o, &c2, &e), HW_OK, &e);
    fclose(f);
    EXPECT_INT(c2.stored, c.stored);
    EXPECT_INT(count_rows(unit_path("screen.db"), "1"), (int64_t)in_scope);
    for (int k = 0; k < HW_NEEDS_REVIEW + 2; k++)
        EXPECT_INT(c2.by_rule[0][k], c.by_rule[0][k]);
    hw_screen_counts_release(&c);
    hw_screen_counts_release(&c2);

    /* What the store judged is what --facts judges on the same input. */
    {
        char *line = text, *nl = strchr(text, '\n');
        json_t *det = json_loadb(line, (size_t)(nl - line), 0, NULL);
        json_t *reasons = json_object_get(det, "reasons");
        json_t *in =
            json_pack("{s:{s:I},s:{s:I}}", "person", "id",
                      json_integer_value(json_object_get(det, "person_id")), "supervision", "id",
                      json_integer_value(json_object_get(json_object_get(det, "subject"), "id")));
        size_t i;
        json_t *r;

        /* The stored compact reasons, with the rule's text, are the reported ones. */
        {
            char sql[200];
            sqlite3 *h = NULL;
            sqlite3_stmt *st = NULL;
            json_t *full = NULL;

            snprintf(sql, sizeof(sql),
                     "SELECT reasons, rule_version FROM determinations WHERE subject_id = %lld",
                     (long long)json_integer_value(
                         json_object_get(json_object_get(det, "subject"), "id")));
            EXPECT(sqlite3_open_v2(unit_path("screen.db"), &h, SQLITE_OPEN_READONLY, NULL) ==
                   SQLITE_OK);
            EXPECT(sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK);
            EXPECT(sqlite3_step(st) == SQLITE_ROW);
            EXPECT_STR((const char *)sqlite3_column_text(st, 1),
                       hw_rule_version(hw_ruleset_at(rs, 0)));
            EXPECT_CODE_E(hw_rule_reasons_expand(hw_ruleset_at(rs, 0),
                                                 (const char *)sqlite3_column_text(st, 0),
                                                 "2026-06-01", &full, &e),
                          HW_OK, &e);
            EXPECT(full && json_equal(full, reasons));
            {
                /* Written as text, the same bytes as jansson writes the tree. */
                hw_buf text = HW_BUF_INIT(0);
                char *want = full ? json_dumps(full, JSON_COMPACT) : NULL;

                EXPECT_CODE_E(hw_rule_reasons_write(hw_ruleset_at(rs, 0),
                                                    (const char *)sqlite3_column_text(st, 0),
                                                    "2026-06-01", &text, &e),
                              HW_OK, &e);
                EXPECT(want && text.p && strcmp(text.p, want) == 0);
                free(want);
                hw_buf_release(&text);
            }
            json_decref(full);
            EXPECT_CODE(hw_rule_reasons_expand(hw_ruleset_at(rs, 0), "[\"1x\",1,2,3]", "2026-06-01",
                                               &full, &e),
                        HW_EINVAL);
            sqlite3_finalize(st);
            sqlite3_close(h);
        }
        /* Rebuild the input from the values the reasons report. */
        json_array_foreach(reasons, i, r)
        {
            const char *path;
            json_t *v;

            json_object_foreach(json_object_get(r, "values"), path, v)
            {
                const char *dot = strchr(path, '.');
                char root[32];

                if (!dot || (size_t)(dot - path) >= sizeof(root) || json_is_null(v))
                    continue;
                memcpy(root, path, (size_t)(dot - path));
                root[dot - path] = '\0';
                if (!json_object_get(in, root))
                    json_object_set_new(in, root, json_object());
                json_object_set(json_object_get(in, root), dot + 1, v);
            }
        }
        {
            char *facts = json_dumps(in, 0);
            json_t *again = judge(rs, facts, "2026-06-01");

            free(facts);
            EXPECT_STR(json_string_value(json_object_get(again, "status")),
                       json_string_value(json_object_get(det, "status")));
            json_decref(again);
        }
        json_decref(in);
        json_decref(det);
    }
    free(text);

    /* A dry run stores nothing; a failed screening leaves the last one whole. */
    {
        hw_screen_opts dry = {.as_of = "2027-06-01", .dry_run = true};

        EXPECT_CODE_E(hw_screen_store(s, rs, &dry, &c, &e), HW_OK, &e);
        hw_screen_counts_release(&c);
        EXPECT_INT(count_rows(unit_path("screen.db"), "as_of = '2026-06-01'"), (int64_t)in_scope);
        dry.dry_run = false;
        dry.only = "no-such-rule";
        EXPECT_CODE(hw_screen_store(s, rs, &dry, &c, &e), HW_ENOTFOUND);
        EXPECT_INT(count_rows(unit_path("screen.db"), "as_of = '2026-06-01'"), (int64_t)in_scope);
    }
    hw_ruleset_free(rs);
    hw_store_close(s);
}

static int stop_at_first(void *ud, const hw_screen_hit *h)
{
    (void)ud;
    (void)h;
    return 1;
}

TEST(screen_stopped_midway_changes_nothing)
{
    hw_store *s = demo_db("stop.db", 1500);
    hw_ruleset *rs = NULL;
    hw_screen_opts o = {.as_of = "2026-06-01"};
    hw_screen_counts c;
    hw_err e;
    int64_t before;

    EXPECT_CODE_E(hw_rules_load(TEST_RULES, &rs, &e), HW_OK, &e);
    if (!s || !rs)
        return;
    EXPECT_CODE_E(hw_screen_store(s, rs, &o, &c, &e), HW_OK, &e);
    hw_screen_counts_release(&c);
    before = count_rows(unit_path("stop.db"), "as_of = '2026-06-01'");
    EXPECT(before > 0);
    o.as_of = "2028-01-01";
    o.emit = stop_at_first;
    EXPECT_CODE(hw_screen_store(s, rs, &o, &c, &e), HW_ECANCELED);
    EXPECT_INT(count_rows(unit_path("stop.db"), "as_of = '2026-06-01'"), before);
    EXPECT_INT(count_rows(unit_path("stop.db"), "as_of = '2028-01-01'"), 0);
    hw_ruleset_free(rs);
    hw_store_close(s);
}

TEST(screen_facts_lines)
{
    hw_ruleset *rs = NULL;
    hw_screen_opts o = {0};
    hw_err e;
    json_t *in;
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);

    EXPECT_CODE_E(hw_rules_load(TEST_RULES, &rs, &e), HW_OK, &e);
    if (!rs)
        return;
    o.emit = collect;
    o.ud = f;
    in = json_loads("{\"as_of\": \"2026-06-01\", " PERSON(0) ", " TERM("2024-06-01", 0) "}", 0,
                    NULL);
    EXPECT_CODE_E(hw_screen_facts(rs, in, &o, &e), HW_OK, &e);
    json_decref(in);
    /* No as_of anywhere; no record any rule judges; not an object. */
    in = json_loads("{" PERSON(0) ", " TERM("2024-06-01", 0) "}", 0, NULL);
    EXPECT_CODE(hw_screen_facts(rs, in, &o, &e), HW_EINVAL);
    EXPECT_STR(e.field, "as_of");
    json_decref(in);
    in = json_loads("{\"as_of\": \"2026-06-01\", " PERSON(0) "}", 0, NULL);
    EXPECT_CODE(hw_screen_facts(rs, in, &o, &e), HW_EINVAL);
    json_decref(in);
    in = json_loads("[1]", 0, NULL);
    EXPECT_CODE(hw_screen_facts(rs, in, &o, &e), HW_EINVAL);
    json_decref(in);
    fclose(f);
    EXPECT(text && strstr(text, "\"status\":\"eligible\"") &&
           !strchr(strchr(text, '\n') + 1, '\n'));
    free(text);
    hw_ruleset_free(rs);
}
