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
/*
 * Set user `email`'s TOTP secret, or clear it when secret is NULL.  Setting
 * over one already there is HW_ECONFLICT unless `replace`.  *had (may be
 * NULL) says whether there was one before.  HW_ENOTFOUND when no such user.
 * The update itself checks for a secret again, so a writer slipping in
 * between cannot have its secret replaced.
 */
hw_code hw__sqlite_user_totp_set(hw_store *s, const char *email, const char *secret, int replace,
                                 int *had, hw_err *e);
/* User `id`'s TOTP secret into out[size] (*has 0 and out "" when none); HW_ENOTFOUND. */
hw_code hw__sqlite_user_totp_get(hw_store *s, int64_t id, char *out, size_t size, int *has,
                                 hw_err *e);

#endif
