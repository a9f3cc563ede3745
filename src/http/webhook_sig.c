/* webhook_sig.c - the inbound webhooks' signatures (webhook_sig.h). */
#include "webhook_sig.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ts as whole seconds (ms: milliseconds) within the skew of now; -1 else. */
static int
fresh(const char *ts, int ms, cl_time now, const char **why, const char *header)
{
    long long v = 0;
    if (ts == NULL || !*ts || strlen(ts) > 16) {
        *why = header;
        return -1;
    }
    for (const char *p = ts; *p; p++) {
        if (*p < '0' || *p > '9') {
            *why = header;
            return -1;
        }
        v = v * 10 + (*p - '0');
    }
    if (ms)
        v /= 1000;
    if (v < now - CL_WEBHOOK_SIG_SKEW || v > now + CL_WEBHOOK_SIG_SKEW) {
        *why = ms ? "X-HubSpot-Request-Timestamp: more than 5 minutes from "
                    "now (stale or replayed)"
                  : "X-Closeloop-Timestamp: more than 5 minutes from now "
                    "(stale or replayed)";
        return -1;
    }
    return 0;
}

/* HMAC-SHA256 of the parts (NULL-terminated list of text, then body). */
static void
mac(const char *secret, const char *const *parts, const char *body, size_t len,
    const char *tail, unsigned char out[32])
{
    crypto_auth_hmacsha256_state s;
    crypto_auth_hmacsha256_init(&s, (const unsigned char *)secret,
                                strlen(secret));
    for (size_t i = 0; parts[i]; i++)
        crypto_auth_hmacsha256_update(&s, (const unsigned char *)parts[i],
                                      strlen(parts[i]));
    crypto_auth_hmacsha256_update(&s, (const unsigned char *)body, len);
    if (tail)
        crypto_auth_hmacsha256_update(&s, (const unsigned char *)tail,
                                      strlen(tail));
    crypto_auth_hmacsha256_final(&s, out);
}

int
cl_webhook_sig_generic(const char *secret, const char *ts, const char *sig,
                       const char *body, size_t len, cl_time now,
                       const char **why)
{
    unsigned char want[32], got[32];
    size_t n = 0;
    if (fresh(ts, 0, now, why,
              "X-Closeloop-Timestamp: expected the Unix time in seconds") < 0)
        return -1;
    *why = "X-Closeloop-Signature: expected sha256= and 64 hex digits";
    if (sig == NULL || strncmp(sig, "sha256=", 7) != 0 ||
        strlen(sig + 7) != 64 ||
        sodium_hex2bin(got, sizeof got, sig + 7, 64, NULL, &n, NULL) != 0 ||
        n != sizeof got)
        return -1;
    const char *parts[] = {ts, ".", NULL};
    mac(secret, parts, body, len, NULL, want);
    *why = "X-Closeloop-Signature: does not match the body and timestamp";
    return sodium_memcmp(want, got, sizeof want) == 0 ? 0 : -1;
}

int
cl_webhook_sig_hubspot(const char *secret, const char *method, const char *uri,
                       const char *ts, const char *sig, const char *body,
                       size_t len, cl_time now, const char **why)
{
    unsigned char want[32], got[32];
    size_t n = 0;
    if (fresh(ts, 1, now, why,
              "X-HubSpot-Request-Timestamp: expected milliseconds since "
              "1970") < 0)
        return -1;
    *why = "X-HubSpot-Signature-v3: expected the base64 of a SHA-256 HMAC";
    if (sig == NULL || strlen(sig) > 64 ||
        sodium_base642bin(got, sizeof got, sig, strlen(sig), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        n != sizeof got)
        return -1;
    const char *parts[] = {method, uri, NULL};
    mac(secret, parts, body, len, ts, want);
    *why = "X-HubSpot-Signature-v3: does not match the request";
    return sodium_memcmp(want, got, sizeof want) == 0 ? 0 : -1;
}
