/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a rule file.  A hostile rule is an error, never a crash
 * or a hang: load it, run its own tests, and judge a fixed record with it.
 */
#include <stddef.h>
#include <stdint.h>

#include "homeward/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hw_ruleset *rs = NULL;
    hw_err e;
    size_t passed, failed;

    if (hw_rules_load_text("fuzz.json", (const char *)data, size, &rs, &e) != HW_OK)
        return 0;
    hw_ruleset_selftest(rs, NULL, &passed, &failed, &e);
    {
        json_t *in = json_pack("{s:{s:i,s:s,s:[s]},s:{s:i,s:s,s:s,s:s,s:i},s:s}", "person", "id", 1,
                               "citizenship_status", "us_citizen", "public_benefits", "snap",
                               hw_vocab_kind(hw_rule_applies_to(hw_ruleset_at(rs, 0)))->singular,
                               "id", 2, "statute", "21 USC 844(a)", "start_date", "2024-02-29",
                               "status", "active", "term_months", 36, "as_of", "2026-11-23");
        json_t *out = NULL;
        hw_arena a;

        hw_arena_init(&a, 4096, 64u << 20);
        if (in && hw_rule_judge_json(hw_ruleset_at(rs, 0), in, NULL, &a, &out, &e) == HW_OK)
            json_decref(out);
        hw_arena_release(&a);
        json_decref(in);
    }
    hw_ruleset_free(rs);
    return 0;
}
