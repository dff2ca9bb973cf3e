/* SPDX-License-Identifier: MIT */
/*
 * Funds and the ledger's rules: what may be posted is decided here, before
 * the store sees it, so every front end refuses the same things with the
 * same words.  The store's triggers refuse them again for any other writer.
 */
#include "core/common.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "funds/funds_int.h"
#include "homeward/date.h"
#include "homeward/logic.h"
#include "homeward/rng.h"
#include "store/store_funds.h"
#include "core/banned.h"

/* Facts the planner adds to what a record holds (docs/funds.md). */
static const char *const person_derived[] = {"balance_cents", "restitution_balance_cents",
                                             "supervision_type", "supervision_jurisdiction", NULL};
static const char *const obligation_derived[] = {"balance_cents", NULL};

static bool in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return true;
    return false;
}

/* Is `path` a field a restriction can read: person.X or obligation.X? */
static bool known_path(const char *path)
{
    const char *dot = strchr(path, '.');
    hw_kind k;
    const char *const *derived;

    if (!dot || strchr(dot + 1, '.'))
        return false;
    if ((size_t)(dot - path) == 6 && memcmp(path, "person", 6) == 0) {
        k = HW_K_PEOPLE;
        derived = person_derived;
    } else if ((size_t)(dot - path) == 10 && memcmp(path, "obligation", 10) == 0) {
        k = HW_K_OBLIGATIONS;
        derived = obligation_derived;
    } else {
        return false;
    }
    dot++;
    return hw_vocab_field_index(k, dot, strlen(dot)) >= 0 || in_list(derived, dot, strlen(dot));
}

/* Every literal var path in the restriction names a known field; `seen` hears each path. */
static hw_code check_paths(const json_t *j, hw_path_fn seen, void *ud, hw_err *e)
{
    hw_code rc;

    if (json_is_array(j)) {
        size_t i;
        const json_t *v;

        json_array_foreach(j, i, v) if ((rc = check_paths(v, seen, ud, e))) return rc;
    } else if (json_is_object(j)) {
        const char *key;
        const json_t *v;

        json_object_foreach((json_t *)j, key, v)
        {
            if (strcmp(key, "var") == 0) {
                const json_t *path = json_is_array(v) ? json_array_get(v, 0) : v;
                const char *text = json_is_string(path) ? json_string_value(path) : "";

                if (*text && !known_path(text))
                    return hw_fail(e, HW_EINVAL, "restrict",
                                   "restriction reads '%s', which is not a field: use "
                                   "person.FIELD or obligation.FIELD (docs/vocabulary.md, "
                                   "docs/funds.md)",
                                   text);
                if (seen)
                    seen(ud, text);
            }
            if ((rc = check_paths(v, seen, ud, e)))
                return rc;
        }
    }
    return HW_OK;
}

hw_code hw__restriction_compile(const char *text, hw_logic **out, hw_path_fn seen, void *ud,
                                hw_err *e)
{
    json_error_t je;
    json_t *j;
    hw_code rc;

    *out = NULL;
    if (!text)
        return HW_OK;
    if (!(j = json_loads(text, JSON_DECODE_ANY, &je)))
        return hw_fail(e, HW_EINVAL, "restrict", "restriction is not JSON: %s at column %d",
                       je.text, je.column);
    rc = check_paths(j, seen, ud, e);
    if (!rc && (rc = hw_logic_compile(j, out, e)) != HW_OK) {
        char why[sizeof e->msg];

        snprintf(why, sizeof why, "%s", e ? e->msg : "");
        rc = hw_fail(e, rc, "restrict", "restriction: %s", why);
    }
    json_decref(j);
    return rc;
}

hw_code hw_fund_add(hw_store *s, int64_t org, const char *name, const char *restriction,
                    int64_t cap, int64_t *id, hw_err *e)
{
    hw_logic *l = NULL;
    hw_code rc;

    if (!name || !*name)
        return hw_fail(e, HW_EINVAL, "name", "a fund needs a name");
    if (strlen(name) > 200)
        return hw_fail(e, HW_EINVAL, "name", "fund name longer than 200 bytes");
    if (cap < 0)
        return hw_fail(e, HW_EINVAL, "cap", "per-person cap is negative: %lld", (long long)cap);
    if ((rc = hw__restriction_compile(restriction, &l, NULL, NULL, e)))
        return rc;
    hw_logic_free(l);
    if ((rc = hw__sqlite_resolve_org(s, org, &org, e)))
        return rc;
    return hw__sqlite_fund_add(s, org, name, restriction, cap, id, e);
}

hw_code hw_donor_id(hw_store *s, int64_t org, const char *name, int64_t *id, hw_err *e)
{
    hw_code rc;

    if (!name || !*name)
        return hw_fail(e, HW_EINVAL, "donor", "a donor needs a name");
    if ((rc = hw__sqlite_resolve_org(s, org, &org, e)))
        return rc;
    return hw__sqlite_donor_id(s, org, name, id, e);
}

