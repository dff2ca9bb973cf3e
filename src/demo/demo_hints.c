/* SPDX-License-Identifier: MIT */
/*
 * Situations every demo database should hold, whatever its size: the
 * boundary and contrast cases of the rule packs in ../shared/LEGAL-RULES.md
 * (marijuana pardons, First Step Act, clemency, early termination, Act 44,
 * Prop 64, AB 1950, SB 105, Michigan discharge, fee waivers).  Person 2k+1
 * gets hint k; everything a hint does not fix is drawn as usual.
 */
#include "core/common.h"

#include "demo/demo_int.h"
#include "homeward/date.h"

#define J(x) ((x) + 1)
#define S(x) ((x) + 1)
#define D(x) ((x) + 1)
#define C(x) ((x) + 1)

/* An extra, earlier case in a federal or D.C. court (or California's), for pardon screens. */
#define EXTRA(...)                                                                                 \
    {                                                                                              \
        .kind = H_EXTRA, __VA_ARGS__                                                               \
    }
/* The case behind the person's status now. */
#define CURRENT(j, st, ...)                                                                        \
    {                                                                                              \
        .kind = H_CURRENT, .juris = J(j), .status = S(st), __VA_ARGS__                             \
    }

static const demo_hint hints[] = {
    /* Federal marijuana pardons (Proclamation 10467 of 2022-10-06 and that of 2023-12-22). */
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20150610,
          .cit = C(CIT_US), .why = "844 marijuana before 2022-10-06, citizen"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20221006,
          .cit = C(CIT_US), .why = "844 marijuana on the day of the 2022 proclamation"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20221007,
          .cit = C(CIT_US), .why = "844 marijuana the day after: only the 2023 proclamation"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20231222,
          .cit = C(CIT_US), .why = "844 marijuana on the day of the 2023 proclamation"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20240315,
          .cit = C(CIT_US), .why = "844 marijuana after both proclamations"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20200211,
          .cit = C(CIT_LPR), .prior_cit = C(CIT_LAWFUL), .cit_since_ymd = 20120501,
          .why = "844 marijuana, permanent resident on both dates"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20190719,
          .cit = C(CIT_US), .prior_cit = C(CIT_LPR), .cit_since_ymd = 20230510,
          .why = "844 marijuana, naturalised in 2023, permanent resident before"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20190302,
          .cit = C(CIT_LPR), .prior_cit = C(CIT_LAWFUL), .cit_since_ymd = 20230403,
          .why = "844 marijuana, became a permanent resident between the proclamations"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20180914,
          .cit = C(CIT_LPR), .prior_cit = C(CIT_LAWFUL), .cit_since_ymd = 20240201,
          .why = "844 marijuana, became a permanent resident after both proclamations"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_MARIJUANA), .offense_ymd = 20170520,
          .cit = C(CIT_UNLAWFUL), .why = "844 marijuana, not lawfully present"),
    EXTRA(.statute = "21 USC 844(a)", .drug = D(D_COCAINE), .offense_ymd = 20160808,
          .why = "844 simple possession of cocaine: not marijuana"),
    EXTRA(.statute = "21 USC 846", .drug = D(D_MARIJUANA), .offense_ymd = 20210420,
          .cit = C(CIT_US), .why = "846 attempted simple possession of marijuana"),
    EXTRA(.statute = "21 USC 846", .drug = D(D_COCAINE), .offense_ymd = 20140115,
          .why = "846 conspiracy to distribute: never covered"),
    EXTRA(.statute = "21 USC 841(a)(1)", .drug = D(D_MARIJUANA), .offense_ymd = 20161130,
          .why = "marijuana with intent to distribute: not covered"),
    EXTRA(.statute = "DC 48-904.01(d)(1)", .drug = D(D_MARIJUANA), .offense_ymd = 20120601,
          .cit = C(CIT_US), .why = "D.C. marijuana possession before 2022-10-06"),
    EXTRA(.statute = "DC 48-904.09", .drug = D(D_MARIJUANA), .offense_ymd = 20201001,
          .cit = C(CIT_US), .why = "D.C. attempted possession: 2023 proclamation"),
    EXTRA(.statute = "DC 48-904.01(d)(1)", .drug = D(D_MARIJUANA), .offense_ymd = 20240505,
          .why = "D.C. marijuana possession after both proclamations"),
    EXTRA(.statute = "36 CFR 2.35(b)(2)", .drug = D(D_MARIJUANA), .offense_ymd = 20190803,
          .cit = C(CIT_US), .why = "a listed CFR section: 2023 proclamation only"),
    /* California Prop 64 (H&S 11361.8). */
    EXTRA(.statute = "CA HSC 11357", .offense_ymd = 20140405, .age_at_offense = 20, .qty_mg = 20000,
          .why = "11357 under an ounce at 20: redesignate as an infraction"),
    EXTRA(.statute = "CA HSC 11357", .offense_ymd = 20150303, .age_at_offense = 25, .qty_mg = 28500,
          .why = "11357 exactly 28.5 g at 25: dismiss and seal"),
    EXTRA(.statute = "CA HSC 11357", .offense_ymd = 20100707, .age_at_offense = 30, .qty_mg = 28501,
          .why = "11357 just over 28.5 g: redesignate"),
    EXTRA(.statute = "CA HSC 11358", .offense_ymd = 20120909, .age_at_offense = 35, .plants = 6,
          .why = "11358 six plants: dismiss and seal"),
    EXTRA(.statute = "CA HSC 11358", .offense_ymd = 20160303, .age_at_offense = 28, .plants = 7,
          .why = "11358 seven plants: redesignate"),
    EXTRA(.statute = "CA HSC 11359", .offense_ymd = 20141010, .age_at_offense = 26,
          .why = "11359 possession for sale: redesignate"),
    EXTRA(.statute = "CA HSC 11360", .offense_ymd = 20150505, .age_at_offense = 22, .qty_mg = 14000,
          .why = "11360 giving away under an ounce at 22: dismiss"),
    EXTRA(.statute = "CA HSC 11357(b)(2)", .offense_ymd = 20190202, .age_at_offense = 24,
          .qty_mg = 40000, .why = "possession after Prop 64: no relief"),

    /* Federal prisoners: clemency (2014 criteria), FSA section 404 and earned time. */
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(A)(iii)", .offense_ymd = 20070514,
            .term = -1, .flags = HF_FIRST, .why = "life for a first, non-violent crack offense"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(A)(iii)", .offense_ymd = 20090201,
            .term = 360, .flags = HF_ROLE, .why = "crack before 2010-08-03 with a role finding"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(A)(ii)", .offense_ymd = 20130606,
            .term = 240, .flags = HF_FIRST, .why = "cocaine, more than 10 years served"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(B)(viii)", .offense_ymd = 20210110,
            .term = 87, .flags = HF_LOW_RISK, .why = "earning First Step Act credits"),
    CURRENT(J_FED, ST_PRISON, .statute = "18 USC 924(c)", .offense_ymd = 20190505, .term = 120,
            .why = "924(c): excluded from FSA credits"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(A)(vi)", .offense_ymd = 20200808,
            .term = 135, .flags = HF_LOW_RISK, .why = "fentanyl: excluded from FSA credits"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(C)", .drug = D(D_HEROIN),
            .offense_ymd = 20180404, .term = 240, .flags = HF_DEATH,
            .why = "death resulted: excluded from FSA credits"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(A)(i)", .offense_ymd = 20160202,
            .term = 262, .flags = HF_ROLE, .why = "heroin with a role finding: excluded"),
    CURRENT(J_FED, ST_PRISON, .statute = "8 USC 1326(a)", .offense_ymd = 20230303, .term = 46,
            .flags = HF_REMOVAL | HF_LOW_RISK, .cit = C(CIT_UNLAWFUL),
            .why = "final order of removal: may earn, may not apply credits"),
    CURRENT(J_FED, ST_PRISON, .statute = "21 USC 841(b)(1)(A)(ii)", .offense_ymd = 19960220,
            .term = -1, .flags = HF_FIRST | HF_FEMALE,
            .why = "life since the 1990s for a first, non-violent cocaine offense"),
    /* Federal early termination of supervised release and probation. */
    CURRENT(J_FED, ST_SR, .statute = "21 USC 841(b)(1)(C)", .start_months = 6, .sup_term = 36,
            .why = "supervised release under a year"),
    CURRENT(J_FED, ST_SR, .statute = "18 USC 922(g)(1)", .start_months = 12, .sup_term = 36,
            .why = "supervised release: one year served on as-of"),
    CURRENT(J_FED, ST_SR, .statute = "18 USC 1343", .start_months = 12, .start_days = -1,
            .sup_term = 36, .why = "supervised release: one year served tomorrow"),
    CURRENT(J_FED, ST_SR, .statute = "21 USC 846", .start_months = 30, .sup_term = 60,
            .flags = HF_VIOLATION_RECENT, .why = "supervised release with a recent violation"),
    CURRENT(J_FED, ST_PROBATION, .statute = "18 USC 1343", .start_months = 8, .term = 36,
            .why = "felony probation under a year"),
    CURRENT(J_FED, ST_PROBATION, .statute = "18 USC 641", .start_months = 3, .term = 12,
            .why = "misdemeanor probation: may end any time"),
    /* Pennsylvania Act 44 probation review conferences. */
    CURRENT(J_PA, ST_PROBATION, .statute = "35 PS 780-113(a)(30)", .start_months = 50, .term = 84,
            .flags = HF_NO_VIOLATIONS, .why = "felony probation: 4 years served"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 3921(a)", .start_months = 29, .term = 60,
            .why = "felony probation: half of 60 months next month"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 3929(a)(1)", .start_months = 12, .term = 24,
            .why = "misdemeanor probation: half served on as-of"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 2709.1", .start_months = 60, .term = 84,
            .why = "stalking: outside the review conference"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 2701", .start_months = 36, .term = 48,
            .flags = HF_FAMILY, .why = "simple assault of a household member"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 2701", .start_months = 14, .term = 24,
            .flags = HF_NO_VIOLATIONS, .why = "simple assault, not a household member"),
    CURRENT(J_PA, ST_PROBATION, .statute = "35 PS 780-113(a)(30)", .start_months = 62, .term = 96,
            .flags = HF_ASSAULTIVE_RECENT,
            .why = "assaultive technical violation in the last 6 months"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 3921(a)", .start_months = 55, .term = 84,
            .flags = HF_RESTITUTION_SMALL | HF_MOTHER | HF_NO_VIOLATIONS,
            .why = "a mother whose only barrier is a few hundred dollars of restitution"),
    CURRENT(J_PA, ST_PROBATION, .statute = "18 PACS 2702(a)(1)", .start_months = 50, .term = 120,
            .why = "crime of violence: outside the review conference"),
    CURRENT(J_PA, ST_PAROLE, .statute = "18 PACS 3701(a)(1)(ii)", .start_months = 18, .term = 120,
            .flags = HF_RETURNED, .why = "parolee returned to custody last year"),
    /* California AB 1950 probation caps and fee waivers. */
    CURRENT(J_CA, ST_PROBATION, .statute = "CA PC 459", .start_months = 30, .term = 36,
            .why = "felony probation over the 24-month cap"),
    CURRENT(J_CA, ST_PROBATION, .statute = "CA PC 211", .start_months = 30, .term = 48,
            .why = "violent felony: the cap does not apply"),
    CURRENT(J_CA, ST_PROBATION, .statute = "CA PC 243(e)(1)", .start_months = 10, .term = 36,
            .why = "domestic battery: the statute sets 36 months"),
    CURRENT(J_CA, ST_PROBATION, .statute = "CA PC 484(a)", .start_months = 14, .term = 24,
            .flags = HF_MOTHER | HF_FEES_ONLY, .income_pct = 90,
            .why = "a mother under 125% of the guideline owing only fees"),
    /* Georgia SB 105 behavioral incentive dates. */
    CURRENT(J_GA, ST_PROBATION, .statute = "OCGA 16-8-2", .start_months = 40, .term = 60,
            .flags = HF_FIRST | HF_RESTITUTION_PAID | HF_NO_VIOLATIONS,
            .why = "first offender past the incentive date, restitution paid"),
    CURRENT(J_GA, ST_PROBATION, .statute = "OCGA 16-8-2", .start_months = 40, .term = 60,
            .flags = HF_FIRST | HF_NO_VIOLATIONS | HF_RESTITUTION_OWED,
            .why = "first offender past the incentive date, restitution owed"),
    CURRENT(J_GA, ST_PROBATION, .statute = "OCGA 16-13-30(a)", .start_months = 20, .term = 48,
            .flags = HF_FIRST, .why = "first offender, incentive date in 16 months"),
    /* Michigan early discharge. */
    CURRENT(J_MI, ST_PROBATION, .statute = "MCL 750.356", .start_months = 20, .term = 36,
            .flags = HF_NO_VIOLATIONS, .why = "felony probation: more than half served"),
    CURRENT(J_MI, ST_PROBATION, .statute = "MCL 333.7403(2)(a)(v)", .start_months = 10, .term = 24,
            .why = "felony probation: half served in 2 months"),
    CURRENT(J_MI, ST_PROBATION, .statute = "MCL 750.81(2)", .start_months = 15, .term = 24,
            .flags = HF_VIOLATION_RECENT, .why = "a violation in the last 3 months"),
    /* Illinois assessment waivers. */
    CURRENT(J_IL, ST_PROBATION, .statute = "720 ILCS 5/16-1", .start_months = 2, .term = 12,
            .flags = HF_SNAP | HF_MISD, .income_pct = 60, .why = "SNAP: full waiver"),
    CURRENT(J_IL, ST_PROBATION, .statute = "720 ILCS 5/16-25", .start_months = 1, .term = 18,
            .income_pct = 220, .why = "income 200-250% of the guideline: 75% waiver"),
    CURRENT(J_IL, ST_PROBATION, .statute = "625 ILCS 5/11-501(a)", .start_months = 1, .term = 24,
            .income_pct = 280, .why = "income 250-300% of the guideline: 50% waiver"),
    /* District of Columbia. */
    CURRENT(J_DC, ST_SR, .statute = "DC 48-904.01(a)(1)", .drug = D(D_COCAINE), .start_months = 24,
            .sup_term = 36, .why = "D.C. Code supervised release"),
    CURRENT(J_DC, ST_PAROLE, .statute = "DC 22-2801", .offense_ymd = 19980303, .term = 360,
            .start_months = 36, .sup_term = 120, .why = "D.C. old-law parole"),
};

int32_t hw__demo_ymd(int32_t ymd)
{
    return hw_date_from_ymd(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

const demo_hint *hw__demo_hint(uint64_t index, int32_t as_of)
{
    const demo_hint *h;

    if (index % 2 == 0 || index / 2 >= HW_ARRAY_LEN(hints))
        return NULL;
    h = &hints[index / 2];
    /* A hint about a day the data does not reach yet is left out. */
    if (h->offense_ymd && hw__demo_ymd(h->offense_ymd) > as_of - 400)
        return NULL;
    if (h->cit_since_ymd && hw__demo_ymd(h->cit_since_ymd) > as_of - 30)
        return NULL;
    if (h->start_months && hw_date_add_months(as_of, -h->start_months) < hw__demo_ymd(19900101))
        return NULL;
    return h;
}
