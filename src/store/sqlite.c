/* SPDX-License-Identifier: MIT */
/*
 * The SQLite backend of the store: WAL, foreign keys on, versioned
 * migrations, statements prepared once per handle and bound, never built
 * from values.
 */
#include "core/common.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "homeward/arena.h"
#include "homeward/buf.h"
#include "homeward/date.h"
#include "homeward/keys.h"
#include "store/sqlite_int.h"

/* people.external_id, encrypted at rest, and its index in a row (set by configure_once). */
static const hw_field *ident_field;
static int ident_at;
static const char ident_column[] = "people.external_id";

/*
 * Every open handle, so that hw__sqlite_read_value(), given only a statement,
 * finds the keys of the handle it runs on.
 */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static sq_store *open_stores;

static hw_code sq_meta_set(hw_store *base, const char *key, const char *value, hw_err *e);
static hw_code sq_meta_get(hw_store *base, const char *key, char *out, size_t size, hw_err *e);

hw_code hw__sqlite_fail(sqlite3 *db, const char *doing, hw_err *e)
{
    /* Interrupted by the handle's time limit (hw_store_set_time_limit): the caller asked too much.
     */
    if (db && sqlite3_errcode(db) == SQLITE_INTERRUPT)
        return hw_fail(e, HW_ELIMIT, NULL, "%s took longer than the time limit: narrow the request",
                       doing);
    return hw_fail(e, HW_ESTORE, NULL, "%s: %s", doing, db ? sqlite3_errmsg(db) : "no database");
}

static int sq_schema_version(hw_store *base, bool at_open)
{
    sq_store *s = (sq_store *)base;

    return at_open ? s->version_at_open : s->version;
}

static hw_code exec(sqlite3 *db, const char *sql, const char *doing, hw_err *e)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        hw_fail(e, HW_ESTORE, NULL, "%s: %s", doing, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return HW_ESTORE;
    }
    return HW_OK;
}

hw_code hw__sqlite_prepare(sq_store *s, const char *sql, sqlite3_stmt **st, hw_err *e)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "preparing a query", e);
    return HW_OK;
}

/* One integer from a query with no parameters; *out untouched when no row. */
void hw__sqlite_bind_value(sqlite3_stmt *st, int col, const hw_field *f, const hw_value *v,
                           sqlite3_destructor_type text)
{
    if (v->null) {
        sqlite3_bind_null(st, col);
    } else if (hw_vocab_int_type(f->type)) {
        sqlite3_bind_int64(st, col, v->i);
    } else if (f->type == HW_T_DATE && !v->s) {
        char buf[HW_DATE_LEN + 1];

        hw_date_format((int32_t)v->i, buf);
        sqlite3_bind_text(st, col, buf, HW_DATE_LEN, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_text(st, col, v->s, (int)v->n, text);
    }
}

hw_code hw__sqlite_cached(sq_store *s, const char *sql, sqlite3_stmt **st, hw_err *e)
{
    const size_t n = sizeof(s->cache) / sizeof(s->cache[0]);
    size_t i;
    char *copy;

    for (i = 0; i < n; i++)
        if (s->cache[i].sql && !strcmp(s->cache[i].sql, sql)) {
            *st = s->cache[i].st;
            return HW_OK;
        }
    if (!(copy = strdup(sql)))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        free(copy);
        return hw__sqlite_fail(s->db, "preparing a query", e);
    }
    i = s->cache_next++ % n;
    sqlite3_finalize(s->cache[i].st);
    free(s->cache[i].sql);
    s->cache[i].sql = copy;
    s->cache[i].st = *st;
    return HW_OK;
}

