/*
 * Unit tests: workflow_sessions.c, sessions opened now or scheduled by
 * hand (issue 16): the checks on kind, period and day with their ranges,
 * idempotence by (kind, period), the schedules whose day has come, and
 * what opens next.
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

static const cl_wf_session open_q2[] = {{"1", "bad_fit_review", "2026Q2", 0}};

static void
test_open_now_checks_and_idempotence(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_error err;
    cl_day today = D("2026-11-18");
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_session_open_now(&c, "bad_fit_review", "2026Q3",
                                            today, open_q2, 1, &l, &err),
                     CL_OK);
    const cl_wf_effect *e = must_key(&l, "manual:bad_fit_review:2026Q3");
    assert_string_equal(e->report, "bad-fit");
    assert_string_equal(e->period, "2026Q3");
    cl_wf_effects_release(&l);

    /* Open already: no effect. */
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_session_open_now(&c, "bad_fit_review", "2026Q2",
                                            today, open_q2, 1, &l, &err),
                     CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);

    static const char *const bad[][2] = {
        {"bad_fit_review", "2026Q4"},  /* not over */
        {"weekly", "2026Q2"},          /* no such kind */
        {"monthly_debrief", "2026Q2"}, /* a debrief is for a month */
        {"icp_review", "2026-05"},     /* a review is for a quarter */
        {"icp_review", "2021Q3"},      /* more than five years back */
        {"icp_review", "2026Q5"},      /* not a period */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cl_wf_effects_init(&l);
        assert_int_equal(cl_wf_session_open_now(&c, bad[i][0], bad[i][1], today,
                                                NULL, 0, &l, &err),
                         CL_EINVAL);
        assert_int_equal(l.n, 0);
        cl_wf_effects_release(&l);
    }
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_session_open_now(&c, "monthly_debrief", "2026-10",
                                            today, NULL, 0, &l, &err),
                     CL_OK);
    must_key(&l, "manual:monthly_debrief:2026-10");
    cl_wf_effects_release(&l);
}

static void
test_schedule_check_ranges(void **state)
{
    (void)state;
    cl_error err;
    cl_day today = D("2026-11-18");
    assert_int_equal(cl_wf_session_schedule_check("monthly_debrief", "2026-11",
                                                  D("2026-12-10"), today, NULL,
                                                  0, &err),
                     CL_OK);
    /* Today and a year ahead are the ends of the range. */
    assert_int_equal(cl_wf_session_schedule_check("monthly_debrief", "2026-10",
                                                  today, today, NULL, 0, &err),
                     CL_OK);
    assert_int_equal(cl_wf_session_schedule_check("icp_review", "2026Q4",
                                                  D("2027-11-18"), today, NULL,
                                                  0, &err),
                     CL_OK);
    assert_int_equal(cl_wf_session_schedule_check("icp_review", "2026Q4",
                                                  D("2027-11-19"), today, NULL,
                                                  0, &err),
                     CL_EINVAL);
    assert_string_equal(err.field, "open_on");
    assert_int_equal(cl_wf_session_schedule_check("monthly_debrief", "2026-10",
                                                  D("2026-11-17"), today, NULL,
                                                  0, &err),
                     CL_EINVAL);
    /* The period must be over by the day. */
    assert_int_equal(cl_wf_session_schedule_check("monthly_debrief", "2026-11",
                                                  D("2026-11-30"), today, NULL,
                                                  0, &err),
                     CL_EINVAL);
    assert_string_equal(err.field, "period");
    assert_int_equal(cl_wf_session_schedule_check("bad_fit_review", "2026Q2",
                                                  D("2026-12-01"), today,
                                                  open_q2, 1, &err),
                     CL_ECONFLICT);
}

static void
test_schedule_tick_and_next(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_error err;
    const cl_wf_schedule s[] = {{"monthly_debrief", "2026-11", D("2026-12-10")},
                                {"bad_fit_review", "2026Q2", D("2026-11-01")}};
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_schedule_tick(&c, s, 2, D("2026-12-09"), open_q2, 1, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0); /* not its day; the other is open already */
    cl_wf_effects_release(&l);
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_schedule_tick(&c, s, 2, D("2026-12-10"), open_q2, 1, &l, &err),
        CL_OK);
    must_key(&l, "schedule:monthly_debrief:2026-11");
    assert_int_equal(l.n, 1);
    cl_wf_effects_release(&l);

    cl_wf_next_session next[8];
    size_t n = 0;
    cl_wf_sessions_next(NULL, D("2026-11-18"), s, 2, open_q2, 1, next, 8, &n);
    /* The schedule holds November's debrief; the reviews are the
       cadence's, on the first business day of 2027. */
    assert_int_equal(n, 4);
    assert_string_equal(next[0].kind, "monthly_debrief");
    assert_string_equal(next[0].period, "2026-11");
    assert_day(next[0].open_on, "2026-12-10");
    assert_int_equal(next[0].scheduled, 1);
    for (size_t i = 1; i < 4; i++) {
        assert_string_equal(next[i].period, "2026Q4");
        assert_day(next[i].open_on, "2027-01-01");
        assert_int_equal(next[i].scheduled, 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_now_checks_and_idempotence),
        cmocka_unit_test(test_schedule_check_ranges),
        cmocka_unit_test(test_schedule_tick_and_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
