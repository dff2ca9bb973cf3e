/* SPDX-License-Identifier: MIT */
/*
 * Internal to rule packs: a loaded rule, its clauses, and a determination as
 * the judge builds it before it is written out (JSON, a table row, the store).
 */
#ifndef HW_RULES_INT_H
#define HW_RULES_INT_H

#include "homeward/buf.h"
#include "homeward/rules.h"
#include "rules/logic_int.h"

/* What part of a rule a clause is. */
typedef enum clause_role {
    CL_SCOPE,     /* must hold for the rule to apply at all */
    CL_EXCLUSION, /* holds: ineligible */
    CL_CONDITION, /* fails: ineligible (or close, when it says what is left) */
    CL_WAITING,   /* gives the date a period is complete */
    CL_REVIEW,    /* holds: a person must answer `text`, the question */
} clause_role;

/* A value the judge reports beside a clause: a var path the clause reads. */
typedef struct clause_var {
    const char *path;
    hw_logic *logic; /* {"var": path} */
    uint32_t at;     /* its index in the rule's distinct paths (hw_rule.paths) */
} clause_var;

typedef struct clause {
    clause_role role;
    const char *id;
    const char *text; /* the plain-language reason, or the question */
    hw_logic *logic;  /* when / until */
    clause_var *vars; /* the paths it reads, reported as its values */
    size_t nvars;
    /* Paths whose absence makes the answer unknown (a question, not a no). */
    clause_var *needs;
    size_t nneeds;
    /* CL_CONDITION: what is left when only such conditions fail. */
    const char *left_kind; /* "pay", "complete", "other"; NULL when not curable */
    const char *left_text; /* may hold {amount} */
    hw_logic *left_amount; /* cents, or NULL */
} clause;

typedef struct param_value {
    char from[11], to[11]; /* "" when open */
    lval value;
} param_value;

typedef struct param {
    const char *name;
    const char *source;
    param_value *values;
    size_t nvalues;
} param;

typedef struct rule_test {
    const char *name;
    const char *as_of;
    json_t *facts;
    hw_status expect;
    const char *expect_date; /* eligible_on */
    const char *expect_left; /* a left kind that must be present, or NULL */
} rule_test;

struct hw_rule {
    const char *file;
    const char *id, *title, *jurisdiction, *relief;
    hw_kind kind;
    const char *singular;
    char from[11], to[11]; /* effective dates; "" when open */
    clause *clauses;
    size_t nclauses;
    param *params;
    size_t nparams;
    rule_test *tests;
    size_t ntests;
    json_t *citations;    /* kept for output */
    char *citations_text; /* the same as compact JSON text, for pages written as text */
    bool reads_all;       /* a var path is computed, so any field may be read */
    unsigned waives;      /* obligation kinds an eligible person has waived (bit: hw_rule_waives) */
    unsigned pays;        /* obligation kinds its 'pay' items ask to be paid (all when none said) */
    clause_var **paths;   /* the distinct paths the clauses report, first use first */
    size_t npaths;
    char version[17]; /* a hash of the file: stored with each determination */
    hw_arena mem;     /* strings and arrays of this rule */
};

struct hw_ruleset {
    hw_rule **rules;
    size_t n, cap;
};

/* One clause's outcome, as reported. */
typedef struct verdict {
    const clause *c;
    int met;  /* 1 holds, 0 fails, -1 unknown */
    lval val; /* CL_WAITING: the date; otherwise unused */
} verdict;

typedef struct left_item {
    const char *kind; /* "wait", "pay", "complete", "other" */
    const char *text;
    char date[11];
    int64_t amount_cents; /* -1 when none */
} left_item;

typedef struct determination {
    const hw_rule *rule;
    lval top; /* what the rule saw: the input with as_of and params */
    const char *as_of;
    hw_status status;
    bool in_scope;
    char date[11]; /* eligible_on */
    verdict *verdicts;
    size_t nverdicts;
    left_item *left;
    size_t nleft;
    const char *note; /* an extra reason not tied to a clause (effective dates) */
} determination;

/*
 * Judge `r` on `input`, an object whose fields include `person`, the record
 * and `as_of` (a date string).  Everything is allocated in `a`.
 */
hw_code hw__rule_judge(const hw_rule *r, lval input, const char *as_of, hw_arena *a,
                       determination *d, hw_err *e);

/*
 * The same on `top`, an object that already holds as_of and this rule's
 * params (screening builds one per record and swaps params per rule).
 */
hw_code hw__rule_judge_top(const hw_rule *r, lval top, const char *as_of, hw_arena *a,
                           determination *d, hw_err *e);

/*
 * The object a rule sees: `input`'s members (but as_of and params), then
 * as_of and params.  *params_at (when not NULL) is where params is, so one
 * object serves every rule of a record with each rule's own params.
 */
bool hw__rule_top(lval input, const char *as_of, lval params, hw_arena *a, lval *out,
                  lval **params_at);

/* The kind a rule names ("conviction"): one of the five kinds rules judge; false for others. */
bool hw__rule_kind(const char *singular, hw_kind *out);

/* The rule's parameters in force on as_of, as the object rules read as `params`. */
bool hw__rule_params(const hw_rule *r, const char *as_of, hw_arena *a, lval *out);

/* The determination as JSON (see hw_rule_judge_json); NULL when out of memory. */
json_t *hw__determination_json(const determination *d, hw_arena *a);

/*
 * The reasons as stored: ["10?1...", value, ..., date, ...]: one character
 * per clause judged, in the rule's order (1 held, 0 did not, ? unknown),
 * then the value of each of the rule's distinct paths, then the date of each
 * waiting period judged.  The rule's own text makes it whole again
 * (hw_rule_reasons_expand).  Appends to b; false when out of memory.
 */
bool hw__determination_compact(const determination *d, hw_arena *a, hw_buf *b);
/* What is left as JSON text ("[]" when nothing). */
bool hw__determination_left_json(const determination *d, hw_buf *b);

/* A short one-line summary of the reasons that decided it, in arena `a`. */
const char *hw__determination_summary(const determination *d, hw_arena *a);

/* The value at a dotted path of an object, or LV_UNDEF. */
lval hw__lv_get(lval obj, const char *key);

#endif
