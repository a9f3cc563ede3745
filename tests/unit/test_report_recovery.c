/*
 * The recovery review on a hand-made workspace
 * (tests/data/reports/ops/recovery).  2026Q3 holds six recoveries: R1-R3
 * trust (R1 and R2 on deals Ava Stone lost, R3 on Ben Ode's), R4 timing
 * (no logged_on; its new deal was created 2026-08-20), R5 over-promise
 * repair (logged on the quarter's last day), R6 untyped (logged on its
 * first day).  R7 (2026-06-30) and R8 (2026-10-01) fall outside.  2026Q2
 * holds R7 and R9-R15: five timing, three over-promise repairs.  R16
 * (2026-08-10) is a third trust recovery on Ava Stone's O1 that CS did not
 * lead: on record, counted as not_cs_led, and in no other figure.
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
    *state = ops_load("recovery");
    return 0;
}

static int
teardown(void **state)
{
    ops_free(*state);
    return 0;
}

static void
assert_type(json_t *j, size_t i, const char *type, int count, double share,
            double lo, double hi)
{
    assert_string_equal(json_string_value(ops_at(j, "by_type", i, "type")),
                        type);
    assert_int_equal(json_integer_value(ops_at(j, "by_type", i, "count")),
                     count);
    assert_near(json_number_value(ops_at(j, "by_type", i, "share")), share,
                1e-6);
    assert_near(json_number_value(ops_at(j, "by_type", i, "ci_low")), lo, 1e-6);
    assert_near(json_number_value(ops_at(j, "by_type", i, "ci_high")), hi,
                1e-6);
}

static void
test_counts_and_types(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 0);
    assert_string_equal(json_string_value(json_object_get(j, "period")),
                        "2026Q3");
    /* R1-R6: logged_on in the quarter, or R4's new deal created in it. */
    assert_int_equal(json_integer_value(json_object_get(j, "recoveries")), 6);
    /* R16, marked not CS-led, is counted apart and nowhere else. */
    assert_int_equal(json_integer_value(json_object_get(j, "not_cs_led")), 1);
    assert_int_equal(json_array_size(json_object_get(j, "by_type")), 5);
    /* Wilson 95%: R prop.test(k, 6, correct = FALSE)$conf.int. */
    assert_type(j, 0, "trust", 3, 0.5, 0.187616, 0.812384);
    assert_type(j, 1, "timing", 1, 1 / 6.0, 0.030053, 0.563503);
    assert_type(j, 2, "overpromise_repair", 1, 1 / 6.0, 0.030053, 0.563503);
    assert_type(j, 3, "champion_change", 0, 0, 0, 0.390334);
    assert_type(j, 4, "untyped", 1, 1 / 6.0, 0.030053, 0.563503);
    json_decref(j);
}

static void
test_months_to_reengagement(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 0);
    json_t *m = json_object_get(j, "months_to_reengagement");
    /* O1 2025-03-15 -> N1 2026-07-02: 15; O2 2025-05-10 -> 2026-08-01: 14;
       O3 2025-07-01 -> 2026-08-15: 13; O4 2025-12-20 -> 2026-08-20: 8;
       O5 2026-03-31 -> 2026-09-15: 5; N6 was created before O6 closed, so
       it is left out.  Sorted 5 8 13 14 15. */
    assert_int_equal(json_integer_value(json_object_get(m, "count")), 5);
    assert_near(json_number_value(json_object_get(m, "median")), 13, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(m, "min")), 5);
    assert_int_equal(json_integer_value(json_object_get(m, "max")), 15);
    json_decref(j);
}

static void
test_clusters(void **state)
{
    static const struct {
        const char *dim, *value;
        int count;
    } want[] = {
        {"employees_band", "1-19", 3},
        {"employees_band", "20-49", 1},
        {"employees_band", "200-999", 1},
        {"employees_band", "unknown", 1},
        {"industry", "Retail", 4},
        {"industry", "Software", 2},
        {"region", "EMEA", 4},
        {"region", "NA", 2},
        /* What the CRM keeps of the original deal's stage is its loss
           reason, and the dimension says so. */
        {"original_loss_reason", "budget", 2},
        {"original_loss_reason", "champion", 1},
        {"original_loss_reason", "product_fit", 1},
        {"original_loss_reason", "timing", 1},
        {"original_loss_reason", "unknown", 1},
    };
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 0);
    assert_int_equal(json_array_size(json_object_get(j, "clusters")),
                     sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(
            json_string_value(ops_at(j, "clusters", i, "dimension")),
            want[i].dim);
        assert_string_equal(
            json_string_value(ops_at(j, "clusters", i, "value")),
            want[i].value);
        assert_int_equal(json_integer_value(ops_at(j, "clusters", i, "count")),
                         want[i].count);
        assert_near(json_number_value(ops_at(j, "clusters", i, "share")),
                    want[i].count / 6.0, 1e-6);
    }
    json_decref(j);
}

