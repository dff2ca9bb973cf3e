/* SPDX-License-Identifier: MIT */
/*
 * JSON Logic: compile a rule into a tree of nodes once, then evaluate the
 * tree against many records.  Operators are one table; their semantics are
 * json-logic-js's (see logic.h).
 */
#include "core/common.h"

#include <math.h>
#include <stdatomic.h>

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
    OP_CITES,
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
    {"cites", OP_CITES},
};

typedef struct lnode lnode;

/* The state of one evaluation. */
typedef struct ctx {
    hw_arena *a;
    hw_err *e;
    bool failed;
    hw_code rc; /* failed: why */
    int depth;
} ctx;

/*
 * The truthiness of node n's value for `data`: each node has the function
 * that answers it fastest, chosen when the rule is compiled (see choose()).
 */
typedef bool truth_fn(ctx *c, const lnode *n, lval data);

/*
 * Specialised forms of the commonest clauses, chosen at compile time.  Rules
 * are mostly comparisons of a field with a literal ("conviction.drug_type" ==
 * "marijuana") joined by and/or/!; these forms answer them without building
 * values, allocating, or converting the literal per record.  Each gives
 * exactly the answer of the general operator it stands for.
 */
enum fast {
    FAST_NONE,
    FAST_VAR, /* var with a literal path, split into segs */
    FAST_CMP, /* ==, ===, !=, !==, <, <=, > or >= of a FAST_VAR and a literal null, boolean,
                 number or text: the literal in k, its Number() in num */
    FAST_IN,  /* in: a FAST_VAR in a literal list, whose items are in k */
};

/*
 * One step of a literal var path, with hints of where its key is.  Records
 * of one shape have a key in the same place, so most lookups go straight to
 * it instead of scanning the keys.  The hints are not state: each is checked
 * before use, and written (relaxed atomics) only when wrong, so threads that
 * share the rule never see a different answer.
 *
 * - `slot`: where the key was in the last object without a shape number;
 *   the key there is compared before it is used.
 * - `shaped[s % SHAPED]`: (s << 32) + slot for objects of shape number s
 *   (lobj.shape): all such objects have the key there, unchecked.  A few
 *   entries, so that threads converting with pools of their own, whose
 *   numbers differ, do not take turns overwriting one.
 */
#define SHAPED 4

typedef struct seg {
    const char *p;
    uint32_t n;
    _Atomic uint32_t slot;
    _Atomic uint64_t shaped[SHAPED];
    uint64_t head, tail; /* 4 <= n <= 16: the first and the last 8 (n < 8: 4) bytes of the key */
} seg;

struct lnode {
    uint8_t op;     /* enum op */
    uint8_t fast;   /* enum fast */
    bool swapped;   /* FAST_CMP: the literal is the first argument */
    uint8_t accept; /* FAST_CMP <, <=, >, >=: bit r + 1 set when the answer is true for
                       r = hw__lv_compare(var, literal) (-1, 0, 1, 2 when unordered);
                       ==, ===, !=, !==: 1 for == and ===, 0 for != and !== */
    uint32_t nargs;
    uint32_t nsegs; /* FAST_VAR: 0 means the whole datum */
    truth_fn *truth;
    lnode *args; /* nargs nodes */
    seg *segs;
    lval k;     /* OP_CONST: the value; FAST_CMP, FAST_IN: the literal */
    double num; /* FAST_CMP: Number(k) */
};

/*
 * The rule's and/or/!/!! structure flattened into tests with jumps, so that
 * hw__logic_test() runs the common rule (clauses joined by and and or) in
 * one loop instead of a call per clause.  A test's clause is any node; the
 * forms the runner knows it answers in place.  Tests run in the order, and
 * as far, as the nested and/or would, so the answer and any failure are the
 * same.
 */
enum { PROG_FALSE = 0xFFFE, PROG_TRUE = 0xFFFF, PROG_MAX = 0xFFF0 };

typedef struct ltest {
    const lnode *n; /* the clause */
    uint8_t kind;   /* enum test_kind */
    uint16_t t, f;  /* the next test when n is truthy, and when it is not; or PROG_TRUE/FALSE */
} ltest;

enum test_kind { TEST_OTHER, TEST_VAR, TEST_EQ_TEXT, TEST_ORDER, TEST_IN_TEXTS };

