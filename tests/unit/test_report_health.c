/*
 * Loop health on a hand-made workspace (tests/data/reports/ops/health), as
 * of 2026-11-23: the quarters 2025Q4, 2026Q1, 2026Q2, 2026Q3.
 *
 * Churn cohorts (primary causes):
 *   2025Q3 business_change
 *   2025Q4 icp_miss, pricing
 *   2026Q1 pricing x2, icp_miss, competitive_loss, business_change (top 3:
 *          pricing, then the ties in taxonomy order: icp_miss,
 *          competitive_loss)
 *   2026Q2 icp_miss, failed_adoption
 *   2026Q3 icp_miss x2, product_deficiency, one untagged
 * so icp_miss is in the top 3 of 2025Q4..2026Q3 (planted) but not 2025Q3.
 * ICP versions took effect 2025-01-01 and 2026-03-15.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "opsfixture.h"

static int
setup(void **state)
{
    *state = ops_load("health");
    return 0;
}

static int
teardown(void **state)
{
    ops_free(*state);
    return 0;
}

/* The check called name of quarter q (0 = oldest). */
static json_t *
chk(json_t *j, size_t q, const char *name)
{
    json_t *checks = ops_at(j, "quarters", q, "checks"), *c;
    size_t i;
    json_array_foreach(checks, i, c)
    {
        if (strcmp(json_string_value(json_object_get(c, "check")), name) == 0)
            return c;
    }
    fail_msg("no check %s", name);
    return NULL;
}

/* pass: 1, 0, or -1 for null. */
static void
assert_pass(json_t *c, int pass)
{
    json_t *p = json_object_get(c, "pass");
    if (pass < 0)
        assert_true(json_is_null(p));
    else
        assert_true(json_is_boolean(p) && json_is_true(p) == pass);
}

static void
test_quarters_in_order(void **state)
{
    static const char *const want[] = {"2025Q4", "2026Q1", "2026Q2", "2026Q3"};
    json_t *j = ops_run(cl_report_health, *state, NULL, "2026-11-23", 0);
    assert_int_equal(json_array_size(json_object_get(j, "quarters")), 4);
    for (size_t q = 0; q < 4; q++) {
        assert_string_equal(
            json_string_value(ops_at(j, "quarters", q, "period")), want[q]);
        assert_int_equal(json_array_size(ops_at(j, "quarters", q, "checks")),
                         6);
    }
    json_decref(j);
}

static void
test_repeating_cause_fails_only_in_the_fourth_quarter(void **state)
{
    json_t *j = ops_run(cl_report_health, *state, NULL, "2026-11-23", 0);
    for (size_t q = 0; q < 3; q++) {
        json_t *c = chk(j, q, "repeating_cause");
        assert_pass(c, 1);
        assert_true(json_is_null(json_object_get(c, "value")));
    }
    json_t *c = chk(j, 3, "repeating_cause");
    assert_pass(c, 0);
    assert_string_equal(json_string_value(json_object_get(c, "value")),
                        "icp_miss");
    assert_int_equal(json_integer_value(json_object_get(c, "target")), 4);
    json_decref(j);
}

static void
test_stale_icp(void **state)
{
    /* Days from the last ICP version to the quarter end: 2025-01-01 to
       2025-12-31 is 364 (stale, with churns tagged: fail); 2026-03-15 to
       2026-03-31 is 16, to 2026-06-30 is 107, to 2026-09-30 is 199 (stale,
       churns tagged from 2026-05-11 on: fail). */
    static const int days[] = {364, 16, 107, 199};
    static const int pass[] = {0, 1, 1, 0};
    json_t *j = ops_run(cl_report_health, *state, NULL, "2026-11-23", 0);
    for (size_t q = 0; q < 4; q++) {
        json_t *c = chk(j, q, "stale_icp");
        assert_int_equal(json_integer_value(json_object_get(c, "value")),
                         days[q]);
        assert_pass(c, pass[q]);
    }
    json_decref(j);
}

static void
test_stale_icp_passes_without_tagged_churns(void **state)
{
    /* As of 2025-07-15: 2024Q2..2025Q2.  No ICP before 2025, but no churn
       was tagged either, so nothing is stale that matters. */
    json_t *j = ops_run(cl_report_health, *state, NULL, "2025-07-15", 0);
    json_t *c = chk(j, 0, "stale_icp");
    assert_true(json_is_null(json_object_get(c, "value")));
    assert_pass(c, 1);
    c = chk(j, 3, "stale_icp");
    assert_int_equal(json_integer_value(json_object_get(c, "value")), 180);
    assert_pass(c, 1);
    json_decref(j);
}

