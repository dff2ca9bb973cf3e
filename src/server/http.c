/* SPDX-License-Identifier: MIT */
/*
 * libmicrohttpd glue: a connection's request becomes an hw_req, the answer
 * an MHD response.  The daemon runs epoll in a pool of threads.  A response
 * is queued on the second call of the access handler, never the first: on
 * the first the library would close a keep-alive connection after it.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "homeward/buf.h"
#include "homeward/audit.h"
#include "server/pool.h"
#include "server/server_int.h"
#include "core/banned.h"

typedef struct conn_req {
    hw_buf body;
    bool too_large;
    struct timespec start;
    int route, status;
    int64_t user_id;
    uint64_t id;
} conn_req;

typedef struct args {
    hw_req *rq;
} args;

static double since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    hw_req *rq = ((args *)cls)->rq;

    (void)kind;
    if (rq->nquery == HW_MAX_QUERY) {
        rq->query_overflow = true;
        return MHD_NO;
    }
    rq->qname[rq->nquery] = key;
    rq->qval[rq->nquery++] = value ? value : "";
    return MHD_YES;
}

static void client_address(struct MHD_Connection *conn, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, out,
                  (socklen_t)size);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, out,
                  (socklen_t)size);
}

static void add_headers(struct MHD_Response *r, const hw_resp *rs)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            rs->content_type ? rs->content_type : "application/json");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self';"
                            " script-src 'self'; frame-ancestors 'none'; form-action 'self'");
    if (rs->cacheable) {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
        if (rs->etag[0])
            MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, rs->etag);
    } else {
        /* Answers hold personal data: no cache anywhere keeps them. */
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    if (rs->set_cookie[0])
        MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, rs->set_cookie);
    if (rs->retry_after) {
        char v[16];

        snprintf(v, sizeof(v), "%d", rs->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, v);
    }
}

static enum MHD_Result answer(struct MHD_Connection *conn, conn_req *cr, hw_resp *rs)
{
    struct MHD_Response *r;
    enum MHD_Result ok;

    if (rs->static_body)
        r = MHD_create_response_from_buffer(rs->len, (void *)rs->static_body,
                                            MHD_RESPMEM_PERSISTENT);
    else
        r = MHD_create_response_from_buffer(rs->len, rs->body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(rs->body);
        return MHD_NO;
    }
    add_headers(r, rs);
    cr->status = rs->status;
    cr->route = rs->route;
    cr->user_id = rs->user_id;
    ok = MHD_queue_response(conn, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    hw_server *srv = cls;
    conn_req *cr = *con_cls;
    char address[INET6_ADDRSTRLEN];
    hw_req rq = {0};
    hw_resp rs;
    args a = {&rq};

    (void)version;
    if (!cr) {
        const char *cl =
            MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

        if (!(cr = calloc(1, sizeof(*cr))))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &cr->start);
        cr->route = -1;
        cr->id = atomic_fetch_add(&srv->next_request, 1) + 1;
        cr->too_large = cl && strtoull(cl, NULL, 10) > srv->cfg.max_body;
        *con_cls = cr;
        atomic_fetch_add(&srv->in_flight, 1);
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (!cr->too_large && cr->body.n + *upload_data_size > srv->cfg.max_body)
            cr->too_large = true;
        if (!cr->too_large && hw_buf_append(&cr->body, upload_data, *upload_data_size, NULL))
            cr->too_large = true;
        if (cr->too_large)
            hw_buf_release(&cr->body);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (cr->too_large) {
        static const char msg[] = "{\"error\":{\"code\":\"too_large\",\"message\":"
                                  "\"the request body is larger than the server accepts\"}}";

        memset(&rs, 0, sizeof(rs));
        rs.status = 413;
        rs.route = -1;
        rs.static_body = msg;
        rs.len = sizeof(msg) - 1;
        return answer(conn, cr, &rs);
    }
    rq.method = method;
    rq.path = url;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, &a);
    rq.session = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "hw_session");
    rq.csrf = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
    rq.if_none_match =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    client_address(conn, address, sizeof(address));
    rq.address = address;
    rq.body = cr->body.p ? cr->body.p : "";
    rq.body_len = cr->body.n;
    hw__server_handle(srv, &rq, &rs);
    return answer(conn, cr, &rs);
}

/*
 * One JSON line per request: the route's pattern, never the path or the
 * query (they may hold an id or a name), and no client address.
 */
