/*
 * Unit tests: workflow_review.c, the won-deal review's asynchronous half
 * (issue 14): the AE's own answers, the 30/60/90-day check-ins and the
 * health reading a check-in records.
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

/* Issue 14: the AE answers Q1-Q4 and Q7, before the review is held. */
static void
test_review_answers_are_the_aes_own_questions(void **state)
{
    (void)state;
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    const char *none[7] = {NULL};
    const char *q5[7] = {NULL, NULL, NULL, NULL, "renews if", NULL, NULL};
    const char *q1[7] = {"Board mandate in March", NULL};
    const char *all[7] = {"a", "b", "c", "d", NULL, NULL, "g"};
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_review_answers(&d, 0, none, none, "AE1", &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_review_answers(&d, 0, q5, q5, "AE1", &l, &err),
                     CL_EINVAL);
    assert_string_equal(err.msg, "q5: not the AE's question; the CSM answers "
                                 "it in the review");
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_review_answers(&d, 1, q1, q1, "AE1", &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    /* Part of them: audited, the task stays open. */
    assert_int_equal(cl_wf_review_answers(&d, 0, q1, q1, "AE1", &l, &err),
                     CL_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.items[0].kind, CL_WF_AUDIT);
    assert_string_equal(l.items[0].new_value, "q1");
    cl_wf_effects_release(&l);
    /* All five: the AE's task is done. */
    assert_int_equal(cl_wf_review_answers(&d, 0, q1, all, "AE1", &l, &err),
                     CL_OK);
    const cl_wf_effect *e = must_key(&l, "done:review_answers:D123");
    assert_int_equal(e->kind, CL_WF_MARK_TASK);
    assert_string_equal(e->recipient_id, "AE1");
    cl_wf_effects_release(&l);
}

/* Issue 14: check-ins 30/60/90 days after kickoff (close without one),
   each opening a week ahead; history beyond the lookback never opens. */
static void
test_review_checkins_open_a_week_ahead_of_kickoff_plus_days(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_deal d = won_deal("2026-07-15", 1000);
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 0, 0, D("2026-09-01"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0); /* not reviewed */
    /* From the close: due 2026-08-14, opens 2026-08-07. */
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2026-08-06"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2026-08-07"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 1);
    const cl_wf_effect *e = must_key(&l, "review_checkin_1:D123");
    assert_string_equal(e->what, "review_checkin_1");
    assert_string_equal(e->recipient_id, "CSM1");
    assert_day(e->due_on, "2026-08-14");
    cl_wf_effects_release(&l);
    /* A kickoff moves them: 2026-07-20 + 60 = 2026-09-18. */
    d.kickoff_on = D("2026-07-20");
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2026-09-11"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 2);
    assert_day(must_key(&l, "review_checkin_2:D123")->due_on, "2026-09-18");
    cl_wf_effects_release(&l);
    /* One already opened (for another CSM, before the account changed
       hands) is not opened again. */
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 1u, D("2026-09-11"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 1);
    must_key(&l, "review_checkin_2:D123");
    cl_wf_effects_release(&l);
    /* Years later: all three are history. */
    assert_int_equal(
        cl_wf_review_checkins(&c, &d, 1, 0, D("2028-01-01"), 30, &l, &err),
        CL_OK);
    assert_int_equal(l.n, 0);
    cl_wf_effects_release(&l);
}

/* Issue 14: a check-in records a health reading 0-100 and a note. */
static void
test_checkin_recorded_sets_health_with_its_source(void **state)
{
    (void)state;
    cl_wf_task t = {.id = "9",
                    .kind = "review_checkin_2",
                    .subject_kind = "deal",
                    .subject_id = "D123",
                    .assignee_id = "CSM1"};
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_checkin_recorded(&t, 101, "x", "CSM1", &l, &err),
                     CL_EINVAL);
    assert_string_equal(
        err.msg, "score: expected a whole number from 0 to 100, got 101");
    cl_wf_effects_release(&l);
    assert_int_equal(cl_wf_checkin_recorded(&t, 50, " ", "CSM1", &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
    assert_int_equal(
        cl_wf_checkin_recorded(&t, 64, "SSO live", "CSM1", &l, &err), CL_OK);
    const cl_wf_effect *e = must_key(&l, "health_checkin:9");
    assert_int_equal(e->kind, CL_WF_SET);
    assert_string_equal(e->what, "health_score");
    assert_string_equal(e->new_value, "64");
    assert_string_equal(e->title, "checkin");
    assert_string_equal(e->body, "SSO live");
    assert_int_equal(must_key(&l, "done:checkin:9")->kind, CL_WF_MARK_TASK);
    cl_wf_effects_release(&l);
    t.done = 1;
    assert_int_equal(cl_wf_checkin_recorded(&t, 64, "again", "CSM1", &l, &err),
                     CL_ECONFLICT);
    cl_wf_effects_release(&l);
    t.done = 0;
    t.kind = "won_deal_review";
    assert_int_equal(cl_wf_checkin_recorded(&t, 64, "x", "CSM1", &l, &err),
                     CL_EINVAL);
    cl_wf_effects_release(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_review_answers_are_the_aes_own_questions),
        cmocka_unit_test(
            test_review_checkins_open_a_week_ahead_of_kickoff_plus_days),
        cmocka_unit_test(test_checkin_recorded_sets_health_with_its_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
