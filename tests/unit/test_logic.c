/* SPDX-License-Identifier: MIT */
/* Unit tests of the JSON Logic engine: the shared conformance suite, and hostile rules. */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/logic.h"
#include "unit.h"

/* JSON equality where 1 and 1.0 are the same number, as in JavaScript. */
static bool same(const json_t *a, const json_t *b)
{
    size_t i;
    const char *k;
    json_t *x;

    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    if (json_typeof(a) != json_typeof(b))
        return false;
    if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return false;
        json_array_foreach(a, i, x) if (!same(x, json_array_get(b, i))) return false;
        return true;
    }
    if (json_is_object(a)) {
        if (json_object_size(a) != json_object_size(b))
            return false;
        json_object_foreach((json_t *)a, k, x) if (!json_object_get(b, k) ||
                                                   !same(x, json_object_get(b, k))) return false;
        return true;
    }
    return json_equal(a, b);
}

/* Compile and evaluate; the result as compact JSON text, or "error: ...". */
static char *run(const json_t *rule, const json_t *data, hw_arena *a)
{
    hw_logic *l = NULL;
    json_t *out = NULL;
    hw_err e;
    char *text;

    if (hw_logic_compile(rule, &l, &e) || hw_logic_eval_json(l, data, a, &out, &e)) {
        hw_logic_free(l);
        text = malloc(strlen(e.msg) + 8);
        snprintf(text, strlen(e.msg) + 8, "error: %s", e.msg);
        return text;
    }
    text = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
    json_decref(out);
    hw_logic_free(l);
    return text;
}

TEST(logic_conformance_suite)
{
    char path[512];
    json_error_t jerr;
    json_t *suite, *c;
    size_t i, cases = 0, passed = 0;
    hw_arena a;

    snprintf(path, sizeof(path), "%s/jsonlogic/tests.json", HW_TEST_DATA);
    suite = json_load_file(path, JSON_DECODE_ANY, &jerr);
    EXPECT(suite != NULL);
    if (!suite)
        return;
    hw_arena_init(&a, 4096, 0);
    json_array_foreach(suite, i, c)
    {
        hw_logic *l = NULL;
        json_t *out = NULL;
        hw_err e;

        if (!json_is_array(c))
            continue; /* a section heading */
        cases++;
        hw_arena_reset(&a);
        if (hw_logic_compile(json_array_get(c, 0), &l, &e) == HW_OK &&
            hw_logic_eval_json(l, json_array_get(c, 1), &a, &out, &e) == HW_OK &&
            same(out, json_array_get(c, 2))) {
            passed++;
        } else {
            char *r = json_dumps(json_array_get(c, 0), JSON_COMPACT | JSON_ENCODE_ANY);
            char *d = json_dumps(json_array_get(c, 1), JSON_COMPACT | JSON_ENCODE_ANY);
            char *w = json_dumps(json_array_get(c, 2), JSON_COMPACT | JSON_ENCODE_ANY);
            char *g = out ? json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

            printf("#   case %zu: %s with %s gave %s, expected %s\n", cases, r, d, g ? g : e.msg,
                   w);
            free(r);
            free(d);
            free(w);
            free(g);
        }
        json_decref(out);
        hw_logic_free(l);
    }
    printf("# JSON Logic suite: %zu of %zu cases pass\n", passed, cases);
    EXPECT_INT(cases, 277);
    EXPECT_INT(passed, cases);
    hw_arena_release(&a);
    json_decref(suite);
}

TEST(logic_bad_rules_are_errors)
{
    hw_arena a;
    json_t *deep = json_null(), *rule;
    char *r;

    hw_arena_init(&a, 4096, 0);
    rule = json_loads("{\"frobnicate\": [1, 2]}", 0, NULL);
    r = run(rule, NULL, &a);
    EXPECT_STR(r, "error: $: unknown operator 'frobnicate'");
    free(r);
    json_decref(rule);
    rule = json_loads("{\"and\": [true, {\"if\": [{\"nope\": 1}]}]}", 0, NULL);
    r = run(rule, NULL, &a);
    EXPECT_STR(r, "error: $.and[1].if[0]: unknown operator 'nope'");
    free(r);
    json_decref(rule);
    /* Nesting too deep for the stack is refused, not followed. */
    for (int i = 0; i < 100000; i++)
        deep = json_pack("{so}", "!", deep);
    r = run(deep, NULL, &a);
    EXPECT(r && strstr(r, "nested deeper than") != NULL);
    free(r);
    json_decref(deep);
    hw_arena_release(&a);
}

