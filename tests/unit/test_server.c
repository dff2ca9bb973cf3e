/* SPDX-License-Identifier: MIT */
/*
 * The server's request handling, without sockets: every route against every
 * role and both organisations, CSRF, session fixation, throttling,
 * validation, pagination, the audit trail, and the OpenAPI document.
 */
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>

#include "homeward/audit.h"
#include "homeward/demo.h"
#include "homeward/query.h"
#include "homeward/screen.h"
#include "homeward/users.h"
#include "server/server_int.h"
#include "unit.h"

#define PASSWORD "server-test-password"

static const char *const roles[] = {"admin", "case_manager", "legal", "finance", "funder"};

typedef struct who {
    char token[44], csrf[44];
} who;

typedef struct fixture {
    hw_server *srv;
    who as[5];            /* one user of each role in organisation 1 */
    who other;            /* an administrator of organisation 2 */
    int64_t mine, theirs; /* a person of organisation 1, and one of 2 */
    int64_t my_conviction, their_conviction;
} fixture;

typedef struct reply {
    int status;
    json_t *json;
    char cookie[200];
    int retry_after;
    char *text;
} reply;

static void reply_free(reply *r)
{
    json_decref(r->json);
    free(r->text);
    memset(r, 0, sizeof(*r));
}

static reply call(fixture *f, const char *method, const char *path, const char *query, const who *w,
                  const char *body, const char *address)
{
    static char buf[8][256];
    hw_req rq = {.method = method, .path = path, .address = address ? address : "10.0.0.1"};
    hw_resp rs;
    reply r = {0};
    char q[512];

    if (query) {
        size_t n = 0;

        snprintf(q, sizeof(q), "%s", query);
        for (char *save = NULL, *t = strtok_r(q, "&", &save); t && n < 8;
             t = strtok_r(NULL, "&", &save), n++) {
            char *eq = strchr(t, '=');

            snprintf(buf[n], sizeof(buf[n]), "%s", t);
            if (eq) {
                buf[n][eq - t] = '\0';
                rq.qval[n] = buf[n] + (eq - t) + 1;
            } else {
                rq.qval[n] = "";
            }
            rq.qname[n] = buf[n];
        }
        rq.nquery = n;
    }
    if (w) {
        rq.session = w->token;
        rq.csrf = w->csrf;
    }
    rq.body = body ? body : "";
    rq.body_len = body ? strlen(body) : 0;
    hw__server_handle(f->srv, &rq, &rs);
    r.status = rs.status;
    r.retry_after = rs.retry_after;
    snprintf(r.cookie, sizeof(r.cookie), "%s", rs.set_cookie);
    if (rs.body) {
        r.text = rs.body;
        r.json = json_loadb(rs.body, rs.len, 0, NULL);
    } else if (rs.static_body) {
        r.text = strndup(rs.static_body, rs.len);
        r.json = json_loadb(rs.static_body, rs.len, 0, NULL);
    }
    return r;
}

static bool sign_in(fixture *f, const char *email, who *w)
{
    char body[300];
    reply r;
    const char *csrf;

    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"" PASSWORD "\"}", email);
    r = call(f, "POST", "/api/v1/session", NULL, NULL, body, NULL);
    csrf = json_string_value(json_object_get(r.json, "csrf_token"));
    if (r.status != 201 || !csrf || strncmp(r.cookie, "hw_session=", 11) != 0) {
        reply_free(&r);
        return false;
    }
    snprintf(w->csrf, sizeof(w->csrf), "%s", csrf);
    snprintf(w->token, sizeof(w->token), "%.43s", r.cookie + 11);
    EXPECT(strstr(r.cookie, "HttpOnly") && strstr(r.cookie, "SameSite=Strict"));
    reply_free(&r);
    return true;
}

/* An integer from the test database, read behind the server's back. */
static int64_t first_id(const char *sql)
{
    return unit_sql_int(unit_path("server.db"), sql);
}

