/* SPDX-License-Identifier: MIT */
/*
 * Values of the rules engine and JavaScript's coercions between them, as
 * json-logic-js (the reference) relies on: Number(), parseFloat(), String(),
 * ==, === and the relational operators.
 */
#include "core/common.h"

#include <math.h>

#include "rules/logic_int.h"

lval hw__lv_str(const char *s, size_t n)
{
    lval v = {.t = LV_STR, .n = (uint32_t)n};

    v.u.s = s;
    return v;
}

lval hw__lv_num(double d)
{
    lval v = {.t = LV_NUM};

    v.u.num = d;
    return v;
}

lval hw__lv_bool(bool b)
{
    lval v = {.t = LV_BOOL};

    v.u.b = b;
    return v;
}

bool hw__lv_from_json(const json_t *j, hw_arena *a, lval *out)
{
    size_t i = 0;

    *out = LV_MAKE_NULL;
    switch (j ? json_typeof(j) : JSON_NULL) {
    case JSON_NULL:
        return true;
    case JSON_TRUE:
    case JSON_FALSE:
        *out = hw__lv_bool(json_is_true(j));
        return true;
    case JSON_INTEGER:
        *out = hw__lv_num((double)json_integer_value(j));
        return true;
    case JSON_REAL:
        *out = hw__lv_num(json_real_value(j));
        return true;
    case JSON_STRING: {
        char *s = hw_arena_strndup(a, json_string_value(j), json_string_length(j));

        *out = hw__lv_str(s, json_string_length(j));
        return s != NULL;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j);
        lval *items = hw_arena_alloc(a, (n ? n : 1) * sizeof(*items));
        json_t *x;

        if (!items)
            return false;
        json_array_foreach(j, i, x)
        {
            if (!hw__lv_from_json(x, a, &items[i]))
                return false;
        }
        out->t = LV_ARR;
        out->n = (uint32_t)n;
        out->u.items = items;
        return true;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(j);
        lobj *o = hw_arena_alloc(a, sizeof(*o));
        const char **keys = hw_arena_alloc(a, (n ? n : 1) * sizeof(*keys));
        uint32_t *klens = hw_arena_alloc(a, (n ? n : 1) * sizeof(*klens));
        lval *vals = hw_arena_alloc(a, (n ? n : 1) * sizeof(*vals));
        const char *k;
        json_t *x;

        if (!o || !keys || !klens || !vals)
            return false;
        json_object_foreach((json_t *)j, k, x)
        {
            klens[i] = (uint32_t)strlen(k);
            keys[i] = hw_arena_strndup(a, k, klens[i]);
            if (!keys[i] || !hw__lv_from_json(x, a, &vals[i]))
                return false;
            i++;
        }
        o->n = (uint32_t)n;
        o->keys = keys;
        o->klens = klens;
        o->vals = vals;
        out->t = LV_OBJ;
        out->u.obj = o;
        return true;
    }
    }
    return false;
}

json_t *hw__lv_to_json(lval v)
{
    json_t *j, *x;

    switch (v.t) {
    case LV_BOOL:
        return json_boolean(v.u.b);
    case LV_NUM:
        if (!isfinite(v.u.num))
            return json_null(); /* as JSON.stringify writes NaN and Infinity */
        if (v.u.num == floor(v.u.num) && fabs(v.u.num) < 9007199254740992.0)
            return json_integer((json_int_t)v.u.num);
        return json_real(v.u.num);
    case LV_STR:
        return json_stringn(v.u.s, v.n);
    case LV_ARR:
        if (!(j = json_array()))
            return NULL;
        for (uint32_t i = 0; i < v.n; i++)
            if (!(x = hw__lv_to_json(v.u.items[i])) || json_array_append_new(j, x)) {
                json_decref(j);
                return NULL;
            }
        return j;
    case LV_OBJ:
        if (!(j = json_object()))
            return NULL;
        for (uint32_t i = 0; i < v.u.obj->n; i++)
            if (!(x = hw__lv_to_json(v.u.obj->vals[i])) ||
                json_object_set_new(j, v.u.obj->keys[i], x)) {
                json_decref(j);
                return NULL;
            }
        return j;
    default:
        return json_null();
    }
}

bool hw__lv_truthy(lval v)
{
    switch (v.t) {
    case LV_BOOL:
        return v.u.b;
    case LV_NUM:
        return v.u.num != 0 && !isnan(v.u.num);
    case LV_STR:
        return v.n > 0;
    case LV_ARR:
        return v.n > 0; /* JSON Logic's one change to JavaScript */
    case LV_OBJ:
        return true;
    default:
        return false;
    }
}

