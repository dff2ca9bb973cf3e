/* SPDX-License-Identifier: MIT */
/*
 * Values of the rules engine and JavaScript's coercions between them, as
 * json-logic-js (the reference) relies on: Number(), parseFloat(), String(),
 * ==, === and the relational operators.
 */
#include "core/common.h"

#include <math.h>
#include <stdatomic.h>

#include "rules/logic_int.h"

/* An entry of a pool's table: hash 0 is an empty slot. */
struct hw_lv_slot {
    uint64_t hash;
    const void *p; /* texts: NUL-terminated bytes; shapes: key pointers, then their lengths */
    uint32_t n;    /* bytes hashed and compared: the text, or the key pointers */
};

/* The limits that keep a pool's memory flat whatever the records hold. */
#define POOL_TEXTS_MAX (1u << 16)
#define POOL_SHAPES_MAX (1u << 12)
#define POOL_KEY_MAX 256  /* longer keys are copied into each record */
#define POOL_VALUE_MAX 32 /* longer texts (names, notes) likewise */
#define STACK_KEYS 64     /* keys of an object collected on the stack before its shape is known */

void hw__lv_pool_init(hw_lv_pool *p, hw_arena *a)
{
    memset(p, 0, sizeof(*p));
    p->a = a;
}

void hw__lv_pool_release(hw_lv_pool *p)
{
    free(p->texts.slots);
    free(p->shapes.slots);
    hw__lv_pool_init(p, p->a);
}

/* FNV-1a, never 0 (an empty slot). */
static uint64_t hash_bytes(const void *s, size_t n)
{
    const unsigned char *b = s;
    uint64_t h = 0xcbf29ce484222325ull;

    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h ? h : 1;
}

/* The slot of `s` in t: its entry, or the empty slot where it would go.  t->cap > 0. */
static struct hw_lv_slot *slot_of(const hw_lv_table *t, uint64_t h, const void *s, uint32_t n)
{
    uint32_t mask = t->cap - 1;

    for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
        struct hw_lv_slot *x = &t->slots[i];

        if (!x->hash || (x->hash == h && x->n == n && !memcmp(x->p, s, n)))
            return x;
    }
}

/*
 * Room in t for one more entry, growing it to stay at most half full: false
 * when the table is at its limit (or out of memory), and the caller copies
 * instead of sharing.
 */
static bool table_room(hw_lv_table *t, uint32_t max)
{
    uint32_t cap = t->cap ? t->cap * 2 : 256;
    struct hw_lv_slot *old = t->slots, *slots;

    if (t->n >= max)
        return false;
    if ((t->n + 1) * 2 <= t->cap)
        return true;
    if (!(slots = calloc(cap, sizeof(*slots))))
        return false;
    t->slots = slots;
    t->cap = cap;
    for (uint32_t i = 0; i < cap / 2; i++)
        if (old && old[i].hash)
            *slot_of(t, old[i].hash, old[i].p, old[i].n) = old[i];
    free(old);
    return true;
}

/* The pool's copy of s[0..n), or NULL; `add`: made if need be and the pool can take it. */
static const char *pool_text(hw_lv_pool *p, const char *s, size_t n, bool add)
{
    uint64_t h = hash_bytes(s, n);
    struct hw_lv_slot *x = p->texts.cap ? slot_of(&p->texts, h, s, (uint32_t)n) : NULL;
    char *copy;

    if (x && x->hash)
        return x->p;
    if (!add || !table_room(&p->texts, POOL_TEXTS_MAX) || !(copy = hw_arena_strndup(p->a, s, n)))
        return NULL;
    x = slot_of(&p->texts, h, s, (uint32_t)n);
    *x = (struct hw_lv_slot){.hash = h, .p = copy, .n = (uint32_t)n};
    p->texts.n++;
    return copy;
}

/*
 * A shape: a key list that objects share, and its number (lobj.shape).
 * Numbers come from one counter for the whole process and are never given
 * twice, so a rule can remember where a key is in objects of a shape for as
 * long as it likes, whatever pools come and go.
 */
typedef struct shape {
    uint32_t id; /* 0 when the counter has run out: such objects are not told apart */
    const char **keys;
    const uint32_t *klens;
} shape;

static _Atomic uint32_t last_shape_id;

/* A new shape number, or 0 once all 4e9 are given: numbers must never repeat. */
static uint32_t new_shape_id(void)
{
    uint32_t id = atomic_load_explicit(&last_shape_id, memory_order_relaxed);

    do {
        if (id == UINT32_MAX)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(&last_shape_id, &id, id + 1,
                                                    memory_order_relaxed, memory_order_relaxed));
    return id + 1;
}