/* The same from the database's read log, where reads and sign-ins go. */
static int64_t read_log_int(const char *sql)
{
    return unit_sql_int(unit_path("server.db.reads"), sql);
}

static void setup(fixture *f)
{
    static int ready;
    hw_store *s = NULL;
    hw_server_config cfg = {.db_path = unit_path("server.db"),
                            .rules_dir = HW_TEST_DATA "/../../rules",
                            .secure_cookies = 0};
    hw_err e;

    memset(f, 0, sizeof(*f));
    if (!ready) {
        hw_demo_opts o = {.people = 300, .seed = 7, .as_of = 20415};
        hw_demo_result res;
        hw_ruleset *rs = NULL;
        hw_screen_opts so = {.as_of = "2025-11-23"};
        hw_screen_counts counts = {0};
        int64_t id;

        remove(unit_path("server.db"));
        EXPECT_CODE_E(hw_store_open(unit_path("server.db"), HW_STORE_CREATE, &s, &e), HW_OK, &e);
        EXPECT_CODE_E(hw_demo_generate(s, &o, &res, &e), HW_OK, &e);
        EXPECT_CODE_E(hw_rules_load(HW_TEST_DATA "/../../rules", &rs, &e), HW_OK, &e);
        EXPECT_CODE_E(hw_screen_store(s, rs, &so, &counts, &e), HW_OK, &e);
        hw_screen_counts_release(&counts);
        hw_ruleset_free(rs);
        for (int i = 0; i < 5; i++) {
            char email[64];

            snprintf(email, sizeof(email), "%s@one.example", roles[i]);
            EXPECT_CODE_E(hw_user_add(s, email, roles[i], 1, PASSWORD, strlen(PASSWORD), &id, &e),
                          HW_OK, &e);
        }
        EXPECT_CODE_E(
            hw_user_add(s, "admin@two.example", "admin", 2, PASSWORD, strlen(PASSWORD), &id, &e),
            HW_OK, &e);
        hw_store_close(s);
        ready = 1;
    }
    EXPECT_CODE_E(hw__server_open(&cfg, &f->srv, &e), HW_OK, &e);
    for (int i = 0; i < 5; i++) {
        char email[64];

        snprintf(email, sizeof(email), "%s@one.example", roles[i]);
        EXPECT(sign_in(f, email, &f->as[i]));
    }
    EXPECT(sign_in(f, "admin@two.example", &f->other));
    f->mine = first_id("SELECT min(id) FROM people WHERE organisation_id = 1");
    f->theirs = first_id("SELECT min(id) FROM people WHERE organisation_id = 2");
    f->my_conviction = first_id("SELECT min(c.id) FROM convictions c JOIN people p ON "
                                "p.id = c.person_id WHERE p.organisation_id = 1");
    f->their_conviction = first_id("SELECT min(c.id) FROM convictions c JOIN people p ON "
                                   "p.id = c.person_id WHERE p.organisation_id = 2");
    EXPECT(f->mine && f->theirs && f->my_conviction && f->their_conviction);
}

static void teardown(fixture *f)
{
    hw_server_stop(f->srv);
}

