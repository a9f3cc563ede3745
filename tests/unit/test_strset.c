/* Unit tests: the string set used to check ids during import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "core/strset.h"

static int
add_str(cl_strset *s, const char *str)
{
    return cl_strset_add(s, str, strlen(str));
}

static int
has_str(const cl_strset *s, const char *str)
{
    return cl_strset_has(s, str, strlen(str));
}

static void
test_add_has_count(void **state)
{
    (void)state;
    cl_strset *s = cl_strset_new();
    assert_non_null(s);
    assert_int_equal(cl_strset_count(s), 0);
    assert_false(has_str(s, "acct_1"));
    assert_int_equal(add_str(s, "acct_1"), 1);
    assert_int_equal(add_str(s, "acct_2"), 1);
    assert_int_equal(add_str(s, "deal_1"), 1);
    assert_int_equal(cl_strset_count(s), 3);
    assert_true(has_str(s, "acct_1"));
    assert_true(has_str(s, "acct_2"));
    assert_true(has_str(s, "deal_1"));
    assert_false(has_str(s, "acct_3"));
    assert_false(has_str(s, "ACCT_1"));
    cl_strset_free(s);
    cl_strset_free(NULL); /* allowed, like free() */
}

static void
test_duplicates_counted_once(void **state)
{
    (void)state;
    cl_strset *s = cl_strset_new();
    assert_non_null(s);
    assert_int_equal(add_str(s, "acct_1"), 1);
    assert_int_equal(add_str(s, "acct_1"), 0);
    assert_int_equal(add_str(s, "acct_1"), 0);
    assert_int_equal(cl_strset_count(s), 1);
    /* A duplicate given in a different buffer is still a duplicate. */
    char buf[16];
    snprintf(buf, sizeof buf, "acct_%d", 1);
    assert_int_equal(cl_strset_add(s, buf, strlen(buf)), 0);
    assert_int_equal(cl_strset_count(s), 1);
    cl_strset_free(s);
}

/* The set copies what it is given: the caller's buffer may change. */
static void
test_keeps_its_own_copy(void **state)
{
    (void)state;
    cl_strset *s = cl_strset_new();
    assert_non_null(s);
    char buf[8];
    memcpy(buf, "abc", 4);
    assert_int_equal(cl_strset_add(s, buf, 3), 1);
    memcpy(buf, "xyz", 4);
    assert_true(has_str(s, "abc"));
    assert_false(has_str(s, "xyz"));
    cl_strset_free(s);
}

/* Strings are len bytes, not NUL-terminated: the same prefix with a
 * different length is a different string, and embedded NULs count. */
static void
test_lengths_not_nul_terminators(void **state)
{
    (void)state;
    cl_strset *s = cl_strset_new();
    assert_non_null(s);
    const char *text = "acct_12345,deal_9";
    assert_int_equal(cl_strset_add(s, text, 10), 1); /* "acct_12345" */
    assert_int_equal(cl_strset_add(s, text, 6), 1);  /* "acct_1" */
    assert_int_equal(cl_strset_add(s, text, 10), 0);
    assert_int_equal(cl_strset_count(s), 2);
    assert_true(has_str(s, "acct_12345"));
    assert_true(has_str(s, "acct_1"));
    assert_false(has_str(s, "acct_12"));
    assert_false(has_str(s, "acct_12345,"));
    assert_false(cl_strset_has(s, text, 5));

    assert_int_equal(cl_strset_add(s, "a\0b", 3), 1);
    assert_int_equal(cl_strset_add(s, "a\0c", 3), 1);
    assert_int_equal(cl_strset_add(s, "a", 1), 1);
    assert_true(cl_strset_has(s, "a\0b", 3));
    assert_false(cl_strset_has(s, "a\0d", 3));
    assert_int_equal(cl_strset_count(s), 5);

    /* The empty string is a member like any other. */
    assert_false(cl_strset_has(s, "", 0));
    assert_int_equal(cl_strset_add(s, "", 0), 1);
    assert_int_equal(cl_strset_add(s, NULL, 0), 0);
    assert_true(cl_strset_has(s, NULL, 0));
    assert_int_equal(cl_strset_count(s), 6);
    cl_strset_free(s);
}

/* Strings bigger than an arena block's share get blocks of their own, and
 * long strings that differ only in the last byte are told apart. */
