/* SPDX-License-Identifier: MIT */
/*
 * One person of the demo population: where they live and stand, who they
 * are (name, age, sex, household, income, benefits, citizenship, contact),
 * and their people row.  The shares are in docs/demo-data.md.
 */
#include "core/common.h"

#include <stdio.h>
#include <string.h>

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/rng.h"

/* Home jurisdictions: federal and D.C. are over-represented so that their rules get cases. */
static const double juris_w[J_COUNT] = {
    [J_FED] = 15, [J_DC] = 5, [J_PA] = 22, [J_CA] = 22, [J_GA] = 14, [J_MI] = 11, [J_IL] = 11,
};

/* Status by home jurisdiction: probation, parole, supervised release, prison, record only. */
static const double status_w[J_COUNT][ST_COUNT] = {
    [J_FED] = {10, 0, 50, 30, 10}, [J_DC] = {52, 6, 20, 12, 10}, [J_PA] = {63, 18, 0, 8, 11},
    [J_CA] = {61, 17, 0, 10, 12},  [J_GA] = {71, 8, 0, 10, 11},  [J_MI] = {63, 16, 0, 10, 11},
    [J_IL] = {59, 19, 0, 10, 12},
};

/* Where people with a federal case live. */
static const double fed_home_w[J_COUNT] = {
    [J_DC] = 8, [J_PA] = 20, [J_CA] = 30, [J_GA] = 15, [J_MI] = 12, [J_IL] = 15,
};

/* Women's share by status (BJS: about a quarter of probationers, fewer in custody). */
static const double female_p[ST_COUNT] = {0.25, 0.13, 0.13, 0.07, 0.22};

/* Age at as-of, in bands 18-24, 25-34, 35-44, 45-54, 55-64, 65-79. */
static const int age_lo[] = {18, 25, 35, 45, 55, 65, 80};
static const double age_w[ST_COUNT][6] = {
    [ST_PROBATION] = {16, 31, 26, 15, 9, 3}, [ST_PAROLE] = {6, 28, 30, 19, 12, 5},
    [ST_SR] = {6, 28, 30, 19, 12, 5},        [ST_PRISON] = {8, 30, 29, 17, 10, 6},
    [ST_PAST] = {5, 20, 25, 22, 18, 10},
};

/* Share of men with a child under 18, by the same bands; women's is 1.25 times it. */
static const double parent_p[6] = {0.30, 0.55, 0.60, 0.35, 0.10, 0.03};

/* Household size 1..7 for parents and for others. */
static const double hh_parent_w[7] = {0, 18, 30, 26, 15, 7, 4};
static const double hh_other_w[7] = {38, 30, 16, 10, 4, 1.5, 0.5};

/* Citizenship now: us_citizen, lpr, lawfully_present, not_lawfully_present, unknown. */
static const double cit_fed_w[5] = {76, 7, 3, 12, 2};
static const double cit_state_w[5] = {90, 5, 1.5, 2.5, 1};

static const char *const benefit_names[] = {"ssi",          "ssdi",     "tanf",
                                            "snap",         "medicaid", "general_assistance",
                                            "aabd",         "wic",      "housing_assistance",
                                            "unemployment", "veterans"};
enum {
    B_SSI,
    B_SSDI,
    B_TANF,
    B_SNAP,
    B_MEDICAID,
    B_GA,
    B_AABD,
    B_WIC,
    B_HOUSING,
    B_UNEMP,
    B_VETERANS
};

/* The 2026 HHS poverty guideline for the 48 states and D.C., in dollars a year. */
static int64_t fpg_dollars(int hh)
{
    return 15960 + 5680 * (int64_t)(hh - 1);
}

static int hint_or(int hinted, int drawn)
{
    return hinted ? hinted - 1 : drawn;
}

