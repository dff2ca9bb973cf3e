/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the demo generator: plausible counts, every row valid as the
 * importer sees it, the same seed giving the same records, and the cases the
 * rule packs need all present in a small population.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/arena.h"
#include "homeward/date.h"
#include "homeward/demo.h"
#include "homeward/store.h"
#include "homeward/vocab.h"
#include "unit.h"

#define DEMO_PEOPLE 300

static int32_t as_of(void)
{
    return hw_date_from_ymd(2026, 11, 23);
}

/* Generate `people` people with `seed` into a new scratch database at `path`. */
static hw_code generate(const char *path, uint64_t people, uint64_t seed, hw_demo_result *res,
                        hw_err *e)
{
    hw_demo_opts o = {people, seed, as_of(), NULL, NULL};
    hw_store *s = NULL;
    hw_code rc;

    remove(path);
    rc = hw_store_open(path, HW_STORE_CREATE | HW_STORE_SCRATCH, &s, e);
    if (!rc)
        rc = hw_demo_generate(s, &o, res, e);
    hw_store_close(s);
    return rc;
}

/* The shared population most tests read: generated once per run. */
static const char *population(void)
{
    static char path[512];
    static hw_code rc = HW_EBUG;

    if (!path[0]) {
        hw_demo_result res;
        hw_err e;

        snprintf(path, sizeof(path), "%s", unit_path("demo.db"));
        rc = generate(path, DEMO_PEOPLE, 2026, &res, &e);
        EXPECT_CODE_E(rc, HW_OK, &e);
    }
    return rc ? NULL : path;
}

/* One number from a query of the population. */
static long long sql_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long n = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    else
        printf("#   query failed: %s: %s\n", sqlite3_errmsg(db), sql);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

TEST(demo_counts_plausible)
{
    const char *path = population();
    hw_demo_result res;
    hw_store *s = NULL;
    hw_err e;
    char buf[64];

    if (!path)
        return;
    EXPECT_CODE_E(hw_store_open(path, HW_STORE_READONLY, &s, &e), HW_OK, &e);
    if (!s)
        return;
    for (int k = 0; k < HW_K_COUNT; k++) {
        int64_t n = 0;

        EXPECT_CODE(hw_store_count(s, (hw_kind)k, &n, &e), HW_OK);
        res.count[k] = n;
    }
    EXPECT_INT(res.count[HW_K_ORGANISATIONS], 3);
    EXPECT_INT(res.count[HW_K_PEOPLE], DEMO_PEOPLE);
    /* About 5 convictions, 20 ledger lines and 17 appointments a person on average. */
    EXPECT(res.count[HW_K_CONVICTIONS] > 3 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_CONVICTIONS] < 8 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_SENTENCES] > 2 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_SUPERVISION] > DEMO_PEOPLE);
    EXPECT(res.count[HW_K_OBLIGATIONS] > 2 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_LEDGER] > 10 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_LEDGER] < 40 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_APPOINTMENTS] > 8 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_APPOINTMENTS] < 40 * DEMO_PEOPLE);
    EXPECT(res.count[HW_K_VIOLATIONS] > DEMO_PEOPLE / 5);
    EXPECT(res.count[HW_K_CUSTODY_EVENTS] > DEMO_PEOPLE / 2);
    EXPECT_CODE(hw_store_meta_get(s, "demo.seed", buf, sizeof(buf), &e), HW_OK);
    EXPECT_STR(buf, "2026");
    EXPECT_CODE(hw_store_meta_get(s, "demo.people", buf, sizeof(buf), &e), HW_OK);
    EXPECT_STR(buf, "300");
    EXPECT_CODE(hw_store_meta_get(s, "demo.as_of", buf, sizeof(buf), &e), HW_OK);
    EXPECT_STR(buf, "2026-11-23");
    hw_store_close(s);
}

/* What a scan of every kind checks, and the owners it remembers for references. */
typedef struct scan_state {
    hw_kind kind;
    int64_t rows;
    int failures;
    int64_t *owner[HW_K_COUNT]; /* owner[k][id]: the person of record id of kind k */
    int64_t size[HW_K_COUNT];
    uint64_t hash; /* FNV-1a of every field's text */
    hw_arena a;
} scan_state;

static void hash_bytes(scan_state *st, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        st->hash ^= (unsigned char)p[i];
        st->hash *= 1099511628211ull;
    }
    st->hash ^= 0xFF; /* a field separator */
    st->hash *= 1099511628211ull;
}

