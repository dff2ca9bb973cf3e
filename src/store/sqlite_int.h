/* SPDX-License-Identifier: MIT */
/* Internal to the SQLite backend: the handle, shared by sqlite.c and sqlite_stats.c. */
#ifndef HW_SQLITE_INT_H
#define HW_SQLITE_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store_int.h"

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
} sq_store;

/* Run `sql` (an index to build) when the transaction commits; forgotten on rollback. */
hw_code hw__sqlite_defer(sq_store *s, const char *sql, hw_err *e);

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

hw_code hw__sqlite_stats(hw_store *s, int32_t as_of, hw_stats *out, hw_err *e);

#endif