struct hw_logic {
    hw_arena a; /* nodes, constants and the program */
    lnode root;
    ltest *prog; /* or NULL: the root is not and, or, ! or !! */
    uint16_t entry;
};

/* The clauses' fast paths inline what they need, and call their slow paths. */
#if defined(__GNUC__)
#define HW_ALWAYS_INLINE inline __attribute__((always_inline))
#define HW_NOINLINE __attribute__((noinline))
#else
#define HW_ALWAYS_INLINE inline
#define HW_NOINLINE
#endif

#define MAX_DEPTH 256 /* rules nest no deeper: a hostile rule cannot exhaust the stack */

/* A var whose path is a literal: split it once, here, rather than per record. */
static hw_code split_path(hw_logic *l, lnode *n, hw_err *e)
{
    lval p = n->args[0].k;
    bool ok = true;
    seg *segs;
    uint32_t count = 1, k = 0;
    size_t i = 0;

    n->fast = FAST_VAR;
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
        segs[k].n = (uint32_t)(j - i);
        segs[k].head = segs[k].tail = 0;
        if (segs[k].n >= 8) {
            memcpy(&segs[k].head, segs[k].p, 8);
            memcpy(&segs[k].tail, segs[k].p + segs[k].n - 8, 8);
        } else if (segs[k].n >= 4) {
            uint32_t h, t;

            memcpy(&h, segs[k].p, 4);
            memcpy(&t, segs[k].p + segs[k].n - 4, 4);
            segs[k].head = h;
            segs[k].tail = t;
        }
        for (size_t x = 0; x < SHAPED; x++)
            atomic_init(&segs[k].shaped[x], 0);
        atomic_init(&segs[k++].slot, 0);
        i = j + 1;
    }
    n->segs = segs;
    n->nsegs = count;
    return HW_OK;
}

static hw_code compile(hw_logic *l, const json_t *j, lnode *out, char *path, size_t plen, int depth,
                       hw_err *e);

static truth_fn truth_eval, truth_const, truth_var, truth_and, truth_or, truth_not, truth_not_var,
    truth_if, truth_cmp, truth_eq_text, truth_order, truth_in, truth_in_texts;

/* A literal that FAST_CMP takes: null, a boolean, a number or text, never compared by identity. */
static bool primitive_literal(const lnode *n)
{
    return n->op == OP_CONST && n->k.t != LV_ARR && n->k.t != LV_OBJ;
}

/* FAST_CMP for `n` when it compares a literal path with a primitive literal. */
static void choose_cmp(hw_logic *l, lnode *n)
{
    if (n->nargs != 2)
        return;
    if (n->args[0].fast == FAST_VAR && primitive_literal(&n->args[1]))
        n->swapped = false;
    else if (n->args[1].fast == FAST_VAR && primitive_literal(&n->args[0]))
        n->swapped = true;
    else
        return;
    n->fast = FAST_CMP;
    n->k = n->args[n->swapped ? 0 : 1].k;
    n->num = hw__lv_to_number(n->k, &l->a); /* a primitive: nothing is allocated */
    switch (n->op) {
    case OP_LT:
        n->accept = 1 << 0; /* r == -1 */
        break;
    case OP_LE:
        n->accept = 1 << 0 | 1 << 1;
        break;
    case OP_GT:
        n->accept = 1 << 2;
        break;
    case OP_GE:
        n->accept = 1 << 1 | 1 << 2;
        break;
    default:
        n->accept = n->op == OP_EQ || n->op == OP_SEQ; /* rather than != or !== */
        n->truth = n->k.t == LV_STR ? truth_eq_text : truth_cmp;
        return;
    }
    if (n->swapped) /* literal < var is var > literal: -1 and 1 change places */
        n->accept = (uint8_t)((n->accept & 0xA) | (n->accept & 1) << 2 | (n->accept & 4) >> 2);
    n->truth = n->k.t == LV_STR || n->k.t == LV_NUM ? truth_order : truth_cmp;
}

/*
 * FAST_IN for `n` when it looks a literal path up in a literal list.  The
 * list is built once, here, instead of per record: `in` only compares its
 * items, so no one can tell it from a fresh one.
 */
