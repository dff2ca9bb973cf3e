/* SPDX-License-Identifier: MIT */
/*
 * Pages of records for the API (include/homeward/query.h).  Every query
 * joins the record to its person and keeps one organisation's rows: the
 * organisation test is in the SQL, not left to the caller.  Statements are
 * built from the vocabulary's names only; values are always bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "homeward/buf.h"
#include "homeward/query.h"
#include "store/sqlite_int.h"
#include "core/banned.h"

/* The balance of one person, from the ledger: payments and waivers are stored positive. */
#define BALANCE_OF(person)                                                                         \
    "(SELECT coalesce(sum(CASE l.kind WHEN 'payment' THEN -l.amount_cents"                         \
    " WHEN 'waiver' THEN -l.amount_cents ELSE l.amount_cents END), 0)"                             \
    " FROM obligations o JOIN ledger l ON l.obligation_id = o.id WHERE o.person_id = " person ")"

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite calls this every few thousand steps; non-zero interrupts the statement. */
static int progress_stop(void *ud)
{
    sq_store *s = ud;

    return s->deadline_ms && now_ms() > s->deadline_ms;
}

void hw_store_set_time_limit(hw_store *base, unsigned ms)
{
    sq_store *s = (sq_store *)base;

    s->time_limit_ms = ms;
    s->deadline_ms = ms ? now_ms() + ms : 0;
    sqlite3_progress_handler(s->db, ms ? 4000 : 0, ms ? progress_stop : NULL, s);
}

/*
 * FROM ... JOIN ... that reaches the owning person (p, whose organisation
 * is tested).  `walk`: the records themselves drive the loop (CROSS JOIN),
 * so a page in id order reads its rows in order and stops at the limit;
 * left to itself the planner would start from the organisation's people and
 * sort all their records to return fifty.  Not for one person's records,
 * which their person index finds.
 */
static void owner_from(hw_kind k, bool walk, hw_buf *b)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    const char *join = walk ? "CROSS JOIN" : "JOIN";

    if (k == HW_K_PEOPLE)
        hw_buf_printf(b, NULL, " FROM people t JOIN people p ON p.id = t.id");
    else if (k == HW_K_LEDGER)
        hw_buf_printf(b, NULL,
                      " FROM ledger t %s obligations ob ON ob.id = t.obligation_id"
                      " %s people p ON p.id = ob.person_id",
                      join, join);
    else
        hw_buf_printf(b, NULL, " FROM %s t %s people p ON p.id = t.person_id", d->table, join);
}

/* The column to compare for field f: times by their UTC seconds. */
static void column(const hw_field *f, hw_buf *b)
{
    size_t n = strlen(f->name);

    if (f->type == HW_T_TIME)
        hw_buf_printf(b, NULL, "t.%.*s_utc", (int)(n - 3), f->name);
    else
        hw_buf_printf(b, NULL, "t.%s", f->name);
}

/* Bind v for a comparison: a time by its UTC seconds, the column compared (column()). */
static void bind_value(sqlite3_stmt *st, int col, const hw_field *f, const hw_value *v)
{
    if (f->type == HW_T_TIME && !v->null)
        sqlite3_bind_int64(st, col, v->i);
    else
        hw__sqlite_bind_value(st, col, f, v, SQLITE_TRANSIENT);
}

static void select_fields(const hw_kind_desc *d, hw_buf *b)
{
    for (size_t i = 0; i < d->nfields; i++)
        hw_buf_printf(b, NULL, "%st.%s", i ? ", " : "SELECT ", d->fields[i].name);
}

/* Step st to the end, handing each row of kind d to fn; *n counts them. */
static hw_code each_record(sq_store *s, sqlite3_stmt *st, const hw_kind_desc *d, hw_row_fn fn,
                           void *ud, size_t *n, hw_err *e)
{
    hw_value *row = calloc(d->nfields, sizeof(*row));
    hw_code rc = HW_OK;
    int r;

    if (!row)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < d->nfields; i++)
            hw__sqlite_read_value(st, (int)i, &d->fields[i], &row[i]);
        (*n)++;
        if (fn(ud, row)) {
            rc = HW_ECANCELED;
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading", e);
    free(row);
    return rc;
}

