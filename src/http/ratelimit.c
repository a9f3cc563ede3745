/*
 * ratelimit.c - the sign-in rate limiter (the policy and its threats are
 * in ratelimit.h).
 *
 * The table is a plain array scanned whole: a few thousand 8-byte
 * compares per sign-in are nothing beside the argon2id hash every sign-in
 * pays, and a scan has no probe sequence an attacker could crowd.
 */
#include <arpa/inet.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"

/* Failure times kept per entry: enough for the client budget and for the
   account delay to reach its cap. */
#define RING CL_RL_CLIENT_MAX

typedef struct entry {
    uint64_t h;   /* keyed hash of the key; 0: free */
    cl_time last; /* the latest failure */
    cl_time at[RING];
    unsigned used; /* times in at[] (at most RING) */
    unsigned next; /* where the next failure goes */
} entry;

struct cl_ratelimit {
    size_t cap;
    unsigned char key[crypto_generichash_KEYBYTES];
    entry e[];
};

cl_err
cl_ratelimit_create(size_t capacity, const unsigned char *key,
                    cl_ratelimit **out)
{
    *out = NULL;
    if (capacity == 0 || capacity > SIZE_MAX / sizeof(entry) - 1)
        return CL_EINVAL;
    cl_ratelimit *rl = calloc(1, sizeof *rl + capacity * sizeof(entry));
    if (rl == NULL)
        return CL_ENOMEM;
    rl->cap = capacity;
    memcpy(rl->key, key, sizeof rl->key);
    *out = rl;
    return CL_OK;
}

void
cl_ratelimit_free(cl_ratelimit *rl)
{
    if (rl)
        sodium_memzero(rl->key, sizeof rl->key);
    free(rl);
}

/* The keyed hash of a client key ('c') or an account-and-client key
   ('a'; the account's ASCII letters folded to lower case). */
