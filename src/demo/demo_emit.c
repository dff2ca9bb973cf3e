/* SPDX-License-Identifier: MIT */
/*
 * Turning one planned case into rows: its counts (convictions), sentences,
 * the supervision term with its violations, and custody events.  Money is
 * demo_money.c's and appointments demo_calendar.c's.
 */
#include "core/common.h"

#include <string.h>

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/rng.h"

/* The place whose courts decided a case: home, or a city of the case's state. */
static const demo_place *court_place(demo_person *p, const demo_case *c)
{
    if (c->juris == J_FED || c->juris == p->state)
        return p->place;
    return hw__demo_pick_place(&p->r, c->juris);
}

static const char *court_name(demo_gen *g, const demo_place *pl, const demo_case *c, bool municipal)
{
    bool felony = c->lead->cls == CL_FELONY;

    switch (c->juris) {
    case J_FED:
        return hw__demo_fmt(g, "U.S. District Court for the %s", pl->district);
    case J_DC:
        return "Superior Court of the District of Columbia";
    case J_PA:
        if (municipal)
            return "Philadelphia Municipal Court";
        return hw__demo_fmt(g, "Court of Common Pleas of %s County", pl->county);
    case J_CA:
        return hw__demo_fmt(g, "Superior Court of California, County of %s", pl->county);
    case J_GA:
        return hw__demo_fmt(g, "%s Court of %s County", felony ? "Superior" : "State", pl->county);
    case J_MI:
        return hw__demo_fmt(g, felony ? "%s County Circuit Court" : "District Court, %s County",
                            pl->county);
    default:
        return hw__demo_fmt(g, "Circuit Court of %s County", pl->county);
    }
}

static const char *case_number(demo_gen *g, demo_person *p, const demo_place *pl,
                               const demo_case *c, bool municipal)
{
    int y;
    unsigned n = (unsigned)hw_rng_below(&p->r, 1000000);
    bool felony = c->lead->cls == CL_FELONY;

    y = hw__demo_year(c->disposition);
    switch (c->juris) {
    case J_FED:
        return hw__demo_fmt(g, "%u:%02d-cr-%05u", 1 + n % 4, y % 100, n % 100000);
    case J_DC:
        return felony ? hw__demo_fmt(g, "%d CF%u %06u", y, 1 + n % 3, n)
                      : hw__demo_fmt(g, "%d CMD %06u", y, n);
    case J_PA:
        return hw__demo_fmt(g, "%s-%s-CR-%07u-%d", municipal ? "MC" : "CP", pl->code, n, y);
    case J_CA:
        if (!strcmp(pl->code, "BA"))
            return hw__demo_fmt(g, "BA%06u", n);
        return hw__demo_fmt(g, "%02d%s%06u", y % 100, felony ? "F" : "M", n);
    case J_GA:
        return hw__demo_fmt(g, "%dCR%06u", y, n);
    case J_MI:
        return hw__demo_fmt(g, "%02d-%06u-01-%s", y % 100, n, felony ? "FH" : "SM");
    default:
        return hw__demo_fmt(g, "%02d %s %07u", y % 100,
                            felony                      ? "CR"
                            : (c->lead->flags & OF_DUI) ? "DT"
                                                        : "MC",
                            n);
    }
}