hw_code hw_store_query(hw_store *base, const hw_query *q, hw_row_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    const hw_kind_desc *d = hw_vocab_kind(q->kind);
    const hw_field *sf = &d->fields[q->sort];
    const char *cmp = q->desc ? "<" : ">", *dir = q->desc ? " DESC" : "";
    hw_buf sql = HW_BUF_INIT(0);
    sqlite3_stmt *st = NULL;
    hw_code rc;
    size_t n = 0;
    int col = 1;

    if (q->sort < 0 || (size_t)q->sort >= d->nfields ||
        (q->sort != 0 && !(sf->flags & HW_F_REQUIRED)))
        return hw_fail(e, HW_EINVAL, "sort", "%s cannot be sorted by %s (it may be empty)", d->name,
                       q->sort >= 0 && (size_t)q->sort < d->nfields ? sf->name : "?");
    select_fields(d, &sql);
    owner_from(q->kind, q->person_id == 0 && q->sort == 0 && q->nfilters == 0, &sql);
    /* Parameters: 1 the organisation, 2 the person, 3.. the filters, then the cursor. */
    hw_buf_printf(&sql, NULL, " WHERE p.organisation_id = ?1");
    if (q->person_id)
        hw_buf_printf(&sql, NULL, " AND p.id = ?2");
    for (size_t i = 0; i < q->nfilters; i++) {
        hw_buf_printf(&sql, NULL, " AND ");
        column(&d->fields[q->filters[i].field], &sql);
        hw_buf_printf(&sql, NULL, q->filters[i].value.null ? " IS ?%zu" : " = ?%zu", i + 3);
    }
    if (q->after && q->sort == 0) {
        hw_buf_printf(&sql, NULL, " AND t.id %s ?%zu", cmp, q->nfilters + 3);
    } else if (q->after) {
        hw_buf_printf(&sql, NULL, " AND (");
        column(sf, &sql);
        hw_buf_printf(&sql, NULL, " %s ?%zu OR (", cmp, q->nfilters + 4);
        column(sf, &sql);
        hw_buf_printf(&sql, NULL, " = ?%zu AND t.id %s ?%zu))", q->nfilters + 4, cmp,
                      q->nfilters + 3);
    }
    hw_buf_printf(&sql, NULL, " ORDER BY ");
    if (q->sort != 0) {
        column(sf, &sql);
        hw_buf_printf(&sql, NULL, "%s, ", dir);
    }
    hw_buf_printf(&sql, NULL, "t.id%s LIMIT %zu", dir, q->limit);
    if (!sql.p) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if ((rc = hw__sqlite_cached(s, sql.p, &st, e)))
        goto out;
    sqlite3_bind_int64(st, col++, q->organisation_id);
    sqlite3_bind_int64(st, col++, q->person_id);
    for (size_t i = 0; i < q->nfilters; i++)
        bind_value(st, col++, &d->fields[q->filters[i].field], &q->filters[i].value);
    if (q->after) {
        sqlite3_bind_int64(st, col++, q->after_id);
        if (q->sort != 0)
            bind_value(st, col, sf, &q->after_value);
    }
    rc = each_record(s, st, d, fn, ud, &n, e);
out:
    hw__sqlite_done(st);
    hw_buf_release(&sql);
    return rc;
}

