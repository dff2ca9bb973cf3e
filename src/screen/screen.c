/* SPDX-License-Identifier: MIT */
/*
 * Screening: the store hands over one person at a time with their records;
 * each record becomes the object a rule sees (its fields, the person, the
 * records it links to, and a few derived facts such as balances), is judged
 * by every rule for its kind, and each determination in scope is reported
 * and stored.  The derived facts are listed in docs/rule-packs.md.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "homeward/date.h"
#include "homeward/screen.h"
#include "homeward/text.h"
#include "rules/rules_int.h"
#include "core/banned.h"

/* Build an object member by member in an arena. */
typedef struct objb {
    const char **keys;
    uint32_t *klens;
    lval *vals;
    uint32_t n, cap;
} objb;

static bool ob_init(objb *b, uint32_t cap, hw_arena *a)
{
    b->n = 0;
    b->cap = cap;
    b->keys = hw_arena_alloc(a, cap * sizeof(*b->keys));
    b->klens = hw_arena_alloc(a, cap * sizeof(*b->klens));
    b->vals = hw_arena_alloc(a, cap * sizeof(*b->vals));
    return b->keys && b->klens && b->vals;
}

static void ob_put_n(objb *b, const char *key, uint32_t klen, lval v)
{
    if (b->n == b->cap)
        return;
    b->keys[b->n] = key;
    b->klens[b->n] = klen;
    b->vals[b->n++] = v;
}

static void ob_put(objb *b, const char *key, lval v)
{
    ob_put_n(b, key, (uint32_t)strlen(key), v);
}

static bool ob_done(objb *b, hw_arena *a, lval *out)
{
    lobj *o = hw_arena_alloc(a, sizeof(*o));

    if (!o)
        return false;
    *o = (lobj){.n = b->n, .keys = b->keys, .klens = b->klens, .vals = b->vals};
    *out = (lval){.t = LV_OBJ, .u.obj = o};
    return true;
}

/* One field's value as a rule sees it: numbers, booleans, text; a set is an array. */
static bool field_lval(const hw_field *f, const hw_value *v, hw_arena *a, lval *out)
{
    if (v->null) {
        *out = LV_MAKE_NULL;
        return true;
    }
    switch (f->type) {
    case HW_T_ID:
    case HW_T_REF:
    case HW_T_INT:
    case HW_T_CENTS:
        *out = hw__lv_num((double)v->i);
        return true;
    case HW_T_BOOL:
        *out = hw__lv_bool(v->i != 0);
        return true;
    case HW_T_SET: {
        uint32_t n = 1, k = 0;
        lval *items;
        const char *p = v->s, *end = v->s + v->n;

        for (size_t i = 0; i < v->n; i++)
            n += v->s[i] == ';';
        items = hw_arena_alloc(a, n * sizeof(*items));
        if (!items)
            return false;
        while (p < end) {
            const char *q = memchr(p, ';', (size_t)(end - p));

            if (!q)
                q = end;
            if (q > p)
                items[k++] = hw__lv_str(p, (size_t)(q - p));
            p = q + 1;
        }
        *out = (lval){.t = LV_ARR, .n = k, .u.items = items};
        return true;
    }
    default:
        *out = hw__lv_str(v->s ? v->s : "", v->n);
        return true;
    }
}

/*
 * A row of kind k as an object with room for `extra` derived members: the
 * fields in `want` (bit i for field i), as those are all the rules read.
 */
static bool row_obj(hw_kind k, const hw_value *row, uint64_t want, uint32_t extra, hw_arena *a,
                    objb *b)
{
    static uint32_t klen[HW_K_COUNT][64];
    const hw_kind_desc *d = hw_vocab_kind(k);
    uint32_t n = 0;

    for (size_t i = 0; i < d->nfields && i < 64; i++)
        n += (uint32_t)((want >> i) & 1);
    if (!ob_init(b, n + extra, a))
        return false;
    for (size_t i = 0; i < d->nfields && i < 64; i++) {
        lval v;

        if (!((want >> i) & 1))
            continue;
        if (!klen[k][i]) /* a benign race: every thread writes the same length */
            klen[k][i] = (uint32_t)strlen(d->fields[i].name);
        if (!field_lval(&d->fields[i], &row[i], a, &v))
            return false;
        ob_put_n(b, d->fields[i].name, klen[k][i], v);
    }
    return true;
}

static int field_at(hw_kind k, const char *name)
{
    return hw_vocab_field_index(k, name, strlen(name));
}

static const hw_value *row_at(const hw_person_records *pr, hw_kind k, size_t i)
{
    return pr->rows[k] + i * hw_vocab_kind(k)->nfields;
}

