/* SPDX-License-Identifier: MIT */
/*
 * Internal to the server.  A request is handled by hw__server_handle(),
 * which knows nothing of libmicrohttpd: http.c turns a connection into an
 * hw_req and an hw_resp back into bytes, and the tests and the fuzzer call
 * hw__server_handle() directly.
 */
#ifndef HW_SERVER_INT_H
#define HW_SERVER_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "homeward/rules.h"
#include "homeward/server.h"
#include "homeward/store.h"

enum { HW_MAX_QUERY = 32 };

typedef struct hw_req {
    const char *method; /* "GET" */
    const char *path;   /* decoded, without the query */
    const char *qname[HW_MAX_QUERY], *qval[HW_MAX_QUERY];
    size_t nquery;       /* query parameters, decoded */
    bool query_overflow; /* more parameters than HW_MAX_QUERY */
    const char *session; /* the hw_session cookie, or NULL */
    const char *csrf;    /* the X-CSRF-Token header, or NULL */
    const char *address; /* the client's address as text */
    const char *if_none_match;
    const char *body;
    size_t body_len;
} hw_req;

typedef struct hw_resp {
    int status;
    char *body; /* malloc'd, or NULL when static_body is set */
    const void *static_body;
    size_t len;
    const char *content_type;
    char set_cookie[200];
    char etag[40];
    int retry_after; /* seconds, 0: none */
    bool cacheable;  /* the UI's files; everything else is no-store */
    /* for the access log and metrics */
    int route; /* index in the route table, -1 for none */
    int64_t user_id;
} hw_resp;

/* Roles as bits, for the route table. */
enum {
    R_ADMIN = 1 << 0,
    R_CASE = 1 << 1,
    R_LEGAL = 1 << 2,
    R_FINANCE = 1 << 3,
    R_FUNDER = 1 << 4,
    R_STAFF = R_ADMIN | R_CASE | R_LEGAL | R_FINANCE,
    R_ANY = R_STAFF | R_FUNDER,
    R_PUBLIC = 1 << 5, /* no session needed */
};
int hw__role_bit(const char *role);
const char *hw__role_name(int bit);

/* A signed-in user, as the session keeps it. */
typedef struct hw_user {
    int64_t id, organisation_id;
    int role; /* one R_* bit */
    char email[256];
} hw_user;

/* Sessions, CSRF tokens and sign-in throttling (session.c). */
typedef struct hw_sessions hw_sessions;
hw_sessions *hw__sessions_new(void);
void hw__sessions_free(hw_sessions *ss);
/* A new session for u: its cookie value (43 bytes + NUL) and CSRF token (43 + NUL). */
bool hw__session_create(hw_sessions *ss, const hw_user *u, int64_t now, char token[44],
                        char csrf[44]);
/* The session of cookie value `token`, if live: copies the user and CSRF token out. */
bool hw__session_get(hw_sessions *ss, const char *token, int64_t now, hw_user *u, char csrf[44]);
void hw__session_end(hw_sessions *ss, const char *token);
/* End every session of a user (password change, disabled account). */
void hw__session_end_user(hw_sessions *ss, int64_t user_id);
/* Seconds to wait before another sign-in for (email, address), or 0 when allowed. */
int hw__throttle_wait(hw_sessions *ss, const char *email, const char *address, int64_t now);
void hw__throttle_fail(hw_sessions *ss, const char *email, const char *address, int64_t now);
void hw__throttle_clear(hw_sessions *ss, const char *email);
/* A TOTP time step, once used by a user, is refused again. */
bool hw__totp_step_fresh(hw_sessions *ss, int64_t user_id, int64_t step);

/* Request metrics for /metrics (metrics.c). */
typedef struct hw_metrics hw_metrics;
hw_metrics *hw__metrics_new(size_t nroutes);
void hw__metrics_free(hw_metrics *m);
void hw__metrics_record(hw_metrics *m, int route, int status, double seconds);
char *hw__metrics_text(const hw_metrics *m, size_t *len);

/* The embedded UI (static.c; generated table from web/). */
typedef struct hw_web_file {
    const char *path; /* "/index.html" */
    const char *content_type;
    const unsigned char *data;
    size_t len;
    const char *etag;
} hw_web_file;
const hw_web_file *hw__web_find(const char *path);
/* The API's own description: "/openapi.json" (src/server/doc/). */
const hw_web_file *hw__doc_find(const char *path);

/* A pool of database handles, one per request in flight. */
typedef struct hw_pool hw_pool;

struct hw_server {
    hw_server_config cfg;
    struct MHD_Daemon *mhd;
    uint16_t port;
    bool secure_cookies;
    hw_ruleset *rules; /* may be NULL when the folder has none */
    hw_sessions *sessions;
    hw_metrics *metrics;
    hw_pool *pool;
    struct hw_audit_log *audit; /* reads' entries, group-committed */
    pthread_mutex_t log_lock;
    atomic_uint_fast64_t next_request;
    atomic_int in_flight; /* requests begun and not yet completed */
};

