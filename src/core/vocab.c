/* SPDX-License-Identifier: MIT */
/*
 * The vocabulary table: every record kind and field.  Append fields at the
 * end of a kind (with a migration); never rename one: exports, rule packs
 * and API clients depend on the names.
 */
#include "core/common.h"

#include <string.h>

#include "core/vocab_int.h"

/* Allowed values.  The first of each list is not special. */
static const char *const sexes[] = {"female", "male", "nonbinary", "unknown", NULL};
static const char *const citizenships[] = {"us_citizen",           "lpr",     "lawfully_present",
                                           "not_lawfully_present", "unknown", NULL};
static const char *const contacts[] = {"sms", "phone", "email", "mail", "none", NULL};
static const char *const benefits[] = {"ssi",          "ssdi",     "tanf",
                                       "snap",         "medicaid", "general_assistance",
                                       "aabd",         "wic",      "housing_assistance",
                                       "unemployment", "veterans", NULL};
static const char *const court_types[] = {"federal_district", "dc_superior",   "state", "municipal",
                                          "tribal",           "court_martial", NULL};
static const char *const offense_classes[] = {"felony", "misdemeanor", "summary", "infraction",
                                              NULL};
static const char *const dispositions[] = {
    "guilty_plea", "guilty_verdict", "no_contest", "deferred_adjudication",
    "dismissed",   "acquitted",      "pending",    NULL};
static const char *const drug_types[] = {"marijuana",    "cocaine",  "cocaine_base",
                                         "heroin",       "fentanyl", "methamphetamine",
                                         "other_opioid", "other",    NULL};
static const char *const drug_conducts[] = {"simple_possession",
                                            "attempted_simple_possession",
                                            "use",
                                            "possession_with_intent",
                                            "distribution",
                                            "manufacture",
                                            "cultivation",
                                            "conspiracy",
                                            "trafficking",
                                            "dui",
                                            "possession_in_prison",
                                            "other",
                                            NULL};
static const char *const sentence_types[] = {"prison",    "jail",      "probation",   "split",
                                             "suspended", "fine_only", "time_served", NULL};
static const char *const risk_levels[] = {"minimum", "low", "medium", "high", NULL};
static const char *const supervision_types[] = {"probation", "parole", "supervised_release", NULL};
static const char *const supervision_levels[] = {"administrative", "low",       "medium",
                                                 "high",           "intensive", NULL};
static const char *const supervision_statuses[] = {
    "active", "tolled", "absconded", "completed", "terminated_early", "revoked", NULL};
static const char *const conditions[] = {"report",
                                         "drug_testing",
                                         "treatment",
                                         "mental_health",
                                         "curfew",
                                         "electronic_monitoring",
                                         "no_contact",
                                         "employment",
                                         "education",
                                         "community_service",
                                         "pay_restitution",
                                         "pay_fines_fees",
                                         "travel_restriction",
                                         "sex_offender",
                                         "firearm_prohibition",
                                         NULL};
static const char *const obligation_kinds[] = {"fine", "fee", "cost", "restitution", NULL};
static const char *const ledger_kinds[] = {"assessment", "payment", "adjustment", "waiver", NULL};
static const char *const appointment_kinds[] = {"probation_checkin", "court",     "programme",
                                                "job_interview",     "drug_test", NULL};
static const char *const appointment_statuses[] = {"scheduled", "attended",  "missed",
                                                   "excused",   "cancelled", NULL};
static const char *const violation_types[] = {"technical", "new_offense", NULL};
static const char *const violation_categories[] = {"missed_appointment",
                                                   "failed_drug_test",
                                                   "unpaid_fees",
                                                   "curfew",
                                                   "absconding",
                                                   "program_failure",
                                                   "travel",
                                                   "contact",
                                                   "sexual",
                                                   "assaultive",
                                                   "firearm",
                                                   "drug_trafficking",
                                                   "new_misdemeanor",
                                                   "new_felony",
                                                   "other",
                                                   NULL};
