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

static int32_t
krow(const cl_snapshot *s, const char *id)
{
    for (size_t c = 0; c < s->nchurns; c++)
        if (strcmp(s->churn_id[c], id) == 0)
            return (int32_t)c;
    fail_msg("no churn %s", id);
    return -1;
}

static cl_time
T(const char *text)
{
    cl_time t;
    assert_int_equal(cl_time_parse(text, &t), 0);
    return t;
}

static void
change(cl_snapshot *s, const char *churn, const char *by, const char *at,
       const char *from, const char *to, const char *contributing)
{
    cl_error err;
    assert_int_equal(
        cl_snapshot_add_tag_change(
            s, krow(s, churn), by ? cl_snapshot_user(s, by) : -1, T(at),
            from ? (int8_t)cl_enum_index(cl_cause_codes, from) : -1, 0,
            (int8_t)cl_enum_index(cl_cause_codes, to),
            cl_snapshot_cause_mask(s, contributing), &err),
        CL_OK);
}

/*
 * Tags changed after the AE (U-AE1, the AE of D1 and D2) was notified, in
 * 2026Q3.  K5 is flagged 07-06 10:00 with its first tag (same instant: not
 * after), re-tagged icp_miss -> pricing by Dev on 07-20 (counted) and again
 * on 10-02 (Q4: not counted).  K6 is changed 07-29 11:00, an hour before
 * its flag (not counted), then only its contributing causes by the AE on
 * 08-01 (counted, the AE not named).  K7 changes but was never flagged; the
 * flag of K1 to a CSM is no AE notification.
 */
static void
test_tag_changes_after_notification(void **state)
{
    cl_snapshot *s = *state;
    cl_error err;
    assert_int_equal(
        cl_snapshot_add_notice(s, krow(s, "K5"), cl_snapshot_user(s, "U-AE1"),
                               T("2026-07-06T10:00"), CL_TIME_NONE, &err),
        CL_OK);
    assert_int_equal(cl_snapshot_add_notice(
                         s, krow(s, "K6"), cl_snapshot_user(s, "U-AE1"),
                         T("2026-07-29T12:00"), T("2026-07-29T12:05"), &err),
                     CL_OK);
    assert_int_equal(
        cl_snapshot_add_notice(s, krow(s, "K1"), cl_snapshot_user(s, "U-CSM1"),
                               T("2026-07-08T10:00"), CL_TIME_NONE, &err),
        CL_OK);
    change(s, "K5", "U-CSM2", "2026-07-06T10:00", NULL, "icp_miss", NULL);
    change(s, "K6", "U-CSM2", "2026-07-29T11:00", "pricing", "icp_miss", NULL);
    change(s, "K5", "U-CSM2", "2026-07-20T09:00", "icp_miss", "pricing",
           "icp_miss");
    change(s, "K6", "U-AE1", "2026-08-01T09:00", "icp_miss", "icp_miss",
           "pricing");
    change(s, "K7", "U-CSM2", "2026-08-10T09:00", "pricing", "icp_miss", NULL);
    change(s, "K5", "U-CSM2", "2026-10-02T09:00", "pricing", "icp_miss", NULL);

    json_t *j = ops_run(cl_report_audit, s, "2026Q3", "2026-11-23", 0);
    json_t *t = json_object_get(j, "tags_changed_after_notification");
    assert_int_equal(json_integer_value(json_object_get(t, "notified")), 2);
    assert_int_equal(json_integer_value(json_object_get(t, "churns")), 2);
    assert_int_equal(json_integer_value(json_object_get(t, "changes")), 2);
    assert_int_equal(json_integer_value(json_object_get(t, "primary_changed")),
                     1);
    assert_string_equal(json_string_value(ops_at(t, "items", 0, "churn_id")),
                        "K5");
    assert_string_equal(json_string_value(ops_at(t, "items", 0, "notified_at")),
                        "2026-07-06T10:00:00Z");
    assert_string_equal(json_string_value(ops_at(t, "items", 0, "changed_at")),
                        "2026-07-20T09:00:00Z");
    assert_string_equal(
        json_string_value(ops_at(t, "items", 0, "primary_before")), "icp_miss");
    assert_string_equal(
        json_string_value(ops_at(t, "items", 0, "primary_after")), "pricing");
    json_t *after = ops_at(t, "items", 0, "contributing_after");
    assert_int_equal(json_array_size(after), 1);
    assert_string_equal(json_string_value(json_array_get(after, 0)),
                        "icp_miss");
    assert_string_equal(json_string_value(json_object_get(
                            ops_at(t, "items", 0, "changed_by"), "name")),
                        "Dev Roy");
    assert_string_equal(json_string_value(ops_at(t, "items", 1, "churn_id")),
                        "K6");
    assert_true(json_is_null(ops_at(t, "items", 1, "changed_by")));
    char *text = ops_text(j);
    assert_null(strstr(text, "U-AE1"));
    assert_null(strstr(text, "Ava Stone"));
    free(text);
    json_decref(j);

    /* Q4 sees the 10-02 change (after the 07-06 flag); none was flagged in
       Q4. */
    j = ops_run(cl_report_audit, s, "2026Q4", "2026-12-31", 0);
    t = json_object_get(j, "tags_changed_after_notification");
    assert_int_equal(json_integer_value(json_object_get(t, "changes")), 1);
    assert_int_equal(json_integer_value(json_object_get(t, "notified")), 0);
    json_decref(j);
    s->nnotices = 0;
    s->ntag_changes = 0;
}

static void
test_no_engine_records_no_tag_changes(void **state)
{
    json_t *j = ops_run(cl_report_audit, *state, "2026Q3", "2026-11-23", 0);
    json_t *t = json_object_get(j, "tags_changed_after_notification");
    assert_int_equal(json_integer_value(json_object_get(t, "notified")), 0);
    assert_int_equal(json_integer_value(json_object_get(t, "changes")), 0);
    assert_int_equal(json_array_size(json_object_get(t, "items")), 0);
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
        cmocka_unit_test(test_tag_changes_after_notification),
        cmocka_unit_test(test_no_engine_records_no_tag_changes),
        cmocka_unit_test(test_small_tables_and_a_lone_csm),
        cmocka_unit_test(test_demo_audit_names_csms_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
