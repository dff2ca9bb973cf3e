/* SPDX-License-Identifier: MIT */
/*
 * Loading rule files: JSON in, a checked and compiled hw_rule out.  Every
 * check names the file and the JSON path of what is wrong, because the
 * people who write rules are lawyers and advocates, not C programmers.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "homeward/date.h"
#include "rules/rules_int.h"
#include "core/banned.h"

/* Where we are in the file, for messages: "rules/x.json: $.conditions[2].when". */
typedef struct loader {
    const char *file;
    hw_rule *r;
    hw_err *e;
} loader;

static hw_code obligation_kinds(loader *L, const json_t *j, const char *path, unsigned *out);

static hw_code bad(loader *L, const char *path, const char *fmt, ...) HW_PRINTF(3, 4);

static hw_code bad(loader *L, const char *path, const char *fmt, ...)
{
    char why[320];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return hw_fail(L->e, HW_EINVAL, NULL, "%s: %s: %s", L->file, path, why);
}

static const char *dup(loader *L, const char *s)
{
    return hw_arena_strndup(&L->r->mem, s, strlen(s));
}

static void *alloc0(loader *L, size_t n)
{
    void *p = hw_arena_alloc(&L->r->mem, n ? n : 1);

    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

/* A required or optional string member; *out NULL when absent and optional. */
static hw_code get_str(loader *L, const json_t *obj, const char *path, const char *key,
                       bool required, const char **out)
{
    const json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v) {
        if (required)
            return bad(L, path, "'%s' is missing", key);
        return HW_OK;
    }
    if (!json_is_string(v) || json_string_length(v) == 0)
        return bad(L, path, "'%s' must be non-empty text", key);
    *out = dup(L, json_string_value(v));
    return *out ? HW_OK : hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
}

static hw_code get_date(loader *L, const json_t *obj, const char *path, const char *key,
                        char out[11])
{
    const json_t *v = json_object_get(obj, key);
    int32_t day;
    hw_err ignore;

    out[0] = '\0';
    if (!v || json_is_null(v))
        return HW_OK;
    if (!json_is_string(v) ||
        hw_date_parse(json_string_value(v), json_string_length(v), &day, &ignore) != HW_OK)
        return bad(L, path, "'%s' must be a date YYYY-MM-DD", key);
    memcpy(out, json_string_value(v), 10);
    out[10] = '\0';
    return HW_OK;
}

/* Reject members we do not know: a misspelt "exclusion" must not be ignored. */
static hw_code only_keys(loader *L, const json_t *obj, const char *path, const char *const *keys)
{
    const char *k;
    const json_t *v;

    json_object_foreach((json_t *)obj, k, v)
    {
        size_t i;

        for (i = 0; keys[i]; i++)
            if (strcmp(k, keys[i]) == 0)
                break;
        if (!keys[i])
            return bad(L, path, "unknown member '%.60s'", k);
    }
    return HW_OK;
}

static hw_code compile_at(loader *L, const json_t *j, const char *path, hw_logic **out)
{
    hw_err e2;
    hw_code rc = hw_logic_compile(j, out, &e2);

    if (rc == HW_OK)
        return HW_OK;
    if (rc == HW_EINVAL && e2.msg[0] == '$')
        return hw_fail(L->e, rc, NULL, "%s: %s%s", L->file, path, e2.msg + 1);
    return hw_fail(L->e, rc, NULL, "%s: %s: %s", L->file, path, e2.msg);
}

/* Free the compiled parts of a rule (the rest lives in its arena). */
static void free_rule(hw_rule *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nclauses; i++) {
        clause *c = &r->clauses[i];

        hw_logic_free(c->logic);
        hw_logic_free(c->left_amount);
        for (size_t k = 0; k < c->nvars; k++)
            hw_logic_free(c->vars[k].logic);
        for (size_t k = 0; k < c->nneeds; k++)
            hw_logic_free(c->needs[k].logic);
    }
    for (size_t i = 0; i < r->ntests; i++)
        json_decref(r->tests[i].facts);
    json_decref(r->citations);
    free(r->citations_text);
    hw_arena_release(&r->mem);
    free(r);
}

/*
 * The var paths a rule reads, so the judge can report their values.  Paths
 * inside the item rule of map/filter/reduce/all/some/none are relative to
 * each item, not the input, and are skipped.
 */
