/* SPDX-License-Identifier: MIT */
/*
 * Organisations and the people who sign in to them.  Every person record
 * belongs to an organisation; every user belongs to one and has one role:
 * admin, case_manager, legal, finance or funder (aggregates only).
 */
#ifndef HOMEWARD_USERS_H
#define HOMEWARD_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "homeward/store.h"

/* Create an organisation (name required, 1..200 bytes; state a USPS code or NULL). */
hw_code hw_org_add(hw_store *s, const char *name, const char *state, int64_t *id, hw_err *e);

typedef struct hw_org {
    int64_t id;
    const char *name, *state; /* state may be NULL */
    int64_t people, users;
} hw_org;

/* Every organisation in id order; each valid during the call.  Non-zero from fn stops. */
typedef int (*hw_org_fn)(void *ud, const hw_org *o);
hw_code hw_org_list(hw_store *s, hw_org_fn fn, void *ud, hw_err *e);

/* Is `role` one of the five? */
int hw_role_valid(const char *role);

/*
 * Create a user of organisation `org` with `role`.  The password (at least
 * 12 bytes, at most 1024) is hashed with Argon2id and never stored; the
 * caller should wipe its copy.  A taken e-mail address is HW_ECONFLICT, a
 * missing organisation HW_ENOTFOUND, anything malformed HW_EINVAL naming
 * the field.
 */
hw_code hw_user_add(hw_store *s, const char *email, const char *role, int64_t org,
                    const char *password, size_t password_len, int64_t *id, hw_err *e);

/* Does `password` match user `email`?  *ok 1 or 0; HW_ENOTFOUND when no such user. */
hw_code hw_user_check_password(hw_store *s, const char *email, const char *password,
                               size_t password_len, int *ok, int64_t *user_id, hw_err *e);

#endif
