/* SPDX-License-Identifier: MIT */
/*
 * Organisations and users: validation, and passwords hashed with Argon2id
 * (libsodium's crypto_pwhash_str, its interactive limits: 64 MiB, about
 * 0.1 s a hash), so a stolen database does not give the passwords away;
 * and the optional second factor, a TOTP secret (totp.c).
 */
#include "core/common.h"

#include <sodium.h>
#include <string.h>

#include "homeward/text.h"
#include "homeward/users.h"
#include "store/store_users.h"
#include "core/banned.h"

enum { PASSWORD_MIN = 12, PASSWORD_MAX = 1024 };

static const char *const roles[] = {"admin", "case_manager", "legal", "finance", "funder", NULL};

int hw_role_valid(const char *role)
{
    for (size_t i = 0; role && roles[i]; i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

hw_code hw_org_add(hw_store *s, const char *name, const char *state, int64_t *id, hw_err *e)
{
    if (!name || !*name || strlen(name) > 200)
        return hw_fail(e, HW_EINVAL, "name", "an organisation needs a name of 1 to 200 bytes");
    if (state && (strlen(state) != 2 || state[0] < 'A' || state[0] > 'Z' || state[1] < 'A' ||
                  state[1] > 'Z'))
        return hw_fail(e, HW_EINVAL, "state", "not a state code: '%s' (two capital letters)",
                       state);
    return hw__sqlite_org_add(s, name, state, id, e);
}

hw_code hw_org_list(hw_store *s, hw_org_fn fn, void *ud, hw_err *e)
{
    return hw__sqlite_org_list(s, fn, ud, e);
}

hw_code hw_user_add(hw_store *s, const char *email, const char *role, int64_t org,
                    const char *password, size_t len, int64_t *id, hw_err *e)
{
    char hash[crypto_pwhash_STRBYTES];
    hw_code rc;

    if (!email || hw_email_check(email, strlen(email), NULL) != HW_OK)
        return hw_fail(e, HW_EINVAL, "email", "not an e-mail address: '%s'", email ? email : "");
    if (!hw_role_valid(role))
        return hw_fail(e, HW_EINVAL, "role",
                       "role is admin, case_manager, legal, finance or funder, not '%s'",
                       role ? role : "");
    if (len < PASSWORD_MIN)
        return hw_fail(e, HW_EINVAL, "password", "the password is shorter than %d characters",
                       PASSWORD_MIN);
    if (len > PASSWORD_MAX)
        return hw_fail(e, HW_EINVAL, "password", "the password is longer than %d bytes",
                       PASSWORD_MAX);
    if (sodium_init() < 0)
        return hw_fail(e, HW_EBUG, NULL, "libsodium could not start");
    if (crypto_pwhash_str(hash, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return hw_fail(e, HW_ENOMEM, "password", "not enough memory to hash the password");
    rc = hw__sqlite_user_add(s, email, role, org, hash, id, e);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

hw_code hw_user_check_password(hw_store *s, const char *email, const char *password, size_t len,
                               int *ok, int64_t *user_id, hw_err *e)
{
    char hash[crypto_pwhash_STRBYTES + 1];
    hw_code rc;

    *ok = 0;
    if (sodium_init() < 0)
        return hw_fail(e, HW_EBUG, NULL, "libsodium could not start");
    if ((rc = hw__sqlite_user_hash(s, email, user_id, hash, sizeof hash, e)))
        return rc;
    *ok = crypto_pwhash_str_verify(hash, password, len) == 0;
    sodium_memzero(hash, sizeof hash);
    return HW_OK;
}

hw_code hw_user_totp_enable(hw_store *s, const char *email, int reset,
                            char secret[HW_TOTP_SECRET_TEXT], hw_err *e)
{
    hw_code rc;

    secret[0] = '\0';
    if (!email || !*email)
        return hw_fail(e, HW_EINVAL, "email", "no e-mail address");
    if ((rc = hw_totp_secret_new(secret, e)))
        return rc;
    if ((rc = hw__sqlite_user_totp_set(s, email, secret, reset, NULL, e)))
        sodium_memzero(secret, HW_TOTP_SECRET_TEXT);
    return rc;
}

hw_code hw_user_totp_disable(hw_store *s, const char *email, int *had, hw_err *e)
{
    if (had)
        *had = 0;
    if (!email || !*email)
        return hw_fail(e, HW_EINVAL, "email", "no e-mail address");
    return hw__sqlite_user_totp_set(s, email, NULL, 0, had, e);
}

hw_code hw_user_totp_secret(hw_store *s, int64_t user_id, char *out, size_t cap, int *has,
                            hw_err *e)
{
    return hw__sqlite_user_totp_get(s, user_id, out, cap, has, e);
}
