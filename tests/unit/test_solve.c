/* SPDX-License-Identifier: MIT */
/*
 * The planner's optimiser (src/plan/solve*.c, knapsack.c, mip.c) against
 * independent exact answers: every subset (and every assignment of parts to
 * funds) of small random problems, and a dynamic programme over values for
 * a larger knapsack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/rng.h"
#include "plan/solve.h"
#include "plan/solve_int.h"
#include "unit.h"

#define MAXN 16
#define MAXP 48

typedef struct small {
    hw_solve_problem p;
    hw_solve_item items[MAXN];
    hw_solve_part parts[MAXP];
    int64_t budget[4], cap[4];
} small;

/* The best value over every subset and every assignment of parts to funds. */
typedef struct brute {
    const hw_solve_problem *p;
    int64_t spent[4], at[4], best;
} brute;

static void brute_items(brute *b, size_t i, int64_t value);

static void brute_parts(brute *b, size_t i, uint32_t g, int64_t value)
{
    const hw_solve_problem *p = b->p;
    const hw_solve_item *it = &p->items[i];

    if (g == it->part0 + it->nparts) {
        int64_t at[4];

        memcpy(at, b->at, sizeof at);
        memset(b->at, 0, sizeof b->at);
        brute_items(b, i + 1, value + it->value);
        memcpy(b->at, at, sizeof at);
        return;
    }
    for (size_t f = 0; f < p->nfunds; f++) {
        int64_t c = p->parts[g].cost_cents, cap = p->cap_cents ? p->cap_cents[f] : 0;

        if (!(p->parts[g].funds >> f & 1) || b->spent[f] + c > p->budget_cents[f] ||
            (cap && b->at[f] + c > cap))
            continue;
        b->spent[f] += c;
        b->at[f] += c;
        brute_parts(b, i, g + 1, value);
        b->spent[f] -= c;
        b->at[f] -= c;
    }
}

static void brute_items(brute *b, size_t i, int64_t value)
{
    if (i == b->p->nitems) {
        if (value > b->best)
            b->best = value;
        return;
    }
    brute_items(b, i + 1, value);
    brute_parts(b, i, b->p->items[i].part0, value);
}

static int64_t brute_best(const hw_solve_problem *p)
{
    brute b = {.p = p};

    brute_items(&b, 0, 0);
    return b.best;
}

/* One fund: n items of one part each. */
static void one_fund(small *s, hw_rng *g, size_t n, int equal)
{
    int64_t total = 0, value = hw_rng_range(g, 1, 20);

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        s->parts[i] = (hw_solve_part){hw_rng_chance(g, 0.04) ? 0 : hw_rng_range(g, 1, 1000), 1};
        s->items[i] = (hw_solve_item){equal ? value : hw_rng_range(g, 1, 20), (uint32_t)i, 1};
        total += s->parts[i].cost_cents;
    }
    s->budget[0] = hw_rng_range(g, 0, total + 10);
    s->cap[0] = hw_rng_chance(g, 0.3) ? hw_rng_range(g, 1, 1000) : 0;
    s->p = (hw_solve_problem){.nitems = n,
                              .items = s->items,
                              .nparts = n,
                              .parts = s->parts,
                              .nfunds = 1,
                              .budget_cents = s->budget,
                              .cap_cents = s->cap};
}

