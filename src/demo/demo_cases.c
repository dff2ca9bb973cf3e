/* SPDX-License-Identifier: MIT */
/*
 * Planning a person's cases: first the case behind their status on the
 * as-of date (probation, parole, supervised release, prison, or a finished
 * sentence), then earlier cases walking back in time until their
 * eighteenth birthday, so that dates never overlap in impossible ways.
 * Nothing is written here; demo_emit.c turns the plan into rows.
 */
#include "core/common.h"

#include <math.h>
#include <string.h>

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/rng.h"

#define MONTH_DAYS 30.44

static int32_t months_to_days(double m)
{
    return (int32_t)(m * MONTH_DAYS + 0.5);
}

/* A weighted table of whole months. */
typedef struct months_w {
    int16_t months;
    int16_t weight;
} months_w;

static int pick_months(hw_rng *r, const months_w *t, size_t n)
{
    double w[12];

    assert(n <= HW_ARRAY_LEN(w));
    for (size_t i = 0; i < n; i++)
        w[i] = t[i].weight;
    return t[hw_rng_pick(r, w, (unsigned)n)].months;
}

#define PICK_MONTHS(r, t) pick_months(r, t, HW_ARRAY_LEN(t))

/*
 * Probation terms imposed, by jurisdiction and class (assumptions, shaped by
 * each state's limits: California's AB 1950 caps of 24 months for felonies
 * and 12 for misdemeanors from 2021; Michigan's 3 years (5 violent) and 2
 * from 2021-04-01).
 */
static const months_w prob_fed_f[] = {{12, 10}, {24, 25}, {36, 35}, {48, 10}, {60, 20}};
static const months_w prob_fed_m[] = {{6, 15}, {12, 55}, {24, 25}, {36, 5}};
static const months_w prob_pa_f[] = {{24, 10}, {36, 20}, {48, 15}, {60, 25}, {84, 15}, {120, 15}};
static const months_w prob_pa_m[] = {{6, 10}, {12, 30}, {24, 40}, {36, 12}, {60, 8}};
static const months_w prob_ca_f_old[] = {{36, 45}, {48, 10}, {60, 45}};
static const months_w prob_ca_m_old[] = {{12, 10}, {24, 10}, {36, 65}, {60, 15}};
static const months_w prob_ca_f_new[] = {{24, 85}, {36, 10}, {60, 5}};
static const months_w prob_ca_m_new[] = {{12, 85}, {24, 5}, {36, 10}};
static const months_w prob_ga_f[] = {{36, 15}, {48, 15}, {60, 35}, {84, 15}, {120, 20}};
static const months_w prob_ga_m[] = {{12, 100}};
static const months_w prob_mi_f_old[] = {{24, 30}, {36, 40}, {60, 30}};
static const months_w prob_mi_m_old[] = {{12, 40}, {24, 60}};
static const months_w prob_mi_f_new[] = {{18, 10}, {24, 30}, {36, 55}, {60, 5}};
static const months_w prob_mi_m_new[] = {{6, 10}, {12, 45}, {24, 45}};
static const months_w prob_il_f[] = {{24, 30}, {30, 40}, {36, 20}, {48, 10}};
static const months_w prob_il_m[] = {{12, 50}, {18, 20}, {24, 30}};
static const months_w prob_dc_f[] = {{12, 20}, {24, 30}, {36, 35}, {60, 15}};
static const months_w prob_dc_m[] = {{6, 20}, {12, 50}, {24, 30}};

static int probation_term(hw_rng *r, int juris, bool felony, int32_t start)
{
    bool ca_new = start >= hw_date_from_ymd(2021, 1, 1);
    bool mi_new = start >= hw_date_from_ymd(2021, 4, 1);

    switch (juris) {
    case J_FED:
        return felony ? PICK_MONTHS(r, prob_fed_f) : PICK_MONTHS(r, prob_fed_m);
    case J_DC:
        return felony ? PICK_MONTHS(r, prob_dc_f) : PICK_MONTHS(r, prob_dc_m);
    case J_PA:
        return felony ? PICK_MONTHS(r, prob_pa_f) : PICK_MONTHS(r, prob_pa_m);
    case J_CA:
        if (ca_new)
            return felony ? PICK_MONTHS(r, prob_ca_f_new) : PICK_MONTHS(r, prob_ca_m_new);
        return felony ? PICK_MONTHS(r, prob_ca_f_old) : PICK_MONTHS(r, prob_ca_m_old);
    case J_GA:
        return felony ? PICK_MONTHS(r, prob_ga_f) : PICK_MONTHS(r, prob_ga_m);
    case J_MI:
        if (mi_new)
            return felony ? PICK_MONTHS(r, prob_mi_f_new) : PICK_MONTHS(r, prob_mi_m_new);
        return felony ? PICK_MONTHS(r, prob_mi_f_old) : PICK_MONTHS(r, prob_mi_m_old);
    default:
        return felony ? PICK_MONTHS(r, prob_il_f) : PICK_MONTHS(r, prob_il_m);
    }
}

