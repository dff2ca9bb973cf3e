/* SPDX-License-Identifier: MIT */
/*
 * Judging one record by one rule.  Precedence, strongest first:
 *
 *   out of scope, past the rule's end, an exclusion that holds, or a
 *   condition that fails and no payment or programme can cure: ineligible;
 *   a fact the answer needs is unknown, or a review question is raised:
 *   needs review;
 *   a curable condition fails: ineligible, with what is left;
 *   a waiting period (or the rule's start) is still running: eligible on
 *   the latest of their dates;
 *   otherwise eligible.
 *
 * Every clause evaluated is reported with the values it read, so the answer
 * can be checked by a person against the record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/date.h"
#include "homeward/buf.h"
#include "homeward/text.h"
#include "rules/rules_int.h"
#include "core/banned.h"

const char *hw_status_name(hw_status s)
{
    switch (s) {
    case HW_ELIGIBLE:
        return "eligible";
    case HW_INELIGIBLE:
        return "ineligible";
    case HW_ELIGIBLE_ON:
        return "eligible_on";
    case HW_NEEDS_REVIEW:
        return "needs_review";
    }
    return "?";
}

lval hw__lv_get(lval obj, const char *key)
{
    size_t n = strlen(key);

    if (obj.t != LV_OBJ)
        return LV_MAKE_UNDEF;
    for (uint32_t i = 0; i < obj.u.obj->n; i++)
        if (obj.u.obj->klens[i] == n && memcmp(obj.u.obj->keys[i], key, n) == 0)
            return obj.u.obj->vals[i];
    return LV_MAKE_UNDEF;
}

/* The value of a parameter in force on `as_of`, or null. */
static lval param_at(const param *p, const char *as_of)
{
    lval v = LV_MAKE_NULL;

    for (size_t i = 0; i < p->nvalues; i++) {
        const param_value *pv = &p->values[i];

        if (strcmp(pv->from, as_of) <= 0 && (!pv->to[0] || strcmp(as_of, pv->to) <= 0))
            v = pv->value;
    }
    return v;
}

bool hw__rule_top(lval input, const char *as_of, lval params, hw_arena *a, lval *out,
                  lval **params_at)
{
    uint32_t n = input.t == LV_OBJ ? input.u.obj->n : 0, k = 0;
    lobj *o = hw_arena_alloc(a, sizeof(*o));
    const char **keys = hw_arena_alloc(a, (n + 2) * sizeof(*keys));
    uint32_t *klens = hw_arena_alloc(a, (n + 2) * sizeof(*klens));
    lval *vals = hw_arena_alloc(a, (n + 2) * sizeof(*vals));

    if (!o || !keys || !klens || !vals)
        return false;
    for (uint32_t i = 0; i < n; i++) {
        const char *key = input.u.obj->keys[i];

        if (strcmp(key, "as_of") == 0 || strcmp(key, "params") == 0)
            continue;
        keys[k] = key;
        klens[k] = input.u.obj->klens[i];
        vals[k++] = input.u.obj->vals[i];
    }
    keys[k] = "as_of";
    klens[k] = 5;
    vals[k++] = hw__lv_str(as_of, 10);
    keys[k] = "params";
    klens[k] = 6;
    vals[k] = params;
    if (params_at)
        *params_at = &vals[k];
    *o = (lobj){.n = k + 1, .keys = keys, .klens = klens, .vals = vals};
    *out = (lval){.t = LV_OBJ, .u.obj = o};
    return true;
}

static bool absent(lval v)
{
    return v.t == LV_NULL || v.t == LV_UNDEF || (v.t == LV_STR && v.n == 0);
}

/* True when a path the clause needs is unknown in this input. */
static hw_code lacks(const clause *c, lval top, hw_arena *a, bool *out, hw_err *e)
{
    *out = false;
    for (size_t i = 0; i < c->nneeds; i++) {
        lval v;
        hw_code rc = hw__logic_eval(c->needs[i].logic, top, a, &v, e);

        if (rc)
            return rc;
        if (absent(v)) {
            *out = true;
            return HW_OK;
        }
    }
    return HW_OK;
}

