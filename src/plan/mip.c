/* SPDX-License-Identifier: MIT */
/*
 * Several funds: a mixed-integer programme, solved by GLPK on the part of
 * the problem that can still change.
 *
 * The programme: z_i (item i paid) and x_gf (part g paid by fund f) binary;
 * sum_f x_gf = z_i for each part g of item i; sum cost_g x_gf <= B_f for each
 * fund; per item and fund, what the fund pays <= its cap; maximise
 * sum v_i z_i.  GLPK's simplex alone takes over a minute on this model at
 * 10,000 items (it grows with the square of the size), so GLPK is handed
 * only what can still change:
 *
 * 1. Prices.  For fund prices y >= 0 (points per cent),
 *      L(y) = sum_f y_f B_f + sum_i max(0, d_i),
 *      d_i = v_i - sum_g min_f y_f cost_g  (f over the funds admitting g),
 *    bounds every plan's value (the budget rows moved into the objective,
 *    the caps dropped); its least value over y is the LP bound without the
 *    caps.  The prices come from a box-step cutting-plane method; L is then
 *    evaluated exactly, with the prices rounded to multiples of 2^-40 and
 *    128-bit integers, so the bound is exact whatever rounding went before.
 * 2. The surrogate relaxation at those prices, one knapsack, solved exactly
 *    (knapsack.c), is a second bound; its plan packed into the funds, a plan
 *    guided by the prices and the plain greedy plan give the best plan, LB.
 * 3. Fixing.  For any plan worth V, L(y) - V is at least the sum of: each
 *    unpaid item's max(0, d_i), each paid item's max(0, -d_i), and what each
 *    paid part costs at its fund's price above the cheapest admitting fund's
 *    (each term is >= 0).  A plan worth LB + 1 or more leaves at most
 *    L - LB - 1 for them, so beyond that items, and part-fund pairs, are
 *    settled as the best plan has them.
 * 4. The core.  What is not settled is the programme above for GLPK, with
 *    the settled items' spending taken off the budgets.  When GLPK can take
 *    all of it, the core's optimum is the whole's (a better plan agrees with
 *    the settled items, so it is a plan of the core), and GLPK's bound on the
 *    core bounds the whole: that is the proof.  When it cannot, the best
 *    plan is improved one neighbourhood at a time (items near the margin and
 *    paid items that may change fund, the rest as the plan has them), and
 *    the fixing is done again after each improvement, until the core fits,
 *    the gap is small enough, or time runs out; the bound is then the least
 *    of L and the surrogate bound.
 *
 * GLPK's answers are rebuilt into plans and checked in integer arithmetic;
 * its budget rows are scaled to 1 (with unscaled cent costs, GLPK 5.0 has
 * been seen to call a plan one point short of the optimum optimal).  A plan
 * over a budget or cap by rounding loses its least valuable offending items.
 */
#include "core/common.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>

#include "homeward/rng.h"
#include "plan/solve.h"
#include "plan/solve_int.h"

#define SCALE_BITS 40    /* prices are multiples of 2^-40 points per cent */
#define CORE_ITEMS 1500  /* GLPK's simplex is quadratic here: 1,000 items take about 1 s */
#define CORE_COLS 9000   /* columns of the core programme at most */
#define PRICE_ROUNDS 300 /* cutting-plane rounds at most */
#define NEAR_ITEMS 100   /* a neighbourhood: items near the margin, */
#define NEAR_COLS 700
#define FLEX_ITEMS 50 /* and paid items that may change fund */
#define FLEX_COLS 350
#define NEAR_SECONDS 3.0 /* GLPK's time on one neighbourhood at most */
#define NONE UINT32_MAX

typedef struct mip mip;

/* The core programme's columns: an item's z, or a part's x for one fund. */
typedef struct col {
    uint32_t item, part; /* part NONE: the column is z of the item */
    uint8_t fund;
} col;

struct mip {
    const hw_solve_problem *p;
    size_t nf;
    int64_t B[HW_SOLVE_MAX_FUNDS], cap[HW_SOLVE_MAX_FUNDS];
    double t_end;

    uint64_t *allow;         /* per part: the funds that could pay it at all */
    unsigned char *possible; /* per item: some assignment fits the budgets and caps */
    size_t nposs;
    int64_t *cost; /* per item: its whole cost */

    /* prices */
    double rho;                        /* a typical price, the unit of lambda */
    double lambda[HW_SOLVE_MAX_FUNDS]; /* prices in units of rho */
    int64_t Y[HW_SOLVE_MAX_FUNDS];     /* exact prices, in 2^-40 points per cent */
    hw_i128 *D;                        /* per item: reduced profit at Y, in 2^-40 points */
    hw_i128 LS;                        /* L at Y, in 2^-40 points */
    int64_t ub_lagr;
    int rounds;

    /* the best plan so far lives in r; scratch plans here */
    hw_solve_result *r;
    unsigned char *chosen;
    uint8_t *pf;
    int64_t *vtmp, *wtmp;
    uint32_t *byratio; /* the possible items, best value per cent first */
    uint32_t *byidx, *scratch;

    /* the core */
    unsigned char *in_core;           /* per item */
    uint64_t *core_allow;             /* per part: funds the core lets pay it */
    uint64_t *prefer;                 /* per part: scratch, the funds the LP pays it from most */
    int64_t left[HW_SOLVE_MAX_FUNDS]; /* budgets less the settled items' spending */
    int64_t settled_value;
    struct cand *cands; /* items not settled, per item at most */
    size_t ncand, cand_cols;
    uint32_t *core; /* core items */
    size_t ncore;
    col *cols;
    size_t ncols;
    uint32_t *zcol; /* per core item (by position): its z column (1-based) */
    uint32_t *xcol; /* per part of a core item: its first x column, or 0 */
    int complete;

    /* GLPK */
    jmp_buf jb;
    glp_prob *lp;
    double *x; /* a plan as GLPK columns, 1-based */
    double gl_bound;
    int64_t bound; /* proven so far, on the whole problem */
    int gave_start;
    int64_t nodes, nodes_now;
    struct rank *rk; /* scratch for rounding, per core item */
    int *ia, *ja;    /* the core's matrix, 1-based triplets */
    double *ar;
    size_t nel, cap_el;
};

static hw_code oom(hw_err *e)
{
    return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
}

static double ftime_left(const mip *m)
{
    return m->t_end - hw__solve_now();
}

/* ---- what could be paid at all ---- */

/*
 * Narrow the funds allow[g] of item i's parts to those that could pay the
 * part beside the parts only one fund can pay, within `budget` and the caps,
 * until nothing changes.  Returns 0 when some part is left with no fund.
 */