/* The route's path with {id} and {kind} filled in, for a record of org 1 (mine) or 2. */
static void path_for(const fixture *f, const hw_route *r, bool mine, char *out, size_t size)
{
    const char *p = r->pattern;
    size_t n = 0;
    bool conv = strstr(p, "{kind}") != NULL;

    while (*p && n + 24 < size) {
        if (!strncmp(p, "{kind}", 6)) {
            n += (size_t)snprintf(out + n, size - n, "convictions");
            p += 6;
        } else if (!strncmp(p, "{id}", 4)) {
            int64_t id = conv ? (mine ? f->my_conviction : f->their_conviction)
                              : (mine ? f->mine : f->theirs);

            if (strstr(r->pattern, "/plans/"))
                id = 1;
            n += (size_t)snprintf(out + n, size - n, "%lld", (long long)id);
            p += 4;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

/* Does JSON value j carry any personal field (by name) anywhere? */
static bool has_personal(json_t *j)
{
    const char *key;
    json_t *v;
    size_t i;

    if (json_is_array(j)) {
        json_array_foreach(j, i, v) if (has_personal(v)) return true;
        return false;
    }
    if (!json_is_object(j))
        return false;
    json_object_foreach(j, key, v)
    {
        for (int k = HW_K_PEOPLE; k < HW_K_COUNT; k++) {
            const hw_kind_desc *d = hw_vocab_kind(k);

            for (size_t f = 0; f < d->nfields; f++)
                if ((d->fields[f].flags & HW_F_PERSONAL) && !strcmp(d->fields[f].name, key))
                    return true;
        }
        if (has_personal(v))
            return true;
    }
    return false;
}

TEST(server_access_matrix)
{
    fixture f;
    size_t checked = 0;

    setup(&f);
    for (size_t i = 0; i < hw__nroutes; i++) {
        const hw_route *r = &hw__routes[i];

        for (int role = 0; role < 5; role++) {
            for (int mine = 1; mine >= 0; mine--) {
                char path[200], what[300];
                const char *body = NULL;
                reply rep;
                bool allowed = (r->roles & R_PUBLIC) || (r->roles & (1 << role));

                if (!strcmp(r->method, "DELETE") || !strcmp(r->pattern, "/api/v1/session"))
                    continue; /* sign-out would end the session the loop needs */
                path_for(&f, r, mine, path, sizeof(path));
                if (!strcmp(r->method, "PATCH"))
                    body = "{\"description\":\"changed\"}";
                else if (!strcmp(r->method, "POST") && strstr(r->pattern, "{kind}"))
                    body = mine ? "{\"person_id\":1}" : "{}";
                else if (!strcmp(r->method, "POST"))
                    body = "{}";
                if (!mine && strstr(r->pattern, "{kind}") && !strcmp(r->method, "POST")) {
                    char b[300];

                    snprintf(b, sizeof(b),
                             "{\"person_id\":%lld,\"jurisdiction\":\"PA\",\"court_type\":"
                             "\"state\",\"statute\":\"18 Pa.C.S. 3921\",\"offense_class\":"
                             "\"misdemeanor\",\"disposition\":\"convicted\"}",
                             (long long)f.theirs);
                    rep = call(&f, r->method, path, NULL, &f.as[role], b, NULL);
                } else {
                    rep = call(&f, r->method, path, NULL, &f.as[role], body, NULL);
                }
                snprintf(what, sizeof(what), "%s %s as %s (%s organisation): %d %s", r->method,
                         path, roles[role], mine ? "own" : "other", rep.status,
                         rep.text ? rep.text : "");
                if (!allowed) {
                    if (rep.status != 403)
                        unit_fail(__FILE__, __LINE__, what);
                } else if (rep.status == 401 || rep.status == 403 || rep.status >= 500) {
                    unit_fail(__FILE__, __LINE__, what);
                } else if (!mine && strstr(r->pattern, "{id}") && !strstr(r->pattern, "plans") &&
                           rep.status != 404) {
                    unit_fail(__FILE__, __LINE__, what); /* another's record does not exist */
                } else if (!mine && !strcmp(r->method, "POST") && strstr(r->pattern, "{kind}") &&
                           rep.status != 422) {
                    unit_fail(__FILE__, __LINE__, what); /* nor may one refer to it */
                }
                if (role == 4 && !(r->roles & R_PUBLIC) && rep.json && has_personal(rep.json))
                    unit_fail(__FILE__, __LINE__, what); /* a funder sees aggregates only */
                checked++;
                reply_free(&rep);
            }
        }
    }
    EXPECT(checked > 150);
    teardown(&f);
}

TEST(server_csrf_is_required_for_changes)
{
    fixture f;
    who no = {0}, wrong;
    reply r;
    char path[64];

    setup(&f);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)f.mine);
    memcpy(no.token, f.as[1].token, sizeof(no.token));
    r = call(&f, "PATCH", path, NULL, &no, "{\"phone\":\"+12155550100\"}", NULL);
    EXPECT_INT(r.status, 403);
    EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
               "X-CSRF-Token");
    reply_free(&r);
    wrong = f.as[1];
    wrong.csrf[0] = wrong.csrf[0] == 'A' ? 'B' : 'A';
    r = call(&f, "PATCH", path, NULL, &wrong, "{\"phone\":\"+12155550100\"}", NULL);
    EXPECT_INT(r.status, 403);
    reply_free(&r);
    /* Another session's token is no better. */
    memcpy(wrong.csrf, f.as[0].csrf, sizeof(wrong.csrf));
    r = call(&f, "PATCH", path, NULL, &wrong, "{\"phone\":\"+12155550100\"}", NULL);
    EXPECT_INT(r.status, 403);
    reply_free(&r);
    r = call(&f, "PATCH", path, NULL, &f.as[1], "{\"phone\":\"+12155550100\"}", NULL);
    EXPECT_INT(r.status, 200);
    EXPECT_STR(json_string_value(json_object_get(r.json, "phone")), "+12155550100");
    /* And the person was screened again at once, as of today. */
    EXPECT(json_is_true(json_object_get(r.json, "_screened")));
    EXPECT(first_id("SELECT count(*) FROM determinations WHERE as_of = date('now')") > 0);
    reply_free(&r);
    teardown(&f);
}