/* The row of kind k with this id among the person's, or -1. */
static long find_row(const hw_person_records *pr, hw_kind k, const hw_value *id)
{
    if (id->null)
        return -1;
    for (size_t i = 0; i < pr->n[k]; i++)
        if (row_at(pr, k, i)[0].i == id->i)
            return (long)i;
    return -1;
}

/* Everything judged for one person: the objects, built once, shared by all rules. */
typedef struct person_ctx {
    const hw_person_records *pr;
    lval person;
    lval *objs[HW_K_COUNT]; /* per row of the kinds rules judge or link to */
} person_ctx;

struct shared;
struct batch;

/* One worker's state; --facts uses one without threads or a store. */
typedef struct screen {
    const hw_ruleset *rs;
    const hw_screen_opts *o;
    hw_store *store; /* the worker's own read handle */
    hw_people_scan spec;
    struct shared *sh;
    struct batch *out; /* determinations not yet queued */
    pthread_t th;
    hw_arena a, scratch, fixed;  /* per person, per judgement, per screening */
    size_t *by_kind[HW_K_COUNT]; /* indexes of the rules judging each kind */
    size_t nby_kind[HW_K_COUNT];
    lval *params; /* per rule, as of the screening */
    uint64_t (*by_rule)[HW_NEEDS_REVIEW + 2];
    uint64_t people, judged;
    hw_code rc;
    hw_err *e, err;
    /* field indexes, found once */
    int conv_class, sent_conv, sup_sent, obl_kind, obl_conv, viol_sup, viol_type, viol_date,
        sent_imposed;
} screen;

/* The fields of kind k the rules read (every field when the plan says 0). */
static uint64_t want(const screen *sc, hw_kind k)
{
    return sc->spec.fields[k] ? sc->spec.fields[k] | 1u : ~0ull; /* the id, always */
}

static bool build_person(screen *sc, person_ctx *pc)
{
    const hw_person_records *pr = pc->pr;
    int64_t owed = 0, restitution = 0, felonies = 0;
    objb b;

    for (size_t i = 0; i < pr->n[HW_K_OBLIGATIONS]; i++) {
        const hw_value *row = row_at(pr, HW_K_OBLIGATIONS, i);

        owed += pr->balance_cents[i];
        if (row[sc->obl_kind].s && strcmp(row[sc->obl_kind].s, "restitution") == 0)
            restitution += pr->balance_cents[i];
    }
    for (size_t i = 0; i < pr->n[HW_K_CONVICTIONS]; i++) {
        const hw_value *c = &row_at(pr, HW_K_CONVICTIONS, i)[sc->conv_class];

        felonies += c->s && strcmp(c->s, "felony") == 0;
    }
    if (!row_obj(HW_K_PEOPLE, pr->person, want(sc, HW_K_PEOPLE), 4, &sc->a, &b))
        return false;
    ob_put(&b, "balance_cents", hw__lv_num((double)owed));
    ob_put(&b, "restitution_balance_cents", hw__lv_num((double)restitution));
    ob_put(&b, "conviction_count", hw__lv_num((double)pr->n[HW_K_CONVICTIONS]));
    ob_put(&b, "felony_count", hw__lv_num((double)felonies));
    return ob_done(&b, &sc->a, &pc->person);
}

/* The latest violation of a supervision term, and counts by type. */
static void violations_of(screen *sc, const hw_person_records *pr, int64_t sup_id, objb *b)
{
    uint64_t all = 0, technical = 0, new_offense = 0;
    const hw_value *last = NULL;

    for (size_t i = 0; i < pr->n[HW_K_VIOLATIONS]; i++) {
        const hw_value *v = row_at(pr, HW_K_VIOLATIONS, i);

        if (v[sc->viol_sup].null || v[sc->viol_sup].i != sup_id)
            continue;
        all++;
        technical += v[sc->viol_type].s && v[sc->viol_type].s[0] == 't';
        new_offense += v[sc->viol_type].s && v[sc->viol_type].s[0] == 'n';
        if (!last || v[sc->viol_date].i > last->i)
            last = &v[sc->viol_date];
    }
    ob_put(b, "violation_count", hw__lv_num((double)all));
    ob_put(b, "technical_violation_count", hw__lv_num((double)technical));
    ob_put(b, "new_offense_count", hw__lv_num((double)new_offense));
    ob_put(b, "last_violation_date", last ? hw__lv_str(last->s, last->n) : LV_MAKE_NULL);
}

