/*
 * Passwords (src/engine/engine_password.c): a hash checks its own password
 * and no other, a missing password never matches, a hash keeps the cost
 * it was made at (so a test build's hashes still check in a normal one),
 * and the cost is the build's: libsodium's interactive argon2id, or its
 * least in the test suite's build (-Dtest_password_cost=true), which says
 * so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cl_build_config.h"
#include "engine/engine_password.h"

static int
setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static void
test_checks_its_own_password_only(void **state)
{
    (void)state;
    char h[CL_ENGINE_PASSWORD_HASH_MAX];
    assert_int_equal(cl_engine_password_hash("correct horse", h), 0);
    assert_true(cl_engine_password_check(h, "correct horse"));
    assert_false(cl_engine_password_check(h, "correct horse "));
    assert_false(cl_engine_password_check(h, ""));
}

static void
test_no_password_never_matches(void **state)
{
    (void)state;
    assert_false(cl_engine_password_check("", ""));
    assert_false(cl_engine_password_check("", "x"));
}

static void
test_a_hash_keeps_its_cost(void **state)
{
    (void)state;
    /* A hash made at the other cost than this build's: checked by the
       cost it names. */
    char h[CL_ENGINE_PASSWORD_HASH_MAX];
#ifdef CL_TEST_PASSWORD_COST
    unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
#else
    unsigned long long ops = crypto_pwhash_OPSLIMIT_MIN;
    size_t mem = crypto_pwhash_MEMLIMIT_MIN;
#endif
    assert_int_equal(crypto_pwhash_str(h, "demo-pass-1", 11, ops, mem), 0);
    assert_true(cl_engine_password_check(h, "demo-pass-1"));
    assert_false(cl_engine_password_check(h, "demo-pass-2"));
}

static void
test_cost_is_the_builds(void **state)
{
    (void)state;
    char h[CL_ENGINE_PASSWORD_HASH_MAX];
    assert_int_equal(cl_engine_password_hash("pw", h), 0);
    assert_non_null(strstr(h, "$argon2id$"));
#ifdef CL_TEST_PASSWORD_COST
    assert_non_null(strstr(h, "$m=8,t=1,"));
    assert_non_null(cl_engine_password_note());
#else
    assert_non_null(strstr(h, "$m=65536,t=2,"));
    assert_null(cl_engine_password_note());
#endif
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checks_its_own_password_only),
        cmocka_unit_test(test_no_password_never_matches),
        cmocka_unit_test(test_a_hash_keeps_its_cost),
        cmocka_unit_test(test_cost_is_the_builds),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
