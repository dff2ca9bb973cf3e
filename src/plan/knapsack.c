/* SPDX-License-Identifier: MIT */
/*
 * One fund: the exact 0/1 knapsack, after Pisinger's expanding core
 * ("A minimal algorithm for the 0-1 knapsack problem", 1997).  Items are
 * sorted by value per cent and filled greedily up to the break item b.  An
 * optimal plan differs from that fill only by adding some items from b on and
 * removing some before b; the core [s+1, t) is the stretch whose choices have
 * been enumerated, as states (cost, value) of the fill with those changes.
 *
 * Why the answer is optimal: every plan is some state completed by adding
 * items from t on (none worth more per cent than item t) and removing items
 * up to s (none worth less per cent than item s).  So a state of cost w and
 * value v completes to at most v + (B - w) v_t / w_t when w <= B, and to at
 * most v - (w - B) v_s / w_s when w > B; values are integers, so a state whose
 * bound is below best + 1 can never improve on the best plan found and is
 * dropped.  A state no cheaper and worth no more than another completes no
 * better than it (the same completions fit), so only the Pareto frontier is
 * kept.  Items that could not be in (or out of) any better plan, by the
 * bound through the break item, are skipped.  When no state is left, the
 * best plan found is optimal.  All comparisons are exact, in 128-bit integers.
 */
#include "core/common.h"

#include "plan/solve.h"
#include "plan/solve_int.h"

#define NIL UINT32_MAX

typedef struct kitem {
    int64_t w, v;
} kitem;

/* A state: the fill changed by the items on its chain of nodes. */
typedef struct state {
    int64_t w, v;
    uint32_t node;
} state;

/* One change to the fill: item (in sorted order) added if >= b, else removed. */
typedef struct knode {
    uint32_t item, parent;
} knode;

typedef struct knap {
    size_t n, b;
    kitem *it;      /* sorted by value per cent, best first */
    uint32_t *orig; /* sorted position -> item */
    int64_t B, Wb, Vb;
    int64_t best;
    uint32_t best_node;
    int best_fill; /* the best plan is the greedy fill, not a state */
    knode *nodes;
    uint32_t *remap;
    size_t nnodes, cap_nodes;
    state *cur, *nxt;
    size_t ncur, cap_states, max_states;
    int64_t examined;
} knap;

/* Could adding item j (j >= b) be part of a plan worth more than best? */
static int add_useless(const knap *k, size_t j)
{
    const kitem *b = &k->it[k->b];
    hw_i128 x = (hw_i128)(k->Vb + k->it[j].v - k->best - 1) * b->w +
                (hw_i128)b->v * (k->B - k->Wb - k->it[j].w);

    return x < 0;
}

/* Could removing item j (j < b) be part of a plan worth more than best? */
static int rem_useless(const knap *k, size_t j)
{
    const kitem *b = &k->it[k->b];
    hw_i128 x = (hw_i128)(k->Vb - k->it[j].v - k->best - 1) * b->w +
                (hw_i128)b->v * (k->B - k->Wb + k->it[j].w);

    return x < 0;
}

static size_t next_add(const knap *k, size_t t)
{
    while (t < k->n && add_useless(k, t))
        t++;
    return t;
}

static ptrdiff_t next_rem(const knap *k, ptrdiff_t s)
{
    while (s >= 0 && rem_useless(k, (size_t)s))
        s--;
    return s;
}

/* Is the state's bound (t: next item to add, s: next to remove) at most best? */
static int hopeless(const knap *k, int64_t w, int64_t v, size_t t, ptrdiff_t s)
{
    if (w <= k->B) {
        if (t >= k->n)
            return v <= k->best;
        return (hw_i128)(k->B - w) * k->it[t].v < (hw_i128)(k->best + 1 - v) * k->it[t].w;
    }
    if (s < 0)
        return 1;
    return (hw_i128)(v - k->best - 1) * k->it[s].w < (hw_i128)(w - k->B) * k->it[s].v;
}

/* The state's bound itself, for a search stopped early. */
static hw_i128 state_bound(const knap *k, const state *x, size_t t, ptrdiff_t s)
{
    if (x->w <= k->B)
        return t >= k->n ? x->v : x->v + (hw_i128)(k->B - x->w) * k->it[t].v / k->it[t].w;
    if (s < 0)
        return -1;
    return x->v - ((hw_i128)(x->w - k->B) * k->it[s].v + k->it[s].w - 1) / k->it[s].w;
}

