/* SPDX-License-Identifier: MIT */
/* Internal: the organisations and users tables (migration 0005), for src/users. */
#ifndef HW_STORE_USERS_H
#define HW_STORE_USERS_H

#include "homeward/users.h"

hw_code hw__sqlite_org_add(hw_store *s, const char *name, const char *state, int64_t *id,
                           hw_err *e);
hw_code hw__sqlite_org_list(hw_store *s, hw_org_fn fn, void *ud, hw_err *e);
hw_code hw__sqlite_user_add(hw_store *s, const char *email, const char *role, int64_t org,
                            const char *hash, int64_t *id, hw_err *e);
/* The user's id and password hash (in out[size]); HW_ENOTFOUND when none. */
hw_code hw__sqlite_user_hash(hw_store *s, const char *email, int64_t *id, char *out, size_t size,
                             hw_err *e);

#endif
