/* SPDX-License-Identifier: MIT */
/*
 * Committing a plan: its payments, each one ledger transaction whose key
 * names the plan and the obligation.  Keys make a commit idempotent: a run
 * after a crash, or a second run, finds the payments already made and makes
 * only the rest.  Payments go in batches, each one SQLite transaction, so
 * a large plan neither holds the write lock for minutes nor loses more than
 * one batch's work to a crash (and that batch is simply made again).
 */
#include "core/common.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/audit.h"
#include "homeward/funds.h"
#include "homeward/plan.h"
#include "homeward/text.h"
#include "store/store_funds.h"
#include "core/banned.h"

enum { BATCH = 500, STALE_SHOWN = 5 };

static void key_of(char *out, size_t n, int64_t plan, int64_t obligation)
{
    snprintf(out, n, "plan:%lld:obligation:%lld", (long long)plan, (long long)obligation);
}

static void note_stale(char *msg, size_t size, size_t *at, size_t stale, const char *fmt, ...)
    HW_PRINTF(5, 6);
static void note_stale(char *msg, size_t size, size_t *at, size_t stale, const char *fmt, ...)
{
    va_list ap;

    if (stale > STALE_SHOWN || *at >= size)
        return;
    *at += (size_t)snprintf(msg + *at, size - *at, "%s", stale > 1 ? "; " : "");
    va_start(ap, fmt);
    if (*at < size)
        *at += (size_t)vsnprintf(msg + *at, size - *at, fmt, ap);
    va_end(ap);
}

/*
 * Refuse when a balance moved since planning: the plan's arithmetic (who is
 * freed, what it costs) no longer holds.  Each obligation still to pay must
 * owe what it did, and each person must owe in all what they did, less the
 * payments already made: new debt elsewhere means paying would not free
 * them.  Person by person, through the person index.
 */
static hw_code check_stale(hw_store *s, const hw_plan_row *pl, const unsigned char *made, hw_err *e)
{
    char msg[480] = "", was[32], is[32];
    size_t at = 0, stale = 0;
    hw_code rc = HW_OK;

    for (size_t i = 0; !rc && i < pl->npay;) {
        int64_t person = pl->pay[i].person_id, paid = 0, total;
        hw_balances *bal = NULL;
        size_t j, before = stale;

        if ((rc = hw_store_balances(s, person, &bal, e)))
            break;
        for (j = i; j < pl->npay && pl->pay[j].person_id == person; j++) {
            const hw_plan_pay_row *y = &pl->pay[j];
            int64_t now = hw_balances_get(bal, y->obligation_id);

            if (made[j]) {
                paid += y->amount_cents;
                continue;
            }
            if (now != y->balance_cents) {
                hw_cents_format(y->balance_cents, was, sizeof was);
                hw_cents_format(now, is, sizeof is);
                note_stale(msg, sizeof msg, &at, ++stale,
                           "obligation %lld (person %lld) owed %s, now %s",
                           (long long)y->obligation_id, (long long)person, was, is);
            }
        }
        total = hw_balances_total(bal);
        if (total != pl->pay[i].owed_cents - paid && stale == before) {
            hw_cents_format(pl->pay[i].owed_cents - paid, was, sizeof was);
            hw_cents_format(total, is, sizeof is);
            note_stale(msg, sizeof msg, &at, ++stale,
                       "person %lld owed %s in all, now %s: paying would not free them",
                       (long long)person, was, is);
        }
        hw_balances_free(bal);
        i = j;
    }
    if (!rc && stale)
        rc = hw_fail(e, HW_ECONFLICT, "balance",
                     "plan %lld was made against balances that have changed since; nothing was "
                     "paid: %s%s (%zu in all); make a new plan",
                     (long long)pl->id, msg, stale > STALE_SHOWN ? "; ..." : "", stale);
    return rc;
}

/* Every fund must hold what the payments still to make need from it (at most 64 funds). */
static hw_code check_funds(hw_store *s, const hw_plan_row *pl, const unsigned char *made, hw_err *e)
{
    int64_t ids[64], need[64];
    size_t n = 0;
    hw_arena a;
    hw_code rc = HW_OK;

    for (size_t i = 0; i < pl->npay; i++) {
        size_t k = 0;

        while (k < n && ids[k] != pl->pay[i].fund_id)
            k++;
        if (k == n) {
            if (n == 64)
                return hw_fail(e, HW_EBUG, NULL, "plan %lld pays from more than 64 funds",
                               (long long)pl->id);
            ids[n] = pl->pay[i].fund_id;
            need[n++] = 0;
        }
        if (!made[i])
            need[k] += pl->pay[i].amount_cents;
    }
    hw_arena_init(&a, 0, 0);
    for (size_t k = 0; !rc && k < n; k++) {
        hw_fund f;

        if ((rc = hw_fund_get(s, ids[k], &a, &f, e)))
            break;
        if (f.balance_cents < need[k]) {
            char has[32], needs[32];

            hw_cents_format(f.balance_cents, has, sizeof has);
            hw_cents_format(need[k], needs, sizeof needs);
            rc = hw_fail(e, HW_EINVAL, "fund",
                         "fund %lld ('%s') holds %s; plan %lld still needs %s from it; nothing "
                         "was paid",
                         (long long)ids[k], f.name, has, (long long)pl->id, needs);
        }
    }
    hw_arena_release(&a);
    return rc;
}

