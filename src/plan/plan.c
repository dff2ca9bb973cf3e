/* SPDX-License-Identifier: MIT */
/*
 * Making a plan (docs/planner.md): who paying would free, from the stored
 * determinations and the supervision records; what each fund's restriction
 * admits; the optimal choice (solve.c); and a reason for every candidate.
 */
#include "core/common.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "funds/funds_int.h"
#include "homeward/date.h"
#include "homeward/logic.h"
#include "homeward/text.h"
#include "plan/solve.h"
#include "store/store_funds.h"
#include "core/banned.h"

/* Weighted impact, in points (docs/planner.md, "Weighted impact"). */
enum {
    W_FREED = 12,       /* supervision ends: a year's worth of points on its own */
    W_MONTH = 1,        /* each month of supervision avoided, up to W_MONTHS_CAP */
    W_MONTHS_CAP = 60,  /* a term longer than five years counts as five */
    W_HELD_MONTHS = 12, /* held past the term's end only for the balance: counted as a year */
    W_PARENT = 6,       /* a parent of a minor child */
    W_VIOLATION = 2,    /* each technical violation already on record (risk of another), up to 5 */
    W_CONDITIONS = 1,   /* the financial conditions are met: one cause of violation gone */
};

const char *hw_outcome_name(hw_outcome o)
{
    static const char *const names[] = {"discharge", "discharge_on", "conditions_met"};

    return names[o];
}

/* Obligation kinds as bits, by their place in the vocabulary: fine, fee, cost, restitution. */
static unsigned kind_bit(const hw_value *v)
{
    static const hw_field *f;

    if (!f)
        f = &hw_vocab_kind(HW_K_OBLIGATIONS)
                 ->fields[hw_vocab_field_index(HW_K_OBLIGATIONS, "kind", 4)];
    for (unsigned k = 0; f->values[k]; k++)
        if (strlen(f->values[k]) == v->n && memcmp(f->values[k], v->s, v->n) == 0)
            return 1u << k;
    return 0;
}

#define RESTITUTION_BIT (1u << 3)
#define FINES_FEES_BITS (RESTITUTION_BIT - 1)

/* What a rule's determination says of one person. */
typedef struct person_note {
    int64_t person_id;
    const hw_rule *rule;
    int waiver;         /* a waiver rule found them (or one obligation) eligible */
    int64_t obligation; /* a waiver of this obligation; 0: every obligation of the kinds */
    char date[11];      /* a pay rule's waiting date, "" when none */
    char *pay_text;     /* the rule's "pay the $X restitution balance" */
} person_note;

typedef struct notes {
    person_note *v;
    size_t n, cap;
    const hw_ruleset *rules;
    hw_code rc;
    hw_err *e;
} notes;

static int note_cmp(const void *a, const void *b)
{
    const person_note *x = a, *y = b;

    return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

/* A pay rule's ineligible determination frees the person when all that is left is pay (and wait).
 */
static int take_det(void *ud, const hw_det_seen *d)
{
    notes *ns = ud;
    const hw_rule *r = hw_ruleset_find(ns->rules, d->rule);
    person_note pn = {.person_id = d->person_id, .rule = r};

    if (!r)
        return 0;
    if (hw_rule_waives(r)) {
        if (strcmp(d->status, "eligible") != 0)
            return 0;
        pn.waiver = 1;
        pn.obligation = strcmp(d->subject_kind, "obligation") == 0 ? d->subject_id : 0;
    } else {
        json_t *left = json_loads(d->left_items ? d->left_items : "[]", 0, NULL);
        size_t i;
        json_t *it;
        int pay = 0, other = 0;

        if (strcmp(d->status, "ineligible") != 0 || !json_is_array(left)) {
            json_decref(left);
            return 0;
        }
        json_array_foreach(left, i, it)
        {
            const char *k = json_string_value(json_object_get(it, "kind"));

            if (k && strcmp(k, "pay") == 0) {
                pay = 1;
                free(pn.pay_text);
                pn.pay_text = strdup(json_string_value(json_object_get(it, "text"))
                                         ? json_string_value(json_object_get(it, "text"))
                                         : "pay the balance");
            } else if (k && strcmp(k, "wait") == 0 &&
                       json_string_value(json_object_get(it, "date"))) {
                snprintf(pn.date, sizeof pn.date, "%s",
                         json_string_value(json_object_get(it, "date")));
            } else {
                other = 1;
            }
        }
        json_decref(left);
        if (!pay || other) {
            free(pn.pay_text);
            return 0;
        }
    }
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? ns->cap * 2 : 1024;
        person_note *m = realloc(ns->v, cap * sizeof *m);

        if (!m) {
            free(pn.pay_text);
            ns->rc = hw_fail(ns->e, HW_ENOMEM, NULL, "out of memory");
            return 1;
        }
        ns->v = m;
        ns->cap = cap;
    }
    ns->v[ns->n++] = pn;
    return 0;
}