static void collect_vars(const json_t *j, const char **paths, size_t *n, size_t max, bool *dyn)
{
    const char *op;
    const json_t *args;

    if (json_is_array(j)) {
        size_t i;
        const json_t *x;

        json_array_foreach(j, i, x) collect_vars(x, paths, n, max, dyn);
        return;
    }
    if (!json_is_object(j) || json_object_size(j) != 1)
        return;
    op = json_object_iter_key(json_object_iter((json_t *)j));
    args = json_object_iter_value(json_object_iter((json_t *)j));
    if (strcmp(op, "var") == 0) {
        const json_t *p = json_is_array(args) ? json_array_get(args, 0) : args;
        const char *s = json_string_value(p);

        if (!s || !*s) {
            *dyn = true;
            return;
        }
        if (strncmp(s, "params", 6) == 0)
            return;
        for (size_t i = 0; i < *n; i++)
            if (strcmp(paths[i], s) == 0)
                return;
        if (*n < max)
            paths[(*n)++] = s;
        else
            *dyn = true; /* too many to list: screening reads every field */
        return;
    }
    if (strcmp(op, "map") == 0 || strcmp(op, "filter") == 0 || strcmp(op, "reduce") == 0 ||
        strcmp(op, "all") == 0 || strcmp(op, "some") == 0 || strcmp(op, "none") == 0) {
        collect_vars(json_array_get(args, 0), paths, n, max, dyn);
        if (strcmp(op, "reduce") == 0)
            collect_vars(json_array_get(args, 2), paths, n, max, dyn);
        return;
    }
    collect_vars(args, paths, n, max, dyn);
}

static hw_code make_vars(loader *L, const char **paths, size_t n, clause_var **out, size_t *nout)
{
    clause_var *v = alloc0(L, n * sizeof(*v));

    if (!v)
        return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_pack("{s:s}", "var", paths[i]);
        hw_code rc;

        if (!j)
            return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
        v[i].path = dup(L, paths[i]);
        rc = hw_logic_compile(j, &v[i].logic, L->e);
        json_decref(j);
        if (rc)
            return rc;
        (*nout)++;
    }
    *out = v;
    return HW_OK;
}

#define MAX_VARS 32

static const char *const role_names[] = {"scope", "exclusions", "conditions", "waiting", "review"};