/* One count: the lead (o == c->lead) or a companion. */
static hw_code emit_count(demo_gen *g, demo_person *p, demo_case *c, const demo_offense *o,
                          const char *court, const char *number, bool municipal, int disp,
                          int64_t *id, hw_err *e)
{
    hw_value *row = hw__demo_row(g, HW_K_CONVICTIONS);
    bool lead = o == c->lead;
    demo_case facts = *c;
    int cls;

    if (!lead) {
        facts.drug = D_NONE;
        hw__demo_drug_facts(&p->r, o, c->offense, &facts);
    }
    cls = hw__demo_case_class(o, &facts);
    dv_int(&row[C_PERSON], p->id);
    dv_text(&row[C_JURIS], hw__demo_juris_codes[c->juris]);
    dv_text(&row[C_COURT_TYPE], c->juris == J_FED  ? "federal_district"
                                : c->juris == J_DC ? "dc_superior"
                                : municipal        ? "municipal"
                                                   : "state");
    dv_text(&row[C_COURT], court);
    dv_text(&row[C_CASE], number);
    dv_text(&row[C_STATUTE], o->statute);
    dv_text(&row[C_DESC], o->desc);
    dv_text(&row[C_CLASS], hw__demo_value(HW_K_CONVICTIONS, C_CLASS, cls));
    dv_text(&row[C_DEGREE], cls == CL_INFRACTION ? NULL : o->degree);
    dv_date(&row[C_OFFENSE], c->offense);
    dv_text(&row[C_DISP], hw__demo_value(HW_K_CONVICTIONS, C_DISP, disp));
    if (disp != DI_PENDING)
        dv_date(&row[C_DISP_DATE], c->disposition);
    dv_int(&row[C_VIOLENT], (o->flags & OF_VIOLENT) != 0);
    dv_int(&row[C_SEX], (o->flags & OF_SEX) != 0);
    dv_int(&row[C_DRUG], o->drug != D_NONE);
    if (o->drug != D_NONE) {
        if (facts.drug >= D_MARIJUANA && facts.drug <= D_OTHER)
            dv_text(&row[C_DRUG_TYPE], hw__demo_value(HW_K_CONVICTIONS, C_DRUG_TYPE, facts.drug));
        dv_text(&row[C_CONDUCT], hw__demo_value(HW_K_CONVICTIONS, C_CONDUCT, o->conduct));
        if (facts.qty_mg > 0)
            dv_int(&row[C_QTY], facts.qty_mg);
        if (facts.plants > 0)
            dv_int(&row[C_PLANTS], facts.plants);
    }
    if (c->juris == J_FED && o->drug != D_NONE) {
        dv_int(&row[C_ROLE], lead && c->role);
        dv_int(&row[C_DEATH], lead && c->death);
    } else if (lead && (c->role || c->death)) {
        dv_int(&row[C_ROLE], c->role);
        dv_int(&row[C_DEATH], c->death);
    }
    return hw__demo_insert(g, HW_K_CONVICTIONS, id, e);
}

static const char *jail_name(demo_gen *g, const demo_place *pl, int juris)
{
    if (juris == J_DC)
        return "D.C. Central Detention Facility";
    if (juris == J_PA && !strcmp(pl->county, "Philadelphia"))
        return "Curran-Fromhold Correctional Facility";
    if (juris == J_PA)
        return hw__demo_fmt(g, "%s County Prison", pl->county);
    return hw__demo_fmt(g, "%s County Jail", pl->county);
}

static const char *facility(demo_gen *g, demo_person *p, const demo_place *pl, const demo_case *c)
{
    switch (c->stype) {
    case S_PRISON:
        return hw__demo_prison(&p->r, c->juris, p->female);
    case S_JAIL:
    case S_SPLIT:
    case S_SERVED:
        return jail_name(g, pl, c->juris == J_FED ? p->state : c->juris);
    default:
        return NULL;
    }
}

