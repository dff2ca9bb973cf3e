/* SPDX-License-Identifier: MIT */
/*
 * Internal: the funds, ledger and plan tables (migration 0004), for
 * src/funds and src/plan.  SQLite is their only backend so far, so these
 * are called directly rather than through struct hw_store_ops.
 */
#ifndef HW_STORE_FUNDS_H
#define HW_STORE_FUNDS_H

#include "homeward/funds.h"
#include "homeward/plan.h"

/* A stored determination, as the planner reads it; valid during the callback. */
typedef struct hw_det_seen {
    int64_t person_id, subject_id;
    const char *rule, *subject_kind, *status, *eligible_on, *left_items;
} hw_det_seen;
typedef int (*hw_det_fn)(void *ud, const hw_det_seen *d);

typedef struct hw_plan_pay_row {
    int64_t obligation_id, fund_id, person_id, amount_cents, balance_cents;
    int64_t owed_cents; /* all the person owed when planned */
    const char *payee;
} hw_plan_pay_row;

typedef struct hw_plan_row {
    int64_t id, organisation_id, objective_value, spent_cents;
    int64_t people_freed, people_helped, months_avoided; /* of the people it pays for */
    const char *status, *committed_at, *as_of;
    size_t npay;
    hw_plan_pay_row *pay; /* by person, then obligation */
} hw_plan_row;

/* The date of the last screening (YYYY-MM-DD), or "" when none was stored. */
hw_code hw__sqlite_screen_as_of(hw_store *s, char out[11], hw_err *e);

/* org 0: the database's only organisation. */
hw_code hw__sqlite_resolve_org(hw_store *s, int64_t org, int64_t *out, hw_err *e);
hw_code hw__sqlite_fund_add(hw_store *s, int64_t org, const char *name, const char *restriction,
                            int64_t cap, int64_t *id, hw_err *e);
hw_code hw__sqlite_donor_id(hw_store *s, int64_t org, const char *name, int64_t *id, hw_err *e);
hw_code hw__sqlite_txn_post(hw_store *s, const hw_txn *t, int64_t *txn_id, hw_err *e);
hw_code hw__sqlite_txn_exists(hw_store *s, const char *key, int *exists, hw_err *e);
hw_code hw__sqlite_fund_get(hw_store *s, int64_t id, hw_arena *a, hw_fund *out, hw_err *e);
hw_code hw__sqlite_fund_list(hw_store *s, hw_fund_fn fn, void *ud, hw_err *e);
hw_code hw__sqlite_ledger_check(hw_store *s, hw_ledger_check *out, hw_err *e);
/* Determinations of these rules that are not needs_review, rule by rule. */
hw_code hw__sqlite_det_scan(hw_store *s, const char *const *rules, size_t nrules, hw_det_fn fn,
                            void *ud, hw_err *e);
/* Save the plan's header, chosen people and payments as a draft; *id is its id. */
hw_code hw__sqlite_plan_save(hw_store *s, const hw_plan *p, int64_t *id, hw_err *e);
/* The plan's header and payments; lives in arena a. */
hw_code hw__sqlite_plan_load(hw_store *s, int64_t id, hw_arena *a, hw_plan_row *out, hw_err *e);
hw_code hw__sqlite_plan_status(hw_store *s, int64_t id, const char *status, hw_err *e);
hw_code hw__sqlite_plan_list(hw_store *s, hw_plan_fn fn, void *ud, hw_err *e);
hw_code hw__sqlite_plan_remit(hw_store *s, int64_t id, hw_remit_fn fn, void *ud, hw_err *e);

#endif