static hw_code load_clause(loader *L, const json_t *j, clause_role role, const char *path,
                           clause *c)
{
    static const char *const keys[] = {"id",    "when", "until", "reason", "question",
                                       "needs", "left", "note",  NULL};
    const char *logic_key = role == CL_WAITING ? "until" : "when";
    const char *text_key = role == CL_REVIEW ? "question" : "reason";
    const json_t *logic, *needs, *left;
    const char *paths[MAX_VARS];
    size_t npaths = 0;
    char sub[280];
    hw_code rc;

    if (!json_is_object(j))
        return bad(L, path, "must be an object with '%s' and '%s'", logic_key, text_key);
    if ((rc = only_keys(L, j, path, keys)))
        return rc;
    c->role = role;
    if ((rc = get_str(L, j, path, "id", true, &c->id)) ||
        (rc = get_str(L, j, path, text_key, true, &c->text)))
        return rc;
    if (json_object_get(j, role == CL_WAITING ? "when" : "until"))
        return bad(L, path, "'%s' is for %s; this clause takes '%s'",
                   role == CL_WAITING ? "when" : "until",
                   role == CL_WAITING ? "other clauses" : "waiting periods", logic_key);
    if (json_object_get(j, role == CL_REVIEW ? "reason" : "question"))
        return bad(L, path, "'%s' belongs to %s; this clause takes '%s'",
                   role == CL_REVIEW ? "reason" : "question",
                   role == CL_REVIEW ? "other clauses" : "review clauses", text_key);
    logic = json_object_get(j, logic_key);
    if (!logic)
        return bad(L, path, "'%s' is missing", logic_key);
    snprintf(sub, sizeof(sub), "%s.%s", path, logic_key);
    if ((rc = compile_at(L, logic, sub, &c->logic)))
        return rc;
    collect_vars(logic, paths, &npaths, MAX_VARS, &L->r->reads_all);

    left = json_object_get(j, "left");
    if (left) {
        static const char *const lkeys[] = {"kind", "text", "amount_cents", "kinds", NULL};
        const json_t *amount;

        snprintf(sub, sizeof(sub), "%s.left", path);
        if (role != CL_CONDITION)
            return bad(L, sub, "only conditions say what is left");
        if (!json_is_object(left))
            return bad(L, sub, "must be an object with 'kind' and 'text'");
        if ((rc = only_keys(L, left, sub, lkeys)) ||
            (rc = get_str(L, left, sub, "kind", true, &c->left_kind)) ||
            (rc = get_str(L, left, sub, "text", true, &c->left_text)))
            return rc;
        if (strcmp(c->left_kind, "pay") && strcmp(c->left_kind, "complete") &&
            strcmp(c->left_kind, "other"))
            return bad(L, sub, "'kind' must be pay, complete or other, not '%.40s'", c->left_kind);
        amount = json_object_get(left, "amount_cents");
        if (amount) {
            snprintf(sub, sizeof(sub), "%s.left.amount_cents", path);
            if ((rc = compile_at(L, amount, sub, &c->left_amount)))
                return rc;
            collect_vars(amount, paths, &npaths, MAX_VARS, &L->r->reads_all);
        } else if (strcmp(c->left_kind, "pay") == 0) {
            return bad(L, sub, "a 'pay' item needs 'amount_cents'");
        }
        if (strcmp(c->left_kind, "pay") == 0) {
            unsigned kinds = 0;

            snprintf(sub, sizeof(sub), "%s.left.kinds", path);
            if ((rc = obligation_kinds(L, json_object_get(left, "kinds"), sub, &kinds)))
                return rc;
            L->r->pays |= kinds ? kinds : ~0u;
        } else if (json_object_get(left, "kinds")) {
            return bad(L, sub, "only a 'pay' item names obligation kinds");
        }
    }
    if ((rc = make_vars(L, paths, npaths, &c->vars, &c->nvars)))
        return rc;

    /* Conditions and waiting periods cannot be decided without what they read. */
    needs = json_object_get(j, "needs");
    if (needs) {
        size_t i;
        const json_t *x;

        npaths = 0;
        if (!json_is_array(needs) || json_array_size(needs) > MAX_VARS)
            return bad(L, path, "'needs' must be an array of at most %d var paths", MAX_VARS);
        json_array_foreach(needs, i, x)
        {
            if (!json_is_string(x) || !json_string_length(x))
                return bad(L, path, "'needs'[%zu] must be a var path", i);
            paths[npaths++] = json_string_value(x);
        }
    } else if (role != CL_CONDITION) {
        /*
         * Only a condition needs, by default, everything it reads.  An exclusion
         * or a waiting period often reads a field whose absence is an answer
         * (no violation on record), so it names what it needs.
         */
        npaths = 0;
    }
    return make_vars(L, paths, npaths, &c->needs, &c->nneeds);
}

static hw_code load_clauses(loader *L, const json_t *root, clause_role role, size_t *at)
{
    const json_t *arr = json_object_get(root, role_names[role]);
    const json_t *x;
    size_t i;
    char path[200];
    hw_code rc;

    if (!arr)
        return HW_OK;
    snprintf(path, sizeof(path), "$.%s", role_names[role]);
    if (!json_is_array(arr))
        return bad(L, path, "must be an array of clauses");
    json_array_foreach(arr, i, x)
    {
        snprintf(path, sizeof(path), "$.%s[%zu]", role_names[role], i);
        if ((rc = load_clause(L, x, role, path, &L->r->clauses[(*at)++])))
            return rc;
        for (size_t k = 0; k + 1 < *at; k++)
            if (strcmp(L->r->clauses[k].id, L->r->clauses[*at - 1].id) == 0)
                return bad(L, path, "clause id '%.60s' is used twice", L->r->clauses[k].id);
    }
    return HW_OK;
}

