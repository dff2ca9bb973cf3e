/* SPDX-License-Identifier: MIT */
/*
 * The HTTP server: the JSON API of docs/api.md, the staff UI's files,
 * /healthz and /metrics, on libmicrohttpd's epoll thread pool.  A thin
 * front end over the library: every answer comes from the same functions
 * the CLI calls.
 */
#ifndef HOMEWARD_SERVER_H
#define HOMEWARD_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "homeward/error.h"

typedef struct hw_server hw_server;

typedef struct hw_server_config {
    const char *db_path;     /* the database; opened once per worker, read-write */
    const char *listen;      /* "127.0.0.1:8080"; port 0 picks a free one */
    const char *rules_dir;   /* rule packs, for determinations' titles and reasons */
    unsigned threads;        /* worker threads (0: four per CPU) */
    size_t max_body;         /* largest request body in bytes (0: 1 MiB) */
    unsigned idle_timeout_s; /* close a connection idle this long (0: 30) */
    unsigned time_limit_ms;  /* a request's database work stops after this (0: 10000) */
    FILE *access_log;        /* one JSON line per request; NULL: none */
    int secure_cookies;      /* 1: Secure cookies; 0: not; -1: unless the address is loopback */
} hw_server_config;

/* Open the database and the rules, and start answering.  *out until hw_server_stop(). */
hw_code hw_server_start(const hw_server_config *cfg, hw_server **out, hw_err *e);

/* The port listened on (useful after asking for port 0). */
uint16_t hw_server_port(const hw_server *srv);

/*
 * Stop accepting, let the requests in progress finish, close every database
 * handle and free the server.  Accepts NULL.
 */
void hw_server_stop(hw_server *srv);

#endif