static bool js_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Number(string): the whole string, trimmed, must be a number; "" is 0. */
static double string_to_number(const char *s, size_t n)
{
    char buf[64], *end;
    size_t lo = 0, hi = n;
    double d;

    while (lo < hi && js_space(s[lo]))
        lo++;
    while (hi > lo && js_space(s[hi - 1]))
        hi--;
    if (lo == hi)
        return 0;
    if (hi - lo >= sizeof(buf))
        return NAN;
    memcpy(buf, s + lo, hi - lo);
    buf[hi - lo] = '\0';
    if (!strcmp(buf, "Infinity") || !strcmp(buf, "+Infinity"))
        return INFINITY;
    if (!strcmp(buf, "-Infinity"))
        return -INFINITY;
    for (size_t i = 0; buf[i]; i++) /* strtod reads "inf", "nan" and hex: JavaScript does not */
        if (!strchr("0123456789+-.eE", buf[i]))
            return NAN;
    d = strtod(buf, &end);
    return *end ? NAN : d;
}

double hw__lv_to_number(lval v, hw_arena *a)
{
    bool ok = true;
    lval s;

    switch (v.t) {
    case LV_NULL:
        return 0;
    case LV_UNDEF:
        return NAN;
    case LV_BOOL:
        return v.u.b;
    case LV_NUM:
        return v.u.num;
    case LV_STR:
        return string_to_number(v.u.s, v.n);
    case LV_ARR:
        s = hw__lv_to_string(v, a, &ok);
        return ok ? string_to_number(s.u.s, s.n) : NAN;
    default:
        return NAN;
    }
}

double hw__lv_parse_float(lval v, hw_arena *a)
{
    bool ok = true;
    lval s;
    char buf[64], *end;
    size_t i = 0, n;
    double d;

    /*
     * A number reads back as itself (String() then parseFloat() is the
     * identity, but for -0, which prints as "0"): no text round trip.
     */
    if (v.t == LV_NUM)
        return v.u.num == 0 ? 0.0 : v.u.num;
    s = hw__lv_to_string(v, a, &ok);
    if (!ok)
        return NAN;
    while (i < s.n && js_space(s.u.s[i]))
        i++;
    /* The longest prefix that reads as a decimal number. */
    n = 0;
    while (i + n < s.n && n < sizeof(buf) - 1 && strchr("0123456789+-.eE", s.u.s[i + n]))
        n++;
    if (s.n - i >= 8 && !memcmp(s.u.s + i, "Infinity", 8))
        return INFINITY;
    if (s.n - i >= 9 && (s.u.s[i] == '-' || s.u.s[i] == '+') &&
        !memcmp(s.u.s + i + 1, "Infinity", 8))
        return s.u.s[i] == '-' ? -INFINITY : INFINITY;
    memcpy(buf, s.u.s + i, n);
    buf[n] = '\0';
    d = strtod(buf, &end);
    return end == buf ? NAN : d;
}

/*
 * JavaScript's Number.prototype.toString(): the shortest digits that read
 * back as the same double, placed as ECMA-262 (Number::toString) says:
 * plain up to 21 integer digits, "0.000001" down to 1e-7, exponent beyond.
 */
