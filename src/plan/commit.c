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
#include <stdlib.h>
#include <string.h>

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

/*
 * Refuse when a balance moved since planning: the plan's arithmetic (who is
 * freed, what it costs) no longer holds.  Payments already made are not
 * checked: their own payment moved the balance.
 */
static hw_code check_stale(hw_store *s, const hw_plan_row *pl, const unsigned char *made, hw_err *e)
{
    hw_balances *bal = NULL;
    char msg[400] = "";
    size_t at = 0, stale = 0;
    hw_code rc;

    /* Below a few thousand payments, person by person is faster than the whole ledger. */
    if (pl->npay > 4000 && (rc = hw_store_balances(s, 0, &bal, e)))
        return rc;
    for (size_t i = 0; i < pl->npay; i++) {
        const hw_plan_pay_row *y = &pl->pay[i];
        int64_t now;

        if (made[i])
            continue;
        if (pl->npay <= 4000 && (i == 0 || pl->pay[i - 1].person_id != y->person_id)) {
            hw_balances_free(bal);
            bal = NULL;
            if ((rc = hw_store_balances(s, y->person_id, &bal, e)))
                return rc;
        }
        now = hw_balances_get(bal, y->obligation_id);
        if (now != y->balance_cents) {
            if (stale++ < STALE_SHOWN && at < sizeof msg) {
                char was[32], is[32];

                hw_cents_format(y->balance_cents, was, sizeof was);
                hw_cents_format(now, is, sizeof is);
                at += (size_t)snprintf(msg + at, sizeof msg - at,
                                       "%sobligation %lld (person %lld) owed %s, now %s",
                                       stale > 1 ? "; " : "", (long long)y->obligation_id,
                                       (long long)y->person_id, was, is);
            }
        }
    }
    hw_balances_free(bal);
    if (stale)
        return hw_fail(e, HW_ECONFLICT, "balance",
                       "plan %lld was made against balances that have changed since; nothing was "
                       "paid: %s%s (%zu in all); make a new plan",
                       (long long)pl->id, msg, stale > STALE_SHOWN ? "; ..." : "", stale);
    return HW_OK;
}

/* Every fund must hold what the payments still to make need from it. */
static hw_code check_funds(hw_store *s, const hw_plan_row *pl, const unsigned char *made, hw_err *e)
{
    hw_arena a;
    hw_code rc = HW_OK;

    hw_arena_init(&a, 0, 0);
    for (size_t i = 0; !rc && i < pl->npay; i++) {
        int64_t need = 0, fund = pl->pay[i].fund_id;
        bool seen = false;
        hw_fund f;

        for (size_t j = 0; j < i && !seen; j++)
            seen = pl->pay[j].fund_id == fund;
        if (seen)
            continue;
        for (size_t j = i; j < pl->npay; j++)
            if (pl->pay[j].fund_id == fund && !made[j])
                need += pl->pay[j].amount_cents;
        if ((rc = hw_fund_get(s, fund, &a, &f, e)))
            break;
        if (f.balance_cents < need) {
            char has[32], needs[32];

            hw_cents_format(f.balance_cents, has, sizeof has);
            hw_cents_format(need, needs, sizeof needs);
            rc = hw_fail(e, HW_EINVAL, "fund",
                         "fund %lld ('%s') holds %s; plan %lld still needs %s from it; nothing "
                         "was paid",
                         (long long)fund, f.name, has, (long long)pl->id, needs);
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
    rc = hw__sqlite_plan_status(s, plan_id, "committed", e);
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
