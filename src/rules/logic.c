/* SPDX-License-Identifier: MIT */
/*
 * JSON Logic: compile a rule into a tree of nodes once, then evaluate the
 * tree against many records.  Operators are one table; their semantics are
 * json-logic-js's (see logic.h).
 */
#include "core/common.h"

#include <math.h>

#include "homeward/date.h"
#include "rules/logic_int.h"

enum op {
    OP_CONST, /* a literal: not an operation */
    OP_ARRAY, /* an array whose items are evaluated */
    OP_VAR,
    OP_MISSING,
    OP_MISSING_SOME,
    OP_IF,
    OP_AND,
    OP_OR,
    OP_EQ,
    OP_SEQ,
    OP_NE,
    OP_SNE,
    OP_GT,
    OP_GE,
    OP_LT,
    OP_LE,
    OP_NOT,
    OP_TRUTHY,
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_MOD,
    OP_MIN,
    OP_MAX,
    OP_CAT,
    OP_SUBSTR,
    OP_IN,
    OP_MERGE,
    OP_MAP,
    OP_FILTER,
    OP_REDUCE,
    OP_ALL,
    OP_NONE,
    OP_SOME,
    OP_LOG,
    OP_DATE,
    OP_DATE_ADD,
    OP_DAYS_BETWEEN,
    OP_MONTHS_BETWEEN,
    OP_YEARS_BETWEEN,
};

static const struct {
    const char *name;
    enum op op;
} ops[] = {
    {"var", OP_VAR},
    {"missing", OP_MISSING},
    {"missing_some", OP_MISSING_SOME},
    {"if", OP_IF},
    {"?:", OP_IF},
    {"and", OP_AND},
    {"or", OP_OR},
    {"==", OP_EQ},
    {"===", OP_SEQ},
    {"!=", OP_NE},
    {"!==", OP_SNE},
    {">", OP_GT},
    {">=", OP_GE},
    {"<", OP_LT},
    {"<=", OP_LE},
    {"!", OP_NOT},
    {"!!", OP_TRUTHY},
    {"+", OP_ADD},
    {"-", OP_SUB},
    {"*", OP_MUL},
    {"/", OP_DIV},
    {"%", OP_MOD},
    {"min", OP_MIN},
    {"max", OP_MAX},
    {"cat", OP_CAT},
    {"substr", OP_SUBSTR},
    {"in", OP_IN},
    {"merge", OP_MERGE},
    {"map", OP_MAP},
    {"filter", OP_FILTER},
    {"reduce", OP_REDUCE},
    {"all", OP_ALL},
    {"none", OP_NONE},
    {"some", OP_SOME},
    {"log", OP_LOG},
    /* Civil dates (Homeward's own; docs/rules-engine.md): ISO text in, ISO text or numbers out. */
    {"date", OP_DATE},
    {"date_add", OP_DATE_ADD},
    {"days_between", OP_DAYS_BETWEEN},
    {"months_between", OP_MONTHS_BETWEEN},
    {"years_between", OP_YEARS_BETWEEN},
};

typedef struct lnode lnode;
typedef struct seg {
    const char *p;
    uint32_t n;
} seg;

struct lnode {
    uint8_t op;      /* enum op */
    bool const_path; /* OP_VAR with a literal path, split at compile time into segs */
    uint32_t nargs;
    uint32_t nsegs; /* const_path: 0 means the whole datum */
    lnode *args;    /* nargs nodes */
    const seg *segs;
    lval k; /* OP_CONST: the value */
};

struct hw_logic {
    hw_arena a; /* nodes and constants */
    lnode root;
};

#define MAX_DEPTH 256 /* rules nest no deeper: a hostile rule cannot exhaust the stack */