static size_t format_number(double d, char *out, size_t size)
{
    char sci[40], digits[24];
    int k = 0, n, e = 0;
    size_t o = 0;

    if (isnan(d))
        return (size_t)snprintf(out, size, "NaN");
    if (isinf(d))
        return (size_t)snprintf(out, size, d < 0 ? "-Infinity" : "Infinity");
    if (d == 0)
        return (size_t)snprintf(out, size, "0");
    for (int p = 1; p <= 17; p++) {
        snprintf(sci, sizeof(sci), "%.*e", p - 1, d);
        if (strtod(sci, NULL) == d)
            break;
    }
    /* sci is "-d.ddde+XX": collect the digits and the exponent. */
    for (const char *c = sci; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            digits[k++] = *c;
    digits[k] = '\0';
    e = (int)strtol(strchr(sci, 'e') + 1, NULL, 10);
    n = e + 1; /* the decimal point sits after n digits */
    if (d < 0)
        out[o++] = '-';
#define PUT(ch)                                                                                    \
    do {                                                                                           \
        if (o + 1 < size)                                                                          \
            out[o++] = (ch);                                                                       \
    } while (0)
    if (k <= n && n <= 21) {
        for (int i = 0; i < k; i++)
            PUT(digits[i]);
        for (int i = k; i < n; i++)
            PUT('0');
    } else if (0 < n && n <= 21) {
        for (int i = 0; i < k; i++) {
            if (i == n)
                PUT('.');
            PUT(digits[i]);
        }
    } else if (-6 < n && n <= 0) {
        PUT('0');
        PUT('.');
        for (int i = 0; i < -n; i++)
            PUT('0');
        for (int i = 0; i < k; i++)
            PUT(digits[i]);
    } else {
        PUT(digits[0]);
        if (k > 1)
            PUT('.');
        for (int i = 1; i < k; i++)
            PUT(digits[i]);
        o += (size_t)snprintf(out + o, size - o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
        return o < size ? o : size - 1;
    }
#undef PUT
    out[o] = '\0';
    return o;
}

static bool append(hw_arena *a, char **buf, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n + len + 1 > *cap) {
        size_t ncap = (*cap ? *cap * 2 : 64) + len;
        char *p = hw_arena_alloc(a, ncap);

        if (!p)
            return false;
        if (*n)
            memcpy(p, *buf, *n);
        *buf = p;
        *cap = ncap;
    }
    memcpy(*buf + *n, s, len);
    *n += len;
    (*buf)[*n] = '\0';
    return true;
}

lval hw__lv_to_string(lval v, hw_arena *a, bool *ok)
{
    char num[40], *buf = NULL;
    size_t n = 0, cap = 0;

    switch (v.t) {
    case LV_NULL:
        return hw__lv_str("null", 4);
    case LV_UNDEF:
        return hw__lv_str("undefined", 9);
    case LV_BOOL:
        return v.u.b ? hw__lv_str("true", 4) : hw__lv_str("false", 5);
    case LV_STR:
        return v;
    case LV_NUM: {
        size_t len = format_number(v.u.num, num, sizeof(num));
        char *s = hw_arena_strndup(a, num, len);

        if (!s)
            *ok = false;
        return s ? hw__lv_str(s, len) : hw__lv_str("", 0);
    }
    case LV_ARR:
        /* [1,[2,null]] is "1,2,": null items are empty. */
        if (!append(a, &buf, &n, &cap, "", 0))
            goto oom;
        for (uint32_t i = 0; i < v.n; i++) {
            lval item = v.u.items[i], s;

            if (i && !append(a, &buf, &n, &cap, ",", 1))
                goto oom;
            if (item.t == LV_NULL || item.t == LV_UNDEF)
                continue;
            s = hw__lv_to_string(item, a, ok);
            if (!*ok || !append(a, &buf, &n, &cap, s.u.s, s.n))
                goto oom;
        }
        return hw__lv_str(buf, n);
    default:
        return hw__lv_str("[object Object]", 15);
    }
oom:
    *ok = false;
    return hw__lv_str("", 0);
}

bool hw__lv_strict_eq(lval x, lval y)
{
    if (x.t != y.t)
        return false;
    switch (x.t) {
    case LV_NULL:
    case LV_UNDEF:
        return true;
    case LV_BOOL:
        return x.u.b == y.u.b;
    case LV_NUM:
        return x.u.num == y.u.num;
    case LV_STR:
        return x.n == y.n && !memcmp(x.u.s, y.u.s, x.n);
    case LV_ARR:
        return x.u.items == y.u.items && x.n == y.n; /* the same array, as in JavaScript */
    default:
        return x.u.obj == y.u.obj;
    }
}

/* ToPrimitive of an array or object: its String(). */
static lval primitive(lval v, hw_arena *a)
{
    bool ok = true;

    return (v.t == LV_ARR || v.t == LV_OBJ) ? hw__lv_to_string(v, a, &ok) : v;
}

bool hw__lv_loose_eq(lval x, lval y, hw_arena *a)
{
    if (x.t == y.t)
        return hw__lv_strict_eq(x, y);
    if ((x.t == LV_NULL || x.t == LV_UNDEF) && (y.t == LV_NULL || y.t == LV_UNDEF))
        return true; /* null == undefined */
    if (x.t == LV_NULL || y.t == LV_NULL || x.t == LV_UNDEF || y.t == LV_UNDEF)
        return false;
    if (x.t == LV_BOOL)
        return hw__lv_loose_eq(hw__lv_num(x.u.b), y, a);
    if (y.t == LV_BOOL)
        return hw__lv_loose_eq(x, hw__lv_num(y.u.b), a);
    if (x.t == LV_NUM && y.t == LV_STR)
        return x.u.num == hw__lv_to_number(y, a);
    if (x.t == LV_STR && y.t == LV_NUM)
        return hw__lv_to_number(x, a) == y.u.num;
    if (x.t == LV_ARR || x.t == LV_OBJ) {
        if (y.t == LV_ARR || y.t == LV_OBJ)
            return false;
        return hw__lv_loose_eq(primitive(x, a), y, a);
    }
    if (y.t == LV_ARR || y.t == LV_OBJ)
        return hw__lv_loose_eq(x, primitive(y, a), a);
    return false;
}

int hw__lv_compare(lval x, lval y, hw_arena *a)
{
    double p, q;

    x = primitive(x, a);
    y = primitive(y, a);
    if (x.t == LV_STR && y.t == LV_STR) {
        size_t n = x.n < y.n ? x.n : y.n;
        int c = memcmp(x.u.s, y.u.s, n);

        if (c)
            return c < 0 ? -1 : 1;
        return x.n < y.n ? -1 : x.n > y.n;
    }
    p = hw__lv_to_number(x, a);
    q = hw__lv_to_number(y, a);
    if (isnan(p) || isnan(q))
        return 2;
    return p < q ? -1 : p > q;
}