/* Report at most a few bad rows, with what is wrong. */
static void bad(scan_state *st, const hw_field *f, const char *why)
{
    if (st->failures++ < 5)
        printf("#   %s row %lld, field %s: %s\n", hw_vocab_kind(st->kind)->name,
               (long long)st->rows + 1, f ? f->name : "-", why);
}

static int check_row(void *ud, const hw_value *row)
{
    scan_state *st = ud;
    const hw_kind_desc *d = hw_vocab_kind(st->kind);
    int pf = hw_vocab_person_field(st->kind);
    int64_t person = pf >= 0 ? row[pf].i : 0;
    hw_err e;

    if (row[0].i != st->rows + 1)
        bad(st, &d->fields[0], "ids are not 1, 2, 3, ...");
    for (size_t i = 0; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        const hw_value *v = &row[i];
        char text[32];
        hw_str t = hw_vocab_text(f, v, text, sizeof(text));
        const char *s = t.p;
        size_t n = t.n;
        hw_value back;

        hash_bytes(st, s, n);
        /* The importer's view: the text parses, and is already in canonical form. */
        if (hw_vocab_parse(f, s, n, &st->a, &back, &e) != HW_OK)
            bad(st, f, e.msg);
        else if (!v->null && !hw_vocab_int_type(f->type) && (back.n != n || memcmp(back.s, s, n)))
            bad(st, f, "not in canonical form");
        if (f->type == HW_T_REF && !v->null) {
            if (v->i < 1 || v->i > st->size[f->ref] || !st->owner[f->ref])
                bad(st, f, "refers to a record that does not exist");
            else if ((f->flags & HW_F_SAME_PERSON) && st->owner[f->ref][v->i] != person)
                bad(st, f, "refers to a record of another person");
        }
    }
    if (hw_vocab_check_row(st->kind, row, &e) != HW_OK)
        bad(st, NULL, e.msg);
    if (st->owner[st->kind] && row[0].i <= st->size[st->kind])
        st->owner[st->kind][row[0].i] = person;
    hw_arena_reset(&st->a);
    st->rows++;
    return 0;
}

/* Scan every kind of the database at path; returns the hash of all rows. */
static uint64_t scan_all(const char *path, scan_state *st)
{
    hw_store *s = NULL;
    hw_err e;

    memset(st, 0, sizeof(*st));
    st->hash = 14695981039346656037ull;
    hw_arena_init(&st->a, 4096, 0);
    EXPECT_CODE_E(hw_store_open(path, HW_STORE_READONLY, &s, &e), HW_OK, &e);
    if (!s)
        return 0;
    for (int k = 0; k < HW_K_COUNT; k++) {
        EXPECT_CODE(hw_store_count(s, (hw_kind)k, &st->size[k], &e), HW_OK);
        st->owner[k] = calloc((size_t)st->size[k] + 1, sizeof(int64_t));
    }
    for (int k = 0; k < HW_K_COUNT; k++) {
        st->kind = (hw_kind)k;
        st->rows = 0;
        EXPECT_CODE_E(hw_store_scan(s, (hw_kind)k, check_row, st, &e), HW_OK, &e);
        EXPECT_INT(st->rows, st->size[k]);
    }
    for (int k = 0; k < HW_K_COUNT; k++)
        free(st->owner[k]);
    hw_arena_release(&st->a);
    hw_store_close(s);
    return st->hash;
}

TEST(demo_rows_valid)
{
    const char *path = population();
    scan_state st;

    if (!path)
        return;
    scan_all(path, &st);
    EXPECT_INT(st.failures, 0);
    /* Nothing that has happened is dated after as-of. */
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM convictions WHERE offense_date > '2026-11-23'"
                               " OR disposition_date > '2026-11-23'"),
               0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM sentences WHERE imposed_date > '2026-11-23'"
                               " OR start_date > '2026-11-23' OR release_date > '2026-11-23'"),
               0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM supervision WHERE start_date > '2026-11-23'"
                               " OR end_date > '2026-11-23'"),
               0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM ledger WHERE entry_date > '2026-11-23'"), 0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM custody_events"
                               " WHERE event_date > '2026-11-23'"),
               0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM violations WHERE violation_date > "
                               "'2026-11-23' OR outcome_date > '2026-11-23'"),
               0);
    /* Adults only, and no balance below zero. */
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM convictions c JOIN people p"
                               " ON p.id = c.person_id WHERE c.offense_date < date(p.dob, "
                               "'+18 years')"),
               0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM (SELECT obligation_id, sum(CASE kind"
                               " WHEN 'payment' THEN -amount_cents WHEN 'waiver' THEN"
                               " -amount_cents ELSE amount_cents END) b FROM ledger GROUP BY 1)"
                               " WHERE b < 0"),
               0);
    /* Scheduled appointments are in the future, kept or missed ones in the past. */
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM appointments WHERE status = 'scheduled'"
                               " AND starts_at < '2026-11-23'"),
               0);
    EXPECT_INT(sql_count(path, "SELECT count(*) FROM appointments WHERE status IN ('attended',"
                               " 'missed') AND starts_at >= '2026-11-24'"),
               0);
}