/* The sentence of one count; a companion's runs concurrently and is no longer. */
static hw_code emit_sentence(demo_gen *g, demo_person *p, const demo_case *c, int64_t conviction,
                             const char *fac, bool lead, int64_t *id, hw_err *e)
{
    hw_value *row = hw__demo_row(g, HW_K_SENTENCES);
    bool custody =
        c->stype == S_PRISON || c->stype == S_JAIL || c->stype == S_SPLIT || c->stype == S_SERVED;
    int term = c->term;

    if (!lead && term > 0)
        term = (int)(term * hw_rng_range(&p->r, 30, 100) / 100);
    else if (!lead && term < 0)
        term = 240;
    dv_int(&row[S_PERSON], p->id);
    dv_int(&row[S_CONVICTION], conviction);
    dv_text(&row[S_TYPE], hw__demo_value(HW_K_SENTENCES, S_TYPE, c->stype));
    dv_date(&row[S_IMPOSED], c->imposed);
    if (c->stype != S_FINE)
        dv_date(&row[S_START], c->start);
    if (term > 0 || (term == 0 && c->stype == S_SERVED))
        dv_int(&row[S_TERM], term);
    if (c->stype == S_PRISON)
        dv_int(&row[S_LIFE], term < 0);
    if (custody)
        dv_int(&row[S_CREDITS], c->credits);
    if (c->juris == J_FED && c->stype == S_PRISON)
        dv_int(&row[S_PROGRAMMING], c->programming);
    if (c->risk >= 0)
        dv_text(&row[S_RISK], hw__demo_value(HW_K_SENTENCES, S_RISK, c->risk));
    if (c->prior_risk >= 0)
        dv_text(&row[S_PRIOR_RISK], hw__demo_value(HW_K_SENTENCES, S_PRIOR_RISK, c->prior_risk));
    dv_text(&row[S_FACILITY], fac);
    if (demo_has(c->projected) && custody)
        dv_date(&row[S_PROJECTED], c->projected);
    if (demo_has(c->release) && custody)
        dv_date(&row[S_RELEASE], c->release);
    return hw__demo_insert(g, HW_K_SENTENCES, id, e);
}

/* Condition bits, in the vocabulary's order. */
enum {
    K_REPORT,
    K_DRUG_TESTING,
    K_TREATMENT,
    K_MENTAL_HEALTH,
    K_CURFEW,
    K_EM,
    K_NO_CONTACT,
    K_EMPLOYMENT,
    K_EDUCATION,
    K_COMMUNITY_SERVICE,
    K_RESTITUTION,
    K_FINES,
    K_TRAVEL,
    K_SEX_OFFENDER,
    K_FIREARM,
    K_COUNT
};

static uint32_t conditions(hw_rng *r, const demo_case *c)
{
    const demo_offense *o = c->lead;
    uint32_t k = 1u << K_REPORT;
    bool drug = o->drug != D_NONE || (o->flags & OF_DUI);

#define COND(bit, prob)                                                                            \
    do {                                                                                           \
        if (hw_rng_chance(r, prob))                                                                \
            k |= 1u << (bit);                                                                      \
    } while (0)
    COND(K_DRUG_TESTING, drug ? 0.8 : 0.25);
    COND(K_TREATMENT, drug ? 0.5 : 0.1);
    COND(K_MENTAL_HEALTH, 0.1);
    COND(K_CURFEW, c->sup == SUP_PROBATION ? 0.06 : 0.12);
    COND(K_EM, 0.04);
    COND(K_NO_CONTACT, (o->flags & (OF_VIOLENT | OF_SEX)) ? 0.7 : 0.05);
    COND(K_EMPLOYMENT, 0.4);
    COND(K_EDUCATION, 0.05);
    COND(K_COMMUNITY_SERVICE, c->sup == SUP_PROBATION ? 0.15 : 0.02);
    COND(K_RESTITUTION, (o->flags & (OF_PROPERTY | OF_FRAUD)) ? 0.6 : 0.03);
    COND(K_FINES, 0.6);
    COND(K_TRAVEL, c->juris == J_FED ? 1.0 : 0.6);
    if (o->flags & OF_SEX)
        k |= 1u << K_SEX_OFFENDER;
    if (o->cls == CL_FELONY || (o->flags & OF_FIREARM))
        COND(K_FIREARM, 0.9);
#undef COND
    return k;
}

static const char *condition_set(demo_gen *g, uint32_t bits)
{
    char buf[320];
    size_t n = 0;

    for (int i = 0; i < K_COUNT; i++)
        if (bits & (1u << i))
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? ";" : "",
                                  hw__demo_value(HW_K_SUPERVISION, V_CONDITIONS, i));
    return hw__demo_fmt(g, "%s", buf);
}

