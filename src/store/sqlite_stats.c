/* SPDX-License-Identifier: MIT */
/*
 * The summary of stats.h, computed by the SQLite backend.  Each query walks
 * an index in order, so none needs a temporary sort, even with tens of
 * millions of ledger lines.
 */
#include "core/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/date.h"
#include "store/sqlite_int.h"

/* Run `sql` with ?1 = as_of date text and ?2 = as_of UTC seconds; call fn per row. */
static hw_code each_row(sq_store *s, const char *sql, int32_t as_of,
                        void (*fn)(void *ud, sqlite3_stmt *st), void *ud, hw_err *e)
{
    sqlite3_stmt *st = NULL;
    char day[HW_DATE_LEN + 1];
    hw_code rc = HW_OK;
    int r;

    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "summarising", e);
    hw_date_format(as_of, day);
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, (int64_t)as_of * 86400);
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, st);
    if (r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "summarising", e);
    sqlite3_finalize(st);
    return rc;
}

static void one_int(void *ud, sqlite3_stmt *st)
{
    *(int64_t *)ud = sqlite3_column_int64(st, 0);
}

static void add_org(void *ud, sqlite3_stmt *st)
{
    hw_stats *out = ud;
    hw_stats_org *o, *grown;

    if ((out->norgs & 15) == 0) {
        grown = realloc(out->orgs, (out->norgs + 16) * sizeof(*out->orgs));
        if (!grown)
            return;
        out->orgs = grown;
    }
    o = &out->orgs[out->norgs++];
    memset(o, 0, sizeof(*o));
    o->id = sqlite3_column_int64(st, 0);
    snprintf(o->name, sizeof(o->name), "%s", (const char *)sqlite3_column_text(st, 1));
    o->people = sqlite3_column_int64(st, 2);
}

static hw_stats_org *find_org(hw_stats *out, int64_t id)
{
    for (size_t i = 0; i < out->norgs; i++)
        if (out->orgs[i].id == id)
            return &out->orgs[i];
    return NULL;
}

static void org_supervised(void *ud, sqlite3_stmt *st)
{
    hw_stats_org *o = find_org(ud, sqlite3_column_int64(st, 0));

    if (o)
        o->on_supervision = sqlite3_column_int64(st, 1);
}

static void by_supervision_type(void *ud, sqlite3_stmt *st)
{
    static const char *const types[] = {"probation", "parole", "supervised_release"};
    hw_stats *out = ud;
    const char *t = (const char *)sqlite3_column_text(st, 0);
    int64_t n = sqlite3_column_int64(st, 2);

    if (!sqlite3_column_int(st, 1)) {
        out->supervision_other += n;
        return;
    }
    for (int i = 0; i < 3; i++)
        if (t && !strcmp(t, types[i]))
            out->supervision_active[i] += n;
}

/* Per-person balances arrive in person order; fold each person when the next begins. */
typedef struct balances {
    hw_stats *out;
    int64_t person, org, owed; /* the person being summed */
    int64_t *owing;            /* balances of the people who owe, for the median */
    size_t n, cap;
    bool failed;
} balances;

static void fold_person(balances *b)
{
    static const int64_t bounds[HW_STATS_BUCKETS - 1] = {10000, 50000, 100000, 500000, 1000000};
    hw_stats_org *o;
    int bucket = 0;

    if (b->person == 0 || b->owed <= 0)
        return;
    b->out->people_owing++;
    while (bucket < HW_STATS_BUCKETS - 1 && b->owed >= bounds[bucket])
        bucket++;
    b->out->owing_buckets[bucket]++;
    if ((o = find_org(b->out, b->org)))
        o->owing++;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        int64_t *grown = realloc(b->owing, cap * sizeof(*grown));

        if (!grown) {
            b->failed = true;
            return;
        }
        b->owing = grown;
        b->cap = cap;
    }
    b->owing[b->n++] = b->owed;
}