static void notes_free(notes *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i].pay_text);
    free(ns->v);
}

/* The notes of one person: [*first, *first + count). */
static size_t notes_of(const notes *ns, int64_t person_id, size_t *first)
{
    size_t lo = 0, hi = ns->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (ns->v[mid].person_id < person_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    while (hi < ns->n && ns->v[hi].person_id == person_id)
        hi++;
    return hi - lo;
}

/* One fund as the planner uses it. */
typedef struct pfund {
    hw_fund f;
    hw_logic *restrict_logic;
    bool reads_obligation; /* else its answer is the same for all of a person's obligations */
} pfund;

/* What the restrictions read, so a record's JSON holds only that (docs/funds.md). */
typedef struct reads {
    uint64_t person, obligation; /* field masks */
    bool derived;                /* any person.* fact the planner adds */
    bool obligation_balance;
} reads;

/* One fund's restriction as it is compiled, and what all of them read. */
typedef struct reading {
    pfund *f;
    reads *rd;
} reading;

static void note_path(void *ud, const char *path)
{
    pfund *f = ((reading *)ud)->f;
    reads *rd = ((reading *)ud)->rd;
    const char *dot = strchr(path, '.');
    size_t n = dot ? (size_t)(dot - path) : strlen(path);
    int i;

    if (n == 6 && memcmp(path, "person", 6) == 0) {
        if (!dot) {
            rd->person = ~0ull;
            rd->derived = true;
        } else if ((i = hw_vocab_field_index(HW_K_PEOPLE, dot + 1, strlen(dot + 1))) >= 0) {
            rd->person |= 1ull << i;
        } else {
            rd->derived = true;
        }
        return;
    }
    f->reads_obligation = true;
    if (n == 10 && memcmp(path, "obligation", 10) == 0 && dot) {
        if ((i = hw_vocab_field_index(HW_K_OBLIGATIONS, dot + 1, strlen(dot + 1))) >= 0)
            rd->obligation |= 1ull << i;
        else
            rd->obligation_balance = true;
        return;
    }
    /* The whole object, or a path computed at run time: everything. */
    rd->person = rd->obligation = ~0ull;
    rd->derived = rd->obligation_balance = true;
}

typedef struct builder {
    hw_plan *p;
    const hw_plan_opts *o;
    pfund *funds;
    reads rd;
    notes *ns;
    int32_t as_of;
    hw_arena scratch;
    /* the solver's problem, built as candidates are found */
    hw_solve_item *items;
    hw_solve_part *parts;
    size_t *item_cand; /* item -> candidate */
    size_t nitems, nparts, cap_items, cap_item_cand, cap_parts, cap_cand;
    uint64_t *pay_mask; /* per candidate payment: the funds that admit it */
    size_t npay_mask, cap_pay_mask;
    hw_code rc;
    hw_err *e;
} builder;

static const hw_value *field(const hw_value *row, hw_kind k, const char *name)
{
    int i = hw_vocab_field_index(k, name, strlen(name));

    return &row[i];
}

static bool text_is(const hw_value *v, const char *s)
{
    return !v->null && v->n == strlen(s) && memcmp(v->s, s, v->n) == 0;
}

static bool set_has(const hw_value *v, const char *s)
{
    size_t n = strlen(s);

    if (v->null)
        return false;
    for (const char *at = v->s, *end = v->s + v->n; at < end;) {
        const char *semi = memchr(at, ';', (size_t)(end - at));
        size_t len = (size_t)((semi ? semi : end) - at);

        if (len == n && memcmp(at, s, n) == 0)
            return true;
        at += len + 1;
    }
    return false;
}

/* A record as the JSON a restriction reads: the fields of `mask` (bit i: field i). */
static json_t *row_json(hw_kind k, const hw_value *row, uint64_t mask)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    json_t *o = json_object();

    for (size_t i = 0; o && i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        const hw_value *v = &row[i];
        json_t *j;

        if (i < 64 && !(mask >> i & 1))
            continue;
        if (v->null) {
            j = json_null();
        } else if (f->type == HW_T_BOOL) {
            j = json_boolean(v->i);
        } else if (hw_vocab_int_type(f->type)) {
            j = json_integer(v->i);
        } else if (f->type == HW_T_SET) {
            j = json_array();
            for (const char *at = v->s, *end = v->s + v->n; j && at < end;) {
                const char *semi = memchr(at, ';', (size_t)(end - at));
                size_t len = (size_t)((semi ? semi : end) - at);

                json_array_append_new(j, json_stringn(at, len));
                at += len + 1;
            }
        } else {
            j = json_stringn(v->s, v->n);
        }
        json_object_set_new(o, f->name, j);
    }
    return o;
}

