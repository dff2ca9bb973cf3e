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

struct lobj {
    uint32_t n;
    const char **keys;     /* NUL-terminated */
    const uint32_t *klens; /* their lengths, so lookups compare lengths first */
    const lval *vals;
};

#define LV_MAKE_NULL ((lval){.t = LV_NULL})
#define LV_MAKE_UNDEF ((lval){.t = LV_UNDEF})

/* JSON to a value in arena `a` (deep copy); NULL json is null. */
bool hw__lv_from_json(const json_t *j, hw_arena *a, lval *out);
/* A value as new JSON (integral numbers as integers); NULL on out of memory. */
json_t *hw__lv_to_json(lval v);

/* JSON Logic truthiness: JavaScript's, except that an empty array is false. */
bool hw__lv_truthy(lval v);
/* JavaScript's Number(v) and parseFloat(String(v)). */
double hw__lv_to_number(lval v, hw_arena *a);
double hw__lv_parse_float(lval v, hw_arena *a);
/* JavaScript's String(v), in arena `a`; *ok false on out of memory. */
lval hw__lv_to_string(lval v, hw_arena *a, bool *ok);
/* JavaScript's == and ===, and the relational comparison (-1, 0, 1, or 2 when unordered). */
bool hw__lv_loose_eq(lval x, lval y, hw_arena *a);
bool hw__lv_strict_eq(lval x, lval y);
int hw__lv_compare(lval x, lval y, hw_arena *a);
/*
 * Evaluate `l` against a datum already in value form (screening converts each
 * record once, then runs every rule on it).  Scratch in arena `a`.
 */
hw_code hw__logic_eval(const hw_logic *l, lval data, hw_arena *a, lval *out, hw_err *e);

lval hw__lv_str(const char *s, size_t n);
lval hw__lv_num(double d);
lval hw__lv_bool(bool b);

#endif
