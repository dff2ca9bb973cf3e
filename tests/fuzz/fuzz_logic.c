/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a JSON Logic rule, compiled and
 * evaluated against fixed data.  A hostile rule must be an error, never a
 * crash, a hang or unbounded memory.  Run by scripts/fuzz.sh.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "homeward/arena.h"
#include "homeward/logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static json_t *record;
    json_t *rule, *out = NULL;
    hw_logic *l = NULL;
    hw_arena a;
    hw_err e;

    if (!record)
        record = json_loads("{\"a\": 1, \"b\": [1, 2, \"x\", null], \"c\": {\"d\": \"e\"},"
                            " \"person\": {\"dob\": \"1980-02-29\", \"parent_of_minor\": true}}",
                            0, NULL);
    rule = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
    if (!rule)
        return 0;
    hw_arena_init(&a, 4096, 64u << 20); /* a hostile rule meets the budget, as an error */
    if (hw_logic_compile(rule, &l, &e) == HW_OK && hw_logic_eval_json(l, record, &a, &out, &e))
        out = NULL;
    json_decref(out);
    hw_logic_free(l);
    hw_arena_release(&a);
    json_decref(rule);
    return 0;
}
