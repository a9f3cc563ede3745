/*
 * auth.c - who is calling: the session cookie (with its CSRF token on
 * writes) or a bearer token; and the sign-in rate limit.
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

#include "../store/store_api.h"
#include "http_int.h"

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
        const char *p = MHD_lookup_connection_value(
            r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
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
        e = cl_store_websession_get(r->st, hash, now, r->user_id, csrf,
                                    &found, &err);
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
    if (e != CL_OK || !found) {
        *done = e != CL_OK ? cl_http_fail(r, e, &err)
                           : cl_http_error(r, 401, "unauthenticated", NULL,
                                           "the user no longer exists");
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

#define RL_SLOTS 512
#define RL_RING 20
#define RL_ACCOUNT 5  /* failures per account per window */
#define RL_ADDRESS 20 /* per client address: offices share one */
#define RL_WINDOW 900

typedef struct rl_slot {
    char key[200];
    cl_time at[RL_RING]; /* the last RL_RING failures, a ring */
    int next;
} rl_slot;

static rl_slot slots[RL_SLOTS];
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;

static rl_slot *
rl_find(const char *key, int create)
{
    unsigned h = 2166136261u;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    for (int i = 0; i < RL_SLOTS; i++) {
        rl_slot *s = &slots[(h + (unsigned)i) % RL_SLOTS];
        if (strcmp(s->key, key) == 0)
            return s;
        if (!s->key[0]) {
            if (!create)
                return NULL;
            snprintf(s->key, sizeof s->key, "%s", key);
            return s;
        }
    }
    /* Full: reuse the home slot (an attacker filling the table only
       resets other keys' counts, never blocks a real user). */
    rl_slot *s = &slots[h % RL_SLOTS];
    memset(s, 0, sizeof *s);
    snprintf(s->key, sizeof s->key, "%s", key);
    return s;
}

/* Seconds until key may try again, 0 if it may now. */
static int
rl_wait(const char *key, int max, cl_time now)
{
    rl_slot *s = rl_find(key, 0);
    if (!s)
        return 0;
    /* The max-th most recent failure: blocked while it is in the window. */
    cl_time oldest = s->at[(s->next - max + RL_RING) % RL_RING];
    if (oldest && now - oldest < RL_WINDOW)
        return (int)(RL_WINDOW - (now - oldest));
    return 0;
}

static void
keys(const char *email, const char *addr, char a[200], char b[200])
{
    snprintf(a, 200, "a:%s", email ? email : "");
    for (char *p = a; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    snprintf(b, 200, "i:%s", addr ? addr : "");
}

int
cl__http_login_blocked(const char *email, const char *addr, cl_time now)
{
    char a[200], b[200];
    keys(email, addr, a, b);
    pthread_mutex_lock(&rl_lock);
    int wa = rl_wait(a, RL_ACCOUNT, now), wb = rl_wait(b, RL_ADDRESS, now);
    pthread_mutex_unlock(&rl_lock);
    return wa > wb ? wa : wb;
}

void
cl__http_login_failed(const char *email, const char *addr, cl_time now)
{
    char a[200], b[200];
    keys(email, addr, a, b);
    pthread_mutex_lock(&rl_lock);
    rl_slot *s = rl_find(a, 1);
    s->at[s->next] = now;
    s->next = (s->next + 1) % RL_RING;
    s = rl_find(b, 1);
    s->at[s->next] = now;
    s->next = (s->next + 1) % RL_RING;
    pthread_mutex_unlock(&rl_lock);
}

void
cl__http_login_ok(const char *email)
{
    char a[200], b[200];
    keys(email, NULL, a, b);
    pthread_mutex_lock(&rl_lock);
    rl_slot *s = rl_find(a, 0);
    if (s) {
        memset(s->at, 0, sizeof s->at);
        s->next = 0;
    }
    pthread_mutex_unlock(&rl_lock);
}
