/* SPDX-License-Identifier: MIT */
/*
 * Legal financial obligations of one case (costs, fines, fees, restitution)
 * and their ledgers: the assessment, then payments as the person's habits
 * allow, with the odd waiver or adjustment.  Amounts are whole cents; the
 * distributions are in docs/demo-data.md.
 */
#include "core/common.h"

#include <string.h>

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/rng.h"

#define MAX_LINES 64

enum { OB_FINE, OB_FEE, OB_COST, OB_RESTITUTION };
static const char *const kind_names[] = {"fine", "fee", "cost", "restitution"};

/* One ledger line before it is written. */
typedef struct line {
    int32_t day;
    uint8_t kind; /* 0 assessment, 1 payment, 2 adjustment, 3 waiver */
    int64_t cents;
    const char *memo;
} line;

static const char *const line_kinds[] = {"assessment", "payment", "adjustment", "waiver"};

/* How an obligation's balance is to end up. */
enum { END_FREE, END_PAID, END_SMALL };

static int64_t cents(hw_rng *r, double median_dollars, double sigma, int64_t max)
{
    double x = hw_rng_lognormal(r, median_dollars, sigma) * 100.0;
    int64_t c = (int64_t)x;

    if (c < 500)
        c = 500;
    if (c > max)
        c = max;
    /* Courts assess whole dollars, mostly. */
    return hw_rng_chance(r, 0.85) ? c - c % 100 : c;
}

static void sort_lines(line *l, int n)
{
    for (int i = 1; i < n; i++) {
        line tmp = l[i];
        int j = i;

        while (j > 0 && l[j - 1].day > tmp.day) {
            l[j] = l[j - 1];
            j--;
        }
        l[j] = tmp;
    }
}

static const char *pay_memo(hw_rng *r, bool ifrp)
{
    static const char *const memos[] = {"Payment, thank you", "Payment plan installment",
                                        "Online payment", "Payment at the clerk's window",
                                        "Money order received"};

    return ifrp ? "Inmate Financial Responsibility Program payment"
                : memos[hw_rng_below(r, HW_ARRAY_LEN(memos))];
}

/*
 * The lines of one obligation of `amount` cents imposed on `imposed`:
 * returns how many, in date order, the assessment first.
 */
static int plan_ledger(demo_gen *g, demo_person *p, const demo_case *c, int kind, int64_t amount,
                       int32_t imposed, int end, int64_t small, line *l)
{
    hw_rng *r = &p->r;
    int32_t t = g->as_of, first = imposed + (int32_t)hw_rng_range(r, 20, 60);
    bool inside = c->current && (p->status == ST_PRISON);
    int64_t left = amount, target = end == END_SMALL ? small : 0;
    int n = 0, payer = p->payer;

    l[n++] = (line){imposed, 0, amount, NULL};
    if (end != END_FREE)
        payer = PAY_REGULAR;
    if (first >= t)
        return n;
    if (inside && end == END_FREE) {
        /* In prison: federal prisoners often pay $25 a quarter through IFRP; others nothing. */
        if (c->juris == J_FED && hw_rng_chance(r, 0.4)) {
            int32_t day = demo_max(first, t - 3 * 365);

            for (; day < t && left > 0 && n < MAX_LINES - 2; day += 91) {
                int64_t pay = left < 2500 ? left : 2500;

                l[n++] = (line){day, 1, pay, pay_memo(r, true)};
                left -= pay;
            }
        }
        return n;
    }
    if (payer == PAY_REGULAR) {
        /* A plan of 6 to 30 months, paid monthly while it lasts. */
        int months = (int)hw_rng_range(r, 6, 30);
        int64_t each = (amount - target) / months;
        int32_t day = first;
        int lapse = end == END_FREE && hw_rng_chance(r, 0.4) ? (int)hw_rng_range(r, 2, 12) : 99;

        if (each < 1000)
            each = 1000;
        each -= each % 100;
        for (int i = 0; i < months + 1 && day < t && left > target && n < MAX_LINES - 2; i++) {
            int64_t pay = left - target < each ? left - target : each;

            if (i >= lapse)
                break; /* stopped paying */
            l[n++] = (line){day, 1, pay, pay_memo(r, false)};
            left -= pay;
            day = hw_date_add_months(first, i + 1) + (int32_t)hw_rng_range(r, -3, 3);
        }
        if (end != END_FREE && left > target && n < MAX_LINES - 2) {
            /* The rest in one go, so that the balance lands where the plan said. */
            l[n++] = (line){demo_min(t - 1, demo_max(first, day)), 1, left - target,
                            "Payment in full of the remaining balance"};
            left = target;
        }
    } else if (payer == PAY_SPORADIC) {
        int k = (int)hw_rng_poisson(r, 2.0);

        for (int i = 0; i < k && left > 0 && n < MAX_LINES - 2; i++) {
            int64_t pay = (int64_t)(amount * hw_rng_range(r, 2, 25) / 100);

            pay = pay < 1000 ? 1000 : pay - pay % 500;
            if (pay > left)
                pay = left;
            l[n++] = (line){(int32_t)hw_rng_range(r, first, t - 1), 1, pay, pay_memo(r, false)};
            left -= pay;
        }
    }
    /* Now and then a court waives what is left, or corrects the amount. */
    if (end == END_FREE && left > 0 && (kind == OB_FEE || kind == OB_COST) &&
        hw_rng_chance(r, p->income == 0 ? 0.15 : 0.05)) {
        int64_t w = hw_rng_chance(r, 0.5) ? left : left / 2;

        if (w > 0) {
            l[n++] =
                (line){(int32_t)hw_rng_range(r, first, t - 1), 3, w, "Waived: inability to pay"};
            left -= w;
        }
    }
    /* Older debts are often cleared at last: a tax refund intercepted, a family's help. */
    if (end == END_FREE && left > 0 && imposed < t - 5 * 365 && hw_rng_chance(r, 0.35)) {
        l[n++] = (line){(int32_t)hw_rng_range(r, imposed + 5 * 365, t - 1), 1, left,
                        "Balance paid in full"};
        left = 0;
    }
    if (end == END_FREE && hw_rng_chance(r, 0.04)) {
        int64_t a = 100 * hw_rng_range(r, 10, 150);

        if (hw_rng_chance(r, 0.6)) {
            if (a > left)
                a = left;
            if (a > 0)
                l[n++] =
                    (line){(int32_t)hw_rng_range(r, first, t - 1), 2, -a, "Costs recalculated"};
        } else {
            l[n++] = (line){(int32_t)hw_rng_range(r, first, t - 1), 2, a, "Late payment fee"};
        }
    }
    sort_lines(l + 1, n - 1);
    return n;
}