static hw_code load_params(loader *L, const json_t *root)
{
    const json_t *obj = json_object_get(root, "parameters");
    const char *name;
    const json_t *p;
    size_t i = 0;
    char path[200];
    hw_code rc;

    if (!obj)
        return HW_OK;
    if (!json_is_object(obj))
        return bad(L, "$.parameters", "must be an object of named parameters");
    L->r->params = alloc0(L, json_object_size(obj) * sizeof(param));
    if (!L->r->params)
        return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
    json_object_foreach((json_t *)obj, name, p)
    {
        static const char *const keys[] = {"source", "values", NULL};
        static const char *const vkeys[] = {"from", "to", "value", NULL};
        param *pm = &L->r->params[i++];
        const json_t *vals = json_object_get(p, "values"), *v;
        size_t k;

        snprintf(path, sizeof(path), "$.parameters.%.60s", name);
        if (!json_is_object(p))
            return bad(L, path, "must be an object with 'source' and 'values'");
        if ((rc = only_keys(L, p, path, keys)) ||
            (rc = get_str(L, p, path, "source", true, &pm->source)))
            return rc;
        pm->name = dup(L, name);
        if (!json_is_array(vals) || json_array_size(vals) == 0)
            return bad(L, path, "'values' must be a non-empty array of dated values");
        pm->values = alloc0(L, json_array_size(vals) * sizeof(param_value));
        if (!pm->values || !pm->name)
            return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
        json_array_foreach(vals, k, v)
        {
            param_value *pv = &pm->values[k];

            snprintf(path, sizeof(path), "$.parameters.%.60s.values[%zu]", name, k);
            if (!json_is_object(v))
                return bad(L, path, "must be an object with 'from' and 'value'");
            if ((rc = only_keys(L, v, path, vkeys)) ||
                (rc = get_date(L, v, path, "from", pv->from)) ||
                (rc = get_date(L, v, path, "to", pv->to)))
                return rc;
            if (!pv->from[0])
                return bad(L, path, "'from' is missing: a parameter's value has a date");
            if (pv->to[0] && strcmp(pv->to, pv->from) < 0)
                return bad(L, path, "'to' %s is before 'from' %s", pv->to, pv->from);
            if (!json_object_get(v, "value"))
                return bad(L, path, "'value' is missing");
            if (!hw__lv_from_json(json_object_get(v, "value"), &L->r->mem, &pv->value))
                return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
            if (k > 0 && strcmp(pv->from, pm->values[k - 1].from) <= 0)
                return bad(L, path, "values must be in order of 'from', each later than the last");
            pm->nvalues++;
        }
        L->r->nparams++;
    }
    return HW_OK;
}

static bool parse_status(const char *s, hw_status *out)
{
    for (int i = HW_ELIGIBLE; i <= HW_NEEDS_REVIEW; i++)
        if (strcmp(s, hw_status_name((hw_status)i)) == 0) {
            *out = (hw_status)i;
            return true;
        }
    return false;
}

static hw_code load_tests(loader *L, const json_t *root)
{
    static const char *const keys[] = {"name", "as_of", "facts", "expect", NULL};
    static const char *const ekeys[] = {"status", "date", "left", NULL};
    const json_t *arr = json_object_get(root, "tests"), *t;
    size_t i;
    char path[200];
    hw_code rc;

    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return bad(L, "$.tests", "a rule needs test cases: a non-empty array");
    L->r->tests = alloc0(L, json_array_size(arr) * sizeof(rule_test));
    if (!L->r->tests)
        return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
    json_array_foreach(arr, i, t)
    {
        rule_test *rt = &L->r->tests[i];
        const json_t *facts = json_object_get(t, "facts"), *ex = json_object_get(t, "expect");
        const char *status = NULL;
        char date[11];
        int32_t day;
        hw_err ignore;

        snprintf(path, sizeof(path), "$.tests[%zu]", i);
        if (!json_is_object(t))
            return bad(L, path, "must be an object with 'name', 'as_of', 'facts' and 'expect'");
        if ((rc = only_keys(L, t, path, keys)) ||
            (rc = get_str(L, t, path, "name", true, &rt->name)) ||
            (rc = get_str(L, t, path, "as_of", true, &rt->as_of)))
            return rc;
        if (hw_date_parse(rt->as_of, strlen(rt->as_of), &day, &ignore) != HW_OK)
            return bad(L, path, "'as_of' must be a date YYYY-MM-DD");
        if (!json_is_object(facts))
            return bad(L, path, "'facts' must be an object (person, %s, ...)", L->r->singular);
        if (json_is_string(ex)) {
            status = json_string_value(ex);
        } else if (json_is_object(ex)) {
            snprintf(path, sizeof(path), "$.tests[%zu].expect", i);
            if ((rc = only_keys(L, ex, path, ekeys)) ||
                (rc = get_str(L, ex, path, "status", true, &status)) ||
                (rc = get_date(L, ex, path, "date", date)) ||
                (rc = get_str(L, ex, path, "left", false, &rt->expect_left)))
                return rc;
            if (date[0])
                rt->expect_date = dup(L, date);
        } else {
            return bad(L, path, "'expect' must be a status or {\"status\", \"date\", \"left\"}");
        }
        if (!parse_status(status, &rt->expect))
            return bad(L, path,
                       "expected status must be eligible, ineligible, eligible_on or needs_review, "
                       "not '%.40s'",
                       status);
        if (rt->expect == HW_ELIGIBLE_ON && !rt->expect_date)
            return bad(L, path, "an eligible_on expectation needs its 'date'");
        rt->facts = json_incref((json_t *)facts);
        L->r->ntests++;
    }
    return HW_OK;
}

