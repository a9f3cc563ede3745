/*
 * The growable buffer, its JSON string writer and cl_grow (core/buf.h):
 * appends keep the text whole and NUL-terminated, a failure is sticky and
 * reported once, and the escapes are the ones the API has always sent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"

static void
test_appends_grow_and_stay_terminated(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        cl_buf_printf(&b, "%d,", i % 10);
    assert_false(b.oom);
    assert_int_equal(b.len, 2000);
    assert_true(b.cap > b.len);
    assert_int_equal(strlen(b.p), 2000);
    assert_memory_equal(b.p, "0,1,2,", 6);
    assert_memory_equal(b.p + 1994, "7,8,9,", 6);
    cl_buf_str(&b, "");
    cl_buf_add(&b, "xyz", 2);
    assert_string_equal(b.p + 2000, "xy");
    cl_buf_free(&b);
    assert_null(b.p);
    assert_int_equal(b.len, 0);
}

static void
test_take_hands_over_the_text(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    size_t len = 99;
    char *t = cl_buf_take(&b, &len);
    assert_non_null(t); /* nothing appended still gives "" */
    assert_string_equal(t, "");
    assert_int_equal(len, 0);
    free(t);

    cl_buf_str(&b, "hello");
    t = cl_buf_take(&b, &len);
    assert_string_equal(t, "hello");
    assert_int_equal(len, 5);
    assert_null(b.p); /* the buffer is empty and reusable */
    free(t);
    cl_buf_str(&b, "again");
    assert_string_equal(b.p, "again");
    cl_buf_free(&b);
}

static void
test_reset_keeps_the_allocation(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    cl_buf_str(&b, "some text that needs an allocation");
    char *p = b.p;
    size_t cap = b.cap;
    cl_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.p, "");
    cl_buf_str(&b, "short");
    assert_ptr_equal(b.p, p);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.p, "short");
    cl_buf_free(&b);
}

/* Past the limit the buffer fails as it would out of memory: every later
   append is ignored, the text kept is what fitted, take returns NULL. */
static void
test_failure_is_sticky(void **state)
{
    (void)state;
    cl_buf b = {.limit = 10};
    cl_buf_str(&b, "0123456789");
    assert_false(b.oom);
    cl_buf_str(&b, "x");
    assert_true(b.oom);
    cl_buf_str(&b, "");
    cl_buf_printf(&b, "%d", 1);
    cl_buf_json_str(&b, "a");
    assert_int_equal(cl_buf_reserve(&b, 0), -1);
    assert_true(b.oom);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.p, "0123456789");
    size_t len = 99;
    assert_null(cl_buf_take(&b, &len));
    assert_int_equal(len, 0);
    /* take leaves an empty buffer (with its limit) that works again. */
    assert_false(b.oom);
    assert_int_equal(b.limit, 10);
    cl_buf_str(&b, "ok");
    assert_false(b.oom);

    /* reset clears the flag too. */
    cl_buf_str(&b, "far too long for the limit");
    assert_true(b.oom);
    cl_buf_reset(&b);
    assert_false(b.oom);
    cl_buf_str(&b, "fits");
    assert_string_equal(b.p, "fits");
    cl_buf_free(&b);

    /* A size that cannot be represented fails the same way. */
    cl_buf big = CL_BUF_INIT;
    cl_buf_str(&big, "a");
    cl_buf_add(&big, "b", SIZE_MAX);
    assert_true(big.oom);
    assert_string_equal(big.p, "a");
    cl_buf_free(&big);
}