/* A date value as canonical text in out[11]; false when it is not a date. */
static bool date_of(lval v, char out[11])
{
    int32_t day;
    hw_err ignore;

    if (v.t != LV_STR || hw_date_parse(v.u.s, v.n, &day, &ignore) != HW_OK)
        return false;
    hw_date_format(day, out);
    return true;
}

/* "pay the {amount} balance" with the amount written in dollars. */
static const char *fill_amount(const char *text, int64_t cents, hw_arena *a)
{
    const char *at = strstr(text, "{amount}");
    char money[40];
    size_t n, m;
    char *out;

    if (!at || cents < 0)
        return text;
    hw_cents_format(cents, money, sizeof(money));
    n = strlen(text);
    m = strlen(money);
    out = hw_arena_alloc(a, n - 8 + m + 1);
    if (!out)
        return text;
    memcpy(out, text, (size_t)(at - text));
    memcpy(out + (at - text), money, m);
    memcpy(out + (at - text) + m, at + 8, n - (size_t)(at - text) - 8 + 1);
    return out;
}

static hw_code add_left(determination *d, size_t cap, const char *kind, const char *text,
                        const char *date, int64_t cents, hw_err *e)
{
    left_item *it;

    if (d->nleft == cap)
        return hw_fail(e, HW_EBUG, NULL, "too many items left");
    it = &d->left[d->nleft++];
    it->kind = kind;
    it->text = text;
    it->amount_cents = cents;
    it->date[0] = '\0';
    if (date)
        memcpy(it->date, date, 11);
    return HW_OK;
}

hw_code hw__rule_judge(const hw_rule *r, lval input, const char *as_of, hw_arena *a,
                       determination *d, hw_err *e)
{
    lval top, params;

    if (!hw__rule_params(r, as_of, a, &params) ||
        !hw__rule_top(input, as_of, params, a, &top, NULL))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    return hw__rule_judge_top(r, top, as_of, a, d, e);
}

bool hw__rule_params(const hw_rule *r, const char *as_of, hw_arena *a, lval *out)
{
    lobj *po = hw_arena_alloc(a, sizeof(*po));
    const char **keys = hw_arena_alloc(a, (r->nparams + 1) * sizeof(*keys));
    uint32_t *klens = hw_arena_alloc(a, (r->nparams + 1) * sizeof(*klens));
    lval *vals = hw_arena_alloc(a, (r->nparams + 1) * sizeof(*vals));

    if (!po || !keys || !klens || !vals)
        return false;
    for (size_t i = 0; i < r->nparams; i++) {
        keys[i] = r->params[i].name;
        klens[i] = (uint32_t)strlen(r->params[i].name);
        vals[i] = param_at(&r->params[i], as_of);
    }
    *po = (lobj){.n = (uint32_t)r->nparams, .keys = keys, .klens = klens, .vals = vals};
    *out = (lval){.t = LV_OBJ, .u.obj = po};
    return true;
}