static int narrow_item(const mip *m, size_t i, uint64_t *allow, const int64_t *budget)
{
    const hw_solve_problem *p = m->p;
    const hw_solve_item *it = &p->items[i];
    uint32_t end = it->part0 + it->nparts;
    int changed = 1;

    for (uint32_t g = it->part0; g < end; g++)
        if (!allow[g])
            return 0;
    while (changed) {
        int64_t forced[HW_SOLVE_MAX_FUNDS] = {0};

        changed = 0;
        for (uint32_t g = it->part0; g < end; g++)
            if (!(allow[g] & (allow[g] - 1)))
                forced[__builtin_ctzll(allow[g])] += p->parts[g].cost_cents;
        for (size_t f = 0; f < m->nf; f++)
            if (forced[f] > budget[f] || (m->cap[f] && forced[f] > m->cap[f]))
                return 0;
        for (uint32_t g = it->part0; g < end; g++) {
            int64_t c = p->parts[g].cost_cents;

            if (!(allow[g] & (allow[g] - 1)))
                continue;
            for (uint64_t s = allow[g]; s; s &= s - 1) {
                int f = __builtin_ctzll(s);

                if (forced[f] + c > budget[f] || (m->cap[f] && forced[f] + c > m->cap[f])) {
                    allow[g] &= ~(1ull << f);
                    changed = 1;
                }
            }
            if (!allow[g])
                return 0;
        }
    }
    return 1;
}

/* Which funds could pay each part at all, and which items could be paid. */
static void narrow(mip *m)
{
    const hw_solve_problem *p = m->p;

    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];

        m->cost[i] = 0;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            m->cost[i] += p->parts[g].cost_cents;
            m->allow[g] = p->parts[g].funds;
        }
        m->possible[i] = (unsigned char)narrow_item(m, i, m->allow, m->B);
    }
}

/* ---- prices ---- */

/* L at prices lambda * rho, and a subgradient (in points per unit of lambda). */
static double lagrangian(const mip *m, const double *lambda, double *grad)
{
    const hw_solve_problem *p = m->p;
    double y[HW_SOLVE_MAX_FUNDS], L = 0;

    for (size_t f = 0; f < m->nf; f++) {
        y[f] = lambda[f] * m->rho;
        L += y[f] * (double)m->B[f];
        grad[f] = (double)m->B[f];
    }
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];
        double c = 0, d;

        if (!m->possible[i])
            continue;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            double best = INFINITY;

            for (uint64_t s = m->allow[g]; s; s &= s - 1) {
                int f = __builtin_ctzll(s);

                if (y[f] < best)
                    best = y[f];
            }
            c += best * (double)p->parts[g].cost_cents;
        }
        d = (double)it->value - c;
        if (d <= 0)
            continue;
        L += d;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            int arg = -1;

            for (uint64_t s = m->allow[g]; s; s &= s - 1) {
                int f = __builtin_ctzll(s);

                if (arg < 0 || y[f] < y[arg])
                    arg = f;
            }
            grad[arg] -= (double)p->parts[g].cost_cents;
        }
    }
    for (size_t f = 0; f < m->nf; f++)
        grad[f] *= m->rho;
    return L;
}

/* L at the exact prices Y, and every item's reduced profit, in 2^-40 points. */
static void exact_bound(mip *m)
{
    const hw_solve_problem *p = m->p;
    hw_i128 LS = 0;

    for (size_t f = 0; f < m->nf; f++)
        LS += (hw_i128)m->Y[f] * m->B[f];
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];
        hw_i128 d = (hw_i128)it->value << SCALE_BITS;

        if (!m->possible[i]) {
            m->D[i] = 0;
            continue;
        }
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            int64_t best = INT64_MAX;

            for (uint64_t s = m->allow[g]; s; s &= s - 1) {
                int f = __builtin_ctzll(s);

                if (m->Y[f] < best)
                    best = m->Y[f];
            }
            d -= (hw_i128)best * p->parts[g].cost_cents;
        }
        m->D[i] = d;
        if (d > 0)
            LS += d;
    }
    m->LS = LS;
    /* Every item paid is a bound too, and keeps the figure in range. */
    m->ub_lagr = 0;
    for (size_t i = 0; i < p->nitems; i++)
        if (m->possible[i])
            m->ub_lagr += p->items[i].value;
    if ((LS >> SCALE_BITS) < m->ub_lagr)
        m->ub_lagr = (int64_t)(LS >> SCALE_BITS);
}

/* A starting price: the value per cent where one pooled budget would run out. */
static hw_code pooled_price(mip *m, hw_err *e)
{
    const hw_solve_problem *p = m->p;
    size_t n = 0;
    int64_t pool = 0;
    hw_code rc;

    for (size_t f = 0; f < m->nf; f++)
        pool += m->B[f];
    for (size_t i = 0; i < p->nitems; i++) {
        if (!m->possible[i])
            continue;
        m->vtmp[n] = p->items[i].value;
        m->wtmp[n] = m->cost[i];
        m->byidx[n++] = (uint32_t)i;
    }
    if ((rc = hw__solve_order(n, m->vtmp, m->wtmp, m->scratch, e)))
        return rc;
    for (size_t k = 0; k < n; k++)
        m->byratio[k] = m->byidx[m->scratch[k]];
    m->rho = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t j = m->scratch[k];

        if (m->wtmp[j] == 0)
            continue;
        if (m->wtmp[j] > pool) {
            m->rho = (double)m->vtmp[j] / (double)m->wtmp[j];
            break;
        }
        pool -= m->wtmp[j];
    }
    if (m->rho <= 0) {
        /* Everything fits in the pool: any small price will do as a unit. */
        for (size_t k = 0; k < n; k++)
            if (m->wtmp[k] && (m->rho <= 0 || (double)m->vtmp[k] / (double)m->wtmp[k] < m->rho))
                m->rho = (double)m->vtmp[k] / (double)m->wtmp[k];
        if (m->rho <= 0)
            m->rho = 1e-3;
    }
    for (size_t f = 0; f < m->nf; f++)
        m->lambda[f] = 1;
    return HW_OK;
}

/* Add the cut eta >= L + grad . (lambda - at) to the master. */
static void add_cut(glp_prob *lp, size_t nf, double L, const double *grad, const double *at)
{
    int ind[HW_SOLVE_MAX_FUNDS + 2], row = glp_add_rows(lp, 1);
    double val[HW_SOLVE_MAX_FUNDS + 2], rhs = L;

    ind[1] = (int)nf + 1;
    val[1] = 1;
    for (size_t f = 0; f < nf; f++) {
        ind[f + 2] = (int)f + 1;
        val[f + 2] = -grad[f];
        rhs -= grad[f] * at[f];
    }
    glp_set_mat_row(lp, row, (int)nf + 1, ind, val);
    glp_set_row_bnds(lp, row, GLP_LO, rhs, 0);
}