TEST(demo_deterministic)
{
    hw_demo_result r1, r2, r3;
    scan_state st;
    uint64_t h1, h2, h3;
    hw_err e;

    EXPECT_CODE_E(generate(unit_path("det1.db"), 120, 77, &r1, &e), HW_OK, &e);
    EXPECT_CODE_E(generate(unit_path("det2.db"), 120, 77, &r2, &e), HW_OK, &e);
    EXPECT_CODE_E(generate(unit_path("det3.db"), 120, 78, &r3, &e), HW_OK, &e);
    h1 = scan_all(unit_path("det1.db"), &st);
    h2 = scan_all(unit_path("det2.db"), &st);
    h3 = scan_all(unit_path("det3.db"), &st);
    EXPECT(h1 == h2);
    EXPECT(h1 != h3);
    for (int k = 0; k < HW_K_COUNT; k++)
        EXPECT_INT(r1.count[k], r2.count[k]);
    /* A person's records do not depend on how many people come after. */
    EXPECT_INT(sql_count(unit_path("det1.db"), "SELECT count(*) FROM people"), 120);
    EXPECT_CODE_E(generate(unit_path("det4.db"), 60, 77, &r3, &e), HW_OK, &e);
    EXPECT_INT(r3.count[HW_K_PEOPLE], 60);
    EXPECT(
        r3.count[HW_K_CONVICTIONS] ==
        sql_count(unit_path("det1.db"), "SELECT count(*) FROM convictions WHERE person_id <= 60"));
    remove(unit_path("det1.db"));
    remove(unit_path("det2.db"));
    remove(unit_path("det3.db"));
    remove(unit_path("det4.db"));
}