/* Drop the nodes no live state (nor the best) leads through; renumber the rest. */
static void collect(knap *k)
{
    size_t n = 0;

    for (size_t i = 0; i < k->nnodes; i++)
        k->remap[i] = NIL;
    for (size_t i = 0; i <= k->ncur; i++) {
        uint32_t x = i < k->ncur ? k->cur[i].node : k->best_fill ? NIL : k->best_node;

        while (x != NIL && k->remap[x] == NIL) {
            k->remap[x] = 0;
            x = k->nodes[x].parent;
        }
    }
    /* A parent is older than its children, so it is renumbered first. */
    for (size_t i = 0; i < k->nnodes; i++) {
        if (k->remap[i] == NIL)
            continue;
        k->remap[i] = (uint32_t)n;
        k->nodes[n].item = k->nodes[i].item;
        k->nodes[n].parent = k->nodes[i].parent == NIL ? NIL : k->remap[k->nodes[i].parent];
        n++;
    }
    for (size_t i = 0; i < k->ncur; i++)
        if (k->cur[i].node != NIL)
            k->cur[i].node = k->remap[k->cur[i].node];
    if (!k->best_fill && k->best_node != NIL)
        k->best_node = k->remap[k->best_node];
    k->nnodes = n;
}

/* Room for `need` more nodes and 2 * ncur states. */
static hw_code make_room(knap *k, size_t need, hw_err *e)
{
    if (k->nnodes + need > k->cap_nodes) {
        size_t cap;
        knode *nodes;
        uint32_t *remap;

        if (k->nnodes)
            collect(k);
        cap = k->cap_nodes;
        while (k->nnodes + need > cap / 2)
            cap = cap ? cap * 2 : 4096;
        if (cap >= NIL)
            return hw_fail(e, HW_ELIMIT, NULL, "knapsack: too many states");
        if (cap != k->cap_nodes) {
            if (!(nodes = realloc(k->nodes, cap * sizeof *nodes)))
                return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            k->nodes = nodes;
            if (!(remap = realloc(k->remap, cap * sizeof *remap)))
                return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            k->remap = remap;
            k->cap_nodes = cap;
        }
    }
    if (2 * k->ncur > k->cap_states) {
        size_t cap = k->cap_states;
        state *a, *b;

        while (2 * k->ncur > cap)
            cap *= 2;
        if (!(a = realloc(k->cur, cap * sizeof *a)))
            return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        k->cur = a;
        if (!(b = realloc(k->nxt, cap * sizeof *b)))
            return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        k->nxt = b;
        k->cap_states = cap;
    }
    return HW_OK;
}

/*
 * Add item j (j >= b) or remove it (j < b): merge the states with their
 * shifted copies in order of cost, keep the frontier, note a better plan,
 * and drop the states that cannot beat it under the next items t and s.
 */
static hw_code step(knap *k, size_t j, size_t t, ptrdiff_t s, hw_err *e)
{
    int64_t dw = j >= k->b ? k->it[j].w : -k->it[j].w;
    int64_t dv = j >= k->b ? k->it[j].v : -k->it[j].v;
    size_t m = k->ncur, a = 0, c = 0, out = 0;
    int64_t top = INT64_MIN;
    hw_code rc;
    state *tmp;

    if ((rc = make_room(k, m, e)))
        return rc;
    while (a < m || c < m) {
        int shifted;
        state x;

        if (c >= m) {
            shifted = 0;
        } else if (a >= m) {
            shifted = 1;
        } else {
            int64_t wc = k->cur[c].w + dw, vc = k->cur[c].v + dv;

            shifted = wc < k->cur[a].w || (wc == k->cur[a].w && vc > k->cur[a].v);
        }
        if (shifted) {
            x = (state){k->cur[c].w + dw, k->cur[c].v + dv, NIL};
            c++;
        } else {
            x = k->cur[a++];
        }
        k->examined++;
        if (x.v <= top)
            continue; /* a cheaper state is worth as much */
        top = x.v;
        if (shifted && (x.w > k->B || x.v <= k->best) && hopeless(k, x.w, x.v, t, s))
            continue;
        if (shifted) {
            k->nodes[k->nnodes] = (knode){(uint32_t)j, k->cur[c - 1].node};
            x.node = (uint32_t)k->nnodes++;
        }
        if (x.w <= k->B && x.v > k->best) {
            k->best = x.v;
            k->best_node = x.node;
            k->best_fill = 0;
        }
        if (hopeless(k, x.w, x.v, t, s))
            continue;
        k->nxt[out++] = x;
    }
    tmp = k->cur;
    k->cur = k->nxt;
    k->nxt = tmp;
    k->ncur = out;
    return HW_OK;
}

