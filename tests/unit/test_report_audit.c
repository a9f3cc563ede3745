/*
 * The tagging audit on a hand-made workspace (tests/data/reports/ops/audit)
 * for 2026Q3, as of 2026-11-23.  The audit set is the tagged churns that
 * churned or were tagged in the quarter: K1-K11 and K13 (K11 churned in Q2
 * but was tagged in Q3; K13 churned in Q3 and was tagged in Q4; K12 lies
 * wholly in Q2).  By CSM, in taxonomy order icp_miss, failed_adoption,
 * product_deficiency, pricing:
 *   Cara (U-CSM1)  0 0 3 1
 *   Dev  (U-CSM2)  2 0 1 2
 *   Eve  (U-CSM3)  1 2 0 0
 *   team           3 2 4 3   (12)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "testutil.h"

#include "opsfixture.h"

static int
setup(void **state)
{
    *state = ops_load("audit");
    return 0;
}

static int
teardown(void **state)
{
    ops_free(*state);
    return 0;
}

static void
test_csm_distributions_and_chi_square(void **state)
{
    /* R: chisq.test(matrix(c(mine, rest), 2, byrow = TRUE),
                     correct = FALSE), e.g. Cara:
       chisq.test(matrix(c(0,3,0,2,3,1,1,2), 2), correct = FALSE)
       X-squared = 5.625, df = 3, p-value = 0.1313504801 */
    static const struct {
        const char *id, *name;
        int tagged;
        double chi, p;
    } want[] = {
        {"U-CSM1", "Cara Lind", 4, 5.625, 0.1313504801},
        {"U-CSM2", "Dev Roy", 5, 3.4285714286, 0.3301450109},
        {"U-CSM3", "Eve Marsh", 3, 8.4444444444, 0.0376662122},
    };
    json_t *j = ops_run(cl_report_audit, *state, "2026Q3", "2026-11-23", 0);
    assert_string_equal(json_string_value(json_object_get(j, "period")),
                        "2026Q3");
    assert_int_equal(json_integer_value(json_object_get(j, "tagged")), 12);
    assert_int_equal(json_array_size(json_object_get(j, "csms")), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_string_equal(json_string_value(ops_at(j, "csms", i, "csm_id")),
                            want[i].id);
        assert_string_equal(json_string_value(ops_at(j, "csms", i, "name")),
                            want[i].name);
        assert_int_equal(json_integer_value(ops_at(j, "csms", i, "tagged")),
                         want[i].tagged);
        assert_near(json_number_value(ops_at(j, "csms", i, "chi_square")),
                    want[i].chi, 1e-6);
        assert_int_equal(json_integer_value(ops_at(j, "csms", i, "df")), 3);
        assert_near(json_number_value(ops_at(j, "csms", i, "p_value")),
                    want[i].p, 1e-6);
    }
    json_t *dist = ops_at(j, "csms", 1, "distribution");
    assert_int_equal(json_object_size(dist), 3);
    assert_int_equal(json_integer_value(json_object_get(dist, "icp_miss")), 2);
    assert_int_equal(
        json_integer_value(json_object_get(dist, "product_deficiency")), 1);
    assert_int_equal(json_integer_value(json_object_get(dist, "pricing")), 2);
    json_decref(j);
}

static void
test_product_deficiency_catch_all(void **state)
{
    json_t *j = ops_run(cl_report_audit, *state, "2026Q3", "2026-11-23", 0);
    json_t *pd = json_object_get(j, "product_deficiency_catch_all");
    assert_int_equal(json_integer_value(json_object_get(pd, "count")), 4);
    assert_near(json_number_value(json_object_get(pd, "share")), 4 / 12.0,
                1e-6);
    /* K1 empty, K2 "  slow   ", K8 "Größenänderung fehl" (19 characters,
       22 bytes); K3's diagnosis names the gap. */
    assert_int_equal(json_integer_value(json_object_get(pd, "short_diagnosis")),
                     3);
    /* Team share 1/3; Cara 3/4 is over twice that, Dev 1/5 is not. */
    json_t *heavy = json_object_get(pd, "csms_over_twice_team_share");
    assert_int_equal(json_array_size(heavy), 1);
    json_t *c = json_array_get(heavy, 0);
    assert_string_equal(json_string_value(json_object_get(c, "csm_id")),
                        "U-CSM1");
    assert_near(json_number_value(json_object_get(c, "share")), 0.75, 1e-6);
    json_decref(j);
}

