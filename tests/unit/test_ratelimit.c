/*
 * The sign-in rate limiter (src/http/ratelimit.c) with explicit times:
 * the client budget and its expiry, the account's progressive delay per
 * client, eviction that no choice of keys steers, and the client address
 * behind a trusted proxy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "http/ratelimit.h"

#define T0 ((cl_time)1790000000) /* 2026-09-21 */

static cl_ratelimit *
limiter(size_t cap)
{
    unsigned char key[CL_RL_KEYBYTES];
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (unsigned char)(i * 7 + 1);
    cl_ratelimit *rl = NULL;
    assert_int_equal(cl_ratelimit_create(cap, key, &rl), CL_OK);
    return rl;
}

/* n failures of client on accounts "u0@x".."u{n-1}@x" (one each: no
   account delay), at now. */
static void
spray(cl_ratelimit *rl, const char *client, int n, cl_time now)
{
    char acct[32];
    for (int i = 0; i < n; i++) {
        snprintf(acct, sizeof acct, "u%d@x", i);
        cl_ratelimit_failed(rl, acct, client, now);
    }
}

static void
test_client_budget_and_expiry(void **state)
{
    (void)state;
    cl_ratelimit *rl = limiter(256);
    spray(rl, "203.0.113.7", CL_RL_CLIENT_MAX - 1, T0);
    assert_int_equal(cl_ratelimit_wait(rl, "new@x", "203.0.113.7", T0), 0);
    cl_ratelimit_failed(rl, "other@x", "203.0.113.7", T0 + 60);
    /* The 20th failure: every account refused from that address, until
       the oldest failure leaves the window. */
    assert_int_equal(cl_ratelimit_wait(rl, "new@x", "203.0.113.7", T0 + 60),
                     CL_RL_WINDOW - 60);
    assert_int_equal(
        cl_ratelimit_wait(rl, "new@x", "203.0.113.7", T0 + CL_RL_WINDOW - 1),
        1);
    assert_int_equal(
        cl_ratelimit_wait(rl, "new@x", "203.0.113.7", T0 + CL_RL_WINDOW), 0);
    /* Another address is not touched. */
    assert_int_equal(cl_ratelimit_wait(rl, "new@x", "198.51.100.2", T0 + 60),
                     0);
    cl_ratelimit_free(rl);
}

static void
test_account_delay_is_per_client(void **state)
{
    (void)state;
    cl_ratelimit *rl = limiter(256);
    for (int i = 0; i < CL_RL_ACCOUNT_FREE - 1; i++)
        cl_ratelimit_failed(rl, "Victim@Example.com", "203.0.113.7", T0);
    assert_int_equal(
        cl_ratelimit_wait(rl, "victim@example.com", "203.0.113.7", T0), 0);
    cl_ratelimit_failed(rl, "VICTIM@example.com", "203.0.113.7", T0);
    /* The fifth failure: the attacker waits; case does not escape it. */
    assert_int_equal(
        cl_ratelimit_wait(rl, "victim@example.com", "203.0.113.7", T0),
        CL_RL_DELAY_BASE);
    /* The account's owner, elsewhere, does not. */
    assert_int_equal(
        cl_ratelimit_wait(rl, "victim@example.com", "198.51.100.2", T0), 0);
    /* Nor does the attacker on another account. */
    assert_int_equal(
        cl_ratelimit_wait(rl, "someone@example.com", "203.0.113.7", T0), 0);
    cl_ratelimit_free(rl);
}

