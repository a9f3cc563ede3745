/*
 * Unit tests: workflow_debrief.c, the AE+CSM debrief held (issue 16): the
 * tasks close, the outcome is audited on the churn, the CSM hears it, and
 * a dispute needs its reason.
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

static cl_wf_churn
tagged(void)
{
    cl_wf_churn c = churn();
    c.tag.primary_cause = "feature_overpromise";
    c.sales_flagged = 1;
    return c;
}

static void
test_dispute_reaches_csm_and_audit(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = tagged();
    cl_wf_effects l;
    cl_error err;
    cl_wf_effects_init(&l);
    assert_int_equal(cl_wf_debrief_held(&c, &ch, "AE1", "SSO was promised", 1,
                                        "they chose a competitor", &l, &err),
                     CL_OK);
    const cl_wf_effect *m = find_key(&l, "debrief_done:C9");
    assert_non_null(m);
    assert_int_equal(m->kind, CL_WF_MARK_TASK);
    assert_string_equal(m->what, "debrief");
    assert_null(m->recipient_id); /* every attendee's task */
    const cl_wf_effect *a = find_key(&l, "debrief_held:C9");
    assert_non_null(a);
    assert_int_equal(a->kind, CL_WF_AUDIT);
    assert_string_equal(a->actor_id, "AE1");
    assert_string_equal(a->old_value, "feature_overpromise");
    assert_string_equal(a->new_value, "disputed");
    assert_non_null(strstr(a->body, "they chose a competitor"));
    const cl_wf_effect *n =
        find_key(&l, "debrief_outcome:C9:feature_overpromise:CSM1");
    assert_non_null(n);
    assert_string_equal(n->what, "debrief_outcome");
    assert_string_equal(n->recipient_id, "CSM1");
    assert_string_equal(n->title, "The AE disputes the tag of churn C9");
    assert_non_null(strstr(n->body, "they chose a competitor"));
    assert_int_equal(l.n, 3);
    cl_wf_effects_release(&l);
}

static void
test_accepted_tells_csm_not_the_actor(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = tagged();
    cl_wf_effects l;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_debrief_held(&c, &ch, "AE1", "fair tag", 0, NULL, &l, NULL),
        CL_OK);
    assert_string_equal(find_key(&l, "debrief_held:C9")->new_value, "accepted");
    assert_non_null(
        find_key(&l, "debrief_outcome:C9:feature_overpromise:CSM1"));
    cl_wf_effects_release(&l);
    /* The CSM recording it is not told of it; without a CSM, RevOps is. */
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_debrief_held(&c, &ch, "CSM1", "fair tag", 0, NULL, &l, NULL),
        CL_OK);
    assert_int_equal(l.n, 2);
    cl_wf_effects_release(&l);
    ch.csm_id = NULL;
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_debrief_held(&c, &ch, "AE1", "fair tag", 0, NULL, &l, NULL),
        CL_OK);
    assert_non_null(find_key(&l, "debrief_outcome:C9:feature_overpromise:RO1"));
    cl_wf_effects_release(&l);
}

static void
test_refusals_name_the_field(void **state)
{
    (void)state;
    cl_wf_config c = config();
    cl_wf_churn ch = tagged();
    cl_wf_effects l;
    cl_error err;
    char big[4002];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const struct {
        const char *notes;
        int disputed;
        const char *reason, *field;
    } bad[] = {{"", 0, NULL, "notes"},    {"  ", 1, "x", "notes"},
               {"ok", 1, NULL, "reason"}, {"ok", 1, " ", "reason"},
               {big, 0, NULL, "notes"},   {"ok", 1, big, "reason"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cl_wf_effects_init(&l);
        assert_int_equal(cl_wf_debrief_held(&c, &ch, "AE1", bad[i].notes,
                                            bad[i].disputed, bad[i].reason, &l,
                                            &err),
                         CL_EINVAL);
        assert_string_equal(err.field, bad[i].field);
        assert_null(find_key(&l, "debrief_held:C9"));
        cl_wf_effects_release(&l);
    }
    /* No tag, nothing to debrief. */
    cl_wf_churn untagged = churn();
    cl_wf_effects_init(&l);
    assert_int_equal(
        cl_wf_debrief_held(&c, &untagged, "AE1", "notes", 0, NULL, &l, &err),
        CL_ECONFLICT);
    cl_wf_effects_release(&l);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispute_reaches_csm_and_audit),
        cmocka_unit_test(test_accepted_tells_csm_not_the_actor),
        cmocka_unit_test(test_refusals_name_the_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
