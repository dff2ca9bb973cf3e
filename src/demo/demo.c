/* SPDX-License-Identifier: MIT */
/*
 * hw_demo_generate(): the driver of the synthetic population.  One
 * transaction; for each person a private random stream (seed, index), a plan
 * (demo_people.c, demo_cases.c), then rows in id order per kind.  Every row
 * passes the vocabulary's checks before it is inserted.
 */
#include "core/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_int.h"
#include "homeward/date.h"
#include "homeward/demo.h"
#include "homeward/store.h"
#include "homeward/text.h"

const char *hw__demo_value(hw_kind k, int field, int v)
{
    return hw_vocab_kind(k)->fields[field].values[v];
}

const char *const hw__demo_juris_codes[] = {"federal", "DC", "PA", "CA", "GA", "MI", "IL", NULL};

/*
 * The field positions demo_int.h names, and the value lists the generator
 * indexes by its own enums: both must match the vocabulary, or generating
 * would write the wrong columns.  Checked once per call.
 */
static const struct {
    hw_kind kind;
    int index;
    const char *name;
    int count;         /* values the generator's enum has, or 0 */
    const char *first; /* the enum's first value */
} pinned[] = {
    {HW_K_ORGANISATIONS, O_STATE, "state", 0, NULL},
    {HW_K_PEOPLE, P_ORG, "organisation_id", 0, NULL},
    {HW_K_PEOPLE, P_CONTACT, "preferred_contact", 0, NULL},
    {HW_K_PEOPLE, P_CIT, "citizenship_status", 0, NULL},
    {HW_K_PEOPLE, P_ZIP, "postal_code", 0, NULL},
    {HW_K_CONVICTIONS, C_DEATH, "death_or_injury", 0, NULL},
    {HW_K_CONVICTIONS, C_CLASS, "offense_class", 4, "felony"},
    {HW_K_CONVICTIONS, C_DISP, "disposition", 7, "guilty_plea"},
    {HW_K_CONVICTIONS, C_DRUG_TYPE, "drug_type", 8, "marijuana"},
    {HW_K_CONVICTIONS, C_CONDUCT, "drug_conduct", 12, "simple_possession"},
    {HW_K_CONVICTIONS, C_OFFENSE, "offense_date", 0, NULL},
    {HW_K_SENTENCES, S_TYPE, "sentence_type", 7, "prison"},
    {HW_K_SENTENCES, S_RISK, "risk_level", 4, "minimum"},
    {HW_K_SENTENCES, S_RELEASE, "release_date", 0, NULL},
    {HW_K_SUPERVISION, V_TYPE, "supervision_type", 3, "probation"},
    {HW_K_SUPERVISION, V_STATUS, "status", 6, "active"},
    {HW_K_SUPERVISION, V_CONDITIONS, "conditions", 15, "report"},
    {HW_K_OBLIGATIONS, B_IMPOSED, "imposed_date", 0, NULL},
    {HW_K_LEDGER, L_MEMO, "memo", 0, NULL},
    {HW_K_APPOINTMENTS, A_STATUS, "status", 0, NULL},
    {HW_K_APPOINTMENTS, A_STARTS, "starts_at", 0, NULL},
    {HW_K_VIOLATIONS, X_CATEGORY, "category", 15, "missed_appointment"},
    {HW_K_VIOLATIONS, X_OUTCOME_DATE, "outcome_date", 0, NULL},
    {HW_K_CUSTODY_EVENTS, E_FACILITY, "facility", 0, NULL},
};

static hw_code check_vocabulary(hw_err *e)
{
    for (int k = 0; k < HW_K_COUNT; k++)
        if (hw_vocab_kind((hw_kind)k)->nfields > DEMO_MAX_FIELDS)
            return hw_fail(e, HW_EBUG, NULL, "demo: kind '%s' has more fields than expected",
                           hw_vocab_kind((hw_kind)k)->name);
    for (size_t i = 0; i < HW_ARRAY_LEN(pinned); i++) {
        const hw_kind_desc *d = hw_vocab_kind(pinned[i].kind);
        const hw_field *f;

        if ((size_t)pinned[i].index >= d->nfields ||
            strcmp(d->fields[pinned[i].index].name, pinned[i].name))
            return hw_fail(e, HW_EBUG, NULL,
                           "demo: the vocabulary moved field '%s' of %s; update demo_int.h",
                           pinned[i].name, d->name);
        f = &d->fields[pinned[i].index];
        if (pinned[i].count) {
            int n = 0;

            while (f->values[n])
                n++;
            /* The generator's enums index the vocabulary's lists: same length, same start. */
            if (n != pinned[i].count || strcmp(f->values[0], pinned[i].first))
                return hw_fail(e, HW_EBUG, NULL,
                               "demo: the values of field '%s' of %s changed; update src/demo",
                               pinned[i].name, d->name);
        }
    }
    return HW_OK;
}

