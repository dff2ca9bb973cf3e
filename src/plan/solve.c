/* SPDX-License-Identifier: MIT */
/*
 * The solver's front: it checks the problem, picks the method and checks
 * the answer.  One fund with equal values is solved by taking the cheapest
 * items first: any plan of k items costs at least the k cheapest, so the
 * longest affordable prefix of the costs sorted up is a largest plan.  One
 * fund with unequal values is an exact knapsack (knapsack.c); several funds a
 * mixed-integer programme (mip.c).  Whatever the method, the plan returned
 * is checked here in integer arithmetic, so a plan over a budget or a cap is
 * never reported as feasible.
 */
#include "core/common.h"

#include <math.h>
#include <time.h>

#include "plan/solve.h"
#include "plan/solve_int.h"

double hw__solve_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double hw__solve_time_limit(const hw_solve_problem *p)
{
    return p->time_limit_s > 0 && isfinite(p->time_limit_s) ? p->time_limit_s : 60.0;
}

/* Is the problem well formed?  Every check the methods rely on is here. */
static hw_code validate(const hw_solve_problem *p, hw_err *e)
{
    unsigned char *owner = NULL;
    int64_t total_cost = 0, total_value = 0;
    uint64_t all;
    hw_code rc = HW_OK;

    if (!p)
        return hw_fail(e, HW_EINVAL, NULL, "no problem to solve");
    if (p->nfunds < 1 || p->nfunds > HW_SOLVE_MAX_FUNDS)
        return hw_fail(e, HW_EINVAL, "funds", "a plan needs 1 to %d funds, not %zu",
                       HW_SOLVE_MAX_FUNDS, p->nfunds);
    if (!p->budget_cents)
        return hw_fail(e, HW_EINVAL, "budget", "no budgets given");
    if ((p->nitems && !p->items) || (p->nparts && !p->parts))
        return hw_fail(e, HW_EINVAL, NULL, "items or parts missing");
    if (p->nitems >= UINT32_MAX || p->nparts >= UINT32_MAX)
        return hw_fail(e, HW_EINVAL, NULL, "too many items or parts: %zu and %zu", p->nitems,
                       p->nparts);
    if (isnan(p->gap) || p->gap < 0 || isnan(p->time_limit_s))
        return hw_fail(e, HW_EINVAL, "gap",
                       "gap must be a number >= 0, and the time limit a number");
    for (size_t f = 0; f < p->nfunds; f++) {
        if (p->budget_cents[f] < 0)
            return hw_fail(e, HW_EINVAL, "budget", "fund %zu: negative budget: %lld cents", f,
                           (long long)p->budget_cents[f]);
        if (p->cap_cents && p->cap_cents[f] < 0)
            return hw_fail(e, HW_EINVAL, "cap", "fund %zu: negative cap: %lld cents", f,
                           (long long)p->cap_cents[f]);
    }
    all = p->nfunds == 64 ? UINT64_MAX : (1ull << p->nfunds) - 1;
    for (size_t g = 0; g < p->nparts; g++) {
        const hw_solve_part *q = &p->parts[g];

        if (q->cost_cents < 0 || q->cost_cents > HW_SOLVE_MAX_CENTS)
            return hw_fail(e, HW_EINVAL, "cost", "part %zu: cost out of range: %lld cents", g,
                           (long long)q->cost_cents);
        if (!q->funds)
            return hw_fail(e, HW_EINVAL, "funds", "part %zu: no fund may pay it", g);
        if (q->funds & ~all)
            return hw_fail(e, HW_EINVAL, "funds", "part %zu: admitted by a fund past the %zu given",
                           g, p->nfunds);
        total_cost += q->cost_cents;
        if (total_cost > HW_SOLVE_MAX_TOTAL)
            return hw_fail(e, HW_EINVAL, "cost", "the parts' costs add up to more than %lld cents",
                           (long long)HW_SOLVE_MAX_TOTAL);
    }
    if (p->nparts && !(owner = calloc(p->nparts, 1)))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];

        if (it->value < 1 || it->value > HW_SOLVE_MAX_CENTS) {
            rc = hw_fail(e, HW_EINVAL, "value", "item %zu: value out of range: %lld", i,
                         (long long)it->value);
            goto out;
        }
        total_value += it->value;
        if (total_value > HW_SOLVE_MAX_TOTAL) {
            rc = hw_fail(e, HW_EINVAL, "value", "the values add up to more than %lld",
                         (long long)HW_SOLVE_MAX_TOTAL);
            goto out;
        }
        if (it->nparts < 1 || (uint64_t)it->part0 + it->nparts > p->nparts) {
            rc = hw_fail(e, HW_EINVAL, "parts", "item %zu: parts %u..%u not among the %zu given", i,
                         it->part0, it->part0 + it->nparts, p->nparts);
            goto out;
        }
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            if (owner[g]) {
                rc = hw_fail(e, HW_EINVAL, "parts", "item %zu: part %u belongs to another item", i,
                             g);
                goto out;
            }
            owner[g] = 1;
        }
    }
