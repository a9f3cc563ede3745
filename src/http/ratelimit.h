/*
 * ratelimit.h - the sign-in rate limiter: failure budgets per client
 * address and per account, in a bounded table.  Pure: no clock (every call
 * takes `now`), no I/O, no locking (the caller serialises calls on one
 * limiter).
 *
 * The policy, and the threats it answers:
 *
 *   - A client address may fail CL_RL_CLIENT_MAX sign-ins in a sliding
 *     CL_RL_WINDOW; beyond that every sign-in from it is refused, whatever
 *     the account, until its oldest failure leaves the window (a hard
 *     refusal: one address guessing across many accounts).
 *   - An account's failures from one client address are free up to
 *     CL_RL_ACCOUNT_FREE in the window; from then on that client waits
 *     CL_RL_DELAY_BASE seconds after its next failure, doubling with each
 *     failure up to CL_RL_DELAY_MAX (a progressive delay: one address
 *     guessing one account).  The delay is the client's, not the
 *     account's: failures an attacker makes elsewhere never slow the
 *     account's owner, so knowing someone's email does not let anyone
 *     lock them out.  An attacker with many addresses gets each address's
 *     budget; argon2id hashing and the password minimum bound what that
 *     buys.
 *   - Failures older than the window are forgotten; a success clears its
 *     account's delay for that client, never the client's budget.
 *   - The table holds at most `capacity` entries.  Entries are found by a
 *     hash keyed with a secret the attacker never sees, and when the table
 *     is full the entry whose last failure is oldest gives way (expired
 *     entries first): no choice of emails or addresses steers which
 *     entry goes, and flushing out a recent one takes `capacity` newer
 *     failures, which the client budgets spread over capacity /
 *     CL_RL_CLIENT_MAX addresses.
 */
#ifndef CL_HTTP_RATELIMIT_H
#define CL_HTTP_RATELIMIT_H

#include <stddef.h>

#include "../core/date.h"
#include "../core/err.h"

#define CL_RL_WINDOW 900     /* seconds a failure counts */
#define CL_RL_CLIENT_MAX 20  /* failures per client address per window */
#define CL_RL_ACCOUNT_FREE 5 /* failures per account and client, no wait */
#define CL_RL_DELAY_BASE 15  /* seconds after the first delayed failure */
#define CL_RL_DELAY_MAX 900  /* the longest delay */
#define CL_RL_KEYBYTES 32    /* the secret hash key's length */
#define CL_RL_ADDR 64        /* room for an address as text */

typedef struct cl_ratelimit cl_ratelimit;

/*
 * Creates a limiter of at most capacity entries (about 200 bytes each)
 * whose keys are hashed with key (CL_RL_KEYBYTES random bytes; the caller
 * keeps them secret).  The caller frees *out with cl_ratelimit_free.
 *   CL_EINVAL  capacity is 0
 *   CL_ENOMEM  out of memory
 */
cl_err cl_ratelimit_create(size_t capacity, const unsigned char *key,
                           cl_ratelimit **out);

/* Frees rl (NULL is fine). */
void cl_ratelimit_free(cl_ratelimit *rl);

/*
 * Seconds client must wait at now before trying to sign in to account
 * (an email, compared ignoring ASCII case); 0 when it may try now.
 */
int cl_ratelimit_wait(cl_ratelimit *rl, const char *account, const char *client,
                      cl_time now);

/* Counts a failed sign-in to account from client at now. */
void cl_ratelimit_failed(cl_ratelimit *rl, const char *account,
                         const char *client, cl_time now);

/* A successful sign-in: clears account's delay for client. */
void cl_ratelimit_ok(cl_ratelimit *rl, const char *account, const char *client);

/*
 * The client address a request is counted against, into out: peer (the
 * connection's address as text) or, when trust_proxy, the right-most
 * address of X-Forwarded-For that is not itself a trusted proxy (the peer's
 * own address or a loopback address): a proxy appends the address it saw,
 * so what a client writes into the header sits left of it and is never
 * reached.  xff holds the n X-Forwarded-For header values in the order
 * received (several headers read as one list).  An entry that is no IP
 * address ends the walk at the last trusted hop.
 */
void cl_ratelimit_client(const char *peer, const char *const *xff, size_t n,
                         int trust_proxy, char out[CL_RL_ADDR]);

#endif