static void plan_household(demo_person *p, int band)
{
    const demo_hint *h = p->hint;
    double mult, pp = parent_p[band] * (p->female ? 1.25 : 1.0);

    p->parent = hw_rng_chance(&p->r, pp);
    if (h && (h->flags & HF_MOTHER))
        p->parent = true;
    p->hh = 1 + (int)hw_rng_pick(&p->r, p->parent ? hh_parent_w : hh_other_w, 7);
    /*
     * Household income as a multiple of the poverty guideline: many have none,
     * most of the rest are near the line, a long tail is well above it.
     */
    if (hw_rng_chance(&p->r, p->status == ST_PRISON ? 0.45 : 0.17))
        mult = 0;
    else
        mult = hw_rng_lognormal(&p->r, 1.15, 0.8);
    if (h && h->income_pct)
        mult = h->income_pct / 100.0;
    p->income = (int64_t)((double)fpg_dollars(p->hh) * mult * 100.0 / 12.0);
    if (hw_rng_chance(&p->r, 0.8))
        p->income -= p->income % 100; /* most report whole dollars */
    if (p->income > 2500000)
        p->income = 2500000 + (p->income % 100000);

    p->benefits = 0;
    if (p->status == ST_PRISON)
        return; /* benefits stop in custody */
#define MAYBE(bit, prob)                                                                           \
    do {                                                                                           \
        if (hw_rng_chance(&p->r, prob))                                                            \
            p->benefits |= 1u << (bit);                                                            \
    } while (0)
    if (mult < 1.3) {
        MAYBE(B_SNAP, 0.55);
        MAYBE(B_MEDICAID, 0.65);
    } else if (mult < 2.0) {
        MAYBE(B_SNAP, 0.08);
        MAYBE(B_MEDICAID, 0.30);
    }
    if (mult < 1.0) {
        MAYBE(B_SSI, 0.06);
        MAYBE(B_HOUSING, 0.08);
        if (p->parent)
            MAYBE(B_TANF, 0.12);
        if (p->state == J_IL)
            MAYBE(B_AABD, 0.02);
    }
    if (mult < 0.5)
        MAYBE(B_GA, 0.04);
    if (p->female && p->parent && mult < 1.85)
        MAYBE(B_WIC, 0.2);
    MAYBE(B_SSDI, 0.03);
    MAYBE(B_UNEMP, 0.03);
    if (!p->female && band >= 2)
        MAYBE(B_VETERANS, 0.04);
#undef MAYBE
    if (h && (h->flags & HF_SNAP))
        p->benefits |= 1u << B_SNAP;
}

/* A day in [lo, hi], or lo when the range is empty. */
static int32_t day_between(hw_rng *r, int32_t lo, int32_t hi)
{
    return hi <= lo ? lo : (int32_t)hw_rng_range(r, lo, hi);
}

static void plan_citizenship(demo_gen *g, demo_person *p)
{
    const demo_hint *h = p->hint;
    int32_t adult = hw__demo_years_before(p->dob, -18), t = g->as_of;
    int32_t p22 = hw_date_from_ymd(2022, 10, 7), p23 = hw_date_from_ymd(2023, 12, 22);

    p->cit = (int8_t)hw_rng_pick(&p->r, p->juris == J_FED ? cit_fed_w : cit_state_w, 5);
    p->prior_cit = -1;
    p->cit_since = DEMO_NO_DATE;
    if (p->cit == CIT_US && hw_rng_chance(&p->r, 0.09)) {
        /* Naturalised; a fifth of them between the two marijuana proclamations. */
        p->prior_cit = CIT_LPR;
        if (t > p23 + 30 && adult < p22 && hw_rng_chance(&p->r, 0.2))
            p->cit_since = day_between(&p->r, p22, p23);
        else
            p->cit_since =
                day_between(&p->r, demo_max(adult, hw_date_from_ymd(1985, 1, 1)), t - 30);
    } else if (p->cit == CIT_LPR && hw_rng_chance(&p->r, 0.7)) {
        p->cit_since = day_between(&p->r, hw__demo_years_before(p->dob, -12), t - 30);
        if (hw_rng_chance(&p->r, 0.5))
            p->prior_cit = CIT_LAWFUL;
    }
    p->removal = p->cit == CIT_UNLAWFUL && hw_rng_chance(&p->r, 0.1);
    if (!h)
        return;
    if (h->cit) {
        p->cit = (int8_t)(h->cit - 1);
        p->prior_cit = (int8_t)(h->prior_cit ? h->prior_cit - 1 : -1);
        p->cit_since = h->cit_since_ymd ? hw__demo_ymd(h->cit_since_ymd) : DEMO_NO_DATE;
        p->removal = false;
    }
    if (h->flags & HF_REMOVAL)
        p->removal = true;
}