const char *hw__demo_fmt(demo_gen *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    if ((size_t)n >= sizeof(buf))
        n = sizeof(buf) - 1;
    p = hw_arena_strndup(&g->a, buf, (size_t)n);
    if (!p) {
        g->oom = true; /* reported once the person is done */
        return "";
    }
    return p;
}

int32_t hw__demo_years_before(int32_t day, int years)
{
    return hw_date_add_months(day, -12 * years);
}

int hw__demo_year(int32_t day)
{
    int y, m, d;

    hw_date_to_ymd(day, &y, &m, &d);
    return y;
}

hw_value *hw__demo_row(demo_gen *g, hw_kind k)
{
    for (size_t i = 0; i < g->nfields[k]; i++)
        g->row[i] = (hw_value){true, 0, 0, NULL, 0};
    return g->row;
}

#ifndef NDEBUG
/*
 * Debug builds also check every field the way the importer would: write it
 * as text, parse it back, and expect the same value in canonical form.
 */
static hw_code check_fields(demo_gen *g, hw_kind k, const hw_value *row, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_code rc = HW_OK;

    for (size_t i = 0; i < d->nfields && !rc; i++) {
        const hw_field *f = &d->fields[i];
        const hw_value *v = &row[i];
        char text[64];
        hw_str t = hw_vocab_text(f, v, text, sizeof(text));
        const char *s = t.p;
        size_t n = t.n;
        hw_value back;
        bool same;

        rc = hw_vocab_parse(f, s, n, &g->dbg, &back, e);
        if (rc)
            break;
        if (v->null || back.null)
            same = v->null == back.null;
        else if (hw_vocab_int_type(f->type) || f->type == HW_T_DATE)
            same = back.i == v->i;
        else
            same = back.n == n && !memcmp(back.s, s, n) &&
                   (f->type != HW_T_TIME || (back.i == v->i && back.offset_min == v->offset_min));
        if (!same)
            rc = hw_fail(e, HW_EBUG, f->name, "not canonical: '%.*s'", (int)n, s);
    }
    hw_arena_reset(&g->dbg);
    return rc;
}
#endif

/* A generated row failed a check: a bug here, reported with what the check said. */
static hw_code bad_row(hw_kind k, hw_err *e)
{
    char field[sizeof(e->field)], msg[sizeof(e->msg)];

    if (!e)
        return HW_EBUG;
    snprintf(field, sizeof(field), "%s", e->field);
    snprintf(msg, sizeof(msg), "%s", e->msg);
    return hw_fail(e, HW_EBUG, field, "demo: bad %s row: %s", hw_vocab_kind(k)->singular, msg);
}

hw_code hw__demo_insert(demo_gen *g, hw_kind k, int64_t *id, hw_err *e)
{
    hw_value *row = g->row;
    hw_code rc;

    row[0].null = false;
    row[0].i = g->last[k] + 1;
#ifndef NDEBUG
    if (check_fields(g, k, row, e))
        return bad_row(k, e);
#endif
    if (hw_vocab_check_row(k, row, e))
        return bad_row(k, e);
    rc = hw_store_insert(g->s, k, row, e);
    if (rc)
        return rc;
    *id = ++g->last[k];
    return HW_OK;
}

static hw_code emit_organisations(demo_gen *g, hw_err *e)
{
    static const struct {
        const char *name, *state;
    } orgs[] = {
        /* 1: Pennsylvania people; 2: California people; 3: federal, D.C., GA, MI and IL. */
        {"Keystone Second Chance Partnership (demo)", "PA"},
        {"Golden State Fresh Start Collective (demo)", "CA"},
        {"National Clemency and Re-entry Project (demo)", "DC"},
    };

    for (size_t i = 0; i < HW_ARRAY_LEN(orgs); i++) {
        hw_value *row = hw__demo_row(g, HW_K_ORGANISATIONS);
        int64_t id;
        hw_code rc;

        dv_text(&row[O_NAME], orgs[i].name);
        dv_text(&row[O_STATE], orgs[i].state);
        rc = hw__demo_insert(g, HW_K_ORGANISATIONS, &id, e);
        if (rc)
            return rc;
    }
    return HW_OK;
}