/* Several funds: n items of 1-3 parts, each admitted by a random set of funds. */
static void some_funds(small *s, hw_rng *g, size_t n)
{
    size_t nf = (size_t)hw_rng_range(g, 2, 3), np = 0;
    int64_t total = 0;

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = (uint32_t)hw_rng_range(g, 1, 3);

        s->items[i] = (hw_solve_item){hw_rng_range(g, 1, 20), (uint32_t)np, k};
        for (uint32_t j = 0; j < k; j++) {
            s->parts[np] = (hw_solve_part){hw_rng_chance(g, 0.03) ? 0 : hw_rng_range(g, 1, 500),
                                           (uint64_t)hw_rng_range(g, 1, (1 << nf) - 1)};
            total += s->parts[np++].cost_cents;
        }
    }
    for (size_t f = 0; f < nf; f++) {
        s->budget[f] = hw_rng_range(g, 0, total / 2 + 1);
        s->cap[f] = hw_rng_chance(g, 0.3) ? hw_rng_range(g, 1, 600) : 0;
    }
    s->p = (hw_solve_problem){.nitems = n,
                              .items = s->items,
                              .nparts = np,
                              .parts = s->parts,
                              .nfunds = nf,
                              .budget_cents = s->budget,
                              .cap_cents = hw_rng_chance(g, 0.5) ? s->cap : NULL};
}

/* The plan in r holds exactly and is worth what r says. */
static int plan_holds(const hw_solve_problem *p, const hw_solve_result *r)
{
    int64_t value = -1;
    hw_err e;

    return hw__solve_check(p, r->chosen, r->part_fund, &value, &e) == HW_OK &&
           value == r->objective;
}

TEST(solve_knapsack_brute)
{
    hw_rng g;
    int wrong = 0, limited_wrong = 0;

    hw_rng_seed(&g, 20240601, 1);
    for (int t = 0; t < 2000; t++) {
        small s;
        hw_solve_result r, lim;
        int64_t best, lp = -1;
        hw_err e;

        one_fund(&s, &g, (size_t)hw_rng_range(&g, 0, 14), 0);
        best = brute_best(&s.p);
        EXPECT_CODE_E(hw__solve(&s.p, &r, &e), HW_OK, &e);
        if (r.objective != best || !r.optimal || r.bound != best || !plan_holds(&s.p, &r) ||
            r.greedy > best)
            wrong++;
        EXPECT(r.method &&
               (strcmp(r.method, "knapsack") == 0 || strcmp(r.method, "cheapest-first") == 0));
        hw__solve_free(&r);

        /* The LP bound, and a search stopped at one state, still bound the optimum. */
        EXPECT_CODE(hw__solve_alloc(&s.p, &lim, &e), HW_OK);
        EXPECT_CODE_E(hw__solve_knapsack(&s.p, 1, &lim, &lp, &e), HW_OK, &e);
        if (lp < best || lim.bound < best || lim.objective > best || !plan_holds(&s.p, &lim) ||
            lim.optimal != (lim.bound == lim.objective))
            limited_wrong++;
        hw__solve_free(&lim);
    }
    EXPECT_INT(wrong, 0);
    EXPECT_INT(limited_wrong, 0);
}

TEST(solve_people_cheapest)
{
    hw_rng g;
    int wrong = 0;

    hw_rng_seed(&g, 20240601, 2);
    for (int t = 0; t < 500; t++) {
        small s;
        hw_solve_result r;
        int64_t best;
        hw_err e;

        one_fund(&s, &g, (size_t)hw_rng_range(&g, 0, 14), 1);
        best = brute_best(&s.p);
        EXPECT_CODE_E(hw__solve(&s.p, &r, &e), HW_OK, &e);
        if (r.objective != best || !r.optimal || r.bound != best || !plan_holds(&s.p, &r) ||
            strcmp(r.method, "cheapest-first") != 0)
            wrong++;
        hw__solve_free(&r);
    }
    EXPECT_INT(wrong, 0);
}

TEST(solve_mip_brute)
{
    hw_rng g;
    int wrong = 0, searched = 0;

    hw_rng_seed(&g, 20240601, 3);
    for (int t = 0; t < 300; t++) {
        small s;
        hw_solve_result r;
        int64_t best;
        hw_err e;

        some_funds(&s, &g, (size_t)hw_rng_range(&g, 0, 8));
        best = brute_best(&s.p);
        EXPECT_CODE_E(hw__solve(&s.p, &r, &e), HW_OK, &e);
        if (r.objective != best || !r.optimal || r.bound != best || !plan_holds(&s.p, &r) ||
            r.greedy > best || strcmp(r.method, "mip") != 0)
            wrong++;
        searched += r.nodes > 0;
        hw__solve_free(&r);
    }
    EXPECT_INT(wrong, 0);
    EXPECT(searched > 10); /* GLPK's search, not only the fixing, was tested */
}