void hw__sqlite_done(sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

hw_code hw__sqlite_query_int(sqlite3 *db, const char *sql, int64_t *out, hw_err *e)
{
    sqlite3_stmt *st = NULL;
    hw_code rc = HW_OK;
    int r;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return hw__sqlite_fail(db, "reading the database", e);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else if (r != SQLITE_DONE)
        rc = hw__sqlite_fail(db, "reading the database", e);
    sqlite3_finalize(st);
    return rc;
}

/* Find the schema version, telling a Homeward database from any other file. */
static hw_code read_version(sq_store *s, const char *path, hw_err *e)
{
    int64_t tables = 0, ours = 0, version = 0;
    hw_code rc;

    rc = hw__sqlite_query_int(s->db, "SELECT count(*) FROM sqlite_master", &tables, e);
    if (rc) {
        if (sqlite3_errcode(s->db) == SQLITE_NOTADB)
            return hw_fail(e, HW_EINVAL, NULL, "'%s' is not a database", path);
        return rc;
    }
    rc = hw__sqlite_query_int(
        s->db, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'", &ours, e);
    if (rc)
        return rc;
    if (!ours && tables)
        return hw_fail(e, HW_EINVAL, NULL, "'%s' is a SQLite database, but not Homeward's", path);
    if (ours) {
        rc = hw__sqlite_query_int(s->db, "SELECT coalesce(max(version), 0) FROM schema_migrations",
                                  &version, e);
        if (rc)
            return rc;
    }
    s->version = (int)version;
    s->version_at_open = s->version;
    if (s->version > hw_store_schema_latest())
        return hw_fail(e, HW_EINVAL, NULL,
                       "'%s' has schema version %d, newer than this homeward knows (%d): "
                       "upgrade homeward",
                       path, s->version, hw_store_schema_latest());
    return HW_OK;
}

/* Keep the blind index of person `id`'s identifier v (null: it has none). */
hw_code hw__sqlite_ident_index(sq_store *s, int64_t id, const hw_value *v, hw_err *e)
{
    unsigned char idx[HW_BLIND_INDEX_BYTES];
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    if (v->null) {
        if ((rc = hw__sqlite_prepare(s, "DELETE FROM external_ids WHERE person_id = ?1", &st, e)))
            return rc;
        sqlite3_bind_int64(st, 1, id);
        r = sqlite3_step(st);
        sqlite3_finalize(st);
        return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(s->db, "indexing an identifier", e);
    }
    if (!s->ident_put &&
        sqlite3_prepare_v3(s->db,
                           "INSERT OR REPLACE INTO external_ids (person_id, blind_index)"
                           " VALUES (?1, ?2)",
                           -1, SQLITE_PREPARE_PERSISTENT, &s->ident_put, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "indexing an identifier", e);
    hw_ident_blind_index(s->base.keys, v->s, v->n, idx);
    sqlite3_bind_int64(s->ident_put, 1, id);
    sqlite3_bind_blob(s->ident_put, 2, idx, sizeof(idx), SQLITE_TRANSIENT);
    r = sqlite3_step(s->ident_put);
    sqlite3_reset(s->ident_put);
    return r == SQLITE_DONE ? HW_OK : hw__sqlite_fail(s->db, "indexing an identifier", e);
}

hw_code hw__sqlite_ident_bind(sq_store *s, sqlite3_stmt *st, int col, int64_t id, const hw_value *v,
                              hw_err *e)
{
    hw_code rc;

    if (v->null) {
        sqlite3_bind_null(st, col);
        return HW_OK;
    }
    if ((rc = hw_ident_encrypt(s->base.keys, ident_column, id, v->s, v->n, &s->ident, e)))
        return rc;
    sqlite3_bind_text(st, col, s->ident.p, (int)s->ident.n, SQLITE_STATIC);
    return HW_OK;
}

/*
 * 0006: identifiers written before it are encrypted in place, with their
 * blind indexes, in the migration's transaction; a batch of rows at a time,
 * because a table is not to be changed under a query reading it.  Freed
 * space is zeroed meanwhile, so the plaintext does not linger in the pages.
 */
static hw_code encrypt_identifiers(sq_store *s, hw_err *e)
{
    enum { BATCH = 256 };
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int64_t ids[BATCH], last = 0;
    hw_value vals[BATCH];
    char check[HW_KEY_CHECK_HEX + 1];
    hw_arena a;
    hw_code rc;
    int n, r = SQLITE_DONE;

    hw_arena_init(&a, 16384, 0);
    if ((rc = exec(s->db, "PRAGMA secure_delete = ON", "encrypting identifiers", e)) ||
        (rc = hw__sqlite_prepare(s,
                                 "SELECT id, external_id FROM people WHERE id > ?1"
                                 " AND external_id IS NOT NULL ORDER BY id LIMIT 256",
                                 &sel, e)) ||
        (rc = hw__sqlite_prepare(s, "UPDATE people SET external_id = ?2 WHERE id = ?1", &upd, e)))
        goto out;
    do {
        hw_arena_reset(&a);
        sqlite3_bind_int64(sel, 1, last);
        for (n = 0; n < BATCH && (r = sqlite3_step(sel)) == SQLITE_ROW; n++) {
            const char *t = (const char *)sqlite3_column_text(sel, 1);

            ids[n] = sqlite3_column_int64(sel, 0);
            vals[n] = (hw_value){.n = (size_t)sqlite3_column_bytes(sel, 1)};
            if (!(vals[n].s = hw_arena_strndup(&a, t ? t : "", vals[n].n))) {
                rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
                goto out;
            }
        }
        sqlite3_reset(sel);
        if (r != SQLITE_ROW && r != SQLITE_DONE) {
            rc = hw__sqlite_fail(s->db, "encrypting identifiers", e);
            goto out;
        }
        for (int i = 0; i < n; i++) {
            last = ids[i];
            if (hw_ident_is_encrypted(vals[i].s, vals[i].n))
                continue;
            if ((rc = hw__sqlite_ident_bind(s, upd, 2, ids[i], &vals[i], e)))
                goto out;
            sqlite3_bind_int64(upd, 1, ids[i]);
            r = sqlite3_step(upd);
            sqlite3_reset(upd);
            if (r != SQLITE_DONE) {
                rc = hw__sqlite_fail(s->db, "encrypting identifiers", e);
                goto out;
            }
            if ((rc = hw__sqlite_ident_index(s, ids[i], &vals[i], e)))
                goto out;
        }
    } while (n == BATCH);
    hw_keys_check_text(s->base.keys, check);
    rc = sq_meta_set(&s->base, "key_check", check, e);
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    hw_arena_release(&a);
    sqlite3_exec(s->db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
    return rc;
}

/* Steps in C that a migration needs after its SQL, in the same transaction. */
static const struct {
    int version;
    hw_code (*run)(sq_store *s, hw_err *e);
} migration_steps[] = {
    {HW__KEYED_VERSION, encrypt_identifiers},
};

/* Apply every migration newer than the database, all in one transaction. */
static hw_code migrate(sq_store *s, hw_err *e)
{
    sqlite3_stmt *st = NULL;
    hw_code rc;

    if (s->version == hw_store_schema_latest())
        return HW_OK;
    rc = exec(s->db, "BEGIN IMMEDIATE", "starting the migration", e);
    if (rc)
        return rc;
    rc = exec(s->db,
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
              "creating schema_migrations", e);
    if (rc)
        goto out;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = hw__sqlite_fail(s->db, "recording a migration", e);
        goto out;
    }
    for (int i = 0; i < hw__migration_count; i++) {
        const struct hw__migration *m = &hw__migrations[i];

        if (m->version <= s->version)
            continue;
        rc = exec(s->db, m->sql, m->name, e);
        for (size_t j = 0; j < HW_ARRAY_LEN(migration_steps) && !rc; j++)
            if (migration_steps[j].version == m->version)
                rc = migration_steps[j].run(s, e);
        if (rc)
            goto out;
        sqlite3_bind_int(st, 1, m->version);
        sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = hw__sqlite_fail(s->db, "recording a migration", e);
            goto out;
        }
        sqlite3_reset(st);
    }
    if (hw_store_schema_latest() >= HW__KEYED_VERSION) {
        char detail[64];
        hw_audit_entry a = {.action = "migrate", .address = s->base.actor.address};

        snprintf(detail, sizeof(detail), "schema version %d to %d", s->version,
                 hw_store_schema_latest());
        a.detail = detail;
        if ((rc = hw__sqlite_audit_append(s, &a, e)))
            goto out;
    }
    rc = exec(s->db, "COMMIT", "committing the migration", e);
    if (!rc)
        s->version = hw_store_schema_latest();
out:
    sqlite3_finalize(st);
    if (rc)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static void forget_deferred(sq_store *s)
{
    for (int i = 0; i < s->ndeferred; i++)
        sqlite3_free(s->deferred[i]);
    s->ndeferred = 0;
}

hw_code hw__sqlite_defer(sq_store *s, const char *sql, hw_err *e)
{
    if (s->ndeferred == (int)(sizeof(s->deferred) / sizeof(s->deferred[0])))
        return hw_fail(e, HW_EBUG, NULL, "too many indexes to build at commit");
    if (!(s->deferred[s->ndeferred] = sqlite3_mprintf("%s", sql)))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    s->ndeferred++;
    return HW_OK;
}

static void sq_close(hw_store *base)
{
    sq_store *s = (sq_store *)base;

    forget_deferred(s);
    for (int k = 0; k < HW_K_COUNT; k++) {
        sqlite3_finalize(s->insert[k]);
        sqlite3_finalize(s->owner[k]);
    }
    sqlite3_finalize(s->det_put);
    for (size_t i = 0; i < sizeof(s->cache) / sizeof(s->cache[0]); i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    sqlite3_finalize(s->ident_put);
    sqlite3_finalize(s->audit_last);
    sqlite3_finalize(s->audit_put);
    if (s->in_tx)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&open_lock);
    for (sq_store **p = &open_stores; *p; p = &(*p)->next_open)
        if (*p == s) {
            *p = s->next_open;
            break;
        }
    pthread_mutex_unlock(&open_lock);
    sqlite3_close(s->db);
    if (s->ident.p)
        sodium_memzero(s->ident.p, s->ident.cap);
    hw_buf_release(&s->ident);
    if (!s->keys_borrowed)
        hw_keys_free(s->base.keys);
    free(s);
}

/* Foreign keys back on after a transaction that the caller vouched for. */
static void restore_fk(sq_store *s)
{
    if (s->fk_off)
        sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    s->fk_off = false;
}

static hw_code sq_begin(hw_store *base, unsigned flags, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_code rc;

    if (s->in_tx)
        return hw_fail(e, HW_EBUG, NULL, "a transaction is already open");
    /* The pragma is a no-op inside a transaction, so it goes first. */
    if (flags & HW_BEGIN_REFS_CHECKED) {
        if ((rc = exec(s->db, "PRAGMA foreign_keys = OFF", "starting a transaction", e)))
            return rc;
        s->fk_off = true;
    }
    rc = exec(s->db, (flags & HW_BEGIN_READ) ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE",
              "starting a transaction", e);
    s->in_tx = rc == HW_OK;
    if (rc)
        restore_fk(s);
    return rc;
}

static hw_code sq_commit(hw_store *base, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_code rc;

    if (!s->in_tx)
        return hw_fail(e, HW_EBUG, NULL, "no transaction to commit");
    for (int i = 0; i < s->ndeferred; i++)
        if ((rc = exec(s->db, s->deferred[i], "building an index", e)))
            return rc;
    forget_deferred(s);
    rc = exec(s->db, "COMMIT", "committing", e);
    if (!rc) {
        s->in_tx = false;
        restore_fk(s);
    }
    return rc;
}

static hw_code sq_rollback(hw_store *base, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_code rc;

    if (!s->in_tx)
        return HW_OK;
    s->in_tx = false;
    forget_deferred(s); /* the rollback brings the dropped indexes back */
    rc = exec(s->db, "ROLLBACK", "rolling back", e);
    restore_fk(s);
    return rc;
}

/* Drop the indexes of `table` if it is empty, to build them again at commit. */
static hw_code defer_indexes(sq_store *s, const char *table, hw_err *e)
{
    sqlite3_stmt *st = NULL;
    char *names[HW_ARRAY_LEN(s->deferred)];
    int n = 0, first = s->ndeferred, r;
    hw_code rc = HW_OK;
    char sql[160];
    int64_t rows = 0;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1)", table);
    if ((rc = hw__sqlite_query_int(s->db, sql, &rows, e)) || rows)
        return rc;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT name, sql FROM sqlite_master"
                           " WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "reading the schema", e);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    /* Note them all first: the schema may not change while this statement reads it. */
    while (s->ndeferred + n < (int)HW_ARRAY_LEN(s->deferred) &&
           (r = sqlite3_step(st)) == SQLITE_ROW) {
        names[n] = sqlite3_mprintf("DROP INDEX \"%w\"", (const char *)sqlite3_column_text(st, 0));
        s->deferred[s->ndeferred + n] =
            sqlite3_mprintf("%s", (const char *)sqlite3_column_text(st, 1));
        n++;
        if (!names[n - 1] || !s->deferred[s->ndeferred + n - 1])
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    sqlite3_finalize(st);
    s->ndeferred += n;
    for (int i = 0; i < n && !rc; i++)
        rc = exec(s->db, names[i], "dropping an index for the load", e);
    for (int i = 0; i < n; i++)
        sqlite3_free(names[i]);
    if (rc) {
        /* The caller rolls back, which restores whatever was dropped. */
        for (int i = first; i < s->ndeferred; i++)
            sqlite3_free(s->deferred[i]);
        s->ndeferred = first;
    }
    return rc;
}

static hw_code sq_bulk_load(hw_store *base, hw_kind k, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_code rc;

    if (!s->in_tx)
        return hw_fail(e, HW_EBUG, NULL, "bulk load outside a transaction");
    rc = defer_indexes(s, hw_vocab_kind(k)->table, e);
    /* People's identifiers are loaded with them, with their blind indexes. */
    if (!rc && k == HW_K_PEOPLE)
        rc = defer_indexes(s, "external_ids", e);
    return rc;
}

static hw_code prepare_insert(sq_store *s, hw_kind k, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_buf cols = HW_BUF_INIT(0), vals = HW_BUF_INIT(0);
    hw_code rc = HW_OK;
    int n = 0;

    for (size_t i = 0; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];

        hw_buf_printf(&cols, NULL, "%s%s", i ? ", " : "", f->name);
        hw_buf_printf(&vals, NULL, "%s?%d", i ? ", " : "", ++n);
        if (f->type == HW_T_TIME) {
            /* A time field X_at keeps its Unix seconds beside it, in X_utc (0001-records.sql). */
            size_t len = strlen(f->name);

            assert(len > 3 && !strcmp(f->name + len - 3, "_at"));
            hw_buf_printf(&cols, NULL, ", %.*s_utc", (int)(len - 3), f->name);
            hw_buf_printf(&vals, NULL, ", ?%d", ++n);
        }
    }
    if (!cols.p || !vals.p) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    } else {
        hw_buf sql = HW_BUF_INIT(0);

        hw_buf_printf(&sql, NULL, "INSERT INTO %s (%s) VALUES (%s)", d->table, cols.p, vals.p);
        if (!sql.p)
            rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        else if (sqlite3_prepare_v3(s->db, sql.p, -1, SQLITE_PREPARE_PERSISTENT, &s->insert[k],
                                    NULL) != SQLITE_OK)
            rc = hw__sqlite_fail(s->db, "preparing an insert", e);
        hw_buf_release(&sql);
    }
    hw_buf_release(&cols);
    hw_buf_release(&vals);
    return rc;
}

static hw_code prepare_owner(sq_store *s, hw_kind k, hw_err *e)
{
    char sql[160];
    int pf = hw_vocab_person_field(k);

    snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE id = ?1", pf >= 0 ? "person_id" : "0",
             hw_vocab_kind(k)->table);
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->owner[k], NULL) !=
        SQLITE_OK)
        return hw__sqlite_fail(s->db, "preparing a lookup", e);
    return HW_OK;
}