static hw_code choose_in(hw_logic *l, lnode *n, hw_err *e)
{
    const lnode *list = &n->args[1];
    bool texts = true;
    lval *items;

    if (n->nargs != 2 || n->args[0].fast != FAST_VAR || list->op != OP_ARRAY)
        return HW_OK;
    for (uint32_t i = 0; i < list->nargs; i++) {
        if (list->args[i].op != OP_CONST)
            return HW_OK;
        texts = texts && list->args[i].k.t == LV_STR;
    }
    items = hw_arena_alloc(&l->a, (list->nargs ? list->nargs : 1) * sizeof(*items));
    if (!items)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    for (uint32_t i = 0; i < list->nargs; i++)
        items[i] = list->args[i].k;
    n->k = (lval){.t = LV_ARR, .n = list->nargs};
    n->k.u.items = items;
    n->fast = FAST_IN;
    n->truth = texts ? truth_in_texts : truth_in;
    return HW_OK;
}

/* The specialised form and the truth function of `n`, whose arguments are compiled. */
static hw_code choose(hw_logic *l, lnode *n, hw_err *e)
{
    n->truth = n->fast == FAST_VAR ? truth_var : truth_eval;
    switch (n->op) {
    case OP_EQ:
    case OP_SEQ:
    case OP_NE:
    case OP_SNE:
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
        choose_cmp(l, n);
        return HW_OK;
    case OP_IN:
        return choose_in(l, n, e);
    case OP_AND:
        n->truth = truth_and;
        return HW_OK;
    case OP_OR:
        n->truth = truth_or;
        return HW_OK;
    case OP_NOT:
    case OP_TRUTHY:
        if (n->nargs == 1) /* with more, every argument is evaluated: eval() does that */
            n->truth = n->args[0].fast == FAST_VAR ? truth_not_var : truth_not;
        return HW_OK;
    case OP_IF:
        n->truth = truth_if;
        return HW_OK;
    default:
        return HW_OK;
    }
}

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
    if (!rc)
        rc = choose(l, out, e);
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
    out->truth = truth_const;
    if (!hw__lv_from_json(j, &l->a, &out->k))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    return HW_OK;
}

/* The tests of a program being built, from the last backwards. */
typedef struct prog_build {
    ltest *tests;
    uint32_t n, cap;
} prog_build;

static enum test_kind test_kind(const lnode *n)
{
    if (n->truth == truth_var)
        return TEST_VAR;
    if (n->truth == truth_eq_text)
        return TEST_EQ_TEXT;
    if (n->truth == truth_order)
        return TEST_ORDER;
    if (n->truth == truth_in_texts)
        return TEST_IN_TEXTS;
    return TEST_OTHER;
}

/*
 * Tests for node n that go on to `t` when it is truthy and to `f` when not;
 * returns the first, or PROG_MAX on a program too large (or out of memory).
 * and, or, ! and !! become jumps; anything else is one test.  The tests are
 * numbered from the end, and renumbered from the start by build_program().
 */
static uint32_t gen(hw_logic *l, prog_build *b, const lnode *n, uint32_t t, uint32_t f)
{
    uint32_t at;

    switch (n->op) {
    case OP_AND:
    case OP_OR:
        at = f; /* and and or of nothing are falsy */
        for (uint32_t i = n->nargs; i-- > 0 && at != PROG_MAX;)
            at = i + 1 == n->nargs ? gen(l, b, &n->args[i], t, f)
                 : n->op == OP_AND ? gen(l, b, &n->args[i], at, f)
                                   : gen(l, b, &n->args[i], t, at);
        return at;
    case OP_NOT:
    case OP_TRUTHY:
        if (n->nargs == 1)
            return n->op == OP_NOT ? gen(l, b, &n->args[0], f, t) : gen(l, b, &n->args[0], t, f);
        break;
    default:
        break;
    }
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 16;
        ltest *tests = cap < PROG_MAX ? hw_arena_alloc(&l->a, cap * sizeof(*tests)) : NULL;

        if (!tests)
            return PROG_MAX;
        if (b->n)
            memcpy(tests, b->tests, b->n * sizeof(*tests));
        b->tests = tests;
        b->cap = cap;
    }
    b->tests[b->n] =
        (ltest){.n = n, .kind = (uint8_t)test_kind(n), .t = (uint16_t)t, .f = (uint16_t)f};
    return b->n++;
}

