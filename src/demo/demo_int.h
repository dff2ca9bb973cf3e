/* SPDX-License-Identifier: MIT */
/*
 * Internal to the demo generator (src/demo/): the embedded tables (places and
 * names in demo_data.c, offenses in demo_offenses.c, guaranteed situations in
 * demo_hints.c), the plan of one person while it is built, and the row helpers
 * the files share.  demo.c drives; demo_people.c plans a person and writes
 * their row; demo_cases.c plans their cases; demo_emit.c, demo_money.c and
 * demo_calendar.c turn the plan into rows.
 */
#ifndef HW_DEMO_INT_H
#define HW_DEMO_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "homeward/arena.h"
#include "homeward/demo.h"
#include "homeward/rng.h"
#include "homeward/vocab.h"

#define DEMO_MAX_FIELDS 40 /* the widest kind (people) has 24 */
#define DEMO_MAX_CASES 32
#define DEMO_MAX_TERMS 8 /* supervision terms remembered for appointments */
#define DEMO_DAY_SECS 86400
#define DEMO_NO_DATE INT32_MIN /* a date field left empty (day 0 is 1970-01-01) */

/* Jurisdictions of the first rule packs; a person's "home" one is also their state. */
enum demo_juris { J_FED, J_DC, J_PA, J_CA, J_GA, J_MI, J_IL, J_COUNT };

/* Where a person stands on the as-of date. */
enum demo_status { ST_PROBATION, ST_PAROLE, ST_SR, ST_PRISON, ST_PAST, ST_COUNT };

/* Offense classes, in the vocabulary's order. */
enum demo_class { CL_FELONY, CL_MISD, CL_SUMMARY, CL_INFRACTION };

/* Drug types and conducts, in the vocabulary's order (checked at start-up). */
enum demo_drug {
    D_NONE = -1,
    D_MARIJUANA,
    D_COCAINE,
    D_CRACK,
    D_HEROIN,
    D_FENTANYL,
    D_METH,
    D_OPIOID,
    D_OTHER,
    D_HARD,    /* catalogue only: any substance but marijuana, drawn per case */
    D_ANY,     /* catalogue only: any substance, drawn per case */
    D_UNKNOWN, /* catalogue only: a drug offense with no substance recorded */
};
enum demo_conduct {
    DC_NONE = -1,
    DC_SIMPLE,
    DC_ATTEMPT,
    DC_USE,
    DC_PWID,
    DC_DISTRIBUTION,
    DC_MANUFACTURE,
    DC_CULTIVATION,
    DC_CONSPIRACY,
    DC_TRAFFICKING,
    DC_DUI,
    DC_IN_PRISON,
    DC_OTHER,
};

/* How a drug quantity is drawn. */
enum demo_qty {
    Q_NONE,
    Q_USER,   /* personal use */
    Q_DEALER, /* street-level sale */
    Q_TRAF_B, /* between the 841(b)(1)(B) and (A) thresholds */
    Q_TRAF_A, /* at or above the 841(b)(1)(A) threshold */
    Q_OUNCE,  /* around California's 28.5 g line */
    Q_PLANTS, /* a plant count around California's six */
};

enum demo_offense_flags {
    OF_VIOLENT = 1 << 0,
    OF_SEX = 1 << 1,
    OF_FAMILY = 1 << 2,   /* against a family or household member */
    OF_PROPERTY = 1 << 3, /* a victim's loss: restitution likely */
    OF_FRAUD = 1 << 4,    /* large losses: large restitution */
    OF_DUI = 1 << 5,
    OF_FIREARM = 1 << 6,
    OF_ROLE = 1 << 7,     /* a leader/organiser role finding is possible */
    OF_DEATH = 1 << 8,    /* "death or serious bodily injury resulted" is possible */
    OF_CA_OUNCE = 1 << 9, /* California 11357: infraction at or under 28.5 g from 2011 */
    OF_IMMIG = 1 << 10,   /* an immigration offense: the person is not a citizen */
};

