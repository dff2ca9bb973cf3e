/* SPDX-License-Identifier: MIT */
/*
 * The route table and the one function every request goes through:
 * find the route, find the session, check the role and the CSRF token, take
 * a database handle, call the handler.  The table is the API: the OpenAPI
 * test walks it, and docs/api.md's role table is its `roles` column.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "homeward/vocab.h"
#include "server/pool.h"
#include "server/server_int.h"
#include "core/banned.h"

#define API "/api/v1"

const hw_route hw__routes[] = {
    {"GET", "/healthz", R_PUBLIC, hw__api_healthz},
    {"GET", "/metrics", R_PUBLIC, hw__api_metrics},
    {"GET", API "/openapi.json", R_PUBLIC, hw__api_openapi},
    {"POST", API "/session", R_PUBLIC, hw__api_session_create},
    {"GET", API "/session", R_ANY, hw__api_session_get},
    {"DELETE", API "/session", R_ANY, hw__api_session_delete},
    {"GET", API "/dashboard", R_ANY, hw__api_dashboard},
    {"GET", API "/people/{id}/determinations", R_STAFF, hw__api_person_determinations},
    {"GET", API "/people/{id}", R_STAFF, hw__api_person_get},
    {"GET", API "/people", R_STAFF, hw__api_people_list},
    {"GET", API "/determinations", R_STAFF, hw__api_determinations},
    {"GET", API "/screening/export.csv", R_STAFF, hw__api_screening_export},
    {"GET", API "/screening", R_STAFF, hw__api_screening},
    {"GET", API "/funds", R_ANY, hw__api_funds},
    {"GET", API "/plans/{id}", R_STAFF, hw__api_plan_get},
    {"POST", API "/plans/{id}/commit", R_ADMIN | R_FINANCE, hw__api_plan_commit},
    {"GET", API "/plans", R_STAFF, hw__api_plans_list},
    {"POST", API "/plans", R_ADMIN | R_FINANCE, hw__api_plan_make},
    {"GET", API "/users", R_ADMIN, hw__api_users_list},
    {"POST", API "/users", R_ADMIN, hw__api_user_create},
    {"GET", API "/audit", R_ADMIN, hw__api_audit},
    /* Finance appends to the ledger; case managers keep the other records. */
    {"POST", API "/ledger", R_ADMIN | R_FINANCE, hw__api_record_create},
    /* The record kinds, people among them (created and changed here too). */
    {"GET", API "/{kind}/{id}", R_STAFF, hw__api_record_get},
    {"PATCH", API "/{kind}/{id}", R_ADMIN | R_CASE, hw__api_record_update},
    {"GET", API "/{kind}", R_STAFF, hw__api_records_list},
    {"POST", API "/{kind}", R_ADMIN | R_CASE, hw__api_record_create},
};
const size_t hw__nroutes = sizeof(hw__routes) / sizeof(hw__routes[0]);

int hw__role_bit(const char *role)
{
    static const char *const names[] = {"admin", "case_manager", "legal", "finance", "funder"};

    for (int i = 0; i < 5; i++)
        if (role && !strcmp(role, names[i]))
            return 1 << i;
    return 0;
}

const char *hw__role_name(int bit)
{
    switch (bit) {
    case R_ADMIN:
        return "admin";
    case R_CASE:
        return "case_manager";
    case R_LEGAL:
        return "legal";
    case R_FINANCE:
        return "finance";
    case R_FUNDER:
        return "funder";
    default:
        return "";
    }
}

