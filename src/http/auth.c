/*
 * auth.c - who is calling: the session cookie (with its CSRF token on
 * writes) or a bearer token; the sign-in rate limit's one limiter
 * (ratelimit.c) and the client address it counts against.
 *
 * Secrets are compared by their SHA-256 digest in the store, so a stolen
 * workspace file holds no live credential.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../store/store_api.h"
#include "http_int.h"
#include "ratelimit.h"

void cl__http_sha256_hex(const char *secret, char out[65]);

void
cl__http_sha256_hex(const char *secret, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(out, 65, h, sizeof h);
}

int
cl_http_secure(cl_http_req *r)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_PROTOCOL);
    if (ci && ci->tls_session)
        return 1;
    if (r->srv->opts.trust_proxy) {
        const char *p = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                    "X-Forwarded-Proto");
        return p && strcmp(p, "https") == 0;
    }
    return 0;
}

static int
is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

int
cl_http_authenticate(cl_http_req *r, enum MHD_Result *done)
{
    char hash[65], csrf[72] = "";
    int found = 0;
    cl_error err;
    cl_err e = CL_OK;
    const char *auth =
        MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie =
        MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "cl_session");

    cl_error_clear(&err);
    if (auth && strncmp(auth, "Bearer ", 7) == 0 && auth[7]) {
        cl__http_sha256_hex(auth + 7, hash);
        e = cl_store_token_user(r->st, hash, r->user_id, &found, &err);
    } else if (cookie && *cookie) {
        char now[21];
        cl_time_format(r->now, now);
        cl__http_sha256_hex(cookie, hash);
        e = cl_store_websession_get(r->st, hash, now, r->user_id, csrf, &found,
                                    &err);
        r->via_cookie = 1;
    }
    if (e != CL_OK) {
        *done = cl_http_fail(r, e, &err);
        return 0;
    }
    if (!found) {
        *done = cl_http_error(r, 401, "unauthenticated", NULL,
                              "sign in, or send a bearer token");
        return 0;
    }
    cl_store_login u;
    e = cl_store_login_get(r->st, r->user_id, 0, &u, &found, &err);
    /* Deactivation ends sessions and tokens in its transaction; this
       check keeps the door shut for any credential a race let through. */
    if (e != CL_OK || !found || u.deactivated) {
        *done = e != CL_OK ? cl_http_fail(r, e, &err)
                           : cl_http_error(r, 401, "unauthenticated", NULL,
                                           "sign in, or send a bearer token");
        return 0;
    }
    snprintf(r->role, sizeof r->role, "%s", u.role);
    snprintf(r->manager_id, sizeof r->manager_id, "%s", u.manager_id);
    snprintf(r->name, sizeof r->name, "%s", u.name);
    snprintf(r->email, sizeof r->email, "%s", u.email);
    snprintf(r->csrf, sizeof r->csrf, "%s", csrf);
    r->viewer.user_id = r->user_id;
    r->viewer.role = r->role;
    r->viewer.customer_facing = 0;
    r->authed = 1;
    /* A browser write must prove it came from our page: SameSite=Strict
       already keeps other sites' requests cookie-less, and the token
       covers older browsers and same-site subdomains. */
    if (r->via_cookie && is_write(r->method)) {
        const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                    "X-CSRF-Token");
        if (!t || strlen(t) != strlen(r->csrf) ||
            sodium_memcmp(t, r->csrf, strlen(t)) != 0) {
            *done = cl_http_error(r, 403, "csrf", "X-CSRF-Token",
                                  "a signed-in write needs its X-CSRF-Token "
                                  "header");
            return 0;
        }
    }
    return 1;
}

/* ---- the sign-in rate limit ------------------------------------------- */

/* Room for every address of a busy install's quarter hour; about 1.6 MB. */
#define RL_CAPACITY 8192

static cl_ratelimit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;

/* One limiter per process, its hash key random and never written down. */
static void
limiter_init(void)
{
    unsigned char key[CL_RL_KEYBYTES];
    if (sodium_init() < 0)
        return;
    randombytes_buf(key, sizeof key);
    if (cl_ratelimit_create(RL_CAPACITY, key, &limiter) != CL_OK)
        limiter = NULL;
    sodium_memzero(key, sizeof key);
}

int
cl__http_login_blocked(const char *email, const char *addr, cl_time now)
{
    pthread_once(&limiter_once, limiter_init);
    /* Without its table the limiter cannot count: refuse rather than let
       guesses through uncounted. */
    if (limiter == NULL)
        return 60;
    pthread_mutex_lock(&rl_lock);
    int wait = cl_ratelimit_wait(limiter, email, addr, now);
    pthread_mutex_unlock(&rl_lock);
    return wait;
}

void
cl__http_login_failed(const char *email, const char *addr, cl_time now)
{
    pthread_once(&limiter_once, limiter_init);
    if (limiter == NULL)
        return;
    pthread_mutex_lock(&rl_lock);
    cl_ratelimit_failed(limiter, email, addr, now);
    pthread_mutex_unlock(&rl_lock);
}

void
cl__http_login_ok(const char *email, const char *addr)
{
    pthread_once(&limiter_once, limiter_init);
    if (limiter == NULL)
        return;
    pthread_mutex_lock(&rl_lock);
    cl_ratelimit_ok(limiter, email, addr);
    pthread_mutex_unlock(&rl_lock);
}

/* Cap on the X-Forwarded-For headers read (a proxy adds one). */
#define XFF_MAX 8

typedef struct xff_list {
    const char *v[XFF_MAX];
    size_t n;
} xff_list;

static enum MHD_Result
xff_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    xff_list *l = cls;
    (void)kind;
    if (strcasecmp(key, "X-Forwarded-For") != 0 || value == NULL)
        return MHD_YES;
    /* Keep the last XFF_MAX: the right-most entries are the ones read. */
    if (l->n == XFF_MAX) {
        memmove(l->v, l->v + 1, (XFF_MAX - 1) * sizeof l->v[0]);
        l->n--;
    }
    l->v[l->n++] = value;
    return MHD_YES;
}

void
cl__http_client_addr(cl_http_req *r, char out[CL_RL_ADDR])
{
    char peer[CL_RL_ADDR] = "?";
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET,
                  &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
                  peer, sizeof peer);
    else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
                  peer, sizeof peer);
    xff_list l = {{NULL}, 0};
    if (r->srv->opts.trust_proxy)
        MHD_get_connection_values(r->conn, MHD_HEADER_KIND, xff_cb, &l);
    cl_ratelimit_client(peer, l.v, l.n, r->srv->opts.trust_proxy, out);
}