static hw_code emit_ledger(demo_gen *g, int64_t obligation, const line *l, int n, hw_err *e)
{
    for (int i = 0; i < n; i++) {
        hw_value *row = hw__demo_row(g, HW_K_LEDGER);
        int64_t id = g->last[HW_K_LEDGER] + 1;
        hw_code rc;

        dv_int(&row[L_OBLIGATION], obligation);
        dv_date(&row[L_DATE], l[i].day);
        dv_text(&row[L_KIND], line_kinds[l[i].kind]);
        dv_int(&row[L_AMOUNT], l[i].cents);
        if (l[i].kind == 1)
            dv_text(&row[L_REFERENCE],
                    hw__demo_fmt(g, "R%010lld", (long long)(id * 7919 % 9999999967)));
        dv_text(&row[L_MEMO], l[i].memo);
        rc = hw__demo_insert(g, HW_K_LEDGER, &id, e);
        if (rc)
            return rc;
    }
    return HW_OK;
}

static const char *payee(demo_gen *g, const demo_place *pl, const demo_case *c, int kind)
{
    if (c->juris == J_FED)
        return hw__demo_fmt(g, "Clerk, U.S. District Court for the %s", pl->district);
    if (c->juris == J_DC)
        return kind == OB_FEE ? "Crime Victims Compensation Program"
                              : "Superior Court of the District of Columbia, Finance Office";
    if (kind == OB_FEE && c->juris == J_GA)
        return "Georgia Department of Community Supervision";
    return hw__demo_fmt(g, "Clerk of Courts, %s County", pl->county);
}

static const char *describe(const demo_case *c, int kind, bool supervision_fee)
{
    static const char *const costs[J_COUNT] = {
        [J_FED] = "Court costs",
        [J_DC] = "Court costs",
        [J_PA] = "Court costs",
        [J_CA] = "Court operations and criminal conviction assessments",
        [J_GA] = "Court costs and surcharges",
        [J_MI] = "Court costs (MCL 769.1k)",
        [J_IL] = "Criminal assessments (Criminal and Traffic Assessment Act)",
    };

    switch (kind) {
    case OB_FINE:
        return "Fine";
    case OB_COST:
        return costs[c->juris];
    case OB_RESTITUTION:
        return "Restitution to the victim";
    default:
        if (c->juris == J_FED)
            return "Special assessment (18 USC 3013)";
        if (c->juris == J_DC)
            return "Victims of Violent Crime Compensation Act assessment";
        return supervision_fee ? "Supervision fees" : "Laboratory fee";
    }
}

static hw_code emit_obligation(demo_gen *g, demo_person *p, const demo_case *c, int64_t conv,
                               int kind, int64_t amount, bool supervision_fee, int end,
                               int64_t small, hw_err *e)
{
    hw_value *row = hw__demo_row(g, HW_K_OBLIGATIONS);
    const demo_place *pl =
        c->juris == p->state || c->juris == J_FED ? p->place : hw__demo_pick_place(&p->r, c->juris);
    line l[MAX_LINES];
    int64_t id;
    int n;
    hw_code rc;

    dv_int(&row[B_PERSON], p->id);
    if (conv)
        dv_int(&row[B_CONVICTION], conv);
    dv_text(&row[B_KIND], kind_names[kind]);
    dv_text(&row[B_DESC], describe(c, kind, supervision_fee));
    dv_text(&row[B_PAYEE], payee(g, pl, c, kind));
    dv_text(&row[B_JURIS], hw__demo_juris_codes[c->juris]);
    dv_date(&row[B_IMPOSED], c->imposed);
    rc = hw__demo_insert(g, HW_K_OBLIGATIONS, &id, e);
    if (rc)
        return rc;
    n = plan_ledger(g, p, c, kind, amount, c->imposed, end, small, l);
    return emit_ledger(g, id, l, n, e);
}