static bool truthy(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_NULL:
    case JSON_FALSE:
        return false;
    case JSON_TRUE:
        return true;
    case JSON_INTEGER:
        return json_integer_value(j) != 0;
    case JSON_REAL:
        return json_real_value(j) != 0.0;
    case JSON_STRING:
        return json_string_length(j) != 0;
    case JSON_ARRAY:
        return json_array_size(j) != 0;
    default:
        return true;
    }
}

static char *money(hw_arena *a, int64_t cents)
{
    char out[32];

    hw_cents_format(cents, out, sizeof out);
    return hw_arena_strndup(a, out, strlen(out));
}

static char *fmt(hw_arena *a, const char *f, ...) HW_PRINTF(2, 3);
static char *fmt(hw_arena *a, const char *f, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, f);
    vsnprintf(buf, sizeof buf, f, ap);
    va_end(ap);
    return hw_arena_strndup(a, buf, strlen(buf));
}

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 1024;

    while (c < need)
        c *= 2;
    void *m = realloc(*v, c * size);

    if (!m)
        return false;
    *v = m;
    *cap = c;
    return true;
}

static const char *person_word(const hw_value *person, int parent)
{
    const hw_value *sex = field(person, HW_K_PEOPLE, "sex");

    if (parent)
        return text_is(sex, "female") ? "a mother" : text_is(sex, "male") ? "a father" : "a parent";
    return "a person";
}

static const char *term_word(const hw_value *sup)
{
    const hw_value *t = field(sup, HW_K_SUPERVISION, "supervision_type");

    return text_is(t, "parole")               ? "parole"
           : text_is(t, "supervised_release") ? "supervised release"
                                              : "probation";
}

/* The person as restrictions see them: the fields they read, and the planner's facts. */
static json_t *restriction_input(const builder *b, const hw_person_records *pr,
                                 const hw_value *person, const hw_value *sup)
{
    json_t *pj = json_object(), *pobj = row_json(HW_K_PEOPLE, person, b->rd.person);

    if (!pj || !pobj) {
        json_decref(pj);
        json_decref(pobj);
        return NULL;
    }
    if (b->rd.derived) {
        int64_t owed = 0, rest = 0;
        const hw_value *type = field(sup, HW_K_SUPERVISION, "supervision_type");
        const hw_value *juris = field(sup, HW_K_SUPERVISION, "jurisdiction");

        for (size_t i = 0; i < pr->n[HW_K_OBLIGATIONS]; i++) {
            const hw_value *ob =
                pr->rows[HW_K_OBLIGATIONS] + i * hw_vocab_kind(HW_K_OBLIGATIONS)->nfields;

            owed += pr->balance_cents[i];
            if (kind_bit(field(ob, HW_K_OBLIGATIONS, "kind")) == RESTITUTION_BIT)
                rest += pr->balance_cents[i];
        }
        json_object_set_new(pobj, "balance_cents", json_integer(owed));
        json_object_set_new(pobj, "restitution_balance_cents", json_integer(rest));
        json_object_set_new(pobj, "supervision_type", json_stringn(type->s, type->n));
        json_object_set_new(pobj, "supervision_jurisdiction", json_stringn(juris->s, juris->n));
    }
    json_object_set_new(pj, "person", pobj);
    return pj;
}

/* The obligation as restrictions see it, set on the input. */
static void set_obligation(const builder *b, const hw_person_records *pr, int64_t id, json_t *pj)
{
    for (size_t i = 0; i < pr->n[HW_K_OBLIGATIONS]; i++) {
        const hw_value *ob =
            pr->rows[HW_K_OBLIGATIONS] + i * hw_vocab_kind(HW_K_OBLIGATIONS)->nfields;
        json_t *oj;

        if (field(ob, HW_K_OBLIGATIONS, "id")->i != id)
            continue;
        oj = row_json(HW_K_OBLIGATIONS, ob, b->rd.obligation);
        if (b->rd.obligation_balance)
            json_object_set_new(oj, "balance_cents", json_integer(pr->balance_cents[i]));
        json_object_set_new(pj, "obligation", oj);
        return;
    }
}