/* Room for the objects of every row of the kinds rules see; each is built when first used. */
static bool build_rows(screen *sc, person_ctx *pc)
{
    for (int k = HW_K_CONVICTIONS; k <= HW_K_OBLIGATIONS; k++) {
        size_t n = pc->pr->n[k];

        pc->objs[k] = hw_arena_alloc(&sc->a, (n ? n : 1) * sizeof(lval));
        if (!pc->objs[k])
            return false;
        for (size_t i = 0; i < n; i++)
            pc->objs[k][i] = LV_MAKE_UNDEF;
    }
    return true;
}

/* Row i of kind k as a rule sees it, with its derived facts. */
static bool row_lval(screen *sc, person_ctx *pc, hw_kind k, size_t i, lval *out)
{
    const hw_person_records *pr = pc->pr;
    const hw_value *row = row_at(pr, k, i);
    objb b;

    if (pc->objs[k][i].t != LV_UNDEF) {
        *out = pc->objs[k][i];
        return true;
    }
    if (!row_obj(k, row, want(sc, k), 4, &sc->a, &b))
        return false;
    if (k == HW_K_OBLIGATIONS)
        ob_put(&b, "balance_cents", hw__lv_num((double)pr->balance_cents[i]));
    else if (k == HW_K_SUPERVISION)
        violations_of(sc, pr, row[0].i, &b);
    if (!ob_done(&b, &sc->a, &pc->objs[k][i]))
        return false;
    *out = pc->objs[k][i];
    return true;
}

/* The latest sentence imposed for a conviction, or -1. */
static long sentence_for(screen *sc, const hw_person_records *pr, int64_t conv_id)
{
    long best = -1;

    for (size_t i = 0; i < pr->n[HW_K_SENTENCES]; i++) {
        const hw_value *s = row_at(pr, HW_K_SENTENCES, i);

        if (s[sc->sent_conv].i != conv_id)
            continue;
        if (best < 0 ||
            s[sc->sent_imposed].i >= row_at(pr, HW_K_SENTENCES, (size_t)best)[sc->sent_imposed].i)
            best = (long)i;
    }
    return best;
}

/* The input a rule sees for row i of kind k: the row, the person, linked records. */
static bool build_input(screen *sc, person_ctx *pc, hw_kind k, size_t i, lval *out)
{
    const hw_person_records *pr = pc->pr;
    const char *name = hw_vocab_kind(k)->singular;
    long sent = -1, conv = -1;
    lval v;
    objb b;

    if (!ob_init(&b, 4, &sc->a))
        return false;
    ob_put(&b, "person", pc->person);
    if (k == HW_K_PEOPLE)
        return ob_done(&b, &sc->a, out);
    if (!row_lval(sc, pc, k, i, &v))
        return false;
    ob_put(&b, name, v);
    switch (k) {
    case HW_K_CONVICTIONS:
        sent = sentence_for(sc, pr, row_at(pr, k, i)[0].i);
        break;
    case HW_K_SENTENCES:
        conv = find_row(pr, HW_K_CONVICTIONS, &row_at(pr, k, i)[sc->sent_conv]);
        break;
    case HW_K_SUPERVISION:
        sent = find_row(pr, HW_K_SENTENCES, &row_at(pr, k, i)[sc->sup_sent]);
        if (sent >= 0)
            conv = find_row(pr, HW_K_CONVICTIONS,
                            &row_at(pr, HW_K_SENTENCES, (size_t)sent)[sc->sent_conv]);
        break;
    case HW_K_OBLIGATIONS:
        conv = find_row(pr, HW_K_CONVICTIONS, &row_at(pr, k, i)[sc->obl_conv]);
        break;
    default:
        break;
    }
    if (sent >= 0) {
        if (!row_lval(sc, pc, HW_K_SENTENCES, (size_t)sent, &v))
            return false;
        ob_put(&b, "sentence", v);
    }
    if (conv >= 0) {
        if (!row_lval(sc, pc, HW_K_CONVICTIONS, (size_t)conv, &v))
            return false;
        ob_put(&b, "conviction", v);
    }
    return ob_done(&b, &sc->a, out);
}

/* "pay the $412.00 balance; eligible on 2027-03-01" */
static const char *left_line(const determination *d, hw_arena *a)
{
    hw_buf b = HW_BUF_INIT(0);
    const char *out;

    for (size_t i = 0; i < d->nleft; i++)
        hw_buf_printf(&b, NULL, "%s%s", i ? "; " : "", d->left[i].text);
    out = b.p ? hw_arena_strndup(a, b.p, b.n) : "";
    hw_buf_release(&b);
    return out ? out : "";
}

static int64_t id_of(lval top, const char *rec)
{
    lval v = hw__lv_get(hw__lv_get(top, rec), "id");

    return v.t == LV_NUM ? (int64_t)v.u.num : 0;
}