out:
    free(owner);
    return rc;
}

hw_code hw__solve_alloc(const hw_solve_problem *p, hw_solve_result *r, hw_err *e)
{
    *r = (hw_solve_result){0};
    r->chosen = calloc(p->nitems ? p->nitems : 1, 1);
    r->part_fund = malloc(p->nparts ? p->nparts : 1);
    if (!r->chosen || !r->part_fund) {
        hw__solve_free(r);
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    memset(r->part_fund, HW_SOLVE_NO_FUND, p->nparts);
    return HW_OK;
}

void hw__solve_free(hw_solve_result *r)
{
    if (!r)
        return;
    free(r->chosen);
    free(r->part_fund);
    r->chosen = NULL;
    r->part_fund = NULL;
}

/* a before b: a greater value per cent, exactly; ties by index. */
static int before(const int64_t *v, const int64_t *w, uint32_t a, uint32_t b)
{
    hw_i128 x = (hw_i128)v[a] * w[b], y = (hw_i128)v[b] * w[a];

    return x > y || (x == y && a < b);
}

typedef struct keyed {
    uint64_t key;
    uint32_t idx;
} keyed;

hw_code hw__solve_order(size_t n, const int64_t *v, const int64_t *w, uint32_t *idx, hw_err *e)
{
    enum { BITS = 11, BUCKETS = 1 << BITS };

    if (n >= 64) {
        /*
         * Radix sort on the ratio as a double (a positive double's bits sort
         * as an integer; complemented, best first), then insertion sort by
         * the exact comparison, which moves only the few pairs whose ratios
         * round together.  Exactly equal ratios give equal doubles, and the
         * radix sort is stable, so ties stay in index order.
         */
        keyed *a = malloc(n * sizeof *a), *tmp = malloc(n * sizeof *tmp);
        size_t *count = malloc(BUCKETS * sizeof *count);

        if (!a || !tmp || !count) {
            free(a);
            free(tmp);
            free(count);
            return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
            double r = w[i] ? (double)v[i] / (double)w[i] : INFINITY;
            uint64_t bits;

            memcpy(&bits, &r, sizeof bits);
            a[i] = (keyed){~bits, (uint32_t)i};
        }
        for (unsigned shift = 0; shift < 64; shift += BITS) {
            size_t sum = 0;
            keyed *t;

            memset(count, 0, BUCKETS * sizeof *count);
            for (size_t i = 0; i < n; i++)
                count[a[i].key >> shift & (BUCKETS - 1)]++;
            if (count[a[0].key >> shift & (BUCKETS - 1)] == n)
                continue; /* every key has this digit */
            for (size_t d = 0; d < BUCKETS; d++) {
                size_t c = count[d];

                count[d] = sum;
                sum += c;
            }
            for (size_t i = 0; i < n; i++)
                tmp[count[a[i].key >> shift & (BUCKETS - 1)]++] = a[i];
            t = a;
            a = tmp;
            tmp = t;
        }
        for (size_t i = 0; i < n; i++)
            idx[i] = a[i].idx;
        free(a);
        free(tmp);
        free(count);
    } else {
        for (size_t i = 0; i < n; i++)
            idx[i] = (uint32_t)i;
    }
    for (size_t i = 1; i < n; i++) {
        uint32_t x = idx[i];
        size_t j = i;

        while (j > 0 && before(v, w, x, idx[j - 1])) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    return HW_OK;
}

/* Each item's value and whole cost, as the order wants them. */
static hw_code item_arrays(const hw_solve_problem *p, int64_t **v, int64_t **w, uint32_t **idx,
                           hw_err *e)
{
    size_t n = p->nitems ? p->nitems : 1;

    *v = malloc(n * sizeof **v);
    *w = malloc(n * sizeof **w);
    *idx = malloc(n * sizeof **idx);
    if (!*v || !*w || !*idx) {
        free(*v);
        free(*w);
        free(*idx);
        *v = *w = NULL;
        *idx = NULL;
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];

        (*v)[i] = it->value;
        (*w)[i] = 0;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++)
            (*w)[i] += p->parts[g].cost_cents;
    }
    return HW_OK;
}