/* Custody terms in months (the maximum, for indeterminate sentences); -1 is life. */
static int custody_term(hw_rng *r, const demo_offense *o, bool fed)
{
    static const double median[] = {9, 30, 66, 130};
    double m = hw_rng_lognormal(r, median[o->sev], 0.55);
    int t;

    if (o->sev == 3 && (o->flags & OF_VIOLENT) && strstr(o->desc, "urder") && hw_rng_chance(r, 0.4))
        return -1;
    if (o->sev == 3 && (o->drug != D_NONE || (o->flags & OF_VIOLENT)) &&
        hw_rng_chance(r, fed ? 0.08 : 0.05))
        return -1;
    if (!fed)
        m *= 1.1; /* state maximums run longer than time actually served */
    t = (int)m;
    /* Mandatory minimums: 841(b)(1)(A) 10 years, (B) 5 years, 924(c) 5 years. */
    if (strstr(o->statute, "(b)(1)(A)") && t < 120)
        t = 120 + (int)hw_rng_below(r, 60);
    else if (strstr(o->statute, "(b)(1)(B)") && t < 60)
        t = 60 + (int)hw_rng_below(r, 40);
    else if (strstr(o->statute, "924(c)") && t < 60)
        t = 60 + (int)hw_rng_below(r, 60);
    return t < 3 ? 3 : t > 600 ? 600 : t;
}

/* Supervised release terms by the offense (statutory minimums for 841(b)(1)(A) and (B)). */
static int sr_term(hw_rng *r, const demo_offense *o)
{
    static const months_w any[] = {{12, 6}, {24, 14}, {36, 45}, {48, 8}, {60, 22}, {120, 5}};

    if (strstr(o->statute, "(b)(1)(A)"))
        return hw_rng_chance(r, 0.85) ? 60 : 120;
    if (strstr(o->statute, "(b)(1)(B)"))
        return hw_rng_chance(r, 0.8) ? 48 : 60;
    if (o->flags & OF_SEX)
        return hw_rng_chance(r, 0.5) ? 120 : 240;
    return PICK_MONTHS(r, any);
}

/* Days from offense to disposition: a few weeks to a few years. */
static int32_t processing_days(hw_rng *r, bool fed)
{
    double d = hw_rng_lognormal(r, fed ? 300 : 140, 0.7);

    return (int32_t)(d < 14 ? 14 : d > 1200 ? 1200 : d);
}

static int pick_disp(hw_rng *r, int juris, bool first)
{
    /* USSC: about 97% of federal convictions are pleas; states are close behind. */
    double w[] = {[DI_PLEA] = 88, [DI_VERDICT] = 3, [DI_NOLO] = 4, [DI_DEFERRED] = 5};

    if (juris == J_FED) {
        w[DI_NOLO] = 0.3;
        w[DI_DEFERRED] = 0;
    }
    if (juris == J_GA && first)
        w[DI_DEFERRED] = 30; /* first offender treatment */
    return (int)hw_rng_pick(r, w, HW_ARRAY_LEN(w));
}

static void set_dates_back(hw_rng *r, demo_case *c, int32_t imposed)
{
    bool fed = c->juris == J_FED;

    c->imposed = imposed;
    c->disposition = imposed;
    if (fed)
        c->disposition -= (int32_t)hw_rng_range(r, 45, 120); /* plea, then sentencing */
    else if (hw_rng_chance(r, 0.4))
        c->disposition -= (int32_t)hw_rng_range(r, 1, 75);
    c->offense = c->disposition - processing_days(r, fed);
}

