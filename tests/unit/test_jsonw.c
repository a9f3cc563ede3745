/*
 * The JSON text writer of the account page: what it writes must parse as
 * the JSON a jansson tree of the same values would print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "testutil.h"

#include "http/jsonw.h"

/* Takes the writer's text and parses it; fails the test if it is not JSON. */
static json_t *
parsed(cl_jw *w)
{
    size_t len;
    char *text = cl_jw_take(w, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    json_error_t je;
    json_t *doc = json_loads(text, JSON_DECODE_ANY, &je);
    if (doc == NULL)
        fail_msg("not JSON: %s (%s)", text, je.text);
    free(text);
    return doc;
}

static void
test_nesting_and_commas(void **state)
{
    (void)state;
    cl_jw w;
    cl_jw_init(&w);
    cl_jw_obj(&w);
    cl_jw_key(&w, "a");
    cl_jw_arr(&w);
    cl_jw_int(&w, 1);
    cl_jw_obj(&w);
    cl_jw_obj_end(&w);
    cl_jw_arr(&w);
    cl_jw_arr_end(&w);
    cl_jw_null(&w);
    cl_jw_arr_end(&w);
    cl_jw_key(&w, "b");
    cl_jw_bool(&w, 1);
    cl_jw_key(&w, "c");
    cl_jw_bool(&w, 0);
    cl_jw_obj_end(&w);
    json_t *doc = parsed(&w);
    json_t *want =
        json_loads("{\"a\":[1,{},[],null],\"b\":true,\"c\":false}", 0, NULL);
    assert_true(json_equal(doc, want));
    json_decref(doc);
    json_decref(want);
}

static void
test_strings_are_escaped(void **state)
{
    (void)state;
    const char *s = "quote \" backslash \\ newline \n tab \t bell \a "
                    "caf\xc3\xa9 </script>";
    cl_jw w;
    cl_jw_init(&w);
    cl_jw_obj(&w);
    cl_jw_key(&w, "k\"ey");
    cl_jw_str(&w, s);
    cl_jw_key(&w, "none");
    cl_jw_str(&w, NULL);
    cl_jw_obj_end(&w);
    json_t *doc = parsed(&w);
    assert_string_equal(json_string_value(json_object_get(doc, "k\"ey")), s);
    assert_true(json_is_null(json_object_get(doc, "none")));
    json_decref(doc);
}

static void
test_numbers_read_back_exactly(void **state)
{
    (void)state;
    const double reals[] = {0.0,     9600.0, 0.1,          1.0 / 3.0,
                            -2.5e-7, 1e21,   123456789.125};
    cl_jw w;
    cl_jw_init(&w);
    cl_jw_arr(&w);
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++)
        cl_jw_real(&w, reals[i]);
    cl_jw_int(&w, INT64_MIN);
    cl_jw_int(&w, 42);
    cl_jw_arr_end(&w);
    json_t *doc = parsed(&w);
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        json_t *v = json_array_get(doc, i);
        /* A real stays a real (9600.0, not 9600), and reads back as v. */
        assert_true(json_is_real(v));
        assert_true(json_real_value(v) == reals[i]);
    }
    assert_true(json_integer_value(json_array_get(doc, 7)) == INT64_MIN);
    assert_int_equal(json_integer_value(json_array_get(doc, 8)), 42);
    json_decref(doc);
}

static void
test_raw_json_is_spliced(void **state)
{
    (void)state;
    cl_jw w;
    cl_jw_init(&w);
    cl_jw_arr(&w);
    cl_jw_raw(&w, "{\"id\":\"a-1\",\"n\":[1,2]}");
    cl_jw_raw(&w, NULL);
    cl_jw_raw(&w, "");
    cl_jw_raw(&w, "7");
    cl_jw_arr_end(&w);
    json_t *doc = parsed(&w);
    json_t *want =
        json_loads("[{\"id\":\"a-1\",\"n\":[1,2]},null,null,7]", 0, NULL);
    assert_true(json_equal(doc, want));
    json_decref(doc);
    json_decref(want);
}

static void
test_big_output_grows(void **state)
{
    (void)state;
    cl_jw w;
    cl_jw_init(&w);
    cl_jw_arr(&w);
    for (int i = 0; i < 20000; i++)
        cl_jw_str(&w, "a string of some length to make the buffer grow");
    cl_jw_arr_end(&w);
    json_t *doc = parsed(&w);
    assert_int_equal(json_array_size(doc), 20000);
    json_decref(doc);
}

static void
test_empty_writer_takes_empty_text(void **state)
{
    (void)state;
    cl_jw w;
    cl_jw_init(&w);
    size_t len = 99;
    char *text = cl_jw_take(&w, &len);
    assert_non_null(text);
    assert_string_equal(text, "");
    assert_int_equal(len, 0);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nesting_and_commas),
        cmocka_unit_test(test_strings_are_escaped),
        cmocka_unit_test(test_numbers_read_back_exactly),
        cmocka_unit_test(test_raw_json_is_spliced),
        cmocka_unit_test(test_big_output_grows),
        cmocka_unit_test(test_empty_writer_takes_empty_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
