/* SPDX-License-Identifier: MIT */
/*
 * Screening: every applicable rule on every record, each answer a
 * determination with its reasons (docs/rule-packs.md).  From a database,
 * the determinations are stored for the web application and the planner;
 * from facts (JSON, one rule input each), they are only reported.
 */
#ifndef HOMEWARD_SCREEN_H
#define HOMEWARD_SCREEN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "homeward/rules.h"
#include "homeward/store.h"

/* One determination as it is reported. */
typedef struct hw_screen_hit {
    const hw_rule *rule;
    hw_status status;
    int64_t person_id, subject_id; /* 0 when the input had none */
    const char *date;              /* eligible_on, else NULL */
    const char *summary;           /* the deciding reasons in one line */
    const char *left;              /* what is left, in one line ("" when nothing) */
    const json_t *json;            /* the whole determination (hw_rule_judge_json) */
} hw_screen_hit;

typedef int (*hw_screen_fn)(void *ud, const hw_screen_hit *h);

typedef struct hw_screen_opts {
    const char *as_of; /* YYYY-MM-DD; required for a database */
    const char *only;  /* one rule id, or NULL for all */
    bool dry_run;      /* a database: judge and report, store nothing */
    int64_t person_id; /* a database: this person alone (after their records changed), or 0 */
    hw_screen_fn emit; /* each determination in scope, or NULL; non-zero stops */
    void *ud;
    int (*progress)(void *ud, uint64_t done, uint64_t total);
    void *progress_ud;
} hw_screen_opts;

/* Counts by rule (in rule-set order) and status, and records out of scope. */
typedef struct hw_screen_counts {
    size_t nrules;
    uint64_t (*by_rule)[HW_NEEDS_REVIEW + 2]; /* [status], then [out of scope] */
    uint64_t people, judged, stored;
} hw_screen_counts;

void hw_screen_counts_release(hw_screen_counts *c);

/*
 * Screen every person in `s` against `rs`, store the determinations of the
 * rules screened (replacing their earlier ones, in one transaction), and
 * count them.  Interrupted or failed, nothing is changed.
 */
hw_code hw_screen_store(hw_store *s, const hw_ruleset *rs, const hw_screen_opts *o,
                        hw_screen_counts *out, hw_err *e);

/*
 * Judge one rule input (person, the record under its kind's name, optional
 * as_of) against every rule whose record it carries.  o->as_of, when set,
 * overrides the input's.  Out-of-scope determinations are reported too.
 */
hw_code hw_screen_facts(const hw_ruleset *rs, const json_t *input, const hw_screen_opts *o,
                        hw_err *e);

#endif