/* Find what paying would achieve for one person, and make them a candidate. */
static int take_person(void *ud, const hw_person_records *pr)
{
    builder *b = ud;
    hw_plan *p = b->p;
    const hw_value *person = pr->person;
    const hw_value *sup = NULL;
    size_t first, nn;
    const person_note *payrule = NULL;
    unsigned pays = 0, waived_kinds = 0;
    int parent, tech = 0;
    hw_plan_candidate c = {0};
    int32_t end_day = 0;

    if (field(person, HW_K_PEOPLE, "organisation_id")->i != p->organisation_id)
        return 0;
    /* The active term that ends last. */
    for (size_t i = 0; i < pr->n[HW_K_SUPERVISION]; i++) {
        const hw_value *row =
            pr->rows[HW_K_SUPERVISION] + i * hw_vocab_kind(HW_K_SUPERVISION)->nfields;
        const hw_value *end = field(row, HW_K_SUPERVISION, "scheduled_end_date");

        if (!text_is(field(row, HW_K_SUPERVISION, "status"), "active"))
            continue;
        if (!sup || (!end->null && (int32_t)end->i > end_day)) {
            sup = row;
            end_day = end->null ? 0 : (int32_t)end->i;
        }
    }
    if (!sup)
        return 0;
    nn = notes_of(b->ns, field(person, HW_K_PEOPLE, "id")->i, &first);
    for (size_t i = first; i < first + nn; i++) {
        const person_note *pn = &b->ns->v[i];

        if (pn->waiver && !pn->obligation)
            waived_kinds |= hw_rule_waives(pn->rule);
        else if (!pn->waiver && !payrule)
            payrule = pn;
    }
    const hw_value *conds = field(sup, HW_K_SUPERVISION, "conditions");

    if (payrule) {
        pays = hw_rule_pays(payrule->rule);
        c.outcome = payrule->date[0] ? HW_OUTCOME_DISCHARGE_ON : HW_OUTCOME_DISCHARGE;
        c.date = payrule->date[0] ? hw_arena_strndup(&p->arena, payrule->date, 10) : NULL;
        c.because = fmt(&p->arena, "%s: %s", hw_rule_title(payrule->rule), payrule->pay_text);
    } else {
        if (set_has(conds, "pay_restitution"))
            pays |= RESTITUTION_BIT;
        if (set_has(conds, "pay_fines_fees"))
            pays |= FINES_FEES_BITS;
        if (!pays)
            return 0;
        if (end_day && end_day < b->as_of) {
            char d[11];

            hw_date_format(end_day, d);
            c.outcome = HW_OUTCOME_DISCHARGE;
            c.because = fmt(&p->arena,
                            "the %s term ended on %s; it goes on only for the unpaid "
                            "balance",
                            term_word(sup), d);
        } else {
            c.outcome = HW_OUTCOME_CONDITIONS_MET;
            c.because = fmt(&p->arena, "meets the financial conditions of %s", term_word(sup));
        }
    }
    /* The obligations to pay, less what a waiver covers. */
    int64_t waste_cents = 0;
    const char *waiver_title = NULL;
    size_t nob = pr->n[HW_K_OBLIGATIONS];

    c.pay = hw_arena_alloc(&p->arena, (nob ? nob : 1) * sizeof *c.pay);
    if (!c.pay) {
        b->rc = hw_fail(b->e, HW_ENOMEM, NULL, "out of memory");
        return 1;
    }
    for (size_t i = 0; i < nob; i++) {
        const hw_value *ob =
            pr->rows[HW_K_OBLIGATIONS] + i * hw_vocab_kind(HW_K_OBLIGATIONS)->nfields;
        const hw_value *kind = field(ob, HW_K_OBLIGATIONS, "kind");
        unsigned bit = kind_bit(kind);
        int64_t owed = pr->balance_cents[i];
        int64_t oid = field(ob, HW_K_OBLIGATIONS, "id")->i;
        bool waived = (waived_kinds & bit) != 0;

        if (owed <= 0 || !(pays & bit))
            continue;
        for (size_t k = first; !waived && k < first + nn; k++)
            if (b->ns->v[k].waiver && b->ns->v[k].obligation == oid) {
                waived = true;
                waiver_title = hw_rule_title(b->ns->v[k].rule);
            }
        if (waived) {
            for (size_t k = first; !waiver_title && k < first + nn; k++)
                if (b->ns->v[k].waiver)
                    waiver_title = hw_rule_title(b->ns->v[k].rule);
            waste_cents += owed;
            continue;
        }
        const hw_value *payee = field(ob, HW_K_OBLIGATIONS, "payee");

        c.pay[c.npay++] = (hw_plan_payment){
            .obligation_id = oid,
            .amount_cents = owed,
            .kind = hw_arena_strndup(&p->arena, kind->s, kind->n),
            .payee = payee->null ? "(no payee recorded)"
                                 : hw_arena_strndup(&p->arena, payee->s, payee->n),
        };
        c.cost_cents += owed;
    }
    if (!c.npay && !waste_cents)
        return 0;
    c.person_id = field(person, HW_K_PEOPLE, "id")->i;
    for (size_t i = 0; i < nob; i++)
        c.owed_cents += pr->balance_cents[i];
    parent = field(person, HW_K_PEOPLE, "parent_of_minor")->i &&
             !field(person, HW_K_PEOPLE, "parent_of_minor")->null;
    c.parent_of_minor = parent;
    for (size_t i = 0; i < pr->n[HW_K_VIOLATIONS]; i++) {
        const hw_value *v = pr->rows[HW_K_VIOLATIONS] + i * hw_vocab_kind(HW_K_VIOLATIONS)->nfields;

        if (text_is(field(v, HW_K_VIOLATIONS, "violation_type"), "technical"))
            tech++;
    }
    c.technical_violations = tech;
    if (c.outcome != HW_OUTCOME_CONDITIONS_MET) {
        int32_t from = c.date ? 0 : b->as_of;

        if (c.date)
            hw_date_parse(c.date, 10, &from, NULL);
        c.months = end_day > from ? hw_date_months_between(from, end_day) : W_HELD_MONTHS;
        if (c.months > W_MONTHS_CAP)
            c.months = W_MONTHS_CAP;
    }
    if (b->o->objective == HW_OBJECTIVE_PEOPLE) {
        c.value = c.outcome == HW_OUTCOME_CONDITIONS_MET ? 0 : 1;
    } else {
        c.value =
            c.outcome == HW_OUTCOME_CONDITIONS_MET ? W_CONDITIONS : W_FREED + W_MONTH * c.months;
        c.value += parent ? W_PARENT : 0;
        c.value += W_VIOLATION * (tech < 5 ? tech : 5);
    }
    if (c.outcome == HW_OUTCOME_DISCHARGE && !payrule)
        c.because = fmt(&p->arena, "frees %s held on %s: %s", person_word(person, parent),
                        term_word(sup), c.because);
    else if (c.outcome != HW_OUTCOME_CONDITIONS_MET)
        c.because = fmt(&p->arena, "frees %s %s%s, %s before the %s would otherwise end; %s",
                        person_word(person, parent), c.date ? "on " : "now", c.date ? c.date : "",
                        c.months == 0   ? "less than a month"
                        : c.months == 1 ? "1 month"
                                        : fmt(&p->arena, "%d months", c.months),
                        term_word(sup), c.because);
    else
        c.because = fmt(&p->arena, "%s; %s%s%s%s", c.because, person_word(person, parent),
                        tech ? " with " : "", tech ? fmt(&p->arena, "%d", tech) : "",
                        tech ? (tech == 1 ? " technical violation on record"
                                          : " technical violations on record")
                             : "");
    if (waste_cents && !c.npay) {
        c.waste = 1;
        c.reason = fmt(&p->arena,
                       "not chosen: paying would be waste: %s of it qualifies for a waiver (%s); "
                       "ask the court to waive it",
                       money(&p->arena, waste_cents), waiver_title ? waiver_title : "waiver");
        c.cost_cents = waste_cents;
    } else if (waste_cents) {
        c.because = fmt(&p->arena, "%s; %s more qualifies for a waiver (%s), not paid", c.because,
                        money(&p->arena, waste_cents), waiver_title ? waiver_title : "waiver");
    }

    /* Which funds admit each obligation; obligations admitted by the same funds make one part. */
    json_t *pj = NULL;
    uint64_t all = (p->nfunds >= 64) ? ~0ull : ((1ull << p->nfunds) - 1), person_ok = 0,
             person_known = 0;
    size_t part0 = b->nparts, m_start = b->npay_mask;

    for (size_t j = 0; j < c.npay && !c.waste; j++) {
        uint64_t mask = 0;

        for (size_t f = 0; f < p->nfunds; f++) {
            const pfund *pf = &b->funds[f];
            json_t *out = NULL;

            if (!pf->restrict_logic) {
                mask |= 1ull << f;
                continue;
            }
            if (!pf->reads_obligation && (person_known >> f & 1)) {
                mask |= person_ok & (1ull << f);
                continue;
            }
            if (!pj && !(pj = restriction_input(b, pr, person, sup))) {
                b->rc = hw_fail(b->e, HW_ENOMEM, NULL, "out of memory");
                return 1;
            }
            if (pf->reads_obligation && !json_object_get(pj, "obligation"))
                set_obligation(b, pr, c.pay[j].obligation_id, pj);
            hw_arena_reset(&b->scratch);
            if (hw_logic_eval_json(pf->restrict_logic, pj, &b->scratch, &out, NULL) == HW_OK &&
                truthy(out)) {
                mask |= 1ull << f;
                person_ok |= 1ull << f;
            }
            person_known |= 1ull << f;
            json_decref(out);
        }
        if (pj)
            json_object_del(pj, "obligation");
        mask &= all;
        if (!mask) {
            /* A fund must be able to pay every obligation that stands in the way. */
            json_decref(pj);
            b->npay_mask = m_start;
            return 0;
        }
        if (!grow((void **)&b->pay_mask, &b->cap_pay_mask, b->npay_mask + 1, sizeof *b->pay_mask)) {
            json_decref(pj);
            b->rc = hw_fail(b->e, HW_ENOMEM, NULL, "out of memory");
            return 1;
        }
        b->pay_mask[b->npay_mask++] = mask;
    }
    json_decref(pj);

    /* Group the payments into parts by their fund masks. */
    if (!c.waste && c.value > 0) {
        size_t m0 = b->npay_mask - c.npay;

        for (size_t j = 0; j < c.npay; j++) {
            uint64_t mask = b->pay_mask[m0 + j];
            size_t k = part0;

            while (k < b->nparts && b->parts[k].funds != mask)
                k++;
            if (k == b->nparts) {
                if (!grow((void **)&b->parts, &b->cap_parts, b->nparts + 1, sizeof *b->parts)) {
                    b->rc = hw_fail(b->e, HW_ENOMEM, NULL, "out of memory");
                    return 1;
                }
                b->parts[b->nparts++] = (hw_solve_part){.cost_cents = 0, .funds = mask};
            }
            b->parts[k].cost_cents += c.pay[j].amount_cents;
        }
        if (!grow((void **)&b->items, &b->cap_items, b->nitems + 1, sizeof *b->items) ||
            !grow((void **)&b->item_cand, &b->cap_item_cand, b->nitems + 1, sizeof *b->item_cand)) {
            b->rc = hw_fail(b->e, HW_ENOMEM, NULL, "out of memory");
            return 1;
        }
        b->items[b->nitems] = (hw_solve_item){
            .value = c.value, .part0 = (uint32_t)part0, .nparts = (uint32_t)(b->nparts - part0)};
        b->item_cand[b->nitems++] = p->ncand;
    } else if (!c.waste) {
        c.reason = "not counted: paying meets the financial conditions, but supervision goes on; "
                   "the weighted objective counts it";
    }
    if (!grow((void **)&p->cand, &b->cap_cand, p->ncand + 1, sizeof *p->cand)) {
        b->rc = hw_fail(b->e, HW_ENOMEM, NULL, "out of memory");
        return 1;
    }
    p->cand[p->ncand++] = c;
    if (c.waste)
        p->nwaste++;
    return 0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* How many chosen people the cheapest chosen costs could pay for with `cents`. */
static int64_t frees_instead(const int64_t *prefix, size_t n, int64_t cents)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (prefix[mid] <= cents)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int64_t)lo;
}

