/* SPDX-License-Identifier: MIT */
/*
 * Database handles for the workers.  A store handle is used by one thread
 * at a time, so each request takes one from the pool and gives it back; the
 * pool opens another when all are out, and so never holds more than the
 * number of requests ever in flight at once (the worker threads).
 */
#ifndef HW_SERVER_POOL_H
#define HW_SERVER_POOL_H

#include "homeward/store.h"

typedef struct hw_pool hw_pool;

/* A pool over the database at `path`; a request's database work stops after time_limit_ms. */
hw_code hw__pool_new(const char *path, unsigned time_limit_ms, hw_pool **out, hw_err *e);
hw_code hw__pool_take(hw_pool *p, hw_store **s, hw_err *e);
void hw__pool_give(hw_pool *p, hw_store *s);
/* Close every handle; none may be out. */
void hw__pool_free(hw_pool *p);

#endif