static int8_t pick_risk(hw_rng *r)
{
    static const double w[] = {25, 35, 25, 15}; /* BOP PATTERN levels, assumed shares */

    return (int8_t)hw_rng_pick(r, w, 4);
}

static int8_t near_risk(hw_rng *r, int8_t risk)
{
    int x = risk;

    if (hw_rng_chance(r, 0.35))
        x += hw_rng_chance(r, 0.5) ? 1 : -1;
    return (int8_t)(x < R_MINIMUM ? R_MINIMUM : x > R_HIGH ? R_HIGH : x);
}

/* Days of FSA programming in earning status between start and end. */
static int16_t programming(hw_rng *r, int32_t start, int32_t end, bool steady)
{
    int32_t from = demo_max(start, hw_date_from_ymd(2018, 12, 21));
    double share =
        steady ? demo_pct(r, 85, 100) : (hw_rng_chance(r, 0.35) ? 0 : demo_pct(r, 20, 100));
    double days = end > from ? (end - from) * share : 0;

    return (int16_t)(days > 36500 ? 36500 : days);
}

/* An offense for this person: immigration offenses only for people who are not citizens. */
static const demo_offense *pick_for(demo_person *p, int juris, int ctx, int year)
{
    const demo_offense *o = NULL;

    for (int tries = 0; tries < 8; tries++) {
        o = hw__demo_pick_offense(&p->r, (uint8_t)juris, ctx, year);
        if (!(o->flags & OF_IMMIG) || (p->cit != CIT_US && p->cit != CIT_LPR))
            break;
    }
    return o;
}

static const demo_offense *lead_offense(demo_person *p, int juris, int ctx, int32_t when)
{
    const demo_hint *h = demo_current_hint(p);

    if (h && h->statute) {
        const demo_offense *o = hw__demo_find_offense(h->statute, h->drug ? h->drug - 1 : -1,
                                                      h->flags & HF_FAMILY, h->flags & HF_MISD);

        assert(o);
        if (o)
            return o;
    }
    return pick_for(p, juris, ctx, hw__demo_year(when));
}

static int32_t hint_anchor(demo_gen *g, const demo_hint *h)
{
    if (!h || h->kind != H_CURRENT || (!h->start_months && !h->start_days))
        return DEMO_NO_DATE;
    return hw_date_add_months(g->as_of, -h->start_months) - h->start_days;
}

static void init_case(demo_case *c, const demo_offense *o, int juris)
{
    memset(c, 0, sizeof(*c));
    c->offense = c->disposition = c->imposed = c->start = DEMO_NO_DATE;
    c->projected = c->release = DEMO_NO_DATE;
    c->sup_start = c->sup_sched_end = c->sup_end = DEMO_NO_DATE;
    c->ret_date = c->ret_release = DEMO_NO_DATE;
    c->lead = o;
    c->juris = (uint8_t)juris;
    c->ncounts = 0; /* drawn in finish_case() unless set */
    c->sup = SUP_NONE;
    c->drug = D_NONE; /* resolved in finish_case() */
    c->risk = c->prior_risk = R_NONE;
}

static void plan_probation(demo_gen *g, demo_person *p, demo_case *c)
{
    const demo_hint *h = demo_current_hint(p);
    int32_t t = g->as_of, anchor = hint_anchor(g, h);
    const demo_offense *o = lead_offense(p, p->juris, CTX_PROBATION, t - 365);
    bool felony = o->cls == CL_FELONY;
    double u = hw_rng_unit(&p->r) * 1.08; /* share of the term served; a few run over */
    int term;

    init_case(c, o, p->juris);
    /* The 2021 caps (California, Michigan) go by the start date: draw, then check the era. */
    term = probation_term(&p->r, p->juris, felony, t);
    if ((p->juris == J_CA || p->juris == J_MI) &&
        t - months_to_days(u * term) < hw_date_from_ymd(2021, 4, 1))
        term = probation_term(&p->r, p->juris, felony, t - months_to_days(u * term));
    if (h && h->term > 0)
        term = h->term;
    c->sup_start =
        demo_has(anchor) ? anchor : t - months_to_days(u * term) - (int32_t)hw_rng_below(&p->r, 3);
    c->term = (int16_t)term;
    c->sup = SUP_PROBATION;
    c->sup_sched_end = hw_date_add_months(c->sup_start, term);
    c->sup_status = SS_ACTIVE;
    if (!h) {
        double x = hw_rng_unit(&p->r);

        if (x < 0.02)
            c->sup_status = SS_TOLLED;
        else if (x < 0.045)
            c->sup_status = SS_ABSCONDED;
    }
    /* Mostly straight probation; some serve a short jail term first (a split sentence). */
    {
        double x = hw_rng_unit(&p->r);

        c->stype = S_PROBATION;
        c->start = c->sup_start;
        if (x < 0.14 && !h) {
            c->stype = S_SPLIT;
            c->start = c->sup_start - (int32_t)hw_rng_range(&p->r, 30, 180);
            c->release = c->sup_start;
        } else if (x < 0.18) {
            c->stype = S_SUSPENDED;
        }
    }
    set_dates_back(&p->r, c, c->start);
}

