/* SPDX-License-Identifier: MIT */
/*
 * The audit log (audit.h): entries appended in a write transaction, hash-
 * chained with a key from outside the database.  The table is reached
 * without the ops table, as the funds tables are: SQLite is its only backend.
 *
 * An entry's hash is keyed BLAKE2b-256 over a domain string, the previous
 * entry's hash, and each field in table order, integers as 8 bytes big-
 * endian and texts as a presence byte, a 4-byte length and the bytes: an
 * encoding with one reading, so no two entries hash alike by moving bytes
 * from one field to the next.
 */
#include "core/common.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "homeward/audit.h"
#include "homeward/keys.h"
#include "store/sqlite_int.h"
#include "core/banned.h"

enum { HASH = 32, MAX_WORD = 32, MAX_ADDRESS = 64, MAX_DETAIL = 200, AT_LEN = 24 };

static const char zero_hash[HW_AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static bool word(const char *s, const char *extra)
{
    size_t n = strlen(s);

    if (n == 0 || n > MAX_WORD)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= 'a' && s[i] <= 'z') && !strchr(extra, s[i]))
            return false;
    return true;
}

hw_code hw_audit_check(const hw_audit_entry *a, hw_err *e)
{
    size_t n;

    if (!a->action || !word(a->action, "_"))
        return hw_fail(e, HW_EINVAL, "action",
                       "an audit action is 1 to 32 characters of a-z and '_', not '%.40s'",
                       a->action ? a->action : "");
    if (a->kind && !word(a->kind, "_-"))
        return hw_fail(e, HW_EINVAL, "kind",
                       "an audit kind is 1 to 32 characters of a-z, '_' and '-', not '%.40s'",
                       a->kind);
    n = a->address ? strlen(a->address) : 0;
    if (n == 0 || n > MAX_ADDRESS)
        return hw_fail(e, HW_EINVAL, "address", "an audit address is 1 to %d characters",
                       MAX_ADDRESS);
    for (size_t i = 0; i < n; i++)
        if (a->address[i] <= ' ' || a->address[i] > '~')
            return hw_fail(e, HW_EINVAL, "address",
                           "an audit address is printable ASCII without spaces: '%.64s'",
                           a->address);
    if (a->detail) {
        n = strlen(a->detail);
        if (n > MAX_DETAIL)
            return hw_fail(e, HW_EINVAL, "detail", "an audit detail is at most %d bytes",
                           MAX_DETAIL);
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)a->detail[i] < ' ' || a->detail[i] == 0x7f)
                return hw_fail(e, HW_EINVAL, "detail", "an audit detail has no control characters");
    }
    if (a->user_id < 0 || a->organisation_id < 0 || a->record_id < 0 || a->person_id < 0)
        return hw_fail(e, HW_EINVAL, NULL, "audit ids are 0 or more");
    return HW_OK;
}