static void add_balance(void *ud, sqlite3_stmt *st)
{
    static const char *const kinds[] = {"fine", "fee", "cost", "restitution"};
    balances *b = ud;
    int64_t person = sqlite3_column_int64(st, 0);
    const char *kind = (const char *)sqlite3_column_text(st, 2);
    int64_t owed = sqlite3_column_int64(st, 3);

    if (person != b->person) {
        fold_person(b);
        b->person = person;
        b->org = sqlite3_column_int64(st, 1);
        b->owed = 0;
    }
    b->out->paid_total += sqlite3_column_int64(st, 4);
    if (owed <= 0)
        return; /* an overpaid obligation owes nothing, and pays for no other */
    b->owed += owed;
    b->out->owed_total += owed;
    for (int i = 0; i < 4; i++)
        if (kind && !strcmp(kind, kinds[i]))
            b->out->owed_by_kind[i] += owed;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static void upcoming(void *ud, sqlite3_stmt *st)
{
    hw_stats *out = ud;

    out->checkins_next_7 = sqlite3_column_int64(st, 0);
    out->checkins_next_30 = sqlite3_column_int64(st, 1);
    out->appointments_next_7 = sqlite3_column_int64(st, 2);
}

static void by_violation_type(void *ud, sqlite3_stmt *st)
{
    hw_stats *out = ud;
    const char *t = (const char *)sqlite3_column_text(st, 0);

    out->violations_last_365[t && !strcmp(t, "new_offense")] += sqlite3_column_int64(st, 1);
}

static void attendance(void *ud, sqlite3_stmt *st)
{
    hw_stats *out = ud;
    const char *t = (const char *)sqlite3_column_text(st, 0);

    if (t && !strcmp(t, "attended"))
        out->attended_last_90 = sqlite3_column_int64(st, 1);
    else if (t && !strcmp(t, "missed"))
        out->missed_last_90 = sqlite3_column_int64(st, 1);
}

hw_code hw__sqlite_stats(hw_store *base, int32_t as_of, hw_stats *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    balances b = {out, 0, 0, 0, NULL, 0, 0, false};
    hw_code rc = HW_OK;

    memset(out, 0, sizeof(*out));
    out->as_of = as_of;
    for (int k = 0; k < HW_K_COUNT && !rc; k++)
        rc = hw_store_count(base, (hw_kind)k, &out->count[k], e);
    if (!rc)
        rc = each_row(s,
                      "SELECT o.id, o.name, (SELECT count(*) FROM people p"
                      " WHERE p.organisation_id = o.id) FROM organisations o ORDER BY o.id",
                      as_of, add_org, out, e);
    if (!rc)
        rc = each_row(s,
                      "SELECT p.organisation_id, count(DISTINCT v.person_id) FROM supervision v"
                      " JOIN people p ON p.id = v.person_id WHERE v.status = 'active'"
                      " GROUP BY p.organisation_id",
                      as_of, org_supervised, out, e);
    if (!rc)
        rc = each_row(s,
                      "SELECT supervision_type, status = 'active', count(*) FROM supervision"
                      " GROUP BY 1, 2",
                      as_of, by_supervision_type, out, e);
    if (!rc)
        rc = each_row(s,
                      "SELECT count(DISTINCT person_id) FROM sentences"
                      " WHERE sentence_type IN ('prison', 'jail') AND start_date <= ?1"
                      " AND (release_date IS NULL OR release_date > ?1)",
                      as_of, one_int, &out->in_custody, e);
    /*
     * Balances as of the day, one row per obligation in person order: obligations
     * walked through their person index, each one's ledger through its own, no sort.
     */
    if (!rc)
        rc = each_row(s,
                      "SELECT o.person_id, p.organisation_id, o.kind,"
                      " sum(CASE l.kind WHEN 'payment' THEN -l.amount_cents"
                      "  WHEN 'waiver' THEN -l.amount_cents ELSE l.amount_cents END),"
                      " sum(CASE l.kind WHEN 'payment' THEN l.amount_cents ELSE 0 END)"
                      " FROM obligations o JOIN people p ON p.id = o.person_id"
                      " JOIN ledger l ON l.obligation_id = o.id AND l.entry_date <= ?1"
                      " GROUP BY o.person_id, o.id ORDER BY o.person_id, o.id",
                      as_of, add_balance, &b, e);
    if (!rc) {
        fold_person(&b);
        if (b.failed || out->norgs != (size_t)out->count[HW_K_ORGANISATIONS])
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    if (!rc && b.n) {
        qsort(b.owing, b.n, sizeof(*b.owing), cmp_i64);
        out->owing_median = b.owing[b.n / 2];
        out->owing_p90 = b.owing[b.n * 9 / 10];
        out->owing_max = b.owing[b.n - 1];
    }
    free(b.owing);
    /* What is scheduled in the next 30 days, counted three ways in one pass over the index. */
    if (!rc)
        rc = each_row(
            s,
            "SELECT coalesce(sum(kind = 'probation_checkin' AND starts_utc < ?2 + 7 * 86400), 0),"
            " coalesce(sum(kind = 'probation_checkin'), 0),"
            " coalesce(sum(starts_utc < ?2 + 7 * 86400), 0)"
            " FROM appointments WHERE status = 'scheduled'"
            " AND starts_utc >= ?2 AND starts_utc < ?2 + 30 * 86400",
            as_of, upcoming, out, e);
    if (!rc)
        rc = each_row(s,
                      "SELECT status, count(*) FROM appointments WHERE kind = 'probation_checkin'"
                      " AND starts_utc >= ?2 - 90 * 86400 AND starts_utc < ?2"
                      " GROUP BY status",
                      as_of, attendance, out, e);
    if (!rc)
        rc = each_row(s,
                      "SELECT violation_type, count(*) FROM violations"
                      " WHERE violation_date > date(?1, '-365 days') AND violation_date <= ?1"
                      " GROUP BY violation_type",
                      as_of, by_violation_type, out, e);
    if (!rc)
        rc = each_row(s,
                      "SELECT count(*) FROM custody_events WHERE event = 'returned'"
                      " AND event_date > date(?1, '-365 days') AND event_date <= ?1",
                      as_of, one_int, &out->returns_last_365, e);
    if (rc)
        hw_stats_release(out);
    return rc;
}
