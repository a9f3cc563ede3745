/*
 * fuzz_http_target.c - libFuzzer target: the HTTP request target, through
 * the real server (libmicrohttpd's request-line and query parsing, then the
 * route table's matching, static files, the 401/404/405 answers), and the
 * paging cursors a list's query carries.
 *
 * The server runs in this process on a loopback port, on an empty
 * workspace, with a web directory; each input is one request without
 * credentials, on its own connection.  The first byte picks the method and
 * whether the rest is sent as a target or decoded as a cursor.  Beyond "does
 * not crash": every request gets an HTTP reply (a server that drops the
 * connection instead leaves the client without an answer), and a cursor
 * decodes back to what was encoded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/http.h"
#include "http/http_int.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static cl_http_server *srv;
static uint16_t port;
static char dir[256];

static void die(const char *what, const char *detail) __attribute__((noreturn));

static void
die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_http_target: %s: %s\n", what, detail);
    exit(1);
}

static void
cleanup(void)
{
    char cmd[300];
    cl_http_stop(srv);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_http_target: could not remove %s\n", dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char db[300], web[300], index[320];
    snprintf(dir, sizeof dir, "%s/fuzz-http-XXXXXX", tmp);
    if (!mkdtemp(dir))
        die("mkdtemp", dir);
    snprintf(db, sizeof db, "%s/ws.db", dir);
    snprintf(web, sizeof web, "%s/web", dir);
    snprintf(index, sizeof index, "%s/index.html", web);
    FILE *f;
    if (mkdir(web, 0700) != 0 || !(f = fopen(index, "w")))
        die("web dir", web);
    fputs("<!doctype html><title>closeloop</title>\n", f);
    fclose(f);
    cl_store *st;
    cl_error err;
    cl_error_clear(&err);
    if (cl_store_open(db, &st, &err) != CL_OK)
        die(db, err.msg);
    cl_store_close(st);
    cl_http_opts o = {.db = db,
                      .listen_addr = "127.0.0.1",
                      .web_dir = web,
                      .threads = 2,
                      /* One client opening thousands of connections a
                         second outruns the per-client limit while closed
                         ones wait to be cleaned up; that limit has its
                         own test (hostile.once.test.mjs). */
                      .client_connections = CL_HTTP_MAX_CONNECTIONS,
                      .tick_hour = -1,
                      .quiet = 1};
    if (cl_http_start(&o, &srv, &err) != CL_OK)
        die("serve", err.msg);
    port = cl_http_port(srv);
    atexit(cleanup);
    return 0;
}

/* Sends one request; returns the reply's first bytes in buf (NUL-ended). */
static size_t
request(const char *req, size_t len, char *buf, size_t cap)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Thousands of connections a second run the loopback out of ephemeral
       ports for a moment (EADDRNOTAVAIL): the client's limit, not the
       server's, so wait and try again.  libFuzzer's SIGALRM interrupts
       connect and read (EINTR) now and then: try again too. */
    int s = -1;
    for (int tries = 0; s < 0; tries++) {
        if ((s = socket(AF_INET, SOCK_STREAM, 0)) < 0)
            die("socket", strerror(errno));
        if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
            break;
        int e = errno;
        close(s);
        s = -1;
        if ((e != EADDRNOTAVAIL && e != EINTR) || tries == 200)
            die("connect", strerror(e));
        usleep(10000);
    }
    ssize_t w;
    while ((w = write(s, req, len)) < 0 && errno == EINTR)
        ;
    if (w != (ssize_t)len)
        die("write", "request");
    size_t got = 0;
    ssize_t n;
    while (got + 1 < cap && ((n = read(s, buf + got, cap - 1 - got)) > 0 ||
                             (n < 0 && errno == EINTR)))
        if (n > 0)
            got += (size_t)n;
    /* Read the rest, so the server finishes its reply. */
    char sink[4096];
    while ((n = read(s, sink, sizeof sink)) > 0 || (n < 0 && errno == EINTR))
        ;
    close(s);
    buf[got] = '\0';
    return got;
}

static void
cursor(const uint8_t *data, size_t size)
{
    char text[CL_HTTP_CURSOR_MAX + 1], enc[2 * CL_HTTP_CURSOR_MAX],
        out[CL_HTTP_CURSOR_MAX];
    size_t n = size < CL_HTTP_CURSOR_MAX ? size : CL_HTTP_CURSOR_MAX;
    memcpy(text, data, n);
    text[n] = '\0';
    /* Whatever a client sends as a cursor. */
    cl__http_cursor_decode("deals", text, out, sizeof out);
    /* What the server gives out decodes back to its text. */
    if (strlen(text) + 7 < CL_HTTP_CURSOR_MAX && text[0]) {
        cl__http_cursor_encode("deals", text, enc, sizeof enc);
        if (cl__http_cursor_decode("deals", enc, out, sizeof out) != 0 ||
            strcmp(out, text) != 0) {
            fprintf(stderr, "cursor of '%s' decodes to '%s'\n", text, out);
            abort();
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET",    "POST", "PUT",    "PATCH",
                                          "DELETE", "HEAD", "OPTIONS"};
    if (size < 1 || size > 8192)
        return 0;
    int pick = data[0] % 8;
    data++;
    size--;
    if (pick == 7) {
        cursor(data, size);
        return 0;
    }
    /* One request line: the target cannot hold what ends it. */
    if (size == 0 || memchr(data, '\r', size) || memchr(data, '\n', size) ||
        memchr(data, ' ', size) || memchr(data, '\0', size))
        return 0;
    char *req = malloc(size + 128), reply[64];
    if (!req)
        return 0;
    int head = snprintf(req, 16, "%s ", methods[pick]);
    memcpy(req + head, data, size);
    int tail = snprintf(req + head + size, 100,
                        " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
                        "Content-Length: 0\r\n\r\n");
    size_t got =
        request(req, (size_t)head + size + (size_t)tail, reply, sizeof reply);
    if (got < 12 || strncmp(reply, "HTTP/1.1 ", 9) != 0) {
        fprintf(stderr, "no HTTP reply to %.*s (%zu bytes: %s)\n",
                (int)(head + size), req, got, reply);
        abort();
    }
    free(req);
    return 0;
}