/* A determination waiting for the writer; strings are owned. */
typedef struct pending {
    hw_determination_row row;
    char date[11];
    char *reasons, *left;
} pending;

#define BATCH 512
#define MAX_QUEUED 16

typedef struct batch {
    struct batch *next;
    size_t n;
    pending p[BATCH];
} batch;

/* Workers judge; the calling thread alone writes, as SQLite wants one writer. */
typedef struct shared {
    pthread_mutex_t mu;
    pthread_cond_t more, room;
    batch *head, *tail;
    size_t queued;
    int running;     /* workers not yet finished */
    atomic_int stop; /* set on any failure or interruption */
    atomic_ullong done;
} shared;

static void free_batch(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->p[i].reasons);
        free(b->p[i].left);
    }
    free(b);
}

static hw_code flush(screen *sc)
{
    shared *sh = sc->sh;
    batch *b = sc->out;

    if (!b || b->n == 0)
        return HW_OK;
    sc->out = NULL;
    pthread_mutex_lock(&sh->mu);
    while (sh->queued >= MAX_QUEUED && !atomic_load(&sh->stop))
        pthread_cond_wait(&sh->room, &sh->mu);
    if (sh->tail)
        sh->tail->next = b;
    else
        sh->head = b;
    sh->tail = b;
    sh->queued++;
    pthread_cond_signal(&sh->more);
    pthread_mutex_unlock(&sh->mu);
    return HW_OK;
}

/* Queue a determination for storing, in its compact form (docs/rule-packs.md). */
static hw_code queue_row(screen *sc, const determination *d, int64_t pid, int64_t sid)
{
    hw_buf reasons = HW_BUF_INIT(0), left = HW_BUF_INIT(0);
    pending *p;

    if (!sc->out && !(sc->out = calloc(1, sizeof(batch))))
        return hw_fail(sc->e, HW_ENOMEM, NULL, "out of memory");
    if (!hw__determination_compact(d, &sc->scratch, &reasons) ||
        !hw__determination_left_json(d, &left) || hw_buf_putc(&reasons, '\0', NULL) ||
        hw_buf_putc(&left, '\0', NULL)) {
        hw_buf_release(&reasons);
        hw_buf_release(&left);
        return hw_fail(sc->e, HW_ENOMEM, NULL, "out of memory");
    }
    p = &sc->out->p[sc->out->n];
    p->reasons = reasons.p; /* the buffers' memory now belongs to the batch */
    p->left = left.p;
    memcpy(p->date, d->date, sizeof(p->date));
    p->row = (hw_determination_row){.rule = d->rule->id,
                                    .rule_version = d->rule->version,
                                    .kind = d->rule->kind,
                                    .subject_id = sid,
                                    .person_id = pid,
                                    .status = hw_status_name(d->status),
                                    .as_of = sc->o->as_of,
                                    .reasons = p->reasons,
                                    .left = p->left};
    sc->out->n++;
    return sc->out->n == BATCH ? flush(sc) : HW_OK;
}

/* Report, and queue for storing, one determination. */
static hw_code deliver(screen *sc, size_t rule_index, const determination *d, bool store)
{
    hw_screen_hit h;
    json_t *j;
    hw_code rc = HW_OK;
    int64_t pid, sid;

    store = store && !sc->o->dry_run;
    if (sc->by_rule)
        sc->by_rule[rule_index][d->in_scope ? d->status : HW_NEEDS_REVIEW + 1]++;
    if (!d->in_scope && sc->sh)
        return HW_OK;
    pid = id_of(d->top, "person");
    sid = id_of(d->top, d->rule->singular);
    if (store && (rc = queue_row(sc, d, pid, sid)))
        return rc;
    if (!sc->o->emit)
        return HW_OK;
    j = hw__determination_json(d, &sc->scratch);
    if (!j)
        return hw_fail(sc->e, HW_ENOMEM, NULL, "out of memory");
    h = (hw_screen_hit){.rule = d->rule,
                        .status = d->status,
                        .person_id = pid,
                        .subject_id = sid,
                        .date = d->status == HW_ELIGIBLE_ON ? d->date : NULL,
                        .summary = hw__determination_summary(d, &sc->scratch),
                        .left = left_line(d, &sc->scratch),
                        .json = j};
    if (sc->o->emit(sc->o->ud, &h))
        rc = hw_fail(sc->e, HW_ECANCELED, NULL, "stopped");
    json_decref(j);
    return rc;
}

static bool wanted(const screen *sc, const hw_rule *r)
{
    return !sc->o->only || strcmp(sc->o->only, r->id) == 0;
}