/* A var whose path is a literal: split it once, here, rather than per record. */
static hw_code split_path(hw_logic *l, lnode *n, hw_err *e)
{
    lval p = n->args[0].k;
    bool ok = true;
    seg *segs;
    uint32_t count = 1, k = 0;
    size_t i = 0;

    n->const_path = true;
    if (p.t == LV_NULL || (p.t == LV_STR && p.n == 0)) {
        n->nsegs = 0;
        return HW_OK;
    }
    p = hw__lv_to_string(p, &l->a, &ok);
    for (size_t x = 0; ok && x < p.n; x++)
        count += p.u.s[x] == '.';
    segs = ok ? hw_arena_alloc(&l->a, count * sizeof(*segs)) : NULL;
    if (!segs)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    while (i <= p.n) {
        size_t j = i;

        while (j < p.n && p.u.s[j] != '.')
            j++;
        segs[k].p = p.u.s + i;
        segs[k++].n = (uint32_t)(j - i);
        i = j + 1;
    }
    n->segs = segs;
    n->nsegs = count;
    return HW_OK;
}

static hw_code compile(hw_logic *l, const json_t *j, lnode *out, char *path, size_t plen, int depth,
                       hw_err *e);

/*
 * The arguments of an operation (or the items of a literal array) into
 * out->args.  A single argument that is not an array is a list of one, as
 * the reference reads it.  `path` ends at this node, for error messages.
 */
static hw_code compile_args(hw_logic *l, const json_t *j, lnode *out, char *path, size_t plen,
                            int depth, hw_err *e)
{
    size_t n = json_is_array(j) ? json_array_size(j) : 1;
    hw_code rc = HW_OK;

    out->nargs = (uint32_t)n;
    out->args = hw_arena_alloc(&l->a, (n ? n : 1) * sizeof(*out->args));
    if (!out->args)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if (!json_is_array(j)) {
        rc = compile(l, j, &out->args[0], path, plen, depth + 1, e);
    } else {
        json_t *x;
        size_t i;

        json_array_foreach(j, i, x)
        {
            size_t m = plen + (size_t)snprintf(path + plen, 512 - plen, "[%zu]", i);

            rc = compile(l, x, &out->args[i], path, m < 512 ? m : 511, depth + 1, e);
            path[plen] = '\0';
            if (rc)
                return rc;
        }
    }
    if (!rc && out->op == OP_VAR && n && out->args[0].op == OP_CONST)
        rc = split_path(l, out, e);
    return rc;
}

static hw_code compile(hw_logic *l, const json_t *j, lnode *out, char *path, size_t plen, int depth,
                       hw_err *e)
{
    if (depth > MAX_DEPTH)
        return hw_fail(e, HW_EINVAL, NULL, "rule nested deeper than %d levels", MAX_DEPTH);
    memset(out, 0, sizeof(*out));
    if (json_is_array(j)) {
        out->op = OP_ARRAY;
        return compile_args(l, j, out, path, plen, depth, e);
    }
    if (json_is_object(j) && json_object_size(j) == 1) {
        const char *name = json_object_iter_key(json_object_iter((json_t *)j));
        json_t *args = json_object_iter_value(json_object_iter((json_t *)j));

        for (size_t i = 0; i < HW_ARRAY_LEN(ops); i++) {
            if (!strcmp(ops[i].name, name)) {
                size_t m = plen + (size_t)snprintf(path + plen, 512 - plen, ".%s", name);

                out->op = (uint8_t)ops[i].op;
                return compile_args(l, args, out, path, m < 512 ? m : 511, depth, e);
            }
        }
        return hw_fail(e, HW_EINVAL, NULL, "%s: unknown operator '%.60s'", path, name);
    }
    /* Anything else is data: a value, or an object that is not one operation. */
    out->op = OP_CONST;
    if (!hw__lv_from_json(j, &l->a, &out->k))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    return HW_OK;
}

hw_code hw_logic_compile(const json_t *rule, hw_logic **out, hw_err *e)
{
    hw_logic *l = calloc(1, sizeof(*l));
    char path[512] = "$";
    hw_code rc;

    *out = NULL;
    if (!l)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    hw_arena_init(&l->a, 4096, 0);
    rc = compile(l, rule, &l->root, path, 1, 0, e);
    if (rc) {
        hw_logic_free(l);
        return rc;
    }
    *out = l;
    return HW_OK;
}