static void plan_parole(demo_gen *g, demo_person *p, demo_case *c, bool fed_style)
{
    const demo_hint *h = demo_current_hint(p);
    int32_t t = g->as_of, anchor = hint_anchor(g, h);
    const demo_offense *o = lead_offense(p, p->juris, CTX_CUSTODY, t - 1500);
    bool fed = p->juris == J_FED;
    int term, sup_len;
    int32_t served;

    init_case(c, o, p->juris);
    term = h && h->term > 0 ? h->term : custody_term(&p->r, o, fed);
    if (term < 0)
        term = 480; /* a parolee's sentence has an end */
    if (fed_style) {
        /* Federal: 54 days of good conduct time a year leave about 87% to serve. */
        served = months_to_days(term * 0.87);
        sup_len = h && h->sup_term ? h->sup_term : sr_term(&p->r, o);
        c->sup = SUP_SR;
    } else {
        served = months_to_days(term * demo_pct(&p->r, 45, 85));
        sup_len = term - (int)(served / MONTH_DAYS);
        if (h && h->sup_term)
            sup_len = h->sup_term;
        c->sup = SUP_PAROLE;
    }
    if (sup_len < 6)
        sup_len = 6;
    c->credits = (int16_t)(hw_rng_chance(&p->r, 0.5) ? hw_rng_range(&p->r, 10, 400) : 0);
    c->sup_start = demo_has(anchor)
                       ? anchor
                       : t - months_to_days(hw_rng_unit(&p->r) * (sup_len < 72 ? sup_len : 72));
    c->release = c->projected = c->sup_start;
    if (fed && c->sup_start >= hw_date_from_ymd(2020, 1, 15) && hw_rng_chance(&p->r, 0.2)) {
        c->fsa_release = true; /* earned time credits moved release up to a year earlier */
        served -= (int32_t)hw_rng_range(&p->r, 60, 365);
    }
    served -= c->credits;
    if (served < 60)
        served = 60;
    c->start = c->sup_start - served;
    c->stype = S_PRISON;
    c->term = (int16_t)term;
    if (h && h->offense_ymd) {
        /* The offense is fixed: the sentence began after it, however long ago. */
        c->offense = hw__demo_ymd(h->offense_ymd);
        c->disposition = c->imposed = c->offense + processing_days(&p->r, fed);
        c->start = demo_min(c->imposed, c->sup_start - 30);
    } else {
        set_dates_back(&p->r, c, c->start);
    }
    if (fed) {
        c->risk = pick_risk(&p->r);
        c->prior_risk = near_risk(&p->r, c->risk);
        c->programming = programming(&p->r, c->start, c->release, false);
    }
    c->sup_sched_end = hw_date_add_months(c->sup_start, sup_len);
    c->sup_status = SS_ACTIVE;
    /* A quarter to a third of parolees go back inside within three years; most come out again. */
    if (c->sup == SUP_PAROLE) {
        double p_ret = 0.33 * demo_min(t - c->sup_start, 1095) / 1095.0;

        if ((h && (h->flags & HF_RETURNED)) || (!h && hw_rng_chance(&p->r, p_ret))) {
            int32_t lo = c->sup_start + 45, hi = t - 40;
            int32_t stay = (int32_t)hw_rng_range(&p->r, 14, 180);

            if (hi - stay > lo) {
                c->ret_date = (int32_t)hw_rng_range(&p->r, lo, hi - stay);
                c->ret_release = c->ret_date + stay;
                c->ret_new_offense = hw_rng_chance(&p->r, 0.3);
                if (h)
                    c->ret_new_offense = false;
            }
        }
    }
}

