/* SPDX-License-Identifier: MIT */
/*
 * Funds, their double-entry ledger and plans, in SQLite (migration 0004).
 * Each write is one savepoint: inside the caller's transaction it can fail
 * alone and leave the rest usable; outside one it is its own transaction.
 */
#include "core/common.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_int.h"
#include "store/store_funds.h"

static hw_code run(sq_store *s, const char *sql, hw_err *e)
{
    char *msg = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        hw_code rc = hw_fail(e, HW_ESTORE, NULL, "%s", msg ? msg : "database error");

        sqlite3_free(msg);
        return rc;
    }
    return HW_OK;
}

static hw_code sp_begin(sq_store *s, hw_err *e)
{
    return run(s, "SAVEPOINT hw_funds", e);
}

/* Keep (release) or undo (roll back to, then release) the savepoint. */
static hw_code sp_end(sq_store *s, hw_code rc, hw_err *e)
{
    if (rc == HW_OK)
        return run(s, "RELEASE hw_funds", e);
    sqlite3_exec(s->db, "ROLLBACK TO hw_funds; RELEASE hw_funds", NULL, NULL, NULL);
    return rc;
}

static void bind_text(sqlite3_stmt *st, int i, const char *t)
{
    if (t)
        sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i, hw_arena *a)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    return t ? hw_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(st, i)) : NULL;
}

/* Step a statement that returns nothing; a constraint failure is HW_ECONFLICT or HW_EINVAL. */
static hw_code step_done(sq_store *s, sqlite3_stmt *st, const char *doing, hw_err *e)
{
    int r = sqlite3_step(st);

    if (r == SQLITE_DONE)
        return HW_OK;
    if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT) {
        int ext = sqlite3_extended_errcode(s->db);

        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            return hw_fail(e, HW_ECONFLICT, NULL, "%s: already recorded", doing);
        return hw_fail(e, HW_EINVAL, NULL, "%s: %s", doing, sqlite3_errmsg(s->db));
    }
    return hw__sqlite_fail(s->db, doing, e);
}

static hw_code now_text(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return HW_OK;
}

hw_code hw__sqlite_screen_as_of(hw_store *base, char out[11], hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;

    out[0] = 0;
    if ((rc = hw__sqlite_prepare(s, "SELECT max(as_of) FROM determinations", &st, e)))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, 11, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return HW_OK;
}

hw_code hw__sqlite_resolve_org(hw_store *base, int64_t org, int64_t *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    int64_t n = 0, only = 0;
    hw_code rc;

    if (org > 0) {
        sqlite3_stmt *st;

        if ((rc = hw__sqlite_prepare(s, "SELECT 1 FROM organisations WHERE id = ?", &st, e)))
            return rc;
        sqlite3_bind_int64(st, 1, org);
        rc = sqlite3_step(st) == SQLITE_ROW
                 ? HW_OK
                 : hw_fail(e, HW_ENOTFOUND, "org", "no organisation %lld", (long long)org);
        sqlite3_finalize(st);
        *out = org;
        return rc;
    }
    if ((rc = hw__sqlite_query_int(s->db, "SELECT count(*) FROM organisations", &n, e)) ||
        (rc = hw__sqlite_query_int(s->db, "SELECT min(id) FROM organisations", &only, e)))
        return rc;
    if (n != 1)
        return hw_fail(e, HW_EINVAL, "org",
                       n ? "the database has %lld organisations: say which (--org ID)"
                         : "the database has no organisation (%lld): import one first",
                       (long long)n);
    *out = only;
    return HW_OK;
}

static hw_code add_account(sq_store *s, const char *kind, int64_t ref, const char *name,
                           int64_t *id, hw_err *e)
{
    sqlite3_stmt *st;
    hw_code rc;

    if ((rc = hw__sqlite_prepare(s, "INSERT INTO accounts(kind, ref, name) VALUES (?, ?, ?)", &st,
                                 e)))
        return rc;
    sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
    if (ref)
        sqlite3_bind_int64(st, 2, ref);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    rc = step_done(s, st, "adding an account", e);
    sqlite3_finalize(st);
    if (!rc && id)
        *id = sqlite3_last_insert_rowid(s->db);
    return rc;
}