hw_code hw__rule_judge_top(const hw_rule *r, lval top, const char *as_of, hw_arena *a,
                           determination *d, hw_err *e)
{
    bool hard = false, unknown = false, curable = false;
    char wait[11] = "";
    size_t left_cap = r->nclauses + 1;
    hw_code rc;

    memset(d, 0, sizeof(*d));
    d->rule = r;
    d->as_of = as_of;
    d->in_scope = true;
    d->top = top;
    d->verdicts = hw_arena_alloc(a, (r->nclauses + 1) * sizeof(*d->verdicts));
    d->left = hw_arena_alloc(a, left_cap * sizeof(*d->left));
    if (!d->verdicts || !d->left)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");

    for (size_t i = 0; i < r->nclauses; i++) {
        const clause *c = &r->clauses[i];
        verdict *v = &d->verdicts[d->nverdicts];
        lval out = LV_MAKE_NULL;
        bool missing = false;
        int truth = 0;

        /* Only a waiting period needs its value; the rest need yes or no, which is cheaper. */
        rc = c->role == CL_WAITING ? hw__logic_eval(c->logic, d->top, a, &out, e)
                                   : hw__logic_test(c->logic, d->top, a, &truth, e);
        if (rc)
            return rc;
        v->c = c;
        v->val = LV_MAKE_NULL;
        switch (c->role) {
        case CL_SCOPE:
            v->met = truth != 0;
            d->nverdicts++;
            if (!v->met) {
                d->status = HW_INELIGIBLE;
                d->in_scope = false;
                return HW_OK;
            }
            continue;
        case CL_EXCLUSION:
        case CL_CONDITION:
            v->met = truth != 0;
            if (!v->met) {
                if ((rc = lacks(c, d->top, a, &missing, e)))
                    return rc;
                if (missing)
                    v->met = -1;
            }
            break;
        case CL_WAITING: {
            char day[11];

            /* A date computed from an unknown fact is no date: date_add(start, null) is start. */
            if ((rc = lacks(c, d->top, a, &missing, e)))
                return rc;
            if (!missing && date_of(out, day)) {
                v->val = hw__lv_str(hw_arena_strndup(a, day, 10), 10);
                v->met = strcmp(day, as_of) <= 0;
            } else {
                v->met = -1;
            }
            break;
        }
        case CL_REVIEW:
            v->met = truth != 0;
            break;
        }
        d->nverdicts++;
        if (c->role == CL_EXCLUSION) {
            hard |= v->met == 1;
            unknown |= v->met == -1;
        } else if (c->role == CL_CONDITION) {
            if (v->met == 0 && !c->left_kind)
                hard = true;
            curable |= v->met == 0 && c->left_kind;
            unknown |= v->met == -1;
        } else if (c->role == CL_WAITING) {
            unknown |= v->met == -1;
            if (v->met == 0 && strcmp(v->val.u.s, wait) > 0)
                memcpy(wait, v->val.u.s, 11);
        } else if (c->role == CL_REVIEW) {
            unknown |= v->met == 1;
        }
    }

    if (r->to[0] && strcmp(as_of, r->to) > 0) {
        d->status = HW_INELIGIBLE;
        d->note = "the rule is no longer in force";
        return HW_OK;
    }
    if (hard) {
        d->status = HW_INELIGIBLE;
        return HW_OK;
    }
    if (r->from[0] && strcmp(as_of, r->from) < 0 && strcmp(r->from, wait) > 0)
        memcpy(wait, r->from, 11);

    /* Close: say what is left, for the person and for the planner. */
    for (size_t i = 0; i < d->nverdicts; i++) {
        const verdict *v = &d->verdicts[i];
        int64_t cents = -1;

        if (v->c->role != CL_CONDITION || v->met != 0)
            continue;
        if (v->c->left_amount) {
            lval amt;

            if ((rc = hw__logic_eval(v->c->left_amount, d->top, a, &amt, e)))
                return rc;
            if (amt.t == LV_NUM && amt.u.num >= 0 && amt.u.num < 9e15)
                cents = (int64_t)amt.u.num;
        }
        if ((rc = add_left(d, left_cap, v->c->left_kind, fill_amount(v->c->left_text, cents, a),
                           NULL, cents, e)))
            return rc;
    }
    if (wait[0]) {
        char *text = hw_arena_alloc(a, 40);

        if (!text)
            return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        snprintf(text, 40, "eligible on %s", wait);
        if ((rc = add_left(d, left_cap, "wait", text, wait, -1, e)))
            return rc;
    }
    if (unknown)
        d->status = HW_NEEDS_REVIEW;
    else if (curable)
        d->status = HW_INELIGIBLE;
    else if (wait[0]) {
        d->status = HW_ELIGIBLE_ON;
        memcpy(d->date, wait, 11);
    } else
        d->status = HW_ELIGIBLE;
    if (d->status == HW_ELIGIBLE)
        d->nleft = 0;
    return HW_OK;
}

static const char *role_name(clause_role r)
{
    static const char *const names[] = {"scope", "exclusion", "condition", "waiting", "review"};

    return names[r];
}

static json_t *lv_json_or_null(lval v)
{
    json_t *j = v.t == LV_UNDEF ? json_null() : hw__lv_to_json(v);

    return j ? j : json_null();
}

/* {"path": value, ...} for what a clause read. */
static json_t *clause_values(const clause *c, lval top, hw_arena *a)
{
    json_t *o = json_object();
    hw_err ignore;

    for (size_t i = 0; o && i < c->nvars; i++) {
        lval v;

        if (hw__logic_eval(c->vars[i].logic, top, a, &v, &ignore) != HW_OK)
            v = LV_MAKE_NULL;
        json_object_set_new(o, c->vars[i].path, lv_json_or_null(v));
    }
    return o;
}