/* The rule's distinct reported paths, so a stored determination holds each value once. */
static hw_code index_paths(loader *L)
{
    hw_rule *r = L->r;
    size_t total = 0;

    for (size_t i = 0; i < r->nclauses; i++)
        total += r->clauses[i].nvars;
    r->paths = alloc0(L, (total + 1) * sizeof(*r->paths));
    if (!r->paths)
        return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < r->nclauses; i++)
        for (size_t k = 0; k < r->clauses[i].nvars; k++) {
            clause_var *v = &r->clauses[i].vars[k];
            size_t at;

            for (at = 0; at < r->npaths; at++)
                if (strcmp(r->paths[at]->path, v->path) == 0)
                    break;
            if (at == r->npaths)
                r->paths[r->npaths++] = v;
            v->at = (uint32_t)at;
        }
    return HW_OK;
}

static bool id_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
              *s == '.'))
            return false;
    return true;
}

bool hw__rule_kind(const char *singular, hw_kind *out)
{
    static const hw_kind judged[] = {HW_K_PEOPLE, HW_K_CONVICTIONS, HW_K_SENTENCES,
                                     HW_K_SUPERVISION, HW_K_OBLIGATIONS};

    for (size_t i = 0; i < sizeof(judged) / sizeof(judged[0]); i++)
        if (strcmp(singular, hw_vocab_kind(judged[i])->singular) == 0) {
            *out = judged[i];
            return true;
        }
    return false;
}

/* An optional array of obligation kinds ("fine", ...) as bits by their place in the vocabulary. */
static hw_code obligation_kinds(loader *L, const json_t *j, const char *path, unsigned *out)
{
    const hw_field *f =
        &hw_vocab_kind(HW_K_OBLIGATIONS)->fields[hw_vocab_field_index(HW_K_OBLIGATIONS, "kind", 4)];
    size_t i;
    const json_t *x;

    *out = 0;
    if (!j)
        return HW_OK;
    if (!json_is_array(j) || !json_array_size(j))
        return bad(L, path, "must be a non-empty array of obligation kinds");
    json_array_foreach(j, i, x)
    {
        unsigned k = 0;

        while (f->values[k] && (!json_is_string(x) || strcmp(f->values[k], json_string_value(x))))
            k++;
        if (!f->values[k])
            return bad(L, path, "[%zu] is not an obligation kind (fine, fee, cost or restitution)",
                       i);
        *out |= 1u << k;
    }
    return HW_OK;
}

