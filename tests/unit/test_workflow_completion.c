/*
 * Unit tests: workflow_completion.c, won-deal review completion
 * below its target (issue 14).
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

/* Issue 14: completion below the 80% monthly target opens one RevOps
   investigation task per quarter. */
static void
test_review_completion_below_target_opens_revops_investigation_once_per_quarter(
    void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    cl_day aug3 = D("2026-08-03"), sep1 = D("2026-09-01");
    /* July: 8 of 10 on time is the target itself: nothing opens. */
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-07", 10, 8, aug3, &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    /* No review due in the month: no rate, nothing opens. */
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-07", 0, 0, aug3, &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    /* July: 7 of 10 is below: one task for RevOps about 2026Q3, due in 30
       days. */
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-07", 10, 7, aug3, &l, NULL), CL_OK);
    assert_int_equal(l.n, 1);
    const cl_wf_effect *e =
        must_key(&l, "review_completion_investigation:2026Q3");
    assert_int_equal(e->kind, CL_WF_CREATE_TASK);
    assert_string_equal(e->what, "review_completion_investigation");
    assert_string_equal(e->recipient_id, "RO1");
    assert_string_equal(e->subject_kind, "quarter");
    assert_string_equal(e->subject_id, "2026Q3");
    assert_int_equal(e->due_on, D("2026-09-02"));
    assert_non_null(strstr(e->title, "70% (7 of 10 on time)"));
    assert_non_null(strstr(e->title, "80% target"));
    cl_wf_effects_release(&l);
    /* August below too: the same key, so the shell keeps the one task. */
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-08", 4, 1, sep1, &l, NULL), CL_OK);
    must_key(&l, "review_completion_investigation:2026Q3");
    cl_wf_effects_release(&l);
    /* September is judged in October, still the third quarter's task;
       October's (judged in November) is the fourth quarter's. */
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-10", 4, 1, D("2026-11-02"), &l, NULL),
        CL_OK);
    must_key(&l, "review_completion_investigation:2026Q4");
    cl_wf_effects_release(&l);
    /* The target is the workspace's threshold. */
    c.review_completion_target = 0.6;
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-07", 10, 7, aug3, &l, NULL), CL_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(
        cl_wf_review_completion(&c, "2026-7x", 10, 7, aug3, &l, NULL),
        CL_EINVAL);
    cl_wf_effects_release(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_review_completion_below_target_opens_revops_investigation_once_per_quarter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