/* The program of the root, when it is and, or, ! or !!; a rule without one is still answered. */
static void build_program(hw_logic *l)
{
    prog_build b = {0};
    uint32_t entry;

    if (l->root.op != OP_AND && l->root.op != OP_OR &&
        !((l->root.op == OP_NOT || l->root.op == OP_TRUTHY) && l->root.nargs == 1))
        return;
    entry = gen(l, &b, &l->root, PROG_TRUE, PROG_FALSE);
    if (entry == PROG_MAX || b.n == 0)
        return;
    /* Built backwards: test i is b.n - 1 - i, so that the program runs forwards in memory. */
    for (uint32_t i = 0; i < b.n / 2; i++) {
        ltest x = b.tests[i];

        b.tests[i] = b.tests[b.n - 1 - i];
        b.tests[b.n - 1 - i] = x;
    }
    for (uint32_t i = 0; i < b.n; i++) {
        if (b.tests[i].t < PROG_MAX)
            b.tests[i].t = (uint16_t)(b.n - 1 - b.tests[i].t);
        if (b.tests[i].f < PROG_MAX)
            b.tests[i].f = (uint16_t)(b.n - 1 - b.tests[i].f);
    }
    l->prog = b.tests;
    l->entry = (uint16_t)(entry < PROG_MAX ? b.n - 1 - entry : entry);
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
    build_program(l);
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

static lval fail_oom(ctx *c)
{
    if (!c->failed)
        c->rc = hw_fail(c->e, HW_ENOMEM, NULL, "out of memory");
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

static inline uint64_t load64(const char *p)
{
    uint64_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* Eight bytes as a big-endian number, so that the order of numbers is the order of bytes. */
static inline uint64_t load64_be(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(load64(p));
#elif defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return load64(p);
#else
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | (unsigned char)p[i];
    return v;
#endif
}

static inline uint32_t load32(const char *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/*
 * Whether x[0..n) and y[0..n) are the same bytes.  Keys and field values are
 * short: compared in at most two loads each (the second overlapping the
 * first), without a call to memcmp.
 */
static inline bool same_bytes(const char *x, const char *y, uint32_t n)
{
    if (n >= 8) {
        for (; n > 8; n -= 8, x += 8, y += 8)
            if (load64(x) != load64(y))
                return false;
        return load64(x + n - 8) == load64(y + n - 8);
    }
    if (n >= 4)
        return load32(x) == load32(y) && load32(x + n - 4) == load32(y + n - 4);
    for (; n; n--)
        if (*x++ != *y++)
            return false;
    return true;
}

/* hw__lv_text_order() without a call to memcmp, eight bytes at a time. */
static inline int text_order(lval x, lval y)
{
    uint32_t n = x.n < y.n ? x.n : y.n, i = 0;

    for (; i + 8 <= n; i += 8) {
        uint64_t p = load64_be(x.u.s + i), q = load64_be(y.u.s + i);

        if (p != q)
            return p < q ? -1 : 1;
    }
    for (; i < n; i++)
        if (x.u.s[i] != y.u.s[i])
            return (unsigned char)x.u.s[i] < (unsigned char)y.u.s[i] ? -1 : 1;
    return x.n < y.n ? -1 : x.n > y.n;
}

/* Whether `key`, of s->n bytes, is the path step's key. */
static inline bool key_is(const char *key, const seg *s)
{
    if (s->n >= 8 && s->n <= 16)
        return load64(key) == s->head && load64(key + s->n - 8) == s->tail;
    if (s->n >= 4 && s->n < 8)
        return load32(key) == (uint32_t)s->head && load32(key + s->n - 4) == (uint32_t)s->tail;
    return same_bytes(key, s->p, s->n);
}

/* Remember that object o has step s's key at slot i. */
static void remember(const lobj *o, seg *s, uint32_t i)
{
    if (o->shape)
        atomic_store_explicit(&s->shaped[o->shape % SHAPED], (uint64_t)o->shape << 32 | i,
                              memory_order_relaxed);
    else
        atomic_store_explicit(&s->slot, i, memory_order_relaxed);
}

/* An object's value for a path step's key, found by a scan. */
static const lval *obj_scan(const lobj *o, seg *s)
{
    for (uint32_t i = 0; i < o->n; i++) {
        if (o->klens[i] == s->n && key_is(o->keys[i], s)) {
            remember(o, s, i);
            return &o->vals[i];
        }
    }
    return NULL;
}

/* lookup() from step `i` on, where `at` is not an object: arrays, strings, null. */
static const lval *lookup_rest(const lnode *n, uint32_t i, const lval *at, lval *tmp)
{
    for (; i < n->nsegs; i++) {
        if (at->t == LV_OBJ)
            at = obj_scan(at->u.obj, &n->segs[i]);
        else if (at->t != LV_NULL && step(*at, n->segs[i].p, n->segs[i].n, tmp))
            at = tmp;
        else
            return NULL;
        if (!at)
            return NULL;
    }
    return at;
}

/*
 * The value at var n's literal path in `data` when each step is an object
 * that has the key where the rule last found it in objects like it: of the
 * same shape (lobj.shape), or at the same slot with the key checked.  NULL
 * for anything else (a miss, a list, a string, a missing key), which
 * lookup() then answers.  This is the common case, records of one shape
 * after the first; it makes no calls and writes nothing, so the clauses that
 * use it need no stack frame.
 */
static HW_ALWAYS_INLINE const lval *lookup_known(const lnode *n, lval data)
{
    const seg *s = n->segs, *end = s + n->nsegs;
    const lval *at;
    const lobj *o;

    if (data.t != LV_OBJ || s == end)
        return NULL;
    for (o = data.u.obj;; o = at->u.obj) {
        uint32_t k;

        if (o->shape) {
            uint64_t known =
                atomic_load_explicit(&s->shaped[o->shape % SHAPED], memory_order_relaxed);

            k = (uint32_t)known;
            if (o->shape != known >> 32 || k >= o->n)
                return NULL;
        } else {
            k = atomic_load_explicit(&s->slot, memory_order_relaxed);
            if (k >= o->n || o->klens[k] != s->n || !key_is(o->keys[k], s))
                return NULL;
        }
        at = &o->vals[k];
        if (++s == end)
            return at;
        if (at->t != LV_OBJ)
            return NULL;
    }
}

/*
 * The value at var n's literal path in `data`, or NULL when there is none.
 * A value that is not in the data as such (a string's length or character)
 * is made in *tmp.  The hints are tried first, and brought up to date.
 */
static const lval *lookup(const lnode *n, lval data, lval *tmp)
{
    seg *s = n->segs, *end = s + n->nsegs;
    const lval *at;
    const lobj *o;

    if (HW_UNLIKELY(data.t != LV_OBJ || s == end)) {
        *tmp = data;
        return lookup_rest(n, 0, tmp, tmp);
    }
    for (o = data.u.obj;; o = at->u.obj) {
        uint64_t known =
            o->shape ? atomic_load_explicit(&s->shaped[o->shape % SHAPED], memory_order_relaxed)
                     : 0;
        uint32_t k = (uint32_t)known;

        if (o->shape && o->shape == known >> 32 && k < o->n) {
            at = &o->vals[k];
        } else if ((k = atomic_load_explicit(&s->slot, memory_order_relaxed)) < o->n &&
                   o->klens[k] == s->n && key_is(o->keys[k], s)) {
            at = &o->vals[k];
            remember(o, s, k);
        } else if (!(at = obj_scan(o, s))) {
            return NULL;
        }
        if (++s == end)
            return at;
        if (HW_UNLIKELY(at->t != LV_OBJ))
            return lookup_rest(n, (uint32_t)(s - n->segs), at, tmp);
    }
}

/*
 * var's default, for a path that finds nothing: evaluated against the whole
 * datum, as the reference does; null when there is none.
 */
static lval var_default(ctx *c, const lnode *n, lval data)
{
    lval fallback = n->nargs > 1 ? eval(c, &n->args[1], data) : LV_MAKE_NULL;

    return fallback.t == LV_UNDEF ? LV_MAKE_NULL : fallback;
}

/* var with a literal path: the value, or the default. */
static inline lval var_const(ctx *c, const lnode *n, lval data)
{
    lval tmp;
    const lval *v = lookup_known(n, data);

    if (HW_LIKELY(v != NULL))
        return *v;
    v = lookup(n, data, &tmp);
    return v ? *v : var_default(c, n, data);
}

/* JavaScript's == of the same type, and ===: what hw__lv_strict_eq() says, texts inline. */
static inline bool same(lval x, lval y)
{
    if (x.t == LV_STR && y.t == LV_STR)
        return x.n == y.n && same_bytes(x.u.s, y.u.s, x.n);
    return hw__lv_strict_eq(x, y);
}

/* FAST_CMP: ==, !=, ===, !== of the var's value x and the literal. */
static bool cmp_equal(ctx *c, const lnode *n, lval x)
{
    lval k = n->k;
    bool eq;

    if (n->op == OP_SEQ || n->op == OP_SNE)
        return same(x, k) == (n->op == OP_SEQ);
    if (x.t == k.t)
        eq = same(x, k);
    else if (x.t == LV_NULL || x.t == LV_UNDEF)
        eq = k.t == LV_NULL || k.t == LV_UNDEF; /* null and undefined equal only each other */
    else if (x.t == LV_NUM && k.t == LV_STR)
        eq = x.u.num == n->num; /* 1 == "1": the literal as a number, converted once */
    else
        eq = n->swapped ? hw__lv_loose_eq(k, x, c->a) : hw__lv_loose_eq(x, k, c->a);
    return eq == (n->op == OP_EQ);
}

/* FAST_CMP: <, <=, >, >= of the var's value x and the literal, as hw__lv_compare() orders them. */
static bool cmp_order(ctx *c, const lnode *n, lval x)
{
    lval k = n->k;
    int r;

    if (x.t == LV_STR && k.t == LV_STR) {
        r = hw__lv_text_order(x, k);
    } else if (x.t != LV_ARR && x.t != LV_OBJ) {
        /* Two primitives, not both text: as numbers, the literal's converted once. */
        double p = hw__lv_to_number(x, c->a); /* nothing is allocated for a primitive */

        r = isnan(p) || isnan(n->num) ? 2 : p < n->num ? -1 : p > n->num;
    } else {
        r = hw__lv_compare(x, k, c->a);
    }
    return n->accept >> (r + 1) & 1;
}

/* The var compared by FAST_CMP and FAST_IN. */
static inline const lnode *var_of(const lnode *n)
{
    return &n->args[n->swapped ? 1 : 0];
}

static bool truth_cmp(ctx *c, const lnode *n, lval data)
{
    lval x = var_const(c, var_of(n), data);

    return n->op == OP_EQ || n->op == OP_NE || n->op == OP_SEQ || n->op == OP_SNE
               ? cmp_equal(c, n, x)
               : cmp_order(c, n, x);
}

/* truth_eq_text() for values lookup_known() does not find. */
static HW_NOINLINE bool eq_text_slow(ctx *c, const lnode *n, lval data)
{
    const lnode *var = var_of(n);
    lval tmp;
    const lval *x = lookup(var, data, &tmp);

    return cmp_equal(c, n, x ? *x : var_default(c, var, data));
}

/*
 * FAST_CMP with a text literal, ==, !=, === or !==: a field's text compared
 * in place.  For a text or null, == and === agree; n->accept says which.
 */
static HW_ALWAYS_INLINE bool eq_text_test(ctx *c, const lnode *n, lval data)
{
    const lval *x = lookup_known(var_of(n), data);

    if (HW_LIKELY(x != NULL)) {
        if (x->t == LV_STR)
            return (x->n == n->k.n && same_bytes(x->u.s, n->k.u.s, x->n)) == n->accept;
        if (x->t == LV_NULL)
            return !n->accept; /* null is equal to no text */
    }
    return eq_text_slow(c, n, data);
}

static bool truth_eq_text(ctx *c, const lnode *n, lval data)
{
    return eq_text_test(c, n, data);
}

/* truth_order() for values lookup_known() does not find, or of other types. */
static HW_NOINLINE bool order_slow(ctx *c, const lnode *n, lval data)
{
    return cmp_order(c, n, var_const(c, var_of(n), data));
}

/* FAST_CMP of a text with a text or a number with a number, <, <=, > or >=, in place. */
static HW_ALWAYS_INLINE bool order_test(ctx *c, const lnode *n, lval data)
{
    const lval *x = lookup_known(var_of(n), data);
    int r;

    if (HW_UNLIKELY(!x))
        return order_slow(c, n, data);
    if (x->t == LV_STR && n->k.t == LV_STR)
        r = text_order(*x, n->k);
    else if (x->t == LV_NUM && n->k.t == LV_NUM)
        r = x->u.num < n->k.u.num ? -1 : x->u.num > n->k.u.num ? 1 : x->u.num == n->k.u.num ? 0 : 2;
    else
        return order_slow(c, n, data);
    return n->accept >> (r + 1) & 1;
}

static bool truth_order(ctx *c, const lnode *n, lval data)
{
    return order_test(c, n, data);
}

/* FAST_IN: whether the var's value is an item of the literal list (strict equality). */
static bool truth_in(ctx *c, const lnode *n, lval data)
{
    lval x = var_const(c, &n->args[0], data);

    for (uint32_t i = 0; i < n->k.n; i++)
        if (same(x, n->k.u.items[i]))
            return true;
    return false;
}

/* Whether text x is an item of n's literal list, all texts. */
static HW_ALWAYS_INLINE bool in_texts(const lnode *n, const lval *x)
{
    for (uint32_t i = 0; i < n->k.n; i++)
        if (n->k.u.items[i].n == x->n && same_bytes(n->k.u.items[i].u.s, x->u.s, x->n))
            return true;
    return false;
}

/* truth_in_texts() for values lookup_known() does not find. */
static HW_NOINLINE bool in_texts_slow(ctx *c, const lnode *n, lval data)
{
    lval x = var_const(c, &n->args[0], data);

    return x.t == LV_STR && in_texts(n, &x);
}

/* FAST_IN with a list of texts only: nothing but a text can be one of them. */
static HW_ALWAYS_INLINE bool in_texts_test(ctx *c, const lnode *n, lval data)
{
    const lval *x = lookup_known(&n->args[0], data);

    if (HW_LIKELY(x != NULL))
        return x->t == LV_STR && in_texts(n, x);
    return in_texts_slow(c, n, data);
}

static bool truth_in_texts(ctx *c, const lnode *n, lval data)
{
    return in_texts_test(c, n, data);
}

/*
 * The truth functions of and, or, !, !! and if: their arguments are tested,
 * not evaluated into values, in the order and as far as eval() goes, so a
 * failure (out of memory) is the same failure.
 */
static bool truth_and(ctx *c, const lnode *n, lval data)
{
    for (uint32_t i = 0; i < n->nargs; i++)
        if (!n->args[i].truth(c, &n->args[i], data))
            return false;
    return n->nargs > 0; /* and of nothing is undefined */
}

static bool truth_or(ctx *c, const lnode *n, lval data)
{
    for (uint32_t i = 0; i < n->nargs; i++)
        if (n->args[i].truth(c, &n->args[i], data))
            return true;
    return false;
}

/* ! and !! of one argument. */
static bool truth_not(ctx *c, const lnode *n, lval data)
{
    return n->args[0].truth(c, &n->args[0], data) == (n->op == OP_TRUTHY);
}

static bool truth_if(ctx *c, const lnode *n, lval data)
{
    uint32_t i = 0;

    for (; i + 1 < n->nargs; i += 2)
        if (n->args[i].truth(c, &n->args[i], data))
            return n->args[i + 1].truth(c, &n->args[i + 1], data);
    return i + 1 == n->nargs && n->args[i].truth(c, &n->args[i], data);
}

static bool truth_const(ctx *c, const lnode *n, lval data)
{
    HW_UNUSED(c);
    HW_UNUSED(data);
    return hw__lv_truthy(n->k);
}

static HW_NOINLINE bool var_slow(ctx *c, const lnode *n, lval data)
{
    return hw__lv_truthy(var_const(c, n, data));
}

static HW_ALWAYS_INLINE bool var_test(ctx *c, const lnode *n, lval data)
{
    const lval *v = lookup_known(n, data);

    return v ? hw__lv_truthy(*v) : var_slow(c, n, data);
}

static bool truth_var(ctx *c, const lnode *n, lval data)
{
    return var_test(c, n, data);
}

/* ! and !! of a var with a literal path. */
static bool truth_not_var(ctx *c, const lnode *n, lval data)
{
    const lval *v = lookup_known(&n->args[0], data);

    return (v ? hw__lv_truthy(*v) : var_slow(c, &n->args[0], data)) == (n->op == OP_TRUTHY);
}

/* Any other operation: its value, then that value's truthiness. */
static bool truth_eval(ctx *c, const lnode *n, lval data)
{
    return hw__lv_truthy(eval(c, n, data));
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
/*
 * Homeward's statute match: a normalised citation cites a section when it is
 * that section or one of its subsections.  "21 USC 844(a)" cites "21 USC
 * 844"; "21 USC 8441" and "18 USC 2252A" cite neither "21 USC 844" nor
 * "18 USC 2252".  The section may be a list: any of them.
 */
static bool cites_one(lval s, lval sec)
{
    if (s.t != LV_STR || sec.t != LV_STR || sec.n == 0 || s.n < sec.n ||
        memcmp(s.u.s, sec.u.s, sec.n) != 0)
        return false;
    return s.n == sec.n || s.u.s[sec.n] == '(' || s.u.s[sec.n] == ' ';
}

static lval op_cites(const lval *v, uint32_t n)
{
    if (n < 2)
        return hw__lv_bool(false);
    if (v[1].t == LV_ARR) {
        for (uint32_t i = 0; i < v[1].n; i++)
            if (cites_one(v[0], v[1].u.items[i]))
                return hw__lv_bool(true);
        return hw__lv_bool(false);
    }
    return hw__lv_bool(cites_one(v[0], v[1]));
}

static lval dates(ctx *c, enum op op, const lval *v, uint32_t n)
{
    int32_t a, b;

    if (n < 1 || !as_date(v[0], &a))
        return LV_MAKE_NULL;
    if (op == OP_DATE)
        return date_text(c, a);
    if (op == OP_DATE_ADD) {
        /* An unknown amount is no date (Number(null) would be 0: the start date itself). */
        double k =
            n > 1 && v[1].t != LV_NULL && v[1].t != LV_UNDEF ? hw__lv_to_number(v[1], c->a) : NAN;
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
    switch (n->fast) {
    case FAST_VAR:
        return var_const(c, n, data);
    case FAST_CMP:
    case FAST_IN:
        return hw__lv_bool(n->truth(c, n, data));
    default:
        break;
    }
    if (n->op == OP_CONST)
        return n->k;
    if (++c->depth > MAX_DEPTH * 4) {
        c->failed = true;
        c->rc = hw_fail(c->e, HW_ELIMIT, NULL, "evaluation nested too deep");
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
    case OP_CITES:
        out = op_cites(v, n->nargs);
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
    ctx c = {.a = a, .e = e};

    *out = eval(&c, &l->root, data);
    return c.failed ? c.rc : HW_OK;
}

/* The rule's program: its tests in order, the commonest clauses answered in place. */
static bool run(ctx *c, const hw_logic *l, lval data)
{
    uint32_t pc = l->entry;

    while (pc < PROG_MAX) {
        const ltest *t = &l->prog[pc];
        bool r;

        switch (t->kind) {
        case TEST_VAR:
            r = var_test(c, t->n, data);
            break;
        case TEST_EQ_TEXT:
            r = eq_text_test(c, t->n, data);
            break;
        case TEST_ORDER:
            r = order_test(c, t->n, data);
            break;
        case TEST_IN_TEXTS:
            r = in_texts_test(c, t->n, data);
            break;
        default:
            r = t->n->truth(c, t->n, data);
        }
        pc = r ? t->t : t->f;
    }
    return pc == PROG_TRUE;
}

hw_code hw__logic_test(const hw_logic *l, lval data, hw_arena *a, int *truth, hw_err *e)
{
    ctx c = {.a = a, .e = e};
    bool t = l->prog ? run(&c, l, data) : l->root.truth(&c, &l->root, data);

    *truth = !c.failed && t;
    return c.failed ? c.rc : HW_OK;
}

hw_code hw_logic_eval_json(const hw_logic *l, const json_t *data, hw_arena *a, json_t **out,
                           hw_err *e)
{
    ctx c = {.a = a, .e = e};
    lval d, r;

    *out = NULL;
    if (!hw__lv_from_json(data, a, &d))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    r = eval(&c, &l->root, d);
    if (c.failed)
        return c.rc;
    *out = hw__lv_to_json(r);
    return *out ? HW_OK : hw_fail(e, HW_ENOMEM, NULL, "out of memory");
}