/* Days in pipeline before the first demo, a distribution: O1 19 days, O2
   59, O3 no demo, O4 29, O5 55, O6 30.  Sorted 19 29 30 55 59: median 30,
   quartiles (R's type 7) 29 and 55. */
static void
test_days_to_first_demo_distribution(void **state)
{
    static const struct {
        const char *bin;
        int count;
    } want[] = {{"0-14", 0},  {"15-30", 3},   {"31-45", 0},   {"46-60", 2},
                {"61-90", 0}, {"over 90", 0}, {"no demo", 1}, {"unknown", 0}};
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 0);
    json_t *d = json_object_get(j, "days_to_first_demo");
    json_t *bins = json_object_get(d, "bins");
    assert_int_equal(json_array_size(bins), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        json_t *b = json_array_get(bins, i);
        assert_string_equal(json_string_value(json_object_get(b, "bin")),
                            want[i].bin);
        assert_int_equal(json_integer_value(json_object_get(b, "count")),
                         want[i].count);
        assert_near(json_number_value(json_object_get(b, "share")),
                    want[i].count / 6.0, 1e-6);
    }
    assert_int_equal(json_integer_value(json_object_get(d, "count")), 5);
    assert_near(json_number_value(json_object_get(d, "median")), 30, 1e-9);
    assert_near(json_number_value(json_object_get(d, "q1")), 29, 1e-9);
    assert_near(json_number_value(json_object_get(d, "q3")), 55, 1e-9);
    assert_int_equal(json_integer_value(json_object_get(d, "min")), 19);
    assert_int_equal(json_integer_value(json_object_get(d, "max")), 59);
    /* No 45-day split is left anywhere in the report. */
    char *t = ops_text(j);
    assert_null(strstr(t, "<=45"));
    assert_null(strstr(t, ">45"));
    assert_null(strstr(t, "\"stage\""));
    free(t);
    json_decref(j);
}

static json_t *
rule(json_t *j, size_t i, const char *name)
{
    json_t *r = json_array_get(json_object_get(j, "thresholds"), i);
    assert_string_equal(json_string_value(json_object_get(r, "rule")), name);
    return r;
}

static void
test_thresholds_q3_trust_cluster_only(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 0);
    json_t *r = rule(j, 0, "timing_share");
    assert_near(json_number_value(json_object_get(r, "value")), 1 / 6.0, 1e-6);
    assert_near(json_number_value(json_object_get(r, "threshold")), 0.6, 1e-9);
    assert_true(json_is_false(json_object_get(r, "fired")));
    assert_string_equal(json_string_value(json_object_get(r, "follow_up")),
                        "qualification_review");
    r = rule(j, 1, "overpromise_recoveries");
    assert_int_equal(json_integer_value(json_object_get(r, "value")), 1);
    assert_true(json_is_false(json_object_get(r, "fired")));
    r = rule(j, 2, "trust_ae_cluster");
    assert_near(json_number_value(json_object_get(r, "value")), 2 / 3.0, 1e-6);
    assert_true(json_is_true(json_object_get(r, "fired")));
    assert_string_equal(json_string_value(json_object_get(r, "follow_up")),
                        "coaching");
    /* R16 (not CS-led) would have made it 3 of 4: it is left out. */
    assert_string_equal(json_string_value(json_object_get(r, "detail")),
                        "2 of 3 trust recoveries trace to one AE");
    /* The team view says that a cluster exists, not whose it is. */
    assert_null(json_object_get(r, "aes"));
    json_decref(j);
}

static void
test_thresholds_q2_timing_and_overpromise_fire(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q2", "2026-11-23", 0);
    assert_int_equal(json_integer_value(json_object_get(j, "recoveries")), 8);
    assert_type(j, 1, "timing", 5, 0.625, 0.305742, 0.863156);
    json_t *r = rule(j, 0, "timing_share");
    assert_near(json_number_value(json_object_get(r, "value")), 0.625, 1e-6);
    assert_true(json_is_true(json_object_get(r, "fired")));
    r = rule(j, 1, "overpromise_recoveries");
    assert_int_equal(json_integer_value(json_object_get(r, "value")), 3);
    assert_true(json_is_true(json_object_get(r, "fired")));
    assert_string_equal(json_string_value(json_object_get(r, "follow_up")),
                        "enablement_review");
    r = rule(j, 2, "trust_ae_cluster");
    assert_true(json_is_null(json_object_get(r, "value")));
    assert_true(json_is_false(json_object_get(r, "fired")));
    /* All eight re-engaged 10 months after O7 closed (2025-06-01 to
       2026-04-01). */
    json_t *m = json_object_get(j, "months_to_reengagement");
    assert_near(json_number_value(json_object_get(m, "median")), 10, 1e-9);
    json_decref(j);
}

