/* SPDX-License-Identifier: MIT */
/*
 * Counters for /metrics in Prometheus's text format: requests by route and
 * status, a latency histogram by route, and errors.  Relaxed atomics: every
 * worker adds without a lock, and a scrape may see a request counted in one
 * series a moment before another, which Prometheus tolerates.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/buf.h"
#include "server/server_int.h"
#include "core/banned.h"

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404,
                               405, 409, 413, 422, 429, 500, 503};
enum { NSTATUS = sizeof(statuses) / sizeof(statuses[0]) + 1 }; /* + "other" */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                0.1,    0.25,  0.5,    1,     2.5,  5,     10};
enum { NBOUNDS = sizeof(bounds) / sizeof(bounds[0]) };

typedef struct series {
    atomic_uint_fast64_t by_status[NSTATUS];
    atomic_uint_fast64_t le[NBOUNDS]; /* not cumulative here; summed when written */
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_us;
} series;

struct hw_metrics {
    size_t nroutes;
    series *s; /* nroutes + 1: the last is the UI's files and unknown paths */
    atomic_uint_fast64_t errors;
};

hw_metrics *hw__metrics_new(size_t nroutes)
{
    hw_metrics *m = calloc(1, sizeof(*m));

    if (!m || !(m->s = calloc(nroutes + 1, sizeof(*m->s)))) {
        free(m);
        return NULL;
    }
    m->nroutes = nroutes;
    return m;
}

void hw__metrics_free(hw_metrics *m)
{
    if (m)
        free(m->s);
    free(m);
}

void hw__metrics_record(hw_metrics *m, int route, int status, double seconds)
{
    series *s = &m->s[route >= 0 && (size_t)route < m->nroutes ? (size_t)route : m->nroutes];
    size_t i = 0;

    while (i < NSTATUS - 1 && statuses[i] != status)
        i++;
    atomic_fetch_add_explicit(&s->by_status[i], 1, memory_order_relaxed);
    for (size_t b = 0; b < NBOUNDS; b++)
        if (seconds <= bounds[b]) {
            atomic_fetch_add_explicit(&s->le[b], 1, memory_order_relaxed);
            break;
        }
    atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->sum_us, (uint_fast64_t)(seconds * 1e6), memory_order_relaxed);
    if (status >= 500)
        atomic_fetch_add_explicit(&m->errors, 1, memory_order_relaxed);
}

static uint64_t get(const atomic_uint_fast64_t *a)
{
    return (uint64_t)atomic_load_explicit(a, memory_order_relaxed);
}

char *hw__metrics_text(const hw_metrics *m, size_t *len)
{
    hw_buf b = HW_BUF_INIT(0);

    hw_buf_printf(&b, NULL,
                  "# HELP homeward_http_requests_total Requests answered, by route and status.\n"
                  "# TYPE homeward_http_requests_total counter\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        const char *method = r < m->nroutes ? hw__routes[r].method : "GET";
        const char *route = r < m->nroutes ? hw__routes[r].pattern : "static";

        for (size_t i = 0; i < NSTATUS; i++) {
            uint64_t n = get(&m->s[r].by_status[i]);

            if (!n)
                continue;
            if (i < NSTATUS - 1)
                hw_buf_printf(&b, NULL,
                              "homeward_http_requests_total{method=\"%s\",route=\"%s\","
                              "status=\"%d\"} %llu\n",
                              method, route, statuses[i], (unsigned long long)n);
            else
                hw_buf_printf(&b, NULL,
                              "homeward_http_requests_total{method=\"%s\",route=\"%s\","
                              "status=\"other\"} %llu\n",
                              method, route, (unsigned long long)n);
        }
    }
    hw_buf_printf(&b, NULL,
                  "# HELP homeward_http_request_duration_seconds Time to answer, by route.\n"
                  "# TYPE homeward_http_request_duration_seconds histogram\n");
    for (size_t r = 0; r <= m->nroutes; r++) {
        const char *method = r < m->nroutes ? hw__routes[r].method : "GET";
        const char *route = r < m->nroutes ? hw__routes[r].pattern : "static";
        uint64_t count = get(&m->s[r].count), cum = 0;

        if (!count)
            continue;
        for (size_t i = 0; i < NBOUNDS; i++) {
            cum += get(&m->s[r].le[i]);
            hw_buf_printf(&b, NULL,
                          "homeward_http_request_duration_seconds_bucket{method=\"%s\","
                          "route=\"%s\",le=\"%g\"} %llu\n",
                          method, route, bounds[i], (unsigned long long)cum);
        }
        hw_buf_printf(&b, NULL,
                      "homeward_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\","
                      "le=\"+Inf\"} %llu\n"
                      "homeward_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} "
                      "%.6f\n"
                      "homeward_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} "
                      "%llu\n",
                      method, route, (unsigned long long)count, method, route,
                      (double)get(&m->s[r].sum_us) / 1e6, method, route, (unsigned long long)count);
    }
    hw_buf_printf(&b, NULL,
                  "# HELP homeward_http_errors_total Requests answered with a server error (5xx).\n"
                  "# TYPE homeward_http_errors_total counter\n"
                  "homeward_http_errors_total %llu\n",
                  (unsigned long long)get(&m->errors));
    *len = b.n;
    return b.p;
}