TEST(server_sign_in_makes_a_new_session)
{
    fixture f;
    who planted;
    reply r;

    setup(&f);
    /* A session id planted before sign-in is not the one sign-in gives, nor valid after. */
    memset(&planted, 0, sizeof(planted));
    memset(planted.token, 'A', 43);
    {
        hw_req rq = {.method = "POST",
                     .path = "/api/v1/session",
                     .address = "10.0.0.9",
                     .session = planted.token,
                     .body = "{\"email\":\"legal@one.example\",\"password\":\"" PASSWORD "\"}"};
        hw_resp rs;

        rq.body_len = strlen(rq.body);
        hw__server_handle(f.srv, &rq, &rs);
        EXPECT_INT(rs.status, 201);
        EXPECT(strstr(rs.set_cookie, planted.token) == NULL);
        free(rs.body);
    }
    r = call(&f, "GET", "/api/v1/session", NULL, &planted, NULL, NULL);
    EXPECT_INT(r.status, 401);
    reply_free(&r);
    /* Signing in again ends the old session; signing out ends the new one. */
    {
        who again = f.as[2], fresh;

        EXPECT(sign_in(&f, "legal@one.example", &fresh));
        r = call(&f, "DELETE", "/api/v1/session", NULL, &fresh, NULL, NULL);
        EXPECT_INT(r.status, 200);
        reply_free(&r);
        r = call(&f, "GET", "/api/v1/session", NULL, &fresh, NULL, NULL);
        EXPECT_INT(r.status, 401);
        reply_free(&r);
        r = call(&f, "GET", "/api/v1/session", NULL, &again, NULL, NULL);
        EXPECT_INT(r.status, 200);
        reply_free(&r);
    }
    teardown(&f);
}