hw_code hw__solve_knapsack(const hw_solve_problem *p, size_t max_states, hw_solve_result *r,
                           int64_t *lp_bound, hw_err *e)
{
    knap k = {.B = p->budget_cents[0], .best_node = NIL, .best_fill = 1};
    int64_t *v = NULL, *w = NULL, cap = p->cap_cents ? p->cap_cents[0] : 0;
    int64_t free_value = 0, total_value = 0, W = 0;
    uint32_t *idx = NULL;
    double t0 = hw__solve_now(), limit = hw__solve_time_limit(p);
    size_t n = 0, t;
    ptrdiff_t s;
    int stopped = 0;
    hw_i128 bound;
    hw_code rc = HW_OK;

    k.max_states = max_states ? max_states : HW_SOLVE_KNAP_STATES;
    r->method = "knapsack";
    v = malloc((p->nitems + 1) * sizeof *v);
    w = malloc((p->nitems + 1) * sizeof *w);
    idx = malloc((p->nitems + 1) * sizeof *idx);
    k.orig = malloc((p->nitems + 1) * sizeof *k.orig);
    k.cap_states = 1024;
    k.cur = malloc(k.cap_states * sizeof *k.cur);
    k.nxt = malloc(k.cap_states * sizeof *k.nxt);
    if (!v || !w || !idx || !k.orig || !k.cur || !k.nxt) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }

    /* The items the fund could pay: free ones are simply taken. */
    for (size_t i = 0; i < p->nitems; i++) {
        const hw_solve_item *it = &p->items[i];
        int64_t c = 0;

        for (uint32_t g = it->part0; g < it->part0 + it->nparts; g++)
            c += p->parts[g].cost_cents;
        if (c > k.B || (cap > 0 && c > cap))
            continue;
        if (c == 0) {
            r->chosen[i] = 1;
            free_value += it->value;
            continue;
        }
        k.orig[n] = (uint32_t)i;
        v[n] = it->value;
        w[n] = c;
        total_value += it->value;
        n++;
    }
    if ((rc = hw__solve_order(n, v, w, idx, e)))
        goto out;
    if (!(k.it = malloc((n + 1) * sizeof *k.it))) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < n; j++) {
        k.it[j] = (kitem){w[idx[j]], v[idx[j]]};
        idx[j] = k.orig[idx[j]];
    }
    memcpy(k.orig, idx, n * sizeof *idx);
    k.n = n;

    /* The break item and the greedy fill, the first lower bound. */
    for (k.b = 0; k.b < n && W + k.it[k.b].w <= k.B; k.b++) {
        W += k.it[k.b].w;
        k.Vb += k.it[k.b].v;
    }
    k.Wb = W;
    k.best = k.Vb;
    for (size_t j = k.b; j < n; j++) {
        if (W + k.it[j].w <= k.B) {
            W += k.it[j].w;
            k.best += k.it[j].v;
        }
    }
    r->greedy = k.best + free_value;
    if (k.b == n) {
        if (lp_bound)
            *lp_bound = k.Vb + free_value;
        goto done; /* everything fits */
    }
    if (lp_bound)
        *lp_bound =
            k.Vb + (int64_t)((hw_i128)(k.B - k.Wb) * k.it[k.b].v / k.it[k.b].w) + free_value;

    /* Expand the core from the break item both ways until no state is left. */
    k.cur[0] = (state){k.Wb, k.Vb, NIL};
    k.ncur = 1;
    t = next_add(&k, k.b);
    s = next_rem(&k, (ptrdiff_t)k.b - 1);
    if (hopeless(&k, k.Wb, k.Vb, t, s))
        k.ncur = 0;
    for (unsigned long steps = 0; k.ncur > 0 && (t < n || s >= 0); steps++) {
        if (k.ncur > k.max_states ||
            ((steps % 16 == 0 || k.ncur > 4096) && hw__solve_now() - t0 > limit)) {
            stopped = 1;
            break;
        }
        if (t < n) {
            size_t tn = next_add(&k, t + 1);

            if ((rc = step(&k, t, tn, s, e)))
                goto out;
            t = tn;
        }
        if (k.ncur > 0 && s >= 0) {
            ptrdiff_t sn = next_rem(&k, s - 1);

            if ((rc = step(&k, (size_t)s, t, sn, e)))
                goto out;
            s = sn;
        }
    }

done:
    /* The plan: the fill up to b, changed along the best state's chain. */
    for (size_t j = 0; j < k.b; j++)
        r->chosen[k.orig[j]] = 1;
    if (k.best_fill) {
        W = k.Wb;
        for (size_t j = k.b; j < n; j++) {
            if (W + k.it[j].w <= k.B) {
                W += k.it[j].w;
                r->chosen[k.orig[j]] = 1;
            }
        }
    } else {
        for (uint32_t x = k.best_node; x != NIL; x = k.nodes[x].parent)
            r->chosen[k.orig[k.nodes[x].item]] = k.nodes[x].item >= k.b;
    }
    for (size_t i = 0; i < p->nitems; i++) {
        if (!r->chosen[i])
            continue;
        for (uint32_t g = p->items[i].part0; g < p->items[i].part0 + p->items[i].nparts; g++)
            r->part_fund[g] = 0;
    }
    r->objective = k.best + free_value;
    /* Stopped early: no plan beats the best bound of a live state. */
    bound = k.best;
    if (stopped) {
        for (size_t i = 0; i < k.ncur; i++) {
            hw_i128 x = state_bound(&k, &k.cur[i], t, s);

            if (x > bound)
                bound = x;
        }
        if (bound > total_value)
            bound = total_value;
    }
    r->bound = (int64_t)bound + free_value;
    r->optimal = r->bound == r->objective;
    r->nodes = k.examined;
out:
    free(v);
    free(w);
    free(idx);
    free(k.orig);
    free(k.it);
    free(k.nodes);
    free(k.remap);
    free(k.cur);
    free(k.nxt);
    return rc;
}