static void give_reasons(builder *b)
{
    hw_plan *p = b->p;
    int64_t *costs = malloc((p->ncand + 1) * sizeof *costs);
    size_t nchosen = 0;
    int64_t most_budget = 0;

    for (size_t f = 0; f < p->nfunds; f++)
        if (p->funds[f].budget_cents > most_budget)
            most_budget = p->funds[f].budget_cents;
    for (size_t i = 0; costs && i < p->ncand; i++)
        if (p->cand[i].chosen)
            costs[nchosen++] = p->cand[i].cost_cents;
    if (costs) {
        qsort(costs, nchosen, sizeof *costs, cmp_i64);
        for (size_t i = 1; i < nchosen; i++)
            costs[i] += costs[i - 1];
    }
    for (size_t i = 0; i < p->ncand; i++) {
        hw_plan_candidate *c = &p->cand[i];
        const char *cost = money(&p->arena, c->cost_cents);

        if (c->chosen) {
            c->reason = fmt(&p->arena, "balance %s %s", cost, c->because);
        } else if (!c->reason) {
            int64_t n = costs ? frees_instead(costs, nchosen, c->cost_cents) : 0;

            if (c->cost_cents > most_budget)
                c->reason = fmt(&p->arena, "not chosen: %s is more than any fund holds (%s): %s",
                                cost, money(&p->arena, most_budget), c->because);
            else if (n > 1)
                c->reason = fmt(&p->arena,
                                "not chosen: %s would %s one person; the same money pays for %lld "
                                "of the people chosen (%s)",
                                cost, c->outcome == HW_OUTCOME_CONDITIONS_MET ? "help" : "free",
                                (long long)n, c->because);
            else
                c->reason = fmt(&p->arena,
                                "not chosen: %s (value %lld) does not fit what is left of the "
                                "budget after better uses (%s)",
                                cost, (long long)c->value, c->because);
        }
    }
    free(costs);
}