/*
 * Least L over the prices: Kelley's cutting planes inside a box around the
 * best prices so far (the box-step method), each master a small LP.  Any
 * prices give a valid bound; better ones give a tighter bound and more
 * fixing.
 */
static void find_prices(mip *m, int rounds)
{
    size_t nf = m->nf;
    double c[HW_SOLVE_MAX_FUNDS], lam[HW_SOLVE_MAX_FUNDS], grad[HW_SOLVE_MAX_FUNDS];
    double Lc, radius = 0.5, stop = hw__solve_now() + 0.2 * ftime_left(m);
    glp_smcp sm;

    memcpy(c, m->lambda, nf * sizeof *c);
    Lc = lagrangian(m, c, grad);
    m->lp = glp_create_prob();
    glp_set_obj_dir(m->lp, GLP_MIN);
    glp_add_cols(m->lp, (int)nf + 1);
    glp_set_col_bnds(m->lp, (int)nf + 1, GLP_FR, 0, 0);
    glp_set_obj_coef(m->lp, (int)nf + 1, 1);
    add_cut(m->lp, nf, Lc, grad, c);
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUALP;
    for (m->rounds = 0; m->rounds < rounds && hw__solve_now() < stop; m->rounds++) {
        double model, L;
        int inside = 1;

        for (size_t f = 0; f < nf; f++)
            glp_set_col_bnds(m->lp, (int)f + 1, GLP_DB, fmax(0, c[f] - radius), c[f] + radius);
        if (glp_simplex(m->lp, &sm) || glp_get_status(m->lp) != GLP_OPT)
            break;
        model = glp_get_obj_val(m->lp);
        /* The model is below L: least in a box around c means least everywhere, L being convex. */
        if (Lc - model <= 0.01 + 1e-9 * fabs(Lc))
            break;
        for (size_t f = 0; f < nf; f++) {
            lam[f] = glp_get_col_prim(m->lp, (int)f + 1);
            if ((c[f] - radius > 0 && lam[f] <= c[f] - radius + 1e-12) ||
                lam[f] >= c[f] + radius - 1e-12)
                inside = 0;
        }
        L = lagrangian(m, lam, grad);
        add_cut(m->lp, nf, L, grad, lam);
        if (L < Lc - 0.1 * (Lc - model)) {
            memcpy(c, lam, nf * sizeof *c);
            Lc = L;
            if (!inside && radius < 1e6)
                radius *= 2;
        } else if (inside) {
            radius *= 0.5;
        }
    }
    glp_delete_prob(m->lp);
    m->lp = NULL;
    memcpy(m->lambda, c, nf * sizeof *c);
    /* The exact prices: multiples of 2^-40, at most 2^12 points per cent. */
    for (size_t f = 0; f < nf; f++) {
        double y = fmin(fmax(m->lambda[f] * m->rho, 0), 4096.0);

        m->Y[f] = (int64_t)llround(ldexp(y, SCALE_BITS));
    }
}

/* ---- plans ---- */

/*
 * Pay item i if each part fits an admitting fund (allow) within left and the
 * caps: the cheapest fund at prices y when given, else the one with most
 * money left.  Returns 1 and takes the money, or 0 and changes nothing.
 */
static int try_pay(const mip *m, size_t i, const uint64_t *allow, int64_t *left, const double *y,
                   uint8_t *pf)
{
    const hw_solve_item *it = &m->p->items[i];
    uint32_t g, end = it->part0 + it->nparts;
    int64_t take[HW_SOLVE_MAX_FUNDS];

    for (g = it->part0; g < end; g++)
        for (uint64_t s = allow[g]; s; s &= s - 1)
            take[__builtin_ctzll(s)] = 0;
    for (g = it->part0; g < end; g++) {
        int64_t c = m->p->parts[g].cost_cents, room = -1;
        int pick = -1;

        for (uint64_t s = allow[g]; s; s &= s - 1) {
            int f = __builtin_ctzll(s);
            int64_t r = left[f] - take[f];

            if (r < c || (m->cap[f] && take[f] + c > m->cap[f]))
                continue;
            if (pick < 0 || (y && y[f] < y[pick]) || ((!y || y[f] == y[pick]) && r > room)) {
                pick = f;
                room = r;
            }
        }
        if (pick < 0)
            break;
        pf[g] = (uint8_t)pick;
        take[pick] += c;
    }
    if (g < end) {
        for (uint32_t h = it->part0; h < g; h++)
            pf[h] = HW_SOLVE_NO_FUND;
        return 0;
    }
    for (g = it->part0; g < end; g++) {
        left[pf[g]] -= take[pf[g]];
        take[pf[g]] = 0;
    }
    return 1;
}

/* Keep the plan in m->chosen / m->pf if it beats r's and holds exactly. */
static hw_code offer(mip *m, hw_err *e)
{
    int64_t value;

    if (hw__solve_check(m->p, m->chosen, m->pf, &value, NULL) != HW_OK)
        return HW_OK; /* not a plan: ignore it */
    if (value <= m->r->objective)
        return HW_OK;
    memcpy(m->r->chosen, m->chosen, m->p->nitems);
    memcpy(m->r->part_fund, m->pf, m->p->nparts);
    m->r->objective = value;
    HW_UNUSED(e);
    return HW_OK;
}

/* Then fill with any other item that fits, by value per cent, and offer the plan. */
static hw_code fill_and_offer(mip *m, int64_t *left, hw_err *e)
{
    for (size_t k = 0; k < m->nposs; k++) {
        uint32_t i = m->byratio[k];

        if (!m->chosen[i] && try_pay(m, i, m->allow, left, NULL, m->pf))
            m->chosen[i] = 1;
    }
    return offer(m, e);
}

/*
 * A plan guided by the prices: items by value per priced cent, each part at
 * its cheapest fund with room; then whatever still fits, by value per cent.
 */