void hw_logic_free(hw_logic *l)
{
    if (!l)
        return;
    hw_arena_release(&l->a);
    free(l);
}

/* The state of one evaluation. */
typedef struct ctx {
    hw_arena *a;
    hw_err *e;
    bool failed;
    int depth;
} ctx;

static lval fail_oom(ctx *c)
{
    if (!c->failed)
        hw_fail(c->e, HW_ENOMEM, NULL, "out of memory");
    c->failed = true;
    return LV_MAKE_NULL;
}

static lval eval(ctx *c, const lnode *n, lval data);

/* A new array of `count` items in the arena. */
static lval new_array(ctx *c, uint32_t count, lval **items)
{
    lval v = {.t = LV_ARR, .n = count};

    *items = hw_arena_alloc(c->a, (count ? count : 1) * sizeof(lval));
    if (!*items)
        return fail_oom(c);
    v.u.items = *items;
    return v;
}

static size_t cp_len(const char *s, size_t n);
static size_t cp_offset(const char *s, size_t n, size_t cp);

/* Look up one step of a path: an object's key, an array's index, a string's character. */
static bool step(lval in, const char *key, size_t klen, lval *out)
{
    if ((in.t == LV_ARR || in.t == LV_STR) && klen == 6 && !memcmp(key, "length", 6)) {
        *out = hw__lv_num(in.t == LV_ARR ? in.n : (double)cp_len(in.u.s, in.n));
        return true;
    }
    if (in.t == LV_STR && klen > 0 && klen < 10) {
        size_t idx = 0, a, b;

        for (size_t i = 0; i < klen; i++) {
            if (key[i] < '0' || key[i] > '9')
                return false;
            idx = idx * 10 + (size_t)(key[i] - '0');
        }
        if (idx >= cp_len(in.u.s, in.n))
            return false;
        a = cp_offset(in.u.s, in.n, idx);
        b = cp_offset(in.u.s, in.n, idx + 1);
        *out = hw__lv_str(in.u.s + a, b - a);
        return true;
    }
    if (in.t == LV_OBJ) {
        for (uint32_t i = 0; i < in.u.obj->n; i++)
            if (in.u.obj->klens[i] == klen && !memcmp(in.u.obj->keys[i], key, klen)) {
                *out = in.u.obj->vals[i];
                return true;
            }
        return false;
    }
    if (in.t == LV_ARR && klen > 0 && klen < 10) {
        uint32_t idx = 0;

        for (size_t i = 0; i < klen; i++) {
            if (key[i] < '0' || key[i] > '9')
                return false;
            idx = idx * 10 + (uint32_t)(key[i] - '0');
        }
        if (idx < in.n) {
            *out = in.u.items[idx];
            return true;
        }
    }
    return false;
}

/* var: the value at a dotted path of data, or `fallback` when there is none. */
static lval var(ctx *c, lval data, lval path, lval fallback)
{
    bool ok = true;
    size_t i = 0;

    if (path.t == LV_NULL || path.t == LV_UNDEF || (path.t == LV_STR && path.n == 0))
        return data;
    path = hw__lv_to_string(path, c->a, &ok);
    if (!ok)
        return fail_oom(c);
    while (i <= path.n) {
        size_t j = i;

        while (j < path.n && path.u.s[j] != '.')
            j++;
        if (data.t == LV_NULL || !step(data, path.u.s + i, j - i, &data))
            return fallback;
        i = j + 1;
    }
    return data;
}

static lval missing(ctx *c, lval data, const lval *keys, uint32_t nkeys)
{
    lval *items, out;
    uint32_t n = 0;

    out = new_array(c, nkeys, &items);
    if (c->failed)
        return out;
    for (uint32_t i = 0; i < nkeys; i++) {
        /* The reference looks a key up as {"var": key}: an array key is var's argument list. */
        lval k = keys[i], fallback = LV_MAKE_NULL, v;

        if (k.t == LV_ARR) {
            fallback = k.n > 1 ? k.u.items[1] : LV_MAKE_NULL;
            k = k.n ? k.u.items[0] : LV_MAKE_UNDEF;
        }
        v = var(c, data, k, fallback);

        if (v.t == LV_NULL || (v.t == LV_STR && v.n == 0))
            items[n++] = keys[i];
    }
    out.n = n;
    return out;
}

