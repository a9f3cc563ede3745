/*
 * http.h - closeloop's HTTP server: the JSON API under /api/v1/ on
 * libmicrohttpd, with the scheduler (sched/sched.h: the tick and delivery)
 * started and stopped beside it.
 *
 * One internal polling thread with epoll hands connections to a pool of
 * threads; each pool thread opens its own store connection on its first
 * request.  The scheduler runs in a thread of its own with its own
 * connection.
 */
#ifndef CL_HTTP_H
#define CL_HTTP_H

#include <stdint.h>

#include "../core/err.h"

/* Connections open at once, from all clients together. */
#define CL_HTTP_MAX_CONNECTIONS 1000

typedef struct cl_http_opts {
    const char *db;          /* the workspace url */
    const char *listen_addr; /* an IPv4 address, e.g. "127.0.0.1" */
    uint16_t port;           /* 0: any free port (see cl_http_port) */
    const char *web_dir;     /* static files served at /, or NULL */
    unsigned threads;        /* pool size; 0: the number of cores */
    int trust_proxy;         /* behind a reverse proxy: honour
                                X-Forwarded-Proto and X-Forwarded-For */
    int tick_hour;           /* the daily tick's UTC hour; -1: no tick */
    int64_t clock_start;     /* 0: the system clock; else the server's
                                clock reads this instant at start and runs
                                on from it (tests, demos: --now) */
    int deliver_seconds;     /* delivery every N seconds; 0: never */
    size_t body_limit;       /* request body bytes; 0: 1 MiB */
    int quiet;               /* no access log */

    /* Limits on hostile clients (docs/deploy.md). */
    size_t body_memory;          /* all bodies in memory together; 0: 64 MiB */
    unsigned client_connections; /* per client address; 0: 64 */
    unsigned read_timeout;       /* seconds idle before close; 0: 30 */
} cl_http_opts;

typedef struct cl_http_server cl_http_server;

/*
 * Starts the server: opens the workspace once to migrate it, binds, and
 * starts the threads.  On success the caller owns *out and ends it with
 * cl_http_stop.
 *   CL_EDB   the workspace cannot be opened
 *   CL_EIO   the address cannot be bound
 */
cl_err cl_http_start(const cl_http_opts *opts, cl_http_server **out,
                     cl_error *err);

/* The port the server listens on. */
uint16_t cl_http_port(const cl_http_server *srv);

/*
 * Stops accepting, lets requests in flight finish, stops the scheduler,
 * closes every store connection and frees srv.
 */
void cl_http_stop(cl_http_server *srv);

/* The three above: the table closeloop-serve.so exports as
   cl__serve_module (module.h; server.c). */
typedef struct cl_http_api {
    cl_err (*start)(const cl_http_opts *opts, cl_http_server **out,
                    cl_error *err);
    uint16_t (*port)(const cl_http_server *srv);
    void (*stop)(cl_http_server *srv);
} cl_http_api;

#endif