static void
test_untagged_over_14_days(void **state)
{
    /* K17 churned 2026-08-01 (114 days), K14 2026-11-01 (22 days); K16
       (14 days) and K15 (13 days) are not overdue yet. */
    json_t *j = ops_run(cl_report_audit, *state, "2026Q3", "2026-11-23", 0);
    json_t *u = json_object_get(j, "untagged_over_14_days");
    assert_int_equal(json_array_size(u), 2);
    assert_string_equal(
        json_string_value(ops_at(j, "untagged_over_14_days", 0, "churn_id")),
        "K17");
    assert_string_equal(
        json_string_value(ops_at(j, "untagged_over_14_days", 0, "account_id")),
        "X2");
    assert_string_equal(
        json_string_value(ops_at(j, "untagged_over_14_days", 0, "churned_on")),
        "2026-08-01");
    assert_int_equal(json_integer_value(ops_at(j, "untagged_over_14_days", 0,
                                               "days_untagged")),
                     114);
    assert_string_equal(
        json_string_value(ops_at(j, "untagged_over_14_days", 1, "churn_id")),
        "K14");
    assert_int_equal(json_integer_value(ops_at(j, "untagged_over_14_days", 1,
                                               "days_untagged")),
                     22);
    json_decref(j);
}

static void
test_tag_changes_need_the_engine_and_no_ae_is_named(void **state)
{
    json_t *j = ops_run(cl_report_audit, *state, "2026Q3", "2026-11-23", 0);
    json_t *t = json_object_get(j, "tags_changed_after_notification");
    assert_non_null(t);
    assert_true(json_is_null(t));
    assert_non_null(strstr(json_string_value(json_object_get(
                               j, "tags_changed_after_notification_note")),
                           "engine"));
    char *text = ops_text(j);
    assert_null(strstr(text, "U-AE1"));
    assert_null(strstr(text, "Ava Stone"));
    free(text);
    json_decref(j);
}

static void
test_small_tables_and_a_lone_csm(void **state)
{
    /* 2026Q2 holds only K12 (Cara, pricing): no rest of the team to compare
       against. */
    json_t *j = ops_run(cl_report_audit, *state, "2026Q2", "2026-11-23", 0);
    assert_int_equal(json_integer_value(json_object_get(j, "tagged")), 2);
    /* K11 churned in Q2 too (tagged in Q3 by Eve): two CSMs, and only the
       causes pricing and failed_adoption: a 2 x 2 table with zeros. */
    assert_int_equal(json_array_size(json_object_get(j, "csms")), 2);
    assert_near(json_number_value(ops_at(j, "csms", 0, "chi_square")), 2, 1e-9);
    assert_int_equal(json_integer_value(ops_at(j, "csms", 0, "df")), 1);
    json_decref(j);
    j = ops_run(cl_report_audit, *state, "2026Q4", "2026-11-23", 0);
    /* K13 only (tagged in Q4): Dev alone. */
    assert_int_equal(json_integer_value(json_object_get(j, "tagged")), 1);
    assert_true(json_is_null(ops_at(j, "csms", 0, "chi_square")));
    assert_true(json_is_null(ops_at(j, "csms", 0, "p_value")));
    json_decref(j);
}

static void
test_demo_audit_names_csms_only(void **state)
{
    /* On the demo workspace: CSM rows add up to the audit set, every row is
       a demo CSM (u-csm-N), and no AE id appears anywhere. */
    (void)state;
    cl_snapshot *s = ops_load_demo(1, "2026-11-23");
    json_t *j = ops_run(cl_report_audit, s, "2026Q3", "2026-11-23", 0);
    json_t *c;
    size_t i;
    json_int_t sum = 0;
    json_array_foreach(json_object_get(j, "csms"), i, c)
    {
        assert_memory_equal(json_string_value(json_object_get(c, "csm_id")),
                            "u-csm-", 6);
        sum += json_integer_value(json_object_get(c, "tagged"));
    }
    assert_true(sum > 0);
    assert_int_equal(sum, json_integer_value(json_object_get(j, "tagged")));
    char *t = ops_text(j);
    assert_null(strstr(t, "u-ae-"));
    free(t);
    json_decref(j);
    ops_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csm_distributions_and_chi_square),
        cmocka_unit_test(test_product_deficiency_catch_all),
        cmocka_unit_test(test_untagged_over_14_days),
        cmocka_unit_test(test_tag_changes_need_the_engine_and_no_ae_is_named),
        cmocka_unit_test(test_small_tables_and_a_lone_csm),
        cmocka_unit_test(test_demo_audit_names_csms_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