/* Evaluate every argument (the operators that are not special). */
/*
 * Evaluate every argument (the operators that are not special) into `stack`
 * when they fit, which the common two- and three-argument operators do.
 */
static lval *eval_args(ctx *c, const lnode *n, lval data, lval *stack, uint32_t room)
{
    lval *v = n->nargs <= room ? stack : hw_arena_alloc(c->a, n->nargs * sizeof(*v));

    if (!v) {
        fail_oom(c);
        return NULL;
    }
    for (uint32_t i = 0; i < n->nargs; i++)
        v[i] = eval(c, &n->args[i], data);
    return v;
}

/* var with a literal path: follow the segments split at compile time. */
static lval var_const(ctx *c, const lnode *n, lval data)
{
    lval at = data;

    for (uint32_t i = 0; i < n->nsegs; i++) {
        if (at.t == LV_NULL || !step(at, n->segs[i].p, n->segs[i].n, &at)) {
            /* The default is evaluated against the whole datum, as the reference does. */
            lval fallback = n->nargs > 1 ? eval(c, &n->args[1], data) : LV_MAKE_NULL;

            return fallback.t == LV_UNDEF ? LV_MAKE_NULL : fallback;
        }
    }
    return at;
}

/* A UTF-8 string's code points, so that substr counts characters, not bytes. */
static size_t cp_len(const char *s, size_t n)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)s[i] & 0xC0) != 0x80;
    return count;
}

static size_t cp_offset(const char *s, size_t n, size_t cp)
{
    size_t i = 0;

    for (; i < n && cp; cp--) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

/* JavaScript's String.prototype.substr(start, length). */
static lval substr(lval s, double start, double length, bool has_length)
{
    double len = (double)cp_len(s.u.s, s.n), from, count;
    size_t a, b;

    start = isnan(start) ? 0 : trunc(start); /* ToIntegerOrInfinity: -0.5 is 0, not negative */
    from = start < 0 ? fmax(len + start, 0) : fmin(start, len);
    count = !has_length ? len - from : isnan(length) ? 0 : fmin(fmax(trunc(length), 0), len - from);
    a = cp_offset(s.u.s, s.n, (size_t)from);
    b = cp_offset(s.u.s, s.n, (size_t)(from + count));
    return hw__lv_str(s.u.s + a, b - a);
}

static lval op_cat(ctx *c, const lval *v, uint32_t n);

static lval op_substr(ctx *c, const lval *v, uint32_t n)
{
    bool ok = true;
    lval s = hw__lv_to_string(n ? v[0] : LV_MAKE_UNDEF, c->a, &ok);
    double start = n > 1 ? hw__lv_to_number(v[1], c->a) : 0;
    double end = n > 2 ? hw__lv_to_number(v[2], c->a) : 0;

    if (!ok)
        return fail_oom(c);
    if (n > 2 && end < 0) {
        lval tail = substr(s, start, 0, false);
        double len = (double)cp_len(tail.u.s, tail.n);

        /*
         * The reference computes tail.length + end: when end is a string, or an
         * array or object (which become strings first), JavaScript joins them.
         */
        if (v[2].t == LV_STR || v[2].t == LV_ARR || v[2].t == LV_OBJ) {
            lval joined, parts[2] = {hw__lv_num(len), v[2]};

            joined = op_cat(c, parts, 2);
            return substr(tail, 0, hw__lv_to_number(joined, c->a), true);
        }
        return substr(tail, 0, len + end, true);
    }
    return substr(s, start, end, n > 2 && v[2].t != LV_UNDEF);
}

static lval op_cat(ctx *c, const lval *v, uint32_t n)
{
    size_t total = 0, off = 0;
    lval *parts = hw_arena_alloc(c->a, (n ? n : 1) * sizeof(*parts));
    bool ok = true;
    char *buf;

    if (!parts)
        return fail_oom(c);
    for (uint32_t i = 0; i < n; i++) {
        /* The reference joins its arguments: null and undefined are empty. */
        parts[i] = v[i].t == LV_NULL || v[i].t == LV_UNDEF ? hw__lv_str("", 0)
                                                           : hw__lv_to_string(v[i], c->a, &ok);
        total += parts[i].n;
    }
    if (!ok || !(buf = hw_arena_alloc(c->a, total + 1)))
        return fail_oom(c);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(buf + off, parts[i].u.s, parts[i].n);
        off += parts[i].n;
    }
    buf[off] = '\0';
    return hw__lv_str(buf, total);
}