typedef struct demo_offense {
    const char *statute; /* normalised, as hw_statute_normalize() writes it */
    const char *desc;
    const char *degree;   /* grade within the class ("F1", "Class 4"), or NULL */
    uint8_t juris;        /* enum demo_juris */
    uint8_t cls;          /* enum demo_class */
    uint8_t sev;          /* 0 petty .. 3 serious: drives the sentence */
    int8_t drug;          /* enum demo_drug */
    int8_t conduct;       /* enum demo_conduct */
    uint8_t qty;          /* enum demo_qty */
    uint16_t flags;       /* enum demo_offense_flags */
    uint16_t weight;      /* how common, within the jurisdiction */
    uint16_t from, until; /* first and last year it is charged; 0 = open */
} demo_offense;

/* Contexts in which an offense is drawn: they weight the severities. */
enum demo_ctx { CTX_PRIOR, CTX_PROBATION, CTX_CUSTODY, CTX_COUNT };

/* A city with its courts, ZIP codes and area codes. */
typedef struct demo_place {
    uint8_t state;   /* enum demo_juris of the state (J_DC for Washington) */
    uint16_t weight; /* share within the state */
    const char *city;
    const char *county;   /* "Philadelphia", used in court and office names */
    const char *code;     /* county code in case numbers ("51" in CP-51-CR-...) */
    const char *district; /* federal district: "Eastern District of Pennsylvania" */
    uint32_t zip_lo, zip_hi;
    const char *area[2]; /* telephone area codes */
} demo_place;

/* Citizenship values, in the vocabulary's order. */
enum demo_cit { CIT_US, CIT_LPR, CIT_LAWFUL, CIT_UNLAWFUL, CIT_UNKNOWN };

/*
 * A situation some rule must meet (demo_hints.c): odd-numbered people among
 * the first few hundred each get one, so that even a small demo has every
 * case.  Fields that name an enum hold the value plus one; 0 means "drawn".
 */
enum demo_hint_kind { H_CURRENT, H_EXTRA };
enum demo_hint_flags {
    HF_ROLE = 1 << 0,
    HF_DEATH = 1 << 1,
    HF_FAMILY = 1 << 2,            /* pick the family-member variant of the statute */
    HF_FIRST = 1 << 3,             /* no earlier convictions */
    HF_ASSAULTIVE_RECENT = 1 << 4, /* an assaultive technical violation 2 months ago */
    HF_VIOLATION_RECENT = 1 << 5,  /* a missed-appointment violation 6 weeks ago */
    HF_MOTHER = 1 << 6,            /* a woman with a child under 18 */
    HF_RESTITUTION_PAID = 1 << 7,
    HF_RESTITUTION_SMALL = 1 << 8, /* all paid but a few hundred dollars of restitution */
    HF_REMOVAL = 1 << 9,
    HF_LOW_RISK = 1 << 10, /* minimum/low risk twice and steady programming */
    HF_NO_VIOLATIONS = 1 << 11,
    HF_SNAP = 1 << 12,
    HF_MISD = 1 << 13,      /* pick the misdemeanor variant of the statute */
    HF_FEES_ONLY = 1 << 14, /* owes only small fees and costs */
    HF_RETURNED = 1 << 15,  /* a parolee returned to custody last year */
    HF_FEMALE = 1 << 16,
    HF_RESTITUTION_OWED = 1 << 17, /* restitution ordered and not yet paid */
};

typedef struct demo_hint {
    uint8_t kind;           /* enum demo_hint_kind */
    uint8_t juris, status;  /* the person's home jurisdiction and status, plus one */
    const char *statute;    /* the case's lead offense (with drug, below) */
    uint8_t drug;           /* enum demo_drug plus one */
    int32_t offense_ymd;    /* yyyymmdd, 0 = drawn */
    int16_t start_months;   /* supervision (or custody) began this many months ... */
    int16_t start_days;     /* ... plus days before as-of; both 0 = drawn */
    int16_t term;           /* months of probation or custody; -1 = life; 0 = drawn */
    int16_t sup_term;       /* months of parole or supervised release; 0 = drawn */
    int16_t age_at_offense; /* 0 = drawn */
    int64_t qty_mg;         /* 0 = drawn */
    int32_t plants;         /* 0 = drawn */
    uint32_t flags;         /* enum demo_hint_flags */
    uint8_t cit, prior_cit; /* enum demo_cit plus one: status now and before */
    int32_t cit_since_ymd;
    int16_t income_pct; /* household income as % of the poverty guideline; 0 = drawn */
    const char *why;    /* what it is there for */
} demo_hint;

