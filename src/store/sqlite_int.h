/* SPDX-License-Identifier: MIT */
/* Internal to the SQLite backend: the handle, shared by sqlite.c and sqlite_stats.c. */
#ifndef HW_SQLITE_INT_H
#define HW_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "homeward/audit.h"
#include "homeward/buf.h"
#include "store/store_int.h"

/* The first schema version whose data needs the key file (0006-audit.sql). */
#define HW__KEYED_VERSION 6

typedef struct sq_store {
    struct hw_store base; /* first, so a sq_store * is a hw_store * */
    sqlite3 *db;
    unsigned flags; /* enum hw_store_flags */
    int version;    /* schema version */
    int version_at_open;
    bool in_tx;
    bool fk_off;                      /* foreign keys are off until this transaction ends */
    sqlite3_stmt *insert[HW_K_COUNT]; /* prepared on first use */
    sqlite3_stmt *owner[HW_K_COUNT];
    sqlite3_stmt *det_put; /* prepared on first use */
    char *deferred[32];    /* CREATE INDEX statements to run at commit (hw_store_bulk_load) */
    int ndeferred;
    struct {
        char *sql;
        sqlite3_stmt *st;
    } cache[32];            /* statements the API runs again and again (hw__sqlite_cached) */
    unsigned cache_next;    /* the slot to fill next, round robin */
    unsigned time_limit_ms; /* per statement, for the server (hw_store_set_time_limit) */
    int64_t deadline_ms;    /* when the running statement must stop, or 0 */

    /* Identifiers encrypted at rest, and the audit log. */
    hw_buf ident;               /* an identifier encrypted or decrypted, reused row to row */
    int64_t ident_bad;          /* a person whose identifier did not decrypt, or 0 */
    sqlite3_stmt *ident_put;    /* prepared on first use */
    sqlite3_stmt *audit_last;   /* src/audit/audit.c's, prepared on first use */
    sqlite3_stmt *audit_put;    /* likewise */
    bool keys_borrowed;         /* the read log's: its database's keys, not freed here */
    struct sq_store *next_open; /* the list of open handles (sqlite.c) */
} sq_store;

/*
 * The read log beside db (audit.h's hw_audit_reads_open()): a file holding the
 * audit table alone, with db's schema for it and db's keys, borrowed.
 */
hw_code hw__sqlite_open_read_log(hw_store *db, bool writable, hw_store **out, hw_err *e);

/* Run `sql` (an index to build) when the transaction commits; forgotten on rollback. */
hw_code hw__sqlite_defer(sq_store *s, const char *sql, hw_err *e);

/*
 * A prepared statement for `sql`, kept on the handle for the next call with
 * the same text: the API's queries are built from the same few shapes, and
 * preparing one cost more than running it.  Give it back with
 * hw__sqlite_done() (NULL is fine), never finalize it; and do not run the
 * same text again while stepping it.
 */
hw_code hw__sqlite_cached(sq_store *s, const char *sql, sqlite3_stmt **st, hw_err *e);
void hw__sqlite_done(sqlite3_stmt *st);

/*
 * Bind value v of field f as the column stores it (a time as its text);
 * `text` says how long SQLite may borrow v's text.
 */
void hw__sqlite_bind_value(sqlite3_stmt *st, int col, const hw_field *f, const hw_value *v,
                           sqlite3_destructor_type text);

/* Prepare `sql` on s's database; a failure says so in e. */
hw_code hw__sqlite_prepare(sq_store *s, const char *sql, sqlite3_stmt **st, hw_err *e);

/* One integer from a query with no parameters; *out untouched when no row. */
hw_code hw__sqlite_query_int(sqlite3 *db, const char *sql, int64_t *out, hw_err *e);

/* Copy SQLite's last error into e as HW_ESTORE, prefixed with what we were doing. */
hw_code hw__sqlite_fail(sqlite3 *db, const char *doing, hw_err *e);

/* Column `col` of a row as field f's value; text borrows SQLite's memory. */
void hw__sqlite_read_value(sqlite3_stmt *st, int col, const hw_field *f, hw_value *v);

hw_code hw__sqlite_balances(hw_store *s, int64_t person_id, hw_balances **out, hw_err *e);
hw_code hw__sqlite_scan_people(hw_store *s, const hw_people_scan *spec, hw_person_fn fn, void *ud,
                               hw_err *e);
hw_code hw__sqlite_person_id_at(hw_store *s, int64_t offset, int64_t *id, hw_err *e);
hw_code hw__sqlite_det_clear(hw_store *s, const char *rule, int64_t person_id, hw_err *e);
hw_code hw__sqlite_det_put(hw_store *s, const hw_determination_row *d, hw_err *e);

/*
 * people.external_id for any writer of people rows besides hw_store_insert():
 * bind value v of person `id` encrypted at column `col` of st (v is borrowed
 * until st is stepped), then, once the row is written, keep its blind index.
 * The schema refuses a plaintext identifier (0006-audit.sql).
 */
hw_code hw__sqlite_ident_bind(sq_store *s, sqlite3_stmt *st, int col, int64_t id, const hw_value *v,
                              hw_err *e);
hw_code hw__sqlite_ident_index(sq_store *s, int64_t id, const hw_value *v, hw_err *e);

/* Append an audit entry in the open transaction, whether begun by hw_store_begin() or not. */
hw_code hw__sqlite_audit_append(sq_store *s, const hw_audit_entry *a, hw_err *e);

hw_code hw__sqlite_stats(hw_store *s, int32_t as_of, hw_stats *out, hw_err *e);

#endif