/* Violation categories in the vocabulary's order, with what a case note would say. */
enum {
    VC_MISSED,
    VC_DRUG_TEST,
    VC_FEES,
    VC_CURFEW,
    VC_ABSCOND,
    VC_PROGRAM,
    VC_TRAVEL,
    VC_CONTACT,
    VC_SEXUAL,
    VC_ASSAULT,
    VC_FIREARM,
    VC_TRAFFICKING,
    VC_NEW_MISD,
    VC_NEW_FELONY,
    VC_OTHER
};
static const char *const category_notes[] = {
    "Missed a scheduled office visit",
    "Positive urinalysis",
    "No payment toward fines, costs and fees for three months",
    "Not home during curfew hours",
    "Left the approved residence; whereabouts unknown",
    "Unsuccessful discharge from the treatment program",
    "Left the district without permission",
    "Contact with a prohibited person",
    "Sexual misconduct reported by a treatment provider",
    "Threatened a household member",
    "Found in possession of a firearm",
    "Arrested for possession with intent to deliver",
    "Arrested for a new misdemeanor",
    "Arrested for a new felony",
    "Failed to report a change of employment"};
static const char *const outcome_names[] = {
    "pending", "warning", "sanction",  "modified_conditions",
    "jail",    "revoked", "dismissed", "continued"};
enum {
    VO_PENDING,
    VO_WARNING,
    VO_SANCTION,
    VO_MODIFIED,
    VO_JAIL,
    VO_REVOKED,
    VO_DISMISSED,
    VO_CONTINUED
};

static hw_code emit_violation(demo_gen *g, demo_person *p, int64_t term, int32_t day, int cat,
                              int outcome, int32_t outcome_day, hw_err *e)
{
    hw_value *row = hw__demo_row(g, HW_K_VIOLATIONS);
    bool new_offense = cat == VC_NEW_MISD || cat == VC_NEW_FELONY;
    int64_t id;

    if (outcome != VO_PENDING && outcome_day > g->as_of)
        outcome = VO_PENDING; /* not decided yet */
    dv_int(&row[X_PERSON], p->id);
    dv_int(&row[X_SUPERVISION], term);
    dv_date(&row[X_DATE], day);
    dv_text(&row[X_TYPE], new_offense ? "new_offense" : "technical");
    dv_text(&row[X_CATEGORY], hw__demo_value(HW_K_VIOLATIONS, X_CATEGORY, cat));
    dv_text(&row[X_DESC], category_notes[cat]);
    dv_text(&row[X_OUTCOME], outcome_names[outcome]);
    if (outcome != VO_PENDING)
        dv_date(&row[X_OUTCOME_DATE], demo_max(outcome_day, day));
    return hw__demo_insert(g, HW_K_VIOLATIONS, &id, e);
}

/* A technical violation's category: missing check-ins goes with the person's habits. */
static int technical_category(demo_person *p)
{
    double w[] = {[VC_MISSED] = 30 * p->miss / 0.075,
                  [VC_DRUG_TEST] = 25,
                  [VC_FEES] = 5,
                  [VC_CURFEW] = 6,
                  [VC_ABSCOND] = 5,
                  [VC_PROGRAM] = 10,
                  [VC_TRAVEL] = 4,
                  [VC_CONTACT] = 3,
                  [VC_SEXUAL] = 0.5,
                  [VC_ASSAULT] = 2,
                  [VC_FIREARM] = 1.5,
                  [VC_TRAFFICKING] = 1.5,
                  [VC_NEW_MISD] = 0,
                  [VC_NEW_FELONY] = 0,
                  [VC_OTHER] = 4};

    return (int)hw_rng_pick(&p->r, w, HW_ARRAY_LEN(w));
}