static lval op_in(ctx *c, lval needle, lval hay)
{
    bool ok = true;

    if (hay.t == LV_STR && hay.n == 0)
        return hw__lv_bool(false); /* the reference's !b: an empty string holds nothing */
    if (hay.t == LV_STR) {
        lval s = hw__lv_to_string(needle, c->a, &ok);

        if (!ok)
            return fail_oom(c);
        if (s.n == 0)
            return hw__lv_bool(true);
        for (size_t i = 0; i + s.n <= hay.n; i++)
            if (!memcmp(hay.u.s + i, s.u.s, s.n))
                return hw__lv_bool(true);
        return hw__lv_bool(false);
    }
    if (hay.t == LV_ARR)
        for (uint32_t i = 0; i < hay.n; i++)
            if (hw__lv_strict_eq(needle, hay.u.items[i]))
                return hw__lv_bool(true);
    return hw__lv_bool(false);
}

static lval op_merge(ctx *c, const lval *v, uint32_t n)
{
    uint32_t total = 0, k = 0;
    lval *items, out;

    for (uint32_t i = 0; i < n; i++)
        total += v[i].t == LV_ARR ? v[i].n : 1;
    out = new_array(c, total, &items);
    if (c->failed)
        return out;
    for (uint32_t i = 0; i < n; i++) {
        if (v[i].t == LV_ARR)
            for (uint32_t j = 0; j < v[i].n; j++)
                items[k++] = v[i].u.items[j];
        else
            items[k++] = v[i];
    }
    return out;
}

/* The array operations: map, filter, reduce, all, none, some. */
static lval op_array(ctx *c, const lnode *n, lval data)
{
    lval list = n->nargs ? eval(c, &n->args[0], data) : LV_MAKE_NULL, *items = NULL, out;
    const lnode *f = n->nargs > 1 ? &n->args[1] : NULL;
    uint32_t count = list.t == LV_ARR ? list.n : 0, k = 0;

    if (c->failed)
        return LV_MAKE_NULL;
    if (n->op == OP_REDUCE) {
        lval acc = n->nargs > 2 ? eval(c, &n->args[2], data) : LV_MAKE_NULL;
        static const char *const keys[2] = {"current", "accumulator"};
        static const uint32_t klens[2] = {7, 11};

        /*
         * A fresh scope each step, as the reference builds one: a body that
         * returns the scope itself must not make the accumulator contain itself.
         */
        for (uint32_t i = 0; i < count && f && !c->failed; i++) {
            lobj *o = hw_arena_alloc(c->a, sizeof(*o));
            lval *vals = hw_arena_alloc(c->a, 2 * sizeof(*vals)), scope = {.t = LV_OBJ};

            if (!o || !vals)
                return fail_oom(c);
            vals[0] = list.u.items[i];
            vals[1] = acc;
            o->n = 2;
            o->shape = 0;
            o->keys = (const char **)keys;
            o->klens = klens;
            o->vals = vals;
            scope.u.obj = o;
            acc = eval(c, f, scope);
        }
        return acc;
    }
    if (n->op == OP_ALL && count == 0)
        return hw__lv_bool(false);
    if (n->op == OP_MAP || n->op == OP_FILTER) {
        out = new_array(c, count, &items);
        if (c->failed)
            return out;
    }
    for (uint32_t i = 0; i < count && !c->failed; i++) {
        lval item = list.u.items[i];
        lval r = f ? eval(c, f, item) : LV_MAKE_NULL;
        bool t = hw__lv_truthy(r);

        switch (n->op) {
        case OP_MAP:
            items[k++] = r;
            break;
        case OP_FILTER:
            if (t)
                items[k++] = item;
            break;
        case OP_ALL:
            if (!t)
                return hw__lv_bool(false);
            break;
        case OP_SOME:
            if (t)
                return hw__lv_bool(true);
            break;
        default: /* OP_NONE */
            if (t)
                return hw__lv_bool(false);
        }
    }
    if (n->op == OP_MAP || n->op == OP_FILTER) {
        out.n = k;
        return out;
    }
    return hw__lv_bool(n->op != OP_SOME);
}