hw_code hw__solve_greedy(const hw_solve_problem *p, unsigned char *chosen, uint8_t *part_fund,
                         int64_t *value, hw_err *e)
{
    int64_t *v, *w, left[HW_SOLVE_MAX_FUNDS], take[HW_SOLVE_MAX_FUNDS] = {0};
    uint32_t *idx;
    hw_code rc;

    *value = 0;
    memset(chosen, 0, p->nitems);
    memset(part_fund, HW_SOLVE_NO_FUND, p->nparts);
    if ((rc = item_arrays(p, &v, &w, &idx, e)))
        return rc;
    if ((rc = hw__solve_order(p->nitems, v, w, idx, e)))
        goto out;
    for (size_t f = 0; f < p->nfunds; f++)
        left[f] = p->budget_cents[f];
    for (size_t k = 0; k < p->nitems; k++) {
        const hw_solve_item *it = &p->items[idx[k]];
        uint32_t g, end = it->part0 + it->nparts;

        for (g = it->part0; g < end; g++) {
            int64_t c = p->parts[g].cost_cents, room = -1;
            int pick = -1;

            for (uint64_t m = p->parts[g].funds; m; m &= m - 1) {
                int f = __builtin_ctzll(m);
                int64_t cap = p->cap_cents ? p->cap_cents[f] : 0;

                if (left[f] - take[f] >= c && (cap == 0 || take[f] + c <= cap) &&
                    left[f] - take[f] > room) {
                    room = left[f] - take[f];
                    pick = f;
                }
            }
            if (pick < 0)
                break;
            part_fund[g] = (uint8_t)pick;
            take[pick] += c;
        }
        for (uint32_t h = it->part0; h < g; h++) {
            uint8_t f = part_fund[h];

            if (g == end)
                left[f] -= take[f];
            take[f] = 0;
            if (g != end)
                part_fund[h] = HW_SOLVE_NO_FUND;
        }
        if (g == end) {
            chosen[idx[k]] = 1;
            *value += it->value;
        }
    }
out:
    free(v);
    free(w);
    free(idx);
    return rc;
}

hw_code hw__solve_check(const hw_solve_problem *p, const unsigned char *chosen,
                        const uint8_t *part_fund, int64_t *value, hw_err *e)
{
    int64_t spent[HW_SOLVE_MAX_FUNDS] = {0}, at[HW_SOLVE_MAX_FUNDS] = {0};
    hw_code rc;

    *value = 0;
    if ((rc = validate(p, e)))
        return rc;
    if (!chosen || (!part_fund && p->nfunds != 1))
        return hw_fail(e, HW_EINVAL, NULL, "no plan to check");
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];

        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            unsigned f = part_fund ? part_fund[g] : 0;

            if (!chosen[i]) {
                if (f != HW_SOLVE_NO_FUND && part_fund)
                    return hw_fail(e, HW_EINVAL, "part_fund",
                                   "item %zu is not paid, yet its part %u has fund %u", i, g, f);
                continue;
            }
            if (f >= p->nfunds || !(p->parts[g].funds >> f & 1))
                return hw_fail(e, HW_EINVAL, "part_fund",
                               "item %zu: part %u is paid by fund %u, which does not admit it", i,
                               g, f);
            spent[f] += p->parts[g].cost_cents;
            at[f] += p->parts[g].cost_cents;
        }
        if (!chosen[i])
            continue;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            unsigned f = part_fund ? part_fund[g] : 0;
            int64_t cap = p->cap_cents ? p->cap_cents[f] : 0;

            if (cap > 0 && at[f] > cap)
                return hw_fail(e, HW_EINVAL, "cap",
                               "item %zu: fund %u pays %lld cents, over its cap of %lld", i, f,
                               (long long)at[f], (long long)cap);
        }
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++)
            at[part_fund ? part_fund[g] : 0] = 0;
        *value += it->value;
    }
    for (size_t f = 0; f < p->nfunds; f++)
        if (spent[f] > p->budget_cents[f])
            return hw_fail(e, HW_EINVAL, "budget",
                           "fund %zu: the plan spends %lld cents of a budget of %lld", f,
                           (long long)spent[f], (long long)p->budget_cents[f]);
    return HW_OK;
}