TEST(server_sign_in_is_throttled)
{
    fixture f;
    reply r;
    int i;

    setup(&f);
    for (i = 0; i < 5; i++) {
        r = call(&f, "POST", "/api/v1/session", NULL, NULL,
                 "{\"email\":\"finance@one.example\",\"password\":\"wrong password!\"}",
                 "10.0.0.5");
        EXPECT_INT(r.status, 401);
        EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "message")),
                   "the e-mail address or password is wrong");
        reply_free(&r);
    }
    /* Even the right password is refused now, from anywhere, with a time to wait. */
    r = call(&f, "POST", "/api/v1/session", NULL, NULL,
             "{\"email\":\"FINANCE@one.example\",\"password\":\"" PASSWORD "\"}", "10.0.0.6");
    EXPECT_INT(r.status, 429);
    EXPECT(r.retry_after > 0 && r.retry_after <= 15 * 60 + 1);
    reply_free(&r);
    /* An unknown address answers as a wrong password does. */
    r = call(&f, "POST", "/api/v1/session", NULL, NULL,
             "{\"email\":\"nobody@one.example\",\"password\":\"" PASSWORD "\"}", "10.0.0.7");
    EXPECT_INT(r.status, 401);
    reply_free(&r);
    /* Every refusal is in the read log, from its address, with no e-mail address in it. */
    EXPECT(read_log_int("SELECT count(*) FROM audit WHERE action = 'sign_in_failed' AND "
                        "address IN ('10.0.0.5', '10.0.0.7')") >= 6);
    EXPECT_INT(read_log_int("SELECT count(*) FROM audit WHERE detail LIKE '%@%'"), 0);
    EXPECT_INT(first_id("SELECT count(*) FROM audit WHERE detail LIKE '%@%'"), 0);
    teardown(&f);
}

static int64_t count_people(void)
{
    return first_id("SELECT count(*) FROM people");
}

TEST(server_validation_writes_nothing_on_error)
{
    fixture f;
    int64_t before = count_people();
    char path[64], body[200];
    reply r;

    setup(&f);
    r = call(&f, "POST", "/api/v1/people", NULL, &f.as[1],
             "{\"given_name\":\"Ann\",\"family_name\":\"Lee\",\"dob\":\"1990-02-31\","
             "\"sex\":\"female\"}",
             NULL);
    EXPECT_INT(r.status, 422);
    EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
               "dob");
    reply_free(&r);
    r = call(&f, "POST", "/api/v1/people", NULL, &f.as[1], "{\"given_name\":", NULL);
    EXPECT_INT(r.status, 400);
    reply_free(&r);
    r = call(&f, "POST", "/api/v1/people", NULL, &f.as[1],
             "{\"given_name\":\"Ann\",\"family_name\":\"Lee\",\"dob\":\"1990-02-28\","
             "\"sex\":\"female\",\"organisation_id\":2}",
             NULL);
    EXPECT_INT(r.status, 422);
    EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
               "organisation_id");
    reply_free(&r);
    EXPECT_INT(count_people(), before);
    r = call(&f, "POST", "/api/v1/people", NULL, &f.as[1],
             "{\"given_name\":\"Ann\",\"family_name\":\"Lee\",\"dob\":\"1990-02-28\","
             "\"sex\":\"female\"}",
             NULL);
    EXPECT_INT(r.status, 201);
    EXPECT_INT(json_integer_value(json_object_get(r.json, "organisation_id")), 1);
    reply_free(&r);
    EXPECT_INT(count_people(), before + 1);
    /* A change is checked whole; a bad one leaves the record as it was. */
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)f.mine);
    r = call(&f, "PATCH", path, NULL, &f.as[1], "{\"email\":\"not an address\"}", NULL);
    EXPECT_INT(r.status, 422);
    EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
               "email");
    reply_free(&r);
    snprintf(body, sizeof(body), "{\"id\":%lld}", (long long)f.mine + 1);
    r = call(&f, "PATCH", path, NULL, &f.as[1], body, NULL);
    EXPECT_INT(r.status, 422);
    reply_free(&r);
    r = call(&f, "PATCH", "/api/v1/ledger/1", NULL, &f.as[0], "{\"memo\":\"x\"}", NULL);
    EXPECT_INT(r.status, 405);
    reply_free(&r);
    r = call(&f, "GET", "/api/v1/convictions", "offense_class=felonious", &f.as[1], NULL, NULL);
    EXPECT_INT(r.status, 400);
    reply_free(&r);
    r = call(&f, "GET", "/api/v1/people", "colour=blue", &f.as[1], NULL, NULL);
    EXPECT_INT(r.status, 400);
    reply_free(&r);
    teardown(&f);
}

