/*
 * Unit tests: workflow.c: the configuration's defaults and the small pure
 * helpers the rules share (the health score, whole months).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"
#include "wf_testutil.h"

#include "core/workflow.h"

static void
test_health_score_formula(void **state)
{
    (void)state;
    /* 50 + 20 + 3 * 5 + 10 = 95, the best a review can give. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "positive", 70), 95);
    /* 50 + 0 + 15 + 0 (fit 69 is between the bands). */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "neutral", 69), 65);
    /* Fit 40 is not below 40; fit 39 is: 65 - 15 = 50. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "neutral", 40), 65);
    assert_int_equal(cl_wf_health_score(0, 0, 0, "neutral", 39), 50);
    /* Unknown gut read and fit count as neutral and in-band. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, NULL, -1), 65);
    /* One generic answer: 50 - 10 + 5 + 5 = 50. */
    assert_int_equal(cl_wf_health_score(1, 0, 0, NULL, -1), 50);
    /* 50 - 25 - 30 - 15 = -20, clamped to 0. */
    assert_int_equal(cl_wf_health_score(1, 1, 1, "worried", 10), 0);
    /* 50 - 25 + 15 = 40. */
    assert_int_equal(cl_wf_health_score(0, 0, 0, "worried", 55), 40);
}

static void
test_whole_months(void **state)
{
    (void)state;
    assert_int_equal(cl_wf_whole_months(D("2026-01-31"), D("2026-02-28")), 1);
    assert_int_equal(cl_wf_whole_months(D("2026-01-15"), D("2026-02-14")), 0);
    assert_int_equal(cl_wf_whole_months(D("2026-01-15"), D("2026-02-15")), 1);
    assert_int_equal(cl_wf_whole_months(D("2025-09-30"), D("2026-04-15")), 6);
    assert_int_equal(cl_wf_whole_months(D("2025-11-10"), D("2027-01-10")), 14);
    assert_int_equal(cl_wf_whole_months(D("2026-05-01"), D("2026-04-01")), 0);
}

static void
test_config_defaults_follow_the_taxonomy(void **state)
{
    (void)state;
    cl_wf_config c;
    cl_wf_config_defaults(&c);
    assert_near(c.icp_review_share, 0.25, 1e-12);
    assert_int_equal(c.icp_review_due_days, 30);
    assert_near(c.coaching_share, 0.20, 1e-12);
    assert_near(c.discovery_review_share, 0.20, 1e-12);
    assert_int_equal(c.enablement_review_recoveries, 3);
    assert_near(c.qualification_review_timing_share, 0.60, 1e-12);
    assert_int_equal(c.review_due_business_days, 5);
    assert_near(c.review_senior_arr, 50000, 0);
    assert_int_equal(c.debrief_due_business_days, 5);
    assert_int_equal(c.checkin_due_days, 30);
    assert_int_equal(c.champion_tenure_months, 6);
    assert_int_equal(c.slow_to_demo_days, 45);
    assert_int_equal(c.overdue_escalation_business_days, 2);
    assert_int_equal(c.checkin_escalation_business_days, 5);
    assert_null(c.revops_id);
}

/* Issue 16: a refusal names a record by its account or period, never by
   its id, and says "this churn" when there is no name. */
static void
test_refusal_refs(void **state)
{
    (void)state;
    char buf[CL_WF_REF_MAX];
    cl_wf_churn c = {.id = "c-000075", .account_name = "Acme Corp"};
    assert_string_equal(cl_wf_churn_ref(&c, 1, buf, sizeof buf),
                        "The churn of Acme Corp");
    assert_string_equal(cl_wf_churn_ref(&c, 0, buf, sizeof buf),
                        "the churn of Acme Corp");
    c.account_name = NULL;
    assert_string_equal(cl_wf_churn_ref(&c, 1, buf, sizeof buf), "This churn");
    cl_wf_deal d = {.id = "d-1", .account_name = "Acme Corp"};
    assert_string_equal(cl_wf_deal_ref(&d, 0, buf, sizeof buf),
                        "the deal with Acme Corp");
    d.account_name = "";
    assert_string_equal(cl_wf_deal_ref(&d, 0, buf, sizeof buf), "this deal");
    static const struct {
        const char *kind, *period, *words;
    } sessions[] = {
        {"monthly_debrief", "2026-07", "The monthly debrief of 2026-07"},
        {"bad_fit_review", "2026Q3", "The bad-fit review of 2026Q3"},
        {"icp_review", "2026Q3", "The ICP review of 2026Q3"},
        {"monthly_debrief", NULL, "This session"},
        {NULL, "2026Q3", "This session"},
    };
    for (size_t i = 0; i < sizeof sessions / sizeof sessions[0]; i++) {
        cl_wf_session s = {
            .id = "7", .kind = sessions[i].kind, .period = sessions[i].period};
        assert_string_equal(cl_wf_session_ref(&s, 1, buf, sizeof buf),
                            sessions[i].words);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health_score_formula),
        cmocka_unit_test(test_whole_months),
        cmocka_unit_test(test_refusal_refs),
        cmocka_unit_test(test_config_defaults_follow_the_taxonomy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