void hw__demo_plan_person(demo_gen *g, demo_person *p, uint64_t index)
{
    const demo_hint *h;
    int band, age;

    hw_rng_seed(&p->r, g->seed, index);
    p->id = (int64_t)index + 1;
    p->hint = h = hw__demo_hint(index, g->as_of);
    p->ncases = 0;
    p->nterms = 0;
    p->juris = (uint8_t)hint_or(h ? h->juris : 0, (int)hw_rng_pick(&p->r, juris_w, J_COUNT));
    p->status =
        (uint8_t)hint_or(h ? h->status : 0, (int)hw_rng_pick(&p->r, status_w[p->juris], ST_COUNT));
    p->state = p->juris == J_FED ? (uint8_t)hw_rng_pick(&p->r, fed_home_w, J_COUNT) : p->juris;
    p->place = hw__demo_pick_place(&p->r, p->state);
    p->tz = p->state == J_CA ? -480 : p->state == J_IL ? -360 : -300;

    p->female = hw_rng_chance(&p->r, female_p[p->status]);
    if (h && (h->flags & (HF_MOTHER | HF_FEMALE)))
        p->female = true;
    band = (int)hw_rng_pick(&p->r, age_w[p->status], 6);
    age = (int)hw_rng_range(&p->r, age_lo[band], age_lo[band + 1] - 1);
    p->dob = hw__demo_years_before(g->as_of, age) - (int32_t)hw_rng_below(&p->r, 365);
    if (h && h->age_at_offense && h->offense_ymd) {
        p->dob = hw__demo_years_before(hw__demo_ymd(h->offense_ymd), h->age_at_offense) -
                 (int32_t)hw_rng_range(&p->r, 1, 360);
    } else if (h && h->offense_ymd) {
        /* An adult on the fixed offense date. */
        int32_t latest = hw__demo_years_before(hw__demo_ymd(h->offense_ymd), 18);

        if (p->dob > latest)
            p->dob = latest - (int32_t)hw_rng_below(&p->r, 15 * 365);
    }

    plan_household(p, band);
    plan_citizenship(g, p);

    /* Paying: income helps, but many with income still pay little. */
    {
        double w[3] = {35, 35, 30};

        if (p->income == 0) {
            w[PAY_NONE] = 55;
            w[PAY_REGULAR] = 15;
        }
        p->payer = (uint8_t)hw_rng_pick(&p->r, w, 3);
    }
    {
        double u = hw_rng_unit(&p->r);

        p->miss = u < 0.7 ? 0.03 : u < 0.9 ? 0.12 : 0.30;
    }
    p->checkin_dow = (int)hw_rng_below(&p->r, 5);
    p->checkin_min = 8 * 60 + 30 + 15 * (int)hw_rng_below(&p->r, 30); /* 8:30 to 15:45 */
}

