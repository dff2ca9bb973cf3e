/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary requests through the server's handler, as
 * three callers (no session, a case manager of organisation 1, an
 * administrator of organisation 2).  Whatever comes in, the answer is a
 * well-formed status, never a server error, and never a record of the
 * other organisation.  Input: one byte choosing the caller, one the method,
 * then the path, the query (a=b&c=d) and the body on separate lines.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "homeward/demo.h"
#include "homeward/users.h"
#include "server/server_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hw_server *srv;
static struct {
    char token[44], csrf[44];
    int64_t org;
} callers[3];

static void sign_in(int i, const char *email)
{
    char body[200];
    hw_req rq = {.method = "POST", .path = "/api/v1/session", .address = "127.0.0.1"};
    hw_resp rs;
    json_t *j;

    snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"fuzzing-password\"}", email);
    rq.body = body;
    rq.body_len = strlen(body);
    hw__server_handle(srv, &rq, &rs);
    j = json_loadb(rs.body, rs.len, 0, NULL);
    if (rs.status != 201 || !j)
        abort();
    snprintf(callers[i].token, 44, "%.43s", rs.set_cookie + strlen("hw_session="));
    snprintf(callers[i].csrf, 44, "%s", json_string_value(json_object_get(j, "csrf_token")));
    callers[i].org =
        json_integer_value(json_object_get(json_object_get(j, "user"), "organisation_id"));
    json_decref(j);
    free(rs.body);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char dir[] = "/tmp/homeward-fuzz-XXXXXX";
    static char db[64];
    hw_demo_opts o = {.people = 60, .seed = 3, .as_of = 20415};
    hw_server_config cfg = {.time_limit_ms = 2000, .secure_cookies = 0};
    hw_demo_result res;
    hw_store *s = NULL;
    int64_t id;
    hw_err e;

    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    snprintf(db, sizeof(db), "%s/f.db", dir);
    if (hw_store_open(db, HW_STORE_CREATE, &s, &e) || hw_demo_generate(s, &o, &res, &e) ||
        hw_user_add(s, "case@one.example", "case_manager", 1, "fuzzing-password", 16, &id, &e) ||
        hw_user_add(s, "admin@two.example", "admin", 2, "fuzzing-password", 16, &id, &e)) {
        fprintf(stderr, "fuzz_server: %s\n", e.msg);
        abort();
    }
    hw_store_close(s);
    cfg.db_path = db;
    if (hw__server_open(&cfg, &srv, &e)) {
        fprintf(stderr, "fuzz_server: %s\n", e.msg);
        abort();
    }
    sign_in(1, "case@one.example");
    sign_in(2, "admin@two.example");
    return 0;
}

/* Every "organisation_id" anywhere in the answer must be the caller's. */
static void check_org(json_t *j, int64_t org)
{
    const char *key;
    json_t *v;
    size_t i;

    if (json_is_array(j))
        json_array_foreach(j, i, v) check_org(v, org);
    if (!json_is_object(j))
        return;
    json_object_foreach(j, key, v)
    {
        if (!strcmp(key, "organisation_id") && json_is_integer(v) && json_integer_value(v) != org)
            abort();
        check_org(v, org);
    }
}

/* Split "a=b&c" into the request's query (names and values point into q). */
static void split_query(char *q, hw_req *rq)
{
    for (char *save = NULL, *t = strtok_r(q, "&", &save); t; t = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(t, '=');

        if (rq->nquery == HW_MAX_QUERY) {
            rq->query_overflow = true;
            return;
        }
        if (eq)
            *eq = '\0';
        rq->qname[rq->nquery] = t;
        rq->qval[rq->nquery++] = eq ? eq + 1 : "";
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD"};
    char *buf, *path, *query = NULL, *body = NULL, *nl;
    hw_req rq = {.address = "127.0.0.1"};
    hw_resp rs;
    int who;

    if (size < 2 || size > 8192)
        return 0;
    who = data[0] % 3;
    rq.method = methods[data[1] % 6];
    if (!(buf = malloc(size - 1)))
        abort();
    memcpy(buf, data + 2, size - 2);
    buf[size - 2] = '\0';
    path = buf;
    if ((nl = strchr(path, '\n'))) {
        *nl = '\0';
        query = nl + 1;
        if ((nl = strchr(query, '\n'))) {
            *nl = '\0';
            body = nl + 1;
        }
    }
    rq.path = path;
    if (query)
        split_query(query, &rq);
    if (who) {
        rq.session = callers[who].token;
        rq.csrf = callers[who].csrf;
    }
    rq.body = body ? body : "";
    rq.body_len = body ? strlen(body) : 0;
    hw__server_handle(srv, &rq, &rs);
    if (rs.status < 200 || rs.status > 599 || (rs.status >= 500 && rs.status != 503))
        abort();
    if (rs.body && who) {
        json_t *j = json_loadb(rs.body, rs.len, 0, NULL);

        check_org(j, callers[who].org);
        json_decref(j);
    }
    free(rs.body);
    free(buf);
    return 0;
}