static int on_person(void *ud, const hw_person_records *pr)
{
    screen *sc = ud;
    person_ctx pc = {.pr = pr};

    if (atomic_load(&sc->sh->stop))
        return 1;
    hw_arena_reset(&sc->a);
    if (!build_person(sc, &pc) || !build_rows(sc, &pc))
        goto nomem;
    /* Each record's object is built once and judged by every rule of its kind. */
    for (int k = HW_K_PEOPLE; k <= HW_K_OBLIGATIONS; k++) {
        size_t n = k == HW_K_PEOPLE ? 1 : pr->n[k];

        if (!sc->nby_kind[k])
            continue;
        for (size_t i = 0; i < n; i++) {
            lval in, top, *params;

            if (!build_input(sc, &pc, (hw_kind)k, i, &in) ||
                !hw__rule_top(in, sc->o->as_of, LV_MAKE_NULL, &sc->a, &top, &params))
                goto nomem;
            for (size_t j = 0; j < sc->nby_kind[k]; j++) {
                size_t ri = sc->by_kind[k][j];
                const hw_rule *r = sc->rs->rules[ri];
                determination d;

                hw_arena_reset(&sc->scratch);
                *params = sc->params[ri];
                if ((sc->rc = hw__rule_judge_top(r, top, sc->o->as_of, &sc->scratch, &d, sc->e)) ||
                    (sc->rc = deliver(sc, ri, &d, true)))
                    return 1;
                sc->judged++;
            }
        }
    }
    sc->people++;
    atomic_fetch_add(&sc->sh->done, 1);
    return 0;
nomem:
    sc->rc = hw_fail(sc->e, HW_ENOMEM, NULL, "out of memory");
    return 1;
}

/* The rules each kind of record is judged by, and each rule's params as of the screening. */
static bool plan_rules(screen *sc)
{
    for (int k = 0; k < HW_K_COUNT; k++) {
        sc->by_kind[k] = hw_arena_alloc(&sc->fixed, (sc->rs->n + 1) * sizeof(size_t));
        if (!sc->by_kind[k])
            return false;
    }
    sc->params = hw_arena_alloc(&sc->fixed, (sc->rs->n + 1) * sizeof(lval));
    if (!sc->params)
        return false;
    for (size_t ri = 0; ri < sc->rs->n; ri++) {
        const hw_rule *r = sc->rs->rules[ri];

        if (!wanted(sc, r))
            continue;
        if (!hw__rule_params(r, sc->o->as_of, &sc->fixed, &sc->params[ri]))
            return false;
        sc->by_kind[r->kind][sc->nby_kind[r->kind]++] = ri;
    }
    return true;
}

static void *work(void *arg)
{
    screen *sc = arg;
    shared *sh = sc->sh;
    hw_code rc = hw_store_scan_people(sc->store, &sc->spec, on_person, sc, sc->e);

    if (rc == HW_ECANCELED && sc->rc)
        rc = sc->rc;
    if (rc == HW_ECANCELED && atomic_load(&sh->stop))
        rc = HW_OK; /* another thread failed or the user stopped: its error is reported */
    if (rc == HW_OK)
        rc = flush(sc);
    sc->rc = rc;
    if (rc)
        atomic_store(&sh->stop, 1);
    pthread_mutex_lock(&sh->mu);
    sh->running--;
    pthread_cond_broadcast(&sh->more);
    pthread_cond_broadcast(&sh->room);
    pthread_mutex_unlock(&sh->mu);
    return NULL;
}

void hw_screen_counts_release(hw_screen_counts *c)
{
    free(c->by_rule);
    c->by_rule = NULL;
}

static void find_fields(screen *sc)
{
    sc->conv_class = field_at(HW_K_CONVICTIONS, "offense_class");
    sc->sent_conv = field_at(HW_K_SENTENCES, "conviction_id");
    sc->sent_imposed = field_at(HW_K_SENTENCES, "imposed_date");
    sc->sup_sent = field_at(HW_K_SUPERVISION, "sentence_id");
    sc->obl_kind = field_at(HW_K_OBLIGATIONS, "kind");
    sc->obl_conv = field_at(HW_K_OBLIGATIONS, "conviction_id");
    sc->viol_sup = field_at(HW_K_VIOLATIONS, "supervision_id");
    sc->viol_type = field_at(HW_K_VIOLATIONS, "violation_type");
    sc->viol_date = field_at(HW_K_VIOLATIONS, "violation_date");
}