/* Walk every page of a list; the ids must be all the organisation's, each once. */
static void walk(fixture *f, const char *path, const char *params, int64_t want, bool people)
{
    char q[400], seen_sql[200];
    const char *next = NULL;
    json_t *ids = json_object();
    int64_t n = 0;
    int pages = 0;

    (void)seen_sql;
    do {
        reply r;
        size_t i;
        json_t *v;

        snprintf(q, sizeof(q), "%s&limit=7%s%s", params, next ? "&cursor=" : "", next ? next : "");
        r = call(f, "GET", path, q, &f->as[1], NULL, NULL);
        EXPECT_INT(r.status, 200);
        json_array_foreach(json_object_get(r.json, "items"), i, v)
        {
            char key[24];

            snprintf(key, sizeof(key), "%lld",
                     (long long)json_integer_value(json_object_get(v, "id")));
            EXPECT(json_object_get(ids, key) == NULL);
            json_object_set_new(ids, key, json_true());
            if (people)
                EXPECT_INT(json_integer_value(json_object_get(v, "organisation_id")), 1);
            n++;
        }
        free((void *)next);
        next = json_string_value(json_object_get(r.json, "next"))
                   ? strdup(json_string_value(json_object_get(r.json, "next")))
                   : NULL;
        reply_free(&r);
        pages++;
    } while (next && pages < 1000);
    EXPECT_INT(n, want);
    json_decref(ids);
}

TEST(server_pages_cover_every_record_once)
{
    fixture f;
    int64_t mine;

    setup(&f);
    mine = first_id("SELECT count(*) FROM people WHERE organisation_id = 1");
    walk(&f, "/api/v1/people", "sort=id", mine, true);
    walk(&f, "/api/v1/people", "sort=-family_name", mine, true);
    walk(&f, "/api/v1/people", "sort=family_name", mine, true);
    /* A records list, in id order and by a date, with and without a filter. */
    mine = first_id("SELECT count(*) FROM convictions c JOIN people p ON p.id = c.person_id "
                    "WHERE p.organisation_id = 1");
    walk(&f, "/api/v1/convictions", "sort=id", mine, false);
    walk(&f, "/api/v1/convictions", "sort=-id", mine, false);
    mine = first_id("SELECT count(*) FROM supervision s JOIN people p ON p.id = s.person_id "
                    "WHERE p.organisation_id = 1 AND s.status = 'active'");
    walk(&f, "/api/v1/supervision", "status=active&sort=-start_date", mine, false);
    teardown(&f);
}

