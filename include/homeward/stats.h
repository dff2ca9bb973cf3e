/* SPDX-License-Identifier: MIT */
/*
 * A summary of what a database holds, as of a date: caseloads, supervision,
 * balances owed, check-ins.  Aggregates only: no names, no personal fields.
 */
#ifndef HOMEWARD_STATS_H
#define HOMEWARD_STATS_H

#include <stdint.h>

#include "homeward/error.h"
#include "homeward/store.h"

typedef struct hw_stats_org {
    int64_t id;
    char name[201];
    int64_t people;
    int64_t on_supervision; /* people with an active supervision term */
    int64_t owing;          /* people with a balance owed */
} hw_stats_org;

/* Balance buckets, in cents: [0] under $100, then $500, $1,000, $5,000, $10,000, and more. */
#define HW_STATS_BUCKETS 6

typedef struct hw_stats {
    int32_t as_of;             /* the day "upcoming" and "last 30 days" count from */
    int64_t count[HW_K_COUNT]; /* records of each kind */
    hw_stats_org *orgs;        /* owned; free with hw_stats_release() */
    size_t norgs;
    int64_t supervision_active[3];              /* probation, parole, supervised_release */
    int64_t supervision_other;                  /* terms not active (completed, revoked, ...) */
    int64_t in_custody;                         /* people serving prison or jail now */
    int64_t owed_by_kind[4];                    /* cents: fine, fee, cost, restitution */
    int64_t owed_total;                         /* cents owed, all kinds */
    int64_t paid_total;                         /* cents paid, all time */
    int64_t people_owing;                       /* people with a balance above zero */
    int64_t owing_median, owing_p90, owing_max; /* per person, among those owing */
    int64_t owing_buckets[HW_STATS_BUCKETS];
    int64_t checkins_next_7, checkins_next_30; /* scheduled probation check-ins */
    int64_t appointments_next_7;               /* scheduled appointments of any kind */
    int64_t attended_last_90, missed_last_90;  /* check-ins */
    int64_t violations_last_365[2];            /* technical, new_offense */
    int64_t returns_last_365;                  /* returns to custody */
} hw_stats;

/* Compute the summary as of `as_of` (days since 1970-01-01). */
hw_code hw_stats_collect(hw_store *s, int32_t as_of, hw_stats *out, hw_err *e);

/* Free what hw_stats_collect() allocated.  Accepts a zeroed struct. */
void hw_stats_release(hw_stats *st);

/* The summary as a JSON document (new string; free with free()), or NULL. */
char *hw_stats_json(const hw_stats *st);

#endif