TEST(solve_bad_input)
{
    hw_solve_part parts[2] = {{100, 1}, {50, 3}};
    hw_solve_item items[2] = {{5, 0, 1}, {3, 1, 1}};
    int64_t budget[2] = {120, 100};
    hw_solve_problem p = {.nitems = 2,
                          .items = items,
                          .nparts = 2,
                          .parts = parts,
                          .nfunds = 2,
                          .budget_cents = budget};
    unsigned char chosen[2] = {1, 1};
    uint8_t pf[2] = {0, 0};
    hw_solve_result r;
    int64_t value;
    hw_err e;

    budget[1] = -1;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "fund 1: negative budget: -1 cents") != NULL);
    EXPECT_STR(e.field, "budget");
    budget[1] = 100;

    parts[1].funds = 0;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "part 1: no fund may pay it") != NULL);
    parts[1].funds = 4; /* fund 2 of 2 */
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    parts[1].funds = 3;

    p.nfunds = 0;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "1 to 64 funds, not 0") != NULL);
    p.nfunds = 65;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    p.nfunds = 2;

    items[0].value = 0;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    items[0].value = 5;
    items[1].part0 = 2;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    items[1].part0 = 0; /* two items share part 0 */
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    items[1].part0 = 1;
    parts[0].cost_cents = -5;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    parts[0].cost_cents = 100;
    p.gap = -0.5;
    EXPECT_CODE(hw__solve(&p, &r, &e), HW_EINVAL);
    p.gap = 0;

    /* The check: within budget, worth 8; over fund 0's budget; a fund that does not admit. */
    EXPECT_CODE_E(hw__solve_check(&p, chosen, (uint8_t[]){0, 1}, &value, &e), HW_OK, &e);
    EXPECT_INT(value, 8);
    EXPECT_CODE(hw__solve_check(&p, chosen, pf, &value, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "fund 0: the plan spends 150 cents of a budget of 120") != NULL);
    EXPECT_CODE(hw__solve_check(&p, chosen, (uint8_t[]){1, 1}, &value, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "part 0 is paid by fund 1, which does not admit it") != NULL);
    EXPECT_CODE(hw__solve_check(&p, (unsigned char[]){0, 1}, (uint8_t[]){0, 1}, &value, &e),
                HW_EINVAL); /* an unpaid item's part has a fund */
    p.cap_cents = (int64_t[]){90, 0};
    EXPECT_CODE(hw__solve_check(&p, chosen, (uint8_t[]){0, 1}, &value, &e), HW_EINVAL);
    EXPECT(strstr(e.msg, "over its cap of 90") != NULL);

    /* And the solver's answer with that cap: item 0 cannot be paid. */
    EXPECT_CODE_E(hw__solve(&p, &r, &e), HW_OK, &e);
    EXPECT_INT(r.objective, 3);
    EXPECT_INT(r.chosen[0], 0);
    EXPECT(r.optimal);
    hw__solve_free(&r);
    hw__solve_free(&r); /* twice is harmless */
}

