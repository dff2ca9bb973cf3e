/* SPDX-License-Identifier: MIT */
/*
 * `homeward logic`: evaluate JSON Logic rules.  Each line of standard input
 * is {"logic": RULE, "data": DATA}; each line of output is {"result": ...}
 * or {"error": "..."}.  A bad line is an error for that line alone.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/banned.h"
#include "homeward/arena.h"
#include "homeward/logic.h"

#define MAX_LINE (16u << 20)

static void put(json_t *obj)
{
    char *text = obj ? json_dumps(obj, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

    puts(text ? text : "{\"error\": \"out of memory\"}");
    free(text);
    json_decref(obj);
}

static void one_line(const char *line, size_t n, hw_arena *a)
{
    json_error_t jerr;
    /* Numbers are doubles in JSON Logic, as in JavaScript: 1e21 written as digits too. */
    json_t *in = json_loadb(line, n, JSON_DECODE_INT_AS_REAL, &jerr), *logic, *result = NULL;
    hw_logic *l = NULL;
    hw_err e;
    char msg[300];

    if (!in || !json_is_object(in) || !(logic = json_object_get(in, "logic"))) {
        if (!in)
            snprintf(msg, sizeof(msg), "not JSON: %s (column %d)", jerr.text, jerr.column);
        else
            snprintf(msg, sizeof(msg), "want an object with \"logic\" and \"data\"");
        put(json_pack("{ss}", "error", msg));
    } else if (hw_logic_compile(logic, &l, &e) ||
               hw_logic_eval_json(l, json_object_get(in, "data"), a, &result, &e)) {
        put(json_pack("{ss}", "error", e.msg));
    } else {
        put(json_pack("{so}", "result", result));
    }
    hw_logic_free(l);
    json_decref(in);
}

int cmd_logic(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    hw_arena a;

    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: homeward logic < RULES.jsonl\n\n"
               "Evaluate JSON Logic.  Each input line is {\"logic\": RULE, \"data\": DATA};\n"
               "each output line is {\"result\": VALUE} or {\"error\": \"MESSAGE\"}.\n");
        return EXIT_OK;
    }
    if (argc > 1)
        return cli_usage_error("logic", "homeward logic < RULES.jsonl", "unexpected argument '%s'",
                               argv[1]);
    hw_arena_init(&a, 65536, 256u << 20);
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        size_t len = (size_t)n;

        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (!len)
            continue;
        if (len > MAX_LINE)
            put(json_pack("{ss}", "error", "line longer than 16 MiB"));
        else
            one_line(line, len, &a);
        hw_arena_reset(&a);
    }
    free(line);
    hw_arena_release(&a);
    return EXIT_OK;
}