static hw_code load_funds(hw_store *s, const hw_plan_opts *o, hw_plan *p, pfund *funds, reads *rd,
                          hw_err *e)
{
    hw_code rc;

    for (size_t i = 0; i < o->nfunds; i++) {
        for (size_t j = 0; j < i; j++)
            if (o->fund_ids[j] == o->fund_ids[i])
                return hw_fail(e, HW_EINVAL, "fund", "fund %lld is named twice",
                               (long long)o->fund_ids[i]);
        if ((rc = hw_fund_get(s, o->fund_ids[i], &p->arena, &funds[i].f, e)))
            return rc;
        if (i && funds[i].f.organisation_id != funds[0].f.organisation_id)
            return hw_fail(e, HW_EINVAL, "fund",
                           "fund %lld belongs to organisation %lld and fund %lld to %lld: a plan "
                           "pays one organisation's people",
                           (long long)funds[0].f.id, (long long)funds[0].f.organisation_id,
                           (long long)funds[i].f.id, (long long)funds[i].f.organisation_id);
        reading r = {.f = &funds[i], .rd = rd};

        if ((rc = hw__restriction_compile(funds[i].f.restriction, &funds[i].restrict_logic,
                                          note_path, &r, e))) {
            char why[sizeof e->msg];

            snprintf(why, sizeof why, "%s", e ? e->msg : "");
            return hw_fail(e, rc, "restrict", "fund %lld: %s", (long long)funds[i].f.id, why);
        }
        p->funds[i] = (hw_plan_fund){
            .id = funds[i].f.id, .name = funds[i].f.name, .budget_cents = funds[i].f.balance_cents};
        p->budget_cents += funds[i].f.balance_cents;
    }
    p->organisation_id = funds[0].f.organisation_id;
    return HW_OK;
}

