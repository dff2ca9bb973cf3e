/* SPDX-License-Identifier: MIT */
/*
 * Reading and changing records one page at a time, for the API: every
 * function here sees one organisation's records only, and pages by keyset
 * (a sort value and an id), never by offset, so a page costs the same at
 * the millionth record as at the first and stays stable under inserts.
 */
#ifndef HOMEWARD_QUERY_H
#define HOMEWARD_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "homeward/store.h"
#include "homeward/vocab.h"

/*
 * From now, stop this handle's statements once `ms` milliseconds have
 * passed (0: no limit): a statement running then fails, HW_ELIMIT from the
 * functions here.  The server sets it as each request takes a handle.
 */
void hw_store_set_time_limit(hw_store *s, unsigned ms);

typedef struct hw_query_filter {
    int field;      /* index in the kind's fields */
    hw_value value; /* equal to this (as hw_vocab_parse() makes it) */
} hw_query_filter;

typedef struct hw_query {
    hw_kind kind;
    int64_t organisation_id; /* only this organisation's records */
    int64_t person_id;       /* only this person's records (0: anyone's) */
    const hw_query_filter *filters;
    size_t nfilters;
    int sort;  /* a field that is never null (the id, or a required field) */
    bool desc; /* descending */
    /* Continue after this record of the previous page: its sort value and id. */
    bool after;
    hw_value after_value;
    int64_t after_id;
    size_t limit; /* rows at most */
} hw_query;

/*
 * Call fn for each record of the page, in order (row: the kind's nfields
 * values, valid during the call).  A sort field that may be null is HW_EINVAL.
 */
hw_code hw_store_query(hw_store *s, const hw_query *q, hw_row_fn fn, void *ud, hw_err *e);

/*
 * Record `id` of kind k if it belongs to organisation `org`: fn is called
 * once.  HW_ENOTFOUND when there is no such record or it is another's.
 */
hw_code hw_store_get(hw_store *s, hw_kind k, int64_t id, int64_t org, hw_row_fn fn, void *ud,
                     hw_err *e);

/* One more than the largest id of kind k: a new record's id, inside the write transaction. */
hw_code hw_store_next_id(hw_store *s, hw_kind k, int64_t *id, hw_err *e);

/* The organisation and person a record belongs to; HW_ENOTFOUND when there is none. */
hw_code hw_store_record_owner(hw_store *s, hw_kind k, int64_t id, int64_t *org, int64_t *person_id,
                              hw_err *e);

/*
 * Replace every field of record row[0] of kind k with `row`, in the open
 * transaction.  References are checked by the database; a missing one is
 * HW_ENOTFOUND naming the field.
 */
hw_code hw_store_update(hw_store *s, hw_kind k, const hw_value *row, hw_err *e);

/* The caseload: people with what a case manager sorts and filters them by. */
typedef struct hw_caseload_query {
    int64_t organisation_id;
    const char *name;             /* family-name prefix, or "family, given" prefixes; NULL */
    int64_t id;                   /* this person only (0: any) */
    int64_t external_person_id;   /* this person only, found by external id (0: any) */
    const char *supervision_type; /* on an active term of this type; NULL */
    const char *officer;          /* on an active term with this officer; NULL */
    int64_t min_balance_cents;    /* owes at least this (0: no filter) */
    bool eligible;                /* some determination eligible or eligible_on */
    bool missed_checkin;          /* a check-in missed since `since_utc` */
    int64_t since_utc;            /* Unix seconds: the start of "recently" */
    bool by_name;                 /* sort by family name, given name, id; else by id */
    bool desc;
    bool after; /* continue after this person of the previous page */
    char after_family[128], after_given[128];
    int64_t after_id;
    size_t limit;
} hw_caseload_query;

typedef struct hw_caseload_row {
    int64_t id, organisation_id;
    const char *given_name, *family_name, *dob;
    int64_t supervision_id; /* the active term, 0 if none */
    const char *supervision_type, *officer, *supervision_status, *scheduled_end_date;
    int64_t balance_cents;
    int64_t eligible_rules;
    int64_t missed_checkins;
} hw_caseload_row;

typedef int (*hw_caseload_fn)(void *ud, const hw_caseload_row *r);
hw_code hw_store_caseload(hw_store *s, const hw_caseload_query *q, hw_caseload_fn fn, void *ud,
                          hw_err *e);

/* Stored determinations, as `homeward screen` wrote them. */
typedef struct hw_det_query {
    int64_t organisation_id;
    const char *rule;   /* NULL: any */
    const char *status; /* NULL: any */
    int64_t person_id;  /* 0: any */
    bool after;         /* continue after (person, kind, subject, rule) */
    int64_t after_person, after_subject;
    char after_kind[32], after_rule[128];
    size_t limit; /* 0: no limit */
} hw_det_query;

typedef struct hw_det {
    const char *rule, *rule_version, *subject_kind, *status, *eligible_on, *as_of;
    const char *reasons, *left_items; /* JSON text as stored */
    int64_t subject_id, person_id;
} hw_det;

typedef int (*hw_det_fn)(void *ud, const hw_det *d);
hw_code hw_store_determinations(hw_store *s, const hw_det_query *q, hw_det_fn fn, void *ud,
                                hw_err *e);

/* How many determinations of each rule have each status, in one organisation. */
typedef int (*hw_det_count_fn)(void *ud, const char *rule, const char *status, int64_t people,
                               int64_t n);
hw_code hw_store_determination_counts(hw_store *s, int64_t org, hw_det_count_fn fn, void *ud,
                                      hw_err *e);

/* The dashboard's figures for one organisation: aggregates only. */
typedef struct hw_dashboard {
    int64_t people;
    int64_t people_owing, owed_cents;
    int64_t people_freed, paid_cents; /* by committed plans */
    int64_t checkins_attended, checkins_missed;
} hw_dashboard;
hw_code hw_store_dashboard(hw_store *s, int64_t org, int64_t since_utc, int64_t until_utc,
                           hw_dashboard *out, hw_err *e);

/* A chosen person of saved plan `plan_id` of organisation `org`, with their name. */
typedef struct hw_plan_person {
    int64_t person_id;
    const char *given_name, *family_name, *outcome, *reason;
    int64_t cost_cents, value, months;
} hw_plan_person;
typedef int (*hw_plan_person_fn)(void *ud, const hw_plan_person *p);
hw_code hw_store_plan_people(hw_store *s, int64_t plan_id, int64_t org, hw_plan_person_fn fn,
                             void *ud, hw_err *e);

/* Organisation `id`'s name into out[size]; HW_ENOTFOUND when there is none. */
hw_code hw_store_org_name(hw_store *s, int64_t id, char *out, size_t size, hw_err *e);

/* A user as sign-in and the users page need them: never the password's hash. */
typedef struct hw_user_info {
    int64_t id, organisation_id;
    char email[256];
    char role[16];
    char created_at[32];
    bool disabled, has_totp;
} hw_user_info;

/* User `id`; HW_ENOTFOUND when there is none. */
hw_code hw_store_user_get(hw_store *s, int64_t id, hw_user_info *out, hw_err *e);
/* An organisation's users in id order. */
typedef int (*hw_user_info_fn)(void *ud, const hw_user_info *u);
hw_code hw_store_users(hw_store *s, int64_t org, hw_user_info_fn fn, void *ud, hw_err *e);

#endif