static void plan_prison(demo_gen *g, demo_person *p, demo_case *c)
{
    const demo_hint *h = demo_current_hint(p);
    int32_t t = g->as_of;
    const demo_offense *o = lead_offense(p, p->juris, CTX_CUSTODY, t - 1500);
    bool fed = p->juris == J_FED || p->juris == J_DC;
    int term;
    double expected;

    init_case(c, o, p->juris);
    c->stype = S_PRISON;
    term = h && h->term ? h->term : custody_term(&p->r, o, p->juris == J_FED);
    c->term = (int16_t)term;
    expected = term < 0 ? 0 : months_to_days(term * (fed ? 0.87 : demo_pct(&p->r, 50, 85)));
    if (h && h->offense_ymd) {
        c->offense = hw__demo_ymd(h->offense_ymd);
        c->disposition = c->offense + processing_days(&p->r, fed);
        c->imposed = c->disposition + (fed ? (int32_t)hw_rng_range(&p->r, 45, 120) : 0);
        c->start = c->imposed;
    } else {
        double served = term < 0 ? (double)hw_rng_range(&p->r, 365, 30 * 365)
                                 : expected * demo_pct(&p->r, 2, 96);

        if (served > 35 * 365)
            served = 35 * 365 - (double)hw_rng_below(&p->r, 5 * 365);

        c->start = t - (int32_t)served - 7;
        set_dates_back(&p->r, c, c->start);
    }
    c->credits = (int16_t)(hw_rng_chance(&p->r, 0.5) ? hw_rng_range(&p->r, 10, 400) : 0);
    if (term >= 0) {
        c->projected = c->start + (int32_t)expected - c->credits;
        if (c->projected <= t)
            c->projected = t + (int32_t)hw_rng_range(&p->r, 14, 400);
    }
    if (p->juris == J_FED || hw_rng_chance(&p->r, 0.6)) {
        bool low = h && (h->flags & HF_LOW_RISK);

        c->risk = low ? R_LOW : pick_risk(&p->r);
        c->prior_risk =
            low ? (hw_rng_chance(&p->r, 0.5) ? R_LOW : R_MINIMUM) : near_risk(&p->r, c->risk);
    }
    if (p->juris == J_FED)
        c->programming = programming(&p->r, c->start, t, h && (h->flags & HF_LOW_RISK));
    /*
     * Some state prisoners are back for breaking parole on an earlier release of this
     * same sentence: released, supervised, revoked, returned.
     */
    if (!h && !fed && term > 24 && hw_rng_chance(&p->r, 0.2)) {
        int32_t first = c->start + (int32_t)(expected * 0.6), back;

        if (first < t - 120) {
            back = (int32_t)hw_rng_range(&p->r, first + 60, t - 30);
            c->release = DEMO_NO_DATE;
            c->sup = SUP_PAROLE;
            c->sup_start = first;
            c->sup_sched_end = c->start + months_to_days(term);
            c->sup_end = back;
            c->sup_status = SS_REVOKED;
            c->ret_date = back;
            c->ret_new_offense = hw_rng_chance(&p->r, 0.35);
            if (c->projected <= back)
                c->projected = t + (int32_t)hw_rng_range(&p->r, 30, 700);
        }
    }
}

/*
 * A finished case, ending on `end` (backwards from there).  Used for earlier
 * cases and for people whose record is all in the past.  Returns false when
 * the case would begin before `floor`.
 */