static uint64_t
key_hash(const cl_ratelimit *rl, char kind, const char *account,
         const char *client)
{
    crypto_generichash_state st;
    unsigned char out[crypto_generichash_BYTES_MIN], chunk[64];
    crypto_generichash_init(&st, rl->key, sizeof rl->key, sizeof out);
    crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
    crypto_generichash_update(&st, (const unsigned char *)client,
                              strlen(client) + 1);
    for (const char *p = account; p && *p;) {
        size_t n = 0;
        for (; *p && n < sizeof chunk; p++, n++)
            chunk[n] =
                (unsigned char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        crypto_generichash_update(&st, chunk, n);
    }
    crypto_generichash_final(&st, out, sizeof out);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h ? h : 1;
}

/* 1 when e holds no failure inside the window at now. */
static int
expired(const entry *e, cl_time now)
{
    return e->h == 0 || now - e->last >= CL_RL_WINDOW;
}

/* Failures of e inside the window at now. */
static unsigned
in_window(const entry *e, cl_time now)
{
    unsigned n = 0;
    for (unsigned i = 0; i < e->used; i++)
        n += now - e->at[i] < CL_RL_WINDOW;
    return n;
}

static entry *
find(cl_ratelimit *rl, uint64_t h, cl_time now)
{
    for (size_t i = 0; i < rl->cap; i++)
        if (rl->e[i].h == h && !expired(&rl->e[i], now))
            return &rl->e[i];
    return NULL;
}

/* The live entry of h, or a new one: a free or expired slot, else the
   one whose last failure is oldest (never keep, just touched). */
static entry *
find_or_add(cl_ratelimit *rl, uint64_t h, cl_time now, const entry *keep)
{
    entry *e = find(rl, h, now), *victim = NULL;
    if (e)
        return e;
    for (size_t i = 0; i < rl->cap; i++) {
        entry *c = &rl->e[i];
        if (c == keep)
            continue;
        if (expired(c, now)) {
            victim = c;
            break;
        }
        if (victim == NULL || c->last < victim->last)
            victim = c;
    }
    if (victim == NULL)
        return NULL;
    memset(victim, 0, sizeof *victim);
    victim->h = h;
    return victim;
}

static void
add_failure(entry *e, cl_time now)
{
    e->at[e->next] = now;
    e->next = (e->next + 1) % RING;
    if (e->used < RING)
        e->used++;
    if (now > e->last || e->used == 1)
        e->last = now;
}

/* Seconds until then, at most cap (a clock set back must not make a
   wait longer than the policy's). */
static int
until(cl_time then, cl_time now, int cap)
{
    if (then <= now)
        return 0;
    return then - now > cap ? cap : (int)(then - now);
}

int
cl_ratelimit_wait(cl_ratelimit *rl, const char *account, const char *client,
                  cl_time now)
{
    int wait = 0;
    const entry *c = find(rl, key_hash(rl, 'c', NULL, client), now);
    /* The ring holds the last RING failures; at[next] is the oldest. */
    if (c && c->used == RING && in_window(c, now) >= CL_RL_CLIENT_MAX)
        wait = until(c->at[c->next] + CL_RL_WINDOW, now, CL_RL_WINDOW);
    const entry *a = find(rl, key_hash(rl, 'a', account, client), now);
    unsigned n = a ? in_window(a, now) : 0;
    if (n >= CL_RL_ACCOUNT_FREE) {
        unsigned doublings = n - CL_RL_ACCOUNT_FREE;
        long delay = doublings >= 16 ? CL_RL_DELAY_MAX
                                     : (long)CL_RL_DELAY_BASE << doublings;
        if (delay > CL_RL_DELAY_MAX)
            delay = CL_RL_DELAY_MAX;
        int wa = until(a->last + delay, now, (int)delay);
        if (wa > wait)
            wait = wa;
    }
    return wait;
}

void
cl_ratelimit_failed(cl_ratelimit *rl, const char *account, const char *client,
                    cl_time now)
{
    entry *c = find_or_add(rl, key_hash(rl, 'c', NULL, client), now, NULL);
    if (c)
        add_failure(c, now);
    entry *a = find_or_add(rl, key_hash(rl, 'a', account, client), now, c);
    if (a)
        add_failure(a, now);
}

void
cl_ratelimit_ok(cl_ratelimit *rl, const char *account, const char *client)
{
    uint64_t h = key_hash(rl, 'a', account, client);
    for (size_t i = 0; i < rl->cap; i++)
        if (rl->e[i].h == h)
            memset(&rl->e[i], 0, sizeof rl->e[i]);
}

/* ---- the client address ----------------------------------------------- */

/* Parses text (len bytes) as an IPv4 or IPv6 address into its canonical
   form; *loopback set; 0 on success. */
static int
parse_addr(const char *text, size_t len, char out[CL_RL_ADDR], int *loopback)
{
    char buf[CL_RL_ADDR];
    unsigned char bin[16];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (inet_pton(AF_INET, buf, bin) == 1) {
        *loopback = bin[0] == 127;
        return inet_ntop(AF_INET, bin, out, CL_RL_ADDR) ? 0 : -1;
    }
    if (inet_pton(AF_INET6, buf, bin) == 1) {
        static const unsigned char one[16] = {[15] = 1};
        *loopback = memcmp(bin, one, 16) == 0;
        return inet_ntop(AF_INET6, bin, out, CL_RL_ADDR) ? 0 : -1;
    }
    return -1;
}

void
cl_ratelimit_client(const char *peer, const char *const *xff, size_t n,
                    int trust_proxy, char out[CL_RL_ADDR])
{
    snprintf(out, CL_RL_ADDR, "%s", peer ? peer : "?");
    if (!trust_proxy)
        return;
    /* Right to left over the headers and the entries of each. */
    for (size_t h = n; h-- > 0;) {
        const char *v = xff[h] ? xff[h] : "";
        const char *end = v + strlen(v);
        while (end > v) {
            const char *start = end;
            while (start > v && start[-1] != ',')
                start--;
            const char *a = start, *b = end;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            char addr[CL_RL_ADDR];
            int loopback = 0;
            if (parse_addr(a, (size_t)(b - a), addr, &loopback) != 0)
                return; /* not an address: the last trusted hop it is */
            snprintf(out, CL_RL_ADDR, "%s", addr);
            if (!loopback && strcmp(addr, peer ? peer : "") != 0)
                return; /* the first hop no trusted proxy vouches for */
            end = start > v ? start - 1 : v;
        }
    }
}