/*
 * The pool's shape for keys[0..n) (pooled texts, so compared as pointers),
 * or NULL.  `add`: made if need be and the pool can take it.
 */
static const shape *pool_shape(hw_lv_pool *p, const char **keys, const uint32_t *klens, size_t n,
                               bool add)
{
    uint32_t bytes = (uint32_t)(n * sizeof(*keys));
    uint64_t h = hash_bytes(keys, bytes);
    struct hw_lv_slot *x = p->shapes.cap ? slot_of(&p->shapes, h, keys, bytes) : NULL;
    shape *sh;

    if (x && x->hash)
        return (const shape *)x->p - 1;
    if (!add || !table_room(&p->shapes, POOL_SHAPES_MAX) ||
        !(sh = hw_arena_alloc(p->a, sizeof(*sh) + bytes + n * sizeof(*klens))))
        return NULL;
    sh->id = new_shape_id();
    sh->keys = (const char **)(sh + 1);
    sh->klens = (const uint32_t *)(sh->keys + n);
    memcpy((void *)sh->keys, keys, bytes);
    memcpy((void *)sh->klens, klens, n * sizeof(*klens));
    x = slot_of(&p->shapes, h, keys, bytes);
    *x = (struct hw_lv_slot){.hash = h, .p = sh->keys, .n = bytes};
    p->shapes.n++;
    return sh;
}

/*
 * A conversion from JSON, in two passes over it: the first measures, and
 * adds to the pool what it can take; the second fills one block of exactly
 * that size, so a record's values lie together in memory.  The second pass
 * only looks the pool up, and finds exactly what the first added.
 */
typedef struct conv {
    hw_lv_pool *p;  /* or NULL */
    bool fill;      /* the second pass */
    size_t objects; /* bytes of the objects' headers (lobj) */
    size_t need;    /* bytes of values, lists and key lists (8-byte aligned) */
    size_t texts;   /* bytes of texts the pool does not keep */
    lobj *obj;      /* fill: where the next object's header goes */
    char *at;       /* fill: where the next values, list or key list go */
    char *text;     /* fill: where the next text goes */
} conv;

/*
 * The block's layout: the headers of all the record's objects first, then
 * their values and the lists, then the texts.  Following a path reads
 * headers, which then share one or two cache lines.
 */
static lobj *carve_object(conv *cv)
{
    if (!cv->fill) {
        cv->objects += sizeof(lobj);
        return NULL;
    }
    return cv->obj++;
}

/* Room for `size` bytes of values, lists or key lists: counted, or taken from the block. */
static void *carve(conv *cv, size_t size)
{
    char *p = cv->at;

    size = (size + 7) & ~(size_t)7;
    if (!cv->fill) {
        cv->need += size;
        return NULL;
    }
    cv->at += size;
    return p;
}

/* A copy of text s[0..n), NUL-terminated: counted, or made in the block. */
static const char *copy_text(conv *cv, const char *s, size_t n)
{
    char *copy = cv->text;

    if (!cv->fill) {
        cv->texts += n + 1;
        return s;
    }
    memcpy(copy, s, n);
    copy[n] = '\0';
    cv->text += n + 1;
    return copy;
}

/* A text of the record (a key, or a value of at most `max` bytes): the pool's, or a copy. */
static const char *text(conv *cv, const char *s, size_t n, size_t max, bool *shared)
{
    const char *t = cv->p && n <= max ? pool_text(cv->p, s, n, !cv->fill) : NULL;

    *shared = t != NULL;
    return t ? t : copy_text(cv, s, n);
}

static void convert(conv *cv, const json_t *j, lval *out);

