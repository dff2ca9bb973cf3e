/* SPDX-License-Identifier: MIT */
/* Organisations and users in SQLite (migration 0005). */
#include "core/common.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "homeward/arena.h"
#include "homeward/buf.h"
#include "homeward/keys.h"
#include "store/sqlite_int.h"
#include "store/store_users.h"
#include "core/banned.h"

hw_code hw__sqlite_org_add(hw_store *base, const char *name, const char *state, int64_t *id,
                           hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;

    if ((rc =
             hw__sqlite_prepare(s, "INSERT INTO organisations(name, state) VALUES (?, ?)", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    if (state)
        sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "adding the organisation", e);
    else
        *id = sqlite3_last_insert_rowid(s->db);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_org_list(hw_store *base, hw_org_fn fn, void *ud, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    if ((rc = hw__sqlite_prepare(s,
                                 "SELECT o.id, o.name, o.state, "
                                 "(SELECT count(*) FROM people p WHERE p.organisation_id = o.id), "
                                 "(SELECT count(*) FROM users u WHERE u.organisation_id = o.id) "
                                 "FROM organisations o ORDER BY o.id",
                                 &st, e)))
        return rc;
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        hw_org o = {
            .id = sqlite3_column_int64(st, 0),
            .name = (const char *)sqlite3_column_text(st, 1),
            .state = (const char *)sqlite3_column_text(st, 2),
            .people = sqlite3_column_int64(st, 3),
            .users = sqlite3_column_int64(st, 4),
        };
        if (fn(ud, &o)) {
            rc = HW_ECANCELED;
            break;
        }
    }
    if (!rc && r != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "reading organisations", e);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_user_add(hw_store *base, const char *email, const char *role, int64_t org,
                            const char *hash, int64_t *id, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    hw_code rc;
    int r;

    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if ((rc = hw__sqlite_prepare(s, "SELECT 1 FROM organisations WHERE id = ?", &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, org);
    r = sqlite3_step(st);
    sqlite3_finalize(st);
    if (r != SQLITE_ROW)
        return hw_fail(e, HW_ENOTFOUND, "org", "no organisation %lld", (long long)org);
    if ((rc = hw__sqlite_prepare(
             s,
             "INSERT INTO users(organisation_id, email, role, password_hash, created_at) "
             "VALUES (?, ?, ?, ?, ?)",
             &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, org);
    sqlite3_bind_text(st, 2, email, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, now, -1, SQLITE_TRANSIENT);
    r = sqlite3_step(st);
    if (r == SQLITE_DONE)
        *id = sqlite3_last_insert_rowid(s->db);
    else if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE)
        rc = hw_fail(e, HW_ECONFLICT, "email", "a user with e-mail '%s' already exists", email);
    else
        rc = hw__sqlite_fail(s->db, "adding the user", e);
    sqlite3_finalize(st);
    return rc;
}

hw_code hw__sqlite_user_hash(hw_store *base, const char *email, int64_t *id, char *out, size_t size,
                             hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;

    if ((rc = hw__sqlite_prepare(
             s, "SELECT id, password_hash FROM users WHERE email = ? AND disabled = 0", &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 1));
    } else {
        rc = hw_fail(e, HW_ENOTFOUND, "email", "no user '%s'", email);
    }
    sqlite3_finalize(st);
    return rc;
}

static const char totp_column[] = "users.totp_secret";

hw_code hw__sqlite_user_totp_set(hw_store *base, const char *email, const char *secret, int replace,
                                 int *had, hw_err *e)
{
    sq_store *s = (sq_store *)base;
    hw_buf sealed = HW_BUF_INIT(0);
    sqlite3_stmt *st;
    int64_t who;
    hw_code rc;
    int has, r;

    if ((rc = hw__sqlite_prepare(s, "SELECT id, totp_secret IS NOT NULL FROM users WHERE email = ?",
                                 &st, e)))
        return rc;
    sqlite3_bind_text(st, 1, email, -1, SQLITE_TRANSIENT);
    if ((r = sqlite3_step(st)) != SQLITE_ROW) {
        rc = r == SQLITE_DONE ? hw_fail(e, HW_ENOTFOUND, "email", "no user '%s'", email)
                              : hw__sqlite_fail(s->db, "reading the user", e);
        sqlite3_finalize(st);
        return rc;
    }
    who = sqlite3_column_int64(st, 0);
    has = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    if (had)
        *had = has;
    if (secret && has && !replace)
        return hw_fail(e, HW_ECONFLICT, "email", "user '%s' already has a second factor", email);
    /* The secret is a credential: encrypted with the key file, bound to the user's row. */
    if (secret &&
        (rc = hw_ident_encrypt(s->base.keys, totp_column, who, secret, strlen(secret), &sealed, e)))
        return rc;
    if ((rc = hw__sqlite_prepare(s,
                                 "UPDATE users SET totp_secret = ?1 "
                                 "WHERE id = ?2 AND (?1 IS NULL OR ?3 OR totp_secret IS NULL)",
                                 &st, e))) {
        hw_buf_release(&sealed);
        return rc;
    }
    if (secret)
        sqlite3_bind_text(st, 1, sealed.p, (int)sealed.n, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, who);
    sqlite3_bind_int(st, 3, replace != 0);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = hw__sqlite_fail(s->db, "changing the second factor", e);
    else if (secret && sqlite3_changes(s->db) == 0)
        rc = hw_fail(e, HW_ECONFLICT, "email", "user '%s' already has a second factor", email);
    sqlite3_finalize(st);
    sodium_memzero(sealed.p ? sealed.p : (char *)&sealed, sealed.p ? sealed.n : 0);
    hw_buf_release(&sealed);
    return rc;
}

hw_code hw__sqlite_user_totp_get(hw_store *base, int64_t id, char *out, size_t size, int *has,
                                 hw_err *e)
{
    sq_store *s = (sq_store *)base;
    sqlite3_stmt *st;
    hw_code rc;
    int r;

    *has = 0;
    if (size)
        out[0] = '\0';
    if ((rc = hw__sqlite_prepare(s, "SELECT totp_secret FROM users WHERE id = ?", &st, e)))
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((r = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        size_t n = t ? (size_t)sqlite3_column_bytes(st, 0) : 0;

        hw_buf plain = HW_BUF_INIT(0);

        if (t && (rc = hw_ident_decrypt(s->base.keys, totp_column, id, t, n, &plain, e)) == HW_OK) {
            if (plain.n >= size)
                rc = hw_fail(e, HW_ELIMIT, "totp_secret",
                             "user %lld's secret is longer than %zu bytes", (long long)id,
                             size ? size - 1 : 0);
            else {
                memcpy(out, plain.p, plain.n);
                out[plain.n] = '\0';
                *has = 1;
            }
        }
        if (plain.p)
            sodium_memzero(plain.p, plain.n);
        hw_buf_release(&plain);
    } else if (r == SQLITE_DONE) {
        rc = hw_fail(e, HW_ENOTFOUND, "user", "no user %lld", (long long)id);
    } else {
        rc = hw__sqlite_fail(s->db, "reading the user", e);
    }
    sqlite3_finalize(st);
    return rc;
}