static void
test_progressive_delay(void **state)
{
    (void)state;
    cl_ratelimit *rl = limiter(256);
    cl_time t = T0;
    for (int i = 0; i < CL_RL_ACCOUNT_FREE; i++)
        cl_ratelimit_failed(rl, "v@x", "10.0.0.9", t);
    /* Each failure after the delay doubles the next delay, to the cap. */
    int expect = CL_RL_DELAY_BASE;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cl_ratelimit_wait(rl, "v@x", "10.0.0.9", t), expect);
        assert_int_equal(
            cl_ratelimit_wait(rl, "v@x", "10.0.0.9", t + expect - 1), 1);
        t += expect;
        assert_int_equal(cl_ratelimit_wait(rl, "v@x", "10.0.0.9", t), 0);
        cl_ratelimit_failed(rl, "v@x", "10.0.0.9", t);
        expect *= 2;
    }
    assert_int_equal(cl_ratelimit_wait(rl, "v@x", "10.0.0.9", t),
                     8 * CL_RL_DELAY_BASE);
    for (int i = 0; i < 10; i++)
        cl_ratelimit_failed(rl, "v@x", "10.0.0.9", t);
    assert_int_equal(cl_ratelimit_wait(rl, "v@x", "10.0.0.9", t),
                     CL_RL_DELAY_MAX);
    /* A quiet window forgets it all. */
    assert_int_equal(cl_ratelimit_wait(rl, "v@x", "10.0.0.9", t + CL_RL_WINDOW),
                     0);
    cl_ratelimit_free(rl);
}

static void
test_success_clears_account_not_client(void **state)
{
    (void)state;
    cl_ratelimit *rl = limiter(256);
    for (int i = 0; i < CL_RL_ACCOUNT_FREE; i++)
        cl_ratelimit_failed(rl, "me@x", "10.0.0.9", T0);
    spray(rl, "10.0.0.9", CL_RL_CLIENT_MAX - CL_RL_ACCOUNT_FREE, T0);
    assert_true(cl_ratelimit_wait(rl, "me@x", "10.0.0.9", T0) > 0);
    /* Signing in to an account of one's own must not reset the budget for
       guessing others. */
    cl_ratelimit_ok(rl, "me@x", "10.0.0.9");
    assert_int_equal(cl_ratelimit_wait(rl, "me@x", "10.0.0.9", T0 + 1),
                     CL_RL_WINDOW - 1);
    cl_ratelimit_free(rl);
    rl = limiter(256);
    for (int i = 0; i < CL_RL_ACCOUNT_FREE; i++)
        cl_ratelimit_failed(rl, "me@x", "10.0.0.9", T0);
    cl_ratelimit_ok(rl, "me@x", "10.0.0.9");
    assert_int_equal(cl_ratelimit_wait(rl, "me@x", "10.0.0.9", T0), 0);
    cl_ratelimit_free(rl);
}

/*
 * The old table evicted a key's home slot when full, so an attacker who
 * filled it reset the victim's count.  Now a full table drops the entry
 * whose last failure is oldest: a blocked client stays blocked through a
 * flood of newer keys short of the table's size, however the keys are
 * chosen, and expired entries make room first.
 */
static void
test_eviction_not_steerable(void **state)
{
    (void)state;
    enum { CAP = 64 };
    cl_ratelimit *rl = limiter(CAP);
    /* Blocked: one client entry, one account entry. */
    spray(rl, "203.0.113.7", 1, T0);
    for (int i = 1; i < CL_RL_CLIENT_MAX; i++)
        cl_ratelimit_failed(rl, "u0@x", "203.0.113.7", T0);
    assert_int_equal(cl_ratelimit_wait(rl, "z@x", "203.0.113.7", T0),
                     CL_RL_WINDOW);
    /* Stale entries from before: these go first. */
    char addr[CL_RL_ADDR];
    for (int i = 0; i < CAP / 2; i++) {
        snprintf(addr, sizeof addr, "192.0.2.%d", i);
        cl_ratelimit_failed(rl, "old@x", addr, T0 - CL_RL_WINDOW);
    }
    /* A flood of fresh keys, two entries per failure, filling every slot
       but the blocked client's two. */
    for (int i = 0; i < (CAP - 2) / 2; i++) {
        snprintf(addr, sizeof addr, "198.51.100.%d", i);
        cl_ratelimit_failed(rl, "victim@x", addr, T0 + 1 + i);
    }
    assert_int_equal(cl_ratelimit_wait(rl, "z@x", "203.0.113.7", T0 + 100),
                     CL_RL_WINDOW - 100);
    /* The table is full now: the next new key takes the oldest entry,
       which is the blocked client's (the attacker can age it out, not
       pick it), and never one of the newer ones. */
    cl_ratelimit_failed(rl, "victim@x", "198.51.100.250", T0 + 200);
    assert_int_equal(cl_ratelimit_wait(rl, "z@x", "203.0.113.7", T0 + 200), 0);
    assert_int_equal(
        cl_ratelimit_wait(rl, "victim@x", "198.51.100.0", T0 + 200),
        0); /* its one failure still counted, no delay yet */
    for (int i = 1; i < CL_RL_ACCOUNT_FREE; i++)
        cl_ratelimit_failed(rl, "victim@x", "198.51.100.0", T0 + 200);
    assert_int_equal(
        cl_ratelimit_wait(rl, "victim@x", "198.51.100.0", T0 + 200),
        CL_RL_DELAY_BASE);
    cl_ratelimit_free(rl);
}