static hw_code priced_plan(mip *m, hw_err *e)
{
    const hw_solve_problem *p = m->p;
    double y[HW_SOLVE_MAX_FUNDS];
    int64_t left[HW_SOLVE_MAX_FUNDS];
    size_t n = 0;
    hw_code rc;

    for (size_t f = 0; f < m->nf; f++) {
        y[f] = (double)m->Y[f];
        left[f] = m->B[f];
    }
    memset(m->chosen, 0, p->nitems);
    memset(m->pf, HW_SOLVE_NO_FUND, p->nparts);
    for (size_t i = 0; i < p->nitems; i++) {
        hw_i128 priced = ((hw_i128)p->items[i].value << SCALE_BITS) - m->D[i];

        if (!m->possible[i])
            continue;
        /* The priced cost in 2^-20 points, as an integer for the exact order. */
        priced >>= SCALE_BITS - 20;
        m->vtmp[n] = p->items[i].value;
        m->wtmp[n] = priced > HW_SOLVE_MAX_TOTAL ? HW_SOLVE_MAX_TOTAL : (int64_t)priced;
        m->byidx[n] = (uint32_t)i;
        n++;
    }
    if ((rc = hw__solve_order(n, m->vtmp, m->wtmp, m->scratch, e)))
        return rc;
    for (size_t k = 0; k < n; k++) {
        size_t i = m->byidx[m->scratch[k]];

        if (try_pay(m, i, m->allow, left, y, m->pf))
            m->chosen[i] = 1;
    }
    return fill_and_offer(m, left, e);
}

/*
 * Pay the items marked in `want` (dearest first, each part where most money
 * is left), then fill with any other item that fits, by value per cent.
 */
static hw_code pack(mip *m, const unsigned char *want, hw_err *e)
{
    const hw_solve_problem *p = m->p;
    int64_t left[HW_SOLVE_MAX_FUNDS];
    size_t n = 0;

    memcpy(left, m->B, m->nf * sizeof *left);
    memset(m->chosen, 0, p->nitems);
    memset(m->pf, HW_SOLVE_NO_FUND, p->nparts);
    for (size_t i = 0; i < p->nitems; i++) {
        if (!want[i])
            continue;
        m->vtmp[n] = 1;
        m->wtmp[n] = m->cost[i];
        m->byidx[n++] = (uint32_t)i;
    }
    {
        hw_code rc = hw__solve_order(n, m->vtmp, m->wtmp, m->scratch, e);

        if (rc)
            return rc;
    }
    /* By value per cent with value 1: cheapest first; walk it backwards for dearest first. */
    for (size_t k = n; k-- > 0;) {
        uint32_t i = m->byidx[m->scratch[k]];

        if (try_pay(m, i, m->allow, left, NULL, m->pf))
            m->chosen[i] = 1;
    }
    return fill_and_offer(m, left, e);
}

/*
 * The surrogate relaxation: every budget row weighed by its price and added
 * up, each item at its cheapest priced cost.  Any plan keeps that one row,
 * so the exact knapsack over it bounds every plan (rounding each weight down
 * and the capacity down keeps it a relaxation).  Its plan, and plans with a
 * little less capacity, packed into the funds, are good plans.
 */
static hw_code surrogate(mip *m, hw_err *e)
{
    const hw_solve_problem *p = m->p;
    hw_solve_item *items = NULL;
    hw_solve_part *parts = NULL;
    hw_solve_result kr = {0};
    hw_i128 cap = 0, total = 0, biggest = 0;
    uint32_t *map = NULL;
    size_t n = 0;
    int shift = 0;
    int64_t budget, none = 0;
    hw_code rc = HW_OK;
    static const double less[] = {0, 1e-6, 1e-5, 1e-4, 1e-3};

    items = malloc((m->nposs + 1) * sizeof *items);
    parts = malloc((m->nposs + 1) * sizeof *parts);
    map = malloc((m->nposs + 1) * sizeof *map);
    if (!items || !parts || !map) {
        rc = oom(e);
        goto out;
    }
    for (size_t f = 0; f < m->nf; f++)
        cap += (hw_i128)m->Y[f] * m->B[f];
    for (size_t i = 0; i < p->nitems; i++) {
        hw_i128 w;

        if (!m->possible[i])
            continue;
        w = ((hw_i128)p->items[i].value << SCALE_BITS) - m->D[i];
        total += w;
        if (w > biggest)
            biggest = w;
    }
    while ((biggest >> shift) > HW_SOLVE_MAX_CENTS / 2 || (total >> shift) > HW_SOLVE_MAX_TOTAL / 2)
        shift++;
    for (size_t i = 0; i < p->nitems; i++) {
        if (!m->possible[i])
            continue;
        parts[n] = (hw_solve_part){
            (int64_t)((((hw_i128)p->items[i].value << SCALE_BITS) - m->D[i]) >> shift), 1};
        items[n] = (hw_solve_item){p->items[i].value, (uint32_t)n, 1};
        map[n++] = (uint32_t)i;
    }
    cap >>= shift;
    for (size_t t = 0; t < HW_ARRAY_LEN(less); t++) {
        hw_solve_problem q = {.nitems = n,
                              .items = items,
                              .nparts = n,
                              .parts = parts,
                              .nfunds = 1,
                              .budget_cents = &budget,
                              .cap_cents = &none,
                              .time_limit_s = fmax(0.05, 0.1 * ftime_left(m))};

        budget = (int64_t)(cap > HW_SOLVE_MAX_TOTAL ? HW_SOLVE_MAX_TOTAL : cap);
        budget -= (int64_t)((double)budget * less[t]);
        if ((rc = hw__solve_alloc(&q, &kr, e)) || (rc = hw__solve_knapsack(&q, 0, &kr, NULL, e)))
            goto out;
        if (t == 0 && kr.bound < m->bound)
            m->bound = kr.bound;
        memset(m->in_core, 0, p->nitems);
        for (size_t k = 0; k < n; k++)
            m->in_core[map[k]] = kr.chosen[k];
        hw__solve_free(&kr);
        if ((rc = pack(m, m->in_core, e)))
            goto out;
        if (m->r->objective >= m->bound)
            break;
    }
    memset(m->in_core, 0, p->nitems);
out:
    hw__solve_free(&kr);
    free(items);
    free(parts);
    free(map);
    return rc;
}

/*
 * Drop the least valuable offending items until the plan keeps every
 * budget and cap: a plan from floating-point arithmetic may be a few cents
 * over.
 */