TEST(solve_large_knapsack_exact)
{
    enum { N = 20000 };
    hw_solve_item *items = malloc(N * sizeof *items);
    hw_solve_part *parts = malloc(N * sizeof *parts);
    int64_t *mincost = NULL, total = 0, budget, cap = 0, opt = 0, lp = -1;
    double frac = 0, room;
    uint32_t *order = malloc(N * sizeof *order);
    int64_t *v = malloc(N * sizeof *v), *w = malloc(N * sizeof *w);
    size_t top;
    hw_solve_result r, k;
    hw_rng g;
    hw_err e;

    EXPECT(items && parts && order && v && w);
    if (!items || !parts || !order || !v || !w)
        goto out;
    hw_rng_seed(&g, 20240601, 4);
    /* Values 1..100 and costs $10..$1,000; the budget pays for a hundred or so of the best. */
    for (size_t i = 0; i < N; i++) {
        int64_t value = hw_rng_range(&g, 1, 100), c = hw_rng_range(&g, 1000, 100000);

        parts[i] = (hw_solve_part){c, 1};
        items[i] = (hw_solve_item){value, (uint32_t)i, 1};
        v[i] = value;
        w[i] = c;
        total += c;
    }
    budget = total / 6000;

    /* An upper bound of our own: the fractional fill by value per cent, in doubles. */
    EXPECT_CODE(hw__solve_order(N, v, w, order, &e), HW_OK);
    room = (double)budget;
    for (size_t j = 0; j < N && room > 0; j++) {
        double take = (double)w[order[j]] < room ? 1.0 : room / (double)w[order[j]];

        frac += take * (double)v[order[j]];
        room -= take * (double)w[order[j]];
    }
    top = (size_t)frac + 2;

    /* The exact optimum by values: the least cost of reaching each total value. */
    mincost = malloc((top + 1) * sizeof *mincost);
    EXPECT(mincost != NULL);
    if (!mincost)
        goto out;
    mincost[0] = 0;
    for (size_t u = 1; u <= top; u++)
        mincost[u] = INT64_MAX / 2;
    for (size_t i = 0; i < N; i++)
        for (size_t u = top; u >= (size_t)v[i]; u--)
            if (mincost[u - v[i]] + w[i] < mincost[u])
                mincost[u] = mincost[u - v[i]] + w[i];
    for (size_t u = 0; u <= top; u++)
        if (mincost[u] <= budget)
            opt = (int64_t)u;
    EXPECT(opt > 5000 && (size_t)opt < top - 1); /* not clipped by our bound */

    {
        hw_solve_problem p = {.nitems = N,
                              .items = items,
                              .nparts = N,
                              .parts = parts,
                              .nfunds = 1,
                              .budget_cents = &budget,
                              .cap_cents = &cap};

        EXPECT_CODE_E(hw__solve(&p, &r, &e), HW_OK, &e);
        EXPECT_INT(r.objective, opt);
        EXPECT_INT(r.bound, opt);
        EXPECT(r.optimal);
        EXPECT_STR(r.method, "knapsack");
        EXPECT(plan_holds(&p, &r));
        EXPECT(r.greedy < opt && r.nodes > 0); /* greedy falls short: the search did work */
        hw__solve_free(&r);

        EXPECT_CODE(hw__solve_alloc(&p, &k, &e), HW_OK);
        EXPECT_CODE_E(hw__solve_knapsack(&p, 0, &k, &lp, &e), HW_OK, &e);
        EXPECT(lp >= opt);
        EXPECT_INT(k.objective, opt);
        hw__solve_free(&k);
    }
out:
    free(items);
    free(parts);
    free(order);
    free(v);
    free(w);
    free(mincost);
}

