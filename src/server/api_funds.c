/* SPDX-License-Identifier: MIT */
/*
 * Funds, plans and the dashboard: the planner behind the API, and the
 * aggregates every role may see (a funder sees nothing else).
 */
#include <stdlib.h>
#include <string.h>

#include "homeward/buf.h"
#include "homeward/date.h"
#include "homeward/funds.h"
#include "homeward/plan.h"
#include "homeward/query.h"
#include "server/server_int.h"
#include "core/banned.h"

typedef struct funds_ctx {
    json_t *items;
    int64_t org;
} funds_ctx;

static int add_fund(void *ud, const hw_fund *f)
{
    funds_ctx *x = ud;

    if (f->organisation_id != x->org)
        return 0;
    return json_array_append_new(
               x->items,
               json_pack("{s:I, s:s, s:s*, s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)f->id,
                         "name", f->name, "restriction", f->restriction, "per_person_cap_cents",
                         (json_int_t)f->per_person_cap_cents, "given_cents",
                         (json_int_t)f->given_cents, "paid_cents", (json_int_t)f->paid_cents,
                         "balance_cents", (json_int_t)f->balance_cents, "created_at",
                         f->created_at)) != 0;
}

void hw__api_funds(hw_ctx *c)
{
    funds_ctx x = {json_array(), c->user.organisation_id};
    hw_err e;

    if (!x.items || hw_fund_list(c->db, add_fund, &x, &e)) {
        json_decref(x.items);
        hw__reply_err(c, &e);
        return;
    }
    hw__reply_json(c, 200, json_pack("{s:o, s:n}", "items", x.items, "next"));
}

typedef struct plans_ctx {
    json_t *items;
    int64_t org, id;
} plans_ctx;

static int add_plan(void *ud, const hw_plan_summary *p)
{
    plans_ctx *x = ud;

    if (p->organisation_id != x->org || (x->id && p->id != x->id))
        return 0;
    return json_array_append_new(x->items, hw_plan_summary_json(p)) != 0;
}

/* The organisation's plans (or plan `id`), newest first. */
static json_t *plans(hw_ctx *c, int64_t id, hw_err *e)
{
    plans_ctx x = {json_array(), c->user.organisation_id, id};

    if (!x.items) {
        hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        return NULL;
    }
    if (hw_plan_list(c->db, add_plan, &x, e)) {
        json_decref(x.items);
        return NULL;
    }
    return x.items;
}

/* The plan of the path, as a list of one; NULL after answering (404 when not the user's). */
static json_t *the_plan(hw_ctx *c)
{
    json_t *items;
    hw_err e;

    if (!(items = plans(c, c->id, &e))) {
        hw__reply_err(c, &e);
        return NULL;
    }
    if (json_array_size(items) == 0) {
        json_decref(items);
        hw__reply_error(c, 404, "not_found", NULL, "no plan %lld", (long long)c->id);
        return NULL;
    }
    return items;
}

void hw__api_plans_list(hw_ctx *c)
{
    json_t *items;
    hw_err e;

    if (!(items = plans(c, 0, &e)))
        hw__reply_err(c, &e);
    else
        hw__reply_json(c, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

static int add_plan_person(void *ud, const hw_plan_person *p)
{
    return json_array_append_new(
               ud, json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:I, s:s}", "person_id",
                             (json_int_t)p->person_id, "given_name", p->given_name, "family_name",
                             p->family_name, "cost_cents", (json_int_t)p->cost_cents, "value",
                             (json_int_t)p->value, "outcome", p->outcome, "months_avoided",
                             (json_int_t)p->months, "reason", p->reason)) != 0;
}

void hw__api_plan_get(hw_ctx *c)
{
    json_t *items, *p, *chosen;
    hw_err e;

    if (!(items = the_plan(c)))
        return;
    p = json_incref(json_array_get(items, 0));
    json_decref(items);
    /* The funds are stored as a JSON array's text; give the array. */
    json_object_set_new(p, "fund_ids",
                        json_loads(json_string_value(json_object_get(p, "funds")), 0, NULL));
    if (!(chosen = json_array()) ||
        hw_store_plan_people(c->db, c->id, c->user.organisation_id, add_plan_person, chosen, &e)) {
        json_decref(chosen);
        json_decref(p);
        hw__reply_err(c, &e);
        return;
    }
    json_object_set_new(p, "chosen", chosen);
    hw__reply_json(c, 200, p);
}

