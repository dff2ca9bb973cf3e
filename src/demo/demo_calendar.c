/* SPDX-License-Identifier: MIT */
/*
 * Appointments of people on active supervision, from six months before the
 * as-of date to two months after: check-ins at a rhythm set by the
 * supervision level, drug tests, programme sessions, court dates and job
 * interviews, in the person's local time (US daylight saving rules).
 */
#include "core/common.h"

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/rng.h"

#define WINDOW_BEFORE 182
#define WINDOW_AFTER 61

/* Monday = 0; 1970-01-01 was a Thursday. */
static int weekday(int32_t day)
{
    int w = (int)((day + 3) % 7);

    return w < 0 ? w + 7 : w;
}

/* The day of the n-th Sunday of month m of year y. */
static int32_t nth_sunday(int y, int m, int n)
{
    int32_t first = hw_date_from_ymd(y, m, 1);

    return first + (6 - weekday(first)) + 7 * (n - 1);
}

/*
 * Daylight saving time in the US since 2007: from the second Sunday of
 * March to the first Sunday of November.  Appointments are in the daytime,
 * so the 2 a.m. switch itself does not matter.
 */
static bool dst(int32_t day)
{
    int y, m, d;

    hw_date_to_ymd(day, &y, &m, &d);
    if (m < 3 || m > 11)
        return false;
    if (m > 3 && m < 11)
        return true;
    return m == 3 ? day >= nth_sunday(y, 3, 2) : day < nth_sunday(y, 11, 1);
}

/* Move a weekend day to the Monday after. */
static int32_t workday(int32_t day)
{
    int w = weekday(day);

    return w == 5 ? day + 2 : w == 6 ? day + 1 : day;
}

static hw_code emit_one(demo_gen *g, demo_person *p, int64_t term, const char *kind, int32_t day,
                        int minute, const char *location, const char *status, hw_err *e)
{
    hw_value *row = hw__demo_row(g, HW_K_APPOINTMENTS);
    int offset = p->tz + (dst(day) ? 60 : 0);
    int64_t utc = (int64_t)day * DEMO_DAY_SECS + minute * 60 - (int64_t)offset * 60;
    char buf[HW_TIME_LEN + 1];
    int64_t id;

    hw_time_format(utc, offset, buf);
    dv_int(&row[A_PERSON], p->id);
    if (term)
        dv_int(&row[A_SUPERVISION], term);
    dv_text(&row[A_KIND], kind);
    row[A_STARTS].null = false;
    row[A_STARTS].i = utc;
    row[A_STARTS].offset_min = offset;
    row[A_STARTS].s = hw__demo_fmt(g, "%s", buf);
    row[A_STARTS].n = HW_TIME_LEN;
    dv_text(&row[A_LOCATION], location);
    dv_text(&row[A_STATUS], status);
    return hw__demo_insert(g, HW_K_APPOINTMENTS, &id, e);
}

/* What became of an appointment: past ones were kept or not, future ones are scheduled. */
static const char *outcome(demo_gen *g, demo_person *p, int32_t day, double miss)
{
    double u = hw_rng_unit(&p->r);

    if (day >= g->as_of)
        return u < 0.02 ? "cancelled" : "scheduled";
    if (u < miss)
        return "missed";
    if (u < miss + 0.03)
        return "excused";
    if (u < miss + 0.05)
        return "cancelled";
    return "attended";
}

static const char *office(demo_gen *g, const demo_person *p, const demo_term *t)
{
    const demo_place *pl = p->place;
    bool parole = t->sup == SUP_PAROLE;

    if (t->sup == SUP_SR && p->juris == J_DC)
        return hw__demo_fmt(g, "CSOSA field unit, %s", pl->city);
    if (t->sup == SUP_SR || p->juris == J_FED)
        return hw__demo_fmt(g, "U.S. Probation Office, %s", pl->city);
    switch (p->juris) {
    case J_DC:
        return hw__demo_fmt(g, "CSOSA field unit, %s", pl->city);
    case J_PA:
        return parole ? hw__demo_fmt(g, "PA Parole Board, %s District Office", pl->city)
                      : hw__demo_fmt(g, "%s County Adult Probation and Parole", pl->county);
    case J_CA:
        return parole ? hw__demo_fmt(g, "CDCR Division of Adult Parole Operations, %s", pl->city)
                      : hw__demo_fmt(g, "%s County Probation Department", pl->county);
    case J_GA:
        return hw__demo_fmt(g, "Department of Community Supervision, %s office", pl->city);
    case J_MI:
        return hw__demo_fmt(g, "MDOC Probation and Parole, %s", pl->city);
    default:
        return parole ? hw__demo_fmt(g, "IDOC Parole, %s", pl->city)
                      : hw__demo_fmt(g, "%s County Adult Probation", pl->county);
    }
}

/* Days between check-ins by level: administrative, low, medium, high, intensive. */
static const int every[] = {60, 28, 14, 7, 7};

enum { K_DRUG_TESTING = 1, K_TREATMENT = 2, K_MENTAL = 3, K_EMPLOYMENT = 7, K_EDUCATION = 8 };