/* Mark the field a path like "conviction.offense_date" reads, and the kinds it needs. */
static void mark_path(hw_people_scan *spec, const char *path)
{
    static const struct {
        const char *path;
        unsigned kinds;
    } derived[] = {
        {"person.balance_cents", 1u << HW_K_OBLIGATIONS},
        {"person.restitution_balance_cents", 1u << HW_K_OBLIGATIONS},
        {"person.conviction_count", 1u << HW_K_CONVICTIONS},
        {"person.felony_count", 1u << HW_K_CONVICTIONS},
        {"supervision.violation_count", 1u << HW_K_VIOLATIONS},
        {"supervision.technical_violation_count", 1u << HW_K_VIOLATIONS},
        {"supervision.new_offense_count", 1u << HW_K_VIOLATIONS},
        {"supervision.last_violation_date", 1u << HW_K_VIOLATIONS},
    };

    for (size_t i = 0; i < sizeof(derived) / sizeof(derived[0]); i++)
        if (strcmp(path, derived[i].path) == 0)
            spec->kinds |= derived[i].kinds;
    {
        const char *dot = strchr(path, '.');
        char root[16];
        size_t n = dot ? (size_t)(dot - path) : strlen(path);
        hw_kind k;
        const char *f;
        int at;

        if (n >= sizeof(root))
            return;
        memcpy(root, path, n);
        root[n] = '\0';
        if (!hw__rule_kind(root, &k))
            return;
        if (k != HW_K_PEOPLE)
            spec->kinds |= 1u << k;
        if (!dot) { /* the whole record */
            spec->fields[k] = ~0ull;
            return;
        }
        f = dot + 1;
        dot = strchr(f, '.');
        at = hw_vocab_field_index(k, f, dot ? (size_t)(dot - f) : strlen(f));
        if (at >= 0 && at < 64)
            spec->fields[k] |= 1ull << at;
    }
}

/*
 * Read only what the rules read (and what the screening itself links and
 * derives by): most columns of a record, and for most rules most tables,
 * decide nothing.
 */
static void plan_fields(const screen *sc, hw_people_scan *spec)
{
    static const struct {
        hw_kind k;
        const char *f;
    } always[] = {
        {HW_K_PEOPLE, "id"},
        {HW_K_CONVICTIONS, "offense_class"},
        {HW_K_SENTENCES, "conviction_id"},
        {HW_K_SENTENCES, "imposed_date"},
        {HW_K_SUPERVISION, "sentence_id"},
        {HW_K_OBLIGATIONS, "kind"},
        {HW_K_OBLIGATIONS, "conviction_id"},
        {HW_K_VIOLATIONS, "supervision_id"},
        {HW_K_VIOLATIONS, "violation_type"},
        {HW_K_VIOLATIONS, "violation_date"},
    };

    spec->kinds = 0;
    for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
        spec->fields[always[i].k] |= 1ull << field_at(always[i].k, always[i].f);
    for (size_t ri = 0; ri < sc->rs->n; ri++) {
        const hw_rule *r = sc->rs->rules[ri];

        if (!wanted(sc, r))
            continue;
        if (r->kind != HW_K_PEOPLE)
            spec->kinds |= 1u << r->kind;
        if (r->reads_all) {
            for (int k = 0; k < HW_K_COUNT; k++)
                spec->fields[k] = ~0ull;
            spec->kinds = ~0u;
            break;
        }
        for (size_t c = 0; c < r->nclauses; c++) {
            for (size_t v = 0; v < r->clauses[c].nvars; v++)
                mark_path(spec, r->clauses[c].vars[v].path);
            for (size_t v = 0; v < r->clauses[c].nneeds; v++)
                mark_path(spec, r->clauses[c].needs[v].path);
        }
    }
    /* Links: a conviction is found through its sentence, a sentence through its conviction. */
    if (spec->kinds & ((1u << HW_K_CONVICTIONS) | (1u << HW_K_SUPERVISION)))
        spec->kinds |= 1u << HW_K_SENTENCES;
    if (spec->kinds & (1u << HW_K_SENTENCES))
        spec->kinds |= 1u << HW_K_CONVICTIONS;
    spec->kinds &= ~((1u << HW_K_PEOPLE) | (1u << HW_K_ORGANISATIONS) | (1u << HW_K_LEDGER) |
                     (1u << HW_K_APPOINTMENTS) | (1u << HW_K_CUSTODY_EVENTS));
}

static void screen_release(screen *sc)
{
    hw_arena_release(&sc->a);
    hw_arena_release(&sc->scratch);
    hw_arena_release(&sc->fixed);
    if (sc->out)
        free_batch(sc->out);
    free(sc->by_rule);
}