static hw_code generate_person(demo_gen *g, demo_person *p, uint64_t index, hw_err *e)
{
    hw_code rc;

    hw_arena_reset(&g->a);
    hw__demo_plan_person(g, p, index);
    hw__demo_plan_cases(g, p);
    rc = hw__demo_emit_person(g, p, e);
    assert(rc || g->last[HW_K_PEOPLE] == p->id);
    for (int i = 0; i < p->ncases && !rc; i++)
        rc = hw__demo_emit_case(g, p, &p->cases[i], e);
    if (!rc)
        rc = hw__demo_emit_appointments(g, p, e);
    if (!rc && g->oom)
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    return rc;
}

static hw_code record_meta(demo_gen *g, const hw_demo_opts *o, hw_err *e)
{
    char buf[32];
    hw_code rc;

    snprintf(buf, sizeof(buf), "%llu", (unsigned long long)o->seed);
    rc = hw_store_meta_set(g->s, "demo.seed", buf, e);
    if (!rc) {
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)o->people);
        rc = hw_store_meta_set(g->s, "demo.people", buf, e);
    }
    if (!rc) {
        hw_date_format(o->as_of, buf);
        rc = hw_store_meta_set(g->s, "demo.as_of", buf, e);
    }
    return rc;
}

hw_code hw_demo_generate(hw_store *s, const hw_demo_opts *o, hw_demo_result *res, hw_err *e)
{
    demo_gen *g = NULL;
    demo_person *p = NULL;
    int64_t orgs = 0, people = 0;
    bool in_tx = false;
    hw_code rc;

    if (o->people < 1 || o->people > 100000000)
        return hw_fail(e, HW_EINVAL, "people", "between 1 and 100,000,000 people, not %llu",
                       (unsigned long long)o->people);
    /* People are up to 80 and terms run decades either side: stay inside the date range. */
    if (o->as_of < hw_date_from_ymd(1950, 1, 1) || o->as_of > hw_date_from_ymd(2150, 12, 31))
        return hw_fail(e, HW_EINVAL, "as_of", "as-of date must be between 1950 and 2150");
    rc = check_vocabulary(e);
    if (rc)
        return rc;
    rc = hw_store_count(s, HW_K_ORGANISATIONS, &orgs, e);
    if (!rc)
        rc = hw_store_count(s, HW_K_PEOPLE, &people, e);
    if (rc)
        return rc;
    if (orgs || people)
        return hw_fail(e, HW_ECONFLICT, NULL,
                       "the database already holds records (%lld organisations, %lld people); "
                       "demo data goes into an empty one",
                       (long long)orgs, (long long)people);

    g = calloc(1, sizeof(*g));
    p = malloc(sizeof(*p));
    if (!g || !p) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    g->s = s;
    g->as_of = o->as_of;
    g->seed = o->seed;
    for (int k = 0; k < HW_K_COUNT; k++)
        g->nfields[k] = hw_vocab_kind((hw_kind)k)->nfields;
    hw_arena_init(&g->a, 16384, 0);
    hw_arena_init(&g->dbg, 4096, 0);

    /* Every reference is to a record generated just before it (demo_rows_valid checks them). */
    rc = hw_store_begin(s, HW_BEGIN_REFS_CHECKED, e);
    if (rc)
        goto out;
    in_tx = true;
    /* Every table starts empty: build the secondary indexes once, at commit. */
    for (int k = 0; k < HW_K_COUNT && !rc; k++)
        rc = hw_store_bulk_load(s, (hw_kind)k, e);
    if (!rc)
        rc = emit_organisations(g, e);
    for (uint64_t i = 0; i < o->people && !rc; i++) {
        rc = generate_person(g, p, i, e);
        if (!rc && o->progress && ((i + 1) % 1000 == 0 || i + 1 == o->people) &&
            o->progress(o->progress_ud, i + 1, o->people))
            rc = hw_fail(e, HW_ECANCELED, NULL, "cancelled after %llu people",
                         (unsigned long long)(i + 1));
    }
    if (!rc)
        rc = record_meta(g, o, e);
    if (!rc)
        rc = hw_store_commit(s, e);
    if (rc)
        goto out;
    in_tx = false;
    if (res)
        for (int k = 0; k < HW_K_COUNT; k++)
            res->count[k] = g->last[k];
out:
    if (in_tx)
        hw_store_rollback(s, NULL);
    if (g) {
        hw_arena_release(&g->a);
        hw_arena_release(&g->dbg);
    }
    free(g);
    free(p);
    return rc;
}