static const char *const violation_outcomes[] = {
    "pending",   "warning",   "sanction", "modified_conditions", "jail", "revoked",
    "dismissed", "continued", NULL};
static const char *const custody_events[] = {"admitted", "released", "returned", "transferred",
                                             NULL};
static const char *const custody_reasons[] = {"pretrial",
                                              "new_sentence",
                                              "technical_violation",
                                              "new_offense",
                                              "sentence_complete",
                                              "parole",
                                              "supervised_release",
                                              "early_release",
                                              "first_step_act",
                                              "clemency",
                                              "court_order",
                                              "transfer",
                                              "other",
                                              NULL};

#define MAXI INT64_MAX
#define REQ HW_F_REQUIRED
#define PII HW_F_PERSONAL
/* Field builders, so that each row of the table reads as one line. */
#define ID(doc)                                                                                    \
    {                                                                                              \
        "id", HW_T_ID, REQ, NULL, 0, 1, MAXI, doc                                                  \
    }
#define OWNER_PERSON                                                                               \
    {                                                                                              \
        "person_id", HW_T_REF, REQ | HW_F_OWNER, NULL, HW_K_PEOPLE, 1, MAXI,                       \
            "the person this record is about"                                                      \
    }
#define REF(name, kind, flags, doc)                                                                \
    {                                                                                              \
        name, HW_T_REF, flags, NULL, kind, 1, MAXI, doc                                            \
    }
#define INT(name, flags, lo, hi, doc)                                                              \
    {                                                                                              \
        name, HW_T_INT, flags, NULL, 0, lo, hi, doc                                                \
    }
#define CENTS(name, flags, lo, hi, doc)                                                            \
    {                                                                                              \
        name, HW_T_CENTS, flags, NULL, 0, lo, hi, doc                                              \
    }
#define BOOL(name, flags, doc)                                                                     \
    {                                                                                              \
        name, HW_T_BOOL, flags, NULL, 0, 0, 1, doc                                                 \
    }
#define TEXT(name, flags, max, doc)                                                                \
    {                                                                                              \
        name, HW_T_TEXT, flags, NULL, 0, 0, max, doc                                               \
    }
#define DATE(name, flags, doc)                                                                     \
    {                                                                                              \
        name, HW_T_DATE, flags, NULL, 0, 0, 0, doc                                                 \
    }
#define ENUM(name, flags, vals, doc)                                                               \
    {                                                                                              \
        name, HW_T_ENUM, flags, vals, 0, 0, 0, doc                                                 \
    }
#define SET(name, flags, vals, doc)                                                                \
    {                                                                                              \
        name, HW_T_SET, flags, vals, 0, 0, 0, doc                                                  \
    }
#define OF(name, type, flags, doc)                                                                 \
    {                                                                                              \
        name, type, flags, NULL, 0, 0, 0, doc                                                      \
    }

static const hw_field organisation_fields[] = {
    ID("the organisation's id"),
    TEXT("name", REQ, 200, "the organisation's name"),
    OF("state", HW_T_STATE, 0, "home state, where it works"),
};

static const hw_field person_fields[] = {
    ID("the person's Homeward id, unique in the database"),
    REF("organisation_id", HW_K_ORGANISATIONS, REQ | HW_F_OWNER,
        "the organisation whose caseload the person is on"),
    TEXT("external_id", PII, 64, "the source agency's identifier (e.g. state id number)"),
    TEXT("given_name", REQ | PII, 100, "given (first) name"),
    TEXT("middle_name", PII, 100, "middle name(s)"),
    TEXT("family_name", REQ | PII, 100, "family (last) name"),
    DATE("dob", REQ | PII, "date of birth"),
    ENUM("sex", REQ, sexes, "sex as recorded by the source agency"),
    BOOL("parent_of_minor", 0, "parent or guardian of a child under 18"),
    INT("household_size", 0, 1, 30, "people in the household, the person included"),
    CENTS("monthly_income_cents", PII, 0, 100000000000, "household monthly income before tax"),
    SET("public_benefits", PII, benefits, "means-tested benefits received now"),
    ENUM("citizenship_status", 0, citizenships, "immigration status now"),
    DATE("citizenship_since", 0, "when the present status was obtained (empty: always had it)"),
    ENUM("prior_citizenship_status", 0, citizenships, "status before citizenship_since"),
    BOOL("removal_order", 0, "subject of a final order of removal"),
    OF("phone", HW_T_PHONE, PII, "phone number, E.164 (+12155550100)"),
    OF("email", HW_T_EMAIL, PII, "e-mail address"),
    TEXT("address", PII, 200, "street address"),
    TEXT("city", PII, 100, "city"),
    OF("state", HW_T_STATE, 0, "state of residence"),
    OF("postal_code", HW_T_ZIP, PII, "ZIP code"),
    BOOL("contact_consent", 0, "agreed to be contacted with reminders"),
    ENUM("preferred_contact", 0, contacts, "how the person prefers to be reached"),
};