static hw_code sq_owner(hw_store *base, hw_kind k, int64_t id, int64_t *person_id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc = HW_OK;
    int r;

    if (!s->owner[k] && (rc = prepare_owner(s, k, e)))
        return rc;
    st = s->owner[k];
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        *person_id = sqlite3_column_int64(st, 0);
    else if (r == SQLITE_DONE)
        rc =
            hw_fail(e, HW_ENOTFOUND, "id", "no %s %lld", hw_vocab_kind(k)->singular, (long long)id);
    else
        rc = hw__sqlite_fail(s->db, "looking up a record", e);
    sqlite3_reset(st);
    return rc;
}

/* An insert broke a foreign key: say which reference names nothing. */
static hw_code explain_missing_ref(sq_store *s, hw_kind k, const hw_value *row, hw_err *e)
{
    const hw_kind_desc *d = hw_vocab_kind(k);

    for (size_t i = 0; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        int64_t owner;

        if (f->type != HW_T_REF || row[i].null)
            continue;
        if (sq_owner(&s->base, f->ref, row[i].i, &owner, NULL) == HW_ENOTFOUND)
            return hw_fail(e, HW_ENOTFOUND, f->name, "no %s with id %lld",
                           hw_vocab_kind(f->ref)->singular, (long long)row[i].i);
    }
    return hw__sqlite_fail(s->db, "inserting", e);
}

