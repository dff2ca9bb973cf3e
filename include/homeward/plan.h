/* SPDX-License-Identifier: MIT */
/*
 * The fees-relief planner (docs/planner.md): who paying would free, and the
 * choice of balances to pay from one or several funds that frees the most
 * people (or the most weighted impact) within every budget, proven optimal
 * or with its gap; then committing a plan as payments.
 */
#ifndef HOMEWARD_PLAN_H
#define HOMEWARD_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "homeward/arena.h"
#include "homeward/remit.h"
#include "homeward/rules.h"
#include "homeward/store.h"

typedef enum hw_objective { HW_OBJECTIVE_PEOPLE, HW_OBJECTIVE_WEIGHTED } hw_objective;

typedef struct hw_plan_opts {
    const int64_t *fund_ids; /* 1 .. 64 funds of one organisation */
    size_t nfunds;
    hw_objective objective;
    const char *as_of;       /* YYYY-MM-DD: the screening's date when NULL */
    const hw_ruleset *rules; /* for what a determination's rule waives or asks to be paid */
    double time_limit_s;     /* several funds: stop the search here (<= 0: 60 s) */
    double gap;              /* several funds: accept a plan within this relative gap */
} hw_plan_opts;

/* One obligation a plan pays (whole: its balance when planned). */
typedef struct hw_plan_payment {
    int64_t obligation_id, fund_id; /* fund_id 0 until chosen */
    int64_t amount_cents;           /* the balance when planned */
    const char *kind, *payee;
} hw_plan_payment;

/* What paying a person's balance would achieve. */
typedef enum hw_outcome {
    HW_OUTCOME_DISCHARGE,      /* supervision can end now: the balance is all that holds it */
    HW_OUTCOME_DISCHARGE_ON,   /* it can end on a later date, once paid */
    HW_OUTCOME_CONDITIONS_MET, /* the financial conditions are met; supervision goes on */
} hw_outcome;

const char *hw_outcome_name(hw_outcome o);

typedef struct hw_plan_candidate {
    int64_t person_id;
    hw_outcome outcome;
    const char *date;    /* DISCHARGE_ON: when; else NULL */
    const char *because; /* what holds them: "PA Act 44 ...: pay the $643.00 restitution balance" */
    int months;          /* supervision-months avoided */
    int parent_of_minor;
    int technical_violations;
    int64_t cost_cents; /* the balances to pay */
    int64_t owed_cents; /* everything they owe: a commit refuses when it changed */
    int64_t value;      /* 1 per person freed, or the weighted points (docs/planner.md) */
    int waste;          /* a waiver covers it: paying would be waste, never chosen */
    int chosen;
    const char *reason; /* why chosen or not, in one sentence */
    size_t npay;
    hw_plan_payment *pay;
} hw_plan_candidate;

typedef struct hw_plan_fund {
    int64_t id;
    const char *name;
    int64_t budget_cents; /* its balance when planned */
    int64_t spent_cents;
    size_t admitted; /* candidates its restriction admits */
} hw_plan_fund;

typedef struct hw_plan {
    int64_t id; /* 0 until saved */
    int64_t organisation_id;
    const char *as_of;
    hw_objective objective;
    const char *method; /* "cheapest-first", "knapsack" or "mip" */
    int optimal;        /* proven */
    int64_t objective_value, bound, greedy_value;
    int64_t budget_cents, spent_cents;
    int64_t people_freed, months_avoided;
    double solve_seconds;
    int64_t nodes;
    size_t nfunds;
    hw_plan_fund *funds;
    size_t ncand; /* every candidate the funds' restrictions admit, chosen or not */
    hw_plan_candidate *cand;
    size_t nwaste;  /* of them, those a waiver covers */
    hw_arena arena; /* everything above lives here */
} hw_plan;

/*
 * Make a plan: find the candidates, solve, give each a reason.  Returns a
 * new plan in *out; free with hw_plan_free().  A fund that does not exist
 * is HW_ENOTFOUND naming it; funds of different organisations HW_EINVAL.
 */
hw_code hw_plan_make(hw_store *s, const hw_plan_opts *o, hw_plan **out, hw_err *e);
void hw_plan_free(hw_plan *p);

/* Store a plan as a draft (sets p->id). */
hw_code hw_plan_save(hw_store *s, hw_plan *p, hw_err *e);

typedef struct hw_commit_report {
    int64_t plan_id;
    int already;             /* it was committed before: nothing was paid now */
    int64_t payments_made;   /* by this run */
    int64_t payments_before; /* made by an earlier, interrupted run */
    int64_t paid_cents, people_freed, people_helped, months_avoided;
} hw_commit_report;

/*
 * Pay a saved plan: one ledger transaction per obligation and fund, keyed
 * so that running it again, or after a crash, pays nobody twice.  Refused,
 * with nothing paid, when an obligation's balance changed since the plan
 * was made (HW_ECONFLICT; the message names them) or a fund no longer holds
 * enough.  Payments are made in batches, each its own transaction.
 */
hw_code hw_plan_commit(hw_store *s, int64_t plan_id, const char *entry_date, hw_commit_report *r,
                       hw_err *e);

/* A saved plan, as listed. */
typedef struct hw_plan_summary {
    int64_t id, organisation_id;
    const char *created_at, *as_of, *objective, *funds, *method, *status, *committed_at;
    int optimal;
    int64_t objective_value, bound, budget_cents, spent_cents, people;
} hw_plan_summary;

/* Every saved plan, newest first; each valid during the call.  Non-zero from fn stops. */
typedef int (*hw_plan_fn)(void *ud, const hw_plan_summary *p);
hw_code hw_plan_list(hw_store *s, hw_plan_fn fn, void *ud, hw_err *e);

/*
 * The remittances of a committed plan, one per payee (in payee order):
 * fn is called with each; everything it gets is valid during the call.
 */
typedef int (*hw_remit_fn)(void *ud, const hw_remit *r);
hw_code hw_plan_remittances(hw_store *s, int64_t plan_id, hw_remit_fn fn, void *ud, hw_err *e);

/*
 * A plan as JSON: optimal, objective_value, bound, gap, budget and spending,
 * funds, and the chosen candidates with their obligations and reasons.
 */
json_t *hw_plan_json(const hw_plan *p);
/* One candidate: person, cost, value, chosen, reason, outcome; with payments, its obligations. */
json_t *hw_plan_candidate_json(const hw_plan_candidate *c, int payments);
/* A saved plan's summary as JSON, as `homeward plan list --json` gives it. */
json_t *hw_plan_summary_json(const hw_plan_summary *p);

#endif