static hw_code load_rule(loader *L, const json_t *root)
{
    static const char *const keys[] = {
        "id",        "title",  "jurisdiction", "applies_to", "relief",     "citations",
        "effective", "notes",  "parameters",   "scope",      "exclusions", "conditions",
        "waiting",   "review", "tests",        "waives",     NULL};
    hw_rule *r = L->r;
    const char *applies;
    const json_t *cites, *eff, *x;
    size_t i, n = 0;
    hw_code rc;

    if (!json_is_object(root))
        return bad(L, "$", "a rule file holds one JSON object");
    if ((rc = only_keys(L, root, "$", keys)) || (rc = get_str(L, root, "$", "id", true, &r->id)) ||
        (rc = get_str(L, root, "$", "title", true, &r->title)) ||
        (rc = get_str(L, root, "$", "jurisdiction", true, &r->jurisdiction)) ||
        (rc = get_str(L, root, "$", "applies_to", true, &applies)) ||
        (rc = get_str(L, root, "$", "relief", true, &r->relief)))
        return rc;
    if (!id_ok(r->id))
        return bad(L, "$.id", "'%.60s' is not an id: use a-z, 0-9, '-', '_' and '.'", r->id);
    if (!hw__rule_kind(applies, &r->kind))
        return bad(L, "$.applies_to",
                   "must be person, conviction, sentence, supervision or obligation, not '%.40s'",
                   applies);
    r->singular = hw_vocab_kind(r->kind)->singular;
    if ((rc = obligation_kinds(L, json_object_get(root, "waives"), "$.waives", &r->waives)))
        return rc;

    cites = json_object_get(root, "citations");
    if (!json_is_array(cites) || json_array_size(cites) == 0)
        return bad(L, "$.citations", "a rule needs its citations: a non-empty array");
    json_array_foreach(cites, i, x)
    {
        static const char *const ckeys[] = {"cite", "url", "note", NULL};
        char path[64];
        const char *s;

        snprintf(path, sizeof(path), "$.citations[%zu]", i);
        if (!json_is_object(x))
            return bad(L, path, "must be an object with 'cite' and optional 'url'");
        if ((rc = only_keys(L, x, path, ckeys)) || (rc = get_str(L, x, path, "cite", true, &s)) ||
            (rc = get_str(L, x, path, "url", false, &s)))
            return rc;
    }
    r->citations = json_incref((json_t *)cites);
    if (!(r->citations_text = json_dumps(cites, JSON_COMPACT)))
        return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");

    eff = json_object_get(root, "effective");
    if (eff) {
        static const char *const ekeys[] = {"from", "to", NULL};

        if (!json_is_object(eff))
            return bad(L, "$.effective", "must be an object with 'from' and optional 'to'");
        if ((rc = only_keys(L, eff, "$.effective", ekeys)) ||
            (rc = get_date(L, eff, "$.effective", "from", r->from)) ||
            (rc = get_date(L, eff, "$.effective", "to", r->to)))
            return rc;
        if (r->from[0] && r->to[0] && strcmp(r->to, r->from) < 0)
            return bad(L, "$.effective", "'to' %s is before 'from' %s", r->to, r->from);
    }

    for (int role = CL_SCOPE; role <= CL_REVIEW; role++)
        n += json_array_size(json_object_get(root, role_names[role]));
    if (!json_object_get(root, "conditions"))
        return bad(L, "$", "'conditions' is missing");
    r->clauses = alloc0(L, n * sizeof(clause));
    if (!r->clauses)
        return hw_fail(L->e, HW_ENOMEM, NULL, "out of memory");
    for (int role = CL_SCOPE; role <= CL_REVIEW; role++)
        if ((rc = load_clauses(L, root, (clause_role)role, &r->nclauses)))
            return rc;
    if ((rc = load_params(L, root)))
        return rc;
    if ((rc = index_paths(L)))
        return rc;
    return load_tests(L, root);
}

#define MAX_RULE_FILE (4 << 20)