static int technical_outcome(hw_rng *r)
{
    static const double w[] = {
        [VO_PENDING] = 0, [VO_WARNING] = 38, [VO_SANCTION] = 20, [VO_MODIFIED] = 15,
        [VO_JAIL] = 9,    [VO_REVOKED] = 0,  [VO_DISMISSED] = 6, [VO_CONTINUED] = 12};

    return (int)hw_rng_pick(r, w, HW_ARRAY_LEN(w));
}

static hw_code emit_violations(demo_gen *g, demo_person *p, const demo_case *c, int64_t term,
                               hw_err *e)
{
    const demo_hint *h = c->current ? demo_current_hint(p) : NULL;
    hw_rng *r = &p->r;
    int32_t lo = c->sup_start + 14, hi = demo_has(c->sup_end) ? c->sup_end : g->as_of;
    bool active =
        c->sup_status == SS_ACTIVE || c->sup_status == SS_TOLLED || c->sup_status == SS_ABSCONDED;
    hw_code rc = HW_OK;

    if (h && (h->flags & HF_NO_VIOLATIONS))
        return HW_OK;
    if (hi > lo) {
        /* About 30% of people on supervision have a technical violation; 6.5% a new offense. */
        int n = hw_rng_chance(r, active ? 0.30 : 0.15) ? 1 + (int)hw_rng_poisson(r, 0.6) : 0;

        for (int i = 0; i < n && !rc; i++) {
            int32_t day = (int32_t)hw_rng_range(r, lo, hi);

            rc = emit_violation(g, p, term, day, technical_category(p), technical_outcome(r),
                                day + (int32_t)hw_rng_range(r, 0, 60), e);
        }
        if (!rc && hw_rng_chance(r, active ? 0.065 : 0.03)) {
            int32_t day = (int32_t)hw_rng_range(r, lo, hi);
            int outcome = hw_rng_chance(r, 0.5) ? VO_PENDING : VO_CONTINUED;

            rc = emit_violation(g, p, term, day,
                                hw_rng_chance(r, 0.65) ? VC_NEW_MISD : VC_NEW_FELONY, outcome,
                                day + (int32_t)hw_rng_range(r, 30, 240), e);
        }
    }
    if (!rc && h && (h->flags & HF_ASSAULTIVE_RECENT))
        rc = emit_violation(g, p, term, g->as_of - 60, VC_ASSAULT, VO_SANCTION, g->as_of - 45, e);
    if (!rc && h && (h->flags & HF_VIOLATION_RECENT))
        rc = emit_violation(g, p, term, g->as_of - 42, VC_MISSED, VO_WARNING, g->as_of - 40, e);
    if (!rc && demo_has(c->ret_date))
        rc = emit_violation(g, p, term, c->ret_date - (int32_t)hw_rng_range(r, 0, 10),
                            c->ret_new_offense ? VC_NEW_FELONY : technical_category(p),
                            c->sup_status == SS_REVOKED ? VO_REVOKED : VO_JAIL, c->ret_date, e);
    else if (!rc && c->sup_status == SS_REVOKED)
        rc = emit_violation(
            g, p, term, demo_max(c->sup_start, c->sup_end - (int32_t)hw_rng_range(r, 7, 60)),
            hw_rng_chance(r, 0.4) ? VC_NEW_MISD : technical_category(p), VO_REVOKED, c->sup_end, e);
    if (!rc && c->sup_status == SS_ABSCONDED)
        rc = emit_violation(g, p, term,
                            demo_max(c->sup_start, g->as_of - (int32_t)hw_rng_range(r, 20, 300)),
                            VC_ABSCOND, VO_PENDING, 0, e);
    return rc;
}