static int32_t
row_of(const char *const *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return (int32_t)i;
    fail_msg("no %s", id);
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
flag(cl_snapshot *s, const char *churn, const char *to, const char *at)
{
    cl_error err;
    assert_int_equal(cl_snapshot_add_notice(
                         s, row_of(s->churn_id, s->nchurns, churn),
                         cl_snapshot_user(s, to), T(at), CL_TIME_NONE, &err),
                     CL_OK);
}

static void
test_signal_latency(void **state)
{
    /* The churns of HA1 (no deals of its own) are given W6, Ava's deal, as
       their original deal.  Sales-attributable (icp_miss) churns, days from
       churned_on to the churn flag reaching Ava: 2025Q4 C2 15; 2026Q1 C6
       never flagged (null); 2026Q2 C9 10 (its flag to the CSM a day after
       the churn is not Sales); 2026Q3 C11 20 and C12 50, median 35. */
    static const double median[] = {15, NAN, 10, 35};
    static const int pass[] = {1, -1, 1, 0};
    cl_snapshot *s = *state;
    int32_t w6 = row_of(s->deal_id, s->ndeals, "W6");
    int32_t *saved = malloc(s->nchurns * sizeof *saved);
    assert_non_null(saved);
    memcpy(saved, s->churn_deal, s->nchurns * sizeof *saved);
    for (size_t c = 0; c < s->nchurns; c++)
        s->churn_deal[c] = w6;
    flag(s, "C2", "U-AE1", "2025-11-20T09:00");
    flag(s, "C9", "U-CSM1", "2026-05-02T09:00");
    flag(s, "C9", "U-AE1", "2026-05-11T09:00");
    flag(s, "C11", "U-AE1", "2026-07-21T09:00");
    flag(s, "C12", "U-AE1", "2026-09-20T09:00");
    json_t *j = ops_run(cl_report_health, s, NULL, "2026-11-23", 0);
    for (size_t q = 0; q < 4; q++) {
        json_t *c = chk(j, q, "signal_latency");
        if (isnan(median[q]))
            assert_true(json_is_null(json_object_get(c, "value")));
        else
            assert_near(json_number_value(json_object_get(c, "value")),
                        median[q], 1e-9);
        assert_pass(c, pass[q]);
        assert_int_equal(json_integer_value(json_object_get(c, "target")), 30);
    }
    assert_non_null(strstr(
        json_string_value(json_object_get(chk(j, 3, "signal_latency"), "note")),
        "2 of 2 sales-attributable churns"));
    assert_non_null(strstr(
        json_string_value(json_object_get(chk(j, 1, "signal_latency"), "note")),
        "0 of 1"));
    json_decref(j);
    memcpy(s->churn_deal, saved, s->nchurns * sizeof *saved);
    free(saved);
    s->nnotices = 0;

    /* Without flags (the engine never ran) there is no figure. */
    j = ops_run(cl_report_health, s, NULL, "2026-11-23", 0);
    assert_true(
        json_is_null(json_object_get(chk(j, 3, "signal_latency"), "value")));
    assert_pass(chk(j, 3, "signal_latency"), -1);
    json_decref(j);
}

static void
test_process_change_checkins(void **state)
{
    /* Check-ins due 2026-08-10 (done 08-09) and 2026-09-01 (done 09-03,
       late): 2026Q3 1 of 2, fails.  Due 2026-05-01, done 04-30: 2026Q2
       passes.  None due in 2025Q4 and 2026Q1: null. */
    cl_snapshot *s = *state;
    cl_error err;
    int32_t owner = cl_snapshot_user(s, "U-CSM1");
    const char *rows[][2] = {{"2026-08-10", "2026-08-09"},
                             {"2026-09-01", "2026-09-03"},
                             {"2026-05-01", "2026-04-30"}};
    for (size_t i = 0; i < 3; i++) {
        cl_day due, on;
        assert_int_equal(cl_date_parse(rows[i][0], 10, &due), 0);
        assert_int_equal(cl_date_parse(rows[i][1], 10, &on), 0);
        assert_int_equal(cl_snapshot_add_process_change(s, "monthly_debrief",
                                                        "2026-07", owner, "x",
                                                        due, on, &err),
                         CL_OK);
    }
    json_t *j = ops_run(cl_report_health, s, NULL, "2026-11-23", 0);
    json_t *c = chk(j, 3, "process_change_checkins");
    assert_near(json_number_value(json_object_get(c, "value")), 0.5, 1e-9);
    assert_pass(c, 0);
    assert_non_null(
        strstr(json_string_value(json_object_get(c, "note")), "1 of 2"));
    c = chk(j, 2, "process_change_checkins");
    assert_near(json_number_value(json_object_get(c, "value")), 1, 1e-9);
    assert_pass(c, 1);
    /* All on time is a share (100%), not a count of one. */
    assert_string_equal(json_string_value(json_object_get(c, "unit")),
                        "share");
    assert_true(json_is_real(json_object_get(c, "value")));
    assert_true(json_is_real(json_object_get(c, "target")));
    for (size_t q = 0; q < 2; q++) {
        c = chk(j, q, "process_change_checkins");
        assert_pass(c, -1);
        assert_true(json_is_null(json_object_get(c, "value")));
    }
    json_decref(j);
    s->npcs = 0;
}

static void
test_review_completion(void **state)
{
    /* 2026Q3 won new deals: W1 reviewed in 4 days (on time), W2 after the
       5-business-day deadline (2026-08-10), W3 after its kickoff, W4 on
       time, W5 never: 2 of 5; the W7 expansion, reviewed on time, is not a
       won-deal review.  2026Q2: W6 and W8 on time.  No won deals before:
       null. */
    json_t *j = ops_run(cl_report_health, *state, NULL, "2026-11-23", 0);
    json_t *c = chk(j, 3, "review_completion");
    assert_near(json_number_value(json_object_get(c, "value")), 0.4, 1e-9);
    assert_near(json_number_value(json_object_get(c, "target")), 0.8, 1e-9);
    assert_non_null(strstr(json_string_value(json_object_get(c, "note")),
                           "2 of 5 won new deals"));
    assert_pass(c, 0);
    c = chk(j, 2, "review_completion");
    assert_near(json_number_value(json_object_get(c, "value")), 1, 1e-9);
    assert_pass(c, 1);
    c = chk(j, 1, "review_completion");
    assert_true(json_is_null(json_object_get(c, "value")));
    assert_pass(c, -1);
    json_decref(j);
}

static void
test_attribute_coverage_and_checkins(void **state)
{
    /* 2026Q3: W1-W5 complete (the W7 expansion does not count): 1.0.
       2026Q2: W8 lacks its source: 1 of 2. */
    json_t *j = ops_run(cl_report_health, *state, NULL, "2026-11-23", 0);
    json_t *c = chk(j, 3, "attribute_coverage");
    assert_near(json_number_value(json_object_get(c, "value")), 1, 1e-9);
    assert_pass(c, 1);
    c = chk(j, 2, "attribute_coverage");
    assert_near(json_number_value(json_object_get(c, "value")), 0.5, 1e-9);
    assert_near(json_number_value(json_object_get(c, "target")), 0.9, 1e-9);
    assert_pass(c, 0);
    /* Plain language (issue 16): the fields by their labels. */
    assert_string_equal(json_string_value(json_object_get(c, "note")),
                        "1 of 2 won new deals have their ICP fit score, "
                        "champion's level, champion's months in the role, "
                        "executive sponsor, use case and deal source");
    for (size_t q = 0; q < 4; q++) {
        c = chk(j, q, "process_change_checkins");
        assert_pass(c, -1);
        assert_true(json_is_null(json_object_get(c, "value")));
        assert_non_null(strstr(json_string_value(json_object_get(c, "note")),
                               "no process-change check-in due"));
    }
    json_decref(j);
}

static void
test_summary_is_the_latest_quarter(void **state)
{
    json_t *j = ops_run(cl_report_health, *state, NULL, "2026-11-23", 0);
    json_t *s = json_object_get(j, "summary");
    assert_string_equal(json_string_value(json_object_get(s, "period")),
                        "2026Q3");
    assert_int_equal(json_integer_value(json_object_get(s, "passed")), 1);
    /* Without the engine's records, signal latency and check-ins are not
       computed. */
    assert_int_equal(json_integer_value(json_object_get(s, "failed")), 3);
    assert_int_equal(json_integer_value(json_object_get(s, "unknown")), 2);
    json_t *f = json_object_get(s, "failing");
    assert_string_equal(json_string_value(json_array_get(f, 0)),
                        "repeating_cause");
    assert_string_equal(json_string_value(json_array_get(f, 2)),
                        "review_completion");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(s, "passing"), 0)),
        "attribute_coverage");
    json_decref(j);
}

