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
#include "homeward/totp.h"

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

/*
 * Second factors (TOTP, homeward/totp.h; docs/totp.md).  Enabling gives
 * user `email` a new random secret, stored as base32, and writes it to
 * `secret` for the person to put into an authenticator app.  A user who
 * has one already is HW_ECONFLICT unless `reset`, which replaces it (the
 * old one stops working).  HW_ENOTFOUND when no such user; on any failure
 * `secret` is "" and nothing changed.
 */
hw_code hw_user_totp_enable(hw_store *s, const char *email, int reset,
                            char secret[HW_TOTP_SECRET_TEXT], hw_err *e);

/* Remove user `email`'s second factor; *had (may be NULL) says whether there was one. */
hw_code hw_user_totp_disable(hw_store *s, const char *email, int *had, hw_err *e);

/*
 * User `user_id`'s base32 secret into out[cap] (HW_TOTP_SECRET_TEXT bytes
 * hold the ones Homeward makes), for the sign-in check after the password
 * with hw_totp_verify().  *has 0 and out "" when the user has no second
 * factor; HW_ENOTFOUND when no such user.  The caller should wipe its copy.
 */
hw_code hw_user_totp_secret(hw_store *s, int64_t user_id, char *out, size_t cap, int *has,
                            hw_err *e);

#endif