static hw_code emit_supervision(demo_gen *g, demo_person *p, const demo_place *pl, demo_case *c,
                                int64_t sentence, hw_err *e)
{
    static const double level_w[] = {10, 30, 35, 18, 7}; /* administrative .. intensive */
    static const char *const levels[] = {"administrative", "low", "medium", "high", "intensive"};
    hw_value *row = hw__demo_row(g, HW_K_SUPERVISION);
    uint32_t conds = conditions(&p->r, c);
    int level = (int)hw_rng_pick(&p->r, level_w, 5);
    int64_t id;
    hw_code rc;

    if (c->sup_status <= SS_ABSCONDED)
        c->sup_end = DEMO_NO_DATE; /* an open term has no end yet */
    dv_int(&row[V_PERSON], p->id);
    if (sentence)
        dv_int(&row[V_SENTENCE], sentence);
    dv_text(&row[V_TYPE], hw__demo_value(HW_K_SUPERVISION, V_TYPE, c->sup));
    dv_text(&row[V_JURIS], hw__demo_juris_codes[c->juris]);
    dv_date(&row[V_START], c->sup_start);
    if (demo_has(c->sup_sched_end))
        dv_date(&row[V_SCHED_END], demo_max(c->sup_sched_end, c->sup_start));
    if (demo_has(c->sup_end))
        dv_date(&row[V_END], c->sup_end);
    dv_text(&row[V_OFFICER], hw__demo_officer(g, pl, c->juris, (unsigned)hw_rng_below(&p->r, 40)));
    dv_text(&row[V_LEVEL], levels[level]);
    dv_text(&row[V_STATUS], hw__demo_value(HW_K_SUPERVISION, V_STATUS, c->sup_status));
    dv_text(&row[V_CONDITIONS], condition_set(g, conds));
    rc = hw__demo_insert(g, HW_K_SUPERVISION, &id, e);
    if (rc)
        return rc;
    if (c->current && c->sup_status <= SS_TOLLED && p->nterms < DEMO_MAX_TERMS) {
        demo_term *t = &p->terms[p->nterms++];

        t->id = id;
        t->sup = c->sup;
        t->status = c->sup_status;
        t->level = (uint8_t)level;
        t->conditions = conds;
        t->start = c->sup_start;
        t->sched_end = c->sup_sched_end;
        t->end = 0;
    }
    return emit_violations(g, p, c, id, e);
}

static hw_code emit_event(demo_gen *g, demo_person *p, int64_t sentence, int32_t day,
                          const char *event, const char *reason, const char *fac, hw_err *e)
{
    hw_value *row = hw__demo_row(g, HW_K_CUSTODY_EVENTS);
    int64_t id;

    dv_int(&row[E_PERSON], p->id);
    if (sentence)
        dv_int(&row[E_SENTENCE], sentence);
    dv_date(&row[E_DATE], day);
    dv_text(&row[E_EVENT], event);
    dv_text(&row[E_REASON], reason);
    dv_text(&row[E_FACILITY], fac);
    return hw__demo_insert(g, HW_K_CUSTODY_EVENTS, &id, e);
}