/* A civil date from "YYYY-MM-DD" text; false for anything else. */
static bool as_date(lval v, int32_t *day)
{
    return v.t == LV_STR && hw_date_parse(v.u.s, v.n, day, NULL) == HW_OK;
}

static lval date_text(ctx *c, int32_t day)
{
    char *s = hw_arena_alloc(c->a, HW_DATE_LEN + 1);

    if (!s)
        return fail_oom(c);
    hw_date_format(day, s);
    return hw__lv_str(s, HW_DATE_LEN);
}

/*
 * The date operators.  A missing or malformed date gives null, so that a
 * comparison with it is false and a rule can ask for it with "missing".
 */
static lval dates(ctx *c, enum op op, const lval *v, uint32_t n)
{
    int32_t a, b;

    if (n < 1 || !as_date(v[0], &a))
        return LV_MAKE_NULL;
    if (op == OP_DATE)
        return date_text(c, a);
    if (op == OP_DATE_ADD) {
        double k = n > 1 ? hw__lv_to_number(v[1], c->a) : NAN;
        lval unit = n > 2 ? v[2] : hw__lv_str("days", 4);

        if (!isfinite(k) || k != trunc(k) || fabs(k) > 100000 || unit.t != LV_STR)
            return LV_MAKE_NULL;
        if (unit.n == 4 && !memcmp(unit.u.s, "days", 4))
            b = a + (int32_t)k;
        else if (unit.n == 6 && !memcmp(unit.u.s, "months", 6))
            b = hw_date_add_months(a, (int)k);
        else if (unit.n == 5 && !memcmp(unit.u.s, "years", 5))
            b = hw_date_add_months(a, (int)k * 12);
        else
            return LV_MAKE_NULL;
        /* Past the calendar's range the answer is not a date we can write. */
        return b < hw_date_from_ymd(HW_DATE_MIN_YEAR, 1, 1) ||
                       b > hw_date_from_ymd(HW_DATE_MAX_YEAR, 12, 31)
                   ? LV_MAKE_NULL
                   : date_text(c, b);
    }
    if (n < 2 || !as_date(v[1], &b))
        return LV_MAKE_NULL;
    if (op == OP_DAYS_BETWEEN)
        return hw__lv_num((double)b - (double)a);
    if (op == OP_MONTHS_BETWEEN)
        return hw__lv_num(hw_date_months_between(a, b));
    return hw__lv_num(hw_date_months_between(a, b) / 12); /* whole years, toward zero */
}