/* Sentence types, supervision types and statuses, in the vocabulary's order. */
enum demo_stype { S_PRISON, S_JAIL, S_PROBATION, S_SPLIT, S_SUSPENDED, S_FINE, S_SERVED };
enum demo_sup { SUP_PROBATION, SUP_PAROLE, SUP_SR, SUP_NONE };
enum demo_supstat { SS_ACTIVE, SS_TOLLED, SS_ABSCONDED, SS_COMPLETED, SS_EARLY, SS_REVOKED };
enum demo_disp {
    DI_PLEA,
    DI_VERDICT,
    DI_NOLO,
    DI_DEFERRED,
    DI_DISMISSED,
    DI_ACQUITTED,
    DI_PENDING
};
enum demo_risk { R_NONE = -1, R_MINIMUM, R_LOW, R_MEDIUM, R_HIGH };

/* One case (one or more counts decided together) and what followed it. */
typedef struct demo_case {
    const demo_offense *lead;
    uint8_t juris; /* of the court */
    uint8_t ncounts;
    uint8_t disp; /* enum demo_disp of the lead count */
    bool current; /* the case behind the person's status now */
    bool role, death;
    int8_t drug;    /* resolved substance, or D_NONE / D_UNKNOWN */
    int64_t qty_mg; /* 0 = none recorded */
    int32_t plants;
    int32_t offense, disposition, imposed; /* dates here may be DEMO_NO_DATE */
    /* The sentence of the lead count. */
    uint8_t stype;     /* enum demo_stype */
    int32_t start;     /* when it began to run */
    int16_t term;      /* months; -1 = life; 0 = none */
    int32_t projected; /* projected release, or none */
    int32_t release;   /* actual release, or none (still in, or not custodial) */
    int16_t credits, programming;
    int8_t risk, prior_risk; /* enum demo_risk */
    bool fsa_release;        /* released early under the First Step Act */
    /* The supervision term that followed or replaced custody. */
    uint8_t sup;        /* enum demo_sup */
    uint8_t sup_status; /* enum demo_supstat */
    int32_t sup_start, sup_sched_end, sup_end;
    /* A return to custody during parole, and the re-release. */
    int32_t ret_date, ret_release;
    bool ret_new_offense;
    /* Money: what the person still owes is steered for some people. */
    int64_t small_restitution; /* cents left unpaid on purpose, or 0 */
    bool restitution_paid, restitution_owed;
    bool fees_only;
    bool settle; /* everything this case imposed has been paid */
} demo_case;

/* A supervision term as emitted, for appointments and violations. */
typedef struct demo_term {
    int64_t id;
    uint8_t sup, status, level;
    uint32_t conditions; /* bits in the vocabulary's order */
    int32_t start, sched_end, end;
} demo_term;

enum demo_payer { PAY_NONE, PAY_SPORADIC, PAY_REGULAR };

/* One person's plan. */
typedef struct demo_person {
    hw_rng r;
    int64_t id;
    const demo_hint *hint;
    uint8_t juris;  /* home jurisdiction */
    uint8_t status; /* enum demo_status */
    uint8_t state;  /* state of residence (enum demo_juris, never J_FED) */
    const demo_place *place;
    int tz; /* standard-time UTC offset in minutes (-300 for Eastern) */
    bool female, parent;
    int32_t dob;
    int hh;
    int64_t income; /* household monthly cents */
    uint32_t benefits;
    int8_t cit, prior_cit; /* indexes into the vocabulary's citizenship list; -1 = none */
    int32_t cit_since;     /* or DEMO_NO_DATE */
    bool removal;
    uint8_t payer;   /* enum demo_payer */
    double miss;     /* chance of missing a check-in */
    int checkin_dow; /* weekday of regular check-ins, 0 = Monday */
    int checkin_min; /* minute of the day */
    demo_case cases[DEMO_MAX_CASES];
    int ncases; /* in date order once planned */
    demo_term terms[DEMO_MAX_TERMS];
    int nterms;
} demo_person;