static const hw_field conviction_fields[] = {
    ID("the conviction's id (one count of one case)"),
    OWNER_PERSON,
    OF("jurisdiction", HW_T_JURIS, REQ, "'federal', or the state (DC for D.C. Code offenses)"),
    ENUM("court_type", REQ, court_types, "the kind of court that decided it"),
    TEXT("court", 0, 200, "the court's name"),
    TEXT("case_number", 0, 64, "the court's docket or case number"),
    {"statute", HW_T_STATUTE, REQ, NULL, 0, 0, 120,
     "the statute violated, normalised (21 USC 844(a))"},
    TEXT("description", HW_F_MULTILINE, 300, "the offense as the court describes it"),
    ENUM("offense_class", REQ, offense_classes, "felony, misdemeanor, summary or infraction"),
    TEXT("offense_degree", 0, 16, "grade or class within it (F1, M2, Class A)"),
    DATE("offense_date", 0, "when the offense was committed"),
    ENUM("disposition", REQ, dispositions, "how the count was decided"),
    DATE("disposition_date", 0, "when it was decided"),
    BOOL("violent", 0, "a crime of violence under the jurisdiction's law"),
    BOOL("sex_offense", 0, "a sex offense (registrable or not)"),
    BOOL("drug", 0, "a controlled-substance offense"),
    ENUM("drug_type", 0, drug_types, "the substance, for drug offenses"),
    ENUM("drug_conduct", 0, drug_conducts, "what was done with it, for drug offenses"),
    INT("drug_quantity_mg", 0, 0, 1000000000000, "quantity in milligrams, where found"),
    INT("plants", 0, 0, 1000000, "plants, for cultivation"),
    BOOL("role_enhancement", 0, "the court found an aggravating (leader/organiser) role"),
    BOOL("death_or_injury", 0, "death or serious bodily injury resulted"),
};

static const hw_field sentence_fields[] = {
    ID("the sentence's id"),
    OWNER_PERSON,
    REF("conviction_id", HW_K_CONVICTIONS, REQ | HW_F_SAME_PERSON, "the conviction it punishes"),
    ENUM("sentence_type", REQ, sentence_types, "the kind of sentence"),
    DATE("imposed_date", REQ, "when it was imposed"),
    DATE("start_date", 0, "when it began to run (custody or probation)"),
    INT("term_months", 0, 0, 1200, "the term in months (empty for life)"),
    BOOL("life", 0, "a life sentence"),
    INT("credits_days", 0, 0, 36500, "credit for time served and good conduct, in days"),
    INT("programming_days", 0, 0, 36500,
        "days of recidivism-reduction programming in earning status"),
    ENUM("risk_level", 0, risk_levels, "latest risk assessment (PATTERN or the state's tool)"),
    ENUM("prior_risk_level", 0, risk_levels, "the assessment before that"),
    TEXT("facility", 0, 200, "where it is served"),
    DATE("projected_release_date", 0, "the release date now projected"),
    DATE("release_date", 0, "the actual release date (empty while in custody)"),
};