static void
test_demo_workspace(void **state)
{
    /* The demo's 2026Q3 cohort is heavy with icp_miss (about 37%), but the
       demo's records never went through the engine: no churn flag reached
       Sales, so the signal latency says so; the demo captures every deal
       attribute, so coverage is complete. */
    (void)state;
    cl_snapshot *s = ops_load_demo(1, "2026-11-23");
    json_t *j = ops_run(cl_report_health, s, NULL, "2026-11-23", 0);
    assert_string_equal(json_string_value(ops_at(j, "quarters", 3, "period")),
                        "2026Q3");
    json_t *c = chk(j, 3, "signal_latency");
    assert_true(json_is_null(json_object_get(c, "value")));
    assert_non_null(
        strstr(json_string_value(json_object_get(c, "note")), "0 of "));
    c = chk(j, 3, "attribute_coverage");
    assert_near(json_number_value(json_object_get(c, "value")), 1, 1e-9);
    assert_pass(c, 1);
    c = chk(j, 3, "review_completion");
    assert_true(json_number_value(json_object_get(c, "value")) > 0);
    json_decref(j);
    ops_free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarters_in_order),
        cmocka_unit_test(test_repeating_cause_fails_only_in_the_fourth_quarter),
        cmocka_unit_test(test_stale_icp),
        cmocka_unit_test(test_stale_icp_passes_without_tagged_churns),
        cmocka_unit_test(test_signal_latency),
        cmocka_unit_test(test_process_change_checkins),
        cmocka_unit_test(test_review_completion),
        cmocka_unit_test(test_attribute_coverage_and_checkins),
        cmocka_unit_test(test_summary_is_the_latest_quarter),
        cmocka_unit_test(test_demo_workspace),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