/* One fund, equal values: the cheapest affordable items. */
static hw_code cheapest_first(const hw_solve_problem *p, hw_solve_result *r, hw_err *e)
{
    int64_t *v, *w, left = p->budget_cents[0], cap = p->cap_cents ? p->cap_cents[0] : 0;
    uint32_t *idx, *orig = malloc((p->nitems + 1) * sizeof *orig);
    size_t n = 0;
    hw_code rc;

    if (!orig)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = item_arrays(p, &v, &w, &idx, e))) {
        free(orig);
        return rc;
    }
    /* The items the fund could pay, each worth 1: best value per cent is cheapest first. */
    for (size_t i = 0; i < p->nitems; i++) {
        if (w[i] > left || (cap > 0 && w[i] > cap))
            continue;
        orig[n] = (uint32_t)i;
        w[n] = w[i];
        v[n++] = 1;
    }
    if ((rc = hw__solve_order(n, v, w, idx, e)))
        goto out;
    for (size_t k = 0; k < n && w[idx[k]] <= left; k++) {
        uint32_t i = orig[idx[k]];

        left -= w[idx[k]];
        r->chosen[i] = 1;
        r->objective += p->items[i].value;
        for (uint32_t g = p->items[i].part0; g < p->items[i].part0 + p->items[i].nparts; g++)
            r->part_fund[g] = 0;
    }
    r->bound = r->greedy = r->objective;
    r->optimal = 1;
    r->method = "cheapest-first";
out:
    free(v);
    free(w);
    free(idx);
    free(orig);
    return rc;
}

/* Do the items one fund could pay all have the same value? */
static int equal_values(const hw_solve_problem *p)
{
    int64_t first = 0, cap = p->cap_cents ? p->cap_cents[0] : 0;

    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];
        int64_t w = 0;

        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++)
            w += p->parts[g].cost_cents;
        if (w > p->budget_cents[0] || (cap > 0 && w > cap))
            continue;
        if (first && it->value != first)
            return 0;
        first = it->value;
    }
    return 1;
}

hw_code hw__solve(const hw_solve_problem *p, hw_solve_result *r, hw_err *e)
{
    double t0 = hw__solve_now();
    int64_t value;
    hw_code rc;

    if (!r)
        return hw_fail(e, HW_EINVAL, NULL, "no result to fill");
    *r = (hw_solve_result){0};
    if ((rc = validate(p, e)) || (rc = hw__solve_alloc(p, r, e)))
        return rc;
    if (p->nfunds == 1 && equal_values(p)) {
        rc = cheapest_first(p, r, e);
    } else if (p->nfunds == 1) {
        rc = hw__solve_knapsack(p, 0, r, NULL, e);
    } else {
        if (!(rc = hw__solve_greedy(p, r->chosen, r->part_fund, &r->greedy, e))) {
            r->objective = r->greedy;
            rc = hw__solve_mip(p, r, e);
        }
    }
    if (rc)
        goto out;
    /* Whatever the method, the plan must hold in exact arithmetic. */
    if (hw__solve_check(p, r->chosen, r->part_fund, &value, e)) {
        char why[sizeof e->msg];

        snprintf(why, sizeof why, "%s", e ? e->msg : "");
        rc = hw_fail(e, HW_EBUG, NULL, "solver: the plan it found breaks a rule: %s", why);
        goto out;
    }
    if (value != r->objective) {
        rc = hw_fail(e, HW_EBUG, NULL, "solver: the plan is worth %lld, not the %lld reported",
                     (long long)value, (long long)r->objective);
        goto out;
    }
    if (r->bound < r->objective)
        r->bound = r->objective;
    r->optimal = r->bound == r->objective;
    r->seconds = hw__solve_now() - t0;
out:
    if (rc)
        hw__solve_free(r);
    return rc;
}