/* The generator: one per hw_demo_generate() call. */
typedef struct demo_gen {
    hw_store *s;
    int32_t as_of;
    uint64_t seed;
    int64_t last[HW_K_COUNT]; /* last id used, per kind */
    size_t nfields[HW_K_COUNT];
    hw_value row[DEMO_MAX_FIELDS];
    hw_arena a;   /* strings of the person being generated */
    hw_arena dbg; /* debug builds: canonical copies while re-checking a row */
    bool oom;     /* an arena allocation failed */
} demo_gen;

/* Field positions, checked against the vocabulary by name at start-up (demo.c). */
enum { O_ID, O_NAME, O_STATE };
enum {
    P_ID,
    P_ORG,
    P_EXTERNAL,
    P_GIVEN,
    P_MIDDLE,
    P_FAMILY,
    P_DOB,
    P_SEX,
    P_PARENT,
    P_HH,
    P_INCOME,
    P_BENEFITS,
    P_CIT,
    P_CIT_SINCE,
    P_PRIOR_CIT,
    P_REMOVAL,
    P_PHONE,
    P_EMAIL,
    P_ADDRESS,
    P_CITY,
    P_STATE,
    P_ZIP,
    P_CONSENT,
    P_CONTACT
};
enum {
    C_ID,
    C_PERSON,
    C_JURIS,
    C_COURT_TYPE,
    C_COURT,
    C_CASE,
    C_STATUTE,
    C_DESC,
    C_CLASS,
    C_DEGREE,
    C_OFFENSE,
    C_DISP,
    C_DISP_DATE,
    C_VIOLENT,
    C_SEX,
    C_DRUG,
    C_DRUG_TYPE,
    C_CONDUCT,
    C_QTY,
    C_PLANTS,
    C_ROLE,
    C_DEATH
};
enum {
    S_ID,
    S_PERSON,
    S_CONVICTION,
    S_TYPE,
    S_IMPOSED,
    S_START,
    S_TERM,
    S_LIFE,
    S_CREDITS,
    S_PROGRAMMING,
    S_RISK,
    S_PRIOR_RISK,
    S_FACILITY,
    S_PROJECTED,
    S_RELEASE
};
enum {
    V_ID,
    V_PERSON,
    V_SENTENCE,
    V_TYPE,
    V_JURIS,
    V_START,
    V_SCHED_END,
    V_END,
    V_OFFICER,
    V_LEVEL,
    V_STATUS,
    V_CONDITIONS
};
enum { B_ID, B_PERSON, B_CONVICTION, B_KIND, B_DESC, B_PAYEE, B_JURIS, B_IMPOSED };
enum { L_ID, L_OBLIGATION, L_DATE, L_KIND, L_AMOUNT, L_REFERENCE, L_MEMO };
enum { A_ID, A_PERSON, A_SUPERVISION, A_KIND, A_STARTS, A_LOCATION, A_STATUS };
enum {
    X_ID,
    X_PERSON,
    X_SUPERVISION,
    X_DATE,
    X_TYPE,
    X_CATEGORY,
    X_DESC,
    X_OUTCOME,
    X_OUTCOME_DATE
};
enum { E_ID, E_PERSON, E_SENTENCE, E_DATE, E_EVENT, E_REASON, E_FACILITY };

/* Vocabulary strings the generator writes, by the enums above (demo.c). */
/* Value v of an enum field of kind k, from the vocabulary: the generator's enums follow its order.
 */
const char *hw__demo_value(hw_kind k, int field, int v);
extern const char *const hw__demo_juris_codes[]; /* "federal", "DC", "PA", ... */