hw_code hw__sqlite_fund_add(hw_store *base, int64_t org, const char *name, const char *restriction,
                            int64_t cap, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    char now[32];
    hw_code rc;

    now_text(now);
    if ((rc = sp_begin(s, e)))
        return rc;
    rc = hw__sqlite_prepare(
        s,
        "INSERT INTO funds(organisation_id, name, restriction, per_person_cap_cents, "
        "created_at) VALUES (?, ?, ?, ?, ?)",
        &st, e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, org);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        bind_text(st, 3, restriction);
        if (cap > 0)
            sqlite3_bind_int64(st, 4, cap);
        sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
        rc = step_done(s, st, "adding the fund", e);
        if (rc == HW_ECONFLICT)
            rc = hw_fail(e, HW_ECONFLICT, "name", "organisation %lld already has a fund named '%s'",
                         (long long)org, name);
    }
    sqlite3_finalize(st);
    if (!rc) {
        *id = sqlite3_last_insert_rowid(s->db);
        rc = add_account(s, "fund", *id, "", NULL, e);
    }
    return sp_end(s, rc, e);
}

hw_code hw__sqlite_donor_id(hw_store *base, int64_t org, const char *name, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    char now[32];
    hw_code rc;

    if ((rc = hw__sqlite_prepare(s, "SELECT id FROM donors WHERE organisation_id = ? AND name = ?",
                                 &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return HW_OK;
    }
    sqlite3_finalize(st);
    now_text(now);
    if ((rc = sp_begin(s, e)))
        return rc;
    rc = hw__sqlite_prepare(
        s, "INSERT INTO donors(organisation_id, name, created_at) VALUES (?, ?, ?)", &st, e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, org);
        sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
        rc = step_done(s, st, "adding the donor", e);
        sqlite3_finalize(st);
    }
    if (!rc) {
        *id = sqlite3_last_insert_rowid(s->db);
        rc = add_account(s, "donor", *id, "", NULL, e);
    }
    return sp_end(s, rc, e);
}

static const char *const account_kinds[] = {"donor", "fund", "payee"};

/* The account of a posting: donors and funds must exist; a payee's is made on first use. */
static hw_code account_of(sq_store *s, const hw_posting *p, int64_t *id, hw_err *e)
{
    sqlite3_stmt *st;
    const char *name = p->kind == HW_ACCOUNT_PAYEE ? p->name : "";
    hw_code rc;

    if ((rc = hw__sqlite_prepare(
             s, "SELECT id FROM accounts WHERE kind = ? AND ref IS ? AND name = ?", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, account_kinds[p->kind], -1, SQLITE_STATIC);
    if (p->kind != HW_ACCOUNT_PAYEE)
        sqlite3_bind_int64(st, 2, p->ref);
    sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return HW_OK;
    }
    sqlite3_finalize(st);
    if (p->kind != HW_ACCOUNT_PAYEE)
        return hw_fail(e, HW_ENOTFOUND, account_kinds[p->kind], "no %s %lld",
                       account_kinds[p->kind], (long long)p->ref);
    return add_account(s, "payee", 0, name, id, e);
}

hw_code hw__sqlite_txn_post(hw_store *base, const hw_txn *t, int64_t *txn_id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    char now[32];
    int64_t id = 0;
    hw_code rc;

    now_text(now);
    if ((rc = sp_begin(s, e)))
        return rc;
    rc = hw__sqlite_prepare(s,
                            "INSERT INTO transactions(key, kind, entry_date, memo, created_at) "
                            "VALUES (?, ?, ?, ?, ?)",
                            &st, e);
    if (!rc) {
        sqlite3_bind_text(st, 1, t->key, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, t->kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, t->entry_date, -1, SQLITE_TRANSIENT);
        bind_text(st, 4, t->memo);
        sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
        rc = step_done(s, st, "posting a transaction", e);
        if (rc == HW_ECONFLICT)
            rc = hw_fail(e, HW_ECONFLICT, "key", "transaction '%s' was already posted", t->key);
        sqlite3_finalize(st);
        st = NULL;
        id = sqlite3_last_insert_rowid(s->db);
    }
    if (!rc)
        rc = hw__sqlite_prepare(
            s, "INSERT INTO postings(txn_id, account_id, amount_cents) VALUES (?, ?, ?)", &st, e);
    for (size_t i = 0; !rc && i < t->n; i++) {
        int64_t account = 0;

        if ((rc = account_of(s, &t->postings[i], &account, e)))
            break;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, account);
        sqlite3_bind_int64(st, 3, t->postings[i].amount_cents);
        rc = step_done(s, st, "posting a transaction", e);
        if (rc == HW_EINVAL && strstr(e ? e->msg : "", "fund_not_negative"))
            rc = hw_fail(e, HW_EINVAL, "fund",
                         "fund %lld holds too little: its balance would go below zero",
                         (long long)t->postings[i].ref);
        else if (rc == HW_ECONFLICT)
            rc = hw_fail(e, HW_EINVAL, NULL, "transaction '%s' names one account twice", t->key);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!rc && t->obligation_id) {
        rc = hw__sqlite_prepare(
            s,
            "INSERT INTO ledger(obligation_id, entry_date, kind, amount_cents, reference, "
            "memo) VALUES (?, ?, 'payment', ?, ?, ?)",
            &st, e);
        if (!rc) {
            sqlite3_bind_int64(st, 1, t->obligation_id);
            sqlite3_bind_text(st, 2, t->entry_date, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 3, t->obligation_cents);
            sqlite3_bind_text(st, 4, t->key, -1, SQLITE_TRANSIENT);
            bind_text(st, 5, t->memo);
            rc = step_done(s, st, "entering the payment on the obligation's ledger", e);
        }
        sqlite3_finalize(st);
    }
    if (!rc && txn_id)
        *txn_id = id;
    return sp_end(s, rc, e);
}

hw_code hw__sqlite_txn_exists(hw_store *base, const char *key, int *exists, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_prepare(s, "SELECT 1 FROM transactions WHERE key = ?", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    r = sqlite3_step(st);
    *exists = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading transactions", e);
    sqlite3_finalize(st);
    return rc;
}

/* A fund with what it was given, what it paid and what it holds. */
#define FUND_SELECT                                                                                \
    "SELECT f.id, f.organisation_id, f.name, f.restriction, "                                      \
    "coalesce(f.per_person_cap_cents, 0), f.created_at, "                                          \
    "coalesce((SELECT sum(p.amount_cents) FROM postings p WHERE p.account_id = a.id), 0), "        \
    "coalesce((SELECT sum(p.amount_cents) FROM postings p JOIN transactions t ON t.id = p.txn_id " \
    "          WHERE p.account_id = a.id AND t.kind = 'gift'), 0) "                                \
    "FROM funds f JOIN accounts a ON a.kind = 'fund' AND a.ref = f.id "

static void read_fund(sqlite3_stmt *st, hw_arena *a, hw_fund *f)
{
    f->id = sqlite3_column_int64(st, 0);
    f->organisation_id = sqlite3_column_int64(st, 1);
    f->name = col_text(st, 2, a);
    f->restriction = col_text(st, 3, a);
    f->per_person_cap_cents = sqlite3_column_int64(st, 4);
    f->created_at = col_text(st, 5, a);
    f->balance_cents = sqlite3_column_int64(st, 6);
    f->given_cents = sqlite3_column_int64(st, 7);
    f->paid_cents = f->given_cents - f->balance_cents;
}

hw_code hw__sqlite_fund_get(hw_store *base, int64_t id, hw_arena *a, hw_fund *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_prepare(s, FUND_SELECT "WHERE f.id = ?", &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        read_fund(st, a, out);
    else if (r == SQLITE_DONE)
        rc = hw_fail(e, HW_ENOTFOUND, "fund", "no fund %lld", (long long)id);
    else
        rc = hw__sqlite_fail(s->db, "reading the fund", e);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_fund_list(hw_store *base, hw_fund_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_arena a;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_prepare(s, FUND_SELECT "ORDER BY f.id", &st, e)))
        return rc;
    hw_arena_init(&a, 0, 0);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_fund f;

        hw_arena_reset(&a);
        read_fund(st, &a, &f);
        if (fn(ud, &f)) {
            rc = HW_ECANCELED;
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading funds", e);
    sqlite3_finalize(st);
    hw_arena_release(&a);
    return rc;
}

hw_code hw__sqlite_ledger_check(hw_store *base, hw_ledger_check *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_code rc;

    memset(out, 0, sizeof *out);
    if ((rc = hw__sqlite_query_int(s->db, "SELECT coalesce(sum(amount_cents), 0) FROM postings",
                                   &out->sum_cents, e)) ||
        (rc = hw__sqlite_query_int(s->db, "SELECT count(*) FROM postings", &out->postings, e)) ||
        (rc = hw__sqlite_query_int(s->db, "SELECT count(*) FROM transactions", &out->txns, e)) ||
        (rc = hw__sqlite_query_int(
             s->db,
             "SELECT count(*) FROM (SELECT t.id FROM transactions t LEFT JOIN postings p "
             "ON p.txn_id = t.id GROUP BY t.id HAVING coalesce(sum(p.amount_cents), 0) <> 0 "
             "OR count(p.txn_id) < 2)",
             &out->unbalanced_txns, e)))
        return rc;
    if ((rc =
             hw__sqlite_query_int(s->db,
                                  "SELECT count(*) FROM (SELECT a.id FROM accounts a JOIN postings "
                                  "p ON p.account_id = a.id WHERE a.kind = 'fund' GROUP BY a.id "
                                  "HAVING sum(p.amount_cents) < 0)",
                                  &out->negative_funds, e)))
        return rc;
    return hw__sqlite_query_int(s->db,
                                "SELECT count(*) FROM accounts a WHERE a.balance_cents <> "
                                "coalesce((SELECT sum(p.amount_cents) FROM postings p "
                                "WHERE p.account_id = a.id), 0)",
                                &out->kept_wrong, e);
}

hw_code hw__sqlite_det_scan(hw_store *base, const char *const *rules, size_t nrules, hw_det_fn fn,
                            void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc = HW_OK;
    int r;

    if ((rc = hw__sqlite_prepare(
             s,
             "SELECT person_id, rule, status, eligible_on, left_items, subject_kind, subject_id "
             "FROM determinations "
             "WHERE rule = ? AND status IN ('eligible', 'eligible_on', 'ineligible')",
             &st, e)))
        return rc;
    for (size_t i = 0; !rc && i < nrules; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, rules[i], -1, SQLITE_TRANSIENT);
        while ((r = sqlite3_step(st)) == SQLITE_ROW) {
            hw_det_seen d = {
                .person_id = sqlite3_column_int64(st, 0),
                .rule = (const char *)sqlite3_column_text(st, 1),
                .status = (const char *)sqlite3_column_text(st, 2),
                .eligible_on = (const char *)sqlite3_column_text(st, 3),
                .left_items = (const char *)sqlite3_column_text(st, 4),
                .subject_kind = (const char *)sqlite3_column_text(st, 5),
                .subject_id = sqlite3_column_int64(st, 6),
            };
            if (fn(ud, &d)) {
                rc = HW_ECANCELED;
                break;
            }
        }
        if (!rc && r != SQLITE_DONE)
            rc = hw__sqlite_fail(s->db, "reading determinations", e);
    }
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_plan_save(hw_store *base, const hw_plan *p, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL, *pp = NULL, *pay = NULL;
    char now[32], funds[64 * 24] = "[";
    size_t at = 1;
    hw_code rc;

    now_text(now);
    for (size_t i = 0; i < p->nfunds; i++)
        at += (size_t)snprintf(funds + at, sizeof funds - at, "%s%lld", i ? "," : "",
                               (long long)p->funds[i].id);
    snprintf(funds + at, sizeof funds - at, "]");
    if ((rc = sp_begin(s, e)))
        return rc;
    rc = hw__sqlite_prepare(
        s,
        "INSERT INTO plans(organisation_id, created_at, as_of, objective, funds, method, "
        "optimal, objective_value, bound, budget_cents, spent_cents, status) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')",
        &st, e);
    if (!rc) {
        sqlite3_bind_int64(st, 1, p->organisation_id);
        sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, p->as_of, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, p->objective == HW_OBJECTIVE_PEOPLE ? "people" : "weighted", -1,
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 5, funds, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, p->method, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 7, p->optimal);
        sqlite3_bind_int64(st, 8, p->objective_value);
        sqlite3_bind_int64(st, 9, p->bound);
        sqlite3_bind_int64(st, 10, p->budget_cents);
        sqlite3_bind_int64(st, 11, p->spent_cents);
        rc = step_done(s, st, "saving the plan", e);
        *id = sqlite3_last_insert_rowid(s->db);
    }
    if (!rc)
        rc = hw__sqlite_prepare(
            s,
            "INSERT INTO plan_people(plan_id, person_id, cost_cents, owed_cents, value, outcome, "
            "months, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            &pp, e);
    if (!rc)
        rc = hw__sqlite_prepare(
            s,
            "INSERT INTO plan_payments(plan_id, obligation_id, fund_id, person_id, payee, "
            "amount_cents, balance_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
            &pay, e);
    for (size_t i = 0; !rc && i < p->ncand; i++) {
        const hw_plan_candidate *c = &p->cand[i];

        if (!c->chosen)
            continue;
        sqlite3_reset(pp);
        sqlite3_bind_int64(pp, 1, *id);
        sqlite3_bind_int64(pp, 2, c->person_id);
        sqlite3_bind_int64(pp, 3, c->cost_cents);
        sqlite3_bind_int64(pp, 4, c->owed_cents);
        sqlite3_bind_int64(pp, 5, c->value);
        sqlite3_bind_text(pp, 6, hw_outcome_name(c->outcome), -1, SQLITE_STATIC);
        sqlite3_bind_int(pp, 7, c->months);
        sqlite3_bind_text(pp, 8, c->reason, -1, SQLITE_TRANSIENT);
        rc = step_done(s, pp, "saving the plan's people", e);
        for (size_t j = 0; !rc && j < c->npay; j++) {
            const hw_plan_payment *y = &c->pay[j];

            sqlite3_reset(pay);
            sqlite3_bind_int64(pay, 1, *id);
            sqlite3_bind_int64(pay, 2, y->obligation_id);
            sqlite3_bind_int64(pay, 3, y->fund_id);
            sqlite3_bind_int64(pay, 4, c->person_id);
            sqlite3_bind_text(pay, 5, y->payee ? y->payee : "", -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(pay, 6, y->amount_cents);
            sqlite3_bind_int64(pay, 7, y->amount_cents);
            rc = step_done(s, pay, "saving the plan's payments", e);
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(pp);
    sqlite3_finalize(pay);
    return sp_end(s, rc, e);
}

hw_code hw__sqlite_plan_load(hw_store *base, int64_t id, hw_arena *a, hw_plan_row *out, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_code rc;
    int r;

    memset(out, 0, sizeof *out);
    if ((rc = hw__sqlite_prepare(
             s,
             "SELECT organisation_id, status, committed_at, as_of, objective_value, "
             "spent_cents, (SELECT count(*) FROM plan_payments WHERE plan_id = plans.id), "
             "(SELECT count(*) FROM plan_people WHERE plan_id = plans.id "
             "   AND outcome <> 'conditions_met'), "
             "(SELECT count(*) FROM plan_people WHERE plan_id = plans.id), "
             "(SELECT coalesce(sum(months), 0) FROM plan_people WHERE plan_id = plans.id) "
             "FROM plans WHERE id = ?",
             &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        out->id = id;
        out->organisation_id = sqlite3_column_int64(st, 0);
        out->status = col_text(st, 1, a);
        out->committed_at = col_text(st, 2, a);
        out->as_of = col_text(st, 3, a);
        out->objective_value = sqlite3_column_int64(st, 4);
        out->spent_cents = sqlite3_column_int64(st, 5);
        out->npay = (size_t)sqlite3_column_int64(st, 6);
        out->people_freed = sqlite3_column_int64(st, 7);
        out->people_helped = sqlite3_column_int64(st, 8);
        out->months_avoided = sqlite3_column_int64(st, 9);
    } else if (r == SQLITE_DONE) {
        rc = hw_fail(e, HW_ENOTFOUND, "plan", "no plan %lld", (long long)id);
    } else {
        rc = hw__sqlite_fail(s->db, "reading the plan", e);
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    out->pay = hw_arena_alloc(a, (out->npay ? out->npay : 1) * sizeof *out->pay);
    if (!out->pay)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = hw__sqlite_prepare(
             s,
             "SELECT p.obligation_id, p.fund_id, p.person_id, p.payee, p.amount_cents, "
             "p.balance_cents, pp.owed_cents FROM plan_payments p JOIN plan_people pp "
             "ON pp.plan_id = p.plan_id AND pp.person_id = p.person_id "
             "WHERE p.plan_id = ? ORDER BY p.person_id, p.obligation_id",
             &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    size_t n = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW && n < out->npay) {
        hw_plan_pay_row *y = &out->pay[n++];

        y->obligation_id = sqlite3_column_int64(st, 0);
        y->fund_id = sqlite3_column_int64(st, 1);
        y->person_id = sqlite3_column_int64(st, 2);
        y->payee = col_text(st, 3, a);
        y->amount_cents = sqlite3_column_int64(st, 4);
        y->balance_cents = sqlite3_column_int64(st, 5);
        y->owed_cents = sqlite3_column_int64(st, 6);
    }
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        rc = hw__sqlite_fail(s->db, "reading the plan's payments", e);
    out->npay = n;
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_plan_status(hw_store *base, int64_t id, const char *status, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    char now[32];
    hw_code rc;

    now_text(now);
    if ((rc = hw__sqlite_prepare(
             s,
             "UPDATE plans SET status = ?, committed_at = CASE WHEN ? = 'committed' "
             "THEN ? ELSE committed_at END WHERE id = ?",
             &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, id);
    rc = step_done(s, st, "marking the plan", e);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_plan_remit(hw_store *base, int64_t id, hw_remit_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_arena a;
    hw_remit_line *lines = NULL;
    size_t n = 0, cap = 0;
    const char *payee = NULL, *from = NULL, *date = NULL;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_prepare(
             s,
             "SELECT pp.payee, pp.person_id, pe.given_name || ' ' || pe.family_name, "
             "pp.obligation_id, c.case_number, o.kind, o.description, pp.amount_cents, "
             "pp.fund_id, f.name, org.name, l.entry_date, l.reference "
             "FROM plan_payments pp JOIN people pe ON pe.id = pp.person_id "
             "JOIN obligations o ON o.id = pp.obligation_id "
             "LEFT JOIN convictions c ON c.id = o.conviction_id "
             "JOIN funds f ON f.id = pp.fund_id "
             "JOIN organisations org ON org.id = f.organisation_id "
             "JOIN ledger l ON l.obligation_id = pp.obligation_id AND l.reference = "
             "  'plan:' || pp.plan_id || ':obligation:' || pp.obligation_id "
             "WHERE pp.plan_id = ? ORDER BY pp.payee, pp.person_id, pp.obligation_id",
             &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    hw_arena_init(&a, 0, 0);
    for (;;) {
        r = sqlite3_step(st);
        const char *p = r == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;

        if (n && (!p || strcmp(p, payee) != 0)) {
            hw_remit rm = {
                .payee = payee, .from = from, .date = date, .plan_id = id, .n = n, .lines = lines};

            if (fn(ud, &rm)) {
                rc = HW_ECANCELED;
                break;
            }
            hw_arena_reset(&a);
            n = 0;
        }
        if (r != SQLITE_ROW)
            break;
        if (n == cap) {
            hw_remit_line *m = realloc(lines, (cap = cap ? cap * 2 : 64) * sizeof *lines);

            if (!m) {
                rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
                break;
            }
            lines = m;
        }
        if (!n) {
            payee = col_text(st, 0, &a);
            from = col_text(st, 10, &a);
            date = col_text(st, 11, &a);
        }
        lines[n++] = (hw_remit_line){
            .person_id = sqlite3_column_int64(st, 1),
            .person_name = col_text(st, 2, &a),
            .obligation_id = sqlite3_column_int64(st, 3),
            .case_number = col_text(st, 4, &a),
            .kind = col_text(st, 5, &a),
            .description = col_text(st, 6, &a),
            .amount_cents = sqlite3_column_int64(st, 7),
            .fund_id = sqlite3_column_int64(st, 8),
            .fund_name = col_text(st, 9, &a),
            .reference = col_text(st, 12, &a),
        };
    }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading the plan's payments", e);
    sqlite3_finalize(st);
    free(lines);
    hw_arena_release(&a);
    return rc;
}

hw_code hw__sqlite_plan_list(hw_store *base, hw_plan_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_arena a;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_prepare(
             s,
             "SELECT id, organisation_id, created_at, as_of, objective, funds, method, "
             "optimal, objective_value, bound, budget_cents, spent_cents, status, "
             "committed_at, (SELECT count(*) FROM plan_people pp WHERE pp.plan_id = plans.id) "
             "FROM plans ORDER BY id DESC",
             &st, e)))
        return rc;
    hw_arena_init(&a, 0, 0);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_plan_summary p;

        hw_arena_reset(&a);
        p = (hw_plan_summary){
            .id = sqlite3_column_int64(st, 0),
            .organisation_id = sqlite3_column_int64(st, 1),
            .created_at = col_text(st, 2, &a),
            .as_of = col_text(st, 3, &a),
            .objective = col_text(st, 4, &a),
            .funds = col_text(st, 5, &a),
            .method = col_text(st, 6, &a),
            .optimal = sqlite3_column_int(st, 7),
            .objective_value = sqlite3_column_int64(st, 8),
            .bound = sqlite3_column_int64(st, 9),
            .budget_cents = sqlite3_column_int64(st, 10),
            .spent_cents = sqlite3_column_int64(st, 11),
            .status = col_text(st, 12, &a),
            .committed_at = col_text(st, 13, &a),
            .people = sqlite3_column_int64(st, 14),
        };
        if (fn(ud, &p)) {
            rc = HW_ECANCELED;
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading plans", e);
    sqlite3_finalize(st);
    hw_arena_release(&a);
    return rc;
}