TEST(logic_coercions)
{
    static const struct {
        const char *rule, *data, *want;
    } cases[] = {
        {"{\"cat\": [1.5, \" \", 0.1, \" \", 1e21, \" \", null, [1, [2, null]]]}", "{}",
         "\"1.5 0.1 1e+21 1,2,\""},
        {"{\"+\": [\"3 apples\", 1]}", "{}", "4"},
        {"{\"==\": [[], false]}", "{}", "true"},
        {"{\"==\": [null, 0]}", "{}", "false"},
        {"{\"<\": [\"10\", \"9\"]}", "{}", "true"},
        {"{\"<\": [\"10\", 9]}", "{}", "false"},
        {"{\"substr\": [\"d\\u00e9j\\u00e0 vu\", -5, 3]}", "{}", "\"j\xc3\xa0 \""},
        {"{\"var\": \"a.1.b\"}", "{\"a\": [{\"b\": 1}, {\"b\": 2}]}", "2"},
        {"{\"var\": [\"x\", 7]}", "{\"x\": null}", "null"},
        {"{\"max\": []}", "{}", "null"},
        /* A default is evaluated against the whole datum, not where the path stopped. */
        {"{\"var\": [\"a.nope\", {\"var\": \"b\"}]}", "{\"a\": {\"x\": 1}, \"b\": 7}", "7"},
        {"{\"/\": [1, 0]}", "{}", "null"},
        /* Number() reads hex, octal and binary text, unsigned; parseFloat ("+", "*") does not. */
        {"{\"-\": [\" 0xff \", 0]}", "{}", "255"},
        {"{\"-\": [\"0o17\", \"0b101\"]}", "{}", "10"},
        {"{\"-\": [\"-0x10\", 0]}", "{}", "null"},
        {"{\"-\": [\"0x1g\", 0]}", "{}", "null"},
        {"{\"*\": [\"0x10\", 1]}", "{}", "0"},
    };
    hw_arena a;

    hw_arena_init(&a, 4096, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *rule = json_loads(cases[i].rule, JSON_DECODE_ANY, NULL);
        json_t *data = json_loads(cases[i].data, JSON_DECODE_ANY, NULL);
        char *r = run(rule, data, &a);

        EXPECT_STR(r, cases[i].want);
        free(r);
        json_decref(rule);
        json_decref(data);
        hw_arena_reset(&a);
    }
    hw_arena_release(&a);
}

TEST(logic_civil_dates)
{
    static const struct {
        const char *rule, *want;
    } cases[] = {
        /* "served at least 10 years as of the screening date": one clause. */
        {"{\">=\": [{\"years_between\": [\"2014-11-24\", \"2024-11-23\"]}, 10]}", "false"},
        {"{\">=\": [{\"years_between\": [\"2014-11-23\", \"2024-11-23\"]}, 10]}", "true"},
        /* "offense on or before 2022-10-06": ISO dates compare as text. */
        {"{\"<=\": [\"2022-10-06\", \"2022-10-06\"]}", "true"},
        {"{\"<=\": [\"2022-10-07\", \"2022-10-06\"]}", "false"},
        /* A year after 29 February is 28 February (LEGAL-RULES.md, section 0). */
        {"{\"date_add\": [\"2024-02-29\", 1, \"years\"]}", "\"2025-02-28\""},
        {"{\"date_add\": [\"2025-01-31\", 1, \"months\"]}", "\"2025-02-28\""},
        {"{\"date_add\": [\"2025-11-23\", -1]}", "\"2025-11-22\""},
        {"{\"days_between\": [\"2024-02-28\", \"2024-03-01\"]}", "2"},
        {"{\"months_between\": [\"2024-11-24\", \"2025-11-23\"]}", "11"},
        {"{\"months_between\": [\"2025-11-23\", \"2024-11-24\"]}", "-11"},
        {"{\"years_between\": [\"2025-11-23\", \"2024-11-24\"]}", "0"},
        /* Missing or malformed dates are null: comparisons with them are false. */
        {"{\"date\": \"2023-02-29\"}", "null"},
        {"{\"date_add\": [\"02/03/2020\", 1, \"days\"]}", "null"},
        {"{\"date_add\": [\"2020-01-01\", 1, \"fortnights\"]}", "null"},
        {"{\"date_add\": [\"2020-01-01\", 1.5, \"days\"]}", "null"},
        /* A statute cites a section when it is it or one of its subsections. */
        {"{\"cites\": [\"21 USC 844(a)\", \"21 USC 844\"]}", "true"},
        {"{\"cites\": [\"21 USC 844\", \"21 USC 844\"]}", "true"},
        {"{\"cites\": [\"21 USC 8441\", \"21 USC 844\"]}", "false"},
        {"{\"cites\": [\"18 USC 2252A\", [\"18 USC 2252\", \"18 USC 2251\"]]}", "false"},
        {"{\"cites\": [\"18 USC 2251(a)\", [\"18 USC 2252\", \"18 USC 2251\"]]}", "true"},
        {"{\"cites\": [null, \"21 USC 844\"]}", "false"},
        /* An unknown amount is no date, not the start date (Number(null) is 0). */
        {"{\"date_add\": [\"2027-01-10\", null, \"days\"]}", "null"},
        {"{\"date_add\": [\"2027-01-10\", {\"var\": \"term\"}, \"months\"]}", "null"},
        {"{\">=\": [{\"years_between\": [{\"var\": \"nope\"}, \"2024-11-23\"]}, 10]}", "false"},
    };
    hw_arena a;

    hw_arena_init(&a, 4096, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *rule = json_loads(cases[i].rule, JSON_DECODE_ANY, NULL);
        char *r = run(rule, NULL, &a);

        EXPECT_STR(r, cases[i].want);
        free(r);
        json_decref(rule);
        hw_arena_reset(&a);
    }
    hw_arena_release(&a);
}