static void
test_long_strings(void **state)
{
    (void)state;
    enum { LEN = 100000 };
    char *big = malloc(LEN);
    assert_non_null(big);
    memset(big, 'x', LEN);
    cl_strset *s = cl_strset_new();
    assert_non_null(s);
    assert_int_equal(cl_strset_add(s, big, LEN), 1);
    big[LEN - 1] = 'y';
    assert_int_equal(cl_strset_add(s, big, LEN), 1);
    assert_int_equal(cl_strset_add(s, big, LEN - 1), 1); /* all 'x' */
    assert_int_equal(cl_strset_add(s, big, 20000), 1);
    /* Small ids after the big ones still share blocks and are found. */
    assert_int_equal(add_str(s, "acct_1"), 1);
    assert_int_equal(cl_strset_add(s, big, LEN - 1), 0);
    assert_int_equal(cl_strset_add(s, big, LEN), 0);
    assert_true(cl_strset_has(s, big, 20000));
    assert_false(cl_strset_has(s, big, 20001));
    big[LEN - 1] = 'z';
    assert_false(cl_strset_has(s, big, LEN));
    assert_true(has_str(s, "acct_1"));
    assert_int_equal(cl_strset_count(s), 5);
    cl_strset_free(s);
    free(big);
}

static void
test_a_million_ids(void **state)
{
    (void)state;
    enum { N = 1000000 };
    cl_strset *s = cl_strset_new();
    assert_non_null(s);
    char buf[32];
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "acct_%07d", i);
        if (cl_strset_add(s, buf, (size_t)n) != 1)
            fail_msg("%s not added", buf);
    }
    assert_int_equal(cl_strset_count(s), N);
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "acct_%07d", i);
        if (!cl_strset_has(s, buf, (size_t)n))
            fail_msg("%s not found", buf);
    }
    /* Adding them all again adds nothing. */
    for (int i = 0; i < N; i += 997) {
        int n = snprintf(buf, sizeof buf, "acct_%07d", i);
        assert_int_equal(cl_strset_add(s, buf, (size_t)n), 0);
    }
    assert_int_equal(cl_strset_count(s), N);
    const char *absent[] = {"acct_1000000",  "acct_-000001", "acct_000000",
                            "acct_00000000", "deal_0000001", "",
                            "acct_0000001 "};
    for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++)
        if (has_str(s, absent[i]))
            fail_msg("\"%s\" found but never added", absent[i]);
    cl_strset_free(s);
}

/* Every string hashes the same, so each lookup walks one long probe run and
 * only the length and bytes tell strings apart. */
static uint32_t
same_hash(const char *s, size_t len)
{
    (void)s;
    (void)len;
    return 7;
}

static void
test_equal_hashes_told_apart(void **state)
{
    (void)state;
    enum { N = 3000 };
    cl_strset *s = cl__strset_new_with_hash(same_hash);
    assert_non_null(s);
    char buf[32];
    /* "id1", "id10", "id100", ...: prefixes of one another. */
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "id%d", i);
        if (cl_strset_add(s, buf, (size_t)n) != 1)
            fail_msg("%s not added", buf);
    }
    assert_int_equal(cl_strset_count(s), N);
    for (int i = 0; i < N; i++) {
        int n = snprintf(buf, sizeof buf, "id%d", i);
        assert_true(cl_strset_has(s, buf, (size_t)n));
        assert_int_equal(cl_strset_add(s, buf, (size_t)n), 0);
    }
    assert_false(has_str(s, "id"));
    assert_false(has_str(s, "id3000"));
    assert_false(has_str(s, "id01"));
    assert_false(has_str(s, "i"));
    assert_int_equal(cl_strset_count(s), N);
    cl_strset_free(s);
}

static void
test_intern_gives_ordinals_and_stable_copies(void **state)
{
    (void)state;
    cl_strset *set = cl_strset_new();
    uint32_t ord;
    const char *copy, *first;
    char buf[16] = "alpha";
    assert_int_equal(cl_strset_intern(set, buf, 5, &ord, &first), 1);
    assert_int_equal(ord, 0);
    strcpy(buf, "xxxxx"); /* the set kept its own copy */
    assert_string_equal(first, "alpha");
    assert_int_equal(cl_strset_intern(set, "beta", 4, &ord, &copy), 1);
    assert_int_equal(ord, 1);
    assert_int_equal(cl_strset_intern(set, "alpha", 5, &ord, &copy), 0);
    assert_int_equal(ord, 0);
    assert_ptr_equal(copy, first);
    /* Copies survive the table growing. */
    for (int i = 0; i < 10000; i++) {
        char id[16];
        int n = snprintf(id, sizeof id, "id-%d", i);
        assert_int_equal(cl_strset_intern(set, id, (size_t)n, &ord, &copy),
                         1);
        assert_int_equal(ord, (uint32_t)i + 2);
    }
    assert_string_equal(first, "alpha");
    assert_int_equal(cl_strset_find(set, "beta", 4), 1);
    assert_int_equal(cl_strset_find(set, "id-9999", 7), 10001);
    assert_int_equal(cl_strset_find(set, "gamma", 5), -1);
    cl_strset_free(set);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intern_gives_ordinals_and_stable_copies),
        cmocka_unit_test(test_add_has_count),
        cmocka_unit_test(test_duplicates_counted_once),
        cmocka_unit_test(test_keeps_its_own_copy),
        cmocka_unit_test(test_lengths_not_nul_terminators),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_a_million_ids),
        cmocka_unit_test(test_equal_hashes_told_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