hw_code hw_store_get(hw_store *base, hw_kind k, int64_t id, int64_t org, hw_row_fn fn, void *ud,
                     hw_err *e)
{
    sq_store *s = (sq_store *)base;
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_buf sql = HW_BUF_INIT(0);
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    hw_code rc;

    select_fields(d, &sql);
    owner_from(k, false, &sql);
    hw_buf_printf(&sql, NULL, " WHERE t.id = ?1 AND p.organisation_id = ?2");
    if (!sql.p) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if ((rc = hw__sqlite_cached(s, sql.p, &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, org);
    rc = each_record(s, st, d, fn, ud, &n, e);
    if (!rc && n == 0)
        rc = hw_fail(e, HW_ENOTFOUND, NULL, "no %s %lld", d->singular, (long long)id);
out:
    hw__sqlite_done(st);
    hw_buf_release(&sql);
    return rc;
}

hw_code hw_store_next_id(hw_store *base, hw_kind k, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    char sql[96];
    hw_code rc;

    snprintf(sql, sizeof(sql), "SELECT coalesce(max(id), 0) FROM %s", hw_vocab_kind(k)->table);
    if ((rc = hw__sqlite_query_int(s->db, sql, id, e)))
        return rc;
    ++*id;
    return HW_OK;
}

hw_code hw_store_record_owner(hw_store *base, hw_kind k, int64_t id, int64_t *org,
                              int64_t *person_id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_buf sql = HW_BUF_INIT(0);
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    hw_buf_printf(&sql, NULL, "SELECT p.organisation_id, p.id");
    owner_from(k, false, &sql);
    hw_buf_printf(&sql, NULL, " WHERE t.id = ?1");
    if (!sql.p)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if (!(rc = hw__sqlite_cached(s, sql.p, &st, e))) {
        sqlite3_bind_int64(st, 1, id);
        r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            *org = sqlite3_column_int64(st, 0);
            *person_id = sqlite3_column_int64(st, 1);
        } else if (r == SQLITE_DONE) {
            rc = hw_fail(e, HW_ENOTFOUND, NULL, "no %s %lld", hw_vocab_kind(k)->singular,
                         (long long)id);
        } else {
            rc = hw__sqlite_fail(s->db, "looking up a record", e);
        }
    }
    hw__sqlite_done(st);
    hw_buf_release(&sql);
    return rc;
}

hw_code hw_store_update(hw_store *base, hw_kind k, const hw_value *row, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_buf sql = HW_BUF_INIT(0);
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int col = 2;

    hw_buf_printf(&sql, NULL, "UPDATE %s SET ", d->table);
    for (size_t i = 1; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        size_t n = strlen(f->name);

        hw_buf_printf(&sql, NULL, "%s%s = ?%d", i > 1 ? ", " : "", f->name, col++);
        if (f->type == HW_T_TIME)
            hw_buf_printf(&sql, NULL, ", %.*s_utc = ?%d", (int)(n - 3), f->name, col++);
    }
    hw_buf_printf(&sql, NULL, " WHERE id = ?1");
    if (!sql.p)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = hw__sqlite_cached(s, sql.p, &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, row[0].i);
    col = 2;
    for (size_t i = 1; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];

        if (f->type == HW_T_TIME) {
            if (row[i].null) {
                sqlite3_bind_null(st, col++);
                sqlite3_bind_null(st, col++);
            } else {
                sqlite3_bind_text(st, col++, row[i].s, (int)row[i].n, SQLITE_TRANSIENT);
                sqlite3_bind_int64(st, col++, row[i].i);
            }
        } else if (k == HW_K_PEOPLE && !strcmp(f->name, "external_id")) {
            /* Encrypted at rest (src/crypto/ident.c), with its blind index kept beside it. */
            if ((rc = hw__sqlite_ident_bind(s, st, col++, row[0].i, &row[i], e)) ||
                (rc = hw__sqlite_ident_index(s, row[0].i, &row[i], e)))
                goto out;
        } else {
            bind_value(st, col++, f, &row[i]);
        }
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_FOREIGNKEY) {
            for (size_t i = 0; i < d->nfields; i++) {
                int64_t owner;

                if (d->fields[i].type == HW_T_REF && !row[i].null &&
                    hw_store_owner(base, d->fields[i].ref, row[i].i, &owner, NULL) ==
                        HW_ENOTFOUND) {
                    rc = hw_fail(e, HW_ENOTFOUND, d->fields[i].name, "no %s with id %lld",
                                 hw_vocab_kind(d->fields[i].ref)->singular, (long long)row[i].i);
                    goto out;
                }
            }
        }
        rc = hw__sqlite_fail(s->db, "updating", e);
    } else if (sqlite3_changes(s->db) != 1) {
        rc = hw_fail(e, HW_ENOTFOUND, "id", "no %s %lld", d->singular, (long long)row[0].i);
    }