static const hw_field supervision_fields[] = {
    ID("the supervision term's id"),
    OWNER_PERSON,
    REF("sentence_id", HW_K_SENTENCES, HW_F_SAME_PERSON, "the sentence that imposed it"),
    ENUM("supervision_type", REQ, supervision_types, "probation, parole or supervised release"),
    OF("jurisdiction", HW_T_JURIS, REQ, "'federal' or the state that supervises"),
    DATE("start_date", REQ, "when supervision began"),
    DATE("scheduled_end_date", 0, "when it is due to end"),
    DATE("end_date", 0, "when it actually ended"),
    TEXT("officer", 0, 100, "the supervising officer"),
    ENUM("level", 0, supervision_levels, "supervision level"),
    ENUM("status", REQ, supervision_statuses, "where the term stands"),
    SET("conditions", 0, conditions, "conditions of supervision"),
};

static const hw_field obligation_fields[] = {
    ID("the obligation's id"),
    OWNER_PERSON,
    REF("conviction_id", HW_K_CONVICTIONS, HW_F_SAME_PERSON, "the conviction that imposed it"),
    ENUM("kind", REQ, obligation_kinds, "fine, fee, cost or restitution"),
    TEXT("description", 0, 200, "what it is for"),
    TEXT("payee", 0, 200, "who is paid: the court, clerk or victim fund"),
    OF("jurisdiction", HW_T_JURIS, 0, "'federal' or the state"),
    DATE("imposed_date", REQ, "when it was imposed"),
};

static const hw_field ledger_fields[] = {
    ID("the ledger entry's id"),
    REF("obligation_id", HW_K_OBLIGATIONS, REQ, "the obligation it belongs to"),
    DATE("entry_date", REQ, "when it was posted"),
    ENUM("kind", REQ, ledger_kinds, "assessment (+), payment (-), waiver (-) or adjustment (+/-)"),
    CENTS("amount_cents", REQ, -100000000000, 100000000000,
          "amount in cents: positive, except an adjustment, which is signed"),
    TEXT("reference", 0, 64, "receipt or transaction number"),
    TEXT("memo", HW_F_MULTILINE, 200, "a note (may run over several lines)"),
};

static const hw_field appointment_fields[] = {
    ID("the appointment's id"),
    OWNER_PERSON,
    REF("supervision_id", HW_K_SUPERVISION, HW_F_SAME_PERSON,
        "the supervision term it serves, if any"),
    ENUM("kind", REQ, appointment_kinds, "what it is"),
    OF("starts_at", HW_T_TIME, REQ, "when, with the local UTC offset"),
    TEXT("location", 0, 200, "where"),
    ENUM("status", REQ, appointment_statuses, "scheduled, attended, missed, excused or cancelled"),
};

static const hw_field violation_fields[] = {
    ID("the violation's id"),
    OWNER_PERSON,
    REF("supervision_id", HW_K_SUPERVISION, HW_F_SAME_PERSON, "the term violated"),
    DATE("violation_date", REQ, "when it happened"),
    ENUM("violation_type", REQ, violation_types, "technical, or a new offense"),
    ENUM("category", 0, violation_categories, "what kind of violation"),
    TEXT("description", HW_F_MULTILINE, 300, "what happened"),
    ENUM("outcome", 0, violation_outcomes, "what was decided"),
    DATE("outcome_date", 0, "when it was decided"),
};

static const hw_field custody_event_fields[] = {
    ID("the event's id"),
    OWNER_PERSON,
    REF("sentence_id", HW_K_SENTENCES, HW_F_SAME_PERSON, "the sentence it concerns, if any"),
    DATE("event_date", REQ, "when it happened"),
    ENUM("event", REQ, custody_events, "admitted, released, returned or transferred"),
    ENUM("reason", 0, custody_reasons, "why"),
    TEXT("facility", 0, 200, "which facility"),
};

#define FIELDS(a) a, HW_ARRAY_LEN(a)