static bool valid_date(const char *d)
{
    int32_t days;

    return d && hw_date_parse(d, strlen(d), &days, NULL) == HW_OK;
}

hw_code hw_txn_post(hw_store *s, const hw_txn *t, int64_t *txn_id, hw_err *e)
{
    int64_t sum = 0;

    if (!t->key || !*t->key)
        return hw_fail(e, HW_EINVAL, "key", "a transaction needs a key");
    if (!t->kind || (strcmp(t->kind, "gift") != 0 && strcmp(t->kind, "payment") != 0))
        return hw_fail(e, HW_EINVAL, "kind", "transaction kind is gift or payment, not '%s'",
                       t->kind ? t->kind : "");
    if (!valid_date(t->entry_date))
        return hw_fail(e, HW_EINVAL, "entry_date", "not a date: '%s'",
                       t->entry_date ? t->entry_date : "");
    if (t->n < 2)
        return hw_fail(e, HW_EINVAL, "postings", "transaction '%s' has %zu postings: at least two",
                       t->key, t->n);
    for (size_t i = 0; i < t->n; i++) {
        const hw_posting *p = &t->postings[i];

        if (p->amount_cents == 0)
            return hw_fail(e, HW_EINVAL, "amount_cents", "transaction '%s': posting %zu is zero",
                           t->key, i + 1);
        if (p->kind == HW_ACCOUNT_PAYEE && (!p->name || !*p->name))
            return hw_fail(e, HW_EINVAL, "payee", "transaction '%s': a payee needs a name", t->key);
        if (__builtin_add_overflow(sum, p->amount_cents, &sum))
            return hw_fail(e, HW_EINVAL, "amount_cents", "transaction '%s': amounts overflow",
                           t->key);
    }
    if (sum != 0)
        return hw_fail(e, HW_EINVAL, "postings",
                       "transaction '%s' does not balance: its postings sum to %lld cents, not 0",
                       t->key, (long long)sum);
    if (t->obligation_id && t->obligation_cents <= 0)
        return hw_fail(e, HW_EINVAL, "amount_cents", "transaction '%s': a payment must be positive",
                       t->key);
    return hw__sqlite_txn_post(s, t, txn_id, e);
}

hw_code hw_txn_exists(hw_store *s, const char *key, int *exists, hw_err *e)
{
    return hw__sqlite_txn_exists(s, key, exists, e);
}

hw_code hw_gift(hw_store *s, int64_t donor_id, size_t n, const int64_t *fund_ids,
                const int64_t *amounts, const char *entry_date, const char *memo, const char *key,
                int64_t *txn_id, hw_err *e)
{
    hw_posting *p;
    char made[64];
    int64_t total = 0;
    hw_code rc;

    if (n == 0)
        return hw_fail(e, HW_EINVAL, "fund", "a gift goes to at least one fund");
    for (size_t i = 0; i < n; i++) {
        if (amounts[i] <= 0)
            return hw_fail(e, HW_EINVAL, "amount", "gift to fund %lld: %lld cents is not positive",
                           (long long)fund_ids[i], (long long)amounts[i]);
        if (__builtin_add_overflow(total, amounts[i], &total))
            return hw_fail(e, HW_EINVAL, "amount", "gift amounts overflow");
        for (size_t j = 0; j < i; j++)
            if (fund_ids[j] == fund_ids[i])
                return hw_fail(e, HW_EINVAL, "fund", "fund %lld is named twice in one gift",
                               (long long)fund_ids[i]);
    }
    if (!key) {
        hw_rng r;

        hw_rng_seed(&r, (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32), (uint64_t)donor_id);
        snprintf(made, sizeof made, "gift:%lld:%016llx", (long long)time(NULL),
                 (unsigned long long)hw_rng_next(&r));
        key = made;
    }
    if (!(p = calloc(n + 1, sizeof *p)))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    p[0] = (hw_posting){.kind = HW_ACCOUNT_DONOR, .ref = donor_id, .amount_cents = -total};
    for (size_t i = 0; i < n; i++)
        p[i + 1] =
            (hw_posting){.kind = HW_ACCOUNT_FUND, .ref = fund_ids[i], .amount_cents = amounts[i]};
    hw_txn t = {.key = key,
                .kind = "gift",
                .entry_date = entry_date,
                .memo = memo,
                .n = n + 1,
                .postings = p};
    rc = hw_txn_post(s, &t, txn_id, e);
    free(p);
    return rc;
}

hw_code hw_fund_get(hw_store *s, int64_t id, hw_arena *a, hw_fund *out, hw_err *e)
{
    return hw__sqlite_fund_get(s, id, a, out, e);
}

hw_code hw_fund_list(hw_store *s, hw_fund_fn fn, void *ud, hw_err *e)
{
    return hw__sqlite_fund_list(s, fn, ud, e);
}

hw_code hw_ledger_check_all(hw_store *s, hw_ledger_check *out, hw_err *e)
{
    return hw__sqlite_ledger_check(s, out, e);
}