/* Each query counts the records of one situation a rule pack must meet. */
static const struct {
    const char *what;
    const char *sql;
} rule_cases[] = {
    {"21 USC 844 marijuana before the 2022 proclamation",
     "SELECT count(*) FROM convictions WHERE statute = '21 USC 844(a)' AND drug_type ="
     " 'marijuana' AND offense_date <= '2022-10-06'"},
    {"21 USC 844 marijuana between the proclamations",
     "SELECT count(*) FROM convictions WHERE statute = '21 USC 844(a)' AND drug_type ="
     " 'marijuana' AND offense_date > '2022-10-06' AND offense_date <= '2023-12-22'"},
    {"21 USC 844 marijuana after the 2023 proclamation",
     "SELECT count(*) FROM convictions WHERE statute = '21 USC 844(a)' AND drug_type ="
     " 'marijuana' AND offense_date > '2023-12-22'"},
    {"21 USC 846 attempted possession of marijuana",
     "SELECT count(*) FROM convictions WHERE statute = '21 USC 846' AND drug_conduct ="
     " 'attempted_simple_possession'"},
    {"21 USC 841(a)(1) marijuana with intent",
     "SELECT count(*) FROM convictions WHERE statute = '21 USC 841(a)(1)' AND drug_conduct ="
     " 'possession_with_intent'"},
    {"D.C. marijuana possession",
     "SELECT count(*) FROM convictions WHERE statute = 'DC 48-904.01(d)(1)' AND drug_type ="
     " 'marijuana'"},
    {"a permanent resident who naturalised between the proclamations",
     "SELECT count(*) FROM people WHERE citizenship_status = 'us_citizen' AND"
     " prior_citizenship_status = 'lpr' AND citizenship_since BETWEEN '2022-10-07' AND"
     " '2023-12-22'"},
    {"someone lawfully present who became a permanent resident between the proclamations",
     "SELECT count(*) FROM people WHERE citizenship_status = 'lpr' AND prior_citizenship_status"
     " = 'lawfully_present' AND citizenship_since BETWEEN '2022-10-07' AND '2023-12-22'"},
    {"someone not lawfully present", "SELECT count(*) FROM people WHERE citizenship_status ="
                                     " 'not_lawfully_present'"},
    {"active supervised release begun less than a year ago",
     "SELECT count(*) FROM supervision WHERE supervision_type = 'supervised_release' AND status"
     " = 'active' AND start_date > '2025-11-23'"},
    {"active supervised release begun more than a year ago",
     "SELECT count(*) FROM supervision WHERE supervision_type = 'supervised_release' AND status"
     " = 'active' AND start_date < '2025-11-23'"},
    {"active supervised release begun exactly a year ago",
     "SELECT count(*) FROM supervision WHERE supervision_type = 'supervised_release' AND status"
     " = 'active' AND start_date = '2025-11-23'"},
    {"federal life sentence for a non-violent drug offense",
     "SELECT count(*) FROM sentences s JOIN convictions c ON c.id = s.conviction_id WHERE"
     " c.jurisdiction = 'federal' AND s.life = 1 AND c.drug = 1 AND c.violent = 0"},
    {"a federal prisoner with 10 years served",
     "SELECT count(*) FROM sentences s JOIN convictions c ON c.id = s.conviction_id WHERE"
     " c.jurisdiction = 'federal' AND s.sentence_type = 'prison' AND s.release_date IS NULL AND"
     " s.start_date <= '2016-11-23'"},
    {"crack cocaine before the Fair Sentencing Act",
     "SELECT count(*) FROM convictions WHERE drug_type = 'cocaine_base' AND offense_date <"
     " '2010-08-03' AND statute LIKE '21 USC 841(b)(1)(_)(iii)'"},
    {"a federal prisoner earning FSA credits at low risk",
     "SELECT count(*) FROM sentences WHERE programming_days > 365 AND risk_level IN ('minimum',"
     " 'low') AND prior_risk_level IN ('minimum', 'low') AND release_date IS NULL"},
    {"18 USC 924(c)", "SELECT count(*) FROM convictions WHERE statute = '18 USC 924(c)'"},
    {"fentanyl under 841(b)(1)(A)(vi)",
     "SELECT count(*) FROM convictions WHERE statute = '21 USC 841(b)(1)(A)(vi)'"},
    {"death or serious injury resulted", "SELECT count(*) FROM convictions WHERE"
                                         " death_or_injury = 1"},
    {"a role enhancement", "SELECT count(*) FROM convictions WHERE role_enhancement = 1"},
    {"a final order of removal", "SELECT count(*) FROM people WHERE removal_order = 1"},
    {"PA simple assault of a household member",
     "SELECT count(*) FROM convictions WHERE statute = '18 PACS 2701' AND description LIKE"
     " '%household%'"},
    {"PA stalking", "SELECT count(*) FROM convictions WHERE statute = '18 PACS 2709.1'"},
    {"PA felony probation begun more than 4 years ago",
     "SELECT count(*) FROM supervision WHERE jurisdiction = 'PA' AND supervision_type ="
     " 'probation' AND status = 'active' AND start_date < '2022-11-23'"},
    {"an assaultive technical violation in the last 6 months",
     "SELECT count(*) FROM violations WHERE category = 'assaultive' AND violation_date >"
     " '2026-05-23'"},
    {"California 11357 at or under 28.5 g",
     "SELECT count(*) FROM convictions WHERE statute = 'CA HSC 11357' AND drug_quantity_mg <="
     " 28500"},
    {"California 11357 over 28.5 g",
     "SELECT count(*) FROM convictions WHERE statute = 'CA HSC 11357' AND drug_quantity_mg >"
     " 28500"},
    {"California 11358 with six plants or fewer",
     "SELECT count(*) FROM convictions WHERE statute = 'CA HSC 11358' AND plants <= 6"},
    {"California 11358 with more than six plants",
     "SELECT count(*) FROM convictions WHERE statute = 'CA HSC 11358' AND plants > 6"},
    {"California marijuana possession under 21",
     "SELECT count(*) FROM convictions c JOIN people p ON p.id = c.person_id WHERE c.statute ="
     " 'CA HSC 11357' AND c.offense_date < date(p.dob, '+21 years')"},
    {"Georgia felony probation begun more than 3 years ago",
     "SELECT count(*) FROM supervision s JOIN sentences t ON t.id = s.sentence_id JOIN"
     " convictions c ON c.id = t.conviction_id WHERE s.jurisdiction = 'GA' AND s.status ="
     " 'active' AND c.offense_class = 'felony' AND s.start_date < '2023-11-23'"},
    {"a mother on probation", "SELECT count(*) FROM people p JOIN supervision s ON s.person_id ="
                              " p.id WHERE p.sex = 'female' AND p.parent_of_minor = 1 AND"
                              " s.status = 'active'"},
    {"restitution with a small balance left",
     "SELECT count(*) FROM (SELECT o.id, sum(CASE l.kind WHEN 'payment' THEN -amount_cents"
     " WHEN 'waiver' THEN -amount_cents ELSE amount_cents END) b FROM obligations o JOIN ledger"
     " l ON l.obligation_id = o.id WHERE o.kind = 'restitution' GROUP BY o.id) WHERE b BETWEEN"
     " 1 AND 80000"},
    {"income at or under 125% of the guideline",
     "SELECT count(*) FROM people WHERE monthly_income_cents * 12 <= 125 * (15960 + 5680 *"
     " (household_size - 1))"},
    {"income between 200% and 250% of the guideline",
     "SELECT count(*) FROM people WHERE monthly_income_cents * 12 > 200 * (15960 + 5680 *"
     " (household_size - 1)) AND monthly_income_cents * 12 <= 250 * (15960 + 5680 *"
     " (household_size - 1))"},
    {"SNAP", "SELECT count(*) FROM people WHERE public_benefits LIKE '%snap%'"},
    {"a parolee returned to custody",
     "SELECT count(*) FROM custody_events WHERE event = 'returned'"},
    {"a missed check-in", "SELECT count(*) FROM appointments WHERE status = 'missed'"},
    {"a check-in still to come", "SELECT count(*) FROM appointments WHERE status = 'scheduled'"},
    {"an appointment in daylight saving time",
     "SELECT count(*) FROM appointments WHERE starts_at LIKE '%-04:00' OR starts_at LIKE"
     " '%-07:00'"},
};