TEST(solve_greedy_is_a_baseline)
{
    /* One fund: greedy takes the best value per cent (7 for 6) and then nothing fits. */
    hw_solve_part p1[3] = {{6, 1}, {5, 1}, {5, 1}};
    hw_solve_item i1[3] = {{7, 0, 1}, {5, 1, 1}, {5, 2, 1}};
    int64_t b1 = 10;
    hw_solve_problem one = {
        .nitems = 3, .items = i1, .nparts = 3, .parts = p1, .nfunds = 1, .budget_cents = &b1};
    /*
     * Two funds: greedy puts A (either fund) in fund 0, where B and C (fund 0
     * only) then do not fit; the optimum is B and C in fund 0, D in fund 1.
     */
    hw_solve_part p2[4] = {{6, 3}, {5, 1}, {5, 1}, {10, 2}};
    hw_solve_item i2[4] = {{7, 0, 1}, {5, 1, 1}, {5, 2, 1}, {9, 3, 1}};
    int64_t b2[2] = {10, 10};
    hw_solve_problem two = {
        .nitems = 4, .items = i2, .nparts = 4, .parts = p2, .nfunds = 2, .budget_cents = b2};
    hw_solve_result r;
    hw_rng g;
    hw_err e;
    int above = 0;

    EXPECT_CODE_E(hw__solve(&one, &r, &e), HW_OK, &e);
    EXPECT_INT(r.greedy, 7);
    EXPECT_INT(r.objective, 10);
    EXPECT(r.optimal);
    EXPECT(!r.chosen[0] && r.chosen[1] && r.chosen[2]);
    hw__solve_free(&r);

    EXPECT_CODE_E(hw__solve(&two, &r, &e), HW_OK, &e);
    EXPECT_INT(r.greedy, 16);
    EXPECT_INT(r.objective, 19);
    EXPECT(r.optimal);
    EXPECT_INT(r.part_fund[0], HW_SOLVE_NO_FUND);
    EXPECT_INT(r.part_fund[3], 1);
    hw__solve_free(&r);

    /* Never above the optimum, whatever the problem. */
    hw_rng_seed(&g, 20240601, 5);
    for (int t = 0; t < 200; t++) {
        small s;

        if (t % 2)
            one_fund(&s, &g, (size_t)hw_rng_range(&g, 0, 12), 0);
        else
            some_funds(&s, &g, (size_t)hw_rng_range(&g, 0, 7));
        EXPECT_CODE_E(hw__solve(&s.p, &r, &e), HW_OK, &e);
        above += r.greedy > r.objective;
        hw__solve_free(&r);
    }
    EXPECT_INT(above, 0);
}

TEST(solve_mip_gap_and_time_limit)
{
    /* A larger problem with a loose gap: the bound holds and the gap is kept. */
    enum { N = 3000 };
    hw_solve_item *items = malloc(N * sizeof *items);
    hw_solve_part *parts = malloc(3 * N * sizeof *parts);
    int64_t budget[6], total = 0;
    size_t np = 0;
    hw_solve_result r;
    hw_rng g;
    hw_err e;

    EXPECT(items && parts);
    if (!items || !parts)
        goto out;
    hw_rng_seed(&g, 20240601, 6);
    for (size_t i = 0; i < N; i++) {
        uint32_t k = (uint32_t)hw_rng_range(&g, 1, 3);

        items[i] = (hw_solve_item){hw_rng_range(&g, 1, 150), (uint32_t)np, k};
        for (uint32_t j = 0; j < k; j++) {
            parts[np] = (hw_solve_part){(int64_t)hw_rng_lognormal(&g, 30000, 1.0) + 1,
                                        (uint64_t)hw_rng_range(&g, 1, 63)};
            total += parts[np++].cost_cents;
        }
    }
    for (size_t f = 0; f < 6; f++)
        budget[f] = total / 60;
    {
        hw_solve_problem p = {.nitems = N,
                              .items = items,
                              .nparts = np,
                              .parts = parts,
                              .nfunds = 6,
                              .budget_cents = budget,
                              .time_limit_s = 5,
                              .gap = 0.01};

        EXPECT_CODE_E(hw__solve(&p, &r, &e), HW_OK, &e);
        EXPECT(plan_holds(&p, &r));
        EXPECT(r.bound >= r.objective && r.objective >= r.greedy);
        EXPECT((double)(r.bound - r.objective) <= 0.01 * (double)r.objective);
        EXPECT(r.seconds < 5.5);
        hw__solve_free(&r);
    }
out:
    free(items);
    free(parts);
}
