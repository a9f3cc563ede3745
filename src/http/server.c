/*
 * server.c - the libmicrohttpd daemon, the request's life, the route
 * match and static files; the tick and delivery run in the scheduler
 * (sched/sched.h), started and stopped with the daemon.
 *
 * The access handler follows the two-call pattern: the first call only
 * allocates the request state and returns, so libmicrohttpd keeps the
 * connection alive; the reply is queued on a later call, once the body has
 * arrived.  Queuing on the first call makes it answer "Connection: close"
 * (MACHINE-NOTES).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "../core/buf.h"
#include "../sched/sched.h"
#include "inbox.h"
#include "../store/store_api.h"
#include "http_int.h"

cl_time
cl__http_now(const struct cl_http_server *srv)
{
    return (cl_time)time(NULL) + (cl_time)srv->clock_offset;
}

static int64_t
now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- store connections ----------------------------------------------- */

/* Opens a connection and remembers it so cl_http_stop closes it. */
static cl_store *
open_store(struct cl_http_server *srv, cl_error *err)
{
    cl_store *st;
    if (cl_store_open(srv->db, &st, err) != CL_OK)
        return NULL;
    pthread_mutex_lock(&srv->stores_lock);
    if (cl_grow(&srv->stores, &srv->cap, srv->nstores + 1,
                sizeof *srv->stores) != CL_OK) {
        pthread_mutex_unlock(&srv->stores_lock);
        cl_store_close(st);
        cl_error_set(err, CL_ENOMEM, "out of memory");
        return NULL;
    }
    srv->stores[srv->nstores++] = st;
    pthread_mutex_unlock(&srv->stores_lock);
    return st;
}

/* The pool thread's own connection, opened on its first request. */
static cl_store *
thread_store(struct cl_http_server *srv, cl_error *err)
{
    cl_store *st = pthread_getspecific(srv->store_key);
    if (st)
        return st;
    st = open_store(srv, err);
    if (st)
        pthread_setspecific(srv->store_key, st);
    return st;
}

/* ---- route matching --------------------------------------------------- */