TEST(server_reads_are_audited)
{
    fixture f;
    hw_store *s = NULL, *reads = NULL;
    hw_audit_report rep;
    json_t *it;
    size_t i;
    int read_entries = 0;
    char path[64];
    reply r;
    hw_err e;

    setup(&f);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)f.mine);
    r = call(&f, "GET", path, NULL, &f.as[2], NULL, "192.0.2.44");
    EXPECT_INT(r.status, 200);
    EXPECT(json_array_size(json_object_get(json_object_get(r.json, "records"), "convictions")) > 0);
    EXPECT(json_is_array(json_object_get(r.json, "determinations")));
    reply_free(&r);
    /* The admin's view of the person's trail has the read, from the read log. */
    snprintf(path, sizeof(path), "person_id=%lld", (long long)f.mine);
    r = call(&f, "GET", "/api/v1/audit", path, &f.as[0], NULL, NULL);
    EXPECT_INT(r.status, 200);
    json_array_foreach(json_object_get(r.json, "items"), i, it) read_entries +=
        !strcmp(json_string_value(json_object_get(it, "log")), "reads") &&
        !strcmp(json_string_value(json_object_get(it, "action")), "read") &&
        !strcmp(json_string_value(json_object_get(it, "address")), "192.0.2.44");
    EXPECT_INT(read_entries, 1);
    reply_free(&r);
    teardown(&f);
    EXPECT_CODE_E(hw_store_open(unit_path("server.db"), 0, &s, &e), HW_OK, &e);
    /* The read and the sign-ins are in the read log; the database's own table has no reads. */
    EXPECT_INT(read_log_int("SELECT count(*) FROM audit WHERE action = 'read' AND address = "
                            "'192.0.2.44' AND kind = 'people'"),
               1);
    EXPECT(read_log_int("SELECT count(*) FROM audit WHERE action = 'sign_in' AND user_id > 0") >=
           6);
    EXPECT_INT(first_id("SELECT count(*) FROM audit WHERE action IN ('read', 'sign_in')"), 0);
    EXPECT_CODE_E(hw_audit_verify(s, &rep, &e), HW_OK, &e);
    EXPECT(rep.ok);
    EXPECT_CODE_E(hw_audit_reads_open(s, false, &reads, &e), HW_OK, &e);
    if (reads) {
        EXPECT_CODE_E(hw_audit_verify(reads, &rep, &e), HW_OK, &e);
        EXPECT(rep.ok && rep.checked >= 7);
    }
    hw_store_close(reads);
    hw_store_close(s);
}

TEST(server_openapi_describes_every_route)
{
    const hw_web_file *doc = hw__doc_find("/openapi.json");
    json_t *j, *paths, *ops;
    const char *path;

    EXPECT(doc != NULL);
    if (!doc)
        return;
    j = json_loadb((const char *)doc->data, doc->len, 0, NULL);
    paths = json_object_get(j, "paths");
    EXPECT(json_is_object(paths));
    for (size_t i = 0; i < hw__nroutes; i++) {
        const hw_route *r = &hw__routes[i];
        char method[8], what[200];
        json_t *op, *xr, *v;
        size_t k;
        int bits = 0;

        for (k = 0; r->method[k] && k < 7; k++)
            method[k] = (char)(r->method[k] | 0x20);
        method[k] = '\0';
        op = json_object_get(json_object_get(paths, r->pattern), method);
        snprintf(what, sizeof(what), "%s %s is not in openapi.json, or its x-roles differ",
                 r->method, r->pattern);
        xr = json_object_get(op, "x-roles");
        json_array_foreach(xr, k, v) bits |=
            !strcmp(json_string_value(v), "public") ? R_PUBLIC : hw__role_bit(json_string_value(v));
        if (!op || bits != r->roles)
            unit_fail(__FILE__, __LINE__, what);
    }
    /* And nothing is described that the server does not answer. */
    json_object_foreach(paths, path, ops)
    {
        const char *m;
        json_t *op;

        json_object_foreach(ops, m, op)
        {
            bool found = false;

            for (size_t i = 0; i < hw__nroutes && !found; i++)
                found =
                    !strcmp(hw__routes[i].pattern, path) && !strcasecmp(hw__routes[i].method, m);
            if (!found)
                unit_fail(__FILE__, __LINE__, path);
        }
    }
    json_decref(j);
}