static void repair(mip *m)
{
    const hw_solve_problem *p = m->p;

    for (;;) {
        int64_t spent[HW_SOLVE_MAX_FUNDS] = {0};
        int over = -1;
        size_t drop = SIZE_MAX;

        for (size_t i = 0; i < p->nitems && drop == SIZE_MAX; i++) {
            const hw_solve_item *it = &p->items[i];
            int64_t at[HW_SOLVE_MAX_FUNDS];

            if (!m->chosen[i])
                continue;
            for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
                if (m->pf[g] >= m->nf) {
                    drop = i; /* a paid part with no fund: not a plan */
                    break;
                }
                at[m->pf[g]] = 0;
            }
            for (uint32_t g = it->part0; g < it->part0 + it->nparts && drop == SIZE_MAX; g++) {
                int f = m->pf[g];

                at[f] += p->parts[g].cost_cents;
                spent[f] += p->parts[g].cost_cents;
                if (m->cap[f] && at[f] > m->cap[f])
                    drop = i;
            }
        }
        for (size_t f = 0; f < m->nf && drop == SIZE_MAX; f++)
            if (spent[f] > m->B[f])
                over = (int)f;
        if (drop == SIZE_MAX && over < 0)
            return;
        for (size_t i = 0; i < p->nitems && drop == SIZE_MAX; i++) {
            const hw_solve_item *it = &p->items[i];

            if (!m->chosen[i])
                continue;
            for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
                if (m->pf[g] == over && (drop == SIZE_MAX || it->value < p->items[drop].value)) {
                    drop = i;
                    break;
                }
            }
        }
        if (drop == SIZE_MAX)
            return;
        m->chosen[drop] = 0;
        for (uint32_t g = p->items[drop].part0; g < p->items[drop].part0 + p->items[drop].nparts;
             g++)
            m->pf[g] = HW_SOLVE_NO_FUND;
    }
}

/* ---- the core ---- */

typedef struct cand {
    hw_i128 key;
    uint32_t item;
    int flex; /* paid, sure to stay paid, free only in which fund pays */
} cand;

/* Candidates that are not paid-and-staying first, each part by |d|, then by item. */
static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;

    if (x->flex != y->flex)
        return x->flex - y->flex;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

static size_t popcount(uint64_t x)
{
    return (size_t)__builtin_popcountll(x);
}

/* Columns item i would take in the core. */
static size_t item_cols(const mip *m, size_t i)
{
    const hw_solve_item *it = &m->p->items[i];
    size_t n = 1;

    for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++)
        if (popcount(m->core_allow[g]) > 1)
            n += popcount(m->core_allow[g]);
    return n;
}

/*
 * Settle what a better plan than r's cannot change: the rest are the
 * candidates (m->cands), and m->complete says whether GLPK could take them
 * all.  Returns 1 when r's plan is proven optimal (nothing can beat it).
 */
static int classify(mip *m)
{
    const hw_solve_problem *p = m->p;
    const unsigned char *chosen0 = m->r->chosen;
    const uint8_t *pf0 = m->r->part_fund;
    hw_i128 slack = m->LS - ((hw_i128)(m->r->objective + 1) << SCALE_BITS);
    cand *cs = m->cands;
    size_t ncand = 0, cols = 0;

    if (slack < 0)
        return 1;
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];
        hw_i128 dneg = m->D[i] < 0 ? -m->D[i] : 0;
        int must_in = m->D[i] > slack, can_in = dneg <= slack, fixed = 1;

        if (!m->possible[i])
            continue;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            int64_t low = INT64_MAX, c = p->parts[g].cost_cents;
            uint64_t keep = 0;

            for (uint64_t s = m->allow[g]; s; s &= s - 1)
                if (m->Y[__builtin_ctzll(s)] < low)
                    low = m->Y[__builtin_ctzll(s)];
            for (uint64_t s = m->allow[g]; s; s &= s - 1) {
                int f = __builtin_ctzll(s);

                if ((hw_i128)(m->Y[f] - low) * c + dneg <= slack)
                    keep |= 1ull << f;
            }
            if (!keep)
                can_in = 0;
            if (!chosen0[i] || keep != 1ull << pf0[g])
                fixed = 0;
            m->core_allow[g] = keep | (chosen0[i] ? 1ull << pf0[g] : 0);
        }
        if (must_in && !can_in)
            return 1; /* a better plan would have to pay item i, and cannot */
        if (chosen0[i] ? must_in && fixed : !can_in)
            continue; /* settled as r has it */
        cs[ncand].key = m->D[i] < 0 ? -m->D[i] : m->D[i];
        cs[ncand].item = (uint32_t)i;
        cs[ncand].flex = chosen0[i] && must_in;
        cols += item_cols(m, i);
        ncand++;
    }
    m->ncand = ncand;
    m->cand_cols = cols;
    m->complete = ncand <= CORE_ITEMS && cols <= CORE_COLS;
    return 0;
}

/* Add item i to the core unless it is there or the columns would pass `most`. */
static void take_core(mip *m, uint32_t i, size_t *cols, size_t most)
{
    size_t c = item_cols(m, i);

    if (m->in_core[i] || *cols + c > most)
        return;
    m->in_core[i] = 1;
    m->core[m->ncore++] = i;
    *cols += c;
}

/*
 * The core: all the candidates (whole), else a neighbourhood of r's plan
 * drawn at random: items near the margin more often than not (the square
 * of a uniform draw picks the start of the list sorted by |d|), and paid
 * items whose fund may change, to make room.  The rest keep r's plan, and
 * what they spend comes off the budgets.
 */
static void choose(mip *m, hw_rng *rng, int whole)
{
    const hw_solve_problem *p = m->p;
    const unsigned char *chosen0 = m->r->chosen;
    const uint8_t *pf0 = m->r->part_fund;
    cand *cs = m->cands;
    size_t cols = 0, nnear = 0, k2 = 0;

    memset(m->in_core, 0, p->nitems);
    m->ncore = 0;
    if (whole) {
        for (size_t k = 0; k < m->ncand; k++)
            take_core(m, cs[k].item, &cols, SIZE_MAX);
    } else {
        qsort(cs, m->ncand, sizeof *cs, cand_cmp);
        for (size_t k = 0; k < m->ncand; k++)
            if (!cs[k].flex)
                nnear++;
        for (int t = 0; t < 4 * NEAR_ITEMS && m->ncore < (size_t)NEAR_ITEMS && nnear; t++) {
            double u = hw_rng_unit(rng);

            take_core(m, cs[(size_t)(u * u * (double)nnear)].item, &cols, NEAR_COLS);
        }
        for (int t = 0; t < 4 * FLEX_ITEMS && m->ncore < (size_t)(NEAR_ITEMS + FLEX_ITEMS); t++) {
            uint32_t i = (uint32_t)hw_rng_below(rng, p->nitems);

            if (chosen0[i] && m->possible[i])
                take_core(m, i, &cols, NEAR_COLS + FLEX_COLS);
        }
    }

    memcpy(m->left, m->B, m->nf * sizeof *m->left);
    m->settled_value = 0;
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];

        if (!chosen0[i] || m->in_core[i])
            continue;
        m->settled_value += it->value;
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++)
            m->left[pf0[g]] -= p->parts[g].cost_cents;
    }
    /* Within what is left; an item that cannot fit is dropped from the core. */
    for (size_t k = 0; k < m->ncore; k++) {
        uint32_t i = m->core[k];

        if (narrow_item(m, i, m->core_allow, m->left))
            m->core[k2++] = i;
        else
            m->in_core[i] = 0; /* r's plan does not pay it either: it fitted */
    }
    m->ncore = k2;
}