out:
    hw__sqlite_done(st);
    hw_buf_release(&sql);
    return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Bind text[0..n) as a LIKE prefix, with LIKE's own %, _ and \ escaped. */
static void bind_like(sqlite3_stmt *st, int col, const char *text, size_t n)
{
    hw_buf like = HW_BUF_INIT(0);

    for (size_t i = 0; i < n; i++)
        hw_buf_printf(&like, NULL, "%s%c",
                      (text[i] == '%' || text[i] == '_' || text[i] == '\\') ? "\\" : "", text[i]);
    sqlite3_bind_text(st, col, like.p ? like.p : "", like.p ? (int)like.n : 0, SQLITE_TRANSIENT);
    hw_buf_release(&like);
}

hw_code hw_store_caseload(hw_store *base, const hw_caseload_query *q, hw_caseload_fn fn, void *ud,
                          hw_err *e)
{
    sq_store *s = (sq_store *)base;
    const char *cmp = q->desc ? "<" : ">", *dir = q->desc ? " DESC" : "";
    hw_buf sql = HW_BUF_INIT(0);
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    /*
     * Bound parameters by number: 1 organisation, 2 id, 3 name prefix,
     * 4 given-name prefix, 5 supervision type, 6 officer, 7 least balance,
     * 8 since, 9..11 the cursor (family, given, id).
     */
    hw_buf_printf(
        &sql, NULL,
        "SELECT p.id, p.organisation_id, p.given_name, p.family_name, p.dob,"
        " s.id, s.supervision_type, s.officer, s.status, s.scheduled_end_date,"
        " " BALANCE_OF(
            "p.id") " AS balance,"
                    " (SELECT count(DISTINCT d.rule) FROM determinations d WHERE d.person_id = p.id"
                    "  AND d.status IN ('eligible', 'eligible_on')),"
                    " (SELECT count(*) FROM appointments a WHERE a.person_id = p.id"
                    "  AND a.status = 'missed' AND a.starts_utc >= ?8)"
                    " FROM people p LEFT JOIN supervision s ON s.id = (SELECT id FROM supervision"
                    "  WHERE person_id = p.id AND status = 'active' ORDER BY start_date DESC, id "
                    "DESC LIMIT 1)"
                    " WHERE p.organisation_id = ?1");
    if (q->id || q->external_person_id)
        hw_buf_printf(&sql, NULL, " AND p.id = ?2");
    if (q->name)
        hw_buf_printf(&sql, NULL,
                      " AND p.family_name LIKE ?3 || '%%' ESCAPE '\\'"
                      " AND (?4 IS NULL OR p.given_name LIKE ?4 || '%%' ESCAPE '\\')");
    if (q->supervision_type)
        hw_buf_printf(&sql, NULL, " AND s.supervision_type = ?5");
    if (q->officer)
        hw_buf_printf(&sql, NULL, " AND s.officer = ?6");
    if (q->min_balance_cents > 0)
        hw_buf_printf(&sql, NULL, " AND balance >= ?7");
    if (q->eligible)
        hw_buf_printf(&sql, NULL,
                      " AND EXISTS (SELECT 1 FROM determinations d WHERE d.person_id = p.id"
                      " AND d.status IN ('eligible', 'eligible_on'))");
    if (q->missed_checkin)
        hw_buf_printf(&sql, NULL,
                      " AND EXISTS (SELECT 1 FROM appointments a WHERE a.person_id = p.id"
                      " AND a.kind = 'probation_checkin' AND a.status = 'missed'"
                      " AND a.starts_utc >= ?8)");
    if (q->after && q->by_name)
        hw_buf_printf(&sql, NULL, " AND (p.family_name, p.given_name, p.id) %s (?9, ?10, ?11)",
                      cmp);
    else if (q->after)
        hw_buf_printf(&sql, NULL, " AND p.id %s ?11", cmp);
    if (q->by_name)
        hw_buf_printf(&sql, NULL, " ORDER BY p.family_name%s, p.given_name%s, p.id%s", dir, dir,
                      dir);
    else
        hw_buf_printf(&sql, NULL, " ORDER BY p.id%s", dir);
    hw_buf_printf(&sql, NULL, " LIMIT %zu", q->limit);
    if (!sql.p)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = hw__sqlite_cached(s, sql.p, &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, q->organisation_id);
    sqlite3_bind_int64(st, 2, q->id ? q->id : q->external_person_id);
    if (q->name) {
        const char *comma = strchr(q->name, ',');

        bind_like(st, 3, q->name, comma ? (size_t)(comma - q->name) : strlen(q->name));
        if (comma) {
            const char *g = comma + 1;

            while (*g == ' ')
                g++;
            bind_like(st, 4, g, strlen(g));
        }
    }
    if (q->supervision_type)
        sqlite3_bind_text(st, 5, q->supervision_type, -1, SQLITE_TRANSIENT);
    if (q->officer)
        sqlite3_bind_text(st, 6, q->officer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, q->min_balance_cents);
    sqlite3_bind_int64(st, 8, q->since_utc);
    if (q->after) {
        sqlite3_bind_text(st, 9, q->after_family, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 10, q->after_given, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 11, q->after_id);
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_caseload_row row = {
            .id = sqlite3_column_int64(st, 0),
            .organisation_id = sqlite3_column_int64(st, 1),
            .given_name = col_text(st, 2),
            .family_name = col_text(st, 3),
            .dob = col_text(st, 4),
            .supervision_id = sqlite3_column_int64(st, 5),
            .supervision_type = col_text(st, 6),
            .officer = col_text(st, 7),
            .supervision_status = col_text(st, 8),
            .scheduled_end_date = col_text(st, 9),
            .balance_cents = sqlite3_column_int64(st, 10),
            .eligible_rules = sqlite3_column_int64(st, 11),
            .missed_checkins = sqlite3_column_int64(st, 12),
        };
        if (fn(ud, &row)) {
            rc = HW_ECANCELED;
            goto out;
        }
    }
    if (r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading the caseload", e);
out:
    hw__sqlite_done(st);
    hw_buf_release(&sql);
    return rc;
}

hw_code hw_store_determinations(hw_store *base, const hw_det_query *q, hw_det_fn fn, void *ud,
                                hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_buf sql = HW_BUF_INIT(0);
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    hw_buf_printf(&sql, NULL,
                  "SELECT d.rule, d.rule_version, d.subject_kind, d.status, d.eligible_on,"
                  " d.as_of, d.reasons, d.left_items, d.subject_id, d.person_id"
                  " FROM determinations d JOIN people p ON p.id = d.person_id"
                  " WHERE p.organisation_id = ?1");
    if (q->rule)
        hw_buf_printf(&sql, NULL, " AND d.rule = ?2");
    if (q->status)
        hw_buf_printf(&sql, NULL, " AND d.status = ?3");
    if (q->person_id)
        hw_buf_printf(&sql, NULL, " AND d.person_id = ?4");
    if (q->after)
        hw_buf_printf(
            &sql, NULL,
            " AND (d.person_id, d.subject_kind, d.subject_id, d.rule) > (?5, ?6, ?7, ?8)");
    hw_buf_printf(&sql, NULL, " ORDER BY d.person_id, d.subject_kind, d.subject_id, d.rule");
    if (q->limit)
        hw_buf_printf(&sql, NULL, " LIMIT %zu", q->limit);
    if (!sql.p)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = hw__sqlite_cached(s, sql.p, &st, e)))
        goto out;
    sqlite3_bind_int64(st, 1, q->organisation_id);
    if (q->rule)
        sqlite3_bind_text(st, 2, q->rule, -1, SQLITE_TRANSIENT);
    if (q->status)
        sqlite3_bind_text(st, 3, q->status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, q->person_id);
    if (q->after) {
        sqlite3_bind_int64(st, 5, q->after_person);
        sqlite3_bind_text(st, 6, q->after_kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 7, q->after_subject);
        sqlite3_bind_text(st, 8, q->after_rule, -1, SQLITE_TRANSIENT);
    }
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_det d = {
            .rule = col_text(st, 0),
            .rule_version = col_text(st, 1),
            .subject_kind = col_text(st, 2),
            .status = col_text(st, 3),
            .eligible_on = col_text(st, 4),
            .as_of = col_text(st, 5),
            .reasons = col_text(st, 6),
            .left_items = col_text(st, 7),
            .subject_id = sqlite3_column_int64(st, 8),
            .person_id = sqlite3_column_int64(st, 9),
        };
        if (fn(ud, &d)) {
            rc = HW_ECANCELED;
            goto out;
        }
    }
    if (r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading determinations", e);
out:
    hw__sqlite_done(st);
    hw_buf_release(&sql);
    return rc;
}