/* A clock set back never makes a wait longer than the policy's; a table
   of no entries is refused. */
static void
test_clock_set_back_and_capacity(void **state)
{
    (void)state;
    cl_ratelimit *rl = limiter(8), *none = NULL;
    spray(rl, "10.1.1.1", CL_RL_CLIENT_MAX, T0);
    assert_int_equal(cl_ratelimit_wait(rl, "q@x", "10.1.1.1", T0 - 3600),
                     CL_RL_WINDOW);
    unsigned char key[CL_RL_KEYBYTES] = {0};
    assert_int_equal(cl_ratelimit_create(0, key, &none), CL_EINVAL);
    assert_null(none);
    cl_ratelimit_free(rl);
}

static void
test_client_address(void **state)
{
    (void)state;
    char out[CL_RL_ADDR];
    const char *one[] = {"198.51.100.2"};
    /* Without --trust-proxy the header is the client's to write: ignored. */
    cl_ratelimit_client("127.0.0.1", one, 1, 0, out);
    assert_string_equal(out, "127.0.0.1");
    cl_ratelimit_client("127.0.0.1", one, 1, 1, out);
    assert_string_equal(out, "198.51.100.2");
    /* A forged left part never reaches past what the proxy appended. */
    const char *forged[] = {"1.2.3.4, 127.0.0.1 ,203.0.113.7"};
    cl_ratelimit_client("127.0.0.1", forged, 1, 1, out);
    assert_string_equal(out, "203.0.113.7");
    /* Trusted hops (the peer's address, loopback) are skipped. */
    const char *hops[] = {"garbage, 203.0.113.9", "10.0.0.5, 127.0.0.1"};
    cl_ratelimit_client("10.0.0.5", hops, 2, 1, out);
    assert_string_equal(out, "203.0.113.9");
    /* Something else where an address should be: the last trusted hop. */
    const char *bad[] = {"203.0.113.9, not-an-ip, ::1"};
    cl_ratelimit_client("127.0.0.1", bad, 1, 1, out);
    assert_string_equal(out, "::1");
    const char *v6[] = {"2001:DB8::0:1"};
    cl_ratelimit_client("127.0.0.1", v6, 1, 1, out);
    assert_string_equal(out, "2001:db8::1");
    /* No header: the peer. */
    cl_ratelimit_client("127.0.0.1", NULL, 0, 1, out);
    assert_string_equal(out, "127.0.0.1");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_budget_and_expiry),
        cmocka_unit_test(test_account_delay_is_per_client),
        cmocka_unit_test(test_progressive_delay),
        cmocka_unit_test(test_success_clears_account_not_client),
        cmocka_unit_test(test_eviction_not_steerable),
        cmocka_unit_test(test_clock_set_back_and_capacity),
        cmocka_unit_test(test_client_address),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
