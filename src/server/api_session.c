/* SPDX-License-Identifier: MIT */
/*
 * Sign-in, the signed-in user, sign-out.  A failed sign-in says only that
 * the e-mail or password is wrong, takes as long for an unknown address as
 * for a known one, and counts against the account and the client address.
 */
#include <sodium.h>
#include <string.h>

#include "homeward/query.h"
#include "homeward/totp.h"
#include "homeward/users.h"
#include "server/server_int.h"
#include "core/banned.h"

static json_t *user_json(hw_ctx *c, const hw_user *u)
{
    char org[256] = "";

    hw_store_org_name(c->db, u->organisation_id, org, sizeof(org), NULL);
    return json_pack("{s:I, s:s, s:s, s:I, s:s}", "id", (json_int_t)u->id, "email", u->email,
                     "role", hw__role_name(u->role), "organisation_id",
                     (json_int_t)u->organisation_id, "organisation_name", org);
}

/* Argon2id against a hash of nothing, so that an unknown address costs what a known one does. */
static void spend_like_a_check(const char *password, size_t len)
{
    static char dummy[crypto_pwhash_STRBYTES];
    static int ready;

    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        char tmp[crypto_pwhash_STRBYTES];
        unsigned char pw[16];

        randombytes_buf(pw, sizeof(pw));
        if (crypto_pwhash_str(tmp, (const char *)pw, sizeof(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return;
        /* Two threads may both make one; either is as good. */
        if (!__atomic_exchange_n(&ready, 1, __ATOMIC_ACQ_REL))
            memcpy(dummy, tmp, sizeof(dummy));
        else
            return;
    }
    if (crypto_pwhash_str_verify(dummy, password, len) == 0)
        return; /* it cannot match: the password behind it was random and is gone */
}

static void refuse(hw_ctx *c, const char *email)
{
    /* Recorded without the address typed: it may be a password pasted in the wrong box. */
    hw__audit_sign_in(c, "sign_in_failed", 0, 0);
    hw__throttle_fail(c->srv->sessions, email, c->rq->address, c->now);
    hw__reply_error(c, 401, "unauthorized", NULL, "the e-mail address or password is wrong");
}

void hw__api_session_create(hw_ctx *c)
{
    static const char *const fields[] = {"email", "password", "totp", NULL};
    json_t *body = hw__body_object(c, fields);
    const char *email, *password, *code;
    char token[44], csrf[44], secret[HW_TOTP_SECRET_MAX * 2];
    hw_user_info info;
    hw_user u = {0};
    int64_t id = 0, step = -1;
    int ok = 0, has = 0, wait;
    size_t plen;
    hw_err e;

    if (!body)
        return;
    email = json_string_value(json_object_get(body, "email"));
    password = json_string_value(json_object_get(body, "password"));
    code = json_string_value(json_object_get(body, "totp"));
    if (!email || !*email || strlen(email) > 254) {
        hw__reply_error(c, 422, "invalid", "email", "an e-mail address is needed");
        goto out;
    }
    if (!password || !*password) {
        hw__reply_error(c, 422, "invalid", "password", "a password is needed");
        goto out;
    }
    plen = json_string_length(json_object_get(body, "password"));
    if ((wait = hw__throttle_wait(c->srv->sessions, email, c->rq->address, c->now)) > 0) {
        c->rs->retry_after = wait;
        hw__reply_error(c, 429, "throttled", NULL,
                        "too many failed sign-ins: try again in %d minutes", (wait + 59) / 60);
        goto out;
    }
    if (hw_user_check_password(c->db, email, password, plen, &ok, &id, &e)) {
        if (e.code != HW_ENOTFOUND) {
            hw__reply_err(c, &e);
            goto out;
        }
        spend_like_a_check(password, plen);
        refuse(c, email);
        goto out;
    }
    if (!ok) {
        refuse(c, email);
        goto out;
    }
    if (hw_store_user_get(c->db, id, &info, &e)) {
        hw__reply_err(c, &e);
        goto out;
    }
    if (info.disabled || !hw__role_bit(info.role)) {
        refuse(c, email);
        goto out;
    }
    if (hw_user_totp_secret(c->db, id, secret, sizeof(secret), &has, &e)) {
        hw__reply_err(c, &e);
        goto out;
    }
    if (has) {
        if (!code || !*code) {
            sodium_memzero(secret, sizeof(secret));
            hw__reply_error(c, 401, "totp_required", "totp",
                            "enter the 6-digit code from your authenticator app");
            goto out;
        }
        ok = 0;
        if (hw_totp_verify(secret, code, c->now, HW_TOTP_WINDOW, &step, &ok, &e)) {
            sodium_memzero(secret, sizeof(secret));
            hw__reply_err(c, &e);
            goto out;
        }
        sodium_memzero(secret, sizeof(secret));
        if (!ok || !hw__totp_step_fresh(c->srv->sessions, id, step)) {
            hw__audit_sign_in(c, "sign_in_failed", 0, 0);
            hw__throttle_fail(c->srv->sessions, email, c->rq->address, c->now);
            hw__reply_error(c, 401, "unauthorized", "totp",
                            "the code is wrong or was used already: wait for the next one");
            goto out;
        }
    }
    u.id = info.id;
    u.organisation_id = info.organisation_id;
    u.role = hw__role_bit(info.role);
    snprintf(u.email, sizeof(u.email), "%s", info.email);
    if (!hw__audit_sign_in(c, "sign_in", u.id, u.organisation_id)) {
        hw__reply_error(c, 503, "audit_unavailable", NULL,
                        "the sign-in could not be recorded in the audit log: try again");
        goto out;
    }
    /* Always a new id: one planted in the browser before sign-in is worth nothing after. */
    if (c->rq->session)
        hw__session_end(c->srv->sessions, c->rq->session);
    if (!hw__session_create(c->srv->sessions, &u, c->now, token, csrf)) {
        hw__reply_error(c, 503, "busy", NULL, "too many sessions: try again later");
        goto out;
    }
    hw__throttle_clear(c->srv->sessions, email);
    snprintf(c->rs->set_cookie, sizeof(c->rs->set_cookie),
             "hw_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
             c->srv->secure_cookies ? "; Secure" : "");
    c->rs->user_id = u.id;
    hw__reply_json(c, 201, json_pack("{s:o, s:s}", "user", user_json(c, &u), "csrf_token", csrf));
out:
    json_decref(body);
}

void hw__api_session_get(hw_ctx *c)
{
    hw_user u;
    char csrf[44];

    if (!hw__session_get(c->srv->sessions, c->rq->session, c->now, &u, csrf)) {
        hw__reply_error(c, 401, "unauthorized", NULL, "sign in first");
        return;
    }
    hw__reply_json(c, 200, json_pack("{s:o, s:s}", "user", user_json(c, &u), "csrf_token", csrf));
}

void hw__api_session_delete(hw_ctx *c)
{
    hw__session_end(c->srv->sessions, c->rq->session);
    snprintf(c->rs->set_cookie, sizeof(c->rs->set_cookie),
             "hw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             c->srv->secure_cookies ? "; Secure" : "");
    hw__reply_json(c, 200, json_pack("{s:b}", "signed_out", 1));
}