static bool plan_finished(demo_gen *g, demo_person *p, demo_case *c, const demo_offense *o,
                          int juris, int32_t end, int32_t floor)
{
    static const double felony_w[] = {[S_PRISON] = 30, [S_JAIL] = 10,     [S_PROBATION] = 40,
                                      [S_SPLIT] = 12,  [S_SUSPENDED] = 4, [S_FINE] = 4};
    static const double misd_w[] = {
        [S_PRISON] = 0,    [S_JAIL] = 22, [S_PROBATION] = 35, [S_SPLIT] = 0,
        [S_SUSPENDED] = 5, [S_FINE] = 28, [S_SERVED] = 10};
    static const double petty_w[] = {[S_FINE] = 90, [S_SERVED] = 10};
    hw_rng *r = &p->r;
    bool fed = juris == J_FED;
    int32_t t = g->as_of;

    init_case(c, o, juris);
    if (o->cls == CL_FELONY)
        c->stype = (uint8_t)hw_rng_pick(r, felony_w, HW_ARRAY_LEN(felony_w));
    else if (o->cls == CL_MISD)
        c->stype = (uint8_t)hw_rng_pick(r, misd_w, HW_ARRAY_LEN(misd_w));
    else
        c->stype = (uint8_t)hw_rng_pick(r, petty_w, HW_ARRAY_LEN(petty_w));

    switch (c->stype) {
    case S_PRISON: {
        int term = custody_term(r, o, fed);
        int32_t served;

        if (term < 0)
            term = 360;
        c->term = (int16_t)term;
        served = months_to_days(term * (fed ? 0.87 : demo_pct(r, 50, 90)));
        if (hw_rng_chance(r, fed || juris == J_DC ? 0.9 : 0.6)) {
            int len = fed || juris == J_DC ? sr_term(r, o) : term - (int)(served / MONTH_DAYS);

            if (len < 6)
                len = 6;
            c->sup = fed || juris == J_DC ? SUP_SR : SUP_PAROLE;
            c->sup_end = end;
            c->sup_start = end - months_to_days(len);
            c->sup_sched_end = hw_date_add_months(c->sup_start, len);
            c->release = c->projected = c->sup_start;
        } else {
            c->release = c->projected = end;
        }
        c->start = c->release - served;
        if (fed) {
            c->risk = pick_risk(r);
            c->prior_risk = near_risk(r, c->risk);
            c->programming = programming(r, c->start, c->release, false);
        }
        break;
    }
    case S_JAIL:
    case S_SERVED:
        c->release = end;
        c->start = end - (int32_t)hw_rng_range(r, c->stype == S_JAIL ? 5 : 1,
                                               c->stype == S_JAIL ? 360 : 30);
        c->term = (int16_t)((c->release - c->start) / 30);
        break;
    case S_PROBATION:
    case S_SPLIT:
    case S_SUSPENDED: {
        int term = probation_term(r, juris, o->cls == CL_FELONY, end - 700);

        c->term = (int16_t)term;
        c->sup = SUP_PROBATION;
        c->sup_end = end;
        c->sup_start = hw_date_add_months(end, -term);
        c->sup_sched_end = end;
        c->start = c->sup_start;
        if (c->stype == S_SPLIT) {
            c->start = c->sup_start - (int32_t)hw_rng_range(r, 14, 180);
            c->release = c->sup_start;
        }
        break;
    }
    default: /* a fine only */
        c->start = end;
        break;
    }
    if (c->sup != SUP_NONE) {
        /* How earlier terms ended: mostly completed, some early, some revoked. */
        double x = hw_rng_unit(r);

        if (c->sup == SUP_PROBATION)
            c->sup_status = x < 0.70 ? SS_COMPLETED : x < 0.82 ? SS_EARLY : SS_REVOKED;
        else
            c->sup_status = x < 0.64 ? SS_COMPLETED : x < 0.72 ? SS_EARLY : SS_REVOKED;
        if (c->sup_status == SS_EARLY) {
            c->sup_end = c->sup_start + (c->sup_end - c->sup_start) * 6 / 10;
            c->sup_sched_end = demo_max(c->sup_sched_end, c->sup_end);
        } else if (c->sup_status == SS_REVOKED) {
            c->sup_end =
                c->sup_start + (int32_t)((c->sup_end - c->sup_start) * demo_pct(r, 15, 90));
            /* Back inside after parole or supervised release, out again by `end`. */
            if (c->sup != SUP_PROBATION && c->sup_end < end) {
                c->ret_date = c->sup_end;
                c->ret_release = end;
                c->ret_new_offense = hw_rng_chance(r, 0.3);
            }
        }
        if (c->sup_sched_end < c->sup_start)
            c->sup_sched_end = c->sup_start;
    }
    set_dates_back(r, c, c->start);
    assert(c->sup_end <= t && c->release <= t);
    HW_UNUSED(t);
    return c->offense >= floor;
}

