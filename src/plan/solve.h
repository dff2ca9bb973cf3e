/* SPDX-License-Identifier: MIT */
/*
 * Internal to the planner: the optimisation problem, free of records.  A
 * candidate (item) is a person whose whole balance must be paid for the
 * value to count; their balance comes in parts (obligations grouped by the
 * funds that may pay them), and each part is paid whole by one fund.
 * Money is integer cents and values are integer points, so every optimum
 * can be checked exactly.
 */
#ifndef HW_PLAN_SOLVE_H
#define HW_PLAN_SOLVE_H

#include <stddef.h>
#include <stdint.h>

#include "homeward/error.h"

#define HW_SOLVE_MAX_FUNDS 64
#define HW_SOLVE_NO_FUND 255

/* Obligations of one candidate that the same funds may pay. */
typedef struct hw_solve_part {
    int64_t cost_cents; /* > 0 */
    uint64_t funds;     /* bit f: fund f may pay this part; never 0 */
} hw_solve_part;

typedef struct hw_solve_item {
    int64_t value;          /* >= 1 */
    uint32_t part0, nparts; /* its parts are parts[part0 .. part0 + nparts), nparts >= 1 */
} hw_solve_item;

typedef struct hw_solve_problem {
    size_t nitems;
    const hw_solve_item *items;
    size_t nparts;
    const hw_solve_part *parts;
    size_t nfunds;               /* 1 .. HW_SOLVE_MAX_FUNDS */
    const int64_t *budget_cents; /* nfunds, >= 0 */
    const int64_t *cap_cents;    /* nfunds: most one fund pays for one item; 0 none; NULL: none */
    double time_limit_s;         /* a MIP stops here and reports its gap; <= 0: 60 s */
    double gap;                  /* a MIP may stop within this relative gap; 0: prove optimal */
} hw_solve_problem;

typedef struct hw_solve_result {
    unsigned char
        *chosen;        /* nitems: 1 when the item is paid; returns new; free with hw__solve_free */
    uint8_t *part_fund; /* nparts: the fund that pays each part of a chosen item, else
                           HW_SOLVE_NO_FUND; returns new */
    int64_t objective;  /* sum of chosen values */
    int64_t bound;      /* proven upper bound on any plan's value (== objective when optimal) */
    int optimal;        /* 1 when proven: bound == objective */
    const char *method; /* "cheapest-first", "knapsack" or "mip" (static text) */
    int64_t greedy;     /* the plain greedy plan's value (by value per cent), for comparison */
    double seconds;     /* wall time of the solve */
    int64_t nodes;      /* branch-and-bound nodes or dynamic-programming states examined */
} hw_solve_result;

/*
 * Choose the items to pay, within every budget (and cap), maximising the sum
 * of values.  One fund with equal values: cheapest first.  One fund: an exact
 * 0/1 knapsack.  Several funds: a mixed-integer programme (GLPK), whose
 * answer is checked in integer arithmetic before it is returned.  Items that
 * no fund can pay whole are simply never chosen.  HW_EINVAL names a bad
 * input (a part with no fund, a negative budget); HW_ENOMEM.
 */
hw_code hw__solve(const hw_solve_problem *p, hw_solve_result *r, hw_err *e);
void hw__solve_free(hw_solve_result *r);

/*
 * Is this choice feasible (every chosen item's parts assigned to funds that
 * admit them, budgets and caps kept) and what is it worth?  Exact integer
 * check; returns HW_OK with *value set, or HW_EINVAL saying what breaks.
 */
hw_code hw__solve_check(const hw_solve_problem *p, const unsigned char *chosen,
                        const uint8_t *part_fund, int64_t *value, hw_err *e);

#endif