/* Lower-case ASCII letters of s, for e-mail addresses. */
static size_t ascii_lower(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    for (; *s && n + 1 < cap; s++) {
        char c = *s;

        if (c >= 'A' && c <= 'Z')
            out[n++] = (char)(c - 'A' + 'a');
        else if (c >= 'a' && c <= 'z')
            out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

static const char *external_id(demo_gen *g, demo_person *p)
{
    hw_rng *r = &p->r;
    unsigned a = (unsigned)hw_rng_below(r, 1000000000);

    switch (p->juris) {
    case J_FED:
        return hw__demo_fmt(g, "%05u-%03u", a % 100000, (unsigned)hw_rng_range(r, 1, 510));
    case J_DC:
        return hw__demo_fmt(g, "DCDC %06u", a % 1000000);
    case J_PA:
        return hw__demo_fmt(g, "SID %03u-%02u-%02u-%u", a % 1000, a / 1000 % 100, a / 100000 % 100,
                            a / 10000000 % 10);
    case J_CA:
        return hw__demo_fmt(g, "CII A%08u", a % 100000000);
    case J_GA:
        return hw__demo_fmt(g, "GDC %09u", a);
    case J_MI:
        return hw__demo_fmt(g, "MDOC %06u", a % 1000000);
    default:
        return hw__demo_fmt(g, "IDOC R%05u", a % 100000);
    }
}

static const char *benefit_set(demo_gen *g, uint32_t bits)
{
    char buf[256];
    size_t n = 0;

    if (!bits)
        return NULL;
    for (size_t i = 0; i < HW_ARRAY_LEN(benefit_names); i++) {
        if (!(bits & (1u << i)))
            continue;
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? ";" : "", benefit_names[i]);
    }
    return hw__demo_fmt(g, "%s", buf);
}

hw_code hw__demo_emit_person(demo_gen *g, demo_person *p, hw_err *e)
{
    static const char *const sexes[] = {"female", "male", "nonbinary", "unknown"};
    static const char *const cits[] = {"us_citizen", "lpr", "lawfully_present",
                                       "not_lawfully_present", "unknown"};
    static const char *const domains[] = {"example.com", "example.org", "example.net"};
    hw_value *row = hw__demo_row(g, HW_K_PEOPLE);
    hw_rng *r = &p->r;
    const demo_place *pl = p->place;
    bool in_prison = p->status == ST_PRISON;
    const char *given, *family;
    int64_t id;
    int sex = p->female ? 0 : 1;
    double u = hw_rng_unit(r);

    if (u < 0.003)
        sex = 2;
    else if (u < 0.005)
        sex = 3;
    given = hw__demo_pick_name(r, sex == 2 || sex == 3 ? hw_rng_chance(r, 0.5) : p->female);
    family = hw__demo_pick_family(r);

    /* Organisations: 1 is Pennsylvania's, 2 California's, 3 the national project. */
    dv_int(&row[P_ORG], p->juris == J_PA ? 1 : p->juris == J_CA ? 2 : 3);
    dv_text(&row[P_EXTERNAL], external_id(g, p));
    dv_text(&row[P_GIVEN], given);
    if (hw_rng_chance(r, 0.55))
        dv_text(&row[P_MIDDLE], hw__demo_pick_name(r, p->female));
    dv_text(&row[P_FAMILY], family);
    dv_date(&row[P_DOB], p->dob);
    dv_text(&row[P_SEX], sexes[sex]);
    dv_int(&row[P_PARENT], p->parent);
    dv_int(&row[P_HH], p->hh);
    dv_int(&row[P_INCOME], p->income);
    dv_text(&row[P_BENEFITS], benefit_set(g, p->benefits));
    dv_text(&row[P_CIT], cits[p->cit]);
    if (demo_has(p->cit_since))
        dv_date(&row[P_CIT_SINCE], p->cit_since);
    if (p->prior_cit >= 0 && demo_has(p->cit_since))
        dv_text(&row[P_PRIOR_CIT], cits[p->prior_cit]);
    dv_int(&row[P_REMOVAL], p->removal);

    /* 555-0100 to 555-0199 are the numbers set aside for fiction: nobody gets a text. */
    if (hw_rng_chance(r, in_prison ? 0.2 : 0.93))
        dv_text(&row[P_PHONE], hw__demo_fmt(g, "+1%s55501%02u", pl->area[hw_rng_below(r, 2)],
                                            (unsigned)hw_rng_below(r, 100)));
    if (hw_rng_chance(r, in_prison ? 0.05 : (g->as_of - p->dob < 40 * 365 ? 0.5 : 0.3))) {
        char a[48], b[48];

        ascii_lower(given, a, sizeof(a));
        ascii_lower(family, b, sizeof(b));
        dv_text(&row[P_EMAIL],
                hw__demo_fmt(g, "%s.%s%u@%s", a[0] ? a : "x", b[0] ? b : "x",
                             (unsigned)hw_rng_below(r, 100), domains[hw_rng_below(r, 3)]));
    }
    if (hw_rng_chance(r, 0.15))
        dv_text(&row[P_ADDRESS],
                hw__demo_fmt(g, "%u %s %s, Apt %u%c", (unsigned)hw_rng_range(r, 1, 9999),
                             hw__demo_pick_street(r), hw__demo_pick_street_kind(r),
                             (unsigned)hw_rng_range(r, 1, 12), (char)('A' + hw_rng_below(r, 6))));
    else
        dv_text(&row[P_ADDRESS],
                hw__demo_fmt(g, "%u %s %s", (unsigned)hw_rng_range(r, 1, 9999),
                             hw__demo_pick_street(r), hw__demo_pick_street_kind(r)));
    dv_text(&row[P_CITY], pl->city);
    dv_text(&row[P_STATE], hw__demo_juris_codes[pl->state]);
    dv_text(&row[P_ZIP],
            hw__demo_fmt(g, "%05u", (unsigned)hw_rng_range(r, pl->zip_lo, pl->zip_hi)));
    dv_int(&row[P_CONSENT], hw_rng_chance(r, in_prison ? 0.3 : 0.72));
    {
        static const char *const how[] = {"sms", "phone", "email", "mail", "none"};
        double w[5] = {50, 25, 10, 12, 3};

        if (row[P_PHONE].null)
            w[0] = w[1] = 0;
        if (row[P_EMAIL].null)
            w[2] = 0;
        dv_text(&row[P_CONTACT], how[hw_rng_pick(r, w, 5)]);
    }
    return hw__demo_insert(g, HW_K_PEOPLE, &id, e);
}