/* Write what the workers queue until they are all done; false once writing failed. */
static hw_code drain(hw_store *s, shared *sh, const hw_screen_opts *o, uint64_t total,
                     uint64_t *stored, hw_err *e)
{
    hw_code rc = HW_OK;

    for (;;) {
        batch *b;

        pthread_mutex_lock(&sh->mu);
        while (!sh->head && sh->running > 0) {
            struct timespec t;

            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_nsec += 200000000;
            if (t.tv_nsec >= 1000000000) {
                t.tv_sec++;
                t.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&sh->more, &sh->mu, &t);
            if (!sh->head)
                break;
        }
        b = sh->head;
        if (b) {
            sh->head = b->next;
            if (!sh->head)
                sh->tail = NULL;
            sh->queued--;
            pthread_cond_signal(&sh->room);
        }
        bool finished = !b && sh->running == 0;
        pthread_mutex_unlock(&sh->mu);
        if (o->progress && o->progress(o->progress_ud, atomic_load(&sh->done), total) &&
            !atomic_load(&sh->stop)) {
            atomic_store(&sh->stop, 1);
            if (rc == HW_OK)
                rc = hw_fail(e, HW_ECANCELED, NULL, "interrupted: nothing was stored");
        }
        if (b) {
            for (size_t i = 0; i < b->n && rc == HW_OK; i++) {
                pending *p = &b->p[i];

                p->row.date = p->date[0] ? p->date : NULL;
                if ((rc = hw_store_determination_put(s, &p->row, e)) != HW_OK) {
                    atomic_store(&sh->stop, 1);
                    pthread_mutex_lock(&sh->mu);
                    pthread_cond_broadcast(&sh->room);
                    pthread_mutex_unlock(&sh->mu);
                } else {
                    (*stored)++;
                }
            }
            free_batch(b);
        }
        if (finished)
            return rc;
    }
}

hw_code hw_screen_store(hw_store *s, const hw_ruleset *rs, const hw_screen_opts *o,
                        hw_screen_counts *out, hw_err *e)
{
    screen w[2];
    shared sh;
    hw_balances *bal = NULL;
    hw_people_scan spec = {0};
    int32_t day;
    int64_t people = 0, split = 0;
    /* Output in order needs one worker; counting alone uses both cores. */
    int nw = o->emit ? 1 : 2, started = 0;
    hw_code rc;

    memset(out, 0, sizeof(*out));
    memset(w, 0, sizeof(w));
    if (!o->as_of || strlen(o->as_of) != 10 || hw_date_parse(o->as_of, 10, &day, e))
        return hw_fail(e, HW_EINVAL, "as_of", "screening needs an as-of date YYYY-MM-DD");
    if (o->only && !hw_ruleset_find(rs, o->only))
        return hw_fail(e, HW_ENOTFOUND, NULL, "no rule '%s' among the %zu loaded", o->only, rs->n);
    out->nrules = rs->n;
    out->by_rule = calloc(rs->n ? rs->n : 1, sizeof(*out->by_rule));
    if (!out->by_rule)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if (o->person_id) {
        int64_t owner;

        if ((rc = hw_store_owner(s, HW_K_PEOPLE, o->person_id, &owner, e)))
            goto out;
        people = 1;
    } else if ((rc = hw_store_count(s, HW_K_PEOPLE, &people, e))) {
        goto out;
    }
    if (people < 1000 || o->person_id)
        nw = 1;
    if (nw > 1 && (rc = hw_store_person_id_at(s, people / 2, &split, e)))
        goto out;
    {
        screen plan = {.rs = rs, .o = o};

        plan_fields(&plan, &spec);
    }
    if ((spec.kinds & (1u << HW_K_OBLIGATIONS)) &&
        (rc = hw_store_balances(s, o->person_id, &bal, e)))
        goto out;
    spec.balances = bal;

    memset(&sh, 0, sizeof(sh));
    pthread_mutex_init(&sh.mu, NULL);
    pthread_cond_init(&sh.more, NULL);
    pthread_cond_init(&sh.room, NULL);
    rc = o->dry_run ? HW_OK : hw_store_begin(s, 0, e);
    /* Every rule screened again: the old determinations all go, those of rules no longer shipped
     * too. */
    if (rc == HW_OK && !o->dry_run)
        rc = hw_store_determinations_clear(s, o->only, o->person_id, e);
    for (int i = 0; rc == HW_OK && i < nw; i++) {
        screen *sc = &w[i];

        sc->rs = rs;
        sc->o = o;
        sc->sh = &sh;
        sc->e = &sc->err;
        find_fields(sc);
        sc->spec = spec;
        if (o->person_id) {
            sc->spec.first_id = sc->spec.last_id = o->person_id;
        } else if (nw > 1) {
            sc->spec.first_id = i == 0 ? 0 : split;
            sc->spec.last_id = i == 0 ? split - 1 : 0;
        }
        hw_arena_init(&sc->a, 1 << 16, 0);
        hw_arena_init(&sc->scratch, 1 << 16, 256u << 20); /* per judgement */
        hw_arena_init(&sc->fixed, 1 << 12, 0);
        sc->by_rule = calloc(rs->n ? rs->n : 1, sizeof(*sc->by_rule));
        if (!sc->by_rule || !plan_rules(sc)) {
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            break;
        }
        /* Each worker reads through its own handle; the writer keeps `s`. */
        if ((rc = hw_store_open(hw_store_path(s), HW_STORE_READONLY, &sc->store, e)))
            break;
        sh.running++;
        if (pthread_create(&sc->th, NULL, work, sc) != 0) {
            sh.running--;
            rc = hw_fail(e, HW_ENOMEM, NULL, "cannot start a screening thread");
            break;
        }
        started++;
    }
    if (started) {
        hw_code wrc = drain(s, &sh, o, (uint64_t)people, &out->stored, e);

        for (int i = 0; i < started; i++)
            pthread_join(w[i].th, NULL);
        if (rc == HW_OK)
            rc = wrc;
        for (int i = 0; i < started && rc == HW_OK; i++)
            if (w[i].rc) {
                *e = w[i].err;
                rc = w[i].rc;
            }
    }
    for (int i = 0; i < nw; i++) {
        out->people += w[i].people;
        out->judged += w[i].judged;
        for (size_t r = 0; w[i].by_rule && r < rs->n; r++)
            for (int k = 0; k < HW_NEEDS_REVIEW + 2; k++)
                out->by_rule[r][k] += w[i].by_rule[r][k];
        hw_store_close(w[i].store);
        screen_release(&w[i]);
    }
    if (!o->dry_run) {
        if (rc == HW_OK)
            rc = hw_store_commit(s, e);
        else {
            hw_err ignore;

            hw_store_rollback(s, &ignore);
        }
    }
    while (sh.head) {
        batch *b = sh.head;

        sh.head = b->next;
        free_batch(b);
    }
    pthread_mutex_destroy(&sh.mu);
    pthread_cond_destroy(&sh.more);
    pthread_cond_destroy(&sh.room);
out:
    hw_balances_free(bal);
    if (rc)
        hw_screen_counts_release(out);
    return rc;
}