static lval subject_field(const determination *d, const char *rec, const char *field)
{
    return hw__lv_get(hw__lv_get(d->top, rec), field);
}

static json_t *reason_json(const clause *c, json_t *holds, json_t *values, json_t *date);
static json_t *effective_json(const hw_rule *r, const char *as_of);

json_t *hw__determination_json(const determination *d, hw_arena *a)
{
    const hw_rule *r = d->rule;
    json_t *o, *reasons, *left;
    lval pid = subject_field(d, "person", "id");
    lval sid = subject_field(d, r->singular, "id");

    reasons = json_array();
    left = json_array();
    o = json_pack("{s:s,s:o,s:{s:s,s:o},s:s,s:o,s:o,s:o,s:s,s:b,s:s}", "rule", r->id, "person_id",
                  lv_json_or_null(pid), "subject", "kind", r->singular, "id", lv_json_or_null(sid),
                  "status", hw_status_name(d->status), "date",
                  d->status == HW_ELIGIBLE_ON ? json_string(d->date) : json_null(), "reasons",
                  reasons ? json_incref(reasons) : json_array(), "left",
                  left ? json_incref(left) : json_array(), "as_of", d->as_of, "in_scope",
                  d->in_scope, "relief", r->relief);
    if (!o || !reasons || !left)
        goto fail;
    for (size_t i = 0; i < d->nverdicts; i++) {
        const verdict *v = &d->verdicts[i];
        const clause *c = v->c;
        json_t *x = reason_json(
            c, v->met < 0 ? json_null() : json_boolean(v->met), clause_values(c, d->top, a),
            c->role == CL_WAITING ? (v->val.t == LV_STR ? json_string(v->val.u.s) : json_null())
                                  : NULL);

        if (!x || json_array_append_new(reasons, x))
            goto fail;
    }
    {
        json_t *x = effective_json(r, d->as_of);

        if (x && json_array_append_new(reasons, x))
            goto fail;
    }
    for (size_t i = 0; i < d->nleft; i++) {
        const left_item *it = &d->left[i];
        json_t *x = json_pack("{s:s,s:s}", "kind", it->kind, "text", it->text);

        if (!x || json_array_append_new(left, x))
            goto fail;
        if (it->date[0])
            json_object_set_new(x, "date", json_string(it->date));
        if (it->amount_cents >= 0)
            json_object_set_new(x, "amount_cents", json_integer(it->amount_cents));
    }
    json_decref(reasons);
    json_decref(left);
    return o;
fail:
    json_decref(reasons);
    json_decref(left);
    json_decref(o);
    return NULL;
}

/* A scalar value as JSON text; arrays and objects go through jansson. */
static bool put_value(hw_buf *b, lval v)
{
    switch (v.t) {
    case LV_NULL:
    case LV_UNDEF:
        return hw_buf_append(b, "null", 4, NULL) == HW_OK;
    case LV_BOOL:
        return hw_buf_printf(b, NULL, v.u.b ? "true" : "false") == HW_OK;
    case LV_NUM:
        if (v.u.num != v.u.num || v.u.num - v.u.num != 0)
            return hw_buf_append(b, "null", 4, NULL) == HW_OK;
        if (v.u.num == (double)(long long)v.u.num && v.u.num > -9.0e15 && v.u.num < 9.0e15)
            return hw_buf_printf(b, NULL, "%lld", (long long)v.u.num) == HW_OK;
        return hw_buf_printf(b, NULL, "%.17g", v.u.num) == HW_OK;
    case LV_STR:
        if (hw_buf_putc(b, '"', NULL))
            return false;
        for (uint32_t i = 0; i < v.n; i++) {
            unsigned char c = (unsigned char)v.u.s[i];
            hw_code rc;

            if (c == '"' || c == '\\')
                rc = hw_buf_printf(b, NULL, "\\%c", c);
            else if (c < 0x20)
                rc = hw_buf_printf(b, NULL, "\\u%04x", c);
            else
                rc = hw_buf_putc(b, (char)c, NULL);
            if (rc)
                return false;
        }
        return hw_buf_putc(b, '"', NULL) == HW_OK;
    default: {
        json_t *j = hw__lv_to_json(v);
        char *text = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
        bool ok = text && hw_buf_append(b, text, strlen(text), NULL) == HW_OK;

        free(text);
        json_decref(j);
        return ok;
    }
    }
}