static hw_code checkins(demo_gen *g, demo_person *p, const demo_term *t, int32_t lo, int32_t hi,
                        hw_err *e)
{
    const char *where = office(g, p, t);
    int step = every[t->level];
    hw_code rc = HW_OK;

    if (t->level == 0 && hw_rng_chance(&p->r, 0.3))
        where = "Reporting kiosk";
    /* The first check-in falls somewhere in the first interval, on the person's weekday. */
    for (int32_t d = lo + (int32_t)hw_rng_below(&p->r, (uint64_t)step); d <= hi && !rc; d += step) {
        int32_t day = d + (p->checkin_dow - weekday(d) + 7) % 7;
        int minute =
            hw_rng_chance(&p->r, 0.8) ? p->checkin_min : 9 * 60 + 15 * (int)hw_rng_below(&p->r, 28);

        if (day > hi)
            break;
        rc = emit_one(g, p, t->id, "probation_checkin", day, minute, where,
                      outcome(g, p, day, p->miss), e);
    }
    return rc;
}

static hw_code drug_tests(demo_gen *g, demo_person *p, const demo_term *t, int32_t lo, int32_t hi,
                          hw_err *e)
{
    double per_month = t->level >= 3 ? 2.0 : 1.0;
    int n = (int)hw_rng_poisson(&p->r, per_month * (hi - lo) / 30.0);
    const char *where = hw__demo_fmt(g, "Drug testing center, %s", p->place->city);
    int32_t days[64];
    hw_code rc = HW_OK;

    if (n > 64)
        n = 64;
    for (int i = 0; i < n; i++)
        days[i] = workday((int32_t)hw_rng_range(&p->r, lo, hi));
    /* In date order, so that ids follow time as a real calendar's would. */
    for (int i = 1; i < n; i++) {
        int32_t x = days[i];
        int j = i;

        while (j > 0 && days[j - 1] > x) {
            days[j] = days[j - 1];
            j--;
        }
        days[j] = x;
    }
    for (int i = 0; i < n && !rc; i++)
        rc = emit_one(g, p, t->id, "drug_test", days[i], 7 * 60 + 15 * (int)hw_rng_below(&p->r, 36),
                      where, outcome(g, p, days[i], 0.08), e);
    return rc;
}

static hw_code programme(demo_gen *g, demo_person *p, const demo_term *t, int32_t lo, int32_t hi,
                         hw_err *e)
{
    static const char *const kinds[] = {
        "Outpatient treatment group",    "Thinking for a Change group",
        "Job readiness workshop",        "GED class",
        "Trauma-informed support group", "Parenting class"};
    const char *where;
    int32_t first;
    int sessions = (int)hw_rng_range(&p->r, 8, 16), pick;
    hw_code rc = HW_OK;

    if (t->conditions & (1u << K_TREATMENT))
        pick = hw_rng_chance(&p->r, 0.7) ? 0 : 4;
    else if (t->conditions & (1u << K_EDUCATION))
        pick = 3;
    else if (t->conditions & (1u << K_EMPLOYMENT))
        pick = 2;
    else
        pick = p->parent ? 5 : 1;
    where = hw__demo_fmt(g, "%s, %s", kinds[pick], p->place->city);
    first = (int32_t)hw_rng_range(&p->r, lo, hi - 7);
    first += (2 - weekday(first) + 7) % 7; /* Wednesdays */
    for (int i = 0; i < sessions && !rc; i++) {
        int32_t day = first + 7 * i;

        if (day > hi)
            break;
        rc = emit_one(g, p, t->id, "programme", day, 18 * 60, where,
                      outcome(g, p, day, p->miss * 1.5), e);
    }
    return rc;
}

hw_code hw__demo_emit_appointments(demo_gen *g, demo_person *p, hw_err *e)
{
    static const char *const employers[] = {
        "warehouse",   "restaurant", "construction company", "grocery store",
        "call center", "hospital",   "auto repair shop",     "hotel"};
    hw_rng *r = &p->r;
    hw_code rc = HW_OK;

    for (int i = 0; i < p->nterms && !rc; i++) {
        const demo_term *t = &p->terms[i];
        int32_t lo = demo_max(t->start, g->as_of - WINDOW_BEFORE), hi = g->as_of + WINDOW_AFTER;

        if (hi - lo < 14)
            continue;
        rc = checkins(g, p, t, lo, hi, e);
        if (!rc && (t->conditions & (1u << K_DRUG_TESTING)))
            rc = drug_tests(g, p, t, lo, hi, e);
        if (!rc &&
            (t->conditions & ((1u << K_TREATMENT) | (1u << K_MENTAL) | (1u << K_EMPLOYMENT) |
                              (1u << K_EDUCATION))) &&
            hw_rng_chance(r, 0.5))
            rc = programme(g, p, t, lo, hi, e);
        if (!rc && hw_rng_chance(r, 0.1)) {
            int32_t day = workday((int32_t)hw_rng_range(r, lo, hi));

            rc = emit_one(g, p, t->id, "court", day, 9 * 60 + 30 * (int)hw_rng_below(r, 12),
                          hw__demo_fmt(g, "Courtroom %u, %s", (unsigned)hw_rng_range(r, 101, 812),
                                       p->place->city),
                          outcome(g, p, day, p->miss / 2), e);
        }
        if (!rc && p->income < 150000 && hw_rng_chance(r, 0.15)) {
            int n = 1 + (int)hw_rng_below(r, 3);

            for (int k = 0; k < n && !rc; k++) {
                int32_t day = workday((int32_t)hw_rng_range(r, g->as_of - 60, hi));

                rc =
                    emit_one(g, p, 0, "job_interview", day, 10 * 60 + 30 * (int)hw_rng_below(r, 12),
                             hw__demo_fmt(g, "Job interview: %s, %s",
                                          employers[hw_rng_below(r, HW_ARRAY_LEN(employers))],
                                          p->place->city),
                             outcome(g, p, day, p->miss), e);
            }
        }
    }
    return rc;
}