/* A positive id of at most 18 digits, or 0. */
static int64_t parse_id(const char *p, size_t n)
{
    int64_t v = 0;

    if (n == 0 || n > 18 || p[0] == '0')
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/*
 * Does `path` match `pattern`?  {id} takes one positive integer segment and
 * {kind} one record kind's name, both copied into the context.
 */
static bool match(const char *pattern, const char *path, hw_ctx *c)
{
    const char *p = pattern, *q = path;

    while (*p) {
        if (*p == '{') {
            const char *pe = strchr(p, '}'), *qe = strchr(q, '/');
            size_t n = qe ? (size_t)(qe - q) : strlen(q);

            if (!pe)
                return false;
            if (!strncmp(p, "{id}", 4)) {
                if (!(c->id = parse_id(q, n)))
                    return false;
            } else {
                bool found = false;

                for (int k = HW_K_PEOPLE; k < HW_K_COUNT && !found; k++) {
                    const char *name = hw_vocab_kind(k)->name;

                    if (strlen(name) == n && !memcmp(name, q, n)) {
                        c->sub = name;
                        found = true;
                    }
                }
                if (!found)
                    return false;
            }
            p = pe + 1;
            q += n;
            continue;
        }
        if (*p++ != *q++)
            return false;
    }
    return *q == '\0';
}

static bool state_changing(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD");
}

/* The UI: a file of web/, or index.html for a path without a dot (a client-side route). */
static bool serve_static(hw_ctx *c)
{
    const hw_req *rq = c->rq;
    const hw_web_file *f;

    if (strcmp(rq->method, "GET") && strcmp(rq->method, "HEAD"))
        return false;
    if (!strncmp(rq->path, API "/", sizeof(API)))
        return false;
    f = hw__web_find(rq->path);
    if (!f && !strchr(strrchr(rq->path, '/') ? strrchr(rq->path, '/') : rq->path, '.'))
        f = hw__web_find("/index.html");
    if (!f)
        return false;
    c->rs->cacheable = true;
    c->rs->content_type = f->content_type;
    snprintf(c->rs->etag, sizeof(c->rs->etag), "\"%s\"", f->etag);
    if (rq->if_none_match && !strcmp(rq->if_none_match, c->rs->etag)) {
        c->rs->status = 304;
        return true;
    }
    c->rs->status = 200;
    c->rs->static_body = f->data;
    c->rs->len = f->len;
    return true;
}

void hw__server_handle(hw_server *srv, const hw_req *rq, hw_resp *rs)
{
    hw_ctx c = {.srv = srv, .rq = rq, .rs = rs};
    const hw_route *r = NULL;
    bool path_known = false;
    char csrf[44] = "";
    hw_err e;

    memset(rs, 0, sizeof(*rs));
    rs->route = -1;
    c.now = (int64_t)time(NULL);
    for (size_t i = 0; i < hw__nroutes; i++) {
        hw_ctx probe = c;

        if (!match(hw__routes[i].pattern, rq->path, &probe))
            continue;
        path_known = true;
        if (strcmp(hw__routes[i].method, rq->method))
            continue;
        r = &hw__routes[i];
        c.id = probe.id;
        c.sub = probe.sub;
        rs->route = (int)i;
        break;
    }
    if (!r) {
        if (serve_static(&c))
            return;
        if (path_known)
            hw__reply_error(&c, 405, "method_not_allowed", NULL, "%s is not allowed on %s",
                            rq->method, rq->path);
        else
            hw__reply_error(&c, 404, "not_found", NULL, "no such route");
        return;
    }
    if (rq->query_overflow) {
        hw__reply_error(&c, 400, "bad_request", NULL, "too many query parameters (at most %d)",
                        HW_MAX_QUERY);
        return;
    }
    if (!(r->roles & R_PUBLIC)) {
        if (!rq->session || !hw__session_get(srv->sessions, rq->session, c.now, &c.user, csrf)) {
            hw__reply_error(&c, 401, "unauthorized", NULL, "sign in first");
            return;
        }
        rs->user_id = c.user.id;
        if (!(r->roles & c.user.role)) {
            hw__reply_error(&c, 403, "forbidden", NULL, "a %s may not do this",
                            hw__role_name(c.user.role));
            return;
        }
        if (state_changing(rq->method) &&
            (!rq->csrf || strlen(rq->csrf) != 43 || sodium_memcmp(rq->csrf, csrf, 43) != 0)) {
            hw__reply_error(&c, 403, "forbidden", "X-CSRF-Token",
                            "missing or wrong CSRF token: send the one sign-in returned");
            return;
        }
    }
    if (r->fn == hw__api_healthz || r->fn == hw__api_metrics || r->fn == hw__api_openapi) {
        r->fn(&c);
        return;
    }
    if (hw__pool_take(srv->pool, &c.db, &e)) {
        hw__reply_err(&c, &e);
        return;
    }
    r->fn(&c);
    hw_store_rollback(c.db, NULL); /* a handler that failed midway leaves nothing open */
    hw__pool_give(srv->pool, c.db);
}