/* A person just inserted gets their blind index, or is taken out again: an insert is whole. */
static hw_code index_person(sq_store *s, const hw_value *row, hw_err *e)
{
    hw_code rc = hw__sqlite_ident_index(s, row[0].i, &row[ident_at], e);
    sqlite3_stmt *st;

    if (rc && hw__sqlite_prepare(s, "DELETE FROM people WHERE id = ?1", &st, NULL) == HW_OK) {
        sqlite3_bind_int64(st, 1, row[0].i);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
    return rc;
}

static hw_code sq_insert(hw_store *base, hw_kind k, const hw_value *row, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    const hw_kind_desc *d = hw_vocab_kind(k);
    sqlite3_stmt *st;
    hw_code rc;
    int col = 0, r;

    if (!s->insert[k] && (rc = prepare_insert(s, k, e)))
        return rc;
    st = s->insert[k];
    for (size_t i = 0; i < d->nfields; i++) {
        const hw_field *f = &d->fields[i];
        const hw_value *v = &row[i];

        col++;
        if (HW_UNLIKELY(f == ident_field)) {
            if ((rc = hw__sqlite_ident_bind(s, st, col, row[0].i, v, e)))
                return rc;
        } else {
            hw__sqlite_bind_value(st, col, f, v, SQLITE_STATIC);
        }
        if (f->type == HW_T_TIME) {
            col++;
            if (v->null)
                sqlite3_bind_null(st, col);
            else
                sqlite3_bind_int64(st, col, v->i);
        }
    }
    r = sqlite3_step(st);
    sqlite3_reset(st);
    if (HW_LIKELY(r == SQLITE_DONE))
        return k == HW_K_PEOPLE && !row[ident_at].null ? index_person(s, row, e) : HW_OK;
    switch (sqlite3_extended_errcode(s->db)) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        return hw_fail(e, HW_ECONFLICT, "id", "duplicate id %lld: that %s exists already",
                       (long long)row[0].i, d->singular);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return explain_missing_ref(s, k, row, e);
    default:
        return hw__sqlite_fail(s->db, "inserting", e);
    }
}

