/* SPDX-License-Identifier: MIT */
/*
 * Rule packs: relief rules written as data (docs/rule-packs.md).  One rule
 * per JSON file under rules/<jurisdiction>/, each with its citations, its
 * conditions in JSON Logic with a plain-language reason each, exclusions,
 * waiting periods, questions for human review, dated parameters and its own
 * test cases.
 *
 * Judging a rule against one record gives a determination: eligible,
 * ineligible, eligible on a date, or needs review, with every clause and the
 * values that decided it, and what is left when the person is close.
 */
#ifndef HOMEWARD_RULES_H
#define HOMEWARD_RULES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "homeward/arena.h"
#include "homeward/buf.h"
#include "homeward/error.h"
#include "homeward/vocab.h"

typedef struct hw_rule hw_rule;
typedef struct hw_ruleset hw_ruleset;

typedef enum hw_status {
    HW_ELIGIBLE,
    HW_INELIGIBLE,
    HW_ELIGIBLE_ON,
    HW_NEEDS_REVIEW,
} hw_status;

/* "eligible", "ineligible", "eligible_on", "needs_review". */
const char *hw_status_name(hw_status s);

/*
 * Load every rule file (*.json) under `path`, a directory searched to any
 * depth in name order, or a single file.  A malformed file fails the whole
 * load with HW_EINVAL: field is empty and msg is "FILE: $.json.path: reason".
 * Rule ids must be unique.
 */
hw_code hw_rules_load(const char *path, hw_ruleset **out, hw_err *e);

/* One rule from memory (n bytes of JSON), named `name` in messages. */
hw_code hw_rules_load_text(const char *name, const char *text, size_t n, hw_ruleset **out,
                           hw_err *e);

/* Free a rule set.  Accepts NULL. */
void hw_ruleset_free(hw_ruleset *rs);

size_t hw_ruleset_count(const hw_ruleset *rs);
const hw_rule *hw_ruleset_at(const hw_ruleset *rs, size_t i);
/* The rule with this id, or NULL. */
const hw_rule *hw_ruleset_find(const hw_ruleset *rs, const char *id);

const char *hw_rule_id(const hw_rule *r);
const char *hw_rule_title(const hw_rule *r);
const char *hw_rule_file(const hw_rule *r);
/* The relief it gives, in words; "federal" or the state's code. */
const char *hw_rule_relief(const hw_rule *r);
const char *hw_rule_jurisdiction(const hw_rule *r);
/* Its sources: an array of {"cite", "url"?, "note"?}, owned by the rule. */
const json_t *hw_rule_citations(const hw_rule *r);
/* The same as compact JSON text, made once when the rule is loaded. */
const char *hw_rule_citations_text(const hw_rule *r);
/* The kind of record it judges: people, convictions, sentences, supervision or obligations. */
hw_kind hw_rule_applies_to(const hw_rule *r);

/*
 * Obligation kinds as bits (bit i: the i-th value of obligations.kind in the
 * vocabulary: fine, fee, cost, restitution).  waives: what the court waives
 * for a person the rule finds eligible ("waives" in the pack); pays: what
 * its 'pay' items ask to be paid ("kinds"; every kind when they do not say;
 * 0 when it has none).
 */
unsigned hw_rule_waives(const hw_rule *r);
unsigned hw_rule_pays(const hw_rule *r);

/*
 * Judge rule `r` on one input (borrowed): an object with `person`, the record
 * under its kind's singular name, and optional `as_of` ("YYYY-MM-DD"), which
 * `as_of` (may be NULL) overrides.  *out is the determination as JSON:
 * {"rule", "subject": {"kind", "id"}, "person_id", "status", "date",
 * "reasons": [...], "left": [...], "in_scope"}.  A record the rule does not
 * apply to is "ineligible" with in_scope false.  Scratch comes from `a`.
 */
hw_code hw_rule_judge_json(const hw_rule *r, const json_t *input, const char *as_of, hw_arena *a,
                           json_t **out, hw_err *e);

/* The rule in plain words, as Markdown: sources, relief, every clause's reason, parameters. */
void hw_rule_describe(const hw_rule *r, FILE *out);

/* A hash of the rule's file, stored with its determinations to tell when they are stale. */
const char *hw_rule_version(const hw_rule *r);

/*
 * A stored determination's compact reasons (the `reasons` column) made whole
 * with the rule's text, judged as of `as_of`: the array of {"clause", "part", "holds", "reason" or
 * "question", "values", "date"} that hw_rule_judge_json() gives.  HW_EINVAL
 * when they do not fit the rule (it changed since).
 */
hw_code hw_rule_reasons_expand(const hw_rule *r, const char *compact, const char *as_of,
                               json_t **out, hw_err *e);
/* The same array written to b as compact JSON text, without a tree of it first. */
hw_code hw_rule_reasons_write(const hw_rule *r, const char *compact, const char *as_of, hw_buf *b,
                              hw_err *e);

/*
 * Run every rule's own test cases.  Each failure is described on `report`
 * (may be NULL); the counts go to *passed and *failed.
 */
hw_code hw_ruleset_selftest(const hw_ruleset *rs, FILE *report, size_t *passed, size_t *failed,
                            hw_err *e);

#endif