hw_code hw_plan_make(hw_store *s, const hw_plan_opts *o, hw_plan **out, hw_err *e)
{
    hw_plan *p;
    builder b = {.o = o, .e = e};
    notes ns = {.rules = o->rules, .e = e};
    hw_balances *bal = NULL;
    hw_solve_result r = {0};
    int64_t *caps = NULL, *budgets = NULL;
    hw_code rc;

    *out = NULL;
    if (o->nfunds < 1 || o->nfunds > HW_SOLVE_MAX_FUNDS)
        return hw_fail(e, HW_EINVAL, "fund", "a plan needs 1 to %d funds, not %zu",
                       HW_SOLVE_MAX_FUNDS, o->nfunds);
    if (!(p = calloc(1, sizeof *p)))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    hw_arena_init(&p->arena, 1 << 20, 0);
    hw_arena_init(&b.scratch, 0, 0);
    p->objective = o->objective;
    p->nfunds = o->nfunds;
    b.p = p;
    b.ns = &ns;
    b.funds = calloc(o->nfunds, sizeof *b.funds);
    p->funds = hw_arena_alloc(&p->arena, o->nfunds * sizeof *p->funds);
    caps = calloc(o->nfunds, sizeof *caps);
    budgets = calloc(o->nfunds, sizeof *budgets);
    if (!b.funds || !p->funds || !caps || !budgets) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if ((rc = load_funds(s, o, p, b.funds, &b.rd, e)))
        goto out;

    /* The date: as asked, else the last screening's, else today. */
    {
        char d[11] = "";

        if (o->as_of)
            snprintf(d, sizeof d, "%s", o->as_of);
        else if ((rc = hw__sqlite_screen_as_of(s, d, e)))
            goto out;
        if (!d[0])
            hw_date_format(hw_date_today(), d);
        if (hw_date_parse(d, strlen(d), &b.as_of, e)) {
            rc = hw_fail(e, HW_EINVAL, "as_of", "not a date: '%s'", d);
            goto out;
        }
        p->as_of = hw_arena_strndup(&p->arena, d, strlen(d));
    }

    /* What the determinations say: pay rules and waivers. */
    if (o->rules) {
        const char **ids = calloc(hw_ruleset_count(o->rules) + 1, sizeof *ids);
        size_t nids = 0;

        if (!ids) {
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < hw_ruleset_count(o->rules); i++) {
            const hw_rule *rl = hw_ruleset_at(o->rules, i);

            if (hw_rule_waives(rl) || hw_rule_pays(rl))
                ids[nids++] = hw_rule_id(rl);
        }
        rc = hw__sqlite_det_scan(s, ids, nids, take_det, &ns, e);
        free(ids);
        if (rc == HW_ECANCELED)
            rc = ns.rc;
        if (rc)
            goto out;
        qsort(ns.v, ns.n, sizeof *ns.v, note_cmp);
    }

    /* Everyone with an active term, their obligations, balances and violations. */
    if ((rc = hw_store_balances(s, 0, &bal, e)))
        goto out;
    {
        hw_people_scan spec = {
            .kinds = 1u << HW_K_SUPERVISION | 1u << HW_K_OBLIGATIONS | 1u << HW_K_VIOLATIONS,
            .balances = bal,
        };
        /* Only the fields used are read: half the time at 1M people. */
        {
            static const char *const want[][8] = {
                [HW_K_PEOPLE] = {"id", "organisation_id", "sex", "parent_of_minor"},
                [HW_K_SUPERVISION] = {"id", "person_id", "status", "scheduled_end_date",
                                      "conditions", "supervision_type", "jurisdiction"},
                [HW_K_OBLIGATIONS] = {"id", "person_id", "kind", "payee"},
                [HW_K_VIOLATIONS] = {"id", "person_id", "violation_type"},
            };
            static const hw_kind kinds[] = {HW_K_PEOPLE, HW_K_SUPERVISION, HW_K_OBLIGATIONS,
                                            HW_K_VIOLATIONS};

            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
                for (size_t i = 0; i < 8 && want[kinds[k]][i]; i++)
                    spec.fields[kinds[k]] |= 1ull
                                             << hw_vocab_field_index(kinds[k], want[kinds[k]][i],
                                                                     strlen(want[kinds[k]][i]));
            spec.fields[HW_K_PEOPLE] |= b.rd.person;
            spec.fields[HW_K_OBLIGATIONS] |= b.rd.obligation;
        }

        rc = hw_store_scan_people(s, &spec, take_person, &b, e);
        if (rc == HW_ECANCELED)
            rc = b.rc;
        if (rc)
            goto out;
    }

    /* Solve. */
    for (size_t f = 0; f < o->nfunds; f++) {
        budgets[f] = p->funds[f].budget_cents;
        caps[f] = b.funds[f].f.per_person_cap_cents;
    }
    {
        hw_solve_problem sp = {
            .nitems = b.nitems,
            .items = b.items,
            .nparts = b.nparts,
            .parts = b.parts,
            .nfunds = o->nfunds,
            .budget_cents = budgets,
            .cap_cents = caps,
            .time_limit_s = o->time_limit_s,
            .gap = o->gap,
        };

        if ((rc = hw__solve(&sp, &r, e)))
            goto out;
    }
    p->method = r.method;
    p->optimal = r.optimal;
    p->objective_value = r.objective;
    p->bound = r.bound;
    p->greedy_value = r.greedy;
    p->solve_seconds = r.seconds;
    p->nodes = r.nodes;

    /* Assign the chosen parts' funds to their payments. */
    {
        size_t m = 0; /* index into pay_mask, in candidate order */

        for (size_t i = 0, it = 0; i < p->ncand; i++) {
            hw_plan_candidate *c = &p->cand[i];
            const hw_solve_item *item = NULL;

            if (it < b.nitems && b.item_cand[it] == i)
                item = &b.items[it++];
            if (item && r.chosen[it - 1]) {
                c->chosen = 1;
                for (size_t j = 0; j < c->npay; j++) {
                    uint64_t mask = b.pay_mask[m + j];

                    for (uint32_t k = item->part0; k < item->part0 + item->nparts; k++)
                        if (b.parts[k].funds == mask && r.part_fund[k] != HW_SOLVE_NO_FUND) {
                            c->pay[j].fund_id = p->funds[r.part_fund[k]].id;
                            p->funds[r.part_fund[k]].spent_cents += c->pay[j].amount_cents;
                        }
                }
                p->spent_cents += c->cost_cents;
                if (c->outcome != HW_OUTCOME_CONDITIONS_MET) {
                    p->people_freed++;
                    p->months_avoided += c->months;
                }
            }
            for (size_t f = 0; f < p->nfunds; f++)
                for (size_t j = 0; j < c->npay; j++)
                    if (b.pay_mask[m + j] >> f & 1) {
                        p->funds[f].admitted++;
                        break;
                    }
            m += c->npay;
        }
    }
    give_reasons(&b);
    *out = p;
    p = NULL;
out:
    hw__solve_free(&r);
    for (size_t f = 0; b.funds && f < o->nfunds; f++)
        hw_logic_free(b.funds[f].restrict_logic);
    free(b.funds);
    free(b.items);
    free(b.item_cand);
    free(b.parts);
    free(b.pay_mask);
    free(caps);
    free(budgets);
    hw_balances_free(bal);
    notes_free(&ns);
    hw_arena_release(&b.scratch);
    hw_plan_free(p);
    return rc;
}

void hw_plan_free(hw_plan *p)
{
    if (!p)
        return;
    free(p->cand);
    hw_arena_release(&p->arena);
    free(p);
}

hw_code hw_plan_save(hw_store *s, hw_plan *p, hw_err *e)
{
    for (size_t i = 0; i < p->ncand; i++)
        for (size_t j = 0; p->cand[i].chosen && j < p->cand[i].npay; j++)
            if (!p->cand[i].pay[j].fund_id)
                return hw_fail(e, HW_EBUG, NULL, "obligation %lld is chosen with no fund",
                               (long long)p->cand[i].pay[j].obligation_id);
    return hw__sqlite_plan_save(s, p, &p->id, e);
}