/* A test hook: stop dead (SIGKILL) after this many batches, to prove a commit survives it. */
static long kill_after(void)
{
    const char *v = getenv("HOMEWARD_TEST_KILL_AFTER_BATCH");

    return v && *v ? strtol(v, NULL, 10) : 0;
}

hw_code hw_plan_commit(hw_store *s, int64_t plan_id, const char *entry_date, hw_commit_report *r,
                       hw_err *e)
{
    hw_arena a;
    hw_plan_row pl;
    unsigned char *made = NULL;
    long batches = 0, stop_after = kill_after();
    char detail[80];
    hw_code rc;

    memset(r, 0, sizeof *r);
    r->plan_id = plan_id;
    hw_arena_init(&a, 0, 0);
    if ((rc = hw__sqlite_plan_load(s, plan_id, &a, &pl, e)))
        goto out;
    r->paid_cents = pl.spent_cents;
    r->people_freed = pl.people_freed;
    r->people_helped = pl.people_helped;
    r->months_avoided = pl.months_avoided;
    if (strcmp(pl.status, "committed") == 0) {
        r->already = 1;
        r->payments_before = (int64_t)pl.npay;
        goto out;
    }
    if (!(made = calloc(pl.npay + 1, 1))) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < pl.npay; i++) {
        char key[80];
        int exists = 0;

        key_of(key, sizeof key, plan_id, pl.pay[i].obligation_id);
        if ((rc = hw_txn_exists(s, key, &exists, e)))
            goto out;
        made[i] = (unsigned char)exists;
        r->payments_before += exists;
    }
    if ((rc = check_stale(s, &pl, made, e)) || (rc = check_funds(s, &pl, made, e)))
        goto out;
    if ((rc = hw__sqlite_plan_status(s, plan_id, "committing", e)))
        goto out;
    for (size_t i = 0; i < pl.npay;) {
        size_t end = i + BATCH < pl.npay ? i + BATCH : pl.npay;

        if ((rc = hw_store_begin(s, 0, e)))
            goto out;
        for (; i < end; i++) {
            const hw_plan_pay_row *y = &pl.pay[i];
            char key[80], memo[96];

            if (made[i])
                continue;
            key_of(key, sizeof key, plan_id, y->obligation_id);
            snprintf(memo, sizeof memo, "plan %lld: obligation %lld of person %lld",
                     (long long)plan_id, (long long)y->obligation_id, (long long)y->person_id);
            hw_posting legs[2] = {
                {.kind = HW_ACCOUNT_FUND, .ref = y->fund_id, .amount_cents = -y->amount_cents},
                {.kind = HW_ACCOUNT_PAYEE, .name = y->payee, .amount_cents = y->amount_cents},
            };
            hw_txn t = {.key = key,
                        .kind = "payment",
                        .entry_date = entry_date,
                        .memo = memo,
                        .obligation_id = y->obligation_id,
                        .obligation_cents = y->amount_cents,
                        .n = 2,
                        .postings = legs};

            if ((rc = hw_txn_post(s, &t, NULL, e))) {
                hw_store_rollback(s, NULL);
                goto out;
            }
            r->payments_made++;
        }
        if ((rc = hw_store_commit(s, e)))
            goto out;
        if (stop_after && ++batches >= stop_after)
            raise(SIGKILL);
    }
    /* The plan is marked committed with its audit entry, in one transaction. */
    if ((rc = hw_store_begin(s, 0, e)))
        goto out;
    snprintf(detail, sizeof(detail), "payments %lld, cents %lld",
             (long long)(r->payments_before + r->payments_made), (long long)pl.spent_cents);
    if ((rc = hw__sqlite_plan_status(s, plan_id, "committed", e)) ||
        (rc = hw_audit_note(s, "commit_plan", "plans", plan_id, detail, e)) ||
        (rc = hw_store_commit(s, e)))
        hw_store_rollback(s, NULL);
out:
    free(made);
    hw_arena_release(&a);
    return rc;
}

hw_code hw_plan_list(hw_store *s, hw_plan_fn fn, void *ud, hw_err *e)
{
    return hw__sqlite_plan_list(s, fn, ud, e);
}

hw_code hw_plan_remittances(hw_store *s, int64_t plan_id, hw_remit_fn fn, void *ud, hw_err *e)
{
    return hw__sqlite_plan_remit(s, plan_id, fn, ud, e);
}