TEST(demo_rule_cases_present)
{
    const char *path = population();

    if (!path)
        return;
    for (size_t i = 0; i < sizeof(rule_cases) / sizeof(rule_cases[0]); i++) {
        long long n = sql_count(path, rule_cases[i].sql);

        if (n < 1)
            printf("#   missing: %s\n", rule_cases[i].what);
        EXPECT(n >= 1);
    }
}

static int stop_at_once(void *ud, uint64_t done, uint64_t total)
{
    (void)total;
    *(uint64_t *)ud = done;
    return 1;
}

TEST(demo_refuses_and_cancels)
{
    hw_demo_opts o = {50, 1, 0, NULL, NULL};
    hw_demo_result res;
    hw_store *s = NULL;
    uint64_t seen = 0;
    int64_t n = -1;
    hw_err e;

    o.as_of = as_of();
    remove(unit_path("demo-x.db"));
    EXPECT_CODE(hw_store_open(unit_path("demo-x.db"), HW_STORE_CREATE | HW_STORE_SCRATCH, &s, &e),
                HW_OK);
    if (!s)
        return;
    o.people = 0;
    EXPECT_CODE(hw_demo_generate(s, &o, &res, &e), HW_EINVAL);
    o.people = 50;
    /* Cancelled by the progress callback: nothing is left behind. */
    o.progress = stop_at_once;
    o.progress_ud = &seen;
    EXPECT_CODE(hw_demo_generate(s, &o, &res, &e), HW_ECANCELED);
    EXPECT_INT(seen, 50);
    EXPECT_CODE(hw_store_count(s, HW_K_PEOPLE, &n, &e), HW_OK);
    EXPECT_INT(n, 0);
    /* Then a full run, and a second one into the same store is refused. */
    o.progress = NULL;
    EXPECT_CODE_E(hw_demo_generate(s, &o, &res, &e), HW_OK, &e);
    EXPECT_INT(res.count[HW_K_PEOPLE], 50);
    EXPECT_CODE(hw_demo_generate(s, &o, &res, &e), HW_ECONFLICT);
    EXPECT_CODE(hw_store_count(s, HW_K_PEOPLE, &n, &e), HW_OK);
    EXPECT_INT(n, 50);
    hw_store_close(s);
    remove(unit_path("demo-x.db"));
}