hw_code hw_store_determination_counts(hw_store *base, int64_t org, hw_det_count_fn fn, void *ud,
                                      hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_cached(s,
                                "SELECT d.rule, d.status, count(DISTINCT d.person_id), count(*)"
                                " FROM determinations d JOIN people p ON p.id = d.person_id"
                                " WHERE p.organisation_id = ?1 GROUP BY d.rule, d.status"
                                " ORDER BY d.rule, d.status",
                                &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, org);
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ud, col_text(st, 0), col_text(st, 1), sqlite3_column_int64(st, 2),
               sqlite3_column_int64(st, 3))) {
            rc = HW_ECANCELED;
            break;
        }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "counting determinations", e);
    hw__sqlite_done(st);
    return rc;
}

/* One row of integers from `sql` bound with (org, since, until). */
static hw_code ints(sq_store *s, const char *sql, int64_t org, int64_t since, int64_t until,
                    int64_t *out, int n, hw_err *e)
{
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_cached(s, sql, &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_int64(st, 3, until);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        for (int i = 0; i < n; i++)
            out[i] = sqlite3_column_int64(st, i);
    else if (r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "summing", e);
    hw__sqlite_done(st);
    return rc;
}

hw_code hw_store_dashboard(hw_store *base, int64_t org, int64_t since_utc, int64_t until_utc,
                           hw_dashboard *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    int64_t v[2] = {0, 0};
    hw_code rc;

    memset(out, 0, sizeof(*out));
    if ((rc = ints(s, "SELECT count(*) FROM people WHERE organisation_id = ?1", org, 0, 0,
                   &out->people, 1, e)))
        return rc;
    /* What each person owes, summed: one pass over the organisation's ledger. */
    if ((rc = ints(s,
                   "SELECT count(*), coalesce(sum(b), 0) FROM (SELECT sum(CASE l.kind"
                   " WHEN 'payment' THEN -l.amount_cents WHEN 'waiver' THEN -l.amount_cents"
                   " ELSE l.amount_cents END) AS b FROM people p"
                   " JOIN obligations o ON o.person_id = p.id"
                   " JOIN ledger l ON l.obligation_id = o.id"
                   " WHERE p.organisation_id = ?1 GROUP BY p.id) WHERE b > 0",
                   org, 0, 0, v, 2, e)))
        return rc;
    out->people_owing = v[0];
    out->owed_cents = v[1];
    if ((rc = ints(s,
                   "SELECT count(DISTINCT pp.person_id) FILTER (WHERE pp.outcome = 'discharge'),"
                   " (SELECT coalesce(sum(pay.amount_cents), 0) FROM plan_payments pay"
                   "  JOIN plans pl ON pl.id = pay.plan_id"
                   "  WHERE pl.organisation_id = ?1 AND pl.status = 'committed')"
                   " FROM plan_people pp JOIN plans pl ON pl.id = pp.plan_id"
                   " WHERE pl.organisation_id = ?1 AND pl.status = 'committed'",
                   org, 0, 0, v, 2, e)))
        return rc;
    out->people_freed = v[0];
    out->paid_cents = v[1];
    if ((rc = ints(s,
                   "SELECT coalesce(sum(a.status = 'attended'), 0),"
                   " coalesce(sum(a.status = 'missed'), 0)"
                   " FROM appointments a JOIN people p ON p.id = a.person_id"
                   " WHERE p.organisation_id = ?1 AND a.kind = 'probation_checkin'"
                   " AND a.starts_utc >= ?2 AND a.starts_utc < ?3",
                   org, since_utc, until_utc, v, 2, e)))
        return rc;
    out->checkins_attended = v[0];
    out->checkins_missed = v[1];
    return HW_OK;
}

static hw_code each_user(sq_store *s, sqlite3_stmt *st, hw_user_info_fn fn, void *ud, size_t *n,
                         hw_err *e)
{
    int r;

    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_user_info u = {.id = sqlite3_column_int64(st, 0),
                          .organisation_id = sqlite3_column_int64(st, 1),
                          .disabled = sqlite3_column_int(st, 5) != 0,
                          .has_totp = sqlite3_column_int(st, 6) != 0};

        snprintf(u.email, sizeof(u.email), "%s", col_text(st, 2));
        snprintf(u.role, sizeof(u.role), "%s", col_text(st, 3));
        snprintf(u.created_at, sizeof(u.created_at), "%s", col_text(st, 4));
        (*n)++;
        if (fn(ud, &u))
            return HW_ECANCELED;
    }
    return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(s->db, "reading users", e);
}