bool hw__determination_compact(const determination *d, hw_arena *a, hw_buf *b)
{
    const hw_rule *r = d->rule;
    hw_err ignore;

    if (hw_buf_printf(b, NULL, "[\""))
        return false;
    for (size_t i = 0; i < d->nverdicts; i++)
        if (hw_buf_putc(b, d->verdicts[i].met < 0 ? '?' : d->verdicts[i].met ? '1' : '0', NULL))
            return false;
    if (hw_buf_putc(b, '"', NULL))
        return false;
    for (size_t k = 0; k < r->npaths; k++) {
        lval x;

        if (hw__logic_eval(r->paths[k]->logic, d->top, a, &x, &ignore) != HW_OK)
            x = LV_MAKE_NULL;
        if (hw_buf_putc(b, ',', NULL) || !put_value(b, x))
            return false;
    }
    for (size_t i = 0; i < d->nverdicts; i++) {
        const verdict *v = &d->verdicts[i];

        if (v->c->role == CL_WAITING && (hw_buf_putc(b, ',', NULL) ||
                                         !put_value(b, v->val.t == LV_STR ? v->val : LV_MAKE_NULL)))
            return false;
    }
    return hw_buf_putc(b, ']', NULL) == HW_OK;
}

bool hw__determination_left_json(const determination *d, hw_buf *b)
{
    if (hw_buf_putc(b, '[', NULL))
        return false;
    for (size_t i = 0; i < d->nleft; i++) {
        const left_item *it = &d->left[i];

        if (hw_buf_printf(b, NULL, "%s{\"kind\":\"%s\",\"text\":", i ? "," : "", it->kind) ||
            !put_value(b, hw__lv_str(it->text, strlen(it->text))))
            return false;
        if (it->date[0] && hw_buf_printf(b, NULL, ",\"date\":\"%s\"", it->date))
            return false;
        if (it->amount_cents >= 0 &&
            hw_buf_printf(b, NULL, ",\"amount_cents\":%lld", (long long)it->amount_cents))
            return false;
        if (hw_buf_putc(b, '}', NULL))
            return false;
    }
    return hw_buf_putc(b, ']', NULL) == HW_OK;
}

/* One reason as reported: the clause, whether it held, its text and values. */
static json_t *reason_json(const clause *c, json_t *holds, json_t *values, json_t *date)
{
    json_t *x = json_pack("{s:s,s:s,s:o,s:s,s:o}", "clause", c->id, "part", role_name(c->role),
                          "holds", holds, c->role == CL_REVIEW ? "question" : "reason", c->text,
                          "values", values ? values : json_object());

    if (x && date)
        json_object_set_new(x, "date", date);
    else
        json_decref(date);
    return x;
}

static json_t *effective_json(const hw_rule *r, const char *as_of)
{
    bool ended = r->to[0] && strcmp(as_of, r->to) > 0;

    if (!ended && !(r->from[0] && strcmp(as_of, r->from) < 0))
        return NULL;
    return json_pack("{s:s,s:s,s:b,s:s,s:{s:s?,s:s?}}", "clause", "effective", "part", "effective",
                     "holds", !ended, "reason",
                     ended ? "the rule is no longer in force" : "the rule takes effect later",
                     "values", "from", r->from[0] ? r->from : NULL, "to", r->to[0] ? r->to : NULL);
}

static int dump_to_buf(const char *p, size_t n, void *ud)
{
    return hw_buf_append(ud, p, n, NULL) ? -1 : 0;
}

/* v as compact JSON text, as jansson writes it; false when out of memory. */
static bool put_json(hw_buf *b, const json_t *v)
{
    return json_dump_callback(v, dump_to_buf, b, JSON_COMPACT | JSON_ENCODE_ANY) == 0;
}

static bool put_str(hw_buf *b, const char *s)
{
    return hw_buf_put_json_string(b, s, strlen(s), NULL) == HW_OK;
}

static bool put_raw(hw_buf *b, const char *s)
{
    return hw_buf_append(b, s, strlen(s), NULL) == HW_OK;
}