/* Now in UTC with milliseconds: "2026-06-01T12:00:00.000Z". */
static void now_text(char out[AT_LEN + 1])
{
    struct timespec ts;
    struct tm tm;

    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(out, AT_LEN + 1, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, AT_LEN + 1 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
}

static void put_int(crypto_generichash_state *h, int64_t v)
{
    unsigned char b[8];

    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
    crypto_generichash_update(h, b, sizeof(b));
}

static void put_text(crypto_generichash_state *h, const char *s)
{
    unsigned char b[5] = {0};
    size_t n = s ? strlen(s) : 0;

    if (!s) {
        crypto_generichash_update(h, b, 1);
        return;
    }
    b[0] = 1;
    for (int i = 0; i < 4; i++)
        b[1 + i] = (unsigned char)((uint32_t)n >> (24 - 8 * i));
    crypto_generichash_update(h, b, sizeof(b));
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* The entry's hash as hex; prev is the previous entry's, as hex (validated by the caller). */
static void entry_hash(const hw_keys *k, const char *prev, int64_t id, const char *at,
                       const hw_audit_entry *a, char out[HW_AUDIT_HASH_HEX + 1])
{
    static const char domain[] = "homeward audit 1";
    unsigned char p[HASH], h[HASH];
    crypto_generichash_state st;

    sodium_hex2bin(p, sizeof(p), prev, HW_AUDIT_HASH_HEX, NULL, NULL, NULL);
    crypto_generichash_init(&st, hw_keys_subkey(k, HW_KEY_AUDIT), HW_KEY_BYTES, HASH);
    crypto_generichash_update(&st, (const unsigned char *)domain, sizeof(domain));
    crypto_generichash_update(&st, p, sizeof(p));
    put_int(&st, id);
    put_text(&st, at);
    put_int(&st, a->user_id);
    put_int(&st, a->organisation_id);
    put_text(&st, a->action);
    put_text(&st, a->kind);
    put_int(&st, a->record_id);
    put_int(&st, a->person_id);
    put_text(&st, a->address);
    put_text(&st, a->detail);
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, HW_AUDIT_HASH_HEX + 1, h, sizeof(h));
}

/* 64 lower-case hex digits, as this file writes a hash. */
static bool is_hash(const char *s, size_t n)
{
    if (!s || n != HW_AUDIT_HASH_HEX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

hw_code hw__sqlite_audit_append(sq_store *s, const hw_audit_entry *a, hw_err *e)
{
    char prev[HW_AUDIT_HASH_HEX + 1], hash[HW_AUDIT_HASH_HEX + 1], at[AT_LEN + 1];
    int64_t id = 1;
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    if ((rc = hw_audit_check(a, e)))
        return rc;
    if (!s->audit_last &&
        sqlite3_prepare_v3(s->db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", -1,
                           SQLITE_PREPARE_PERSISTENT, &s->audit_last, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "reading the audit log", e);
    if (!s->audit_put &&
        sqlite3_prepare_v3(s->db,
                           "INSERT INTO audit (id, at, user_id, organisation_id, action, kind,"
                           " record_id, person_id, address, detail, prev_hash, hash)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->audit_put, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "writing the audit log", e);
    /* Read inside the write transaction: no other appender can come between. */
    st = s->audit_last;
    memcpy(prev, zero_hash, sizeof(prev));
    if ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *h = (const char *)sqlite3_column_text(st, 1);

        id = sqlite3_column_int64(st, 0) + 1;
        if (!is_hash(h, (size_t)sqlite3_column_bytes(st, 1))) {
            sqlite3_reset(st);
            return hw_fail(e, HW_EINVAL, NULL,
                           "the audit log's last entry (%lld) has a damaged hash: see "
                           "'homeward audit verify'",
                           (long long)id - 1);
        }
        memcpy(prev, h, sizeof(prev));
    }
    sqlite3_reset(st);
    if (r != SQLITE_ROW && r != SQLITE_DONE)
        return hw__sqlite_fail(s->db, "reading the audit log", e);
    now_text(at);
    entry_hash(s->base.keys, prev, id, at, a, hash);
    st = s->audit_put;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->user_id);
    sqlite3_bind_int64(st, 4, a->organisation_id);
    sqlite3_bind_text(st, 5, a->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->kind, -1, SQLITE_STATIC); /* NULL binds NULL */
    sqlite3_bind_int64(st, 7, a->record_id);
    sqlite3_bind_int64(st, 8, a->person_id);
    sqlite3_bind_text(st, 9, a->address, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 10, a->detail, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 11, prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 12, hash, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(s->db, "writing the audit log", e);
}

hw_code hw_audit_append(hw_store *base, const hw_audit_entry *a, hw_err *e)
{
    sq_store *s = (sq_store *)base;

    if (!s->in_tx)
        return hw_fail(e, HW_EBUG, NULL, "an audit entry is appended inside a transaction");
    return hw__sqlite_audit_append(s, a, e);
}

void hw_audit_set_actor(hw_store *s, int64_t user_id, int64_t organisation_id, const char *address)
{
    s->actor.user_id = user_id;
    s->actor.organisation_id = organisation_id;
    snprintf(s->actor.address, sizeof(s->actor.address), "%.64s", address ? address : "cli");
}

hw_code hw_audit_note(hw_store *s, const char *action, const char *kind, int64_t record_id,
                      const char *detail, hw_err *e)
{
    hw_audit_entry a = {
        .user_id = s->actor.user_id,
        .organisation_id = s->actor.organisation_id,
        .action = action,
        .kind = kind,
        .record_id = record_id,
        .address = s->actor.address,
        .detail = detail,
    };

    return hw_audit_append(s, &a, e);
}

static const char select_entries[] =
    "SELECT id, at, user_id, organisation_id, action, kind, record_id, person_id, address,"
    " detail, prev_hash, hash FROM audit";

/* Row `st` of select_entries as an entry; false when a column has a type it cannot hold. */
static bool read_row(sqlite3_stmt *st, hw_audit_row *r)
{
    static const int ints[] = {0, 2, 3, 6, 7}, texts[] = {1, 4, 8, 10, 11}, maybe[] = {5, 9};
    bool ok = true;

    for (size_t i = 0; i < HW_ARRAY_LEN(ints); i++)
        ok &= sqlite3_column_type(st, ints[i]) == SQLITE_INTEGER;
    for (size_t i = 0; i < HW_ARRAY_LEN(texts); i++)
        ok &= sqlite3_column_type(st, texts[i]) == SQLITE_TEXT;
    for (size_t i = 0; i < HW_ARRAY_LEN(maybe); i++)
        ok &= sqlite3_column_type(st, maybe[i]) == SQLITE_TEXT ||
              sqlite3_column_type(st, maybe[i]) == SQLITE_NULL;
    r->id = sqlite3_column_int64(st, 0);
    r->at = (const char *)sqlite3_column_text(st, 1);
    r->entry = (hw_audit_entry){
        .user_id = sqlite3_column_int64(st, 2),
        .organisation_id = sqlite3_column_int64(st, 3),
        .action = (const char *)sqlite3_column_text(st, 4),
        .kind = (const char *)sqlite3_column_text(st, 5),
        .record_id = sqlite3_column_int64(st, 6),
        .person_id = sqlite3_column_int64(st, 7),
        .address = (const char *)sqlite3_column_text(st, 8),
        .detail = (const char *)sqlite3_column_text(st, 9),
    };
    r->prev_hash = (const char *)sqlite3_column_text(st, 10);
    r->hash = (const char *)sqlite3_column_text(st, 11);
    /* A text with a NUL inside would hash as its first part only. */
    ok &= r->at && strlen(r->at) == (size_t)sqlite3_column_bytes(st, 1);
    ok &= r->entry.action && strlen(r->entry.action) == (size_t)sqlite3_column_bytes(st, 4);
    ok &= !r->entry.kind || strlen(r->entry.kind) == (size_t)sqlite3_column_bytes(st, 5);
    ok &= r->entry.address && strlen(r->entry.address) == (size_t)sqlite3_column_bytes(st, 8);
    ok &= !r->entry.detail || strlen(r->entry.detail) == (size_t)sqlite3_column_bytes(st, 9);
    ok &= r->prev_hash && r->hash;
    return ok;
}

static const char *entries(int64_t n)
{
    return n == 1 ? "entry" : "entries";
}

/* Check one entry against the one before it (prev_id 0: none); false at a break, said in r. */
static bool follows(const hw_keys *k, const hw_audit_row *row, bool typed, int64_t prev_id,
                    const char *prev_hash, hw_audit_report *r)
{
    char want[HW_AUDIT_HASH_HEX + 1];

    r->break_id = row->id;
    if (row->id != prev_id + 1) {
        r->problem = HW_AUDIT_DELETED;
        r->missing = row->id - prev_id - 1;
        if (prev_id)
            snprintf(r->what, sizeof(r->what),
                     "audit entry %lld does not follow entry %lld: %lld %s deleted before it",
                     (long long)row->id, (long long)prev_id, (long long)r->missing,
                     entries(r->missing));
        else
            snprintf(r->what, sizeof(r->what),
                     "audit entry %lld is the first: %lld %s deleted before it", (long long)row->id,
                     (long long)r->missing, entries(r->missing));
        return false;
    }
    if (strcmp(row->prev_hash, prev_hash) != 0) {
        r->problem = HW_AUDIT_UNLINKED;
        if (prev_id)
            snprintf(r->what, sizeof(r->what),
                     "audit entry %lld does not follow entry %lld: its prev_hash is not that "
                     "entry's hash",
                     (long long)row->id, (long long)prev_id);
        else
            snprintf(r->what, sizeof(r->what),
                     "audit entry %lld does not start the chain: its prev_hash is not zero",
                     (long long)row->id);
        return false;
    }
    if (typed)
        entry_hash(k, prev_hash, row->id, row->at, &row->entry, want);
    if (!typed || strcmp(want, row->hash) != 0) {
        r->problem = HW_AUDIT_EDITED;
        snprintf(r->what, sizeof(r->what),
                 "audit entry %lld was edited: its hash does not match its contents",
                 (long long)row->id);
        return false;
    }
    r->break_id = 0;
    return true;
}

hw_code hw_audit_verify(hw_store *base, hw_audit_report *r, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    char prev[HW_AUDIT_HASH_HEX + 1];
    int64_t prev_id = 0;
    sqlite3_stmt *st;
    hw_buf sql = HW_BUF_INIT(0);
    hw_code rc;
    int n;

    memset(r, 0, sizeof(*r));
    r->ok = true;
    memcpy(prev, zero_hash, sizeof(prev));
    if ((rc = hw_buf_printf(&sql, e, "%s ORDER BY id", select_entries)))
        return rc;
    rc = hw__sqlite_prepare(s, sql.p, &st, e);
    hw_buf_release(&sql);
    if (rc)
        return rc;
    /* One statement reads one snapshot: entries appended meanwhile are not half seen. */
    while ((n = sqlite3_step(st)) == SQLITE_ROW) {
        hw_audit_row row;
        bool typed = read_row(st, &row);

        r->head_id = row.id;
        snprintf(r->head, sizeof(r->head), "%s", row.hash ? row.hash : "");
        if (!r->ok)
            continue; /* past the break: only the head is wanted */
        if (!follows(base->keys, &row, typed, prev_id, prev, r)) {
            r->ok = false;
            continue;
        }
        r->checked++;
        prev_id = row.id;
        memcpy(prev, row.hash, sizeof(prev));
    }
    if (n != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading the audit log", e);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw_audit_find(hw_store *base, const char *hash, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    char want[HW_AUDIT_HASH_HEX + 1];
    size_t n = hash ? strlen(hash) : 0;
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    for (size_t i = 0; i < n && i < HW_AUDIT_HASH_HEX; i++)
        want[i] = hash[i] >= 'A' && hash[i] <= 'F' ? (char)(hash[i] - 'A' + 'a') : hash[i];
    if (!is_hash(want, n))
        return hw_fail(e, HW_EINVAL, "hash", "not an audit hash (64 hex digits): '%.80s'",
                       hash ? hash : "");
    want[HW_AUDIT_HASH_HEX] = '\0';
    if ((rc = hw__sqlite_prepare(s, "SELECT id FROM audit WHERE hash = ?1", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, want, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else if (r == SQLITE_DONE)
        rc = hw_fail(e, HW_ENOTFOUND, "hash", "no audit entry has the hash %s", want);
    else
        rc = hw__sqlite_fail(s->db, "reading the audit log", e);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw_audit_reads_open(hw_store *db, bool writable, hw_store **out, hw_err *e)
{
    return hw__sqlite_open_read_log(db, writable, out, e);
}

/* One log's entries, a row at a time, for the merge of hw_audit_list(). */
typedef struct cursor {
    sq_store *s;
    sqlite3_stmt *st;
    hw_audit_row row; /* valid while has, until the next step */
    bool has;
    const char *log;
} cursor;

static hw_code cursor_next(cursor *c, hw_err *e)
{
    int r = sqlite3_step(c->st);

    c->has = r == SQLITE_ROW;
    if (c->has) {
        read_row(c->st, &c->row);
        c->row.log = c->log;
        return HW_OK;
    }
    return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(c->s->db, "reading the audit log", e);
}

static hw_code cursor_open(cursor *c, hw_store *s, const char *log, int64_t person_id, hw_err *e)
{
    hw_buf sql = HW_BUF_INIT(0);
    hw_code rc;

    c->s = (sq_store *)s;
    c->log = log;
    if ((rc = hw_buf_printf(&sql, e, "%s%s ORDER BY id", select_entries,
                            person_id > 0 ? " WHERE person_id = ?1" : "")))
        return rc;
    rc = hw__sqlite_prepare(c->s, sql.p, &c->st, e);
    hw_buf_release(&sql);
    if (rc)
        return rc;
    if (person_id > 0)
        sqlite3_bind_int64(c->st, 1, person_id);
    return cursor_next(c, e);
}

hw_code hw_audit_list(hw_store *base, int64_t person_id, hw_audit_fn fn, void *ud, hw_err *e)
{
    cursor m = {0}, r = {0};
    hw_store *reads = NULL;
    hw_code rc = hw_audit_reads_open(base, false, &reads, e);

    if (rc == HW_ENOTFOUND) /* nothing read yet */
        rc = HW_OK;
    if (!rc)
        rc = cursor_open(&m, base, "main", person_id, e);
    if (!rc && reads)
        rc = cursor_open(&r, reads, "reads", person_id, e);
    while (!rc && (m.has || r.has)) {
        /* Both logs are in time order already: the earlier head goes first. */
        cursor *c =
            !r.has || (m.has && strcmp(m.row.at ? m.row.at : "", r.row.at ? r.row.at : "") <= 0)
                ? &m
                : &r;

        if (fn(ud, &c->row)) {
            rc = HW_ECANCELED;
            break;
        }
        rc = cursor_next(c, e);
    }
    sqlite3_finalize(m.st);
    sqlite3_finalize(r.st);
    hw_store_close(reads);
    return rc;
}

/* ---- the log for reads: one writer thread, group commit ---- */

/* An entry waiting to be written; it lives on the stack of the thread that waits for it. */
struct pending {
    const hw_audit_entry *a;
    struct pending *next;
    hw_code rc;
    hw_err err;
    bool done;
};

struct hw_audit_log {
    hw_store *db; /* the database, for its keys */
    hw_store *s;  /* its read log, where the entries go */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct pending *head, **tail;
    bool stop;
};

/* Every entry of the batch in one transaction: one commit, one sync, for all. */
static hw_code write_batch(hw_store *s, struct pending *batch, hw_err *e)
{
    hw_code rc;

    if ((rc = hw_store_begin(s, 0, e)))
        return rc;
    for (struct pending *p = batch; p && !rc; p = p->next)
        rc = hw_audit_append(s, p->a, e);
    if (!rc)
        rc = hw_store_commit(s, e);
    if (rc)
        hw_store_rollback(s, NULL);
    return rc;
}

static void *writer(void *arg)
{
    hw_audit_log *l = arg;

    pthread_mutex_lock(&l->mu);
    for (;;) {
        struct pending *batch, *next;
        hw_code rc;
        hw_err err;

        while (!l->head && !l->stop)
            pthread_cond_wait(&l->work, &l->mu);
        if (!l->head)
            break;
        batch = l->head;
        l->head = NULL;
        l->tail = &l->head;
        /* Entries that come while this batch is written make the next one. */
        pthread_mutex_unlock(&l->mu);
        hw_err_clear(&err);
        rc = write_batch(l->s, batch, &err);
        pthread_mutex_lock(&l->mu);
        for (struct pending *p = batch; p; p = next) {
            next = p->next; /* p is gone once its thread sees done */
            p->rc = rc;
            p->err = err;
            p->done = true;
        }
        pthread_cond_broadcast(&l->done);
    }
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

hw_code hw_audit_log_open(const char *db_path, hw_audit_log **out, hw_err *e)
{
    hw_audit_log *l;
    hw_code rc;

    *out = NULL;
    if (!(l = calloc(1, sizeof(*l))))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if ((rc = hw_store_open(db_path, 0, &l->db, e)) ||
        (rc = hw_audit_reads_open(l->db, true, &l->s, e)))
        goto fail;
    l->tail = &l->head;
    if (pthread_mutex_init(&l->mu, NULL) != 0) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "cannot make a mutex");
        goto fail;
    }
    if (pthread_cond_init(&l->work, NULL) != 0 || pthread_cond_init(&l->done, NULL) != 0 ||
        pthread_create(&l->thread, NULL, writer, l) != 0) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "cannot start the audit log's writer");
        pthread_mutex_destroy(&l->mu);
        goto fail;
    }
    *out = l;
    return HW_OK;
fail:
    hw_store_close(l->s);
    hw_store_close(l->db);
    free(l);
    return rc;
}

hw_code hw_audit_log_write(hw_audit_log *l, const hw_audit_entry *a, hw_err *e)
{
    struct pending p = {.a = a};
    hw_code rc;

    if ((rc = hw_audit_check(a, e)))
        return rc;
    pthread_mutex_lock(&l->mu);
    if (l->stop) {
        pthread_mutex_unlock(&l->mu);
        return hw_fail(e, HW_ECANCELED, NULL, "the audit log is closing");
    }
    *l->tail = &p;
    l->tail = &p.next;
    pthread_cond_signal(&l->work);
    while (!p.done)
        pthread_cond_wait(&l->done, &l->mu);
    pthread_mutex_unlock(&l->mu);
    if (p.rc && e)
        *e = p.err;
    return p.rc;
}

void hw_audit_log_close(hw_audit_log *l)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->mu);
    l->stop = true;
    pthread_cond_signal(&l->work);
    pthread_mutex_unlock(&l->mu);
    pthread_join(l->thread, NULL);
    pthread_cond_destroy(&l->work);
    pthread_cond_destroy(&l->done);
    pthread_mutex_destroy(&l->mu);
    hw_store_close(l->s);
    hw_store_close(l->db);
    free(l);
}
