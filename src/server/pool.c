/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "homeward/query.h"
#include "server/pool.h"
#include "core/banned.h"

struct hw_pool {
    pthread_mutex_t lock;
    char *path;
    unsigned time_limit_ms;
    hw_store **free; /* handles not in use */
    size_t nfree, cap;
};

hw_code hw__pool_new(const char *path, unsigned time_limit_ms, hw_pool **out, hw_err *e)
{
    hw_pool *p = calloc(1, sizeof(*p));
    hw_store *s = NULL;
    hw_code rc;

    if (!p || !(p->path = strdup(path))) {
        free(p);
        return hw_fail(e, HW_ENOMEM, NULL, "out of memory");
    }
    pthread_mutex_init(&p->lock, NULL);
    p->time_limit_ms = time_limit_ms;
    /* The first handle brings the schema up to date, before any worker reads. */
    if ((rc = hw__pool_take(p, &s, e))) {
        hw__pool_free(p);
        return rc;
    }
    hw__pool_give(p, s);
    *out = p;
    return HW_OK;
}

hw_code hw__pool_take(hw_pool *p, hw_store **s, hw_err *e)
{
    hw_code rc;

    pthread_mutex_lock(&p->lock);
    *s = p->nfree ? p->free[--p->nfree] : NULL;
    pthread_mutex_unlock(&p->lock);
    /*
     * No memory map: with reads' audit entries in their own file, a handle's
     * page cache stays warm, and a map measured no faster while it counted the
     * file's pages (up to its size, per handle) in the server's memory.
     */
    if (!*s && (rc = hw_store_open(p->path, 0, s, e)))
        return rc;
    /* The clock of this request's database work starts now. */
    hw_store_set_time_limit(*s, p->time_limit_ms);
    return HW_OK;
}

void hw__pool_give(hw_pool *p, hw_store *s)
{
    hw_store_set_time_limit(s, 0);
    pthread_mutex_lock(&p->lock);
    if (p->nfree == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        hw_store **n = realloc(p->free, cap * sizeof(*n));

        if (!n) {
            pthread_mutex_unlock(&p->lock);
            hw_store_close(s);
            return;
        }
        p->free = n;
        p->cap = cap;
    }
    p->free[p->nfree++] = s;
    pthread_mutex_unlock(&p->lock);
}

void hw__pool_free(hw_pool *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nfree; i++)
        hw_store_close(p->free[i]);
    pthread_mutex_destroy(&p->lock);
    free(p->free);
    free(p->path);
    free(p);
}