/* The person's status now: which planner, and the home jurisdiction's style. */
static void plan_current(demo_gen *g, demo_person *p, demo_case *c)
{
    switch (p->status) {
    case ST_PROBATION:
        plan_probation(g, p, c);
        break;
    case ST_PAROLE:
        plan_parole(g, p, c, false);
        break;
    case ST_SR:
        plan_parole(g, p, c, true);
        break;
    case ST_PRISON:
        plan_prison(g, p, c);
        break;
    default: {
        double back = hw_rng_lognormal(&p->r, 3 * 365, 0.9);
        int32_t end = g->as_of - (int32_t)(back < 20 ? 20 : back > 25 * 365 ? 25 * 365 : back);
        const demo_offense *o = lead_offense(p, p->juris, CTX_PRIOR, end - 700);

        plan_finished(g, p, c, o, p->juris, end, INT32_MIN);
        break;
    }
    }
    c->current = true;
}

/* Earlier cases mostly come from the home state; federal people also have state records. */
static int prior_juris(demo_person *p)
{
    double x = hw_rng_unit(&p->r);

    switch (p->juris) {
    case J_FED:
        return x < 0.65 ? p->state : J_FED;
    case J_DC:
        return x < 0.9 ? J_DC : J_FED;
    default:
        return x < 0.95 ? p->juris : J_FED;
    }
}

/* Move every date of a case by `delta` days. */
static void shift_case(demo_case *c, int32_t delta)
{
    int32_t *dates[] = {&c->offense,   &c->disposition, &c->imposed,    &c->start,
                        &c->projected, &c->release,     &c->sup_start,  &c->sup_sched_end,
                        &c->sup_end,   &c->ret_date,    &c->ret_release};

    for (size_t i = 0; i < HW_ARRAY_LEN(dates); i++)
        if (demo_has(*dates[i]))
            *dates[i] += delta;
}

static void plan_extra(demo_gen *g, demo_person *p, demo_case *c)
{
    const demo_hint *h = p->hint;
    int drug = h->drug ? h->drug - 1 : -1;
    const demo_offense *o = hw__demo_find_offense(h->statute, drug, false, false);
    int32_t offense = hw__demo_ymd(h->offense_ymd);

    assert(o);
    if (!o)
        return;
    /* Plan it anywhere, then move it so that the offense falls on the fixed day. */
    plan_finished(g, p, c, o, o->juris, g->as_of - 30, INT32_MIN);
    shift_case(c, offense - c->offense);
    if (demo_max(c->sup_end, demo_max(c->release, c->start)) > g->as_of - 30) {
        /* Too long to be over by as-of: a fine, decided soon after the offense. */
        init_case(c, o, o->juris);
        c->stype = S_FINE;
        c->offense = offense;
        c->disposition = c->imposed = c->start = offense + (int32_t)hw_rng_range(&p->r, 30, 300);
    }
    hw__demo_drug_facts(&p->r, o, c->offense, c);
    c->ncounts = 1; /* the one count the hint is about */
    if (drug >= 0)
        c->drug = (int8_t)drug;
    if (h->qty_mg)
        c->qty_mg = h->qty_mg;
    if (h->plants)
        c->plants = h->plants;
}

/* Counts in a case besides the lead: most cases have one, a few have several. */
static uint8_t extra_counts(hw_rng *r, const demo_offense *o)
{
    static const double w[] = {56, 26, 11, 3, 2, 2};

    return (uint8_t)(1 + (o->sev == 0 ? hw_rng_pick(r, w, 3) : hw_rng_pick(r, w, 6)));
}