static void log_line(hw_server *srv, const conn_req *cr, const char *method, double seconds)
{
    char ts[32], line[512];
    struct timespec now;
    struct tm tm;
    int n;

    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    n = snprintf(line, sizeof(line),
                 "{\"time\":\"%s.%03ldZ\",\"request\":%llu,\"method\":\"%s\",\"route\":\"%s\","
                 "\"status\":%d,\"ms\":%.3f,\"user\":%lld}\n",
                 ts, now.tv_nsec / 1000000, (unsigned long long)cr->id,
                 method && strlen(method) < 16 && !strpbrk(method, "\"\\") ? method : "?",
                 cr->route >= 0 ? hw__routes[cr->route].pattern : "static", cr->status,
                 seconds * 1e3, (long long)cr->user_id);
    if (n <= 0 || (size_t)n >= sizeof(line))
        return;
    pthread_mutex_lock(&srv->log_lock);
    fwrite(line, 1, (size_t)n, srv->cfg.access_log);
    fflush(srv->cfg.access_log);
    pthread_mutex_unlock(&srv->log_lock);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    hw_server *srv = cls;
    conn_req *cr = *con_cls;
    double seconds;

    (void)conn;
    (void)toe;
    if (!cr)
        return;
    seconds = since(&cr->start);
    if (cr->status) {
        hw__metrics_record(srv->metrics, cr->route, cr->status, seconds);
        if (srv->cfg.access_log)
            log_line(srv, cr, cr->route >= 0 ? hw__routes[cr->route].method : "GET", seconds);
    }
    hw_buf_release(&cr->body);
    free(cr);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* "host:port" (an IPv6 host in brackets) into a socket address. */
static hw_code parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                            bool *v6, bool *loopback, hw_err *e)
{
    char host[64];
    const char *colon = strrchr(listen, ':'), *h = listen;
    size_t hn;
    struct addrinfo hints = {0}, *res = NULL;
    char *end;
    unsigned long port;

    if (!colon)
        return hw_fail(e, HW_EINVAL, "listen", "'%s' is not HOST:PORT (e.g. 127.0.0.1:8080)",
                       listen);
    hn = (size_t)(colon - listen);
    if (hn >= 2 && listen[0] == '[' && listen[hn - 1] == ']') {
        h++;
        hn -= 2;
    }
    port = strtoul(colon + 1, &end, 10);
    if (hn == 0 || hn >= sizeof(host) || !colon[1] || *end || port > 65535)
        return hw_fail(e, HW_EINVAL, "listen", "'%s' is not HOST:PORT (e.g. 127.0.0.1:8080)",
                       listen);
    memcpy(host, h, hn);
    host[hn] = '\0';
    hints.ai_flags = AI_NUMERICHOST;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res)
        return hw_fail(e, HW_EINVAL, "listen", "'%s' is not a numeric IPv4 or IPv6 address", host);
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    *v6 = ss->ss_family == AF_INET6;
    if (*v6) {
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
        *loopback = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ss)->sin6_addr);
    } else {
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
        *loopback = (ntohl(((struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
    }
    return HW_OK;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("homeward serve: ", stderr);
    vfprintf(stderr, fmt, ap);
}

hw_code hw__server_open(const hw_server_config *cfg, hw_server **out, hw_err *e)
{
    hw_server *srv = calloc(1, sizeof(*srv));
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    hw_code rc;

    if (!srv)
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    srv->cfg = *cfg;
    if (!srv->cfg.listen)
        srv->cfg.listen = "127.0.0.1:8080";
    if (!srv->cfg.threads)
        /*
         * More threads than cores: a read waits for its audit entry to be synced,
         * and the entries of the reads waiting together share one sync.
         */
        srv->cfg.threads = 4 * (ncpu > 0 ? (unsigned)ncpu : 2);
    if (!srv->cfg.max_body)
        srv->cfg.max_body = 1 << 20;
    if (!srv->cfg.idle_timeout_s)
        srv->cfg.idle_timeout_s = 30;
    if (!srv->cfg.time_limit_ms)
        srv->cfg.time_limit_ms = 10000;
    pthread_mutex_init(&srv->log_lock, NULL);
    if (cfg->rules_dir && (rc = hw_rules_load(cfg->rules_dir, &srv->rules, e)))
        goto fail;
    srv->sessions = hw__sessions_new();
    srv->metrics = hw__metrics_new(hw__nroutes);
    if (!srv->sessions || !srv->metrics) {
        rc = hw_fail(e, HW_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    if ((rc = hw__pool_new(cfg->db_path, srv->cfg.time_limit_ms, &srv->pool, e)) ||
        (rc = hw_audit_log_open(cfg->db_path, &srv->audit, e)))
        goto fail;
    *out = srv;
    return HW_OK;
fail:
    hw_server_stop(srv);
    return rc;
}

hw_code hw_server_start(const hw_server_config *cfg, hw_server **out, hw_err *e)
{
    hw_server *srv = NULL;
    struct sockaddr_storage ss;
    socklen_t sslen;
    bool v6 = false, loopback = false;
    const union MHD_DaemonInfo *di;
    unsigned flags;
    hw_code rc;

    if ((rc = parse_listen(cfg->listen ? cfg->listen : "127.0.0.1:8080", &ss, &sslen, &v6,
                           &loopback, e)) ||
        (rc = hw__server_open(cfg, &srv, e)))
        return rc;
    srv->secure_cookies = cfg->secure_cookies < 0 ? !loopback : cfg->secure_cookies != 0;
    flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (v6)
        flags |= MHD_USE_IPv6;
    srv->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE, srv->cfg.threads,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->cfg.idle_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
    if (!srv->mhd) {
        rc = hw_fail(e, HW_EIO, "listen", "cannot listen on %s (in use, or not this machine's)",
                     srv->cfg.listen);
        hw_server_stop(srv);
        return rc;
    }
    di = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    *out = srv;
    return HW_OK;
}

uint16_t hw_server_port(const hw_server *srv)
{
    return srv->port;
}

void hw_server_stop(hw_server *srv)
{
    if (!srv)
        return;
    if (srv->mhd) {
        /* Stop accepting; let what is in flight finish (up to the time limit), then stop. */
        struct timespec t0;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        MHD_quiesce_daemon(srv->mhd);
        while (atomic_load(&srv->in_flight) > 0 &&
               since(&t0) * 1000 < (double)srv->cfg.time_limit_ms + 1000) {
            struct timespec nap = {0, 5 * 1000 * 1000};

            nanosleep(&nap, NULL);
        }
        MHD_stop_daemon(srv->mhd);
    }
    hw_audit_log_close(srv->audit);
    hw__pool_free(srv->pool);
    hw__sessions_free(srv->sessions);
    hw__metrics_free(srv->metrics);
    hw_ruleset_free(srv->rules);
    pthread_mutex_destroy(&srv->log_lock);
    free(srv);
}
