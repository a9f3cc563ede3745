/* Unit tests: the pure rules of managing people (core/people.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/people.h"
#include "core/record.h"
#include "core/visibility.h"

/* The id a new person gets comes from the name, words joined by '-'. */
static void
test_id_is_derived_from_the_name(void **state)
{
    static const struct {
        const char *name, *role, *want;
    } cases[] = {
        {"Jane O'Doe", "csm", "jane-o-doe"},
        {"  Ana  Lucia Diaz ", "ae", "ana-lucia-diaz"},
        {"R2-D2", "ae", "r2-d2"},
        {"\xe7\x8e\x8b\xe8\x8a\xb3", "cs_manager", "cs-manager"}, /* no ASCII */
        {"", "vp_sales", "vp-sales"},
        {"A very long name that goes on and on beyond forty characters", "ae",
         "a-very-long-name-that-goes-on-and-on-bey"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[CL_PEOPLE_ID_MAX];
        cl_people_id_base(cases[i].name, cases[i].role, out);
        assert_string_equal(out, cases[i].want);
        assert_true(strlen(out) <= 40);
    }
}

/* A new password has 10 to 1024 characters, as on every other path. */
static void
test_password_needs_ten_to_1024_characters(void **state)
{
    char big[1100];
    (void)state;
    assert_non_null(cl_people_password_check("123456789"));
    assert_null(cl_people_password_check("1234567890"));
    memset(big, 'x', 1024);
    big[1024] = '\0';
    assert_null(cl_people_password_check(big));
    big[1024] = 'x';
    big[1025] = '\0';
    assert_non_null(cl_people_password_check(big));
    assert_non_null(cl_people_password_check(NULL));
}

/* Nobody manages themself or their own manager, at any depth. */
static void
test_no_manager_loops(void **state)
{
    /* vp <- mgr <- ae1, ae2; solo has no manager. */
    static const cl_people_link links[] = {
        {"vp", NULL},   {"mgr", "vp"}, {"ae1", "mgr"},
        {"ae2", "mgr"}, {"solo", ""},
    };
    size_t n = sizeof links / sizeof links[0];
    (void)state;
    assert_true(cl_people_manager_cycle("mgr", "mgr", links, n));
    assert_true(cl_people_manager_cycle("mgr", "ae1", links, n));
    assert_true(cl_people_manager_cycle("vp", "ae2", links, n));
    assert_false(cl_people_manager_cycle("ae1", "ae2", links, n));
    assert_false(cl_people_manager_cycle("solo", "ae1", links, n));
    assert_false(cl_people_manager_cycle("ae1", NULL, links, n));
    assert_false(cl_people_manager_cycle("ae1", "", links, n));
    assert_false(cl_people_manager_cycle("new", "vp", links, n));
    /* A loop already there (from an old import) ends the walk. */
    static const cl_people_link loop[] = {{"a", "b"}, {"b", "a"}};
    assert_false(cl_people_manager_cycle("c", "a", loop, 2));
}

/* Invited means: no password yet and a link out; deactivated wins. */
static void
test_status_of_a_person(void **state)
{
    (void)state;
    assert_int_equal(cl_people_status_of(1, 0, 0), CL_PEOPLE_ACTIVE);
    assert_int_equal(cl_people_status_of(0, 1, 0), CL_PEOPLE_INVITED);
    assert_int_equal(cl_people_status_of(0, 0, 0), CL_PEOPLE_ACTIVE);
    assert_int_equal(cl_people_status_of(1, 1, 0), CL_PEOPLE_ACTIVE);
    assert_int_equal(cl_people_status_of(0, 1, 1), CL_PEOPLE_DEACTIVATED);
    assert_string_equal(cl_people_status_name(CL_PEOPLE_INVITED), "invited");
}

/* Every role has a label in words, and only the admin manages people. */
static void
test_role_labels_and_who_manages_people(void **state)
{
    (void)state;
    for (size_t i = 0; cl_roles[i]; i++) {
        const char *l = cl_people_role_label(cl_roles[i]);
        assert_string_not_equal(l, cl_roles[i]);
        cl_viewer v = {"u-someone", cl_roles[i], 0};
        assert_int_equal(cl_vis_may(&v, CL_VA_PEOPLE, NULL),
                         strcmp(cl_roles[i], "admin") == 0);
    }
    assert_string_equal(cl_people_role_label("cs_manager"), "CS team lead");
    assert_string_equal(cl_people_role_label("wizard"), "wizard");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_is_derived_from_the_name),
        cmocka_unit_test(test_password_needs_ten_to_1024_characters),
        cmocka_unit_test(test_no_manager_loops),
        cmocka_unit_test(test_status_of_a_person),
        cmocka_unit_test(test_role_labels_and_who_manages_people),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
