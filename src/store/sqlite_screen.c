/* SPDX-License-Identifier: MIT */
/*
 * What screening reads and writes.  Reading is a merge: one cursor per kind,
 * each in person order through its person index, advanced together, so every
 * table is read once and a person's records arrive together without a query
 * per person.  Balances come from one pass over the ledger into a hash table
 * of obligation ids, because the ledger is the largest table and has no
 * person column.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/arena.h"
#include "homeward/buf.h"
#include "store/sqlite_int.h"
#include "core/banned.h"

/* Obligation id -> balance in cents: open addressing, linear probing. */
struct hw_balances {
    int64_t *ids, *cents;
    size_t mask, used;
};

static size_t slot(const hw_balances *b, int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 20) & b->mask;

    while (b->ids[i] && b->ids[i] != id)
        i = (i + 1) & b->mask;
    return i;
}

int64_t hw_balances_get(const hw_balances *b, int64_t obligation_id)
{
    size_t i;

    if (!b)
        return 0;
    i = slot(b, obligation_id);
    return b->ids[i] ? b->cents[i] : 0;
}

int64_t hw_balances_total(const hw_balances *b)
{
    int64_t sum = 0;

    for (size_t i = 0; b && i <= b->mask; i++)
        if (b->ids[i])
            sum += b->cents[i];
    return sum;
}

void hw_balances_free(hw_balances *b)
{
    if (!b)
        return;
    free(b->ids);
    free(b->cents);
    free(b);
}

static bool balances_init(hw_balances *b, int64_t n)
{
    size_t cap = 1024;

    /* At most three quarters full, so probes stay short. */
    while (cap < (size_t)n + (size_t)n / 3 + 1)
        cap *= 2;
    b->ids = calloc(cap, sizeof(*b->ids));
    b->cents = calloc(cap, sizeof(*b->cents));
    b->mask = cap - 1;
    b->used = 0;
    return b->ids && b->cents;
}

static bool balances_add(hw_balances *b, int64_t id, int64_t cents)
{
    size_t i = slot(b, id);

    if (!b->ids[i]) {
        if (b->used >= b->mask - b->mask / 4)
            return false;
        b->ids[i] = id;
        b->used++;
    }
    b->cents[i] += cents;
    return true;
}

/* One part of the ledger, rowids in [lo, hi], summed into b. */
typedef struct ledger_part {
    sqlite3 *db;
    int64_t lo, hi;
    hw_balances *b;
    hw_err *e;
    hw_code rc;
} ledger_part;

/* Add up the rows of st (obligation_id, kind, amount_cents) into p->b. */
static void sum_rows(ledger_part *p, sqlite3_stmt *st)
{
    int r;

    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t amount = sqlite3_column_int64(st, 2);
        const unsigned char *kind = sqlite3_column_text(st, 1);

        /* Payments and waivers are stored positive and reduce what is owed. */
        if (kind && (kind[0] == 'p' || kind[0] == 'w'))
            amount = -amount;
        if (!balances_add(p->b, sqlite3_column_int64(st, 0), amount)) {
            p->rc = hw_fail(p->e, HW_EBUG, NULL, "the ledger names more obligations than exist");
            return;
        }
    }
    if (r != SQLITE_DONE)
        p->rc = hw__sqlite_fail(p->db, "reading the ledger", p->e);
}

/* The rows p->lo..p->hi of the ledger; a thread of its own may run it. */
static void *sum_ledger(void *arg)
{
    ledger_part *p = arg;
    sqlite3_stmt *st = NULL;

    p->rc = HW_OK;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT obligation_id, kind, amount_cents FROM ledger "
                           "WHERE rowid BETWEEN ? AND ?",
                           -1, &st, NULL) != SQLITE_OK) {
        p->rc = hw__sqlite_fail(p->db, "reading the ledger", p->e);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, p->lo);
    sqlite3_bind_int64(st, 2, p->hi);
    sum_rows(p, st);
    sqlite3_finalize(st);
    return NULL;
}

/*
 * The ledger is the largest table: its two halves (by rowid) are summed on
 * two threads, each through its own connection, then merged.
 */