/* GLPK stops the process on an internal error; come back here instead. */
static void on_glpk_error(void *info)
{
    mip *m = info;

    glp_free_env();
    longjmp(m->jb, 1);
}

/* A plan of the core as GLPK columns: z from chosen, x from pf. */
static void plan_to_cols(const mip *m, const unsigned char *chosen, const uint8_t *pf, double *x)
{
    for (size_t j = 0; j < m->ncols; j++) {
        const col *c = &m->cols[j];

        if (c->part == NONE)
            x[j + 1] = chosen[c->item] ? 1 : 0;
        else
            x[j + 1] = chosen[c->item] && pf[c->part] == c->fund ? 1 : 0;
    }
}

typedef struct rank {
    double z, ratio;
    uint32_t item;
} rank;

static int rank_cmp(const void *a, const void *b)
{
    const rank *x = a, *y = b;

    if (x->z != y->z)
        return x->z > y->z ? -1 : 1;
    if (x->ratio != y->ratio)
        return x->ratio > y->ratio ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

/*
 * Round the node's LP solution to a plan of the core: the items it pays
 * whole, at the funds it pays most from, then the rest by how much the LP
 * pays them, each where it fits; exact cents throughout.
 */
static void round_lp(mip *m, glp_prob *q, rank *rk)
{
    const hw_solve_problem *p = m->p;
    int64_t left[HW_SOLVE_MAX_FUNDS];

    memcpy(left, m->left, m->nf * sizeof *left);
    for (size_t k = 0; k < m->ncore; k++) {
        uint32_t i = m->core[k];

        m->chosen[i] = 0;
        for (uint32_t g = p->items[i].part0; g < p->items[i].part0 + p->items[i].nparts; g++)
            m->pf[g] = HW_SOLVE_NO_FUND;
        rk[k].z = glp_get_col_prim(q, (int)m->zcol[k]);
        rk[k].ratio = (double)p->items[i].value / (double)(m->cost[i] ? m->cost[i] : 1);
        rk[k].item = (uint32_t)k;
    }
    qsort(rk, m->ncore, sizeof *rk, rank_cmp);
    for (size_t r = 0; r < m->ncore; r++) {
        size_t k = rk[r].item;
        uint32_t i = m->core[k];
        const hw_solve_item *it = &p->items[i];

        if (rk[r].z < 1e-9)
            break;
        /* First the funds the LP uses most for each part, then any. */
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            double most = -1;

            m->prefer[g] = m->core_allow[g];
            for (uint32_t j = m->xcol[g]; j && j <= m->ncols && m->cols[j - 1].part == g; j++) {
                double v = glp_get_col_prim(q, (int)j);

                if (v > most) {
                    most = v;
                    m->prefer[g] = 1ull << m->cols[j - 1].fund;
                }
            }
        }
        if (try_pay(m, i, m->prefer, left, NULL, m->pf) ||
            try_pay(m, i, m->core_allow, left, NULL, m->pf))
            m->chosen[i] = 1;
    }
    for (size_t k = 0; k < m->ncore; k++) {
        uint32_t i = m->core[k];

        if (!m->chosen[i] && try_pay(m, i, m->core_allow, left, NULL, m->pf))
            m->chosen[i] = 1;
    }
}

static void callback(glp_tree *T, void *info)
{
    mip *m = info;
    glp_prob *q = glp_ios_get_prob(T);
    int best = glp_ios_best_node(T), a, n, t;

    glp_ios_tree_size(T, &a, &n, &t);
    m->nodes_now = t;
    if (best) {
        double bound = glp_ios_node_bound(T, best);

        if (glp_mip_status(q) == GLP_FEAS && glp_mip_obj_val(q) > bound)
            bound = glp_mip_obj_val(q);
        if (bound < m->gl_bound)
            m->gl_bound = bound;
    }
    /* A plan worth the bound on the whole problem cannot be beaten. */
    if (glp_mip_status(q) == GLP_FEAS && glp_mip_obj_val(q) > (double)m->bound - 0.5) {
        glp_ios_terminate(T);
        return;
    }
    if (glp_ios_reason(T) != GLP_IHEUR)
        return;
    if (!m->gave_start) {
        /* r's plan, as it stands in the core. */
        m->gave_start = 1;
        plan_to_cols(m, m->r->chosen, m->r->part_fund, m->x);
        glp_ios_heur_sol(T, m->x);
    }
    round_lp(m, q, m->rk);
    plan_to_cols(m, m->chosen, m->pf, m->x);
    glp_ios_heur_sol(T, m->x);
}

/* One element of the core's matrix. */
static int put(mip *m, int row, int colj, double v)
{
    if (m->nel + 1 >= m->cap_el) {
        size_t cap = m->cap_el ? m->cap_el * 2 : 4096;
        int *ia = realloc(m->ia, cap * sizeof *ia), *ja;
        double *ar;

        if (!ia)
            return 0;
        m->ia = ia;
        if (!(ja = realloc(m->ja, cap * sizeof *ja)))
            return 0;
        m->ja = ja;
        if (!(ar = realloc(m->ar, cap * sizeof *ar)))
            return 0;
        m->ar = ar;
        m->cap_el = cap;
    }
    m->nel++;
    m->ia[m->nel] = row;
    m->ja[m->nel] = colj;
    m->ar[m->nel] = v;
    return 1;
}