static hw_code sq_count(hw_store *base, hw_kind k, int64_t *n, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    char sql[96];

    *n = 0;
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", hw_vocab_kind(k)->table);
    return hw__sqlite_query_int(s->db, sql, n, e);
}

/*
 * Decrypt an identifier as it is read, into its handle's buffer: it is valid
 * until the next one is read.  Every query that reads people.external_id
 * has the person's id as column 0.
 */
static void reveal(sqlite3_stmt *st, hw_value *v)
{
    sqlite3 *db = sqlite3_db_handle(st);
    int64_t id = sqlite3_column_int64(st, 0);
    sq_store *s;

    assert(!strcmp(sqlite3_column_name(st, 0), "id"));
    pthread_mutex_lock(&open_lock);
    for (s = open_stores; s && s->db != db; s = s->next_open)
        ;
    pthread_mutex_unlock(&open_lock);
    if (!s || !hw_ident_is_encrypted(v->s, v->n))
        return;
    if (hw_ident_decrypt(s->base.keys, ident_column, id, v->s, v->n, &s->ident, NULL)) {
        *v = (hw_value){.null = true};
        if (!s->ident_bad)
            s->ident_bad = id;
        return;
    }
    v->s = s->ident.p;
    v->n = s->ident.n;
}

/* A scan that read an identifier that did not decrypt fails, naming the person. */
static hw_code ident_failed(sq_store *s, hw_err *e)
{
    int64_t id = s->ident_bad;

    s->ident_bad = 0;
    return hw_fail(e, HW_EINVAL, "external_id",
                   "person %lld: the identifier does not decrypt (altered, moved from another "
                   "row, or encrypted with another key)",
                   (long long)id);
}

