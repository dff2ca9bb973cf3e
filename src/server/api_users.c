/* SPDX-License-Identifier: MIT */
/* For administrators: their organisation's users, and who read or changed a person. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/audit.h"
#include "homeward/query.h"
#include "homeward/users.h"
#include "server/server_int.h"
#include "core/banned.h"

static int add_user(void *ud, const hw_user_info *u)
{
    return json_array_append_new(ud, json_pack("{s:I, s:I, s:s, s:s, s:s, s:b, s:b}", "id",
                                               (json_int_t)u->id, "organisation_id",
                                               (json_int_t)u->organisation_id, "email", u->email,
                                               "role", u->role, "created_at", u->created_at,
                                               "disabled", u->disabled, "totp", u->has_totp)) != 0;
}

void hw__api_users_list(hw_ctx *c)
{
    json_t *items = json_array();
    hw_err e;

    if (!items || hw_store_users(c->db, c->user.organisation_id, add_user, items, &e)) {
        json_decref(items);
        hw__reply_err(c, &e);
        return;
    }
    hw__reply_json(c, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}

void hw__api_user_create(hw_ctx *c)
{
    static const char *const fields[] = {"email", "role", "password", NULL};
    json_t *body = hw__body_object(c, fields);
    const char *email, *role, *password;
    hw_user_info u;
    int64_t id = 0;
    hw_err e;

    if (!body)
        return;
    email = json_string_value(json_object_get(body, "email"));
    role = json_string_value(json_object_get(body, "role"));
    password = json_string_value(json_object_get(body, "password"));
    if (!email || !role || !password) {
        hw__reply_error(c, 422, "invalid",
                        !email  ? "email"
                        : !role ? "role"
                                : "password",
                        "email, role and password are needed");
    } else if (hw_store_begin(c->db, 0, &e) ||
               hw_user_add(c->db, email, role, c->user.organisation_id, password,
                           json_string_length(json_object_get(body, "password")), &id, &e) ||
               hw__audit_write(c, "create", HW_K_ORGANISATIONS, id, 0, &e) ||
               hw_store_commit(c->db, &e) || hw_store_user_get(c->db, id, &u, &e)) {
        hw__reply_err(c, &e);
    } else {
        json_t *items = json_array();

        add_user(items, &u);
        hw__reply_json(c, 201, json_incref(json_array_get(items, 0)));
        json_decref(items);
    }
    hw_store_rollback(c->db, NULL);
    /* The body held the password: wipe it before it goes back to the allocator. */
    if (password)
        sodium_memzero((void *)password, strlen(password));
    json_decref(body);
}

static int add_entry(void *ud, const hw_audit_row *r)
{
    const hw_audit_entry *a = &r->entry;

    return json_array_append_new(ud,
                                 json_pack("{s:s, s:I, s:s, s:I, s:s, s:s*, s:I, s:I, s:s, s:s*}",
                                           "log", r->log, "id", (json_int_t)r->id, "at", r->at,
                                           "user_id", (json_int_t)a->user_id, "action", a->action,
                                           "kind", a->kind, "record_id", (json_int_t)a->record_id,
                                           "person_id", (json_int_t)a->person_id, "address",
                                           a->address, "detail", a->detail)) != 0;
}

void hw__api_audit(hw_ctx *c)
{
    const char *v = hw__query(c, "person_id");
    int64_t person = 0, org = 0, owner = 0;
    json_t *items;
    char *end = NULL;
    hw_err e;

    if (v)
        person = strtoll(v, &end, 10);
    if (!v || !*v || *end || person <= 0 || c->rq->nquery != 1) {
        hw__reply_error(c, 400, "bad_request", "person_id",
                        "give person_id=ID: the log is read one person at a time");
        return;
    }
    if (hw_store_record_owner(c->db, HW_K_PEOPLE, person, &org, &owner, &e) ||
        org != c->user.organisation_id) {
        hw__reply_error(c, 404, "not_found", NULL, "no person %lld", (long long)person);
        return;
    }
    if (!(items = json_array()) || hw_audit_list(c->db, person, add_entry, items, &e)) {
        json_decref(items);
        hw__reply_err(c, &e);
        return;
    }
    hw__reply_json(c, 200, json_pack("{s:o, s:n}", "items", items, "next"));
}