#define USER_COLUMNS                                                                               \
    "SELECT id, organisation_id, email, role, created_at, disabled, totp_secret IS NOT NULL"       \
    " FROM users"

static int copy_user(void *ud, const hw_user_info *u)
{
    *(hw_user_info *)ud = *u;
    return 0;
}

hw_code hw_store_user_get(hw_store *base, int64_t id, hw_user_info *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    hw_code rc;

    if ((rc = hw__sqlite_cached(s, USER_COLUMNS " WHERE id = ?1", &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = each_user(s, st, copy_user, out, &n, e);
    hw__sqlite_done(st);
    if (!rc && !n)
        rc = hw_fail(e, HW_ENOTFOUND, NULL, "no user %lld", (long long)id);
    return rc;
}

hw_code hw_store_users(hw_store *base, int64_t org, hw_user_info_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    size_t n = 0;
    hw_code rc;

    if ((rc = hw__sqlite_cached(s, USER_COLUMNS " WHERE organisation_id = ?1 ORDER BY id", &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, org);
    rc = each_user(s, st, fn, ud, &n, e);
    hw__sqlite_done(st);
    return rc;
}

hw_code hw_store_plan_people(hw_store *base, int64_t plan_id, int64_t org, hw_plan_person_fn fn,
                             void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_cached(s,
                                "SELECT pp.person_id, p.given_name, p.family_name, pp.outcome,"
                                " pp.reason, pp.cost_cents, pp.value, pp.months"
                                " FROM plan_people pp JOIN plans pl ON pl.id = pp.plan_id"
                                " JOIN people p ON p.id = pp.person_id"
                                " WHERE pp.plan_id = ?1 AND pl.organisation_id = ?2"
                                " AND p.organisation_id = ?2 ORDER BY pp.person_id",
                                &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, plan_id);
    sqlite3_bind_int64(st, 2, org);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_plan_person p = {.person_id = sqlite3_column_int64(st, 0),
                            .given_name = col_text(st, 1),
                            .family_name = col_text(st, 2),
                            .outcome = col_text(st, 3),
                            .reason = col_text(st, 4),
                            .cost_cents = sqlite3_column_int64(st, 5),
                            .value = sqlite3_column_int64(st, 6),
                            .months = sqlite3_column_int64(st, 7)};

        if (fn(ud, &p)) {
            rc = HW_ECANCELED;
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading a plan", e);
    hw__sqlite_done(st);
    return rc;
}

hw_code hw_store_org_name(hw_store *base, int64_t id, char *out, size_t size, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_code rc;

    if ((rc = hw__sqlite_cached(s, "SELECT name FROM organisations WHERE id = ?1", &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(out, size, "%s", col_text(st, 0));
    else
        rc = hw_fail(e, HW_ENOTFOUND, NULL, "no organisation %lld", (long long)id);
    hw__sqlite_done(st);
    return rc;
}