static void
test_team_view_names_no_ae_and_no_csm(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 0);
    char *t = ops_text(j);
    static const char *const names[] = {"U-AE1",   "Ava Stone", "U-AE2",
                                        "Ben Ode", "U-CSM1",    "Cara Lind",
                                        "csm",     "arr"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strstr(t, names[i]))
            fail_msg("team view contains \"%s\": %s", names[i], t);
    free(t);
    json_decref(j);
}

static void
test_private_view_names_the_ae_but_no_csm(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2026Q3", "2026-11-23", 1);
    json_t *r = rule(j, 2, "trust_ae_cluster");
    json_t *aes = json_object_get(r, "aes");
    assert_int_equal(json_array_size(aes), 1);
    json_t *ae = json_array_get(aes, 0);
    assert_string_equal(json_string_value(json_object_get(ae, "ae_id")),
                        "U-AE1");
    assert_string_equal(json_string_value(json_object_get(ae, "name")),
                        "Ava Stone");
    assert_int_equal(
        json_integer_value(json_object_get(ae, "trust_recoveries")), 2);
    char *t = ops_text(j);
    assert_null(strstr(t, "U-CSM1"));
    assert_null(strstr(t, "Cara Lind"));
    assert_null(strstr(t, "U-AE2")); /* not in the cluster */
    free(t);
    json_decref(j);
}

static void
test_empty_quarter(void **state)
{
    json_t *j = ops_run(cl_report_recovery, *state, "2024Q1", "2026-11-23", 0);
    assert_int_equal(json_integer_value(json_object_get(j, "recoveries")), 0);
    assert_true(json_is_null(ops_at(j, "by_type", 0, "share")));
    assert_true(json_is_null(ops_at(j, "by_type", 0, "ci_low")));
    assert_int_equal(json_array_size(json_object_get(j, "clusters")), 0);
    json_t *m = json_object_get(j, "months_to_reengagement");
    assert_true(json_is_null(json_object_get(m, "median")));
    json_t *d = json_object_get(j, "days_to_first_demo");
    assert_int_equal(json_integer_value(json_object_get(d, "count")), 0);
    assert_true(json_is_null(json_object_get(d, "median")));
    assert_true(json_is_null(json_object_get(
        json_array_get(json_object_get(d, "bins"), 0), "share")));
    for (size_t i = 0; i < 3; i++)
        assert_true(json_is_false(json_object_get(
            json_array_get(json_object_get(j, "thresholds"), i), "fired")));
    json_decref(j);
}

static void
test_demo_quarters_name_no_ae_and_no_csm(void **state)
{
    /* Demo user ids are u-ae-N and u-csm-N: no team view of any quarter
       may hold one, and a private view names AEs only in the trust rule. */
    static const char *const q[] = {"2025Q1", "2025Q2", "2025Q3", "2025Q4",
                                    "2026Q1", "2026Q2", "2026Q3"};
    (void)state;
    cl_snapshot *s = ops_load_demo(1, "2026-11-23");
    size_t total = 0;
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) {
        json_t *j = ops_run(cl_report_recovery, s, q[i], "2026-11-23", 0);
        char *t = ops_text(j);
        if (strstr(t, "u-ae-") || strstr(t, "u-csm-"))
            fail_msg("%s team view names a person: %s", q[i], t);
        total += (size_t)json_integer_value(json_object_get(j, "recoveries"));
        free(t);
        json_decref(j);
        j = ops_run(cl_report_recovery, s, q[i], "2026-11-23", 1);
        t = ops_text(j);
        assert_null(strstr(t, "u-csm-"));
        json_t *trust = json_array_get(json_object_get(j, "thresholds"), 2);
        assert_int_equal(json_object_get(trust, "aes") != NULL,
                         json_is_true(json_object_get(trust, "fired")));
        free(t);
        json_decref(j);
    }
    assert_true(total > 0);
    ops_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_types),
        cmocka_unit_test(test_months_to_reengagement),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_days_to_first_demo_distribution),
        cmocka_unit_test(test_thresholds_q3_trust_cluster_only),
        cmocka_unit_test(test_thresholds_q2_timing_and_overpromise_fire),
        cmocka_unit_test(test_team_view_names_no_ae_and_no_csm),
        cmocka_unit_test(test_private_view_names_the_ae_but_no_csm),
        cmocka_unit_test(test_empty_quarter),
        cmocka_unit_test(test_demo_quarters_name_no_ae_and_no_csm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