void hw__sqlite_read_value(sqlite3_stmt *st, int col, const hw_field *f, hw_value *v)
{
    v->null = sqlite3_column_type(st, col) == SQLITE_NULL;
    v->i = 0;
    v->offset_min = 0;
    v->s = NULL;
    v->n = 0;
    if (v->null)
        return;
    if (hw_vocab_int_type(f->type)) {
        v->i = sqlite3_column_int64(st, col);
        return;
    }
    v->s = (const char *)sqlite3_column_text(st, col);
    v->n = (size_t)sqlite3_column_bytes(st, col);
    if (HW_UNLIKELY(f == ident_field)) {
        reveal(st, v);
    } else if (f->type == HW_T_DATE) {
        int32_t d = 0;

        hw_date_parse(v->s, v->n, &d, NULL);
        v->i = d;
    } else if (f->type == HW_T_TIME) {
        hw_time_parse(v->s, v->n, &v->i, &v->offset_min, NULL);
    }
}

static hw_code sq_scan(hw_store *base, hw_kind k, hw_row_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    const hw_kind_desc *d = hw_vocab_kind(k);
    hw_buf sql = HW_BUF_INIT(0);
    hw_value *row = NULL;
    sqlite3_stmt *st = NULL;
    hw_code rc = HW_OK;
    int r;

    for (size_t i = 0; i < d->nfields; i++)
        hw_buf_printf(&sql, NULL, "%s%s", i ? ", " : "SELECT ", d->fields[i].name);
    hw_buf_printf(&sql, NULL, " FROM %s ORDER BY id", d->table);
    row = calloc(d->nfields, sizeof(*row));
    if (!sql.p || !row) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    if (sqlite3_prepare_v2(s->db, sql.p, -1, &st, NULL) != SQLITE_OK) {
        rc = hw__sqlite_fail(s->db, "reading", e);
        goto out;
    }
    s->ident_bad = 0;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < d->nfields; i++)
            hw__sqlite_read_value(st, (int)i, &d->fields[i], &row[i]);
        if (HW_UNLIKELY(s->ident_bad)) {
            rc = ident_failed(s, e);
            goto out;
        }
        if (fn(ud, row)) {
            rc = HW_ECANCELED;
            goto out;
        }
    }
    if (r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading", e);
out:
    sqlite3_finalize(st);
    free(row);
    hw_buf_release(&sql);
    return rc;
}

static hw_code sq_meta_set(hw_store *base, const char *key, const char *value, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_code rc = HW_OK;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO homeward_meta (key, value) VALUES (?1, ?2)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           -1, &st, NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "writing metadata", e);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "writing metadata", e);
    sqlite3_finalize(st);
    return rc;
}