/* Clause i's reason, made whole from the stored form `in`; *date_at moves past its date. */
static bool put_reason(hw_buf *b, const hw_rule *r, size_t i, char held, json_t *in,
                       size_t *date_at)
{
    const clause *c = &r->clauses[i];
    bool ok = put_raw(b, "{\"clause\":") && put_str(b, c->id) && put_raw(b, ",\"part\":\"") &&
              put_raw(b, role_name(c->role)) && put_raw(b, "\",\"holds\":") &&
              put_raw(b, held == '?'   ? "null"
                         : held == '1' ? "true"
                                       : "false") &&
              put_raw(b, c->role == CL_REVIEW ? ",\"question\":" : ",\"reason\":") &&
              put_str(b, c->text) && put_raw(b, ",\"values\":{");
    size_t shown = 0;

    for (size_t k = 0; ok && k < c->nvars; k++) {
        bool seen = false;

        /* A path the clause reads twice is one key, as in an object. */
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(c->vars[j].path, c->vars[k].path) == 0;
        if (!seen)
            ok = (!shown++ || put_raw(b, ",")) && put_str(b, c->vars[k].path) && put_raw(b, ":") &&
                 put_json(b, json_array_get(in, 1 + c->vars[k].at));
    }
    ok = ok && put_raw(b, "}");
    if (ok && c->role == CL_WAITING)
        ok = put_raw(b, ",\"date\":") && put_json(b, json_array_get(in, (*date_at)++));
    return ok && put_raw(b, "}");
}

/*
 * Written as text straight from the stored form: on a person page this ran
 * for every determination, and a tree of it first cost more than the rest.
 */
hw_code hw_rule_reasons_write(const hw_rule *r, const char *compact, const char *as_of, hw_buf *b,
                              hw_err *e)
{
    json_t *in = json_loads(compact, JSON_DECODE_ANY, NULL), *eff;
    const char *holds = json_string_value(json_array_get(in, 0));
    size_t n = holds ? strlen(holds) : 0, waits = 0, date_at = 1 + r->npaths;
    bool ok;

    for (size_t i = 0; i < n && i < r->nclauses; i++)
        waits += r->clauses[i].role == CL_WAITING;
    if (!in || !holds || n > r->nclauses || strspn(holds, "10?") != n ||
        json_array_size(in) != 1 + r->npaths + waits) {
        json_decref(in);
        return hw_fail(e, HW_EINVAL, "reasons",
                       "stored reasons do not fit rule '%s': the rule changed since the "
                       "screening, screen again",
                       r->id);
    }
    ok = put_raw(b, "[");
    for (size_t i = 0; ok && i < n; i++)
        ok = (!i || put_raw(b, ",")) && put_reason(b, r, i, holds[i], in, &date_at);
    json_decref(in);
    if (ok && as_of && (eff = effective_json(r, as_of))) {
        ok = (!n || put_raw(b, ",")) && put_json(b, eff);
        json_decref(eff);
    }
    if (!ok || !put_raw(b, "]"))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    return HW_OK;
}

hw_code hw_rule_reasons_expand(const hw_rule *r, const char *compact, const char *as_of,
                               json_t **out, hw_err *e)
{
    hw_buf b = HW_BUF_INIT(0);
    hw_code rc;

    *out = NULL;
    if (!(rc = hw_rule_reasons_write(r, compact, as_of, &b, e)) &&
        !(*out = json_loadb(b.p, b.n, 0, NULL)))
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    hw_buf_release(&b);
    return rc;
}

