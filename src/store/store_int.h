/* SPDX-License-Identifier: MIT */
/*
 * Internal to the store: the table of operations each backend fills in
 * (SQLite's VFS idea), and the embedded migrations.
 */
#ifndef HW_STORE_INT_H
#define HW_STORE_INT_H

#include <stdbool.h>

#include "homeward/keys.h"
#include "homeward/stats.h"
#include "homeward/store.h"

struct hw__migration {
    int version;
    const char *name; /* "0001-records" */
    const char *sql;
};
extern const struct hw__migration hw__migrations[];
extern const int hw__migration_count;

struct hw_store_ops {
    void (*close)(hw_store *s);
    int (*schema_version)(hw_store *s, bool at_open);
    hw_code (*begin)(hw_store *s, unsigned flags, hw_err *e);
    hw_code (*commit)(hw_store *s, hw_err *e);
    hw_code (*rollback)(hw_store *s, hw_err *e);
    hw_code (*bulk_load)(hw_store *s, hw_kind k, hw_err *e);
    hw_code (*insert)(hw_store *s, hw_kind k, const hw_value *row, hw_err *e);
    hw_code (*owner)(hw_store *s, hw_kind k, int64_t id, int64_t *person_id, hw_err *e);
    hw_code (*count)(hw_store *s, hw_kind k, int64_t *n, hw_err *e);
    hw_code (*scan)(hw_store *s, hw_kind k, hw_row_fn fn, void *ud, hw_err *e);
    hw_code (*meta_set)(hw_store *s, const char *key, const char *value, hw_err *e);
    hw_code (*meta_get)(hw_store *s, const char *key, char *out, size_t size, hw_err *e);
    hw_code (*stats)(hw_store *s, int32_t as_of, hw_stats *out, hw_err *e);
    hw_code (*balances)(hw_store *s, int64_t person_id, hw_balances **out, hw_err *e);
    hw_code (*scan_people)(hw_store *s, const hw_people_scan *spec, hw_person_fn fn, void *ud,
                           hw_err *e);
    hw_code (*person_id_at)(hw_store *s, int64_t offset, int64_t *id, hw_err *e);
    hw_code (*det_clear)(hw_store *s, const char *rule, int64_t person_id, hw_err *e);
    hw_code (*det_put)(hw_store *s, const hw_determination_row *d, hw_err *e);
    hw_code (*find_external_id)(hw_store *s, int64_t organisation_id, const char *external_id,
                                int64_t *person_id, hw_err *e);
};

struct hw_store {
    const struct hw_store_ops *ops;
    char *path;
    hw_keys *keys; /* the database's: loaded by the backend's open, freed by its close */
    struct {       /* whom the library's own audit entries name (hw_audit_set_actor) */
        int64_t user_id, organisation_id;
        char address[65];
    } actor;
};

/* Open a SQLite database; the returned handle starts with a struct hw_store. */
hw_code hw__sqlite_open(const char *path, unsigned flags, hw_store **out, hw_err *e);

#endif