static hw_code sq_meta_get(hw_store *base, const char *key, char *out, size_t size, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st = NULL;
    hw_code rc = HW_OK;
    int r;

    if (sqlite3_prepare_v2(s->db, "SELECT value FROM homeward_meta WHERE key = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        return hw__sqlite_fail(s->db, "reading metadata", e);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (r == SQLITE_DONE)
        rc = hw_fail(e, HW_ENOTFOUND, "key", "no metadata '%s'", key);
    else
        rc = hw__sqlite_fail(s->db, "reading metadata", e);
    sqlite3_finalize(st);
    return rc;
}

static hw_code sq_scan_people(hw_store *base, const hw_people_scan *spec, hw_person_fn fn, void *ud,
                              hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_code rc;

    s->ident_bad = 0;
    rc = hw__sqlite_scan_people(base, spec, fn, ud, e);
    if (s->ident_bad && (rc == HW_OK || rc == HW_ECANCELED))
        rc = ident_failed(s, e);
    return rc;
}

/*
 * Candidates come from the blind index; each is decrypted and compared, so
 * that neither a collision nor a row's blind index copied onto another can
 * answer with the wrong person.
 */
static hw_code sq_find_external_id(hw_store *base, int64_t org, const char *external_id,
                                   int64_t *person_id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    unsigned char idx[HW_BLIND_INDEX_BYTES];
    size_t n = strlen(external_id);
    sqlite3_stmt *st;
    int found = 0, r;
    hw_code rc;

    *person_id = 0;
    hw_ident_blind_index(s->base.keys, external_id, n, idx);
    if ((rc = hw__sqlite_prepare(s,
                                 "SELECT p.id, p.external_id FROM external_ids x"
                                 " JOIN people p ON p.id = x.person_id"
                                 " WHERE x.blind_index = ?1 AND (?2 = 0 OR p.organisation_id = ?2)"
                                 " ORDER BY p.id",
                                 &st, e)))
        return rc;
    sqlite3_bind_blob(st, 1, idx, sizeof(idx), SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, org);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_value v;

        hw__sqlite_read_value(st, 1, ident_field, &v);
        if (!v.null && hw_ident_same(v.s, v.n, external_id, n) && !found++)
            *person_id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    s->ident_bad = 0;
    if (r != SQLITE_DONE)
        return hw__sqlite_fail(s->db, "finding an identifier", e);
    if (!found)
        return hw_fail(e, HW_ENOTFOUND, "external_id", "no person has that external_id");
    if (found > 1)
        return hw_fail(e, HW_ECONFLICT, "external_id", "%d people have that external_id", found);
    return HW_OK;
}

static const struct hw_store_ops sqlite_ops = {
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .bulk_load = sq_bulk_load,
    .insert = sq_insert,
    .owner = sq_owner,
    .count = sq_count,
    .scan = sq_scan,
    .meta_set = sq_meta_set,
    .meta_get = sq_meta_get,
    .stats = hw__sqlite_stats,
    .balances = hw__sqlite_balances,
    .scan_people = sq_scan_people,
    .person_id_at = hw__sqlite_person_id_at,
    .det_clear = hw__sqlite_det_clear,
    .det_put = hw__sqlite_det_put,
    .find_external_id = sq_find_external_id,
};

/*
 * SQLite counts every allocation under one global mutex unless told not to;
 * two screening threads reading through their own handles spent their time
 * waiting on it.
 */
static void configure_once(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    ident_at = hw_vocab_field_index(HW_K_PEOPLE, "external_id", strlen("external_id"));
    ident_field = &hw_vocab_kind(HW_K_PEOPLE)->fields[ident_at];
}

/*
 * The key file: a database from before the keyed schema gets one as it is
 * created or upgraded; from then on it cannot be opened without it.
 */
static hw_code open_keys(sq_store *s, const char *path, hw_err *e)
{
    char kp[4096];
    hw_code rc;

    if (!strcmp(path, ":memory:"))
        return hw_keys_ephemeral(&s->base.keys, e);
    if ((rc = hw_key_path(path, kp, sizeof(kp), e)))
        return rc;
    rc = hw_keys_load(kp, &s->base.keys, e);
    if (rc == HW_ENOTFOUND && s->version < HW__KEYED_VERSION && !(s->flags & HW_STORE_READONLY)) {
        rc = hw_keys_create(kp, &s->base.keys, e);
        if (rc == HW_ECONFLICT) /* made meanwhile by another process opening it */
            rc = hw_keys_load(kp, &s->base.keys, e);
    } else if (rc == HW_ENOTFOUND) {
        rc = hw_fail(e, HW_EINVAL, NULL,
                     "'%s' needs its key file '%s', which is missing: restore it from the "
                     "backup, or set HOMEWARD_KEY_FILE to where it is",
                     path, kp);
    }
    return rc;
}

/* The key file must be the one the database was keyed with, or nothing would decrypt. */
static hw_code check_key(sq_store *s, const char *path, hw_err *e)
{
    char want[HW_KEY_CHECK_HEX + 1], have[HW_KEY_CHECK_HEX + 1];
    hw_code rc;

    if (s->version < HW__KEYED_VERSION)
        return HW_OK;
    rc = sq_meta_get(&s->base, "key_check", have, sizeof(have), NULL);
    if (rc == HW_ENOTFOUND)
        return HW_OK;
    if (rc)
        return hw__sqlite_fail(s->db, "reading the key check", e);
    hw_keys_check_text(s->base.keys, want);
    if (strcmp(want, have))
        return hw_fail(e, HW_EINVAL, NULL,
                       "the key file '%s' is not the key of '%s': set HOMEWARD_KEY_FILE to the "
                       "key file that came with this database",
                       hw_keys_path(s->base.keys), path);
    return HW_OK;
}

hw_code hw__sqlite_open(const char *path, unsigned flags, hw_store **out, hw_err *e)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    bool ro = flags & HW_STORE_READONLY;
    int oflags = ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    sq_store *s;
    hw_code rc;
    char pragma[200];

    pthread_once(&once, configure_once);
    if ((flags & HW_STORE_CREATE) && !ro)
        oflags |= SQLITE_OPEN_CREATE;
    else if (access(path, F_OK) != 0)
        return hw_fail(e, HW_ENOTFOUND, NULL,
                       "no database at '%s' (create one with: homeward init --db %s)", path, path);
    s = calloc(1, sizeof(*s));
    if (!s)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    s->base.ops = &sqlite_ops;
    s->flags = flags;
    snprintf(s->base.actor.address, sizeof(s->base.actor.address), "cli");
    if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = hw_fail(e, HW_ESTORE, NULL, "cannot open '%s': %s", path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto out;
    }
    pthread_mutex_lock(&open_lock);
    s->next_open = open_stores;
    open_stores = s;
    pthread_mutex_unlock(&open_lock);
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    rc = read_version(s, path, e);
    if (rc)
        goto out;
    /*
     * A new database gets 16 KiB pages (set before the first table): bulk loads
     * measured 11% faster than with 4 KiB, and a person's rows share fewer pages.
     */
    if (s->version == 0 && !ro &&
        (rc = exec(s->db, "PRAGMA page_size = 16384", "setting the page size", e)))
        goto out;
    /*
     * WAL: readers never block the writer, and a killed writer leaves no
     * trace.  A scratch file is built whole and renamed into place by the
     * caller, so it needs no journal at all.
     */
    if (!ro && (rc = exec(s->db,
                          (flags & HW_STORE_SCRATCH) ? "PRAGMA journal_mode = OFF"
                                                     : "PRAGMA journal_mode = WAL",
                          "setting the journal mode", e)))
        goto out;
    /*
     * Bulk handles sort to temporary files: an index built at the end of a load
     * then needs bounded memory, and measured faster than sorting in memory.
     * Their 256 MiB cache keeps memory flat however large the input.
     */
    snprintf(pragma, sizeof(pragma),
             "PRAGMA foreign_keys = ON; PRAGMA synchronous = %s; PRAGMA temp_store = %s;"
             " PRAGMA cache_size = -%d",
             (flags & HW_STORE_SCRATCH) ? "OFF" : "NORMAL",
             (flags & (HW_STORE_BULK | HW_STORE_SCRATCH)) ? "FILE" : "MEMORY",
             (flags & (HW_STORE_BULK | HW_STORE_SCRATCH)) ? 262144 : 32768);
    if ((rc = exec(s->db, pragma, "configuring the database", e)))
        goto out;
    if (ro && s->version < hw_store_schema_latest()) {
        rc = hw_fail(e, HW_EINVAL, NULL,
                     "'%s' has schema version %d, older than this homeward's %d: upgrade it with "
                     "'homeward init --db %s'",
                     path, s->version, hw_store_schema_latest(), path);
        goto out;
    }
    if ((rc = open_keys(s, path, e)))
        goto out;
    if (!ro)
        rc = migrate(s, e);
    if (!rc)
        rc = check_key(s, path, e);
out:
    if (rc) {
        sq_close(&s->base);
        return rc;
    }
    *out = &s->base;
    return HW_OK;
}

/*
 * The read log is kept apart from the database because, under WAL, every
 * commit to a database makes each of its other handles drop its page cache:
 * with reads' entries in the database itself, the server's handles refilled
 * their caches for nearly every request.  Its table, index and trigger are
 * the database's own (copied from its schema), so the two never differ.
 */
hw_code hw__sqlite_open_read_log(hw_store *dbase, bool writable, hw_store **out, hw_err *e)
{
    sq_store *db = (sq_store *)dbase, *s;
    sqlite3_stmt *st = NULL;
    int64_t have = 0;
    size_t n;
    hw_code rc = HW_OK;
    int r;

    *out = NULL;
    if (!dbase->path || !strcmp(dbase->path, ":memory:"))
        return hw_fail(e, writable ? HW_EINVAL : HW_ENOTFOUND, NULL,
                       "a database in memory has no read log");
    if (!(s = calloc(1, sizeof(*s))))
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    s->base.ops = &sqlite_ops;
    s->base.keys = db->base.keys;
    s->keys_borrowed = true;
    s->flags = writable ? 0 : HW_STORE_READONLY;
    s->version = s->version_at_open = db->version;
    snprintf(s->base.actor.address, sizeof(s->base.actor.address), "cli");
    n = strlen(dbase->path) + sizeof(".reads");
    if (!(s->base.path = malloc(n))) {
        free(s);
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    snprintf(s->base.path, n, "%s.reads", dbase->path);
    if (!writable && access(s->base.path, F_OK) != 0) {
        rc = hw_fail(e, HW_ENOTFOUND, NULL, "no read log at '%s': nothing read yet", s->base.path);
        goto out;
    }
    if (sqlite3_open_v2(
            s->base.path, &s->db,
            (writable ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY) |
                SQLITE_OPEN_NOMUTEX,
            NULL) != SQLITE_OK) {
        rc = hw_fail(e, HW_ESTORE, NULL, "cannot open the read log '%s': %s", s->base.path,
                     s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    if (!writable)
        goto out;
    /* An entry committed must survive a power cut, not only a crash: sync every commit. */
    if ((rc = exec(s->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL",
                   "configuring the read log", e)) ||
        (rc = hw__sqlite_query_int(s->db, "SELECT count(*) FROM sqlite_master WHERE name = 'audit'",
                                   &have, e)) ||
        have || (rc = exec(s->db, "BEGIN IMMEDIATE", "making the read log", e)))
        goto out;
    if ((rc = hw__sqlite_prepare(db,
                                 "SELECT sql FROM sqlite_master WHERE tbl_name = 'audit' AND"
                                 " sql IS NOT NULL ORDER BY type = 'table' DESC",
                                 &st, e)))
        goto undo;
    while (!rc && (r = sqlite3_step(st)) == SQLITE_ROW)
        rc = exec(s->db, (const char *)sqlite3_column_text(st, 0), "making the read log", e);
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(db->db, "reading the audit table's schema", e);
    sqlite3_finalize(st);
    if (!rc)
        rc = exec(s->db, "COMMIT", "making the read log", e);
undo:
    if (rc)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
out:
    if (rc) {
        char *path = s->base.path;

        sq_close(&s->base);
        free(path);
        return rc;
    }
    *out = &s->base;
    return HW_OK;
}