/* Staff plan for people, not ids: give each chosen person their name. */
static int name_chosen(void *ud, const hw_plan_person *p)
{
    json_t *chosen = ud, *v;
    size_t i;

    json_array_foreach(chosen, i,
                       v) if (json_integer_value(json_object_get(v, "person_id")) == p->person_id)
    {
        json_object_set_new(v, "given_name", json_string(p->given_name));
        json_object_set_new(v, "family_name", json_string(p->family_name));
        break;
    }
    return 0;
}

void hw__api_plan_make(hw_ctx *c)
{
    static const char *const fields[] = {"funds", "objective", NULL};
    json_t *body = hw__body_object(c, fields), *ids, *v, *j;
    int64_t fund_ids[64];
    hw_plan_opts o = {.fund_ids = fund_ids, .objective = HW_OBJECTIVE_WEIGHTED};
    const char *objective;
    hw_plan *plan = NULL;
    hw_arena a;
    size_t i;
    hw_err e;

    hw_arena_init(&a, 1024, 1 << 16);
    if (!body)
        goto out;
    ids = json_object_get(body, "funds");
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 64) {
        hw__reply_error(c, 422, "invalid", "funds", "funds is a list of 1 to 64 fund ids");
        goto out;
    }
    json_array_foreach(ids, i, v)
    {
        hw_fund f;

        if (!json_is_integer(v) || json_integer_value(v) <= 0 ||
            hw_fund_get(c->db, json_integer_value(v), &a, &f, &e) ||
            f.organisation_id != c->user.organisation_id) {
            hw__reply_error(c, 422, "invalid", "funds", "no fund %s",
                            json_is_integer(v) ? "with that id" : "id that is not a number");
            goto out;
        }
        fund_ids[o.nfunds++] = json_integer_value(v);
    }
    objective = json_string_value(json_object_get(body, "objective"));
    if (objective && !strcmp(objective, "people"))
        o.objective = HW_OBJECTIVE_PEOPLE;
    else if (objective && strcmp(objective, "weighted")) {
        hw__reply_error(c, 422, "invalid", "objective", "objective is people or weighted");
        goto out;
    }
    o.rules = c->srv->rules;
    o.time_limit_s = 30;
    if (hw_plan_make(c->db, &o, &plan, &e) || hw_store_begin(c->db, 0, &e) ||
        hw_plan_save(c->db, plan, &e) ||
        hw__audit_write(c, "plan", HW_K_ORGANISATIONS, plan->id, 0, &e) ||
        hw_store_commit(c->db, &e)) {
        hw__reply_err(c, &e);
        goto out;
    }
    if (!(j = hw_plan_json(plan)) ||
        hw_store_plan_people(c->db, plan->id, c->user.organisation_id, name_chosen,
                             json_object_get(j, "chosen"), &e)) {
        json_decref(j);
        hw__reply_err(c, &e);
        goto out;
    }
    hw__reply_json(c, 201, j);
out:
    hw_store_rollback(c->db, NULL);
    hw_plan_free(plan);
    hw_arena_release(&a);
    json_decref(body);
}

void hw__api_plan_commit(hw_ctx *c)
{
    char today[HW_DATE_LEN + 1];
    hw_commit_report r;
    json_t *items;
    hw_err e;

    if (!(items = the_plan(c)))
        return;
    json_decref(items);
    hw_date_format(hw_date_today(), today);
    hw__audit_actor(c);
    if (hw_plan_commit(c->db, c->id, today, &r, &e)) {
        if (e.code == HW_ECONFLICT)
            hw__reply_error(c, 409, "stale_plan", NULL, "%s", e.msg);
        else
            hw__reply_err(c, &e);
        return;
    }
    hw__reply_json(c, 200,
                   json_pack("{s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "plan_id",
                             (json_int_t)r.plan_id, "already", r.already, "payments_made",
                             (json_int_t)r.payments_made, "payments_before",
                             (json_int_t)r.payments_before, "paid_cents", (json_int_t)r.paid_cents,
                             "people_freed", (json_int_t)r.people_freed, "people_helped",
                             (json_int_t)r.people_helped, "months_avoided",
                             (json_int_t)r.months_avoided));
}

/* Counts by rule: {rule: {title, status: {eligible: n, ...}, people}}, as an array. */
typedef struct counts {
    hw_ctx *c;
    json_t *rules; /* rule id -> object */
} counts;