TEST(server_second_factor_is_asked_and_not_replayed)
{
    fixture f;
    char secret[HW_TOTP_SECRET_TEXT], body[200];
    unsigned char raw[HW_TOTP_SECRET_MAX];
    size_t rawn = 0;
    uint32_t code = 0;
    hw_store *s = NULL;
    int64_t now = (int64_t)time(NULL);
    reply r;
    hw_err e;

    setup(&f);
    EXPECT_CODE_E(hw_store_open(unit_path("server.db"), 0, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_user_totp_enable(s, "legal@one.example", 1, secret, &e), HW_OK, &e);
    hw_store_close(s);
    r = call(&f, "POST", "/api/v1/session", NULL, NULL,
             "{\"email\":\"legal@one.example\",\"password\":\"" PASSWORD "\"}", NULL);
    EXPECT_INT(r.status, 401);
    EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "code")),
               "totp_required");
    reply_free(&r);
    EXPECT_CODE(hw_base32_decode(secret, raw, sizeof(raw), &rawn, &e), HW_OK);
    EXPECT_CODE(hw_totp_code(raw, rawn, HW_TOTP_SHA1, 6, 30, now, &code, &e), HW_OK);
    snprintf(body, sizeof(body),
             "{\"email\":\"legal@one.example\",\"password\":\"" PASSWORD "\",\"totp\":\"%06u\"}",
             (unsigned)code);
    r = call(&f, "POST", "/api/v1/session", NULL, NULL, body, NULL);
    EXPECT_INT(r.status, 201);
    reply_free(&r);
    /* The same code again is refused: someone who saw it cannot use it. */
    r = call(&f, "POST", "/api/v1/session", NULL, NULL, body, NULL);
    EXPECT_INT(r.status, 401);
    EXPECT_STR(json_string_value(json_object_get(json_object_get(r.json, "error"), "field")),
               "totp");
    reply_free(&r);
    EXPECT_CODE_E(hw_store_open(unit_path("server.db"), 0, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_user_totp_disable(s, "legal@one.example", NULL, &e), HW_OK, &e);
    hw_store_close(s);
    teardown(&f);
}

TEST(server_slow_requests_stop_at_the_time_limit)
{
    hw_server_config cfg = {.db_path = unit_path("slow.db"), .time_limit_ms = 1};
    hw_demo_opts o = {.people = 20, .seed = 5, .as_of = 20415};
    hw_demo_result res;
    hw_server *srv = NULL;
    hw_store *s = NULL;
    int64_t id;
    hw_req rq = {.method = "POST", .path = "/api/v1/session", .address = "127.0.0.1"};
    hw_resp rs;
    char cookie[44];
    hw_err e;

    remove(unit_path("slow.db"));
    EXPECT_CODE_E(hw_store_open(unit_path("slow.db"), HW_STORE_CREATE, &s, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_demo_generate(s, &o, &res, &e), HW_OK, &e);
    EXPECT_CODE_E(hw_user_add(s, "a@one.example", "admin", 1, PASSWORD, strlen(PASSWORD), &id, &e),
                  HW_OK, &e);
    hw_store_close(s);
    /* Enough ledger to take far longer than a millisecond to sum. */
    EXPECT(unit_sql_exec(unit_path("slow.db"),
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
                         "400000) INSERT INTO ledger (obligation_id, entry_date, kind, "
                         "amount_cents) SELECT (SELECT min(o.id) FROM obligations o JOIN people p "
                         "ON p.id = o.person_id WHERE p.organisation_id = 1), '2025-01-01', "
                         "'assessment', 1 FROM n") == SQLITE_OK);
    EXPECT_CODE_E(hw__server_open(&cfg, &srv, &e), HW_OK, &e);
    rq.body = "{\"email\":\"a@one.example\",\"password\":\"" PASSWORD "\"}";
    rq.body_len = strlen(rq.body);
    hw__server_handle(srv, &rq, &rs);
    EXPECT_INT(rs.status, 201);
    snprintf(cookie, sizeof(cookie), "%.43s", rs.set_cookie + strlen("hw_session="));
    free(rs.body);
    rq = (hw_req){
        .method = "GET", .path = "/api/v1/dashboard", .address = "127.0.0.1", .session = cookie};
    hw__server_handle(srv, &rq, &rs);
    EXPECT_INT(rs.status, 503);
    EXPECT(rs.body && strstr(rs.body, "\"time_limit\"") != NULL);
    free(rs.body);
    /* The handles are usable again for the next request. */
    rq.path = "/api/v1/session";
    hw__server_handle(srv, &rq, &rs);
    EXPECT_INT(rs.status, 200);
    free(rs.body);
    hw_server_stop(srv);
}
