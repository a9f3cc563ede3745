/*
 * webhook_sig.h - the signature checks of the inbound webhooks (issue 15),
 * pure: the secret, the signed parts and the clock come in as arguments.
 *
 * Both schemes are HMAC-SHA256 (libsodium) over the body and a timestamp,
 * compared in constant time; a timestamp more than CL_WEBHOOK_SIG_SKEW
 * seconds from now, either way, is refused, so a captured request cannot
 * be replayed later (the inbox's event ids refuse it within the window).
 */
#ifndef CL_WEBHOOK_SIG_H
#define CL_WEBHOOK_SIG_H

#include <stddef.h>

#include "../core/date.h"

#define CL_WEBHOOK_SIG_SKEW 300

/*
 * closeloop's own scheme: sig is "sha256=" and the lowercase or uppercase
 * hex of HMAC-SHA256(secret, ts "." body), ts the request's Unix time in
 * seconds (X-Closeloop-Timestamp).  Returns 0 when it holds, else -1 with
 * *why one line naming the header at fault (static text).
 */
int cl_webhook_sig_generic(const char *secret, const char *ts, const char *sig,
                           const char *body, size_t len, cl_time now,
                           const char **why);

/*
 * HubSpot's v3 scheme: sig (X-HubSpot-Signature-v3) is the base64 of
 * HMAC-SHA256(app secret, method uri body ts), ts (X-HubSpot-Request-
 * Timestamp) in milliseconds, uri the full URL HubSpot called.  As above.
 */
int cl_webhook_sig_hubspot(const char *secret, const char *method,
                           const char *uri, const char *ts, const char *sig,
                           const char *body, size_t len, cl_time now,
                           const char **why);

#endif