const char *hw__determination_summary(const determination *d, hw_arena *a)
{
    hw_buf b = HW_BUF_INIT(0);
    const char *out;
    size_t shown = 0;

    for (size_t i = 0; i < d->nverdicts && shown < 3; i++) {
        const verdict *v = &d->verdicts[i];
        const clause *c = v->c;
        const char *mark = NULL;

        switch (d->status) {
        case HW_INELIGIBLE:
            if ((c->role == CL_SCOPE && !v->met) || (c->role == CL_EXCLUSION && v->met == 1) ||
                (c->role == CL_CONDITION && v->met == 0))
                mark = c->role == CL_EXCLUSION ? "excluded: " : "not met: ";
            break;
        case HW_NEEDS_REVIEW:
            if (v->met == -1)
                mark = "unknown: ";
            else if (c->role == CL_REVIEW && v->met == 1)
                mark = "review: ";
            break;
        case HW_ELIGIBLE_ON:
            if (c->role == CL_WAITING && v->met == 0)
                mark = "waiting: ";
            break;
        case HW_ELIGIBLE:
            break;
        }
        if (mark) {
            hw_buf_printf(&b, NULL, "%s%s%s", shown ? "; " : "", mark, c->text);
            shown++;
        }
    }
    if (!shown && d->note)
        hw_buf_printf(&b, NULL, "%s", d->note);
    else if (!shown && d->status == HW_ELIGIBLE_ON)
        hw_buf_printf(&b, NULL, "waiting: the rule takes effect on %s", d->rule->from);
    else if (!shown)
        hw_buf_printf(&b, NULL, "all conditions met");
    out = b.p ? hw_arena_strndup(a, b.p, b.n) : "";
    hw_buf_release(&b);
    return out ? out : "";
}

hw_code hw_rule_judge_json(const hw_rule *r, const json_t *input, const char *as_of, hw_arena *a,
                           json_t **out, hw_err *e)
{
    lval in;
    determination d;
    int32_t day;
    hw_code rc;

    *out = NULL;
    if (!json_is_object(input))
        return hw_fail(e, HW_EINVAL, NULL, "the input must be an object (person, %s, as_of)",
                       r->singular);
    if (!as_of) {
        const json_t *j = json_object_get(input, "as_of");

        if (!json_is_string(j))
            return hw_fail(e, HW_EINVAL, "as_of", "no as_of date: give one in the input");
        as_of = json_string_value(j);
    }
    if (strlen(as_of) != 10 || hw_date_parse(as_of, 10, &day, e) != HW_OK)
        return hw_fail(e, HW_EINVAL, "as_of", "not a date YYYY-MM-DD: '%.40s'", as_of);
    if (!hw__lv_from_json(input, a, &in))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = hw__rule_judge(r, in, as_of, a, &d, e)))
        return rc;
    *out = hw__determination_json(&d, a);
    return *out ? HW_OK : hw_fail(e, HW_ENOMEM, NULL, "out of memory");
}

hw_code hw_ruleset_selftest(const hw_ruleset *rs, FILE *report, size_t *passed, size_t *failed,
                            hw_err *e)
{
    hw_arena a;

    *passed = *failed = 0;
    hw_arena_init(&a, 1 << 16, 256u << 20); /* a hostile rule runs out, not the machine */
    for (size_t i = 0; i < rs->n; i++) {
        const hw_rule *r = rs->rules[i];

        for (size_t k = 0; k < r->ntests; k++) {
            const rule_test *t = &r->tests[k];
            lval in;
            determination d;
            hw_err te;
            const char *why = NULL;
            hw_code rc;

            hw_arena_reset(&a);
            if (!hw__lv_from_json(t->facts, &a, &in)) {
                hw_arena_release(&a);
                return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            }
            rc = hw__rule_judge(r, in, t->as_of, &a, &d, &te);
            if (rc)
                why = te.msg;
            else if (d.status != t->expect)
                why = "status differs";
            else if (t->expect_date && strcmp(d.date, t->expect_date) != 0)
                why = "date differs";
            else if (t->expect_left) {
                why = "nothing of that kind is left";
                for (size_t j = 0; j < d.nleft; j++)
                    if (strcmp(d.left[j].kind, t->expect_left) == 0)
                        why = NULL;
            }
            if (!why) {
                (*passed)++;
                continue;
            }
            (*failed)++;
            if (report) {
                fprintf(report, "FAIL %s: %s (%s): %s: expected %s", r->id, t->name, r->file, why,
                        hw_status_name(t->expect));
                if (t->expect_date)
                    fprintf(report, " %s", t->expect_date);
                if (rc == HW_OK) {
                    fprintf(report, ", got %s", hw_status_name(d.status));
                    if (d.status == HW_ELIGIBLE_ON)
                        fprintf(report, " %s", d.date);
                    fprintf(report, " (%s)", hw__determination_summary(&d, &a));
                }
                fputc('\n', report);
            }
        }
    }
    hw_arena_release(&a);
    return HW_OK;
}