/* The core programme, in m->lp and m->cols. */
static hw_code build_core(mip *m, hw_err *e)
{
    const hw_solve_problem *p = m->p;
    size_t nf = m->nf, ncols = 0;
    int rows = (int)nf;

    for (size_t k = 0; k < m->ncore; k++)
        ncols += item_cols(m, m->core[k]);
    free(m->cols);
    free(m->x);
    m->nel = 0;
    if (!(m->cols = malloc((ncols + 1) * sizeof *m->cols)) ||
        !(m->x = malloc((ncols + 2) * sizeof *m->x)))
        return oom(e);
    m->lp = glp_create_prob();
    glp_set_obj_dir(m->lp, GLP_MAX);
    glp_add_rows(m->lp, (int)nf);
    for (size_t f = 0; f < nf; f++)
        glp_set_row_bnds(m->lp, (int)f + 1, GLP_UP, 0,
                         (double)m->left[f] / (double)(m->left[f] > 0 ? m->left[f] : 1));
    glp_add_cols(m->lp, (int)ncols);
    glp_set_obj_coef(m->lp, 0, (double)m->settled_value);
    m->ncols = 0;
    for (size_t k = 0; k < m->ncore; k++) {
        uint32_t i = m->core[k];
        const hw_solve_item *it = &p->items[i];
        int z = (int)++m->ncols;
        double forced[HW_SOLVE_MAX_FUNDS] = {0}, flexcost[HW_SOLVE_MAX_FUNDS] = {0};
        int caprow[HW_SOLVE_MAX_FUNDS] = {0};

        m->cols[z - 1] = (col){i, NONE, 0};
        m->zcol[k] = (uint32_t)z;
        glp_set_col_kind(m->lp, z, GLP_BV);
        glp_set_obj_coef(m->lp, z, (double)it->value);
        /* What each fund must or may pay of this item: a cap row where it could pass the cap. */
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            double c = (double)p->parts[g].cost_cents;

            if (popcount(m->core_allow[g]) == 1)
                forced[__builtin_ctzll(m->core_allow[g])] += c;
            else
                for (uint64_t s = m->core_allow[g]; s; s &= s - 1)
                    flexcost[__builtin_ctzll(s)] += c;
        }
        for (size_t f = 0; f < nf; f++) {
            if (m->cap[f] && flexcost[f] > 0 && forced[f] + flexcost[f] > (double)m->cap[f]) {
                caprow[f] = ++rows;
                glp_add_rows(m->lp, 1);
                glp_set_row_bnds(m->lp, rows, GLP_UP, 0, 0);
                if (forced[f] != (double)m->cap[f] &&
                    !put(m, rows, z, (forced[f] - (double)m->cap[f]) / (double)m->cap[f]))
                    return oom(e);
            }
            if (forced[f] > 0 &&
                !put(m, (int)f + 1, z, forced[f] / (double)(m->left[f] > 0 ? m->left[f] : 1)))
                return oom(e);
        }
        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
            double c = (double)p->parts[g].cost_cents;
            int row;

            m->xcol[g] = 0;
            if (popcount(m->core_allow[g]) == 1)
                continue;
            row = ++rows;
            glp_add_rows(m->lp, 1);
            glp_set_row_bnds(m->lp, row, GLP_FX, 0, 0);
            if (!put(m, row, z, -1))
                return oom(e);
            m->xcol[g] = (uint32_t)m->ncols + 1;
            for (uint64_t s = m->core_allow[g]; s; s &= s - 1) {
                int f = __builtin_ctzll(s), x = (int)++m->ncols;

                m->cols[x - 1] = (col){i, g, (uint8_t)f};
                glp_set_col_kind(m->lp, x, GLP_BV);
                /* No zero elements: a free part costs no fund anything. */
                if (!put(m, row, x, 1) ||
                    (c > 0 && !put(m, f + 1, x, c / (double)(m->left[f] > 0 ? m->left[f] : 1))) ||
                    (c > 0 && caprow[f] && !put(m, caprow[f], x, c / (double)m->cap[f])))
                    return oom(e);
            }
        }
    }
    glp_load_matrix(m->lp, (int)m->nel, m->ia, m->ja, m->ar);
    return HW_OK;
}

/*
 * Solve the core with GLPK for at most `seconds`, to within relative `gap`;
 * keep a better plan in r.  A whole core is searched best bound first, for
 * the proof; a neighbourhood best projection first, for good plans soon.  *core_bound gets the
 * core's proven bound (+inf when none, -inf when the core has no plan).
 */
static hw_code solve_core(mip *m, double seconds, double gap, int whole, double *core_bound,
                          hw_err *e)
{
    const hw_solve_problem *p = m->p;
    glp_smcp sm;
    glp_iocp io;
    int ret, status;
    double t_stop = fmin(m->t_end, hw__solve_now() + seconds);
    hw_code rc = HW_OK;

    *core_bound = m->ncore ? INFINITY : -INFINITY; /* an empty core: nothing can change */
    if (m->ncore == 0 || t_stop - hw__solve_now() < 0.05)
        return HW_OK;
    free(m->rk);
    if (!(m->rk = malloc(m->ncore * sizeof *m->rk))) {
        rc = oom(e);
        goto out;
    }
    if ((rc = build_core(m, e)))
        goto out;
    glp_scale_prob(m->lp, GLP_SF_AUTO);
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.presolve = GLP_OFF;
    sm.tm_lim = (int)fmin((t_stop - hw__solve_now()) * 1000, INT32_MAX);
    if (glp_simplex(m->lp, &sm) || glp_get_status(m->lp) != GLP_OPT)
        goto out; /* no LP optimum in time: r's plan stands, bound L */
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_OFF;
    io.presolve = GLP_OFF;
    io.br_tech = GLP_BR_DTH;
    io.bt_tech = whole ? GLP_BT_BLB : GLP_BT_BPH;
    io.mip_gap = gap;
    io.tm_lim = (int)fmin(fmax(t_stop - hw__solve_now(), 0.05) * 1000, INT32_MAX);
    io.cb_func = callback;
    io.cb_info = m;
    m->gl_bound = INFINITY;
    m->gave_start = 0;
    m->nodes_now = 0;
    ret = glp_intopt(m->lp, &io);
    m->nodes += m->nodes_now;
    status = glp_mip_status(m->lp);
    if (ret == 0 && status == GLP_OPT)
        *core_bound = glp_mip_obj_val(m->lp); /* the whole tree was searched */
    else if (ret == 0 && status == GLP_NOFEAS)
        *core_bound = -INFINITY;
    else
        *core_bound = m->gl_bound;
    if (status == GLP_OPT || status == GLP_FEAS) {
        /* GLPK's plan for the core, r's plan elsewhere; checked, repaired if need be. */
        memcpy(m->chosen, m->r->chosen, p->nitems);
        memcpy(m->pf, m->r->part_fund, p->nparts);
        for (size_t k = 0; k < m->ncore; k++) {
            uint32_t i = m->core[k];
            const hw_solve_item *it = &p->items[i];
            int paid = glp_mip_col_val(m->lp, (int)m->zcol[k]) > 0.5;

            m->chosen[i] = (unsigned char)paid;
            for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++) {
                double most = -1;

                m->pf[g] = HW_SOLVE_NO_FUND;
                if (!paid)
                    continue;
                if (!m->xcol[g]) {
                    m->pf[g] = (uint8_t)__builtin_ctzll(m->core_allow[g]);
                    continue;
                }
                for (uint32_t j = m->xcol[g]; j <= m->ncols && m->cols[j - 1].part == g; j++) {
                    double v = glp_mip_col_val(m->lp, (int)j);

                    if (v > most) {
                        most = v;
                        m->pf[g] = m->cols[j - 1].fund;
                    }
                }
            }
        }
        repair(m);
        rc = offer(m, e);
    }
