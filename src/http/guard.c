/*
 * guard.c - what a request must pass before any route sees it, the
 * headers every reply carries, the memory budget of request bodies, and
 * the temporary file an upload streams into.
 *
 * libmicrohttpd 0.9.75 hands on requests a front proxy or a route would
 * read differently: a target that is not a path ("*", "zzz", an absolute
 * URL), bytes that are not UTF-8, Content-Length beside Transfer-Encoding,
 * two Content-Lengths that disagree, HTTP/1.1 without Host.  Each is
 * answered 400 on the request's first call, before its body is read, so
 * the connection closes and nothing after it on the connection is
 * trusted.  What cannot be seen from here (a bare LF ending a line) is
 * left to the proxy (docs/deploy.md).
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http_int.h"

/* ---- the request's shape ---------------------------------------------- */

/* 1 when s (len bytes) is well-formed UTF-8: no overlong forms, no
   surrogates, nothing past U+10FFFF (RFC 3629). */
static int
utf8_valid(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        size_t n;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, min = 0x80, c &= 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, min = 0x800, c &= 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, min = 0x10000, c &= 0x07;
        else
            return 0;
        if (len - i <= n)
            return 0;
        for (size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            c = (c << 6) | (s[i + k] & 0x3f);
        }
        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
            return 0;
        i += n + 1;
    }
    return 1;
}

static int
str_valid(const char *s)
{
    return !s || utf8_valid((const unsigned char *)s, strlen(s));
}

/* What the header walk found. */
typedef struct shape {
    int lengths;        /* Content-Length headers */
    int lengths_differ; /* two of them disagree */
    const char *length;
    int te;        /* a Transfer-Encoding header */
    int host;      /* a Host header */
    int bad_query; /* a query argument that is not UTF-8 */
} shape;

static enum MHD_Result
on_header(void *cls, enum MHD_ValueKind kind, const char *key,
          const char *value)
{
    shape *s = cls;
    (void)kind;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (s->lengths++ && strcmp(s->length, value ? value : "") != 0)
            s->lengths_differ = 1;
        s->length = value ? value : "";
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        s->te = 1;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_HOST) == 0) {
        s->host = 1;
    }
    return MHD_YES;
}

static enum MHD_Result
on_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    shape *s = cls;
    (void)kind;
    if (!str_valid(key) || !str_valid(value)) {
        s->bad_query = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

char cl__http_query_cut;

void *
cl__http_guard_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    (void)conn;
    char *q = strchr(uri, '?');
    if (!q)
        return NULL;
    size_t n = 1;
    for (const char *p = q + 1; *p; p++)
        n += *p == '&' || *p == ';';
    if (n <= CL_HTTP_MAX_QUERY_ARGS)
        return NULL;
    /* The target lives in the connection's read buffer, which
       libmicrohttpd splits in place next: an empty query splits into
       nothing. */
    q[1] = '\0';
    return CL__HTTP_QUERY_CUT;
}

int
cl__http_guard(cl_http_req *r, const char *version, enum MHD_Result *done)
{
    shape s = {0};
    const char *why = NULL;
    if (r->query_cut) {
        *done = cl_http_error(r, 414, "uri_too_long", NULL,
                              "the query holds more than %d arguments",
                              CL_HTTP_MAX_QUERY_ARGS);
        return 0;
    }
    /* Only origin-form ("/path"): the routes and the static files are
       paths, and "*" or an absolute URL is a proxy's business. */
    if (r->url[0] != '/')
        why = "the request target must be a path starting with /";
    else if (!str_valid(r->url))
        why = "the request path is not valid UTF-8";
    if (!why) {
        MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, on_query, &s);
        MHD_get_connection_values(r->conn, MHD_HEADER_KIND, on_header, &s);
        if (s.bad_query)
            why = "a query argument is not valid UTF-8";
        else if (s.te && s.lengths)
            why = "Content-Length and Transfer-Encoding together";
        else if (s.lengths_differ)
            why = "two Content-Length headers that differ";
        else if (!s.host && version &&
                 strcmp(version, MHD_HTTP_VERSION_1_0) != 0)
            why = "an HTTP/1.1 request needs a Host header";
    }
    if (!why)
        return 1;
    /* The target may be anything: it is not echoed. */
    *done = cl_http_error(r, 400, "bad_request", NULL, "%s", why);
    return 0;
}

int
cl__http_announces_body(cl_http_req *r)
{
    const char *len = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(
        r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    return te || (len && strtoull(len, NULL, 10) > 0);
}

/* ---- the headers of every reply ---------------------------------------- */

/* The UI loads its own script, style and data and nothing inline; no other
   site may frame it (clickjacking) or learn its URLs (Referer). */
#define UI_CSP                                                                 \
    "default-src 'self'; script-src 'self'; style-src 'self'; "                \
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; "              \
    "object-src 'none'; base-uri 'none'; form-action 'self'; "                 \
    "frame-ancestors 'none'"

/* JSON is never a document to render: nothing may load from it. */
#define API_CSP "default-src 'none'; frame-ancestors 'none'"

void
cl__http_guard_headers(struct MHD_Response *resp, int ui)
{
    if (MHD_get_response_header(resp, "Content-Security-Policy"))
        return;
    MHD_add_response_header(resp, "Content-Security-Policy",
                            ui ? UI_CSP : API_CSP);
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy",
                            ui ? "same-origin" : "no-referrer");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
}

/* ---- the memory of bodies ---------------------------------------------- */

int
cl__http_budget_take(struct cl_http_server *srv, size_t n)
{
    size_t held = atomic_load(&srv->body_bytes);
    do {
        if (n > srv->opts.body_memory || held > srv->opts.body_memory - n)
            return 0;
    } while (!atomic_compare_exchange_weak(&srv->body_bytes, &held, held + n));
    return 1;
}

void
cl__http_budget_give(struct cl_http_server *srv, size_t n)
{
    atomic_fetch_sub(&srv->body_bytes, n);
}

/* ---- uploads on disk --------------------------------------------------- */

int
cl__http_upload_open(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    /* An unnamed file: nothing is left behind however the server ends. */
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
        return fd;
    char path[4096];
    snprintf(path, sizeof path, "%s/closeloop-upload-XXXXXX", dir);
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

int
cl__http_upload_write(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        data += w;
        len -= (size_t)w;
    }
    return 0;
}