static void finish_case(demo_person *p, demo_case *c, bool first)
{
    const demo_hint *h = c->current ? demo_current_hint(p) : NULL;

    if (c->lead->drug != D_NONE && c->drug == D_NONE)
        hw__demo_drug_facts(&p->r, c->lead, c->offense, c);
    if (!c->ncounts)
        c->ncounts = extra_counts(&p->r, c->lead);
    c->disp = (uint8_t)pick_disp(&p->r, c->juris, first);
    c->role = (c->lead->flags & OF_ROLE) && hw_rng_chance(&p->r, 0.12);
    c->death = (c->lead->flags & OF_DEATH) && hw_rng_chance(&p->r, 0.03);
    if (h) {
        c->role = h->flags & HF_ROLE;
        c->death = h->flags & HF_DEATH;
        c->restitution_paid = h->flags & HF_RESTITUTION_PAID;
        c->restitution_owed = h->flags & HF_RESTITUTION_OWED;
        c->fees_only = h->flags & HF_FEES_ONLY;
        if (h->flags & HF_RESTITUTION_SMALL)
            c->small_restitution = 100 * hw_rng_range(&p->r, 150, 650);
        if (h->flags & HF_FIRST)
            c->ncounts = 1;
        if (h->drug)
            c->drug = (int8_t)(h->drug - 1);
        c->disp = DI_PLEA;
    }
    /* Some probationers are stuck only on a small balance: the fees-relief planner's people. */
    if (!h && c->current && c->sup == SUP_PROBATION &&
        (c->lead->flags & (OF_PROPERTY | OF_FRAUD)) && hw_rng_chance(&p->r, 0.12))
        c->small_restitution = 100 * hw_rng_range(&p->r, 50, 800);
}

static void sort_cases(demo_person *p)
{
    for (int i = 1; i < p->ncases; i++) {
        demo_case tmp = p->cases[i];
        int j = i;

        while (j > 0 && p->cases[j - 1].offense > tmp.offense) {
            p->cases[j] = p->cases[j - 1];
            j--;
        }
        p->cases[j] = tmp;
    }
}

void hw__demo_plan_cases(demo_gen *g, demo_person *p)
{
    const demo_hint *h = p->hint;
    demo_case *cur = &p->cases[0];
    int32_t adult, t;
    int nprior;
    bool dob_fixed = h && h->age_at_offense;

    p->ncases = 1;
    plan_current(g, p, cur);
    adult = hw__demo_years_before(p->dob, -18);
    for (int tries = 0; dob_fixed && cur->offense < adult && tries < 8; tries++)
        plan_current(g, p, cur);
    if (cur->offense < adult && !dob_fixed) {
        /* Older than drawn: the case decides the age, as long sentences do (but 80 at most). */
        p->dob = hw__demo_years_before(cur->offense, 18) - (int32_t)hw_rng_below(&p->r, 8 * 365);
        p->dob = demo_max(p->dob, hw__demo_years_before(g->as_of, 80) + 1);
        adult = hw__demo_years_before(p->dob, -18);
    }

    /* Earlier cases: a long-tailed count (a gamma-Poisson mixture), fewer for the young. */
    nprior = (int)hw_rng_poisson(&p->r, hw_rng_lognormal(&p->r, 2.8, 0.9));
    if (h && h->kind == H_CURRENT && (h->flags & HF_FIRST))
        nprior = 0;
    t = cur->offense - (int32_t)hw_rng_range(&p->r, 30, 700);
    for (int k = 0; k < nprior && p->ncases < DEMO_MAX_CASES - 1; k++) {
        demo_case *c = &p->cases[p->ncases];
        int j = prior_juris(p);
        const demo_offense *o = pick_for(p, j, CTX_PRIOR, hw__demo_year(t));
        double gap;

        if (t < adult || !plan_finished(g, p, c, o, j, t, adult))
            break;
        p->ncases++;
        gap = hw_rng_lognormal(&p->r, 420, 0.9);
        t = c->offense - (int32_t)(gap < 30 ? 30 : gap);
    }
    if (h && h->kind == H_EXTRA)
        plan_extra(g, p, &p->cases[p->ncases++]);
    sort_cases(p);
    for (int i = 0; i < p->ncases; i++)
        finish_case(p, &p->cases[i], i == 0);
    /* When one small balance, or the fees of this case, are to be all that is owed. */
    for (int i = 0; i < p->ncases; i++) {
        demo_case *c = &p->cases[i];

        if (c->current && (c->small_restitution || c->fees_only))
            for (int j = 0; j < p->ncases; j++)
                p->cases[j].settle = j != i;
    }

    /* Most people convicted of illegal reentry are under a removal order. */
    for (int i = 0; i < p->ncases; i++)
        if ((p->cases[i].lead->flags & OF_IMMIG) && !h)
            p->removal = p->removal || hw_rng_chance(&p->r, 0.7);
}