static int add_count(void *ud, const char *rule, const char *status, int64_t people, int64_t n)
{
    counts *x = ud;
    json_t *o = json_object_get(x->rules, rule);

    if (!o) {
        const hw_rule *r = x->c->srv->rules ? hw_ruleset_find(x->c->srv->rules, rule) : NULL;

        o = json_pack("{s:s, s:s*, s:s*, s:{}, s:I}", "rule", rule, "title",
                      r ? hw_rule_title(r) : NULL, "jurisdiction",
                      r ? hw_rule_jurisdiction(r) : NULL, "statuses", "eligible_people",
                      (json_int_t)0);
        if (!o || json_object_set_new(x->rules, rule, o))
            return 1;
    }
    if (json_object_set_new(json_object_get(o, "statuses"), status, json_integer(n)))
        return 1;
    if (!strcmp(status, "eligible") || !strcmp(status, "eligible_on"))
        json_object_set_new(
            o, "eligible_people",
            json_integer(json_integer_value(json_object_get(o, "eligible_people")) + people));
    return 0;
}

static json_t *rule_counts(hw_ctx *c, hw_err *e)
{
    counts x = {c, json_object()};
    json_t *arr = json_array(), *v;
    const char *k;

    if (!x.rules || !arr ||
        hw_store_determination_counts(c->db, c->user.organisation_id, add_count, &x, e)) {
        if (!x.rules || !arr)
            hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        json_decref(x.rules);
        json_decref(arr);
        return NULL;
    }
    json_object_foreach(x.rules, k, v) json_array_append(arr, v);
    json_decref(x.rules);
    return arr;
}

void hw__api_screening(hw_ctx *c)
{
    json_t *items;
    hw_err e;

    if (!(items = rule_counts(c, &e)))
        hw__reply_err(c, &e);
    else
        hw__reply_json(c, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

typedef struct csv_ctx {
    hw_buf b;
} csv_ctx;

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(hw_buf *b, const char *s, bool last)
{
    if (s && strpbrk(s, ",\"\r\n")) {
        hw_buf_putc(b, '"', NULL);
        for (; *s; s++) {
            if (*s == '"')
                hw_buf_putc(b, '"', NULL);
            hw_buf_putc(b, *s, NULL);
        }
        hw_buf_putc(b, '"', NULL);
    } else if (s) {
        hw_buf_append(b, s, strlen(s), NULL);
    }
    hw_buf_append(b, last ? "\r\n" : ",", last ? 2 : 1, NULL);
}

static int add_csv(void *ud, const hw_det *d)
{
    csv_ctx *x = ud;
    char n[3][24];

    snprintf(n[0], sizeof(n[0]), "%lld", (long long)d->person_id);
    snprintf(n[1], sizeof(n[1]), "%lld", (long long)d->subject_id);
    csv_field(&x->b, d->rule, false);
    csv_field(&x->b, n[0], false);
    csv_field(&x->b, d->subject_kind, false);
    csv_field(&x->b, n[1], false);
    csv_field(&x->b, d->status, false);
    csv_field(&x->b, d->eligible_on, false);
    csv_field(&x->b, d->as_of, true);
    return 0;
}

void hw__api_screening_export(hw_ctx *c)
{
    hw_det_query q = {.organisation_id = c->user.organisation_id};
    csv_ctx x = {HW_BUF_INIT(0)};
    hw_err e;

    q.rule = hw__query(c, "rule");
    q.status = hw__query(c, "status");
    hw_buf_printf(&x.b, NULL,
                  "rule,person_id,subject_kind,subject_id,status,eligible_on,as_of\r\n");
    if (hw_store_determinations(c->db, &q, add_csv, &x, &e)) {
        hw_buf_release(&x.b);
        hw__reply_err(c, &e);
        return;
    }
    if (!x.b.p) {
        hw__reply_error(c, 500, "internal", NULL, "out of memory");
        return;
    }
    c->rs->status = 200;
    c->rs->body = x.b.p;
    c->rs->len = x.b.n;
    c->rs->content_type = "text/csv; charset=utf-8";
}

void hw__api_dashboard(hw_ctx *c)
{
    hw_dashboard d;
    json_t *rules;
    hw_err e;

    if (!(rules = rule_counts(c, &e)) ||
        hw_store_dashboard(c->db, c->user.organisation_id, c->now - 90 * 86400, c->now, &d, &e)) {
        json_decref(rules);
        hw__reply_err(c, &e);
        return;
    }
    hw__reply_json(c, 200,
                   json_pack("{s:I, s:o, s:{s:I, s:I}, s:{s:I, s:I}, s:{s:I, s:I, s:i}}", "people",
                             (json_int_t)d.people, "eligible_by_rule", rules, "balances",
                             "people_owing", (json_int_t)d.people_owing, "total_cents",
                             (json_int_t)d.owed_cents, "relief", "people_freed",
                             (json_int_t)d.people_freed, "paid_cents", (json_int_t)d.paid_cents,
                             "checkins", "attended", (json_int_t)d.checkins_attended, "missed",
                             (json_int_t)d.checkins_missed, "days", 90));
}