static lval arith(ctx *c, enum op op, const lval *v, uint32_t n)
{
    double acc;

    switch (op) {
    case OP_ADD: /* parseFloat, as the reference does */
        acc = 0;
        for (uint32_t i = 0; i < n; i++)
            acc += hw__lv_parse_float(v[i], c->a);
        return hw__lv_num(acc);
    case OP_MUL:
        if (n == 0)
            return LV_MAKE_UNDEF; /* reduce() of nothing throws in JavaScript; we say undefined */
        if (n == 1)
            return v[0]; /* reduce() with no start returns a single item as it is */
        acc = hw__lv_parse_float(v[0], c->a);
        for (uint32_t i = 1; i < n; i++)
            acc *= hw__lv_parse_float(v[i], c->a);
        return hw__lv_num(acc);
    case OP_SUB:
        if (n == 0) /* -undefined */
            return hw__lv_num(NAN);
        if (n == 1 || v[1].t == LV_UNDEF) /* the reference negates when b is undefined */
            return hw__lv_num(-hw__lv_to_number(v[0], c->a));
        return hw__lv_num(hw__lv_to_number(n ? v[0] : LV_MAKE_UNDEF, c->a) -
                          hw__lv_to_number(n > 1 ? v[1] : LV_MAKE_UNDEF, c->a));
    case OP_DIV:
        return hw__lv_num(hw__lv_to_number(n ? v[0] : LV_MAKE_UNDEF, c->a) /
                          hw__lv_to_number(n > 1 ? v[1] : LV_MAKE_UNDEF, c->a));
    case OP_MOD:
        return hw__lv_num(fmod(hw__lv_to_number(n ? v[0] : LV_MAKE_UNDEF, c->a),
                               hw__lv_to_number(n > 1 ? v[1] : LV_MAKE_UNDEF, c->a)));
    default: { /* OP_MIN, OP_MAX: Math.min() is Infinity, and NaN wins */
        acc = op == OP_MIN ? INFINITY : -INFINITY;
        for (uint32_t i = 0; i < n; i++) {
            double x = hw__lv_to_number(v[i], c->a);

            if (isnan(x))
                return hw__lv_num(NAN);
            acc = op == OP_MIN ? fmin(acc, x) : fmax(acc, x);
        }
        return hw__lv_num(acc);
    }
    }
}

/* <, <=, > and >=; < and <= also take three arguments: a < b < c. */
static lval relation(ctx *c, enum op op, const lval *v, uint32_t n)
{
    lval x = n ? v[0] : LV_MAKE_UNDEF, y = n > 1 ? v[1] : LV_MAKE_UNDEF;
    int r = hw__lv_compare(x, y, c->a);
    bool t;

    switch (op) {
    case OP_GT:
        return hw__lv_bool(r == 1);
    case OP_GE:
        return hw__lv_bool(r == 1 || r == 0);
    case OP_LT:
        t = r == -1;
        break;
    default:
        t = r == -1 || r == 0;
    }
    /* The reference takes a third argument that is undefined as no third argument. */
    if (t && n > 2 && v[2].t != LV_UNDEF) {
        r = hw__lv_compare(y, v[2], c->a);
        t = op == OP_LT ? r == -1 : (r == -1 || r == 0);
    }
    return hw__lv_bool(t);
}