hw_code hw_screen_facts(const hw_ruleset *rs, const json_t *input, const hw_screen_opts *o,
                        hw_err *e)
{
    screen sc = {.rs = rs, .o = o, .e = e};
    const char *as_of = o->as_of;
    lval in;
    hw_code rc = HW_OK;
    int32_t day;
    bool any = false;

    if (!json_is_object(input))
        return hw_fail(e, HW_EINVAL, NULL,
                       "a line must be an object: person, the record under its kind's name "
                       "(conviction, sentence, supervision, obligation), as_of");
    if (!as_of) {
        const json_t *j = json_object_get(input, "as_of");

        if (!j)
            return hw_fail(e, HW_EINVAL, "as_of", "missing: give it in the line or with --as-of");
        as_of = json_string_value(j);
        if (!as_of || strlen(as_of) != 10 || hw_date_parse(as_of, 10, &day, NULL))
            return hw_fail(e, HW_EINVAL, "as_of", "as_of must be a date YYYY-MM-DD");
    }
    if (!json_is_object(json_object_get(input, "person")))
        return hw_fail(e, HW_EINVAL, "person", "'person' must be an object of the person's fields");
    hw_arena_init(&sc.a, 1 << 14, 0);
    hw_arena_init(&sc.scratch, 1 << 14, 256u << 20);
    if (!hw__lv_from_json(input, &sc.a, &in))
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    for (size_t ri = 0; rc == HW_OK && ri < rs->n; ri++) {
        const hw_rule *r = rs->rules[ri];
        determination d;

        if (!wanted(&sc, r) || !json_is_object(json_object_get(input, r->singular)))
            continue;
        any = true;
        hw_arena_reset(&sc.scratch);
        if ((rc = hw__rule_judge(r, in, as_of, &sc.scratch, &d, e)) == HW_OK)
            rc = deliver(&sc, ri, &d, false);
    }
    if (rc == HW_OK && !any)
        rc = hw_fail(e, HW_EINVAL, NULL,
                     o->only ? "the line has no record that rule '%s' judges"
                             : "the line has no record for any rule%s",
                     o->only ? o->only : "");
    hw_arena_release(&sc.a);
    hw_arena_release(&sc.scratch);
    return rc;
}