/* Matches path against pattern, capturing {name} segments into r. */
static int
match(const char *pattern, const char *path, cl_http_req *r)
{
    int n = 0;
    while (*pattern && *path) {
        if (*pattern == '{') {
            const char *end = strchr(path, '/');
            size_t len = end ? (size_t)(end - path) : strlen(path);
            if (len == 0 || len >= sizeof r->params[0] ||
                n >= CL_HTTP_MAX_PARAMS)
                return 0;
            memcpy(r->params[n], path, len);
            r->params[n][len] = '\0';
            n++;
            path += len;
            pattern = strchr(pattern, '}');
            if (!pattern)
                return 0;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    if (*pattern || *path)
        return 0;
    r->nparams = n;
    return 1;
}

/* ---- static files ----------------------------------------------------- */

static const char *
content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

/* Serves web_dir/url; unknown paths without an extension get index.html,
   so the web UI's own routes load on a reload. */
static enum MHD_Result
serve_static(cl_http_req *r)
{
    char path[4096];
    const char *url = r->url;
    if (strstr(url, "..") || strlen(url) > 1024)
        return cl_http_error(r, 404, "not_found", NULL, "no such page");
    if (strcmp(url, "/") == 0)
        url = "/index.html";
    snprintf(path, sizeof path, "%s%s", r->srv->web_dir, url);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    /* The guard lets only paths (a leading '/') this far; the check
       stays so serving never depends on it. */
    const char *base = strrchr(url, '/');
    if (fd < 0 && base && !strchr(base, '.')) {
        snprintf(path, sizeof path, "%s/index.html", r->srv->web_dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        if (fd >= 0)
            close(fd);
        return cl_http_error(r, 404, "not_found", NULL, "no such page");
    }
    struct MHD_Response *resp =
        MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
    MHD_add_response_header(resp, "Content-Type", content_type(path));
    cl__http_guard_headers(resp, 1);
    return cl_http_queue(r, 200, resp, (size_t)sb.st_size);
}

/* ---- the request ------------------------------------------------------ */

/* An upload route's body is a whole file: it may be larger than any JSON
   body, and goes to disk rather than memory. */
#define IMPORT_BODY_LIMIT ((size_t)20 << 20)

/* How long a client turned away for lack of body memory should wait. */
#define BUSY_RETRY_SECONDS 5

static size_t
body_limit(const struct cl_http_server *srv, const cl_http_req *r)
{
    if (r->route && r->route->upload &&
        srv->opts.body_limit < IMPORT_BODY_LIMIT)
        return IMPORT_BODY_LIMIT;
    return srv->opts.body_limit;
}

/* Finds the route of the request's method and path into r->route, and
   notes whether any route has the path (405 rather than 404). */
static void
route_find(cl_http_req *r)
{
    for (size_t i = 0; i < cl__http_nroutes; i++) {
        const cl_http_route *rt = &cl__http_routes[i];
        if (!match(rt->pattern, r->url, r))
            continue;
        r->path_known = 1;
        if (strcmp(rt->method, r->method) != 0)
            continue;
        r->route = rt;
        break;
    }
}

static enum MHD_Result
no_route(cl_http_req *r)
{
    if (r->path_known)
        return cl_http_error(r, 405, "method_not_allowed", NULL,
                             "%s is not allowed here", r->method);
    return cl_http_error(r, 404, "not_found", NULL, "no route %s %s", r->method,
                         r->url);
}

/* The caller of a route that needs one; 0 with *done set when the 401 or
   403 is queued. */
static int
authenticate(cl_http_req *r, enum MHD_Result *done)
{
    cl_error err;
    if (r->route->auth != CL_AUTH_USER || r->authed)
        return 1;
    cl_error_clear(&err);
    r->st = thread_store(r->srv, &err);
    if (!r->st) {
        *done = cl_http_fail(r, err.code, &err);
        return 0;
    }
    r->now = cl__http_now(r->srv);
    return cl_http_authenticate(r, done);
}

/* The caller's role against the route's action; 0 with *done set when the
   403 is queued.  After authenticate. */
static int
permitted(cl_http_req *r, enum MHD_Result *done)
{
    int a = r->route->action;
    if (a == 0 || r->route->auth != CL_AUTH_USER ||
        cl_vis_may(&r->viewer, (cl_vis_action)(a - 1), NULL))
        return 1;
    if (r->route->refusal)
        *done = cl_http_error(r, 403, "forbidden", NULL, "%s",
                              r->route->refusal);
    else
        *done = cl_http_error(r, 403, "forbidden", NULL,
                              "your role (%s) may not do this", r->role);
    return 0;
}

/*
 * The request's first call, with its headers and no body yet: refuse what
 * is malformed, and decide whatever can be decided without the body, so
 * that a body nobody will use is never read.  A reply queued here ends the
 * connection after it (libmicrohttpd cannot skip an unread body).  Returns
 * 1 when the request goes on to its body and dispatch.
 */
static int
admit(cl_http_req *r, const char *version, enum MHD_Result *done)
{
    if (!cl__http_guard(r, version, done))
        return 0;
    route_find(r);
    int has_body = cl__http_announces_body(r);
    if (!r->route) {
        /* A GET may be a static file; anything else with no route is
           answered now. */
        if (strcmp(r->method, "GET") == 0 && !has_body)
            return 1;
        *done = no_route(r);
        return 0;
    }
    if (!has_body)
        return 1;
    /* Who is calling, and whether their role may do this at all, before
       what they send: no unauthenticated or refused body is read, let
       alone held. */
    if (!authenticate(r, done) || !permitted(r, done))
        return 0;
    const char *len = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long declared = len ? strtoull(len, NULL, 10) : 0;
    if (declared > body_limit(r->srv, r)) {
        r->body_too_big = 1;
        return 1;
    }
    if (r->route->upload) {
        r->upload_fd = cl__http_upload_open();
        if (r->upload_fd < 0) {
            *done =
                cl_http_error(r, 500, "internal", NULL,
                              "cannot store the upload: %s", strerror(errno));
            return 0;
        }
        return 1;
    }
    /* The declared body is held against the budget before it is read. */
    if (declared) {
        if (!cl__http_budget_take(r->srv, (size_t)declared + 1)) {
            *done = cl__http_reply_busy(r, BUSY_RETRY_SECONDS);
            return 0;
        }
        r->reserved = (size_t)declared + 1;
    }
    return 1;
}

/* Keeps len bytes of the body: in the upload's file, or in memory within
   the budget (0 when the budget is spent). */
static int
body_keep(cl_http_req *r, const char *data, size_t len)
{
    if (r->upload_fd >= 0) {
        if (cl__http_upload_write(r->upload_fd, data, len) != 0)
            return -1;
        r->body_len += len;
        return 1;
    }
    size_t need = r->body_len + len + 1;
    if (need > r->reserved) {
        if (!cl__http_budget_take(r->srv, need - r->reserved))
            return 0;
        r->reserved = need;
    }
    char *p = realloc(r->body, need);
    if (!p)
        return -1;
    memcpy(p + r->body_len, data, len);
    r->body = p;
    r->body_len += len;
    r->body[r->body_len] = '\0';
    return 1;
}

static enum MHD_Result
dispatch(cl_http_req *r)
{
    if (!r->route) {
        if (r->srv->web_dir && strcmp(r->method, "GET") == 0 &&
            !r->path_known && strncmp(r->url, "/api/", 5) != 0)
            return serve_static(r);
        return no_route(r);
    }
    if (r->body_busy)
        return cl__http_reply_busy(r, BUSY_RETRY_SECONDS);
    if (r->body_too_big)
        return cl_http_error(r, 413, "body_too_large", NULL,
                             "the request body is over %zu bytes",
                             body_limit(r->srv, r));
    r->now = cl__http_now(r->srv);
    if (r->route->auth == CL_AUTH_NONE && r->route->kind == CL_KIND_NONE &&
        strcmp(r->route->pattern, "/api/v1/hello") == 0)
        return r->route->handler(r);
    cl_error err;
    cl_error_clear(&err);
    r->st = thread_store(r->srv, &err);
    if (!r->st)
        return cl_http_fail(r, err.code, &err);
    cl_store_end_read(r->st);
    /* A GET sees the workspace as of one moment however many reads it
       makes; a handler that writes ends the snapshot by beginning its
       transaction. */
    if (strcmp(r->method, "GET") == 0 &&
        cl_store_read_begin(r->st, &err) != CL_OK)
        return cl_http_fail(r, err.code, &err);
    enum MHD_Result res = MHD_YES;
    if (!authenticate(r, &res) || !permitted(r, &res)) {
        cl_store_end_read(r->st);
        return res;
    }
    res = r->route->handler(r);
    /* An open read would hold its snapshot (and keep SQLite from
       checkpointing its log) until this thread's next request. */
    cl_store_end_read(r->st);
    return res;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **req_cls)
{
    struct cl_http_server *srv = cls;
    cl_http_req *r = *req_cls;
    int query_cut = r == CL__HTTP_QUERY_CUT;
    if (r == NULL || query_cut) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->query_cut = query_cut;
        r->srv = srv;
        r->conn = conn;
        r->method = method;
        r->url = url;
        r->upload_fd = -1;
        r->t0_us = now_us();
        *req_cls = r;
        enum MHD_Result done = MHD_YES;
        if (!admit(r, version, &done))
            return done;
        return MHD_YES;
    }
    if (*upload_size) {
        if (r->replied) {
            *upload_size = 0;
            return MHD_YES;
        }
        size_t limit = body_limit(srv, r);
        if (r->body_too_big || r->body_len + *upload_size > limit) {
            /* Read and drop the rest, so the client sees the 413 rather
               than a reset while it is still sending; past a hard cap,
               answer at once and let the connection close.  Only a
               signed-in caller (or a public route) gets this far. */
            r->body_too_big = 1;
            r->dropped += *upload_size;
            *upload_size = 0;
            if (r->dropped > 16 * limit)
                return dispatch(r);
            return MHD_YES;
        }
        int kept = body_keep(r, upload, *upload_size);
        *upload_size = 0;
        if (kept < 0)
            return MHD_NO;
        if (kept == 0) {
            /* The budget is spent: answer now rather than read on. */
            r->body_busy = 1;
            return dispatch(r);
        }
        return MHD_YES;
    }
    if (r->replied)
        return MHD_YES;
    return dispatch(r);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct cl_http_server *srv = cls;
    cl_http_req *r = *req_cls;
    (void)conn;
    (void)toe;
    if (!r || r == CL__HTTP_QUERY_CUT)
        return;
    if (!srv->opts.quiet)
        fprintf(stderr, "%s %s %u %zu %lldus\n", r->method, r->url, r->status,
                r->bytes, (long long)(now_us() - r->t0_us));
    if (r->reserved)
        cl__http_budget_give(srv, r->reserved);
    if (r->upload_fd >= 0)
        close(r->upload_fd);
    free(r->body);
    free(r);
    *req_cls = NULL;
}

/* The scheduler's clock: the server's. */
static cl_time
sched_now(void *ud)
{
    return cl__http_now(ud);
}

/* The scheduler's sweep of the inbox (sched.h). */
static cl_err
sched_sweep(cl_store *st, cl_time now, void *ud, cl_error *err)
{
    (void)ud;
    cl_err rc = cl__inbox_apply_pending(st, now, NULL, NULL, err);
    cl_store_end_read(st);
    return rc;
}

/* ---- start and stop --------------------------------------------------- */

cl_err
cl_http_start(const cl_http_opts *opts, cl_http_server **out, cl_error *err)
{
    struct cl_http_server *srv = calloc(1, sizeof *srv);
    struct sockaddr_in sa;
    cl_store *probe;

    *out = NULL;
    if (!srv)
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    srv->opts = *opts;
    if (opts->clock_start)
        srv->clock_offset = opts->clock_start - (int64_t)time(NULL);
    if (!srv->opts.body_limit)
        srv->opts.body_limit = 1 << 20;
    if (!srv->opts.body_memory)
        srv->opts.body_memory = (size_t)64 << 20;
    if (!srv->opts.client_connections)
        srv->opts.client_connections = 64;
    if (!srv->opts.read_timeout)
        srv->opts.read_timeout = 30;
    srv->db = strdup(opts->db);
    srv->web_dir = opts->web_dir ? strdup(opts->web_dir) : NULL;
    srv->snapshots = cl_snapshot_shared_new();
    srv->opts.db = srv->db;
    srv->opts.web_dir = srv->web_dir;
    pthread_key_create(&srv->store_key, NULL);
    pthread_mutex_init(&srv->stores_lock, NULL);
    if (!srv->db || !srv->snapshots || (opts->web_dir && !srv->web_dir)) {
        cl_http_stop(srv);
        return cl_error_set(err, CL_ENOMEM, "out of memory");
    }

    cl_store_threaded();
    /* Open once up front: migrations run here, not in a pool thread. */
    if (cl_store_open(srv->db, &probe, err) != CL_OK) {
        cl_http_stop(srv);
        return err->code ? err->code : CL_EDB;
    }
    /* Events stored but not applied when the last server stopped (a crash
       between receive and apply) are applied now, before any new one. */
    cl_error perr;
    cl_error_clear(&perr);
    if (cl__inbox_apply_pending(probe, cl__http_now(srv), NULL, NULL, &perr) !=
            CL_OK &&
        !opts->quiet)
        fprintf(stderr, "closeloop: pending events: %s\n", perr.msg);
    cl_store_close(probe);

    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(opts->port);
    if (inet_pton(AF_INET, opts->listen_addr, &sa.sin_addr) != 1) {
        cl_http_stop(srv);
        return cl_error_set(err, CL_EINVAL,
                            "--listen: '%s' is not an IPv4 address",
                            opts->listen_addr);
    }
    unsigned threads = opts->threads;
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    /* A pool of one is the polling thread itself. */
    if (threads < 2)
        threads = 2;
    srv->d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
            MHD_USE_ITC | MHD_USE_ERROR_LOG,
        opts->port, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_URI_LOG_CALLBACK, cl__http_guard_uri, NULL,
        MHD_OPTION_CONNECTION_TIMEOUT, srv->opts.read_timeout,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, srv->opts.client_connections,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CL_HTTP_MAX_CONNECTIONS,
        MHD_OPTION_END);
    if (!srv->d) {
        cl_http_stop(srv);
        return cl_error_set(err, CL_EIO, "cannot listen on %s:%u: %s",
                            opts->listen_addr, (unsigned)opts->port,
                            strerror(errno));
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : opts->port;
    cl_sched_opts so = {.db = srv->db,
                        .tick_hour = opts->tick_hour,
                        .deliver_seconds = opts->deliver_seconds,
                        .quiet = opts->quiet,
                        .now = sched_now,
                        .now_ud = srv,
                        .sweep = sched_sweep};
    cl_err rc = cl_sched_start(&so, &srv->sched, err);
    if (rc != CL_OK) {
        cl_http_stop(srv);
        return rc;
    }
    *out = srv;
    return CL_OK;
}

uint16_t
cl_http_port(const cl_http_server *srv)
{
    return srv->port;
}

void
cl_http_stop(cl_http_server *srv)
{
    if (!srv)
        return;
    if (srv->d) {
        /* Stop accepting, give requests in flight a moment to end, then
           close what is left (idle keep-alive connections). */
        MHD_quiesce_daemon(srv->d);
        for (int i = 0; i < 50; i++) {
            const union MHD_DaemonInfo *info = MHD_get_daemon_info(
                srv->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
            if (!info || info->num_connections == 0)
                break;
            usleep(20000);
        }
        MHD_stop_daemon(srv->d);
    }
    cl_sched_stop(srv->sched);
    for (size_t i = 0; i < srv->nstores; i++)
        cl_store_close(srv->stores[i]);
    free(srv->stores);
    cl_snapshot_shared_free(srv->snapshots);
    pthread_key_delete(srv->store_key);
    pthread_mutex_destroy(&srv->stores_lock);
    free(srv->db);
    free(srv->web_dir);
    free(srv);
}

/* What closeloop-serve.so exports (module.h). */
const cl_http_api cl__serve_module = {cl_http_start, cl_http_port,
                                      cl_http_stop};