static hw_code emit_custody(demo_gen *g, demo_person *p, const demo_place *pl, const demo_case *c,
                            int64_t sentence, const char *fac, hw_err *e)
{
    hw_rng *r = &p->r;
    hw_code rc = HW_OK;
    bool prison = c->stype == S_PRISON;
    int32_t first_release = c->release;

    /* Pretrial detention for some: booked, then released by the court before disposition. */
    if (hw_rng_chance(r, 0.12)) {
        int32_t in = c->offense + (int32_t)hw_rng_below(r, 2);
        int32_t out = in + (int32_t)hw_rng_range(r, 1, 30);

        if (out < c->disposition && out <= g->as_of) {
            const char *jail = jail_name(g, pl, c->juris == J_FED ? p->state : c->juris);

            rc = emit_event(g, p, 0, in, "admitted", "pretrial", jail, e);
            if (!rc)
                rc = emit_event(g, p, 0, out, "released", "court_order", jail, e);
        }
    }
    if (rc || !(prison || ((c->stype == S_JAIL || c->stype == S_SPLIT) && hw_rng_chance(r, 0.5))))
        return rc;
    rc = emit_event(g, p, sentence, c->start, "admitted", "new_sentence", fac, e);
    if (!rc && prison && c->term > 36 && hw_rng_chance(r, 0.3)) {
        int32_t out = demo_has(first_release)  ? first_release
                      : demo_has(c->sup_start) ? c->sup_start
                                               : g->as_of;
        int32_t day = c->start + (int32_t)((out - c->start) * hw_rng_range(r, 10, 60) / 100);

        fac = hw__demo_prison(r, c->juris, p->female);
        rc = emit_event(g, p, sentence, day, "transferred", "transfer", fac, e);
    }
    if (rc)
        return rc;
    if (!demo_has(first_release) && c->sup == SUP_PAROLE && c->sup_status == SS_REVOKED &&
        c->current)
        first_release = c->sup_start; /* released, then sent back on this sentence */
    if (demo_has(first_release)) {
        const char *why = c->sup == SUP_PAROLE ? "parole"
                          : c->sup == SUP_SR
                              ? (c->fsa_release ? "first_step_act" : "supervised_release")
                              : "sentence_complete";

        rc = emit_event(g, p, sentence, first_release, "released", why, fac, e);
    }
    if (!rc && demo_has(c->ret_date)) {
        const char *back = prison ? hw__demo_prison(r, c->juris, p->female) : fac;

        rc = emit_event(g, p, sentence, c->ret_date, "returned",
                        c->ret_new_offense ? "new_offense" : "technical_violation", back, e);
        if (!rc && demo_has(c->ret_release))
            rc = emit_event(g, p, sentence, c->ret_release, "released",
                            c->sup_status == SS_REVOKED ? "sentence_complete" : "parole", back, e);
    }
    return rc;
}

hw_code hw__demo_emit_case(demo_gen *g, demo_person *p, demo_case *c, hw_err *e)
{
    const demo_place *pl = court_place(p, c);
    bool municipal = c->juris == J_PA && !strcmp(pl->county, "Philadelphia") &&
                     c->lead->cls != CL_FELONY && hw_rng_chance(&p->r, 0.5);
    const char *court = court_name(g, pl, c, municipal);
    const char *number = case_number(g, p, pl, c, municipal);
    const char *fac = facility(g, p, pl, c);
    int64_t lead_conv = 0, lead_sent = 0, id;
    int year = hw__demo_year(c->offense);
    hw_code rc;

    for (int k = 0; k < c->ncounts; k++) {
        const demo_offense *o =
            k ? hw__demo_pick_companion(&p->r, c->lead, year, p->cit == CIT_US || p->cit == CIT_LPR)
              : c->lead;
        int disp = c->disp;

        if (!o)
            break;
        if (k && hw_rng_chance(&p->r, 0.12))
            disp = DI_DISMISSED; /* counts dropped in the plea */
        rc = emit_count(g, p, c, o, court, number, municipal, disp, &id, e);
        if (rc)
            return rc;
        if (!k)
            lead_conv = id;
        if (disp == DI_DISMISSED || disp == DI_ACQUITTED || disp == DI_PENDING)
            continue;
        if (k && hw_rng_chance(&p->r, 0.5))
            continue; /* merged into the lead count's sentence */
        rc = emit_sentence(g, p, c, id, fac, !k, &id, e);
        if (rc)
            return rc;
        if (!k)
            lead_sent = id;
    }
    /* Older terms are often missing from agency extracts: keep 60% of them. */
    if (c->sup != SUP_NONE && (c->current || hw_rng_chance(&p->r, 0.6))) {
        rc = emit_supervision(g, p, pl, c, lead_sent, e);
        if (rc)
            return rc;
    }
    if (lead_sent && (c->current || hw_rng_chance(&p->r, 0.7))) {
        rc = emit_custody(g, p, pl, c, lead_sent, fac, e);
        if (rc)
            return rc;
    }
    return hw__demo_emit_money(g, p, c, lead_conv, e);
}