static hw_code load_balances(sq_store *s, hw_balances *b, hw_err *e)
{
    int64_t n = 0, lo = 0, hi = 0;
    hw_balances half = {0};
    hw_err e2;
    ledger_part a = {.db = s->db, .b = b, .e = e}, z = {.b = &half, .e = &e2};
    pthread_t th;
    bool two;
    hw_code rc;

    if ((rc = hw__sqlite_query_int(s->db, "SELECT count(*) FROM obligations", &n, e)) ||
        (rc = hw__sqlite_query_int(s->db, "SELECT ifnull(min(rowid), 0) FROM ledger", &lo, e)) ||
        (rc = hw__sqlite_query_int(s->db, "SELECT ifnull(max(rowid), 0) FROM ledger", &hi, e)))
        return rc;
    a.lo = lo;
    a.hi = z.hi = hi;
    z.lo = lo + (hi - lo) / 2 + 1;
    if (!balances_init(b, n))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory for %lld balances", (long long)n);
    two = hi - lo > 100000 && s->base.path &&
          sqlite3_open_v2(s->base.path, &z.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ==
              SQLITE_OK &&
          balances_init(&half, n);
    if (two && pthread_create(&th, NULL, sum_ledger, &z) != 0)
        two = false;
    if (two)
        a.hi = z.lo - 1;
    sum_ledger(&a);
    if (two) {
        pthread_join(th, NULL);
        if (z.rc && a.rc == HW_OK) {
            *e = e2;
            a.rc = z.rc;
        }
        for (size_t i = 0; a.rc == HW_OK && i <= half.mask; i++)
            if (half.ids[i] && !balances_add(b, half.ids[i], half.cents[i]))
                a.rc = hw_fail(e, HW_EBUG, NULL, "the ledger names more obligations than exist");
    }
    sqlite3_close(z.db);
    free(half.ids);
    free(half.cents);
    return a.rc;
}

/* One person's balances, through the ledger's obligation index. */
static hw_code load_person_balances(sq_store *s, int64_t person_id, hw_balances *b, hw_err *e)
{
    ledger_part p = {.db = s->db, .b = b, .e = e};
    sqlite3_stmt *st;

    if (!balances_init(b, 64))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    /* A person page asks for this every time: the statement is kept. */
    if ((p.rc = hw__sqlite_cached(s,
                                  "SELECT obligation_id, kind, amount_cents FROM ledger"
                                  " WHERE obligation_id IN"
                                  " (SELECT id FROM obligations WHERE person_id = ?)",
                                  &st, e)))
        return p.rc;
    sqlite3_bind_int64(st, 1, person_id);
    sum_rows(&p, st);
    hw__sqlite_done(st);
    return p.rc;
}

hw_code hw__sqlite_balances(hw_store *base, int64_t person_id, hw_balances **out, hw_err *e)
{
    hw_balances *b = calloc(1, sizeof(*b));
    hw_code rc;

    *out = NULL;
    if (!b)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    rc = person_id ? load_person_balances((sq_store *)base, person_id, b, e)
                   : load_balances((sq_store *)base, b, e);
    if (rc) {
        hw_balances_free(b);
        return rc;
    }
    *out = b;
    return HW_OK;
}

hw_code hw__sqlite_person_id_at(hw_store *base, int64_t offset, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    int r;

    if (sqlite3_prepare_v2(s->db, "SELECT id FROM people ORDER BY id LIMIT 1 OFFSET ?", -1, &st,
                           NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "reading people", e);
    sqlite3_bind_int64(st, 1, offset);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (r == SQLITE_ROW)
        return HW_OK;
    if (r == SQLITE_DONE)
        return hw_fail(e, HW_ENOTFOUND, NULL, "no person at offset %lld", (long long)offset);
    return hw__sqlite_fail(s->db, "reading people", e);
}

typedef struct cursor {
    hw_kind k;
    const hw_kind_desc *d;
    sqlite3_stmt *st;
    int owner;   /* column of person_id in the result */
    int col[64]; /* field i is result column col[i], or -1 when not read */
    bool row;    /* st holds a row not yet taken */
    size_t n, cap;
    hw_value *rows;
} cursor;

static int owner_column(const hw_kind_desc *d)
{
    for (size_t i = 0; i < d->nfields; i++)
        if (d->fields[i].flags & HW_F_OWNER)
            return (int)i;
    return 0;
}

static hw_code open_cursor(sq_store *s, cursor *c, hw_kind k, const hw_people_scan *spec, hw_err *e)
{
    hw_buf sql = HW_BUF_INIT(0);
    uint64_t want = spec->fields[k];
    int owner = k == HW_K_PEOPLE ? 0 : owner_column(hw_vocab_kind(k)), ncols = 0, r;
    const char *key;

    c->k = k;
    c->d = hw_vocab_kind(k);
    key = c->d->fields[owner].name;
    /* The id and the owner are always read: the merge needs them. */
    if (want)
        want |= 1u | (1ull << owner);
    for (size_t i = 0; i < c->d->nfields && i < 64; i++) {
        c->col[i] = -1;
        if (want && !(want & (1ull << i)))
            continue;
        c->col[i] = ncols;
        hw_buf_printf(&sql, NULL, "%s%s", ncols++ ? ", " : "SELECT ", c->d->fields[i].name);
    }
    c->owner = c->col[owner];
    hw_buf_printf(&sql, NULL, " FROM %s", c->d->table);
    if (spec->first_id && spec->last_id)
        hw_buf_printf(&sql, NULL, " WHERE %s BETWEEN %lld AND %lld", key, (long long)spec->first_id,
                      (long long)spec->last_id);
    else if (spec->first_id)
        hw_buf_printf(&sql, NULL, " WHERE %s >= %lld", key, (long long)spec->first_id);
    else if (spec->last_id)
        hw_buf_printf(&sql, NULL, " WHERE %s <= %lld", key, (long long)spec->last_id);
    hw_buf_printf(&sql, NULL, k == HW_K_PEOPLE ? " ORDER BY id" : " ORDER BY %s, id", key);
    if (!sql.p)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    r = sqlite3_prepare_v2(s->db, sql.p, -1, &c->st, NULL);
    hw_buf_release(&sql);
    if (r != SQLITE_OK)
        return hw__sqlite_fail(s->db, "reading", e);
    r = sqlite3_step(c->st);
    c->row = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return hw__sqlite_fail(s->db, "reading", e);
    return HW_OK;
}

/* Copy the cursor's current row into the arena, as row n of its batch. */
static hw_code take(cursor *c, hw_arena *a, hw_err *e)
{
    hw_value *row;

    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        hw_value *p = realloc(c->rows, cap * c->d->nfields * sizeof(*p));

        if (!p)
            return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        c->rows = p;
        c->cap = cap;
    }
    row = &c->rows[c->n * c->d->nfields];
    for (size_t i = 0; i < c->d->nfields; i++) {
        if (c->col[i] < 0) {
            row[i] = (hw_value){.null = true};
            continue;
        }
        hw__sqlite_read_value(c->st, c->col[i], &c->d->fields[i], &row[i]);
        if (row[i].s && !(row[i].s = hw_arena_strndup(a, row[i].s, row[i].n)))
            return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    c->n++;
    return HW_OK;
}

static hw_code advance(sq_store *s, cursor *c, hw_err *e)
{
    int r = sqlite3_step(c->st);

    c->row = r == SQLITE_ROW;
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return hw__sqlite_fail(s->db, "reading", e);
    return HW_OK;
}

hw_code hw__sqlite_scan_people(hw_store *base, const hw_people_scan *spec, hw_person_fn fn,
                               void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    cursor cur[HW_K_COUNT];
    int64_t *owed = NULL;
    size_t owed_cap = 0;
    hw_arena a;
    hw_code rc = HW_OK;

    memset(cur, 0, sizeof(cur));
    hw_arena_init(&a, 1 << 16, 0);
    for (int k = HW_K_PEOPLE; k < HW_K_COUNT && rc == HW_OK; k++)
        if (k == HW_K_PEOPLE || (spec->kinds & (1u << k)))
            rc = open_cursor(s, &cur[k], (hw_kind)k, spec, e);
    while (rc == HW_OK && cur[HW_K_PEOPLE].row) {
        hw_person_records pr;
        int64_t pid;

        hw_arena_reset(&a);
        memset(&pr, 0, sizeof(pr));
        for (int k = HW_K_PEOPLE; k < HW_K_COUNT; k++)
            cur[k].n = 0;
        if ((rc = take(&cur[HW_K_PEOPLE], &a, e)))
            break;
        pid = cur[HW_K_PEOPLE].rows[0].i;
        for (int k = HW_K_PEOPLE + 1; k < HW_K_COUNT && rc == HW_OK; k++) {
            cursor *c = &cur[k];

            if (!c->st)
                continue;
            /* Rows of people who come earlier cannot exist (foreign keys); skip them if they do. */
            while (rc == HW_OK && c->row && sqlite3_column_int64(c->st, c->owner) <= pid) {
                if (sqlite3_column_int64(c->st, c->owner) == pid)
                    rc = take(c, &a, e);
                if (rc == HW_OK)
                    rc = advance(s, c, e);
            }
            pr.rows[k] = c->rows;
            pr.n[k] = c->n;
        }
        if (rc)
            break;
        if (cur[HW_K_OBLIGATIONS].st) {
            size_t n = cur[HW_K_OBLIGATIONS].n, w = cur[HW_K_OBLIGATIONS].d->nfields;

            if (n > owed_cap) {
                int64_t *p = realloc(owed, (owed_cap = n * 2) * sizeof(*p));

                if (!p) {
                    rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
                    break;
                }
                owed = p;
            }
            for (size_t i = 0; i < n; i++)
                owed[i] = hw_balances_get(spec->balances, cur[HW_K_OBLIGATIONS].rows[i * w].i);
            pr.balance_cents = owed;
        }
        pr.person = cur[HW_K_PEOPLE].rows;
        if ((rc = advance(s, &cur[HW_K_PEOPLE], e)))
            break;
        if (fn(ud, &pr))
            rc = HW_ECANCELED;
    }
    for (int k = 0; k < HW_K_COUNT; k++) {
        sqlite3_finalize(cur[k].st);
        free(cur[k].rows);
    }
    free(owed);
    hw_arena_release(&a);
    return rc;
}

/* The indexes of 0003-determinations.sql, rebuilt after a whole rewrite. */
static const char det_index_person[] =
    "CREATE INDEX determinations_person ON determinations(person_id)";
static const char det_index_status[] =
    "CREATE INDEX determinations_status ON determinations(rule, status)";

hw_code hw__sqlite_det_clear(hw_store *base, const char *rule, int64_t person_id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    int r;

    if (!rule && !person_id) {
        hw_code rc;

        if (sqlite3_exec(s->db,
                         "DROP INDEX IF EXISTS determinations_person;"
                         "DROP INDEX IF EXISTS determinations_status;"
                         "DELETE FROM determinations;",
                         NULL, NULL, NULL) != SQLITE_OK)
            return hw__sqlite_fail(s->db, "clearing determinations", e);
        if ((rc = hw__sqlite_defer(s, det_index_person, e)) ||
            (rc = hw__sqlite_defer(s, det_index_status, e)))
            return rc;
        return HW_OK;
    }
    /* One statement per case, so each finds its rows through an index. */
    if (sqlite3_prepare_v2(s->db,
                           !person_id ? "DELETE FROM determinations WHERE rule = ?1"
                           : !rule    ? "DELETE FROM determinations WHERE person_id = ?2"
                                      : "DELETE FROM determinations WHERE person_id = ?2 AND "
                                        "rule = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "clearing determinations", e);
    if (rule)
        sqlite3_bind_text(st, 1, rule, -1, SQLITE_STATIC);
    if (person_id)
        sqlite3_bind_int64(st, 2, person_id);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(s->db, "clearing determinations", e);
}

hw_code hw__sqlite_det_put(hw_store *base, const hw_determination_row *d, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    int r;

    if (!s->det_put &&
        sqlite3_prepare_v3(s->db,
                           "INSERT OR REPLACE INTO determinations (rule, subject_kind, subject_id, "
                           "person_id, status, eligible_on, as_of, reasons, left_items, "
                           "rule_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->det_put, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "storing a determination", e);
    st = s->det_put;
    sqlite3_bind_text(st, 1, d->rule, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hw_vocab_kind(d->kind)->singular, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, d->subject_id);
    sqlite3_bind_int64(st, 4, d->person_id);
    sqlite3_bind_text(st, 5, d->status, -1, SQLITE_STATIC);
    if (d->date)
        sqlite3_bind_text(st, 6, d->date, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_text(st, 7, d->as_of, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, d->reasons, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, d->left, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, d->rule_version, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_reset(st);
    return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(s->db, "storing a determination", e);
}