/* Load one rule from `text` (n bytes), named `file` in messages, into rs. */
static hw_code load_text(hw_ruleset *rs, const char *file, const char *text, size_t n, hw_err *e)
{
    loader L = {.file = file, .e = e};
    json_error_t je;
    json_t *root;
    hw_code rc;
    uint64_t version = 1469598103934665603ull; /* FNV-1a of the file's bytes */

    for (size_t i = 0; i < n; i++)
        version = (version ^ (unsigned char)text[i]) * 1099511628211ull;
    root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return hw_fail(e, HW_EINVAL, NULL, "%s: line %d, column %d: %s", file, je.line, je.column,
                       je.text);
    L.r = calloc(1, sizeof(*L.r));
    if (!L.r) {
        json_decref(root);
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    snprintf(L.r->version, sizeof(L.r->version), "%016llx", (unsigned long long)version);
    hw_arena_init(&L.r->mem, 16384, 0);
    L.r->file = dup(&L, file);
    rc = load_rule(&L, root);
    json_decref(root);
    if (rc == HW_OK && hw_ruleset_find(rs, L.r->id))
        rc = bad(&L, "$.id", "rule id '%s' is already used by %s", L.r->id,
                 hw_rule_file(hw_ruleset_find(rs, L.r->id)));
    if (rc == HW_OK && rs->n == rs->cap) {
        size_t more = rs->cap ? rs->cap * 2 : 16;
        hw_rule **p = realloc(rs->rules, more * sizeof(*p));

        if (!p)
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        else {
            rs->rules = p;
            rs->cap = more;
        }
    }
    if (rc) {
        free_rule(L.r);
        return rc;
    }
    rs->rules[rs->n++] = L.r;
    return HW_OK;
}

static hw_code load_file(hw_ruleset *rs, const char *file, hw_err *e)
{
    FILE *f = fopen(file, "rb");
    char *text = NULL;
    size_t n = 0, cap = 0;
    hw_code rc;

    if (!f)
        return hw_fail_errno(e, HW_EIO, "%s", file);
    for (;;) {
        size_t got;

        if (n == cap) {
            char *p = cap < MAX_RULE_FILE ? realloc(text, cap = cap ? cap * 2 : 65536) : NULL;

            if (!p) {
                free(text);
                fclose(f);
                return hw_fail(e, HW_ELIMIT, NULL, "%s: larger than %d MiB", file,
                               MAX_RULE_FILE >> 20);
            }
            text = p;
        }
        got = fread(text + n, 1, cap - n, f);
        if (got == 0)
            break;
        n += got;
    }
    fclose(f);
    rc = load_text(rs, file, text ? text : "", n, e);
    free(text);
    return rc;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load a directory's rule files and subdirectories, in name order. */
static hw_code load_dir(hw_ruleset *rs, const char *dir, int depth, hw_err *e)
{
    DIR *d;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    hw_code rc = HW_OK;

    if (depth > 8)
        return hw_fail(e, HW_EINVAL, NULL, "%s: rule folders nest too deep", dir);
    d = opendir(dir);
    if (!d)
        return hw_fail_errno(e, HW_EIO, "cannot read rules folder '%s'", dir);
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **p = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*p));

            if (!p) {
                rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
                break;
            }
            names = p;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;

        if (!(names[n] = malloc(len))) {
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            break;
        }
        snprintf(names[n++], len, "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (rc == HW_OK && n > 1)
        qsort(names, n, sizeof(*names), name_cmp);
    for (size_t i = 0; i < n && rc == HW_OK; i++) {
        struct stat st;
        size_t len = strlen(names[i]);

        if (stat(names[i], &st) != 0)
            rc = hw_fail_errno(e, HW_EIO, "cannot read '%s'", names[i]);
        else if (S_ISDIR(st.st_mode))
            rc = load_dir(rs, names[i], depth + 1, e);
        else if (len > 5 && strcmp(names[i] + len - 5, ".json") == 0)
            rc = load_file(rs, names[i], e);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

hw_code hw_rules_load(const char *path, hw_ruleset **out, hw_err *e)
{
    hw_ruleset *rs = calloc(1, sizeof(*rs));
    struct stat st;
    hw_code rc;

    *out = NULL;
    if (!rs)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if (stat(path, &st) != 0)
        rc = hw_fail_errno(e, HW_ENOTFOUND, "no rules at '%s'", path);
    else if (S_ISDIR(st.st_mode))
        rc = load_dir(rs, path, 0, e);
    else
        rc = load_file(rs, path, e);
    if (rc == HW_OK && rs->n == 0)
        rc = hw_fail(e, HW_ENOTFOUND, NULL, "no rule files (*.json) under '%s'", path);
    if (rc) {
        hw_ruleset_free(rs);
        return rc;
    }
    *out = rs;
    return HW_OK;
}

hw_code hw_rules_load_text(const char *name, const char *text, size_t n, hw_ruleset **out,
                           hw_err *e)
{
    hw_ruleset *rs = calloc(1, sizeof(*rs));
    hw_code rc;

    *out = NULL;
    if (!rs)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = load_text(rs, name, text, n, e))) {
        hw_ruleset_free(rs);
        return rc;
    }
    *out = rs;
    return HW_OK;
}

void hw_ruleset_free(hw_ruleset *rs)
{
    if (!rs)
        return;
    for (size_t i = 0; i < rs->n; i++)
        free_rule(rs->rules[i]);
    free(rs->rules);
    free(rs);
}

size_t hw_ruleset_count(const hw_ruleset *rs)
{
    return rs->n;
}

const hw_rule *hw_ruleset_at(const hw_ruleset *rs, size_t i)
{
    return i < rs->n ? rs->rules[i] : NULL;
}

const hw_rule *hw_ruleset_find(const hw_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->n; i++)
        if (strcmp(rs->rules[i]->id, id) == 0)
            return rs->rules[i];
    return NULL;
}