static void
test_printf_formats_long_text(void **state)
{
    (void)state;
    cl_buf b = CL_BUF_INIT;
    char word[300];
    memset(word, 'w', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    cl_buf_str(&b, "<");
    cl_buf_printf(&b, "%s|%lld|%.2f", word, -42LL, 1.5);
    assert_int_equal(b.len, 1 + 299 + 4 + 5);
    assert_string_equal(b.p + 300, "|-42|1.50");
    cl_buf_free(&b);
}

/* What the account page and every audit entry have been written with. */
#define IN(s) s, sizeof(s) - 1
static const struct {
    const char *in;
    size_t n;
    const char *out;
} escapes[] = {
    {IN(""), "\"\""},
    {IN("plain"), "\"plain\""},
    {IN("a\"b"), "\"a\\\"b\""},
    {IN("a\\b"), "\"a\\\\b\""},
    {IN("\n\r\t"), "\"\\n\\r\\t\""},
    {IN("\x01\x08\x0c\x1f"), "\"\\u0001\\b\\f\\u001F\""},
    {IN("\x1b[0m"), "\"\\u001B[0m\""},
    {IN(" ~\x7f"), "\" ~\x7f\""},       /* DEL is not a control in JSON */
    {IN("</script>"), "\"</script>\""}, /* '/' stays as it is */
    {IN("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
    /* Bytes that are not UTF-8 pass through: the text was checked where
       it came in, and the writer does not second-guess it. */
    {IN("\xff\xc3("), "\"\xff\xc3(\""},
    /* With a length, a NUL is a character like any other. */
    {IN("a\0b"), "\"a\\u0000b\""},
};

static void
test_json_escapes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        cl_buf b = CL_BUF_INIT;
        cl_buf_json_strn(&b, escapes[i].in, escapes[i].n);
        assert_false(b.oom);
        assert_int_equal(b.len, strlen(escapes[i].out));
        assert_string_equal(b.p, escapes[i].out);
        cl_buf_free(&b);
    }
    /* The C-string form stops at the NUL. */
    cl_buf b = CL_BUF_INIT;
    cl_buf_json_str(&b, "a\0b");
    assert_string_equal(b.p, "\"a\"");
    cl_buf_free(&b);
}

/* A string of escapes (six bytes out per byte in) grows past the room the
   writer reserves up front. */
static void
test_json_escapes_grow(void **state)
{
    (void)state;
    char in[5000];
    memset(in, '\x01', sizeof in);
    cl_buf b = CL_BUF_INIT;
    cl_buf_str(&b, "[");
    cl_buf_json_strn(&b, in, sizeof in);
    cl_buf_str(&b, "]");
    assert_false(b.oom);
    assert_int_equal(b.len, 2 + 2 + 6 * sizeof in);
    assert_memory_equal(b.p, "[\"\\u0001", 8);
    assert_memory_equal(b.p + b.len - 8, "\\u0001\"]", 8);
    cl_buf_free(&b);
}

static void
test_grow_arrays(void **state)
{
    (void)state;
    int64_t *v = NULL;
    size_t cap = 0;
    for (size_t n = 0; n < 1000; n++) {
        assert_int_equal(cl_grow(&v, &cap, n + 1, sizeof *v), CL_OK);
        assert_true(cap >= n + 1);
        v[n] = (int64_t)n;
    }
    for (size_t n = 0; n < 1000; n++)
        assert_int_equal(v[n], n);
    /* Doubling: a thousand appends reallocate a handful of times. */
    assert_true(cap < 2048);

    /* Enough room already: nothing changes. */
    int64_t *same = v;
    size_t had = cap;
    assert_int_equal(cl_grow(&v, &cap, 10, sizeof *v), CL_OK);
    assert_ptr_equal(v, same);
    assert_int_equal(cap, had);

    /* A size that overflows fails and leaves the array as it was. */
    assert_int_equal(cl_grow(&v, &cap, SIZE_MAX / 4, sizeof *v), CL_ENOMEM);
    assert_int_equal(cl_grow(&v, &cap, SIZE_MAX, 1), CL_ENOMEM);
    assert_ptr_equal(v, same);
    assert_int_equal(cap, had);
    assert_int_equal(v[999], 999);
    free(v);

    /* A jump well past double goes there at once. */
    char *s = NULL;
    size_t scap = 0;
    assert_int_equal(cl_grow(&s, &scap, 100000, 1), CL_OK);
    assert_true(scap >= 100000 && scap < 200000);
    s[99999] = 'x';
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appends_grow_and_stay_terminated),
        cmocka_unit_test(test_take_hands_over_the_text),
        cmocka_unit_test(test_reset_keeps_the_allocation),
        cmocka_unit_test(test_failure_is_sticky),
        cmocka_unit_test(test_printf_formats_long_text),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_json_escapes_grow),
        cmocka_unit_test(test_grow_arrays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
