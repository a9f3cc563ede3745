/* test_webhook_sig.c - the inbound webhooks' signature checks, against
   HMACs computed independently (Python's hmac module). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/webhook_sig.h"

#define NOW 1795082400 /* 2026-11-19T10:00:00Z */
#define BODY "{\"id\":\"e1\"}"
#define GSECRET "generic-secret-0123456789"
#define GSIG                                                                   \
    "sha256=46af0bb720578ae6d6ceac9e7e882e13da513a7debe8a07194ae1a1ef0e9a604"
#define HSECRET "hubspot-app-secret-0123456789"
#define HURI "https://crm.example.com/api/v1/webhooks/hubspot"
#define HBODY "[{\"eventId\":1}]"
#define HSIG "J8E6L9278VW+8QjtA+muXuPmnC8AxQJ6AWG24WJuTzE="

static int
generic(const char *secret, const char *ts, const char *sig, const char *body,
        cl_time now, const char **why)
{
    return cl_webhook_sig_generic(secret, ts, sig, body, strlen(body), now,
                                  why);
}

static void
test_generic_good(void **state)
{
    const char *why = NULL;
    (void)state;
    assert_int_equal(generic(GSECRET, "1795082400", GSIG, BODY, NOW, &why), 0);
    /* Within five minutes either way. */
    assert_int_equal(
        generic(GSECRET, "1795082400", GSIG, BODY, NOW + 300, &why), 0);
    assert_int_equal(
        generic(GSECRET, "1795082400", GSIG, BODY, NOW - 300, &why), 0);
}

static void
test_generic_refused(void **state)
{
    const char *why = NULL;
    (void)state;
    /* Stale, and from the future. */
    assert_int_equal(
        generic(GSECRET, "1795082400", GSIG, BODY, NOW + 301, &why), -1);
    assert_non_null(strstr(why, "X-Closeloop-Timestamp: more than 5"));
    assert_int_equal(
        generic(GSECRET, "1795082400", GSIG, BODY, NOW - 301, &why), -1);
    /* Another body, secret or timestamp. */
    assert_int_equal(
        generic(GSECRET, "1795082400", GSIG, "{\"id\":\"e2\"}", NOW, &why), -1);
    assert_string_equal(why, "X-Closeloop-Signature: does not match the "
                             "body and timestamp");
    assert_int_equal(
        generic("other-secret-0123456789", "1795082400", GSIG, BODY, NOW, &why),
        -1);
    assert_int_equal(generic(GSECRET, "1795082401", GSIG, BODY, NOW, &why), -1);
    /* Malformed headers. */
    assert_int_equal(generic(GSECRET, NULL, GSIG, BODY, NOW, &why), -1);
    assert_non_null(strstr(why, "X-Closeloop-Timestamp"));
    assert_int_equal(generic(GSECRET, "17950824OO", GSIG, BODY, NOW, &why), -1);
    assert_int_equal(generic(GSECRET, "1795082400", NULL, BODY, NOW, &why), -1);
    assert_non_null(strstr(why, "X-Closeloop-Signature: expected"));
    assert_int_equal(generic(GSECRET, "1795082400", GSIG + 7, BODY, NOW, &why),
                     -1);
    assert_int_equal(
        generic(GSECRET, "1795082400", "sha256=zz", BODY, NOW, &why), -1);
}

static int
hubspot(const char *secret, const char *uri, const char *ts, const char *sig,
        const char *body, cl_time now, const char **why)
{
    return cl_webhook_sig_hubspot(secret, "POST", uri, ts, sig, body,
                                  strlen(body), now, why);
}

static void
test_hubspot(void **state)
{
    const char *why = NULL;
    (void)state;
    assert_int_equal(
        hubspot(HSECRET, HURI, "1795082400000", HSIG, HBODY, NOW, &why), 0);
    /* Milliseconds: 301 s late is stale. */
    assert_int_equal(
        hubspot(HSECRET, HURI, "1795082400000", HSIG, HBODY, NOW + 301, &why),
        -1);
    assert_non_null(strstr(why, "X-HubSpot-Request-Timestamp: more than 5"));
    /* The URL is signed: another host is another signature. */
    assert_int_equal(hubspot(HSECRET,
                             "https://evil.example.com/api/v1/webhooks/hubspot",
                             "1795082400000", HSIG, HBODY, NOW, &why),
                     -1);
    assert_string_equal(why,
                        "X-HubSpot-Signature-v3: does not match the request");
    assert_int_equal(
        hubspot(HSECRET, HURI, "1795082400001", HSIG, HBODY, NOW, &why), -1);
    assert_int_equal(hubspot(HSECRET, HURI, "1795082400000", "not base64!",
                             HBODY, NOW, &why),
                     -1);
    assert_non_null(strstr(why, "expected the base64"));
    assert_int_equal(
        hubspot(HSECRET, HURI, "1795082400000", "AAAA", HBODY, NOW, &why), -1);
    assert_int_equal(hubspot(HSECRET, HURI, "", HSIG, HBODY, NOW, &why), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generic_good),
        cmocka_unit_test(test_generic_refused),
        cmocka_unit_test(test_hubspot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