static const hw_kind_desc kinds[HW_K_COUNT] = {
    [HW_K_ORGANISATIONS] = {"organisations", "organisations", "organisation",
                            "Nonprofits and agencies; every person belongs to one.",
                            FIELDS(organisation_fields), NULL},
    [HW_K_PEOPLE] = {"people", "people", "person",
                     "People on an organisation's caseload: identity, household, contact.",
                     FIELDS(person_fields), hw__check_person},
    [HW_K_CONVICTIONS] = {"convictions", "convictions", "conviction",
                          "One count of one case, with its disposition.", FIELDS(conviction_fields),
                          hw__check_conviction},
    [HW_K_SENTENCES] = {"sentences", "sentences", "sentence",
                        "Sentences and custody terms, with credits and risk.",
                        FIELDS(sentence_fields), hw__check_sentence},
    [HW_K_SUPERVISION] = {"supervision", "supervision", "supervision",
                          "Probation, parole and supervised-release terms.",
                          FIELDS(supervision_fields), hw__check_supervision},
    [HW_K_OBLIGATIONS] = {"obligations", "obligations", "obligation",
                          "Legal financial obligations: fines, fees, costs, restitution.",
                          FIELDS(obligation_fields), NULL},
    [HW_K_LEDGER] = {"ledger", "ledger", "ledger_entry",
                     "Dated money movements on an obligation; its balance is their sum.",
                     FIELDS(ledger_fields), hw__check_ledger},
    [HW_K_APPOINTMENTS] = {"appointments", "appointments", "appointment",
                           "Check-ins, court dates, programmes, interviews, drug tests.",
                           FIELDS(appointment_fields), NULL},
    [HW_K_VIOLATIONS] = {"violations", "violations", "violation",
                         "Violations of supervision and what came of them.",
                         FIELDS(violation_fields), hw__check_violation},
    [HW_K_CUSTODY_EVENTS] = {"custody-events", "custody_events", "custody_event",
                             "Admissions, releases and returns to custody.",
                             FIELDS(custody_event_fields), NULL},
};

const hw_kind_desc *hw_vocab_kind(hw_kind k)
{
    assert((unsigned)k < HW_K_COUNT);
    return &kinds[k];
}

int hw_vocab_kind_by_name(const char *name)
{
    for (int k = 0; k < HW_K_COUNT; k++)
        if (!strcmp(kinds[k].name, name))
            return k;
    return -1;
}

int hw_vocab_field_index(hw_kind k, const char *name, size_t n)
{
    const hw_kind_desc *d = hw_vocab_kind(k);

    for (size_t i = 0; i < d->nfields; i++)
        if (strlen(d->fields[i].name) == n && !memcmp(d->fields[i].name, name, n))
            return (int)i;
    return -1;
}

int hw_vocab_person_field(hw_kind k)
{
    const hw_kind_desc *d = hw_vocab_kind(k);

    for (size_t i = 0; i < d->nfields; i++)
        if ((d->fields[i].flags & HW_F_OWNER) && d->fields[i].ref == HW_K_PEOPLE)
            return (int)i;
    return -1;
}

const char *hw_vocab_kind_names(void)
{
    return "organisations, people, convictions, sentences, supervision, obligations, ledger, "
           "appointments, violations, custody-events";
}

bool hw_vocab_int_type(hw_type t)
{
    return t == HW_T_ID || t == HW_T_REF || t == HW_T_INT || t == HW_T_CENTS || t == HW_T_BOOL;
}

const char *hw_vocab_type_name(hw_type t)
{
    static const char *const names[] = {
        [HW_T_ID] = "id",           [HW_T_REF] = "reference", [HW_T_INT] = "integer",
        [HW_T_CENTS] = "cents",     [HW_T_BOOL] = "boolean",  [HW_T_TEXT] = "text",
        [HW_T_DATE] = "date",       [HW_T_TIME] = "time",     [HW_T_ENUM] = "one of",
        [HW_T_SET] = "set of",      [HW_T_STATE] = "state",   [HW_T_JURIS] = "jurisdiction",
        [HW_T_STATUTE] = "statute", [HW_T_PHONE] = "phone",   [HW_T_EMAIL] = "email",
        [HW_T_ZIP] = "zip",
    };

    return (unsigned)t < HW_ARRAY_LEN(names) ? names[t] : "?";
}