/* Costs by state, as medians in dollars (assumptions; see docs/demo-data.md). */
static const double cost_median[J_COUNT] = {
    [J_FED] = 0, [J_DC] = 0, [J_PA] = 1000, [J_CA] = 600, [J_GA] = 700, [J_MI] = 800, [J_IL] = 900,
};

hw_code hw__demo_emit_money(demo_gen *g, demo_person *p, demo_case *c, int64_t conv, hw_err *e)
{
    hw_rng *r = &p->r;
    const demo_offense *o = c->lead;
    bool felony = o->cls == CL_FELONY, supervised = c->sup != SUP_NONE;
    int end = c->restitution_paid || c->settle ? END_PAID : END_FREE;
    /* When a small restitution balance is to be the only barrier, the rest is paid. */
    int rest = c->small_restitution || c->settle ? END_PAID : END_FREE;
    hw_code rc = HW_OK;

    /* Records older than fifteen years rarely carry a live ledger. */
    if (!conv || c->imposed < g->as_of - 15 * 365)
        return HW_OK;
    if (c->fees_only) {
        rc = emit_obligation(g, p, c, conv, OB_COST, 100 * hw_rng_range(r, 150, 450), false,
                             END_FREE, 0, e);
        /* California repealed its supervision fees in 2021: a small fine there instead. */
        if (!rc)
            rc = emit_obligation(g, p, c, conv, c->juris == J_CA ? OB_FINE : OB_FEE,
                                 100 * hw_rng_range(r, 40, 200), true, END_FREE, 0, e);
        return rc;
    }
    if (c->juris == J_FED || c->juris == J_DC) {
        /* $100 per felony count, $25 per class A misdemeanor (18 USC 3013). */
        int64_t sa = (felony ? 10000 : 2500) * c->ncounts;

        if (c->juris == J_DC)
            sa = felony ? 100 * hw_rng_range(r, 100, 5000) : 100 * hw_rng_range(r, 50, 250);
        rc = emit_obligation(g, p, c, conv, OB_FEE, sa, false, rest, 0, e);
    } else if (hw_rng_chance(r, 0.9)) {
        rc = emit_obligation(g, p, c, conv, OB_COST, cents(r, cost_median[c->juris], 0.5, 2000000),
                             false, rest, 0, e);
    }
    if (!rc && hw_rng_chance(r, c->stype == S_FINE  ? 1.0
                                : c->juris == J_FED ? 0.1
                                : felony            ? 0.25
                                                    : 0.45))
        rc = emit_obligation(g, p, c, conv, OB_FINE,
                             cents(r,
                                   c->juris == J_FED ? 3000
                                   : felony          ? 1000
                                                     : 300,
                                   c->juris == J_FED ? 1.2 : 0.8, 100000000),
                             false, rest, 0, e);
    /*
     * Supervision fees where the state still charges them (California repealed its own in
     * 2021); laboratory fees in drug cases.
     */
    if (!rc && supervised && c->juris >= J_PA &&
        !(c->juris == J_CA && c->sup_start >= hw_date_from_ymd(2021, 7, 1)) &&
        hw_rng_chance(r, 0.6))
        rc = emit_obligation(g, p, c, conv, OB_FEE,
                             100 * hw_rng_range(r, 20, 50) *
                                 (c->term > 0 && c->term < 36 ? c->term : 36),
                             true, rest, 0, e);
    else if (!rc && o->drug != D_NONE && c->juris >= J_PA && hw_rng_chance(r, 0.3))
        rc = emit_obligation(g, p, c, conv, OB_FEE, 100 * hw_rng_range(r, 100, 300), false, rest, 0,
                             e);
    if (!rc) {
        double pr = (o->flags & OF_FRAUD)      ? 0.8
                    : (o->flags & OF_PROPERTY) ? 0.55
                    : (o->flags & OF_VIOLENT)  ? 0.25
                                               : 0.02;

        if (c->small_restitution || c->restitution_paid || c->restitution_owed ||
            hw_rng_chance(r, pr)) {
            double median = (o->flags & OF_FRAUD) ? (c->juris == J_FED ? 60000 : 8000) : 1500;
            int64_t amount = cents(r, median, (o->flags & OF_FRAUD) ? 1.4 : 1.3, 500000000);

            if (c->small_restitution) {
                end = END_SMALL;
                if (amount < c->small_restitution * 2)
                    amount = c->small_restitution * 2 + 100 * hw_rng_range(r, 100, 2000);
            }
            if (c->restitution_owed) {
                end = END_SMALL; /* paid down, far from paid off */
                c->small_restitution = amount * (int64_t)hw_rng_range(r, 40, 80) / 100;
            }
            rc = emit_obligation(g, p, c, conv, OB_RESTITUTION, amount, false, end,
                                 c->small_restitution, e);
        }
    }
    return rc;
}