const char *hw_rule_id(const hw_rule *r)
{
    return r->id;
}

const char *hw_rule_relief(const hw_rule *r)
{
    return r->relief;
}

const char *hw_rule_jurisdiction(const hw_rule *r)
{
    return r->jurisdiction;
}

const json_t *hw_rule_citations(const hw_rule *r)
{
    return r->citations;
}

const char *hw_rule_citations_text(const hw_rule *r)
{
    return r->citations_text;
}

const char *hw_rule_title(const hw_rule *r)
{
    return r->title;
}

const char *hw_rule_file(const hw_rule *r)
{
    return r->file;
}

const char *hw_rule_version(const hw_rule *r)
{
    return r->version;
}

hw_kind hw_rule_applies_to(const hw_rule *r)
{
    return r->kind;
}

unsigned hw_rule_waives(const hw_rule *r)
{
    return r->waives;
}

unsigned hw_rule_pays(const hw_rule *r)
{
    return r->pays & 0xfu;
}

/* Markdown for people: what the rule says, in its own words, with its sources. */
void hw_rule_describe(const hw_rule *r, FILE *out)
{
    static const char *const heads[] = {"Applies to", "Excluded when", "Conditions",
                                        "Waiting periods", "Questions for review"};
    size_t i;
    json_t *c;

    fprintf(out, "# %s\n\n`%s` (%s), judges each %s. File: `%s`, version %s.\n\n", r->title, r->id,
            r->jurisdiction, r->singular, r->file, r->version);
    if (r->from[0] || r->to[0])
        fprintf(out, "In force%s%s%s%s.\n\n", r->from[0] ? " from " : "", r->from,
                r->to[0] ? " until " : "", r->to);
    fprintf(out, "**Relief:** %s\n\n## Sources\n\n", r->relief);
    json_array_foreach(r->citations, i, c)
    {
        const char *url = json_string_value(json_object_get(c, "url"));

        fprintf(out, "- %s%s%s%s\n", json_string_value(json_object_get(c, "cite")), url ? " <" : "",
                url ? url : "", url ? ">" : "");
    }
    for (int role = CL_SCOPE; role <= CL_REVIEW; role++) {
        bool any = false;

        for (size_t k = 0; k < r->nclauses; k++) {
            const clause *cl = &r->clauses[k];

            if ((int)cl->role != role)
                continue;
            if (!any)
                fprintf(out, "\n## %s\n\n", heads[role]);
            any = true;
            fprintf(out, "- %s (`%s`)", cl->text, cl->id);
            if (cl->left_kind) {
                const char *at = strstr(cl->left_text, "{amount}");

                if (at)
                    fprintf(out, "; if not: %.*sthe amount%s", (int)(at - cl->left_text),
                            cl->left_text, at + 8);
                else
                    fprintf(out, "; if not: %s", cl->left_text);
            }
            fputc('\n', out);
        }
    }
    if (r->nparams)
        fprintf(out, "\n## Dated parameters\n\n");
    for (size_t k = 0; k < r->nparams; k++) {
        const param *p = &r->params[k];

        fprintf(out, "- `%s` (%s):", p->name, p->source);
        for (size_t v = 0; v < p->nvalues; v++)
            fprintf(out, "%s from %s%s%s", v ? ";" : "", p->values[v].from,
                    p->values[v].to[0] ? " to " : "", p->values[v].to);
        fputc('\n', out);
    }
    fprintf(out, "\n%zu test cases: `homeward rules test`.\n", r->ntests);
}