static lval eval(ctx *c, const lnode *n, lval data)
{
    lval *v, out, *items, stack[8];

    if (c->failed)
        return LV_MAKE_NULL;
    if (n->op == OP_CONST)
        return n->k;
    if (n->const_path)
        return var_const(c, n, data);
    if (++c->depth > MAX_DEPTH * 4) {
        c->failed = true;
        hw_fail(c->e, HW_ELIMIT, NULL, "evaluation nested too deep");
        return LV_MAKE_NULL;
    }
    switch (n->op) {
    case OP_IF: {
        uint32_t i = 0;

        out = LV_MAKE_NULL;
        for (; i + 1 < n->nargs; i += 2) {
            if (hw__lv_truthy(eval(c, &n->args[i], data))) {
                out = eval(c, &n->args[i + 1], data);
                goto done;
            }
        }
        if (i + 1 == n->nargs)
            out = eval(c, &n->args[i], data);
        goto done;
    }
    case OP_AND:
    case OP_OR:
        out = LV_MAKE_UNDEF;
        for (uint32_t i = 0; i < n->nargs; i++) {
            out = eval(c, &n->args[i], data);
            if (hw__lv_truthy(out) == (n->op == OP_OR))
                break;
        }
        goto done;
    case OP_MAP:
    case OP_FILTER:
    case OP_REDUCE:
    case OP_ALL:
    case OP_NONE:
    case OP_SOME:
        out = op_array(c, n, data);
        goto done;
    default:
        break;
    }
    if (!(v = eval_args(c, n, data, stack, HW_ARRAY_LEN(stack)))) {
        out = LV_MAKE_NULL;
        goto done;
    }
    switch (n->op) {
    case OP_ARRAY:
        out = new_array(c, n->nargs, &items);
        if (!c->failed)
            memcpy(items, v, n->nargs * sizeof(*v));
        break;
    case OP_VAR:
        /* Not found is null unless a default is given. */
        out = var(c, data, n->nargs ? v[0] : LV_MAKE_UNDEF,
                  n->nargs > 1 && v[1].t != LV_UNDEF ? v[1] : LV_MAKE_NULL);
        break;
    case OP_MISSING:
        out = n->nargs && v[0].t == LV_ARR ? missing(c, data, v[0].u.items, v[0].n)
                                           : missing(c, data, v, n->nargs);
        break;
    case OP_MISSING_SOME: {
        double need = n->nargs ? hw__lv_to_number(v[0], c->a) : 0;
        lval keys = n->nargs > 1 ? v[1] : LV_MAKE_UNDEF;
        uint32_t nk = keys.t == LV_ARR ? keys.n : 0;

        out = missing(c, data, nk ? keys.u.items : NULL, nk);
        if (!c->failed && (double)(nk - out.n) >= need)
            out.n = 0;
        break;
    }
    case OP_EQ:
    case OP_NE:
        out = hw__lv_bool(hw__lv_loose_eq(n->nargs ? v[0] : LV_MAKE_UNDEF,
                                          n->nargs > 1 ? v[1] : LV_MAKE_UNDEF,
                                          c->a) == (n->op == OP_EQ));
        break;
    case OP_SEQ:
    case OP_SNE:
        out =
            hw__lv_bool(hw__lv_strict_eq(n->nargs ? v[0] : LV_MAKE_UNDEF,
                                         n->nargs > 1 ? v[1] : LV_MAKE_UNDEF) == (n->op == OP_SEQ));
        break;
    case OP_GT:
    case OP_GE:
    case OP_LT:
    case OP_LE:
        out = relation(c, (enum op)n->op, v, n->nargs);
        break;
    case OP_NOT:
    case OP_TRUTHY:
        out = hw__lv_bool(hw__lv_truthy(n->nargs ? v[0] : LV_MAKE_UNDEF) == (n->op == OP_TRUTHY));
        break;
    case OP_CAT:
        out = op_cat(c, v, n->nargs);
        break;
    case OP_SUBSTR:
        out = op_substr(c, v, n->nargs);
        break;
    case OP_IN:
        out = op_in(c, n->nargs ? v[0] : LV_MAKE_UNDEF, n->nargs > 1 ? v[1] : LV_MAKE_UNDEF);
        break;
    case OP_MERGE:
        out = op_merge(c, v, n->nargs);
        break;
    case OP_LOG:
        out = n->nargs ? v[0] : LV_MAKE_UNDEF;
        break;
    case OP_DATE:
    case OP_DATE_ADD:
    case OP_DAYS_BETWEEN:
    case OP_MONTHS_BETWEEN:
    case OP_YEARS_BETWEEN:
        out = dates(c, (enum op)n->op, v, n->nargs);
        break;
    default:
        out = arith(c, (enum op)n->op, v, n->nargs);
    }
done:
    c->depth--;
    return c->failed ? LV_MAKE_NULL : out;
}

hw_code hw__logic_eval(const hw_logic *l, lval data, hw_arena *a, lval *out, hw_err *e)
{
    ctx c = {a, e, false, 0};

    *out = eval(&c, &l->root, data);
    if (c.failed)
        return e ? e->code : HW_ENOMEM;
    return HW_OK;
}

hw_code hw_logic_eval_json(const hw_logic *l, const json_t *data, hw_arena *a, json_t **out,
                           hw_err *e)
{
    ctx c = {a, e, false, 0};
    lval d, r;

    *out = NULL;
    if (!hw__lv_from_json(data, a, &d))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    r = eval(&c, &l->root, d);
    if (c.failed)
        return e ? e->code : HW_ENOMEM;
    *out = hw__lv_to_json(r);
    return *out ? HW_OK : hw_fail(e, HW_ENOMEM, NULL, "out of memory");
}