out:
    if (m->lp)
        glp_delete_prob(m->lp);
    m->lp = NULL;
    return rc;
}

/* Floor of a bound from floating point, allowing for its rounding. */
static int64_t floor_bound(double b)
{
    if (b >= 0x1p62)
        return INT64_MAX / 2;
    if (b <= -0x1p62)
        return INT64_MIN / 2;
    return (int64_t)floor(b + 1e-6 + 1e-9 * fabs(b));
}

static void release(mip *m)
{
    free(m->allow);
    free(m->possible);
    free(m->cost);
    free(m->D);
    free(m->chosen);
    free(m->pf);
    free(m->vtmp);
    free(m->wtmp);
    free(m->byratio);
    free(m->byidx);
    free(m->scratch);
    free(m->in_core);
    free(m->core_allow);
    free(m->core);
    free(m->cands);
    free(m->cols);
    free(m->zcol);
    free(m->xcol);
    free(m->x);
    free(m->prefer);
    free(m->rk);
    free(m->ia);
    free(m->ja);
    free(m->ar);
}

hw_code hw__solve_mip(const hw_solve_problem *p, hw_solve_result *r, hw_err *e)
{
    mip *m = calloc(1, sizeof *m);
    size_t n = p->nitems + 1, np = p->nparts + 1;
    int term;
    hw_rng rng;
    hw_code rc = HW_OK;

    r->method = "mip";
    if (!m)
        return oom(e);
    m->p = p;
    m->r = r;
    m->nf = p->nfunds;
    m->t_end = hw__solve_now() + hw__solve_time_limit(p);
    for (size_t f = 0; f < m->nf; f++) {
        m->B[f] = p->budget_cents[f] < HW_SOLVE_MAX_TOTAL ? p->budget_cents[f] : HW_SOLVE_MAX_TOTAL;
        m->cap[f] = p->cap_cents ? p->cap_cents[f] : 0;
    }
    m->allow = malloc(np * sizeof *m->allow);
    m->possible = malloc(n);
    m->cost = malloc(n * sizeof *m->cost);
    m->D = malloc(n * sizeof *m->D);
    m->chosen = malloc(n);
    m->pf = malloc(np);
    m->vtmp = malloc(n * sizeof *m->vtmp);
    m->wtmp = malloc(n * sizeof *m->wtmp);
    m->byratio = malloc(n * sizeof *m->byratio);
    m->byidx = malloc(n * sizeof *m->byidx);
    m->scratch = malloc(n * sizeof *m->scratch);
    m->in_core = calloc(n, 1);
    m->core_allow = malloc(np * sizeof *m->core_allow);
    m->prefer = malloc(np * sizeof *m->prefer);
    m->core = malloc(n * sizeof *m->core);
    m->cands = malloc(n * sizeof *m->cands);
    m->zcol = malloc(n * sizeof *m->zcol);
    m->xcol = malloc(np * sizeof *m->xcol);
    if (!m->allow || !m->possible || !m->cost || !m->D || !m->chosen || !m->pf || !m->vtmp ||
        !m->wtmp || !m->byratio || !m->byidx || !m->scratch || !m->in_core || !m->core_allow ||
        !m->prefer || !m->core || !m->cands || !m->zcol || !m->xcol) {
        rc = oom(e);
        goto out;
    }
    narrow(m);
    for (size_t i = 0; i < p->nitems; i++)
        m->nposs += m->possible[i];
    if ((rc = pooled_price(m, e)))
        goto out;

    term = glp_term_out(GLP_OFF);
    glp_error_hook(on_glpk_error, m);
    if (setjmp(m->jb)) {
        /* GLPK failed inside; its memory went with glp_free_env(). */
        m->lp = NULL;
        glp_error_hook(NULL, NULL);
        glp_term_out(term);
        rc = hw_fail(e, HW_EBUG, NULL, "mip: GLPK stopped with an internal error");
        goto out;
    }
    find_prices(m, m->nposs < 200 ? 30 : PRICE_ROUNDS);
    exact_bound(m);
    m->bound = m->ub_lagr;
    if ((rc = priced_plan(m, e)) || (rc = surrogate(m, e)))
        goto unhook;
    hw_rng_seed(&rng, 0x686f6d65, p->nitems);
    for (int stale = 0;;) {
        int64_t lb = r->objective;
        double core_bound;
        int whole;

        if (lb >= m->bound || (p->gap > 0 && (double)(m->bound - lb) <= p->gap * (double)lb) ||
            ftime_left(m) < 0.05)
            break;
        if (classify(m)) {
            m->bound = lb; /* nothing can beat r's plan */
            break;
        }
        /*
         * All the candidates when GLPK can take them: at once if they are few,
         * else once neighbourhoods stop helping or half the time is gone.
         */
        whole = m->complete && ((m->ncand <= (size_t)(NEAR_ITEMS + FLEX_ITEMS) &&
                                 m->cand_cols <= NEAR_COLS + FLEX_COLS) ||
                                stale >= 4 || ftime_left(m) < 0.5 * hw__solve_time_limit(p));
        choose(m, &rng, whole);
        if (whole) {
            /* The core is all that can change: its bound is the whole's. */
            if ((rc = solve_core(m, ftime_left(m), p->gap, 1, &core_bound, e)))
                goto unhook;
            if (floor_bound(core_bound) < m->bound)
                m->bound = floor_bound(core_bound) > lb ? floor_bound(core_bound) : lb;
            break;
        }
        /* Too much can change: improve r's plan a neighbourhood at a time. */
        if ((rc = solve_core(m, NEAR_SECONDS, 0, 0, &core_bound, e)))
            goto unhook;
        stale = r->objective > lb ? 0 : stale + 1;
    }
    r->nodes = m->nodes;
    r->bound = m->bound > r->objective ? m->bound : r->objective;
    r->optimal = r->bound == r->objective;
unhook:
    glp_error_hook(NULL, NULL);
    glp_term_out(term);
out:
    release(m);
    free(m);
    return rc;
}