/* Tables (demo_data.c). */
extern const demo_place hw__demo_places[];
extern const size_t hw__demo_nplaces;
const char *hw__demo_pick_name(hw_rng *r, bool female);
const char *hw__demo_pick_family(hw_rng *r);
const char *hw__demo_pick_street(hw_rng *r);
const char *hw__demo_pick_street_kind(hw_rng *r);
/* A prison for a sentence of jurisdiction `juris` (BOP for federal and D.C. Code ones). */
const char *hw__demo_prison(hw_rng *r, uint8_t juris, bool female);
/* A supervising officer of place pl (stable across people), in the arena. */
const char *hw__demo_officer(demo_gen *g, const demo_place *pl, uint8_t juris, unsigned n);
/* A place in state st (enum demo_juris). */
const demo_place *hw__demo_pick_place(hw_rng *r, uint8_t st);

/* Offenses (demo_offenses.c). */
const demo_offense *hw__demo_pick_offense(hw_rng *r, uint8_t juris, int ctx, int year);
/* A lesser companion count for a case led by `lead` (no immigration count for a citizen). */
const demo_offense *hw__demo_pick_companion(hw_rng *r, const demo_offense *lead, int year,
                                            bool citizen);
/* The catalogue entry for a statute (drug: its substance, or D_NONE to take the first). */
const demo_offense *hw__demo_find_offense(const char *statute, int drug, bool family, bool misd);
/* Resolve the substance, quantity and plants of a case led by o, committed on `offense`. */
void hw__demo_drug_facts(hw_rng *r, const demo_offense *o, int32_t offense, demo_case *c);
/* The offense class of a case's lead count (California 11357 depends on amount and year). */
int hw__demo_case_class(const demo_offense *o, const demo_case *c);

/* Hints (demo_hints.c): the hint for person index i, or NULL. */
const demo_hint *hw__demo_hint(uint64_t index, int32_t as_of);
int32_t hw__demo_ymd(int32_t ymd);

/* Planning (demo_people.c, demo_cases.c). */
void hw__demo_plan_person(demo_gen *g, demo_person *p, uint64_t index);
void hw__demo_plan_cases(demo_gen *g, demo_person *p);

/* Emitting rows (demo_emit.c, demo_money.c, demo_calendar.c). */
hw_code hw__demo_emit_person(demo_gen *g, demo_person *p, hw_err *e);
hw_code hw__demo_emit_case(demo_gen *g, demo_person *p, demo_case *c, hw_err *e);
hw_code hw__demo_emit_money(demo_gen *g, demo_person *p, demo_case *c, int64_t conviction_id,
                            hw_err *e);
hw_code hw__demo_emit_appointments(demo_gen *g, demo_person *p, hw_err *e);

/* The generator's reused row for kind k, every field null. */
hw_value *hw__demo_row(demo_gen *g, hw_kind k);
/* Check and insert the row built in g->row as the next record of kind k; *id gets its id. */
hw_code hw__demo_insert(demo_gen *g, hw_kind k, int64_t *id, hw_err *e);

/* The person's hint when it is about their current case, else NULL. */
static inline const demo_hint *demo_current_hint(const demo_person *p)
{
    return p->hint && p->hint->kind == H_CURRENT ? p->hint : NULL;
}

/* Small helpers shared by the files. */
static inline void dv_int(hw_value *v, int64_t i)
{
    v->null = false;
    v->i = i;
}

static inline void dv_text(hw_value *v, const char *s)
{
    if (!s)
        return;
    v->null = false;
    v->s = s;
    v->n = strlen(s);
}

static inline void dv_date(hw_value *v, int32_t d)
{
    v->null = false;
    v->i = d;
    v->s = NULL; /* the store formats it */
    v->n = 0;
}

/* A copy of a formatted string in the generator's arena ("" when out of memory). */
const char *hw__demo_fmt(demo_gen *g, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Date helpers. */
int32_t hw__demo_years_before(int32_t day, int years);
int hw__demo_year(int32_t day);
/* A uniform share in [lo, hi] percent, as a fraction. */
static inline double demo_pct(hw_rng *r, int lo, int hi)
{
    return (double)hw_rng_range(r, lo, hi) / 100.0;
}
static inline bool demo_has(int32_t day)
{
    return day != DEMO_NO_DATE;
}
static inline int32_t demo_min(int32_t a, int32_t b)
{
    return a < b ? a : b;
}
static inline int32_t demo_max(int32_t a, int32_t b)
{
    return a > b ? a : b;
}

#endif
