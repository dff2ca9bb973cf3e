/* SPDX-License-Identifier: MIT */
/*
 * Internal to the rules engine: the value a JSON Logic expression works on,
 * the compiled node tree, and JavaScript's coercions, which JSON Logic
 * inherits from its reference implementation.
 */
#ifndef HW_LOGIC_INT_H
#define HW_LOGIC_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "homeward/arena.h"
#include "homeward/logic.h"

/* LV_UNDEF is JavaScript's undefined: a missing argument.  It is null in JSON. */
typedef enum lv_type { LV_NULL, LV_BOOL, LV_NUM, LV_STR, LV_ARR, LV_OBJ, LV_UNDEF } lv_type;

typedef struct lval lval;
typedef struct lobj lobj;

/* A value: small, copied by value; strings, arrays and objects live in an arena. */
struct lval {
    uint8_t t;  /* lv_type */
    uint32_t n; /* LV_STR: bytes; LV_ARR: items */
    union {
        bool b;
        double num;
        const char *s;
        const lval *items;
        const lobj *obj;
    } u;
};

/*
 * An object.  Its keys are distinct, as in JSON Logic's data.  `shape` is 0,
 * or a number that all objects with these keys in this order share, which
 * lets a rule go straight to a key it found before in another such object.
 * Only hw__lv_from_json_pooled() gives numbers; an object made or changed
 * anywhere else has 0, as (lobj){.n = ..., ...} leaves it.
 */
struct lobj {
    uint32_t n;
    uint32_t shape;
    const char **keys;     /* NUL-terminated */
    const uint32_t *klens; /* their lengths, so lookups compare lengths first */
    const lval *vals;
};

#define LV_MAKE_NULL ((lval){.t = LV_NULL})
#define LV_MAKE_UNDEF ((lval){.t = LV_UNDEF})

/*
 * JSON to a value in arena `a` (deep copy, in one block: the objects' headers
 * first, then their values, then the texts); NULL json is null.
 */
bool hw__lv_from_json(const json_t *j, hw_arena *a, lval *out);

/*
 * What many records converted one after another have in common, kept once:
 * the keys of their objects, the key list of each shape of object (the same
 * keys in the same order, with its number: lobj.shape), and short texts such
 * as codes and dates.  A record converted with a pool holds only its values
 * and its longer texts, about a third of the memory of one converted alone,
 * so a caseload held in memory is evaluated with fewer cache misses.  Each
 * table has a limit; past it, records keep their own copies.  A pool is for
 * one thread at a time; the records it helped make may be read by any.
 */
typedef struct hw_lv_table {
    struct hw_lv_slot *slots; /* open addressing; malloc'd */
    uint32_t cap, n;          /* slots (a power of two, or 0), entries */
} hw_lv_table;

typedef struct hw_lv_pool {
    hw_arena *a; /* keeps the shared texts and key lists; borrowed */
    hw_lv_table texts, shapes;
} hw_lv_pool;

/*
 * Start an empty pool whose shared parts live in arena `a` (kept): `a` must
 * outlive every record converted with the pool, and not be reset meanwhile.
 */
void hw__lv_pool_init(hw_lv_pool *p, hw_arena *a);
/* Free the pool's tables; what lives in its arena stays.  The pool may be used again. */
void hw__lv_pool_release(hw_lv_pool *p);
/* hw__lv_from_json(), sharing with earlier records what pool `p` has. */
bool hw__lv_from_json_pooled(const json_t *j, hw_arena *a, hw_lv_pool *p, lval *out);
/* A value as new JSON (integral numbers as integers); NULL on out of memory. */
json_t *hw__lv_to_json(lval v);

/* JSON Logic truthiness: JavaScript's, except that an empty array is false. */
static inline bool hw__lv_truthy(lval v)
{
    switch (v.t) {
    case LV_BOOL:
        return v.u.b;
    case LV_NUM:
        return v.u.num != 0 && v.u.num == v.u.num; /* NaN is false */
    case LV_STR:
    case LV_ARR: /* an empty array is false: JSON Logic's one change to JavaScript */
        return v.n > 0;
    case LV_OBJ:
        return true;
    default:
        return false;
    }
}
/* JavaScript's Number(v) and parseFloat(String(v)). */
double hw__lv_to_number(lval v, hw_arena *a);
double hw__lv_parse_float(lval v, hw_arena *a);
/* JavaScript's String(v), in arena `a`; *ok false on out of memory. */
lval hw__lv_to_string(lval v, hw_arena *a, bool *ok);
/* JavaScript's == and ===, and the relational comparison (-1, 0, 1, or 2 when unordered). */
bool hw__lv_loose_eq(lval x, lval y, hw_arena *a);
bool hw__lv_strict_eq(lval x, lval y);
int hw__lv_compare(lval x, lval y, hw_arena *a);

/* Two texts in JavaScript's order for them (byte order here): -1, 0 or 1. */
static inline int hw__lv_text_order(lval x, lval y)
{
    size_t n = x.n < y.n ? x.n : y.n;
    int c = n ? memcmp(x.u.s, y.u.s, n) : 0;

    if (c)
        return c < 0 ? -1 : 1;
    return x.n < y.n ? -1 : x.n > y.n;
}

/*
 * Evaluate `l` against a datum already in value form (screening converts each
 * record once, then runs every rule on it).  Scratch in arena `a`.
 */
hw_code hw__logic_eval(const hw_logic *l, lval data, hw_arena *a, lval *out, hw_err *e);

/*
 * Evaluate `l` against `data` for its truthiness alone, for rules whose
 * answer is yes or no: *truth is 1 when the value hw__logic_eval() gives is
 * truthy, else 0 (and 0 on an error).  The answer is the same, found faster:
 * comparisons of a field with a literal, `in` a literal list, and/or/!/!!/if
 * and var build no values.  Like hw__logic_eval(), it may be called from
 * several threads at once on one rule, each thread with its own arena `a`.
 */
hw_code hw__logic_test(const hw_logic *l, lval data, hw_arena *a, int *truth, hw_err *e);

static inline lval hw__lv_str(const char *s, size_t n)
{
    lval v = {.t = LV_STR, .n = (uint32_t)n};

    v.u.s = s;
    return v;
}

static inline lval hw__lv_num(double d)
{
    lval v = {.t = LV_NUM};

    v.u.num = d;
    return v;
}

static inline lval hw__lv_bool(bool b)
{
    lval v = {.t = LV_BOOL};

    v.u.b = b;
    return v;
}

#endif