/* Per request: what a handler gets. */
typedef struct hw_ctx {
    hw_server *srv;
    const hw_req *rq;
    hw_resp *rs;
    hw_store *db;
    hw_user user;    /* id 0 when not signed in */
    int64_t id;      /* the path's {id}, when the route has one */
    const char *sub; /* the path's {kind}, when the route has one */
    int64_t now;     /* Unix seconds */
} hw_ctx;

typedef void (*hw_handler)(hw_ctx *c);

typedef struct hw_route {
    const char *method;
    const char *pattern; /* "/api/v1/people/{id}"; {id} a positive integer, {kind} a kind */
    int roles;           /* R_* bits allowed */
    hw_handler fn;
} hw_route;

extern const hw_route hw__routes[];
extern const size_t hw__nroutes;

/* Everything hw_server_start() sets up but the listening socket: for tests and the fuzzer. */
hw_code hw__server_open(const hw_server_config *cfg, hw_server **out, hw_err *e);

/* Handle one request whole: route, authenticate, authorise, answer in rs. */
void hw__server_handle(hw_server *srv, const hw_req *rq, hw_resp *rs);

/* Answers (api.c). */
void hw__reply_json(hw_ctx *c, int status, json_t *j); /* steals j */
void hw__reply_error(hw_ctx *c, int status, const char *code, const char *field, const char *fmt,
                     ...) HW_PRINTF(5, 6);
/* Map a library error to its status and answer with it. */
void hw__reply_err(hw_ctx *c, const hw_err *e);
const char *hw__query(const hw_ctx *c, const char *name);
/* Are all query parameters in `allowed` (NULL-terminated)?  false after answering 400. */
bool hw__only_params(hw_ctx *c, const char *const *allowed);
/*
 * The body as a JSON object whose keys are all in `allowed` (NULL-terminated;
 * NULL allows any), or NULL after answering 400 or 422.  The caller owns it.
 */
json_t *hw__body_object(hw_ctx *c, const char *const *allowed);

/* Pages: limit=N (1..200; default 50), cursors, and {"items", "next"}. */
bool hw__page_limit(hw_ctx *c, size_t *limit);
char *hw__cursor_encode(const char *text);
bool hw__cursor_decode(hw_ctx *c, char *out, size_t cap);
void hw__reply_page(hw_ctx *c, json_t *items, size_t n, size_t limit, const char *last);
/* The same around items already written as text, comma-separated (`last`: NULL for no next). */
void hw__reply_text_page(hw_ctx *c, const hw_buf *items, size_t n, size_t limit, const char *last);

/* The audit log (audit.c): a write's entry in its transaction; a read's before it is answered. */
hw_code hw__audit_write(hw_ctx *c, const char *action, hw_kind k, int64_t id, int64_t person,
                        hw_err *e);
/* false (after answering 503) when the read could not be recorded; person -1: look it up. */
bool hw__audit_read(hw_ctx *c, hw_kind k, int64_t id, int64_t person);
/* A sign-in ("sign_in") or a refused one ("sign_in_failed", user 0): false if not recorded. */
bool hw__audit_sign_in(hw_ctx *c, const char *action, int64_t user_id, int64_t org);
/* Name the signed-in user in the library's own entries on this request's handle. */
void hw__audit_actor(hw_ctx *c);

/* A stored determination as the API gives it, reasons in the rule's words, written to b
 * as text (api_people.c). */
struct hw_det;
hw_code hw__api_determination_write(hw_ctx *c, hw_buf *b, const struct hw_det *d, hw_err *e);

/* Handlers, one file per group. */
void hw__api_session_create(hw_ctx *c);
void hw__api_session_get(hw_ctx *c);
void hw__api_session_delete(hw_ctx *c);
void hw__api_people_list(hw_ctx *c);
void hw__api_person_get(hw_ctx *c);
void hw__api_person_determinations(hw_ctx *c);
void hw__api_records_list(hw_ctx *c);
void hw__api_record_get(hw_ctx *c);
void hw__api_record_create(hw_ctx *c);
void hw__api_record_update(hw_ctx *c);
void hw__api_determinations(hw_ctx *c);
void hw__api_screening(hw_ctx *c);
void hw__api_screening_export(hw_ctx *c);
void hw__api_funds(hw_ctx *c);
void hw__api_plans_list(hw_ctx *c);
void hw__api_plan_make(hw_ctx *c);
void hw__api_plan_get(hw_ctx *c);
void hw__api_plan_commit(hw_ctx *c);
void hw__api_dashboard(hw_ctx *c);
void hw__api_users_list(hw_ctx *c);
void hw__api_user_create(hw_ctx *c);
void hw__api_audit(hw_ctx *c);
void hw__api_openapi(hw_ctx *c);
void hw__api_healthz(hw_ctx *c);
void hw__api_metrics(hw_ctx *c);

#endif