/* An object: its values, its keys (the pool's list when it has one for this shape). */
static void convert_object(conv *cv, const json_t *j, lval *out)
{
    size_t n = json_object_size(j), i = 0;
    lobj *o = carve_object(cv);
    lval *vals = carve(cv, n * sizeof(*vals));
    const char *stack_keys[STACK_KEYS], **keys = stack_keys;
    const shape *shared = NULL;
    uint32_t stack_klens[STACK_KEYS], *klens = stack_klens;
    bool pooled = cv->p && n <= STACK_KEYS; /* every key is the pool's */
    const char *k;
    json_t *x;

    if (n > STACK_KEYS) {
        keys = carve(cv, n * sizeof(*keys));
        klens = carve(cv, n * sizeof(*klens));
    }
    json_object_foreach((json_t *)j, k, x)
    {
        size_t len = strlen(k);
        bool shared_key;
        const char *pk = text(cv, k, len, POOL_KEY_MAX, &shared_key);

        pooled = pooled && shared_key;
        if (keys) {
            keys[i] = pk;
            klens[i] = (uint32_t)len;
        }
        convert(cv, x, vals ? &vals[i] : NULL);
        i++;
    }
    /* Records of one shape share one key list; otherwise the object keeps its own. */
    if (pooled)
        shared = pool_shape(cv->p, keys, klens, n, !cv->fill);
    if (shared) {
        keys = (const char **)shared->keys;
        klens = (uint32_t *)shared->klens;
    } else if (n <= STACK_KEYS) {
        keys = carve(cv, n * sizeof(*keys));
        klens = carve(cv, n * sizeof(*klens));
        if (cv->fill) {
            memcpy(keys, stack_keys, n * sizeof(*keys));
            memcpy(klens, stack_klens, n * sizeof(*klens));
        }
    }
    if (!cv->fill)
        return;
    *o = (lobj){.n = (uint32_t)n,
                .shape = shared ? shared->id : 0,
                .keys = keys,
                .klens = klens,
                .vals = vals};
    out->t = LV_OBJ;
    out->u.obj = o;
}

/* One JSON value: measured, or filled into *out. */
static void convert(conv *cv, const json_t *j, lval *out)
{
    lval v = LV_MAKE_NULL;

    switch (j ? json_typeof(j) : JSON_NULL) {
    case JSON_NULL:
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        v = hw__lv_bool(json_is_true(j));
        break;
    case JSON_INTEGER:
        v = hw__lv_num((double)json_integer_value(j));
        break;
    case JSON_REAL:
        v = hw__lv_num(json_real_value(j));
        break;
    case JSON_STRING: {
        bool shared;

        v = hw__lv_str(
            text(cv, json_string_value(j), json_string_length(j), POOL_VALUE_MAX, &shared),
            json_string_length(j));
        break;
    }
    case JSON_ARRAY: {
        size_t n = json_array_size(j), i;
        /* [] is not [] in JavaScript: even an empty list has an address of its own. */
        lval *items = carve(cv, (n ? n : 1) * sizeof(*items));
        json_t *x;

        json_array_foreach(j, i, x)
        {
            convert(cv, x, items ? &items[i] : NULL);
        }
        v = (lval){.t = LV_ARR, .n = (uint32_t)n};
        v.u.items = items;
        break;
    }
    case JSON_OBJECT:
        convert_object(cv, j, out);
        return;
    }
    if (cv->fill)
        *out = v;
}

static bool from_json(const json_t *j, hw_arena *a, hw_lv_pool *p, lval *out)
{
    conv cv = {.p = p};
    char *block;

    *out = LV_MAKE_NULL;
    convert(&cv, j, NULL);
    cv.fill = true;
    if (cv.objects + cv.need + cv.texts == 0) {
        convert(&cv, j, out); /* a number, boolean or null */
        return true;
    }
    if (!(block = hw_arena_alloc(a, cv.objects + cv.need + cv.texts)))
        return false;
    cv.obj = (lobj *)block;
    cv.at = block + cv.objects;
    cv.text = cv.at + cv.need;
    convert(&cv, j, out);
    /* The pool may have taken more since the first pass (never less): no more is used. */
    assert((char *)cv.obj == block + cv.objects);
    assert(cv.at <= block + cv.objects + cv.need);
    assert(cv.text <= block + cv.objects + cv.need + cv.texts);
    return true;
}

bool hw__lv_from_json(const json_t *j, hw_arena *a, lval *out)
{
    return from_json(j, a, NULL, out);
}

bool hw__lv_from_json_pooled(const json_t *j, hw_arena *a, hw_lv_pool *p, lval *out)
{
    return from_json(j, a, p, out);
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
    /* Number("0x10") is 16, "0o17" 15, "0b101" 5: unsigned, digits of the base only. */
    if (buf[0] == '0' && buf[1] && strchr("xXoObB", buf[1])) {
        int base = (buf[1] | 0x20) == 'x' ? 16 : (buf[1] | 0x20) == 'o' ? 8 : 2;
        double v = 0;

        if (!buf[2])
            return NAN;
        for (size_t i = 2; buf[i]; i++) {
            int c = buf[i], digit = c >= '0' && c <= '9'                     ? c - '0'
                                    : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                             : 99;

            if (digit >= base)
                return NAN;
            v = v * base + digit;
        }
        return v;
    }
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
    if (x.t == LV_STR && y.t == LV_STR)
        return hw__lv_text_order(x, y);
    p = hw__lv_to_number(x, a);
    q = hw__lv_to_number(y, a);
    if (isnan(p) || isnan(q))
        return 2;
    return p < q ? -1 : p > q;
}
