/* SPDX-License-Identifier: MIT */
/*
 * Internal to the solver (solve.c, knapsack.c, mip.c) and its unit tests:
 * the methods behind hw__solve() and the pieces they share.
 */
#ifndef HW_PLAN_SOLVE_INT_H
#define HW_PLAN_SOLVE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "plan/solve.h"

/* Exact products of cents and points: both fit in 62 bits, their product in 127. */
__extension__ typedef __int128 hw_i128;

/* Costs and values are checked against these so that no sum of them overflows. */
#define HW_SOLVE_MAX_CENTS ((int64_t)1 << 50)
#define HW_SOLVE_MAX_TOTAL ((int64_t)1 << 61)

/* Live states the exact knapsack keeps at most (0 in the call below: this many). */
#define HW_SOLVE_KNAP_STATES 2000000

/* Seconds on a monotonic clock, for time limits and the reported wall time. */
double hw__solve_now(void);

/* A time limit in seconds: the problem's, or 60 when it sets none. */
double hw__solve_time_limit(const hw_solve_problem *p);

/*
 * Fill r->chosen (zeros) and r->part_fund (HW_SOLVE_NO_FUND) for p; the
 * rest of r is zeroed.  Returns new arrays; free with hw__solve_free.
 */
hw_code hw__solve_alloc(const hw_solve_problem *p, hw_solve_result *r, hw_err *e);

/*
 * Sort idx[0..n) (any permutation) by value per cent, best first: v[i]/w[i]
 * compared exactly, ties by index, so the order is the same everywhere.  A
 * cost of 0 sorts first.  v[i] >= 1, 0 <= w[i] <= HW_SOLVE_MAX_TOTAL.
 */
hw_code hw__solve_order(size_t n, const int64_t *v, const int64_t *w, uint32_t *idx, hw_err *e);

/*
 * The plain greedy plan, by value per cent of each item's whole cost: take
 * an item when each of its parts fits in an admitting fund (the one with
 * most money left), within the caps.  Writes chosen, part_fund (both
 * cleared first) and *value.
 */
hw_code hw__solve_greedy(const hw_solve_problem *p, unsigned char *chosen, uint8_t *part_fund,
                         int64_t *value, hw_err *e);

/*
 * One fund (p->nfunds == 1), any values: the exact 0/1 knapsack.  r comes
 * from hw__solve_alloc; sets chosen, part_fund, objective, bound, optimal,
 * greedy, nodes and method.  max_states (0: HW_SOLVE_KNAP_STATES) and
 * p->time_limit_s stop it early with the best plan found and a proven bound.
 * *lp_bound (may be NULL) gets the Dantzig bound of the LP relaxation.
 */
hw_code hw__solve_knapsack(const hw_solve_problem *p, size_t max_states, hw_solve_result *r,
                           int64_t *lp_bound, hw_err *e);

/*
 * Several funds: the mixed-integer programme.  r comes from hw__solve_alloc
 * and holds a feasible plan (the greedy one) with its objective; this
 * replaces it only by a better one, checked exactly.  Sets bound, optimal,
 * nodes and method.
 */
hw_code hw__solve_mip(const hw_solve_problem *p, hw_solve_result *r, hw_err *e);

#endif
